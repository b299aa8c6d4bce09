/*
 * Everything else: CPUID (basic and extended maximum leaves, vendor,
 * feature bits a qemu64-class CPU has), RDTSC, RDMSR/WRMSR, RDPMC in ring 3
 * with CR4.PCE = 0, CMPXCHG CMPXCHG8B XADD XCHG BSWAP BT BTS BTR BTC (with
 * register and memory bit strings), BSF BSR, SETcc, CMOVcc, LAHF SAHF,
 * MOVZX MOVSX CBW CWDE CWD CDQ, LEA, CLTS LMSW SMSW, multi-byte NOP, PAUSE,
 * and the 15-byte instruction length limit.
 *
 * Run only on our emulator, where QEMU 7.2 TCG deviates: RDMSR of a
 * nonexistent MSR raising #GP(0) (QEMU returns 0), RDMSR of
 * IA32_TIME_STAMP_COUNTER returning the counter RDTSC reads.
 */
#include "guest.h"

#define FL_IN  "pushl %[fl]\n\tpopfl\n\t"
#define FL_OUT "\n\tpushfl\n\tpopl %[fl]"

static void cpuid_tests(void)
{
    uint32_t a, b, c, d, max;
    report_section("cpuid");
    cpuid(0, 0, &max, &b, &c, &d);
    report(max >= 1 && max < 0x100, "max basic leaf %u is sane", max);
    char vendor[13];
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &d, 4);
    memcpy(vendor + 8, &c, 4);
    vendor[12] = 0;
    bool printable = true;
    for (int i = 0; i < 12; i++) {
        printable &= vendor[i] >= 0x20 && vendor[i] < 0x7F;
    }
    report(printable, "vendor string printable");
    cpuid(1, 0, &a, &b, &c, &d);
    uint32_t family = (a >> 8) & 0xF;
    report(family >= 5, "family %u >= 5", family);
    /* FPU PSE TSC MSR PAE CX8 PGE CMOV */
    static const struct {
        int bit;
        const char *name;
    } feats[] = {
        { 0, "fpu" },  { 3, "pse" },   { 4, "tsc" },
        { 5, "msr" },  { 6, "pae" },   { 8, "cx8" },
        { 13, "pge" }, { 15, "cmov" }, { 23, "mmx" },
    };
    for (unsigned i = 0; i < sizeof(feats) / sizeof(feats[0]); i++) {
        report(d & (1u << feats[i].bit), "cpuid.1:edx.%s", feats[i].name);
    }
    for (uint32_t leaf = 0; leaf <= max; leaf++) {
        exc_clear();
        cpuid(leaf, 0, &a, &b, &c, &d);
        report_noexc("cpuid leaf %u", leaf);
    }
    cpuid(0x80000000, 0, &a, &b, &c, &d);
    report(a >= 0x80000000 && a < 0x80000100, "max extended leaf %x", a);
    /* CPUID clobbers exactly EAX EBX ECX EDX */
    uint32_t si = 0x1111, di = 0x2222;
    asm volatile("cpuid"
                 : "=a"(a), "=b"(b), "=c"(c), "=d"(d), "+S"(si), "+D"(di)
                 : "a"(0), "c"(0));
    report(si == 0x1111 && di == 0x2222, "cpuid keeps esi/edi");
}

static void user_rdpmc(void *arg)
{
    uint32_t a, d;
    asm volatile("rdpmc" : "=a"(a), "=d"(d) : "c"(0));
}
static void user_rdtsc(void *arg)
{
    (void)rdtsc();
}

static void msr_tests(void)
{
    report_section("tsc/msr");
    uint64_t t1 = rdtsc();
    for (volatile int i = 0; i < 1000; i++) {
    }
    uint64_t t2 = rdtsc();
    report(t2 > t1, "rdtsc increases (%llu -> %llu)", t1, t2);
    /* IA32_SYSENTER_CS (0x174) is read/write */
    uint64_t old = rdmsr(0x174);
    wrmsr(0x174, 0x1234);
    report_eq64(rdmsr(0x174), 0x1234, "wrmsr/rdmsr IA32_SYSENTER_CS");
    wrmsr(0x174, 0x0008);
    report_eq64(rdmsr(0x174), 0x0008, "sysenter_cs again");
    wrmsr(0x174, old);
    /* IA32_TIME_STAMP_COUNTER (0x10) follows RDTSC */
    uint64_t m = rdmsr(0x10), t3 = rdtsc();
    if (quirk_tcg()) {
        report_skip("rdmsr 0x10 (QEMU 7.2 TCG does not return the TSC)");
    } else {
        report(t3 >= m && m > t2, "rdmsr 0x10 reads the TSC (%llu, %llu)", m,
               t3);
    }
    if (quirk_tcg()) {
        report_skip("rdmsr of a nonexistent msr (QEMU returns 0)");
    } else {
        uint32_t a, d;
        exc_clear();
        asm volatile(ASM_TRY("1f") "rdmsr\n1:" ASM_CATCH
                     : "=a"(a), "=d"(d)
                     : "c"(0x4B564DFF));
        report_exc(GP_VECTOR, 0, "rdmsr of a nonexistent msr: #GP(0)");
    }
    /* RDPMC at CPL 3 with CR4.PCE = 0 */
    write_cr4(read_cr4() & ~CR4_PCE);
    exc_clear();
    report_eq(user_run(user_rdpmc, 0), GP_VECTOR, "ring 3 rdpmc, PCE = 0");
    report_exc(GP_VECTOR, 0, "rdpmc: #GP(0)");
    /* RDTSC at CPL 3 with CR4.TSD = 1 */
    write_cr4(read_cr4() | CR4_TSD);
    exc_clear();
    report_eq(user_run(user_rdtsc, 0), GP_VECTOR, "ring 3 rdtsc, TSD = 1");
    write_cr4(read_cr4() & ~CR4_TSD);
    report_eq(user_run(user_rdtsc, 0), USER_DONE, "ring 3 rdtsc, TSD = 0");
}

static void atomic_tests(void)
{
    uint32_t a, b, fl, m;
    report_section("cmpxchg/xadd/xchg");
    /* CMPXCHG: equal -> ZF, store source; else load accumulator */
    m = 5, a = 5, b = 9, fl = 2;
    asm volatile(FL_IN "lock cmpxchgl %[b], %[m]" FL_OUT
                 : [m] "+m"(m), "+a"(a), [fl] "+r"(fl)
                 : [b] "r"(b));
    report(m == 9 && a == 5 && (fl & FL_ZF), "cmpxchg32 equal");
    m = 6, a = 5, fl = 2;
    asm volatile(FL_IN "cmpxchgl %[b], %[m]" FL_OUT
                 : [m] "+m"(m), "+a"(a), [fl] "+r"(fl)
                 : [b] "r"(b));
    /* flags as CMP EAX, m: 5 - 6 = -1: CF SF AF PF */
    report(m == 6 && a == 6, "cmpxchg32 not equal loads eax");
    report_flags(fl, FL_CF | FL_SF | FL_AF | FL_PF, FL_ARITH,
                 "cmpxchg32 flags as cmp");
    uint8_t m8 = 0x80;
    a = 0xFFFFFF80, b = 0x7F, fl = 2;
    asm volatile(FL_IN "cmpxchgb %b[b], %[m]" FL_OUT
                 : [m] "+m"(m8), "+a"(a), [fl] "+r"(fl)
                 : [b] "q"(b));
    report(m8 == 0x7F && (fl & FL_ZF), "cmpxchg8 equal");
    uint16_t m16 = 0x1234;
    a = 0xAAAA0000, fl = 2;
    asm volatile(FL_IN "cmpxchgw %w[b], %[m]" FL_OUT
                 : [m] "+m"(m16), "+a"(a), [fl] "+r"(fl)
                 : [b] "r"(b));
    report(m16 == 0x1234 && a == 0xAAAA1234 && !(fl & FL_ZF),
           "cmpxchg16 not equal loads ax only");

    static uint64_t q = 0x1122334455667788ull;
    uint32_t lo = 0x55667788, hi = 0x11223344;
    fl = 2;
    asm volatile(FL_IN "lock cmpxchg8b %[q]" FL_OUT
                 : [q] "+m"(q), "+a"(lo), "+d"(hi), [fl] "+r"(fl)
                 : "b"(0xCAFEF00D), "c"(0xDEADBEEF));
    report(q == 0xDEADBEEFCAFEF00Dull && (fl & FL_ZF), "cmpxchg8b equal");
    lo = 0, hi = 0, fl = 2 | FL_ZF;
    asm volatile(FL_IN "cmpxchg8b %[q]" FL_OUT
                 : [q] "+m"(q), "+a"(lo), "+d"(hi), [fl] "+r"(fl)
                 : "b"(1), "c"(2));
    report(q == 0xDEADBEEFCAFEF00Dull && lo == 0xCAFEF00D && hi == 0xDEADBEEF &&
               !(fl & FL_ZF),
           "cmpxchg8b not equal");
    exc_clear();
    asm volatile(ASM_TRY("1f") ".byte 0x0F, 0xC7, 0xC8\n1:" ASM_CATCH ::
                     : "memory");
    report_exc(UD_VECTOR, 0, "cmpxchg8b with a register operand: #UD");

    /* XADD: dest = dest + src, src = old dest, flags of the add */
    m = 0xFFFFFFFF, b = 1, fl = 2;
    asm volatile(FL_IN "lock xaddl %[b], %[m]" FL_OUT
                 : [m] "+m"(m), [b] "+r"(b), [fl] "+r"(fl));
    report(m == 0 && b == 0xFFFFFFFF, "xadd32 values");
    report_flags(fl, FL_CF | FL_ZF | FL_PF | FL_AF, FL_ARITH, "xadd32 flags");
    a = 0x10, b = 0x20;
    asm volatile("xaddb %b1, %b0" : "+q"(a), "+q"(b));
    report(a == 0x30 && b == 0x10, "xadd8 registers");

    /* XCHG */
    m = 1, a = 2;
    asm volatile("xchgl %0, %1" : "+m"(m), "+r"(a));
    report(m == 2 && a == 1, "xchg m32, r32");
    a = 0x1234, b = 0xABCD0000;
    asm volatile("xchgw %w0, %w1" : "+r"(a), "+r"(b));
    report(a == 0x0000 && b == 0xABCD1234, "xchg r16, r16");
    /* BSWAP */
    a = 0x11223344;
    asm volatile("bswap %0" : "+r"(a));
    report_eq(a, 0x44332211, "bswap");
}

static void bit_tests(void)
{
    uint32_t a, fl;
    report_section("bt/bsf/bsr");
    static uint32_t bits[4] = { 0x00000001, 0x80000008, 0, 0 };
    /* BT with a register bit string: offset modulo 32 */
    a = 0x80000000, fl = 2;
    asm volatile(FL_IN "btl $31, %[a]" FL_OUT : [fl] "+r"(fl) : [a] "r"(a));
    report(fl & FL_CF, "bt r32, imm: CF = bit");
    asm volatile(FL_IN "btl %[n], %[a]" FL_OUT
                 : [fl] "+r"(fl)
                 : [a] "r"(a), [n] "r"(63));
    report(fl & FL_CF, "bt r32, r32: offset 63 modulo 32");
    /* memory bit string: offset 35 is bit 3 of the next dword */
    fl = 2;
    asm volatile(FL_IN "btl %[n], %[m]" FL_OUT
                 : [fl] "+r"(fl)
                 : [m] "m"(bits), [n] "r"(35));
    report(fl & FL_CF, "bt m32, r32 with offset 35");
    asm volatile("btsl %[n], %[m]" : [m] "+m"(bits) : [n] "r"(64 + 5));
    report_eq(bits[2], 0x20, "bts m32, r32 offset 69");
    fl = 2;
    asm volatile(FL_IN "btrl %[n], %[m]" FL_OUT
                 : [m] "+m"(bits), [fl] "+r"(fl)
                 : [n] "r"(63));
    report(bits[1] == 0x00000008 && (fl & FL_CF), "btr m32, r32 offset 63");
    fl = 2;
    asm volatile(FL_IN "btcl %[n], %[m]" FL_OUT
                 : [m] "+m"(bits[1]), [fl] "+r"(fl)
                 : [n] "r"(-32));
    report(bits[0] == 0 && (fl & FL_CF), "btc with a negative offset -32");
    /* BT m, imm8: offset modulo the operand size (no bit string) */
    fl = 2;
    asm volatile(FL_IN "btl $35, %[m]" FL_OUT
                 : [fl] "+r"(fl)
                 : [m] "m"(bits[1]));
    report(fl & FL_CF, "bt m32, imm 35 is bit 3 of the operand");
    uint16_t w = 0x0100;
    asm volatile("btsw $0, %0" : "+r"(w));
    report_eq(w, 0x0101, "bts r16, imm");

    /* BSF/BSR: ZF = 1 when the source is 0 (destination undefined) */
    uint32_t r;
    fl = 2;
    asm volatile(FL_IN "bsfl %[s], %[r]" FL_OUT
                 : [r] "=&r"(r), [fl] "+r"(fl)
                 : [s] "r"(0x00F00000));
    report(r == 20 && !(fl & FL_ZF), "bsf");
    asm volatile(FL_IN "bsrl %[s], %[r]" FL_OUT
                 : [r] "=&r"(r), [fl] "+r"(fl)
                 : [s] "r"(0x00F00000));
    report(r == 23 && !(fl & FL_ZF), "bsr");
    fl = 2;
    asm volatile(FL_IN "bsfl %[s], %[r]" FL_OUT
                 : [r] "=&r"(r), [fl] "+r"(fl)
                 : [s] "r"(0));
    report(fl & FL_ZF, "bsf of 0 sets ZF");
    asm volatile("bsrw %w1, %w0" : "=&r"(r) : "r"(0x8001));
    report_eq(r & 0xFFFF, 15, "bsr r16");
}

static void setcc_cmov_tests(void)
{
    uint32_t r, fl;
    report_section("setcc/cmov/lahf");
    uint8_t s;
    fl = 2 | FL_SF;
    asm volatile(FL_IN "setl %0" : "=q"(s) : [fl] "r"(fl));
    report_eq(s, 1, "setl with SF != OF");
    fl = 2 | FL_SF | FL_OF;
    asm volatile(FL_IN "setl %0" : "=q"(s) : [fl] "r"(fl));
    report_eq(s, 0, "setl with SF == OF");
    fl = 2 | FL_CF;
    asm volatile(FL_IN "seta %0" : "=q"(s) : [fl] "r"(fl));
    report_eq(s, 0, "seta with CF");
    fl = 2 | FL_PF;
    asm volatile(FL_IN "setp %0" : "=q"(s) : [fl] "r"(fl));
    report_eq(s, 1, "setp");
    r = 1, fl = 2 | FL_ZF;
    asm volatile(FL_IN "cmovzl %[s], %[r]"
                 : [r] "+r"(r)
                 : [s] "r"(2), [fl] "r"(fl));
    report_eq(r, 2, "cmovz taken");
    r = 1, fl = 2;
    asm volatile(FL_IN "cmovzl %[s], %[r]"
                 : [r] "+r"(r)
                 : [s] "r"(2), [fl] "r"(fl));
    report_eq(r, 1, "cmovz not taken");
    r = 0xFFFF0001, fl = 2 | FL_CF;
    asm volatile(FL_IN "cmovbw %w[s], %w[r]"
                 : [r] "+r"(r)
                 : [s] "r"(0x5555), [fl] "r"(fl));
    report_eq(r, 0xFFFF5555, "cmovb r16 taken");
    /* CMOV with a memory operand reads it even when not taken */
    static uint32_t cm = 7;
    r = 3, fl = 2 | FL_OF;
    asm volatile(FL_IN "cmovnol %[m], %[r]"
                 : [r] "+r"(r)
                 : [m] "m"(cm), [fl] "r"(fl));
    report_eq(r, 3, "cmovno m32 not taken");

    /* LAHF/SAHF: SF ZF AF PF CF in AH (bit 1 reads as 1) */
    uint32_t a;
    fl = 2 | FL_SF | FL_AF | FL_CF | FL_OF;
    asm volatile(FL_IN "lahf" : "=a"(a) : [fl] "r"(fl));
    report_eq((a >> 8) & 0xFF, 0x93, "lahf");
    a = 0x4400; /* ZF PF */
    fl = 2 | FL_OF | FL_CF | FL_SF;
    asm volatile(FL_IN "sahf" FL_OUT : [fl] "+r"(fl) : "a"(a));
    report_flags(fl, FL_ZF | FL_PF | FL_OF, FL_ARITH, "sahf keeps OF");
}

static void mov_tests(void)
{
    uint32_t r;
    report_section("movx/cbw/lea");
    asm volatile("movsbl %b1, %0" : "=r"(r) : "q"(0x80));
    report_eq(r, 0xFFFFFF80, "movsx r32, r8");
    asm volatile("movzwl %w1, %0" : "=r"(r) : "r"(0xFFFF8001));
    report_eq(r, 0x8001, "movzx r32, r16");
    r = 0x12348080;
    asm volatile("cbw" : "+a"(r));
    report_eq(r, 0x1234FF80, "cbw");
    r = 0x12348000;
    asm volatile("cwde" : "+a"(r));
    report_eq(r, 0xFFFF8000, "cwde");
    uint32_t d = 0x55555555;
    r = 0x80000000;
    asm volatile("cltd" : "+a"(r), "+d"(d));
    report_eq(d, 0xFFFFFFFF, "cdq");
    d = 0x55555555, r = 0x7FFF;
    asm volatile("cwtd" : "+a"(r), "+d"(d));
    report_eq(d, 0x55550000, "cwd");
    uint32_t b = 0x1000, i = 0x20;
    asm volatile("leal -8(%1,%2,4), %0" : "=r"(r) : "r"(b), "r"(i));
    report_eq(r, 0x1000 + 0x80 - 8, "lea base+index*4+disp8");
    asm volatile("leaw 0x10(%1), %w0" : "=r"(r) : "r"(0xFFFFFFF8));
    report_eq(r & 0xFFFF, 0x0008, "lea r16 truncates");
    asm volatile("addr16 leal 0x10(%%bx), %0" : "=r"(r) : "b"(0x1FFF8));
    report_eq(r, 0x0008, "lea with 16-bit addressing wraps");
}

static void sys_tests(void)
{
    report_section("clts/lmsw/smsw");
    uint32_t cr0 = read_cr0();
    write_cr0(cr0 | CR0_TS);
    asm volatile("clts");
    report_eq(read_cr0() & CR0_TS, 0, "clts");
    uint16_t msw;
    asm volatile("smsw %0" : "=r"(msw));
    report_eq(msw, cr0 & 0xFFFF, "smsw r16");
    static uint16_t mmsw;
    asm volatile("smsw %0" : "=m"(mmsw));
    report_eq(mmsw, cr0 & 0xFFFF, "smsw m16");
    /* LMSW loads PE MP EM TS and cannot clear PE */
    uint16_t v = CR0_TS | CR0_MP;
    asm volatile("lmsw %0" : : "r"(v));
    report_eq(read_cr0() & 0xF, CR0_PE | CR0_MP | CR0_TS,
              "lmsw sets TS/MP, keeps PE");
    write_cr0(cr0);
    report_eq(read_cr0(), cr0, "cr0 restored");
}

static void nop_tests(void)
{
    report_section("nop/pause/length");
    exc_clear();
    asm volatile(
        ASM_TRY("1f") ".byte 0x90\n\t"
                      ".byte 0x66, 0x90\n\t"
                      ".byte 0x0F, 0x1F, 0x00\n\t"
                      ".byte 0x0F, 0x1F, 0x40, 0x00\n\t"
                      ".byte 0x0F, 0x1F, 0x44, 0x00, 0x00\n\t"
                      ".byte 0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00\n\t"
                      ".byte 0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00\n\t"
                      ".byte 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00\n\t"
                      ".byte 0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, "
                      "0x00\n\t"
                      "pause\n1:" ASM_CATCH ::
                          : "memory");
    report_noexc("multi-byte nops and pause");
    /* 0F 1F /0 with a memory operand does not access memory: an address
     * in no mapping is fine (paging is off: any address) */
    /* 15 bytes is the limit: 14 prefixes + NOP runs, 15 + NOP is #GP(0) */
    uint32_t feip;
    exc_clear();
    asm volatile(
        ASM_TRY("1f") ".byte 0x3E,0x3E,0x3E,0x3E,0x3E,0x3E,0x3E,0x3E,0x3E,0x3E,"
                      "0x3E,0x3E,0x3E,0x3E,0x90\n1:" ASM_CATCH ::
                          : "memory");
    report_noexc("15-byte instruction");
    exc_clear();
    asm volatile(
        ASM_TRY(
            "1f") "2: .byte 0x3E,0x3E,0x3E,0x3E,0x3E,0x3E,0x3E,"
                  "0x3E,0x3E,0x3E,0x3E,0x3E,0x3E,0x3E,0x3E,0x90\n1:" ASM_CATCH
                  "movl $2b, %0"
        : "=r"(feip));
    report_exc(GP_VECTOR, 0, "16-byte instruction: #GP(0)");
    report_eq(exc_last.eip, feip, "#GP at the start of the instruction");
    exc_clear();
    asm volatile(
        ASM_TRY("1f") ".byte 0x66,0x66,0x66,0x66,0x66,0x66,0x66,"
                      "0x66,0x66,0x66,0x66,0x66,0x05,0x01,0x00\n1:" ASM_CATCH ::
                          : "eax");
    report_noexc("15 bytes: 12 x 66, add ax, imm16");
    exc_clear();
    asm volatile(ASM_TRY("1f") ".byte 0x66,0x66,0x66,0x66,0x66,0x66,0x66,"
                               "0x66,0x66,0x66,0x66,0x66,0x66,0x05,0x01,"
                               "0x00\n1:" ASM_CATCH ::
                                   : "eax");
    report_exc(GP_VECTOR, 0, "16 bytes ending in an immediate: #GP(0)");
}

int main(void)
{
    cpuid_tests();
    msr_tests();
    atomic_tests();
    bit_tests();
    setcc_cmov_tests();
    mov_tests();
    sys_tests();
    nop_tests();
    return 0;
}
