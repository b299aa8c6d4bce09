/*
 * QEMU-style option strings ("key=val,key2=val2", see qemu/option.h).
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qemu/cutils.h"

static QemuOpt *opt_new(const char *name, const char *str)
{
    QemuOpt *o = g_new0(QemuOpt, 1);

    o->name = g_strdup(name);
    o->str = g_strdup(str);
    return o;
}

static void opt_free(gpointer p)
{
    QemuOpt *o = p;

    g_free(o->name);
    g_free(o->str);
    g_free(o);
}

static QemuOpts *opts_new(const char *group)
{
    QemuOpts *opts = g_new0(QemuOpts, 1);

    opts->group = g_strdup(group);
    opts->opts = g_ptr_array_new_with_free_func(opt_free);
    return opts;
}

void qemu_opts_free(QemuOpts *opts)
{
    if (!opts) {
        return;
    }
    g_free(opts->group);
    g_free(opts->id);
    g_ptr_array_free(opts->opts, TRUE);
    g_free(opts);
}

static const QemuOptDesc *find_desc(const QemuOptDesc *desc, const char *name)
{
    for (; desc && desc->name; desc++) {
        if (!strcmp(desc->name, name)) {
            return desc;
        }
    }
    return NULL;
}

bool id_wellformed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id + 1; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

/*
 * Copies the text up to the first unescaped delimiter into *out, turning
 * ",," into ",".  Stops at '=' too when stop_at_eq.  Returns the position of
 * the delimiter (or the terminating NUL).
 */
static const char *get_token(const char *p, bool stop_at_eq, GString *out)
{
    g_string_truncate(out, 0);
    while (*p) {
        if (*p == ',') {
            if (p[1] != ',') {
                break;
            }
            p++;
        } else if (stop_at_eq && *p == '=') {
            break;
        }
        g_string_append_c(out, *p);
        p++;
    }
    return p;
}

QemuOpts *qemu_opts_parse(const char *group, const char *params,
                          const char *implied_key, const QemuOptDesc *desc,
                          Error **errp)
{
    QemuOpts *opts = opts_new(group);
    GString *key = g_string_new(NULL);
    GString *val = g_string_new(NULL);
    const char *p = params;
    bool first = true;

    while (*p) {
        const char *q = get_token(p, true, key);

        if (*q == '=') {
            q = get_token(q + 1, false, val);
            if (key->len == 0) {
                error_setg(errp, "Invalid parameter ''");
                goto fail;
            }
            g_ptr_array_add(opts->opts, opt_new(key->str, val->str));
        } else if (first && implied_key) {
            /* "-icount auto" is "-icount shift=auto". */
            g_ptr_array_add(opts->opts, opt_new(implied_key, key->str));
            opts->implied_key = implied_key;
        } else if (key->len == 0) {
            error_setg(errp, "Invalid parameter ''");
            goto fail;
        } else {
            /* Deprecated short form: "flag" = flag=on, "noflag" = flag=off */
            const char *name = key->str;
            const char *value = "on";
            const QemuOptDesc *d = find_desc(desc, name);

            if (desc && !d && g_str_has_prefix(name, "no") &&
                find_desc(desc, name + 2)) {
                d = find_desc(desc, name + 2);
                name += 2;
                value = "off";
            }
            if (desc && (!d || d->type != QEMU_OPT_BOOL)) {
                error_setg(errp, "Invalid parameter '%s'", key->str);
                goto fail;
            }
            warn_report("short-form boolean option '%s' deprecated, "
                        "use %s=%s instead",
                        key->str, name, value);
            g_ptr_array_add(opts->opts, opt_new(name, value));
        }
        first = false;
        p = *q ? q + 1 : q;
    }

    {
        const char *id = qemu_opt_get(opts, "id");
        if (id) {
            if (!id_wellformed(id)) {
                error_setg(errp,
                           "Parameter 'id' expects an identifier "
                           "(a letter, then letters, digits, '-', '.', '_')");
                goto fail;
            }
            opts->id = g_strdup(id);
            qemu_opt_unset(opts, "id");
        }
    }
    if (desc && !qemu_opts_validate(opts, desc, errp)) {
        goto fail;
    }
    g_string_free(key, TRUE);
    g_string_free(val, TRUE);
    return opts;

fail:
    g_string_free(key, TRUE);
    g_string_free(val, TRUE);
    qemu_opts_free(opts);
    return NULL;
}

static bool parse_typed(const QemuOptDesc *d, const char *str, uint64_t *num,
                        bool *b, Error **errp)
{
    int ret;

    switch (d->type) {
    case QEMU_OPT_STRING:
        return true;
    case QEMU_OPT_BOOL:
        if (!qemu_parse_bool(str, b)) {
            error_setg(errp, "Parameter '%s' expects 'on' or 'off'", d->name);
            return false;
        }
        return true;
    case QEMU_OPT_NUMBER:
        ret = qemu_strtou64(str, num);
        if (ret) {
            error_setg(errp, "Parameter '%s' expects a number%s", d->name,
                       ret == -ERANGE ? " below 2^64" : "");
            return false;
        }
        return true;
    case QEMU_OPT_SIZE:
        ret = qemu_strtosz(str, 'B', num);
        if (ret) {
            error_setg(errp,
                       "Parameter '%s' expects a size (a number with "
                       "an optional suffix K, M, G, T, P or E)%s",
                       d->name, ret == -ERANGE ? ", below 2^64" : "");
            return false;
        }
        return true;
    }
    g_assert_not_reached();
}

bool qemu_opts_validate(const QemuOpts *opts, const QemuOptDesc *desc,
                        Error **errp)
{
    for (guint i = 0; i < opts->opts->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->opts, i);
        const QemuOptDesc *d = find_desc(desc, o->name);
        uint64_t num;
        bool b;

        if (!d) {
            error_setg(errp, "Invalid parameter '%s'", o->name);
            return false;
        }
        if (!parse_typed(d, o->str, &num, &b, errp)) {
            return false;
        }
    }
    return true;
}

static QemuOpt *find_opt(const QemuOpts *opts, const char *name)
{
    /* The last occurrence wins, as in QEMU. */
    for (guint i = opts->opts->len; i-- > 0;) {
        QemuOpt *o = g_ptr_array_index(opts->opts, i);
        if (!strcmp(o->name, name)) {
            return o;
        }
    }
    return NULL;
}

const char *qemu_opt_get(const QemuOpts *opts, const char *name)
{
    QemuOpt *o;

    if (!strcmp(name, "id")) {
        if (opts->id) {
            return opts->id;
        }
    }
    o = find_opt(opts, name);
    return o ? o->str : NULL;
}

bool qemu_opt_has(const QemuOpts *opts, const char *name)
{
    return qemu_opt_get(opts, name) != NULL;
}

bool qemu_opt_get_bool(const QemuOpts *opts, const char *name, bool def,
                       bool *result, Error **errp)
{
    const char *s = qemu_opt_get(opts, name);
    QemuOptDesc d = { .name = name, .type = QEMU_OPT_BOOL };
    uint64_t num;

    if (!s) {
        *result = def;
        return true;
    }
    return parse_typed(&d, s, &num, result, errp);
}

bool qemu_opt_get_number(const QemuOpts *opts, const char *name, uint64_t def,
                         uint64_t *result, Error **errp)
{
    const char *s = qemu_opt_get(opts, name);
    QemuOptDesc d = { .name = name, .type = QEMU_OPT_NUMBER };
    bool b;

    if (!s) {
        *result = def;
        return true;
    }
    return parse_typed(&d, s, result, &b, errp);
}

bool qemu_opt_get_size(const QemuOpts *opts, const char *name, uint64_t def,
                       uint64_t *result, Error **errp)
{
    const char *s = qemu_opt_get(opts, name);
    QemuOptDesc d = { .name = name, .type = QEMU_OPT_SIZE };
    bool b;

    if (!s) {
        *result = def;
        return true;
    }
    return parse_typed(&d, s, result, &b, errp);
}

void qemu_opt_set(QemuOpts *opts, const char *name, const char *value)
{
    QemuOpt *o;

    if (!strcmp(name, "id")) {
        g_free(opts->id);
        opts->id = g_strdup(value);
        return;
    }
    o = find_opt(opts, name);
    if (o) {
        g_free(o->str);
        o->str = g_strdup(value);
    } else {
        g_ptr_array_add(opts->opts, opt_new(name, value));
    }
}

void qemu_opt_unset(QemuOpts *opts, const char *name)
{
    for (guint i = opts->opts->len; i-- > 0;) {
        QemuOpt *o = g_ptr_array_index(opts->opts, i);
        if (!strcmp(o->name, name)) {
            g_ptr_array_remove_index(opts->opts, i);
        }
    }
}

static void append_escaped(GString *s, const char *str)
{
    for (const char *p = str; *p; p++) {
        if (*p == ',') {
            g_string_append_c(s, ',');
        }
        g_string_append_c(s, *p);
    }
}

char *qemu_opts_to_string(const QemuOpts *opts, const QemuOptDesc *desc)
{
    GString *s = g_string_new(NULL);
    bool implied_done = false;

    if (opts->implied_key) {
        const char *v = qemu_opt_get(opts, opts->implied_key);
        /* A value containing '=' would not read back as implied. */
        if (v && !strchr(v, '=')) {
            append_escaped(s, v);
            implied_done = true;
        }
    }
    for (guint i = 0; i < opts->opts->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->opts, i);
        const QemuOptDesc *d = find_desc(desc, o->name);
        const char *val = o->str;
        bool b;

        if (implied_done && !strcmp(o->name, opts->implied_key)) {
            continue;
        }
        /* Only the last occurrence of a key counts; print that one. */
        if (find_opt(opts, o->name) != o) {
            continue;
        }
        /*
         * Booleans read as on/off.  Without a table, only the long
         * spellings are taken as booleans ("y" may be a string value).
         */
        if ((d ? d->type == QEMU_OPT_BOOL : strlen(val) > 1) &&
            qemu_parse_bool(val, &b)) {
            val = b ? "on" : "off";
        }
        if (s->len) {
            g_string_append_c(s, ',');
        }
        g_string_append(s, o->name);
        g_string_append_c(s, '=');
        append_escaped(s, val);
    }
    if (opts->id) {
        if (s->len) {
            g_string_append_c(s, ',');
        }
        g_string_append(s, "id=");
        g_string_append(s, opts->id);
    }
    return g_string_free(s, FALSE);
}
