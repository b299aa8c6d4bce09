/*
 * The pipe back-end: path=P uses the named pipes P.in (input) and P.out
 * (output) when both exist, and P for both directions otherwise, as QEMU
 * documents.
 *
 * Both are opened read-write: opening a FIFO that way never blocks waiting
 * for a peer, and because we then hold both ends ourselves, a writer going
 * away is not an EOF and a missing reader is not a SIGPIPE; the pipe simply
 * waits for the next peer, like QEMU's.
 */
#include "qemu/osdep.h"
#include "chardev/char-internal.h"

static const QemuOptDesc pipe_opts[] = {
    { "path", QEMU_OPT_STRING, "base name of the pipes" },
    { NULL },
};

static bool pipe_chr_open(Chardev *chr, QemuOpts *opts, bool *be_opened,
                          Error **errp)
{
    const char *path = qemu_opt_get(opts, "path");
    char *in_path;
    char *out_path;
    int fd_in;
    int fd_out;

    if (!path || !*path) {
        error_setg(errp, "'path' is required");
        return false;
    }
    in_path = g_strdup_printf("%s.in", path);
    out_path = g_strdup_printf("%s.out", path);
    fd_in = open(in_path, O_RDWR | O_CLOEXEC);
    fd_out = open(out_path, O_RDWR | O_CLOEXEC);
    g_free(in_path);
    g_free(out_path);
    if (fd_in < 0 || fd_out < 0) {
        if (fd_in >= 0) {
            close(fd_in);
        }
        if (fd_out >= 0) {
            close(fd_out);
        }
        fd_in = fd_out = open(path, O_RDWR | O_CLOEXEC);
        if (fd_in < 0) {
            error_setg_errno(errp, errno, "Could not open '%s'", path);
            return false;
        }
    }
    fd_chr_start(chr, fd_in, fd_out, true);
    qemu_chr_set_filename(chr, g_strdup_printf("pipe:%s", path));
    return true;
}

const ChardevClass char_pipe_class = {
    .name = "pipe",
    .help = "path=P: named pipes P.in and P.out (or P for both)",
    .instance_size = sizeof(FDChardev),
    .opts = pipe_opts,
    .open = pipe_chr_open,
    .chr_write = fd_chr_write,
    .chr_wait_writable = fd_chr_wait_writable,
    .chr_close = fd_chr_close,
};
