/*
 * Interrupt and exception delivery through the protected-mode IDT (gate
 * checks, EXT bits, stack switches, v86 frames, #DF) and hardware task
 * switches (JMP, CALL, IRET, task gates in the GDT and the IDT, the
 * #TS/#NP/#SS/#GP checks before and after the commit point, 16-bit and
 * v86 tasks, CR3, the T bit) on the CPU harness.
 */
#include "qemu/osdep.h"
#include "tests/unit/cpu-seg-util.h"

/* ================= interrupt delivery ================= */

BLOB(b_int40, "int $0x40\n hlt");
BLOB(b_ud2, "ud2\n hlt");

static CPUHarness *int_run(const uint8_t *code, size_t len,
                           void (*prep)(CPUHarness *), bool ring3)
{
    CPUHarness *h = prot();

    if (prep) {
        prep(h);
    }
    if (ring3) {
        harness_enter_ring3(h);
        h->env->regs[R_ESP] = STACK3;
    }
    harness_set_code(h, code, len);
    run(h);
    return h;
}

static void idt_dpl0(CPUHarness *h)
{
    set_idt(h, 0x40, 0x08, TARGET, 14, 0, true);
}

static void idt_np(CPUHarness *h)
{
    set_idt(h, 0x40, 0x08, TARGET, 14, 3, false);
    set_idt(h, EXCP06_ILLOP, 0x08, TARGET, 14, 3, false);
}

static void idt_limit(CPUHarness *h)
{
    h->env->idt.limit = 0x40 * 8 + 6;
}

static void idt_badtype(CPUHarness *h)
{
    set_idt(h, 0x40, 0x08, TARGET, 12, 3, true);        /* a call gate */
    set_idt(h, EXCP06_ILLOP, 0x08, TARGET, 1, 3, true); /* a TSS type */
}

static void idt_nullcs(CPUHarness *h)
{
    set_idt(h, 0x40, 0, TARGET, 14, 3, true);
    set_idt(h, EXCP06_ILLOP, 0, TARGET, 14, 3, true);
}

static void idt_datacs(CPUHarness *h)
{
    set_idt(h, 0x40, SEL(G_DATA), TARGET, 14, 3, true);
    set_idt(h, EXCP06_ILLOP, SEL(G_DATA), TARGET, 14, 3, true);
}

static void idt_npcs(CPUHarness *h)
{
    set_idt(h, 0x40, SEL(G_CODE_NP), TARGET, 14, 3, true);
    set_idt(h, EXCP06_ILLOP, SEL(G_CODE_NP), TARGET, 14, 3, true);
}

static void idt_limitcs(CPUHarness *h)
{
    set_idt(h, 0x40, SEL(G_CODE_SMALL), TARGET, 14, 3, true);
    set_idt(h, EXCP06_ILLOP, SEL(G_CODE_SMALL), TARGET, 14, 3, true);
}

static void idt_dpl3cs(CPUHarness *h)
{
    set_idt(h, 0x40, SEL(G_CODE3), TARGET, 14, 3, true);
}

static void int_fault(const uint8_t *code, size_t len,
                      void (*prep)(CPUHarness *), bool ring3, int vector,
                      uint32_t err)
{
    CPUHarness *h = int_run(code, len, prep, ring3);

    check_exc(h, vector, err);
    g_assert_cmphex(exc_eip(h), ==, h->code_addr);
    harness_free(h);
}

static void test_idt_faults(void)
{
    /* INT n: the gate DPL; EXT = 0 in every error code. */
    int_fault(CODE(b_int40), idt_dpl0, true, EXCP0D_GPF, 0x40 * 8 + 2);
    int_fault(CODE(b_int40), idt_np, false, EXCP0B_NOSEG, 0x40 * 8 + 2);
    int_fault(CODE(b_int40), idt_limit, false, EXCP0D_GPF, 0x40 * 8 + 2);
    int_fault(CODE(b_int40), idt_badtype, false, EXCP0D_GPF, 0x40 * 8 + 2);
    int_fault(CODE(b_int40), idt_nullcs, false, EXCP0D_GPF, 0);
    int_fault(CODE(b_int40), idt_datacs, false, EXCP0D_GPF, SEL(G_DATA));
    int_fault(CODE(b_int40), idt_npcs, false, EXCP0B_NOSEG, SEL(G_CODE_NP));
    int_fault(CODE(b_int40), idt_limitcs, false, EXCP0D_GPF, 0);
    int_fault(CODE(b_int40), idt_dpl3cs, false, EXCP0D_GPF, SEL(G_CODE3));
    /* An exception: EXT = 1. */
    int_fault(CODE(b_ud2), idt_np, false, EXCP0B_NOSEG, 6 * 8 + 2 + 1);
    int_fault(CODE(b_ud2), idt_badtype, false, EXCP0D_GPF, 6 * 8 + 2 + 1);
    int_fault(CODE(b_ud2), idt_nullcs, false, EXCP0D_GPF, 1);
    int_fault(CODE(b_ud2), idt_datacs, false, EXCP0D_GPF, SEL(G_DATA) + 1);
    int_fault(CODE(b_ud2), idt_npcs, false, EXCP0B_NOSEG, SEL(G_CODE_NP) + 1);
    int_fault(CODE(b_ud2), idt_limitcs, false, EXCP0D_GPF, 1);
}

/* A fault while delivering a contributory fault: #DF with error 0. */
static void idt_gp_np(CPUHarness *h)
{
    set_idt(h, EXCP0D_GPF, 0x08, TARGET, 14, 3, false);
}

BLOB(b_gp, "mov %ax, %ds\n hlt");

static void test_double_fault(void)
{
    CPUHarness *h = prot();

    idt_gp_np(h);
    h->env->regs[R_EAX] = SEL(256);
    harness_set_code(h, CODE(b_gp));
    run(h);
    check_exc(h, EXCP08_DBLE, 0);
    g_assert_cmphex(exc_eip(h), ==, h->code_addr);
    harness_free(h);
}

static void prep_if(CPUHarness *h)
{
    h->env->eflags |= IF_MASK;
}

static void idt_kinds(CPUHarness *h)
{
    prep_if(h);
    set_idt(h, 0x40, 0x08, HARNESS_STUBS + 0x40 * 16, 15, 3, true); /* trap */
    set_idt(h, 0x41, 0x08, TARGET16, 6, 3, true); /* 16-bit interrupt */
}

BLOB(b_int41, "int $0x41\n hlt");

static void test_gate_kinds(void)
{
    CPUHarness *h;

    /* A trap gate keeps IF, an interrupt gate clears it. */
    h = int_run(CODE(b_int40), idt_kinds, false);
    check_exc(h, 0x40, 0);
    g_assert_true(h->env->eflags & IF_MASK);
    harness_free(h);
    h = int_run(CODE(b_int40), prep_if, false);
    check_exc(h, 0x40, 0);
    g_assert_false(h->env->eflags & IF_MASK);
    harness_free(h);

    /* A 16-bit gate pushes 16-bit IP, CS, FLAGS. */
    h = prot();
    idt_kinds(h);
    harness_set_code(h, CODE(b_int41));
    run(h);
    check_halt_at(h, TARGET16);
    g_assert_cmphex(h->env->regs[R_ESP], ==, HARNESS_STACK - 6);
    g_assert_cmphex(rd16(h, HARNESS_STACK - 6), ==,
                    (h->code_addr + 2) & 0xffff);
    g_assert_cmphex(rd16(h, HARNESS_STACK - 4), ==, 0x08);
    g_assert_cmphex(rd16(h, HARNESS_STACK - 2), ==, 0x0202);
    g_assert_false(h->env->eflags & IF_MASK);
    harness_free(h);

    /* From ring 3: the stack from the TSS, frame SS ESP EFLAGS CS EIP. */
    h = int_run(CODE(b_int40), NULL, true);
    check_exc(h, 0x40, 0);
    g_assert_cmphex(h->env->regs[R_ESP], ==, HARNESS_STACK0 - 20);
    g_assert_cmphex(rd32(h, HARNESS_STACK0 - 4), ==, 0x33);
    g_assert_cmphex(rd32(h, HARNESS_STACK0 - 8), ==, STACK3);
    g_assert_cmphex(rd32(h, HARNESS_STACK0 - 16), ==, 0x2b);
    g_assert_cmphex(h->env->segs[R_SS].selector, ==, 0x10);
    harness_free(h);
}

/* Inner-stack faults while delivering from ring 3 (seen by a conforming
 * spin handler, which needs no stack switch). */
static void test_idt_stack_faults(void)
{
    void (*preps[])(CPUHarness *) = { prep_ss0_null, prep_ss0_rpl, prep_ss0_np,
                                      prep_ss0_room, prep_tr_limit };
    const int vec[] = { EXCP0A_TSS, EXCP0A_TSS, EXCP0C_STACK, EXCP0C_STACK,
                        EXCP0A_TSS };
    const uint32_t err[] = { 0, SEL(G_DATA), SEL(G_DATA_NP), SEL(G_SMALL_DATA),
                             0x38 };

    for (int i = 0; i < 5; i++) {
        /* INT n: EXT = 0 */
        CPUHarness *h = prot();
        preps[i](h);
        spin_handler(h, vec[i]);
        harness_enter_ring3(h);
        h->env->regs[R_ESP] = STACK3;
        harness_set_code(h, CODE(b_int40));
        harness_run(h, 20);
        g_assert_cmphex(spin_error(h), ==, err[i]);
        harness_free(h);
        /* An exception: EXT = 1 */
        h = prot();
        preps[i](h);
        spin_handler(h, vec[i]);
        harness_enter_ring3(h);
        h->env->regs[R_ESP] = STACK3;
        harness_set_code(h, CODE(b_ud2));
        harness_run(h, 20);
        g_assert_cmphex(spin_error(h), ==, err[i] | 1);
        harness_free(h);
    }
}

/* ================= task switches ================= */

BLOB(b_task_jmp, "ljmp $0x208, $0\n hlt");
BLOB(b_task_call, "lcall $0x208, $0\n hlt");

static void check_task_b_loaded(CPUHarness *h)
{
    CPUX86State *env = h->env;

    g_assert_cmphex(env->tr.selector, ==, SEL(G_TSS_B));
    g_assert_cmphex(env->tr.base, ==, TSS_B);
    g_assert_cmphex((env->tr.flags >> 8) & 0xf, ==, 11);
    g_assert_cmphex(env->regs[R_EAX], ==, 0xa0a0a000);
    g_assert_cmphex(env->regs[R_EDI], ==, 0xa0a0a007);
    g_assert_cmphex(env->segs[R_SS].selector, ==, 0x10);
    g_assert_true(env->segs[R_DS].flags & DESC_P_MASK);
    g_assert_true(env->cr[0] & CR0_TS_MASK);
    g_assert_cmphex(desc_hi(h, G_TSS_B) & 0xf00, ==, 0xb00);
}

static void test_task_jmp(void)
{
    CPUHarness *h = task_setup(NULL);

    g_assert_cmpint(SEL(G_TSS_B), ==, 0x208);
    harness_set_code(h, CODE(b_task_jmp));
    h->env->eflags |= DF_MASK;
    run(h);
    check_halt_at(h, TARGET);
    check_task_b_loaded(h);
    g_assert_cmphex(h->env->regs[R_ESP], ==, STACK_B);
    g_assert_cmphex(cpu_compute_eflags(h->env), ==, 0x2 | CC_C);
    /* The old task: state saved, not busy; no nesting anywhere. */
    g_assert_cmphex(rd32(h, TSS_A + 0x20), ==, h->code_addr + 7);
    g_assert_cmphex(rd32(h, TSS_A + 0x24), ==, 0x2 | DF_MASK);
    g_assert_cmphex(rd32(h, TSS_A + 0x28), ==, 0x5000);
    g_assert_cmphex(rd32(h, TSS_A + 0x38), ==, HARNESS_STACK);
    g_assert_cmphex(rd32(h, TSS_A + 0x44), ==, 0x5007);
    g_assert_cmphex(rd16(h, TSS_A + 0x4c), ==, 0x08);
    g_assert_cmphex(rd16(h, TSS_A + 0x50), ==, 0x10);
    g_assert_cmphex(desc_hi(h, G_TSS_A) & 0xf00, ==, 0x900);
    g_assert_cmphex(rd16(h, TSS_B), ==, 0);
    g_assert_false(h->env->eflags & NT_MASK);
    harness_free(h);
}

BLOB(b_task_b_iret, "mov $0x12345678, %eax\n iret");

static void test_task_call_iret(void)
{
    CPUHarness *h = task_setup(NULL);

    /* CALL: nested, back link, old task stays busy. */
    harness_set_code(h, CODE(b_task_call));
    run(h);
    check_halt_at(h, TARGET);
    check_task_b_loaded(h);
    g_assert_true(h->env->eflags & NT_MASK);
    g_assert_cmphex(rd16(h, TSS_B), ==, SEL(G_TSS_A));
    g_assert_cmphex(desc_hi(h, G_TSS_A) & 0xf00, ==, 0xb00);
    harness_free(h);

    /* ... and IRET back: A's registers, B not busy, B saved without NT. */
    h = task_setup(NULL);
    harness_write(h, TARGET, CODE(b_task_b_iret));
    harness_set_code(h, CODE(b_task_call));
    run(h);
    check_halt_at(h, h->code_addr + 7);
    g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_A));
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0x5000);
    g_assert_cmphex(h->env->regs[R_ESP], ==, HARNESS_STACK);
    g_assert_false(h->env->eflags & NT_MASK);
    g_assert_cmphex(desc_hi(h, G_TSS_B) & 0xf00, ==, 0x900);
    g_assert_cmphex(desc_hi(h, G_TSS_A) & 0xf00, ==, 0xb00);
    g_assert_cmphex(rd32(h, TSS_B + 0x28), ==, 0x12345678);
    g_assert_cmphex(rd32(h, TSS_B + 0x24) & NT_MASK, ==, 0);
    g_assert_cmphex(rd32(h, TSS_B + 0x20), ==, TARGET + 6);
    harness_free(h);
}

BLOB(b_task_gate_jmp, "ljmp $0x218, $0\n hlt");
BLOB(b_int50, "int $0x50\n hlt");

static void test_task_gates(void)
{
    CPUHarness *h;

    /* A task gate in the GDT. */
    h = task_setup(NULL);
    g_assert_cmpint(SEL(G_TASK_GATE), ==, 0x218);
    set_gate(h, G_TASK_GATE, SEL(G_TSS_B), 0, 5, 0, 0);
    harness_set_code(h, CODE(b_task_gate_jmp));
    run(h);
    check_halt_at(h, TARGET);
    check_task_b_loaded(h);
    harness_free(h);

    /* INT n through a task gate in the IDT: nesting. */
    h = task_setup(NULL);
    set_idt(h, 0x50, SEL(G_TSS_B), 0, 5, 3, true);
    harness_set_code(h, CODE(b_int50));
    run(h);
    check_halt_at(h, TARGET);
    check_task_b_loaded(h);
    g_assert_true(h->env->eflags & NT_MASK);
    g_assert_cmphex(rd16(h, TSS_B), ==, SEL(G_TSS_A));
    g_assert_cmphex(rd32(h, TSS_A + 0x20), ==, h->code_addr + 2);
    g_assert_cmphex(h->env->regs[R_ESP], ==, STACK_B);
    harness_free(h);

    /* An exception with an error code through a task gate: the code is
     * pushed on the new task's stack. */
    h = task_setup(NULL);
    set_idt(h, EXCP0D_GPF, SEL(G_TSS_B), 0, 5, 0, true);
    h->env->regs[R_EAX] = SEL(256);
    harness_set_code(h, CODE(b_gp));
    run(h);
    check_halt_at(h, TARGET);
    check_task_b_loaded(h);
    g_assert_cmphex(h->env->regs[R_ESP], ==, STACK_B - 4);
    g_assert_cmphex(rd32(h, STACK_B - 4), ==, SEL(256));
    g_assert_cmphex(rd32(h, TSS_A + 0x20), ==, h->code_addr);
    harness_free(h);

    /* #DF through a task gate (the usual double-fault handler). */
    h = task_setup(NULL);
    idt_gp_np(h);
    set_idt(h, EXCP08_DBLE, SEL(G_TSS_B), 0, 5, 0, true);
    h->env->regs[R_EAX] = SEL(256);
    harness_set_code(h, CODE(b_gp));
    run(h);
    check_halt_at(h, TARGET);
    check_task_b_loaded(h);
    g_assert_cmphex(rd32(h, STACK_B - 4), ==, 0);
    harness_free(h);

    /* INT n through a task gate whose DPL < CPL: #GP(vector*8+2). */
    h = task_setup(NULL);
    set_idt(h, 0x50, SEL(G_TSS_B), 0, 5, 0, true);
    spin_handler(h, EXCP0D_GPF);
    harness_enter_ring3(h);
    h->env->regs[R_ESP] = STACK3;
    harness_set_code(h, CODE(b_int50));
    harness_run(h, 20);
    g_assert_cmphex(spin_error(h), ==, 0x50 * 8 + 2);
    harness_free(h);
}

static void task_fault(void (*prep)(CPUHarness *), const uint8_t *code,
                       size_t len, int vector, uint32_t err, bool switched)
{
    CPUHarness *h = task_setup(NULL);
    uint32_t b_hi;

    set_gate(h, G_TASK_GATE, SEL(G_TSS_B), 0, 5, 0, 0);
    prep(h);
    b_hi = desc_hi(h, G_TSS_B);
    harness_set_code(h, code, len);
    run(h);
    check_exc(h, vector, err);
    if (switched) {
        /* Raised in the new task: its EIP, its TR. */
        g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_B));
        g_assert_cmphex(exc_eip(h), ==, TARGET);
    } else {
        g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_A));
        g_assert_cmphex(exc_eip(h), ==, h->code_addr);
        g_assert_cmphex(desc_hi(h, G_TSS_A) & 0xf00, ==, 0xb00);
        g_assert_cmphex(desc_hi(h, G_TSS_B), ==, b_hi);
        g_assert_cmphex(rd32(h, TSS_A + 0x20), ==, 0);
    }
    harness_free(h);
}

static void tf_busy(CPUHarness *h)
{
    set_desc(h, G_TSS_B, TSS_B, 0x67, SYS(11));
}

static void tf_limit(CPUHarness *h)
{
    set_desc(h, G_TSS_B, TSS_B, 0x66, SYS(9));
}

static void tf_np(CPUHarness *h)
{
    set_desc(h, G_TSS_B, TSS_B, 0x67, SYS(9) & ~A_P);
}

static void tf_gate_ldt(CPUHarness *h)
{
    set_gate(h, G_TASK_GATE, SEL(G_TSS_B) | 4, 0, 5, 0, 0);
}

static void tf_gate_data(CPUHarness *h)
{
    set_gate(h, G_TASK_GATE, SEL(G_DATA), 0, 5, 0, 0);
}

static void tf_gate_np(CPUHarness *h)
{
    set_gate_at(h, HARNESS_GDT + G_TASK_GATE * 8, SEL(G_TSS_B), 0, 5, 0, false,
                0);
}

static void tf_bad_cs(CPUHarness *h)
{
    wr32(h, TSS_B + 0x4c, SEL(G_DATA));
}

static void tf_cs_np(CPUHarness *h)
{
    wr32(h, TSS_B + 0x4c, SEL(G_CODE_NP));
}

static void tf_cs_null(CPUHarness *h)
{
    wr32(h, TSS_B + 0x4c, 0);
}

static void tf_ss_np(CPUHarness *h)
{
    wr32(h, TSS_B + 0x50, SEL(G_DATA_NP));
}

static void tf_ss_dpl(CPUHarness *h)
{
    wr32(h, TSS_B + 0x50, SEL(G_DATA3) | 3);
}

static void tf_ds_np(CPUHarness *h)
{
    wr32(h, TSS_B + 0x54, SEL(G_DATA_NP));
}

static void tf_ds_priv(CPUHarness *h)
{
    wr32(h, TSS_B + 0x5c, SEL(G_DATA1) | 2); /* GS: RPL 2 > DPL 1 */
}

static void tf_ds_xonly(CPUHarness *h)
{
    wr32(h, TSS_B + 0x58, SEL(G_XONLY)); /* FS */
}

static void tf_ldt_bad(CPUHarness *h)
{
    wr32(h, TSS_B + 0x60, SEL(G_DATA));
}

static void tf_ldt_np(CPUHarness *h)
{
    set_desc(h, G_LDT_NP, LDT_ADDR, 0xf, SYS(2) & ~A_P);
    wr32(h, TSS_B + 0x60, SEL(G_LDT_NP));
}

static void tf_eip_limit(CPUHarness *h)
{
    wr32(h, TSS_B + 0x4c, SEL(G_CODE_SMALL));
}

static void test_task_faults(void)
{
    /* Before the commit point: nothing changes. */
    task_fault(tf_busy, CODE(b_task_jmp), EXCP0D_GPF, SEL(G_TSS_B), false);
    task_fault(tf_limit, CODE(b_task_jmp), EXCP0A_TSS, SEL(G_TSS_B), false);
    task_fault(tf_np, CODE(b_task_jmp), EXCP0B_NOSEG, SEL(G_TSS_B), false);
    task_fault(tf_busy, CODE(b_task_gate_jmp), EXCP0D_GPF, SEL(G_TSS_B), false);
    task_fault(tf_gate_ldt, CODE(b_task_gate_jmp), EXCP0D_GPF, SEL(G_TSS_B) | 4,
               false);
    task_fault(tf_gate_data, CODE(b_task_gate_jmp), EXCP0D_GPF, SEL(G_DATA),
               false);
    task_fault(tf_gate_np, CODE(b_task_gate_jmp), EXCP0B_NOSEG,
               SEL(G_TASK_GATE), false);
    /* After it: in the new task's context. */
    task_fault(tf_bad_cs, CODE(b_task_jmp), EXCP0A_TSS, SEL(G_DATA), true);
    task_fault(tf_cs_np, CODE(b_task_jmp), EXCP0B_NOSEG, SEL(G_CODE_NP), true);
    task_fault(tf_ss_dpl, CODE(b_task_jmp), EXCP0A_TSS, SEL(G_DATA3), true);
    task_fault(tf_ds_np, CODE(b_task_jmp), EXCP0B_NOSEG, SEL(G_DATA_NP), true);
    task_fault(tf_ds_priv, CODE(b_task_jmp), EXCP0A_TSS, SEL(G_DATA1), true);
    task_fault(tf_ds_xonly, CODE(b_task_jmp), EXCP0A_TSS, SEL(G_XONLY), true);
    task_fault(tf_ldt_bad, CODE(b_task_jmp), EXCP0A_TSS, SEL(G_DATA), true);
    task_fault(tf_ldt_np, CODE(b_task_jmp), EXCP0A_TSS, SEL(G_LDT_NP), true);
    task_fault(tf_eip_limit, CODE(b_task_jmp), EXCP0D_GPF, 0, true);
    {
        /*
         * SS not present: #SS(selector) in the new task, which can only
         * be delivered through a task gate (to task C here): B's TSS
         * then holds B's own state, EIP at B's first instruction.
         */
        CPUHarness *h = task_setup(NULL);
        TssInit c = tss_b_default;

        c.esp = STACK_B - 0x1000;
        tss32_init(h, TSS_C, &c);
        set_desc(h, G_TSS_C, TSS_C, 0x67, SYS(9));
        set_idt(h, EXCP0C_STACK, SEL(G_TSS_C), 0, 5, 0, true);
        tf_ss_np(h);
        harness_set_code(h, CODE(b_task_jmp));
        run(h);
        check_halt_at(h, TARGET);
        g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_C));
        g_assert_cmphex(h->env->regs[R_ESP], ==, STACK_B - 0x1000 - 4);
        g_assert_cmphex(rd32(h, STACK_B - 0x1000 - 4), ==, SEL(G_DATA_NP));
        g_assert_cmphex(rd16(h, TSS_C), ==, SEL(G_TSS_B));
        g_assert_cmphex(rd32(h, TSS_B + 0x20), ==, TARGET);
        g_assert_cmphex(rd16(h, TSS_B + 0x50), ==, SEL(G_DATA_NP));
        g_assert_cmphex(desc_hi(h, G_TSS_B) & 0xf00, ==, 0xb00);
        g_assert_cmphex(desc_hi(h, G_TSS_A) & 0xf00, ==, 0x900);
        harness_free(h);
    }
    {
        /* A null CS: #TS(0), still in the new task. */
        CPUHarness *h = task_setup(NULL);
        tf_cs_null(h);
        harness_set_code(h, CODE(b_task_jmp));
        run(h);
        check_exc(h, EXCP0A_TSS, 0);
        g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_B));
        harness_free(h);
    }
    {
        /* A TSS with DPL 0 from ring 3: #GP(selector). */
        CPUHarness *h = task_setup(NULL);
        spin_handler(h, EXCP0D_GPF);
        harness_enter_ring3(h);
        h->env->regs[R_ESP] = STACK3;
        harness_set_code(h, CODE(b_task_jmp));
        harness_run(h, 20);
        g_assert_cmphex(spin_error(h), ==, SEL(G_TSS_B));
        g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_A));
        harness_free(h);
    }
}

/* IRET with NT: the back link must be a busy TSS in the GDT. */
static void test_task_iret_faults(void)
{
    static const struct {
        uint32_t link;
        bool busy;
        bool present;
        int vector;
        uint32_t err;
    } cases[] = {
        { SEL(G_TSS_B), false, true, EXCP0A_TSS, SEL(G_TSS_B) },
        { SEL(G_TSS_B) | 4, true, true, EXCP0A_TSS, SEL(G_TSS_B) | 4 },
        { SEL(256), true, true, EXCP0A_TSS, SEL(256) },
        { SEL(G_DATA), true, true, EXCP0A_TSS, SEL(G_DATA) },
        { SEL(G_TSS_B), true, false, EXCP0B_NOSEG, SEL(G_TSS_B) },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        CPUHarness *h = task_setup(NULL);

        set_desc(h, G_TSS_B, TSS_B, 0x67,
                 (cases[i].busy ? SYS(11) : SYS(9)) &
                     (cases[i].present ? ~0u : ~A_P));
        wr16(h, TSS_A, cases[i].link);
        h->env->eflags |= NT_MASK;
        harness_set_code(h, CODE(b_iret));
        run(h);
        check_exc(h, cases[i].vector, cases[i].err);
        g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_A));
        harness_free(h);
    }
    {
        /* A busy B returns fine (the usual nested return). */
        CPUHarness *h = task_setup(NULL);
        set_desc(h, G_TSS_B, TSS_B, 0x67, SYS(11));
        wr16(h, TSS_A, SEL(G_TSS_B));
        h->env->eflags |= NT_MASK;
        harness_set_code(h, CODE(b_iret));
        run(h);
        check_halt_at(h, TARGET);
        check_task_b_loaded(h);
        g_assert_cmphex(desc_hi(h, G_TSS_A) & 0xf00, ==, 0x900);
        g_assert_cmphex(rd32(h, TSS_A + 0x24) & NT_MASK, ==, 0);
        harness_free(h);
    }
}

/* A 16-bit TSS: 16-bit fields; the upper register halves stay. */
static void test_task_16bit(void)
{
    CPUHarness *h = task_setup(NULL);

    for (int i = 0; i < 0x2c; i += 2) {
        wr16(h, TSS_C + i, 0);
    }
    wr16(h, TSS_C + 0x0e, TARGET16);
    wr16(h, TSS_C + 0x10, 0x0003);
    for (int i = 0; i < 8; i++) {
        wr16(h, TSS_C + 0x12 + 2 * i, 0x1100 + i);
    }
    wr16(h, TSS_C + 0x1a, 0x7000); /* SP */
    wr16(h, TSS_C + 0x22, 0x10);   /* ES */
    wr16(h, TSS_C + 0x24, 0x08);   /* CS */
    wr16(h, TSS_C + 0x26, 0x10);   /* SS */
    wr16(h, TSS_C + 0x28, 0x10);   /* DS */
    set_desc(h, G_TSS16, TSS_C, 0x2b, SYS(1));
    wr32(h, DATA, 0);
    wr16(h, DATA + 4, SEL(G_TSS16));
    h->env->regs[R_EBX] = DATA;
    harness_set_code(h, CODE(b_ljmp_m));
    run(h);
    check_halt_at(h, TARGET16);
    g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS16));
    g_assert_cmphex((h->env->tr.flags >> 8) & 0xf, ==, 3);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0x1100);
    g_assert_cmphex(h->env->regs[R_ECX], ==, 0x1101);
    g_assert_cmphex(h->env->regs[R_ESP], ==,
                    (HARNESS_STACK & ~0xffff) | 0x7000);
    g_assert_cmphex(cpu_compute_eflags(h->env), ==, 0x0003);
    /* A 16-bit TSS has no FS and GS: they become null. */
    g_assert_cmphex(h->env->segs[R_FS].selector, ==, 0);
    g_assert_cmphex(h->env->segs[R_GS].selector, ==, 0);
    harness_free(h);

    /* A 16-bit TSS with limit 0x2a is too small: #TS. */
    h = task_setup(NULL);
    set_desc(h, G_TSS16, TSS_C, 0x2a, SYS(1));
    wr32(h, DATA, 0);
    wr16(h, DATA + 4, SEL(G_TSS16));
    h->env->regs[R_EBX] = DATA;
    harness_set_code(h, CODE(b_ljmp_m));
    run(h);
    check_exc(h, EXCP0A_TSS, SEL(G_TSS16));
    harness_free(h);
}

/* A task whose EFLAGS has VM: a v86 task. */
static void test_task_v86(void)
{
    TssInit t = {
        .eip = 0,
        .eflags = VM_MASK | IOPL_MASK | 0x2,
        .esp = 0xffe,
        .cs = V86_CODE >> 4,
        .ss = 0x600,
        .ds = 0x30,
    };
    CPUHarness *h = task_setup(&t);

    harness_write(h, V86_CODE, CODE(b_v86_int));
    wr16(h, 0x300, 0xbeef);
    harness_set_code(h, CODE(b_task_jmp));
    run(h);
    check_exc(h, 0x21, 0);
    g_assert_cmphex(h->env->regs[R_EAX] & 0xffff, ==, 0xbeef);
    /* Delivered with the new task's ring-0 stack (its TSS). */
    g_assert_cmphex(h->env->regs[R_ESP], ==, STACK_B - 0x800 - 36);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 4), ==, 0x700);
    harness_free(h);
}

/* CR3 comes from the new 32-bit TSS when paging is on. */
static void test_task_cr3(void)
{
    CPUHarness *h = harness_new(HARNESS_PAGED32);
    TssInit t = tss_b_default;

    h->env->gdt.limit = 0x7ff;
    wr8(h, TARGET, 0xf4);
    /* A second page directory: a copy of the harness's at 0xe0000. */
    for (int i = 0; i < 4; i++) {
        wr32(h, 0xe0000 + 4 * i, rd32(h, HARNESS_PT + 4 * i));
    }
    t.cr3 = 0xe0000;
    set_desc(h, G_TSS_A, TSS_A, 0x67, SYS(11));
    set_desc(h, G_TSS_B, TSS_B, 0x67, SYS(9));
    tss32_init(h, TSS_B, &t);
    h->env->tr.selector = SEL(G_TSS_A);
    h->env->tr.base = TSS_A;
    h->env->tr.limit = 0x67;
    h->env->tr.flags = SYS(11);
    harness_set_code(h, CODE(b_task_jmp));
    run(h);
    check_halt_at(h, TARGET);
    g_assert_cmphex(h->env->cr[3], ==, 0xe0000);
    harness_free(h);
}

/* The T bit: #DB before the new task's first instruction, DR6.BT. */
static void test_task_trap_bit(void)
{
    TssInit t = tss_b_default;
    CPUHarness *h;

    t.trap = true;
    h = task_setup(&t);
    harness_set_code(h, CODE(b_task_jmp));
    run(h);
    check_exc(h, EXCP01_DB, 0);
    g_assert_cmphex(exc_eip(h), ==, TARGET);
    g_assert_true(h->env->dr[6] & (1u << 15));
    harness_free(h);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cpu/task/idt-faults", test_idt_faults);
    g_test_add_func("/cpu/task/double-fault", test_double_fault);
    g_test_add_func("/cpu/task/gate-kinds", test_gate_kinds);
    g_test_add_func("/cpu/task/idt-stack-faults", test_idt_stack_faults);
    g_test_add_func("/cpu/task/task-jmp", test_task_jmp);
    g_test_add_func("/cpu/task/task-call-iret", test_task_call_iret);
    g_test_add_func("/cpu/task/task-gates", test_task_gates);
    g_test_add_func("/cpu/task/task-faults", test_task_faults);
    g_test_add_func("/cpu/task/task-iret-faults", test_task_iret_faults);
    g_test_add_func("/cpu/task/task-16bit", test_task_16bit);
    g_test_add_func("/cpu/task/task-v86", test_task_v86);
    g_test_add_func("/cpu/task/task-cr3", test_task_cr3);
    g_test_add_func("/cpu/task/task-trap-bit", test_task_trap_bit);
    return g_test_run();
}
