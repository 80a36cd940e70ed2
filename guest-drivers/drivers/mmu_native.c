/* mmu_native.c - page tables the way hardware expects them: the CPU stores the entry, then
 * INVLPG drops a stale translation from the TLB. */
#include "../runtime/paging.h"
#include "../runtime/pvx.h"
#include "../runtime/rt.h"
#include "mmu.h"

static bool native_init(void) { return true; }

static int native_update(const struct mmu_update *u, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        uint64_t *pte = pg_region_pte(u[i].va);
        if (!pte) return -PVX_EINVAL;
        uint64_t old = *pte;
        *pte = u[i].pte;
        if (old & PTE_P) invlpg(u[i].va); /* non-present entries are never in the TLB */
    }
    return 0;
}

static int native_zero(uint64_t pa, uint64_t pages) {
    if (pa & (PAGE_SIZE - 1)) return -PVX_EINVAL;
    for (uint64_t p = 0; p < pages; ++p) {
        void *dst = phys_to_virt(pa + p * PAGE_SIZE);
        uint64_t qwords = PAGE_SIZE / 8;
        __asm__ volatile("rep stosq" : "+D"(dst), "+c"(qwords) : "a"(0ull) : "memory");
    }
    return 0;
}

const struct mmu_dev mmu_native = {"pte-invlpg", "rep-stos", native_init, native_update, native_zero};
