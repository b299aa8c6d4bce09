/*
 * Control transfer: Jcc (short and near forms, all 16 conditions over all
 * combinations of CF ZF SF OF PF), JMP (rel8, rel32, indirect, far), LOOP
 * LOOPE LOOPNE JECXZ and their 16-bit address-size forms, CALL/RET (near,
 * indirect, RET imm16), ENTER/LEAVE with nesting levels, PUSHA/POPA at 16
 * and 32 bits, far CALL/RET/JMP, call gates (same privilege and ring 3 to
 * ring 0 with parameter copying and the stack switch, SDM Vol. 3A 5.8.5)
 * and IRET (same privilege, 16-bit operand size).
 */
#include "guest.h"

#define FL_IN "pushl %[fl]\n\tpopfl\n\t"

/* ---- Jcc ---- */
#define JCC(cc)                                                          \
    static int j##cc##_short(uint32_t fl)                                \
    {                                                                    \
        int r;                                                           \
        asm volatile(FL_IN "j" #cc " 1f\n\tmovl $0, %[r]\n\tjmp 2f\n"    \
                           "1:\tmovl $1, %[r]\n2:"                       \
                     : [r] "=r"(r)                                       \
                     : [fl] "r"(fl)                                      \
                     : "cc");                                            \
        return r;                                                        \
    }                                                                    \
    static int j##cc##_near(uint32_t fl)                                 \
    {                                                                    \
        int r;                                                           \
        asm volatile(FL_IN "%{disp32%} j" #cc " 1f\n\tmovl $0, %[r]\n\t" \
                           "jmp 2f\n1:\tmovl $1, %[r]\n2:"               \
                     : [r] "=r"(r)                                       \
                     : [fl] "r"(fl)                                      \
                     : "cc");                                            \
        return r;                                                        \
    }
/* clang-format off */
JCC(o)
JCC(no)
JCC(b)
JCC(ae)
JCC(e)
JCC(ne)
JCC(be)
JCC(a)
JCC(s)
JCC(ns)
JCC(p)
JCC(np)
JCC(l)
JCC(ge)
JCC(le)
JCC(g)
/* clang-format on */

static const struct {
    const char *name;
    int (*s)(uint32_t), (*n)(uint32_t);
} jccs[16] = {
#define J(cc)                            \
    {                                    \
#cc, j##cc##_short, j##cc##_near \
    }
    J(o), J(no), J(b), J(ae), J(e), J(ne), J(be), J(a),
    J(s), J(ns), J(p), J(np), J(l), J(ge), J(le), J(g),
#undef J
};

/* SDM Vol. 2 "Jcc": condition codes 0-15 from the flags. */
static bool cond(unsigned cc, uint32_t f)
{
    bool cf = f & FL_CF, zf = f & FL_ZF, sf = f & FL_SF, of = f & FL_OF,
         pf = f & FL_PF;
    bool r;
    switch (cc >> 1) {
    case 0:
        r = of;
        break;
    case 1:
        r = cf;
        break;
    case 2:
        r = zf;
        break;
    case 3:
        r = cf || zf;
        break;
    case 4:
        r = sf;
        break;
    case 5:
        r = pf;
        break;
    case 6:
        r = sf != of;
        break;
    default:
        r = zf || sf != of;
        break;
    }
    return (cc & 1) ? !r : r;
}

static void jcc_tests(void)
{
    static const uint32_t bits[5] = { FL_CF, FL_ZF, FL_SF, FL_OF, FL_PF };
    report_section("jcc");
    for (unsigned combo = 0; combo < 32; combo++) {
        uint32_t fl = 2;
        for (int i = 0; i < 5; i++) {
            if (combo & (1 << i)) {
                fl |= bits[i];
            }
        }
        for (unsigned cc = 0; cc < 16; cc++) {
            report_eq(jccs[cc].s(fl), cond(cc, fl), "j%s short, flags %x",
                      jccs[cc].name, fl);
            report_eq(jccs[cc].n(fl), cond(cc, fl), "j%s near, flags %x",
                      jccs[cc].name, fl);
        }
    }
}

/* ---- loops ---- */
static void loop_tests(void)
{
    uint32_t cx, n, fl;
    report_section("loop");
    cx = 5, n = 0;
    asm volatile("1: incl %[n]\n\tloop 1b" : "+c"(cx), [n] "+r"(n));
    report(cx == 0 && n == 5, "loop 5 times");
    /* LOOP does not change flags */
    cx = 3, fl = 2 | FL_ZF | FL_CF;
    asm volatile(FL_IN "1: loop 1b\n\tpushfl\n\tpopl %[fl]"
                 : "+c"(cx), [fl] "+r"(fl));
    report_flags(fl, FL_ZF | FL_CF, FL_ARITH, "loop leaves flags");
    /* LOOPE: continue while ZF = 1 and ECX != 0 */
    static const uint8_t arr[6] = { 0, 0, 0, 1, 0, 0 };
    uint32_t i = 0;
    cx = 6;
    asm volatile("1: cmpb $0, (%[a],%[i])\n\tleal 1(%[i]), %[i]\n\tloope 1b"
                 : "+c"(cx), [i] "+r"(i)
                 : [a] "r"(arr)
                 : "cc", "memory");
    report(i == 4 && cx == 2, "loope stops at the first non-zero");
    /* LOOPNE: continue while ZF = 0 */
    i = 0, cx = 6;
    asm volatile("1: cmpb $1, (%[a],%[i])\n\tleal 1(%[i]), %[i]\n\tloopne 1b"
                 : "+c"(cx), [i] "+r"(i)
                 : [a] "r"(arr)
                 : "cc", "memory");
    report(i == 4 && cx == 2, "loopne stops at the first 1");
    /* addr16 LOOP uses CX only */
    cx = 0xABCD0002, n = 0;
    asm volatile("1: incl %[n]\n\taddr16 loop 1b" : "+c"(cx), [n] "+r"(n));
    report(cx == 0xABCD0000 && n == 2, "addr16 loop counts cx");
    /* JECXZ / JCXZ */
    int t;
    cx = 0x10000;
    asm volatile("movl $1, %[t]\n\tjecxz 1f\n\tmovl $0, %[t]\n1:"
                 : [t] "=&r"(t)
                 : "c"(cx));
    report(t == 0, "jecxz not taken with ecx = 0x10000");
    asm volatile("movl $1, %[t]\n\taddr16 jecxz 1f\n\tmovl $0, %[t]\n1:"
                 : [t] "=&r"(t)
                 : "c"(cx));
    report(t == 1, "jcxz taken with cx = 0");
    /* LOOP with ECX = 0 runs 2^32 times: with addr16 and CX = 0 it runs
     * 65536 times */
    cx = 0x77770000, n = 0;
    asm volatile("1: incl %[n]\n\taddr16 loop 1b" : "+c"(cx), [n] "+r"(n));
    report(cx == 0x77770000 && n == 0x10000, "addr16 loop from cx = 0");
}

/* ---- call/ret, enter/leave, pusha/popa ---- */
extern char ret_imm_fn[], call_target[];
asm(".text\n"
    "ret_imm_fn: movl 4(%esp), %eax\n\tret $8\n"
    "call_target: movl $0x600DCA11, %eax\n\tret\n");

static void call_tests(void)
{
    uint32_t a, esp0, esp1, ret;
    report_section("call/ret");
    asm volatile("movl %%esp, %[e0]\n\tpushl $0\n\tpushl $0x1234\n\t"
                 "call ret_imm_fn\n\tmovl %%esp, %[e1]"
                 : "=a"(a), [e0] "=&r"(esp0), [e1] "=&r"(esp1)
                 :
                 : "memory");
    report_eq(a, 0x1234, "call rel32 passes the argument");
    report_eq(esp1, esp0, "ret imm16 pops the arguments");
    a = 0;
    void *p = call_target;
    asm volatile("call *%[p]" : "=a"(a) : [p] "r"(p) : "memory");
    report_eq(a, 0x600DCA11, "call r32");
    static void *volatile mp = call_target;
    asm volatile("call *%[m]" : "=a"(a) : [m] "m"(mp) : "memory");
    report_eq(a, 0x600DCA11, "call m32");
    /* CALL pushes the address of the next instruction */
    asm volatile("call 1f\n2:\n1:\tpopl %[r]\n\tsubl $2b, %[r]"
                 : [r] "=r"(ret));
    report_eq(ret, 0, "call pushes the return address");
    /* JMP r/m32 */
    asm volatile("movl $0, %[r]\n\tmovl $1f, %%eax\n\tjmp *%%eax\n\t"
                 "movl $5, %[r]\n1:"
                 : [r] "=r"(ret)
                 :
                 : "eax");
    report_eq(ret, 0, "jmp r32");
}

static void enter_tests(void)
{
    uint32_t ebp_in = 0, esp_in, ebp_out, esp_out;
    report_section("enter/leave");
    /* ENTER 16, 0: push ebp; ebp = esp; esp -= 16 */
    asm volatile("pushl %%ebp\n\tmovl %%esp, %[si]\n\t"
                 "enter $16, $0\n\tmovl %%ebp, %[bo]\n\tmovl %%esp, %[so]\n\t"
                 "leave\n\tmovl %%ebp, %[bi]\n\tpopl %%ebp"
                 : [si] "=&r"(esp_in), [bo] "=&r"(ebp_out), [so] "=&r"(esp_out),
                   [bi] "=&r"(ebp_in)
                 :
                 : "memory");
    report_eq(ebp_out, esp_in - 4, "enter 16,0: ebp");
    report_eq(esp_out, esp_in - 4 - 16, "enter 16,0: esp");

    /* ENTER 8, 3 with a fake outer frame chain: copies two frame pointers
     * from [ebp-4], [ebp-8] then pushes the new frame pointer. */
    static uint32_t frame[64];
    static uint32_t outer[4] = { 0, 0, 0, 0 };
    outer[3] = 0xAAAA0001; /* at ebp - 4 */
    outer[2] = 0xAAAA0002; /* at ebp - 8 */
    uint32_t fake_ebp = (uint32_t)&outer[4];
    uint32_t stack_top = (uint32_t)&frame[64];
    uint32_t res_esp, res_ebp;
    asm volatile("pushl %%ebp\n\tmovl %%esp, %%edx\n\t"
                 "movl %[st], %%esp\n\tmovl %[fe], %%ebp\n\t"
                 "enter $8, $3\n\tmovl %%esp, %[re]\n\tmovl %%ebp, %[rb]\n\t"
                 "movl %%edx, %%esp\n\tpopl %%ebp"
                 : [re] "=&r"(res_esp), [rb] "=&r"(res_ebp)
                 : [st] "r"(stack_top), [fe] "r"(fake_ebp)
                 : "edx", "memory");
    /* frame[63] = old ebp, frame[62] = [ebp-4], frame[61] = [ebp-8],
     * frame[60] = new frame pointer (= &frame[63]); then esp -= 8 */
    report_eq(frame[63], fake_ebp, "enter 8,3: old ebp pushed");
    report_eq(frame[62], 0xAAAA0001, "enter 8,3: copies [ebp-4]");
    report_eq(frame[61], 0xAAAA0002, "enter 8,3: copies [ebp-8]");
    report_eq(frame[60], (uint32_t)&frame[63], "enter 8,3: pushes frame ptr");
    report_eq(res_ebp, (uint32_t)&frame[63], "enter 8,3: ebp");
    report_eq(res_esp, (uint32_t)&frame[60] - 8, "enter 8,3: esp");

    /* ENTER 0, 1: pushes ebp and the new frame pointer */
    asm volatile(
        "pushl %%ebp\n\tmovl %%esp, %%edx\n\t"
        "movl %[st], %%esp\n\tmovl %[fe], %%ebp\n\t"
        "enter $0, $1\n\tmovl %%esp, %[re]\n\tmovl %%ebp, %[rb]\n\t"
        "leave\n\tmovl %%esp, %[st]\n\t"
        "movl %%edx, %%esp\n\tpopl %%ebp"
        : [re] "=&r"(res_esp), [rb] "=&r"(res_ebp), [st] "+r"(stack_top)
        : [fe] "r"(fake_ebp)
        : "edx", "memory");
    report_eq(frame[62], (uint32_t)&frame[63], "enter 0,1: pushes frame ptr");
    report_eq(res_esp, (uint32_t)&frame[62], "enter 0,1: esp");
    report_eq(stack_top, (uint32_t)&frame[64], "leave restores esp and ebp");
}

uint32_t pa_saved[8], pa_esp0, pa_esp1, pa_regs[6];

static void pusha_tests(void)
{
    report_section("pusha/popa");
    asm volatile("pushl %%ebp\n\t"
                 "movl $1, %%eax\n\tmovl $2, %%ecx\n\tmovl $3, %%edx\n\t"
                 "movl $4, %%ebx\n\tmovl $6, %%ebp\n\tmovl $7, %%esi\n\t"
                 "movl $8, %%edi\n\tmovl %%esp, pa_esp0\n\tpushal\n\t"
                 "movl %%esp, %%esi\n\tmovl $pa_saved, %%edi\n\t"
                 "movl $8, %%ecx\n\tcld\n\trep movsl\n\t"
                 "popal\n\tpopl %%ebp"
                 :
                 :
                 : "eax", "ecx", "edx", "ebx", "esi", "edi", "memory");
    /* order on the stack (low to high): EDI ESI EBP ESP EBX EDX ECX EAX */
    report_eq(pa_saved[0], 8, "pushad: edi");
    report_eq(pa_saved[1], 7, "pushad: esi");
    report_eq(pa_saved[2], 6, "pushad: ebp");
    report_eq(pa_saved[3], pa_esp0, "pushad: esp before the push");
    report_eq(pa_saved[4], 4, "pushad: ebx");
    report_eq(pa_saved[5], 3, "pushad: edx");
    report_eq(pa_saved[6], 2, "pushad: ecx");
    report_eq(pa_saved[7], 1, "pushad: eax");

    asm volatile("pushl %%ebp\n\tmovl %%esp, pa_esp0\n\t"
                 "pushl $10\n\tpushl $20\n\tpushl $30\n\tpushl $40\n\t"
                 "pushl $0xDEAD\n\tpushl $60\n\tpushl $70\n\tpushl $80\n\t"
                 "popal\n\tmovl %%esp, pa_esp1\n\tmovl %%ebp, pa_regs+20\n\t"
                 "popl %%ebp\n\t"
                 "movl %%eax, pa_regs\n\tmovl %%ecx, pa_regs+4\n\t"
                 "movl %%edx, pa_regs+8\n\tmovl %%ebx, pa_regs+12\n\t"
                 "movl %%edi, pa_regs+16\n\t"
                 :
                 :
                 : "eax", "ecx", "edx", "ebx", "esi", "edi", "memory");
    report(pa_regs[0] == 10 && pa_regs[1] == 20 && pa_regs[2] == 30 &&
               pa_regs[3] == 40 && pa_regs[4] == 80 && pa_regs[5] == 60,
           "popad loads eax ecx edx ebx ebp edi");
    report_eq(pa_esp1, pa_esp0, "popad skips the esp slot, pops 32 bytes");

    /* PUSHAW/POPAW: 16-byte frame, 16-bit registers only */
    asm volatile("movl $0x11112222, %%eax\n\tmovl %%esp, pa_esp0\n\t"
                 "pushaw\n\tmovl %%esp, pa_esp1\n\t"
                 "movw $0x3333, 14(%%esp)\n\t" /* AX slot */
                 "popaw\n\tmovl %%eax, pa_regs"
                 :
                 :
                 : "eax", "memory");
    report_eq(pa_esp0 - pa_esp1, 16, "pushaw pushes 16 bytes");
    report_eq(pa_regs[0], 0x11113333, "popaw loads ax only");
}

/* ---- far transfers and call gates ---- */
struct gate_seen {
    uint32_t cs, ss, ret_cs, p0, p1, old_esp, old_ss, cpl;
};
volatile struct gate_seen gate_seen;
extern char gate_r0_target[], gate_same_target[], far_target[],
    jmp_gate_target[];
asm(".text\n"
    /* ring 0 via a call gate from ring 3, 2 parameters */
    "gate_r0_target:\n\t"
    "movl %cs, %eax\n\tmovl %eax, gate_seen+0\n\t"
    "movl %ss, %eax\n\tmovl %eax, gate_seen+4\n\t"
    "movl 4(%esp), %eax\n\tmovl %eax, gate_seen+8\n\t"
    "movl 8(%esp), %eax\n\tmovl %eax, gate_seen+12\n\t"
    "movl 12(%esp), %eax\n\tmovl %eax, gate_seen+16\n\t"
    "movl 16(%esp), %eax\n\tmovl %eax, gate_seen+20\n\t"
    "movl 20(%esp), %eax\n\tmovl %eax, gate_seen+24\n\t"
    "lret $8\n"
    /* same privilege via a call gate */
    "gate_same_target:\n\t"
    "movl %cs, %eax\n\tmovl %eax, gate_seen+0\n\t"
    "movl 4(%esp), %eax\n\tmovl %eax, gate_seen+8\n\t"
    "lret\n"
    "far_target:\n\tmovl $0xFA7, %eax\n\tlret $4\n"
    "jmp_gate_target:\n\tmovl $0x6A7E, %eax\n\tjmp *%ecx\n");

#define GATE_R0    (GDT_TEST_FIRST + 0)
#define GATE_SAME  (GDT_TEST_FIRST + 1)
#define CODE_ALIAS (GDT_TEST_FIRST + 2)

static uint32_t user_esp_diff;
static void user_call_gate(void *arg)
{
    uint32_t e0, e1;
    asm volatile(
        "movl %%esp, %[e0]\n\tpushl $0x22222222\n\tpushl $0x11111111\n\t"
        "lcall $%c[sel], $0\n\tmovl %%esp, %[e1]"
        : [e0] "=&r"(e0), [e1] "=&r"(e1)
        : [sel] "i"((GATE_R0 << 3) | 3)
        : "eax", "memory");
    user_esp_diff = e0 - e1;
}

static void far_tests(void)
{
    uint32_t a;
    report_section("far");
    /* direct far call to another selector for the same code */
    gdt_set(CODE_ALIAS, 0, 0xFFFFF, ACC_CODE_RX, FLG_G | FLG_DB);
    uint32_t e0, e1;
    asm volatile(
        "movl %%esp, %[e0]\n\tpushl $0\n\tlcall $%c[sel], $far_target\n\t"
        "movl %%esp, %[e1]"
        : "=a"(a), [e0] "=&r"(e0), [e1] "=&r"(e1)
        : [sel] "i"(CODE_ALIAS << 3)
        : "memory");
    report_eq(a, 0xFA7, "lcall ptr16:32 / lret imm16");
    report_eq(e1, e0, "lret $4 pops the argument");
    /* far jmp to the alias selector and back */
    uint16_t cs_seen;
    asm volatile("ljmp $%c[sel], $1f\n1:\tmovw %%cs, %[c]\n\t"
                 "ljmp $%c[k], $2f\n2:"
                 : [c] "=r"(cs_seen)
                 : [sel] "i"(CODE_ALIAS << 3), [k] "i"(SEL_CODE32));
    report_eq(cs_seen, CODE_ALIAS << 3, "ljmp loads cs");
    /* far call through memory (FF /3) */
    static struct __attribute__((packed)) {
        uint32_t off;
        uint16_t sel;
    } fp;
    fp.off = (uint32_t)far_target, fp.sel = SEL_CODE32;
    asm volatile("pushl $0\n\tlcall *%[m]" : "=a"(a) : [m] "m"(fp) : "memory");
    report_eq(a, 0xFA7, "lcall m16:32");

    /* call gate, same privilege, no parameters */
    gdt_set_gate(GATE_SAME, SEL_CODE32, (uint32_t)gate_same_target,
                 ACC_P | ACC_DPL(0) | SYS_CALL_GATE32, 0);
    asm volatile("lcall $%c[sel], $0x12345678"
                 :
                 : [sel] "i"(GATE_SAME << 3)
                 : "eax", "memory");
    report_eq(gate_seen.cs, SEL_CODE32, "call gate: target cs from the gate");
    report_eq(gate_seen.ret_cs, SEL_CODE32, "call gate: pushed caller cs");

    /* jmp through a call gate (offset in the instruction is ignored) */
    gdt_set_gate(GATE_SAME, SEL_CODE32, (uint32_t)jmp_gate_target,
                 ACC_P | ACC_DPL(0) | SYS_CALL_GATE32, 0);
    asm volatile("movl $1f, %%ecx\n\tljmp $%c[sel], $0\n1:"
                 : "=a"(a)
                 : [sel] "i"(GATE_SAME << 3)
                 : "ecx");
    report_eq(a, 0x6A7E, "ljmp through a call gate");

    /* ring 3 -> ring 0 through a DPL 3 call gate copying 2 parameters */
    gdt_set_gate(GATE_R0, SEL_CODE32, (uint32_t)gate_r0_target,
                 ACC_P | ACC_DPL(3) | SYS_CALL_GATE32, 2);
    memset((void *)&gate_seen, 0, sizeof(gate_seen));
    report_eq(user_run(user_call_gate, 0), USER_DONE, "ring 3 call gate run");
    report_eq(gate_seen.cs, SEL_CODE32, "call gate to ring 0: cs");
    report_eq(gate_seen.ss, SEL_DATA32, "call gate to ring 0: ss from TSS");
    report_eq(gate_seen.ret_cs & 0xFFFF, SEL_UCODE32, "caller cs pushed");
    report_eq(gate_seen.p0, 0x11111111, "parameter 0 copied");
    report_eq(gate_seen.p1, 0x22222222, "parameter 1 copied");
    report_eq(gate_seen.old_ss & 0xFFFF, SEL_UDATA32, "caller ss pushed");
    report_eq(user_esp_diff, 0, "lret $8 releases the caller's parameters");
}

/* ---- IRET ---- */
asm(".section .low.text, \"ax\"\n"
    ".code32\n"
    "low_iretw_target:\n\tjmp *%ecx\n"
    ".text\n");
extern char low_iretw_target[];

static void iret_tests(void)
{
    uint32_t fl, cs;
    report_section("iret");
    /* same privilege: EIP, CS, EFLAGS popped */
    asm volatile("pushl $0x8D7\n\tpushl $%c[cs]\n\tpushl $1f\n\tiretl\n"
                 "1:\tpushfl\n\tpopl %[fl]\n\tmovl %%cs, %[c]"
                 : [fl] "=r"(fl), [c] "=r"(cs)
                 : [cs] "i"(SEL_CODE32));
    report_flags(fl, 0x8D7 & ~FL_TF, FL_ARITH | FL_DF, "iretl loads eflags");
    report_eq(cs & 0xFFFF, SEL_CODE32, "iretl loads cs");
    /* IRET to another code selector */
    gdt_set(CODE_ALIAS, 0, 0xFFFFF, ACC_CODE_RX, FLG_G | FLG_DB);
    asm volatile("pushl $2\n\tpushl $%c[sel]\n\tpushl $1f\n\tiretl\n"
                 "1:\tmovl %%cs, %[c]\n\tljmp $%c[k], $2f\n2:"
                 : [c] "=r"(cs)
                 : [sel] "i"(CODE_ALIAS << 3), [k] "i"(SEL_CODE32));
    report_eq(cs & 0xFFFF, CODE_ALIAS << 3, "iretl to another selector");
    /* 16-bit IRET: pops IP, CS, FLAGS (16 bits each); upper EFLAGS kept */
    uint32_t e0, e1;
    asm volatile("movl %%esp, %[e0]\n\tmovl $1f, %%ecx\n\t"
                 "pushw $0x0C5\n\tpushw $%c[cs]\n\tpushw $low_iretw_target\n\t"
                 "iretw\n1:\tmovl %%esp, %[e1]\n\tpushfl\n\tpopl %[fl]"
                 : [e0] "=&r"(e0), [e1] "=&r"(e1), [fl] "=r"(fl)
                 : [cs] "i"(SEL_CODE32)
                 : "ecx", "memory");
    report_eq(e0, e1, "iretw pops 6 bytes");
    report_flags(fl, 0x0C5, FL_ARITH, "iretw loads flags");
}

int main(void)
{
    jcc_tests();
    loop_tests();
    call_tests();
    enter_tests();
    pusha_tests();
    far_tests();
    iret_tests();
    return 0;
}
