/*
 * The null back-end: output is discarded, there is never any input.
 *
 * "vc" (a text console on the graphical display) is the same for now: there
 * is no display to draw a console on yet, and QEMU with -display none also
 * leaves vc consoles unseen.  It accepts QEMU's size keys so command lines
 * that give them still work.
 */
#include "qemu/osdep.h"
#include "chardev/char-internal.h"

static bool null_chr_open(Chardev *chr, QemuOpts *opts, bool *be_opened,
                          Error **errp)
{
    /* QEMU's null is never "connected": front-ends get no OPENED. */
    *be_opened = false;
    return true;
}

static int null_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    return len;
}

const ChardevClass char_null_class = {
    .name = "null",
    .help = "discards output, no input",
    .instance_size = sizeof(Chardev),
    .open = null_chr_open,
    .chr_write = null_chr_write,
};

static const QemuOptDesc vc_opts[] = {
    { "width", QEMU_OPT_NUMBER, "width in pixels" },
    { "height", QEMU_OPT_NUMBER, "height in pixels" },
    { "cols", QEMU_OPT_NUMBER, "width in characters" },
    { "rows", QEMU_OPT_NUMBER, "height in characters" },
    { NULL },
};

static bool vc_chr_open(Chardev *chr, QemuOpts *opts, bool *be_opened,
                        Error **errp)
{
    /* A console is there from the start, so it counts as connected. */
    *be_opened = true;
    return true;
}

const ChardevClass char_vc_class = {
    .name = "vc",
    .help = "text console (no display yet: behaves like null)",
    .instance_size = sizeof(Chardev),
    .opts = vc_opts,
    .open = vc_chr_open,
    .chr_write = null_chr_write,
};
