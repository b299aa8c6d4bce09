/*
 * Runtime library for bare-metal guest test programs.
 *
 * Programs are ELF32 multiboot (v1) images loaded at 1 MiB and entered in
 * 32-bit protected mode with paging off.  The library installs its own GDT,
 * IDT and TSS, prints to COM1 and the debugcon port, and ends the run
 * through isa-debug-exit.  See README.md for the API in prose.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "x86.h"

/* ---- selectors of the library's GDT (see desc.c) ---- */
#define SEL_CODE32     0x08 /* flat 32-bit code, DPL 0 */
#define SEL_DATA32     0x10 /* flat 32-bit data, DPL 0 */
#define SEL_CODE16     0x18 /* 16-bit code, base 0, limit 0xFFFF, DPL 0 */
#define SEL_DATA16     0x20 /* 16-bit data, base 0, limit 0xFFFF, DPL 0 */
#define SEL_UCODE32    0x2B /* flat 32-bit code, DPL 3 (RPL 3) */
#define SEL_UDATA32    0x33 /* flat 32-bit data, DPL 3 (RPL 3) */
#define SEL_TSS        0x38 /* the library's 32-bit TSS */
#define SEL_TSS2       0x40 /* a second TSS slot (tests fill it) */
#define GDT_TEST_FIRST 10   /* descriptors 10..GDT_ENTRIES-1 are for tests */
#define GDT_ENTRIES    32
#define SEL_TEST(i)    ((GDT_TEST_FIRST + (i)) << 3) /* i-th test descriptor */

/* Descriptor access byte bits (SDM Vol. 3A 3.4.5). */
#define ACC_A       0x01
#define ACC_W       0x02 /* data: writable */
#define ACC_R       0x02 /* code: readable */
#define ACC_E       0x04 /* data: expand-down */
#define ACC_C       0x04 /* code: conforming */
#define ACC_CODE    0x08
#define ACC_S       0x10 /* code/data (not system) */
#define ACC_DPL(n)  ((n) << 5)
#define ACC_P       0x80
#define ACC_DATA_RW (ACC_P | ACC_S | ACC_W)
#define ACC_CODE_RX (ACC_P | ACC_S | ACC_CODE | ACC_R)
/* System descriptor types (S = 0). */
#define SYS_TSS16_AVAIL 0x1
#define SYS_LDT         0x2
#define SYS_TSS16_BUSY  0x3
#define SYS_CALL_GATE16 0x4
#define SYS_TASK_GATE   0x5
#define SYS_INT_GATE16  0x6
#define SYS_TRAP_GATE16 0x7
#define SYS_TSS32_AVAIL 0x9
#define SYS_TSS32_BUSY  0xB
#define SYS_CALL_GATE32 0xC
#define SYS_INT_GATE32  0xE
#define SYS_TRAP_GATE32 0xF
/* Flags nibble (descriptor byte 6, high half). */
#define FLG_G  0x8
#define FLG_DB 0x4

/* ---- output ---- */
void putchar_(int c);
void puts_(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

/* ---- libc bits ---- */
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
bool cmdline_has(const char *word);

/* ---- checks ---- */
/*
 * Every check has a printf-style name.  A failing check prints
 * "FAIL <section>: <name>" plus expected and actual values; passing checks
 * print nothing.  main() returns, or calls test_exit(), and the library
 * prints "PASS: <program> (N checks)" or "FAIL: <program> (F of N checks
 * failed)" and writes 0 (pass) or 1 (fail) to isa-debug-exit.
 */
void report_section(const char *name);
bool report(bool ok, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool report_eq(uint32_t actual, uint32_t expected, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool report_eq64(uint64_t actual, uint64_t expected, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Compare only the bits in mask; names EFLAGS bits when printing. */
bool report_flags(uint32_t actual, uint32_t expected, uint32_t mask,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
bool report_mem(const void *actual, const void *expected, size_t n,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Check that exactly one exception was recorded since exc_clear(), with
 * this vector and error code (pass EXC_NOERR to skip the error code). */
bool report_exc(unsigned vector, uint32_t error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Check that no exception was recorded since exc_clear(). */
bool report_noexc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void report_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned report_failures(void);
void test_exit(void) __attribute__((noreturn));
void debug_exit(unsigned value) __attribute__((noreturn));
const char *flags_str(uint32_t fl, char *buf);

/*
 * QEMU TCG deviates from the SDM in a few places (no data segment limit
 * checks, no #AC, ...).  The runner passes "-append qemu-tcg" when the
 * emulator is Debian's QEMU; checks of such details are then skipped and
 * reported as skipped.  On our emulator they run.
 */
bool quirk_tcg(void);

/* ---- exceptions ---- */
enum {
    DE_VECTOR = 0,
    DB_VECTOR = 1,
    NMI_VECTOR = 2,
    BP_VECTOR = 3,
    OF_VECTOR = 4,
    BR_VECTOR = 5,
    UD_VECTOR = 6,
    NM_VECTOR = 7,
    DF_VECTOR = 8,
    TS_VECTOR = 10,
    NP_VECTOR = 11,
    SS_VECTOR = 12,
    GP_VECTOR = 13,
    PF_VECTOR = 14,
    MF_VECTOR = 16,
    AC_VECTOR = 17,
    MC_VECTOR = 18,
    XM_VECTOR = 19,
};
#define USER_EXIT_VECTOR 0xF0 /* INT 0xF0 (DPL 3) leaves user_run() */
#define USER_DONE        256  /* user_run(): fn returned */
#define EXC_NONE         0xFFFFFFFFu
#define EXC_NOERR        0xFFFFFFFFu

/* Stack frame seen by exception handlers (built by the stubs in entry.S). */
struct exc_frame {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;
    uint32_t vector, error; /* error is 0 for vectors without one */
    uint32_t eip, cs, eflags;
    uint32_t esp, ss;                        /* from ring 1-3 or v86 only */
    uint32_t v86_es, v86_ds, v86_fs, v86_gs; /* from v86 only */
};

struct exc_record {
    uint32_t vector, error, eip, cs, eflags, cr2;
    uint32_t esp, ss; /* valid when the exception changed CPL */
    uint32_t count;   /* exceptions recorded since exc_clear() */
    uint32_t eax, ecx, edx, ebx, esp0, ebp, esi, edi;
};
extern volatile struct exc_record exc_last;

/*
 * Expected exceptions.  In inline asm:
 *     asm volatile(ASM_TRY("1f") "divl %%ecx\n\t" "1:" ASM_CATCH ...);
 * ASM_TRY arms a one-shot resume address; the handler records the
 * exception in exc_last, resumes at that label with every register and
 * EFLAGS as the CPU left them, and disarms.  ASM_CATCH disarms when no
 * exception happened (it changes no register or flag).  An exception with
 * nothing armed and no handler installed is reported as a failure and the
 * program exits.
 */
extern volatile uint32_t exc_resume;
/* Through SS: a test may have just loaded DS with a null selector. */
#define ASM_TRY(label) "movl $" label ", %%ss:exc_resume\n\t"
#define ASM_CATCH      "movl $0, %%ss:exc_resume\n\t"

typedef void (*exc_handler_t)(struct exc_frame *f);
void exc_clear(void);
/* Install fn for vector (NULL restores the default behaviour). fn runs
 * after the exception was recorded; it may edit the frame. */
void exc_set_handler(unsigned vector, exc_handler_t fn);
const char *exc_name(unsigned vector);
bool exc_has_error_code(unsigned vector);

/* ---- descriptors ---- */
extern uint64_t gdt[GDT_ENTRIES];
extern uint64_t idt[256];
void gdt_set(unsigned index, uint32_t base, uint32_t limit, uint8_t access,
             uint8_t flags);
void gdt_set_gate(unsigned index, uint16_t sel, uint32_t offset,
                  uint8_t type_dpl_p, uint8_t params);
uint64_t desc_make(uint32_t base, uint32_t limit, uint8_t access,
                   uint8_t flags);
uint64_t gate_make(uint16_t sel, uint32_t offset, uint8_t type_dpl_p,
                   uint8_t params);
/* IDT gate: type is SYS_INT_GATE32 etc.; dpl 0-3; present. */
void idt_set(unsigned vector, uint16_t sel, uint32_t offset, unsigned type,
             unsigned dpl);
void idt_set_task_gate(unsigned vector, uint16_t tss_sel, unsigned dpl);
void idt_restore(unsigned vector);  /* back to the library's stub */
uint32_t idt_stub(unsigned vector); /* address of the library's stub */

struct __attribute__((packed)) tss32 {
    uint16_t link, r0;
    uint32_t esp0;
    uint16_t ss0, r1;
    uint32_t esp1;
    uint16_t ss1, r2;
    uint32_t esp2;
    uint16_t ss2, r3;
    uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint16_t es, r4, cs, r5, ss, r6, ds, r7, fs, r8, gs, r9, ldt, r10;
    uint16_t trap, iomap;
};
/* The library's TSS (SEL_TSS, loaded with LTR at start) with an I/O
 * permission bitmap: ports COM1 0x3F8-0x3FF, 0xE9 and 0xF4-0xF7 allowed,
 * all others denied. */
struct main_tss {
    struct tss32 t;
    uint8_t iomap[8192 + 1];
};
extern struct main_tss tss_main;
void iomap_allow(unsigned port, bool allow);
/* Put a TSS descriptor for t (available, DPL 0) in GDT slot index. */
void gdt_set_tss(unsigned index, struct tss32 *t, uint32_t limit);
/* Fill a TSS to start a task at eip on stack esp, flat ring-0 segments,
 * current CR3, EFLAGS 0x2. */
void tss_fill(struct tss32 *t, void (*eip)(void), void *esp);
extern uint8_t trap_stack_top[]; /* TSS.ESP0: ring-0 stack for traps */

/* ---- modes ---- */
/* Run fn(arg) in ring 3 (CS 0x2B, DS/ES/SS 0x33, EFLAGS user_eflags) on
 * its own stack.  Returns USER_DONE when fn returns, or the vector of the
 * first exception in ring 3 that was not armed with ASM_TRY and has no
 * handler (exc_last holds the details). */
int user_run(void (*fn)(void *), void *arg);
extern uint32_t user_eflags; /* EFLAGS for user_run, default 0x2 */

struct v86_regs {
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t eip, eflags; /* VM is forced on */
    uint16_t cs, ss, ds, es, fs, gs;
};
/* Enter virtual-8086 mode with the registers in r (VM forced on) and run
 * until the first exception or interrupt that reaches the IDT (every
 * vector, nothing armed); save the v86 state back into r and return the
 * vector (exc_last has the error code).  A monitor can step r->eip and call
 * again.  Use low memory (below 1 MiB); paging off or identity mapped. */
int v86_run(struct v86_regs *r);

/* Real mode: switch to real mode, call a 16-bit near function (in the
 * .low section, below 64 KiB) with CS = DS = ES = SS = 0, IVT at 0, and
 * come back.  Registers in/out through rm_regs.  Paging must be off. */
struct rm_regs {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, eflags;
};
void real_call(uint16_t fn, struct rm_regs *r);
#define LOW_SECTION __attribute__((section(".low.data")))

/* ---- paging ---- */
#define PTE_P   0x001
#define PTE_W   0x002
#define PTE_U   0x004
#define PTE_PWT 0x008
#define PTE_PCD 0x010
#define PTE_A   0x020
#define PTE_D   0x040
#define PTE_PS  0x080
#define PTE_G   0x100
/* #PF error code bits */
#define PFE_P    0x01
#define PFE_W    0x02
#define PFE_U    0x04
#define PFE_RSVD 0x08
#define PFE_I    0x10

void *page_alloc(void); /* zeroed 4 KiB page from a bump allocator */
/* 32-bit paging: a page directory identity-mapping the first `mb` MiB with
 * 4 KiB pages (PTE_P|PTE_W|PTE_U) or, if big, with 4 MiB PSE pages. */
uint32_t *pt32_identity(unsigned mb, bool big);
uint32_t *pt32_pte(uint32_t *pd, uint32_t va); /* creates the table */
void pt32_map(uint32_t *pd, uint32_t va, uint32_t pa, uint32_t flags);
void pt32_map_4m(uint32_t *pd, uint32_t va, uint32_t pa, uint32_t flags);
/* PAE: PDPT + 4 page directories identity-mapping the first `mb` MiB with
 * 4 KiB pages or, if big, 2 MiB pages. Returns the PDPT (CR3 value). */
uint64_t *pae_identity(unsigned mb, bool big);
uint64_t *pae_pte(uint64_t *pdpt, uint32_t va);
uint64_t *pae_pde(uint64_t *pdpt, uint32_t va);
void pae_map(uint64_t *pdpt, uint32_t va, uint64_t pa, uint64_t flags);
/* Load CR3 and CR4 (PSE/PAE bits as given, others kept) and set CR0.PG. */
void paging_enable(uint32_t cr3, uint32_t cr4_set);
void paging_disable(void);

/* ---- misc ---- */
extern const char test_name[];
extern uint32_t mb_magic, mb_info;
int main(void);

#endif
