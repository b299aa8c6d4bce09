/*
 * Page-table builders: 32-bit paging with 4 KiB and 4 MiB (PSE) pages and
 * PAE paging (SDM Vol. 3A 4.3 and 4.4).  Tables come from a bump
 * allocator over RAM from 16 MiB to 48 MiB, identity mapped like the rest.
 */
#include "guest.h"

#define ALLOC_START 0x01000000u
#define ALLOC_END   0x03000000u
static uint32_t alloc_next = ALLOC_START;

void *page_alloc(void)
{
    if (alloc_next >= ALLOC_END) {
        report(false, "page_alloc: out of pages");
        test_exit();
    }
    void *p = (void *)alloc_next;
    alloc_next += 4096;
    memset(p, 0, 4096);
    return p;
}

uint32_t *pt32_pte(uint32_t *pd, uint32_t va)
{
    uint32_t *pde = &pd[va >> 22];
    if (!(*pde & PTE_P) || (*pde & PTE_PS)) {
        *pde = (uint32_t)page_alloc() | PTE_P | PTE_W | PTE_U;
    }
    uint32_t *pt = (uint32_t *)(*pde & ~0xFFFu);
    return &pt[(va >> 12) & 0x3FF];
}

void pt32_map(uint32_t *pd, uint32_t va, uint32_t pa, uint32_t flags)
{
    *pt32_pte(pd, va) = (pa & ~0xFFFu) | flags;
}

void pt32_map_4m(uint32_t *pd, uint32_t va, uint32_t pa, uint32_t flags)
{
    pd[va >> 22] = (pa & 0xFFC00000u) | flags | PTE_PS;
}

uint32_t *pt32_identity(unsigned mb, bool big)
{
    uint32_t *pd = page_alloc();
    for (uint32_t a = 0; a < (uint32_t)mb << 20; a += big ? 0x400000 : 0x1000) {
        if (big) {
            pt32_map_4m(pd, a, a, PTE_P | PTE_W | PTE_U);
        } else {
            pt32_map(pd, a, a, PTE_P | PTE_W | PTE_U);
        }
    }
    return pd;
}

/* The PDPT is 32 bytes; take a whole page so it is aligned. */
uint64_t *pae_pde(uint64_t *pdpt, uint32_t va)
{
    uint64_t *e = &pdpt[va >> 30];
    if (!(*e & PTE_P)) {
        *e = (uint32_t)page_alloc() | PTE_P; /* PDPTEs: no R/W, U/S */
    }
    uint64_t *pd = (uint64_t *)(uint32_t)(*e & ~0xFFFull);
    return &pd[(va >> 21) & 0x1FF];
}

uint64_t *pae_pte(uint64_t *pdpt, uint32_t va)
{
    uint64_t *pde = pae_pde(pdpt, va);
    if (!(*pde & PTE_P) || (*pde & PTE_PS)) {
        *pde = (uint32_t)page_alloc() | PTE_P | PTE_W | PTE_U;
    }
    uint64_t *pt = (uint64_t *)(uint32_t)(*pde & ~0xFFFull);
    return &pt[(va >> 12) & 0x1FF];
}

void pae_map(uint64_t *pdpt, uint32_t va, uint64_t pa, uint64_t flags)
{
    *pae_pte(pdpt, va) = (pa & ~0xFFFull) | flags;
}

uint64_t *pae_identity(unsigned mb, bool big)
{
    uint64_t *pdpt = page_alloc();
    for (uint32_t a = 0; a < (uint32_t)mb << 20; a += big ? 0x200000 : 0x1000) {
        if (big) {
            *pae_pde(pdpt, a) = a | PTE_P | PTE_W | PTE_U | PTE_PS;
        } else {
            pae_map(pdpt, a, a, PTE_P | PTE_W | PTE_U);
        }
    }
    return pdpt;
}

void paging_enable(uint32_t cr3, uint32_t cr4_set)
{
    write_cr4((read_cr4() & ~(CR4_PSE | CR4_PAE | CR4_PGE)) | cr4_set);
    write_cr3(cr3);
    write_cr0(read_cr0() | CR0_PG);
}

void paging_disable(void)
{
    write_cr0(read_cr0() & ~CR0_PG);
    write_cr4(read_cr4() & ~(CR4_PSE | CR4_PAE | CR4_PGE));
}
