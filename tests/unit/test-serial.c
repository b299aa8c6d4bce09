/*
 * The 16550A UART through its ports, with a test chardev as the host:
 * registers, interrupt priorities and clearing rules, FIFOs and trigger
 * levels, the character timeout on the virtual clock, loopback and modem
 * status, break, receive flow control, slow host output, save/load, and
 * -device isa-serial.
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "exec/ioport.h"
#include "migration/vmstate.h"
#include "sysemu/runstate.h"
#include "hw/char/serial.h"

#define COM1 0x3f8
#define RBR  (COM1 + 0)
#define THR  (COM1 + 0)
#define DLL  (COM1 + 0)
#define IER  (COM1 + 1)
#define DLM  (COM1 + 1)
#define IIR  (COM1 + 2)
#define FCR  (COM1 + 2)
#define LCR  (COM1 + 3)
#define MCR  (COM1 + 4)
#define LSR  (COM1 + 5)
#define MSR  (COM1 + 6)
#define SCR  (COM1 + 7)

/* ---- a host back-end under the test's control ---- */

typedef struct TestChr {
    Chardev parent;
    GByteArray *out; /* what the guest sent */
    GByteArray *in;  /* host input not yet delivered */
    int room;        /* bytes the host takes now; -1: any amount */
    int kicks;       /* accept_input calls (the front-end has room) */
    int waits;       /* blocking waits for the host */
} TestChr;

static bool tchr_open(Chardev *chr, QemuOpts *opts, bool *be_opened,
                      Error **errp)
{
    TestChr *t = (TestChr *)chr;

    t->out = g_byte_array_new();
    t->in = g_byte_array_new();
    t->room = -1;
    return true;
}

static int tchr_write(Chardev *chr, const uint8_t *buf, int len)
{
    TestChr *t = (TestChr *)chr;
    int n = t->room < 0 ? len : MIN(len, t->room);

    if (t->room >= 0) {
        t->room -= n;
    }
    g_byte_array_append(t->out, buf, n);
    return n;
}

static void tchr_update_read_handler(Chardev *chr)
{
    ((TestChr *)chr)->kicks++;
}

static void tchr_wait_writable(Chardev *chr)
{
    TestChr *t = (TestChr *)chr;

    t->waits++;
    t->room = -1; /* the host caught up */
}

static void tchr_close(Chardev *chr)
{
    TestChr *t = (TestChr *)chr;

    g_byte_array_free(t->out, TRUE);
    g_byte_array_free(t->in, TRUE);
}

static const ChardevClass tchr_class = {
    .name = "testchr",
    .help = "test back-end",
    .instance_size = sizeof(TestChr),
    .open = tchr_open,
    .chr_write = tchr_write,
    .chr_update_read_handler = tchr_update_read_handler,
    .chr_wait_writable = tchr_wait_writable,
    .chr_close = tchr_close,
};

static TestChr *tchr_new(const char *id)
{
    char *spec = g_strdup_printf("testchr,id=%s", id);
    QemuOpts *opts = qemu_chr_parse_opts(spec, &error_abort);
    Chardev *chr = qemu_chr_new_from_opts(opts, &error_abort);

    qemu_opts_free(opts);
    g_free(spec);
    return (TestChr *)chr;
}

/* Delivers queued host input as far as the front-end takes it. */
static int host_pump(TestChr *t)
{
    int total = 0;

    for (;;) {
        int n = MIN(qemu_chr_be_can_write(&t->parent), (int)t->in->len);

        if (n <= 0) {
            return total;
        }
        qemu_chr_be_write(&t->parent, t->in->data, n);
        g_byte_array_remove_range(t->in, 0, n);
        total += n;
    }
}

static void host_send(TestChr *t, const char *s)
{
    qemu_chr_be_write(&t->parent, (const uint8_t *)s, strlen(s));
}

/* ---- clocks, IRQ ---- */

typedef struct Edge {
    int64_t ns;
    int level;
} Edge;

static int64_t fake_now;
static int64_t fake_rt_ms;
static GArray *edges;
static int irq_level;
static qemu_irq irq;
static TestChr *host;
static SerialState *uart;

static int64_t fake_clock(void)
{
    return fake_now;
}

static int64_t fake_rt_clock(void)
{
    return fake_rt_ms * SCALE_MS;
}

static void irq_handler(void *opaque, int n, int level)
{
    Edge e = { fake_now, level };

    if (level != irq_level) {
        irq_level = level;
        g_array_append_val(edges, e);
    }
}

static void run_until(int64_t ns)
{
    for (;;) {
        int64_t next = qemu_clock_next_deadline(QEMU_CLOCK_VIRTUAL);

        if (next > ns) {
            break;
        }
        if (next > fake_now) {
            fake_now = next;
        }
        qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL);
    }
    fake_now = ns;
}

static void run_host_ms(int ms)
{
    fake_rt_ms += ms;
    qemu_clock_run_timers(QEMU_CLOCK_REALTIME);
}

static void setup(void)
{
    fake_now = 0;
    fake_rt_ms = 0;
    qemu_clock_set_source(QEMU_CLOCK_VIRTUAL, fake_clock);
    qemu_clock_set_source(QEMU_CLOCK_REALTIME, fake_rt_clock);
    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, true);
    edges = g_array_new(FALSE, FALSE, sizeof(Edge));
    irq_level = 0;
    irq = qemu_allocate_irq(irq_handler, NULL, 0);
    host = tchr_new("com1");
    uart = serial_isa_init(0, COM1, irq, &host->parent, &error_abort);
}

static void teardown(void)
{
    serial_free(uart);
    uart = NULL;
    qemu_chr_delete(&host->parent);
    host = NULL;
    qemu_free_irq(irq);
    g_array_free(edges, TRUE);
}

static bool out_is(const char *s)
{
    return host->out->len == strlen(s) &&
           (host->out->len == 0 ||
            memcmp(host->out->data, s, host->out->len) == 0);
}

/* ---- registers ---- */

static void test_reset_values(void)
{
    setup();
    g_assert_cmphex(cpu_inb(IER), ==, 0x00);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x01);
    g_assert_cmphex(cpu_inb(LCR), ==, 0x00);
    g_assert_cmphex(cpu_inb(MCR), ==, 0x00);
    g_assert_cmphex(cpu_inb(LSR), ==, 0x60);
    g_assert_cmphex(cpu_inb(MSR), ==, 0xb0);
    g_assert_cmphex(cpu_inb(SCR), ==, 0x00);
    cpu_outb(LCR, 0x80);
    g_assert_cmphex(cpu_inb(DLL), ==, 12);
    g_assert_cmphex(cpu_inb(DLM), ==, 0);
    cpu_outb(DLL, 0x34);
    cpu_outb(DLM, 0x12);
    g_assert_cmphex(cpu_inb(DLL), ==, 0x34);
    g_assert_cmphex(cpu_inb(DLM), ==, 0x12);
    g_assert_cmphex(cpu_inb(IER), ==, 0x12); /* DLAB: IER is hidden */
    cpu_outb(LCR, 0x03);
    g_assert_cmphex(cpu_inb(IER), ==, 0x00);
    g_assert_cmphex(cpu_inb(LCR), ==, 0x03);
    cpu_outb(SCR, 0x5a);
    g_assert_cmphex(cpu_inb(SCR), ==, 0x5a);
    cpu_outb(IER, 0xff);
    g_assert_cmphex(cpu_inb(IER), ==, 0x0f);
    cpu_outb(MCR, 0xff);
    g_assert_cmphex(cpu_inb(MCR), ==, 0x1f);
    /* LSR and MSR ignore writes. */
    cpu_outb(LSR, 0x00);
    cpu_outb(MCR, 0x00);
    g_assert_cmphex(cpu_inb(LSR), ==, 0x60);
    /* A system reset restores everything. */
    cpu_outb(LCR, 0x80);
    cpu_outb(DLL, 1);
    cpu_outb(LCR, 0x1b);
    cpu_outb(FCR, 0xc1);
    cpu_outb(MCR, 0x0b);
    qemu_system_reset(SHUTDOWN_CAUSE_GUEST_RESET);
    g_assert_cmphex(cpu_inb(IER), ==, 0x00);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x01);
    g_assert_cmphex(cpu_inb(LCR), ==, 0x00);
    g_assert_cmphex(cpu_inb(MCR), ==, 0x00);
    g_assert_cmphex(cpu_inb(SCR), ==, 0x00);
    g_assert_cmpint(irq_level, ==, 0);
    cpu_outb(LCR, 0x80);
    g_assert_cmphex(cpu_inb(DLL), ==, 12);
    teardown();
}

static void test_transmit_thre(void)
{
    setup();
    cpu_outb(MCR, 0x08); /* OUT2: the IRQ reaches the PIC */
    cpu_outb(THR, 'A');
    cpu_outb(THR, 'B');
    g_assert_true(out_is("AB"));
    g_assert_cmphex(cpu_inb(LSR), ==, 0x60);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x01);
    g_assert_cmpint(irq_level, ==, 0);
    /* Enabling the interrupt with THR empty raises it. */
    cpu_outb(IER, 0x02);
    g_assert_cmpint(irq_level, ==, 1);
    /* Reading IIR when THRE is the source clears it. */
    g_assert_cmphex(cpu_inb(IIR), ==, 0x02);
    g_assert_cmpint(irq_level, ==, 0);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x01);
    /* Rewriting the same IER does not raise it again ... */
    cpu_outb(IER, 0x02);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x01);
    /* ... but disabling and enabling does (Linux's THRE test). */
    cpu_outb(IER, 0x00);
    cpu_outb(IER, 0x02);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x02);
    /* Each character sent empties THR again: a new interrupt. */
    g_array_set_size(edges, 0);
    cpu_outb(THR, 'C');
    g_assert_true(out_is("ABC"));
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmpuint(edges->len, ==, 1);
    /* Writing THR while it is pending makes a fresh edge. */
    cpu_outb(THR, 'D');
    g_assert_cmpuint(edges->len, ==, 3);
    g_assert_cmpint(g_array_index(edges, Edge, 1).level, ==, 0);
    g_assert_cmpint(irq_level, ==, 1);
    /* OUT2 gates the line, not the interrupt. */
    cpu_outb(MCR, 0x00);
    g_assert_cmpint(irq_level, ==, 0);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x02);
    cpu_outb(THR, 'E');
    g_assert_cmpint(irq_level, ==, 0);
    cpu_outb(MCR, 0x08);
    g_assert_cmpint(irq_level, ==, 1);
    cpu_outb(IER, 0x00);
    g_assert_cmpint(irq_level, ==, 0);
    g_assert_true(out_is("ABCDE"));
    teardown();
}

/* Every source at once: IIR reports them in priority order. */
static void test_priorities(void)
{
    setup();
    cpu_outb(IER, 0x0f);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x02);
    /* Loopback with only OUT2: CTS and DSR drop (modem status). */
    cpu_outb(MCR, 0x18);
    g_assert_cmpint(irq_level, ==, 1);
    /* Two characters into the 16450 holding register: overrun. */
    cpu_outb(THR, 'x');
    cpu_outb(THR, 'y');
    g_assert_cmphex(cpu_inb(IIR), ==, 0x06);
    g_assert_cmphex(cpu_inb(LSR), ==, 0x63); /* DR, OE, THRE, TEMT */
    g_assert_cmphex(cpu_inb(IIR), ==, 0x04);
    g_assert_cmphex(cpu_inb(LSR), ==, 0x61);
    g_assert_cmpuint(cpu_inb(RBR), ==, 'y');
    g_assert_cmphex(cpu_inb(IIR), ==, 0x02);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x00);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmphex(cpu_inb(MSR), ==, 0x83); /* DCD, DCTS, DDSR */
    g_assert_cmphex(cpu_inb(IIR), ==, 0x01);
    g_assert_cmpint(irq_level, ==, 0);
    /* Disabled sources are not reported even when present. */
    cpu_outb(IER, 0x00);
    cpu_outb(THR, 'z');
    g_assert_cmphex(cpu_inb(IIR), ==, 0x01);
    cpu_outb(IER, 0x01);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x04);
    g_assert_cmpuint(cpu_inb(RBR), ==, 'z');
    /* An empty RBR reads the last character again. */
    g_assert_cmpuint(cpu_inb(RBR), ==, 'z');
    g_assert_cmphex(cpu_inb(LSR), ==, 0x60);
    g_assert_true(out_is(""));
    teardown();
}

/* ---- FIFOs ---- */

static void test_fifo_trigger_levels(void)
{
    static const int levels[4] = { 1, 4, 8, 14 };
    char buf[16];

    setup();
    cpu_outb(IER, 0x01);
    cpu_outb(MCR, 0x08);
    for (int l = 0; l < 4; l++) {
        cpu_outb(FCR, 0x07 | l << 6);
        g_assert_cmphex(cpu_inb(IIR), ==, 0xc1);
        memset(buf, 0, sizeof(buf));
        memset(buf, 'a' + l, levels[l] - 1);
        host_send(host, buf);
        g_assert_cmphex(cpu_inb(IIR), ==, 0xc1);
        g_assert_cmpint(irq_level, ==, 0);
        host_send(host, "!");
        g_assert_cmphex(cpu_inb(IIR), ==, 0xc4);
        g_assert_cmpint(irq_level, ==, 1);
        /* Below the level again after one read. */
        g_assert_cmpuint(cpu_inb(RBR), ==, levels[l] > 1 ? 'a' + l : '!');
        g_assert_cmphex(cpu_inb(IIR), ==, 0xc1);
        g_assert_cmpint(irq_level, ==, 0);
    }
    /* FIFO reset (FCR bit 1) empties it. */
    g_assert_cmphex(cpu_inb(LSR), ==, 0x61);
    cpu_outb(FCR, 0xc3);
    g_assert_cmphex(cpu_inb(LSR), ==, 0x60);
    /* Other FCR bits need FCR0: this only disables the FIFOs. */
    host_send(host, "abc");
    cpu_outb(FCR, 0xc6);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x01);
    g_assert_cmphex(cpu_inb(LSR), ==, 0x60); /* leaving FIFO mode clears */
    /* 16450 mode: one character of room, reported at once. */
    g_assert_cmpint(qemu_chr_be_can_write(&host->parent), ==, 1);
    host_send(host, "q");
    g_assert_cmpint(qemu_chr_be_can_write(&host->parent), ==, 0);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x04);
    /* Entering FIFO mode clears too. */
    cpu_outb(FCR, 0x01);
    g_assert_cmphex(cpu_inb(LSR), ==, 0x60);
    g_assert_cmpint(qemu_chr_be_can_write(&host->parent), ==, 16);
    teardown();
}

static void test_char_timeout(void)
{
    /* 115200 8N1: a character is 10 bits of 8.68 us: 86805 ns. */
    const int64_t t4 = 4 * 86805;

    setup();
    cpu_outb(LCR, 0x83);
    cpu_outb(DLL, 1);
    cpu_outb(DLM, 0);
    cpu_outb(LCR, 0x03);
    cpu_outb(FCR, 0x41); /* trigger 4 */
    cpu_outb(IER, 0x01);
    cpu_outb(MCR, 0x08);
    run_until(1000);
    host_send(host, "ab");
    run_until(1000 + t4 - 1);
    g_assert_cmphex(cpu_inb(IIR), ==, 0xc1);
    run_until(1000 + t4);
    g_assert_cmpuint(edges->len, ==, 1);
    g_assert_cmpint(g_array_index(edges, Edge, 0).ns, ==, 1000 + t4);
    g_assert_cmphex(cpu_inb(IIR), ==, 0xcc);
    /* A read clears it and restarts the timer. */
    run_until(500000);
    g_assert_cmpuint(cpu_inb(RBR), ==, 'a');
    g_assert_cmphex(cpu_inb(IIR), ==, 0xc1);
    g_assert_cmpint(irq_level, ==, 0);
    run_until(500000 + t4 - 1);
    g_assert_cmpint(irq_level, ==, 0);
    run_until(500000 + t4);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmpuint(cpu_inb(RBR), ==, 'b');
    g_assert_cmpint(irq_level, ==, 0);
    /* Empty: no timeout. */
    run_until(5000000);
    g_assert_cmpint(irq_level, ==, 0);
    /* A new character restarts the timer. */
    host_send(host, "c");
    run_until(5000000 + 200000);
    host_send(host, "d");
    run_until(5000000 + 200000 + t4 - 1);
    g_assert_cmpint(irq_level, ==, 0);
    run_until(5000000 + 200000 + t4);
    g_assert_cmpint(irq_level, ==, 1);
    /* The RDA level outranks nothing here: it is the same priority. */
    host_send(host, "ef");
    g_assert_cmphex(cpu_inb(IIR), ==, 0xc4);
    for (int i = 0; i < 4; i++) {
        cpu_inb(RBR);
    }
    g_assert_cmpint(irq_level, ==, 0);
    /* 7E2 at 9600 baud: 11 bits of 104.17 us. */
    cpu_outb(LCR, 0x80 | 0x0e);
    cpu_outb(DLL, 12);
    cpu_outb(LCR, 0x0e);
    run_until(10000000);
    host_send(host, "g");
    run_until(10000000 + 4 * 1145833 - 1);
    g_assert_cmpint(irq_level, ==, 0);
    run_until(10000000 + 4 * 1145833);
    g_assert_cmpint(irq_level, ==, 1);
    /* No timeout in 16450 mode (RDA instead). */
    cpu_outb(FCR, 0x00);
    host_send(host, "h");
    g_assert_cmphex(cpu_inb(IIR), ==, 0x04);
    run_until(100000000);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x04);
    teardown();
}

static void test_overrun(void)
{
    setup();
    /* FIFO mode: the 17th character is lost, the 16 kept in order. */
    cpu_outb(FCR, 0x01);
    cpu_outb(MCR, 0x10);
    for (int i = 0; i < 17; i++) {
        cpu_outb(THR, 0x40 + i);
    }
    g_assert_cmphex(cpu_inb(LSR), ==, 0x63);
    g_assert_cmphex(cpu_inb(LSR), ==, 0x61);
    for (int i = 0; i < 16; i++) {
        g_assert_cmphex(cpu_inb(RBR), ==, 0x40 + i);
    }
    g_assert_cmphex(cpu_inb(LSR), ==, 0x60);
    g_assert_true(out_is(""));
    teardown();
}

static void test_loopback_modem(void)
{
    setup();
    /* Linux's loopback probe: RTS and OUT2 read back as CTS and DCD. */
    cpu_outb(MCR, 0x1a);
    g_assert_cmphex(cpu_inb(MSR) & 0xf0, ==, 0x90);
    cpu_outb(MCR, 0x1f);
    g_assert_cmphex(cpu_inb(MSR), ==, 0xf2); /* DSR, RI rose; CTS, DCD kept */
    /* Deltas: DTR/RTS/OUT2 drop; RI's trailing edge sets TERI. */
    cpu_outb(MCR, 0x10);
    g_assert_cmphex(cpu_inb(MSR), ==, 0x0f);
    g_assert_cmphex(cpu_inb(MSR), ==, 0x00);
    cpu_outb(MCR, 0x14);
    g_assert_cmphex(cpu_inb(MSR), ==, 0x40);
    cpu_outb(MCR, 0x10);
    g_assert_cmphex(cpu_inb(MSR), ==, 0x04);
    /* A modem status interrupt (OUT2 also drives DCD here). */
    cpu_outb(IER, 0x08);
    cpu_outb(MCR, 0x19);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x00);
    g_assert_cmphex(cpu_inb(MSR), ==, 0xaa); /* DSR, DCD rose */
    g_assert_cmphex(cpu_inb(IIR), ==, 0x01);
    g_assert_cmpint(irq_level, ==, 0);
    /* Transmit loops to receive; nothing goes to the host. */
    cpu_outb(THR, 'L');
    g_assert_cmphex(cpu_inb(LSR), ==, 0x61);
    g_assert_cmpuint(cpu_inb(RBR), ==, 'L');
    g_assert_true(out_is(""));
    /* The line is disconnected: no host input, breaks ignored. */
    g_assert_cmpint(qemu_chr_be_can_write(&host->parent), ==, 0);
    qemu_chr_be_event(&host->parent, CHR_EVENT_BREAK);
    g_assert_cmphex(cpu_inb(LSR), ==, 0x60);
    /* Leaving loopback: the modem is back, the back-end is asked. */
    host->kicks = 0;
    cpu_outb(MCR, 0x0b);
    g_assert_cmpint(host->kicks, ==, 1);
    g_assert_cmpint(qemu_chr_be_can_write(&host->parent), ==, 1);
    g_assert_cmphex(cpu_inb(MSR), ==, 0xb1); /* CTS rose */
    cpu_outb(THR, 'M');
    g_assert_true(out_is("M"));
    teardown();
}

static void test_break(void)
{
    setup();
    cpu_outb(IER, 0x05);
    cpu_outb(MCR, 0x08);
    qemu_chr_be_event(&host->parent, CHR_EVENT_BREAK);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x06);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmphex(cpu_inb(LSR), ==, 0x71);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x04);
    g_assert_cmphex(cpu_inb(LSR), ==, 0x61);
    g_assert_cmpuint(cpu_inb(RBR), ==, 0);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x01);
    /* FIFO mode: the break character carries BI to the top. */
    cpu_outb(FCR, 0x01);
    host_send(host, "a");
    qemu_chr_be_event(&host->parent, CHR_EVENT_BREAK);
    host_send(host, "b");
    g_assert_cmphex(cpu_inb(LSR), ==, 0xe1); /* error in the FIFO */
    g_assert_cmphex(cpu_inb(IIR), ==, 0xc4);
    g_assert_cmpuint(cpu_inb(RBR), ==, 'a');
    g_assert_cmphex(cpu_inb(IIR), ==, 0xc6);
    g_assert_cmphex(cpu_inb(LSR), ==, 0xf1);
    g_assert_cmphex(cpu_inb(LSR), ==, 0x61);
    g_assert_cmpuint(cpu_inb(RBR), ==, 0);
    g_assert_cmpuint(cpu_inb(RBR), ==, 'b');
    g_assert_cmphex(cpu_inb(LSR), ==, 0x60);
    teardown();
}

/* ---- flow control ---- */

/*
 * 100 bytes arrive at once; a strict back-end delivers only what the UART
 * says it can take, and only again when the UART asks.  The guest reads
 * slowly.  Nothing may be lost or reordered.
 */
static void flow_control(uint8_t fcr)
{
    GByteArray *got = g_byte_array_new();
    int kicks_seen;

    setup();
    cpu_outb(FCR, fcr);
    for (int i = 0; i < 100; i++) {
        uint8_t c = i * 7 + 1;
        g_byte_array_append(host->in, &c, 1);
    }
    host_pump(host);
    kicks_seen = host->kicks;
    for (int step = 0; step < 10000 && got->len < 100; step++) {
        uint8_t lsr;

        run_until(fake_now + 50000);
        lsr = cpu_inb(LSR);
        g_assert_cmphex(lsr & 0x02, ==, 0); /* never an overrun */
        if (lsr & 0x01 && step % 3 == 0) {
            uint8_t c = cpu_inb(RBR);
            g_byte_array_append(got, &c, 1);
        }
        if (host->kicks != kicks_seen) {
            kicks_seen = host->kicks;
            host_pump(host);
        }
    }
    g_assert_cmpuint(got->len, ==, 100);
    for (int i = 0; i < 100; i++) {
        g_assert_cmpuint(got->data[i], ==, (uint8_t)(i * 7 + 1));
    }
    g_assert_cmpuint(host->in->len, ==, 0);
    g_byte_array_free(got, TRUE);
    teardown();
}

static void test_flow_control_fifo(void)
{
    flow_control(0xc1);
}

static void test_flow_control_16450(void)
{
    flow_control(0x00);
}

/* ---- slow host output ---- */

static void test_output_backpressure(void)
{
    GByteArray *big;

    setup();
    cpu_outb(IER, 0x02);
    cpu_outb(MCR, 0x08);
    cpu_inb(IIR);
    /* The host takes nothing: the guest sees no difference. */
    host->room = 0;
    cpu_outb(THR, 'a');
    cpu_outb(THR, 'b');
    cpu_outb(THR, 'c');
    g_assert_cmphex(cpu_inb(LSR), ==, 0x60);
    g_assert_cmphex(cpu_inb(IIR), ==, 0x02);
    g_assert_true(out_is(""));
    /* Retried from the host clock, in order. */
    host->room = 2;
    run_host_ms(1);
    g_assert_true(out_is("ab"));
    cpu_outb(THR, 'd');
    g_assert_true(out_is("ab"));
    host->room = -1;
    run_host_ms(1);
    g_assert_true(out_is("abcd"));
    cpu_outb(THR, 'e');
    g_assert_true(out_is("abcde"));
    /* A host that never reads: at 64 KiB queued, wait for it. */
    host->room = 0;
    big = g_byte_array_new();
    g_byte_array_append(big, host->out->data, host->out->len);
    for (int i = 0; i < 64 * 1024; i++) {
        uint8_t c = i % 251;
        cpu_outb(THR, c);
        g_byte_array_append(big, &c, 1);
    }
    g_assert_cmpint(host->waits, ==, 1);
    g_assert_cmpuint(host->out->len, ==, big->len);
    g_assert_cmpmem(host->out->data, host->out->len, big->data, big->len);
    g_byte_array_free(big, TRUE);
    teardown();
}

static void test_no_backend(void)
{
    SerialState *s;

    setup();
    s = serial_isa_init(2, 0x3e8, irq, NULL, &error_abort);
    cpu_outb(0x3e8, 'x');
    g_assert_cmphex(cpu_inb(0x3ed), ==, 0x60);
    g_assert_true(out_is(""));
    serial_free(s);
    teardown();
}

/* ---- save/load ---- */

static void observe(GString *log, int64_t t0)
{
    g_array_set_size(edges, 0);
    for (int i = 0; i < 80; i++) {
        run_until(t0 + i * 40000);
        g_string_append_printf(log, "%02x/%02x/%02x ", cpu_inb(IIR),
                               cpu_inb(LSR), cpu_inb(MSR));
        if (i % 7 == 6 && (i < 40 || i > 70)) {
            g_string_append_printf(log, "r%02x ", cpu_inb(RBR));
        }
        if (i == 20) {
            host_send(host, "XY");
        }
    }
    for (guint i = 0; i < edges->len; i++) {
        Edge *e = &g_array_index(edges, Edge, i);
        g_string_append_printf(log, "e%" PRId64 "=%d ", e->ns, e->level);
    }
}

static void test_vmstate(void)
{
    GByteArray *saved = g_byte_array_new();
    GString *a = g_string_new(NULL);
    GString *b = g_string_new(NULL);
    int64_t t0;
    int level0;

    setup();
    cpu_outb(LCR, 0x83);
    cpu_outb(DLL, 2);
    cpu_outb(LCR, 0x1b);
    cpu_outb(FCR, 0x81); /* trigger 8 */
    cpu_outb(IER, 0x0d);
    cpu_outb(MCR, 0x0b);
    cpu_outb(SCR, 0x77);
    run_until(12345);
    host_send(host, "abc");
    qemu_chr_be_event(&host->parent, CHR_EVENT_BREAK);
    host_send(host, "de");
    cpu_inb(LSR);
    g_assert_cmpuint(cpu_inb(RBR), ==, 'a');
    run_until(20000);
    t0 = fake_now;
    level0 = irq_level;
    vmstate_save_all(saved);
    observe(a, t0);
    teardown();

    /* A new UART at the same time, loaded: the same behaviour. */
    fake_now = t0;
    edges = g_array_new(FALSE, FALSE, sizeof(Edge));
    irq_level = 0;
    irq = qemu_allocate_irq(irq_handler, NULL, 0);
    host = tchr_new("com1");
    uart = serial_isa_init(0, COM1, irq, &host->parent, &error_abort);
    g_assert_true(vmstate_load_all(saved->data, saved->len, &error_abort));
    g_assert_cmpint(irq_level, ==, level0);
    g_assert_cmphex(cpu_inb(SCR), ==, 0x77);
    observe(b, t0);
    g_assert_cmpstr(a->str, ==, b->str);
    /* It saw the break, the timeout, and the input sent after loading. */
    g_assert_nonnull(strstr(a->str, "r00 "));
    g_assert_nonnull(strstr(a->str, "cc/"));
    g_assert_nonnull(strstr(a->str, "r58 "));
    teardown();
    g_byte_array_free(saved, TRUE);
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
}

/* ---- -device isa-serial ---- */

static int lookups[16];
static qemu_irq test_isa_irq(int n)
{
    lookups[n]++;
    return irq;
}

static bool create(const char *params, Error **errp)
{
    QemuOpts *opts =
        qemu_opts_parse("device", params, "driver", NULL, &error_abort);
    bool ok = device_create_from_opts(opts, errp);

    qemu_opts_free(opts);
    return ok;
}

static void expect_error(const char *params, const char *msg)
{
    Error *err = NULL;

    g_assert_false(create(params, &err));
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), msg)) {
        g_error("'%s': got '%s', want '%s'", params, error_get_pretty(err),
                msg);
    }
    error_free(err);
}

static void test_device(void)
{
    TestChr *t9;

    setup();
    serial_free(uart); /* the device makes its own */
    uart = NULL;
    expect_error("isa-serial,chardev=com1", "no ISA bus");
    serial_set_isa_irq_lookup(test_isa_irq);
    expect_error("isa-serial,chardev=nope", "chardev 'nope' not found");
    expect_error("isa-serial,index=4", "Max. supported number");
    expect_error("isa-serial,irq=16", "irq=16");
    g_assert_true(create("isa-serial,chardev=com1", &error_abort));
    g_assert_nonnull(serial_find(0));
    g_assert_cmpint(lookups[4], ==, 1);
    cpu_outb(THR, 'k');
    g_assert_true(out_is("k"));
    expect_error("isa-serial,index=0", "already in use");
    t9 = tchr_new("t9");
    g_assert_true(create("isa-serial,index=3,iobase=0x2e0,irq=5,chardev=t9",
                         &error_abort));
    g_assert_cmpint(lookups[5], ==, 1);
    cpu_outb(0x2e0, 'n');
    g_assert_cmpuint(t9->out->len, ==, 1);
    g_assert_cmphex(cpu_inb(0x2e5), ==, 0x60);
    /* No index: the first free one, with its default port and IRQ. */
    g_assert_true(create("isa-serial", &error_abort));
    g_assert_nonnull(serial_find(1));
    g_assert_cmpint(lookups[3], ==, 1);
    g_assert_cmphex(cpu_inb(0x2fd), ==, 0x60);
    expect_error("isa-serial,chardev=t9", "in use");
    serial_free(serial_find(0));
    serial_free(serial_find(1));
    serial_free(serial_find(3));
    qemu_chr_delete(&t9->parent);
    serial_set_isa_irq_lookup(NULL);
    uart = serial_isa_init(0, COM1, irq, NULL, &error_abort);
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_chr_register_class(&tchr_class);
    device_register(&isa_serial_info);
    g_test_add_func("/serial/reset-values", test_reset_values);
    g_test_add_func("/serial/transmit-thre", test_transmit_thre);
    g_test_add_func("/serial/priorities", test_priorities);
    g_test_add_func("/serial/fifo-trigger-levels", test_fifo_trigger_levels);
    g_test_add_func("/serial/char-timeout", test_char_timeout);
    g_test_add_func("/serial/overrun", test_overrun);
    g_test_add_func("/serial/loopback-modem", test_loopback_modem);
    g_test_add_func("/serial/break", test_break);
    g_test_add_func("/serial/flow-control-fifo", test_flow_control_fifo);
    g_test_add_func("/serial/flow-control-16450", test_flow_control_16450);
    g_test_add_func("/serial/output-backpressure", test_output_backpressure);
    g_test_add_func("/serial/no-backend", test_no_backend);
    g_test_add_func("/serial/vmstate", test_vmstate);
    g_test_add_func("/serial/device", test_device);
    return g_test_run();
}
