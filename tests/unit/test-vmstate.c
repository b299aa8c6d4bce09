/*
 * Declarative device state: round trips, versions, timers, errors.
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "migration/vmstate.h"

typedef struct Inner {
    uint16_t a;
    bool b;
} Inner;

typedef struct Dev {
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    int32_t i32;
    bool flag;
    uint32_t regs[3];
    uint8_t buf[5];
    QEMUTimer timer;
    QEMUTimer *tptr;
    Inner inner[2];
    uint32_t added_in_v2;
    int post_loads;
} Dev;

static const VMStateDescription vmstate_inner = {
    .name = "inner",
    .version_id = 1,
    .fields =
        (const VMStateField[]){
            VMSTATE_UINT16(a, Inner),
            VMSTATE_BOOL(b, Inner),
            VMSTATE_END_OF_LIST(),
        },
};

static int dev_post_load(void *opaque, int version_id)
{
    ((Dev *)opaque)->post_loads++;
    return 0;
}

static const VMStateDescription vmstate_dev = {
    .name = "dev",
    .version_id = 2,
    .minimum_version_id = 1,
    .post_load = dev_post_load,
    .fields =
        (const VMStateField[]){
            VMSTATE_UINT8(u8, Dev),
            VMSTATE_UINT16(u16, Dev),
            VMSTATE_UINT32(u32, Dev),
            VMSTATE_UINT64(u64, Dev),
            VMSTATE_INT32(i32, Dev),
            VMSTATE_BOOL(flag, Dev),
            VMSTATE_UINT32_ARRAY(regs, Dev, 3),
            VMSTATE_BUFFER(buf, Dev),
            VMSTATE_TIMER(timer, Dev),
            VMSTATE_TIMER_PTR(tptr, Dev),
            VMSTATE_STRUCT_ARRAY(inner, Dev, 2, vmstate_inner, Inner),
            { .name = "added_in_v2",
              .offset = offsetof(Dev, added_in_v2),
              .type = VMS_UINT32,
              .size = 4,
              .count = 1,
              .version_id = 2 },
            VMSTATE_END_OF_LIST(),
        },
};

static void noop_cb(void *opaque)
{
}

static void dev_init(Dev *d)
{
    memset(d, 0, sizeof(*d));
    timer_init_full(&d->timer, QEMU_CLOCK_VIRTUAL, SCALE_NS, noop_cb, d);
    d->tptr = timer_new_ns(QEMU_CLOCK_VIRTUAL, noop_cb, d);
}

static void dev_fill(Dev *d)
{
    d->u8 = 0xab;
    d->u16 = 0xbeef;
    d->u32 = 0xdeadbeef;
    d->u64 = 0x0123456789abcdefULL;
    d->i32 = -42;
    d->flag = true;
    d->regs[0] = 1;
    d->regs[1] = 2;
    d->regs[2] = 0xffffffff;
    memcpy(d->buf, "hello", 5);
    timer_mod_ns(&d->timer, 12345);
    d->inner[0].a = 7;
    d->inner[1].b = true;
    d->added_in_v2 = 99;
}

static void test_round_trip(void)
{
    Dev a, b;
    GByteArray *out = g_byte_array_new();
    size_t used;

    dev_init(&a);
    dev_init(&b);
    dev_fill(&a);
    vmstate_save_state(&vmstate_dev, &a, out);
    /* 1+2+4+8+4+1+12+5+8+8+2*(2+1)+4 bytes */
    g_assert_cmpuint(out->len, ==, 63);
    g_assert_true(vmstate_load_state(&vmstate_dev, &b, 2, out->data, out->len,
                                     &used, &error_abort));
    g_assert_cmpuint(used, ==, out->len);
    g_assert_cmpuint(b.u8, ==, 0xab);
    g_assert_cmpuint(b.u16, ==, 0xbeef);
    g_assert_cmpuint(b.u32, ==, 0xdeadbeef);
    g_assert_cmpuint(b.u64, ==, 0x0123456789abcdefULL);
    g_assert_cmpint(b.i32, ==, -42);
    g_assert_true(b.flag);
    g_assert_cmpuint(b.regs[2], ==, 0xffffffff);
    g_assert_cmpmem(b.buf, 5, "hello", 5);
    g_assert_cmpint(timer_expire_time_ns(&b.timer), ==, 12345);
    g_assert_false(timer_pending(b.tptr));
    g_assert_cmpuint(b.inner[0].a, ==, 7);
    g_assert_true(b.inner[1].b);
    g_assert_cmpuint(b.added_in_v2, ==, 99);
    g_assert_cmpint(b.post_loads, ==, 1);
    /* Little-endian: the u16 follows the u8. */
    g_assert_cmpuint(out->data[1], ==, 0xef);
    g_assert_cmpuint(out->data[2], ==, 0xbe);
    timer_del(&a.timer);
    timer_del(&b.timer);
    timer_free(a.tptr);
    timer_free(b.tptr);
    g_byte_array_free(out, TRUE);
}

static void test_versions(void)
{
    Dev a, b;
    GByteArray *out = g_byte_array_new();
    size_t used;
    Error *err = NULL;

    dev_init(&a);
    dev_init(&b);
    dev_fill(&a);
    vmstate_save_state(&vmstate_dev, &a, out);
    /* A version-1 save lacks the last field: drop its 4 bytes. */
    b.added_in_v2 = 5;
    g_assert_true(vmstate_load_state(&vmstate_dev, &b, 1, out->data,
                                     out->len - 4, &used, &error_abort));
    g_assert_cmpuint(used, ==, out->len - 4);
    g_assert_cmpuint(b.added_in_v2, ==, 5);
    /* Too new and too old are refused by name. */
    g_assert_false(vmstate_load_state(&vmstate_dev, &b, 3, out->data, out->len,
                                      &used, &err));
    g_assert_nonnull(strstr(err->message, "dev: cannot load state version 3"));
    error_free(err);
    err = NULL;
    g_assert_false(vmstate_load_state(&vmstate_dev, &b, 0, out->data, out->len,
                                      &used, &err));
    error_free(err);
    err = NULL;
    /* Truncated: the error names the field. */
    g_assert_false(
        vmstate_load_state(&vmstate_dev, &b, 2, out->data, 10, &used, &err));
    g_assert_nonnull(strstr(err->message, "'u64'"));
    error_free(err);
    timer_del(&a.timer);
    timer_del(&b.timer);
    timer_free(a.tptr);
    timer_free(b.tptr);
    g_byte_array_free(out, TRUE);
}

static void test_registry(void)
{
    Dev a, b;
    GByteArray *out = g_byte_array_new();
    GChecksum *h1 = g_checksum_new(G_CHECKSUM_SHA256);
    GChecksum *h2 = g_checksum_new(G_CHECKSUM_SHA256);
    Error *err = NULL;
    char *d1;

    dev_init(&a);
    dev_init(&b);
    dev_fill(&a);
    vmstate_register("dev", 0, &vmstate_dev, &a);
    vmstate_register("dev", 1, &vmstate_dev, &b);
    vmstate_save_all(out);
    vmstate_hash_all(h1);
    d1 = g_strdup(g_checksum_get_string(h1));

    /* Change state, then load it back: the digest returns. */
    a.u32 = 1;
    b.u8 = 2;
    vmstate_hash_all(h2);
    g_assert_cmpstr(d1, !=, g_checksum_get_string(h2));
    g_assert_true(vmstate_load_all(out->data, out->len, &error_abort));
    g_assert_cmpuint(a.u32, ==, 0xdeadbeef);
    g_assert_cmpuint(b.u8, ==, 0);
    g_checksum_reset(h2);
    vmstate_hash_all(h2);
    g_assert_cmpstr(d1, ==, g_checksum_get_string(h2));

    /* Truncated and unknown sections are errors, not crashes. */
    g_assert_false(vmstate_load_all(out->data, out->len - 1, &err));
    error_free(err);
    err = NULL;
    vmstate_unregister(&vmstate_dev, &b);
    g_assert_false(vmstate_load_all(out->data, out->len, &err));
    g_assert_nonnull(strstr(err->message, "'dev' instance 1"));
    error_free(err);
    vmstate_unregister(&vmstate_dev, &a);

    g_free(d1);
    g_checksum_free(h1);
    g_checksum_free(h2);
    timer_del(&a.timer);
    timer_del(&b.timer);
    timer_free(a.tptr);
    timer_free(b.tptr);
    g_byte_array_free(out, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vmstate/round-trip", test_round_trip);
    g_test_add_func("/vmstate/versions", test_versions);
    g_test_add_func("/vmstate/registry", test_registry);
    return g_test_run();
}
