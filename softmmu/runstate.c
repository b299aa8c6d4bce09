/*
 * Run states, and the requests that change them.
 */
#include "qemu/osdep.h"
#include "qemu/error.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "sysemu/runstate.h"
#include "hw/core/cpu.h"

bool no_reboot;
bool no_shutdown;

static RunState current_run_state = RUN_STATE_PRELAUNCH;

/* Pending requests, acted on by main_loop_should_exit(). */
static ShutdownCause shutdown_requested;
static ShutdownCause reset_requested;
static bool powerdown_requested;
static RunState vmstop_requested = RUN_STATE__MAX;
static int shutdown_signal;
static pid_t shutdown_pid;

struct VMChangeStateEntry {
    VMChangeStateHandler *cb;
    void *opaque;
};
static GPtrArray *vm_change_state_handlers;

typedef struct Callback {
    void (*fn)(void *opaque);
    void *opaque;
} Callback;
static GArray *reset_handlers;
static GArray *powerdown_handlers;

static const char *const run_state_names[RUN_STATE__MAX] = {
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_PAUSED] = "paused",
    [RUN_STATE_DEBUG] = "debug",
    [RUN_STATE_SHUTDOWN] = "shutdown",
    [RUN_STATE_INTERNAL_ERROR] = "internal-error",
    [RUN_STATE_GUEST_PANICKED] = "guest-panicked",
};

RunState runstate_get(void)
{
    return current_run_state;
}

bool runstate_check(RunState state)
{
    return current_run_state == state;
}

bool runstate_is_running(void)
{
    return current_run_state == RUN_STATE_RUNNING;
}

const char *runstate_name(RunState state)
{
    g_assert(state < RUN_STATE__MAX);
    return run_state_names[state];
}

void runstate_set(RunState state)
{
    g_assert(state < RUN_STATE__MAX);
    current_run_state = state;
}

VMChangeStateEntry *qemu_add_vm_change_state_handler(VMChangeStateHandler *cb,
                                                     void *opaque)
{
    VMChangeStateEntry *e = g_new0(VMChangeStateEntry, 1);

    if (!vm_change_state_handlers) {
        vm_change_state_handlers = g_ptr_array_new();
    }
    e->cb = cb;
    e->opaque = opaque;
    g_ptr_array_add(vm_change_state_handlers, e);
    return e;
}

void qemu_del_vm_change_state_handler(VMChangeStateEntry *e)
{
    g_ptr_array_remove(vm_change_state_handlers, e);
    g_free(e);
}

static void vm_state_notify(bool running, RunState state)
{
    if (!vm_change_state_handlers) {
        return;
    }
    /* A handler may remove itself: iterate over a copy. */
    GPtrArray *copy = g_ptr_array_copy(vm_change_state_handlers, NULL, NULL);
    for (guint i = 0; i < copy->len; i++) {
        VMChangeStateEntry *e = g_ptr_array_index(copy, i);
        e->cb(e->opaque, running, state);
    }
    g_ptr_array_free(copy, TRUE);
}

void vm_start(void)
{
    if (runstate_is_running()) {
        return;
    }
    runstate_set(RUN_STATE_RUNNING);
    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, true);
    vm_state_notify(true, RUN_STATE_RUNNING);
    qemu_notify_event();
}

void vm_stop(RunState state)
{
    bool was_running = runstate_is_running();

    runstate_set(state);
    if (was_running) {
        /* Guest time stands still while the VM is stopped. */
        qemu_clock_enable(QEMU_CLOCK_VIRTUAL, false);
        cpu_exit_all();
        vm_state_notify(false, state);
    }
}

void qemu_system_vmstop_request(RunState state)
{
    vmstop_requested = state;
    qemu_cpu_kick();
}

void qemu_system_shutdown_request(ShutdownCause cause)
{
    shutdown_requested = cause;
    qemu_cpu_kick();
}

void qemu_system_reset_request(ShutdownCause cause)
{
    if (no_reboot && cause != SHUTDOWN_CAUSE_SUBSYSTEM_RESET) {
        /*
         * -no-reboot: a reboot ends the emulator, whoever asked for it
         * (QEMU treats the monitor's system_reset the same way).
         */
        shutdown_requested = cause;
    } else {
        reset_requested = cause;
    }
    qemu_cpu_kick();
}

void qemu_system_powerdown_request(void)
{
    powerdown_requested = true;
    qemu_cpu_kick();
}

void qemu_system_killed(int signal, pid_t pid)
{
    shutdown_signal = signal;
    shutdown_pid = pid;
    /* Unlike a guest shutdown, -no-shutdown does not apply here. */
    no_shutdown = false;
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
}

bool qemu_shutdown_requested_pending(void)
{
    return shutdown_requested != SHUTDOWN_CAUSE_NONE;
}

ShutdownCause qemu_reset_requested_pending(void)
{
    return reset_requested;
}

static void add_callback(GArray **arr, void (*fn)(void *), void *opaque)
{
    Callback cb = { fn, opaque };

    if (!*arr) {
        *arr = g_array_new(FALSE, FALSE, sizeof(Callback));
    }
    g_array_append_val(*arr, cb);
}

void qemu_register_reset(QEMUResetHandler *func, void *opaque)
{
    add_callback(&reset_handlers, func, opaque);
}

void qemu_unregister_reset(QEMUResetHandler *func, void *opaque)
{
    for (guint i = 0; reset_handlers && i < reset_handlers->len; i++) {
        Callback *cb = &g_array_index(reset_handlers, Callback, i);
        if (cb->fn == func && cb->opaque == opaque) {
            g_array_remove_index(reset_handlers, i);
            return;
        }
    }
}

void qemu_register_powerdown(QEMUPowerdownHandler *func, void *opaque)
{
    add_callback(&powerdown_handlers, func, opaque);
}

void qemu_system_reset(ShutdownCause reason)
{
    /*
     * The CPU first: handlers then set up the boot state on top of the
     * reset state (direct kernel boot puts the CPU at the kernel entry).
     */
    if (first_cpu) {
        cpu_reset(first_cpu);
    }
    for (guint i = 0; reset_handlers && i < reset_handlers->len; i++) {
        Callback *cb = &g_array_index(reset_handlers, Callback, i);
        cb->fn(cb->opaque);
    }
}

static bool is_guest_cause(ShutdownCause cause)
{
    return cause >= SHUTDOWN_CAUSE_GUEST_SHUTDOWN &&
           cause <= SHUTDOWN_CAUSE_GUEST_PANIC;
}

bool main_loop_should_exit(int *status)
{
    /* First: the machine's reaction may be another request, handled below. */
    if (powerdown_requested) {
        powerdown_requested = false;
        for (guint i = 0; powerdown_handlers && i < powerdown_handlers->len;
             i++) {
            Callback *cb = &g_array_index(powerdown_handlers, Callback, i);
            cb->fn(cb->opaque);
        }
    }
    if (shutdown_requested != SHUTDOWN_CAUSE_NONE) {
        ShutdownCause cause = shutdown_requested;

        shutdown_requested = SHUTDOWN_CAUSE_NONE;
        if (shutdown_signal) {
            error_report("terminating on signal %d from pid %d",
                         shutdown_signal, (int)shutdown_pid);
            shutdown_signal = 0;
        }
        if (no_shutdown && is_guest_cause(cause)) {
            /* -no-shutdown: keep the emulator (and monitor) alive. */
            vm_stop(RUN_STATE_SHUTDOWN);
        } else {
            *status = cause == SHUTDOWN_CAUSE_HOST_ERROR ? 1 : 0;
            return true;
        }
    }
    if (reset_requested != SHUTDOWN_CAUSE_NONE) {
        ShutdownCause cause = reset_requested;

        reset_requested = SHUTDOWN_CAUSE_NONE;
        qemu_system_reset(cause);
        /*
         * As in QEMU: a VM reset while stopped (after a -no-shutdown
         * power-off, say) waits in prelaunch for "cont".
         */
        if (!runstate_is_running()) {
            runstate_set(RUN_STATE_PRELAUNCH);
        }
    }
    if (vmstop_requested != RUN_STATE__MAX) {
        RunState state = vmstop_requested;

        vmstop_requested = RUN_STATE__MAX;
        vm_stop(state);
    }
    return false;
}
