/*
 * A CPU on a bare board for unit tests (see cpu-harness.h).
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "exec/cpu-ldst.h"
#include "accel/tcg/tb.h"
#include "sysemu/cpu-timers.h"
#include "tests/unit/cpu-harness.h"

static MemoryRegion harness_ram;

static void put32(CPUHarness *h, uint64_t addr, uint32_t v)
{
    memcpy(h->ram + addr, &v, 4);
}

static void put64(CPUHarness *h, uint64_t addr, uint64_t v)
{
    memcpy(h->ram + addr, &v, 8);
}

/* A segment descriptor: the high dword carries the type and flags. */
static void gdt_set(CPUHarness *h, int index, uint32_t base, uint32_t limit,
                    uint32_t flags)
{
    uint32_t lo = (base << 16) | (limit & 0xffff);
    uint32_t hi =
        (base & 0xff000000) | ((base >> 16) & 0xff) | (limit & 0xf0000) | flags;

    put32(h, HARNESS_GDT + index * 8, lo);
    put32(h, HARNESS_GDT + index * 8 + 4, hi);
}

#define F_CODE32 0x00cf9b00 /* G D P DPL0 S code exec/read accessed */
#define F_DATA32 0x00cf9300
#define F_CODE16 0x00009b00
#define F_DATA16 0x00009300
#define F_CODE64 0x00af9b00 /* G L P S code */
#define F_DPL3   0x00006000

static void idt_set(CPUHarness *h, int v, uint64_t addr)
{
    if (h->mode == HARNESS_LONG64) {
        uint64_t e = HARNESS_IDT + v * 16;
        /* 64-bit interrupt gate, DPL 3, selector 0x48 */
        put32(h, e, (0x48 << 16) | (addr & 0xffff));
        put32(h, e + 4, (addr & 0xffff0000) | 0xee00);
        put32(h, e + 8, addr >> 32);
        put32(h, e + 12, 0);
    } else if (h->mode == HARNESS_REAL) {
        /* IVT: offset, segment */
        uint32_t seg = (addr >> 4) & 0xf000;
        put32(h, v * 4, (seg << 16) | (addr - (seg << 4)));
    } else {
        uint64_t e = HARNESS_IDT + v * 8;
        /* 32-bit interrupt gate, DPL 3, selector 0x08 */
        put32(h, e, (0x08 << 16) | (addr & 0xffff));
        put32(h, e + 4, (addr & 0xffff0000) | 0xee00);
    }
}

void harness_set_handler(CPUHarness *h, int vector, uint64_t addr)
{
    idt_set(h, vector, addr);
}

static void load_seg(CPUX86State *env, int seg, uint32_t sel, uint32_t base,
                     uint32_t limit, uint32_t flags)
{
    cpu_x86_load_seg_cache(env, seg, sel, base, limit, flags);
}

CPUHarness *harness_new(HarnessMode mode)
{
    CPUHarness *h = g_new0(CPUHarness, 1);
    CPUX86State *env;
    uint32_t limit_4g = 0xffffffff;

    h->mode = mode;
    if (!harness_ram.ram_ptr) {
        memory_region_init_ram(&harness_ram, "harness.ram", HARNESS_RAM_SIZE,
                               &error_abort);
    }
    address_space_map_region(&address_space_memory, 0, &harness_ram, 0,
                             &error_abort);
    h->ram = memory_region_get_ram_ptr(&harness_ram);
    memset(h->ram, 0, HARNESS_RAM_SIZE);

    {
        /* shift 0: guest time (and the TSC) in ns = instructions. */
        IcountConfig ic = { .shift_auto = false, .shift = 0 };
        icount_reset_for_test();
        icount_configure(&ic);
    }
    h->cpu = x86_cpu_create("qemu64", &error_abort);
    env = h->env = &h->cpu->env;

    /* Descriptor tables */
    gdt_set(h, 1, 0, 0xfffff, F_CODE32);
    gdt_set(h, 2, 0, 0xfffff, F_DATA32);
    gdt_set(h, 3, 0, 0xffff, F_CODE16);
    gdt_set(h, 4, 0, 0xffff, F_DATA16);
    gdt_set(h, 5, 0, 0xfffff, F_CODE32 | F_DPL3);
    gdt_set(h, 6, 0, 0xfffff, F_DATA32 | F_DPL3);
    /* TSS: available, 32-bit (type 9) or 64-bit (type 9 in long mode) */
    gdt_set(h, 7, HARNESS_TSS, 0x67, 0x00008900);
    put64(h, HARNESS_GDT + 8 * 8, 0);
    gdt_set(h, 9, 0, 0xfffff, F_CODE64);
    gdt_set(h, 10, 0, 0xfffff, F_CODE64 | F_DPL3);
    /* Stubs: HLT at 0x4000 + 16 * v */
    for (int v = 0; v < 256; v++) {
        h->ram[HARNESS_STUBS + 16 * v] = 0xf4;
        idt_set(h, v, HARNESS_STUBS + 16 * v);
    }
    /* TSS: ring-0 stack */
    if (mode == HARNESS_LONG64) {
        put64(h, HARNESS_TSS + 4, HARNESS_STACK0);
    } else {
        put32(h, HARNESS_TSS + 4, HARNESS_STACK0);
        put32(h, HARNESS_TSS + 8, 0x10);
        put32(h, HARNESS_TSS + 0x64, 0x0068 << 16); /* no I/O bitmap */
    }

    env->gdt.base = HARNESS_GDT;
    env->gdt.limit = 11 * 8 - 1;
    env->idt.base = mode == HARNESS_REAL ? 0 : HARNESS_IDT;
    env->idt.limit = mode == HARNESS_REAL     ? 0x3ff
                     : mode == HARNESS_LONG64 ? 256 * 16 - 1
                                              : 256 * 8 - 1;
    env->regs[R_ESP] = HARNESS_STACK;
    env->regs[R_EDX] = 0;

    if (mode == HARNESS_REAL) {
        h->code_addr = 0x7c00;
        load_seg(env, R_CS, 0, 0, 0xffff,
                 DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK | DESC_R_MASK |
                     DESC_A_MASK);
        for (int s = 0; s < NB_SEGS; s++) {
            if (s != R_CS) {
                load_seg(env, s, 0, 0, 0xffff,
                         DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | DESC_A_MASK);
            }
        }
        env->eip = h->code_addr;
        return h;
    }

    h->code_addr = 0x100000;
    env->cr[0] |= CR0_PE_MASK;
    env->tr.selector = 0x38;
    env->tr.base = HARNESS_TSS;
    env->tr.limit = 0x67;
    env->tr.flags = DESC_P_MASK | (11 << DESC_TYPE_SHIFT);
    if (mode == HARNESS_PAGED32) {
        /* PD at 0x8000, four page tables after it: 16 MiB identity. */
        for (int t = 0; t < 4; t++) {
            uint64_t pt = HARNESS_PT + 0x1000 * (t + 1);
            put32(h, HARNESS_PT + 4 * t, pt | 7);
            for (int i = 0; i < 1024; i++) {
                put32(h, pt + 4 * i, ((t * 1024 + i) << 12) | 7);
            }
        }
        env->cr[3] = HARNESS_PT;
        env->cr[0] |= CR0_PG_MASK | CR0_WP_MASK;
    } else if (mode == HARNESS_PAE) {
        put64(h, HARNESS_PT, (HARNESS_PT + 0x1000) | 1);
        for (int i = 0; i < 8; i++) {
            put64(h, HARNESS_PT + 0x1000 + 8 * i, ((uint64_t)i << 21) | 0x87);
        }
        env->cr[3] = HARNESS_PT;
        env->cr[4] |= CR4_PAE_MASK;
        env->cr[0] |= CR0_PG_MASK | CR0_WP_MASK;
    } else if (mode == HARNESS_LONG64) {
        put64(h, HARNESS_PT, (HARNESS_PT + 0x1000) | 7);
        put64(h, HARNESS_PT + 0x1000, (HARNESS_PT + 0x2000) | 7);
        for (int i = 0; i < 8; i++) {
            put64(h, HARNESS_PT + 0x2000 + 8 * i, ((uint64_t)i << 21) | 0x87);
        }
        /* A 64-bit TSS descriptor takes two slots (7 and 8). */
        put32(h, HARNESS_GDT + 8 * 8, 0);
        env->cr[3] = HARNESS_PT;
        env->cr[4] |= CR4_PAE_MASK;
        env->efer |= EFER_LME | EFER_LMA;
        env->cr[0] |= CR0_PG_MASK | CR0_WP_MASK;
        env->tr.limit = 0x67;
    }
    if (mode == HARNESS_LONG64) {
        load_seg(env, R_CS, 0x48, 0, limit_4g, F_CODE64);
    } else {
        load_seg(env, R_CS, 0x08, 0, limit_4g, F_CODE32);
    }
    for (int s = 0; s < NB_SEGS; s++) {
        if (s != R_CS) {
            load_seg(env, s, 0x10, 0, limit_4g, F_DATA32);
        }
    }
    x86_update_hflags(env);
    tlb_flush(env);
    env->eip = h->code_addr;
    return h;
}

void harness_free(CPUHarness *h)
{
    x86_cpu_destroy(h->cpu);
    address_space_unmap_region(&harness_ram);
    g_free(h);
}

void harness_set_code(CPUHarness *h, const void *code, size_t len)
{
    harness_write(h, h->code_addr, code, len);
    h->env->eip = h->code_addr;
    h->env->halted = false;
}

void harness_write(CPUHarness *h, uint64_t addr, const void *buf, size_t len)
{
    address_space_write(&address_space_memory, addr, buf, len);
    /* Until memory.c notifies the TB cache of writes, be safe here. */
    tb_invalidate_phys_range(addr, len);
}

void harness_read(CPUHarness *h, uint64_t addr, void *buf, size_t len)
{
    address_space_read(&address_space_memory, addr, buf, len);
}

int64_t harness_run(CPUHarness *h, int64_t budget)
{
    int64_t ran = cpu_run_slice(&h->cpu->parent, budget);

    h->retired += ran;
    return ran;
}

int64_t harness_run_to_halt(CPUHarness *h, int64_t budget)
{
    int64_t total = 0;

    while (total < budget && !h->env->halted) {
        int64_t ran = harness_run(h, budget - total);
        total += ran;
        if (ran == 0) {
            break;
        }
    }
    return total;
}

static bool has_error_code(int v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17;
}

bool harness_exception(CPUHarness *h, int *vector, uint32_t *error_code,
                       uint64_t *saved_eip)
{
    CPUX86State *env = h->env;
    uint64_t pc = env->segs[R_CS].base + env->eip - 1; /* after the HLT */
    uint64_t sp = env->segs[R_SS].base + env->regs[R_ESP];
    int v;
    int slot;

    if (!env->halted || pc < HARNESS_STUBS || pc >= HARNESS_STUBS + 4096 ||
        (pc - HARNESS_STUBS) % 16) {
        return false;
    }
    v = (pc - HARNESS_STUBS) / 16;
    slot = h->mode == HARNESS_LONG64 ? 8 : h->mode == HARNESS_REAL ? 2 : 4;
    if (h->mode == HARNESS_REAL) {
        sp = env->regs[R_ESP] & 0xffff;
    }
    *vector = v;
    *error_code = 0;
    if (has_error_code(v) && h->mode != HARNESS_REAL) {
        uint32_t ec = 0;
        harness_read(h, sp, &ec, 4);
        *error_code = ec;
        sp += slot;
    }
    *saved_eip = 0;
    harness_read(h, sp, saved_eip, slot);
    return true;
}

void harness_enter_ring3(CPUHarness *h)
{
    CPUX86State *env = h->env;

    if (h->mode == HARNESS_LONG64) {
        cpu_x86_load_seg_cache(env, R_CS, 0x53, 0, 0xffffffff,
                               F_CODE64 | F_DPL3);
    } else {
        cpu_x86_load_seg_cache(env, R_CS, 0x2b, 0, 0xffffffff,
                               F_CODE32 | F_DPL3);
    }
    for (int s = 0; s < NB_SEGS; s++) {
        if (s != R_CS) {
            cpu_x86_load_seg_cache(env, s, 0x33, 0, 0xffffffff,
                                   F_DATA32 | F_DPL3);
        }
    }
    x86_update_hflags(env);
}
