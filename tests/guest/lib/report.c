/* Checks, the final verdict and the exit through isa-debug-exit. */
#include "guest.h"

#define STR2(x) #x
#define STR(x)  STR2(x)
#ifndef GUEST_TEST_NAME
#define GUEST_TEST_NAME guest
#endif
const char test_name[] = STR(GUEST_TEST_NAME);

static unsigned checks, failures, skips;
static const char *section = "";

void report_section(const char *name)
{
    section = name;
}

/* After this many failures only the count goes on (keeps logs short). */
#define PRINT_LIMIT 64
static bool quiet;

static void fail_head(const char *fmt, va_list ap)
{
    if (failures >= PRINT_LIMIT) {
        if (!quiet) {
            puts_("(further failures are counted, not printed)\n");
        }
        quiet = true;
        return;
    }
    printf("FAIL %s%s", section, *section ? ": " : "");
    vprintf(fmt, ap);
}

static int fprintf_(const char *fmt, ...)
{
    if (quiet) {
        return 0;
    }
    va_list ap;
    va_start(ap, fmt);
    int r = vprintf(fmt, ap);
    va_end(ap);
    return r;
}

static bool count(bool ok)
{
    checks++;
    if (!ok) {
        failures++;
    }
    return ok;
}

bool report(bool ok, const char *fmt, ...)
{
    if (!ok) {
        va_list ap;
        va_start(ap, fmt);
        fail_head(fmt, ap);
        va_end(ap);
        fprintf_("\n");
    }
    return count(ok);
}

bool report_eq(uint32_t actual, uint32_t expected, const char *fmt, ...)
{
    bool ok = actual == expected;
    if (!ok) {
        va_list ap;
        va_start(ap, fmt);
        fail_head(fmt, ap);
        va_end(ap);
        fprintf_(": expected 0x%x (%d), got 0x%x (%d)\n", expected,
                 (int)expected, actual, (int)actual);
    }
    return count(ok);
}

bool report_eq64(uint64_t actual, uint64_t expected, const char *fmt, ...)
{
    bool ok = actual == expected;
    if (!ok) {
        va_list ap;
        va_start(ap, fmt);
        fail_head(fmt, ap);
        va_end(ap);
        fprintf_(": expected 0x%016llx, got 0x%016llx\n", expected, actual);
    }
    return count(ok);
}

const char *flags_str(uint32_t fl, char *buf)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {
        { FL_OF, "OF" }, { FL_DF, "DF" }, { FL_IF, "IF" }, { FL_TF, "TF" },
        { FL_SF, "SF" }, { FL_ZF, "ZF" }, { FL_AF, "AF" }, { FL_PF, "PF" },
        { FL_CF, "CF" }, { FL_NT, "NT" }, { FL_RF, "RF" }, { FL_VM, "VM" },
        { FL_AC, "AC" },
    };
    char *p = buf;
    *p = 0;
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (fl & names[i].bit) {
            if (p != buf) {
                *p++ = ' ';
            }
            p[0] = names[i].name[0];
            p[1] = names[i].name[1];
            p += 2;
            *p = 0;
        }
    }
    return buf;
}

bool report_flags(uint32_t actual, uint32_t expected, uint32_t mask,
                  const char *fmt, ...)
{
    bool ok = (actual & mask) == (expected & mask);
    if (!ok) {
        char b1[64], b2[64];
        va_list ap;
        va_start(ap, fmt);
        fail_head(fmt, ap);
        va_end(ap);
        fprintf_(": flags (mask 0x%x) expected 0x%x [%s], got 0x%x [%s]\n",
                 mask, expected & mask, flags_str(expected & mask, b1),
                 actual & mask, flags_str(actual & mask, b2));
    }
    return count(ok);
}

bool report_mem(const void *actual, const void *expected, size_t n,
                const char *fmt, ...)
{
    bool ok = memcmp(actual, expected, n) == 0;
    if (!ok) {
        const uint8_t *a = actual, *e = expected;
        va_list ap;
        va_start(ap, fmt);
        fail_head(fmt, ap);
        va_end(ap);
        fprintf_(":\n  expected:");
        for (size_t i = 0; i < n; i++) {
            fprintf_(" %02x", e[i]);
        }
        fprintf_("\n  got:     ");
        for (size_t i = 0; i < n; i++) {
            fprintf_(" %02x", a[i]);
        }
        fprintf_("\n");
    }
    return count(ok);
}

bool report_exc(unsigned vector, uint32_t error, const char *fmt, ...)
{
    bool ok = exc_last.count == 1 && exc_last.vector == vector &&
              (error == EXC_NOERR || exc_last.error == error);
    if (!ok) {
        va_list ap;
        va_start(ap, fmt);
        fail_head(fmt, ap);
        va_end(ap);
        fprintf_(": expected %s (%u)", exc_name(vector), vector);
        if (error != EXC_NOERR) {
            fprintf_(" error 0x%x", error);
        }
        if (exc_last.count == 0) {
            fprintf_(", got no exception\n");
        } else {
            fprintf_(", got %s (%u) error 0x%x at %x:%x (%u exceptions)\n",
                     exc_name(exc_last.vector), exc_last.vector, exc_last.error,
                     exc_last.cs, exc_last.eip, exc_last.count);
        }
    }
    return count(ok);
}

bool report_noexc(const char *fmt, ...)
{
    bool ok = exc_last.count == 0;
    if (!ok) {
        va_list ap;
        va_start(ap, fmt);
        fail_head(fmt, ap);
        va_end(ap);
        fprintf_(": expected no exception, got %s (%u) error 0x%x at %x:%x\n",
                 exc_name(exc_last.vector), exc_last.vector, exc_last.error,
                 exc_last.cs, exc_last.eip);
    }
    return count(ok);
}

void report_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("SKIP %s%s", section, *section ? ": " : "");
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    skips++;
}

unsigned report_failures(void)
{
    return failures;
}

void debug_exit(unsigned value)
{
    /* isa-debug-exit: the emulator exits with status (value << 1) | 1. */
    outl(0xF4, value);
    /* No such device: stop here. */
    for (;;) {
        asm volatile("cli; hlt");
    }
}

void test_exit(void)
{
    cli();
    if (failures) {
        printf("FAIL: %s (%u of %u checks failed, %u skipped)\n", test_name,
               failures, checks, skips);
    } else if (checks == 0) {
        printf("FAIL: %s (no checks ran)\n", test_name);
        failures = 1;
    } else {
        printf("PASS: %s (%u checks, %u skipped)\n", test_name, checks, skips);
    }
    debug_exit(failures ? 1 : 0);
}
