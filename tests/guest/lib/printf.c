/*
 * Console output: every byte goes to COM1 (0x3F8, after waiting for the
 * transmitter holding register to empty, LSR bit 5) and to the debugcon
 * port 0xE9.  A small vsnprintf: %d %i %u %x %X %o %c %s %p %% with the
 * '0' and '-' flags, a width, and the l/ll/h/hh length modifiers.
 */
#include "guest.h"

#define COM1     0x3F8
#define COM_LSR  5
#define LSR_THRE 0x20

void putchar_(int c)
{
    if (c == '\n') {
        putchar_('\r');
    }
    /* Bounded: a UART model that never reports THRE must not hang us. */
    for (int i = 0; i < 100000; i++) {
        if (inb(COM1 + COM_LSR) & LSR_THRE) {
            break;
        }
    }
    outb(COM1, (uint8_t)c);
    if (c != '\r') {
        outb(0xE9, (uint8_t)c);
    }
}

void puts_(const char *s)
{
    while (*s) {
        putchar_(*s++);
    }
}

struct out {
    char *buf;
    size_t size, len;
};

static void out_c(struct out *o, char c)
{
    if (o->buf) {
        if (o->len + 1 < o->size) {
            o->buf[o->len] = c;
        }
    } else {
        putchar_(c);
    }
    o->len++;
}

/* 64-bit unsigned division by a small base without libgcc. */
static unsigned divmod64(uint64_t *n, unsigned base)
{
    uint64_t q = 0, r = 0;
    for (int i = 63; i >= 0; i--) {
        r = (r << 1) | ((*n >> i) & 1);
        if (r >= base) {
            r -= base;
            q |= (uint64_t)1 << i;
        }
    }
    *n = q;
    return (unsigned)r;
}

static void out_num(struct out *o, uint64_t v, unsigned base, bool neg,
                    bool upper, int width, bool zero, bool left)
{
    char tmp[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[divmod64(&v, base)];
    } while (v);
    int len = n + (neg ? 1 : 0);
    if (!left && !zero) {
        for (; len < width; width--) {
            out_c(o, ' ');
        }
    }
    if (neg) {
        out_c(o, '-');
    }
    if (!left && zero) {
        for (; len < width; width--) {
            out_c(o, '0');
        }
    }
    while (n) {
        out_c(o, tmp[--n]);
    }
    if (left) {
        for (; len < width; width--) {
            out_c(o, ' ');
        }
    }
}

static int do_printf(struct out *o, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out_c(o, *fmt);
            continue;
        }
        fmt++;
        bool zero = false, left = false;
        int width = 0, lng = 0;
        for (;; fmt++) {
            if (*fmt == '0') {
                zero = true;
            } else if (*fmt == '-') {
                left = true;
            } else {
                break;
            }
        }
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + (*fmt++ - '0');
        }
        while (*fmt == 'l' || *fmt == 'h' || *fmt == 'z') {
            if (*fmt == 'l') {
                lng++;
            }
            fmt++;
        }
        uint64_t u;
        int64_t s;
        switch (*fmt) {
        case 'd':
        case 'i':
            s = lng >= 2 ? va_arg(ap, int64_t) : va_arg(ap, int32_t);
            out_num(o, s < 0 ? -(uint64_t)s : (uint64_t)s, 10, s < 0, false,
                    width, zero, left);
            break;
        case 'u':
        case 'x':
        case 'X':
        case 'o':
            u = lng >= 2 ? va_arg(ap, uint64_t) : va_arg(ap, uint32_t);
            out_num(o, u,
                    *fmt == 'u'   ? 10
                    : *fmt == 'o' ? 8
                                  : 16,
                    false, *fmt == 'X', width, zero, left);
            break;
        case 'p':
            out_c(o, '0');
            out_c(o, 'x');
            out_num(o, (uintptr_t)va_arg(ap, void *), 16, false, false, 8, true,
                    false);
            break;
        case 'c':
            out_c(o, (char)va_arg(ap, int));
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str) {
                str = "(null)";
            }
            int len = (int)strlen(str);
            for (; !left && len < width; width--) {
                out_c(o, ' ');
            }
            while (*str) {
                out_c(o, *str++);
            }
            for (; left && len < width; width--) {
                out_c(o, ' ');
            }
            break;
        }
        case '%':
            out_c(o, '%');
            break;
        case 0:
            return (int)o->len;
        default:
            out_c(o, '%');
            out_c(o, *fmt);
            break;
        }
    }
    return (int)o->len;
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct out o = { buf, n, 0 };
    int r = do_printf(&o, fmt, ap);
    if (n) {
        buf[o.len < n ? o.len : n - 1] = 0;
    }
    return r;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

int vprintf(const char *fmt, va_list ap)
{
    struct out o = { NULL, 0, 0 };
    return do_printf(&o, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vprintf(fmt, ap);
    va_end(ap);
    return r;
}
