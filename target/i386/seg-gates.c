/*
 * Call gates, task gates and virtual-8086 IRET
 *
 * PLACEHOLDER until the CPU issue's segmentation work lands: every handler here
 * raises #UD and logs under -d unimp.  Replace the whole file.
 */
#include "qemu/log.h"
#include "target/i386/ops-common.h"

#include "target/i386/seg-ctrl.h"

void x86_far_gate(CPUX86State *env, uint32_t selector, uint32_t e1,
                  uint32_t e2, int ot, uint64_t next_eip, bool is_call)
{
    qemu_log_mask(LOG_UNIMP, "far transfers through gates are not "
                  "implemented yet\n");
    raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
}

void x86_iret_to_vm86(CPUX86State *env, uint64_t new_eip, uint32_t new_cs,
                      uint32_t new_eflags, uint64_t sp)
{
    raise_exception_err(env, EXCP0D_GPF, 0);
}

void x86_iret_in_vm86(CPUX86State *env, int ot)
{
    raise_exception_err(env, EXCP0D_GPF, 0);
}

void x86_iret_task_return(CPUX86State *env, uint64_t next_eip)
{
    raise_exception_err(env, EXCP0A_TSS, 0);
}

void x86_task_switch(CPUX86State *env, uint32_t tss_selector, int source,
                     uint64_t next_eip, bool has_error_code, int error_code)
{
    raise_exception_err(env, EXCP0A_TSS, tss_selector & 0xfffc);
}
