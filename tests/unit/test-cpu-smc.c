/*
 * Self-modifying code (issue 3): stores into code the CPU has translated
 * must take effect before that code runs again, as on hardware (SDM
 * vol. 3, 11.6: a write to a code byte is seen by the next instruction
 * fetched after it): the very next instruction, a later instruction of
 * the same block, through another virtual alias of the page, by REP
 * STOS/MOVS, and by a device writing RAM (DMA) through the memory API.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "accel/tcg/tb.h"
#include "tests/unit/cpu-harness.h"

#define CODE         0x100000
#define PTE_OF(addr) (HARNESS_PT + 0x1000 + ((addr) >> 12) * 4)

typedef struct Asm {
    uint8_t b[8192];
    size_t n;
} Asm;

static void eb(Asm *a, const void *bytes, size_t len)
{
    memcpy(a->b + a->n, bytes, len);
    a->n += len;
}
#define EB(a, s) eb(a, s, sizeof(s) - 1)

static void e32(Asm *a, uint32_t v)
{
    eb(a, &v, 4);
}

static uint32_t at(Asm *a)
{
    return CODE + a->n;
}

/* mov byte [addr], imm8 */
static void movb_mi(Asm *a, uint32_t addr, uint8_t v)
{
    EB(a, "\xc6\x05");
    e32(a, addr);
    eb(a, &v, 1);
}

static int64_t run(CPUHarness *h, Asm *a)
{
    harness_set_code(h, a->b, a->n);
    return harness_run_to_halt(h, 1000000);
}

/* A store that changes the very next instruction, in the same block. */
static void test_next_insn(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    Asm a = { 0 };

    /* mov byte [L+1], 0x42; L: mov al, 0x11; hlt */
    movb_mi(&a, CODE + 7 + 1, 0x42);
    EB(&a, "\xb0\x11\xf4");
    g_assert_cmpint(run(h, &a), ==, 3);
    g_assert_cmpuint(h->env->regs[R_EAX] & 0xff, ==, 0x42);
    harness_free(h);
}

/* The same after the block ran once (translated and chained to itself). */
static void test_loop_patch(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    Asm a = { 0 };
    uint32_t top;

    /*
     * mov ecx, 3; mov edx, 0
     * top: mov al, 0x11; add edx, eax (sum of the AL seen);
     *      mov byte [top+1], 0x42; dec ecx; jnz top; hlt
     */
    EB(&a, "\xb9\x03\x00\x00\x00\xba\x00\x00\x00\x00");
    EB(&a, "\x31\xc0"); /* xor eax, eax */
    top = at(&a);
    EB(&a, "\xb0\x11\x01\xc2");
    movb_mi(&a, top + 1, 0x42);
    EB(&a, "\x49\x75");
    {
        uint8_t rel = top - (at(&a) + 1);
        eb(&a, &rel, 1);
    }
    EB(&a, "\xf4");
    g_assert_cmpint(run(h, &a), ==, 3 + 3 * 5 + 1);
    g_assert_cmpuint(h->env->regs[R_EDX], ==, 0x11 + 0x42 + 0x42);
    harness_free(h);
}

/* A store into a later instruction of the same block. */
static void test_later_in_block(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    Asm a = { 0 };

    /* mov dword [X+1], 0x12345678; nop x 5; X: mov ebx, 0; hlt */
    EB(&a, "\xc7\x05");
    e32(&a, CODE + 10 + 5 + 1);
    e32(&a, 0x12345678);
    EB(&a, "\x90\x90\x90\x90\x90");
    EB(&a, "\xbb\x00\x00\x00\x00\xf4");
    g_assert_cmpint(run(h, &a), ==, 1 + 5 + 1 + 1);
    g_assert_cmpuint(h->env->regs[R_EBX], ==, 0x12345678);
    harness_free(h);
}

/*
 * Through another virtual alias of the code's physical page (paging):
 * the store goes to ALIAS, the code runs at CODE.  First the alias's TLB
 * entry is made writable while the page holds no code, so the write
 * protection must come from translating the code afterwards.
 */
#define ALIAS 0x900000
static void test_alias(void)
{
    CPUHarness *h = harness_new(HARNESS_PAGED32);
    uint32_t pte = CODE | 7;
    Asm a = { 0 }, b = { 0 };

    harness_write(h, PTE_OF(ALIAS), &pte, 4);
    /* A: mov byte [ALIAS + 0xf00], 1; hlt */
    movb_mi(&a, ALIAS + 0xf00, 1);
    EB(&a, "\xf4");
    g_assert_cmpint(run(h, &a), ==, 2);
    g_assert_cmpuint(h->ram[CODE + 0xf00], ==, 1);

    /* B: mov byte [ALIAS + L + 1], 0x42; L: mov al, 0x11; hlt */
    movb_mi(&b, ALIAS + 7 + 1, 0x42);
    EB(&b, "\xb0\x11\xf4");
    g_assert_cmpint(run(h, &b), ==, 3);
    g_assert_cmpuint(h->env->regs[R_EAX] & 0xff, ==, 0x42);

    /* The other way: run the code at ALIAS, store through CODE. */
    b.n = 0;
    movb_mi(&b, CODE + 7 + 1, 0x43);
    EB(&b, "\xb0\x11\xf4");
    harness_set_code(h, b.b, b.n);
    h->env->eip = ALIAS;
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 3);
    g_assert_cmpuint(h->env->regs[R_EAX] & 0xff, ==, 0x43);
    /* And again at ALIAS: the block translated there was invalidated. */
    h->env->eip = ALIAS + 7;
    h->env->halted = false;
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 2);
    g_assert_cmpuint(h->env->regs[R_EAX] & 0xff, ==, 0x43);
    harness_free(h);
}

/*
 * REP STOS overwriting code ahead (translated before: it ran once), with
 * budgets that stop it in the middle.
 */
static void test_rep_stos_code(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;
    Asm a = { 0 };
    uint32_t target;
    const int n_inc = 400;

    /*
     * jmp over the stosd on the first run (ebp = 0), else do it:
     * test ebp, ebp; jz T; mov edi, T; mov ecx, n_inc/4;
     * mov eax, 0x90909090; rep stosd; T: inc ebx x n_inc; hlt
     */
    EB(&a, "\x85\xed\x74\x11");
    target = at(&a) + 0x11;
    EB(&a, "\xbf");
    e32(&a, target);
    EB(&a, "\xb9");
    e32(&a, n_inc / 4);
    EB(&a, "\xb8\x90\x90\x90\x90\xf3\xab");
    g_assert_cmpuint(at(&a), ==, target);
    for (int i = 0; i < n_inc; i++) {
        EB(&a, "\x43");
    }
    EB(&a, "\xf4");

    /* First run: the INCs are translated and run. */
    env->regs[R_EBP] = 0;
    g_assert_cmpint(run(h, &a), ==, 2 + n_inc + 1);
    g_assert_cmpuint(env->regs[R_EBX], ==, n_inc);

    /* Second run, from the start without rewriting: STOSD makes NOPs. */
    env->eip = CODE;
    env->halted = false;
    env->regs[R_EBP] = 1;
    env->regs[R_EBX] = 0;
    g_assert_cmpint(harness_run(h, 2 + 3 + 17), ==, 22);
    g_assert_cmpuint(env->regs[R_ECX], ==, n_inc / 4 - 17);
    g_assert_cmpint(harness_run_to_halt(h, 10000), ==,
                    n_inc / 4 - 17 + n_inc + 1);
    g_assert_cmpuint(env->regs[R_EBX], ==, 0);
    harness_free(h);
}

/* REP MOVSB copying new code over an instruction ahead. */
static void test_rep_movs_code(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    Asm a = { 0 };
    /* The replacement: mov ebx, 0x600d; hlt */
    static const uint8_t repl[] = { 0xbb, 0x0d, 0x60, 0x00, 0x00, 0xf4 };

    harness_write(h, HARNESS_DATA, repl, sizeof(repl));
    /* mov esi, DATA; mov edi, T; mov ecx, 6; rep movsb; T: ud2 ud2 ud2 */
    EB(&a, "\xbe");
    e32(&a, HARNESS_DATA);
    EB(&a, "\xbf");
    e32(&a, CODE + 17);
    EB(&a, "\xb9\x06\x00\x00\x00\xf3\xa4");
    EB(&a, "\x0f\x0b\x0f\x0b\x0f\x0b");
    g_assert_cmpint(run(h, &a), ==, 3 + 6 + 2);
    g_assert_cmpuint(h->env->regs[R_EBX], ==, 0x600d);
    harness_free(h);
}

/* 64-bit mode, RIP-relative: mov byte [rip+1], 0x42; mov al, 0x11; hlt */
static void test_long64(void)
{
    CPUHarness *h = harness_new(HARNESS_LONG64);
    static const uint8_t code[] = { 0xc6, 0x05, 0x01, 0x00, 0x00,
                                    0x00, 0x42, 0xb0, 0x11, 0xf4 };

    harness_set_code(h, code, sizeof(code));
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 3);
    g_assert_cmpuint(h->env->regs[R_EAX] & 0xff, ==, 0x42);
    harness_free(h);
}

/*
 * Writes from outside the CPU (a device's DMA, a loader) through the
 * memory API invalidate translated code: after the code ran once, patch
 * its immediate with each kind of write and run it again from the same
 * EIP (so the block caches would find the stale translation).
 */
static void test_dma(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;
    /* mov eax, 0x11111111; hlt */
    static const uint8_t code[] = { 0xb8, 0x11, 0x11, 0x11, 0x11, 0xf4 };
    uint32_t v;
    uint64_t inval;

    harness_set_code(h, code, sizeof(code));
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 2);
    g_assert_cmpuint(env->regs[R_EAX], ==, 0x11111111);

    for (int kind = 0; kind < 3; kind++) {
        v = 0x22222222 * (kind + 1);
        inval = tb_stats.invalidated;
        switch (kind) {
        case 0:
            address_space_write(&address_space_memory, CODE + 1, &v, 4);
            break;
        case 1:
            stl_le_phys(&address_space_memory, CODE + 1, v);
            break;
        default:
            address_space_write_rom(&address_space_memory, CODE + 1, &v, 4);
            break;
        }
        g_assert_cmpuint(tb_stats.invalidated, >, inval);
        env->eip = CODE;
        env->halted = false;
        g_assert_cmpint(harness_run_to_halt(h, 100), ==, 2);
        g_assert_cmpuint(env->regs[R_EAX], ==, v);
    }

    /* Writes elsewhere leave the code alone. */
    inval = tb_stats.invalidated;
    address_space_write(&address_space_memory, HARNESS_DATA, &v, 4);
    g_assert_cmpuint(tb_stats.invalidated, ==, inval);
    harness_free(h);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cpu/smc/next-insn", test_next_insn);
    g_test_add_func("/cpu/smc/loop-patch", test_loop_patch);
    g_test_add_func("/cpu/smc/later-in-block", test_later_in_block);
    g_test_add_func("/cpu/smc/alias", test_alias);
    g_test_add_func("/cpu/smc/rep-stos", test_rep_stos_code);
    g_test_add_func("/cpu/smc/rep-movs", test_rep_movs_code);
    g_test_add_func("/cpu/smc/long64", test_long64);
    g_test_add_func("/cpu/smc/dma", test_dma);
    return g_test_run();
}
