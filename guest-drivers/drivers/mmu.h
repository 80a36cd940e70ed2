/* mmu.h - page-table maintenance in the runtime's dedicated region (runtime/paging.h).
 *   mmu_native  the CPU writes each PTE and executes INVLPG for a translation that was present;
 *               pages are zeroed with REP STOSQ.
 *   mmu_pv      a list of { PTE address, value, linear address } goes to pvx in one escape
 *               (PVX_CALL_MMU_UPDATE), which stores every entry and invalidates the TLB entry;
 *               PVX_CALL_MMU_ZERO zeroes up to max_batch pages per escape. */
#ifndef DRV_MMU_H
#define DRV_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmu_update {
    uint64_t va;  /* a page in the region (4 KiB aligned) */
    uint64_t pte; /* the new entry: physical address | PTE_* flags, or 0 to unmap */
};

struct mmu_dev {
    const char *name;      /* "pte-invlpg" / "pv": the mmu-map-unmap benchmark path */
    const char *zero_name; /* "rep-stos" / "pv": the page-zero benchmark path */
    bool (*init)(void);    /* false = unavailable */
    /* Applies u[0..n-1] in order; each va at most once per call. 0 or -PVX_E*. The page tables
     * must exist (pg_region_reserve). */
    int (*update)(const struct mmu_update *u, size_t n);
    /* Zeroes `pages` 4 KiB pages of RAM starting at physical address pa (4 KiB aligned). */
    int (*zero)(uint64_t pa, uint64_t pages);
};

extern const struct mmu_dev mmu_native, mmu_pv;
const struct mmu_dev *mmu_choose(const char *force);

#endif
