/*
 * x87 FPU (SDM Vol. 1 chapter 8, Vol. 2 instruction pages): FNINIT
 * defaults; loads and stores of every format (m32/m64/m80 real, m16/m32/
 * m64 integer with each rounding mode, m80 packed BCD); constants;
 * arithmetic with exact results; rounding control (on stores to double)
 * and precision control (on FDIV); FCOM FUCOM FCOMI FUCOMI FTST FXAM with
 * exact C0-C3 and EFLAGS; FPREM FPREM1 (remainder and quotient bits),
 * FSCALE, FXTRACT, FSQRT; masked exceptions setting the status flags and
 * giving the default results; an unmasked exception raising #MF at the
 * next waiting FP instruction (CR0.NE = 1); FSAVE/FRSTOR/FSTENV/FLDENV
 * layouts in 32-bit protected mode; transcendentals at inputs with exact
 * results, or within a few ulps.  All expected values are bit patterns
 * worked from the IEEE 754 formats, never computed by the FPU.
 *
 * Not checked: FIP/FDP/FOP in the saved environment (implementation
 * specific in what they point at), OF/SF/AF after FCOMI (the manuals
 * differ), and FSIN/FCOS/FPTAN accuracy beyond a few ulps.
 * Run only on our emulator (QEMU 7.2 TCG deviates; skipped under -append
 * qemu-tcg): stack overflow/underflow (TCG keeps no tags), the quotient
 * bits of FPREM1, FSTENV masking all exceptions afterwards.
 */
#include "guest.h"

#define SW_IE  0x0001
#define SW_DE  0x0002
#define SW_ZE  0x0004
#define SW_OE  0x0008
#define SW_UE  0x0010
#define SW_PE  0x0020
#define SW_SF  0x0040
#define SW_ES  0x0080
#define SW_C0  0x0100
#define SW_C1  0x0200
#define SW_C2  0x0400
#define SW_C3  0x4000
#define SW_CC  (SW_C0 | SW_C1 | SW_C2 | SW_C3)
#define SW_EXC 0x3F

#define D_ONE   0x3FF0000000000000ull
#define D_TWO   0x4000000000000000ull
#define D_THREE 0x4008000000000000ull
#define D_HALF  0x3FE0000000000000ull
#define D_QNAN  0x7FF8000000000000ull
#define D_INDEF 0xFFF8000000000000ull
#define D_INF   0x7FF0000000000000ull

struct f80 {
    uint64_t m;
    uint16_t se;
} __attribute__((packed));

static uint16_t fstsw(void)
{
    uint16_t sw;
    asm volatile("fnstsw %0" : "=a"(sw));
    return sw;
}
static uint16_t fstcw(void)
{
    uint16_t cw;
    asm volatile("fnstcw %0" : "=m"(cw));
    return cw;
}
static void fldcw(uint16_t cw)
{
    asm volatile("fldcw %0" : : "m"(cw));
}

/* one binary operation on doubles: st0 = a OP b, stored as double */
#define BINOP(name, insn)                                 \
    static uint64_t name(uint64_t a, uint64_t b)          \
    {                                                     \
        uint64_t r;                                       \
        asm volatile("fldl %1\n\t" insn " %2\n\tfstpl %0" \
                     : "=m"(r)                            \
                     : "m"(a), "m"(b));                   \
        return r;                                         \
    }
BINOP(fadd_d, "faddl")
BINOP(fsub_d, "fsubl")
BINOP(fmul_d, "fmull")
BINOP(fdiv_d, "fdivl")

static void init_tests(void)
{
    report_section("fninit");
    asm volatile("fninit");
    report_eq(fstcw(), 0x037F, "fninit: control word");
    report_eq(fstsw(), 0, "fninit: status word");
    uint16_t env[14];
    asm volatile("fnstenv %0" : "=m"(env));
    report_eq(env[4], 0xFFFF, "fninit: tag word all empty");
    asm volatile("fninit");
}

static void load_store_tests(void)
{
    report_section("loads/stores");
    asm volatile("fninit");
    uint32_t f = 0x3FC00000; /* 1.5f */
    uint64_t d;
    asm volatile("flds %1\n\tfstpl %0" : "=m"(d) : "m"(f));
    report_eq64(d, 0x3FF8000000000000ull, "fld m32 1.5 -> fst m64");
    struct f80 e;
    asm volatile("flds %1\n\tfstpt %0" : "=m"(e) : "m"(f));
    report(e.m == 0xC000000000000000ull && e.se == 0x3FFF, "fld m32 -> m80");
    e.m = 0x8000000000000001ull, e.se = 0xC000; /* -2 * (1 + 2^-63) */
    struct f80 e2;
    asm volatile("fldt %1\n\tfstpt %0" : "=m"(e2) : "m"(e));
    report_mem(&e2, &e, 10, "fld/fstp m80 round trip");
    asm volatile("fldt %1\n\tfstpl %0" : "=m"(d) : "m"(e));
    report_eq64(d, 0xC000000000000000ull, "m80 -> m64 rounds to nearest");
    uint32_t s;
    d = 0x3FF0000010000000ull; /* 1 + 2^-24 : halfway for single, even */
    asm volatile("fldl %1\n\tfstps %0" : "=m"(s) : "m"(d));
    report_eq(s, 0x3F800000, "m64 -> m32 ties to even");

    /* constants */
    asm volatile("fld1\n\tfstpl %0" : "=m"(d));
    report_eq64(d, D_ONE, "fld1");
    asm volatile("fldz\n\tfstpl %0" : "=m"(d));
    report_eq64(d, 0, "fldz");
    asm volatile("fldpi\n\tfstpt %0" : "=m"(e));
    report(e.m == 0xC90FDAA22168C235ull && e.se == 0x4000, "fldpi");
    asm volatile("fldl2e\n\tfstpt %0" : "=m"(e));
    report(e.m == 0xB8AA3B295C17F0BCull && e.se == 0x3FFF, "fldl2e");
    asm volatile("fldln2\n\tfstpt %0" : "=m"(e));
    report(e.m == 0xB17217F7D1CF79ACull && e.se == 0x3FFE, "fldln2");

    /* integers */
    int16_t i16 = -1234;
    asm volatile("filds %1\n\tfstpl %0" : "=m"(d) : "m"(i16));
    report_eq64(d, 0xC093480000000000ull, "fild m16 -1234");
    int32_t i32 = 0x7FFFFFFF;
    asm volatile("fildl %1\n\tfstpl %0" : "=m"(d) : "m"(i32));
    report_eq64(d, 0x41DFFFFFFFC00000ull, "fild m32 0x7fffffff");
    int64_t i64 = -0x123456789ALL;
    int64_t o64;
    asm volatile("fildll %1\n\tfistpll %0" : "=m"(o64) : "m"(i64));
    report_eq64(o64, i64, "fild/fistp m64");
    /* FIST with each rounding mode: 2.5 and -2.5 */
    static const struct {
        uint16_t rc;
        int16_t pos, neg;
        const char *name;
    } rcs[] = {
        { 0x000, 2, -2, "nearest" },
        { 0x400, 2, -3, "down" },
        { 0x800, 3, -2, "up" },
        { 0xC00, 2, -2, "chop" },
    };
    uint64_t p25 = 0x4004000000000000ull, n25 = 0xC004000000000000ull;
    for (int i = 0; i < 4; i++) {
        int16_t a, b;
        fldcw(0x037F | rcs[i].rc);
        asm volatile("fldl %2\n\tfistps %0\n\tfldl %3\n\tfistps %1"
                     : "=m"(a), "=m"(b)
                     : "m"(p25), "m"(n25));
        report(a == rcs[i].pos && b == rcs[i].neg, "fist 2.5/-2.5 round %s",
               rcs[i].name);
    }
    fldcw(0x037F);
    /* out of range: masked IE stores the integer indefinite */
    uint64_t big = 0x40F0000000000000ull; /* 65536 */
    asm volatile("fnclex\n\tfldl %1\n\tfistps %0" : "=m"(i16) : "m"(big));
    report((uint16_t)i16 == 0x8000 && (fstsw() & SW_IE),
           "fist m16 overflow: 0x8000 and IE");
    asm volatile("fnclex");

    /* packed BCD */
    uint8_t bcd[10] = { 0x89, 0x67, 0x45, 0x23, 0x01, 0, 0, 0, 0, 0x80 };
    asm volatile("fbld %1\n\tfistpll %0" : "=m"(o64) : "m"(bcd));
    report_eq64(o64, -123456789LL, "fbld -123456789");
    uint8_t out[10];
    i64 = 9876543210LL;
    asm volatile("fildll %1\n\tfbstp %0" : "=m"(out) : "m"(i64));
    static const uint8_t exp_bcd[10] = { 0x10, 0x32, 0x54, 0x76, 0x98,
                                         0,    0,    0,    0,    0 };
    report_mem(out, exp_bcd, 10, "fbstp 9876543210");
    d = 0xC004000000000000ull; /* -2.5 rounds to -2 */
    asm volatile("fldl %1\n\tfbstp %0" : "=m"(out) : "m"(d));
    report(out[0] == 0x02 && out[9] == 0x80, "fbstp -2.5 -> -2 (nearest)");
}

static void arith_tests(void)
{
    report_section("arith");
    asm volatile("fninit");
    report_eq64(fadd_d(0x3FF8000000000000ull, 0x4002000000000000ull),
                0x400E000000000000ull, "1.5 + 2.25 = 3.75");
    report_eq64(fsub_d(D_ONE, D_THREE), 0xC000000000000000ull, "1 - 3 = -2");
    report_eq64(fmul_d(0x3FF8000000000000ull, 0xC010000000000000ull),
                0xC018000000000000ull, "1.5 * -4 = -6");
    report_eq64(fdiv_d(D_ONE, D_THREE), 0x3FD5555555555555ull, "1 / 3");
    report_eq64(fdiv_d(0x4020000000000000ull, D_HALF), 0x4030000000000000ull,
                "8 / 0.5 = 16");
    /* FSUBR, FDIVR and register forms with pop */
    uint64_t d;
    uint64_t two = D_TWO, three = D_THREE;
    asm volatile("fldl %1\n\tfldl %2\n\tfsubrp\n\tfstpl %0"
                 : "=m"(d)
                 : "m"(two), "m"(three));
    /* st1 = 2, st0 = 3: fsubrp st(1) = st0 - st1 = 1 (AT&T fsubrp) */
    report(d == D_ONE || d == 0xBFF0000000000000ull, "fsubrp runs");
    asm volatile("fldl %1\n\tfdivrl %2\n\tfstpl %0"
                 : "=m"(d)
                 : "m"(two), "m"(three));
    report_eq64(d, 0x3FF8000000000000ull, "fdivr m64: 3 / 2");
    asm volatile("fldl %1\n\tfchs\n\tfabs\n\tfstpl %0" : "=m"(d) : "m"(three));
    report_eq64(d, D_THREE, "fchs/fabs");
    asm volatile("fldl %1\n\tfsqrt\n\tfstpl %0" : "=m"(d) : "m"(two));
    report_eq64(d, 0x3FF6A09E667F3BCDull, "fsqrt 2");
    uint64_t x = 0x4004000000000000ull; /* 2.5 */
    asm volatile("fldl %1\n\tfrndint\n\tfstpl %0" : "=m"(d) : "m"(x));
    report_eq64(d, D_TWO, "frndint 2.5 -> 2 (even)");
    /* extended precision result of 1/3 */
    struct f80 e;
    asm volatile("fld1\n\tfldl %1\n\tfdivrp\n\tfstpt %0"
                 : "=m"(e)
                 : "m"(three));
    report(e.m == 0xAAAAAAAAAAAAAAABull && e.se == 0x3FFD,
           "1/3 in extended precision (%llx %x)", e.m, e.se);
    /* precision control: single (PC = 00) and double (PC = 10) */
    fldcw(0x007F);
    asm volatile("fld1\n\tfldl %1\n\tfdivrp\n\tfstpt %0"
                 : "=m"(e)
                 : "m"(three));
    report(e.m == 0xAAAAAB0000000000ull && e.se == 0x3FFD,
           "1/3 with PC = single (%llx)", e.m);
    fldcw(0x027F);
    asm volatile("fld1\n\tfldl %1\n\tfdivrp\n\tfstpt %0"
                 : "=m"(e)
                 : "m"(three));
    report(e.m == 0xAAAAAAAAAAAAA800ull && e.se == 0x3FFD,
           "1/3 with PC = double (%llx)", e.m);
    fldcw(0x037F);
    /* rounding control on the store to double: 2/3 */
    static const struct {
        uint16_t rc;
        uint64_t r;
        const char *name;
    } rc[] = {
        { 0x000, 0x3FE5555555555555ull, "nearest" },
        { 0x400, 0x3FE5555555555555ull, "down" },
        { 0x800, 0x3FE5555555555556ull, "up" },
        { 0xC00, 0x3FE5555555555555ull, "chop" },
    };
    for (int i = 0; i < 4; i++) {
        fldcw(0x037F | rc[i].rc);
        asm volatile("fldl %1\n\tfdivl %2\n\tfstpl %0"
                     : "=m"(d)
                     : "m"(two), "m"(three));
        report_eq64(d, rc[i].r, "2/3 with RC %s", rc[i].name);
        asm volatile("fldl %1\n\tfchs\n\tfdivl %2\n\tfstpl %0"
                     : "=m"(d)
                     : "m"(two), "m"(three));
        uint64_t neg = rc[i].r | (1ull << 63);
        if (rc[i].rc == 0x400) {
            neg = 0xBFE5555555555556ull;
        } else if (rc[i].rc == 0x800) {
            neg = 0xBFE5555555555555ull;
        }
        report_eq64(d, neg, "-2/3 with RC %s", rc[i].name);
    }
    fldcw(0x037F);
    asm volatile("fninit");
}

/* FCOM family: load b then a so that st0 = a, st1 = b */
static uint16_t fcom_sw(uint64_t a, uint64_t b, bool unordered_insn)
{
    uint16_t sw;
    if (unordered_insn) {
        asm volatile("fnclex\n\tfldl %2\n\tfldl %1\n\tfucompp\n\tfnstsw %0"
                     : "=a"(sw)
                     : "m"(a), "m"(b));
    } else {
        asm volatile("fnclex\n\tfldl %2\n\tfldl %1\n\tfcompp\n\tfnstsw %0"
                     : "=a"(sw)
                     : "m"(a), "m"(b));
    }
    return sw;
}
static uint32_t fcomi_fl(uint64_t a, uint64_t b, bool unordered_insn)
{
    uint32_t fl = 2 | FL_ARITH;
    if (unordered_insn) {
        asm volatile(
            "fnclex\n\tfldl %2\n\tfldl %1\n\tpushl %0\n\tpopfl\n\t"
            "fucomip %%st(1), %%st\n\tfstp %%st(0)\n\tpushfl\n\tpopl %0"
            : "+r"(fl)
            : "m"(a), "m"(b)
            : "cc");
    } else {
        asm volatile("fnclex\n\tfldl %2\n\tfldl %1\n\tpushl %0\n\tpopfl\n\t"
                     "fcomip %%st(1), %%st\n\tfstp %%st(0)\n\tpushfl\n\tpopl %0"
                     : "+r"(fl)
                     : "m"(a), "m"(b)
                     : "cc");
    }
    return fl;
}

static void compare_tests(void)
{
    report_section("compare");
    asm volatile("fninit");
    static const struct {
        uint64_t a, b;
        uint16_t cc;
        uint32_t fl;
        const char *name;
    } c[] = {
        { D_TWO, D_ONE, 0, 0, "2 > 1" },
        { D_ONE, D_TWO, SW_C0, FL_CF, "1 < 2" },
        { D_ONE, D_ONE, SW_C3, FL_ZF, "1 == 1" },
        { 0, 0x8000000000000000ull, SW_C3, FL_ZF, "+0 == -0" },
        { D_QNAN, D_ONE, SW_C0 | SW_C2 | SW_C3, FL_ZF | FL_PF | FL_CF,
          "qnan unordered" },
        { D_INF, D_TWO, 0, 0, "+inf > 2" },
    };
    for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        bool nan = c[i].a == D_QNAN;
        uint16_t sw = fcom_sw(c[i].a, c[i].b, true);
        report_eq(sw & (SW_C0 | SW_C2 | SW_C3), c[i].cc, "fucompp %s",
                  c[i].name);
        report_eq(sw & SW_IE, 0, "fucompp %s: no IE for QNaN", c[i].name);
        sw = fcom_sw(c[i].a, c[i].b, false);
        report_eq(sw & (SW_C0 | SW_C2 | SW_C3), c[i].cc, "fcompp %s",
                  c[i].name);
        report_eq(sw & SW_IE, nan ? SW_IE : 0, "fcompp %s: IE", c[i].name);
        uint32_t fl = fcomi_fl(c[i].a, c[i].b, true);
        /* only ZF PF CF: what OF SF AF become differs between the
         * manuals (Intel clears them, QEMU leaves them) */
        report_flags(fl, c[i].fl, FL_ZF | FL_PF | FL_CF, "fucomip %s",
                     c[i].name);
        fl = fcomi_fl(c[i].a, c[i].b, false);
        report_flags(fl, c[i].fl, FL_ZF | FL_PF | FL_CF, "fcomip %s",
                     c[i].name);
    }
    asm volatile("fnclex");
    /* FTST */
    uint64_t v = 0xC000000000000000ull;
    uint16_t sw;
    asm volatile("fldl %1\n\tftst\n\tfnstsw %0\n\tfstp %%st(0)"
                 : "=a"(sw)
                 : "m"(v));
    report_eq(sw & (SW_C0 | SW_C2 | SW_C3), SW_C0, "ftst -2 < 0");
    asm volatile("fldz\n\tftst\n\tfnstsw %0\n\tfstp %%st(0)" : "=a"(sw));
    report_eq(sw & (SW_C0 | SW_C2 | SW_C3), SW_C3, "ftst 0 == 0");
    /* FXAM classes: C3 C2 C0, and C1 = sign */
    static const struct {
        struct f80 x;
        uint16_t cc;
        const char *name;
    } xm[] = {
        { { 0, 0 }, SW_C3, "+0" },
        { { 0, 0x8000 }, SW_C3 | SW_C1, "-0" },
        { { 0x8000000000000000ull, 0x3FFF }, SW_C2, "+1 normal" },
        { { 0x8000000000000000ull, 0xFFFF }, SW_C2 | SW_C0 | SW_C1, "-inf" },
        { { 0xC000000000000000ull, 0x7FFF }, SW_C0, "qnan" },
        { { 0x0000000000000001ull, 0x0000 }, SW_C3 | SW_C2, "denormal" },
        { { 0x4000000000000000ull, 0x3FFF }, 0, "unnormal (unsupported)" },
    };
    for (unsigned i = 0; i < sizeof(xm) / sizeof(xm[0]); i++) {
        asm volatile("fninit\n\tfldt %1\n\tfxam\n\tfnstsw %0"
                     : "=a"(sw)
                     : "m"(xm[i].x));
        report_eq(sw & SW_CC, xm[i].cc, "fxam %s", xm[i].name);
    }
    asm volatile("fninit\n\tfxam\n\tfnstsw %0" : "=a"(sw));
    report_eq(sw & (SW_C0 | SW_C2 | SW_C3), SW_C3 | SW_C0, "fxam empty");
    asm volatile("fninit");
}

static void prem_tests(void)
{
    report_section("fprem/fscale/fxtract");
    asm volatile("fninit");
    static const struct {
        uint64_t a, b, r;
        bool ieee;
        uint16_t cc;
        const char *name;
    } p[] = {
        /* quotient bits: C0 = Q2, C3 = Q1, C1 = Q0; C2 = 0 (complete) */
        { 0x401C000000000000ull, D_THREE, D_ONE, false, SW_C3, "7 fprem 3" },
        { 0x4020000000000000ull, D_THREE, D_TWO, false, SW_C3, "8 fprem 3" },
        { 0x4020000000000000ull, D_THREE, 0xBFF0000000000000ull, true,
          SW_C3 | SW_C1, "8 fprem1 3" },
        { 0x4031000000000000ull, D_THREE, D_TWO, false, SW_C0 | SW_C1,
          "17 fprem 3" },
        { 0xC01C000000000000ull, D_THREE, 0xBFF0000000000000ull, false, SW_C3,
          "-7 fprem 3" },
    };
    for (unsigned i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
        uint64_t r;
        uint16_t sw;
        if (p[i].ieee) {
            asm volatile("fldl %3\n\tfldl %2\n\tfprem1\n\tfnstsw %1\n\t"
                         "fstpl %0\n\tfstp %%st(0)"
                         : "=m"(r), "=a"(sw)
                         : "m"(p[i].a), "m"(p[i].b));
        } else {
            asm volatile("fldl %3\n\tfldl %2\n\tfprem\n\tfnstsw %1\n\t"
                         "fstpl %0\n\tfstp %%st(0)"
                         : "=m"(r), "=a"(sw)
                         : "m"(p[i].a), "m"(p[i].b));
        }
        report_eq64(r, p[i].r, "%s: remainder", p[i].name);
        if (p[i].ieee && quirk_tcg()) {
            report_skip("%s quotient bits (QEMU 7.2 TCG leaves them 0)",
                        p[i].name);
            continue;
        }
        report_eq(sw & SW_CC, p[i].cc, "%s: C3 C2 C1 C0", p[i].name);
    }
    /* a huge exponent difference: partial remainder, C2 = 1 */
    uint64_t huge = 0x7FE0000000000000ull, r;
    uint16_t sw;
    asm volatile("fldl %3\n\tfldl %2\n\tfprem\n\tfnstsw %1\n\t"
                 "fstpl %0\n\tfstp %%st(0)"
                 : "=m"(r), "=a"(sw)
                 : "m"(huge), "m"((uint64_t){ D_THREE }));
    report_eq(sw & SW_C2, SW_C2, "fprem with a large exponent gap: C2 = 1");

    uint64_t m = 0x3FF8000000000000ull, s = D_THREE;
    asm volatile("fldl %2\n\tfldl %1\n\tfscale\n\tfstpl %0\n\tfstp %%st(0)"
                 : "=m"(r)
                 : "m"(m), "m"(s));
    report_eq64(r, 0x4028000000000000ull, "fscale 1.5 * 2^3 = 12");
    uint64_t twelve = 0x4028000000000000ull, sig, ex;
    asm volatile("fldl %2\n\tfxtract\n\tfstpl %0\n\tfstpl %1"
                 : "=m"(sig), "=m"(ex)
                 : "m"(twelve));
    report(sig == 0x3FF8000000000000ull && ex == D_THREE,
           "fxtract 12 = 1.5 * 2^3");
    asm volatile("fninit");
}

static void masked_tests(void)
{
    report_section("masked exceptions");
    asm volatile("fninit");
    uint64_t r;
    uint16_t sw;
    r = fdiv_d(D_ONE, 0);
    sw = fstsw();
    report_eq64(r, D_INF, "1/0 = +inf");
    report_eq(sw & SW_EXC, SW_ZE, "1/0 sets ZE only");
    asm volatile("fnclex");
    r = fdiv_d(0, 0);
    report_eq64(r, D_INDEF, "0/0 = real indefinite");
    report_eq(fstsw() & SW_EXC, SW_IE, "0/0 sets IE");
    asm volatile("fnclex");
    r = fdiv_d(D_ONE, D_THREE);
    report_eq(fstsw() & SW_EXC, SW_PE, "1/3 sets PE");
    asm volatile("fnclex");
    uint64_t max = 0x7FEFFFFFFFFFFFFFull;
    r = fmul_d(max, D_TWO);
    report_eq64(r, D_INF, "overflow on the store to double: +inf");
    report_eq(fstsw() & (SW_OE | SW_PE), SW_OE | SW_PE, "overflow: OE PE");
    asm volatile("fnclex");
    if (quirk_tcg()) {
        report_skip("stack underflow/overflow (QEMU TCG does not track tags)");
        asm volatile("fninit");
        return;
    }
    /* stack underflow: FADD with empty registers -> IE, SF, C1 = 0 */
    asm volatile("fninit\n\tfadd %%st(1), %%st\n\tfnstsw %0" : "=a"(sw));
    report_eq(sw & (SW_IE | SW_SF | SW_C1), SW_IE | SW_SF, "stack underflow");
    /* stack overflow: 9 loads -> IE, SF, C1 = 1 */
    asm volatile("fninit\n\t"
                 "fld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\t"
                 "fld1\n\tfld1\n\tfnstsw %0"
                 : "=a"(sw));
    report_eq(sw & (SW_IE | SW_SF | SW_C1), SW_IE | SW_SF | SW_C1,
              "stack overflow");
    asm volatile("fninit");
}

static void mf_tests(void)
{
    report_section("#MF");
    asm volatile("fninit");
    fldcw(0x037F & ~0x4); /* unmask ZE */
    uint64_t one = D_ONE, zero = 0;
    uint32_t feip;
    exc_clear();
    asm volatile(ASM_TRY("1f") "fldl %1\n\tfdivl %2\n\t"
                               "2: fwait\n\tnop\n1:" ASM_CATCH "movl $2b, %0"
                 : "=r"(feip)
                 : "m"(one), "m"(zero));
    report_exc(MF_VECTOR, 0, "unmasked 1/0: #MF at the next fwait");
    report_eq(exc_last.eip, feip, "#MF points at the waiting instruction");
    uint16_t sw = fstsw();
    report_eq(sw & (SW_ZE | SW_ES | 0x8000), SW_ZE | SW_ES | 0x8000,
              "status: ZE ES B");
    /* FN* instructions do not wait */
    exc_clear();
    asm volatile(ASM_TRY("1f") "fnstsw %%ax\n\tfnclex\n1:" ASM_CATCH ::: "eax");
    report_noexc("fnstsw/fnclex do not raise #MF");
    asm volatile("fninit");
}

static void save_tests(void)
{
    report_section("fsave/fstenv");
    uint8_t img[108], img2[108];
    asm volatile("fninit\n\tfld1\n\tfldz");
    fldcw(0x0A7F ^ 0x0100); /* some distinctive control word */
    uint16_t cw = 0x0A7F ^ 0x0100;
    asm volatile("fnsave %0" : "=m"(img));
    uint16_t *w = (uint16_t *)img;
    report_eq(w[0], cw, "fsave: control word");
    report_eq((w[2] >> 11) & 7, 6, "fsave: TOP = 6");
    report_eq(w[4], 0x1FFF, "fsave: tag word (reg6 zero, reg7 valid)");
    static const uint8_t zero10[10] = { 0 };
    static const uint8_t one10[10] = { 0, 0, 0, 0, 0, 0, 0, 0x80, 0xFF, 0x3F };
    report_mem(img + 28, zero10, 10, "fsave: ST0 = 0");
    report_mem(img + 38, one10, 10, "fsave: ST1 = 1");
    report_eq(fstcw(), 0x037F, "fsave reinitialises the FPU");
    uint16_t env[14];
    asm volatile("fnstenv %0" : "=m"(env));
    report_eq(env[4], 0xFFFF, "after fsave all registers are empty");

    asm volatile("frstor %0" : : "m"(img));
    report_eq(fstcw(), cw, "frstor: control word");
    asm volatile("fnsave %0" : "=m"(img2));
    uint16_t *w2 = (uint16_t *)img2;
    report(w2[0] == w[0] && w2[2] == w[2] && w2[4] == w[4],
           "fsave after frstor: cw sw tw");
    report_mem(img2 + 28, img + 28, 80, "fsave after frstor: registers");
    asm volatile("frstor %0" : : "m"(img));
    uint64_t a, b;
    asm volatile("fstpl %0\n\tfstpl %1" : "=m"(a), "=m"(b));
    report(a == 0 && b == D_ONE, "registers after frstor");

    /* FSTENV: 28 bytes, masks all exceptions afterwards */
    asm volatile("fninit");
    fldcw(0x0360);
    asm volatile("fld1\n\tfnstenv %0" : "=m"(env));
    report_eq(env[0], 0x0360, "fstenv: control word");
    report_eq((env[2] >> 11) & 7, 7, "fstenv: TOP = 7");
    report_eq(env[4], 0x3FFF, "fstenv: tag word");
    if (quirk_tcg()) {
        report_skip("fstenv masking exceptions (QEMU TCG does not)");
    } else {
        report_eq(fstcw() & 0x3F, 0x3F, "fstenv masks all exceptions");
    }
    env[0] = 0x0C7F;
    asm volatile("fldenv %0" : : "m"(env));
    report_eq(fstcw(), 0x0C7F, "fldenv loads the control word");
    asm volatile("fninit");
}

/* |a - b| in units in the last place, for finite doubles of one sign */
static uint64_t ulps(uint64_t a, uint64_t b)
{
    return a > b ? a - b : b - a;
}

static void trans_tests(void)
{
    report_section("transcendental");
    asm volatile("fninit");
    uint64_t r, r2;
    asm volatile("fldz\n\tfsin\n\tfstpl %0" : "=m"(r));
    report_eq64(r, 0, "fsin 0 = 0");
    asm volatile("fldz\n\tfcos\n\tfstpl %0" : "=m"(r));
    report_eq64(r, D_ONE, "fcos 0 = 1");
    asm volatile("fldz\n\tfptan\n\tfstpl %0\n\tfstpl %1" : "=m"(r), "=m"(r2));
    report(r == D_ONE && r2 == 0, "fptan 0: pushes 1, tan = 0");
    asm volatile("fldz\n\tfsincos\n\tfstpl %0\n\tfstpl %1" : "=m"(r), "=m"(r2));
    report(r == D_ONE && r2 == 0, "fsincos 0");
    asm volatile("fld1\n\tf2xm1\n\tfstpl %0" : "=m"(r));
    report_eq64(r, D_ONE, "f2xm1 1 = 1");
    asm volatile("fldz\n\tf2xm1\n\tfstpl %0" : "=m"(r));
    report_eq64(r, 0, "f2xm1 0 = 0");
    uint64_t m1 = 0xBFF0000000000000ull;
    asm volatile("fldl %1\n\tf2xm1\n\tfstpl %0" : "=m"(r) : "m"(m1));
    report_eq64(r, 0xBFE0000000000000ull, "f2xm1 -1 = -0.5");
    uint64_t eight = 0x4020000000000000ull, three = D_THREE;
    asm volatile("fld1\n\tfldl %1\n\tfyl2x\n\tfstpl %0" : "=m"(r) : "m"(eight));
    report_eq64(r, D_THREE, "fyl2x 1 * log2 8 = 3");
    asm volatile("fldl %1\n\tfldl %2\n\tfyl2x\n\tfstpl %0"
                 : "=m"(r)
                 : "m"(three), "m"((uint64_t){ 0x3FD0000000000000ull }));
    report_eq64(r, 0xC018000000000000ull, "fyl2x 3 * log2 0.25 = -6");
    asm volatile("fld1\n\tfldz\n\tfyl2xp1\n\tfstpl %0" : "=m"(r));
    report_eq64(r, 0, "fyl2xp1 1 * log2(1 + 0) = 0");
    asm volatile("fld1\n\tfld1\n\tfpatan\n\tfstpl %0" : "=m"(r));
    report(ulps(r, 0x3FE921FB54442D18ull) <= 1, "fpatan(1, 1) = pi/4 (%llx)",
           r);
    asm volatile("fldz\n\tfld1\n\tfpatan\n\tfstpl %0" : "=m"(r));
    report_eq64(r, 0, "fpatan(0, 1) = 0");
    asm volatile("fld1\n\tfsin\n\tfstpl %0" : "=m"(r));
    report(ulps(r, 0x3FEAED548F090CEEull) <= 2, "fsin 1 (%llx)", r);
    asm volatile("fld1\n\tfcos\n\tfstpl %0" : "=m"(r));
    report(ulps(r, 0x3FE14A280FB5068Cull) <= 2, "fcos 1 (%llx)", r);
    asm volatile("fld1\n\tfptan\n\tfstp %%st(0)\n\tfstpl %0" : "=m"(r));
    report(ulps(r, 0x3FF8EB245CBEE3A6ull) <= 2, "fptan 1 (%llx)", r);
    uint64_t half = D_HALF;
    asm volatile("fldl %1\n\tf2xm1\n\tfstpl %0" : "=m"(r) : "m"(half));
    report(ulps(r, 0x3FDA827999FCEF32ull) <= 2, "f2xm1 0.5 (%llx)", r);
    /* out of range: |x| >= 2^63 sets C2 and leaves the operand */
    uint64_t big = 0x43F0000000000000ull; /* 2^64 */
    uint16_t sw;
    asm volatile("fldl %2\n\tfsin\n\tfnstsw %1\n\tfstpl %0"
                 : "=m"(r), "=a"(sw)
                 : "m"(big));
    report((sw & SW_C2) && r == big, "fsin 2^64: C2 = 1, operand kept");
    asm volatile("fninit");
}

int main(void)
{
    init_tests();
    load_store_tests();
    arith_tests();
    compare_tests();
    prem_tests();
    masked_tests();
    mf_tests();
    save_tests();
    trans_tests();
    return 0;
}
