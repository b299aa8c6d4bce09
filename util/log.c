/*
 * -d items and -D logfile.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"

int qemu_loglevel;
static FILE *logfile;

typedef struct LogItem {
    int mask;
    const char *name;
    const char *help;
} LogItem;

static const LogItem log_items[] = {
    { CPU_LOG_TB_IN_ASM, "in_asm",
      "show target assembly code for each compiled TB" },
    { CPU_LOG_INT, "int", "show interrupts/exceptions in short format" },
    { CPU_LOG_TB_CPU, "cpu", "show CPU registers before entering a TB" },
    { LOG_UNIMP, "unimp", "log unimplemented functionality" },
    { LOG_GUEST_ERROR, "guest_errors",
      "log when the guest OS does something invalid (eg accessing a\n"
      "non-existent register)" },
};

static FILE *log_file(void)
{
    return logfile ? logfile : stderr;
}

void qemu_log(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(log_file(), fmt, ap);
    va_end(ap);
}

FILE *qemu_log_file(void)
{
    return log_file();
}

void qemu_log_flush(void)
{
    fflush(log_file());
}

bool qemu_str_to_log_mask(const char *str, int *mask, Error **errp)
{
    char **items = g_strsplit(str, ",", -1);
    int m = 0;
    bool ok = true;

    for (char **p = items; *p; p++) {
        const char *name = *p;
        bool found = false;

        if (!strcmp(name, "all")) {
            for (size_t i = 0; i < ARRAY_SIZE(log_items); i++) {
                m |= log_items[i].mask;
            }
            continue;
        }
        for (size_t i = 0; i < ARRAY_SIZE(log_items); i++) {
            if (!strcmp(name, log_items[i].name)) {
                m |= log_items[i].mask;
                found = true;
                break;
            }
        }
        if (!found) {
            error_setg(errp, "unknown log item '%s' (-d help lists them)",
                       name);
            ok = false;
            break;
        }
    }
    g_strfreev(items);
    if (ok) {
        *mask = m;
    }
    return ok;
}

void qemu_log_print_items(FILE *f)
{
    fprintf(f, "Log items (comma separated):\n");
    for (size_t i = 0; i < ARRAY_SIZE(log_items); i++) {
        fprintf(f, "%-15s %s\n", log_items[i].name, log_items[i].help);
    }
}

void qemu_set_log(int mask)
{
    qemu_loglevel = mask;
}

bool qemu_set_log_filename(const char *filename, Error **errp)
{
    FILE *f;

    if (!filename || !*filename) {
        qemu_log_close();
        return true;
    }
    f = fopen(filename, "w");
    if (!f) {
        error_setg_errno(errp, errno, "could not open log file '%s'", filename);
        return false;
    }
    qemu_log_close();
    setvbuf(f, NULL, _IOLBF, 0);
    logfile = f;
    return true;
}

void qemu_log_close(void)
{
    if (logfile) {
        fclose(logfile);
        logfile = NULL;
    }
}
