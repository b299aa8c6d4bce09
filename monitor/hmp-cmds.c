/*
 * The monitor's built-in commands: help, info and its basic sub-commands,
 * run control (stop, cont, quit, system_reset, system_powerdown) and I/O
 * port access (i, o).  Names, parameters and help texts follow QEMU's HMP.
 */
#include "qemu/osdep.h"
#include "config-host.h"
#include "monitor/monitor-internal.h"
#include "sysemu/runstate.h"
#include "exec/memory.h"
#include "exec/ioport.h"

/* Prints QEMU's complaint about surplus words; true if there were some. */
static bool hmp_extra_args(Monitor *mon, int argc, char **argv, int max)
{
    if (argc <= max) {
        return false;
    }
    monitor_printf(mon, "%s: extraneous characters at the end of line\n",
                   argv[0]);
    return true;
}

/* ---- run control ---- */

static void hmp_stop(Monitor *mon, int argc, char **argv)
{
    if (hmp_extra_args(mon, argc, argv, 1)) {
        return;
    }
    /* As in QEMU, stopping a VM that is not running keeps its state. */
    if (runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED);
    }
}

static void hmp_cont(Monitor *mon, int argc, char **argv)
{
    RunState state = runstate_get();

    if (hmp_extra_args(mon, argc, argv, 1)) {
        return;
    }
    /* The guest shut down or the emulation failed: only a reset helps. */
    if (state == RUN_STATE_SHUTDOWN || state == RUN_STATE_INTERNAL_ERROR) {
        error_report("Error: Resetting the Virtual Machine is required");
        return;
    }
    vm_start();
}

static void hmp_quit(Monitor *mon, int argc, char **argv)
{
    if (hmp_extra_args(mon, argc, argv, 1)) {
        return;
    }
    /* Nothing typed after "quit" runs: the emulator is on its way out. */
    monitor_suspend(mon);
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

static void hmp_system_reset(Monitor *mon, int argc, char **argv)
{
    if (hmp_extra_args(mon, argc, argv, 1)) {
        return;
    }
    qemu_system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
}

static void hmp_system_powerdown(Monitor *mon, int argc, char **argv)
{
    if (hmp_extra_args(mon, argc, argv, 1)) {
        return;
    }
    qemu_system_powerdown_request();
}

/* ---- I/O ports ---- */

/*
 * Parses "[/fmt] addr [value...]" for i and o: nvalues words after the
 * address.  Returns false after printing what is wrong.
 */
static bool hmp_parse_port_args(Monitor *mon, int argc, char **argv,
                                int nvalues, int *size, uint64_t *vals)
{
    MonitorFormat fmt;
    const char *usage = nvalues ? "o /fmt addr value" : "i /fmt addr";
    int i = 1;

    if (argc > 1 && argv[1][0] == '/') {
        if (!monitor_parse_format(mon, argv[1], &fmt)) {
            return false;
        }
        i++;
    } else {
        monitor_parse_format(mon, NULL, &fmt);
    }
    if (argc - i < 1 + nvalues) {
        monitor_printf(mon, "%s: missing argument (usage: %s)\n", argv[0],
                       usage);
        return false;
    }
    if (hmp_extra_args(mon, argc, argv, i + 1 + nvalues)) {
        return false;
    }
    for (int v = 0; v <= nvalues; v++) {
        if (!monitor_parse_number(mon, argv[i + v], &vals[v])) {
            return false;
        }
    }
    /* Like QEMU: anything but halfword and word is a byte access. */
    *size = fmt.size == 2 || fmt.size == 4 ? fmt.size : 1;
    return true;
}

static void hmp_ioport_read(Monitor *mon, int argc, char **argv)
{
    uint64_t addr;
    uint32_t val;
    int size;

    if (!hmp_parse_port_args(mon, argc, argv, 0, &size, &addr)) {
        return;
    }
    addr &= 0xffff;
    switch (size) {
    case 2:
        val = cpu_inw(addr);
        break;
    case 4:
        val = cpu_inl(addr);
        break;
    default:
        val = cpu_inb(addr);
        break;
    }
    monitor_printf(mon, "port%c[0x%04x] = 0x%0*x\n",
                   size == 1   ? 'b'
                   : size == 2 ? 'w'
                               : 'l',
                   (unsigned)addr, size * 2, val);
}

static void hmp_ioport_write(Monitor *mon, int argc, char **argv)
{
    uint64_t args[2];
    int size;

    if (!hmp_parse_port_args(mon, argc, argv, 1, &size, args)) {
        return;
    }
    args[0] &= 0xffff;
    switch (size) {
    case 2:
        cpu_outw(args[0], args[1]);
        break;
    case 4:
        cpu_outl(args[0], args[1]);
        break;
    default:
        cpu_outb(args[0], args[1]);
        break;
    }
}

/* ---- info ---- */

static void hmp_info_version(Monitor *mon, int argc, char **argv)
{
    const char *pkg = QEMU_PKGVERSION;

    if (*pkg) {
        monitor_printf(mon, "%s (%s)\n", QEMU_VERSION, pkg);
    } else {
        monitor_printf(mon, "%s\n", QEMU_VERSION);
    }
}

static void hmp_info_status(Monitor *mon, int argc, char **argv)
{
    RunState state = runstate_get();

    /* QEMU's wording: "paused" plus the reason unless the user paused. */
    if (runstate_is_running()) {
        monitor_printf(mon, "VM status: running\n");
    } else if (state == RUN_STATE_PAUSED) {
        monitor_printf(mon, "VM status: paused\n");
    } else {
        monitor_printf(mon, "VM status: paused (%s)\n", runstate_name(state));
    }
}

static void info_chardev_one(Chardev *chr, void *opaque)
{
    monitor_printf(opaque, "%s: filename=%s\n", chr->label,
                   chr->filename ? chr->filename : "");
}

static void hmp_info_chardev(Monitor *mon, int argc, char **argv)
{
    qemu_chr_foreach(info_chardev_one, mon);
}

static void hmp_info_mtree(Monitor *mon, int argc, char **argv)
{
    GString *out = g_string_new(NULL);

    address_space_print(&address_space_memory, out);
    g_string_append_c(out, '\n');
    address_space_print(&address_space_io, out);
    monitor_puts(mon, out->str);
    g_string_free(out, TRUE);
}

static void hmp_info_history(Monitor *mon, int argc, char **argv)
{
    const char *line;

    for (int i = 0; (line = readline_history_get(&mon->rs, i)); i++) {
        monitor_printf(mon, "%d: '%s'\n", i, line);
    }
}

/* ---- tables ---- */

static const HMPCommand builtin_cmds[] = {
    { "help|?", "[cmd]", "show the help", hmp_help },
    { "info", "[subcommand]", "show various information about the system state",
      hmp_info },
    { "stop|s", "", "stop emulation", hmp_stop },
    { "cont|c", "", "resume emulation", hmp_cont },
    { "quit|q", "", "quit the emulator", hmp_quit },
    { "system_reset", "", "reset the system", hmp_system_reset },
    { "system_powerdown", "", "send system power down event",
      hmp_system_powerdown },
    { "i", "/fmt addr", "I/O port read", hmp_ioport_read },
    { "o", "/fmt addr value", "I/O port write", hmp_ioport_write },
};

static const HMPCommand builtin_info_cmds[] = {
    { "version", "", "show the version of QEMU", hmp_info_version },
    { "status", "", "show the current VM status (running|paused)",
      hmp_info_status },
    { "chardev", "", "show the character devices", hmp_info_chardev },
    { "mtree", "", "show memory tree", hmp_info_mtree },
    { "history", "", "show the command line history", hmp_info_history },
};

void hmp_register_builtin_commands(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(builtin_cmds); i++) {
        monitor_register_command(&builtin_cmds[i]);
    }
    for (size_t i = 0; i < ARRAY_SIZE(builtin_info_cmds); i++) {
        monitor_register_info(&builtin_info_cmds[i]);
    }
}
