/* mmu_pv.c - page-table maintenance by pvx: batches of PTE stores + INVLPGs in one escape
 * (PVX_CALL_MMU_UPDATE), page zeroing by the host (PVX_CALL_MMU_ZERO). */
#include "../runtime/paging.h"
#include "../runtime/pvx.h"
#include "../runtime/rt.h"
#include "mmu.h"

#define PV_MMU_LIST 512 /* entries per escape (also limited by pvx.max_batch) */
#define NO_FLUSH (~0ull) /* pvx_mmu_update.va: store only */

static struct pvx_mmu_update list[PV_MMU_LIST] __attribute__((aligned(8)));

static bool pv_mmu_init(void) { return pvx_has(PVX_FEAT_MMU); }

static int send(size_t n) {
    uint64_t index = 0;
    long r = pvx_list_call(PVX_CALL_MMU_UPDATE, virt_to_phys(list), n, &index);
    if (r < 0) return (int)r; /* entry `index` failed; the ones before it were applied */
    return (uint64_t)r == n ? 0 : -PVX_EIO;
}

static int pv_update(const struct mmu_update *u, size_t n) {
    size_t cap = pvx.max_batch < PV_MMU_LIST ? pvx.max_batch : PV_MMU_LIST;
    size_t used = 0;
    for (size_t i = 0; i < n; ++i) {
        uint64_t *pte = pg_region_pte(u[i].va);
        if (!pte) return -PVX_EINVAL;
        /* The same rule as the native driver: invalidate only a translation that was present.
         * Reading the old entry here is valid because a va appears once per update() call. */
        list[used].pte = virt_to_phys(pte);
        list[used].value = u[i].pte;
        list[used].va = (*pte & PTE_P) ? u[i].va : NO_FLUSH;
        if (++used == cap) {
            int r = send(used);
            if (r) return r;
            used = 0;
        }
    }
    return used ? send(used) : 0;
}

static int pv_zero(uint64_t pa, uint64_t pages) {
    while (pages) {
        uint64_t n = pages < pvx.max_batch ? pages : pvx.max_batch;
        /* RDX = 0: start at the first page; pvx continues by itself past its work budget. */
        long r = pvx_call(PVX_CALL_MMU_ZERO, pa, n, 0, 0);
        if (r < 0) return (int)r;
        if ((uint64_t)r != n) return -PVX_EIO;
        pa += n * PAGE_SIZE;
        pages -= n;
    }
    return 0;
}

const struct mmu_dev mmu_pv = {"pv", "pv", pv_mmu_init, pv_update, pv_zero};
