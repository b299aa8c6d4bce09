/*
 * Virtual-8086 mode (SDM Vol. 3A chapter 20): entering v86 with IRET, real-
 * mode style addressing, INT n through the IDT (IOPL 3, DPL 3 gate) with
 * the segment registers saved and zeroed, the IOPL-sensitive instructions
 * (CLI STI PUSHF POPF INT n IRET) raising #GP(0) at IOPL < 3 and working at
 * IOPL 3, IN/OUT checked against the TSS I/O bitmap instead of IOPL, HLT
 * and privileged instructions raising #GP(0).  The v86 code is 16-bit code
 * in the .low section (below 64 KiB), run with CS = 0.
 */
#include "guest.h"

#define V86_INT 0x30

extern char v86_calc[], v86_calc_int[], v86_priv[], v86_priv_cli[],
    v86_priv_sti[], v86_priv_pushf[], v86_priv_popf[], v86_priv_int[],
    v86_priv_iret[], v86_priv_hlt[], v86_priv_end[], v86_io[], v86_io_bad[],
    v86_io_end[], v86_flags[], v86_flags_end[], v86_int3[], v86_int3_after[];

asm(".section .low.text, \"ax\"\n"
    ".code16\n"
    /* AX = AX + BX; store it at DS:0x10; INT 0x30 */
    "v86_calc:\n\t"
    "addw %bx, %ax\n\t"
    "movw %ax, 0x10\n\t"
    "movw $0x4000, %cx\n\t"
    "movw %cx, %es\n\t"
    "movw %es:0x20, %dx\n\t"
    "v86_calc_int: int $0x30\n"
    /* IOPL-sensitive instructions, each expected to #GP at IOPL 0 */
    "v86_priv:\n"
    "v86_priv_cli: cli\n"
    "v86_priv_sti: sti\n"
    "v86_priv_pushf: pushfw\n"
    "v86_priv_popf: popfw\n"
    "v86_priv_int: int $0x30\n"
    "v86_priv_iret: iretw\n"
    "v86_priv_hlt: hlt\n"
    "v86_priv_end: int $0x30\n"
    /* I/O: allowed port (0xE9) then a denied one (0x80) */
    "v86_io:\n\t"
    "movb $'v', %al\n\t"
    "outb %al, $0xE9\n"
    "v86_io_bad: outb %al, $0x80\n"
    "v86_io_end: int $0x30\n"
    /* IOPL 3: CLI/STI/PUSHF/POPF act on the v86 flags */
    "v86_flags:\n\t"
    "cli\n\tpushfw\n\tpopw %ax\n\t"
    "sti\n\tpushfw\n\tpopw %bx\n\t"
    "pushw $0x0CD5\n\tpopfw\n\tpushfw\n\tpopw %cx\n\t"
    "cli\n"
    "v86_flags_end: int $0x30\n"
    "v86_int3: int3\n"
    "v86_int3_after: int $0x30\n"
    ".code32\n.text\n");

static void init_regs(struct v86_regs *r, void *ip, uint32_t iopl)
{
    memset(r, 0, sizeof(*r));
    r->eip = (uint32_t)ip;
    r->cs = 0;
    r->ss = 0;
    r->esp = 0x6000;
    r->eflags = 2 | FL_IOPL(iopl);
}

static void calc_tests(void)
{
    struct v86_regs r;
    report_section("basic");
    idt_set(V86_INT, SEL_CODE32, idt_stub(V86_INT), SYS_INT_GATE32, 3);
    *(volatile uint16_t *)0x40020 = 0xBEEF; /* ES = 0x4000, offset 0x20 */
    init_regs(&r, v86_calc, 3);
    r.ds = 0x2000;
    r.fs = 0x1111;
    r.gs = 0x2222;
    r.eax = 0xAAAA1000;
    r.ebx = 0x00000234;
    r.esi = 0x12345678;
    *(volatile uint16_t *)0x20010 = 0;
    int v = v86_run(&r);
    report_eq(v, V86_INT, "int $0x30 from v86 reaches the IDT");
    report(r.eflags & FL_VM, "frame eflags has VM");
    report_eq(r.eip, (uint32_t)v86_calc_int + 2, "eip after int n");
    report_eq(r.cs, 0, "cs");
    report_eq(r.ds, 0x2000, "ds saved in the frame");
    report_eq(r.es, 0x4000, "es saved in the frame");
    report_eq(r.fs, 0x1111, "fs saved in the frame");
    report_eq(r.gs, 0x2222, "gs saved in the frame");
    report_eq(r.ss, 0, "ss saved in the frame");
    report_eq(r.esp, 0x6000, "sp saved in the frame");
    report_eq(r.edx & 0xFFFF, 0xBEEF, "es:0x20 reads linear 0x40020");
    report_eq(r.eax, 0xAAAA1234, "ax = ax + bx in v86");
    report_eq(r.esi, 0x12345678, "esi passed through");
    report_eq(*(volatile uint16_t *)0x20010, 0x1234,
              "ds:0x10 writes linear 0x20010");
}

static void priv_tests(void)
{
    struct v86_regs r;
    static const struct {
        char *at;
        const char *name;
    } seq[] = {
        { v86_priv_cli, "cli" },     { v86_priv_sti, "sti" },
        { v86_priv_pushf, "pushf" }, { v86_priv_popf, "popf" },
        { v86_priv_int, "int n" },   { v86_priv_iret, "iret" },
        { v86_priv_hlt, "hlt" },
    };
    report_section("iopl 0");
    init_regs(&r, v86_priv, 0);
    for (unsigned i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
        exc_clear();
        int v = v86_run(&r);
        report_eq(v, GP_VECTOR, "%s at IOPL 0: #GP", seq[i].name);
        report_eq(exc_last.error, 0, "%s: error code 0", seq[i].name);
        report_eq(r.eip, (uint32_t)seq[i].at, "%s: #GP at the instruction",
                  seq[i].name);
        /* skip it like a monitor would */
        r.eip = (uint32_t)(i + 1 < sizeof(seq) / sizeof(seq[0]) ? seq[i + 1].at
                                                                : v86_priv_end);
    }
    /* INT3 is not IOPL-sensitive: it goes through the DPL 3 gate */
    init_regs(&r, v86_int3, 0);
    report_eq(v86_run(&r), BP_VECTOR, "int3 at IOPL 0 reaches the IDT");
    report_eq(r.eip, (uint32_t)v86_int3_after, "int3 is a trap");

    /* I/O uses the bitmap, not IOPL */
    report_section("io");
    init_regs(&r, v86_io, 0);
    exc_clear();
    report_eq(v86_run(&r), GP_VECTOR, "out to a denied port: #GP");
    report_eq(r.eip, (uint32_t)v86_io_bad, "out 0xE9 allowed, 0x80 faults");
    r.eip = (uint32_t)v86_io_end;
    report_eq(v86_run(&r), GP_VECTOR, "int n at IOPL 0 again");
}

static void iopl3_tests(void)
{
    struct v86_regs r;
    report_section("iopl 3");
    init_regs(&r, v86_flags, 3);
    r.eflags |= FL_IF;
    int v = v86_run(&r);
    report_eq(v, V86_INT, "ran to int $0x30");
    report_eq(r.eax & FL_IF, 0, "cli clears IF in v86");
    report_eq(r.ebx & FL_IF, FL_IF, "sti sets IF in v86");
    report_flags(r.ecx, 0x0CD5, FL_ARITH | FL_DF, "popf loads the flags");
    report_eq(r.eflags & FL_IF, 0, "cli before int: pushed IF = 0");
    report_eq(r.eflags & FL_IOPL_MASK, FL_IOPL(3), "IOPL unchanged");
}

int main(void)
{
    calc_tests();
    priv_tests();
    iopl3_tests();
    return 0;
}
