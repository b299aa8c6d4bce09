/*
 * Guest memory access from instruction handlers: the software TLB fast
 * path inline, the rest in accel/tcg/cputlb.c.
 *
 * Addresses here are linear (segmentation already applied); mmu_idx says
 * which privilege's permissions apply (MMU_USER_IDX for CPL 3 accesses,
 * MMU_KSMAP_IDX for supervisor and implicit system accesses such as
 * descriptor tables, the IDT and the TSS).
 */
#ifndef EXEC_CPU_LDST_H
#define EXEC_CPU_LDST_H

#include "target/i386/cpu.h"

uint64_t cpu_ld_slow(CPUX86State *env, uint64_t addr, int size, int mmu_idx,
                     MMUAccessType access);
void cpu_st_slow(CPUX86State *env, uint64_t addr, uint64_t val, int size,
                 int mmu_idx);

static QEMU_ALWAYS_INLINE uint64_t ld_le_p(const void *p, int size)
{
    switch (size) {
    case 1:
        return *(const uint8_t *)p;
    case 2: {
        uint16_t v;
        memcpy(&v, p, 2);
        return v;
    }
    case 4: {
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    default: {
        uint64_t v;
        memcpy(&v, p, 8);
        return v;
    }
    }
}

static QEMU_ALWAYS_INLINE void st_le_p(void *p, uint64_t v, int size)
{
    switch (size) {
    case 1:
        *(uint8_t *)p = v;
        break;
    case 2: {
        uint16_t x = v;
        memcpy(p, &x, 2);
        break;
    }
    case 4: {
        uint32_t x = v;
        memcpy(p, &x, 4);
        break;
    }
    default:
        memcpy(p, &v, 8);
        break;
    }
}

static QEMU_ALWAYS_INLINE CPUTLBEntry *tlb_entry(CPUX86State *env, int mmu_idx,
                                                 uint64_t addr)
{
    return &env->tlb[mmu_idx][(addr >> 12) & (TLB_SIZE - 1)];
}

/* Loads size (1, 2, 4, 8) bytes at linear address addr. */
static QEMU_ALWAYS_INLINE uint64_t cpu_ld_lin(CPUX86State *env, uint64_t addr,
                                              int size, int mmu_idx)
{
    CPUTLBEntry *e = tlb_entry(env, mmu_idx, addr);

    if (likely(e->addr_read == (addr & ~0xfffull) &&
               (addr & 0xfff) <= 0x1000u - size)) {
        return ld_le_p((void *)(e->addend + addr), size);
    }
    return cpu_ld_slow(env, addr, size, mmu_idx, MMU_DATA_LOAD);
}

/*
 * A load that will be followed by a store to the same place (the read
 * half of a read-modify-write): it faults as a write would (#PF W=1, a
 * read-only segment) so nothing is read from a place that cannot be
 * written.
 */
static QEMU_ALWAYS_INLINE uint64_t cpu_ld_lin_rmw(CPUX86State *env,
                                                  uint64_t addr, int size,
                                                  int mmu_idx)
{
    CPUTLBEntry *e = tlb_entry(env, mmu_idx, addr);

    if (likely(e->addr_write == (addr & ~0xfffull) &&
               (addr & 0xfff) <= 0x1000u - size)) {
        return ld_le_p((void *)(e->addend + addr), size);
    }
    return cpu_ld_slow(env, addr, size, mmu_idx, MMU_DATA_STORE);
}

static QEMU_ALWAYS_INLINE void cpu_st_lin(CPUX86State *env, uint64_t addr,
                                          uint64_t val, int size, int mmu_idx)
{
    CPUTLBEntry *e = tlb_entry(env, mmu_idx, addr);

    if (likely(e->addr_write == (addr & ~0xfffull) &&
               (addr & 0xfff) <= 0x1000u - size)) {
        st_le_p((void *)(e->addend + addr), val, size);
        return;
    }
    cpu_st_slow(env, addr, val, size, mmu_idx);
}

/*
 * Checks that size bytes at addr can be written (raising #PF if not)
 * without writing: for instructions that must not store anything unless
 * every store will succeed.
 */
void cpu_probe_write(CPUX86State *env, uint64_t addr, int size, int mmu_idx);

/* Supervisor-mode (implicit system) accesses. */
static inline uint32_t cpu_ldl_kernel(CPUX86State *env, uint64_t addr)
{
    return cpu_ld_lin(env, addr, 4, MMU_KSMAP_IDX);
}
static inline uint16_t cpu_lduw_kernel(CPUX86State *env, uint64_t addr)
{
    return cpu_ld_lin(env, addr, 2, MMU_KSMAP_IDX);
}
static inline uint8_t cpu_ldub_kernel(CPUX86State *env, uint64_t addr)
{
    return cpu_ld_lin(env, addr, 1, MMU_KSMAP_IDX);
}
static inline uint64_t cpu_ldq_kernel(CPUX86State *env, uint64_t addr)
{
    return cpu_ld_lin(env, addr, 8, MMU_KSMAP_IDX);
}
static inline void cpu_stl_kernel(CPUX86State *env, uint64_t addr, uint32_t v)
{
    cpu_st_lin(env, addr, v, 4, MMU_KSMAP_IDX);
}
static inline void cpu_stw_kernel(CPUX86State *env, uint64_t addr, uint16_t v)
{
    cpu_st_lin(env, addr, v, 2, MMU_KSMAP_IDX);
}
static inline void cpu_stb_kernel(CPUX86State *env, uint64_t addr, uint8_t v)
{
    cpu_st_lin(env, addr, v, 1, MMU_KSMAP_IDX);
}
static inline void cpu_stq_kernel(CPUX86State *env, uint64_t addr, uint64_t v)
{
    cpu_st_lin(env, addr, v, 8, MMU_KSMAP_IDX);
}

/* ---- TLB management (accel/tcg/cputlb.c) ---- */
void tlb_flush(CPUX86State *env);
/* Flushes everything but global pages (a CR3 write with CR4.PGE). */
void tlb_flush_nonglobal(CPUX86State *env);
void tlb_flush_page(CPUX86State *env, uint64_t addr);
/*
 * Installs a translation: the 4 KiB page at vaddr maps to physical page
 * paddr with the given permissions (PAGE_READ/WRITE/EXEC bits);
 * page_mask says how large the guest page it belongs to is (0xfff,
 * 0x1fffff, 0x3fffff) so INVLPG of any address in it drops the entry.
 */
#define PAGE_READ  1
#define PAGE_WRITE 2
#define PAGE_EXEC  4
void tlb_set_page(CPUX86State *env, uint64_t vaddr, hwaddr paddr, int prot,
                  int mmu_idx, bool global, uint64_t page_mask);

/*
 * Translated code now lives on physical page phys: make guest writes to
 * it take the slow path, which invalidates the code before writing.
 */
void tlb_protect_code(CPUX86State *env, hwaddr phys);
/* On a miss: brings the page back from the victim TLB if it is there
 * with the permission need (PAGE_*); false if not. */
bool tlb_victim_fill(CPUX86State *env, int mmu_idx, uint64_t addr, int need);

#endif
