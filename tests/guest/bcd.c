/*
 * BCD adjust instructions.  DAA DAS AAA AAS for every AL, every AF/CF
 * input, table-driven (tables/bcd_table.h from tables/gen_tables.py, a
 * model of the SDM Vol. 2 pseudo-code: AAA adds 0x106 to AX and AAS
 * subtracts 6 from AX and 1 from AH, as the current SDM says).  OF is
 * undefined after DAA/DAS, and only AF/CF are defined after AAA/AAS.
 * AAM and AAD with several bases by hand; AAM 0 raises #DE and leaves AX.
 */
#include "guest.h"

struct bcd_case {
    uint8_t op;
    uint16_t fin, ax, r, fout, mask;
};
#include "tables/bcd_table.h"

static const char *const op_names[] = { "daa", "das", "aaa", "aas" };

#define FL_IN  "pushl %[fl]\n\tpopfl\n\t"
#define FL_OUT "\n\tpushfl\n\tpopl %[fl]"
#define BCD(op)                                                              \
    static void do_##op(uint32_t *ax, uint32_t *fl)                          \
    {                                                                        \
        asm volatile(FL_IN #op FL_OUT : "+a"(*ax), [fl] "+r"(*fl) : : "cc"); \
    }
/* clang-format off */
BCD(daa)
BCD(das)
BCD(aaa)
BCD(aas)
/* clang-format on */

static void (*const fns[])(uint32_t *, uint32_t *) = {
    do_daa,
    do_das,
    do_aaa,
    do_aas,
};

static void table_tests(void)
{
    report_section("table");
    for (unsigned i = 0; i < sizeof(bcd_cases) / sizeof(bcd_cases[0]); i++) {
        const struct bcd_case *c = &bcd_cases[i];
        uint32_t ax = 0xCAFE0000u | c->ax, fl = c->fin | 2;
        fns[c->op](&ax, &fl);
        report_eq(ax, 0xCAFE0000u | c->r, "%s ax=%04x flags in %x: eax",
                  op_names[c->op], c->ax, c->fin);
        report_flags(fl, c->fout, c->mask, "%s ax=%04x flags in %x",
                     op_names[c->op], c->ax, c->fin);
    }
}

struct aam_case {
    bool aad;
    uint8_t base;
    uint16_t ax, r;
    uint32_t flags; /* SF ZF PF */
};
static const struct aam_case aam_cases[] = {
    { false, 10, 0x004F, 0x0709, FL_PF },
    { false, 10, 0x1200, 0x0000, FL_ZF | FL_PF },
    { false, 16, 0x00FF, 0x0F0F, FL_PF },
    { false, 3, 0x0080, 0x2A02, 0 },
    { false, 1, 0x0085, 0x8500, FL_ZF | FL_PF },
    { false, 0xFF, 0x00FE, 0x00FE, FL_SF },
    { true, 10, 0x0709, 0x004F, 0 },
    { true, 10, 0x0C0C, 0x0084, FL_SF | FL_PF },
    { true, 16, 0x0F0F, 0x00FF, FL_SF | FL_PF },
    { true, 10, 0xFFFF, 0x00F5, FL_SF | FL_PF },
    { true, 0, 0x1234, 0x0034, 0 },
    { true, 7, 0x0000, 0x0000, FL_ZF | FL_PF },
};

static void aam_tests(void)
{
    report_section("aam/aad");
    for (unsigned i = 0; i < sizeof(aam_cases) / sizeof(aam_cases[0]); i++) {
        const struct aam_case *c = &aam_cases[i];
        /* D4 ib / D5 ib with the base patched into a copy of the code */
        static uint8_t code[16] __attribute__((aligned(16)));
        code[0] = c->aad ? 0xD5 : 0xD4;
        code[1] = c->base;
        code[2] = 0xC3; /* ret */
        uint32_t ax = 0xBEEF0000u | c->ax, fl = 2 | FL_ARITH;
        asm volatile(FL_IN "call *%[code]" FL_OUT
                     : "+a"(ax), [fl] "+r"(fl)
                     : [code] "r"(code)
                     : "cc", "memory");
        report_eq(ax, 0xBEEF0000u | c->r, "%s %u ax=%04x: eax",
                  c->aad ? "aad" : "aam", c->base, c->ax);
        report_flags(fl, c->flags, FL_SF | FL_ZF | FL_PF, "%s %u ax=%04x",
                     c->aad ? "aad" : "aam", c->base, c->ax);
    }

    /* AAM 0: #DE, AX unchanged, EIP at the AAM */
    uint32_t ax = 0x1234, feip;
    exc_clear();
    asm volatile(ASM_TRY("1f") "2: .byte 0xD4, 0x00\n\t"
                               "1:" ASM_CATCH "movl $2b, %[feip]"
                 : "+a"(ax), [feip] "=r"(feip));
    report_exc(DE_VECTOR, 0, "aam 0 raises #DE");
    report_eq(exc_last.eip, feip, "aam 0: #DE points at the AAM");
    report_eq(ax, 0x1234, "aam 0 leaves AX");
}

int main(void)
{
    table_tests();
    aam_tests();
    return 0;
}
