/*
 * Internals shared by the x87 files: x87.c (state, exceptions, the
 * control instructions and the decoder's select function) and x87-ops.c
 * (loads, stores, arithmetic, comparisons, transcendentals).
 *
 * The register stack (SDM vol. 1, 8.1.2): fpregs[] is indexed by physical
 * register; ST(i) is fpregs[(TOP + i) & 7] with TOP in FSW bits 11-13;
 * fptags has one bit per physical register, 1 = empty.
 */
#ifndef TARGET_I386_X87_INTERNAL_H
#define TARGET_I386_X87_INTERNAL_H

#include "target/i386/ops-common.h"
#include "target/i386/x87.h"

/* The status word (SDM vol. 1, 8.1.3). */
#define FSW_IE        0x0001
#define FSW_DE        0x0002
#define FSW_ZE        0x0004
#define FSW_OE        0x0008
#define FSW_UE        0x0010
#define FSW_PE        0x0020
#define FSW_SF        0x0040
#define FSW_ES        0x0080
#define FSW_C0        0x0100
#define FSW_C1        0x0200
#define FSW_C2        0x0400
#define FSW_TOP       0x3800
#define FSW_TOP_SHIFT 11
#define FSW_C3        0x4000
#define FSW_B         0x8000
#define FSW_EXC       0x003f /* the six exception flags, as float_flag_* */
#define FSW_CC        (FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)

/* The control word (SDM vol. 1, 8.1.5): masks in the flags' positions. */
#define FCW_IM   0x0001
#define FCW_DM   0x0002
#define FCW_ZM   0x0004
#define FCW_OM   0x0008
#define FCW_UM   0x0010
#define FCW_PM   0x0020
#define FCW_EXC  0x003f
#define FCW_INIT 0x037f /* FNINIT: all masked, 64-bit precision, nearest */

/* x87_enter() kinds */
#define X87_NOWAIT 0 /* FNINIT FNCLEX FNSTSW FNSTCW FNSTENV FNSAVE */
#define X87_WAIT   1 /* every other x87 instruction */

/* ---- the register stack ---- */

static inline int x87_top(const CPUX86State *env)
{
    return (env->fpus >> FSW_TOP_SHIFT) & 7;
}

static inline void x87_set_top(CPUX86State *env, int top)
{
    env->fpus = (env->fpus & ~FSW_TOP) | ((top & 7) << FSW_TOP_SHIFT);
}

/* The physical register of ST(i). */
static inline int x87_phys(const CPUX86State *env, int i)
{
    return (x87_top(env) + i) & 7;
}

static inline floatx80 x87_get(const CPUX86State *env, int i)
{
    return env->fpregs[x87_phys(env, i)];
}

static inline bool x87_empty(const CPUX86State *env, int i)
{
    return (env->fptags >> x87_phys(env, i)) & 1;
}

/* Writes ST(i) and tags it non-empty. */
static inline void x87_set(CPUX86State *env, int i, floatx80 v)
{
    int p = x87_phys(env, i);

    env->fpregs[p] = v;
    env->fptags &= ~(1u << p);
}

static inline void x87_push(CPUX86State *env, floatx80 v)
{
    x87_set_top(env, x87_top(env) - 1);
    x87_set(env, 0, v);
}

/* Pops: ST(0) becomes empty (its contents stay), TOP + 1. */
static inline void x87_pop(CPUX86State *env)
{
    env->fptags |= 1u << x87_top(env);
    x87_set_top(env, x87_top(env) + 1);
}

/* Sets the condition code bits in mask to bits. */
static inline void x87_set_cc(CPUX86State *env, uint16_t mask, uint16_t bits)
{
    env->fpus = (env->fpus & ~mask) | (bits & mask);
}

static inline void x87_set_c1(CPUX86State *env, bool c1)
{
    x87_set_cc(env, FSW_C1, c1 ? FSW_C1 : 0);
}

/* The QNaN floating-point indefinite (SDM vol. 1, 4.8.3.7). */
static inline floatx80 x87_indefinite(void)
{
    return floatx80_default_nan();
}

static inline void x87_status(const CPUX86State *env, FloatStatus *s)
{
    float_status_init_x87(s, env->fpuc);
}

/* The exception flags of flags that are not masked in FCW. */
static inline int x87_unmasked(const CPUX86State *env, int flags)
{
    return flags & ~env->fpuc & FSW_EXC;
}

/* ---- x87.c ---- */

/*
 * The checks every x87 instruction starts with: #NM when CR0.EM or
 * CR0.TS is set (SDM vol. 3, table 2-2), then for waiting instructions a
 * pending unmasked exception (#MF, or the FERR# freeze when CR0.NE = 0).
 * Returns false when the processor froze: the handler must return at
 * once without doing anything.
 */
bool x87_enter(CPUX86State *env, int kind);

/*
 * Records the instruction (FIP, FCS, FOP) and, for a memory operand, the
 * data pointer (FDP, FDS) of a non-control instruction (SDM vol. 1,
 * 8.1.8-8.1.9).  Called once the instruction can no longer fault.
 */
void x87_ptrs(CPUX86State *env, const DecodedInsn *d);

/*
 * Records exception flags in FSW; an unmasked one also sets ES and B
 * (SDM vol. 1, 8.1.3.1), so the next waiting instruction takes #MF.
 */
void x87_raise(CPUX86State *env, int flags);

/*
 * A stack fault (#IS, SDM vol. 1, 8.5.1.1): IE and SF, C1 = 1 for an
 * overflow, 0 for an underflow.  Returns true when IE is masked: the
 * caller then applies the masked response (the QNaN indefinite).
 */
bool x87_stack_fault(CPUX86State *env, bool overflow);

/*
 * The linear address of the memory operand (size bytes), with the
 * segment checks; align is the #AC alignment of the access (SDM vol. 3,
 * 6.15, table 6-7).
 */
uint64_t x87_lin(CPUX86State *env, const DecodedInsn *d, int size, int align,
                 bool write);

/* Loads and stores of an 80-bit value at a linear address. */
floatx80 x87_ld80(CPUX86State *env, uint64_t lin);
void x87_st80(CPUX86State *env, uint64_t lin, floatx80 v);

/* ---- x87-result.c: completing an operation ---- */

/*
 * What fpu/ computed, so that the unmasked overflow/underflow response
 * can redo it with a wrapped exponent.
 */
typedef enum X87Kind {
    XK_OTHER, /* wrap the masked result (exact unless it was rounded) */
    XK_ADD,
    XK_SUB,
    XK_MUL,
    XK_DIV,
    XK_SCALE,
    XK_YL2X,
    XK_YL2XP1,
    XK_ATAN,  /* atan2(a = y, b = x) */
    XK_SIN,   /* sin(a), which is a shade smaller than a when tiny */
    XK_TAN,   /* tan(a), a shade larger than a when tiny */
    XK_F2XM1, /* 2^a - 1, a * ln 2 when tiny */
} X87Kind;

/* An operation as fpu/ was called: kind(a, b). */
typedef struct X87Redo {
    X87Kind kind;
    floatx80 a, b;
} X87Redo;

/*
 * Applies the x87 exception rules to the result *r of an operation whose
 * destination is a register.  Returns false when an unmasked IE, DE or
 * ZE stops the instruction (nothing written or popped; C1 = 0);
 * otherwise records the flags and C1 and, with OE or UE unmasked,
 * replaces *r by the wrapped result.
 */
bool x87_finish(CPUX86State *env, FloatStatus *s, floatx80 *r,
                const X87Redo *rd);

/*
 * The same for a result that goes to memory: false when an unmasked IE,
 * OE or UE leaves memory and the stack alone.  *flags gets the flags to
 * record, s->rounded_up C1.
 */
bool x87_store_check(CPUX86State *env, FloatStatus *s, int *flags);

/* ---- x87-ops.c: handlers the select function picks ---- */

/* Memory forms by opcode (D8-DF) and ModRM.reg; NULL: #UD. */
extern InsnHandler *const x87_mem_ops[8][8];
/* Register forms by opcode and ModRM.reg (i = ModRM.rm); NULL: see the
 * one-of rows below or #UD. */
extern InsnHandler *const x87_reg_ops[8][8];
/* D9 E0-FF by ModRM.rm - 0x20 (32 entries); NULL: #UD. */
extern InsnHandler *const x87_d9_ops[32];

/* ---- x87.c: control instruction handlers ---- */
void x87_op_fldenv(CPUX86State *env, const DecodedInsn *d);
void x87_op_fldcw(CPUX86State *env, const DecodedInsn *d);
void x87_op_fnstenv(CPUX86State *env, const DecodedInsn *d);
void x87_op_fnstcw(CPUX86State *env, const DecodedInsn *d);
void x87_op_frstor(CPUX86State *env, const DecodedInsn *d);
void x87_op_fnsave(CPUX86State *env, const DecodedInsn *d);
void x87_op_fnstsw_m(CPUX86State *env, const DecodedInsn *d);
void x87_op_fnstsw_ax(CPUX86State *env, const DecodedInsn *d);
void x87_op_fnclex(CPUX86State *env, const DecodedInsn *d);
void x87_op_fninit(CPUX86State *env, const DecodedInsn *d);
void x87_op_fnop_nowait(CPUX86State *env, const DecodedInsn *d);

#endif
