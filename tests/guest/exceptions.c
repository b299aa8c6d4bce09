/*
 * Exceptions raised by instructions (SDM Vol. 3A chapter 6): #DE, #DB
 * (TF single-step, ICEBP, DR0-3 execution and data breakpoints, DR6),
 * #BP, #OF, #BR, #UD (UD2, LOCK on non-lockable instructions, invalid
 * forms), #NM (CR0.TS/EM), #DF (a contributory fault while delivering a
 * contributory fault), #NP/#GP from INT n (not-present gate, gate DPL,
 * IDT limit), #GP from privileged instructions in ring 3, #SS, #AC in ring
 * 3; interrupt versus trap gates and IF; the single-step shadow after MOV
 * SS and POP SS.  #PF is in paging, #MF in x87, #TS in taskswitch.
 *
 * Run only on our emulator (skipped under -append qemu-tcg, where QEMU 7.2
 * TCG deviates): #AC (no alignment checking in TCG), ICEBP (TCG raises
 * #UD), LOCK MOV and LOCK CPUID (TCG runs them without #UD).
 */
#include "guest.h"

#define FL_IN "pushl %[fl]\n\tpopfl\n\t"

static void simple_tests(void)
{
    uint32_t a, feip, fl;
    report_section("traps and faults");
    /* #DE: fault, EIP of the DIV */
    a = 1;
    exc_clear();
    asm volatile(ASM_TRY("1f") "2: divb %b[z]\n1:" ASM_CATCH "movl $2b, %[e]"
                 : "+a"(a), [e] "=r"(feip)
                 : [z] "q"(0));
    report_exc(DE_VECTOR, 0, "#DE");
    report_eq(exc_last.eip, feip, "#DE is a fault");

    /* #BP: INT3 (CC) and INT 3 (CD 03) are traps: EIP after the insn */
    exc_clear();
    asm volatile(ASM_TRY("1f") "int3\n2:\n1:" ASM_CATCH "movl $2b, %[e]"
                 : [e] "=r"(feip));
    report_exc(BP_VECTOR, 0, "int3");
    report_eq(exc_last.eip, feip, "int3 is a trap");
    exc_clear();
    asm volatile(ASM_TRY("1f") ".byte 0xCD, 0x03\n2:\n1:" ASM_CATCH
                               "movl $2b, %[e]"
                 : [e] "=r"(feip));
    report_exc(BP_VECTOR, 0, "int 3 (CD 03)");
    report_eq(exc_last.eip, feip, "int 3 is a trap");

    /* #OF: INTO traps only when OF = 1 */
    exc_clear();
    fl = 2 | FL_OF;
    asm volatile(FL_IN ASM_TRY("1f") "into\n2:\n1:" ASM_CATCH "movl $2b, %[e]"
                 : [e] "=r"(feip)
                 : [fl] "r"(fl)
                 : "cc");
    report_exc(OF_VECTOR, 0, "into with OF = 1");
    report_eq(exc_last.eip, feip, "into is a trap");
    exc_clear();
    fl = 2;
    asm volatile(FL_IN ASM_TRY("1f") "into\n1:" ASM_CATCH
                 :
                 : [fl] "r"(fl)
                 : "cc");
    report_noexc("into with OF = 0");

    /* #BR: BOUND is a fault when the index is outside [lo, hi] */
    static int32_t bounds[2] = { -5, 10 };
    int32_t idx = 10;
    exc_clear();
    asm volatile(ASM_TRY("1f") "bound %[i], %[b]\n1:" ASM_CATCH
                 :
                 : [i] "r"(idx), [b] "m"(bounds));
    report_noexc("bound in range (upper edge)");
    idx = -6;
    asm volatile(ASM_TRY("1f") "2: bound %[i], %[b]\n1:" ASM_CATCH
                               "movl $2b, %[e]"
                 : [e] "=r"(feip)
                 : [i] "r"(idx), [b] "m"(bounds));
    report_exc(BR_VECTOR, 0, "bound below range");
    report_eq(exc_last.eip, feip, "bound is a fault");
    idx = 11;
    exc_clear();
    asm volatile(ASM_TRY("1f") "bound %[i], %[b]\n1:" ASM_CATCH
                 :
                 : [i] "r"(idx), [b] "m"(bounds));
    report_exc(BR_VECTOR, 0, "bound above range");
}

static void ud_tests(void)
{
    uint32_t feip;
    report_section("#UD");
#define UD(bytes, name)                                                  \
    exc_clear();                                                         \
    asm volatile(ASM_TRY("1f") "2: .byte " bytes "\n\tnop\n1:" ASM_CATCH \
                               "movl $2b, %[e]"                          \
                 : [e] "=r"(feip)                                        \
                 :                                                       \
                 : "memory");                                            \
    report_exc(UD_VECTOR, 0, name);                                      \
    report_eq(exc_last.eip, feip, name ": fault at the instruction")
    UD("0x0F, 0x0B", "ud2");
    UD("0x0F, 0xFF, 0xC0", "ud0");
    UD("0xF0, 0x90", "lock nop");
    UD("0xF0, 0x01, 0xC3", "lock add with a register destination");
    UD("0x8D, 0xC3", "lea with a register operand");
    UD("0x8E, 0xC8", "mov cs, ax");
    UD("0x0F, 0x01, 0xE8 + 0x10", "0f 01 f8 (swapgs outside 64-bit mode)");
    UD("0xFE, 0xF8", "fe /7");
    UD("0xFF, 0xF8", "ff /7");
    UD("0x0F, 0xB9, 0xC0", "ud1");
    UD("0x0F, 0x38, 0xFF, 0xC0", "0f 38 ff");
    if (quirk_tcg()) {
        report_skip("lock mov, lock cpuid (QEMU TCG does not #UD)");
    } else {
        UD("0xF0, 0x89, 0x03", "lock mov m32, r32");
        UD("0xF0, 0x0F, 0xA2", "lock cpuid");
    }
#undef UD
    /* LOCK on a lockable memory form is fine */
    static uint32_t m;
    exc_clear();
    asm volatile(ASM_TRY("1f") "lock orl $1, %0\n1:" ASM_CATCH : "+m"(m));
    report_noexc("lock or m32, imm");
}

static void nm_tests(void)
{
    report_section("#NM");
    uint32_t cr0 = read_cr0();
    write_cr0(cr0 | CR0_TS);
    exc_clear();
    asm volatile(ASM_TRY("1f") "fld1\n1:" ASM_CATCH ::: "memory");
    report_exc(NM_VECTOR, 0, "fld1 with CR0.TS");
    /* WAIT: #NM only when MP and TS are both set */
    exc_clear();
    asm volatile(ASM_TRY("1f") "fwait\n1:" ASM_CATCH ::: "memory");
    report_exc(NM_VECTOR, 0, "fwait with CR0.TS and MP");
    write_cr0((cr0 | CR0_TS) & ~CR0_MP);
    exc_clear();
    asm volatile(ASM_TRY("1f") "fwait\n1:" ASM_CATCH ::: "memory");
    report_noexc("fwait with TS but not MP");
    asm volatile("clts");
    report_eq(read_cr0() & CR0_TS, 0, "clts clears CR0.TS");
    write_cr0(cr0 | CR0_EM);
    exc_clear();
    asm volatile(ASM_TRY("1f") "fld1\n1:" ASM_CATCH ::: "memory");
    report_exc(NM_VECTOR, 0, "fld1 with CR0.EM");
    write_cr0(cr0);
    exc_clear();
    asm volatile(ASM_TRY("1f") "fld1\n\tfstp %%st(0)\n1:" ASM_CATCH ::
                     : "memory");
    report_noexc("fld1 with TS = EM = 0");
}

static void df_tests(void)
{
    report_section("#DF");
    /* #DE whose gate is not present: the #NP during delivery is a second
     * contributory exception -> #DF with error code 0 (SDM table 6-5). */
    idt[DE_VECTOR] &= ~((uint64_t)ACC_P << 40);
    uint32_t a = 1;
    exc_clear();
    asm volatile(ASM_TRY("1f") "divb %b[z]\n1:" ASM_CATCH
                 : "+a"(a)
                 : [z] "q"(0));
    report_exc(DF_VECTOR, 0, "#DE through a not-present gate -> #DF(0)");
    idt_restore(DE_VECTOR);

    /* #GP beyond the IDT limit while delivering #DE -> #DF */
    struct dtr d;
    sidt(&d);
    struct dtr small = { 8 * 9 - 1, d.base }; /* vectors 0-8 only */
    idt[DE_VECTOR] &= ~((uint64_t)ACC_P << 40);
    lidt(&small);
    exc_clear();
    asm volatile(ASM_TRY("1f") "divb %b[z]\n1:" ASM_CATCH
                 : "+a"(a)
                 : [z] "q"(0));
    lidt(&d);
    idt_restore(DE_VECTOR);
    report_exc(DF_VECTOR, 0, "#DE -> #NP -> #DF with a short IDT");

    /* #BP (benign) through a not-present gate: just #NP(3*8+2) */
    idt[BP_VECTOR] &= ~((uint64_t)ACC_P << 40);
    exc_clear();
    asm volatile(ASM_TRY("1f") "int3\n1:" ASM_CATCH ::: "memory");
    idt_restore(BP_VECTOR);
    report_exc(NP_VECTOR, BP_VECTOR * 8 + 2,
               "int3 through a not-present "
               "gate: #NP(vec*8+2+ext?)");
}

/* ---- INT n and gates ---- */
static uint32_t seen_fl_before, seen_fl_inside;
static void int_handler(struct exc_frame *f)
{
    seen_fl_before = f->eflags;
    seen_fl_inside = read_eflags();
}
static void user_int_dpl0(void *arg)
{
    asm volatile("int $0x41");
}
static void user_int_dpl3(void *arg)
{
    asm volatile("int $0x43");
}
static void user_cli(void *arg)
{
    asm volatile("cli");
}
static void user_hlt(void *arg)
{
    asm volatile("hlt");
}
static void user_mov_cr0(void *arg)
{
    asm volatile("mov %%cr0, %%eax" : : : "eax");
}
static void user_lgdt(void *arg)
{
    static struct dtr d;
    asm volatile("lgdt %0" : : "m"(d));
}
static void user_in(void *arg)
{
    (void)inb(0x61);
}

static void gate_tests(void)
{
    report_section("gates");
    /* interrupt gate clears IF; trap gate keeps it (SDM 6.12.1.3) */
    exc_set_handler(0x40, int_handler);
    idt_set(0x40, SEL_CODE32, idt_stub(0x40), SYS_INT_GATE32, 0);
    asm volatile("sti\n\tint $0x40\n\tcli");
    report(seen_fl_before & FL_IF, "int n: IF = 1 in the pushed EFLAGS");
    report_eq(seen_fl_inside & FL_IF, 0, "interrupt gate clears IF");
    idt_set(0x40, SEL_CODE32, idt_stub(0x40), SYS_TRAP_GATE32, 0);
    asm volatile("sti\n\tint $0x40\n\tcli");
    report_eq(seen_fl_inside & FL_IF, FL_IF, "trap gate keeps IF");
    /* TF and NT are cleared on entry through either gate */
    write_eflags(read_eflags() | FL_NT);
    asm volatile("int $0x40");
    write_eflags(read_eflags() & ~FL_NT);
    report(seen_fl_before & FL_NT, "pushed EFLAGS has NT");
    report_eq(seen_fl_inside & FL_NT, 0, "gate entry clears NT");
    exc_set_handler(0x40, NULL);
    idt_restore(0x40);

    /* INT n from ring 3 to a DPL 0 gate: #GP(n*8+2) */
    exc_clear();
    report_eq(user_run(user_int_dpl0, 0), GP_VECTOR, "ring 3 int $0x41");
    report_exc(GP_VECTOR, 0x41 * 8 + 2, "int n gate dpl < cpl: #GP(n*8+2)");
    /* DPL 3 gate from ring 3 is fine */
    exc_set_handler(0x43, int_handler);
    idt_set(0x43, SEL_CODE32, idt_stub(0x43), SYS_INT_GATE32, 3);
    exc_clear();
    report_eq(user_run(user_int_dpl3, 0), USER_DONE, "ring 3 int $0x43");
    report_eq(exc_last.cs, SEL_UCODE32, "ring 3 int: pushed cs");
    report_eq(exc_last.ss, SEL_UDATA32, "ring 3 int: pushed ss");
    exc_set_handler(0x43, NULL);
    idt_restore(0x43);
    /* not-present gate: #NP(n*8+2) */
    idt_set(0x42, SEL_CODE32, idt_stub(0x42), SYS_INT_GATE32, 0);
    idt[0x42] &= ~((uint64_t)ACC_P << 40);
    exc_clear();
    asm volatile(ASM_TRY("1f") "int $0x42\n1:" ASM_CATCH ::: "memory");
    report_exc(NP_VECTOR, 0x42 * 8 + 2, "int n not-present gate: #NP");
    idt_restore(0x42);
    /* beyond the IDT limit: #GP(n*8+2) */
    struct dtr d, small;
    sidt(&d);
    small = d;
    small.limit = 0x48 * 8 - 1;
    lidt(&small);
    exc_clear();
    asm volatile(ASM_TRY("1f") "int $0x50\n1:" ASM_CATCH ::: "memory");
    lidt(&d);
    report_exc(GP_VECTOR, 0x50 * 8 + 2, "int n beyond the idt limit: #GP");
    /* a gate pointing at a data segment: #GP(sel) */
    idt_set(0x44, SEL_DATA32, idt_stub(0x44), SYS_INT_GATE32, 0);
    exc_clear();
    asm volatile(ASM_TRY("1f") "int $0x44\n1:" ASM_CATCH ::: "memory");
    idt_restore(0x44);
    report_exc(GP_VECTOR, SEL_DATA32, "gate to a data segment: #GP(sel)");

    /* privileged instructions in ring 3 (IOPL 0) */
    report_section("ring 3 #GP");
    static const struct {
        void (*fn)(void *);
        const char *name;
    } priv[] = {
        { user_cli, "cli" },
        { user_hlt, "hlt" },
        { user_mov_cr0, "mov cr0" },
        { user_lgdt, "lgdt" },
        { user_in, "in from a denied port" },
    };
    for (unsigned i = 0; i < sizeof(priv) / sizeof(priv[0]); i++) {
        exc_clear();
        report_eq(user_run(priv[i].fn, 0), GP_VECTOR, "ring 3 %s",
                  priv[i].name);
        report_exc(GP_VECTOR, 0, "ring 3 %s: #GP(0)", priv[i].name);
    }
    /* CLI with IOPL 3 is allowed */
    user_eflags = 2 | FL_IOPL(3);
    report_eq(user_run(user_cli, 0), USER_DONE, "ring 3 cli with IOPL 3");
    user_eflags = 2;
}

/* ---- #DB ---- */
#define MAX_DB 8
static uint32_t db_eip[MAX_DB], db_dr6[MAX_DB];
static unsigned db_count;
static void db_handler(struct exc_frame *f)
{
    if (db_count < MAX_DB) {
        db_eip[db_count] = f->eip;
        db_dr6[db_count] = read_dr6();
    }
    db_count++;
    write_dr6(0);
    f->eflags |= FL_RF; /* resume past an instruction breakpoint */
}

extern char ss1[], ss2[], ss3[], ss_done[], bp_insn[], ms1[], ms2[], ms3[];
extern char icebp_after[], ps1[], ps2[], ps3[];
static volatile uint32_t watched;

static void db_tests(void)
{
    report_section("#DB");
    exc_set_handler(DB_VECTOR, db_handler);
    write_dr6(0);
    /* single step: trap after each instruction once TF is set by POPF */
    db_count = 0;
    asm volatile("pushfl\n\torl $0x100, (%%esp)\n\tpopfl\n"
                 "ss1:\tnop\nss2:\tnop\nss3:\tpushfl\n\t"
                 "andl $~0x100, (%%esp)\n\tpopfl\nss_done:" ::
                     : "memory");
    report(db_count >= 3, "single step traps (%u)", db_count);
    report_eq(db_eip[0], (uint32_t)ss2, "first trap after the first nop");
    report_eq(db_eip[1], (uint32_t)ss3, "second trap after the second nop");
    report_eq(db_dr6[0] & 0x4000, 0x4000, "DR6.BS on single step");

    /* MOV SS inhibits the single-step trap for one instruction */
    db_count = 0;
    asm volatile("movw %%ss, %%ax\n\tpushfl\n\torl $0x100, (%%esp)\n\tpopfl\n"
                 "ms1:\tmovw %%ax, %%ss\nms2:\tnop\nms3:\tnop\n\tpushfl\n\t"
                 "andl $~0x100, (%%esp)\n\tpopfl" ::
                     : "eax", "memory");
    report_eq(db_eip[0], (uint32_t)ms3,
              "mov ss: first trap after the next "
              "instruction");
    db_count = 0;
    asm volatile("pushl %%ss\n\tpushfl\n\torl $0x100, (%%esp)\n\tpopfl\n"
                 "ps1:\tpopl %%ss\nps2:\tnop\nps3:\tnop\n\tpushfl\n\t"
                 "andl $~0x100, (%%esp)\n\tpopfl" ::
                     : "memory");
    report_eq(db_eip[0], (uint32_t)ps3,
              "pop ss: first trap after the next "
              "instruction");

    /* ICEBP / INT1 (F1): #DB trap */
    if (quirk_tcg()) {
        report_skip("icebp (QEMU 7.2 TCG raises #UD)");
    } else {
        db_count = 0;
        asm volatile(".byte 0xF1\nicebp_after:" ::: "memory");
        report_eq(db_count, 1, "icebp raises #DB");
        report_eq(db_eip[0], (uint32_t)icebp_after, "icebp is a trap");
    }

    /* DR0 execution breakpoint: fault before the instruction, B0 */
    db_count = 0;
    write_dr0((uint32_t)bp_insn);
    write_dr7(0x1 | 0x200); /* L0, GE; RW0 = 00 (execute), LEN0 = 00 */
    uint32_t a = 0;
    asm volatile("nop\nbp_insn:\tmovl $5, %0" : "=r"(a) : : "memory");
    write_dr7(0);
    report_eq(db_count, 1, "execution breakpoint fires once (RF)");
    report_eq(db_eip[0], (uint32_t)bp_insn, "execution breakpoint is a fault");
    report_eq(db_dr6[0] & 0xF, 1, "DR6.B0");
    report_eq(a, 5, "instruction runs after the breakpoint");

    /* DR1 data write breakpoint, 4 bytes: trap after the write, B1 */
    db_count = 0;
    write_dr1((uint32_t)&watched);
    write_dr7(0x4 | 0x200 | (0x1 << 20) | (0x3 << 22)); /* L1 RW1=01 LEN1=11 */
    uint32_t feip;
    (void)watched; /* reads do not trigger a write breakpoint */
    asm volatile("movl $7, %1\n2:\n\tmovl $2b, %0" : "=r"(feip), "=m"(watched));
    write_dr7(0);
    report_eq(db_count, 1, "data write breakpoint fires");
    report_eq(db_eip[0], feip, "data breakpoint is a trap");
    report_eq(db_dr6[0] & 0xF, 2, "DR6.B1");
    /* DR2 read/write breakpoint on one byte, hit by a read */
    db_count = 0;
    write_dr2((uint32_t)&watched + 1);
    write_dr7(0x10 | 0x200 | (0x3 << 24)); /* L2 RW2=11 LEN2=00 */
    a = *(volatile uint16_t *)&watched;    /* covers byte 1 */
    write_dr7(0);
    report_eq(db_count, 1, "data read breakpoint on an overlapping access");
    report_eq(db_dr6[0] & 0xF, 4, "DR6.B2");
    exc_set_handler(DB_VECTOR, NULL);
}

/* ---- #SS, #AC ---- */
static void user_unaligned(void *arg)
{
    volatile uint32_t *p = (volatile uint32_t *)((uint8_t *)arg + 1);
    (void)*p;
}

static void misc_tests(void)
{
    report_section("#SS/#AC");
    static uint8_t buf[16] __attribute__((aligned(16)));
    /* #AC: CR0.AM, EFLAGS.AC, CPL 3, misaligned dword */
    write_cr0(read_cr0() | CR0_AM);
    user_eflags = 2 | FL_AC;
    exc_clear();
    int v = user_run(user_unaligned, buf);
    if (quirk_tcg()) {
        report_skip("#AC on a misaligned access (QEMU TCG has no #AC)");
    } else {
        report_eq(v, AC_VECTOR, "misaligned load in ring 3 with AC");
        report_exc(AC_VECTOR, 0, "#AC(0)");
    }
    /* AC clear, or ring 0: no #AC */
    user_eflags = 2;
    report_eq(user_run(user_unaligned, buf), USER_DONE, "no #AC with AC = 0");
    write_eflags(read_eflags() | FL_AC);
    exc_clear();
    (void)*(volatile uint32_t *)(buf + 1);
    write_eflags(read_eflags() & ~FL_AC);
    report_noexc("no #AC in ring 0");
    write_cr0(read_cr0() & ~CR0_AM);

    /* #SS(sel) from loading a not-present stack segment */
    gdt_set(GDT_TEST_FIRST, 0, 0xFFFFF, ACC_DATA_RW & ~ACC_P, FLG_G | FLG_DB);
    exc_clear();
    asm volatile("movw %%ss, %%dx\n\t" ASM_TRY(
                     "1f") "movw %0, %%ss\n1:" ASM_CATCH "movw %%dx, %%ss"
                 :
                 : "r"((uint16_t)SEL_TEST(0))
                 : "edx");
    report_exc(SS_VECTOR, SEL_TEST(0), "not-present ss: #SS(sel)");
}

int main(void)
{
    simple_tests();
    ud_tests();
    nm_tests();
    df_tests();
    gate_tests();
    db_tests();
    misc_tests();
    return 0;
}
