/*
 * Timer lists: ordering, modify/delete, deadlines, callbacks that re-arm.
 * The virtual clock's source is replaced by a variable the test sets.
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"

static int64_t fake_now;
static GString *trace;

static int64_t fake_clock(void)
{
    return fake_now;
}

static void record_cb(void *opaque)
{
    g_string_append_printf(trace, "%s@%" PRId64 " ", (const char *)opaque,
                           fake_now);
}

static void setup(void)
{
    fake_now = 0;
    qemu_clock_set_source(QEMU_CLOCK_VIRTUAL, fake_clock);
    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, true);
    if (trace) {
        g_string_free(trace, TRUE);
    }
    trace = g_string_new(NULL);
}

static void test_order(void)
{
    QEMUTimer *a, *b, *c, *d;

    setup();
    a = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, "a");
    b = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, "b");
    c = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, "c");
    d = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, "d");
    timer_mod(c, 300);
    timer_mod(a, 100);
    timer_mod(b, 200);
    /* Same deadline as b, armed later: runs after b. */
    timer_mod(d, 200);
    g_assert_cmpint(qemu_clock_deadline_ns(QEMU_CLOCK_VIRTUAL), ==, 100);
    g_assert_cmpint(qemu_clock_next_deadline(QEMU_CLOCK_VIRTUAL), ==, 100);

    fake_now = 99;
    g_assert_false(qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL));
    g_assert_cmpstr(trace->str, ==, "");
    fake_now = 250;
    g_assert_true(qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL));
    g_assert_cmpstr(trace->str, ==, "a@250 b@250 d@250 ");
    g_assert_false(timer_pending(a));
    g_assert_true(timer_pending(c));
    g_assert_cmpint(qemu_clock_deadline_ns(QEMU_CLOCK_VIRTUAL), ==, 50);
    fake_now = 1000;
    qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL);
    g_assert_cmpstr(trace->str, ==, "a@250 b@250 d@250 c@1000 ");
    g_assert_cmpint(qemu_clock_deadline_ns(QEMU_CLOCK_VIRTUAL), ==, -1);
    g_assert_cmpint(qemu_clock_next_deadline(QEMU_CLOCK_VIRTUAL), ==,
                    INT64_MAX);
    timer_free(a);
    timer_free(b);
    timer_free(c);
    timer_free(d);
}

static void test_mod_del(void)
{
    QEMUTimer *a, *b;

    setup();
    a = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, "a");
    b = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, "b");
    timer_mod(a, 100);
    timer_mod(b, 200);
    /* Moving a later puts it after b. */
    timer_mod(a, 300);
    g_assert_cmpint(timer_expire_time_ns(a), ==, 300);
    g_assert_cmpint(qemu_clock_deadline_ns(QEMU_CLOCK_VIRTUAL), ==, 200);
    timer_del(b);
    g_assert_false(timer_pending(b));
    g_assert_cmpint(timer_expire_time_ns(b), ==, -1);
    timer_del(b); /* deleting twice is harmless */
    g_assert_cmpint(qemu_clock_deadline_ns(QEMU_CLOCK_VIRTUAL), ==, 300);
    fake_now = 400;
    qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL);
    g_assert_cmpstr(trace->str, ==, "a@400 ");

    /* anticipate: only moves earlier. */
    timer_mod(a, 1000);
    timer_mod_anticipate(a, 2000);
    g_assert_cmpint(timer_expire_time_ns(a), ==, 1000);
    timer_mod_anticipate(a, 500);
    g_assert_cmpint(timer_expire_time_ns(a), ==, 500);
    timer_free(a);
    timer_free(b);
}

static void test_scale(void)
{
    QEMUTimer *t;

    setup();
    t = timer_new_ms(QEMU_CLOCK_VIRTUAL, record_cb, "ms");
    timer_mod(t, 5);
    g_assert_cmpint(timer_expire_time_ns(t), ==, 5 * SCALE_MS);
    /* Far-future deadlines saturate instead of overflowing. */
    timer_mod(t, INT64_MAX / 2);
    g_assert_cmpint(timer_expire_time_ns(t), ==, INT64_MAX);
    timer_free(t);
}

static QEMUTimer *periodic;
static int periodic_count;

static void periodic_cb(void *opaque)
{
    periodic_count++;
    g_string_append_printf(trace, "p%d ", periodic_count);
    if (periodic_count < 3) {
        /* Re-armed to a time already due: runs again in the same call. */
        timer_mod(periodic, fake_now);
    }
}

static QEMUTimer *victim;

static void killer_cb(void *opaque)
{
    g_string_append(trace, "killer ");
    timer_del(victim);
}

static void test_callbacks(void)
{
    QEMUTimer *k;

    setup();
    periodic_count = 0;
    periodic = timer_new_ns(QEMU_CLOCK_VIRTUAL, periodic_cb, NULL);
    fake_now = 100;
    timer_mod(periodic, 50);
    qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL);
    g_assert_cmpint(periodic_count, ==, 3);
    g_assert_cmpstr(trace->str, ==, "p1 p2 p3 ");
    timer_free(periodic);

    /* A callback deleting a later due timer stops it from running. */
    g_string_truncate(trace, 0);
    k = timer_new_ns(QEMU_CLOCK_VIRTUAL, killer_cb, NULL);
    victim = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, "victim");
    timer_mod(k, 10);
    timer_mod(victim, 20);
    fake_now = 30;
    qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL);
    g_assert_cmpstr(trace->str, ==, "killer ");
    timer_free(k);
    timer_free(victim);
}

static void test_disabled(void)
{
    QEMUTimer *t;

    setup();
    t = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, "t");
    timer_mod(t, 10);
    fake_now = 20;
    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, false);
    /* A stopped VM's timers neither run nor report a deadline. */
    g_assert_false(qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL));
    g_assert_cmpint(qemu_clock_deadline_ns(QEMU_CLOCK_VIRTUAL), ==, -1);
    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, true);
    g_assert_true(qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL));
    g_assert_cmpstr(trace->str, ==, "t@20 ");
    timer_free(t);
}

static int notify_count;

static void notify_cb(QEMUClockType type)
{
    if (type == QEMU_CLOCK_VIRTUAL) {
        notify_count++;
    }
}

static void test_notify(void)
{
    QEMUTimer *a, *b;

    setup();
    notify_count = 0;
    qemu_clock_set_notify(notify_cb);
    a = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, "a");
    b = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, "b");
    timer_mod(a, 100);
    g_assert_cmpint(notify_count, ==, 1);
    timer_mod(b, 200); /* not the earliest: no notification */
    g_assert_cmpint(notify_count, ==, 1);
    timer_mod(b, 50); /* new earliest */
    g_assert_cmpint(notify_count, ==, 2);
    qemu_clock_set_notify(NULL);
    timer_free(a);
    timer_free(b);
}

static void test_host_clocks(void)
{
    int64_t r1 = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    int64_t h = qemu_clock_get_ns(QEMU_CLOCK_HOST);
    int64_t r2;

    g_usleep(2000);
    r2 = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    g_assert_cmpint(r2 - r1, >=, 2 * SCALE_MS);
    /* The host clock is the date: after 2020-01-01. */
    g_assert_cmpint(h, >, INT64_C(1577836800) * NANOSECONDS_PER_SECOND);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/timer/order", test_order);
    g_test_add_func("/timer/mod-del", test_mod_del);
    g_test_add_func("/timer/scale", test_scale);
    g_test_add_func("/timer/callbacks", test_callbacks);
    g_test_add_func("/timer/disabled", test_disabled);
    g_test_add_func("/timer/notify", test_notify);
    g_test_add_func("/timer/host-clocks", test_host_clocks);
    return g_test_run();
}
