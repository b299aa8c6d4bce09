/*
 * isa-debugcon: the Bochs/QEMU debug console.  Bytes the guest writes to
 * the port (0xe9 by default) go to a chardev; reading the port returns
 * the "readback" value so a guest can detect the device.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/ioport.h"
#include "chardev/char.h"
#include "hw/core/devices.h"

typedef struct DebugconState {
    MemoryRegion io;
    CharBackend chr;
    uint32_t readback;
} DebugconState;

static uint64_t debugcon_read(void *opaque, hwaddr addr, unsigned size)
{
    DebugconState *s = opaque;

    return s->readback;
}

static void debugcon_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    DebugconState *s = opaque;
    uint8_t ch = val;

    /* Blocking write: a slow host must not lose guest output. */
    qemu_chr_fe_write_all(&s->chr, &ch, 1);
}

static const MemoryRegionOps debugcon_ops = {
    .read = debugcon_read,
    .write = debugcon_write,
    .valid.min_access_size = 1,
    .valid.max_access_size = 1,
    .impl.min_access_size = 1,
    .impl.max_access_size = 1,
};

static const DeviceProp debugcon_props[] = {
    { "iobase", QEMU_OPT_NUMBER, "uint32", "233", "I/O port" },
    { "chardev", QEMU_OPT_STRING, "str", NULL, "ID of a chardev to use" },
    { "readback", QEMU_OPT_NUMBER, "uint32", "233",
      "value a read of the port returns" },
    { NULL }
};

static bool debugcon_create(QemuOpts *opts, Error **errp)
{
    const DeviceInfo *info = &isa_debugcon_info;
    DebugconState *s = g_new0(DebugconState, 1);
    uint64_t base = device_prop_get_uint(opts, info, "iobase");
    const char *id = device_prop_get_str(opts, info, "chardev");
    Chardev *chr;

    s->readback = device_prop_get_uint(opts, info, "readback");
    if (!id) {
        error_setg(errp, "Property 'chardev' is required");
        goto fail;
    }
    chr = qemu_chr_find(id);
    if (!chr) {
        error_setg(errp, "chardev '%s' not found", id);
        goto fail;
    }
    if (base > 0xffff) {
        error_setg(errp, "iobase=0x%" PRIx64 " is not an I/O port", base);
        goto fail;
    }
    if (!qemu_chr_fe_init(&s->chr, chr, errp)) {
        goto fail;
    }
    if (!portio_register(&s->io, base, 1, &debugcon_ops, s, "isa-debugcon",
                         errp)) {
        qemu_chr_fe_deinit(&s->chr, false);
        goto fail;
    }
    return true;
fail:
    g_free(s);
    return false;
}

const DeviceInfo isa_debugcon_info = {
    .name = "isa-debugcon",
    .bus = "ISA",
    .desc = "debug console on an I/O port (Bochs port 0xe9 protocol)",
    .category = DEVICE_CATEGORY_MISC,
    .props = debugcon_props,
    .create = debugcon_create,
};
