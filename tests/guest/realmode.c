/*
 * Real mode (SDM Vol. 3A chapter 20.1): switching from protected mode to
 * real mode and back, segment:offset addressing, 32-bit operands with the
 * 66 prefix, INT n and exceptions through the IVT (FLAGS, CS, IP pushed;
 * IF and TF cleared; #DE pushes the address of the DIV), and unreal mode:
 * a segment loaded in protected mode keeps its 4 GiB limit after the
 * return to real mode, even across a real-mode reload of the selector.
 */
#include "guest.h"

extern char rm_addr[], rm_int[], rm_int_handler[], rm_de[], rm_de_handler[],
    rm_de_insn[], rm_unreal[];
uint16_t rm_seen_flags_in LOW_SECTION, rm_seen_flags_pushed LOW_SECTION,
    rm_seen_de_ip LOW_SECTION;

asm(".section .low.text, \"ax\"\n"
    ".code16\n"
    /* DS = 0x2000; [0x10] = 0x1234; EAX = 0x89ABCDEF via 66 prefix */
    "rm_addr:\n\t"
    "movw $0x2000, %ax\n\tmovw %ax, %ds\n\t"
    "movw $0x1234, 0x10\n\t"
    "movl $0x89ABCDEF, %eax\n\t"
    "xorw %bx, %bx\n\tmovw %bx, %ds\n\t"
    "movw %cs, %bx\n\t"
    "ret\n"
    /* INT 0x60 through the IVT with IF = 1 */
    "rm_int:\n\t"
    "sti\n\tint $0x60\n\tcli\n\tret\n"
    "rm_int_handler:\n\t"
    "pushfw\n\tpopw rm_seen_flags_in\n\t"
    "movw %sp, %bp\n\tmovw 4(%bp), %ax\n\tmovw %ax, rm_seen_flags_pushed\n\t"
    "movl $0x600D, %ecx\n\t"
    "iretw\n"
    /* #DE through IVT[0]: the handler skips the 2-byte DIV */
    "rm_de:\n\t"
    "movw $100, %ax\n\txorb %bl, %bl\n"
    "rm_de_insn:\tdivb %bl\n\t"
    "ret\n"
    "rm_de_handler:\n\t"
    "pushw %ax\n\tmovw %sp, %bp\n\tmovw 2(%bp), %ax\n\t"
    "movw %ax, rm_seen_de_ip\n\t"
    "addw $2, 2(%bp)\n\tmovw $0xDE, %dx\n\tpopw %ax\n\t"
    "iretw\n"
    /* unreal mode: EBX = linear address above 1 MiB */
    "rm_unreal:\n\t"
    "movl %cr0, %eax\n\torb $1, %al\n\tmovl %eax, %cr0\n\t"
    "jmp 1f\n1:\t"
    "movw $0x10, %ax\n\tmovw %ax, %fs\n\t"
    "movl %cr0, %eax\n\tandb $0xFE, %al\n\tmovl %eax, %cr0\n\t"
    "jmp 2f\n2:\t"
    "addr32 movl $0xCAFEBABE, %fs:(%ebx)\n\t"
    "xorw %ax, %ax\n\tmovw %ax, %fs\n\t" /* base 0 again, limit kept */
    "addr32 movl $0x0DDBA11, %fs:4(%ebx)\n\t"
    "addr32 movl %fs:(%ebx), %ecx\n\t"
    "ret\n"
    ".code32\n.text\n");

static void set_ivt(unsigned vec, void *handler)
{
    ((volatile uint32_t *)0)[vec] = (uint32_t)handler & 0xFFFF;
}

int main(void)
{
    struct rm_regs r;
    report_section("real mode");
    memset(&r, 0, sizeof(r));
    *(volatile uint16_t *)0x20010 = 0;
    real_call((uint16_t)(uint32_t)rm_addr, &r);
    report_eq(*(volatile uint16_t *)0x20010, 0x1234,
              "ds = 0x2000: [0x10] is linear 0x20010");
    report_eq(r.eax, 0x89ABCDEF, "32-bit operand in real mode");
    report_eq(r.ebx & 0xFFFF, 0, "cs = 0 in real mode");
    report_eq(read_cr0() & CR0_PE, CR0_PE, "back in protected mode");

    report_section("ivt");
    set_ivt(0x60, rm_int_handler);
    memset(&r, 0, sizeof(r));
    real_call((uint16_t)(uint32_t)rm_int, &r);
    report_eq(r.ecx, 0x600D, "int 0x60 ran the IVT handler");
    report_eq(rm_seen_flags_pushed & FL_IF, FL_IF, "pushed FLAGS has IF");
    report_eq(rm_seen_flags_in & (FL_IF | FL_TF), 0,
              "handler runs with "
              "IF = TF = 0");
    set_ivt(0, rm_de_handler);
    memset(&r, 0, sizeof(r));
    real_call((uint16_t)(uint32_t)rm_de, &r);
    report_eq(r.edx & 0xFFFF, 0xDE, "#DE through IVT[0]");
    report_eq(rm_seen_de_ip, (uint32_t)rm_de_insn & 0xFFFF,
              "#DE pushes the IP of the DIV");
    report_eq(r.eax & 0xFFFF, 100, "AX unchanged by the faulting DIV");

    report_section("unreal");
    memset(&r, 0, sizeof(r));
    r.ebx = 0x01F00000;
    real_call((uint16_t)(uint32_t)rm_unreal, &r);
    report_eq(*(volatile uint32_t *)0x01F00000, 0xCAFEBABE,
              "write above 1 MiB through a 4 GiB fs");
    report_eq(*(volatile uint32_t *)0x01F00004, 0x0DDBA11,
              "limit kept after reloading fs in real mode");
    report_eq(r.ecx, 0xCAFEBABE, "read back in unreal mode");
    return 0;
}
