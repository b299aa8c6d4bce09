/*
 * CPUID and MSRs of the qemu64 model.
 *
 * PLACEHOLDER until the CPU issue's system-instruction work lands.
 */
#include "target/i386/cpu.h"

uint32_t x86_cpuid_signature(void)
{
    /* Family 15, model 107, stepping 1, as QEMU's qemu64. */
    return 0x00060fb1;
}

void helper_cpuid(CPUX86State *env)
{
}

void helper_rdmsr(CPUX86State *env)
{
    raise_exception_err(env, EXCP0D_GPF, 0);
}

void helper_wrmsr(CPUX86State *env)
{
    raise_exception_err(env, EXCP0D_GPF, 0);
}

uint64_t cpu_get_tsc(CPUX86State *env)
{
    return env->cs->icount + env->tsc_offset;
}
