/*
 * Far JMP/CALL to system descriptors (call gates, task gates, TSSs) and
 * IRET into and inside virtual-8086 mode (SDM vol. 2, JMP, CALL, IRET;
 * vol. 3, 5.8 "Privilege level checking when transferring program control
 * between code segments", 20.3 "Interrupt and exception handling in
 * virtual-8086 mode").  The task switch itself is in task.c.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "target/i386/ops-common.h"
#include "target/i386/seg-ctrl.h"

/* System descriptor types (SDM vol. 3, 3.5, table 3-2). */
#define TYPE_TSS16_AVAIL 1
#define TYPE_TSS16_BUSY  3
#define TYPE_CALL_GATE16 4
#define TYPE_TASK_GATE   5
#define TYPE_TSS32_AVAIL 9
#define TYPE_TSS32_BUSY  11
#define TYPE_CALL_GATE32 12

QEMU_NORETURN static void gp_sel(CPUX86State *env, uint32_t selector)
{
    raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
}

/*
 * The SS:ESP of the inner level dpl from the current TSS, checked as CALL
 * through a call gate does (SDM vol. 2, CALL: MORE-PRIVILEGE).  Fills the
 * segment cache for the new SS.
 */
static void inner_stack(CPUX86State *env, uint32_t dpl, SegmentCache *ss,
                        uint32_t *esp, uint32_t *ss_e1, uint32_t *ss_e2)
{
    uint32_t sel;

    x86_get_ss_esp_from_tss(env, dpl, &sel, esp, 0);
    sel &= 0xffff;
    if ((sel & 0xfffc) == 0) {
        raise_exception_err(env, EXCP0A_TSS, 0);
    }
    if (!cpu_x86_read_descriptor(env, sel, ss_e1, ss_e2)) {
        raise_exception_err(env, EXCP0A_TSS, sel & 0xfffc);
    }
    if ((sel & 3) != dpl || desc_dpl(*ss_e2) != dpl ||
        !(*ss_e2 & DESC_S_MASK) || (*ss_e2 & DESC_CS_MASK) ||
        !(*ss_e2 & DESC_W_MASK)) {
        raise_exception_err(env, EXCP0A_TSS, sel & 0xfffc);
    }
    if (!(*ss_e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0C_STACK, sel & 0xfffc);
    }
    ss->selector = sel;
    ss->base = get_seg_base(*ss_e1, *ss_e2);
    ss->limit = get_seg_limit(*ss_e1, *ss_e2);
    ss->flags = *ss_e2;
}

/*
 * True when n bytes below sp fit in the stack segment ss without
 * wrapping (the "stack does not have room" checks).
 */
static bool stack_room(const SegmentCache *ss, uint32_t sp, uint32_t n)
{
    uint32_t mask = (ss->flags & DESC_B_MASK) ? 0xffffffffu : 0xffffu;
    uint32_t low = (sp - n) & mask;

    if (((sp - 1) & mask) < low) {
        return false; /* wraps around the stack size */
    }
    return x86_seg_check(ss, low, n, true);
}

/* Writes vals[0..n) downwards from sp (the first value highest). */
static void stack_write(CPUX86State *env, const SegmentCache *ss, uint32_t sp,
                        const uint32_t *vals, int n, int size, int mmu)
{
    uint32_t mask = (ss->flags & DESC_B_MASK) ? 0xffffffffu : 0xffffu;

    for (int i = 0; i < n; i++) {
        sp = (sp - size) & mask;
        cpu_st_lin(env, (uint32_t)(ss->base + sp), vals[i], size, mmu);
    }
}

static void stack_probe(CPUX86State *env, const SegmentCache *ss, uint32_t sp,
                        int bytes, int mmu)
{
    uint32_t mask = (ss->flags & DESC_B_MASK) ? 0xffffffffu : 0xffffu;

    cpu_probe_write(env, (uint32_t)(ss->base + ((sp - bytes) & mask)), bytes,
                    mmu);
}

/*
 * JMP/CALL far through a call gate (SDM vol. 2, JMP and CALL:
 * CALL-GATE, MORE-PRIVILEGE, SAME-PRIVILEGE).
 */
static void far_call_gate(CPUX86State *env, uint32_t gate_sel, uint32_t e1,
                          uint32_t e2, uint64_t next_eip, bool is_call)
{
    uint32_t cpl = cpu_cpl(env), gate_dpl = desc_dpl(e2);
    bool gate32 = desc_type(e2) == TYPE_CALL_GATE32;
    int size = gate32 ? 4 : 2;
    uint32_t cs_sel = e1 >> 16;
    uint32_t offset = (e2 & 0xffff0000) | (e1 & 0xffff);
    uint32_t count = e2 & 0x1f;
    uint32_t cs_e1, cs_e2, cs_dpl;
    uint32_t cs_limit, cs_base;

    if (gate_dpl < cpl || gate_dpl < (gate_sel & 3)) {
        gp_sel(env, gate_sel);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, gate_sel & 0xfffc);
    }
    if ((cs_sel & 0xfffc) == 0) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    if (!cpu_x86_read_descriptor(env, cs_sel, &cs_e1, &cs_e2)) {
        gp_sel(env, cs_sel);
    }
    cs_dpl = desc_dpl(cs_e2);
    if (!(cs_e2 & DESC_S_MASK) || !(cs_e2 & DESC_CS_MASK)) {
        gp_sel(env, cs_sel);
    }
    if (is_call) {
        /* CALL may go to a more privileged level, never a less one. */
        if (cs_dpl > cpl) {
            gp_sel(env, cs_sel);
        }
    } else if ((cs_e2 & DESC_C_MASK) ? cs_dpl > cpl : cs_dpl != cpl) {
        /* JMP stays at the current level. */
        gp_sel(env, cs_sel);
    }
    if (!(cs_e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, cs_sel & 0xfffc);
    }
    if (!gate32) {
        offset &= 0xffff;
    }
    cs_base = get_seg_base(cs_e1, cs_e2);
    cs_limit = get_seg_limit(cs_e1, cs_e2);

    if (!is_call) {
        if (offset > cs_limit) {
            raise_exception_err(env, EXCP0D_GPF, 0);
        }
        x86_desc_set_accessed(env, cs_sel, &cs_e2);
        cpu_x86_load_seg_cache(env, R_CS, (cs_sel & 0xfffc) | cpl, cs_base,
                               cs_limit, cs_e2);
        env->eip = offset;
        return;
    }

    if (!(cs_e2 & DESC_C_MASK) && cs_dpl < cpl) {
        /*
         * MORE-PRIVILEGE: switch to the inner stack from the TSS, push
         * the caller's SS:ESP, copy count parameters (words or dwords by
         * the gate size) from the caller's stack, then push CS:EIP.
         */
        SegmentCache ss;
        uint32_t esp, ss_e1, ss_e2, new_sp;
        uint32_t vals[4 + 31];
        int n = 0;
        uint32_t frame = (4 + count) * size;
        uint32_t old_sp = env->regs[R_ESP];

        inner_stack(env, cs_dpl, &ss, &esp, &ss_e1, &ss_e2);
        if (!stack_room(&ss, esp, frame)) {
            raise_exception_err(env, EXCP0C_STACK, ss.selector & 0xfffc);
        }
        if (offset > cs_limit) {
            raise_exception_err(env, EXCP0D_GPF, 0);
        }
        vals[n++] = env->segs[R_SS].selector;
        vals[n++] = gate32 ? old_sp : old_sp & 0xffff;
        /* The parameters keep their order: the last one is pushed first. */
        for (int i = count - 1; i >= 0; i--) {
            vals[n++] = stack_load(env, old_sp + i * size, size);
        }
        vals[n++] = env->segs[R_CS].selector;
        vals[n++] = next_eip;
        stack_probe(env, &ss, esp, frame, MMU_KSMAP_IDX);

        /* Commit. */
        stack_write(env, &ss, esp, vals, n, size, MMU_KSMAP_IDX);
        new_sp = esp - frame;
        x86_desc_set_accessed(env, ss.selector, &ss_e2);
        x86_desc_set_accessed(env, cs_sel, &cs_e2);
        cpu_x86_load_seg_cache(env, R_SS, ss.selector, ss.base, ss.limit,
                               ss_e2);
        if (ss_e2 & DESC_B_MASK) {
            env->regs[R_ESP] = new_sp;
        } else {
            env->regs[R_ESP] = (esp & ~0xffffu) | (new_sp & 0xffff);
        }
        cpu_x86_load_seg_cache(env, R_CS, (cs_sel & 0xfffc) | cs_dpl, cs_base,
                               cs_limit, cs_e2);
        env->eip = offset;
        return;
    }

    /* SAME-PRIVILEGE: push CS:EIP on the current stack. */
    {
        const SegmentCache *ss = &env->segs[R_SS];
        uint32_t vals[2] = { env->segs[R_CS].selector, (uint32_t)next_eip };
        uint32_t sp = env->regs[R_ESP];

        if (!stack_room(ss, sp, 2 * size)) {
            raise_exception_err(env, EXCP0C_STACK, 0);
        }
        if (offset > cs_limit) {
            raise_exception_err(env, EXCP0D_GPF, 0);
        }
        stack_probe(env, ss, sp, 2 * size, mmu_idx(env));
        stack_write(env, ss, sp, vals, 2, size, mmu_idx(env));
        set_sp(env, sp - 2 * size);
        x86_desc_set_accessed(env, cs_sel, &cs_e2);
        cpu_x86_load_seg_cache(env, R_CS, (cs_sel & 0xfffc) | cpl, cs_base,
                               cs_limit, cs_e2);
        env->eip = offset;
    }
}

void x86_far_gate(CPUX86State *env, uint32_t selector, uint32_t e1, uint32_t e2,
                  int ot, uint64_t next_eip, bool is_call)
{
    uint32_t cpl = cpu_cpl(env), dpl = desc_dpl(e2), rpl = selector & 3;
    int source = is_call ? SWITCH_TSS_CALL : SWITCH_TSS_JMP;

    if (env->hflags & HF_LMA_MASK) {
        /*
         * Long mode has only 64-bit call gates (16-byte descriptors) and
         * no task switches (SDM vol. 3, 7.7).
         */
        if (desc_type(e2) == TYPE_CALL_GATE32) {
            qemu_log_mask(LOG_UNIMP,
                          "far %s through a 64-bit call gate is "
                          "not implemented\n",
                          is_call ? "call" : "jmp");
        }
        gp_sel(env, selector);
    }
    switch (desc_type(e2)) {
    case TYPE_CALL_GATE16:
    case TYPE_CALL_GATE32:
        far_call_gate(env, selector, e1, e2, next_eip, is_call);
        return;
    case TYPE_TSS16_AVAIL:
    case TYPE_TSS16_BUSY:
    case TYPE_TSS32_AVAIL:
    case TYPE_TSS32_BUSY:
        /* JMP/CALL TASK-STATE-SEGMENT: the TSS's DPL guards it. */
        if (dpl < cpl || dpl < rpl) {
            gp_sel(env, selector);
        }
        /* Busy (#GP), present (#NP) and limit (#TS) are checked there. */
        x86_task_switch(env, selector, source, next_eip, false, 0, 0);
        break;
    case TYPE_TASK_GATE:
        if (dpl < cpl || dpl < rpl) {
            gp_sel(env, selector);
        }
        if (!(e2 & DESC_P_MASK)) {
            raise_exception_err(env, EXCP0B_NOSEG, selector & 0xfffc);
        }
        x86_task_switch(env, e1 >> 16, source, next_eip, false, 0, 0);
        break;
    default:
        gp_sel(env, selector);
    }
    /* In the new task: "IF EIP not within code segment limit THEN #GP(0)". */
    if (env->eip > env->segs[R_CS].limit) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
}

/* The EFLAGS bits that exist (the others read as 0, bit 1 as 1). */
#define EFLAGS_DEFINED                                                      \
    (CC_ALL | TF_MASK | IF_MASK | DF_MASK | IOPL_MASK | NT_MASK | RF_MASK | \
     VM_MASK | AC_MASK | VIF_MASK | VIP_MASK | ID_MASK)

/*
 * IRET at CPL 0 with VM set in the popped EFLAGS (32-bit operand size):
 * pops ESP, SS, ES, DS, FS, GS and enters virtual-8086 mode at CPL 3
 * (SDM vol. 2, IRET: RETURN-TO-VIRTUAL-8086-MODE).  sp is past EIP, CS
 * and EFLAGS.
 */
void x86_iret_to_vm86(CPUX86State *env, uint64_t new_eip, uint32_t new_cs,
                      uint32_t new_eflags, uint64_t sp)
{
    uint64_t m = stack_mask(env);
    uint32_t v[6]; /* ESP SS ES DS FS GS */

    for (int i = 0; i < 6; i++) {
        v[i] = stack_load(env, (sp + 4 * i) & m, 4);
    }
    /* Commit: VM first, so that the segment loads are v86 loads. */
    cpu_load_eflags(env, new_eflags, EFLAGS_DEFINED);
    x86_load_seg_vm86(env, R_CS, new_cs);
    x86_load_seg_vm86(env, R_SS, v[1]);
    x86_load_seg_vm86(env, R_ES, v[2]);
    x86_load_seg_vm86(env, R_DS, v[3]);
    x86_load_seg_vm86(env, R_FS, v[4]);
    x86_load_seg_vm86(env, R_GS, v[5]);
    env->regs[R_ESP] = v[0];
    env->eip = new_eip & 0xffff;
    env->nmi_blocked = false;
}

/*
 * IRET in virtual-8086 mode: allowed only with IOPL 3, otherwise #GP(0)
 * to the v86 monitor; VM, IOPL, VIP and VIF are not changed (SDM vol. 2,
 * IRET: RETURN-FROM-VIRTUAL-8086-MODE).  CR4.VME is not modelled.
 */
void x86_iret_in_vm86(CPUX86State *env, int ot)
{
    int size = 1 << ot;
    uint64_t sp = env->regs[R_ESP];
    uint64_t m = stack_mask(env);
    uint32_t ip, cs, fl, mask;

    if (((env->eflags & IOPL_MASK) >> IOPL_SHIFT) != 3) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    ip = stack_load(env, sp, size);
    cs = stack_load(env, (sp + size) & m, size) & 0xffff;
    fl = stack_load(env, (sp + 2 * size) & m, size);
    if (ot == OT_WORD) {
        ip &= 0xffff;
        mask = 0xffff & EFLAGS_DEFINED & ~IOPL_MASK;
    } else {
        mask = EFLAGS_DEFINED & ~(VM_MASK | IOPL_MASK | VIP_MASK | VIF_MASK);
    }
    /* The new CS has the v86 limit of 64 KiB. */
    if (ip > 0xffff) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    set_sp(env, sp + 3 * size);
    x86_load_seg_vm86(env, R_CS, cs);
    env->eip = ip;
    cpu_load_eflags(env, fl, mask);
    env->nmi_blocked = false;
}
