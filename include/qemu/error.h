/*
 * Errors: one style everywhere.
 *
 * Functions that can fail take an "Error **errp" last and return false (or
 * NULL / negative) on failure after filling *errp.  The user sees exactly one
 * line: "qemu-system-x86_64: <location>: <message>", where the location is
 * the command-line option being processed, if any (see loc_set_option()).
 *
 * Error is a GError in the QEMU_ERROR domain, so GLib helpers work on it.
 */
#ifndef QEMU_ERROR_H
#define QEMU_ERROR_H

#include "qemu/osdep.h"

typedef GError Error;

#define QEMU_ERROR qemu_error_quark()
GQuark qemu_error_quark(void);

/*
 * Pass &error_fatal as errp to report the error and exit(1) at once;
 * pass &error_abort for errors that are programming mistakes.
 */
extern Error *error_fatal;
extern Error *error_abort;

void error_setg(Error **errp, const char *fmt, ...) QEMU_PRINTF(2, 3);
/* Appends ": strerror(os_errno)" to the message. */
void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
    QEMU_PRINTF(3, 4);
/* Prefixes the message of *errp (if set) with the formatted text. */
void error_prepend(Error **errp, const char *fmt, ...) QEMU_PRINTF(2, 3);
/* Moves local_err into *dst (freeing it if dst is NULL). */
void error_propagate(Error **dst, Error *local_err);
void error_free(Error *err);
const char *error_get_pretty(const Error *err);

/* Reporting to stderr (or the current monitor), one line each. */
void error_report(const char *fmt, ...) QEMU_PRINTF(1, 2);
void warn_report(const char *fmt, ...) QEMU_PRINTF(1, 2);
void info_report(const char *fmt, ...) QEMU_PRINTF(1, 2);
void error_vreport(const char *fmt, va_list ap) QEMU_PRINTF(1, 0);
/* Reports and frees err. */
void error_report_err(Error *err);
void warn_report_err(Error *err);

/* Program name used as the message prefix ("qemu-system-x86_64"). */
void error_set_progname(const char *argv0);
const char *error_get_progname(void);

/*
 * Location of the current error: the command-line option being parsed.
 * loc_set_option("-m", "banana") makes reports read
 * "qemu-system-x86_64: -m banana: ...".  loc_set_none() clears it.
 */
void loc_set_option(const char *opt, const char *arg);
void loc_set_none(void);
/* Saves and restores the location around nested work. */
typedef struct Location {
    char *text;
} Location;
void loc_push(Location *saved);
void loc_pop(Location *saved);

/*
 * Where reports go: NULL for stderr; the monitor installs a function while a
 * command runs so that errors reach the user on the monitor's chardev.
 */
typedef void ErrorSink(void *opaque, const char *line);
void error_set_sink(ErrorSink *sink, void *opaque);

#endif
