/*
 * Multiboot (version 1) kernels loaded by -kernel, as QEMU does: the
 * modules come from -initrd, comma separated, each "file [arguments]".
 */
#ifndef HW_I386_MULTIBOOT_H
#define HW_I386_MULTIBOOT_H

#include "qemu/osdep.h"
#include "qemu/error.h"
#include "target/i386/cpu.h"

typedef struct MultibootImage MultibootImage;

/*
 * Reads kernel and looks for a Multiboot header in its first 8 KiB.
 * Returns NULL without an error when there is none (not a multiboot
 * kernel), NULL with errp set when the file or a module is bad.
 * below_4g/above_4g are the RAM sizes for the memory map.
 */
MultibootImage *multiboot_load(const char *kernel, const char *cmdline,
                               const char *modules, uint64_t below_4g,
                               uint64_t above_4g, Error **errp);
/* Copies the image into guest RAM and sets the CPU's entry state
 * (Multiboot spec 3.2); done at every reset. */
void multiboot_reset(MultibootImage *mb, CPUX86State *env);

#endif
