/*
 * The x87 FPU: the interfaces other parts of the emulator use.
 *
 * The instructions themselves are reached through x87_select() (ops.h),
 * which the decoder calls for D8-DF.
 */
#ifndef TARGET_I386_X87_H
#define TARGET_I386_X87_H

#include "target/i386/cpu.h"

/*
 * The x87 part of WAIT/FWAIT (9B), after the caller's CR0.MP/CR0.TS
 * check for #NM: a pending unmasked x87 exception (FSW.ES) raises #MF
 * when CR0.NE = 1 (SDM vol. 1, 8.7.3.1).  With CR0.NE = 0 (MS-DOS
 * compatibility mode, SDM vol. 1, D.2.1.3) the processor asserts FERR#
 * (env->ferr_irq) and freezes before the instruction until an interrupt
 * arrives, unless IGNNE# is asserted; the frozen instruction is not
 * counted and runs again after the interrupt handler returns.
 */
void x87_fwait_check(CPUX86State *env);

/*
 * The IGNNE# input pin.  A PC asserts it when software writes port F0h
 * while FERR# is asserted, and releases it when FERR# goes away (the
 * machine's ferr_irq hook sees level 0): see env->ferr_irq.
 */
void x86_cpu_set_ignne(X86CPU *cpu, int level);

#endif
