/*
 * Errors and error reports.
 */
#include "qemu/osdep.h"
#include "qemu/error.h"

Error *error_fatal;
Error *error_abort;

static char *progname;
static char *cur_loc;
static ErrorSink *error_sink;
static void *error_sink_opaque;

G_DEFINE_QUARK(qemu - error - quark, qemu_error)

static void error_handle_special(Error **errp, Error *err)
{
    if (errp == &error_abort) {
        fprintf(stderr, "Unexpected error: %s\n", err->message);
        abort();
    }
    if (errp == &error_fatal) {
        error_report("%s", err->message);
        exit(1);
    }
}

static void error_setv(Error **errp, int os_errno, const char *fmt, va_list ap)
{
    char *msg = g_strdup_vprintf(fmt, ap);
    Error *err;

    if (os_errno) {
        char *full = g_strdup_printf("%s: %s", msg, g_strerror(os_errno));
        g_free(msg);
        msg = full;
    }
    err = g_error_new_literal(QEMU_ERROR, 0, msg);
    g_free(msg);
    if (errp == &error_abort || errp == &error_fatal) {
        error_handle_special(errp, err);
    }
    if (!errp) {
        g_error_free(err);
        return;
    }
    g_assert(*errp == NULL);
    *errp = err;
}

void error_setg(Error **errp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, 0, fmt, ap);
    va_end(ap);
}

void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, os_errno, fmt, ap);
    va_end(ap);
}

void error_prepend(Error **errp, const char *fmt, ...)
{
    va_list ap;
    char *prefix;
    char *msg;

    if (!errp || !*errp) {
        return;
    }
    va_start(ap, fmt);
    prefix = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    msg = g_strconcat(prefix, (*errp)->message, NULL);
    g_free((*errp)->message);
    (*errp)->message = msg;
    g_free(prefix);
}

void error_propagate(Error **dst, Error *local_err)
{
    if (!local_err) {
        return;
    }
    if (dst == &error_abort || dst == &error_fatal) {
        error_handle_special(dst, local_err);
    }
    if (!dst || *dst) {
        g_error_free(local_err);
        return;
    }
    *dst = local_err;
}

void error_free(Error *err)
{
    if (err) {
        g_error_free(err);
    }
}

const char *error_get_pretty(const Error *err)
{
    return err->message;
}

void error_set_progname(const char *argv0)
{
    g_free(progname);
    progname = g_path_get_basename(argv0);
}

const char *error_get_progname(void)
{
    return progname ? progname : "qemu-system-x86_64";
}

void error_set_sink(ErrorSink *sink, void *opaque)
{
    error_sink = sink;
    error_sink_opaque = opaque;
}

void loc_set_option(const char *opt, const char *arg)
{
    g_free(cur_loc);
    cur_loc = arg ? g_strdup_printf("%s %s", opt, arg) : g_strdup(opt);
}

void loc_set_none(void)
{
    g_free(cur_loc);
    cur_loc = NULL;
}

void loc_push(Location *saved)
{
    saved->text = cur_loc;
    cur_loc = NULL;
}

void loc_pop(Location *saved)
{
    g_free(cur_loc);
    cur_loc = saved->text;
    saved->text = NULL;
}

static void vreport(const char *kind, const char *fmt, va_list ap)
{
    GString *line = g_string_new(NULL);

    /* On the monitor, QEMU prints the bare message; on stderr, a prefix. */
    if (!error_sink) {
        g_string_append_printf(line, "%s: ", error_get_progname());
        if (cur_loc) {
            g_string_append_printf(line, "%s: ", cur_loc);
        }
    }
    if (kind) {
        g_string_append(line, kind);
    }
    g_string_append_vprintf(line, fmt, ap);
    g_string_append_c(line, '\n');
    if (error_sink) {
        error_sink(error_sink_opaque, line->str);
    } else {
        fputs(line->str, stderr);
        fflush(stderr);
    }
    g_string_free(line, TRUE);
}

void error_vreport(const char *fmt, va_list ap)
{
    vreport(NULL, fmt, ap);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(NULL, fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

void info_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("info: ", fmt, ap);
    va_end(ap);
}

void error_report_err(Error *err)
{
    error_report("%s", err->message);
    error_free(err);
}

void warn_report_err(Error *err)
{
    warn_report("%s", err->message);
    error_free(err);
}
