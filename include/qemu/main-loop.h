/*
 * The main loop: one thread, one GLib main context (the default one).
 *
 * Host-side sources (chardev file descriptors, sockets, signals, the
 * monitor) are GSources attached to g_main_context_default().  The main
 * loop alternates between running the CPU for a budget of instructions,
 * running due timers, and polling those sources: without blocking while
 * the guest runs, blocking while it is halted or stopped and nothing is due
 * (see softmmu/main-loop.c and docs/devel/main-loop.md).
 */
#ifndef QEMU_MAIN_LOOP_H
#define QEMU_MAIN_LOOP_H

#include "qemu/osdep.h"

/* Sets up the context, the wake-up pipe and signal handling. */
void qemu_init_main_loop(void);

/*
 * Polls host sources once, waiting at most timeout_ns (0: don't block,
 * -1: until something happens), dispatches ready ones, then runs due
 * REALTIME and HOST timers.  Returns true if anything was dispatched.
 */
bool main_loop_wait(int64_t timeout_ns);

/* Wakes a blocked main_loop_wait() (safe from signal handlers). */
void qemu_notify_event(void);

/* Convenience wrapper for file descriptors; NULL handlers remove it. */
typedef void IOHandler(void *opaque);
void qemu_set_fd_handler(int fd, IOHandler *fd_read, IOHandler *fd_write,
                         void *opaque);

/* Bottom halves: callbacks run from the main loop at its next iteration. */
typedef struct QEMUBH QEMUBH;
typedef void QEMUBHFunc(void *opaque);
QEMUBH *qemu_bh_new(QEMUBHFunc *cb, void *opaque);
void qemu_bh_schedule(QEMUBH *bh);
void qemu_bh_cancel(QEMUBH *bh);
void qemu_bh_delete(QEMUBH *bh);
/* Runs scheduled bottom halves; returns true if any ran. */
bool qemu_bh_poll(void);

#endif
