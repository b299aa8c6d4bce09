/*
 * Debug logging: -d items and -D logfile.
 */
#ifndef QEMU_LOG_H
#define QEMU_LOG_H

#include "qemu/osdep.h"
#include "qemu/error.h"

#define CPU_LOG_TB_IN_ASM (1 << 0) /* in_asm: guest code translated */
#define CPU_LOG_INT       (1 << 1) /* int: interrupts and exceptions */
#define CPU_LOG_TB_CPU    (1 << 2) /* cpu: CPU state before each block */
#define LOG_UNIMP         (1 << 3) /* unimp: unimplemented functionality */
#define LOG_GUEST_ERROR   (1 << 4) /* guest_errors: guest misuses hardware */

extern int qemu_loglevel;

static inline bool qemu_loglevel_mask(int mask)
{
    return (qemu_loglevel & mask) != 0;
}

/* Writes to the log file (stderr unless -D was given). */
void qemu_log(const char *fmt, ...) QEMU_PRINTF(1, 2);
void qemu_log_flush(void);
/* The log's stream (stderr unless -D was given), for dump functions. */
FILE *qemu_log_file(void);

#define qemu_log_mask(mask, ...)                  \
    do {                                          \
        if (unlikely(qemu_loglevel_mask(mask))) { \
            qemu_log(__VA_ARGS__);                \
        }                                         \
    } while (0)

/*
 * Parses "item,item,..." into a mask.  Returns false and sets errp for an
 * unknown item.  "help" is handled by the caller via qemu_log_print_items().
 */
bool qemu_str_to_log_mask(const char *str, int *mask, Error **errp);
void qemu_log_print_items(FILE *f);
void qemu_set_log(int mask);
/* NULL or "" means stderr.  Opens (truncating) the file at once. */
bool qemu_set_log_filename(const char *filename, Error **errp);
void qemu_log_close(void);

#endif
