/*
 * MMX and SSE2 integer SIMD and SIMD moves
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

DEF_HS1(emms, unimpl);
DEF_HS1(maskmov, unimpl);
DEF_HS1(movaps_ld, unimpl);
DEF_HS1(movaps_st, unimpl);
DEF_HS1(movd_E_mm, unimpl);
DEF_HS1(movd_E_xmm, unimpl);
DEF_HS1(movd_mm_E, unimpl);
DEF_HS1(movd_xmm_E, unimpl);
DEF_HS1(movddup, unimpl);
DEF_HS1(movdq2q, unimpl);
DEF_HS1(movdqa_ld, unimpl);
DEF_HS1(movdqa_st, unimpl);
DEF_HS1(movdqu_ld, unimpl);
DEF_HS1(movdqu_st, unimpl);
DEF_HS1(movhpd_ld, unimpl);
DEF_HS1(movhps_ld, unimpl);
DEF_HS1(movhps_st, unimpl);
DEF_HS1(movlpd_ld, unimpl);
DEF_HS1(movlps_ld, unimpl);
DEF_HS1(movlps_st, unimpl);
DEF_HS1(movnti, unimpl);
DEF_HS1(movq2dq, unimpl);
DEF_HS1(movq_mm_ld, unimpl);
DEF_HS1(movq_mm_st, unimpl);
DEF_HS1(movq_xmm_ld, unimpl);
DEF_HS1(movq_xmm_st, unimpl);
DEF_HS1(movsd_ld, unimpl);
DEF_HS1(movsd_st, unimpl);
DEF_HS1(movshdup, unimpl);
DEF_HS1(movsldup, unimpl);
DEF_HS1(movss_ld, unimpl);
DEF_HS1(movss_st, unimpl);
DEF_HS1(movups_ld, unimpl);
DEF_HS1(movups_st, unimpl);
DEF_HS1(packssdw, unimpl);
DEF_HS1(packsswb, unimpl);
DEF_HS1(packuswb, unimpl);
DEF_HS1(paddb, unimpl);
DEF_HS1(paddd, unimpl);
DEF_HS1(paddq, unimpl);
DEF_HS1(paddsb, unimpl);
DEF_HS1(paddsw, unimpl);
DEF_HS1(paddusb, unimpl);
DEF_HS1(paddusw, unimpl);
DEF_HS1(paddw, unimpl);
DEF_HS1(pand, unimpl);
DEF_HS1(pandn, unimpl);
DEF_HS1(pavgb, unimpl);
DEF_HS1(pavgw, unimpl);
DEF_HS1(pcmpeqb, unimpl);
DEF_HS1(pcmpeqd, unimpl);
DEF_HS1(pcmpeqw, unimpl);
DEF_HS1(pcmpgtb, unimpl);
DEF_HS1(pcmpgtd, unimpl);
DEF_HS1(pcmpgtw, unimpl);
DEF_HS1(pextrw, unimpl);
DEF_HS1(pinsrw, unimpl);
DEF_HS1(pmaddwd, unimpl);
DEF_HS1(pmaxsw, unimpl);
DEF_HS1(pmaxub, unimpl);
DEF_HS1(pminsw, unimpl);
DEF_HS1(pminub, unimpl);
DEF_HS1(pmovmskb, unimpl);
DEF_HS1(pmulhuw, unimpl);
DEF_HS1(pmulhw, unimpl);
DEF_HS1(pmullw, unimpl);
DEF_HS1(pmuludq, unimpl);
DEF_HS1(por, unimpl);
DEF_HS1(psadbw, unimpl);
DEF_HS1(pshufd, unimpl);
DEF_HS1(pshufhw, unimpl);
DEF_HS1(pshuflw, unimpl);
DEF_HS1(pshufw, unimpl);
DEF_HS1(pslld, unimpl);
DEF_HS1(pslld_imm, unimpl);
DEF_HS1(pslldq_imm, unimpl);
DEF_HS1(psllq, unimpl);
DEF_HS1(psllq_imm, unimpl);
DEF_HS1(psllw, unimpl);
DEF_HS1(psllw_imm, unimpl);
DEF_HS1(psrad, unimpl);
DEF_HS1(psrad_imm, unimpl);
DEF_HS1(psraw, unimpl);
DEF_HS1(psraw_imm, unimpl);
DEF_HS1(psrld, unimpl);
DEF_HS1(psrld_imm, unimpl);
DEF_HS1(psrldq_imm, unimpl);
DEF_HS1(psrlq, unimpl);
DEF_HS1(psrlq_imm, unimpl);
DEF_HS1(psrlw, unimpl);
DEF_HS1(psrlw_imm, unimpl);
DEF_HS1(psubb, unimpl);
DEF_HS1(psubd, unimpl);
DEF_HS1(psubq, unimpl);
DEF_HS1(psubsb, unimpl);
DEF_HS1(psubsw, unimpl);
DEF_HS1(psubusb, unimpl);
DEF_HS1(psubusw, unimpl);
DEF_HS1(psubw, unimpl);
DEF_HS1(punpckhbw, unimpl);
DEF_HS1(punpckhdq, unimpl);
DEF_HS1(punpckhqdq, unimpl);
DEF_HS1(punpckhwd, unimpl);
DEF_HS1(punpcklbw, unimpl);
DEF_HS1(punpckldq, unimpl);
DEF_HS1(punpcklqdq, unimpl);
DEF_HS1(punpcklwd, unimpl);
DEF_HS1(pxor, unimpl);
