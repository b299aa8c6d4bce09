/*
 * The 8259A pair through its ports and the CPU's acknowledge: ICW/OCW
 * programming, priorities and rotation, EOI forms, masks, special mask
 * and special fully nested modes, poll, AEOI, edge/level and the ELCR,
 * cascade, spurious IRQ 7/15, save/load.
 */
#include "qemu/osdep.h"
#include "exec/ioport.h"
#include "migration/vmstate.h"
#include "sysemu/runstate.h"
#include "hw/intc/i8259.h"

static PICState *pic;
static qemu_irq *irqs;
static qemu_irq intr;
static int intr_level;
static int intr_rises;

static void intr_handler(void *opaque, int n, int level)
{
    if (level && !intr_level) {
        intr_rises++;
    }
    intr_level = level;
}

/* The sequence Linux uses: vectors 0x20 and 0x28, slave on IR2. */
static void init_pair(uint8_t icw1, uint8_t icw4_master, uint8_t icw4_slave)
{
    cpu_outb(0x20, icw1);
    cpu_outb(0x21, 0x20);
    cpu_outb(0x21, 0x04);
    cpu_outb(0x21, icw4_master);
    cpu_outb(0xa0, icw1);
    cpu_outb(0xa1, 0x28);
    cpu_outb(0xa1, 0x02);
    cpu_outb(0xa1, icw4_slave);
}

static void setup(void)
{
    intr_level = 0;
    intr_rises = 0;
    intr = qemu_allocate_irq(intr_handler, NULL, 0);
    pic = i8259_init(intr, &irqs);
    init_pair(0x11, 0x01, 0x01);
}

static void teardown(void)
{
    for (int i = 0; i < 16; i++) {
        qemu_set_irq(irqs[i], 0);
    }
    i8259_free(pic);
    qemu_free_irq(intr);
}

static uint8_t read_irr(int port)
{
    cpu_outb(port, 0x0a);
    return cpu_inb(port);
}

static uint8_t read_isr(int port)
{
    cpu_outb(port, 0x0b);
    return cpu_inb(port);
}

static void eoi(int port)
{
    cpu_outb(port, 0x20);
}

static void pulse(int irq)
{
    qemu_irq_pulse(irqs[irq]);
}

static void test_basic(void)
{
    setup();
    g_assert_cmpint(intr_level, ==, 0);
    g_assert_cmphex(cpu_inb(0x21), ==, 0x00); /* ICW1 clears IMR */
    qemu_irq_raise(irqs[3]);
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_true(pic_has_pending(pic));
    g_assert_cmphex(read_irr(0x20), ==, 0x08);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x23);
    g_assert_cmpint(intr_level, ==, 0);
    g_assert_cmphex(read_irr(0x20), ==, 0x00);
    g_assert_cmphex(read_isr(0x20), ==, 0x08);
    /* The OCW3 register selection sticks. */
    g_assert_cmphex(cpu_inb(0x20), ==, 0x08);
    eoi(0x20);
    g_assert_cmphex(cpu_inb(0x20), ==, 0x00);
    /* Still high, edge triggered: no new request. */
    g_assert_cmpint(intr_level, ==, 0);
    qemu_irq_lower(irqs[3]);
    qemu_irq_raise(irqs[3]);
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x23);
    eoi(0x20);
    teardown();
}

static void test_priority_nesting(void)
{
    setup();
    pulse(5);
    pulse(3);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x23);
    /* A lower priority request waits while 3 is in service ... */
    g_assert_cmpint(intr_level, ==, 0);
    /* ... a higher one nests. */
    pulse(1);
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x21);
    g_assert_cmphex(read_isr(0x20), ==, 0x0a);
    /* Non-specific EOI ends the highest in service: 1. */
    eoi(0x20);
    g_assert_cmphex(read_isr(0x20), ==, 0x08);
    g_assert_cmpint(intr_level, ==, 0);
    eoi(0x20);
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x25);
    /* Specific EOI. */
    pulse(0);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x20);
    cpu_outb(0x20, 0x65);
    g_assert_cmphex(read_isr(0x20), ==, 0x01);
    cpu_outb(0x20, 0x60);
    g_assert_cmphex(read_isr(0x20), ==, 0x00);
    /* OCW2 no-op (010). */
    pulse(6);
    pic_read_irq(pic);
    cpu_outb(0x20, 0x40);
    g_assert_cmphex(read_isr(0x20), ==, 0x40);
    teardown();
}

static void test_mask(void)
{
    setup();
    cpu_outb(0x21, 0x08);
    g_assert_cmphex(cpu_inb(0x21), ==, 0x08);
    pulse(3);
    g_assert_cmpint(intr_level, ==, 0);
    g_assert_cmphex(read_irr(0x20), ==, 0x08); /* latched while masked */
    cpu_outb(0x21, 0x00);
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x23);
    teardown();
}

static void test_edge_level_elcr(void)
{
    setup();
    /* Edge: latched even when the line falls before INTA. */
    pulse(4);
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x24);
    eoi(0x20);
    /* ELCR: IRQs 0, 1, 2, 8, 13 are edge only. */
    cpu_outb(0x4d0, 0xff);
    cpu_outb(0x4d1, 0xff);
    g_assert_cmphex(cpu_inb(0x4d0), ==, 0xf8);
    g_assert_cmphex(cpu_inb(0x4d1), ==, 0xde);
    g_assert_cmphex(cpu_inw(0x4d0), ==, 0xdef8);
    cpu_outb(0x4d0, 0x20);
    cpu_outb(0x4d1, 0x00);
    /* Level: IRR follows the line. */
    qemu_irq_raise(irqs[5]);
    g_assert_cmpint(intr_level, ==, 1);
    qemu_irq_lower(irqs[5]);
    g_assert_cmpint(intr_level, ==, 0);
    g_assert_cmphex(read_irr(0x20), ==, 0x00);
    qemu_irq_raise(irqs[5]);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x25);
    g_assert_cmpint(intr_level, ==, 0);
    /* EOI with the line still high: requested again at once. */
    eoi(0x20);
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x25);
    qemu_irq_lower(irqs[5]);
    eoi(0x20);
    g_assert_cmpint(intr_level, ==, 0);
    /* Switching a high line to level mode requests at once. */
    qemu_irq_raise(irqs[6]);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x26);
    eoi(0x20);
    g_assert_cmpint(intr_level, ==, 0);
    cpu_outb(0x4d0, 0x40);
    g_assert_cmpint(intr_level, ==, 1);
    cpu_outb(0x4d0, 0x00);
    teardown();
}

static void test_ltim(void)
{
    setup();
    init_pair(0x19, 0x01, 0x01); /* ICW1.LTIM: all level */
    qemu_irq_raise(irqs[0]);
    g_assert_cmpint(intr_level, ==, 1);
    qemu_irq_lower(irqs[0]);
    g_assert_cmpint(intr_level, ==, 0);
    qemu_irq_raise(irqs[11]);
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x2b);
    qemu_irq_lower(irqs[11]);
    cpu_outb(0xa0, 0x20);
    cpu_outb(0x20, 0x20);
    g_assert_cmpint(intr_level, ==, 0);
    teardown();
}

static void test_cascade(void)
{
    setup();
    pulse(10);
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_cmphex(read_irr(0xa0), ==, 0x04);
    g_assert_cmphex(read_irr(0x20), ==, 0x04);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x2a);
    g_assert_cmphex(read_isr(0xa0), ==, 0x04);
    g_assert_cmphex(read_isr(0x20), ==, 0x04);
    g_assert_cmpint(intr_level, ==, 0);
    /* While IR2 is in service on the master, nothing from the slave. */
    pulse(8);
    g_assert_cmpint(intr_level, ==, 0);
    /* Lower priority on the master (3) waits too; 1 nests. */
    pulse(3);
    g_assert_cmpint(intr_level, ==, 0);
    cpu_outb(0xa0, 0x20);
    cpu_outb(0x20, 0x20);
    /* Now 8 (via IR2) beats 3. */
    g_assert_cmpint(pic_read_irq(pic), ==, 0x28);
    cpu_outb(0xa0, 0x20);
    cpu_outb(0x20, 0x20);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x23);
    eoi(0x20);
    /* IRQ 2 input is the cascade: not connected. */
    pulse(2);
    g_assert_cmpint(intr_level, ==, 0);
    /* Slave priorities: 9 before 12; slave mask. */
    cpu_outb(0xa1, 0x10);
    pulse(12);
    g_assert_cmpint(intr_level, ==, 0);
    pulse(9);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x29);
    cpu_outb(0xa0, 0x20);
    cpu_outb(0x20, 0x20);
    cpu_outb(0xa1, 0x00);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x2c);
    teardown();
}

static void test_spurious(void)
{
    setup();
    /* Master: a level request gone before INTA is a default IR7. */
    cpu_outb(0x4d0, 0x08);
    qemu_irq_raise(irqs[3]);
    g_assert_cmpint(intr_level, ==, 1);
    qemu_irq_lower(irqs[3]);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x27);
    g_assert_cmphex(read_isr(0x20), ==, 0x00);
    /* With nothing at all pending, the same. */
    g_assert_cmpint(pic_read_irq(pic), ==, 0x27);
    g_assert_cmphex(read_isr(0x20), ==, 0x00);
    /* Slave: the master latched IR2, the slave's request went away. */
    cpu_outb(0x4d1, 0x04);
    qemu_irq_raise(irqs[10]);
    qemu_irq_lower(irqs[10]);
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x2f);
    g_assert_cmphex(read_isr(0xa0), ==, 0x00);
    g_assert_cmphex(read_isr(0x20), ==, 0x04);
    eoi(0x20);
    teardown();
}

static void test_rotation(void)
{
    setup();
    /* Rotate on non-specific EOI: the serviced IR becomes lowest. */
    pulse(0);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x20);
    cpu_outb(0x20, 0xa0);
    pulse(7);
    pulse(0);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x27);
    cpu_outb(0x20, 0xa0); /* 7 lowest now: 0 highest */
    g_assert_cmpint(pic_read_irq(pic), ==, 0x20);
    cpu_outb(0x20, 0x20);
    /* Set priority: IR4 lowest, so 5 beats 3. */
    cpu_outb(0x20, 0xc4);
    pulse(3);
    pulse(5);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x25);
    /* ... and 3, of lower priority, waits for the EOI. */
    g_assert_cmpint(intr_level, ==, 0);
    /* Rotate on specific EOI 5: 5 lowest, 6 highest. */
    cpu_outb(0x20, 0xe5);
    g_assert_cmphex(read_isr(0x20), ==, 0x00);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x23);
    pulse(6);
    g_assert_cmpint(intr_level, ==, 1); /* 6 now beats 3 in service */
    pulse(5);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x26);
    /* A non-specific EOI ends 6, the highest in service. */
    eoi(0x20);
    g_assert_cmphex(read_isr(0x20), ==, 0x08);
    /* 5, the lowest, waits behind 3. */
    g_assert_cmpint(intr_level, ==, 0);
    eoi(0x20);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x25);
    eoi(0x20);
    teardown();
}

static void test_aeoi(void)
{
    setup();
    init_pair(0x11, 0x03, 0x01); /* master in automatic EOI mode */
    pulse(3);
    pulse(4);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x23);
    g_assert_cmphex(read_isr(0x20), ==, 0x00);
    /* Nothing in service: 4 follows at once. */
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x24);
    /* Rotate in AEOI mode: each serviced IR becomes lowest. */
    cpu_outb(0x20, 0x80);
    pulse(1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x21);
    pulse(0);
    pulse(3);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x23); /* 1 lowest: 2.. first */
    g_assert_cmpint(pic_read_irq(pic), ==, 0x20);
    /* Clear rotate-in-AEOI: 0 highest again after set priority 7. */
    cpu_outb(0x20, 0x00);
    cpu_outb(0x20, 0xc7);
    pulse(6);
    pulse(0);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x20);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x26);
    /* Cascade through an AEOI master with a level IRQ on the slave. */
    cpu_outb(0x4d1, 0x08);
    qemu_irq_raise(irqs[11]);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x2b);
    g_assert_cmphex(read_isr(0x20), ==, 0x00);
    qemu_irq_lower(irqs[11]);
    cpu_outb(0xa0, 0x20);
    g_assert_cmpint(intr_level, ==, 0);
    teardown();
}

static void test_aeoi_level_cascade(void)
{
    setup();
    /* Slave in AEOI with a level line: the master sees a fresh edge. */
    init_pair(0x11, 0x01, 0x03);
    cpu_outb(0x4d1, 0x08);
    qemu_irq_raise(irqs[11]);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x2b);
    eoi(0x20);
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x2b);
    /*
     * The master latched IR2 again at that acknowledge: with the line
     * gone, what follows is a spurious IRQ 15.
     */
    qemu_irq_lower(irqs[11]);
    eoi(0x20);
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x2f);
    eoi(0x20);
    g_assert_cmpint(intr_level, ==, 0);
    teardown();
}

static void test_poll(void)
{
    setup();
    g_assert_cmpint(intr_level, ==, 0);
    cpu_outb(0x20, 0x0c);
    g_assert_cmphex(cpu_inb(0x20), ==, 0x00); /* nothing requesting */
    pulse(5);
    pulse(6);
    cpu_outb(0x20, 0x0c);
    g_assert_cmphex(cpu_inb(0x21), ==, 0x85); /* either port */
    g_assert_cmphex(read_isr(0x20), ==, 0x20);
    /* The poll was one read only: now IMR reads normally. */
    g_assert_cmphex(cpu_inb(0x21), ==, 0x00);
    eoi(0x20);
    cpu_outb(0x20, 0x0c);
    g_assert_cmphex(cpu_inb(0x20), ==, 0x86);
    eoi(0x20);
    /* Poll of the slave. */
    pulse(13);
    cpu_outb(0xa0, 0x0c);
    g_assert_cmphex(cpu_inb(0xa0), ==, 0x85);
    g_assert_cmphex(read_isr(0xa0), ==, 0x20);
    teardown();
}

static void test_special_mask(void)
{
    setup();
    pulse(3);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x23);
    pulse(5);
    g_assert_cmpint(intr_level, ==, 0);
    /* Mask the level in service and enter special mask mode. */
    cpu_outb(0x21, 0x08);
    g_assert_cmpint(intr_level, ==, 0);
    cpu_outb(0x20, 0x68);
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x25);
    g_assert_cmphex(read_isr(0x20), ==, 0x28);
    cpu_outb(0x20, 0x65);
    /* Reset special mask mode: 3 in service blocks 6 again. */
    cpu_outb(0x20, 0x48);
    pulse(6);
    g_assert_cmpint(intr_level, ==, 0);
    cpu_outb(0x20, 0x63);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x26);
    teardown();
}

static void test_sfnm(void)
{
    setup();
    /* Fully nested: with IR2 in service the master ignores the slave. */
    pulse(12);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x2c);
    pulse(9);
    g_assert_cmpint(intr_level, ==, 0);
    cpu_outb(0xa0, 0x20);
    cpu_outb(0x20, 0x20);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x29);
    cpu_outb(0xa0, 0x20);
    cpu_outb(0x20, 0x20);
    /* Special fully nested mode on the master (ICW4 SFNM). */
    init_pair(0x11, 0x11, 0x01);
    pulse(12);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x2c);
    pulse(9);
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x29);
    g_assert_cmphex(read_isr(0xa0), ==, 0x12);
    /* Lower priority masters still wait behind IR2. */
    pulse(4);
    g_assert_cmpint(intr_level, ==, 0);
    teardown();
}

static void test_icw1_resets(void)
{
    setup();
    cpu_outb(0x21, 0xf0);
    pulse(1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x21);
    pulse(3);
    qemu_irq_raise(irqs[5]);
    cpu_outb(0x20, 0x0b); /* read ISR */
    cpu_outb(0x20, 0xc3); /* set priority */
    init_pair(0x11, 0x01, 0x01);
    g_assert_cmphex(cpu_inb(0x21), ==, 0x00);
    g_assert_cmphex(cpu_inb(0x20), ==, 0x00); /* IRR selected, cleared */
    g_assert_cmphex(read_isr(0x20), ==, 0x00);
    g_assert_cmpint(intr_level, ==, 0);
    /* The edge sense latch was reset: line 5 must fall and rise again. */
    qemu_irq_raise(irqs[5]);
    g_assert_cmpint(intr_level, ==, 0);
    qemu_irq_lower(irqs[5]);
    qemu_irq_raise(irqs[5]);
    /* And IR7 is lowest again: 0 beats 5. */
    pulse(0);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x20);
    eoi(0x20);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x25);
    /* Vector base from ICW2 bits 7-3. */
    cpu_outb(0x20, 0x11);
    cpu_outb(0x21, 0x77);
    cpu_outb(0x21, 0x04);
    cpu_outb(0x21, 0x01);
    pulse(1);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x71);
    teardown();
}

static void test_reset(void)
{
    setup();
    cpu_outb(0x21, 0x55);
    cpu_outb(0x4d0, 0x20);
    pulse(1);
    qemu_system_reset(SHUTDOWN_CAUSE_GUEST_RESET);
    g_assert_cmphex(cpu_inb(0x21), ==, 0x00);
    g_assert_cmphex(cpu_inb(0x4d0), ==, 0x00);
    g_assert_cmphex(cpu_inb(0x20), ==, 0x00);
    g_assert_cmpint(intr_level, ==, 0);
    teardown();
}

/* Acks and EOIs with new requests; logs the vectors and registers. */
static void observe(GString *log)
{
    static const int8_t script[] = { 7,  -1, 12, -1, -2, 4,  -1, -2, -1,
                                     -2, 9,  3,  -1, -2, -1, -2, -1 };

    for (size_t i = 0; i < ARRAY_SIZE(script); i++) {
        if (script[i] >= 0) {
            pulse(script[i]);
        } else if (script[i] == -1) {
            g_string_append_printf(log, "v%02x ", pic_read_irq(pic));
        } else {
            cpu_outb(0xa0, 0x20);
            cpu_outb(0x20, 0x20);
        }
        g_string_append_printf(log, "%d:%02x/%02x/%02x/%02x ", intr_level,
                               read_irr(0x20), read_isr(0x20), read_irr(0xa0),
                               read_isr(0xa0));
    }
}

static void test_vmstate(void)
{
    GByteArray *saved = g_byte_array_new();
    GString *a = g_string_new(NULL);
    GString *b = g_string_new(NULL);

    setup();
    cpu_outb(0xa1, 0x01);  /* mask IRQ 8 */
    cpu_outb(0x20, 0xc2);  /* IR2 lowest: 3 highest */
    cpu_outb(0x4d1, 0x20); /* IRQ 13 level */
    qemu_irq_raise(irqs[13]);
    pulse(6);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x26); /* 6 beats 2 now */
    pulse(5);
    g_assert_cmpint(pic_read_irq(pic), ==, 0x25); /* nested */
    pulse(1); /* 1 and 2 pending behind 5 and 6 in service */
    cpu_outb(0x20, 0x0b);
    g_assert_cmpint(intr_level, ==, 0);
    vmstate_save_all(saved);

    observe(a);
    teardown();

    intr_level = 0;
    intr = qemu_allocate_irq(intr_handler, NULL, 0);
    pic = i8259_init(intr, &irqs);
    qemu_irq_raise(irqs[13]); /* the device's line, as before */
    qemu_irq_raise(irqs[3]);  /* a line the saved state has low */
    g_assert_cmpint(intr_level, ==, 1);
    g_assert_true(vmstate_load_all(saved->data, saved->len, &error_abort));
    g_assert_cmpint(intr_level, ==, 0);
    g_assert_cmphex(cpu_inb(0x20), ==, 0x60); /* ISR still selected */
    observe(b);
    g_assert_cmpstr(a->str, ==, b->str);
    teardown();
    g_byte_array_free(saved, TRUE);
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
}

static void test_info(void)
{
    GString *out = g_string_new(NULL);

    setup();
    cpu_outb(0x21, 0xfb);
    pic_info(out);
    g_assert_nonnull(strstr(out->str, "pic0: irr=00 imr=fb isr=00 hprio=0 "
                                      "irq_base=20"));
    g_assert_nonnull(strstr(out->str, "pic1: irr=00 imr=00 isr=00 hprio=0 "
                                      "irq_base=28"));
    g_string_free(out, TRUE);
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i8259/basic", test_basic);
    g_test_add_func("/i8259/priority-nesting", test_priority_nesting);
    g_test_add_func("/i8259/mask", test_mask);
    g_test_add_func("/i8259/edge-level-elcr", test_edge_level_elcr);
    g_test_add_func("/i8259/ltim", test_ltim);
    g_test_add_func("/i8259/cascade", test_cascade);
    g_test_add_func("/i8259/spurious", test_spurious);
    g_test_add_func("/i8259/rotation", test_rotation);
    g_test_add_func("/i8259/aeoi", test_aeoi);
    g_test_add_func("/i8259/aeoi-level-cascade", test_aeoi_level_cascade);
    g_test_add_func("/i8259/poll", test_poll);
    g_test_add_func("/i8259/special-mask", test_special_mask);
    g_test_add_func("/i8259/sfnm", test_sfnm);
    g_test_add_func("/i8259/icw1-resets", test_icw1_resets);
    g_test_add_func("/i8259/reset", test_reset);
    g_test_add_func("/i8259/vmstate", test_vmstate);
    g_test_add_func("/i8259/info", test_info);
    return g_test_run();
}
