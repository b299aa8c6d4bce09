/*
 * x87 computational instructions (SDM vol. 2, the F* entries; vol. 1,
 * 8.3 and 8.5): loads and stores of every format, exchanges and
 * conditional moves, arithmetic, comparisons, FXAM, the special
 * operations (FPREM FSCALE FXTRACT FRNDINT FSQRT) and the
 * transcendentals.  Values are computed by fpu/ (software floating
 * point); this file applies the x87 rules around them: the register
 * stack and its faults, which exceptions stop an instruction, the
 * condition codes, and the unmasked overflow/underflow responses.
 */
#include "qemu/osdep.h"
#include "target/i386/x87-internal.h"

#define ENTER(env)                         \
    do {                                   \
        if (!x87_enter((env), X87_WAIT)) { \
            return;                        \
        }                                  \
    } while (0)

/* The register operand of a register form. */
static inline int sti(const DecodedInsn *d)
{
    return d->modrm & 7;
}

static const floatx80 x80_one = { .mant = 0x8000000000000000ull,
                                  .sign_exp = 0x3fff };
static const floatx80 x80_zero = { .mant = 0, .sign_exp = 0 };

/* ---- memory operands ---- */

enum { MF_F32, MF_I32, MF_F64, MF_I16 }; /* by opcode: D8 DA DC DE */

static const int mf_size[4] = { 4, 4, 8, 2 };

static uint64_t x87_ld(CPUX86State *env, const DecodedInsn *d, int size)
{
    uint64_t lin = x87_lin(env, d, size, size, false);

    return cpu_ld_lin(env, lin, size, mmu_idx(env));
}

/* The memory operand of an arithmetic or compare instruction. */
static floatx80 x87_widen(int fmt, uint64_t raw, FloatStatus *s)
{
    switch (fmt) {
    case MF_F32:
        return float32_to_floatx80_operand(raw, s);
    case MF_F64:
        return float64_to_floatx80_operand(raw, s);
    case MF_I16:
        return int16_to_floatx80((int16_t)raw, s);
    default:
        return int32_to_floatx80((int32_t)raw, s);
    }
}

/* ---- arithmetic: FADD FMUL FSUB FSUBR FDIV FDIVR and their forms ---- */

/* Operations by the ModRM.reg of D8 (2 and 3 are FCOM, FCOMP). */
enum {
    OP_ADD = 0,
    OP_MUL = 1,
    OP_SUB = 4,
    OP_SUBR = 5,
    OP_DIV = 6,
    OP_DIVR = 7
};

static floatx80 x87_arith(int op, floatx80 dst, floatx80 src, FloatStatus *s,
                          X87Redo *rd)
{
    switch (op) {
    case OP_ADD:
        *rd = (X87Redo){ XK_ADD, dst, src };
        return floatx80_add(dst, src, s);
    case OP_MUL:
        *rd = (X87Redo){ XK_MUL, dst, src };
        return floatx80_mul(dst, src, s);
    case OP_SUB:
        *rd = (X87Redo){ XK_SUB, dst, src };
        return floatx80_sub(dst, src, s);
    case OP_SUBR:
        *rd = (X87Redo){ XK_SUB, src, dst };
        return floatx80_sub(src, dst, s);
    case OP_DIV:
        *rd = (X87Redo){ XK_DIV, dst, src };
        return floatx80_div(dst, src, s);
    default:
        *rd = (X87Redo){ XK_DIV, src, dst };
        return floatx80_div(src, dst, s);
    }
}

/* ST(0) = ST(0) op m32/m64/m16int/m32int */
static inline void x87_arith_m(CPUX86State *env, const DecodedInsn *d, int op,
                               int fmt)
{
    FloatStatus s;
    X87Redo rd;
    floatx80 r;
    uint64_t raw;

    ENTER(env);
    raw = x87_ld(env, d, mf_size[fmt]);
    x87_ptrs(env, d);
    if (x87_empty(env, 0)) {
        if (x87_stack_fault(env, false)) {
            x87_set(env, 0, x87_indefinite());
        }
        return;
    }
    x87_status(env, &s);
    r = x87_arith(op, x87_get(env, 0), x87_widen(fmt, raw, &s), &s, &rd);
    if (x87_finish(env, &s, &r, &rd)) {
        x87_set(env, 0, r);
    }
}

/* ST(0) = ST(0) op ST(i), or ST(i) = ST(i) op ST(0) [and pop] */
static inline void x87_arith_r(CPUX86State *env, const DecodedInsn *d, int op,
                               bool to_sti, bool pop)
{
    int i = sti(d);
    int dst = to_sti ? i : 0, src = to_sti ? 0 : i;
    FloatStatus s;
    X87Redo rd;
    floatx80 r;

    ENTER(env);
    x87_ptrs(env, d);
    if (x87_empty(env, 0) || x87_empty(env, i)) {
        if (x87_stack_fault(env, false)) {
            x87_set(env, dst, x87_indefinite());
            if (pop) {
                x87_pop(env);
            }
        }
        return;
    }
    x87_status(env, &s);
    r = x87_arith(op, x87_get(env, dst), x87_get(env, src), &s, &rd);
    if (x87_finish(env, &s, &r, &rd)) {
        x87_set(env, dst, r);
        if (pop) {
            x87_pop(env);
        }
    }
}

#define ARITH_M(name, op, fmt)                               \
    static void name(CPUX86State *env, const DecodedInsn *d) \
    {                                                        \
        x87_arith_m(env, d, op, fmt);                        \
    }
#define ARITH_M4(opname, op)              \
    ARITH_M(f##opname##_m32, op, MF_F32)  \
    ARITH_M(f##opname##_m64, op, MF_F64)  \
    ARITH_M(fi##opname##_m16, op, MF_I16) \
    ARITH_M(fi##opname##_m32, op, MF_I32)
ARITH_M4(add, OP_ADD)
ARITH_M4(mul, OP_MUL)
ARITH_M4(sub, OP_SUB)
ARITH_M4(subr, OP_SUBR)
ARITH_M4(div, OP_DIV)
ARITH_M4(divr, OP_DIVR)

#define ARITH_R(name, op, to_sti, pop)                       \
    static void name(CPUX86State *env, const DecodedInsn *d) \
    {                                                        \
        x87_arith_r(env, d, op, to_sti, pop);                \
    }
#define ARITH_R3(opname, op)                   \
    ARITH_R(f##opname##_st0, op, false, false) \
    ARITH_R(f##opname##_sti, op, true, false)  \
    ARITH_R(f##opname##p, op, true, true)
ARITH_R3(add, OP_ADD)
ARITH_R3(mul, OP_MUL)
ARITH_R3(sub, OP_SUB)
ARITH_R3(subr, OP_SUBR)
ARITH_R3(div, OP_DIV)
ARITH_R3(divr, OP_DIVR)

/* ---- comparisons ---- */

/* C3 C2 C0 of FCOM (SDM vol. 2, FCOM table) and ZF PF CF of FCOMI. */
static uint16_t x87_cmp_cc(FloatRelation rel)
{
    switch (rel) {
    case float_relation_greater:
        return 0;
    case float_relation_less:
        return FSW_C0;
    case float_relation_equal:
        return FSW_C3;
    default:
        return FSW_C3 | FSW_C2 | FSW_C0;
    }
}

static uint32_t x87_cmp_eflags(FloatRelation rel)
{
    switch (rel) {
    case float_relation_greater:
        return 0;
    case float_relation_less:
        return CC_C;
    case float_relation_equal:
        return CC_Z;
    default:
        return CC_Z | CC_P | CC_C;
    }
}

/*
 * Records a comparison.  The condition codes (FCOM: C3 C2 C0, with C1 =
 * 0) or EFLAGS (FCOMI: ZF PF CF set, OF SF AF cleared, C1 unchanged) are
 * set even when an unmasked IE or DE stops the instruction, which then
 * pops nothing (measured on AMD; the SDM says the codes are not set).
 */
static void x87_cmp_finish(CPUX86State *env, const FloatStatus *s,
                           FloatRelation rel, int pops, bool eflags)
{
    int pre = s->flags & (FSW_IE | FSW_DE);

    if (eflags) {
        env->cc_op = CC_OP_EFLAGS;
        env->cc_src = x87_cmp_eflags(rel);
    } else {
        x87_set_cc(env, FSW_CC, x87_cmp_cc(rel));
    }
    if (x87_unmasked(env, pre)) {
        x87_raise(env, pre);
        return;
    }
    x87_raise(env, s->flags);
    while (pops--) {
        x87_pop(env);
    }
}

/* Stack underflow of a comparison: the masked response is unordered. */
static void x87_cmp_underflow(CPUX86State *env, int pops, bool eflags)
{
    FloatStatus s = { .flags = FSW_IE };

    x87_stack_fault(env, false);
    x87_cmp_finish(env, &s, float_relation_unordered, pops, eflags);
}

/* FCOM/FCOMP m32/m64, FICOM/FICOMP m16/m32 */
static inline void x87_cmp_m(CPUX86State *env, const DecodedInsn *d, int fmt,
                             int pops)
{
    FloatStatus s;
    FloatRelation rel;
    uint64_t raw;

    ENTER(env);
    raw = x87_ld(env, d, mf_size[fmt]);
    x87_ptrs(env, d);
    if (x87_empty(env, 0)) {
        x87_cmp_underflow(env, pops, false);
        return;
    }
    x87_status(env, &s);
    rel = floatx80_compare(x87_get(env, 0), x87_widen(fmt, raw, &s), &s);
    x87_cmp_finish(env, &s, rel, pops, false);
}

#define CMP_M(name, fmt, pops)                               \
    static void name(CPUX86State *env, const DecodedInsn *d) \
    {                                                        \
        x87_cmp_m(env, d, fmt, pops);                        \
    }
CMP_M(fcom_m32, MF_F32, 0)
CMP_M(fcomp_m32, MF_F32, 1)
CMP_M(fcom_m64, MF_F64, 0)
CMP_M(fcomp_m64, MF_F64, 1)
CMP_M(ficom_m16, MF_I16, 0)
CMP_M(ficomp_m16, MF_I16, 1)
CMP_M(ficom_m32, MF_I32, 0)
CMP_M(ficomp_m32, MF_I32, 1)

/* FCOM FUCOM FCOMI FUCOMI of ST(0) and ST(i) (FCOMPP/FUCOMPP: i = 1) */
static inline void x87_cmp_r(CPUX86State *env, const DecodedInsn *d, int i,
                             bool quiet, int pops, bool eflags)
{
    FloatStatus s;
    FloatRelation rel;

    ENTER(env);
    x87_ptrs(env, d);
    if (x87_empty(env, 0) || x87_empty(env, i)) {
        x87_cmp_underflow(env, pops, eflags);
        return;
    }
    x87_status(env, &s);
    if (quiet) {
        rel = floatx80_compare_quiet(x87_get(env, 0), x87_get(env, i), &s);
    } else {
        rel = floatx80_compare(x87_get(env, 0), x87_get(env, i), &s);
    }
    x87_cmp_finish(env, &s, rel, pops, eflags);
}

#define CMP_R(name, i, quiet, pops, eflags)                  \
    static void name(CPUX86State *env, const DecodedInsn *d) \
    {                                                        \
        x87_cmp_r(env, d, i, quiet, pops, eflags);           \
    }
CMP_R(fcom_st, sti(d), false, 0, false)
CMP_R(fcomp_st, sti(d), false, 1, false)
CMP_R(fcompp, 1, false, 2, false)
CMP_R(fucom_st, sti(d), true, 0, false)
CMP_R(fucomp_st, sti(d), true, 1, false)
CMP_R(fucompp, 1, true, 2, false)
CMP_R(fcomi, sti(d), false, 0, true)
CMP_R(fcomip, sti(d), false, 1, true)
CMP_R(fucomi, sti(d), true, 0, true)
CMP_R(fucomip, sti(d), true, 1, true)

/* FTST: ST(0) against +0.0 */
static void ftst(CPUX86State *env, const DecodedInsn *d)
{
    FloatStatus s;
    FloatRelation rel;

    ENTER(env);
    x87_ptrs(env, d);
    if (x87_empty(env, 0)) {
        x87_cmp_underflow(env, 0, false);
        return;
    }
    x87_status(env, &s);
    rel = floatx80_compare(x87_get(env, 0), x80_zero, &s);
    x87_cmp_finish(env, &s, rel, 0, false);
}

/* FXAM: the class of ST(0) in C3 C2 C0 (101 when empty), C1 = sign. */
static void fxam(CPUX86State *env, const DecodedInsn *d)
{
    floatx80 v;
    int c;
    uint16_t cc;

    ENTER(env);
    x87_ptrs(env, d);
    v = x87_get(env, 0);
    c = x87_empty(env, 0) ? 5 : floatx80_classify(v);
    cc = (c & 4 ? FSW_C3 : 0) | (c & 2 ? FSW_C2 : 0) | (c & 1 ? FSW_C0 : 0) |
         (floatx80_sign(v) ? FSW_C1 : 0);
    x87_set_cc(env, FSW_CC, cc);
}

/* ---- loads ---- */

/*
 * Room for a push: ST(7) must be empty, else a stack overflow whose
 * masked response pushes the indefinite.  Returns false on overflow.
 */
static bool x87_push_check(CPUX86State *env)
{
    if (!x87_empty(env, 7)) {
        if (x87_stack_fault(env, true)) {
            x87_push(env, x87_indefinite());
        }
        return false;
    }
    return true;
}

/*
 * FLD m32/m64: SNaN raises IE (and is quietened), denormals DE.  An
 * unmasked IE stops the load; an unmasked DE does not (measured on AMD).
 */
static inline void x87_fld_m(CPUX86State *env, const DecodedInsn *d, bool dbl)
{
    FloatStatus s;
    uint64_t raw;
    floatx80 v;
    int pre;

    ENTER(env);
    raw = x87_ld(env, d, dbl ? 8 : 4);
    x87_ptrs(env, d);
    if (!x87_push_check(env)) {
        return;
    }
    x87_status(env, &s);
    v = dbl ? float64_to_floatx80(raw, &s) : float32_to_floatx80(raw, &s);
    pre = s.flags & FSW_IE;
    if (x87_unmasked(env, pre)) {
        x87_raise(env, pre);
        x87_set_c1(env, false);
        return;
    }
    x87_raise(env, s.flags);
    x87_set_c1(env, false);
    x87_push(env, v);
}

static void fld_m32(CPUX86State *env, const DecodedInsn *d)
{
    x87_fld_m(env, d, false);
}

static void fld_m64(CPUX86State *env, const DecodedInsn *d)
{
    x87_fld_m(env, d, true);
}

/* Pushes a value that needs no conversion checks. */
static void x87_push_value(CPUX86State *env, floatx80 v)
{
    if (x87_push_check(env)) {
        x87_set_c1(env, false);
        x87_push(env, v);
    }
}

/* FLD m80: bit for bit, whatever the encoding. */
static void fld_m80(CPUX86State *env, const DecodedInsn *d)
{
    floatx80 v;

    ENTER(env);
    v = x87_ld80(env, x87_lin(env, d, 10, 8, false));
    x87_ptrs(env, d);
    x87_push_value(env, v);
}

/* FILD: every 16/32/64-bit integer is exact in 64 bits. */
static inline void x87_fild(CPUX86State *env, const DecodedInsn *d, int size)
{
    FloatStatus s;
    uint64_t raw;
    floatx80 v;

    ENTER(env);
    raw = x87_ld(env, d, size);
    x87_ptrs(env, d);
    x87_status(env, &s);
    v = size == 2   ? int16_to_floatx80((int16_t)raw, &s)
        : size == 4 ? int32_to_floatx80((int32_t)raw, &s)
                    : int64_to_floatx80((int64_t)raw, &s);
    x87_push_value(env, v);
}

static void fild_m16(CPUX86State *env, const DecodedInsn *d)
{
    x87_fild(env, d, 2);
}

static void fild_m32(CPUX86State *env, const DecodedInsn *d)
{
    x87_fild(env, d, 4);
}

static void fild_m64(CPUX86State *env, const DecodedInsn *d)
{
    x87_fild(env, d, 8);
}

/*
 * FBLD: 18 packed BCD digits and a sign bit (SDM vol. 1, 4.7).  Digits
 * above 9 are undefined; here they count with their binary value.
 */
static void fbld(CPUX86State *env, const DecodedInsn *d)
{
    uint64_t lin, lo, mag = 0;
    uint16_t hi;
    FloatStatus s;
    floatx80 v;

    ENTER(env);
    lin = x87_lin(env, d, 10, 8, false);
    lo = cpu_ld_lin(env, lin, 8, mmu_idx(env));
    hi = cpu_ld_lin(env, lin + 8, 2, mmu_idx(env));
    x87_ptrs(env, d);
    for (int k = 1; k >= 0; k--) {
        mag = mag * 10 + ((hi >> (4 * k)) & 15);
    }
    for (int k = 15; k >= 0; k--) {
        mag = mag * 10 + ((lo >> (4 * k)) & 15);
    }
    x87_status(env, &s);
    v = int64_to_floatx80((int64_t)mag, &s);
    if (hi & 0x8000) {
        v = floatx80_chs(v);
    }
    x87_push_value(env, v);
}

/* FLD ST(i) */
static void fld_st(CPUX86State *env, const DecodedInsn *d)
{
    int i = sti(d);

    bool over, under;

    ENTER(env);
    x87_ptrs(env, d);
    over = !x87_empty(env, 7);
    under = x87_empty(env, i);
    if (over || under) {
        /* An empty source is an underflow even if ST(7) is in use. */
        if (x87_stack_fault(env, !under)) {
            x87_push(env, x87_indefinite());
        }
        return;
    }
    x87_set_c1(env, false);
    x87_push(env, x87_get(env, i));
}

/* FLD1 FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 FLDZ */
static inline void x87_fldc(CPUX86State *env, const DecodedInsn *d, int which)
{
    FloatStatus s;
    floatx80 v;

    ENTER(env);
    x87_ptrs(env, d);
    if (which < 0) {
        v = which == -1 ? x80_one : x80_zero;
    } else {
        /* Rounded per FCW.RC, without PE (SDM vol. 2, FLD1/FLDL2T/...). */
        x87_status(env, &s);
        v = floatx80_load_const(which, &s);
    }
    x87_push_value(env, v);
}

#define FLDC(name, which)                                    \
    static void name(CPUX86State *env, const DecodedInsn *d) \
    {                                                        \
        x87_fldc(env, d, which);                             \
    }
FLDC(fld1, -1)
FLDC(fldz, -2)
FLDC(fldl2t, floatx80_const_l2t)
FLDC(fldl2e, floatx80_const_l2e)
FLDC(fldpi, floatx80_const_pi)
FLDC(fldlg2, floatx80_const_lg2)
FLDC(fldln2, floatx80_const_ln2)

/* ---- stores ---- */

/* Store formats */
enum { SF_F32, SF_F64, SF_I16, SF_I32, SF_I64, SF_T16, SF_T32, SF_T64 };

static const int sf_size[8] = { 4, 8, 2, 4, 8, 2, 4, 8 };

/* The masked response to a stack underflow, per format. */
static const uint64_t sf_indefinite[8] = {
    float32_default_nan, float64_default_nan,   0x8000,
    0x80000000,          0x8000000000000000ull, 0x8000,
    0x80000000,          0x8000000000000000ull,
};

static uint64_t x87_convert(int fmt, floatx80 v, FloatStatus *s)
{
    switch (fmt) {
    case SF_F32:
        return floatx80_to_float32(v, s);
    case SF_F64:
        return floatx80_to_float64(v, s);
    case SF_I16:
        return (uint16_t)floatx80_to_int16(v, s);
    case SF_I32:
        return (uint32_t)floatx80_to_int32(v, s);
    case SF_I64:
        return floatx80_to_int64(v, s);
    case SF_T16:
        return (uint16_t)floatx80_to_int16_round_to_zero(v, s);
    case SF_T32:
        return (uint32_t)floatx80_to_int32_round_to_zero(v, s);
    default:
        return floatx80_to_int64_round_to_zero(v, s);
    }
}

/* FST FSTP m32/m64, FIST FISTP m16/m32/m64, FISTTP m16/m32/m64 */
static inline void x87_fst_m(CPUX86State *env, const DecodedInsn *d, int fmt,
                             bool pop)
{
    int size = sf_size[fmt];
    FloatStatus s;
    uint64_t lin, raw;
    int flags;

    ENTER(env);
    lin = x87_lin(env, d, size, size, true);
    if (x87_empty(env, 0)) {
        if (env->fpuc & FCW_IM) {
            cpu_st_lin(env, lin, sf_indefinite[fmt], size, mmu_idx(env));
        }
        x87_ptrs(env, d);
        if (x87_stack_fault(env, false) && pop) {
            x87_pop(env);
        }
        return;
    }
    x87_status(env, &s);
    raw = x87_convert(fmt, x87_get(env, 0), &s);
    if (!x87_store_check(env, &s, &flags)) {
        x87_ptrs(env, d);
        x87_raise(env, flags);
        x87_set_c1(env, s.rounded_up);
        return;
    }
    cpu_st_lin(env, lin, raw, size, mmu_idx(env));
    x87_ptrs(env, d);
    x87_raise(env, flags);
    x87_set_c1(env, s.rounded_up);
    if (pop) {
        x87_pop(env);
    }
}

#define FST_M(name, fmt, pop)                                \
    static void name(CPUX86State *env, const DecodedInsn *d) \
    {                                                        \
        x87_fst_m(env, d, fmt, pop);                         \
    }
FST_M(fst_m32, SF_F32, false)
FST_M(fstp_m32, SF_F32, true)
FST_M(fst_m64, SF_F64, false)
FST_M(fstp_m64, SF_F64, true)
FST_M(fist_m16, SF_I16, false)
FST_M(fistp_m16, SF_I16, true)
FST_M(fist_m32, SF_I32, false)
FST_M(fistp_m32, SF_I32, true)
FST_M(fistp_m64, SF_I64, true)
FST_M(fisttp_m16, SF_T16, true)
FST_M(fisttp_m32, SF_T32, true)
FST_M(fisttp_m64, SF_T64, true)

/* FSTP m80: bit for bit. */
static void fstp_m80(CPUX86State *env, const DecodedInsn *d)
{
    uint64_t lin;

    ENTER(env);
    lin = x87_lin(env, d, 10, 8, true);
    if (x87_empty(env, 0)) {
        if (env->fpuc & FCW_IM) {
            x87_st80(env, lin, x87_indefinite());
        }
        x87_ptrs(env, d);
        if (x87_stack_fault(env, false)) {
            x87_pop(env);
        }
        return;
    }
    x87_st80(env, lin, x87_get(env, 0));
    x87_ptrs(env, d);
    x87_set_c1(env, false);
    x87_pop(env);
}

/*
 * FBSTP: ST(0) rounded to an integer per FCW.RC, as 18 packed BCD digits
 * and the sign of ST(0).  NaNs, infinities and values of 10^18 or more
 * are invalid; the masked response stores the BCD indefinite.
 */
static void fbstp(CPUX86State *env, const DecodedInsn *d)
{
    static const uint64_t bcd_max = 999999999999999999ull;
    uint64_t lin, lo = 0, mag;
    uint16_t hi = 0;
    FloatStatus s;
    floatx80 v;
    int64_t n;
    int flags;

    ENTER(env);
    lin = x87_lin(env, d, 10, 8, true);
    if (x87_empty(env, 0)) {
        if (env->fpuc & FCW_IM) {
            x87_st80(env, lin, make_floatx80(0xffff, 0xc000000000000000ull));
        }
        x87_ptrs(env, d);
        if (x87_stack_fault(env, false)) {
            x87_pop(env);
        }
        return;
    }
    v = x87_get(env, 0);
    x87_status(env, &s);
    n = floatx80_to_int64(v, &s);
    mag = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;
    if (!(s.flags & FSW_IE) && mag > bcd_max) {
        s.flags = FSW_IE;
        s.rounded_up = false;
    }
    if (!x87_store_check(env, &s, &flags)) {
        x87_ptrs(env, d);
        x87_raise(env, flags);
        x87_set_c1(env, false);
        return;
    }
    if (flags & FSW_IE) {
        lo = 0xc000000000000000ull;
        hi = 0xffff;
    } else {
        for (int k = 0; k < 16; k++, mag /= 10) {
            lo |= (mag % 10) << (4 * k);
        }
        hi = (mag % 10) | ((mag / 10) % 10) << 4;
        hi |= floatx80_sign(v) ? 0x8000 : 0;
    }
    x87_st80(env, lin, make_floatx80(hi, lo));
    x87_ptrs(env, d);
    x87_raise(env, flags);
    x87_set_c1(env, s.rounded_up);
    x87_pop(env);
}

/* FST/FSTP ST(i) (and the aliases FSTP1 FSTP8 FSTP9) */
static inline void x87_fst_r(CPUX86State *env, const DecodedInsn *d, bool pop)
{
    int i = sti(d);

    ENTER(env);
    x87_ptrs(env, d);
    if (x87_empty(env, 0)) {
        if (x87_stack_fault(env, false)) {
            x87_set(env, i, x87_indefinite());
            if (pop) {
                x87_pop(env);
            }
        }
        return;
    }
    x87_set(env, i, x87_get(env, 0));
    x87_set_c1(env, false);
    if (pop) {
        x87_pop(env);
    }
}

static void fst_st(CPUX86State *env, const DecodedInsn *d)
{
    x87_fst_r(env, d, false);
}

static void fstp_st(CPUX86State *env, const DecodedInsn *d)
{
    x87_fst_r(env, d, true);
}

/*
 * FSTP1 (D9 D8+i), the undocumented alias of FSTP ST(i): with ST(0)
 * empty it only pops, without a stack fault (measured on AMD; FSTP8 and
 * FSTP9 fault as FSTP does).
 */
static void fstp1_st(CPUX86State *env, const DecodedInsn *d)
{
    if (x87_empty(env, 0)) {
        ENTER(env);
        x87_ptrs(env, d);
        x87_set_c1(env, false);
        x87_pop(env);
        return;
    }
    x87_fst_r(env, d, true);
}

/* ---- register moves and stack control ---- */

/* FXCH (and FXCH4 FXCH7): empty operands become the indefinite. */
static void fxch(CPUX86State *env, const DecodedInsn *d)
{
    int i = sti(d);
    floatx80 a, b;

    ENTER(env);
    x87_ptrs(env, d);
    a = x87_get(env, 0);
    b = x87_get(env, i);
    if (x87_empty(env, 0) || x87_empty(env, i)) {
        if (!x87_stack_fault(env, false)) {
            return;
        }
        if (x87_empty(env, 0)) {
            a = x87_indefinite();
        }
        if (x87_empty(env, i)) {
            b = x87_indefinite();
        }
    }
    x87_set(env, 0, b);
    x87_set(env, i, a);
    x87_set_c1(env, false);
}

/* FCMOVcc: the condition is a Jcc condition code on EFLAGS. */
static inline void x87_fcmov(CPUX86State *env, const DecodedInsn *d, int cc)
{
    int i = sti(d);

    ENTER(env);
    x87_ptrs(env, d);
    if (x87_empty(env, 0) || x87_empty(env, i)) {
        if (x87_stack_fault(env, false)) {
            x87_set(env, 0, x87_indefinite());
        }
        return;
    }
    if (cpu_cc_test(env, cc)) {
        x87_set(env, 0, x87_get(env, i));
    }
}

#define FCMOV(name, cc)                                      \
    static void name(CPUX86State *env, const DecodedInsn *d) \
    {                                                        \
        x87_fcmov(env, d, cc);                               \
    }
FCMOV(fcmovb, 0x2)
FCMOV(fcmovnb, 0x3)
FCMOV(fcmove, 0x4)
FCMOV(fcmovne, 0x5)
FCMOV(fcmovbe, 0x6)
FCMOV(fcmovnbe, 0x7)
FCMOV(fcmovu, 0xa)
FCMOV(fcmovnu, 0xb)

/* FFREE: C1 = 0 (measured; the SDM leaves the codes undefined). */
static void ffree(CPUX86State *env, const DecodedInsn *d)
{
    ENTER(env);
    x87_ptrs(env, d);
    env->fptags |= 1u << x87_phys(env, sti(d));
    x87_set_c1(env, false);
}

/* FFREEP (DF C0+i): FFREE ST(i), then pop. */
static void ffreep(CPUX86State *env, const DecodedInsn *d)
{
    ENTER(env);
    x87_ptrs(env, d);
    env->fptags |= 1u << x87_phys(env, sti(d));
    x87_set_c1(env, false);
    x87_pop(env);
}

static void fdecstp(CPUX86State *env, const DecodedInsn *d)
{
    ENTER(env);
    x87_ptrs(env, d);
    x87_set_top(env, x87_top(env) - 1);
    x87_set_c1(env, false);
}

static void fincstp(CPUX86State *env, const DecodedInsn *d)
{
    ENTER(env);
    x87_ptrs(env, d);
    x87_set_top(env, x87_top(env) + 1);
    x87_set_c1(env, false);
}

static void fnop(CPUX86State *env, const DecodedInsn *d)
{
    ENTER(env);
    x87_ptrs(env, d);
}

/* ---- one-operand operations on ST(0) ---- */

/* FCHS, FABS: sign bit only, no exceptions but #IS; C1 = 0. */
static inline void x87_sign_op(CPUX86State *env, const DecodedInsn *d, bool abs)
{
    floatx80 v;

    ENTER(env);
    x87_ptrs(env, d);
    if (x87_empty(env, 0)) {
        if (x87_stack_fault(env, false)) {
            x87_set(env, 0, x87_indefinite());
        }
        return;
    }
    v = x87_get(env, 0);
    x87_set(env, 0, abs ? floatx80_abs(v) : floatx80_chs(v));
    x87_set_c1(env, false);
}

static void fchs(CPUX86State *env, const DecodedInsn *d)
{
    x87_sign_op(env, d, false);
}

static void fabs_(CPUX86State *env, const DecodedInsn *d)
{
    x87_sign_op(env, d, true);
}

typedef floatx80 X87Unary(floatx80 a, FloatStatus *s);

/* ST(0) = f(ST(0)): FSQRT FRNDINT F2XM1 */
static inline void x87_unary(CPUX86State *env, const DecodedInsn *d,
                             X87Unary *f, X87Kind kind)
{
    FloatStatus s;
    X87Redo rd;
    floatx80 r;

    ENTER(env);
    x87_ptrs(env, d);
    if (x87_empty(env, 0)) {
        if (x87_stack_fault(env, false)) {
            x87_set(env, 0, x87_indefinite());
        }
        return;
    }
    x87_status(env, &s);
    rd = (X87Redo){ kind, x87_get(env, 0) };
    r = f(rd.a, &s);
    if (x87_finish(env, &s, &r, &rd)) {
        x87_set(env, 0, r);
    }
}

static void fsqrt(CPUX86State *env, const DecodedInsn *d)
{
    x87_unary(env, d, floatx80_sqrt, XK_OTHER);
}

static void frndint(CPUX86State *env, const DecodedInsn *d)
{
    x87_unary(env, d, floatx80_round_to_int, XK_OTHER);
}

static void f2xm1(CPUX86State *env, const DecodedInsn *d)
{
    x87_unary(env, d, floatx80_f2xm1, XK_F2XM1);
}

/* Both ST(0) and ST(1) must be in use; the masked response to an
 * underflow writes the indefinite to ST(dst), then pops if asked. */
static bool x87_need2(CPUX86State *env, int dst, bool pop)
{
    if (x87_empty(env, 0) || x87_empty(env, 1)) {
        if (x87_stack_fault(env, false)) {
            x87_set(env, dst, x87_indefinite());
            if (pop) {
                x87_pop(env);
            }
        }
        return false;
    }
    return true;
}

/* FSCALE: ST(0) = ST(0) * 2^trunc(ST(1)) */
static void fscale(CPUX86State *env, const DecodedInsn *d)
{
    FloatStatus s;
    X87Redo rd;
    floatx80 r;

    ENTER(env);
    x87_ptrs(env, d);
    if (!x87_need2(env, 0, false)) {
        return;
    }
    x87_status(env, &s);
    rd = (X87Redo){ XK_SCALE, x87_get(env, 0), x87_get(env, 1) };
    r = floatx80_scale(rd.a, rd.b, &s);
    if (x87_finish(env, &s, &r, &rd)) {
        x87_set(env, 0, r);
    }
}

/*
 * FPREM, FPREM1: ST(0) = partial remainder of ST(0) / ST(1); C2 = 1
 * while incomplete, else the quotient's low bits in C0 (Q2), C3 (Q1)
 * and C1 (Q0).
 */
static inline void x87_prem(CPUX86State *env, const DecodedInsn *d, bool ieee)
{
    X87Redo rd = { XK_OTHER };
    FloatStatus s;
    floatx80 r;
    uint64_t q;
    bool incomplete;

    ENTER(env);
    x87_ptrs(env, d);
    if (!x87_need2(env, 0, false)) {
        x87_set_cc(env, FSW_C2, 0);
        return;
    }
    x87_status(env, &s);
    r = floatx80_prem(x87_get(env, 0), x87_get(env, 1), ieee, &q, &incomplete,
                      &s);
    if (!x87_finish(env, &s, &r, &rd)) {
        x87_set_cc(env, FSW_C2, 0);
    } else {
        x87_set(env, 0, r);
        if (floatx80_is_nan(r)) {
            /* No quotient: C2 = C1 = 0, C0 and C3 stay (measured). */
            x87_set_cc(env, FSW_C1 | FSW_C2, 0);
        } else {
            x87_set_cc(env, FSW_CC,
                       (q & 4 ? FSW_C0 : 0) | (q & 2 ? FSW_C3 : 0) |
                           (q & 1 ? FSW_C1 : 0) | (incomplete ? FSW_C2 : 0));
        }
    }
}

static void fprem(CPUX86State *env, const DecodedInsn *d)
{
    x87_prem(env, d, false);
}

static void fprem1(CPUX86State *env, const DecodedInsn *d)
{
    x87_prem(env, d, true);
}

/*
 * Two results: ST(0) becomes r0 and r1 is pushed (FXTRACT: exponent
 * then significand; FSINCOS: sine then cosine; FPTAN: tangent then 1).
 * The push needs ST(7) empty; the masked response to a stack fault
 * leaves the indefinite in both places.
 */
static bool x87_need_push1(CPUX86State *env)
{
    bool under = x87_empty(env, 0);

    if (under || !x87_empty(env, 7)) {
        if (x87_stack_fault(env, !under)) {
            x87_set(env, 0, x87_indefinite());
            x87_push(env, x87_indefinite());
        }
        return false;
    }
    return true;
}

/* FXTRACT: ST(0) = exponent, then push the significand. */
static void fxtract(CPUX86State *env, const DecodedInsn *d)
{
    X87Redo rd = { XK_OTHER };
    FloatStatus s;
    floatx80 sig, exp;

    ENTER(env);
    x87_ptrs(env, d);
    if (!x87_need_push1(env)) {
        return;
    }
    x87_status(env, &s);
    floatx80_extract(x87_get(env, 0), &sig, &exp, &s);
    if (x87_finish(env, &s, &sig, &rd)) {
        x87_set(env, 0, exp);
        x87_push(env, sig);
    }
}

/* ---- transcendentals ---- */

/* FYL2X FYL2XP1 FPATAN: ST(1) = f(ST(0), ST(1)), then pop. */
static inline void x87_binary_pop(CPUX86State *env, const DecodedInsn *d,
                                  X87Kind kind)
{
    FloatStatus s;
    X87Redo rd;
    floatx80 r, x, y;

    ENTER(env);
    x87_ptrs(env, d);
    if (!x87_need2(env, 1, true)) {
        return;
    }
    x87_status(env, &s);
    x = x87_get(env, 0);
    y = x87_get(env, 1);
    rd = kind == XK_ATAN ? (X87Redo){ kind, y, x } : (X87Redo){ kind, x, y };
    if (kind == XK_YL2X) {
        r = floatx80_yl2x(x, y, &s);
    } else if (kind == XK_YL2XP1) {
        r = floatx80_yl2xp1(x, y, &s);
    } else {
        r = floatx80_atan2(y, x, &s);
    }
    if (x87_finish(env, &s, &r, &rd)) {
        x87_set(env, 1, r);
        x87_pop(env);
    }
}

static void fyl2x(CPUX86State *env, const DecodedInsn *d)
{
    x87_binary_pop(env, d, XK_YL2X);
}

static void fyl2xp1(CPUX86State *env, const DecodedInsn *d)
{
    x87_binary_pop(env, d, XK_YL2XP1);
}

static void fpatan(CPUX86State *env, const DecodedInsn *d)
{
    x87_binary_pop(env, d, XK_ATAN);
}

/*
 * FSIN FCOS FPTAN FSINCOS: |ST(0)| >= 2^63 is out of range: C2 = 1, C1
 * = 0 and nothing else changes (SDM vol. 2, FSIN).  Otherwise C2 = 0.
 */
enum { TR_SIN, TR_COS, TR_TAN, TR_SINCOS };

static inline void x87_trig(CPUX86State *env, const DecodedInsn *d, int fn)
{
    X87Redo rd;
    FloatStatus s;
    floatx80 a, r, r2 = x80_one;
    bool ok;

    ENTER(env);
    x87_ptrs(env, d);
    /* C2 = 0 unless the operand is out of range, stack faults too. */
    x87_set_cc(env, FSW_C2, 0);
    if (fn == TR_TAN || fn == TR_SINCOS) {
        if (!x87_need_push1(env)) {
            return;
        }
    } else if (x87_empty(env, 0)) {
        if (x87_stack_fault(env, false)) {
            x87_set(env, 0, x87_indefinite());
        }
        return;
    }
    a = x87_get(env, 0);
    rd = (X87Redo){ fn == TR_TAN   ? XK_TAN
                    : fn == TR_COS ? XK_OTHER
                                   : XK_SIN,
                    a };
    x87_status(env, &s);
    switch (fn) {
    case TR_SIN:
        ok = floatx80_sin(a, &r, &s);
        break;
    case TR_COS:
        ok = floatx80_cos(a, &r, &s);
        break;
    case TR_TAN:
        ok = floatx80_tan(a, &r, &s);
        break;
    default:
        ok = floatx80_sincos(a, &r, &r2, &s);
        break;
    }
    if (!ok) {
        x87_set_cc(env, FSW_C1 | FSW_C2, FSW_C2);
        return;
    }
    if (x87_finish(env, &s, &r, &rd)) {
        x87_set(env, 0, r);
        if (fn == TR_TAN || fn == TR_SINCOS) {
            /* A NaN tangent is pushed again in place of 1 (measured). */
            x87_push(env, fn == TR_TAN && floatx80_is_nan(r) ? r : r2);
        }
    }
}

static void fsin(CPUX86State *env, const DecodedInsn *d)
{
    x87_trig(env, d, TR_SIN);
}

static void fcos(CPUX86State *env, const DecodedInsn *d)
{
    x87_trig(env, d, TR_COS);
}

static void fptan(CPUX86State *env, const DecodedInsn *d)
{
    x87_trig(env, d, TR_TAN);
}

static void fsincos(CPUX86State *env, const DecodedInsn *d)
{
    x87_trig(env, d, TR_SINCOS);
}

/* ---- the tables x87_select() picks from ---- */

/* clang-format off */
InsnHandler *const x87_mem_ops[8][8] = {
    /* D8 */ { fadd_m32, fmul_m32, fcom_m32, fcomp_m32,
               fsub_m32, fsubr_m32, fdiv_m32, fdivr_m32 },
    /* D9 */ { fld_m32, NULL, fst_m32, fstp_m32,
               x87_op_fldenv, x87_op_fldcw, x87_op_fnstenv, x87_op_fnstcw },
    /* DA */ { fiadd_m32, fimul_m32, ficom_m32, ficomp_m32,
               fisub_m32, fisubr_m32, fidiv_m32, fidivr_m32 },
    /* DB */ { fild_m32, fisttp_m32, fist_m32, fistp_m32,
               NULL, fld_m80, NULL, fstp_m80 },
    /* DC */ { fadd_m64, fmul_m64, fcom_m64, fcomp_m64,
               fsub_m64, fsubr_m64, fdiv_m64, fdivr_m64 },
    /* DD */ { fld_m64, fisttp_m64, fst_m64, fstp_m64,
               x87_op_frstor, NULL, x87_op_fnsave, x87_op_fnstsw_m },
    /* DE */ { fiadd_m16, fimul_m16, ficom_m16, ficomp_m16,
               fisub_m16, fisubr_m16, fidiv_m16, fidivr_m16 },
    /* DF */ { fild_m16, fisttp_m16, fist_m16, fistp_m16,
               fbld, fild_m64, fbstp, fistp_m64 },
};

/*
 * Register forms.  DC and DE write ST(i), and their /4../7 rows are
 * FSUBR FSUB FDIVR FDIV (the reverse of D8's order, SDM vol. 2, A.2.4.2).
 * The one-of rows (D9 /2 /4-/7, DA /5, DB /4, DE /3, DF /4) are sorted
 * out by x87_select().
 */
InsnHandler *const x87_reg_ops[8][8] = {
    /* D8 */ { fadd_st0, fmul_st0, fcom_st, fcomp_st,
               fsub_st0, fsubr_st0, fdiv_st0, fdivr_st0 },
    /* D9 */ { fld_st, fxch, fnop, fstp1_st, NULL, NULL, NULL, NULL },
    /* DA */ { fcmovb, fcmove, fcmovbe, fcmovu, NULL, fucompp, NULL, NULL },
    /* DB */ { fcmovnb, fcmovne, fcmovnbe, fcmovnu, NULL, fucomi, fcomi, NULL },
    /* DC */ { fadd_sti, fmul_sti, fcom_st, fcomp_st,
               fsubr_sti, fsub_sti, fdivr_sti, fdiv_sti },
    /* DD */ { ffree, fxch, fst_st, fstp_st, fucom_st, fucomp_st, NULL, NULL },
    /* DE */ { faddp, fmulp, fcomp_st, fcompp, fsubrp, fsubp, fdivrp, fdivp },
    /* DF */ { ffreep, fxch, fstp_st, fstp_st, NULL, fucomip, fcomip, NULL },
};

/* D9 E0-FF */
InsnHandler *const x87_d9_ops[32] = {
    /* e0 */ fchs, fabs_, NULL, NULL, ftst, fxam, NULL, NULL,
    /* e8 */ fld1, fldl2t, fldl2e, fldpi, fldlg2, fldln2, fldz, NULL,
    /* f0 */ f2xm1, fyl2x, fptan, fpatan, fxtract, fprem1, fdecstp, fincstp,
    /* f8 */ fprem, fyl2xp1, fsqrt, fsincos, frndint, fscale, fsin, fcos,
};
/* clang-format on */
