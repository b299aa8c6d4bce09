/*
 * Run states and requests from the guest and the host.
 *
 * Requests (shutdown, reset, power-down, stop) may be made from anywhere on
 * the emulator thread: a device register write, a monitor command, a signal.
 * They only set a flag and kick the CPU loop; the main loop acts on them at
 * its next checkpoint, between instructions, never in the middle of one.
 */
#ifndef SYSEMU_RUNSTATE_H
#define SYSEMU_RUNSTATE_H

#include "qemu/osdep.h"

typedef enum RunState {
    RUN_STATE_PRELAUNCH, /* created, -S given, never started */
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,         /* stopped by the user (stop) */
    RUN_STATE_DEBUG,          /* stopped by the debugger */
    RUN_STATE_SHUTDOWN,       /* guest shut down, -no-shutdown given */
    RUN_STATE_INTERNAL_ERROR, /* emulation failed; see the log */
    RUN_STATE_GUEST_PANICKED,
    RUN_STATE__MAX
} RunState;

typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_ERROR,            /* an error in the emulator */
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,         /* quit on the monitor */
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET, /* system_reset on the monitor */
    SHUTDOWN_CAUSE_HOST_SIGNAL,           /* SIGINT, SIGTERM, SIGHUP */
    SHUTDOWN_CAUSE_HOST_UI,               /* Ctrl-A x, window closed */
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,        /* guest power-off (ACPI S5, ...) */
    SHUTDOWN_CAUSE_GUEST_RESET,           /* guest reboot, triple fault */
    SHUTDOWN_CAUSE_GUEST_PANIC,
    SHUTDOWN_CAUSE_SUBSYSTEM_RESET,
    SHUTDOWN_CAUSE__MAX
} ShutdownCause;

RunState runstate_get(void);
bool runstate_check(RunState state);
bool runstate_is_running(void);
const char *runstate_name(RunState state);
void runstate_set(RunState state);

/*
 * VM state change notifiers: called with running=true after the VM starts
 * and running=false after it stops (with the new state).
 */
typedef void VMChangeStateHandler(void *opaque, bool running, RunState state);
typedef struct VMChangeStateEntry VMChangeStateEntry;
VMChangeStateEntry *qemu_add_vm_change_state_handler(VMChangeStateHandler *cb,
                                                     void *opaque);
void qemu_del_vm_change_state_handler(VMChangeStateEntry *e);

/* Starts (or resumes) the VM: enables the virtual clock, runs the CPU. */
void vm_start(void);
/* Stops the VM now (at an instruction boundary) in the given state. */
void vm_stop(RunState state);
/* Asks the main loop to stop the VM at its next checkpoint. */
void qemu_system_vmstop_request(RunState state);

/* Requests acted on by the main loop at its next checkpoint. */
void qemu_system_shutdown_request(ShutdownCause cause);
void qemu_system_reset_request(ShutdownCause cause);
void qemu_system_powerdown_request(void);
/* From a signal handler: records who sent it, then requests shutdown. */
void qemu_system_killed(int signal, pid_t pid);
/* Guest-initiated shutdown is what -no-shutdown turns into a stop. */
bool qemu_shutdown_requested_pending(void);
ShutdownCause qemu_reset_requested_pending(void);

/* Reset handlers, run in registration order on every system reset. */
typedef void QEMUResetHandler(void *opaque);
void qemu_register_reset(QEMUResetHandler *func, void *opaque);
void qemu_unregister_reset(QEMUResetHandler *func, void *opaque);
void qemu_system_reset(ShutdownCause reason);

/*
 * Power-down listeners (the machine's ACPI power button).  With none
 * registered, system_powerdown has no effect, as on a PC without ACPI.
 */
typedef void QEMUPowerdownHandler(void *opaque);
void qemu_register_powerdown(QEMUPowerdownHandler *func, void *opaque);

/* -no-reboot and -no-shutdown. */
extern bool no_reboot;
extern bool no_shutdown;

/*
 * Checks pending requests; returns true when the emulator should exit,
 * with *status the exit status (0 for a clean shutdown).
 */
bool main_loop_should_exit(int *status);

/* Runs until shutdown; returns the exit status. */
int qemu_main_loop(void);

/* Set by anything that wants the CPU loop to return to the main loop. */
void qemu_cpu_kick(void);

#endif
