/*
 * The software TLB: slow paths of guest memory access, MMIO dispatch,
 * write protection of pages holding translated code (see cpu-ldst.h).
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/memory.h"
#include "exec/cpu-ldst.h"
#include "accel/tcg/tb.h"

static void entry_invalidate(CPUTLBEntry *e, CPUTLBExtra *x)
{
    e->addr_read = e->addr_write = e->addr_code = -1;
    e->addend = 0;
    x->valid = false;
}

static void tlb_entry_invalidate(CPUX86State *env, int mmu_idx, int i)
{
    entry_invalidate(&env->tlb[mmu_idx][i], &env->tlb_extra[mmu_idx][i]);
}

/* Drops the victim entries for which drop(x, arg) holds. */
static void victim_invalidate(CPUX86State *env,
                              bool (*drop)(CPUTLBExtra *x, uint64_t arg),
                              uint64_t arg)
{
    for (int m = 0; m < NB_MMU_MODES; m++) {
        for (int i = 0; i < TLB_VICTIM; i++) {
            CPUTLBExtra *x = &env->tlb_v_extra[m][i];
            if (x->valid && drop(x, arg)) {
                entry_invalidate(&env->tlb_v[m][i], x);
            }
        }
    }
}

static bool drop_all(CPUTLBExtra *x, uint64_t arg)
{
    return true;
}

static bool drop_nonglobal(CPUTLBExtra *x, uint64_t arg)
{
    return !x->global;
}

static bool drop_page(CPUTLBExtra *x, uint64_t addr)
{
    return ((x->vaddr ^ addr) & ~x->page_mask & ~0xfffull) == 0;
}

/*
 * On a miss: if the victim TLB holds the page with the permission
 * needed, swap it back into its direct-mapped slot.
 */
bool tlb_victim_fill(CPUX86State *env, int mmu_idx, uint64_t addr, int need)
{
    uint64_t page = addr & ~0xfffull;
    int i = (addr >> 12) & (TLB_SIZE - 1);

    for (int v = 0; v < TLB_VICTIM; v++) {
        CPUTLBExtra *vx = &env->tlb_v_extra[mmu_idx][v];

        if (vx->valid && vx->vaddr == page && (vx->prot & need)) {
            CPUTLBEntry te = env->tlb[mmu_idx][i];
            CPUTLBExtra tx = env->tlb_extra[mmu_idx][i];

            env->tlb[mmu_idx][i] = env->tlb_v[mmu_idx][v];
            env->tlb_extra[mmu_idx][i] = *vx;
            env->tlb_v[mmu_idx][v] = te;
            *vx = tx;
            return true;
        }
    }
    return false;
}

void tlb_flush(CPUX86State *env)
{
    for (int m = 0; m < NB_MMU_MODES; m++) {
        for (int i = 0; i < TLB_SIZE; i++) {
            tlb_entry_invalidate(env, m, i);
        }
    }
    victim_invalidate(env, drop_all, 0);
    tb_jmp_cache_clear(env);
    env->tlb_gen++;
}

void tlb_flush_nonglobal(CPUX86State *env)
{
    for (int m = 0; m < NB_MMU_MODES; m++) {
        for (int i = 0; i < TLB_SIZE; i++) {
            if (!env->tlb_extra[m][i].global) {
                tlb_entry_invalidate(env, m, i);
            }
        }
    }
    victim_invalidate(env, drop_nonglobal, 0);
    tb_jmp_cache_clear(env);
    env->tlb_gen++;
}

void tlb_flush_page(CPUX86State *env, uint64_t addr)
{
    /*
     * Large pages are entered 4 KiB at a time, so INVLPG of any address
     * in one drops all its pieces (global or not, SDM vol. 3, 4.10.4.1).
     */
    for (int m = 0; m < NB_MMU_MODES; m++) {
        for (int i = 0; i < TLB_SIZE; i++) {
            CPUTLBExtra *x = &env->tlb_extra[m][i];
            if (x->valid &&
                ((x->vaddr ^ addr) & ~x->page_mask & ~0xfffull) == 0) {
                tlb_entry_invalidate(env, m, i);
            }
        }
    }
    victim_invalidate(env, drop_page, addr);
    /* The jump cache maps linear PCs to code: it may be stale now. */
    tb_jmp_cache_clear(env);
    env->tlb_gen++;
}

void tlb_set_page(CPUX86State *env, uint64_t vaddr, hwaddr paddr, int prot,
                  int mmu_idx, bool global, uint64_t page_mask)
{
    int i = (vaddr >> 12) & (TLB_SIZE - 1);
    CPUTLBEntry *e = &env->tlb[mmu_idx][i];
    CPUTLBExtra *x = &env->tlb_extra[mmu_idx][i];
    hwaddr len;
    bool readonly;
    uint8_t *host;

    vaddr &= ~0xfffull;
    paddr &= ~0xfffull;
    if (x->valid && x->vaddr != vaddr) {
        /* Keep the evicted translation in the victim TLB. */
        int v = env->tlb_v_next[mmu_idx]++ % TLB_VICTIM;
        env->tlb_v[mmu_idx][v] = *e;
        env->tlb_v_extra[mmu_idx][v] = *x;
    }
    host = address_space_get_ram_ptr(&address_space_memory, paddr, &len,
                                     &readonly);
    if (host && len < 0x1000) {
        host = NULL; /* RAM ends inside the page: use the slow path */
    }
    x->valid = true;
    x->vaddr = vaddr;
    x->phys = paddr;
    x->prot = prot;
    x->global = global;
    x->ram = host != NULL;
    x->readonly = readonly;
    x->page_mask = page_mask;
    e->addend = host ? (uintptr_t)host - vaddr : 0;
    e->addr_read = (host && (prot & PAGE_READ)) ? vaddr : (uint64_t)-1;
    e->addr_code = (host && (prot & PAGE_EXEC)) ? vaddr : (uint64_t)-1;
    e->addr_write = (host && (prot & PAGE_WRITE) && !readonly &&
                     !tb_page_has_code(paddr) && !env->watch_data)
                        ? vaddr
                        : (uint64_t)-1;
    if (env->watch_data) {
        /* Data breakpoints: every data access goes through the checks. */
        e->addr_read = (uint64_t)-1;
    }
}

void tlb_protect_code(CPUX86State *env, hwaddr phys)
{
    phys &= ~0xfffull;
    for (int m = 0; m < NB_MMU_MODES; m++) {
        for (int i = 0; i < TLB_SIZE; i++) {
            CPUTLBExtra *x = &env->tlb_extra[m][i];
            if (x->valid && x->phys == phys) {
                env->tlb[m][i].addr_write = -1;
            }
        }
        for (int i = 0; i < TLB_VICTIM; i++) {
            CPUTLBExtra *x = &env->tlb_v_extra[m][i];
            if (x->valid && x->phys == phys) {
                env->tlb_v[m][i].addr_write = -1;
            }
        }
    }
}

/* The entry for addr after making sure it is filled for access. */
static CPUTLBExtra *tlb_get(CPUX86State *env, uint64_t addr,
                            MMUAccessType access, int mmu_idx)
{
    int i = (addr >> 12) & (TLB_SIZE - 1);
    CPUTLBExtra *x = &env->tlb_extra[mmu_idx][i];
    int need = access == MMU_DATA_STORE   ? PAGE_WRITE
               : access == MMU_INST_FETCH ? PAGE_EXEC
                                          : PAGE_READ;

    if ((!x->valid || x->vaddr != (addr & ~0xfffull) || !(x->prot & need)) &&
        !tlb_victim_fill(env, mmu_idx, addr, need)) {
        x86_tlb_fill(env, addr, access, mmu_idx);
    }
    return x;
}

static uint64_t ld_page(CPUX86State *env, uint64_t addr, int size, int mmu_idx,
                        MMUAccessType access)
{
    CPUTLBExtra *x = tlb_get(env, addr, access, mmu_idx);
    CPUTLBEntry *e = tlb_entry(env, mmu_idx, addr);
    hwaddr pa = x->phys | (addr & 0xfff);

    if (env->watch_data) {
        /* Data breakpoints see the bytes actually accessed. */
        x86_check_data_breakpoint(env, addr, size, access);
    }
    if (x->ram) {
        return ld_le_p((void *)(e->addend + addr), size);
    }
    /* MMIO: a device may raise an interrupt; end the block after this. */
    env->exit_tb = true;
    return address_space_read_sized(&address_space_memory, pa, size);
}

uint64_t cpu_ld_slow(CPUX86State *env, uint64_t addr, int size, int mmu_idx,
                     MMUAccessType access)
{
    if ((addr & 0xfff) + size > 0x1000) {
        /*
         * Straddles two pages: translate both (faults in order), then
         * read the two parts.
         */
        int n1 = 0x1000 - (addr & 0xfff);
        uint64_t lo, hi;

        tlb_get(env, addr, access, mmu_idx);
        tlb_get(env, addr + n1, access, mmu_idx);
        lo = 0;
        hi = 0;
        for (int i = 0; i < n1; i++) {
            lo |= ld_page(env, addr + i, 1, mmu_idx, access) << (8 * i);
        }
        for (int i = 0; i < size - n1; i++) {
            hi |= ld_page(env, addr + n1 + i, 1, mmu_idx, access) << (8 * i);
        }
        return lo | (hi << (8 * n1));
    }
    return ld_page(env, addr, size, mmu_idx, access);
}

static void st_page(CPUX86State *env, uint64_t addr, uint64_t val, int size,
                    int mmu_idx)
{
    CPUTLBExtra *x = tlb_get(env, addr, MMU_DATA_STORE, mmu_idx);
    CPUTLBEntry *e = tlb_entry(env, mmu_idx, addr);
    hwaddr pa = x->phys | (addr & 0xfff);

    if (env->watch_data) {
        x86_check_data_breakpoint(env, addr, size, MMU_DATA_STORE);
    }
    if (x->ram && !x->readonly) {
        if (tb_page_has_code(x->phys)) {
            /*
             * Self-modifying code: drop the translations of this page and
             * leave the current block after this instruction, so the next
             * instruction is decoded from the new bytes.
             */
            tb_invalidate_phys_range(pa, size);
            env->exit_tb = true;
        }
        st_le_p((void *)(e->addend + addr), val, size);
        if (!env->watch_data && (x->prot & PAGE_WRITE)) {
            e->addr_write = x->vaddr; /* the fast path is safe again */
        }
        return;
    }
    env->exit_tb = true;
    address_space_write_sized(&address_space_memory, pa, val, size);
}

void cpu_st_slow(CPUX86State *env, uint64_t addr, uint64_t val, int size,
                 int mmu_idx)
{
    if ((addr & 0xfff) + size > 0x1000) {
        int n1 = 0x1000 - (addr & 0xfff);

        /* Both pages must be writable before either is written. */
        tlb_get(env, addr, MMU_DATA_STORE, mmu_idx);
        tlb_get(env, addr + n1, MMU_DATA_STORE, mmu_idx);
        for (int i = 0; i < size; i++) {
            st_page(env, addr + i, val >> (8 * i), 1, mmu_idx);
        }
        return;
    }
    st_page(env, addr, val, size, mmu_idx);
}

void cpu_probe_write(CPUX86State *env, uint64_t addr, int size, int mmu_idx)
{
    tlb_get(env, addr, MMU_DATA_STORE, mmu_idx);
    if ((addr & 0xfff) + size > 0x1000) {
        tlb_get(env, (addr & ~0xfffull) + 0x1000, MMU_DATA_STORE, mmu_idx);
    }
}
