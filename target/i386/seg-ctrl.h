/*
 * Far control transfers (SDM vol. 2, JMP/CALL/RET far, IRET; vol. 3,
 * 5.8 call gates, 7.3 task switches).
 */
#ifndef TARGET_I386_SEG_CTRL_H
#define TARGET_I386_SEG_CTRL_H

#include "target/i386/cpu.h"

/* JMP ptr16:16/32 and JMP m16:16/32 (through gates and TSSs). */
void helper_ljmp(CPUX86State *env, uint32_t selector, uint64_t offset, int ot,
                 uint64_t next_eip);
/* CALL far: pushes CS:EIP (on the new stack through a call gate). */
void helper_lcall(CPUX86State *env, uint32_t selector, uint64_t offset, int ot,
                  uint64_t next_eip);
/* RET far, popping imm extra bytes. */
void helper_lret(CPUX86State *env, int ot, uint32_t imm);
/* IRET / IRETD / IRETQ. */
void helper_iret(CPUX86State *env, int ot, uint64_t next_eip);

/* ---- pieces implemented in seg-gates.c and task.c ---- */

/*
 * JMP/CALL far to a system descriptor: a call gate (possibly to an inner
 * level, copying parameters), a task gate or a TSS.
 */
void x86_far_gate(CPUX86State *env, uint32_t selector, uint32_t e1, uint32_t e2,
                  int ot, uint64_t next_eip, bool is_call);
/* IRET from protected mode (CPL 0) into a virtual-8086 task. */
void x86_iret_to_vm86(CPUX86State *env, uint64_t new_eip, uint32_t new_cs,
                      uint32_t new_eflags, uint64_t sp);
/* IRET executed in virtual-8086 mode (IOPL 3, else #GP). */
void x86_iret_in_vm86(CPUX86State *env, int ot);
/* IRET with NT set: return to the previous task (back link). */
void x86_iret_task_return(CPUX86State *env, uint64_t next_eip);

#endif
