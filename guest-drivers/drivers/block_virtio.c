/* block_virtio.c - virtio-blk (virtio 1.2 §5.2) through the modern PCI transport, polled.
 * A batch of n requests becomes n descriptor chains (header, data, status) published together
 * and one notification: one MMIO write per submit() in the steady state, whatever n is. */
#include "../runtime/pvx.h"
#include "../runtime/rt.h"
#include "block.h"
#include "virtio_pci.h"

#define VIRTIO_BLK_PCI 0x1001
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define MAX_BATCH 64u /* 3 descriptors each: a 256-entry queue holds 85 */
#define MAX_SEGMENT_BYTES (1u << 20)

struct blk_hdr {
    uint32_t type, reserved;
    uint64_t sector;
};

static struct virtio_dev dev;
static struct virtq vq;
static struct blk_hdr *hdrs;
static volatile uint8_t *statuses;
static uint64_t capacity;
static bool ready;

static bool vblk_init(void) {
    if (ready) return true;
    if (!virtio_open(VIRTIO_BLK_PCI, &dev) || !dev.devcfg) return false;
    if (!virtio_queue(&dev, 0, 256, &vq) || vq.size < 3 * MAX_BATCH) return false;
    capacity = *(volatile uint64_t *)dev.devcfg; /* §5.2.4 capacity, 512-byte sectors */
    hdrs = phys_alloc(sizeof(struct blk_hdr) * MAX_BATCH, 64);
    statuses = phys_alloc(MAX_BATCH, 64);
    virtio_ready(&dev);
    ready = true;
    return true;
}

static uint64_t vblk_size(void) { return capacity; }

static int vblk_submit(const struct block_req *reqs, size_t n) {
    uint16_t heads[MAX_BATCH];
    while (n) {
        unsigned batch = n < MAX_BATCH ? (unsigned)n : MAX_BATCH;
        for (unsigned i = 0; i < batch; ++i) {
            const struct block_req *r = &reqs[i];
            uint64_t bytes = (uint64_t)r->sectors * SECTOR_SIZE;
            if (bytes > MAX_SEGMENT_BYTES) return -PVX_EINVAL;
            uint16_t d = (uint16_t)(3 * i);
            hdrs[i] = (struct blk_hdr){r->write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, 0, r->lba};
            statuses[i] = 0xFF;
            vq.desc[d] = (struct virtq_desc){virt_to_phys(&hdrs[i]), sizeof hdrs[i], VIRTQ_DESC_F_NEXT, (uint16_t)(d + 1)};
            vq.desc[d + 1] = (struct virtq_desc){virt_to_phys(r->buf), (uint32_t)bytes,
                                                 (uint16_t)(VIRTQ_DESC_F_NEXT | (r->write ? 0 : VIRTQ_DESC_F_WRITE)),
                                                 (uint16_t)(d + 2)};
            vq.desc[d + 2] = (struct virtq_desc){virt_to_phys((const void *)&statuses[i]), 1, VIRTQ_DESC_F_WRITE, 0};
            heads[i] = d;
        }
        if (!virtq_run(&dev, &vq, heads, batch)) return -PVX_EIO;
        for (unsigned i = 0; i < batch; ++i)
            if (statuses[i] != 0) return -PVX_EIO;
        reqs += batch;
        n -= batch;
    }
    return 0;
}

const struct block_dev block_virtio = {"virtio", vblk_init, vblk_size, vblk_submit};
