/*
 * The x87 FPU
 *
 * PLACEHOLDER until the CPU issue's x87 work lands: every handler here
 * raises #UD and logs under -d unimp.  Replace the whole file.
 */
#include "qemu/log.h"
#include "target/i386/ops-common.h"

static void unimpl(CPUX86State *env, const DecodedInsn *d)
{
    qemu_log_mask(LOG_UNIMP, "instruction %s (opcode 0x%x) is not "
                  "implemented yet\n",
                  d->entry && d->entry->name ? d->entry->name : "?",
                  d->opcode);
    raise_exception(env, EXCP06_ILLOP);
}

InsnHandler *x87_select(DecodedInsn *d, uint32_t hflags)
{
    return unimpl;
}
