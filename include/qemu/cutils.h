/*
 * Small string helpers: number and size parsing as QEMU accepts them.
 */
#ifndef QEMU_CUTILS_H
#define QEMU_CUTILS_H

#include "qemu/osdep.h"

/*
 * Parses a size: decimal (or 0x hex) number with an optional suffix
 * B, K/k, M/m, G/g, T/t, P/p, E/e (powers of 1024); a fraction is allowed
 * with a suffix ("1.5G").  default_suffix applies when no suffix is given
 * (e.g. 'M' for -m, 'B' for generic sizes).  Returns 0 or -EINVAL/-ERANGE.
 */
int qemu_strtosz(const char *str, char default_suffix, uint64_t *result);

/* Whole-string unsigned / signed integer parsing, base 0 (dec, 0x, 0). */
int qemu_strtou64(const char *str, uint64_t *result);
int qemu_strtoi64(const char *str, int64_t *result);

/* Parses on/off/yes/no/true/false.  Returns false if none matches. */
bool qemu_parse_bool(const char *str, bool *result);

/* Formats a byte count the way QEMU prints sizes ("128 MiB"). */
char *size_to_str(uint64_t val);

#endif
