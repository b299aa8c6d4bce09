/*
 * Decoded instructions.
 *
 * The decoder (decode.c) turns the bytes of one instruction into a
 * DecodedInsn: the handler to run and its operands, already resolved
 * (operand size, register numbers, the parts of the memory operand, the
 * immediates).  Translation blocks hold arrays of them, so each
 * instruction is decoded once and then executed many times as
 * insn->handler(env, insn).
 *
 * Handlers come in sets by operand size (STYLE.md: templates, not copies):
 * an InsnHandlerSet has one handler per operand size and the decoder
 * stores the one matching the instruction's operand size.
 */
#ifndef TARGET_I386_DECODE_H
#define TARGET_I386_DECODE_H

#include "target/i386/cpu.h"

typedef void InsnHandler(CPUX86State *env, const DecodedInsn *d);

/* Operand size index: 0 byte, 1 word, 2 dword, 3 qword. */
enum { OT_BYTE, OT_WORD, OT_LONG, OT_QUAD };

typedef struct InsnHandlerSet {
    InsnHandler *h[4];
    /*
     * Optional: the same instruction specialised for a register r/m
     * operand (ModRM.mod = 3), which the decoder picks when present: the
     * common register-to-register forms then skip the memory path.
     */
    InsnHandler *h_reg[4];
} InsnHandlerSet;

#define NO_REG  0xff
#define RIP_REG 0xfe
/*
 * Byte registers: 0-15 are the low bytes (AL CL DL BL, and with a REX
 * prefix SPL BPL SIL DIL R8B-R15B); 16-19 are AH CH DH BH (no REX).
 */
#define REG_AH 16

/* DecodedInsn.prefix */
#define PREFIX_REPZ  0x01
#define PREFIX_REPNZ 0x02
#define PREFIX_LOCK  0x04
#define PREFIX_DATA  0x08
#define PREFIX_ADR   0x10
#define PREFIX_REX   0x20
#define PREFIX_SEG   0x40 /* an explicit segment override */

/* DecodedInsn.flags */
#define INSN_JUMP       0x0001 /* the handler sets EIP (control transfer) */
#define INSN_END_TB     0x0002 /* the block ends after this instruction */
#define INSN_COUNT_CL   0x0004 /* shift count from CL (else imm) */
#define INSN_REP_STRING 0x0008 /* a string insn: the handler counts itself */
#define INSN_REX_W      0x0010

struct X86OpEntry;

struct DecodedInsn {
    InsnHandler *handler;
    const struct X86OpEntry *entry; /* the table entry (for disassembly) */
    uint8_t len;                    /* bytes */
    uint8_t ot;                     /* operand size: OT_BYTE..OT_QUAD */
    uint8_t aflag;   /* address size: OT_WORD, OT_LONG or OT_QUAD */
    uint8_t mod3;    /* the r/m operand is a register */
    uint8_t reg;     /* ModRM.reg with REX.R (byte regs: see REG_AH) */
    uint8_t rm;      /* ModRM.rm register with REX.B, when mod3 */
    uint8_t base;    /* memory operand: base register, RIP_REG or NONE */
    uint8_t index;   /* memory operand: index register or NO_REG */
    uint8_t scale;   /* memory operand: index shift 0-3 */
    uint8_t seg;     /* memory operand segment (R_DS, or override) */
    uint8_t prefix;  /* PREFIX_* */
    uint8_t modrm;   /* the raw ModRM byte (x87, groups) */
    uint16_t opcode; /* 0x00-0xff, 0x1xx for 0F xx, 0x2xx for 0F 38 xx */
    uint16_t flags;  /* INSN_* */
    int32_t disp;
    uint64_t imm;  /* immediate, sign-extended as the opcode says */
    uint64_t imm2; /* second immediate: far selector, ENTER level */
};

/* Table entry flags (decode.c) */
#define D_MODRM    (1u << 0)  /* a ModRM byte follows */
#define D_B        (1u << 1)  /* byte operands */
#define D_W        (1u << 2)  /* always 16-bit operands */
#define D_DEF64    (1u << 3)  /* 64-bit default operand size in 64-bit mode */
#define D_F64      (1u << 4)  /* always 64-bit in 64-bit mode (branches) */
#define D_I8       (1u << 5)  /* imm8, zero-extended */
#define D_I8S      (1u << 6)  /* imm8, sign-extended */
#define D_I16      (1u << 7)  /* imm16 */
#define D_IZ       (1u << 8)  /* imm16/32 by operand size, sign-extended */
#define D_IV       (1u << 9)  /* imm16/32/64 by operand size */
#define D_FAR      (1u << 10) /* far pointer: offset16/32 then selector */
#define D_MOFFS    (1u << 11) /* an address-size offset (MOV AL, moffs) */
#define D_ENTER    (1u << 12) /* imm16 then imm8 (ENTER) */
#define D_REL      (1u << 13) /* the immediate is relative (Jb/Jz) */
#define D_LOCK     (1u << 14) /* LOCK allowed (with a memory operand) */
#define D_JUMP     (1u << 15) /* control transfer: ends the block */
#define D_END      (1u << 16) /* ends the block after it */
#define D_INV64    (1u << 17) /* #UD in 64-bit mode */
#define D_ONLY64   (1u << 18) /* #UD outside 64-bit mode */
#define D_GROUP    (1u << 19) /* sub[] by ModRM.reg */
#define D_MEM      (1u << 20) /* needs a memory operand (#UD if mod=3) */
#define D_REGONLY  (1u << 21) /* ModRM.rm is always a register (MOV CRn) */
#define D_SEL      (1u << 22) /* the handler is chosen by select() */
#define D_STRING   (1u << 23) /* string insn: REP prefixes matter */
#define D_SHIFT_1  (1u << 24) /* shift by 1 (D0/D1) */
#define D_SHIFT_CL (1u << 25) /* shift by CL (D2/D3) */
#define D_PREFIXED (1u << 26) /* sub[] by mandatory prefix: -, 66, F3, F2 */
#define D_F64_66   (1u << 27) /* D_F64, but 66 still gives 16 bits */
#define D_RM8      (1u << 28) /* r/m is a byte (MOVZX/MOVSX r, r/m8) */
/*
 * SIMD: the handler set's slot 0 is the MMX (64-bit) form, slot 1 the
 * XMM (128-bit) form of an integer SIMD instruction; reg and rm are then
 * MMX/XMM register numbers (REX.R/REX.B included for XMM).
 */
#define D_SIMD64   (1u << 29)
#define D_SIMD128  (1u << 30)
#define D_REGISTER (1u << 31) /* needs a register operand (#UD if mod != 3) */

typedef struct X86OpEntry X86OpEntry;
struct X86OpEntry {
    const char *name;         /* mnemonic, for -d in_asm */
    const InsnHandlerSet *hs; /* NULL: invalid (#UD) unless D_SEL/sub */
    uint32_t flags;
    const X86OpEntry *sub; /* D_GROUP (8) or D_PREFIXED (4) table */
    /* D_SEL: picks the handler from the decoded fields (x87, 0F 01). */
    InsnHandler *(*select)(DecodedInsn *d, uint32_t hflags);
};

/*
 * Decodes one instruction at linear address pc using fetch(opaque, addr)
 * for the bytes.  Never fails: an invalid encoding decodes to a handler
 * that raises #UD (or #GP for the 15-byte limit) when executed, so
 * faults happen at execution time, in order, as on hardware.
 */
typedef uint8_t DecodeFetchFn(void *opaque, uint64_t addr);
void x86_decode(DecodedInsn *d, uint64_t pc, uint32_t hflags,
                DecodeFetchFn *fetch, void *opaque);
/* The mnemonic of a decoded instruction (for -d in_asm). */
void x86_disas(GString *out, const DecodedInsn *d, uint64_t pc);

/* Handlers every area needs. */
void op_ud(CPUX86State *env, const DecodedInsn *d);          /* #UD */
void op_gp_too_long(CPUX86State *env, const DecodedInsn *d); /* #GP(0) */
void op_nop(CPUX86State *env, const DecodedInsn *d);

#endif
