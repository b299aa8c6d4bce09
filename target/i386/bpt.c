/*
 * Debug registers: instruction, data and I/O breakpoints (SDM vol. 3,
 * 17.2 and 17.3).
 *
 * DR7 enables breakpoint n with its L or G bit and says what it watches
 * with RW (00 instruction, 01 data write, 10 I/O with CR4.DE, 11 data
 * read or write) and LEN (00 1 byte, 01 2, 11 4, 10 8).  Instruction
 * breakpoints are faults checked before the instruction runs (the
 * execution loop calls x86_check_insn_breakpoint when env->dr7_exec);
 * data and I/O breakpoints are traps: the access records the hit in
 * env->pending_dbg and the loop raises #DB after the instruction.
 *
 * While a data breakpoint is enabled (env->watch_data) the TLB keeps no
 * fast-path entries for data, so every data access reaches the slow path
 * in accel/tcg/cputlb.c, which calls x86_check_data_breakpoint.
 */
#include "qemu/osdep.h"
#include "exec/cpu-ldst.h"
#include "target/i386/cpu.h"

enum { BP_RW_EXEC = 0, BP_RW_WRITE = 1, BP_RW_IO = 2, BP_RW_ACCESS = 3 };

static bool bp_enabled(uint64_t dr7, int n)
{
    return (dr7 >> (2 * n)) & 3;
}

static int bp_rw(uint64_t dr7, int n)
{
    return (dr7 >> (16 + 4 * n)) & 3;
}

/* LEN: 00 one byte, 01 two, 10 eight (Intel 64 and AMD64), 11 four. */
static int bp_len(uint64_t dr7, int n)
{
    static const int len[4] = { 1, 2, 8, 4 };

    return len[(dr7 >> (18 + 4 * n)) & 3];
}

/*
 * Does [addr, addr + size) touch breakpoint n's range?  The low address
 * bits covered by LEN are ignored (SDM vol. 3, 17.2.5: the address must
 * be aligned to the length; any byte of the access in the range hits).
 */
static bool bp_overlaps(CPUX86State *env, int n, uint64_t addr, int size)
{
    uint64_t len = bp_len(env->dr[7], n);
    uint64_t start = env->dr[n] & ~(len - 1);

    return addr <= start + len - 1 && start <= addr + size - 1;
}

void x86_update_dr7(CPUX86State *env)
{
    uint64_t dr7 = env->dr[7];
    bool exec = false, data = false;

    for (int n = 0; n < 4; n++) {
        if (!bp_enabled(dr7, n)) {
            continue;
        }
        switch (bp_rw(dr7, n)) {
        case BP_RW_EXEC:
            exec = true;
            break;
        case BP_RW_WRITE:
        case BP_RW_ACCESS:
            data = true;
            break;
        default:
            break; /* I/O: checked by the port access itself */
        }
    }
    env->dr7_exec = exec;
    if (data != env->watch_data) {
        /* Entries filled for the other setting would skip (or needlessly
         * take) the slow path that checks data breakpoints. */
        env->watch_data = data;
        tlb_flush(env);
    }
}

bool x86_check_insn_breakpoint(CPUX86State *env)
{
    uint64_t dr7 = env->dr[7];
    uint64_t pc = cpu_pc(env);
    uint32_t hit = 0;

    if (!(env->hflags & HF_CS64_MASK)) {
        pc = (uint32_t)pc;
    }
    for (int n = 0; n < 4; n++) {
        /* Instruction breakpoints match the first byte, prefixes
         * included; LEN must be 00 (SDM vol. 3, 17.2.5). */
        if (bp_enabled(dr7, n) && bp_rw(dr7, n) == BP_RW_EXEC &&
            env->dr[n] == pc) {
            hit |= 1u << n;
        }
    }
    if (!hit) {
        return false;
    }
    env->dr[6] = (env->dr[6] & ~(uint64_t)DR6_B_MASK) | hit;
    return true;
}

void x86_check_data_breakpoint(CPUX86State *env, uint64_t addr, int size,
                               MMUAccessType access)
{
    uint64_t dr7 = env->dr[7];

    if (access == MMU_INST_FETCH) {
        return;
    }
    for (int n = 0; n < 4; n++) {
        int rw = bp_rw(dr7, n);

        if (!bp_enabled(dr7, n) ||
            !(rw == BP_RW_ACCESS ||
              (rw == BP_RW_WRITE && access == MMU_DATA_STORE))) {
            continue;
        }
        if (bp_overlaps(env, n, addr, size)) {
            env->pending_dbg |= 1u << n;
            /* The trap comes right after this instruction. */
            env->exit_tb = true;
        }
    }
}

void x86_check_io_breakpoint(CPUX86State *env, uint32_t port, int size)
{
    uint64_t dr7 = env->dr[7];

    /* RW = 10 means I/O only with CR4.DE; without it, it is undefined
     * and treated here as no breakpoint. */
    if (!(env->cr[4] & CR4_DE_MASK)) {
        return;
    }
    for (int n = 0; n < 4; n++) {
        if (bp_enabled(dr7, n) && bp_rw(dr7, n) == BP_RW_IO &&
            bp_overlaps(env, n, port, size)) {
            env->pending_dbg |= 1u << n;
            env->exit_tb = true;
        }
    }
}
