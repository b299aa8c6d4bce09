/*
 * QEMU-style option strings: "val", "key=val,key2=val2", ",," escaping,
 * an implied first key, on/off booleans and the deprecated short boolean
 * form ("snapshot" for "snapshot=on").
 *
 * A QemuOpts is the parsed form of one such string: an ordered list of
 * (key, value) pairs, plus the "id" if one was given.  Values stay strings
 * until read with a typed getter; a QemuOptDesc table, when a group has one,
 * names the keys it accepts and their types, and qemu_opts_validate() checks
 * both.  Groups whose keys depend on a driver (-device, -drive, ...) have no
 * table here; the subsystem that builds them validates the keys.
 */
#ifndef QEMU_OPTION_H
#define QEMU_OPTION_H

#include "qemu/osdep.h"
#include "qemu/error.h"

typedef enum QemuOptType {
    QEMU_OPT_STRING,
    QEMU_OPT_BOOL,   /* on/off, yes/no, true/false */
    QEMU_OPT_NUMBER, /* unsigned 64-bit, decimal or 0x hex */
    QEMU_OPT_SIZE,   /* a number with an optional K/M/G/T/P/E suffix */
} QemuOptType;

typedef struct QemuOptDesc {
    const char *name;
    QemuOptType type;
    const char *help;
} QemuOptDesc;

typedef struct QemuOpt {
    char *name;
    char *str;
} QemuOpt;

typedef struct QemuOpts {
    char *group;             /* "drive", "device", ... (no dash) */
    char *id;                /* value of id=, or NULL */
    const char *implied_key; /* key the first bare value was given for */
    GPtrArray *opts;         /* of QemuOpt *, in command-line order */
} QemuOpts;

/*
 * Parses params for the option group "group" (used in messages).
 * implied_key, if non-NULL, names the key a bare first element stands for
 * ("-icount auto" is "-icount shift=auto").  A bare element elsewhere is the
 * deprecated short boolean form: "flag" means flag=on and "noflag" means
 * flag=off when desc says "flag" is boolean (or desc is NULL); a one-line
 * warning is printed for it.  An invalid id, an empty key, or a bare element
 * that is not a boolean is an error.
 */
QemuOpts *qemu_opts_parse(const char *group, const char *params,
                          const char *implied_key, const QemuOptDesc *desc,
                          Error **errp);
void qemu_opts_free(QemuOpts *opts);

/* Checks every key against desc and every value against its type. */
bool qemu_opts_validate(const QemuOpts *opts, const QemuOptDesc *desc,
                        Error **errp);

/* The last value given for name (QEMU semantics), or NULL. */
const char *qemu_opt_get(const QemuOpts *opts, const char *name);
bool qemu_opt_has(const QemuOpts *opts, const char *name);
/* Typed getters: def when the key is absent; errors for a bad value. */
bool qemu_opt_get_bool(const QemuOpts *opts, const char *name, bool def,
                       bool *result, Error **errp);
bool qemu_opt_get_number(const QemuOpts *opts, const char *name, uint64_t def,
                         uint64_t *result, Error **errp);
bool qemu_opt_get_size(const QemuOpts *opts, const char *name, uint64_t def,
                       uint64_t *result, Error **errp);
/* Replaces (or adds) a value. */
void qemu_opt_set(QemuOpts *opts, const char *name, const char *value);
void qemu_opt_unset(QemuOpts *opts, const char *name);

/*
 * Canonical text: the implied value first without its key, then the other
 * keys in command-line order with booleans normalised to on/off and commas
 * in values escaped as ",,".  Parsing the result gives the same opts.
 */
char *qemu_opts_to_string(const QemuOpts *opts, const QemuOptDesc *desc);

/* Checks an id the way QEMU does: a letter, then letters, digits, -._ */
bool id_wellformed(const char *id);

#endif
