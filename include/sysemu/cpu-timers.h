/*
 * Instruction counting and the virtual clock (-icount).
 *
 * Guest time is derived from the number of instructions retired:
 *
 *     QEMU_CLOCK_VIRTUAL = bias + (icount << shift)   (nanoseconds)
 *
 * With shift=N fixed, every instruction takes 2^N ns of guest time.  With
 * shift=auto the shift starts at 3 and is adjusted (at main-loop
 * checkpoints only) so guest time keeps roughly in step with host time;
 * the bias is moved so the clock never jumps.  While every CPU is halted
 * the clock is warped: with sleep=on it follows host time up to the next
 * timer deadline, with sleep=off it jumps straight to that deadline.  Each
 * of those (shift change, warp) is a guest-visible input and is where
 * record/replay will hook in.
 *
 * Without -icount the same machinery runs as if "-icount
 * shift=auto,sleep=on" were given: the emulator always counts
 * instructions, so one model of time serves every mode.
 */
#ifndef SYSEMU_CPU_TIMERS_H
#define SYSEMU_CPU_TIMERS_H

#include "qemu/osdep.h"
#include "sysemu/config.h"

#define ICOUNT_MAX_SHIFT          10
#define ICOUNT_AUTO_INITIAL_SHIFT 3

/* Sets up the virtual clock from the -icount options. */
void icount_configure(const IcountConfig *cfg);

/* Instructions retired by all CPUs. */
int64_t icount_get_raw(void);
/* The virtual clock, in ns. */
int64_t icount_get(void);
/* ns of guest time for n instructions at the current shift. */
int64_t icount_to_ns(int64_t n);
int icount_get_shift(void);
/*
 * Instructions to run before the next virtual timer is due (at least 1),
 * capped at max.
 */
int64_t icount_budget(int64_t max);
/* Adds n retired instructions (called by the CPU loop). */
void icount_account(int64_t n);
/* Moves the virtual clock forward by ns while the CPUs are idle. */
void icount_warp(int64_t ns);
/* shift=auto: re-balance the shift against host time. */
void icount_adjust(void);
/* Whether idle time follows host time (sleep=on). */
bool icount_sleep_enabled(void);
bool icount_align_enabled(void);
/* Resets the counters (tests). */
void icount_reset_for_test(void);

#endif
