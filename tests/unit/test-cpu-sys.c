/*
 * System instructions on the CPU harness: control and debug registers,
 * descriptor-table registers, LMSW/SMSW, INVLPG, CPUID, RDTSC, MSRs,
 * SYSENTER/SYSEXIT, SYSCALL/SYSRET/SWAPGS, FWAIT, and the debug
 * exceptions (instruction and data breakpoints, general detect, single
 * step) with their DR6 bits and the EIPs they save.
 */
#include "qemu/osdep.h"
#include "tests/unit/cpu-harness.h"

#define CODE 0x100000u
/* Little-endian immediates inside byte arrays. */
#define I16(x) ((x)&0xff), (((x) >> 8) & 0xff)
#define I32(x) I16((uint32_t)(x)), I16((uint32_t)(x) >> 16)
#define I64(x) I32((uint64_t)(x)), I32((uint64_t)(x) >> 32)

#define V_DB 1
#define V_BR 5
#define V_UD 6
#define V_NM 7
#define V_GP 13

/* Where the code of the last run_bytes() ends (just past its HLT). */
static uint64_t code_end;

/* Runs code (at CODE, or 0x7c00 in real mode) until it halts. */
static void run_bytes(CPUHarness *h, const uint8_t *code, size_t len)
{
    harness_set_code(h, code, len);
    code_end = h->code_addr + len;
    harness_run_to_halt(h, 1000);
}

#define RUN(h, ...)                                     \
    do {                                                \
        static const uint8_t code_[] = { __VA_ARGS__ }; \
        run_bytes(h, code_, sizeof(code_));             \
    } while (0)

/* The run ended at the HLT that ends the code (no exception). */
static void assert_clean_halt(CPUHarness *h)
{
    int v;
    uint32_t ec;
    uint64_t eip;

    g_assert_true(h->env->halted);
    g_assert_false(harness_exception(h, &v, &ec, &eip));
    g_assert_cmphex(h->env->eip, ==, code_end);
}

static void assert_exc(CPUHarness *h, int vector, uint32_t error_code,
                       uint64_t saved_eip)
{
    int v;
    uint32_t ec;
    uint64_t eip;

    g_assert_true(harness_exception(h, &v, &ec, &eip));
    g_assert_cmpint(v, ==, vector);
    g_assert_cmphex(ec, ==, error_code);
    g_assert_cmphex(eip, ==, saved_eip);
}

/* EFLAGS saved by an exception without error code taken at CPL 0 in a
 * 32-bit mode (the frame is EIP, CS, EFLAGS at ESP). */
static uint32_t saved_eflags32(CPUHarness *h)
{
    uint32_t f;

    harness_read(h, h->env->regs[R_ESP] + 8, &f, 4);
    return f;
}

/* ---- control registers ---- */

static void test_cr_roundtrip(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;

    RUN(h, 0xb8, I32(0x12345678), /* mov eax, 0x12345678 */
        0x0f, 0x22, 0xd0,         /* mov cr2, eax */
        0x0f, 0x20, 0xd3,         /* mov ebx, cr2 */
        0x0f, 0x20, 0xc1,         /* mov ecx, cr0 */
        0xb8, I32(0x90),          /* mov eax, PSE|PGE */
        0x0f, 0x22, 0xe0,         /* mov cr4, eax */
        0x0f, 0x20, 0xe2,         /* mov edx, cr4 */
        0x0f, 0x20, 0xc0,         /* mov eax, cr0 */
        0x25, I32(~0x60000010u),  /* and eax, ~(CD|NW|ET) */
        0x0d, I32(0x10040),       /* or eax, WP | bit 6 (reserved) */
        0x0f, 0x22, 0xc0,         /* mov cr0, eax */
        0x0f, 0x20, 0xc6,         /* mov esi, cr0 */
        0xf4);
    assert_clean_halt(h);
    g_assert_cmphex(env->regs[R_EBX], ==, 0x12345678);
    g_assert_cmphex(env->regs[R_ECX], ==, 0x60000011);
    g_assert_cmphex(env->regs[R_EDX], ==, 0x90);
    g_assert_cmphex(env->cr[4], ==, 0x90);
    /* ET reads as 1; reserved bit 6 is ignored. */
    g_assert_cmphex(env->regs[R_ESI], ==, 0x00010011);
    g_assert_cmphex(env->cr[0], ==, 0x00010011);
    harness_free(h);
}

typedef struct FaultCase {
    const char *what;
    HarnessMode mode;
    bool ring3;
    uint8_t code[24];
    size_t len;
    uint32_t fault_off; /* offset of the faulting instruction */
    int vector;
} FaultCase;

static void run_fault_cases(const FaultCase *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        CPUHarness *h = harness_new(c[i].mode);
        uint64_t cr[5];

        if (g_test_verbose()) {
            g_test_message("%s", c[i].what);
        }
        if (c[i].ring3) {
            harness_enter_ring3(h);
        }
        memcpy(cr, h->env->cr, sizeof(cr));
        run_bytes(h, c[i].code, c[i].len);
        assert_exc(h, c[i].vector, 0, h->code_addr + c[i].fault_off);
        /* The faulting write changed nothing. */
        g_assert_cmphex(h->env->cr[0], ==, cr[0]);
        g_assert_cmphex(h->env->cr[3], ==, cr[3]);
        g_assert_cmphex(h->env->cr[4], ==, cr[4]);
        harness_free(h);
    }
}

static void test_cr_faults(void)
{
    static const FaultCase cases[] = {
        { "mov eax, cr0 at CPL 3",
          HARNESS_PROT32,
          true,
          { 0x0f, 0x20, 0xc0, 0xf4 },
          4,
          0,
          V_GP },
        { "mov cr0, eax at CPL 3",
          HARNESS_PROT32,
          true,
          { 0x0f, 0x22, 0xc0, 0xf4 },
          4,
          0,
          V_GP },
        { "mov ebx, cr1",
          HARNESS_PROT32,
          false,
          { 0x0f, 0x20, 0xcb, 0xf4 },
          4,
          0,
          V_UD },
        { "mov cr5, eax",
          HARNESS_PROT32,
          false,
          { 0x0f, 0x22, 0xe8, 0xf4 },
          4,
          0,
          V_UD },
        { "mov cr1 at CPL 3: #UD first",
          HARNESS_PROT32,
          true,
          { 0x0f, 0x20, 0xcb, 0xf4 },
          4,
          0,
          V_UD },
        { "lock mov eax, cr0 (no AltMovCr8)",
          HARNESS_PROT32,
          false,
          { 0xf0, 0x0f, 0x20, 0xc0, 0xf4 },
          5,
          0,
          V_UD },
        { "CR0.PG without PE",
          HARNESS_PROT32,
          false,
          { 0xb8, I32(0x80000010), 0x0f, 0x22, 0xc0, 0xf4 },
          9,
          5,
          V_GP },
        { "CR0.NW without CD",
          HARNESS_PROT32,
          false,
          { 0xb8, I32(0x20000011), 0x0f, 0x22, 0xc0, 0xf4 },
          9,
          5,
          V_GP },
        { "CR4.VME (not in qemu64)",
          HARNESS_PROT32,
          false,
          { 0xb8, I32(0x1), 0x0f, 0x22, 0xe0, 0xf4 },
          9,
          5,
          V_GP },
        { "CR4.PVI",
          HARNESS_PROT32,
          false,
          { 0xb8, I32(0x2), 0x0f, 0x22, 0xe0, 0xf4 },
          9,
          5,
          V_GP },
        { "CR4.UMIP",
          HARNESS_PROT32,
          false,
          { 0xb8, I32(0x800), 0x0f, 0x22, 0xe0, 0xf4 },
          9,
          5,
          V_GP },
        { "CR4.VMXE",
          HARNESS_PROT32,
          false,
          { 0xb8, I32(0x2000), 0x0f, 0x22, 0xe0, 0xf4 },
          9,
          5,
          V_GP },
        { "CR0 bit 32 in 64-bit mode",
          HARNESS_LONG64,
          false,
          { 0x48, 0xb8, I64(0x180000011ull), 0x0f, 0x22, 0xc0, 0xf4 },
          14,
          10,
          V_GP },
        { "clearing CR0.PG in 64-bit mode",
          HARNESS_LONG64,
          false,
          { 0x0f, 0x20, 0xc0, 0x25, I32(0x7fffffff), 0x0f, 0x22, 0xc0, 0xf4 },
          12,
          8,
          V_GP },
        { "clearing CR4.PAE in long mode",
          HARNESS_LONG64,
          false,
          { 0x0f, 0x20, 0xe0, 0x25, I32(~0x20u), 0x0f, 0x22, 0xe0, 0xf4 },
          12,
          8,
          V_GP },
        { "CR3 bit 63 in long mode",
          HARNESS_LONG64,
          false,
          { 0x48, 0xb8, I64(0x8000000000008000ull), 0x0f, 0x22, 0xd8, 0xf4 },
          14,
          10,
          V_GP },
        { "CR3 bit 40 in long mode",
          HARNESS_LONG64,
          false,
          { 0x48, 0xb8, I64(0x0000010000008000ull), 0x0f, 0x22, 0xd8, 0xf4 },
          14,
          10,
          V_GP },
        { "CR8 reserved bits",
          HARNESS_LONG64,
          false,
          { 0xb8, I32(0x10), 0x44, 0x0f, 0x22, 0xc0, 0xf4 },
          10,
          5,
          V_GP },
        { "mov rax, cr9",
          HARNESS_LONG64,
          false,
          { 0x44, 0x0f, 0x20, 0xc8, 0xf4 },
          5,
          0,
          V_UD },
        { "mov rax, cr8 at CPL 3",
          HARNESS_LONG64,
          true,
          { 0x44, 0x0f, 0x20, 0xc0, 0xf4 },
          5,
          0,
          V_GP },
    };

    run_fault_cases(cases, G_N_ELEMENTS(cases));
}

static void test_cr8(void)
{
    CPUHarness *h = harness_new(HARNESS_LONG64);

    RUN(h, 0xb8, I32(5),        /* mov eax, 5 */
        0x44, 0x0f, 0x22, 0xc0, /* mov cr8, rax */
        0x44, 0x0f, 0x20, 0xc3, /* mov rbx, cr8 */
        0xf4);
    assert_clean_halt(h);
    g_assert_cmphex(h->env->cr8, ==, 5);
    g_assert_cmphex(h->env->regs[R_EBX], ==, 5);
    harness_free(h);
}

/* Identity 4-level page tables for 16 MiB at 0x8000 (PML4, PDPT, PD). */
static void build_long_tables(CPUHarness *h)
{
    uint64_t e;

    e = 0x9000 | 7;
    harness_write(h, 0x8000, &e, 8);
    e = 0xa000 | 7;
    harness_write(h, 0x9000, &e, 8);
    for (int i = 0; i < 8; i++) {
        e = ((uint64_t)i << 21) | 0x87;
        harness_write(h, 0xa000 + 8 * i, &e, 8);
    }
}

static void test_enter_long_mode(void)
{
    static const uint8_t enable[] = {
        0x0f, 0x20,
        0xe0,            /* mov eax, cr4 */
        0x0d, I32(0x20), /* or eax, PAE */
        0x0f, 0x22,
        0xe0,                  /* mov cr4, eax */
        0xb9, I32(0xc0000080), /* mov ecx, EFER */
        0x0f, 0x32,            /* rdmsr */
        0x0d, I32(0x100),      /* or eax, LME */
        0x0f, 0x30,            /* wrmsr */
        0xb8, I32(0x8000),     /* mov eax, 0x8000 */
        0x0f, 0x22,
        0xd8, /* mov cr3, eax */
        0x0f, 0x20,
        0xc0,                  /* mov eax, cr0 */
        0x0d, I32(0x80000000), /* or eax, PG */
        0x0f, 0x22,
        0xc0, /* mov cr0, eax */
        0xf4,
    };
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;

    build_long_tables(h);
    run_bytes(h, enable, sizeof(enable));
    assert_clean_halt(h);
    g_assert_cmphex(env->efer, ==, EFER_LME | EFER_LMA);
    g_assert_true(env->hflags & HF_LMA_MASK);
    /* CS is still a 32-bit segment: compatibility mode. */
    g_assert_false(env->hflags & HF_CS64_MASK);
    g_assert_true(env->cr[0] & CR0_PG_MASK);
    harness_free(h);

    /* Without CR4.PAE the MOV CR0 faults and long mode stays off. */
    h = harness_new(HARNESS_PROT32);
    env = h->env;
    build_long_tables(h);
    run_bytes(h, enable + 11, sizeof(enable) - 11);
    assert_exc(h, V_GP, 0, CODE + sizeof(enable) - 11 - 4);
    g_assert_cmphex(env->efer, ==, EFER_LME);
    g_assert_false(env->cr[0] & CR0_PG_MASK);
    harness_free(h);

    /* Turning 32-bit paging off. */
    h = harness_new(HARNESS_PAGED32);
    RUN(h, 0x0f, 0x20, 0xc0, 0x25, I32(0x7fffffff), 0x0f, 0x22, 0xc0, 0xf4);
    assert_clean_halt(h);
    g_assert_false(h->env->cr[0] & CR0_PG_MASK);
    harness_free(h);
}

/*
 * INVLPG and CR3 reloads: a stale translation stays in the TLB until
 * flushed; global pages survive CR3 reloads (CR4.PGE), not INVLPG.
 */
#define PTE_3A5 (HARNESS_PT + 0x1000 + 0x3a5 * 4)

static void tlb_case(bool global, const uint8_t *flush, size_t flush_len,
                     bool expect_new)
{
    CPUHarness *h = harness_new(HARNESS_PAGED32);
    CPUX86State *env = h->env;
    uint32_t a = 0x11111111, b = 0x22222222;
    uint32_t g = global ? 0x100 : 0;
    uint32_t pte = 0x3a5007 | g;
    uint8_t code[64];
    size_t n = 0;
    const uint8_t head[] = {
        0xa1, I32(0x3a5000), /* mov eax, [va] */
        0xc7, 0x05,          I32(PTE_3A5),  I32(0x3a6007 | g), /* remap va */
        0x8b, 0x1d,          I32(0x3a5000), /* mov ebx, [va] */
    };
    const uint8_t tail[] = { 0x8b, 0x0d, I32(0x3a5000), 0xf4 };

    harness_write(h, 0x3a5000, &a, 4);
    harness_write(h, 0x3a6000, &b, 4);
    harness_write(h, PTE_3A5, &pte, 4);
    if (global) {
        env->cr[4] |= CR4_PGE_MASK;
    }
    memcpy(code + n, head, sizeof(head));
    n += sizeof(head);
    memcpy(code + n, flush, flush_len);
    n += flush_len;
    memcpy(code + n, tail, sizeof(tail));
    n += sizeof(tail);
    run_bytes(h, code, n);
    assert_clean_halt(h);
    g_assert_cmphex(env->regs[R_EAX], ==, a);
    g_assert_cmphex(env->regs[R_EBX], ==, a); /* stale TLB entry */
    g_assert_cmphex(env->regs[R_ECX], ==, expect_new ? b : a);
    harness_free(h);
}

static void test_invlpg(void)
{
    static const uint8_t invlpg[] = { 0x0f, 0x01, 0x3d, I32(0x3a5000) };
    static const uint8_t reload[] = { 0x0f, 0x20, 0xda, 0x0f, 0x22, 0xda };
    static const uint8_t nothing[] = { 0x90 };

    tlb_case(false, nothing, sizeof(nothing), false);
    tlb_case(false, invlpg, sizeof(invlpg), true);
    tlb_case(false, reload, sizeof(reload), true);
    tlb_case(true, reload, sizeof(reload), false);
    tlb_case(true, invlpg, sizeof(invlpg), true);
}

static void test_invlpg_faults(void)
{
    static const FaultCase cases[] = {
        { "invlpg at CPL 3",
          HARNESS_PAGED32,
          true,
          { 0x0f, 0x01, 0x38, 0xf4 },
          4,
          0,
          V_GP },
        { "invlpg with a register operand",
          HARNESS_PAGED32,
          false,
          { 0x0f, 0x01, 0xf9, 0xf4 },
          4,
          0,
          V_UD },
        { "clts at CPL 3",
          HARNESS_PROT32,
          true,
          { 0x0f, 0x06, 0xf4 },
          3,
          0,
          V_GP },
        { "invd at CPL 3",
          HARNESS_PROT32,
          true,
          { 0x0f, 0x08, 0xf4 },
          3,
          0,
          V_GP },
        { "wbinvd at CPL 3",
          HARNESS_PROT32,
          true,
          { 0x0f, 0x09, 0xf4 },
          3,
          0,
          V_GP },
        { "lmsw at CPL 3",
          HARNESS_PROT32,
          true,
          { 0x0f, 0x01, 0xf0, 0xf4 },
          4,
          0,
          V_GP },
        { "rdtscp (not in qemu64)",
          HARNESS_PROT32,
          false,
          { 0x0f, 0x01, 0xf9, 0xf4 },
          4,
          0,
          V_UD },
    };

    run_fault_cases(cases, G_N_ELEMENTS(cases));
}

static void test_clts_invd(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);

    h->env->cr[0] |= CR0_TS_MASK;
    RUN(h, 0x0f, 0x06, 0x0f, 0x08, 0x0f, 0x09, 0xf4);
    assert_clean_halt(h);
    g_assert_false(h->env->cr[0] & CR0_TS_MASK);
    harness_free(h);
}

/* ---- LMSW / SMSW ---- */

static void test_lmsw_smsw(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;
    uint32_t m = 0xaaaaaaaa;

    harness_write(h, HARNESS_DATA, &m, 4);
    env->regs[R_EDX] = 0xdeadbeef;
    RUN(h, 0x66, 0xb8, I16(0xe), /* mov ax, MP|EM|TS */
        0x0f, 0x01, 0xf0,        /* lmsw ax */
        0x0f, 0x20, 0xc3,        /* mov ebx, cr0 */
        0x66, 0xb8, I16(0),      /* mov ax, 0 (PE cannot be cleared) */
        0x0f, 0x01, 0xf0,        /* lmsw ax */
        0x0f, 0x20, 0xc1,        /* mov ecx, cr0 */
        0x66, 0x0f, 0x01, 0xe2,  /* smsw dx (16-bit register) */
        0x0f, 0x01, 0xe7,        /* smsw edi */
        0xbe, I32(HARNESS_DATA), /* mov esi, DATA */
        0x0f, 0x01, 0x26,        /* smsw [esi]: always 16 bits */
        0xf4);
    assert_clean_halt(h);
    g_assert_cmphex(env->regs[R_EBX], ==, 0x6000001f);
    g_assert_cmphex(env->regs[R_ECX], ==, 0x60000011);
    g_assert_cmphex(env->regs[R_EDX], ==, 0xdead0011);
    g_assert_cmphex(env->regs[R_EDI], ==, 0x60000011);
    harness_read(h, HARNESS_DATA, &m, 4);
    g_assert_cmphex(m, ==, 0xaaaa0011);
    harness_free(h);

    /* SMSW is allowed at CPL 3 (no UMIP). */
    h = harness_new(HARNESS_PROT32);
    harness_enter_ring3(h);
    RUN(h, 0x0f, 0x01, 0xe0, 0x0f, 0x0b); /* smsw eax; ud2 */
    assert_exc(h, V_UD, 0, CODE + 3);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0x60000011);
    harness_free(h);

    /* Real mode: LMSW can switch protection on. */
    h = harness_new(HARNESS_REAL);
    RUN(h, 0xb8, I16(1), 0x0f, 0x01, 0xf0, 0xf4);
    g_assert_true(h->env->cr[0] & CR0_PE_MASK);
    g_assert_true(h->env->hflags & HF_PE_MASK);
    harness_free(h);
}

/* ---- descriptor-table registers ---- */

static void test_descriptor_tables(void)
{
    static const uint8_t pseudo[6] = { 0x34, 0x12, 0x21, 0x43, 0x65, 0x87 };
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;
    uint8_t out[16];

    harness_write(h, HARNESS_DATA, pseudo, 6);
    memset(out, 0xee, sizeof(out));
    harness_write(h, HARNESS_DATA + 0x10, out, 16);
    RUN(h, 0xb8, I32(HARNESS_DATA),     /* mov eax, DATA */
        0x0f, 0x01, 0x18,               /* lidt [eax] */
        0xbb, I32(HARNESS_DATA + 0x10), /* mov ebx, DATA + 0x10 */
        0x0f, 0x01, 0x0b,               /* sidt [ebx] */
        0x66, 0x0f, 0x01, 0x03,         /* sgdt16 [ebx] */
        0x83, 0xc3, 0x08,               /* add ebx, 8 */
        0x0f, 0x01, 0x03,               /* sgdt [ebx] */
        0xf4);
    assert_clean_halt(h);
    g_assert_cmphex(env->idt.base, ==, 0x87654321);
    g_assert_cmphex(env->idt.limit, ==, 0x1234);
    harness_read(h, HARNESS_DATA + 0x10, out, 16);
    /* sgdt16 overwrote sidt's 6 bytes: limit, 24-bit base, 0. */
    g_assert_cmphex(out[0] | out[1] << 8, ==, 11 * 8 - 1);
    g_assert_cmphex(out[2] | out[3] << 8 | out[4] << 16 |
                        (uint32_t)out[5] << 24,
                    ==, HARNESS_GDT);
    g_assert_cmphex(out[6], ==, 0xee);
    g_assert_cmphex(out[8] | out[9] << 8, ==, 11 * 8 - 1);
    g_assert_cmphex(out[10] | out[11] << 8 | out[12] << 16 |
                        (uint32_t)out[13] << 24,
                    ==, HARNESS_GDT);
    g_assert_cmphex(out[14], ==, 0xee);
    harness_free(h);

    /* 16-bit operand size: LIDT takes 24 bits of base, SIDT stores the
     * top byte as 0. */
    h = harness_new(HARNESS_PROT32);
    env = h->env;
    harness_write(h, HARNESS_DATA, pseudo, 6);
    RUN(h, 0xb8, I32(HARNESS_DATA), 0x66, 0x0f, 0x01, 0x18, 0xbb,
        I32(HARNESS_DATA + 0x10), 0x66, 0x0f, 0x01, 0x0b, 0xf4);
    g_assert_cmphex(env->idt.base, ==, 0x654321);
    harness_read(h, HARNESS_DATA + 0x10, out, 6);
    g_assert_cmphex(out[5], ==, 0);
    g_assert_cmphex(out[4], ==, 0x65);
    harness_free(h);

    /* LGDT at CPL 3: #GP(0), GDTR unchanged; SGDT is allowed there. */
    h = harness_new(HARNESS_PROT32);
    env = h->env;
    harness_enter_ring3(h);
    env->regs[R_EAX] = HARNESS_DATA;
    RUN(h, 0x0f, 0x01, 0x00, 0x0f, 0x01, 0x10, 0xf4);
    assert_exc(h, V_GP, 0, CODE + 3);
    g_assert_cmphex(env->gdt.base, ==, HARNESS_GDT);
    harness_read(h, HARNESS_DATA, out, 6);
    g_assert_cmphex(out[2] | out[3] << 8, ==, HARNESS_GDT);
    harness_free(h);

    /* SGDT whose base part is past the segment limit: #GP(0) and the
     * limit part is not written either. */
    h = harness_new(HARNESS_PROT32);
    env = h->env;
    cpu_x86_load_seg_cache(env, R_DS, 0x20, 0, 0xffff,
                           DESC_P_MASK | DESC_S_MASK | DESC_W_MASK |
                               DESC_A_MASK);
    memset(out, 0xee, 8);
    harness_write(h, 0xfff8, out, 8);
    RUN(h, 0x0f, 0x01, 0x05, I32(0xfffc), 0xf4); /* sgdt [0xfffc] */
    assert_exc(h, V_GP, 0, CODE);
    harness_read(h, 0xfff8, out, 8);
    g_assert_cmphex(out[4], ==, 0xee);
    g_assert_cmphex(out[5], ==, 0xee);
    harness_free(h);
}

static void test_descriptor_tables64(void)
{
    static const uint8_t pseudo[10] = { 0xff, 0x0f, 0x00, 0x90, 0x78,
                                        0x56, 0x34, 0x12, 0x00, 0x00 };
    static const uint8_t bad[10] = { 0xff, 0x0f, 0, 0, 0, 0, 0, 0, 0x08, 0 };
    CPUHarness *h = harness_new(HARNESS_LONG64);
    CPUX86State *env = h->env;
    uint8_t out[10];

    harness_write(h, HARNESS_DATA, pseudo, 10);
    RUN(h, 0xb8, I32(HARNESS_DATA), /* mov eax, DATA */
        0x0f, 0x01, 0x10,           /* lgdt [rax] */
        0x0f, 0x01, 0x40, 0x10,     /* sgdt [rax + 16] */
        0xf4);
    assert_clean_halt(h);
    g_assert_cmphex(env->gdt.base, ==, 0x123456789000ull);
    g_assert_cmphex(env->gdt.limit, ==, 0xfff);
    harness_read(h, HARNESS_DATA + 16, out, 10);
    g_assert_cmpmem(out, 10, pseudo, 10);
    harness_free(h);

    h = harness_new(HARNESS_LONG64);
    env = h->env;
    harness_write(h, HARNESS_DATA, bad, 10);
    RUN(h, 0xb8, I32(HARNESS_DATA), 0x0f, 0x01, 0x18, 0xf4); /* lidt */
    assert_exc(h, V_GP, 0, CODE + 5);
    g_assert_cmphex(env->idt.base, ==, HARNESS_IDT);
    harness_free(h);
}

/* ---- debug registers ---- */

static void test_dr_moves(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;

    RUN(h, 0xb8, I32(0x11111111), 0x0f, 0x23, 0xc0, /* mov dr0, eax */
        0xb8, I32(0x22222222), 0x0f, 0x23, 0xc8,    /* mov dr1, eax */
        0x31, 0xc0, 0x0f, 0x23, 0xf0,               /* mov dr6, 0 */
        0x0f, 0x21, 0xf3,                           /* mov ebx, dr6 */
        0x0f, 0x21, 0xe1,                           /* mov ecx, dr4 */
        0x0f, 0x21, 0xca,                           /* mov edx, dr1 */
        0xb8, I32(0xffff0000), 0x0f, 0x23, 0xf8,    /* mov dr7, (no enables) */
        0x0f, 0x21, 0xee,                           /* mov esi, dr5 */
        0x0f, 0x21, 0xc7,                           /* mov edi, dr0 */
        0xf4);
    assert_clean_halt(h);
    g_assert_cmphex(env->regs[R_EBX], ==, 0xffff0ff0);
    g_assert_cmphex(env->regs[R_ECX], ==, 0xffff0ff0); /* DR4 = DR6 */
    g_assert_cmphex(env->regs[R_EDX], ==, 0x22222222);
    g_assert_cmphex(env->regs[R_ESI], ==, 0xffff0400); /* DR5 = DR7 */
    g_assert_cmphex(env->regs[R_EDI], ==, 0x11111111);
    harness_free(h);

    /* Reserved bits of DR7 (11, 12, 14, 15) read 0, bit 10 reads 1. */
    h = harness_new(HARNESS_PROT32);
    env = h->env;
    RUN(h, 0xb8, I32(0xffffdb00), 0x0f, 0x23, 0xf8, /* mov dr7, eax */
        0x0f, 0x21, 0xfb, 0xf4);                    /* mov ebx, dr7 */
    g_assert_cmphex(env->regs[R_EBX], ==, 0xffff0700);
    harness_free(h);
}

static void test_dr_faults(void)
{
    static const FaultCase cases[] = {
        { "mov eax, dr0 at CPL 3",
          HARNESS_PROT32,
          true,
          { 0x0f, 0x21, 0xc0, 0xf4 },
          4,
          0,
          V_GP },
        { "mov dr7, eax at CPL 3",
          HARNESS_PROT32,
          true,
          { 0x0f, 0x23, 0xf8, 0xf4 },
          4,
          0,
          V_GP },
        { "mov rax, dr8",
          HARNESS_LONG64,
          false,
          { 0x44, 0x0f, 0x21, 0xc0, 0xf4 },
          5,
          0,
          V_UD },
        { "DR7 bit 32 in 64-bit mode",
          HARNESS_LONG64,
          false,
          { 0x48, 0xb8, I64(0x100000400ull), 0x0f, 0x23, 0xf8, 0xf4 },
          14,
          10,
          V_GP },
        { "DR6 bit 63 in 64-bit mode",
          HARNESS_LONG64,
          false,
          { 0x48, 0xb8, I64(0x8000000000000000ull), 0x0f, 0x23, 0xf0, 0xf4 },
          14,
          10,
          V_GP },
    };
    CPUHarness *h;

    run_fault_cases(cases, G_N_ELEMENTS(cases));

    /* With CR4.DE, DR4 and DR5 are #UD. */
    h = harness_new(HARNESS_PROT32);
    h->env->cr[4] |= CR4_DE_MASK;
    RUN(h, 0x0f, 0x21, 0xe0, 0xf4);
    assert_exc(h, V_UD, 0, CODE);
    harness_free(h);
    h = harness_new(HARNESS_PROT32);
    h->env->cr[4] |= CR4_DE_MASK;
    RUN(h, 0x0f, 0x23, 0xe8, 0xf4);
    assert_exc(h, V_UD, 0, CODE);
    harness_free(h);
}

/* DR7.GD: any MOV DR is a #DB fault with DR6.BD; entering the handler
 * clears GD; the fault pushes RF = 1. */
static void test_dr_general_detect(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;

    RUN(h, 0xb8, I32(0x2400), 0x0f, 0x23, 0xf8, /* mov dr7, GD */
        0x90, 0x0f, 0x21, 0xc0,                 /* nop; mov eax, dr0 */
        0xf4);
    assert_exc(h, V_DB, 0, CODE + 9);
    g_assert_true(env->dr[6] & DR6_BD);
    g_assert_false(env->dr[7] & DR7_GD);
    g_assert_cmphex(env->regs[R_EAX], ==, 0x2400); /* not executed */
    g_assert_true(saved_eflags32(h) & RF_MASK);
    harness_free(h);
}

/* A fault other than #DB pushes RF = 1 (SDM vol. 3, 17.3.1.1). */
static void test_fault_pushes_rf(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);

    RUN(h, 0x90, 0x0f, 0x0b);
    assert_exc(h, V_UD, 0, CODE + 1);
    g_assert_true(saved_eflags32(h) & RF_MASK);
    g_assert_false(h->env->eflags & RF_MASK);
    harness_free(h);
}

#define HANDLER (HARNESS_DATA + 0x1000)
#define COUNTER (HARNESS_DATA + 0x800)

/* A #DB handler that sets RF in the saved EFLAGS and returns. */
static void install_rf_handler(CPUHarness *h)
{
    static const uint8_t handler[] = {
        0xff, 0x05, I32(COUNTER),                     /* inc [COUNTER] */
        0x81, 0x4c, 0x24,         0x08, I32(RF_MASK), /* or [esp+8], RF */
        0xcf,                                         /* iretd */
    };

    harness_write(h, HANDLER, handler, sizeof(handler));
    harness_set_handler(h, V_DB, HANDLER);
}

static uint32_t counter(CPUHarness *h)
{
    uint32_t c;

    harness_read(h, COUNTER, &c, 4);
    return c;
}

static void test_insn_breakpoint(void)
{
    static const uint8_t code[] = {
        0x90, 0x90,   /* nop; nop */
        0xb8, I32(1), /* +2: mov eax, 1  <- breakpoint */
        0x90, 0xf4,   /* nop; hlt */
    };
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;

    env->dr[0] = CODE + 2;
    env->dr[7] = 0x401; /* L0, RW0 = 00 (execute), LEN0 = 00 */
    x86_update_dr7(env);
    /* The breakpoint is inside a block: checked per instruction. */
    run_bytes(h, code, sizeof(code));
    assert_exc(h, V_DB, 0, CODE + 2);
    g_assert_cmphex(env->dr[6] & 0xf, ==, 1);
    g_assert_cmphex(env->regs[R_EAX], ==, 0); /* a fault: not executed */
    /* An instruction-breakpoint #DB pushes RF as it was: 0. */
    g_assert_false(saved_eflags32(h) & RF_MASK);
    g_assert_cmpint(h->retired, ==, 3); /* 2 nops, then the stub's HLT */
    harness_free(h);

    /* The handler returns with RF = 1: the instruction runs once. */
    h = harness_new(HARNESS_PROT32);
    env = h->env;
    install_rf_handler(h);
    env->dr[0] = CODE + 2;
    env->dr[7] = 0x402; /* G0 works as well */
    x86_update_dr7(env);
    run_bytes(h, code, sizeof(code));
    assert_clean_halt(h);
    g_assert_cmpuint(counter(h), ==, 1);
    g_assert_cmphex(env->regs[R_EAX], ==, 1);
    g_assert_false(env->eflags & RF_MASK); /* cleared after one insn */
    harness_free(h);

    /* Disabled, or of another type: no #DB. */
    h = harness_new(HARNESS_PROT32);
    env = h->env;
    env->dr[0] = CODE + 2;
    env->dr[7] = 0x400 | (1 << 16) | (3 << 18); /* RW0 = write, not enabled */
    x86_update_dr7(env);
    run_bytes(h, code, sizeof(code));
    assert_clean_halt(h);
    harness_free(h);
}

/*
 * A REP string instruction with a breakpoint, stopped between iterations
 * by the end of a cpu_exec budget: RF = 1 keeps the breakpoint from
 * firing again when it resumes (SDM vol. 3, 17.3.1.1).
 */
static void test_insn_breakpoint_rep(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;

    install_rf_handler(h);
    env->dr[0] = CODE;
    env->dr[7] = 0x401;
    x86_update_dr7(env);
    env->regs[R_ESI] = HARNESS_DATA;
    env->regs[R_EDI] = HARNESS_DATA + 0x100;
    env->regs[R_ECX] = 10;
    harness_set_code(h, (const uint8_t[]){ 0xf3, 0xa4, 0xf4 }, 3);
    /* #DB, then the handler's three instructions. */
    g_assert_cmpint(harness_run(h, 3), ==, 3);
    g_assert_cmpuint(counter(h), ==, 1);
    g_assert_cmphex(env->eip, ==, CODE);
    /* Two iterations, then the budget ends inside the instruction. */
    g_assert_cmpint(harness_run(h, 2), ==, 2);
    g_assert_cmphex(env->regs[R_ECX], ==, 8);
    g_assert_cmphex(env->eip, ==, CODE);
    g_assert_true(env->eflags & RF_MASK);
    harness_run_to_halt(h, 100);
    g_assert_cmpuint(counter(h), ==, 1);
    g_assert_cmphex(env->regs[R_ECX], ==, 0);
    g_assert_cmphex(env->eip, ==, CODE + 3);
    harness_free(h);
}

static void test_insn_breakpoint64(void)
{
    static const uint8_t code[] = {
        0x48, 0xc7, 0xc0, I32(7), /* mov rax, 7 */
        0x48, 0xff, 0xc0,         /* +7: inc rax  <- breakpoint (DR3) */
        0xf4,
    };
    CPUHarness *h = harness_new(HARNESS_LONG64);
    CPUX86State *env = h->env;
    uint64_t rip;

    env->dr[3] = CODE + 7;
    env->dr[7] = 0x400 | (1 << 6); /* L3 */
    x86_update_dr7(env);
    run_bytes(h, code, sizeof(code));
    assert_exc(h, V_DB, 0, CODE + 7);
    g_assert_cmphex(env->dr[6] & 0xf, ==, 8);
    g_assert_cmphex(env->regs[R_EAX], ==, 7);
    harness_read(h, env->regs[R_ESP], &rip, 8);
    g_assert_cmphex(rip, ==, CODE + 7);
    harness_free(h);
}

/* DR7 for data breakpoint n: L bit, RW, LEN (00 1, 01 2, 11 4, 10 8). */
static uint64_t dr7_data(int n, int rw, int len_code)
{
    return 0x400 | (1ull << (2 * n)) | ((uint64_t)rw << (16 + 4 * n)) |
           ((uint64_t)len_code << (18 + 4 * n));
}

/* Runs code with data breakpoint 1 at addr; returns true if a #DB trap
 * was taken (and checks it saved the next instruction's EIP). */
static bool data_bp_case(uint64_t bp, int rw, int len_code, const uint8_t *code,
                         size_t len, size_t trap_off)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;
    int v;
    uint32_t ec;
    uint64_t eip;
    bool hit;

    env->dr[1] = bp;
    env->dr[7] = dr7_data(1, rw, len_code);
    x86_update_dr7(env);
    env->regs[R_EBX] = HARNESS_DATA + 0x10;
    run_bytes(h, code, len);
    hit = harness_exception(h, &v, &ec, &eip);
    if (hit) {
        g_assert_cmpint(v, ==, V_DB);
        g_assert_cmphex(eip, ==, CODE + trap_off);
        g_assert_cmphex(env->dr[6] & 0xf, ==, 2);
        g_assert_false(env->dr[6] & DR6_BS);
    } else {
        assert_clean_halt(h);
    }
    harness_free(h);
    return hit;
}

static void test_data_breakpoint(void)
{
    const uint64_t a = HARNESS_DATA + 0x10;
    /* mov eax, [ebx]; mov [ebx+2], al; hlt */
    static const uint8_t rw_code[] = { 0x8b, 0x03, 0x88, 0x43, 0x02, 0xf4 };
    /* mov al, [ebx+3]; hlt */
    static const uint8_t rd3[] = { 0x8a, 0x43, 0x03, 0xf4 };
    /* mov [ebx+4], al; hlt */
    static const uint8_t wr4[] = { 0x88, 0x43, 0x04, 0xf4 };
    /* mov [ebx-1], ax; hlt: bytes a-1 and a */
    static const uint8_t wr_m1[] = { 0x66, 0x89, 0x43, 0xff, 0xf4 };
    /* mov [ebx+7], al; hlt */
    static const uint8_t wr7[] = { 0x88, 0x43, 0x07, 0xf4 };

    /* Write-only breakpoint: the read passes, the write traps after. */
    g_assert_true(data_bp_case(a, 1, 3, rw_code, sizeof(rw_code), 5));
    /* Read/write breakpoint: the read traps. */
    g_assert_true(data_bp_case(a, 3, 3, rw_code, sizeof(rw_code), 2));
    /* LEN 4 ignores the low two bits of the address: DR1 = a + 3 covers
     * a..a+3; a+3 hits, a+4 does not. */
    g_assert_true(data_bp_case(a + 3, 3, 3, rd3, sizeof(rd3), 3));
    g_assert_false(data_bp_case(a + 3, 1, 3, wr4, sizeof(wr4), 0));
    /* An access that overlaps the range's first byte hits. */
    g_assert_true(data_bp_case(a, 1, 0, wr_m1, sizeof(wr_m1), 4));
    g_assert_false(data_bp_case(a + 1, 1, 0, wr_m1, sizeof(wr_m1), 0));
    /* LEN 8 (code 10) covers a..a+7; LEN 2 covers a..a+1. */
    g_assert_true(data_bp_case(a + 5, 1, 2, wr7, sizeof(wr7), 3));
    g_assert_false(data_bp_case(a, 1, 1, wr7, sizeof(wr7), 0));
    g_assert_false(data_bp_case(a + 8, 1, 2, wr7, sizeof(wr7), 0));
}

static void test_data_breakpoint_details(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;
    uint32_t v = 0, bounds[2] = { 10, 20 };
    uint64_t flushes = env->tlb_gen;

    /* The store happens (a trap), and enabling the breakpoint flushed
     * the TLB so RAM accesses take the checking slow path. */
    env->dr[0] = HARNESS_DATA;
    env->dr[7] = dr7_data(0, 1, 3);
    x86_update_dr7(env);
    g_assert_true(env->watch_data);
    g_assert_cmpuint(env->tlb_gen, >, flushes);
    env->regs[R_EBX] = HARNESS_DATA;
    RUN(h, 0xb8, I32(0x55), 0x89, 0x03, 0xf4);
    assert_exc(h, V_DB, 0, CODE + 7);
    harness_read(h, HARNESS_DATA, &v, 4);
    g_assert_cmphex(v, ==, 0x55);
    harness_free(h);

    /* An instruction that reads a watched location and then faults
     * reports only its fault (#BR), no #DB afterwards. */
    h = harness_new(HARNESS_PROT32);
    env = h->env;
    harness_write(h, HARNESS_DATA, bounds, 8);
    env->dr[0] = HARNESS_DATA;
    env->dr[7] = dr7_data(0, 3, 3);
    x86_update_dr7(env);
    env->regs[R_EBX] = HARNESS_DATA;
    env->regs[R_EAX] = 30;
    RUN(h, 0x62, 0x03, 0xf4); /* bound eax, [ebx] */
    assert_exc(h, V_BR, 0, CODE);
    g_assert_cmphex(env->dr[6] & 0xf, ==, 0);
    harness_free(h);

    /*
     * A breakpoint enabled by the guest after the page was accessed
     * (its TLB entry on the fast path) still hits: MOV DR7 flushed it.
     */
    h = harness_new(HARNESS_PROT32);
    env = h->env;
    /* (Not in the code page's TLB slot, which the next block's
     * translation refills.) */
    env->dr[0] = HARNESS_DATA + 0x5000;
    env->regs[R_EBX] = HARNESS_DATA + 0x5000;
    env->regs[R_ECX] = dr7_data(0, 1, 3);
    RUN(h, 0x8b, 0x03,    /* mov eax, [ebx] */
        0x89, 0x03,       /* mov [ebx], eax: fast path */
        0x0f, 0x23, 0xf9, /* mov dr7, ecx */
        0x89, 0x03,       /* mov [ebx], eax: hits */
        0xf4);
    assert_exc(h, V_DB, 0, CODE + 9);
    harness_free(h);

    /*
     * A REP STOSB that writes the watched byte in its third iteration:
     * the trap comes right after that iteration, with EIP still at the
     * instruction and RF = 1 pushed (SDM vol. 3, 17.3.1.1).
     */
    h = harness_new(HARNESS_PROT32);
    env = h->env;
    env->dr[2] = HARNESS_DATA + 2;
    env->dr[7] = dr7_data(2, 1, 0);
    x86_update_dr7(env);
    env->regs[R_EDI] = HARNESS_DATA;
    env->regs[R_ECX] = 8;
    RUN(h, 0xf3, 0xaa, 0xf4); /* rep stosb */
    assert_exc(h, V_DB, 0, CODE);
    g_assert_cmphex(env->regs[R_ECX], ==, 5);
    g_assert_cmphex(env->dr[6] & 0xf, ==, 4);
    g_assert_true(saved_eflags32(h) & RF_MASK);
    harness_free(h);

    /* Disabling the last data breakpoint restores the fast path. */
    h = harness_new(HARNESS_PROT32);
    env = h->env;
    env->dr[7] = dr7_data(2, 3, 0);
    x86_update_dr7(env);
    g_assert_true(env->watch_data);
    env->dr[7] = 0x400;
    x86_update_dr7(env);
    g_assert_false(env->watch_data);
    g_assert_false(env->dr7_exec);
    harness_free(h);
}

/* ---- single step ---- */

static void test_single_step(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;

    /* The first #DB comes after the first instruction, with DR6.BS and
     * the next instruction's EIP. */
    cpu_load_eflags(env, TF_MASK, TF_MASK);
    RUN(h, 0xb8, I32(5), 0x90, 0xf4);
    assert_exc(h, V_DB, 0, CODE + 5);
    g_assert_cmphex(env->regs[R_EAX], ==, 5);
    g_assert_true(env->dr[6] & DR6_BS);
    g_assert_cmpint(h->retired, ==, 2); /* mov, then the stub's HLT */
    harness_free(h);

    /*
     * A handler that counts and returns: POPF setting TF doesn't trap,
     * each following instruction does, up to the POPF that clears TF
     * (it began with TF set), then nothing.
     */
    h = harness_new(HARNESS_PROT32);
    env = h->env;
    install_rf_handler(h);
    RUN(h, 0x9c,                         /* pushfd */
        0x81, 0x0c, 0x24, I32(TF_MASK),  /* or [esp], TF */
        0x9d,                            /* popfd: TF on */
        0x90, 0x90, 0x90,                /* 3 traps */
        0x9c,                            /* trap */
        0x81, 0x24, 0x24, I32(~TF_MASK), /* trap */
        0x9d,                            /* popfd: TF off, trap */
        0x90, 0xf4);
    assert_clean_halt(h);
    g_assert_cmpuint(counter(h), ==, 6);
    g_assert_true(env->dr[6] & DR6_BS);
    g_assert_false(env->eflags & TF_MASK);
    /* 11 instructions + 6 x (inc, or, iretd) in the handler. */
    g_assert_cmpint(h->retired, ==, 11 + 6 * 3);
    harness_free(h);
}

/* MOV SS delays its single-step trap (and a data breakpoint's) until
 * after the next instruction (SDM vol. 3, 6.8.3). */
static void test_single_step_mov_ss(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;

    env->regs[R_EAX] = 0x10;
    cpu_load_eflags(env, TF_MASK, TF_MASK);
    RUN(h, 0x8e, 0xd0, 0x90, 0x90, 0xf4); /* mov ss, ax; nop; nop */
    assert_exc(h, V_DB, 0, CODE + 3);
    g_assert_true(env->dr[6] & DR6_BS);
    harness_free(h);

    h = harness_new(HARNESS_PROT32);
    env = h->env;
    harness_write(h, HARNESS_DATA, (const uint16_t[]){ 0x10 }, 2);
    env->dr[0] = HARNESS_DATA;
    env->dr[7] = dr7_data(0, 3, 1);
    x86_update_dr7(env);
    env->regs[R_EBX] = HARNESS_DATA;
    RUN(h, 0x8e, 0x13, 0x90, 0x90, 0xf4); /* mov ss, [ebx] (hits); nop */
    assert_exc(h, V_DB, 0, CODE + 3);
    g_assert_cmphex(env->dr[6] & 0xf, ==, 1);
    harness_free(h);
}

/* A data breakpoint and single-step in the same instruction: one #DB
 * with both B1 and BS. */
static void test_single_step_and_data_bp(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;

    env->dr[1] = HARNESS_DATA;
    env->dr[7] = dr7_data(1, 1, 0);
    x86_update_dr7(env);
    env->regs[R_EBX] = HARNESS_DATA;
    cpu_load_eflags(env, TF_MASK, TF_MASK);
    RUN(h, 0x88, 0x03, 0x90, 0xf4); /* mov [ebx], al */
    assert_exc(h, V_DB, 0, CODE + 2);
    g_assert_cmphex(env->dr[6] & (0xf | DR6_BS), ==, 2 | DR6_BS);
    harness_free(h);
}

/* ---- FWAIT ---- */

static void test_fwait(void)
{
    static const uint32_t cr0_bits[] = { CR0_MP_MASK | CR0_TS_MASK, CR0_TS_MASK,
                                         CR0_MP_MASK, 0 };

    for (size_t i = 0; i < G_N_ELEMENTS(cr0_bits); i++) {
        CPUHarness *h = harness_new(HARNESS_PROT32);

        h->env->cr[0] |= cr0_bits[i];
        RUN(h, 0x90, 0x9b, 0xf4);
        if (i == 0) {
            assert_exc(h, V_NM, 0, CODE + 1);
        } else {
            assert_clean_halt(h);
        }
        harness_free(h);
    }
}

/* ---- CPUID ---- */

static void cpuid(CPUHarness *h, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    h->env->regs[R_EAX] = 0xffffffff00000000ull | leaf;
    h->env->regs[R_ECX] = sub;
    h->env->regs[R_EBX] = h->env->regs[R_EDX] = ~0ull;
    RUN(h, 0x0f, 0xa2, 0xf4);
    r[0] = h->env->regs[R_EAX];
    r[1] = h->env->regs[R_EBX];
    r[2] = h->env->regs[R_ECX];
    r[3] = h->env->regs[R_EDX];
    /* 32-bit results, zero-extended in 64-bit mode. */
    for (int i = 0; i < 4; i++) {
        g_assert_cmphex(h->env->regs[i] >> 32, ==, 0);
    }
}

static void test_cpuid(void)
{
    CPUHarness *h = harness_new(HARNESS_LONG64);
    uint32_t r[4];
    char s[49] = "";

    cpuid(h, 0, 0, r);
    g_assert_cmphex(r[0], ==, 0xd);
    memcpy(s, &r[1], 4);
    memcpy(s + 4, &r[3], 4);
    memcpy(s + 8, &r[2], 4);
    s[12] = 0;
    g_assert_cmpstr(s, ==, "AuthenticAMD");

    cpuid(h, 1, 0, r);
    g_assert_cmphex(r[0], ==, 0x00060fb1); /* family 15, model 107 */
    g_assert_cmphex(r[1], ==, 0x00000800);
    g_assert_cmphex(r[2], ==, 0x80002001); /* pni cx16 hypervisor */
    g_assert_cmphex(r[3], ==, 0x078bfbfd);

    cpuid(h, 0x80000000, 0, r);
    g_assert_cmphex(r[0], ==, 0x8000000a);
    g_assert_cmphex(r[1], ==, 0x68747541); /* "Auth" */

    cpuid(h, 0x80000001, 0, r);
    g_assert_cmphex(r[0], ==, 0x00060fb1);
    g_assert_cmphex(r[2], ==, 0x00000001); /* lahf_lm */
    g_assert_cmphex(r[3], ==, 0x2193fbfd); /* syscall nx lm + AMD copies */

    for (uint32_t l = 0; l < 3; l++) {
        cpuid(h, 0x80000002 + l, 0, r);
        memcpy(s + 16 * l, r, 16);
    }
    s[48] = 0;
    g_assert_cmpstr(s, ==, "QEMU Virtual CPU version 2.5+");

    cpuid(h, 0x80000008, 0, r);
    g_assert_cmphex(r[0], ==, 0x3028);

    /* Leaves the model doesn't have: zeros (the highest basic leaf). */
    const uint32_t none[] = { 2,   4,          7,          0xd,
                              0xe, 0x40000000, 0x8000000b, 0xc0000000 };
    for (size_t i = 0; i < G_N_ELEMENTS(none); i++) {
        cpuid(h, none[i], 0, r);
        g_assert_cmphex(r[0] | r[1] | r[2] | r[3], ==, 0);
    }
    /* Topology: one thread, one core. */
    cpuid(h, 0xb, 0, r);
    g_assert_cmphex(r[1], ==, 1);
    g_assert_cmphex(r[2], ==, 0x100);
    cpuid(h, 0xb, 2, r);
    g_assert_cmphex(r[1], ==, 0);
    g_assert_cmphex(r[2], ==, 2);

    /* CPUID.1:EDX.APIC follows IA32_APIC_BASE.EN. */
    h->env->apic_base &= ~(1ull << 11);
    cpuid(h, 1, 0, r);
    g_assert_false(r[3] & (1 << 9));
    cpuid(h, 0x80000001, 0, r);
    g_assert_false(r[3] & (1 << 9));
    harness_free(h);

    /* CPUID is not privileged. */
    h = harness_new(HARNESS_PROT32);
    harness_enter_ring3(h);
    h->env->regs[R_EAX] = 0;
    RUN(h, 0x0f, 0xa2, 0x0f, 0x0b);
    assert_exc(h, V_UD, 0, CODE + 2);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0xd);
    harness_free(h);
}

/* ---- RDTSC ---- */

static void test_rdtsc(void)
{
    /* nop; nop; rdtsc; mov ebx, eax; mov ecx, edx; nop; rdtsc; hlt */
    static const uint8_t code[] = { 0x90, 0x90, 0x0f, 0x31, 0x89, 0xc3,
                                    0x89, 0xd1, 0x90, 0x0f, 0x31, 0xf4 };
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;

    /* TSC = instructions retired before the RDTSC. */
    run_bytes(h, code, sizeof(code));
    assert_clean_halt(h);
    g_assert_cmphex(env->regs[R_EBX], ==, 2);
    g_assert_cmphex(env->regs[R_ECX], ==, 0);
    g_assert_cmphex(env->regs[R_EAX], ==, 6);
    g_assert_cmphex(env->regs[R_EDX], ==, 0);

    /* The same program again, one instruction per cpu_exec: the values
     * follow the count, not how it was split. */
    harness_set_code(h, code, sizeof(code));
    for (int i = 0; i < 8; i++) {
        g_assert_cmpint(harness_run(h, 1), ==, 1);
    }
    g_assert_cmphex(env->regs[R_EBX], ==, 8 + 2);
    g_assert_cmphex(env->regs[R_EAX], ==, 8 + 6);
    g_assert_cmphex(cpu_get_tsc(env), ==, 16);
    harness_free(h);

    /* WRMSR to the TSC sets it; it goes on counting from there. */
    h = harness_new(HARNESS_PROT32);
    env = h->env;
    RUN(h, 0xb9, I32(0x10), 0xb8, I32(0xfffffffe), 0xba, I32(1), /* 3 */
        0x0f, 0x30,                                              /* wrmsr */
        0x90,                                                    /* nop */
        0x0f, 0x31,                                              /* rdtsc */
        0x89, 0xc3, 0x89, 0xd6,                                  /* ebx esi */
        0x0f, 0x32,                                              /* rdmsr */
        0xf4);
    g_assert_cmphex(env->regs[R_EBX], ==, 0); /* 0x1fffffffe + 2 */
    g_assert_cmphex(env->regs[R_ESI], ==, 2);
    g_assert_cmphex(env->regs[R_EAX], ==, 3); /* + 5 */
    g_assert_cmphex(env->regs[R_EDX], ==, 2);
    harness_free(h);

    /* CR4.TSD: CPL 3 gets #GP(0), CPL 0 is fine. */
    h = harness_new(HARNESS_PROT32);
    h->env->cr[4] |= CR4_TSD_MASK;
    harness_enter_ring3(h);
    RUN(h, 0x0f, 0x31, 0xf4);
    assert_exc(h, V_GP, 0, CODE);
    harness_free(h);
    h = harness_new(HARNESS_PROT32);
    h->env->cr[4] |= CR4_TSD_MASK;
    RUN(h, 0x0f, 0x31, 0xf4);
    assert_clean_halt(h);
    harness_free(h);
}

static void test_rdpmc(void)
{
    static const FaultCase cases[] = {
        { "rdpmc at CPL 0",
          HARNESS_PROT32,
          false,
          { 0x0f, 0x33, 0xf4 },
          3,
          0,
          V_GP },
        { "rdpmc at CPL 3",
          HARNESS_PROT32,
          true,
          { 0x0f, 0x33, 0xf4 },
          3,
          0,
          V_GP },
    };

    run_fault_cases(cases, G_N_ELEMENTS(cases));
}

/* ---- MSRs ---- */

/* wrmsr(msr, val) then rdmsr: returns EDX:EAX; *fault gets the vector
 * (or -1). */
static uint64_t msr_roundtrip(HarnessMode mode, uint32_t msr, uint64_t val,
                              int *fault, CPUHarness **keep)
{
    uint8_t code[] = { 0xb9, I32(msr),       0xb8, I32(val),
                       0xba, I32(val >> 32), 0x0f, 0x30, /* wrmsr */
                       0x31, 0xc0,           0x31, 0xd2, /* xor eax, edx */
                       0x0f, 0x32,                       /* rdmsr */
                       0xf4 };
    CPUHarness *h = harness_new(mode);
    int v;
    uint32_t ec;
    uint64_t eip, r;

    run_bytes(h, code, sizeof(code));
    *fault = -1;
    if (harness_exception(h, &v, &ec, &eip)) {
        g_assert_cmphex(ec, ==, 0);
        g_assert_cmphex(eip, ==, CODE + 15);
        *fault = v;
    }
    r = (uint32_t)h->env->regs[R_EAX] | h->env->regs[R_EDX] << 32;
    if (keep) {
        *keep = h;
    } else {
        harness_free(h);
    }
    return r;
}

static void test_msr_roundtrip(void)
{
    static const struct {
        uint32_t msr;
        uint64_t val, read;
    } cases[] = {
        { MSR_STAR, 0x0023001000000000ull, 0x0023001000000000ull },
        { MSR_LSTAR, 0xffffffff81000000ull, 0xffffffff81000000ull },
        { MSR_CSTAR, 0xffffffff81000100ull, 0xffffffff81000100ull },
        { MSR_FMASK, 0x47700, 0x47700 },
        { MSR_IA32_SYSENTER_CS, 0x10, 0x10 },
        { MSR_IA32_SYSENTER_ESP, 0xc0001000, 0xc0001000 },
        { MSR_IA32_SYSENTER_EIP, 0xc0002000, 0xc0002000 },
        { MSR_PAT, 0x0007010600070106ull, 0x0007010600070106ull },
        { MSR_MTRRdefType, 0xc06, 0xc06 },
        { MSR_MTRRphysBase(0), 0x80000006, 0x80000006 },
        { MSR_MTRRphysMask(7), 0xff80000800ull, 0xff80000800ull },
        { MSR_MTRRfix64K_00000, 0x0606060606060606ull, 0x0606060606060606ull },
        { MSR_MTRRfix16K_A0000, 0x0101010101010101ull, 0x0101010101010101ull },
        { MSR_MTRRfix4K_C0000 + 7, 0x0504050405040504ull,
          0x0504050405040504ull },
        { MSR_TSC_AUX, 0x12, 0x12 },
        { MSR_KERNELGSBASE, 0xffff888000000000ull, 0xffff888000000000ull },
        { MSR_IA32_MISC_ENABLE, 0x1, 0x1 },
        { MSR_IA32_APICBASE, 0xfee00800, 0xfee00800 },
        { MSR_MCG_STATUS, 0x5, 0x5 },
        { MSR_EFER, EFER_SCE | EFER_NXE, EFER_SCE | EFER_NXE },
        { 0x401, 0x1234, 0 },    /* MC0_STATUS: reads as zero */
        { 0x8b, 0, 0x01000065 }, /* microcode revision */
    };
    int fault;

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        uint64_t r = msr_roundtrip(HARNESS_PROT32, cases[i].msr, cases[i].val,
                                   &fault, NULL);
        if (g_test_verbose()) {
            g_test_message("msr 0x%x", cases[i].msr);
        }
        g_assert_cmpint(fault, ==, -1);
        g_assert_cmphex(r, ==, cases[i].read);
    }
}

static void test_msr_faults(void)
{
    static const struct {
        uint32_t msr;
        uint64_t val;
    } bad[] = {
        { MSR_PAT, 0x0007040600070402ull }, /* type 2 */
        { MSR_PAT, 0x0807040600070406ull }, /* type 8 */
        { MSR_MTRRdefType, 0x1006 },        /* reserved bit 12 */
        { MSR_MTRRdefType, 0x0c07 },        /* type 7 (UC-) */
        { MSR_MTRRcap, 0x508 },             /* read-only */
        { MSR_MCG_CAP, 0 },                 /* read-only */
        { MSR_MCG_STATUS, 0x8 },
        { MSR_MTRRphysMask(0), 0xff80000801ull },
        { MSR_MTRRphysBase(0), 0x10000000006ull }, /* above 40 bits */
        { MSR_MTRRfix4K_C0000, 0x0206060606060606ull },
        { MSR_EFER, 0x2 },                    /* reserved */
        { MSR_EFER, 0x1000 },                 /* SVME: no SVM */
        { MSR_LSTAR, 0x0000800000000000ull }, /* not canonical */
        { MSR_FSBASE, 0x0000800000000000ull },
        { MSR_IA32_SYSENTER_EIP, 0x0001000000000000ull },
        { MSR_FMASK, 0x100000000ull },
        { MSR_IA32_APICBASE, 0xfee00c00 },       /* x2APIC mode */
        { MSR_IA32_APICBASE, 0x100fee00800ull }, /* above 40 bits */
        { MSR_TSC_AUX, 0x100000000ull },
        { 0xc0010015, 0 }, /* not in the model */
        { 0x12345678, 0 },
        { 0x800, 0 }, /* x2APIC: not in qemu64 */
    };
    CPUHarness *h;
    int fault;

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        uint64_t old;
        if (g_test_verbose()) {
            g_test_message("msr 0x%x <- 0x%" PRIx64, bad[i].msr, bad[i].val);
        }
        msr_roundtrip(HARNESS_PROT32, bad[i].msr, bad[i].val, &fault, &h);
        g_assert_cmpint(fault, ==, V_GP);
        /* Nothing changed: a fresh CPU reads the same value. */
        old = h->env->pat;
        g_assert_cmphex(old, ==, 0x0007040600070406ull);
        g_assert_cmphex(h->env->efer, ==, 0);
        g_assert_cmphex(h->env->mtrr_deftype, ==, 0);
        harness_free(h);
    }

    /* RDMSR of an unknown MSR, and RDMSR/WRMSR at CPL 3: #GP(0). */
    h = harness_new(HARNESS_PROT32);
    RUN(h, 0xb9, I32(0xc0010015), 0x0f, 0x32, 0xf4);
    assert_exc(h, V_GP, 0, CODE + 5);
    harness_free(h);
    h = harness_new(HARNESS_PROT32);
    harness_enter_ring3(h);
    RUN(h, 0xb9, I32(0x10), 0x0f, 0x32, 0xf4);
    assert_exc(h, V_GP, 0, CODE + 5);
    harness_free(h);
    h = harness_new(HARNESS_PROT32);
    harness_enter_ring3(h);
    RUN(h, 0xb9, I32(MSR_STAR), 0x0f, 0x30, 0xf4);
    assert_exc(h, V_GP, 0, CODE + 5);
    g_assert_cmphex(h->env->star, ==, 0);
    harness_free(h);
}

static void test_msr_fixed_values(void)
{
    CPUHarness *h = harness_new(HARNESS_LONG64);
    CPUX86State *env = h->env;
    uint64_t q = 0x1122334455667788ull;

    /* MTRRcap, MCG_CAP; RDMSR zero-extends into RAX and RDX. */
    env->regs[R_EAX] = env->regs[R_EDX] = ~0ull;
    RUN(h, 0xb9, I32(MSR_MTRRcap), 0x0f, 0x32, 0x48, 0x89, 0xc3, /* rbx */
        0xb9, I32(MSR_MCG_CAP), 0x0f, 0x32, 0xf4);
    g_assert_cmphex(env->regs[R_EBX], ==, 0x508);
    g_assert_cmphex(env->regs[R_EAX], ==, 0);
    g_assert_cmphex(env->regs[R_EDX], ==, 0);

    /* FS_BASE and GS_BASE are the segment bases. */
    harness_write(h, HARNESS_DATA, &q, 8);
    RUN(h, 0xb9, I32(MSR_FSBASE), 0xb8, I32(HARNESS_DATA), 0x31, 0xd2, 0x0f,
        0x30,                                 /* wrmsr */
        0x64, 0x48, 0x8b, 0x1c, 0x25, I32(0), /* rbx, fs:[0] */
        0xb9, I32(MSR_GSBASE), 0x0f, 0x30,    /* gs too */
        0xf4);
    g_assert_cmphex(env->segs[R_FS].base, ==, HARNESS_DATA);
    g_assert_cmphex(env->segs[R_GS].base, ==, HARNESS_DATA);
    g_assert_cmphex(env->regs[R_EBX], ==, q);
    harness_free(h);
}

/* ---- SYSENTER / SYSEXIT ---- */

static void test_sysenter_sysexit(void)
{
    static const uint8_t user[] = { 0x0f, 0x34 };
    static const uint8_t kernel[] = { 0xb9, I32(0x6000),       /* ecx */
                                      0xba, I32(CODE + 0x200), /* edx */
                                      0x0f, 0x35 };            /* sysexit */
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;

    harness_write(h, CODE + 0x100, kernel, sizeof(kernel));
    env->sysenter_cs = 0x08;
    env->sysenter_esp = 0x50000;
    env->sysenter_eip = CODE + 0x100;
    harness_enter_ring3(h);
    cpu_load_eflags(env, IF_MASK, IF_MASK);
    harness_set_code(h, user, sizeof(user));
    g_assert_cmpint(harness_run(h, 1), ==, 1);
    g_assert_cmphex(env->segs[R_CS].selector, ==, 0x08);
    g_assert_cmphex(env->segs[R_SS].selector, ==, 0x10);
    g_assert_cmpint(cpu_cpl(env), ==, 0);
    g_assert_cmphex(env->regs[R_ESP], ==, 0x50000);
    g_assert_cmphex(env->eip, ==, CODE + 0x100);
    g_assert_false(env->eflags & IF_MASK);
    g_assert_true(env->hflags & HF_CS32_MASK);
    g_assert_cmpint(harness_run(h, 3), ==, 3);
    g_assert_cmphex(env->segs[R_CS].selector, ==, 0x1b);
    g_assert_cmphex(env->segs[R_SS].selector, ==, 0x23);
    g_assert_cmpint(cpu_cpl(env), ==, 3);
    g_assert_cmphex((env->segs[R_CS].flags >> DESC_DPL_SHIFT) & 3, ==, 3);
    g_assert_cmphex(env->regs[R_ESP], ==, 0x6000);
    g_assert_cmphex(env->eip, ==, CODE + 0x200);
    g_assert_true(env->hflags & HF_CS32_MASK);
    g_assert_true(env->hflags & HF_SS32_MASK);
    harness_free(h);

    /* SYSENTER_CS = 0: #GP(0).  Real mode: #GP.  Long mode on an AMD
     * model: #UD.  SYSEXIT at CPL 3: #GP(0). */
    h = harness_new(HARNESS_PROT32);
    RUN(h, 0x0f, 0x34);
    assert_exc(h, V_GP, 0, CODE);
    harness_free(h);
    h = harness_new(HARNESS_REAL);
    h->env->sysenter_cs = 0x08;
    RUN(h, 0x0f, 0x34);
    assert_exc(h, V_GP, 0, 0x7c00);
    harness_free(h);
    h = harness_new(HARNESS_LONG64);
    h->env->sysenter_cs = 0x08;
    RUN(h, 0x0f, 0x34);
    assert_exc(h, V_UD, 0, CODE);
    harness_free(h);
    h = harness_new(HARNESS_PROT32);
    h->env->sysenter_cs = 0x08;
    harness_enter_ring3(h);
    RUN(h, 0x0f, 0x35);
    assert_exc(h, V_GP, 0, CODE);
    harness_free(h);
}

/* ---- SYSCALL / SYSRET / SWAPGS ---- */

static void test_syscall_sysret64(void)
{
    static const uint8_t user[] = { 0x0f, 0x05, 0x90, 0xf4 };
    static const uint8_t kernel[] = { 0x0f, 0x01, 0xf8,   /* swapgs */
                                      0x0f, 0x01, 0xf8,   /* swapgs */
                                      0x48, 0x0f, 0x07 }; /* sysretq */
    CPUHarness *h = harness_new(HARNESS_LONG64);
    CPUX86State *env = h->env;
    uint32_t r11;

    harness_write(h, CODE + 0x100, kernel, sizeof(kernel));
    env->efer |= EFER_SCE;
    env->star = (0x40ull << 48) | (0x48ull << 32);
    env->lstar = CODE + 0x100;
    env->fmask = IF_MASK | TF_MASK;
    env->kernelgsbase = 0x5000;
    harness_enter_ring3(h);
    env->segs[R_GS].base = 0x7000;
    cpu_load_eflags(env, IF_MASK | CC_C, IF_MASK | CC_C);
    harness_set_code(h, user, sizeof(user));

    g_assert_cmpint(harness_run(h, 1), ==, 1);
    g_assert_cmphex(env->regs[R_ECX], ==, CODE + 2);
    r11 = env->regs[R_R11];
    g_assert_cmphex(r11, ==, IF_MASK | CC_C | EFLAGS_FIXED);
    g_assert_cmphex(env->eip, ==, CODE + 0x100);
    g_assert_cmphex(env->segs[R_CS].selector, ==, 0x48);
    g_assert_cmphex(env->segs[R_SS].selector, ==, 0x50);
    g_assert_cmpint(cpu_cpl(env), ==, 0);
    g_assert_true(env->hflags & HF_CS64_MASK);
    g_assert_false(env->eflags & IF_MASK);
    g_assert_true(cpu_compute_eflags(env) & CC_C);

    g_assert_cmpint(harness_run(h, 1), ==, 1);
    g_assert_cmphex(env->segs[R_GS].base, ==, 0x5000);
    g_assert_cmphex(env->kernelgsbase, ==, 0x7000);

    g_assert_cmpint(harness_run(h, 2), ==, 2);
    g_assert_cmphex(env->segs[R_GS].base, ==, 0x7000);
    g_assert_cmphex(env->segs[R_CS].selector, ==, 0x53);
    g_assert_cmphex(env->segs[R_SS].selector, ==, 0x4b);
    g_assert_cmpint(cpu_cpl(env), ==, 3);
    g_assert_true(env->hflags & HF_CS64_MASK);
    g_assert_cmphex(env->eip, ==, CODE + 2);
    g_assert_true(env->eflags & IF_MASK);
    g_assert_true(cpu_compute_eflags(env) & CC_C);
    harness_free(h);

    /* SYSRET without REX.W returns to 32-bit compatibility-mode code. */
    h = harness_new(HARNESS_LONG64);
    env = h->env;
    env->efer |= EFER_SCE;
    env->star = 0x40ull << 48;
    env->regs[R_ECX] = 0xffffffff00001234ull;
    env->regs[R_R11] = EFLAGS_FIXED;
    harness_set_code(h, (const uint8_t[]){ 0x0f, 0x07 }, 2);
    g_assert_cmpint(harness_run(h, 1), ==, 1);
    g_assert_cmphex(env->segs[R_CS].selector, ==, 0x43);
    g_assert_cmphex(env->segs[R_SS].selector, ==, 0x4b);
    g_assert_false(env->hflags & HF_CS64_MASK);
    g_assert_true(env->hflags & HF_CS32_MASK);
    g_assert_cmphex(env->eip, ==, 0x1234);
    harness_free(h);
}

static void test_syscall_faults(void)
{
    static const FaultCase cases[] = {
        { "syscall without EFER.SCE",
          HARNESS_LONG64,
          false,
          { 0x0f, 0x05, 0xf4 },
          3,
          0,
          V_UD },
        { "sysret without EFER.SCE",
          HARNESS_LONG64,
          false,
          { 0x48, 0x0f, 0x07, 0xf4 },
          4,
          0,
          V_UD },
        { "swapgs at CPL 3",
          HARNESS_LONG64,
          true,
          { 0x0f, 0x01, 0xf8, 0xf4 },
          4,
          0,
          V_GP },
        { "swapgs outside 64-bit mode",
          HARNESS_PROT32,
          false,
          { 0x0f, 0x01, 0xf8, 0xf4 },
          4,
          0,
          V_UD },
    };
    CPUHarness *h;

    run_fault_cases(cases, G_N_ELEMENTS(cases));

    /* SYSRET at CPL 3 with SCE set: #GP(0). */
    h = harness_new(HARNESS_LONG64);
    h->env->efer |= EFER_SCE;
    harness_enter_ring3(h);
    RUN(h, 0x48, 0x0f, 0x07, 0xf4);
    assert_exc(h, V_GP, 0, CODE);
    harness_free(h);
}

/* Legacy-mode SYSCALL/SYSRET (AMD): STAR[31:0] is the entry point. */
static void test_syscall_legacy(void)
{
    static const uint8_t user[] = { 0x0f, 0x05, 0x90 };
    static const uint8_t kernel[] = { 0x0f, 0x07 };
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;

    harness_write(h, CODE + 0x100, kernel, sizeof(kernel));
    env->efer |= EFER_SCE;
    env->star = (0x18ull << 48) | (0x08ull << 32) | (CODE + 0x100);
    harness_enter_ring3(h);
    cpu_load_eflags(env, IF_MASK, IF_MASK);
    harness_set_code(h, user, sizeof(user));
    g_assert_cmpint(harness_run(h, 1), ==, 1);
    g_assert_cmphex(env->eip, ==, CODE + 0x100);
    g_assert_cmphex(env->regs[R_ECX], ==, CODE + 2);
    g_assert_cmphex(env->segs[R_CS].selector, ==, 0x08);
    g_assert_cmphex(env->segs[R_SS].selector, ==, 0x10);
    g_assert_cmpint(cpu_cpl(env), ==, 0);
    g_assert_false(env->eflags & IF_MASK);
    g_assert_cmpint(harness_run(h, 1), ==, 1);
    g_assert_cmphex(env->eip, ==, CODE + 2);
    g_assert_cmphex(env->segs[R_CS].selector, ==, 0x1b);
    g_assert_cmphex(env->segs[R_SS].selector, ==, 0x23);
    g_assert_cmpint(cpu_cpl(env), ==, 3);
    g_assert_true(env->eflags & IF_MASK);
    harness_free(h);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cpu/sys/cr/roundtrip", test_cr_roundtrip);
    g_test_add_func("/cpu/sys/cr/faults", test_cr_faults);
    g_test_add_func("/cpu/sys/cr/cr8", test_cr8);
    g_test_add_func("/cpu/sys/cr/long-mode", test_enter_long_mode);
    g_test_add_func("/cpu/sys/invlpg", test_invlpg);
    g_test_add_func("/cpu/sys/privileged-faults", test_invlpg_faults);
    g_test_add_func("/cpu/sys/clts-invd", test_clts_invd);
    g_test_add_func("/cpu/sys/lmsw-smsw", test_lmsw_smsw);
    g_test_add_func("/cpu/sys/descriptor-tables", test_descriptor_tables);
    g_test_add_func("/cpu/sys/descriptor-tables64", test_descriptor_tables64);
    g_test_add_func("/cpu/sys/dr/moves", test_dr_moves);
    g_test_add_func("/cpu/sys/dr/faults", test_dr_faults);
    g_test_add_func("/cpu/sys/dr/general-detect", test_dr_general_detect);
    g_test_add_func("/cpu/sys/dr/fault-rf", test_fault_pushes_rf);
    g_test_add_func("/cpu/sys/dr/insn-breakpoint", test_insn_breakpoint);
    g_test_add_func("/cpu/sys/dr/insn-breakpoint-rep",
                    test_insn_breakpoint_rep);
    g_test_add_func("/cpu/sys/dr/insn-breakpoint64", test_insn_breakpoint64);
    g_test_add_func("/cpu/sys/dr/data-breakpoint", test_data_breakpoint);
    g_test_add_func("/cpu/sys/dr/data-breakpoint-details",
                    test_data_breakpoint_details);
    g_test_add_func("/cpu/sys/dr/single-step", test_single_step);
    g_test_add_func("/cpu/sys/dr/single-step-mov-ss", test_single_step_mov_ss);
    g_test_add_func("/cpu/sys/dr/single-step-data",
                    test_single_step_and_data_bp);
    g_test_add_func("/cpu/sys/fwait", test_fwait);
    g_test_add_func("/cpu/sys/cpuid", test_cpuid);
    g_test_add_func("/cpu/sys/rdtsc", test_rdtsc);
    g_test_add_func("/cpu/sys/rdpmc", test_rdpmc);
    g_test_add_func("/cpu/sys/msr/roundtrip", test_msr_roundtrip);
    g_test_add_func("/cpu/sys/msr/faults", test_msr_faults);
    g_test_add_func("/cpu/sys/msr/fixed", test_msr_fixed_values);
    g_test_add_func("/cpu/sys/sysenter", test_sysenter_sysexit);
    g_test_add_func("/cpu/sys/syscall64", test_syscall_sysret64);
    g_test_add_func("/cpu/sys/syscall-faults", test_syscall_faults);
    g_test_add_func("/cpu/sys/syscall-legacy", test_syscall_legacy);
    return g_test_run();
}
