/*
 * x87-only operations on floatx80: FXAM classes, FPREM/FPREM1, FSCALE
 * and FXTRACT (Intel SDM vol. 2 for each instruction, vol. 1 8.3.10).
 */
#include "qemu/osdep.h"
#include "softfloat-internal.h"

static const FloatFmt *const X80 = &sf_fmt_x80_64;

FloatX80Class floatx80_classify(floatx80 a)
{
    uint32_t e = a.sign_exp & 0x7FFF;

    if (e == 0) {
        /* Pseudo-denormals (integer bit set) report as denormals. */
        return a.mant == 0 ? floatx80_class_zero : floatx80_class_denormal;
    }
    if (!(a.mant >> 63)) {
        return floatx80_class_unsupported;
    }
    if (e == 0x7FFF) {
        return (a.mant << 1) ? floatx80_class_nan : floatx80_class_infinity;
    }
    return floatx80_class_normal;
}

/* An exact finite result or signed zero, re-encoded canonically. */
static floatx80 exact_x80(FloatParts p, FloatStatus *s)
{
    if (p.cls == FC_ZERO) {
        return sf_pack_x80(sf_raw_zero(p.sign));
    }
    return sf_pack_x80(sf_round_parts(s, X80, p));
}

/*
 * FPREM/FPREM1.  Both dividend and divisor have 64-bit significands, so
 * with D = exp(a) - exp(b) < 64 the quotient Q = a.sig * 2^D / b.sig fits
 * in 64 bits and the remainder is exact.  For D >= 64 the CPU reduces
 * the exponent by N = 32 + (D mod 32) only (measured; the SDM says "an
 * implementation-dependent number between 32 and 63"), truncating the
 * partial quotient for FPREM1 too, and clears C0/C1/C3.
 */
floatx80 floatx80_prem(floatx80 a, floatx80 b, bool ieee, uint64_t *quotient,
                       bool *incomplete, FloatStatus *s)
{
    FloatParts pa = sf_unpack_x80(a), pb = sf_unpack_x80(b);
    int32_t d, eb;
    uint64_t q, r, mb;
    u128 num;
    bool partial = false;

    *quotient = 0;
    *incomplete = false;
    if (unlikely(pa.cls != FC_NORMAL || pb.cls != FC_NORMAL)) {
        if (pa.cls == FC_UNSUPPORTED || pb.cls == FC_UNSUPPORTED) {
            return sf_pack_x80(sf_invalid(X80, s));
        }
        if (sf_is_nan(&pa) || sf_is_nan(&pb)) {
            return sf_pack_x80(sf_pick_nan(X80, &pa, &pb, s));
        }
        if (pa.cls == FC_INF || pb.cls == FC_ZERO) {
            return sf_pack_x80(sf_invalid(X80, s));
        }
        if (pa.denormal || pb.denormal) {
            s->flags |= float_flag_denormal;
        }
        return exact_x80(pa, s); /* 0 rem y, x rem inf */
    }
    if (pa.denormal || pb.denormal) {
        s->flags |= float_flag_denormal;
    }
    d = pa.exp - pb.exp;
    mb = pb.sig;
    if (d < 0) {
        /* |a| < |b|: Q = 0, except FPREM1 rounds |a/b| > 1/2 up to 1. */
        if (ieee && d == -1 && pa.sig > mb) {
            /* |b| - |a| = (2 * b.sig - a.sig) * 2^(exp(b) - 64), and
             * 2 * b.sig - a.sig < b.sig fits in 64 bits. */
            uint64_t diff = (uint64_t)(((u128)mb << 1) - pa.sig);
            FloatParts p = { .cls = FC_NORMAL, .sign = !pa.sign };
            int lz = clz64(diff);
            p.sig = diff << lz;
            p.exp = pb.exp - 1 - lz;
            *quotient = 1;
            return exact_x80(p, s);
        }
        return exact_x80(pa, s);
    }
    if (d >= 64) {
        partial = true;
        d = 32 + (d & 31);
        ieee = false;
    }
    /* The divisor scaled to the dividend's exponent minus d. */
    eb = pa.exp - d;
    num = (u128)pa.sig << d;
    q = (uint64_t)(num / mb);
    r = (uint64_t)(num % mb);
    if (ieee && (r > mb - r || (r == mb - r && (q & 1)))) {
        q++;
        r = mb - r;
        pa.sign = !pa.sign;
    }
    if (partial) {
        *incomplete = true;
    } else {
        *quotient = q;
    }
    if (r == 0) {
        /* A zero remainder keeps the dividend's sign. */
        return sf_pack_x80(sf_raw_zero(a.sign_exp >> 15));
    }
    {
        FloatParts p = { .cls = FC_NORMAL, .sign = pa.sign };
        int lz = clz64(r);
        p.sig = r << lz;
        p.exp = eb - lz;
        return exact_x80(p, s);
    }
}

/*
 * FSCALE: ST(0) * 2^trunc(ST(1)), with the special cases of the SDM
 * table (0 * 2^+inf and inf * 2^-inf are invalid).
 */
floatx80 floatx80_scale(floatx80 a, floatx80 b, FloatStatus *s)
{
    FloatParts pa = sf_unpack_x80(a), pb = sf_unpack_x80(b);
    int32_t n;

    if (pa.cls == FC_UNSUPPORTED || pb.cls == FC_UNSUPPORTED) {
        return sf_pack_x80(sf_invalid(X80, s));
    }
    if (sf_is_nan(&pa) || sf_is_nan(&pb)) {
        return sf_pack_x80(sf_pick_nan(X80, &pa, &pb, s));
    }
    if (pb.cls == FC_INF) {
        if (!pb.sign ? pa.cls == FC_ZERO : pa.cls == FC_INF) {
            return sf_pack_x80(sf_invalid(X80, s));
        }
        if (pa.denormal) {
            s->flags |= float_flag_denormal;
        }
        if (pa.cls == FC_ZERO || pa.cls == FC_INF) {
            return a;
        }
        return sf_pack_x80(pb.sign ? sf_raw_zero(pa.sign)
                                   : sf_raw_inf(X80, pa.sign));
    }
    if (pa.denormal || pb.denormal) {
        s->flags |= float_flag_denormal;
    }
    if (pa.cls != FC_NORMAL) {
        return sf_pack_x80(pa.cls == FC_ZERO ? sf_raw_zero(pa.sign)
                                             : sf_raw_inf(X80, pa.sign));
    }
    if (pb.cls == FC_ZERO || pb.exp < 0) {
        n = 0;
    } else if (pb.exp >= 30) {
        n = 1 << 30; /* far beyond the exponent range either way */
    } else {
        n = (int32_t)(pb.sig >> (63 - pb.exp));
    }
    if (pb.sign) {
        n = -n;
    }
    return sf_pack_x80(
        sf_round_pack(s, X80, pa.sign, pa.exp + n, (u128)pa.sig << 64));
}

/*
 * FXTRACT: ST(0) = significand with exponent 0, ST(1) = the unbiased
 * exponent.  A zero gives -inf and ZE (SDM vol. 2 FXTRACT).
 */
void floatx80_extract(floatx80 a, floatx80 *sig, floatx80 *exp, FloatStatus *s)
{
    FloatParts p = sf_unpack_x80(a);

    switch (p.cls) {
    case FC_UNSUPPORTED:
        *sig = *exp = sf_pack_x80(sf_invalid(X80, s));
        return;
    case FC_QNAN:
    case FC_SNAN:
        *sig = *exp = sf_pack_x80(sf_pick_nan(X80, &p, NULL, s));
        return;
    case FC_ZERO:
        s->flags |= float_flag_divbyzero;
        *exp = sf_pack_x80(sf_raw_inf(X80, true));
        *sig = a;
        return;
    case FC_INF:
        *exp = sf_pack_x80(sf_raw_inf(X80, false));
        *sig = a;
        return;
    default:
        break;
    }
    if (p.denormal) {
        s->flags |= float_flag_denormal;
    }
    *sig = make_floatx80((uint16_t)((p.sign << 15) | 16383), p.sig);
    *exp = int32_to_floatx80(p.exp, s);
}
