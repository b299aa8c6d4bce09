/*
 * The x86 CPU state and the interfaces between the parts of target/i386.
 *
 * Architectural facts cite the Intel SDM (Intel 64 and IA-32 Architectures
 * Software Developer's Manual, combined volumes) as "SDM vol. N, section".
 */
#ifndef TARGET_I386_CPU_H
#define TARGET_I386_CPU_H

#include "qemu/osdep.h"
#include "qemu/error.h"
#include "hw/core/cpu.h"
#include "fpu/softfloat.h"
#include <setjmp.h>

/* clang-format off */
/* ---- general registers ---- */
enum {
    R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI,
    R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
};
#define CPU_NB_REGS 16

/* ---- segment registers (encoding order of the ModRM reg field) ---- */
enum { R_ES, R_CS, R_SS, R_DS, R_FS, R_GS };
#define NB_SEGS 6
/* Pseudo-segments for the descriptor-table registers. */
#define R_LDTR 6
#define R_TR   7

/* clang-format on */

/* ---- EFLAGS (SDM vol. 1, 3.4.3) ---- */
#define CC_C       0x0001
#define CC_P       0x0004
#define CC_A       0x0010
#define CC_Z       0x0040
#define CC_S       0x0080
#define CC_O       0x0800
#define CC_ALL     (CC_C | CC_P | CC_A | CC_Z | CC_S | CC_O)
#define TF_MASK    0x00000100
#define IF_MASK    0x00000200
#define DF_MASK    0x00000400
#define IOPL_MASK  0x00003000
#define IOPL_SHIFT 12
#define NT_MASK    0x00004000
#define RF_MASK    0x00010000
#define VM_MASK    0x00020000
#define AC_MASK    0x00040000
#define VIF_MASK   0x00080000
#define VIP_MASK   0x00100000
#define ID_MASK    0x00200000
/* Bit 1 always reads as 1. */
#define EFLAGS_FIXED 0x00000002

/* ---- control registers (SDM vol. 3, 2.5) ---- */
#define CR0_PE_MASK (1u << 0)
#define CR0_MP_MASK (1u << 1)
#define CR0_EM_MASK (1u << 2)
#define CR0_TS_MASK (1u << 3)
#define CR0_ET_MASK (1u << 4)
#define CR0_NE_MASK (1u << 5)
#define CR0_WP_MASK (1u << 16)
#define CR0_AM_MASK (1u << 18)
#define CR0_NW_MASK (1u << 29)
#define CR0_CD_MASK (1u << 30)
#define CR0_PG_MASK (1u << 31)

#define CR4_VME_MASK        (1u << 0)
#define CR4_PVI_MASK        (1u << 1)
#define CR4_TSD_MASK        (1u << 2)
#define CR4_DE_MASK         (1u << 3)
#define CR4_PSE_MASK        (1u << 4)
#define CR4_PAE_MASK        (1u << 5)
#define CR4_MCE_MASK        (1u << 6)
#define CR4_PGE_MASK        (1u << 7)
#define CR4_PCE_MASK        (1u << 8)
#define CR4_OSFXSR_MASK     (1u << 9)
#define CR4_OSXMMEXCPT_MASK (1u << 10)

/* ---- debug registers (SDM vol. 3, 17.2) ---- */
#define DR6_B_MASK  0x0000000fu /* B0-B3: breakpoint n was hit */
#define DR6_BD      (1u << 13)  /* a MOV DR was attempted with DR7.GD */
#define DR6_BS      (1u << 14)  /* single step */
#define DR6_BT      (1u << 15)  /* task switch with the TSS T bit */
#define DR6_FIXED_1 0xffff0ff0u /* bits that read as 1 */
#define DR7_GD      (1u << 13)  /* general detect */
#define DR7_FIXED_1 0x00000400u /* bit 10 reads as 1 */
/* The bits of DR7 that software can set (others are reserved 0). */
#define DR7_WRITABLE 0xffff23ffu

/* ---- EFER (SDM vol. 3, 2.2.1) ---- */
#define EFER_SCE (1u << 0)
#define EFER_LME (1u << 8)
#define EFER_LMA (1u << 10)
#define EFER_NXE (1u << 11)

/* ---- segment descriptor bits, as in the descriptor's high dword ---- */
#define DESC_G_SHIFT       23
#define DESC_G_MASK        (1u << 23)
#define DESC_B_SHIFT       22
#define DESC_B_MASK        (1u << 22)
#define DESC_L_SHIFT       21
#define DESC_L_MASK        (1u << 21)
#define DESC_AVL_MASK      (1u << 20)
#define DESC_P_MASK        (1u << 15)
#define DESC_DPL_SHIFT     13
#define DESC_DPL_MASK      (3u << 13)
#define DESC_S_MASK        (1u << 12)
#define DESC_TYPE_SHIFT    8
#define DESC_TYPE_MASK     (15u << 8)
#define DESC_A_MASK        (1u << 8)
#define DESC_CS_MASK       (1u << 11) /* code segment (S=1) */
#define DESC_C_MASK        (1u << 10) /* code: conforming */
#define DESC_E_MASK        (1u << 10) /* data: expand-down */
#define DESC_R_MASK        (1u << 9)  /* code: readable */
#define DESC_W_MASK        (1u << 9)  /* data: writable */
#define DESC_TSS_BUSY_MASK (1u << 9)

/* ---- exceptions (SDM vol. 3, 6.3.1) ---- */
#define EXCP00_DIVZ  0
#define EXCP01_DB    1
#define EXCP02_NMI   2
#define EXCP03_INT3  3
#define EXCP04_INTO  4
#define EXCP05_BOUND 5
#define EXCP06_ILLOP 6
#define EXCP07_PREX  7
#define EXCP08_DBLE  8
#define EXCP09_XERR  9
#define EXCP0A_TSS   10
#define EXCP0B_NOSEG 11
#define EXCP0C_STACK 12
#define EXCP0D_GPF   13
#define EXCP0E_PAGE  14
#define EXCP10_COPR  16
#define EXCP11_ALGN  17
#define EXCP12_MCHK  18
#define EXCP13_XMM   19

/* #PF error code bits (SDM vol. 3, 4.7) */
#define PG_ERROR_P_MASK    0x01
#define PG_ERROR_W_MASK    0x02
#define PG_ERROR_U_MASK    0x04
#define PG_ERROR_RSVD_MASK 0x08
#define PG_ERROR_I_D_MASK  0x10

/* Page table entry bits (SDM vol. 3, 4.3-4.5) */
#define PG_PRESENT_MASK  (1ull << 0)
#define PG_RW_MASK       (1ull << 1)
#define PG_USER_MASK     (1ull << 2)
#define PG_PWT_MASK      (1ull << 3)
#define PG_PCD_MASK      (1ull << 4)
#define PG_ACCESSED_MASK (1ull << 5)
#define PG_DIRTY_MASK    (1ull << 6)
#define PG_PSE_MASK      (1ull << 7)
#define PG_GLOBAL_MASK   (1ull << 8)
#define PG_NX_MASK       (1ull << 63)

/* ---- hflags: mode bits derived from the state, used by the decoder and
 * as part of the translation-block key ---- */
#define HF_CPL_MASK         0x0003    /* current privilege level */
#define HF_CS32_MASK        (1u << 2) /* CS.D: 32-bit default operand/address */
#define HF_SS32_MASK        (1u << 3) /* SS.B: 32-bit stack */
#define HF_CS64_MASK        (1u << 4) /* 64-bit code segment (long mode) */
#define HF_LMA_MASK         (1u << 5) /* long mode active */
#define HF_PE_MASK          (1u << 6) /* protected mode */
#define HF_VM_MASK          (1u << 7) /* virtual-8086 mode */
#define HF_TF_MASK          (1u << 8) /* single-stepping: one instruction per TB */
#define HF_INHIBIT_IRQ_MASK (1u << 9) /* interrupt shadow (STI, MOV SS) */
#define HF_OSFXSR_MASK      (1u << 10)
#define HF_AC_MASK          (1u << 11) /* alignment checks: CR0.AM, EFLAGS.AC, CPL 3 */
/* The bits of hflags that change how code decodes. */
#define HF_TB_MASK                                                         \
    (HF_CS32_MASK | HF_CS64_MASK | HF_LMA_MASK | HF_PE_MASK | HF_VM_MASK | \
     HF_TF_MASK)

/* ---- interrupt_request bits ---- */
#define CPU_INTERRUPT_HARD (1u << 0) /* INTR from the interrupt controller */
#define CPU_INTERRUPT_NMI  (1u << 1)
#define CPU_INTERRUPT_INIT (1u << 2)
#define CPU_INTERRUPT_SMI  (1u << 3)

/* ---- MSR numbers (SDM vol. 4) ---- */
#define MSR_IA32_TSC          0x10
#define MSR_IA32_APICBASE     0x1b
#define MSR_IA32_SYSENTER_CS  0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176
#define MSR_MCG_CAP           0x179
#define MSR_MCG_STATUS        0x17a
#define MSR_IA32_MISC_ENABLE  0x1a0
#define MSR_MTRRcap           0xfe
#define MSR_MTRRphysBase(n)   (0x200 + 2 * (n))
#define MSR_MTRRphysMask(n)   (0x201 + 2 * (n))
#define MSR_MTRRfix64K_00000  0x250
#define MSR_MTRRfix16K_80000  0x258
#define MSR_MTRRfix16K_A0000  0x259
#define MSR_MTRRfix4K_C0000   0x268
#define MSR_MTRRdefType       0x2ff
#define MSR_PAT               0x277
#define MSR_EFER              0xc0000080
#define MSR_STAR              0xc0000081
#define MSR_LSTAR             0xc0000082
#define MSR_CSTAR             0xc0000083
#define MSR_FMASK             0xc0000084
#define MSR_FSBASE            0xc0000100
#define MSR_GSBASE            0xc0000101
#define MSR_KERNELGSBASE      0xc0000102
#define MSR_TSC_AUX           0xc0000103

/* ---- lazy condition codes ---- */
/*
 * Arithmetic flags are computed on demand: an instruction records its
 * kind (cc_op), result (cc_dst) and an operand (cc_src, cc_src2), and
 * cpu_cc_compute() derives CF..OF when something reads them.  CC_OP_EFLAGS
 * means cc_src holds the flags themselves.
 */
/* clang-format off */
typedef enum CCOp {
    CC_OP_EFLAGS, /* cc_src = the flags (CF PF AF ZF SF OF bits) */
#define CC_OP_SIZED(name)                                                      \
    CC_OP_##name##B, CC_OP_##name##W, CC_OP_##name##L, CC_OP_##name##Q
    CC_OP_SIZED(ADD),  /* dst = result, src = operand 2 */
    CC_OP_SIZED(ADC),  /* dst = result, src = operand 2, src2 = carry in */
    CC_OP_SIZED(SUB),  /* dst = result, src = operand 2 */
    CC_OP_SIZED(SBB),  /* dst = result, src = operand 2, src2 = borrow */
    CC_OP_SIZED(LOGIC), /* dst = result; CF=OF=0, AF=0 */
    CC_OP_SIZED(INC),  /* dst = result, src = CF before */
    CC_OP_SIZED(DEC),  /* dst = result, src = CF before */
    CC_OP_SIZED(SHL),  /* dst = result, src = last bit shifted out... */
    CC_OP_SIZED(SAR),  /* dst = result, src = value shifted by count-1 */
    CC_OP_SIZED(MUL),  /* dst = low result, src = high part != 0 */
#undef CC_OP_SIZED
    CC_OP_NB
} CCOp;
/* clang-format on */

/* ---- segment cache ---- */
typedef struct SegmentCache {
    uint32_t selector;
    uint64_t base;
    uint32_t limit; /* in bytes (G applied) */
    uint32_t flags; /* descriptor high dword bits 8-23 (DESC_*) */
} SegmentCache;

/* ---- the software TLB (accel/tcg/cputlb.c) ---- */
#define TLB_BITS      8
#define TLB_SIZE      (1 << TLB_BITS)
#define TLB_VICTIM    8
#define NB_MMU_MODES  2 /* 0: supervisor (CPL 0-2), 1: user (CPL 3) */
#define MMU_KSMAP_IDX 0
#define MMU_USER_IDX  1

/*
 * An entry maps one 4 KiB virtual page.  addr_read/addr_write/addr_code
 * hold the page address when that access may use the fast path (RAM,
 * permitted, and for writes: dirty bit set and no translated code on the
 * page), otherwise -1, so a single compare decides the fast path.
 */
typedef struct CPUTLBEntry {
    uint64_t addr_read;
    uint64_t addr_write;
    uint64_t addr_code;
    uintptr_t addend; /* host pointer = addend + virtual address */
} CPUTLBEntry;

typedef struct CPUTLBExtra {
    uint64_t vaddr;     /* virtual page address */
    hwaddr phys;        /* physical page address */
    uint64_t page_mask; /* the guest page it came from: 0xfff, 0x1fffff.. */
    uint8_t prot;       /* PAGE_READ | PAGE_WRITE | PAGE_EXEC */
    bool global;        /* survives CR3 reloads when CR4.PGE */
    bool valid;
    bool ram;      /* backed by host memory */
    bool readonly; /* ROM */
} CPUTLBExtra;

typedef enum MMUAccessType {
    MMU_DATA_LOAD = 0,
    MMU_DATA_STORE = 1,
    MMU_INST_FETCH = 2,
} MMUAccessType;

typedef struct DecodedInsn DecodedInsn;
typedef struct TranslationBlock TranslationBlock;

/* x87 register (80-bit) and the SSE register file. */
typedef union XMMReg {
    uint8_t b[16];
    uint16_t w[8];
    uint32_t l[4];
    uint64_t q[2];
} XMMReg;

typedef struct CPUX86State {
    /* Hot state first: the interpreter touches these on every insn. */
    uint64_t regs[CPU_NB_REGS];
    uint64_t eip;    /* offset in CS of the current instruction */
    uint32_t eflags; /* TF IF DF IOPL NT RF VM AC VIF VIP ID, bit 1; the
                        arithmetic flags live in cc_* */
    uint32_t hflags;
    CCOp cc_op;
    uint64_t cc_dst;
    uint64_t cc_src;
    uint64_t cc_src2;
    /* Instructions left in the current cpu_exec budget. */
    int64_t icount_left;
    /*
     * Set when the current translation block must end after this
     * instruction (code on this page was overwritten, interrupts may now
     * be deliverable, an exit was requested).
     */
    bool exit_tb;
    /* The REP iteration loop ran out of budget: the insn isn't done. */
    bool insn_incomplete;
    /* The current access is a stack reference (#SS, not #GP). */
    bool stack_access;

    SegmentCache segs[NB_SEGS];
    SegmentCache ldt;
    SegmentCache tr;
    SegmentCache gdt; /* only base and limit */
    SegmentCache idt; /* only base and limit */

    uint64_t cr[5]; /* CR0, (CR1 unused), CR2, CR3, CR4 */
    uint64_t cr8;
    uint64_t dr[8];
    uint64_t efer;
    uint64_t star, lstar, cstar, fmask, kernelgsbase;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t apic_base;
    uint64_t pat;
    uint64_t tsc_aux;
    uint64_t misc_enable;
    uint64_t mtrr_deftype;
    uint64_t mtrr_fixed[11];
    uint64_t mtrr_var_base[8];
    uint64_t mtrr_var_mask[8];
    uint64_t mcg_status;
    int64_t tsc_offset;    /* TSC = instructions retired + offset */
    uint32_t a20_mask_bit; /* 0 when A20 is masked (address bit 20 forced 0) */

    /* x87 (SDM vol. 1, chapter 8). st[] is indexed physically. */
    floatx80 fpregs[8];
    uint16_t fpuc;  /* control word */
    uint16_t fpus;  /* status word, TOP in bits 11-13 */
    uint8_t fptags; /* 1 bit per register: 1 = empty (abridged tag) */
    uint16_t fpop;  /* last opcode */
    uint64_t fpip;  /* last instruction pointer (with fpcs) */
    uint64_t fpdp;  /* last data pointer (with fpds) */
    uint16_t fpcs, fpds;
    bool ferr; /* the FERR# output is asserted (x87.c, CR0.NE = 0) */

    /* SSE (issue 4) */
    XMMReg xmm[16];
    uint32_t mxcsr;

    /* Interrupts and execution control */
    uint32_t interrupt_request;
    bool halted;
    int exception_index; /* pending exception (-1: none) */
    int error_code;
    bool exception_is_int;       /* software INT n (privilege checks differ) */
    uint64_t exception_next_eip; /* for traps and INT n */
    int old_exception;           /* for double-fault detection, -1: none */
    bool triple_fault;
    bool nmi_blocked; /* in an NMI handler, until IRET */
    /* STI / MOV SS / POP SS just started an interrupt shadow. */
    bool inhibit_irq_just_set;
    /* The instruction must not single-step trap (it changed TF, ...). */
    bool tf_suppressed;
    /*
     * MOV SS / POP SS: its debug traps (single step, data breakpoints)
     * wait until after the next instruction (SDM vol. 3, 6.8.3).
     */
    bool dbg_inhibit;
    /* An instruction breakpoint is enabled in DR7. */
    bool dr7_exec;
    sigjmp_buf jmp_env;

    /* The software TLB. */
    CPUTLBEntry tlb[NB_MMU_MODES][TLB_SIZE];
    CPUTLBExtra tlb_extra[NB_MMU_MODES][TLB_SIZE];
    /*
     * A small fully associative victim TLB: entries evicted from the
     * direct-mapped one land here, so two pages that share a slot (code
     * and its data, a page and its page table) do not evict each other
     * for good.
     */
    CPUTLBEntry tlb_v[NB_MMU_MODES][TLB_VICTIM];
    CPUTLBExtra tlb_v_extra[NB_MMU_MODES][TLB_VICTIM];
    uint8_t tlb_v_next[NB_MMU_MODES];
    /* Bumped on every TLB flush: block chains made before are stale. */
    uint64_t tlb_gen;
    /* A DR7 data breakpoint is enabled: data accesses take the slow path. */
    bool watch_data;
    /* DR6 bits of data breakpoints hit by the current instruction; the
     * #DB trap is raised after it completes. */
    uint32_t pending_dbg;

    /* Hooks to the machine. */
    int (*get_intr_vector)(void *opaque); /* INTA: the PIC's vector */
    void *intr_opaque;
    /*
     * FERR# (x87 errors in MS-DOS compatibility mode, CR0.NE = 0; SDM
     * vol. 1, D.2.1.3): the pc machine wires it to ISA IRQ 13, and lowers
     * IGNNE# (x86_cpu_set_ignne) when the level goes to 0.
     */
    void (*ferr_irq)(void *opaque, int level);
    void *ferr_opaque;
    bool ignne; /* the IGNNE# input pin (x87.h) */

    CPUState *cs;
    uint32_t saved_eflags; /* folded EFLAGS, for the state table */
} CPUX86State;

typedef struct X86CPU {
    CPUState parent;
    CPUX86State env;
} X86CPU;

static inline X86CPU *env_archcpu(CPUX86State *env)
{
    return container_of(env, X86CPU, env);
}

/* ---- cpu.c ---- */
X86CPU *x86_cpu_create(const char *model, Error **errp);
/* Unregisters and frees (tests create and drop CPUs). */
void x86_cpu_destroy(X86CPU *cpu);
void x86_cpu_reset(CPUX86State *env);
void x86_cpu_set_intr(X86CPU *cpu, int level); /* INTR pin from the PIC */
void x86_cpu_raise_nmi(X86CPU *cpu);
void x86_cpu_dump_state(CPUX86State *env, FILE *f, int flags);
/* Recomputes hflags from CR0/CR4/EFER/EFLAGS/segments. */
void x86_update_hflags(CPUX86State *env);
void cpu_x86_load_seg_cache(CPUX86State *env, int seg, uint32_t selector,
                            uint64_t base, uint32_t limit, uint32_t flags);
void cpu_x86_update_cr0(CPUX86State *env, uint64_t new_cr0);
void cpu_x86_update_cr3(CPUX86State *env, uint64_t new_cr3);
void cpu_x86_update_cr4(CPUX86State *env, uint64_t new_cr4);
bool cpu_x86_set_efer(CPUX86State *env, uint64_t val);

/* EFLAGS with the arithmetic flags folded in. */
uint32_t cpu_compute_eflags(CPUX86State *env);
/*
 * Loads EFLAGS: the bits in update_mask are taken from val, the others
 * kept.  The arithmetic flags become CC_OP_EFLAGS.
 */
void cpu_load_eflags(CPUX86State *env, uint32_t val, uint32_t update_mask);

/* ---- flags.c ---- */
uint32_t cpu_cc_compute_all(CPUX86State *env);
uint32_t cpu_cc_compute_c(CPUX86State *env);
/* Evaluates condition code cc (the low nibble of Jcc/SETcc/CMOVcc). */
bool cpu_cc_test(CPUX86State *env, int cc);

/* ---- excp.c ---- */
/* next_eip of a fault: the saved EIP is the faulting instruction's. */
#define EIP_FAULT UINT64_MAX
QEMU_NORETURN void raise_exception(CPUX86State *env, int vector);
QEMU_NORETURN void raise_exception_err(CPUX86State *env, int vector,
                                       int error_code);
/*
 * Raises vector.  is_int: INT n, INT3 or INTO (the gate's DPL is checked,
 * no error code).  next_eip: the EIP to save (the next instruction for
 * traps and INT n), or EIP_FAULT for faults.
 */
QEMU_NORETURN void raise_interrupt(CPUX86State *env, int vector, bool is_int,
                                   int error_code, uint64_t next_eip);
/*
 * Delivers an event through the IVT/IDT.  is_hw: an external interrupt
 * or NMI (EXT = 1, no error code, saves the current EIP).
 */
void x86_do_interrupt(CPUX86State *env, int vector, bool is_int, int error_code,
                      uint64_t next_eip, bool is_hw);

/* ---- seg.c ---- */
/* Loads a segment register as MOV/POP Sreg do, with all checks. */
void helper_load_seg(CPUX86State *env, int seg, uint32_t selector);
bool cpu_x86_read_descriptor(CPUX86State *env, uint32_t selector, uint32_t *e1,
                             uint32_t *e2);
uint64_t get_seg_base(uint32_t e1, uint32_t e2);
uint32_t get_seg_limit(uint32_t e1, uint32_t e2);

/* ---- mmu.c ---- */
/*
 * Translates a virtual address for an access, filling the TLB; raises
 * #PF (never returns) when the access is not permitted.  Returns the
 * physical address.
 */
hwaddr x86_tlb_fill(CPUX86State *env, uint64_t vaddr, MMUAccessType access,
                    int mmu_idx);
/* For the debugger and the monitor: no side effects, -1 if unmapped. */
hwaddr x86_get_phys_page_debug(CPUX86State *env, uint64_t vaddr);

/* ---- bpt.c: debug registers ---- */
/*
 * Checks data breakpoints for an access of size bytes at linear address
 * addr (sets pending_dbg; the loop raises the #DB trap after the insn).
 */
void x86_check_data_breakpoint(CPUX86State *env, uint64_t addr, int size,
                               MMUAccessType access);
/* Checks I/O breakpoints (CR4.DE, RW = 10) for an IN/OUT of port. */
void x86_check_io_breakpoint(CPUX86State *env, uint32_t port, int size);
/* Recomputes watch_data and dr7_exec after DR7 or DR0-3 change. */
void x86_update_dr7(CPUX86State *env);
/*
 * An enabled instruction breakpoint at the current CS:EIP?  Sets the
 * DR6 bits of the breakpoints hit; the caller raises the #DB fault.
 */
bool x86_check_insn_breakpoint(CPUX86State *env);

/* ---- msr_cpuid.c ---- */
void helper_cpuid(CPUX86State *env);
void helper_rdmsr(CPUX86State *env);
void helper_wrmsr(CPUX86State *env);
uint64_t cpu_get_tsc(CPUX86State *env);
/* CPUID.1:EAX of the model: family, model, stepping. */
uint32_t x86_cpuid_signature(void);

static inline int cpu_mmu_index(CPUX86State *env)
{
    return (env->hflags & HF_CPL_MASK) == 3 ? MMU_USER_IDX : MMU_KSMAP_IDX;
}

static inline uint32_t cpu_cpl(CPUX86State *env)
{
    return env->hflags & HF_CPL_MASK;
}

/* Linear address of the current instruction. */
static inline uint64_t cpu_pc(CPUX86State *env)
{
    return env->segs[R_CS].base + env->eip;
}

#endif
