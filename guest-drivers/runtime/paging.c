/* paging.c - see paging.h. */
#include "paging.h"

#include "rt.h"

extern uint64_t boot_pml4[512], boot_pdpt[512], boot_pd[4 * 512]; /* boot.asm */

#define GIB (1024ull * MIB)
#define LARGE (2 * MIB)

static uint64_t *region_pd; /* the page directory of the region (its 512 entries -> page tables) */
static uint64_t region_reserved; /* pages with page tables */

static uint64_t *new_table(void) { return phys_alloc(PAGE_SIZE, PAGE_SIZE); /* zeroed */ }

static bool inside_ram(const struct mem_range *ram, size_t n, uint64_t base, uint64_t len) {
    for (size_t i = 0; i < n; ++i)
        if (base >= ram[i].base && base + len <= ram[i].base + ram[i].len) return true;
    return false;
}

void paging_init(const struct mem_range *ram, size_t n) {
    /* 1. RAM above 4 GiB (up to 512 GiB, all of PML4 slot 0): more 2 MiB pages. */
    for (size_t i = 0; i < n; ++i) {
        uint64_t end = ram[i].base + ram[i].len;
        if (end > 512 * GIB) end = 512 * GIB;
        for (uint64_t a = ram[i].base & ~(LARGE - 1); a < end; a += LARGE) {
            if (a < 4 * GIB) continue;
            uint64_t *pdpte = &boot_pdpt[a / GIB];
            if (!(*pdpte & PTE_P)) *pdpte = virt_to_phys(new_table()) | PTE_P | PTE_W;
            uint64_t *pd = phys_to_virt(*pdpte & PTE_ADDR_MASK);
            pd[(a / LARGE) % 512] = a | PTE_P | PTE_W | PTE_PS;
        }
    }
    /* 2. Below 4 GiB, a 2 MiB page that is not entirely RAM holds devices (the PCI hole, the
     * APICs, the firmware ROM): map it uncacheable, as real hardware requires for MMIO. The
     * first 2 MiB stay write-back: the kernel runs there (the legacy VGA/ROM hole at
     * 0xA0000-0xFFFFF is only touched through port I/O here). */
    for (uint64_t i = 1; i < 4 * 512; ++i)
        if (!inside_ram(ram, n, i * LARGE, LARGE)) boot_pd[i] |= PTE_PCD | PTE_PWT;
    /* 3. The region: PML4[1] -> PDPT -> one page directory; page tables come with reserve. */
    uint64_t *pdpt = new_table();
    region_pd = new_table();
    pdpt[0] = virt_to_phys(region_pd) | PTE_P | PTE_W;
    boot_pml4[PG_REGION_BASE >> 39] = virt_to_phys(pdpt) | PTE_P | PTE_W;
    write_cr3(read_cr3()); /* flush everything: cache attributes changed */
}

bool pg_region_reserve(uint64_t pages) {
    if (pages > PG_REGION_MAX_PAGES) return false;
    for (uint64_t t = region_reserved / 512; t < (pages + 511) / 512; ++t)
        region_pd[t] = virt_to_phys(new_table()) | PTE_P | PTE_W;
    if (pages > region_reserved) region_reserved = ALIGN_UP(pages, 512);
    return true;
}

uint64_t *pg_region_pte(uint64_t va) {
    if (va < PG_REGION_BASE) return NULL;
    uint64_t index = (va - PG_REGION_BASE) / PAGE_SIZE;
    if (index >= region_reserved) return NULL;
    uint64_t *pt = phys_to_virt(region_pd[index / 512] & PTE_ADDR_MASK);
    return &pt[index % 512];
}

void pg_map(uint64_t va, uint64_t pa, uint64_t flags) {
    uint64_t *pte = pg_region_pte(va);
    if (!pte) panic("pg_map: 0x%llx is outside the reserved region", (unsigned long long)va);
    uint64_t old = *pte;
    *pte = (pa & PTE_ADDR_MASK) | flags | PTE_P;
    if (old & PTE_P) invlpg(va);
}

void pg_unmap(uint64_t va) {
    uint64_t *pte = pg_region_pte(va);
    if (!pte) panic("pg_unmap: 0x%llx is outside the reserved region", (unsigned long long)va);
    uint64_t old = *pte;
    *pte = 0;
    if (old & PTE_P) invlpg(va);
}
