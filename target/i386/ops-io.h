/*
 * Port I/O for IN/OUT (ops-io.c) and INS/OUTS (ops-string.c): the I/O
 * permission check and the accesses themselves.
 */
#ifndef TARGET_I386_OPS_IO_H
#define TARGET_I386_OPS_IO_H

#include "target/i386/cpu.h"

/*
 * Raises #GP(0) unless the current privilege may access the size (1, 2
 * or 4) ports at port: always in real mode; in protected mode when
 * CPL <= IOPL outside virtual-8086 mode; otherwise only when every bit
 * for those ports in the I/O permission bitmap of the current 32-bit TSS
 * is 0 (SDM vol. 1, 19.5).
 */
void x86_check_io(CPUX86State *env, uint32_t port, int size);

/*
 * Reads/writes size (1, 2 or 4) bytes at port in address_space_io, with
 * no permission check.  Both end the translation block after the
 * current instruction (a device may have raised an interrupt).
 */
uint32_t x86_io_read(CPUX86State *env, uint32_t port, int size);
void x86_io_write(CPUX86State *env, uint32_t port, uint32_t val, int size);

#endif
