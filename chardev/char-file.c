/*
 * Host files and devices: "file" (output to a file, optional input file)
 * and "serial"/"tty" (a host serial port such as /dev/ttyS0, which is what
 * the legacy "-serial /dev/..." syntax creates).
 */
#include "qemu/osdep.h"
#include "chardev/char-internal.h"

#include <termios.h>

static const QemuOptDesc file_opts[] = {
    { "path", QEMU_OPT_STRING, "output file" },
    { "append", QEMU_OPT_BOOL, "append instead of truncating" },
    { "input-path", QEMU_OPT_STRING, "file to read input from" },
    { NULL },
};

static bool file_chr_open(Chardev *chr, QemuOpts *opts, bool *be_opened,
                          Error **errp)
{
    const char *path = qemu_opt_get(opts, "path");
    const char *in_path = qemu_opt_get(opts, "input-path");
    bool append;
    int fd_out;
    int fd_in = -1;

    if (!path || !*path) {
        error_setg(errp, "'path' is required");
        return false;
    }
    if (!qemu_opt_get_bool(opts, "append", false, &append, errp)) {
        return false;
    }
    fd_out = open(
        path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC),
        0666);
    if (fd_out < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", path);
        return false;
    }
    if (in_path) {
        fd_in = open(in_path, O_RDONLY | O_CLOEXEC);
        if (fd_in < 0) {
            error_setg_errno(errp, errno, "Could not open '%s'", in_path);
            close(fd_out);
            return false;
        }
    }
    fd_chr_start(chr, fd_in, fd_out, true);
    qemu_chr_set_filename(chr, g_strdup_printf("file:%s", path));
    return true;
}

const ChardevClass char_file_class = {
    .name = "file",
    .help = "path=FILE[,append=on][,input-path=FILE]: output to a file",
    .instance_size = sizeof(FDChardev),
    .opts = file_opts,
    .open = file_chr_open,
    .chr_write = fd_chr_write,
    .chr_wait_writable = fd_chr_wait_writable,
    .chr_close = fd_chr_close,
};

static const QemuOptDesc serial_opts[] = {
    { "path", QEMU_OPT_STRING, "host serial device" },
    { NULL },
};

/*
 * Raw 8N1 at 115200 baud, the setting QEMU gives host serial ports: the
 * guest's own line discipline does all processing.
 */
static void serial_tty_init(int fd)
{
    struct termios tty;

    if (tcgetattr(fd, &tty) < 0) {
        return; /* not a tty (/dev/null, ...): use it as a plain file */
    }
    cfmakeraw(&tty);
    cfsetispeed(&tty, B115200);
    cfsetospeed(&tty, B115200);
    tty.c_cflag |= CLOCAL | CREAD;
    tty.c_cflag &= ~(CRTSCTS | CSTOPB | PARENB);
    tty.c_cc[VMIN] = 1;
    tty.c_cc[VTIME] = 0;
    tcsetattr(fd, TCSANOW, &tty);
}

static bool serial_chr_open(Chardev *chr, QemuOpts *opts, bool *be_opened,
                            Error **errp)
{
    const char *path = qemu_opt_get(opts, "path");
    int fd;

    if (!path || !*path) {
        error_setg(errp, "'path' is required");
        return false;
    }
    fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", path);
        return false;
    }
    serial_tty_init(fd);
    fd_chr_start(chr, fd, fd, true);
    qemu_chr_set_filename(chr, g_strdup(path));
    return true;
}

const ChardevClass char_serial_class = {
    .name = "serial",
    .help = "path=DEVICE: a host serial port",
    .instance_size = sizeof(FDChardev),
    .opts = serial_opts,
    .open = serial_chr_open,
    .chr_write = fd_chr_write,
    .chr_wait_writable = fd_chr_wait_writable,
    .chr_close = fd_chr_close,
};

/* QEMU's alias for "serial". */
const ChardevClass char_tty_class = {
    .name = "tty",
    .help = "path=DEVICE: same as serial",
    .instance_size = sizeof(FDChardev),
    .opts = serial_opts,
    .open = serial_chr_open,
    .chr_write = fd_chr_write,
    .chr_wait_writable = fd_chr_wait_writable,
    .chr_close = fd_chr_close,
};
