/*
 * GDT, IDT, TSS, exception dispatch, and the ring-3 and v86 runners.
 * Descriptor formats: SDM Vol. 3A 3.4.5 (segment descriptors), 5.8.3 (call
 * gates), 6.11 (IDT gates), 7.2 (TSS).
 */
#include "guest.h"

#define DESC(base, limit, access, flags)                                      \
    ((uint64_t)((limit)&0xFFFF) | ((uint64_t)((base)&0xFFFFFF) << 16) |       \
     ((uint64_t)(access) << 40) | ((uint64_t)(((limit) >> 16) & 0xF) << 48) | \
     ((uint64_t)(flags) << 52) | ((uint64_t)(((base) >> 24) & 0xFF) << 56))

/* In .data (initialised): entry.S loads it before clearing .bss. */
uint64_t gdt[GDT_ENTRIES] = {
    [0] = 0,
    [1] = DESC(0, 0xFFFFF, ACC_CODE_RX, FLG_G | FLG_DB),
    [2] = DESC(0, 0xFFFFF, ACC_DATA_RW, FLG_G | FLG_DB),
    [3] = DESC(0, 0xFFFF, ACC_CODE_RX, 0),
    [4] = DESC(0, 0xFFFF, ACC_DATA_RW, 0),
    [5] = DESC(0, 0xFFFFF, ACC_CODE_RX | ACC_DPL(3), FLG_G | FLG_DB),
    [6] = DESC(0, 0xFFFFF, ACC_DATA_RW | ACC_DPL(3), FLG_G | FLG_DB),
};
uint64_t idt[256] __attribute__((aligned(8)));
struct main_tss tss_main __attribute__((aligned(128)));

volatile struct exc_record exc_last;
volatile uint32_t exc_resume;
static exc_handler_t handlers[256];
static char cmdline[256];

extern char idt_stubs[];
extern void user_trampoline(void);
struct ctx {
    uint32_t ebx, esi, edi, ebp, esp, eip, eflags;
};
int ctx_save(struct ctx *c) __attribute__((returns_twice));
void ctx_restore(struct ctx *c, int val) __attribute__((noreturn));
void iret_to(uint32_t *frame, unsigned n) __attribute__((noreturn));
void v86_iret(uint32_t *frame, struct v86_regs *r) __attribute__((noreturn));
void exc_dispatch(struct exc_frame *f);
void lib_start(void);

uint64_t desc_make(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    return DESC(base, limit, access, flags);
}

void gdt_set(unsigned index, uint32_t base, uint32_t limit, uint8_t access,
             uint8_t flags)
{
    gdt[index] = DESC(base, limit, access, flags);
}

uint64_t gate_make(uint16_t sel, uint32_t offset, uint8_t type_dpl_p,
                   uint8_t params)
{
    return (uint64_t)(offset & 0xFFFF) | ((uint64_t)sel << 16) |
           ((uint64_t)(params & 0x1F) << 32) | ((uint64_t)type_dpl_p << 40) |
           ((uint64_t)(offset >> 16) << 48);
}

void gdt_set_gate(unsigned index, uint16_t sel, uint32_t offset,
                  uint8_t type_dpl_p, uint8_t params)
{
    gdt[index] = gate_make(sel, offset, type_dpl_p, params);
}

void idt_set(unsigned vector, uint16_t sel, uint32_t offset, unsigned type,
             unsigned dpl)
{
    idt[vector] = gate_make(sel, offset, ACC_P | ACC_DPL(dpl) | type, 0);
}

void idt_set_task_gate(unsigned vector, uint16_t tss_sel, unsigned dpl)
{
    idt[vector] =
        gate_make(tss_sel, 0, ACC_P | ACC_DPL(dpl) | SYS_TASK_GATE, 0);
}

uint32_t idt_stub(unsigned vector)
{
    return (uint32_t)idt_stubs + 16 * vector;
}

void idt_restore(unsigned vector)
{
    unsigned dpl = (vector == BP_VECTOR || vector == OF_VECTOR ||
                    vector == USER_EXIT_VECTOR)
                       ? 3
                       : 0;
    idt_set(vector, SEL_CODE32, idt_stub(vector), SYS_INT_GATE32, dpl);
}

void gdt_set_tss(unsigned index, struct tss32 *t, uint32_t limit)
{
    gdt[index] = DESC((uint32_t)t, limit, ACC_P | SYS_TSS32_AVAIL, 0);
}

void tss_fill(struct tss32 *t, void (*eip)(void), void *esp)
{
    memset(t, 0, sizeof(*t));
    t->eip = (uint32_t)eip;
    t->esp = (uint32_t)esp;
    t->eflags = 0x2;
    t->cs = SEL_CODE32;
    t->ds = t->es = t->ss = t->fs = t->gs = SEL_DATA32;
    t->ss0 = SEL_DATA32;
    t->esp0 = (uint32_t)esp;
    t->cr3 = read_cr3();
    t->iomap = sizeof(*t);
}

void iomap_allow(unsigned port, bool allow)
{
    if (allow) {
        tss_main.iomap[port / 8] &= ~(1u << (port % 8));
    } else {
        tss_main.iomap[port / 8] |= 1u << (port % 8);
    }
}

static const char *const exc_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
    "#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "vec15",
    "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

const char *exc_name(unsigned vector)
{
    if (vector == EXC_NONE) {
        return "none";
    }
    if (vector < 32 && exc_names[vector]) {
        return exc_names[vector];
    }
    return "INT";
}

bool exc_has_error_code(unsigned v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 ||
           v == 30;
}

void exc_clear(void)
{
    exc_last.count = 0;
    exc_last.vector = EXC_NONE;
    exc_last.error = 0;
    exc_resume = 0;
}

void exc_set_handler(unsigned vector, exc_handler_t fn)
{
    handlers[vector] = fn;
}

/* ---- ring 3 and v86 ---- */
static uint8_t user_stack[16384] __attribute__((aligned(16)));
uint32_t user_eflags = 0x2;
static struct ctx user_ctx, v86_ctx;
static volatile bool user_active, v86_active;
static struct v86_regs *v86_cur;

int user_run(void (*fn)(void *), void *arg)
{
    uint32_t *sp = (uint32_t *)(user_stack + sizeof(user_stack));
    *--sp = (uint32_t)arg;
    *--sp = (uint32_t)fn;
    int r = ctx_save(&user_ctx);
    if (r) {
        user_active = false;
        return r - 1 == USER_EXIT_VECTOR ? USER_DONE : r - 1;
    }
    uint32_t frame[6] = {
        (uint32_t)user_trampoline,
        SEL_UCODE32,
        user_eflags | 2,
        (uint32_t)sp,
        SEL_UDATA32,
        SEL_UDATA32,
    };
    user_active = true;
    iret_to(frame, 5);
}

int v86_run(struct v86_regs *r)
{
    int v = ctx_save(&v86_ctx);
    if (v) {
        v86_active = false;
        return v - 1;
    }
    uint32_t frame[10] = {
        r->eip, r->cs, r->eflags | FL_VM | 2,
        r->esp, r->ss, r->es,
        r->ds,  r->fs, r->gs,
        0,
    };
    v86_cur = r;
    v86_active = true;
    v86_iret(frame, r);
}

/* ---- dispatch ---- */
static int depth;

void exc_dispatch(struct exc_frame *f)
{
    bool from_v86 = f->eflags & FL_VM;
    bool from_user = from_v86 || (f->cs & 3);

    exc_last.vector = f->vector;
    exc_last.error = exc_has_error_code(f->vector) ? f->error : 0;
    exc_last.eip = f->eip;
    exc_last.cs = f->cs & 0xFFFF;
    exc_last.eflags = f->eflags;
    exc_last.cr2 = f->vector == PF_VECTOR ? read_cr2() : 0;
    exc_last.esp = from_user ? f->esp : (uint32_t)&f->esp;
    exc_last.ss = from_user ? f->ss & 0xFFFF : read_seg(ss);
    exc_last.eax = f->eax;
    exc_last.ecx = f->ecx;
    exc_last.edx = f->edx;
    exc_last.ebx = f->ebx;
    exc_last.esp0 = f->esp_pusha;
    exc_last.ebp = f->ebp;
    exc_last.esi = f->esi;
    exc_last.edi = f->edi;
    exc_last.count++;

    if (from_v86 && v86_active) {
        struct v86_regs *r = v86_cur;
        r->eax = f->eax, r->ecx = f->ecx, r->edx = f->edx, r->ebx = f->ebx;
        r->esp = f->esp, r->ebp = f->ebp, r->esi = f->esi, r->edi = f->edi;
        r->eip = f->eip, r->eflags = f->eflags;
        r->cs = f->cs, r->ss = f->ss;
        r->es = f->v86_es, r->ds = f->v86_ds;
        r->fs = f->v86_fs, r->gs = f->v86_gs;
        v86_active = false;
        ctx_restore(&v86_ctx, f->vector + 1);
    }
    if (handlers[f->vector]) {
        handlers[f->vector](f);
        return;
    }
    if (exc_resume) {
        f->eip = exc_resume;
        exc_resume = 0;
        return;
    }
    if (from_user && user_active) {
        user_active = false;
        ctx_restore(&user_ctx, f->vector + 1);
    }

    if (++depth > 2) {
        debug_exit(1);
    }
    printf("FAIL unexpected exception %s (vector %u) error 0x%x at "
           "%04x:%08x eflags %08x cr2 %08x\n",
           exc_name(f->vector), f->vector, exc_last.error, f->cs & 0xFFFF,
           f->eip, f->eflags, read_cr2());
    printf("  eax %08x ebx %08x ecx %08x edx %08x\n", f->eax, f->ebx, f->ecx,
           f->edx);
    printf("  esi %08x edi %08x ebp %08x esp %08x\n", f->esi, f->edi, f->ebp,
           exc_last.esp);
    report(false, "unexpected exception");
    test_exit();
}

/* ---- command line and start-up ---- */
bool cmdline_has(const char *word)
{
    size_t n = strlen(word);
    for (const char *p = cmdline; *p; p++) {
        if ((p == cmdline || p[-1] == ' ') && !memcmp(p, word, n) &&
            (p[n] == 0 || p[n] == ' ')) {
            return true;
        }
    }
    return false;
}

bool quirk_tcg(void)
{
    return cmdline_has("qemu-tcg");
}

void lib_start(void)
{
    /* Multiboot info: flags bit 2 says cmdline (offset 16) is valid. */
    if (mb_magic == 0x2BADB002 && mb_info) {
        const uint32_t *info = (const uint32_t *)mb_info;
        if (info[0] & 4) {
            const char *s = (const char *)info[4];
            size_t i;
            for (i = 0; i + 1 < sizeof(cmdline) && s[i]; i++) {
                cmdline[i] = s[i];
            }
            cmdline[i] = 0;
        }
    }

    for (unsigned v = 0; v < 256; v++) {
        idt_restore(v);
    }
    struct dtr d = { sizeof(idt) - 1, (uint32_t)idt };
    lidt(&d);

    memset(&tss_main, 0, sizeof(tss_main));
    tss_main.t.ss0 = SEL_DATA32;
    tss_main.t.esp0 = (uint32_t)trap_stack_top;
    tss_main.t.iomap = sizeof(struct tss32);
    tss_main.t.cr3 = read_cr3(); /* loaded when a task switches back */
    memset(tss_main.iomap, 0xFF, sizeof(tss_main.iomap));
    for (unsigned p = 0x3F8; p <= 0x3FF; p++) {
        iomap_allow(p, true);
    }
    iomap_allow(0xE9, true);
    for (unsigned p = 0xF4; p <= 0xF7; p++) {
        iomap_allow(p, true);
    }
    gdt_set_tss(SEL_TSS >> 3, &tss_main.t, sizeof(tss_main) - 1);
    ltr(SEL_TSS);

    /* Mask both 8259s: the firmware may have unmasked the timer, whose
     * vector 8 would collide with #DF once a test sets IF. */
    outb(0x21, 0xFF);
    outb(0xA1, 0xFF);

    /* CR0: PE, ET, NE (x87 errors as #MF); no paging, TS, EM, AM, WP. */
    write_cr0(CR0_PE | CR0_ET | CR0_NE | CR0_MP);
    write_cr4(0);
    asm volatile("fninit");
    exc_clear();

    printf("START: %s%s%s\n", test_name, *cmdline ? " cmdline: " : "", cmdline);
    main();
    test_exit();
}
