/*
 * LLDT SLDT LTR STR VERR VERW LAR LSL ARPL on the CPU harness, in
 * protected mode, long mode, and (#UD) real and virtual-8086 mode.
 */
#include "qemu/osdep.h"
#include "tests/unit/cpu-seg-util.h"

/* ================= LLDT SLDT LTR STR ================= */

BLOB(b_lldt, "lldt %ax\n hlt");
BLOB(b_lldt_use, "lldt %ax\n mov %cx, %ds\n mov (0x10), %edx\n hlt");
BLOB(b_ltr, "ltr %ax\n hlt");
BLOB(b_sldt32, "sldt %eax\n hlt");
BLOB(b_sldt16, "sldt %ax\n hlt");
BLOB(b_sldt_m, "sldt (%ebx)\n hlt");
BLOB(b_str32, "str %eax\n hlt");
BLOB(b_str16, "str %ax\n hlt");
BLOB(b_str_m, "str (%ebx)\n hlt");

static CPUHarness *sys_run(const uint8_t *code, size_t len, uint32_t eax,
                           bool ring3)
{
    CPUHarness *h = prot();

    set_desc(h, G_LDT, LDT_ADDR, 0x17, SYS(2));
    set_desc(h, G_LDT_NP, LDT_ADDR, 0x17, SYS(2) & ~A_P);
    set_desc(h, G_TSS16, TSS_C, 0x2b, SYS(1));
    set_desc(h, G_TSS_AVAIL, TSS_B, 0x67, SYS(9));
    set_desc(h, G_TSS_B, TSS_B, 0x67, SYS(11));
    /* LDT entry 2: data at base 0x300000 */
    wr32(h, LDT_ADDR + 16, 0x0000ffff);
    wr32(h, LDT_ADDR + 20, 0x30 | DATA_RW | A_D);
    if (ring3) {
        harness_enter_ring3(h);
    }
    harness_set_code(h, code, len);
    h->env->regs[R_EAX] = eax;
    run(h);
    return h;
}

static void sys_fault(const uint8_t *code, size_t len, uint32_t eax, bool ring3,
                      int vector, uint32_t err)
{
    CPUHarness *h = sys_run(code, len, eax, ring3);

    check_exc(h, vector, err);
    harness_free(h);
}

static void test_lldt(void)
{
    CPUHarness *h;

    h = prot();
    set_desc(h, G_LDT, LDT_ADDR, 0x17, SYS(2));
    wr32(h, LDT_ADDR + 16, 0x0000ffff);
    wr32(h, LDT_ADDR + 20, 0x30 | DATA_RW | A_D);
    wr32(h, 0x300010, 0xcafe);
    harness_set_code(h, CODE(b_lldt_use));
    h->env->regs[R_EAX] = SEL(G_LDT);
    h->env->regs[R_ECX] = 0x14; /* LDT entry 2 */
    run(h);
    check_halt_at(h, h->code_addr + (b_lldt_use_end - b_lldt_use_start) - 1);
    g_assert_cmphex(h->env->regs[R_EDX], ==, 0xcafe);
    g_assert_cmphex(h->env->ldt.selector, ==, SEL(G_LDT));
    g_assert_cmphex(h->env->ldt.base, ==, LDT_ADDR);
    g_assert_cmphex(h->env->ldt.limit, ==, 0x17);
    g_assert_cmphex(h->env->segs[R_DS].base, ==, 0x300000);
    harness_free(h);

    /* A null LDT: TI = 1 selectors then fault. */
    h = prot();
    harness_set_code(h, CODE(b_lldt_use));
    h->env->regs[R_EAX] = 0;
    h->env->regs[R_ECX] = 0x14;
    run(h);
    check_exc(h, EXCP0D_GPF, 0x14);
    g_assert_cmphex(h->env->ldt.selector, ==, 0);
    harness_free(h);

    sys_fault(CODE(b_lldt), SEL(G_LDT) | 4, false, EXCP0D_GPF, SEL(G_LDT) | 4);
    sys_fault(CODE(b_lldt), SEL(256), false, EXCP0D_GPF, SEL(256));
    sys_fault(CODE(b_lldt), SEL(G_DATA), false, EXCP0D_GPF, SEL(G_DATA));
    sys_fault(CODE(b_lldt), 0x38, false, EXCP0D_GPF, 0x38);
    sys_fault(CODE(b_lldt), SEL(G_LDT_NP), false, EXCP0B_NOSEG, SEL(G_LDT_NP));
    sys_fault(CODE(b_lldt), SEL(G_LDT), true, EXCP0D_GPF, 0);
}

static void test_ltr(void)
{
    CPUHarness *h;

    h = sys_run(CODE(b_ltr), SEL(G_TSS_AVAIL), false);
    check_halt_at(h, h->code_addr + 3);
    g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_AVAIL));
    g_assert_cmphex(h->env->tr.base, ==, TSS_B);
    g_assert_cmphex(h->env->tr.limit, ==, 0x67);
    g_assert_cmphex((h->env->tr.flags >> 8) & 0xf, ==, 11);
    g_assert_cmphex(desc_hi(h, G_TSS_AVAIL) & 0xf00, ==, 0xb00);
    harness_free(h);
    /* A 16-bit TSS is fine too (outside long mode). */
    h = sys_run(CODE(b_ltr), SEL(G_TSS16), false);
    check_halt_at(h, h->code_addr + 3);
    g_assert_cmphex(desc_hi(h, G_TSS16) & 0xf00, ==, 0x300);
    harness_free(h);

    sys_fault(CODE(b_ltr), 0, false, EXCP0D_GPF, 0);
    sys_fault(CODE(b_ltr), 3, false, EXCP0D_GPF, 0);
    sys_fault(CODE(b_ltr), SEL(G_TSS_B), false, EXCP0D_GPF,
              SEL(G_TSS_B)); /* busy */
    sys_fault(CODE(b_ltr), SEL(G_LDT), false, EXCP0D_GPF, SEL(G_LDT));
    sys_fault(CODE(b_ltr), SEL(G_TSS_AVAIL) | 4, false, EXCP0D_GPF,
              SEL(G_TSS_AVAIL) | 4);
    sys_fault(CODE(b_ltr), SEL(256), false, EXCP0D_GPF, SEL(256));
    sys_fault(CODE(b_ltr), SEL(G_TSS_AVAIL), true, EXCP0D_GPF, 0);
    h = prot();
    set_desc(h, G_TSS_AVAIL, TSS_B, 0x67, SYS(9) & ~A_P);
    harness_set_code(h, CODE(b_ltr));
    h->env->regs[R_EAX] = SEL(G_TSS_AVAIL);
    run(h);
    check_exc(h, EXCP0B_NOSEG, SEL(G_TSS_AVAIL));
    g_assert_cmphex(h->env->tr.selector, ==, 0x38);
    harness_free(h);
}

static void test_sldt_str(void)
{
    CPUHarness *h;

    /* Register forms: zero-extended at 32 bits, low 16 bits at 16. */
    h = prot();
    h->env->ldt.selector = 0x1234;
    harness_set_code(h, CODE(b_sldt32));
    h->env->regs[R_EAX] = 0xffffffff;
    run(h);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0x1234);
    harness_free(h);
    h = prot();
    h->env->ldt.selector = 0x1234;
    harness_set_code(h, CODE(b_sldt16));
    h->env->regs[R_EAX] = 0xffffffff;
    run(h);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0xffff1234);
    harness_free(h);
    h = prot();
    harness_set_code(h, CODE(b_str32));
    h->env->regs[R_EAX] = 0xffffffff;
    run(h);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0x38);
    harness_free(h);
    h = prot();
    harness_set_code(h, CODE(b_str16));
    h->env->regs[R_EAX] = 0xffffffff;
    run(h);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0xffff0038);
    harness_free(h);
    /* Memory forms store 16 bits. */
    h = prot();
    h->env->ldt.selector = 0x1234;
    wr32(h, DATA, 0xffffffff);
    harness_set_code(h, CODE(b_sldt_m));
    h->env->regs[R_EBX] = DATA;
    run(h);
    g_assert_cmphex(rd32(h, DATA), ==, 0xffff1234);
    harness_free(h);
    h = prot();
    wr32(h, DATA, 0xffffffff);
    harness_set_code(h, CODE(b_str_m));
    h->env->regs[R_EBX] = DATA;
    /* Not privileged. */
    harness_enter_ring3(h);
    run(h);
    g_assert_cmphex(rd32(h, DATA), ==, 0xffff0038);
    harness_free(h);
}

/* Long mode: 16-byte LDT/TSS descriptors, 64-bit TSS only. */
BLOB(b_l_ltr, ".code64\n ltr %ax\n hlt");
/* sldt %rcx with an explicit REX.W (gas leaves it out) */
BLOB(b_l_lldt, ".code64\n lldt %ax\n .byte 0x48, 0x0f, 0x00, 0xc1\n hlt");
BLOB(b_l_lar, ".code64\n lar %ax, %rcx\n hlt");

static CPUHarness *long_run(const uint8_t *code, size_t len, uint32_t eax)
{
    CPUHarness *h = harness_new(HARNESS_LONG64);

    h->env->gdt.limit = 0x7ff;
    /* a 64-bit LDT at 0x1_0022_0000 (slots 68-69), a 16-bit TSS (70) */
    set_desc(h, G_LDT, LDT_ADDR, 0x17, SYS(2));
    wr32(h, HARNESS_GDT + (G_LDT + 1) * 8, 0x1);
    wr32(h, HARNESS_GDT + (G_LDT + 1) * 8 + 4, 0);
    set_desc(h, G_TSS16, TSS_C, 0x2b, SYS(1));
    harness_set_code(h, code, len);
    h->env->regs[R_EAX] = eax;
    h->env->regs[R_ECX] = ~0ull;
    run(h);
    return h;
}

static void test_long_mode(void)
{
    CPUHarness *h;

    h = long_run(CODE(b_l_ltr), 0x38);
    check_halt_at(h, h->code_addr + 3);
    g_assert_cmphex(h->env->tr.base, ==, HARNESS_TSS);
    g_assert_cmphex(desc_hi(h, 7) & 0xf00, ==, 0xb00);
    harness_free(h);
    h = long_run(CODE(b_l_ltr), SEL(G_TSS16));
    check_exc(h, EXCP0D_GPF, SEL(G_TSS16));
    harness_free(h);

    h = long_run(CODE(b_l_lldt), SEL(G_LDT));
    check_halt_at(h, h->code_addr + 7);
    g_assert_cmphex(h->env->ldt.base, ==, 0x100000000ull | LDT_ADDR);
    g_assert_cmphex(h->env->regs[R_ECX], ==, SEL(G_LDT));
    harness_free(h);

    /* LAR: a 16-bit TSS is no valid type in IA-32e mode, an LDT is. */
    h = long_run(CODE(b_l_lar), SEL(G_TSS16));
    g_assert_false(zf(h));
    g_assert_cmphex(h->env->regs[R_ECX], ==, ~0ull);
    harness_free(h);
    h = long_run(CODE(b_l_lar), SEL(G_LDT));
    g_assert_true(zf(h));
    g_assert_cmphex(h->env->regs[R_ECX], ==, SYS(2));
    harness_free(h);
}

/* None of these exists in real or v86 mode. */
BLOB(b_r_lldt, ".code16\n lldt %ax\n hlt");
BLOB(b_r_sldt, ".code16\n sldt %ax\n hlt");
BLOB(b_r_ltr, ".code16\n ltr %ax\n hlt");
BLOB(b_r_str, ".code16\n str %ax\n hlt");
BLOB(b_r_verr, ".code16\n verr %ax\n hlt");
BLOB(b_r_verw, ".code16\n verw %ax\n hlt");
BLOB(b_r_lar, ".code16\n lar %ax, %cx\n hlt");
BLOB(b_r_lsl, ".code16\n lsl %ax, %cx\n hlt");
BLOB(b_r_arpl, ".code16\n arpl %cx, %ax\n hlt");

static void test_ud_real_v86(void)
{
    struct {
        const uint8_t *s;
        size_t n;
    } c[] = {
        { CODE(b_r_lldt) }, { CODE(b_r_sldt) }, { CODE(b_r_ltr) },
        { CODE(b_r_str) },  { CODE(b_r_verr) }, { CODE(b_r_verw) },
        { CODE(b_r_lar) },  { CODE(b_r_lsl) },  { CODE(b_r_arpl) },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
        CPUHarness *h = harness_new(HARNESS_REAL);

        harness_set_code(h, c[i].s, c[i].n);
        run(h);
        check_exc(h, EXCP06_ILLOP, 0);
        harness_free(h);

        h = v86_enter(c[i].s, c[i].n, 3);
        run(h);
        check_exc(h, EXCP06_ILLOP, 0);
        g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 4), ==, 0x700);
        harness_free(h);
    }
}

/* ================= VERR VERW LAR LSL ARPL ================= */

BLOB(b_verr, "stc\n verr %ax\n hlt");
BLOB(b_verw, "stc\n verw %ax\n hlt");
BLOB(b_lar32, "stc\n lar %ax, %ecx\n hlt");
BLOB(b_lar16, "stc\n lar %ax, %cx\n hlt");
BLOB(b_lsl32, "stc\n lsl %ax, %ecx\n hlt");
BLOB(b_lsl16, "stc\n lsl %ax, %cx\n hlt");
BLOB(b_lar_m, "lar (%ebx), %ecx\n hlt");

/* Runs the blob with AX = sel; returns ZF, checks CF stayed 1. */
static bool zf_of(const uint8_t *code, size_t len, uint32_t sel, bool ring3,
                  uint32_t *ecx)
{
    CPUHarness *h = prot();
    bool z;

    set_desc(h, G_TSS16, TSS_C, 0x2b, SYS(1));
    set_desc(h, G_LDT, LDT_ADDR, 0x17, SYS(2));
    set_gate(h, G_GATE, SEL(G_CODE0), TARGET, 12, 3, 0);
    set_gate(h, G_GATE + 1, SEL(G_CODE0), TARGET, 4, 3, 0);
    set_gate(h, G_GATE + 2, SEL(G_TSS_B), 0, 5, 3, 0);
    set_gate(h, G_GATE + 3, 0x08, TARGET, 14, 3, 0);  /* interrupt gate */
    set_desc(h, G_GATE + 4, 0, 0, SYS(0) | A_DPL(3)); /* type 0 */
    set_desc(h, G_GATE + 5, 0, 0, SYS(8) | A_DPL(3)); /* reserved 8 */
    set_desc(h, G_TSS_AVAIL, TSS_B, 0x67, SYS(9) | A_DPL(3));
    set_desc(h, G_SMALL_DATA, DATA, 0xfff, DATA_RW | A_D | A_DPL(3));
    if (ring3) {
        harness_enter_ring3(h);
    }
    harness_set_code(h, code, len);
    h->env->regs[R_EAX] = sel;
    h->env->regs[R_ECX] = 0xdddddddd;
    run(h);
    check_end(h, h->code_addr + len - 1, ring3);
    z = zf(h);
    g_assert_true(cpu_cc_compute_all(h->env) & CC_C);
    if (ecx) {
        *ecx = h->env->regs[R_ECX];
    }
    harness_free(h);
    return z;
}

static void test_verr_verw(void)
{
    g_assert_true(zf_of(CODE(b_verr), SEL(G_DATA), false, NULL));
    g_assert_true(zf_of(CODE(b_verw), SEL(G_DATA), false, NULL));
    g_assert_true(zf_of(CODE(b_verr), SEL(G_RONLY), false, NULL));
    g_assert_false(zf_of(CODE(b_verw), SEL(G_RONLY), false, NULL));
    g_assert_false(zf_of(CODE(b_verr), SEL(G_XONLY), false, NULL));
    g_assert_true(zf_of(CODE(b_verr), SEL(G_CODE0), false, NULL));
    g_assert_false(zf_of(CODE(b_verw), SEL(G_CODE0), false, NULL));
    /* The present bit is not checked. */
    g_assert_true(zf_of(CODE(b_verr), SEL(G_DATA_NP), false, NULL));
    /* Privilege: CPL and RPL against DPL; conforming code readable. */
    g_assert_false(zf_of(CODE(b_verr), SEL(G_DATA), true, NULL));
    g_assert_false(zf_of(CODE(b_verr), SEL(G_DATA) | 3, false, NULL));
    g_assert_true(zf_of(CODE(b_verw), SEL(G_DATA3) | 3, true, NULL));
    g_assert_true(zf_of(CODE(b_verr), SEL(G_CONF0) | 3, true, NULL));
    g_assert_false(zf_of(CODE(b_verr), SEL(G_CODE0) | 3, true, NULL));
    /* System descriptors, null, beyond the limit. */
    g_assert_false(zf_of(CODE(b_verr), 0x38, false, NULL));
    g_assert_false(zf_of(CODE(b_verr), 0, false, NULL));
    g_assert_false(zf_of(CODE(b_verr), SEL(256), false, NULL));
}

static void test_lar(void)
{
    uint32_t ecx;

    /* 32 bits: the high dword masked with 00F0FF00. */
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_DATA), false, &ecx));
    g_assert_cmphex(ecx, ==, (DATA_RW | A_G | A_D) & 0x00f0ff00);
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_CODE3) | 3, true, &ecx));
    g_assert_cmphex(ecx, ==, (CODE_RX | A_DPL(3) | A_G | A_D));
    /* 16 bits: masked with FF00, upper half kept. */
    g_assert_true(zf_of(CODE(b_lar16), SEL(G_DATA), false, &ecx));
    g_assert_cmphex(ecx, ==, 0xdddd0000 | (DATA_RW & 0xff00));
    /* System types valid for LAR: TSSs, LDT, call and task gates. */
    g_assert_true(zf_of(CODE(b_lar32), 0x38, false, &ecx));
    g_assert_cmphex(ecx, ==, SYS(9));
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_TSS16), false, NULL));
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_LDT), false, NULL));
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_GATE), false, NULL));
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_GATE + 1), false, NULL));
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_GATE + 2), false, NULL));
    /* ... but not interrupt gates or reserved types; dest unchanged. */
    g_assert_false(zf_of(CODE(b_lar32), SEL(G_GATE + 3), false, &ecx));
    g_assert_cmphex(ecx, ==, 0xdddddddd);
    g_assert_false(zf_of(CODE(b_lar32), SEL(G_GATE + 4), false, NULL));
    g_assert_false(zf_of(CODE(b_lar32), SEL(G_GATE + 5), false, NULL));
    /* Privilege (a conforming code segment is always visible). */
    g_assert_false(zf_of(CODE(b_lar32), SEL(G_DATA) | 3, true, NULL));
    g_assert_false(zf_of(CODE(b_lar32), 0x38, true, NULL));
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_TSS_AVAIL) | 3, true, NULL));
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_CONF0) | 3, true, NULL));
    g_assert_false(zf_of(CODE(b_lar32), 0, false, NULL));
    g_assert_false(zf_of(CODE(b_lar32), SEL(256), false, NULL));
    /* Not-present descriptors are reported (P = 0 in the result). */
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_DATA_NP), false, &ecx));
    g_assert_false(ecx & A_P);
    {
        /* A memory source operand (16 bits). */
        CPUHarness *h = prot();
        wr32(h, DATA, 0xffff0000 | SEL(G_DATA));
        harness_set_code(h, CODE(b_lar_m));
        h->env->regs[R_EBX] = DATA;
        run(h);
        g_assert_true(zf(h));
        g_assert_cmphex(h->env->regs[R_ECX], ==,
                        (DATA_RW | A_G | A_D) & 0x00f0ff00);
        harness_free(h);
    }
}

static void test_lsl(void)
{
    uint32_t ecx;

    g_assert_true(zf_of(CODE(b_lsl32), SEL(G_DATA), false, &ecx));
    g_assert_cmphex(ecx, ==, 0xffffffff);
    g_assert_true(zf_of(CODE(b_lsl32), SEL(G_SMALL_DATA), false, &ecx));
    g_assert_cmphex(ecx, ==, 0xfff);
    g_assert_true(zf_of(CODE(b_lsl16), SEL(G_DATA), false, &ecx));
    g_assert_cmphex(ecx, ==, 0xddddffff);
    g_assert_true(zf_of(CODE(b_lsl32), 0x38, false, &ecx));
    g_assert_cmphex(ecx, ==, 0x67);
    g_assert_true(zf_of(CODE(b_lsl32), SEL(G_LDT), false, &ecx));
    g_assert_cmphex(ecx, ==, 0x17);
    g_assert_true(zf_of(CODE(b_lsl32), SEL(G_TSS16), false, &ecx));
    g_assert_cmphex(ecx, ==, 0x2b);
    /* Gates have no limit: invalid for LSL. */
    g_assert_false(zf_of(CODE(b_lsl32), SEL(G_GATE), false, &ecx));
    g_assert_cmphex(ecx, ==, 0xdddddddd);
    g_assert_false(zf_of(CODE(b_lsl32), SEL(G_GATE + 2), false, NULL));
    g_assert_false(zf_of(CODE(b_lsl32), SEL(G_DATA), true, NULL));
    g_assert_true(zf_of(CODE(b_lsl32), SEL(G_SMALL_DATA) | 3, true, &ecx));
    g_assert_true(zf_of(CODE(b_lsl32), SEL(G_CONF0) | 3, true, NULL));
    g_assert_false(zf_of(CODE(b_lsl32), 0, false, NULL));
}

BLOB(b_arpl, "stc\n arpl %cx, %ax\n hlt");
BLOB(b_arpl_m, "stc\n arpl %cx, (%ebx)\n hlt");

static void test_arpl(void)
{
    CPUHarness *h = prot();

    harness_set_code(h, CODE(b_arpl));
    h->env->regs[R_EAX] = 0xabcd0010;
    h->env->regs[R_ECX] = 0x0003;
    run(h);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0xabcd0013);
    g_assert_true(zf(h));
    g_assert_true(cpu_cc_compute_all(h->env) & CC_C);
    harness_free(h);

    h = prot();
    harness_set_code(h, CODE(b_arpl));
    h->env->regs[R_EAX] = 0x0012;
    h->env->regs[R_ECX] = 0x0011;
    run(h);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0x0012);
    g_assert_false(zf(h));
    harness_free(h);

    h = prot();
    harness_set_code(h, CODE(b_arpl_m));
    wr32(h, DATA, 0xffff0008);
    h->env->regs[R_EBX] = DATA;
    h->env->regs[R_ECX] = 0x0002;
    run(h);
    g_assert_cmphex(rd32(h, DATA), ==, 0xffff000a);
    g_assert_true(zf(h));
    harness_free(h);

    /* The memory form checks for writing: read-only DS is #GP(0). */
    h = prot();
    harness_set_code(h, CODE(b_arpl_m));
    cpu_x86_load_seg_cache(h->env, R_DS, SEL(G_RONLY), 0, 0xffffffff,
                           A_P | A_S | A_G | A_D);
    h->env->regs[R_EBX] = DATA;
    run(h);
    check_exc(h, EXCP0D_GPF, 0);
    harness_free(h);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cpu/segsys/lldt", test_lldt);
    g_test_add_func("/cpu/segsys/ltr", test_ltr);
    g_test_add_func("/cpu/segsys/sldt-str", test_sldt_str);
    g_test_add_func("/cpu/segsys/ud-real-v86", test_ud_real_v86);
    g_test_add_func("/cpu/segsys/long-mode", test_long_mode);
    g_test_add_func("/cpu/segsys/verr-verw", test_verr_verw);
    g_test_add_func("/cpu/segsys/lar", test_lar);
    g_test_add_func("/cpu/segsys/lsl", test_lsl);
    g_test_add_func("/cpu/segsys/arpl", test_arpl);
    return g_test_run();
}
