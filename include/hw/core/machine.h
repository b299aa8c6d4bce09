/*
 * Machine types (-machine): a registry of named machines, each a function
 * that builds the board from the configuration.
 */
#ifndef HW_CORE_MACHINE_H
#define HW_CORE_MACHINE_H

#include "qemu/osdep.h"
#include "qemu/error.h"
#include "exec/memory.h"
#include "sysemu/config.h"

typedef struct MachineState {
    const MachineConfig *cfg;
    const struct MachineClass *mc;
    MemoryRegion ram;
    bool has_ram;
} MachineState;

typedef struct MachineClass {
    const char *name;
    const char *desc;
    bool is_default;
    /* Builds the board: RAM, CPUs, devices from cfg. */
    bool (*init)(MachineState *ms, Error **errp);
} MachineClass;

void machine_register(const MachineClass *mc);
const MachineClass *machine_find(const char *name);
/* "Supported machines are:" and one line per machine. */
void machine_print_help(FILE *f);
/*
 * Names QEMU has that this emulator does not build yet: "-machine q35"
 * is refused as "not supported yet" rather than unknown.
 */
bool machine_is_planned(const char *name);

/* Creates the machine named in cfg; the error names the option. */
MachineState *machine_create(const MachineConfig *cfg, Error **errp);
extern MachineState *current_machine;

/* Registers the machines built into this binary. */
void machine_register_builtin(void);

#endif
