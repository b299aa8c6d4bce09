/*
 * Character devices: the back-end registry, chardev creation from
 * -chardev options and from the legacy -serial/-monitor syntax, and the
 * front-end and back-end APIs (see include/chardev/char.h).
 */
#include "qemu/osdep.h"
#include "chardev/char.h"
#include "chardev/char-internal.h"

/* Registered back-end classes, in registration order (for help). */
static GPtrArray *chr_classes;
/* Every live chardev, in creation order ("info chardev" lists them so). */
static GPtrArray *chardevs;
static void (*chr_quit_handler)(void);

/* Keys every back-end accepts. */
static const QemuOptDesc chr_common_opts[] = {
    { "backend", QEMU_OPT_STRING, "back-end type" },
    { "id", QEMU_OPT_STRING, "chardev name" },
    { "mux", QEMU_OPT_BOOL, "share the back-end between front-ends" },
    { "logfile", QEMU_OPT_STRING, "copy all output to this file" },
    { "logappend", QEMU_OPT_BOOL, "append to logfile instead of truncating" },
    { NULL },
};

/* ---- registry ---- */

void qemu_chr_register_class(const ChardevClass *cls)
{
    if (!chr_classes) {
        chr_classes = g_ptr_array_new();
    }
    if (qemu_chr_find_class(cls->name)) {
        return;
    }
    g_ptr_array_add(chr_classes, (gpointer)cls);
}

const ChardevClass *qemu_chr_find_class(const char *name)
{
    if (!chr_classes || !name) {
        return NULL;
    }
    for (guint i = 0; i < chr_classes->len; i++) {
        const ChardevClass *cls = g_ptr_array_index(chr_classes, i);
        if (strcmp(cls->name, name) == 0) {
            return cls;
        }
    }
    return NULL;
}

void qemu_chr_register_builtin_classes(void)
{
    static bool done;
    static const ChardevClass *const builtin[] = {
        &char_null_class, &char_vc_class,     &char_stdio_class,
        &char_file_class, &char_pipe_class,   &char_socket_class,
        &char_pty_class,  &char_serial_class, &char_tty_class,
        &char_udp_class,
    };

    if (done) {
        return;
    }
    done = true;
    for (size_t i = 0; i < ARRAY_SIZE(builtin); i++) {
        qemu_chr_register_class(builtin[i]);
    }
}

void qemu_chr_print_help(FILE *f)
{
    qemu_chr_register_builtin_classes();
    fprintf(f, "Available chardev backend types:\n");
    for (guint i = 0; i < chr_classes->len; i++) {
        const ChardevClass *cls = g_ptr_array_index(chr_classes, i);
        fprintf(f, "  %s\n", cls->name);
    }
}

/* ---- creation ---- */

/* The common keys followed by the class's own, for validation. */
static QemuOptDesc *chr_merged_opts(const ChardevClass *cls)
{
    size_t ncommon = ARRAY_SIZE(chr_common_opts) - 1;
    size_t nclass = 0;
    QemuOptDesc *desc;

    while (cls->opts && cls->opts[nclass].name) {
        nclass++;
    }
    desc = g_new0(QemuOptDesc, ncommon + nclass + 1);
    memcpy(desc, chr_common_opts, ncommon * sizeof(*desc));
    if (nclass) {
        memcpy(desc + ncommon, cls->opts, nclass * sizeof(*desc));
    }
    return desc;
}

void qemu_chr_set_filename(Chardev *chr, char *filename)
{
    g_free(chr->filename);
    chr->filename = filename;
}

static bool chr_open_logfile(Chardev *chr, QemuOpts *opts, Error **errp)
{
    const char *logfile = qemu_opt_get(opts, "logfile");
    bool append;
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC;

    if (!logfile) {
        return true;
    }
    if (!qemu_opt_get_bool(opts, "logappend", false, &append, errp)) {
        return false;
    }
    flags |= append ? O_APPEND : O_TRUNC;
    chr->logfd = open(logfile, flags, 0666);
    if (chr->logfd < 0) {
        error_setg_errno(errp, errno, "Unable to open logfile '%s'", logfile);
        return false;
    }
    return true;
}

static void chr_free(Chardev *chr)
{
    if (chr->logfd >= 0) {
        close(chr->logfd);
    }
    g_free(chr->label);
    g_free(chr->filename);
    g_free(chr);
}

/* Creates and opens one back-end (no mux) labelled label. */
static Chardev *chr_create(const ChardevClass *cls, const char *label,
                           QemuOpts *opts, Error **errp)
{
    Chardev *chr;
    bool be_opened = true;

    g_assert(cls->instance_size >= sizeof(Chardev));
    chr = g_malloc0(cls->instance_size);
    chr->cls = cls;
    chr->label = g_strdup(label);
    chr->logfd = -1;

    if (!chr_open_logfile(chr, opts, errp)) {
        chr_free(chr);
        return NULL;
    }
    if (cls->open && !cls->open(chr, opts, &be_opened, errp)) {
        /* Errors name the back-end: "chardev: file: Could not open ...". */
        error_prepend(errp, "chardev: %s: ", cls->name);
        chr_free(chr);
        return NULL;
    }
    if (!chr->filename) {
        chr->filename = g_strdup(cls->name);
    }
    chr->be_open = be_opened;
    if (!chardevs) {
        chardevs = g_ptr_array_new();
    }
    g_ptr_array_add(chardevs, chr);
    return chr;
}

Chardev *qemu_chr_new_from_opts(QemuOpts *opts, Error **errp)
{
    const char *backend = qemu_opt_get(opts, "backend");
    const char *id = opts->id ? opts->id : qemu_opt_get(opts, "id");
    const ChardevClass *cls;
    QemuOptDesc *desc;
    bool ok;
    bool mux;
    Chardev *chr;
    Chardev *mux_chr;
    char *base_label;

    qemu_chr_register_builtin_classes();
    if (!backend) {
        error_setg(errp, "chardev: \"%s\" missing backend", id ? id : "");
        return NULL;
    }
    cls = qemu_chr_find_class(backend);
    if (!cls) {
        error_setg(errp, "'%s' is not a valid char driver name", backend);
        return NULL;
    }
    desc = chr_merged_opts(cls);
    ok = qemu_opts_validate(opts, desc, errp);
    g_free(desc);
    if (!ok) {
        return NULL;
    }
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return NULL;
    }
    if (qemu_chr_find(id)) {
        error_setg(errp, "Duplicate ID '%s' for chardev", id);
        return NULL;
    }
    if (!qemu_opt_get_bool(opts, "mux", false, &mux, errp)) {
        return NULL;
    }
    if (!mux) {
        return chr_create(cls, id, opts, errp);
    }

    /* Like QEMU, the back-end behind a mux is "ID-base"; the mux is ID. */
    base_label = g_strdup_printf("%s-base", id);
    if (qemu_chr_find(base_label)) {
        error_setg(errp, "Duplicate ID '%s' for chardev", base_label);
        g_free(base_label);
        return NULL;
    }
    chr = chr_create(cls, base_label, opts, errp);
    g_free(base_label);
    if (!chr) {
        return NULL;
    }
    mux_chr = mux_chr_new(id, chr, errp);
    if (!mux_chr) {
        qemu_chr_delete(chr);
        return NULL;
    }
    g_ptr_array_add(chardevs, mux_chr);
    return mux_chr;
}

QemuOpts *qemu_chr_parse_opts(const char *params, Error **errp)
{
    size_t len = strcspn(params, ",=");
    const ChardevClass *cls = NULL;
    QemuOptDesc *desc = NULL;
    QemuOpts *opts;

    qemu_chr_register_builtin_classes();
    if (params[len] != '=') {
        char *name = g_strndup(params, len);
        cls = qemu_chr_find_class(name);
        g_free(name);
    }
    /*
     * With the back-end's keys known, the deprecated "noflag" form reads
     * right ("nowait" is wait=off).  An unknown back-end is reported by
     * qemu_chr_new_from_opts(), so parse without keys then.
     */
    if (cls) {
        desc = chr_merged_opts(cls);
    }
    opts = qemu_opts_parse("chardev", params, "backend", desc, errp);
    g_free(desc);
    return opts;
}

/* Appends ",key=value" with commas in value doubled (QemuOpts escaping). */
static void append_opt(GString *s, const char *key, const char *value)
{
    g_string_append_printf(s, ",%s=", key);
    for (const char *p = value; *p; p++) {
        if (*p == ',') {
            g_string_append_c(s, ',');
        }
        g_string_append_c(s, *p);
    }
}

/*
 * "[HOST]:PORT[,opts]" or "[V6ADDR]:PORT[,opts]" as used after "tcp:" and
 * "telnet:".  Fills host, port and the trailing options (without the comma).
 */
static bool parse_host_port(const char *p, char **host, char **port,
                            const char **rest)
{
    const char *colon;
    const char *comma;

    if (*p == '[') {
        const char *end = strchr(p, ']');
        if (!end || end[1] != ':') {
            return false;
        }
        *host = g_strndup(p + 1, end - p - 1);
        colon = end + 1;
    } else {
        colon = strchr(p, ':');
        if (!colon) {
            return false;
        }
        *host = g_strndup(p, colon - p);
    }
    comma = strchr(colon + 1, ',');
    if (comma) {
        *port = g_strndup(colon + 1, comma - colon - 1);
        *rest = comma + 1;
    } else {
        *port = g_strdup(colon + 1);
        *rest = NULL;
    }
    if (!**port) {
        g_free(*host);
        g_free(*port);
        return false;
    }
    return true;
}

QemuOpts *qemu_chr_parse_compat(const char *label, const char *spec,
                                Error **errp)
{
    const char *orig = spec;
    GString *s = g_string_new(NULL);
    const char *p;
    const char *rest = NULL;
    bool mon = false;
    QemuOpts *opts;

    if (g_str_has_prefix(spec, "mon:")) {
        mon = true;
        spec += 4;
    }
    if (strcmp(spec, "none") == 0 || g_str_has_prefix(spec, "chardev:")) {
        error_setg(errp, "'%s' does not create a chardev", orig);
        g_string_free(s, TRUE);
        return NULL;
    }
    if (strcmp(spec, "null") == 0 || strcmp(spec, "stdio") == 0 ||
        strcmp(spec, "pty") == 0 || strcmp(spec, "vc") == 0) {
        g_string_append(s, spec);
    } else if (g_str_has_prefix(spec, "vc:")) {
        /* "vc:WxH": no display yet, so the size is irrelevant. */
        g_string_append(s, "vc");
    } else if ((p = g_str_has_prefix(spec, "file:") ? spec + 5 : NULL)) {
        g_string_append(s, "file");
        append_opt(s, "path", p);
    } else if ((p = g_str_has_prefix(spec, "pipe:") ? spec + 5 : NULL)) {
        g_string_append(s, "pipe");
        append_opt(s, "path", p);
    } else if (g_str_has_prefix(spec, "tcp:") ||
               g_str_has_prefix(spec, "telnet:")) {
        bool telnet = spec[1] == 'e';
        char *host;
        char *port;

        p = strchr(spec, ':') + 1;
        if (!parse_host_port(p, &host, &port, &rest)) {
            error_setg(errp, "'%s': expected %s[HOST]:PORT[,options]", orig,
                       telnet ? "telnet:" : "tcp:");
            g_string_free(s, TRUE);
            return NULL;
        }
        g_string_append(s, "socket");
        if (*host) {
            append_opt(s, "host", host);
        }
        append_opt(s, "port", port);
        if (telnet) {
            g_string_append(s, ",telnet=on");
        }
        g_free(host);
        g_free(port);
    } else if ((p = g_str_has_prefix(spec, "unix:") ? spec + 5 : NULL)) {
        /* QEMU parses the rest as options with "path" implied. */
        g_string_append(s, "socket,path=");
        rest = p;
    } else if (g_str_has_prefix(spec, "udp:")) {
        error_setg(errp, "'%s': UDP character devices are not supported", orig);
        g_string_free(s, TRUE);
        return NULL;
    } else if (g_str_has_prefix(spec, "/dev/")) {
        g_string_append(s, "serial");
        append_opt(s, "path", spec);
    } else {
        error_setg(errp, "'%s' is not a valid char driver", orig);
        g_string_free(s, TRUE);
        return NULL;
    }

    if (rest) {
        if (s->str[s->len - 1] != '=') {
            g_string_append_c(s, ',');
        }
        g_string_append(s, rest);
    }
    if (mon) {
        g_string_append(s, ",mux=on");
        /*
         * QEMU's compat rule: a monitor muxed on stdio (-nographic) passes
         * Ctrl-C to the guest; Ctrl-A x is the way out.
         */
        if (strcmp(spec, "stdio") == 0) {
            g_string_append(s, ",signal=off");
        }
    }
    if (label) {
        append_opt(s, "id", label);
    }
    opts = qemu_chr_parse_opts(s->str, errp);
    g_string_free(s, TRUE);
    return opts;
}

bool qemu_chr_spec_is_mon(const char *spec)
{
    return spec && g_str_has_prefix(spec, "mon:");
}

Chardev *qemu_chr_new(const char *label, const char *spec, Error **errp)
{
    QemuOpts *opts;
    Chardev *chr;

    if (strcmp(spec, "none") == 0) {
        return NULL;
    }
    if (g_str_has_prefix(spec, "chardev:")) {
        chr = qemu_chr_find(spec + 8);
        if (!chr) {
            error_setg(errp, "chardev '%s' not found", spec + 8);
        }
        return chr;
    }
    opts = qemu_chr_parse_compat(label, spec, errp);
    if (!opts) {
        return NULL;
    }
    chr = qemu_chr_new_from_opts(opts, errp);
    qemu_opts_free(opts);
    return chr;
}

Chardev *qemu_chr_find(const char *label)
{
    if (!chardevs || !label) {
        return NULL;
    }
    for (guint i = 0; i < chardevs->len; i++) {
        Chardev *chr = g_ptr_array_index(chardevs, i);
        if (strcmp(chr->label, label) == 0) {
            return chr;
        }
    }
    return NULL;
}

void qemu_chr_delete(Chardev *chr)
{
    Chardev *base = NULL;

    if (!chr) {
        return;
    }
    if (chardevs) {
        g_ptr_array_remove(chardevs, chr);
    }
    if (qemu_chr_is_mux(chr)) {
        /* The base was created for this mux alone: it goes with it. */
        base = mux_chr_get_base(chr);
    } else if (chr->be) {
        /* The front-end outlives us; its writes become no-ops. */
        chr->be->chr = NULL;
        chr->be = NULL;
    }
    if (chr->cls->chr_close) {
        chr->cls->chr_close(chr);
    }
    chr_free(chr);
    if (base) {
        qemu_chr_delete(base);
    }
}

void qemu_chr_cleanup(void)
{
    /* Newest first: a mux goes before the base it sits on. */
    while (chardevs && chardevs->len) {
        qemu_chr_delete(g_ptr_array_index(chardevs, chardevs->len - 1));
    }
}

void qemu_chr_foreach(void (*fn)(Chardev *chr, void *opaque), void *opaque)
{
    if (!chardevs) {
        return;
    }
    for (guint i = 0; i < chardevs->len; i++) {
        fn(g_ptr_array_index(chardevs, i), opaque);
    }
}

bool qemu_chr_is_mux(Chardev *chr)
{
    return chr && chr->cls == &char_mux_class;
}

void qemu_chr_set_quit_handler(void (*fn)(void))
{
    chr_quit_handler = fn;
}

void qemu_chr_quit_request(void)
{
    if (chr_quit_handler) {
        chr_quit_handler();
        return;
    }
    /* No main loop installed a handler: leave now, terminal restored. */
    qemu_chr_cleanup();
    exit(0);
}

/* ---- writing ---- */

static void chr_write_log(Chardev *s, const uint8_t *buf, int len)
{
    while (len > 0) {
        ssize_t ret = write(s->logfd, buf, len);
        if (ret < 0) {
            if (errno == EINTR) {
                continue;
            }
            return; /* a full disk must not stop the guest */
        }
        buf += ret;
        len -= ret;
    }
}

int qemu_chr_write(Chardev *s, const uint8_t *buf, int len, bool all)
{
    int done = 0;

    if (!s->cls->chr_write) {
        return len;
    }
    while (done < len) {
        int ret = s->cls->chr_write(s, buf + done, len - done);
        if (ret < 0) {
            if (done == 0) {
                return -1;
            }
            break;
        }
        if (ret == 0) {
            if (!all) {
                break;
            }
            if (s->cls->chr_wait_writable) {
                s->cls->chr_wait_writable(s);
            } else {
                g_usleep(1000);
            }
            continue;
        }
        done += ret;
    }
    if (done > 0 && s->logfd >= 0) {
        chr_write_log(s, buf, done);
    }
    return done;
}

/* ---- front-end API ---- */

bool qemu_chr_fe_init(CharBackend *b, Chardev *s, Error **errp)
{
    b->chr = NULL;
    b->chr_event = NULL;
    b->chr_can_read = NULL;
    b->chr_read = NULL;
    b->opaque = NULL;
    b->tag = 0;
    b->fe_open = false;
    if (!s) {
        /* -serial none: a front-end without a back-end is allowed. */
        return true;
    }
    if (qemu_chr_is_mux(s)) {
        if (!mux_chr_attach_fe(s, b)) {
            error_setg(errp, "Device '%s' is in use", s->label);
            return false;
        }
    } else {
        if (s->be) {
            error_setg(errp, "Device '%s' is in use", s->label);
            return false;
        }
        s->be = b;
    }
    b->chr = s;
    return true;
}

void qemu_chr_fe_deinit(CharBackend *b, bool del)
{
    Chardev *s = b->chr;

    if (!s) {
        return;
    }
    qemu_chr_fe_set_handlers(b, NULL, NULL, NULL, NULL, true);
    if (qemu_chr_is_mux(s)) {
        mux_chr_detach_fe(s, b);
    } else if (s->be == b) {
        s->be = NULL;
    }
    b->chr = NULL;
    if (del) {
        qemu_chr_delete(s);
    }
}

static void chr_fe_set_open(CharBackend *b, bool fe_open)
{
    Chardev *s = b->chr;

    if (b->fe_open == fe_open) {
        return;
    }
    b->fe_open = fe_open;
    if (s->cls->chr_set_fe_open) {
        s->cls->chr_set_fe_open(s, fe_open);
    }
}

void qemu_chr_fe_set_handlers(CharBackend *b, IOCanReadHandler *fd_can_read,
                              IOReadHandler *fd_read, IOEventHandler *fd_event,
                              void *opaque, bool set_open)
{
    Chardev *s = b->chr;
    bool fe_open;

    if (!s) {
        return;
    }
    fe_open = fd_can_read || fd_read || fd_event || opaque;
    b->chr_can_read = fd_can_read;
    b->chr_read = fd_read;
    b->chr_event = fd_event;
    b->opaque = opaque;
    if (set_open) {
        chr_fe_set_open(b, fe_open);
    }
    if (qemu_chr_is_mux(s)) {
        /* The mux decides focus and when its front-ends see OPENED. */
        mux_chr_fe_handlers_set(s, b, fe_open);
    } else if (fe_open && s->be_open) {
        /* Attaching to an already connected back-end: say so. */
        qemu_chr_be_event(s, CHR_EVENT_OPENED);
    }
    if (s->cls->chr_update_read_handler) {
        s->cls->chr_update_read_handler(s);
    }
}

int qemu_chr_fe_write(CharBackend *be, const uint8_t *buf, int len)
{
    /* No back-end (-serial none): output goes nowhere, all of it. */
    if (!be->chr) {
        return len;
    }
    return qemu_chr_write(be->chr, buf, len, false);
}

int qemu_chr_fe_write_all(CharBackend *be, const uint8_t *buf, int len)
{
    if (!be->chr) {
        return len;
    }
    return qemu_chr_write(be->chr, buf, len, true);
}

void qemu_chr_fe_printf(CharBackend *be, const char *fmt, ...)
{
    va_list ap;
    char *str;

    va_start(ap, fmt);
    str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qemu_chr_fe_write_all(be, (const uint8_t *)str, strlen(str));
    g_free(str);
}

void qemu_chr_fe_accept_input(CharBackend *be)
{
    Chardev *s = be->chr;

    if (!s) {
        return;
    }
    if (qemu_chr_is_mux(s)) {
        mux_chr_accept_input(s, be);
        return;
    }
    if (s->cls->chr_update_read_handler) {
        s->cls->chr_update_read_handler(s);
    }
}

void qemu_chr_fe_take_focus(CharBackend *b)
{
    if (qemu_chr_is_mux(b->chr)) {
        mux_chr_set_focus_fe(b->chr, b);
    }
}

void qemu_chr_fe_set_echo(CharBackend *be, bool echo)
{
    Chardev *s = be->chr;

    if (s && s->cls->chr_set_echo) {
        s->cls->chr_set_echo(s, echo);
    }
}

bool qemu_chr_fe_backend_connected(CharBackend *be)
{
    return be->chr != NULL;
}

Chardev *qemu_chr_fe_get_driver(CharBackend *be)
{
    return be->chr;
}

/* ---- back-end API ---- */

int qemu_chr_be_can_write(Chardev *s)
{
    CharBackend *be = s->be;

    if (!be || !be->chr_can_read) {
        return 0;
    }
    return be->chr_can_read(be->opaque);
}

void qemu_chr_be_write(Chardev *s, const uint8_t *buf, int len)
{
    CharBackend *be = s->be;

    /*
     * Every byte of host input passes here exactly once, before any mux
     * escape processing: this is where record/replay logs (record) or
     * substitutes (replay) character input.
     */
    if (!be || !be->chr_read || len <= 0) {
        return;
    }
    be->chr_read(be->opaque, buf, len);
}

void qemu_chr_be_event(Chardev *s, QEMUChrEvent event)
{
    CharBackend *be = s->be;

    /* Track the connection so late front-ends get OPENED on attach. */
    if (event == CHR_EVENT_OPENED) {
        s->be_open = true;
    } else if (event == CHR_EVENT_CLOSED) {
        s->be_open = false;
    }
    if (!be || !be->chr_event) {
        return;
    }
    be->chr_event(be->opaque, event);
}
