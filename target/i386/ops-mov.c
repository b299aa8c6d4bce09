/*
 * Data movement: MOV in its forms, LEA, XCHG, MOVZX/MOVSX/MOVSXD,
 * CBW/CWD and their wider forms, CMOVcc, SETcc, BSWAP, XLAT, LAHF/SAHF,
 * segment register moves and LxS, NOP and PAUSE (SDM vol. 2).
 */
#include "target/i386/ops-common.h"

/* MOV r/m, r and MOV r, r/m, with register-form specialisations. */
#define MOV_SIZED(OT, SUF)                                              \
    static void mov_EG##SUF(CPUX86State *env, const DecodedInsn *d)     \
    {                                                                   \
        st_E(env, d, OT, reg_read(env, d->reg, OT));                    \
    }                                                                   \
    static void mov_GE##SUF(CPUX86State *env, const DecodedInsn *d)     \
    {                                                                   \
        reg_write(env, d->reg, OT, ld_E(env, d, OT));                   \
    }                                                                   \
    static void mov_EG##SUF##_r(CPUX86State *env, const DecodedInsn *d) \
    {                                                                   \
        reg_write(env, d->rm, OT, reg_read(env, d->reg, OT));           \
    }                                                                   \
    static void mov_GE##SUF##_r(CPUX86State *env, const DecodedInsn *d) \
    {                                                                   \
        reg_write(env, d->reg, OT, reg_read(env, d->rm, OT));           \
    }
MOV_SIZED(OT_BYTE, _8)
MOV_SIZED(OT_WORD, _16)
MOV_SIZED(OT_LONG, _32)
MOV_SIZED(OT_QUAD, _64)
DEF_HS4R(mov_EG, mov_EG);
DEF_HS4R(mov_GE, mov_GE);
DEF_SIZED(mov_EI, { st_E(env, d, ot, d->imm & ot_mask(ot)); })
DEF_SIZED(mov_RI, { reg_write(env, d->reg, ot, d->imm); })
/* A0-A3: the offset is an immediate of the address size. */
DEF_SIZED(mov_AO, {
    reg_write(env, R_EAX, ot,
              ld_seg(env, d->seg, addr_mask(d->aflag, d->imm), 1 << ot));
})
DEF_SIZED(mov_OA, {
    st_seg(env, d->seg, addr_mask(d->aflag, d->imm), 1 << ot,
           reg_read(env, R_EAX, ot));
})

/* LEA: the offset, truncated or zero-extended to the operand size. */
DEF_SIZED(lea, { reg_write(env, d->reg, ot, insn_ea(env, d)); })

/* XCHG with memory is always locked; atomicity is implicit here. */
DEF_SIZED(xchg_EG, {
    uint64_t lin = lin_E_rmw(env, d, ot);
    uint64_t a = ld_rmw(env, d, lin, ot);
    uint64_t b = reg_read(env, d->reg, ot);
    st_rmw(env, d, lin, ot, b);
    reg_write(env, d->reg, ot, a);
})
DEF_SIZED(xchg_AR, {
    uint64_t a = reg_read(env, R_EAX, ot);
    reg_write(env, R_EAX, ot, reg_read(env, d->reg, ot));
    reg_write(env, d->reg, ot, a);
})

DEF_SIZED(movzx_b, { reg_write(env, d->reg, ot, ld_E(env, d, OT_BYTE)); })
DEF_SIZED(movzx_w, { reg_write(env, d->reg, ot, ld_E(env, d, OT_WORD)); })
DEF_SIZED(movsx_b, {
    reg_write(env, d->reg, ot, sext_ot(ld_E(env, d, OT_BYTE), OT_BYTE));
})
DEF_SIZED(movsx_w, {
    reg_write(env, d->reg, ot, sext_ot(ld_E(env, d, OT_WORD), OT_WORD));
})
/* MOVSXD: sign-extends with REX.W; otherwise behaves as MOV r32. */
DEF_SIZED(movsxd, {
    reg_write(env, d->reg, ot, sext_ot(ld_E(env, d, OT_LONG), OT_LONG));
})

/* 98: CBW / CWDE / CDQE */
DEF_SIZED(cbw, {
    int half = ot - 1;
    reg_write(env, R_EAX, ot, sext_ot(reg_read(env, R_EAX, half), half));
})
/* 99: CWD / CDQ / CQO: the sign of rAX into rDX. */
DEF_SIZED(cwd, {
    int64_t v = sext_ot(reg_read(env, R_EAX, ot), ot);
    reg_write(env, R_EDX, ot, v < 0 ? ~0ull : 0);
})

/*
 * CMOVcc: the source is read (and may fault) whatever the condition;
 * with a 32-bit operand the destination is zero-extended even when the
 * condition is false (SDM vol. 2, CMOVcc).
 */
DEF_SIZED(cmov, {
    uint64_t v = ld_E(env, d, ot);
    if (cpu_cc_test(env, d->opcode & 0xf)) {
        reg_write(env, d->reg, ot, v);
    } else if (ot == OT_LONG) {
        reg_write(env, d->reg, ot, reg_read(env, d->reg, ot));
    }
})
DEF_SIZED(setcc, { st_E(env, d, OT_BYTE, cpu_cc_test(env, d->opcode & 0xf)); })

/* BSWAP with a 16-bit operand is undefined; it clears the low word on
 * real CPUs and in QEMU. */
DEF_SIZED(bswap, {
    uint64_t v = env->regs[d->reg];
    switch (ot) {
    case OT_WORD:
        reg_write(env, d->reg, OT_WORD, 0);
        break;
    case OT_LONG:
        reg_write(env, d->reg, OT_LONG, __builtin_bswap32((uint32_t)v));
        break;
    default:
        env->regs[d->reg] = __builtin_bswap64(v);
        break;
    }
})

/* XLAT: AL = [seg:rBX + AL] */
DEF_SIZED(xlat, {
    uint64_t ea =
        addr_mask(d->aflag, env->regs[R_EBX] + (env->regs[R_EAX] & 0xff));
    reg_write(env, R_EAX, OT_BYTE, ld_seg(env, d->seg, ea, 1));
})

/* LAHF/SAHF: SF ZF AF PF CF and bit 1 in AH. */
DEF_SIZED(lahf, {
    uint32_t f = cpu_compute_eflags(env);
    reg_write(env, REG_AH, OT_BYTE, (f & 0xd5) | 2);
})
DEF_SIZED(sahf, {
    uint32_t ah = reg_read(env, REG_AH, OT_BYTE);
    cpu_load_eflags(env, ah, CC_S | CC_Z | CC_A | CC_P | CC_C);
})

DEF_SIZED(nop, {})
/* PAUSE: a spin-wait hint; nothing to do in an emulator. */
DEF_SIZED(pause, {})

/* 8C: MOV r/m16, Sreg (a 32/64-bit register destination is zero-extended). */
DEF_SIZED(mov_E_sreg, {
    int seg = (d->modrm >> 3) & 7;
    if (seg >= NB_SEGS) {
        raise_exception(env, EXCP06_ILLOP);
    }
    if (d->mod3) {
        reg_write(env, d->rm, ot, env->segs[seg].selector);
    } else {
        st_E(env, d, OT_WORD, env->segs[seg].selector);
    }
})

/*
 * 8E: MOV Sreg, r/m16.  CS cannot be loaded; loading SS starts an
 * interrupt shadow (SDM vol. 2, MOV).
 */
DEF_SIZED(mov_sreg_E, {
    int seg = (d->modrm >> 3) & 7;
    if (seg >= NB_SEGS || seg == R_CS) {
        raise_exception(env, EXCP06_ILLOP);
    }
    helper_load_seg(env, seg, ld_E(env, d, OT_WORD));
    if (seg == R_SS && !(env->hflags & HF_INHIBIT_IRQ_MASK)) {
        env->hflags |= HF_INHIBIT_IRQ_MASK;
        env->inhibit_irq_just_set = true;
        env->dbg_inhibit = true;
    }
    (void)ot;
})

/* LES LDS LSS LFS LGS: offset then selector from memory. */
DEF_SIZED(lxs, {
    static const int8_t seg_of[] = { [0xc4] = R_ES, [0xc5] = R_DS };
    int seg = d->opcode == 0x1b2   ? R_SS
              : d->opcode == 0x1b4 ? R_FS
              : d->opcode == 0x1b5 ? R_GS
                                   : seg_of[d->opcode & 0xff];
    uint64_t ea = insn_ea(env, d);
    int size = 1 << ot;
    uint64_t off = ld_seg(env, d->seg, ea, size);
    uint16_t sel = ld_seg(env, d->seg, addr_mask(d->aflag, ea + size), 2);
    helper_load_seg(env, seg, sel);
    reg_write(env, d->reg, ot, off);
})
