/*
 * Every device type built into the emulator, registered at start-up by
 * device_register_builtin().  A new device adds its DeviceInfo here.
 */
#ifndef HW_CORE_DEVICES_H
#define HW_CORE_DEVICES_H

#include "hw/core/qdev.h"

extern const DeviceInfo isa_debug_exit_info; /* hw/misc/debugexit.c */
extern const DeviceInfo isa_debugcon_info;   /* hw/char/debugcon.c */
extern const DeviceInfo isa_serial_info;     /* hw/char/serial.c */

#endif
