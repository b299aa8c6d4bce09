/*
 * System instructions
 *
 * PLACEHOLDER until the CPU issue's system work lands: every handler here
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

DEF_HS1(mov_R_cr, unimpl);
DEF_HS1(mov_cr_R, unimpl);
DEF_HS1(mov_R_dr, unimpl);
DEF_HS1(mov_dr_R, unimpl);
DEF_HS1(lgdt, unimpl);
DEF_HS1(lidt, unimpl);
DEF_HS1(sgdt, unimpl);
DEF_HS1(sidt, unimpl);
DEF_HS1(lldt, unimpl);
DEF_HS1(sldt, unimpl);
DEF_HS1(ltr, unimpl);
DEF_HS1(str, unimpl);
DEF_HS1(lmsw, unimpl);
DEF_HS1(smsw, unimpl);
DEF_HS1(invlpg, unimpl);
DEF_HS1(clts, unimpl);
DEF_HS1(invd, unimpl);
DEF_HS1(wbinvd, unimpl);
DEF_HS1(verr, unimpl);
DEF_HS1(verw, unimpl);
DEF_HS1(lar, unimpl);
DEF_HS1(lsl, unimpl);
DEF_HS1(arpl, unimpl);
DEF_HS1(cpuid, unimpl);
DEF_HS1(rdtsc, unimpl);
DEF_HS1(rdtscp, unimpl);
DEF_HS1(rdmsr, unimpl);
DEF_HS1(wrmsr, unimpl);
DEF_HS1(rdpmc, unimpl);
DEF_HS1(sysenter, unimpl);
DEF_HS1(sysexit, unimpl);
DEF_HS1(syscall, unimpl);
DEF_HS1(sysret, unimpl);
DEF_HS1(swapgs, unimpl);
DEF_HS1(fwait, unimpl);
