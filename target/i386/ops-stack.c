/*
 * The stack: PUSH/POP of registers, immediates, memory and segment
 * registers, PUSHA/POPA, PUSHF/POPF, ENTER/LEAVE (SDM vol. 2).
 */
#include "target/i386/ops-common.h"

DEF_SIZED_WLQ(push_R, { push(env, reg_read(env, d->reg, ot), 1 << ot); })
/* POP rSP: the popped value wins over the increment. */
DEF_SIZED_WLQ(pop_R, {
    uint64_t v = pop(env, 1 << ot);
    reg_write(env, d->reg, ot, v);
})
DEF_SIZED_WLQ(push_I, { push(env, d->imm & ot_mask(ot), 1 << ot); })
DEF_SIZED_WLQ(push_E, { push(env, ld_E(env, d, ot), 1 << ot); })
/*
 * POP r/m: the address is computed with rSP already incremented (SDM
 * vol. 2, POP), and nothing changes if the store faults.
 */
DEF_SIZED_WLQ(pop_E, {
    uint64_t old_sp = env->regs[R_ESP];
    uint64_t v = stack_load(env, old_sp, 1 << ot);
    uint64_t ea, lin;

    if (d->mod3) {
        set_sp(env, old_sp + (1 << ot));
        reg_write(env, d->rm, ot, v);
        return;
    }
    set_sp(env, old_sp + (1 << ot));
    ea = insn_ea(env, d);
    env->regs[R_ESP] = old_sp; /* committed only if the store works */
    lin = seg_lin(env, d->seg, ea, 1 << ot, true);
    cpu_st_lin(env, lin, v, 1 << ot, mmu_idx(env));
    set_sp(env, old_sp + (1 << ot));
})

static int sreg_of_opcode(const DecodedInsn *d)
{
    switch (d->opcode) {
    case 0x06:
    case 0x07:
        return R_ES;
    case 0x0e:
        return R_CS;
    case 0x16:
    case 0x17:
        return R_SS;
    case 0x1e:
    case 0x1f:
        return R_DS;
    case 0x1a0:
    case 0x1a1:
        return R_FS;
    default:
        return R_GS;
    }
}

/*
 * PUSH Sreg: a 32-bit push writes the selector into the low word; recent
 * CPUs leave the upper half of the slot unchanged (SDM vol. 2, PUSH).
 */
DEF_SIZED_WLQ(push_sreg, {
    uint16_t sel = env->segs[sreg_of_opcode(d)].selector;
    if (ot == OT_WORD) {
        push(env, sel, 2);
    } else {
        uint64_t sp = (env->regs[R_ESP] - (1 << ot)) & stack_mask(env);
        stack_store(env, sp + 2, sel, 2);
        set_sp(env, sp);
    }
})
DEF_SIZED_WLQ(pop_sreg, {
    int seg = sreg_of_opcode(d);
    uint16_t sel = stack_load(env, env->regs[R_ESP], 1 << ot);
    helper_load_seg(env, seg, sel);
    set_sp(env, env->regs[R_ESP] + (1 << ot));
    if (seg == R_SS && !(env->hflags & HF_INHIBIT_IRQ_MASK)) {
        env->hflags |= HF_INHIBIT_IRQ_MASK;
        env->inhibit_irq_just_set = true;
        env->dbg_inhibit = true;
    }
})

/* PUSHA: AX CX DX BX (original SP) BP SI DI. */
DEF_SIZED_WLQ(pusha, {
    uint64_t sp = env->regs[R_ESP];
    int size = 1 << ot;
    uint64_t lo = (sp - 8 * size) & stack_mask(env);
    env->stack_access = true;
    cpu_probe_write(env, seg_lin(env, R_SS, lo, 8 * size, true), 8 * size,
                    mmu_idx(env));
    env->stack_access = false;
    for (int r = R_EAX; r <= R_EDI; r++) {
        sp = stack_store(env, sp, reg_read(env, r, ot), size);
    }
    set_sp(env, sp);
})
/* POPA: the SP slot is skipped. */
DEF_SIZED_WLQ(popa, {
    uint64_t sp = env->regs[R_ESP];
    int size = 1 << ot;
    uint64_t v[8];
    for (int i = 7; i >= 0; i--) {
        v[i] = stack_load(env, sp, size);
        sp += size;
    }
    for (int r = R_EAX; r <= R_EDI; r++) {
        if (r != R_ESP) {
            reg_write(env, r, ot, v[r]);
        }
    }
    set_sp(env, sp);
})

/*
 * PUSHF: in v86 mode with IOPL < 3, #GP (no VME).  VM and RF read as 0
 * in the pushed image (SDM vol. 2, PUSHF).
 */
DEF_SIZED_WLQ(pushf, {
    uint32_t f = cpu_compute_eflags(env) & ~(VM_MASK | RF_MASK);
    if ((env->eflags & VM_MASK) &&
        ((env->eflags & IOPL_MASK) >> IOPL_SHIFT) < 3) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    push(env, f, 1 << ot);
})

/*
 * POPF: which bits may change depends on the mode, CPL and IOPL (SDM
 * vol. 2, POPF, table "Effect of POPF").
 */
DEF_SIZED_WLQ(popf, {
    uint32_t cpl = cpu_cpl(env);
    uint32_t iopl = (env->eflags & IOPL_MASK) >> IOPL_SHIFT;
    uint32_t mask = CC_ALL | TF_MASK | DF_MASK | NT_MASK | AC_MASK | ID_MASK;
    uint32_t v;

    if ((env->eflags & VM_MASK) && iopl < 3) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    v = stack_load(env, env->regs[R_ESP], 1 << ot);
    if (env->eflags & VM_MASK) {
        mask |= IF_MASK; /* IOPL == 3 here; IOPL itself is kept */
    } else {
        if (cpl == 0) {
            mask |= IOPL_MASK | IF_MASK;
        } else if (cpl <= iopl) {
            mask |= IF_MASK;
        }
    }
    if (ot == OT_WORD) {
        mask &= 0xffff;
    }
    set_sp(env, env->regs[R_ESP] + (1 << ot));
    cpu_load_eflags(env, v, mask);
})

/* ENTER size, level (SDM vol. 2, ENTER). */
DEF_SIZED_WLQ(enter, {
    int size = 1 << ot;
    uint32_t alloc = d->imm & 0xffff;
    int level = d->imm2 & 31;
    uint64_t m = stack_mask(env);
    uint64_t sp = env->regs[R_ESP];
    uint64_t bp = env->regs[R_EBP];
    uint64_t frame;

    sp = stack_store(env, sp, reg_read(env, R_EBP, ot), size);
    frame = sp;
    if (level > 0) {
        for (int i = 1; i < level; i++) {
            bp = (bp - size) & m;
            sp = stack_store(env, sp, stack_load(env, bp, size), size);
        }
        sp = stack_store(env, sp, frame, size);
    }
    sp = (sp - alloc) & m;
    /* The final stack pointer must be inside the stack segment. */
    if (!(env->hflags & HF_CS64_MASK)) {
        env->stack_access = true;
        seg_lin(env, R_SS, sp, 1, true);
        env->stack_access = false;
    }
    reg_write(env, R_EBP, ot, frame);
    set_sp(env, sp);
})

/* LEAVE: rSP = rBP, then pop rBP. */
DEF_SIZED_WLQ(leave, {
    uint64_t bp = env->regs[R_EBP] & stack_mask(env);
    uint64_t v = stack_load(env, bp, 1 << ot);
    set_sp(env, bp + (1 << ot));
    reg_write(env, R_EBP, ot, v);
})
