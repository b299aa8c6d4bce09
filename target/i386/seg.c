/*
 * Segmentation basics: descriptors, limit checks, segment register loads,
 * stacks from the TSS.  Far transfers, IRET and task switches are in
 * seg-ctrl.c and task.c.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/cpu-ldst.h"
#include "target/i386/cpu.h"
#include "target/i386/seg.h"

uint64_t get_seg_base(uint32_t e1, uint32_t e2)
{
    return (e1 >> 16) | ((e2 & 0xff) << 16) | (e2 & 0xff000000);
}

uint32_t get_seg_limit(uint32_t e1, uint32_t e2)
{
    uint32_t limit = (e1 & 0xffff) | (e2 & 0x000f0000);

    if (e2 & DESC_G_MASK) {
        limit = (limit << 12) | 0xfff;
    }
    return limit;
}

/* Linear addresses wrap at 4 GiB outside long mode. */
static uint64_t desc_lin(CPUX86State *env, uint64_t a)
{
    return (env->hflags & HF_LMA_MASK) ? a : (uint32_t)a;
}

bool cpu_x86_read_descriptor(CPUX86State *env, uint32_t selector, uint32_t *e1,
                             uint32_t *e2)
{
    SegmentCache *dt = (selector & 4) ? &env->ldt : &env->gdt;
    uint32_t index = selector & ~7;

    if ((selector & 4) && !(env->ldt.flags & DESC_P_MASK)) {
        return false;
    }
    if (index + 7 > dt->limit) {
        return false;
    }
    *e1 = cpu_ldl_kernel(env, desc_lin(env, dt->base + index));
    *e2 = cpu_ldl_kernel(env, desc_lin(env, dt->base + index + 4));
    return true;
}

void cpu_x86_write_descriptor_high(CPUX86State *env, uint32_t selector,
                                   uint32_t e2)
{
    SegmentCache *dt = (selector & 4) ? &env->ldt : &env->gdt;

    cpu_stl_kernel(env, desc_lin(env, dt->base + (selector & ~7) + 4), e2);
}

bool x86_seg_check(const SegmentCache *sc, uint32_t offset, uint32_t size,
                   bool write)
{
    uint64_t last = (uint64_t)offset + size - 1;
    uint32_t f = sc->flags;

    if (!(f & DESC_P_MASK)) {
        return false;
    }
    if (f & DESC_S_MASK) {
        if (f & DESC_CS_MASK) {
            if (write || !(f & DESC_R_MASK)) {
                return false; /* never writable; execute-only unreadable */
            }
        } else {
            if (write && !(f & DESC_W_MASK)) {
                return false;
            }
            if (f & DESC_E_MASK) {
                /* Expand-down: valid offsets are limit+1 .. 64K/4G - 1. */
                uint64_t top = (f & DESC_B_MASK) ? 0xffffffffull : 0xffffull;
                return offset > sc->limit && last <= top;
            }
        }
    }
    return last <= sc->limit;
}

bool x86_seg_check_mode(CPUX86State *env, const SegmentCache *sc,
                        uint32_t offset, uint32_t size, bool write)
{
    if (!(env->hflags & HF_PE_MASK)) {
        /*
         * Real-address mode makes no type, present or privilege checks;
         * the limit still applies (SDM vol. 3, 20.1.1: a segment is 64
         * KiB unless protected mode loaded a larger limit).
         */
        return (uint64_t)offset + size - 1 <= sc->limit;
    }
    return x86_seg_check(sc, offset, size, write);
}

void x86_get_ss_esp_from_tss(CPUX86State *env, int dpl, uint32_t *ss,
                             uint32_t *esp, int ext)
{
    int type = (env->tr.flags >> DESC_TYPE_SHIFT) & 0xf;
    int shift = type >> 3; /* 1 for a 32-bit TSS */
    uint32_t index = (dpl * 4 + 2) << shift;

    if (!(env->tr.flags & DESC_P_MASK)) {
        qemu_log_mask(LOG_GUEST_ERROR, "inter-privilege transfer without "
                                       "a valid TR\n");
        raise_exception_err(env, EXCP0A_TSS, (env->tr.selector & 0xfffc) + ext);
    }
    /*
     * The stack pointer and the SS selector: 4 + 2 bytes in a 32-bit TSS,
     * 2 + 2 in a 16-bit one (SDM vol. 2, CALL and INT n: "IF
     * (TSSstackAddress + 5) > current TSS limit THEN #TS").
     */
    if (index + (shift ? 5 : 3) > env->tr.limit) {
        raise_exception_err(env, EXCP0A_TSS, (env->tr.selector & 0xfffc) + ext);
    }
    if (shift) {
        *esp = cpu_ldl_kernel(env, env->tr.base + index);
        *ss = cpu_lduw_kernel(env, env->tr.base + index + 4);
    } else {
        *esp = cpu_lduw_kernel(env, env->tr.base + index);
        *ss = cpu_lduw_kernel(env, env->tr.base + index + 2);
    }
}

uint64_t x86_get_rsp_from_tss(CPUX86State *env, int index)
{
    uint32_t off = 8 * index + 4;

    if (off + 7 > env->tr.limit) {
        raise_exception_err(env, EXCP0A_TSS, env->tr.selector & 0xfffc);
    }
    return cpu_ldq_kernel(env, env->tr.base + off);
}

/* SDM vol. 2, MOV (segment register) and POP: the protected-mode checks. */
void helper_load_seg(CPUX86State *env, int seg, uint32_t selector)
{
    uint32_t e1, e2, cpl = cpu_cpl(env), rpl, dpl;

    selector &= 0xffff;
    if (env->eflags & VM_MASK) {
        x86_load_seg_vm86(env, seg, selector);
        return;
    }
    if (!(env->cr[0] & CR0_PE_MASK)) {
        /*
         * Real mode: only the selector and the base change; the limit and
         * attributes loaded in protected mode stay ("unreal" mode, SDM
         * vol. 3, 9.9.2 and 20.1.1).  A register left unusable by a null
         * selector in protected mode becomes usable again (SDM vol. 3,
         * 24.4.1: a real-mode load makes a segment register usable).
         */
        SegmentCache *sc = &env->segs[seg];
        uint32_t flags = sc->flags;
        uint32_t limit = sc->limit;

        if (!(flags & DESC_P_MASK)) {
            flags = DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | DESC_A_MASK;
            limit = 0xffff;
        }
        cpu_x86_load_seg_cache(env, seg, selector, (uint32_t)selector << 4,
                               limit, flags);
        return;
    }
    if ((selector & 0xfffc) == 0) {
        /*
         * A null selector makes the register unusable (a later access
         * faults, seg_lin).  SS may be null only in 64-bit mode at CPL <
         * 3 with RPL = CPL (SDM vol. 2, MOV: "IF segment selector is NULL
         * and (CPL = 3 or CPL != RPL) THEN #GP(0)").
         */
        if (seg == R_SS && !((env->hflags & HF_CS64_MASK) && cpl != 3 &&
                             (selector & 3) == cpl)) {
            raise_exception_err(env, EXCP0D_GPF, 0);
        }
        cpu_x86_load_seg_cache(env, seg, selector, 0, 0,
                               seg == R_SS ? cpl << DESC_DPL_SHIFT : 0);
        return;
    }
    if (!cpu_x86_read_descriptor(env, selector, &e1, &e2)) {
        raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
    }
    if (!(e2 & DESC_S_MASK)) {
        raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
    }
    rpl = selector & 3;
    dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if (seg == R_SS) {
        /* A writable data segment with RPL = DPL = CPL. */
        if (rpl != cpl || dpl != cpl || (e2 & DESC_CS_MASK) ||
            !(e2 & DESC_W_MASK)) {
            raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
        }
        if (!(e2 & DESC_P_MASK)) {
            raise_exception_err(env, EXCP0C_STACK, selector & 0xfffc);
        }
    } else {
        /* Data or readable code; non-conforming needs DPL >= CPL, RPL. */
        if ((e2 & (DESC_CS_MASK | DESC_R_MASK)) == DESC_CS_MASK) {
            raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
        }
        if (!(e2 & DESC_CS_MASK) || !(e2 & DESC_C_MASK)) {
            if (dpl < cpl || dpl < rpl) {
                raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc);
            }
        }
        if (!(e2 & DESC_P_MASK)) {
            raise_exception_err(env, EXCP0B_NOSEG, selector & 0xfffc);
        }
    }
    x86_desc_set_accessed(env, selector, &e2);
    cpu_x86_load_seg_cache(env, seg, selector, get_seg_base(e1, e2),
                           get_seg_limit(e1, e2), e2);
}

void x86_desc_set_accessed(CPUX86State *env, uint32_t selector, uint32_t *e2)
{
    if (!(*e2 & DESC_A_MASK)) {
        *e2 |= DESC_A_MASK;
        cpu_x86_write_descriptor_high(env, selector, *e2);
    }
}

void x86_load_seg_vm86(CPUX86State *env, int seg, uint32_t selector)
{
    /*
     * Every v86 segment, CS included, behaves as read/write accessed data
     * (type 3), as the VMX guest-state checks for v86 mode spell out
     * (SDM vol. 3, 27.3.1.2): code can write through CS.
     */
    uint32_t flags = DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | DESC_A_MASK |
                     (3 << DESC_DPL_SHIFT);

    selector &= 0xffff;
    cpu_x86_load_seg_cache(env, seg, selector, selector << 4, 0xffff, flags);
}

void x86_seg_fault(CPUX86State *env, int seg)
{
    raise_exception_err(env, seg == R_SS ? EXCP0C_STACK : EXCP0D_GPF, 0);
}
