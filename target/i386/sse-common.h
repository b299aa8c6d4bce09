/*
 * Helpers shared by the SIMD handlers (sse-fp.c, sse-int.c): the
 * availability checks, MMX and XMM registers, memory operands with the
 * SSE alignment rule, and SIMD floating-point exceptions.
 *
 * SDM vol. 1 chapters 9-12; vol. 3 13.1-13.4 (the OS support bits).
 */
#ifndef TARGET_I386_SSE_COMMON_H
#define TARGET_I386_SSE_COMMON_H

#include "target/i386/ops-common.h"
#include "target/i386/x87.h"
#include "fpu/softfloat.h"

/* MXCSR (SDM vol. 1, 10.2.3) */
#define MXCSR_IE         0x0001
#define MXCSR_DE         0x0002
#define MXCSR_ZE         0x0004
#define MXCSR_OE         0x0008
#define MXCSR_UE         0x0010
#define MXCSR_PE         0x0020
#define MXCSR_FLAGS      0x003f
#define MXCSR_DAZ        0x0040
#define MXCSR_MASK_SHIFT 7 /* IM DM ZM OM UM PM: bits 7-12 */
#define MXCSR_RC_SHIFT   13
#define MXCSR_FZ         0x8000
/* Bits MXCSR may hold (MXCSR_MASK as FXSAVE reports it, with DAZ). */
#define MXCSR_WRITABLE 0xffff

/*
 * An SSE/SSE2/SSE3 instruction may run: CR0.EM or CR4.OSFXSR clear is
 * #UD, then CR0.TS is #NM (SDM vol. 3, 13.1; vol. 2, 2.5 "exception
 * classes").
 */
static inline void sse_check(CPUX86State *env)
{
    if ((env->cr[0] & CR0_EM_MASK) || !(env->cr[4] & CR4_OSFXSR_MASK)) {
        raise_exception(env, EXCP06_ILLOP);
    }
    if (env->cr[0] & CR0_TS_MASK) {
        raise_exception(env, EXCP07_PREX);
    }
}

/*
 * An MMX instruction may run: CR0.EM is #UD, CR0.TS is #NM, a pending
 * x87 exception is #MF; then the x87 state switches to MMX: TOP = 0 and
 * every tag valid (SDM vol. 1, 9.5.1).
 */
static inline void mmx_enter(CPUX86State *env)
{
    if (env->cr[0] & CR0_EM_MASK) {
        raise_exception(env, EXCP06_ILLOP);
    }
    if (env->cr[0] & CR0_TS_MASK) {
        raise_exception(env, EXCP07_PREX);
    }
    x87_fwait_check(env);
    env->fpus &= ~(7 << 11); /* TOP = 0 */
    env->fptags = 0;
}

/* XMM register n (0-15). */
static inline XMMReg *xmm_reg(CPUX86State *env, int n)
{
    return &env->xmm[n & 15];
}

/* MMX register n (0-7) reads the significand of x87 register n. */
static inline uint64_t mmx_read(CPUX86State *env, int n)
{
    return env->fpregs[n & 7].mant;
}

/* Writing an MMX register sets the exponent field to all ones. */
static inline void mmx_write(CPUX86State *env, int n, uint64_t v)
{
    env->fpregs[n & 7].mant = v;
    env->fpregs[n & 7].sign_exp = 0xffff;
}

/*
 * The linear address of a SIMD memory operand of size bytes.  aligned:
 * the instruction requires 16-byte alignment (MOVAPS, most packed
 * SSE/SSE2 operations with a memory operand) and a misaligned address is
 * #GP(0) (SDM vol. 1, 10.4.1.1 / 11.4.1.1).
 */
static inline uint64_t simd_lin(CPUX86State *env, const DecodedInsn *d,
                                int size, bool aligned, bool write)
{
    uint64_t lin = seg_lin(env, d->seg, insn_ea(env, d), size, write);

    if (aligned && (lin & 15)) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    return lin;
}

/* Loads size (4, 8 or 16) bytes of the memory operand into buf. */
static inline void simd_ld(CPUX86State *env, const DecodedInsn *d, void *buf,
                           int size, bool aligned)
{
    uint64_t lin = simd_lin(env, d, size, aligned, false);

    if (size == 16) {
        uint64_t lo = cpu_ld_lin(env, lin, 8, mmu_idx(env));
        uint64_t hi = cpu_ld_lin(env, lin + 8, 8, mmu_idx(env));
        memcpy(buf, &lo, 8);
        memcpy((uint8_t *)buf + 8, &hi, 8);
    } else {
        uint64_t v = cpu_ld_lin(env, lin, size, mmu_idx(env));
        memcpy(buf, &v, size);
    }
}

/* Stores size (4, 8 or 16) bytes from buf; nothing is written unless all
 * of it can be. */
static inline void simd_st(CPUX86State *env, const DecodedInsn *d,
                           const void *buf, int size, bool aligned)
{
    uint64_t lin = simd_lin(env, d, size, aligned, true);

    if (size == 16) {
        uint64_t lo, hi;
        memcpy(&lo, buf, 8);
        memcpy(&hi, (const uint8_t *)buf + 8, 8);
        cpu_probe_write(env, lin, 16, mmu_idx(env));
        cpu_st_lin(env, lin, lo, 8, mmu_idx(env));
        cpu_st_lin(env, lin + 8, hi, 8, mmu_idx(env));
    } else {
        uint64_t v = 0;
        memcpy(&v, buf, size);
        cpu_st_lin(env, lin, v, size, mmu_idx(env));
    }
}

/* The source operand of an XMM instruction: a register or 16 bytes. */
static inline void xmm_src(CPUX86State *env, const DecodedInsn *d, XMMReg *out,
                           bool aligned)
{
    if (d->mod3) {
        *out = *xmm_reg(env, d->rm);
    } else {
        simd_ld(env, d, out, 16, aligned);
    }
}

/* The source operand of an MMX instruction: a register or 8 bytes. */
static inline uint64_t mmx_src(CPUX86State *env, const DecodedInsn *d)
{
    uint64_t v;

    if (d->mod3) {
        return mmx_read(env, d->rm);
    }
    simd_ld(env, d, &v, 8, false);
    return v;
}

/* A FloatStatus for the SSE rules from MXCSR (fpu/softfloat.h). */
static inline void sse_fp_status(CPUX86State *env, FloatStatus *st)
{
    float_status_init_sse(st, env->mxcsr);
}

/*
 * After computing a SIMD floating-point result: unmasked exceptions
 * raise #XM (CR4.OSXMMEXCPT) or #UD before anything is written; masked
 * ones are recorded in MXCSR (SDM vol. 1, 11.5.4).  Call between
 * computing all lanes and writing the destination.
 */
static inline void sse_fp_finish(CPUX86State *env, const FloatStatus *st)
{
    uint32_t flags = st->flags & MXCSR_FLAGS;
    uint32_t unmasked = flags & ~(env->mxcsr >> MXCSR_MASK_SHIFT);

    if (unmasked) {
        env->mxcsr |= flags;
        raise_exception(env, (env->cr[4] & CR4_OSXMMEXCPT_MASK) ? EXCP13_XMM
                                                                : EXCP06_ILLOP);
    }
    env->mxcsr |= flags;
}

#endif
