/*
 * Start-up and shut-down of the whole emulator (softmmu/vl.c).
 */
#ifndef SYSEMU_SYSEMU_H
#define SYSEMU_SYSEMU_H

#include "qemu/osdep.h"
#include "qemu/error.h"
#include "sysemu/config.h"
#include "chardev/char.h"

/*
 * Refuses, by name, what the configuration asks for that this build does
 * not implement yet ("-drive ...: block devices are not supported yet").
 */
bool qemu_config_check_supported(const MachineConfig *cfg, Error **errp);

/* Builds everything from cfg: logging, clocks, chardevs, monitors, the
 * machine and its devices.  On success the VM is running, or paused
 * (prelaunch) with -S. */
bool qemu_init(MachineConfig *cfg, Error **errp);
/* Tears down what qemu_init built (terminal restored, files closed). */
void qemu_cleanup(void);

/* The chardev of serial port i (NULL when absent or "none"). */
Chardev *serial_hd(int i);
int serial_max_hds(void);
Chardev *parallel_hd(int i);
/* The -debugcon chardev, or NULL. */
Chardev *debugcon_hd(void);

/* The configuration the running machine was built from. */
extern MachineConfig *current_config;

#endif
