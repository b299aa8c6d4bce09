/*
 * Devices created with -device: a registry of device types, each with a
 * table of the properties it accepts and a function that creates it.
 */
#ifndef HW_CORE_QDEV_H
#define HW_CORE_QDEV_H

#include "qemu/osdep.h"
#include "qemu/error.h"
#include "qemu/option.h"

typedef enum DeviceCategory {
    DEVICE_CATEGORY_BRIDGE,
    DEVICE_CATEGORY_USB,
    DEVICE_CATEGORY_STORAGE,
    DEVICE_CATEGORY_NETWORK,
    DEVICE_CATEGORY_INPUT,
    DEVICE_CATEGORY_DISPLAY,
    DEVICE_CATEGORY_SOUND,
    DEVICE_CATEGORY_MISC,
    DEVICE_CATEGORY__MAX
} DeviceCategory;

typedef struct DeviceProp {
    const char *name;
    QemuOptType type;
    const char *type_name; /* shown by "-device foo,help": "uint32" */
    const char *def;       /* default value as text, or NULL */
    const char *help;
} DeviceProp;

typedef struct DeviceInfo {
    const char *name; /* "isa-debug-exit" */
    const char *bus;  /* "ISA", "PCI", "System" */
    const char *desc;
    DeviceCategory category;
    const DeviceProp *props; /* NULL-name terminated */
    /*
     * Creates and wires the device.  opts holds only keys listed in props
     * (checked before the call); read them with device_prop_* so defaults
     * apply.
     */
    bool (*create)(QemuOpts *opts, Error **errp);
} DeviceInfo;

void device_register(const DeviceInfo *info);
const DeviceInfo *device_find(const char *name);
void device_register_builtin(void);
/* "-device help" and "-device NAME,help". */
void device_print_help(FILE *f);
bool device_print_props(FILE *f, const char *name, Error **errp);
/* QEMU device names this emulator does not build yet. */
bool device_is_planned(const char *name);
/* Creates a device from -device options; the error names the device. */
bool device_create_from_opts(QemuOpts *opts, Error **errp);

/* Typed property reads with the defaults from the device's table. */
uint64_t device_prop_get_uint(QemuOpts *opts, const DeviceInfo *info,
                              const char *name);
bool device_prop_get_bool(QemuOpts *opts, const DeviceInfo *info,
                          const char *name);
const char *device_prop_get_str(QemuOpts *opts, const DeviceInfo *info,
                                const char *name);

#endif
