/*
 * Shared pieces of fd-based back-ends: the flow-controlled input watch and
 * the FDChardev (one input fd, one output fd) used by stdio, file, pipe and
 * host serial ttys.
 */
#include "qemu/osdep.h"
#include "chardev/char-internal.h"

#include <poll.h>

struct ChrInputWatch {
    GSource source;
    Chardev *chr;
    int fd;
    gpointer tag; /* the fd in the poll set, NULL while not wanted */
    ChrInputFunc *fn;
};

static gboolean chr_input_prepare(GSource *src, gint *timeout)
{
    ChrInputWatch *w = (ChrInputWatch *)src;
    bool want = qemu_chr_be_can_write(w->chr) > 0;

    *timeout = -1;
    if (want && !w->tag) {
        w->tag =
            g_source_add_unix_fd(src, w->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
    } else if (!want && w->tag) {
        g_source_remove_unix_fd(src, w->tag);
        w->tag = NULL;
    }
    return FALSE;
}

static gboolean chr_input_check(GSource *src)
{
    ChrInputWatch *w = (ChrInputWatch *)src;

    return w->tag && g_source_query_unix_fd(src, w->tag) != 0;
}

static gboolean chr_input_dispatch(GSource *src, GSourceFunc cb, gpointer data)
{
    ChrInputWatch *w = (ChrInputWatch *)src;
    GIOCondition cond;

    if (!w->tag) {
        return G_SOURCE_CONTINUE;
    }
    cond = g_source_query_unix_fd(src, w->tag);
    /* GLib holds a reference during dispatch, so fn may remove w. */
    w->fn(w->chr, cond);
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs chr_input_funcs = {
    .prepare = chr_input_prepare,
    .check = chr_input_check,
    .dispatch = chr_input_dispatch,
};

ChrInputWatch *chr_input_watch_new(Chardev *chr, int fd, ChrInputFunc *fn)
{
    GSource *src = g_source_new(&chr_input_funcs, sizeof(ChrInputWatch));
    ChrInputWatch *w = (ChrInputWatch *)src;

    w->chr = chr;
    w->fd = fd;
    w->fn = fn;
    g_source_set_name(src, "chardev-input");
    g_source_attach(src, g_main_context_default());
    return w;
}

void chr_input_watch_remove(ChrInputWatch **w)
{
    if (!*w) {
        return;
    }
    g_source_destroy(&(*w)->source);
    g_source_unref(&(*w)->source);
    *w = NULL;
}

short chr_poll_fd(int fd, short events, int timeout_ms)
{
    struct pollfd pfd = { .fd = fd, .events = events };
    int ret;

    do {
        ret = poll(&pfd, 1, timeout_ms);
    } while (ret < 0 && errno == EINTR);
    return ret > 0 ? pfd.revents : 0;
}

int chr_fd_read(Chardev *chr, int fd)
{
    uint8_t buf[4096];
    int avail = qemu_chr_be_can_write(chr);
    ssize_t ret;

    if (avail <= 0) {
        return 0;
    }
    do {
        ret = read(fd, buf, MIN((size_t)avail, sizeof(buf)));
    } while (ret < 0 && errno == EINTR);
    if (ret > 0) {
        qemu_chr_be_write(chr, buf, ret);
        return ret;
    }
    if (ret == 0) {
        errno = 0;
        return -1;
    }
    return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
}

static void fd_chr_input(Chardev *chr, GIOCondition cond)
{
    FDChardev *s = (FDChardev *)chr;

    if (chr_fd_read(chr, s->fd_in) < 0) {
        /* EOF (end of an input file, stdin closed): stop watching. */
        chr_input_watch_remove(&s->in_watch);
        qemu_chr_be_event(chr, CHR_EVENT_CLOSED);
    }
}

static void set_nonblock_cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags >= 0) {
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    }
    flags = fcntl(fd, F_GETFD);
    if (flags >= 0) {
        fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    }
}

void fd_chr_start(Chardev *chr, int fd_in, int fd_out, bool own_fds)
{
    FDChardev *s = (FDChardev *)chr;

    s->fd_in = fd_in;
    s->fd_out = fd_out;
    s->own_fds = own_fds;
    if (own_fds) {
        if (fd_in >= 0) {
            set_nonblock_cloexec(fd_in);
        }
        if (fd_out >= 0 && fd_out != fd_in) {
            set_nonblock_cloexec(fd_out);
        }
    }
    if (fd_in >= 0) {
        s->in_watch = chr_input_watch_new(chr, fd_in, fd_chr_input);
    }
}

int fd_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    FDChardev *s = (FDChardev *)chr;
    ssize_t ret;

    if (s->fd_out < 0) {
        return len;
    }
    if (!s->own_fds) {
        /*
         * A blocking fd shared with other processes (stdout): write only
         * what poll() promises fits.  POLLERR here is a pipe whose reader
         * is gone; writing would raise SIGPIPE.
         */
        short rev = chr_poll_fd(s->fd_out, POLLOUT, 0);
        if (rev & (POLLERR | POLLNVAL)) {
            return -1;
        }
        if (!(rev & POLLOUT)) {
            return 0;
        }
        len = MIN(len, PIPE_BUF);
    }
    do {
        ret = write(s->fd_out, buf, len);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    }
    return ret;
}

void fd_chr_wait_writable(Chardev *chr)
{
    FDChardev *s = (FDChardev *)chr;

    if (s->fd_out >= 0) {
        chr_poll_fd(s->fd_out, POLLOUT, 1000);
    }
}

void fd_chr_close(Chardev *chr)
{
    FDChardev *s = (FDChardev *)chr;

    chr_input_watch_remove(&s->in_watch);
    if (s->own_fds) {
        if (s->fd_in >= 0) {
            close(s->fd_in);
        }
        if (s->fd_out >= 0 && s->fd_out != s->fd_in) {
            close(s->fd_out);
        }
    }
    s->fd_in = -1;
    s->fd_out = -1;
}
