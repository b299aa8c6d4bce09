/*
 * Multiply and divide: MUL, IMUL (one-, two- and three-operand forms),
 * DIV, IDIV (SDM vol. 2).
 *
 * Products and dividends are formed in 128 bits, so one body serves all
 * four operand sizes.  The multiplies set CF = OF = "the upper half is
 * significant" (CC_OP_MUL*, SF ZF AF PF undefined: derived from the low
 * half).  The divides leave every flag undefined; we leave them unchanged.
 * A divide error (#DE) is raised before anything is written.
 */
#include "target/i386/ops-common.h"

typedef unsigned __int128 u128;
typedef __int128 s128;

/* Sign-extends the low bits bits of v (bits 1..127). */
static inline s128 sext128(u128 v, int bits)
{
    int shift = 128 - bits;

    return (s128)(v << shift) >> shift;
}

/*
 * Writes a double-size result: AX for bytes (AH:AL), else rDX:rAX.  The
 * 32-bit halves are zero-extended in 64-bit mode as any 32-bit write.
 */
static inline void write_dx_ax(CPUX86State *env, int ot, uint64_t lo,
                               uint64_t hi)
{
    if (ot == OT_BYTE) {
        reg_write(env, R_EAX, OT_WORD, (hi << 8) | lo);
    } else {
        reg_write(env, R_EAX, ot, lo);
        reg_write(env, R_EDX, ot, hi);
    }
}

/* The double-size dividend: AX for bytes, else rDX:rAX. */
static inline u128 read_dx_ax(CPUX86State *env, int ot)
{
    if (ot == OT_BYTE) {
        return reg_read(env, R_EAX, OT_WORD);
    }
    return ((u128)reg_read(env, R_EDX, ot) << ot_bits(ot)) |
           reg_read(env, R_EAX, ot);
}

/* F6/F7 /4: MUL r/m.  rDX:rAX = rAX * r/m (AX = AL * r/m8). */
static inline void do_mul(CPUX86State *env, const DecodedInsn *d, int ot)
{
    uint64_t b = ld_E(env, d, ot);
    u128 p = (u128)reg_read(env, R_EAX, ot) * b;
    uint64_t lo = (uint64_t)p & ot_mask(ot);
    uint64_t hi = (uint64_t)(p >> ot_bits(ot));

    write_dx_ax(env, ot, lo, hi);
    set_cc(env, CC_OP(MUL, ot), lo, hi != 0);
}

/* F6/F7 /5: IMUL r/m, signed.  CF = OF = the product does not fit the
 * low half (is not the sign extension of it). */
static inline void do_imul1(CPUX86State *env, const DecodedInsn *d, int ot)
{
    int64_t b = sext_ot(ld_E(env, d, ot), ot);
    s128 p = (s128)sext_ot(reg_read(env, R_EAX, ot), ot) * b;
    uint64_t lo = (uint64_t)p & ot_mask(ot);
    uint64_t hi = (uint64_t)((u128)p >> ot_bits(ot)) & ot_mask(ot);

    write_dx_ax(env, ot, lo, hi);
    set_cc(env, CC_OP(MUL, ot), lo, p != sext_ot(lo, ot));
}

/* IMUL r, r/m, imm (69, 6B) and IMUL r, r/m (0F AF): truncated product. */
static inline void imul_trunc(CPUX86State *env, const DecodedInsn *d, int ot,
                              uint64_t a, uint64_t b)
{
    s128 p = (s128)sext_ot(a, ot) * sext_ot(b, ot);
    uint64_t r = (uint64_t)p & ot_mask(ot);

    reg_write(env, d->reg, ot, r);
    set_cc(env, CC_OP(MUL, ot), r, p != sext_ot(r, ot));
}

static inline void do_imul_ge(CPUX86State *env, const DecodedInsn *d, int ot)
{
    uint64_t b = ld_E(env, d, ot);

    imul_trunc(env, d, ot, reg_read(env, d->reg, ot), b);
}

static inline void do_imul_gei(CPUX86State *env, const DecodedInsn *d, int ot)
{
    /* The decoder sign-extended the immediate (Ib or Iz) to 64 bits. */
    imul_trunc(env, d, ot, ld_E(env, d, ot), d->imm);
}

/*
 * F6/F7 /6: DIV r/m.  Quotient to AL/rAX, remainder to AH/rDX; #DE when
 * the divisor is 0 or the quotient does not fit (SDM vol. 2, DIV).
 */
static inline void do_div(CPUX86State *env, const DecodedInsn *d, int ot)
{
    uint64_t b = ld_E(env, d, ot);
    u128 n = read_dx_ax(env, ot);
    u128 q;

    if (b == 0) {
        raise_exception(env, EXCP00_DIVZ);
    }
    q = n / b;
    if (q > ot_mask(ot)) {
        raise_exception(env, EXCP00_DIVZ);
    }
    write_dx_ax(env, ot, (uint64_t)q, (uint64_t)(n % b));
}

/*
 * F6/F7 /7: IDIV r/m, truncating toward zero; the remainder has the
 * dividend's sign.  #DE when the divisor is 0 or the quotient is outside
 * the signed range of the operand size (SDM vol. 2, IDIV).  Computed on
 * magnitudes, so no case overflows in C.
 */
static inline void do_idiv(CPUX86State *env, const DecodedInsn *d, int ot)
{
    int bits = ot_bits(ot);
    int64_t b = sext_ot(ld_E(env, d, ot), ot);
    s128 n = sext128(read_dx_ax(env, ot), ot == OT_BYTE ? 16 : 2 * bits);
    bool nneg = n < 0, bneg = b < 0;
    u128 un = nneg ? -(u128)n : (u128)n;
    u128 ub = bneg ? -(u128)b : (u128)b;
    u128 uq, ur, limit;
    uint64_t q, r;

    if (b == 0) {
        raise_exception(env, EXCP00_DIVZ);
    }
    uq = un / ub;
    ur = un % ub;
    /* The quotient may be -2^(bits-1) but at most 2^(bits-1) - 1. */
    limit = ((u128)1 << (bits - 1)) - (nneg == bneg ? 1 : 0);
    if (uq > limit) {
        raise_exception(env, EXCP00_DIVZ);
    }
    q = (uint64_t)(nneg != bneg ? -uq : uq) & ot_mask(ot);
    r = (uint64_t)(nneg ? -ur : ur) & ot_mask(ot);
    write_dx_ax(env, ot, q, r);
}

/* Handlers name_16/_32/_64 (and name_8 with SIZED) calling fn(). */
#define SIZED_WLQ(name, fn)                                       \
    static void name##_16(CPUX86State *env, const DecodedInsn *d) \
    {                                                             \
        fn(env, d, OT_WORD);                                      \
    }                                                             \
    static void name##_32(CPUX86State *env, const DecodedInsn *d) \
    {                                                             \
        fn(env, d, OT_LONG);                                      \
    }                                                             \
    static void name##_64(CPUX86State *env, const DecodedInsn *d) \
    {                                                             \
        fn(env, d, OT_QUAD);                                      \
    }
#define SIZED(name, fn)                                          \
    static void name##_8(CPUX86State *env, const DecodedInsn *d) \
    {                                                            \
        fn(env, d, OT_BYTE);                                     \
    }                                                            \
    SIZED_WLQ(name, fn)                                          \
    DEF_HS4(name, name);

SIZED(mul_E, do_mul)
SIZED(imul_E, do_imul1)
SIZED(div_E, do_div)
SIZED(idiv_E, do_idiv)

/* No byte forms (the decoder never picks slot 0). */
SIZED_WLQ(imul_GE, do_imul_ge)
SIZED_WLQ(imul_GEI, do_imul_gei)
const InsnHandlerSet hs_imul_GE = { { NULL, imul_GE_16, imul_GE_32,
                                      imul_GE_64 } };
const InsnHandlerSet hs_imul_GEI = { { NULL, imul_GEI_16, imul_GEI_32,
                                       imul_GEI_64 } };
