/*
 * Private interfaces shared by the character-device back-ends.
 *
 * Not for front-ends: they use include/chardev/char.h only.
 */
#ifndef CHARDEV_CHAR_INTERNAL_H
#define CHARDEV_CHAR_INTERNAL_H

#include "chardev/char.h"

/*
 * Flow-controlled input watch.
 *
 * A GSource on the default main context that polls fd for input only while
 * qemu_chr_be_can_write(chr) > 0.  The check runs in the source's prepare
 * step, before every poll, so the front-end's readiness is re-read on each
 * main-loop iteration and host input stays in the host's buffers while the
 * front-end cannot take it.  While not wanted, the fd is removed from the
 * poll set altogether: a hung-up fd would otherwise report POLLHUP on every
 * iteration and make the loop spin.
 *
 * fn is called when fd is readable (or hung up / in error); on EOF or a
 * disconnect it removes the watch with chr_input_watch_remove().
 */
typedef struct ChrInputWatch ChrInputWatch;
typedef void ChrInputFunc(Chardev *chr, GIOCondition cond);
ChrInputWatch *chr_input_watch_new(Chardev *chr, int fd, ChrInputFunc *fn);
/* Destroys *w (if any) and sets it to NULL; safe from inside fn. */
void chr_input_watch_remove(ChrInputWatch **w);

/*
 * Back-ends built on one input fd and one output fd (stdio, file, pipe,
 * host serial tty).
 */
typedef struct FDChardev {
    Chardev parent;
    int fd_in;    /* -1: no input */
    int fd_out;   /* -1: output discarded */
    bool own_fds; /* ours: non-blocking, closed on close */
    ChrInputWatch *in_watch;
} FDChardev;

/*
 * Starts an fd back-end.  Fds we own are made non-blocking; fds we do not
 * own (stdin, stdout) keep their flags, because the file description is
 * shared with the shell, and are only read/written once poll() says they
 * are ready.
 */
void fd_chr_start(Chardev *chr, int fd_in, int fd_out, bool own_fds);
int fd_chr_write(Chardev *chr, const uint8_t *buf, int len);
void fd_chr_wait_writable(Chardev *chr);
void fd_chr_close(Chardev *chr);

/*
 * Reads at most what the front-end can take from fd and delivers it with
 * qemu_chr_be_write().  Returns the number of bytes delivered, 0 if there
 * was nothing to do, -1 on EOF (errno 0) or a read error (errno set).
 */
int chr_fd_read(Chardev *chr, int fd);

/* The back-end classes (each in its own file). */
extern const ChardevClass char_null_class;
extern const ChardevClass char_vc_class;
extern const ChardevClass char_stdio_class;
extern const ChardevClass char_file_class;
extern const ChardevClass char_pipe_class;
extern const ChardevClass char_serial_class;
extern const ChardevClass char_tty_class;
extern const ChardevClass char_socket_class;
extern const ChardevClass char_udp_class;
extern const ChardevClass char_pty_class;
extern const ChardevClass char_mux_class;

/* ---- mux (char-mux.c), called by char.c ---- */

#define MAX_MUX 4

/* Wraps base (already created) in a new mux labelled label. */
Chardev *mux_chr_new(const char *label, Chardev *base, Error **errp);
Chardev *mux_chr_get_base(Chardev *mux);
/* Attaches a front-end; false if all MAX_MUX slots are taken. */
bool mux_chr_attach_fe(Chardev *mux, CharBackend *b);
void mux_chr_detach_fe(Chardev *mux, CharBackend *b);
/* Front-end b installed its handlers (set_handlers). */
void mux_chr_fe_handlers_set(Chardev *mux, CharBackend *b, bool fe_open);
void mux_chr_set_focus_fe(Chardev *mux, CharBackend *b);
void mux_chr_accept_input(Chardev *mux, CharBackend *b);
/* Called on the quit key (Ctrl-A x). */
void qemu_chr_quit_request(void);

/* ---- char.c helpers for back-ends ---- */

/* Writes through the class, logging to logfile=; all: wait until done. */
int qemu_chr_write(Chardev *s, const uint8_t *buf, int len, bool all);
/* Sets chr->filename (takes ownership of the string). */
void qemu_chr_set_filename(Chardev *chr, char *filename);
/* Runs fd_chr-style poll() on one fd; returns revents (0 on timeout). */
short chr_poll_fd(int fd, short events, int timeout_ms);

#endif
