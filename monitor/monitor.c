/*
 * The human monitor: monitor instances on chardevs, their input and
 * output, the command tables, line splitting, dispatch, help and Tab
 * completion.  The built-in commands themselves are in hmp-cmds.c.
 */
#include "qemu/osdep.h"
#include "config-host.h"
#include "monitor/monitor-internal.h"

/* Input queued ahead of readline (flow control: see monitor_can_read). */
#define MONITOR_INBUF_SIZE 4096
/* Output held for an unfocused mux beyond this is dropped. */
#define MONITOR_HELD_MAX (64 * 1024)

Monitor *cur_mon;

static GPtrArray *monitors;

/* Both sorted by primary name; built-ins are added on first use. */
static GPtrArray *hmp_cmds;
static GPtrArray *hmp_info_cmds;

/* ---- output ---- */

static void monitor_write(Monitor *mon, const char *buf, size_t len)
{
    if (!len) {
        return;
    }
    if (mon->is_mux && !mon->focused) {
        if (mon->held->len + len <= MONITOR_HELD_MAX) {
            g_string_append_len(mon->held, buf, len);
        }
        return;
    }
    /* A disconnected back-end (-1) discards output, as in QEMU. */
    qemu_chr_fe_write_all(&mon->chr, (const uint8_t *)buf, len);
}

void monitor_puts(Monitor *mon, const char *str)
{
    GString *out;

    if (!mon) {
        return;
    }
    out = g_string_sized_new(strlen(str) + 16);
    for (const char *p = str; *p; p++) {
        /* The terminal is raw: a bare LF would not return the carriage. */
        if (*p == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
    monitor_write(mon, out->str, out->len);
    g_string_free(out, TRUE);
}

void monitor_vprintf(Monitor *mon, const char *fmt, va_list ap)
{
    char *str;

    if (!mon) {
        return;
    }
    str = g_strdup_vprintf(fmt, ap);
    monitor_puts(mon, str);
    g_free(str);
}

void monitor_printf(Monitor *mon, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    monitor_vprintf(mon, fmt, ap);
    va_end(ap);
}

/* error_report() while a command runs: the user reads it on the monitor. */
static void monitor_error_sink(void *opaque, const char *line)
{
    monitor_puts(opaque, line);
}

/* ---- command tables ---- */

/* Length of the primary name ("quit" in "quit|q"). */
static size_t cmd_primary_len(const HMPCommand *cmd)
{
    return strcspn(cmd->name, "|");
}

static int cmd_compare(const HMPCommand *a, const HMPCommand *b)
{
    size_t la = cmd_primary_len(a);
    size_t lb = cmd_primary_len(b);
    int r = strncmp(a->name, b->name, MIN(la, lb));

    return r ? r : (la > lb) - (la < lb);
}

/* Does name equal one of the '|'-separated aliases of cmd? */
static bool cmd_matches(const HMPCommand *cmd, const char *name)
{
    size_t n = strlen(name);
    const char *p = cmd->name;

    for (;;) {
        size_t len = strcspn(p, "|");

        if (len == n && strncmp(p, name, n) == 0) {
            return true;
        }
        if (!p[len]) {
            return false;
        }
        p += len + 1;
    }
}

static const HMPCommand *cmd_lookup(GPtrArray *table, const char *name)
{
    for (guint i = 0; i < table->len; i++) {
        const HMPCommand *cmd = g_ptr_array_index(table, i);

        if (cmd_matches(cmd, name)) {
            return cmd;
        }
    }
    return NULL;
}

/* Inserts a copy in order; one with the same primary name is replaced. */
static void cmd_table_add(GPtrArray *table, const HMPCommand *cmd)
{
    HMPCommand *copy = g_memdup2(cmd, sizeof(*cmd));
    guint i;

    g_assert(cmd->name && cmd->cmd);
    for (i = 0; i < table->len; i++) {
        HMPCommand *old = g_ptr_array_index(table, i);
        int r = cmd_compare(copy, old);

        if (r == 0) {
            g_free(old);
            g_ptr_array_index(table, i) = copy;
            return;
        }
        if (r < 0) {
            break;
        }
    }
    g_ptr_array_insert(table, i, copy);
}

static void cmd_tables_init(void)
{
    if (hmp_cmds) {
        return;
    }
    hmp_cmds = g_ptr_array_new_with_free_func(g_free);
    hmp_info_cmds = g_ptr_array_new_with_free_func(g_free);
    hmp_register_builtin_commands();
}

void monitor_register_command(const HMPCommand *cmd)
{
    cmd_tables_init();
    cmd_table_add(hmp_cmds, cmd);
}

void monitor_register_info(const HMPCommand *cmd)
{
    cmd_tables_init();
    cmd_table_add(hmp_info_cmds, cmd);
}

/* ---- help and info ---- */

static void help_one(Monitor *mon, const char *prefix, const HMPCommand *cmd)
{
    monitor_printf(mon, "%s%s %s -- %s\n", prefix, cmd->name,
                   cmd->params ? cmd->params : "", cmd->help ? cmd->help : "");
}

static void help_table(Monitor *mon, const char *prefix, GPtrArray *table)
{
    for (guint i = 0; i < table->len; i++) {
        help_one(mon, prefix, g_ptr_array_index(table, i));
    }
}

void hmp_help(Monitor *mon, int argc, char **argv)
{
    const HMPCommand *cmd;

    cmd_tables_init();
    if (argc < 2) {
        help_table(mon, "", hmp_cmds);
        return;
    }
    cmd = cmd_lookup(hmp_cmds, argv[1]);
    if (!cmd) {
        monitor_printf(mon, "unknown command: '%s'\n", argv[1]);
        return;
    }
    if (cmd->cmd != hmp_info) {
        help_one(mon, "", cmd);
        return;
    }
    if (argc < 3) {
        help_table(mon, "info ", hmp_info_cmds);
        return;
    }
    cmd = cmd_lookup(hmp_info_cmds, argv[2]);
    if (!cmd) {
        monitor_printf(mon, "unknown command: '%s %s'\n", argv[1], argv[2]);
        return;
    }
    help_one(mon, "info ", cmd);
}

void hmp_info(Monitor *mon, int argc, char **argv)
{
    const HMPCommand *cmd;

    cmd_tables_init();
    if (argc < 2) {
        help_table(mon, "info ", hmp_info_cmds);
        return;
    }
    cmd = cmd_lookup(hmp_info_cmds, argv[1]);
    if (!cmd) {
        monitor_printf(mon, "unknown command: '%s %s'\n", argv[0], argv[1]);
        return;
    }
    /* The sub-command sees itself as argv[0], like a top-level command. */
    cmd->cmd(mon, argc - 1, argv + 1);
}

/* ---- command lines ---- */

/*
 * Splits a line into words.  Double quotes group words and may hold the
 * escapes \\ \" \' \n \r \t; outside quotes a backslash is literal (file
 * names).  "x/10i" splits into "x" and "/10i", as QEMU allows.  Returns
 * NULL after printing what is wrong.
 */
static GPtrArray *monitor_split_line(Monitor *mon, const char *line)
{
    GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
    GString *word = NULL;
    const char *p = line;

    for (;;) {
        while (g_ascii_isspace(*p)) {
            p++;
        }
        if (!*p) {
            break;
        }
        word = g_string_new(NULL);
        while (*p && !g_ascii_isspace(*p)) {
            if (*p != '"') {
                g_string_append_c(word, *p++);
                continue;
            }
            for (p++; *p != '"'; p++) {
                if (!*p) {
                    monitor_printf(mon, "unterminated string\n");
                    goto fail;
                }
                if (*p != '\\') {
                    g_string_append_c(word, *p);
                    continue;
                }
                switch (*++p) {
                case '\\':
                case '"':
                case '\'':
                    g_string_append_c(word, *p);
                    break;
                case 'n':
                    g_string_append_c(word, '\n');
                    break;
                case 'r':
                    g_string_append_c(word, '\r');
                    break;
                case 't':
                    g_string_append_c(word, '\t');
                    break;
                case '\0':
                    monitor_printf(mon, "unterminated string\n");
                    goto fail;
                default:
                    monitor_printf(mon, "unsupported escape code: '\\%c'\n",
                                   *p);
                    goto fail;
                }
            }
            p++; /* the closing quote */
        }
        g_ptr_array_add(words, g_string_free(word, FALSE));
        word = NULL;
    }
    if (words->len > 0) {
        char *first = g_ptr_array_index(words, 0);
        char *slash = strchr(first, '/');

        if (slash && slash != first) {
            g_ptr_array_insert(words, 1, g_strdup(slash));
            *slash = '\0';
        }
    }
    return words;

fail:
    g_string_free(word, TRUE);
    g_ptr_array_free(words, TRUE);
    return NULL;
}

static void monitor_run(Monitor *mon, const HMPCommand *cmd, int argc,
                        char **argv)
{
    Monitor *prev = cur_mon;

    cur_mon = mon;
    error_set_sink(monitor_error_sink, mon);
    cmd->cmd(mon, argc, argv);
    /* Commands may nest (a command running a line): restore the outer. */
    cur_mon = prev;
    error_set_sink(prev ? monitor_error_sink : NULL, prev);
}

void monitor_handle_command(Monitor *mon, const char *cmdline)
{
    GPtrArray *words;
    const HMPCommand *cmd;

    g_return_if_fail(mon && cmdline);
    cmd_tables_init();
    words = monitor_split_line(mon, cmdline);
    if (!words) {
        return;
    }
    if (words->len > 0) {
        char **argv;

        g_ptr_array_add(words, NULL);
        argv = (char **)words->pdata;
        cmd = cmd_lookup(hmp_cmds, argv[0]);
        if (!cmd) {
            monitor_printf(mon, "unknown command: '%s'\n", argv[0]);
        } else {
            monitor_run(mon, cmd, words->len - 1, argv);
        }
    }
    g_ptr_array_free(words, TRUE);
}

/* ---- argument helpers ---- */

typedef struct ExprParser {
    Monitor *mon;
    const char *p;
    bool failed;
} ExprParser;

static uint64_t expr_sum(ExprParser *e);

static uint64_t expr_error(ExprParser *e, const char *msg)
{
    if (!e->failed) {
        monitor_printf(e->mon, "%s\n", msg);
    }
    e->failed = true;
    return 0;
}

static uint64_t expr_invalid_char(ExprParser *e)
{
    if (!*e->p) {
        return expr_error(e, "unexpected end of expression");
    }
    if (!e->failed) {
        monitor_printf(e->mon, "invalid char in expression: '%c'\n", *e->p);
    }
    e->failed = true;
    return 0;
}

static uint64_t expr_unary(ExprParser *e)
{
    uint64_t n;
    char *end;

    switch (*e->p) {
    case '+':
        e->p++;
        return expr_unary(e);
    case '-':
        e->p++;
        return -expr_unary(e);
    case '~':
        e->p++;
        return ~expr_unary(e);
    case '(':
        e->p++;
        n = expr_sum(e);
        if (*e->p != ')') {
            return expr_error(e, "')' expected");
        }
        e->p++;
        return n;
    case '\0':
        return expr_error(e, "unexpected end of expression");
    }
    if (!g_ascii_isdigit(*e->p)) {
        return expr_invalid_char(e);
    }
    errno = 0;
    n = g_ascii_strtoull(e->p, &end, 0);
    if (errno == ERANGE) {
        return expr_error(e, "number too large");
    }
    e->p = end;
    return n;
}

static uint64_t expr_logic(ExprParser *e)
{
    uint64_t n = expr_unary(e);

    while (!e->failed && (*e->p == '&' || *e->p == '|' || *e->p == '^')) {
        char op = *e->p++;
        uint64_t m = expr_unary(e);

        n = op == '&' ? n & m : op == '|' ? n | m : n ^ m;
    }
    return n;
}

static uint64_t expr_prod(ExprParser *e)
{
    uint64_t n = expr_logic(e);

    while (!e->failed && (*e->p == '*' || *e->p == '/' || *e->p == '%')) {
        char op = *e->p++;
        uint64_t m = expr_logic(e);

        if (e->failed) {
            break;
        }
        if (op == '*') {
            n *= m;
        } else if (m == 0) {
            return expr_error(e, "division by zero");
        } else {
            n = op == '/' ? n / m : n % m;
        }
    }
    return n;
}

static uint64_t expr_sum(ExprParser *e)
{
    uint64_t n = expr_prod(e);

    while (!e->failed && (*e->p == '+' || *e->p == '-')) {
        char op = *e->p++;
        uint64_t m = expr_prod(e);

        n = op == '+' ? n + m : n - m;
    }
    return n;
}

bool monitor_parse_number(Monitor *mon, const char *str, uint64_t *val)
{
    ExprParser e = { .mon = mon, .p = str };
    uint64_t n = expr_sum(&e);

    if (!e.failed && *e.p) {
        expr_invalid_char(&e);
    }
    if (e.failed) {
        return false;
    }
    *val = n;
    return true;
}

/* Sticky across commands, as in QEMU: "x /4b" makes later "x" use b. */
static char default_fmt_format = 'x';
static int default_fmt_size = 4;

bool monitor_parse_format(Monitor *mon, const char *arg, MonitorFormat *fmt)
{
    const char *p = arg;
    int count = 1;
    int format = -1;
    int size = -1;

    if (!arg) {
        fmt->count = 1;
        fmt->format = default_fmt_format;
        fmt->size = default_fmt_format == 'i' ? -1 : default_fmt_size;
        return true;
    }
    if (*p != '/') {
        monitor_printf(mon, "invalid format '%s': expected /fmt\n", arg);
        return false;
    }
    p++;
    if (g_ascii_isdigit(*p)) {
        char *end;
        uint64_t n = g_ascii_strtoull(p, &end, 10);

        if (n > INT_MAX) {
            monitor_printf(mon, "invalid count in format: '%s'\n", arg);
            return false;
        }
        count = n;
        p = end;
    }
    for (; *p; p++) {
        switch (*p) {
        case 'x':
        case 'd':
        case 'u':
        case 'o':
        case 'c':
        case 'i':
            format = *p;
            break;
        case 'b':
            size = 1;
            break;
        case 'h':
            size = 2;
            break;
        case 'w':
            size = 4;
            break;
        case 'g':
            size = 8;
            break;
        default:
            monitor_printf(mon, "invalid char in format: '%c'\n", *p);
            return false;
        }
    }
    if (format < 0) {
        format = default_fmt_format;
    }
    if (format != 'i') {
        if (size < 0) {
            size = default_fmt_size;
        }
        default_fmt_size = size;
    }
    default_fmt_format = format;
    fmt->count = count;
    fmt->format = format;
    fmt->size = size;
    return true;
}

/* ---- Tab completion ---- */

/*
 * Offers the names in table starting with word.  A command whose primary
 * name matches is offered by that name only, so "q<Tab>" completes to
 * "quit" rather than listing "q" and "quit".
 */
static void complete_names(Monitor *mon, GPtrArray *table, const char *word)
{
    size_t n = strlen(word);

    for (guint i = 0; i < table->len; i++) {
        const HMPCommand *cmd = g_ptr_array_index(table, i);
        const char *p = cmd->name;
        bool first = true;

        for (;;) {
            size_t len = strcspn(p, "|");

            if (len >= n && strncmp(p, word, n) == 0) {
                char *name = g_strndup(p, len);
                readline_add_completion(&mon->rs, name);
                g_free(name);
                if (first) {
                    break;
                }
            }
            if (!p[len]) {
                break;
            }
            p += len + 1;
            first = false;
        }
    }
}

static void monitor_complete(void *opaque, const char *text)
{
    Monitor *mon = opaque;
    gchar **words = g_strsplit_set(text, " \t", -1);
    GPtrArray *argv = g_ptr_array_new();
    size_t len = strlen(text);
    bool new_word = len == 0 || g_ascii_isspace(text[len - 1]);
    const char *word;
    const HMPCommand *cmd;
    guint index;

    cmd_tables_init();
    for (gchar **w = words; *w; w++) {
        if (**w) {
            g_ptr_array_add(argv, *w);
        }
    }
    index = new_word ? argv->len : argv->len - 1;
    word = new_word ? "" : g_ptr_array_index(argv, index);
    readline_set_completion_start(&mon->rs, len - strlen(word));

    cmd = index > 0 ? cmd_lookup(hmp_cmds, g_ptr_array_index(argv, 0)) : NULL;
    if (index == 0) {
        complete_names(mon, hmp_cmds, word);
    } else if (cmd && cmd->cmd == hmp_info && index == 1) {
        complete_names(mon, hmp_info_cmds, word);
    } else if (cmd && cmd->cmd == hmp_help) {
        const HMPCommand *sub =
            index == 2 ? cmd_lookup(hmp_cmds, g_ptr_array_index(argv, 1))
                       : NULL;

        if (index == 1) {
            complete_names(mon, hmp_cmds, word);
        } else if (sub && sub->cmd == hmp_info) {
            complete_names(mon, hmp_info_cmds, word);
        }
    }
    g_ptr_array_free(argv, TRUE);
    g_strfreev(words);
}

/* ---- monitor instances ---- */

/* The greeting, once per connection, then the prompt. */
static void monitor_show(Monitor *mon)
{
    mon->show_pending = false;
    if (mon->suspend_cnt) {
        /* monitor_resume() shows the prompt. */
        mon->show_pending = true;
        return;
    }
    if (!mon->banner_shown) {
        mon->banner_shown = true;
        monitor_printf(mon,
                       "QEMU %s monitor - type 'help' for more information\n",
                       QEMU_VERSION);
    }
    if (mon->held->len) {
        GString *held = mon->held;

        mon->held = g_string_new(NULL);
        monitor_write(mon, held->str, held->len);
        g_string_free(held, TRUE);
    }
    readline_show_prompt(&mon->rs);
    mon->prompt_shown = true;
}

static void monitor_process_input(Monitor *mon)
{
    guint i;

    /* A command that runs the main loop may bring more input: queue it. */
    if (mon->processing) {
        return;
    }
    mon->processing = true;
    for (i = 0; i < mon->inbuf->len && !mon->suspend_cnt; i++) {
        readline_handle_byte(&mon->rs, mon->inbuf->data[i]);
    }
    g_byte_array_remove_range(mon->inbuf, 0, i);
    mon->processing = false;
}

static void monitor_bh(void *opaque)
{
    Monitor *mon = opaque;

    if (mon->suspend_cnt) {
        return;
    }
    if (mon->show_pending && mon->focused) {
        monitor_show(mon);
    }
    monitor_process_input(mon);
    if (!mon->suspend_cnt) {
        /* Space in inbuf again: let the back-end deliver what it holds. */
        qemu_chr_fe_accept_input(&mon->chr);
    }
}

static void monitor_line_done(void *opaque, const char *line, bool truncated)
{
    Monitor *mon = opaque;

    mon->prompt_shown = false;
    if (truncated) {
        monitor_printf(mon,
                       "command line too long (more than %d characters); "
                       "ignored\n",
                       READLINE_MAX_LINE);
    } else {
        monitor_handle_command(mon, line);
    }
    if (mon->suspend_cnt) {
        mon->show_pending = true;
    } else if (mon->focused) {
        readline_show_prompt(&mon->rs);
        mon->prompt_shown = true;
    }
}

static void monitor_readline_write(void *opaque, const char *text)
{
    monitor_puts(opaque, text);
}

static int monitor_can_read(void *opaque)
{
    Monitor *mon = opaque;

    if (mon->suspend_cnt || mon->inbuf->len >= MONITOR_INBUF_SIZE) {
        return 0;
    }
    return MONITOR_INBUF_SIZE - mon->inbuf->len;
}

static void monitor_read(void *opaque, const uint8_t *buf, int size)
{
    Monitor *mon = opaque;

    g_byte_array_append(mon->inbuf, buf, size);
    monitor_process_input(mon);
}

static void monitor_event(void *opaque, QEMUChrEvent event)
{
    Monitor *mon = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        /*
         * Greet a new connection.  A mux reports OPENED from the main
         * loop, possibly after the monitor (alone on it) was shown on
         * MUX_IN: greet once per connection, CLOSED starts a new one.
         */
        if (mon->banner_shown) {
            break;
        }
        if (mon->is_mux) {
            /* As for MUX_IN below: greet only once the user is here. */
            mon->show_pending = true;
            qemu_bh_schedule(mon->bh);
        } else {
            monitor_show(mon);
        }
        break;
    case CHR_EVENT_MUX_IN:
        /*
         * Shown from the bottom half: while front-ends attach at start-up
         * the mux may pass the focus by us on its way to the serial port,
         * and the greeting must wait until the user really switches here.
         */
        mon->focused = true;
        mon->show_pending = true;
        qemu_bh_schedule(mon->bh);
        break;
    case CHR_EVENT_MUX_OUT:
        /* Leave the serial output a fresh line after our prompt. */
        if (mon->prompt_shown) {
            monitor_puts(mon, "\n");
        }
        mon->prompt_shown = false;
        mon->show_pending = false;
        mon->focused = false;
        break;
    case CHR_EVENT_CLOSED:
        mon->banner_shown = false;
        mon->prompt_shown = false;
        g_byte_array_set_size(mon->inbuf, 0);
        readline_restart(&mon->rs);
        break;
    case CHR_EVENT_BREAK:
        break;
    }
}

Monitor *monitor_init_hmp(Chardev *chr, Error **errp)
{
    Monitor *mon;

    if (!chr) {
        error_setg(errp, "the monitor needs a character device");
        return NULL;
    }
    cmd_tables_init();
    mon = g_new0(Monitor, 1);
    if (!qemu_chr_fe_init(&mon->chr, chr, errp)) {
        g_free(mon);
        return NULL;
    }
    mon->is_mux = qemu_chr_is_mux(chr);
    mon->focused = !mon->is_mux;
    mon->inbuf = g_byte_array_new();
    mon->held = g_string_new(NULL);
    mon->bh = qemu_bh_new(monitor_bh, mon);
    readline_init(&mon->rs, "(qemu) ", monitor_readline_write,
                  monitor_line_done, monitor_complete, mon);
    if (!monitors) {
        monitors = g_ptr_array_new();
    }
    g_ptr_array_add(monitors, mon);
    /* readline echoes and edits itself: the terminal must not echo. */
    qemu_chr_fe_set_echo(&mon->chr, false);
    /* May deliver CHR_EVENT_OPENED (and the greeting) right away. */
    qemu_chr_fe_set_handlers(&mon->chr, monitor_can_read, monitor_read,
                             monitor_event, mon, true);
    return mon;
}

void monitor_suspend(Monitor *mon)
{
    mon->suspend_cnt++;
}

void monitor_resume(Monitor *mon)
{
    g_return_if_fail(mon->suspend_cnt > 0);
    if (--mon->suspend_cnt == 0) {
        /*
         * From the main loop, not here: the caller may be deep in a
         * command or a device callback.
         */
        qemu_bh_schedule(mon->bh);
    }
}

void monitor_cleanup(void)
{
    if (!monitors) {
        return;
    }
    for (guint i = 0; i < monitors->len; i++) {
        Monitor *mon = g_ptr_array_index(monitors, i);

        if (cur_mon == mon) {
            cur_mon = NULL;
            error_set_sink(NULL, NULL);
        }
        qemu_chr_fe_deinit(&mon->chr, false);
        qemu_bh_delete(mon->bh);
        readline_destroy(&mon->rs);
        g_byte_array_free(mon->inbuf, TRUE);
        g_string_free(mon->held, TRUE);
        g_free(mon);
    }
    g_ptr_array_free(monitors, TRUE);
    monitors = NULL;
}
