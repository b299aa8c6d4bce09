/*
 * 16550A UART on the ISA bus (COM1-COM4).
 */
#ifndef HW_CHAR_SERIAL_H
#define HW_CHAR_SERIAL_H

#include "qemu/osdep.h"
#include "qemu/error.h"
#include "chardev/char.h"
#include "hw/core/irq.h"
#include "hw/core/qdev.h"

#define SERIAL_MAX_PORTS 4

typedef struct SerialState SerialState;

/*
 * Creates UART number index (0-3: COM1-COM4, also its state's instance
 * number) with its 8 registers at iobase, driving irq, connected to chr.
 * chr may be NULL: the port exists but output goes nowhere and no input
 * comes.  Fails if the index is in use, the ports are taken, or chr
 * already has a front-end.
 */
SerialState *serial_isa_init(int index, uint32_t iobase, qemu_irq irq,
                             Chardev *chr, Error **errp);
/* Unmaps, detaches the chardev and frees (for tests). */
void serial_free(SerialState *s);
/* The port created with this index, or NULL. */
SerialState *serial_find(int index);

/* The PC's default port for index 0-3: 0x3f8, 0x2f8, 0x3e8, 0x2e8. */
uint32_t serial_isa_default_iobase(int index);
/* ... and IRQ: 4, 3, 4, 3. */
int serial_isa_default_irq(int index);

/*
 * -device isa-serial needs the qemu_irq of an ISA IRQ number; the machine
 * provides the lookup (NULL while there is no ISA bus).
 */
typedef qemu_irq SerialIsaIrqLookup(int isa_irq);
void serial_set_isa_irq_lookup(SerialIsaIrqLookup *fn);

/* -device isa-serial,index=N,iobase=,irq=,chardev=ID */
extern const DeviceInfo isa_serial_info;

#endif
