/*
 * Guest physical memory and I/O-port maps.
 *
 * Each address space keeps the regions mapped into it (any order) and a
 * flat view computed from them: sorted, non-overlapping ranges, each
 * naming the mapped region that wins there and the final (non-alias)
 * region and offset it resolves to.  The view is rebuilt from scratch on
 * every change of the map; changes are rare (boot, PCI BAR programming,
 * PAM registers) while lookups happen on every MMIO access and TLB fill,
 * so lookups are a binary search over the view and allocate nothing.
 *
 * A device callback may change the map (a write that moves a BAR), which
 * frees the view: code that calls into a device never touches a FlatRange
 * it looked up before the call.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/memory.h"

#include <sys/mman.h>

typedef struct FlatRange {
    hwaddr start;
    hwaddr last;          /* inclusive, so a range may end at 2^64 - 1 */
    MemoryRegion *mr;     /* the mapped region (possibly an alias) */
    MemoryRegion *target; /* after resolving aliases: RAM or I/O */
    hwaddr offset;        /* offset in target of start */
    uint8_t *host;        /* RAM: host address of start, else NULL */
    bool ram;
    bool readonly;
} FlatRange;

struct FlatView {
    size_t nr;
    FlatRange ranges[];
};

typedef struct ListenerEntry {
    AddressSpaceListener *fn;
    void *opaque;
} ListenerEntry;

/*
 * Statically initialised so that machine code and tests can map into them
 * without an explicit address_space_init(); the arrays are created on
 * first use.
 */
AddressSpace address_space_memory = { .name = "memory", .size = 0 };
AddressSpace address_space_io = { .name = "I/O", .size = 0x10000 };
void (*address_space_ram_written)(hwaddr addr, hwaddr len);

/* Guest RAM changed behind the CPU's back: tell the execution engine. */
static inline void ram_written(AddressSpace *as, hwaddr addr, hwaddr len)
{
    if (as == &address_space_memory && address_space_ram_written) {
        address_space_ram_written(addr, len);
    }
}

/*
 * Address spaces whose arrays exist: address_space_init() uses it to tell
 * a re-initialisation (free the old state) from a first one (the struct
 * may hold garbage), and memory_region_set_readonly() to find the views
 * that show a region.
 */
static GSList *known_spaces;

static const char *as_name(const AddressSpace *as)
{
    return as->name ? as->name : "?";
}

/* Last valid address of the space (inclusive). */
static hwaddr as_last(const AddressSpace *as)
{
    return as->size ? as->size - 1 : UINT64_MAX;
}

static void as_prepare(AddressSpace *as)
{
    if (!as->regions) {
        as->regions = g_ptr_array_new();
        as->listeners = g_ptr_array_new_with_free_func(g_free);
        if (!g_slist_find(known_spaces, as)) {
            known_spaces = g_slist_prepend(known_spaces, as);
        }
    }
}

/* ---- Regions ---- */

static void region_init_common(MemoryRegion *mr, const char *name,
                               MemoryRegionKind kind, uint64_t size)
{
    memset(mr, 0, sizeof(*mr));
    mr->name = g_strdup(name ? name : "anonymous");
    mr->kind = kind;
    mr->size = size;
    mr->enabled = true;
}

void memory_region_init_io(MemoryRegion *mr, const char *name,
                           const MemoryRegionOps *ops, void *opaque,
                           uint64_t size)
{
    region_init_common(mr, name, MR_KIND_IO, size);
    mr->ops = ops;
    mr->opaque = opaque;
}

/*
 * Guest RAM may be many GiB of which the guest touches little: reserve
 * address space only and let the kernel hand out zero pages on demand.
 */
bool memory_region_init_ram(MemoryRegion *mr, const char *name, uint64_t size,
                            Error **errp)
{
    void *p = NULL;

    if (size > SIZE_MAX) {
        memset(mr, 0, sizeof(*mr));
        error_setg_errno(errp, ENOMEM, "cannot set up guest memory '%s'", name);
        return false;
    }
    if (size) {
        p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            /*
             * Every other argument is fixed, so EINVAL (valgrind, some
             * kernels) also means the size is too big for this host.
             */
            int err = errno == EINVAL ? ENOMEM : errno;

            memset(mr, 0, sizeof(*mr));
            error_setg_errno(errp, err, "cannot set up guest memory '%s'",
                             name);
            return false;
        }
    }
    region_init_common(mr, name, MR_KIND_RAM, size);
    mr->ram_ptr = p;
    mr->ram_owned = p != NULL;
    return true;
}

bool memory_region_init_rom(MemoryRegion *mr, const char *name, uint64_t size,
                            Error **errp)
{
    if (!memory_region_init_ram(mr, name, size, errp)) {
        return false;
    }
    mr->readonly = true;
    return true;
}

void memory_region_init_ram_ptr(MemoryRegion *mr, const char *name,
                                uint64_t size, void *ptr)
{
    region_init_common(mr, name, MR_KIND_RAM, size);
    mr->ram_ptr = ptr;
}

void memory_region_init_alias(MemoryRegion *mr, const char *name,
                              MemoryRegion *orig, hwaddr offset, uint64_t size)
{
    /* A window outside its target is a bug in the machine code. */
    g_assert(orig && orig != mr);
    g_assert(offset <= orig->size && size <= orig->size - offset);
    region_init_common(mr, name, MR_KIND_ALIAS, size);
    mr->alias = orig;
    mr->alias_offset = offset;
}

void memory_region_destroy(MemoryRegion *mr)
{
    if (mr->as) {
        address_space_unmap_region(mr);
    }
    if (mr->ram_owned && mr->ram_ptr) {
        munmap(mr->ram_ptr, mr->size);
    }
    g_free(mr->name);
    /* Leaves a zeroed struct, so destroying twice is harmless. */
    memset(mr, 0, sizeof(*mr));
}

/* Resolves the alias chain; *offset is updated, *readonly accumulated. */
static MemoryRegion *region_resolve(MemoryRegion *mr, hwaddr *offset,
                                    bool *readonly)
{
    bool ro = mr->readonly;

    while (mr->kind == MR_KIND_ALIAS) {
        *offset += mr->alias_offset;
        mr = mr->alias;
        ro |= mr->readonly;
    }
    if (readonly) {
        *readonly = ro;
    }
    return mr;
}

static bool region_chain_contains(MemoryRegion *mr, MemoryRegion *which)
{
    for (;;) {
        if (mr == which) {
            return true;
        }
        if (mr->kind != MR_KIND_ALIAS) {
            return false;
        }
        mr = mr->alias;
    }
}

uint8_t *memory_region_get_ram_ptr(MemoryRegion *mr)
{
    hwaddr offset = 0;
    MemoryRegion *target = region_resolve(mr, &offset, NULL);

    if (target->kind != MR_KIND_RAM || !target->ram_ptr) {
        return NULL;
    }
    return target->ram_ptr + offset;
}

/* ---- Flat view ---- */

static int region_cmp_priority(gconstpointer a, gconstpointer b)
{
    const MemoryRegion *ra = *(MemoryRegion *const *)a;
    const MemoryRegion *rb = *(MemoryRegion *const *)b;

    /* Highest priority first; among equals the most recently mapped. */
    if (ra->priority != rb->priority) {
        return ra->priority > rb->priority ? -1 : 1;
    }
    if (ra->map_seq != rb->map_seq) {
        return ra->map_seq > rb->map_seq ? -1 : 1;
    }
    return 0;
}

static int hwaddr_cmp(gconstpointer a, gconstpointer b)
{
    hwaddr x = *(const hwaddr *)a;
    hwaddr y = *(const hwaddr *)b;

    return x < y ? -1 : x > y;
}

static hwaddr region_last(const MemoryRegion *mr)
{
    return mr->addr + mr->size - 1;
}

/*
 * Cuts the space at every region boundary; each elementary interval
 * belongs to the highest-priority enabled region covering it.  Quadratic
 * in the number of regions, which is fine for the few hundred a PC has.
 */
static struct FlatView *flatview_build(AddressSpace *as)
{
    GPtrArray *active = g_ptr_array_new();
    GArray *points = g_array_new(false, false, sizeof(hwaddr));
    GArray *ranges = g_array_new(false, false, sizeof(FlatRange));
    struct FlatView *view;

    for (guint i = 0; as->regions && i < as->regions->len; i++) {
        MemoryRegion *mr = g_ptr_array_index(as->regions, i);

        if (mr->enabled && mr->size) {
            hwaddr last = region_last(mr);

            g_ptr_array_add(active, mr);
            g_array_append_val(points, mr->addr);
            if (last != UINT64_MAX) {
                hwaddr end = last + 1;

                g_array_append_val(points, end);
            }
        }
    }
    g_ptr_array_sort(active, region_cmp_priority);
    g_array_sort(points, hwaddr_cmp);

    for (guint k = 0; k < points->len; k++) {
        hwaddr start = g_array_index(points, hwaddr, k);
        hwaddr last;
        MemoryRegion *winner = NULL;

        if (k + 1 < points->len) {
            hwaddr next = g_array_index(points, hwaddr, k + 1);

            if (next == start) {
                continue; /* duplicate point */
            }
            last = next - 1;
        } else {
            last = UINT64_MAX;
        }
        for (guint i = 0; i < active->len; i++) {
            MemoryRegion *mr = g_ptr_array_index(active, i);

            if (mr->addr <= start && start <= region_last(mr)) {
                winner = mr;
                break;
            }
        }
        if (!winner) {
            continue;
        }
        if (ranges->len) {
            FlatRange *prev =
                &g_array_index(ranges, FlatRange, ranges->len - 1);

            if (prev->mr == winner && prev->last + 1 == start) {
                prev->last = last;
                continue;
            }
        }

        FlatRange fr = { .start = start, .last = last, .mr = winner };

        fr.offset = start - winner->addr;
        fr.target = region_resolve(winner, &fr.offset, &fr.readonly);
        fr.ram = fr.target->kind == MR_KIND_RAM;
        if (fr.ram && fr.target->ram_ptr) {
            fr.host = fr.target->ram_ptr + fr.offset;
        }
        g_array_append_val(ranges, fr);
    }

    view = g_malloc(sizeof(*view) + ranges->len * sizeof(FlatRange));
    view->nr = ranges->len;
    if (ranges->len) {
        memcpy(view->ranges, ranges->data, ranges->len * sizeof(FlatRange));
    }
    g_array_free(ranges, true);
    g_array_free(points, true);
    g_ptr_array_free(active, true);
    return view;
}

/* Rebuilds the view and tells the listeners (TLB flush). */
static void as_commit(AddressSpace *as)
{
    struct FlatView *old = as->view;

    as->view = flatview_build(as);
    g_free(old);
    as->generation++;
    /*
     * By index, re-reading len: a listener must not remove others, but
     * adding one from a callback is harmless.
     */
    for (guint i = 0; as->listeners && i < as->listeners->len; i++) {
        ListenerEntry *l = g_ptr_array_index(as->listeners, i);

        l->fn(l->opaque, as);
    }
}

/*
 * Index of the last range starting at or below addr, or -1.  The caller
 * checks whether addr is inside it.
 */
static inline ptrdiff_t flatview_search(const struct FlatView *view,
                                        hwaddr addr)
{
    size_t lo = 0, hi = view->nr;

    /* Invariant: ranges[< lo].start <= addr < ranges[>= hi].start */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (view->ranges[mid].start <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return (ptrdiff_t)lo - 1;
}

static inline const FlatRange *as_find(const AddressSpace *as, hwaddr addr)
{
    const struct FlatView *view = as->view;
    ptrdiff_t i;

    if (!view) {
        return NULL;
    }
    i = flatview_search(view, addr);
    if (i >= 0 && addr <= view->ranges[i].last) {
        return &view->ranges[i];
    }
    return NULL;
}

/*
 * For an unassigned addr: how many bytes (at most len) stay unassigned.
 * len >= 1.
 */
static hwaddr as_unassigned_len(const AddressSpace *as, hwaddr addr, hwaddr len)
{
    const struct FlatView *view = as->view;
    size_t next;

    if (!view) {
        return len;
    }
    next = flatview_search(view, addr) + 1;
    if (next < view->nr && view->ranges[next].start - addr < len) {
        return view->ranges[next].start - addr;
    }
    return len;
}

/* Bytes (at most len, len >= 1) from addr to the end of fr. */
static hwaddr range_len(const FlatRange *fr, hwaddr addr, hwaddr len)
{
    hwaddr avail = fr->last - addr; /* minus one, so 2^64 cannot overflow */

    return len - 1 <= avail ? len : avail + 1;
}

/* ---- Mapping ---- */

static bool check_placement(AddressSpace *as, MemoryRegion *mr, hwaddr base,
                            Error **errp)
{
    hwaddr last = base + mr->size - 1;

    if (mr->size && (last < base || base > as_last(as) || last > as_last(as))) {
        error_setg(errp,
                   "cannot map '%s' at 0x%" HWADDR_PRIx " (size 0x%" PRIx64
                   "): beyond the end of %s (0x%" HWADDR_PRIx ")",
                   mr->name, base, mr->size, as_name(as), as_last(as));
        return false;
    }
    return true;
}

/* Same-priority overlap with another enabled region is a machine bug. */
static bool check_overlap(AddressSpace *as, MemoryRegion *mr, hwaddr base,
                          Error **errp)
{
    hwaddr last = base + mr->size - 1;

    if (!mr->enabled || !mr->size) {
        return true;
    }
    for (guint i = 0; as->regions && i < as->regions->len; i++) {
        MemoryRegion *o = g_ptr_array_index(as->regions, i);

        if (o == mr || !o->enabled || !o->size || o->priority != mr->priority) {
            continue;
        }
        if (base <= region_last(o) && o->addr <= last) {
            error_setg(errp,
                       "region '%s' at 0x%" HWADDR_PRIx "-0x%" HWADDR_PRIx
                       " overlaps region '%s' at 0x%" HWADDR_PRIx
                       "-0x%" HWADDR_PRIx " in %s (both priority %d)",
                       mr->name, base, last, o->name, o->addr, region_last(o),
                       as_name(as), mr->priority);
            return false;
        }
    }
    return true;
}

bool address_space_map_region(AddressSpace *as, hwaddr base, MemoryRegion *mr,
                              int priority, Error **errp)
{
    if (mr->as) {
        error_setg(errp,
                   "region '%s' is already mapped in %s at 0x%" HWADDR_PRIx,
                   mr->name, as_name(mr->as), mr->addr);
        return false;
    }
    if (!check_placement(as, mr, base, errp)) {
        return false;
    }
    /* check_overlap compares mr->priority, so set it first. */
    mr->priority = priority;
    if (!check_overlap(as, mr, base, errp)) {
        return false;
    }
    as_prepare(as);
    mr->as = as;
    mr->addr = base;
    mr->map_seq = as->next_seq++;
    g_ptr_array_add(as->regions, mr);
    as_commit(as);
    return true;
}

void address_space_unmap_region(MemoryRegion *mr)
{
    AddressSpace *as = mr->as;

    if (!as) {
        return;
    }
    g_ptr_array_remove(as->regions, mr);
    mr->as = NULL;
    as_commit(as);
}

bool memory_region_set_enabled(MemoryRegion *mr, bool enabled, Error **errp)
{
    if (mr->enabled == enabled) {
        return true;
    }
    if (!mr->as) {
        mr->enabled = enabled;
        return true;
    }
    if (enabled) {
        mr->enabled = true;
        if (!check_overlap(mr->as, mr, mr->addr, errp)) {
            mr->enabled = false;
            return false;
        }
    } else {
        mr->enabled = false;
    }
    as_commit(mr->as);
    return true;
}

bool memory_region_set_address(MemoryRegion *mr, hwaddr base, Error **errp)
{
    if (!mr->as) {
        error_setg(errp, "cannot move region '%s': it is not mapped", mr->name);
        return false;
    }
    if (base == mr->addr) {
        return true;
    }
    if (!check_placement(mr->as, mr, base, errp) ||
        !check_overlap(mr->as, mr, base, errp)) {
        return false;
    }
    mr->addr = base;
    as_commit(mr->as);
    return true;
}

void memory_region_set_readonly(MemoryRegion *mr, bool readonly)
{
    if (mr->readonly == readonly) {
        return;
    }
    mr->readonly = readonly;
    /* Views cache the flag: rebuild every space showing mr. */
    for (GSList *l = known_spaces; l; l = l->next) {
        AddressSpace *as = l->data;

        for (guint i = 0; i < as->regions->len; i++) {
            if (region_chain_contains(g_ptr_array_index(as->regions, i), mr)) {
                as_commit(as);
                break;
            }
        }
    }
}

/* ---- Address spaces ---- */

void address_space_init(AddressSpace *as, const char *name, hwaddr size)
{
    uint64_t generation = 0;

    if (as == &address_space_memory || as == &address_space_io ||
        g_slist_find(known_spaces, as)) {
        address_space_destroy(as);
        /* Keep counting, so a stale cached generation never matches. */
        generation = as->generation;
    }
    memset(as, 0, sizeof(*as));
    as->name = g_intern_string(name);
    as->size = size;
    as->generation = generation;
    as_prepare(as);
    as->view = flatview_build(as);
}

void address_space_destroy(AddressSpace *as)
{
    if (as->regions) {
        for (guint i = 0; i < as->regions->len; i++) {
            MemoryRegion *mr = g_ptr_array_index(as->regions, i);

            mr->as = NULL;
        }
        g_ptr_array_set_size(as->regions, 0);
        as_commit(as);
        g_ptr_array_free(as->regions, true);
        as->regions = NULL;
    }
    if (as->listeners) {
        g_ptr_array_free(as->listeners, true);
        as->listeners = NULL;
    }
    g_free(as->view);
    as->view = NULL;
    known_spaces = g_slist_remove(known_spaces, as);
}

void address_space_add_listener(AddressSpace *as, AddressSpaceListener *fn,
                                void *opaque)
{
    ListenerEntry *l = g_new(ListenerEntry, 1);

    as_prepare(as);
    l->fn = fn;
    l->opaque = opaque;
    g_ptr_array_add(as->listeners, l);
}

void address_space_remove_listener(AddressSpace *as, AddressSpaceListener *fn,
                                   void *opaque)
{
    for (guint i = 0; as->listeners && i < as->listeners->len; i++) {
        ListenerEntry *l = g_ptr_array_index(as->listeners, i);

        if (l->fn == fn && l->opaque == opaque) {
            g_ptr_array_remove_index(as->listeners, i);
            return;
        }
    }
}

/* ---- Access ---- */

static inline uint64_t size_mask(unsigned size)
{
    return size >= 8 ? UINT64_MAX : (UINT64_C(1) << (size * 8)) - 1;
}

static inline uint64_t ram_load(const uint8_t *p, unsigned size)
{
    uint16_t w;
    uint32_t l;
    uint64_t q;

    switch (size) {
    case 1:
        return p[0];
    case 2:
        memcpy(&w, p, 2);
        return GUINT16_FROM_LE(w);
    case 4:
        memcpy(&l, p, 4);
        return GUINT32_FROM_LE(l);
    default:
        memcpy(&q, p, 8);
        return GUINT64_FROM_LE(q);
    }
}

static inline void ram_store(uint8_t *p, uint64_t val, unsigned size)
{
    uint16_t w;
    uint32_t l;
    uint64_t q;

    switch (size) {
    case 1:
        p[0] = val;
        break;
    case 2:
        w = GUINT16_TO_LE(val);
        memcpy(p, &w, 2);
        break;
    case 4:
        l = GUINT32_TO_LE(val);
        memcpy(p, &l, 4);
        break;
    default:
        q = GUINT64_TO_LE(val);
        memcpy(p, &q, 8);
        break;
    }
}

static inline bool is_pow2_size(unsigned size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

/*
 * Checks an access against ops->valid; logs (guest_errors) and returns
 * false if the guest may not do it.
 */
static bool io_access_valid(AddressSpace *as, MemoryRegion *mr, hwaddr addr,
                            hwaddr offset, unsigned size, bool is_write)
{
    const MemoryRegionOps *ops = mr->ops;
    unsigned vmin = ops->valid.min_access_size ? ops->valid.min_access_size : 1;
    unsigned vmax = ops->valid.max_access_size ? ops->valid.max_access_size : 4;

    if (size < vmin || size > vmax) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: invalid %s of size %u at 0x%" HWADDR_PRIx
                      " (region '%s' offset 0x%" HWADDR_PRIx
                      "): sizes %u-%u only\n",
                      as_name(as), is_write ? "write" : "read", size, addr,
                      mr->name, offset, vmin, vmax);
        return false;
    }
    if (!ops->valid.unaligned && offset % size) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: misaligned %s of size %u at 0x%" HWADDR_PRIx
                      " (region '%s' offset 0x%" HWADDR_PRIx ")\n",
                      as_name(as), is_write ? "write" : "read", size, addr,
                      mr->name, offset);
        return false;
    }
    return true;
}

/*
 * The callbacks only see sizes in impl.* and offsets aligned to the size:
 * an access is covered by aligned chunks of clamp(size, impl.min,
 * impl.max) bytes, and each chunk contributes the bytes it overlaps.
 * For writes the bytes of a chunk outside the access are zero.
 */
static unsigned io_chunk_size(const MemoryRegionOps *ops, unsigned size)
{
    unsigned imin = ops->impl.min_access_size ? ops->impl.min_access_size : 1;
    unsigned imax = ops->impl.max_access_size ? ops->impl.max_access_size : 4;

    return size < imin ? imin : size > imax ? imax : size;
}

static uint64_t io_read(AddressSpace *as, MemoryRegion *mr, hwaddr addr,
                        hwaddr offset, unsigned size)
{
    const MemoryRegionOps *ops = mr->ops;
    hwaddr end = offset + size;
    unsigned a;
    uint64_t val = 0;

    if (!ops || !ops->read) {
        qemu_log_mask(LOG_UNIMP,
                      "%s: read of size %u at 0x%" HWADDR_PRIx
                      " from write-only region '%s'\n",
                      as_name(as), size, addr, mr->name);
        return size_mask(size);
    }
    if (!io_access_valid(as, mr, addr, offset, size, false)) {
        return size_mask(size);
    }
    a = io_chunk_size(ops, size);
    if (a == size && offset % a == 0) {
        return ops->read(mr->opaque, offset, size) & size_mask(size);
    }
    for (hwaddr c = QEMU_ALIGN_DOWN(offset, a); c < end; c += a) {
        hwaddr lo = MAX(c, offset);
        hwaddr hi = MIN(c + a, end);
        uint64_t v = ops->read(mr->opaque, c, a);

        v = (v >> ((lo - c) * 8)) & size_mask(hi - lo);
        val |= v << ((lo - offset) * 8);
    }
    return val;
}

static void io_write(AddressSpace *as, MemoryRegion *mr, hwaddr addr,
                     hwaddr offset, uint64_t val, unsigned size)
{
    const MemoryRegionOps *ops = mr->ops;
    hwaddr end = offset + size;
    unsigned a;

    if (!ops || !ops->write) {
        qemu_log_mask(LOG_UNIMP,
                      "%s: write of size %u at 0x%" HWADDR_PRIx
                      " to read-only region '%s'\n",
                      as_name(as), size, addr, mr->name);
        return;
    }
    if (!io_access_valid(as, mr, addr, offset, size, true)) {
        return;
    }
    val &= size_mask(size);
    a = io_chunk_size(ops, size);
    if (a == size && offset % a == 0) {
        ops->write(mr->opaque, offset, val, size);
        return;
    }
    for (hwaddr c = QEMU_ALIGN_DOWN(offset, a); c < end; c += a) {
        hwaddr lo = MAX(c, offset);
        hwaddr hi = MIN(c + a, end);
        uint64_t v = (val >> ((lo - offset) * 8)) & size_mask(hi - lo);

        ops->write(mr->opaque, c, v << ((lo - c) * 8), a);
    }
}

static void log_unassigned(AddressSpace *as, hwaddr addr, hwaddr len,
                           bool is_write)
{
    qemu_log_mask(LOG_UNIMP,
                  "%s: unassigned %s of size %" PRIu64 " at 0x%" HWADDR_PRIx
                  "\n",
                  as_name(as), is_write ? "write" : "read", len, addr);
}

static void log_rom_write(AddressSpace *as, const FlatRange *fr, hwaddr addr,
                          hwaddr len)
{
    qemu_log_mask(LOG_GUEST_ERROR,
                  "%s: write of size %" PRIu64 " at 0x%" HWADDR_PRIx
                  " to ROM '%s' ignored\n",
                  as_name(as), len, addr, fr->mr->name);
}

/* Whether [addr, addr + size) is not inside one range (or one hole). */
static bool access_straddles(AddressSpace *as, const FlatRange *fr, hwaddr addr,
                             unsigned size)
{
    if (addr + (size - 1) < addr) {
        return true; /* runs off the top of the 64-bit space */
    }
    if (fr) {
        return addr + (size - 1) > fr->last;
    }
    return as_unassigned_len(as, addr, size) < size;
}

uint64_t address_space_read_sized(AddressSpace *as, hwaddr addr, unsigned size)
{
    const FlatRange *fr;
    uint64_t val = 0;

    g_assert(size >= 1 && size <= 8);
    fr = as_find(as, addr);
    if (unlikely(!is_pow2_size(size) || access_straddles(as, fr, addr, size))) {
        for (unsigned i = 0; i < size; i++) {
            uint64_t b = addr + i < addr
                             ? 0xff
                             : address_space_read_sized(as, addr + i, 1);

            val |= b << (i * 8);
        }
        return val;
    }
    if (likely(fr && fr->host)) {
        return ram_load(fr->host + (addr - fr->start), size);
    }
    if (fr && !fr->ram) {
        return io_read(as, fr->target, addr, fr->offset + (addr - fr->start),
                       size);
    }
    /* Unassigned (or RAM wrapping NULL host memory, a machine bug). */
    log_unassigned(as, addr, size, false);
    return size_mask(size);
}

void address_space_write_sized(AddressSpace *as, hwaddr addr, uint64_t val,
                               unsigned size)
{
    const FlatRange *fr;

    g_assert(size >= 1 && size <= 8);
    fr = as_find(as, addr);
    if (unlikely(!is_pow2_size(size) || access_straddles(as, fr, addr, size))) {
        for (unsigned i = 0; i < size; i++) {
            if (addr + i < addr) {
                log_unassigned(as, addr + i, 1, true);
                continue;
            }
            address_space_write_sized(as, addr + i, (val >> (i * 8)) & 0xff, 1);
        }
        return;
    }
    if (likely(fr && fr->host)) {
        if (unlikely(fr->readonly)) {
            log_rom_write(as, fr, addr, size);
            return;
        }
        ram_store(fr->host + (addr - fr->start), val, size);
        ram_written(as, addr, size);
        return;
    }
    if (fr && !fr->ram) {
        io_write(as, fr->target, addr, fr->offset + (addr - fr->start), val,
                 size);
        return;
    }
    log_unassigned(as, addr, size, true);
}

/*
 * Largest piece for a buffer access to an I/O region: a power of two no
 * bigger than len or the valid maximum, aligned in the region.  If the
 * region's minimum is bigger, the piece is invalid and gets logged.
 */
static unsigned io_piece_size(const MemoryRegion *mr, hwaddr offset, hwaddr len)
{
    unsigned vmax = 4;
    unsigned s;

    if (mr->ops && mr->ops->valid.max_access_size) {
        vmax = mr->ops->valid.max_access_size;
    }
    for (s = 8; s > 1; s /= 2) {
        if (s <= len && s <= vmax && offset % s == 0) {
            break;
        }
    }
    return s;
}

typedef enum BufOp {
    BUF_READ,
    BUF_WRITE,
    BUF_WRITE_ROM,
} BufOp;

static void address_space_rw(AddressSpace *as, hwaddr addr, uint8_t *buf,
                             hwaddr len, BufOp op)
{
    while (len) {
        const FlatRange *fr = as_find(as, addr);
        hwaddr n;

        if (!fr || (fr->ram && !fr->host)) {
            n = fr ? range_len(fr, addr, len)
                   : as_unassigned_len(as, addr, len);
            if (op != BUF_WRITE_ROM) {
                log_unassigned(as, addr, n, op != BUF_READ);
            }
            if (op == BUF_READ) {
                memset(buf, 0xff, n);
            }
        } else if (fr->ram) {
            uint8_t *host = fr->host + (addr - fr->start);

            n = range_len(fr, addr, len);
            if (op == BUF_READ) {
                memcpy(buf, host, n);
            } else if (op == BUF_WRITE_ROM || !fr->readonly) {
                memcpy(host, buf, n);
                ram_written(as, addr, n);
            } else {
                log_rom_write(as, fr, addr, n);
            }
        } else if (op == BUF_WRITE_ROM) {
            /* Loaders write images; devices are not theirs to poke. */
            n = range_len(fr, addr, len);
        } else {
            /* fr dies if the device remaps: take what we need first. */
            MemoryRegion *mr = fr->target;
            hwaddr offset = fr->offset + (addr - fr->start);
            unsigned s = io_piece_size(mr, offset, range_len(fr, addr, len));

            n = s;
            if (op == BUF_READ) {
                ram_store(buf, io_read(as, mr, addr, offset, s), s);
            } else {
                io_write(as, mr, addr, offset, ram_load(buf, s), s);
            }
        }
        buf += n;
        len -= n;
        addr += n; /* wraps only when len reaches 0 */
    }
}

void address_space_read(AddressSpace *as, hwaddr addr, void *buf, hwaddr len)
{
    address_space_rw(as, addr, buf, len, BUF_READ);
}

void address_space_write(AddressSpace *as, hwaddr addr, const void *buf,
                         hwaddr len)
{
    /* The buffer is only read for writes. */
    address_space_rw(as, addr, (uint8_t *)buf, len, BUF_WRITE);
}

void address_space_write_rom(AddressSpace *as, hwaddr addr, const void *buf,
                             hwaddr len)
{
    address_space_rw(as, addr, (uint8_t *)buf, len, BUF_WRITE_ROM);
}

uint8_t *address_space_get_ram_ptr(AddressSpace *as, hwaddr addr, hwaddr *plen,
                                   bool *readonly)
{
    const FlatRange *fr = as_find(as, addr);

    if (!fr || !fr->host) {
        return NULL;
    }
    if (plen) {
        *plen = fr->last - addr + 1;
    }
    if (readonly) {
        *readonly = fr->readonly;
    }
    return fr->host + (addr - fr->start);
}

MemoryRegion *address_space_lookup(AddressSpace *as, hwaddr addr,
                                   hwaddr *offset)
{
    const FlatRange *fr = as_find(as, addr);

    if (!fr) {
        return NULL;
    }
    if (offset) {
        *offset = fr->offset + (addr - fr->start);
    }
    return fr->target;
}

static const char *range_kind(const FlatRange *fr)
{
    if (!fr->ram) {
        return "i/o";
    }
    return fr->readonly ? "rom" : "ram";
}

void address_space_print(AddressSpace *as, GString *out)
{
    const struct FlatView *view = as->view;

    g_string_append_printf(out, "address-space: %s\n", as_name(as));
    for (size_t i = 0; view && i < view->nr; i++) {
        const FlatRange *fr = &view->ranges[i];

        g_string_append_printf(
            out, "  %016" HWADDR_PRIx "-%016" HWADDR_PRIx " (prio %d, %s): %s",
            fr->start, fr->last, fr->mr->priority, range_kind(fr),
            fr->mr->name);
        if (fr->mr != fr->target) {
            g_string_append_printf(out, " (alias of %s @0x%" HWADDR_PRIx ")",
                                   fr->target->name, fr->offset);
        } else if (fr->start != fr->mr->addr) {
            g_string_append_printf(out, " @0x%" HWADDR_PRIx, fr->offset);
        }
        g_string_append_c(out, '\n');
    }
}
