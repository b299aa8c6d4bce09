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
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
    "#DF", "09",  "#TS", "#NP", "#SS", "#GP", "#PF", "15",
    "#MF", "#AC", "#MC", "#XM",
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

void raise_interrupt(CPUX86State *env, int vector, bool is_int,
                     int error_code, uint64_t next_eip)
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

static void do_interrupt_real(CPUX86State *env, int vector,
                              uint64_t next_eip)
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

static void do_interrupt_protected(CPUX86State *env, int vector, bool is_int,
                                   int error_code, uint64_t next_eip,
                                   bool is_hw)
{
    bool push_err = !is_int && !is_hw && has_error_code(vector);
    int ext = (is_int ? 0 : 1);
    uint32_t off = vector * 8;
    uint32_t e1, e2, ss_e1 = 0, ss_e2 = 0;
    uint32_t gate_type, dpl, cpl = cpu_cpl(env);
    uint32_t selector, offset, new_esp, old_eflags;
    uint32_t ss = 0, esp_mask;
    uint64_t ss_base;
    int shift, new_dpl;
    bool new_stack, vm86 = env->eflags & VM_MASK;
    uint32_t old_eip = next_eip;
    if (off + 7 > env->idt.limit) {
        raise_exception_err(env, EXCP0D_GPF, off + 2 + ext);
    }
    e1 = cpu_ldl_kernel(env, env->idt.base + off);
    e2 = cpu_ldl_kernel(env, env->idt.base + off + 4);
    gate_type = (e2 >> DESC_TYPE_SHIFT) & 0x1f;
    switch (gate_type) {
    case 5: /* task gate */
        if (!(e2 & DESC_P_MASK)) {
            raise_exception_err(env, EXCP0B_NOSEG, off + 2 + ext);
        }
        if (is_int && ((e2 >> DESC_DPL_SHIFT) & 3) < cpl) {
            raise_exception_err(env, EXCP0D_GPF, off + 2);
        }
        x86_task_switch(env, e1 >> 16, SWITCH_TSS_CALL, old_eip, push_err,
                        error_code);
        return;
    case 6:  /* 16-bit interrupt gate */
    case 7:  /* 16-bit trap gate */
    case 14: /* 32-bit interrupt gate */
    case 15: /* 32-bit trap gate */
        break;
    default:
        raise_exception_err(env, EXCP0D_GPF, off + 2 + ext);
    }
    dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    /* Software INT n checks the gate's DPL (SDM vol. 3, 6.12.1.1). */
    if (is_int && dpl < cpl) {
        raise_exception_err(env, EXCP0D_GPF, off + 2);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, off + 2 + ext);
    }
    shift = gate_type >> 3; /* 1 for 32-bit gates */
    selector = e1 >> 16;
    offset = (e2 & 0xffff0000) | (e1 & 0xffff);
    if ((selector & 0xfffc) == 0) {
        raise_exception_err(env, EXCP0D_GPF, ext);
    }
    if (!cpu_x86_read_descriptor(env, selector, &e1, &e2)) {
        raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);
    }
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK)) {
        raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);
    }
    new_dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if (new_dpl > cpl) {
        raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, (selector & 0xfffc) + ext);
    }
    if (e2 & DESC_C_MASK) {
        new_dpl = cpl; /* conforming: stays at the current level */
    }
    if (vm86 && new_dpl != 0) {
        raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);
    }
    new_stack = new_dpl < (int)cpl || vm86;
    if (new_stack) {
        /* The inner stack from the TSS (SDM vol. 3, 6.12.1). */
        x86_get_ss_esp_from_tss(env, new_dpl, &ss, &new_esp, ext);
        if ((ss & 0xfffc) == 0) {
            raise_exception_err(env, EXCP0A_TSS, ext);
        }
        if ((ss & 3) != (uint32_t)new_dpl ||
            !cpu_x86_read_descriptor(env, ss, &ss_e1, &ss_e2)) {
            raise_exception_err(env, EXCP0A_TSS, (ss & 0xfffc) + ext);
        }
        if (((ss_e2 >> DESC_DPL_SHIFT) & 3) != (uint32_t)new_dpl ||
            !(ss_e2 & DESC_S_MASK) || (ss_e2 & DESC_CS_MASK) ||
            !(ss_e2 & DESC_W_MASK)) {
            raise_exception_err(env, EXCP0A_TSS, (ss & 0xfffc) + ext);
        }
        if (!(ss_e2 & DESC_P_MASK)) {
            raise_exception_err(env, EXCP0C_STACK, (ss & 0xfffc) + ext);
        }
        ss_base = get_seg_base(ss_e1, ss_e2);
        esp_mask = (ss_e2 & DESC_B_MASK) ? 0xffffffff : 0xffff;
    } else {
        ss_base = env->segs[R_SS].base;
        esp_mask = (env->segs[R_SS].flags & DESC_B_MASK) ? 0xffffffff
                                                           : 0xffff;
        new_esp = env->regs[R_ESP];
    }

    {
        /* Build the frame, then commit: a fault leaves nothing changed. */
        uint32_t vals[12];
        int n = 0;
        uint32_t sp = new_esp;
        int sz = 2 << shift;
        int mmu = new_dpl == 3 ? MMU_USER_IDX : MMU_KSMAP_IDX;
        SegmentCache ssc;

        old_eflags = cpu_compute_eflags(env);
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
        vals[n++] = old_eflags;
        vals[n++] = env->segs[R_CS].selector;
        vals[n++] = old_eip;
        if (push_err) {
            vals[n++] = error_code;
        }
        if (new_stack) {
            ssc.base = ss_base;
            ssc.limit = get_seg_limit(ss_e1, ss_e2);
            ssc.flags = ss_e2;
            ssc.selector = ss;
        } else {
            ssc = env->segs[R_SS];
        }
        /* Stack limit check over the whole frame (#SS). */
        if (!x86_seg_check(&ssc, (sp - n * sz) & esp_mask, n * sz, true) ||
            ((sp - n * sz) & esp_mask) > ((sp - 1) & esp_mask)) {
            raise_exception_err(env, EXCP0C_STACK,
                                new_stack ? (ss & 0xfffc) + ext : ext);
        }
        cpu_probe_write(env, ss_base + ((sp - n * sz) & esp_mask), n * sz,
                        mmu);
        for (int i = 0; i < n; i++) {
            sp -= sz;
            cpu_st_lin(env, ss_base + (sp & esp_mask), vals[i], sz, mmu);
        }
        new_esp = sp;
    }

    if (new_stack) {
        if (vm86) {
            for (int seg = R_ES; seg <= R_GS; seg++) {
                if (seg != R_CS && seg != R_SS) {
                    cpu_x86_load_seg_cache(env, seg, 0, 0, 0, 0);
                }
            }
        }
        cpu_x86_load_seg_cache(env, R_SS, ss, ss_base,
                               get_seg_limit(ss_e1, ss_e2), ss_e2);
    }
    env->regs[R_ESP] = (env->regs[R_ESP] & ~(uint64_t)esp_mask) |
                       (new_esp & esp_mask);
    selector = (selector & 0xfffc) | new_dpl;
    /* Clear VM before loading CS so the CPL comes from the selector. */
    env->eflags &= ~(TF_MASK | VM_MASK | RF_MASK | NT_MASK);
    if ((gate_type & 1) == 0) {
        env->eflags &= ~IF_MASK; /* interrupt gates */
    }
    cpu_x86_load_seg_cache(env, R_CS, selector, get_seg_base(e1, e2),
                           get_seg_limit(e1, e2), e2);
    env->eip = shift ? offset : offset & 0xffff;
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
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) ||
        !(e2 & DESC_L_MASK) || (e2 & DESC_B_MASK)) {
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

void x86_do_interrupt(CPUX86State *env, int vector, bool is_int,
                      int error_code, uint64_t next_eip, bool is_hw)
{
    if (qemu_loglevel_mask(CPU_LOG_INT)) {
        qemu_log("%s %s (0x%02x) err=%04x at %04x:%016" PRIx64
                 " next=%016" PRIx64 " CPL=%d\n",
                 is_hw ? "irq" : is_int ? "int" : "exception",
                 vector < 32 && !is_int && !is_hw && excp_names[vector]
                     ? excp_names[vector]
                     : "",
                 vector, error_code, env->segs[R_CS].selector, env->eip,
                 next_eip, cpu_cpl(env));
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
