/*
 * The 8254 PIT through its ports: the six modes with exact timings from
 * the Intel 8254 datasheet, access modes, latch and read-back, BCD, gates,
 * port 0x61, IRQ 0 timing on the virtual clock, save/load.
 *
 * Guest time is a fake virtual clock; run_until() moves it forward the
 * way the icount main loop does, stopping at every timer deadline, so
 * each IRQ 0 edge is recorded at the exact ns it happens.  Pulse k of the
 * 1.193182 MHz clock happens at T(k) = ceil(k * 10^9 / 1193182) ns.
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "exec/ioport.h"
#include "migration/vmstate.h"
#include "hw/timer/i8254.h"

/* LSB then MSB: two reads in this order (not in one expression, whose
 * evaluation order C leaves open). */
static unsigned read_count16(uint16_t port)
{
    unsigned lo = cpu_inb(port);

    return lo | (unsigned)cpu_inb(port) << 8;
}

typedef struct Edge {
    int64_t ns;
    int level;
} Edge;

static int64_t fake_now;
static GArray *edges;
static int irq_level;
static qemu_irq irq0;
static PITState *pit;

static int64_t fake_clock(void)
{
    return fake_now;
}

static void irq_handler(void *opaque, int n, int level)
{
    Edge e = { fake_now, level };

    if (level != irq_level) {
        irq_level = level;
        g_array_append_val(edges, e);
    }
}

/* Moves guest time to ns, running every timer at its own deadline. */
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

static int64_t T(int64_t tick)
{
    return pit_ticks_to_ns(tick);
}

/* To the first ns of pulse k. */
static void at_tick(int64_t k)
{
    run_until(T(k));
}

static void setup(void)
{
    fake_now = 0;
    qemu_clock_set_source(QEMU_CLOCK_VIRTUAL, fake_clock);
    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, true);
    edges = g_array_new(FALSE, FALSE, sizeof(Edge));
    irq_level = 0;
    irq0 = qemu_allocate_irq(irq_handler, NULL, 0);
    pit = i8254_init(0x40, irq0);
    /* Reset: mode 3, count 65536, so OUT 0 starts high. */
    g_assert_cmpint(irq_level, ==, 1);
    g_array_set_size(edges, 0);
}

static void teardown(void)
{
    i8254_free(pit);
    pit = NULL;
    qemu_free_irq(irq0);
    g_array_free(edges, TRUE);
}

static void expect_edge(guint i, int64_t tick, int level)
{
    g_assert_cmpuint(i, <, edges->len);
    g_assert_cmpint(g_array_index(edges, Edge, i).ns, ==, T(tick));
    g_assert_cmpint(g_array_index(edges, Edge, i).level, ==, level);
}

static void program(int ch, uint8_t ctrl_low, uint32_t count)
{
    cpu_outb(0x43, ch << 6 | ctrl_low);
    switch ((ctrl_low >> 4) & 3) {
    case 1:
        cpu_outb(0x40 + ch, count);
        break;
    case 2:
        cpu_outb(0x40 + ch, count >> 8);
        break;
    default:
        cpu_outb(0x40 + ch, count);
        cpu_outb(0x40 + ch, count >> 8);
        break;
    }
}

/* Counter latch command, then LSB and MSB (for RW = LSB then MSB). */
static uint16_t latch_read(int ch)
{
    uint16_t v;

    cpu_outb(0x43, ch << 6);
    v = cpu_inb(0x40 + ch);
    return v | cpu_inb(0x40 + ch) << 8;
}

static uint8_t read_status(int ch)
{
    cpu_outb(0x43, 0xe0 | 2 << ch); /* read-back, status only */
    return cpu_inb(0x40 + ch);
}

static int out2(void)
{
    return (cpu_inb(0x61) >> 5) & 1;
}

/* ---- clock ---- */

static void test_tick_math(void)
{
    g_assert_cmpint(pit_ns_to_ticks(NANOSECONDS_PER_SECOND), ==, PIT_FREQ);
    g_assert_cmpint(pit_ticks_to_ns(PIT_FREQ), ==, NANOSECONDS_PER_SECOND);
    /* 10^9 / 1193182 = 838.095...: pulse 1 is at 839 ns. */
    g_assert_cmpint(pit_ticks_to_ns(1), ==, 839);
    g_assert_cmpint(pit_ns_to_ticks(838), ==, 0);
    g_assert_cmpint(pit_ns_to_ticks(839), ==, 1);
    /* A day and a year of guest time, exactly. */
    g_assert_cmpint(pit_ns_to_ticks(86400 * NANOSECONDS_PER_SECOND), ==,
                    86400LL * PIT_FREQ);
    g_assert_cmpint(pit_ns_to_ticks(INT64_C(31536000000000000) + 1), ==,
                    INT64_C(31536000) * PIT_FREQ);
    for (int64_t k = 0; k < 5000; k += 7) {
        g_assert_cmpint(pit_ns_to_ticks(T(k)), ==, k);
        if (k) {
            g_assert_cmpint(pit_ns_to_ticks(T(k) - 1), ==, k - 1);
        }
    }
}

/* ---- modes ---- */

static void test_mode0(void)
{
    setup();
    at_tick(1000);
    cpu_outb(0x43, 0x30); /* counter 0, LSB then MSB, mode 0 */
    /* "After the control word is written OUT is initially low." */
    g_assert_cmpuint(edges->len, ==, 1);
    expect_edge(0, 1000, 0);
    cpu_outb(0x40, 100);
    cpu_outb(0x40, 0);
    /* Null count until the next pulse loads the count. */
    g_assert_cmphex(read_status(0), ==, 0x70);
    at_tick(1001);
    g_assert_cmphex(read_status(0), ==, 0x30);
    g_assert_cmpuint(latch_read(0), ==, 100);
    at_tick(1050);
    g_assert_cmpuint(latch_read(0), ==, 51);
    /* OUT goes high N + 1 pulses after the count was written. */
    run_until(T(1101) - 1);
    g_assert_cmpuint(edges->len, ==, 1);
    g_assert_cmpuint(latch_read(0), ==, 1);
    at_tick(1101);
    g_assert_cmpuint(edges->len, ==, 2);
    expect_edge(1, 1101, 1);
    g_assert_cmpuint(latch_read(0), ==, 0);
    g_assert_cmphex(read_status(0), ==, 0xb0);
    /* It keeps counting through 0 and OUT stays high. */
    at_tick(1106);
    g_assert_cmpuint(latch_read(0), ==, 0xfffb);
    run_until(T(1101 + 70000));
    g_assert_cmpuint(edges->len, ==, 2);

    /* Writing a new count sets OUT low; it is loaded on the next pulse. */
    at_tick(80000);
    cpu_outb(0x40, 10);
    g_assert_cmpuint(edges->len, ==, 3);
    expect_edge(2, 80000, 0);
    /* The first byte stopped counting: CE holds still. */
    g_assert_cmpuint(latch_read(0), ==, latch_read(0));
    at_tick(80007);
    cpu_outb(0x40, 0);
    run_until(T(80018));
    g_assert_cmpuint(edges->len, ==, 4);
    expect_edge(3, 80007 + 11, 1);
    teardown();
}

static void test_mode0_gate(void)
{
    setup();
    cpu_outb(0x61, 0); /* gate 2 low */
    at_tick(200);
    program(2, 0x30, 10);
    g_assert_cmpint(out2(), ==, 0);
    /* Loaded on the next pulse even with the gate low, but held. */
    at_tick(201);
    g_assert_cmphex(read_status(2), ==, 0x30);
    at_tick(300);
    g_assert_cmpuint(latch_read(2), ==, 10);
    /* Gate high at 300: counting resumes, terminal count 10 pulses on. */
    cpu_outb(0x61, 1);
    at_tick(304);
    g_assert_cmpuint(latch_read(2), ==, 6);
    cpu_outb(0x61, 0); /* pause with 6 to go */
    at_tick(400);
    g_assert_cmpuint(latch_read(2), ==, 6);
    g_assert_cmpint(out2(), ==, 0);
    cpu_outb(0x61, 1);
    at_tick(405);
    g_assert_cmpint(out2(), ==, 0);
    at_tick(406);
    g_assert_cmpint(out2(), ==, 1);
    /* The gate has no effect on OUT in mode 0. */
    cpu_outb(0x61, 0);
    g_assert_cmpint(out2(), ==, 1);
    teardown();
}

static void test_mode1(void)
{
    setup();
    cpu_outb(0x61, 0);
    at_tick(100);
    program(2, 0x32, 20); /* counter 2, mode 1 */
    g_assert_cmpint(out2(), ==, 1);
    at_tick(150);
    /* No trigger yet: the count waits in CR (null count). */
    g_assert_cmphex(read_status(2), ==, 0xf2);
    /* Trigger at 150: OUT low on the next pulse, for N pulses. */
    cpu_outb(0x61, 1);
    g_assert_cmpint(out2(), ==, 1);
    at_tick(151);
    g_assert_cmpint(out2(), ==, 0);
    g_assert_cmpuint(latch_read(2), ==, 20);
    g_assert_cmphex(read_status(2), ==, 0x32);
    /* The gate level does not stop a one-shot. */
    at_tick(155);
    cpu_outb(0x61, 0);
    at_tick(170);
    g_assert_cmpint(out2(), ==, 0);
    g_assert_cmpuint(latch_read(2), ==, 1);
    at_tick(171);
    g_assert_cmpint(out2(), ==, 1);
    /* Retrigger during a one-shot restarts it with the count in CR. */
    at_tick(200);
    cpu_outb(0x61, 1);
    at_tick(210);
    cpu_outb(0x42, 5);
    cpu_outb(0x42, 0); /* no effect until the next trigger */
    cpu_outb(0x61, 0);
    at_tick(215);
    g_assert_cmpuint(latch_read(2), ==, 6);
    cpu_outb(0x61, 1); /* retrigger at 215 with N = 5 */
    at_tick(220);
    g_assert_cmpint(out2(), ==, 0);
    at_tick(221);
    g_assert_cmpint(out2(), ==, 1);
    teardown();
}

static void test_mode2(void)
{
    setup();
    at_tick(500);
    program(0, 0x34, 10); /* counter 0, mode 2 */
    /* Low for one pulse N pulses after the write, every N pulses. */
    run_until(T(545));
    g_assert_cmpuint(edges->len, ==, 8);
    for (int i = 0; i < 4; i++) {
        expect_edge(2 * i, 510 + 10 * i, 0);
        expect_edge(2 * i + 1, 511 + 10 * i, 1);
    }
    /* CE: 10 at the load, 1 while OUT is low, then reloaded. */
    at_tick(551);
    g_assert_cmpuint(latch_read(0), ==, 10);
    at_tick(559);
    g_assert_cmpuint(latch_read(0), ==, 2);
    at_tick(560);
    g_assert_cmpuint(latch_read(0), ==, 1);
    /* A new count takes effect at the end of the current period. */
    at_tick(565);
    cpu_outb(0x40, 4);
    cpu_outb(0x40, 0);
    g_assert_cmphex(read_status(0), ==, 0xf4);
    g_array_set_size(edges, 0);
    at_tick(570);
    g_assert_cmphex(read_status(0), ==, 0x74); /* still the old period */
    at_tick(571);
    g_assert_cmphex(read_status(0), ==, 0xb4);
    run_until(T(580));
    g_assert_cmpuint(edges->len, ==, 6);
    expect_edge(0, 570, 0);
    expect_edge(1, 571, 1);
    expect_edge(2, 574, 0);
    expect_edge(3, 575, 1);
    expect_edge(4, 578, 0);
    expect_edge(5, 579, 1);
    teardown();
}

static void test_mode2_gate(void)
{
    setup();
    cpu_outb(0x61, 1);
    at_tick(100);
    program(2, 0x34, 8);
    at_tick(107);
    g_assert_cmpint(out2(), ==, 1);
    at_tick(108);
    g_assert_cmpint(out2(), ==, 0);
    /* Gate low during the low pulse sets OUT high at once. */
    cpu_outb(0x61, 0);
    g_assert_cmpint(out2(), ==, 1);
    at_tick(200);
    g_assert_cmpint(out2(), ==, 1);
    g_assert_cmpuint(latch_read(2), ==, 1);
    /* The rising gate reloads on the next pulse: low 8 pulses later. */
    cpu_outb(0x61, 1);
    at_tick(201);
    g_assert_cmpuint(latch_read(2), ==, 8);
    at_tick(207);
    g_assert_cmpint(out2(), ==, 1);
    at_tick(208);
    g_assert_cmpint(out2(), ==, 0);
    at_tick(209);
    g_assert_cmpint(out2(), ==, 1);
    teardown();
}

static void check_square(int64_t w, int n, int periods)
{
    int64_t s = w + 1;
    int hi = (n + 1) / 2;

    g_assert_cmpuint(edges->len, ==, 2 * periods);
    for (int i = 0; i < periods; i++) {
        expect_edge(2 * i, s + (int64_t)n * i + hi, 0);
        expect_edge(2 * i + 1, s + (int64_t)n * (i + 1), 1);
    }
}

static void test_mode3(void)
{
    static const uint8_t even_ce[10] = { 10, 8, 6, 4, 2, 10, 8, 6, 4, 2 };
    static const uint8_t odd_ce[7] = { 6, 4, 2, 0, 6, 4, 2 };

    setup();
    /* Even count: high N/2, low N/2. */
    at_tick(100);
    program(0, 0x36, 10);
    run_until(T(101 + 30) + 1);
    check_square(100, 10, 3);
    for (int i = 0; i < 10; i++) {
        at_tick(131 + i);
        g_assert_cmpuint(latch_read(0), ==, even_ce[i]);
    }
    /* Odd count: high (N+1)/2, low (N-1)/2. */
    at_tick(1000);
    program(0, 0x36, 7); /* the control word sets OUT high at once */
    g_assert_cmpint(irq_level, ==, 1);
    g_array_set_size(edges, 0);
    run_until(T(1001 + 35) + 1);
    check_square(1000, 7, 5);
    for (int i = 0; i < 7; i++) {
        at_tick(1036 + i);
        g_assert_cmpuint(latch_read(0), ==, odd_ce[i]);
        g_assert_cmphex(read_status(0), ==, (i < 4 ? 0x80 : 0) | 0x36);
    }
    /* Largest count (0): 65536 pulses, 32768 each way. */
    at_tick(5000);
    program(0, 0x36, 0);
    g_array_set_size(edges, 0);
    run_until(T(5001 + 65536));
    check_square(5000, 65536, 1);
    teardown();
}

static void test_mode3_new_count(void)
{
    setup();
    at_tick(100);
    program(0, 0x36, 10); /* S = 101: low at 106, high at 111 */
    at_tick(103);
    /* A new count is loaded at the end of the current half-cycle. */
    cpu_outb(0x40, 4);
    cpu_outb(0x40, 0);
    run_until(T(120) - 1);
    /* 106: low for 2 (new count), 108 high for 2, 110 low ... */
    g_assert_cmpuint(edges->len, ==, 7);
    expect_edge(0, 106, 0);
    expect_edge(1, 108, 1);
    expect_edge(2, 110, 0);
    expect_edge(3, 112, 1);
    expect_edge(6, 118, 0);
    /* Gate low stops it with OUT high; rising gate restarts it. */
    cpu_outb(0x61, 1);
    program(2, 0x36, 6);
    at_tick(124);
    g_assert_cmpint(out2(), ==, 0);
    cpu_outb(0x61, 0);
    g_assert_cmpint(out2(), ==, 1);
    at_tick(130);
    cpu_outb(0x61, 1);
    at_tick(133);
    g_assert_cmpint(out2(), ==, 1);
    at_tick(134);
    g_assert_cmpint(out2(), ==, 0);
    teardown();
}

static void test_mode4(void)
{
    setup();
    at_tick(300);
    program(0, 0x38, 5);
    /* OUT stays high after the control word; strobe N+1 pulses later. */
    run_until(T(400));
    g_assert_cmpuint(edges->len, ==, 2);
    expect_edge(0, 306, 0);
    expect_edge(1, 307, 1);
    /* Only once: CE wraps without another strobe. */
    run_until(T(400 + 70000));
    g_assert_cmpuint(edges->len, ==, 2);
    /* A new count is loaded on the next pulse and strobes again. */
    at_tick(80000);
    cpu_outb(0x40, 3);
    cpu_outb(0x40, 0);
    run_until(T(80010));
    g_assert_cmpuint(edges->len, ==, 4);
    expect_edge(2, 80004, 0);
    expect_edge(3, 80005, 1);
    /* Gate low inhibits counting (counter 2). */
    cpu_outb(0x61, 0);
    at_tick(90000);
    program(2, 0x38, 4);
    at_tick(90100);
    g_assert_cmpuint(latch_read(2), ==, 4);
    cpu_outb(0x61, 1);
    at_tick(90104);
    g_assert_cmpint(out2(), ==, 0);
    at_tick(90105);
    g_assert_cmpint(out2(), ==, 1);
    teardown();
}

static void test_mode5(void)
{
    setup();
    cpu_outb(0x61, 0);
    at_tick(10);
    program(2, 0x3a, 4);
    at_tick(50);
    g_assert_cmpint(out2(), ==, 1);
    cpu_outb(0x61, 1); /* trigger: strobe N + 1 pulses later */
    at_tick(51);
    g_assert_cmpuint(latch_read(2), ==, 4);
    at_tick(54);
    g_assert_cmpint(out2(), ==, 1);
    at_tick(55);
    g_assert_cmpint(out2(), ==, 0);
    at_tick(56);
    g_assert_cmpint(out2(), ==, 1);
    /* Retriggered before terminal count: restarts from N. */
    cpu_outb(0x61, 0);
    at_tick(60);
    cpu_outb(0x61, 1);
    at_tick(63);
    cpu_outb(0x61, 0);
    cpu_outb(0x61, 1);
    at_tick(67);
    g_assert_cmpint(out2(), ==, 1);
    at_tick(68);
    g_assert_cmpint(out2(), ==, 0);
    teardown();
}

/* ---- access ---- */

static void test_access_modes(void)
{
    setup();
    /* LSB only: MSB is 0. */
    at_tick(10);
    program(1, 0x14, 200);
    at_tick(11);
    cpu_outb(0x43, 0x40);
    g_assert_cmpuint(cpu_inb(0x41), ==, 200);
    /* MSB only: LSB is 0, reads return the MSB. */
    program(1, 0x24, 0x0300);
    at_tick(12);
    cpu_outb(0x43, 0x40);
    at_tick(13);
    g_assert_cmpuint(cpu_inb(0x41), ==, 0x03);
    g_assert_cmpuint(cpu_inb(0x41), ==, 0x02); /* 0x2ff, unlatched */
    /* Word: unlatched reads alternate LSB and MSB of the live count. */
    program(1, 0x34, 0x1234);
    at_tick(14);
    g_assert_cmpuint(cpu_inb(0x41), ==, 0x34);
    g_assert_cmpuint(cpu_inb(0x41), ==, 0x12);
    at_tick(15);
    g_assert_cmpuint(cpu_inb(0x41), ==, 0x33);
    teardown();
}

static void test_latch(void)
{
    setup();
    at_tick(10);
    program(1, 0x34, 1000);
    at_tick(100);
    cpu_outb(0x43, 0x40); /* latch: 1000 - 89 */
    at_tick(200);
    cpu_outb(0x43, 0x40); /* ignored: the first latch is not read */
    g_assert_cmpuint(cpu_inb(0x41), ==, 911 & 0xff);
    at_tick(300);
    g_assert_cmpuint(cpu_inb(0x41), ==, 911 >> 8);
    /* Read: a new latch works, and unlatched reads are live again. */
    g_assert_cmpuint(latch_read(1), ==, 1000 - 289);
    at_tick(301);
    g_assert_cmpuint(cpu_inb(0x41), ==, (1000 - 290) & 0xff);
    /* A control word drops a latch that was not read. */
    cpu_inb(0x41);
    cpu_outb(0x43, 0x40);
    program(1, 0x14, 50);
    at_tick(302);
    g_assert_cmpuint(cpu_inb(0x41), ==, 50);
    teardown();
}

static void test_read_back(void)
{
    setup();
    cpu_outb(0x61, 1);
    at_tick(20);
    program(0, 0x34, 1000);
    program(2, 0x30, 500);
    at_tick(21);
    program(1, 0x1b, 0x99); /* LSB only, mode 5, BCD: waits for gate */
    at_tick(121);
    /* Count and status of all three: status first, then the count. */
    cpu_outb(0x43, 0xce);
    g_assert_cmphex(cpu_inb(0x40), ==, 0xb4);
    g_assert_cmphex(cpu_inb(0x41), ==, 0xdb); /* OUT high, null count */
    g_assert_cmphex(cpu_inb(0x42), ==, 0x30);
    g_assert_cmpuint(cpu_inb(0x40), ==, 900 & 0xff);
    g_assert_cmpuint(cpu_inb(0x40), ==, 900 >> 8);
    g_assert_cmpuint(cpu_inb(0x42), ==, 400 & 0xff);
    g_assert_cmpuint(cpu_inb(0x42), ==, 400 >> 8);
    /* Counter 1's latched count is the CE left by reset (mode 3). */
    cpu_inb(0x41);
    /* Count only, counter 0 only; repeated latches keep the first. */
    at_tick(200);
    cpu_outb(0x43, 0xd2);
    at_tick(250);
    cpu_outb(0x43, 0xd2);
    cpu_outb(0x43, 0xe2); /* and now its status */
    g_assert_cmphex(cpu_inb(0x40), ==, 0xb4);
    g_assert_cmpuint(read_count16(0x40), ==, 1000 - 179);
    /* Unlatched again. */
    g_assert_cmpuint(read_count16(0x40), ==, 1000 - 229);
    teardown();
}

static void test_bcd(void)
{
    setup();
    at_tick(100);
    program(0, 0x31, 0); /* mode 0, BCD, count 0 = 10000 */
    at_tick(101);
    g_assert_cmphex(latch_read(0), ==, 0x0000);
    at_tick(102);
    g_assert_cmphex(latch_read(0), ==, 0x9999);
    at_tick(101 + 1234);
    g_assert_cmphex(latch_read(0), ==, 0x8766);
    run_until(T(101 + 10000) - 1);
    g_assert_cmpuint(edges->len, ==, 1);
    at_tick(101 + 10000);
    g_assert_cmpuint(edges->len, ==, 2);
    expect_edge(1, 101 + 10000, 1);
    g_assert_cmphex(latch_read(0), ==, 0x0000);
    at_tick(101 + 10001);
    g_assert_cmphex(latch_read(0), ==, 0x9999);
    /* A BCD count of 0x0099 is 99 pulses. */
    at_tick(20000);
    g_array_set_size(edges, 0);
    program(0, 0x35, 0x0099); /* mode 2, BCD */
    run_until(T(20000 + 99));
    g_assert_cmpuint(edges->len, ==, 1);
    expect_edge(0, 20000 + 99, 0);
    at_tick(20000 + 100);
    g_assert_cmphex(latch_read(0), ==, 0x0099);
    at_tick(20000 + 150);
    g_assert_cmphex(latch_read(0), ==, 0x0049);
    teardown();
}

static void test_port61(void)
{
    setup();
    g_assert_cmphex(cpu_inb(0x61) & 0x1f, ==, 0x00);
    cpu_outb(0x61, 0xff); /* read-only bits are not stored */
    g_assert_cmphex(cpu_inb(0x61) & 0x0f, ==, 0x0f);
    g_assert_cmphex(cpu_inb(0x61) & 0xc0, ==, 0x00);
    cpu_outb(0x61, 0x02);
    g_assert_cmphex(cpu_inb(0x61) & 0x0f, ==, 0x02);
    /* Refresh toggle every 15.085 us of guest time. */
    run_until(15084);
    g_assert_cmphex(cpu_inb(0x61) & 0x10, ==, 0x00);
    run_until(15085);
    g_assert_cmphex(cpu_inb(0x61) & 0x10, ==, 0x10);
    run_until(2 * 15085 - 1);
    g_assert_cmphex(cpu_inb(0x61) & 0x10, ==, 0x10);
    run_until(2 * 15085);
    g_assert_cmphex(cpu_inb(0x61) & 0x10, ==, 0x00);
    /* Bit 5 follows counter 2's OUT (mode 0 with the gate high). */
    cpu_outb(0x61, 0x01);
    at_tick(100);
    program(2, 0x30, 3);
    g_assert_cmphex(cpu_inb(0x61) & 0x21, ==, 0x01);
    at_tick(104);
    g_assert_cmphex(cpu_inb(0x61) & 0x21, ==, 0x21);
    g_assert_cmpint(pit_get_out(pit, 2), ==, 1);
    teardown();
}

/* Reset state: counter 0 in mode 3 with count 0 (18.2 Hz), as QEMU. */
static void test_reset_state(void)
{
    setup();
    run_until(T(65536 * 2) + 1);
    g_assert_cmpuint(edges->len, ==, 4);
    expect_edge(0, 32768, 0);
    expect_edge(1, 65536, 1);
    g_assert_cmphex(read_status(0), ==, 0xb6); /* OUT high, mode 3 */
    teardown();
}

/* A timer that runs late still delivers the edges in order. */
static void test_late_timer(void)
{
    setup();
    at_tick(100);
    program(0, 0x34, 100);
    g_array_set_size(edges, 0);
    /* One step to just after the third low pulse, timers run once. */
    fake_now = T(100 + 300) + 5;
    qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL);
    g_assert_cmpuint(edges->len, ==, 5);
    g_assert_cmpint(g_array_index(edges, Edge, 4).level, ==, 0);
    g_assert_cmpint(irq_level, ==, 0);
    run_until(T(100 + 401));
    g_assert_cmpuint(edges->len, ==, 8);
    expect_edge(5, 401, 1);
    expect_edge(6, 500, 0);
    expect_edge(7, 501, 1);
    /* Very late: whole periods are skipped, the phase is kept. */
    g_array_set_size(edges, 0);
    fake_now = T(100 + 100000) + 5;
    qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL);
    g_assert_cmpuint(edges->len, >=, 2);
    g_assert_cmpuint(edges->len, <=, 6);
    g_assert_cmpint(irq_level, ==, 0);
    g_array_set_size(edges, 0);
    run_until(T(100 + 100101));
    g_assert_cmpuint(edges->len, ==, 3);
    expect_edge(0, 100 + 100001, 1);
    expect_edge(1, 100 + 100100, 0);
    teardown();
}

/* ---- save/load ---- */

/* Runs to tick end, recording what the guest and IRQ 0 see. */
static void observe(GString *log, int64_t start, int64_t end)
{
    g_array_set_size(edges, 0);
    for (int64_t k = start; k <= end; k += 13) {
        at_tick(k);
        g_string_append_printf(log, "%" PRId64 ":%02x/%02x/%02x/%02x ", k,
                               read_status(0), read_status(2),
                               cpu_inb(0x61) & 0x2f, cpu_inb(0x41));
        if (k == start + 13 * 7) {
            cpu_outb(0x61, 1); /* a gate edge mid-run */
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
    cpu_outb(0x61, 0);
    at_tick(1000);
    program(0, 0x34, 37);
    program(2, 0x30, 300); /* held by the low gate */
    program(1, 0x36, 1001);
    at_tick(1020);
    cpu_outb(0x40, 11); /* pending: at the end of the period */
    cpu_outb(0x40, 0);
    cpu_outb(0x43, 0x40); /* latched, LSB read, MSB not yet */
    cpu_inb(0x41);
    t0 = fake_now;
    level0 = irq_level;
    vmstate_save_all(saved);

    observe(a, 1021, 1400);
    teardown();

    /* A fresh PIT at the saved time, loaded, behaves the same. */
    fake_now = t0;
    edges = g_array_new(FALSE, FALSE, sizeof(Edge));
    irq0 = qemu_allocate_irq(irq_handler, NULL, 0);
    pit = i8254_init(0x40, irq0);
    g_assert_true(vmstate_load_all(saved->data, saved->len, &error_abort));
    g_assert_cmpint(irq_level, ==, level0);
    observe(b, 1021, 1400);
    g_assert_cmpstr(a->str, ==, b->str);
    g_assert_nonnull(strstr(a->str, "e"));
    teardown();
    g_byte_array_free(saved, TRUE);
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
}

static void test_info(void)
{
    GString *out = g_string_new(NULL);

    setup();
    program(0, 0x34, 0x1234);
    pit_info(out);
    g_assert_nonnull(strstr(out->str, "channel 0: mode 2 binary rw 3 "
                                      "count 0x1234"));
    g_assert_nonnull(strstr(out->str, "channel 2: mode 3"));
    g_string_free(out, TRUE);
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i8254/tick-math", test_tick_math);
    g_test_add_func("/i8254/mode0", test_mode0);
    g_test_add_func("/i8254/mode0-gate", test_mode0_gate);
    g_test_add_func("/i8254/mode1", test_mode1);
    g_test_add_func("/i8254/mode2", test_mode2);
    g_test_add_func("/i8254/mode2-gate", test_mode2_gate);
    g_test_add_func("/i8254/mode3", test_mode3);
    g_test_add_func("/i8254/mode3-new-count", test_mode3_new_count);
    g_test_add_func("/i8254/mode4", test_mode4);
    g_test_add_func("/i8254/mode5", test_mode5);
    g_test_add_func("/i8254/access-modes", test_access_modes);
    g_test_add_func("/i8254/latch", test_latch);
    g_test_add_func("/i8254/read-back", test_read_back);
    g_test_add_func("/i8254/bcd", test_bcd);
    g_test_add_func("/i8254/port61", test_port61);
    g_test_add_func("/i8254/reset-state", test_reset_state);
    g_test_add_func("/i8254/late-timer", test_late_timer);
    g_test_add_func("/i8254/vmstate", test_vmstate);
    g_test_add_func("/i8254/info", test_info);
    return g_test_run();
}
