/*
 * ALU instructions and their flags: ADD ADC SUB SBB CMP AND OR XOR TEST
 * NEG NOT INC DEC at 8, 16 and 32 bits over edge values, table-driven
 * (tables/alu_table.h, generated from the SDM Vol. 2 pseudo-code by
 * tables/gen_tables.py), then a few explicit encodings (immediates,
 * sign-extended imm8, accumulator forms, memory operands, LOCK).
 * Only flags the SDM defines are compared (AF is undefined after the
 * logical instructions); partial-register writes must keep the upper bits.
 */
#include "guest.h"

struct alu_case {
    uint8_t op, bits;
    uint16_t fin;
    uint32_t a, b, r;
    uint16_t fout, mask;
};
#include "tables/alu_table.h"

static const char *const op_names[] = {
    "add", "adc",  "sub", "sbb", "cmp", "and", "or",
    "xor", "test", "neg", "not", "inc", "dec",
};

#define FL_IN  "pushl %[fl]\n\tpopfl\n\t"
#define FL_OUT "\n\tpushfl\n\tpopl %[fl]"

/* Binary op: a = a OP b.  "+&q" keeps a and b in distinct registers. */
#define BIN(op)                                                 \
    static void op##8(uint32_t * a, uint32_t b, uint32_t * fl)  \
    {                                                           \
        asm volatile(FL_IN #op "b %b[b], %b[a]" FL_OUT          \
                     : [a] "+&q"(*a), [fl] "+&r"(*fl)           \
                     : [b] "q"(b)                               \
                     : "cc");                                   \
    }                                                           \
    static void op##16(uint32_t * a, uint32_t b, uint32_t * fl) \
    {                                                           \
        asm volatile(FL_IN #op "w %w[b], %w[a]" FL_OUT          \
                     : [a] "+&r"(*a), [fl] "+&r"(*fl)           \
                     : [b] "r"(b)                               \
                     : "cc");                                   \
    }                                                           \
    static void op##32(uint32_t * a, uint32_t b, uint32_t * fl) \
    {                                                           \
        asm volatile(FL_IN #op "l %[b], %[a]" FL_OUT            \
                     : [a] "+&r"(*a), [fl] "+&r"(*fl)           \
                     : [b] "r"(b)                               \
                     : "cc");                                   \
    }
#define UN(op)                                                  \
    static void op##8(uint32_t * a, uint32_t b, uint32_t * fl)  \
    {                                                           \
        asm volatile(FL_IN #op "b %b[a]" FL_OUT                 \
                     : [a] "+&q"(*a), [fl] "+&r"(*fl)           \
                     :                                          \
                     : "cc");                                   \
    }                                                           \
    static void op##16(uint32_t * a, uint32_t b, uint32_t * fl) \
    {                                                           \
        asm volatile(FL_IN #op "w %w[a]" FL_OUT                 \
                     : [a] "+&r"(*a), [fl] "+&r"(*fl)           \
                     :                                          \
                     : "cc");                                   \
    }                                                           \
    static void op##32(uint32_t * a, uint32_t b, uint32_t * fl) \
    {                                                           \
        asm volatile(FL_IN #op "l %[a]" FL_OUT                  \
                     : [a] "+&r"(*a), [fl] "+&r"(*fl)           \
                     :                                          \
                     : "cc");                                   \
    }
/* clang-format off */
BIN(add)
BIN(adc)
BIN(sub)
BIN(sbb)
BIN(cmp)
BIN(and)
BIN(or)
BIN(xor)
BIN(test)
UN(neg)
UN(not)
UN(inc)
UN(dec)
/* clang-format on */

typedef void (*alu_fn)(uint32_t *a, uint32_t b, uint32_t *fl);
#define ROW(op)               \
    {                         \
        op##8, op##16, op##32 \
    }
static const alu_fn alu_fns[][3] = {
    ROW(add), ROW(adc),  ROW(sub), ROW(sbb),  ROW(cmp), ROW(and), ROW(or),
    ROW(xor), ROW(test), ROW(neg), ROW(not ), ROW(inc), ROW(dec),
};

static void table_tests(void)
{
    report_section("table");
    for (unsigned i = 0; i < sizeof(alu_cases) / sizeof(alu_cases[0]); i++) {
        const struct alu_case *c = &alu_cases[i];
        unsigned sz = c->bits == 8 ? 0 : c->bits == 16 ? 1 : 2;
        uint32_t keep = c->bits == 32 ? 0 : 0xA5A5A5A5u << c->bits;
        uint32_t a = c->a | keep, fl = c->fin | 2;
        alu_fns[c->op][sz](&a, c->b, &fl);
        report_eq(a, c->r | keep, "%s%u a=%x b=%x flags in %x: result",
                  op_names[c->op], c->bits, c->a, c->b, c->fin);
        report_flags(fl, c->fout, c->mask, "%s%u a=%x b=%x flags in %x",
                     op_names[c->op], c->bits, c->a, c->b, c->fin);
    }
}

/* Encodings the table does not reach; expected values worked by hand. */
static void form_tests(void)
{
    uint32_t a, fl;
    static volatile uint32_t mem32;
    static volatile uint16_t mem16;
    static volatile uint8_t mem8;

    report_section("forms");
    /* 83 /0 ib: ADD r/m32, imm8 sign-extended: 1 + (-1) = 0, CF ZF PF AF */
    a = 1, fl = 2;
    asm volatile(FL_IN "addl $-1, %[a]" FL_OUT : [a] "+r"(a), [fl] "+r"(fl));
    report_eq(a, 0, "add r32, imm8 -1");
    report_flags(fl, FL_CF | FL_ZF | FL_PF | FL_AF, FL_ARITH,
                 "add r32, imm8 -1");
    /* 04 ib: ADD AL, imm8: 0x7F + 1 = 0x80: OF SF AF */
    a = 0x1234567F, fl = 2;
    asm volatile(FL_IN ".byte 0x04, 0x01" FL_OUT : "+a"(a), [fl] "+r"(fl));
    report_eq(a, 0x12345680, "add al, imm8");
    report_flags(fl, FL_OF | FL_SF | FL_AF, FL_ARITH, "add al, imm8");
    /* 05 id: ADD EAX, imm32 */
    a = 0x80000000, fl = 2;
    asm volatile(FL_IN ".byte 0x05; .long 0x80000000" FL_OUT
                 : "+a"(a), [fl] "+r"(fl));
    report_eq(a, 0, "add eax, imm32");
    report_flags(fl, FL_OF | FL_CF | FL_ZF | FL_PF, FL_ARITH, "add eax, imm32");
    /* 66 05 iw: ADD AX, imm16 */
    a = 0xFFFF00FF, fl = 2;
    asm volatile(FL_IN ".byte 0x66, 0x05; .word 0x0001" FL_OUT
                 : "+a"(a), [fl] "+r"(fl));
    report_eq(a, 0xFFFF0100, "add ax, imm16");
    report_flags(fl, FL_AF | FL_PF, FL_ARITH, "add ax, imm16");
    /* 81 /5 id: SUB r/m32, imm32 on memory */
    mem32 = 5, fl = 2;
    asm volatile(FL_IN "subl $6, %[m]" FL_OUT : [m] "+m"(mem32), [fl] "+r"(fl));
    report_eq(mem32, 0xFFFFFFFF, "sub m32, imm32");
    report_flags(fl, FL_CF | FL_SF | FL_PF | FL_AF, FL_ARITH, "sub m32, imm");
    /* 00 /r: ADD r/m8, r8 with memory destination */
    mem8 = 0xF0, a = 0x10, fl = 2;
    asm volatile(FL_IN "addb %b[a], %[m]" FL_OUT
                 : [m] "+m"(mem8), [fl] "+r"(fl)
                 : [a] "q"(a));
    report_eq(mem8, 0, "add m8, r8");
    report_flags(fl, FL_CF | FL_ZF | FL_PF, FL_ARITH, "add m8, r8");
    /* 13 /r: ADC r32, r/m32 from memory, CF in */
    mem32 = 0xFFFFFFFF, a = 0, fl = 2 | FL_CF;
    asm volatile(FL_IN "adcl %[m], %[a]" FL_OUT
                 : [a] "+r"(a), [fl] "+r"(fl)
                 : [m] "m"(mem32));
    report_eq(a, 0, "adc r32, m32");
    report_flags(fl, FL_CF | FL_ZF | FL_PF | FL_AF, FL_ARITH, "adc r32, m32");
    /* 66 83 /3 ib: SBB r/m16, imm8 on memory: 0 - 0 - 1 */
    mem16 = 0, fl = 2 | FL_CF;
    asm volatile(FL_IN "sbbw $0, %[m]" FL_OUT : [m] "+m"(mem16), [fl] "+r"(fl));
    report_eq(mem16, 0xFFFF, "sbb m16, imm8");
    report_flags(fl, FL_CF | FL_SF | FL_PF | FL_AF, FL_ARITH, "sbb m16, imm8");
    /* 80 /7 ib: CMP r/m8, imm8 on memory */
    mem8 = 0x80, fl = 2;
    asm volatile(FL_IN "cmpb $1, %[m]" FL_OUT : [m] "+m"(mem8), [fl] "+r"(fl));
    report_eq(mem8, 0x80, "cmp m8, imm8 leaves memory");
    report_flags(fl, FL_OF | FL_AF, FL_ARITH, "cmp m8, imm8");
    /* A9 id: TEST EAX, imm32 */
    a = 0x80000001, fl = 2 | FL_CF | FL_OF;
    asm volatile(FL_IN ".byte 0xA9; .long 0x80000000" FL_OUT
                 : "+a"(a), [fl] "+r"(fl));
    report_flags(fl, FL_SF | FL_PF, FL_ARITH & ~FL_AF, "test eax, imm32");
    /* F6 /0 ib: TEST r/m8, imm8 */
    mem8 = 0x0F, fl = 2;
    asm volatile(FL_IN "testb $0xF0, %[m]" FL_OUT
                 : [m] "+m"(mem8), [fl] "+r"(fl));
    report_flags(fl, FL_ZF | FL_PF, FL_ARITH & ~FL_AF, "test m8, imm8");
    /* XOR r, r zeroes and sets ZF PF, clears CF OF SF */
    a = 0xDEADBEEF, fl = 2 | FL_CF | FL_OF | FL_SF;
    asm volatile(FL_IN "xorl %[a], %[a]" FL_OUT : [a] "+r"(a), [fl] "+r"(fl));
    report_eq(a, 0, "xor r32, r32");
    report_flags(fl, FL_ZF | FL_PF, FL_ARITH & ~FL_AF, "xor r32, r32");
    /* LOCK ADD/INC/NEG/NOT on memory behave as without LOCK */
    mem32 = 0x7FFFFFFF, fl = 2;
    asm volatile(FL_IN "lock incl %[m]" FL_OUT
                 : [m] "+m"(mem32), [fl] "+r"(fl));
    report_eq(mem32, 0x80000000, "lock inc m32");
    report_flags(fl, FL_OF | FL_SF | FL_AF | FL_PF, FL_ARITH & ~FL_CF,
                 "lock inc m32");
    mem32 = 1, fl = 2;
    asm volatile(FL_IN "lock negl %[m]" FL_OUT
                 : [m] "+m"(mem32), [fl] "+r"(fl));
    report_eq(mem32, 0xFFFFFFFF, "lock neg m32");
    report_flags(fl, FL_CF | FL_SF | FL_PF | FL_AF, FL_ARITH, "lock neg m32");
    mem16 = 0x00FF, fl = 2 | FL_ARITH;
    asm volatile(FL_IN "lock notw %[m]" FL_OUT
                 : [m] "+m"(mem16), [fl] "+r"(fl));
    report_eq(mem16, 0xFF00, "lock not m16");
    report_flags(fl, FL_ARITH, FL_ARITH, "lock not m16 leaves flags");
    mem32 = 0xFFFFFFF0, a = 0x10, fl = 2;
    asm volatile(FL_IN "lock addl %[a], %[m]" FL_OUT
                 : [m] "+m"(mem32), [fl] "+r"(fl)
                 : [a] "r"(a));
    report_eq(mem32, 0, "lock add m32, r32");
    report_flags(fl, FL_CF | FL_ZF | FL_PF, FL_ARITH, "lock add m32, r32");
    /* INC/DEC in the one-byte 0x40+r form (no 64-bit REX meaning here) */
    a = 0xFFFF, fl = 2;
    asm volatile(FL_IN ".byte 0x66, 0x40" FL_OUT : "+a"(a), [fl] "+r"(fl));
    report_eq(a, 0, "inc ax (66 40)");
    report_flags(fl, FL_ZF | FL_PF | FL_AF, FL_ARITH & ~FL_CF, "inc ax");
    a = 0x80000000, fl = 2 | FL_CF;
    asm volatile(FL_IN ".byte 0x48" FL_OUT : "+a"(a), [fl] "+r"(fl));
    report_eq(a, 0x7FFFFFFF, "dec eax (48)");
    report_flags(fl, FL_OF | FL_AF | FL_PF | FL_CF, FL_ARITH, "dec eax");
    /* ADD with 8-bit high registers: AH += BH */
    a = 0x00007F00, fl = 2;
    uint32_t b = 0x00000100;
    asm volatile(FL_IN "addb %%bh, %%ah" FL_OUT
                 : "+a"(a), [fl] "+r"(fl)
                 : "b"(b));
    report_eq(a, 0x00008000, "add ah, bh");
    report_flags(fl, FL_OF | FL_SF | FL_AF, FL_ARITH, "add ah, bh");
}

int main(void)
{
    table_tests();
    form_tests();
    return 0;
}
