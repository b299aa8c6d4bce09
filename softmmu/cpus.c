/*
 * Running the CPU: the main loop, instruction counting and the virtual
 * clock derived from it (see sysemu/cpu-timers.h and
 * docs/devel/main-loop.md).
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "sysemu/cpu-timers.h"
#include "sysemu/runstate.h"
#include "hw/core/cpu.h"

/*
 * The CPU returns to the main loop at least this often (in instructions),
 * so host input is polled every few hundred microseconds of host time.
 */
#define MAX_SLICE_INSNS 65536

/* How often shift=auto re-balances the clock, in host ms. */
#define ICOUNT_ADJUST_PERIOD_MS 100

/* align=on lets guest time run ahead of host time by at most this. */
#define ICOUNT_ALIGN_SLACK_NS (10 * SCALE_MS)

CPUState *first_cpu;

static struct {
    int64_t insns; /* retired by all CPUs */
    int64_t bias;  /* ns added to insns << shift */
    int shift;
    bool shift_auto;
    bool sleep;
    bool align;
    /* Host time spent running, for shift=auto and align. */
    int64_t run_ns;     /* accumulated while the VM ran */
    int64_t run_start;  /* host time the VM last started, or -1 */
    int64_t last_delta; /* guest minus host at the last adjustment */
    /* While every CPU is idle with sleep=on: host time idling began. */
    int64_t idle_start;
    QEMUTimer *adjust_timer;
    bool configured;
    /* A slice is running: guest time includes what it retired so far. */
    CPUState *slice_cpu;
    int64_t slice_budget;
} icount = { .shift = ICOUNT_AUTO_INITIAL_SHIFT,
             .shift_auto = true,
             .sleep = true,
             .run_start = -1,
             .idle_start = -1 };

void cpu_register(CPUState *cpu)
{
    g_assert(!first_cpu); /* one CPU: record/replay needs -smp 1 */
    cpu->cpu_index = 0;
    first_cpu = cpu;
}

void cpu_unregister(CPUState *cpu)
{
    if (first_cpu == cpu) {
        first_cpu = NULL;
    }
}

void cpu_exit_all(void)
{
    if (first_cpu) {
        first_cpu->exit_request = true;
    }
}

void cpu_reset(CPUState *cpu)
{
    if (cpu->cc->reset) {
        cpu->cc->reset(cpu);
    }
}

void qemu_cpu_kick(void)
{
    cpu_exit_all();
    qemu_notify_event();
}

/* ---- the virtual clock ---- */

int64_t icount_get_raw(void)
{
    int64_t n = icount.insns;

    if (icount.slice_cpu && icount.slice_cpu->icount_left) {
        /* Devices read guest time in the middle of a slice (port I/O). */
        n += icount.slice_budget - *icount.slice_cpu->icount_left;
    }
    return n;
}

int icount_get_shift(void)
{
    return icount.shift;
}

int64_t icount_to_ns(int64_t n)
{
    return n << icount.shift;
}

int64_t icount_get(void)
{
    return icount.bias + icount_to_ns(icount_get_raw());
}

void icount_account(int64_t n)
{
    icount.insns += n;
}

void icount_warp(int64_t ns)
{
    if (ns > 0) {
        icount.bias += ns;
    }
}

bool icount_sleep_enabled(void)
{
    return icount.sleep;
}

bool icount_align_enabled(void)
{
    return icount.align;
}

int64_t icount_budget(int64_t max)
{
    int64_t deadline = qemu_clock_deadline_ns(QEMU_CLOCK_VIRTUAL);
    int64_t per_insn = INT64_C(1) << icount.shift;
    int64_t n;

    if (deadline < 0) {
        return max;
    }
    /* Enough instructions to reach the deadline, rounding up. */
    n = deadline / per_insn + (deadline % per_insn != 0);
    if (n < 1) {
        n = 1;
    }
    return n < max ? n : max;
}

/* Host time the VM has spent running (stops while it is stopped). */
static int64_t run_clock(void)
{
    int64_t ns = icount.run_ns;

    if (icount.run_start >= 0) {
        ns += get_clock() - icount.run_start;
    }
    return ns;
}

void icount_adjust(void)
{
    int64_t guest, host, delta;
    int old_shift = icount.shift;

    if (!icount.shift_auto || !runstate_is_running()) {
        return;
    }
    guest = icount_get();
    host = run_clock();
    delta = guest - host;
    /*
     * Guest time ahead of host time and moving further ahead: each
     * instruction is worth too much; behind and falling further behind:
     * too little.  Moving the shift by one at a time keeps it stable.
     */
    if (delta > 0 && delta > icount.last_delta && icount.shift > 0) {
        icount.shift--;
    } else if (delta < 0 && delta < icount.last_delta &&
               icount.shift < ICOUNT_MAX_SHIFT) {
        icount.shift++;
    }
    icount.last_delta = delta;
    if (icount.shift != old_shift) {
        /* Keep the clock continuous across the change. */
        icount.bias = guest - icount_to_ns(icount_get_raw());
    }
}

static void icount_adjust_timer_cb(void *opaque)
{
    icount_adjust();
    timer_mod(icount.adjust_timer,
              qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + ICOUNT_ADJUST_PERIOD_MS);
}

static void icount_vm_state_change(void *opaque, bool running, RunState st)
{
    if (running) {
        icount.run_start = get_clock();
    } else if (icount.run_start >= 0) {
        icount.run_ns += get_clock() - icount.run_start;
        icount.run_start = -1;
    }
    icount.idle_start = -1;
}

void icount_configure(const IcountConfig *cfg)
{
    icount.shift_auto = cfg->shift_auto;
    icount.shift = cfg->shift_auto ? ICOUNT_AUTO_INITIAL_SHIFT : cfg->shift;
    icount.sleep = cfg->sleep;
    icount.align = cfg->align;
    qemu_clock_set_source(QEMU_CLOCK_VIRTUAL, icount_get);
    if (!icount.configured) {
        qemu_add_vm_change_state_handler(icount_vm_state_change, NULL);
        icount.configured = true;
    }
    if (icount.shift_auto && !icount.adjust_timer) {
        icount.adjust_timer =
            timer_new_ms(QEMU_CLOCK_REALTIME, icount_adjust_timer_cb, NULL);
        timer_mod(icount.adjust_timer, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) +
                                           ICOUNT_ADJUST_PERIOD_MS);
    }
}

void icount_reset_for_test(void)
{
    icount.insns = 0;
    icount.bias = 0;
    icount.last_delta = 0;
    icount.run_ns = 0;
    icount.run_start = -1;
    icount.idle_start = -1;
}

/* ---- the loop ---- */

static bool cpu_is_idle(CPUState *cpu)
{
    if (!cpu) {
        return true;
    }
    return cpu->halted && !(cpu->cc->has_work && cpu->cc->has_work(cpu));
}

int64_t cpu_run_slice(CPUState *cpu, int64_t budget)
{
    int64_t ran;

    cpu->exit_request = false;
    icount.slice_cpu = cpu;
    icount.slice_budget = budget;
    ran = cpu->cc->exec(cpu, budget);
    icount.slice_cpu = NULL;
    g_assert(ran >= 0 && ran <= budget);
    icount_account(ran);
    cpu->icount += ran;
    return ran;
}

/* Runs the CPU for one slice, ending no later than the next deadline. */
static void cpu_exec_slice(CPUState *cpu)
{
    cpu_run_slice(cpu, icount_budget(MAX_SLICE_INSNS));
}

/*
 * Every CPU is idle: guest time moves on without instructions.  With
 * sleep=off it jumps to the next timer at once; with sleep=on it follows
 * host time, up to that timer.  Returns how long the main loop may block.
 */
static int64_t idle_warp(void)
{
    int64_t deadline = qemu_clock_deadline_ns(QEMU_CLOCK_VIRTUAL);

    if (!icount.sleep) {
        icount_warp(deadline > 0 ? deadline : 0);
        return deadline < 0 ? -1 : 0;
    }
    if (icount.idle_start < 0) {
        icount.idle_start = get_clock();
    }
    return deadline;
}

/* Ends an idle period: credits the host time that passed to guest time. */
static void idle_end(void)
{
    int64_t elapsed, deadline;

    if (icount.idle_start < 0) {
        return;
    }
    elapsed = get_clock() - icount.idle_start;
    deadline = qemu_clock_deadline_ns(QEMU_CLOCK_VIRTUAL);
    if (deadline >= 0 && elapsed > deadline) {
        elapsed = deadline;
    }
    icount_warp(elapsed);
    icount.idle_start = -1;
}

/* align=on: don't let guest time run ahead of host time. */
static int64_t align_delay(void)
{
    int64_t ahead;

    if (!icount.align) {
        return 0;
    }
    ahead = icount_get() - run_clock();
    return ahead > ICOUNT_ALIGN_SLACK_NS ? ahead : 0;
}

int qemu_main_loop(void)
{
    int status = 0;

    while (!main_loop_should_exit(&status)) {
        CPUState *cpu = first_cpu;

        if (!runstate_is_running()) {
            /* Stopped: only host events (monitor, signals) matter. */
            main_loop_wait(-1);
            continue;
        }
        qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL);
        if (!cpu_is_idle(cpu)) {
            int64_t delay;

            idle_end();
            cpu_exec_slice(cpu);
            delay = align_delay();
            main_loop_wait(delay);
        } else {
            main_loop_wait(idle_warp());
            idle_end();
        }
        qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL);
    }
    return status;
}
