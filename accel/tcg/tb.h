/*
 * Translation blocks: runs of decoded instructions.
 *
 * A block starts at some instruction and ends after a control transfer,
 * after an instruction that changes how later code runs (INSN_END_TB),
 * before the next 4 KiB page, or at TB_MAX_INSNS.  Blocks are keyed by
 * the physical address of their first byte and the decoding mode
 * (hflags & HF_TB_MASK).  Decoded instructions hold no absolute
 * addresses (branches and RIP-relative operands are relative to EIP at
 * run time), so one block serves every virtual alias of its page.
 */
#ifndef ACCEL_TCG_TB_H
#define ACCEL_TCG_TB_H

#include "target/i386/decode.h"

#define TB_MAX_INSNS 128

struct TranslationBlock {
    hwaddr phys_pc;    /* physical address of the first byte */
    hwaddr phys_page2; /* second page of a straddling insn, or -1 */
    uint64_t pc;       /* linear address it was translated at */
    uint64_t cs_base;
    uint32_t flags; /* hflags & HF_TB_MASK */
    bool valid;     /* false once its code was overwritten */
    bool cached;    /* in the hash table (not MMIO code) */
    uint16_t n_insns;
    uint16_t size; /* bytes of guest code */
    /* Direct successors, filled lazily (chaining). */
    TranslationBlock *jmp_next[2];
    uint64_t jmp_gen[2]; /* env->tlb_gen when the chain was made */
    TranslationBlock *hash_next;
    /* Generated code (accel/tcg/jit.c) once the block runs often. */
    void (*jit)(CPUX86State *env);
    uint32_t exec_count;
    DecodedInsn insns[];
};

/* Finds or translates the block at the CPU's current CS:EIP. */
TranslationBlock *tb_lookup(CPUX86State *env);
/* Code on [addr, addr+len) changed: invalidate the blocks there. */
void tb_invalidate_phys_range(hwaddr addr, hwaddr len);
bool tb_page_has_code(hwaddr page);
/* Drops every block (after a full TLB flush of the code mapping, or to
 * reclaim memory); only at a point where no block is executing. */
void tb_flush(CPUX86State *env);
/* The per-CPU virtual-PC cache; cleared on every TLB flush. */
void tb_jmp_cache_clear(CPUX86State *env);
/*
 * The block arena is full: tb_gc() flushes everything; call it between
 * blocks when tb_flush_pending is set.
 */
extern bool tb_flush_pending;
void tb_gc(CPUX86State *env);

/* Statistics for tests and "info jit". */
typedef struct TBStats {
    uint64_t translated;
    uint64_t invalidated;
    uint64_t flushes;
} TBStats;
extern TBStats tb_stats;

#endif
