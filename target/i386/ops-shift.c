/*
 * Shifts and rotates
 *
 * PLACEHOLDER until the CPU issue's shift work lands: every handler here
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

DEF_HS1(rol, unimpl);
DEF_HS1(ror, unimpl);
DEF_HS1(rcl, unimpl);
DEF_HS1(rcr, unimpl);
DEF_HS1(shl, unimpl);
DEF_HS1(shr, unimpl);
DEF_HS1(sar, unimpl);
DEF_HS1(shld, unimpl);
DEF_HS1(shrd, unimpl);
