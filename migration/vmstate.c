/*
 * Declarative device state: encoding, decoding and the registry (see
 * migration/vmstate.h).
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "migration/vmstate.h"

typedef struct SaveEntry {
    char *idstr;
    int instance;
    const VMStateDescription *vmsd;
    void *opaque;
} SaveEntry;

static GPtrArray *save_entries;

static void put_le(GByteArray *out, uint64_t v, size_t size)
{
    uint8_t b[8];

    for (size_t i = 0; i < size; i++) {
        b[i] = v >> (8 * i);
    }
    g_byte_array_append(out, b, size);
}

static uint64_t get_le(const uint8_t *p, size_t size)
{
    uint64_t v = 0;

    for (size_t i = 0; i < size; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static uint64_t read_uint(const void *p, size_t size)
{
    switch (size) {
    case 1:
        return *(const uint8_t *)p;
    case 2:
        return *(const uint16_t *)p;
    case 4:
        return *(const uint32_t *)p;
    case 8:
        return *(const uint64_t *)p;
    }
    g_assert_not_reached();
}

static void write_uint(void *p, uint64_t v, size_t size)
{
    switch (size) {
    case 1:
        *(uint8_t *)p = v;
        return;
    case 2:
        *(uint16_t *)p = v;
        return;
    case 4:
        *(uint32_t *)p = v;
        return;
    case 8:
        *(uint64_t *)p = v;
        return;
    }
    g_assert_not_reached();
}

void vmstate_save_state(const VMStateDescription *vmsd, void *opaque,
                        GByteArray *out)
{
    if (vmsd->pre_save) {
        vmsd->pre_save(opaque);
    }
    for (const VMStateField *f = vmsd->fields; f->type != VMS_END; f++) {
        for (int i = 0; i < f->count; i++) {
            uint8_t *p = (uint8_t *)opaque + f->offset + i * f->size;

            switch (f->type) {
            case VMS_UINT8:
            case VMS_UINT16:
            case VMS_UINT32:
            case VMS_UINT64:
                put_le(out, read_uint(p, f->size), f->size);
                break;
            case VMS_BOOL:
                put_le(out, *(bool *)p, 1);
                break;
            case VMS_BUFFER:
                g_byte_array_append(out, p, f->size);
                break;
            case VMS_TIMER:
                put_le(out, timer_expire_time_ns((QEMUTimer *)p), 8);
                break;
            case VMS_TIMER_PTR:
                put_le(out, timer_expire_time_ns(*(QEMUTimer **)p), 8);
                break;
            case VMS_STRUCT:
                vmstate_save_state(f->vmsd, p, out);
                break;
            case VMS_END:
                g_assert_not_reached();
            }
        }
    }
}

static void load_timer(QEMUTimer *t, int64_t expire)
{
    if (expire < 0) {
        timer_del(t);
    } else {
        timer_mod_ns(t, expire);
    }
}

bool vmstate_load_state(const VMStateDescription *vmsd, void *opaque,
                        int version_id, const uint8_t *buf, size_t len,
                        size_t *used, Error **errp)
{
    size_t pos = 0;

    if (version_id > vmsd->version_id ||
        version_id < vmsd->minimum_version_id) {
        error_setg(errp,
                   "%s: cannot load state version %d (this build "
                   "supports %d to %d)",
                   vmsd->name, version_id, vmsd->minimum_version_id,
                   vmsd->version_id);
        return false;
    }
    for (const VMStateField *f = vmsd->fields; f->type != VMS_END; f++) {
        if (f->version_id > version_id) {
            continue; /* not in the saved version: keep the reset value */
        }
        for (int i = 0; i < f->count; i++) {
            uint8_t *p = (uint8_t *)opaque + f->offset + i * f->size;
            size_t need;

            switch (f->type) {
            case VMS_TIMER:
            case VMS_TIMER_PTR:
                need = 8;
                break;
            case VMS_BOOL:
                need = 1;
                break;
            case VMS_STRUCT:
                need = 0;
                break;
            default:
                need = f->size;
            }
            if (len - pos < need) {
                error_setg(errp, "%s: state ends in field '%s'", vmsd->name,
                           f->name);
                return false;
            }
            switch (f->type) {
            case VMS_UINT8:
            case VMS_UINT16:
            case VMS_UINT32:
            case VMS_UINT64:
                write_uint(p, get_le(buf + pos, f->size), f->size);
                break;
            case VMS_BOOL:
                *(bool *)p = buf[pos] != 0;
                break;
            case VMS_BUFFER:
                memcpy(p, buf + pos, f->size);
                break;
            case VMS_TIMER:
                load_timer((QEMUTimer *)p, (int64_t)get_le(buf + pos, 8));
                break;
            case VMS_TIMER_PTR:
                load_timer(*(QEMUTimer **)p, (int64_t)get_le(buf + pos, 8));
                break;
            case VMS_STRUCT: {
                size_t sub;
                if (!vmstate_load_state(f->vmsd, p, f->vmsd->version_id,
                                        buf + pos, len - pos, &sub, errp)) {
                    error_prepend(errp, "%s: ", vmsd->name);
                    return false;
                }
                need = sub;
                break;
            }
            case VMS_END:
                g_assert_not_reached();
            }
            pos += need;
        }
    }
    if (vmsd->post_load && vmsd->post_load(opaque, version_id) < 0) {
        error_setg(errp, "%s: the loaded state is inconsistent", vmsd->name);
        return false;
    }
    *used = pos;
    return true;
}

void vmstate_register(const char *idstr, int instance,
                      const VMStateDescription *vmsd, void *opaque)
{
    SaveEntry *e = g_new0(SaveEntry, 1);

    if (!save_entries) {
        save_entries = g_ptr_array_new();
    }
    e->idstr = g_strdup(idstr);
    e->instance = instance;
    e->vmsd = vmsd;
    e->opaque = opaque;
    g_ptr_array_add(save_entries, e);
}

void vmstate_unregister(const VMStateDescription *vmsd, void *opaque)
{
    for (guint i = 0; save_entries && i < save_entries->len; i++) {
        SaveEntry *e = g_ptr_array_index(save_entries, i);
        if (e->vmsd == vmsd && e->opaque == opaque) {
            g_ptr_array_remove_index(save_entries, i);
            g_free(e->idstr);
            g_free(e);
            return;
        }
    }
}

static void save_section(SaveEntry *e, GByteArray *out)
{
    size_t idlen = strlen(e->idstr);
    guint len_at;
    size_t body;

    put_le(out, idlen, 1);
    g_byte_array_append(out, (const guint8 *)e->idstr, idlen);
    put_le(out, e->instance, 4);
    put_le(out, e->vmsd->version_id, 4);
    len_at = out->len;
    put_le(out, 0, 4);
    vmstate_save_state(e->vmsd, e->opaque, out);
    body = out->len - len_at - 4;
    for (int i = 0; i < 4; i++) {
        out->data[len_at + i] = body >> (8 * i);
    }
}

void vmstate_save_all(GByteArray *out)
{
    for (guint i = 0; save_entries && i < save_entries->len; i++) {
        save_section(g_ptr_array_index(save_entries, i), out);
    }
}

static SaveEntry *find_entry(const char *idstr, int instance)
{
    for (guint i = 0; save_entries && i < save_entries->len; i++) {
        SaveEntry *e = g_ptr_array_index(save_entries, i);
        if (e->instance == instance && !strcmp(e->idstr, idstr)) {
            return e;
        }
    }
    return NULL;
}

bool vmstate_load_all(const uint8_t *buf, size_t len, Error **errp)
{
    size_t pos = 0;

    while (pos < len) {
        size_t idlen = buf[pos];
        char *idstr;
        int instance, version;
        size_t body, used;
        SaveEntry *e;

        if (len - pos < 1 + idlen + 12) {
            error_setg(errp, "device state is truncated");
            return false;
        }
        idstr = g_strndup((const char *)buf + pos + 1, idlen);
        pos += 1 + idlen;
        instance = get_le(buf + pos, 4);
        version = get_le(buf + pos + 4, 4);
        body = get_le(buf + pos + 8, 4);
        pos += 12;
        e = find_entry(idstr, instance);
        if (!e) {
            error_setg(errp,
                       "device state for '%s' instance %d, which this "
                       "machine does not have",
                       idstr, instance);
            g_free(idstr);
            return false;
        }
        g_free(idstr);
        if (len - pos < body ||
            !vmstate_load_state(e->vmsd, e->opaque, version, buf + pos, body,
                                &used, errp)) {
            if (len - pos < body) {
                error_setg(errp, "device state is truncated");
            }
            return false;
        }
        if (used != body) {
            error_setg(errp, "%s: %zu bytes of state left over", e->vmsd->name,
                       body - used);
            return false;
        }
        pos += body;
    }
    return true;
}

void vmstate_hash_all(GChecksum *sum)
{
    GByteArray *out = g_byte_array_new();

    vmstate_save_all(out);
    g_checksum_update(sum, out->data, out->len);
    g_byte_array_free(out, TRUE);
}
