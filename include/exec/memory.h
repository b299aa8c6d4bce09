/*
 * Guest physical memory and I/O-port maps.
 *
 * Two address spaces: address_space_memory (physical memory, 64-bit) and
 * address_space_io (x86 I/O ports, 16-bit).  A MemoryRegion is RAM (one
 * host allocation), ROM (RAM the guest cannot write), I/O (read/write
 * callbacks), or an alias (a window into another region).  Regions are
 * mapped into an address space at a base address with a priority:
 *
 *  - where two mapped regions overlap, the higher priority one wins for the
 *    overlapping addresses (the VGA window over low RAM, shadow ROM);
 *  - two enabled regions of the same priority may not overlap: mapping one
 *    is an error naming both regions;
 *  - addresses no region covers are "unassigned": reads return all ones
 *    (of the access size), writes are ignored, both logged under -d unimp.
 *
 * The address space keeps a flat view (sorted, non-overlapping ranges)
 * rebuilt whenever the map changes, so lookups are a binary search.  Every
 * change bumps a generation number and calls the change listeners (the
 * CPU's TLB flushes its RAM mappings).
 *
 * Access sizes: an I/O region's ops say which sizes the guest may use
 * (valid.*) and which the callbacks implement (impl.*).  An access of a
 * size outside valid.* (or misaligned when !valid.unaligned) is treated as
 * unassigned and logged under -d guest_errors.  A valid access larger than
 * impl.max_access_size is split into little-endian pieces; one smaller
 * than impl.min_access_size is widened (reads extract the bytes wanted,
 * writes pass the value shifted into place with the other bytes zero).
 * Either way the callbacks only see offsets aligned to the size they get.
 */
#ifndef EXEC_MEMORY_H
#define EXEC_MEMORY_H

#include "qemu/osdep.h"
#include "qemu/error.h"

typedef struct MemoryRegionOps {
    /* addr is relative to the start of the region; size is 1, 2, 4 or 8. */
    uint64_t (*read)(void *opaque, hwaddr addr, unsigned size);
    void (*write)(void *opaque, hwaddr addr, uint64_t data, unsigned size);
    struct {
        /* 0 means the default: min 1, max 4. */
        unsigned min_access_size;
        unsigned max_access_size;
        bool unaligned; /* misaligned accesses allowed */
    } valid;
    struct {
        /* 0 means: min 1, max 4. */
        unsigned min_access_size;
        unsigned max_access_size;
    } impl;
} MemoryRegionOps;

typedef enum MemoryRegionKind {
    MR_KIND_IO,
    MR_KIND_RAM,
    MR_KIND_ALIAS,
} MemoryRegionKind;

typedef struct AddressSpace AddressSpace;
typedef struct MemoryRegion MemoryRegion;

struct MemoryRegion {
    char *name;
    MemoryRegionKind kind;
    uint64_t size;
    /* I/O */
    const MemoryRegionOps *ops;
    void *opaque;
    /* RAM and ROM: host memory of size bytes */
    uint8_t *ram_ptr;
    bool ram_owned; /* allocated by us, freed by memory_region_destroy */
    bool readonly;  /* ROM: guest writes are ignored (-d guest_errors) */
    /* Alias */
    MemoryRegion *alias;
    hwaddr alias_offset;
    /* Mapping: set by address_space_map_region */
    AddressSpace *as;
    hwaddr addr;
    int priority;
    bool enabled;
    uint64_t map_seq; /* order of mapping, breaks priority ties in views */
};

void memory_region_init_io(MemoryRegion *mr, const char *name,
                           const MemoryRegionOps *ops, void *opaque,
                           uint64_t size);
/* Allocates zeroed host memory; fails (errp) if it cannot. */
bool memory_region_init_ram(MemoryRegion *mr, const char *name, uint64_t size,
                            Error **errp);
/* Like RAM, but the guest cannot write it (firmware). */
bool memory_region_init_rom(MemoryRegion *mr, const char *name, uint64_t size,
                            Error **errp);
/* Wraps host memory the caller owns. */
void memory_region_init_ram_ptr(MemoryRegion *mr, const char *name,
                                uint64_t size, void *ptr);
/* A window of size bytes into orig starting at offset. */
void memory_region_init_alias(MemoryRegion *mr, const char *name,
                              MemoryRegion *orig, hwaddr offset, uint64_t size);
/*
 * Unmaps (if mapped) and frees what the region owns; leaves the struct
 * zeroed, so a second destroy is harmless.  Destroy aliases of a region
 * before the region itself.
 */
void memory_region_destroy(MemoryRegion *mr);

void memory_region_set_readonly(MemoryRegion *mr, bool readonly);
/* Host pointer of a RAM/ROM region (or of an alias of one), else NULL. */
uint8_t *memory_region_get_ram_ptr(MemoryRegion *mr);

struct AddressSpace {
    const char *name;
    hwaddr size;           /* 2^64 for memory (size 0), 0x10000 for io */
    GPtrArray *regions;    /* mapped MemoryRegion *, any order */
    struct FlatView *view; /* rebuilt on change */
    uint64_t generation;   /* bumped on every change */
    uint64_t next_seq;
    GPtrArray *listeners; /* private (fn, opaque) entries */
};

extern AddressSpace address_space_memory;
extern AddressSpace address_space_io;

/*
 * (Re)initialises an address space; size 0 means the full 64-bit range.
 * Re-initialising a space unmaps everything first; its generation keeps
 * counting up.  The globals need no init.
 */
void address_space_init(AddressSpace *as, const char *name, hwaddr size);
/*
 * Unmaps everything and drops the listeners (used by tests and at exit);
 * call it before an initialised AddressSpace of your own goes away.
 */
void address_space_destroy(AddressSpace *as);

/*
 * Maps mr at base.  Errors: already mapped, out of the space's range, or
 * overlapping an enabled region of the same priority.
 */
bool address_space_map_region(AddressSpace *as, hwaddr base, MemoryRegion *mr,
                              int priority, Error **errp);
void address_space_unmap_region(MemoryRegion *mr);
/* Enabling or moving a mapped region re-checks the overlap rule. */
bool memory_region_set_enabled(MemoryRegion *mr, bool enabled, Error **errp);
bool memory_region_set_address(MemoryRegion *mr, hwaddr base, Error **errp);

/*
 * Called after every change of the map (flush cached translations), with
 * the new view in place.  A listener must not remove other listeners.
 */
typedef void AddressSpaceListener(void *opaque, AddressSpace *as);
void address_space_add_listener(AddressSpace *as, AddressSpaceListener *fn,
                                void *opaque);
void address_space_remove_listener(AddressSpace *as, AddressSpaceListener *fn,
                                   void *opaque);

/*
 * Sized access by value (little endian), for the CPU and for devices.
 * size is 1, 2, 4 or 8; the access may cross region boundaries (it is then
 * done byte by byte).
 */
uint64_t address_space_read_sized(AddressSpace *as, hwaddr addr, unsigned size);
void address_space_write_sized(AddressSpace *as, hwaddr addr, uint64_t val,
                               unsigned size);

/*
 * Buffer access of any length (DMA, loaders).  RAM is copied directly,
 * I/O regions are accessed in the largest valid pieces, ROM is written
 * only by address_space_write_rom (firmware loading), which skips I/O
 * regions and unassigned space.
 */
void address_space_read(AddressSpace *as, hwaddr addr, void *buf, hwaddr len);
void address_space_write(AddressSpace *as, hwaddr addr, const void *buf,
                         hwaddr len);
void address_space_write_rom(AddressSpace *as, hwaddr addr, const void *buf,
                             hwaddr len);

/*
 * Called after bytes of RAM or ROM at [addr, addr+len) in
 * address_space_memory were written through the functions above (devices,
 * DMA, loaders; not the CPU's TLB fast path), so the execution engine can
 * drop translated code there.  Set by accel/tcg; NULL means nobody cares.
 */
extern void (*address_space_ram_written)(hwaddr addr, hwaddr len);

/*
 * Fast path for the CPU's TLB: if addr is RAM or ROM, returns the host
 * pointer for it and sets *plen to the number of bytes that stay in the
 * same RAM block from addr, and *readonly; otherwise returns NULL.
 * plen and readonly may be NULL.
 */
uint8_t *address_space_get_ram_ptr(AddressSpace *as, hwaddr addr, hwaddr *plen,
                                   bool *readonly);

/*
 * The region (after resolving aliases) covering addr, and the offset in it
 * (offset may be NULL); NULL if addr is unassigned.
 */
MemoryRegion *address_space_lookup(AddressSpace *as, hwaddr addr,
                                   hwaddr *offset);

/* Prints the flat view (for "info mtree" and tests). */
void address_space_print(AddressSpace *as, GString *out);

/* Little-endian helpers for physical memory. */
static inline uint8_t ldub_phys(AddressSpace *as, hwaddr a)
{
    return address_space_read_sized(as, a, 1);
}
static inline uint16_t lduw_le_phys(AddressSpace *as, hwaddr a)
{
    return address_space_read_sized(as, a, 2);
}
static inline uint32_t ldl_le_phys(AddressSpace *as, hwaddr a)
{
    return address_space_read_sized(as, a, 4);
}
static inline uint64_t ldq_le_phys(AddressSpace *as, hwaddr a)
{
    return address_space_read_sized(as, a, 8);
}
static inline void stb_phys(AddressSpace *as, hwaddr a, uint8_t v)
{
    address_space_write_sized(as, a, v, 1);
}
static inline void stw_le_phys(AddressSpace *as, hwaddr a, uint16_t v)
{
    address_space_write_sized(as, a, v, 2);
}
static inline void stl_le_phys(AddressSpace *as, hwaddr a, uint32_t v)
{
    address_space_write_sized(as, a, v, 4);
}
static inline void stq_le_phys(AddressSpace *as, hwaddr a, uint64_t v)
{
    address_space_write_sized(as, a, v, 8);
}

#endif
