/*
 * Decimal arithmetic adjustments: DAA DAS AAA AAS AAM AAD, and SALC
 * (SDM vol. 2; all #UD in 64-bit mode, which the decoder handles).
 *
 * The algorithms are the SDM's pseudo-code.  Flags the SDM leaves
 * undefined get a fixed, documented value: for DAA/DAS OF = 0; for
 * AAA/AAS SF ZF PF from the resulting AL and OF = 0; AAM sets CF OF AF as
 * a logical operation on AL (all 0); AAD as the byte addition
 * AL + AH * imm8 that it performs.
 */
#include "target/i386/ops-common.h"

static inline uint32_t szp8(uint8_t v)
{
    uint32_t f = v == 0 ? CC_Z : 0;

    f |= (v & 0x80) ? CC_S : 0;
    f |= (__builtin_popcount(v) & 1) ? 0 : CC_P;
    return f;
}

static inline void set_flags(CPUX86State *env, uint32_t f)
{
    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = f;
}

static inline uint8_t get_al(CPUX86State *env)
{
    return env->regs[R_EAX] & 0xff;
}

static inline uint8_t get_ah(CPUX86State *env)
{
    return (env->regs[R_EAX] >> 8) & 0xff;
}

/* 27: DAA, decimal adjust AL after addition. */
static void daa(CPUX86State *env, const DecodedInsn *d)
{
    uint32_t f = cpu_cc_compute_all(env);
    uint8_t old_al = get_al(env), al = old_al;
    bool old_cf = f & CC_C;
    uint32_t nf = 0;

    if ((al & 0x0f) > 9 || (f & CC_A)) {
        /* CF := old_CF or the carry out of AL + 6; AF := 1. */
        nf |= ((al + 6) > 0xff || old_cf) ? CC_C : 0;
        al += 6;
        nf |= CC_A;
    }
    if (old_al > 0x99 || old_cf) {
        al += 0x60;
        nf |= CC_C;
    } else {
        nf &= ~CC_C;
    }
    reg_write(env, R_EAX, OT_BYTE, al);
    set_flags(env, nf | szp8(al));
}

/* 2F: DAS, decimal adjust AL after subtraction. */
static void das(CPUX86State *env, const DecodedInsn *d)
{
    uint32_t f = cpu_cc_compute_all(env);
    uint8_t old_al = get_al(env), al = old_al;
    bool old_cf = f & CC_C;
    uint32_t nf = 0;

    if ((al & 0x0f) > 9 || (f & CC_A)) {
        /* CF := old_CF or the borrow out of AL - 6; AF := 1. */
        nf |= (al < 6 || old_cf) ? CC_C : 0;
        al -= 6;
        nf |= CC_A;
    }
    if (old_al > 0x99 || old_cf) {
        al -= 0x60;
        nf |= CC_C;
    }
    reg_write(env, R_EAX, OT_BYTE, al);
    set_flags(env, nf | szp8(al));
}

/* 37: AAA, ASCII adjust after addition: AX += 106h when AL's low digit
 * overflowed, then AL keeps its low nibble. */
static void aaa(CPUX86State *env, const DecodedInsn *d)
{
    uint32_t f = cpu_cc_compute_all(env);
    uint16_t ax = env->regs[R_EAX] & 0xffff;
    uint32_t nf = 0;

    if ((ax & 0x0f) > 9 || (f & CC_A)) {
        ax += 0x106;
        nf = CC_A | CC_C;
    }
    ax &= 0xff0f;
    reg_write(env, R_EAX, OT_WORD, ax);
    set_flags(env, nf | szp8(ax & 0xff));
}

/* 3F: AAS, ASCII adjust after subtraction: AX -= 6, AH -= 1. */
static void aas(CPUX86State *env, const DecodedInsn *d)
{
    uint32_t f = cpu_cc_compute_all(env);
    uint16_t ax = env->regs[R_EAX] & 0xffff;
    uint32_t nf = 0;

    if ((ax & 0x0f) > 9 || (f & CC_A)) {
        ax -= 6;
        ax -= 0x100;
        nf = CC_A | CC_C;
    }
    ax &= 0xff0f;
    reg_write(env, R_EAX, OT_WORD, ax);
    set_flags(env, nf | szp8(ax & 0xff));
}

/* D4 ib: AAM, AH = AL / imm8, AL = AL mod imm8; imm8 = 0 is #DE. */
static void aam(CPUX86State *env, const DecodedInsn *d)
{
    uint8_t base = d->imm, al = get_al(env);

    if (base == 0) {
        raise_exception(env, EXCP00_DIVZ);
    }
    reg_write(env, R_EAX, OT_WORD, ((al / base) << 8) | (al % base));
    set_cc(env, CC_OP_LOGICB, al % base, 0);
}

/* D5 ib: AAD, AL = AL + AH * imm8 (mod 256), AH = 0. */
static void aad(CPUX86State *env, const DecodedInsn *d)
{
    uint8_t base = d->imm;
    uint8_t prod = get_ah(env) * base;
    uint8_t al = get_al(env) + prod;

    reg_write(env, R_EAX, OT_WORD, al);
    set_cc(env, CC_OP_ADDB, al, prod);
}

/* D6: SALC (undocumented by Intel, present on every x86): AL = CF ? FF : 0.
 * Flags unchanged. */
static void salc(CPUX86State *env, const DecodedInsn *d)
{
    reg_write(env, R_EAX, OT_BYTE, cpu_cc_compute_c(env) ? 0xff : 0);
}

DEF_HS1(daa, daa);
DEF_HS1(das, das);
DEF_HS1(aaa, aaa);
DEF_HS1(aas, aas);
DEF_HS1(aam, aam);
DEF_HS1(aad, aad);
DEF_HS1(salc, salc);
