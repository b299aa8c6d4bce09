/*
 * The execution loop: runs translation blocks for exactly a budget of
 * instructions, delivers exceptions and interrupts at instruction
 * boundaries (SDM vol. 3, 6.9), stops on HLT and exit requests.
 *
 * Counting: env->icount_left is decremented once for every instruction
 * that completes (a faulting instruction does not complete).  A REP
 * string instruction counts each iteration (ops-string.c), so a budget
 * may end between iterations, with EIP still at the instruction and
 * ECX/ESI/EDI updated: exactly where an interrupt could arrive.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/cpu-ldst.h"
#include "accel/tcg/tb.h"
#include "accel/tcg/cpu-exec.h"
#include "accel/tcg/jit.h"

/* Blocks run this often by the interpreter get generated code. */
#define JIT_THRESHOLD 2

/*
 * Runs the block's instructions until it ends, the budget runs out or an
 * instruction asks to leave.  Exceptions leave by longjmp.
 */
static void cpu_exec_tb(CPUX86State *env, TranslationBlock *tb)
{
    const DecodedInsn *d = tb->insns;
    const DecodedInsn *end = d + tb->n_insns;
    bool rf = false;

    if (unlikely(env->hflags & HF_INHIBIT_IRQ_MASK)) {
        /* The interrupt shadow covers exactly one instruction. */
        end = d + 1;
    }
    if (unlikely(env->eflags & RF_MASK)) {
        /*
         * RF (set only by IRET, task switches and fault delivery, so only
         * ever for a block's first instruction) suppresses instruction
         * breakpoints for one instruction and is cleared at its start,
         * after that check (SDM vol. 3, 17.3.1.1).
         */
        env->eflags &= ~RF_MASK;
        rf = true;
    }
    env->exit_tb = false;
    do {
        if (unlikely(env->dr7_exec)) {
            /* Instruction breakpoints are faults, checked before each
             * instruction (SDM vol. 3, 17.3.1.1). */
            if (!rf && x86_check_insn_breakpoint(env)) {
                raise_exception(env, EXCP01_DB);
            }
            rf = false;
        }
        d->handler(env, d);
        if (unlikely((d->flags & (INSN_JUMP | INSN_END_TB | INSN_REP_STRING)) ||
                     env->exit_tb)) {
            if (env->insn_incomplete) {
                /*
                 * A REP string insn stopped between iterations: as for an
                 * interrupt or trap there, RF = 1 so resuming it does not
                 * hit its instruction breakpoint again (17.3.1.1).
                 */
                env->insn_incomplete = false;
                env->eflags |= RF_MASK;
                return;
            }
            if (!(d->flags & INSN_JUMP)) {
                env->eip += d->len;
            }
            env->icount_left--;
            if ((d->flags & (INSN_JUMP | INSN_END_TB)) || env->exit_tb) {
                break;
            }
        } else {
            env->eip += d->len;
            env->icount_left--;
        }
    } while (++d < end && env->icount_left > 0);

    if (!(env->hflags & HF_CS64_MASK) && !(env->hflags & HF_CS32_MASK)) {
        /* 16-bit code: IP wraps at 64 KiB. */
        env->eip &= 0xffff;
    }
}

/* Something may end the interrupt shadow or trap after an instruction. */
static void cpu_exec_post_insn(CPUX86State *env, TranslationBlock *tb)
{
    if (env->hflags & HF_INHIBIT_IRQ_MASK) {
        /* Set by this block's own insn (STI/MOV SS) or consumed by it. */
        if (!env->inhibit_irq_just_set) {
            env->hflags &= ~HF_INHIBIT_IRQ_MASK;
        }
        env->inhibit_irq_just_set = false;
    }
    if (unlikely(env->dbg_inhibit)) {
        /* After MOV SS / POP SS: this instruction's debug traps come
         * after the next one (a pending data breakpoint waits). */
        env->dbg_inhibit = false;
        env->tf_suppressed = false;
        return;
    }
    if (unlikely(env->pending_dbg) ||
        (unlikely(tb->flags & HF_TF_MASK) && !env->tf_suppressed)) {
        /*
         * Data/I/O breakpoints (SDM vol. 3, 17.2.5) and the single-step
         * trap after an insn that began with TF set (17.3.1.4) are
         * traps; one #DB reports them together in DR6.
         */
        if (env->pending_dbg) {
            env->dr[6] =
                (env->dr[6] & ~(uint64_t)DR6_B_MASK) | env->pending_dbg;
            env->pending_dbg = 0;
        }
        if ((tb->flags & HF_TF_MASK) && !env->tf_suppressed) {
            env->dr[6] |= DR6_BS;
        }
        env->tf_suppressed = false;
        raise_interrupt(env, EXCP01_DB, false, 0, env->eip);
    }
    env->tf_suppressed = false;
}

/* Delivers a pending NMI or hardware interrupt; true if one was. */
static bool cpu_handle_interrupt(CPUX86State *env)
{
    uint32_t req = env->interrupt_request;

    if (env->hflags & HF_INHIBIT_IRQ_MASK) {
        return false;
    }
    if ((req & CPU_INTERRUPT_NMI) && !env->nmi_blocked) {
        env->interrupt_request &= ~CPU_INTERRUPT_NMI;
        env->nmi_blocked = true;
        env->halted = false;
        x86_do_interrupt(env, EXCP02_NMI, false, 0, EIP_FAULT, true);
        return true;
    }
    if ((req & CPU_INTERRUPT_HARD) && (env->eflags & IF_MASK)) {
        int vector =
            env->get_intr_vector ? env->get_intr_vector(env->intr_opaque) : -1;

        env->halted = false;
        if (vector < 0) {
            /* The controller withdrew the request (spurious). */
            env->interrupt_request &= ~CPU_INTERRUPT_HARD;
            return false;
        }
        qemu_log_mask(CPU_LOG_INT,
                      "hardware interrupt 0x%02x at "
                      "%04x:%016" PRIx64 "\n",
                      vector, env->segs[R_CS].selector, env->eip);
        x86_do_interrupt(env, vector, false, 0, EIP_FAULT, true);
        return true;
    }
    return false;
}

/* The block to run next: a chained successor, or a lookup. */
static TranslationBlock *next_tb(CPUX86State *env, TranslationBlock *prev,
                                 uint64_t prev_pc, uint64_t prev_gen)
{
    uint64_t cs_base = env->segs[R_CS].base;
    uint64_t pc = cs_base + env->eip;
    uint32_t flags = env->hflags & HF_TB_MASK;
    int slot;
    TranslationBlock *tb;

    if (!(env->hflags & HF_CS64_MASK)) {
        pc = (uint32_t)pc;
    }
    if (!prev) {
        return tb_lookup(env);
    }
    slot = pc == prev_pc + prev->size ? 0 : 1;
    tb = prev->jmp_next[slot];
    if (tb && prev->jmp_gen[slot] == env->tlb_gen && tb->valid &&
        tb->pc == pc && tb->flags == flags && tb->cs_base == cs_base) {
        return tb;
    }
    tb = tb_lookup(env);
    /*
     * Chain within one page: the target's translation is then the
     * source's, valid until the next TLB flush (tlb_gen).
     */
    if (tb->cached && prev->valid && env->tlb_gen == prev_gen &&
        ((pc ^ prev_pc) & ~0xfffull) == 0) {
        prev->jmp_next[slot] = tb;
        prev->jmp_gen[slot] = env->tlb_gen;
    }
    return tb;
}

/*
 * The loop over blocks.  It is a function of its own so that its locals
 * live in registers: after an exception the longjmp lands in
 * x86_cpu_exec, which simply calls it again.
 */
static void cpu_exec_loop(CPUState *cs, CPUX86State *env)
{
    TranslationBlock *prev = NULL;
    uint64_t prev_pc = 0, prev_gen = 0;

    while (env->icount_left > 0) {
        TranslationBlock *tb;

        if (unlikely(cs->exit_request | env->halted |
                     (env->interrupt_request != 0))) {
            if (cs->exit_request) {
                break;
            }
            if (env->interrupt_request && cpu_handle_interrupt(env)) {
                prev = NULL;
                continue;
            }
            if (env->halted) {
                break;
            }
        }
        if (unlikely(tb_flush_pending)) {
            tb_gc(env);
            prev = NULL;
        }
        tb = next_tb(env, prev, prev_pc, prev_gen);
        prev_pc = tb->pc;
        prev_gen = env->tlb_gen;
        if (unlikely(qemu_loglevel_mask(CPU_LOG_TB_CPU))) {
            /* -d cpu: the state before each block. */
            x86_cpu_dump_state(env, qemu_log_file(), 0);
        }
        if (likely(tb->jit) && !(env->hflags & HF_INHIBIT_IRQ_MASK) &&
            !(env->eflags & RF_MASK) && !env->dr7_exec) {
            /* The same instructions, as straight-line code (jit.c). */
            env->exit_tb = false;
            tb->jit(env);
            if (!(env->hflags & (HF_CS64_MASK | HF_CS32_MASK))) {
                env->eip &= 0xffff;
            }
        } else {
            if (!tb->jit && tb->cached && ++tb->exec_count == JIT_THRESHOLD) {
                tb->jit = jit_compile(tb);
            }
            cpu_exec_tb(env, tb);
        }
        if (unlikely((env->hflags & HF_INHIBIT_IRQ_MASK) |
                     (tb->flags & HF_TF_MASK) | env->dbg_inhibit |
                     (env->pending_dbg != 0) | env->tf_suppressed)) {
            cpu_exec_post_insn(env, tb);
        }
        prev = tb;
    }
}

int64_t x86_cpu_exec(CPUState *cs, int64_t budget)
{
    X86CPU *cpu = container_of(cs, X86CPU, parent);
    CPUX86State *env = &cpu->env;

    env->icount_left = budget;
    if (sigsetjmp(env->jmp_env, 0) != 0) {
        /*
         * An instruction faulted (or trapped): deliver it.  Delivery can
         * fault in turn and come back here; x86_do_interrupt turns that
         * into #DF or a triple fault.
         */
        int vector = env->exception_index;

        env->exception_index = -1;
        env->insn_incomplete = false;
        /* Breakpoint hits of a faulting instruction don't trap. */
        env->pending_dbg = 0;
        if (env->triple_fault) {
            goto out;
        }
        x86_do_interrupt(env, vector, env->exception_is_int, env->error_code,
                         env->exception_next_eip, false);
        env->old_exception = -1;
        if (env->triple_fault) {
            goto out;
        }
    }
    cpu_exec_loop(cs, env);
out:
    cs->halted = env->halted;
    return budget - env->icount_left;
}
