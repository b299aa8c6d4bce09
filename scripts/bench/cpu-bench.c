/*
 * CPU benchmark guest (built by scripts/bench/cpu.sh with the guest test
 * library).  The kernel command line picks the workload:
 *   int     integer arithmetic and branches (a hash loop)
 *   memcpy  block copies: REP MOVSB and a byte loop
 *   interp  a small bytecode interpreter (indirect branches, loads)
 * It prints "insns=N" where N is the TSC difference across the workload:
 * on our emulator the TSC counts retired instructions, so N is the exact
 * instruction count, and the same program does the same work anywhere.
 */
#include "guest.h"

static inline uint64_t rdtsc64(void)
{
    uint32_t lo, hi;

    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static uint32_t work_int(void)
{
    uint32_t h = 2166136261u, x = 12345;

    for (uint32_t i = 0; i < 20000000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        h = (h ^ (x & 0xff)) * 16777619u;
        if (h & 1) {
            h += i;
        }
    }
    return h;
}

static uint8_t buf_a[65536], buf_b[65536];

static uint32_t work_memcpy(void)
{
    uint32_t sum = 0;

    for (int i = 0; i < (int)sizeof(buf_a); i++) {
        buf_a[i] = i * 7;
    }
    for (int r = 0; r < 400; r++) {
        void *d = buf_b, *s = buf_a;
        uint32_t n = sizeof(buf_a);

        asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
        for (int i = 0; i < 4096; i++) {
            buf_a[i] = buf_b[i + 1] + 1;
        }
        sum += buf_a[r * 37 % 4096];
    }
    return sum;
}

/* A register machine: the classic shape of an interpreter's loop. */
enum { OP_MULI, OP_ADD, OP_DEC, OP_JNZ, OP_HALT };

static uint32_t work_interp(void)
{
    /* r0 = 0; r1 = 3000000; do { r0 = r0 * 3 + r1; } while (--r1); */
    static const int32_t prog[] = {
        OP_MULI, 0, 3,  /* 0: r0 *= 3 */
        OP_ADD, 0, 1,   /* 3: r0 += r1 */
        OP_DEC, 1,      /* 6: r1-- */
        OP_JNZ, 1, 0,   /* 8: if (r1) goto 0 */
        OP_HALT,
    };
    int32_t r[4] = { 0, 3000000, 0, 0 };
    int pc = 0;

    for (;;) {
        const int32_t *i = &prog[pc];

        switch (i[0]) {
        case OP_MULI:
            r[i[1]] *= i[2];
            pc += 3;
            break;
        case OP_ADD:
            r[i[1]] += r[i[2]];
            pc += 3;
            break;
        case OP_DEC:
            r[i[1]]--;
            pc += 2;
            break;
        case OP_JNZ:
            pc = r[i[1]] ? i[2] : pc + 3;
            break;
        default:
            return r[0];
        }
    }
}

int main(void)
{
    uint64_t t0, t1;
    uint32_t r;

    t0 = rdtsc64();
    if (cmdline_has("memcpy")) {
        r = work_memcpy();
    } else if (cmdline_has("interp")) {
        r = work_interp();
    } else {
        r = work_int();
    }
    t1 = rdtsc64();
    printf("result=%08x insns=%llu\n", r, (unsigned long long)(t1 - t0));
    return 0;
}
