/*
 * Hardware task switching (SDM Vol. 3A chapter 7): a #DF handled by a
 * task gate in the IDT, JMP and CALL to a TSS descriptor and through a
 * task gate, IRET back along the back-link with NT, the busy bits, the
 * state saved in the outgoing TSS, and the #GP/#TS errors for busy and
 * non-busy TSSs.
 */
#include "guest.h"

#define T3        (GDT_TEST_FIRST + 0)
#define GATE3     (GDT_TEST_FIRST + 1)
#define SEL_T3    (T3 << 3)
#define SEL_GATE3 (GATE3 << 3)

struct tss32 tss3, tss_df;
uint8_t stack3[4096] __attribute__((aligned(16)));
uint8_t stack_df[4096] __attribute__((aligned(16)));

/* What the tasks saw (written by the task code below). */
uint32_t t3_mode, t3_runs, t3_tr, t3_flags, t3_link, t3_main_hi, t3_own_hi;
uint32_t df_runs, df_err, df_tr, df_flags, df_link, df_resume, df_main_hi;
uint32_t df_own_hi;

extern char task3_entry[], df_entry[];
asm(".text\n"
    "task3_entry:\n\t"
    "incl t3_runs\n\t"
    "str %ax\n\tmovzwl %ax, %eax\n\tmovl %eax, t3_tr\n\t"
    "pushfl\n\tpopl t3_flags\n\t"
    "movzwl tss3, %eax\n\tmovl %eax, t3_link\n\t"
    "movl gdt + 0x38 + 4, %eax\n\tmovl %eax, t3_main_hi\n\t"
    "movl gdt + 0x50 + 4, %eax\n\tmovl %eax, t3_own_hi\n\t"
    "cmpl $0, t3_mode\n\tje 1f\n\t"
    "iretl\n\tjmp task3_entry\n"
    "1:\tljmp $0x38, $0\n\tjmp task3_entry\n"
    /* double-fault task: error code on its stack */
    "df_entry:\n\t"
    "incl df_runs\n\t"
    "popl df_err\n\t"
    "str %ax\n\tmovzwl %ax, %eax\n\tmovl %eax, df_tr\n\t"
    "pushfl\n\tpopl df_flags\n\t"
    "movzwl tss_df, %eax\n\tmovl %eax, df_link\n\t"
    "movl gdt + 0x38 + 4, %eax\n\tmovl %eax, df_main_hi\n\t"
    "movl gdt + 0x40 + 4, %eax\n\tmovl %eax, df_own_hi\n\t"
    "movl df_resume, %eax\n\tmovl %eax, tss_main + 32\n\t" /* main EIP */
    "iretl\n\tjmp df_entry\n");

#define BUSY(hi) (((hi) >> 8 & 0xF) == SYS_TSS32_BUSY)
static bool busy(unsigned idx)
{
    return ((gdt[idx] >> 40) & 0xF) == SYS_TSS32_BUSY;
}

static void setup(void)
{
    tss_fill(&tss3, (void (*)(void))task3_entry, stack3 + sizeof(stack3));
    gdt_set_tss(T3, &tss3, sizeof(tss3) - 1);
    tss_fill(&tss_df, (void (*)(void))df_entry, stack_df + sizeof(stack_df));
    gdt_set_tss(SEL_TSS2 >> 3, &tss_df, sizeof(tss_df) - 1);
}

static void jmp_tests(void)
{
    report_section("jmp tss");
    t3_mode = 0;
    t3_runs = 0;
    uint32_t eax_saved = 0x5AFE5AFE;
    asm volatile("ljmp $%c[s], $0"
                 :
                 : [s] "i"(SEL_T3), "a"(eax_saved)
                 : "memory");
    report_eq(t3_runs, 1, "task 3 ran once");
    report_eq(t3_tr, SEL_T3, "tr in task 3");
    report_eq(t3_flags & FL_NT, 0, "jmp: NT clear in the new task");
    report(BUSY(t3_own_hi), "jmp: new tss busy");
    report(!BUSY(t3_main_hi), "jmp: old tss no longer busy");
    report_eq(tss_main.t.eax, 0x5AFE5AFE, "eax saved in the old tss");
    report_eq(tss_main.t.cs, SEL_CODE32, "cs saved in the old tss");
    report_eq(str(), SEL_TSS, "back in the main task");
    report(busy(SEL_TSS >> 3) && !busy(T3), "busy bits after jmp back");
}

static void call_tests(void)
{
    report_section("call tss");
    t3_mode = 1;
    t3_runs = 0;
    tss3.link = 0;
    asm volatile("lcall $%c[s], $0" : : [s] "i"(SEL_T3) : "memory");
    report_eq(t3_runs, 1, "call: task 3 ran");
    report_eq(t3_link, SEL_TSS, "call: back-link to the caller");
    report_eq(t3_flags & FL_NT, FL_NT, "call: NT set in the new task");
    report(BUSY(t3_own_hi) && BUSY(t3_main_hi), "call: both tss busy");
    report(busy(SEL_TSS >> 3) && !busy(T3), "iret back: busy bits");
    report_eq(read_eflags() & FL_NT, 0, "iret back: caller NT as before");

    /* through a task gate in the GDT (offset ignored) */
    gdt_set_gate(GATE3, SEL_T3, 0, ACC_P | SYS_TASK_GATE, 0);
    t3_runs = 0;
    asm volatile("lcall $%c[s], $0x1234" : : [s] "i"(SEL_GATE3) : "memory");
    report_eq(t3_runs, 1, "call through a task gate");
    report_eq(t3_link, SEL_TSS, "task gate: back-link");

    /* calling a busy TSS: #GP(sel) */
    exc_clear();
    asm volatile(ASM_TRY("1f") "lcall $%c[s], $0\n1:" ASM_CATCH
                 :
                 : [s] "i"(SEL_TSS)
                 : "memory");
    report_exc(GP_VECTOR, SEL_TSS, "call to a busy tss: #GP(sel)");

    /* IRET with NT = 1 to a non-busy TSS: #TS(sel) */
    uint16_t old_link = tss_main.t.link;
    tss_main.t.link = SEL_T3;
    exc_clear();
    asm volatile("pushfl\n\torl $0x4000, (%%esp)\n\tpopfl\n\t" ASM_TRY(
                     "1f") "iretl\n1:" ASM_CATCH
                           "pushfl\n\tandl $~0x4000, (%%esp)\n\tpopfl" ::
                               : "memory");
    tss_main.t.link = old_link;
    report_exc(TS_VECTOR, SEL_T3, "iret with NT to a non-busy tss: #TS(sel)");

    /* a TSS descriptor whose limit is too small: #TS(sel) */
    gdt_set_tss(T3, &tss3, 0x67 - 8);
    exc_clear();
    asm volatile(ASM_TRY("1f") "ljmp $%c[s], $0\n1:" ASM_CATCH
                 :
                 : [s] "i"(SEL_T3)
                 : "memory");
    report_exc(TS_VECTOR, SEL_T3, "jmp to a tss with limit < 0x67: #TS(sel)");
    gdt_set_tss(T3, &tss3, sizeof(tss3) - 1);
}

static void df_tests(void)
{
    report_section("#DF task gate");
    idt_set_task_gate(DF_VECTOR, SEL_TSS2, 0);
    idt[DE_VECTOR] &= ~((uint64_t)ACC_P << 40); /* #DE -> #NP -> #DF */
    df_runs = 0;
    uint32_t a = 1;
    asm volatile("movl $1f, df_resume\n\t"
                 "divb %b[z]\n1:"
                 : "+a"(a)
                 : [z] "q"(0)
                 : "memory");
    idt_restore(DE_VECTOR);
    idt_restore(DF_VECTOR);
    report_eq(df_runs, 1, "#DF task ran");
    report_eq(df_err, 0, "#DF error code 0 on the task's stack");
    report_eq(df_tr, SEL_TSS2, "tr in the #DF task");
    report_eq(df_link, SEL_TSS, "#DF task back-link");
    report_eq(df_flags & FL_NT, FL_NT, "#DF task runs with NT");
    report(BUSY(df_own_hi) && BUSY(df_main_hi), "#DF: both tss busy");
    report(busy(SEL_TSS >> 3) && !busy(SEL_TSS2 >> 3),
           "after iret: #DF tss free again");
    report_eq(str(), SEL_TSS, "back in the main task");
}

int main(void)
{
    setup();
    jmp_tests();
    call_tests();
    df_tests();
    return 0;
}
