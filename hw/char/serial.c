/*
 * 16550A UART (see include/hw/char/serial.h), from the National
 * Semiconductor PC16550D datasheet: "Registers" (8.1-8.8), "FIFO Interrupt
 * Mode Operation", "Table II: Interrupt Control Functions".
 *
 * Transmission takes no virtual time: a byte written to THR leaves at
 * once, so THR, the transmit FIFO and the shift register are always empty
 * when the guest looks (LSR.THRE and TEMT stay set) and every write is
 * followed by a new "THR empty" interrupt.  The guest-visible state never
 * depends on how fast the host takes output: bytes the back-end cannot
 * take now wait in a host-side queue retried from a host-clock timer, and
 * only when that queue is full does the emulator wait for the host.  So
 * a recording replays identically whatever the serial back-end does.
 *
 * Reception: can_read offers exactly the free room in the receive FIFO
 * (one character in 16450 mode), so input the guest has not read stays
 * in the host (never dropped); a read that frees room asks the back-end
 * for more.  In loopback mode the receiver is disconnected from the line
 * and takes no host input.
 *
 * The IRQ output reaches the interrupt controller through MCR.OUT2, as on
 * a PC; a port with OUT2 clear does not drive its line at all, so two
 * ports may share an IRQ as COM1 and COM3 do.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/timer.h"
#include "exec/ioport.h"
#include "migration/vmstate.h"
#include "sysemu/runstate.h"
#include "hw/char/serial.h"

#define UART_FIFO_SIZE 16
#define UART_XTAL_HZ   1843200 /* divisor 1 is 115200 baud */

/* Registers (DLAB = LCR bit 7 selects DLL/DLM at 0 and 1). */
#define UART_RBR 0 /* read: receive buffer; write: THR */
#define UART_IER 1
#define UART_IIR 2 /* read: interrupt identification; write: FCR */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define IER_RDI  0x01 /* received data available (and timeout) */
#define IER_THRI 0x02 /* transmitter holding register empty */
#define IER_RLSI 0x04 /* receiver line status */
#define IER_MSI  0x08 /* modem status */

/* IIR interrupt identification, highest priority first. */
#define IIR_NO_INT 0x01
#define IIR_RLSI   0x06
#define IIR_RDI    0x04
#define IIR_CTI    0x0c /* character timeout */
#define IIR_THRI   0x02
#define IIR_MSI    0x00
#define IIR_FIFO   0xc0 /* FIFOs enabled */

#define FCR_ENABLE   0x01
#define FCR_CLEAR_RX 0x02
#define FCR_CLEAR_TX 0x04
#define FCR_DMA      0x08
#define FCR_TRIGGER  0xc0

#define LCR_WLEN   0x03
#define LCR_STOP   0x04
#define LCR_PARITY 0x08
#define LCR_DLAB   0x80

#define MCR_DTR  0x01
#define MCR_RTS  0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10

#define LSR_DR     0x01
#define LSR_OE     0x02
#define LSR_PE     0x04
#define LSR_FE     0x08
#define LSR_BI     0x10
#define LSR_THRE   0x20
#define LSR_TEMT   0x40
#define LSR_FIFOE  0x80 /* error in the receive FIFO */
#define LSR_ERRORS (LSR_OE | LSR_PE | LSR_FE | LSR_BI)

#define MSR_DCTS   0x01
#define MSR_DDSR   0x02
#define MSR_TERI   0x04
#define MSR_DDCD   0x08
#define MSR_DELTAS 0x0f
#define MSR_CTS    0x10
#define MSR_DSR    0x20
#define MSR_RI     0x40
#define MSR_DCD    0x80

/* Host output waiting for a slow back-end; beyond this we wait for it. */
#define SERIAL_OUT_MAX      (64 * 1024)
#define SERIAL_OUT_RETRY_MS 1

struct SerialState {
    /* guest-visible state (vmstate) */
    uint16_t divider;
    uint8_t ier;
    uint8_t lcr;
    uint8_t mcr;
    uint8_t lsr_err; /* LSR bits 1-4; the others are computed */
    uint8_t msr;
    uint8_t scr;
    uint8_t fcr;
    uint8_t rbr; /* the last character read: what RBR shows when empty */
    bool thr_ipending;
    bool timeout_ipending;
    bool fifo_error; /* LSR bit 7 */
    uint8_t rx_data[UART_FIFO_SIZE];
    uint8_t rx_flags[UART_FIFO_SIZE]; /* LSR error bits of each character */
    uint8_t rx_head;
    uint8_t rx_count;
    QEMUTimer timeout_timer;
    /* wiring and host side */
    int index;
    bool irq_level;
    qemu_irq irq;
    CharBackend chr;
    MemoryRegion io;
    GByteArray *out_pending;
    QEMUTimer out_retry; /* QEMU_CLOCK_REALTIME: host side only */
};

static SerialState *serial_ports[SERIAL_MAX_PORTS];
static SerialIsaIrqLookup *isa_irq_lookup;

static bool serial_fifo_enabled(const SerialState *s)
{
    return s->fcr & FCR_ENABLE;
}

static unsigned serial_rx_capacity(const SerialState *s)
{
    return serial_fifo_enabled(s) ? UART_FIFO_SIZE : 1;
}

static unsigned serial_rx_trigger(const SerialState *s)
{
    static const uint8_t levels[4] = { 1, 4, 8, 14 };

    return levels[s->fcr >> 6];
}

/* One character time in ns at the programmed rate and format. */
static int64_t serial_char_ns(const SerialState *s)
{
    uint64_t wlen = 5 + (s->lcr & LCR_WLEN);
    uint64_t half_bits = 2 * (1 + wlen + !!(s->lcr & LCR_PARITY));
    uint64_t divider = s->divider ? s->divider : 65536;

    /* 1, 1.5 (5-bit words) or 2 stop bits. */
    half_bits += !(s->lcr & LCR_STOP) ? 2 : wlen == 5 ? 3 : 4;
    /* A bit lasts divider * 16 cycles of the 1.8432 MHz crystal. */
    return half_bits * divider * 16 * NANOSECONDS_PER_SECOND /
           (2 * UART_XTAL_HZ);
}

/* Table II: the pending interrupt of highest priority. */
static uint8_t serial_iir_id(const SerialState *s)
{
    if ((s->ier & IER_RLSI) && s->lsr_err) {
        return IIR_RLSI;
    }
    if (s->ier & IER_RDI) {
        if (serial_fifo_enabled(s) ? s->rx_count >= serial_rx_trigger(s)
                                   : s->rx_count > 0) {
            return IIR_RDI;
        }
        if (s->timeout_ipending) {
            return IIR_CTI;
        }
    }
    if ((s->ier & IER_THRI) && s->thr_ipending) {
        return IIR_THRI;
    }
    if ((s->ier & IER_MSI) && (s->msr & MSR_DELTAS)) {
        return IIR_MSI;
    }
    return IIR_NO_INT;
}

static void serial_update_irq(SerialState *s)
{
    bool level = serial_iir_id(s) != IIR_NO_INT && (s->mcr & MCR_OUT2);

    if (level != s->irq_level) {
        s->irq_level = level;
        qemu_set_irq(s->irq, level);
    }
}

/* ---- receive ---- */

/*
 * A character entered or left the receive FIFO: restart the 4-character
 * timeout (FIFO mode, while characters wait) and clear its indication.
 */
static void serial_rx_activity(SerialState *s)
{
    s->timeout_ipending = false;
    if (serial_fifo_enabled(s) && s->rx_count) {
        timer_mod_ns(&s->timeout_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                                            4 * serial_char_ns(s));
    } else {
        timer_del(&s->timeout_timer);
    }
}

static void serial_timeout_cb(void *opaque)
{
    SerialState *s = opaque;

    if (serial_fifo_enabled(s) && s->rx_count) {
        s->timeout_ipending = true;
        serial_update_irq(s);
    }
}

static void serial_rx_clear(SerialState *s)
{
    s->rx_head = 0;
    s->rx_count = 0;
    s->fifo_error = false;
    s->timeout_ipending = false;
    timer_del(&s->timeout_timer);
}

/* A character (with its error bits) arrives from the line. */
static void serial_rx_push(SerialState *s, uint8_t ch, uint8_t flags)
{
    if (s->rx_count >= serial_rx_capacity(s)) {
        s->lsr_err |= LSR_OE;
        if (!serial_fifo_enabled(s)) {
            /* 16450 mode: the new character overwrites RBR. */
            s->rx_data[s->rx_head] = ch;
            s->rx_flags[s->rx_head] = flags;
            s->lsr_err |= flags;
        }
        /* FIFO mode: it is lost in the shift register. */
    } else {
        unsigned i = (s->rx_head + s->rx_count) % UART_FIFO_SIZE;

        s->rx_data[i] = ch;
        s->rx_flags[i] = flags;
        if (s->rx_count++ == 0) {
            /* Errors show in LSR when the character is at the top. */
            s->lsr_err |= flags;
        }
        if (flags && serial_fifo_enabled(s)) {
            s->fifo_error = true;
        }
    }
    serial_rx_activity(s);
}

static uint8_t serial_rx_pop(SerialState *s)
{
    if (s->rx_count == 0) {
        return s->rbr;
    }
    s->rbr = s->rx_data[s->rx_head];
    s->rx_head = (s->rx_head + 1) % UART_FIFO_SIZE;
    s->rx_count--;
    if (s->rx_count) {
        s->lsr_err |= s->rx_flags[s->rx_head];
    }
    serial_rx_activity(s);
    return s->rbr;
}

static int serial_can_receive(void *opaque)
{
    SerialState *s = opaque;

    if (s->mcr & MCR_LOOP) {
        return 0;
    }
    return serial_rx_capacity(s) - s->rx_count;
}

static void serial_receive(void *opaque, const uint8_t *buf, int size)
{
    SerialState *s = opaque;

    for (int i = 0; i < size; i++) {
        serial_rx_push(s, buf[i], 0);
    }
    serial_update_irq(s);
}

static void serial_event(void *opaque, QEMUChrEvent event)
{
    SerialState *s = opaque;

    if (event == CHR_EVENT_BREAK && !(s->mcr & MCR_LOOP)) {
        /* "Only one zero character is loaded into the FIFO." */
        serial_rx_push(s, 0, LSR_BI);
        serial_update_irq(s);
    }
}

/* The guest made room: let the back-end deliver what it holds. */
static void serial_accept_input(SerialState *s)
{
    if (serial_can_receive(s) > 0) {
        qemu_chr_fe_accept_input(&s->chr);
    }
}

/* ---- transmit ---- */

static void serial_flush_output(SerialState *s, bool wait)
{
    GByteArray *q = s->out_pending;
    int n;

    if (!q->len) {
        return;
    }
    n = wait ? qemu_chr_fe_write_all(&s->chr, q->data, q->len)
             : qemu_chr_fe_write(&s->chr, q->data, q->len);
    if (n < 0) {
        n = q->len; /* the back-end is disconnected: discarded, as QEMU */
    }
    g_byte_array_remove_range(q, 0, n);
    if (q->len) {
        timer_mod(&s->out_retry,
                  qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + SERIAL_OUT_RETRY_MS);
    } else {
        timer_del(&s->out_retry);
    }
}

static void serial_out_retry_cb(void *opaque)
{
    serial_flush_output(opaque, false);
}

static void serial_output(SerialState *s, uint8_t ch)
{
    GByteArray *q = s->out_pending;

    if (q->len) {
        /* Keep the order: behind the queue, which the timer retries. */
        g_byte_array_append(q, &ch, 1);
        if (q->len >= SERIAL_OUT_MAX) {
            serial_flush_output(s, true);
        }
        return;
    }
    if (qemu_chr_fe_write(&s->chr, &ch, 1) == 0) {
        g_byte_array_append(q, &ch, 1);
        timer_mod(&s->out_retry,
                  qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + SERIAL_OUT_RETRY_MS);
    }
    /* Otherwise written, or discarded by a disconnected back-end. */
}

static void serial_write_thr(SerialState *s, uint8_t ch)
{
    /* Writing THR clears the THRE interrupt ... */
    s->thr_ipending = false;
    serial_update_irq(s);
    if (s->mcr & MCR_LOOP) {
        /* The shift register feeds the receiver; the line stays marking. */
        serial_rx_push(s, ch, 0);
    } else {
        serial_output(s, ch);
    }
    /* ... and the character left at once, so THR is empty again. */
    s->thr_ipending = true;
    serial_update_irq(s);
}

/* ---- modem control and status ---- */

/* MSR bits 4-7 from the modem inputs, setting the delta bits. */
static void serial_update_msr(SerialState *s)
{
    uint8_t in;
    uint8_t changed;

    if (s->mcr & MCR_LOOP) {
        /* Loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
        in = (s->mcr & MCR_RTS ? MSR_CTS : 0) |
             (s->mcr & MCR_DTR ? MSR_DSR : 0) |
             (s->mcr & MCR_OUT1 ? MSR_RI : 0) |
             (s->mcr & MCR_OUT2 ? MSR_DCD : 0);
    } else {
        /* A back-end is a modem that is always there and ready. */
        in = MSR_CTS | MSR_DSR | MSR_DCD;
    }
    changed = (s->msr ^ in) & 0xf0;
    if (changed & MSR_CTS) {
        s->msr |= MSR_DCTS;
    }
    if (changed & MSR_DSR) {
        s->msr |= MSR_DDSR;
    }
    if ((changed & MSR_RI) && !(in & MSR_RI)) {
        s->msr |= MSR_TERI; /* trailing edge of ring indicator */
    }
    if (changed & MSR_DCD) {
        s->msr |= MSR_DDCD;
    }
    s->msr = (s->msr & MSR_DELTAS) | in;
}

/* ---- registers ---- */

static uint8_t serial_read_lsr(SerialState *s)
{
    uint8_t v = s->lsr_err | LSR_THRE | LSR_TEMT;

    if (s->rx_count) {
        v |= LSR_DR;
    }
    if (s->fifo_error) {
        v |= LSR_FIFOE;
    }
    /* Reading clears bits 1-4, and bit 7 unless more errors wait. */
    s->lsr_err = 0;
    s->fifo_error = false;
    for (unsigned i = 1; i < s->rx_count; i++) {
        if (s->rx_flags[(s->rx_head + i) % UART_FIFO_SIZE]) {
            s->fifo_error = true;
        }
    }
    return v;
}

static void serial_write_fcr(SerialState *s, uint8_t val)
{
    bool was_enabled = serial_fifo_enabled(s);

    if (!(val & FCR_ENABLE)) {
        /* Leaving FIFO mode clears the FIFOs; other bits need FCR0. */
        if (was_enabled) {
            serial_rx_clear(s);
        }
        s->fcr = 0;
        return;
    }
    /* Entering FIFO mode clears the FIFOs too.  TX is always empty. */
    if (!was_enabled || (val & FCR_CLEAR_RX)) {
        serial_rx_clear(s);
    }
    s->fcr = val & (FCR_ENABLE | FCR_DMA | FCR_TRIGGER);
}

static uint64_t serial_ioport_read(void *opaque, hwaddr addr, unsigned size)
{
    SerialState *s = opaque;
    uint8_t v;

    switch (addr) {
    case UART_RBR:
        if (s->lcr & LCR_DLAB) {
            return s->divider & 0xff;
        }
        v = serial_rx_pop(s);
        serial_update_irq(s);
        serial_accept_input(s);
        return v;
    case UART_IER:
        if (s->lcr & LCR_DLAB) {
            return s->divider >> 8;
        }
        return s->ier;
    case UART_IIR:
        v = serial_iir_id(s);
        /* Reading IIR clears a THRE interrupt it reports. */
        if (v == IIR_THRI) {
            s->thr_ipending = false;
            serial_update_irq(s);
        }
        return v | (serial_fifo_enabled(s) ? IIR_FIFO : 0);
    case UART_LCR:
        return s->lcr;
    case UART_MCR:
        return s->mcr;
    case UART_LSR:
        v = serial_read_lsr(s);
        serial_update_irq(s);
        return v;
    case UART_MSR:
        v = s->msr;
        s->msr &= ~MSR_DELTAS;
        serial_update_irq(s);
        return v;
    default:
        return s->scr;
    }
}

static void serial_ioport_write(void *opaque, hwaddr addr, uint64_t val,
                                unsigned size)
{
    SerialState *s = opaque;
    uint8_t old;

    switch (addr) {
    case UART_RBR:
        if (s->lcr & LCR_DLAB) {
            s->divider = (s->divider & 0xff00) | (val & 0xff);
        } else {
            serial_write_thr(s, val);
        }
        return;
    case UART_IER:
        if (s->lcr & LCR_DLAB) {
            s->divider = (s->divider & 0x00ff) | (val & 0xff) << 8;
            return;
        }
        old = s->ier;
        s->ier = val & 0x0f;
        /* Enabling the THRE interrupt while THR is empty raises it. */
        if (!(old & IER_THRI) && (s->ier & IER_THRI)) {
            s->thr_ipending = true;
        }
        break;
    case UART_IIR:
        serial_write_fcr(s, val);
        serial_update_irq(s);
        serial_accept_input(s);
        return;
    case UART_LCR:
        s->lcr = val;
        if (val & 0x40) {
            qemu_log_mask(LOG_UNIMP, "serial: sending a break is not "
                                     "supported\n");
        }
        return;
    case UART_MCR:
        old = s->mcr;
        s->mcr = val & 0x1f;
        serial_update_msr(s);
        serial_update_irq(s);
        if ((old & MCR_LOOP) && !(s->mcr & MCR_LOOP)) {
            serial_accept_input(s);
        }
        return;
    case UART_LSR:
    case UART_MSR:
        qemu_log_mask(LOG_GUEST_ERROR,
                      "serial: write 0x%02x to read-only register %u\n",
                      (unsigned)val & 0xff, (unsigned)addr);
        return;
    default:
        s->scr = val;
        return;
    }
    serial_update_irq(s);
}

static const MemoryRegionOps serial_ops = {
    .read = serial_ioport_read,
    .write = serial_ioport_write,
    .valid.min_access_size = 1,
    .valid.max_access_size = 4,
    .impl.min_access_size = 1,
    .impl.max_access_size = 1,
};

/* Master reset (datasheet Table IV); the divisor is set to 9600 baud. */
static void serial_reset(void *opaque)
{
    SerialState *s = opaque;

    s->divider = 12;
    s->ier = 0;
    s->lcr = 0;
    s->mcr = 0;
    s->lsr_err = 0;
    s->scr = 0;
    s->fcr = 0;
    s->rbr = 0;
    s->thr_ipending = false;
    s->msr = MSR_CTS | MSR_DSR | MSR_DCD;
    serial_rx_clear(s);
    serial_update_irq(s);
    serial_accept_input(s);
}

/* ---- state ---- */

static int serial_post_load(void *opaque, int version_id)
{
    SerialState *s = opaque;

    if (s->rx_head >= UART_FIFO_SIZE || s->rx_count > serial_rx_capacity(s)) {
        return -EINVAL;
    }
    /*
     * Drive the line only if this port raises it: a port that is quiet
     * must not lower a line it shares with another port.
     */
    s->irq_level = serial_iir_id(s) != IIR_NO_INT && (s->mcr & MCR_OUT2);
    if (s->irq_level) {
        qemu_set_irq(s->irq, 1);
    }
    return 0;
}

static const VMStateDescription vmstate_serial = {
    .name = "serial",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = serial_post_load,
    .fields =
        (const VMStateField[]){
            VMSTATE_UINT16(divider, SerialState),
            VMSTATE_UINT8(ier, SerialState),
            VMSTATE_UINT8(lcr, SerialState),
            VMSTATE_UINT8(mcr, SerialState),
            VMSTATE_UINT8(lsr_err, SerialState),
            VMSTATE_UINT8(msr, SerialState),
            VMSTATE_UINT8(scr, SerialState),
            VMSTATE_UINT8(fcr, SerialState),
            VMSTATE_UINT8(rbr, SerialState),
            VMSTATE_BOOL(thr_ipending, SerialState),
            VMSTATE_BOOL(timeout_ipending, SerialState),
            VMSTATE_BOOL(fifo_error, SerialState),
            VMSTATE_BUFFER(rx_data, SerialState),
            VMSTATE_BUFFER(rx_flags, SerialState),
            VMSTATE_UINT8(rx_head, SerialState),
            VMSTATE_UINT8(rx_count, SerialState),
            VMSTATE_TIMER(timeout_timer, SerialState),
            VMSTATE_END_OF_LIST(),
        },
};

/* ---- creation ---- */

uint32_t serial_isa_default_iobase(int index)
{
    static const uint32_t base[SERIAL_MAX_PORTS] = { 0x3f8, 0x2f8, 0x3e8,
                                                     0x2e8 };

    return index >= 0 && index < SERIAL_MAX_PORTS ? base[index] : 0;
}

int serial_isa_default_irq(int index)
{
    return index & 1 ? 3 : 4;
}

SerialState *serial_isa_init(int index, uint32_t iobase, qemu_irq irq,
                             Chardev *chr, Error **errp)
{
    SerialState *s;

    if (index < 0 || index >= SERIAL_MAX_PORTS) {
        error_setg(errp, "serial port index %d is out of range (0-%d)", index,
                   SERIAL_MAX_PORTS - 1);
        return NULL;
    }
    if (serial_ports[index]) {
        error_setg(errp, "serial port index %d is already in use", index);
        return NULL;
    }
    if (iobase > 0x10000 - 8) {
        error_setg(errp, "iobase=0x%" PRIx32 " does not fit in the I/O space",
                   iobase);
        return NULL;
    }
    s = g_new0(SerialState, 1);
    s->index = index;
    s->irq = irq;
    s->out_pending = g_byte_array_new();
    timer_init_full(&s->timeout_timer, QEMU_CLOCK_VIRTUAL, SCALE_NS,
                    serial_timeout_cb, s);
    timer_init_full(&s->out_retry, QEMU_CLOCK_REALTIME, SCALE_MS,
                    serial_out_retry_cb, s);
    if (!qemu_chr_fe_init(&s->chr, chr, errp)) {
        goto fail;
    }
    if (!portio_register(&s->io, iobase, 8, &serial_ops, s, "serial", errp)) {
        qemu_chr_fe_deinit(&s->chr, false);
        goto fail;
    }
    serial_reset(s);
    qemu_chr_fe_set_handlers(&s->chr, serial_can_receive, serial_receive,
                             serial_event, s, true);
    qemu_register_reset(serial_reset, s);
    vmstate_register("serial", index, &vmstate_serial, s);
    serial_ports[index] = s;
    return s;
fail:
    g_byte_array_free(s->out_pending, TRUE);
    g_free(s);
    return NULL;
}

void serial_free(SerialState *s)
{
    if (!s) {
        return;
    }
    vmstate_unregister(&vmstate_serial, s);
    qemu_unregister_reset(serial_reset, s);
    qemu_chr_fe_deinit(&s->chr, false);
    timer_del(&s->timeout_timer);
    timer_del(&s->out_retry);
    memory_region_destroy(&s->io);
    g_byte_array_free(s->out_pending, TRUE);
    serial_ports[s->index] = NULL;
    g_free(s);
}

SerialState *serial_find(int index)
{
    return index >= 0 && index < SERIAL_MAX_PORTS ? serial_ports[index] : NULL;
}

void serial_set_isa_irq_lookup(SerialIsaIrqLookup *fn)
{
    isa_irq_lookup = fn;
}

/* ---- -device isa-serial ---- */

static const DeviceProp isa_serial_props[] = {
    { "index", QEMU_OPT_NUMBER, "uint32", NULL,
      "port number 0-3 (default: the first free)" },
    { "iobase", QEMU_OPT_NUMBER, "uint32", NULL,
      "I/O base (default: 0x3f8, 0x2f8, 0x3e8, 0x2e8 by index)" },
    { "irq", QEMU_OPT_NUMBER, "uint32", NULL,
      "ISA IRQ (default: 4, 3, 4, 3 by index)" },
    { "chardev", QEMU_OPT_STRING, "str", NULL, "ID of a chardev to use" },
    { NULL }
};

static bool isa_serial_create(QemuOpts *opts, Error **errp)
{
    const DeviceInfo *info = &isa_serial_info;
    const char *id = device_prop_get_str(opts, info, "chardev");
    Chardev *chr = NULL;
    uint64_t index;
    uint64_t iobase;
    uint64_t irq;

    if (qemu_opt_get(opts, "index")) {
        index = device_prop_get_uint(opts, info, "index");
        if (index >= SERIAL_MAX_PORTS) {
            error_setg(errp, "Max. supported number of ISA serial ports is %d",
                       SERIAL_MAX_PORTS);
            return false;
        }
    } else {
        for (index = 0; index < SERIAL_MAX_PORTS && serial_ports[index];
             index++) {
        }
        if (index == SERIAL_MAX_PORTS) {
            error_setg(errp, "Max. supported number of ISA serial ports is %d",
                       SERIAL_MAX_PORTS);
            return false;
        }
    }
    iobase = qemu_opt_get(opts, "iobase")
                 ? device_prop_get_uint(opts, info, "iobase")
                 : serial_isa_default_iobase(index);
    irq = qemu_opt_get(opts, "irq") ? device_prop_get_uint(opts, info, "irq")
                                    : (uint64_t)serial_isa_default_irq(index);
    if (iobase > 0x10000 - 8) {
        error_setg(errp, "iobase=0x%" PRIx64 " does not fit in the I/O space",
                   iobase);
        return false;
    }
    if (irq > 15) {
        error_setg(errp, "irq=%" PRIu64 " is not an ISA IRQ (0-15)", irq);
        return false;
    }
    if (!isa_irq_lookup) {
        error_setg(errp, "no ISA bus");
        return false;
    }
    if (id) {
        chr = qemu_chr_find(id);
        if (!chr) {
            error_setg(errp, "chardev '%s' not found", id);
            return false;
        }
    }
    return serial_isa_init(index, iobase, isa_irq_lookup(irq), chr, errp) !=
           NULL;
}

const DeviceInfo isa_serial_info = {
    .name = "isa-serial",
    .bus = "ISA",
    .desc = "16550A UART",
    .category = DEVICE_CATEGORY_INPUT,
    .props = isa_serial_props,
    .create = isa_serial_create,
};
