/*
 * The QEMU option-string parser.
 */
#include "qemu/osdep.h"
#include "qemu/option.h"

static const QemuOptDesc drive_like[] = { { "file", QEMU_OPT_STRING },
                                          { "if", QEMU_OPT_STRING },
                                          { "snapshot", QEMU_OPT_BOOL },
                                          { "readonly", QEMU_OPT_BOOL },
                                          { "size", QEMU_OPT_SIZE },
                                          { "count", QEMU_OPT_NUMBER },
                                          { NULL } };

/* Warnings go to stderr; tests capture it to check the one-line warning. */
static char *captured;

static void capture_sink(void *opaque, const char *line)
{
    char *old = captured;

    captured = g_strconcat(old ? old : "", line, NULL);
    g_free(old);
}

static void test_basic(void)
{
    Error *err = NULL;
    QemuOpts *o = qemu_opts_parse("drive", "file=disk.img,if=none,id=d0", NULL,
                                  drive_like, &err);

    g_assert_no_error(err);
    g_assert_nonnull(o);
    g_assert_cmpstr(qemu_opt_get(o, "file"), ==, "disk.img");
    g_assert_cmpstr(qemu_opt_get(o, "if"), ==, "none");
    g_assert_cmpstr(o->id, ==, "d0");
    g_assert_cmpstr(qemu_opt_get(o, "id"), ==, "d0");
    g_assert_null(qemu_opt_get(o, "snapshot"));
    qemu_opts_free(o);
}

static void test_implied(void)
{
    QemuOpts *o = qemu_opts_parse("icount", "auto,sleep=off", "shift", NULL,
                                  &error_abort);

    g_assert_cmpstr(qemu_opt_get(o, "shift"), ==, "auto");
    g_assert_cmpstr(qemu_opt_get(o, "sleep"), ==, "off");
    qemu_opts_free(o);

    /* With an explicit key, the first element is not implied. */
    o = qemu_opts_parse("icount", "shift=7", "shift", NULL, &error_abort);
    g_assert_cmpstr(qemu_opt_get(o, "shift"), ==, "7");
    g_assert_null(o->implied_key);
    qemu_opts_free(o);
}

static void test_escape(void)
{
    QemuOpts *o = qemu_opts_parse("drive", "file=a,,b,,,if=none", NULL,
                                  drive_like, &error_abort);
    char *s;

    g_assert_cmpstr(qemu_opt_get(o, "file"), ==, "a,b,");
    g_assert_cmpstr(qemu_opt_get(o, "if"), ==, "none");
    s = qemu_opts_to_string(o, drive_like);
    g_assert_cmpstr(s, ==, "file=a,,b,,,if=none");
    g_free(s);
    qemu_opts_free(o);

    /* An implied value with commas. */
    o = qemu_opts_parse("chardev", "x,,y,id=c", "backend", NULL, &error_abort);
    g_assert_cmpstr(qemu_opt_get(o, "backend"), ==, "x,y");
    qemu_opts_free(o);
}

static void test_short_bool(void)
{
    QemuOpts *o;

    g_free(captured);
    captured = NULL;
    error_set_sink(capture_sink, NULL);
    o = qemu_opts_parse("drive", "file=x,snapshot,noreadonly", NULL, drive_like,
                        &error_abort);
    error_set_sink(NULL, NULL);
    g_assert_cmpstr(qemu_opt_get(o, "snapshot"), ==, "on");
    g_assert_cmpstr(qemu_opt_get(o, "readonly"), ==, "off");
    /* One warning line per deprecated flag. */
    g_assert_nonnull(captured);
    g_assert_nonnull(strstr(captured, "warning: short-form boolean option "
                                      "'snapshot' deprecated"));
    g_assert_nonnull(strstr(captured, "snapshot=on"));
    g_assert_nonnull(strstr(captured, "readonly=off"));
    qemu_opts_free(o);

    /* Without a table any bare word is taken as a flag. */
    error_set_sink(capture_sink, NULL);
    o = qemu_opts_parse("drive", "file=x,snapshot", NULL, NULL, &error_abort);
    error_set_sink(NULL, NULL);
    g_assert_cmpstr(qemu_opt_get(o, "snapshot"), ==, "on");
    qemu_opts_free(o);
}

static void expect_error(const char *params, const QemuOptDesc *desc,
                         const char *implied, const char *msg)
{
    Error *err = NULL;
    QemuOpts *o = qemu_opts_parse("group", params, implied, desc, &err);

    g_assert_null(o);
    g_assert_nonnull(err);
    g_test_message("'%s' -> %s", params, err->message);
    g_assert_nonnull(strstr(err->message, msg));
    error_free(err);
}

static void test_errors(void)
{
    expect_error("file=x,bogus=1", drive_like, NULL,
                 "Invalid parameter 'bogus'");
    expect_error("file=x,if", drive_like, NULL, "Invalid parameter 'if'");
    expect_error("snapshot=maybe", drive_like, NULL,
                 "Parameter 'snapshot' expects 'on' or 'off'");
    expect_error("size=12Q", drive_like, NULL,
                 "Parameter 'size' expects a size");
    expect_error("count=x", drive_like, NULL,
                 "Parameter 'count' expects a number");
    expect_error("file=x,id=1bad", drive_like, NULL, "Parameter 'id'");
    expect_error("=x", NULL, NULL, "Invalid parameter ''");
    expect_error(",file=x", NULL, NULL, "Invalid parameter ''");
}

static void test_last_wins(void)
{
    QemuOpts *o = qemu_opts_parse("drive", "if=ide,if=none", NULL, drive_like,
                                  &error_abort);
    char *s;

    g_assert_cmpstr(qemu_opt_get(o, "if"), ==, "none");
    s = qemu_opts_to_string(o, drive_like);
    g_assert_cmpstr(s, ==, "if=none");
    g_free(s);
    qemu_opts_free(o);
}

static void test_typed(void)
{
    QemuOpts *o = qemu_opts_parse("drive", "size=2M,count=0x10,snapshot=yes",
                                  NULL, drive_like, &error_abort);
    uint64_t n;
    bool b;
    Error *err = NULL;

    g_assert_true(qemu_opt_get_size(o, "size", 0, &n, &error_abort));
    g_assert_cmpuint(n, ==, 2 * MiB);
    g_assert_true(qemu_opt_get_number(o, "count", 0, &n, &error_abort));
    g_assert_cmpuint(n, ==, 16);
    g_assert_true(qemu_opt_get_bool(o, "snapshot", false, &b, &error_abort));
    g_assert_true(b);
    g_assert_true(qemu_opt_get_bool(o, "readonly", true, &b, &error_abort));
    g_assert_true(b);
    qemu_opt_set(o, "file", "nan");
    g_assert_false(qemu_opt_get_number(o, "file", 0, &n, &err));
    g_assert_nonnull(err);
    error_free(err);
    qemu_opts_free(o);
}

static void test_canonical(void)
{
    QemuOpts *o = qemu_opts_parse("netdev", "user,id=net1,restrict=yes", "type",
                                  NULL, &error_abort);
    char *s = qemu_opts_to_string(o, NULL);
    QemuOpts *again;
    char *s2;

    g_assert_cmpstr(s, ==, "user,restrict=on,id=net1");
    /* The canonical text parses back to the same options. */
    again = qemu_opts_parse("netdev", s, "type", NULL, &error_abort);
    s2 = qemu_opts_to_string(again, NULL);
    g_assert_cmpstr(s, ==, s2);
    g_free(s);
    g_free(s2);
    qemu_opts_free(o);
    qemu_opts_free(again);
}

static void test_id(void)
{
    g_assert_true(id_wellformed("img-direct"));
    g_assert_true(id_wellformed("a.b_c-1"));
    g_assert_false(id_wellformed("1abc"));
    g_assert_false(id_wellformed("a b"));
    g_assert_false(id_wellformed(""));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/option/basic", test_basic);
    g_test_add_func("/option/implied", test_implied);
    g_test_add_func("/option/escape", test_escape);
    g_test_add_func("/option/short-bool", test_short_bool);
    g_test_add_func("/option/errors", test_errors);
    g_test_add_func("/option/last-wins", test_last_wins);
    g_test_add_func("/option/typed", test_typed);
    g_test_add_func("/option/canonical", test_canonical);
    g_test_add_func("/option/id", test_id);
    return g_test_run();
}
