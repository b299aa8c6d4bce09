/*
 * Host-side event polling on GLib's default main context, signals, fd
 * handlers and bottom halves.  See qemu/main-loop.h.
 */
#include "qemu/osdep.h"
#include "qemu/error.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "sysemu/runstate.h"
#include <glib-unix.h>
#include <poll.h>
#include <signal.h>
#include <time.h>

static bool main_loop_initialised;
static GArray *poll_fds; /* of GPollFD, reused between iterations */

/* ---- signals: a self-pipe keeps the handler async-signal-safe ---- */

static int signal_pipe[2] = { -1, -1 };

typedef struct SignalRecord {
    int signo;
    pid_t pid;
} SignalRecord;

static void termsig_handler(int signo, siginfo_t *info, void *ctx)
{
    SignalRecord rec = { signo, info ? info->si_pid : 0 };
    int saved_errno = errno;

    if (write(signal_pipe[1], &rec, sizeof(rec)) < 0) {
        /* Nothing useful can be done inside a signal handler. */
    }
    errno = saved_errno;
}

static gboolean signal_pipe_ready(gint fd, GIOCondition cond, gpointer opaque)
{
    SignalRecord rec;

    while (read(fd, &rec, sizeof(rec)) == sizeof(rec)) {
        qemu_system_killed(rec.signo, rec.pid);
    }
    return G_SOURCE_CONTINUE;
}

static void init_signals(void)
{
    struct sigaction act;

    if (!g_unix_open_pipe(signal_pipe, FD_CLOEXEC, NULL)) {
        error_report("cannot create the signal pipe: %s", g_strerror(errno));
        exit(1);
    }
    g_unix_set_fd_nonblocking(signal_pipe[0], TRUE, NULL);
    g_unix_set_fd_nonblocking(signal_pipe[1], TRUE, NULL);
    g_unix_fd_add(signal_pipe[0], G_IO_IN, signal_pipe_ready, NULL);

    memset(&act, 0, sizeof(act));
    act.sa_sigaction = termsig_handler;
    act.sa_flags = SA_SIGINFO;
    sigaction(SIGINT, &act, NULL);
    sigaction(SIGHUP, &act, NULL);
    sigaction(SIGTERM, &act, NULL);
    /* A peer closing a socket must not kill the emulator. */
    signal(SIGPIPE, SIG_IGN);
}

void qemu_init_main_loop(void)
{
    if (main_loop_initialised) {
        return;
    }
    main_loop_initialised = true;
    g_main_context_acquire(g_main_context_default());
    poll_fds = g_array_new(FALSE, FALSE, sizeof(GPollFD));
    init_signals();
}

void qemu_notify_event(void)
{
    g_main_context_wakeup(NULL);
}

/* ---- bottom halves ---- */

struct QEMUBH {
    QEMUBHFunc *cb;
    void *opaque;
    bool scheduled;
    bool deleted;
};

static GPtrArray *bh_list;

QEMUBH *qemu_bh_new(QEMUBHFunc *cb, void *opaque)
{
    QEMUBH *bh = g_new0(QEMUBH, 1);

    bh->cb = cb;
    bh->opaque = opaque;
    if (!bh_list) {
        bh_list = g_ptr_array_new();
    }
    g_ptr_array_add(bh_list, bh);
    return bh;
}

void qemu_bh_schedule(QEMUBH *bh)
{
    bh->scheduled = true;
    qemu_notify_event();
}

void qemu_bh_cancel(QEMUBH *bh)
{
    bh->scheduled = false;
}

void qemu_bh_delete(QEMUBH *bh)
{
    /* Freed by qemu_bh_poll, which may be iterating over it right now. */
    bh->scheduled = false;
    bh->deleted = true;
}

bool qemu_bh_poll(void)
{
    bool ran = false;

    if (!bh_list) {
        return false;
    }
    for (guint i = 0; i < bh_list->len; i++) {
        QEMUBH *bh = g_ptr_array_index(bh_list, i);
        if (bh->scheduled && !bh->deleted) {
            bh->scheduled = false;
            bh->cb(bh->opaque);
            ran = true;
        }
    }
    for (guint i = bh_list->len; i-- > 0;) {
        QEMUBH *bh = g_ptr_array_index(bh_list, i);
        if (bh->deleted) {
            g_ptr_array_remove_index(bh_list, i);
            g_free(bh);
        }
    }
    return ran;
}

static bool bh_pending(void)
{
    for (guint i = 0; bh_list && i < bh_list->len; i++) {
        QEMUBH *bh = g_ptr_array_index(bh_list, i);
        if (bh->scheduled && !bh->deleted) {
            return true;
        }
    }
    return false;
}

/* ---- fd handlers ---- */

typedef struct FDHandler {
    int fd;
    IOHandler *fd_read;
    IOHandler *fd_write;
    void *opaque;
    GSource *source;
} FDHandler;

static GHashTable *fd_handlers; /* fd -> FDHandler * */

static gboolean fd_handler_dispatch(gint fd, GIOCondition cond, gpointer p)
{
    FDHandler *h = p;

    if (h->fd_read && (cond & (G_IO_IN | G_IO_HUP | G_IO_ERR))) {
        h->fd_read(h->opaque);
    }
    /* The read handler may have removed this handler: look it up again. */
    h = g_hash_table_lookup(fd_handlers, GINT_TO_POINTER(fd));
    if (h && h->fd_write && (cond & G_IO_OUT)) {
        h->fd_write(h->opaque);
    }
    return G_SOURCE_CONTINUE;
}

static void fd_handler_remove(FDHandler *h)
{
    g_source_destroy(h->source);
    g_source_unref(h->source);
    g_free(h);
}

void qemu_set_fd_handler(int fd, IOHandler *fd_read, IOHandler *fd_write,
                         void *opaque)
{
    FDHandler *h;
    GIOCondition cond = 0;

    if (!fd_handlers) {
        fd_handlers = g_hash_table_new(g_direct_hash, g_direct_equal);
    }
    h = g_hash_table_lookup(fd_handlers, GINT_TO_POINTER(fd));
    if (h) {
        g_hash_table_remove(fd_handlers, GINT_TO_POINTER(fd));
        fd_handler_remove(h);
    }
    if (!fd_read && !fd_write) {
        return;
    }
    if (fd_read) {
        cond |= G_IO_IN | G_IO_HUP | G_IO_ERR;
    }
    if (fd_write) {
        cond |= G_IO_OUT;
    }
    h = g_new0(FDHandler, 1);
    h->fd = fd;
    h->fd_read = fd_read;
    h->fd_write = fd_write;
    h->opaque = opaque;
    h->source = g_unix_fd_source_new(fd, cond);
    g_source_set_callback(h->source, G_SOURCE_FUNC(fd_handler_dispatch), h,
                          NULL);
    g_source_attach(h->source, NULL);
    g_hash_table_insert(fd_handlers, GINT_TO_POINTER(fd), h);
}

/* ---- one iteration ---- */

static int64_t min_timeout(int64_t a, int64_t b)
{
    if (a < 0) {
        return b;
    }
    if (b < 0) {
        return a;
    }
    return a < b ? a : b;
}

bool main_loop_wait(int64_t timeout_ns)
{
    GMainContext *ctx = g_main_context_default();
    gint max_priority, glib_timeout_ms, n;
    struct timespec ts;
    bool progress;

    if (!main_loop_initialised) {
        qemu_init_main_loop();
    }
    progress = qemu_bh_poll();
    if (progress || bh_pending()) {
        timeout_ns = 0;
    }
    timeout_ns =
        min_timeout(timeout_ns, qemu_clock_deadline_ns(QEMU_CLOCK_REALTIME));
    timeout_ns =
        min_timeout(timeout_ns, qemu_clock_deadline_ns(QEMU_CLOCK_HOST));

    g_main_context_prepare(ctx, &max_priority);
    for (;;) {
        n = g_main_context_query(ctx, max_priority, &glib_timeout_ms,
                                 (GPollFD *)poll_fds->data, poll_fds->len);
        if (n <= (gint)poll_fds->len) {
            break;
        }
        g_array_set_size(poll_fds, n);
    }
    if (glib_timeout_ms >= 0) {
        timeout_ns = min_timeout(timeout_ns, glib_timeout_ms * SCALE_MS);
    }
    /* GPollFD has the layout of struct pollfd on every Unix GLib supports. */
    if (timeout_ns >= 0) {
        ts.tv_sec = timeout_ns / NANOSECONDS_PER_SECOND;
        ts.tv_nsec = timeout_ns % NANOSECONDS_PER_SECOND;
    }
    if (ppoll((struct pollfd *)poll_fds->data, n, timeout_ns >= 0 ? &ts : NULL,
              NULL) < 0 &&
        errno != EINTR) {
        error_report("poll failed: %s", g_strerror(errno));
    }
    if (g_main_context_check(ctx, max_priority, (GPollFD *)poll_fds->data, n)) {
        g_main_context_dispatch(ctx);
        progress = true;
    }
    progress |= qemu_clock_run_timers(QEMU_CLOCK_REALTIME);
    progress |= qemu_clock_run_timers(QEMU_CLOCK_HOST);
    progress |= qemu_bh_poll();
    return progress;
}
