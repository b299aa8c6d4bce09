/*
 * A CPU on a bare board for unit tests: 16 MiB of RAM at 0, descriptor
 * tables and page tables set up for the chosen mode, and an IDT whose
 * every vector leads to a HLT stub, so a test can run a few instructions
 * and see which exception (if any) they raised.
 *
 * Memory layout (physical = linear in every mode):
 *   0x00000  real-mode IVT           0x01000  GDT (selectors below)
 *   0x02000  IDT                     0x03000  TSS (32-bit, or 64-bit)
 *   0x04000  exception stubs: vector v halts at 0x4000 + 16 * v
 *   0x08000  page tables (paged and 64-bit modes)
 *   0x70000  stack top (ESP/RSP), ring-0 stack in the TSS: 0x60000
 *   0x07c00  code in real mode       0x100000 code in the other modes
 *   0x200000 free data area
 *
 * Selectors: 0x08 code32 DPL0, 0x10 data32 DPL0, 0x18 code16 DPL0,
 * 0x20 data16 DPL0, 0x2b code32 DPL3, 0x33 data32 DPL3, 0x38 TSS,
 * 0x48 code64 DPL0, 0x53 code64 DPL3.
 *
 * Only one harness may exist at a time (the emulator has one CPU and
 * global address spaces).
 */
#ifndef TESTS_UNIT_CPU_HARNESS_H
#define TESTS_UNIT_CPU_HARNESS_H

#include "qemu/osdep.h"
#include "target/i386/cpu.h"

typedef enum HarnessMode {
    HARNESS_REAL,    /* real mode, CS=0, code at 0x7c00 */
    HARNESS_PROT32,  /* 32-bit protected mode, flat, no paging */
    HARNESS_PAGED32, /* as PROT32 with 4 KiB paging (identity, 16 MiB) */
    HARNESS_PAE,     /* as PROT32 with PAE paging (identity, 2 MiB pages) */
    HARNESS_LONG64,  /* 64-bit mode, identity paging of 16 MiB */
} HarnessMode;

#define HARNESS_RAM_SIZE (16 * MiB)
#define HARNESS_GDT      0x1000
#define HARNESS_IDT      0x2000
#define HARNESS_TSS      0x3000
#define HARNESS_STUBS    0x4000
#define HARNESS_PT       0x8000
#define HARNESS_STACK    0x70000
#define HARNESS_STACK0   0x60000
#define HARNESS_DATA     0x200000

typedef struct CPUHarness {
    HarnessMode mode;
    X86CPU *cpu;
    CPUX86State *env;
    uint8_t *ram;       /* host view of guest RAM */
    uint64_t code_addr; /* where harness_set_code puts code */
    int64_t retired;    /* instructions retired so far */
} CPUHarness;

CPUHarness *harness_new(HarnessMode mode);
void harness_free(CPUHarness *h);

/* Copies code to code_addr and points EIP (CS:IP in real mode) at it. */
void harness_set_code(CPUHarness *h, const void *code, size_t len);
/* Copies bytes into guest physical memory (through the memory API, so
 * translated code on those pages is invalidated). */
void harness_write(CPUHarness *h, uint64_t addr, const void *buf, size_t len);
void harness_read(CPUHarness *h, uint64_t addr, void *buf, size_t len);

/* Runs at most budget instructions; returns how many retired. */
int64_t harness_run(CPUHarness *h, int64_t budget);
/* Runs until HLT (or budget): convenience for straight-line tests. */
int64_t harness_run_to_halt(CPUHarness *h, int64_t budget);

/*
 * After a run that ended in an exception stub: the vector, the error
 * code (0 if the vector has none) and the EIP the exception saved.
 * Returns false if the CPU is not halted in a stub.
 */
bool harness_exception(CPUHarness *h, int *vector, uint32_t *error_code,
                       uint64_t *saved_eip);
/* Makes vector v's stub resume at addr instead of halting (IRET-able
 * handlers for faults a test fixes up). */
void harness_set_handler(CPUHarness *h, int vector, uint64_t addr);

/* Switches the harness to ring 3 (CS 0x2b/0x53, SS/DS/ES 0x33). */
void harness_enter_ring3(CPUHarness *h);

#endif
