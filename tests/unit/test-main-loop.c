/*
 * The main loop with a stand-in CPU: exact landing of the CPU budget on
 * virtual timer deadlines, idle warps (sleep=on/off), stop/cont, requests
 * (shutdown, reset, power-down, -no-reboot, -no-shutdown), signals, bottom
 * halves and fd handlers.
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "sysemu/config.h"
#include "sysemu/cpu-timers.h"
#include "sysemu/runstate.h"
#include "hw/core/cpu.h"
#include <signal.h>

/*
 * The stand-in CPU retires every instruction of its budget unless told to
 * halt after a given count; it records the budgets it was given.
 */
typedef struct FakeCPU {
    CPUState cpu;
    int64_t halt_at; /* halt once icount reaches this (-1: never) */
    GArray *budgets;
    int resets;
    bool irq; /* has_work */
} FakeCPU;

static FakeCPU fake;

static int64_t fake_exec(CPUState *cpu, int64_t budget)
{
    FakeCPU *f = (FakeCPU *)cpu;
    int64_t n = budget;

    g_array_append_val(f->budgets, budget);
    if (cpu->halted && f->irq) {
        cpu->halted = false;
        f->irq = false;
    }
    if (cpu->halted) {
        return 0;
    }
    if (f->halt_at >= 0 && icount_get_raw() + n >= f->halt_at) {
        n = f->halt_at - icount_get_raw();
        cpu->halted = true;
        f->halt_at = -1;
    }
    return n;
}

static bool fake_has_work(CPUState *cpu)
{
    return ((FakeCPU *)cpu)->irq;
}

static void fake_reset(CPUState *cpu)
{
    ((FakeCPU *)cpu)->resets++;
}

static const CPUClass fake_cpu_class = {
    .name = "fake",
    .exec = fake_exec,
    .has_work = fake_has_work,
    .reset = fake_reset,
};

static void setup(unsigned shift, bool sleep)
{
    IcountConfig ic = { .shift_auto = false, .shift = shift, .sleep = sleep };

    qemu_init_main_loop();
    if (!first_cpu) {
        fake.cpu.cc = &fake_cpu_class;
        cpu_register(&fake.cpu);
    }
    if (fake.budgets) {
        g_array_free(fake.budgets, TRUE);
    }
    fake.budgets = g_array_new(FALSE, FALSE, sizeof(int64_t));
    fake.cpu.halted = false;
    fake.halt_at = -1;
    fake.resets = 0;
    fake.irq = false;
    no_reboot = false;
    no_shutdown = false;
    icount_reset_for_test();
    icount_configure(&ic);
    vm_stop(RUN_STATE_PAUSED);
    vm_start();
}

/* ---- exact landing on deadlines ---- */

static GArray *fired_at; /* icount at each timer callback */
static QEMUTimer *tick;
static int ticks_left;

static void tick_cb(void *opaque)
{
    int64_t now = icount_get_raw();

    g_array_append_val(fired_at, now);
    if (--ticks_left > 0) {
        /* Re-arm 1000 ns later: a periodic guest timer. */
        timer_mod(tick, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + 1000);
    } else {
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    }
}

static void test_exact_deadline(void)
{
    int status;

    setup(3, false); /* 8 ns per instruction */
    fired_at = g_array_new(FALSE, FALSE, sizeof(int64_t));
    tick = timer_new_ns(QEMU_CLOCK_VIRTUAL, tick_cb, NULL);
    ticks_left = 4;
    /* 804 ns is not a multiple of 8: the budget rounds up to insn 101. */
    timer_mod(tick, 804);
    status = qemu_main_loop();
    g_assert_cmpint(status, ==, 0);
    g_assert_cmpuint(fired_at->len, ==, 4);
    g_assert_cmpint(g_array_index(fired_at, int64_t, 0), ==, 101);
    /* Then every 1000 ns = 125 instructions. */
    g_assert_cmpint(g_array_index(fired_at, int64_t, 1), ==, 226);
    g_assert_cmpint(g_array_index(fired_at, int64_t, 2), ==, 351);
    g_assert_cmpint(g_array_index(fired_at, int64_t, 3), ==, 476);
    /* The CPU was never asked to run past a deadline. */
    g_assert_cmpint(g_array_index(fake.budgets, int64_t, 0), ==, 101);
    g_assert_cmpint(icount_get(), ==, 476 * 8);
    g_array_free(fired_at, TRUE);
    timer_free(tick);
}

static void test_budget_cap(void)
{
    setup(0, false);
    /* No timer: the budget is the slice cap. */
    g_assert_cmpint(icount_budget(5000), ==, 5000);
    g_assert_cmpint(icount_budget(1), ==, 1);
    g_assert_cmpint(icount_to_ns(10), ==, 10);
}

/* ---- idle: warps ---- */

static int64_t fired_virtual;

static void stop_cb(void *opaque)
{
    fired_virtual = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
}

static void test_idle_sleep_off(void)
{
    QEMUTimer *t;
    int64_t start = get_clock();

    setup(3, false);
    fake.halt_at = 10;
    t = timer_new_ns(QEMU_CLOCK_VIRTUAL, stop_cb, NULL);
    /* Ten guest seconds away. */
    timer_mod(t, 10 * NANOSECONDS_PER_SECOND);
    qemu_main_loop();
    /* sleep=off jumps straight to the deadline: no host wait. */
    g_assert_cmpint(get_clock() - start, <, NANOSECONDS_PER_SECOND);
    g_assert_cmpint(fired_virtual, ==, 10 * NANOSECONDS_PER_SECOND);
    g_assert_cmpint(icount_get_raw(), ==, 10);
    timer_free(t);
}

static void test_idle_sleep_on(void)
{
    QEMUTimer *t;
    int64_t start = get_clock();
    int64_t took;

    setup(3, true);
    fake.halt_at = 10;
    t = timer_new_ns(QEMU_CLOCK_VIRTUAL, stop_cb, NULL);
    timer_mod(t, 50 * SCALE_MS);
    qemu_main_loop();
    took = get_clock() - start;
    /* Guest time followed host time while idle. */
    g_assert_cmpint(took, >=, 45 * SCALE_MS);
    g_assert_cmpint(fired_virtual, >=, 50 * SCALE_MS);
    g_assert_cmpint(icount_get_raw(), ==, 10);
    timer_free(t);
}

static void wake_cb(void *opaque)
{
    fake.irq = true; /* an interrupt wakes the halted CPU */
}

static void test_halt_wakeup(void)
{
    QEMUTimer *w, *s;

    setup(2, false);
    fake.halt_at = 5;
    w = timer_new_ns(QEMU_CLOCK_VIRTUAL, wake_cb, NULL);
    s = timer_new_ns(QEMU_CLOCK_VIRTUAL, stop_cb, NULL);
    timer_mod(w, 1000);
    timer_mod(s, 2000);
    qemu_main_loop();
    /* Halted at 5 insns (20 ns), warped to 1000, ran 250 insns to 2000. */
    g_assert_cmpint(fired_virtual, ==, 2000);
    g_assert_cmpint(icount_get_raw(), ==, 5 + 250);
    timer_free(w);
    timer_free(s);
}

/* ---- stop / cont: guest time stands still ---- */

static int64_t icount_at_stop;

static void stop_vm_cb(void *opaque)
{
    vm_stop(RUN_STATE_PAUSED);
    icount_at_stop = icount_get_raw();
}

static void quit_rt_cb(void *opaque)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

static void test_stop_cont(void)
{
    QEMUTimer *stopper, *later, *quit;

    setup(3, false);
    stopper = timer_new_ns(QEMU_CLOCK_VIRTUAL, stop_vm_cb, NULL);
    later = timer_new_ns(QEMU_CLOCK_VIRTUAL, stop_cb, NULL);
    quit = timer_new_ms(QEMU_CLOCK_REALTIME, quit_rt_cb, NULL);
    timer_mod(stopper, 800);
    timer_mod(later, 1600);
    timer_mod(quit, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + 30);
    fired_virtual = -1;
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    /* Stopped at insn 100; for 30 host ms nothing ran. */
    g_assert_cmpint(icount_at_stop, ==, 100);
    g_assert_cmpint(icount_get_raw(), ==, 100);
    g_assert_cmpint(fired_virtual, ==, -1);
    g_assert_true(runstate_check(RUN_STATE_PAUSED));
    timer_del(quit);

    /* cont: the later timer fires at exactly its deadline. */
    vm_start();
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    g_assert_cmpint(fired_virtual, ==, 1600);
    g_assert_cmpint(icount_get_raw(), ==, 200);
    timer_free(stopper);
    timer_free(later);
    timer_free(quit);
}

/* ---- requests ---- */

static int reset_handler_calls;
static int powerdown_calls;

static void reset_handler(void *opaque)
{
    reset_handler_calls++;
}

static void powerdown_handler(void *opaque)
{
    powerdown_calls++;
    /* The machine's reaction: the guest powers off. */
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
}

static void reset_req_cb(void *opaque)
{
    qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
}

static void test_reset(void)
{
    QEMUTimer *r, *s;
    static bool registered;

    setup(0, false);
    if (!registered) {
        qemu_register_reset(reset_handler, NULL);
        registered = true;
    }
    reset_handler_calls = 0;
    r = timer_new_ns(QEMU_CLOCK_VIRTUAL, reset_req_cb, NULL);
    s = timer_new_ns(QEMU_CLOCK_VIRTUAL, stop_cb, NULL);
    timer_mod(r, 100);
    timer_mod(s, 200);
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    /* Reset ran the handlers and reset the CPU, then the VM went on. */
    g_assert_cmpint(reset_handler_calls, ==, 1);
    g_assert_cmpint(fake.resets, ==, 1);
    g_assert_cmpint(fired_virtual, ==, 200);

    /* -no-reboot: a guest reset ends the emulator instead. */
    setup(0, false);
    no_reboot = true;
    timer_mod(r, 100);
    timer_mod(s, 200);
    fired_virtual = -1;
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    g_assert_cmpint(fired_virtual, ==, -1);
    g_assert_cmpint(icount_get_raw(), ==, 100);
    g_assert_cmpint(fake.resets, ==, 0);
    timer_free(r);
    timer_free(s);
}

static void powerdown_req_cb(void *opaque)
{
    qemu_system_powerdown_request();
}

static void test_powerdown_no_shutdown(void)
{
    QEMUTimer *p, *quit;

    setup(0, false);
    qemu_register_powerdown(powerdown_handler, NULL);
    powerdown_calls = 0;
    p = timer_new_ns(QEMU_CLOCK_VIRTUAL, powerdown_req_cb, NULL);
    timer_mod(p, 50);
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    g_assert_cmpint(powerdown_calls, ==, 1);

    /* -no-shutdown: the guest's power-off stops the VM instead. */
    setup(0, false);
    no_shutdown = true;
    quit = timer_new_ms(QEMU_CLOCK_REALTIME, quit_rt_cb, NULL);
    timer_mod(p, 50);
    timer_mod(quit, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + 20);
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    g_assert_true(runstate_check(RUN_STATE_SHUTDOWN));
    g_assert_cmpint(icount_get_raw(), ==, 50);
    timer_free(p);
    timer_free(quit);
}

static void raise_term_cb(void *opaque)
{
    raise(SIGTERM);
}

static void test_signal(void)
{
    QEMUTimer *t;

    setup(0, false);
    fake.halt_at = 0;
    t = timer_new_ms(QEMU_CLOCK_REALTIME, raise_term_cb, NULL);
    timer_mod(t, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + 5);
    /* SIGTERM is a clean exit with status 0. */
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    timer_free(t);
}

/* ---- bottom halves and fd handlers ---- */

static int bh_runs;

static void bh_cb(void *opaque)
{
    bh_runs++;
}

static void test_bh(void)
{
    QEMUBH *bh;

    qemu_init_main_loop();
    bh_runs = 0;
    bh = qemu_bh_new(bh_cb, NULL);
    qemu_bh_schedule(bh);
    qemu_bh_schedule(bh); /* scheduling twice runs once */
    main_loop_wait(0);
    g_assert_cmpint(bh_runs, ==, 1);
    main_loop_wait(0);
    g_assert_cmpint(bh_runs, ==, 1);
    qemu_bh_schedule(bh);
    qemu_bh_cancel(bh);
    main_loop_wait(0);
    g_assert_cmpint(bh_runs, ==, 1);
    qemu_bh_delete(bh);
    main_loop_wait(0);
}

static int pipe_fds[2];
static GString *pipe_data;

static void pipe_readable(void *opaque)
{
    char buf[64];
    ssize_t n = read(pipe_fds[0], buf, sizeof(buf));

    if (n > 0) {
        g_string_append_len(pipe_data, buf, n);
    }
}

static void test_fd_handler(void)
{
    int64_t start;

    qemu_init_main_loop();
    g_assert_cmpint(pipe(pipe_fds), ==, 0);
    pipe_data = g_string_new(NULL);
    qemu_set_fd_handler(pipe_fds[0], pipe_readable, NULL, NULL);
    g_assert_cmpint(write(pipe_fds[1], "hello", 5), ==, 5);
    start = get_clock();
    /* Blocks until the fd is readable, well before the 5 s timeout. */
    main_loop_wait(5 * NANOSECONDS_PER_SECOND);
    g_assert_cmpint(get_clock() - start, <, NANOSECONDS_PER_SECOND);
    g_assert_cmpstr(pipe_data->str, ==, "hello");
    qemu_set_fd_handler(pipe_fds[0], NULL, NULL, NULL);
    g_assert_cmpint(write(pipe_fds[1], "more", 4), ==, 4);
    main_loop_wait(0);
    g_assert_cmpstr(pipe_data->str, ==, "hello");
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    g_string_free(pipe_data, TRUE);
}

static void test_auto_shift(void)
{
    IcountConfig ic = { .shift_auto = true, .sleep = true };
    int shift0;
    int64_t before, after;

    setup(0, false);
    icount_configure(&ic);
    shift0 = icount_get_shift();
    g_assert_cmpint(shift0, ==, ICOUNT_AUTO_INITIAL_SHIFT);
    /*
     * Far more instructions than host time explains: guest time races
     * ahead, so the shift must come down, and the clock must not jump.
     */
    icount_account(INT64_C(1) << 32);
    before = icount_get();
    icount_adjust();
    after = icount_get();
    g_assert_cmpint(icount_get_shift(), ==, shift0 - 1);
    g_assert_cmpint(before, ==, after);
    icount_account(INT64_C(1) << 32);
    icount_adjust();
    g_assert_cmpint(icount_get_shift(), ==, shift0 - 2);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/main-loop/exact-deadline", test_exact_deadline);
    g_test_add_func("/main-loop/budget-cap", test_budget_cap);
    g_test_add_func("/main-loop/idle-sleep-off", test_idle_sleep_off);
    g_test_add_func("/main-loop/idle-sleep-on", test_idle_sleep_on);
    g_test_add_func("/main-loop/halt-wakeup", test_halt_wakeup);
    g_test_add_func("/main-loop/stop-cont", test_stop_cont);
    g_test_add_func("/main-loop/reset", test_reset);
    g_test_add_func("/main-loop/powerdown", test_powerdown_no_shutdown);
    g_test_add_func("/main-loop/signal", test_signal);
    g_test_add_func("/main-loop/bh", test_bh);
    g_test_add_func("/main-loop/fd-handler", test_fd_handler);
    g_test_add_func("/main-loop/auto-shift", test_auto_shift);
    return g_test_run();
}
