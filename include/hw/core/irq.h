/*
 * IRQ lines: a device raises and lowers a line; whoever owns the line (an
 * interrupt controller, the CPU's INTR pin) gets a callback with the new
 * level.  Edge-triggered inputs are modelled by the receiver looking at
 * level changes.
 */
#ifndef HW_CORE_IRQ_H
#define HW_CORE_IRQ_H

#include "qemu/osdep.h"

typedef struct IRQState *qemu_irq;
typedef void (*qemu_irq_handler)(void *opaque, int n, int level);

struct IRQState {
    qemu_irq_handler handler;
    void *opaque;
    int n;
};

static inline void qemu_set_irq(qemu_irq irq, int level)
{
    if (irq) {
        irq->handler(irq->opaque, irq->n, level);
    }
}

static inline void qemu_irq_raise(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
}

static inline void qemu_irq_lower(qemu_irq irq)
{
    qemu_set_irq(irq, 0);
}

/* A pulse: raise then lower (edge-triggered receivers see one edge). */
static inline void qemu_irq_pulse(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
    qemu_set_irq(irq, 0);
}

/* n lines numbered 0..n-1 delivered to handler(opaque, i, level). */
qemu_irq *qemu_allocate_irqs(qemu_irq_handler handler, void *opaque, int n);
qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n);
void qemu_free_irqs(qemu_irq *irqs, int n);
void qemu_free_irq(qemu_irq irq);

#endif
