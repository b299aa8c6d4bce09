/*
 * Debug registers: instruction and data breakpoints (SDM vol. 3, 17.2).
 *
 * PLACEHOLDER until the CPU issue's system-instruction work lands.
 */
#include "target/i386/cpu.h"

void x86_check_data_breakpoint(CPUX86State *env, uint64_t addr,
                               MMUAccessType access)
{
}

void x86_update_dr7(CPUX86State *env)
{
    env->watch_data = false;
    env->dr7_exec = false;
}

bool x86_check_insn_breakpoint(CPUX86State *env)
{
    return false;
}
