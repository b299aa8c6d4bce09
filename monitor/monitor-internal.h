/*
 * What monitor.c (instances, input, dispatch) and hmp-cmds.c (the built-in
 * commands) share.
 */
#ifndef MONITOR_MONITOR_INTERNAL_H
#define MONITOR_MONITOR_INTERNAL_H

#include "monitor/monitor.h"
#include "monitor/readline.h"
#include "qemu/main-loop.h"

struct Monitor {
    CharBackend chr;
    ReadLineState rs;
    /*
     * On a mux the monitor shares the terminal with a serial port and owns
     * it only between MUX_IN and MUX_OUT; output made meanwhile is held
     * (as QEMU does) and shown when the user switches to the monitor.
     */
    bool is_mux;
    bool focused;
    bool banner_shown; /* for this connection */
    bool prompt_shown; /* the prompt is on the terminal now */
    bool show_pending; /* show banner/prompt from the bottom half */
    int suspend_cnt;   /* input and prompt wait while > 0 */
    bool processing;   /* inside monitor_process_input */
    GByteArray *inbuf; /* received, not yet fed to readline */
    GString *held;     /* output held while a mux focuses another device */
    QEMUBH *bh;
};

/* Registers the built-in commands of hmp-cmds.c. */
void hmp_register_builtin_commands(void);

/* "help [cmd [subcmd]]" and "info [subcmd]" (they walk the tables). */
void hmp_help(Monitor *mon, int argc, char **argv);
void hmp_info(Monitor *mon, int argc, char **argv);

#endif
