/*
 * Decimal arithmetic
 *
 * PLACEHOLDER until the CPU issue's BCD work lands: every handler here
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

DEF_HS1(daa, unimpl);
DEF_HS1(das, unimpl);
DEF_HS1(aaa, unimpl);
DEF_HS1(aas, unimpl);
DEF_HS1(aam, unimpl);
DEF_HS1(aad, unimpl);
DEF_HS1(salc, unimpl);
