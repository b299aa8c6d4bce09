/*
 * Helpers for the segmentation unit tests (test-cpu-seg.c, -task.c,
 * -segsys.c) on the CPU harness: code blobs assembled by the host
 * assembler (.code16/.code32/.code64) and copied into guest memory, a
 * GDT with the descriptors the tests use, gates, TSSs, and checks of the
 * exception a run ended in (vector and error code).
 */
#ifndef TESTS_UNIT_CPU_SEG_UTIL_H
#define TESTS_UNIT_CPU_SEG_UTIL_H
#include "qemu/osdep.h"
#include "tests/unit/cpu-harness.h"

#define BLOB(name, text)                                             \
    extern const uint8_t name##_start[], name##_end[];               \
    __asm__(".pushsection .rodata\n.code32\n" #name "_start:\n" text \
            "\n" #name "_end:\n.code64\n.popsection\n")
#define CODE(name) name##_start, (size_t)(name##_end - name##_start)

/* Far returns, for the frames the tests build on the stack. */
BLOB(b_lret, "lret");
BLOB(b_lret8, "lret $8");
BLOB(b_iret, "iret");
BLOB(b_iretw, "iretw");

/* ---- guest memory layout of these tests (see cpu-harness.h) ---- */
#define TARGET   0x110000 /* far-transfer targets */
#define TARGET16 0x6000   /* targets reachable with 16-bit offsets */
#define SPIN     0x6100   /* "jmp ." for handlers that must not halt */
#define V86_CODE 0x7000   /* v86 code, CS = 0x0700 */
#define DATA     0x200000
#define TSS_A    0x210000
#define TSS_B    0x211000
#define TSS_C    0x212000
#define LDT_ADDR 0x220000
#define STACK3   0x50000 /* ring-3 stack */
#define STACK_B  0x40000 /* the new task's stack */

/* ---- descriptor bits (the high dword) ---- */
#define A_A      0x000100
#define A_W      0x000200 /* data: writable; code: readable */
#define A_R      0x000200
#define A_E      0x000400 /* data: expand-down; code: conforming */
#define A_C      0x000400
#define A_CODE   0x000800
#define A_S      0x001000
#define A_DPL(n) ((n) << 13)
#define A_P      0x008000
#define A_D      0x400000
#define A_G      0x800000
#define DATA_RW  (A_P | A_S | A_W)
#define CODE_RX  (A_P | A_S | A_CODE | A_R)
#define SYS(t)   (A_P | ((t) << 8))

#define SEL(i) ((i) << 3)

/* GDT slots used here (the harness uses 0-10). */
enum {
    G_DATA = 16,  /* 4 GiB read/write data, DPL 0 */
    G_DATA_NP,    /* not present */
    G_XONLY,      /* execute-only code */
    G_RONLY,      /* read-only data */
    G_DATA3,      /* data, DPL 3 */
    G_CONF0,      /* conforming readable code, DPL 0 */
    G_CONF3,      /* conforming code, DPL 3 */
    G_CODE0,      /* 32-bit code, DPL 0 */
    G_CODE_NP,    /* code, not present */
    G_CODE3,      /* 32-bit code, DPL 3 */
    G_CODE_SMALL, /* code, DPL 0, limit 0xffff */
    G_EXPDOWN16,  /* expand-down, B = 0, limit 0xfff */
    G_EXPDOWN32,  /* expand-down, B = 1, limit 0xfff */
    G_SMALL_DATA, /* data, limit 0xfff, byte granular */
    G_DATA1,      /* data DPL 1 */
    G_CODE1,      /* code DPL 1 */
    G_INTGATE,    /* an interrupt gate (not valid in the GDT) */
    G_GATE = 40,  /* call gates from here */
    G_TSS_A = 64,
    G_TSS_B,
    G_TSS_C,
    G_TASK_GATE,
    G_LDT,
    G_LDT_NP,
    G_TSS16,
    G_TSS_AVAIL,
};

static inline uint32_t rd32(CPUHarness *h, uint64_t a)
{
    uint32_t v = 0;

    harness_read(h, a, &v, 4);
    return v;
}

static inline uint16_t rd16(CPUHarness *h, uint64_t a)
{
    uint16_t v = 0;

    harness_read(h, a, &v, 2);
    return v;
}

static inline void wr32(CPUHarness *h, uint64_t a, uint32_t v)
{
    harness_write(h, a, &v, 4);
}

static inline void wr16(CPUHarness *h, uint64_t a, uint16_t v)
{
    harness_write(h, a, &v, 2);
}

static inline void wr8(CPUHarness *h, uint64_t a, uint8_t v)
{
    harness_write(h, a, &v, 1);
}

/* A code/data or system descriptor in GDT slot index. */
static inline void set_desc(CPUHarness *h, int index, uint32_t base,
                            uint32_t limit, uint32_t flags)
{
    uint32_t lo = (base << 16) | (limit & 0xffff);
    uint32_t hi =
        (base & 0xff000000) | ((base >> 16) & 0xff) | (limit & 0xf0000) | flags;

    wr32(h, HARNESS_GDT + index * 8, lo);
    wr32(h, HARNESS_GDT + index * 8 + 4, hi);
}

static inline uint32_t desc_hi(CPUHarness *h, int index)
{
    return rd32(h, HARNESS_GDT + index * 8 + 4);
}

/* A gate (call gate 4/12, task gate 5, interrupt/trap gate 6/7/14/15). */
static inline void set_gate_at(CPUHarness *h, uint64_t addr, uint32_t sel,
                               uint32_t off, int type, int dpl, bool present,
                               int count)
{
    wr32(h, addr, (sel << 16) | (off & 0xffff));
    wr32(h, addr + 4,
         (off & 0xffff0000) | (present ? A_P : 0) | A_DPL(dpl) | (type << 8) |
             count);
}

static inline void set_gate(CPUHarness *h, int index, uint32_t sel,
                            uint32_t off, int type, int dpl, int count)
{
    set_gate_at(h, HARNESS_GDT + index * 8, sel, off, type, dpl, true, count);
}

static inline void set_idt(CPUHarness *h, int vector, uint32_t sel,
                           uint32_t off, int type, int dpl, bool present)
{
    set_gate_at(h, HARNESS_IDT + vector * 8, sel, off, type, dpl, present, 0);
}

static inline CPUHarness *prot(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);

    h->env->gdt.limit = 0x7ff; /* 256 descriptors */
    set_desc(h, G_DATA, 0, 0xfffff, DATA_RW | A_G | A_D);
    set_desc(h, G_DATA_NP, 0, 0xfffff, (DATA_RW & ~A_P) | A_G | A_D);
    set_desc(h, G_XONLY, 0, 0xfffff, A_P | A_S | A_CODE | A_G | A_D);
    set_desc(h, G_RONLY, 0, 0xfffff, A_P | A_S | A_G | A_D);
    set_desc(h, G_DATA3, 0, 0xfffff, DATA_RW | A_DPL(3) | A_G | A_D);
    set_desc(h, G_CONF0, 0, 0xfffff, CODE_RX | A_C | A_G | A_D);
    set_desc(h, G_CONF3, 0, 0xfffff, CODE_RX | A_C | A_DPL(3) | A_G | A_D);
    set_desc(h, G_CODE0, 0, 0xfffff, CODE_RX | A_G | A_D);
    set_desc(h, G_CODE_NP, 0, 0xfffff, (CODE_RX & ~A_P) | A_G | A_D);
    set_desc(h, G_CODE3, 0, 0xfffff, CODE_RX | A_DPL(3) | A_G | A_D);
    set_desc(h, G_CODE_SMALL, 0, 0xffff, CODE_RX | A_D);
    set_desc(h, G_EXPDOWN16, DATA, 0xfff, DATA_RW | A_E);
    set_desc(h, G_EXPDOWN32, DATA, 0xfff, DATA_RW | A_E | A_D);
    set_desc(h, G_SMALL_DATA, DATA, 0xfff, DATA_RW | A_D);
    set_desc(h, G_DATA1, 0, 0xfffff, DATA_RW | A_DPL(1) | A_G | A_D);
    set_desc(h, G_CODE1, 0, 0xfffff, CODE_RX | A_DPL(1) | A_G | A_D);
    /* hlt at the targets, jmp . at SPIN */
    wr8(h, TARGET, 0xf4);
    wr8(h, TARGET16, 0xf4);
    wr16(h, SPIN, 0xfeeb);
    wr8(h, TARGET + 0x20, 0xcc); /* int3 for ring-3 targets */
    set_desc(h, G_LDT, LDT_ADDR, 0x17, SYS(2));
    set_gate(h, G_INTGATE, 0x08, TARGET, 14, 0, 0);
    return h;
}

/* Runs to HLT (a stub's or the code's). */
static inline void run(CPUHarness *h)
{
    harness_run_to_halt(h, 10000);
}

static inline void check_exc(CPUHarness *h, int vector, uint32_t err)
{
    int v;
    uint32_t ec;
    uint64_t eip;

    g_assert_true(harness_exception(h, &v, &ec, &eip));
    g_assert_cmpint(v, ==, vector);
    g_assert_cmphex(ec, ==, err);
}

/* The exception's saved EIP. */
static inline uint64_t exc_eip(CPUHarness *h)
{
    int v;
    uint32_t ec;
    uint64_t eip;

    g_assert_true(harness_exception(h, &v, &ec, &eip));
    return eip;
}

/* Halted by the HLT at addr (not in a stub). */
static inline void check_halt_at(CPUHarness *h, uint64_t addr)
{
    int v;
    uint32_t ec;
    uint64_t eip;

    if (harness_exception(h, &v, &ec, &eip) && addr + 1 != h->env->eip) {
        g_test_message("unexpected exception %d error %#x at %#" PRIx64, v, ec,
                       eip);
    }
    g_assert_true(h->env->halted);
    g_assert_cmphex(h->env->segs[R_CS].base + h->env->eip, ==, addr + 1);
}

/*
 * Reached the HLT at addr: halted there at CPL 0; at CPL 3 the HLT is a
 * #GP(0) fault that saved addr.
 */
static inline void check_end(CPUHarness *h, uint64_t addr, bool ring3)
{
    if (ring3) {
        check_exc(h, EXCP0D_GPF, 0);
        g_assert_cmphex(exc_eip(h), ==, addr);
    } else {
        check_halt_at(h, addr);
    }
}

static inline bool zf(CPUHarness *h)
{
    return cpu_cc_compute_all(h->env) & CC_Z;
}

BLOB(b_ljmp_m, "ljmp *(%ebx)\n hlt");

BLOB(b_lcall_m, "lcall *(%ebx)\n hlt");

BLOB(b_v86_int, ".code16\n mov (0), %ax\n mov %ss:(0x10), %bx\n int $0x21");

/* Enters v86 mode by IRET from ring 0 at V86_CODE with v86 code. */
static inline CPUHarness *v86_enter(const uint8_t *code, size_t len,
                                    uint32_t iopl)
{
    CPUHarness *h = prot();
    uint32_t f[9] = {
        0,                            /* EIP */
        V86_CODE >> 4,                /* CS */
        VM_MASK | (iopl << 12) | 0x2, /* EFLAGS */
        0x0ffc,                       /* ESP */
        0x0600,                       /* SS */
        0x0020,
        0x0030,
        0x0040,
        0x0050, /* ES DS FS GS */
    };

    harness_write(h, V86_CODE, code, len);
    for (int i = 0; i < 9; i++) {
        wr32(h, 0x6f000 + 4 * i, f[i]);
    }
    h->env->regs[R_ESP] = 0x6f000;
    harness_set_code(h, CODE(b_iret));
    return h;
}

/* Makes the faults of vector v land on a conforming DPL 0 "jmp ." so
 * that a fault from ring 3 needs no stack switch. */
static inline void spin_handler(CPUHarness *h, int v)
{
    set_idt(h, v, SEL(G_CONF0), SPIN, 14, 3, true);
}

/* Runs until the spin handler; returns the error code it got. */
static inline uint32_t spin_error(CPUHarness *h)
{
    g_assert_cmphex(h->env->eip, ==, SPIN);
    return rd32(h, h->env->regs[R_ESP]);
}

static inline void prep_ss0_null(CPUHarness *h)
{
    wr32(h, HARNESS_TSS + 8, 0);
}

static inline void prep_ss0_rpl(CPUHarness *h)
{
    wr32(h, HARNESS_TSS + 8, SEL(G_DATA) | 1);
}

static inline void prep_ss0_ronly(CPUHarness *h)
{
    wr32(h, HARNESS_TSS + 8, SEL(G_RONLY));
}

static inline void prep_ss0_dpl(CPUHarness *h)
{
    wr32(h, HARNESS_TSS + 8, SEL(G_DATA1));
}

static inline void prep_ss0_np(CPUHarness *h)
{
    wr32(h, HARNESS_TSS + 8, SEL(G_DATA_NP));
}

static inline void prep_ss0_room(CPUHarness *h)
{
    /* A 4 KiB stack with ESP0 = 16: a 20- or 24-byte frame does not fit. */
    wr32(h, HARNESS_TSS + 8, SEL(G_SMALL_DATA));
    wr32(h, HARNESS_TSS + 4, 16);
}

static inline void prep_tr_limit(CPUHarness *h)
{
    h->env->tr.limit = 8; /* SS0 at 8-9 is outside */
}

typedef struct TssInit {
    uint32_t eip, eflags, esp, cs, ss, ds, ldt, cr3;
    bool trap;
} TssInit;

/* A 32-bit TSS at base: EAX..EDI = 0xa0a0a000 + i, the rest from t. */
static inline void tss32_init(CPUHarness *h, uint32_t base, const TssInit *t)
{
    for (int i = 0; i < 0x68; i += 4) {
        wr32(h, base + i, 0);
    }
    wr32(h, base + 0x1c, t->cr3);
    wr32(h, base + 0x20, t->eip);
    wr32(h, base + 0x24, t->eflags);
    for (int i = 0; i < 8; i++) {
        wr32(h, base + 0x28 + 4 * i, 0xa0a0a000 + i);
    }
    wr32(h, base + 0x38, t->esp);
    wr32(h, base + 0x48, t->ds); /* ES */
    wr32(h, base + 0x4c, t->cs);
    wr32(h, base + 0x50, t->ss);
    wr32(h, base + 0x54, t->ds);
    wr32(h, base + 0x58, t->ds);
    wr32(h, base + 0x5c, t->ds);
    wr32(h, base + 0x60, t->ldt);
    wr32(h, base + 0x64, t->trap ? 1 : 0);
    /* ring-0 stack for interrupts in the task */
    wr32(h, base + 4, STACK_B - 0x800);
    wr32(h, base + 8, 0x10);
}

static const TssInit tss_b_default __attribute__((unused)) = {
    .eip = TARGET,
    .eflags = 0x2 | CC_C,
    .esp = STACK_B,
    .cs = 0x08,
    .ss = 0x10,
    .ds = 0x10,
};

/* Current task A (busy, in TR), task B available. */
static inline CPUHarness *task_setup(const TssInit *b)
{
    CPUHarness *h = prot();
    CPUX86State *env = h->env;

    for (int i = 0; i < 0x68; i += 4) {
        wr32(h, TSS_A + i, 0);
    }
    set_desc(h, G_TSS_A, TSS_A, 0x67, SYS(11));
    set_desc(h, G_TSS_B, TSS_B, 0x67, SYS(9));
    tss32_init(h, TSS_B, b ? b : &tss_b_default);
    env->tr.selector = SEL(G_TSS_A);
    env->tr.base = TSS_A;
    env->tr.limit = 0x67;
    env->tr.flags = SYS(11);
    for (int i = 0; i < 8; i++) {
        env->regs[i] = 0x5000 + i;
    }
    env->regs[R_ESP] = HARNESS_STACK;
    return h;
}

#endif
