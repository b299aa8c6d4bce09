/*
 * Multiboot (v1) header, 32-bit entry point, exception stubs, context
 * switching helpers and the real-mode trampoline.
 *
 * Multiboot spec 0.6.96 section 3.1: the header (magic, flags, checksum)
 * must be 32-bit aligned within the first 8192 bytes of the image.  Flags
 * bit 16 is clear, so the loader uses the ELF program headers.  On entry
 * EAX = 0x2BADB002, EBX = physical address of the information structure,
 * CS/DS/ES/FS/GS/SS flat, paging off, interrupts off; GDTR and IDTR are
 * undefined, so we load our own before touching a segment register.
 */
#define SEL_CODE32 0x08
#define SEL_DATA32 0x10
#define SEL_CODE16 0x18
#define SEL_DATA16 0x20
#define RM_STACK_TOP 0x7C00

    .section .multiboot, "a"
    .align 4
    .long 0x1BADB002
    .long 0x00000003                /* page-align modules, want mem info */
    .long -(0x1BADB002 + 0x00000003)

    .text
    .code32
    .globl _start
_start:
    cli
    cld
    movl %eax, mb_magic
    movl %ebx, mb_info
    lgdt gdt_desc
    ljmp $SEL_CODE32, $1f
1:  movw $SEL_DATA32, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    movl $stack_top, %esp
    /* Clear .bss (the stack is in it; nothing is on it yet). */
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb
    /* Copy the .low section (real-mode and v86 code) to its address. */
    movl $__low_load, %esi
    movl $__low_start, %edi
    movl $__low_end, %ecx
    subl %edi, %ecx
    rep movsb
    xorl %ebp, %ebp
    call lib_start
2:  cli
    hlt
    jmp 2b

/*
 * One 16-byte stub per vector.  Vectors whose exceptions push an error
 * code (SDM Vol. 3A table 6-1: 8, 10-14, 17, 21, 29, 30) push only the
 * vector; the others push a zero error code first, so every frame has the
 * same shape.  (A software INT n to one of the error-code vectors pushes no
 * error code and would mis-shape the frame: tests do not do that.)
 */
    .align 16
    .globl idt_stubs
idt_stubs:
    vec = 0
    .rept 256
    .align 16
    .if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    pushl $vec
    .else
    pushl $0
    pushl $vec
    .endif
    jmp exc_common
    vec = vec + 1
    .endr

exc_common:
    pushal
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    movl $SEL_DATA32, %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    cld
    movl %esp, %eax
    pushl %eax
    call exc_dispatch
    addl $4, %esp
    popl %gs
    popl %fs
    popl %es
    popl %ds
    popal
    addl $8, %esp
    iretl

/* int ctx_save(struct ctx *c): like setjmp. */
    .globl ctx_save
ctx_save:
    movl 4(%esp), %eax
    movl %ebx, 0(%eax)
    movl %esi, 4(%eax)
    movl %edi, 8(%eax)
    movl %ebp, 12(%eax)
    leal 4(%esp), %ecx
    movl %ecx, 16(%eax)
    movl (%esp), %ecx
    movl %ecx, 20(%eax)
    pushfl
    popl 24(%eax)
    xorl %eax, %eax
    ret

/* void ctx_restore(struct ctx *c, int val): like longjmp, from any stack
 * of ring 0; reloads the flat data segments and EFLAGS. */
    .globl ctx_restore
ctx_restore:
    movl 4(%esp), %edx
    movl 8(%esp), %eax
    movw $SEL_DATA32, %cx
    movw %cx, %ss
    movl 16(%edx), %esp
    movw %cx, %ds
    movw %cx, %es
    movw %cx, %fs
    movw %cx, %gs
    movl 0(%edx), %ebx
    movl 4(%edx), %esi
    movl 8(%edx), %edi
    movl 12(%edx), %ebp
    pushl 24(%edx)
    popfl
    jmp *20(%edx)

/* void iret_to(uint32_t *frame, unsigned n): copy n dwords of an IRET
 * frame onto the stack, load DS/ES/FS/GS with the selector in frame[n]
 * (unless 0) and IRET. */
    .globl iret_to
iret_to:
    movl 4(%esp), %esi
    movl 8(%esp), %ecx
    movl (%esi,%ecx,4), %ebx
1:  pushl -4(%esi,%ecx,4)
    decl %ecx
    jnz 1b
    testl %ebx, %ebx
    jz 2f
    movw %bx, %ds
    movw %bx, %es
    movw %bx, %fs
    movw %bx, %gs
2:  iretl

/* void v86_iret(uint32_t *frame, struct v86_regs *r): push the 9-dword
 * v86 IRET frame, load the general registers from r, IRET. */
    .globl v86_iret
v86_iret:
    movl 4(%esp), %esi
    movl 8(%esp), %edi
    movl $9, %ecx
1:  pushl -4(%esi,%ecx,4)
    decl %ecx
    jnz 1b
    movl 0(%edi), %eax
    movl 4(%edi), %ecx
    movl 8(%edi), %edx
    movl 12(%edi), %ebx
    movl 20(%edi), %ebp
    movl 24(%edi), %esi
    movl 28(%edi), %edi
    iretl

/* Ring-3 entry trampoline for user_run: the user stack holds fn, arg. */
    .globl user_trampoline
user_trampoline:
    popl %eax
    call *%eax
    int $0xF0
    ud2

/*
 * void real_call(uint16_t fn, struct rm_regs *r)
 * Protected mode -> 16-bit protected mode -> real mode (SDM Vol. 3A
 * 9.9.2), call fn, and back (9.9.1).  Paging must be off.
 */
    .globl real_call
real_call:
    pushal
    pushfl
    cli
    movl %esp, rm_saved_esp
    sidt rm_saved_idt
    movl 40(%esp), %eax
    movw %ax, rm_fn
    movl 44(%esp), %esi
    movl %esi, rm_regs_ptr
    movl $rm_regs_buf, %edi
    movl $8, %ecx
    rep movsl
    ljmp $SEL_CODE16, $rm_entry16
rm_back32:
    movw $SEL_DATA32, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    movl rm_saved_esp, %esp
    lidt rm_saved_idt
    movl $rm_regs_buf, %esi
    movl rm_regs_ptr, %edi
    movl $8, %ecx
    cld
    rep movsl
    popfl
    popal
    ret

    .section .low.text, "ax"
    .code16
rm_entry16:
    movw $SEL_DATA16, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    movl %cr0, %eax
    andl $~1, %eax
    movl %eax, %cr0
    ljmp $0, $rm_real
rm_real:
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    movl $RM_STACK_TOP, %esp
    lidt rm_ivt_desc
    pushl rm_regs_buf + 28
    popfl
    movl rm_regs_buf + 0, %eax
    movl rm_regs_buf + 4, %ebx
    movl rm_regs_buf + 8, %ecx
    movl rm_regs_buf + 12, %edx
    movl rm_regs_buf + 16, %esi
    movl rm_regs_buf + 20, %edi
    movl rm_regs_buf + 24, %ebp
    call *rm_fn
    pushfl
    cli
    movl %eax, %cs:rm_regs_buf + 0  /* fn may have changed DS */
    xorw %ax, %ax
    movw %ax, %ds
    movl %ebx, rm_regs_buf + 4
    movl %ecx, rm_regs_buf + 8
    movl %edx, rm_regs_buf + 12
    movl %esi, rm_regs_buf + 16
    movl %edi, rm_regs_buf + 20
    movl %ebp, rm_regs_buf + 24
    popl rm_regs_buf + 28
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $SEL_CODE32, $rm_back32
    .code32

    .section .low.data, "aw"
    .align 4
rm_regs_buf:
    .fill 8, 4, 0
rm_fn:
    .word 0
rm_ivt_desc:
    .word 0x3FF
    .long 0

    .data
    .align 4
    .globl mb_magic, mb_info
mb_magic: .long 0
mb_info: .long 0
rm_saved_esp: .long 0
rm_regs_ptr: .long 0
rm_saved_idt: .word 0
    .long 0
    .globl gdt_desc
    .align 4
    .word 0
gdt_desc:
    .word 32 * 8 - 1
    .long gdt

    .bss
    .align 16
    .space 65536
    .globl stack_top
stack_top:
    .space 16384
    .globl trap_stack_top
trap_stack_top:
    .space 16
