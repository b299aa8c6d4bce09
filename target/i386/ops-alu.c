/*
 * Integer arithmetic and logic: ADD OR ADC SBB AND SUB XOR CMP TEST INC
 * DEC NOT NEG (SDM vol. 2).  Flags are recorded lazily (flags.c).
 *
 * Each operation is written once as a function of (a, b, carry) and
 * expanded per form and size by the macros below.
 */
#include "target/i386/ops-common.h"

typedef uint64_t AluFn(CPUX86State *env, int ot, uint64_t a, uint64_t b);

static inline uint64_t alu_add(CPUX86State *env, int ot, uint64_t a, uint64_t b)
{
    uint64_t r = (a + b) & ot_mask(ot);

    set_cc(env, CC_OP(ADD, ot), r, b);
    return r;
}

static inline uint64_t alu_adc(CPUX86State *env, int ot, uint64_t a, uint64_t b)
{
    uint64_t c = cpu_cc_compute_c(env) ? 1 : 0;
    uint64_t r = (a + b + c) & ot_mask(ot);

    set_cc(env, CC_OP(ADC, ot), r, b);
    env->cc_src2 = c;
    return r;
}

static inline uint64_t alu_sub(CPUX86State *env, int ot, uint64_t a, uint64_t b)
{
    uint64_t r = (a - b) & ot_mask(ot);

    set_cc(env, CC_OP(SUB, ot), r, b);
    return r;
}

static inline uint64_t alu_sbb(CPUX86State *env, int ot, uint64_t a, uint64_t b)
{
    uint64_t c = cpu_cc_compute_c(env) ? 1 : 0;
    uint64_t r = (a - b - c) & ot_mask(ot);

    set_cc(env, CC_OP(SBB, ot), r, b);
    env->cc_src2 = c;
    return r;
}

static inline uint64_t alu_and(CPUX86State *env, int ot, uint64_t a, uint64_t b)
{
    uint64_t r = a & b;

    set_cc(env, CC_OP(LOGIC, ot), r, 0);
    return r;
}

static inline uint64_t alu_or(CPUX86State *env, int ot, uint64_t a, uint64_t b)
{
    uint64_t r = a | b;

    set_cc(env, CC_OP(LOGIC, ot), r, 0);
    return r;
}

static inline uint64_t alu_xor(CPUX86State *env, int ot, uint64_t a, uint64_t b)
{
    uint64_t r = a ^ b;

    set_cc(env, CC_OP(LOGIC, ot), r, 0);
    return r;
}

/*
 * One operation in its four forms at one size:
 *   EG: r/m = r/m op reg     GE: reg = reg op r/m
 *   AI: acc = acc op imm     EI: r/m = r/m op imm
 * write is false for CMP (and TEST), which only set flags.
 */
#define ALU_SIZED(op, fn, OT, SUF, write)                                     \
    static void op##_EG##SUF(CPUX86State *env, const DecodedInsn *d)          \
    {                                                                         \
        uint64_t b = reg_read(env, d->reg, OT);                               \
        if (write) {                                                          \
            uint64_t lin = lin_E_rmw(env, d, OT);                             \
            uint64_t a = ld_rmw(env, d, lin, OT);                             \
            st_rmw(env, d, lin, OT, fn(env, OT, a, b));                       \
        } else {                                                              \
            fn(env, OT, ld_E(env, d, OT), b);                                 \
        }                                                                     \
    }                                                                         \
    static void op##_GE##SUF(CPUX86State *env, const DecodedInsn *d)          \
    {                                                                         \
        uint64_t b = ld_E(env, d, OT);                                        \
        uint64_t r = fn(env, OT, reg_read(env, d->reg, OT), b);               \
        if (write) {                                                          \
            reg_write(env, d->reg, OT, r);                                    \
        }                                                                     \
    }                                                                         \
    static void op##_AI##SUF(CPUX86State *env, const DecodedInsn *d)          \
    {                                                                         \
        uint64_t r =                                                          \
            fn(env, OT, reg_read(env, R_EAX, OT), d->imm & ot_mask(OT));      \
        if (write) {                                                          \
            reg_write(env, R_EAX, OT, r);                                     \
        }                                                                     \
    }                                                                         \
    static void op##_EI##SUF(CPUX86State *env, const DecodedInsn *d)          \
    {                                                                         \
        uint64_t b = d->imm & ot_mask(OT);                                    \
        if (write) {                                                          \
            uint64_t lin = lin_E_rmw(env, d, OT);                             \
            uint64_t a = ld_rmw(env, d, lin, OT);                             \
            st_rmw(env, d, lin, OT, fn(env, OT, a, b));                       \
        } else {                                                              \
            fn(env, OT, ld_E(env, d, OT), b);                                 \
        }                                                                     \
    }                                                                         \
    /* The register forms: no memory path at all. */                          \
    static void op##_EG##SUF##_r(CPUX86State *env, const DecodedInsn *d)      \
    {                                                                         \
        uint64_t r =                                                          \
            fn(env, OT, reg_read(env, d->rm, OT), reg_read(env, d->reg, OT)); \
        if (write) {                                                          \
            reg_write(env, d->rm, OT, r);                                     \
        }                                                                     \
    }                                                                         \
    static void op##_GE##SUF##_r(CPUX86State *env, const DecodedInsn *d)      \
    {                                                                         \
        uint64_t r =                                                          \
            fn(env, OT, reg_read(env, d->reg, OT), reg_read(env, d->rm, OT)); \
        if (write) {                                                          \
            reg_write(env, d->reg, OT, r);                                    \
        }                                                                     \
    }                                                                         \
    static void op##_EI##SUF##_r(CPUX86State *env, const DecodedInsn *d)      \
    {                                                                         \
        uint64_t r =                                                          \
            fn(env, OT, reg_read(env, d->rm, OT), d->imm & ot_mask(OT));      \
        if (write) {                                                          \
            reg_write(env, d->rm, OT, r);                                     \
        }                                                                     \
    }

#define ALU_OP(op, fn, write)              \
    ALU_SIZED(op, fn, OT_BYTE, _8, write)  \
    ALU_SIZED(op, fn, OT_WORD, _16, write) \
    ALU_SIZED(op, fn, OT_LONG, _32, write) \
    ALU_SIZED(op, fn, OT_QUAD, _64, write) \
    DEF_HS4R(op##_EG, op##_EG);            \
    DEF_HS4R(op##_GE, op##_GE);            \
    DEF_HS4(op##_AI, op##_AI);             \
    DEF_HS4R(op##_EI, op##_EI);

ALU_OP(add, alu_add, true)
ALU_OP(or, alu_or, true)
ALU_OP(adc, alu_adc, true)
ALU_OP(sbb, alu_sbb, true)
ALU_OP(and, alu_and, true)
ALU_OP(sub, alu_sub, true)
ALU_OP(xor, alu_xor, true)
ALU_OP(cmp, alu_sub, false)

/* TEST: AND that only sets flags (EG, AI, and the EI of group 3). */
#define TEST_SIZED(OT, SUF)                                              \
    static void test_EG##SUF(CPUX86State *env, const DecodedInsn *d)     \
    {                                                                    \
        alu_and(env, OT, ld_E(env, d, OT), reg_read(env, d->reg, OT));   \
    }                                                                    \
    static void test_AI##SUF(CPUX86State *env, const DecodedInsn *d)     \
    {                                                                    \
        alu_and(env, OT, reg_read(env, R_EAX, OT), d->imm &ot_mask(OT)); \
    }                                                                    \
    static void test_EI##SUF(CPUX86State *env, const DecodedInsn *d)     \
    {                                                                    \
        alu_and(env, OT, ld_E(env, d, OT), d->imm &ot_mask(OT));         \
    }
TEST_SIZED(OT_BYTE, _8)
TEST_SIZED(OT_WORD, _16)
TEST_SIZED(OT_LONG, _32)
TEST_SIZED(OT_QUAD, _64)
DEF_HS4(test_EG, test_EG);
DEF_HS4(test_AI, test_AI);
DEF_HS4(test_EI, test_EI);

/* INC/DEC keep CF (SDM vol. 2): saved in cc_src. */
static inline uint64_t alu_inc(CPUX86State *env, int ot, uint64_t a)
{
    uint32_t cf = cpu_cc_compute_c(env);
    uint64_t r = (a + 1) & ot_mask(ot);

    set_cc(env, CC_OP(INC, ot), r, cf);
    return r;
}

static inline uint64_t alu_dec(CPUX86State *env, int ot, uint64_t a)
{
    uint32_t cf = cpu_cc_compute_c(env);
    uint64_t r = (a - 1) & ot_mask(ot);

    set_cc(env, CC_OP(DEC, ot), r, cf);
    return r;
}

#define UNARY_SIZED(op, expr, OT, SUF)                              \
    static void op##_E##SUF(CPUX86State *env, const DecodedInsn *d) \
    {                                                               \
        uint64_t lin = lin_E_rmw(env, d, OT);                       \
        uint64_t a = ld_rmw(env, d, lin, OT);                       \
        const int ot = OT;                                          \
        st_rmw(env, d, lin, OT, (expr));                            \
        (void)ot;                                                   \
    }
#define UNARY_OP(op, expr)              \
    UNARY_SIZED(op, expr, OT_BYTE, _8)  \
    UNARY_SIZED(op, expr, OT_WORD, _16) \
    UNARY_SIZED(op, expr, OT_LONG, _32) \
    UNARY_SIZED(op, expr, OT_QUAD, _64) \
    DEF_HS4(op##_E, op##_E);

UNARY_OP(inc, alu_inc(env, ot, a))
UNARY_OP(dec, alu_dec(env, ot, a))
/* NOT changes no flags. */
UNARY_OP(not, ~a &ot_mask(ot))
/* NEG: 0 - a, CF = (a != 0). */
UNARY_OP(neg, alu_sub(env, ot, 0, a))

/* 40-4F (32-bit mode only): INC/DEC of the register in the opcode. */
#define INCDEC_R(OT, SUF)                                          \
    static void inc_R##SUF(CPUX86State *env, const DecodedInsn *d) \
    {                                                              \
        reg_write(env, d->reg, OT,                                 \
                  alu_inc(env, OT, reg_read(env, d->reg, OT)));    \
    }                                                              \
    static void dec_R##SUF(CPUX86State *env, const DecodedInsn *d) \
    {                                                              \
        reg_write(env, d->reg, OT,                                 \
                  alu_dec(env, OT, reg_read(env, d->reg, OT)));    \
    }
INCDEC_R(OT_WORD, _16)
INCDEC_R(OT_LONG, _32)
const InsnHandlerSet hs_inc_R = { { NULL, inc_R_16, inc_R_32, NULL } };
const InsnHandlerSet hs_dec_R = { { NULL, dec_R_16, dec_R_32, NULL } };
