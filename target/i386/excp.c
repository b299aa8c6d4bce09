/*
 * Exceptions and interrupts: raising them from instructions, the
 * double/triple fault rules, and delivery through the IVT (real mode),
 * the IDT (protected mode, virtual-8086 mode) and the 64-bit IDT (long
 * mode).  SDM vol. 3, chapter 6.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/cpu-ldst.h"
#include "sysemu/runstate.h"
#include "target/i386/cpu.h"
#include "target/i386/seg.h"

static const char *const excp_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "09",
    "#TS", "#NP", "#SS", "#GP", "#PF", "15",  "#MF", "#AC", "#MC", "#XM",
};

static bool is_contributory(int v)
{
    return v == EXCP00_DIVZ || (v >= EXCP0A_TSS && v <= EXCP0D_GPF);
}

static QEMU_NORETURN void triple_fault(CPUX86State *env)
{
    qemu_log_mask(LOG_GUEST_ERROR | CPU_LOG_INT,
                  "triple fault at %04x:%016" PRIx64 ": resetting\n",
                  env->segs[R_CS].selector, env->eip);
    env->triple_fault = true;
    env->exception_index = -1;
    env->cs->exit_request = true;
    qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    siglongjmp(env->jmp_env, 1);
}

/*
 * SDM vol. 3, 6.15, table 6-5: a fault while delivering a fault may
 * become #DF, and a fault while delivering #DF shuts the CPU down.
 */
static int check_exception(CPUX86State *env, int vector, int *error_code)
{
    int first = env->old_exception;

    if (first < 0 || vector >= 32) {
        return vector;
    }
    if (first == EXCP08_DBLE) {
        triple_fault(env);
    }
    if ((is_contributory(first) && is_contributory(vector)) ||
        (first == EXCP0E_PAGE &&
         (is_contributory(vector) || vector == EXCP0E_PAGE))) {
        *error_code = 0;
        return EXCP08_DBLE;
    }
    return vector;
}

void raise_interrupt(CPUX86State *env, int vector, bool is_int, int error_code,
                     uint64_t next_eip)
{
    if (!is_int) {
        vector = check_exception(env, vector, &error_code);
    }
    env->exception_index = vector;
    env->error_code = error_code;
    env->exception_is_int = is_int;
    env->exception_next_eip = next_eip;
    env->stack_access = false;
    siglongjmp(env->jmp_env, 1);
}

void raise_exception_err(CPUX86State *env, int vector, int error_code)
{
    raise_interrupt(env, vector, false, error_code, EIP_FAULT);
}

void raise_exception(CPUX86State *env, int vector)
{
    raise_interrupt(env, vector, false, 0, EIP_FAULT);
}

/* Exceptions that push an error code (SDM vol. 3, 6.13). */
static bool has_error_code(int vector)
{
    switch (vector) {
    case EXCP08_DBLE:
    case EXCP0A_TSS:
    case EXCP0B_NOSEG:
    case EXCP0C_STACK:
    case EXCP0D_GPF:
    case EXCP0E_PAGE:
    case EXCP11_ALGN:
        return true;
    default:
        return false;
    }
}

/* ---- real mode ---- */

static void do_interrupt_real(CPUX86State *env, int vector, uint64_t next_eip)
{
    uint32_t off = vector * 4;
    uint32_t sp = env->regs[R_ESP];
    uint16_t ip, cs;
    uint64_t ssb = env->segs[R_SS].base;

    if (off + 3 > env->idt.limit) {
        raise_exception_err(env, EXCP0D_GPF, off + 2);
    }
    ip = cpu_lduw_kernel(env, env->idt.base + off);
    cs = cpu_lduw_kernel(env, env->idt.base + off + 2);
    /* Push FLAGS, CS, IP on the 16-bit stack (SP wraps at 64 KiB). */
    sp -= 2;
    cpu_stw_kernel(env, ssb + (sp & 0xffff), cpu_compute_eflags(env));
    sp -= 2;
    cpu_stw_kernel(env, ssb + (sp & 0xffff), env->segs[R_CS].selector);
    sp -= 2;
    cpu_stw_kernel(env, ssb + (sp & 0xffff), next_eip);
    env->regs[R_ESP] = (env->regs[R_ESP] & ~0xffffull) | (sp & 0xffff);
    env->eip = ip;
    cpu_x86_load_seg_cache(env, R_CS, cs, (uint32_t)cs << 4,
                           env->segs[R_CS].limit, env->segs[R_CS].flags);
    env->eflags &= ~(IF_MASK | TF_MASK | AC_MASK | RF_MASK);
    x86_update_hflags(env);
}

/* ---- protected mode ---- */

/*
 * Delivery through the IDT in protected and virtual-8086 mode (SDM vol. 2,
 * INT n/INTO/INT3/INT1 "Operation"; vol. 3, 6.10-6.13, 20.3.1).  Faults
 * raised here carry EXT = 1 in their error code unless the event is a
 * software interrupt (INT n, INT3, INTO); an IDT entry is named by
 * vector * 8 + 2 (the IDT bit).  Everything that can fault is checked,
 * and every store probed, before anything changes.
 */
static void do_interrupt_protected(CPUX86State *env, int vector, bool is_int,
                                   int error_code, uint64_t next_eip,
                                   bool is_hw)
{
    bool push_err = !is_int && !is_hw && has_error_code(vector);
    int ext = is_int ? 0 : 1;
    uint32_t off = vector * 8, idt_err = vector * 8 + 2;
    uint32_t e1, e2, ss_e1 = 0, ss_e2 = 0;
    uint32_t gate_type, cpl = cpu_cpl(env), new_dpl;
    uint32_t selector, offset, new_esp = 0, esp_mask;
    uint32_t ss = 0;
    bool gate32, new_stack, vm86 = env->eflags & VM_MASK;
    SegmentCache ssc;
    uint32_t vals[12];
    int n = 0, sz, mmu;
    uint32_t sp, frame;

    if (off + 7 > env->idt.limit) {
        raise_exception_err(env, EXCP0D_GPF, idt_err + ext);
    }
    e1 = cpu_ldl_kernel(env, (uint32_t)(env->idt.base + off));
    e2 = cpu_ldl_kernel(env, (uint32_t)(env->idt.base + off + 4));
    gate_type = desc_type(e2); /* S = 1 makes it 0x10 or more: invalid */
    switch (gate_type) {
    case 5:  /* task gate */
    case 6:  /* 16-bit interrupt gate */
    case 7:  /* 16-bit trap gate */
    case 14: /* 32-bit interrupt gate */
    case 15: /* 32-bit trap gate */
        break;
    default:
        raise_exception_err(env, EXCP0D_GPF, idt_err + ext);
    }
    /* Software interrupts check the gate's DPL (SDM vol. 3, 6.12.1.1). */
    if (is_int && desc_dpl(e2) < cpl) {
        raise_exception_err(env, EXCP0D_GPF, idt_err);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, idt_err + ext);
    }
    if (gate_type == 5) {
        /* A task gate: switch tasks, nesting (SDM vol. 3, 6.12.2). */
        x86_task_switch(env, e1 >> 16, SWITCH_TSS_CALL, next_eip, push_err,
                        error_code, ext);
        if (env->eip > env->segs[R_CS].limit) {
            raise_exception_err(env, EXCP0D_GPF, ext);
        }
        return;
    }

    /* An interrupt or trap gate: the handler's code segment. */
    gate32 = gate_type & 8;
    selector = e1 >> 16;
    offset = (e2 & 0xffff0000) | (e1 & 0xffff);
    if (!gate32) {
        offset &= 0xffff;
    }
    if ((selector & 0xfffc) == 0) {
        raise_exception_err(env, EXCP0D_GPF, ext);
    }
    if (!cpu_x86_read_descriptor(env, selector, &e1, &e2)) {
        raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);
    }
    new_dpl = desc_dpl(e2);
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) || new_dpl > cpl) {
        raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, (selector & 0xfffc) + ext);
    }
    if (!(e2 & DESC_C_MASK) && new_dpl < cpl) {
        /* Inner level; from v86 mode only to ring 0. */
        if (vm86 && new_dpl != 0) {
            raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);
        }
        new_stack = true;
    } else {
        /* Same level: conforming, or DPL = CPL; never from v86 mode. */
        if (vm86) {
            raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);
        }
        new_dpl = cpl;
        new_stack = false;
    }

    if (new_stack) {
        /* The inner stack from the TSS (SDM vol. 3, 6.12.1). */
        x86_get_ss_esp_from_tss(env, new_dpl, &ss, &new_esp, ext);
        ss &= 0xffff;
        if ((ss & 0xfffc) == 0) {
            raise_exception_err(env, EXCP0A_TSS, ext);
        }
        if ((ss & 3) != new_dpl ||
            !cpu_x86_read_descriptor(env, ss, &ss_e1, &ss_e2)) {
            raise_exception_err(env, EXCP0A_TSS, (ss & 0xfffc) + ext);
        }
        if (desc_dpl(ss_e2) != new_dpl || !(ss_e2 & DESC_S_MASK) ||
            (ss_e2 & DESC_CS_MASK) || !(ss_e2 & DESC_W_MASK)) {
            raise_exception_err(env, EXCP0A_TSS, (ss & 0xfffc) + ext);
        }
        if (!(ss_e2 & DESC_P_MASK)) {
            raise_exception_err(env, EXCP0C_STACK, (ss & 0xfffc) + ext);
        }
        ssc.selector = ss;
        ssc.base = get_seg_base(ss_e1, ss_e2);
        ssc.limit = get_seg_limit(ss_e1, ss_e2);
        ssc.flags = ss_e2;
    } else {
        ssc = env->segs[R_SS];
        new_esp = env->regs[R_ESP];
    }
    esp_mask = (ssc.flags & DESC_B_MASK) ? 0xffffffff : 0xffff;

    /* The frame, highest address first. */
    if (vm86) {
        vals[n++] = env->segs[R_GS].selector;
        vals[n++] = env->segs[R_FS].selector;
        vals[n++] = env->segs[R_DS].selector;
        vals[n++] = env->segs[R_ES].selector;
    }
    if (new_stack) {
        vals[n++] = env->segs[R_SS].selector;
        vals[n++] = env->regs[R_ESP];
    }
    vals[n++] = cpu_compute_eflags(env);
    vals[n++] = env->segs[R_CS].selector;
    vals[n++] = next_eip;
    if (push_err) {
        vals[n++] = error_code;
    }
    sz = gate32 ? 4 : 2;
    frame = n * sz;
    sp = (new_esp - frame) & esp_mask;
    /* Room for the whole frame without wrapping (#SS). */
    if (sp > ((new_esp - 1) & esp_mask) ||
        !x86_seg_check(&ssc, sp, frame, true)) {
        raise_exception_err(env, EXCP0C_STACK,
                            new_stack ? (ss & 0xfffc) + ext : ext);
    }
    if (offset > get_seg_limit(e1, e2)) {
        raise_exception_err(env, EXCP0D_GPF, ext);
    }
    mmu = new_dpl == 3 ? MMU_USER_IDX : MMU_KSMAP_IDX;
    cpu_probe_write(env, (uint32_t)(ssc.base + sp), frame, mmu);

    /* Commit. */
    sp = new_esp;
    for (int i = 0; i < n; i++) {
        sp = (sp - sz) & esp_mask;
        cpu_st_lin(env, (uint32_t)(ssc.base + sp), vals[i], sz, mmu);
    }
    if (new_stack) {
        if (vm86) {
            /* The v86 data segments are unusable in the handler. */
            cpu_x86_load_seg_cache(env, R_ES, 0, 0, 0, 0);
            cpu_x86_load_seg_cache(env, R_DS, 0, 0, 0, 0);
            cpu_x86_load_seg_cache(env, R_FS, 0, 0, 0, 0);
            cpu_x86_load_seg_cache(env, R_GS, 0, 0, 0, 0);
        }
        x86_desc_set_accessed(env, ss, &ss_e2);
        cpu_x86_load_seg_cache(env, R_SS, ss, ssc.base, ssc.limit, ss_e2);
        /* ESP <- the TSS's ESP, then the pushes moved its low bits. */
        env->regs[R_ESP] = (new_esp & ~esp_mask) | sp;
    } else {
        env->regs[R_ESP] = (env->regs[R_ESP] & ~(uint64_t)esp_mask) | sp;
    }
    /* Clear VM before loading CS so the CPL comes from the selector. */
    env->eflags &= ~(TF_MASK | VM_MASK | RF_MASK | NT_MASK);
    if ((gate_type & 1) == 0) {
        env->eflags &= ~IF_MASK; /* interrupt gates */
    }
    x86_desc_set_accessed(env, selector, &e2);
    cpu_x86_load_seg_cache(env, R_CS, (selector & 0xfffc) | new_dpl,
                           get_seg_base(e1, e2), get_seg_limit(e1, e2), e2);
    env->eip = offset;
    x86_update_hflags(env);
}

/* ---- long mode (64-bit IDT) ---- */

static void do_interrupt64(CPUX86State *env, int vector, bool is_int,
                           int error_code, uint64_t next_eip, bool is_hw)
{
    bool push_err = !is_int && !is_hw && has_error_code(vector);
    int ext = (is_int ? 0 : 1);
    uint32_t off = vector * 16;
    uint32_t e1, e2, e3, dpl, cpl = cpu_cpl(env);
    uint32_t selector, ist, type;
    uint64_t offset, rsp, old_rip;
    int new_dpl;

    old_rip = next_eip;
    if (off + 15 > env->idt.limit) {
        raise_exception_err(env, EXCP0D_GPF, off + 2 + ext);
    }
    e1 = cpu_ldl_kernel(env, env->idt.base + off);
    e2 = cpu_ldl_kernel(env, env->idt.base + off + 4);
    e3 = cpu_ldl_kernel(env, env->idt.base + off + 8);
    type = (e2 >> DESC_TYPE_SHIFT) & 0x1f;
    if (type != 14 && type != 15) {
        raise_exception_err(env, EXCP0D_GPF, off + 2 + ext);
    }
    dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if (is_int && dpl < cpl) {
        raise_exception_err(env, EXCP0D_GPF, off + 2);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, off + 2 + ext);
    }
    selector = e1 >> 16;
    offset = ((uint64_t)e3 << 32) | (e2 & 0xffff0000) | (e1 & 0xffff);
    ist = e2 & 7;
    if ((selector & 0xfffc) == 0) {
        raise_exception_err(env, EXCP0D_GPF, ext);
    }
    if (!cpu_x86_read_descriptor(env, selector, &e1, &e2)) {
        raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);
    }
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) || !(e2 & DESC_L_MASK) ||
        (e2 & DESC_B_MASK)) {
        raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);
    }
    new_dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if (new_dpl > (int)cpl) {
        raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, (selector & 0xfffc) + ext);
    }
    if (e2 & DESC_C_MASK) {
        new_dpl = cpl;
    }
    if (ist) {
        rsp = x86_get_rsp_from_tss(env, ist + 3);
    } else if (new_dpl < (int)cpl) {
        rsp = x86_get_rsp_from_tss(env, new_dpl);
    } else {
        rsp = env->regs[R_ESP];
    }
    /* The frame is 16-byte aligned (SDM vol. 3, 6.14.2). */
    rsp &= ~0xfull;
    {
        uint64_t vals[6];
        int n = 0;
        int mmu = new_dpl == 3 ? MMU_USER_IDX : MMU_KSMAP_IDX;

        vals[n++] = env->segs[R_SS].selector;
        vals[n++] = env->regs[R_ESP];
        vals[n++] = cpu_compute_eflags(env);
        vals[n++] = env->segs[R_CS].selector;
        vals[n++] = old_rip;
        if (push_err) {
            vals[n++] = (uint32_t)error_code;
        }
        env->stack_access = true;
        cpu_probe_write(env, rsp - n * 8, n * 8, mmu);
        for (int i = 0; i < n; i++) {
            rsp -= 8;
            cpu_st_lin(env, rsp, vals[i], 8, mmu);
        }
        env->stack_access = false;
    }
    env->regs[R_ESP] = rsp;
    if (new_dpl < (int)cpl) {
        /* A null SS with RPL = the new CPL (SDM vol. 3, 6.14.4). */
        cpu_x86_load_seg_cache(env, R_SS, new_dpl, 0, 0, 0);
    }
    env->eflags &= ~(TF_MASK | VM_MASK | RF_MASK | NT_MASK);
    if (type == 14) {
        env->eflags &= ~IF_MASK;
    }
    cpu_x86_load_seg_cache(env, R_CS, (selector & 0xfffc) | new_dpl,
                           get_seg_base(e1, e2), get_seg_limit(e1, e2), e2);
    env->eip = offset;
    x86_update_hflags(env);
}

void x86_do_interrupt(CPUX86State *env, int vector, bool is_int, int error_code,
                      uint64_t next_eip, bool is_hw)
{
    if (qemu_loglevel_mask(CPU_LOG_INT)) {
        qemu_log("%s %s (0x%02x) err=%04x at %04x:%016" PRIx64
                 " next=%016" PRIx64 " CPL=%d\n",
                 is_hw    ? "irq"
                 : is_int ? "int"
                          : "exception",
                 vector < 32 && !is_int && !is_hw && excp_names[vector]
                     ? excp_names[vector]
                     : "",
                 vector, error_code, env->segs[R_CS].selector, env->eip,
                 next_eip, cpu_cpl(env));
    }
    if (!is_int && !is_hw) {
        /*
         * Fault-class exceptions push RF = 1 so the handler's IRET does
         * not re-trigger an instruction breakpoint; #DB sets RF itself
         * where it should (SDM vol. 3, 17.3.1.1).  Entering the #DB
         * handler clears DR7.GD (17.2.4).
         */
        if (next_eip == EIP_FAULT && vector != EXCP01_DB) {
            env->eflags |= RF_MASK;
        }
        if (vector == EXCP01_DB) {
            env->dr[7] &= ~(uint64_t)DR7_GD;
        }
    }
    /* Faults push their own address; traps and INT n the next one. */
    if (is_hw || next_eip == EIP_FAULT) {
        next_eip = env->eip;
    }
    /* Faults raised while delivering this one are checked against it. */
    env->old_exception = (is_int || is_hw) ? -1 : vector;
    env->halted = false;
    if (env->hflags & HF_LMA_MASK) {
        do_interrupt64(env, vector, is_int, error_code, next_eip, is_hw);
    } else if (env->cr[0] & CR0_PE_MASK) {
        do_interrupt_protected(env, vector, is_int, error_code, next_eip,
                               is_hw);
    } else {
        do_interrupt_real(env, vector, next_eip);
    }
    env->old_exception = -1;
    env->hflags &= ~HF_INHIBIT_IRQ_MASK;
}
