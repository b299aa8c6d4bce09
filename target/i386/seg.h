/*
 * Segmentation: descriptors, segment checks, stacks from the TSS, task
 * switches (SDM vol. 3, chapters 3, 5 and 7).
 */
#ifndef TARGET_I386_SEG_H
#define TARGET_I386_SEG_H

#include "target/i386/cpu.h"

/* How a task switch was started (SDM vol. 3, 7.3). */
#define SWITCH_TSS_JMP 0
#define SWITCH_TSS_IRET 1
#define SWITCH_TSS_CALL 2 /* CALL, INT n, exceptions, interrupts */

/*
 * Reads the descriptor for selector from the GDT or LDT (TI bit); false
 * if the selector is outside the table's limit.
 */
bool cpu_x86_read_descriptor(CPUX86State *env, uint32_t selector,
                             uint32_t *e1, uint32_t *e2);
/* Writes back e2 (to set the accessed or busy bit). */
void cpu_x86_write_descriptor_high(CPUX86State *env, uint32_t selector,
                                   uint32_t e2);

/*
 * True when [offset, offset+size) is inside the segment's limit
 * (expand-up or expand-down) and, for write, the segment is writable.
 * Null/unusable segments fail.  Does not look at the mode: callers do
 * not call it in 64-bit mode.
 */
bool x86_seg_check(const SegmentCache *sc, uint32_t offset, uint32_t size,
                   bool write);

/* The stack for privilege level dpl from the current 32/16-bit TSS. */
void x86_get_ss_esp_from_tss(CPUX86State *env, int dpl, uint32_t *ss,
                             uint32_t *esp, int ext);
/* RSP0-2 (index 0-2) or IST1-7 (index 4-10) from the 64-bit TSS. */
uint64_t x86_get_rsp_from_tss(CPUX86State *env, int index);

/*
 * Switches to the task whose TSS selector (or task-gate target) is
 * tss_selector.  next_eip is saved in the old TSS; for CALL-type
 * switches an error code may be pushed on the new task's stack.
 */
void x86_task_switch(CPUX86State *env, uint32_t tss_selector, int source,
                     uint64_t next_eip, bool has_error_code,
                     int error_code);

/*
 * Segment descriptor loads for MOV/POP Sreg and LxS, with every check of
 * SDM vol. 2 (MOV): null selectors, type, privilege, present.
 */
void helper_load_seg(CPUX86State *env, int seg, uint32_t selector);

#endif
