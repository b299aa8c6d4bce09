/*
 * The CPU core on the harness: a first smoke test of decoding, the
 * execution loop, exceptions and exact counting.
 */
#include "qemu/osdep.h"
#include "tests/unit/cpu-harness.h"

static void test_mov_add_hlt(void)
{
    /* mov eax, 5; add eax, 7; hlt */
    static const uint8_t code[] = { 0xb8, 5, 0, 0, 0, 0x83, 0xc0, 7, 0xf4 };
    CPUHarness *h = harness_new(HARNESS_PROT32);

    harness_set_code(h, code, sizeof(code));
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 3);
    g_assert_cmpuint(h->env->regs[R_EAX], ==, 12);
    g_assert_true(h->env->halted);
    harness_free(h);
}

static void test_loop_count(void)
{
    /* mov ecx, 10; l: dec ecx; jnz l; hlt  => 1 + 10*2 + 1 = 22 */
    static const uint8_t code[] = { 0xb9, 10, 0, 0, 0, 0x49, 0x75, 0xfd, 0xf4 };
    CPUHarness *h = harness_new(HARNESS_PROT32);

    harness_set_code(h, code, sizeof(code));
    /* Budgets that end mid-loop: the total is still exact. */
    g_assert_cmpint(harness_run(h, 5), ==, 5);
    g_assert_cmpint(harness_run(h, 7), ==, 7);
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 10);
    g_assert_cmpint(h->retired, ==, 22);
    g_assert_cmpuint(h->env->regs[R_ECX], ==, 0);
    harness_free(h);
}

static void test_ud_exception(void)
{
    /* nop; ud2 */
    static const uint8_t code[] = { 0x90, 0x0f, 0x0b };
    CPUHarness *h = harness_new(HARNESS_PROT32);
    int v;
    uint32_t ec;
    uint64_t eip;

    harness_set_code(h, code, sizeof(code));
    /* NOP, then #UD delivered, then the stub's HLT: 2 instructions. */
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 2);
    g_assert_true(harness_exception(h, &v, &ec, &eip));
    g_assert_cmpint(v, ==, 6);
    g_assert_cmpuint(eip, ==, h->code_addr + 1);
    harness_free(h);
}

static void test_real_mode(void)
{
    /* mov ax, 0x1234; int 0x21 (stub halts) */
    static const uint8_t code[] = { 0xb8, 0x34, 0x12, 0xcd, 0x21 };
    CPUHarness *h = harness_new(HARNESS_REAL);
    int v;
    uint32_t ec;
    uint64_t eip;

    harness_set_code(h, code, sizeof(code));
    harness_run_to_halt(h, 100);
    g_assert_cmpuint(h->env->regs[R_EAX] & 0xffff, ==, 0x1234);
    g_assert_true(harness_exception(h, &v, &ec, &eip));
    g_assert_cmpint(v, ==, 0x21);
    g_assert_cmpuint(eip, ==, 0x7c05);
    harness_free(h);
}

static void test_long_mode(void)
{
    /* mov rax, 0x123456789; add rax, rax; hlt */
    static const uint8_t code[] = { 0x48, 0xb8, 0x89, 0x67, 0x45, 0x23, 0x01,
                                    0,    0,    0,    0x48, 0x01, 0xc0, 0xf4 };
    CPUHarness *h = harness_new(HARNESS_LONG64);

    harness_set_code(h, code, sizeof(code));
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 3);
    g_assert_cmpuint(h->env->regs[R_EAX], ==, 0x2468acf12ull);
    harness_free(h);
}

static void test_page_fault(void)
{
    /* mov eax, [0x00800000] with that page not present */
    static const uint8_t code[] = { 0xa1, 0, 0, 0x80, 0, 0xf4 };
    CPUHarness *h = harness_new(HARNESS_PAGED32);
    uint32_t zero = 0;
    int v;
    uint32_t ec;
    uint64_t eip;

    /* PTE for 0x800000 is in the third page table (index 2 * 1024 + 0). */
    harness_write(h, HARNESS_PT + 0x1000 * 3, &zero, 4);
    harness_set_code(h, code, sizeof(code));
    harness_run_to_halt(h, 100);
    g_assert_true(harness_exception(h, &v, &ec, &eip));
    g_assert_cmpint(v, ==, 14);
    g_assert_cmpuint(ec, ==, 0);
    g_assert_cmpuint(h->env->cr[2], ==, 0x800000);
    g_assert_cmpuint(eip, ==, h->code_addr);
    harness_free(h);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cpu/basic/mov-add-hlt", test_mov_add_hlt);
    g_test_add_func("/cpu/basic/loop-count", test_loop_count);
    g_test_add_func("/cpu/basic/ud", test_ud_exception);
    g_test_add_func("/cpu/basic/real-mode", test_real_mode);
    g_test_add_func("/cpu/basic/long-mode", test_long_mode);
    g_test_add_func("/cpu/basic/page-fault", test_page_fault);
    return g_test_run();
}
