/*
 * Software floating point: float32, float64 and floatx80 arithmetic,
 * comparisons, rounding to integral values and conversions, written from
 * IEEE 754 and the Intel SDM vol. 1 (4.8 real numbers and NaN rules,
 * 4.9 exceptions, 8.1.5 x87 control word, 10.2.3 MXCSR, 11.5 SIMD
 * floating-point exceptions).
 *
 * Every operand is unpacked into a FloatParts (sign, exponent, 64-bit
 * significand with its leading bit at bit 63); every finite result is
 * computed exactly or with a sticky bit in a 128-bit significand and
 * rounded once by sf_round_pack().  Only integer arithmetic is used.
 */
#include "qemu/osdep.h"
#include "softfloat-internal.h"

const FloatFmt sf_fmt_f32 = { 23, 24, false, 127, -126, 127 };
const FloatFmt sf_fmt_f64 = { 52, 53, false, 1023, -1022, 1023 };
const FloatFmt sf_fmt_x80_24 = { 63, 24, true, 16383, -16382, 16383 };
const FloatFmt sf_fmt_x80_53 = { 63, 53, true, 16383, -16382, 16383 };
const FloatFmt sf_fmt_x80_64 = { 63, 64, true, 16383, -16382, 16383 };

void float_status_init_x87(FloatStatus *s, uint16_t fcw)
{
    memset(s, 0, sizeof(*s));
    s->rounding_mode = (fcw >> 10) & 3;
    s->x80_precision = (fcw >> 8) & 3;
    s->nan_rule = float_nan_x87;
}

void float_status_init_sse(FloatStatus *s, uint32_t mxcsr)
{
    memset(s, 0, sizeof(*s));
    s->rounding_mode = (mxcsr >> 13) & 3;
    /* SDM 10.2.3.3: FTZ only acts when underflow is masked. */
    s->flush_to_zero = (mxcsr & (1u << 15)) && (mxcsr & (1u << 11));
    s->denormals_are_zero = (mxcsr >> 6) & 1;
    s->x80_precision = floatx80_precision_64;
    s->nan_rule = float_nan_sse;
}

/*
 * Unpacking and packing.
 */

static inline int fmt_exp_bits(const FloatFmt *f)
{
    return f->frac_bits == 23 ? 8 : 11;
}

/* float32/float64; DAZ turns denormal inputs into zeros without DE. */
static inline FloatParts unpack_ieee(uint64_t a, const FloatFmt *f,
                                     const FloatStatus *s)
{
    const int fb = f->frac_bits, eb = fmt_exp_bits(f);
    const uint32_t emask = (1u << eb) - 1;
    uint64_t frac = a & ((1ull << fb) - 1);
    uint32_t e = (a >> fb) & emask;
    FloatParts p = { .sign = (a >> (fb + eb)) & 1 };

    if (likely(e != 0 && e != emask)) {
        p.cls = FC_NORMAL;
        p.exp = (int32_t)e - f->bias;
        p.sig = SIG_INT | (frac << (63 - fb));
    } else if (e == 0) {
        if (frac == 0 || s->denormals_are_zero) {
            p.cls = FC_ZERO;
        } else {
            int lz = clz64(frac);
            p.cls = FC_NORMAL;
            p.denormal = true;
            p.sig = frac << lz;
            p.exp = f->emin - fb - lz + 63;
        }
    } else if (frac == 0) {
        p.cls = FC_INF;
    } else {
        p.sig = SIG_INT | (frac << (63 - fb));
        p.cls = (p.sig & SIG_QUIET) ? FC_QNAN : FC_SNAN;
    }
    return p;
}

static inline uint64_t pack_ieee(RawFloat r, const FloatFmt *f)
{
    const int fb = f->frac_bits;
    return ((uint64_t)r.sign << (fb + fmt_exp_bits(f))) |
           ((uint64_t)r.exp << fb) | (r.mant & ((1ull << fb) - 1));
}

FloatParts sf_unpack_x80(floatx80 a)
{
    uint32_t e = a.sign_exp & 0x7FFF;
    uint64_t m = a.mant;
    FloatParts p = { .sign = a.sign_exp >> 15, .sig = m };

    if (likely(e != 0 && e != 0x7FFF)) {
        if (likely(m >> 63)) {
            p.cls = FC_NORMAL;
            p.exp = (int32_t)e - 16383;
        } else {
            p.cls = FC_UNSUPPORTED; /* unnormal */
        }
    } else if (e == 0) {
        if (m == 0) {
            p.cls = FC_ZERO;
        } else {
            /* Denormal, or pseudo-denormal (integer bit set), which 387+
             * accept with the exponent of a denormal: 2^-16382. */
            int lz = clz64(m);
            p.cls = FC_NORMAL;
            p.denormal = true;
            p.sig = m << lz;
            p.exp = -16382 - lz;
        }
    } else if (!(m >> 63)) {
        p.cls = FC_UNSUPPORTED; /* pseudo-infinity, pseudo-NaN */
    } else if ((m << 1) == 0) {
        p.cls = FC_INF;
    } else {
        p.cls = (m & SIG_QUIET) ? FC_QNAN : FC_SNAN;
    }
    return p;
}

floatx80 sf_pack_x80(RawFloat r)
{
    return make_floatx80((uint16_t)((r.sign << 15) | r.exp), r.mant);
}

#define F32(a)  unpack_ieee((a), &sf_fmt_f32, s)
#define F64(a)  unpack_ieee((a), &sf_fmt_f64, s)
#define RF32(r) ((float32)pack_ieee((r), &sf_fmt_f32))
#define RF64(r) ((float64)pack_ieee((r), &sf_fmt_f64))

/*
 * Special results.
 */

RawFloat sf_raw_zero(bool sign)
{
    RawFloat r = { .sign = sign };
    return r;
}

RawFloat sf_raw_inf(const FloatFmt *f, bool sign)
{
    RawFloat r = { .sign = sign, .exp = f->emax + f->bias + 1 };
    r.mant = f->explicit_int ? SIG_INT : 0;
    return r;
}

RawFloat sf_raw_nan(const FloatFmt *f, bool sign, uint64_t sig)
{
    RawFloat r = { .sign = sign, .exp = f->emax + f->bias + 1 };
    sig |= SIG_INT | SIG_QUIET;
    r.mant = f->explicit_int ? sig : sig >> (63 - f->frac_bits);
    return r;
}

RawFloat sf_raw_default_nan(const FloatFmt *f)
{
    return sf_raw_nan(f, true, SIG_INT | SIG_QUIET);
}

RawFloat sf_invalid(const FloatFmt *f, FloatStatus *s)
{
    s->flags |= float_flag_invalid;
    return sf_raw_default_nan(f);
}

RawFloat sf_pick_nan(const FloatFmt *f, const FloatParts *a,
                     const FloatParts *b, FloatStatus *s)
{
    const FloatParts *r;

    if (a->cls == FC_SNAN || (b && b->cls == FC_SNAN)) {
        s->flags |= float_flag_invalid;
    }
    if (!b || !sf_is_nan(b)) {
        r = a;
    } else if (!sf_is_nan(a)) {
        r = b;
    } else if (s->nan_rule == float_nan_sse) {
        r = a; /* SSE: the first source operand */
    } else if (a->cls != b->cls) {
        r = a->cls == FC_QNAN ? a : b; /* x87: a QNaN beats an SNaN */
    } else if (a->sig != b->sig) {
        r = a->sig > b->sig ? a : b; /* x87: the larger significand */
    } else {
        r = a->sign ? b : a; /* equal significands: the positive one */
    }
    return sf_raw_nan(f, r->sign, r->sig);
}

/*
 * Rounding.
 */

/* Whether to add one unit in the last place; called for inexact values. */
static inline bool round_inc(int mode, bool sign, bool lsb, bool rnd,
                             bool sticky)
{
    switch (mode) {
    case float_round_nearest_even:
        return rnd && (sticky || lsb);
    case float_round_down:
        return sign;
    case float_round_up:
        return !sign;
    default:
        return false;
    }
}

static inline uint64_t all_ones(int bits)
{
    return bits == 64 ? ~0ull : (1ull << bits) - 1;
}

static inline uint64_t place_mant(const FloatFmt *f, uint64_t kept)
{
    return f->explicit_int ? kept << (64 - f->prec) : kept;
}

/* SDM 4.9.1.4: masked overflow gives infinity or the largest finite
 * number depending on the rounding direction, with OE and PE. */
static RawFloat round_overflow(FloatStatus *s, const FloatFmt *f, bool sign)
{
    int mode = s->rounding_mode;
    RawFloat r = { .sign = sign };

    s->flags |= float_flag_overflow | float_flag_inexact;
    if (mode == float_round_nearest_even || (mode == float_round_up && !sign) ||
        (mode == float_round_down && sign)) {
        s->rounded_up = true;
        return sf_raw_inf(f, sign);
    }
    r.exp = f->emax + f->bias;
    r.mant = place_mant(f, all_ones(f->prec));
    return r;
}

/*
 * Results below the normal range (SDM 4.9.1.5).  Tininess is detected
 * after rounding: the value is tiny if rounding it to the format's
 * precision with an unbounded exponent leaves it below 2^emin.  The
 * masked response denormalizes and rounds at the fixed position of the
 * format's smallest denormal unit for this precision (for x87 precision
 * control this is 2^(emin - prec + 1), as measured on hardware); UE is
 * raised only if tiny and inexact.  FTZ (SDM 10.2.3.3) replaces a tiny
 * result by zero with UE and PE, even an exact one.
 */
static RawFloat round_pack_tiny(FloatStatus *s, const FloatFmt *f, bool sign,
                                int32_t exp, u128 sig)
{
    const int prec = f->prec, sh0 = 128 - prec;
    const int mode = s->rounding_mode;
    bool tiny = true, rnd, sticky;
    uint64_t kept;
    RawFloat r = { .sign = sign };
    int sh;

    if (exp == f->emin - 1) {
        kept = (uint64_t)(sig >> sh0);
        rnd = (sig >> (sh0 - 1)) & 1;
        sticky = (sig & (((u128)1 << (sh0 - 1)) - 1)) != 0;
        if (kept == all_ones(prec) && (rnd || sticky) &&
            round_inc(mode, sign, true, rnd, sticky)) {
            tiny = false; /* rounds to 2^emin */
        }
    }
    if (tiny) {
        s->tiny = true;
        if (s->flush_to_zero) {
            s->flags |= float_flag_underflow | float_flag_inexact;
            return r;
        }
    }
    sh = sh0 + (f->emin - exp);
    if (sh < 128) {
        kept = (uint64_t)(sig >> sh);
        rnd = (sig >> (sh - 1)) & 1;
        sticky = (sig & (((u128)1 << (sh - 1)) - 1)) != 0;
    } else if (sh == 128) {
        kept = 0;
        rnd = true; /* bit 127 */
        sticky = (sig << 1) != 0;
    } else {
        kept = 0;
        rnd = false;
        sticky = true;
    }
    if (rnd || sticky) {
        s->flags |= float_flag_inexact;
        if (tiny) {
            s->flags |= float_flag_underflow;
        }
        if (round_inc(mode, sign, kept & 1, rnd, sticky)) {
            s->rounded_up = true;
            kept++;
        }
    }
    /* A carry into bit prec-1 makes it the smallest normal number. */
    r.exp = (kept >> (prec - 1)) & 1;
    r.mant = place_mant(f, kept);
    return r;
}

RawFloat sf_round_pack(FloatStatus *s, const FloatFmt *f, bool sign,
                       int32_t exp, u128 sig)
{
    const int prec = f->prec, sh = 128 - prec;
    uint64_t kept;
    bool rnd, sticky;
    RawFloat r = { .sign = sign };

    if (unlikely(exp < f->emin)) {
        return round_pack_tiny(s, f, sign, exp, sig);
    }
    kept = (uint64_t)(sig >> sh);
    rnd = (sig >> (sh - 1)) & 1;
    sticky = (sig & (((u128)1 << (sh - 1)) - 1)) != 0;
    if (rnd || sticky) {
        s->flags |= float_flag_inexact;
        if (round_inc(s->rounding_mode, sign, kept & 1, rnd, sticky)) {
            s->rounded_up = true;
            kept++;
            if (prec == 64 ? kept == 0 : (kept >> prec) != 0) {
                kept = 1ull << (prec - 1);
                exp++;
            }
        }
    }
    if (unlikely(exp > f->emax)) {
        return round_overflow(s, f, sign);
    }
    r.exp = exp + f->bias;
    r.mant = place_mant(f, kept);
    return r;
}

/*
 * Add and subtract.
 */

static RawFloat addsub_parts(FloatParts a, FloatParts b, bool subtract,
                             const FloatFmt *f, FloatStatus *s)
{
    bool bsign;
    int32_t d, exp;
    u128 A, B, S;

    if (unlikely(a.cls != FC_NORMAL || b.cls != FC_NORMAL)) {
        if (a.cls == FC_UNSUPPORTED || b.cls == FC_UNSUPPORTED) {
            return sf_invalid(f, s);
        }
        if (sf_is_nan(&a) || sf_is_nan(&b)) {
            return sf_pick_nan(f, &a, &b, s);
        }
        if (a.denormal || b.denormal) {
            s->flags |= float_flag_denormal;
        }
        bsign = b.sign ^ subtract;
        if (a.cls == FC_INF) {
            if (b.cls == FC_INF && a.sign != bsign) {
                return sf_invalid(f, s);
            }
            return sf_raw_inf(f, a.sign);
        }
        if (b.cls == FC_INF) {
            return sf_raw_inf(f, bsign);
        }
        if (a.cls == FC_ZERO && b.cls == FC_ZERO) {
            /* IEEE 754 6.3: x + (-x) is +0 except when rounding down. */
            if (a.sign == bsign) {
                return sf_raw_zero(a.sign);
            }
            return sf_raw_zero(s->rounding_mode == float_round_down);
        }
        /* x + 0: still rounded (x87 precision control, FTZ). */
        if (a.cls == FC_ZERO) {
            b.sign = bsign;
            return sf_round_parts(s, f, b);
        }
        return sf_round_parts(s, f, a);
    }
    if (unlikely(a.denormal || b.denormal)) {
        s->flags |= float_flag_denormal;
    }
    b.sign ^= subtract;
    if (a.exp < b.exp || (a.exp == b.exp && a.sig < b.sig)) {
        FloatParts t = a;
        a = b;
        b = t;
    }
    d = a.exp - b.exp;
    /* Leading bits at bit 126; a carry goes to bit 127.  The 62 bits
     * below b's last bit keep every bit when cancellation is possible
     * (d <= 1) and the jammed sticky bit is far below the rounding point
     * otherwise. */
    A = (u128)a.sig << 63;
    B = shr_jam128((u128)b.sig << 63, d);
    if (a.sign == b.sign) {
        S = A + B;
        exp = a.exp;
        if (S >> 127) {
            exp++;
        } else {
            S <<= 1;
        }
        return sf_round_pack(s, f, a.sign, exp, S);
    }
    S = A - B;
    if (S == 0) {
        return sf_raw_zero(s->rounding_mode == float_round_down);
    }
    {
        int lz = clz128(S);
        return sf_round_pack(s, f, a.sign, a.exp + 1 - lz, S << lz);
    }
}

/*
 * Multiply.
 */

static RawFloat mul_parts(FloatParts a, FloatParts b, const FloatFmt *f,
                          FloatStatus *s)
{
    bool sign = a.sign ^ b.sign;
    int32_t exp;
    u128 P;

    if (unlikely(a.cls != FC_NORMAL || b.cls != FC_NORMAL)) {
        if (a.cls == FC_UNSUPPORTED || b.cls == FC_UNSUPPORTED) {
            return sf_invalid(f, s);
        }
        if (sf_is_nan(&a) || sf_is_nan(&b)) {
            return sf_pick_nan(f, &a, &b, s);
        }
        if ((a.cls == FC_INF && b.cls == FC_ZERO) ||
            (a.cls == FC_ZERO && b.cls == FC_INF)) {
            return sf_invalid(f, s);
        }
        if (a.denormal || b.denormal) {
            s->flags |= float_flag_denormal;
        }
        if (a.cls == FC_INF || b.cls == FC_INF) {
            return sf_raw_inf(f, sign);
        }
        return sf_raw_zero(sign);
    }
    if (unlikely(a.denormal || b.denormal)) {
        s->flags |= float_flag_denormal;
    }
    P = (u128)a.sig * b.sig; /* in [2^126, 2^128) */
    exp = a.exp + b.exp;
    if (P >> 127) {
        exp++;
    } else {
        P <<= 1;
    }
    return sf_round_pack(s, f, sign, exp, P);
}

/*
 * Divide.
 */

static RawFloat div_parts(FloatParts a, FloatParts b, const FloatFmt *f,
                          FloatStatus *s)
{
    bool sign = a.sign ^ b.sign;
    int32_t exp;
    u128 num, q1, q2, r;

    if (unlikely(a.cls != FC_NORMAL || b.cls != FC_NORMAL)) {
        if (a.cls == FC_UNSUPPORTED || b.cls == FC_UNSUPPORTED) {
            return sf_invalid(f, s);
        }
        if (sf_is_nan(&a) || sf_is_nan(&b)) {
            return sf_pick_nan(f, &a, &b, s);
        }
        if (a.cls == b.cls) { /* inf/inf, 0/0 */
            return sf_invalid(f, s);
        }
        if (b.cls == FC_ZERO && a.cls != FC_INF) {
            /* Divide-by-zero takes precedence over DE (SDM 4.9.2). */
            s->flags |= float_flag_divbyzero;
            return sf_raw_inf(f, sign);
        }
        if (a.denormal || b.denormal) {
            s->flags |= float_flag_denormal;
        }
        if (a.cls == FC_INF) {
            return sf_raw_inf(f, sign);
        }
        return sf_raw_zero(sign); /* 0 / x, x / inf */
    }
    if (unlikely(a.denormal || b.denormal)) {
        s->flags |= float_flag_denormal;
    }
    /* Quotient of 128 bits in two 64-bit steps, leading bit at 127. */
    exp = a.exp - b.exp;
    if (a.sig < b.sig) {
        num = (u128)a.sig << 64;
        exp--;
    } else {
        num = (u128)a.sig << 63;
    }
    q1 = num / b.sig;
    r = num % b.sig;
    num = r << 64;
    q2 = num / b.sig;
    r = num % b.sig;
    return sf_round_pack(s, f, sign, exp, (q1 << 64) | q2 | (r != 0));
}

/*
 * Square root.
 */

static uint64_t isqrt64(uint64_t n)
{
    uint64_t x, y;

    if (n < 2) {
        return n;
    }
    x = 1ull << ((65 - clz64(n)) / 2); /* >= sqrt(n) */
    for (;;) {
        y = (x + n / x) >> 1;
        if (y >= x) {
            return x;
        }
        x = y;
    }
}

/* floor(sqrt(n)) for n in [2^126, 2^128): Newton's method from above. */
static uint64_t isqrt128(u128 n)
{
    u128 x = (u128)(isqrt64((uint64_t)(n >> 64)) + 1) << 32, y;

    for (;;) {
        y = (x + n / x) >> 1;
        if (y >= x) {
            return (uint64_t)x;
        }
        x = y;
    }
}

static RawFloat sqrt_parts(FloatParts a, const FloatFmt *f, FloatStatus *s)
{
    u128 R, rem;
    uint64_t r0;
    u128 r;
    int32_t exp;

    if (unlikely(a.cls != FC_NORMAL || a.sign)) {
        if (a.cls == FC_UNSUPPORTED) {
            return sf_invalid(f, s);
        }
        if (sf_is_nan(&a)) {
            return sf_pick_nan(f, &a, NULL, s);
        }
        if (a.cls == FC_ZERO) {
            return sf_raw_zero(a.sign); /* sqrt(-0) = -0 */
        }
        if (a.sign) {
            return sf_invalid(f, s); /* before DE, as measured */
        }
        return sf_raw_inf(f, false);
    }
    if (unlikely(a.denormal)) {
        s->flags |= float_flag_denormal;
    }
    /* value = R * 2^(2k) with R in [2^126, 2^128). */
    if (a.exp & 1) {
        R = (u128)a.sig << 64;
        exp = (a.exp - 127) / 2 + 63;
    } else {
        R = (u128)a.sig << 63;
        exp = (a.exp - 126) / 2 + 63;
    }
    r0 = isqrt128(R);
    rem = R - (u128)r0 * r0;
    r = r0;
    /* Two more root bits by digit recurrence; the radicand continues
     * with zeros.  A square root is never exactly halfway, so the
     * remainder is a sufficient sticky bit. */
    for (int i = 0; i < 2; i++) {
        u128 t = (r << 2) | 1;
        rem <<= 2;
        if (rem >= t) {
            rem -= t;
            r = (r << 1) | 1;
        } else {
            r <<= 1;
        }
    }
    return sf_round_pack(s, f, false, exp, (r << 62) | (rem != 0));
}

/*
 * Public arithmetic entry points.
 */

float32 float32_add(float32 a, float32 b, FloatStatus *s)
{
    return RF32(addsub_parts(F32(a), F32(b), false, &sf_fmt_f32, s));
}

float32 float32_sub(float32 a, float32 b, FloatStatus *s)
{
    return RF32(addsub_parts(F32(a), F32(b), true, &sf_fmt_f32, s));
}

float32 float32_mul(float32 a, float32 b, FloatStatus *s)
{
    return RF32(mul_parts(F32(a), F32(b), &sf_fmt_f32, s));
}

float32 float32_div(float32 a, float32 b, FloatStatus *s)
{
    return RF32(div_parts(F32(a), F32(b), &sf_fmt_f32, s));
}

float32 float32_sqrt(float32 a, FloatStatus *s)
{
    return RF32(sqrt_parts(F32(a), &sf_fmt_f32, s));
}

float64 float64_add(float64 a, float64 b, FloatStatus *s)
{
    return RF64(addsub_parts(F64(a), F64(b), false, &sf_fmt_f64, s));
}

float64 float64_sub(float64 a, float64 b, FloatStatus *s)
{
    return RF64(addsub_parts(F64(a), F64(b), true, &sf_fmt_f64, s));
}

float64 float64_mul(float64 a, float64 b, FloatStatus *s)
{
    return RF64(mul_parts(F64(a), F64(b), &sf_fmt_f64, s));
}

float64 float64_div(float64 a, float64 b, FloatStatus *s)
{
    return RF64(div_parts(F64(a), F64(b), &sf_fmt_f64, s));
}

float64 float64_sqrt(float64 a, FloatStatus *s)
{
    return RF64(sqrt_parts(F64(a), &sf_fmt_f64, s));
}

/*
 * The second operand of a floatx80 operation, carrying the denormal
 * status of a memory operand widened by float32/64_to_floatx80_operand().
 */
static inline FloatParts unpack_x80_operand(floatx80 b, FloatStatus *s)
{
    FloatParts p = sf_unpack_x80(b);

    if (unlikely(s->operand_denormal)) {
        p.denormal = true;
        s->operand_denormal = false;
    }
    return p;
}

floatx80 floatx80_add(floatx80 a, floatx80 b, FloatStatus *s)
{
    return sf_pack_x80(addsub_parts(sf_unpack_x80(a), unpack_x80_operand(b, s),
                                    false, sf_fmt_x80(s), s));
}

floatx80 floatx80_sub(floatx80 a, floatx80 b, FloatStatus *s)
{
    return sf_pack_x80(addsub_parts(sf_unpack_x80(a), unpack_x80_operand(b, s),
                                    true, sf_fmt_x80(s), s));
}

floatx80 floatx80_mul(floatx80 a, floatx80 b, FloatStatus *s)
{
    return sf_pack_x80(mul_parts(sf_unpack_x80(a), unpack_x80_operand(b, s),
                                 sf_fmt_x80(s), s));
}

floatx80 floatx80_div(floatx80 a, floatx80 b, FloatStatus *s)
{
    return sf_pack_x80(div_parts(sf_unpack_x80(a), unpack_x80_operand(b, s),
                                 sf_fmt_x80(s), s));
}

floatx80 floatx80_sqrt(floatx80 a, FloatStatus *s)
{
    return sf_pack_x80(sqrt_parts(sf_unpack_x80(a), sf_fmt_x80(s), s));
}

/*
 * Comparisons.
 */

static FloatRelation compare_parts(FloatParts a, FloatParts b, bool quiet,
                                   FloatStatus *s)
{
    int ra, rb;

    if (unlikely(a.cls >= FC_QNAN || b.cls >= FC_QNAN)) {
        /* NaN or unsupported: IE for any of them when signaling, for
         * SNaN and unsupported operands when quiet. */
        if (!quiet || a.cls >= FC_SNAN || b.cls >= FC_SNAN) {
            s->flags |= float_flag_invalid;
        }
        return float_relation_unordered;
    }
    if (a.denormal || b.denormal) {
        s->flags |= float_flag_denormal;
    }
    if (a.cls == FC_ZERO && b.cls == FC_ZERO) {
        return float_relation_equal;
    }
    if (a.sign != b.sign) {
        return a.sign ? float_relation_less : float_relation_greater;
    }
    /* Same sign: order the magnitudes. */
    ra = a.cls == FC_ZERO ? 0 : a.cls == FC_INF ? 2 : 1;
    rb = b.cls == FC_ZERO ? 0 : b.cls == FC_INF ? 2 : 1;
    if (ra == rb && ra == 1) {
        if (a.exp != b.exp) {
            ra = a.exp > b.exp ? 2 : 0;
            rb = 1;
        } else if (a.sig != b.sig) {
            ra = a.sig > b.sig ? 2 : 0;
            rb = 1;
        }
    }
    if (ra == rb) {
        return float_relation_equal;
    }
    return (ra > rb) != a.sign ? float_relation_greater : float_relation_less;
}

FloatRelation float32_compare(float32 a, float32 b, FloatStatus *s)
{
    return compare_parts(F32(a), F32(b), false, s);
}

FloatRelation float32_compare_quiet(float32 a, float32 b, FloatStatus *s)
{
    return compare_parts(F32(a), F32(b), true, s);
}

FloatRelation float64_compare(float64 a, float64 b, FloatStatus *s)
{
    return compare_parts(F64(a), F64(b), false, s);
}

FloatRelation float64_compare_quiet(float64 a, float64 b, FloatStatus *s)
{
    return compare_parts(F64(a), F64(b), true, s);
}

FloatRelation floatx80_compare(floatx80 a, floatx80 b, FloatStatus *s)
{
    return compare_parts(sf_unpack_x80(a), unpack_x80_operand(b, s), false, s);
}

FloatRelation floatx80_compare_quiet(floatx80 a, floatx80 b, FloatStatus *s)
{
    return compare_parts(sf_unpack_x80(a), unpack_x80_operand(b, s), true, s);
}

/*
 * Rounding to integers.
 */

/*
 * Split |a| (a normal FloatParts) into its integer part and the rounding
 * bits of its fraction; returns false if the integer part needs more
 * than 64 bits.
 */
static inline bool int_split(const FloatParts *a, uint64_t *ip, bool *rnd,
                             bool *sticky)
{
    if (a->exp >= 64) {
        return false;
    }
    if (a->exp >= 0) {
        uint64_t frac = a->exp == 63 ? 0 : a->sig << (a->exp + 1);
        *ip = a->exp == 63 ? a->sig : a->sig >> (63 - a->exp);
        *rnd = frac >> 63;
        *sticky = (frac << 1) != 0;
    } else {
        *ip = 0;
        *rnd = a->exp == -1;
        *sticky = a->exp < -1 || (a->sig << 1) != 0;
    }
    return true;
}

/* FRNDINT raises DE for a denormal operand, ROUNDSS/ROUNDSD do not. */
static RawFloat round_to_int_parts(FloatParts a, const FloatFmt *f,
                                   bool signal_inexact, FloatStatus *s)
{
    uint64_t ip = 0;
    bool rnd = false, sticky = false;
    int lz;

    if (unlikely(a.cls != FC_NORMAL)) {
        if (a.cls == FC_UNSUPPORTED) {
            return sf_invalid(f, s);
        }
        if (sf_is_nan(&a)) {
            return sf_pick_nan(f, &a, NULL, s);
        }
        return a.cls == FC_INF ? sf_raw_inf(f, a.sign) : sf_raw_zero(a.sign);
    }
    if (a.denormal && f->explicit_int) {
        s->flags |= float_flag_denormal;
    }
    if (a.exp >= f->frac_bits) {
        return sf_round_parts(s, f, a); /* already integral */
    }
    int_split(&a, &ip, &rnd, &sticky);
    if (rnd || sticky) {
        if (signal_inexact) {
            s->flags |= float_flag_inexact;
        }
        if (round_inc(s->rounding_mode, a.sign, ip & 1, rnd, sticky)) {
            if (signal_inexact) {
                s->rounded_up = true;
            }
            ip++;
        }
    }
    if (ip == 0) {
        return sf_raw_zero(a.sign);
    }
    lz = clz64(ip);
    a.sig = ip << lz;
    a.exp = 63 - lz;
    return sf_round_parts(s, f, a);
}

float32 float32_round_to_int(float32 a, FloatStatus *s)
{
    return RF32(round_to_int_parts(F32(a), &sf_fmt_f32, true, s));
}

float32 float32_round_to_int_noexact(float32 a, FloatStatus *s)
{
    return RF32(round_to_int_parts(F32(a), &sf_fmt_f32, false, s));
}

float64 float64_round_to_int(float64 a, FloatStatus *s)
{
    return RF64(round_to_int_parts(F64(a), &sf_fmt_f64, true, s));
}

float64 float64_round_to_int_noexact(float64 a, FloatStatus *s)
{
    return RF64(round_to_int_parts(F64(a), &sf_fmt_f64, false, s));
}

floatx80 floatx80_round_to_int(floatx80 a, FloatStatus *s)
{
    return sf_pack_x80(
        round_to_int_parts(sf_unpack_x80(a), &sf_fmt_x80_64, true, s));
}

floatx80 floatx80_round_to_int_noexact(floatx80 a, FloatStatus *s)
{
    return sf_pack_x80(
        round_to_int_parts(sf_unpack_x80(a), &sf_fmt_x80_64, false, s));
}

/*
 * Float to integer.  Denormal inputs do not raise DE (SDM: CVTSS2SI and
 * FIST list no #D).
 */
static int64_t parts_to_int(FloatParts a, int bits, bool truncate,
                            FloatStatus *s)
{
    const int64_t indefinite = INT64_MIN >> (64 - bits);
    uint64_t ip = 0, limit;
    bool rnd = false, sticky = false, inc = false;

    if (unlikely(a.cls != FC_NORMAL)) {
        if (a.cls == FC_ZERO) {
            return 0;
        }
        s->flags |= float_flag_invalid;
        return indefinite;
    }
    if (!int_split(&a, &ip, &rnd, &sticky)) {
        s->flags |= float_flag_invalid;
        return indefinite;
    }
    if (rnd || sticky) {
        int mode = truncate ? float_round_to_zero : s->rounding_mode;
        inc = round_inc(mode, a.sign, ip & 1, rnd, sticky);
        if (inc) {
            ip++;
            if (ip == 0) { /* 2^64 */
                s->flags |= float_flag_invalid;
                return indefinite;
            }
        }
    }
    limit = (1ull << (bits - 1)) - !a.sign;
    if (ip > limit) {
        s->flags |= float_flag_invalid;
        return indefinite;
    }
    if (rnd || sticky) {
        s->flags |= float_flag_inexact;
        s->rounded_up |= inc;
    }
    return a.sign ? (int64_t)(0 - ip) : (int64_t)ip;
}

#define TO_INT(type, unpack)                                      \
    int16_t type##_to_int16(type a, FloatStatus *s)               \
    {                                                             \
        return parts_to_int(unpack(a), 16, false, s);             \
    }                                                             \
    int32_t type##_to_int32(type a, FloatStatus *s)               \
    {                                                             \
        return parts_to_int(unpack(a), 32, false, s);             \
    }                                                             \
    int64_t type##_to_int64(type a, FloatStatus *s)               \
    {                                                             \
        return parts_to_int(unpack(a), 64, false, s);             \
    }                                                             \
    int16_t type##_to_int16_round_to_zero(type a, FloatStatus *s) \
    {                                                             \
        return parts_to_int(unpack(a), 16, true, s);              \
    }                                                             \
    int32_t type##_to_int32_round_to_zero(type a, FloatStatus *s) \
    {                                                             \
        return parts_to_int(unpack(a), 32, true, s);              \
    }                                                             \
    int64_t type##_to_int64_round_to_zero(type a, FloatStatus *s) \
    {                                                             \
        return parts_to_int(unpack(a), 64, true, s);              \
    }

TO_INT(float32, F32)
TO_INT(float64, F64)
TO_INT(floatx80, sf_unpack_x80)

/*
 * Integer to float.
 */

static RawFloat int_to_raw(int64_t v, const FloatFmt *f, FloatStatus *s)
{
    FloatParts p = { .cls = FC_NORMAL, .sign = v < 0 };
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    int lz;

    if (m == 0) {
        return sf_raw_zero(false);
    }
    lz = clz64(m);
    p.sig = m << lz;
    p.exp = 63 - lz;
    return sf_round_parts(s, f, p);
}

float32 int16_to_float32(int16_t a, FloatStatus *s)
{
    return RF32(int_to_raw(a, &sf_fmt_f32, s));
}

float32 int32_to_float32(int32_t a, FloatStatus *s)
{
    return RF32(int_to_raw(a, &sf_fmt_f32, s));
}

float32 int64_to_float32(int64_t a, FloatStatus *s)
{
    return RF32(int_to_raw(a, &sf_fmt_f32, s));
}

float64 int16_to_float64(int16_t a, FloatStatus *s)
{
    return RF64(int_to_raw(a, &sf_fmt_f64, s));
}

float64 int32_to_float64(int32_t a, FloatStatus *s)
{
    return RF64(int_to_raw(a, &sf_fmt_f64, s));
}

float64 int64_to_float64(int64_t a, FloatStatus *s)
{
    return RF64(int_to_raw(a, &sf_fmt_f64, s));
}

floatx80 int16_to_floatx80(int16_t a, FloatStatus *s)
{
    return sf_pack_x80(int_to_raw(a, &sf_fmt_x80_64, s));
}

floatx80 int32_to_floatx80(int32_t a, FloatStatus *s)
{
    return sf_pack_x80(int_to_raw(a, &sf_fmt_x80_64, s));
}

floatx80 int64_to_floatx80(int64_t a, FloatStatus *s)
{
    return sf_pack_x80(int_to_raw(a, &sf_fmt_x80_64, s));
}

/*
 * Format conversions.
 */

static RawFloat convert_parts(FloatParts a, const FloatFmt *f, bool signal_de,
                              FloatStatus *s)
{
    if (unlikely(a.cls != FC_NORMAL)) {
        if (a.cls == FC_UNSUPPORTED) {
            return sf_invalid(f, s);
        }
        if (sf_is_nan(&a)) {
            return sf_pick_nan(f, &a, NULL, s);
        }
        return a.cls == FC_INF ? sf_raw_inf(f, a.sign) : sf_raw_zero(a.sign);
    }
    if (a.denormal && signal_de) {
        s->flags |= float_flag_denormal;
    }
    return sf_round_parts(s, f, a);
}

float64 float32_to_float64(float32 a, FloatStatus *s)
{
    return RF64(convert_parts(F32(a), &sf_fmt_f64, true, s));
}

floatx80 float32_to_floatx80(float32 a, FloatStatus *s)
{
    return sf_pack_x80(convert_parts(F32(a), &sf_fmt_x80_64, true, s));
}

float32 float64_to_float32(float64 a, FloatStatus *s)
{
    return RF32(convert_parts(F64(a), &sf_fmt_f32, true, s));
}

floatx80 float64_to_floatx80(float64 a, FloatStatus *s)
{
    return sf_pack_x80(convert_parts(F64(a), &sf_fmt_x80_64, true, s));
}

/* FST m32/m64 lists no #D for an extended-precision source. */
float32 floatx80_to_float32(floatx80 a, FloatStatus *s)
{
    return RF32(convert_parts(sf_unpack_x80(a), &sf_fmt_f32, false, s));
}

float64 floatx80_to_float64(floatx80 a, FloatStatus *s)
{
    return RF64(convert_parts(sf_unpack_x80(a), &sf_fmt_f64, false, s));
}

static floatx80 widen_operand(FloatParts p, FloatStatus *s)
{
    if (p.cls == FC_SNAN) {
        /* Keep it signaling: the arithmetic raises IE and applies the
         * SNaN/QNaN rules. */
        return make_floatx80((uint16_t)((p.sign << 15) | 0x7FFF), p.sig);
    }
    /* DE is left to the operation, where NaN and invalid operands take
     * precedence over it (measured: unnormal + denormal m32 gives IE). */
    s->operand_denormal = p.denormal;
    return sf_pack_x80(convert_parts(p, &sf_fmt_x80_64, false, s));
}

floatx80 float32_to_floatx80_operand(float32 a, FloatStatus *s)
{
    return widen_operand(F32(a), s);
}

floatx80 float64_to_floatx80_operand(float64 a, FloatStatus *s)
{
    return widen_operand(F64(a), s);
}
