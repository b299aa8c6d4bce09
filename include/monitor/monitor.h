/*
 * The human monitor (HMP): "(qemu) " prompt on any chardev.
 *
 * Commands live in a table that later subsystems extend with
 * monitor_register_command() / monitor_register_info() at start-up, so a
 * new command is one function and one table entry where its subsystem is.
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include "qemu/osdep.h"
#include "qemu/error.h"
#include "chardev/char.h"

typedef struct Monitor Monitor;

/*
 * A command handler gets the words of the command line after the command
 * name (argv[0] is the command name itself, as typed).  Quotes group words;
 * the handler parses its own arguments and reports problems with
 * monitor_printf.
 */
typedef void HMPCommandFunc(Monitor *mon, int argc, char **argv);

typedef struct HMPCommand {
    const char *name;   /* "stop", or "info|i" style aliases: "quit|q" */
    const char *params; /* shown by help: "[-f] device" */
    const char *help;   /* one line */
    HMPCommandFunc *cmd;
} HMPCommand;

/* Adds a top-level command or an "info" sub-command (kept sorted). */
void monitor_register_command(const HMPCommand *cmd);
void monitor_register_info(const HMPCommand *cmd);

/* Starts an HMP monitor on chr (attaches as a front-end). */
Monitor *monitor_init_hmp(Chardev *chr, Error **errp);
/* Detaches and frees every monitor. */
void monitor_cleanup(void);

/*
 * Output to the monitor's terminal; "\n" becomes "\r\n" as the terminal is
 * in raw mode.  A NULL mon discards the text (as QEMU does).
 */
void monitor_printf(Monitor *mon, const char *fmt, ...) QEMU_PRINTF(2, 3);
void monitor_vprintf(Monitor *mon, const char *fmt, va_list ap)
    QEMU_PRINTF(2, 0);
void monitor_puts(Monitor *mon, const char *str);

/*
 * A command that finishes later (from the main loop) suspends its monitor:
 * input stays queued (and in the host's buffers) and the prompt waits
 * until the matching monitor_resume().  Nests.
 */
void monitor_suspend(Monitor *mon);
void monitor_resume(Monitor *mon);

/*
 * Argument helpers for command handlers.  On failure they print one line
 * on mon saying what is wrong and return false.
 *
 * monitor_parse_number: an integer expression in one word: numbers in C
 * syntax (0x hex, 0 octal, decimal), unary + - ~, binary * / % & | ^ + -
 * and parentheses, with QEMU's precedence.
 *
 * monitor_parse_format: a gdb-style "/fmt" word as taken by x, xp, i and o:
 * "/[count][format][size]", format one of x d u o c i, size b (1), h (2),
 * w (4), g (8).  What is left out defaults to the last format and size
 * used (initially x and 4), as in QEMU.  arg NULL gives the defaults.
 */
typedef struct MonitorFormat {
    int count;
    char format;
    int size; /* bytes; -1 for format 'i' without a size */
} MonitorFormat;
bool monitor_parse_number(Monitor *mon, const char *str, uint64_t *val);
bool monitor_parse_format(Monitor *mon, const char *arg, MonitorFormat *fmt);

/*
 * Runs one command line as if typed (used by tests and by -monitor's
 * scripted uses).  Output goes to mon's chardev.
 */
void monitor_handle_command(Monitor *mon, const char *cmdline);

/* The monitor running the current command, or NULL. */
extern Monitor *cur_mon;

#endif
