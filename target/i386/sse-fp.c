/*
 * SSE, SSE2 and SSE3 floating point
 *
 * PLACEHOLDER until the SIMD work of issue 4 lands: every handler raises
 * #UD and logs under -d unimp.  Replace the whole file.
 */
#include "qemu/log.h"
#include "target/i386/sse-common.h"

static void unimpl(CPUX86State *env, const DecodedInsn *d)
{
    qemu_log_mask(LOG_UNIMP,
                  "SIMD instruction %s (opcode 0x%x) is not "
                  "implemented yet\n",
                  d->entry && d->entry->name ? d->entry->name : "?", d->opcode);
    raise_exception(env, EXCP06_ILLOP);
}

DEF_HS1(addpd, unimpl);
DEF_HS1(addps, unimpl);
DEF_HS1(addsd, unimpl);
DEF_HS1(addss, unimpl);
DEF_HS1(addsubpd, unimpl);
DEF_HS1(addsubps, unimpl);
DEF_HS1(andnps, unimpl);
DEF_HS1(andps, unimpl);
DEF_HS1(clflush, unimpl);
DEF_HS1(cmppd, unimpl);
DEF_HS1(cmpps, unimpl);
DEF_HS1(cmpsd, unimpl);
DEF_HS1(cmpss, unimpl);
DEF_HS1(comisd, unimpl);
DEF_HS1(comiss, unimpl);
DEF_HS1(cvtdq2pd, unimpl);
DEF_HS1(cvtdq2ps, unimpl);
DEF_HS1(cvtpd2dq, unimpl);
DEF_HS1(cvtpd2pi, unimpl);
DEF_HS1(cvtpd2ps, unimpl);
DEF_HS1(cvtpi2pd, unimpl);
DEF_HS1(cvtpi2ps, unimpl);
DEF_HS1(cvtps2dq, unimpl);
DEF_HS1(cvtps2pd, unimpl);
DEF_HS1(cvtps2pi, unimpl);
DEF_HS1(cvtsd2si, unimpl);
DEF_HS1(cvtsd2ss, unimpl);
DEF_HS1(cvtsi2sd, unimpl);
DEF_HS1(cvtsi2ss, unimpl);
DEF_HS1(cvtss2sd, unimpl);
DEF_HS1(cvtss2si, unimpl);
DEF_HS1(cvttpd2dq, unimpl);
DEF_HS1(cvttpd2pi, unimpl);
DEF_HS1(cvttps2dq, unimpl);
DEF_HS1(cvttps2pi, unimpl);
DEF_HS1(cvttsd2si, unimpl);
DEF_HS1(cvttss2si, unimpl);
DEF_HS1(divpd, unimpl);
DEF_HS1(divps, unimpl);
DEF_HS1(divsd, unimpl);
DEF_HS1(divss, unimpl);
DEF_HS1(fence, unimpl);
DEF_HS1(fxrstor, unimpl);
DEF_HS1(fxsave, unimpl);
DEF_HS1(haddpd, unimpl);
DEF_HS1(haddps, unimpl);
DEF_HS1(hsubpd, unimpl);
DEF_HS1(hsubps, unimpl);
DEF_HS1(ldmxcsr, unimpl);
DEF_HS1(maxpd, unimpl);
DEF_HS1(maxps, unimpl);
DEF_HS1(maxsd, unimpl);
DEF_HS1(maxss, unimpl);
DEF_HS1(minpd, unimpl);
DEF_HS1(minps, unimpl);
DEF_HS1(minsd, unimpl);
DEF_HS1(minss, unimpl);
DEF_HS1(movmskpd, unimpl);
DEF_HS1(movmskps, unimpl);
DEF_HS1(mulpd, unimpl);
DEF_HS1(mulps, unimpl);
DEF_HS1(mulsd, unimpl);
DEF_HS1(mulss, unimpl);
DEF_HS1(orps, unimpl);
DEF_HS1(rcpps, unimpl);
DEF_HS1(rcpss, unimpl);
DEF_HS1(rsqrtps, unimpl);
DEF_HS1(rsqrtss, unimpl);
DEF_HS1(shufpd, unimpl);
DEF_HS1(shufps, unimpl);
DEF_HS1(sqrtpd, unimpl);
DEF_HS1(sqrtps, unimpl);
DEF_HS1(sqrtsd, unimpl);
DEF_HS1(sqrtss, unimpl);
DEF_HS1(stmxcsr, unimpl);
DEF_HS1(subpd, unimpl);
DEF_HS1(subps, unimpl);
DEF_HS1(subsd, unimpl);
DEF_HS1(subss, unimpl);
DEF_HS1(ucomisd, unimpl);
DEF_HS1(ucomiss, unimpl);
DEF_HS1(unpckhpd, unimpl);
DEF_HS1(unpckhps, unimpl);
DEF_HS1(unpcklpd, unimpl);
DEF_HS1(unpcklps, unimpl);
DEF_HS1(xorps, unimpl);
