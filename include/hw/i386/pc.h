/*
 * The "pc" machine (hw/i386/pc.c).
 */
#ifndef HW_I386_PC_H
#define HW_I386_PC_H

#include "hw/core/machine.h"

extern const MachineClass pc_machine;

#endif
