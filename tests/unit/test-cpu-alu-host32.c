/*
 * Host side of test-cpu-alu for instructions that exist only outside
 * 64-bit mode (DAA DAS AAA AAS AAM AAD SALC): built with gcc -m32 as a
 * plain program (no GLib, no project code) and run by the test as
 *
 *     test-cpu-alu-host32 IN OUT
 *
 * IN is an array of Host32Rec (see test-cpu-alu.c, same layout): the
 * instruction bytes, the eight 32-bit registers (ESP ignored) and EFLAGS.
 * Each instruction runs once on this CPU between a prologue that loads the
 * registers and flags and an epilogue that saves them; OUT receives the
 * records with the results (fault = the signal number, 0 if none).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef struct Host32Rec {
    uint8_t code[16];
    uint32_t len;
    uint32_t r[8]; /* EAX ECX EDX EBX ESP EBP ESI EDI */
    uint32_t flags;
    uint32_t fault;
} Host32Rec;

/* prologue(state): saves the callee-saved registers and the state pointer,
 * loads flags and registers; the epilogue stores them back. */
extern const uint8_t alu32_pro[], alu32_pro_end[];
extern const uint8_t alu32_epi[], alu32_epi_end[];
asm(".pushsection .rodata\n"
    "alu32_pro:\n"
    "  push %ebx\n"
    "  push %ebp\n"
    "  push %esi\n"
    "  push %edi\n"
    "  mov 20(%esp), %edi\n"
    "  push %edi\n"
    "  pushl 32(%edi)\n"
    "  popfl\n"
    "  mov 0(%edi), %eax\n"
    "  mov 4(%edi), %ecx\n"
    "  mov 8(%edi), %edx\n"
    "  mov 12(%edi), %ebx\n"
    "  mov 20(%edi), %ebp\n"
    "  mov 24(%edi), %esi\n"
    "  mov 28(%edi), %edi\n"
    "alu32_pro_end:\n"
    "alu32_epi:\n"
    "  pushfl\n"
    "  push %edi\n"
    "  mov 8(%esp), %edi\n"
    "  mov %eax, 0(%edi)\n"
    "  mov %ecx, 4(%edi)\n"
    "  mov %edx, 8(%edi)\n"
    "  mov %ebx, 12(%edi)\n"
    "  mov %ebp, 20(%edi)\n"
    "  mov %esi, 24(%edi)\n"
    "  pop %eax\n"
    "  mov %eax, 28(%edi)\n"
    "  pop %eax\n"
    "  mov %eax, 32(%edi)\n"
    "  pop %edi\n"
    "  pop %edi\n"
    "  pop %esi\n"
    "  pop %ebp\n"
    "  pop %ebx\n"
    "  ret\n"
    "alu32_epi_end:\n"
    ".popsection\n");

typedef struct State32 {
    uint32_t r[8];
    uint32_t flags;
} State32;

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_sig;

static void on_fault(int sig)
{
    fault_sig = sig;
    siglongjmp(fault_jmp, 1);
}

int main(int argc, char **argv)
{
    size_t pro = alu32_pro_end - alu32_pro, epi = alu32_epi_end - alu32_epi;
    uint8_t *jit;
    Host32Rec *recs;
    FILE *f;
    long n;
    struct sigaction sa;

    if (argc != 3) {
        fprintf(stderr, "usage: %s IN OUT\n", argv[0]);
        return 2;
    }
    f = fopen(argv[1], "rb");
    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET)) {
        perror(argv[1]);
        return 1;
    }
    n /= sizeof(Host32Rec);
    recs = calloc(n + 1, sizeof(Host32Rec));
    if (!recs || fread(recs, sizeof(Host32Rec), n, f) != (size_t)n) {
        perror(argv[1]);
        return 1;
    }
    fclose(f);

    jit = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (jit == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_fault;
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);

    for (long i = 0; i < n; i++) {
        Host32Rec *rec = &recs[i];
        static State32 s;

        if (rec->len > sizeof(rec->code)) {
            return 1;
        }
        memcpy(jit, alu32_pro, pro);
        memcpy(jit + pro, rec->code, rec->len);
        memcpy(jit + pro + rec->len, alu32_epi, epi);
        memcpy(s.r, rec->r, sizeof(s.r));
        /* Only the arithmetic flags, plus bit 1 and IF. */
        s.flags = (rec->flags & 0x8d5) | 0x202;
        fault_sig = 0;
        if (sigsetjmp(fault_jmp, 1) == 0) {
            ((void (*)(State32 *))(uintptr_t)jit)(&s);
            memcpy(rec->r, s.r, sizeof(s.r));
            rec->flags = s.flags;
            rec->fault = 0;
        } else {
            rec->fault = fault_sig;
        }
    }

    f = fopen(argv[2], "wb");
    if (!f || fwrite(recs, sizeof(Host32Rec), n, f) != (size_t)n || fclose(f)) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
