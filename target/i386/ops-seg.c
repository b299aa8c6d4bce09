/*
 * Descriptor-table and segment instructions: LLDT SLDT LTR STR (group 6),
 * VERR VERW LAR LSL ARPL (SDM vol. 2).  None of them exists in real or
 * virtual-8086 mode (#UD there).
 */
#include "qemu/osdep.h"
#include "target/i386/ops-common.h"

#define TYPE_TSS16_AVAIL 1
#define TYPE_LDT         2
#define TYPE_TSS32_AVAIL 9

/* #UD outside protected mode (real and virtual-8086 mode). */
static void need_protected(CPUX86State *env)
{
    if (!(env->cr[0] & CR0_PE_MASK) || (env->eflags & VM_MASK)) {
        raise_exception(env, EXCP06_ILLOP);
    }
}

/* #GP(0) unless CPL 0. */
static void need_cpl0(CPUX86State *env)
{
    if (cpu_cpl(env) != 0) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
}

/* Sets ZF alone; the other flags keep their values. */
static void set_zf(CPUX86State *env, bool z)
{
    cpu_load_eflags(env, z ? CC_Z : 0, CC_Z);
}

/*
 * SLDT/STR: a register destination gets the selector zero-extended to
 * the operand size (a 16-bit one keeps the upper bits); a memory
 * destination is always 16 bits (SDM vol. 2, SLDT, STR).
 */
static void store_selector(CPUX86State *env, const DecodedInsn *d, int ot,
                           uint32_t sel)
{
    if (d->mod3) {
        reg_write(env, d->rm, ot, sel & 0xffff);
    } else {
        st_seg(env, d->seg, insn_ea(env, d), 2, sel & 0xffff);
    }
}

DEF_SIZED_WLQ(sldt, {
    need_protected(env);
    store_selector(env, d, ot, env->ldt.selector);
})

DEF_SIZED_WLQ(str, {
    need_protected(env);
    store_selector(env, d, ot, env->tr.selector);
})

/*
 * Reads the descriptor of an LDT or TSS for LLDT/LTR: in the GDT only
 * (#GP(selector) otherwise), 16 bytes in long mode with bits 63-32 of
 * the base in the third dword.
 */
static uint64_t read_system_desc(CPUX86State *env, uint32_t sel, uint32_t *e1,
                                 uint32_t *e2)
{
    uint64_t base;

    if ((sel & 4) || !cpu_x86_read_descriptor(env, sel, e1, e2)) {
        raise_exception_err(env, EXCP0D_GPF, sel & 0xfffc);
    }
    base = get_seg_base(*e1, *e2);
    if (env->hflags & HF_LMA_MASK) {
        uint32_t index = sel & ~7;
        uint32_t e3;

        if (index + 15 > env->gdt.limit) {
            raise_exception_err(env, EXCP0D_GPF, sel & 0xfffc);
        }
        e3 = cpu_ldl_kernel(env, env->gdt.base + index + 8);
        base |= (uint64_t)e3 << 32;
        if ((uint64_t)(((int64_t)base << 16) >> 16) != base) {
            raise_exception_err(env, EXCP0D_GPF, sel & 0xfffc);
        }
    }
    return base;
}

/* LLDT r/m16 (SDM vol. 2, LLDT). */
DEF_PLAIN(lldt, {
    uint32_t sel, e1, e2;
    uint64_t base;

    need_protected(env);
    need_cpl0(env);
    sel = ld_E(env, d, OT_WORD);
    if ((sel & 0xfffc) == 0) {
        /* A null selector leaves the LDTR invalid: TI=1 selectors fault. */
        env->ldt.selector = sel;
        env->ldt.base = 0;
        env->ldt.limit = 0;
        env->ldt.flags = 0;
        return;
    }
    base = read_system_desc(env, sel, &e1, &e2);
    if (desc_type(e2) != TYPE_LDT) {
        raise_exception_err(env, EXCP0D_GPF, sel & 0xfffc);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, sel & 0xfffc);
    }
    env->ldt.selector = sel;
    env->ldt.base = base;
    env->ldt.limit = get_seg_limit(e1, e2);
    env->ldt.flags = e2;
})

/* LTR r/m16: an available TSS, which becomes busy (SDM vol. 2, LTR). */
DEF_PLAIN(ltr, {
    uint32_t sel, e1, e2, type;
    uint64_t base;

    need_protected(env);
    need_cpl0(env);
    sel = ld_E(env, d, OT_WORD);
    if ((sel & 0xfffc) == 0) {
        raise_exception_err(env, EXCP0D_GPF, 0);
    }
    base = read_system_desc(env, sel, &e1, &e2);
    type = desc_type(e2);
    /* Long mode has only the 64-bit TSS (type 9). */
    if (type != TYPE_TSS32_AVAIL &&
        (type != TYPE_TSS16_AVAIL || (env->hflags & HF_LMA_MASK))) {
        raise_exception_err(env, EXCP0D_GPF, sel & 0xfffc);
    }
    if (!(e2 & DESC_P_MASK)) {
        raise_exception_err(env, EXCP0B_NOSEG, sel & 0xfffc);
    }
    e2 |= DESC_TSS_BUSY_MASK;
    cpu_x86_write_descriptor_high(env, sel, e2);
    env->tr.selector = sel;
    env->tr.base = base;
    env->tr.limit = get_seg_limit(e1, e2);
    env->tr.flags = e2;
})

/*
 * VERR/VERW: ZF = 1 when the segment could be read / written at the
 * current CPL and the selector's RPL.  The present bit is not checked;
 * conforming code segments are readable at any level (SDM vol. 2, VERR).
 */
static bool verify_segment(CPUX86State *env, uint32_t sel, bool write)
{
    uint32_t e1, e2, dpl, cpl = cpu_cpl(env), rpl = sel & 3;

    if ((sel & 0xfffc) == 0 || !cpu_x86_read_descriptor(env, sel, &e1, &e2) ||
        !(e2 & DESC_S_MASK)) {
        return false;
    }
    dpl = desc_dpl(e2);
    if (e2 & DESC_CS_MASK) {
        if (write || !(e2 & DESC_R_MASK)) {
            return false;
        }
        return (e2 & DESC_C_MASK) || (dpl >= cpl && dpl >= rpl);
    }
    if (dpl < cpl || dpl < rpl) {
        return false;
    }
    return !write || (e2 & DESC_W_MASK);
}

DEF_PLAIN(verr, {
    uint32_t sel;

    need_protected(env);
    sel = ld_E(env, d, OT_WORD);
    set_zf(env, verify_segment(env, sel, false));
})

DEF_PLAIN(verw, {
    uint32_t sel;

    need_protected(env);
    sel = ld_E(env, d, OT_WORD);
    set_zf(env, verify_segment(env, sel, true));
})

/*
 * The descriptor for LAR/LSL, if the instruction may see it: inside its
 * table, a type valid for the instruction (SDM vol. 2, LAR and LSL,
 * tables "Segment and gate types"), and DPL >= CPL and RPL unless it is
 * a conforming code segment.
 */
static bool lar_lsl_desc(CPUX86State *env, uint32_t sel, bool lar, uint32_t *e1,
                         uint32_t *e2)
{
    uint32_t dpl, cpl = cpu_cpl(env), rpl = sel & 3;

    if ((sel & 0xfffc) == 0 || !cpu_x86_read_descriptor(env, sel, e1, e2)) {
        return false;
    }
    dpl = desc_dpl(*e2);
    if (*e2 & DESC_S_MASK) {
        if ((*e2 & DESC_CS_MASK) && (*e2 & DESC_C_MASK)) {
            return true;
        }
    } else {
        /*
         * Valid system types, one bit per type: outside long mode the
         * TSSs (1 3 9 B) and the LDT (2), for LAR also the call gates (4
         * C) and the task gate (5); in IA-32e mode only the LDT, the
         * 64-bit TSSs (9 B) and for LAR the 64-bit call gate (C).
         */
        uint32_t valid;

        if (env->hflags & HF_LMA_MASK) {
            valid = (1 << 2) | (1 << 9) | (1 << 11) | (lar ? 1 << 12 : 0);
        } else {
            valid = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 9) | (1 << 11);
            if (lar) {
                valid |= (1 << 4) | (1 << 5) | (1 << 12);
            }
        }
        if (!(valid & (1u << desc_type(*e2)))) {
            return false;
        }
    }
    return dpl >= cpl && dpl >= rpl;
}

/*
 * LAR: the access rights, the descriptor's high dword masked with
 * 00FxFF00H (type, S, DPL, P, AVL, L, D/B, G; bits 19-16 read as 0 here)
 * or FF00H for a 16-bit operand.
 */
DEF_SIZED_WLQ(lar, {
    uint32_t sel, e1, e2;
    bool ok;

    need_protected(env);
    sel = ld_E(env, d, OT_WORD);
    ok = lar_lsl_desc(env, sel, true, &e1, &e2);
    if (ok) {
        reg_write(env, d->reg, ot, e2 & (ot == OT_WORD ? 0xff00 : 0x00f0ff00));
    }
    set_zf(env, ok);
})

/* LSL: the segment limit in bytes (G applied), truncated to 16 bits for
 * a 16-bit operand. */
DEF_SIZED_WLQ(lsl, {
    uint32_t sel, e1, e2;
    bool ok;

    need_protected(env);
    sel = ld_E(env, d, OT_WORD);
    ok = lar_lsl_desc(env, sel, false, &e1, &e2);
    if (ok) {
        reg_write(env, d->reg, ot, get_seg_limit(e1, e2));
    }
    set_zf(env, ok);
})

/*
 * ARPL r/m16, r16: raises the RPL of the destination selector to the
 * source's; ZF says whether it changed (SDM vol. 2, ARPL).  In 64-bit
 * mode opcode 63 is MOVSXD (decode.c).
 */
DEF_PLAIN(arpl, {
    uint64_t lin;
    uint32_t dst, src;

    need_protected(env);
    lin = lin_E_rmw(env, d, OT_WORD);
    dst = ld_rmw(env, d, lin, OT_WORD);
    src = reg_read(env, d->reg, OT_WORD);
    if ((dst & 3) < (src & 3)) {
        st_rmw(env, d, lin, OT_WORD, (dst & ~3u) | (src & 3));
        set_zf(env, true);
    } else {
        set_zf(env, false);
    }
})
