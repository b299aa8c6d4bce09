/*
 * Segmentation on the CPU harness: segment register loads (protected,
 * real and unreal mode, v86), limit and type checks, far JMP/CALL/RET,
 * call gates, IRET (protected, real, to and inside v86 mode).  Every
 * failure case checks the exact vector and error code the SDM gives.
 * Interrupt delivery and task switches are in test-cpu-task.c, the
 * descriptor-table instructions in test-cpu-segsys.c.
 */
#include "qemu/osdep.h"
#include "tests/unit/cpu-seg-util.h"

/* ================= segment register loads ================= */

BLOB(b_movds, "mov %ax, %ds\n hlt");
BLOB(b_movss, "mov %ax, %ss\n hlt");
BLOB(b_movfs_rd, "mov %ax, %fs\n mov %fs:(%ebx), %ecx\n hlt");
BLOB(b_movfs_wr, "mov %ax, %fs\n mov %ecx, %fs:(%ebx)\n hlt");
BLOB(b_movds_use, "mov %ax, %ds\n mov (%ebx), %ecx\n hlt");
BLOB(b_movss_push, "mov %ax, %ss\n mov %ebx, %esp\n push %ecx\n hlt");

/* Loads sel with the blob and returns the harness (caller checks). */
static CPUHarness *try_load(const uint8_t *code, size_t len, uint32_t sel,
                            bool ring3)
{
    CPUHarness *h = prot();

    if (ring3) {
        harness_enter_ring3(h);
    }
    harness_set_code(h, code, len);
    h->env->regs[R_EAX] = sel;
    run(h);
    return h;
}

static void load_ok(const uint8_t *code, size_t len, uint32_t sel, bool ring3)
{
    CPUHarness *h = try_load(code, len, sel, ring3);

    check_end(h, h->code_addr + len - 1, ring3);
    harness_free(h);
}

static void load_fault(const uint8_t *code, size_t len, uint32_t sel,
                       bool ring3, int vector, uint32_t err)
{
    CPUHarness *h = try_load(code, len, sel, ring3);

    check_exc(h, vector, err);
    harness_free(h);
}

static void test_load_data(void)
{
    CPUHarness *h;

    /* A writable data segment loads and gets its accessed bit set. */
    h = try_load(CODE(b_movds), SEL(G_DATA), false);
    check_halt_at(h, h->code_addr + 2);
    g_assert_cmphex(h->env->segs[R_DS].selector, ==, SEL(G_DATA));
    g_assert_true(desc_hi(h, G_DATA) & A_A);
    g_assert_true(h->env->segs[R_DS].flags & A_A);
    harness_free(h);

    /* Null selectors load (and make DS unusable). */
    h = try_load(CODE(b_movds), 0, false);
    check_halt_at(h, h->code_addr + 2);
    g_assert_false(h->env->segs[R_DS].flags & DESC_P_MASK);
    harness_free(h);
    load_ok(CODE(b_movds), 3, false);
    /* ... and using it is #GP(0). */
    load_fault(CODE(b_movds_use), 0, false, EXCP0D_GPF, 0);

    /* Readable code, conforming or not, is fine in DS. */
    load_ok(CODE(b_movds), SEL(G_CODE0), false);
    load_ok(CODE(b_movds), SEL(G_CONF0) | 3, true);
    load_ok(CODE(b_movds), SEL(G_DATA3) | 3, true);

    /* Beyond the GDT limit, system descriptors, execute-only code. */
    load_fault(CODE(b_movds), SEL(256) | 1, false, EXCP0D_GPF, SEL(256));
    load_fault(CODE(b_movds), 0x38, false, EXCP0D_GPF, 0x38);
    load_fault(CODE(b_movds), SEL(G_XONLY), false, EXCP0D_GPF, SEL(G_XONLY));
    /* Not present: #NP(selector). */
    load_fault(CODE(b_movds), SEL(G_DATA_NP), false, EXCP0B_NOSEG,
               SEL(G_DATA_NP));
    /* Privilege: max(CPL, RPL) > DPL. */
    load_fault(CODE(b_movds), SEL(G_DATA) | 3, false, EXCP0D_GPF, SEL(G_DATA));
    load_fault(CODE(b_movds), SEL(G_DATA) | 3, true, EXCP0D_GPF, SEL(G_DATA));
    load_fault(CODE(b_movds), SEL(G_CODE0) | 3, true, EXCP0D_GPF, SEL(G_CODE0));
    load_fault(CODE(b_movds), SEL(G_DATA1) | 2, false, EXCP0D_GPF,
               SEL(G_DATA1));
    load_ok(CODE(b_movds), SEL(G_DATA1) | 1, false);
    /* A TI = 1 selector with the null LDT of the harness. */
    h = prot();
    h->env->ldt.flags = 0;
    h->env->ldt.limit = 0;
    harness_set_code(h, CODE(b_movds));
    h->env->regs[R_EAX] = 0x0c;
    run(h);
    check_exc(h, EXCP0D_GPF, 0x0c);
    harness_free(h);
}

static void test_load_ss(void)
{
    /* SS: a present writable data segment with RPL = DPL = CPL. */
    load_ok(CODE(b_movss), SEL(G_DATA), false);
    load_ok(CODE(b_movss), SEL(G_DATA3) | 3, true);
    load_fault(CODE(b_movss), 0, false, EXCP0D_GPF, 0);
    load_fault(CODE(b_movss), 3, true, EXCP0D_GPF, 0);
    load_fault(CODE(b_movss), SEL(G_RONLY), false, EXCP0D_GPF, SEL(G_RONLY));
    load_fault(CODE(b_movss), SEL(G_DATA) | 3, false, EXCP0D_GPF, SEL(G_DATA));
    load_fault(CODE(b_movss), SEL(G_DATA3), false, EXCP0D_GPF, SEL(G_DATA3));
    load_fault(CODE(b_movss), SEL(G_CODE0), false, EXCP0D_GPF, SEL(G_CODE0));
    load_fault(CODE(b_movss), SEL(G_DATA_NP), false, EXCP0C_STACK,
               SEL(G_DATA_NP));
    load_fault(CODE(b_movss), SEL(256), false, EXCP0D_GPF, SEL(256));
}

/* Limit checks at access time: expand-up, expand-down (B = 0 and 1). */
static int access_vector(uint32_t sel, uint32_t off, bool write)
{
    CPUHarness *h = prot();
    int v = -1;
    uint32_t ec;
    uint64_t eip;

    if (write) {
        harness_set_code(h, CODE(b_movfs_wr));
    } else {
        harness_set_code(h, CODE(b_movfs_rd));
    }
    h->env->regs[R_EAX] = sel;
    h->env->regs[R_EBX] = off;
    run(h);
    if (harness_exception(h, &v, &ec, &eip)) {
        g_assert_cmphex(ec, ==, 0);
    }
    harness_free(h);
    return v;
}

static void test_limits(void)
{
    g_assert_cmpint(access_vector(SEL(G_SMALL_DATA), 0xffc, false), ==, -1);
    g_assert_cmpint(access_vector(SEL(G_SMALL_DATA), 0xffd, false), ==, 13);
    g_assert_cmpint(access_vector(SEL(G_SMALL_DATA), 0x1000, true), ==, 13);
    /* Expand-down: valid offsets are limit+1 .. 0xffff (B=0) or 4G-1. */
    g_assert_cmpint(access_vector(SEL(G_EXPDOWN16), 0x1000, false), ==, -1);
    g_assert_cmpint(access_vector(SEL(G_EXPDOWN16), 0xfff, false), ==, 13);
    g_assert_cmpint(access_vector(SEL(G_EXPDOWN16), 0xfffc, true), ==, -1);
    g_assert_cmpint(access_vector(SEL(G_EXPDOWN16), 0xfffd, true), ==, 13);
    g_assert_cmpint(access_vector(SEL(G_EXPDOWN32), 0xfffd, true), ==, -1);
    g_assert_cmpint(access_vector(SEL(G_EXPDOWN32), 0xfffffffc, true), ==, -1);
    g_assert_cmpint(access_vector(SEL(G_EXPDOWN32), 0xffc, true), ==, 13);
    /* Read-only data can't be written; readable code can be read. */
    g_assert_cmpint(access_vector(SEL(G_RONLY), 0x10, false), ==, -1);
    g_assert_cmpint(access_vector(SEL(G_RONLY), 0x10, true), ==, 13);
    g_assert_cmpint(access_vector(SEL(G_CODE0), 0x10, false), ==, -1);
    g_assert_cmpint(access_vector(SEL(G_CODE0), 0x10, true), ==, 13);
}

/*
 * A stack access past the SS limit is #SS(0).  #SS goes through a task
 * gate here, since its frame cannot be pushed on the broken stack.
 */

static void test_stack_limit(void)
{
    CPUHarness *h = task_setup(NULL);

    set_idt(h, EXCP0C_STACK, SEL(G_TSS_B), 0, 5, 0, true);
    harness_set_code(h, CODE(b_movss_push));
    h->env->regs[R_EAX] = SEL(G_SMALL_DATA);
    h->env->regs[R_EBX] = 0x1002; /* push to 0xffe: straddles the limit */
    run(h);
    check_halt_at(h, TARGET);
    g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_B));
    g_assert_cmphex(h->env->regs[R_ESP], ==, STACK_B - 4);
    g_assert_cmphex(rd32(h, STACK_B - 4), ==, 0);
    /* The old task saved the faulting PUSH and the loaded SS. */
    g_assert_cmphex(rd32(h, TSS_A + 0x20), ==, h->code_addr + 4);
    g_assert_cmphex(rd32(h, TSS_A + 0x38), ==, 0x1002);
    g_assert_cmphex(rd16(h, TSS_A + 0x50), ==, SEL(G_SMALL_DATA));
    harness_free(h);
}

/* ---- real mode: unreal mode and real-mode loads ---- */

BLOB(b_unreal, ".code16\n mov $0x2000, %ax\n mov %ax, %ds\n"
               " mov $0x100000, %esi\n addr32 movl (%esi), %eax\n hlt");
BLOB(b_real_cs_wr, ".code16\n movw $0x5a5a, %cs:(0x7e00)\n"
                   " movw %cs:(0x7e00), %ax\n hlt");
BLOB(b_real_ds, ".code16\n mov $0x2000, %ax\n mov %ax, %ds\n"
                " movw (0x10), %ax\n hlt");

static void test_unreal(void)
{
    CPUHarness *h = harness_new(HARNESS_REAL);

    /* DS keeps a 4 GiB limit loaded in protected mode ("unreal"). */
    h->env->segs[R_DS].limit = 0xffffffff;
    h->env->segs[R_DS].flags |= DESC_G_MASK | DESC_B_MASK;
    wr32(h, 0x120000, 0xdeadbeef);
    harness_set_code(h, CODE(b_unreal));
    run(h);
    check_halt_at(h, h->code_addr + (b_unreal_end - b_unreal_start) - 1);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0xdeadbeef);
    g_assert_cmphex(h->env->segs[R_DS].base, ==, 0x20000);
    g_assert_cmphex(h->env->segs[R_DS].selector, ==, 0x2000);
    g_assert_cmphex(h->env->segs[R_DS].limit, ==, 0xffffffff);
    g_assert_true(h->env->segs[R_DS].flags & DESC_G_MASK);
    harness_free(h);

    /* With the real-mode limit of 64 KiB the same access is #GP. */
    h = harness_new(HARNESS_REAL);
    harness_set_code(h, CODE(b_unreal));
    run(h);
    check_exc(h, EXCP0D_GPF, 0);
    harness_free(h);

    /*
     * Real mode makes no type checks: CS cached from a 16-bit protected
     * mode code segment (execute-only even) can be written and read.
     */
    h = harness_new(HARNESS_REAL);
    h->env->segs[R_CS].flags = DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK;
    harness_set_code(h, CODE(b_real_cs_wr));
    run(h);
    check_halt_at(h,
                  h->code_addr + (b_real_cs_wr_end - b_real_cs_wr_start) - 1);
    g_assert_cmphex(h->env->regs[R_EAX] & 0xffff, ==, 0x5a5a);
    g_assert_cmphex(rd16(h, 0x7e00), ==, 0x5a5a);
    harness_free(h);

    /* A segment left unusable (null) by protected mode becomes usable
     * when loaded in real mode. */
    h = harness_new(HARNESS_REAL);
    h->env->segs[R_DS].flags = 0;
    h->env->segs[R_DS].limit = 0;
    wr16(h, 0x20010, 0x4242);
    harness_set_code(h, CODE(b_real_ds));
    run(h);
    check_halt_at(h, h->code_addr + (b_real_ds_end - b_real_ds_start) - 1);
    g_assert_cmphex(h->env->regs[R_EAX] & 0xffff, ==, 0x4242);
    harness_free(h);
}

/*
 * A real transition: in protected mode with a 4 GiB DS, clear CR0.PE and
 * far-jump; DS keeps its limit in real mode and a real-mode DS load keeps
 * it too (only selector and base change).
 */
BLOB(b_pm_to_real, "mov %cr0, %eax\n and $0xfffffffe, %eax\n mov %eax, %cr0\n"
                   " ljmp $0x0000, $(1f - b_pm_to_real_start + 0x100000)\n"
                   "1: mov $0x10, %ax\n mov %ax, %ds\n"
                   " mov 0x120000 - 0x100, %ecx\n hlt");

static void test_pm_to_real(void)
{
    CPUHarness *h = prot();

    wr32(h, 0x120000, 0x600df00d);
    harness_set_code(h, CODE(b_pm_to_real));
    run(h);
    g_assert_false(h->env->cr[0] & CR0_PE_MASK);
    check_halt_at(h,
                  h->code_addr + (b_pm_to_real_end - b_pm_to_real_start) - 1);
    g_assert_cmphex(h->env->segs[R_CS].selector, ==, 0);
    g_assert_cmphex(h->env->segs[R_DS].base, ==, 0x100);
    g_assert_cmphex(h->env->segs[R_DS].limit, ==, 0xffffffff);
    g_assert_cmphex(h->env->regs[R_ECX], ==, 0x600df00d);
    g_assert_cmpint(cpu_cpl(h->env), ==, 0);
    harness_free(h);
}

/* ================= far JMP / CALL / RET ================= */

BLOB(b_lcallw_m, "lcallw *(%ebx)\n hlt");
BLOB(b_ljmp_imm, "ljmp $0xb8, $0x110000\n hlt");

/* Runs JMP/CALL m16:32 to sel:off from the given CPL (0 or 3). */
static CPUHarness *far_xfer(const uint8_t *code, size_t len, uint32_t sel,
                            uint32_t off, bool ring3)
{
    CPUHarness *h = prot();

    if (ring3) {
        harness_enter_ring3(h);
    }
    wr32(h, DATA, off);
    wr16(h, DATA + 4, sel);
    harness_set_code(h, code, len);
    h->env->regs[R_EBX] = DATA;
    run(h);
    return h;
}

static void far_fault(const uint8_t *code, size_t len, uint32_t sel,
                      uint32_t off, bool ring3, int vector, uint32_t err)
{
    CPUHarness *h = far_xfer(code, len, sel, off, ring3);

    check_exc(h, vector, err);
    /* Nothing changed: CS and ESP as before (the fault frame aside). */
    g_assert_cmphex(exc_eip(h), ==, h->code_addr);
    harness_free(h);
}

static void test_far_jmp(void)
{
    CPUHarness *h;

    g_assert_cmpint(SEL(G_CODE0), ==, 0xb8);
    h = far_xfer(CODE(b_ljmp_m), SEL(G_CODE0), TARGET, false);
    check_halt_at(h, TARGET);
    g_assert_cmphex(h->env->segs[R_CS].selector, ==, SEL(G_CODE0));
    g_assert_true(desc_hi(h, G_CODE0) & A_A);
    harness_free(h);
    /* The direct form, ptr16:32. */
    h = prot();
    harness_set_code(h, CODE(b_ljmp_imm));
    run(h);
    check_halt_at(h, TARGET);
    harness_free(h);

    far_fault(CODE(b_ljmp_m), 0, TARGET, false, EXCP0D_GPF, 0);
    far_fault(CODE(b_ljmp_m), SEL(256), TARGET, false, EXCP0D_GPF, SEL(256));
    far_fault(CODE(b_ljmp_m), SEL(G_DATA), TARGET, false, EXCP0D_GPF,
              SEL(G_DATA));
    far_fault(CODE(b_ljmp_m), SEL(G_CODE_NP), TARGET, false, EXCP0B_NOSEG,
              SEL(G_CODE_NP));
    /* Non-conforming: RPL > CPL or DPL != CPL. */
    far_fault(CODE(b_ljmp_m), SEL(G_CODE0) | 3, TARGET, false, EXCP0D_GPF,
              SEL(G_CODE0));
    far_fault(CODE(b_ljmp_m), SEL(G_CODE3), TARGET, false, EXCP0D_GPF,
              SEL(G_CODE3));
    far_fault(CODE(b_ljmp_m), SEL(G_CODE0) | 3, TARGET, true, EXCP0D_GPF,
              SEL(G_CODE0));
    /* Conforming: DPL > CPL. */
    far_fault(CODE(b_ljmp_m), SEL(G_CONF3), TARGET, false, EXCP0D_GPF,
              SEL(G_CONF3));
    /* The offset beyond the limit: #GP(0). */
    far_fault(CODE(b_ljmp_m), SEL(G_CODE_SMALL), TARGET, false, EXCP0D_GPF, 0);
    /* LDT and interrupt-gate descriptors are no valid targets. */
    far_fault(CODE(b_ljmp_m), SEL(G_LDT), TARGET, false, EXCP0D_GPF,
              SEL(G_LDT));
    far_fault(CODE(b_ljmp_m), SEL(G_INTGATE), TARGET, false, EXCP0D_GPF,
              SEL(G_INTGATE));

    /* Conforming DPL 0 from CPL 3: CPL stays 3, CS.RPL = 3. */
    h = far_xfer(CODE(b_ljmp_m), SEL(G_CONF0), TARGET + 0x20, true);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(exc_eip(h), ==, TARGET + 0x21);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 4), ==, SEL(G_CONF0) | 3);
    harness_free(h);
}

static void test_far_call_ret(void)
{
    CPUHarness *h;
    uint32_t esp;

    /* CALL m16:32 pushes CS and the return EIP (32 bits each). */
    h = far_xfer(CODE(b_lcall_m), SEL(G_CODE0), TARGET, false);
    check_halt_at(h, TARGET);
    esp = h->env->regs[R_ESP];
    g_assert_cmphex(esp, ==, HARNESS_STACK - 8);
    g_assert_cmphex(rd32(h, esp), ==, h->code_addr + 2);
    g_assert_cmphex(rd32(h, esp + 4), ==, 0x08);
    harness_free(h);

    /* CALL m16:16: 16-bit pushes, IP truncated. */
    h = prot();
    wr16(h, DATA, TARGET16);
    wr16(h, DATA + 2, SEL(G_CODE0));
    harness_set_code(h, CODE(b_lcallw_m));
    h->env->regs[R_EBX] = DATA;
    run(h);
    check_halt_at(h, TARGET16);
    esp = h->env->regs[R_ESP];
    g_assert_cmphex(esp, ==, HARNESS_STACK - 4);
    g_assert_cmphex(rd16(h, esp), ==, (h->code_addr + 3) & 0xffff);
    g_assert_cmphex(rd16(h, esp + 2), ==, 0x08);
    harness_free(h);

    /* The stack must hold the return address: #SS(0) (through a task
     * gate: the broken stack can't take the #SS frame). */
    h = task_setup(NULL);
    set_idt(h, EXCP0C_STACK, SEL(G_TSS_B), 0, 5, 0, true);
    wr32(h, DATA, TARGET16);
    wr16(h, DATA + 4, SEL(G_CODE0));
    harness_set_code(h, CODE(b_lcall_m));
    cpu_x86_load_seg_cache(h->env, R_SS, SEL(G_SMALL_DATA), DATA, 0xfff,
                           DATA_RW | A_D);
    h->env->regs[R_ESP] = 4; /* room for 4 bytes only */
    h->env->regs[R_EBX] = DATA;
    run(h);
    check_halt_at(h, TARGET);
    g_assert_cmphex(rd32(h, STACK_B - 4), ==, 0);
    /* The old task: at the CALL, CS and ESP unchanged. */
    g_assert_cmphex(rd32(h, TSS_A + 0x20), ==, h->code_addr);
    g_assert_cmphex(rd32(h, TSS_A + 0x38), ==, 4);
    g_assert_cmphex(rd16(h, TSS_A + 0x4c), ==, 0x08);
    harness_free(h);
}

/* Writes a far-return frame at the stack and runs ret_code. */
static CPUHarness *far_return(const uint8_t *code, size_t len,
                              const uint32_t *frame, int n, bool ring3,
                              uint32_t esp)
{
    CPUHarness *h = prot();

    if (ring3) {
        harness_enter_ring3(h);
    }
    for (int i = 0; i < n; i++) {
        wr32(h, esp + 4 * i, frame[i]);
    }
    h->env->regs[R_ESP] = esp;
    harness_set_code(h, code, len);
    return h;
}

static void test_ret_outer(void)
{
    CPUHarness *h;
    uint32_t f[6];

    /* RET to ring 3: SS:ESP popped; DPL 0 data in DS is nulled; a
     * conforming code segment in FS stays. */
    f[0] = TARGET + 0x20;
    f[1] = 0x2b;
    f[2] = STACK3;
    f[3] = 0x33;
    h = far_return(CODE(b_lret), f, 4, false, 0x6f000);
    wr8(h, TARGET + 0x20, 0xcc); /* int3 in ring 3 */
    cpu_x86_load_seg_cache(h->env, R_FS, SEL(G_CONF0), 0, 0xffffffff,
                           CODE_RX | A_C | A_G | A_D);
    cpu_x86_load_seg_cache(h->env, R_ES, 0x33, 0, 0xffffffff,
                           DATA_RW | A_DPL(3) | A_G | A_D);
    run(h);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(exc_eip(h), ==, TARGET + 0x21);
    /* The ring-3 state in the int3 frame (EIP CS EFLAGS ESP SS). */
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 4), ==, 0x2b);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 12), ==, STACK3);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 16), ==, 0x33);
    g_assert_cmphex(h->env->segs[R_DS].selector, ==, 0);
    g_assert_false(h->env->segs[R_DS].flags & DESC_P_MASK);
    g_assert_cmphex(h->env->segs[R_ES].selector, ==, 0x33);
    g_assert_cmphex(h->env->segs[R_FS].selector, ==, SEL(G_CONF0));
    harness_free(h);

    /* RET 8 to ring 3: 8 bytes released on both stacks. */
    f[0] = TARGET + 0x20;
    f[1] = 0x2b;
    f[2] = 0x11111111;
    f[3] = 0x22222222;
    f[4] = STACK3;
    f[5] = 0x33;
    h = far_return(CODE(b_lret8), f, 6, false, 0x6f000);
    wr8(h, TARGET + 0x20, 0xcc);
    run(h);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 12), ==, STACK3 + 8);
    harness_free(h);

    /* Same level RET 8. */
    f[0] = TARGET;
    f[1] = 0x08;
    h = far_return(CODE(b_lret8), f, 2, false, 0x6f000);
    run(h);
    check_halt_at(h, TARGET);
    g_assert_cmphex(h->env->regs[R_ESP], ==, 0x6f000 + 16);
    harness_free(h);
}

static void ret_fault(const uint32_t *f, int n, bool ring3, int vector,
                      uint32_t err)
{
    CPUHarness *h = far_return(CODE(b_lret), f, n, ring3, 0x6f000);

    run(h);
    check_exc(h, vector, err);
    g_assert_cmphex(exc_eip(h), ==, h->code_addr);
    harness_free(h);
}

static void test_ret_faults(void)
{
    uint32_t f[4] = { TARGET, 0x2b, STACK3, 0x33 };

    /* Return CS: null, RPL < CPL, not code, DPL != RPL, not present. */
    f[1] = 0;
    ret_fault(f, 4, false, EXCP0D_GPF, 0);
    f[1] = 0x08;
    ret_fault(f, 4, true, EXCP0D_GPF, 0x08);
    f[1] = SEL(G_DATA);
    ret_fault(f, 4, false, EXCP0D_GPF, SEL(G_DATA));
    f[1] = SEL(G_CODE3);
    ret_fault(f, 4, false, EXCP0D_GPF, SEL(G_CODE3));
    f[1] = SEL(G_CONF3) | 1;
    ret_fault(f, 4, false, EXCP0D_GPF, SEL(G_CONF3));
    f[1] = SEL(G_CODE_NP);
    ret_fault(f, 4, false, EXCP0B_NOSEG, SEL(G_CODE_NP));
    f[1] = SEL(256);
    ret_fault(f, 4, false, EXCP0D_GPF, SEL(256));
    /* The offset beyond the limit: #GP(0). */
    f[1] = SEL(G_CODE_SMALL);
    ret_fault(f, 4, false, EXCP0D_GPF, 0);
    /* Outer-level SS: null, RPL != CS.RPL, DPL != RPL, read-only, not
     * present. */
    f[1] = 0x2b;
    f[3] = 0;
    ret_fault(f, 4, false, EXCP0D_GPF, 0);
    f[3] = SEL(G_DATA3);
    ret_fault(f, 4, false, EXCP0D_GPF, SEL(G_DATA3));
    f[3] = SEL(G_DATA) | 3;
    ret_fault(f, 4, false, EXCP0D_GPF, SEL(G_DATA));
    f[3] = SEL(G_RONLY) | 3;
    ret_fault(f, 4, false, EXCP0D_GPF, SEL(G_RONLY));
    f[3] = 0x33;
    f[1] = SEL(G_CODE3) | 3;
    {
        /* A ring-3 SS that is not present: #SS(selector). */
        CPUHarness *h = far_return(CODE(b_lret), f, 4, false, 0x6f000);
        set_desc(h, G_DATA3, 0, 0xfffff,
                 (DATA_RW & ~A_P) | A_DPL(3) | A_G | A_D);
        wr32(h, 0x6f000 + 12, SEL(G_DATA3) | 3);
        run(h);
        check_exc(h, EXCP0C_STACK, SEL(G_DATA3));
        harness_free(h);
    }
}

/* ================= call gates ================= */

BLOB(b_gate_call32, "push $0x11111111\n push $0x22222222\n"
                    "lcall $0x143, $0\n int3");
BLOB(b_gate_call16, "pushw $0x1111\n pushw $0x2222\n pushw $0x3333\n"
                    "lcall $0x153, $0\n int3");
BLOB(b_lret8_code, "lret $8");

static CPUHarness *gate_setup(void)
{
    CPUHarness *h = prot();

    /* 41 (0x148): 32-bit gate DPL 3 to ring 0 code, 2 dword params;
     * 42 (0x150): 16-bit gate DPL 3, 3 word params. */
    set_gate(h, G_GATE, SEL(G_CODE0), TARGET, 12, 3, 2);
    set_gate(h, G_GATE + 1, SEL(G_CODE0), TARGET, 12, 3, 2);
    set_gate(h, G_GATE + 2, SEL(G_CODE0), TARGET16, 4, 3, 3);
    return h;
}

static void test_call_gate_inner(void)
{
    CPUHarness *h = gate_setup();
    uint32_t esp;

    harness_enter_ring3(h);
    h->env->regs[R_ESP] = STACK3;
    g_assert_cmpint(SEL(G_GATE + 0) | 3, ==, 0x143);
    harness_set_code(h, CODE(b_gate_call32));
    run(h);
    check_halt_at(h, TARGET);
    g_assert_cmpint(cpu_cpl(h->env), ==, 0);
    g_assert_cmphex(h->env->segs[R_CS].selector, ==, SEL(G_CODE0));
    g_assert_cmphex(h->env->segs[R_SS].selector, ==, 0x10);
    esp = h->env->regs[R_ESP];
    g_assert_cmphex(esp, ==, HARNESS_STACK0 - 24);
    g_assert_cmphex(rd32(h, esp), ==, h->code_addr + 17); /* after lcall */
    g_assert_cmphex(rd32(h, esp + 4), ==, 0x2b);
    g_assert_cmphex(rd32(h, esp + 8), ==, 0x22222222);
    g_assert_cmphex(rd32(h, esp + 12), ==, 0x11111111);
    g_assert_cmphex(rd32(h, esp + 16), ==, STACK3 - 8);
    g_assert_cmphex(rd32(h, esp + 20), ==, 0x33);
    harness_free(h);

    /* And back with RET 8: ring 3, both parameters released. */
    h = gate_setup();
    harness_write(h, TARGET, CODE(b_lret8_code));
    harness_enter_ring3(h);
    h->env->regs[R_ESP] = STACK3;
    harness_set_code(h, CODE(b_gate_call32));
    run(h);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(exc_eip(h), ==, h->code_addr + 18);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 12), ==, STACK3);
    harness_free(h);

    /* A 16-bit gate: 16-bit pushes, 3 word parameters. */
    h = gate_setup();
    harness_enter_ring3(h);
    h->env->regs[R_ESP] = STACK3;
    g_assert_cmpint(SEL(G_GATE + 2) | 3, ==, 0x153);
    harness_set_code(h, CODE(b_gate_call16));
    run(h);
    check_halt_at(h, TARGET16);
    esp = h->env->regs[R_ESP];
    g_assert_cmphex(esp, ==, HARNESS_STACK0 - 14);
    g_assert_cmphex(rd16(h, esp), ==, (h->code_addr + 19) & 0xffff);
    g_assert_cmphex(rd16(h, esp + 2), ==, 0x2b);
    g_assert_cmphex(rd16(h, esp + 4), ==, 0x3333);
    g_assert_cmphex(rd16(h, esp + 6), ==, 0x2222);
    g_assert_cmphex(rd16(h, esp + 8), ==, 0x1111);
    g_assert_cmphex(rd16(h, esp + 10), ==, (STACK3 - 6) & 0xffff);
    g_assert_cmphex(rd16(h, esp + 12), ==, 0x33);
    harness_free(h);
}

/* CALL/JMP through gate index g (with RPL) from ring 3 or 0. */
static CPUHarness *gate_xfer(CPUHarness *h, bool call, uint32_t sel, bool ring3)
{
    if (ring3) {
        harness_enter_ring3(h);
        h->env->regs[R_ESP] = STACK3;
    }
    wr32(h, DATA, 0);
    wr16(h, DATA + 4, sel);
    if (call) {
        harness_set_code(h, CODE(b_lcall_m));
    } else {
        harness_set_code(h, CODE(b_ljmp_m));
    }
    h->env->regs[R_EBX] = DATA;
    run(h);
    return h;
}

static void test_call_gate_same_and_jmp(void)
{
    CPUHarness *h;

    /* A gate to a conforming segment: no privilege change. */
    h = gate_setup();
    set_gate(h, G_GATE + 3, SEL(G_CONF0), TARGET + 0x20, 12, 3, 0);
    wr8(h, TARGET + 0x20, 0xcc);
    gate_xfer(h, true, SEL(G_GATE + 3) | 3, true);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 4), ==, SEL(G_CONF0) | 3);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 12), ==, STACK3 - 8);
    g_assert_cmphex(rd32(h, STACK3 - 8), ==, h->code_addr + 2);
    g_assert_cmphex(rd32(h, STACK3 - 4), ==, 0x2b);
    harness_free(h);

    /* A same-level gate at CPL 0. */
    h = gate_setup();
    gate_xfer(h, true, SEL(G_GATE), false);
    check_halt_at(h, TARGET);
    g_assert_cmphex(h->env->regs[R_ESP], ==, HARNESS_STACK - 8);
    harness_free(h);

    /* JMP through a gate: same level only. */
    h = gate_setup();
    set_gate(h, G_GATE + 3, SEL(G_CONF0), TARGET + 0x20, 12, 3, 0);
    wr8(h, TARGET + 0x20, 0xcc);
    gate_xfer(h, false, SEL(G_GATE + 3) | 3, true);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 12), ==, STACK3);
    harness_free(h);
    h = gate_setup();
    gate_xfer(h, false, SEL(G_GATE), false);
    check_halt_at(h, TARGET);
    g_assert_cmphex(h->env->regs[R_ESP], ==, HARNESS_STACK);
    harness_free(h);
    /* JMP through a gate to a more privileged non-conforming segment. */
    h = gate_setup();
    spin_handler(h, EXCP0D_GPF);
    gate_xfer(h, false, SEL(G_GATE) | 3, true);
    g_assert_cmphex(spin_error(h), ==, SEL(G_CODE0));
    harness_free(h);
}

static void gate_fault(void (*prep)(CPUHarness *), uint32_t sel, bool ring3,
                       int vector, uint32_t err)
{
    CPUHarness *h = gate_setup();

    if (prep) {
        prep(h);
    }
    if (ring3) {
        spin_handler(h, vector);
        gate_xfer(h, true, sel, true);
        g_assert_cmphex(spin_error(h), ==, err);
        /* The caller's state: still ring 3, stack untouched. */
        g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 4), ==, h->code_addr);
        g_assert_cmphex(h->env->regs[R_ESP], ==, STACK3 - 16);
    } else {
        gate_xfer(h, true, sel, false);
        check_exc(h, vector, err);
    }
    harness_free(h);
}

static void prep_gate_variants(CPUHarness *h)
{
    set_gate(h, 50, SEL(G_CODE0), TARGET, 12, 0, 0); /* DPL 0 */
    set_gate_at(h, HARNESS_GDT + 51 * 8, SEL(G_CODE0), TARGET, 12, 3, false,
                0);                                       /* not present */
    set_gate(h, 52, 0, TARGET, 12, 3, 0);                 /* null CS */
    set_gate(h, 53, SEL(255) + 8, TARGET, 12, 3, 0);      /* beyond */
    set_gate(h, 54, SEL(G_DATA), TARGET, 12, 3, 0);       /* data */
    set_gate(h, 55, SEL(G_CODE_NP), TARGET, 12, 3, 0);    /* not present */
    set_gate(h, 56, SEL(G_CODE_SMALL), TARGET, 12, 3, 0); /* offset */
    set_gate(h, 57, SEL(G_CODE3), TARGET, 12, 3, 0);      /* DPL 3 code */
    set_gate(h, 58, SEL(G_CODE1), TARGET, 12, 1, 0);      /* DPL 1 */
}

static void test_call_gate_faults(void)
{
    gate_fault(prep_gate_variants, SEL(50) | 3, true, EXCP0D_GPF, SEL(50));
    gate_fault(prep_gate_variants, SEL(50) | 3, false, EXCP0D_GPF, SEL(50));
    gate_fault(prep_gate_variants, SEL(51) | 3, true, EXCP0B_NOSEG, SEL(51));
    gate_fault(prep_gate_variants, SEL(52) | 3, true, EXCP0D_GPF, 0);
    gate_fault(prep_gate_variants, SEL(53) | 3, true, EXCP0D_GPF, SEL(256));
    gate_fault(prep_gate_variants, SEL(54) | 3, true, EXCP0D_GPF, SEL(G_DATA));
    gate_fault(prep_gate_variants, SEL(55) | 3, true, EXCP0B_NOSEG,
               SEL(G_CODE_NP));
    gate_fault(prep_gate_variants, SEL(56) | 3, true, EXCP0D_GPF, 0);
    gate_fault(prep_gate_variants, SEL(57), false, EXCP0D_GPF, SEL(G_CODE3));
    /* RPL 3 > gate DPL 1 from CPL 0. */
    gate_fault(prep_gate_variants, SEL(58) | 3, false, EXCP0D_GPF, SEL(58));
    /* The inner stack from the TSS. */
    gate_fault(prep_ss0_null, SEL(G_GATE) | 3, true, EXCP0A_TSS, 0);
    gate_fault(prep_ss0_rpl, SEL(G_GATE) | 3, true, EXCP0A_TSS, SEL(G_DATA));
    gate_fault(prep_ss0_ronly, SEL(G_GATE) | 3, true, EXCP0A_TSS, SEL(G_RONLY));
    gate_fault(prep_ss0_dpl, SEL(G_GATE) | 3, true, EXCP0A_TSS, SEL(G_DATA1));
    gate_fault(prep_ss0_np, SEL(G_GATE) | 3, true, EXCP0C_STACK,
               SEL(G_DATA_NP));
    gate_fault(prep_ss0_room, SEL(G_GATE) | 3, true, EXCP0C_STACK,
               SEL(G_SMALL_DATA));
    gate_fault(prep_tr_limit, SEL(G_GATE) | 3, true, EXCP0A_TSS, 0x38);
    {
        /* ESP0 and SS0 (bytes 4-9) are all a TSS limit of 9 must hold. */
        CPUHarness *h = gate_setup();
        h->env->tr.limit = 9;
        gate_xfer(h, true, SEL(G_GATE) | 3, true);
        check_halt_at(h, TARGET);
        g_assert_cmphex(h->env->regs[R_ESP], ==, HARNESS_STACK0 - 24);
        harness_free(h);
    }
}

/* ================= IRET ================= */

static void test_iret_protected(void)
{
    CPUHarness *h;
    uint32_t f[5];

    /* Same level: flags loaded (CPL 0: IOPL and IF too). */
    f[0] = TARGET;
    f[1] = 0x08;
    f[2] = 0x3203 | CC_Z; /* IOPL 3, IF, CF, ZF */
    h = far_return(CODE(b_iret), f, 3, false, 0x6f000);
    run(h);
    check_halt_at(h, TARGET);
    g_assert_cmphex(cpu_compute_eflags(h->env), ==, 0x3203 | CC_Z);
    g_assert_cmphex(h->env->regs[R_ESP], ==, 0x6f000 + 12);
    harness_free(h);

    /* CPL 3 with IOPL 0: IF and IOPL are not changed by the image. */
    f[0] = TARGET + 0x20;
    f[1] = 0x2b;
    f[2] = 0x3003; /* IOPL 3, IF = 0, CF */
    h = far_return(CODE(b_iret), f, 3, true, STACK3);
    wr8(h, TARGET + 0x20, 0xcc);
    h->env->eflags |= IF_MASK;
    run(h);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 8) & 0x3201, ==, 0x0201);
    harness_free(h);

    /* To ring 3: SS:ESP popped, EFLAGS as in the image (CPL 0). */
    f[0] = TARGET + 0x20;
    f[1] = 0x2b;
    f[2] = 0x1202;
    f[3] = STACK3;
    f[4] = 0x33;
    h = far_return(CODE(b_iret), f, 5, false, 0x6f000);
    wr8(h, TARGET + 0x20, 0xcc);
    run(h);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 8) & 0x3200, ==, 0x1200);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 12), ==, STACK3);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 16), ==, 0x33);
    harness_free(h);

    /* IRETW: 16-bit frame, the upper EFLAGS bits stay. */
    h = prot();
    wr16(h, 0x6f000, TARGET16);
    wr16(h, 0x6f002, 0x08);
    wr16(h, 0x6f004, 0x0003);
    h->env->regs[R_ESP] = 0x6f000;
    h->env->eflags |= AC_MASK;
    harness_set_code(h, CODE(b_iretw));
    run(h);
    check_halt_at(h, TARGET16);
    g_assert_true(h->env->eflags & AC_MASK);
    g_assert_cmphex(h->env->regs[R_ESP], ==, 0x6f006);
    harness_free(h);
}

/* Real-mode IRET and its limit check. */
static void test_iret_real(void)
{
    CPUHarness *h = harness_new(HARNESS_REAL);
    static const uint8_t code[] = { 0xcf };

    wr16(h, 0x6000, 0x0010);
    wr16(h, 0x6002, 0x0600);
    wr16(h, 0x6004, 0x0203);
    wr8(h, 0x6010, 0xf4);
    h->env->regs[R_ESP] = 0x6000;
    harness_set_code(h, code, 1);
    run(h);
    check_halt_at(h, 0x6010);
    g_assert_cmphex(h->env->segs[R_CS].base, ==, 0x6000);
    g_assert_true(h->env->eflags & IF_MASK);
    g_assert_cmphex(cpu_compute_eflags(h->env) & 1, ==, 1);
    harness_free(h);

    /* IRETD with EIP beyond the 64 KiB limit: #GP. */
    h = harness_new(HARNESS_REAL);
    {
        static const uint8_t iretd[] = { 0x66, 0xcf };
        wr32(h, 0x6000, 0x10010);
        wr32(h, 0x6004, 0);
        wr32(h, 0x6008, 0x2);
        h->env->regs[R_ESP] = 0x6000;
        harness_set_code(h, iretd, 2);
        run(h);
        check_exc(h, EXCP0D_GPF, 0);
    }
    harness_free(h);
}

/* ================= virtual-8086 mode ================= */

BLOB(b_v86_iret, ".code16\n iret");
BLOB(b_v86_iret_ok, ".code16\n mov $0x0800, %sp\n iret");
BLOB(b_v86_iretd, ".code16\n mov $0x0800, %sp\n iretl");
BLOB(b_v86_ud, ".code16\n ud2");

static void test_iret_to_v86(void)
{
    CPUHarness *h = v86_enter(CODE(b_v86_int), 3);
    uint32_t esp;

    wr16(h, 0x300, 0x1234);  /* DS:0 with DS = 0x30 */
    wr16(h, 0x6010, 0x5678); /* SS:0x10 with SS = 0x600 */
    run(h);
    check_exc(h, 0x21, 0);
    g_assert_cmphex(h->env->regs[R_EAX] & 0xffff, ==, 0x1234);
    g_assert_cmphex(h->env->regs[R_EBX] & 0xffff, ==, 0x5678);
    /* The frame from v86 mode: EIP CS EFLAGS ESP SS ES DS FS GS. */
    esp = h->env->regs[R_ESP];
    g_assert_cmphex(esp, ==, HARNESS_STACK0 - 36);
    g_assert_cmphex(rd32(h, esp), ==, b_v86_int_end - b_v86_int_start);
    g_assert_cmphex(rd32(h, esp + 4), ==, 0x0700);
    g_assert_cmphex(rd32(h, esp + 8) & (VM_MASK | IOPL_MASK), ==,
                    VM_MASK | IOPL_MASK);
    g_assert_cmphex(rd32(h, esp + 12), ==, 0x0ffc);
    g_assert_cmphex(rd32(h, esp + 16), ==, 0x0600);
    g_assert_cmphex(rd32(h, esp + 20), ==, 0x20);
    g_assert_cmphex(rd32(h, esp + 24), ==, 0x30);
    g_assert_cmphex(rd32(h, esp + 28), ==, 0x40);
    g_assert_cmphex(rd32(h, esp + 32), ==, 0x50);
    /* In the handler: ring 0, VM clear, data segments null. */
    g_assert_false(h->env->eflags & VM_MASK);
    g_assert_cmpint(cpu_cpl(h->env), ==, 0);
    g_assert_cmphex(h->env->segs[R_DS].selector, ==, 0);
    g_assert_cmphex(h->env->segs[R_ES].selector, ==, 0);
    g_assert_cmphex(h->env->segs[R_FS].selector, ==, 0);
    g_assert_cmphex(h->env->segs[R_GS].selector, ==, 0);
    g_assert_false(h->env->segs[R_GS].flags & DESC_P_MASK);
    g_assert_cmphex(h->env->segs[R_SS].selector, ==, 0x10);
    harness_free(h);

    /* INT n in v86 mode with IOPL < 3: #GP(0). */
    h = v86_enter(CODE(b_v86_int), 0);
    run(h);
    check_exc(h, EXCP0D_GPF, 0);
    harness_free(h);

    /* An exception in v86 mode through a gate to DPL 3 code: #GP(sel+1). */
    h = v86_enter(CODE(b_v86_ud), 3);
    set_idt(h, EXCP06_ILLOP, SEL(G_CODE3), TARGET, 14, 3, true);
    run(h);
    check_exc(h, EXCP0D_GPF, SEL(G_CODE3) | 1);
    harness_free(h);
    /* ... or to a conforming segment. */
    h = v86_enter(CODE(b_v86_ud), 3);
    set_idt(h, EXCP06_ILLOP, SEL(G_CONF0), TARGET, 14, 3, true);
    run(h);
    check_exc(h, EXCP0D_GPF, SEL(G_CONF0) | 1);
    harness_free(h);
}

BLOB(b_v86_cs_wr, ".code16\n movw $0x5a5a, %cs:(0x100)\n int3");

/* v86 segments behave as read/write data: CS can be written. */
static void test_v86_cs_write(void)
{
    CPUHarness *h = v86_enter(CODE(b_v86_cs_wr), 3);

    run(h);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(rd16(h, V86_CODE + 0x100), ==, 0x5a5a);
    harness_free(h);
}

static void test_iret_in_v86(void)
{
    CPUHarness *h;

    /* IOPL < 3: #GP(0) to the monitor. */
    h = v86_enter(CODE(b_v86_iret), 0);
    run(h);
    check_exc(h, EXCP0D_GPF, 0);
    g_assert_cmphex(exc_eip(h), ==, 0);
    harness_free(h);

    /* IOPL 3: a 16-bit frame at SS:0x800; IOPL stays 3 though the image
     * says 0. */
    h = v86_enter(CODE(b_v86_iret_ok), 3);
    wr16(h, 0x6800, 0x0010); /* IP */
    wr16(h, 0x6802, 0x0710); /* CS: linear 0x7100 + 0x10 */
    wr16(h, 0x6804, 0x0001); /* FLAGS: CF, IOPL 0 */
    wr8(h, 0x7110, 0xcc);
    run(h);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP]), ==, 0x11);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 4), ==, 0x710);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 8) &
                        (VM_MASK | IOPL_MASK | CC_C),
                    ==, VM_MASK | IOPL_MASK | CC_C);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 12), ==, 0x806);
    harness_free(h);

    /* IRETD in v86 mode with EIP beyond 64 KiB: #GP(0). */
    h = v86_enter(CODE(b_v86_iretd), 3);
    wr32(h, 0x6800, 0x10000);
    wr32(h, 0x6804, 0x0700);
    wr32(h, 0x6808, 0x0002);
    run(h);
    check_exc(h, EXCP0D_GPF, 0);
    harness_free(h);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cpu/seg/load-data", test_load_data);
    g_test_add_func("/cpu/seg/load-ss", test_load_ss);
    g_test_add_func("/cpu/seg/limits", test_limits);
    g_test_add_func("/cpu/seg/stack-limit", test_stack_limit);
    g_test_add_func("/cpu/seg/unreal", test_unreal);
    g_test_add_func("/cpu/seg/pm-to-real", test_pm_to_real);
    g_test_add_func("/cpu/seg/far-jmp", test_far_jmp);
    g_test_add_func("/cpu/seg/far-call-ret", test_far_call_ret);
    g_test_add_func("/cpu/seg/ret-outer", test_ret_outer);
    g_test_add_func("/cpu/seg/ret-faults", test_ret_faults);
    g_test_add_func("/cpu/seg/call-gate-inner", test_call_gate_inner);
    g_test_add_func("/cpu/seg/call-gate-same-jmp", test_call_gate_same_and_jmp);
    g_test_add_func("/cpu/seg/call-gate-faults", test_call_gate_faults);
    g_test_add_func("/cpu/seg/iret-protected", test_iret_protected);
    g_test_add_func("/cpu/seg/iret-real", test_iret_real);
    g_test_add_func("/cpu/seg/iret-to-v86", test_iret_to_v86);
    g_test_add_func("/cpu/seg/iret-in-v86", test_iret_in_v86);
    g_test_add_func("/cpu/seg/v86-cs-write", test_v86_cs_write);
    return g_test_run();
}
