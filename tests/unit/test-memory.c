/*
 * Unit tests for guest physical memory and I/O-port maps.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/memory.h"
#include "exec/ioport.h"

/* ---- A test device that records every callback ---- */

typedef struct Call {
    bool write;
    hwaddr addr;
    unsigned size;
    uint64_t val;
} Call;

typedef struct TestDev {
    Call calls[64];
    unsigned ncalls;
} TestDev;

/* Device byte at offset o reads as o + 0x10, so pieces are checkable. */
static uint64_t pattern(hwaddr off, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)((off + i + 0x10) & 0xff) << (8 * i);
    }
    return v;
}

static void dev_record(TestDev *d, bool write, hwaddr addr, unsigned size,
                       uint64_t val)
{
    g_assert_cmpuint(d->ncalls, <, G_N_ELEMENTS(d->calls));
    d->calls[d->ncalls++] = (Call){ write, addr, size, val };
}

static uint64_t dev_read(void *opaque, hwaddr addr, unsigned size)
{
    dev_record(opaque, false, addr, size, 0);
    /* Junk above the access size, which must not reach the caller. */
    return pattern(addr, size) | (size < 8 ? UINT64_MAX << (size * 8) : 0);
}

static void dev_write(void *opaque, hwaddr addr, uint64_t data, unsigned size)
{
    dev_record(opaque, true, addr, size, data);
}

static void check_call(TestDev *d, unsigned i, bool write, hwaddr addr,
                       unsigned size, uint64_t val)
{
    g_assert_cmpuint(i, <, d->ncalls);
    g_assert_cmpint(d->calls[i].write, ==, write);
    g_assert_cmphex(d->calls[i].addr, ==, addr);
    g_assert_cmpuint(d->calls[i].size, ==, size);
    if (write) {
        g_assert_cmphex(d->calls[i].val, ==, val);
    }
}

static const MemoryRegionOps ops_default = {
    .read = dev_read,
    .write = dev_write,
};

static const MemoryRegionOps ops_all = {
    .read = dev_read,
    .write = dev_write,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

static const MemoryRegionOps ops_impl_byte = {
    .read = dev_read,
    .write = dev_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static const MemoryRegionOps ops_impl_dword = {
    .read = dev_read,
    .write = dev_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static const MemoryRegionOps ops_unaligned = {
    .read = dev_read,
    .write = dev_write,
    .valid = { .min_access_size = 1, .max_access_size = 4, .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static void spaces_reset(void)
{
    address_space_init(&address_space_memory, "memory", 0);
    address_space_init(&address_space_io, "I/O", 0x10000);
}

/* Before the test's regions go out of scope. */
static void spaces_cleanup(void)
{
    address_space_destroy(&address_space_memory);
    address_space_destroy(&address_space_io);
}

static AddressSpace *mem(void)
{
    return &address_space_memory;
}

static void map_ok(AddressSpace *as, hwaddr base, MemoryRegion *mr, int prio)
{
    Error *err = NULL;

    address_space_map_region(as, base, mr, prio, &err);
    g_assert_no_error(err);
}

static void ram_ok(MemoryRegion *mr, const char *name, uint64_t size)
{
    Error *err = NULL;

    g_assert_true(memory_region_init_ram(mr, name, size, &err));
    g_assert_no_error(err);
}

static char *print_space(AddressSpace *as)
{
    GString *s = g_string_new("");

    address_space_print(as, s);
    return g_string_free(s, false);
}

/* ---- Tests ---- */

/* Runs first: the globals work without address_space_init(). */
static void test_globals_without_init(void)
{
    MemoryRegion ram;
    TestDev dev = { 0 };
    MemoryRegion port;

    ram_ok(&ram, "pc.ram", 0x1000);
    map_ok(&address_space_memory, 0, &ram, 0);
    stl_le_phys(mem(), 0x10, 0xcafef00d);
    g_assert_cmphex(ldl_le_phys(mem(), 0x10), ==, 0xcafef00d);
    g_assert_cmphex(ldl_le_phys(mem(), 0x2000), ==, 0xffffffff);

    g_assert_true(
        portio_register(&port, 0x80, 1, &ops_default, &dev, "post", NULL));
    cpu_outb(0x80, 0x42);
    check_call(&dev, 0, true, 0, 1, 0x42);
    g_assert_cmphex(cpu_inb(0x81), ==, 0xff);

    memory_region_destroy(&port);
    memory_region_destroy(&ram);
    g_assert_null(address_space_lookup(mem(), 0x10, NULL));
    spaces_cleanup();
}

static void test_ram_rw(void)
{
    MemoryRegion ram;
    uint8_t *host;
    uint8_t buf[300], back[300];

    spaces_reset();
    ram_ok(&ram, "pc.ram", 0x10000);
    host = memory_region_get_ram_ptr(&ram);
    g_assert_nonnull(host);
    map_ok(mem(), 0x100000, &ram, 0);

    /* Fresh RAM is zero. */
    g_assert_cmphex(ldq_le_phys(mem(), 0x100000), ==, 0);

    stb_phys(mem(), 0x100001, 0xab);
    g_assert_cmphex(host[1], ==, 0xab);
    g_assert_cmphex(ldub_phys(mem(), 0x100001), ==, 0xab);

    stw_le_phys(mem(), 0x100010, 0x1234);
    g_assert_cmphex(host[0x10], ==, 0x34);
    g_assert_cmphex(host[0x11], ==, 0x12);
    g_assert_cmphex(lduw_le_phys(mem(), 0x100010), ==, 0x1234);

    stl_le_phys(mem(), 0x100021, 0x89abcdef); /* misaligned is fine */
    g_assert_cmphex(host[0x21], ==, 0xef);
    g_assert_cmphex(host[0x24], ==, 0x89);
    g_assert_cmphex(ldl_le_phys(mem(), 0x100021), ==, 0x89abcdef);

    stq_le_phys(mem(), 0x100030, UINT64_C(0x0123456789abcdef));
    g_assert_cmphex(host[0x30], ==, 0xef);
    g_assert_cmphex(host[0x37], ==, 0x01);
    g_assert_cmphex(ldq_le_phys(mem(), 0x100030), ==,
                    UINT64_C(0x0123456789abcdef));
    g_assert_cmphex(address_space_read_sized(mem(), 0x100034, 2), ==, 0x4567);

    /* The last bytes of the region. */
    stq_le_phys(mem(), 0x10fff8, UINT64_C(0x1122334455667788));
    g_assert_cmphex(ldq_le_phys(mem(), 0x10fff8), ==,
                    UINT64_C(0x1122334455667788));

    for (size_t i = 0; i < sizeof(buf); i++) {
        buf[i] = i * 7 + 3;
    }
    address_space_write(mem(), 0x100103, buf, sizeof(buf));
    g_assert_cmpmem(host + 0x103, sizeof(buf), buf, sizeof(buf));
    memset(back, 0, sizeof(back));
    address_space_read(mem(), 0x100103, back, sizeof(back));
    g_assert_cmpmem(back, sizeof(back), buf, sizeof(buf));
    g_assert_cmphex(ldub_phys(mem(), 0x100103 + 5), ==, buf[5]);

    memory_region_destroy(&ram);
    spaces_cleanup();
}

static void test_ram_alias(void)
{
    MemoryRegion ram, low, high, high2;
    uint8_t *host;
    hwaddr off = 0;
    char *text;

    spaces_reset();
    ram_ok(&ram, "pc.ram", 0x100000);
    host = memory_region_get_ram_ptr(&ram);
    memory_region_init_alias(&low, "ram-below-4g", &ram, 0, 0xa0000);
    memory_region_init_alias(&high, "ram-above-4g", &ram, 0x80000, 0x80000);
    /* An alias of an alias. */
    memory_region_init_alias(&high2, "ram-above-8g", &high, 0x1000, 0x2000);
    map_ok(mem(), 0, &low, 0);
    map_ok(mem(), 0x100000000, &high, 0);
    map_ok(mem(), 0x200000000, &high2, 0);

    g_assert_true(memory_region_get_ram_ptr(&high) == host + 0x80000);
    g_assert_true(memory_region_get_ram_ptr(&high2) == host + 0x81000);

    /* 0x90000 is in both windows: same host memory. */
    stl_le_phys(mem(), 0x90004, 0xdeadbeef);
    g_assert_cmphex(ldl_le_phys(mem(), 0x100010004), ==, 0xdeadbeef);
    stl_le_phys(mem(), 0x100010008, 0x11223344);
    g_assert_cmphex(ldl_le_phys(mem(), 0x90008), ==, 0x11223344);
    g_assert_cmphex(host[0x90008], ==, 0x44);

    stw_le_phys(mem(), 0x200000002, 0xbeef);
    g_assert_cmphex(lduw_le_phys(mem(), 0x100001002), ==, 0xbeef);
    g_assert_true(address_space_lookup(mem(), 0x200000002, &off) == &ram);
    g_assert_cmphex(off, ==, 0x81002);
    g_assert_true(address_space_lookup(mem(), 0x9ffff, &off) == &ram);
    g_assert_cmphex(off, ==, 0x9ffff);
    /* The low alias stops at 0xa0000. */
    g_assert_null(address_space_lookup(mem(), 0xa0000, NULL));
    g_assert_cmphex(ldub_phys(mem(), 0xa0000), ==, 0xff);
    g_assert_null(address_space_lookup(mem(), 0x200002000, NULL));

    text = print_space(mem());
    g_assert_cmpstr(text, ==,
                    "address-space: memory\n"
                    "  0000000000000000-000000000009ffff (prio 0, ram): "
                    "ram-below-4g (alias of pc.ram @0x0)\n"
                    "  0000000100000000-000000010007ffff (prio 0, ram): "
                    "ram-above-4g (alias of pc.ram @0x80000)\n"
                    "  0000000200000000-0000000200001fff (prio 0, ram): "
                    "ram-above-8g (alias of pc.ram @0x81000)\n");
    g_free(text);

    memory_region_destroy(&high2);
    memory_region_destroy(&high);
    memory_region_destroy(&low);
    memory_region_destroy(&ram);
    spaces_cleanup();
}

static void test_rom(void)
{
    MemoryRegion rom, ram, ro_alias;
    static const uint8_t image[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    uint8_t junk[8] = { 0 };
    uint8_t back[8];
    hwaddr len = 0;
    bool ro = false;
    Error *err = NULL;
    char *text;

    spaces_reset();
    g_assert_true(memory_region_init_rom(&rom, "pc.bios", 0x1000, &err));
    g_assert_no_error(err);
    map_ok(mem(), 0xfffff000, &rom, 0);
    text = print_space(mem());
    g_assert_cmpstr(text, ==,
                    "address-space: memory\n"
                    "  00000000fffff000-00000000ffffffff (prio 0, rom): "
                    "pc.bios\n");
    g_free(text);

    address_space_write_rom(mem(), 0xfffffff0, image, sizeof(image));
    address_space_read(mem(), 0xfffffff0, back, sizeof(back));
    g_assert_cmpmem(back, sizeof(back), image, sizeof(image));

    /* Guest writes of any kind leave it unchanged. */
    stl_le_phys(mem(), 0xfffffff0, 0xffffffff);
    stb_phys(mem(), 0xfffffff7, 0);
    stq_le_phys(mem(), 0xfffffff0, 0);
    address_space_write(mem(), 0xfffffff0, junk, sizeof(junk));
    g_assert_cmphex(ldq_le_phys(mem(), 0xfffffff0), ==,
                    UINT64_C(0x0807060504030201));

    g_assert_nonnull(address_space_get_ram_ptr(mem(), 0xfffffff0, &len, &ro));
    g_assert_true(ro);
    g_assert_cmphex(len, ==, 0x10);

    /* Writable once the flag is cleared (shadow RAM). */
    memory_region_set_readonly(&rom, false);
    stb_phys(mem(), 0xfffffff0, 0x99);
    g_assert_cmphex(ldub_phys(mem(), 0xfffffff0), ==, 0x99);
    g_assert_nonnull(address_space_get_ram_ptr(mem(), 0xfffffff0, &len, &ro));
    g_assert_false(ro);

    /* A read-only window onto RAM. */
    ram_ok(&ram, "ram", 0x1000);
    memory_region_init_alias(&ro_alias, "ram-ro", &ram, 0, 0x1000);
    memory_region_set_readonly(&ro_alias, true);
    map_ok(mem(), 0x0, &ram, 0);
    map_ok(mem(), 0x10000, &ro_alias, 0);
    stb_phys(mem(), 0x10004, 0x55);
    g_assert_cmphex(ldub_phys(mem(), 0x4), ==, 0);
    stb_phys(mem(), 0x4, 0x66);
    g_assert_cmphex(ldub_phys(mem(), 0x10004), ==, 0x66);
    /* Marking the target read-only shows through its mapped alias too. */
    memory_region_set_readonly(&ro_alias, false);
    memory_region_set_readonly(&ram, true);
    stb_phys(mem(), 0x10004, 0x77);
    stb_phys(mem(), 0x4, 0x77);
    g_assert_cmphex(ldub_phys(mem(), 0x4), ==, 0x66);

    memory_region_destroy(&ro_alias);
    memory_region_destroy(&ram);
    memory_region_destroy(&rom);
    spaces_cleanup();
}

static void test_io_callbacks(void)
{
    MemoryRegion io, alias;
    TestDev dev = { 0 };
    uint64_t v;

    spaces_reset();
    memory_region_init_io(&io, "dev", &ops_all, &dev, 0x20);
    map_ok(mem(), 0xfe000000, &io, 0);

    v = address_space_read_sized(mem(), 0xfe000003, 1);
    check_call(&dev, 0, false, 3, 1, 0);
    g_assert_cmphex(v, ==, pattern(3, 1));
    v = address_space_read_sized(mem(), 0xfe000008, 8);
    check_call(&dev, 1, false, 8, 8, 0);
    g_assert_cmphex(v, ==, pattern(8, 8));

    address_space_write_sized(mem(), 0xfe000002, 0xabcd, 2);
    check_call(&dev, 2, true, 2, 2, 0xabcd);
    address_space_write_sized(mem(), 0xfe000004, 0x12345678, 4);
    check_call(&dev, 3, true, 4, 4, 0x12345678);
    address_space_write_sized(mem(), 0xfe000018, UINT64_C(0x1122334455667788),
                              8);
    check_call(&dev, 4, true, 0x18, 8, UINT64_C(0x1122334455667788));
    g_assert_cmpuint(dev.ncalls, ==, 5);

    /* Through an alias, the callback sees the offset in its own region. */
    memory_region_init_alias(&alias, "dev-alias", &io, 0x10, 0x10);
    map_ok(mem(), 0x1000, &alias, 0);
    address_space_write_sized(mem(), 0x1004, 0x77, 1);
    check_call(&dev, 5, true, 0x14, 1, 0x77);
    g_assert_true(memory_region_get_ram_ptr(&alias) == NULL);

    /* Buffer access uses the largest valid aligned pieces. */
    dev.ncalls = 0;
    {
        uint8_t buf[0x10];

        address_space_read(mem(), 0xfe000001, buf, 0xf);
        g_assert_cmpuint(dev.ncalls, ==, 4);
        check_call(&dev, 0, false, 1, 1, 0);
        check_call(&dev, 1, false, 2, 2, 0);
        check_call(&dev, 2, false, 4, 4, 0);
        check_call(&dev, 3, false, 8, 8, 0);
        for (unsigned i = 0; i < 0xf; i++) {
            g_assert_cmphex(buf[i], ==, 0x10 + 1 + i);
        }
    }

    dev.ncalls = 0;
    {
        static const uint8_t data[7] = { 1, 2, 3, 4, 5, 6, 7 };

        address_space_write(mem(), 0xfe000004, data, sizeof(data));
        g_assert_cmpuint(dev.ncalls, ==, 3);
        check_call(&dev, 0, true, 4, 4, 0x04030201);
        check_call(&dev, 1, true, 8, 2, 0x0605);
        check_call(&dev, 2, true, 10, 1, 0x07);
        /* Loaders write images, not devices. */
        address_space_write_rom(mem(), 0xfe000004, data, sizeof(data));
        g_assert_cmpuint(dev.ncalls, ==, 3);
    }

    memory_region_destroy(&alias);
    memory_region_destroy(&io);
    spaces_cleanup();
}

static void test_one_way_regions(void)
{
    MemoryRegion wo, ro;
    TestDev dev = { 0 };
    static const MemoryRegionOps ops_write_only = { .write = dev_write };
    static const MemoryRegionOps ops_read_only = { .read = dev_read };

    spaces_reset();
    memory_region_init_io(&wo, "write-only", &ops_write_only, &dev, 1);
    memory_region_init_io(&ro, "read-only", &ops_read_only, &dev, 2);
    map_ok(&address_space_io, 0x70, &wo, 0);
    map_ok(&address_space_io, 0x71, &ro, 0);
    g_assert_cmphex(cpu_inb(0x70), ==, 0xff);
    cpu_outb(0x70, 0x8f);
    check_call(&dev, 0, true, 0, 1, 0x8f);
    cpu_outb(0x71, 0x8f);
    g_assert_cmpuint(dev.ncalls, ==, 1);
    g_assert_cmphex(cpu_inb(0x72), ==, pattern(1, 1));
    memory_region_destroy(&ro);
    memory_region_destroy(&wo);
    spaces_cleanup();
}

static void test_valid_sizes(void)
{
    MemoryRegion io, io2;
    TestDev dev = { 0 };
    static const MemoryRegionOps ops_min2 = {
        .read = dev_read,
        .write = dev_write,
        .valid = { .min_access_size = 2, .max_access_size = 4 },
    };

    spaces_reset();
    /* Default valid sizes: 1..4. */
    memory_region_init_io(&io, "dev", &ops_default, &dev, 0x10);
    map_ok(mem(), 0x2000, &io, 0);
    g_assert_cmphex(address_space_read_sized(mem(), 0x2000, 8), ==, UINT64_MAX);
    address_space_write_sized(mem(), 0x2000, 1, 8);
    g_assert_cmpuint(dev.ncalls, ==, 0);
    g_assert_cmphex(address_space_read_sized(mem(), 0x2004, 4), ==,
                    pattern(4, 4));
    g_assert_cmpuint(dev.ncalls, ==, 1);

    memory_region_init_io(&io2, "dev2", &ops_min2, &dev, 0x10);
    map_ok(mem(), 0x3000, &io2, 0);
    dev.ncalls = 0;
    g_assert_cmphex(address_space_read_sized(mem(), 0x3002, 1), ==, 0xff);
    address_space_write_sized(mem(), 0x3002, 1, 1);
    g_assert_cmpuint(dev.ncalls, ==, 0);
    g_assert_cmphex(address_space_read_sized(mem(), 0x3002, 2), ==,
                    pattern(2, 2));
    g_assert_cmpuint(dev.ncalls, ==, 1);

    memory_region_destroy(&io2);
    memory_region_destroy(&io);
    spaces_cleanup();
}

static void test_impl_split(void)
{
    MemoryRegion io, io8;
    TestDev dev = { 0 };
    static const MemoryRegionOps ops_q_impl_l = {
        .read = dev_read,
        .write = dev_write,
        .valid = { .min_access_size = 1, .max_access_size = 8 },
        .impl = { .min_access_size = 4, .max_access_size = 4 },
    };

    spaces_reset();
    memory_region_init_io(&io, "bytes", &ops_impl_byte, &dev, 0x10);
    map_ok(mem(), 0x4000, &io, 0);

    g_assert_cmphex(address_space_read_sized(mem(), 0x4004, 4), ==,
                    pattern(4, 4));
    g_assert_cmpuint(dev.ncalls, ==, 4);
    for (unsigned i = 0; i < 4; i++) {
        check_call(&dev, i, false, 4 + i, 1, 0);
    }

    dev.ncalls = 0;
    address_space_write_sized(mem(), 0x4008, 0xa1b2c3d4, 4);
    g_assert_cmpuint(dev.ncalls, ==, 4);
    check_call(&dev, 0, true, 8, 1, 0xd4);
    check_call(&dev, 1, true, 9, 1, 0xc3);
    check_call(&dev, 2, true, 10, 1, 0xb2);
    check_call(&dev, 3, true, 11, 1, 0xa1);

    dev.ncalls = 0;
    address_space_write_sized(mem(), 0x400e, 0xbeef, 2);
    g_assert_cmpuint(dev.ncalls, ==, 2);
    check_call(&dev, 0, true, 14, 1, 0xef);
    check_call(&dev, 1, true, 15, 1, 0xbe);

    /* 8-byte access split into two dwords. */
    memory_region_init_io(&io8, "qwords", &ops_q_impl_l, &dev, 0x10);
    map_ok(mem(), 0x5000, &io8, 0);
    dev.ncalls = 0;
    g_assert_cmphex(address_space_read_sized(mem(), 0x5008, 8), ==,
                    pattern(8, 8));
    g_assert_cmpuint(dev.ncalls, ==, 2);
    check_call(&dev, 0, false, 8, 4, 0);
    check_call(&dev, 1, false, 12, 4, 0);
    dev.ncalls = 0;
    address_space_write_sized(mem(), 0x5000, UINT64_C(0x0102030405060708), 8);
    check_call(&dev, 0, true, 0, 4, 0x05060708);
    check_call(&dev, 1, true, 4, 4, 0x01020304);

    memory_region_destroy(&io8);
    memory_region_destroy(&io);
    spaces_cleanup();
}

static void test_impl_widen(void)
{
    MemoryRegion io;
    TestDev dev = { 0 };

    spaces_reset();
    memory_region_init_io(&io, "dwords", &ops_impl_dword, &dev, 0x10);
    map_ok(mem(), 0x6000, &io, 0);

    g_assert_cmphex(address_space_read_sized(mem(), 0x6005, 1), ==,
                    pattern(5, 1));
    g_assert_cmpuint(dev.ncalls, ==, 1);
    check_call(&dev, 0, false, 4, 4, 0);

    g_assert_cmphex(address_space_read_sized(mem(), 0x600a, 2), ==,
                    pattern(10, 2));
    check_call(&dev, 1, false, 8, 4, 0);

    address_space_write_sized(mem(), 0x6006, 0xab, 1);
    check_call(&dev, 2, true, 4, 4, 0xab0000);
    address_space_write_sized(mem(), 0x6003, 0xcd, 1);
    check_call(&dev, 3, true, 0, 4, 0xcd000000);
    address_space_write_sized(mem(), 0x6002, 0x1234, 2);
    check_call(&dev, 4, true, 0, 4, 0x12340000);
    g_assert_cmpuint(dev.ncalls, ==, 5);

    memory_region_destroy(&io);
    spaces_cleanup();
}

static void test_misaligned(void)
{
    MemoryRegion io, io_u, ram;
    TestDev dev = { 0 };

    spaces_reset();
    memory_region_init_io(&io, "aligned", &ops_default, &dev, 0x10);
    map_ok(mem(), 0x7000, &io, 0);
    g_assert_cmphex(address_space_read_sized(mem(), 0x7001, 2), ==, 0xffff);
    g_assert_cmphex(address_space_read_sized(mem(), 0x7002, 4), ==, 0xffffffff);
    address_space_write_sized(mem(), 0x7006, 1, 4);
    g_assert_cmpuint(dev.ncalls, ==, 0);
    g_assert_cmphex(address_space_read_sized(mem(), 0x7004, 4), ==,
                    pattern(4, 4));
    g_assert_cmpuint(dev.ncalls, ==, 1);

    /*
     * Allowed when valid.unaligned; the callbacks still get aligned
     * accesses.
     */
    memory_region_init_io(&io_u, "unaligned", &ops_unaligned, &dev, 0x10);
    map_ok(mem(), 0x8000, &io_u, 0);
    dev.ncalls = 0;
    g_assert_cmphex(address_space_read_sized(mem(), 0x8001, 2), ==,
                    pattern(1, 2));
    g_assert_cmpuint(dev.ncalls, ==, 2);
    check_call(&dev, 0, false, 0, 2, 0);
    check_call(&dev, 1, false, 2, 2, 0);
    dev.ncalls = 0;
    address_space_write_sized(mem(), 0x8003, 0x11223344, 4);
    g_assert_cmpuint(dev.ncalls, ==, 2);
    check_call(&dev, 0, true, 0, 4, 0x44000000);
    check_call(&dev, 1, true, 4, 4, 0x112233);

    /* A region mapped at an odd base: alignment is by region offset. */
    ram_ok(&ram, "ram", 0x100);
    map_ok(mem(), 0x9001, &ram, 0);
    stl_le_phys(mem(), 0x9002, 0x01020304);
    g_assert_cmphex(ldl_le_phys(mem(), 0x9002), ==, 0x01020304);

    memory_region_destroy(&ram);
    memory_region_destroy(&io_u);
    memory_region_destroy(&io);
    spaces_cleanup();
}

static void test_unassigned(void)
{
    uint8_t buf[16];
    uint8_t ones[16];

    spaces_reset();
    g_assert_cmphex(address_space_read_sized(mem(), 0x1234, 1), ==, 0xff);
    g_assert_cmphex(address_space_read_sized(mem(), 0x1234, 2), ==, 0xffff);
    g_assert_cmphex(address_space_read_sized(mem(), 0x1234, 4), ==, 0xffffffff);
    g_assert_cmphex(address_space_read_sized(mem(), 0x1234, 8), ==, UINT64_MAX);
    g_assert_cmphex(address_space_read_sized(mem(), UINT64_MAX - 3, 8), ==,
                    UINT64_MAX);
    address_space_write_sized(mem(), 0x1234, 0, 8);
    g_assert_cmphex(address_space_read_sized(mem(), 0x1234, 4), ==, 0xffffffff);

    memset(buf, 0, sizeof(buf));
    memset(ones, 0xff, sizeof(ones));
    address_space_read(mem(), 0x5000, buf, sizeof(buf));
    g_assert_cmpmem(buf, sizeof(buf), ones, sizeof(ones));
    address_space_write(mem(), 0x5000, buf, sizeof(buf));

    g_assert_cmphex(cpu_inb(0x60), ==, 0xff);
    g_assert_cmphex(cpu_inw(0x60), ==, 0xffff);
    g_assert_cmphex(cpu_inl(0x60), ==, 0xffffffff);
    cpu_outl(0x60, 0);
    g_assert_null(address_space_lookup(mem(), 0x1234, NULL));
    g_assert_null(address_space_get_ram_ptr(mem(), 0x1234, NULL, NULL));
    spaces_cleanup();
}

static void test_overlap(void)
{
    MemoryRegion a, b, c, d;
    TestDev dev = { 0 };
    Error *err = NULL;
    char *text;

    spaces_reset();
    memory_region_init_io(&a, "dev-a", &ops_default, &dev, 0x1000);
    memory_region_init_io(&b, "dev-b", &ops_default, &dev, 0x1000);
    memory_region_init_io(&c, "dev-c", &ops_default, &dev, 0x4000);
    memory_region_init_io(&d, "dev-d", &ops_default, &dev, 0x1000);
    map_ok(mem(), 0x1000, &a, 0);

    g_assert_false(address_space_map_region(mem(), 0x1800, &b, 0, &err));
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(err->message, "dev-a"));
    g_assert_nonnull(strstr(err->message, "dev-b"));
    g_assert_nonnull(strstr(err->message, "0x1800"));
    g_assert_nonnull(strstr(err->message, "0x1fff"));
    g_clear_error(&err);
    g_assert_null(b.as);
    g_assert_true(address_space_lookup(mem(), 0x1900, NULL) == &a);
    /* Adjacent is fine. */
    map_ok(mem(), 0x2000, &d, 0);
    address_space_unmap_region(&d);

    /* A higher priority wins where they overlap. */
    map_ok(mem(), 0x1800, &b, 1);
    g_assert_true(address_space_lookup(mem(), 0x17ff, NULL) == &a);
    g_assert_true(address_space_lookup(mem(), 0x1800, NULL) == &b);
    g_assert_true(address_space_lookup(mem(), 0x1fff, NULL) == &b);
    g_assert_true(address_space_lookup(mem(), 0x2000, NULL) == &b);

    /* A lower priority shows only where nothing else is. */
    map_ok(mem(), 0x0, &c, -1);
    g_assert_true(address_space_lookup(mem(), 0x0fff, NULL) == &c);
    g_assert_true(address_space_lookup(mem(), 0x1000, NULL) == &a);
    g_assert_true(address_space_lookup(mem(), 0x2800, NULL) == &c);
    {
        hwaddr off;

        g_assert_true(address_space_lookup(mem(), 0x2800, &off) == &c);
        g_assert_cmphex(off, ==, 0x2800);
        g_assert_true(address_space_lookup(mem(), 0x1900, &off) == &b);
        g_assert_cmphex(off, ==, 0x100);
    }

    text = print_space(mem());
    g_assert_cmpstr(text, ==,
                    "address-space: memory\n"
                    "  0000000000000000-0000000000000fff (prio -1, i/o): "
                    "dev-c\n"
                    "  0000000000001000-00000000000017ff (prio 0, i/o): "
                    "dev-a\n"
                    "  0000000000001800-00000000000027ff (prio 1, i/o): "
                    "dev-b\n"
                    "  0000000000002800-0000000000003fff (prio -1, i/o): "
                    "dev-c @0x2800\n");
    g_free(text);

    /* Unmapping the winner reveals what is below. */
    address_space_unmap_region(&b);
    g_assert_true(address_space_lookup(mem(), 0x1900, NULL) == &a);
    g_assert_true(address_space_lookup(mem(), 0x2000, NULL) == &c);
    address_space_unmap_region(&c);
    g_assert_null(address_space_lookup(mem(), 0x2000, NULL));

    /* Already mapped. */
    g_assert_false(address_space_map_region(mem(), 0x8000, &a, 5, &err));
    g_assert_nonnull(strstr(err->message, "dev-a"));
    g_clear_error(&err);

    memory_region_destroy(&a);
    memory_region_destroy(&b);
    memory_region_destroy(&c);
    memory_region_destroy(&d);
    g_assert_null(address_space_lookup(mem(), 0x1000, NULL));
    spaces_cleanup();
}

static void test_enable_move(void)
{
    MemoryRegion a, b;
    TestDev dev = { 0 };
    Error *err = NULL;

    spaces_reset();
    memory_region_init_io(&a, "dev-a", &ops_default, &dev, 0x1000);
    memory_region_init_io(&b, "dev-b", &ops_default, &dev, 0x1000);
    map_ok(mem(), 0x1000, &a, 0);

    /* A disabled region may sit on top of another one... */
    g_assert_true(memory_region_set_enabled(&b, false, NULL));
    map_ok(mem(), 0x1800, &b, 0);
    g_assert_true(address_space_lookup(mem(), 0x1800, NULL) == &a);
    g_assert_null(address_space_lookup(mem(), 0x2000, NULL));

    /* ...but enabling it there is refused. */
    g_assert_false(memory_region_set_enabled(&b, true, &err));
    g_assert_nonnull(strstr(err->message, "dev-a"));
    g_assert_nonnull(strstr(err->message, "dev-b"));
    g_clear_error(&err);
    g_assert_false(b.enabled);
    g_assert_null(address_space_lookup(mem(), 0x2000, NULL));

    g_assert_true(memory_region_set_address(&b, 0x3000, &err));
    g_assert_no_error(err);
    g_assert_true(memory_region_set_address(&b, 0x3000, &err));
    g_assert_no_error(err);
    g_assert_true(memory_region_set_enabled(&b, true, &err));
    g_assert_true(address_space_lookup(mem(), 0x3000, NULL) == &b);

    /* Moving onto a same-priority neighbour is refused, b stays put. */
    g_assert_false(memory_region_set_address(&b, 0x1f00, &err));
    g_assert_nonnull(strstr(err->message, "dev-a"));
    g_clear_error(&err);
    g_assert_cmphex(b.addr, ==, 0x3000);
    g_assert_true(address_space_lookup(mem(), 0x3000, NULL) == &b);
    g_assert_true(address_space_lookup(mem(), 0x1f00, NULL) == &a);

    /* Beyond the end. */
    g_assert_false(memory_region_set_address(&b, UINT64_MAX - 0x10, &err));
    g_clear_error(&err);

    g_assert_true(memory_region_set_address(&a, 0x8000, &err));
    g_assert_null(address_space_lookup(mem(), 0x1000, NULL));
    g_assert_true(address_space_lookup(mem(), 0x8fff, NULL) == &a);
    address_space_write_sized(mem(), 0x8010, 5, 1);
    check_call(&dev, 0, true, 0x10, 1, 5);

    g_assert_true(memory_region_set_enabled(&a, false, &err));
    g_assert_null(address_space_lookup(mem(), 0x8000, NULL));
    g_assert_true(memory_region_set_enabled(&a, true, &err));
    g_assert_true(address_space_lookup(mem(), 0x8000, NULL) == &a);

    address_space_unmap_region(&b);
    g_assert_false(memory_region_set_address(&b, 0x3000, &err));
    g_assert_nonnull(strstr(err->message, "dev-b"));
    g_clear_error(&err);

    memory_region_destroy(&a);
    memory_region_destroy(&b);
    spaces_cleanup();
}

static void test_straddle(void)
{
    MemoryRegion ram, io;
    TestDev dev = { 0 };
    uint8_t *host;
    uint8_t buf[0x30];

    spaces_reset();
    ram_ok(&ram, "ram", 0x1000);
    host = memory_region_get_ram_ptr(&ram);
    memory_region_init_io(&io, "dev", &ops_default, &dev, 0x10);
    map_ok(mem(), 0, &ram, 0);
    map_ok(mem(), 0x1000, &io, 0);
    host[0xffe] = 0xaa;
    host[0xfff] = 0xbb;

    /* RAM then I/O: byte by byte. */
    g_assert_cmphex(address_space_read_sized(mem(), 0xffe, 4), ==,
                    0xaa | 0xbb << 8 | pattern(0, 2) << 16);
    g_assert_cmpuint(dev.ncalls, ==, 2);
    check_call(&dev, 0, false, 0, 1, 0);
    check_call(&dev, 1, false, 1, 1, 0);

    dev.ncalls = 0;
    address_space_write_sized(mem(), 0xffe, 0x44332211, 4);
    g_assert_cmphex(host[0xffe], ==, 0x11);
    g_assert_cmphex(host[0xfff], ==, 0x22);
    g_assert_cmpuint(dev.ncalls, ==, 2);
    check_call(&dev, 0, true, 0, 1, 0x33);
    check_call(&dev, 1, true, 1, 1, 0x44);

    /* I/O then unassigned. */
    dev.ncalls = 0;
    g_assert_cmphex(address_space_read_sized(mem(), 0x100c, 8), ==,
                    pattern(0xc, 4) | UINT64_C(0xffffffff00000000));
    g_assert_cmpuint(dev.ncalls, ==, 4);

    /* Unassigned then RAM. */
    address_space_unmap_region(&ram);
    map_ok(mem(), 0x3000, &ram, 0);
    host[0] = 0x5a;
    g_assert_cmphex(address_space_read_sized(mem(), 0x2fff, 2), ==, 0x5aff);
    address_space_write_sized(mem(), 0x2ffe, 0x11223344, 4);
    g_assert_cmphex(host[0], ==, 0x22);
    g_assert_cmphex(host[1], ==, 0x11);

    /* A buffer across I/O, unassigned and RAM. */
    dev.ncalls = 0;
    memset(host, 0x77, 0x10);
    address_space_read(mem(), 0x1000, buf, 0x10);
    g_assert_cmpuint(dev.ncalls, ==, 4); /* valid max 4: four dwords */
    check_call(&dev, 3, false, 0xc, 4, 0);
    for (unsigned i = 0; i < 0x10; i++) {
        g_assert_cmphex(buf[i], ==, 0x10 + i);
    }
    address_space_read(mem(), 0x2ff0, buf, 0x20);
    for (unsigned i = 0; i < 0x10; i++) {
        g_assert_cmphex(buf[i], ==, 0xff);
        g_assert_cmphex(buf[0x10 + i], ==, 0x77);
    }
    memset(buf, 0x33, sizeof(buf));
    address_space_write(mem(), 0x2ff8, buf, 0x10);
    g_assert_cmphex(host[7], ==, 0x33);
    g_assert_cmphex(host[8], ==, 0x77);

    memory_region_destroy(&io);
    memory_region_destroy(&ram);
    spaces_cleanup();
}

static void test_top_of_space(void)
{
    MemoryRegion ram, low;
    uint8_t *host;
    hwaddr len = 0;
    Error *err = NULL;

    spaces_reset();
    ram_ok(&low, "low", 0x1000);
    map_ok(mem(), 0, &low, 0);
    stl_le_phys(mem(), 0, 0x55555555);
    ram_ok(&ram, "top", 0x1000);
    host = memory_region_get_ram_ptr(&ram);
    map_ok(mem(), UINT64_MAX - 0xfff, &ram, 0);
    stl_le_phys(mem(), UINT64_MAX - 3, 0x01020304);
    g_assert_cmphex(host[0xffc], ==, 0x04);
    /* Bytes beyond 2^64 are unassigned, not wrapped to 0. */
    g_assert_cmphex(ldq_le_phys(mem(), UINT64_MAX - 3), ==,
                    UINT64_C(0xffffffff01020304));
    g_assert_true(address_space_get_ram_ptr(mem(), UINT64_MAX - 0xf, &len,
                                            NULL) == host + 0xff0);
    g_assert_cmphex(len, ==, 0x10);
    address_space_unmap_region(&ram);

    /* Size 2^64 - base overflows. */
    g_assert_false(
        address_space_map_region(mem(), UINT64_MAX - 0xffe, &ram, 0, &err));
    g_clear_error(&err);
    memory_region_destroy(&ram);
    memory_region_destroy(&low);
    spaces_cleanup();
}

static void test_io_space(void)
{
    MemoryRegion r, top, port;
    TestDev dev = { 0 };
    Error *err = NULL;

    spaces_reset();
    memory_region_init_io(&r, "too-far", &ops_default, &dev, 0x10);
    g_assert_false(
        address_space_map_region(&address_space_io, 0xfff8, &r, 0, &err));
    g_assert_nonnull(strstr(err->message, "too-far"));
    g_assert_nonnull(strstr(err->message, "I/O"));
    g_clear_error(&err);
    g_assert_false(
        address_space_map_region(&address_space_io, 0x10000, &r, 0, &err));
    g_clear_error(&err);
    map_ok(&address_space_io, 0xfff0, &r, 0);
    memory_region_destroy(&r);

    /* Port 0xffff: the second byte of a word access falls off the end. */
    g_assert_true(
        portio_register(&top, 0xffff, 1, &ops_default, &dev, "top-port", &err));
    g_assert_no_error(err);
    g_assert_cmphex(cpu_inw(0xffff), ==, 0xff00 | pattern(0, 1));
    cpu_outw(0xffff, 0x1234);
    g_assert_cmpuint(dev.ncalls, ==, 2);
    check_call(&dev, 1, true, 0, 1, 0x34);
    g_assert_cmphex(cpu_inl(0xfffe), ==, 0xffff00ff | pattern(0, 1) << 8);

    /* A failed registration leaves nothing to clean up. */
    g_assert_false(
        portio_register(&port, 0xfffe, 2, &ops_default, &dev, "clash", &err));
    g_assert_nonnull(strstr(err->message, "clash"));
    g_assert_nonnull(strstr(err->message, "top-port"));
    g_clear_error(&err);
    g_assert_null(port.name);
    g_assert_null(port.as);
    memory_region_destroy(&port);

    g_assert_true(
        portio_register(&port, 0x3f8, 8, &ops_default, &dev, "serial", &err));
    dev.ncalls = 0;
    cpu_outb(0x3fb, 0x83);
    check_call(&dev, 0, true, 3, 1, 0x83);
    g_assert_cmphex(cpu_inb(0x3fd), ==, pattern(5, 1));
    g_assert_cmphex(cpu_inw(0x3fc), ==, pattern(4, 2));
    /* The memory space does not see ports. */
    g_assert_null(address_space_lookup(mem(), 0x3f8, NULL));

    memory_region_destroy(&port);
    memory_region_destroy(&top);
    spaces_cleanup();
}

typedef struct ListenerLog {
    unsigned count;
    AddressSpace *last_as;
    uint64_t last_gen;
} ListenerLog;

static void listener_fn(void *opaque, AddressSpace *as)
{
    ListenerLog *l = opaque;

    l->count++;
    l->last_as = as;
    l->last_gen = as->generation;
    /* The view is already the new one. */
}

static void test_listeners(void)
{
    MemoryRegion ram, io;
    TestDev dev = { 0 };
    ListenerLog log = { 0 }, other = { 0 };
    uint64_t gen;
    Error *err = NULL;

    spaces_reset();
    address_space_add_listener(mem(), listener_fn, &log);
    address_space_add_listener(&address_space_io, listener_fn, &other);
    gen = mem()->generation;
    ram_ok(&ram, "ram", 0x1000);
    memory_region_init_io(&io, "dev", &ops_default, &dev, 0x100);

    map_ok(mem(), 0, &ram, 0);
    g_assert_cmpuint(log.count, ==, 1);
    g_assert_true(log.last_as == mem());
    g_assert_cmpuint(mem()->generation, ==, gen + 1);
    g_assert_cmpuint(log.last_gen, ==, gen + 1);

    map_ok(mem(), 0x800, &io, 1);
    g_assert_cmpuint(log.count, ==, 2);
    g_assert_true(memory_region_set_enabled(&io, false, NULL));
    g_assert_cmpuint(log.count, ==, 3);
    g_assert_true(memory_region_set_enabled(&io, false, NULL));
    g_assert_cmpuint(log.count, ==, 3); /* no change, no call */
    g_assert_true(memory_region_set_address(&io, 0x900, NULL));
    g_assert_cmpuint(log.count, ==, 4);
    memory_region_set_readonly(&ram, true);
    g_assert_cmpuint(log.count, ==, 5);

    /* Failures change nothing. */
    gen = mem()->generation;
    g_assert_false(address_space_map_region(mem(), 0, &io, 0, &err));
    g_clear_error(&err);
    g_assert_cmpuint(log.count, ==, 5);
    g_assert_cmpuint(mem()->generation, ==, gen);

    address_space_unmap_region(&io);
    g_assert_cmpuint(log.count, ==, 6);
    g_assert_cmpuint(mem()->generation, ==, gen + 1);
    g_assert_cmpuint(other.count, ==, 0);

    address_space_remove_listener(mem(), listener_fn, &log);
    memory_region_destroy(&ram);
    g_assert_cmpuint(log.count, ==, 6);
    g_assert_cmpuint(mem()->generation, ==, gen + 2);

    memory_region_destroy(&io);
    address_space_remove_listener(&address_space_io, listener_fn, &other);
    spaces_cleanup();
}

static void test_ram_ptr(void)
{
    MemoryRegion ram, io;
    TestDev dev = { 0 };
    uint8_t *host;
    hwaddr len = 0;
    bool ro = true;

    spaces_reset();
    ram_ok(&ram, "ram", 0x10000);
    host = memory_region_get_ram_ptr(&ram);
    map_ok(mem(), 0x10000, &ram, 0);

    g_assert_true(address_space_get_ram_ptr(mem(), 0x10000, &len, &ro) == host);
    g_assert_cmphex(len, ==, 0x10000);
    g_assert_false(ro);
    g_assert_true(address_space_get_ram_ptr(mem(), 0x1fff0, &len, &ro) ==
                  host + 0xfff0);
    g_assert_cmphex(len, ==, 0x10);

    /* An I/O hole cuts the RAM range in two. */
    memory_region_init_io(&io, "hole", &ops_default, &dev, 0x1000);
    map_ok(mem(), 0x14000, &io, 1);
    g_assert_true(address_space_get_ram_ptr(mem(), 0x10000, &len, &ro) == host);
    g_assert_cmphex(len, ==, 0x4000);
    g_assert_null(address_space_get_ram_ptr(mem(), 0x14000, &len, &ro));
    g_assert_true(address_space_get_ram_ptr(mem(), 0x15000, &len, &ro) ==
                  host + 0x5000);
    g_assert_cmphex(len, ==, 0xb000);
    g_assert_null(address_space_get_ram_ptr(mem(), 0xffff, &len, &ro));
    g_assert_null(address_space_get_ram_ptr(mem(), 0x20000, &len, &ro));

    /* Caller-owned memory. */
    {
        MemoryRegion ext;
        uint8_t backing[64] = { 0 };

        memory_region_init_ram_ptr(&ext, "ext", sizeof(backing), backing);
        map_ok(mem(), 0x40000, &ext, 0);
        stl_le_phys(mem(), 0x40010, 0xa5a5a5a5);
        g_assert_cmphex(backing[0x10], ==, 0xa5);
        g_assert_true(address_space_get_ram_ptr(mem(), 0x40000, &len, &ro) ==
                      backing);
        g_assert_cmphex(len, ==, 64);
        memory_region_destroy(&ext);
        g_assert_cmphex(backing[0x10], ==, 0xa5); /* not freed by us */
    }

    memory_region_destroy(&io);
    memory_region_destroy(&ram);
    spaces_cleanup();
}

static char *read_log(const char *path)
{
    char *text = NULL;

    qemu_log_flush();
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

static void test_logging(void)
{
    MemoryRegion io, rom;
    TestDev dev = { 0 };
    char *path = NULL;
    char *text;
    int fd;
    Error *err = NULL;

    fd = g_file_open_tmp("test-memory-XXXXXX.log", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(qemu_set_log_filename(path, &err));
    g_assert_no_error(err);

    spaces_reset();
    memory_region_init_io(&io, "mydev", &ops_default, &dev, 0x10);
    map_ok(mem(), 0x3000, &io, 0);
    g_assert_true(memory_region_init_rom(&rom, "my.rom", 0x100, NULL));
    map_ok(mem(), 0xe0000, &rom, 0);

    /* Nothing is logged unless asked for. */
    qemu_set_log(0);
    address_space_read_sized(mem(), 0xdead0000, 4);
    address_space_read_sized(mem(), 0x3000, 8);
    text = read_log(path);
    g_assert_cmpstr(text, ==, "");
    g_free(text);

    qemu_set_log(LOG_UNIMP);
    address_space_read_sized(mem(), 0xdead0000, 4);
    address_space_write_sized(mem(), 0xbeef0000, 1, 2);
    cpu_outb(0x1f0, 0);
    address_space_read_sized(mem(), 0x3000, 8); /* guest error: not shown */
    text = read_log(path);
    g_assert_nonnull(strstr(text, "0xdead0000"));
    g_assert_nonnull(strstr(text, "0xbeef0000"));
    g_assert_nonnull(strstr(text, "0x1f0"));
    g_assert_null(strstr(text, "mydev"));
    g_free(text);

    qemu_set_log(LOG_GUEST_ERROR);
    address_space_read_sized(mem(), 0x3008, 8);
    address_space_write_sized(mem(), 0x3005, 0, 2);
    stb_phys(mem(), 0xe0010, 1);
    address_space_read_sized(mem(), 0xfeed0000, 4); /* unimp: not shown */
    text = read_log(path);
    g_assert_nonnull(strstr(text, "mydev"));
    g_assert_nonnull(strstr(text, "0x3008"));
    g_assert_nonnull(strstr(text, "0x3005"));
    g_assert_nonnull(strstr(text, "size 8"));
    g_assert_nonnull(strstr(text, "my.rom"));
    g_assert_nonnull(strstr(text, "0xe0010"));
    g_assert_null(strstr(text, "0xfeed0000"));
    g_free(text);
    g_assert_cmpuint(dev.ncalls, ==, 0);

    qemu_set_log(0);
    qemu_set_log_filename(NULL, NULL);
    unlink(path);
    g_free(path);
    memory_region_destroy(&rom);
    memory_region_destroy(&io);
    spaces_cleanup();
}

static void test_ram_alloc_failure(void)
{
    MemoryRegion ram;
    Error *err = NULL;

    /* More than any x86-64 user address space can hold. */
    g_assert_false(
        memory_region_init_ram(&ram, "pc.ram", UINT64_C(1) << 62, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==,
                    "cannot set up guest memory 'pc.ram': "
                    "Cannot allocate memory");
    g_clear_error(&err);
    memory_region_destroy(&ram); /* harmless after failure */
}

static void test_reinit(void)
{
    MemoryRegion ram;
    AddressSpace as;
    uint64_t gen;

    /* A private space, initialised from garbage. */
    memset(&as, 0x5a, sizeof(as));
    address_space_init(&as, "private", 0x1000);
    ram_ok(&ram, "ram", 0x100);
    map_ok(&as, 0x100, &ram, 0);
    stb_phys(&as, 0x100, 9);
    g_assert_cmphex(ldub_phys(&as, 0x100), ==, 9);
    g_assert_cmphex(ldub_phys(mem(), 0x100), ==, 0xff);

    /* Re-initialising unmaps everything; the generation keeps growing. */
    gen = as.generation;
    address_space_init(&as, "private", 0x1000);
    g_assert_null(ram.as);
    g_assert_cmpuint(as.generation, >, gen);
    g_assert_cmphex(ldub_phys(&as, 0x100), ==, 0xff);
    map_ok(&as, 0x200, &ram, 0);
    g_assert_cmphex(ldub_phys(&as, 0x200), ==, 9);
    address_space_destroy(&as);
    g_assert_null(ram.as);
    /* Must not look at the destroyed space (it is about to go away). */
    memset(&as, 0, sizeof(as));
    memory_region_set_readonly(&ram, true);
    memory_region_destroy(&ram);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/memory/globals-without-init", test_globals_without_init);
    g_test_add_func("/memory/ram-rw", test_ram_rw);
    g_test_add_func("/memory/ram-alias", test_ram_alias);
    g_test_add_func("/memory/rom", test_rom);
    g_test_add_func("/memory/io-callbacks", test_io_callbacks);
    g_test_add_func("/memory/one-way-regions", test_one_way_regions);
    g_test_add_func("/memory/valid-sizes", test_valid_sizes);
    g_test_add_func("/memory/impl-split", test_impl_split);
    g_test_add_func("/memory/impl-widen", test_impl_widen);
    g_test_add_func("/memory/misaligned", test_misaligned);
    g_test_add_func("/memory/unassigned", test_unassigned);
    g_test_add_func("/memory/overlap", test_overlap);
    g_test_add_func("/memory/enable-move", test_enable_move);
    g_test_add_func("/memory/straddle", test_straddle);
    g_test_add_func("/memory/top-of-space", test_top_of_space);
    g_test_add_func("/memory/io-space", test_io_space);
    g_test_add_func("/memory/listeners", test_listeners);
    g_test_add_func("/memory/ram-ptr", test_ram_ptr);
    g_test_add_func("/memory/logging", test_logging);
    g_test_add_func("/memory/ram-alloc-failure", test_ram_alloc_failure);
    g_test_add_func("/memory/reinit", test_reinit);
    return g_test_run();
}
