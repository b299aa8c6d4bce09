/*
 * Bit operations and atomics
 *
 * PLACEHOLDER until the CPU issue's bit ops work lands: every handler here
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

DEF_HS1(bt_EG, unimpl);
DEF_HS1(bts_EG, unimpl);
DEF_HS1(btr_EG, unimpl);
DEF_HS1(btc_EG, unimpl);
DEF_HS1(bt_EI, unimpl);
DEF_HS1(bts_EI, unimpl);
DEF_HS1(btr_EI, unimpl);
DEF_HS1(btc_EI, unimpl);
DEF_HS1(bsf, unimpl);
DEF_HS1(bsr, unimpl);
DEF_HS1(cmpxchg, unimpl);
DEF_HS1(cmpxchg8b, unimpl);
DEF_HS1(xadd, unimpl);
