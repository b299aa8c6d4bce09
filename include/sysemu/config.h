/*
 * The machine configuration: what the command line asked for, as one plain
 * struct.  softmmu/vl.c fills it from argv (qemu_config_parse), the
 * machine is built from it, and its canonical text form (one option per
 * line, defaults applied, host-only choices left out) goes into the replay
 * log header so replay can check it and fill in what the user left out.
 */
#ifndef SYSEMU_CONFIG_H
#define SYSEMU_CONFIG_H

#include "qemu/osdep.h"
#include "qemu/error.h"
#include "qemu/option.h"

typedef enum ReplayMode {
    REPLAY_MODE_NONE,
    REPLAY_MODE_RECORD,
    REPLAY_MODE_PLAY,
} ReplayMode;

typedef struct IcountConfig {
    bool given;      /* -icount appeared on the command line */
    bool shift_auto; /* shift=auto */
    unsigned shift;  /* when !shift_auto */
    bool align;
    bool sleep;
    ReplayMode rr;
    char *rrfile;
    char *rrsnapshot;
} IcountConfig;

typedef struct MachineConfig {
    /* -machine / -M, -accel, -enable-kvm */
    char *machine_type; /* default "pc" */
    char *accel;        /* default "tcg" */
    bool enable_kvm;
    /* -cpu: model and feature list as given ("qemu64,+sse3") */
    char *cpu_model;
    /* -m */
    uint64_t ram_size; /* bytes; default 128 MiB */
    /* -smp */
    unsigned smp_cpus;
    /* direct boot and firmware */
    char *kernel;
    char *initrd;
    char *append;
    char *bios;
    GPtrArray *firmware_dirs; /* -L, in order (char *) */
    char *boot_order;         /* -boot order= */
    /* -icount */
    IcountConfig icount;
    /* -rtc: base=utc|localtime|DATE, clock=host|rt|vm, driftfix= */
    char *rtc_base;
    char *rtc_clock;
    char *rtc_driftfix;
    /* Group options in command-line order (QemuOpts *). */
    GPtrArray *drives;    /* -drive, and -hda/-cdrom/... converted */
    GPtrArray *blockdevs; /* -blockdev */
    GPtrArray *devices;   /* -device */
    GPtrArray *netdevs;   /* -netdev */
    GPtrArray *nics;      /* -nic, and -net nic/user converted */
    GPtrArray *chardevs;  /* -chardev */
    GPtrArray *objects;   /* -object */
    GPtrArray *audiodevs; /* -audiodev */
    GPtrArray *mons;      /* -mon */
    GPtrArray *fw_cfg;    /* -fw_cfg */
    /* Legacy character device specs (char *). */
    GPtrArray *serials;   /* -serial; "none" means no port */
    GPtrArray *parallels; /* -parallel */
    GPtrArray *monitors;  /* -monitor */
    GPtrArray *qmps;      /* -qmp */
    char *debugcon;       /* -debugcon */
    bool net_none;        /* -net none */
    bool nodefaults;
    bool snapshot; /* -snapshot */
    /* Host-side choices: not part of the guest's configuration. */
    bool nographic;
    char *display;     /* -display type, NULL for the default */
    char *vga;         /* -vga */
    char *vnc;         /* -vnc */
    char *gdbstub;     /* -gdb DEV, or "tcp::1234" for -s */
    bool start_paused; /* -S */
    bool no_reboot;
    bool no_shutdown;
    char *name;            /* -name */
    char *keyboard_layout; /* -k */
    char *soundhw;         /* -soundhw (removed in QEMU 7.1; refused) */
    int log_mask;          /* -d */
    char *logfile;         /* -D */
} MachineConfig;

MachineConfig *machine_config_new(void);
void machine_config_free(MachineConfig *cfg);

/*
 * What the command line asked for besides running a machine.  Parsing
 * stops at the first of these, as QEMU does.
 */
typedef enum ConfigAction {
    CONFIG_ACTION_RUN,
    CONFIG_ACTION_EXIT, /* -version, -help, "-machine help"...: done */
} ConfigAction;

/*
 * Parses argv (argv[0] is the program) into cfg.  Informational options
 * print to stdout and return CONFIG_ACTION_EXIT.  On a bad option, value
 * or missing file, sets errp (the location, e.g. "-m banana", is part of
 * the message) and returns -1.
 */
int qemu_config_parse(MachineConfig *cfg, int argc, char **argv, Error **errp);

/*
 * Applies the defaults that depend on other options (-nographic's
 * "-serial mon:stdio", the default serial port, ...).  Called once after
 * parsing.
 */
void machine_config_apply_defaults(MachineConfig *cfg);

/*
 * The canonical text: one line per guest-relevant option in a fixed order
 * ("-machine pc", "-m 128M", "-drive file=...,if=none,snapshot=on,id=x"),
 * values normalised (booleans on/off, sizes with the largest exact
 * suffix), host-only options (display, monitor, logging, -S, -gdb and the
 * back-ends of serial ports) left out.  Two configurations run the same
 * guest exactly when their canonical texts are equal.
 */
char *machine_config_canonical(const MachineConfig *cfg);

/* Formats a size the way the canonical text does ("128M", "1536K"). */
char *config_format_size(uint64_t bytes);

#endif
