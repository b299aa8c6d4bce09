/*
 * Segmentation on the CPU harness: segment register loads (protected,
 * real/unreal, v86), far JMP/CALL/RET, call gates, IRET (protected, to
 * and inside v86), interrupt delivery through the IDT, hardware task
 * switches, and LLDT SLDT LTR STR VERR VERW LAR LSL ARPL.  Every failure
 * case checks the exact vector and error code the SDM gives.
 *
 * The code under test is assembled by the host assembler from the blobs
 * below (.code32 / .code16) and copied into guest memory.
 */
#include "qemu/osdep.h"
#include "tests/unit/cpu-harness.h"

#define BLOB(name, text)                                             \
    extern const uint8_t name##_start[], name##_end[];               \
    __asm__(".pushsection .rodata\n.code32\n" #name "_start:\n" text \
            "\n" #name "_end:\n.code64\n.popsection\n")
#define CODE(name) name##_start, (size_t)(name##_end - name##_start)

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

static uint32_t rd32(CPUHarness *h, uint64_t a)
{
    uint32_t v = 0;

    harness_read(h, a, &v, 4);
    return v;
}

static uint16_t rd16(CPUHarness *h, uint64_t a)
{
    uint16_t v = 0;

    harness_read(h, a, &v, 2);
    return v;
}

static void wr32(CPUHarness *h, uint64_t a, uint32_t v)
{
    harness_write(h, a, &v, 4);
}

static void wr16(CPUHarness *h, uint64_t a, uint16_t v)
{
    harness_write(h, a, &v, 2);
}

static void wr8(CPUHarness *h, uint64_t a, uint8_t v)
{
    harness_write(h, a, &v, 1);
}

/* A code/data or system descriptor in GDT slot index. */
static void set_desc(CPUHarness *h, int index, uint32_t base, uint32_t limit,
                     uint32_t flags)
{
    uint32_t lo = (base << 16) | (limit & 0xffff);
    uint32_t hi =
        (base & 0xff000000) | ((base >> 16) & 0xff) | (limit & 0xf0000) | flags;

    wr32(h, HARNESS_GDT + index * 8, lo);
    wr32(h, HARNESS_GDT + index * 8 + 4, hi);
}

static uint32_t desc_hi(CPUHarness *h, int index)
{
    return rd32(h, HARNESS_GDT + index * 8 + 4);
}

/* A gate (call gate 4/12, task gate 5, interrupt/trap gate 6/7/14/15). */
static void set_gate_at(CPUHarness *h, uint64_t addr, uint32_t sel,
                        uint32_t off, int type, int dpl, bool present,
                        int count)
{
    wr32(h, addr, (sel << 16) | (off & 0xffff));
    wr32(h, addr + 4,
         (off & 0xffff0000) | (present ? A_P : 0) | A_DPL(dpl) | (type << 8) |
             count);
}

static void set_gate(CPUHarness *h, int index, uint32_t sel, uint32_t off,
                     int type, int dpl, int count)
{
    set_gate_at(h, HARNESS_GDT + index * 8, sel, off, type, dpl, true, count);
}

static void set_idt(CPUHarness *h, int vector, uint32_t sel, uint32_t off,
                    int type, int dpl, bool present)
{
    set_gate_at(h, HARNESS_IDT + vector * 8, sel, off, type, dpl, present, 0);
}

static CPUHarness *prot(void)
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
static void run(CPUHarness *h)
{
    harness_run_to_halt(h, 10000);
}

static void check_exc(CPUHarness *h, int vector, uint32_t err)
{
    int v;
    uint32_t ec;
    uint64_t eip;

    g_assert_true(harness_exception(h, &v, &ec, &eip));
    g_assert_cmpint(v, ==, vector);
    g_assert_cmphex(ec, ==, err);
}

/* The exception's saved EIP. */
static uint64_t exc_eip(CPUHarness *h)
{
    int v;
    uint32_t ec;
    uint64_t eip;

    g_assert_true(harness_exception(h, &v, &ec, &eip));
    return eip;
}

/* Halted by the HLT at addr (not in a stub). */
static void check_halt_at(CPUHarness *h, uint64_t addr)
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
static void check_end(CPUHarness *h, uint64_t addr, bool ring3)
{
    if (ring3) {
        check_exc(h, EXCP0D_GPF, 0);
        g_assert_cmphex(exc_eip(h), ==, addr);
    } else {
        check_halt_at(h, addr);
    }
}

static bool zf(CPUHarness *h)
{
    return cpu_cc_compute_all(h->env) & CC_Z;
}

/* ================= segment register loads ================= */

BLOB(b_movds, "mov %ax, %ds\n hlt");
BLOB(b_movss, "mov %ax, %ss\n hlt");
BLOB(b_movfs_rd, "mov %ax, %fs\n mov %fs:(%ebx), %ecx\n hlt");
BLOB(b_movfs_wr, "mov %ax, %fs\n mov %ecx, %fs:(%ebx)\n hlt");
BLOB(b_movds_use, "mov %ax, %ds\n mov (%ebx), %ecx\n hlt");
BLOB(b_movss_push, "mov %ax, %ss\n mov %ebx, %esp\n push %ecx\n hlt");

/* Loads sel with the blob and returns the harness (caller checks). */
static CPUHarness *try_load(const uint8_t *code, size_t len, uint32_t sel,
                            bool ring3)
{
    CPUHarness *h = prot();

    if (ring3) {
        harness_enter_ring3(h);
    }
    harness_set_code(h, code, len);
    h->env->regs[R_EAX] = sel;
    run(h);
    return h;
}

static void load_ok(const uint8_t *code, size_t len, uint32_t sel, bool ring3)
{
    CPUHarness *h = try_load(code, len, sel, ring3);

    check_end(h, h->code_addr + len - 1, ring3);
    harness_free(h);
}

static void load_fault(const uint8_t *code, size_t len, uint32_t sel,
                       bool ring3, int vector, uint32_t err)
{
    CPUHarness *h = try_load(code, len, sel, ring3);

    check_exc(h, vector, err);
    harness_free(h);
}

static void test_load_data(void)
{
    CPUHarness *h;

    /* A writable data segment loads and gets its accessed bit set. */
    h = try_load(CODE(b_movds), SEL(G_DATA), false);
    check_halt_at(h, h->code_addr + 2);
    g_assert_cmphex(h->env->segs[R_DS].selector, ==, SEL(G_DATA));
    g_assert_true(desc_hi(h, G_DATA) & A_A);
    g_assert_true(h->env->segs[R_DS].flags & A_A);
    harness_free(h);

    /* Null selectors load (and make DS unusable). */
    h = try_load(CODE(b_movds), 0, false);
    check_halt_at(h, h->code_addr + 2);
    g_assert_false(h->env->segs[R_DS].flags & DESC_P_MASK);
    harness_free(h);
    load_ok(CODE(b_movds), 3, false);
    /* ... and using it is #GP(0). */
    load_fault(CODE(b_movds_use), 0, false, EXCP0D_GPF, 0);

    /* Readable code, conforming or not, is fine in DS. */
    load_ok(CODE(b_movds), SEL(G_CODE0), false);
    load_ok(CODE(b_movds), SEL(G_CONF0) | 3, true);
    load_ok(CODE(b_movds), SEL(G_DATA3) | 3, true);

    /* Beyond the GDT limit, system descriptors, execute-only code. */
    load_fault(CODE(b_movds), SEL(256) | 1, false, EXCP0D_GPF, SEL(256));
    load_fault(CODE(b_movds), 0x38, false, EXCP0D_GPF, 0x38);
    load_fault(CODE(b_movds), SEL(G_XONLY), false, EXCP0D_GPF, SEL(G_XONLY));
    /* Not present: #NP(selector). */
    load_fault(CODE(b_movds), SEL(G_DATA_NP), false, EXCP0B_NOSEG,
               SEL(G_DATA_NP));
    /* Privilege: max(CPL, RPL) > DPL. */
    load_fault(CODE(b_movds), SEL(G_DATA) | 3, false, EXCP0D_GPF, SEL(G_DATA));
    load_fault(CODE(b_movds), SEL(G_DATA) | 3, true, EXCP0D_GPF, SEL(G_DATA));
    load_fault(CODE(b_movds), SEL(G_CODE0) | 3, true, EXCP0D_GPF, SEL(G_CODE0));
    load_fault(CODE(b_movds), SEL(G_DATA1) | 2, false, EXCP0D_GPF,
               SEL(G_DATA1));
    load_ok(CODE(b_movds), SEL(G_DATA1) | 1, false);
    /* A TI = 1 selector with the null LDT of the harness. */
    h = prot();
    h->env->ldt.flags = 0;
    h->env->ldt.limit = 0;
    harness_set_code(h, CODE(b_movds));
    h->env->regs[R_EAX] = 0x0c;
    run(h);
    check_exc(h, EXCP0D_GPF, 0x0c);
    harness_free(h);
}

static void test_load_ss(void)
{
    /* SS: a present writable data segment with RPL = DPL = CPL. */
    load_ok(CODE(b_movss), SEL(G_DATA), false);
    load_ok(CODE(b_movss), SEL(G_DATA3) | 3, true);
    load_fault(CODE(b_movss), 0, false, EXCP0D_GPF, 0);
    load_fault(CODE(b_movss), 3, true, EXCP0D_GPF, 0);
    load_fault(CODE(b_movss), SEL(G_RONLY), false, EXCP0D_GPF, SEL(G_RONLY));
    load_fault(CODE(b_movss), SEL(G_DATA) | 3, false, EXCP0D_GPF, SEL(G_DATA));
    load_fault(CODE(b_movss), SEL(G_DATA3), false, EXCP0D_GPF, SEL(G_DATA3));
    load_fault(CODE(b_movss), SEL(G_CODE0), false, EXCP0D_GPF, SEL(G_CODE0));
    load_fault(CODE(b_movss), SEL(G_DATA_NP), false, EXCP0C_STACK,
               SEL(G_DATA_NP));
    load_fault(CODE(b_movss), SEL(256), false, EXCP0D_GPF, SEL(256));
}

/* Limit checks at access time: expand-up, expand-down (B = 0 and 1). */
static int access_vector(uint32_t sel, uint32_t off, bool write)
{
    CPUHarness *h = prot();
    int v = -1;
    uint32_t ec;
    uint64_t eip;

    if (write) {
        harness_set_code(h, CODE(b_movfs_wr));
    } else {
        harness_set_code(h, CODE(b_movfs_rd));
    }
    h->env->regs[R_EAX] = sel;
    h->env->regs[R_EBX] = off;
    run(h);
    if (harness_exception(h, &v, &ec, &eip)) {
        g_assert_cmphex(ec, ==, 0);
    }
    harness_free(h);
    return v;
}

static void test_limits(void)
{
    g_assert_cmpint(access_vector(SEL(G_SMALL_DATA), 0xffc, false), ==, -1);
    g_assert_cmpint(access_vector(SEL(G_SMALL_DATA), 0xffd, false), ==, 13);
    g_assert_cmpint(access_vector(SEL(G_SMALL_DATA), 0x1000, true), ==, 13);
    /* Expand-down: valid offsets are limit+1 .. 0xffff (B=0) or 4G-1. */
    g_assert_cmpint(access_vector(SEL(G_EXPDOWN16), 0x1000, false), ==, -1);
    g_assert_cmpint(access_vector(SEL(G_EXPDOWN16), 0xfff, false), ==, 13);
    g_assert_cmpint(access_vector(SEL(G_EXPDOWN16), 0xfffc, true), ==, -1);
    g_assert_cmpint(access_vector(SEL(G_EXPDOWN16), 0xfffd, true), ==, 13);
    g_assert_cmpint(access_vector(SEL(G_EXPDOWN32), 0xfffd, true), ==, -1);
    g_assert_cmpint(access_vector(SEL(G_EXPDOWN32), 0xfffffffc, true), ==, -1);
    g_assert_cmpint(access_vector(SEL(G_EXPDOWN32), 0xffc, true), ==, 13);
    /* Read-only data can't be written; readable code can be read. */
    g_assert_cmpint(access_vector(SEL(G_RONLY), 0x10, false), ==, -1);
    g_assert_cmpint(access_vector(SEL(G_RONLY), 0x10, true), ==, 13);
    g_assert_cmpint(access_vector(SEL(G_CODE0), 0x10, false), ==, -1);
    g_assert_cmpint(access_vector(SEL(G_CODE0), 0x10, true), ==, 13);
}

/*
 * A stack access past the SS limit is #SS(0).  #SS goes through a task
 * gate here, since its frame cannot be pushed on the broken stack.
 */
static CPUHarness *task_setup(const void *b);

static void test_stack_limit(void)
{
    CPUHarness *h = task_setup(NULL);

    set_idt(h, EXCP0C_STACK, SEL(G_TSS_B), 0, 5, 0, true);
    harness_set_code(h, CODE(b_movss_push));
    h->env->regs[R_EAX] = SEL(G_SMALL_DATA);
    h->env->regs[R_EBX] = 0x1002; /* push to 0xffe: straddles the limit */
    run(h);
    check_halt_at(h, TARGET);
    g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_B));
    g_assert_cmphex(h->env->regs[R_ESP], ==, STACK_B - 4);
    g_assert_cmphex(rd32(h, STACK_B - 4), ==, 0);
    /* The old task saved the faulting PUSH and the loaded SS. */
    g_assert_cmphex(rd32(h, TSS_A + 0x20), ==, h->code_addr + 4);
    g_assert_cmphex(rd32(h, TSS_A + 0x38), ==, 0x1002);
    g_assert_cmphex(rd16(h, TSS_A + 0x50), ==, SEL(G_SMALL_DATA));
    harness_free(h);
}

/* ---- real mode: unreal mode and real-mode loads ---- */

BLOB(b_unreal, ".code16\n mov $0x2000, %ax\n mov %ax, %ds\n"
               " mov $0x100000, %esi\n addr32 movl (%esi), %eax\n hlt");
BLOB(b_real_cs_wr, ".code16\n movw $0x5a5a, %cs:(0x7e00)\n"
                   " movw %cs:(0x7e00), %ax\n hlt");
BLOB(b_real_ds, ".code16\n mov $0x2000, %ax\n mov %ax, %ds\n"
                " movw (0x10), %ax\n hlt");

static void test_unreal(void)
{
    CPUHarness *h = harness_new(HARNESS_REAL);

    /* DS keeps a 4 GiB limit loaded in protected mode ("unreal"). */
    h->env->segs[R_DS].limit = 0xffffffff;
    h->env->segs[R_DS].flags |= DESC_G_MASK | DESC_B_MASK;
    wr32(h, 0x120000, 0xdeadbeef);
    harness_set_code(h, CODE(b_unreal));
    run(h);
    check_halt_at(h, h->code_addr + (b_unreal_end - b_unreal_start) - 1);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0xdeadbeef);
    g_assert_cmphex(h->env->segs[R_DS].base, ==, 0x20000);
    g_assert_cmphex(h->env->segs[R_DS].selector, ==, 0x2000);
    g_assert_cmphex(h->env->segs[R_DS].limit, ==, 0xffffffff);
    g_assert_true(h->env->segs[R_DS].flags & DESC_G_MASK);
    harness_free(h);

    /* With the real-mode limit of 64 KiB the same access is #GP. */
    h = harness_new(HARNESS_REAL);
    harness_set_code(h, CODE(b_unreal));
    run(h);
    check_exc(h, EXCP0D_GPF, 0);
    harness_free(h);

    /*
     * Real mode makes no type checks: CS cached from a 16-bit protected
     * mode code segment (execute-only even) can be written and read.
     */
    h = harness_new(HARNESS_REAL);
    h->env->segs[R_CS].flags = DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK;
    harness_set_code(h, CODE(b_real_cs_wr));
    run(h);
    check_halt_at(h,
                  h->code_addr + (b_real_cs_wr_end - b_real_cs_wr_start) - 1);
    g_assert_cmphex(h->env->regs[R_EAX] & 0xffff, ==, 0x5a5a);
    g_assert_cmphex(rd16(h, 0x7e00), ==, 0x5a5a);
    harness_free(h);

    /* A segment left unusable (null) by protected mode becomes usable
     * when loaded in real mode. */
    h = harness_new(HARNESS_REAL);
    h->env->segs[R_DS].flags = 0;
    h->env->segs[R_DS].limit = 0;
    wr16(h, 0x20010, 0x4242);
    harness_set_code(h, CODE(b_real_ds));
    run(h);
    check_halt_at(h, h->code_addr + (b_real_ds_end - b_real_ds_start) - 1);
    g_assert_cmphex(h->env->regs[R_EAX] & 0xffff, ==, 0x4242);
    harness_free(h);
}

/*
 * A real transition: in protected mode with a 4 GiB DS, clear CR0.PE and
 * far-jump; DS keeps its limit in real mode and a real-mode DS load keeps
 * it too (only selector and base change).
 */
BLOB(b_pm_to_real, "mov %cr0, %eax\n and $0xfffffffe, %eax\n mov %eax, %cr0\n"
                   " ljmp $0x0000, $(1f - b_pm_to_real_start + 0x100000)\n"
                   "1: mov $0x10, %ax\n mov %ax, %ds\n"
                   " mov 0x120000 - 0x100, %ecx\n hlt");

static void test_pm_to_real(void)
{
    CPUHarness *h = prot();

    wr32(h, 0x120000, 0x600df00d);
    harness_set_code(h, CODE(b_pm_to_real));
    run(h);
    g_assert_false(h->env->cr[0] & CR0_PE_MASK);
    check_halt_at(h,
                  h->code_addr + (b_pm_to_real_end - b_pm_to_real_start) - 1);
    g_assert_cmphex(h->env->segs[R_CS].selector, ==, 0);
    g_assert_cmphex(h->env->segs[R_DS].base, ==, 0x100);
    g_assert_cmphex(h->env->segs[R_DS].limit, ==, 0xffffffff);
    g_assert_cmphex(h->env->regs[R_ECX], ==, 0x600df00d);
    g_assert_cmpint(cpu_cpl(h->env), ==, 0);
    harness_free(h);
}

/* ================= far JMP / CALL / RET ================= */

BLOB(b_ljmp_m, "ljmp *(%ebx)\n hlt");
BLOB(b_lcall_m, "lcall *(%ebx)\n hlt");
BLOB(b_lcallw_m, "lcallw *(%ebx)\n hlt");
BLOB(b_ljmp_imm, "ljmp $0xb8, $0x110000\n hlt");

/* Runs JMP/CALL m16:32 to sel:off from the given CPL (0 or 3). */
static CPUHarness *far_xfer(const uint8_t *code, size_t len, uint32_t sel,
                            uint32_t off, bool ring3)
{
    CPUHarness *h = prot();

    if (ring3) {
        harness_enter_ring3(h);
    }
    wr32(h, DATA, off);
    wr16(h, DATA + 4, sel);
    harness_set_code(h, code, len);
    h->env->regs[R_EBX] = DATA;
    run(h);
    return h;
}

static void far_fault(const uint8_t *code, size_t len, uint32_t sel,
                      uint32_t off, bool ring3, int vector, uint32_t err)
{
    CPUHarness *h = far_xfer(code, len, sel, off, ring3);

    check_exc(h, vector, err);
    /* Nothing changed: CS and ESP as before (the fault frame aside). */
    g_assert_cmphex(exc_eip(h), ==, h->code_addr);
    harness_free(h);
}

static void test_far_jmp(void)
{
    CPUHarness *h;

    g_assert_cmpint(SEL(G_CODE0), ==, 0xb8);
    h = far_xfer(CODE(b_ljmp_m), SEL(G_CODE0), TARGET, false);
    check_halt_at(h, TARGET);
    g_assert_cmphex(h->env->segs[R_CS].selector, ==, SEL(G_CODE0));
    g_assert_true(desc_hi(h, G_CODE0) & A_A);
    harness_free(h);
    /* The direct form, ptr16:32. */
    h = prot();
    harness_set_code(h, CODE(b_ljmp_imm));
    run(h);
    check_halt_at(h, TARGET);
    harness_free(h);

    far_fault(CODE(b_ljmp_m), 0, TARGET, false, EXCP0D_GPF, 0);
    far_fault(CODE(b_ljmp_m), SEL(256), TARGET, false, EXCP0D_GPF, SEL(256));
    far_fault(CODE(b_ljmp_m), SEL(G_DATA), TARGET, false, EXCP0D_GPF,
              SEL(G_DATA));
    far_fault(CODE(b_ljmp_m), SEL(G_CODE_NP), TARGET, false, EXCP0B_NOSEG,
              SEL(G_CODE_NP));
    /* Non-conforming: RPL > CPL or DPL != CPL. */
    far_fault(CODE(b_ljmp_m), SEL(G_CODE0) | 3, TARGET, false, EXCP0D_GPF,
              SEL(G_CODE0));
    far_fault(CODE(b_ljmp_m), SEL(G_CODE3), TARGET, false, EXCP0D_GPF,
              SEL(G_CODE3));
    far_fault(CODE(b_ljmp_m), SEL(G_CODE0) | 3, TARGET, true, EXCP0D_GPF,
              SEL(G_CODE0));
    /* Conforming: DPL > CPL. */
    far_fault(CODE(b_ljmp_m), SEL(G_CONF3), TARGET, false, EXCP0D_GPF,
              SEL(G_CONF3));
    /* The offset beyond the limit: #GP(0). */
    far_fault(CODE(b_ljmp_m), SEL(G_CODE_SMALL), TARGET, false, EXCP0D_GPF, 0);
    /* LDT and interrupt-gate descriptors are no valid targets. */
    far_fault(CODE(b_ljmp_m), SEL(G_LDT), TARGET, false, EXCP0D_GPF,
              SEL(G_LDT));
    far_fault(CODE(b_ljmp_m), SEL(G_INTGATE), TARGET, false, EXCP0D_GPF,
              SEL(G_INTGATE));

    /* Conforming DPL 0 from CPL 3: CPL stays 3, CS.RPL = 3. */
    h = far_xfer(CODE(b_ljmp_m), SEL(G_CONF0), TARGET + 0x20, true);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(exc_eip(h), ==, TARGET + 0x21);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 4), ==, SEL(G_CONF0) | 3);
    harness_free(h);
}

static void test_far_call_ret(void)
{
    CPUHarness *h;
    uint32_t esp;

    /* CALL m16:32 pushes CS and the return EIP (32 bits each). */
    h = far_xfer(CODE(b_lcall_m), SEL(G_CODE0), TARGET, false);
    check_halt_at(h, TARGET);
    esp = h->env->regs[R_ESP];
    g_assert_cmphex(esp, ==, HARNESS_STACK - 8);
    g_assert_cmphex(rd32(h, esp), ==, h->code_addr + 2);
    g_assert_cmphex(rd32(h, esp + 4), ==, 0x08);
    harness_free(h);

    /* CALL m16:16: 16-bit pushes, IP truncated. */
    h = prot();
    wr16(h, DATA, TARGET16);
    wr16(h, DATA + 2, SEL(G_CODE0));
    harness_set_code(h, CODE(b_lcallw_m));
    h->env->regs[R_EBX] = DATA;
    run(h);
    check_halt_at(h, TARGET16);
    esp = h->env->regs[R_ESP];
    g_assert_cmphex(esp, ==, HARNESS_STACK - 4);
    g_assert_cmphex(rd16(h, esp), ==, (h->code_addr + 3) & 0xffff);
    g_assert_cmphex(rd16(h, esp + 2), ==, 0x08);
    harness_free(h);

    /* The stack must hold the return address: #SS(0) (through a task
     * gate: the broken stack can't take the #SS frame). */
    h = task_setup(NULL);
    set_idt(h, EXCP0C_STACK, SEL(G_TSS_B), 0, 5, 0, true);
    wr32(h, DATA, TARGET16);
    wr16(h, DATA + 4, SEL(G_CODE0));
    harness_set_code(h, CODE(b_lcall_m));
    cpu_x86_load_seg_cache(h->env, R_SS, SEL(G_SMALL_DATA), DATA, 0xfff,
                           DATA_RW | A_D);
    h->env->regs[R_ESP] = 4; /* room for 4 bytes only */
    h->env->regs[R_EBX] = DATA;
    run(h);
    check_halt_at(h, TARGET);
    g_assert_cmphex(rd32(h, STACK_B - 4), ==, 0);
    /* The old task: at the CALL, CS and ESP unchanged. */
    g_assert_cmphex(rd32(h, TSS_A + 0x20), ==, h->code_addr);
    g_assert_cmphex(rd32(h, TSS_A + 0x38), ==, 4);
    g_assert_cmphex(rd16(h, TSS_A + 0x4c), ==, 0x08);
    harness_free(h);
}

/* Writes a far-return frame at the stack and runs ret_code. */
static CPUHarness *far_return(const uint8_t *code, size_t len,
                              const uint32_t *frame, int n, bool ring3,
                              uint32_t esp)
{
    CPUHarness *h = prot();

    if (ring3) {
        harness_enter_ring3(h);
    }
    for (int i = 0; i < n; i++) {
        wr32(h, esp + 4 * i, frame[i]);
    }
    h->env->regs[R_ESP] = esp;
    harness_set_code(h, code, len);
    return h;
}

static const uint8_t b_lret[] = { 0xcb };
static const uint8_t b_lret8[] = { 0xca, 0x08, 0x00 };
static const uint8_t b_iret[] = { 0xcf };
static const uint8_t b_iretw[] = { 0x66, 0xcf };

static void test_ret_outer(void)
{
    CPUHarness *h;
    uint32_t f[6];

    /* RET to ring 3: SS:ESP popped; DPL 0 data in DS is nulled; a
     * conforming code segment in FS stays. */
    f[0] = TARGET + 0x20;
    f[1] = 0x2b;
    f[2] = STACK3;
    f[3] = 0x33;
    h = far_return(b_lret, 1, f, 4, false, 0x6f000);
    wr8(h, TARGET + 0x20, 0xcc); /* int3 in ring 3 */
    cpu_x86_load_seg_cache(h->env, R_FS, SEL(G_CONF0), 0, 0xffffffff,
                           CODE_RX | A_C | A_G | A_D);
    cpu_x86_load_seg_cache(h->env, R_ES, 0x33, 0, 0xffffffff,
                           DATA_RW | A_DPL(3) | A_G | A_D);
    run(h);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(exc_eip(h), ==, TARGET + 0x21);
    /* The ring-3 state in the int3 frame (EIP CS EFLAGS ESP SS). */
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 4), ==, 0x2b);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 12), ==, STACK3);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 16), ==, 0x33);
    g_assert_cmphex(h->env->segs[R_DS].selector, ==, 0);
    g_assert_false(h->env->segs[R_DS].flags & DESC_P_MASK);
    g_assert_cmphex(h->env->segs[R_ES].selector, ==, 0x33);
    g_assert_cmphex(h->env->segs[R_FS].selector, ==, SEL(G_CONF0));
    harness_free(h);

    /* RET 8 to ring 3: 8 bytes released on both stacks. */
    f[0] = TARGET + 0x20;
    f[1] = 0x2b;
    f[2] = 0x11111111;
    f[3] = 0x22222222;
    f[4] = STACK3;
    f[5] = 0x33;
    h = far_return(b_lret8, 3, f, 6, false, 0x6f000);
    wr8(h, TARGET + 0x20, 0xcc);
    run(h);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 12), ==, STACK3 + 8);
    harness_free(h);

    /* Same level RET 8. */
    f[0] = TARGET;
    f[1] = 0x08;
    h = far_return(b_lret8, 3, f, 2, false, 0x6f000);
    run(h);
    check_halt_at(h, TARGET);
    g_assert_cmphex(h->env->regs[R_ESP], ==, 0x6f000 + 16);
    harness_free(h);
}

static void ret_fault(const uint32_t *f, int n, bool ring3, int vector,
                      uint32_t err)
{
    CPUHarness *h = far_return(b_lret, 1, f, n, ring3, 0x6f000);

    run(h);
    check_exc(h, vector, err);
    g_assert_cmphex(exc_eip(h), ==, h->code_addr);
    harness_free(h);
}

static void test_ret_faults(void)
{
    uint32_t f[4] = { TARGET, 0x2b, STACK3, 0x33 };

    /* Return CS: null, RPL < CPL, not code, DPL != RPL, not present. */
    f[1] = 0;
    ret_fault(f, 4, false, EXCP0D_GPF, 0);
    f[1] = 0x08;
    ret_fault(f, 4, true, EXCP0D_GPF, 0x08);
    f[1] = SEL(G_DATA);
    ret_fault(f, 4, false, EXCP0D_GPF, SEL(G_DATA));
    f[1] = SEL(G_CODE3);
    ret_fault(f, 4, false, EXCP0D_GPF, SEL(G_CODE3));
    f[1] = SEL(G_CONF3) | 1;
    ret_fault(f, 4, false, EXCP0D_GPF, SEL(G_CONF3));
    f[1] = SEL(G_CODE_NP);
    ret_fault(f, 4, false, EXCP0B_NOSEG, SEL(G_CODE_NP));
    f[1] = SEL(256);
    ret_fault(f, 4, false, EXCP0D_GPF, SEL(256));
    /* The offset beyond the limit: #GP(0). */
    f[1] = SEL(G_CODE_SMALL);
    ret_fault(f, 4, false, EXCP0D_GPF, 0);
    /* Outer-level SS: null, RPL != CS.RPL, DPL != RPL, read-only, not
     * present. */
    f[1] = 0x2b;
    f[3] = 0;
    ret_fault(f, 4, false, EXCP0D_GPF, 0);
    f[3] = SEL(G_DATA3);
    ret_fault(f, 4, false, EXCP0D_GPF, SEL(G_DATA3));
    f[3] = SEL(G_DATA) | 3;
    ret_fault(f, 4, false, EXCP0D_GPF, SEL(G_DATA));
    f[3] = SEL(G_RONLY) | 3;
    ret_fault(f, 4, false, EXCP0D_GPF, SEL(G_RONLY));
    f[3] = 0x33;
    f[1] = SEL(G_CODE3) | 3;
    {
        /* A ring-3 SS that is not present: #SS(selector). */
        CPUHarness *h = far_return(b_lret, 1, f, 4, false, 0x6f000);
        set_desc(h, G_DATA3, 0, 0xfffff,
                 (DATA_RW & ~A_P) | A_DPL(3) | A_G | A_D);
        wr32(h, 0x6f000 + 12, SEL(G_DATA3) | 3);
        run(h);
        check_exc(h, EXCP0C_STACK, SEL(G_DATA3));
        harness_free(h);
    }
}

/* ================= call gates ================= */

BLOB(b_gate_call32, "push $0x11111111\n push $0x22222222\n"
                    "lcall $0x143, $0\n int3");
BLOB(b_gate_call16, "pushw $0x1111\n pushw $0x2222\n pushw $0x3333\n"
                    "lcall $0x153, $0\n int3");
BLOB(b_lret8_code, "lret $8");

static CPUHarness *gate_setup(void)
{
    CPUHarness *h = prot();

    /* 41 (0x148): 32-bit gate DPL 3 to ring 0 code, 2 dword params;
     * 42 (0x150): 16-bit gate DPL 3, 3 word params. */
    set_gate(h, G_GATE, SEL(G_CODE0), TARGET, 12, 3, 2);
    set_gate(h, G_GATE + 1, SEL(G_CODE0), TARGET, 12, 3, 2);
    set_gate(h, G_GATE + 2, SEL(G_CODE0), TARGET16, 4, 3, 3);
    return h;
}

static void test_call_gate_inner(void)
{
    CPUHarness *h = gate_setup();
    uint32_t esp;

    harness_enter_ring3(h);
    h->env->regs[R_ESP] = STACK3;
    g_assert_cmpint(SEL(G_GATE + 0) | 3, ==, 0x143);
    harness_set_code(h, CODE(b_gate_call32));
    run(h);
    check_halt_at(h, TARGET);
    g_assert_cmpint(cpu_cpl(h->env), ==, 0);
    g_assert_cmphex(h->env->segs[R_CS].selector, ==, SEL(G_CODE0));
    g_assert_cmphex(h->env->segs[R_SS].selector, ==, 0x10);
    esp = h->env->regs[R_ESP];
    g_assert_cmphex(esp, ==, HARNESS_STACK0 - 24);
    g_assert_cmphex(rd32(h, esp), ==, h->code_addr + 17); /* after lcall */
    g_assert_cmphex(rd32(h, esp + 4), ==, 0x2b);
    g_assert_cmphex(rd32(h, esp + 8), ==, 0x22222222);
    g_assert_cmphex(rd32(h, esp + 12), ==, 0x11111111);
    g_assert_cmphex(rd32(h, esp + 16), ==, STACK3 - 8);
    g_assert_cmphex(rd32(h, esp + 20), ==, 0x33);
    harness_free(h);

    /* And back with RET 8: ring 3, both parameters released. */
    h = gate_setup();
    harness_write(h, TARGET, CODE(b_lret8_code));
    harness_enter_ring3(h);
    h->env->regs[R_ESP] = STACK3;
    harness_set_code(h, CODE(b_gate_call32));
    run(h);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(exc_eip(h), ==, h->code_addr + 18);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 12), ==, STACK3);
    harness_free(h);

    /* A 16-bit gate: 16-bit pushes, 3 word parameters. */
    h = gate_setup();
    harness_enter_ring3(h);
    h->env->regs[R_ESP] = STACK3;
    g_assert_cmpint(SEL(G_GATE + 2) | 3, ==, 0x153);
    harness_set_code(h, CODE(b_gate_call16));
    run(h);
    check_halt_at(h, TARGET16);
    esp = h->env->regs[R_ESP];
    g_assert_cmphex(esp, ==, HARNESS_STACK0 - 14);
    g_assert_cmphex(rd16(h, esp), ==, (h->code_addr + 19) & 0xffff);
    g_assert_cmphex(rd16(h, esp + 2), ==, 0x2b);
    g_assert_cmphex(rd16(h, esp + 4), ==, 0x3333);
    g_assert_cmphex(rd16(h, esp + 6), ==, 0x2222);
    g_assert_cmphex(rd16(h, esp + 8), ==, 0x1111);
    g_assert_cmphex(rd16(h, esp + 10), ==, (STACK3 - 6) & 0xffff);
    g_assert_cmphex(rd16(h, esp + 12), ==, 0x33);
    harness_free(h);
}

/* CALL/JMP through gate index g (with RPL) from ring 3 or 0. */
static CPUHarness *gate_xfer(CPUHarness *h, bool call, uint32_t sel, bool ring3)
{
    if (ring3) {
        harness_enter_ring3(h);
        h->env->regs[R_ESP] = STACK3;
    }
    wr32(h, DATA, 0);
    wr16(h, DATA + 4, sel);
    if (call) {
        harness_set_code(h, CODE(b_lcall_m));
    } else {
        harness_set_code(h, CODE(b_ljmp_m));
    }
    h->env->regs[R_EBX] = DATA;
    run(h);
    return h;
}

/* Makes the faults of vector v land on a conforming DPL 0 "jmp ." so
 * that a fault from ring 3 needs no stack switch. */
static void spin_handler(CPUHarness *h, int v)
{
    set_idt(h, v, SEL(G_CONF0), SPIN, 14, 3, true);
}

/* Runs until the spin handler; returns the error code it got. */
static uint32_t spin_error(CPUHarness *h)
{
    g_assert_cmphex(h->env->eip, ==, SPIN);
    return rd32(h, h->env->regs[R_ESP]);
}

static void test_call_gate_same_and_jmp(void)
{
    CPUHarness *h;

    /* A gate to a conforming segment: no privilege change. */
    h = gate_setup();
    set_gate(h, G_GATE + 3, SEL(G_CONF0), TARGET + 0x20, 12, 3, 0);
    wr8(h, TARGET + 0x20, 0xcc);
    gate_xfer(h, true, SEL(G_GATE + 3) | 3, true);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 4), ==, SEL(G_CONF0) | 3);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 12), ==, STACK3 - 8);
    g_assert_cmphex(rd32(h, STACK3 - 8), ==, h->code_addr + 2);
    g_assert_cmphex(rd32(h, STACK3 - 4), ==, 0x2b);
    harness_free(h);

    /* A same-level gate at CPL 0. */
    h = gate_setup();
    gate_xfer(h, true, SEL(G_GATE), false);
    check_halt_at(h, TARGET);
    g_assert_cmphex(h->env->regs[R_ESP], ==, HARNESS_STACK - 8);
    harness_free(h);

    /* JMP through a gate: same level only. */
    h = gate_setup();
    set_gate(h, G_GATE + 3, SEL(G_CONF0), TARGET + 0x20, 12, 3, 0);
    wr8(h, TARGET + 0x20, 0xcc);
    gate_xfer(h, false, SEL(G_GATE + 3) | 3, true);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 12), ==, STACK3);
    harness_free(h);
    h = gate_setup();
    gate_xfer(h, false, SEL(G_GATE), false);
    check_halt_at(h, TARGET);
    g_assert_cmphex(h->env->regs[R_ESP], ==, HARNESS_STACK);
    harness_free(h);
    /* JMP through a gate to a more privileged non-conforming segment. */
    h = gate_setup();
    spin_handler(h, EXCP0D_GPF);
    gate_xfer(h, false, SEL(G_GATE) | 3, true);
    g_assert_cmphex(spin_error(h), ==, SEL(G_CODE0));
    harness_free(h);
}

static void gate_fault(void (*prep)(CPUHarness *), uint32_t sel, bool ring3,
                       int vector, uint32_t err)
{
    CPUHarness *h = gate_setup();

    if (prep) {
        prep(h);
    }
    if (ring3) {
        spin_handler(h, vector);
        gate_xfer(h, true, sel, true);
        g_assert_cmphex(spin_error(h), ==, err);
        /* The caller's state: still ring 3, stack untouched. */
        g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 4), ==, h->code_addr);
        g_assert_cmphex(h->env->regs[R_ESP], ==, STACK3 - 16);
    } else {
        gate_xfer(h, true, sel, false);
        check_exc(h, vector, err);
    }
    harness_free(h);
}

static void prep_gate_variants(CPUHarness *h)
{
    set_gate(h, 50, SEL(G_CODE0), TARGET, 12, 0, 0); /* DPL 0 */
    set_gate_at(h, HARNESS_GDT + 51 * 8, SEL(G_CODE0), TARGET, 12, 3, false,
                0);                                       /* not present */
    set_gate(h, 52, 0, TARGET, 12, 3, 0);                 /* null CS */
    set_gate(h, 53, SEL(255) + 8, TARGET, 12, 3, 0);      /* beyond */
    set_gate(h, 54, SEL(G_DATA), TARGET, 12, 3, 0);       /* data */
    set_gate(h, 55, SEL(G_CODE_NP), TARGET, 12, 3, 0);    /* not present */
    set_gate(h, 56, SEL(G_CODE_SMALL), TARGET, 12, 3, 0); /* offset */
    set_gate(h, 57, SEL(G_CODE3), TARGET, 12, 3, 0);      /* DPL 3 code */
    set_gate(h, 58, SEL(G_CODE1), TARGET, 12, 1, 0);      /* DPL 1 */
}

static void prep_ss0_null(CPUHarness *h)
{
    wr32(h, HARNESS_TSS + 8, 0);
}

static void prep_ss0_rpl(CPUHarness *h)
{
    wr32(h, HARNESS_TSS + 8, SEL(G_DATA) | 1);
}

static void prep_ss0_ronly(CPUHarness *h)
{
    wr32(h, HARNESS_TSS + 8, SEL(G_RONLY));
}

static void prep_ss0_dpl(CPUHarness *h)
{
    wr32(h, HARNESS_TSS + 8, SEL(G_DATA1));
}

static void prep_ss0_np(CPUHarness *h)
{
    wr32(h, HARNESS_TSS + 8, SEL(G_DATA_NP));
}

static void prep_ss0_room(CPUHarness *h)
{
    /* A 4 KiB stack with ESP0 = 16: a 20- or 24-byte frame does not fit. */
    wr32(h, HARNESS_TSS + 8, SEL(G_SMALL_DATA));
    wr32(h, HARNESS_TSS + 4, 16);
}

static void prep_tr_limit(CPUHarness *h)
{
    h->env->tr.limit = 8; /* SS0 at 8-9 is outside */
}

static void test_call_gate_faults(void)
{
    gate_fault(prep_gate_variants, SEL(50) | 3, true, EXCP0D_GPF, SEL(50));
    gate_fault(prep_gate_variants, SEL(50) | 3, false, EXCP0D_GPF, SEL(50));
    gate_fault(prep_gate_variants, SEL(51) | 3, true, EXCP0B_NOSEG, SEL(51));
    gate_fault(prep_gate_variants, SEL(52) | 3, true, EXCP0D_GPF, 0);
    gate_fault(prep_gate_variants, SEL(53) | 3, true, EXCP0D_GPF, SEL(256));
    gate_fault(prep_gate_variants, SEL(54) | 3, true, EXCP0D_GPF, SEL(G_DATA));
    gate_fault(prep_gate_variants, SEL(55) | 3, true, EXCP0B_NOSEG,
               SEL(G_CODE_NP));
    gate_fault(prep_gate_variants, SEL(56) | 3, true, EXCP0D_GPF, 0);
    gate_fault(prep_gate_variants, SEL(57), false, EXCP0D_GPF, SEL(G_CODE3));
    /* RPL 3 > gate DPL 1 from CPL 0. */
    gate_fault(prep_gate_variants, SEL(58) | 3, false, EXCP0D_GPF, SEL(58));
    /* The inner stack from the TSS. */
    gate_fault(prep_ss0_null, SEL(G_GATE) | 3, true, EXCP0A_TSS, 0);
    gate_fault(prep_ss0_rpl, SEL(G_GATE) | 3, true, EXCP0A_TSS, SEL(G_DATA));
    gate_fault(prep_ss0_ronly, SEL(G_GATE) | 3, true, EXCP0A_TSS, SEL(G_RONLY));
    gate_fault(prep_ss0_dpl, SEL(G_GATE) | 3, true, EXCP0A_TSS, SEL(G_DATA1));
    gate_fault(prep_ss0_np, SEL(G_GATE) | 3, true, EXCP0C_STACK,
               SEL(G_DATA_NP));
    gate_fault(prep_ss0_room, SEL(G_GATE) | 3, true, EXCP0C_STACK,
               SEL(G_SMALL_DATA));
    gate_fault(prep_tr_limit, SEL(G_GATE) | 3, true, EXCP0A_TSS, 0x38);
    {
        /* ESP0 and SS0 (bytes 4-9) are all a TSS limit of 9 must hold. */
        CPUHarness *h = gate_setup();
        h->env->tr.limit = 9;
        gate_xfer(h, true, SEL(G_GATE) | 3, true);
        check_halt_at(h, TARGET);
        g_assert_cmphex(h->env->regs[R_ESP], ==, HARNESS_STACK0 - 24);
        harness_free(h);
    }
}

/* ================= IRET ================= */

static void test_iret_protected(void)
{
    CPUHarness *h;
    uint32_t f[5];

    /* Same level: flags loaded (CPL 0: IOPL and IF too). */
    f[0] = TARGET;
    f[1] = 0x08;
    f[2] = 0x3203 | CC_Z; /* IOPL 3, IF, CF, ZF */
    h = far_return(b_iret, 1, f, 3, false, 0x6f000);
    run(h);
    check_halt_at(h, TARGET);
    g_assert_cmphex(cpu_compute_eflags(h->env), ==, 0x3203 | CC_Z);
    g_assert_cmphex(h->env->regs[R_ESP], ==, 0x6f000 + 12);
    harness_free(h);

    /* CPL 3 with IOPL 0: IF and IOPL are not changed by the image. */
    f[0] = TARGET + 0x20;
    f[1] = 0x2b;
    f[2] = 0x3003; /* IOPL 3, IF = 0, CF */
    h = far_return(b_iret, 1, f, 3, true, STACK3);
    wr8(h, TARGET + 0x20, 0xcc);
    h->env->eflags |= IF_MASK;
    run(h);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 8) & 0x3201, ==, 0x0201);
    harness_free(h);

    /* To ring 3: SS:ESP popped, EFLAGS as in the image (CPL 0). */
    f[0] = TARGET + 0x20;
    f[1] = 0x2b;
    f[2] = 0x1202;
    f[3] = STACK3;
    f[4] = 0x33;
    h = far_return(b_iret, 1, f, 5, false, 0x6f000);
    wr8(h, TARGET + 0x20, 0xcc);
    run(h);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 8) & 0x3200, ==, 0x1200);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 12), ==, STACK3);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 16), ==, 0x33);
    harness_free(h);

    /* IRETW: 16-bit frame, the upper EFLAGS bits stay. */
    h = prot();
    wr16(h, 0x6f000, TARGET16);
    wr16(h, 0x6f002, 0x08);
    wr16(h, 0x6f004, 0x0003);
    h->env->regs[R_ESP] = 0x6f000;
    h->env->eflags |= AC_MASK;
    harness_set_code(h, b_iretw, 2);
    run(h);
    check_halt_at(h, TARGET16);
    g_assert_true(h->env->eflags & AC_MASK);
    g_assert_cmphex(h->env->regs[R_ESP], ==, 0x6f006);
    harness_free(h);
}

/* Real-mode IRET and its limit check. */
static void test_iret_real(void)
{
    CPUHarness *h = harness_new(HARNESS_REAL);
    static const uint8_t code[] = { 0xcf };

    wr16(h, 0x6000, 0x0010);
    wr16(h, 0x6002, 0x0600);
    wr16(h, 0x6004, 0x0203);
    wr8(h, 0x6010, 0xf4);
    h->env->regs[R_ESP] = 0x6000;
    harness_set_code(h, code, 1);
    run(h);
    check_halt_at(h, 0x6010);
    g_assert_cmphex(h->env->segs[R_CS].base, ==, 0x6000);
    g_assert_true(h->env->eflags & IF_MASK);
    g_assert_cmphex(cpu_compute_eflags(h->env) & 1, ==, 1);
    harness_free(h);

    /* IRETD with EIP beyond the 64 KiB limit: #GP. */
    h = harness_new(HARNESS_REAL);
    {
        static const uint8_t iretd[] = { 0x66, 0xcf };
        wr32(h, 0x6000, 0x10010);
        wr32(h, 0x6004, 0);
        wr32(h, 0x6008, 0x2);
        h->env->regs[R_ESP] = 0x6000;
        harness_set_code(h, iretd, 2);
        run(h);
        check_exc(h, EXCP0D_GPF, 0);
    }
    harness_free(h);
}

/* ================= virtual-8086 mode ================= */

/* Enters v86 mode by IRET from ring 0 at V86_CODE with v86 code. */
static CPUHarness *v86_enter(const uint8_t *code, size_t len, uint32_t iopl)
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
    harness_set_code(h, b_iret, 1);
    return h;
}

BLOB(b_v86_int, ".code16\n mov (0), %ax\n mov %ss:(0x10), %bx\n int $0x21");
BLOB(b_v86_iret, ".code16\n iret");
BLOB(b_v86_iret_ok, ".code16\n mov $0x0800, %sp\n iret");
BLOB(b_v86_iretd, ".code16\n mov $0x0800, %sp\n iretl");
BLOB(b_v86_ud, ".code16\n ud2");

static void test_iret_to_v86(void)
{
    CPUHarness *h = v86_enter(CODE(b_v86_int), 3);
    uint32_t esp;

    wr16(h, 0x300, 0x1234);  /* DS:0 with DS = 0x30 */
    wr16(h, 0x6010, 0x5678); /* SS:0x10 with SS = 0x600 */
    run(h);
    check_exc(h, 0x21, 0);
    g_assert_cmphex(h->env->regs[R_EAX] & 0xffff, ==, 0x1234);
    g_assert_cmphex(h->env->regs[R_EBX] & 0xffff, ==, 0x5678);
    /* The frame from v86 mode: EIP CS EFLAGS ESP SS ES DS FS GS. */
    esp = h->env->regs[R_ESP];
    g_assert_cmphex(esp, ==, HARNESS_STACK0 - 36);
    g_assert_cmphex(rd32(h, esp), ==, b_v86_int_end - b_v86_int_start);
    g_assert_cmphex(rd32(h, esp + 4), ==, 0x0700);
    g_assert_cmphex(rd32(h, esp + 8) & (VM_MASK | IOPL_MASK), ==,
                    VM_MASK | IOPL_MASK);
    g_assert_cmphex(rd32(h, esp + 12), ==, 0x0ffc);
    g_assert_cmphex(rd32(h, esp + 16), ==, 0x0600);
    g_assert_cmphex(rd32(h, esp + 20), ==, 0x20);
    g_assert_cmphex(rd32(h, esp + 24), ==, 0x30);
    g_assert_cmphex(rd32(h, esp + 28), ==, 0x40);
    g_assert_cmphex(rd32(h, esp + 32), ==, 0x50);
    /* In the handler: ring 0, VM clear, data segments null. */
    g_assert_false(h->env->eflags & VM_MASK);
    g_assert_cmpint(cpu_cpl(h->env), ==, 0);
    g_assert_cmphex(h->env->segs[R_DS].selector, ==, 0);
    g_assert_cmphex(h->env->segs[R_ES].selector, ==, 0);
    g_assert_cmphex(h->env->segs[R_FS].selector, ==, 0);
    g_assert_cmphex(h->env->segs[R_GS].selector, ==, 0);
    g_assert_false(h->env->segs[R_GS].flags & DESC_P_MASK);
    g_assert_cmphex(h->env->segs[R_SS].selector, ==, 0x10);
    harness_free(h);

    /* INT n in v86 mode with IOPL < 3: #GP(0). */
    h = v86_enter(CODE(b_v86_int), 0);
    run(h);
    check_exc(h, EXCP0D_GPF, 0);
    harness_free(h);

    /* An exception in v86 mode through a gate to DPL 3 code: #GP(sel+1). */
    h = v86_enter(CODE(b_v86_ud), 3);
    set_idt(h, EXCP06_ILLOP, SEL(G_CODE3), TARGET, 14, 3, true);
    run(h);
    check_exc(h, EXCP0D_GPF, SEL(G_CODE3) | 1);
    harness_free(h);
    /* ... or to a conforming segment. */
    h = v86_enter(CODE(b_v86_ud), 3);
    set_idt(h, EXCP06_ILLOP, SEL(G_CONF0), TARGET, 14, 3, true);
    run(h);
    check_exc(h, EXCP0D_GPF, SEL(G_CONF0) | 1);
    harness_free(h);
}

BLOB(b_v86_cs_wr, ".code16\n movw $0x5a5a, %cs:(0x100)\n int3");

/* v86 segments behave as read/write data: CS can be written. */
static void test_v86_cs_write(void)
{
    CPUHarness *h = v86_enter(CODE(b_v86_cs_wr), 3);

    run(h);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(rd16(h, V86_CODE + 0x100), ==, 0x5a5a);
    harness_free(h);
}

static void test_iret_in_v86(void)
{
    CPUHarness *h;

    /* IOPL < 3: #GP(0) to the monitor. */
    h = v86_enter(CODE(b_v86_iret), 0);
    run(h);
    check_exc(h, EXCP0D_GPF, 0);
    g_assert_cmphex(exc_eip(h), ==, 0);
    harness_free(h);

    /* IOPL 3: a 16-bit frame at SS:0x800; IOPL stays 3 though the image
     * says 0. */
    h = v86_enter(CODE(b_v86_iret_ok), 3);
    wr16(h, 0x6800, 0x0010); /* IP */
    wr16(h, 0x6802, 0x0710); /* CS: linear 0x7100 + 0x10 */
    wr16(h, 0x6804, 0x0001); /* FLAGS: CF, IOPL 0 */
    wr8(h, 0x7110, 0xcc);
    run(h);
    check_exc(h, EXCP03_INT3, 0);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP]), ==, 0x11);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 4), ==, 0x710);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 8) &
                        (VM_MASK | IOPL_MASK | CC_C),
                    ==, VM_MASK | IOPL_MASK | CC_C);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 12), ==, 0x806);
    harness_free(h);

    /* IRETD in v86 mode with EIP beyond 64 KiB: #GP(0). */
    h = v86_enter(CODE(b_v86_iretd), 3);
    wr32(h, 0x6800, 0x10000);
    wr32(h, 0x6804, 0x0700);
    wr32(h, 0x6808, 0x0002);
    run(h);
    check_exc(h, EXCP0D_GPF, 0);
    harness_free(h);
}

/* ================= interrupt delivery ================= */

BLOB(b_int40, "int $0x40\n hlt");
BLOB(b_ud2, "ud2\n hlt");

static CPUHarness *int_run(const uint8_t *code, size_t len,
                           void (*prep)(CPUHarness *), bool ring3)
{
    CPUHarness *h = prot();

    if (prep) {
        prep(h);
    }
    if (ring3) {
        harness_enter_ring3(h);
        h->env->regs[R_ESP] = STACK3;
    }
    harness_set_code(h, code, len);
    run(h);
    return h;
}

static void idt_dpl0(CPUHarness *h)
{
    set_idt(h, 0x40, 0x08, TARGET, 14, 0, true);
}

static void idt_np(CPUHarness *h)
{
    set_idt(h, 0x40, 0x08, TARGET, 14, 3, false);
    set_idt(h, EXCP06_ILLOP, 0x08, TARGET, 14, 3, false);
}

static void idt_limit(CPUHarness *h)
{
    h->env->idt.limit = 0x40 * 8 + 6;
}

static void idt_badtype(CPUHarness *h)
{
    set_idt(h, 0x40, 0x08, TARGET, 12, 3, true);        /* a call gate */
    set_idt(h, EXCP06_ILLOP, 0x08, TARGET, 1, 3, true); /* a TSS type */
}

static void idt_nullcs(CPUHarness *h)
{
    set_idt(h, 0x40, 0, TARGET, 14, 3, true);
    set_idt(h, EXCP06_ILLOP, 0, TARGET, 14, 3, true);
}

static void idt_datacs(CPUHarness *h)
{
    set_idt(h, 0x40, SEL(G_DATA), TARGET, 14, 3, true);
    set_idt(h, EXCP06_ILLOP, SEL(G_DATA), TARGET, 14, 3, true);
}

static void idt_npcs(CPUHarness *h)
{
    set_idt(h, 0x40, SEL(G_CODE_NP), TARGET, 14, 3, true);
    set_idt(h, EXCP06_ILLOP, SEL(G_CODE_NP), TARGET, 14, 3, true);
}

static void idt_limitcs(CPUHarness *h)
{
    set_idt(h, 0x40, SEL(G_CODE_SMALL), TARGET, 14, 3, true);
    set_idt(h, EXCP06_ILLOP, SEL(G_CODE_SMALL), TARGET, 14, 3, true);
}

static void idt_dpl3cs(CPUHarness *h)
{
    set_idt(h, 0x40, SEL(G_CODE3), TARGET, 14, 3, true);
}

static void int_fault(const uint8_t *code, size_t len,
                      void (*prep)(CPUHarness *), bool ring3, int vector,
                      uint32_t err)
{
    CPUHarness *h = int_run(code, len, prep, ring3);

    check_exc(h, vector, err);
    g_assert_cmphex(exc_eip(h), ==, h->code_addr);
    harness_free(h);
}

static void test_idt_faults(void)
{
    /* INT n: the gate DPL; EXT = 0 in every error code. */
    int_fault(CODE(b_int40), idt_dpl0, true, EXCP0D_GPF, 0x40 * 8 + 2);
    int_fault(CODE(b_int40), idt_np, false, EXCP0B_NOSEG, 0x40 * 8 + 2);
    int_fault(CODE(b_int40), idt_limit, false, EXCP0D_GPF, 0x40 * 8 + 2);
    int_fault(CODE(b_int40), idt_badtype, false, EXCP0D_GPF, 0x40 * 8 + 2);
    int_fault(CODE(b_int40), idt_nullcs, false, EXCP0D_GPF, 0);
    int_fault(CODE(b_int40), idt_datacs, false, EXCP0D_GPF, SEL(G_DATA));
    int_fault(CODE(b_int40), idt_npcs, false, EXCP0B_NOSEG, SEL(G_CODE_NP));
    int_fault(CODE(b_int40), idt_limitcs, false, EXCP0D_GPF, 0);
    int_fault(CODE(b_int40), idt_dpl3cs, false, EXCP0D_GPF, SEL(G_CODE3));
    /* An exception: EXT = 1. */
    int_fault(CODE(b_ud2), idt_np, false, EXCP0B_NOSEG, 6 * 8 + 2 + 1);
    int_fault(CODE(b_ud2), idt_badtype, false, EXCP0D_GPF, 6 * 8 + 2 + 1);
    int_fault(CODE(b_ud2), idt_nullcs, false, EXCP0D_GPF, 1);
    int_fault(CODE(b_ud2), idt_datacs, false, EXCP0D_GPF, SEL(G_DATA) + 1);
    int_fault(CODE(b_ud2), idt_npcs, false, EXCP0B_NOSEG, SEL(G_CODE_NP) + 1);
    int_fault(CODE(b_ud2), idt_limitcs, false, EXCP0D_GPF, 1);
}

/* A fault while delivering a contributory fault: #DF with error 0. */
static void idt_gp_np(CPUHarness *h)
{
    set_idt(h, EXCP0D_GPF, 0x08, TARGET, 14, 3, false);
}

BLOB(b_gp, "mov %ax, %ds\n hlt");

static void test_double_fault(void)
{
    CPUHarness *h = prot();

    idt_gp_np(h);
    h->env->regs[R_EAX] = SEL(256);
    harness_set_code(h, CODE(b_gp));
    run(h);
    check_exc(h, EXCP08_DBLE, 0);
    g_assert_cmphex(exc_eip(h), ==, h->code_addr);
    harness_free(h);
}

static void prep_if(CPUHarness *h)
{
    h->env->eflags |= IF_MASK;
}

static void idt_kinds(CPUHarness *h)
{
    prep_if(h);
    set_idt(h, 0x40, 0x08, HARNESS_STUBS + 0x40 * 16, 15, 3, true); /* trap */
    set_idt(h, 0x41, 0x08, TARGET16, 6, 3, true); /* 16-bit interrupt */
}

BLOB(b_int41, "int $0x41\n hlt");

static void test_gate_kinds(void)
{
    CPUHarness *h;

    /* A trap gate keeps IF, an interrupt gate clears it. */
    h = int_run(CODE(b_int40), idt_kinds, false);
    check_exc(h, 0x40, 0);
    g_assert_true(h->env->eflags & IF_MASK);
    harness_free(h);
    h = int_run(CODE(b_int40), prep_if, false);
    check_exc(h, 0x40, 0);
    g_assert_false(h->env->eflags & IF_MASK);
    harness_free(h);

    /* A 16-bit gate pushes 16-bit IP, CS, FLAGS. */
    h = prot();
    idt_kinds(h);
    harness_set_code(h, CODE(b_int41));
    run(h);
    check_halt_at(h, TARGET16);
    g_assert_cmphex(h->env->regs[R_ESP], ==, HARNESS_STACK - 6);
    g_assert_cmphex(rd16(h, HARNESS_STACK - 6), ==,
                    (h->code_addr + 2) & 0xffff);
    g_assert_cmphex(rd16(h, HARNESS_STACK - 4), ==, 0x08);
    g_assert_cmphex(rd16(h, HARNESS_STACK - 2), ==, 0x0202);
    g_assert_false(h->env->eflags & IF_MASK);
    harness_free(h);

    /* From ring 3: the stack from the TSS, frame SS ESP EFLAGS CS EIP. */
    h = int_run(CODE(b_int40), NULL, true);
    check_exc(h, 0x40, 0);
    g_assert_cmphex(h->env->regs[R_ESP], ==, HARNESS_STACK0 - 20);
    g_assert_cmphex(rd32(h, HARNESS_STACK0 - 4), ==, 0x33);
    g_assert_cmphex(rd32(h, HARNESS_STACK0 - 8), ==, STACK3);
    g_assert_cmphex(rd32(h, HARNESS_STACK0 - 16), ==, 0x2b);
    g_assert_cmphex(h->env->segs[R_SS].selector, ==, 0x10);
    harness_free(h);
}

/* Inner-stack faults while delivering from ring 3 (seen by a conforming
 * spin handler, which needs no stack switch). */
static void test_idt_stack_faults(void)
{
    void (*preps[])(CPUHarness *) = { prep_ss0_null, prep_ss0_rpl, prep_ss0_np,
                                      prep_ss0_room, prep_tr_limit };
    const int vec[] = { EXCP0A_TSS, EXCP0A_TSS, EXCP0C_STACK, EXCP0C_STACK,
                        EXCP0A_TSS };
    const uint32_t err[] = { 0, SEL(G_DATA), SEL(G_DATA_NP), SEL(G_SMALL_DATA),
                             0x38 };

    for (int i = 0; i < 5; i++) {
        /* INT n: EXT = 0 */
        CPUHarness *h = prot();
        preps[i](h);
        spin_handler(h, vec[i]);
        harness_enter_ring3(h);
        h->env->regs[R_ESP] = STACK3;
        harness_set_code(h, CODE(b_int40));
        harness_run(h, 20);
        g_assert_cmphex(spin_error(h), ==, err[i]);
        harness_free(h);
        /* An exception: EXT = 1 */
        h = prot();
        preps[i](h);
        spin_handler(h, vec[i]);
        harness_enter_ring3(h);
        h->env->regs[R_ESP] = STACK3;
        harness_set_code(h, CODE(b_ud2));
        harness_run(h, 20);
        g_assert_cmphex(spin_error(h), ==, err[i] | 1);
        harness_free(h);
    }
}

/* ================= task switches ================= */

typedef struct TssInit {
    uint32_t eip, eflags, esp, cs, ss, ds, ldt, cr3;
    bool trap;
} TssInit;

/* A 32-bit TSS at base with regs EAX..EDI = 0xa0+i ... */
static void tss32_init(CPUHarness *h, uint32_t base, const TssInit *t)
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

static const TssInit tss_b_default = {
    .eip = TARGET,
    .eflags = 0x2 | CC_C,
    .esp = STACK_B,
    .cs = 0x08,
    .ss = 0x10,
    .ds = 0x10,
};

/* Current task A (busy, in TR), task B available. */
static CPUHarness *task_setup(const void *bv)
{
    const TssInit *b = bv;
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

BLOB(b_task_jmp, "ljmp $0x208, $0\n hlt");
BLOB(b_task_call, "lcall $0x208, $0\n hlt");

static void check_task_b_loaded(CPUHarness *h)
{
    CPUX86State *env = h->env;

    g_assert_cmphex(env->tr.selector, ==, SEL(G_TSS_B));
    g_assert_cmphex(env->tr.base, ==, TSS_B);
    g_assert_cmphex((env->tr.flags >> 8) & 0xf, ==, 11);
    g_assert_cmphex(env->regs[R_EAX], ==, 0xa0a0a000);
    g_assert_cmphex(env->regs[R_EDI], ==, 0xa0a0a007);
    g_assert_cmphex(env->segs[R_SS].selector, ==, 0x10);
    g_assert_true(env->segs[R_DS].flags & DESC_P_MASK);
    g_assert_true(env->cr[0] & CR0_TS_MASK);
    g_assert_cmphex(desc_hi(h, G_TSS_B) & 0xf00, ==, 0xb00);
}

static void test_task_jmp(void)
{
    CPUHarness *h = task_setup(NULL);

    g_assert_cmpint(SEL(G_TSS_B), ==, 0x208);
    harness_set_code(h, CODE(b_task_jmp));
    h->env->eflags |= DF_MASK;
    run(h);
    check_halt_at(h, TARGET);
    check_task_b_loaded(h);
    g_assert_cmphex(h->env->regs[R_ESP], ==, STACK_B);
    g_assert_cmphex(cpu_compute_eflags(h->env), ==, 0x2 | CC_C);
    /* The old task: state saved, not busy; no nesting anywhere. */
    g_assert_cmphex(rd32(h, TSS_A + 0x20), ==, h->code_addr + 7);
    g_assert_cmphex(rd32(h, TSS_A + 0x24), ==, 0x2 | DF_MASK);
    g_assert_cmphex(rd32(h, TSS_A + 0x28), ==, 0x5000);
    g_assert_cmphex(rd32(h, TSS_A + 0x38), ==, HARNESS_STACK);
    g_assert_cmphex(rd32(h, TSS_A + 0x44), ==, 0x5007);
    g_assert_cmphex(rd16(h, TSS_A + 0x4c), ==, 0x08);
    g_assert_cmphex(rd16(h, TSS_A + 0x50), ==, 0x10);
    g_assert_cmphex(desc_hi(h, G_TSS_A) & 0xf00, ==, 0x900);
    g_assert_cmphex(rd16(h, TSS_B), ==, 0);
    g_assert_false(h->env->eflags & NT_MASK);
    harness_free(h);
}

BLOB(b_task_b_iret, "mov $0x12345678, %eax\n iret");

static void test_task_call_iret(void)
{
    CPUHarness *h = task_setup(NULL);

    /* CALL: nested, back link, old task stays busy. */
    harness_set_code(h, CODE(b_task_call));
    run(h);
    check_halt_at(h, TARGET);
    check_task_b_loaded(h);
    g_assert_true(h->env->eflags & NT_MASK);
    g_assert_cmphex(rd16(h, TSS_B), ==, SEL(G_TSS_A));
    g_assert_cmphex(desc_hi(h, G_TSS_A) & 0xf00, ==, 0xb00);
    harness_free(h);

    /* ... and IRET back: A's registers, B not busy, B saved without NT. */
    h = task_setup(NULL);
    harness_write(h, TARGET, CODE(b_task_b_iret));
    harness_set_code(h, CODE(b_task_call));
    run(h);
    check_halt_at(h, h->code_addr + 7);
    g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_A));
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0x5000);
    g_assert_cmphex(h->env->regs[R_ESP], ==, HARNESS_STACK);
    g_assert_false(h->env->eflags & NT_MASK);
    g_assert_cmphex(desc_hi(h, G_TSS_B) & 0xf00, ==, 0x900);
    g_assert_cmphex(desc_hi(h, G_TSS_A) & 0xf00, ==, 0xb00);
    g_assert_cmphex(rd32(h, TSS_B + 0x28), ==, 0x12345678);
    g_assert_cmphex(rd32(h, TSS_B + 0x24) & NT_MASK, ==, 0);
    g_assert_cmphex(rd32(h, TSS_B + 0x20), ==, TARGET + 6);
    harness_free(h);
}

BLOB(b_task_gate_jmp, "ljmp $0x218, $0\n hlt");
BLOB(b_int50, "int $0x50\n hlt");

static void test_task_gates(void)
{
    CPUHarness *h;

    /* A task gate in the GDT. */
    h = task_setup(NULL);
    g_assert_cmpint(SEL(G_TASK_GATE), ==, 0x218);
    set_gate(h, G_TASK_GATE, SEL(G_TSS_B), 0, 5, 0, 0);
    harness_set_code(h, CODE(b_task_gate_jmp));
    run(h);
    check_halt_at(h, TARGET);
    check_task_b_loaded(h);
    harness_free(h);

    /* INT n through a task gate in the IDT: nesting. */
    h = task_setup(NULL);
    set_idt(h, 0x50, SEL(G_TSS_B), 0, 5, 3, true);
    harness_set_code(h, CODE(b_int50));
    run(h);
    check_halt_at(h, TARGET);
    check_task_b_loaded(h);
    g_assert_true(h->env->eflags & NT_MASK);
    g_assert_cmphex(rd16(h, TSS_B), ==, SEL(G_TSS_A));
    g_assert_cmphex(rd32(h, TSS_A + 0x20), ==, h->code_addr + 2);
    g_assert_cmphex(h->env->regs[R_ESP], ==, STACK_B);
    harness_free(h);

    /* An exception with an error code through a task gate: the code is
     * pushed on the new task's stack. */
    h = task_setup(NULL);
    set_idt(h, EXCP0D_GPF, SEL(G_TSS_B), 0, 5, 0, true);
    h->env->regs[R_EAX] = SEL(256);
    harness_set_code(h, CODE(b_gp));
    run(h);
    check_halt_at(h, TARGET);
    check_task_b_loaded(h);
    g_assert_cmphex(h->env->regs[R_ESP], ==, STACK_B - 4);
    g_assert_cmphex(rd32(h, STACK_B - 4), ==, SEL(256));
    g_assert_cmphex(rd32(h, TSS_A + 0x20), ==, h->code_addr);
    harness_free(h);

    /* #DF through a task gate (the usual double-fault handler). */
    h = task_setup(NULL);
    idt_gp_np(h);
    set_idt(h, EXCP08_DBLE, SEL(G_TSS_B), 0, 5, 0, true);
    h->env->regs[R_EAX] = SEL(256);
    harness_set_code(h, CODE(b_gp));
    run(h);
    check_halt_at(h, TARGET);
    check_task_b_loaded(h);
    g_assert_cmphex(rd32(h, STACK_B - 4), ==, 0);
    harness_free(h);

    /* INT n through a task gate whose DPL < CPL: #GP(vector*8+2). */
    h = task_setup(NULL);
    set_idt(h, 0x50, SEL(G_TSS_B), 0, 5, 0, true);
    spin_handler(h, EXCP0D_GPF);
    harness_enter_ring3(h);
    h->env->regs[R_ESP] = STACK3;
    harness_set_code(h, CODE(b_int50));
    harness_run(h, 20);
    g_assert_cmphex(spin_error(h), ==, 0x50 * 8 + 2);
    harness_free(h);
}

static void task_fault(void (*prep)(CPUHarness *), const uint8_t *code,
                       size_t len, int vector, uint32_t err, bool switched)
{
    CPUHarness *h = task_setup(NULL);
    uint32_t b_hi;

    set_gate(h, G_TASK_GATE, SEL(G_TSS_B), 0, 5, 0, 0);
    prep(h);
    b_hi = desc_hi(h, G_TSS_B);
    harness_set_code(h, code, len);
    run(h);
    check_exc(h, vector, err);
    if (switched) {
        /* Raised in the new task: its EIP, its TR. */
        g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_B));
        g_assert_cmphex(exc_eip(h), ==, TARGET);
    } else {
        g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_A));
        g_assert_cmphex(exc_eip(h), ==, h->code_addr);
        g_assert_cmphex(desc_hi(h, G_TSS_A) & 0xf00, ==, 0xb00);
        g_assert_cmphex(desc_hi(h, G_TSS_B), ==, b_hi);
        g_assert_cmphex(rd32(h, TSS_A + 0x20), ==, 0);
    }
    harness_free(h);
}

static void tf_busy(CPUHarness *h)
{
    set_desc(h, G_TSS_B, TSS_B, 0x67, SYS(11));
}

static void tf_limit(CPUHarness *h)
{
    set_desc(h, G_TSS_B, TSS_B, 0x66, SYS(9));
}

static void tf_np(CPUHarness *h)
{
    set_desc(h, G_TSS_B, TSS_B, 0x67, SYS(9) & ~A_P);
}

static void tf_gate_ldt(CPUHarness *h)
{
    set_gate(h, G_TASK_GATE, SEL(G_TSS_B) | 4, 0, 5, 0, 0);
}

static void tf_gate_data(CPUHarness *h)
{
    set_gate(h, G_TASK_GATE, SEL(G_DATA), 0, 5, 0, 0);
}

static void tf_gate_np(CPUHarness *h)
{
    set_gate_at(h, HARNESS_GDT + G_TASK_GATE * 8, SEL(G_TSS_B), 0, 5, 0, false,
                0);
}

static void tf_bad_cs(CPUHarness *h)
{
    wr32(h, TSS_B + 0x4c, SEL(G_DATA));
}

static void tf_cs_np(CPUHarness *h)
{
    wr32(h, TSS_B + 0x4c, SEL(G_CODE_NP));
}

static void tf_cs_null(CPUHarness *h)
{
    wr32(h, TSS_B + 0x4c, 0);
}

static void tf_ss_np(CPUHarness *h)
{
    wr32(h, TSS_B + 0x50, SEL(G_DATA_NP));
}

static void tf_ss_dpl(CPUHarness *h)
{
    wr32(h, TSS_B + 0x50, SEL(G_DATA3) | 3);
}

static void tf_ds_np(CPUHarness *h)
{
    wr32(h, TSS_B + 0x54, SEL(G_DATA_NP));
}

static void tf_ds_priv(CPUHarness *h)
{
    wr32(h, TSS_B + 0x5c, SEL(G_DATA1) | 2); /* GS: RPL 2 > DPL 1 */
}

static void tf_ds_xonly(CPUHarness *h)
{
    wr32(h, TSS_B + 0x58, SEL(G_XONLY)); /* FS */
}

static void tf_ldt_bad(CPUHarness *h)
{
    wr32(h, TSS_B + 0x60, SEL(G_DATA));
}

static void tf_ldt_np(CPUHarness *h)
{
    set_desc(h, G_LDT_NP, LDT_ADDR, 0xf, SYS(2) & ~A_P);
    wr32(h, TSS_B + 0x60, SEL(G_LDT_NP));
}

static void tf_eip_limit(CPUHarness *h)
{
    wr32(h, TSS_B + 0x4c, SEL(G_CODE_SMALL));
}

static void test_task_faults(void)
{
    /* Before the commit point: nothing changes. */
    task_fault(tf_busy, CODE(b_task_jmp), EXCP0D_GPF, SEL(G_TSS_B), false);
    task_fault(tf_limit, CODE(b_task_jmp), EXCP0A_TSS, SEL(G_TSS_B), false);
    task_fault(tf_np, CODE(b_task_jmp), EXCP0B_NOSEG, SEL(G_TSS_B), false);
    task_fault(tf_busy, CODE(b_task_gate_jmp), EXCP0D_GPF, SEL(G_TSS_B), false);
    task_fault(tf_gate_ldt, CODE(b_task_gate_jmp), EXCP0D_GPF, SEL(G_TSS_B) | 4,
               false);
    task_fault(tf_gate_data, CODE(b_task_gate_jmp), EXCP0D_GPF, SEL(G_DATA),
               false);
    task_fault(tf_gate_np, CODE(b_task_gate_jmp), EXCP0B_NOSEG,
               SEL(G_TASK_GATE), false);
    /* After it: in the new task's context. */
    task_fault(tf_bad_cs, CODE(b_task_jmp), EXCP0A_TSS, SEL(G_DATA), true);
    task_fault(tf_cs_np, CODE(b_task_jmp), EXCP0B_NOSEG, SEL(G_CODE_NP), true);
    task_fault(tf_ss_dpl, CODE(b_task_jmp), EXCP0A_TSS, SEL(G_DATA3), true);
    task_fault(tf_ds_np, CODE(b_task_jmp), EXCP0B_NOSEG, SEL(G_DATA_NP), true);
    task_fault(tf_ds_priv, CODE(b_task_jmp), EXCP0A_TSS, SEL(G_DATA1), true);
    task_fault(tf_ds_xonly, CODE(b_task_jmp), EXCP0A_TSS, SEL(G_XONLY), true);
    task_fault(tf_ldt_bad, CODE(b_task_jmp), EXCP0A_TSS, SEL(G_DATA), true);
    task_fault(tf_ldt_np, CODE(b_task_jmp), EXCP0A_TSS, SEL(G_LDT_NP), true);
    task_fault(tf_eip_limit, CODE(b_task_jmp), EXCP0D_GPF, 0, true);
    {
        /*
         * SS not present: #SS(selector) in the new task, which can only
         * be delivered through a task gate (to task C here): B's TSS
         * then holds B's own state, EIP at B's first instruction.
         */
        CPUHarness *h = task_setup(NULL);
        TssInit c = tss_b_default;

        c.esp = STACK_B - 0x1000;
        tss32_init(h, TSS_C, &c);
        set_desc(h, G_TSS_C, TSS_C, 0x67, SYS(9));
        set_idt(h, EXCP0C_STACK, SEL(G_TSS_C), 0, 5, 0, true);
        tf_ss_np(h);
        harness_set_code(h, CODE(b_task_jmp));
        run(h);
        check_halt_at(h, TARGET);
        g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_C));
        g_assert_cmphex(h->env->regs[R_ESP], ==, STACK_B - 0x1000 - 4);
        g_assert_cmphex(rd32(h, STACK_B - 0x1000 - 4), ==, SEL(G_DATA_NP));
        g_assert_cmphex(rd16(h, TSS_C), ==, SEL(G_TSS_B));
        g_assert_cmphex(rd32(h, TSS_B + 0x20), ==, TARGET);
        g_assert_cmphex(rd16(h, TSS_B + 0x50), ==, SEL(G_DATA_NP));
        g_assert_cmphex(desc_hi(h, G_TSS_B) & 0xf00, ==, 0xb00);
        g_assert_cmphex(desc_hi(h, G_TSS_A) & 0xf00, ==, 0x900);
        harness_free(h);
    }
    {
        /* A null CS: #TS(0), still in the new task. */
        CPUHarness *h = task_setup(NULL);
        tf_cs_null(h);
        harness_set_code(h, CODE(b_task_jmp));
        run(h);
        check_exc(h, EXCP0A_TSS, 0);
        g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_B));
        harness_free(h);
    }
    {
        /* A TSS with DPL 0 from ring 3: #GP(selector). */
        CPUHarness *h = task_setup(NULL);
        spin_handler(h, EXCP0D_GPF);
        harness_enter_ring3(h);
        h->env->regs[R_ESP] = STACK3;
        harness_set_code(h, CODE(b_task_jmp));
        harness_run(h, 20);
        g_assert_cmphex(spin_error(h), ==, SEL(G_TSS_B));
        g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_A));
        harness_free(h);
    }
}

/* IRET with NT: the back link must be a busy TSS in the GDT. */
static void test_task_iret_faults(void)
{
    static const struct {
        uint32_t link;
        bool busy;
        bool present;
        int vector;
        uint32_t err;
    } cases[] = {
        { SEL(G_TSS_B), false, true, EXCP0A_TSS, SEL(G_TSS_B) },
        { SEL(G_TSS_B) | 4, true, true, EXCP0A_TSS, SEL(G_TSS_B) | 4 },
        { SEL(256), true, true, EXCP0A_TSS, SEL(256) },
        { SEL(G_DATA), true, true, EXCP0A_TSS, SEL(G_DATA) },
        { SEL(G_TSS_B), true, false, EXCP0B_NOSEG, SEL(G_TSS_B) },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        CPUHarness *h = task_setup(NULL);

        set_desc(h, G_TSS_B, TSS_B, 0x67,
                 (cases[i].busy ? SYS(11) : SYS(9)) &
                     (cases[i].present ? ~0u : ~A_P));
        wr16(h, TSS_A, cases[i].link);
        h->env->eflags |= NT_MASK;
        harness_set_code(h, b_iret, 1);
        run(h);
        check_exc(h, cases[i].vector, cases[i].err);
        g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_A));
        harness_free(h);
    }
    {
        /* A busy B returns fine (the usual nested return). */
        CPUHarness *h = task_setup(NULL);
        set_desc(h, G_TSS_B, TSS_B, 0x67, SYS(11));
        wr16(h, TSS_A, SEL(G_TSS_B));
        h->env->eflags |= NT_MASK;
        harness_set_code(h, b_iret, 1);
        run(h);
        check_halt_at(h, TARGET);
        check_task_b_loaded(h);
        g_assert_cmphex(desc_hi(h, G_TSS_A) & 0xf00, ==, 0x900);
        g_assert_cmphex(rd32(h, TSS_A + 0x24) & NT_MASK, ==, 0);
        harness_free(h);
    }
}

/* A 16-bit TSS: 16-bit fields; the upper register halves stay. */
static void test_task_16bit(void)
{
    CPUHarness *h = task_setup(NULL);

    for (int i = 0; i < 0x2c; i += 2) {
        wr16(h, TSS_C + i, 0);
    }
    wr16(h, TSS_C + 0x0e, TARGET16);
    wr16(h, TSS_C + 0x10, 0x0003);
    for (int i = 0; i < 8; i++) {
        wr16(h, TSS_C + 0x12 + 2 * i, 0x1100 + i);
    }
    wr16(h, TSS_C + 0x1a, 0x7000); /* SP */
    wr16(h, TSS_C + 0x22, 0x10);   /* ES */
    wr16(h, TSS_C + 0x24, 0x08);   /* CS */
    wr16(h, TSS_C + 0x26, 0x10);   /* SS */
    wr16(h, TSS_C + 0x28, 0x10);   /* DS */
    set_desc(h, G_TSS16, TSS_C, 0x2b, SYS(1));
    wr32(h, DATA, 0);
    wr16(h, DATA + 4, SEL(G_TSS16));
    h->env->regs[R_EBX] = DATA;
    harness_set_code(h, CODE(b_ljmp_m));
    run(h);
    check_halt_at(h, TARGET16);
    g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS16));
    g_assert_cmphex((h->env->tr.flags >> 8) & 0xf, ==, 3);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0x1100);
    g_assert_cmphex(h->env->regs[R_ECX], ==, 0x1101);
    g_assert_cmphex(h->env->regs[R_ESP], ==,
                    (HARNESS_STACK & ~0xffff) | 0x7000);
    g_assert_cmphex(cpu_compute_eflags(h->env), ==, 0x0003);
    /* A 16-bit TSS has no FS and GS: they become null. */
    g_assert_cmphex(h->env->segs[R_FS].selector, ==, 0);
    g_assert_cmphex(h->env->segs[R_GS].selector, ==, 0);
    harness_free(h);

    /* A 16-bit TSS with limit 0x2a is too small: #TS. */
    h = task_setup(NULL);
    set_desc(h, G_TSS16, TSS_C, 0x2a, SYS(1));
    wr32(h, DATA, 0);
    wr16(h, DATA + 4, SEL(G_TSS16));
    h->env->regs[R_EBX] = DATA;
    harness_set_code(h, CODE(b_ljmp_m));
    run(h);
    check_exc(h, EXCP0A_TSS, SEL(G_TSS16));
    harness_free(h);
}

/* A task whose EFLAGS has VM: a v86 task. */
static void test_task_v86(void)
{
    TssInit t = {
        .eip = 0,
        .eflags = VM_MASK | IOPL_MASK | 0x2,
        .esp = 0xffe,
        .cs = V86_CODE >> 4,
        .ss = 0x600,
        .ds = 0x30,
    };
    CPUHarness *h = task_setup(&t);

    harness_write(h, V86_CODE, CODE(b_v86_int));
    wr16(h, 0x300, 0xbeef);
    harness_set_code(h, CODE(b_task_jmp));
    run(h);
    check_exc(h, 0x21, 0);
    g_assert_cmphex(h->env->regs[R_EAX] & 0xffff, ==, 0xbeef);
    /* Delivered with the new task's ring-0 stack (its TSS). */
    g_assert_cmphex(h->env->regs[R_ESP], ==, STACK_B - 0x800 - 36);
    g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 4), ==, 0x700);
    harness_free(h);
}

/* CR3 comes from the new 32-bit TSS when paging is on. */
static void test_task_cr3(void)
{
    CPUHarness *h = harness_new(HARNESS_PAGED32);
    TssInit t = tss_b_default;

    h->env->gdt.limit = 0x7ff;
    wr8(h, TARGET, 0xf4);
    /* A second page directory: a copy of the harness's at 0xe0000. */
    for (int i = 0; i < 4; i++) {
        wr32(h, 0xe0000 + 4 * i, rd32(h, HARNESS_PT + 4 * i));
    }
    t.cr3 = 0xe0000;
    set_desc(h, G_TSS_A, TSS_A, 0x67, SYS(11));
    set_desc(h, G_TSS_B, TSS_B, 0x67, SYS(9));
    tss32_init(h, TSS_B, &t);
    h->env->tr.selector = SEL(G_TSS_A);
    h->env->tr.base = TSS_A;
    h->env->tr.limit = 0x67;
    h->env->tr.flags = SYS(11);
    harness_set_code(h, CODE(b_task_jmp));
    run(h);
    check_halt_at(h, TARGET);
    g_assert_cmphex(h->env->cr[3], ==, 0xe0000);
    harness_free(h);
}

/* The T bit: #DB before the new task's first instruction, DR6.BT. */
static void test_task_trap_bit(void)
{
    TssInit t = tss_b_default;
    CPUHarness *h;

    t.trap = true;
    h = task_setup(&t);
    harness_set_code(h, CODE(b_task_jmp));
    run(h);
    check_exc(h, EXCP01_DB, 0);
    g_assert_cmphex(exc_eip(h), ==, TARGET);
    g_assert_true(h->env->dr[6] & (1u << 15));
    harness_free(h);
}

/* ================= LLDT SLDT LTR STR ================= */

BLOB(b_lldt, "lldt %ax\n hlt");
BLOB(b_lldt_use, "lldt %ax\n mov %cx, %ds\n mov (0x10), %edx\n hlt");
BLOB(b_ltr, "ltr %ax\n hlt");
BLOB(b_sldt32, "sldt %eax\n hlt");
BLOB(b_sldt16, "sldt %ax\n hlt");
BLOB(b_sldt_m, "sldt (%ebx)\n hlt");
BLOB(b_str32, "str %eax\n hlt");
BLOB(b_str16, "str %ax\n hlt");
BLOB(b_str_m, "str (%ebx)\n hlt");

static CPUHarness *sys_run(const uint8_t *code, size_t len, uint32_t eax,
                           bool ring3)
{
    CPUHarness *h = prot();

    set_desc(h, G_LDT, LDT_ADDR, 0x17, SYS(2));
    set_desc(h, G_LDT_NP, LDT_ADDR, 0x17, SYS(2) & ~A_P);
    set_desc(h, G_TSS16, TSS_C, 0x2b, SYS(1));
    set_desc(h, G_TSS_AVAIL, TSS_B, 0x67, SYS(9));
    set_desc(h, G_TSS_B, TSS_B, 0x67, SYS(11));
    /* LDT entry 2: data at base 0x300000 */
    wr32(h, LDT_ADDR + 16, 0x0000ffff);
    wr32(h, LDT_ADDR + 20, 0x30 | DATA_RW | A_D);
    if (ring3) {
        harness_enter_ring3(h);
    }
    harness_set_code(h, code, len);
    h->env->regs[R_EAX] = eax;
    run(h);
    return h;
}

static void sys_fault(const uint8_t *code, size_t len, uint32_t eax, bool ring3,
                      int vector, uint32_t err)
{
    CPUHarness *h = sys_run(code, len, eax, ring3);

    check_exc(h, vector, err);
    harness_free(h);
}

static void test_lldt(void)
{
    CPUHarness *h;

    h = prot();
    set_desc(h, G_LDT, LDT_ADDR, 0x17, SYS(2));
    wr32(h, LDT_ADDR + 16, 0x0000ffff);
    wr32(h, LDT_ADDR + 20, 0x30 | DATA_RW | A_D);
    wr32(h, 0x300010, 0xcafe);
    harness_set_code(h, CODE(b_lldt_use));
    h->env->regs[R_EAX] = SEL(G_LDT);
    h->env->regs[R_ECX] = 0x14; /* LDT entry 2 */
    run(h);
    check_halt_at(h, h->code_addr + (b_lldt_use_end - b_lldt_use_start) - 1);
    g_assert_cmphex(h->env->regs[R_EDX], ==, 0xcafe);
    g_assert_cmphex(h->env->ldt.selector, ==, SEL(G_LDT));
    g_assert_cmphex(h->env->ldt.base, ==, LDT_ADDR);
    g_assert_cmphex(h->env->ldt.limit, ==, 0x17);
    g_assert_cmphex(h->env->segs[R_DS].base, ==, 0x300000);
    harness_free(h);

    /* A null LDT: TI = 1 selectors then fault. */
    h = prot();
    harness_set_code(h, CODE(b_lldt_use));
    h->env->regs[R_EAX] = 0;
    h->env->regs[R_ECX] = 0x14;
    run(h);
    check_exc(h, EXCP0D_GPF, 0x14);
    g_assert_cmphex(h->env->ldt.selector, ==, 0);
    harness_free(h);

    sys_fault(CODE(b_lldt), SEL(G_LDT) | 4, false, EXCP0D_GPF, SEL(G_LDT) | 4);
    sys_fault(CODE(b_lldt), SEL(256), false, EXCP0D_GPF, SEL(256));
    sys_fault(CODE(b_lldt), SEL(G_DATA), false, EXCP0D_GPF, SEL(G_DATA));
    sys_fault(CODE(b_lldt), 0x38, false, EXCP0D_GPF, 0x38);
    sys_fault(CODE(b_lldt), SEL(G_LDT_NP), false, EXCP0B_NOSEG, SEL(G_LDT_NP));
    sys_fault(CODE(b_lldt), SEL(G_LDT), true, EXCP0D_GPF, 0);
}

static void test_ltr(void)
{
    CPUHarness *h;

    h = sys_run(CODE(b_ltr), SEL(G_TSS_AVAIL), false);
    check_halt_at(h, h->code_addr + 3);
    g_assert_cmphex(h->env->tr.selector, ==, SEL(G_TSS_AVAIL));
    g_assert_cmphex(h->env->tr.base, ==, TSS_B);
    g_assert_cmphex(h->env->tr.limit, ==, 0x67);
    g_assert_cmphex((h->env->tr.flags >> 8) & 0xf, ==, 11);
    g_assert_cmphex(desc_hi(h, G_TSS_AVAIL) & 0xf00, ==, 0xb00);
    harness_free(h);
    /* A 16-bit TSS is fine too (outside long mode). */
    h = sys_run(CODE(b_ltr), SEL(G_TSS16), false);
    check_halt_at(h, h->code_addr + 3);
    g_assert_cmphex(desc_hi(h, G_TSS16) & 0xf00, ==, 0x300);
    harness_free(h);

    sys_fault(CODE(b_ltr), 0, false, EXCP0D_GPF, 0);
    sys_fault(CODE(b_ltr), 3, false, EXCP0D_GPF, 0);
    sys_fault(CODE(b_ltr), SEL(G_TSS_B), false, EXCP0D_GPF,
              SEL(G_TSS_B)); /* busy */
    sys_fault(CODE(b_ltr), SEL(G_LDT), false, EXCP0D_GPF, SEL(G_LDT));
    sys_fault(CODE(b_ltr), SEL(G_TSS_AVAIL) | 4, false, EXCP0D_GPF,
              SEL(G_TSS_AVAIL) | 4);
    sys_fault(CODE(b_ltr), SEL(256), false, EXCP0D_GPF, SEL(256));
    sys_fault(CODE(b_ltr), SEL(G_TSS_AVAIL), true, EXCP0D_GPF, 0);
    h = prot();
    set_desc(h, G_TSS_AVAIL, TSS_B, 0x67, SYS(9) & ~A_P);
    harness_set_code(h, CODE(b_ltr));
    h->env->regs[R_EAX] = SEL(G_TSS_AVAIL);
    run(h);
    check_exc(h, EXCP0B_NOSEG, SEL(G_TSS_AVAIL));
    g_assert_cmphex(h->env->tr.selector, ==, 0x38);
    harness_free(h);
}

static void test_sldt_str(void)
{
    CPUHarness *h;

    /* Register forms: zero-extended at 32 bits, low 16 bits at 16. */
    h = prot();
    h->env->ldt.selector = 0x1234;
    harness_set_code(h, CODE(b_sldt32));
    h->env->regs[R_EAX] = 0xffffffff;
    run(h);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0x1234);
    harness_free(h);
    h = prot();
    h->env->ldt.selector = 0x1234;
    harness_set_code(h, CODE(b_sldt16));
    h->env->regs[R_EAX] = 0xffffffff;
    run(h);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0xffff1234);
    harness_free(h);
    h = prot();
    harness_set_code(h, CODE(b_str32));
    h->env->regs[R_EAX] = 0xffffffff;
    run(h);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0x38);
    harness_free(h);
    h = prot();
    harness_set_code(h, CODE(b_str16));
    h->env->regs[R_EAX] = 0xffffffff;
    run(h);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0xffff0038);
    harness_free(h);
    /* Memory forms store 16 bits. */
    h = prot();
    h->env->ldt.selector = 0x1234;
    wr32(h, DATA, 0xffffffff);
    harness_set_code(h, CODE(b_sldt_m));
    h->env->regs[R_EBX] = DATA;
    run(h);
    g_assert_cmphex(rd32(h, DATA), ==, 0xffff1234);
    harness_free(h);
    h = prot();
    wr32(h, DATA, 0xffffffff);
    harness_set_code(h, CODE(b_str_m));
    h->env->regs[R_EBX] = DATA;
    /* Not privileged. */
    harness_enter_ring3(h);
    run(h);
    g_assert_cmphex(rd32(h, DATA), ==, 0xffff0038);
    harness_free(h);
}

/* Long mode: 16-byte LDT/TSS descriptors, 64-bit TSS only. */
BLOB(b_l_ltr, ".code64\n ltr %ax\n hlt");
/* sldt %rcx with an explicit REX.W (gas leaves it out) */
BLOB(b_l_lldt, ".code64\n lldt %ax\n .byte 0x48, 0x0f, 0x00, 0xc1\n hlt");
BLOB(b_l_lar, ".code64\n lar %ax, %rcx\n hlt");

static CPUHarness *long_run(const uint8_t *code, size_t len, uint32_t eax)
{
    CPUHarness *h = harness_new(HARNESS_LONG64);

    h->env->gdt.limit = 0x7ff;
    /* a 64-bit LDT at 0x1_0022_0000 (slots 68-69), a 16-bit TSS (70) */
    set_desc(h, G_LDT, LDT_ADDR, 0x17, SYS(2));
    wr32(h, HARNESS_GDT + (G_LDT + 1) * 8, 0x1);
    wr32(h, HARNESS_GDT + (G_LDT + 1) * 8 + 4, 0);
    set_desc(h, G_TSS16, TSS_C, 0x2b, SYS(1));
    harness_set_code(h, code, len);
    h->env->regs[R_EAX] = eax;
    h->env->regs[R_ECX] = ~0ull;
    run(h);
    return h;
}

static void test_long_mode(void)
{
    CPUHarness *h;

    h = long_run(CODE(b_l_ltr), 0x38);
    check_halt_at(h, h->code_addr + 3);
    g_assert_cmphex(h->env->tr.base, ==, HARNESS_TSS);
    g_assert_cmphex(desc_hi(h, 7) & 0xf00, ==, 0xb00);
    harness_free(h);
    h = long_run(CODE(b_l_ltr), SEL(G_TSS16));
    check_exc(h, EXCP0D_GPF, SEL(G_TSS16));
    harness_free(h);

    h = long_run(CODE(b_l_lldt), SEL(G_LDT));
    check_halt_at(h, h->code_addr + 7);
    g_assert_cmphex(h->env->ldt.base, ==, 0x100000000ull | LDT_ADDR);
    g_assert_cmphex(h->env->regs[R_ECX], ==, SEL(G_LDT));
    harness_free(h);

    /* LAR: a 16-bit TSS is no valid type in IA-32e mode, an LDT is. */
    h = long_run(CODE(b_l_lar), SEL(G_TSS16));
    g_assert_false(zf(h));
    g_assert_cmphex(h->env->regs[R_ECX], ==, ~0ull);
    harness_free(h);
    h = long_run(CODE(b_l_lar), SEL(G_LDT));
    g_assert_true(zf(h));
    g_assert_cmphex(h->env->regs[R_ECX], ==, SYS(2));
    harness_free(h);
}

/* None of these exists in real or v86 mode. */
BLOB(b_r_lldt, ".code16\n lldt %ax\n hlt");
BLOB(b_r_sldt, ".code16\n sldt %ax\n hlt");
BLOB(b_r_ltr, ".code16\n ltr %ax\n hlt");
BLOB(b_r_str, ".code16\n str %ax\n hlt");
BLOB(b_r_verr, ".code16\n verr %ax\n hlt");
BLOB(b_r_verw, ".code16\n verw %ax\n hlt");
BLOB(b_r_lar, ".code16\n lar %ax, %cx\n hlt");
BLOB(b_r_lsl, ".code16\n lsl %ax, %cx\n hlt");
BLOB(b_r_arpl, ".code16\n arpl %cx, %ax\n hlt");

static void test_ud_real_v86(void)
{
    struct {
        const uint8_t *s;
        size_t n;
    } c[] = {
        { CODE(b_r_lldt) }, { CODE(b_r_sldt) }, { CODE(b_r_ltr) },
        { CODE(b_r_str) },  { CODE(b_r_verr) }, { CODE(b_r_verw) },
        { CODE(b_r_lar) },  { CODE(b_r_lsl) },  { CODE(b_r_arpl) },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
        CPUHarness *h = harness_new(HARNESS_REAL);

        harness_set_code(h, c[i].s, c[i].n);
        run(h);
        check_exc(h, EXCP06_ILLOP, 0);
        harness_free(h);

        h = v86_enter(c[i].s, c[i].n, 3);
        run(h);
        check_exc(h, EXCP06_ILLOP, 0);
        g_assert_cmphex(rd32(h, h->env->regs[R_ESP] + 4), ==, 0x700);
        harness_free(h);
    }
}

/* ================= VERR VERW LAR LSL ARPL ================= */

BLOB(b_verr, "stc\n verr %ax\n hlt");
BLOB(b_verw, "stc\n verw %ax\n hlt");
BLOB(b_lar32, "stc\n lar %ax, %ecx\n hlt");
BLOB(b_lar16, "stc\n lar %ax, %cx\n hlt");
BLOB(b_lsl32, "stc\n lsl %ax, %ecx\n hlt");
BLOB(b_lsl16, "stc\n lsl %ax, %cx\n hlt");
BLOB(b_lar_m, "lar (%ebx), %ecx\n hlt");

/* Runs the blob with AX = sel; returns ZF, checks CF stayed 1. */
static bool zf_of(const uint8_t *code, size_t len, uint32_t sel, bool ring3,
                  uint32_t *ecx)
{
    CPUHarness *h = prot();
    bool z;

    set_desc(h, G_TSS16, TSS_C, 0x2b, SYS(1));
    set_desc(h, G_LDT, LDT_ADDR, 0x17, SYS(2));
    set_gate(h, G_GATE, SEL(G_CODE0), TARGET, 12, 3, 0);
    set_gate(h, G_GATE + 1, SEL(G_CODE0), TARGET, 4, 3, 0);
    set_gate(h, G_GATE + 2, SEL(G_TSS_B), 0, 5, 3, 0);
    set_gate(h, G_GATE + 3, 0x08, TARGET, 14, 3, 0);  /* interrupt gate */
    set_desc(h, G_GATE + 4, 0, 0, SYS(0) | A_DPL(3)); /* type 0 */
    set_desc(h, G_GATE + 5, 0, 0, SYS(8) | A_DPL(3)); /* reserved 8 */
    set_desc(h, G_TSS_AVAIL, TSS_B, 0x67, SYS(9) | A_DPL(3));
    set_desc(h, G_SMALL_DATA, DATA, 0xfff, DATA_RW | A_D | A_DPL(3));
    if (ring3) {
        harness_enter_ring3(h);
    }
    harness_set_code(h, code, len);
    h->env->regs[R_EAX] = sel;
    h->env->regs[R_ECX] = 0xdddddddd;
    run(h);
    check_end(h, h->code_addr + len - 1, ring3);
    z = zf(h);
    g_assert_true(cpu_cc_compute_all(h->env) & CC_C);
    if (ecx) {
        *ecx = h->env->regs[R_ECX];
    }
    harness_free(h);
    return z;
}

static void test_verr_verw(void)
{
    g_assert_true(zf_of(CODE(b_verr), SEL(G_DATA), false, NULL));
    g_assert_true(zf_of(CODE(b_verw), SEL(G_DATA), false, NULL));
    g_assert_true(zf_of(CODE(b_verr), SEL(G_RONLY), false, NULL));
    g_assert_false(zf_of(CODE(b_verw), SEL(G_RONLY), false, NULL));
    g_assert_false(zf_of(CODE(b_verr), SEL(G_XONLY), false, NULL));
    g_assert_true(zf_of(CODE(b_verr), SEL(G_CODE0), false, NULL));
    g_assert_false(zf_of(CODE(b_verw), SEL(G_CODE0), false, NULL));
    /* The present bit is not checked. */
    g_assert_true(zf_of(CODE(b_verr), SEL(G_DATA_NP), false, NULL));
    /* Privilege: CPL and RPL against DPL; conforming code readable. */
    g_assert_false(zf_of(CODE(b_verr), SEL(G_DATA), true, NULL));
    g_assert_false(zf_of(CODE(b_verr), SEL(G_DATA) | 3, false, NULL));
    g_assert_true(zf_of(CODE(b_verw), SEL(G_DATA3) | 3, true, NULL));
    g_assert_true(zf_of(CODE(b_verr), SEL(G_CONF0) | 3, true, NULL));
    g_assert_false(zf_of(CODE(b_verr), SEL(G_CODE0) | 3, true, NULL));
    /* System descriptors, null, beyond the limit. */
    g_assert_false(zf_of(CODE(b_verr), 0x38, false, NULL));
    g_assert_false(zf_of(CODE(b_verr), 0, false, NULL));
    g_assert_false(zf_of(CODE(b_verr), SEL(256), false, NULL));
}

static void test_lar(void)
{
    uint32_t ecx;

    /* 32 bits: the high dword masked with 00F0FF00. */
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_DATA), false, &ecx));
    g_assert_cmphex(ecx, ==, (DATA_RW | A_G | A_D) & 0x00f0ff00);
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_CODE3) | 3, true, &ecx));
    g_assert_cmphex(ecx, ==, (CODE_RX | A_DPL(3) | A_G | A_D));
    /* 16 bits: masked with FF00, upper half kept. */
    g_assert_true(zf_of(CODE(b_lar16), SEL(G_DATA), false, &ecx));
    g_assert_cmphex(ecx, ==, 0xdddd0000 | (DATA_RW & 0xff00));
    /* System types valid for LAR: TSSs, LDT, call and task gates. */
    g_assert_true(zf_of(CODE(b_lar32), 0x38, false, &ecx));
    g_assert_cmphex(ecx, ==, SYS(9));
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_TSS16), false, NULL));
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_LDT), false, NULL));
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_GATE), false, NULL));
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_GATE + 1), false, NULL));
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_GATE + 2), false, NULL));
    /* ... but not interrupt gates or reserved types; dest unchanged. */
    g_assert_false(zf_of(CODE(b_lar32), SEL(G_GATE + 3), false, &ecx));
    g_assert_cmphex(ecx, ==, 0xdddddddd);
    g_assert_false(zf_of(CODE(b_lar32), SEL(G_GATE + 4), false, NULL));
    g_assert_false(zf_of(CODE(b_lar32), SEL(G_GATE + 5), false, NULL));
    /* Privilege (a conforming code segment is always visible). */
    g_assert_false(zf_of(CODE(b_lar32), SEL(G_DATA) | 3, true, NULL));
    g_assert_false(zf_of(CODE(b_lar32), 0x38, true, NULL));
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_TSS_AVAIL) | 3, true, NULL));
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_CONF0) | 3, true, NULL));
    g_assert_false(zf_of(CODE(b_lar32), 0, false, NULL));
    g_assert_false(zf_of(CODE(b_lar32), SEL(256), false, NULL));
    /* Not-present descriptors are reported (P = 0 in the result). */
    g_assert_true(zf_of(CODE(b_lar32), SEL(G_DATA_NP), false, &ecx));
    g_assert_false(ecx & A_P);
    {
        /* A memory source operand (16 bits). */
        CPUHarness *h = prot();
        wr32(h, DATA, 0xffff0000 | SEL(G_DATA));
        harness_set_code(h, CODE(b_lar_m));
        h->env->regs[R_EBX] = DATA;
        run(h);
        g_assert_true(zf(h));
        g_assert_cmphex(h->env->regs[R_ECX], ==,
                        (DATA_RW | A_G | A_D) & 0x00f0ff00);
        harness_free(h);
    }
}

static void test_lsl(void)
{
    uint32_t ecx;

    g_assert_true(zf_of(CODE(b_lsl32), SEL(G_DATA), false, &ecx));
    g_assert_cmphex(ecx, ==, 0xffffffff);
    g_assert_true(zf_of(CODE(b_lsl32), SEL(G_SMALL_DATA), false, &ecx));
    g_assert_cmphex(ecx, ==, 0xfff);
    g_assert_true(zf_of(CODE(b_lsl16), SEL(G_DATA), false, &ecx));
    g_assert_cmphex(ecx, ==, 0xddddffff);
    g_assert_true(zf_of(CODE(b_lsl32), 0x38, false, &ecx));
    g_assert_cmphex(ecx, ==, 0x67);
    g_assert_true(zf_of(CODE(b_lsl32), SEL(G_LDT), false, &ecx));
    g_assert_cmphex(ecx, ==, 0x17);
    g_assert_true(zf_of(CODE(b_lsl32), SEL(G_TSS16), false, &ecx));
    g_assert_cmphex(ecx, ==, 0x2b);
    /* Gates have no limit: invalid for LSL. */
    g_assert_false(zf_of(CODE(b_lsl32), SEL(G_GATE), false, &ecx));
    g_assert_cmphex(ecx, ==, 0xdddddddd);
    g_assert_false(zf_of(CODE(b_lsl32), SEL(G_GATE + 2), false, NULL));
    g_assert_false(zf_of(CODE(b_lsl32), SEL(G_DATA), true, NULL));
    g_assert_true(zf_of(CODE(b_lsl32), SEL(G_SMALL_DATA) | 3, true, &ecx));
    g_assert_true(zf_of(CODE(b_lsl32), SEL(G_CONF0) | 3, true, NULL));
    g_assert_false(zf_of(CODE(b_lsl32), 0, false, NULL));
}

BLOB(b_arpl, "stc\n arpl %cx, %ax\n hlt");
BLOB(b_arpl_m, "stc\n arpl %cx, (%ebx)\n hlt");

static void test_arpl(void)
{
    CPUHarness *h = prot();

    harness_set_code(h, CODE(b_arpl));
    h->env->regs[R_EAX] = 0xabcd0010;
    h->env->regs[R_ECX] = 0x0003;
    run(h);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0xabcd0013);
    g_assert_true(zf(h));
    g_assert_true(cpu_cc_compute_all(h->env) & CC_C);
    harness_free(h);

    h = prot();
    harness_set_code(h, CODE(b_arpl));
    h->env->regs[R_EAX] = 0x0012;
    h->env->regs[R_ECX] = 0x0011;
    run(h);
    g_assert_cmphex(h->env->regs[R_EAX], ==, 0x0012);
    g_assert_false(zf(h));
    harness_free(h);

    h = prot();
    harness_set_code(h, CODE(b_arpl_m));
    wr32(h, DATA, 0xffff0008);
    h->env->regs[R_EBX] = DATA;
    h->env->regs[R_ECX] = 0x0002;
    run(h);
    g_assert_cmphex(rd32(h, DATA), ==, 0xffff000a);
    g_assert_true(zf(h));
    harness_free(h);

    /* The memory form checks for writing: read-only DS is #GP(0). */
    h = prot();
    harness_set_code(h, CODE(b_arpl_m));
    cpu_x86_load_seg_cache(h->env, R_DS, SEL(G_RONLY), 0, 0xffffffff,
                           A_P | A_S | A_G | A_D);
    h->env->regs[R_EBX] = DATA;
    run(h);
    check_exc(h, EXCP0D_GPF, 0);
    harness_free(h);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cpu/seg/load-data", test_load_data);
    g_test_add_func("/cpu/seg/load-ss", test_load_ss);
    g_test_add_func("/cpu/seg/limits", test_limits);
    g_test_add_func("/cpu/seg/stack-limit", test_stack_limit);
    g_test_add_func("/cpu/seg/unreal", test_unreal);
    g_test_add_func("/cpu/seg/pm-to-real", test_pm_to_real);
    g_test_add_func("/cpu/seg/far-jmp", test_far_jmp);
    g_test_add_func("/cpu/seg/far-call-ret", test_far_call_ret);
    g_test_add_func("/cpu/seg/ret-outer", test_ret_outer);
    g_test_add_func("/cpu/seg/ret-faults", test_ret_faults);
    g_test_add_func("/cpu/seg/call-gate-inner", test_call_gate_inner);
    g_test_add_func("/cpu/seg/call-gate-same-jmp", test_call_gate_same_and_jmp);
    g_test_add_func("/cpu/seg/call-gate-faults", test_call_gate_faults);
    g_test_add_func("/cpu/seg/iret-protected", test_iret_protected);
    g_test_add_func("/cpu/seg/iret-real", test_iret_real);
    g_test_add_func("/cpu/seg/iret-to-v86", test_iret_to_v86);
    g_test_add_func("/cpu/seg/iret-in-v86", test_iret_in_v86);
    g_test_add_func("/cpu/seg/v86-cs-write", test_v86_cs_write);
    g_test_add_func("/cpu/seg/idt-faults", test_idt_faults);
    g_test_add_func("/cpu/seg/double-fault", test_double_fault);
    g_test_add_func("/cpu/seg/gate-kinds", test_gate_kinds);
    g_test_add_func("/cpu/seg/idt-stack-faults", test_idt_stack_faults);
    g_test_add_func("/cpu/seg/task-jmp", test_task_jmp);
    g_test_add_func("/cpu/seg/task-call-iret", test_task_call_iret);
    g_test_add_func("/cpu/seg/task-gates", test_task_gates);
    g_test_add_func("/cpu/seg/task-faults", test_task_faults);
    g_test_add_func("/cpu/seg/task-iret-faults", test_task_iret_faults);
    g_test_add_func("/cpu/seg/task-16bit", test_task_16bit);
    g_test_add_func("/cpu/seg/task-v86", test_task_v86);
    g_test_add_func("/cpu/seg/task-cr3", test_task_cr3);
    g_test_add_func("/cpu/seg/task-trap-bit", test_task_trap_bit);
    g_test_add_func("/cpu/seg/lldt", test_lldt);
    g_test_add_func("/cpu/seg/ltr", test_ltr);
    g_test_add_func("/cpu/seg/sldt-str", test_sldt_str);
    g_test_add_func("/cpu/seg/ud-real-v86", test_ud_real_v86);
    g_test_add_func("/cpu/seg/long-mode", test_long_mode);
    g_test_add_func("/cpu/seg/verr-verw", test_verr_verw);
    g_test_add_func("/cpu/seg/lar", test_lar);
    g_test_add_func("/cpu/seg/lsl", test_lsl);
    g_test_add_func("/cpu/seg/arpl", test_arpl);
    return g_test_run();
}
