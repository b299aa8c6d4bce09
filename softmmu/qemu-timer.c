/*
 * Clocks and timer lists (see qemu/timer.h).
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include <time.h>

typedef struct QEMUClock {
    QEMUTimer *active; /* sorted by expire_time, earliest first */
    QEMUClockSource *source;
    bool enabled;
} QEMUClock;

static QEMUClock clocks[QEMU_CLOCK_MAX] = {
    [QEMU_CLOCK_REALTIME] = { .enabled = true },
    [QEMU_CLOCK_VIRTUAL] = { .enabled = true },
    [QEMU_CLOCK_HOST] = { .enabled = true },
};
static QEMUClockNotifyCB *clock_notify;

int64_t get_clock(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * NANOSECONDS_PER_SECOND + ts.tv_nsec;
}

int64_t get_clock_realtime(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * NANOSECONDS_PER_SECOND + ts.tv_nsec;
}

/*
 * Until the CPU timers code installs the icount-based source, the virtual
 * clock stands still at 0: nothing may advance guest time behind the
 * instruction count's back.
 */
static int64_t virtual_clock_default(void)
{
    return 0;
}

int64_t qemu_clock_get_ns(QEMUClockType type)
{
    QEMUClock *c = &clocks[type];

    if (c->source) {
        return c->source();
    }
    switch (type) {
    case QEMU_CLOCK_REALTIME:
        return get_clock();
    case QEMU_CLOCK_HOST:
        return get_clock_realtime();
    case QEMU_CLOCK_VIRTUAL:
        return virtual_clock_default();
    default:
        g_assert_not_reached();
    }
}

void qemu_clock_set_source(QEMUClockType type, QEMUClockSource *src)
{
    clocks[type].source = src;
}

void qemu_clock_set_notify(QEMUClockNotifyCB *cb)
{
    clock_notify = cb;
}

void qemu_clock_enable(QEMUClockType type, bool enabled)
{
    clocks[type].enabled = enabled;
}

bool qemu_clock_is_enabled(QEMUClockType type)
{
    return clocks[type].enabled;
}

void timer_init_full(QEMUTimer *t, QEMUClockType type, int scale,
                     QEMUTimerCB *cb, void *opaque)
{
    g_assert(type >= 0 && type < QEMU_CLOCK_MAX);
    t->type = type;
    t->scale = scale;
    t->cb = cb;
    t->opaque = opaque;
    t->expire_time = -1;
    t->next = NULL;
}

QEMUTimer *timer_new_full(QEMUClockType type, int scale, QEMUTimerCB *cb,
                          void *opaque)
{
    QEMUTimer *t = g_new0(QEMUTimer, 1);

    timer_init_full(t, type, scale, cb, opaque);
    return t;
}

void timer_free(QEMUTimer *t)
{
    if (t) {
        timer_del(t);
        g_free(t);
    }
}

void timer_del(QEMUTimer *t)
{
    QEMUTimer **pt;

    if (t->expire_time < 0) {
        return;
    }
    for (pt = &clocks[t->type].active; *pt; pt = &(*pt)->next) {
        if (*pt == t) {
            *pt = t->next;
            break;
        }
    }
    t->next = NULL;
    t->expire_time = -1;
}

bool timer_pending(const QEMUTimer *t)
{
    return t->expire_time >= 0;
}

int64_t timer_expire_time_ns(const QEMUTimer *t)
{
    return t->expire_time;
}

void timer_mod_ns(QEMUTimer *t, int64_t expire_ns)
{
    QEMUClock *c = &clocks[t->type];
    QEMUTimer **pt;

    timer_del(t);
    if (expire_ns < 0) {
        expire_ns = 0;
    }
    /*
     * Insert after every timer with the same or an earlier expiry, so
     * timers due at the same time run in the order they were armed.
     */
    for (pt = &c->active; *pt; pt = &(*pt)->next) {
        if ((*pt)->expire_time > expire_ns) {
            break;
        }
    }
    t->expire_time = expire_ns;
    t->next = *pt;
    *pt = t;
    if (pt == &c->active && clock_notify) {
        clock_notify(t->type);
    }
}

void timer_mod(QEMUTimer *t, int64_t expire_time)
{
    int64_t ns;

    /* Saturate instead of overflowing for far-future deadlines. */
    if (expire_time > INT64_MAX / t->scale) {
        ns = INT64_MAX;
    } else {
        ns = expire_time * t->scale;
    }
    timer_mod_ns(t, ns);
}

void timer_mod_anticipate(QEMUTimer *t, int64_t expire_time)
{
    int64_t ns =
        expire_time > INT64_MAX / t->scale ? INT64_MAX : expire_time * t->scale;

    if (!timer_pending(t) || ns < t->expire_time) {
        timer_mod_ns(t, ns);
    }
}

int64_t qemu_clock_next_deadline(QEMUClockType type)
{
    QEMUClock *c = &clocks[type];

    return c->active ? c->active->expire_time : INT64_MAX;
}

int64_t qemu_clock_deadline_ns(QEMUClockType type)
{
    QEMUClock *c = &clocks[type];
    int64_t delta;

    if (!c->active || !c->enabled) {
        return -1;
    }
    delta = c->active->expire_time - qemu_clock_get_ns(type);
    return delta > 0 ? delta : 0;
}

bool qemu_clock_run_timers(QEMUClockType type)
{
    QEMUClock *c = &clocks[type];
    bool ran = false;
    int64_t now;

    if (!c->enabled) {
        return false;
    }
    now = qemu_clock_get_ns(type);
    while (c->active && c->active->expire_time <= now) {
        QEMUTimer *t = c->active;

        /* Unlink first: the callback may re-arm or free the timer. */
        c->active = t->next;
        t->next = NULL;
        t->expire_time = -1;
        t->cb(t->opaque);
        ran = true;
        /* A callback may have moved guest time (it cannot today). */
        now = qemu_clock_get_ns(type);
    }
    return ran;
}

bool qemu_clock_run_all_timers(void)
{
    bool ran = false;

    ran |= qemu_clock_run_timers(QEMU_CLOCK_REALTIME);
    ran |= qemu_clock_run_timers(QEMU_CLOCK_HOST);
    ran |= qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL);
    return ran;
}
