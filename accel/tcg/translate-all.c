/*
 * The translation-block cache: translation, lookup, page tracking for
 * self-modifying code, invalidation (see tb.h).
 *
 * Blocks live in an arena that is only reset by tb_flush(), so a block
 * invalidated while it runs (the guest overwrote the code it is
 * executing) stays readable until the CPU leaves it.  Invalidated blocks
 * are dropped from the hash table and the page lists at once and their
 * memory comes back at the next flush, which happens when the arena is
 * full.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/memory.h"
#include "exec/cpu-ldst.h"
#include "accel/tcg/tb.h"
#include "accel/tcg/jit.h"

#define TB_HASH_BITS      16
#define TB_HASH_SIZE      (1u << TB_HASH_BITS)
#define TB_JMP_CACHE_BITS 12
#define TB_JMP_CACHE_SIZE (1u << TB_JMP_CACHE_BITS)
#define TB_ARENA_CHUNK    (4 * MiB)
#define TB_ARENA_MAX      (256 * MiB)

TBStats tb_stats;

static TranslationBlock *tb_hash[TB_HASH_SIZE];
/* Physical page number -> GPtrArray of the blocks with code there. */
static GHashTable *code_pages;
/* The per-CPU (single CPU) cache by linear PC. */
static TranslationBlock *tb_jmp_cache[TB_JMP_CACHE_SIZE];

/* Arena: a list of chunks, bump-allocated. */
static GPtrArray *arena_chunks;
static uint8_t *arena_ptr;
static size_t arena_left;
static size_t arena_total;
bool tb_flush_pending;

static void *arena_alloc(size_t size)
{
    void *p;

    size = QEMU_ALIGN_UP(size, 16);
    if (size > arena_left) {
        size_t chunk = MAX(size, TB_ARENA_CHUNK);

        if (!arena_chunks) {
            arena_chunks = g_ptr_array_new_with_free_func(g_free);
        }
        arena_ptr = g_malloc(chunk);
        arena_left = chunk;
        arena_total += chunk;
        g_ptr_array_add(arena_chunks, arena_ptr);
        if (arena_total > TB_ARENA_MAX) {
            /* Reclaim everything at the next safe point. */
            tb_flush_pending = true;
        }
    }
    p = arena_ptr;
    arena_ptr += size;
    arena_left -= size;
    return p;
}

static inline unsigned tb_hash_func(hwaddr phys, uint32_t flags)
{
    uint64_t h = (phys ^ ((uint64_t)flags << 40)) * 0x9e3779b97f4a7c15ull;

    return h >> (64 - TB_HASH_BITS);
}

static inline unsigned jmp_cache_hash(uint64_t pc)
{
    return (pc ^ (pc >> TB_JMP_CACHE_BITS)) & (TB_JMP_CACHE_SIZE - 1);
}

void tb_jmp_cache_clear(CPUX86State *env)
{
    memset(tb_jmp_cache, 0, sizeof(tb_jmp_cache));
}

bool tb_page_has_code(hwaddr page)
{
    return code_pages &&
           g_hash_table_contains(code_pages, GSIZE_TO_POINTER(page >> 12));
}

static void page_add_tb(hwaddr phys, TranslationBlock *tb)
{
    gpointer key = GSIZE_TO_POINTER(phys >> 12);
    GPtrArray *list;

    if (!code_pages) {
        code_pages = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                           (GDestroyNotify)g_ptr_array_unref);
        /* Device and loader writes to RAM invalidate code too (DMA). */
        address_space_ram_written = tb_invalidate_phys_range;
    }
    list = g_hash_table_lookup(code_pages, key);
    if (!list) {
        list = g_ptr_array_new();
        g_hash_table_insert(code_pages, key, list);
    }
    g_ptr_array_add(list, tb);
}

static void tb_hash_remove(TranslationBlock *tb)
{
    TranslationBlock **p = &tb_hash[tb_hash_func(tb->phys_pc, tb->flags)];

    for (; *p; p = &(*p)->hash_next) {
        if (*p == tb) {
            *p = tb->hash_next;
            return;
        }
    }
}

static void tb_invalidate(TranslationBlock *tb)
{
    if (!tb->valid) {
        return;
    }
    tb->valid = false;
    tb_stats.invalidated++;
    if (tb->cached) {
        tb_hash_remove(tb);
    }
    for (unsigned i = 0; i < TB_JMP_CACHE_SIZE; i++) {
        if (tb_jmp_cache[i] == tb) {
            tb_jmp_cache[i] = NULL;
        }
    }
}

void tb_invalidate_phys_range(hwaddr addr, hwaddr len)
{
    hwaddr page;

    if (!code_pages || len == 0) {
        return;
    }
    for (page = addr & ~0xfffull; page < addr + len; page += 0x1000) {
        gpointer key = GSIZE_TO_POINTER(page >> 12);
        GPtrArray *list = g_hash_table_lookup(code_pages, key);

        if (!list) {
            continue;
        }
        /*
         * Invalidate every block with code on the page: blocks are short
         * and a page is rarely both code and data, so finer tracking is
         * not worth its cost.
         */
        for (guint i = 0; i < list->len; i++) {
            tb_invalidate(g_ptr_array_index(list, i));
        }
        g_hash_table_remove(code_pages, key);
    }
}

void tb_flush(CPUX86State *env)
{
    memset(tb_hash, 0, sizeof(tb_hash));
    tb_jmp_cache_clear(env);
    if (code_pages) {
        g_hash_table_remove_all(code_pages);
    }
    if (arena_chunks) {
        g_ptr_array_set_size(arena_chunks, 0);
    }
    arena_ptr = NULL;
    arena_left = 0;
    arena_total = 0;
    tb_flush_pending = false;
    jit_flush();
    tb_stats.flushes++;
    /* Pages with code lost their write protection with the blocks. */
    if (env) {
        tlb_flush(env);
    }
}

void tb_gc(CPUX86State *env)
{
    if (tb_flush_pending) {
        tb_flush(env);
    }
}

/* ---- translation ---- */

typedef struct TranslateCtx {
    CPUX86State *env;
    uint64_t page_vaddr;  /* linear page of the first instruction */
    const uint8_t *host;  /* its host memory, or NULL (MMIO) */
    hwaddr phys;          /* its physical page */
    uint64_t page2_vaddr; /* a second page, when an insn straddles */
    const uint8_t *host2;
    hwaddr phys2;
    bool first_insn;
    bool crossed; /* a later insn reached the next page */
} TranslateCtx;

/*
 * Translates the page of a linear code address; raises #PF (at the
 * instruction being decoded, which is the one about to run) if needed.
 */
static hwaddr code_page(CPUX86State *env, uint64_t vaddr, const uint8_t **host)
{
    int mmu_idx = cpu_mmu_index(env);
    CPUTLBEntry *e = tlb_entry(env, mmu_idx, vaddr);
    CPUTLBExtra *x;

    if (e->addr_code != (vaddr & ~0xfffull) &&
        !tlb_victim_fill(env, mmu_idx, vaddr, PAGE_EXEC)) {
        x86_tlb_fill(env, vaddr, MMU_INST_FETCH, mmu_idx);
    }
    x = &env->tlb_extra[mmu_idx][(vaddr >> 12) & (TLB_SIZE - 1)];
    *host = e->addr_code == (vaddr & ~0xfffull)
                ? (const uint8_t *)(e->addend + (vaddr & ~0xfffull))
                : NULL;
    return x->phys;
}

static uint8_t translate_fetch(void *opaque, uint64_t addr)
{
    TranslateCtx *t = opaque;
    uint64_t page = addr & ~0xfffull;

    if (page == t->page_vaddr) {
        return t->host ? t->host[addr & 0xfff]
                       : address_space_read_sized(&address_space_memory,
                                                  t->phys + (addr & 0xfff), 1);
    }
    if (!t->first_insn) {
        /* Not ours to fetch: end the block before this instruction. */
        t->crossed = true;
        return 0x90;
    }
    if (page != t->page2_vaddr) {
        t->phys2 = code_page(t->env, page, &t->host2);
        t->page2_vaddr = page;
    }
    return t->host2 ? t->host2[addr & 0xfff]
                    : address_space_read_sized(&address_space_memory,
                                               t->phys2 + (addr & 0xfff), 1);
}

static TranslationBlock *tb_translate(CPUX86State *env, uint64_t pc,
                                      uint32_t flags)
{
    TranslateCtx t = { .env = env, .page2_vaddr = -1, .phys2 = -1 };
    DecodedInsn insns[TB_MAX_INSNS];
    int n = 0, max = (flags & HF_TF_MASK) ? 1 : TB_MAX_INSNS;
    uint64_t cur = pc;
    TranslationBlock *tb;

    t.page_vaddr = pc & ~0xfffull;
    t.phys = code_page(env, pc, &t.host);
    while (n < max) {
        DecodedInsn *d = &insns[n];

        t.first_insn = n == 0;
        t.crossed = false;
        x86_decode(d, cur, env->hflags, translate_fetch, &t);
        if (t.crossed) {
            break; /* this insn straddles the page: its own block */
        }
        n++;
        cur += d->len;
        if ((d->flags & INSN_END_TB) || (cur & ~0xfffull) != t.page_vaddr ||
            t.page2_vaddr != (uint64_t)-1) {
            break;
        }
    }
    tb = arena_alloc(sizeof(*tb) + n * sizeof(DecodedInsn));
    tb->phys_pc = t.phys | (pc & 0xfff);
    tb->phys_page2 = t.page2_vaddr != (uint64_t)-1 ? t.phys2 : (hwaddr)-1;
    tb->pc = pc;
    tb->cs_base = env->segs[R_CS].base;
    tb->flags = flags;
    tb->valid = true;
    tb->cached = t.host != NULL && (tb->phys_page2 == (hwaddr)-1 || t.host2);
    tb->n_insns = n;
    tb->size = cur - pc;
    tb->jmp_next[0] = tb->jmp_next[1] = NULL;
    tb->jit = NULL;
    tb->exec_count = 0;
    memcpy(tb->insns, insns, n * sizeof(DecodedInsn));
    tb_stats.translated++;

    if (tb->cached) {
        unsigned h = tb_hash_func(tb->phys_pc, flags);

        tb->hash_next = tb_hash[h];
        tb_hash[h] = tb;
        page_add_tb(t.phys, tb);
        if (tb->phys_page2 != (hwaddr)-1) {
            page_add_tb(tb->phys_page2, tb);
        }
        /* Writes to the page must now take the slow path. */
        tlb_protect_code(env, t.phys);
        if (tb->phys_page2 != (hwaddr)-1) {
            tlb_protect_code(env, tb->phys_page2);
        }
    }
    if (qemu_loglevel_mask(CPU_LOG_TB_IN_ASM)) {
        GString *s = g_string_new(NULL);
        uint64_t a = pc;

        g_string_append_printf(
            s, "IN: %016" PRIx64 " (phys %" HWADDR_PRIx ")\n", pc, tb->phys_pc);
        for (int i = 0; i < n; i++) {
            x86_disas(s, &tb->insns[i], a);
            a += tb->insns[i].len;
        }
        qemu_log("%s\n", s->str);
        g_string_free(s, TRUE);
    }
    return tb;
}

TranslationBlock *tb_lookup(CPUX86State *env)
{
    uint64_t cs_base = env->segs[R_CS].base;
    uint64_t pc = cs_base + env->eip;
    uint32_t flags = env->hflags & HF_TB_MASK;
    unsigned jh;
    TranslationBlock *tb;
    const uint8_t *host;
    hwaddr phys;

    if (!(env->hflags & HF_CS64_MASK)) {
        pc = (uint32_t)pc;
    }
    jh = jmp_cache_hash(pc);
    tb = tb_jmp_cache[jh];
    if (likely(tb && tb->pc == pc && tb->flags == flags &&
               tb->cs_base == cs_base)) {
        return tb;
    }
    phys = code_page(env, pc, &host) | (pc & 0xfff);
    for (tb = tb_hash[tb_hash_func(phys, flags)]; tb; tb = tb->hash_next) {
        if (tb->phys_pc == phys && tb->flags == flags) {
            if (tb->phys_page2 != (hwaddr)-1) {
                /* The straddling insn: its second page must match too. */
                const uint8_t *h2;
                hwaddr p2 = code_page(env, (pc & ~0xfffull) + 0x1000, &h2);
                if (p2 != tb->phys_page2) {
                    continue;
                }
            }
            break;
        }
    }
    if (!tb) {
        tb = tb_translate(env, pc, flags);
    }
    /* The jump cache keys on the linear PC: remember this one. */
    if (tb->cached) {
        if (tb->pc != pc || tb->cs_base != cs_base) {
            /* Another alias of the same code: make the cache hit. */
            tb->pc = pc;
            tb->cs_base = cs_base;
        }
        tb_jmp_cache[jh] = tb;
    }
    return tb;
}
