/*
 * isa-debug-exit: a write to its port ends the emulator with status
 * (value << 1) | 1, so guest test programs can report pass/fail.  Status 0
 * cannot be produced on purpose, which keeps "the test never ran its exit"
 * distinguishable from success.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/ioport.h"
#include "hw/core/devices.h"

typedef struct DebugExitState {
    MemoryRegion io;
} DebugExitState;

static uint64_t debug_exit_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void debug_exit_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    /* Like QEMU: exit() at once; atexit handlers restore the terminal. */
    exit((val << 1) | 1);
}

static const MemoryRegionOps debug_exit_ops = {
    .read = debug_exit_read,
    .write = debug_exit_write,
    .valid.min_access_size = 1,
    .valid.max_access_size = 4,
    .impl.min_access_size = 1,
    .impl.max_access_size = 4,
};

static const DeviceProp debug_exit_props[] = {
    { "iobase", QEMU_OPT_NUMBER, "uint32", "1281", "I/O port base" },
    { "iosize", QEMU_OPT_NUMBER, "uint32", "2", "number of ports" },
    { NULL }
};

static bool debug_exit_create(QemuOpts *opts, Error **errp)
{
    DebugExitState *s = g_new0(DebugExitState, 1);
    uint64_t base = device_prop_get_uint(opts, &isa_debug_exit_info, "iobase");
    uint64_t size = device_prop_get_uint(opts, &isa_debug_exit_info, "iosize");

    if (base > 0xffff || size == 0 || size > 0x10000 - base) {
        error_setg(errp,
                   "iobase=0x%" PRIx64 ",iosize=%" PRIu64
                   " does not fit in the I/O space",
                   base, size);
        g_free(s);
        return false;
    }
    if (!portio_register(&s->io, base, size, &debug_exit_ops, s,
                         "isa-debug-exit", errp)) {
        g_free(s);
        return false;
    }
    return true;
}

const DeviceInfo isa_debug_exit_info = {
    .name = "isa-debug-exit",
    .bus = "ISA",
    .desc = "exit the emulator with a status written by the guest",
    .category = DEVICE_CATEGORY_MISC,
    .props = debug_exit_props,
    .create = debug_exit_create,
};
