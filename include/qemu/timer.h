/*
 * Clocks and timers.
 *
 * QEMU_CLOCK_VIRTUAL is guest time.  It is derived from the instruction
 * count (see sysemu/cpu-timers.h): ns = bias + (icount << shift), so it is
 * deterministic and stops while the VM is stopped.  Every guest-visible
 * timer (PIT, RTC periodic, APIC, PM timer, TSC) runs on it.
 *
 * QEMU_CLOCK_HOST is the host's wall clock (CLOCK_REALTIME).  It is read
 * only through qemu_clock_get_ns(QEMU_CLOCK_HOST), the one place replay
 * intercepts, so a device that needs the date (the RTC at start-up, -rtc
 * clock=host) gets a value that replays.
 *
 * QEMU_CLOCK_REALTIME is host monotonic time, for the user interface only
 * (cursor blink, monitor, display refresh); nothing guest-visible may
 * depend on it.
 *
 * Timers on each clock are kept sorted by deadline; callbacks run from the
 * main loop (qemu_clock_run_timers), in deadline order, never from inside
 * the CPU loop.
 */
#ifndef QEMU_TIMER_H
#define QEMU_TIMER_H

#include "qemu/osdep.h"

#define NANOSECONDS_PER_SECOND 1000000000LL
#define SCALE_MS               1000000
#define SCALE_US               1000
#define SCALE_NS               1

typedef enum QEMUClockType {
    QEMU_CLOCK_REALTIME = 0,
    QEMU_CLOCK_VIRTUAL = 1,
    QEMU_CLOCK_HOST = 2,
    QEMU_CLOCK_MAX
} QEMUClockType;

typedef void QEMUTimerCB(void *opaque);

typedef struct QEMUTimer {
    int64_t expire_time; /* in ns; -1 when not pending */
    QEMUClockType type;
    QEMUTimerCB *cb;
    void *opaque;
    int scale;
    struct QEMUTimer *next;
} QEMUTimer;

int64_t qemu_clock_get_ns(QEMUClockType type);
static inline int64_t qemu_clock_get_ms(QEMUClockType type)
{
    return qemu_clock_get_ns(type) / SCALE_MS;
}
static inline int64_t qemu_clock_get_us(QEMUClockType type)
{
    return qemu_clock_get_ns(type) / SCALE_US;
}

/* Initialises t in place (for timers embedded in device state). */
void timer_init_full(QEMUTimer *t, QEMUClockType type, int scale,
                     QEMUTimerCB *cb, void *opaque);
QEMUTimer *timer_new_full(QEMUClockType type, int scale, QEMUTimerCB *cb,
                          void *opaque);
static inline QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new_full(type, SCALE_NS, cb, opaque);
}
static inline QEMUTimer *timer_new_ms(QEMUClockType type, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new_full(type, SCALE_MS, cb, opaque);
}
/* Deletes (if pending) and frees. */
void timer_free(QEMUTimer *t);
/* Arms the timer at expire_time (in the timer's scale). */
void timer_mod(QEMUTimer *t, int64_t expire_time);
void timer_mod_ns(QEMUTimer *t, int64_t expire_ns);
/* Arms only if not pending or the new time is earlier. */
void timer_mod_anticipate(QEMUTimer *t, int64_t expire_time);
void timer_del(QEMUTimer *t);
bool timer_pending(const QEMUTimer *t);
/* Expiry in ns, or -1. */
int64_t timer_expire_time_ns(const QEMUTimer *t);

/*
 * Nanoseconds until the earliest timer on this clock is due: 0 if one is
 * already due, -1 if none is pending.
 */
int64_t qemu_clock_deadline_ns(QEMUClockType type);
/* Absolute time of the earliest pending timer, or INT64_MAX. */
int64_t qemu_clock_next_deadline(QEMUClockType type);
/*
 * Runs the callbacks of all timers on the clock that are due, earliest
 * first (a callback may re-arm its own or other timers; a timer re-armed
 * to a time already due runs again in the same call).  Returns true if any
 * ran.  Does nothing for QEMU_CLOCK_VIRTUAL while the clock is disabled
 * (the VM is stopped).
 */
bool qemu_clock_run_timers(QEMUClockType type);
/* Runs REALTIME, HOST and VIRTUAL timers. */
bool qemu_clock_run_all_timers(void);
void qemu_clock_enable(QEMUClockType type, bool enabled);
bool qemu_clock_is_enabled(QEMUClockType type);

/*
 * Called when a timer's deadline moves earlier than the previous earliest
 * one, so the main loop (or the CPU loop, for the virtual clock) can shorten
 * its wait.  Set by the main loop; the default does nothing.
 */
typedef void QEMUClockNotifyCB(QEMUClockType type);
void qemu_clock_set_notify(QEMUClockNotifyCB *cb);

/*
 * The sources of the clocks.  The virtual clock's source is installed by
 * the CPU timers code; tests install their own.  The host clock's source
 * is where replay hooks in.  Passing NULL restores the default.
 */
typedef int64_t QEMUClockSource(void);
void qemu_clock_set_source(QEMUClockType type, QEMUClockSource *src);

/* Host clocks, for the default sources and for host-side code. */
int64_t get_clock_realtime(void); /* CLOCK_REALTIME, ns */
int64_t get_clock(void);          /* CLOCK_MONOTONIC, ns */

#endif
