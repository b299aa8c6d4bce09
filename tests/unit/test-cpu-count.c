/*
 * Exact instruction counting (issue 3): a guest program with straight-line
 * code, a loop, a call, REP MOVS/STOS/CMPS/LODS, faults fixed up by their
 * handler (one of them in the middle of a REP), INT n and IRET, port I/O
 * and a hardware interrupt, run with budgets of 1, 2, 3, ... instructions
 * in one call and in random pieces; the state after each budget must be
 * the state single-stepping reaches after as many steps.  Plus the counts
 * of known sequences.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "exec/ioport.h"
#include "tests/unit/cpu-harness.h"

/* ---- a tiny assembler: bytes and labels ---- */

typedef struct Asm {
    uint8_t b[4096];
    size_t n;
    uint64_t base;
} Asm;

static void e8(Asm *a, uint8_t v)
{
    a->b[a->n++] = v;
}

static void e32(Asm *a, uint32_t v)
{
    memcpy(a->b + a->n, &v, 4);
    a->n += 4;
}

static void eb(Asm *a, const char *bytes, size_t len)
{
    memcpy(a->b + a->n, bytes, len);
    a->n += len;
}
#define EB(a, s) eb(a, s, sizeof(s) - 1)

static uint32_t here(Asm *a)
{
    return a->base + a->n;
}

/* mov r32, imm32 */
static void mov_ri(Asm *a, int reg, uint32_t v)
{
    e8(a, 0xb8 + reg);
    e32(a, v);
}

/* ---- the program ---- */

#define CODE         0x100000
#define PF_HANDLER   0x100800
#define INT_HANDLER  0x100900
#define IRQ_HANDLER  0x100a00
#define DATA         HARNESS_DATA
#define FIX_IDX      (DATA + 0x3000) /* #PF handler: next fix-up */
#define FIX_TBL      (DATA + 0x3010) /* #PF handler: (PTE address, value) */
#define HOLE1        0x800000        /* not present until the first #PF */
#define HOLE2        0x801000        /* not present until the second */
#define PTE_OF(addr) (HARNESS_PT + 0x1000 + ((addr) >> 12) * 4)
#define TPORT        0x1240
#define IRQ_VECTOR   0x41

static size_t program_len;

static void build(CPUHarness *h)
{
    Asm a = { .base = CODE };
    Asm pf = { .base = PF_HANDLER };
    Asm in = { .base = INT_HANDLER };
    Asm irq = { .base = IRQ_HANDLER };
    uint32_t loop, func_call, func;
    uint32_t tbl[4] = { PTE_OF(HOLE1), HOLE1 | 7, PTE_OF(HOLE2), HOLE2 | 7 };
    uint32_t zero = 0;
    uint8_t data[0x200];

    /* Copy 50 bytes, then a zero-count REP (counts once). */
    mov_ri(&a, R_ESI, DATA);
    mov_ri(&a, R_EDI, DATA + 0x1000);
    mov_ri(&a, R_ECX, 50);
    EB(&a, "\xf3\xa4"); /* rep movsb */
    EB(&a, "\x31\xc9"); /* xor ecx, ecx */
    EB(&a, "\xf3\xa4"); /* rep movsb */
    /* Fill 20 dwords right after. */
    mov_ri(&a, R_EAX, 0x11223344);
    mov_ri(&a, R_ECX, 20);
    EB(&a, "\xf3\xab"); /* rep stosd */
    /* Compare: the first 50 bytes are equal, the 51st is not. */
    mov_ri(&a, R_ESI, DATA);
    mov_ri(&a, R_EDI, DATA + 0x1000);
    mov_ri(&a, R_ECX, 60);
    EB(&a, "\xf3\xa6"); /* repe cmpsb */
    /* A loop. */
    mov_ri(&a, R_EBX, 5);
    loop = here(&a);
    EB(&a, "\x01\xd8"); /* add eax, ebx */
    EB(&a, "\x4b");     /* dec ebx */
    e8(&a, 0x75);       /* jnz loop */
    e8(&a, loop - (here(&a) + 1));
    /* A call. */
    func_call = a.n;
    e8(&a, 0xe8);
    e32(&a, 0);
    /* A store to a page that is not present: #PF, fixed, retried. */
    e8(&a, 0xa3); /* mov [HOLE1 + 0x10], eax */
    e32(&a, HOLE1 + 0x10);
    /* INT n, IRET. */
    EB(&a, "\xcd\x40"); /* int 0x40 */
    /* Port I/O: out dx, al; in al, dx. */
    mov_ri(&a, R_EDX, TPORT);
    EB(&a, "\xee\xec");
    /* Interrupts on: the test raises IRQ_VECTOR from outside. */
    EB(&a, "\xfb"); /* sti */
    /* REP MOVSB running into a not-present page: #PF in the middle. */
    mov_ri(&a, R_ESI, DATA);
    mov_ri(&a, R_EDI, HOLE2 - 30);
    mov_ri(&a, R_ECX, 80);
    EB(&a, "\xf3\xa4"); /* rep movsb */
    /* Backwards REP LODSW. */
    EB(&a, "\xfd"); /* std */
    mov_ri(&a, R_ESI, DATA + 0x80);
    mov_ri(&a, R_ECX, 10);
    EB(&a, "\x66\xf3\xad"); /* rep lodsw */
    EB(&a, "\xfc");         /* cld */
    EB(&a, "\xfa");         /* cli */
    EB(&a, "\xf4");         /* hlt */
    program_len = a.n;
    /* func: push ebp; mov ebp, esp; mov eax, [ebp+4]; xor eax, 0x5a5a;
     * pop ebp; ret */
    func = here(&a);
    EB(&a, "\x55\x89\xe5\x8b\x45\x04\x35\x5a\x5a\x00\x00\x5d\xc3");
    {
        uint32_t rel = func - (CODE + func_call + 5);
        memcpy(a.b + func_call + 1, &rel, 4);
    }

    /*
     * #PF handler: maps the next page of the fix-up table.
     * push eax; push ebx; mov eax, [FIX_IDX];
     * mov ebx, [FIX_TBL + eax*8]; mov eax, [FIX_TBL + 4 + eax*8];
     * mov [ebx], eax; inc dword [FIX_IDX]; pop ebx; pop eax;
     * add esp, 4; iret
     */
    EB(&pf, "\x50\x53");
    e8(&pf, 0xa1);
    e32(&pf, FIX_IDX);
    EB(&pf, "\x8b\x1c\xc5");
    e32(&pf, FIX_TBL);
    EB(&pf, "\x8b\x04\xc5");
    e32(&pf, FIX_TBL + 4);
    EB(&pf, "\x89\x03\xff\x05");
    e32(&pf, FIX_IDX);
    EB(&pf, "\x5b\x58\x83\xc4\x04\xcf");
    /* INT 0x40: inc dword [DATA + 0x3104]; iret */
    EB(&in, "\xff\x05");
    e32(&in, DATA + 0x3104);
    EB(&in, "\xcf");
    /* IRQ: add dword [DATA + 0x3100], 1; iret */
    EB(&irq, "\x83\x05");
    e32(&irq, DATA + 0x3100);
    EB(&irq, "\x01\xcf");

    harness_write(h, PF_HANDLER, pf.b, pf.n);
    harness_write(h, INT_HANDLER, in.b, in.n);
    harness_write(h, IRQ_HANDLER, irq.b, irq.n);
    harness_set_handler(h, 14, PF_HANDLER);
    harness_set_handler(h, 0x40, INT_HANDLER);
    harness_set_handler(h, IRQ_VECTOR, IRQ_HANDLER);
    harness_write(h, FIX_IDX, &zero, 4);
    harness_write(h, FIX_TBL, tbl, sizeof(tbl));
    harness_write(h, PTE_OF(HOLE1), &zero, 4);
    harness_write(h, PTE_OF(HOLE2), &zero, 4);
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = 0x80 + i * 3;
    }
    harness_write(h, DATA, data, sizeof(data));
    harness_set_code(h, a.b, a.n);
}

/* ---- the port device and the interrupt source ---- */

static struct {
    MemoryRegion mr;
    uint8_t next;
    uint8_t last_written;
} tport;

static uint64_t tport_read(void *opaque, hwaddr addr, unsigned size)
{
    return tport.next++;
}

static void tport_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    tport.last_written = val;
}

static const MemoryRegionOps tport_ops = {
    .read = tport_read,
    .write = tport_write,
};

/* The "interrupt controller": one vector, acknowledged once. */
static int irq_ack(void *opaque)
{
    CPUX86State *env = opaque;

    env->interrupt_request &= ~CPU_INTERRUPT_HARD;
    return IRQ_VECTOR;
}

/* ---- state ---- */

typedef struct State {
    uint64_t regs[CPU_NB_REGS];
    uint64_t eip;
    uint32_t eflags;
    uint64_t cr2;
    uint32_t cs;
    bool halted;
    uint8_t port_next, port_written;
    uint8_t mem[0x4000 + 0x2000 + 0x1000 + 16];
} State;

static void capture(CPUHarness *h, State *s)
{
    CPUX86State *env = h->env;
    size_t n = 0;

    memset(s, 0, sizeof(*s));
    memcpy(s->regs, env->regs, sizeof(s->regs));
    s->eip = env->eip;
    s->eflags = cpu_compute_eflags(env);
    s->cr2 = env->cr[2];
    s->cs = env->segs[R_CS].selector;
    s->halted = env->halted;
    s->port_next = tport.next;
    s->port_written = tport.last_written;
    memcpy(s->mem + n, h->ram + DATA, 0x4000);
    n += 0x4000;
    memcpy(s->mem + n, h->ram + HOLE1 - 0x1000, 0x2000);
    n += 0x2000;
    memcpy(s->mem + n, h->ram + HARNESS_STACK - 0x1000, 0x1000);
    n += 0x1000;
    memcpy(s->mem + n, h->ram + PTE_OF(HOLE1), 8);
}

static void check_state(const State *got, const State *want, const char *how,
                        int64_t n)
{
    if (memcmp(got->regs, want->regs, sizeof(got->regs)) != 0) {
        for (int r = 0; r < CPU_NB_REGS; r++) {
            if (got->regs[r] != want->regs[r]) {
                g_error("%s %" PRId64 ": reg %d is %" PRIx64 ", single-"
                        "stepping gives %" PRIx64,
                        how, n, r, got->regs[r], want->regs[r]);
            }
        }
    }
    if (got->eip != want->eip || got->eflags != want->eflags ||
        got->cr2 != want->cr2 || got->cs != want->cs ||
        got->halted != want->halted || got->port_next != want->port_next ||
        got->port_written != want->port_written) {
        g_error("%s %" PRId64 ": eip %" PRIx64 "/%" PRIx64 " eflags %x/%x "
                "cr2 %" PRIx64 "/%" PRIx64 " halted %d/%d",
                how, n, got->eip, want->eip, got->eflags, want->eflags,
                got->cr2, want->cr2, got->halted, want->halted);
    }
    if (memcmp(got->mem, want->mem, sizeof(got->mem)) != 0) {
        g_error("%s %" PRId64 ": memory differs", how, n);
    }
}

/* The hardware interrupt arrives when this many instructions have run. */
#define IRQ_AT 150

static CPUHarness *start(void)
{
    CPUHarness *h = harness_new(HARNESS_PAGED32);

    tport.next = 0x30;
    tport.last_written = 0;
    build(h);
    h->env->get_intr_vector = irq_ack;
    h->env->intr_opaque = h->env;
    return h;
}

/*
 * Runs budget instructions in pieces: each harness_run gets at most what
 * is left of the piece, and the interrupt is raised when the count
 * reaches IRQ_AT (the budget is cut there so it lands exactly).
 */
static int64_t run_piece(CPUHarness *h, int64_t budget)
{
    int64_t done = 0;

    while (done < budget) {
        int64_t want = budget - done, ran;

        if (h->retired < IRQ_AT && h->retired + want > IRQ_AT) {
            want = IRQ_AT - h->retired;
        }
        ran = harness_run(h, want);
        if (h->retired == IRQ_AT && ran > 0) {
            h->env->interrupt_request |= CPU_INTERRUPT_HARD;
        }
        done += ran;
        if (ran < want) {
            break; /* halted */
        }
    }
    return done;
}

static void test_budgets(void)
{
    GArray *states = g_array_new(false, true, sizeof(State));
    GRand *rand = g_rand_new_with_seed(42);
    CPUHarness *h;
    State s;
    int64_t total;

    /* Single-stepping: the reference. */
    h = start();
    capture(h, &s);
    g_array_append_val(states, s);
    while (!h->env->halted) {
        g_assert_cmpint(run_piece(h, 1), ==, 1);
        capture(h, &s);
        g_array_append_val(states, s);
        g_assert_cmpuint(states->len, <, 5000);
    }
    total = states->len - 1;
    /* Everything in the program ran: both holes fixed, the IRQ taken... */
    g_assert_cmpuint(*(uint32_t *)(h->ram + FIX_IDX), ==, 2);
    g_assert_cmpuint(*(uint32_t *)(h->ram + DATA + 0x3100), ==, 1);
    /* ...INT 0x40, the I/O and the last REP. */
    g_assert_cmpuint(*(uint32_t *)(h->ram + DATA + 0x3104), ==, 1);
    g_assert_cmpuint(tport.next, ==, 0x31);
    g_assert_cmpuint(h->env->regs[R_ECX], ==, 0);
    g_assert_cmpuint(h->env->regs[R_ESI], ==, DATA + 0x80 - 20);
    harness_free(h);
    g_test_message("the program runs %" PRId64 " instructions", total);
    g_assert_cmpint(total, >, IRQ_AT + 100);

    for (int64_t n = 1; n <= total; n++) {
        State got;

        /* In one call. */
        h = start();
        g_assert_cmpint(run_piece(h, n), ==, n);
        capture(h, &got);
        check_state(&got, &g_array_index(states, State, n), "budget", n);
        harness_free(h);

        /* In random pieces. */
        h = start();
        for (int64_t done = 0; done < n;) {
            int64_t piece = 1 + g_rand_int_range(rand, 0, MIN(n - done, 64));

            g_assert_cmpint(run_piece(h, piece), ==, piece);
            done += piece;
        }
        capture(h, &got);
        check_state(&got, &g_array_index(states, State, n), "pieces", n);
        harness_free(h);
    }
    /* A budget beyond the end stops at HLT with the exact total. */
    h = start();
    g_assert_cmpint(run_piece(h, total + 100), ==, total);
    harness_free(h);

    g_rand_free(rand);
    g_array_free(states, true);
}

/* ---- counts of known sequences ---- */

static int64_t run_code(CPUHarness *h, const uint8_t *code, size_t len)
{
    harness_set_code(h, code, len);
    return harness_run_to_halt(h, 1000000);
}

static void test_known_counts(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;
    /* rep movsb; hlt */
    static const uint8_t rep_movsb[] = { 0xf3, 0xa4, 0xf4 };
    /* movsb (no REP); hlt */
    static const uint8_t movsb[] = { 0xa4, 0xf4 };
    /* repne scasb; hlt */
    static const uint8_t repne_scasb[] = { 0xf2, 0xae, 0xf4 };
    /* rep stosq? no: 16-bit address size: a32 off: rep stosb with CX */
    static const uint8_t rep_stosb_a16[] = { 0x67, 0xf3, 0xaa, 0xf4 };

    env->regs[R_ESI] = HARNESS_DATA;
    env->regs[R_EDI] = HARNESS_DATA + 0x10000;
    env->regs[R_ECX] = 100;
    g_assert_cmpint(run_code(h, rep_movsb, sizeof(rep_movsb)), ==, 100 + 1);

    env->regs[R_ECX] = 0;
    g_assert_cmpint(run_code(h, rep_movsb, sizeof(rep_movsb)), ==, 1 + 1);
    g_assert_cmpuint(env->regs[R_ESI], ==, HARNESS_DATA + 100);

    /* Without REP, ECX does not matter: one instruction. */
    env->regs[R_ECX] = 7;
    g_assert_cmpint(run_code(h, movsb, sizeof(movsb)), ==, 1 + 1);
    g_assert_cmpuint(env->regs[R_ECX], ==, 7);

    /* REPNE SCASB finding the byte at index 9 counts 10. */
    memset(h->ram + HARNESS_DATA + 0x20000, 0, 64);
    h->ram[HARNESS_DATA + 0x20000 + 9] = 0x77;
    env->regs[R_EAX] = 0x77;
    env->regs[R_EDI] = HARNESS_DATA + 0x20000;
    env->regs[R_ECX] = 64;
    g_assert_cmpint(run_code(h, repne_scasb, sizeof(repne_scasb)), ==, 10 + 1);

    /* The count is CX with 16-bit addressing: 0x10003 counts 3. */
    env->regs[R_EDI] = 0x5000;
    env->regs[R_ECX] = 0x10003;
    g_assert_cmpint(run_code(h, rep_stosb_a16, sizeof(rep_stosb_a16)), ==,
                    3 + 1);
    g_assert_cmpuint(env->regs[R_ECX], ==, 0x10000);

    /* A budget ending on the last iteration completes the instruction. */
    env->regs[R_ECX] = 100;
    harness_set_code(h, rep_movsb, sizeof(rep_movsb));
    g_assert_cmpint(harness_run(h, 100), ==, 100);
    g_assert_cmpuint(env->eip, ==, h->code_addr + 2);
    g_assert_cmpint(harness_run(h, 100), ==, 1);
    g_assert_true(env->halted);

    /* One short: the instruction is still in progress. */
    env->regs[R_ECX] = 100;
    harness_set_code(h, rep_movsb, sizeof(rep_movsb));
    g_assert_cmpint(harness_run(h, 99), ==, 99);
    g_assert_cmpuint(env->eip, ==, h->code_addr);
    g_assert_cmpuint(env->regs[R_ECX], ==, 1);
    harness_free(h);
}

/*
 * A faulting instruction does not count; its handler's instructions do,
 * and so does the retried instruction.
 */
static void test_fault_counts(void)
{
    CPUHarness *h = harness_new(HARNESS_PAGED32);
    CPUX86State *env = h->env;
    uint32_t zero = 0;
    /* nop; mov [HOLE1], eax; hlt */
    static const uint8_t code[] = { 0x90, 0xa3, 0, 0, 0x80, 0, 0xf4 };
    /* handler: mov dword [PTE], HOLE1|7; add esp, 4; iret */
    uint8_t handler[32];
    size_t n = 0;

    handler[n++] = 0xc7;
    handler[n++] = 0x05;
    memcpy(handler + n, &(uint32_t){ PTE_OF(HOLE1) }, 4);
    n += 4;
    memcpy(handler + n, &(uint32_t){ HOLE1 | 7 }, 4);
    n += 4;
    memcpy(handler + n, "\x83\xc4\x04\xcf", 4);
    n += 4;
    harness_write(h, PF_HANDLER, handler, n);
    harness_set_handler(h, 14, PF_HANDLER);
    harness_write(h, PTE_OF(HOLE1), &zero, 4);
    harness_set_code(h, code, sizeof(code));
    /* nop (1), fault (0), handler (3), mov (1), hlt (1) */
    g_assert_cmpint(harness_run(h, 1), ==, 1);
    g_assert_cmpint(harness_run(h, 1), ==, 1);
    g_assert_cmpuint(env->eip, ==, PF_HANDLER + 10);
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 2 + 1 + 1);
    g_assert_cmpint(h->retired, ==, 6);
    harness_free(h);
}

/*
 * A hardware interrupt in the middle of REP STOS: delivered between
 * iterations, with EIP at the instruction; the handler's instructions
 * count, and after IRET the rest of the iterations do.
 */
static void test_irq_in_rep(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;
    /* sti; rep stosb; hlt */
    static const uint8_t code[] = { 0xfb, 0xf3, 0xaa, 0xf4 };
    /* handler: inc ebx; iret */
    static const uint8_t handler[] = { 0x43, 0xcf };

    harness_write(h, IRQ_HANDLER, handler, sizeof(handler));
    harness_set_handler(h, IRQ_VECTOR, IRQ_HANDLER);
    env->get_intr_vector = irq_ack;
    env->intr_opaque = env;
    harness_set_code(h, code, sizeof(code));
    env->regs[R_EDI] = HARNESS_DATA;
    env->regs[R_ECX] = 1000;
    env->regs[R_EAX] = 0xab;
    g_assert_cmpint(harness_run(h, 1 + 300), ==, 301);
    g_assert_cmpuint(env->regs[R_ECX], ==, 700);
    env->interrupt_request |= CPU_INTERRUPT_HARD;
    /* Delivery (0), inc ebx (1), iret (1), then 2 more iterations. */
    g_assert_cmpint(harness_run(h, 4), ==, 4);
    g_assert_cmpuint(env->regs[R_EBX], ==, 1);
    g_assert_cmpuint(env->regs[R_ECX], ==, 698);
    g_assert_cmpuint(env->eip, ==, h->code_addr + 1);
    g_assert_cmpint(harness_run_to_halt(h, 10000), ==, 698 + 1);
    g_assert_cmpint(h->retired, ==, 1 + 1000 + 2 + 1);
    for (int i = 0; i < 1000; i++) {
        g_assert_cmpuint(h->ram[HARNESS_DATA + i], ==, 0xab);
    }
    harness_free(h);
}

/*
 * A device raising an interrupt during REP OUTSB: the interrupt is taken
 * between the iteration that raised it and the next one (SDM vol. 2,
 * REP), so the handler sees ECX after exactly that many iterations.
 */
static CPUX86State *irq_env;
static int irq_writes;

static void irq_port_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    if (++irq_writes == 3) {
        irq_env->interrupt_request |= CPU_INTERRUPT_HARD;
    }
}

static const MemoryRegionOps irq_port_ops = {
    .read = tport_read,
    .write = irq_port_write,
};

static void test_device_irq_in_rep(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;
    MemoryRegion mr;
    /* sti; rep outsb; hlt */
    static const uint8_t code[] = { 0xfb, 0xf3, 0x6e, 0xf4 };
    /* handler: mov [DATA + 0x3200], ecx; iret */
    uint8_t handler[] = { 0x89, 0x0d, 0, 0, 0, 0, 0xcf };
    uint32_t where = DATA + 0x3200;

    memcpy(handler + 2, &where, 4);
    portio_register(&mr, TPORT + 8, 1, &irq_port_ops, NULL, "irq-port",
                    &error_abort);
    irq_env = env;
    irq_writes = 0;
    harness_write(h, IRQ_HANDLER, handler, sizeof(handler));
    harness_set_handler(h, IRQ_VECTOR, IRQ_HANDLER);
    env->get_intr_vector = irq_ack;
    env->intr_opaque = env;
    harness_set_code(h, code, sizeof(code));
    env->regs[R_EDX] = TPORT + 8;
    env->regs[R_ESI] = DATA;
    env->regs[R_ECX] = 10;
    g_assert_cmpint(harness_run_to_halt(h, 1000), ==, 1 + 10 + 2 + 1);
    g_assert_cmpuint(*(uint32_t *)(h->ram + where), ==, 7);
    g_assert_cmpint(irq_writes, ==, 10);
    memory_region_destroy(&mr);
    harness_free(h);
}

/*
 * Single-stepping with TF: the #DB trap comes after each iteration of a
 * REP instruction (SDM vol. 3, 17.3.1.4), with EIP at the instruction.
 */
static void test_tf_rep(void)
{
    CPUHarness *h = harness_new(HARNESS_PROT32);
    CPUX86State *env = h->env;
    /* rep movsb; hlt */
    static const uint8_t code[] = { 0xf3, 0xa4, 0xf4 };
    int vector;
    uint32_t ec;
    uint64_t eip;

    harness_set_code(h, code, sizeof(code));
    env->regs[R_ESI] = HARNESS_DATA;
    env->regs[R_EDI] = HARNESS_DATA + 0x100;
    env->regs[R_ECX] = 5;
    cpu_load_eflags(env, TF_MASK, TF_MASK);
    x86_update_hflags(env);
    /* One iteration, #DB delivered, the stub's HLT. */
    g_assert_cmpint(harness_run_to_halt(h, 100), ==, 1 + 1);
    g_assert_true(harness_exception(h, &vector, &ec, &eip));
    g_assert_cmpint(vector, ==, 1);
    g_assert_cmpuint(eip, ==, h->code_addr);
    g_assert_cmpuint(env->regs[R_ECX], ==, 4);
    harness_free(h);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    portio_register(&tport.mr, TPORT, 1, &tport_ops, NULL, "count-port",
                    &error_abort);
    g_test_add_func("/cpu/count/budgets", test_budgets);
    g_test_add_func("/cpu/count/known", test_known_counts);
    g_test_add_func("/cpu/count/fault", test_fault_counts);
    g_test_add_func("/cpu/count/irq-in-rep", test_irq_in_rep);
    g_test_add_func("/cpu/count/device-irq-in-rep", test_device_irq_in_rep);
    g_test_add_func("/cpu/count/tf-rep", test_tf_rep);
    return g_test_run();
}
