/*
 * Size, number and boolean parsing.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"

static void test_strtosz(void)
{
    static const struct {
        const char *str;
        char def;
        int ret;
        uint64_t val;
    } cases[] = {
        { "0", 'B', 0, 0 },
        { "512", 'B', 0, 512 },
        { "512", 'M', 0, 512 * MiB },
        { "1k", 'B', 0, 1024 },
        { "1K", 'B', 0, 1024 },
        { "2M", 'B', 0, 2 * MiB },
        { "3G", 'M', 0, 3 * GiB },
        { "1T", 'B', 0, TiB },
        { "1.5G", 'B', 0, 3 * GiB / 2 },
        { "0.5K", 'B', 0, 512 },
        { "10B", 'M', 0, 10 },
        { "0x1000", 'M', 0, 0x1000 },
        { "16E", 'B', -ERANGE, 0 },
        { "banana", 'M', -EINVAL, 0 },
        { "", 'M', -EINVAL, 0 },
        { "-1", 'M', -EINVAL, 0 },
        { "12X", 'M', -EINVAL, 0 },
        { "12MB", 'M', -EINVAL, 0 },
        { "1.5", 'B', -EINVAL, 0 },
        { "1.", 'M', -EINVAL, 0 },
        { "99999999999999999999", 'B', -ERANGE, 0 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        uint64_t v = 0xdead;
        int ret = qemu_strtosz(cases[i].str, cases[i].def, &v);

        g_test_message("'%s' default %c", cases[i].str, cases[i].def);
        g_assert_cmpint(ret, ==, cases[i].ret);
        if (ret == 0) {
            g_assert_cmpuint(v, ==, cases[i].val);
        } else {
            g_assert_cmpuint(v, ==, 0xdead);
        }
    }
}

static void test_strtou64(void)
{
    uint64_t v;
    int64_t s;

    g_assert_cmpint(qemu_strtou64("42", &v), ==, 0);
    g_assert_cmpuint(v, ==, 42);
    g_assert_cmpint(qemu_strtou64("0x1f", &v), ==, 0);
    g_assert_cmpuint(v, ==, 31);
    g_assert_cmpint(qemu_strtou64("18446744073709551615", &v), ==, 0);
    g_assert_cmpuint(v, ==, UINT64_MAX);
    g_assert_cmpint(qemu_strtou64("18446744073709551616", &v), ==, -ERANGE);
    g_assert_cmpint(qemu_strtou64("-1", &v), ==, -EINVAL);
    g_assert_cmpint(qemu_strtou64("1x", &v), ==, -EINVAL);
    g_assert_cmpint(qemu_strtou64(" 1", &v), ==, -EINVAL);
    g_assert_cmpint(qemu_strtou64("", &v), ==, -EINVAL);
    g_assert_cmpint(qemu_strtoi64("-5", &s), ==, 0);
    g_assert_cmpint(s, ==, -5);
    g_assert_cmpint(qemu_strtoi64("5q", &s), ==, -EINVAL);
}

static void test_bool(void)
{
    bool b;

    g_assert_true(qemu_parse_bool("on", &b) && b);
    g_assert_true(qemu_parse_bool("yes", &b) && b);
    g_assert_true(qemu_parse_bool("true", &b) && b);
    g_assert_true(qemu_parse_bool("off", &b) && !b);
    g_assert_true(qemu_parse_bool("no", &b) && !b);
    g_assert_true(qemu_parse_bool("false", &b) && !b);
    g_assert_false(qemu_parse_bool("maybe", &b));
    g_assert_false(qemu_parse_bool("", &b));
    g_assert_false(qemu_parse_bool("On", &b));
}

static void test_size_to_str(void)
{
    char *s;

    s = size_to_str(128 * MiB);
    g_assert_cmpstr(s, ==, "128 MiB");
    g_free(s);
    s = size_to_str(1000);
    g_assert_cmpstr(s, ==, "1000 B");
    g_free(s);
    s = size_to_str(1536);
    g_assert_cmpstr(s, ==, "1.5 KiB");
    g_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cutils/strtosz", test_strtosz);
    g_test_add_func("/cutils/strtou64", test_strtou64);
    g_test_add_func("/cutils/bool", test_bool);
    g_test_add_func("/cutils/size_to_str", test_size_to_str);
    return g_test_run();
}
