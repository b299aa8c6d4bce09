/*
 * The human monitor: greeting, commands, line editing, completion,
 * several monitors, the mux, flow control.
 *
 * The monitor sits on a test-only "testbuf" chardev that keeps everything
 * written to it and takes input through qemu_chr_be_write(), the way real
 * back-ends deliver it.  What the terminal would show is reconstructed by
 * a tiny VT100 model, so editing tests check the echo as well as the line
 * the command finally receives.
 */
#include "qemu/osdep.h"
#include "config-host.h"
#include "qemu/main-loop.h"
#include "chardev/char.h"
#include "monitor/monitor.h"
#include "sysemu/runstate.h"
#include "exec/memory.h"
#include "exec/ioport.h"

#define BANNER                                              \
    "QEMU " QEMU_VERSION " monitor - type 'help' for more " \
    "information\r\n"
#define PROMPT "(qemu) "

#define KEY_UP    "\033[A"
#define KEY_DOWN  "\033[B"
#define KEY_RIGHT "\033[C"
#define KEY_LEFT  "\033[D"
#define KEY_HOME  "\033[H"
#define KEY_END   "\033[F"

/* ---- the testbuf back-end ---- */

typedef struct TestChardev {
    Chardev parent;
    GString *out;
} TestChardev;

static bool testbuf_open(Chardev *chr, QemuOpts *opts, bool *be_opened,
                         Error **errp)
{
    TestChardev *t = (TestChardev *)chr;

    t->out = g_string_new(NULL);
    chr->filename = g_strdup("testbuf:capture");
    *be_opened = true;
    return true;
}

static int testbuf_write(Chardev *chr, const uint8_t *buf, int len)
{
    g_string_append_len(((TestChardev *)chr)->out, (const char *)buf, len);
    return len;
}

static void testbuf_close(Chardev *chr)
{
    g_string_free(((TestChardev *)chr)->out, TRUE);
}

static const ChardevClass testbuf_class = {
    .name = "testbuf",
    .help = "captures output for the monitor tests",
    .instance_size = sizeof(TestChardev),
    .open = testbuf_open,
    .chr_write = testbuf_write,
    .chr_close = testbuf_close,
};

static Chardev *testbuf_new(const char *id, bool mux)
{
    char *spec = g_strdup_printf("testbuf,id=%s%s", id, mux ? ",mux=on" : "");
    QemuOpts *opts =
        qemu_opts_parse("chardev", spec, "backend", NULL, &error_abort);
    Chardev *chr = qemu_chr_new_from_opts(opts, &error_abort);

    g_assert_nonnull(chr);
    qemu_opts_free(opts);
    g_free(spec);
    return chr;
}

static GString *testbuf_out(Chardev *chr)
{
    return ((TestChardev *)chr)->out;
}

/* Delivers input as a back-end must: never more than the front-end takes. */
static void chr_input(Chardev *chr, const char *s, size_t len)
{
    while (len > 0) {
        int room = qemu_chr_be_can_write(chr);
        size_t n;

        g_assert_cmpint(room, >, 0);
        n = MIN((size_t)room, len);
        qemu_chr_be_write(chr, (const uint8_t *)s, n);
        s += n;
        len -= n;
    }
}

static void run_main_loop(void)
{
    for (int i = 0; i < 5; i++) {
        main_loop_wait(0);
    }
}

/* ---- a VT100 model: what the user would see ---- */

/*
 * Renders CR, LF, ESC [ n C, ESC [ n D, ESC [ K and printable bytes.
 * Anything else is a test failure: the monitor must not emit it.
 */
static char *render(const char *raw)
{
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    GString *line = g_string_new(NULL);
    GString *all = g_string_new(NULL);
    size_t col = 0;

    for (const char *p = raw; *p; p++) {
        if (*p == '\r') {
            col = 0;
        } else if (*p == '\n') {
            g_ptr_array_add(lines, g_strdup(line->str));
            g_string_truncate(line, 0);
        } else if (*p == '\033') {
            char *end;
            long n;

            g_assert_cmpint(p[1], ==, '[');
            n = strtol(p + 2, &end, 10);
            if (end == p + 2) {
                n = 1;
            }
            switch (*end) {
            case 'C':
                col += n;
                break;
            case 'D':
                g_assert_cmpint((long)col, >=, n);
                col -= n;
                break;
            case 'K':
                if (col < line->len) {
                    g_string_truncate(line, col);
                }
                break;
            default:
                g_assert_not_reached();
            }
            p = end;
        } else {
            g_assert_true(g_ascii_isprint(*p));
            while (line->len < col) {
                g_string_append_c(line, ' ');
            }
            if (col < line->len) {
                line->str[col] = *p;
            } else {
                g_string_append_c(line, *p);
            }
            col++;
        }
    }
    for (guint i = 0; i < lines->len; i++) {
        g_string_append_printf(all, "%s\n", (char *)lines->pdata[i]);
    }
    g_string_append(all, line->str);
    g_ptr_array_free(lines, TRUE);
    g_string_free(line, TRUE);
    return g_string_free(all, FALSE);
}

/* The last line on the screen (where the prompt is). */
static char *render_last_line(const char *raw)
{
    char *screen = render(raw);
    char *nl = strrchr(screen, '\n');
    char *last = g_strdup(nl ? nl + 1 : screen);

    g_free(screen);
    return last;
}

/* Every LF the monitor writes comes after a CR (raw terminal). */
static void assert_crlf(const char *raw)
{
    for (const char *p = strchr(raw, '\n'); p; p = strchr(p + 1, '\n')) {
        g_assert_true(p > raw && p[-1] == '\r');
    }
}

static int count_substr(const char *hay, const char *needle)
{
    int n = 0;

    for (const char *p = strstr(hay, needle); p;
         p = strstr(p + strlen(needle), needle)) {
        n++;
    }
    return n;
}

/* ---- fixture: one monitor on one testbuf ---- */

typedef struct Fixture {
    Chardev *chr;
    Monitor *mon;
    GString *out;
} Fixture;

static void fixture_init(Fixture *f)
{
    static int n;
    char *id = g_strdup_printf("mon%d", n++);

    f->chr = testbuf_new(id, false);
    f->out = testbuf_out(f->chr);
    f->mon = monitor_init_hmp(f->chr, &error_abort);
    g_assert_nonnull(f->mon);
    g_free(id);
}

static void fixture_free(Fixture *f)
{
    assert_crlf(f->out->str);
    monitor_cleanup();
    qemu_chr_delete(f->chr);
}

static void type(Fixture *f, const char *s)
{
    chr_input(f->chr, s, strlen(s));
}

/* Types a command and returns only what it printed (without the prompt). */
static char *command(Fixture *f, const char *cmd)
{
    size_t start;
    char *line;
    char *result;

    type(f, cmd);
    start = f->out->len;
    type(f, "\r");
    line = g_strndup(f->out->str + start, f->out->len - start);
    /* The echo of Enter, then the output, then a fresh prompt. */
    g_assert_true(g_str_has_prefix(line, "\r\n"));
    g_assert_true(g_str_has_suffix(line, PROMPT));
    result = g_strndup(line + 2, strlen(line) - 2 - strlen(PROMPT));
    g_free(line);
    return result;
}

static void assert_command(Fixture *f, const char *cmd, const char *expect)
{
    char *out = command(f, cmd);

    g_assert_cmpstr(out, ==, expect);
    g_free(out);
}

/* ---- test commands registered at start-up ---- */

static GString *testcmd_args;
static int testcmd_calls;
static Monitor *testcmd_mon;

static void hmp_testcmd(Monitor *mon, int argc, char **argv)
{
    g_string_truncate(testcmd_args, 0);
    for (int i = 1; i < argc; i++) {
        g_string_append_printf(testcmd_args, "%s[%s]", i > 1 ? " " : "",
                               argv[i]);
    }
    testcmd_calls++;
    testcmd_mon = cur_mon;
    g_assert_true(cur_mon == mon);
}

static void hmp_testerr(Monitor *mon, int argc, char **argv)
{
    error_report("boom %d", 42);
}

static void hmp_testinfo(Monitor *mon, int argc, char **argv)
{
    monitor_printf(mon, "test info: argv[0]=%s argc=%d\n", argv[0], argc);
}

static void hmp_testsuspend(Monitor *mon, int argc, char **argv)
{
    monitor_suspend(mon);
}

static const HMPCommand test_cmds[] = {
    { "testcmd|tc", "[args...]", "records its arguments", hmp_testcmd },
    { "testerr", "", "reports an error", hmp_testerr },
    { "testsuspend", "", "suspends the monitor", hmp_testsuspend },
};

static const HMPCommand test_info_cmd = { "testinfo", "",
                                          "a registered info sub-command",
                                          hmp_testinfo };

/* ---- a port device at 0x510 ---- */

#define TEST_PORT 0x510

static MemoryRegion test_port_mr;
static uint8_t test_port_regs[4] = { 0x11, 0x22, 0x33, 0x44 };
static unsigned test_port_last_size;

static uint64_t test_port_read(void *opaque, hwaddr addr, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)test_port_regs[(addr + i) & 3] << (8 * i);
    }
    test_port_last_size = size;
    return v;
}

static void test_port_write(void *opaque, hwaddr addr, uint64_t data,
                            unsigned size)
{
    for (unsigned i = 0; i < size; i++) {
        test_port_regs[(addr + i) & 3] = data >> (8 * i);
    }
    test_port_last_size = size;
}

static const MemoryRegionOps test_port_ops = {
    .read = test_port_read,
    .write = test_port_write,
};

static int powerdowns;

static void test_powerdown(void *opaque)
{
    powerdowns++;
}

/* Acts on pending requests as the main loop would; returns "exit?". */
static bool process_requests(void)
{
    int status = -1;
    bool exit = main_loop_should_exit(&status);

    if (exit) {
        g_assert_cmpint(status, ==, 0);
    }
    return exit;
}

/* ---- tests ---- */

static void test_banner(void)
{
    Fixture f;

    fixture_init(&f);
    g_assert_cmpstr(f.out->str, ==, BANNER PROMPT);
    fixture_free(&f);
}

static void test_help(void)
{
    Fixture f;
    char *out;

    fixture_init(&f);
    out = command(&f, "help");
    g_assert_nonnull(strstr(out, "stop|s  -- stop emulation\r\n"));
    g_assert_nonnull(strstr(out, "cont|c  -- resume emulation\r\n"));
    g_assert_nonnull(strstr(out, "quit|q  -- quit the emulator\r\n"));
    g_assert_nonnull(strstr(out, "info [subcommand] -- show various "
                                 "information about the system state\r\n"));
    g_assert_nonnull(strstr(out, "i /fmt addr -- I/O port read\r\n"));
    g_assert_nonnull(strstr(out, "o /fmt addr value -- I/O port write\r\n"));
    g_assert_nonnull(strstr(out, "testcmd|tc [args...] -- records"));
    /* Sorted, as QEMU lists them. */
    g_assert_true(strstr(out, "cont|c") < strstr(out, "help|?"));
    g_assert_true(strstr(out, "help|?") < strstr(out, "info "));
    g_assert_true(strstr(out, "quit|q") < strstr(out, "stop|s"));
    /* Sub-command info lines are not in the top-level list. */
    g_assert_null(strstr(out, "info status"));
    g_free(out);

    assert_command(&f, "help stop", "stop|s  -- stop emulation\r\n");
    assert_command(&f, "? c", "cont|c  -- resume emulation\r\n");
    assert_command(&f, "help info status",
                   "info status  -- show the current VM status "
                   "(running|paused)\r\n");
    out = command(&f, "help info");
    g_assert_nonnull(strstr(out, "info version  -- show the version"));
    g_assert_nonnull(strstr(out, "info mtree  -- "));
    g_free(out);
    assert_command(&f, "help nosuch", "unknown command: 'nosuch'\r\n");
    assert_command(&f, "help info nosuch",
                   "unknown command: 'info nosuch'\r\n");
    fixture_free(&f);
}

static void test_info(void)
{
    Fixture f;
    char *out;

    fixture_init(&f);
    out = command(&f, "info");
    g_assert_nonnull(strstr(out, "info chardev  -- "));
    g_assert_nonnull(strstr(out, "info status  -- "));
    g_assert_nonnull(strstr(out, "info version  -- "));
    g_assert_nonnull(strstr(out, "info testinfo  -- a registered info"));
    g_free(out);

    if (*QEMU_PKGVERSION) {
        assert_command(&f, "info version",
                       QEMU_VERSION " (" QEMU_PKGVERSION ")\r\n");
    } else {
        assert_command(&f, "info version", QEMU_VERSION "\r\n");
    }
    assert_command(&f, "info nosuch", "unknown command: 'info nosuch'\r\n");
    assert_command(&f, "info testinfo a b",
                   "test info: argv[0]=testinfo argc=3\r\n");

    out = command(&f, "info chardev");
    g_assert_nonnull(strstr(out, "mon"));
    g_assert_nonnull(strstr(out, ": filename=testbuf:capture\r\n"));
    g_free(out);
    fixture_free(&f);
}

static void test_status_stop_cont(void)
{
    Fixture f;

    fixture_init(&f);
    runstate_set(RUN_STATE_PRELAUNCH);
    assert_command(&f, "info status", "VM status: paused (prelaunch)\r\n");
    /* stop leaves a VM that never ran in prelaunch, as QEMU does. */
    assert_command(&f, "stop", "");
    assert_command(&f, "info status", "VM status: paused (prelaunch)\r\n");
    assert_command(&f, "cont", "");
    g_assert_true(runstate_is_running());
    assert_command(&f, "info status", "VM status: running\r\n");
    assert_command(&f, "s", "");
    g_assert_cmpint(runstate_get(), ==, RUN_STATE_PAUSED);
    assert_command(&f, "info status", "VM status: paused\r\n");
    assert_command(&f, "c", "");
    assert_command(&f, "info status", "VM status: running\r\n");
    assert_command(&f, "stop now",
                   "stop: extraneous characters at the end "
                   "of line\r\n");
    g_assert_true(runstate_is_running());

    vm_stop(RUN_STATE_DEBUG);
    assert_command(&f, "info status", "VM status: paused (debug)\r\n");
    assert_command(&f, "cont", "");
    g_assert_true(runstate_is_running());

    vm_stop(RUN_STATE_SHUTDOWN);
    assert_command(&f, "info status", "VM status: paused (shutdown)\r\n");
    assert_command(&f, "cont",
                   "Error: Resetting the Virtual Machine is required\r\n");
    g_assert_cmpint(runstate_get(), ==, RUN_STATE_SHUTDOWN);

    runstate_set(RUN_STATE_INTERNAL_ERROR);
    assert_command(&f, "info status", "VM status: paused (internal-error)\r\n");
    assert_command(&f, "cont",
                   "Error: Resetting the Virtual Machine is required\r\n");
    g_assert_cmpint(runstate_get(), ==, RUN_STATE_INTERNAL_ERROR);
    runstate_set(RUN_STATE_PRELAUNCH);
    fixture_free(&f);
}

static void test_quit(void)
{
    Fixture f;
    size_t len;

    fixture_init(&f);
    g_assert_false(qemu_shutdown_requested_pending());
    type(&f, "quit\r");
    g_assert_true(qemu_shutdown_requested_pending());
    /* No prompt, and no more input taken: the emulator is leaving. */
    g_assert_true(g_str_has_suffix(f.out->str, "quit\r\n"));
    g_assert_cmpint(qemu_chr_be_can_write(f.chr), ==, 0);
    len = f.out->len;
    qemu_chr_be_write(f.chr, (const uint8_t *)"help\r", 5);
    g_assert_cmpuint(f.out->len, ==, len);
    g_assert_true(process_requests());
    g_assert_false(qemu_shutdown_requested_pending());
    fixture_free(&f);

    fixture_init(&f);
    type(&f, "q\r");
    g_assert_true(qemu_shutdown_requested_pending());
    g_assert_true(process_requests());
    fixture_free(&f);
}

static void test_reset_powerdown(void)
{
    Fixture f;

    fixture_init(&f);
    g_assert_cmpint(qemu_reset_requested_pending(), ==, SHUTDOWN_CAUSE_NONE);
    assert_command(&f, "system_reset", "");
    g_assert_cmpint(qemu_reset_requested_pending(), ==,
                    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    g_assert_false(process_requests());
    g_assert_cmpint(qemu_reset_requested_pending(), ==, SHUTDOWN_CAUSE_NONE);

    powerdowns = 0;
    assert_command(&f, "system_powerdown", "");
    g_assert_cmpint(powerdowns, ==, 0);
    g_assert_false(process_requests());
    g_assert_cmpint(powerdowns, ==, 1);
    g_assert_false(qemu_shutdown_requested_pending());
    fixture_free(&f);
}

static void test_ioport(void)
{
    Fixture f;

    fixture_init(&f);
    memcpy(test_port_regs, "\x11\x22\x33\x44", 4);
    assert_command(&f, "i /b 0x510", "portb[0x0510] = 0x11\r\n");
    g_assert_cmpuint(test_port_last_size, ==, 1);
    assert_command(&f, "i /h 0x512", "portw[0x0512] = 0x4433\r\n");
    g_assert_cmpuint(test_port_last_size, ==, 2);
    assert_command(&f, "i /w 0x510", "portl[0x0510] = 0x44332211\r\n");
    g_assert_cmpuint(test_port_last_size, ==, 4);
    /* "i/b" without a space, expressions, the sticky size. */
    assert_command(&f, "i/b 0x510+(3*1)", "portb[0x0513] = 0x44\r\n");
    assert_command(&f, "i 1296", "portb[0x0510] = 0x11\r\n");
    /* Addresses wrap at 64K like QEMU's. */
    assert_command(&f, "i /b 0x10511", "portb[0x0511] = 0x22\r\n");
    /* Unassigned ports read as all ones. */
    assert_command(&f, "i /h 0x5f0", "portw[0x05f0] = 0xffff\r\n");

    assert_command(&f, "o /b 0x511 0x5a", "");
    g_assert_cmphex(test_port_regs[1], ==, 0x5a);
    g_assert_cmpuint(test_port_last_size, ==, 1);
    assert_command(&f, "o /h 0x512 0xbeef", "");
    g_assert_cmphex(test_port_regs[2], ==, 0xef);
    g_assert_cmphex(test_port_regs[3], ==, 0xbe);
    g_assert_cmpuint(test_port_last_size, ==, 2);
    assert_command(&f, "o /w 0x510 0x01020304", "");
    g_assert_cmpmem(test_port_regs, 4, "\x04\x03\x02\x01", 4);
    g_assert_cmpuint(test_port_last_size, ==, 4);

    /* Bad arguments: one line each, nothing accessed. */
    test_port_last_size = 0;
    assert_command(&f, "i", "i: missing argument (usage: i /fmt addr)\r\n");
    assert_command(&f, "i /b", "i: missing argument (usage: i /fmt addr)\r\n");
    assert_command(&f, "o /b 0x510",
                   "o: missing argument (usage: o /fmt addr value)\r\n");
    assert_command(&f, "i /q 0x510", "invalid char in format: 'q'\r\n");
    assert_command(&f, "i /b zz", "invalid char in expression: 'z'\r\n");
    assert_command(&f, "i /b 0x510 1",
                   "i: extraneous characters at the end of line\r\n");
    assert_command(&f, "i /b (1", "')' expected\r\n");
    assert_command(&f, "i /b 1/0", "division by zero\r\n");
    assert_command(&f, "i /b 1+", "unexpected end of expression\r\n");
    assert_command(&f, "o /b 0x510 99999999999999999999999",
                   "number too large\r\n");
    g_assert_cmpuint(test_port_last_size, ==, 0);
    g_assert_cmpmem(test_port_regs, 4, "\x04\x03\x02\x01", 4);
    /* Leave the default size where other tests expect it. */
    assert_command(&f, "i /w 0x5f0", "portl[0x05f0] = 0xffffffff\r\n");
    fixture_free(&f);
}

static void test_info_mtree(void)
{
    Fixture f;
    char *out;

    fixture_init(&f);
    out = command(&f, "info mtree");
    g_assert_true(g_str_has_prefix(out, "address-space: memory\r\n"));
    g_assert_nonnull(strstr(out, "\r\n\r\naddress-space: I/O\r\n"));
    g_assert_nonnull(strstr(out, "0000000000000510-0000000000000513"));
    g_assert_nonnull(strstr(out, "test-port"));
    g_assert_true(strstr(out, "test-port") > strstr(out, "address-space: I/O"));
    g_free(out);
    fixture_free(&f);
}

static void test_unknown_and_parsing(void)
{
    Fixture f;

    fixture_init(&f);
    assert_command(&f, "foo", "unknown command: 'foo'\r\n");
    assert_command(&f, "foo bar", "unknown command: 'foo'\r\n");
    assert_command(&f, "", "");
    assert_command(&f, "   ", "");

    testcmd_calls = 0;
    assert_command(&f, "testcmd  a   \"b c\" \"d\\\"e\\\\\" x\"y z\"w", "");
    g_assert_cmpint(testcmd_calls, ==, 1);
    g_assert_cmpstr(testcmd_args->str, ==, "[a] [b c] [d\"e\\] [xy zw]");
    assert_command(&f, "tc \"a\\nb\"", "");
    g_assert_cmpstr(testcmd_args->str, ==, "[a\nb]");
    /* Outside quotes a backslash is just a character (paths). */
    assert_command(&f, "tc a\\b", "");
    g_assert_cmpstr(testcmd_args->str, ==, "[a\\b]");
    assert_command(&f, "tc \"abc", "unterminated string\r\n");
    assert_command(&f, "tc \"a\\qb\"", "unsupported escape code: '\\q'\r\n");
    g_assert_cmpint(testcmd_calls, ==, 3);
    fixture_free(&f);
}

static void test_registered(void)
{
    Fixture f;

    fixture_init(&f);
    testcmd_calls = 0;
    testcmd_mon = NULL;
    assert_command(&f, "testcmd 1 2", "");
    g_assert_cmpint(testcmd_calls, ==, 1);
    g_assert_cmpstr(testcmd_args->str, ==, "[1] [2]");
    /* cur_mon is the monitor while its command runs, NULL after. */
    g_assert_true(testcmd_mon == f.mon);
    g_assert_null(cur_mon);
    assert_command(&f, "tc", "");
    g_assert_cmpint(testcmd_calls, ==, 2);

    /* monitor_handle_command runs a line without the terminal. */
    monitor_handle_command(f.mon, "testcmd via handle_command");
    g_assert_cmpint(testcmd_calls, ==, 3);
    g_assert_cmpstr(testcmd_args->str, ==, "[via] [handle_command]");
    fixture_free(&f);
}

static void test_error_report(void)
{
    Fixture f;

    fixture_init(&f);
    /* On the monitor, without the program-name prefix. */
    assert_command(&f, "testerr", "boom 42\r\n");
    g_assert_null(strstr(f.out->str, "qemu-system"));
    fixture_free(&f);
}

static void test_edit_basic(void)
{
    Fixture f;

    fixture_init(&f);
    testcmd_calls = 0;
    type(&f, "testcmd abx\x7f");
    type(&f, "c\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[abc]");
    type(&f, "testcmd abx\bc");
    {
        char *last = render_last_line(f.out->str);
        g_assert_cmpstr(last, ==, PROMPT "testcmd abc");
        g_free(last);
    }
    type(&f, "\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[abc]");

    /* Ctrl-U kills what is before the cursor. */
    type(&f, "garbage here\x15testcmd u\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[u]");
    /* Ctrl-W kills a word (and the spaces after it). */
    type(&f, "testcmd foo bar  \x17"
             "baz\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[foo] [baz]");
    /* Backspace on an empty line does nothing. */
    type(&f, "\x7f\x7ftestcmd e\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[e]");

    /* CR LF is one Enter: one command, one new prompt. */
    testcmd_calls = 0;
    {
        size_t start = f.out->len;
        type(&f, "testcmd crlf\r\n");
        g_assert_cmpint(count_substr(f.out->str + start, PROMPT), ==, 1);
    }
    g_assert_cmpint(testcmd_calls, ==, 1);
    /* A bare LF is Enter too. */
    type(&f, "testcmd lf\n");
    g_assert_cmpint(testcmd_calls, ==, 2);
    g_assert_cmpstr(testcmd_args->str, ==, "[lf]");
    /* Control characters without a binding are ignored. */
    type(&f, "testcmd \x07x\x7f\x19y\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[y]");
    fixture_free(&f);
}

static void test_edit_cursor(void)
{
    Fixture f;
    char *last;

    fixture_init(&f);
    /* Insert in the middle. */
    type(&f, "testcmd ac" KEY_LEFT "b");
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "testcmd abc");
    g_free(last);
    type(&f, "\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[abc]");

    /* Home and End, both encodings, and Right stopping at the end. */
    type(&f, "estcmd x" KEY_HOME "t" KEY_END "y" KEY_RIGHT KEY_RIGHT "z\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[xyz]");
    type(&f, "estcmd 2\033OHt\033OF3\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[23]");
    type(&f, "estcmd 4\033[1~t\033[4~5\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[45]");

    /* Left stops at the start; Delete removes under the cursor. */
    type(&f, "xtestcmd d" KEY_LEFT KEY_LEFT KEY_LEFT KEY_LEFT KEY_LEFT KEY_LEFT
                 KEY_LEFT KEY_LEFT KEY_LEFT KEY_LEFT KEY_LEFT "\033[3~");
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "testcmd d");
    g_free(last);
    type(&f, "\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[d]");

    /* Backspace in the middle, with the display following. */
    type(&f, "testcmd abXcd" KEY_LEFT KEY_LEFT "\x7f");
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "testcmd abcd");
    g_free(last);
    type(&f, "\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[abcd]");

    /* Ctrl-K kills to the end. */
    type(&f, "testcmd keep drop" KEY_LEFT KEY_LEFT KEY_LEFT KEY_LEFT KEY_LEFT
             "\x0b");
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "testcmd keep");
    g_free(last);
    type(&f, "\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[keep]");
    fixture_free(&f);
}

static void test_history(void)
{
    Fixture f;
    char *last;
    char *out;

    fixture_init(&f);
    type(&f, "testcmd one\r");
    type(&f, "testcmd two\r");
    type(&f, "testcmd three\r");

    type(&f, KEY_UP);
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "testcmd three");
    g_free(last);
    type(&f, KEY_UP KEY_UP);
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "testcmd one");
    g_free(last);
    /* Up at the oldest entry stays there. */
    type(&f, KEY_UP "\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[one]");

    /* "one" moved to the newest place; Down returns to the typed text. */
    type(&f, "testcmd partial" KEY_UP KEY_UP);
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "testcmd three");
    g_free(last);
    type(&f, KEY_DOWN);
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "testcmd one");
    g_free(last);
    type(&f, KEY_DOWN);
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "testcmd partial");
    g_free(last);
    type(&f, KEY_DOWN "\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[partial]");

    /* Editing a recalled line. */
    type(&f, "\x10"
             "2\r"); /* Ctrl-P */
    g_assert_cmpstr(testcmd_args->str, ==, "[partial2]");

    out = command(&f, "info history");
    g_assert_cmpstr(out, ==,
                    "0: 'testcmd two'\r\n"
                    "1: 'testcmd three'\r\n"
                    "2: 'testcmd one'\r\n"
                    "3: 'testcmd partial'\r\n"
                    "4: 'testcmd partial2'\r\n"
                    "5: 'info history'\r\n");
    g_free(out);
    fixture_free(&f);
}

static void test_completion(void)
{
    Fixture f;
    char *last;
    char *screen;
    size_t start;

    fixture_init(&f);
    /* Unique: completed with a space after. */
    type(&f, "testc\t");
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "testcmd ");
    g_free(last);
    type(&f, "x\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[x]");

    /* An alias's command completes to its name, not to a list. */
    type(&f, "qu\t");
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "quit ");
    g_free(last);
    type(&f, "\x15");

    /* Ambiguous: the common part is added and the candidates listed. */
    start = f.out->len;
    type(&f, "sy\t");
    screen = render(f.out->str);
    g_assert_nonnull(strstr(screen, "\nsystem_powerdown  system_reset\n"));
    g_assert_true(g_str_has_suffix(screen, PROMPT "system_"));
    g_free(screen);
    type(&f, "r\t");
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "system_reset ");
    g_free(last);
    type(&f, "\r");
    g_assert_cmpint(qemu_reset_requested_pending(), ==,
                    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    process_requests();

    /* info sub-commands, also after help info. */
    type(&f, "info sta\t");
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "info status ");
    g_free(last);
    type(&f, "\x15"
             "help info ver\t");
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "help info version ");
    g_free(last);
    type(&f, "\x15"
             "help st\t");
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "help stop ");
    g_free(last);

    start = f.out->len;
    type(&f, "\x15"
             "info \t");
    screen = render(f.out->str);
    g_assert_nonnull(strstr(screen, "chardev"));
    g_assert_nonnull(strstr(screen, "testinfo"));
    g_assert_true(g_str_has_suffix(screen, PROMPT "info "));
    g_free(screen);

    /* Completing in the middle of a line inserts at the cursor. */
    type(&f, "\x15"
             "tes foo" KEY_LEFT KEY_LEFT KEY_LEFT KEY_LEFT "t\t");
    /* "test" matches testcmd, testerr, testsuspend: only listed. */
    last = render_last_line(f.out->str);
    g_assert_cmpstr(last, ==, PROMPT "test foo");
    g_free(last);
    type(&f, "c\t\r");
    g_assert_cmpstr(testcmd_args->str, ==, "[foo]");

    /* Nothing matches: nothing happens. */
    start = f.out->len;
    type(&f, "zzz\t");
    g_assert_cmpstr(f.out->str + start, ==, "zzz");
    type(&f, "\x15");
    fixture_free(&f);
}

static void test_long_line(void)
{
    Fixture f;
    GString *line = g_string_new("testcmd ");
    char *out;

    fixture_init(&f);
    testcmd_calls = 0;
    while (line->len < 5000) {
        g_string_append_c(line, 'a' + line->len % 26);
    }
    out = command(&f, line->str);
    g_assert_true(g_str_has_prefix(out, "command line too long"));
    g_assert_true(g_str_has_suffix(out, "ignored\r\n"));
    g_assert_cmpint(count_substr(out, "\n"), ==, 1);
    g_free(out);
    g_assert_cmpint(testcmd_calls, ==, 0);
    /* The monitor is fine afterwards. */
    assert_command(&f, "testcmd ok", "");
    g_assert_cmpint(testcmd_calls, ==, 1);
    g_string_free(line, TRUE);
    fixture_free(&f);
}

static void test_flow_control(void)
{
    Fixture f;
    int room;

    fixture_init(&f);
    room = qemu_chr_be_can_write(f.chr);
    g_assert_cmpint(room, >, 0);
    g_assert_cmpint(room, <=, 4096);

    /* A suspended monitor takes no input and holds what it had. */
    testcmd_calls = 0;
    type(&f, "testsuspend\rtestcmd queued\r");
    g_assert_cmpint(testcmd_calls, ==, 0);
    g_assert_cmpint(qemu_chr_be_can_write(f.chr), ==, 0);
    g_assert_false(g_str_has_suffix(f.out->str, PROMPT));
    run_main_loop();
    g_assert_cmpint(testcmd_calls, ==, 0);

    monitor_resume(f.mon);
    run_main_loop();
    g_assert_cmpint(testcmd_calls, ==, 1);
    g_assert_cmpstr(testcmd_args->str, ==, "[queued]");
    g_assert_true(g_str_has_suffix(f.out->str, PROMPT));
    g_assert_cmpint(qemu_chr_be_can_write(f.chr), ==, room);
    fixture_free(&f);
}

static void test_two_monitors(void)
{
    Chardev *a = testbuf_new("twoa", false);
    Chardev *b = testbuf_new("twob", false);
    Monitor *ma = monitor_init_hmp(a, &error_abort);
    Monitor *mb = monitor_init_hmp(b, &error_abort);
    GString *oa = testbuf_out(a);
    GString *ob = testbuf_out(b);
    Error *err = NULL;

    g_assert_true(ma != mb);
    g_assert_cmpstr(oa->str, ==, BANNER PROMPT);
    g_assert_cmpstr(ob->str, ==, BANNER PROMPT);
    /* Half a line on a does not disturb b. */
    chr_input(a, "info ", 5);
    chr_input(b, "testerr\r", 8);
    chr_input(a, "version\r", 8);
    g_assert_nonnull(strstr(ob->str, "boom 42"));
    g_assert_null(strstr(oa->str, "boom 42"));
    g_assert_nonnull(strstr(oa->str, "info version\r\n" QEMU_VERSION));
    g_assert_null(strstr(ob->str, QEMU_VERSION " ("));

    /* A chardev takes one monitor. */
    g_assert_null(monitor_init_hmp(a, &err));
    g_assert_nonnull(err);
    error_free(err);
    err = NULL;
    g_assert_null(monitor_init_hmp(NULL, &err));
    g_assert_nonnull(err);
    error_free(err);

    monitor_cleanup();
    /* Detached: input goes nowhere, nothing crashes. */
    g_assert_cmpint(qemu_chr_be_can_write(a), ==, 0);
    qemu_chr_delete(a);
    qemu_chr_delete(b);
}

/* A serial-port stand-in sharing the mux with the monitor. */
static GString *serial_in;

static int serial_can_read(void *opaque)
{
    return 4096;
}

static void serial_read(void *opaque, const uint8_t *buf, int size)
{
    g_string_append_len(serial_in, (const char *)buf, size);
}

static void serial_event(void *opaque, QEMUChrEvent event)
{
}

static void test_mux(void)
{
    Chardev *mux = testbuf_new("muxed", true);
    Chardev *base = qemu_chr_find("muxed-base");
    CharBackend serial;
    Monitor *mon;
    GString *out;

    g_assert_true(qemu_chr_is_mux(mux));
    g_assert_nonnull(base);
    out = testbuf_out(base);
    serial_in = g_string_new(NULL);

    /* As -nographic: the monitor attaches first, the serial port after. */
    mon = monitor_init_hmp(mux, &error_abort);
    g_assert_nonnull(mon);
    g_assert_true(qemu_chr_fe_init(&serial, mux, &error_abort));
    qemu_chr_fe_set_handlers(&serial, serial_can_read, serial_read,
                             serial_event, NULL, true);
    run_main_loop();
    /* The serial port has the focus: no greeting yet. */
    g_assert_cmpstr(out->str, ==, "");
    chr_input(base, "ls\r", 3);
    g_assert_cmpstr(serial_in->str, ==, "ls\r");

    /* Ctrl-A c: the monitor greets and prompts. */
    chr_input(base, "\001c", 2);
    run_main_loop();
    g_assert_cmpstr(out->str, ==, BANNER PROMPT);
    chr_input(base, "info status\r", 12);
    g_assert_nonnull(strstr(out->str, "VM status: "));
    g_assert_true(g_str_has_suffix(out->str, PROMPT));
    g_assert_cmpstr(serial_in->str, ==, "ls\r");

    /* Back to the serial port: the guest's output starts on a new line. */
    chr_input(base, "\001c", 2);
    run_main_loop();
    g_assert_true(g_str_has_suffix(out->str, PROMPT "\r\n"));
    chr_input(base, "x", 1);
    g_assert_cmpstr(serial_in->str, ==, "ls\rx");

    /*
     * Output made meanwhile waits for the user to come back; the second
     * visit shows no greeting, just that output and the prompt.
     */
    g_string_truncate(out, 0);
    monitor_handle_command(mon, "testcmd held");
    monitor_handle_command(mon, "testerr");
    g_assert_cmpstr(out->str, ==, "");
    chr_input(base, "\001c", 2);
    run_main_loop();
    g_assert_cmpstr(out->str, ==, "boom 42\r\n" PROMPT);
    g_assert_cmpstr(testcmd_args->str, ==, "[held]");

    qemu_chr_fe_deinit(&serial, false);
    monitor_cleanup();
    qemu_chr_delete(mux);
    g_string_free(serial_in, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop();
    qemu_chr_register_class(&testbuf_class);
    testcmd_args = g_string_new(NULL);
    for (size_t i = 0; i < ARRAY_SIZE(test_cmds); i++) {
        monitor_register_command(&test_cmds[i]);
    }
    monitor_register_info(&test_info_cmd);
    g_assert_true(portio_register(&test_port_mr, TEST_PORT, 4, &test_port_ops,
                                  NULL, "test-port", &error_abort));
    qemu_register_powerdown(test_powerdown, NULL);

    g_test_add_func("/monitor/banner", test_banner);
    g_test_add_func("/monitor/help", test_help);
    g_test_add_func("/monitor/info", test_info);
    g_test_add_func("/monitor/status-stop-cont", test_status_stop_cont);
    g_test_add_func("/monitor/quit", test_quit);
    g_test_add_func("/monitor/reset-powerdown", test_reset_powerdown);
    g_test_add_func("/monitor/ioport", test_ioport);
    g_test_add_func("/monitor/info-mtree", test_info_mtree);
    g_test_add_func("/monitor/unknown-and-parsing", test_unknown_and_parsing);
    g_test_add_func("/monitor/registered", test_registered);
    g_test_add_func("/monitor/error-report", test_error_report);
    g_test_add_func("/monitor/edit/basic", test_edit_basic);
    g_test_add_func("/monitor/edit/cursor", test_edit_cursor);
    g_test_add_func("/monitor/edit/history", test_history);
    g_test_add_func("/monitor/edit/completion", test_completion);
    g_test_add_func("/monitor/long-line", test_long_line);
    g_test_add_func("/monitor/flow-control", test_flow_control);
    g_test_add_func("/monitor/two-monitors", test_two_monitors);
    g_test_add_func("/monitor/mux", test_mux);
    return g_test_run();
}
