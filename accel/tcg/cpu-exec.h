/*
 * The execution loop's entry point (the CPUClass exec hook).
 */
#ifndef ACCEL_TCG_CPU_EXEC_H
#define ACCEL_TCG_CPU_EXEC_H

#include "target/i386/cpu.h"

int64_t x86_cpu_exec(CPUState *cs, int64_t budget);

#endif
