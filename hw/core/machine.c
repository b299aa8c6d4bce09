/*
 * The machine registry and the "none" machine.
 */
#include "qemu/osdep.h"
#include "hw/core/machine.h"
#include "sysemu/runstate.h"
#include "hw/i386/pc.h"

MachineState *current_machine;
static GPtrArray *machines;

/* QEMU machine names that later issues build. */
static const char *const planned_machines[] = {
    "pc-i440fx-8.2",
    "q35",
    "isapc",
    "microvm",
};

void machine_register(const MachineClass *mc)
{
    if (!machines) {
        machines = g_ptr_array_new();
    }
    g_ptr_array_add(machines, (gpointer)mc);
}

const MachineClass *machine_find(const char *name)
{
    for (guint i = 0; machines && i < machines->len; i++) {
        const MachineClass *mc = g_ptr_array_index(machines, i);
        if (!strcmp(mc->name, name)) {
            return mc;
        }
    }
    return NULL;
}

bool machine_is_planned(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(planned_machines); i++) {
        if (!strcmp(planned_machines[i], name)) {
            return true;
        }
    }
    return false;
}

void machine_print_help(FILE *f)
{
    fprintf(f, "Supported machines are:\n");
    for (guint i = 0; machines && i < machines->len; i++) {
        const MachineClass *mc = g_ptr_array_index(machines, i);
        fprintf(f, "%-20s %s%s\n", mc->name, mc->desc,
                mc->is_default ? " (default)" : "");
    }
}

MachineState *machine_create(const MachineConfig *cfg, Error **errp)
{
    const MachineClass *mc = machine_find(cfg->machine_type);
    MachineState *ms;

    if (!mc) {
        error_setg(errp, "-machine %s: machine '%s' is not supported yet",
                   cfg->machine_type, cfg->machine_type);
        return NULL;
    }
    ms = g_new0(MachineState, 1);
    ms->cfg = cfg;
    ms->mc = mc;
    if (!mc->init(ms, errp)) {
        g_free(ms);
        return NULL;
    }
    current_machine = ms;
    return ms;
}

/*
 * "none": RAM at address 0 and nothing else.  Useful to run the main loop,
 * the monitor and devices without a board (and for tests).
 */
static bool machine_none_init(MachineState *ms, Error **errp)
{
    if (ms->cfg->kernel) {
        error_setg(errp,
                   "-kernel %s: the none machine has no CPU to boot "
                   "it (use -machine pc)",
                   ms->cfg->kernel);
        return false;
    }
    if (!memory_region_init_ram(&ms->ram, "ram", ms->cfg->ram_size, errp)) {
        return false;
    }
    ms->has_ram = true;
    return address_space_map_region(&address_space_memory, 0, &ms->ram, 0,
                                    errp);
}

static const MachineClass machine_none = {
    .name = "none",
    .desc = "empty machine",
    .init = machine_none_init,
};

void machine_register_builtin(void)
{
    machine_register(&pc_machine);
    machine_register(&machine_none);
}
