/*
 * The README's demo program: a tiny bare-metal "hello world" that shows
 * the CPU at work (CPUID, arithmetic, memory, a little x87) and checks
 * its own results.
 */
#include "guest.h"

static uint32_t primes(uint32_t *out, uint32_t n)
{
    uint32_t count = 0;

    for (uint32_t x = 2; count < n; x++) {
        bool prime = true;

        for (uint32_t i = 0; i < count && out[i] * out[i] <= x; i++) {
            if (x % out[i] == 0) {
                prime = false;
                break;
            }
        }
        if (prime) {
            out[count++] = x;
        }
    }
    return count;
}

int main(void)
{
    uint32_t a, b, c, d;
    char vendor[13];
    char brand[49];
    uint32_t p[25], sum = 0;
    volatile double x = 2.0;
    double r;

    printf("Hello from a bare-metal guest!\n");
    cpuid(0, 0, &a, &b, &c, &d);
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &d, 4);
    memcpy(vendor + 8, &c, 4);
    vendor[12] = 0;
    for (uint32_t i = 0; i < 3; i++) {
        cpuid(0x80000002 + i, 0, (uint32_t *)&brand[16 * i],
              (uint32_t *)&brand[16 * i + 4], (uint32_t *)&brand[16 * i + 8],
              (uint32_t *)&brand[16 * i + 12]);
    }
    brand[48] = 0;
    printf("CPU: %s, \"%s\"\n", vendor, brand);
    report(!strcmp(vendor, "AuthenticAMD") || !strcmp(vendor, "GenuineIntel"),
           "CPUID vendor");

    primes(p, 25);
    printf("The first 25 primes:");
    for (int i = 0; i < 25; i++) {
        printf(" %u", p[i]);
        sum += p[i];
    }
    printf("\n");
    report_eq(p[24], 97, "the 25th prime");
    report_eq(sum, 1060, "their sum");

    asm volatile("fldl %1; fsqrt; fstpl %0" : "=m"(r) : "m"(x));
    printf("sqrt(2) by the x87 FPU: 0x%08x%08x\n",
           (uint32_t)((*(uint64_t *)&r) >> 32), (uint32_t) * (uint64_t *)&r);
    report_eq64(*(uint64_t *)&r, 0x3ff6a09e667f3bcdull, "sqrt(2)");
    return 0;
}
