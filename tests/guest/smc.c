/*
 * Self-modifying code: a store that changes the very next instruction, a
 * patched instruction inside a loop that already ran many times, code
 * changed through a second virtual mapping of the same physical page (both
 * the next instruction and a whole function), and REP STOSB overwriting
 * the instructions that follow it.  On P6 and later processors stores to
 * the instruction stream are detected without a serializing instruction
 * (SDM Vol. 3A 8.1.3), which is what the emulator must reproduce.
 */
#include "guest.h"

extern char smc_next_imm[];
static __attribute__((noinline, noclone)) uint32_t patch_next(uint8_t v)
{
    uint32_t a;
    asm volatile("movb %1, smc_next_imm\n"
                 "smc_next: .byte 0xB8\n" /* mov $imm32, %eax */
                 "smc_next_imm: .long 0x00000001\n"
                 : "=a"(a)
                 : "q"(v)
                 : "memory");
    return a;
}

extern char smc_loop_imm[];
static __attribute__((noinline, noclone)) uint32_t loop_body(void)
{
    uint32_t a;
    asm volatile(".byte 0xB8\nsmc_loop_imm: .long 0x11\n" : "=a"(a));
    return a;
}

static uint8_t buf[4096] __attribute__((aligned(4096)));

static void direct_tests(void)
{
    report_section("direct");
    report_eq(patch_next(0x42), 0x42, "store patches the next instruction");
    report_eq(patch_next(0x43), 0x43, "again with another value");

    uint32_t sum = 0;
    for (int i = 0; i < 1000; i++) {
        sum += loop_body();
    }
    report_eq(sum, 1000 * 0x11, "loop before the patch");
    *(volatile uint32_t *)smc_loop_imm = 0x22;
    sum = 0;
    for (int i = 0; i < 1000; i++) {
        sum += loop_body();
    }
    report_eq(sum, 1000 * 0x22, "loop after patching a hot instruction");
    *(volatile uint32_t *)smc_loop_imm = 0x11;

    /* REP STOSB overwrites the following "mov $1, %eax" with NOPs */
    static const uint8_t code[] = {
        0xB8, 0x07, 0,    0, 0, /* mov $7, %eax */
        0xBF, 0,    0,    0, 0, /* mov $target, %edi */
        0xB9, 0x05, 0,    0, 0, /* mov $5, %ecx */
        0x50,                   /* push %eax */
        0xB0, 0x90,             /* mov $0x90, %al */
        0xFC, 0xF3, 0xAA,       /* cld; rep stosb */
        0x58,                   /* pop %eax */
        0xB8, 0x01, 0,    0, 0, /* target: mov $1, %eax */
        0xC3,                   /* ret */
    };
    memcpy(buf, code, sizeof(code));
    uint32_t target = (uint32_t)buf + 22;
    memcpy(buf + 6, &target, 4);
    uint32_t a;
    asm volatile("call *%1" : "=a"(a) : "r"(buf) : "ecx", "edi", "memory");
    report_eq(a, 7, "rep stosb replaced the next instruction with nops");
    report_eq(buf[22], 0x90, "code bytes are nops");
}

#define VX 0x50000000u
#define VY 0x60000000u
static void alias_tests(void)
{
    report_section("alias");
    uint32_t *pd = pt32_identity(64, false);
    pt32_map(pd, VX, (uint32_t)buf, PTE_P | PTE_W);
    pt32_map(pd, VY, (uint32_t)buf, PTE_P | PTE_W);
    paging_enable((uint32_t)pd, 0);

    /* function at VX: mov $imm, %eax; ret */
    static const uint8_t fn[] = { 0xB8, 0x01, 0, 0, 0, 0xC3 };
    memcpy((void *)VY, fn, sizeof(fn));
    uint32_t a, sum = 0;
    for (int i = 0; i < 100; i++) {
        asm volatile("call *%1" : "=a"(a) : "r"(VX) : "memory");
        sum += a;
    }
    report_eq(sum, 100, "function at VX runs");
    *(volatile uint8_t *)(VY + 1) = 0x05;
    asm volatile("call *%1" : "=a"(a) : "r"(VX) : "memory");
    report_eq(a, 5, "patch through VY seen at VX");

    /* next instruction patched through the other mapping:
     * movb $0x33, VY+8; mov $1, %eax; ret */
    static const uint8_t nx[] = {
        0xC6, 0x05, 0, 0, 0, 0, 0x33, /* movb $0x33, abs32 */
        0xB8, 0x01, 0, 0, 0,          /* mov $1, %eax (imm at +8) */
        0xC3,
    };
    memcpy((void *)VY, nx, sizeof(nx));
    uint32_t abs = VY + 8;
    memcpy((void *)(VY + 2), &abs, 4);
    asm volatile("call *%1" : "=a"(a) : "r"(VX) : "memory");
    report_eq(a, 0x33, "next instruction patched through an alias");

    /* change the mapping of VX to another page with different code */
    static uint8_t other[4096] __attribute__((aligned(4096)));
    static const uint8_t fn2[] = { 0xB8, 0x99, 0, 0, 0, 0xC3 };
    memcpy(other, fn2, sizeof(fn2));
    pt32_map(pd, VX, (uint32_t)other, PTE_P | PTE_W);
    invlpg(VX);
    asm volatile("call *%1" : "=a"(a) : "r"(VX) : "memory");
    report_eq(a, 0x99, "remapped VX runs the new page's code");
    paging_disable();
}

int main(void)
{
    direct_tests();
    alias_tests();
    return 0;
}
