/*
 * String instructions on the CPU harness: MOVS CMPS STOS LODS SCAS in
 * every operand size, address size, direction and prefix, against a
 * model written from the SDM's pseudo-code (SDM vol. 2, MOVS..SCAS and
 * REP); REP across a #PF, resumed by a handler; INS/OUTS with a test
 * port device; the I/O permission bitmap at CPL 3.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "exec/ioport.h"
#include "exec/cpu-ldst.h"
#include "tests/unit/cpu-harness.h"

enum { OP_MOVS, OP_CMPS, OP_STOS, OP_LODS, OP_SCAS, OP_NB };
static const char *const op_names[OP_NB] = { "movs", "cmps", "stos", "lods",
                                             "scas" };
static const uint8_t op_code[OP_NB] = { 0xa4, 0xa6, 0xaa, 0xac, 0xae };

/* Segment bases of the data segments in each mode (see setup_segs). */
/*
 * Segment selectors (real mode) and areas (protected and 64-bit mode) of
 * the data segments.  Bases are not page-aligned and limits do not end
 * on a page, so page, limit and address-size boundaries fall apart.
 */
#define REAL_DS  0x2003
#define REAL_ES  0x3005
#define REAL_FS  0x4007
#define REAL_GS  0x5009
#define PM_DS    0x200000
#define PM_ES    0x300000
#define PM_FS    0x400000
#define PM_GS    0x500000
#define PM_SS    0x600000
#define PM_LIMIT 0xffb7f
/* Each segment's base is its area plus one of these. */
#define PM_SKEW(seg) (0x234 + 0x2d8 * (seg))
/* Expand-down variant: valid offsets ED_LIMIT+1 .. 4G-1. */
#define ED_LIMIT 0xfff00a2fu

/*
 * The area every case may write (compared with the model), and the area
 * it may read (filled with random data), which in protected mode also
 * covers SS (the stack's page there is copied back to the model).
 */
static uint64_t cmp_lo, cmp_hi, fill_hi;

typedef struct StrCase {
    int op, ot, aflag;
    bool df;
    int rep;      /* 0, 0xf3, 0xf2 */
    int seg;      /* source segment after overrides */
    int seg_byte; /* the override prefix, or 0 */
    uint64_t rax, rcx, rsi, rdi;
    uint32_t flags; /* initial arithmetic flags */
} StrCase;

/* ---- the model: SDM pseudo-code over a shadow copy of RAM ---- */

typedef struct Model {
    HarnessMode mode;
    uint8_t *mem; /* shadow of guest RAM */
    uint64_t regs[CPU_NB_REGS];
    uint32_t flags;
    int64_t iters;
    int fault; /* -1, or the vector */
    SegmentCache segs[NB_SEGS];
} Model;

static uint64_t mask_of(int ot)
{
    return ot == 3 ? ~0ull : (1ull << (8 << ot)) - 1;
}

static void model_setreg(uint64_t *r, int ot, uint64_t v)
{
    if (ot == 1) {
        *r = (*r & ~0xffffull) | (v & 0xffff);
    } else if (ot == 2) {
        *r = (uint32_t)v;
    } else if (ot == 3) {
        *r = v;
    } else {
        *r = (*r & ~0xffull) | (v & 0xff);
    }
}

/* Limit check of a data segment (SDM vol. 3, 5.3), not in 64-bit mode. */
static bool model_seg_ok(Model *m, int seg, uint64_t off, int size)
{
    const SegmentCache *s = &m->segs[seg];

    if (s->flags & DESC_E_MASK) {
        uint64_t top = (s->flags & DESC_B_MASK) ? 0xffffffffull : 0xffff;
        return off > s->limit && off + size - 1 <= top;
    }
    return off + size - 1 <= s->limit;
}

/* Linear address of seg:off, or false (fault) if outside the limit. */
static bool model_lin(Model *m, int seg, uint64_t off, int size, uint64_t *lin)
{
    if (m->mode == HARNESS_LONG64) {
        *lin = (seg == R_FS || seg == R_GS ? m->segs[seg].base : 0) + off;
        return true;
    }
    if (!model_seg_ok(m, seg, off, size)) {
        m->fault = seg == R_SS ? 12 : 13;
        return false;
    }
    *lin = (uint32_t)(m->segs[seg].base + off);
    return true;
}

/*
 * With paging (HARNESS_PAGED32), the data pages are mapped in swapped
 * pairs, so neighbouring linear pages are not neighbours in RAM.
 */
static bool scrambled;
#define SCRAMBLE_LO PM_DS
#define SCRAMBLE_HI PM_SS

static uint64_t phys_of(uint64_t lin)
{
    if (scrambled && lin >= SCRAMBLE_LO && lin < SCRAMBLE_HI) {
        return lin ^ 0x1000;
    }
    return lin;
}

static uint64_t model_ld(Model *m, uint64_t lin, int size)
{
    uint64_t v = 0;

    g_assert_cmpuint(lin + size, <=, HARNESS_RAM_SIZE);
    for (int i = 0; i < size; i++) {
        v |= (uint64_t)m->mem[phys_of(lin + i)] << (8 * i);
    }
    return v;
}

static void model_st(Model *m, uint64_t lin, uint64_t v, int size)
{
    g_assert_cmpuint(lin + size, <=, HARNESS_RAM_SIZE);
    for (int i = 0; i < size; i++) {
        m->mem[phys_of(lin + i)] = v >> (8 * i);
    }
}

static uint32_t parity(uint8_t v)
{
    return __builtin_popcount(v) & 1 ? 0 : CC_P;
}

/* Flags of a - b at size ot (SDM vol. 1, appendix A: SUB). */
static uint32_t sub_flags(uint64_t a, uint64_t b, int ot)
{
    uint64_t m = mask_of(ot), sign = 1ull << ((8 << ot) - 1);
    uint64_t r = (a - b) & m;
    uint32_t f = parity(r);

    a &= m;
    b &= m;
    if (a < b) {
        f |= CC_C;
    }
    if (r == 0) {
        f |= CC_Z;
    }
    if (r & sign) {
        f |= CC_S;
    }
    if ((a ^ b ^ r) & 0x10) {
        f |= CC_A;
    }
    if ((a ^ b) & (a ^ r) & sign) {
        f |= CC_O;
    }
    return f;
}

/* One iteration; false on a fault (nothing of it done). */
static bool model_once(Model *m, const StrCase *c)
{
    int size = 1 << c->ot;
    uint64_t am = mask_of(c->aflag);
    uint64_t si = m->regs[R_ESI] & am, di = m->regs[R_EDI] & am;
    int64_t step = c->df ? -size : size;
    uint64_t ls = 0, ld = 0, a, b;

    switch (c->op) {
    case OP_MOVS:
        if (!model_lin(m, c->seg, si, size, &ls) ||
            !model_lin(m, R_ES, di, size, &ld)) {
            return false;
        }
        model_st(m, ld, model_ld(m, ls, size), size);
        break;
    case OP_CMPS:
        if (!model_lin(m, c->seg, si, size, &ls) ||
            !model_lin(m, R_ES, di, size, &ld)) {
            return false;
        }
        a = model_ld(m, ls, size);
        b = model_ld(m, ld, size);
        m->flags = sub_flags(a, b, c->ot);
        break;
    case OP_STOS:
        if (!model_lin(m, R_ES, di, size, &ld)) {
            return false;
        }
        model_st(m, ld, m->regs[R_EAX] & mask_of(c->ot), size);
        break;
    case OP_LODS:
        if (!model_lin(m, c->seg, si, size, &ls)) {
            return false;
        }
        model_setreg(&m->regs[R_EAX], c->ot, model_ld(m, ls, size));
        break;
    case OP_SCAS:
        if (!model_lin(m, R_ES, di, size, &ld)) {
            return false;
        }
        b = model_ld(m, ld, size);
        m->flags = sub_flags(m->regs[R_EAX], b, c->ot);
        break;
    }
    if (c->op == OP_MOVS || c->op == OP_CMPS || c->op == OP_LODS) {
        model_setreg(&m->regs[R_ESI], c->aflag, si + step);
    }
    if (c->op != OP_LODS) {
        model_setreg(&m->regs[R_EDI], c->aflag, di + step);
    }
    return true;
}

/* The SDM's REP loop. */
static void model_run(Model *m, const StrCase *c)
{
    uint64_t am = mask_of(c->aflag);

    m->fault = -1;
    m->iters = 0;
    if (!c->rep) {
        model_once(m, c);
        return;
    }
    while (m->regs[R_ECX] & am) {
        if (!model_once(m, c)) {
            return;
        }
        model_setreg(&m->regs[R_ECX], c->aflag, (m->regs[R_ECX] & am) - 1);
        m->iters++;
        if (c->op == OP_CMPS || c->op == OP_SCAS) {
            bool zf = m->flags & CC_Z;
            if ((c->rep == 0xf3 && !zf) || (c->rep == 0xf2 && zf)) {
                break;
            }
        }
    }
}

/* ---- the emulator side ---- */

static void load_data_seg(CPUX86State *env, int seg, uint32_t sel,
                          uint64_t base, uint32_t limit, bool expdown)
{
    uint32_t flags = DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | DESC_A_MASK;

    if (env->cr[0] & CR0_PE_MASK) {
        flags |= DESC_B_MASK;
    }
    if (expdown) {
        flags |= DESC_E_MASK;
    }
    cpu_x86_load_seg_cache(env, seg, sel, base, limit, flags);
}

static const uint64_t pm_area[NB_SEGS] = {
    PM_ES, 0, PM_SS, PM_DS, PM_FS, PM_GS
};

/* Distinct bases per segment, so a wrong segment shows. */
static void setup_segs(CPUHarness *h, bool expdown)
{
    CPUX86State *env = h->env;
    static const int data_segs[] = { R_DS, R_ES, R_FS, R_GS };
    static const int real_sel[] = { REAL_DS, REAL_ES, REAL_FS, REAL_GS };

    for (int i = 0; i < 4; i++) {
        int seg = data_segs[i];
        uint64_t base = pm_area[seg] + PM_SKEW(seg);

        switch (h->mode) {
        case HARNESS_REAL:
            load_data_seg(env, seg, real_sel[i], real_sel[i] << 4, 0xffff,
                          false);
            break;
        case HARNESS_LONG64:
            /* DS and ES bases are ignored in 64-bit mode. */
            load_data_seg(env, seg, 0x10, seg == R_DS ? 0x123000 : base,
                          PM_LIMIT, false);
            break;
        default:
            if (expdown) {
                /* Offsets ED_LIMIT+1.. land at the area + 0xa30.. */
                base = pm_area[seg] + (0x100000000ull - 0xfff00000u);
                load_data_seg(env, seg, 0x10, (uint32_t)base, ED_LIMIT, true);
            } else {
                load_data_seg(env, seg, 0x10, base, PM_LIMIT, false);
            }
            break;
        }
    }
    switch (h->mode) {
    case HARNESS_REAL:
        cmp_lo = 0x20000;
        cmp_hi = fill_hi = 0x70000;
        break;
    case HARNESS_LONG64:
        cmp_lo = PM_DS;
        cmp_hi = fill_hi = PM_GS + 0x100000;
        break;
    default:
        load_data_seg(env, R_SS, 0x10, PM_SS, 0xffffffff, false);
        cmp_lo = PM_DS;
        cmp_hi = PM_SS;
        fill_hi = PM_SS + 0x100000;
        break;
    }
}

static int default_aflag(HarnessMode mode)
{
    return mode == HARNESS_REAL ? 1 : mode == HARNESS_LONG64 ? 3 : 2;
}

/* Encodes the instruction for the case, followed by HLT. */
static size_t encode(HarnessMode mode, const StrCase *c, uint8_t *p)
{
    size_t n = 0;
    int def_ot = mode == HARNESS_REAL ? 1 : 2;

    if (c->seg_byte) {
        p[n++] = c->seg_byte;
    }
    if (c->ot != 0 && c->ot != 3 && c->ot != def_ot) {
        p[n++] = 0x66;
    }
    if (c->aflag != default_aflag(mode)) {
        p[n++] = 0x67;
    }
    if (c->rep) {
        p[n++] = c->rep;
    }
    if (c->ot == 3) {
        p[n++] = 0x48;
    }
    p[n++] = op_code[c->op] | (c->ot != 0);
    p[n++] = 0xf4;
    return n;
}

typedef struct Ctx {
    CPUHarness *h;
    uint8_t *shadow;
    GRand *rand;
    uint64_t fill_state; /* xorshift for the bulk of the random bytes */
    int cases;
    /* What the cases exercised, checked at the end. */
    int faults, zf_stops, long_runs, zero_counts;
} Ctx;

static uint64_t rnd(Ctx *x, uint64_t n)
{
    return ((uint64_t)g_rand_int(x->rand) << 32 | g_rand_int(x->rand)) % n;
}

static uint64_t rnd64(Ctx *x)
{
    return (uint64_t)g_rand_int(x->rand) << 32 | g_rand_int(x->rand);
}

/* Writes bytes at a linear address into RAM and the model. */
static void put_both(Ctx *x, uint64_t lin, const void *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint64_t pa = phys_of(lin + i);

        x->h->ram[pa] = x->shadow[pa] = ((const uint8_t *)buf)[i];
    }
}

static uint64_t lin_of(Model *m, int seg, uint64_t off)
{
    if (m->mode == HARNESS_LONG64) {
        return (seg == R_FS || seg == R_GS ? m->segs[seg].base : 0) + off;
    }
    return (uint32_t)(m->segs[seg].base + off);
}

/*
 * Random bytes around the run of the elements from seg:off; returns the
 * range filled in *plo, *phi.
 */
static void fill_window(Ctx *x, Model *m, int seg, uint64_t off,
                        const StrCase *c, uint64_t count, uint64_t *plo,
                        uint64_t *phi)
{
    uint64_t span = (count + 2) * (1 << c->ot) + 64;
    uint64_t lo, hi;

    if (c->aflag == 1) {
        lo = lin_of(m, seg, 0); /* 16-bit offsets wrap: the whole 64 KiB */
        hi = lo + 0x10000;
    } else {
        uint64_t lin = lin_of(m, seg, off);

        lo = lin > span ? lin - span : 0;
        hi = lin + span;
    }
    lo = MAX(lo, cmp_lo);
    hi = MIN(hi, fill_hi);
    for (uint64_t a = lo; a < hi; a += 8) {
        uint64_t v = x->fill_state;

        v ^= v << 13;
        v ^= v >> 7;
        v ^= v << 17;
        x->fill_state = v;
        put_both(x, a, &v, MIN(8, hi - a));
    }
    if (scrambled) {
        /* The pages of the window and their partners. */
        lo &= ~0x1fffull;
        hi = (hi + 0x1fff) & ~0x1fffull;
    }
    *plo = lo;
    *phi = MAX(lo, MIN(hi, cmp_hi));
}

/*
 * Makes CMPS/SCAS data end a REPE/REPNE run at element k: elements before
 * k continue the run (equal for REPE, different for REPNE), element k
 * ends it.
 */
static void shape_compare(Ctx *x, Model *m, const StrCase *c, uint64_t k)
{
    int size = 1 << c->ot;
    uint64_t am = mask_of(c->aflag);
    int64_t step = c->df ? -size : size;
    uint64_t count = c->rcx & am;

    for (uint64_t i = 0; i < count && i <= k; i++) {
        uint64_t di = (c->rdi + i * step) & am;
        uint64_t ld = lin_of(m, R_ES, di), v;
        bool equal = (c->rep == 0xf3) == (i < k);

        if (x->h->mode != HARNESS_LONG64 && !model_seg_ok(m, R_ES, di, size)) {
            break;
        }
        if (ld + size > fill_hi || ld < cmp_lo) {
            break;
        }
        if (c->op == OP_SCAS) {
            v = c->rax & mask_of(c->ot);
        } else {
            uint64_t si = (c->rsi + i * step) & am;
            uint64_t ls = lin_of(m, c->seg, si);
            if (ls + size > fill_hi || ls < cmp_lo) {
                break;
            }
            v = model_ld(m, ls, size);
        }
        if (!equal) {
            v ^= 1ull << rnd(x, 8 << c->ot);
        }
        put_both(x, ld, &v, size);
    }
}

static const uint64_t counts[] = { 0, 1, 2, 3, 4, 7, 9, 16, 33 };

/* Runs one case on the emulator and on the model; compares everything. */
static void run_case(Ctx *x, StrCase *c)
{
    CPUHarness *h = x->h;
    CPUX86State *env = h->env;
    Model m = { .mode = h->mode, .mem = x->shadow };
    uint8_t code[16];
    size_t len = encode(h->mode, c, code);
    uint64_t am = mask_of(c->aflag);
    int64_t expect_retired, ran;
    uint64_t lo[2], hi[2];
    int vector;
    uint32_t ec;
    uint64_t saved;
    char *what;

    memcpy(m.segs, env->segs, sizeof(m.segs));
    uint64_t count = c->rep ? c->rcx & am : 1;

    fill_window(x, &m, c->seg, c->rsi & am, c, count, &lo[0], &hi[0]);
    fill_window(x, &m, R_ES, c->rdi & am, c, count, &lo[1], &hi[1]);
    if ((c->op == OP_CMPS || c->op == OP_SCAS) && c->rep && rnd(x, 4) != 0) {
        shape_compare(x, &m, c, rnd(x, (c->rcx & am) + 1));
    }

    harness_set_code(h, code, len);
    env->halted = false;
    env->regs[R_EAX] = c->rax;
    env->regs[R_ECX] = c->rcx;
    env->regs[R_ESI] = c->rsi;
    env->regs[R_EDI] = c->rdi;
    env->regs[R_ESP] = HARNESS_STACK;
    cpu_load_eflags(env, c->flags | (c->df ? DF_MASK : 0), CC_ALL | DF_MASK);
    memcpy(m.regs, env->regs, sizeof(m.regs));
    m.flags = c->flags;

    model_run(&m, c);
    ran = harness_run_to_halt(h, 1000000);

    what =
        g_strdup_printf("case %d: %s ot=%d aflag=%d df=%d rep=%02x "
                        "seg=%d rcx=%" PRIx64 " rsi=%" PRIx64 " rdi=%" PRIx64,
                        x->cases, op_names[c->op], c->ot, c->aflag, c->df,
                        c->rep, c->seg, c->rcx, c->rsi, c->rdi);
    if (m.fault >= 0) {
        if (!harness_exception(h, &vector, &ec, &saved) || vector != m.fault ||
            saved != h->code_addr || ec != 0) {
            g_error("%s: expected fault %d", what, m.fault);
        }
        expect_retired = m.iters + 1; /* the iterations and the stub HLT */
        x->faults++;
    } else {
        if (env->eip != h->code_addr + len) {
            g_error("%s: ended at eip %" PRIx64, what, env->eip);
        }
        expect_retired = (c->rep && (c->rcx & am) ? m.iters : 1) + 1;
        x->zero_counts += c->rep && !(c->rcx & am);
        x->zf_stops += c->rep && (m.regs[R_ECX] & am) != 0;
        x->long_runs += m.iters > 500;
    }
    if (ran != expect_retired) {
        g_error("%s: retired %" PRId64 ", expected %" PRId64, what, ran,
                expect_retired);
    }
    for (int r = 0; r < CPU_NB_REGS; r++) {
        if (r == R_ESP) {
            continue;
        }
        if (env->regs[r] != m.regs[r]) {
            g_error("%s: reg %d is %" PRIx64 ", expected %" PRIx64, what, r,
                    env->regs[r], m.regs[r]);
        }
    }
    if ((cpu_compute_eflags(env) & CC_ALL) != m.flags) {
        g_error("%s: flags %x, expected %x", what,
                cpu_compute_eflags(env) & CC_ALL, m.flags);
    }
    /* The windows every case, everything now and then (stray writes). */
    for (int w = 0; w < 3; w++) {
        uint64_t a = w < 2 ? lo[w] : cmp_lo, b = w < 2 ? hi[w] : cmp_hi;

        if (w == 2 && x->cases % 64 != 0) {
            break;
        }
        if (memcmp(h->ram + a, x->shadow + a, b - a) == 0) {
            continue;
        }
        for (; a < b; a++) {
            if (h->ram[a] != x->shadow[a]) {
                g_error("%s: memory differs at %" PRIx64 ": %02x, expected "
                        "%02x",
                        what, a, h->ram[a], x->shadow[a]);
            }
        }
    }
    if (h->mode != HARNESS_LONG64 && h->mode != HARNESS_REAL) {
        /* Exception frames: not the model's business. */
        memcpy(x->shadow + PM_SS + HARNESS_STACK - 0x1000,
               h->ram + PM_SS + HARNESS_STACK - 0x1000, 0x1000);
    }
    g_free(what);
    x->cases++;
}

/* An offset in the segment for the mode and address size. */
static uint64_t pick_offset(Ctx *x, HarnessMode mode, int aflag, int seg,
                            bool expdown)
{
    uint64_t limit = mode == HARNESS_REAL ? 0xffff : PM_LIMIT;
    uint64_t off;

    if (expdown) {
        switch (rnd(x, 4)) {
        case 0:
            return ED_LIMIT + 1 + rnd(x, 48); /* faults going down */
        case 1:
            return 0xffffffffu - rnd(x, 48); /* wraps to 0: faults */
        default:
            return ED_LIMIT + 1 + rnd(x, 0xfffff000u - ED_LIMIT);
        }
    }

    switch (mode == HARNESS_LONG64 ? 2 + rnd(x, 4) : rnd(x, 6)) {
    case 0:
        off = limit - rnd(x, 48); /* near the limit (faults, wraps) */
        if (aflag == 1) {
            off = 0xffff - rnd(x, 8); /* 16-bit wrap, elements across */
        }
        break;
    case 1:
        off = rnd(x, 40); /* near 0 (wraps down) */
        break;
    case 2:
        off = (rnd(x, limit) & ~0xfffull) + 0x1000 - rnd(x, 24); /* page */
        break;
    default:
        off = rnd(x, limit + 1);
        break;
    }
    if (mode == HARNESS_LONG64) {
        /* Stay away from the ends: 64-bit mode has no limits to fault. */
        off = MIN(MAX(off, 0x10000), limit - 0x10000);
    }
    if (aflag == 1) {
        off &= 0xffff;
    }
    if (mode == HARNESS_LONG64 && seg != R_FS && seg != R_GS) {
        /* Flat: put the operand in the source or destination area. */
        off = off % (PM_LIMIT + 1) + (seg == R_ES ? PM_ES : PM_DS);
    }
    return off;
}

static void test_mode(HarnessMode mode, int n_cases, bool expdown)
{
    Ctx x = { 0 };
    static const int seg_bytes[] = { 0, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 };

    x.h = harness_new(mode);
    x.rand = g_rand_new_with_seed(0x5717 + mode);
    x.fill_state = 0x9e3779b97f4a7c15ull + mode;
    setup_segs(x.h, expdown);
    scrambled = mode == HARNESS_PAGED32;
    if (scrambled) {
        for (uint64_t a = SCRAMBLE_LO; a < SCRAMBLE_HI; a += 0x1000) {
            uint32_t pte = (a ^ 0x1000) | 7;
            memcpy(x.h->ram + HARNESS_PT + 0x1000 + (a >> 12) * 4, &pte, 4);
        }
        tlb_flush(x.h->env);
    }
    x.shadow = g_malloc(HARNESS_RAM_SIZE);
    memcpy(x.shadow, x.h->ram, HARNESS_RAM_SIZE);

    for (int i = 0; i < n_cases; i++) {
        StrCase c = { 0 };
        int def_a = default_aflag(mode);
        uint64_t count;
        int sb;

        c.op = rnd(&x, OP_NB);
        c.ot = rnd(&x, mode == HARNESS_LONG64 ? 4 : 3);
        c.aflag = rnd(&x, 2) ? def_a : (def_a == 2 ? 1 : 2);
        if (mode == HARNESS_REAL && c.aflag == 2) {
            c.aflag = rnd(&x, 2) ? 2 : 1;
        }
        if (expdown && rnd(&x, 8)) {
            c.aflag = 2; /* 16-bit offsets are all below the limit */
        }
        c.df = rnd(&x, 2);
        c.rep = (int[]){ 0, 0xf3, 0xf2 }[rnd(&x, 3)];
        sb = seg_bytes[rnd(&x, ARRAY_SIZE(seg_bytes))];
        if (sb == 0x2e || (sb == 0x36 && mode == HARNESS_REAL)) {
            sb = 0; /* CS is the code; SS is the stack in real mode */
        }
        c.seg_byte = sb;
        c.seg = !sb          ? R_DS
                : sb == 0x64 ? R_FS
                : sb == 0x65 ? R_GS
                             : (sb >> 3) & 3;
        if (mode == HARNESS_LONG64 && c.seg != R_FS && c.seg != R_GS) {
            c.seg = R_DS; /* ES/SS/DS overrides do nothing */
        }
        count = counts[rnd(&x, ARRAY_SIZE(counts))];
        if (rnd(&x, 10) == 0) {
            count = 600 + rnd(&x, 1500); /* crosses pages: bulk paths */
        }
        c.rax = rnd64(&x);
        c.rcx = count;
        c.rsi = pick_offset(&x, mode, c.aflag, c.seg, expdown && c.seg != R_SS);
        c.rdi = pick_offset(&x, mode, c.aflag, R_ES, expdown);
        if (mode == HARNESS_LONG64 && c.aflag != 3) {
            /* Only ESI/EDI/ECX count: upper halves are noise. */
            c.rsi = (uint32_t)c.rsi | (rnd64(&x) << 32);
            c.rdi = (uint32_t)c.rdi | (rnd64(&x) << 32);
            c.rcx |= rnd64(&x) << 32;
        } else if (mode == HARNESS_LONG64) {
            c.rcx |= 0; /* RCX is the count in full */
        } else {
            c.rax = (uint32_t)c.rax;
            if (c.aflag == 1) {
                /* 16-bit addressing: the upper halves stay as they were. */
                c.rsi |= rnd(&x, 0x10000) << 16;
                c.rdi |= rnd(&x, 0x10000) << 16;
                c.rcx |= rnd(&x, 0x10000) << 16;
            }
        }
        if (mode != HARNESS_LONG64 && c.rep == 0 && rnd(&x, 2)) {
            c.rcx = rnd64(&x) & 0xffffffff;
        }
        c.flags = rnd(&x, 0x1000) & CC_ALL;
        if (mode == HARNESS_LONG64 && c.seg == R_DS && c.aflag == 2) {
            /* ESI alone must land in RAM: use the flat areas. */
            c.rsi = (c.rsi & ~0xffffffffull) | (PM_DS + c.rsi % PM_LIMIT);
        }
        if (mode == HARNESS_LONG64 && c.aflag == 2) {
            c.rdi = (c.rdi & ~0xffffffffull) | (PM_ES + c.rdi % PM_LIMIT);
        }
        run_case(&x, &c);
    }
    g_test_message("%d cases: %d faults, %d REPE/REPNE stops, %d long runs, "
                   "%d zero counts",
                   x.cases, x.faults, x.zf_stops, x.long_runs, x.zero_counts);
    g_assert_cmpint(x.zf_stops, >, n_cases / 50);
    g_assert_cmpint(x.long_runs, >, n_cases / 50);
    g_assert_cmpint(x.zero_counts, >, n_cases / 50);
    if (mode != HARNESS_LONG64) {
        g_assert_cmpint(x.faults, >, n_cases / 50);
    }
    g_free(x.shadow);
    g_rand_free(x.rand);
    harness_free(x.h);
}

static void test_real(void)
{
    test_mode(HARNESS_REAL, 3000, false);
}

static void test_prot32(void)
{
    test_mode(HARNESS_PROT32, 3000, false);
}

static void test_expdown(void)
{
    test_mode(HARNESS_PROT32, 2000, true);
}

static void test_paged32(void)
{
    test_mode(HARNESS_PAGED32, 3000, false);
}

static void test_long64(void)
{
    test_mode(HARNESS_LONG64, 3000, false);
}

/* ---- specific cases ---- */

/* Overlapping REP MOVSB replicates a pattern (not a memmove). */
static void test_overlap(void)
{
    /* rep movsb; hlt */
    static const uint8_t code[] = { 0xf3, 0xa4, 0xf4 };
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;
    uint8_t buf[4200];

    for (int i = 0; i < 3; i++) {
        h->ram[HARNESS_DATA + i] = 0xa0 + i;
    }
    harness_set_code(h, code, sizeof(code));
    env->regs[R_ESI] = HARNESS_DATA;
    env->regs[R_EDI] = HARNESS_DATA + 3;
    env->regs[R_ECX] = 4000;
    g_assert_cmpint(harness_run_to_halt(h, 100000), ==, 4001);
    harness_read(h, HARNESS_DATA, buf, 4003);
    for (int i = 0; i < 4003; i++) {
        g_assert_cmpuint(buf[i], ==, 0xa0 + i % 3);
    }
    /* Backwards with rDI below rSI: the same replication downwards. */
    harness_set_code(h, code, sizeof(code));
    env->halted = false;
    cpu_load_eflags(env, DF_MASK, DF_MASK);
    h->ram[HARNESS_DATA + 9000] = 0x11;
    h->ram[HARNESS_DATA + 9001] = 0x22;
    env->regs[R_ESI] = HARNESS_DATA + 9001;
    env->regs[R_EDI] = HARNESS_DATA + 8999;
    env->regs[R_ECX] = 5000;
    g_assert_cmpint(harness_run_to_halt(h, 100000), ==, 5001);
    for (int i = 0; i < 5000; i++) {
        g_assert_cmpuint(h->ram[HARNESS_DATA + 8999 - i], ==,
                         i % 2 ? 0x11 : 0x22);
    }
    harness_free(h);
}

/* Budgets that end inside REP MOVS resume with the right registers. */
static void test_rep_budget(void)
{
    /* rep movsd; hlt */
    static const uint8_t code[] = { 0xf3, 0xa5, 0xf4 };
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;

    for (int i = 0; i < 4 * 3000; i++) {
        h->ram[HARNESS_DATA + i] = i * 7;
    }
    harness_set_code(h, code, sizeof(code));
    env->regs[R_ESI] = HARNESS_DATA;
    env->regs[R_EDI] = HARNESS_DATA + 0x10000;
    env->regs[R_ECX] = 3000;
    for (int done = 0; done < 3000;) {
        int64_t step = MIN(1 + (done * 37) % 700, 3000 - done);

        g_assert_cmpint(harness_run(h, step), ==, step);
        done += step;
        if (done < 3000) {
            g_assert_cmpuint(env->eip, ==, h->code_addr);
        }
        g_assert_cmpuint(env->regs[R_ECX], ==, 3000 - done);
        g_assert_cmpuint(env->regs[R_ESI], ==, HARNESS_DATA + 4 * done);
        g_assert_cmpuint(env->regs[R_EDI], ==,
                         HARNESS_DATA + 0x10000 + 4 * done);
    }
    g_assert_cmpint(harness_run_to_halt(h, 10), ==, 1);
    g_assert_cmpint(h->retired, ==, 3001);
    g_assert_cmpint(
        memcmp(h->ram + HARNESS_DATA, h->ram + HARNESS_DATA + 0x10000, 12000),
        ==, 0);
    harness_free(h);
}

/*
 * REP MOVSB into a page that is not present: #PF at the first byte of
 * that page with ECX/ESI/EDI after the bytes before it; the handler maps
 * the page and IRETs, and the instruction finishes the copy.
 */
static void test_rep_page_fault(void)
{
    CPUHarness *h = harness_new(HARNESS_PAGED32);
    CPUX86State *env = h->env;
    const uint64_t dst = 0x800000 - 100; /* 100 bytes before the hole */
    const uint64_t pte = HARNESS_PT + 0x1000 * 3; /* PTE of 0x800000 */
    uint32_t pte_val, zero = 0, faults_at = 0x150100;
    /* rep movsb; hlt */
    static const uint8_t code[] = { 0xf3, 0xa4, 0xf4 };
    uint8_t handler[64];
    size_t n = 0;

    harness_read(h, pte, &pte_val, 4);
    harness_write(h, pte, &zero, 4);
    /*
     * #PF handler: mov [faults_at], ecx; mov dword [pte], pte_val;
     * add esp, 4; iret
     */
    handler[n++] = 0x89;
    handler[n++] = 0x0d;
    memcpy(handler + n, &faults_at, 4);
    n += 4;
    handler[n++] = 0xc7;
    handler[n++] = 0x05;
    memcpy(handler + n, &(uint32_t){ pte }, 4);
    n += 4;
    memcpy(handler + n, &pte_val, 4);
    n += 4;
    handler[n++] = 0x83;
    handler[n++] = 0xc4;
    handler[n++] = 0x04;
    handler[n++] = 0xcf;
    harness_write(h, 0x150000, handler, n);
    harness_set_handler(h, 14, 0x150000);

    for (int i = 0; i < 300; i++) {
        h->ram[HARNESS_DATA + i] = i ^ 0x5a;
    }
    harness_set_code(h, code, sizeof(code));
    env->regs[R_ESI] = HARNESS_DATA;
    env->regs[R_EDI] = dst;
    env->regs[R_ECX] = 300;

    /* Stop exactly at the fault: 100 iterations, nothing more. */
    g_assert_cmpint(harness_run(h, 100), ==, 100);
    g_assert_cmpuint(env->regs[R_ECX], ==, 200);
    /* One more: #PF, then the handler's first instruction. */
    g_assert_cmpint(harness_run(h, 1), ==, 1);
    g_assert_cmpuint(env->cr[2], ==, 0x800000);
    g_assert_cmpuint(env->eip, ==, 0x150000 + 6);
    g_assert_cmpuint(env->regs[R_ESI], ==, HARNESS_DATA + 100);
    g_assert_cmpuint(env->regs[R_EDI], ==, 0x800000);
    /* Handler (3 more), then the remaining 200 iterations and HLT. */
    g_assert_cmpint(harness_run_to_halt(h, 1000), ==, 3 + 200 + 1);
    g_assert_cmpint(h->retired, ==, 100 + 4 + 200 + 1);
    g_assert_cmpuint(*(uint32_t *)(h->ram + faults_at), ==, 200);
    g_assert_cmpuint(env->regs[R_ECX], ==, 0);
    g_assert_cmpuint(env->regs[R_EDI], ==, dst + 300);
    for (int i = 0; i < 300; i++) {
        g_assert_cmpuint(h->ram[dst + i], ==, (uint8_t)(i ^ 0x5a));
    }
    harness_free(h);
}

/* A fault on the source page: the same, and the destination is untouched. */
static void test_rep_source_fault(void)
{
    CPUHarness *h = harness_new(HARNESS_PAGED32);
    CPUX86State *env = h->env;
    const uint64_t pte = HARNESS_PT + 0x1000 * 3;
    uint32_t zero = 0;
    int vector;
    uint32_t ec;
    uint64_t eip;
    /* rep movsw; hlt */
    static const uint8_t code[] = { 0x66, 0xf3, 0xa5, 0xf4 };

    harness_write(h, pte, &zero, 4);
    harness_set_code(h, code, sizeof(code));
    env->regs[R_ESI] = 0x800000 - 9; /* the 5th word straddles the hole */
    env->regs[R_EDI] = HARNESS_DATA;
    env->regs[R_ECX] = 10;
    memset(h->ram + HARNESS_DATA, 0xcc, 32);
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 4 + 1);
    g_assert_true(harness_exception(h, &vector, &ec, &eip));
    g_assert_cmpint(vector, ==, 14);
    g_assert_cmpuint(ec, ==, 0); /* read of a not-present page */
    g_assert_cmpuint(eip, ==, h->code_addr);
    g_assert_cmpuint(env->cr[2], ==, 0x800000);
    g_assert_cmpuint(env->regs[R_ECX], ==, 6);
    g_assert_cmpuint(env->regs[R_ESI], ==, 0x800000 - 1);
    g_assert_cmpuint(env->regs[R_EDI], ==, HARNESS_DATA + 8);
    g_assert_cmpuint(h->ram[HARNESS_DATA + 8], ==, 0xcc);
    harness_free(h);
}

/* REPNE SCASB finds a byte; REPE CMPSD stops at the first difference. */
static void test_rep_termination(void)
{
    /* repne scasb; hlt */
    static const uint8_t scas[] = { 0xf2, 0xae, 0xf4 };
    /* repe cmpsd; hlt */
    static const uint8_t cmps[] = { 0xf3, 0xa7, 0xf4 };
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;

    memcpy(h->ram + HARNESS_DATA, "hello, world", 13);
    harness_set_code(h, scas, sizeof(scas));
    env->regs[R_EAX] = ',';
    env->regs[R_EDI] = HARNESS_DATA;
    env->regs[R_ECX] = 100;
    g_assert_cmpint(harness_run_to_halt(h, 1000), ==, 6 + 1);
    g_assert_cmpuint(env->regs[R_ECX], ==, 94);
    g_assert_cmpuint(env->regs[R_EDI], ==, HARNESS_DATA + 6);
    g_assert_true(cpu_compute_eflags(env) & CC_Z);

    for (int i = 0; i < 64; i++) {
        ((uint32_t *)(h->ram + HARNESS_DATA + 0x100))[i] = i;
        ((uint32_t *)(h->ram + HARNESS_DATA + 0x200))[i] = i < 40 ? i : 0;
    }
    harness_set_code(h, cmps, sizeof(cmps));
    env->halted = false;
    env->regs[R_ESI] = HARNESS_DATA + 0x100;
    env->regs[R_EDI] = HARNESS_DATA + 0x200;
    env->regs[R_ECX] = 64;
    g_assert_cmpint(harness_run_to_halt(h, 1000), ==, 41 + 1);
    g_assert_cmpuint(env->regs[R_ECX], ==, 64 - 41);
    g_assert_false(cpu_compute_eflags(env) & CC_Z);
    /* 40 - 0: no borrow. */
    g_assert_false(cpu_compute_eflags(env) & CC_C);

    /* Budget ending exactly on the terminating iteration: complete. */
    harness_set_code(h, cmps, sizeof(cmps));
    env->halted = false;
    env->regs[R_ESI] = HARNESS_DATA + 0x100;
    env->regs[R_EDI] = HARNESS_DATA + 0x200;
    env->regs[R_ECX] = 64;
    g_assert_cmpint(harness_run(h, 41), ==, 41);
    g_assert_cmpuint(env->eip, ==, h->code_addr + 2);
    harness_free(h);
}

/* ---- port I/O ---- */

typedef struct TestPort {
    MemoryRegion mr;
    uint32_t next; /* reads return a counter */
    GByteArray *written;
    int reads, writes;
} TestPort;

static uint64_t tport_read(void *opaque, hwaddr addr, unsigned size)
{
    TestPort *s = opaque;
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)(uint8_t)(s->next++ + addr) << (8 * i);
    }
    s->reads++;
    return v;
}

static void tport_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    TestPort *s = opaque;

    for (unsigned i = 0; i < size; i++) {
        uint8_t b = val >> (8 * i);
        g_byte_array_append(s->written, &b, 1);
    }
    s->writes++;
}

static const MemoryRegionOps tport_ops = {
    .read = tport_read,
    .write = tport_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

#define TPORT 0x1230

static TestPort *tport_new(void)
{
    TestPort *s = g_new0(TestPort, 1);

    s->written = g_byte_array_new();
    portio_register(&s->mr, TPORT, 8, &tport_ops, s, "test-port", &error_abort);
    return s;
}

static void tport_free(TestPort *s)
{
    memory_region_destroy(&s->mr);
    g_byte_array_unref(s->written);
    g_free(s);
}

static void test_ins_outs(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;
    TestPort *p = tport_new();
    /* rep insw; hlt */
    static const uint8_t insw[] = { 0x66, 0xf3, 0x6d, 0xf4 };
    /* rep outsd; hlt */
    static const uint8_t outsd[] = { 0xf3, 0x6f, 0xf4 };
    /* es rep outsb (override: ES is the source); hlt */
    static const uint8_t outsb_es[] = { 0x26, 0xf3, 0x6e, 0xf4 };
    /* insb (no rep); hlt */
    static const uint8_t insb[] = { 0x6c, 0xf4 };

    harness_set_code(h, insw, sizeof(insw));
    env->regs[R_EDX] = TPORT;
    env->regs[R_EDI] = HARNESS_DATA;
    env->regs[R_ECX] = 5;
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 6);
    g_assert_cmpint(p->reads, ==, 5);
    for (int i = 0; i < 10; i++) {
        g_assert_cmpuint(h->ram[HARNESS_DATA + i], ==, i);
    }
    g_assert_cmpuint(env->regs[R_EDI], ==, HARNESS_DATA + 10);

    /* Down, with the budget ending in the middle. */
    harness_set_code(h, insw, sizeof(insw));
    env->halted = false;
    cpu_load_eflags(env, DF_MASK, DF_MASK);
    p->next = 0x40;
    env->regs[R_EDI] = HARNESS_DATA + 0x100;
    env->regs[R_ECX] = 4;
    g_assert_cmpint(harness_run(h, 3), ==, 3);
    g_assert_cmpuint(env->regs[R_ECX], ==, 1);
    g_assert_cmpuint(env->eip, ==, h->code_addr);
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 2);
    for (int i = 0; i < 4; i++) {
        g_assert_cmpuint(h->ram[HARNESS_DATA + 0x100 - 2 * i], ==,
                         0x40 + 2 * i);
    }
    g_assert_cmpuint(env->regs[R_EDI], ==, HARNESS_DATA + 0x100 - 8);
    cpu_load_eflags(env, 0, DF_MASK);

    for (int i = 0; i < 16; i++) {
        h->ram[HARNESS_DATA + 0x200 + i] = 0x80 + i;
    }
    harness_set_code(h, outsd, sizeof(outsd));
    env->halted = false;
    env->regs[R_ESI] = HARNESS_DATA + 0x200;
    env->regs[R_ECX] = 4;
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 5);
    g_assert_cmpint(p->writes, ==, 4);
    g_assert_cmpint(p->written->len, ==, 16);
    g_assert_cmpint(memcmp(p->written->data, h->ram + HARNESS_DATA + 0x200, 16),
                    ==, 0);

    /* A source override applies to OUTS. */
    load_data_seg(env, R_ES, 0x10, 0x300000, 0xffffffff, false);
    h->ram[0x300000 + 0x10] = 0x77;
    h->ram[0x300000 + 0x11] = 0x66;
    harness_set_code(h, outsb_es, sizeof(outsb_es));
    env->halted = false;
    env->regs[R_ESI] = 0x10;
    env->regs[R_ECX] = 2;
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 3);
    g_assert_cmpint(p->written->len, ==, 18);
    g_assert_cmpuint(p->written->data[16], ==, 0x77);
    g_assert_cmpuint(p->written->data[17], ==, 0x66);

    /* INS writes ES:EDI: with ES based at 0x300000. */
    harness_set_code(h, insb, sizeof(insb));
    env->halted = false;
    p->next = 0x99;
    env->regs[R_EDI] = 0x20;
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 2);
    g_assert_cmpuint(h->ram[0x300020], ==, 0x99);
    g_assert_cmpuint(env->regs[R_EDI], ==, 0x21);

    harness_free(h);
    tport_free(p);
}

/*
 * INS into a page that is not present: #PF before the port is read (the
 * device's data is not lost); with the page back, the read happens once.
 */
static void test_ins_fault(void)
{
    CPUHarness *h = harness_new(HARNESS_PAGED32);
    CPUX86State *env = h->env;
    TestPort *p = tport_new();
    const uint64_t pte = HARNESS_PT + 0x1000 * 3; /* PTE of 0x800000 */
    uint32_t pte_val, zero = 0;
    int vector;
    uint32_t ec;
    uint64_t eip;
    /* rep insd; hlt */
    static const uint8_t code[] = { 0xf3, 0x6d, 0xf4 };

    harness_read(h, pte, &pte_val, 4);
    harness_write(h, pte, &zero, 4);
    harness_set_code(h, code, sizeof(code));
    env->regs[R_EDX] = TPORT;
    env->regs[R_EDI] = 0x800000 - 8;
    env->regs[R_ECX] = 4;
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 2 + 1);
    g_assert_true(harness_exception(h, &vector, &ec, &eip));
    g_assert_cmpint(vector, ==, 14);
    g_assert_cmpuint(ec, ==, PG_ERROR_W_MASK);
    g_assert_cmpint(p->reads, ==, 2);
    g_assert_cmpuint(env->regs[R_ECX], ==, 2);

    /* Resume by hand: map the page, back to the instruction. */
    harness_write(h, pte, &pte_val, 4);
    env->eip = eip;
    env->regs[R_ESP] = HARNESS_STACK;
    env->halted = false;
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 2 + 1);
    g_assert_cmpint(p->reads, ==, 4);
    for (int i = 0; i < 16; i++) {
        g_assert_cmpuint(h->ram[0x800000 - 8 + i], ==, i);
    }
    harness_free(h);
    tport_free(p);
}

/* IN/OUT in their four forms and sizes, and in 64-bit mode. */
static void test_in_out(void)
{
    CPUHarness *h = harness_new(HARNESS_LONG64);
    CPUX86State *env = h->env;
    TestPort *p = tport_new();
    /*
     * in al, 0x30 (port 0x30 is unassigned: reads as ones)
     * in eax, dx; mov rbx, rax; in ax, dx; out dx, al; out dx, eax;
     * rex.w in eax, dx (REX.W does not widen); hlt
     */
    static const uint8_t code[] = { 0xe4, 0x30, 0xed, 0x48, 0x89, 0xc3, 0x66,
                                    0xed, 0xee, 0xef, 0x48, 0xed, 0xf4 };

    harness_set_code(h, code, sizeof(code));
    env->regs[R_EDX] = TPORT + 4;
    env->regs[R_EAX] = 0xffffffff00000000ull;
    g_assert_cmpint(harness_run(h, 1), ==, 1);
    g_assert_cmpuint(env->regs[R_EAX], ==, 0xffffffff000000ffull);
    g_assert_cmpint(harness_run(h, 2), ==, 2);
    /* A 32-bit IN zero-extends into RAX. */
    g_assert_cmpuint(env->regs[R_EBX], ==, 0x07060504);
    g_assert_cmpint(harness_run(h, 1), ==, 1);
    g_assert_cmpuint(env->regs[R_EAX], ==, 0x07060908);
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 4);
    g_assert_cmpint(p->written->len, ==, 5);
    g_assert_cmpuint(p->written->data[0], ==, 0x08);
    g_assert_cmpuint(env->regs[R_EAX], ==, 0x0d0c0b0a);
    harness_free(h);
    tport_free(p);
}

/*
 * The I/O permission bitmap at CPL 3 with IOPL 0 (SDM vol. 1, 19.5.2):
 * every bit of the accessed ports must be 0, inside the TSS limit.
 */
static void test_io_bitmap(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;
    TestPort *p = tport_new();
    const uint32_t map = 0x68, limit = 0x68 + TPORT / 8 + 2;
    uint8_t *bitmap = h->ram + HARNESS_TSS + map;
    int vector;
    uint32_t ec;
    uint64_t eip;
    struct {
        uint8_t code[4];
        size_t len;
        uint32_t port;
        uint32_t tss_limit;
        bool ok;
    } cases[] = {
        /* in al, dx: port allowed */
        { { 0xec, 0xf4 }, 2, TPORT, limit, true },
        /* in al, dx: port denied */
        { { 0xec, 0xf4 }, 2, TPORT + 1, limit, false },
        /* in ax, dx: second byte's port denied */
        { { 0x66, 0xed, 0xf4 }, 3, TPORT, limit, false },
        /* in eax, dx at TPORT+4..+7: all allowed */
        { { 0xed, 0xf4 }, 2, TPORT + 4, limit, true },
        /* in eax, dx at TPORT+6: crosses into the next (denied) byte */
        { { 0xed, 0xf4 }, 2, TPORT + 6, limit, false },
        /* out dx, al: allowed */
        { { 0xee, 0xf4 }, 2, TPORT + 2, limit, true },
        /* The bitmap's second byte beyond the limit: denied. */
        { { 0xee, 0xf4 }, 2, TPORT + 2, limit - 2, false },
        /* insb / outsb go through the same check */
        { { 0x6c, 0xf4 }, 2, TPORT, limit, true },
        { { 0x6e, 0xf4 }, 2, TPORT + 1, limit, false },
        /* in al, 0x30: its bit is set */
        { { 0xe4, 0x30, 0xf4 }, 3, 0, limit, false },
    };

    /* Bitmap: all denied but TPORT, TPORT+2 and TPORT+4..+7. */
    memset(bitmap, 0xff, limit - map + 1);
    bitmap[TPORT / 8] = (uint8_t) ~(0x01 | 0x04 | 0xf0);
    *(uint16_t *)(h->ram + HARNESS_TSS + 0x66) = map;
    harness_enter_ring3(h);
    env->regs[R_EDI] = HARNESS_DATA;
    env->regs[R_ESI] = HARNESS_DATA;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        size_t len = cases[i].len;

        env->tr.limit = cases[i].tss_limit;
        harness_enter_ring3(h);
        env->regs[R_ESP] = HARNESS_STACK;
        env->regs[R_EDX] = cases[i].port;
        harness_set_code(h, cases[i].code, len);
        harness_run_to_halt(h, 100);
        /*
         * Either the access faults, or it passes and the HLT after it
         * does (HLT is privileged at CPL 3).
         */
        g_assert_true(harness_exception(h, &vector, &ec, &eip));
        g_assert_cmpint(vector, ==, 13);
        g_assert_cmpuint(ec, ==, 0);
        g_assert_cmpuint(eip, ==, h->code_addr + (cases[i].ok ? len - 1 : 0));
    }

    /* IOPL 3: no bitmap at all. */
    env->tr.limit = 0x67;
    harness_enter_ring3(h);
    cpu_load_eflags(env, 3 << IOPL_SHIFT, IOPL_MASK);
    env->regs[R_EDX] = TPORT + 1;
    env->regs[R_ESP] = HARNESS_STACK;
    harness_set_code(h, (const uint8_t[]){ 0xec, 0xf4 }, 2);
    harness_run_to_halt(h, 100);
    g_assert_true(harness_exception(h, &vector, &ec, &eip));
    g_assert_cmpuint(eip, ==, h->code_addr + 1);

    harness_free(h);
    tport_free(p);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cpu/string/model/real", test_real);
    g_test_add_func("/cpu/string/model/prot32", test_prot32);
    g_test_add_func("/cpu/string/model/paged32", test_paged32);
    g_test_add_func("/cpu/string/model/expand-down", test_expdown);
    g_test_add_func("/cpu/string/model/long64", test_long64);
    g_test_add_func("/cpu/string/overlap", test_overlap);
    g_test_add_func("/cpu/string/rep-budget", test_rep_budget);
    g_test_add_func("/cpu/string/rep-page-fault", test_rep_page_fault);
    g_test_add_func("/cpu/string/rep-source-fault", test_rep_source_fault);
    g_test_add_func("/cpu/string/rep-termination", test_rep_termination);
    g_test_add_func("/cpu/string/ins-outs", test_ins_outs);
    g_test_add_func("/cpu/string/ins-fault", test_ins_fault);
    g_test_add_func("/cpu/string/in-out", test_in_out);
    g_test_add_func("/cpu/string/io-bitmap", test_io_bitmap);
    return g_test_run();
}
