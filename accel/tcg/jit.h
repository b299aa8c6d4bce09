/*
 * Call-threaded code for translation blocks (x86-64 hosts).
 *
 * The interpreter runs a block as a loop of indirect calls, one per
 * instruction (d->handler(env, d)).  Here a block becomes a short
 * straight-line machine-code sequence that calls each instruction's
 * handler directly and does the loop's bookkeeping (EIP, the instruction
 * budget, leaving the block) inline: the same handlers in the same order
 * with the same checks, so behaviour and instruction counts are exactly
 * the interpreter's, but every call site has one target (no indirect
 * branch to mispredict).
 */
#ifndef ACCEL_TCG_JIT_H
#define ACCEL_TCG_JIT_H

#include "accel/tcg/tb.h"

typedef void JitFn(CPUX86State *env);

/* Generates the code for tb (NULL if the buffer is full or unsupported). */
JitFn *jit_compile(TranslationBlock *tb);
/* Drops all generated code (with tb_flush). */
void jit_flush(void);
/* False when the host can't run generated code or it was turned off. */
bool jit_enabled(void);

/*
 * What the generated code calls after an instruction that may leave the
 * block (see cpu_exec_tb): returns true to leave.
 */
bool jit_post_slow(CPUX86State *env, const DecodedInsn *d);

#endif
