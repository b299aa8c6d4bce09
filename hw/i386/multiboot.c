/*
 * Multiboot v1 loader ("Multiboot Specification version 0.6.96"):
 * the header (section 3.1), ELF or a.out-kludge loading, modules, the
 * information structure (3.3) and the machine state at entry (3.2).
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/i386/multiboot.h"

#define MB_HEADER_MAGIC     0x1badb002
#define MB_BOOTLOADER_MAGIC 0x2badb002
#define MB_SEARCH           8192

/* Header flags */
#define MBH_PAGE_ALIGN  (1u << 0)
#define MBH_MEMORY_INFO (1u << 1)
#define MBH_VIDEO_MODE  (1u << 2)
#define MBH_AOUT_KLUDGE (1u << 16)

/* Information structure flags */
#define MBI_MEMORY      (1u << 0)
#define MBI_CMDLINE     (1u << 2)
#define MBI_MODS        (1u << 3)
#define MBI_MMAP        (1u << 6)
#define MBI_LOADER_NAME (1u << 9)

/* Where the information structure and its strings go: low memory. */
#define MBI_ADDR  0x9000
#define MBI_LIMIT 0x9fc00
/* The GDT the kernel starts with (the spec lets it be anything). */
#define MB_GDT_ADDR 0x8f00

typedef struct Chunk {
    uint64_t addr;
    GBytes *data;  /* bytes to copy */
    uint64_t zero; /* then this many zero bytes (BSS) */
} Chunk;

struct MultibootImage {
    GArray *chunks; /* of Chunk */
    uint32_t entry;
};

static uint32_t rd32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint16_t rd16(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

static void add_chunk(MultibootImage *mb, uint64_t addr, const void *data,
                      size_t len, uint64_t zero)
{
    Chunk c = { addr, g_bytes_new(data, len), zero };

    g_array_append_val(mb->chunks, c);
}

static void mb_free(MultibootImage *mb)
{
    for (guint i = 0; i < mb->chunks->len; i++) {
        g_bytes_unref(g_array_index(mb->chunks, Chunk, i).data);
    }
    g_array_free(mb->chunks, TRUE);
    g_free(mb);
}

/* Loads the PT_LOAD segments of an ELF32 file at their physical address. */
static bool load_elf32(MultibootImage *mb, const char *name, const uint8_t *f,
                       size_t size, uint64_t *end, Error **errp)
{
    uint32_t phoff, entry;
    uint16_t phentsize, phnum;

    if (size < 52 || memcmp(f, "\177ELF", 4) || f[4] != 1 || f[5] != 1) {
        error_setg(errp,
                   "'%s': the multiboot header asks for ELF loading "
                   "but this is not a little-endian 32-bit ELF file",
                   name);
        return false;
    }
    if (rd16(f + 18) != 3) {
        error_setg(errp, "'%s' is not an i386 ELF file", name);
        return false;
    }
    entry = rd32(f + 24);
    phoff = rd32(f + 28);
    phentsize = rd16(f + 42);
    phnum = rd16(f + 44);
    if (phentsize < 32 || phoff > size ||
        (uint64_t)phnum * phentsize > size - phoff) {
        error_setg(errp, "'%s': bad ELF program headers", name);
        return false;
    }
    *end = 0;
    for (int i = 0; i < phnum; i++) {
        const uint8_t *ph = f + phoff + i * phentsize;
        uint32_t type = rd32(ph), off = rd32(ph + 4), paddr = rd32(ph + 12);
        uint32_t filesz = rd32(ph + 16), memsz = rd32(ph + 20);

        if (type != 1 /* PT_LOAD */ || memsz == 0) {
            continue;
        }
        if (off > size || filesz > size - off || filesz > memsz) {
            error_setg(errp, "'%s': ELF segment %d lies outside the file", name,
                       i);
            return false;
        }
        add_chunk(mb, paddr, f + off, filesz, memsz - filesz);
        *end = MAX(*end, (uint64_t)paddr + memsz);
    }
    mb->entry = entry;
    return true;
}

static void mmap_entry(GByteArray *m, uint64_t base, uint64_t len,
                       uint32_t type)
{
    uint8_t e[24];
    uint32_t size = 20;

    memcpy(e, &size, 4);
    memcpy(e + 4, &base, 8);
    memcpy(e + 12, &len, 8);
    memcpy(e + 20, &type, 4);
    g_byte_array_append(m, e, sizeof(e));
}

MultibootImage *multiboot_load(const char *kernel, const char *cmdline,
                               const char *modules, uint64_t below_4g,
                               uint64_t above_4g, Error **errp)
{
    gchar *file = NULL;
    gsize size;
    GError *gerr = NULL;
    const uint8_t *f, *hdr = NULL;
    uint32_t flags;
    uint64_t end = 0;
    MultibootImage *mb;
    GByteArray *mbi, *strings;
    uint32_t info[22] = { 0 };
    uint64_t str_addr, next;
    GByteArray *mods, *mmap;

    if (!g_file_get_contents(kernel, &file, &size, &gerr)) {
        error_setg(errp, "could not load kernel '%s': %s", kernel,
                   gerr->message);
        g_error_free(gerr);
        return NULL;
    }
    f = (const uint8_t *)file;
    for (size_t off = 0; off + 12 <= MIN(size, MB_SEARCH); off += 4) {
        if (rd32(f + off) == MB_HEADER_MAGIC &&
            (uint32_t)(rd32(f + off) + rd32(f + off + 4) + rd32(f + off + 8)) ==
                0) {
            hdr = f + off;
            break;
        }
    }
    if (!hdr) {
        g_free(file);
        return NULL;
    }
    flags = rd32(hdr + 4);
    if (flags & 0xfffc & ~(MBH_PAGE_ALIGN | MBH_MEMORY_INFO | MBH_VIDEO_MODE)) {
        /* Unknown bits 0-15 are requirements we cannot meet (spec 3.1.2). */
        error_setg(errp,
                   "'%s': multiboot header requires unsupported "
                   "features (flags 0x%08x)",
                   kernel, flags);
        g_free(file);
        return NULL;
    }
    mb = g_new0(MultibootImage, 1);
    mb->chunks = g_array_new(FALSE, FALSE, sizeof(Chunk));
    if (flags & MBH_AOUT_KLUDGE) {
        /* The header gives the addresses (spec 3.1.3). */
        uint32_t header_addr = rd32(hdr + 12), load_addr = rd32(hdr + 16);
        uint32_t load_end = rd32(hdr + 20), bss_end = rd32(hdr + 24);
        uint64_t hoff = hdr - f;
        uint64_t foff = hoff - (header_addr - load_addr);
        uint64_t len = load_end ? load_end - load_addr : size - foff;

        if (header_addr < load_addr || foff > size || len > size - foff ||
            (bss_end && bss_end < load_addr + len)) {
            error_setg(errp, "'%s': inconsistent multiboot load addresses",
                       kernel);
            mb_free(mb);
            g_free(file);
            return NULL;
        }
        add_chunk(mb, load_addr, f + foff, len,
                  bss_end ? bss_end - (load_addr + len) : 0);
        mb->entry = rd32(hdr + 28);
        end = bss_end ? bss_end : load_addr + len;
    } else if (!load_elf32(mb, kernel, f, size, &end, errp)) {
        mb_free(mb);
        g_free(file);
        return NULL;
    }
    g_free(file);
    if (end > below_4g) {
        error_setg(errp,
                   "'%s' does not fit in guest RAM (it ends at "
                   "0x%" PRIx64 ")",
                   kernel, end);
        mb_free(mb);
        return NULL;
    }

    /* Strings, modules, memory map, then the information structure. */
    strings = g_byte_array_new();
    mods = g_byte_array_new();
    str_addr = MBI_ADDR + sizeof(info);
    next = QEMU_ALIGN_UP(end, 4096);
    {
        char *full = g_strdup_printf("%s%s%s", kernel, cmdline ? " " : "",
                                     cmdline ? cmdline : "");
        info[4] = str_addr; /* cmdline */
        g_byte_array_append(strings, (guint8 *)full, strlen(full) + 1);
        g_free(full);
    }
    info[16] = str_addr + strings->len; /* boot_loader_name */
    g_byte_array_append(strings, (const guint8 *)"qemu", 5);
    if (modules && *modules) {
        char **list = g_strsplit(modules, ",", -1);
        for (char **m = list; *m; m++) {
            char *path = g_strstrip(g_strdup(*m));
            char *space = strchr(path, ' ');
            gchar *data;
            gsize dlen;
            uint32_t entry[4];

            if (space) {
                *space = '\0';
            }
            if (!g_file_get_contents(path, &data, &dlen, &gerr)) {
                error_setg(errp, "could not load multiboot module '%s': %s",
                           path, gerr->message);
                g_error_free(gerr);
                g_free(path);
                g_strfreev(list);
                g_byte_array_free(strings, TRUE);
                g_byte_array_free(mods, TRUE);
                mb_free(mb);
                return NULL;
            }
            if (space) {
                *space = ' ';
            }
            entry[0] = next;
            entry[1] = next + dlen;
            entry[2] = str_addr + strings->len; /* "file args" */
            entry[3] = 0;
            g_byte_array_append(strings, (guint8 *)path, strlen(path) + 1);
            g_byte_array_append(mods, (guint8 *)entry, sizeof(entry));
            add_chunk(mb, next, data, dlen, 0);
            next = QEMU_ALIGN_UP(next + dlen, 4096);
            g_free(data);
            g_free(path);
        }
        g_strfreev(list);
        if (next > below_4g) {
            error_setg(errp, "multiboot modules do not fit in guest RAM");
            g_byte_array_free(strings, TRUE);
            g_byte_array_free(mods, TRUE);
            mb_free(mb);
            return NULL;
        }
    }
    mmap = g_byte_array_new();
    mmap_entry(mmap, 0, 0x9fc00, 1);
    mmap_entry(mmap, 0x9fc00, 0x400, 2);
    mmap_entry(mmap, 0xf0000, 0x10000, 2);
    mmap_entry(mmap, 0x100000, below_4g - 0x100000, 1);
    if (above_4g) {
        mmap_entry(mmap, 4 * GiB, above_4g, 1);
    }
    /* Layout after the strings: module list, then the memory map. */
    {
        uint64_t mods_addr = QEMU_ALIGN_UP(str_addr + strings->len, 16);
        uint64_t mmap_addr = QEMU_ALIGN_UP(mods_addr + mods->len, 16);

        if (mmap_addr + mmap->len > MBI_LIMIT) {
            error_setg(errp, "multiboot command line and module list are "
                             "too long");
            g_byte_array_free(strings, TRUE);
            g_byte_array_free(mods, TRUE);
            g_byte_array_free(mmap, TRUE);
            mb_free(mb);
            return NULL;
        }
        info[0] =
            MBI_MEMORY | MBI_CMDLINE | MBI_MODS | MBI_MMAP | MBI_LOADER_NAME;
        info[1] = 640;                          /* mem_lower, KiB */
        info[2] = (below_4g - 0x100000) / 1024; /* mem_upper, KiB */
        info[5] = mods->len / 16;               /* mods_count */
        info[6] = mods_addr;
        info[11] = mmap->len; /* mmap_length */
        info[12] = mmap_addr;
        mbi = g_byte_array_new();
        g_byte_array_append(mbi, (guint8 *)info, sizeof(info));
        g_byte_array_append(mbi, strings->data, strings->len);
        while (MBI_ADDR + mbi->len < mods_addr) {
            g_byte_array_append(mbi, (const guint8 *)"", 1);
        }
        g_byte_array_append(mbi, mods->data, mods->len);
        while (MBI_ADDR + mbi->len < mmap_addr) {
            g_byte_array_append(mbi, (const guint8 *)"", 1);
        }
        g_byte_array_append(mbi, mmap->data, mmap->len);
        add_chunk(mb, MBI_ADDR, mbi->data, mbi->len, 0);
        g_byte_array_free(mbi, TRUE);
    }
    {
        /* null, code (0x08), data (0x10): flat 4 GiB */
        static const uint32_t gdt[6] = { 0,          0,          0x0000ffff,
                                         0x00cf9b00, 0x0000ffff, 0x00cf9300 };
        add_chunk(mb, MB_GDT_ADDR, gdt, sizeof(gdt), 0);
    }
    g_byte_array_free(strings, TRUE);
    g_byte_array_free(mods, TRUE);
    g_byte_array_free(mmap, TRUE);
    return mb;
}

void multiboot_reset(MultibootImage *mb, CPUX86State *env)
{
    static const uint8_t zeros[4096];

    for (guint i = 0; i < mb->chunks->len; i++) {
        Chunk *c = &g_array_index(mb->chunks, Chunk, i);
        gsize len;
        const void *data = g_bytes_get_data(c->data, &len);
        uint64_t z = c->zero, a = c->addr + len;

        address_space_write(&address_space_memory, c->addr, data, len);
        while (z) {
            uint64_t n = MIN(z, sizeof(zeros));
            address_space_write(&address_space_memory, a, zeros, n);
            a += n;
            z -= n;
        }
    }
    /* Spec 3.2: 32-bit protected mode, flat segments, paging off. */
    env->cr[0] = (env->cr[0] | CR0_PE_MASK) & ~CR0_PG_MASK;
    env->gdt.base = MB_GDT_ADDR;
    env->gdt.limit = 23;
    env->regs[R_EAX] = MB_BOOTLOADER_MAGIC;
    env->regs[R_EBX] = MBI_ADDR;
    env->eflags &= ~(VM_MASK | IF_MASK);
    env->a20_mask_bit = 1 << 20;
    cpu_x86_load_seg_cache(env, R_CS, 0x08, 0, 0xffffffff, 0x00cf9b00);
    for (int s = 0; s < NB_SEGS; s++) {
        if (s != R_CS) {
            cpu_x86_load_seg_cache(env, s, 0x10, 0, 0xffffffff, 0x00cf9300);
        }
    }
    env->eip = mb->entry;
    cpu_x86_update_cr0(env, env->cr[0]);
    x86_update_hflags(env);
}
