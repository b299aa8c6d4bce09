/*
 * The command line: QEMU's options parsed into a MachineConfig.
 *
 * Parsing only records what was asked for and checks what can be checked
 * without building anything (syntax, values, that named files exist).
 * Whether the emulator can build it is decided afterwards, by
 * qemu_config_check_supported() and by the subsystems themselves, so the
 * same parser serves the unit tests, the binary and replay's config check.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "qemu/option.h"
#include "sysemu/config.h"
#include "sysemu/sysemu.h"
#include "hw/core/machine.h"
#include "hw/core/qdev.h"
#include "chardev/char.h"
#include "monitor/monitor.h"
#include "qemu/main-loop.h"
#include "sysemu/cpu-timers.h"
#include "sysemu/runstate.h"
#include "config-host.h"
#include <sys/stat.h>

#define DEFAULT_RAM_SIZE (128 * MiB)

typedef enum OptionIndex {
    OPT_HELP,
    OPT_VERSION,
    OPT_MACHINE,
    OPT_CPU,
    OPT_ACCEL,
    OPT_ENABLE_KVM,
    OPT_MEMORY,
    OPT_SMP,
    OPT_KERNEL,
    OPT_INITRD,
    OPT_APPEND,
    OPT_BIOS,
    OPT_DATADIR,
    OPT_BOOT,
    OPT_ICOUNT,
    OPT_RTC,
    OPT_DRIVE,
    OPT_HDA,
    OPT_HDB,
    OPT_HDC,
    OPT_HDD,
    OPT_CDROM,
    OPT_SNAPSHOT,
    OPT_BLOCKDEV,
    OPT_DEVICE,
    OPT_NETDEV,
    OPT_NIC,
    OPT_NET,
    OPT_OBJECT,
    OPT_SERIAL,
    OPT_PARALLEL,
    OPT_CHARDEV,
    OPT_MONITOR,
    OPT_QMP,
    OPT_MON,
    OPT_DEBUGCON,
    OPT_NOGRAPHIC,
    OPT_DISPLAY,
    OPT_VGA,
    OPT_VNC,
    OPT_NO_REBOOT,
    OPT_NO_SHUTDOWN,
    OPT_FREEZE,
    OPT_GDB_DEFAULT,
    OPT_GDB,
    OPT_AUDIODEV,
    OPT_SOUNDHW,
    OPT_NAME,
    OPT_KEYBOARD,
    OPT_NODEFAULTS,
    OPT_LOG_ITEMS,
    OPT_LOG_FILE,
    OPT_FW_CFG,
} OptionIndex;

typedef struct QEMUOption {
    const char *name;
    OptionIndex index;
    const char *arg; /* NULL: takes no argument */
    const char *help;
} QEMUOption;

/* In the order -help prints them. */
static const QEMUOption qemu_options[] = {
    { "h", OPT_HELP, NULL, "display this help and exit" },
    { "help", OPT_HELP, NULL, NULL },
    { "version", OPT_VERSION, NULL, "display version information and exit" },
    { "machine", OPT_MACHINE, "[type=]name[,prop=value[,...]]",
      "select the emulated machine ('-machine help' for a list)" },
    { "M", OPT_MACHINE, "name", "same as -machine" },
    { "cpu", OPT_CPU, "model[,+feature|-feature,...]",
      "select the CPU model ('-cpu help' for a list)" },
    { "accel", OPT_ACCEL, "[accel=]name",
      "select the accelerator: only 'tcg' (instruction counting)" },
    { "enable-kvm", OPT_ENABLE_KVM, NULL,
      "enable KVM (not supported: record/replay needs TCG)" },
    { "m", OPT_MEMORY, "[size=]megs",
      "guest RAM size (default 128M; suffixes K, M, G, T)" },
    { "smp", OPT_SMP, "[cpus=]n[,sockets=,cores=,threads=,maxcpus=]",
      "number of CPUs (only 1 is supported)" },
    { "kernel", OPT_KERNEL, "bzImage",
      "boot this Linux kernel or "
      "multiboot image directly" },
    { "initrd", OPT_INITRD, "file", "use 'file' as the initial ram disk" },
    { "append", OPT_APPEND, "cmdline", "the kernel command line" },
    { "bios", OPT_BIOS, "file", "the firmware image" },
    { "L", OPT_DATADIR, "path",
      "a directory to search for firmware ('-L help' lists them)" },
    { "boot", OPT_BOOT, "[order=]drives[,once=,menu=on|off,strict=on|off]",
      "the boot order for the firmware" },
    { "icount", OPT_ICOUNT,
      "[shift=]N|auto[,align=on|off][,sleep=on|off]"
      "[,rr=record|replay,rrfile=file[,rrsnapshot=name]]",
      "count instructions: guest time is 2^N ns per instruction; "
      "rr= records or replays the execution" },
    { "rtc", OPT_RTC,
      "[base=utc|localtime|date][,clock=host|rt|vm][,driftfix=none|slew]",
      "set the RTC start time and clock" },
    { "drive", OPT_DRIVE,
      "[file=file][,if=type][,media=d][,index=i]"
      "[,format=f][,snapshot=on|off][,id=name][,driver=d][,...]",
      "define a drive" },
    { "hda", OPT_HDA, "file", "use 'file' as IDE hard disk 0" },
    { "hdb", OPT_HDB, "file", "use 'file' as IDE hard disk 1" },
    { "hdc", OPT_HDC, "file", "use 'file' as IDE hard disk 2" },
    { "hdd", OPT_HDD, "file", "use 'file' as IDE hard disk 3" },
    { "cdrom", OPT_CDROM, "file", "use 'file' as the IDE CD-ROM" },
    { "snapshot", OPT_SNAPSHOT, NULL,
      "write to temporary files instead of disk images" },
    { "blockdev", OPT_BLOCKDEV, "driver=d,node-name=n[,...]",
      "define a block node" },
    { "device", OPT_DEVICE, "driver[,prop=value][,...]",
      "add a device ('-device help' for a list, '-device NAME,help' for "
      "its properties)" },
    { "netdev", OPT_NETDEV, "user|socket|...,id=str[,...]",
      "configure a network back-end" },
    { "nic", OPT_NIC, "[user|...][,model=type][,mac=addr][,...]",
      "a network back-end and NIC in one" },
    { "net", OPT_NET, "none|nic[,...]|user[,...]",
      "legacy network set-up; '-net none' for no network" },
    { "object", OPT_OBJECT, "type,id=name[,prop=value][,...]",
      "create an object (filter-replay, ...)" },
    { "serial", OPT_SERIAL, "dev",
      "redirect the next serial port to character device 'dev'" },
    { "parallel", OPT_PARALLEL, "dev",
      "redirect the parallel port to 'dev' ('none' only)" },
    { "chardev", OPT_CHARDEV, "backend,id=id[,mux=on|off][,...]",
      "define a character device ('-chardev help' for back-ends)" },
    { "monitor", OPT_MONITOR, "dev",
      "redirect the monitor to character device 'dev'" },
    { "qmp", OPT_QMP, "dev", "a QMP monitor on character device 'dev'" },
    { "mon", OPT_MON, "[chardev=]name[,mode=readline|control]",
      "a monitor on an existing chardev" },
    { "debugcon", OPT_DEBUGCON, "dev",
      "redirect the debug console (port 0xe9) to 'dev'" },
    { "nographic", OPT_NOGRAPHIC, NULL,
      "no display; serial port and monitor muxed on stdio" },
    { "display", OPT_DISPLAY, "type", "select the display ('none')" },
    { "vga", OPT_VGA, "type", "select the video card ('none')" },
    { "vnc", OPT_VNC, "display", "start a VNC server" },
    { "no-reboot", OPT_NO_REBOOT, NULL, "exit instead of rebooting" },
    { "no-shutdown", OPT_NO_SHUTDOWN, NULL,
      "stop instead of exiting when the guest shuts down" },
    { "S", OPT_FREEZE, NULL,
      "do not start the CPU at start-up ('cont' "
      "in the monitor starts it)" },
    { "s", OPT_GDB_DEFAULT, NULL, "shorthand for -gdb tcp::1234" },
    { "gdb", OPT_GDB, "dev", "accept a gdb connection on 'dev'" },
    { "audiodev", OPT_AUDIODEV, "driver,id=id[,...]",
      "define an audio back-end" },
    { "soundhw", OPT_SOUNDHW, "card", "legacy sound card option" },
    { "name", OPT_NAME, "string", "a name for the guest" },
    { "k", OPT_KEYBOARD, "language", "keyboard layout (e.g. 'fr')" },
    { "nodefaults", OPT_NODEFAULTS, NULL, "create no default devices" },
    { "d", OPT_LOG_ITEMS, "item1,...",
      "enable logging of items "
      "('-d help' for a list)" },
    { "D", OPT_LOG_FILE, "logfile",
      "write the log to logfile (default "
      "stderr)" },
    { "fw_cfg", OPT_FW_CFG, "[name=]name,file=file|string=str",
      "add a named fw_cfg entry" },
};

/* One key per line reads best in these tables. */
/* clang-format off */
/* ---- option descriptions for the groups with fixed keys ---- */

static const QemuOptDesc icount_desc[] = {
    { "shift", QEMU_OPT_STRING, "N (0-10) or auto" },
    { "align", QEMU_OPT_BOOL },
    { "sleep", QEMU_OPT_BOOL },
    { "rr", QEMU_OPT_STRING, "off, record or replay" },
    { "rrfile", QEMU_OPT_STRING },
    { "rrsnapshot", QEMU_OPT_STRING },
    { NULL },
};

static const QemuOptDesc machine_desc[] = {
    { "type", QEMU_OPT_STRING },
    { "accel", QEMU_OPT_STRING },
    { NULL },
};

static const QemuOptDesc accel_desc[] = {
    { "accel", QEMU_OPT_STRING },
    { NULL },
};

static const QemuOptDesc memory_desc[] = {
    { "size", QEMU_OPT_STRING },
    { "slots", QEMU_OPT_NUMBER },
    { "maxmem", QEMU_OPT_SIZE },
    { NULL },
};

static const QemuOptDesc smp_desc[] = {
    { "cpus", QEMU_OPT_NUMBER },
    { "sockets", QEMU_OPT_NUMBER },
    { "dies", QEMU_OPT_NUMBER },
    { "cores", QEMU_OPT_NUMBER },
    { "threads", QEMU_OPT_NUMBER },
    { "maxcpus", QEMU_OPT_NUMBER },
    { NULL },
};

static const QemuOptDesc rtc_desc[] = {
    { "base", QEMU_OPT_STRING },
    { "clock", QEMU_OPT_STRING },
    { "driftfix", QEMU_OPT_STRING },
    { NULL },
};

static const QemuOptDesc boot_desc[] = {
    { "order", QEMU_OPT_STRING },       { "once", QEMU_OPT_STRING },
    { "menu", QEMU_OPT_BOOL },          { "splash", QEMU_OPT_STRING },
    { "splash-time", QEMU_OPT_NUMBER }, { "reboot-timeout", QEMU_OPT_NUMBER },
    { "strict", QEMU_OPT_BOOL },        { NULL },
};

static const QemuOptDesc display_desc[] = {
    { "type", QEMU_OPT_STRING },
    { NULL },
};

static const QemuOptDesc mon_desc[] = {
    { "chardev", QEMU_OPT_STRING },
    { "mode", QEMU_OPT_STRING },
    { "pretty", QEMU_OPT_BOOL },
    { NULL },
};

static const QemuOptDesc fw_cfg_desc[] = {
    { "name", QEMU_OPT_STRING },
    { "file", QEMU_OPT_STRING },
    { "string", QEMU_OPT_STRING },
    { NULL },
};

/* The CPU models -cpu accepts (the CPU issues implement them). */
static const struct {
    const char *name;
    const char *desc;
} cpu_models[] = {
    { "qemu64", "QEMU Virtual CPU version 2.5+ (default)" },
};
/* clang-format on */

MachineConfig *machine_config_new(void)
{
    MachineConfig *cfg = g_new0(MachineConfig, 1);

    cfg->machine_type = g_strdup("pc");
    cfg->accel = g_strdup("tcg");
    cfg->cpu_model = g_strdup("qemu64");
    cfg->ram_size = DEFAULT_RAM_SIZE;
    cfg->smp_cpus = 1;
    cfg->icount.shift_auto = true;
    cfg->icount.sleep = true;
    cfg->firmware_dirs = g_ptr_array_new_with_free_func(g_free);
    cfg->drives =
        g_ptr_array_new_with_free_func((GDestroyNotify)qemu_opts_free);
    cfg->blockdevs =
        g_ptr_array_new_with_free_func((GDestroyNotify)qemu_opts_free);
    cfg->devices =
        g_ptr_array_new_with_free_func((GDestroyNotify)qemu_opts_free);
    cfg->netdevs =
        g_ptr_array_new_with_free_func((GDestroyNotify)qemu_opts_free);
    cfg->nics = g_ptr_array_new_with_free_func((GDestroyNotify)qemu_opts_free);
    cfg->chardevs =
        g_ptr_array_new_with_free_func((GDestroyNotify)qemu_opts_free);
    cfg->objects =
        g_ptr_array_new_with_free_func((GDestroyNotify)qemu_opts_free);
    cfg->audiodevs =
        g_ptr_array_new_with_free_func((GDestroyNotify)qemu_opts_free);
    cfg->mons = g_ptr_array_new_with_free_func((GDestroyNotify)qemu_opts_free);
    cfg->fw_cfg =
        g_ptr_array_new_with_free_func((GDestroyNotify)qemu_opts_free);
    cfg->serials = g_ptr_array_new_with_free_func(g_free);
    cfg->parallels = g_ptr_array_new_with_free_func(g_free);
    cfg->monitors = g_ptr_array_new_with_free_func(g_free);
    cfg->qmps = g_ptr_array_new_with_free_func(g_free);
    return cfg;
}

void machine_config_free(MachineConfig *cfg)
{
    if (!cfg) {
        return;
    }
    g_free(cfg->machine_type);
    g_free(cfg->accel);
    g_free(cfg->cpu_model);
    g_free(cfg->kernel);
    g_free(cfg->initrd);
    g_free(cfg->append);
    g_free(cfg->bios);
    g_free(cfg->boot_order);
    g_free(cfg->icount.rrfile);
    g_free(cfg->icount.rrsnapshot);
    g_free(cfg->rtc_base);
    g_free(cfg->rtc_clock);
    g_free(cfg->rtc_driftfix);
    g_ptr_array_free(cfg->firmware_dirs, TRUE);
    g_ptr_array_free(cfg->drives, TRUE);
    g_ptr_array_free(cfg->blockdevs, TRUE);
    g_ptr_array_free(cfg->devices, TRUE);
    g_ptr_array_free(cfg->netdevs, TRUE);
    g_ptr_array_free(cfg->nics, TRUE);
    g_ptr_array_free(cfg->chardevs, TRUE);
    g_ptr_array_free(cfg->objects, TRUE);
    g_ptr_array_free(cfg->audiodevs, TRUE);
    g_ptr_array_free(cfg->mons, TRUE);
    g_ptr_array_free(cfg->fw_cfg, TRUE);
    g_ptr_array_free(cfg->serials, TRUE);
    g_ptr_array_free(cfg->parallels, TRUE);
    g_ptr_array_free(cfg->monitors, TRUE);
    g_ptr_array_free(cfg->qmps, TRUE);
    g_free(cfg->debugcon);
    g_free(cfg->display);
    g_free(cfg->vga);
    g_free(cfg->vnc);
    g_free(cfg->gdbstub);
    g_free(cfg->name);
    g_free(cfg->keyboard_layout);
    g_free(cfg->soundhw);
    g_free(cfg->logfile);
    g_free(cfg);
}

static void set_str(char **dst, const char *src)
{
    g_free(*dst);
    *dst = g_strdup(src);
}

/* ---- help output ---- */

static void print_version(void)
{
    printf("QEMU emulator version " QEMU_VERSION " (" QEMU_PKGVERSION ")\n"
           "A deterministic record/replay x86-64 emulator compatible with "
           "QEMU's command line.\n");
}

static void print_help(void)
{
    printf("usage: %s [options] [disk_image]\n\n"
           "'disk_image' is a raw hard disk image for IDE hard disk 0\n\n",
           error_get_progname());
    for (size_t i = 0; i < ARRAY_SIZE(qemu_options); i++) {
        const QEMUOption *o = &qemu_options[i];
        char *head;

        if (!o->help) {
            continue;
        }
        head = o->arg ? g_strdup_printf("-%s %s", o->name, o->arg)
                      : g_strdup_printf("-%s", o->name);
        if (strlen(head) < 16) {
            printf("%-16s%s\n", head, o->help);
        } else {
            printf("%s\n                %s\n", head, o->help);
        }
        g_free(head);
    }
    printf("\nDuring emulation, with -nographic or a 'mon:' device, "
           "Ctrl-A h lists the console keys.\n");
}

static void print_cpu_help(void)
{
    printf("Available CPUs:\n");
    for (size_t i = 0; i < ARRAY_SIZE(cpu_models); i++) {
        printf("x86 %-16s %s\n", cpu_models[i].name, cpu_models[i].desc);
    }
}

static bool is_help(const char *s)
{
    return !strcmp(s, "help") || !strcmp(s, "?");
}

/* ---- parsing helpers ---- */

static bool check_file(const char *path, Error **errp)
{
    if (access(path, R_OK) < 0) {
        error_setg_errno(errp, errno, "could not open '%s'", path);
        return false;
    }
    return true;
}

/* A -drive file= that names a plain file must exist ("nbd:..." need not). */
static bool check_drive_file(QemuOpts *opts, Error **errp)
{
    const char *file = qemu_opt_get(opts, "file");
    const char *colon;

    if (!file || !*file) {
        return true;
    }
    colon = strchr(file, ':');
    if (colon && !strchr(file, '/') && colon != file) {
        return true; /* protocol prefix: checked by the block layer */
    }
    if (colon && strchr(file, '/') && strchr(file, '/') > colon) {
        return true;
    }
    return check_file(file, errp);
}

static bool parse_icount(MachineConfig *cfg, const char *arg, Error **errp)
{
    QemuOpts *opts = qemu_opts_parse("icount", arg, "shift", icount_desc, errp);
    IcountConfig *ic = &cfg->icount;
    const char *shift, *rr;
    bool ok = false;

    if (!opts) {
        return false;
    }
    ic->given = true;
    shift = qemu_opt_get(opts, "shift");
    if (!shift || !strcmp(shift, "auto")) {
        ic->shift_auto = true;
    } else {
        uint64_t n;
        if (qemu_strtou64(shift, &n) || n > 10) {
            error_setg(errp, "shift must be a number from 0 to 10 or 'auto'");
            goto out;
        }
        ic->shift_auto = false;
        ic->shift = n;
    }
    if (!qemu_opt_get_bool(opts, "align", false, &ic->align, errp) ||
        !qemu_opt_get_bool(opts, "sleep", true, &ic->sleep, errp)) {
        goto out;
    }
    if (ic->align && ic->shift_auto) {
        error_setg(errp, "shift=auto and align=on are incompatible");
        goto out;
    }
    if (ic->align && !ic->sleep) {
        error_setg(errp, "align=on and sleep=off are incompatible");
        goto out;
    }
    rr = qemu_opt_get(opts, "rr");
    if (!rr || !strcmp(rr, "off")) {
        ic->rr = REPLAY_MODE_NONE;
    } else if (!strcmp(rr, "record")) {
        ic->rr = REPLAY_MODE_RECORD;
    } else if (!strcmp(rr, "replay")) {
        ic->rr = REPLAY_MODE_PLAY;
    } else {
        error_setg(errp,
                   "invalid rr value '%s' (expected off, record or "
                   "replay)",
                   rr);
        goto out;
    }
    set_str(&ic->rrfile, qemu_opt_get(opts, "rrfile"));
    set_str(&ic->rrsnapshot, qemu_opt_get(opts, "rrsnapshot"));
    if (ic->rr != REPLAY_MODE_NONE && !ic->rrfile) {
        error_setg(errp, "rr=%s needs rrfile=FILE", rr);
        goto out;
    }
    if (ic->rr == REPLAY_MODE_NONE && (ic->rrfile || ic->rrsnapshot)) {
        error_setg(errp, "%s needs rr=record or rr=replay",
                   ic->rrfile ? "rrfile" : "rrsnapshot");
        goto out;
    }
    if (ic->rr == REPLAY_MODE_PLAY && !check_file(ic->rrfile, errp)) {
        goto out;
    }
    ok = true;
out:
    qemu_opts_free(opts);
    return ok;
}

static bool parse_memory(MachineConfig *cfg, const char *arg, Error **errp)
{
    QemuOpts *opts = qemu_opts_parse("memory", arg, "size", memory_desc, errp);
    const char *size;
    uint64_t bytes;
    bool ok = false;

    if (!opts) {
        return false;
    }
    if (qemu_opt_has(opts, "slots") || qemu_opt_has(opts, "maxmem")) {
        error_setg(errp, "memory hotplug (slots, maxmem) is not supported "
                         "yet");
        goto out;
    }
    size = qemu_opt_get(opts, "size");
    if (!size) {
        error_setg(errp, "missing 'size'");
        goto out;
    }
    /* A plain number is MiB, as in QEMU. */
    if (qemu_strtosz(size, 'M', &bytes)) {
        error_setg(errp,
                   "invalid RAM size '%s' (a number of megabytes, or "
                   "a size with a suffix K, M, G or T)",
                   size);
        goto out;
    }
    if (bytes < 1 * MiB) {
        error_setg(errp, "RAM size %s is too small (at least 1M)", size);
        goto out;
    }
    if (bytes > 1 * TiB) {
        error_setg(errp, "RAM size %s is too large (at most 1T)", size);
        goto out;
    }
    cfg->ram_size = QEMU_ALIGN_UP(bytes, 8 * KiB);
    ok = true;
out:
    qemu_opts_free(opts);
    return ok;
}

static bool parse_smp(MachineConfig *cfg, const char *arg, Error **errp)
{
    QemuOpts *opts = qemu_opts_parse("smp-opts", arg, "cpus", smp_desc, errp);
    static const char *const keys[] = { "cpus",  "sockets", "dies",
                                        "cores", "threads", "maxcpus" };
    bool ok = false;

    if (!opts) {
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        uint64_t n;

        if (!qemu_opt_get_number(opts, keys[i], 1, &n, errp)) {
            goto out;
        }
        if (n != 1) {
            error_setg(errp,
                       "only 1 CPU is supported (%s=%" PRIu64 "): "
                       "record/replay runs one CPU",
                       keys[i], n);
            goto out;
        }
    }
    cfg->smp_cpus = 1;
    ok = true;
out:
    qemu_opts_free(opts);
    return ok;
}

static bool parse_cpu(MachineConfig *cfg, const char *arg, Error **errp)
{
    char **parts = g_strsplit(arg, ",", 2);
    bool found = false;

    for (size_t i = 0; i < ARRAY_SIZE(cpu_models); i++) {
        if (!strcmp(parts[0], cpu_models[i].name)) {
            found = true;
        }
    }
    if (!found) {
        error_setg(errp,
                   "unable to find CPU model '%s' ('-cpu help' lists "
                   "them)",
                   parts[0]);
        g_strfreev(parts);
        return false;
    }
    g_strfreev(parts);
    set_str(&cfg->cpu_model, arg);
    return true;
}

static bool parse_machine(MachineConfig *cfg, const char *arg, Error **errp)
{
    QemuOpts *opts =
        qemu_opts_parse("machine", arg, "type", machine_desc, errp);
    const char *type, *accel;
    bool ok = false;

    if (!opts) {
        return false;
    }
    type = qemu_opt_get(opts, "type");
    if (type) {
        if (!machine_find(type) && !machine_is_planned(type)) {
            error_setg(errp,
                       "unsupported machine type '%s' ('-machine help' "
                       "lists them)",
                       type);
            goto out;
        }
        set_str(&cfg->machine_type, type);
    }
    accel = qemu_opt_get(opts, "accel");
    if (accel) {
        set_str(&cfg->accel, accel);
    }
    ok = true;
out:
    qemu_opts_free(opts);
    return ok;
}

static bool parse_rtc(MachineConfig *cfg, const char *arg, Error **errp)
{
    QemuOpts *opts = qemu_opts_parse("rtc", arg, NULL, rtc_desc, errp);
    const char *base, *clock, *drift;
    bool ok = false;

    if (!opts) {
        return false;
    }
    base = qemu_opt_get(opts, "base");
    clock = qemu_opt_get(opts, "clock");
    drift = qemu_opt_get(opts, "driftfix");
    if (base && strcmp(base, "utc") && strcmp(base, "localtime")) {
        /* A start date: 2006-06-17T16:01:21 or 2006-06-17 */
        int y, mo, d, h = 0, mi = 0, s = 0;
        if (sscanf(base, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s) != 6 &&
            sscanf(base, "%d-%d-%d", &y, &mo, &d) != 3) {
            error_setg(errp,
                       "invalid date format '%s' (valid formats: "
                       "'2006-06-17T16:01:21' or '2006-06-17')",
                       base);
            goto out;
        }
    }
    if (clock && strcmp(clock, "host") && strcmp(clock, "rt") &&
        strcmp(clock, "vm")) {
        error_setg(errp, "invalid clock '%s' (host, rt or vm)", clock);
        goto out;
    }
    if (drift && strcmp(drift, "none") && strcmp(drift, "slew")) {
        error_setg(errp, "invalid driftfix '%s' (none or slew)", drift);
        goto out;
    }
    if (base) {
        set_str(&cfg->rtc_base, base);
    }
    if (clock) {
        set_str(&cfg->rtc_clock, clock);
    }
    if (drift) {
        set_str(&cfg->rtc_driftfix, drift);
    }
    ok = true;
out:
    qemu_opts_free(opts);
    return ok;
}

static bool parse_group(GPtrArray *list, const char *group, const char *arg,
                        const char *implied, const QemuOptDesc *desc,
                        Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(group, arg, implied, desc, errp);

    if (!opts) {
        return false;
    }
    if (opts->id) {
        for (guint i = 0; i < list->len; i++) {
            QemuOpts *o = g_ptr_array_index(list, i);
            if (o->id && !strcmp(o->id, opts->id)) {
                error_setg(errp, "Duplicate ID '%s' for %s", opts->id, group);
                qemu_opts_free(opts);
                return false;
            }
        }
    }
    g_ptr_array_add(list, opts);
    return true;
}

/* -chardev: keys are checked against the back-end's own table. */
static bool add_chardev_opts(MachineConfig *cfg, const char *arg, Error **errp)
{
    QemuOpts *opts = qemu_chr_parse_opts(arg, errp);

    if (!opts) {
        return false;
    }
    for (guint i = 0; i < cfg->chardevs->len; i++) {
        QemuOpts *o = g_ptr_array_index(cfg->chardevs, i);
        if (o->id && opts->id && !strcmp(o->id, opts->id)) {
            error_setg(errp, "Duplicate ID '%s' for chardev", opts->id);
            qemu_opts_free(opts);
            return false;
        }
    }
    g_ptr_array_add(cfg->chardevs, opts);
    return true;
}

static bool add_drive_shorthand(MachineConfig *cfg, int index,
                                const char *media, const char *file,
                                Error **errp)
{
    QemuOpts *opts;
    char *text;

    if (*file && !check_file(file, errp)) {
        return false;
    }
    opts = qemu_opts_parse("drive", "", NULL, NULL, errp);
    qemu_opt_set(opts, "file", file);
    text = g_strdup_printf("%d", index);
    qemu_opt_set(opts, "index", text);
    g_free(text);
    qemu_opt_set(opts, "media", media);
    g_ptr_array_add(cfg->drives, opts);
    return true;
}

static const QEMUOption *lookup_option(const char *arg)
{
    const char *name = arg + 1;

    if (name[0] == '-') {
        name++; /* --opt is the same as -opt */
    }
    for (size_t i = 0; i < ARRAY_SIZE(qemu_options); i++) {
        if (!strcmp(qemu_options[i].name, name)) {
            return &qemu_options[i];
        }
    }
    return NULL;
}

static int handle_option(MachineConfig *cfg, const QEMUOption *o,
                         const char *arg, Error **errp)
{
    switch (o->index) {
    case OPT_HELP:
        print_help();
        return CONFIG_ACTION_EXIT;
    case OPT_VERSION:
        print_version();
        return CONFIG_ACTION_EXIT;
    case OPT_MACHINE:
        if (is_help(arg)) {
            machine_print_help(stdout);
            return CONFIG_ACTION_EXIT;
        }
        return parse_machine(cfg, arg, errp) ? CONFIG_ACTION_RUN : -1;
    case OPT_CPU:
        if (is_help(arg)) {
            print_cpu_help();
            return CONFIG_ACTION_EXIT;
        }
        return parse_cpu(cfg, arg, errp) ? CONFIG_ACTION_RUN : -1;
    case OPT_ACCEL: {
        QemuOpts *opts =
            qemu_opts_parse("accel", arg, "accel", accel_desc, errp);
        const char *a;

        if (!opts) {
            return -1;
        }
        a = qemu_opt_get(opts, "accel");
        if (a && is_help(a)) {
            printf("Accelerators supported in QEMU binary:\ntcg\n");
            qemu_opts_free(opts);
            return CONFIG_ACTION_EXIT;
        }
        set_str(&cfg->accel, a ? a : "tcg");
        qemu_opts_free(opts);
        return CONFIG_ACTION_RUN;
    }
    case OPT_ENABLE_KVM:
        cfg->enable_kvm = true;
        return CONFIG_ACTION_RUN;
    case OPT_MEMORY:
        return parse_memory(cfg, arg, errp) ? CONFIG_ACTION_RUN : -1;
    case OPT_SMP:
        return parse_smp(cfg, arg, errp) ? CONFIG_ACTION_RUN : -1;
    case OPT_KERNEL:
        if (!check_file(arg, errp)) {
            return -1;
        }
        set_str(&cfg->kernel, arg);
        return CONFIG_ACTION_RUN;
    case OPT_INITRD:
        if (!check_file(arg, errp)) {
            return -1;
        }
        set_str(&cfg->initrd, arg);
        return CONFIG_ACTION_RUN;
    case OPT_APPEND:
        set_str(&cfg->append, arg);
        return CONFIG_ACTION_RUN;
    case OPT_BIOS:
        set_str(&cfg->bios, arg);
        return CONFIG_ACTION_RUN;
    case OPT_DATADIR:
        if (is_help(arg)) {
            for (guint i = 0; i < cfg->firmware_dirs->len; i++) {
                printf("%s\n",
                       (char *)g_ptr_array_index(cfg->firmware_dirs, i));
            }
            printf("%s\n", CONFIG_DATADIR);
            return CONFIG_ACTION_EXIT;
        }
        if (!g_file_test(arg, G_FILE_TEST_IS_DIR)) {
            error_setg(errp, "'%s' is not a directory", arg);
            return -1;
        }
        g_ptr_array_add(cfg->firmware_dirs, g_strdup(arg));
        return CONFIG_ACTION_RUN;
    case OPT_BOOT: {
        QemuOpts *opts =
            qemu_opts_parse("boot-opts", arg, "order", boot_desc, errp);
        if (!opts) {
            return -1;
        }
        if (qemu_opt_get(opts, "order")) {
            set_str(&cfg->boot_order, qemu_opt_get(opts, "order"));
        }
        qemu_opts_free(opts);
        return CONFIG_ACTION_RUN;
    }
    case OPT_ICOUNT:
        return parse_icount(cfg, arg, errp) ? CONFIG_ACTION_RUN : -1;
    case OPT_RTC:
        return parse_rtc(cfg, arg, errp) ? CONFIG_ACTION_RUN : -1;
    case OPT_DRIVE:
        if (!parse_group(cfg->drives, "drive", arg, NULL, NULL, errp) ||
            !check_drive_file(
                g_ptr_array_index(cfg->drives, cfg->drives->len - 1), errp)) {
            return -1;
        }
        return CONFIG_ACTION_RUN;
    case OPT_HDA:
    case OPT_HDB:
    case OPT_HDC:
    case OPT_HDD:
        return add_drive_shorthand(cfg, o->index - OPT_HDA, "disk", arg, errp)
                   ? CONFIG_ACTION_RUN
                   : -1;
    case OPT_CDROM:
        return add_drive_shorthand(cfg, 2, "cdrom", arg, errp)
                   ? CONFIG_ACTION_RUN
                   : -1;
    case OPT_SNAPSHOT:
        cfg->snapshot = true;
        return CONFIG_ACTION_RUN;
    case OPT_BLOCKDEV:
        if (arg[0] == '{') {
            error_setg(errp, "JSON syntax for -blockdev is not supported yet");
            return -1;
        }
        return parse_group(cfg->blockdevs, "blockdev", arg, NULL, NULL, errp)
                   ? CONFIG_ACTION_RUN
                   : -1;
    case OPT_DEVICE: {
        QemuOpts *opts;
        const char *drv;

        if (is_help(arg)) {
            device_print_help(stdout);
            return CONFIG_ACTION_EXIT;
        }
        opts = qemu_opts_parse("device", arg, "driver", NULL, errp);
        if (!opts) {
            return -1;
        }
        drv = qemu_opt_get(opts, "driver");
        if (!drv) {
            error_setg(errp, "Parameter 'driver' is missing");
            qemu_opts_free(opts);
            return -1;
        }
        if (qemu_opt_has(opts, "help") || qemu_opt_has(opts, "?")) {
            bool ok = device_print_props(stdout, drv, errp);
            qemu_opts_free(opts);
            return ok ? CONFIG_ACTION_EXIT : -1;
        }
        if (!device_find(drv) && !device_is_planned(drv)) {
            error_setg(errp,
                       "'%s' is not a valid device model name "
                       "('-device help' lists them)",
                       drv);
            qemu_opts_free(opts);
            return -1;
        }
        qemu_opts_free(opts);
        return parse_group(cfg->devices, "device", arg, "driver", NULL, errp)
                   ? CONFIG_ACTION_RUN
                   : -1;
    }
    case OPT_NETDEV:
        return parse_group(cfg->netdevs, "netdev", arg, "type", NULL, errp)
                   ? CONFIG_ACTION_RUN
                   : -1;
    case OPT_NIC:
        return parse_group(cfg->nics, "nic", arg, "type", NULL, errp)
                   ? CONFIG_ACTION_RUN
                   : -1;
    case OPT_NET:
        if (!strcmp(arg, "none")) {
            cfg->net_none = true;
            return CONFIG_ACTION_RUN;
        }
        return parse_group(cfg->nics, "net", arg, "type", NULL, errp)
                   ? CONFIG_ACTION_RUN
                   : -1;
    case OPT_OBJECT:
        return parse_group(cfg->objects, "object", arg, "qom-type", NULL, errp)
                   ? CONFIG_ACTION_RUN
                   : -1;
    case OPT_SERIAL:
        if (cfg->serials->len >= 4) {
            error_setg(errp, "too many serial ports (at most 4)");
            return -1;
        }
        g_ptr_array_add(cfg->serials, g_strdup(arg));
        return CONFIG_ACTION_RUN;
    case OPT_PARALLEL:
        g_ptr_array_add(cfg->parallels, g_strdup(arg));
        return CONFIG_ACTION_RUN;
    case OPT_CHARDEV:
        if (is_help(arg)) {
            qemu_chr_print_help(stdout);
            return CONFIG_ACTION_EXIT;
        }
        return add_chardev_opts(cfg, arg, errp) ? CONFIG_ACTION_RUN : -1;
    case OPT_MONITOR:
        g_ptr_array_add(cfg->monitors, g_strdup(arg));
        return CONFIG_ACTION_RUN;
    case OPT_QMP:
        g_ptr_array_add(cfg->qmps, g_strdup(arg));
        return CONFIG_ACTION_RUN;
    case OPT_MON:
        return parse_group(cfg->mons, "mon", arg, "chardev", mon_desc, errp)
                   ? CONFIG_ACTION_RUN
                   : -1;
    case OPT_DEBUGCON:
        set_str(&cfg->debugcon, arg);
        return CONFIG_ACTION_RUN;
    case OPT_NOGRAPHIC:
        cfg->nographic = true;
        return CONFIG_ACTION_RUN;
    case OPT_DISPLAY: {
        QemuOpts *opts;

        if (is_help(arg)) {
            printf("Available display backend types:\nnone\n");
            return CONFIG_ACTION_EXIT;
        }
        opts = qemu_opts_parse("display", arg, "type", display_desc, errp);
        if (!opts) {
            return -1;
        }
        set_str(&cfg->display, qemu_opt_get(opts, "type"));
        qemu_opts_free(opts);
        return CONFIG_ACTION_RUN;
    }
    case OPT_VGA:
        set_str(&cfg->vga, arg);
        return CONFIG_ACTION_RUN;
    case OPT_VNC:
        set_str(&cfg->vnc, arg);
        return CONFIG_ACTION_RUN;
    case OPT_NO_REBOOT:
        cfg->no_reboot = true;
        return CONFIG_ACTION_RUN;
    case OPT_NO_SHUTDOWN:
        cfg->no_shutdown = true;
        return CONFIG_ACTION_RUN;
    case OPT_FREEZE:
        cfg->start_paused = true;
        return CONFIG_ACTION_RUN;
    case OPT_GDB_DEFAULT:
        set_str(&cfg->gdbstub, "tcp::1234");
        return CONFIG_ACTION_RUN;
    case OPT_GDB:
        set_str(&cfg->gdbstub, arg);
        return CONFIG_ACTION_RUN;
    case OPT_AUDIODEV:
        return parse_group(cfg->audiodevs, "audiodev", arg, "driver", NULL,
                           errp)
                   ? CONFIG_ACTION_RUN
                   : -1;
    case OPT_SOUNDHW:
        set_str(&cfg->soundhw, arg);
        return CONFIG_ACTION_RUN;
    case OPT_NAME:
        set_str(&cfg->name, arg);
        return CONFIG_ACTION_RUN;
    case OPT_KEYBOARD:
        set_str(&cfg->keyboard_layout, arg);
        return CONFIG_ACTION_RUN;
    case OPT_NODEFAULTS:
        cfg->nodefaults = true;
        return CONFIG_ACTION_RUN;
    case OPT_LOG_ITEMS:
        if (is_help(arg)) {
            qemu_log_print_items(stdout);
            return CONFIG_ACTION_EXIT;
        }
        return qemu_str_to_log_mask(arg, &cfg->log_mask, errp)
                   ? CONFIG_ACTION_RUN
                   : -1;
    case OPT_LOG_FILE:
        set_str(&cfg->logfile, arg);
        return CONFIG_ACTION_RUN;
    case OPT_FW_CFG:
        return parse_group(cfg->fw_cfg, "fw_cfg", arg, "name", fw_cfg_desc,
                           errp)
                   ? CONFIG_ACTION_RUN
                   : -1;
    }
    g_assert_not_reached();
}

int qemu_config_parse(MachineConfig *cfg, int argc, char **argv, Error **errp)
{
    int i = 1;

    while (i < argc) {
        const char *opt = argv[i++];
        const QEMUOption *o;
        const char *arg = NULL;
        Error *local_err = NULL;
        int ret;

        if (opt[0] != '-' || !opt[1]) {
            /* A bare argument is the first hard disk image. */
            o = lookup_option("-hda");
            arg = opt;
            ret = handle_option(cfg, o, arg, &local_err);
            if (ret < 0) {
                error_propagate(errp, local_err);
                return -1;
            }
            continue;
        }
        o = lookup_option(opt);
        if (!o) {
            error_setg(errp, "%s: invalid option", opt);
            return -1;
        }
        if (o->arg) {
            if (i >= argc) {
                error_setg(errp, "%s: requires an argument", opt);
                return -1;
            }
            arg = argv[i++];
        }
        ret = handle_option(cfg, o, arg, &local_err);
        if (ret < 0) {
            if (arg) {
                error_prepend(&local_err, "%s %s: ", opt, arg);
            } else {
                error_prepend(&local_err, "%s: ", opt);
            }
            error_propagate(errp, local_err);
            return -1;
        }
        if (ret == CONFIG_ACTION_EXIT) {
            return CONFIG_ACTION_EXIT;
        }
    }
    return CONFIG_ACTION_RUN;
}

void machine_config_apply_defaults(MachineConfig *cfg)
{
    bool default_serial = cfg->serials->len == 0 && !cfg->nodefaults;
    bool default_monitor = cfg->monitors->len == 0 && cfg->qmps->len == 0 &&
                           cfg->mons->len == 0 && !cfg->nodefaults;

    if (cfg->nographic) {
        /*
         * As in QEMU: the serial port and the monitor share stdio through
         * the mux unless the user placed either of them elsewhere.
         */
        if (default_serial && default_monitor) {
            g_ptr_array_add(cfg->serials, g_strdup("mon:stdio"));
        } else {
            if (default_serial) {
                g_ptr_array_add(cfg->serials, g_strdup("stdio"));
            }
            if (default_monitor) {
                g_ptr_array_add(cfg->monitors, g_strdup("stdio"));
            }
        }
        if (!cfg->display) {
            cfg->display = g_strdup("none");
        }
    } else if (default_serial) {
        /* The first serial port goes to the display's console. */
        g_ptr_array_add(cfg->serials, g_strdup("vc"));
    }
}

char *config_format_size(uint64_t bytes)
{
    static const char suffixes[] = "KMGTPE";
    int i = -1;
    uint64_t v = bytes;

    while (v && (v & 1023) == 0 && i < 5) {
        v >>= 10;
        i++;
    }
    if (i < 0) {
        return g_strdup_printf("%" PRIu64, bytes);
    }
    return g_strdup_printf("%" PRIu64 "%c", v, suffixes[i]);
}

static void canon_line(GString *s, const char *opt, const char *fmt, ...)
    QEMU_PRINTF(3, 4);
static void canon_line(GString *s, const char *opt, const char *fmt, ...)
{
    va_list ap;

    g_string_append_printf(s, "-%s ", opt);
    va_start(ap, fmt);
    g_string_append_vprintf(s, fmt, ap);
    va_end(ap);
    g_string_append_c(s, '\n');
}

static void canon_group(GString *s, const char *opt, GPtrArray *list)
{
    for (guint i = 0; i < list->len; i++) {
        char *text = qemu_opts_to_string(g_ptr_array_index(list, i), NULL);
        canon_line(s, opt, "%s", text);
        g_free(text);
    }
}

char *machine_config_canonical(const MachineConfig *cfg)
{
    GString *s = g_string_new(NULL);
    char *size = config_format_size(cfg->ram_size);
    const IcountConfig *ic = &cfg->icount;

    canon_line(s, "machine", "%s", cfg->machine_type);
    canon_line(s, "accel", "%s", cfg->enable_kvm ? "kvm" : cfg->accel);
    canon_line(s, "cpu", "%s", cfg->cpu_model);
    canon_line(s, "m", "%s", size);
    canon_line(s, "smp", "%u", cfg->smp_cpus);
    g_free(size);
    /* How guest time is derived is part of the guest's world. */
    if (ic->shift_auto) {
        canon_line(s, "icount", "shift=auto,align=%s,sleep=%s",
                   ic->align ? "on" : "off", ic->sleep ? "on" : "off");
    } else {
        canon_line(s, "icount", "shift=%u,align=%s,sleep=%s", ic->shift,
                   ic->align ? "on" : "off", ic->sleep ? "on" : "off");
    }
    if (cfg->kernel) {
        canon_line(s, "kernel", "%s", cfg->kernel);
    }
    if (cfg->initrd) {
        canon_line(s, "initrd", "%s", cfg->initrd);
    }
    if (cfg->append) {
        canon_line(s, "append", "%s", cfg->append);
    }
    if (cfg->bios) {
        canon_line(s, "bios", "%s", cfg->bios);
    }
    if (cfg->boot_order) {
        canon_line(s, "boot", "order=%s", cfg->boot_order);
    }
    canon_line(s, "rtc", "base=%s,clock=%s,driftfix=%s",
               cfg->rtc_base ? cfg->rtc_base : "utc",
               cfg->rtc_clock ? cfg->rtc_clock : "host",
               cfg->rtc_driftfix ? cfg->rtc_driftfix : "none");
    if (cfg->snapshot) {
        canon_line(s, "snapshot", "%s", "on");
    }
    canon_group(s, "drive", cfg->drives);
    canon_group(s, "blockdev", cfg->blockdevs);
    canon_group(s, "device", cfg->devices);
    canon_group(s, "netdev", cfg->netdevs);
    canon_group(s, "nic", cfg->nics);
    if (cfg->net_none) {
        canon_line(s, "net", "none");
    }
    canon_group(s, "object", cfg->objects);
    canon_group(s, "audiodev", cfg->audiodevs);
    canon_group(s, "fw_cfg", cfg->fw_cfg);
    /*
     * Serial ports: their number is guest-visible, their back-ends are not
     * (record with -serial stdio, replay with -serial null).
     */
    for (guint i = 0; i < cfg->serials->len; i++) {
        const char *spec = g_ptr_array_index(cfg->serials, i);
        canon_line(s, "serial", "%s", strcmp(spec, "none") ? "on" : "none");
    }
    for (guint i = 0; i < cfg->parallels->len; i++) {
        const char *spec = g_ptr_array_index(cfg->parallels, i);
        canon_line(s, "parallel", "%s", strcmp(spec, "none") ? "on" : "none");
    }
    if (cfg->debugcon) {
        canon_line(s, "debugcon", "on");
    }
    if (cfg->nodefaults) {
        canon_line(s, "nodefaults", "on");
    }
    if (cfg->no_reboot) {
        /* Changes what a guest reboot does, so it is part of the run. */
        canon_line(s, "no-reboot", "on");
    }
    return g_string_free(s, FALSE);
}

/* ---- what this build can do ---- */

static bool refuse_group(GPtrArray *list, const char *opt, const char *what,
                         Error **errp)
{
    if (list->len) {
        char *text = qemu_opts_to_string(g_ptr_array_index(list, 0), NULL);
        error_setg(errp, "-%s %s: %s not supported yet", opt, text, what);
        g_free(text);
        return false;
    }
    return true;
}

bool qemu_config_check_supported(const MachineConfig *cfg, Error **errp)
{
    if (cfg->enable_kvm) {
        error_setg(errp, "-enable-kvm: KVM is not supported: this emulator "
                         "counts instructions (TCG) so runs can be replayed");
        return false;
    }
    if (strcmp(cfg->accel, "tcg")) {
        error_setg(errp,
                   "-accel %s: accelerator '%s' is not supported: only "
                   "tcg (instruction counting) is",
                   cfg->accel, cfg->accel);
        return false;
    }
    if (!machine_find(cfg->machine_type)) {
        error_setg(errp,
                   "-machine %s: machine '%s' is not supported yet "
                   "('-machine help' lists the machines this build has)",
                   cfg->machine_type, cfg->machine_type);
        return false;
    }
    if (cfg->icount.rr != REPLAY_MODE_NONE) {
        error_setg(errp, "-icount rr=%s: record/replay is not supported yet",
                   cfg->icount.rr == REPLAY_MODE_RECORD ? "record" : "replay");
        return false;
    }
    if (cfg->append && !cfg->kernel) {
        error_setg(errp, "-append only allowed with -kernel option");
        return false;
    }
    if (cfg->initrd && !cfg->kernel) {
        error_setg(errp, "-initrd only allowed with -kernel option");
        return false;
    }
    if (cfg->bios) {
        error_setg(errp, "-bios %s: firmware is not supported yet", cfg->bios);
        return false;
    }
    if (cfg->boot_order) {
        error_setg(errp, "-boot %s: boot order is not supported yet",
                   cfg->boot_order);
        return false;
    }
    if (cfg->rtc_base || cfg->rtc_clock || cfg->rtc_driftfix) {
        error_setg(errp, "-rtc: the RTC is not supported yet");
        return false;
    }
    if (cfg->snapshot) {
        error_setg(errp, "-snapshot: block devices are not supported yet");
        return false;
    }
    if (!refuse_group(cfg->drives, "drive", "block devices are", errp) ||
        !refuse_group(cfg->blockdevs, "blockdev", "block devices are", errp) ||
        !refuse_group(cfg->netdevs, "netdev", "network back-ends are", errp) ||
        !refuse_group(cfg->nics, "nic", "network cards are", errp) ||
        !refuse_group(cfg->objects, "object", "objects are", errp) ||
        !refuse_group(cfg->audiodevs, "audiodev", "audio back-ends are",
                      errp) ||
        !refuse_group(cfg->fw_cfg, "fw_cfg", "fw_cfg entries are", errp)) {
        return false;
    }
    for (guint i = 0; i < cfg->devices->len; i++) {
        QemuOpts *opts = g_ptr_array_index(cfg->devices, i);
        const char *drv = qemu_opt_get(opts, "driver");

        if (!device_find(drv)) {
            error_setg(errp, "-device %s: device '%s' is not supported yet",
                       drv, drv);
            return false;
        }
    }
    for (guint i = 0; i < cfg->mons->len; i++) {
        QemuOpts *opts = g_ptr_array_index(cfg->mons, i);
        const char *mode = qemu_opt_get(opts, "mode");

        if (mode && strcmp(mode, "readline")) {
            error_setg(errp, "-mon mode=%s: %s", mode,
                       strcmp(mode, "control") ? "mode must be readline or "
                                                 "control"
                                               : "QMP is not supported yet");
            return false;
        }
    }
    if (cfg->qmps->len) {
        error_setg(errp, "-qmp %s: QMP is not supported yet",
                   (char *)g_ptr_array_index(cfg->qmps, 0));
        return false;
    }
    for (guint i = 0; i < cfg->parallels->len; i++) {
        const char *spec = g_ptr_array_index(cfg->parallels, i);
        if (strcmp(spec, "none")) {
            error_setg(errp,
                       "-parallel %s: parallel ports are not supported "
                       "yet",
                       spec);
            return false;
        }
    }
    if (cfg->display && strcmp(cfg->display, "none")) {
        error_setg(errp, "-display %s: only '-display none' is supported yet",
                   cfg->display);
        return false;
    }
    if (cfg->vga && strcmp(cfg->vga, "none")) {
        error_setg(errp, "-vga %s: video cards are not supported yet",
                   cfg->vga);
        return false;
    }
    if (cfg->vnc) {
        error_setg(errp, "-vnc %s: VNC is not supported yet", cfg->vnc);
        return false;
    }
    if (cfg->gdbstub) {
        error_setg(errp, "-gdb %s: the gdb stub is not supported yet",
                   cfg->gdbstub);
        return false;
    }
    if (cfg->soundhw) {
        error_setg(errp, "-soundhw %s: sound cards are not supported yet",
                   cfg->soundhw);
        return false;
    }
    if (cfg->keyboard_layout) {
        error_setg(errp, "-k %s: keyboard layouts are not supported yet",
                   cfg->keyboard_layout);
        return false;
    }
    return true;
}

/* ---- building the emulator from the configuration ---- */

MachineConfig *current_config;
static GPtrArray *serial_hds; /* Chardev * or NULL, one per -serial */
static GPtrArray *parallel_hds;
static Chardev *debugcon_chr;

Chardev *serial_hd(int i)
{
    if (!serial_hds || i < 0 || i >= (int)serial_hds->len) {
        return NULL;
    }
    return g_ptr_array_index(serial_hds, i);
}

int serial_max_hds(void)
{
    return serial_hds ? serial_hds->len : 0;
}

Chardev *parallel_hd(int i)
{
    if (!parallel_hds || i < 0 || i >= (int)parallel_hds->len) {
        return NULL;
    }
    return g_ptr_array_index(parallel_hds, i);
}

Chardev *debugcon_hd(void)
{
    return debugcon_chr;
}

/*
 * Creates the chardev for a legacy spec; "mon:SPEC" also puts a monitor on
 * it.  *chr is NULL for "none".
 */
static bool create_legacy_chardev(const char *opt, const char *label,
                                  const char *spec, bool monitor, Chardev **chr,
                                  Error **errp)
{
    Error *local_err = NULL;

    *chr = qemu_chr_new(label, spec, &local_err);
    if (local_err) {
        error_propagate(errp, local_err);
        error_prepend(errp, "%s %s: ", opt, spec);
        return false;
    }
    if (*chr && (monitor || g_str_has_prefix(spec, "mon:"))) {
        if (!monitor_init_hmp(*chr, errp)) {
            error_prepend(errp, "%s %s: ", opt, spec);
            return false;
        }
    }
    return true;
}

/* Ctrl-A x on a mux. */
static void quit_from_console(void)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_UI);
}

bool qemu_init(MachineConfig *cfg, Error **errp)
{
    Error *local_err = NULL;

    current_config = cfg;
    if (!qemu_config_check_supported(cfg, errp)) {
        return false;
    }
    qemu_set_log(cfg->log_mask);
    if (cfg->logfile && !qemu_set_log_filename(cfg->logfile, errp)) {
        error_prepend(errp, "-D %s: ", cfg->logfile);
        return false;
    }
    no_reboot = cfg->no_reboot;
    no_shutdown = cfg->no_shutdown;

    qemu_init_main_loop();
    icount_configure(&cfg->icount);
    qemu_chr_set_quit_handler(quit_from_console);

    for (guint i = 0; i < cfg->chardevs->len; i++) {
        QemuOpts *opts = g_ptr_array_index(cfg->chardevs, i);
        if (!qemu_chr_new_from_opts(opts, &local_err)) {
            char *text = qemu_opts_to_string(opts, NULL);
            error_propagate(errp, local_err);
            error_prepend(errp, "-chardev %s: ", text);
            g_free(text);
            return false;
        }
    }
    serial_hds = g_ptr_array_new();
    for (guint i = 0; i < cfg->serials->len; i++) {
        char *label = g_strdup_printf("serial%u", i);
        Chardev *chr;
        bool ok = create_legacy_chardev("-serial", label,
                                        g_ptr_array_index(cfg->serials, i),
                                        false, &chr, errp);
        g_free(label);
        if (!ok) {
            return false;
        }
        g_ptr_array_add(serial_hds, chr);
    }
    parallel_hds = g_ptr_array_new();
    for (guint i = 0; i < cfg->parallels->len; i++) {
        g_ptr_array_add(parallel_hds, NULL); /* only "none" so far */
    }
    if (cfg->debugcon &&
        !create_legacy_chardev("-debugcon", "debugcon", cfg->debugcon, false,
                               &debugcon_chr, errp)) {
        return false;
    }
    for (guint i = 0; i < cfg->monitors->len; i++) {
        char *label = g_strdup_printf("compat_monitor%u", i);
        Chardev *chr;
        bool ok = create_legacy_chardev("-monitor", label,
                                        g_ptr_array_index(cfg->monitors, i),
                                        true, &chr, errp);
        g_free(label);
        if (!ok) {
            return false;
        }
    }
    for (guint i = 0; i < cfg->mons->len; i++) {
        QemuOpts *opts = g_ptr_array_index(cfg->mons, i);
        const char *id = qemu_opt_get(opts, "chardev");
        Chardev *chr = id ? qemu_chr_find(id) : NULL;

        if (!chr) {
            error_setg(errp, "-mon: chardev '%s' not found", id ? id : "");
            return false;
        }
        if (!monitor_init_hmp(chr, errp)) {
            error_prepend(errp, "-mon chardev=%s: ", id);
            return false;
        }
    }

    if (!machine_create(cfg, errp)) {
        return false;
    }
    for (guint i = 0; i < cfg->devices->len; i++) {
        if (!device_create_from_opts(g_ptr_array_index(cfg->devices, i),
                                     errp)) {
            return false;
        }
    }

    if (debugcon_chr) {
        QemuOpts *opts =
            qemu_opts_parse("device", "isa-debugcon,chardev=debugcon", "driver",
                            NULL, &error_abort);
        bool ok = device_create_from_opts(opts, errp);

        qemu_opts_free(opts);
        if (!ok) {
            error_prepend(errp, "-debugcon %s: ", cfg->debugcon);
            return false;
        }
    }

    qemu_system_reset(SHUTDOWN_CAUSE_NONE);
    if (cfg->start_paused) {
        runstate_set(RUN_STATE_PRELAUNCH);
    } else {
        vm_start();
    }
    return true;
}

void qemu_cleanup(void)
{
    monitor_cleanup();
    qemu_chr_cleanup();
    qemu_log_close();
}
