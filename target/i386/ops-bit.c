/*
 * Bit operations and atomic read-modify-writes: BT BTS BTR BTC, BSF BSR,
 * CMPXCHG, CMPXCHG8B/CMPXCHG16B, XADD (SDM vol. 2).
 *
 * There is one guest thread, so LOCK needs no extra work: every
 * read-modify-write here is already indivisible.
 */
#include "target/i386/ops-common.h"

/* Replaces one arithmetic flag, keeping the others. */
static inline void set_one_flag(CPUX86State *env, uint32_t flag, bool on)
{
    uint32_t f = cpu_cc_compute_all(env) & ~flag;

    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = f | (on ? flag : 0);
}

/* ---- BT BTS BTR BTC ---- */

enum { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };

/*
 * The bit at offset off of the bit string at the r/m operand.  With a
 * register operand, or an immediate offset, the offset is taken modulo
 * the operand size.  A register offset with a memory operand is signed
 * and may address any bit relative to the operand: the access is the
 * operand-size unit at EA + size * (offset DIV bits), rounded toward
 * minus infinity (SDM vol. 2, BT; vol. 1, 3.5.5).  CF = the bit; ZF is
 * unchanged; OF SF AF PF are undefined (we leave them unchanged).
 */
static inline void do_bt(CPUX86State *env, const DecodedInsn *d, int ot, int op,
                         uint64_t off, bool reg_offset)
{
    int bits = ot_bits(ot);
    int shift = ot + 3; /* log2(bits) */
    uint64_t bit = off & (bits - 1);
    uint64_t lin = 0, v, nv;

    if (d->mod3) {
        v = reg_read(env, d->rm, ot);
    } else {
        uint64_t ea = insn_ea(env, d);
        if (reg_offset) {
            int64_t unit = sext_ot(off, ot) >> shift;
            ea = addr_mask(d->aflag, ea + ((uint64_t)unit << ot));
        }
        if (op == BT_TEST) {
            v = ld_seg(env, d->seg, ea, 1 << ot);
        } else {
            lin = seg_lin(env, d->seg, ea, 1 << ot, true);
            v = cpu_ld_lin_rmw(env, lin, 1 << ot, mmu_idx(env));
        }
    }
    switch (op) {
    case BT_SET:
        nv = v | (1ull << bit);
        break;
    case BT_RESET:
        nv = v & ~(1ull << bit);
        break;
    case BT_COMPLEMENT:
        nv = v ^ (1ull << bit);
        break;
    default:
        nv = v;
        break;
    }
    if (op != BT_TEST) {
        if (d->mod3) {
            reg_write(env, d->rm, ot, nv);
        } else {
            cpu_st_lin(env, lin, nv, 1 << ot, mmu_idx(env));
        }
    }
    set_one_flag(env, CC_C, (v >> bit) & 1);
}

#define BT_FORMS(name, op)                                                     \
    DEF_SIZED_WLQ(name##_EG,                                                   \
                  { do_bt(env, d, ot, op, reg_read(env, d->reg, ot), true); }) \
    DEF_SIZED_WLQ(name##_EI, { do_bt(env, d, ot, op, d->imm, false); })

BT_FORMS(bt, BT_TEST)
BT_FORMS(bts, BT_SET)
BT_FORMS(btr, BT_RESET)
BT_FORMS(btc, BT_COMPLEMENT)

/* ---- BSF BSR ---- */

/*
 * Source 0: ZF = 1 and the destination is not written at all, not even
 * zero-extended (AMD documents this; Intel calls the destination
 * undefined).  Otherwise ZF = 0 and the destination gets the index.  CF
 * OF SF AF PF are undefined: we record a logical operation on the source
 * (CF = OF = AF = 0, SF PF of the source).
 */
DEF_SIZED_WLQ(bsf, {
    uint64_t v = ld_E(env, d, ot);
    if (v) {
        reg_write(env, d->reg, ot, __builtin_ctzll(v));
    }
    set_cc(env, CC_OP(LOGIC, ot), v, 0);
})
DEF_SIZED_WLQ(bsr, {
    uint64_t v = ld_E(env, d, ot);
    if (v) {
        reg_write(env, d->reg, ot, 63 - __builtin_clzll(v));
    }
    set_cc(env, CC_OP(LOGIC, ot), v, 0);
})

/* ---- CMPXCHG, XADD ---- */

/*
 * 0F B0/B1: compare rAX with the destination (flags as CMP rAX, dest); if
 * equal, dest = src, else rAX = dest.  A memory destination is written
 * either way (with its old value on failure: SDM vol. 2, CMPXCHG, "the
 * destination operand receives a write cycle"); a register destination is
 * not touched on failure, not even zero-extended, as on hardware.  On
 * success rAX is not written.
 */
DEF_SIZED(cmpxchg, {
    uint64_t lin = lin_E_rmw(env, d, ot);
    uint64_t dest = ld_rmw(env, d, lin, ot);
    uint64_t acc = reg_read(env, R_EAX, ot);
    uint64_t src = reg_read(env, d->reg, ot);

    if (acc == dest) {
        st_rmw(env, d, lin, ot, src);
    } else {
        if (!d->mod3) {
            st_rmw(env, d, lin, ot, dest);
        }
        reg_write(env, R_EAX, ot, dest);
    }
    set_cc(env, CC_OP(SUB, ot), (acc - dest) & ot_mask(ot), dest);
})

/*
 * 0F C0/C1: XADD r/m, r.  TEMP = SRC + DEST; SRC = DEST; DEST = TEMP (in
 * that order, so XADD reg, reg with the same register leaves the sum).
 * Flags as ADD.
 */
DEF_SIZED(xadd, {
    uint64_t lin = lin_E_rmw(env, d, ot);
    uint64_t dest = ld_rmw(env, d, lin, ot);
    uint64_t src = reg_read(env, d->reg, ot);
    uint64_t sum = (dest + src) & ot_mask(ot);

    if (d->mod3) {
        reg_write(env, d->reg, ot, dest);
        reg_write(env, d->rm, ot, sum);
    } else {
        st_rmw(env, d, lin, ot, sum);
        reg_write(env, d->reg, ot, dest);
    }
    set_cc(env, CC_OP(ADD, ot), sum, src);
})

/*
 * 0F C7 /1: CMPXCHG8B m64 compares EDX:EAX with m64: equal, m64 =
 * ECX:EBX; else EDX:EAX = m64 (and m64 is rewritten with its value).
 * With REX.W it is CMPXCHG16B m128 on RDX:RAX and RCX:RBX, whose operand
 * must be 16-byte aligned (#GP(0)).  Only ZF changes.  The operand size
 * prefix does not matter.
 */
static void cmpxchg8b(CPUX86State *env, const DecodedInsn *d)
{
    uint64_t ea = insn_ea(env, d);
    int idx = mmu_idx(env);
    bool eq;

    if (d->flags & INSN_REX_W) {
        /* 64-bit mode only (REX): no segment limits, so a 1-byte check
         * gives the linear address without an #AC check before #GP. */
        uint64_t lin = seg_lin(env, d->seg, ea, 1, true);
        uint64_t lo, hi;

        if (lin & 15) {
            raise_exception_err(env, EXCP0D_GPF, 0);
        }
        lo = cpu_ld_lin_rmw(env, lin, 8, idx);
        hi = cpu_ld_lin_rmw(env, lin + 8, 8, idx);
        eq = lo == env->regs[R_EAX] && hi == env->regs[R_EDX];
        if (eq) {
            cpu_st_lin(env, lin, env->regs[R_EBX], 8, idx);
            cpu_st_lin(env, lin + 8, env->regs[R_ECX], 8, idx);
        } else {
            cpu_st_lin(env, lin, lo, 8, idx);
            cpu_st_lin(env, lin + 8, hi, 8, idx);
            env->regs[R_EAX] = lo;
            env->regs[R_EDX] = hi;
        }
    } else {
        uint64_t lin = seg_lin(env, d->seg, ea, 8, true);
        uint64_t v = cpu_ld_lin_rmw(env, lin, 8, idx);
        uint64_t cmp = ((uint64_t)(uint32_t)env->regs[R_EDX] << 32) |
                       (uint32_t)env->regs[R_EAX];

        eq = v == cmp;
        if (eq) {
            cpu_st_lin(env, lin,
                       ((uint64_t)(uint32_t)env->regs[R_ECX] << 32) |
                           (uint32_t)env->regs[R_EBX],
                       8, idx);
        } else {
            cpu_st_lin(env, lin, v, 8, idx);
            reg_write(env, R_EAX, OT_LONG, (uint32_t)v);
            reg_write(env, R_EDX, OT_LONG, v >> 32);
        }
    }
    set_one_flag(env, CC_Z, eq);
}
DEF_HS1(cmpxchg8b, cmpxchg8b);
