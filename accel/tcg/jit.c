/*
 * Call-threaded code for translation blocks (see jit.h).
 *
 * For each instruction of a block the generated code is:
 *
 *     mov  rdi, rbx               ; env (kept in rbx)
 *     mov  rsi, imm64             ; &tb->insns[i]
 *     call handler                ; rel32, or via rax when out of range
 *     cmp  byte [rbx+exit_tb], 0
 *     jne  slow_i                 ; out of line: jit_post_slow()
 *     add  qword [rbx+eip], len
 *     sub  qword [rbx+icount_left], 1
 *     jle  exit
 *
 * Instructions that end the block or count themselves (jumps, END_TB,
 * REP strings) call jit_post_slow() directly after the handler.  This is
 * cpu_exec_tb()'s loop unrolled; keep the two in step.
 */
#include "qemu/osdep.h"
#include "accel/tcg/jit.h"
#include <sys/mman.h>

#if defined(__x86_64__)

#define JIT_BUFFER_SIZE (64 * MiB)

static uint8_t *jit_buf;
static size_t jit_used;
static bool jit_failed;
static int jit_state = -1; /* -1: not decided */

bool jit_enabled(void)
{
    if (jit_state < 0) {
        /* QEMU_RR_JIT=0 runs the plain interpreter (for comparison). */
        const char *e = getenv("QEMU_RR_JIT");
        jit_state = !(e && !strcmp(e, "0"));
    }
    return jit_state && !jit_failed;
}

/*
 * The buffer is mapped near the emulator's own code when possible, so
 * that handler calls fit in a rel32.
 */
static bool jit_init(void)
{
    uintptr_t near = ((uintptr_t)jit_post_slow & ~(uintptr_t)0xffff) -
                     JIT_BUFFER_SIZE - 256 * MiB;
    void *p =
        mmap((void *)near, JIT_BUFFER_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED) {
        jit_failed = true;
        return false;
    }
    jit_buf = p;
    jit_used = 0;
    return true;
}

void jit_flush(void)
{
    jit_used = 0;
}

typedef struct Emit {
    uint8_t *p;
    uint8_t *end;
} Emit;

static void emit1(Emit *e, uint8_t b)
{
    *e->p++ = b;
}

static void emit4(Emit *e, uint32_t v)
{
    memcpy(e->p, &v, 4);
    e->p += 4;
}

static void emit8(Emit *e, uint64_t v)
{
    memcpy(e->p, &v, 8);
    e->p += 8;
}

/* A rel32 field at e->p pointing to target (emitted later if 0). */
static bool fits_rel32(const uint8_t *from_end, const void *target)
{
    intptr_t d = (intptr_t)target - (intptr_t)from_end;

    return d == (int32_t)d;
}

static void emit_call(Emit *e, const void *fn)
{
    if (fits_rel32(e->p + 5, fn)) {
        emit1(e, 0xe8); /* call rel32 */
        emit4(e, (int32_t)((intptr_t)fn - (intptr_t)(e->p + 4)));
    } else {
        emit1(e, 0x48); /* mov rax, imm64 */
        emit1(e, 0xb8);
        emit8(e, (uint64_t)(uintptr_t)fn);
        emit1(e, 0xff); /* call rax */
        emit1(e, 0xd0);
    }
}

/* mov rdi, rbx; mov rsi, imm64 */
static void emit_args(Emit *e, const DecodedInsn *d)
{
    emit1(e, 0x48);
    emit1(e, 0x89);
    emit1(e, 0xdf);
    emit1(e, 0x48);
    emit1(e, 0xbe);
    emit8(e, (uint64_t)(uintptr_t)d);
}

/* Jcc rel32 to a label fixed up later; returns the rel32's address. */
static uint8_t *emit_jcc(Emit *e, uint8_t cc)
{
    uint8_t *at;

    emit1(e, 0x0f);
    emit1(e, 0x80 | cc);
    at = e->p;
    emit4(e, 0);
    return at;
}

static void patch_rel32(uint8_t *at, const uint8_t *target)
{
    int32_t rel = (int32_t)(target - (at + 4));

    memcpy(at, &rel, 4);
}

#define CC_NE 0x5
#define CC_LE 0xe

/* [rbx + disp32] forms keep the encoder simple. */
static void emit_cmp_byte_zero(Emit *e, size_t off)
{
    emit1(e, 0x80); /* cmp byte [rbx+disp32], 0 */
    emit1(e, 0xbb);
    emit4(e, off);
    emit1(e, 0);
}

static void emit_add_q(Emit *e, size_t off, int8_t imm)
{
    emit1(e, 0x48); /* add qword [rbx+disp32], imm8 */
    emit1(e, 0x83);
    emit1(e, 0x83);
    emit4(e, off);
    emit1(e, imm);
}

static void emit_sub_q(Emit *e, size_t off, int8_t imm)
{
    emit1(e, 0x48); /* sub qword [rbx+disp32], imm8 */
    emit1(e, 0x83);
    emit1(e, 0xab);
    emit4(e, off);
    emit1(e, imm);
}

/* Worst-case bytes per instruction, inline and out of line. */
#define JIT_INSN_MAX 96
#define JIT_FIXED    64

JitFn *jit_compile(TranslationBlock *tb)
{
    Emit e;
    uint8_t *start, *exit_label;
    uint8_t *to_exit[TB_MAX_INSNS * 2 + 2];
    uint8_t *to_slow[TB_MAX_INSNS];
    uint8_t *resume[TB_MAX_INSNS];
    int n_exit = 0;
    size_t need = JIT_FIXED + (size_t)tb->n_insns * JIT_INSN_MAX;

    if (!jit_enabled() || (!jit_buf && !jit_init())) {
        return NULL;
    }
    if (jit_used + need > JIT_BUFFER_SIZE) {
        tb_flush_pending = true; /* reclaim blocks and code together */
        return NULL;
    }
    start = jit_buf + jit_used;
    e.p = start;
    e.end = start + need;

    /* push rbx; push rbp; sub rsp, 8 (16-byte alignment); mov rbx, rdi */
    emit1(&e, 0x53);
    emit1(&e, 0x55);
    emit1(&e, 0x48);
    emit1(&e, 0x83);
    emit1(&e, 0xec);
    emit1(&e, 0x08);
    emit1(&e, 0x48);
    emit1(&e, 0x89);
    emit1(&e, 0xfb);

    for (int i = 0; i < tb->n_insns; i++) {
        const DecodedInsn *d = &tb->insns[i];
        bool special = d->flags & (INSN_JUMP | INSN_END_TB | INSN_REP_STRING);

        emit_args(&e, d);
        emit_call(&e, d->handler);
        to_slow[i] = NULL;
        if (special) {
            /* The interpreter's slow path, always. */
            emit_args(&e, d);
            emit_call(&e, jit_post_slow);
            emit1(&e, 0x84); /* test al, al */
            emit1(&e, 0xc0);
            to_exit[n_exit++] = emit_jcc(&e, CC_NE);
        } else {
            emit_cmp_byte_zero(&e, offsetof(CPUX86State, exit_tb));
            to_slow[i] = emit_jcc(&e, CC_NE);
            emit_add_q(&e, offsetof(CPUX86State, eip), d->len);
            emit_sub_q(&e, offsetof(CPUX86State, icount_left), 1);
            to_exit[n_exit++] = emit_jcc(&e, CC_LE);
        }
        resume[i] = e.p;
    }
    /* exit: add rsp, 8; pop rbp; pop rbx; ret */
    exit_label = e.p;
    emit1(&e, 0x48);
    emit1(&e, 0x83);
    emit1(&e, 0xc4);
    emit1(&e, 0x08);
    emit1(&e, 0x5d);
    emit1(&e, 0x5b);
    emit1(&e, 0xc3);
    /* Out-of-line slow paths: leave, or go on with the next insn. */
    for (int i = 0; i < tb->n_insns; i++) {
        uint8_t *back;

        if (!to_slow[i]) {
            continue;
        }
        patch_rel32(to_slow[i], e.p);
        emit_args(&e, &tb->insns[i]);
        emit_call(&e, jit_post_slow);
        emit1(&e, 0x84); /* test al, al */
        emit1(&e, 0xc0);
        to_exit[n_exit++] = emit_jcc(&e, CC_NE);
        emit1(&e, 0xe9); /* jmp rel32 back to the next insn */
        back = e.p;
        emit4(&e, 0);
        patch_rel32(back, resume[i]);
    }
    for (int i = 0; i < n_exit; i++) {
        patch_rel32(to_exit[i], exit_label);
    }
    g_assert(e.p <= e.end);
    jit_used += QEMU_ALIGN_UP((size_t)(e.p - start), 16);
    return (JitFn *)(void *)start;
}

#else /* !__x86_64__ */

bool jit_enabled(void)
{
    return false;
}

JitFn *jit_compile(TranslationBlock *tb)
{
    return NULL;
}

void jit_flush(void)
{
}

#endif

bool jit_post_slow(CPUX86State *env, const DecodedInsn *d)
{
    if (env->insn_incomplete) {
        /* As cpu_exec_tb: a REP insn stopped between iterations. */
        env->insn_incomplete = false;
        env->eflags |= RF_MASK;
        return true;
    }
    if (!(d->flags & INSN_JUMP)) {
        env->eip += d->len;
    }
    env->icount_left--;
    if ((d->flags & (INSN_JUMP | INSN_END_TB)) || env->exit_tb) {
        return true;
    }
    return env->icount_left <= 0;
}
