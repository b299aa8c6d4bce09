/*
 * Hardware task switches through 32-bit and 16-bit TSSs (SDM vol. 3, 7.3
 * "Task switching", 7.4 "Task linking", table 7-2; vol. 2, JMP/CALL
 * TASK-GATE and TASK-STATE-SEGMENT, INT n TASK-GATE, IRET TASK-RETURN;
 * the #TS conditions of vol. 3, 6.15 "Interrupt 10").
 *
 * The switch runs in two halves.  Everything that can fault before the
 * commit point (the new TSS descriptor, both TSSs' limits, reading the
 * new task's state, probing every store) happens first, so such a fault
 * leaves the old task exactly as it was.  After the commit point the old
 * state is saved, TR, CR3, EFLAGS, EIP and the general registers are
 * loaded, and then the LDTR and the segment registers are loaded and
 * checked: a fault there is raised in the new task's context (its EIP
 * and registers, the selectors already in the segment registers), as SDM
 * 7.3 step 13 describes.
 *
 * The debug trap bit (T) of a 32-bit TSS raises #DB after the switch
 * through the data-breakpoint trap path (DR6.BT); when the switch is made
 * by an exception or interrupt that trap is taken after the new task's
 * first instruction instead of before it.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "target/i386/ops-common.h"
#include "target/i386/seg-ctrl.h"

/* 32-bit TSS (SDM vol. 3, figure 7-2). */
#define TSS32_LINK      0x00
#define TSS32_CR3       0x1c
#define TSS32_EIP       0x20
#define TSS32_EFLAGS    0x24
#define TSS32_REGS      0x28 /* EAX ECX EDX EBX ESP EBP ESI EDI, 4 bytes each */
#define TSS32_SEGS      0x48 /* ES CS SS DS FS GS, 4 bytes each */
#define TSS32_LDT       0x60
#define TSS32_TRAP      0x64
#define TSS32_MIN_LIMIT 0x67
/* 16-bit TSS (SDM vol. 3, figure 7-10). */
#define TSS16_LINK      0x00
#define TSS16_IP        0x0e
#define TSS16_FLAGS     0x10
#define TSS16_REGS      0x12 /* AX CX DX BX SP BP SI DI, 2 bytes each */
#define TSS16_SEGS      0x22 /* ES CS SS DS, 2 bytes each */
#define TSS16_LDT       0x2a
#define TSS16_MIN_LIMIT 0x2b

#define TYPE_LDT 2

#define EFLAGS_DEFINED                                                      \
    (CC_ALL | TF_MASK | IF_MASK | DF_MASK | IOPL_MASK | NT_MASK | RF_MASK | \
     VM_MASK | AC_MASK | VIF_MASK | VIP_MASK | ID_MASK)

typedef struct TaskState {
    uint32_t cr3, eip, eflags;
    uint32_t regs[8];
    uint32_t segs[NB_SEGS];
    uint32_t ldt;
    bool trap;
} TaskState;

/* Linear addresses of system structures wrap at 4 GiB (no long mode). */
static uint64_t tss_lin(uint64_t base, uint32_t off)
{
    return (uint32_t)(base + off);
}

static void tss_read(CPUX86State *env, uint64_t base, bool is32, TaskState *ts)
{
    memset(ts, 0, sizeof(*ts));
    if (is32) {
        ts->cr3 = cpu_ldl_kernel(env, tss_lin(base, TSS32_CR3));
        ts->eip = cpu_ldl_kernel(env, tss_lin(base, TSS32_EIP));
        ts->eflags = cpu_ldl_kernel(env, tss_lin(base, TSS32_EFLAGS));
        for (int i = 0; i < 8; i++) {
            ts->regs[i] =
                cpu_ldl_kernel(env, tss_lin(base, TSS32_REGS + 4 * i));
        }
        for (int i = 0; i < NB_SEGS; i++) {
            ts->segs[i] =
                cpu_lduw_kernel(env, tss_lin(base, TSS32_SEGS + 4 * i));
        }
        ts->ldt = cpu_lduw_kernel(env, tss_lin(base, TSS32_LDT));
        ts->trap = cpu_lduw_kernel(env, tss_lin(base, TSS32_TRAP)) & 1;
    } else {
        ts->eip = cpu_lduw_kernel(env, tss_lin(base, TSS16_IP));
        ts->eflags = cpu_lduw_kernel(env, tss_lin(base, TSS16_FLAGS));
        for (int i = 0; i < 8; i++) {
            ts->regs[i] =
                cpu_lduw_kernel(env, tss_lin(base, TSS16_REGS + 2 * i));
        }
        for (int i = R_ES; i <= R_DS; i++) {
            ts->segs[i] =
                cpu_lduw_kernel(env, tss_lin(base, TSS16_SEGS + 2 * i));
        }
        ts->ldt = cpu_lduw_kernel(env, tss_lin(base, TSS16_LDT));
    }
}

/* Saves the dynamic fields of the current task (SDM vol. 3, 7.2.1). */
static void tss_save(CPUX86State *env, uint64_t base, bool is32, uint32_t eip,
                     uint32_t eflags)
{
    if (is32) {
        cpu_stl_kernel(env, tss_lin(base, TSS32_EIP), eip);
        cpu_stl_kernel(env, tss_lin(base, TSS32_EFLAGS), eflags);
        for (int i = 0; i < 8; i++) {
            cpu_stl_kernel(env, tss_lin(base, TSS32_REGS + 4 * i),
                           env->regs[i]);
        }
        for (int i = 0; i < NB_SEGS; i++) {
            cpu_stw_kernel(env, tss_lin(base, TSS32_SEGS + 4 * i),
                           env->segs[i].selector);
        }
    } else {
        cpu_stw_kernel(env, tss_lin(base, TSS16_IP), eip);
        cpu_stw_kernel(env, tss_lin(base, TSS16_FLAGS), eflags);
        for (int i = 0; i < 8; i++) {
            cpu_stw_kernel(env, tss_lin(base, TSS16_REGS + 2 * i),
                           env->regs[i]);
        }
        for (int i = R_ES; i <= R_DS; i++) {
            cpu_stw_kernel(env, tss_lin(base, TSS16_SEGS + 2 * i),
                           env->segs[i].selector);
        }
    }
}

QEMU_NORETURN static void task_fault(CPUX86State *env, int vector,
                                     uint32_t selector, int ext)
{
    raise_exception_err(env, vector, (selector & 0xfffc) | ext);
}

/*
 * The first fault found while loading the new task's LDTR and segment
 * registers.  The processor still completes the switch "without
 * performing additional access and segment availability checks" and
 * raises the fault before the new task's first instruction (SDM vol. 3,
 * 7.3, notes after step 13), so the loads go on unchecked after it.
 */
typedef struct TaskFault {
    int vector; /* -1: none yet */
    uint32_t error_code;
} TaskFault;

static void task_note_fault(TaskFault *f, int vector, uint32_t selector,
                            int ext)
{
    if (f->vector < 0) {
        f->vector = vector;
        f->error_code = (selector & 0xfffc) | ext;
    }
}

/* Loads the new task's LDTR (#TS for every problem, even not present). */
static void task_load_ldt(CPUX86State *env, uint32_t sel, int ext, TaskFault *f)
{
    uint32_t e1, e2;

    if ((sel & 0xfffc) == 0) {
        return; /* a null LDTR is valid (and unusable) */
    }
    if ((sel & 4) || !cpu_x86_read_descriptor(env, sel, &e1, &e2) ||
        desc_type(e2) != TYPE_LDT || !(e2 & DESC_P_MASK)) {
        task_note_fault(f, EXCP0A_TSS, sel, ext);
        return;
    }
    env->ldt.base = get_seg_base(e1, e2);
    env->ldt.limit = get_seg_limit(e1, e2);
    env->ldt.flags = e2;
}

/*
 * Loads segment register seg of the new task and checks it at the new
 * CPL: #TS(selector) for a bad selector or descriptor, #NP (#SS for the
 * stack) when not present (SDM vol. 3, 6.15, "Interrupt 10 - Invalid TSS
 * Exception": the invalid-TSS conditions).
 */
static void task_load_seg(CPUX86State *env, int seg, uint32_t sel, uint32_t cpl,
                          int ext, TaskFault *f)
{
    uint32_t e1, e2, dpl, rpl = sel & 3;
    int vector = -1;

    if ((sel & 0xfffc) == 0) {
        if (seg == R_CS || seg == R_SS) {
            task_note_fault(f, EXCP0A_TSS, sel, ext);
        }
        return; /* stays unusable */
    }
    if (!cpu_x86_read_descriptor(env, sel, &e1, &e2)) {
        task_note_fault(f, EXCP0A_TSS, sel, ext);
        return;
    }
    if (f->vector >= 0) {
        /* After a fault: loaded as it is, without checks. */
        cpu_x86_load_seg_cache(env, seg, sel, get_seg_base(e1, e2),
                               get_seg_limit(e1, e2), e2);
        return;
    }
    dpl = desc_dpl(e2);
    if (!(e2 & DESC_S_MASK)) {
        vector = EXCP0A_TSS;
    } else if (seg == R_CS) {
        if (!(e2 & DESC_CS_MASK) ||
            ((e2 & DESC_C_MASK) ? dpl > cpl : dpl != cpl)) {
            vector = EXCP0A_TSS;
        } else if (!(e2 & DESC_P_MASK)) {
            vector = EXCP0B_NOSEG;
        }
    } else if (seg == R_SS) {
        if ((e2 & DESC_CS_MASK) || !(e2 & DESC_W_MASK) || dpl != cpl ||
            rpl != cpl) {
            vector = EXCP0A_TSS;
        } else if (!(e2 & DESC_P_MASK)) {
            vector = EXCP0C_STACK;
        }
    } else {
        /* Data or readable code; data and non-conforming code need DPL
         * >= max(CPL, RPL). */
        if ((e2 & (DESC_CS_MASK | DESC_R_MASK)) == DESC_CS_MASK ||
            ((!(e2 & DESC_CS_MASK) || !(e2 & DESC_C_MASK)) &&
             (dpl < cpl || dpl < rpl))) {
            vector = EXCP0A_TSS;
        } else if (!(e2 & DESC_P_MASK)) {
            vector = EXCP0B_NOSEG;
        }
    }
    if (vector >= 0) {
        task_note_fault(f, vector, sel, ext);
    } else {
        x86_desc_set_accessed(env, sel, &e2);
    }
    cpu_x86_load_seg_cache(env, seg, sel, get_seg_base(e1, e2),
                           get_seg_limit(e1, e2), e2);
}

/* Pushes the error code of the exception that caused the switch. */
static void task_push_error_code(CPUX86State *env, bool is32, int error_code,
                                 int ext)
{
    const SegmentCache *ss = &env->segs[R_SS];
    int size = is32 ? 4 : 2;
    uint32_t mask = (ss->flags & DESC_B_MASK) ? 0xffffffffu : 0xffffu;
    uint32_t sp = (env->regs[R_ESP] - size) & mask;

    if (sp > ((env->regs[R_ESP] - 1) & mask) ||
        !x86_seg_check(ss, sp, size, true)) {
        raise_exception_err(env, EXCP0C_STACK, ext);
    }
    cpu_st_lin(env, (uint32_t)(ss->base + sp), error_code, size,
               cpu_mmu_index(env));
    if (mask == 0xffff) {
        env->regs[R_ESP] = (env->regs[R_ESP] & ~0xffffull) | sp;
    } else {
        env->regs[R_ESP] = sp;
    }
}

void x86_task_switch(CPUX86State *env, uint32_t sel, int source,
                     uint64_t next_eip, bool has_error_code, int error_code,
                     int ext)
{
    int bad_sel = source == SWITCH_TSS_IRET ? EXCP0A_TSS : EXCP0D_GPF;
    uint32_t e1, e2, type, limit, old_e1 = 0, old_e2 = 0;
    uint32_t old_sel = env->tr.selector & 0xffff;
    uint64_t base, old_base = env->tr.base;
    bool is32, old32 = (env->tr.flags >> DESC_TYPE_SHIFT) & 8;
    bool old_desc = false;
    uint32_t old_eflags, new_eflags;
    TaskState ts;
    TaskFault fault = { -1, 0 };
    int cpl;

    sel &= 0xffff;
    qemu_log_mask(CPU_LOG_INT, "task switch (%s) from TSS %04x to %04x\n",
                  source == SWITCH_TSS_JMP    ? "jmp"
                  : source == SWITCH_TSS_IRET ? "iret"
                                              : "call",
                  old_sel, sel);

    /* The new TSS descriptor: in the GDT, a TSS, busy or not as fits. */
    if ((sel & 4) || !cpu_x86_read_descriptor(env, sel, &e1, &e2)) {
        task_fault(env, bad_sel, sel, ext);
    }
    type = desc_type(e2);
    if (source == SWITCH_TSS_IRET) {
        if (type != 3 && type != 11) {
            task_fault(env, EXCP0A_TSS, sel, ext);
        }
    } else if (type != 1 && type != 9) {
        task_fault(env, EXCP0D_GPF, sel, ext);
    }
    if (!(e2 & DESC_P_MASK)) {
        task_fault(env, EXCP0B_NOSEG, sel, ext);
    }
    is32 = type & 8;
    base = get_seg_base(e1, e2);
    limit = get_seg_limit(e1, e2);
    if (limit < (is32 ? TSS32_MIN_LIMIT : TSS16_MIN_LIMIT)) {
        task_fault(env, EXCP0A_TSS, sel, ext);
    }
    /* The old TSS must be able to hold the state saved in it. */
    if (env->tr.limit < (old32 ? TSS32_MIN_LIMIT : TSS16_MIN_LIMIT)) {
        task_fault(env, EXCP0A_TSS, old_sel, ext);
    }

    /* Read the new state and probe every store: faults change nothing. */
    tss_read(env, base, is32, &ts);
    if (old32) {
        cpu_probe_write(env, tss_lin(old_base, TSS32_EIP),
                        TSS32_SEGS + 4 * R_GS + 2 - TSS32_EIP, MMU_KSMAP_IDX);
    } else {
        cpu_probe_write(env, tss_lin(old_base, TSS16_IP),
                        TSS16_SEGS + 2 * R_DS + 2 - TSS16_IP, MMU_KSMAP_IDX);
    }
    if (source == SWITCH_TSS_CALL) {
        cpu_probe_write(env, tss_lin(base, TSS32_LINK), 2, MMU_KSMAP_IDX);
    }
    if (source != SWITCH_TSS_CALL && (old_sel & 0xfffc) && !(old_sel & 4)) {
        old_desc = cpu_x86_read_descriptor(env, old_sel, &old_e1, &old_e2);
        if (old_desc) {
            cpu_probe_write(env, (uint32_t)(env->gdt.base + (old_sel & ~7) + 4),
                            4, MMU_KSMAP_IDX);
        }
    }
    if (source != SWITCH_TSS_IRET) {
        cpu_probe_write(env, (uint32_t)(env->gdt.base + (sel & ~7) + 4), 4,
                        MMU_KSMAP_IDX);
    }

    /* ---- the commit point ---- */

    /* JMP and IRET leave the old task: it is no longer busy. */
    if (old_desc) {
        cpu_x86_write_descriptor_high(env, old_sel,
                                      old_e2 & ~DESC_TSS_BUSY_MASK);
    }
    old_eflags = cpu_compute_eflags(env);
    if (source == SWITCH_TSS_IRET) {
        old_eflags &= ~NT_MASK; /* the returning task is no longer nested */
    }
    tss_save(env, old_base, old32, next_eip, old_eflags);

    new_eflags = ts.eflags;
    if (source == SWITCH_TSS_CALL) {
        /* Nesting: the back link and NT (SDM vol. 3, 7.4). */
        cpu_stw_kernel(env, tss_lin(base, TSS32_LINK), old_sel);
        new_eflags |= NT_MASK;
    }
    if (source != SWITCH_TSS_IRET) {
        e2 |= DESC_TSS_BUSY_MASK;
        cpu_x86_write_descriptor_high(env, sel, e2);
    }
    env->tr.selector = sel;
    env->tr.base = base;
    env->tr.limit = limit;
    env->tr.flags = e2;
    cpu_x86_update_cr0(env, env->cr[0] | CR0_TS_MASK);
    if (is32 && (env->cr[0] & CR0_PG_MASK)) {
        cpu_x86_update_cr3(env, ts.cr3);
    }

    /* EFLAGS (VM decides how the segments load), EIP, registers. */
    cpu_load_eflags(env, new_eflags, EFLAGS_DEFINED);
    env->eip = ts.eip;
    for (int i = 0; i < 8; i++) {
        if (is32) {
            env->regs[i] = ts.regs[i];
        } else {
            env->regs[i] = (env->regs[i] & ~0xffffull) | ts.regs[i];
        }
    }

    /* The selectors, before their descriptors are checked (step 12). */
    env->ldt.selector = ts.ldt;
    env->ldt.base = 0;
    env->ldt.limit = 0;
    env->ldt.flags = 0;
    for (int i = 0; i < NB_SEGS; i++) {
        if (new_eflags & VM_MASK) {
            x86_load_seg_vm86(env, i, ts.segs[i]);
        } else {
            cpu_x86_load_seg_cache(env, i, ts.segs[i], 0, 0, 0);
        }
    }

    /* Then the descriptors, in the new task's context (step 13). */
    task_load_ldt(env, ts.ldt, ext, &fault);
    if (!(new_eflags & VM_MASK)) {
        cpl = ts.segs[R_CS] & 3;
        task_load_seg(env, R_CS, ts.segs[R_CS], cpl, ext, &fault);
        task_load_seg(env, R_SS, ts.segs[R_SS], cpl, ext, &fault);
        task_load_seg(env, R_ES, ts.segs[R_ES], cpl, ext, &fault);
        task_load_seg(env, R_DS, ts.segs[R_DS], cpl, ext, &fault);
        task_load_seg(env, R_FS, ts.segs[R_FS], cpl, ext, &fault);
        task_load_seg(env, R_GS, ts.segs[R_GS], cpl, ext, &fault);
    }
    x86_update_hflags(env);

    if (ts.trap) {
        env->pending_dbg |= DR6_BT;
    }
    if (fault.vector >= 0) {
        /* Raised in the new task, before its first instruction. */
        raise_exception_err(env, fault.vector, fault.error_code);
    }
    if (has_error_code) {
        task_push_error_code(env, is32, error_code, ext);
    }
}

/*
 * IRET with NT set: back to the task in the current TSS's link field,
 * which must be a busy TSS in the GDT (SDM vol. 2, IRET: TASK-RETURN).
 */
void x86_iret_task_return(CPUX86State *env, uint64_t next_eip)
{
    uint32_t link = cpu_lduw_kernel(env, tss_lin(env->tr.base, TSS32_LINK));

    x86_task_switch(env, link, SWITCH_TSS_IRET, next_eip, false, 0, 0);
    env->nmi_blocked = false;
    if (env->eip > env->segs[R_CS].limit) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
}
