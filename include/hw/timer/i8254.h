/*
 * Intel 8254 programmable interval timer (PIT) and the PC's port 0x61.
 *
 * Three counters clocked at 1.193182 MHz, derived from QEMU_CLOCK_VIRTUAL
 * (tick = ns * 1193182 / 10^9, rounded down, exactly).  Counter 0's OUT
 * drives ISA IRQ 0; counter 1 (DRAM refresh on old PCs) has no
 * connection; counter 2's gate and OUT are bits 0 and 5 of port 0x61.
 */
#ifndef HW_TIMER_I8254_H
#define HW_TIMER_I8254_H

#include "qemu/osdep.h"
#include "hw/core/irq.h"

#define PIT_FREQ 1193182

typedef struct PITState PITState;

/*
 * Creates the PIT at iobase (0x40: counters at +0..+2, control word at
 * +3) and port 0x61, registers its state ("i8254") and reset handler.
 * The PIT is a fixed part of the board, so failing to map its ports is a
 * wiring bug and aborts.
 */
PITState *i8254_init(uint32_t iobase, qemu_irq irq0);
/* Unmaps and frees (for tests). */
void i8254_free(PITState *s);

/* Gate input of counter 0..2 (counter 2's also follows port 0x61 bit 0). */
void pit_set_gate(PITState *s, int channel, int level);
/* OUT of counter 0..2 now. */
int pit_get_out(PITState *s, int channel);

/* "info pit": the state of the three counters, one line each. */
void pit_info(GString *out);

/* Virtual-clock ns <-> PIT ticks (ticks_to_ns gives the first ns of it). */
int64_t pit_ns_to_ticks(int64_t ns);
int64_t pit_ticks_to_ns(int64_t ticks);

#endif
