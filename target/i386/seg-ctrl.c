/*
 * Far control transfers: JMP/CALL far (direct to code segments, through
 * call gates and task gates, to TSSs), RET far and IRET in every mode
 * (SDM vol. 2; vol. 3, 5.8, 6.14, 7.3, 20.3).
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "target/i386/ops-common.h"
#include "target/i386/seg-ctrl.h"

/* ---- real and virtual-8086 mode ---- */

/*
 * CS in real mode: selector and base change, the cached limit and
 * attributes stay (unreal mode); v86 mode has its fixed attributes.
 */
static void load_real_cs(CPUX86State *env, uint32_t selector)
{
    if (env->eflags & VM_MASK) {
        x86_load_seg_vm86(env, R_CS, selector);
        return;
    }
    cpu_x86_load_seg_cache(env, R_CS, selector & 0xffff,
                           (uint32_t)(selector & 0xffff) << 4,
                           env->segs[R_CS].limit, env->segs[R_CS].flags);
}

static bool real_or_vm86(CPUX86State *env)
{
    return !(env->cr[0] & CR0_PE_MASK) || (env->eflags & VM_MASK);
}

/* ---- protected mode: direct transfers to code segments ---- */

/*
 * Checks a code segment descriptor for JMP/CALL far without a gate (SDM
 * vol. 2, JMP: "IF segment type is code segment").
 */
static void check_direct_code(CPUX86State *env, uint32_t selector, uint32_t e2)
{
    uint32_t cpl = cpu_cpl(env), dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    uint32_t rpl = selector & 3;

    /* L and D together are reserved in long mode. */
    if ((env->hflags & HF_LMA_MASK) && (e2 & DESC_L_MASK) &&
        (e2 & DESC_B_MASK)) {
        raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
    }
    if (e2 & DESC_C_MASK) {
        if (dpl > cpl) {
            raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
        }
    } else if (rpl > cpl || dpl != cpl) {
        raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, selector & 0xfffc);
    }
}

static uint64_t far_target(CPUX86State *env, uint64_t offset, int ot,
                           uint32_t e1, uint32_t e2)
{
    uint32_t limit = get_seg_limit(e1, e2);

    if (ot == OT_WORD) {
        offset &= 0xffff;
    } else if (ot == OT_LONG || !(e2 & DESC_L_MASK)) {
        offset = (uint32_t)offset;
    }
    if ((env->hflags & HF_LMA_MASK) && (e2 & DESC_L_MASK)) {
        /* A 64-bit target: the offset must be canonical. */
        if ((uint64_t)(((int64_t)offset << 16) >> 16) != offset) {
            raise_exception_err(env, EXCP0D_GPF, 0);
        }
    } else if (offset > limit) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    return offset;
}

void helper_ljmp(CPUX86State *env, uint32_t selector, uint64_t offset, int ot,
                 uint64_t next_eip)
{
    uint32_t e1, e2;

    selector &= 0xffff;
    if (real_or_vm86(env)) {
        /*
         * The offset is checked against the CS limit in real and v86
         * mode alike (SDM vol. 2, JMP: "IF (PE = 0 or (PE = 1 AND VM =
         * 1))... IF tempEIP is beyond code segment limit THEN #GP(0)").
         */
        offset = ot == OT_WORD ? offset & 0xffff : (uint32_t)offset;
        if (offset > env->segs[R_CS].limit) {
            raise_exception_err(env, EXCP0D_GPF, 0);
        }
        load_real_cs(env, selector);
        env->eip = offset;
        return;
    }
    if ((selector & 0xfffc) == 0) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    if (!cpu_x86_read_descriptor(env, selector, &e1, &e2)) {
        raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
    }
    if (e2 & DESC_S_MASK) {
        if (!(e2 & DESC_CS_MASK)) {
            raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
        }
        check_direct_code(env, selector, e2);
        offset = far_target(env, offset, ot, e1, e2);
        x86_desc_set_accessed(env, selector, &e2);
        cpu_x86_load_seg_cache(env, R_CS, (selector & 0xfffc) | cpu_cpl(env),
                               get_seg_base(e1, e2), get_seg_limit(e1, e2), e2);
        env->eip = offset;
        return;
    }
    x86_far_gate(env, selector, e1, e2, ot, next_eip, false);
}

void helper_lcall(CPUX86State *env, uint32_t selector, uint64_t offset, int ot,
                  uint64_t next_eip)
{
    uint32_t e1, e2;
    int size = 1 << ot;

    selector &= 0xffff;
    if (real_or_vm86(env)) {
        uint64_t sp = env->regs[R_ESP];

        offset = ot == OT_WORD ? offset & 0xffff : (uint32_t)offset;
        if (offset > env->segs[R_CS].limit) {
            raise_exception_err(env, EXCP0D_GPF, 0);
        }
        sp = stack_store(env, sp, env->segs[R_CS].selector, size);
        sp = stack_store(env, sp, next_eip, size);
        set_sp(env, sp);
        load_real_cs(env, selector);
        env->eip = offset;
        return;
    }
    if ((selector & 0xfffc) == 0) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    if (!cpu_x86_read_descriptor(env, selector, &e1, &e2)) {
        raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
    }
    if (e2 & DESC_S_MASK) {
        uint64_t sp = env->regs[R_ESP];

        if (!(e2 & DESC_CS_MASK)) {
            raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
        }
        check_direct_code(env, selector, e2);
        offset = far_target(env, offset, ot, e1, e2);
        sp = stack_store(env, sp, env->segs[R_CS].selector, size);
        sp = stack_store(env, sp, next_eip, size);
        x86_desc_set_accessed(env, selector, &e2);
        set_sp(env, sp);
        cpu_x86_load_seg_cache(env, R_CS, (selector & 0xfffc) | cpu_cpl(env),
                               get_seg_base(e1, e2), get_seg_limit(e1, e2), e2);
        env->eip = offset;
        return;
    }
    x86_far_gate(env, selector, e1, e2, ot, next_eip, true);
}

/*
 * After a return to an outer level, data segment registers the new CPL
 * may not use are nulled (SDM vol. 2, RET: "FOR each of ES, FS, GS, DS").
 */
static void validate_seg(CPUX86State *env, int seg)
{
    uint32_t f = env->segs[seg].flags;
    uint32_t dpl = (f >> DESC_DPL_SHIFT) & 3;

    if ((env->segs[seg].selector & 0xfffc) == 0) {
        return;
    }
    if (!(f & DESC_CS_MASK) || !(f & DESC_C_MASK)) {
        if (dpl < cpu_cpl(env)) {
            cpu_x86_load_seg_cache(env, seg, 0, 0, 0, 0);
        }
    }
}

/*
 * The common part of RET far and IRET in protected mode: pops CS:EIP
 * (and for IRET the flags), and SS:ESP on a return to an outer level.
 * is_iret selects the flags handling.
 */
static void protected_return(CPUX86State *env, int ot, uint32_t imm,
                             bool is_iret)
{
    int size = 1 << ot;
    uint64_t sp = env->regs[R_ESP];
    uint64_t m = stack_mask(env);
    uint64_t new_eip, new_cs, new_eflags = 0, new_esp = 0, new_ss = 0;
    uint32_t e1, e2, ss_e1 = 0, ss_e2 = 0;
    uint32_t cpl = cpu_cpl(env), rpl, dpl;
    bool pop_ss;

    new_eip = stack_load(env, sp, size);
    new_cs = stack_load(env, (sp + size) & m, size) & 0xffff;
    sp = (sp + 2 * size) & m;
    if (is_iret) {
        new_eflags = stack_load(env, sp, size);
        sp = (sp + size) & m;
        if (ot != OT_WORD && (new_eflags & VM_MASK) && cpl == 0) {
            x86_iret_to_vm86(env, new_eip, new_cs, new_eflags, sp);
            return;
        }
    }
    rpl = new_cs & 3;
    if ((new_cs & 0xfffc) == 0) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    if (!cpu_x86_read_descriptor(env, new_cs, &e1, &e2)) {
        raise_exception_err(env, EXCP0D_GPF, new_cs & 0xfffc);
    }
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) || rpl < cpl) {
        raise_exception_err(env, EXCP0D_GPF, new_cs & 0xfffc);
    }
    dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if (e2 & DESC_C_MASK) {
        if (dpl > rpl) {
            raise_exception_err(env, EXCP0D_GPF, new_cs & 0xfffc);
        }
    } else if (dpl != rpl) {
        raise_exception_err(env, EXCP0D_GPF, new_cs & 0xfffc);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, new_cs & 0xfffc);
    }
    sp = (sp + imm) & m;
    /*
     * A return to an outer level pops SS:ESP too, and so does every IRET
     * that starts in 64-bit mode (SDM vol. 2, IRET: IA-32e-MODE).
     */
    pop_ss = rpl > cpl || (is_iret && (env->hflags & HF_CS64_MASK));
    if (pop_ss) {
        new_esp = stack_load(env, sp, size);
        new_ss = stack_load(env, (sp + size) & m, size) & 0xffff;
        /* A null SS is allowed only when returning to 64-bit mode at
         * CPL < 3. */
        if ((new_ss & 0xfffc) == 0 &&
            !((env->hflags & HF_LMA_MASK) && (e2 & DESC_L_MASK) && rpl != 3)) {
            raise_exception_err(env, EXCP0D_GPF, 0);
        }
        if (new_ss & 0xfffc) {
            if ((new_ss & 3) != rpl ||
                !cpu_x86_read_descriptor(env, new_ss, &ss_e1, &ss_e2)) {
                raise_exception_err(env, EXCP0D_GPF, new_ss & 0xfffc);
            }
            if (!(ss_e2 & DESC_S_MASK) || (ss_e2 & DESC_CS_MASK) ||
                !(ss_e2 & DESC_W_MASK) ||
                ((ss_e2 >> DESC_DPL_SHIFT) & 3) != rpl) {
                raise_exception_err(env, EXCP0D_GPF, new_ss & 0xfffc);
            }
            if (!(ss_e2 & DESC_P_MASK)) {
                raise_exception_err(env, EXCP0C_STACK, new_ss & 0xfffc);
            }
        }
    }
    new_eip = far_target(env, new_eip, ot, e1, e2);

    /* Commit. */
    x86_desc_set_accessed(env, new_cs, &e2);
    if (is_iret) {
        uint32_t mask =
            CC_ALL | TF_MASK | DF_MASK | NT_MASK | RF_MASK | AC_MASK | ID_MASK;
        uint32_t iopl = (env->eflags & IOPL_MASK) >> IOPL_SHIFT;

        if (cpl == 0) {
            mask |= IOPL_MASK | IF_MASK | VIF_MASK | VIP_MASK;
        } else if (cpl <= iopl) {
            mask |= IF_MASK;
        }
        if (ot == OT_WORD) {
            mask &= 0xffff;
        }
        cpu_load_eflags(env, new_eflags, mask);
        env->nmi_blocked = false;
    }
    if (pop_ss) {
        if (new_ss & 0xfffc) {
            x86_desc_set_accessed(env, new_ss, &ss_e2);
            cpu_x86_load_seg_cache(env, R_SS, new_ss,
                                   get_seg_base(ss_e1, ss_e2),
                                   get_seg_limit(ss_e1, ss_e2), ss_e2);
        } else {
            cpu_x86_load_seg_cache(env, R_SS, new_ss, 0, 0,
                                   rpl << DESC_DPL_SHIFT);
        }
        cpu_x86_load_seg_cache(env, R_CS, new_cs, get_seg_base(e1, e2),
                               get_seg_limit(e1, e2), e2);
        /* ESP at the new stack size. */
        if (env->hflags & HF_CS64_MASK) {
            env->regs[R_ESP] = new_esp;
        } else {
            set_sp(env, (new_esp + imm));
        }
        if (rpl > cpl) {
            validate_seg(env, R_ES);
            validate_seg(env, R_DS);
            validate_seg(env, R_FS);
            validate_seg(env, R_GS);
        }
    } else {
        cpu_x86_load_seg_cache(env, R_CS, new_cs, get_seg_base(e1, e2),
                               get_seg_limit(e1, e2), e2);
        set_sp(env, sp);
    }
    env->eip = new_eip;
}

void helper_lret(CPUX86State *env, int ot, uint32_t imm)
{
    if (real_or_vm86(env)) {
        int size = 1 << ot;
        uint64_t sp = env->regs[R_ESP];
        uint64_t m = stack_mask(env);
        uint64_t ip = stack_load(env, sp, size);
        uint32_t cs = stack_load(env, (sp + size) & m, size) & 0xffff;

        ip = ot == OT_WORD ? ip & 0xffff : (uint32_t)ip;
        if (ip > env->segs[R_CS].limit) {
            raise_exception_err(env, EXCP0D_GPF, 0);
        }
        set_sp(env, sp + 2 * size + imm);
        load_real_cs(env, cs);
        env->eip = ip;
        return;
    }
    protected_return(env, ot, imm, false);
}

void helper_iret(CPUX86State *env, int ot, uint64_t next_eip)
{
    if (!(env->cr[0] & CR0_PE_MASK)) {
        /* Real mode (SDM vol. 2, IRET: REAL-ADDRESS-MODE). */
        int size = 1 << ot;
        uint64_t sp = env->regs[R_ESP];
        uint64_t m = stack_mask(env);
        uint64_t ip = stack_load(env, sp, size);
        uint32_t cs = stack_load(env, (sp + size) & m, size) & 0xffff;
        uint32_t fl = stack_load(env, (sp + 2 * size) & m, size);
        uint32_t mask =
            CC_ALL | TF_MASK | IF_MASK | DF_MASK | IOPL_MASK | NT_MASK;

        if (ot == OT_LONG) {
            mask |= AC_MASK | ID_MASK | RF_MASK;
        }
        ip = ot == OT_WORD ? ip & 0xffff : (uint32_t)ip;
        if (ip > env->segs[R_CS].limit) {
            raise_exception_err(env, EXCP0D_GPF, 0);
        }
        set_sp(env, sp + 3 * size);
        load_real_cs(env, cs);
        env->eip = ip;
        cpu_load_eflags(env, fl, mask);
        env->nmi_blocked = false;
        return;
    }
    if (env->eflags & VM_MASK) {
        x86_iret_in_vm86(env, ot);
        return;
    }
    if (env->eflags & NT_MASK) {
        if (env->hflags & HF_LMA_MASK) {
            raise_exception_err(env, EXCP0D_GPF, 0);
        }
        x86_iret_task_return(env, next_eip);
        return;
    }
    protected_return(env, ot, 0, true);
}
