/*
 * Intel 8254 programmable interval timer and the PC's port 0x61
 * (see include/hw/timer/i8254.h).  Behaviour follows the Intel 8254
 * datasheet (order 231164), "Operating Modes" and "Read-Back Command".
 *
 * Time.  A counter is clocked by CLK pulses; pulse k happens when the
 * virtual clock reaches pit_ticks_to_ns(k), so "the tick now" is the number
 * of the last pulse.  Counters are never stepped pulse by pulse: each one
 * is described by a segment that gives its counting element (CE) and OUT
 * in closed form as a function of d, the pulses since the segment began:
 *
 *   IDLE     nothing loaded since the control word (or counting disabled
 *            by the first byte of a two-byte count in mode 0): CE and OUT
 *            stay at idle_ce/idle_out;
 *   RUNNING  d = tick - start; CE holds n at d = 0, the pulse that loaded
 *            it ("the count is loaded on the next CLK pulse; this pulse
 *            does not decrement the count");
 *   PAUSED   the gate is low in a mode where that stops counting; d is
 *            frozen.
 *
 * A load the datasheet schedules for a later pulse (the next pulse after
 * a count is written or a gate trigger; the end of the period in mode 2,
 * of the half-cycle in mode 3) is kept as a pending load with its tick and
 * applied lazily by pit_sync() once the clock has passed it.
 *
 * IRQ 0 follows counter 0's OUT at exact virtual times: a timer is armed
 * at the next tick where OUT can change (or a pending load happens), and
 * every change is delivered in order, even if the timer runs late.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/timer.h"
#include "exec/ioport.h"
#include "migration/vmstate.h"
#include "monitor/monitor.h"
#include "sysemu/runstate.h"
#include "hw/timer/i8254.h"

/* Control word RW field (datasheet, "Control Word Format"). */
#define RW_LATCH 0
#define RW_LSB   1
#define RW_MSB   2
#define RW_WORD  3

enum { PHASE_IDLE, PHASE_RUNNING, PHASE_PAUSED };

enum {
    PEND_NONE,
    PEND_NEXT, /* load on the next pulse (count write, gate trigger) */
    PEND_HIGH, /* mode 2/3: load at the end of the period */
    PEND_LOW,  /* mode 3: load at the end of the high half-cycle */
};

/* Bytes of a latched count still to be read. */
enum {
    LATCH_NONE,
    LATCH_LSB,      /* LSB only, then done */
    LATCH_MSB,      /* MSB only, then done */
    LATCH_WORD,     /* LSB, then MSB */
    LATCH_WORD_MSB, /* MSB of a word */
};

/* Port 0x61 bit 4 toggles with each DRAM refresh request (15.085 us). */
#define REFRESH_PERIOD_NS 15085

typedef struct PITChannel {
    /* programming */
    uint8_t ctrl; /* bits 5-0 of the last control word (read-back status) */
    uint8_t mode; /* 0-5 */
    uint8_t rw;   /* RW_LSB, RW_MSB, RW_WORD */
    bool bcd;
    uint16_t cr;     /* count register, as written */
    bool armed;      /* a count was written since the control word */
    bool null_count; /* CR written but not yet loaded into CE */
    bool gate;
    bool write_msb; /* RW_WORD: the LSB was written, the MSB comes next */
    bool read_msb;  /* RW_WORD unlatched read: the MSB comes next */
    uint8_t latch_state;
    uint16_t latch;
    bool status_latched;
    uint8_t status;
    /* the counting element (see the comment at the top) */
    uint8_t phase;
    int64_t start;  /* RUNNING: tick where d = 0 */
    int64_t frozen; /* PAUSED: d */
    uint32_t n;     /* the count loaded: 1..65536 (1..10000 in BCD) */
    uint32_t idle_ce;
    bool idle_out;
    uint8_t pend;
    int64_t pend_tick;
} PITChannel;

struct PITState {
    PITChannel ch[3];
    uint8_t port61;   /* bits 1-3 as written; bit 0 is counter 2's gate */
    bool irq_level;   /* IRQ 0 as driven */
    int64_t irq_tick; /* IRQ 0 delivered up to this tick */
    QEMUTimer irq_timer;
    qemu_irq irq;
    MemoryRegion io;
    MemoryRegion io61;
};

static PITState *pit_global; /* for "info pit" */

int64_t pit_ns_to_ticks(int64_t ns)
{
    if (ns <= 0) {
        return 0;
    }
    return (int64_t)((unsigned __int128)ns * PIT_FREQ / NANOSECONDS_PER_SECOND);
}

int64_t pit_ticks_to_ns(int64_t ticks)
{
    if (ticks <= 0) {
        return 0;
    }
    return (int64_t)(((unsigned __int128)ticks * NANOSECONDS_PER_SECOND +
                      PIT_FREQ - 1) /
                     PIT_FREQ);
}

static int64_t pit_now(void)
{
    return pit_ns_to_ticks(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
}

/* ---- one counter ---- */

static uint32_t pit_modulus(const PITChannel *c)
{
    return c->bcd ? 10000 : 65536;
}

static uint16_t bin_to_bcd(uint32_t v)
{
    v %= 10000;
    return (v / 1000) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10;
}

/* The count CR stands for: 0 is the largest (2^16, or 10^4 in BCD). */
static uint32_t pit_initial_count(const PITChannel *c)
{
    uint32_t v = c->cr;

    if (c->bcd) {
        unsigned d3 = v >> 12, d2 = (v >> 8) & 15, d1 = (v >> 4) & 15;
        unsigned d0 = v & 15;

        if (d3 > 9 || d2 > 9 || d1 > 9 || d0 > 9) {
            qemu_log_mask(LOG_GUEST_ERROR, "i8254: count 0x%04x is not BCD\n",
                          c->cr);
        }
        v = (d3 * 1000 + d2 * 100 + d1 * 10 + d0) % 10000;
    }
    return v ? v : pit_modulus(c);
}

/* Modes where a low gate stops counting (in 1 and 5 it is a trigger). */
static bool pit_gate_pauses(const PITChannel *c)
{
    return c->mode != 1 && c->mode != 5;
}

/* CE, d pulses into a RUNNING segment (datasheet, "Operating Modes"). */
static uint32_t pit_ce_at(const PITChannel *c, int64_t d)
{
    int64_t m = pit_modulus(c);
    int64_t n = c->n;

    switch (c->mode) {
    case 2:
        /* n, n-1, ..., 1, then reload. */
        return (n - d % n) % m;
    case 3: {
        /*
         * Even n: loaded with n, decremented by two, reloaded when it
         * expires, OUT toggling.  Odd n: loaded with n - 1 instead, and
         * OUT goes low one pulse after the count expires.
         */
        int64_t h = (n + 1) / 2;
        int64_t r = d % n;
        int64_t k = r < h ? r : r - h;
        return ((n & 1 ? n - 1 : n) - 2 * k) % m;
    }
    default:
        /* One-shot modes: keep counting down through 0, wrapping. */
        return ((n - d % m) % m + m) % m;
    }
}

static bool pit_out_at(const PITChannel *c, int64_t d)
{
    int64_t n = c->n;

    switch (c->mode) {
    case 0: /* low until terminal count */
    case 1: /* low from the load until terminal count */
        return d >= n;
    case 2: /* low for the one pulse where CE is 1 */
        return d % n != n - 1;
    case 3: /* high for ceil(n/2) pulses, low for floor(n/2) */
        return d % n < (n + 1) / 2;
    default: /* 4, 5: low for the one pulse where CE reaches 0 */
        return d != n;
    }
}

static int64_t pit_d(const PITChannel *c, int64_t t)
{
    if (c->phase == PHASE_PAUSED) {
        return c->frozen;
    }
    return t > c->start ? t - c->start : 0;
}

static uint32_t pit_ce(const PITChannel *c, int64_t t)
{
    if (c->phase == PHASE_IDLE) {
        return c->idle_ce;
    }
    return pit_ce_at(c, pit_d(c, t));
}

static bool pit_out(const PITChannel *c, int64_t t)
{
    switch (c->phase) {
    case PHASE_IDLE:
        return c->idle_out;
    case PHASE_PAUSED:
        /* Modes 2 and 3: a low gate sets OUT high at once. */
        if (c->mode == 2 || c->mode == 3) {
            return true;
        }
        return pit_out_at(c, c->frozen);
    default:
        return pit_out_at(c, pit_d(c, t));
    }
}

/* Loads CR into CE at pend_tick. */
static void pit_commit(PITChannel *c)
{
    int64_t off = 0;

    c->n = pit_initial_count(c);
    if (c->pend == PEND_LOW) {
        off = (c->n + 1) / 2; /* start in the low half of the new count */
    }
    if (pit_gate_pauses(c) && !c->gate) {
        c->phase = PHASE_PAUSED;
        c->frozen = off;
    } else {
        c->phase = PHASE_RUNNING;
        c->start = c->pend_tick - off;
    }
    c->null_count = false;
    c->pend = PEND_NONE;
    c->pend_tick = -1;
}

/* Applies a pending load the clock has reached. */
static void pit_sync(PITChannel *c, int64_t t)
{
    if (c->pend != PEND_NONE && c->pend_tick <= t) {
        pit_commit(c);
    }
}

static void pit_set_pending(PITChannel *c, int kind, int64_t tick)
{
    c->pend = kind;
    c->pend_tick = tick;
}

/*
 * The first tick after t where OUT may change or a pending load happens;
 * INT64_MAX if none.  c must be synced to t.
 */
static int64_t pit_next_event(const PITChannel *c, int64_t t)
{
    int64_t ev = c->pend != PEND_NONE ? c->pend_tick : INT64_MAX;
    int64_t n = c->n;
    int64_t d, r, nd = -1;

    if (c->phase != PHASE_RUNNING) {
        return ev;
    }
    d = pit_d(c, t);
    switch (c->mode) {
    case 0:
    case 1:
        if (d < n) {
            nd = n;
        }
        break;
    case 2:
        if (n > 1) {
            r = d % n;
            nd = r < n - 1 ? d + (n - 1 - r) : d + 1;
        }
        break;
    case 3:
        if (n > 1) {
            r = d % n;
            nd = r < (n + 1) / 2 ? d + (n + 1) / 2 - r : d + n - r;
        }
        break;
    default:
        if (d < n) {
            nd = n;
        } else if (d == n) {
            nd = n + 1;
        }
        break;
    }
    if (nd >= 0 && c->start + nd < ev) {
        ev = c->start + nd;
    }
    return ev;
}

/* Stops counting with CE and OUT as they are now (OUT as given). */
static void pit_go_idle(PITChannel *c, int64_t t, bool out)
{
    c->idle_ce = pit_ce(c, t);
    c->idle_out = out;
    c->phase = PHASE_IDLE;
    c->pend = PEND_NONE;
    c->pend_tick = -1;
}

static void pit_write_control(PITChannel *c, uint8_t val, int64_t t)
{
    uint8_t mode = (val >> 1) & 7;

    if (mode > 5) {
        mode -= 4; /* 110 and 111 are modes 2 and 3 */
    }
    /* "All control logic is reset and OUT goes to its initial state." */
    c->mode = mode;
    pit_go_idle(c, t, mode != 0);
    c->ctrl = val & 0x3f;
    c->rw = (val >> 4) & 3;
    c->bcd = val & 1;
    c->armed = false;
    c->null_count = true;
    c->write_msb = false;
    c->read_msb = false;
    c->latch_state = LATCH_NONE;
    c->status_latched = false;
}

/* A whole new count is in CR: what each mode does with it. */
static void pit_count_written(PITChannel *c, int64_t t)
{
    c->null_count = true;
    c->armed = true;
    switch (c->mode) {
    case 0:
        /* OUT goes low; loaded on the next pulse, counting resumes. */
        pit_go_idle(c, t, false);
        pit_set_pending(c, PEND_NEXT, t + 1);
        break;
    case 4:
        pit_set_pending(c, PEND_NEXT, t + 1);
        break;
    case 2:
    case 3:
        if (c->pend == PEND_NEXT) {
            break; /* a trigger is loading it on the next pulse anyway */
        }
        if (c->phase == PHASE_IDLE) {
            pit_set_pending(c, PEND_NEXT, t + 1);
        } else if (c->phase == PHASE_RUNNING) {
            /* "Does not affect the current period (half-cycle)." */
            int64_t n = c->n;
            int64_t r = (t - c->start) % n;
            int64_t h = (n + 1) / 2;

            if (c->mode == 3 && n > 1 && r < h) {
                pit_set_pending(c, PEND_LOW, t + h - r);
            } else {
                pit_set_pending(c, PEND_HIGH, t + n - r);
            }
        }
        /* PAUSED: the rising gate that resumes counting reloads it. */
        break;
    default:
        /* 1, 5: used by the next trigger. */
        break;
    }
}

static void pit_write_count(PITChannel *c, uint8_t val, int64_t t)
{
    switch (c->rw) {
    case RW_LSB:
        c->cr = val;
        break;
    case RW_MSB:
        c->cr = val << 8;
        break;
    default:
        if (!c->write_msb) {
            c->cr = (c->cr & 0xff00) | val;
            c->write_msb = true;
            if (c->mode == 0) {
                /* "Writing the first byte disables counting; OUT low." */
                pit_go_idle(c, t, false);
            }
            return;
        }
        c->cr = (c->cr & 0x00ff) | val << 8;
        c->write_msb = false;
        break;
    }
    pit_count_written(c, t);
}

static uint16_t pit_visible_count(const PITChannel *c, int64_t t)
{
    uint32_t ce = pit_ce(c, t);

    return c->bcd ? bin_to_bcd(ce) : ce;
}

static void pit_latch_count(PITChannel *c, int64_t t)
{
    /* Further latch commands are ignored until the latch is read. */
    if (c->latch_state == LATCH_NONE) {
        c->latch = pit_visible_count(c, t);
        c->latch_state = c->rw; /* LATCH_LSB, LATCH_MSB or LATCH_WORD */
    }
}

static void pit_latch_status(PITChannel *c, int64_t t)
{
    if (!c->status_latched) {
        c->status = pit_out(c, t) << 7 | c->null_count << 6 | c->ctrl;
        c->status_latched = true;
    }
}

static uint8_t pit_read_count(PITChannel *c, int64_t t)
{
    uint16_t v;

    /* Read-back of status and count: the status comes first. */
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    switch (c->latch_state) {
    case LATCH_LSB:
        c->latch_state = LATCH_NONE;
        return c->latch & 0xff;
    case LATCH_MSB:
        c->latch_state = LATCH_NONE;
        return c->latch >> 8;
    case LATCH_WORD:
        c->latch_state = LATCH_WORD_MSB;
        return c->latch & 0xff;
    case LATCH_WORD_MSB:
        c->latch_state = LATCH_NONE;
        return c->latch >> 8;
    }
    v = pit_visible_count(c, t);
    switch (c->rw) {
    case RW_LSB:
        return v & 0xff;
    case RW_MSB:
        return v >> 8;
    default:
        c->read_msb = !c->read_msb;
        return c->read_msb ? v & 0xff : v >> 8;
    }
}

static void pit_gate_changed(PITChannel *c, bool level, int64_t t)
{
    if (level == c->gate) {
        return;
    }
    c->gate = level;
    if (level) {
        switch (c->mode) {
        case 0:
        case 4:
            if (c->phase == PHASE_PAUSED) {
                /* Counting resumes on the next pulse. */
                c->phase = PHASE_RUNNING;
                c->start = t - c->frozen;
            }
            break;
        default:
            /* 1, 2, 3, 5: a trigger, reloading on the next pulse. */
            if (c->armed) {
                pit_set_pending(c, PEND_NEXT, t + 1);
            }
            break;
        }
        return;
    }
    if (pit_gate_pauses(c) && c->phase == PHASE_RUNNING) {
        c->frozen = t - c->start;
        c->phase = PHASE_PAUSED;
    }
    if ((c->mode == 2 || c->mode == 3) &&
        (c->pend == PEND_HIGH || c->pend == PEND_LOW)) {
        /* The period never ends while paused; the next trigger loads. */
        c->pend = PEND_NONE;
        c->pend_tick = -1;
    }
}

/* ---- the chip: IRQ 0 delivery and the register interface ---- */

static void pit_set_irq_level(PITState *s, bool level)
{
    if (level != s->irq_level) {
        s->irq_level = level;
        qemu_set_irq(s->irq, level);
    }
}

/*
 * If the timer ran very late in a periodic mode, whole periods are
 * skipped rather than replayed edge by edge; the last two periods before
 * now (or before a pending load) are still delivered.
 */
static void pit_irq_skip_periods(PITState *s, int64_t now)
{
    PITChannel *c = &s->ch[0];
    int64_t limit = now;

    if (c->phase != PHASE_RUNNING || (c->mode != 2 && c->mode != 3)) {
        return;
    }
    if (c->pend != PEND_NONE && c->pend_tick <= now) {
        limit = c->pend_tick - 1;
    }
    if (limit - s->irq_tick > 4 * (int64_t)c->n) {
        s->irq_tick = limit - 2 * (int64_t)c->n;
        pit_set_irq_level(s, pit_out(c, s->irq_tick));
    }
}

/* Delivers every change of counter 0's OUT up to tick now, in order. */
static void pit_irq_catch_up(PITState *s, int64_t now)
{
    PITChannel *c = &s->ch[0];

    for (;;) {
        int64_t ev;

        pit_irq_skip_periods(s, now);
        ev = pit_next_event(c, s->irq_tick);
        if (ev > now) {
            break;
        }
        pit_sync(c, ev);
        pit_set_irq_level(s, pit_out(c, ev));
        s->irq_tick = ev;
    }
    if (now > s->irq_tick) {
        s->irq_tick = now;
    }
}

static void pit_irq_rearm(PITState *s)
{
    int64_t ev = pit_next_event(&s->ch[0], s->irq_tick);

    if (ev == INT64_MAX) {
        timer_del(&s->irq_timer);
    } else {
        timer_mod_ns(&s->irq_timer, pit_ticks_to_ns(ev));
    }
}

/* Brings every counter up to now; returns the tick. */
static int64_t pit_enter(PITState *s)
{
    int64_t now = pit_now();

    pit_irq_catch_up(s, now);
    for (int i = 0; i < 3; i++) {
        pit_sync(&s->ch[i], now);
    }
    return now;
}

/* After a change at tick now: drive IRQ 0 and re-arm its timer. */
static void pit_leave(PITState *s, int64_t now)
{
    pit_set_irq_level(s, pit_out(&s->ch[0], now));
    pit_irq_rearm(s);
}

static void pit_irq_timer_cb(void *opaque)
{
    PITState *s = opaque;

    pit_leave(s, pit_enter(s));
}

static void pit_ioport_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    PITState *s = opaque;
    int64_t now = pit_enter(s);

    if (addr < 3) {
        pit_write_count(&s->ch[addr], val, now);
    } else if ((val >> 6) == 3) {
        /* Read-back: bit 5 low latches counts, bit 4 low statuses. */
        for (int i = 0; i < 3; i++) {
            if (!(val & (2 << i))) {
                continue;
            }
            if (!(val & 0x20)) {
                pit_latch_count(&s->ch[i], now);
            }
            if (!(val & 0x10)) {
                pit_latch_status(&s->ch[i], now);
            }
        }
    } else if (((val >> 4) & 3) == RW_LATCH) {
        pit_latch_count(&s->ch[val >> 6], now);
    } else {
        pit_write_control(&s->ch[val >> 6], val, now);
    }
    pit_leave(s, now);
}

static uint64_t pit_ioport_read(void *opaque, hwaddr addr, unsigned size)
{
    PITState *s = opaque;
    int64_t now = pit_enter(s);

    if (addr == 3) {
        /* The control word register cannot be read. */
        qemu_log_mask(LOG_GUEST_ERROR, "i8254: read of the control port\n");
        return 0;
    }
    return pit_read_count(&s->ch[addr], now);
}

static const MemoryRegionOps pit_ops = {
    .read = pit_ioport_read,
    .write = pit_ioport_write,
    .valid.min_access_size = 1,
    .valid.max_access_size = 4,
    .impl.min_access_size = 1,
    .impl.max_access_size = 1,
};

/*
 * Port 0x61 (PC/AT "system control port B"): bit 0 counter 2 gate, bit 1
 * speaker data enable, bits 2-3 parity/channel check enables (stored
 * only); read-only bit 4 refresh toggle, bit 5 counter 2 OUT, bits 6-7
 * the NMI sources (never set here).
 */
static uint64_t port61_read(void *opaque, hwaddr addr, unsigned size)
{
    PITState *s = opaque;
    int64_t now = pit_enter(s);
    int64_t ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    bool refresh = (ns / REFRESH_PERIOD_NS) & 1;

    return (s->port61 & 0x0e) | s->ch[2].gate | refresh << 4 |
           pit_out(&s->ch[2], now) << 5;
}

static void port61_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    PITState *s = opaque;
    int64_t now = pit_enter(s);

    s->port61 = val & 0x0e;
    pit_gate_changed(&s->ch[2], val & 1, now);
    pit_leave(s, now);
}

static const MemoryRegionOps port61_ops = {
    .read = port61_read,
    .write = port61_write,
    .valid.min_access_size = 1,
    .valid.max_access_size = 1,
    .impl.min_access_size = 1,
    .impl.max_access_size = 1,
};

void pit_set_gate(PITState *s, int channel, int level)
{
    int64_t now;

    if (channel < 0 || channel > 2) {
        return;
    }
    now = pit_enter(s);
    pit_gate_changed(&s->ch[channel], level, now);
    pit_leave(s, now);
}

int pit_get_out(PITState *s, int channel)
{
    int64_t now;

    if (channel < 0 || channel > 2) {
        return 0;
    }
    now = pit_enter(s);
    return pit_out(&s->ch[channel], now);
}

/* Power-on state as QEMU's: every counter in mode 3 with count 0. */
static void pit_reset(void *opaque)
{
    PITState *s = opaque;
    int64_t now = pit_now();

    for (int i = 0; i < 3; i++) {
        PITChannel *c = &s->ch[i];

        memset(c, 0, sizeof(*c));
        c->gate = i != 2; /* port 0x61 resets to 0 */
        c->mode = 3;
        c->rw = RW_WORD;
        c->ctrl = RW_WORD << 4 | 3 << 1;
        c->armed = true;
        c->n = 65536;
        c->pend = PEND_NONE;
        c->pend_tick = -1;
        if (c->gate) {
            c->phase = PHASE_RUNNING;
            c->start = now;
        } else {
            c->phase = PHASE_PAUSED;
        }
    }
    s->port61 = 0;
    s->irq_tick = now;
    s->irq_level = pit_out(&s->ch[0], now);
    qemu_set_irq(s->irq, s->irq_level);
    pit_irq_rearm(s);
}

/* ---- state ---- */

static const VMStateDescription vmstate_pit_channel = {
    .name = "i8254-channel",
    .version_id = 1,
    .fields =
        (const VMStateField[]){
            VMSTATE_UINT8(ctrl, PITChannel),
            VMSTATE_UINT8(mode, PITChannel),
            VMSTATE_UINT8(rw, PITChannel),
            VMSTATE_BOOL(bcd, PITChannel),
            VMSTATE_UINT16(cr, PITChannel),
            VMSTATE_BOOL(armed, PITChannel),
            VMSTATE_BOOL(null_count, PITChannel),
            VMSTATE_BOOL(gate, PITChannel),
            VMSTATE_BOOL(write_msb, PITChannel),
            VMSTATE_BOOL(read_msb, PITChannel),
            VMSTATE_UINT8(latch_state, PITChannel),
            VMSTATE_UINT16(latch, PITChannel),
            VMSTATE_BOOL(status_latched, PITChannel),
            VMSTATE_UINT8(status, PITChannel),
            VMSTATE_UINT8(phase, PITChannel),
            VMSTATE_INT64(start, PITChannel),
            VMSTATE_INT64(frozen, PITChannel),
            VMSTATE_UINT32(n, PITChannel),
            VMSTATE_UINT32(idle_ce, PITChannel),
            VMSTATE_BOOL(idle_out, PITChannel),
            VMSTATE_UINT8(pend, PITChannel),
            VMSTATE_INT64(pend_tick, PITChannel),
            VMSTATE_END_OF_LIST(),
        },
};

static int pit_post_load(void *opaque, int version_id)
{
    PITState *s = opaque;

    for (int i = 0; i < 3; i++) {
        PITChannel *c = &s->ch[i];

        /* A count of 0 would divide by zero: refuse a corrupt file. */
        if (c->n == 0 || c->n > pit_modulus(c) || c->mode > 5 ||
            c->phase > PHASE_PAUSED || c->pend > PEND_LOW) {
            return -EINVAL;
        }
    }
    qemu_set_irq(s->irq, s->irq_level);
    return 0;
}

static const VMStateDescription vmstate_pit = {
    .name = "i8254",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = pit_post_load,
    .fields =
        (const VMStateField[]){
            VMSTATE_STRUCT_ARRAY(ch, PITState, 3, vmstate_pit_channel,
                                 PITChannel),
            VMSTATE_UINT8(port61, PITState),
            VMSTATE_BOOL(irq_level, PITState),
            VMSTATE_INT64(irq_tick, PITState),
            VMSTATE_TIMER(irq_timer, PITState),
            VMSTATE_END_OF_LIST(),
        },
};

/* ---- monitor ---- */

void pit_info(GString *out)
{
    PITState *s = pit_global;
    int64_t now;

    if (!s) {
        g_string_append(out, "no PIT\n");
        return;
    }
    now = pit_enter(s);
    for (int i = 0; i < 3; i++) {
        PITChannel *c = &s->ch[i];

        g_string_append_printf(
            out,
            "channel %d: mode %u %s rw %u count 0x%04x gate %d out %d "
            "ce 0x%04x%s\n",
            i, c->mode, c->bcd ? "bcd" : "binary", c->rw, c->cr, c->gate,
            pit_out(c, now), pit_visible_count(c, now),
            c->null_count ? " (null count)" : "");
    }
}

static void hmp_info_pit(Monitor *mon, int argc, char **argv)
{
    GString *out = g_string_new(NULL);

    pit_info(out);
    monitor_puts(mon, out->str);
    g_string_free(out, TRUE);
}

static const HMPCommand info_pit_cmd = {
    .name = "pit",
    .params = "",
    .help = "show the state of the i8254 PIT",
    .cmd = hmp_info_pit,
};

/* ---- creation ---- */

PITState *i8254_init(uint32_t iobase, qemu_irq irq0)
{
    PITState *s = g_new0(PITState, 1);
    static bool monitor_done;

    s->irq = irq0;
    timer_init_full(&s->irq_timer, QEMU_CLOCK_VIRTUAL, SCALE_NS,
                    pit_irq_timer_cb, s);
    portio_register(&s->io, iobase, 4, &pit_ops, s, "i8254", &error_abort);
    portio_register(&s->io61, 0x61, 1, &port61_ops, s, "port61", &error_abort);
    pit_reset(s);
    qemu_register_reset(pit_reset, s);
    vmstate_register("i8254", 0, &vmstate_pit, s);
    pit_global = s;
    if (!monitor_done) {
        monitor_done = true;
        monitor_register_info(&info_pit_cmd);
    }
    return s;
}

void i8254_free(PITState *s)
{
    if (!s) {
        return;
    }
    vmstate_unregister(&vmstate_pit, s);
    qemu_unregister_reset(pit_reset, s);
    timer_del(&s->irq_timer);
    memory_region_destroy(&s->io);
    memory_region_destroy(&s->io61);
    if (pit_global == s) {
        pit_global = NULL;
    }
    g_free(s);
}
