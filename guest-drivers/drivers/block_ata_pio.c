/* block_ata_pio.c - ATA PIO data transfers: the CPU moves every 16-bit word through the data
 * port. Per sector: wait for DRQ, then 256 x IN (REP INSW) or OUT (REP OUTSW). */
#include "../runtime/pvx.h"
#include "../runtime/rt.h"
#include "ata.h"
#include "block.h"

static bool pio_init(void) { return ata_probe(); }
static uint64_t pio_size(void) { return ata_drive.sectors; }

static int pio_command(bool write, uint64_t lba, uint32_t count, uint8_t *buf) {
    ata_irq_enable(false); /* we poll */
    int r = write ? ata_issue(ATA_CMD_WRITE_SECTORS, ATA_CMD_WRITE_SECTORS_EXT, lba, count)
                  : ata_issue(ATA_CMD_READ_SECTORS, ATA_CMD_READ_SECTORS_EXT, lba, count);
    if (r) return r;
    inb(ATA_CONTROL); /* the 400 ns before STATUS is valid after a command */
    for (uint32_t s = 0; s < count; ++s, buf += SECTOR_SIZE) {
        if ((r = ata_wait(true))) return r; /* DRQ: the drive has (or wants) the next sector */
        if (write) outsw(ATA_DATA, buf, SECTOR_SIZE / 2);
        else insw(ATA_DATA, buf, SECTOR_SIZE / 2);
    }
    return ata_wait(false); /* done: not busy, no error (for a write: the data is taken) */
}

static int pio_submit(const struct block_req *reqs, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        const struct block_req *q = &reqs[i];
        uint8_t *buf = q->buf;
        for (uint32_t done = 0; done < q->sectors;) {
            uint32_t count = q->sectors - done < ATA_MAX_SECTORS ? q->sectors - done : ATA_MAX_SECTORS;
            int r = pio_command(q->write, q->lba + done, count, buf + (uint64_t)done * SECTOR_SIZE);
            if (r) return r;
            done += count;
        }
    }
    return 0;
}

const struct block_dev block_ata_pio = {"ata-pio", pio_init, pio_size, pio_submit};
