/*
 * The -device registry.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "hw/core/qdev.h"
#include "hw/core/devices.h"

static GPtrArray *devices;

static const char *const category_names[DEVICE_CATEGORY__MAX] = {
    [DEVICE_CATEGORY_BRIDGE] = "Controller/Bridge/Hub devices",
    [DEVICE_CATEGORY_USB] = "USB devices",
    [DEVICE_CATEGORY_STORAGE] = "Storage devices",
    [DEVICE_CATEGORY_NETWORK] = "Network devices",
    [DEVICE_CATEGORY_INPUT] = "Input devices",
    [DEVICE_CATEGORY_DISPLAY] = "Display devices",
    [DEVICE_CATEGORY_SOUND] = "Sound devices",
    [DEVICE_CATEGORY_MISC] = "Misc devices",
};

/* QEMU device names that later issues build. */
static const char *const planned_devices[] = {
    "ide-hd",    "ide-cd",         "ide-drive",      "rtl8139",
    "e1000",     "virtio-net-pci", "pci-testdev",    "pc-testdev",
    "VGA",       "cirrus-vga",     "i8042",          "usb-tablet",
    "usb-kbd",   "ac97",           "intel-hda",      "hda-duplex",
    "piix3-ide", "isa-ide",        "virtio-blk-pci",
};

void device_register_builtin(void)
{
    device_register(&isa_debug_exit_info);
    device_register(&isa_debugcon_info);
    device_register(&isa_serial_info);
}

void device_register(const DeviceInfo *info)
{
    if (!devices) {
        devices = g_ptr_array_new();
    }
    g_ptr_array_add(devices, (gpointer)info);
}

const DeviceInfo *device_find(const char *name)
{
    for (guint i = 0; devices && i < devices->len; i++) {
        const DeviceInfo *info = g_ptr_array_index(devices, i);
        if (!strcmp(info->name, name)) {
            return info;
        }
    }
    return NULL;
}

bool device_is_planned(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(planned_devices); i++) {
        if (!strcmp(planned_devices[i], name)) {
            return true;
        }
    }
    return false;
}

void device_print_help(FILE *f)
{
    for (int c = 0; c < DEVICE_CATEGORY__MAX; c++) {
        bool header = false;

        for (guint i = 0; devices && i < devices->len; i++) {
            const DeviceInfo *info = g_ptr_array_index(devices, i);
            if (info->category != (DeviceCategory)c) {
                continue;
            }
            if (!header) {
                fprintf(f, "%s%s:\n", c ? "\n" : "", category_names[c]);
                header = true;
            }
            fprintf(f, "name \"%s\", bus %s, desc \"%s\"\n", info->name,
                    info->bus, info->desc);
        }
    }
}

static const DeviceProp *find_prop(const DeviceInfo *info, const char *name)
{
    for (const DeviceProp *p = info->props; p && p->name; p++) {
        if (!strcmp(p->name, name)) {
            return p;
        }
    }
    return NULL;
}

bool device_print_props(FILE *f, const char *name, Error **errp)
{
    const DeviceInfo *info = device_find(name);

    if (!info) {
        error_setg(errp, "'%s' is not a valid device model name", name);
        return false;
    }
    fprintf(f, "%s options:\n", info->name);
    for (const DeviceProp *p = info->props; p && p->name; p++) {
        char *head = g_strdup_printf("%s=<%s>", p->name, p->type_name);
        fprintf(f, "  %-22s - %s%s%s%s\n", head, p->help ? p->help : "",
                p->def ? " (default: " : "", p->def ? p->def : "",
                p->def ? ")" : "");
        g_free(head);
    }
    return true;
}

static bool check_props(QemuOpts *opts, const DeviceInfo *info, Error **errp)
{
    for (guint i = 0; i < opts->opts->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->opts, i);
        const DeviceProp *p;
        uint64_t num;
        bool b;
        Error *local_err = NULL;

        if (!strcmp(o->name, "driver")) {
            continue;
        }
        p = find_prop(info, o->name);
        if (!p) {
            error_setg(errp, "Property '%s.%s' not found", info->name, o->name);
            return false;
        }
        switch (p->type) {
        case QEMU_OPT_NUMBER:
            qemu_opt_get_number(opts, o->name, 0, &num, &local_err);
            break;
        case QEMU_OPT_SIZE:
            qemu_opt_get_size(opts, o->name, 0, &num, &local_err);
            break;
        case QEMU_OPT_BOOL:
            qemu_opt_get_bool(opts, o->name, false, &b, &local_err);
            break;
        case QEMU_OPT_STRING:
            break;
        }
        if (local_err) {
            error_propagate(errp, local_err);
            error_prepend(errp, "%s: ", info->name);
            return false;
        }
    }
    return true;
}

bool device_create_from_opts(QemuOpts *opts, Error **errp)
{
    const char *drv = qemu_opt_get(opts, "driver");
    const DeviceInfo *info = drv ? device_find(drv) : NULL;

    if (!info) {
        error_setg(errp, "-device %s: device '%s' is not supported yet",
                   drv ? drv : "", drv ? drv : "");
        return false;
    }
    if (!check_props(opts, info, errp)) {
        error_prepend(errp, "-device %s: ", drv);
        return false;
    }
    if (!info->create(opts, errp)) {
        error_prepend(errp, "-device %s: ", drv);
        return false;
    }
    return true;
}

static const char *prop_text(QemuOpts *opts, const DeviceInfo *info,
                             const char *name)
{
    const char *v = qemu_opt_get(opts, name);
    const DeviceProp *p = find_prop(info, name);

    g_assert(p); /* a device asked for a property it did not declare */
    return v ? v : p->def;
}

uint64_t device_prop_get_uint(QemuOpts *opts, const DeviceInfo *info,
                              const char *name)
{
    const char *v = prop_text(opts, info, name);
    uint64_t n = 0;
    int ret = 0;

    /* Values were checked by check_props; defaults are ours. */
    if (v) {
        ret = find_prop(info, name)->type == QEMU_OPT_SIZE
                  ? qemu_strtosz(v, 'B', &n)
                  : qemu_strtou64(v, &n);
    }
    g_assert(ret == 0);
    return n;
}

bool device_prop_get_bool(QemuOpts *opts, const DeviceInfo *info,
                          const char *name)
{
    const char *v = prop_text(opts, info, name);
    bool b = false;

    if (v && !qemu_parse_bool(v, &b)) {
        g_assert_not_reached();
    }
    return b;
}

const char *device_prop_get_str(QemuOpts *opts, const DeviceInfo *info,
                                const char *name)
{
    return prop_text(opts, info, name);
}
