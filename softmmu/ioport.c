/*
 * x86 I/O ports: a thin layer over address_space_io.
 */
#include "qemu/osdep.h"
#include "exec/ioport.h"

bool portio_register(MemoryRegion *mr, pio_addr_t base, uint64_t size,
                     const MemoryRegionOps *ops, void *opaque, const char *name,
                     Error **errp)
{
    memory_region_init_io(mr, name, ops, opaque, size);
    if (!address_space_map_region(&address_space_io, base, mr, 0, errp)) {
        /* Leave nothing behind for the caller to clean up. */
        memory_region_destroy(mr);
        return false;
    }
    return true;
}
