/*
 * qemu-system-x86_64: parse the command line, build the machine, run it.
 */
#include "qemu/osdep.h"
#include "qemu/error.h"
#include "sysemu/config.h"
#include "sysemu/runstate.h"
#include "sysemu/sysemu.h"
#include "hw/core/machine.h"
#include "hw/core/qdev.h"
#include "chardev/char.h"

static void cleanup_at_exit(void)
{
    /* Every exit path (guest exit, error, signal) restores the terminal. */
    qemu_cleanup();
}

int main(int argc, char **argv)
{
    MachineConfig *cfg;
    Error *err = NULL;
    int ret;

    error_set_progname(argv[0]);
    machine_register_builtin();
    device_register_builtin();
    qemu_chr_register_builtin_classes();

    cfg = machine_config_new();
    ret = qemu_config_parse(cfg, argc, argv, &err);
    if (ret < 0) {
        error_report_err(err);
        return 1;
    }
    if (ret == CONFIG_ACTION_EXIT) {
        machine_config_free(cfg);
        return 0;
    }
    machine_config_apply_defaults(cfg);

    atexit(cleanup_at_exit);
    if (!qemu_init(cfg, &err)) {
        error_report_err(err);
        return 1;
    }
    return qemu_main_loop();
}
