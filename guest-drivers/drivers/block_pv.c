/* block_pv.c - the disk through PVX_CALL_BLOCK_RW: submit() turns its requests into a list of
 * struct pvx_block_req in guest RAM and hands the whole list to pvx in one escape. pvx copies
 * the data between the disk image and the request buffers and writes each entry's status. */
#include "../runtime/pvx.h"
#include "../runtime/rt.h"
#include "block.h"

#define PV_BLOCK_LIST 64         /* entries per escape (also limited by pvx.max_batch) */
#define PV_BLOCK_MAX_SECTORS 2048u /* pvx takes at most 1 MiB per entry (its work budget) */

static struct pvx_block_req list[PV_BLOCK_LIST] __attribute__((aligned(8)));
static uint64_t disk_sectors;

static bool pv_block_init(void) {
    if (disk_sectors) return true;
    if (!pvx_has(PVX_FEAT_BLOCK)) return false;
    long r = pvx_call(PVX_CALL_BLOCK_INFO, 0 /* device */, 0, 0, 0);
    if (r <= 0) return false;
    disk_sectors = (uint64_t)r;
    return true;
}

static uint64_t pv_block_size(void) { return disk_sectors; }

/* Sends list[0..n-1]. */
static int send(size_t n) {
    uint64_t index = 0;
    long r = pvx_list_call(PVX_CALL_BLOCK_RW, virt_to_phys(list), n, &index);
    if (r < 0) return (int)r; /* entry `index` failed (its status says the same); later ones untouched */
    return (uint64_t)r == n ? 0 : -PVX_EIO;
}

static int pv_block_submit(const struct block_req *reqs, size_t n) {
    size_t cap = pvx.max_batch < PV_BLOCK_LIST ? pvx.max_batch : PV_BLOCK_LIST;
    size_t used = 0;
    for (size_t i = 0; i < n; ++i) {
        const struct block_req *q = &reqs[i];
        for (uint32_t done = 0; done < q->sectors;) {
            uint32_t count = q->sectors - done < PV_BLOCK_MAX_SECTORS ? q->sectors - done : PV_BLOCK_MAX_SECTORS;
            struct pvx_block_req *e = &list[used++];
            e->op = q->write ? PVX_BLOCK_WRITE : PVX_BLOCK_READ;
            e->status = 0;
            e->lba = q->lba + done;
            e->buffer = virt_to_phys((uint8_t *)q->buf + (uint64_t)done * SECTOR_SIZE);
            e->sectors = count;
            e->device = 0;
            done += count;
            if (used == cap) {
                int r = send(used);
                if (r) return r;
                used = 0;
            }
        }
    }
    return used ? send(used) : 0;
}

const struct block_dev block_pv = {"pv", pv_block_init, pv_block_size, pv_block_submit};
