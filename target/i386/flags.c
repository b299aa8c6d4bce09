/*
 * Lazy arithmetic flags (see CCOp in cpu.h).
 *
 * Most instructions that set flags are followed by one that overwrites
 * them, so the flags are derived only when read: from the last
 * flag-setting instruction's kind, result and operands.
 */
#include "qemu/osdep.h"
#include "target/i386/cpu.h"

static const uint8_t parity_table[256] = {
#define P2(n) n, n ^ CC_P, n ^ CC_P, n
#define P4(n) P2(n), P2(n ^ CC_P), P2(n ^ CC_P), P2(n)
#define P6(n) P4(n), P4(n ^ CC_P), P4(n ^ CC_P), P4(n)
    P6(CC_P), P6(0), P6(0), P6(CC_P)
#undef P2
#undef P4
#undef P6
};

static inline uint32_t pf(uint64_t v)
{
    return parity_table[(uint8_t)v];
}

/* ZF and SF for a result of size bits. */
static inline uint32_t zs(uint64_t v, int bits)
{
    uint64_t m = bits == 64 ? ~0ull : (1ull << bits) - 1;
    uint32_t f = 0;

    if ((v & m) == 0) {
        f |= CC_Z;
    }
    if ((v >> (bits - 1)) & 1) {
        f |= CC_S;
    }
    return f;
}

static inline uint64_t mask(int bits)
{
    return bits == 64 ? ~0ull : (1ull << bits) - 1;
}

static uint32_t compute_all(CCOp op, uint64_t dst, uint64_t src, uint64_t src2)
{
    int size = (op - 1) & 3;
    int bits = 8 << size;
    uint64_t m = mask(bits);
    uint64_t a, b, r;
    uint32_t f;

    if (op == CC_OP_EFLAGS) {
        return src & CC_ALL;
    }
    r = dst & m;
    f = pf(r) | zs(r, bits);
    switch ((op - 1) >> 2) {
    case 0: /* ADD: dst = a + b, src = b */
        b = src & m;
        a = (r - b) & m;
        f |= (r < a) ? CC_C : 0;
        f |= (a ^ b ^ r) & CC_A;
        f |= ((((a ^ r) & (b ^ r)) >> (bits - 1)) & 1) ? CC_O : 0;
        break;
    case 1: /* ADC: dst = a + b + c */
        b = src & m;
        a = (r - b - src2) & m;
        f |= (src2 ? r <= a : r < a) ? CC_C : 0;
        f |= (a ^ b ^ r) & CC_A;
        f |= ((((a ^ r) & (b ^ r)) >> (bits - 1)) & 1) ? CC_O : 0;
        break;
    case 2: /* SUB: dst = a - b */
        b = src & m;
        a = (r + b) & m;
        f |= (a < b) ? CC_C : 0;
        f |= (a ^ b ^ r) & CC_A;
        f |= ((((a ^ b) & (a ^ r)) >> (bits - 1)) & 1) ? CC_O : 0;
        break;
    case 3: /* SBB: dst = a - b - c */
        b = src & m;
        a = (r + b + src2) & m;
        f |= (src2 ? a <= b : a < b) ? CC_C : 0;
        f |= (a ^ b ^ r) & CC_A;
        f |= ((((a ^ b) & (a ^ r)) >> (bits - 1)) & 1) ? CC_O : 0;
        break;
    case 4: /* LOGIC */
        break;
    case 5: /* INC: CF unchanged (in src) */
        f |= src & CC_C;
        a = (r - 1) & m;
        f |= (a ^ 1 ^ r) & CC_A;
        f |= (r == (1ull << (bits - 1))) ? CC_O : 0;
        break;
    case 6: /* DEC */
        f |= src & CC_C;
        a = (r + 1) & m;
        f |= (a ^ 1 ^ r) & CC_A;
        f |= (r == (1ull << (bits - 1)) - 1) ? CC_O : 0;
        break;
    case 7: /* SHL: src = value shifted by count - 1 */
        f |= ((src >> (bits - 1)) & 1) ? CC_C : 0;
        /* OF = MSB(result) XOR CF (defined for count 1). */
        f |= ((((r ^ src) >> (bits - 1)) & 1)) ? CC_O : 0;
        break;
    case 8: /* SAR/SHR: src = value shifted by count - 1 */
        f |= (src & 1) ? CC_C : 0;
        /* OF: for SHR count 1 the MSB of the original operand; SAR 0.
         * Handlers store the original MSB relation in src2. */
        f |= src2 ? CC_O : 0;
        break;
    case 9: /* MUL/IMUL: src != 0 means the high half is significant */
        f |= src ? (CC_C | CC_O) : 0;
        break;
    default:
        g_assert_not_reached();
    }
    return f;
}

uint32_t cpu_cc_compute_all(CPUX86State *env)
{
    return compute_all(env->cc_op, env->cc_dst, env->cc_src, env->cc_src2);
}

/* The operation family (ADD, ADC, SUB, ...) and size of a sized CCOp. */
#define CC_FAMILY(op) (((op)-1) >> 2)
#define CC_SIZE(op)   (((op)-1) & 3)
enum { FAM_ADD, FAM_ADC, FAM_SUB, FAM_SBB, FAM_LOGIC, FAM_INC, FAM_DEC };

/*
 * CF alone, without the other flags: ADC, SBB, RCL and friends, and INC
 * and DEC (which keep CF) ask for it often.
 */
uint32_t cpu_cc_compute_c(CPUX86State *env)
{
    CCOp op = env->cc_op;
    uint64_t m;

    if (op == CC_OP_EFLAGS) {
        return env->cc_src & CC_C;
    }
    m = mask(8 << CC_SIZE(op));
    switch (CC_FAMILY(op)) {
    case FAM_ADD: /* a carry makes the result smaller than the addend */
        return (env->cc_dst & m) < (env->cc_src & m) ? CC_C : 0;
    case FAM_SUB: /* a borrow when a < b, a = result + b */
        return ((env->cc_dst + env->cc_src) & m) < (env->cc_src & m) ? CC_C : 0;
    case FAM_LOGIC:
        return 0;
    case FAM_INC:
    case FAM_DEC:
        return env->cc_src & CC_C;
    default:
        return cpu_cc_compute_all(env) & CC_C;
    }
}

/*
 * Conditions straight from the operands after CMP/SUB and after logic
 * operations (what nearly every Jcc follows), without building the flags.
 * Returns -1 when the fast path does not apply.
 */
static int cc_test_fast(CPUX86State *env, int cc)
{
    CCOp op = env->cc_op;
    int bits, fam;
    uint64_t m, a, b, r;
    int64_t sa, sb, sr;
    bool res;

    if (op == CC_OP_EFLAGS) {
        return -1;
    }
    fam = CC_FAMILY(op);
    bits = 8 << CC_SIZE(op);
    m = mask(bits);
    r = env->cc_dst & m;
    sr = (int64_t)(r << (64 - bits)) >> (64 - bits);
    switch ((cc >> 1) & 7) {
    case 5: /* parity: rare, take the general path */
        return -1;
    case 2: /* Z */
        if (fam > FAM_DEC) {
            return -1;
        }
        res = r == 0;
        break;
    case 4: /* S */
        if (fam > FAM_DEC) {
            return -1;
        }
        res = sr < 0;
        break;
    default:
        if (fam == FAM_LOGIC) {
            switch ((cc >> 1) & 7) {
            case 0: /* O */
            case 1: /* B */
                res = false;
                break;
            case 3: /* BE = Z */
                res = r == 0;
                break;
            case 6: /* L = S (OF = 0) */
                res = sr < 0;
                break;
            default: /* LE = Z or S */
                res = r == 0 || sr < 0;
                break;
            }
        } else if (fam == FAM_SUB) {
            b = env->cc_src & m;
            a = (r + b) & m;
            sa = (int64_t)(a << (64 - bits)) >> (64 - bits);
            sb = (int64_t)(b << (64 - bits)) >> (64 - bits);
            switch ((cc >> 1) & 7) {
            case 0: /* O */
                res = (((a ^ b) & (a ^ r)) >> (bits - 1)) & 1;
                break;
            case 1: /* B */
                res = a < b;
                break;
            case 3: /* BE */
                res = a <= b;
                break;
            case 6: /* L */
                res = sa < sb;
                break;
            default: /* LE */
                res = sa <= sb;
                break;
            }
        } else {
            return -1;
        }
        break;
    }
    return (cc & 1) ? !res : res;
}

bool cpu_cc_test(CPUX86State *env, int cc)
{
    int fast = cc_test_fast(env, cc);
    uint32_t f;
    bool r;

    if (fast >= 0) {
        return fast;
    }
    f = cpu_cc_compute_all(env);

    /* SDM vol. 1, appendix B: condition codes. */
    switch ((cc >> 1) & 7) {
    case 0: /* O */
        r = f & CC_O;
        break;
    case 1: /* B / C */
        r = f & CC_C;
        break;
    case 2: /* E / Z */
        r = f & CC_Z;
        break;
    case 3: /* BE: CF or ZF */
        r = f & (CC_C | CC_Z);
        break;
    case 4: /* S */
        r = f & CC_S;
        break;
    case 5: /* P */
        r = f & CC_P;
        break;
    case 6: /* L: SF != OF */
        r = !!(f & CC_S) != !!(f & CC_O);
        break;
    default: /* LE: ZF or SF != OF */
        r = (f & CC_Z) || (!!(f & CC_S) != !!(f & CC_O));
        break;
    }
    return (cc & 1) ? !r : r;
}

uint32_t cpu_compute_eflags(CPUX86State *env)
{
    return (env->eflags & ~CC_ALL) | cpu_cc_compute_all(env) | EFLAGS_FIXED;
}

void cpu_load_eflags(CPUX86State *env, uint32_t val, uint32_t update_mask)
{
    uint32_t cc = cpu_cc_compute_all(env);

    cc = (cc & ~update_mask) | (val & update_mask & CC_ALL);
    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = cc;
    update_mask &= ~CC_ALL;
    env->eflags = (env->eflags & ~update_mask) | (val & update_mask);
    env->eflags = (env->eflags & ~CC_ALL) | EFLAGS_FIXED;
    x86_update_hflags(env);
}
