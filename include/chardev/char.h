/*
 * Character devices: host-side byte streams (stdio, files, sockets, ptys)
 * that guest devices (serial ports) and the monitor talk through.
 *
 * A Chardev is the back-end; a CharBackend is a front-end's handle on one.
 * Each back-end is a const ChardevClass vtable.  Back-ends watch their host
 * file descriptors with GSources on the main context and deliver input only
 * as fast as the front-end takes it: they read from the host only while
 * qemu_chr_be_can_write() > 0, and a front-end that becomes ready again
 * calls qemu_chr_fe_accept_input(), so input the guest has not read yet
 * stays in the host's buffers and is never dropped.
 *
 * All input from the host enters through qemu_chr_be_write(): that is the
 * one place record/replay hooks character input.
 *
 * The mux ("mon:stdio", "-chardev ...,mux=on", -nographic) puts up to four
 * front-ends on one back-end; the escape character Ctrl-A switches between
 * them (Ctrl-A c), quits (Ctrl-A x), prints help (Ctrl-A h), sends Ctrl-A
 * itself (Ctrl-A a), and sends a break (Ctrl-A b).
 */
#ifndef CHARDEV_CHAR_H
#define CHARDEV_CHAR_H

#include "qemu/osdep.h"
#include "qemu/error.h"
#include "qemu/option.h"

typedef enum QEMUChrEvent {
    CHR_EVENT_BREAK,   /* serial break (Ctrl-A b on the mux) */
    CHR_EVENT_OPENED,  /* the back-end is connected (socket client came) */
    CHR_EVENT_MUX_IN,  /* the mux gave this front-end the focus */
    CHR_EVENT_MUX_OUT, /* the mux took the focus away */
    CHR_EVENT_CLOSED,  /* the peer went away (socket closed, EOF) */
} QEMUChrEvent;

/* How many bytes the front-end can take now (0: none). */
typedef int IOCanReadHandler(void *opaque);
typedef void IOReadHandler(void *opaque, const uint8_t *buf, int size);
typedef void IOEventHandler(void *opaque, QEMUChrEvent event);

typedef struct Chardev Chardev;
typedef struct CharBackend CharBackend;

typedef struct ChardevClass {
    const char *name;     /* the back-end name: "stdio", "socket", ... */
    const char *help;     /* one line for "-chardev help" */
    size_t instance_size; /* >= sizeof(Chardev); the struct embeds it */
    /*
     * Keys the back-end accepts besides the common ones (id, mux, logfile,
     * logappend); NULL-name terminated.
     */
    const QemuOptDesc *opts;
    /*
     * Opens the back-end from its options.  Sets *be_opened to false if the
     * back-end is not connected yet (a listening socket), so the
     * CHR_EVENT_OPENED comes later.
     */
    bool (*open)(Chardev *chr, QemuOpts *opts, bool *be_opened, Error **errp);
    /*
     * Writes up to len bytes without blocking; returns the number written
     * (0 if the host would block), or -1 if the back-end is disconnected
     * (the bytes are then discarded, as QEMU does).
     */
    int (*chr_write)(Chardev *chr, const uint8_t *buf, int len);
    /* The front-end may take input again: (re)start watching for input. */
    void (*chr_update_read_handler)(Chardev *chr);
    /* Front-end opened/closed (used by the mux to track focus). */
    void (*chr_set_fe_open)(Chardev *chr, int fe_open);
    /* Terminal echo on/off (stdio; used by the monitor's readline). */
    void (*chr_set_echo)(Chardev *chr, bool echo);
    /* Waits until the host can take more output (for write_all). */
    void (*chr_wait_writable)(Chardev *chr);
    /* Frees host resources; the Chardev itself is freed by the caller. */
    void (*chr_close)(Chardev *chr);
} ChardevClass;

struct Chardev {
    const ChardevClass *cls;
    char *label;     /* the id */
    char *filename;  /* description shown by "info chardev" */
    CharBackend *be; /* the front-end, or the mux's own */
    bool be_open;    /* connected */
    int logfd;       /* logfile=, or -1 */
};

struct CharBackend {
    Chardev *chr;
    IOEventHandler *chr_event;
    IOCanReadHandler *chr_can_read;
    IOReadHandler *chr_read;
    void *opaque;
    int tag; /* index on a mux */
    bool fe_open;
};

/* Back-end registry: every back-end registers its class at start-up. */
void qemu_chr_register_class(const ChardevClass *cls);
const ChardevClass *qemu_chr_find_class(const char *name);
void qemu_chr_register_builtin_classes(void);
/* Prints "Available chardev backend types:" and the names. */
void qemu_chr_print_help(FILE *f);

/*
 * Creates a chardev from -chardev options (backend is the implied key;
 * "id" is required; "mux=on" puts a mux in front of it).
 */
Chardev *qemu_chr_new_from_opts(QemuOpts *opts, Error **errp);
/*
 * Creates a chardev from the legacy syntax of -serial, -monitor, -parallel
 * and -debugcon: "stdio", "null", "none", "vc", "pty", "file:PATH",
 * "pipe:PATH", "tcp:[HOST]:PORT[,server=on,wait=off,nodelay=on]",
 * "telnet:...", "unix:PATH[,server=on,...]", "chardev:ID", "mon:SPEC"
 * (a mux with a monitor on it; the caller attaches the monitor), or a
 * host device path ("/dev/ttyS0").  "none" returns NULL without error.
 */
Chardev *qemu_chr_new(const char *label, const char *spec, Error **errp);
/*
 * Parses a -chardev argument ("socket,id=s,port=4444,server,nowait").
 * Unlike a plain qemu_opts_parse(), it knows the back-end's keys, so the
 * deprecated short booleans read as QEMU reads them ("nowait" is wait=off)
 * and unknown keys are reported at once.
 */
QemuOpts *qemu_chr_parse_opts(const char *params, Error **errp);
/*
 * Converts a legacy spec to -chardev options (for canonical config text).
 * "none" and "chardev:ID" create nothing and are not converted (error).
 */
QemuOpts *qemu_chr_parse_compat(const char *label, const char *spec,
                                Error **errp);
Chardev *qemu_chr_find(const char *label);
/* Closes one chardev and frees it. */
void qemu_chr_delete(Chardev *chr);
/* Closes every chardev (terminal restored); safe to call more than once. */
void qemu_chr_cleanup(void);
/* Iterates chardevs in creation order (for "info chardev"). */
void qemu_chr_foreach(void (*fn)(Chardev *chr, void *opaque), void *opaque);
/* True if chr is a mux (or the mux in front of a back-end). */
bool qemu_chr_is_mux(Chardev *chr);
/*
 * True for a legacy "mon:SPEC": qemu_chr_new() then returns a mux and the
 * caller attaches a monitor to it.  Attach the monitor before the device
 * (serial port) that shares it: the last front-end to install handlers has
 * the focus, so the console, not the monitor, gets the keyboard at start,
 * as in QEMU.
 */
bool qemu_chr_spec_is_mon(const char *spec);
/*
 * What Ctrl-A x on a mux does after printing "QEMU: Terminated".  The main
 * loop installs a function that requests shutdown (it must not free
 * chardevs from inside the call).  NULL, the default, means
 * qemu_chr_cleanup() then exit(0).
 */
void qemu_chr_set_quit_handler(void (*fn)(void));

/* ---- front-end API ---- */

/*
 * Attaches a front-end.  A plain chardev takes one front-end; a mux takes
 * up to four.  Fails if the chardev is already in use.
 */
bool qemu_chr_fe_init(CharBackend *b, Chardev *s, Error **errp);
void qemu_chr_fe_deinit(CharBackend *b, bool del);
/*
 * Installs the handlers.  set_open marks the front-end open (the mux then
 * knows it can focus it).  Passing all NULL handlers detaches input.
 */
void qemu_chr_fe_set_handlers(CharBackend *b, IOCanReadHandler *fd_can_read,
                              IOReadHandler *fd_read, IOEventHandler *fd_event,
                              void *opaque, bool set_open);
/* Non-blocking; returns bytes taken (may be short), -1 if disconnected. */
int qemu_chr_fe_write(CharBackend *be, const uint8_t *buf, int len);
/* Writes everything, waiting for the host if needed; returns len or -1. */
int qemu_chr_fe_write_all(CharBackend *be, const uint8_t *buf, int len);
void qemu_chr_fe_printf(CharBackend *be, const char *fmt, ...)
    QEMU_PRINTF(2, 3);
/* The front-end can take more input now. */
void qemu_chr_fe_accept_input(CharBackend *be);
/* On a mux, gives this front-end the focus (no-op otherwise). */
void qemu_chr_fe_take_focus(CharBackend *b);
void qemu_chr_fe_set_echo(CharBackend *be, bool echo);
bool qemu_chr_fe_backend_connected(CharBackend *be);
Chardev *qemu_chr_fe_get_driver(CharBackend *be);

/* ---- back-end API (for back-end implementations) ---- */

/* How many bytes the front-end (or the mux's focused one) can take. */
int qemu_chr_be_can_write(Chardev *s);
/* Delivers host input to the front-end (the record/replay hook point). */
void qemu_chr_be_write(Chardev *s, const uint8_t *buf, int len);
void qemu_chr_be_event(Chardev *s, QEMUChrEvent event);

#endif
