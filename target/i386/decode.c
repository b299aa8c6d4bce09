/*
 * The x86 instruction decoder: prefixes, opcode tables, ModRM/SIB,
 * displacements and immediates (SDM vol. 2, chapter 2 and appendix A).
 */
#include "qemu/osdep.h"
#include "target/i386/decode.h"
#include "target/i386/ops.h"

/* The opcode tables are laid out by hand. */
/* clang-format off */
/* ---- table entry shorthands ---- */
#define E(n, h, f) { n, &hs_##h, (f), NULL, NULL }
#define G(n, t, f) { n, NULL, (f) | D_GROUP | D_MODRM, t, NULL }
#define S(n, fn, f) { n, NULL, (f) | D_SEL, NULL, fn }
#define UD { NULL, NULL, 0, NULL, NULL }

#define M D_MODRM
/* The six encodings of the classic ALU ops at 00-05, 08-0D, ... 38-3D. */
#define ALU_ROW(n, op, lock)                                                   \
    E(n, op##_EG, M | D_B | (lock)), E(n, op##_EG, M | (lock)),                \
        E(n, op##_GE, M | D_B), E(n, op##_GE, M), E(n, op##_AI, D_B | D_I8),   \
        E(n, op##_AI, D_IZ)

static InsnHandler *sel_nop90(DecodedInsn *d, uint32_t hflags);
static InsnHandler *sel_grp7(DecodedInsn *d, uint32_t hflags);
static InsnHandler *sel_grp15(DecodedInsn *d, uint32_t hflags);

/* Group 1 (80-83): the immediate kind comes from the opcode's entry. */
static const X86OpEntry group1[8] = {
    E("add", add_EI, D_LOCK), E("or", or_EI, D_LOCK),
    E("adc", adc_EI, D_LOCK), E("sbb", sbb_EI, D_LOCK),
    E("and", and_EI, D_LOCK), E("sub", sub_EI, D_LOCK),
    E("xor", xor_EI, D_LOCK), E("cmp", cmp_EI, 0),
};

/* Group 1a (8F) */
static const X86OpEntry group1a[8] = {
    E("pop", pop_E, D_DEF64), UD, UD, UD, UD, UD, UD, UD,
};

/* Group 2 (C0 C1 D0-D3): /6 is an alias of SHL on every x86 so far. */
static const X86OpEntry group2[8] = {
    E("rol", rol, 0), E("ror", ror, 0), E("rcl", rcl, 0), E("rcr", rcr, 0),
    E("shl", shl, 0), E("shr", shr, 0), E("sal", shl, 0), E("sar", sar, 0),
};

/* Group 3 (F6 F7): TEST takes an immediate, the others don't. */
static const X86OpEntry group3_b[8] = {
    E("test", test_EI, D_I8),  E("test", test_EI, D_I8),
    E("not", not_E, D_LOCK),   E("neg", neg_E, D_LOCK),
    E("mul", mul_E, 0),        E("imul", imul_E, 0),
    E("div", div_E, 0),        E("idiv", idiv_E, 0),
};
static const X86OpEntry group3_v[8] = {
    E("test", test_EI, D_IZ),  E("test", test_EI, D_IZ),
    E("not", not_E, D_LOCK),   E("neg", neg_E, D_LOCK),
    E("mul", mul_E, 0),        E("imul", imul_E, 0),
    E("div", div_E, 0),        E("idiv", idiv_E, 0),
};

/* Group 4 (FE) */
static const X86OpEntry group4[8] = {
    E("inc", inc_E, D_LOCK), E("dec", dec_E, D_LOCK), UD, UD, UD, UD, UD, UD,
};

/* Group 5 (FF) */
static const X86OpEntry group5[8] = {
    E("inc", inc_E, D_LOCK),
    E("dec", dec_E, D_LOCK),
    E("call", call_E, D_F64 | D_JUMP),
    E("lcall", lcall_E, D_MEM | D_JUMP),
    E("jmp", jmp_E, D_F64 | D_JUMP),
    E("ljmp", ljmp_E, D_MEM | D_JUMP),
    E("push", push_E, D_DEF64),
    UD,
};

/* Group 11 (C6 C7) */
static const X86OpEntry group11_b[8] = {
    E("mov", mov_EI, D_I8), UD, UD, UD, UD, UD, UD, UD,
};
static const X86OpEntry group11_v[8] = {
    E("mov", mov_EI, D_IZ), UD, UD, UD, UD, UD, UD, UD,
};

/* The one-byte opcode map (SDM vol. 2, table A-2). */
static const X86OpEntry opcodes[256] = {
    /* 00 */ ALU_ROW("add", add, D_LOCK),
    /* 06 */ E("push", push_sreg, D_INV64),
    /* 07 */ E("pop", pop_sreg, D_INV64 | D_END),
    /* 08 */ ALU_ROW("or", or, D_LOCK),
    /* 0e */ E("push", push_sreg, D_INV64),
    /* 0f */ UD, /* two-byte escape, handled by the decoder */
    /* 10 */ ALU_ROW("adc", adc, D_LOCK),
    /* 16 */ E("push", push_sreg, D_INV64),
    /* 17 */ E("pop", pop_sreg, D_INV64 | D_END), /* POP SS: IRQ shadow */
    /* 18 */ ALU_ROW("sbb", sbb, D_LOCK),
    /* 1e */ E("push", push_sreg, D_INV64),
    /* 1f */ E("pop", pop_sreg, D_INV64 | D_END),
    /* 20 */ ALU_ROW("and", and, D_LOCK),
    /* 26 */ UD, /* ES: prefix */
    /* 27 */ E("daa", daa, D_INV64),
    /* 28 */ ALU_ROW("sub", sub, D_LOCK),
    /* 2e */ UD, /* CS: prefix */
    /* 2f */ E("das", das, D_INV64),
    /* 30 */ ALU_ROW("xor", xor, D_LOCK),
    /* 36 */ UD, /* SS: prefix */
    /* 37 */ E("aaa", aaa, D_INV64),
    /* 38 */ ALU_ROW("cmp", cmp, 0),
    /* 3e */ UD, /* DS: prefix */
    /* 3f */ E("aas", aas, D_INV64),
    /* 40 */ E("inc", inc_R, D_INV64), E("inc", inc_R, D_INV64),
    /* 42 */ E("inc", inc_R, D_INV64), E("inc", inc_R, D_INV64),
    /* 44 */ E("inc", inc_R, D_INV64), E("inc", inc_R, D_INV64),
    /* 46 */ E("inc", inc_R, D_INV64), E("inc", inc_R, D_INV64),
    /* 48 */ E("dec", dec_R, D_INV64), E("dec", dec_R, D_INV64),
    /* 4a */ E("dec", dec_R, D_INV64), E("dec", dec_R, D_INV64),
    /* 4c */ E("dec", dec_R, D_INV64), E("dec", dec_R, D_INV64),
    /* 4e */ E("dec", dec_R, D_INV64), E("dec", dec_R, D_INV64),
    /* 50 */ E("push", push_R, D_DEF64), E("push", push_R, D_DEF64),
    /* 52 */ E("push", push_R, D_DEF64), E("push", push_R, D_DEF64),
    /* 54 */ E("push", push_R, D_DEF64), E("push", push_R, D_DEF64),
    /* 56 */ E("push", push_R, D_DEF64), E("push", push_R, D_DEF64),
    /* 58 */ E("pop", pop_R, D_DEF64), E("pop", pop_R, D_DEF64),
    /* 5a */ E("pop", pop_R, D_DEF64), E("pop", pop_R, D_DEF64),
    /* 5c */ E("pop", pop_R, D_DEF64), E("pop", pop_R, D_DEF64),
    /* 5e */ E("pop", pop_R, D_DEF64), E("pop", pop_R, D_DEF64),
    /* 60 */ E("pusha", pusha, D_INV64),
    /* 61 */ E("popa", popa, D_INV64),
    /* 62 */ E("bound", bound, M | D_MEM | D_INV64),
    /* 63 */ UD, /* ARPL, or MOVSXD in 64-bit mode: chosen below */
    /* 64 */ UD, UD, UD, UD, /* FS: GS: 66 67 prefixes */
    /* 68 */ E("push", push_I, D_DEF64 | D_IZ),
    /* 69 */ E("imul", imul_GEI, M | D_IZ),
    /* 6a */ E("push", push_I, D_DEF64 | D_I8S),
    /* 6b */ E("imul", imul_GEI, M | D_I8S),
    /* 6c */ E("insb", ins, D_B | D_STRING | D_END),
    /* 6d */ E("ins", ins, D_STRING | D_END),
    /* 6e */ E("outsb", outs, D_B | D_STRING | D_END),
    /* 6f */ E("outs", outs, D_STRING | D_END),
    /* 70 */ E("jo", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 71 */ E("jno", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 72 */ E("jb", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 73 */ E("jae", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 74 */ E("je", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 75 */ E("jne", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 76 */ E("jbe", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 77 */ E("ja", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 78 */ E("js", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 79 */ E("jns", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 7a */ E("jp", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 7b */ E("jnp", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 7c */ E("jl", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 7d */ E("jge", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 7e */ E("jle", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 7f */ E("jg", jcc, D_I8S | D_REL | D_F64 | D_JUMP),
    /* 80 */ G("grp1", group1, D_B | D_I8),
    /* 81 */ G("grp1", group1, D_IZ),
    /* 82 */ G("grp1", group1, D_B | D_I8 | D_INV64),
    /* 83 */ G("grp1", group1, D_I8S),
    /* 84 */ E("test", test_EG, M | D_B),
    /* 85 */ E("test", test_EG, M),
    /* 86 */ E("xchg", xchg_EG, M | D_B | D_LOCK),
    /* 87 */ E("xchg", xchg_EG, M | D_LOCK),
    /* 88 */ E("mov", mov_EG, M | D_B),
    /* 89 */ E("mov", mov_EG, M),
    /* 8a */ E("mov", mov_GE, M | D_B),
    /* 8b */ E("mov", mov_GE, M),
    /* 8c */ E("mov", mov_E_sreg, M),
    /* 8d */ E("lea", lea, M | D_MEM),
    /* 8e */ E("mov", mov_sreg_E, M | D_W | D_END), /* MOV SS: IRQ shadow */
    /* 8f */ G("grp1a", group1a, 0),
    /* 90 */ S("nop", sel_nop90, 0),
    /* 91 */ E("xchg", xchg_AR, 0), E("xchg", xchg_AR, 0),
    /* 93 */ E("xchg", xchg_AR, 0), E("xchg", xchg_AR, 0),
    /* 95 */ E("xchg", xchg_AR, 0), E("xchg", xchg_AR, 0),
    /* 97 */ E("xchg", xchg_AR, 0),
    /* 98 */ E("cbw", cbw, 0),
    /* 99 */ E("cwd", cwd, 0),
    /* 9a */ E("lcall", lcall_far, D_FAR | D_INV64 | D_JUMP),
    /* 9b */ E("fwait", fwait, 0),
    /* 9c */ E("pushf", pushf, D_DEF64),
    /* 9d */ E("popf", popf, D_DEF64 | D_END),
    /* 9e */ E("sahf", sahf, 0),
    /* 9f */ E("lahf", lahf, 0),
    /* a0 */ E("mov", mov_AO, D_B | D_MOFFS),
    /* a1 */ E("mov", mov_AO, D_MOFFS),
    /* a2 */ E("mov", mov_OA, D_B | D_MOFFS),
    /* a3 */ E("mov", mov_OA, D_MOFFS),
    /* a4 */ E("movsb", movs, D_B | D_STRING),
    /* a5 */ E("movs", movs, D_STRING),
    /* a6 */ E("cmpsb", cmps, D_B | D_STRING),
    /* a7 */ E("cmps", cmps, D_STRING),
    /* a8 */ E("test", test_AI, D_B | D_I8),
    /* a9 */ E("test", test_AI, D_IZ),
    /* aa */ E("stosb", stos, D_B | D_STRING),
    /* ab */ E("stos", stos, D_STRING),
    /* ac */ E("lodsb", lods, D_B | D_STRING),
    /* ad */ E("lods", lods, D_STRING),
    /* ae */ E("scasb", scas, D_B | D_STRING),
    /* af */ E("scas", scas, D_STRING),
    /* b0 */ E("mov", mov_RI, D_B | D_I8), E("mov", mov_RI, D_B | D_I8),
    /* b2 */ E("mov", mov_RI, D_B | D_I8), E("mov", mov_RI, D_B | D_I8),
    /* b4 */ E("mov", mov_RI, D_B | D_I8), E("mov", mov_RI, D_B | D_I8),
    /* b6 */ E("mov", mov_RI, D_B | D_I8), E("mov", mov_RI, D_B | D_I8),
    /* b8 */ E("mov", mov_RI, D_IV), E("mov", mov_RI, D_IV),
    /* ba */ E("mov", mov_RI, D_IV), E("mov", mov_RI, D_IV),
    /* bc */ E("mov", mov_RI, D_IV), E("mov", mov_RI, D_IV),
    /* be */ E("mov", mov_RI, D_IV), E("mov", mov_RI, D_IV),
    /* c0 */ G("grp2", group2, D_B | D_I8),
    /* c1 */ G("grp2", group2, D_I8),
    /* c2 */ E("ret", ret_imm, D_I16 | D_F64 | D_JUMP),
    /* c3 */ E("ret", ret, D_F64 | D_JUMP),
    /* c4 */ E("les", lxs, M | D_MEM | D_INV64),
    /* c5 */ E("lds", lxs, M | D_MEM | D_INV64),
    /* c6 */ G("grp11", group11_b, D_B),
    /* c7 */ G("grp11", group11_v, 0),
    /* c8 */ E("enter", enter, D_ENTER | D_DEF64),
    /* c9 */ E("leave", leave, D_DEF64),
    /* ca */ E("lret", lret_imm, D_I16 | D_JUMP),
    /* cb */ E("lret", lret, D_JUMP),
    /* cc */ E("int3", int3, D_JUMP),
    /* cd */ E("int", int_imm, D_I8 | D_JUMP),
    /* ce */ E("into", into, D_INV64 | D_JUMP),
    /* cf */ E("iret", iret, D_JUMP),
    /* d0 */ G("grp2", group2, D_B | D_SHIFT_1),
    /* d1 */ G("grp2", group2, D_SHIFT_1),
    /* d2 */ G("grp2", group2, D_B | D_SHIFT_CL),
    /* d3 */ G("grp2", group2, D_SHIFT_CL),
    /* d4 */ E("aam", aam, D_I8 | D_INV64),
    /* d5 */ E("aad", aad, D_I8 | D_INV64),
    /* d6 */ E("salc", salc, D_INV64),
    /* d7 */ E("xlat", xlat, D_B),
    /* d8 */ S("fpu", x87_select, M), S("fpu", x87_select, M),
    /* da */ S("fpu", x87_select, M), S("fpu", x87_select, M),
    /* dc */ S("fpu", x87_select, M), S("fpu", x87_select, M),
    /* de */ S("fpu", x87_select, M), S("fpu", x87_select, M),
    /* e0 */ E("loopne", loopne, D_I8S | D_REL | D_F64 | D_JUMP),
    /* e1 */ E("loope", loope, D_I8S | D_REL | D_F64 | D_JUMP),
    /* e2 */ E("loop", loop, D_I8S | D_REL | D_F64 | D_JUMP),
    /* e3 */ E("jcxz", jcxz, D_I8S | D_REL | D_F64 | D_JUMP),
    /* e4 */ E("in", in_AI, D_B | D_I8 | D_END),
    /* e5 */ E("in", in_AI, D_I8 | D_END),
    /* e6 */ E("out", out_IA, D_B | D_I8 | D_END),
    /* e7 */ E("out", out_IA, D_I8 | D_END),
    /* e8 */ E("call", call_rel, D_IZ | D_REL | D_F64 | D_JUMP),
    /* e9 */ E("jmp", jmp_rel, D_IZ | D_REL | D_F64 | D_JUMP),
    /* ea */ E("ljmp", ljmp_far, D_FAR | D_INV64 | D_JUMP),
    /* eb */ E("jmp", jmp_rel, D_I8S | D_REL | D_F64 | D_JUMP),
    /* ec */ E("in", in_AD, D_B | D_END),
    /* ed */ E("in", in_AD, D_END),
    /* ee */ E("out", out_DA, D_B | D_END),
    /* ef */ E("out", out_DA, D_END),
    /* f0 */ UD, /* LOCK prefix */
    /* f1 */ E("int1", int1, D_JUMP),
    /* f2 */ UD, UD, /* REPNE REP prefixes */
    /* f4 */ E("hlt", hlt, D_END),
    /* f5 */ E("cmc", cmc, 0),
    /* f6 */ G("grp3", group3_b, D_B),
    /* f7 */ G("grp3", group3_v, 0),
    /* f8 */ E("clc", clc, 0),
    /* f9 */ E("stc", stc, 0),
    /* fa */ E("cli", cli, 0),
    /* fb */ E("sti", sti, D_END), /* IRQ shadow, then IRQs may come */
    /* fc */ E("cld", cld, 0),
    /* fd */ E("std", std, 0),
    /* fe */ G("grp4", group4, D_B),
    /* ff */ G("grp5", group5, 0),
};

static const X86OpEntry arpl_entry = E("arpl", arpl, M | D_W);
static const X86OpEntry movsxd_entry = E("movsxd", movsxd, M);

/* Group 6 (0F 00) */
static const X86OpEntry group6[8] = {
    E("sldt", sldt, 0), E("str", str, 0),
    E("lldt", lldt, D_W), E("ltr", ltr, D_W),
    E("verr", verr, D_W), E("verw", verw, D_W), UD, UD,
};

/* Group 8 (0F BA) */
static const X86OpEntry group8[8] = {
    UD, UD, UD, UD,
    E("bt", bt_EI, D_I8), E("bts", bts_EI, D_I8 | D_LOCK),
    E("btr", btr_EI, D_I8 | D_LOCK), E("btc", btc_EI, D_I8 | D_LOCK),
};

/* Group 9 (0F C7): CMPXCHG8B (CMPXCHG16B with REX.W) */
static const X86OpEntry group9[8] = {
    UD, E("cmpxchg8b", cmpxchg8b, D_MEM | D_LOCK), UD, UD, UD, UD, UD, UD,
};

#define JCC_Z(n) E(n, jcc, D_IZ | D_REL | D_F64 | D_JUMP)
#define SETCC(n) E(n, setcc, M | D_B)
#define CMOV(n) E(n, cmov, M)

/*
 * SIMD rows (MMX, SSE, SSE2, SSE3): a prefixed entry picks its
 * instruction by the mandatory prefix (none, 66, F3, F2).
 *   PFX(name, flags, none, 66, F3, F2)
 *   SS(name, hs, flags)   one form (no size slots)
 *   MX(name, hs, flags)   MMX form with no prefix, XMM form with 66
 */
#define PFX(n, f, a, b, c, d)                                                  \
    { n, NULL, (f) | D_PREFIXED | D_MODRM,                                    \
      (const X86OpEntry[]){ a, b, c, d }, NULL }
#define SS(n, h, f) E(n, h, (f) | M)
#define MMX(n, h, f) E(n, h, (f) | M | D_SIMD64)
#define XMM(n, h, f) E(n, h, (f) | M | D_SIMD128)
#define MX(n, h, f) PFX(n, 0, MMX(n, h, f), XMM(n, h, f), UD, UD)
/* A register operand is required (#UD with memory). */
#define RO D_REGISTER
#define I8 D_I8

/* Groups 12-14 (0F 71-73): shifts by an immediate, register forms. */
static const X86OpEntry group12[8] = {
    UD, UD, PFX("psrlw", 0, MMX("psrlw", psrlw_imm, I8), XMM("psrlw", psrlw_imm, I8), UD, UD),
    UD, PFX("psraw", 0, MMX("psraw", psraw_imm, I8), XMM("psraw", psraw_imm, I8), UD, UD),
    UD, PFX("psllw", 0, MMX("psllw", psllw_imm, I8), XMM("psllw", psllw_imm, I8), UD, UD),
    UD,
};
static const X86OpEntry group13[8] = {
    UD, UD, PFX("psrld", 0, MMX("psrld", psrld_imm, I8), XMM("psrld", psrld_imm, I8), UD, UD),
    UD, PFX("psrad", 0, MMX("psrad", psrad_imm, I8), XMM("psrad", psrad_imm, I8), UD, UD),
    UD, PFX("pslld", 0, MMX("pslld", pslld_imm, I8), XMM("pslld", pslld_imm, I8), UD, UD),
    UD,
};
static const X86OpEntry group14[8] = {
    UD, UD, PFX("psrlq", 0, MMX("psrlq", psrlq_imm, I8), XMM("psrlq", psrlq_imm, I8), UD, UD),
    PFX("psrldq", 0, UD, XMM("psrldq", psrldq_imm, I8), UD, UD),
    UD, UD, PFX("psllq", 0, MMX("psllq", psllq_imm, I8), XMM("psllq", psllq_imm, I8), UD, UD),
    PFX("pslldq", 0, UD, XMM("pslldq", pslldq_imm, I8), UD, UD),
};

/* The two-byte opcode map, 0F xx (SDM vol. 2, table A-3).  SSE entries
 * are added by the SIMD issue. */
static const X86OpEntry opcodes_0f[256] = {
    /* 00 */ G("grp6", group6, 0),
    /* 01 */ S("grp7", sel_grp7, M),
    /* 02 */ E("lar", lar, M),
    /* 03 */ E("lsl", lsl, M),
    /* 04 */ UD,
    /* 05 */ E("syscall", syscall, D_JUMP),
    /* 06 */ E("clts", clts, D_END),
    /* 07 */ E("sysret", sysret, D_JUMP),
    /* 08 */ E("invd", invd, 0),
    /* 09 */ E("wbinvd", wbinvd, 0),
    /* 0a */ UD,
    /* 0b */ UD, /* UD2 */
    /* 0c */ UD,
    /* 0d */ E("prefetch", nop, M | D_MEM), /* NOP on qemu64 */
    /* 0e */ UD, UD,
    /* 10 */ PFX("movups", 0, SS("movups", movups_ld, 0), SS("movupd", movups_ld, 0),
                SS("movss", movss_ld, 0), SS("movsd", movsd_ld, 0)),
    /* 11 */ PFX("movups", 0, SS("movups", movups_st, 0), SS("movupd", movups_st, 0),
                SS("movss", movss_st, 0), SS("movsd", movsd_st, 0)),
    /* 12 */ PFX("movlps", 0, SS("movlps", movlps_ld, 0), SS("movlpd", movlpd_ld, D_MEM),
                SS("movsldup", movsldup, 0), SS("movddup", movddup, 0)),
    /* 13 */ PFX("movlps", 0, SS("movlps", movlps_st, D_MEM), SS("movlpd", movlps_st, D_MEM),
                UD, UD),
    /* 14 */ PFX("unpcklps", 0, SS("unpcklps", unpcklps, 0), SS("unpcklpd", unpcklpd, 0),
                UD, UD),
    /* 15 */ PFX("unpckhps", 0, SS("unpckhps", unpckhps, 0), SS("unpckhpd", unpckhpd, 0),
                UD, UD),
    /* 16 */ PFX("movhps", 0, SS("movhps", movhps_ld, 0), SS("movhpd", movhpd_ld, D_MEM),
                SS("movshdup", movshdup, 0), UD),
    /* 17 */ PFX("movhps", 0, SS("movhps", movhps_st, D_MEM), SS("movhpd", movhps_st, D_MEM),
                UD, UD),
    /* 18 */ E("prefetch", nop, M), /* hint NOPs (SDM: NOP r/m) */
    /* 19 */ E("nop", nop, M), E("nop", nop, M), E("nop", nop, M),
    /* 1c */ E("nop", nop, M), E("nop", nop, M), E("nop", nop, M),
    /* 1f */ E("nop", nop, M),
    /* 20 */ E("mov", mov_R_cr, M | D_REGONLY | D_F64),
    /* 21 */ E("mov", mov_R_dr, M | D_REGONLY | D_F64),
    /* 22 */ E("mov", mov_cr_R, M | D_REGONLY | D_F64 | D_END),
    /* 23 */ E("mov", mov_dr_R, M | D_REGONLY | D_F64 | D_END),
    /* 24 */ UD, UD, UD, UD,
    /* 28 */ PFX("movaps", 0, SS("movaps", movaps_ld, 0), SS("movapd", movaps_ld, 0), UD, UD),
    /* 29 */ PFX("movaps", 0, SS("movaps", movaps_st, 0), SS("movapd", movaps_st, 0), UD, UD),
    /* 2a */ PFX("cvtpi2ps", 0, SS("cvtpi2ps", cvtpi2ps, 0), SS("cvtpi2pd", cvtpi2pd, 0),
                SS("cvtsi2ss", cvtsi2ss, 0), SS("cvtsi2sd", cvtsi2sd, 0)),
    /* 2b */ PFX("movntps", 0, SS("movntps", movaps_st, D_MEM), SS("movntpd", movaps_st, D_MEM),
                UD, UD),
    /* 2c */ PFX("cvttps2pi", 0, SS("cvttps2pi", cvttps2pi, 0), SS("cvttpd2pi", cvttpd2pi, 0),
                SS("cvttss2si", cvttss2si, 0), SS("cvttsd2si", cvttsd2si, 0)),
    /* 2d */ PFX("cvtps2pi", 0, SS("cvtps2pi", cvtps2pi, 0), SS("cvtpd2pi", cvtpd2pi, 0),
                SS("cvtss2si", cvtss2si, 0), SS("cvtsd2si", cvtsd2si, 0)),
    /* 2e */ PFX("ucomiss", 0, SS("ucomiss", ucomiss, 0), SS("ucomisd", ucomisd, 0), UD, UD),
    /* 2f */ PFX("comiss", 0, SS("comiss", comiss, 0), SS("comisd", comisd, 0), UD, UD),
    /* 30 */ E("wrmsr", wrmsr, D_END),
    /* 31 */ E("rdtsc", rdtsc, 0),
    /* 32 */ E("rdmsr", rdmsr, 0),
    /* 33 */ E("rdpmc", rdpmc, 0),
    /* 34 */ E("sysenter", sysenter, D_JUMP),
    /* 35 */ E("sysexit", sysexit, D_JUMP),
    /* 36 */ UD, UD,
    /* 38 */ UD, UD, UD, UD, UD, UD, UD, UD, /* 0F 38/3A: not on qemu64 */
    /* 40 */ CMOV("cmovo"), CMOV("cmovno"), CMOV("cmovb"), CMOV("cmovae"),
    /* 44 */ CMOV("cmove"), CMOV("cmovne"), CMOV("cmovbe"), CMOV("cmova"),
    /* 48 */ CMOV("cmovs"), CMOV("cmovns"), CMOV("cmovp"), CMOV("cmovnp"),
    /* 4c */ CMOV("cmovl"), CMOV("cmovge"), CMOV("cmovle"), CMOV("cmovg"),
    /* 50 */ PFX("movmskps", 0, SS("movmskps", movmskps, RO), SS("movmskpd", movmskpd, RO), UD, UD),
    /* 51 */ PFX("sqrtps", 0, SS("sqrtps", sqrtps, 0), SS("sqrtpd", sqrtpd, 0),
                SS("sqrtss", sqrtss, 0), SS("sqrtsd", sqrtsd, 0)),
    /* 52 */ PFX("rsqrtps", 0, SS("rsqrtps", rsqrtps, 0), UD, SS("rsqrtss", rsqrtss, 0), UD),
    /* 53 */ PFX("rcpps", 0, SS("rcpps", rcpps, 0), UD, SS("rcpss", rcpss, 0), UD),
    /* 54 */ PFX("andps", 0, SS("andps", andps, 0), SS("andpd", andps, 0), UD, UD),
    /* 55 */ PFX("andnps", 0, SS("andnps", andnps, 0), SS("andnpd", andnps, 0), UD, UD),
    /* 56 */ PFX("orps", 0, SS("orps", orps, 0), SS("orpd", orps, 0), UD, UD),
    /* 57 */ PFX("xorps", 0, SS("xorps", xorps, 0), SS("xorpd", xorps, 0), UD, UD),
    /* 58 */ PFX("addps", 0, SS("addps", addps, 0), SS("addpd", addpd, 0),
                SS("addss", addss, 0), SS("addsd", addsd, 0)),
    /* 59 */ PFX("mulps", 0, SS("mulps", mulps, 0), SS("mulpd", mulpd, 0),
                SS("mulss", mulss, 0), SS("mulsd", mulsd, 0)),
    /* 5a */ PFX("cvtps2pd", 0, SS("cvtps2pd", cvtps2pd, 0), SS("cvtpd2ps", cvtpd2ps, 0),
                SS("cvtss2sd", cvtss2sd, 0), SS("cvtsd2ss", cvtsd2ss, 0)),
    /* 5b */ PFX("cvtdq2ps", 0, SS("cvtdq2ps", cvtdq2ps, 0), SS("cvtps2dq", cvtps2dq, 0),
                SS("cvttps2dq", cvttps2dq, 0), UD),
    /* 5c */ PFX("subps", 0, SS("subps", subps, 0), SS("subpd", subpd, 0),
                SS("subss", subss, 0), SS("subsd", subsd, 0)),
    /* 5d */ PFX("minps", 0, SS("minps", minps, 0), SS("minpd", minpd, 0),
                SS("minss", minss, 0), SS("minsd", minsd, 0)),
    /* 5e */ PFX("divps", 0, SS("divps", divps, 0), SS("divpd", divpd, 0),
                SS("divss", divss, 0), SS("divsd", divsd, 0)),
    /* 5f */ PFX("maxps", 0, SS("maxps", maxps, 0), SS("maxpd", maxpd, 0),
                SS("maxss", maxss, 0), SS("maxsd", maxsd, 0)),
    /* 60 */ MX("punpcklbw", punpcklbw, 0), MX("punpcklwd", punpcklwd, 0),
    /* 62 */ MX("punpckldq", punpckldq, 0), MX("packsswb", packsswb, 0),
    /* 64 */ MX("pcmpgtb", pcmpgtb, 0), MX("pcmpgtw", pcmpgtw, 0),
    /* 66 */ MX("pcmpgtd", pcmpgtd, 0), MX("packuswb", packuswb, 0),
    /* 68 */ MX("punpckhbw", punpckhbw, 0), MX("punpckhwd", punpckhwd, 0),
    /* 6a */ MX("punpckhdq", punpckhdq, 0), MX("packssdw", packssdw, 0),
    /* 6c */ PFX("punpcklqdq", 0, UD, XMM("punpcklqdq", punpcklqdq, 0), UD, UD),
    /* 6d */ PFX("punpckhqdq", 0, UD, XMM("punpckhqdq", punpckhqdq, 0), UD, UD),
    /* 6e */ PFX("movd", 0, SS("movd", movd_mm_E, 0), SS("movd", movd_xmm_E, 0), UD, UD),
    /* 6f */ PFX("movq", 0, SS("movq", movq_mm_ld, 0), SS("movdqa", movdqa_ld, 0),
                SS("movdqu", movdqu_ld, 0), UD),
    /* 70 */ PFX("pshufw", 0, SS("pshufw", pshufw, I8), SS("pshufd", pshufd, I8),
                SS("pshufhw", pshufhw, I8), SS("pshuflw", pshuflw, I8)),
    /* 71 */ G("grp12", group12, RO),
    /* 72 */ G("grp13", group13, RO),
    /* 73 */ G("grp14", group14, RO),
    /* 74 */ MX("pcmpeqb", pcmpeqb, 0), MX("pcmpeqw", pcmpeqw, 0),
    /* 76 */ MX("pcmpeqd", pcmpeqd, 0),
    /* 77 */ E("emms", emms, 0),
    /* 78 */ UD, UD, UD, UD,
    /* 7c */ PFX("haddps", 0, UD, SS("haddpd", haddpd, 0), UD, SS("haddps", haddps, 0)),
    /* 7d */ PFX("hsubps", 0, UD, SS("hsubpd", hsubpd, 0), UD, SS("hsubps", hsubps, 0)),
    /* 7e */ PFX("movd", 0, SS("movd", movd_E_mm, 0), SS("movd", movd_E_xmm, 0),
                SS("movq", movq_xmm_ld, 0), UD),
    /* 7f */ PFX("movq", 0, SS("movq", movq_mm_st, 0), SS("movdqa", movdqa_st, 0),
                SS("movdqu", movdqu_st, 0), UD),
    /* 80 */ JCC_Z("jo"), JCC_Z("jno"), JCC_Z("jb"), JCC_Z("jae"),
    /* 84 */ JCC_Z("je"), JCC_Z("jne"), JCC_Z("jbe"), JCC_Z("ja"),
    /* 88 */ JCC_Z("js"), JCC_Z("jns"), JCC_Z("jp"), JCC_Z("jnp"),
    /* 8c */ JCC_Z("jl"), JCC_Z("jge"), JCC_Z("jle"), JCC_Z("jg"),
    /* 90 */ SETCC("seto"), SETCC("setno"), SETCC("setb"), SETCC("setae"),
    /* 94 */ SETCC("sete"), SETCC("setne"), SETCC("setbe"), SETCC("seta"),
    /* 98 */ SETCC("sets"), SETCC("setns"), SETCC("setp"), SETCC("setnp"),
    /* 9c */ SETCC("setl"), SETCC("setge"), SETCC("setle"), SETCC("setg"),
    /* a0 */ E("push", push_sreg, D_DEF64),
    /* a1 */ E("pop", pop_sreg, D_DEF64),
    /* a2 */ E("cpuid", cpuid, 0),
    /* a3 */ E("bt", bt_EG, M),
    /* a4 */ E("shld", shld, M | D_I8),
    /* a5 */ E("shld", shld, M | D_SHIFT_CL),
    /* a6 */ UD, UD,
    /* a8 */ E("push", push_sreg, D_DEF64),
    /* a9 */ E("pop", pop_sreg, D_DEF64),
    /* aa */ UD, /* RSM: no SMM */
    /* ab */ E("bts", bts_EG, M | D_LOCK),
    /* ac */ E("shrd", shrd, M | D_I8),
    /* ad */ E("shrd", shrd, M | D_SHIFT_CL),
    /* ae */ S("grp15", sel_grp15, M),
    /* af */ E("imul", imul_GE, M),
    /* b0 */ E("cmpxchg", cmpxchg, M | D_B | D_LOCK),
    /* b1 */ E("cmpxchg", cmpxchg, M | D_LOCK),
    /* b2 */ E("lss", lxs, M | D_MEM),
    /* b3 */ E("btr", btr_EG, M | D_LOCK),
    /* b4 */ E("lfs", lxs, M | D_MEM),
    /* b5 */ E("lgs", lxs, M | D_MEM),
    /* b6 */ E("movzx", movzx_b, M | D_RM8),
    /* b7 */ E("movzx", movzx_w, M),
    /* b8 */ UD, /* POPCNT: not on qemu64 */
    /* b9 */ UD, /* UD1 */
    /* ba */ G("grp8", group8, 0),
    /* bb */ E("btc", btc_EG, M | D_LOCK),
    /* bc */ E("bsf", bsf, M),
    /* bd */ E("bsr", bsr, M),
    /* be */ E("movsx", movsx_b, M | D_RM8),
    /* bf */ E("movsx", movsx_w, M),
    /* c0 */ E("xadd", xadd, M | D_B | D_LOCK),
    /* c1 */ E("xadd", xadd, M | D_LOCK),
    /* c2 */ PFX("cmpps", 0, SS("cmpps", cmpps, I8), SS("cmppd", cmppd, I8),
                SS("cmpss", cmpss, I8), SS("cmpsd", cmpsd, I8)),
    /* c3 */ PFX("movnti", 0, SS("movnti", movnti, D_MEM), UD, UD, UD),
    /* c4 */ PFX("pinsrw", 0, MMX("pinsrw", pinsrw, I8), XMM("pinsrw", pinsrw, I8), UD, UD),
    /* c5 */ PFX("pextrw", 0, MMX("pextrw", pextrw, I8 | RO), XMM("pextrw", pextrw, I8 | RO),
                UD, UD),
    /* c6 */ PFX("shufps", 0, SS("shufps", shufps, I8), SS("shufpd", shufpd, I8), UD, UD),
    /* c7 */ G("grp9", group9, 0),
    /* c8 */ E("bswap", bswap, 0), E("bswap", bswap, 0),
    /* ca */ E("bswap", bswap, 0), E("bswap", bswap, 0),
    /* cc */ E("bswap", bswap, 0), E("bswap", bswap, 0),
    /* ce */ E("bswap", bswap, 0), E("bswap", bswap, 0),
    /* d0 */ PFX("addsubps", 0, UD, SS("addsubpd", addsubpd, 0), UD, SS("addsubps", addsubps, 0)),
    /* d1 */ MX("psrlw", psrlw, 0), MX("psrld", psrld, 0),
    /* d3 */ MX("psrlq", psrlq, 0), MX("paddq", paddq, 0),
    /* d5 */ MX("pmullw", pmullw, 0),
    /* d6 */ PFX("movq", 0, UD, SS("movq", movq_xmm_st, 0), SS("movq2dq", movq2dq, RO),
                SS("movdq2q", movdq2q, RO)),
    /* d7 */ PFX("pmovmskb", 0, MMX("pmovmskb", pmovmskb, RO), XMM("pmovmskb", pmovmskb, RO),
                UD, UD),
    /* d8 */ MX("psubusb", psubusb, 0), MX("psubusw", psubusw, 0),
    /* da */ MX("pminub", pminub, 0), MX("pand", pand, 0),
    /* dc */ MX("paddusb", paddusb, 0), MX("paddusw", paddusw, 0),
    /* de */ MX("pmaxub", pmaxub, 0), MX("pandn", pandn, 0),
    /* e0 */ MX("pavgb", pavgb, 0), MX("psraw", psraw, 0),
    /* e2 */ MX("psrad", psrad, 0), MX("pavgw", pavgw, 0),
    /* e4 */ MX("pmulhuw", pmulhuw, 0), MX("pmulhw", pmulhw, 0),
    /* e6 */ PFX("cvttpd2dq", 0, UD, SS("cvttpd2dq", cvttpd2dq, 0), SS("cvtdq2pd", cvtdq2pd, 0),
                SS("cvtpd2dq", cvtpd2dq, 0)),
    /* e7 */ PFX("movntq", 0, SS("movntq", movq_mm_st, D_MEM), SS("movntdq", movdqa_st, D_MEM),
                UD, UD),
    /* e8 */ MX("psubsb", psubsb, 0), MX("psubsw", psubsw, 0),
    /* ea */ MX("pminsw", pminsw, 0), MX("por", por, 0),
    /* ec */ MX("paddsb", paddsb, 0), MX("paddsw", paddsw, 0),
    /* ee */ MX("pmaxsw", pmaxsw, 0), MX("pxor", pxor, 0),
    /* f0 */ PFX("lddqu", 0, UD, UD, UD, SS("lddqu", movdqu_ld, D_MEM)),
    /* f1 */ MX("psllw", psllw, 0), MX("pslld", pslld, 0),
    /* f3 */ MX("psllq", psllq, 0), MX("pmuludq", pmuludq, 0),
    /* f5 */ MX("pmaddwd", pmaddwd, 0), MX("psadbw", psadbw, 0),
    /* f7 */ PFX("maskmovq", 0, MMX("maskmovq", maskmov, RO), XMM("maskmovdqu", maskmov, RO),
                UD, UD),
    /* f8 */ MX("psubb", psubb, 0), MX("psubw", psubw, 0),
    /* fa */ MX("psubd", psubd, 0), MX("psubq", psubq, 0),
    /* fc */ MX("paddb", paddb, 0), MX("paddw", paddw, 0),
    /* fe */ MX("paddd", paddd, 0),
    /* ff */ UD, /* UD0 */
};
/* clang-format on */

/* 90: NOP, PAUSE (F3 90), or XCHG r8, rAX with REX.B. */
static InsnHandler *sel_nop90(DecodedInsn *d, uint32_t hflags)
{
    if (d->reg != 0) {
        return hs_xchg_AR.h[d->ot];
    }
    if (d->prefix & PREFIX_REPZ) {
        return hs_pause.h[0];
    }
    return hs_nop.h[0];
}

/* Group 15 (0F AE): FXSAVE and MXCSR loads by ModRM.reg; fences. */
static InsnHandler *sel_grp15(DecodedInsn *d, uint32_t hflags)
{
    int op = (d->modrm >> 3) & 7;

    if (!d->mod3) {
        static const InsnHandlerSet *const mem[8] = {
            &hs_fxsave, &hs_fxrstor, &hs_ldmxcsr, &hs_stmxcsr, NULL,
            NULL,       NULL,        &hs_clflush, /* no XSAVE on qemu64 */
        };
        return mem[op] ? mem[op]->h[d->ot] : NULL;
    }
    switch (op) {
    case 5:
    case 6:
    case 7:
        return hs_fence.h[0]; /* LFENCE MFENCE SFENCE */
    default:
        return NULL;
    }
}

/* Group 7 (0F 01): memory forms by ModRM.reg, register forms by rm. */
static InsnHandler *sel_grp7(DecodedInsn *d, uint32_t hflags)
{
    int op = (d->modrm >> 3) & 7;

    if (!d->mod3) {
        static const InsnHandlerSet *const mem[8] = {
            &hs_sgdt, &hs_sidt, &hs_lgdt, &hs_lidt,
            &hs_smsw, NULL,     &hs_lmsw, &hs_invlpg,
        };
        return mem[op] ? mem[op]->h[d->ot] : NULL;
    }
    switch (op) {
    case 4:
        return hs_smsw.h[d->ot];
    case 6:
        return hs_lmsw.h[d->ot];
    case 7:
        /* 0F 01 F8: SWAPGS, 64-bit mode only. */
        if ((d->modrm & 7) == 0 && (hflags & HF_CS64_MASK)) {
            d->flags |= INSN_END_TB;
            return hs_swapgs.h[0];
        }
        return NULL;
    default:
        /* MONITOR/MWAIT, XGETBV, VMX...: not advertised by qemu64. */
        return NULL;
    }
}

/* ---- the decoder ---- */

typedef struct DecodeState {
    DecodeFetchFn *fetch;
    void *opaque;
    uint64_t pc;
    int len;
    bool too_long;
} DecodeState;

static uint8_t fetch8(DecodeState *s)
{
    uint8_t b;

    if (s->len >= 15) {
        /* SDM vol. 2, 2.3.11: more than 15 bytes is #GP. */
        s->too_long = true;
        return 0;
    }
    b = s->fetch(s->opaque, s->pc + s->len);
    s->len++;
    return b;
}

static uint64_t fetch_n(DecodeState *s, int bytes)
{
    uint64_t v = 0;

    for (int i = 0; i < bytes; i++) {
        v |= (uint64_t)fetch8(s) << (8 * i);
    }
    return v;
}

static uint64_t sext(uint64_t v, int bytes)
{
    int shift = 64 - 8 * bytes;

    return (uint64_t)((int64_t)(v << shift) >> shift);
}

/* A byte register number: AH-BH when there is no REX prefix. */
static uint8_t byte_reg(int r, bool rex)
{
    return (!rex && r >= 4 && r < 8) ? REG_AH + (r - 4) : r;
}

static void decode_modrm_mem16(DecodeState *s, DecodedInsn *d, int mod, int rm)
{
    static const uint8_t base[8] = { R_EBX,  R_EBX,  R_EBP, R_EBP,
                                     NO_REG, NO_REG, R_EBP, R_EBX };
    static const uint8_t index[8] = { R_ESI, R_EDI, R_ESI,  R_EDI,
                                      R_ESI, R_EDI, NO_REG, NO_REG };

    d->base = base[rm];
    d->index = index[rm];
    if (mod == 0 && rm == 6) {
        d->base = NO_REG;
        d->disp = fetch_n(s, 2);
    } else if (mod == 1) {
        d->disp = (int8_t)fetch8(s);
    } else if (mod == 2) {
        d->disp = (int16_t)fetch_n(s, 2);
    }
    /* BP-based addressing defaults to SS (SDM vol. 1, 3.7.4). */
    if (d->base == R_EBP && !(d->prefix & PREFIX_SEG)) {
        d->seg = R_SS;
    }
}

static void decode_modrm_mem32(DecodeState *s, DecodedInsn *d, int mod, int rm,
                               int rex, bool code64)
{
    int base = rm;

    d->index = NO_REG;
    if (rm == 4) {
        uint8_t sib = fetch8(s);
        int idx = ((sib >> 3) & 7) | ((rex & 2) << 2);

        d->scale = sib >> 6;
        base = sib & 7;
        d->index = idx == 4 ? NO_REG : idx; /* no index */
        if (base == 5 && mod == 0) {
            d->base = NO_REG;
            d->disp = (int32_t)fetch_n(s, 4);
            return;
        }
    } else if (rm == 5 && mod == 0) {
        /* disp32, RIP-relative in 64-bit mode (SDM vol. 2, 2.2.1.6). */
        d->base = code64 ? RIP_REG : NO_REG;
        d->disp = (int32_t)fetch_n(s, 4);
        return;
    }
    d->base = base | ((rex & 1) << 3);
    if (mod == 1) {
        d->disp = (int8_t)fetch8(s);
    } else if (mod == 2) {
        d->disp = (int32_t)fetch_n(s, 4);
    }
    if ((base == R_EBP || base == R_ESP) && !(d->prefix & PREFIX_SEG)) {
        d->seg = R_SS;
    }
}

void x86_decode(DecodedInsn *d, uint64_t pc, uint32_t hflags,
                DecodeFetchFn *fetch, void *opaque)
{
    DecodeState s = { fetch, opaque, pc, 0, false };
    bool code64 = hflags & HF_CS64_MASK;
    bool code32 = hflags & HF_CS32_MASK;
    int rex = 0;
    int mandatory = 0; /* 66/F3/F2 seen, for D_PREFIXED */
    const X86OpEntry *e;
    uint32_t flags;
    uint8_t b;
    InsnHandler *h = NULL;

    memset(d, 0, sizeof(*d));
    d->base = d->index = NO_REG;
    d->seg = R_DS;

    /* Prefixes (SDM vol. 2, 2.1.1). */
    for (;;) {
        b = fetch8(&s);
        switch (b) {
        case 0xf0:
            d->prefix |= PREFIX_LOCK;
            rex = 0;
            continue;
        case 0xf2:
            d->prefix = (d->prefix & ~PREFIX_REPZ) | PREFIX_REPNZ;
            mandatory = 0xf2;
            rex = 0;
            continue;
        case 0xf3:
            d->prefix = (d->prefix & ~PREFIX_REPNZ) | PREFIX_REPZ;
            mandatory = 0xf3;
            rex = 0;
            continue;
        case 0x26:
        case 0x2e:
        case 0x36:
        case 0x3e:
            /* In 64-bit mode these have no effect (SDM vol. 1, 3.3.7). */
            if (!code64) {
                d->seg = (b >> 3) & 3;
                d->prefix |= PREFIX_SEG;
            }
            rex = 0;
            continue;
        case 0x64:
        case 0x65:
            d->seg = R_FS + (b - 0x64);
            d->prefix |= PREFIX_SEG;
            rex = 0;
            continue;
        case 0x66:
            d->prefix |= PREFIX_DATA;
            if (!mandatory) {
                mandatory = 0x66;
            }
            rex = 0;
            continue;
        case 0x67:
            d->prefix |= PREFIX_ADR;
            rex = 0;
            continue;
        default:
            break;
        }
        /* REX counts only right before the opcode. */
        if (code64 && (b & 0xf0) == 0x40) {
            rex = b;
            continue;
        }
        break;
    }
    if (rex) {
        d->prefix |= PREFIX_REX;
        if (rex & 8) {
            d->flags |= INSN_REX_W;
        }
    }

    if (b == 0x0f) {
        b = fetch8(&s);
        d->opcode = 0x100 | b;
        e = &opcodes_0f[b];
    } else {
        d->opcode = b;
        if (b == 0x63) {
            e = code64 ? &movsxd_entry : &arpl_entry;
        } else {
            e = &opcodes[b];
        }
    }
    flags = e->flags;

    /* Address size. */
    if (code64) {
        d->aflag = (d->prefix & PREFIX_ADR) ? OT_LONG : OT_QUAD;
    } else {
        d->aflag = (code32 ^ !!(d->prefix & PREFIX_ADR)) ? OT_LONG : OT_WORD;
    }

    if (flags & (D_MODRM | D_GROUP)) {
        uint8_t modrm = fetch8(&s);
        int mod = modrm >> 6;
        int rm = modrm & 7;

        d->modrm = modrm;
        if (flags & D_GROUP) {
            const X86OpEntry *sub = &e->sub[(modrm >> 3) & 7];
            flags = (flags & ~D_GROUP) | sub->flags;
            e = sub;
        }
        d->reg = ((modrm >> 3) & 7) | ((rex & 4) << 1);
        if (mod == 3 || (flags & D_REGONLY)) {
            d->mod3 = 1;
            d->rm = rm | ((rex & 1) << 3);
        } else if (d->aflag == OT_WORD) {
            decode_modrm_mem16(&s, d, mod, rm);
        } else {
            decode_modrm_mem32(&s, d, mod, rm, rex, code64);
        }
    } else {
        /* Register in the opcode's low bits (50-5F, 91-97, B0-BF, ...). */
        d->reg = (b & 7) | ((rex & 1) << 3);
    }
    if (flags & D_PREFIXED) {
        static const int idx[256] = { [0x66] = 1, [0xf3] = 2, [0xf2] = 3 };
        const X86OpEntry *sub = &e->sub[idx[mandatory]];
        flags = (flags & ~D_PREFIXED) | sub->flags;
        e = sub;
        /* A mandatory 66 selects the instruction, not the size. */
        if (mandatory == 0x66) {
            d->prefix &= ~PREFIX_DATA;
        }
    }

    /* Operand size (SDM vol. 1, 3.6; vol. 2, 2.2.1.2). */
    if (flags & D_B) {
        d->ot = OT_BYTE;
    } else if (flags & D_W) {
        d->ot = OT_WORD;
    } else if (code64) {
        if (rex & 8) {
            d->ot = OT_QUAD;
        } else if (flags & D_F64) {
            d->ot = OT_QUAD; /* Intel ignores 66 on near branches */
        } else if (d->prefix & PREFIX_DATA) {
            d->ot = OT_WORD;
        } else {
            d->ot = (flags & D_DEF64) ? OT_QUAD : OT_LONG;
        }
    } else {
        d->ot = (code32 ^ !!(d->prefix & PREFIX_DATA)) ? OT_LONG : OT_WORD;
    }
    if (d->ot == OT_BYTE) {
        d->reg = byte_reg(d->reg, rex);
    }
    if ((d->ot == OT_BYTE || (flags & D_RM8)) && d->mod3) {
        d->rm = byte_reg(d->rm, rex);
    }

    /* Immediates. */
    if (flags & D_I8) {
        d->imm = fetch8(&s);
    } else if (flags & D_I8S) {
        d->imm = sext(fetch8(&s), 1);
    } else if (flags & D_I16) {
        d->imm = fetch_n(&s, 2);
    } else if (flags & D_IZ) {
        int n = d->ot == OT_WORD ? 2 : 4;
        d->imm = sext(fetch_n(&s, n), n);
    } else if (flags & D_IV) {
        int n = 1 << d->ot;
        d->imm = fetch_n(&s, n);
    } else if (flags & D_FAR) {
        d->imm = fetch_n(&s, d->ot == OT_WORD ? 2 : 4);
        d->imm2 = fetch_n(&s, 2);
    } else if (flags & D_MOFFS) {
        d->imm = fetch_n(&s, 1 << d->aflag);
    } else if (flags & D_ENTER) {
        d->imm = fetch_n(&s, 2);
        d->imm2 = fetch8(&s);
    }
    if (flags & D_SHIFT_1) {
        d->imm = 1;
    }
    if (flags & D_SHIFT_CL) {
        d->flags |= INSN_COUNT_CL;
    }
    if (flags & D_JUMP) {
        d->flags |= INSN_JUMP | INSN_END_TB;
    }
    if (flags & D_END) {
        d->flags |= INSN_END_TB;
    }
    if (flags & D_STRING) {
        d->flags |= INSN_REP_STRING;
    }
    d->len = s.len;

    /* Which handler, or which fault. */
    if (s.too_long) {
        d->handler = op_gp_too_long;
        d->flags |= INSN_END_TB;
        return;
    }
    if (flags & D_SEL) {
        h = e->select(d, hflags);
    } else if (e->hs) {
        int slot = (flags & D_SIMD128) ? 1 : (flags & D_SIMD64) ? 0 : d->ot;
        h = (d->mod3 && e->hs->h_reg[slot]) ? e->hs->h_reg[slot]
                                            : e->hs->h[slot];
    }
    if (!h || ((flags & D_INV64) && code64) ||
        ((flags & D_ONLY64) && !code64) || ((flags & D_MEM) && d->mod3) ||
        ((flags & D_REGISTER) && !d->mod3) ||
        ((d->prefix & PREFIX_LOCK) && (!(flags & D_LOCK) || d->mod3))) {
        h = op_ud;
    }
    if (h == op_ud) {
        d->flags |= INSN_END_TB;
    }
    d->handler = h;
    d->entry = e;
}

/* ---- handlers every area needs ---- */

void op_ud(CPUX86State *env, const DecodedInsn *d)
{
    raise_exception(env, EXCP06_ILLOP);
}

void op_gp_too_long(CPUX86State *env, const DecodedInsn *d)
{
    raise_exception_err(env, EXCP0D_GPF, 0);
}

void op_nop(CPUX86State *env, const DecodedInsn *d)
{
}

/* ---- a minimal disassembler for -d in_asm ---- */

static const char *const reg_names[4][16] = {
    { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b",
      "r11b", "r12b", "r13b", "r14b", "r15b" },
    { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w",
      "r11w", "r12w", "r13w", "r14w", "r15w" },
    { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d",
      "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" },
    { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10",
      "r11", "r12", "r13", "r14", "r15" },
};

static const char *reg_name(int r, int ot)
{
    static const char *const high[4] = { "ah", "ch", "dh", "bh" };

    if (ot == OT_BYTE && r >= REG_AH) {
        return high[r - REG_AH];
    }
    return reg_names[ot][r & 15];
}

/*
 * "mnemonic operands" in a simple Intel-like syntax: enough to follow a
 * trace, not a full disassembler.
 */
void x86_disas(GString *out, const DecodedInsn *d, uint64_t pc)
{
    const char *name = d->entry && d->entry->name ? d->entry->name : "(bad)";
    bool has_modrm = d->entry && (d->entry->flags & D_MODRM);

    g_string_append_printf(out, "0x%016" PRIx64 ":  %-8s", pc, name);
    if (d->handler == op_ud) {
        g_string_append(out, "(invalid: #UD)");
    } else if (has_modrm && d->mod3) {
        g_string_append_printf(out, "%s, %s", reg_name(d->rm, d->ot),
                               reg_name(d->reg, d->ot));
    } else if (has_modrm) {
        static const char *const segs[] = {
            "es", "cs", "ss", "ds", "fs", "gs"
        };
        g_string_append_printf(out, "%s:[", segs[d->seg]);
        if (d->base == RIP_REG) {
            g_string_append(out, "rip");
        } else if (d->base != NO_REG) {
            g_string_append(out, reg_names[d->aflag][d->base]);
        }
        if (d->index != NO_REG) {
            g_string_append_printf(out, "+%s*%d", reg_names[d->aflag][d->index],
                                   1 << d->scale);
        }
        g_string_append_printf(out, "%+d], %s", d->disp,
                               reg_name(d->reg, d->ot));
    }
    if (d->entry && (d->entry->flags & D_REL)) {
        g_string_append_printf(out, " 0x%" PRIx64,
                               pc + d->len + (int64_t)d->imm);
    } else if (d->entry && (d->entry->flags & (D_I8 | D_I8S | D_I16 | D_IZ |
                                               D_IV | D_FAR | D_MOFFS))) {
        g_string_append_printf(out, " imm=0x%" PRIx64, d->imm);
    }
    g_string_append_c(out, '\n');
}
