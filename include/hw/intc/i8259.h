/*
 * The PC/AT pair of Intel 8259A programmable interrupt controllers, with
 * the PIIX edge/level control registers (ELCR).
 *
 * The master (ports 0x20-0x21) takes ISA IRQs 0-7 and the slave's INT on
 * IR2; the slave (0xa0-0xa1) takes IRQs 8-15.  ELCR1/ELCR2 at 0x4d0/0x4d1
 * select level triggering per IRQ (IRQs 0, 1, 2, 8 and 13 are always
 * edge triggered, as on the PIIX).
 */
#ifndef HW_INTC_I8259_H
#define HW_INTC_I8259_H

#include "qemu/osdep.h"
#include "hw/core/irq.h"

typedef struct PICState PICState;

/*
 * Creates the pair and maps its ports, registers its state ("i8259") and
 * reset handler.  parent is the CPU's INTR line (raised while the master
 * requests an interrupt).  *irqs receives the 16 ISA IRQ inputs; input 2
 * is not connected (the cascade occupies IR2; boards wire ISA IRQ 2 to
 * IRQ 9).  The PIC is a fixed part of the board, so failing to map its
 * ports is a wiring bug and aborts.
 */
PICState *i8259_init(qemu_irq parent, qemu_irq **irqs);
/* Unmaps and frees (for tests); frees the input lines too. */
void i8259_free(PICState *s);

/*
 * The CPU's interrupt acknowledge: returns the vector of the highest
 * priority request and moves it from IRR to ISR (on the slave too for
 * IRQs 8-15).  With nothing to acknowledge it returns the spurious
 * vector (base + 7 of the master, or of the slave when the master's
 * request came from the cascade) without setting an ISR bit.
 */
int pic_read_irq(PICState *s);
/* True while the master drives INT (an unacknowledged request). */
bool pic_has_pending(PICState *s);

/* "info pic": both chips' registers, one line each. */
void pic_info(GString *out);

#endif
