/*
 * Shifts and rotates: ROL ROR RCL RCR SHL/SAL SHR SAR (group 2: C0 C1 D0-D3)
 * and the double shifts SHLD SHRD (0F A4 A5 AC AD), SDM vol. 2.
 *
 * Rules common to all of them (SDM vol. 2, SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR,
 * SHLD, SHRD):
 *  - The count (imm8, 1, or CL) is masked to 5 bits, or 6 bits with a
 *    64-bit operand.
 *  - A masked count of 0 changes nothing, not even the flags.  A 32-bit
 *    register destination is still written back (zero-extended to 64
 *    bits), as hardware does; a memory destination is read with write
 *    intent (so it faults as the shift would) but not written.
 *  - OF is defined only for a masked count of 1; for other counts we
 *    compute it with the count-1 formula.  AF is undefined: we clear it.
 *
 * SHL/SHR/SAR and the double shifts use lazy flags (CC_OP_SHL*, CC_OP_SAR*);
 * rotates change only CF and OF, so they fold the flags eagerly.
 */
#include "target/i386/ops-common.h"

typedef unsigned __int128 u128;

/* The masked shift count of a group-2 or double-shift instruction. */
static inline unsigned shift_count(CPUX86State *env, const DecodedInsn *d,
                                   int ot)
{
    uint64_t c = (d->flags & INSN_COUNT_CL) ? env->regs[R_ECX] : d->imm;

    return c & (ot == OT_QUAD ? 0x3f : 0x1f);
}

static inline uint64_t msb(uint64_t v, int ot)
{
    return (v >> (ot_bits(ot) - 1)) & 1;
}

/* Replaces CF and OF, keeping the other arithmetic flags. */
static inline void set_cf_of(CPUX86State *env, uint64_t cf, uint64_t of)
{
    uint32_t f = cpu_cc_compute_all(env) & ~(CC_C | CC_O);

    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = f | (cf ? CC_C : 0) | (of ? CC_O : 0);
}

/*
 * Each operation: v is the operand (masked to ot), count is the masked
 * count, never 0.  Returns the result and records the flags.
 */

static uint64_t op_shl(CPUX86State *env, int ot, uint64_t v, unsigned count)
{
    uint64_t r = (v << count) & ot_mask(ot);

    /* CF is the last bit shifted out: the MSB of v << (count - 1).  With a
     * count >= the operand size CF is undefined (we shift in zeros). */
    set_cc(env, CC_OP(SHL, ot), r, v << (count - 1));
    return r;
}

static uint64_t op_shr(CPUX86State *env, int ot, uint64_t v, unsigned count)
{
    /* count < 64, and v < 2^bits: shifting past the operand gives 0. */
    uint64_t r = v >> count;

    set_cc(env, CC_OP(SAR, ot), r, v >> (count - 1));
    /* OF (count 1): the most significant bit of the original operand. */
    env->cc_src2 = msb(v, ot);
    return r;
}

static uint64_t op_sar(CPUX86State *env, int ot, uint64_t v, unsigned count)
{
    int64_t s = sext_ot(v, ot);
    uint64_t r = (uint64_t)(s >> count) & ot_mask(ot);

    /* Past the operand size the sign fills everything, CF included. */
    set_cc(env, CC_OP(SAR, ot), r, (uint64_t)(s >> (count - 1)));
    env->cc_src2 = 0; /* OF is cleared for count 1 */
    return r;
}

static inline uint64_t rotl(uint64_t v, unsigned n, int ot)
{
    int bits = ot_bits(ot);

    return n ? ((v << n) | (v >> (bits - n))) & ot_mask(ot) : v;
}

/* ROL: tempCOUNT = count mod size; CF = LSB(result), OF = MSB ^ CF. */
static uint64_t op_rol(CPUX86State *env, int ot, uint64_t v, unsigned count)
{
    uint64_t r = rotl(v, count & (ot_bits(ot) - 1), ot);

    set_cf_of(env, r & 1, msb(r, ot) ^ (r & 1));
    return r;
}

/* ROR: CF = MSB(result), OF = the XOR of the two most significant bits. */
static uint64_t op_ror(CPUX86State *env, int ot, uint64_t v, unsigned count)
{
    int bits = ot_bits(ot);
    unsigned n = count & (bits - 1);
    uint64_t r = rotl(v, n ? bits - n : 0, ot);

    set_cf_of(env, msb(r, ot), msb(r, ot) ^ ((r >> (bits - 2)) & 1));
    return r;
}

/*
 * RCL/RCR rotate the (size + 1)-bit value CF:operand; the count is taken
 * modulo 9 for bytes and 17 for words (SDM vol. 2, RCL), which for 32 and
 * 64 bits changes nothing as the masked count is below 33 / 65.
 */
static uint64_t op_rcl(CPUX86State *env, int ot, uint64_t v, unsigned count)
{
    int bits = ot_bits(ot);
    int w = bits + 1;
    unsigned n = count % w;
    u128 cf = cpu_cc_compute_c(env) ? 1 : 0;
    u128 t = (cf << bits) | v;
    u128 wmask = ((u128)1 << w) - 1;
    uint64_t r;

    if (n) {
        t = ((t << n) | (t >> (w - n))) & wmask;
    }
    r = (uint64_t)t & ot_mask(ot);
    cf = (t >> bits) & 1;
    set_cf_of(env, cf, msb(r, ot) ^ cf);
    return r;
}

static uint64_t op_rcr(CPUX86State *env, int ot, uint64_t v, unsigned count)
{
    int bits = ot_bits(ot);
    int w = bits + 1;
    unsigned n = count % w;
    u128 cf = cpu_cc_compute_c(env) ? 1 : 0;
    u128 t = (cf << bits) | v;
    u128 wmask = ((u128)1 << w) - 1;
    uint64_t r;

    if (n) {
        t = ((t >> n) | (t << (w - n))) & wmask;
    }
    r = (uint64_t)t & ot_mask(ot);
    cf = (t >> bits) & 1;
    /* Count 1: OF = MSB(DEST) ^ CF before the rotation, which are now the
     * two most significant bits of the result. */
    set_cf_of(env, cf, msb(r, ot) ^ ((r >> (bits - 2)) & 1));
    return r;
}

typedef uint64_t ShiftFn(CPUX86State *env, int ot, uint64_t v, unsigned count);

static inline void do_shift(CPUX86State *env, const DecodedInsn *d, int ot,
                            ShiftFn *fn)
{
    unsigned count = shift_count(env, d, ot);
    uint64_t lin = lin_E_rmw(env, d, ot);
    uint64_t v = ld_rmw(env, d, lin, ot);

    if (count == 0) {
        if (d->mod3) {
            reg_write(env, d->rm, ot, v);
        }
        return;
    }
    st_rmw(env, d, lin, ot, fn(env, ot, v, count));
}

/*
 * SHLD/SHRD.  The source bits come from the register operand.  A 16-bit
 * operand with a count above 16 is undefined (SDM vol. 2, SHLD); we then
 * shift the 48-bit value DEST:SRC:DEST, which for counts up to 16 is the
 * same as the defined DEST:SRC.
 */
static uint64_t op_shld(CPUX86State *env, int ot, uint64_t dst, uint64_t src,
                        unsigned count)
{
    int bits = ot_bits(ot);
    u128 t = ((u128)dst << bits) | src;
    int w = 2 * bits;
    uint64_t r, cf;

    if (ot == OT_WORD) {
        t = (t << 16) | dst;
        w = 48;
    }
    r = (uint64_t)(t >> (w - bits - count)) & ot_mask(ot);
    cf = (uint64_t)(t >> (w - count)) & 1;
    /* OF = MSB(result) ^ CF: the sign changed (count 1). */
    set_cc(env, CC_OP(SHL, ot), r, cf << (bits - 1));
    return r;
}

static uint64_t op_shrd(CPUX86State *env, int ot, uint64_t dst, uint64_t src,
                        unsigned count)
{
    int bits = ot_bits(ot);
    u128 t = ((u128)src << bits) | dst;
    uint64_t r, cf;

    if (ot == OT_WORD) {
        t |= (u128)dst << 32;
    }
    r = (uint64_t)(t >> count) & ot_mask(ot);
    cf = (uint64_t)(t >> (count - 1)) & 1;
    set_cc(env, CC_OP(SAR, ot), r, cf);
    env->cc_src2 = msb(r, ot) ^ msb(dst, ot); /* the sign changed */
    return r;
}

typedef uint64_t DShiftFn(CPUX86State *env, int ot, uint64_t dst, uint64_t src,
                          unsigned count);

static inline void do_dshift(CPUX86State *env, const DecodedInsn *d, int ot,
                             DShiftFn *fn)
{
    unsigned count = shift_count(env, d, ot);
    uint64_t lin = lin_E_rmw(env, d, ot);
    uint64_t v = ld_rmw(env, d, lin, ot);

    if (count == 0) {
        if (d->mod3) {
            reg_write(env, d->rm, ot, v);
        }
        return;
    }
    st_rmw(env, d, lin, ot, fn(env, ot, v, reg_read(env, d->reg, ot), count));
}

/* Handlers name_16/_32/_64 (and name_8 with SIZED) calling call(). */
#define SIZED_WLQ(name, call)                                     \
    static void name##_16(CPUX86State *env, const DecodedInsn *d) \
    {                                                             \
        call(env, d, OT_WORD, op_##name);                         \
    }                                                             \
    static void name##_32(CPUX86State *env, const DecodedInsn *d) \
    {                                                             \
        call(env, d, OT_LONG, op_##name);                         \
    }                                                             \
    static void name##_64(CPUX86State *env, const DecodedInsn *d) \
    {                                                             \
        call(env, d, OT_QUAD, op_##name);                         \
    }
#define SIZED(name, call)                                        \
    static void name##_8(CPUX86State *env, const DecodedInsn *d) \
    {                                                            \
        call(env, d, OT_BYTE, op_##name);                        \
    }                                                            \
    SIZED_WLQ(name, call)

SIZED(rol, do_shift)
SIZED(ror, do_shift)
SIZED(rcl, do_shift)
SIZED(rcr, do_shift)
SIZED(shl, do_shift)
SIZED(shr, do_shift)
SIZED(sar, do_shift)
DEF_HS4(rol, rol);
DEF_HS4(ror, ror);
DEF_HS4(rcl, rcl);
DEF_HS4(rcr, rcr);
DEF_HS4(shl, shl);
DEF_HS4(shr, shr);
DEF_HS4(sar, sar);

/* SHLD/SHRD have no byte form (the decoder never picks slot 0). */
SIZED_WLQ(shld, do_dshift)
SIZED_WLQ(shrd, do_dshift)
const InsnHandlerSet hs_shld = { { NULL, shld_16, shld_32, shld_64 } };
const InsnHandlerSet hs_shrd = { { NULL, shrd_16, shrd_32, shrd_64 } };
