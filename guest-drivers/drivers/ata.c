/* ata.c - see ata.h. */
#include "ata.h"

#include "../runtime/interrupts.h"
#include "../runtime/pvx.h"
#include "../runtime/rt.h"

struct ata_drive ata_drive;
bool ata_force_lba48;
static bool probed;
static int irq_setting = -1; /* last value written to nIEN: -1 unknown, 0 masked, 1 enabled */

void ata_irq_enable(bool on) {
    if (irq_setting == (int)on) return;
    outb(ATA_CONTROL, on ? 0 : ATA_CTL_NIEN);
    irq_setting = on;
}

static int wait_status(uint8_t mask, uint8_t want, bool stop_on_error) {
    struct rt_deadline d = rt_deadline_ms(5000);
    for (;;) {
        uint8_t st = inb(ATA_STATUS);
        if (!(st & ATA_SR_BSY)) {
            if (stop_on_error && (st & (ATA_SR_ERR | ATA_SR_DF))) return -PVX_EIO;
            if ((st & mask) == want) return 0;
        }
        if (rt_deadline_passed(&d)) return -PVX_EIO;
    }
}

int ata_wait(bool want_drq) { return wait_status(ATA_SR_DRQ, want_drq ? ATA_SR_DRQ : 0, true); }

bool ata_probe(void) {
    if (probed) return ata_drive.present;
    probed = true;
    ata_irq_enable(false);
    outb(ATA_DEVICE, 0xA0); /* select the master */
    inb(ATA_CONTROL);       /* the 400 ns the drive may take to show its status */
    uint8_t st = inb(ATA_STATUS);
    if (st == 0xFF) return false; /* floating bus: no controller */
    outb(ATA_COUNT, 0);
    outb(ATA_LBA0, 0);
    outb(ATA_LBA1, 0);
    outb(ATA_LBA2, 0);
    outb(ATA_COMMAND, ATA_CMD_IDENTIFY);
    inb(ATA_CONTROL);
    if (inb(ATA_STATUS) == 0) return false; /* no drive */
    if (wait_status(0, 0, false)) return false;
    /* An ATAPI (or SATA) device aborts IDENTIFY DEVICE and leaves its signature in LBA1/LBA2. */
    if (inb(ATA_LBA1) || inb(ATA_LBA2)) return false;
    if (ata_wait(true)) return false;
    uint16_t id[256];
    insw(ATA_DATA, id, 256);

    /* IDENTIFY data (ACS): words 60-61 = LBA28 capacity; word 83 bit 10 = 48-bit feature set;
     * words 100-103 = LBA48 capacity; words 27-46 = model, two characters per word, first one
     * in the high byte. */
    ata_drive.sectors = (uint64_t)id[60] | (uint64_t)id[61] << 16;
    ata_drive.lba48 = (id[83] & (1u << 10)) != 0;
    if (ata_drive.lba48) {
        uint64_t s = (uint64_t)id[100] | (uint64_t)id[101] << 16 | (uint64_t)id[102] << 32 | (uint64_t)id[103] << 48;
        if (s) ata_drive.sectors = s;
    }
    for (int i = 0; i < 20; ++i) {
        ata_drive.model[2 * i] = (char)(id[27 + i] >> 8);
        ata_drive.model[2 * i + 1] = (char)id[27 + i];
    }
    for (int i = 39; i >= 0 && ata_drive.model[i] == ' '; --i) ata_drive.model[i] = '\0';
    ata_drive.present = ata_drive.sectors != 0;
    return ata_drive.present;
}

int ata_issue(uint8_t cmd28, uint8_t cmd48, uint64_t lba, uint32_t count) {
    if (count == 0 || count > ATA_MAX_SECTORS || lba > ata_drive.sectors || count > ata_drive.sectors - lba)
        return -PVX_EINVAL;
    bool lba48 = ata_force_lba48 || lba + count > (1u << 28);
    if (lba48 && !ata_drive.lba48) return -PVX_EINVAL;
    /* The task file may only be written while the drive is neither busy nor transferring. */
    if (wait_status(ATA_SR_DRQ, 0, false)) return -PVX_EIO;
    if (lba48) {
        /* Each register is a two-deep FIFO: first the high ("previous") bytes, then the low. */
        outb(ATA_DEVICE, 0x40);
        outb(ATA_COUNT, (uint8_t)(count >> 8));
        outb(ATA_LBA0, (uint8_t)(lba >> 24));
        outb(ATA_LBA1, (uint8_t)(lba >> 32));
        outb(ATA_LBA2, (uint8_t)(lba >> 40));
        outb(ATA_COUNT, (uint8_t)count);
        outb(ATA_LBA0, (uint8_t)lba);
        outb(ATA_LBA1, (uint8_t)(lba >> 8));
        outb(ATA_LBA2, (uint8_t)(lba >> 16));
        outb(ATA_COMMAND, cmd48);
    } else {
        outb(ATA_DEVICE, (uint8_t)(0xE0 | ((lba >> 24) & 0x0F)));
        outb(ATA_COUNT, (uint8_t)count); /* 256 is written as 0 */
        outb(ATA_LBA0, (uint8_t)lba);
        outb(ATA_LBA1, (uint8_t)(lba >> 8));
        outb(ATA_LBA2, (uint8_t)(lba >> 16));
        outb(ATA_COMMAND, cmd28);
    }
    return 0;
}
