/*
 * Every instruction handler set, by the file that implements it.  The
 * opcode tables in decode.c refer to these; see decode.h for the handler
 * signature and DecodedInsn.
 *
 * Conventions for handlers:
 *  - EIP points at the current instruction while it runs.  A handler
 *    without INSN_JUMP leaves EIP alone (the loop adds the length); a
 *    jump handler sets EIP itself.
 *  - Fault before commit: every memory access that may fault happens
 *    before any register, flag or other memory is changed, so a faulting
 *    instruction leaves no trace (the SDM's fault semantics) and retires
 *    nothing.
 *  - String instructions count their own iterations (see ops-string.c).
 */
#ifndef TARGET_I386_OPS_H
#define TARGET_I386_OPS_H

#include "target/i386/decode.h"

/* clang-format off */
#define HS(name) extern const InsnHandlerSet hs_##name

/* ops-alu.c: ADD OR ADC SBB AND SUB XOR CMP in four forms each
 * (EG: r/m op= reg, GE: reg op= r/m, AI: accumulator op= imm,
 *  EI: r/m op= imm), TEST, INC, DEC, NOT, NEG */
#define ALU_FORMS(op) HS(op##_EG); HS(op##_GE); HS(op##_AI); HS(op##_EI)
ALU_FORMS(add); ALU_FORMS(or); ALU_FORMS(adc); ALU_FORMS(sbb);
ALU_FORMS(and); ALU_FORMS(sub); ALU_FORMS(xor); ALU_FORMS(cmp);
#undef ALU_FORMS
HS(test_EG); HS(test_AI); HS(test_EI);
HS(inc_E); HS(dec_E); HS(inc_R); HS(dec_R);
HS(not_E); HS(neg_E);

/* ops-muldiv.c */
HS(mul_E); HS(imul_E); HS(div_E); HS(idiv_E);
HS(imul_GE); HS(imul_GEI);

/* ops-shift.c: group 2 (the count is imm, 1, or CL per INSN_COUNT_CL) */
HS(rol); HS(ror); HS(rcl); HS(rcr); HS(shl); HS(shr); HS(sar);
HS(shld); HS(shrd);

/* ops-bcd.c */
HS(daa); HS(das); HS(aaa); HS(aas); HS(aam); HS(aad); HS(salc);

/* ops-mov.c */
HS(mov_EG); HS(mov_GE); HS(mov_EI); HS(mov_RI);
HS(mov_AO); HS(mov_OA);          /* A0-A3: moffs in imm */
HS(mov_E_sreg); HS(mov_sreg_E);  /* 8C, 8E */
HS(lea); HS(xchg_EG); HS(xchg_AR);
HS(movzx_b); HS(movzx_w); HS(movsx_b); HS(movsx_w); HS(movsxd);
HS(cbw); HS(cwd);                /* 98, 99 */
HS(cmov); HS(setcc);             /* condition in the opcode's low nibble */
HS(bswap); HS(xlat); HS(lahf); HS(sahf);
HS(lxs);                         /* LES LDS LSS LFS LGS: segment by opcode */
HS(nop); HS(pause);

/* ops-stack.c */
HS(push_R); HS(pop_R); HS(push_I); HS(push_E); HS(pop_E);
HS(push_sreg); HS(pop_sreg);     /* segment from the opcode */
HS(pusha); HS(popa); HS(pushf); HS(popf); HS(enter); HS(leave);

/* ops-ctrl.c */
HS(jcc); HS(jmp_rel); HS(call_rel); HS(ret); HS(ret_imm);
HS(jmp_E); HS(call_E);
HS(loop); HS(loope); HS(loopne); HS(jcxz);
HS(ljmp_far); HS(lcall_far); HS(ljmp_E); HS(lcall_E);
HS(lret); HS(lret_imm); HS(iret);
HS(int_imm); HS(int3); HS(into); HS(int1); HS(bound);
HS(clc); HS(stc); HS(cmc); HS(cld); HS(std); HS(cli); HS(sti);
HS(hlt);

/* ops-string.c */
HS(movs); HS(cmps); HS(stos); HS(lods); HS(scas); HS(ins); HS(outs);

/* ops-io.c */
HS(in_AI); HS(out_IA); HS(in_AD); HS(out_DA);

/* ops-bit.c */
HS(bt_EG); HS(bts_EG); HS(btr_EG); HS(btc_EG);
HS(bt_EI); HS(bts_EI); HS(btr_EI); HS(btc_EI);
HS(bsf); HS(bsr);
HS(cmpxchg); HS(cmpxchg8b); HS(xadd);

/* ops-sys.c */
HS(mov_R_cr); HS(mov_cr_R); HS(mov_R_dr); HS(mov_dr_R);
HS(lgdt); HS(lidt); HS(sgdt); HS(sidt);
HS(lldt); HS(sldt); HS(ltr); HS(str);
HS(lmsw); HS(smsw); HS(invlpg); HS(clts); HS(invd); HS(wbinvd);
HS(verr); HS(verw); HS(lar); HS(lsl); HS(arpl);
HS(cpuid); HS(rdtsc); HS(rdtscp); HS(rdmsr); HS(wrmsr); HS(rdpmc);
HS(sysenter); HS(sysexit); HS(syscall); HS(sysret); HS(swapgs);
HS(fwait);

/* sse-fp.c: SSE/SSE2/SSE3 floating point, MXCSR, FXSAVE/FXRSTOR, fences */
HS(addpd); HS(addps); HS(addsd); HS(addss); HS(addsubpd); HS(addsubps);
HS(andnps); HS(andps); HS(clflush); HS(cmppd); HS(cmpps); HS(cmpsd);
HS(cmpss); HS(comisd); HS(comiss); HS(cvtdq2pd); HS(cvtdq2ps); HS(cvtpd2dq);
HS(cvtpd2pi); HS(cvtpd2ps); HS(cvtpi2pd); HS(cvtpi2ps); HS(cvtps2dq);
HS(cvtps2pd); HS(cvtps2pi); HS(cvtsd2si); HS(cvtsd2ss); HS(cvtsi2sd);
HS(cvtsi2ss); HS(cvtss2sd); HS(cvtss2si); HS(cvttpd2dq); HS(cvttpd2pi);
HS(cvttps2dq); HS(cvttps2pi); HS(cvttsd2si); HS(cvttss2si); HS(divpd);
HS(divps); HS(divsd); HS(divss); HS(fence); HS(fxrstor); HS(fxsave);
HS(haddpd); HS(haddps); HS(hsubpd); HS(hsubps); HS(ldmxcsr); HS(maxpd);
HS(maxps); HS(maxsd); HS(maxss); HS(minpd); HS(minps); HS(minsd); HS(minss);
HS(movmskpd); HS(movmskps); HS(mulpd); HS(mulps); HS(mulsd); HS(mulss);
HS(orps); HS(rcpps); HS(rcpss); HS(rsqrtps); HS(rsqrtss); HS(shufpd);
HS(shufps); HS(sqrtpd); HS(sqrtps); HS(sqrtsd); HS(sqrtss); HS(stmxcsr);
HS(subpd); HS(subps); HS(subsd); HS(subss); HS(ucomisd); HS(ucomiss);
HS(unpckhpd); HS(unpckhps); HS(unpcklpd); HS(unpcklps); HS(xorps);

/* sse-int.c: MMX and SSE2 integer SIMD, SIMD moves, EMMS
 * (slot 0: the MMX form, slot 1: the XMM form; see D_SIMD64/128) */
HS(emms); HS(maskmov); HS(movaps_ld); HS(movaps_st); HS(movd_E_mm);
HS(movd_E_xmm); HS(movd_mm_E); HS(movd_xmm_E); HS(movddup); HS(movdq2q);
HS(movdqa_ld); HS(movdqa_st); HS(movdqu_ld); HS(movdqu_st); HS(movhpd_ld);
HS(movhps_ld); HS(movhps_st); HS(movlpd_ld); HS(movlps_ld); HS(movlps_st);
HS(movnti); HS(movq2dq); HS(movq_mm_ld); HS(movq_mm_st); HS(movq_xmm_ld);
HS(movq_xmm_st); HS(movsd_ld); HS(movsd_st); HS(movshdup); HS(movsldup);
HS(movss_ld); HS(movss_st); HS(movups_ld); HS(movups_st); HS(packssdw);
HS(packsswb); HS(packuswb); HS(paddb); HS(paddd); HS(paddq); HS(paddsb);
HS(paddsw); HS(paddusb); HS(paddusw); HS(paddw); HS(pand); HS(pandn);
HS(pavgb); HS(pavgw); HS(pcmpeqb); HS(pcmpeqd); HS(pcmpeqw); HS(pcmpgtb);
HS(pcmpgtd); HS(pcmpgtw); HS(pextrw); HS(pinsrw); HS(pmaddwd); HS(pmaxsw);
HS(pmaxub); HS(pminsw); HS(pminub); HS(pmovmskb); HS(pmulhuw); HS(pmulhw);
HS(pmullw); HS(pmuludq); HS(por); HS(psadbw); HS(pshufd); HS(pshufhw);
HS(pshuflw); HS(pshufw); HS(pslld); HS(pslld_imm); HS(pslldq_imm); HS(psllq);
HS(psllq_imm); HS(psllw); HS(psllw_imm); HS(psrad); HS(psrad_imm); HS(psraw);
HS(psraw_imm); HS(psrld); HS(psrld_imm); HS(psrldq_imm); HS(psrlq);
HS(psrlq_imm); HS(psrlw); HS(psrlw_imm); HS(psubb); HS(psubd); HS(psubq);
HS(psubsb); HS(psubsw); HS(psubusb); HS(psubusw); HS(psubw); HS(punpckhbw);
HS(punpckhdq); HS(punpckhqdq); HS(punpckhwd); HS(punpcklbw); HS(punpckldq);
HS(punpcklqdq); HS(punpcklwd); HS(pxor);

/* x87.c: D8-DF pick their handler from the opcode and ModRM. */
InsnHandler *x87_select(DecodedInsn *d, uint32_t hflags);

/* clang-format on */
#undef HS

/* Defines a set whose four sizes share one handler. */
#define DEF_HS1(name, fn) \
    const InsnHandlerSet hs_##name = { { fn, fn, fn, fn } }
/* A set with register-form specialisations fn_8_r ... fn_64_r. */
#define DEF_HS4R(name, fn)                                                    \
    const InsnHandlerSet hs_##name = { { fn##_8, fn##_16, fn##_32, fn##_64 }, \
                                       { fn##_8_r, fn##_16_r, fn##_32_r,      \
                                         fn##_64_r } }
/* Defines a set from handlers fn_8, fn_16, fn_32, fn_64. */
#define DEF_HS4(name, fn) \
    const InsnHandlerSet hs_##name = { { fn##_8, fn##_16, fn##_32, fn##_64 } }

#endif
