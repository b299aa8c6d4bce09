/*
 * Internals shared by fpu/softfloat*.c: the unpacked form of a number,
 * format descriptions, and the one rounding routine every result goes
 * through.
 */
#ifndef FPU_SOFTFLOAT_INTERNAL_H
#define FPU_SOFTFLOAT_INTERNAL_H

#include "fpu/softfloat.h"

typedef unsigned __int128 u128;

/* Operand classes after unpacking. */
enum {
    FC_ZERO,
    FC_NORMAL, /* any finite non-zero value, denormals normalized */
    FC_INF,
    FC_QNAN,
    FC_SNAN,
    FC_UNSUPPORTED, /* floatx80 pseudo-NaN/-infinity, unnormal */
};

/*
 * An unpacked operand.  FC_NORMAL: value = sig * 2^(exp - 63) with bit 63
 * of sig set.  NaNs: sig holds the fraction left-aligned below bit 63
 * (the quiet bit is bit 62), so payloads carry across formats by
 * truncation or zero extension as on x86.
 */
typedef struct FloatParts {
    uint64_t sig;
    int32_t exp;
    uint8_t cls;
    bool sign;
    bool denormal; /* the encoding was a (pseudo-)denormal: DE */
} FloatParts;

#define SIG_QUIET (1ull << 62)
#define SIG_INT   (1ull << 63)

/* A format with its rounding precision. */
typedef struct FloatFmt {
    uint8_t frac_bits;  /* stored fraction bits: 23, 52, 63 */
    uint8_t prec;       /* significand bits kept by rounding: 24, 53, 24..64 */
    bool explicit_int;  /* floatx80: integer bit stored */
    int32_t bias;       /* 127, 1023, 16383 */
    int32_t emin, emax; /* exponent range of normal numbers */
} FloatFmt;

extern const FloatFmt sf_fmt_f32, sf_fmt_f64;
extern const FloatFmt sf_fmt_x80_24, sf_fmt_x80_53, sf_fmt_x80_64;

/*
 * A rounded result before final packing: exp is the biased exponent
 * field; mant is the significand with the hidden bit at bit frac_bits
 * (IEEE formats; packing masks it off) or the full explicit significand
 * (floatx80).
 */
typedef struct RawFloat {
    uint64_t mant;
    uint32_t exp;
    bool sign;
} RawFloat;

static inline int clz64(uint64_t x)
{
    return __builtin_clzll(x);
}

static inline int clz128(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);
    return hi ? clz64(hi) : 64 + clz64((uint64_t)x);
}

/* Right shift that ORs every bit shifted out into bit 0 ("jamming"). */
static inline u128 shr_jam128(u128 x, int n)
{
    if (n == 0) {
        return x;
    }
    if (n >= 128) {
        return x != 0;
    }
    return (x >> n) | ((x << (128 - n)) != 0);
}

static inline const FloatFmt *sf_fmt_x80(const FloatStatus *s)
{
    switch (s->x80_precision) {
    case floatx80_precision_24:
        return &sf_fmt_x80_24;
    case floatx80_precision_53:
        return &sf_fmt_x80_53;
    default:
        return &sf_fmt_x80_64;
    }
}

FloatParts sf_unpack_x80(floatx80 a);
floatx80 sf_pack_x80(RawFloat r);

/*
 * Round sig * 2^(exp - 127) (bit 127 of sig set) to the format: x86
 * tininess after rounding, masked overflow/underflow responses, FTZ,
 * flags and the round-up indication.
 */
RawFloat sf_round_pack(FloatStatus *s, const FloatFmt *f, bool sign,
                       int32_t exp, u128 sig);

/* Pack a normalized FloatParts (exact unless the format is narrower). */
static inline RawFloat sf_round_parts(FloatStatus *s, const FloatFmt *f,
                                      FloatParts p)
{
    return sf_round_pack(s, f, p.sign, p.exp, (u128)p.sig << 64);
}

RawFloat sf_raw_zero(bool sign);
RawFloat sf_raw_inf(const FloatFmt *f, bool sign);
RawFloat sf_raw_default_nan(const FloatFmt *f);
/* A quiet NaN result from a NaN operand (sig left-aligned). */
RawFloat sf_raw_nan(const FloatFmt *f, bool sign, uint64_t sig);

/*
 * The NaN result of an operation with at least one NaN operand: IE for
 * an SNaN, then SDM table 4-7 under s->nan_rule.  a is the first source.
 */
RawFloat sf_pick_nan(const FloatFmt *f, const FloatParts *a,
                     const FloatParts *b, FloatStatus *s);

/* IE and the default NaN. */
RawFloat sf_invalid(const FloatFmt *f, FloatStatus *s);

static inline bool sf_is_nan(const FloatParts *p)
{
    return p->cls == FC_QNAN || p->cls == FC_SNAN;
}

#endif
