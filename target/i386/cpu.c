/*
 * The x86 CPU: creation, reset, mode bookkeeping (hflags), control
 * registers, EFLAGS, the state dump and the state table.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/cpu-ldst.h"
#include "migration/vmstate.h"
#include "monitor/monitor.h"
#include "accel/tcg/tb.h"
#include "accel/tcg/cpu-exec.h"
#include "target/i386/cpu.h"

void x86_update_hflags(CPUX86State *env)
{
    uint32_t hf = env->hflags & (HF_INHIBIT_IRQ_MASK | HF_CPL_MASK);
    uint32_t cs = env->segs[R_CS].flags;

    if (env->cr[0] & CR0_PE_MASK) {
        hf |= HF_PE_MASK;
    }
    if (env->eflags & VM_MASK) {
        hf |= HF_VM_MASK;
    }
    if (env->eflags & TF_MASK) {
        hf |= HF_TF_MASK;
    }
    if (env->efer & EFER_LMA) {
        hf |= HF_LMA_MASK;
    }
    if (env->cr[4] & CR4_OSFXSR_MASK) {
        hf |= HF_OSFXSR_MASK;
    }
    if ((env->cr[0] & CR0_AM_MASK) && (env->eflags & AC_MASK) &&
        (hf & HF_CPL_MASK) == 3) {
        hf |= HF_AC_MASK;
    }
    if ((hf & HF_LMA_MASK) && (cs & DESC_L_MASK)) {
        hf |= HF_CS64_MASK | HF_CS32_MASK | HF_SS32_MASK;
    } else {
        if ((hf & HF_PE_MASK) && !(hf & HF_VM_MASK)) {
            if (cs & DESC_B_MASK) {
                hf |= HF_CS32_MASK;
            }
            if (env->segs[R_SS].flags & DESC_B_MASK) {
                hf |= HF_SS32_MASK;
            }
        } else if (!(hf & HF_VM_MASK)) {
            /*
             * Real mode keeps the D/B bits of the cached descriptors
             * (what unreal and "big real" mode rely on).
             */
            if (cs & DESC_B_MASK) {
                hf |= HF_CS32_MASK;
            }
            if (env->segs[R_SS].flags & DESC_B_MASK) {
                hf |= HF_SS32_MASK;
            }
        }
    }
    env->hflags = hf;
}

void cpu_x86_load_seg_cache(CPUX86State *env, int seg, uint32_t selector,
                            uint64_t base, uint32_t limit, uint32_t flags)
{
    SegmentCache *sc = &env->segs[seg];

    sc->selector = selector;
    sc->base = base;
    sc->limit = limit;
    sc->flags = flags;
    if (seg == R_CS) {
        /* The CPL is CS.RPL in protected mode (SS.DPL in theory). */
        if ((env->cr[0] & CR0_PE_MASK) && !(env->eflags & VM_MASK)) {
            env->hflags = (env->hflags & ~HF_CPL_MASK) | (selector & 3);
        } else if (env->eflags & VM_MASK) {
            env->hflags |= 3;
        } else {
            env->hflags &= ~HF_CPL_MASK;
        }
    }
    if (seg == R_CS || seg == R_SS) {
        x86_update_hflags(env);
    }
}

void cpu_x86_update_cr0(CPUX86State *env, uint64_t new_cr0)
{
    uint64_t changed = env->cr[0] ^ new_cr0;

    /* ET is hardwired to 1 on 486 and later (SDM vol. 3, 2.5). */
    new_cr0 |= CR0_ET_MASK;
    if (changed & (CR0_PG_MASK | CR0_WP_MASK | CR0_PE_MASK)) {
        tlb_flush(env);
    }
    /* Long mode activates when paging turns on with EFER.LME. */
    if ((changed & CR0_PG_MASK) && (new_cr0 & CR0_PG_MASK) &&
        (env->efer & EFER_LME)) {
        env->efer |= EFER_LMA;
    } else if ((changed & CR0_PG_MASK) && !(new_cr0 & CR0_PG_MASK)) {
        env->efer &= ~EFER_LMA;
    }
    env->cr[0] = new_cr0;
    x86_update_hflags(env);
}

void cpu_x86_update_cr3(CPUX86State *env, uint64_t new_cr3)
{
    env->cr[3] = new_cr3;
    if (env->cr[0] & CR0_PG_MASK) {
        if (env->cr[4] & CR4_PGE_MASK) {
            tlb_flush_nonglobal(env);
        } else {
            tlb_flush(env);
        }
    }
}

void cpu_x86_update_cr4(CPUX86State *env, uint64_t new_cr4)
{
    if ((env->cr[4] ^ new_cr4) & (CR4_PGE_MASK | CR4_PAE_MASK | CR4_PSE_MASK)) {
        tlb_flush(env);
    }
    env->cr[4] = new_cr4;
    x86_update_hflags(env);
}

bool cpu_x86_set_efer(CPUX86State *env, uint64_t val)
{
    uint64_t allowed = EFER_SCE | EFER_LME | EFER_NXE;

    if (val & ~(allowed | EFER_LMA)) {
        return false;
    }
    /* LME cannot change while paging is on (SDM vol. 3, 9.8.5). */
    if ((env->cr[0] & CR0_PG_MASK) && ((val ^ env->efer) & EFER_LME)) {
        return false;
    }
    if ((val ^ env->efer) & EFER_NXE) {
        tlb_flush(env);
    }
    env->efer = (env->efer & EFER_LMA) | (val & allowed);
    x86_update_hflags(env);
    return true;
}

/* SDM vol. 3, 9.1.1, table 9-1: the state after RESET. */
void x86_cpu_reset(CPUX86State *env)
{
    CPUState *cs = env->cs;
    int (*intr)(void *) = env->get_intr_vector;
    void *intr_opaque = env->intr_opaque;

    memset(env, 0, offsetof(CPUX86State, tlb));
    env->cs = cs;
    env->get_intr_vector = intr;
    env->intr_opaque = intr_opaque;
    /* The TSC keeps counting retired instructions (cpu_get_tsc()). */

    env->eflags = EFLAGS_FIXED;
    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = 0;
    env->cr[0] = CR0_ET_MASK | CR0_CD_MASK | CR0_NW_MASK;
    env->eip = 0xfff0;
    env->hflags = 0;
    cpu_x86_load_seg_cache(env, R_CS, 0xf000, 0xffff0000, 0xffff,
                           DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK |
                               DESC_R_MASK | DESC_A_MASK);
    for (int seg = 0; seg < NB_SEGS; seg++) {
        if (seg != R_CS) {
            cpu_x86_load_seg_cache(env, seg, 0, 0, 0xffff,
                                   DESC_P_MASK | DESC_S_MASK | DESC_W_MASK |
                                       DESC_A_MASK);
        }
    }
    env->gdt.limit = 0xffff;
    env->idt.limit = 0xffff;
    env->ldt.limit = 0xffff;
    env->ldt.flags = DESC_P_MASK | (2 << DESC_TYPE_SHIFT);
    env->tr.limit = 0xffff;
    env->tr.flags = DESC_P_MASK | (11 << DESC_TYPE_SHIFT);
    /* EDX holds the processor signature (CPUID.1:EAX). */
    env->regs[R_EDX] = x86_cpuid_signature();
    env->dr[6] = 0xffff0ff0;
    env->dr[7] = 0x400;
    env->fpuc = 0x40;
    env->fptags = 0; /* tag word 5555h: every register holds +0 */
    env->mxcsr = 0x1f80;
    env->pat = 0x0007040600070406ull;
    env->apic_base = 0xfee00000 | (1 << 11) | (1 << 8); /* enabled, BSP */
    env->misc_enable = 1;                               /* fast strings */
    env->a20_mask_bit = 1 << 20;
    env->exception_index = -1;
    env->old_exception = -1;
    env->pending_dbg = 0;
    x86_update_dr7(env);
    x86_update_hflags(env);
    tlb_flush(env);
    tb_flush(env);
    if (cs) {
        cs->halted = false;
    }
}

void x86_cpu_set_intr(X86CPU *cpu, int level)
{
    CPUX86State *env = &cpu->env;

    if (level) {
        env->interrupt_request |= CPU_INTERRUPT_HARD;
        /* Leave the block so the interrupt is seen at the next boundary. */
        env->exit_tb = true;
    } else {
        env->interrupt_request &= ~CPU_INTERRUPT_HARD;
    }
}

void x86_cpu_raise_nmi(X86CPU *cpu)
{
    cpu->env.interrupt_request |= CPU_INTERRUPT_NMI;
    cpu->env.exit_tb = true;
}

static bool x86_cpu_has_work(CPUState *cs)
{
    CPUX86State *env = &container_of(cs, X86CPU, parent)->env;

    return ((env->interrupt_request & CPU_INTERRUPT_HARD) &&
            (env->eflags & IF_MASK)) ||
           ((env->interrupt_request & CPU_INTERRUPT_NMI) && !env->nmi_blocked);
}

static void x86_cpu_reset_hook(CPUState *cs)
{
    X86CPU *cpu = container_of(cs, X86CPU, parent);

    x86_cpu_reset(&cpu->env);
    cs->halted = false;
}

void x86_cpu_dump_state(CPUX86State *env, FILE *f, int flags)
{
    static const char *const seg_names[NB_SEGS] = { "ES", "CS", "SS",
                                                    "DS", "FS", "GS" };
    uint32_t ef = cpu_compute_eflags(env);

    if (env->hflags & HF_CS64_MASK) {
        static const char *const names[16] = {
            "RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "RSP",
            "R8",  "R9",  "R10", "R11", "R12", "R13", "R14", "R15",
        };
        static const int order[16] = { R_EAX, R_EBX, R_ECX, R_EDX, R_ESI, R_EDI,
                                       R_EBP, R_ESP, 8,     9,     10,    11,
                                       12,    13,    14,    15 };
        for (int i = 0; i < 16; i++) {
            fprintf(f, "%-3s=%016" PRIx64 "%s", names[i], env->regs[order[i]],
                    (i & 3) == 3 ? "\n" : " ");
        }
        fprintf(f, "RIP=%016" PRIx64 " RFL=%08x\n", env->eip, ef);
    } else {
        fprintf(f,
                "EAX=%08x EBX=%08x ECX=%08x EDX=%08x\n"
                "ESI=%08x EDI=%08x EBP=%08x ESP=%08x\n"
                "EIP=%08x EFL=%08x\n",
                (uint32_t)env->regs[R_EAX], (uint32_t)env->regs[R_EBX],
                (uint32_t)env->regs[R_ECX], (uint32_t)env->regs[R_EDX],
                (uint32_t)env->regs[R_ESI], (uint32_t)env->regs[R_EDI],
                (uint32_t)env->regs[R_EBP], (uint32_t)env->regs[R_ESP],
                (uint32_t)env->eip, ef);
    }
    fprintf(f, "[%c%c%c%c%c%c] CPL=%d II=%d A20=%d HLT=%d\n",
            ef & CC_O ? 'O' : '-', ef & CC_S ? 'S' : '-', ef & CC_Z ? 'Z' : '-',
            ef & CC_A ? 'A' : '-', ef & CC_P ? 'P' : '-', ef & CC_C ? 'C' : '-',
            cpu_cpl(env), !!(env->hflags & HF_INHIBIT_IRQ_MASK),
            !!env->a20_mask_bit, env->halted);
    for (int i = 0; i < NB_SEGS; i++) {
        const SegmentCache *sc = &env->segs[i];
        fprintf(f, "%s =%04x %016" PRIx64 " %08x %08x\n", seg_names[i],
                sc->selector, sc->base, sc->limit, sc->flags);
    }
    fprintf(f, "LDT=%04x %016" PRIx64 " %08x %08x\n", env->ldt.selector,
            env->ldt.base, env->ldt.limit, env->ldt.flags);
    fprintf(f, "TR =%04x %016" PRIx64 " %08x %08x\n", env->tr.selector,
            env->tr.base, env->tr.limit, env->tr.flags);
    fprintf(f, "GDT=     %016" PRIx64 " %08x\n", env->gdt.base, env->gdt.limit);
    fprintf(f, "IDT=     %016" PRIx64 " %08x\n", env->idt.base, env->idt.limit);
    fprintf(f,
            "CR0=%08" PRIx64 " CR2=%016" PRIx64 " CR3=%016" PRIx64
            " CR4=%08" PRIx64 "\n",
            env->cr[0], env->cr[2], env->cr[3], env->cr[4]);
    fprintf(f,
            "DR0=%016" PRIx64 " DR1=%016" PRIx64 " DR2=%016" PRIx64
            " DR3=%016" PRIx64 "\nDR6=%016" PRIx64 " DR7=%016" PRIx64 "\n",
            env->dr[0], env->dr[1], env->dr[2], env->dr[3], env->dr[6],
            env->dr[7]);
    fprintf(f, "EFER=%016" PRIx64 "\n", env->efer);
    fprintf(f, "FCW=%04x FSW=%04x FTW=%02x MXCSR=%08x\n", env->fpuc, env->fpus,
            (uint8_t)~env->fptags, env->mxcsr);
}

static void x86_cpu_dump_hook(CPUState *cs, FILE *f, int flags)
{
    x86_cpu_dump_state(&container_of(cs, X86CPU, parent)->env, f, flags);
}

static const CPUClass x86_cpu_class = {
    .name = "qemu64",
    .exec = x86_cpu_exec,
    .has_work = x86_cpu_has_work,
    .reset = x86_cpu_reset_hook,
    .dump_state = x86_cpu_dump_hook,
};

/* ---- state table ---- */

static const VMStateDescription vmstate_segment = {
    .name = "segment",
    .version_id = 1,
    .fields =
        (const VMStateField[]){
            VMSTATE_UINT32(selector, SegmentCache),
            VMSTATE_UINT64(base, SegmentCache),
            VMSTATE_UINT32(limit, SegmentCache),
            VMSTATE_UINT32(flags, SegmentCache),
            VMSTATE_END_OF_LIST(),
        },
};

static const VMStateDescription vmstate_floatx80 = {
    .name = "floatx80",
    .version_id = 1,
    .fields =
        (const VMStateField[]){
            VMSTATE_UINT64(mant, floatx80),
            VMSTATE_UINT16(sign_exp, floatx80),
            VMSTATE_END_OF_LIST(),
        },
};

static int x86_cpu_pre_save(void *opaque)
{
    CPUX86State *env = opaque;

    /* Save the flags folded, so the lazy form is not part of the state. */
    env->saved_eflags = cpu_compute_eflags(env);
    return 0;
}

static int x86_cpu_post_load(void *opaque, int version_id)
{
    CPUX86State *env = opaque;

    env->eflags = 0;
    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = 0;
    cpu_load_eflags(env, env->saved_eflags, ~0u);
    x86_update_dr7(env);
    tlb_flush(env);
    tb_flush(env);
    return 0;
}

static const VMStateDescription vmstate_x86_cpu = {
    .name = "cpu",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = x86_cpu_pre_save,
    .post_load = x86_cpu_post_load,
    .fields =
        (const VMStateField[]){
            VMSTATE_UINT64_ARRAY(regs, CPUX86State, CPU_NB_REGS),
            VMSTATE_UINT64(eip, CPUX86State),
            VMSTATE_UINT32(saved_eflags, CPUX86State),
            VMSTATE_UINT32(hflags, CPUX86State),
            VMSTATE_STRUCT_ARRAY(segs, CPUX86State, NB_SEGS, vmstate_segment,
                                 SegmentCache),
            VMSTATE_STRUCT(ldt, CPUX86State, vmstate_segment, SegmentCache),
            VMSTATE_STRUCT(tr, CPUX86State, vmstate_segment, SegmentCache),
            VMSTATE_STRUCT(gdt, CPUX86State, vmstate_segment, SegmentCache),
            VMSTATE_STRUCT(idt, CPUX86State, vmstate_segment, SegmentCache),
            VMSTATE_UINT64_ARRAY(cr, CPUX86State, 5),
            VMSTATE_UINT64(cr8, CPUX86State),
            VMSTATE_UINT64_ARRAY(dr, CPUX86State, 8),
            VMSTATE_UINT64(efer, CPUX86State),
            VMSTATE_UINT64(star, CPUX86State),
            VMSTATE_UINT64(lstar, CPUX86State),
            VMSTATE_UINT64(cstar, CPUX86State),
            VMSTATE_UINT64(fmask, CPUX86State),
            VMSTATE_UINT64(kernelgsbase, CPUX86State),
            VMSTATE_UINT64(sysenter_cs, CPUX86State),
            VMSTATE_UINT64(sysenter_esp, CPUX86State),
            VMSTATE_UINT64(sysenter_eip, CPUX86State),
            VMSTATE_UINT64(apic_base, CPUX86State),
            VMSTATE_UINT64(pat, CPUX86State),
            VMSTATE_UINT64(tsc_aux, CPUX86State),
            VMSTATE_UINT64(misc_enable, CPUX86State),
            VMSTATE_UINT64(mtrr_deftype, CPUX86State),
            VMSTATE_UINT64_ARRAY(mtrr_fixed, CPUX86State, 11),
            VMSTATE_UINT64_ARRAY(mtrr_var_base, CPUX86State, 8),
            VMSTATE_UINT64_ARRAY(mtrr_var_mask, CPUX86State, 8),
            VMSTATE_UINT64(mcg_status, CPUX86State),
            VMSTATE_INT64(tsc_offset, CPUX86State),
            VMSTATE_UINT32(a20_mask_bit, CPUX86State),
            VMSTATE_STRUCT_ARRAY(fpregs, CPUX86State, 8, vmstate_floatx80,
                                 floatx80),
            VMSTATE_UINT16(fpuc, CPUX86State),
            VMSTATE_UINT16(fpus, CPUX86State),
            VMSTATE_UINT8(fptags, CPUX86State),
            VMSTATE_UINT16(fpop, CPUX86State),
            VMSTATE_UINT64(fpip, CPUX86State),
            VMSTATE_UINT64(fpdp, CPUX86State),
            VMSTATE_UINT16(fpcs, CPUX86State),
            VMSTATE_UINT16(fpds, CPUX86State),
            VMSTATE_BOOL(ferr, CPUX86State),
            VMSTATE_BOOL(ignne, CPUX86State),
            VMSTATE_BUFFER(xmm, CPUX86State),
            VMSTATE_UINT32(mxcsr, CPUX86State),
            VMSTATE_UINT32(interrupt_request, CPUX86State),
            VMSTATE_BOOL(halted, CPUX86State),
            VMSTATE_BOOL(nmi_blocked, CPUX86State),
            VMSTATE_END_OF_LIST(),
        },
};

static void hmp_info_registers(Monitor *mon, int argc, char **argv)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    if (!first_cpu) {
        monitor_printf(mon, "No CPU available\n");
        return;
    }
    f = open_memstream(&buf, &len);
    first_cpu->cc->dump_state(first_cpu, f, 0);
    fclose(f);
    monitor_puts(mon, buf);
    free(buf);
}

static const HMPCommand info_registers_cmd = {
    .name = "registers",
    .params = "",
    .help = "show the cpu registers",
    .cmd = hmp_info_registers,
};

static bool info_registered;

X86CPU *x86_cpu_create(const char *model, Error **errp)
{
    X86CPU *cpu;
    char **parts = g_strsplit(model, ",", -1);

    if (strcmp(parts[0], "qemu64")) {
        error_setg(errp, "unable to find CPU model '%s'", parts[0]);
        g_strfreev(parts);
        return NULL;
    }
    if (parts[1]) {
        /* Feature flags (+sse3, -nx) arrive with the CPU model issue. */
        error_setg(errp, "-cpu %s: CPU feature flags are not supported yet",
                   model);
        g_strfreev(parts);
        return NULL;
    }
    g_strfreev(parts);
    cpu = g_new0(X86CPU, 1);
    cpu->parent.cc = &x86_cpu_class;
    cpu->parent.env = &cpu->env;
    cpu->parent.icount_left = &cpu->env.icount_left;
    cpu->env.cs = &cpu->parent;
    x86_cpu_reset(&cpu->env);
    cpu_register(&cpu->parent);
    vmstate_register("cpu", 0, &vmstate_x86_cpu, &cpu->env);
    if (!info_registered) {
        monitor_register_info(&info_registers_cmd);
        info_registered = true;
    }
    return cpu;
}

void x86_cpu_destroy(X86CPU *cpu)
{
    vmstate_unregister(&vmstate_x86_cpu, &cpu->env);
    cpu_unregister(&cpu->parent);
    tb_flush(NULL);
    g_free(cpu);
}
