/*
 * Port I/O: IN and OUT with an immediate port or DX (SDM vol. 2), and
 * the I/O permission checks INS and OUTS share (SDM vol. 1, 19.5).
 *
 * Ports live in address_space_io; every access ends the block, since
 * the device may have raised an interrupt or changed the machine.
 */
#include "qemu/osdep.h"
#include "exec/ioport.h"
#include "target/i386/ops-common.h"
#include "target/i386/ops-io.h"

/* TSS types (descriptor type field): available and busy 32-bit TSS. */
#define TSS32_AVAIL 9
#define TSS32_BUSY  11
/* The 16-bit offset of the I/O permission bitmap in a 32/64-bit TSS. */
#define TSS_IOMAP_BASE 0x66

void x86_check_io(CPUX86State *env, uint32_t port, int size)
{
    uint32_t iopl = (env->eflags & IOPL_MASK) >> IOPL_SHIFT;
    uint32_t type = (env->tr.flags & DESC_TYPE_MASK) >> DESC_TYPE_SHIFT;
    uint64_t lin;
    uint32_t base, bits;

    if (!(env->cr[0] & CR0_PE_MASK)) {
        return;
    }
    if (!(env->eflags & VM_MASK) && cpu_cpl(env) <= iopl) {
        return;
    }
    /*
     * The bitmap: only a 32-bit (or, in IA-32e mode, 64-bit) TSS has one;
     * both have the same type codes.  The processor reads two bytes
     * (the bits of a word or dword access may span them), and both must
     * lie within the TSS limit.
     */
    if (!(env->tr.flags & DESC_P_MASK) ||
        (type != TSS32_AVAIL && type != TSS32_BUSY) ||
        env->tr.limit < TSS_IOMAP_BASE + 1) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    lin = env->tr.base + TSS_IOMAP_BASE;
    if (!(env->hflags & HF_LMA_MASK)) {
        lin = (uint32_t)lin;
    }
    base = cpu_lduw_kernel(env, lin) + (port >> 3);
    if (base + 1 > env->tr.limit) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    lin = env->tr.base + base;
    if (!(env->hflags & HF_LMA_MASK)) {
        lin = (uint32_t)lin;
    }
    bits = cpu_lduw_kernel(env, lin);
    if ((bits >> (port & 7)) & ((1u << size) - 1)) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
}

uint32_t x86_io_read(CPUX86State *env, uint32_t port, int size)
{
    env->exit_tb = true;
    return address_space_read_sized(&address_space_io, port & 0xffff, size);
}

void x86_io_write(CPUX86State *env, uint32_t port, uint32_t val, int size)
{
    env->exit_tb = true;
    address_space_write_sized(&address_space_io, port & 0xffff, val, size);
}

/*
 * Port accesses are at most 32 bits: REX.W does not widen them (SDM
 * vol. 2, IN/OUT: "64-bit mode: operand size fixed at 8, 16 or 32").
 */
static inline int io_ot(int ot)
{
    return ot == OT_QUAD ? OT_LONG : ot;
}

static inline void do_in(CPUX86State *env, uint32_t port, int ot)
{
    int size = 1 << io_ot(ot);

    x86_check_io(env, port, size);
    reg_write(env, R_EAX, io_ot(ot), x86_io_read(env, port, size));
}

static inline void do_out(CPUX86State *env, uint32_t port, int ot)
{
    int size = 1 << io_ot(ot);

    x86_check_io(env, port, size);
    x86_io_write(env, port, reg_read(env, R_EAX, io_ot(ot)), size);
}

/* E4/E5: IN AL/eAX, imm8     E6/E7: OUT imm8, AL/eAX */
DEF_SIZED(in_AI, { do_in(env, d->imm & 0xff, ot); })
DEF_SIZED(out_IA, { do_out(env, d->imm & 0xff, ot); })
/* EC/ED: IN AL/eAX, DX       EE/EF: OUT DX, AL/eAX */
DEF_SIZED(in_AD, { do_in(env, env->regs[R_EDX] & 0xffff, ot); })
DEF_SIZED(out_DA, { do_out(env, env->regs[R_EDX] & 0xffff, ot); })
