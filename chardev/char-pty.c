/*
 * The pty back-end: a new pseudo-terminal whose slave side (/dev/pts/N) a
 * terminal program opens to talk to the guest.
 *
 * While nobody has the slave open the master reports POLLHUP and reads fail
 * with EIO.  We then stop polling the master (a HUP would wake the loop
 * forever), discard output, and look again once a second, as QEMU does.
 * Someone opening the slave makes the chardev connected (CHR_EVENT_OPENED);
 * the last one closing it disconnects it (CHR_EVENT_CLOSED).
 */
#include "qemu/osdep.h"
#include "chardev/char-internal.h"

#include <poll.h>
#include <pty.h>
#include <termios.h>

#define PTY_RECHECK_MS 1000

typedef struct PtyChardev {
    Chardev parent;
    int master;
    bool connected;
    ChrInputWatch *in_watch;
    guint timer_tag; /* reconnection check while disconnected */
    guint idle_tag;  /* an early check, scheduled by a write */
} PtyChardev;

static gboolean pty_timer(gpointer opaque);

static bool pty_slave_is_open(PtyChardev *s)
{
    return !(chr_poll_fd(s->master, 0, 0) & POLLHUP);
}

static void pty_input(Chardev *chr, GIOCondition cond);

static void pty_set_connected(PtyChardev *s, bool connected)
{
    Chardev *chr = &s->parent;

    if (s->connected == connected) {
        return;
    }
    s->connected = connected;
    if (connected) {
        if (s->timer_tag) {
            g_source_remove(s->timer_tag);
            s->timer_tag = 0;
        }
        s->in_watch = chr_input_watch_new(chr, s->master, pty_input);
        qemu_chr_be_event(chr, CHR_EVENT_OPENED);
    } else {
        chr_input_watch_remove(&s->in_watch);
        if (!s->timer_tag) {
            s->timer_tag = g_timeout_add(PTY_RECHECK_MS, pty_timer, s);
        }
        qemu_chr_be_event(chr, CHR_EVENT_CLOSED);
    }
}

static gboolean pty_timer(gpointer opaque)
{
    PtyChardev *s = opaque;

    if (!pty_slave_is_open(s)) {
        return G_SOURCE_CONTINUE;
    }
    s->timer_tag = 0;
    pty_set_connected(s, true);
    return G_SOURCE_REMOVE;
}

static gboolean pty_idle_check(gpointer opaque)
{
    PtyChardev *s = opaque;

    s->idle_tag = 0;
    if (!s->connected && pty_slave_is_open(s)) {
        pty_set_connected(s, true);
    }
    return G_SOURCE_REMOVE;
}

static void pty_input(Chardev *chr, GIOCondition cond)
{
    PtyChardev *s = (PtyChardev *)chr;
    int ret = chr_fd_read(chr, s->master);

    /* EIO (or a HUP with nothing left to read): the slave was closed. */
    if (ret < 0 ||
        (ret == 0 && (cond & G_IO_HUP) && qemu_chr_be_can_write(chr) > 0)) {
        pty_set_connected(s, false);
    }
}

static int pty_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    PtyChardev *s = (PtyChardev *)chr;
    ssize_t ret;

    if (!s->connected) {
        if (!pty_slave_is_open(s)) {
            return len; /* nobody listening: discard, never block */
        }
        /*
         * Opened since the last check: write rather than lose the output,
         * and announce the connection from the main loop, not from inside
         * the front-end's write.
         */
        if (!s->idle_tag) {
            s->idle_tag =
                g_idle_add_full(G_PRIORITY_DEFAULT, pty_idle_check, s, NULL);
        }
    }
    do {
        ret = write(s->master, buf, len);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return 0; /* a connected reader that is slow: wait for it */
        }
        return len; /* slave just closed (EIO): discard */
    }
    return ret;
}

static void pty_chr_wait_writable(Chardev *chr)
{
    PtyChardev *s = (PtyChardev *)chr;

    /* Returns on POLLHUP too: the next write then discards. */
    chr_poll_fd(s->master, POLLOUT, PTY_RECHECK_MS);
}

static bool pty_chr_open(Chardev *chr, QemuOpts *opts, bool *be_opened,
                         Error **errp)
{
    PtyChardev *s = (PtyChardev *)chr;
    int master;
    int slave;
    char name[PATH_MAX];
    struct termios tty;
    int flags;

    if (openpty(&master, &slave, name, NULL, NULL) < 0) {
        error_setg_errno(errp, errno, "Failed to create a pseudo-terminal");
        return false;
    }
    /* Raw, so the guest's bytes pass unchanged; the setting stays with the
     * pty after we close our slave fd. */
    if (tcgetattr(slave, &tty) == 0) {
        cfmakeraw(&tty);
        tcsetattr(slave, TCSAFLUSH, &tty);
    }
    close(slave);

    flags = fcntl(master, F_GETFL);
    fcntl(master, F_SETFL, flags | O_NONBLOCK);
    fcntl(master, F_SETFD, FD_CLOEXEC);
    s->master = master;
    s->connected = false;
    s->timer_tag = g_timeout_add(PTY_RECHECK_MS, pty_timer, s);

    /* The line QEMU prints; tools parse it to find the pty. */
    fprintf(stderr, "char device redirected to %s (label %s)\n", name,
            chr->label);
    fflush(stderr);
    qemu_chr_set_filename(chr, g_strdup_printf("pty:%s", name));
    *be_opened = false;
    return true;
}

static void pty_chr_close(Chardev *chr)
{
    PtyChardev *s = (PtyChardev *)chr;

    chr_input_watch_remove(&s->in_watch);
    if (s->timer_tag) {
        g_source_remove(s->timer_tag);
        s->timer_tag = 0;
    }
    if (s->idle_tag) {
        g_source_remove(s->idle_tag);
        s->idle_tag = 0;
    }
    close(s->master);
    s->master = -1;
}

const ChardevClass char_pty_class = {
    .name = "pty",
    .help = "a new pseudo-terminal (/dev/pts/N)",
    .instance_size = sizeof(PtyChardev),
    .open = pty_chr_open,
    .chr_write = pty_chr_write,
    .chr_wait_writable = pty_chr_wait_writable,
    .chr_close = pty_chr_close,
};
