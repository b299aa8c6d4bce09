/*
 * String instructions: MOVS CMPS SCAS LODS STOS INS OUTS at each size with
 * REP/REPE/REPNE, both directions, 32- and 16-bit address size (SI/DI/CX,
 * upper halves kept, 16-bit wrap), segment override of the source, ECX = 0,
 * the I/O permission bitmap for INS/OUTS in ring 3, and a REP MOVS that
 * page-faults in the middle: the #PF reports the progress so far in
 * ECX/ESI/EDI and the instruction resumes after the handler maps the page
 * (SDM Vol. 2 "REP/REPE/REPZ/REPNE/REPNZ", Vol. 3A 6.6).
 */
#include "guest.h"

#define FL_IN  "pushl %[fl]\n\tpopfl\n\t"
#define FL_OUT "\n\tpushfl\n\tpopl %[fl]"

static uint8_t src[256], dst[256];

static void fill(uint8_t *p, unsigned n, uint8_t seed)
{
    for (unsigned i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed + i * 7);
    }
}

static void movs_tests(void)
{
    uint32_t si, di, cx;
    report_section("movs");
    fill(src, sizeof(src), 1);
    memset(dst, 0, sizeof(dst));
    si = (uint32_t)src, di = (uint32_t)dst, cx = 13;
    asm volatile("cld; rep movsb" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    report_mem(dst, src, 13, "rep movsb copies");
    report_eq(dst[13], 0, "rep movsb stops after ECX bytes");
    report_eq(si, (uint32_t)src + 13, "rep movsb: esi");
    report_eq(di, (uint32_t)dst + 13, "rep movsb: edi");
    report_eq(cx, 0, "rep movsb: ecx");

    memset(dst, 0, sizeof(dst));
    si = (uint32_t)src, di = (uint32_t)dst, cx = 5;
    asm volatile("cld; rep movsw" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    report_mem(dst, src, 10, "rep movsw copies");
    report_eq(si, (uint32_t)src + 10, "rep movsw: esi");

    /* Backwards: DF = 1, start at the last dword */
    memset(dst, 0, sizeof(dst));
    si = (uint32_t)src + 12, di = (uint32_t)dst + 12, cx = 4;
    asm volatile("std; rep movsl; cld"
                 : "+S"(si), "+D"(di), "+c"(cx)
                 :
                 : "memory");
    report_mem(dst, src, 16, "std rep movsl copies backwards");
    report_eq(si, (uint32_t)src - 4, "std rep movsl: esi");
    report_eq(di, (uint32_t)dst - 4, "std rep movsl: edi");

    /* Overlapping forward copy by bytes replicates the pattern */
    uint8_t buf[16] = { 0xA1, 0xB2 };
    si = (uint32_t)buf, di = (uint32_t)buf + 2, cx = 14;
    asm volatile("cld; rep movsb" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    report(buf[14] == 0xA1 && buf[15] == 0xB2, "overlapping rep movsb");

    /* ECX = 0: nothing moves, registers unchanged */
    dst[0] = 0x55;
    si = (uint32_t)src, di = (uint32_t)dst, cx = 0;
    asm volatile("cld; rep movsl" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    report(dst[0] == 0x55 && si == (uint32_t)src && di == (uint32_t)dst,
           "rep movsl with ecx = 0 does nothing");

    /* Single MOVSB without REP */
    si = (uint32_t)src + 3, di = (uint32_t)dst;
    asm volatile("cld; movsb" : "+S"(si), "+D"(di) : : "memory");
    report(dst[0] == src[3] && si == (uint32_t)src + 4 &&
               di == (uint32_t)dst + 1,
           "movsb");

    /* Source segment override: FS with base 0x100 */
    gdt_set(GDT_TEST_FIRST, 0x100, 0xFFFFF, ACC_DATA_RW, FLG_G | FLG_DB);
    write_seg(fs, SEL_TEST(0));
    memset(dst, 0, sizeof(dst));
    si = (uint32_t)src - 0x100, di = (uint32_t)dst, cx = 8;
    asm volatile("cld; rep movsb %%fs:(%%esi), %%es:(%%edi)"
                 : "+S"(si), "+D"(di), "+c"(cx)
                 :
                 : "memory");
    report_mem(dst, src, 8, "rep movsb with fs: override");
    write_seg(fs, SEL_DATA32);
}

static void cmps_scas_tests(void)
{
    uint32_t si, di, cx, fl, a;
    report_section("cmps/scas");
    static const char s1[] = "abcdefgh", s2[] = "abcdXfgh";
    /* REPE CMPSB stops after the first mismatch (index 4) */
    si = (uint32_t)s1, di = (uint32_t)s2, cx = 8, fl = 2;
    asm volatile(FL_IN "cld; repe cmpsb" FL_OUT
                 : "+S"(si), "+D"(di), "+c"(cx), [fl] "+r"(fl)
                 :
                 : "memory");
    report_eq(cx, 3, "repe cmpsb: ecx after mismatch at 4");
    report_eq(si, (uint32_t)s1 + 5, "repe cmpsb: esi");
    report_eq(di, (uint32_t)s2 + 5, "repe cmpsb: edi");
    /* last compare 'e' - 'X' = 0x65 - 0x58 = 0x0D: no CF/ZF/SF/OF, AF
     * (5 < 8), PF (0x0D has 3 bits: odd -> 0) */
    report_flags(fl, FL_AF, FL_ARITH, "repe cmpsb flags of last compare");

    /* Equal strings: runs to ECX = 0 with ZF = 1 */
    si = (uint32_t)s1, di = (uint32_t)s1, cx = 8, fl = 2;
    asm volatile(FL_IN "cld; repe cmpsw" FL_OUT
                 : "+S"(si), "+D"(di), "+c"(cx), [fl] "+r"(fl)
                 :
                 : "memory");
    report(cx == 0 && (fl & FL_ZF), "repe cmpsw of equal data ends ecx=0 ZF=1");

    /* REPNE CMPSD stops at the first equal dword */
    static const uint32_t d1[4] = { 1, 2, 3, 4 }, d2[4] = { 9, 9, 3, 9 };
    si = (uint32_t)d1, di = (uint32_t)d2, cx = 4, fl = 2;
    asm volatile(FL_IN "cld; repne cmpsl" FL_OUT
                 : "+S"(si), "+D"(di), "+c"(cx), [fl] "+r"(fl)
                 :
                 : "memory");
    report(cx == 1 && (fl & FL_ZF) && si == (uint32_t)&d1[3],
           "repne cmpsl stops at the equal element");

    /* ECX = 0: flags unchanged */
    si = (uint32_t)s1, di = (uint32_t)s2, cx = 0, fl = 2 | FL_ARITH;
    asm volatile(FL_IN "cld; repe cmpsb" FL_OUT
                 : "+S"(si), "+D"(di), "+c"(cx), [fl] "+r"(fl)
                 :
                 : "memory");
    report_flags(fl, FL_ARITH, FL_ARITH, "repe cmpsb with ecx=0 keeps flags");

    /* REPNE SCASB: strlen */
    static const char str[] = "hello, world";
    di = (uint32_t)str, cx = 0xFFFFFFFF, a = 0;
    asm volatile("cld; repne scasb" : "+D"(di), "+c"(cx) : "a"(a) : "memory");
    report_eq(~cx - 1, 12, "repne scasb strlen");
    report_eq(di, (uint32_t)str + 13, "repne scasb: edi past the NUL");

    /* REPE SCASW: skip equal words */
    static const uint16_t w[5] = { 7, 7, 7, 8, 7 };
    di = (uint32_t)w, cx = 5, a = 7, fl = 2;
    asm volatile(FL_IN "cld; repe scasw" FL_OUT
                 : "+D"(di), "+c"(cx), [fl] "+r"(fl)
                 : "a"(a)
                 : "memory");
    /* 7 - 8 = -1: CF SF AF PF */
    report(cx == 1 && di == (uint32_t)&w[4], "repe scasw stops after 8");
    report_flags(fl, FL_CF | FL_SF | FL_AF | FL_PF, FL_ARITH,
                 "repe scasw flags");

    /* SCASD backwards */
    static const uint32_t dd[3] = { 5, 6, 7 };
    di = (uint32_t)&dd[2], cx = 3, a = 5;
    asm volatile("std; repne scasl; cld"
                 : "+D"(di), "+c"(cx)
                 : "a"(a)
                 : "memory");
    report(cx == 0 && di == (uint32_t)dd - 4, "std repne scasl finds first");
}

static void lods_stos_tests(void)
{
    uint32_t si, di, cx, a;
    report_section("lods/stos");
    static const uint8_t b[4] = { 0x11, 0x22, 0x33, 0x44 };
    si = (uint32_t)b, a = 0xFFFFFFFF;
    asm volatile("cld; lodsb" : "+S"(si), "+a"(a));
    report(a == 0xFFFFFF11 && si == (uint32_t)b + 1, "lodsb");
    si = (uint32_t)b, a = 0xFFFFFFFF;
    asm volatile("cld; lodsw" : "+S"(si), "+a"(a));
    report(a == 0xFFFF2211 && si == (uint32_t)b + 2, "lodsw");
    si = (uint32_t)b + 3, a = 0;
    asm volatile("std; lodsl; cld" : "+S"(si), "+a"(a));
    report_eq(si, (uint32_t)b - 1, "std lodsl: esi");
    si = (uint32_t)b, a = 0;
    asm volatile("cld; lodsl" : "+S"(si), "+a"(a));
    report_eq(a, 0x44332211, "lodsl");

    memset(dst, 0, sizeof(dst));
    di = (uint32_t)dst, cx = 7, a = 0xABCD;
    asm volatile("cld; rep stosw" : "+D"(di), "+c"(cx) : "a"(a) : "memory");
    bool ok = di == (uint32_t)dst + 14 && cx == 0 && dst[14] == 0;
    for (int i = 0; i < 14; i += 2) {
        ok &= dst[i] == 0xCD && dst[i + 1] == 0xAB;
    }
    report(ok, "rep stosw");
    di = (uint32_t)dst + 40, cx = 3, a = 0x01020304;
    asm volatile("std; rep stosl; cld"
                 : "+D"(di), "+c"(cx)
                 : "a"(a)
                 : "memory");
    report(di == (uint32_t)dst + 28 && dst[32] == 4 && dst[43] == 1,
           "std rep stosl");
    di = (uint32_t)dst, a = 0x77;
    asm volatile("cld; stosb" : "+D"(di) : "a"(a) : "memory");
    report(dst[0] == 0x77 && di == (uint32_t)dst + 1, "stosb");
}

/* 16-bit address size (67 prefix): SI, DI, CX only, wrapping at 64 KiB. */
static void addr16_tests(void)
{
    uint32_t si, di, cx;
    uint8_t *lo_src = (uint8_t *)0xC000, *lo_dst = (uint8_t *)0xD000;
    report_section("addr16");
    fill(lo_src, 64, 3);
    memset(lo_dst, 0, 64);
    si = 0xABCD0000 | 0xC000, di = 0x12340000 | 0xD000, cx = 0x56780010;
    asm volatile("cld; addr16 rep movsb"
                 : "+S"(si), "+D"(di), "+c"(cx)
                 :
                 : "memory");
    report_mem(lo_dst, lo_src, 16, "addr16 rep movsb copies");
    report_eq(si, 0xABCDC010, "addr16 rep movsb: esi upper half kept");
    report_eq(di, 0x1234D010, "addr16 rep movsb: edi upper half kept");
    report_eq(cx, 0x56780000, "addr16 rep movsb: only cx counted");

    /* SI wraps from 0xFFFF to 0x0000 */
    uint8_t *top = (uint8_t *)0xFFFE;
    top[0] = 0x5A, top[1] = 0xA5;
    uint8_t low0 = *(volatile uint8_t *)0, low1 = *(volatile uint8_t *)1;
    si = 0xFFFE, di = 0xD100, cx = 4;
    asm volatile("cld; addr16 rep movsb"
                 : "+S"(si), "+D"(di), "+c"(cx)
                 :
                 : "memory");
    report(lo_dst[0x100] == 0x5A && lo_dst[0x101] == 0xA5 &&
               lo_dst[0x102] == low0 && lo_dst[0x103] == low1,
           "addr16 movsb wraps si at 64 KiB");
    report_eq(si, 0x0002, "addr16 movsb: si after the wrap");

    /* addr16 stosw with a 16-bit count */
    di = 0xFFFFD200, cx = 0xFFFF0002;
    asm volatile("cld; addr16 rep stosw"
                 : "+D"(di), "+c"(cx)
                 : "a"(0x1111)
                 : "memory");
    report(di == 0xFFFFD204 && cx == 0xFFFF0000 &&
               *(uint16_t *)0xD202 == 0x1111,
           "addr16 rep stosw");
}

static void io_tests(void)
{
    uint32_t si, di, cx;
    report_section("ins/outs");
    /* INSB from COM1's line status register: each byte as IN reads it
     * (THRE is set on an idle transmitter). */
    uint8_t lsr = inb(0x3FD);
    memset(dst, 0, sizeof(dst));
    di = (uint32_t)dst, cx = 4;
    asm volatile("cld; rep insb" : "+D"(di), "+c"(cx) : "d"(0x3FD) : "memory");
    report(di == (uint32_t)dst + 4 && cx == 0, "rep insb: edi/ecx");
    report(dst[0] == lsr && dst[3] == lsr && (lsr & 0x20), "rep insb data");
    /* OUTSB to the debugcon port */
    static const char msg[] = "[outs]";
    si = (uint32_t)msg, cx = 6;
    asm volatile("cld; rep outsb" : "+S"(si), "+c"(cx) : "d"(0xE9) : "memory");
    report(si == (uint32_t)msg + 6 && cx == 0, "rep outsb: esi/ecx");
    /* INSW backwards */
    di = (uint32_t)dst + 10, cx = 2;
    asm volatile("std; rep insw; cld"
                 : "+D"(di), "+c"(cx)
                 : "d"(0x3FD)
                 : "memory");
    report_eq(di, (uint32_t)dst + 6, "std rep insw: edi");
}

/* Ring 3 with IOPL 0: the TSS I/O bitmap allows 0xE9 and COM1 only. */
static void user_outs_ok(void *arg)
{
    static const char m[] = "u";
    uint32_t si = (uint32_t)m;
    asm volatile("outsb" : "+S"(si) : "d"(0xE9) : "memory");
}
static void user_outs_denied(void *arg)
{
    static const char m[] = "x";
    uint32_t si = (uint32_t)m;
    asm volatile("outsb" : "+S"(si) : "d"(0x80) : "memory");
}
static void user_ins_denied(void *arg)
{
    uint32_t di = (uint32_t)dst;
    asm volatile("insw" : "+D"(di) : "d"(0x3FF) : "memory");
}

static void iopb_tests(void)
{
    report_section("io bitmap");
    exc_clear();
    report_eq(user_run(user_outs_ok, 0), USER_DONE,
              "ring 3 outsb to an allowed port");
    exc_clear();
    report_eq(user_run(user_outs_denied, 0), GP_VECTOR,
              "ring 3 outsb to a denied port");
    report_exc(GP_VECTOR, 0, "ring 3 outsb to port 0x80: #GP(0)");
    /* INSW at 0x3FF needs the bits of 0x3FF and 0x400: 0x400 is denied */
    exc_clear();
    report_eq(user_run(user_ins_denied, 0), GP_VECTOR,
              "ring 3 insw straddling into a denied port");
    report_exc(GP_VECTOR, 0, "ring 3 insw at 0x3FF: #GP(0)");
}

/* REP MOVS across a not-present page. */
#define PF_SRC 0x00800000u
#define PF_DST 0x00900000u
static uint32_t *pf_pd;
static struct {
    uint32_t count, cr2, err, ecx, esi, edi;
} pf;

static void pf_handler(struct exc_frame *f)
{
    pf.count++;
    pf.cr2 = exc_last.cr2;
    pf.err = f->error;
    pf.ecx = f->ecx, pf.esi = f->esi, pf.edi = f->edi;
    pt32_map(pf_pd, pf.cr2 & ~0xFFFu, pf.cr2 & ~0xFFFu, PTE_P | PTE_W);
    invlpg(pf.cr2);
}

static void rep_fault_tests(void)
{
    report_section("rep movs #PF");
    pf_pd = pt32_identity(64, false);
    uint8_t *s = (uint8_t *)PF_SRC, *d = (uint8_t *)PF_DST;
    fill(s, 0x2000, 9);
    memset(d, 0, 0x2000);
    *pt32_pte(pf_pd, PF_DST + 0x1000) = 0; /* second page not present */
    paging_enable((uint32_t)pf_pd, 0);
    exc_set_handler(PF_VECTOR, pf_handler);

    /* copy 0x1800 bytes starting 0x800 before the missing page, by dwords */
    uint32_t si = PF_SRC + 0x800, di = PF_DST + 0x800, cx = 0x1800 / 4;
    asm volatile("cld; rep movsl" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
    report_eq(pf.count, 1, "one #PF");
    report_eq(pf.cr2, PF_DST + 0x1000, "cr2 = first byte of the missing page");
    report_eq(pf.err, PFE_W, "error code: write, not present");
    report_eq(pf.edi, PF_DST + 0x1000, "edi at the fault");
    report_eq(pf.esi, PF_SRC + 0x1000, "esi at the fault");
    report_eq(pf.ecx, (0x1800 - 0x800) / 4, "ecx at the fault: remaining");
    report(cx == 0 && si == PF_SRC + 0x2000 && di == PF_DST + 0x2000,
           "rep movsl finished after the handler");
    report_mem(d + 0x800, s + 0x800, 0x1800, "all data copied");

    /* A fault on the source side (read), backwards, by bytes */
    memset(d, 0, 0x2000);
    *pt32_pte(pf_pd, PF_SRC) = 0;
    invlpg(PF_SRC);
    pf.count = 0;
    si = PF_SRC + 0x100F, di = PF_DST + 0x100F, cx = 0x20;
    asm volatile("std; rep movsb; cld"
                 : "+S"(si), "+D"(di), "+c"(cx)
                 :
                 : "memory");
    report_eq(pf.count, 1, "backwards: one #PF");
    report_eq(pf.cr2, PF_SRC + 0xFFF, "backwards: cr2");
    report_eq(pf.err, 0, "backwards: error code read, not present");
    report_eq(pf.ecx, 0x20 - 0x10, "backwards: ecx at the fault");
    report_eq(pf.esi, PF_SRC + 0xFFF, "backwards: esi at the fault");
    report_mem(d + 0xFF0, s + 0xFF0, 0x20, "backwards: data copied");

    exc_set_handler(PF_VECTOR, NULL);
    paging_disable();
}

int main(void)
{
    movs_tests();
    cmps_scas_tests();
    lods_stos_tests();
    addr16_tests();
    io_tests();
    iopb_tests();
    rep_fault_tests();
    return 0;
}
