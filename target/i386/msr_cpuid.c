/*
 * CPUID and the model-specific registers of the qemu64 model.
 *
 * qemu64 is QEMU's default x86-64 model: vendor AuthenticAMD, family 15,
 * model 107, stepping 1, basic leaves up to 0xd, extended leaves up to
 * 0x8000000a, brand "QEMU Virtual CPU version 2.5+", and the features
 *   1:EDX  fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat
 *          pse36 clflush mmx fxsr sse sse2
 *   1:ECX  pni (SSE3) cx16 hypervisor
 *   80000001:EDX  syscall nx lm, plus the AMD copies of 1:EDX bits
 *   80000001:ECX  lahf_lm
 * Everything here is a constant of the model: nothing depends on the
 * host, as record/replay requires.
 *
 * The TSC counts retired instructions (plus an offset that WRMSR sets),
 * so reading it is deterministic.
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "qemu/log.h"
#include "exec/cpu-ldst.h"
#include "target/i386/cpu.h"

/* ---- CPUID (SDM vol. 2, CPUID; AMD APM vol. 3, appendix E) ---- */

#define CPUID_LEVEL  0xd
#define CPUID_XLEVEL 0x8000000a
#define CPUID_BRAND  "QEMU Virtual CPU version 2.5+"

/* Leaf 1 EDX */
#define CPUID_FPU     (1u << 0)
#define CPUID_DE      (1u << 2)
#define CPUID_PSE     (1u << 3)
#define CPUID_TSC     (1u << 4)
#define CPUID_MSR     (1u << 5)
#define CPUID_PAE     (1u << 6)
#define CPUID_MCE     (1u << 7)
#define CPUID_CX8     (1u << 8)
#define CPUID_APIC    (1u << 9)
#define CPUID_SEP     (1u << 11)
#define CPUID_MTRR    (1u << 12)
#define CPUID_PGE     (1u << 13)
#define CPUID_MCA     (1u << 14)
#define CPUID_CMOV    (1u << 15)
#define CPUID_PAT     (1u << 16)
#define CPUID_PSE36   (1u << 17)
#define CPUID_CLFLUSH (1u << 19)
#define CPUID_MMX     (1u << 23)
#define CPUID_FXSR    (1u << 24)
#define CPUID_SSE     (1u << 25)
#define CPUID_SSE2    (1u << 26)

/* Leaf 1 ECX */
#define CPUID_EXT_SSE3       (1u << 0)
#define CPUID_EXT_CX16       (1u << 13)
#define CPUID_EXT_HYPERVISOR (1u << 31)

/* Leaf 0x80000001 EDX and ECX */
#define CPUID_EXT2_SYSCALL (1u << 11)
#define CPUID_EXT2_NX      (1u << 20)
#define CPUID_EXT2_LM      (1u << 29)
#define CPUID_EXT3_LAHF_LM (1u << 0)

#define FEATURES_1_EDX                                                         \
    (CPUID_FPU | CPUID_DE | CPUID_PSE | CPUID_TSC | CPUID_MSR | CPUID_PAE |    \
     CPUID_MCE | CPUID_CX8 | CPUID_APIC | CPUID_SEP | CPUID_MTRR | CPUID_PGE | \
     CPUID_MCA | CPUID_CMOV | CPUID_PAT | CPUID_PSE36 | CPUID_CLFLUSH |        \
     CPUID_MMX | CPUID_FXSR | CPUID_SSE | CPUID_SSE2)
#define FEATURES_1_ECX (CPUID_EXT_SSE3 | CPUID_EXT_CX16 | CPUID_EXT_HYPERVISOR)
/*
 * AMD processors repeat these leaf-1 EDX bits in 0x80000001 EDX (AMD APM
 * vol. 3, E.4.2): FPU..CX8, APIC, MTRR..PAT, PSE36, MMX, FXSR.
 */
#define AMD_1_EDX_ALIASES 0x0183f3ffu
#define FEATURES_8000_0001_EDX                                   \
    ((FEATURES_1_EDX & AMD_1_EDX_ALIASES) | CPUID_EXT2_SYSCALL | \
     CPUID_EXT2_NX | CPUID_EXT2_LM)
#define FEATURES_8000_0001_ECX CPUID_EXT3_LAHF_LM

/* Family 15 (0xf, extended family 0), model 107 (extended model 6,
 * model 0xb), stepping 1. */
uint32_t x86_cpuid_signature(void)
{
    return (6 << 16) | (0xf << 8) | (0xb << 4) | 1;
}

/* Four characters of a string as a little-endian register value. */
static uint32_t str4(const char *s)
{
    return (uint8_t)s[0] | (uint8_t)s[1] << 8 | (uint8_t)s[2] << 16 |
           (uint32_t)(uint8_t)s[3] << 24;
}

static void cpuid_vendor(uint32_t *ebx, uint32_t *ecx, uint32_t *edx)
{
    *ebx = str4("Auth");
    *edx = str4("enti");
    *ecx = str4("cAMD");
}

/*
 * The CPUID leaf (eax) and subleaf (ecx) of the model.  Leaves past the
 * highest one return the highest basic leaf's values, as QEMU reports
 * for every vendor (SDM vol. 2, CPUID: "invalid input"); for this model
 * that leaf (0xd, XSAVE, not supported) is all zeros.
 */
static void cpuid_leaf(CPUX86State *env, uint32_t leaf, uint32_t sub,
                       uint32_t r[4])
{
    char brand[48] = CPUID_BRAND;
    uint32_t apic = (env->apic_base & (1u << 11)) ? CPUID_APIC : 0;

    if (leaf >= 0x80000000u ? leaf > CPUID_XLEVEL : leaf > CPUID_LEVEL) {
        leaf = CPUID_LEVEL;
    }
    r[0] = r[1] = r[2] = r[3] = 0;
    switch (leaf) {
    case 0:
        r[0] = CPUID_LEVEL;
        cpuid_vendor(&r[1], &r[2], &r[3]);
        break;
    case 1:
        r[0] = x86_cpuid_signature();
        /* CLFLUSH line size 8 quadwords; one logical processor; APIC ID
         * 0 in bits 31-24. */
        r[1] = 8 << 8;
        r[2] = FEATURES_1_ECX;
        /* The APIC bit follows IA32_APIC_BASE's global enable (SDM vol.
         * 3, 10.4.3). */
        r[3] = (FEATURES_1_EDX & ~CPUID_APIC) | apic;
        break;
    case 0xb:
        /*
         * Extended topology: one thread per core, one core per package,
         * x2APIC ID 0 (SDM vol. 2, CPUID leaf 0BH).
         */
        r[2] = sub & 0xff;
        if (sub == 0) {
            r[1] = 1;
            r[2] |= 1 << 8; /* SMT level */
        } else if (sub == 1) {
            r[1] = 1;
            r[2] |= 2 << 8; /* core level */
        }
        break;
    case 0x80000000:
        r[0] = CPUID_XLEVEL;
        cpuid_vendor(&r[1], &r[2], &r[3]);
        break;
    case 0x80000001:
        r[0] = x86_cpuid_signature();
        r[2] = FEATURES_8000_0001_ECX;
        r[3] = (FEATURES_8000_0001_EDX & ~CPUID_APIC) | apic;
        break;
    case 0x80000002:
    case 0x80000003:
    case 0x80000004:
        for (int i = 0; i < 4; i++) {
            r[i] = str4(brand + (leaf - 0x80000002) * 16 + i * 4);
        }
        break;
    case 0x80000005:
        /*
         * L1 TLBs and caches (AMD APM vol. 3, E.4.4): 255-entry fully
         * associative TLBs for 2/4 MiB and for 4 KiB pages; 64 KiB
         * two-way L1 data and instruction caches with 64-byte lines.
         */
        r[0] = 0x01ff01ff;
        r[1] = 0x01ff01ff;
        r[2] = 0x40020140;
        r[3] = 0x40020140;
        break;
    case 0x80000006:
        /*
         * L2 TLB (512 entries, 4-way, for 4 KiB pages) and a 512 KiB
         * 16-way L2 cache with 64-byte lines; no L3 (AMD APM vol. 3,
         * E.4.5).
         */
        r[1] = 0x42004200;
        r[2] = 0x02008140;
        break;
    case 0x80000008:
        /* 40 physical and 48 linear address bits; one core. */
        r[0] = (48 << 8) | 40;
        break;
    default:
        /* 2-0xa, 0xc, 0xd, 0x80000007, 0x80000009, 0x8000000a: no
         * feature of those leaves is present. */
        break;
    }
}

void helper_cpuid(CPUX86State *env)
{
    uint32_t r[4];

    cpuid_leaf(env, env->regs[R_EAX], env->regs[R_ECX], r);
    /* 32-bit results: the upper halves of RAX..RDX are cleared. */
    env->regs[R_EAX] = r[0];
    env->regs[R_EBX] = r[1];
    env->regs[R_ECX] = r[2];
    env->regs[R_EDX] = r[3];
}

/* ---- the TSC ---- */

/*
 * The TSC counts guest time: nanoseconds of the virtual clock (which the
 * instruction count drives), so it keeps a fixed 1 GHz rate against the
 * PIT and RTC whatever the icount shift, as under QEMU's -icount.  Read
 * in the middle of a slice it includes the instructions retired so far.
 */
uint64_t cpu_get_tsc(CPUX86State *env)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + env->tsc_offset;
}

static void cpu_set_tsc(CPUX86State *env, uint64_t val)
{
    env->tsc_offset = val - qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

/* ---- MSRs (SDM vol. 4; AMD APM vol. 2, appendix A) ---- */

#define MCG_CAP_VALUE      0 /* no banks, no MCG_CTL (reads of MCi_* are 0) */
#define MSR_MC0_CTL        0x400
#define MSR_MC_LAST        (MSR_MC0_CTL + 4 * 32 - 1) /* 32 banks x 4 MSRs */
#define MSR_MCG_CTL        0x17b
#define MSR_IA32_UCODE_REV 0x8b
/* What QEMU reports as the microcode revision of an AMD model. */
#define UCODE_REV_VALUE 0x01000065ull

/* MTRRcap: 8 variable ranges, fixed ranges, write-combining. */
#define MTRRCAP_VALUE     (8 | (1 << 8) | (1 << 10))
#define MTRR_DEFTYPE_MASK 0xcffull /* type, FE (bit 10), E (bit 11) */

/* Physical address bits (CPUID 0x80000008). */
#define PHYS_ADDR_BITS 40
#define PHYS_ADDR_RSVD (~0ull << PHYS_ADDR_BITS)

/* IA32_APIC_BASE: BSP (8), global enable (11), base (12 up); x2APIC
 * mode (10) is not supported. */
#define APIC_BASE_VALID ((1ull << 8) | (1ull << 11) | (~0ull << 12))

static bool is_canonical(uint64_t v)
{
    return (uint64_t)((int64_t)(v << 16) >> 16) == v;
}

/* Memory types valid in MTRRs (UC WC WT WP WB) and in the PAT (also UC-). */
static bool mtrr_type_ok(uint64_t t)
{
    return t == 0 || t == 1 || t == 4 || t == 5 || t == 6;
}

static bool pat_type_ok(uint64_t t)
{
    return mtrr_type_ok(t) || t == 7;
}

/* Every byte of v is a valid memory type (fixed MTRRs, PAT). */
static bool types_ok(uint64_t v, bool pat)
{
    for (int i = 0; i < 8; i++) {
        uint64_t t = (v >> (8 * i)) & 0xff;
        if (!(pat ? pat_type_ok(t) : mtrr_type_ok(t))) {
            return false;
        }
    }
    return true;
}

/* The index in mtrr_fixed[] of a fixed-range MTRR, or -1. */
static int mtrr_fixed_index(uint32_t msr)
{
    if (msr == MSR_MTRRfix64K_00000) {
        return 0;
    }
    if (msr == MSR_MTRRfix16K_80000 || msr == MSR_MTRRfix16K_A0000) {
        return 1 + msr - MSR_MTRRfix16K_80000;
    }
    if (msr >= MSR_MTRRfix4K_C0000 && msr <= MSR_MTRRfix4K_C0000 + 7) {
        return 3 + msr - MSR_MTRRfix4K_C0000;
    }
    return -1;
}

/* Reads MSR msr into *val; false if the model has no such MSR. */
static bool msr_read(CPUX86State *env, uint32_t msr, uint64_t *val)
{
    int i;

    switch (msr) {
    case MSR_IA32_TSC:
        *val = cpu_get_tsc(env);
        return true;
    case MSR_IA32_APICBASE:
        *val = env->apic_base;
        return true;
    case MSR_IA32_UCODE_REV:
        *val = UCODE_REV_VALUE;
        return true;
    case MSR_MTRRcap:
        *val = MTRRCAP_VALUE;
        return true;
    case MSR_IA32_SYSENTER_CS:
        *val = env->sysenter_cs;
        return true;
    case MSR_IA32_SYSENTER_ESP:
        *val = env->sysenter_esp;
        return true;
    case MSR_IA32_SYSENTER_EIP:
        *val = env->sysenter_eip;
        return true;
    case MSR_MCG_CAP:
        *val = MCG_CAP_VALUE;
        return true;
    case MSR_MCG_STATUS:
        *val = env->mcg_status;
        return true;
    case MSR_IA32_MISC_ENABLE:
        *val = env->misc_enable;
        return true;
    case MSR_PAT:
        *val = env->pat;
        return true;
    case MSR_MTRRdefType:
        *val = env->mtrr_deftype;
        return true;
    case MSR_EFER:
        *val = env->efer;
        return true;
    case MSR_STAR:
        *val = env->star;
        return true;
    case MSR_LSTAR:
        *val = env->lstar;
        return true;
    case MSR_CSTAR:
        *val = env->cstar;
        return true;
    case MSR_FMASK:
        *val = env->fmask;
        return true;
    case MSR_FSBASE:
        *val = env->segs[R_FS].base;
        return true;
    case MSR_GSBASE:
        *val = env->segs[R_GS].base;
        return true;
    case MSR_KERNELGSBASE:
        *val = env->kernelgsbase;
        return true;
    case MSR_TSC_AUX:
        *val = env->tsc_aux;
        return true;
    }
    if (msr >= MSR_MTRRphysBase(0) && msr <= MSR_MTRRphysMask(7)) {
        i = (msr - MSR_MTRRphysBase(0)) / 2;
        *val = (msr & 1) ? env->mtrr_var_mask[i] : env->mtrr_var_base[i];
        return true;
    }
    i = mtrr_fixed_index(msr);
    if (i >= 0) {
        *val = env->mtrr_fixed[i];
        return true;
    }
    if (msr >= MSR_MC0_CTL && msr <= MSR_MC_LAST) {
        *val = 0;
        return true;
    }
    return false;
}

/*
 * Writes val to MSR msr.  Returns false for an MSR the model lacks or a
 * value with reserved bits set (both #GP(0)).
 */
static bool msr_write(CPUX86State *env, uint32_t msr, uint64_t val)
{
    int i;

    switch (msr) {
    case MSR_IA32_TSC:
        cpu_set_tsc(env, val);
        return true;
    case MSR_IA32_APICBASE:
        if ((val & ~APIC_BASE_VALID) || (val & PHYS_ADDR_RSVD)) {
            return false;
        }
        env->apic_base = val;
        return true;
    case MSR_IA32_UCODE_REV:
        return true; /* writing 0 before CPUID is an Intel idiom */
    case MSR_MTRRcap:
    case MSR_MCG_CAP:
        return false; /* read-only */
    case MSR_IA32_SYSENTER_CS:
        env->sysenter_cs = val & 0xffff;
        return true;
    case MSR_IA32_SYSENTER_ESP:
    case MSR_IA32_SYSENTER_EIP:
        if (!is_canonical(val)) {
            return false;
        }
        if (msr == MSR_IA32_SYSENTER_ESP) {
            env->sysenter_esp = val;
        } else {
            env->sysenter_eip = val;
        }
        return true;
    case MSR_MCG_STATUS:
        if (val & ~7ull) { /* RIPV EIPV MCIP */
            return false;
        }
        env->mcg_status = val;
        return true;
    case MSR_IA32_MISC_ENABLE:
        env->misc_enable = val;
        return true;
    case MSR_PAT:
        if (!types_ok(val, true)) {
            return false;
        }
        env->pat = val;
        return true;
    case MSR_MTRRdefType:
        if ((val & ~MTRR_DEFTYPE_MASK) || !mtrr_type_ok(val & 0xff)) {
            return false;
        }
        env->mtrr_deftype = val;
        return true;
    case MSR_EFER:
        return cpu_x86_set_efer(env, val);
    case MSR_STAR:
        env->star = val;
        return true;
    case MSR_LSTAR:
    case MSR_CSTAR:
        if (!is_canonical(val)) {
            return false;
        }
        if (msr == MSR_LSTAR) {
            env->lstar = val;
        } else {
            env->cstar = val;
        }
        return true;
    case MSR_FMASK:
        if (val >> 32) {
            return false;
        }
        env->fmask = val;
        return true;
    case MSR_FSBASE:
    case MSR_GSBASE:
    case MSR_KERNELGSBASE:
        if (!is_canonical(val)) {
            return false;
        }
        if (msr == MSR_FSBASE) {
            env->segs[R_FS].base = val;
        } else if (msr == MSR_GSBASE) {
            env->segs[R_GS].base = val;
        } else {
            env->kernelgsbase = val;
        }
        return true;
    case MSR_TSC_AUX:
        if (val >> 32) {
            return false;
        }
        env->tsc_aux = val;
        return true;
    }
    if (msr >= MSR_MTRRphysBase(0) && msr <= MSR_MTRRphysMask(7)) {
        i = (msr - MSR_MTRRphysBase(0)) / 2;
        if (msr & 1) {
            /* PhysMask: V (bit 11) and the mask from bit 12. */
            if (val & (PHYS_ADDR_RSVD | 0x7ff)) {
                return false;
            }
            env->mtrr_var_mask[i] = val;
        } else {
            /* PhysBase: the type in bits 7-0, the base from bit 12. */
            if ((val & (PHYS_ADDR_RSVD | 0xf00)) || !mtrr_type_ok(val & 0xff)) {
                return false;
            }
            env->mtrr_var_base[i] = val;
        }
        return true;
    }
    i = mtrr_fixed_index(msr);
    if (i >= 0) {
        if (!types_ok(val, false)) {
            return false;
        }
        env->mtrr_fixed[i] = val;
        return true;
    }
    if (msr >= MSR_MC0_CTL && msr <= MSR_MC_LAST) {
        return true; /* no banks: writes are ignored */
    }
    return false;
}

/* RDMSR/WRMSR: CPL 0 (SDM vol. 2); ECX selects, EDX:EAX is the value. */
void helper_rdmsr(CPUX86State *env)
{
    uint32_t msr = env->regs[R_ECX];
    uint64_t val;

    if (cpu_cpl(env) != 0) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    if (!msr_read(env, msr, &val)) {
        qemu_log_mask(LOG_UNIMP,
                      "rdmsr: unknown MSR 0x%x at %04x:%" PRIx64 "\n", msr,
                      env->segs[R_CS].selector, env->eip);
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    env->regs[R_EAX] = (uint32_t)val;
    env->regs[R_EDX] = val >> 32;
}

void helper_wrmsr(CPUX86State *env)
{
    uint32_t msr = env->regs[R_ECX];
    uint64_t val =
        (uint32_t)env->regs[R_EAX] | (uint64_t)(uint32_t)env->regs[R_EDX] << 32;
    uint64_t old;

    if (cpu_cpl(env) != 0) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    if (!msr_write(env, msr, val)) {
        if (!msr_read(env, msr, &old)) {
            qemu_log_mask(LOG_UNIMP,
                          "wrmsr: unknown MSR 0x%x (value 0x%" PRIx64
                          ") at %04x:%" PRIx64 "\n",
                          msr, val, env->segs[R_CS].selector, env->eip);
        }
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
}
