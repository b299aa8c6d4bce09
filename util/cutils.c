/*
 * Number, size and boolean parsing.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include <math.h>

int qemu_strtou64(const char *str, uint64_t *result)
{
    char *end;
    unsigned long long v;

    if (!str || !*str || g_ascii_isspace(*str) || *str == '-') {
        return -EINVAL;
    }
    errno = 0;
    v = strtoull(str, &end, 0);
    if (errno == ERANGE) {
        return -ERANGE;
    }
    if (end == str || *end) {
        return -EINVAL;
    }
    *result = v;
    return 0;
}

int qemu_strtoi64(const char *str, int64_t *result)
{
    char *end;
    long long v;

    if (!str || !*str || g_ascii_isspace(*str)) {
        return -EINVAL;
    }
    errno = 0;
    v = strtoll(str, &end, 0);
    if (errno == ERANGE) {
        return -ERANGE;
    }
    if (end == str || *end) {
        return -EINVAL;
    }
    *result = v;
    return 0;
}

static int suffix_shift(char c)
{
    switch (g_ascii_toupper(c)) {
    case 'B':
        return 0;
    case 'K':
        return 10;
    case 'M':
        return 20;
    case 'G':
        return 30;
    case 'T':
        return 40;
    case 'P':
        return 50;
    case 'E':
        return 60;
    default:
        return -1;
    }
}

int qemu_strtosz(const char *str, char default_suffix, uint64_t *result)
{
    const char *p = str;
    const char *num_end;
    uint64_t whole;
    double frac = 0;
    int shift;
    char *end;

    if (!str || !g_ascii_isdigit(*str)) {
        return -EINVAL;
    }
    /* Hex numbers take no suffix and no fraction (as in QEMU). */
    if (str[0] == '0' && (str[1] == 'x' || str[1] == 'X')) {
        return qemu_strtou64(str, result);
    }
    errno = 0;
    whole = strtoull(p, &end, 10);
    if (errno == ERANGE) {
        return -ERANGE;
    }
    num_end = end;
    if (*num_end == '.') {
        const char *f = num_end + 1;
        char *fend;

        if (!g_ascii_isdigit(*f)) {
            return -EINVAL;
        }
        frac = g_ascii_strtod(num_end, &fend);
        num_end = fend;
    }
    if (*num_end == '\0') {
        shift = suffix_shift(default_suffix);
        if (frac != 0) {
            /* A fraction needs an explicit suffix: "1.5" bytes is bad. */
            return -EINVAL;
        }
    } else {
        shift = suffix_shift(*num_end);
        if (shift < 0 || num_end[1] != '\0') {
            return -EINVAL;
        }
    }
    if (shift < 0) {
        shift = 0;
    }
    if (shift && whole > (UINT64_MAX >> shift)) {
        return -ERANGE;
    }
    whole <<= shift;
    if (frac != 0) {
        double extra = ldexp(frac, shift);
        if (extra >= (double)(UINT64_MAX - whole)) {
            return -ERANGE;
        }
        whole += (uint64_t)extra;
    }
    *result = whole;
    return 0;
}

bool qemu_parse_bool(const char *str, bool *result)
{
    static const char *const on[] = { "on", "yes", "true", "y" };
    static const char *const off[] = { "off", "no", "false", "n" };

    for (size_t i = 0; i < ARRAY_SIZE(on); i++) {
        if (!strcmp(str, on[i])) {
            *result = true;
            return true;
        }
        if (!strcmp(str, off[i])) {
            *result = false;
            return true;
        }
    }
    return false;
}

char *size_to_str(uint64_t val)
{
    static const char *const units[] = { "B",   "KiB", "MiB", "GiB",
                                         "TiB", "PiB", "EiB" };
    unsigned i = 0;
    double v = val;

    while (v >= 1024 && i < ARRAY_SIZE(units) - 1) {
        v /= 1024;
        i++;
    }
    if (i == 0) {
        return g_strdup_printf("%" PRIu64 " B", val);
    }
    if ((val & ((UINT64_C(1) << (10 * i)) - 1)) == 0) {
        return g_strdup_printf("%" PRIu64 " %s", val >> (10 * i), units[i]);
    }
    return g_strdup_printf("%.3g %s", v, units[i]);
}
