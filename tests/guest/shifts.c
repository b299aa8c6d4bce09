/*
 * Shifts and rotates: SHL SHR SAR ROL ROR RCL RCR (8/16/32 bits) and
 * SHLD SHRD (16/32 bits) by CL over edge values and counts 0-255,
 * table-driven (tables/shift_table.h from tables/gen_tables.py, a model
 * of the SDM Vol. 2 pseudo-code).  The count is masked to 5 bits; RCL/RCR
 * of 8/16 bits rotate modulo 9/17; a masked count of 0 leaves every flag;
 * OF only for count 1; CF undefined for SHL/SHR with count >= width; AF
 * undefined for every non-zero count; SHLD/SHRD counts above the operand
 * width are left out (undefined).  Then the D0/D1 (by 1) and C0/C1 (imm8)
 * encodings and memory operands.
 */
#include "guest.h"

struct shift_case {
    uint8_t op, bits;
    uint16_t fin;
    uint32_t count, a, b, r;
    uint16_t fout, mask;
};
#include "tables/shift_table.h"

static const char *const op_names[] = {
    "rol", "ror", "rcl", "rcr", "shl", "shr", "sar", "shld", "shrd",
};

#define FL_IN  "pushl %[fl]\n\tpopfl\n\t"
#define FL_OUT "\n\tpushfl\n\tpopl %[fl]"

#define SH(op)                                                              \
    static void op##8(uint32_t * a, uint32_t b, uint32_t c, uint32_t * fl)  \
    {                                                                       \
        asm volatile(FL_IN #op "b %%cl, %b[a]" FL_OUT                       \
                     : [a] "+&q"(*a), [fl] "+&r"(*fl)                       \
                     : "c"(c)                                               \
                     : "cc");                                               \
    }                                                                       \
    static void op##16(uint32_t * a, uint32_t b, uint32_t c, uint32_t * fl) \
    {                                                                       \
        asm volatile(FL_IN #op "w %%cl, %w[a]" FL_OUT                       \
                     : [a] "+&r"(*a), [fl] "+&r"(*fl)                       \
                     : "c"(c)                                               \
                     : "cc");                                               \
    }                                                                       \
    static void op##32(uint32_t * a, uint32_t b, uint32_t c, uint32_t * fl) \
    {                                                                       \
        asm volatile(FL_IN #op "l %%cl, %[a]" FL_OUT                        \
                     : [a] "+&r"(*a), [fl] "+&r"(*fl)                       \
                     : "c"(c)                                               \
                     : "cc");                                               \
    }
#define SHD(op)                                                             \
    static void op##16(uint32_t * a, uint32_t b, uint32_t c, uint32_t * fl) \
    {                                                                       \
        asm volatile(FL_IN #op "w %%cl, %w[b], %w[a]" FL_OUT                \
                     : [a] "+&r"(*a), [fl] "+&r"(*fl)                       \
                     : [b] "r"(b), "c"(c)                                   \
                     : "cc");                                               \
    }                                                                       \
    static void op##32(uint32_t * a, uint32_t b, uint32_t c, uint32_t * fl) \
    {                                                                       \
        asm volatile(FL_IN #op "l %%cl, %[b], %[a]" FL_OUT                  \
                     : [a] "+&r"(*a), [fl] "+&r"(*fl)                       \
                     : [b] "r"(b), "c"(c)                                   \
                     : "cc");                                               \
    }
/* clang-format off */
SH(rol)
SH(ror)
SH(rcl)
SH(rcr)
SH(shl)
SH(shr)
SH(sar)
SHD(shld)
SHD(shrd)
/* clang-format on */

typedef void (*sh_fn)(uint32_t *a, uint32_t b, uint32_t c, uint32_t *fl);
#define ROW(op)               \
    {                         \
        op##8, op##16, op##32 \
    }
static const sh_fn sh_fns[][3] = {
    ROW(rol),
    ROW(ror),
    ROW(rcl),
    ROW(rcr),
    ROW(shl),
    ROW(shr),
    ROW(sar),
    { NULL, shld16, shld32 },
    { NULL, shrd16, shrd32 },
};

static void table_tests(void)
{
    report_section("table");
    for (unsigned i = 0; i < sizeof(shift_cases) / sizeof(shift_cases[0]);
         i++) {
        const struct shift_case *c = &shift_cases[i];
        unsigned sz = c->bits == 8 ? 0 : c->bits == 16 ? 1 : 2;
        uint32_t keep = c->bits == 32 ? 0 : 0x5A5A5A5Au << c->bits;
        uint32_t a = c->a | keep, fl = c->fin | 2;
        sh_fns[c->op][sz](&a, c->b, c->count, &fl);
        report_eq(a, c->r | keep, "%s%u a=%x b=%x count=%u flags in %x: result",
                  op_names[c->op], c->bits, c->a, c->b, c->count, c->fin);
        report_flags(fl, c->fout, c->mask,
                     "%s%u a=%x b=%x count=%u flags in %x", op_names[c->op],
                     c->bits, c->a, c->b, c->count, c->fin);
    }
}

/* Other encodings; expected values worked by hand from the SDM. */
static void form_tests(void)
{
    uint32_t a, fl;
    static volatile uint32_t mem32;
    static volatile uint16_t mem16;
    static volatile uint8_t mem8;

    report_section("forms");
    /* D1 /4: SHL r/m32, 1: 0x80000001 -> 2, CF = 1, OF = MSB ^ CF = 1 */
    a = 0x80000001, fl = 2;
    asm volatile(FL_IN ".byte 0xD1, 0xE0" FL_OUT : "+a"(a), [fl] "+r"(fl));
    report_eq(a, 2, "shl eax, 1 (D1)");
    report_flags(fl, FL_CF | FL_OF, FL_CF | FL_OF | FL_ZF | FL_SF | FL_PF,
                 "shl eax, 1 (D1)");
    /* D0 /7: SAR r/m8, 1: 0x81 -> 0xC0, CF = 1, OF = 0 */
    a = 0x81, fl = 2 | FL_OF;
    asm volatile(FL_IN ".byte 0xD0, 0xF8" FL_OUT : "+a"(a), [fl] "+r"(fl));
    report_eq(a, 0xC0, "sar al, 1 (D0)");
    report_flags(fl, FL_CF | FL_SF | FL_PF,
                 FL_CF | FL_OF | FL_ZF | FL_SF | FL_PF, "sar al, 1 (D0)");
    /* C1 /5 ib with imm 33: count masked to 1: SHR 0x80000000 -> 0x40000000,
     * OF = old MSB = 1 */
    a = 0x80000000, fl = 2;
    asm volatile(FL_IN ".byte 0xC1, 0xE8, 33" FL_OUT : "+a"(a), [fl] "+r"(fl));
    report_eq(a, 0x40000000, "shr eax, 33 (C1, masked to 1)");
    report_flags(fl, FL_OF | FL_PF, FL_CF | FL_OF | FL_ZF | FL_SF | FL_PF,
                 "shr eax, 33");
    /* C1 /4 ib with imm 32: masked to 0, flags unchanged */
    a = 0x12345678, fl = 2 | FL_ARITH;
    asm volatile(FL_IN ".byte 0xC1, 0xE0, 32" FL_OUT : "+a"(a), [fl] "+r"(fl));
    report_eq(a, 0x12345678, "shl eax, 32 (C1, masked to 0)");
    report_flags(fl, FL_ARITH, FL_ARITH, "shl eax, 32 leaves flags");
    /* C0 /0 ib: ROL r/m8, 4 on memory: 0x1F -> 0xF1, CF = LSB = 1 */
    mem8 = 0x1F, fl = 2;
    asm volatile(FL_IN "rolb $4, %[m]" FL_OUT : [m] "+m"(mem8), [fl] "+r"(fl));
    report_eq(mem8, 0xF1, "rol m8, 4");
    report_flags(fl, FL_CF, FL_CF, "rol m8, 4");
    /* D1 /3: RCR m16, 1: CF=1, 0x0001 -> 0x8000, CF = 1, OF = MSB(old) ^
     * CF(old) = 1 */
    mem16 = 1, fl = 2 | FL_CF;
    asm volatile(FL_IN ".byte 0x66, 0xD1, 0x1D; .long %c[m]" FL_OUT
                 : [fl] "+r"(fl)
                 : [m] "i"(&mem16)
                 : "memory");
    report_eq(mem16, 0x8000, "rcr m16, 1 (D1)");
    report_flags(fl, FL_CF | FL_OF, FL_CF | FL_OF, "rcr m16, 1");
    /* D3 /2: RCL m32, CL=1 */
    mem32 = 0x40000000, fl = 2;
    asm volatile(FL_IN "rcll %%cl, %[m]" FL_OUT
                 : [m] "+m"(mem32), [fl] "+r"(fl)
                 : "c"(1));
    report_eq(mem32, 0x80000000, "rcl m32, cl=1");
    report_flags(fl, FL_OF, FL_CF | FL_OF, "rcl m32, cl=1");
    /* 0F A4: SHLD r/m32, r32, imm8 on memory */
    mem32 = 0x12345678, a = 0x9ABCDEF0, fl = 2;
    asm volatile(FL_IN "shldl $8, %[a], %[m]" FL_OUT
                 : [m] "+m"(mem32), [fl] "+r"(fl)
                 : [a] "r"(a));
    report_eq(mem32, 0x3456789A, "shld m32, r32, 8");
    report_flags(fl, FL_PF, FL_CF | FL_ZF | FL_SF | FL_PF, "shld m32, r32, 8");
    /* 0F AC: SHRD r/m16, r16, imm8 */
    a = 0x1234, fl = 2;
    uint32_t b = 0xABCD;
    asm volatile(FL_IN "shrdw $4, %w[b], %w[a]" FL_OUT
                 : [a] "+r"(a), [fl] "+r"(fl)
                 : [b] "r"(b));
    report_eq(a & 0xFFFF, 0xD123, "shrd r16, r16, 4");
    report_flags(fl, FL_SF, FL_CF | FL_ZF | FL_SF | FL_PF, "shrd r16, r16, 4");
    /* SAL is SHL: D1 /6 is an alias on real CPUs but not documented; use
     * the documented /4 only. */
}

int main(void)
{
    table_tests();
    form_tests();
    return 0;
}
