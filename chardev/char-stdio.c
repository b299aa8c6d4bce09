/*
 * The stdio back-end: input from stdin, output to stdout.
 *
 * When stdin is a terminal it is put in raw mode (no echo, no line editing,
 * no CR/NL translation on input) so the guest sees every key as typed.
 * Output post-processing (OPOST, "\n" -> "\r\n") stays on, as in QEMU.
 * signal=on (the default) keeps ISIG so Ctrl-C still interrupts the
 * emulator; signal=off passes Ctrl-C to the guest (QEMU's choice for
 * "mon:stdio", i.e. -nographic).
 *
 * The terminal must never be left raw: it is restored on close, by
 * qemu_chr_cleanup(), by an atexit() handler, and by handlers for fatal
 * signals that nobody else handles.  Ctrl-Z (SIGTSTP) restores the shell's
 * settings while stopped and re-applies ours on SIGCONT.
 *
 * Only one stdio chardev can exist at a time.
 */
#include "qemu/osdep.h"
#include "chardev/char-internal.h"

#include <signal.h>
#include <termios.h>

typedef struct StdioChardev {
    FDChardev parent;
} StdioChardev;

static const QemuOptDesc stdio_opts[] = {
    { "signal", QEMU_OPT_BOOL, "Ctrl-C etc. raise signals (default on)" },
    { NULL },
};

/*
 * Terminal state, global because signal handlers need it.  Everything the
 * handlers touch is written before the handlers are installed.
 */
static bool stdio_in_use;
static volatile sig_atomic_t term_saved;   /* orig_tty holds the original */
static volatile sig_atomic_t term_changed; /* cur_tty is applied to stdin */
static struct termios orig_tty;
static struct termios cur_tty;
static bool stdio_allow_signal;
static bool atexit_done;
static bool handlers_done;

/* Fatal signals for which we restore the terminal before dying. */
static const int fatal_signals[] = {
    SIGHUP, SIGINT,  SIGQUIT, SIGILL,  SIGABRT, SIGBUS,
    SIGFPE, SIGSEGV, SIGPIPE, SIGTERM, SIGALRM,
};

/* Async-signal-safe: only tcsetattr(). */
static void term_restore(void)
{
    if (term_saved && term_changed) {
        tcsetattr(STDIN_FILENO, TCSANOW, &orig_tty);
        term_changed = 0;
    }
}

static void term_apply(const struct termios *tty)
{
    cur_tty = *tty;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &cur_tty) == 0) {
        term_changed = 1;
    }
}

static void term_atexit(void)
{
    term_restore();
}

static void term_fatal_signal(int sig)
{
    term_restore();
    /* Die the way the signal meant to, now that the terminal is sane. */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void term_install_handler(int sig, void (*fn)(int), int flags);

static bool in_foreground(void)
{
    return tcgetpgrp(STDIN_FILENO) == getpgrp();
}

static void term_tstp(int sig)
{
    int saved_errno = errno;
    bool was_changed = term_changed;

    term_restore();
    signal(SIGTSTP, SIG_DFL);
    raise(SIGTSTP);
    /* Resumed (SIGCONT): take the terminal back if we are in front. */
    term_install_handler(SIGTSTP, term_tstp, SA_NODEFER);
    if (was_changed && in_foreground() &&
        tcsetattr(STDIN_FILENO, TCSANOW, &cur_tty) == 0) {
        term_changed = 1;
    }
    errno = saved_errno;
}

/* Installs our handler only where the default action would kill us. */
static void term_install_handler(int sig, void (*fn)(int), int flags)
{
    struct sigaction old;
    struct sigaction sa;

    if (sigaction(sig, NULL, &old) < 0 || old.sa_handler != SIG_DFL ||
        (old.sa_flags & SA_SIGINFO)) {
        return;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | flags;
    sigaction(sig, &sa, NULL);
}

static void term_install_handlers(void)
{
    if (!atexit_done) {
        atexit(term_atexit);
        atexit_done = true;
    }
    if (handlers_done) {
        return;
    }
    handlers_done = true;
    for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++) {
        term_install_handler(fatal_signals[i], term_fatal_signal, 0);
    }
    /* SA_NODEFER: the raise() inside the handler must stop us at once. */
    term_install_handler(SIGTSTP, term_tstp, SA_NODEFER);
}

/*
 * echo=false: raw mode for the guest or the monitor's own line editor.
 * echo=true: the shell's settings (the front-end wants the terminal to
 * echo, e.g. QMP on stdio).
 */
static void stdio_chr_set_echo(Chardev *chr, bool echo)
{
    struct termios tty;

    if (!term_saved) {
        return; /* stdin is not a terminal */
    }
    tty = orig_tty;
    if (!echo) {
        tty.c_iflag &=
            ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
        tty.c_oflag |= OPOST;
        tty.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
        tty.c_cflag &= ~(CSIZE | PARENB);
        tty.c_cflag |= CS8;
        tty.c_cc[VMIN] = 1;
        tty.c_cc[VTIME] = 0;
    }
    if (!stdio_allow_signal) {
        tty.c_lflag &= ~ISIG;
    }
    term_apply(&tty);
}

static bool stdio_chr_open(Chardev *chr, QemuOpts *opts, bool *be_opened,
                           Error **errp)
{
    bool allow_signal;

    if (stdio_in_use) {
        error_setg(errp, "cannot use stdio by multiple character devices");
        return false;
    }
    if (!qemu_opt_get_bool(opts, "signal", true, &allow_signal, errp)) {
        return false;
    }
    stdio_allow_signal = allow_signal;
    stdio_in_use = true;

    if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &orig_tty) == 0) {
        term_saved = 1;
        term_install_handlers();
        stdio_chr_set_echo(chr, false);
    }
    /* stdin/stdout belong to the shell too: keep their blocking mode. */
    fd_chr_start(chr, STDIN_FILENO, STDOUT_FILENO, false);
    qemu_chr_set_filename(chr, g_strdup("stdio"));
    return true;
}

static void stdio_chr_close(Chardev *chr)
{
    fd_chr_close(chr);
    term_restore();
    term_saved = 0;
    stdio_in_use = false;
}

const ChardevClass char_stdio_class = {
    .name = "stdio",
    .help = "[signal=on|off]: standard input and output",
    .instance_size = sizeof(StdioChardev),
    .opts = stdio_opts,
    .open = stdio_chr_open,
    .chr_write = fd_chr_write,
    .chr_set_echo = stdio_chr_set_echo,
    .chr_wait_writable = fd_chr_wait_writable,
    .chr_close = stdio_chr_close,
};
