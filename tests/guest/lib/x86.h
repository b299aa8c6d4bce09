/* Inline helpers for x86 instructions used by the tests and the library. */
#ifndef GUEST_X86_H
#define GUEST_X86_H

#include <stdint.h>

/* EFLAGS bits (SDM Vol. 1 3.4.3) */
#define FL_CF        0x00000001u
#define FL_PF        0x00000004u
#define FL_AF        0x00000010u
#define FL_ZF        0x00000040u
#define FL_SF        0x00000080u
#define FL_TF        0x00000100u
#define FL_IF        0x00000200u
#define FL_DF        0x00000400u
#define FL_OF        0x00000800u
#define FL_IOPL(n)   ((uint32_t)(n) << 12)
#define FL_IOPL_MASK 0x00003000u
#define FL_NT        0x00004000u
#define FL_RF        0x00010000u
#define FL_VM        0x00020000u
#define FL_AC        0x00040000u
#define FL_VIF       0x00080000u
#define FL_VIP       0x00100000u
#define FL_ID        0x00200000u
#define FL_ARITH     (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

#define CR0_PE 0x00000001u
#define CR0_MP 0x00000002u
#define CR0_EM 0x00000004u
#define CR0_TS 0x00000008u
#define CR0_ET 0x00000010u
#define CR0_NE 0x00000020u
#define CR0_WP 0x00010000u
#define CR0_AM 0x00040000u
#define CR0_NW 0x20000000u
#define CR0_CD 0x40000000u
#define CR0_PG 0x80000000u

#define CR4_VME    0x001u
#define CR4_PVI    0x002u
#define CR4_TSD    0x004u
#define CR4_DE     0x008u
#define CR4_PSE    0x010u
#define CR4_PAE    0x020u
#define CR4_MCE    0x040u
#define CR4_PGE    0x080u
#define CR4_PCE    0x100u
#define CR4_OSFXSR 0x200u

static inline void outb(uint16_t port, uint8_t v)
{
    asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outw(uint16_t port, uint16_t v)
{
    asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v)
{
    asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

#define DEFINE_CR(n)                                               \
    static inline uint32_t read_cr##n(void)                        \
    {                                                              \
        uint32_t v;                                                \
        asm volatile("mov %%cr" #n ", %0" : "=r"(v) : : "memory"); \
        return v;                                                  \
    }                                                              \
    static inline void write_cr##n(uint32_t v)                     \
    {                                                              \
        asm volatile("mov %0, %%cr" #n : : "r"(v) : "memory");     \
    }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

#define DEFINE_DR(n)                                               \
    static inline uint32_t read_dr##n(void)                        \
    {                                                              \
        uint32_t v;                                                \
        asm volatile("mov %%db" #n ", %0" : "=r"(v) : : "memory"); \
        return v;                                                  \
    }                                                              \
    static inline void write_dr##n(uint32_t v)                     \
    {                                                              \
        asm volatile("mov %0, %%db" #n : : "r"(v) : "memory");     \
    }
DEFINE_DR(0)
DEFINE_DR(1)
DEFINE_DR(2)
DEFINE_DR(3)
DEFINE_DR(6)
DEFINE_DR(7)
#undef DEFINE_DR

static inline uint32_t read_eflags(void)
{
    uint32_t v;
    asm volatile("pushfl; popl %0" : "=r"(v) : : "memory");
    return v;
}
static inline void write_eflags(uint32_t v)
{
    asm volatile("pushl %0; popfl" : : "r"(v) : "memory", "cc");
}
static inline void cli(void)
{
    asm volatile("cli" ::: "memory");
}
static inline void sti(void)
{
    asm volatile("sti" ::: "memory");
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    asm volatile("wrmsr"
                 :
                 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
                 : "memory");
}
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
                         uint32_t *c, uint32_t *d)
{
    asm volatile("cpuid"
                 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
                 : "a"(leaf), "c"(sub));
}
static inline void invlpg(uint32_t va)
{
    asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

struct __attribute__((packed)) dtr {
    uint16_t limit;
    uint32_t base;
};
static inline void lgdt(const struct dtr *d)
{
    asm volatile("lgdt %0" : : "m"(*d));
}
static inline void lidt(const struct dtr *d)
{
    asm volatile("lidt %0" : : "m"(*d));
}
static inline void sgdt(struct dtr *d)
{
    asm volatile("sgdt %0" : "=m"(*d));
}
static inline void sidt(struct dtr *d)
{
    asm volatile("sidt %0" : "=m"(*d));
}
static inline void ltr(uint16_t sel)
{
    asm volatile("ltr %0" : : "rm"(sel));
}
static inline uint16_t str(void)
{
    uint16_t v;
    asm volatile("str %0" : "=rm"(v));
    return v;
}
static inline void lldt(uint16_t sel)
{
    asm volatile("lldt %0" : : "rm"(sel));
}

#define read_seg(s)                                   \
    ({                                                \
        uint16_t v_;                                  \
        asm volatile("mov %%" #s ", %0" : "=rm"(v_)); \
        v_;                                           \
    })
#define write_seg(s, v) \
    asm volatile("mov %0, %%" #s : : "rm"((uint16_t)(v)) : "memory")

#endif
