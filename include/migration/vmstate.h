/*
 * Device state described once, as a table of fields.
 *
 * Every device (and the CPU) describes its guest-visible state with a
 * VMStateDescription.  The same table serves savevm/loadvm (snapshots,
 * reverse debugging) and the state digest record/replay uses to detect
 * divergence, so state that is not in the table is state that replay
 * cannot check and snapshots cannot restore.
 *
 *     static const VMStateDescription vmstate_foo = {
 *         .name = "foo",
 *         .version_id = 1,
 *         .fields = (const VMStateField[]) {
 *             VMSTATE_UINT8(ctrl, FooState),
 *             VMSTATE_UINT32_ARRAY(regs, FooState, 8),
 *             VMSTATE_TIMER(timer, FooState),
 *             VMSTATE_END_OF_LIST()
 *         },
 *     };
 *     vmstate_register("foo", 0, &vmstate_foo, s);
 *
 * Encoding: fields in table order, integers little-endian at their size,
 * booleans one byte, timers as their int64 expiry (-1: not pending).
 * A field added in a later version of a description sets .version_id
 * (designated initialiser after the macro's fields) so older saves, which
 * lack it, still load.
 */
#ifndef MIGRATION_VMSTATE_H
#define MIGRATION_VMSTATE_H

#include "qemu/osdep.h"
#include "qemu/error.h"

typedef enum VMStateType {
    VMS_END = 0,
    VMS_UINT8,
    VMS_UINT16,
    VMS_UINT32,
    VMS_UINT64,
    VMS_BOOL,
    VMS_BUFFER,    /* raw bytes, .size of them */
    VMS_TIMER,     /* an embedded QEMUTimer: its expiry */
    VMS_TIMER_PTR, /* a QEMUTimer *: its expiry */
    VMS_STRUCT,    /* an embedded struct with its own description */
} VMStateType;

typedef struct VMStateDescription VMStateDescription;

typedef struct VMStateField {
    const char *name;
    size_t offset;
    VMStateType type;
    size_t size; /* of one element (VMS_BUFFER: of the whole buffer) */
    int count;   /* elements (arrays), 1 for scalars */
    const VMStateDescription *vmsd; /* VMS_STRUCT */
    int version_id;                 /* the first version that has this field */
} VMStateField;

struct VMStateDescription {
    const char *name;
    int version_id;
    int minimum_version_id;
    /* Called before saving (to sync derived state into the fields). */
    int (*pre_save)(void *opaque);
    /*
     * Called after loading (to recompute derived state, re-evaluate IRQ
     * lines of this device).  Must not touch other devices.
     */
    int (*post_load)(void *opaque, int version_id);
    const VMStateField *fields;
};

/* Compile-time check that field f of struct s has type t. */
#define VMSTATE_CHECK_TYPE(s, f, t) (0 * sizeof(&((s *)0)->f == (t *)0))

#define VMSTATE_SCALAR(f, s, t, vt)                                         \
    {                                                                       \
        .name = #f, .offset = offsetof(s, f) + VMSTATE_CHECK_TYPE(s, f, t), \
        .type = vt, .size = sizeof(t), .count = 1                           \
    }
#define VMSTATE_ARRAY(f, s, n, t, vt)                                          \
    {                                                                          \
        .name = #f, .offset = offsetof(s, f) + VMSTATE_CHECK_TYPE(s, f[0], t), \
        .type = vt, .size = sizeof(t), .count = (n)                            \
    }

#define VMSTATE_UINT8(f, s)          VMSTATE_SCALAR(f, s, uint8_t, VMS_UINT8)
#define VMSTATE_UINT16(f, s)         VMSTATE_SCALAR(f, s, uint16_t, VMS_UINT16)
#define VMSTATE_UINT32(f, s)         VMSTATE_SCALAR(f, s, uint32_t, VMS_UINT32)
#define VMSTATE_UINT64(f, s)         VMSTATE_SCALAR(f, s, uint64_t, VMS_UINT64)
#define VMSTATE_INT8(f, s)           VMSTATE_SCALAR(f, s, int8_t, VMS_UINT8)
#define VMSTATE_INT16(f, s)          VMSTATE_SCALAR(f, s, int16_t, VMS_UINT16)
#define VMSTATE_INT32(f, s)          VMSTATE_SCALAR(f, s, int32_t, VMS_UINT32)
#define VMSTATE_INT64(f, s)          VMSTATE_SCALAR(f, s, int64_t, VMS_UINT64)
#define VMSTATE_BOOL(f, s)           VMSTATE_SCALAR(f, s, bool, VMS_BOOL)
#define VMSTATE_UINT8_ARRAY(f, s, n) VMSTATE_ARRAY(f, s, n, uint8_t, VMS_UINT8)
#define VMSTATE_UINT16_ARRAY(f, s, n) \
    VMSTATE_ARRAY(f, s, n, uint16_t, VMS_UINT16)
#define VMSTATE_UINT32_ARRAY(f, s, n) \
    VMSTATE_ARRAY(f, s, n, uint32_t, VMS_UINT32)
#define VMSTATE_UINT64_ARRAY(f, s, n) \
    VMSTATE_ARRAY(f, s, n, uint64_t, VMS_UINT64)
#define VMSTATE_INT32_ARRAY(f, s, n) VMSTATE_ARRAY(f, s, n, int32_t, VMS_UINT32)
#define VMSTATE_INT64_ARRAY(f, s, n) VMSTATE_ARRAY(f, s, n, int64_t, VMS_UINT64)
#define VMSTATE_BOOL_ARRAY(f, s, n)  VMSTATE_ARRAY(f, s, n, bool, VMS_BOOL)
#define VMSTATE_BUFFER(f, s)                                      \
    {                                                             \
        .name = #f, .offset = offsetof(s, f), .type = VMS_BUFFER, \
        .size = sizeof(((s *)0)->f), .count = 1                   \
    }
#define VMSTATE_TIMER(f, s)                                                 \
    {                                                                       \
        .name = #f, .offset = offsetof(s, f), .type = VMS_TIMER, .count = 1 \
    }
#define VMSTATE_TIMER_PTR(f, s)                                      \
    {                                                                \
        .name = #f, .offset = offsetof(s, f), .type = VMS_TIMER_PTR, \
        .count = 1                                                   \
    }
#define VMSTATE_STRUCT(f, s, desc, t)                                       \
    {                                                                       \
        .name = #f, .offset = offsetof(s, f) + VMSTATE_CHECK_TYPE(s, f, t), \
        .type = VMS_STRUCT, .size = sizeof(t), .count = 1, .vmsd = &(desc)  \
    }
#define VMSTATE_STRUCT_ARRAY(f, s, n, desc, t)                                 \
    {                                                                          \
        .name = #f, .offset = offsetof(s, f) + VMSTATE_CHECK_TYPE(s, f[0], t), \
        .type = VMS_STRUCT, .size = sizeof(t), .count = (n), .vmsd = &(desc)   \
    }
#define VMSTATE_END_OF_LIST() \
    {                         \
        .type = VMS_END       \
    }

/* Appends the encoded state of opaque to out. */
void vmstate_save_state(const VMStateDescription *vmsd, void *opaque,
                        GByteArray *out);
/*
 * Decodes state saved at version_id from buf (at most len bytes); sets
 * *used to the bytes consumed.  Fails (errp names the device and field)
 * on short data or an unsupported version.
 */
bool vmstate_load_state(const VMStateDescription *vmsd, void *opaque,
                        int version_id, const uint8_t *buf, size_t len,
                        size_t *used, Error **errp);

/*
 * The registry of every device's state, in registration order (which is
 * machine-construction order, hence deterministic).  instance tells
 * apart several devices of one kind (serial ports 0..3).
 */
void vmstate_register(const char *idstr, int instance,
                      const VMStateDescription *vmsd, void *opaque);
void vmstate_unregister(const VMStateDescription *vmsd, void *opaque);
/* Each section: idstr, instance, version, length, then the fields. */
void vmstate_save_all(GByteArray *out);
bool vmstate_load_all(const uint8_t *buf, size_t len, Error **errp);
/* Feeds every registered device's encoded state to a checksum. */
void vmstate_hash_all(GChecksum *sum);

#endif
