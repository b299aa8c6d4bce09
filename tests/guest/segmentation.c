/*
 * Protected-mode segmentation (SDM Vol. 3A chapters 3 and 5): loading
 * data/stack segment registers and the #GP/#NP/#SS error codes, LDT
 * selectors, limits with byte and page granularity, expand-down segments,
 * read-only and execute-only segments, conforming code, privilege checks
 * (CPL/RPL/DPL) on segment loads and far calls, LAR LSL VERR VERW ARPL.
 *
 * QEMU TCG checks segment limits and types when a selector is loaded but
 * not on each memory access: the access-time checks (data and stack
 * limits, expand-down, writes to read-only or execute-only segments, use
 * of a null DS) run only on our emulator and are skipped under -append
 * qemu-tcg.
 */
#include "guest.h"

#define T(i) (GDT_TEST_FIRST + (i))
#define S(i) (T(i) << 3)

/* Load sel into DS (then restore) and return the exception vector or -1. */
static int try_load_ds(uint16_t sel)
{
    exc_clear();
    asm volatile(ASM_TRY("1f") "movw %0, %%ds\n\t1:" ASM_CATCH
                               "movw %1, %%ax\n\tmovw %%ax, %%ds"
                 :
                 : "r"(sel), "i"(SEL_DATA32)
                 : "eax", "memory");
    return exc_last.count ? (int)exc_last.vector : -1;
}

static int try_load_ss(uint16_t sel)
{
    exc_clear();
    asm volatile("movw %%ss, %%dx\n\t" ASM_TRY(
                     "1f") "movw %0, %%ss\n\t1:" ASM_CATCH "movw %%dx, %%ss"
                 :
                 : "r"(sel)
                 : "edx", "memory");
    return exc_last.count ? (int)exc_last.vector : -1;
}

static void load_tests(void)
{
    report_section("loads");
    gdt_set(T(0), 0, 0xFFFFF, ACC_DATA_RW, FLG_G | FLG_DB);
    try_load_ds(S(0));
    report_noexc("ds = writable data");
    try_load_ds(0);
    report_noexc("ds = null selector loads");
    try_load_ds(3);
    report_noexc("ds = null selector with rpl 3 loads");
    /* beyond the GDT limit */
    try_load_ds(GDT_ENTRIES << 3);
    report_exc(GP_VECTOR, GDT_ENTRIES << 3, "ds beyond gdt limit: #GP(sel)");
    /* not present */
    gdt_set(T(1), 0, 0xFFFFF, ACC_DATA_RW & ~ACC_P, FLG_G | FLG_DB);
    try_load_ds(S(1));
    report_exc(NP_VECTOR, S(1), "ds not present: #NP(sel)");
    try_load_ss(S(1));
    report_exc(SS_VECTOR, S(1), "ss not present: #SS(sel)");
    /* execute-only code into DS */
    gdt_set(T(2), 0, 0xFFFFF, ACC_P | ACC_S | ACC_CODE, FLG_G | FLG_DB);
    try_load_ds(S(2));
    report_exc(GP_VECTOR, S(2), "ds = execute-only code: #GP(sel)");
    /* readable code into DS is fine */
    try_load_ds(SEL_CODE32);
    report_noexc("ds = readable code");
    /* system descriptor (the TSS) into DS */
    try_load_ds(SEL_TSS);
    report_exc(GP_VECTOR, SEL_TSS, "ds = tss: #GP(sel)");
    /* DPL 0 data with RPL 3 from CPL 0: max(CPL, RPL) > DPL */
    try_load_ds(S(0) | 3);
    report_exc(GP_VECTOR, S(0), "ds = dpl 0 data with rpl 3: #GP(sel)");
    /* DPL 3 data from CPL 0 is fine */
    try_load_ds(SEL_UDATA32);
    report_noexc("ds = dpl 3 data from cpl 0");
    /* SS rules: null, read-only, RPL != CPL, DPL != CPL */
    try_load_ss(0);
    report_exc(GP_VECTOR, 0, "ss = null: #GP(0)");
    gdt_set(T(3), 0, 0xFFFFF, ACC_P | ACC_S, FLG_G | FLG_DB); /* read-only */
    try_load_ss(S(3));
    report_exc(GP_VECTOR, S(3), "ss = read-only data: #GP(sel)");
    try_load_ss(S(0) | 3);
    report_exc(GP_VECTOR, S(0), "ss with rpl != cpl: #GP(sel)");
    try_load_ss(SEL_UDATA32 & ~3);
    report_exc(GP_VECTOR, SEL_UDATA32 & ~3, "ss with dpl != cpl: #GP(sel)");
    try_load_ss(SEL_CODE32);
    report_exc(GP_VECTOR, SEL_CODE32, "ss = code: #GP(sel)");

    /* Using a null DS faults at the access with #GP(0) */
    uint32_t v = 0;
    if (quirk_tcg()) {
        report_skip("access through a null ds (QEMU TCG does not check)");
        goto skip_null;
    }
    exc_clear();
    asm volatile("xorl %%eax, %%eax\n\tmovw %%ax, %%ds\n\t" ASM_TRY(
                     "1f") "movl (%1), %0\n\t1:" ASM_CATCH
                           "movw %2, %%ax\n\tmovw %%ax, %%ds"
                 : "+r"(v)
                 : "r"(&v), "i"(SEL_DATA32)
                 : "eax", "memory");
    report_exc(GP_VECTOR, 0, "access through null ds: #GP(0)");
skip_null:
    /* Accessed bit is set by the load */
    gdt_set(T(4), 0, 0xFFFFF, ACC_DATA_RW, FLG_G | FLG_DB);
    try_load_ds(S(4));
    report(gdt[T(4)] & ((uint64_t)ACC_A << 40), "load sets the accessed bit");
}

/* LDT with two descriptors, installed through a GDT LDT descriptor. */
static uint64_t ldt[4];
static void ldt_tests(void)
{
    report_section("ldt");
    lldt(0);
    try_load_ds(0x4 | 0); /* TI = 1 with a null LDTR */
    report_exc(GP_VECTOR, 0x4, "ldt selector with null ldtr: #GP(sel)");
    ldt[0] = desc_make(0x1000, 0xFFFF, ACC_DATA_RW, 0);
    ldt[1] = desc_make(0, 0xFFFFF, ACC_DATA_RW & ~ACC_P, FLG_G);
    gdt_set(T(5), (uint32_t)ldt, sizeof(ldt) - 1, ACC_P | SYS_LDT, 0);
    lldt(S(5));
    uint32_t seen;
    *(volatile uint32_t *)0x1010 = 0xBEEF1DD1;
    asm volatile("movw %1, %%fs\n\tmovl %%fs:0x10, %0\n\tmovw %2, %%ax\n\t"
                 "movw %%ax, %%fs"
                 : "=r"(seen)
                 : "r"((uint16_t)0x4), "i"(SEL_DATA32)
                 : "eax");
    report_eq(seen, 0xBEEF1DD1, "fs from the ldt with base 0x1000");
    try_load_ds(0xC);
    report_exc(NP_VECTOR, 0xC, "ldt descriptor not present: #NP(sel|TI)");
    try_load_ds(0x14); /* index 2 of a 4-entry LDT: present? zero -> #GP */
    report_exc(GP_VECTOR, 0x14, "null ldt descriptor type: #GP(sel)");
    try_load_ds(0x24); /* beyond the LDT limit */
    report_exc(GP_VECTOR, 0x24, "beyond the ldt limit: #GP(sel)");
    uint16_t l;
    asm volatile("sldt %0" : "=r"(l));
    report_eq(l, S(5), "sldt");
    lldt(0);
}

/* Access through DS = sel at offset off (read or write, size 1/4). */
static int try_access(uint16_t sel, uint32_t off, bool write, bool dword)
{
    uint32_t v = 0;
    exc_clear();
    asm volatile(
        "movw %[s], %%fs\n\t"
        "testb %[w], %[w]\n\tjz 3f\n\t"
        "testb %[d], %[d]\n\tjz 4f\n\t" ASM_TRY(
            "1f") "movl %[v], %%fs:(%[o])\n\tjmp 1f\n"
                  "4:\t" ASM_TRY(
                      "1f") "movb %b[v], %%fs:(%[o])\n\tjmp 1f\n"
                            "3:\ttestb %[d], %[d]\n\tjz 5f\n\t" ASM_TRY(
                                "1f") "movl %%fs:(%[o]), %[v]\n\tjmp 1f\n"
                                      "5:\t" ASM_TRY(
                                          "1f") "movb %%fs:(%[o]), %b[v]\n"
                                                "1:\t" ASM_CATCH
                                                "movw %[k], %%ax\n\tmovw %%ax, "
                                                "%%fs"
        : [v] "+q"(v)
        : [s] "r"(sel), [o] "r"(off), [w] "q"((uint8_t)write),
          [d] "q"((uint8_t)dword), [k] "i"(SEL_DATA32)
        : "eax", "memory");
    return exc_last.count ? (int)exc_last.vector : -1;
}

static void limit_tests(void)
{
    report_section("limits");
    uint32_t lim;
    /* LSL gives the byte limit: G scales by 4 KiB */
    gdt_set(T(6), 0x200000, 0xFFF, ACC_DATA_RW, FLG_DB);
    gdt_set(T(7), 0x200000, 0x1, ACC_DATA_RW, FLG_DB | FLG_G);
    asm volatile("lsl %1, %0" : "=r"(lim) : "r"((uint32_t)S(6)));
    report_eq(lim, 0xFFF, "lsl byte granular");
    asm volatile("lsl %1, %0" : "=r"(lim) : "r"((uint32_t)S(7)));
    report_eq(lim, 0x1FFF, "lsl page granular");
    /* expand-down data, limit 0xFFF, B = 1 */
    gdt_set(T(8), 0x200000, 0xFFF, ACC_DATA_RW | ACC_E, FLG_DB);
    /* expand-down, B = 0: upper bound 0xFFFF */
    gdt_set(T(9), 0x200000, 0xFFF, ACC_DATA_RW | ACC_E, 0);
    /* read-only data and execute-only / readable code */
    gdt_set(T(10), 0x200000, 0xFFFF, ACC_P | ACC_S, FLG_DB);
    gdt_set(T(11), 0x200000, 0xFFFF, ACC_P | ACC_S | ACC_CODE | ACC_R, FLG_DB);

    report_eq(try_access(S(6), 0xFFF, false, false), -1, "byte at the limit");
    report_eq(try_access(S(7), 0x1FFC, true, true), -1, "dword at the G limit");
    report_eq(try_access(S(8), 0x1000, false, true), -1,
              "expand-down: just above the limit");
    report_eq(try_access(S(8), 0xFFFFFFFC, true, true), -1,
              "expand-down B=1: top dword");
    report_eq(try_access(S(10), 0x10, false, true), -1, "read read-only data");
    report_eq(try_access(S(11), 0x10, false, true), -1, "read readable code");
    if (quirk_tcg()) {
        report_skip("access-time limit and type checks (QEMU TCG has none)");
        return;
    }
    try_access(S(6), 0x1000, false, false);
    report_exc(GP_VECTOR, 0, "byte past the limit: #GP(0)");
    try_access(S(6), 0xFFE, false, true);
    report_exc(GP_VECTOR, 0, "dword straddling the limit: #GP(0)");
    try_access(S(7), 0x2000, true, false);
    report_exc(GP_VECTOR, 0, "past the page-granular limit: #GP(0)");
    try_access(S(8), 0xFFF, false, false);
    report_exc(GP_VECTOR, 0, "expand-down: at the limit: #GP(0)");
    try_access(S(8), 0, true, true);
    report_exc(GP_VECTOR, 0, "expand-down: offset 0: #GP(0)");
    try_access(S(9), 0xFFFE, false, true);
    report_exc(GP_VECTOR, 0, "expand-down B=0: dword past 0xFFFF: #GP(0)");
    try_access(S(10), 0x10, true, true);
    report_exc(GP_VECTOR, 0, "write read-only data: #GP(0)");
    try_access(S(11), 0x10, true, false);
    report_exc(GP_VECTOR, 0, "write code segment: #GP(0)");
    /* Stack segment limit: SS expand-down with limit above our stack
     * would break the handler, so use an SS-relative access through EBP
     * after loading SS with an expand-down segment whose valid range
     * covers the current stack. */
    gdt_set(T(12), 0, 0xFFFF, ACC_DATA_RW | ACC_E, FLG_DB);
    uint32_t v;
    exc_clear();
    asm volatile("movw %%ss, %%dx\n\tmovw %[s], %%ss\n\t" ASM_TRY(
                     "1f") "movl %%ss:0x100, %[v]\n\t1:" ASM_CATCH
                           "movw %%dx, %%ss"
                 : [v] "=r"(v)
                 : [s] "r"((uint16_t)S(12))
                 : "edx", "memory");
    report_exc(SS_VECTOR, 0,
               "ss-relative access below an expand-down "
               "limit: #SS(0)");
}

/* ---- privilege: conforming code, gates, ring-3 loads ---- */
extern char conf_target[];
asm(".text\nconf_target:\n\tmovl %cs, %eax\n\tlret\n");
static uint32_t user_cs_seen;
static int user_vec;

static void user_far_conforming(void *arg)
{
    uint32_t cs;
    asm volatile("lcall $%c[sel], $conf_target"
                 : "=a"(cs)
                 : [sel] "i"(S(13) | 3)
                 : "memory");
    user_cs_seen = cs;
}
static void user_far_nonconf(void *arg)
{
    asm volatile("lcall $%c[sel], $conf_target"
                 :
                 : [sel] "i"(SEL_CODE32 | 3)
                 : "eax", "memory");
}
static void user_load_kernel_ds(void *arg)
{
    asm volatile("movw %0, %%ds" : : "r"((uint16_t)(SEL_DATA32 | 3)));
}
static void user_gate_dpl0(void *arg)
{
    asm volatile("lcall $%c[sel], $0" : : [sel] "i"(S(14) | 3) : "memory");
}

static void priv_tests(void)
{
    report_section("privilege");
    /* conforming DPL 0 code called from ring 3: CPL stays 3 */
    gdt_set(T(13), 0, 0xFFFFF, ACC_CODE_RX | ACC_C, FLG_G | FLG_DB);
    exc_clear();
    user_vec = user_run(user_far_conforming, 0);
    report_eq(user_vec, USER_DONE, "ring 3 far call to conforming dpl 0");
    report_eq(user_cs_seen & 0xFFFF, S(13) | 3,
              "conforming code runs with cpl 3 (cs.rpl = 3)");
    /* non-conforming DPL 0 from ring 3 */
    exc_clear();
    report_eq(user_run(user_far_nonconf, 0), GP_VECTOR,
              "ring 3 far call to dpl 0 code");
    report_exc(GP_VECTOR, SEL_CODE32, "far call to dpl 0 code: #GP(sel)");
    /* ring 0 far call to conforming DPL 3 code: DPL > CPL */
    gdt_set(T(15), 0, 0xFFFFF, ACC_CODE_RX | ACC_C | ACC_DPL(3),
            FLG_G | FLG_DB);
    exc_clear();
    asm volatile(ASM_TRY("1f") "lcall $%c[sel], $conf_target\n1:" ASM_CATCH
                 :
                 : [sel] "i"(S(15))
                 : "eax", "memory");
    report_exc(GP_VECTOR, S(15), "ring 0 call to conforming dpl 3: #GP(sel)");
    /* ring 3 loading DS with DPL 0 data */
    exc_clear();
    report_eq(user_run(user_load_kernel_ds, 0), GP_VECTOR,
              "ring 3 loads dpl 0 data");
    report_exc(GP_VECTOR, SEL_DATA32, "ring 3 ds = dpl 0: #GP(sel)");
    /* call gate with DPL 0 from ring 3 */
    gdt_set_gate(T(14), SEL_CODE32, (uint32_t)conf_target,
                 ACC_P | ACC_DPL(0) | SYS_CALL_GATE32, 0);
    exc_clear();
    report_eq(user_run(user_gate_dpl0, 0), GP_VECTOR, "ring 3 gate dpl 0");
    report_exc(GP_VECTOR, S(14), "call gate dpl < cpl: #GP(gate sel)");
    /* not-present call gate */
    gdt_set_gate(T(14), SEL_CODE32, (uint32_t)conf_target,
                 ACC_DPL(0) | SYS_CALL_GATE32, 0);
    exc_clear();
    asm volatile(ASM_TRY("1f") "lcall $%c[sel], $0\n1:" ASM_CATCH
                 :
                 : [sel] "i"(S(14))
                 : "eax", "memory");
    report_exc(NP_VECTOR, S(14), "not-present call gate: #NP(gate sel)");
    /* far jump to a data segment */
    exc_clear();
    asm volatile(ASM_TRY("1f") "ljmp $%c[sel], $0\n1:" ASM_CATCH
                 :
                 : [sel] "i"(SEL_DATA32)
                 : "memory");
    report_exc(GP_VECTOR, SEL_DATA32, "ljmp to a data segment: #GP(sel)");
    /* far jump beyond the CS limit */
    gdt_set(T(16), 0, 0xFFFF, ACC_CODE_RX, FLG_DB);
    exc_clear();
    asm volatile(ASM_TRY("1f") "ljmp $%c[sel], $0x10000\n1:" ASM_CATCH
                 :
                 : [sel] "i"(S(16))
                 : "memory");
    report_exc(GP_VECTOR, 0, "ljmp past the cs limit: #GP(0)");
}

/* ---- LAR LSL VERR VERW ARPL ---- */
static bool zf_after_lar(uint32_t sel, uint32_t *out)
{
    uint32_t fl, v = 0xCCCCCCCC;
    asm volatile("lar %2, %0\n\tpushfl\n\tpopl %1"
                 : "+r"(v), "=r"(fl)
                 : "r"(sel)
                 : "cc");
    *out = v;
    return fl & FL_ZF;
}

static void user_lar(void *arg)
{
    uint32_t v;
    *(bool *)arg = zf_after_lar(SEL_DATA32, &v);
}

static void sysinsn_tests(void)
{
    uint32_t v, fl;
    report_section("lar/lsl/verr/verw/arpl");
    try_load_ds(SEL_DATA32);
    report(zf_after_lar(SEL_CODE32, &v), "lar code: ZF");
    /* bytes 5-6 of the descriptor, & 0x00F0FF00 (accessed bit is set) */
    report_eq(v, 0x00C09B00, "lar code: access rights");
    report(zf_after_lar(SEL_TSS, &v), "lar busy tss: ZF");
    report_eq(v & 0x00F0FF00, 0x00008B00, "lar busy tss: access rights");
    report(!zf_after_lar(0, &v) && v == 0xCCCCCCCC,
           "lar null: ZF = 0, dest kept");
    report(!zf_after_lar(GDT_ENTRIES << 3, &v), "lar beyond gdt: ZF = 0");
    gdt_set_gate(T(17), SEL_CODE32, 0, ACC_P | SYS_INT_GATE32, 0);
    report(!zf_after_lar(S(17), &v), "lar interrupt gate type: ZF = 0");
    gdt_set_gate(T(17), SEL_CODE32, 0, ACC_P | SYS_CALL_GATE32, 0);
    report(zf_after_lar(S(17), &v), "lar call gate: ZF = 1");
    bool ok = true;
    user_run(user_lar, &ok);
    report(!ok, "lar of dpl 0 data from ring 3: ZF = 0");

    asm volatile("lsl %2, %0\n\tpushfl\n\tpopl %1"
                 : "=r"(v), "=r"(fl)
                 : "r"((uint32_t)SEL_TSS)
                 : "cc");
    report((fl & FL_ZF) && v == sizeof(struct main_tss) - 1, "lsl tss");
    asm volatile("movl $7, %0\n\tlsl %2, %0\n\tpushfl\n\tpopl %1"
                 : "=&r"(v), "=r"(fl)
                 : "r"((uint32_t)S(17))
                 : "cc");
    report(!(fl & FL_ZF) && v == 7, "lsl call gate: ZF = 0");

    gdt_set(T(2), 0, 0xFFFFF, ACC_P | ACC_S | ACC_CODE, FLG_G | FLG_DB);
    gdt_set(T(3), 0, 0xFFFFF, ACC_P | ACC_S, FLG_G | FLG_DB);
    static const struct {
        uint16_t sel;
        bool r, w;
        const char *what;
    } vr[] = {
        { SEL_DATA32, true, true, "writable data" },
        { SEL_CODE32, true, false, "readable code" },
        { S(2), false, false, "execute-only code" },
        { S(3), true, false, "read-only data" },
        { SEL_TSS, false, false, "tss" },
        { 0, false, false, "null" },
    };
    for (unsigned i = 0; i < sizeof(vr) / sizeof(vr[0]); i++) {
        asm volatile("verr %1\n\tpushfl\n\tpopl %0"
                     : "=r"(fl)
                     : "r"(vr[i].sel)
                     : "cc");
        report(!!(fl & FL_ZF) == vr[i].r, "verr %s", vr[i].what);
        asm volatile("verw %1\n\tpushfl\n\tpopl %0"
                     : "=r"(fl)
                     : "r"(vr[i].sel)
                     : "cc");
        report(!!(fl & FL_ZF) == vr[i].w, "verw %s", vr[i].what);
    }

    uint32_t d = 0x1230, fl2;
    asm volatile("arpl %w2, %w0\n\tpushfl\n\tpopl %1"
                 : "+r"(d), "=r"(fl2)
                 : "r"(0x0003)
                 : "cc");
    report(d == 0x1233 && (fl2 & FL_ZF), "arpl raises rpl: ZF = 1");
    d = 0x1232;
    asm volatile("arpl %w2, %w0\n\tpushfl\n\tpopl %1"
                 : "+r"(d), "=r"(fl2)
                 : "r"(0x0001)
                 : "cc");
    report(d == 0x1232 && !(fl2 & FL_ZF), "arpl keeps a higher rpl: ZF = 0");
}

int main(void)
{
    load_tests();
    ldt_tests();
    limit_tests();
    priv_tests();
    sysinsn_tests();
    return 0;
}
