/*
 * The "pc" machine: an i440FX/PIIX3-era PC.  This first version builds
 * the memory map, the CPU, the interrupt controller, the timer, the
 * serial ports and the POST port, and boots Multiboot kernels directly
 * (-kernel); firmware, ACPI, PCI and the other PC devices come with the
 * PC machine issue.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/ioport.h"
#include "sysemu/runstate.h"
#include "sysemu/sysemu.h"
#include "hw/core/machine.h"
#include "hw/core/irq.h"
#include "hw/char/serial.h"
#include "hw/intc/i8259.h"
#include "hw/timer/i8254.h"
#include "hw/i386/multiboot.h"
#include "hw/i386/pc.h"
#include "target/i386/cpu.h"
#include "target/i386/x87.h"

/* Below this RAM size all RAM sits below 4 GiB (as QEMU's pc). */
#define PC_LOWMEM_MAX   0xe0000000ull
#define PC_LOWMEM_SPLIT 0xc0000000ull

typedef struct PCMachineState {
    MachineState *ms;
    MemoryRegion ram_low;   /* 0 - 640 KiB */
    MemoryRegion ram_bios;  /* 768 KiB - 1 MiB: shadow RAM for firmware */
    MemoryRegion ram_high;  /* 1 MiB - below_4g */
    MemoryRegion ram_above; /* 4 GiB - */
    MemoryRegion post;
    MemoryRegion ferr_port; /* F0h: clear the coprocessor error */
    uint64_t below_4g, above_4g;
    X86CPU *cpu;
    PICState *pic;
    PITState *pit;
    qemu_irq *isa_irqs;
    MultibootImage *multiboot;
} PCMachineState;

static PCMachineState *pc_state;

static void pc_cpu_intr(void *opaque, int n, int level)
{
    x86_cpu_set_intr(opaque, level);
}

static int pc_intr_ack(void *opaque)
{
    return pic_read_irq(opaque);
}

static qemu_irq pc_isa_irq(int irq)
{
    if (!pc_state || irq < 0 || irq > 15) {
        return NULL;
    }
    /* IRQ 2 is the cascade; ISA IRQ 2 arrives at IRQ 9 (as on a PC). */
    return pc_state->isa_irqs[irq == 2 ? 9 : irq];
}

/* Port 0x80: POST codes, written by firmware, ignored. */
static uint64_t post_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0xff;
}

static void post_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
}

static const MemoryRegionOps post_ops = {
    .read = post_read,
    .write = post_write,
    .valid.min_access_size = 1,
    .valid.max_access_size = 4,
    .impl.min_access_size = 1,
    .impl.max_access_size = 1,
};

/*
 * The PC's x87 error wiring (with CR0.NE = 0): FERR# raises IRQ 13; the
 * handler writes port F0h, which lowers IRQ 13 and asserts IGNNE# until
 * FERR# goes away, so the handler's own x87 instructions can run.
 */
static void pc_ferr(void *opaque, int level)
{
    PCMachineState *s = opaque;

    qemu_set_irq(s->isa_irqs[13], level);
    if (!level) {
        x86_cpu_set_ignne(s->cpu, 0);
    }
}

static uint64_t ferr_port_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0xff;
}

static void ferr_port_write(void *opaque, hwaddr addr, uint64_t val,
                            unsigned size)
{
    PCMachineState *s = opaque;

    qemu_set_irq(s->isa_irqs[13], 0);
    if (s->cpu->env.ferr) {
        x86_cpu_set_ignne(s->cpu, 1);
    }
}

static const MemoryRegionOps ferr_port_ops = {
    .read = ferr_port_read,
    .write = ferr_port_write,
    .valid.min_access_size = 1,
    .valid.max_access_size = 4,
    .impl.min_access_size = 1,
    .impl.max_access_size = 1,
};

static void pc_reset(void *opaque)
{
    PCMachineState *s = opaque;

    if (s->multiboot) {
        multiboot_reset(s->multiboot, &s->cpu->env);
    }
}

static bool pc_init_memory(PCMachineState *s, Error **errp)
{
    MachineState *ms = s->ms;
    uint64_t ram = ms->cfg->ram_size;

    s->below_4g = ram >= PC_LOWMEM_MAX ? PC_LOWMEM_SPLIT : ram;
    s->above_4g = ram - s->below_4g;
    if (!memory_region_init_ram(&ms->ram, "pc.ram", ram, errp)) {
        return false;
    }
    ms->has_ram = true;
    /*
     * 640 KiB - 768 KiB is the VGA window (no RAM); 768 KiB - 1 MiB holds
     * option ROMs and the BIOS as shadow RAM.
     */
    memory_region_init_alias(&s->ram_low, "ram-below-640k", &ms->ram, 0,
                             MIN(s->below_4g, 0xa0000));
    if (!address_space_map_region(&address_space_memory, 0, &s->ram_low, 0,
                                  errp)) {
        return false;
    }
    if (s->below_4g > 0xc0000) {
        memory_region_init_alias(&s->ram_bios, "ram-bios-shadow", &ms->ram,
                                 0xc0000, MIN(s->below_4g, 0x100000) - 0xc0000);
        if (!address_space_map_region(&address_space_memory, 0xc0000,
                                      &s->ram_bios, 0, errp)) {
            return false;
        }
    }
    if (s->below_4g > 0x100000) {
        memory_region_init_alias(&s->ram_high, "ram-below-4g", &ms->ram,
                                 0x100000, s->below_4g - 0x100000);
        if (!address_space_map_region(&address_space_memory, 0x100000,
                                      &s->ram_high, 0, errp)) {
            return false;
        }
    }
    if (s->above_4g) {
        memory_region_init_alias(&s->ram_above, "ram-above-4g", &ms->ram,
                                 s->below_4g, s->above_4g);
        if (!address_space_map_region(&address_space_memory, 4 * GiB,
                                      &s->ram_above, 0, errp)) {
            return false;
        }
    }
    return true;
}

static bool pc_init(MachineState *ms, Error **errp)
{
    PCMachineState *s = g_new0(PCMachineState, 1);
    const MachineConfig *cfg = ms->cfg;
    CPUX86State *env;

    s->ms = ms;
    pc_state = s;
    if (!pc_init_memory(s, errp)) {
        return false;
    }
    s->cpu = x86_cpu_create(cfg->cpu_model, errp);
    if (!s->cpu) {
        error_prepend(errp, "-cpu %s: ", cfg->cpu_model);
        return false;
    }
    env = &s->cpu->env;

    /* Interrupts: the 8259 pair drives the CPU's INTR pin. */
    s->pic =
        i8259_init(qemu_allocate_irq(pc_cpu_intr, s->cpu, 0), &s->isa_irqs);
    env->get_intr_vector = pc_intr_ack;
    env->intr_opaque = s->pic;
    s->pit = i8254_init(0x40, s->isa_irqs[0]);
    serial_set_isa_irq_lookup(pc_isa_irq);
    for (int i = 0; i < serial_max_hds() && i < SERIAL_MAX_PORTS; i++) {
        const char *spec = g_ptr_array_index(cfg->serials, i);

        if (!strcmp(spec, "none")) {
            continue;
        }
        if (!serial_isa_init(i, serial_isa_default_iobase(i),
                             s->isa_irqs[serial_isa_default_irq(i)],
                             serial_hd(i), errp)) {
            return false;
        }
    }
    if (!portio_register(&s->post, 0x80, 1, &post_ops, s, "ioport80", errp) ||
        !portio_register(&s->ferr_port, 0xf0, 1, &ferr_port_ops, s, "ferr",
                         errp)) {
        return false;
    }
    env->ferr_irq = pc_ferr;
    env->ferr_opaque = s;

    if (!cfg->kernel) {
        error_setg(errp, "-machine pc: booting without -kernel needs "
                         "firmware (-bios), which is not supported yet");
        return false;
    }
    s->multiboot = multiboot_load(cfg->kernel, cfg->append, cfg->initrd,
                                  s->below_4g, s->above_4g, errp);
    if (!s->multiboot) {
        if (errp && !*errp) {
            error_setg(errp,
                       "-kernel %s: not a Multiboot kernel (Linux "
                       "kernels are not supported yet)",
                       cfg->kernel);
        }
        return false;
    }
    qemu_register_reset(pc_reset, s);
    return true;
}

const MachineClass pc_machine = {
    .name = "pc",
    .desc = "Standard PC (i440FX + PIIX, 1996)",
    .is_default = true,
    .init = pc_init,
};
