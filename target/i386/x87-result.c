/*
 * Completing an x87 operation (SDM vol. 1, 4.9.2 and 8.5): which
 * exceptions stop an instruction, the flags and C1 it records, and the
 * wrapped results of unmasked overflow and underflow.
 */
#include "qemu/osdep.h"
#include "target/i386/x87-internal.h"

/* ---- the unmasked overflow and underflow responses ---- */

/*
 * With OE or UE unmasked and a register destination, the x87 delivers
 * the rounded result with its exponent wrapped by 3 * 2^13 (divided by
 * 2^24576 on overflow, multiplied on underflow; SDM vol. 1, 8.5.4 and
 * 8.5.5) so the handler can continue with it.  fpu/ computes only the
 * masked response, so the operation is redone on operands scaled by the
 * same power of two: the rounding of the significand is the same.
 */
#define X87_WRAP 24576

/* v * 2^k exactly and normalized; false if v is not finite or the
 * result leaves the normal range.  Zeros stay zeros. */
static bool x80_scale_exact(floatx80 v, int k, floatx80 *r)
{
    int e = v.sign_exp & 0x7fff;
    uint64_t m = v.mant;

    if (e == 0 && m == 0) {
        *r = v;
        return true;
    }
    if (e == 0x7fff || (e != 0 && !(m >> 63))) {
        return false;
    }
    if (e == 0) {
        int lz = __builtin_clzll(m);

        m <<= lz;
        e = 1 - lz;
    }
    e += k;
    if (e < 1 || e > 0x7ffe) {
        return false;
    }
    *r = make_floatx80((v.sign_exp & 0x8000) | e, m);
    return true;
}

/*
 * An addend too small to scale down with the other: far below the
 * other's last place, it only contributes its sign to rounding, as the
 * smallest normal number does.
 */
static floatx80 x80_sticky(floatx80 v)
{
    return make_floatx80((v.sign_exp & 0x8000) | 1, 0x8000000000000000ull);
}

/*
 * The rounding of a value a shade (far less than an ulp) below |q|
 * (down = true) or above it, q itself being exact in 64 bits: the tiny
 * sin, tan and atan results.
 */
static floatx80 x87_nudge(floatx80 q, bool down, FloatStatus *s)
{
    bool neg = q.sign_exp >> 15;
    int mode = s->rounding_mode;
    bool away; /* the result is the next value away from zero */
    bool keep; /* the result is q */

    if (down) {
        /* The true value lies between the next lower magnitude and q. */
        keep = mode == float_round_nearest_even ||
               (mode == float_round_down && neg) ||
               (mode == float_round_up && !neg);
        away = false;
        s->rounded_up = keep;
    } else {
        away = (mode == float_round_down && neg) ||
               (mode == float_round_up && !neg);
        keep = !away;
        s->rounded_up = away;
    }
    s->flags |= float_flag_inexact;
    if (keep) {
        return q;
    }
    if (away) {
        if (++q.mant == 0) {
            q.mant = 0x8000000000000000ull;
            q.sign_exp++;
        }
    } else if (--q.mant == 0x7fffffffffffffffull) {
        q.mant = 0xffffffffffffffffull;
        q.sign_exp--;
    }
    return q;
}

static floatx80 x87_redo(const X87Redo *rd, int k, floatx80 masked,
                         FloatStatus *s)
{
    floatx80 a, b, r;

    switch (rd->kind) {
    case XK_ADD:
    case XK_SUB:
        if (!x80_scale_exact(rd->a, k, &a)) {
            if (k > 0) {
                break; /* tiny sums of large operands are exact */
            }
            a = x80_sticky(rd->a);
        }
        if (!x80_scale_exact(rd->b, k, &b)) {
            if (k > 0) {
                break;
            }
            b = x80_sticky(rd->b);
        }
        return rd->kind == XK_ADD ? floatx80_add(a, b, s)
                                  : floatx80_sub(a, b, s);
    case XK_MUL:
    case XK_DIV: {
        int kb = rd->kind == XK_MUL ? k : -k;

        if (x80_scale_exact(rd->a, k, &a)) {
            b = rd->b;
        } else if (x80_scale_exact(rd->b, kb, &b)) {
            a = rd->a;
        } else if (!x80_scale_exact(rd->a, k / 2, &a) ||
                   !x80_scale_exact(rd->b, kb / 2, &b)) {
            break;
        }
        return rd->kind == XK_MUL ? floatx80_mul(a, b, s)
                                  : floatx80_div(a, b, s);
    }
    case XK_SCALE: {
        /*
         * a * 2^trunc(b) is exact once it is in range.  Beyond the
         * wrapped range the result is an infinity (C1 = 1) or a zero,
         * inexact (measured).
         */
        int ea = rd->a.sign_exp & 0x7fff;
        int eb = (rd->b.sign_exp & 0x7fff) - 16383;
        uint16_t sign = rd->a.sign_exp & 0x8000;
        uint64_t m = rd->a.mant;
        int64_t n = 0, e;

        if (m == 0 || ea == 0x7fff || (ea && !(m >> 63))) {
            break;
        }
        if (ea == 0) {
            int lz = __builtin_clzll(m);

            m <<= lz;
            ea = 1 - lz;
        }
        if (eb >= 30) {
            n = 1 << 30;
        } else if (eb >= 0) {
            n = rd->b.mant >> (63 - eb);
        }
        if (rd->b.sign_exp & 0x8000) {
            n = -n;
        }
        e = ea + n + k;
        if (e > 0x7ffe) {
            s->flags |= float_flag_inexact;
            s->rounded_up = true;
            return make_floatx80(sign | 0x7fff, 0x8000000000000000ull);
        }
        if (e < 1) {
            s->flags |= float_flag_inexact;
            return make_floatx80(sign, 0);
        }
        return make_floatx80(sign | e, m);
    }
    case XK_YL2X:
    case XK_YL2XP1:
        /* y * f(x): scale y (the result is y times a bounded factor). */
        if (x80_scale_exact(rd->b, k, &b)) {
            return rd->kind == XK_YL2X ? floatx80_yl2x(rd->a, b, s)
                                       : floatx80_yl2xp1(rd->a, b, s);
        }
        if (rd->kind == XK_YL2XP1 && k > 0) {
            /*
             * log2(1 + x) is x * log2(e) to far better than 2^-64 while
             * |x| < 2^-100: give x what y cannot take.
             */
            int ky = 0x7ffe - (rd->b.sign_exp & 0x7fff);

            if (x80_scale_exact(rd->b, ky, &b) &&
                x80_scale_exact(rd->a, k - ky, &a) &&
                (a.sign_exp & 0x7fff) < 16383 - 100) {
                return floatx80_yl2xp1(a, b, s);
            }
        }
        break;
    case XK_ATAN:
        /* Tiny only as y / x with x > 0, which atan rounds a shade
         * smaller (relatively by far less than 2^-16000).  The
         * transcendentals ignore the precision control. */
        if (k < 0 || (rd->b.sign_exp & 0x8000)) {
            break;
        }
        s->x80_precision = floatx80_precision_64;
        if (x80_scale_exact(rd->a, k, &a)) {
            b = rd->b;
        } else if (x80_scale_exact(rd->b, -k, &b)) {
            a = rd->a;
        } else {
            break;
        }
        r = floatx80_div(a, b, s);
        if (s->flags & float_flag_inexact) {
            return r;
        }
        return x87_nudge(r, true, s);
    case XK_SIN:
    case XK_TAN:
        if (k < 0 || !x80_scale_exact(rd->a, k, &a)) {
            break;
        }
        return x87_nudge(a, rd->kind == XK_SIN, s);
    case XK_F2XM1: {
        static const floatx80 ln2 = { .mant = 0xb17217f7d1cf79acull,
                                      .sign_exp = 0x3ffe };

        if (k < 0 || !x80_scale_exact(rd->a, k, &a)) {
            break;
        }
        s->x80_precision = floatx80_precision_64;
        return floatx80_mul(a, ln2, s); /* within one unit */
    }
    default:
        break;
    }
    if (x80_scale_exact(masked, k, &r)) {
        return r;
    }
    return masked;
}

/*
 * Applies the x87 exception rules to the result *r of an operation whose
 * destination is a register (SDM vol. 1, 4.9.2 and 8.5).  Returns false
 * when an unmasked invalid-operation, denormal or divide-by-zero
 * exception stops the instruction: nothing is written or popped.
 * Otherwise records the flags and C1 (rounded up) and, when OE or UE is
 * unmasked, replaces *r by the wrapped result.
 */
bool x87_finish(CPUX86State *env, FloatStatus *s, floatx80 *r,
                const X87Redo *rd)
{
    int flags = s->flags;
    int pre = flags & (FSW_IE | FSW_DE | FSW_ZE);
    bool up = s->rounded_up;
    int post = 0, k = 0;

    if (x87_unmasked(env, pre)) {
        x87_raise(env, pre);
        x87_set_c1(env, false);
        return false;
    }
    if ((flags & FSW_OE) && x87_unmasked(env, FSW_OE)) {
        post = FSW_OE;
        k = -X87_WRAP;
    } else if (s->tiny && x87_unmasked(env, FSW_UE)) {
        /* Unmasked, underflow is signalled even for exact results. */
        post = FSW_UE;
        k = X87_WRAP;
    }
    if (post) {
        FloatStatus s2;

        x87_status(env, &s2);
        *r = x87_redo(rd, k, *r, &s2);
        flags = pre | post | (s2.flags & FSW_PE);
        up = s2.rounded_up;
    }
    x87_raise(env, flags);
    x87_set_c1(env, up);
    return true;
}

/*
 * The same rules for a result that goes to memory (FST, FIST, FBSTP):
 * with IE, OE or UE unmasked nothing is stored or popped, and only that
 * exception is flagged, without PE, with C1 = 0 (measured).
 */
bool x87_store_check(CPUX86State *env, FloatStatus *s, int *flags)
{
    int f = s->flags;

    if (s->tiny && x87_unmasked(env, FSW_UE)) {
        f |= FSW_UE;
    }
    if (x87_unmasked(env, f & (FSW_IE | FSW_OE | FSW_UE))) {
        *flags = f & ~FSW_PE;
        s->rounded_up = false;
        return false;
    }
    *flags = f;
    return true;
}
