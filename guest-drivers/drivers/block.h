/* block.h - the block driver interface: disk 0 (the ATA primary master; pvx's PV block device 0
 * is the same disk image).
 *   block_ata_pio  ATA PIO: READ/WRITE SECTORS (EXT), status polling, 256 port I/Os (REP INSW /
 *                  REP OUTSW) per 512-byte sector.
 *   block_ata_dma  ATA bus-master DMA through the PIIX IDE function (PCI 8086:7010): a PRD table,
 *                  READ/WRITE DMA (EXT), completion by IRQ 14 - about 15 port I/Os per
 *                  command whatever its size.
 *   block_pv       PVX_CALL_BLOCK_RW: a list of requests, one escape per submit().
 * Requests are submitted in batches so that the PV driver can send a whole batch as one list;
 * the ATA drivers run them one command at a time, as the hardware does. */
#ifndef DRV_BLOCK_H
#define DRV_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SECTOR_SIZE 512u

struct block_req {
    bool write;       /* false: disk -> buf, true: buf -> disk */
    uint64_t lba;     /* first 512-byte sector */
    uint32_t sectors; /* > 0 */
    void *buf;        /* identity-mapped RAM; even address (DMA moves 16-bit words) */
};

struct block_dev {
    const char *name;        /* "ata-pio", "ata-dma", "pv": also the benchmark path name */
    bool (*init)(void);      /* probe and set up (idempotent); false = unavailable */
    uint64_t (*size)(void);  /* disk size in sectors (after a successful init) */
    /* Runs reqs[0..n-1] in order. Returns 0, or a negative PVX_E* error for the first request
     * that failed (the ones before it are done, the ones after it are not started). */
    int (*submit)(const struct block_req *reqs, size_t n);
};

extern const struct block_dev block_ata_pio, block_ata_dma, block_pv;
/* block_virtio  virtio-blk (PCI 1AF4:1001, modern interface), polled: a batch of requests is
 *               published as descriptor chains with one notification (block_virtio.c). Not in
 *               block_choose()'s preference list: benchmarks and tests name it. */
extern const struct block_dev block_virtio;

/* `force` names a driver; NULL or "auto" prefers pv, then ata-dma, then ata-pio. */
const struct block_dev *block_choose(const char *force);

/* One-request conveniences. */
int block_read(const struct block_dev *dev, uint64_t lba, uint32_t sectors, void *buf);
int block_write(const struct block_dev *dev, uint64_t lba, uint32_t sectors, const void *buf);

#endif
