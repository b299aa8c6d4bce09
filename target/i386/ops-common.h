/*
 * Helpers every instruction handler uses: register operands by size,
 * effective and linear addresses with segment checks, the r/m operand,
 * the stack, and recording flags.
 */
#ifndef TARGET_I386_OPS_COMMON_H
#define TARGET_I386_OPS_COMMON_H

#include "qemu/osdep.h"
#include "exec/cpu-ldst.h"
#include "target/i386/cpu.h"
#include "target/i386/decode.h"
#include "target/i386/ops.h"
#include "target/i386/seg.h"

static QEMU_ALWAYS_INLINE uint64_t ot_mask(int ot)
{
    return ot == OT_QUAD ? ~0ull : (1ull << (8 << ot)) - 1;
}

static inline int ot_bits(int ot)
{
    return 8 << ot;
}

static inline int64_t sext_ot(uint64_t v, int ot)
{
    int shift = 64 - ot_bits(ot);

    return (int64_t)(v << shift) >> shift;
}

/* Reads register reg at size ot (byte registers: see REG_AH). */
static QEMU_ALWAYS_INLINE uint64_t reg_read(CPUX86State *env, int reg, int ot)
{
    switch (ot) {
    case OT_BYTE:
        return reg >= REG_AH ? (env->regs[reg - REG_AH] >> 8) & 0xff
                             : env->regs[reg] & 0xff;
    case OT_WORD:
        return env->regs[reg] & 0xffff;
    case OT_LONG:
        return (uint32_t)env->regs[reg];
    default:
        return env->regs[reg];
    }
}

/*
 * Writes register reg at size ot.  A 32-bit write clears bits 63-32
 * (SDM vol. 1, 3.4.1.1); 8- and 16-bit writes keep the other bits.
 */
static QEMU_ALWAYS_INLINE void reg_write(CPUX86State *env, int reg, int ot,
                                         uint64_t v)
{
    switch (ot) {
    case OT_BYTE:
        if (reg >= REG_AH) {
            uint64_t *r = &env->regs[reg - REG_AH];
            *r = (*r & ~0xff00ull) | ((v & 0xff) << 8);
        } else {
            env->regs[reg] = (env->regs[reg] & ~0xffull) | (v & 0xff);
        }
        break;
    case OT_WORD:
        env->regs[reg] = (env->regs[reg] & ~0xffffull) | (v & 0xffff);
        break;
    case OT_LONG:
        env->regs[reg] = (uint32_t)v;
        break;
    default:
        env->regs[reg] = v;
        break;
    }
}

/* Masks an address to the address size (16, 32 or 64 bits). */
static QEMU_ALWAYS_INLINE uint64_t addr_mask(int aflag, uint64_t a)
{
    return aflag == OT_WORD ? (a & 0xffff) : aflag == OT_LONG ? (uint32_t)a : a;
}

/* The effective address (offset in the segment) of the memory operand. */
static QEMU_ALWAYS_INLINE uint64_t insn_ea(CPUX86State *env,
                                           const DecodedInsn *d)
{
    uint64_t ea = (int64_t)d->disp;

    if (d->base != NO_REG) {
        ea += d->base == RIP_REG ? env->eip + d->len : env->regs[d->base];
    }
    if (d->index != NO_REG) {
        ea += env->regs[d->index] << d->scale;
    }
    return addr_mask(d->aflag, ea);
}

/* Raises #GP(0), or #SS(0) for the stack segment (SDM vol. 3, 6.15). */
QEMU_NORETURN void x86_seg_fault(CPUX86State *env, int seg);

static QEMU_ALWAYS_INLINE bool seg_ok_fast(const SegmentCache *s, uint64_t ea,
                                           int size)
{
    /* A present, writable, expand-up data segment: the common case. */
    const uint32_t want = DESC_P_MASK | DESC_S_MASK | DESC_W_MASK;
    const uint32_t care = want | DESC_CS_MASK | DESC_E_MASK;

    return (s->flags & care) == want && ea + size - 1 <= s->limit;
}

/*
 * The linear address of size bytes at offset ea in segment seg, after the
 * limit and type checks of the current mode (none in 64-bit mode, where
 * only FS and GS have a base).
 */
static QEMU_ALWAYS_INLINE uint64_t seg_lin(CPUX86State *env, int seg,
                                           uint64_t ea, int size, bool write)
{
    const SegmentCache *s = &env->segs[seg];
    uint64_t lin;

    if (env->hflags & HF_CS64_MASK) {
        lin = (seg >= R_FS ? s->base : 0) + ea;
    } else {
        if (unlikely(!seg_ok_fast(s, ea, size)) &&
            !x86_seg_check_mode(env, s, ea, size, write)) {
            x86_seg_fault(env, seg);
        }
        lin = (uint32_t)(s->base + ea);
    }
    if (unlikely(env->hflags & HF_AC_MASK) && (lin & (size - 1))) {
        raise_exception_err(env, EXCP11_ALGN, 0);
    }
    return lin;
}

static QEMU_ALWAYS_INLINE int mmu_idx(CPUX86State *env)
{
    return cpu_mmu_index(env);
}

/* Loads/stores size bytes at seg:ea. */
static QEMU_ALWAYS_INLINE uint64_t ld_seg(CPUX86State *env, int seg,
                                          uint64_t ea, int size)
{
    return cpu_ld_lin(env, seg_lin(env, seg, ea, size, false), size,
                      mmu_idx(env));
}

static QEMU_ALWAYS_INLINE void st_seg(CPUX86State *env, int seg, uint64_t ea,
                                      int size, uint64_t v)
{
    cpu_st_lin(env, seg_lin(env, seg, ea, size, true), v, size, mmu_idx(env));
}

/* The r/m operand: a register, or memory at the decoded address. */
static QEMU_ALWAYS_INLINE uint64_t ld_E(CPUX86State *env, const DecodedInsn *d,
                                        int ot)
{
    if (d->mod3) {
        return reg_read(env, d->rm, ot);
    }
    return ld_seg(env, d->seg, insn_ea(env, d), 1 << ot);
}

static QEMU_ALWAYS_INLINE void st_E(CPUX86State *env, const DecodedInsn *d,
                                    int ot, uint64_t v)
{
    if (d->mod3) {
        reg_write(env, d->rm, ot, v);
    } else {
        st_seg(env, d->seg, insn_ea(env, d), 1 << ot, v);
    }
}

/*
 * Read-modify-write of the r/m operand: lin_E_rmw() checks the segment
 * for writing and returns the linear address (or -1 for a register);
 * ld_rmw() reads with write intent, st_rmw() writes back.
 */
static QEMU_ALWAYS_INLINE uint64_t lin_E_rmw(CPUX86State *env,
                                             const DecodedInsn *d, int ot)
{
    if (d->mod3) {
        return (uint64_t)-1;
    }
    return seg_lin(env, d->seg, insn_ea(env, d), 1 << ot, true);
}

static QEMU_ALWAYS_INLINE uint64_t ld_rmw(CPUX86State *env,
                                          const DecodedInsn *d, uint64_t lin,
                                          int ot)
{
    if (d->mod3) {
        return reg_read(env, d->rm, ot);
    }
    return cpu_ld_lin_rmw(env, lin, 1 << ot, mmu_idx(env));
}

static QEMU_ALWAYS_INLINE void st_rmw(CPUX86State *env, const DecodedInsn *d,
                                      uint64_t lin, int ot, uint64_t v)
{
    if (d->mod3) {
        reg_write(env, d->rm, ot, v);
    } else {
        cpu_st_lin(env, lin, v, 1 << ot, mmu_idx(env));
    }
}

/* ---- the stack ---- */

/* Stack address size: 8 in 64-bit mode, else 4 or 2 by SS.B. */
static QEMU_ALWAYS_INLINE int stack_addr_size(CPUX86State *env)
{
    if (env->hflags & HF_CS64_MASK) {
        return 8;
    }
    return (env->hflags & HF_SS32_MASK) ? 4 : 2;
}

static QEMU_ALWAYS_INLINE uint64_t stack_mask(CPUX86State *env)
{
    int s = stack_addr_size(env);

    return s == 8 ? ~0ull : s == 4 ? 0xffffffffull : 0xffffull;
}

/* Updates SP/ESP/RSP keeping the bits outside the stack size. */
static QEMU_ALWAYS_INLINE void set_sp(CPUX86State *env, uint64_t sp)
{
    uint64_t m = stack_mask(env);

    if (m == 0xffffffffull) {
        env->regs[R_ESP] = (uint32_t)sp; /* like any 32-bit write */
    } else {
        env->regs[R_ESP] = (env->regs[R_ESP] & ~m) | (sp & m);
    }
}

/* Stores v (size bytes) at SS:sp - size; returns the new sp (uncommitted). */
static QEMU_ALWAYS_INLINE uint64_t stack_store(CPUX86State *env, uint64_t sp,
                                               uint64_t v, int size)
{
    uint64_t m = stack_mask(env);
    uint64_t lin;

    sp = (sp - size) & m;
    env->stack_access = true;
    lin = seg_lin(env, R_SS, sp, size, true);
    cpu_st_lin(env, lin, v, size, mmu_idx(env));
    env->stack_access = false;
    return sp;
}

static QEMU_ALWAYS_INLINE uint64_t stack_load(CPUX86State *env, uint64_t sp,
                                              int size)
{
    uint64_t lin, v;

    env->stack_access = true;
    lin = seg_lin(env, R_SS, sp & stack_mask(env), size, false);
    v = cpu_ld_lin(env, lin, size, mmu_idx(env));
    env->stack_access = false;
    return v;
}

static QEMU_ALWAYS_INLINE void push(CPUX86State *env, uint64_t v, int size)
{
    set_sp(env, stack_store(env, env->regs[R_ESP], v, size));
}

static QEMU_ALWAYS_INLINE uint64_t pop(CPUX86State *env, int size)
{
    uint64_t v = stack_load(env, env->regs[R_ESP], size);

    set_sp(env, env->regs[R_ESP] + size);
    return v;
}

/* ---- flags ---- */

static QEMU_ALWAYS_INLINE void set_cc(CPUX86State *env, CCOp op, uint64_t dst,
                                      uint64_t src)
{
    env->cc_op = op;
    env->cc_dst = dst;
    env->cc_src = src;
}

/* The CCOp for an operation family at a size: CC_OP_ADDB + ot. */
#define CC_OP(name, ot) ((CCOp)(CC_OP_##name##B + (ot)))

/* The next instruction's EIP (for CALL, relative jumps, traps). */
static QEMU_ALWAYS_INLINE uint64_t next_eip(CPUX86State *env,
                                            const DecodedInsn *d)
{
    return env->eip + d->len;
}

/*
 * The EIP a near jump to target with operand size ot lands on, checked
 * against the CS limit (or for canonical form in 64-bit mode): #GP(0)
 * before anything is committed (SDM vol. 2, JMP/CALL).
 */
static inline uint64_t jump_target(CPUX86State *env, uint64_t target, int ot)
{
    target = ot == OT_WORD   ? (target & 0xffff)
             : ot == OT_LONG ? (uint32_t)target
                             : target;
    if (env->hflags & HF_CS64_MASK) {
        if ((uint64_t)(((int64_t)target << 16) >> 16) != target) {
            raise_exception_err(env, EXCP0D_GPF, 0);
        }
    } else if (target > env->segs[R_CS].limit) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    return target;
}

/*
 * Handler templates (STYLE.md: one body, expanded per size).  The body
 * sees `ot`, the operand size, as a constant.
 *
 * DEF_SIZED(name, body):      NAME_8/16/32/64 and hs_NAME
 * DEF_SIZED_WLQ(name, body):  NAME_16/32/64 and hs_NAME (no byte form)
 * DEF_PLAIN(name, body):      op_NAME for every size, hs_NAME
 */
/* clang-format off */
#define DEF_SIZED_ONE(name, OT, ...)                                           \
    static void name(CPUX86State *env, const DecodedInsn *d)                   \
    {                                                                          \
        const int ot __attribute__((unused)) = OT;                             \
        __VA_ARGS__                                                            \
    }
#define DEF_SIZED(name, ...)                                                   \
    DEF_SIZED_ONE(name##_8, OT_BYTE, __VA_ARGS__)                              \
    DEF_SIZED_ONE(name##_16, OT_WORD, __VA_ARGS__)                             \
    DEF_SIZED_ONE(name##_32, OT_LONG, __VA_ARGS__)                             \
    DEF_SIZED_ONE(name##_64, OT_QUAD, __VA_ARGS__)                             \
    DEF_HS4(name, name);
#define DEF_SIZED_WLQ(name, ...)                                               \
    DEF_SIZED_ONE(name##_16, OT_WORD, __VA_ARGS__)                             \
    DEF_SIZED_ONE(name##_32, OT_LONG, __VA_ARGS__)                             \
    DEF_SIZED_ONE(name##_64, OT_QUAD, __VA_ARGS__)                             \
    const InsnHandlerSet hs_##name = {                                         \
        { NULL, name##_16, name##_32, name##_64 }                              \
    };
#define DEF_PLAIN(name, ...)                                                   \
    static void op_##name(CPUX86State *env, const DecodedInsn *d)              \
    {                                                                          \
        __VA_ARGS__                                                            \
    }                                                                          \
    DEF_HS1(name, op_##name);
/* clang-format on */

#endif
