/*
 * Address translation: the paging modes of SDM vol. 3, chapter 4
 * (32-bit with PSE and PSE-36, PAE, 4-level), filling the software TLB,
 * and page faults.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/memory.h"
#include "exec/cpu-ldst.h"
#include "target/i386/cpu.h"

/* Physical address width of the qemu64 model (CPUID 8000_0008). */
#define PHYS_ADDR_BITS 40
#define PHYS_ADDR_MASK ((1ull << PHYS_ADDR_BITS) - 1)

static inline hwaddr a20(CPUX86State *env, hwaddr pa)
{
    return env->a20_mask_bit ? pa : pa & ~(hwaddr)(1 << 20);
}

static uint64_t pte_load(CPUX86State *env, hwaddr pa, bool wide)
{
    pa = a20(env, pa);
    return wide ? ldq_le_phys(&address_space_memory, pa)
                : ldl_le_phys(&address_space_memory, pa);
}

static void pte_set_bits(CPUX86State *env, bool probe, hwaddr pa, uint64_t pte,
                         uint64_t bits, bool wide)
{
    /* A debugger's probe must not change guest memory. */
    if ((pte & bits) == bits || probe) {
        return;
    }
    pa = a20(env, pa);
    /* Only the low dword holds A and D. */
    stl_le_phys(&address_space_memory, pa, (uint32_t)(pte | bits));
    (void)wide;
}

typedef struct Walk {
    hwaddr pa;          /* physical address of the byte accessed */
    uint64_t page_mask; /* 0xfff, 0x1fffff, 0x3fffff */
    int prot;
    bool global;
    uint32_t error_code; /* for #PF, if the walk fails */
    bool probe;          /* no side effects (no A/D updates) */
} Walk;

/*
 * The permission bits accumulate across levels: user access needs U at
 * every level, writes need R/W at every level (SDM vol. 3, 4.6).
 */
typedef struct Perm {
    bool user;
    bool write;
    bool nx;
} Perm;

static bool walk_fail(Walk *w, uint32_t err)
{
    w->error_code = err;
    return false;
}

static bool check_perm(CPUX86State *env, Walk *w, const Perm *p,
                       MMUAccessType access, bool user_access, uint32_t err)
{
    bool wp = env->cr[0] & CR0_WP_MASK;

    if (user_access && !p->user) {
        return walk_fail(w, err | PG_ERROR_P_MASK);
    }
    if (access == MMU_DATA_STORE && !p->write && (user_access || wp)) {
        return walk_fail(w, err | PG_ERROR_P_MASK);
    }
    if (access == MMU_INST_FETCH && p->nx) {
        return walk_fail(w, err | PG_ERROR_P_MASK);
    }
    w->prot = PAGE_READ;
    if (p->write || (!user_access && !wp)) {
        w->prot |= PAGE_WRITE;
    }
    if (!p->nx) {
        w->prot |= PAGE_EXEC;
    }
    return true;
}

static void perm_add(Perm *p, uint64_t e, bool nxe)
{
    p->user &= !!(e & PG_USER_MASK);
    p->write &= !!(e & PG_RW_MASK);
    if (nxe && (e & PG_NX_MASK)) {
        p->nx = true;
    }
}

/* 32-bit paging (CR4.PAE = 0), SDM vol. 3, 4.3. */
static bool walk32(CPUX86State *env, uint64_t addr, MMUAccessType access,
                   bool user_access, uint32_t err, Walk *w)
{
    Perm p = { true, true, false };
    hwaddr pde_addr = (env->cr[3] & ~0xfffull) + ((addr >> 20) & 0xffc);
    uint64_t pde = pte_load(env, pde_addr, false);
    hwaddr pte_addr;
    uint64_t pte;

    if (!(pde & PG_PRESENT_MASK)) {
        return walk_fail(w, err);
    }
    perm_add(&p, pde, false);
    if ((pde & PG_PSE_MASK) && (env->cr[4] & CR4_PSE_MASK)) {
        /* 4 MiB page; PSE-36 puts PA bits 32-39 in PDE bits 13-20. */
        if (pde & (1u << 21)) {
            return walk_fail(w, err | PG_ERROR_P_MASK | PG_ERROR_RSVD_MASK);
        }
        if (!check_perm(env, w, &p, access, user_access, err)) {
            return false;
        }
        pte_set_bits(env, w->probe, pde_addr, pde,
                     PG_ACCESSED_MASK |
                         (access == MMU_DATA_STORE ? PG_DIRTY_MASK : 0),
                     false);
        if (!(pde & PG_DIRTY_MASK) && access != MMU_DATA_STORE) {
            w->prot &= ~PAGE_WRITE; /* a write must set D first */
        }
        w->pa = (pde & 0xffc00000) | ((pde & 0x1fe000ull) << 19) |
                (addr & 0x3fffff);
        w->page_mask = 0x3fffff;
        w->global = (pde & PG_GLOBAL_MASK) && (env->cr[4] & CR4_PGE_MASK);
        return true;
    }
    pte_set_bits(env, w->probe, pde_addr, pde, PG_ACCESSED_MASK, false);
    pte_addr = (pde & ~0xfffull & 0xffffffff) + ((addr >> 10) & 0xffc);
    pte = pte_load(env, pte_addr, false);
    if (!(pte & PG_PRESENT_MASK)) {
        return walk_fail(w, err);
    }
    perm_add(&p, pte, false);
    if (!check_perm(env, w, &p, access, user_access, err)) {
        return false;
    }
    pte_set_bits(env, w->probe, pte_addr, pte,
                 PG_ACCESSED_MASK |
                     (access == MMU_DATA_STORE ? PG_DIRTY_MASK : 0),
                 false);
    if (!(pte & PG_DIRTY_MASK) && access != MMU_DATA_STORE) {
        w->prot &= ~PAGE_WRITE;
    }
    w->pa = (pte & 0xfffff000) | (addr & 0xfff);
    w->page_mask = 0xfff;
    w->global = (pte & PG_GLOBAL_MASK) && (env->cr[4] & CR4_PGE_MASK);
    return true;
}

/*
 * PAE and 4-level paging (SDM vol. 3, 4.4 and 4.5).  levels is 3 (PAE:
 * PDPT from CR3) or 4 (PML4).
 */
static bool walk64(CPUX86State *env, uint64_t addr, MMUAccessType access,
                   bool user_access, uint32_t err, Walk *w, int levels)
{
    bool nxe = env->efer & EFER_NXE;
    uint64_t rsvd = ~PHYS_ADDR_MASK & ~PG_NX_MASK & ~0xfffull;
    Perm p = { true, true, false };
    hwaddr table;
    uint64_t e = 0;
    hwaddr e_addr = 0;
    int level;

    if (!nxe) {
        rsvd |= PG_NX_MASK;
    }
    if (levels == 4) {
        table = env->cr[3] & PHYS_ADDR_MASK & ~0xfffull;
    } else {
        /* PAE: the 4 PDPTEs are at CR3 bits 31:5. */
        e_addr = (env->cr[3] & 0xffffffe0) + ((addr >> 27) & 0x18);
        e = pte_load(env, e_addr, true);
        if (!(e & PG_PRESENT_MASK)) {
            return walk_fail(w, err);
        }
        /* PDPTE reserved bits include 1-2, 5-8 and NX (SDM 4.4.1). */
        if (e & (rsvd | 0x1e6 | PG_NX_MASK)) {
            return walk_fail(w, err | PG_ERROR_P_MASK | PG_ERROR_RSVD_MASK);
        }
        table = e & PHYS_ADDR_MASK & ~0xfffull;
    }
    for (level = (levels == 4 ? 4 : 2); level >= 1; level--) {
        int shift = 12 + 9 * (level - 1);

        e_addr = table + (((addr >> shift) & 0x1ff) << 3);
        e = pte_load(env, e_addr, true);
        if (!(e & PG_PRESENT_MASK)) {
            return walk_fail(w, err);
        }
        if (e & rsvd) {
            return walk_fail(w, err | PG_ERROR_P_MASK | PG_ERROR_RSVD_MASK);
        }
        perm_add(&p, e, nxe);
        if (level == 3 && (e & PG_PSE_MASK)) {
            /* 1 GiB pages: not on qemu64 (no pdpe1gb). */
            return walk_fail(w, err | PG_ERROR_P_MASK | PG_ERROR_RSVD_MASK);
        }
        if (level == 4 && (e & PG_PSE_MASK)) {
            return walk_fail(w, err | PG_ERROR_P_MASK | PG_ERROR_RSVD_MASK);
        }
        if (level == 2 && (e & PG_PSE_MASK)) {
            if (e & 0x1fe000ull) { /* 2 MiB page: bits 20:13 reserved */
                return walk_fail(w, err | PG_ERROR_P_MASK | PG_ERROR_RSVD_MASK);
            }
            break;
        }
        if (level > 1) {
            pte_set_bits(env, w->probe, e_addr, e, PG_ACCESSED_MASK, true);
            table = e & PHYS_ADDR_MASK & ~0xfffull;
        }
    }
    if (!check_perm(env, w, &p, access, user_access, err)) {
        return false;
    }
    pte_set_bits(env, w->probe, e_addr, e,
                 PG_ACCESSED_MASK |
                     (access == MMU_DATA_STORE ? PG_DIRTY_MASK : 0),
                 true);
    if (!(e & PG_DIRTY_MASK) && access != MMU_DATA_STORE) {
        w->prot &= ~PAGE_WRITE;
    }
    if (level == 2) {
        w->pa = (e & PHYS_ADDR_MASK & ~0x1fffffull) | (addr & 0x1fffff);
        w->page_mask = 0x1fffff;
    } else {
        w->pa = (e & PHYS_ADDR_MASK & ~0xfffull) | (addr & 0xfff);
        w->page_mask = 0xfff;
    }
    w->global = (e & PG_GLOBAL_MASK) && (env->cr[4] & CR4_PGE_MASK);
    return true;
}

static bool walk(CPUX86State *env, uint64_t addr, MMUAccessType access,
                 int mmu_idx, Walk *w)
{
    bool user_access = mmu_idx == MMU_USER_IDX;
    uint32_t err = 0;

    if (access == MMU_DATA_STORE) {
        err |= PG_ERROR_W_MASK;
    }
    if (user_access) {
        err |= PG_ERROR_U_MASK;
    }
    if (access == MMU_INST_FETCH && (env->efer & EFER_NXE) &&
        (env->cr[4] & CR4_PAE_MASK)) {
        err |= PG_ERROR_I_D_MASK;
    }
    if (!(env->cr[0] & CR0_PG_MASK)) {
        w->pa = (env->hflags & HF_LMA_MASK) ? addr : (uint32_t)addr;
        w->prot = PAGE_READ | PAGE_WRITE | PAGE_EXEC;
        w->page_mask = 0xfff;
        w->global = false;
        return true;
    }
    if (env->efer & EFER_LMA) {
        return walk64(env, addr, access, user_access, err, w, 4);
    }
    if (env->cr[4] & CR4_PAE_MASK) {
        return walk64(env, (uint32_t)addr, access, user_access, err, w, 3);
    }
    return walk32(env, (uint32_t)addr, access, user_access, err, w);
}

static bool is_canonical(uint64_t addr)
{
    return (uint64_t)(((int64_t)addr << 16) >> 16) == addr;
}

hwaddr x86_tlb_fill(CPUX86State *env, uint64_t vaddr, MMUAccessType access,
                    int mmu_idx)
{
    Walk w = { .probe = false };

    if ((env->hflags & HF_LMA_MASK) && !is_canonical(vaddr)) {
        /* SDM vol. 3, 6.15: #SS for stack references, else #GP. */
        raise_exception_err(env, env->stack_access ? EXCP0C_STACK : EXCP0D_GPF,
                            0);
    }
    if (!walk(env, vaddr, access, mmu_idx, &w)) {
        env->cr[2] = vaddr;
        qemu_log_mask(CPU_LOG_INT, "#PF at %016" PRIx64 " error %x\n", vaddr,
                      w.error_code);
        raise_exception_err(env, EXCP0E_PAGE, w.error_code);
    }
    w.pa = a20(env, w.pa);
    tlb_set_page(env, vaddr, w.pa & ~0xfffull, w.prot, mmu_idx, w.global,
                 w.page_mask);
    return w.pa;
}

hwaddr x86_get_phys_page_debug(CPUX86State *env, uint64_t vaddr)
{
    Walk w = { .probe = true };

    if (!walk(env, vaddr, MMU_DATA_LOAD, MMU_KSMAP_IDX, &w)) {
        return -1;
    }
    return a20(env, w.pa) & ~0xfffull;
}
