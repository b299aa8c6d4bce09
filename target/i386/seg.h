/*
 * Segmentation: descriptors, segment checks, stacks from the TSS, task
 * switches (SDM vol. 3, chapters 3, 5 and 7).
 */
#ifndef TARGET_I386_SEG_H
#define TARGET_I386_SEG_H

#include "target/i386/cpu.h"

/* How a task switch was started (SDM vol. 3, 7.3). */
#define SWITCH_TSS_JMP  0
#define SWITCH_TSS_IRET 1
#define SWITCH_TSS_CALL 2 /* CALL, INT n, exceptions, interrupts */

/*
 * Reads the descriptor for selector from the GDT or LDT (TI bit); false
 * if the selector is outside the table's limit.
 */
bool cpu_x86_read_descriptor(CPUX86State *env, uint32_t selector, uint32_t *e1,
                             uint32_t *e2);
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

/*
 * x86_seg_check() as the current mode applies it: real-address mode
 * checks only the limit of the hidden part (so "unreal" limits work, and
 * CS or a read-only segment cached from protected mode can be written).
 */
bool x86_seg_check_mode(CPUX86State *env, const SegmentCache *sc,
                        uint32_t offset, uint32_t size, bool write);

/* The stack for privilege level dpl from the current 32/16-bit TSS. */
void x86_get_ss_esp_from_tss(CPUX86State *env, int dpl, uint32_t *ss,
                             uint32_t *esp, int ext);
/* RSP0-2 (index 0-2) or IST1-7 (index 4-10) from the 64-bit TSS. */
uint64_t x86_get_rsp_from_tss(CPUX86State *env, int index);

/*
 * Switches to the task whose TSS selector (or task-gate target) is
 * tss_selector (task.c, SDM vol. 3, 7.3).  next_eip is saved in the old
 * TSS; for CALL-type switches made by an exception, has_error_code says
 * to push error_code on the new task's stack.  ext (0 or 1) is the EXT
 * bit of the error codes of faults the switch raises: 1 when it delivers
 * an exception or a hardware interrupt (SDM vol. 3, 6.13).
 *
 * Faults found before the commit point leave the old task untouched;
 * faults while loading the new task's segments are raised in the new
 * task's context (its EIP, its registers), as on hardware.
 */
void x86_task_switch(CPUX86State *env, uint32_t tss_selector, int source,
                     uint64_t next_eip, bool has_error_code, int error_code,
                     int ext);

/* The DPL of a descriptor from its high dword. */
static inline uint32_t desc_dpl(uint32_t e2)
{
    return (e2 >> DESC_DPL_SHIFT) & 3;
}

/* The type field together with S (bit 4): 0x00-0x0f system, 0x10- code/data. */
static inline uint32_t desc_type(uint32_t e2)
{
    return (e2 >> DESC_TYPE_SHIFT) & 0x1f;
}

/* Sets the accessed bit of a code/data descriptor in memory (SDM vol. 3,
 * 3.4.5.1) if it is clear, and in *e2. */
void x86_desc_set_accessed(CPUX86State *env, uint32_t selector, uint32_t *e2);

/*
 * Loads a segment register the way virtual-8086 mode does: base =
 * selector * 16, limit 64 KiB, a present ring-3 read/write data segment
 * (a code segment for CS) (SDM vol. 3, 20.1.1).
 */
void x86_load_seg_vm86(CPUX86State *env, int seg, uint32_t selector);

/*
 * Segment descriptor loads for MOV/POP Sreg and LxS, with every check of
 * SDM vol. 2 (MOV): null selectors, type, privilege, present.
 */
void helper_load_seg(CPUX86State *env, int seg, uint32_t selector);

#endif
