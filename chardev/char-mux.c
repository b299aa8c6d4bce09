/*
 * The mux: one back-end shared by up to MAX_MUX front-ends (typically the
 * serial console and the monitor on stdio, "mon:stdio" / -nographic).
 *
 * Output from every front-end goes to the back-end.  Input goes to the
 * front-end that has the focus, after the escape character Ctrl-A has been
 * interpreted:
 *
 *   C-a h, C-a ?   help           C-a c   focus the next front-end
 *   C-a x          quit           C-a b   break to the focused front-end
 *   C-a a, C-a C-a a literal C-a  anything else after C-a is dropped
 *
 * Focus follows QEMU: a front-end that installs handlers takes the focus,
 * so the last one to attach has it.  QEMU attaches the monitor of
 * "mon:stdio" when the chardev is created and the serial port later, which
 * is why the serial console has the focus at start and C-a c brings up the
 * monitor.
 *
 * Input for a front-end that cannot take it yet waits in a per-front-end
 * buffer; the mux tells the back-end it can take only what fits in a
 * MUX_BUFFER_SIZE window, so host input is not read ahead of the guest.
 * Past the window it still reads one byte at a time (up to MUX_BUFFER_MAX
 * held) so that C-a x and C-a c work even when the guest has stopped
 * reading its console.  Nothing is ever dropped.
 *
 * Like QEMU after machine creation, front-ends learn that the back-end is
 * connected (CHR_EVENT_OPENED) all together, from the main loop's first
 * iteration, once every front-end has attached and the focus is settled:
 * the monitor's banner then waits until the monitor has the focus.
 */
#include "qemu/osdep.h"
#include "chardev/char-internal.h"

#define MUX_ESCAPE_CHAR 0x01 /* Ctrl-A */
#define MUX_BUFFER_SIZE 32
#define MUX_BUFFER_MAX  4096

typedef struct MuxChardev {
    Chardev parent;
    CharBackend chr_be;        /* our front-end handle on the back-end */
    CharBackend *fes[MAX_MUX]; /* by tag; NULL once detached */
    GByteArray *bufs[MAX_MUX]; /* input waiting for each front-end */
    int count;                 /* tags handed out (never reused) */
    int focus;                 /* tag with the focus, -1 if none */
    bool escape;               /* the last byte was the escape char */
    bool started;              /* front-ends have been told OPENED */
    bool draining;             /* guards re-entry from a front-end */
    guint start_tag;
} MuxChardev;

static void mux_send_event(MuxChardev *d, int tag, QEMUChrEvent event)
{
    CharBackend *fe = tag >= 0 ? d->fes[tag] : NULL;

    if (fe && fe->chr_event) {
        fe->chr_event(fe->opaque, event);
    }
}

static void mux_send_all(MuxChardev *d, QEMUChrEvent event)
{
    for (int i = 0; i < d->count; i++) {
        mux_send_event(d, i, event);
    }
}

/* Delivers what front-end tag can take of its buffered input. */
static void mux_drain(MuxChardev *d, int tag)
{
    uint8_t chunk[MUX_BUFFER_MAX];

    if (d->draining) {
        return; /* the outer loop carries on */
    }
    d->draining = true;
    for (;;) {
        CharBackend *fe = d->fes[tag];
        GByteArray *buf = d->bufs[tag];
        int n;

        if (!fe || !buf->len || !fe->chr_can_read || !fe->chr_read) {
            break;
        }
        n = fe->chr_can_read(fe->opaque);
        if (n <= 0) {
            break;
        }
        n = MIN((guint)n, buf->len);
        n = MIN((size_t)n, sizeof(chunk));
        /* Take the bytes out first: chr_read may re-enter the mux. */
        memcpy(chunk, buf->data, n);
        g_byte_array_remove_range(buf, 0, n);
        fe->chr_read(fe->opaque, chunk, n);
    }
    d->draining = false;
}

/*
 * Like QEMU, this sends MUX_OUT and MUX_IN even when the focus stays where
 * it is (C-a c with a single front-end): the monitor then shows its prompt
 * again, which is how the user sees that the key worked.
 */
static void mux_set_focus(MuxChardev *d, int tag)
{
    mux_send_event(d, d->focus, CHR_EVENT_MUX_OUT);
    d->focus = tag;
    /* Events the mux itself raises (BREAK) go to the focused one. */
    d->parent.be = tag >= 0 ? d->fes[tag] : NULL;
    mux_send_event(d, tag, CHR_EVENT_MUX_IN);
    if (tag >= 0) {
        mux_drain(d, tag);
    }
}

/* The next attached front-end after the focused one (wrapping), or -1. */
static int mux_next_focus(MuxChardev *d)
{
    for (int i = 1; i <= d->count; i++) {
        int tag = (d->focus + i) % d->count;
        if (tag >= 0 && d->fes[tag]) {
            return tag;
        }
    }
    return -1;
}

static void mux_print(MuxChardev *d, const char *text)
{
    qemu_chr_write(&d->parent, (const uint8_t *)text, strlen(text), true);
}

static void mux_print_help(MuxChardev *d)
{
    /* The terminal is raw: lines end in CR LF. */
    mux_print(d, "\r\n"
                 "C-a h    show this help\r\n"
                 "C-a x    quit the emulator\r\n"
                 "C-a c    switch between the console and the monitor\r\n"
                 "C-a b    send a break (magic SysRq)\r\n"
                 "C-a a    send C-a itself (so does C-a C-a)\r\n");
}

static void mux_queue(MuxChardev *d, uint8_t c)
{
    if (d->focus >= 0) {
        g_byte_array_append(d->bufs[d->focus], &c, 1);
    }
}

/* Handles one byte after the escape character. */
static void mux_escape_key(MuxChardev *d, uint8_t c)
{
    switch (c) {
    case 'h':
    case '?':
        mux_print_help(d);
        break;
    case 'x':
        mux_print(d, "QEMU: Terminated\r\n");
        qemu_chr_quit_request();
        break;
    case 'b':
        mux_send_event(d, d->focus, CHR_EVENT_BREAK);
        break;
    case 'c':
        mux_set_focus(d, mux_next_focus(d));
        break;
    case 'a':
    case MUX_ESCAPE_CHAR:
        mux_queue(d, MUX_ESCAPE_CHAR);
        break;
    default:
        break; /* unknown command: swallowed, as QEMU does */
    }
}

static int mux_can_read(void *opaque)
{
    MuxChardev *d = opaque;
    CharBackend *fe;
    GByteArray *buf;
    int room;

    if (d->focus < 0) {
        return 0;
    }
    fe = d->fes[d->focus];
    buf = d->bufs[d->focus];
    if (buf->len >= MUX_BUFFER_SIZE) {
        return buf->len < MUX_BUFFER_MAX ? 1 : 0;
    }
    room = MUX_BUFFER_SIZE - buf->len;
    if (buf->len == 0 && fe && fe->chr_can_read) {
        /* Nothing queued: take as much as the front-end can at once. */
        int n = fe->chr_can_read(fe->opaque);
        n = MIN(n, MUX_BUFFER_MAX);
        room = MAX(room, n);
    }
    return room;
}

static void mux_read(void *opaque, const uint8_t *data, int len)
{
    MuxChardev *d = opaque;

    for (int i = 0; i < len; i++) {
        uint8_t c = data[i];

        if (d->escape) {
            d->escape = false;
            mux_escape_key(d, c);
        } else if (c == MUX_ESCAPE_CHAR) {
            d->escape = true;
        } else {
            mux_queue(d, c);
        }
    }
    /* A focus switch mid-buffer can leave bytes for several front-ends. */
    for (int tag = 0; tag < d->count; tag++) {
        mux_drain(d, tag);
    }
}

static void mux_event(void *opaque, QEMUChrEvent event)
{
    MuxChardev *d = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
    case CHR_EVENT_CLOSED:
        if (d->started) {
            d->parent.be_open = event == CHR_EVENT_OPENED;
            mux_send_all(d, event);
        }
        break;
    case CHR_EVENT_BREAK:
        mux_send_event(d, d->focus, event);
        break;
    default:
        break;
    }
}

static gboolean mux_start(gpointer opaque)
{
    MuxChardev *d = opaque;
    Chardev *base = d->chr_be.chr;

    d->start_tag = 0;
    d->started = true;
    if (base && base->be_open) {
        d->parent.be_open = true;
        mux_send_all(d, CHR_EVENT_OPENED);
    }
    return G_SOURCE_REMOVE;
}

Chardev *mux_chr_new(const char *label, Chardev *base, Error **errp)
{
    MuxChardev *d = g_new0(MuxChardev, 1);
    Chardev *chr = &d->parent;

    chr->cls = &char_mux_class;
    chr->label = g_strdup(label);
    chr->filename = g_strdup_printf("mux:%s", base->label);
    chr->logfd = -1;
    d->focus = -1;
    for (int i = 0; i < MAX_MUX; i++) {
        d->bufs[i] = g_byte_array_new();
    }
    if (!qemu_chr_fe_init(&d->chr_be, base, errp)) {
        for (int i = 0; i < MAX_MUX; i++) {
            g_byte_array_unref(d->bufs[i]);
        }
        g_free(chr->label);
        g_free(chr->filename);
        g_free(d);
        return NULL;
    }
    qemu_chr_fe_set_handlers(&d->chr_be, mux_can_read, mux_read, mux_event, d,
                             true);
    d->start_tag = g_idle_add_full(G_PRIORITY_DEFAULT, mux_start, d, NULL);
    return chr;
}

Chardev *mux_chr_get_base(Chardev *mux)
{
    return ((MuxChardev *)mux)->chr_be.chr;
}

bool mux_chr_attach_fe(Chardev *mux, CharBackend *b)
{
    MuxChardev *d = (MuxChardev *)mux;

    if (d->count >= MAX_MUX) {
        return false;
    }
    b->tag = d->count;
    d->fes[d->count++] = b;
    return true;
}

void mux_chr_detach_fe(Chardev *mux, CharBackend *b)
{
    MuxChardev *d = (MuxChardev *)mux;
    int tag = b->tag;

    if (tag < 0 || tag >= d->count || d->fes[tag] != b) {
        return;
    }
    d->fes[tag] = NULL;
    g_byte_array_set_size(d->bufs[tag], 0);
    if (d->focus == tag) {
        /* Don't leave the user typing into nothing. */
        d->focus = -1;
        d->parent.be = NULL;
        for (int i = 1; i <= d->count; i++) {
            int next = (tag + i) % d->count;
            if (d->fes[next]) {
                mux_set_focus(d, next);
                break;
            }
        }
    }
}

void mux_chr_fe_handlers_set(Chardev *mux, CharBackend *b, bool fe_open)
{
    MuxChardev *d = (MuxChardev *)mux;

    if (!fe_open) {
        return;
    }
    mux_set_focus(d, b->tag);
    if (d->started && mux->be_open && b->chr_event) {
        b->chr_event(b->opaque, CHR_EVENT_OPENED);
    }
}

void mux_chr_set_focus_fe(Chardev *mux, CharBackend *b)
{
    mux_set_focus((MuxChardev *)mux, b->tag);
}

void mux_chr_accept_input(Chardev *mux, CharBackend *b)
{
    MuxChardev *d = (MuxChardev *)mux;
    Chardev *base = d->chr_be.chr;

    mux_drain(d, b->tag);
    if (base && base->cls->chr_update_read_handler) {
        base->cls->chr_update_read_handler(base);
    }
}

static int mux_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    MuxChardev *d = (MuxChardev *)chr;

    return qemu_chr_fe_write(&d->chr_be, buf, len);
}

static void mux_chr_update_read_handler(Chardev *chr)
{
    MuxChardev *d = (MuxChardev *)chr;
    Chardev *base = d->chr_be.chr;

    if (base && base->cls->chr_update_read_handler) {
        base->cls->chr_update_read_handler(base);
    }
}

static void mux_chr_set_echo(Chardev *chr, bool echo)
{
    qemu_chr_fe_set_echo(&((MuxChardev *)chr)->chr_be, echo);
}

static void mux_chr_wait_writable(Chardev *chr)
{
    Chardev *base = ((MuxChardev *)chr)->chr_be.chr;

    if (base && base->cls->chr_wait_writable) {
        base->cls->chr_wait_writable(base);
    } else {
        g_usleep(1000);
    }
}

static void mux_chr_close(Chardev *chr)
{
    MuxChardev *d = (MuxChardev *)chr;

    if (d->start_tag) {
        g_source_remove(d->start_tag);
        d->start_tag = 0;
    }
    /* The front-ends outlive us; their writes become no-ops. */
    for (int i = 0; i < d->count; i++) {
        if (d->fes[i]) {
            d->fes[i]->chr = NULL;
            d->fes[i] = NULL;
        }
        g_byte_array_unref(d->bufs[i]);
        d->bufs[i] = NULL;
    }
    for (int i = d->count; i < MAX_MUX; i++) {
        g_byte_array_unref(d->bufs[i]);
        d->bufs[i] = NULL;
    }
    chr->be = NULL;
    qemu_chr_fe_deinit(&d->chr_be, false);
}

/* Not creatable with -chardev: made by mux=on and "mon:". */
const ChardevClass char_mux_class = {
    .name = "mux",
    .help = "shares a back-end between front-ends",
    .instance_size = sizeof(MuxChardev),
    .chr_write = mux_chr_write,
    .chr_update_read_handler = mux_chr_update_read_handler,
    .chr_set_echo = mux_chr_set_echo,
    .chr_wait_writable = mux_chr_wait_writable,
    .chr_close = mux_chr_close,
};
