/*
 * x86 I/O ports: helpers over address_space_io.
 */
#ifndef EXEC_IOPORT_H
#define EXEC_IOPORT_H

#include "exec/memory.h"

typedef uint32_t pio_addr_t;

static inline uint8_t cpu_inb(pio_addr_t port)
{
    return address_space_read_sized(&address_space_io, port, 1);
}
static inline uint16_t cpu_inw(pio_addr_t port)
{
    return address_space_read_sized(&address_space_io, port, 2);
}
static inline uint32_t cpu_inl(pio_addr_t port)
{
    return address_space_read_sized(&address_space_io, port, 4);
}
static inline void cpu_outb(pio_addr_t port, uint8_t v)
{
    address_space_write_sized(&address_space_io, port, v, 1);
}
static inline void cpu_outw(pio_addr_t port, uint16_t v)
{
    address_space_write_sized(&address_space_io, port, v, 2);
}
static inline void cpu_outl(pio_addr_t port, uint32_t v)
{
    address_space_write_sized(&address_space_io, port, v, 4);
}

/*
 * Maps an I/O region of size ports at base in address_space_io at
 * priority 0; errors as address_space_map_region.  On failure mr is left
 * destroyed (zeroed): there is nothing for the caller to clean up.
 */
bool portio_register(MemoryRegion *mr, pio_addr_t base, uint64_t size,
                     const MemoryRegionOps *ops, void *opaque, const char *name,
                     Error **errp);

#endif
