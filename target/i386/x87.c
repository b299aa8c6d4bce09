/*
 * The x87 FPU (SDM vol. 1, chapter 8): the checks every x87 instruction
 * starts with (#NM, #MF and the FERR#/IGNNE# path), exception recording,
 * the last instruction/data pointers, the control instructions (FINIT,
 * FCLEX, FLDCW, FSTCW, FSTSW, FSTENV, FLDENV, FSAVE, FRSTOR) and the
 * decoder's select function for D8-DF.  The computational instructions
 * are in x87-ops.c; all arithmetic is done by fpu/ (software floating
 * point), never by the host's FPU, so results are the same on every host.
 */
#include "qemu/osdep.h"
#include "target/i386/x87-internal.h"

/* ---- FERR# and IGNNE# ---- */

static void x87_set_ferr(CPUX86State *env, bool level)
{
    if (env->ferr != level) {
        env->ferr = level;
        if (env->ferr_irq) {
            env->ferr_irq(env->ferr_opaque, level);
        }
    }
}

void x86_cpu_set_ignne(X86CPU *cpu, int level)
{
    cpu->env.ignne = level != 0;
}

/*
 * ES (and B, which mirrors it on the 387 and later) after something
 * cleared exception flags or changed masks; FERR# follows ES.
 */
static void x87_update_es(CPUX86State *env)
{
    if (x87_unmasked(env, env->fpus)) {
        env->fpus |= FSW_ES | FSW_B;
    } else {
        env->fpus &= ~(FSW_ES | FSW_B);
        x87_set_ferr(env, false);
    }
}

void x87_raise(CPUX86State *env, int flags)
{
    env->fpus |= flags & (FSW_EXC | FSW_SF);
    if (x87_unmasked(env, flags)) {
        env->fpus |= FSW_ES | FSW_B;
    }
}

bool x87_stack_fault(CPUX86State *env, bool overflow)
{
    x87_raise(env, FSW_IE | FSW_SF);
    x87_set_c1(env, overflow);
    return env->fpuc & FCW_IM;
}

/* ---- entry checks ---- */

/*
 * A pending unmasked exception before a waiting instruction (SDM vol. 1,
 * 8.7.3).  Returns false if the processor froze (MS-DOS compatibility
 * mode, D.2.1.3): it asserts FERR#, which the PC routes to IRQ 13, and
 * waits for an interrupt before the instruction, which is not counted
 * and runs again when the handler returns (by then the handler has
 * cleared the exception or asserted IGNNE# through port F0h).
 */
static bool x87_check_pending(CPUX86State *env)
{
    if (likely(!(env->fpus & FSW_ES))) {
        return true;
    }
    if (env->cr[0] & CR0_NE_MASK) {
        raise_exception(env, EXCP10_COPR);
    }
    if (env->ignne) {
        return true;
    }
    x87_set_ferr(env, true);
    env->halted = true;
    env->insn_incomplete = true;
    env->exit_tb = true;
    return false;
}

bool x87_enter(CPUX86State *env, int kind)
{
    if (unlikely(env->cr[0] & (CR0_EM_MASK | CR0_TS_MASK))) {
        raise_exception(env, EXCP07_PREX);
    }
    if (kind == X87_WAIT) {
        return x87_check_pending(env);
    }
    return true;
}

void x87_fwait_check(CPUX86State *env)
{
    x87_check_pending(env);
}

/* Real-address and virtual-8086 modes keep linear addresses. */
static bool x87_real_format(const CPUX86State *env)
{
    return !(env->hflags & HF_PE_MASK) || (env->hflags & HF_VM_MASK);
}

void x87_ptrs(CPUX86State *env, const DecodedInsn *d)
{
    bool real = x87_real_format(env);

    /* FIP points at the first prefix (SDM vol. 1, 8.1.8): env->eip. */
    env->fpcs = env->segs[R_CS].selector;
    env->fpip = real ? (uint32_t)(env->segs[R_CS].base + env->eip) : env->eip;
    env->fpop = ((d->opcode & 7) << 8) | d->modrm;
    if (!d->mod3) {
        uint64_t ea = insn_ea(env, d);

        env->fpds = env->segs[d->seg].selector;
        env->fpdp = real ? (uint32_t)(env->segs[d->seg].base + ea) : ea;
    }
}

/* ---- memory ---- */

uint64_t x87_lin(CPUX86State *env, const DecodedInsn *d, int size, int align,
                 bool write)
{
    const SegmentCache *s = &env->segs[d->seg];
    uint64_t ea = insn_ea(env, d);
    uint64_t lin;

    if (env->hflags & HF_CS64_MASK) {
        lin = (d->seg >= R_FS ? s->base : 0) + ea;
    } else {
        if (unlikely(!seg_ok_fast(s, ea, size)) &&
            !x86_seg_check(s, ea, size, write)) {
            x86_seg_fault(env, d->seg);
        }
        lin = (uint32_t)(s->base + ea);
    }
    if (unlikely(env->hflags & HF_AC_MASK) && (lin & (align - 1))) {
        raise_exception_err(env, EXCP11_ALGN, 0);
    }
    return lin;
}

floatx80 x87_ld80(CPUX86State *env, uint64_t lin)
{
    uint64_t mant = cpu_ld_lin(env, lin, 8, mmu_idx(env));
    uint16_t se = cpu_ld_lin(env, lin + 8, 2, mmu_idx(env));

    return make_floatx80(se, mant);
}

void x87_st80(CPUX86State *env, uint64_t lin, floatx80 v)
{
    cpu_probe_write(env, lin, 10, mmu_idx(env));
    cpu_st_lin(env, lin, v.mant, 8, mmu_idx(env));
    cpu_st_lin(env, lin + 8, v.sign_exp, 2, mmu_idx(env));
}

/* ---- control instructions ---- */

/* FNINIT's state (SDM vol. 1, table 8-10); registers keep their contents. */
static void x87_init(CPUX86State *env)
{
    env->fpuc = FCW_INIT;
    env->fpus = 0;
    env->fptags = 0xff;
    env->fpip = env->fpdp = 0;
    env->fpcs = env->fpds = 0;
    env->fpop = 0;
    x87_set_ferr(env, false);
}

void x87_op_fninit(CPUX86State *env, const DecodedInsn *d)
{
    x87_enter(env, X87_NOWAIT);
    x87_init(env);
}

/* FNCLEX: the exception flags, SF, ES and B; C0-C3 are left alone. */
void x87_op_fnclex(CPUX86State *env, const DecodedInsn *d)
{
    x87_enter(env, X87_NOWAIT);
    env->fpus &= ~(FSW_EXC | FSW_SF | FSW_ES | FSW_B);
    x87_set_ferr(env, false);
}

/* FENI, FDISI, FSETPM: 8087/287 controls that do nothing on the 387+. */
void x87_op_fnop_nowait(CPUX86State *env, const DecodedInsn *d)
{
    x87_enter(env, X87_NOWAIT);
}

/*
 * The reserved bits of FCW (SDM vol. 1, figure 8-6): bit 6 reads as 1,
 * bits 7 and 13-15 as 0; bit 12 (the 287's infinity control) is kept
 * (measured).
 */
static uint16_t x87_fcw_value(uint16_t cw)
{
    return (cw & 0x1f3f) | 0x0040;
}

/*
 * FLDCW.  Unmasking a flag that is already set makes the next waiting
 * instruction raise #MF (ES follows the flags and the masks).
 */
static void x87_load_cw(CPUX86State *env, uint16_t cw)
{
    env->fpuc = x87_fcw_value(cw);
    x87_update_es(env);
}

void x87_op_fldcw(CPUX86State *env, const DecodedInsn *d)
{
    uint16_t cw;

    if (!x87_enter(env, X87_WAIT)) {
        return;
    }
    cw = cpu_ld_lin(env, x87_lin(env, d, 2, 2, false), 2, mmu_idx(env));
    x87_load_cw(env, cw);
}

void x87_op_fnstcw(CPUX86State *env, const DecodedInsn *d)
{
    uint64_t lin;

    x87_enter(env, X87_NOWAIT);
    lin = x87_lin(env, d, 2, 2, true);
    cpu_st_lin(env, lin, env->fpuc, 2, mmu_idx(env));
}

void x87_op_fnstsw_m(CPUX86State *env, const DecodedInsn *d)
{
    uint64_t lin;

    x87_enter(env, X87_NOWAIT);
    lin = x87_lin(env, d, 2, 2, true);
    cpu_st_lin(env, lin, env->fpus, 2, mmu_idx(env));
}

void x87_op_fnstsw_ax(CPUX86State *env, const DecodedInsn *d)
{
    x87_enter(env, X87_NOWAIT);
    reg_write(env, R_EAX, OT_WORD, env->fpus);
}

/*
 * The full tag word (SDM vol. 1, 8.1.7): per physical register 00 valid,
 * 01 zero, 10 special (NaN, infinity, denormal, unsupported), 11 empty.
 */
static uint16_t x87_tag_word(const CPUX86State *env)
{
    uint16_t tw = 0;

    for (int p = 0; p < 8; p++) {
        floatx80 v = env->fpregs[p];
        int e = v.sign_exp & 0x7fff;
        int tag;

        if ((env->fptags >> p) & 1) {
            tag = 3;
        } else if (e == 0) {
            tag = v.mant == 0 ? 1 : 2;
        } else if (e == 0x7fff || !(v.mant >> 63)) {
            tag = 2;
        } else {
            tag = 0;
        }
        tw |= tag << (2 * p);
    }
    return tw;
}

/*
 * The x87 environment in memory (SDM vol. 1, figures 8-9 to 8-12): 14
 * bytes with a 16-bit operand size, 28 with 32 (and in 64-bit mode);
 * protected-mode layouts hold offsets and selectors, real-address and
 * virtual-8086 layouts hold linear addresses and FOP.
 */
typedef struct X87Env {
    uint16_t fcw, fsw, ftw, fop, fcs, fds;
    uint32_t fip, fdp;
} X87Env;

static int x87_env_size(const DecodedInsn *d)
{
    return d->ot == OT_WORD ? 14 : 28;
}

static void x87_store_env(CPUX86State *env, const DecodedInsn *d, uint64_t lin)
{
    int idx = mmu_idx(env);
    uint32_t w[7];
    uint32_t fip = env->fpip, fdp = env->fpdp;

    w[0] = env->fpuc;
    w[1] = env->fpus;
    w[2] = x87_tag_word(env);
    if (x87_real_format(env)) {
        w[3] = fip & 0xffff;
        w[4] = ((fip >> 16) << 12) | env->fpop;
        w[5] = fdp & 0xffff;
        w[6] = (fdp >> 16) << 12;
    } else {
        w[3] = fip;
        w[4] = env->fpcs | ((uint32_t)env->fpop << 16);
        w[5] = fdp;
        w[6] = env->fpds;
        if (d->ot == OT_WORD) {
            w[4] = env->fpcs;
        }
    }
    if (d->ot == OT_WORD) {
        for (int i = 0; i < 7; i++) {
            cpu_st_lin(env, lin + 2 * i, w[i], 2, idx);
        }
    } else {
        /* The reserved upper halves read back as ones (measured). */
        static const uint32_t rsvd_prot[7] = {
            0xffff0000, 0xffff0000, 0xffff0000, 0, 0, 0, 0xffff0000
        };
        static const uint32_t rsvd_real[7] = {
            0xffff0000, 0xffff0000, 0xffff0000, 0xffff0000, 0, 0xffff0000, 0
        };
        const uint32_t *rsvd = x87_real_format(env) ? rsvd_real : rsvd_prot;

        for (int i = 0; i < 7; i++) {
            w[i] |= rsvd[i];
            cpu_st_lin(env, lin + 4 * i, w[i], 4, idx);
        }
    }
}

static void x87_load_env(CPUX86State *env, const DecodedInsn *d, uint64_t lin,
                         X87Env *e)
{
    int idx = mmu_idx(env);
    uint32_t w[7];
    bool o16 = d->ot == OT_WORD;

    for (int i = 0; i < 7; i++) {
        w[i] = o16 ? cpu_ld_lin(env, lin + 2 * i, 2, idx)
                   : cpu_ld_lin(env, lin + 4 * i, 4, idx);
    }
    e->fcw = w[0];
    e->fsw = w[1];
    e->ftw = w[2];
    if (x87_real_format(env)) {
        uint32_t hi_mask = o16 ? 0xf : 0xffff;

        e->fip = (w[3] & 0xffff) | (((w[4] >> 12) & hi_mask) << 16);
        e->fop = w[4] & 0x7ff;
        e->fdp = (w[5] & 0xffff) | (((w[6] >> 12) & hi_mask) << 16);
        e->fcs = e->fds = 0;
    } else {
        e->fip = o16 ? (w[3] & 0xffff) : w[3];
        e->fcs = w[4] & 0xffff;
        e->fop = o16 ? env->fpop : (w[4] >> 16) & 0x7ff;
        e->fdp = o16 ? (w[5] & 0xffff) : w[5];
        e->fds = w[6] & 0xffff;
    }
}

/*
 * Commits a loaded environment.  Tags only say empty or not (SDM vol.
 * 1, 8.1.7): the FPU derives the rest from the registers.
 */
static void x87_commit_env(CPUX86State *env, const X87Env *e)
{
    env->fpuc = x87_fcw_value(e->fcw);
    env->fpus = e->fsw;
    env->fptags = 0;
    for (int p = 0; p < 8; p++) {
        if (((e->ftw >> (2 * p)) & 3) == 3) {
            env->fptags |= 1u << p;
        }
    }
    env->fpip = e->fip;
    env->fpcs = e->fcs;
    env->fpop = e->fop;
    env->fpdp = e->fdp;
    env->fpds = e->fds;
    x87_update_es(env);
}

void x87_op_fnstenv(CPUX86State *env, const DecodedInsn *d)
{
    int size = x87_env_size(d);
    uint64_t lin;

    x87_enter(env, X87_NOWAIT);
    lin = x87_lin(env, d, size, size == 14 ? 2 : 4, true);
    cpu_probe_write(env, lin, size, mmu_idx(env));
    x87_store_env(env, d, lin);
    /* Then every exception is masked (SDM vol. 2, FSTENV). */
    env->fpuc |= FCW_EXC;
    x87_update_es(env);
}

void x87_op_fldenv(CPUX86State *env, const DecodedInsn *d)
{
    int size = x87_env_size(d);
    X87Env e;

    if (!x87_enter(env, X87_WAIT)) {
        return;
    }
    x87_load_env(env, d, x87_lin(env, d, size, size == 14 ? 2 : 4, false), &e);
    x87_commit_env(env, &e);
}

/* FSAVE: the environment, ST(0)..ST(7), then FNINIT. */
void x87_op_fnsave(CPUX86State *env, const DecodedInsn *d)
{
    int size = x87_env_size(d);
    uint64_t lin;

    x87_enter(env, X87_NOWAIT);
    lin = x87_lin(env, d, size + 80, size == 14 ? 2 : 4, true);
    cpu_probe_write(env, lin, size + 80, mmu_idx(env));
    x87_store_env(env, d, lin);
    for (int i = 0; i < 8; i++) {
        x87_st80(env, lin + size + 10 * i, x87_get(env, i));
    }
    x87_init(env);
}

void x87_op_frstor(CPUX86State *env, const DecodedInsn *d)
{
    int size = x87_env_size(d);
    floatx80 regs[8];
    uint64_t lin;
    X87Env e;
    int top;

    if (!x87_enter(env, X87_WAIT)) {
        return;
    }
    lin = x87_lin(env, d, size + 80, size == 14 ? 2 : 4, false);
    x87_load_env(env, d, lin, &e);
    for (int i = 0; i < 8; i++) {
        regs[i] = x87_ld80(env, lin + size + 10 * i);
    }
    x87_commit_env(env, &e);
    top = x87_top(env);
    for (int i = 0; i < 8; i++) {
        env->fpregs[(top + i) & 7] = regs[i];
    }
}

/* ---- the decoder's select function ---- */

/*
 * D8-DF (SDM vol. 2, appendix A.2.4.2; the undocumented register aliases
 * FCOM2 FCOMP3 FXCH4 FCOMP5 FXCH7 FSTP1 FSTP8 FSTP9 and FFREEP behave as
 * on every Intel and AMD processor since the 387).  The handler is chosen
 * here so execution does not dispatch again.
 */
InsnHandler *x87_select(DecodedInsn *d, uint32_t hflags)
{
    int op = d->opcode & 7;
    int reg = (d->modrm >> 3) & 7;
    int rm = d->modrm & 7;

    if (!d->mod3) {
        return x87_mem_ops[op][reg];
    }
    switch (op) {
    case 1:
        if (reg == 2) { /* D9 D0: FNOP; D1-D7 are invalid */
            return rm == 0 ? x87_reg_ops[1][2] : NULL;
        }
        if (reg >= 4) {
            return x87_d9_ops[(reg - 4) * 8 + rm];
        }
        break;
    case 2:
        if (reg == 5) { /* DA E9: FUCOMPP */
            return rm == 1 ? x87_reg_ops[2][5] : NULL;
        }
        break;
    case 3:
        if (reg == 4) { /* DB E0-E4: FENI FDISI FNCLEX FNINIT FSETPM */
            static InsnHandler *const dbe[8] = {
                x87_op_fnop_nowait, x87_op_fnop_nowait, x87_op_fnclex,
                x87_op_fninit,      x87_op_fnop_nowait,
            };
            return dbe[rm];
        }
        break;
    case 6:
        if (reg == 3) { /* DE D9: FCOMPP */
            return rm == 1 ? x87_reg_ops[6][3] : NULL;
        }
        break;
    case 7:
        if (reg == 4) { /* DF E0: FNSTSW AX */
            return rm == 0 ? x87_op_fnstsw_ax : NULL;
        }
        break;
    }
    return x87_reg_ops[op][reg];
}
