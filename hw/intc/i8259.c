/*
 * The PC/AT 8259A pair (see include/hw/intc/i8259.h), from the Intel
 * 8259A datasheet (order 231468): "Initialization Command Words",
 * "Operation Command Words", "The Special Fully Nested Mode", "Poll
 * Command", "Edge and Level Triggered Modes"; and the PIIX3 datasheet for
 * the ELCR registers.
 *
 * Input lines: a chip keeps the level of its eight IR inputs.  An edge
 * triggered input sets its IRR bit on a rising edge and the bit stays set
 * (latched) until the interrupt is acknowledged; a level triggered input
 * (ICW1.LTIM, or its ELCR bit) has its IRR bit follow the line.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/ioport.h"
#include "migration/vmstate.h"
#include "monitor/monitor.h"
#include "sysemu/runstate.h"
#include "hw/intc/i8259.h"

#define PIC_MASTER  0
#define PIC_SLAVE   1
#define CASCADE_IRQ 2

/* ELCR bits that can be set: IRQs 0, 1, 2 and 8, 13 are edge only. */
#define ELCR1_MASK 0xf8
#define ELCR2_MASK 0xde

typedef struct PICChip {
    uint8_t irr;
    uint8_t isr;
    uint8_t imr;
    uint8_t lines; /* levels of the IR inputs */
    uint8_t elcr;
    uint8_t elcr_mask;
    uint8_t lowest;      /* the IR with the lowest priority (rotation) */
    uint8_t vector_base; /* ICW2, bits 7-3 */
    uint8_t icw3;
    uint8_t icw4;
    uint8_t init_step; /* 0: initialised; 2, 3, 4: waiting for that ICW */
    bool icw4_needed;  /* ICW1.IC4 */
    bool single;       /* ICW1.SNGL */
    bool ltim;         /* ICW1.LTIM: every input level triggered */
    bool aeoi;         /* ICW4.AEOI */
    bool sfnm;         /* ICW4.SFNM */
    bool upm;          /* ICW4.uPM: 8086 mode */
    bool rotate_aeoi;  /* OCW2 rotate in automatic EOI mode */
    bool special_mask; /* OCW3 special mask mode */
    bool poll;         /* OCW3 poll command: the next read polls */
    bool read_isr;     /* OCW3 RIS: reads of A0=0 return ISR, else IRR */
} PICChip;

struct PICState {
    PICChip chip[2];
    bool int_out; /* the master's INT as driven on parent */
    qemu_irq parent;
    qemu_irq *inputs;
    MemoryRegion io[2];
    MemoryRegion io_elcr;
};

static PICState *pic_global; /* for "info pic" */

/* ---- one chip ---- */

static uint8_t chip_level_mask(const PICChip *c)
{
    return c->ltim ? 0xff : c->elcr;
}

/* Position of irq in the priority order: 0 is the highest. */
static int chip_rank(const PICChip *c, int irq)
{
    return (irq - c->lowest - 1) & 7;
}

/* The highest priority IR set in mask, or -1. */
static int chip_highest(const PICChip *c, uint8_t mask)
{
    for (int i = 0; i < 8; i++) {
        int irq = (c->lowest + 1 + i) & 7;
        if (mask & (1 << irq)) {
            return irq;
        }
    }
    return -1;
}

/*
 * The IR this chip would interrupt for now, or -1: the highest priority
 * unmasked request, if no IR of higher or equal priority is in service.
 * Special mask mode ignores in-service levels that are masked; the
 * special fully nested mode lets the master take a new request from the
 * cascade while the cascade is in service (the slave has arbitrated it).
 */
static int chip_pending(const PICChip *c, bool master)
{
    uint8_t in_service = c->isr;
    int irq = chip_highest(c, c->irr & ~c->imr);
    int cur;

    if (irq < 0) {
        return -1;
    }
    if (c->special_mask) {
        in_service &= ~c->imr;
    }
    cur = chip_highest(c, in_service);
    if (cur < 0 || chip_rank(c, irq) < chip_rank(c, cur)) {
        return irq;
    }
    if (cur == irq && master && c->sfnm && irq == CASCADE_IRQ) {
        return irq;
    }
    return -1;
}

static void chip_refresh_level_irr(PICChip *c)
{
    uint8_t lm = chip_level_mask(c);

    c->irr = (c->irr & ~lm) | (c->lines & lm);
}

static void chip_set_input(PICChip *c, int irq, bool level)
{
    uint8_t mask = 1 << irq;
    bool rising = level && !(c->lines & mask);

    if (level) {
        c->lines |= mask;
    } else {
        c->lines &= ~mask;
    }
    if (chip_level_mask(c) & mask) {
        c->irr = level ? c->irr | mask : c->irr & ~mask;
    } else if (rising) {
        c->irr |= mask;
    }
}

/* Interrupt acknowledge of irq on one chip (the second INTA pulse). */
static void chip_ack(PICChip *c, int irq)
{
    uint8_t mask = 1 << irq;

    /* A level triggered request stays in IRR while its line is high. */
    if (!(chip_level_mask(c) & mask)) {
        c->irr &= ~mask;
    }
    if (c->aeoi) {
        if (c->rotate_aeoi) {
            c->lowest = irq;
        }
    } else {
        c->isr |= mask;
    }
}

/* System reset: as QEMU, everything cleared, IR7 lowest priority. */
static void chip_reset(PICChip *c)
{
    uint8_t lines = c->lines;
    uint8_t elcr_mask = c->elcr_mask;

    memset(c, 0, sizeof(*c));
    c->lines = lines;
    c->elcr_mask = elcr_mask;
    c->lowest = 7;
    c->upm = true;
}

/* ---- the pair ---- */

/* Recomputes the cascade and the master's INT. */
static void pic_update(PICState *s)
{
    bool slave_int = chip_pending(&s->chip[PIC_SLAVE], false) >= 0;
    bool master_int;

    chip_set_input(&s->chip[PIC_MASTER], CASCADE_IRQ, slave_int);
    master_int = chip_pending(&s->chip[PIC_MASTER], true) >= 0;
    if (master_int != s->int_out) {
        s->int_out = master_int;
        qemu_set_irq(s->parent, master_int);
    }
}

static void pic_input_handler(void *opaque, int n, int level)
{
    PICState *s = opaque;

    if (n == CASCADE_IRQ) {
        return; /* IR2 is the slave's INT */
    }
    chip_set_input(&s->chip[n >> 3], n & 7, level);
    pic_update(s);
}

int pic_read_irq(PICState *s)
{
    PICChip *m = &s->chip[PIC_MASTER];
    PICChip *sl = &s->chip[PIC_SLAVE];
    int irq = chip_pending(m, true);
    int vector;

    if (irq < 0) {
        /* The request went away before INTA: a "default IR7". */
        return m->vector_base + 7;
    }
    chip_ack(m, irq);
    if (irq == CASCADE_IRQ && !m->single) {
        int irq2 = chip_pending(sl, false);

        if (irq2 >= 0) {
            chip_ack(sl, irq2);
            vector = sl->vector_base + irq2;
        } else {
            vector = sl->vector_base + 7;
        }
        /*
         * The slave's INT falls during the acknowledge; if it still
         * requests (a level triggered line in automatic EOI mode) the
         * master sees a new rising edge on IR2.
         */
        chip_set_input(m, CASCADE_IRQ, false);
    } else {
        vector = m->vector_base + irq;
    }
    pic_update(s);
    return vector;
}

bool pic_has_pending(PICState *s)
{
    return s->int_out;
}

/* OCW3 poll: acknowledges the highest request as INTA would. */
static uint8_t pic_poll_read(PICState *s, int n)
{
    PICChip *c = &s->chip[n];
    int irq = chip_pending(c, n == PIC_MASTER);

    if (irq < 0) {
        return 0;
    }
    chip_ack(c, irq);
    pic_update(s);
    return 0x80 | irq;
}

static void pic_write_icw1(PICState *s, PICChip *c, uint8_t val)
{
    /*
     * The edge sense latches are reset (a line already high must fall and
     * rise again), IMR cleared, IR7 made lowest priority, special mask
     * mode cleared, reads select IRR, ICW4 functions cleared until ICW4.
     * ISR is cleared too, as QEMU and Bochs do.
     */
    c->icw4_needed = val & 1;
    c->single = val & 2;
    c->ltim = val & 8;
    if (val & 4) {
        qemu_log_mask(LOG_UNIMP, "i8259: ICW1 call address interval 4 "
                                 "(MCS-80/85 mode) ignored\n");
    }
    c->irr &= chip_level_mask(c);
    chip_refresh_level_irr(c);
    c->isr = 0;
    c->imr = 0;
    c->lowest = 7;
    c->special_mask = false;
    c->read_isr = false;
    c->poll = false;
    c->aeoi = false;
    c->sfnm = false;
    c->upm = false;
    c->rotate_aeoi = false;
    c->icw4 = 0;
    c->init_step = 2;
}

static void pic_write_ocw2(PICChip *c, uint8_t val)
{
    int level = val & 7;
    int irq;

    switch (val >> 5) {
    case 0: /* rotate in automatic EOI mode (clear) */
        c->rotate_aeoi = false;
        break;
    case 4: /* rotate in automatic EOI mode (set) */
        c->rotate_aeoi = true;
        break;
    case 1: /* non-specific EOI */
    case 5: /* rotate on non-specific EOI */
        irq = chip_highest(c, c->isr);
        if (irq >= 0) {
            c->isr &= ~(1 << irq);
            if (val & 0x80) {
                c->lowest = irq;
            }
        }
        break;
    case 3: /* specific EOI */
        c->isr &= ~(1 << level);
        break;
    case 7: /* rotate on specific EOI */
        c->isr &= ~(1 << level);
        c->lowest = level;
        break;
    case 6: /* set priority */
        c->lowest = level;
        break;
    default: /* 2: no operation */
        break;
    }
}

static void pic_write_ocw3(PICChip *c, uint8_t val)
{
    if (val & 0x80) {
        qemu_log_mask(LOG_GUEST_ERROR, "i8259: OCW3 0x%02x with bit 7 set\n",
                      val);
    }
    if (val & 0x04) {
        c->poll = true;
    }
    if (val & 0x02) {
        c->read_isr = val & 0x01;
    }
    if (val & 0x40) {
        c->special_mask = val & 0x20;
    }
}

static void pic_write_data(PICChip *c, int n, uint8_t val)
{
    switch (c->init_step) {
    case 2:
        c->vector_base = val & 0xf8;
        c->init_step = !c->single ? 3 : c->icw4_needed ? 4 : 0;
        break;
    case 3:
        c->icw3 = val;
        if (n == PIC_SLAVE && (val & 7) != CASCADE_IRQ) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "i8259: slave ID %d, but the slave is on IR2\n",
                          val & 7);
        }
        c->init_step = c->icw4_needed ? 4 : 0;
        break;
    case 4:
        c->icw4 = val;
        c->upm = val & 0x01;
        c->aeoi = val & 0x02;
        c->sfnm = val & 0x10;
        c->init_step = 0;
        break;
    default: /* OCW1 */
        c->imr = val;
        return;
    }
    if (c->init_step == 0 && !c->upm) {
        qemu_log_mask(LOG_UNIMP, "i8259: MCS-80/85 mode (ICW4 uPM = 0) is "
                                 "not supported; using 8086 mode\n");
    }
}

static void pic_ioport_write(PICState *s, int n, hwaddr addr, uint8_t val)
{
    PICChip *c = &s->chip[n];

    if (addr == 1) {
        pic_write_data(c, n, val);
    } else if (val & 0x10) {
        pic_write_icw1(s, c, val);
    } else if (val & 0x08) {
        pic_write_ocw3(c, val);
    } else {
        pic_write_ocw2(c, val);
    }
    pic_update(s);
}

static uint8_t pic_ioport_read(PICState *s, int n, hwaddr addr)
{
    PICChip *c = &s->chip[n];

    if (c->poll) {
        /* A poll command makes the next read, of either port, a poll. */
        c->poll = false;
        return pic_poll_read(s, n);
    }
    if (addr == 1) {
        return c->imr;
    }
    return c->read_isr ? c->isr : c->irr;
}

static uint64_t pic_master_read(void *opaque, hwaddr addr, unsigned size)
{
    return pic_ioport_read(opaque, PIC_MASTER, addr);
}

static void pic_master_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    pic_ioport_write(opaque, PIC_MASTER, addr, val);
}

static uint64_t pic_slave_read(void *opaque, hwaddr addr, unsigned size)
{
    return pic_ioport_read(opaque, PIC_SLAVE, addr);
}

static void pic_slave_write(void *opaque, hwaddr addr, uint64_t val,
                            unsigned size)
{
    pic_ioport_write(opaque, PIC_SLAVE, addr, val);
}

static const MemoryRegionOps pic_master_ops = {
    .read = pic_master_read,
    .write = pic_master_write,
    .valid.min_access_size = 1,
    .valid.max_access_size = 4,
    .impl.min_access_size = 1,
    .impl.max_access_size = 1,
};

static const MemoryRegionOps pic_slave_ops = {
    .read = pic_slave_read,
    .write = pic_slave_write,
    .valid.min_access_size = 1,
    .valid.max_access_size = 4,
    .impl.min_access_size = 1,
    .impl.max_access_size = 1,
};

static uint64_t elcr_read(void *opaque, hwaddr addr, unsigned size)
{
    PICState *s = opaque;

    return s->chip[addr].elcr;
}

static void elcr_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    PICState *s = opaque;
    PICChip *c = &s->chip[addr];

    c->elcr = val & c->elcr_mask;
    chip_refresh_level_irr(c);
    pic_update(s);
}

static const MemoryRegionOps elcr_ops = {
    .read = elcr_read,
    .write = elcr_write,
    .valid.min_access_size = 1,
    .valid.max_access_size = 2,
    .impl.min_access_size = 1,
    .impl.max_access_size = 1,
};

static void pic_reset(void *opaque)
{
    PICState *s = opaque;

    chip_reset(&s->chip[PIC_MASTER]);
    chip_reset(&s->chip[PIC_SLAVE]);
    pic_update(s);
}

/* ---- state ---- */

static const VMStateDescription vmstate_pic_chip = {
    .name = "i8259-chip",
    .version_id = 1,
    .fields =
        (const VMStateField[]){
            VMSTATE_UINT8(irr, PICChip),
            VMSTATE_UINT8(isr, PICChip),
            VMSTATE_UINT8(imr, PICChip),
            VMSTATE_UINT8(lines, PICChip),
            VMSTATE_UINT8(elcr, PICChip),
            VMSTATE_UINT8(lowest, PICChip),
            VMSTATE_UINT8(vector_base, PICChip),
            VMSTATE_UINT8(icw3, PICChip),
            VMSTATE_UINT8(icw4, PICChip),
            VMSTATE_UINT8(init_step, PICChip),
            VMSTATE_BOOL(icw4_needed, PICChip),
            VMSTATE_BOOL(single, PICChip),
            VMSTATE_BOOL(ltim, PICChip),
            VMSTATE_BOOL(aeoi, PICChip),
            VMSTATE_BOOL(sfnm, PICChip),
            VMSTATE_BOOL(upm, PICChip),
            VMSTATE_BOOL(rotate_aeoi, PICChip),
            VMSTATE_BOOL(special_mask, PICChip),
            VMSTATE_BOOL(poll, PICChip),
            VMSTATE_BOOL(read_isr, PICChip),
            VMSTATE_END_OF_LIST(),
        },
};

static int pic_post_load(void *opaque, int version_id)
{
    PICState *s = opaque;

    for (int i = 0; i < 2; i++) {
        PICChip *c = &s->chip[i];

        c->elcr &= c->elcr_mask;
        if (c->lowest > 7 || c->init_step > 4) {
            return -EINVAL;
        }
    }
    /* INT is derived: recompute it and drive the CPU's line. */
    s->int_out = chip_pending(&s->chip[PIC_MASTER], true) >= 0;
    qemu_set_irq(s->parent, s->int_out);
    return 0;
}

static const VMStateDescription vmstate_pic = {
    .name = "i8259",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = pic_post_load,
    .fields =
        (const VMStateField[]){
            VMSTATE_STRUCT_ARRAY(chip, PICState, 2, vmstate_pic_chip, PICChip),
            VMSTATE_END_OF_LIST(),
        },
};

/* ---- monitor ---- */

void pic_info(GString *out)
{
    PICState *s = pic_global;

    if (!s) {
        g_string_append(out, "no PIC\n");
        return;
    }
    for (int i = 0; i < 2; i++) {
        PICChip *c = &s->chip[i];

        g_string_append_printf(
            out,
            "pic%d: irr=%02x imr=%02x isr=%02x hprio=%d irq_base=%02x "
            "rr_sel=%d elcr=%02x fnm=%d%s%s\n",
            i, c->irr, c->imr, c->isr, (c->lowest + 1) & 7, c->vector_base,
            c->read_isr, c->elcr, c->sfnm, c->aeoi ? " aeoi" : "",
            c->special_mask ? " smm" : "");
    }
}

static void hmp_info_pic(Monitor *mon, int argc, char **argv)
{
    GString *out = g_string_new(NULL);

    pic_info(out);
    monitor_puts(mon, out->str);
    g_string_free(out, TRUE);
}

static const HMPCommand info_pic_cmd = {
    .name = "pic",
    .params = "",
    .help = "show the i8259 (PIC) state",
    .cmd = hmp_info_pic,
};

/* ---- creation ---- */

PICState *i8259_init(qemu_irq parent, qemu_irq **irqs)
{
    PICState *s = g_new0(PICState, 1);
    static bool monitor_done;

    s->parent = parent;
    s->chip[PIC_MASTER].elcr_mask = ELCR1_MASK;
    s->chip[PIC_SLAVE].elcr_mask = ELCR2_MASK;
    portio_register(&s->io[PIC_MASTER], 0x20, 2, &pic_master_ops, s,
                    "pic-master", &error_abort);
    portio_register(&s->io[PIC_SLAVE], 0xa0, 2, &pic_slave_ops, s, "pic-slave",
                    &error_abort);
    portio_register(&s->io_elcr, 0x4d0, 2, &elcr_ops, s, "elcr", &error_abort);
    s->inputs = qemu_allocate_irqs(pic_input_handler, s, 16);
    pic_reset(s);
    qemu_register_reset(pic_reset, s);
    vmstate_register("i8259", 0, &vmstate_pic, s);
    pic_global = s;
    if (!monitor_done) {
        monitor_done = true;
        monitor_register_info(&info_pic_cmd);
    }
    if (irqs) {
        *irqs = s->inputs;
    }
    return s;
}

void i8259_free(PICState *s)
{
    if (!s) {
        return;
    }
    vmstate_unregister(&vmstate_pic, s);
    qemu_unregister_reset(pic_reset, s);
    memory_region_destroy(&s->io[PIC_MASTER]);
    memory_region_destroy(&s->io[PIC_SLAVE]);
    memory_region_destroy(&s->io_elcr);
    qemu_free_irqs(s->inputs, 16);
    if (pic_global == s) {
        pic_global = NULL;
    }
    g_free(s);
}
