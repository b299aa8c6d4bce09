/*
 * Software floating point for the x86 guest: float32, float64 and the x87
 * 80-bit extended format, with x86 rounding, exception, NaN and
 * denormal rules (Intel SDM vol. 1 ch. 4, 8, 10 and 11).
 *
 * Pure integer arithmetic: no host floating point is used, so results
 * and flags are the same on every host, which record/replay needs.
 *
 * Every operation takes a FloatStatus that holds the control settings
 * (rounding mode, x87 precision control, SSE FTZ/DAZ, which NaN rule)
 * and collects the sticky exception flags.  The library always computes
 * the masked response (the result the CPU writes when the exception is
 * masked); the caller compares the flags with its mask register and
 * raises #MF or #XM itself.  For SSE the CPU does not write the result
 * of an instruction whose exception is unmasked; for x87 the unmasked
 * overflow/underflow responses (exponent re-biasing) are not modelled.
 */
#ifndef FPU_SOFTFLOAT_H
#define FPU_SOFTFLOAT_H

#include <stdbool.h>
#include <stdint.h>

typedef uint32_t float32;
typedef uint64_t float64;

/* x87 double extended: 64-bit significand with explicit integer bit.  The
 * first 10 bytes are the memory image of an m80 operand (little endian). */
typedef struct floatx80 {
    uint64_t mant;
    uint16_t sign_exp; /* bit 15 sign, bits 14..0 biased exponent */
} floatx80;

/* Rounding modes, numbered as the x87 RC and MXCSR.RC fields. */
typedef enum FloatRoundMode {
    float_round_nearest_even = 0,
    float_round_down = 1,
    float_round_up = 2,
    float_round_to_zero = 3,
} FloatRoundMode;

/* x87 precision control, numbered as FCW.PC (1 is reserved: acts as 64). */
typedef enum FloatX80Precision {
    floatx80_precision_24 = 0,
    floatx80_precision_53 = 2,
    floatx80_precision_64 = 3,
} FloatX80Precision;

/* Which operand's NaN a two-operand operation returns (SDM table 4-7). */
typedef enum FloatNaNRule {
    float_nan_x87 = 0, /* the NaN with the larger significand */
    float_nan_sse = 1, /* the first source operand's NaN */
} FloatNaNRule;

/* Sticky exception flags, in the bit order of FSW and MXCSR bits 0..5. */
enum {
    float_flag_invalid = 0x01,   /* IE */
    float_flag_denormal = 0x02,  /* DE */
    float_flag_divbyzero = 0x04, /* ZE */
    float_flag_overflow = 0x08,  /* OE */
    float_flag_underflow = 0x10, /* UE (masked response: tiny and inexact) */
    float_flag_inexact = 0x20,   /* PE */
};

typedef struct FloatStatus {
    /* Controls, set by the caller. */
    uint8_t rounding_mode;   /* FloatRoundMode */
    uint8_t x80_precision;   /* FloatX80Precision (arith., sqrt) */
    uint8_t nan_rule;        /* FloatNaNRule */
    bool flush_to_zero;      /* SSE: MXCSR.FTZ && MXCSR.UM (SDM 10.2.3.3) */
    bool denormals_are_zero; /* SSE: MXCSR.DAZ */
    /* Set by float32/64_to_floatx80_operand for a denormal memory operand;
     * the next floatx80 add/sub/mul/div/compare consumes it. */
    bool operand_denormal;
    /* Results, accumulated: the library sets them and never clears them. */
    uint8_t flags;   /* float_flag_* */
    bool rounded_up; /* an inexact result was rounded away from zero: x87 C1 */
    bool tiny;       /* a result was tiny: unmasked UE fires even if exact */
} FloatStatus;

/* Fill a status from the x87 control word (RC, PC); x87 NaN rules. */
void float_status_init_x87(FloatStatus *s, uint16_t fcw);
/* Fill a status from MXCSR (RC, FTZ when UM, DAZ); SSE NaN rules. */
void float_status_init_sse(FloatStatus *s, uint32_t mxcsr);

typedef enum FloatRelation {
    float_relation_less = -1,
    float_relation_equal = 0,
    float_relation_greater = 1,
    float_relation_unordered = 2,
} FloatRelation;

/* FXAM classes, valued C3 << 2 | C2 << 1 | C0 (the caller adds C1 = sign
 * and reports "empty" (5) from the tag word). */
typedef enum FloatX80Class {
    floatx80_class_unsupported = 0,
    floatx80_class_nan = 1,
    floatx80_class_normal = 2,
    floatx80_class_infinity = 3,
    floatx80_class_zero = 4,
    floatx80_class_denormal = 6,
} FloatX80Class;

/* The x86 "QNaN floating-point indefinite" and integer indefinite. */
#define float32_default_nan       ((float32)0xFFC00000u)
#define float64_default_nan       ((float64)0xFFF8000000000000ull)
#define floatx80_default_nan_mant 0xC000000000000000ull
#define floatx80_default_nan_sexp 0xFFFF
#define int16_indefinite          ((int16_t)INT16_MIN)
#define int32_indefinite          ((int32_t)INT32_MIN)
#define int64_indefinite          ((int64_t)INT64_MIN)

static inline floatx80 make_floatx80(uint16_t sign_exp, uint64_t mant)
{
    floatx80 r = { .mant = mant, .sign_exp = sign_exp };
    return r;
}

static inline floatx80 floatx80_default_nan(void)
{
    return make_floatx80(floatx80_default_nan_sexp, floatx80_default_nan_mant);
}

/* Bit-level predicates: no flags. */
static inline bool float32_is_nan(float32 a)
{
    return (a & 0x7FFFFFFFu) > 0x7F800000u;
}

static inline bool float32_is_signaling_nan(float32 a)
{
    return float32_is_nan(a) && !(a & 0x00400000u);
}

static inline bool float64_is_nan(float64 a)
{
    return (a & 0x7FFFFFFFFFFFFFFFull) > 0x7FF0000000000000ull;
}

static inline bool float64_is_signaling_nan(float64 a)
{
    return float64_is_nan(a) && !(a & 0x0008000000000000ull);
}

/* NaN: exponent all ones, integer bit set, fraction non-zero. */
static inline bool floatx80_is_nan(floatx80 a)
{
    return (a.sign_exp & 0x7FFF) == 0x7FFF && (a.mant >> 63) &&
           (a.mant << 1) != 0;
}

static inline bool floatx80_is_signaling_nan(floatx80 a)
{
    return floatx80_is_nan(a) && !(a.mant & 0x4000000000000000ull);
}

/* Pseudo-NaN, pseudo-infinity, unnormal: invalid operands on 387+. */
static inline bool floatx80_is_unsupported(floatx80 a)
{
    return (a.sign_exp & 0x7FFF) != 0 && !(a.mant >> 63);
}

static inline bool floatx80_is_zero(floatx80 a)
{
    return (a.sign_exp & 0x7FFF) == 0 && a.mant == 0;
}

static inline bool floatx80_is_infinity(floatx80 a)
{
    return (a.sign_exp & 0x7FFF) == 0x7FFF && a.mant == 0x8000000000000000ull;
}

static inline bool floatx80_sign(floatx80 a)
{
    return a.sign_exp >> 15;
}

/* FABS and FCHS: bit operations, no flags, NaNs included. */
static inline floatx80 floatx80_abs(floatx80 a)
{
    a.sign_exp &= 0x7FFF;
    return a;
}

static inline floatx80 floatx80_chs(floatx80 a)
{
    a.sign_exp ^= 0x8000;
    return a;
}

FloatX80Class floatx80_classify(floatx80 a);

/*
 * Arithmetic.  For sub and div, a is the first source (minuend, dividend),
 * which is the operand whose NaN wins under float_nan_sse.
 */
float32 float32_add(float32 a, float32 b, FloatStatus *s);
float32 float32_sub(float32 a, float32 b, FloatStatus *s);
float32 float32_mul(float32 a, float32 b, FloatStatus *s);
float32 float32_div(float32 a, float32 b, FloatStatus *s);
float32 float32_sqrt(float32 a, FloatStatus *s);
float64 float64_add(float64 a, float64 b, FloatStatus *s);
float64 float64_sub(float64 a, float64 b, FloatStatus *s);
float64 float64_mul(float64 a, float64 b, FloatStatus *s);
float64 float64_div(float64 a, float64 b, FloatStatus *s);
float64 float64_sqrt(float64 a, FloatStatus *s);
/* floatx80 arithmetic rounds the significand to s->x80_precision. */
floatx80 floatx80_add(floatx80 a, floatx80 b, FloatStatus *s);
floatx80 floatx80_sub(floatx80 a, floatx80 b, FloatStatus *s);
floatx80 floatx80_mul(floatx80 a, floatx80 b, FloatStatus *s);
floatx80 floatx80_div(floatx80 a, floatx80 b, FloatStatus *s);
floatx80 floatx80_sqrt(floatx80 a, FloatStatus *s);

/*
 * Comparisons.  _compare is the signaling form (COMISS, CMPLTSS, FCOM:
 * invalid for any NaN); _compare_quiet the quiet form (UCOMISS, CMPEQSS,
 * FUCOM: invalid only for SNaN).  Denormal operands raise DE.
 */
FloatRelation float32_compare(float32 a, float32 b, FloatStatus *s);
FloatRelation float32_compare_quiet(float32 a, float32 b, FloatStatus *s);
FloatRelation float64_compare(float64 a, float64 b, FloatStatus *s);
FloatRelation float64_compare_quiet(float64 a, float64 b, FloatStatus *s);
FloatRelation floatx80_compare(floatx80 a, floatx80 b, FloatStatus *s);
FloatRelation floatx80_compare_quiet(floatx80 a, floatx80 b, FloatStatus *s);

/* Round to an integral value in the current rounding mode (FRNDINT,
 * ROUNDSS); the _noexact forms never raise PE (ROUNDSS imm8[3]). */
float32 float32_round_to_int(float32 a, FloatStatus *s);
float32 float32_round_to_int_noexact(float32 a, FloatStatus *s);
float64 float64_round_to_int(float64 a, FloatStatus *s);
float64 float64_round_to_int_noexact(float64 a, FloatStatus *s);
floatx80 floatx80_round_to_int(floatx80 a, FloatStatus *s);
floatx80 floatx80_round_to_int_noexact(floatx80 a, FloatStatus *s);

/* Format conversions.  Narrowing rounds in the current mode (not the x87
 * precision control); widening is exact.  SNaN inputs raise IE and are
 * quietened (FLD m32/m64, CVTSS2SD). */
float64 float32_to_float64(float32 a, FloatStatus *s);
floatx80 float32_to_floatx80(float32 a, FloatStatus *s);
float32 float64_to_float32(float64 a, FloatStatus *s);
floatx80 float64_to_floatx80(float64 a, FloatStatus *s);
float32 floatx80_to_float32(floatx80 a, FloatStatus *s);
float64 floatx80_to_float64(floatx80 a, FloatStatus *s);
/*
 * Widen a memory operand of an x87 arithmetic instruction (FADD m32,
 * FCOM m64 ...) exactly, for the floatx80 operation that follows: an
 * SNaN stays signaling so that the operation applies the SNaN rules and
 * raises IE, and a denormal sets s->operand_denormal so that the
 * operation raises DE unless a NaN or invalid operand takes precedence.
 */
floatx80 float32_to_floatx80_operand(float32 a, FloatStatus *s);
floatx80 float64_to_floatx80_operand(float64 a, FloatStatus *s);

/*
 * Integer conversions.  NaN and out-of-range inputs give the integer
 * indefinite (most negative value) and IE.  The _round_to_zero forms
 * truncate whatever the rounding mode (CVTT*, FISTTP).
 */
int16_t float32_to_int16(float32 a, FloatStatus *s);
int32_t float32_to_int32(float32 a, FloatStatus *s);
int64_t float32_to_int64(float32 a, FloatStatus *s);
int16_t float32_to_int16_round_to_zero(float32 a, FloatStatus *s);
int32_t float32_to_int32_round_to_zero(float32 a, FloatStatus *s);
int64_t float32_to_int64_round_to_zero(float32 a, FloatStatus *s);
int16_t float64_to_int16(float64 a, FloatStatus *s);
int32_t float64_to_int32(float64 a, FloatStatus *s);
int64_t float64_to_int64(float64 a, FloatStatus *s);
int16_t float64_to_int16_round_to_zero(float64 a, FloatStatus *s);
int32_t float64_to_int32_round_to_zero(float64 a, FloatStatus *s);
int64_t float64_to_int64_round_to_zero(float64 a, FloatStatus *s);
int16_t floatx80_to_int16(floatx80 a, FloatStatus *s);
int32_t floatx80_to_int32(floatx80 a, FloatStatus *s);
int64_t floatx80_to_int64(floatx80 a, FloatStatus *s);
int16_t floatx80_to_int16_round_to_zero(floatx80 a, FloatStatus *s);
int32_t floatx80_to_int32_round_to_zero(floatx80 a, FloatStatus *s);
int64_t floatx80_to_int64_round_to_zero(floatx80 a, FloatStatus *s);

/* Integer to float: rounds (PE) only when the format is too narrow. */
float32 int16_to_float32(int16_t a, FloatStatus *s);
float32 int32_to_float32(int32_t a, FloatStatus *s);
float32 int64_to_float32(int64_t a, FloatStatus *s);
float64 int16_to_float64(int16_t a, FloatStatus *s);
float64 int32_to_float64(int32_t a, FloatStatus *s);
float64 int64_to_float64(int64_t a, FloatStatus *s);
floatx80 int16_to_floatx80(int16_t a, FloatStatus *s);
floatx80 int32_to_floatx80(int32_t a, FloatStatus *s);
floatx80 int64_to_floatx80(int64_t a, FloatStatus *s);

/*
 * x87 specials (fpu/softfloat-x87.c).
 */

/*
 * FPREM (ieee = false: quotient truncated) and FPREM1 (ieee = true:
 * quotient rounded to nearest even) of a = ST(0) by b = ST(1).  The
 * result is exact.  When the exponent difference is 64 or more only a
 * partial remainder is computed (the exponent drops by 32 + (D mod 32)
 * bits as on real CPUs): *incomplete is set (C2 = 1) and *quotient is 0.
 * Otherwise *quotient holds the low 64 bits of the quotient magnitude
 * (C0 = bit 2, C3 = bit 1, C1 = bit 0).  After an invalid operation both
 * outputs are 0.
 */
floatx80 floatx80_prem(floatx80 a, floatx80 b, bool ieee, uint64_t *quotient,
                       bool *incomplete, FloatStatus *s);

/* FSCALE: a * 2^trunc(b), rounded in the current mode (64-bit). */
floatx80 floatx80_scale(floatx80 a, floatx80 b, FloatStatus *s);

/* FXTRACT: a = *sig * 2^*exp with 1 <= |*sig| < 2. */
void floatx80_extract(floatx80 a, floatx80 *sig, floatx80 *exp, FloatStatus *s);

/*
 * The constants of FLDPI, FLDL2T, FLDL2E, FLDLG2, FLDLN2, rounded to 64
 * bits in s->rounding_mode (SDM vol. 2 FLD1/FLDL2T/...): no flags.
 */
typedef enum FloatX80Const {
    floatx80_const_pi,
    floatx80_const_l2t, /* log2(10) */
    floatx80_const_l2e, /* log2(e) */
    floatx80_const_lg2, /* log10(2) */
    floatx80_const_ln2, /* ln(2) */
} FloatX80Const;
floatx80 floatx80_load_const(FloatX80Const which, FloatStatus *s);

/*
 * x87 transcendental instructions (fpu/softfloat-x87-trans.c), computed
 * with about 120 bits of internal precision and rounded once in the
 * current rounding mode (the precision control does not apply), so the
 * results are correctly rounded in all but astronomically rare cases.
 * FSIN, FCOS, FSINCOS and FPTAN reduce their argument with the 66-bit
 * approximation of pi that Intel and AMD CPUs use (SDM vol. 1 8.3.10), so
 * results for large arguments match hardware.  They return false, and
 * leave their outputs untouched, when |a| >= 2^63: the caller sets C2 = 1
 * and leaves ST(0) unchanged.  On success the caller clears C2; FPTAN's
 * caller then pushes 1.0.  After FSINCOS, rounded_up (C1) describes the
 * sine, as on hardware.
 */
bool floatx80_sin(floatx80 a, floatx80 *result, FloatStatus *s);
bool floatx80_cos(floatx80 a, floatx80 *result, FloatStatus *s);
bool floatx80_sincos(floatx80 a, floatx80 *sin, floatx80 *cos, FloatStatus *s);
bool floatx80_tan(floatx80 a, floatx80 *result, FloatStatus *s);
/* F2XM1: 2^a - 1, defined for -1 <= a <= 1. */
floatx80 floatx80_f2xm1(floatx80 a, FloatStatus *s);
/* FYL2X: y * log2(x), with x = ST(0), y = ST(1). */
floatx80 floatx80_yl2x(floatx80 x, floatx80 y, FloatStatus *s);
/* FYL2XP1: y * log2(x + 1), defined for |x| < 1 - sqrt(2)/2. */
floatx80 floatx80_yl2xp1(floatx80 x, floatx80 y, FloatStatus *s);
/* FPATAN: arctan(y / x) in the quadrant of (x, y): y = ST(1), x = ST(0). */
floatx80 floatx80_atan2(floatx80 y, floatx80 x, FloatStatus *s);

#endif
