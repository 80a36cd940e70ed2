/* paging.h - page-table helpers.
 *
 * The boot stub identity-maps 0..4 GiB with 2 MiB pages; paging_init() adds any RAM above
 * 4 GiB and marks the non-RAM 2 MiB pages below 4 GiB (device memory) uncacheable.
 *
 * Separately there is a dedicated "region" of linear addresses at PG_REGION_BASE (PML4 slot 1,
 * 512 GiB) mapped with ordinary 4 KiB pages. Nothing else lives there, so the MMU drivers and
 * the benchmark can map, touch and unmap pages in it without disturbing the identity map.
 * Its page tables are ordinary RAM pages from phys_alloc(), so their physical addresses are
 * what a PTE-update list for pvx (PVX_CALL_MMU_UPDATE) names. */
#ifndef RT_PAGING_H
#define RT_PAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PTE_P (1ull << 0)   /* present */
#define PTE_W (1ull << 1)   /* writable */
#define PTE_U (1ull << 2)   /* user */
#define PTE_PWT (1ull << 3) /* write-through */
#define PTE_PCD (1ull << 4) /* cache disable */
#define PTE_A (1ull << 5)   /* accessed (set by the CPU) */
#define PTE_D (1ull << 6)   /* dirty (set by the CPU) */
#define PTE_PS (1ull << 7)  /* large page (in a PD or PDPT entry) */
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000ull

#define PG_REGION_BASE 0x0000008000000000ull
#define PG_REGION_MAX_PAGES (512ull * 512ull) /* one page directory of page tables: 1 GiB */

struct mem_range {
    uint64_t base, len;
};

void paging_init(const struct mem_range *ram, size_t count);

static inline uint64_t pg_region_va(uint64_t page_index) { return PG_REGION_BASE + page_index * 4096u; }
/* Makes sure page tables exist for region pages 0 .. pages-1 (false: more than the region). */
bool pg_region_reserve(uint64_t pages);
/* The page-table entry that maps `va` (inside the reserved part of the region), or NULL. */
uint64_t *pg_region_pte(uint64_t va);
/* Map `va` to physical page `pa` with `flags` (PTE_P is added); INVLPG if a translation was
 * present before. Non-present entries are never cached by the TLB, so mapping a previously
 * unmapped page needs no invalidation (Intel SDM vol. 3, 4.10.2.3). */
void pg_map(uint64_t va, uint64_t pa, uint64_t flags);
/* Clear the entry for `va` and INVLPG it (when it was present). */
void pg_unmap(uint64_t va);

#endif
