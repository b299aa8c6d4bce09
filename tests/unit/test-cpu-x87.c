/*
 * The x87 FPU (target/i386/x87*.c).
 *
 * Differential part: every x87 instruction runs on the host's FPU and on
 * the emulator from the same state: the same machine code
 *
 *     push [rdi+0x108]; popfq        EFLAGS (for FCMOVcc, FCOMI)
 *     mov rax, [rdi+0x118]
 *     frstor [rdi]                   FCW FSW tags and the eight registers
 *     <the instruction>              memory operand: [rsi]
 *     fnsave [rdi+0x80]              everything back (no-wait)
 *     mov [rdi+0x110], rax; pushfq; pop [rdi+0x100]
 *
 * is copied to an executable page on the host and run in the emulator
 * (64-bit mode on the harness), over random states built from edge
 * values (zeros, denormals, pseudo-denormals, infinities, QNaN/SNaN,
 * unsupported encodings, values near rounding and range boundaries),
 * every rounding mode and precision control, masked and unmasked
 * exceptions.  The saved images (register stack bits, FSW with TOP and
 * the condition codes, tag word, FCW), the memory operand, AX and EFLAGS
 * must be equal bit for bit; only FIP/FCS/FOP/FDP/FDS are not compared
 * (what they hold is implementation specific).  Transcendental results
 * may differ by one unit in the last place (then C1 and PE may too);
 * the exact-match rate is reported and must be at least 99%.
 *
 * X87_DIFF_ITERS (default 10000) sets the runs per instruction form,
 * X87_DIFF_SEED the random seed; X87_DIFF_ONLY=name runs one form,
 * X87_DIFF_SHOW=n dumps n mismatches per form, X87_DIFF_ULPLOG=1 logs the
 * transcendental runs that are not identical.
 *
 * Unit part: #NM, #MF timing, the FERR#/IGNNE# path, stack faults,
 * FSAVE/FRSTOR/FSTENV/FLDENV layouts in every mode, FBLD/FBSTP, FXAM.
 */
#include "qemu/osdep.h"
#include <signal.h>
#include <setjmp.h>
#include <sys/mman.h>
#include "tests/unit/cpu-harness.h"
#include "target/i386/x87.h"

/* ---- random numbers (deterministic: xorshift64*) ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static uint32_t rndn(uint32_t n)
{
    return rnd() % n;
}

/* ---- interesting values ---- */

typedef struct X80 {
    uint64_t m;
    uint16_t se;
} X80;

static X80 x80(uint16_t se, uint64_t m)
{
    X80 v = { m, se };
    return v;
}

/* A random significand with the integer bit, with rounding-sensitive
 * low bits now and then. */
static uint64_t gen_sig(void)
{
    uint64_t m = rnd() | (1ull << 63);

    switch (rndn(8)) {
    case 0: /* exactly halfway at 24, 53 or 64 bits, or near */
        m &= ~0xffffffffffull;
        m |= 1ull << 39;
        m += (int64_t)rndn(3) - 1;
        break;
    case 1:
        m &= ~0x7ffull;
        m |= 1ull << 10;
        m += (int64_t)rndn(3) - 1;
        break;
    case 2:
        m |= 0xffffffffffull; /* carries out when rounded up */
        break;
    case 3:
        m &= ~((1ull << rndn(63)) - 1); /* few significant bits */
        m |= 1ull << 63;
        break;
    default:
        break;
    }
    return m;
}

static uint16_t gen_sign(void)
{
    return rndn(2) ? 0x8000 : 0;
}

/* An integer-valued floatx80 of magnitude n. */
static X80 x80_of_u64(uint64_t n, uint16_t sign)
{
    int lz;

    if (n == 0) {
        return x80(sign, 0);
    }
    lz = __builtin_clzll(n);
    return x80(sign | (16383 + 63 - lz), n << lz);
}

static X80 gen_x80(void)
{
    uint16_t s = gen_sign();

    switch (rndn(24)) {
    case 0:
        return x80(s, 0);
    case 1: /* denormal */
        return x80(s, (rnd() >> rndn(64)) & ~(1ull << 63));
    case 2: /* pseudo-denormal */
        return x80(s, rnd() | (1ull << 63));
    case 3:
        return x80(s | 0x7fff, 1ull << 63);
    case 4: /* QNaN */
        return x80(s | 0x7fff, rnd() | (3ull << 62));
    case 5: { /* SNaN */
        uint64_t m = (rnd() & ~(3ull << 62)) | (1ull << 63);
        return x80(s | 0x7fff, m == (1ull << 63) ? m | 1 : m);
    }
    case 6:
        return x80(0xffff, 0xc000000000000000ull);
    case 7: /* unnormal, pseudo-infinity, pseudo-NaN */
        if (rndn(2)) {
            return x80(s | (1 + rndn(0x7ffe)), rnd() >> 1);
        }
        return x80(s | 0x7fff, (rnd() >> 1) & (rndn(2) ? ~0ull : 0));
    case 8:
    case 9: /* small integers */
        return x80_of_u64(rndn(1000) + 1, s);
    case 10: { /* near the ends of the exponent range */
        int e = rndn(2) ? 1 + rndn(70) : 0x7ffe - rndn(70);
        return x80(s | e, gen_sig());
    }
    case 11: /* exact in single */
        return x80(s | (16383 - 130 + rndn(260)),
                   gen_sig() & 0xffffff0000000000ull);
    case 12: /* exact in double */
        return x80(s | (16383 - 1030 + rndn(2060)),
                   gen_sig() & 0xfffffffffffff800ull);
    case 13: { /* near integer range ends and halves */
        static const uint64_t ends[] = { 1ull << 15, 1ull << 31,
                                         1ull << 63, 1000000000000000000ull,
                                         2,          1 };
        X80 v = x80_of_u64(ends[rndn(6)], s);
        int d = (int)rndn(5) - 2;

        if (d && (v.se & 0x7fff) >= 16383 + 1) {
            v.m += (uint64_t)(int64_t)d << (63 - ((v.se & 0x7fff) - 16383));
        } else if (d) {
            v = x80_of_u64(ends[rndn(6)] * 2 + d, s); /* x.5 */
            v.se -= 1;
        }
        return v;
    }
    case 14: /* anywhere */
        return x80(s | (1 + rndn(0x7ffe)), gen_sig());
    default: /* near 1 */
        return x80(s | (16383 - 70 + rndn(140)), gen_sig());
    }
}

static uint64_t gen_f64(void)
{
    uint64_t s = (uint64_t)gen_sign() << 48;

    switch (rndn(12)) {
    case 0:
        return s;
    case 1:
        return s | (rnd() >> 12 >> rndn(52));
    case 2:
        return s | 0x7ff0000000000000ull;
    case 3:
        return s | 0x7ff8000000000000ull | (rnd() >> 13);
    case 4:
        return s | 0x7ff0000000000001ull | (rnd() >> 14);
    case 5:
        return s | ((uint64_t)(1 + rndn(40)) << 52) | (rnd() >> 12);
    case 6:
        return s | ((uint64_t)(2046 - rndn(40)) << 52) | (rnd() >> 12);
    default:
        return s | ((uint64_t)(1023 - 70 + rndn(140)) << 52) | (rnd() >> 12);
    }
}

static uint32_t gen_f32(void)
{
    uint32_t s = (uint32_t)gen_sign() << 16;

    switch (rndn(12)) {
    case 0:
        return s;
    case 1:
        return s | ((uint32_t)rnd() >> 9 >> rndn(23));
    case 2:
        return s | 0x7f800000;
    case 3:
        return s | 0x7fc00000 | ((uint32_t)rnd() >> 10);
    case 4:
        return s | 0x7f800001 | ((uint32_t)rnd() >> 11);
    case 5:
        return s | ((1 + rndn(20)) << 23) | ((uint32_t)rnd() >> 9);
    case 6:
        return s | ((254 - rndn(20)) << 23) | ((uint32_t)rnd() >> 9);
    default:
        return s | ((127 - 40 + rndn(80)) << 23) | ((uint32_t)rnd() >> 9);
    }
}

static uint64_t gen_int(int bytes)
{
    int bits = bytes * 8;
    uint64_t v;

    switch (rndn(6)) {
    case 0:
        v = rndn(3) - 1;
        break;
    case 1:
        v = 1ull << (bits - 1); /* the minimum */
        break;
    case 2:
        v = (1ull << (bits - 1)) - 1 - rndn(2);
        break;
    case 3:
        v = rndn(2000) - 1000;
        break;
    default:
        v = rnd() >> rndn(bits);
        break;
    }
    return v;
}

/* 18 packed BCD digits (valid ones) and a sign. */
static void gen_bcd(uint8_t *b)
{
    int digits = rndn(19);

    memset(b, 0, 10);
    for (int k = 0; k < digits; k++) {
        b[k / 2] |= rndn(10) << (4 * (k & 1));
    }
    b[9] = rndn(2) ? 0x80 : 0;
}

/* ---- the instruction forms ---- */

enum {
    M_NONE,
    M_F32,
    M_F64,
    M_F80,
    M_I16,
    M_I32,
    M_I64,
    M_BCD,
    M_CW,
    M_ENV,
    M_OUT, /* a pure store: random bytes to overwrite */
};

/* Flags */
#define T_REG       0x01 /* + i in the last byte (i random) */
#define T_TRANS     0x02 /* transcendental: within 1 ulp */
#define T_DOM_2XM1  0x04 /* ST(0) in [-1, 1] */
#define T_DOM_LOG   0x08 /* ST(0) > 0 */
#define T_DOM_LOGP1 0x10 /* |ST(0)| < 1 - sqrt(2)/2 */
#define T_DOM_TRIG  0x20 /* |ST(0)| up to about 2^70 */
#define T_NOWAIT    0x40 /* no-wait: may start with a pending exception */

typedef struct X87Form {
    const char *name;
    uint8_t op, modrm; /* opcode and ModRM (mod 00 rm 110 = [rsi]) */
    uint8_t mem;       /* M_* */
    uint8_t flags;
    uint8_t prefix; /* 0 or 0x66 */
} X87Form;

#define MEM(n, op, r, m)             \
    {                                \
        n, op, (r) << 3 | 6, m, 0, 0 \
    }
#define REG(n, op, r)                            \
    {                                            \
        n, op, 0xc0 | (r) << 3, M_NONE, T_REG, 0 \
    }
#define ONE(n, op, b)          \
    {                          \
        n, op, b, M_NONE, 0, 0 \
    }
#define ONEF(n, op, b, f)      \
    {                          \
        n, op, b, M_NONE, f, 0 \
    }

static const X87Form forms[] = {
    /* D8: m32 real, ST(0) op ST(i) */
    MEM("fadd m32", 0xd8, 0, M_F32),
    MEM("fmul m32", 0xd8, 1, M_F32),
    MEM("fcom m32", 0xd8, 2, M_F32),
    MEM("fcomp m32", 0xd8, 3, M_F32),
    MEM("fsub m32", 0xd8, 4, M_F32),
    MEM("fsubr m32", 0xd8, 5, M_F32),
    MEM("fdiv m32", 0xd8, 6, M_F32),
    MEM("fdivr m32", 0xd8, 7, M_F32),
    REG("fadd st,st(i)", 0xd8, 0),
    REG("fmul st,st(i)", 0xd8, 1),
    REG("fcom st(i)", 0xd8, 2),
    REG("fcomp st(i)", 0xd8, 3),
    REG("fsub st,st(i)", 0xd8, 4),
    REG("fsubr st,st(i)", 0xd8, 5),
    REG("fdiv st,st(i)", 0xd8, 6),
    REG("fdivr st,st(i)", 0xd8, 7),
    /* D9 */
    MEM("fld m32", 0xd9, 0, M_F32),
    MEM("fst m32", 0xd9, 2, M_OUT),
    MEM("fstp m32", 0xd9, 3, M_OUT),
    MEM("fldenv", 0xd9, 4, M_ENV),
    MEM("fldcw", 0xd9, 5, M_CW),
    { "fnstenv", 0xd9, 6 << 3 | 6, M_OUT, T_NOWAIT, 0 },
    { "fnstcw", 0xd9, 7 << 3 | 6, M_OUT, T_NOWAIT, 0 },
    REG("fld st(i)", 0xd9, 0),
    REG("fxch st(i)", 0xd9, 1),
    ONE("fnop", 0xd9, 0xd0),
    REG("fstp1 st(i)", 0xd9, 3),
    ONE("fchs", 0xd9, 0xe0),
    ONE("fabs", 0xd9, 0xe1),
    ONE("ftst", 0xd9, 0xe4),
    ONE("fxam", 0xd9, 0xe5),
    ONE("fld1", 0xd9, 0xe8),
    ONE("fldl2t", 0xd9, 0xe9),
    ONE("fldl2e", 0xd9, 0xea),
    ONE("fldpi", 0xd9, 0xeb),
    ONE("fldlg2", 0xd9, 0xec),
    ONE("fldln2", 0xd9, 0xed),
    ONE("fldz", 0xd9, 0xee),
    ONEF("f2xm1", 0xd9, 0xf0, T_TRANS | T_DOM_2XM1),
    ONEF("fyl2x", 0xd9, 0xf1, T_TRANS | T_DOM_LOG),
    ONEF("fptan", 0xd9, 0xf2, T_TRANS | T_DOM_TRIG),
    ONEF("fpatan", 0xd9, 0xf3, T_TRANS),
    ONE("fxtract", 0xd9, 0xf4),
    ONE("fprem1", 0xd9, 0xf5),
    ONE("fdecstp", 0xd9, 0xf6),
    ONE("fincstp", 0xd9, 0xf7),
    ONE("fprem", 0xd9, 0xf8),
    ONEF("fyl2xp1", 0xd9, 0xf9, T_TRANS | T_DOM_LOGP1),
    ONE("fsqrt", 0xd9, 0xfa),
    ONEF("fsincos", 0xd9, 0xfb, T_TRANS | T_DOM_TRIG),
    ONE("frndint", 0xd9, 0xfc),
    ONE("fscale", 0xd9, 0xfd),
    ONEF("fsin", 0xd9, 0xfe, T_TRANS | T_DOM_TRIG),
    ONEF("fcos", 0xd9, 0xff, T_TRANS | T_DOM_TRIG),
    /* DA: m32 integer, FCMOVcc, FUCOMPP */
    MEM("fiadd m32", 0xda, 0, M_I32),
    MEM("fimul m32", 0xda, 1, M_I32),
    MEM("ficom m32", 0xda, 2, M_I32),
    MEM("ficomp m32", 0xda, 3, M_I32),
    MEM("fisub m32", 0xda, 4, M_I32),
    MEM("fisubr m32", 0xda, 5, M_I32),
    MEM("fidiv m32", 0xda, 6, M_I32),
    MEM("fidivr m32", 0xda, 7, M_I32),
    REG("fcmovb", 0xda, 0),
    REG("fcmove", 0xda, 1),
    REG("fcmovbe", 0xda, 2),
    REG("fcmovu", 0xda, 3),
    ONE("fucompp", 0xda, 0xe9),
    /* DB */
    MEM("fild m32", 0xdb, 0, M_I32),
    MEM("fisttp m32", 0xdb, 1, M_OUT),
    MEM("fist m32", 0xdb, 2, M_OUT),
    MEM("fistp m32", 0xdb, 3, M_OUT),
    MEM("fld m80", 0xdb, 5, M_F80),
    MEM("fstp m80", 0xdb, 7, M_OUT),
    REG("fcmovnb", 0xdb, 0),
    REG("fcmovne", 0xdb, 1),
    REG("fcmovnbe", 0xdb, 2),
    REG("fcmovnu", 0xdb, 3),
    ONE("fneni", 0xdb, 0xe0),
    ONE("fndisi", 0xdb, 0xe1),
    ONEF("fnclex", 0xdb, 0xe2, T_NOWAIT),
    ONEF("fninit", 0xdb, 0xe3, T_NOWAIT),
    ONE("fnsetpm", 0xdb, 0xe4),
    REG("fucomi", 0xdb, 5),
    REG("fcomi", 0xdb, 6),
    /* DC: m64 real, ST(i) op ST(0) */
    MEM("fadd m64", 0xdc, 0, M_F64),
    MEM("fmul m64", 0xdc, 1, M_F64),
    MEM("fcom m64", 0xdc, 2, M_F64),
    MEM("fcomp m64", 0xdc, 3, M_F64),
    MEM("fsub m64", 0xdc, 4, M_F64),
    MEM("fsubr m64", 0xdc, 5, M_F64),
    MEM("fdiv m64", 0xdc, 6, M_F64),
    MEM("fdivr m64", 0xdc, 7, M_F64),
    REG("fadd st(i),st", 0xdc, 0),
    REG("fmul st(i),st", 0xdc, 1),
    REG("fcom2 st(i)", 0xdc, 2),
    REG("fcomp3 st(i)", 0xdc, 3),
    REG("fsubr st(i),st", 0xdc, 4),
    REG("fsub st(i),st", 0xdc, 5),
    REG("fdivr st(i),st", 0xdc, 6),
    REG("fdiv st(i),st", 0xdc, 7),
    /* DD */
    MEM("fld m64", 0xdd, 0, M_F64),
    MEM("fisttp m64", 0xdd, 1, M_OUT),
    MEM("fst m64", 0xdd, 2, M_OUT),
    MEM("fstp m64", 0xdd, 3, M_OUT),
    { "fnstsw m16", 0xdd, 7 << 3 | 6, M_OUT, T_NOWAIT, 0 },
    REG("ffree st(i)", 0xdd, 0),
    REG("fxch4 st(i)", 0xdd, 1),
    REG("fst st(i)", 0xdd, 2),
    REG("fstp st(i)", 0xdd, 3),
    REG("fucom st(i)", 0xdd, 4),
    REG("fucomp st(i)", 0xdd, 5),
    /* DE: m16 integer, ST(i) op ST(0) and pop */
    MEM("fiadd m16", 0xde, 0, M_I16),
    MEM("fimul m16", 0xde, 1, M_I16),
    MEM("ficom m16", 0xde, 2, M_I16),
    MEM("ficomp m16", 0xde, 3, M_I16),
    MEM("fisub m16", 0xde, 4, M_I16),
    MEM("fisubr m16", 0xde, 5, M_I16),
    MEM("fidiv m16", 0xde, 6, M_I16),
    MEM("fidivr m16", 0xde, 7, M_I16),
    REG("faddp", 0xde, 0),
    REG("fmulp", 0xde, 1),
    REG("fcomp5", 0xde, 2),
    ONE("fcompp", 0xde, 0xd9),
    REG("fsubrp", 0xde, 4),
    REG("fsubp", 0xde, 5),
    REG("fdivrp", 0xde, 6),
    REG("fdivp", 0xde, 7),
    /* DF */
    MEM("fild m16", 0xdf, 0, M_I16),
    MEM("fisttp m16", 0xdf, 1, M_OUT),
    MEM("fist m16", 0xdf, 2, M_OUT),
    MEM("fistp m16", 0xdf, 3, M_OUT),
    MEM("fbld", 0xdf, 4, M_BCD),
    MEM("fild m64", 0xdf, 5, M_I64),
    MEM("fbstp", 0xdf, 6, M_OUT),
    MEM("fistp m64", 0xdf, 7, M_OUT),
    REG("ffreep st(i)", 0xdf, 0),
    REG("fxch7 st(i)", 0xdf, 1),
    REG("fstp8 st(i)", 0xdf, 2),
    REG("fstp9 st(i)", 0xdf, 3),
    ONEF("fnstsw ax", 0xdf, 0xe0, T_NOWAIT),
    REG("fucomip", 0xdf, 5),
    REG("fcomip", 0xdf, 6),
    /* 16-bit operand size: the 14-byte environment */
    { "fnstenv o16", 0xd9, 6 << 3 | 6, M_OUT, T_NOWAIT, 0x66 },
    { "fldenv o16", 0xd9, 4 << 3 | 6, M_ENV, 0, 0x66 },
};

/* ---- running one form ---- */

#define ST_IN    0x00  /* FRSTOR image (108 bytes) */
#define ST_OUT   0x80  /* FNSAVE image */
#define ST_FLAGS 0x100 /* EFLAGS after */
#define ST_FLIN  0x108 /* EFLAGS before */
#define ST_RAX   0x110 /* RAX after */
#define ST_RAXIN 0x118 /* RAX before */
#define ST_SIZE  0x120
#define MEM_SIZE 32

typedef struct RunState {
    uint8_t st[ST_SIZE];
    uint8_t mem[MEM_SIZE];
} RunState;

static size_t build_code(uint8_t *c, const X87Form *f, int i, bool host)
{
    static const uint8_t pre[] = {
        0xff, 0xb7, 0x08, 0x01, 0x00, 0x00,       /* push qword [rdi+0x108] */
        0x9d,                                     /* popfq */
        0x48, 0x8b, 0x87, 0x18, 0x01, 0x00, 0x00, /* mov rax, [rdi+0x118] */
        0xdd, 0x27,                               /* frstor [rdi] */
    };
    static const uint8_t post[] = {
        0xdd, 0xb7, 0x80, 0x00, 0x00, 0x00,       /* fnsave [rdi+0x80] */
        0x48, 0x89, 0x87, 0x10, 0x01, 0x00, 0x00, /* mov [rdi+0x110], rax */
        0x9c,                                     /* pushfq */
        0x8f, 0x87, 0x00, 0x01, 0x00, 0x00,       /* pop qword [rdi+0x100] */
    };
    size_t n = 0;

    memcpy(c, pre, sizeof(pre));
    n = sizeof(pre);
    if (f->prefix) {
        c[n++] = f->prefix;
    }
    c[n++] = f->op;
    c[n++] = f->modrm + ((f->flags & T_REG) ? i : 0);
    memcpy(c + n, post, sizeof(post));
    n += sizeof(post);
    c[n++] = host ? 0xc3 : 0xf4; /* ret / hlt */
    return n;
}

static uint8_t *host_code;
static CPUHarness *emu;

/* CPUID vendor "AuthenticAMD" */
static bool host_is_amd(void)
{
    uint32_t a = 0, b, c, d;

    asm volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
    return b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163;
}

static void run_host(const X87Form *f, int i, RunState *rs)
{
    build_code(host_code, f, i, true);
    ((void (*)(void *, void *))host_code)(rs->st, rs->mem);
}

static void run_emu(const X87Form *f, int i, RunState *rs)
{
    static uint8_t last[64];
    static size_t last_len;
    uint8_t code[64];
    size_t len = build_code(code, f, i, false);
    CPUX86State *env = emu->env;

    if (len != last_len || memcmp(code, last, len)) {
        harness_write(emu, emu->code_addr, code, len);
        memcpy(last, code, len);
        last_len = len;
    }
    harness_write(emu, HARNESS_DATA, rs->st, ST_SIZE);
    harness_write(emu, HARNESS_DATA + 0x1000, rs->mem, MEM_SIZE);
    env->eip = emu->code_addr;
    env->halted = false;
    env->regs[R_EDI] = HARNESS_DATA;
    env->regs[R_ESI] = HARNESS_DATA + 0x1000;
    env->regs[R_ESP] = HARNESS_STACK;
    harness_run_to_halt(emu, 100);
    if (env->eip != emu->code_addr + len) {
        int v = -1;
        uint32_t ec;
        uint64_t eip;

        harness_exception(emu, &v, &ec, &eip);
        g_test_message("%s: stopped at %" PRIx64 " (exception %d)", f->name,
                       env->eip, v);
        g_assert_not_reached();
    }
    harness_read(emu, HARNESS_DATA, rs->st, ST_SIZE);
    harness_read(emu, HARNESS_DATA + 0x1000, rs->mem, MEM_SIZE);
}

/* ---- building the input state ---- */

static void put16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, 2);
}

static uint16_t get16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

static void put_x80(uint8_t *p, X80 v)
{
    memcpy(p, &v.m, 8);
    memcpy(p + 8, &v.se, 2);
}

static X80 get_x80(const uint8_t *p)
{
    X80 v;
    memcpy(&v.m, p, 8);
    memcpy(&v.se, p + 8, 2);
    return v;
}

/* A control word: rounding, precision (00, 10, 11, and the reserved
 * 01 now and then), mostly all exceptions masked. */
static uint16_t gen_fcw(void)
{
    static const uint16_t pcs[] = { 0, 2, 3, 3, 3, 1 };
    uint16_t masks = 0x3f;

    if (rndn(4) == 0) {
        masks = rnd() & 0x3f;
    }
    return 0x0040 | masks | pcs[rndn(6)] << 8 | rndn(4) << 10;
}

/* A full tag word from "empty" bits; FRSTOR only looks at 11 or not, so
 * the other tags are random. */
static uint16_t tag_word(uint8_t empty)
{
    uint16_t tw = 0;

    for (int p = 0; p < 8; p++) {
        tw |= ((empty >> p) & 1 ? 3 : rndn(3)) << (2 * p);
    }
    return tw;
}

/* Moves ST(0) into the domain of a transcendental function. */
static X80 domain(X80 v, int flags)
{
    if (rndn(8) == 0) {
        return v; /* keep some special operands */
    }
    if (flags & T_DOM_2XM1) {
        if (rndn(16) == 0) {
            return x80(gen_sign() | 0x3fff, 1ull << 63);
        }
        return x80(gen_sign() | (16383 - 1 - rndn(70)), gen_sig());
    }
    if (flags & T_DOM_LOGP1) {
        return x80(gen_sign() | (16383 - 3 - rndn(70)), gen_sig());
    }
    if (flags & T_DOM_LOG) {
        v.se &= 0x7fff;
        if (v.se == 0 || v.se == 0x7fff || !(v.m >> 63)) {
            v = x80(16383 - 70 + rndn(140), gen_sig());
        }
        return v;
    }
    if (flags & T_DOM_TRIG) {
        return x80(gen_sign() | (16383 - 20 + rndn(90)), gen_sig());
    }
    return v;
}

static void gen_state(RunState *rs, const X87Form *f, int i)
{
    uint8_t *img = rs->st + ST_IN;
    uint16_t fcw = gen_fcw();
    uint8_t empty = 0;
    uint16_t fsw;
    int top = rndn(8);
    uint16_t flags;

    memset(rs, 0, sizeof(*rs));
    for (int p = 0; p < 8; p++) {
        if (rndn(7) == 0) {
            empty |= 1 << p;
        }
    }
    if (rndn(10) == 0) {
        empty = rndn(2) ? 0xff : 0; /* empty or full stack */
    }
    /* Flags already raised, only masked ones (nothing pending) unless
     * the instruction does not wait. */
    flags = rnd() & fcw & 0x3f;
    if ((f->flags & T_NOWAIT) && rndn(2)) {
        flags = rnd() & 0x3f;
    }
    if ((flags & 1) && rndn(2)) {
        flags |= 0x40; /* SF */
    }
    fsw = flags | (rnd() & 0x4700) | top << 11;
    put16(img + 0, fcw);
    put16(img + 4, fsw);
    put16(img + 8, tag_word(empty));
    for (int k = 0; k < 8; k++) {
        put_x80(img + 28 + 10 * k, gen_x80());
    }
    if (f->flags & (T_DOM_2XM1 | T_DOM_LOG | T_DOM_LOGP1 | T_DOM_TRIG)) {
        put_x80(img + 28, domain(get_x80(img + 28), f->flags));
    }
    /* EFLAGS: the six arithmetic flags at random. */
    {
        uint64_t fl = 0x202 | (rnd() & 0x8d5);
        memcpy(rs->st + ST_FLIN, &fl, 8);
    }
    {
        uint64_t rax = rnd();
        memcpy(rs->st + ST_RAXIN, &rax, 8);
    }
    for (int k = 0; k < MEM_SIZE; k++) {
        rs->mem[k] = rnd();
    }
    switch (f->mem) {
    case M_F32: {
        uint32_t v = gen_f32();
        memcpy(rs->mem, &v, 4);
        break;
    }
    case M_F64: {
        uint64_t v = gen_f64();
        memcpy(rs->mem, &v, 8);
        break;
    }
    case M_F80:
        put_x80(rs->mem, gen_x80());
        break;
    case M_I16:
    case M_I32:
    case M_I64: {
        int bytes = f->mem == M_I16 ? 2 : f->mem == M_I32 ? 4 : 8;
        uint64_t v = gen_int(bytes);
        memcpy(rs->mem, &v, bytes);
        break;
    }
    case M_BCD:
        gen_bcd(rs->mem);
        break;
    case M_CW:
        put16(rs->mem, rnd());
        break;
    case M_ENV: {
        /* An environment with consistent flags, any masks. */
        uint16_t cw = rnd();
        uint16_t sw = rnd();

        if (f->prefix) {
            put16(rs->mem + 0, cw);
            put16(rs->mem + 2, sw);
            put16(rs->mem + 4, rnd());
        } else {
            memset(rs->mem, 0, 12);
            put16(rs->mem + 0, cw);
            put16(rs->mem + 4, sw);
            put16(rs->mem + 8, rnd());
        }
        break;
    }
    default:
        break;
    }
}

/* ---- comparing ---- */

/* FIP/FCS/FOP/FDP/FDS in a 32-bit protected-mode image: not compared. */
static bool ptr_byte(int k)
{
    return k >= 12 && k < 28;
}

static bool env_ptr_byte(const X87Form *f, int k)
{
    if (strncmp(f->name, "fnstenv", 7)) {
        return false;
    }
    return f->prefix ? (k >= 6 && k < 14) : ptr_byte(k);
}

static void dump_image(const char *what, const uint8_t *img)
{
    GString *hdr = g_string_new(NULL);

    for (int k = 0; k < 28; k++) {
        g_string_append_printf(hdr, "%02x%s", img[k], k % 4 == 3 ? " " : "");
    }
    g_test_message("  %-4s fcw=%04x fsw=%04x ftw=%04x [%s]", what, get16(img),
                   get16(img + 4), get16(img + 8), hdr->str);
    g_string_free(hdr, true);
}

static void dump_run(const X87Form *f, int i, const RunState *in,
                     const RunState *host, const RunState *mine)
{
    const uint8_t *ii = in->st + ST_IN, *ih = host->st + ST_OUT,
                  *im = mine->st + ST_OUT;
    uint64_t fh, fm;
    GString *s = g_string_new(NULL);

    g_test_message("%s (i=%d) mismatch", f->name, i);
    dump_image("in", ii);
    dump_image("host", ih);
    dump_image("emu", im);
    for (int k = 0; k < 8; k++) {
        X80 a = get_x80(ii + 28 + 10 * k), b = get_x80(ih + 28 + 10 * k),
            c = get_x80(im + 28 + 10 * k);

        if (k < 2 || k == i || memcmp(ih + 28 + 10 * k, im + 28 + 10 * k, 10)) {
            g_test_message("    st%d: in %04x %016" PRIx64
                           " host %04x %016" PRIx64 " emu %04x %016" PRIx64,
                           k, a.se, a.m, b.se, b.m, c.se, c.m);
        }
    }
    memcpy(&fh, host->st + ST_FLAGS, 8);
    memcpy(&fm, mine->st + ST_FLAGS, 8);
    g_test_message("  eflags in %03x host %03x emu %03x; ax host %04x emu %04x",
                   (unsigned)(get16(in->st + ST_FLIN) & 0x8d5),
                   (unsigned)(fh & 0x8d5), (unsigned)(fm & 0x8d5),
                   get16(host->st + ST_RAX), get16(mine->st + ST_RAX));
    g_string_append(s, "  mem in/host/emu:");
    for (int k = 0; k < 28; k++) {
        g_string_append_printf(s, " %02x/%02x/%02x", in->mem[k], host->mem[k],
                               mine->mem[k]);
    }
    g_test_message("%s", s->str);
    g_string_free(s, true);
}

/* The ordinal of a finite floatx80 among values of its sign. */
static bool x80_ordinal(X80 v, uint64_t *ord)
{
    int e = v.se & 0x7fff;

    if (e == 0x7fff || (e && !(v.m >> 63))) {
        return false;
    }
    *ord = e ? ((uint64_t)e << 63) + (v.m & ~(1ull << 63)) : v.m;
    return true;
}

static bool within_one_ulp(X80 a, X80 b)
{
    uint64_t oa, ob;

    if ((a.se ^ b.se) & 0x8000) {
        return false;
    }
    if (!x80_ordinal(a, &oa) || !x80_ordinal(b, &ob)) {
        return false;
    }
    return (oa > ob ? oa - ob : ob - oa) <= 1;
}

/*
 * F2XM1 outside [-1, 1] and FYL2XP1 outside |x| < 1 - sqrt(2)/2 are
 * undefined (SDM vol. 2; AMD leaves the operand as the result): not
 * compared.
 */
static bool out_of_domain(const X87Form *f, const RunState *in)
{
    X80 v = get_x80(in->st + ST_IN + 28);
    int e = v.se & 0x7fff;

    if (e == 0x7fff || (e && !(v.m >> 63))) {
        return false; /* NaN, infinity, unsupported: defined */
    }
    if (f->flags & T_DOM_2XM1) {
        return e > 16383 || (e == 16383 && v.m != 1ull << 63);
    }
    if (f->flags & T_DOM_LOGP1) {
        return e > 16381 || (e == 16381 && v.m >= 0x95f619980c4336f7ull);
    }
    return false;
}

static int diff_iters(void)
{
    const char *s = g_getenv("X87_DIFF_ITERS");

    return s ? atoi(s) : 10000;
}

/*
 * EQUAL: identical.  FLAGS (transcendentals): the same values, but C1
 * (rounded up) or PE differ.  ULP (transcendentals): a result one unit
 * in the last place away.  DIFF: a failure.
 */
typedef enum { CMP_EQUAL, CMP_FLAGS, CMP_ULP, CMP_DIFF } CmpResult;

static CmpResult compare(const X87Form *f, const RunState *h, const RunState *m)
{
    const uint8_t *ih = h->st + ST_OUT, *im = m->st + ST_OUT;
    CmpResult res = CMP_EQUAL;
    uint64_t fh, fm;

    memcpy(&fh, h->st + ST_FLAGS, 8);
    memcpy(&fm, m->st + ST_FLAGS, 8);
    if ((fh ^ fm) & 0x8d5) {
        return CMP_DIFF;
    }
    if (get16(h->st + ST_RAX) != get16(m->st + ST_RAX)) {
        return CMP_DIFF;
    }
    for (int k = 0; k < MEM_SIZE; k++) {
        if (h->mem[k] != m->mem[k] && !env_ptr_byte(f, k)) {
            return CMP_DIFF;
        }
    }
    for (int k = 0; k < 28; k++) {
        if (ih[k] != im[k] && !ptr_byte(k) && k != 4 && k != 5) {
            return CMP_DIFF;
        }
    }
    if (get16(ih + 4) != get16(im + 4)) {
        /* A transcendental result may have been rounded the other way
         * (C1), or been exact for one side (PE). */
        if (!(f->flags & T_TRANS) ||
            ((get16(ih + 4) ^ get16(im + 4)) & ~0x0220)) {
            return CMP_DIFF;
        }
        res = CMP_FLAGS;
    }
    for (int r = 0; r < 8; r++) {
        X80 a = get_x80(ih + 28 + 10 * r), b = get_x80(im + 28 + 10 * r);

        if (a.m == b.m && a.se == b.se) {
            continue;
        }
        if (!(f->flags & T_TRANS) || !within_one_ulp(a, b)) {
            return CMP_DIFF;
        }
        res = CMP_ULP;
    }
    return res;
}

/*
 * F2XM1(+1.0): this AMD host returns 1 - 2^-64 with PE; the emulator
 * returns the exact +1.0 of the SDM's F2XM1 table.  Kept out of the rates.
 */
static bool f2xm1_of_one(const X87Form *f, const RunState *in)
{
    X80 v = get_x80(in->st + ST_IN + 28);

    return f->op == 0xd9 && f->modrm == 0xf0 && v.se == 0x3fff &&
           v.m == 1ull << 63;
}

/* Logs a transcendental run that is not identical (X87_DIFF_ULPLOG). */
static void log_ulp(const X87Form *f, const RunState *in, const RunState *h,
                    const RunState *m)
{
    X80 v[6] = {
        get_x80(in->st + ST_IN + 28), get_x80(in->st + ST_IN + 38),
        get_x80(h->st + ST_OUT + 28), get_x80(h->st + ST_OUT + 38),
        get_x80(m->st + ST_OUT + 28), get_x80(m->st + ST_OUT + 38),
    };
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "ULP %s %04x", f->name, get16(in->st + ST_IN));
    for (int k = 0; k < 6; k++) {
        g_string_append_printf(s, " %04x %016" PRIx64, v[k].se, v[k].m);
    }
    g_test_message("%s", s->str);
    g_string_free(s, true);
}

typedef struct TransStats {
    long total, identical, same_value, one_of_one;
} TransStats;

static void test_differential(void)
{
    int iters = diff_iters();
    const char *only = g_getenv("X87_DIFF_ONLY");
    int show = g_getenv("X87_DIFF_SHOW") ? atoi(g_getenv("X87_DIFF_SHOW")) : 3;
    bool ulplog = g_getenv("X87_DIFF_ULPLOG") != NULL;
    TransStats all = { 0 };
    long failures = 0;

    emu = harness_new(HARNESS_LONG64);
    emu->env->cr[0] |= CR0_NE_MASK;
    host_code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    g_assert_true(host_code != MAP_FAILED);

    for (size_t n = 0; n < G_N_ELEMENTS(forms); n++) {
        const X87Form *f = &forms[n];
        TransStats st = { 0 };
        int bad = 0;

        if (only && strcmp(only, f->name)) {
            continue;
        }
        for (int it = 0; it < iters; it++) {
            RunState in, h, m;
            int i = rndn(8);
            CmpResult c;

            gen_state(&in, f, i);
            if (out_of_domain(f, &in)) {
                continue;
            }
            h = in;
            m = in;
            run_host(f, i, &h);
            run_emu(f, i, &m);
            c = compare(f, &h, &m);
            if (c == CMP_DIFF) {
                if (bad < show) {
                    dump_run(f, i, &in, &h, &m);
                }
                bad++;
                continue;
            }
            if (!(f->flags & T_TRANS)) {
                continue;
            }
            if (f2xm1_of_one(f, &in)) {
                st.one_of_one++;
                continue;
            }
            st.total++;
            st.identical += c == CMP_EQUAL;
            st.same_value += c != CMP_ULP;
            if (c != CMP_EQUAL && ulplog) {
                log_ulp(f, &in, &h, &m);
            }
        }
        if (bad) {
            g_test_message("%s: %d of %d runs differ", f->name, bad, iters);
            failures += bad;
        }
        if (st.total) {
            g_test_message("%s: %ld runs, %ld with the same result bits, "
                           "%ld identical (C1 and PE too)",
                           f->name, st.total, st.same_value, st.identical);
        }
        all.total += st.total;
        all.identical += st.identical;
        all.same_value += st.same_value;
        all.one_of_one += st.one_of_one;
    }
    if (all.total) {
        g_test_message("transcendentals: %ld runs; same result bits in "
                       "%.3f%%, identical (C1 and PE too) in %.3f%%; "
                       "F2XM1(+1.0) runs left out: %ld",
                       all.total, 100.0 * all.same_value / all.total,
                       100.0 * all.identical / all.total, all.one_of_one);
    }
    munmap(host_code, 4096);
    harness_free(emu);
    if (!host_is_amd()) {
        /*
         * The model follows AMD where the manuals leave room or the
         * hardware departs from them (the x87 files say "measured"), and
         * qemu64 is an AuthenticAMD CPU: on another vendor's host the
         * differences are only reported.
         */
        g_test_message("host is not AMD: %ld differing runs not counted as "
                       "failures",
                       failures);
        return;
    }
    g_assert_cmpint(failures, ==, 0);
    if (all.total >= 10000) { /* a rate over fewer runs means little */
        g_assert_cmpfloat(all.same_value, >=, 0.99 * all.total);
    }
}

/* ---- unit tests on the emulator alone ---- */

/* A tiny assembler: bytes into a buffer. */
typedef struct Code {
    uint8_t b[256];
    size_t n;
} Code;

static void emit(Code *c, const char *hex)
{
    for (const char *p = hex; *p;) {
        if (*p == ' ') {
            p++;
            continue;
        }
        c->b[c->n++] =
            g_ascii_xdigit_value(p[0]) << 4 | g_ascii_xdigit_value(p[1]);
        p += 2;
    }
}

static void emit32(Code *c, uint32_t v)
{
    memcpy(c->b + c->n, &v, 4);
    c->n += 4;
}

static void emit16(Code *c, uint16_t v)
{
    memcpy(c->b + c->n, &v, 2);
    c->n += 2;
}

/* Opcode bytes then a 32-bit absolute address (ModRM mod 00 rm 101). */
static void emit_abs(Code *c, const char *hex, uint32_t addr)
{
    emit(c, hex);
    emit32(c, addr);
}

static CPUHarness *x87_harness(HarnessMode mode, bool ne)
{
    CPUHarness *h = harness_new(mode);

    if (ne) {
        h->env->cr[0] |= CR0_NE_MASK;
    }
    return h;
}

/* Runs to HLT; returns the exception vector (-1 for none). */
static int run_code(CPUHarness *h, const Code *c, uint64_t *saved_eip)
{
    int v = -1;
    uint32_t ec;
    uint64_t eip = 0;

    harness_set_code(h, c->b, c->n);
    harness_run_to_halt(h, 1000);
    if (!harness_exception(h, &v, &ec, &eip)) {
        v = -1;
    }
    if (saved_eip) {
        *saved_eip = eip;
    }
    return v;
}

static uint16_t fsw_of(CPUHarness *h)
{
    return h->env->fpus;
}

static X80 st_of(CPUHarness *h, int i)
{
    CPUX86State *env = h->env;
    floatx80 v = env->fpregs[(((env->fpus >> 11) & 7) + i) & 7];

    return x80(v.sign_exp, v.mant);
}

#define FCW_INIT_VALUE 0x037f
#define CW_ADDR        0x200000
#define DATA_ADDR      0x200100

static void put_cw(CPUHarness *h, uint16_t cw)
{
    harness_write(h, CW_ADDR, &cw, 2);
}

/*
 * #NM (SDM vol. 3, table 2-2): every x87 instruction, the no-wait ones
 * included, with CR0.EM or CR0.TS; WAIT only with CR0.MP and CR0.TS.
 */
static void test_nm(void)
{
    static const char *const insns[] = { "d9 e8", "df e0", "db e3", "d9 d0",
                                         "de c9" };
    static const uint64_t cr0s[] = { CR0_EM_MASK, CR0_TS_MASK,
                                     CR0_EM_MASK | CR0_MP_MASK,
                                     CR0_TS_MASK | CR0_MP_MASK };

    for (size_t k = 0; k < G_N_ELEMENTS(insns); k++) {
        for (size_t m = 0; m < G_N_ELEMENTS(cr0s); m++) {
            CPUHarness *h = x87_harness(HARNESS_PROT32, true);
            Code c = { .n = 0 };
            uint64_t eip;

            h->env->cr[0] |= cr0s[m];
            emit(&c, "90");
            emit(&c, insns[k]);
            emit(&c, "f4");
            g_assert_cmpint(run_code(h, &c, &eip), ==, EXCP07_PREX);
            g_assert_cmphex(eip, ==, h->code_addr + 1);
            harness_free(h);
        }
    }
    /* WAIT: #NM only with MP and TS; EM does not matter. */
    for (int m = 0; m < 8; m++) {
        CPUHarness *h = x87_harness(HARNESS_PROT32, true);
        Code c = { .n = 0 };
        bool mp = m & 1, ts = m & 2, em = m & 4;

        h->env->cr[0] |= (mp ? CR0_MP_MASK : 0) | (ts ? CR0_TS_MASK : 0) |
                         (em ? CR0_EM_MASK : 0);
        emit(&c, "9b f4");
        g_assert_cmpint(run_code(h, &c, NULL), ==, mp && ts ? EXCP07_PREX : -1);
        harness_free(h);
    }
    /* MP alone changes nothing for x87 instructions. */
    {
        CPUHarness *h = x87_harness(HARNESS_PROT32, true);
        Code c = { .n = 0 };

        h->env->cr[0] |= CR0_MP_MASK;
        emit(&c, "db e3 d9 e8 f4");
        g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
        g_assert_cmphex(st_of(h, 0).se, ==, 0x3fff);
        harness_free(h);
    }
}

/*
 * Builds: fninit; fldcw [CW_ADDR] (ZE unmasked); fld1; fldz;
 * fdivp st(1) (1/0: unmasked ZE, no result, no fault yet).
 */
static void emit_zero_divide(Code *c)
{
    emit(c, "db e3");
    emit_abs(c, "d9 2d", CW_ADDR);
    emit(c, "d9 e8 d9 ee de f9");
}

/*
 * #MF (SDM vol. 1, 8.7.3.1): an unmasked exception is reported by the
 * next waiting x87 instruction, not by the one that caused it, which
 * completes (and counts) leaving the stack unchanged; no-wait
 * instructions run first.
 */
static void test_mf_timing(void)
{
    CPUHarness *h = x87_harness(HARNESS_PROT32, true);
    Code c = { .n = 0 };
    uint64_t eip, faulting;
    int64_t before = h->retired;

    put_cw(h, FCW_INIT_VALUE & ~0x0004);
    emit_zero_divide(&c);
    emit(&c, "df e0"); /* fnstsw ax: no-wait */
    emit(&c, "d9 e5"); /* fxam: waiting: #MF here */
    faulting = h->code_addr + c.n - 2;
    emit(&c, "f4");
    g_assert_cmpint(run_code(h, &c, &eip), ==, EXCP10_COPR);
    g_assert_cmphex(eip, ==, faulting);
    /* fninit fldcw fld1 fldz fdivp fnstsw retired, then the stub's HLT */
    g_assert_cmpint(h->retired - before, ==, 7);
    g_assert_cmphex(h->env->regs[R_EAX] & 0xffff, ==,
                    0x8000 | 0x80 | 0x04 | 6 << 11);
    /* The divide left both operands: ST0 = 0, ST1 = 1. */
    g_assert_cmphex(st_of(h, 0).se, ==, 0);
    g_assert_cmphex(st_of(h, 1).se, ==, 0x3fff);
    harness_free(h);

    /* The no-wait forms never fault: FNSTENV, FNSAVE, FNCLEX, FNINIT. */
    static const char *const nowait[] = { "d9 35", "dd 35", "db e2", "db e3",
                                          "d9 3d" };
    for (size_t k = 0; k < G_N_ELEMENTS(nowait); k++) {
        h = x87_harness(HARNESS_PROT32, true);
        c.n = 0;
        put_cw(h, FCW_INIT_VALUE & ~0x0004);
        emit_zero_divide(&c);
        if (strlen(nowait[k]) > 5) {
            emit(&c, nowait[k]);
        } else {
            emit_abs(&c, nowait[k], DATA_ADDR);
        }
        emit(&c, "f4");
        g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
        harness_free(h);
    }
}

/* FWAIT takes the pending #MF too (the x87 part of ops-sys.c's WAIT). */
static void test_mf_fwait(void)
{
    CPUHarness *h = x87_harness(HARNESS_PROT32, true);
    Code c = { .n = 0 };
    uint64_t eip, faulting;

    put_cw(h, FCW_INIT_VALUE & ~0x0004);
    emit_zero_divide(&c);
    faulting = h->code_addr + c.n;
    emit(&c, "9b f4");
    g_assert_cmpint(run_code(h, &c, &eip), ==, EXCP10_COPR);
    g_assert_cmphex(eip, ==, faulting);
    harness_free(h);
}

/* ---- FERR# and IGNNE# (CR0.NE = 0) ---- */

static int ferr_level = -1;
static int ferr_calls;
static X86CPU *ferr_cpu;
static bool ferr_to_intr;

static void ferr_hook(void *opaque, int level)
{
    ferr_level = level;
    ferr_calls++;
    if (ferr_to_intr) {
        x86_cpu_set_intr(ferr_cpu, level); /* a PIC in one line */
    }
}

static int intr_vector(void *opaque)
{
    return 0x75; /* IRQ 13 through a PC's slave PIC */
}

/*
 * MS-DOS compatibility mode (SDM vol. 1, D.2.1.3): the next waiting
 * instruction freezes with FERR# asserted until an interrupt; it has not
 * run or retired, so the handler returns to it.  With IGNNE# asserted it
 * runs; clearing the exception releases FERR#.
 */
static void test_ferr(void)
{
    CPUHarness *h = x87_harness(HARNESS_PROT32, false);
    CPUX86State *env = h->env;
    Code c = { .n = 0 };
    uint64_t frozen;
    int64_t before = h->retired;

    env->ferr_irq = ferr_hook;
    ferr_level = -1;
    ferr_calls = 0;
    ferr_to_intr = false;
    put_cw(h, FCW_INIT_VALUE & ~0x0004);
    emit_zero_divide(&c);
    frozen = h->code_addr + c.n;
    emit(&c, "d9 e8");    /* fld1: freezes */
    emit(&c, "db e2 f4"); /* fnclex; hlt */
    harness_set_code(h, c.b, c.n);
    harness_run(h, 1000);
    g_assert_true(env->halted);
    g_assert_cmphex(env->eip, ==, frozen);
    g_assert_cmpint(h->retired - before, ==, 5);
    g_assert_cmpint(ferr_level, ==, 1);
    g_assert_cmpint(ferr_calls, ==, 1);
    g_assert_cmphex((env->fpus >> 11) & 7, ==, 6); /* fld1 did not run */

    /* Woken without IGNNE#: it freezes again, FERR# stays asserted. */
    env->halted = false;
    harness_run(h, 1000);
    g_assert_true(env->halted);
    g_assert_cmphex(env->eip, ==, frozen);
    g_assert_cmpint(ferr_calls, ==, 1);

    /* With IGNNE# asserted it runs; FNCLEX then releases FERR#. */
    x86_cpu_set_ignne(h->cpu, 1);
    env->halted = false;
    harness_run_to_halt(h, 1000);
    g_assert_cmphex(env->eip, ==, h->code_addr + c.n);
    g_assert_cmphex((env->fpus >> 11) & 7, ==, 5);
    g_assert_cmpint(ferr_level, ==, 0);
    g_assert_cmpint(ferr_calls, ==, 2);
    x86_cpu_set_ignne(h->cpu, 0);
    harness_free(h);

    /* FERR# through an interrupt controller: the interrupt arrives at the
     * frozen instruction, whose address the handler sees. */
    h = x87_harness(HARNESS_PROT32, false);
    env = h->env;
    ferr_cpu = h->cpu;
    ferr_to_intr = true;
    env->ferr_irq = ferr_hook;
    env->get_intr_vector = intr_vector;
    env->eflags |= IF_MASK;
    put_cw(h, FCW_INIT_VALUE & ~0x0004);
    harness_set_code(h, c.b, c.n);
    harness_run_to_halt(h, 1000);
    {
        int v;
        uint32_t ec;
        uint64_t eip;

        g_assert_true(harness_exception(h, &v, &ec, &eip));
        g_assert_cmpint(v, ==, 0x75);
        g_assert_cmphex(eip, ==, frozen);
    }
    ferr_to_intr = false;
    harness_free(h);
}

/* ---- stack faults ---- */

static void test_stack_faults(void)
{
    CPUHarness *h;
    Code c = { .n = 0 };
    uint64_t eip;

    /* Masked overflow: the ninth push stores the indefinite; C1 = 1. */
    h = x87_harness(HARNESS_PROT32, true);
    emit(&c, "db e3");
    for (int k = 0; k < 9; k++) {
        emit(&c, "d9 e8");
    }
    emit(&c, "f4");
    g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
    g_assert_cmphex(fsw_of(h) & 0x3ff, ==, 0x200 | 0x41);
    g_assert_cmphex(st_of(h, 0).se, ==, 0xffff);
    g_assert_cmphex(st_of(h, 0).m, ==, 0xc000000000000000ull);
    g_assert_cmphex(h->env->fptags, ==, 0);
    harness_free(h);

    /* Unmasked overflow: nothing pushed, ES; #MF at the next fld1. */
    h = x87_harness(HARNESS_PROT32, true);
    c.n = 0;
    put_cw(h, FCW_INIT_VALUE & ~0x0001);
    emit(&c, "db e3");
    emit_abs(&c, "d9 2d", CW_ADDR);
    for (int k = 0; k < 9; k++) {
        emit(&c, "d9 e8");
    }
    emit(&c, "d9 e8 f4");
    g_assert_cmpint(run_code(h, &c, &eip), ==, EXCP10_COPR);
    g_assert_cmphex(eip, ==, h->code_addr + c.n - 3);
    g_assert_cmphex(fsw_of(h) & 0xbfff, ==, 0x8000 | 0x200 | 0xc1);
    g_assert_cmphex(st_of(h, 0).se, ==, 0x3fff); /* still 1.0 */
    harness_free(h);

    /* Masked underflow: FADD of empty registers gives the indefinite,
     * C1 = 0; FST m32 of an empty ST(0) stores the single indefinite. */
    h = x87_harness(HARNESS_PROT32, true);
    c.n = 0;
    emit(&c, "db e3 d8 c1");
    emit_abs(&c, "d9 15", DATA_ADDR); /* fst dword [DATA] */
    emit(&c, "f4");
    g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
    g_assert_cmphex(fsw_of(h) & 0x3ff, ==, 0x41);
    g_assert_cmphex(st_of(h, 0).m, ==, 0xc000000000000000ull);
    {
        uint32_t f;

        harness_read(h, DATA_ADDR, &f, 4);
        g_assert_cmphex(f, ==, 0xffc00000); /* ST(0) is valid now */
    }
    harness_free(h);

    /* Unmasked underflow: FSTP m64 of an empty register stores nothing,
     * pops nothing. */
    h = x87_harness(HARNESS_PROT32, true);
    c.n = 0;
    put_cw(h, FCW_INIT_VALUE & ~0x0001);
    {
        uint64_t pattern = 0x1122334455667788ull;

        harness_write(h, DATA_ADDR, &pattern, 8);
        emit(&c, "db e3");
        emit_abs(&c, "d9 2d", CW_ADDR);
        emit_abs(&c, "dd 1d", DATA_ADDR); /* fstp qword [DATA] */
        emit(&c, "f4");
        g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
        harness_read(h, DATA_ADDR, &pattern, 8);
        g_assert_cmphex(pattern, ==, 0x1122334455667788ull);
        g_assert_cmphex(fsw_of(h), ==, 0x80c1);
        g_assert_cmphex(h->env->fptags, ==, 0xff);
    }
    harness_free(h);
}

/* ---- FSAVE, FRSTOR, FSTENV, FLDENV layouts ---- */

static uint16_t rd16(CPUHarness *h, uint64_t a)
{
    uint16_t v;
    harness_read(h, a, &v, 2);
    return v;
}

static uint32_t rd32(CPUHarness *h, uint64_t a)
{
    uint32_t v;
    harness_read(h, a, &v, 4);
    return v;
}

#define SAVE_ADDR 0x200200

/*
 * 32-bit protected mode: the 108-byte image (SDM vol. 1, figures 8-9 and
 * 8-13): FCW FSW FTW with reserved upper halves of ones, FIP (the first
 * byte of the last non-control instruction, prefixes included), FCS and
 * FOP, FDP and FDS, then ST(0)..ST(7).  FSAVE then initializes.
 */
static void test_fsave_prot32(void)
{
    CPUHarness *h = x87_harness(HARNESS_PROT32, true);
    CPUX86State *env = h->env;
    Code c = { .n = 0 };
    uint64_t fld_eip;
    uint32_t one = 0x3f800000;
    uint8_t img[108], img2[108];

    harness_write(h, DATA_ADDR, &one, 4);
    put_cw(h, 0x0a7f);
    emit(&c, "db e3");
    emit_abs(&c, "d9 2d", CW_ADDR); /* fldcw: control, not recorded */
    emit(&c, "d9 ee d9 eb");        /* fldz; fldpi */
    fld_eip = h->code_addr + c.n;
    emit_abs(&c, "3e d9 05", DATA_ADDR); /* ds: fld dword [DATA] */
    emit_abs(&c, "d9 2d", CW_ADDR);      /* fldcw again: pointers stay */
    emit_abs(&c, "dd 35", SAVE_ADDR);    /* fnsave */
    emit(&c, "f4");
    g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
    harness_read(h, SAVE_ADDR, img, 108);
    g_assert_cmphex(rd32(h, SAVE_ADDR + 0), ==, 0xffff0a7f);
    g_assert_cmphex(rd32(h, SAVE_ADDR + 4), ==, 0xffff0000 | 5 << 11);
    /* phys 5: 1.0 valid (00), 6: pi valid (00), 7: zero (01), rest empty */
    g_assert_cmphex(rd32(h, SAVE_ADDR + 8), ==, 0xffff0000 | 0x43ff);
    g_assert_cmphex(rd32(h, SAVE_ADDR + 12), ==, fld_eip);
    g_assert_cmphex(rd32(h, SAVE_ADDR + 16), ==, 0x08 | (0x105u << 16));
    g_assert_cmphex(rd32(h, SAVE_ADDR + 20), ==, DATA_ADDR);
    g_assert_cmphex(rd32(h, SAVE_ADDR + 24), ==, 0xffff0010);
    g_assert_cmphex(rd16(h, SAVE_ADDR + 28 + 8), ==, 0x3fff); /* ST0 = 1 */
    g_assert_cmphex(rd16(h, SAVE_ADDR + 38 + 8), ==, 0x4000); /* ST1 = pi */
    g_assert_cmphex(rd16(h, SAVE_ADDR + 48 + 8), ==, 0);      /* ST2 = 0 */
    /* FNSAVE initialized the FPU. */
    g_assert_cmphex(env->fpuc, ==, 0x037f);
    g_assert_cmphex(env->fpus, ==, 0);
    g_assert_cmphex(env->fptags, ==, 0xff);
    g_assert_cmphex(env->fpip, ==, 0);

    /* FRSTOR brings it all back; a second FNSAVE gives the same image. */
    c.n = 0;
    emit_abs(&c, "dd 25", SAVE_ADDR);
    emit_abs(&c, "dd 35", SAVE_ADDR + 0x100);
    emit(&c, "f4");
    g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
    harness_read(h, SAVE_ADDR + 0x100, img2, 108);
    g_assert_cmpmem(img, 108, img2, 108);

    /* FRSTOR takes only "empty or not" from the tags. */
    img[8] = 0xaa; /* phys 0-3: "special", i.e. in use */
    harness_write(h, SAVE_ADDR, img, 108);
    c.n = 0;
    emit_abs(&c, "dd 25", SAVE_ADDR);
    emit(&c, "f4");
    g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
    g_assert_cmphex(env->fptags, ==, 0x10);
    harness_free(h);
}

/* 16-bit operand size in protected mode: 94 bytes, offsets of 16 bits. */
static void test_fsave_prot16(void)
{
    CPUHarness *h = x87_harness(HARNESS_PROT32, true);
    Code c = { .n = 0 };
    uint64_t fld_eip;

    emit(&c, "db e3 d9 e8");
    fld_eip = h->code_addr + c.n;
    emit_abs(&c, "d9 05", DATA_ADDR + 0x1234); /* fld dword [..] */
    emit_abs(&c, "66 dd 35", SAVE_ADDR);       /* fnsave (o16) */
    emit(&c, "f4");
    g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
    g_assert_cmphex(rd16(h, SAVE_ADDR + 0), ==, 0x037f);
    g_assert_cmphex(rd16(h, SAVE_ADDR + 2), ==, 6 << 11);
    g_assert_cmphex(rd16(h, SAVE_ADDR + 4), ==, 0x1fff); /* ST0: +0 (01) */
    g_assert_cmphex(rd16(h, SAVE_ADDR + 6), ==, fld_eip & 0xffff);
    g_assert_cmphex(rd16(h, SAVE_ADDR + 8), ==, 0x08);
    g_assert_cmphex(rd16(h, SAVE_ADDR + 10), ==, (DATA_ADDR + 0x1234) & 0xffff);
    g_assert_cmphex(rd16(h, SAVE_ADDR + 12), ==, 0x10);
    g_assert_cmphex(rd16(h, SAVE_ADDR + 14 + 10 + 8), ==, 0x3fff); /* ST1 */
    harness_free(h);
}

/*
 * Real-address mode: linear 20-bit pointers, FOP beside FIP[19:16]
 * (SDM vol. 1, figures 8-10 and 8-12), in both operand sizes.
 */
static void test_fsave_real(void)
{
    for (int o32 = 0; o32 < 2; o32++) {
        CPUHarness *h = x87_harness(HARNESS_REAL, true);
        CPUX86State *env = h->env;
        Code c = { .n = 0 };
        uint32_t fip, fdp;
        uint16_t ds = 0x1234;

        /* mov ax, 0x1234; mov ds, ax */
        emit(&c, "b8");
        emit16(&c, ds);
        emit(&c, "8e d8 db e3 d9 e8");
        fip = h->code_addr + c.n;
        emit(&c, "d8 06"); /* fadd dword [0x0100] */
        emit16(&c, 0x0100);
        fdp = (ds << 4) + 0x100;
        emit(&c, o32 ? "66 dd 36" : "dd 36"); /* fnsave [0x0300] */
        emit16(&c, 0x0300);
        emit(&c, "f4");
        g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
        {
            uint64_t base = (ds << 4) + 0x300;

            if (o32) {
                g_assert_cmphex(rd32(h, base + 0), ==, 0xffff037f);
                g_assert_cmphex(rd32(h, base + 12), ==,
                                0xffff0000 | (fip & 0xffff));
                g_assert_cmphex(rd32(h, base + 16), ==,
                                (fip >> 16) << 12 | 0x006);
                g_assert_cmphex(rd32(h, base + 20), ==,
                                0xffff0000 | (fdp & 0xffff));
                g_assert_cmphex(rd32(h, base + 24), ==, (fdp >> 16) << 12);
                g_assert_cmphex(rd16(h, base + 28 + 8), ==, 0x3fff);
            } else {
                g_assert_cmphex(rd16(h, base + 0), ==, 0x037f);
                g_assert_cmphex(rd16(h, base + 6), ==, fip & 0xffff);
                g_assert_cmphex(rd16(h, base + 8), ==,
                                (fip >> 16) << 12 | 0x006);
                g_assert_cmphex(rd16(h, base + 10), ==, fdp & 0xffff);
                g_assert_cmphex(rd16(h, base + 12), ==, (fdp >> 16) << 12);
                g_assert_cmphex(rd16(h, base + 14 + 8), ==, 0x3fff);
            }
        }
        /* FRSTOR restores the pointers as it stored them. */
        c.n = 0;
        emit(&c, o32 ? "66 dd 26" : "dd 26");
        emit16(&c, 0x0300);
        emit(&c, "f4");
        g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
        g_assert_cmphex(env->fpip, ==, fip);
        g_assert_cmphex(env->fpdp, ==, fdp);
        g_assert_cmphex(env->fpop, ==, 0x006);
        g_assert_cmphex(env->fptags, ==, 0x7f);
        harness_free(h);
    }
}

/*
 * FSTENV masks every exception afterwards, which clears a pending one;
 * FLDENV recomputes ES from the flags and masks it loads.
 */
static void test_fstenv_fldenv(void)
{
    CPUHarness *h = x87_harness(HARNESS_PROT32, true);
    CPUX86State *env = h->env;
    Code c = { .n = 0 };
    uint16_t fsw;

    put_cw(h, FCW_INIT_VALUE & ~0x0004);
    emit_zero_divide(&c);
    emit_abs(&c, "d9 35", SAVE_ADDR); /* fnstenv */
    emit(&c, "d9 e8 f4");             /* fld1: no #MF any more */
    g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
    fsw = rd16(h, SAVE_ADDR + 4);
    g_assert_cmphex(fsw & 0x80ff, ==, 0x8084);
    g_assert_cmphex(rd16(h, SAVE_ADDR + 0), ==, 0x037b);
    g_assert_cmphex(env->fpuc, ==, 0x037f);
    g_assert_cmphex(env->fpus & 0x80ff, ==, 0x0004);

    /* Loading the saved environment makes the exception pending again. */
    c.n = 0;
    emit_abs(&c, "d9 25", SAVE_ADDR); /* fldenv */
    emit(&c, "d9 e8 f4");
    g_assert_cmpint(run_code(h, &c, NULL), ==, EXCP10_COPR);
    g_assert_cmphex(env->fpuc, ==, 0x037b);
    g_assert_cmphex(env->fpus & 0x80ff, ==, 0x8084);
    harness_free(h);
}

/* ---- packed BCD ---- */

static void test_bcd(void)
{
    static const struct {
        uint8_t bcd[10];
        uint16_t se;
        uint64_t m;
    } loads[] = {
        { { 0x89, 0x67, 0x45, 0x23, 0x01, 0, 0, 0, 0, 0x80 },
          0xc019,
          0xeb79a2a000000000ull }, /* -123456789 */
        { { 0 }, 0, 0 },
        { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80 }, 0x8000, 0 }, /* -0 */
        { { 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0 },
          0x403a,
          0xde0b6b3a763ffff0ull }, /* 10^18 - 1 */
        { { 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f },
          0x3fff,
          0x8000000000000000ull }, /* sign byte bits 0-6 ignored */
    };

    for (size_t k = 0; k < G_N_ELEMENTS(loads); k++) {
        CPUHarness *h = x87_harness(HARNESS_PROT32, true);
        Code c = { .n = 0 };
        uint8_t out[10];

        harness_write(h, DATA_ADDR, loads[k].bcd, 10);
        emit(&c, "db e3");
        emit_abs(&c, "df 25", DATA_ADDR);      /* fbld */
        emit(&c, "d9 c0");                     /* fld st0 */
        emit_abs(&c, "df 35", DATA_ADDR + 16); /* fbstp */
        emit(&c, "f4");
        g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
        g_assert_cmphex(st_of(h, 0).se, ==, loads[k].se);
        g_assert_cmphex(st_of(h, 0).m, ==, loads[k].m);
        harness_read(h, DATA_ADDR + 16, out, 10);
        g_assert_cmpmem(out, 9, loads[k].bcd, 9);
        g_assert_cmphex(out[9], ==, loads[k].bcd[9] & 0x80);
        g_assert_cmphex(fsw_of(h) & 0x3f, ==, 0);
        harness_free(h);
    }

    /* FBSTP rounds per RC (2.75: PE, and C1 when rounded up; 2.5 to
     * even) and keeps the sign of -0.25 -> -0;
     * 10^18 is invalid: the masked response is the BCD indefinite. */
    static const struct {
        X80 v;
        uint16_t rc;
        uint8_t lo, sign;
        uint16_t sw;
    } stores[] = {
        { { 0xb000000000000000ull, 0x4000 }, 0x000, 0x03, 0x00, 0x220 },
        { { 0xb000000000000000ull, 0x4000 }, 0xc00, 0x02, 0x00, 0x020 },
        { { 0xa000000000000000ull, 0x4000 }, 0x000, 0x02, 0x00, 0x020 },
        { { 0x8000000000000000ull, 0xbffd }, 0x000, 0x00, 0x80, 0x020 },
        { { 0x8000000000000000ull, 0xbffd }, 0x400, 0x01, 0x80, 0x220 },
    };
    for (size_t k = 0; k < G_N_ELEMENTS(stores); k++) {
        CPUHarness *h = x87_harness(HARNESS_PROT32, true);
        Code c = { .n = 0 };
        uint8_t out[10];

        put_cw(h, FCW_INIT_VALUE | stores[k].rc);
        put_x80(out, stores[k].v);
        harness_write(h, DATA_ADDR, out, 10);
        emit(&c, "db e3");
        emit_abs(&c, "d9 2d", CW_ADDR);
        emit_abs(&c, "db 2d", DATA_ADDR);      /* fld tbyte */
        emit_abs(&c, "df 35", DATA_ADDR + 16); /* fbstp */
        emit(&c, "f4");
        g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
        harness_read(h, DATA_ADDR + 16, out, 10);
        g_assert_cmphex(out[0], ==, stores[k].lo);
        g_assert_cmphex(out[9], ==, stores[k].sign);
        g_assert_cmphex(fsw_of(h) & 0x3ff, ==, stores[k].sw);
        harness_free(h);
    }
    {
        static const uint8_t indef[10] = {
            0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff
        };
        CPUHarness *h = x87_harness(HARNESS_PROT32, true);
        Code c = { .n = 0 };
        uint8_t out[10];
        X80 e18 = x80_of_u64(1000000000000000000ull, 0);

        put_x80(out, e18);
        harness_write(h, DATA_ADDR, out, 10);
        emit(&c, "db e3");
        emit_abs(&c, "db 2d", DATA_ADDR);
        emit_abs(&c, "df 35", DATA_ADDR + 16);
        emit(&c, "f4");
        g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
        harness_read(h, DATA_ADDR + 16, out, 10);
        g_assert_cmpmem(out, 10, indef, 10);
        g_assert_cmphex(fsw_of(h) & 0x3f, ==, 0x01);
        harness_free(h);
    }
}

/* ---- FXAM ---- */

static void test_fxam(void)
{
    static const struct {
        X80 v;
        uint16_t cc; /* C3 C2 C1 C0 */
    } cases[] = {
        { { 0, 0 }, 0x4000 },                          /* +0 */
        { { 0, 0x8000 }, 0x4200 },                     /* -0 */
        { { 1ull << 63, 0x3fff }, 0x0400 },            /* normal */
        { { 1ull << 63, 0xbfff }, 0x0600 },            /* -normal */
        { { 1ull << 63, 0x7fff }, 0x0500 },            /* +inf */
        { { 1ull << 63, 0xffff }, 0x0700 },            /* -inf */
        { { 0xc000000000000000ull, 0x7fff }, 0x0100 }, /* QNaN */
        { { 0xa000000000000000ull, 0xffff }, 0x0300 }, /* -SNaN */
        { { 1, 0 }, 0x4400 },                          /* denormal */
        { { 0x8000000000000001ull, 0x8000 }, 0x4600 }, /* -pseudo-denormal */
        { { 0x4000000000000000ull, 0x3fff }, 0x0000 }, /* unnormal */
        { { 0, 0x7fff }, 0x0000 },                     /* pseudo-infinity */
        { { 0x4000000000000000ull, 0xffff }, 0x0200 }, /* -pseudo-NaN */
    };

    for (size_t k = 0; k < G_N_ELEMENTS(cases); k++) {
        CPUHarness *h = x87_harness(HARNESS_PROT32, true);
        Code c = { .n = 0 };
        uint8_t buf[10];

        put_x80(buf, cases[k].v);
        harness_write(h, DATA_ADDR, buf, 10);
        emit(&c, "db e3");
        emit_abs(&c, "db 2d", DATA_ADDR);
        emit(&c, "d9 e5 f4");
        g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
        g_assert_cmphex(fsw_of(h) & 0x4700, ==, cases[k].cc);
        g_assert_cmphex(fsw_of(h) & 0x3f, ==, 0);
        harness_free(h);
    }
    /* Empty: C3 C0 = 1 1, C1 = the sign of what the register holds. */
    {
        CPUHarness *h = x87_harness(HARNESS_PROT32, true);
        Code c = { .n = 0 };

        /* fninit; fld1; fchs; fstp st0; fdecstp; fxam: ST(0) is the
         * empty register that holds -1.0 */
        emit(&c, "db e3 d9 e8 d9 e0 dd d8 d9 f6 d9 e5 f4");
        g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
        g_assert_cmphex(fsw_of(h) & 0x4700, ==, 0x4300);
        harness_free(h);
    }
}

/*
 * The unmasked overflow and underflow responses to a register: the
 * exponent wrapped by 24576 (SDM vol. 1, 8.5.4-8.5.5).
 */
static void test_wrapped_results(void)
{
    static const struct {
        X80 a, b;
        const char *op;
        uint16_t cw, se, sw;
        uint64_t m;
    } cases[] = {
        /* 2^16000 * 2^16000 = 2^32000 -> 2^7424 */
        { { 1ull << 63, 0x3fff + 16000 },
          { 1ull << 63, 0x3fff + 16000 },
          "d8 c9",
          0x0377,
          0x3fff + 7424,
          0x8088,
          1ull << 63 },
        /* 2^-16000 * 2^-16000 -> 2^(-32000 + 24576) */
        { { 1ull << 63, 0x3fff - 16000 },
          { 1ull << 63, 0x3fff - 16000 },
          "d8 c9",
          0x036f,
          0x3fff - 7424,
          0x8090,
          1ull << 63 },
        /* (1 + 2^-63) * 2^16383 * 3: inexact (PE), rounded */
        { { 0x8000000000000001ull, 0x7ffe },
          { 0xc000000000000000ull, 0x4000 },
          "d8 c9",
          0x0377,
          0x7fff - 24576,
          0x80a8,
          0xc000000000000002ull },
    };

    for (size_t k = 0; k < G_N_ELEMENTS(cases); k++) {
        CPUHarness *h = x87_harness(HARNESS_PROT32, true);
        Code c = { .n = 0 };
        uint8_t buf[20];

        put_x80(buf, cases[k].b);
        put_x80(buf + 10, cases[k].a);
        harness_write(h, DATA_ADDR, buf, 20);
        put_cw(h, cases[k].cw);
        emit(&c, "db e3");
        emit_abs(&c, "d9 2d", CW_ADDR);
        emit_abs(&c, "db 2d", DATA_ADDR);
        emit_abs(&c, "db 2d", DATA_ADDR + 10);
        emit(&c, cases[k].op);
        emit(&c, "f4");
        g_assert_cmpint(run_code(h, &c, NULL), ==, -1);
        g_assert_cmphex(st_of(h, 0).se, ==, cases[k].se);
        g_assert_cmphex(st_of(h, 0).m, ==, cases[k].m);
        g_assert_cmphex(fsw_of(h) & 0x80ff, ==, cases[k].sw);
        harness_free(h);
    }
}

/* ---- invalid encodings ---- */

static sigjmp_buf ud_jmp;

static void sigill_handler(int sig)
{
    siglongjmp(ud_jmp, 1);
}

/* Does the host raise #UD (SIGILL) for the two bytes op, modrm? */
static bool host_ud(uint8_t op, uint8_t modrm, void *mem)
{
    static const uint8_t pre[] = { 0xdb, 0xe3 };        /* fninit */
    static const uint8_t post[] = { 0xdb, 0xe3, 0xc3 }; /* fninit; ret */
    struct sigaction sa = { .sa_handler = sigill_handler }, old;
    volatile bool ud = false;

    memcpy(host_code, pre, 2);
    host_code[2] = op;
    host_code[3] = modrm;
    memcpy(host_code + 4, post, 3);
    sigemptyset(&sa.sa_mask);
    sigaction(SIGILL, &sa, &old);
    if (sigsetjmp(ud_jmp, 1) == 0) {
        ((void (*)(void *, void *))host_code)(mem, mem);
    } else {
        ud = true;
        /* The FPU state is whatever the instruction left: reset it. */
        asm volatile("fninit");
    }
    sigaction(SIGILL, &old, NULL);
    return ud;
}

/*
 * Every register form (ModRM C0-FF) and memory form (ModRM /r with
 * [rsi]) of D8-DF raises #UD on the emulator exactly when it does on the
 * host: the reserved encodings, and the undocumented aliases that run.
 */
static void test_encodings(void)
{
    CPUHarness *h = x87_harness(HARNESS_LONG64, true);
    static uint8_t mem[128] __attribute__((aligned(16)));
    int mismatches = 0;

    host_code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    g_assert_true(host_code != MAP_FAILED);
    for (int op = 0xd8; op <= 0xdf; op++) {
        for (int k = 0; k < 72; k++) {
            uint8_t modrm = k < 64 ? 0xc0 + k : (k - 64) << 3 | 6;
            Code c = { .n = 0 };
            bool hud, eud;

            memset(mem, 0, sizeof(mem));
            hud = host_ud(op, modrm, mem);
            emit(&c, "db e3");
            c.b[c.n++] = op;
            c.b[c.n++] = modrm;
            emit(&c, "db e3 f4");
            h->env->regs[R_ESI] = HARNESS_DATA;
            h->env->regs[R_EDI] = HARNESS_DATA;
            h->env->regs[R_ESP] = HARNESS_STACK;
            eud = run_code(h, &c, NULL) == EXCP06_ILLOP;
            if (hud != eud) {
                g_test_message("%02x %02x: host %s, emulator %s", op, modrm,
                               hud ? "#UD" : "runs", eud ? "#UD" : "runs");
                mismatches++;
            }
        }
    }
    munmap(host_code, 4096);
    harness_free(h);
    g_assert_cmpint(mismatches, ==, 0);
}

int main(int argc, char **argv)
{
    const char *seed = g_getenv("X87_DIFF_SEED");

    if (seed) {
        rng_state = g_ascii_strtoull(seed, NULL, 0) | 1;
    }
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cpu/x87/nm", test_nm);
    g_test_add_func("/cpu/x87/mf-timing", test_mf_timing);
    g_test_add_func("/cpu/x87/mf-fwait", test_mf_fwait);
    g_test_add_func("/cpu/x87/ferr", test_ferr);
    g_test_add_func("/cpu/x87/stack-faults", test_stack_faults);
    g_test_add_func("/cpu/x87/fsave-prot32", test_fsave_prot32);
    g_test_add_func("/cpu/x87/fsave-prot16", test_fsave_prot16);
    g_test_add_func("/cpu/x87/fsave-real", test_fsave_real);
    g_test_add_func("/cpu/x87/fstenv-fldenv", test_fstenv_fldenv);
    g_test_add_func("/cpu/x87/bcd", test_bcd);
    g_test_add_func("/cpu/x87/fxam", test_fxam);
    g_test_add_func("/cpu/x87/wrapped-results", test_wrapped_results);
    g_test_add_func("/cpu/x87/encodings", test_encodings);
    g_test_add_func("/cpu/x87/differential", test_differential);
    return g_test_run();
}
