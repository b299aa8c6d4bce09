/*
 * Control transfer: Jcc, JMP, CALL, RET (near and far), LOOP, JrCXZ,
 * INT n, INT3, INTO, INT1, BOUND, IRET; the flag instructions CLC STC CMC
 * CLD STD CLI STI; HLT (SDM vol. 2).  Far transfers, IRET and gates are
 * in seg-ctrl.c.
 */
#include "target/i386/ops-common.h"
#include "target/i386/seg-ctrl.h"

DEF_SIZED_WLQ(jcc, {
    if (cpu_cc_test(env, d->opcode & 0xf)) {
        env->eip = jump_target(env, next_eip(env, d) + d->imm, ot);
    } else {
        env->eip = next_eip(env, d);
    }
})
DEF_SIZED_WLQ(jmp_rel,
              { env->eip = jump_target(env, next_eip(env, d) + d->imm, ot); })
DEF_SIZED_WLQ(call_rel, {
    uint64_t target = jump_target(env, next_eip(env, d) + d->imm, ot);
    push(env, next_eip(env, d), 1 << ot);
    env->eip = target;
})
DEF_SIZED_WLQ(ret, {
    uint64_t target = stack_load(env, env->regs[R_ESP], 1 << ot);
    target = jump_target(env, target, ot);
    set_sp(env, env->regs[R_ESP] + (1 << ot));
    env->eip = target;
})
DEF_SIZED_WLQ(ret_imm, {
    uint64_t target = stack_load(env, env->regs[R_ESP], 1 << ot);
    target = jump_target(env, target, ot);
    set_sp(env, env->regs[R_ESP] + (1 << ot) + (d->imm & 0xffff));
    env->eip = target;
})
DEF_SIZED_WLQ(jmp_E, { env->eip = jump_target(env, ld_E(env, d, ot), ot); })
DEF_SIZED_WLQ(call_E, {
    uint64_t target = jump_target(env, ld_E(env, d, ot), ot);
    push(env, next_eip(env, d), 1 << ot);
    env->eip = target;
})

/* LOOP and JrCXZ use the address-size count register. */
static inline uint64_t count_dec(CPUX86State *env, const DecodedInsn *d)
{
    uint64_t c = addr_mask(d->aflag, env->regs[R_ECX] - 1);

    reg_write(env, R_ECX, d->aflag, c);
    return c;
}

DEF_SIZED_WLQ(loop, {
    if (count_dec(env, d) != 0) {
        env->eip = jump_target(env, next_eip(env, d) + d->imm, ot);
    } else {
        env->eip = next_eip(env, d);
    }
})
DEF_SIZED_WLQ(loope, {
    bool zf = cpu_cc_compute_all(env) & CC_Z;
    if (count_dec(env, d) != 0 && zf) {
        env->eip = jump_target(env, next_eip(env, d) + d->imm, ot);
    } else {
        env->eip = next_eip(env, d);
    }
})
DEF_SIZED_WLQ(loopne, {
    bool zf = cpu_cc_compute_all(env) & CC_Z;
    if (count_dec(env, d) != 0 && !zf) {
        env->eip = jump_target(env, next_eip(env, d) + d->imm, ot);
    } else {
        env->eip = next_eip(env, d);
    }
})
DEF_SIZED_WLQ(jcxz, {
    if (addr_mask(d->aflag, env->regs[R_ECX]) == 0) {
        env->eip = jump_target(env, next_eip(env, d) + d->imm, ot);
    } else {
        env->eip = next_eip(env, d);
    }
})

/* Far transfers: the work is in seg-ctrl.c. */
DEF_SIZED_WLQ(ljmp_far,
              { helper_ljmp(env, d->imm2, d->imm, ot, next_eip(env, d)); })
DEF_SIZED_WLQ(lcall_far,
              { helper_lcall(env, d->imm2, d->imm, ot, next_eip(env, d)); })
/* FF /5, FF /3: offset then selector in memory. */
DEF_SIZED_WLQ(ljmp_E, {
    uint64_t ea = insn_ea(env, d);
    uint64_t off = ld_seg(env, d->seg, ea, 1 << ot);
    uint16_t sel = ld_seg(env, d->seg, addr_mask(d->aflag, ea + (1 << ot)), 2);
    helper_ljmp(env, sel, off, ot, next_eip(env, d));
})
DEF_SIZED_WLQ(lcall_E, {
    uint64_t ea = insn_ea(env, d);
    uint64_t off = ld_seg(env, d->seg, ea, 1 << ot);
    uint16_t sel = ld_seg(env, d->seg, addr_mask(d->aflag, ea + (1 << ot)), 2);
    helper_lcall(env, sel, off, ot, next_eip(env, d));
})
DEF_SIZED_WLQ(lret, { helper_lret(env, ot, 0); })
DEF_SIZED_WLQ(lret_imm, { helper_lret(env, ot, d->imm & 0xffff); })
DEF_SIZED_WLQ(iret, { helper_iret(env, ot, next_eip(env, d)); })

/* INT n: IOPL-sensitive in v86 mode (no VME) (SDM vol. 3, 20.3.3). */
DEF_PLAIN(int_imm, {
    if ((env->eflags & VM_MASK) &&
        ((env->eflags & IOPL_MASK) >> IOPL_SHIFT) < 3) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    raise_interrupt(env, d->imm & 0xff, true, 0, next_eip(env, d));
})
DEF_PLAIN(int3,
          { raise_interrupt(env, EXCP03_INT3, true, 0, next_eip(env, d)); })
DEF_PLAIN(into, {
    if (cpu_cc_compute_all(env) & CC_O) {
        raise_interrupt(env, EXCP04_INTO, true, 0, next_eip(env, d));
    }
    env->eip = next_eip(env, d);
})
/* ICEBP: a #DB trap without the gate DPL check. */
DEF_PLAIN(int1, {
    env->dr[6] |= 0; /* ICEBP sets no DR6 bit */
    raise_interrupt(env, EXCP01_DB, false, 0, next_eip(env, d));
})

/* BOUND r, m: #BR unless lower <= r <= upper (signed). */
DEF_SIZED_WLQ(bound, {
    uint64_t ea = insn_ea(env, d);
    int size = 1 << ot;
    int64_t lo = sext_ot(ld_seg(env, d->seg, ea, size), ot);
    int64_t hi =
        sext_ot(ld_seg(env, d->seg, addr_mask(d->aflag, ea + size), size), ot);
    int64_t v = sext_ot(reg_read(env, d->reg, ot), ot);
    if (v < lo || v > hi) {
        raise_exception(env, EXCP05_BOUND);
    }
})

DEF_PLAIN(clc, { cpu_load_eflags(env, 0, CC_C); })
DEF_PLAIN(stc, { cpu_load_eflags(env, CC_C, CC_C); })
DEF_PLAIN(cmc, { cpu_load_eflags(env, cpu_cc_compute_all(env) ^ CC_C, CC_C); })
DEF_PLAIN(cld, { env->eflags &= ~DF_MASK; })
DEF_PLAIN(std, { env->eflags |= DF_MASK; })

/* CLI/STI: CPL <= IOPL in protected mode, IOPL 3 in v86 (no PVI/VME). */
static void check_iopl(CPUX86State *env)
{
    uint32_t iopl = (env->eflags & IOPL_MASK) >> IOPL_SHIFT;

    if (env->eflags & VM_MASK) {
        if (iopl != 3) {
            raise_exception_err(env, EXCP0D_GPF, 0);
        }
    } else if ((env->cr[0] & CR0_PE_MASK) && cpu_cpl(env) > iopl) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
}

DEF_PLAIN(cli, {
    check_iopl(env);
    env->eflags &= ~IF_MASK;
})
/* STI: interrupts stay blocked for one more instruction if IF was 0. */
DEF_PLAIN(sti, {
    check_iopl(env);
    if (!(env->eflags & IF_MASK)) {
        env->hflags |= HF_INHIBIT_IRQ_MASK;
        env->inhibit_irq_just_set = true;
    }
    env->eflags |= IF_MASK;
})

DEF_PLAIN(hlt, {
    if ((env->cr[0] & CR0_PE_MASK) && cpu_cpl(env) != 0) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    env->halted = true;
    env->exit_tb = true;
})
