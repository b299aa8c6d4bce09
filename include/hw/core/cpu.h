/*
 * The architecture-neutral part of a CPU, as the main loop sees it.
 *
 * The CPU issue fills in the x86 CPU (target/i386); the main loop only needs
 * to run a CPU for a budget of instructions and to know whether it is
 * halted.  Instruction counting is exact: exec() reports how many
 * instructions retired, and the virtual clock is derived from that count.
 */
#ifndef HW_CORE_CPU_H
#define HW_CORE_CPU_H

#include "qemu/osdep.h"

typedef struct CPUState CPUState;

typedef struct CPUClass {
    const char *name;
    /*
     * Runs at most budget instructions (budget >= 1) and returns how many
     * retired.  Returns early when the CPU halts, when an exit is requested
     * (cpu->exit_request), or on a debug stop.
     */
    int64_t (*exec)(CPUState *cpu, int64_t budget);
    /* A halted CPU has work when an interrupt it would take is pending. */
    bool (*has_work)(CPUState *cpu);
    void (*reset)(CPUState *cpu);
    /* For -d cpu and "info registers". */
    void (*dump_state)(CPUState *cpu, FILE *f, int flags);
} CPUClass;

struct CPUState {
    const CPUClass *cc;
    int cpu_index;
    bool halted;
    /* Set from anywhere on the emulator thread to end exec() early. */
    volatile bool exit_request;
    /* Instructions retired by this CPU since it was created. */
    int64_t icount;
    /*
     * The architecture's count of instructions left in the running slice
     * (decremented as each one retires), so that guest time read in the
     * middle of a slice is exact.
     */
    const int64_t *icount_left;
    void *env; /* the architecture's state */
};

/* The CPUs of the machine (one for now: record/replay needs -smp 1). */
extern CPUState *first_cpu;
void cpu_register(CPUState *cpu);
void cpu_unregister(CPUState *cpu);

/*
 * Runs the CPU for at most budget instructions and accounts what retired
 * to the instruction count (and so to guest time).  Everything that runs
 * a CPU goes through here.
 */
int64_t cpu_run_slice(CPUState *cpu, int64_t budget);

/* Asks every CPU to leave exec() at the next instruction boundary. */
void cpu_exit_all(void);
void cpu_reset(CPUState *cpu);

#endif
