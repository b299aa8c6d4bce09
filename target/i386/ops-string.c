/*
 * String instructions: MOVS CMPS STOS LODS SCAS INS OUTS, alone or with
 * REP, REPE/REPZ or REPNE/REPNZ (SDM vol. 2, each instruction and
 * "REP/REPE/REPZ/REPNE/REPNZ").
 *
 * Operands: the source is seg:rSI, where seg is DS unless a prefix
 * overrides it; the destination is always ES:rDI (no override; in 64-bit
 * mode ES has base 0 like every segment but FS and GS).  rSI, rDI and the
 * count rCX are used at the address size (SI/ESI/RSI by 67h and the
 * mode), wrap within it, and step by the element size, up with DF=0 and
 * down with DF=1.  REPE/REPNE end on ZF only for CMPS and SCAS; with the
 * other instructions either prefix is a plain REP.
 *
 * Counting (accel/tcg/cpu-exec.c): each iteration of a REP instruction
 * is one instruction.  The handler decrements icount_left after every
 * completed iteration.  When the instruction finishes after at least one
 * iteration it gives one back, because the execution loop counts the
 * instruction itself once more; with a zero count nothing happens and the
 * loop's count is the only one.  When the budget runs out (or the block
 * must end: port I/O, MMIO, a store into code, single-stepping) with
 * iterations left, the handler sets insn_incomplete: EIP stays at the
 * instruction and rCX/rSI/rDI describe the iterations done, exactly the
 * state in which hardware takes an interrupt between iterations
 * (SDM vol. 2, REP: "a repeating string operation can be suspended").
 * A fault in iteration k leaves the state after k-1 iterations, which
 * were counted, and IRET resumes the rest.
 *
 * Fault before commit holds per iteration: each iteration does its loads
 * and checks before it writes memory or registers.
 *
 * Over ordinary RAM, REP MOVS/STOS/CMPS/SCAS/LODS do whole runs of
 * iterations within a page at once (see str_span), bounded by the budget
 * left; the result and the count are the same as one by one, just
 * faster.  INS and OUTS go one by one: each port access ends the run.
 */
#include "qemu/osdep.h"
#include "target/i386/ops-common.h"
#include "target/i386/ops-io.h"

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* The element step: +size with DF=0, -size with DF=1. */
static ALWAYS_INLINE int64_t str_step(CPUX86State *env, int ot)
{
    return (env->eflags & DF_MASK) ? -(int64_t)(1 << ot) : (1 << ot);
}

/* Moves an index register by n steps at the address size. */
static ALWAYS_INLINE void str_advance(CPUX86State *env, const DecodedInsn *d,
                                      int reg, uint64_t v, int64_t step)
{
    reg_write(env, reg, d->aflag, v + step);
}

/* ---- one iteration of each instruction ---- */

static ALWAYS_INLINE void movs_once(CPUX86State *env, const DecodedInsn *d,
                                    int ot)
{
    int size = 1 << ot;
    uint64_t si = reg_read(env, R_ESI, d->aflag);
    uint64_t di = reg_read(env, R_EDI, d->aflag);
    uint64_t v = ld_seg(env, d->seg, si, size);

    st_seg(env, R_ES, di, size, v);
    str_advance(env, d, R_ESI, si, str_step(env, ot));
    str_advance(env, d, R_EDI, di, str_step(env, ot));
}

/* CMPS: flags of seg:rSI - ES:rDI. */
static ALWAYS_INLINE void cmps_once(CPUX86State *env, const DecodedInsn *d,
                                    int ot)
{
    int size = 1 << ot;
    uint64_t si = reg_read(env, R_ESI, d->aflag);
    uint64_t di = reg_read(env, R_EDI, d->aflag);
    uint64_t a = ld_seg(env, d->seg, si, size);
    uint64_t b = ld_seg(env, R_ES, di, size);

    set_cc(env, CC_OP(SUB, ot), (a - b) & ot_mask(ot), b);
    str_advance(env, d, R_ESI, si, str_step(env, ot));
    str_advance(env, d, R_EDI, di, str_step(env, ot));
}

static ALWAYS_INLINE void stos_once(CPUX86State *env, const DecodedInsn *d,
                                    int ot)
{
    uint64_t di = reg_read(env, R_EDI, d->aflag);

    st_seg(env, R_ES, di, 1 << ot, reg_read(env, R_EAX, ot));
    str_advance(env, d, R_EDI, di, str_step(env, ot));
}

static ALWAYS_INLINE void lods_once(CPUX86State *env, const DecodedInsn *d,
                                    int ot)
{
    uint64_t si = reg_read(env, R_ESI, d->aflag);
    uint64_t v = ld_seg(env, d->seg, si, 1 << ot);

    reg_write(env, R_EAX, ot, v);
    str_advance(env, d, R_ESI, si, str_step(env, ot));
}

/* SCAS: flags of rAX - ES:rDI. */
static ALWAYS_INLINE void scas_once(CPUX86State *env, const DecodedInsn *d,
                                    int ot)
{
    uint64_t di = reg_read(env, R_EDI, d->aflag);
    uint64_t b = ld_seg(env, R_ES, di, 1 << ot);
    uint64_t a = reg_read(env, R_EAX, ot);

    set_cc(env, CC_OP(SUB, ot), (a - b) & ot_mask(ot), b);
    str_advance(env, d, R_EDI, di, str_step(env, ot));
}

/*
 * INS: port DX to ES:rDI.  The permission check comes first (SDM vol. 2,
 * INS); the destination is checked before the port is read, so a fault
 * does not lose the device's data (reads may have side effects).
 */
static ALWAYS_INLINE void ins_once(CPUX86State *env, const DecodedInsn *d,
                                   int ot)
{
    int size = 1 << ot;
    uint32_t port = env->regs[R_EDX] & 0xffff;
    uint64_t di = reg_read(env, R_EDI, d->aflag);
    uint64_t lin;
    uint32_t v;

    x86_check_io(env, port, size);
    lin = seg_lin(env, R_ES, di, size, true);
    cpu_probe_write(env, lin, size, mmu_idx(env));
    v = x86_io_read(env, port, size);
    cpu_st_lin(env, lin, v, size, mmu_idx(env));
    str_advance(env, d, R_EDI, di, str_step(env, ot));
}

/* OUTS: seg:rSI to port DX. */
static ALWAYS_INLINE void outs_once(CPUX86State *env, const DecodedInsn *d,
                                    int ot)
{
    int size = 1 << ot;
    uint32_t port = env->regs[R_EDX] & 0xffff;
    uint64_t si = reg_read(env, R_ESI, d->aflag);
    uint64_t v;

    x86_check_io(env, port, size);
    v = ld_seg(env, d->seg, si, size);
    x86_io_write(env, port, v, size);
    str_advance(env, d, R_ESI, si, str_step(env, ot));
}

/* ---- runs of iterations at once (REP MOVS STOS CMPS SCAS LODS) ---- */

static inline bool seg_ok(const SegmentCache *s, uint64_t ea, int size,
                          bool write)
{
    return seg_ok_fast(s, ea, size) || x86_seg_check(s, ea, size, write);
}

/*
 * How many of the next n elements of size bytes, the first at offset ea
 * in segment seg and the others following it in the direction of DF, can
 * be accessed straight in host memory: all of them inside the segment
 * limit, not wrapping the address size, on the same page, that page on
 * the TLB fast path for the access (ordinary RAM, permitted, dirty when
 * written, no translated code, no data breakpoints), no alignment check.
 * Accesses like these cannot fault or have side effects, so doing them
 * together is the same as doing them in turn.  Returns 0 if not even the
 * first qualifies; *host is the first element's host address.
 *
 * A page missing from the TLB is walked here (which raises #PF exactly
 * as the first element's access would, and has no other effect): the
 * source and destination of MOVS often share a TLB slot, and filling one
 * must not stop the other from being used.  The host address stays
 * valid when the entry is evicted; only a change of the memory map,
 * which cannot happen before the run is done, would move it.
 */
static uint64_t str_span(CPUX86State *env, int seg, uint64_t ea, int aflag,
                         int size, bool down, bool write, uint64_t n,
                         uint8_t **host)
{
    const SegmentCache *s = &env->segs[seg];
    uint64_t amask = addr_mask(aflag, ~0ull);
    uint64_t lin, off, room, page;
    CPUTLBEntry *e;

    if (ea > amask - (size - 1)) {
        return 0; /* the first element wraps */
    }
    /* Elements 1..n-1 must not wrap the address size either. */
    room = down ? ea / size : (amask - ea - (size - 1)) / size;
    if (room < n - 1) {
        n = room + 1;
    }
    if (env->hflags & HF_CS64_MASK) {
        lin = (seg >= R_FS ? s->base : 0) + ea;
    } else {
        lin = (uint32_t)(s->base + ea);
    }
    off = lin & 0xfff;
    if (off + size > 0x1000 ||
        ((env->hflags & HF_AC_MASK) && (lin & (size - 1)))) {
        return 0;
    }
    room = down ? off / size : (0x1000 - off - size) / size;
    if (room < n - 1) {
        n = room + 1;
    }
    if (!(env->hflags & HF_CS64_MASK)) {
        /* The valid offsets of a segment form one interval. */
        uint64_t last = down ? ea - (n - 1) * size : ea + (n - 1) * size;

        if (!seg_ok(s, ea, size, write) || !seg_ok(s, last, size, write)) {
            return 0;
        }
    }
    e = tlb_entry(env, mmu_idx(env), lin);
    page = lin & ~0xfffull;
    if ((write ? e->addr_write : e->addr_read) != page) {
        const CPUTLBExtra *x =
            &env->tlb_extra[mmu_idx(env)][(lin >> 12) & (TLB_SIZE - 1)];

        if (x->valid && x->vaddr == page &&
            (x->prot & (write ? PAGE_WRITE : PAGE_READ))) {
            return 0; /* mapped, but not plain RAM: the slow path */
        }
        x86_tlb_fill(env, lin, write ? MMU_DATA_STORE : MMU_DATA_LOAD,
                     mmu_idx(env));
        if ((write ? e->addr_write : e->addr_read) != page) {
            return 0;
        }
    }
    *host = (uint8_t *)(e->addend + lin);
    return n;
}

static ALWAYS_INLINE uint64_t movs_bulk(CPUX86State *env, const DecodedInsn *d,
                                        int ot, uint64_t n)
{
    int size = 1 << ot;
    bool down = env->eflags & DF_MASK;
    int64_t step = str_step(env, ot);
    uint64_t si = reg_read(env, R_ESI, d->aflag);
    uint64_t di = reg_read(env, R_EDI, d->aflag);
    uint8_t *src, *dst, *lo_src, *lo_dst;
    size_t bytes;

    n = str_span(env, d->seg, si, d->aflag, size, down, false, n, &src);
    if (n) {
        n = str_span(env, R_ES, di, d->aflag, size, down, true, n, &dst);
    }
    if (n == 0) {
        return 0;
    }
    bytes = n * size;
    lo_src = down ? src - (bytes - size) : src;
    lo_dst = down ? dst - (bytes - size) : dst;
    if (lo_dst + bytes <= lo_src || lo_src + bytes <= lo_dst) {
        memcpy(lo_dst, lo_src, bytes);
    } else {
        /*
         * Overlapping runs: element by element in the instruction's order
         * (REP MOVSB with rDI = rSI + 1 replicates a byte, which a
         * memmove would not).
         */
        for (uint64_t i = 0; i < n; i++) {
            memmove(dst + (int64_t)i * step, src + (int64_t)i * step, size);
        }
    }
    reg_write(env, R_ESI, d->aflag, si + n * step);
    reg_write(env, R_EDI, d->aflag, di + n * step);
    return n;
}

static ALWAYS_INLINE uint64_t stos_bulk(CPUX86State *env, const DecodedInsn *d,
                                        int ot, uint64_t n)
{
    int size = 1 << ot;
    bool down = env->eflags & DF_MASK;
    int64_t step = str_step(env, ot);
    uint64_t di = reg_read(env, R_EDI, d->aflag);
    uint64_t v = reg_read(env, R_EAX, ot);
    uint8_t *dst, *lo;

    n = str_span(env, R_ES, di, d->aflag, size, down, true, n, &dst);
    if (n == 0) {
        return 0;
    }
    lo = down ? dst - (n - 1) * size : dst;
    if (size == 1) {
        memset(lo, v, n);
    } else {
        for (uint64_t i = 0; i < n; i++) {
            st_le_p(lo + i * size, v, size);
        }
    }
    reg_write(env, R_EDI, d->aflag, di + n * step);
    return n;
}

/*
 * CMPS and SCAS compare until the REPE/REPNE condition ends the run (the
 * element that ends it is compared and counted), LODS keeps the last
 * element.
 */
static ALWAYS_INLINE bool rep_cmp_stops(const DecodedInsn *d, uint64_t a,
                                        uint64_t b)
{
    return (d->prefix & PREFIX_REPZ) ? a != b : a == b;
}

static ALWAYS_INLINE uint64_t cmps_bulk(CPUX86State *env, const DecodedInsn *d,
                                        int ot, uint64_t n)
{
    int size = 1 << ot;
    bool down = env->eflags & DF_MASK;
    int64_t step = str_step(env, ot);
    uint64_t si = reg_read(env, R_ESI, d->aflag);
    uint64_t di = reg_read(env, R_EDI, d->aflag);
    uint8_t *src, *dst;
    uint64_t a = 0, b = 0, i;

    n = str_span(env, d->seg, si, d->aflag, size, down, false, n, &src);
    if (n) {
        n = str_span(env, R_ES, di, d->aflag, size, down, false, n, &dst);
    }
    if (n == 0) {
        return 0;
    }
    for (i = 0; i < n;) {
        a = ld_le_p(src + (int64_t)i * step, size);
        b = ld_le_p(dst + (int64_t)i * step, size);
        i++;
        if (rep_cmp_stops(d, a, b)) {
            break;
        }
    }
    set_cc(env, CC_OP(SUB, ot), (a - b) & ot_mask(ot), b);
    reg_write(env, R_ESI, d->aflag, si + i * step);
    reg_write(env, R_EDI, d->aflag, di + i * step);
    return i;
}

static ALWAYS_INLINE uint64_t scas_bulk(CPUX86State *env, const DecodedInsn *d,
                                        int ot, uint64_t n)
{
    int size = 1 << ot;
    bool down = env->eflags & DF_MASK;
    int64_t step = str_step(env, ot);
    uint64_t di = reg_read(env, R_EDI, d->aflag);
    uint64_t a = reg_read(env, R_EAX, ot), b = 0, i;
    uint8_t *dst;

    n = str_span(env, R_ES, di, d->aflag, size, down, false, n, &dst);
    if (n == 0) {
        return 0;
    }
    for (i = 0; i < n;) {
        b = ld_le_p(dst + (int64_t)i * step, size);
        i++;
        if (rep_cmp_stops(d, a, b)) {
            break;
        }
    }
    set_cc(env, CC_OP(SUB, ot), (a - b) & ot_mask(ot), b);
    reg_write(env, R_EDI, d->aflag, di + i * step);
    return i;
}

static ALWAYS_INLINE uint64_t lods_bulk(CPUX86State *env, const DecodedInsn *d,
                                        int ot, uint64_t n)
{
    int size = 1 << ot;
    bool down = env->eflags & DF_MASK;
    int64_t step = str_step(env, ot);
    uint64_t si = reg_read(env, R_ESI, d->aflag);
    uint8_t *src;

    n = str_span(env, d->seg, si, d->aflag, size, down, false, n, &src);
    if (n == 0) {
        return 0;
    }
    reg_write(env, R_EAX, ot, ld_le_p(src + (int64_t)(n - 1) * step, size));
    reg_write(env, R_ESI, d->aflag, si + n * step);
    return n;
}

/* ---- the REP loop ---- */

typedef void StrOnceFn(CPUX86State *env, const DecodedInsn *d, int ot);
/* Does up to n iterations at once; returns how many (0: none). */
typedef uint64_t StrBulkFn(CPUX86State *env, const DecodedInsn *d, int ot,
                           uint64_t n);

/*
 * Runs a string instruction: once without a REP prefix (the execution
 * loop counts it), else iterations until rCX is 0 (or ZF says so, for
 * CMPS and SCAS), the budget is spent, or the block must end.
 */
static ALWAYS_INLINE void str_run(CPUX86State *env, const DecodedInsn *d,
                                  int ot, StrOnceFn *once, StrBulkFn *bulk,
                                  bool compares)
{
    uint64_t count;

    if (!(d->prefix & (PREFIX_REPZ | PREFIX_REPNZ))) {
        once(env, d, ot);
        return;
    }
    count = reg_read(env, R_ECX, d->aflag);
    if (count == 0) {
        return;
    }
    for (;;) {
        uint64_t n = 0;

        if (bulk && !(env->hflags & HF_TF_MASK)) {
            n = bulk(env, d, ot, MIN(count, (uint64_t)env->icount_left));
        }
        if (n == 0) {
            once(env, d, ot);
            n = 1;
        }
        count -= n;
        reg_write(env, R_ECX, d->aflag, count);
        env->icount_left -= n;
        /*
         * REPE stops when ZF=0, REPNE when ZF=1; cc_dst holds the last
         * comparison's result (ZF = result is zero).
         */
        if (count == 0 || (compares && rep_cmp_stops(d, env->cc_dst, 0))) {
            env->icount_left++; /* the loop counts the last iteration */
            return;
        }
        /*
         * Stop between iterations: the budget is spent, or something
         * ended the block (I/O, MMIO, a store into code), or TF is set:
         * the single-step trap comes after each iteration (SDM vol. 3,
         * 17.3.1.4), with EIP still at the instruction.
         */
        if (env->icount_left <= 0 || env->exit_tb ||
            (env->hflags & HF_TF_MASK)) {
            env->insn_incomplete = true;
            return;
        }
    }
}

#define SIZED(name, OT, SUF, body)                                \
    static void name##SUF(CPUX86State *env, const DecodedInsn *d) \
    {                                                             \
        const int ot = OT;                                        \
        body;                                                     \
    }
#define STRING_OP(name, body)       \
    SIZED(name, OT_BYTE, _8, body)  \
    SIZED(name, OT_WORD, _16, body) \
    SIZED(name, OT_LONG, _32, body) \
    SIZED(name, OT_QUAD, _64, body) \
    DEF_HS4(name, name);

STRING_OP(movs, str_run(env, d, ot, movs_once, movs_bulk, false))
STRING_OP(cmps, str_run(env, d, ot, cmps_once, cmps_bulk, true))
STRING_OP(stos, str_run(env, d, ot, stos_once, stos_bulk, false))
STRING_OP(lods, str_run(env, d, ot, lods_once, lods_bulk, false))
STRING_OP(scas, str_run(env, d, ot, scas_once, scas_bulk, true))

/*
 * INS and OUTS move at most 32 bits: REX.W does not widen them (SDM
 * vol. 2, INS: "in 64-bit mode, ... operand size fixed at 8, 16 or 32").
 */
#define IO_STRING_OP(name)                                                   \
    SIZED(name, OT_BYTE, _8, str_run(env, d, ot, name##_once, NULL, false))  \
    SIZED(name, OT_WORD, _16, str_run(env, d, ot, name##_once, NULL, false)) \
    SIZED(name, OT_LONG, _32, str_run(env, d, ot, name##_once, NULL, false)) \
    const InsnHandlerSet hs_##name = { { name##_8, name##_16, name##_32,     \
                                         name##_32 } };

IO_STRING_OP(ins)
IO_STRING_OP(outs)
