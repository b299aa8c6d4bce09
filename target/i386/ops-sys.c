/*
 * System instructions: MOV to and from control and debug registers,
 * LGDT LIDT SGDT SIDT, LMSW SMSW, INVLPG, CLTS, INVD, WBINVD, CPUID,
 * RDTSC, RDMSR, WRMSR, RDPMC, SYSENTER/SYSEXIT, SYSCALL/SYSRET, SWAPGS
 * and FWAIT (SDM vol. 2; AMD APM vol. 3 for SYSCALL/SYSRET).
 *
 * The descriptor-table instructions of group 6 (LLDT SLDT LTR STR VERR
 * VERW) and LAR LSL ARPL belong to the segmentation code.
 */
#include "exec/cpu-ldst.h"
#include "target/i386/ops-common.h"
#include "target/i386/x87.h"

/* Privileged instructions: #GP(0) unless CPL is 0 (v86 mode is CPL 3). */
static void check_cpl0(CPUX86State *env)
{
    if (cpu_cpl(env) != 0) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
}

static bool code64(CPUX86State *env)
{
    return env->hflags & HF_CS64_MASK;
}

/* MOV CRn/DRn use 64-bit registers in 64-bit mode, else 32-bit ones
 * whatever the operand-size prefix says. */
static int crdr_ot(CPUX86State *env)
{
    return code64(env) ? OT_QUAD : OT_LONG;
}

static void gp0(CPUX86State *env)
{
    raise_exception_err(env, EXCP0D_GPF, 0);
}

/* ---- control registers (SDM vol. 3, 2.5; vol. 2, MOV—Move to/from
 * Control Registers) ---- */

#define CR0_VALID                                                          \
    (CR0_PE_MASK | CR0_MP_MASK | CR0_EM_MASK | CR0_TS_MASK | CR0_ET_MASK | \
     CR0_NE_MASK | CR0_WP_MASK | CR0_AM_MASK | CR0_NW_MASK | CR0_CD_MASK | \
     CR0_PG_MASK)

/*
 * The CR4 bits of the features qemu64 has; the others (VME and PVI
 * included: CPUID.1:EDX.VME is 0) are reserved and #GP when set.
 */
#define CR4_VALID                                                              \
    (CR4_TSD_MASK | CR4_DE_MASK | CR4_PSE_MASK | CR4_PAE_MASK | CR4_MCE_MASK | \
     CR4_PGE_MASK | CR4_PCE_MASK | CR4_OSFXSR_MASK | CR4_OSXMMEXCPT_MASK)

/* CR3 bits above the physical address width (40) are reserved in long
 * mode. */
#define CR3_LM_RESERVED (~0ull << 40)

/* CR1, CR5-7 and CR9-15 don't exist; CR8 only in 64-bit mode. */
static void check_cr(CPUX86State *env, int cr)
{
    if (!(cr == 0 || cr == 2 || cr == 3 || cr == 4 ||
          (cr == 8 && code64(env)))) {
        raise_exception(env, EXCP06_ILLOP);
    }
}

/*
 * Loads CR0 with the checks of MOV CR0 (and LMSW): reserved bits are
 * ignored except 63-32, PG needs PE, NW needs CD, turning paging on with
 * EFER.LME (entering long mode) needs CR4.PAE, and 64-bit code cannot
 * turn paging off.
 */
static void write_cr0(CPUX86State *env, uint64_t v)
{
    uint64_t old = env->cr[0];

    if (v >> 32) {
        gp0(env);
    }
    v = (v & CR0_VALID) | CR0_ET_MASK;
    if ((v & CR0_PG_MASK) && !(v & CR0_PE_MASK)) {
        gp0(env);
    }
    if ((v & CR0_NW_MASK) && !(v & CR0_CD_MASK)) {
        gp0(env);
    }
    if ((v & CR0_PG_MASK) && !(old & CR0_PG_MASK) && (env->efer & EFER_LME) &&
        !(env->cr[4] & CR4_PAE_MASK)) {
        gp0(env);
    }
    if (!(v & CR0_PG_MASK) && (old & CR0_PG_MASK) && code64(env)) {
        gp0(env);
    }
    cpu_x86_update_cr0(env, v);
    /* Paging, protection or the CPL source may have changed. */
    env->exit_tb = true;
}

static void write_cr4(CPUX86State *env, uint64_t v)
{
    if (v & ~(uint64_t)CR4_VALID) {
        gp0(env);
    }
    /* Long mode needs PAE (SDM vol. 3, 9.8.5). */
    if ((env->hflags & HF_LMA_MASK) && !(v & CR4_PAE_MASK)) {
        gp0(env);
    }
    cpu_x86_update_cr4(env, v);
    env->exit_tb = true;
}

static uint64_t read_cr(CPUX86State *env, int cr)
{
    switch (cr) {
    case 0:
        return env->cr[0];
    case 8:
        return env->cr8;
    default:
        return env->cr[cr];
    }
}

/* 0F 20: MOV r, CRn */
DEF_PLAIN(mov_R_cr, {
    check_cr(env, d->reg);
    check_cpl0(env);
    reg_write(env, d->rm, crdr_ot(env), read_cr(env, d->reg));
})

/* 0F 22: MOV CRn, r */
DEF_PLAIN(mov_cr_R, {
    uint64_t v;

    check_cr(env, d->reg);
    check_cpl0(env);
    v = reg_read(env, d->rm, crdr_ot(env));
    switch (d->reg) {
    case 0:
        write_cr0(env, v);
        break;
    case 2:
        env->cr[2] = v;
        break;
    case 3:
        if ((env->hflags & HF_LMA_MASK) && (v & CR3_LM_RESERVED)) {
            gp0(env);
        }
        cpu_x86_update_cr3(env, v);
        env->exit_tb = true;
        break;
    case 4:
        write_cr4(env, v);
        break;
    case 8:
        /* The task priority (TPR bits 7-4); bits 63-4 are reserved. */
        if (v & ~0xfull) {
            gp0(env);
        }
        env->cr8 = v;
        env->exit_tb = true; /* interrupts may now be deliverable */
        break;
    }
})

/* ---- debug registers (SDM vol. 3, 17.2; vol. 2, MOV—Move to/from
 * Debug Registers) ---- */

/*
 * The checks of MOV DRn in their priority order: DR8-15 and, with
 * CR4.DE, DR4/DR5 are #UD; CPL > 0 is #GP(0); DR7.GD makes any access a
 * #DB fault with DR6.BD.  Returns the register accessed (DR4/DR5 alias
 * DR6/DR7 without CR4.DE).
 */
static int check_dr(CPUX86State *env, int dr)
{
    if (dr > 7 || ((dr == 4 || dr == 5) && (env->cr[4] & CR4_DE_MASK))) {
        raise_exception(env, EXCP06_ILLOP);
    }
    check_cpl0(env);
    if (env->dr[7] & DR7_GD) {
        env->dr[6] |= DR6_BD;
        /* A fault-class #DB other than an instruction breakpoint: the
         * handler sees RF = 1 (SDM vol. 3, 17.3.1.1). */
        env->eflags |= RF_MASK;
        raise_exception(env, EXCP01_DB);
    }
    return dr == 4 ? 6 : dr == 5 ? 7 : dr;
}

/* 0F 21: MOV r, DRn */
DEF_PLAIN(mov_R_dr, {
    int dr = check_dr(env, d->reg);

    reg_write(env, d->rm, crdr_ot(env), env->dr[dr]);
})

/* 0F 23: MOV DRn, r */
DEF_PLAIN(mov_dr_R, {
    int dr = check_dr(env, d->reg);
    uint64_t v = reg_read(env, d->rm, crdr_ot(env));

    if (dr >= 6) {
        /* Bits 63-32 of DR6 and DR7 must be 0 (64-bit mode). */
        if (v >> 32) {
            gp0(env);
        }
        if (dr == 6) {
            env->dr[6] =
                (v & (DR6_B_MASK | DR6_BD | DR6_BS | DR6_BT)) | DR6_FIXED_1;
            return;
        }
        v = (v & DR7_WRITABLE) | DR7_FIXED_1;
    }
    env->dr[dr] = v;
    x86_update_dr7(env);
})

/* ---- descriptor-table registers (SDM vol. 2, LGDT/LIDT, SGDT/SIDT) ---- */

/*
 * LGDT/LIDT m: a 16-bit limit, then a base of 24 bits (16-bit operand
 * size), 32 bits, or in 64-bit mode 64 bits (which must be canonical).
 */
static void load_dt(CPUX86State *env, const DecodedInsn *d, SegmentCache *dt)
{
    uint64_t ea = insn_ea(env, d);
    uint64_t ea2 = addr_mask(d->aflag, ea + 2);
    uint64_t limit, base;

    check_cpl0(env);
    limit = ld_seg(env, d->seg, ea, 2);
    if (code64(env)) {
        base = ld_seg(env, d->seg, ea2, 8);
        if ((uint64_t)((int64_t)(base << 16) >> 16) != base) {
            gp0(env);
        }
    } else {
        base = ld_seg(env, d->seg, ea2, 4);
        if (d->ot == OT_WORD) {
            base &= 0xffffff;
        }
    }
    dt->limit = limit;
    dt->base = base;
}

/*
 * SGDT/SIDT m: the limit, then the base: 8 bytes in 64-bit mode, else 4
 * (with a 16-bit operand size the top byte stored is 0, as QEMU does;
 * the SDM notes that processors after the 286 store 0 there).
 */
static void store_dt(CPUX86State *env, const DecodedInsn *d,
                     const SegmentCache *dt)
{
    uint64_t ea = insn_ea(env, d);
    uint64_t ea2 = addr_mask(d->aflag, ea + 2);
    int n = code64(env) ? 8 : 4;
    uint64_t base = dt->base;
    uint64_t lin1, lin2;

    if (!code64(env)) {
        base = d->ot == OT_WORD ? base & 0xffffff : (uint32_t)base;
    }
    /* Both stores are checked before either is made. */
    lin1 = seg_lin(env, d->seg, ea, 2, true);
    lin2 = seg_lin(env, d->seg, ea2, n, true);
    cpu_probe_write(env, lin1, 2, mmu_idx(env));
    cpu_probe_write(env, lin2, n, mmu_idx(env));
    cpu_st_lin(env, lin1, dt->limit & 0xffff, 2, mmu_idx(env));
    cpu_st_lin(env, lin2, base, n, mmu_idx(env));
}

DEF_PLAIN(lgdt, { load_dt(env, d, &env->gdt); })
DEF_PLAIN(lidt, { load_dt(env, d, &env->idt); })
DEF_PLAIN(sgdt, { store_dt(env, d, &env->gdt); })
DEF_PLAIN(sidt, { store_dt(env, d, &env->idt); })

/* ---- the machine status word ---- */

/*
 * LMSW r/m16: loads CR0 bits 3-0 (PE MP EM TS); it can set PE but not
 * clear it.
 */
DEF_PLAIN(lmsw, {
    uint64_t msw;

    check_cpl0(env);
    msw = ld_E(env, d, OT_WORD);
    write_cr0(env, (env->cr[0] & ~0xfull) | (msw & 0xf) |
                       (env->cr[0] & CR0_PE_MASK));
})

/*
 * SMSW: a register destination takes CR0 at the operand size; memory
 * always gets 16 bits.  Not privileged (qemu64 has no UMIP).
 */
DEF_PLAIN(smsw, {
    if (d->mod3) {
        reg_write(env, d->rm, d->ot, env->cr[0]);
    } else {
        st_E(env, d, OT_WORD, env->cr[0] & 0xffff);
    }
})

/* ---- caches and TLB ---- */

/* INVLPG m: drops the TLB entries of the page holding the linear address
 * of m (no segment checks apply). */
DEF_PLAIN(invlpg, {
    uint64_t ea = insn_ea(env, d);
    uint64_t lin;

    check_cpl0(env);
    if (code64(env)) {
        lin = (d->seg >= R_FS ? env->segs[d->seg].base : 0) + ea;
    } else {
        lin = (uint32_t)(env->segs[d->seg].base + ea);
    }
    tlb_flush_page(env, lin);
})

DEF_PLAIN(clts, {
    check_cpl0(env);
    env->cr[0] &= ~(uint64_t)CR0_TS_MASK;
})

/* INVD and WBINVD: there are no caches to model, only the privilege. */
DEF_PLAIN(invd, { check_cpl0(env); })
DEF_PLAIN(wbinvd, { check_cpl0(env); })

/* ---- identification and counters ---- */

DEF_PLAIN(cpuid, { helper_cpuid(env); })

/* RDTSC: CR4.TSD restricts it to CPL 0 (SDM vol. 2, RDTSC). */
DEF_PLAIN(rdtsc, {
    uint64_t tsc;

    if ((env->cr[4] & CR4_TSD_MASK) && cpu_cpl(env) != 0) {
        gp0(env);
    }
    tsc = cpu_get_tsc(env);
    env->regs[R_EAX] = (uint32_t)tsc;
    env->regs[R_EDX] = tsc >> 32;
})

/* RDTSCP is not in qemu64 (CPUID.80000001:EDX.RDTSCP = 0). */
DEF_PLAIN(rdtscp, { raise_exception(env, EXCP06_ILLOP); })

DEF_PLAIN(rdmsr, { helper_rdmsr(env); })
DEF_PLAIN(wrmsr, { helper_wrmsr(env); })

/* RDPMC: qemu64 has no performance counters, so every ECX is invalid:
 * #GP(0) whatever CR4.PCE says. */
DEF_PLAIN(rdpmc, { gp0(env); })

/* ---- fast system calls ---- */

#define FLAT_LIMIT 0xffffffffu
#define FLAT_CODE32                                                         \
    (DESC_G_MASK | DESC_B_MASK | DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK | \
     DESC_R_MASK | DESC_A_MASK)
#define FLAT_CODE64                                                         \
    (DESC_G_MASK | DESC_L_MASK | DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK | \
     DESC_R_MASK | DESC_A_MASK)
#define FLAT_DATA                                                          \
    (DESC_G_MASK | DESC_B_MASK | DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | \
     DESC_A_MASK)
#define DPL3 (3u << DESC_DPL_SHIFT)

/* Flat CS and SS caches with the given selectors (RPL = the new CPL). */
static void load_flat(CPUX86State *env, uint32_t cs, uint32_t cs_flags,
                      uint32_t ss, uint32_t ss_flags)
{
    cpu_x86_load_seg_cache(env, R_CS, cs, 0, FLAT_LIMIT, cs_flags);
    cpu_x86_load_seg_cache(env, R_SS, ss, 0, FLAT_LIMIT, ss_flags);
}

/*
 * SYSENTER/SYSEXIT (SDM vol. 2): 32-bit protected mode.  They don't
 * exist in long mode on AMD processors (AMD APM vol. 3, SYSENTER), so
 * qemu64 raises #UD there, compatibility mode included.
 */
DEF_PLAIN(sysenter, {
    uint32_t cs = env->sysenter_cs & 0xfffc;

    if (env->hflags & HF_LMA_MASK) {
        raise_exception(env, EXCP06_ILLOP);
    }
    if (!(env->cr[0] & CR0_PE_MASK) || cs == 0) {
        gp0(env);
    }
    /* Clear VM first so the CS load computes CPL 0 from the selector. */
    env->eflags &= ~(VM_MASK | IF_MASK | RF_MASK);
    load_flat(env, cs, FLAT_CODE32, cs + 8, FLAT_DATA);
    env->regs[R_ESP] = (uint32_t)env->sysenter_esp;
    env->eip = (uint32_t)env->sysenter_eip;
})

DEF_PLAIN(sysexit, {
    uint32_t cs = env->sysenter_cs & 0xfffc;

    if (env->hflags & HF_LMA_MASK) {
        raise_exception(env, EXCP06_ILLOP);
    }
    if (!(env->cr[0] & CR0_PE_MASK) || cs == 0 || cpu_cpl(env) != 0) {
        gp0(env);
    }
    load_flat(env, (cs + 16) | 3, FLAT_CODE32 | DPL3, (cs + 24) | 3,
              FLAT_DATA | DPL3);
    env->regs[R_ESP] = (uint32_t)env->regs[R_ECX];
    env->eip = (uint32_t)env->regs[R_EDX];
})

/*
 * SYSCALL (AMD APM vol. 3): #UD unless EFER.SCE.  Long mode: RCX = the
 * next RIP, R11 = RFLAGS, RFLAGS &= ~FMASK, RIP = LSTAR (64-bit mode) or
 * CSTAR (compatibility mode), CS = STAR[47:32] as 64-bit code.  Legacy
 * mode: ECX = the next EIP, VM IF RF cleared, EIP = STAR[31:0].  SS is
 * STAR[47:32] + 8 in both.
 */
DEF_PLAIN(syscall, {
    uint32_t cs = (env->star >> 32) & 0xfffc;
    uint64_t next = next_eip(env, d);

    if (!(env->efer & EFER_SCE)) {
        raise_exception(env, EXCP06_ILLOP);
    }
    if (env->hflags & HF_LMA_MASK) {
        uint32_t rflags = cpu_compute_eflags(env) & ~RF_MASK;
        uint64_t target = code64(env) ? env->lstar : env->cstar;

        env->regs[R_ECX] = next;
        env->regs[R_R11] = rflags;
        cpu_load_eflags(env, rflags & ~(uint32_t)env->fmask, ~0u);
        load_flat(env, cs, FLAT_CODE64, cs + 8, FLAT_DATA);
        env->eip = target;
    } else {
        env->regs[R_ECX] = (uint32_t)next;
        env->eflags &= ~(VM_MASK | IF_MASK | RF_MASK);
        load_flat(env, cs, FLAT_CODE32, cs + 8, FLAT_DATA);
        env->eip = (uint32_t)env->star;
    }
})

/*
 * SYSRET (AMD APM vol. 3): #UD unless EFER.SCE; #GP(0) outside protected
 * mode or at CPL > 0.  CS = STAR[63:48] (+16 for a 64-bit return with
 * REX.W), SS = STAR[63:48] + 8, both RPL 3.  Long mode: RFLAGS = R11,
 * RIP = RCX (ECX for a 32-bit return).  Legacy mode: IF set, EIP = ECX.
 */
DEF_PLAIN(sysret, {
    uint32_t sel = (env->star >> 48) & 0xfffc;

    if (!(env->efer & EFER_SCE)) {
        raise_exception(env, EXCP06_ILLOP);
    }
    if (!(env->cr[0] & CR0_PE_MASK) || cpu_cpl(env) != 0) {
        gp0(env);
    }
    if (env->hflags & HF_LMA_MASK) {
        bool to64 = d->flags & INSN_REX_W;
        uint64_t rip = to64 ? env->regs[R_ECX] : (uint32_t)env->regs[R_ECX];

        /* RF and VM are cleared; bits 3, 5 and 15 are reserved 0. */
        cpu_load_eflags(env, env->regs[R_R11] & 0x3c7fd7, ~0u);
        if (to64) {
            load_flat(env, (sel + 16) | 3, FLAT_CODE64 | DPL3, (sel + 8) | 3,
                      FLAT_DATA | DPL3);
        } else {
            load_flat(env, sel | 3, FLAT_CODE32 | DPL3, (sel + 8) | 3,
                      FLAT_DATA | DPL3);
        }
        env->eip = rip;
    } else {
        env->eflags |= IF_MASK;
        load_flat(env, sel | 3, FLAT_CODE32 | DPL3, (sel + 8) | 3,
                  FLAT_DATA | DPL3);
        env->eip = (uint32_t)env->regs[R_ECX];
    }
})

/* SWAPGS (64-bit mode only, by the decoder): exchanges GS.base with
 * IA32_KERNEL_GS_BASE. */
DEF_PLAIN(swapgs, {
    uint64_t t;

    check_cpl0(env);
    t = env->segs[R_GS].base;
    env->segs[R_GS].base = env->kernelgsbase;
    env->kernelgsbase = t;
})

/* ---- FWAIT ---- */

/* FWAIT: #NM when CR0.MP and CR0.TS are both set (SDM vol. 3, 2.5). */
DEF_PLAIN(fwait, {
    if ((env->cr[0] & (CR0_MP_MASK | CR0_TS_MASK)) ==
        (CR0_MP_MASK | CR0_TS_MASK)) {
        raise_exception(env, EXCP07_PREX);
    }
    /* Then a pending unmasked x87 exception: #MF (x87.c). */
    x87_fwait_check(env);
})
