/*
 * Multiply and divide
 *
 * PLACEHOLDER until the CPU issue's mul/div work lands: every handler here
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

DEF_HS1(mul_E, unimpl);
DEF_HS1(imul_E, unimpl);
DEF_HS1(div_E, unimpl);
DEF_HS1(idiv_E, unimpl);
DEF_HS1(imul_GE, unimpl);
DEF_HS1(imul_GEI, unimpl);
