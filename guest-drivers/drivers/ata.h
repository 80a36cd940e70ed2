/* ata.h - what the ATA PIO and DMA drivers share: the primary channel's task-file registers,
 * IDENTIFY, status polling and command issue (ATA/ATAPI-8 ACS, ATA8-APT for the registers). */
#ifndef DRV_ATA_H
#define DRV_ATA_H

#include <stdbool.h>
#include <stdint.h>

/* Primary channel, legacy ISA addresses (IRQ 14). */
#define ATA_IO 0x1F0
#define ATA_DATA (ATA_IO + 0)     /* 16-bit data port */
#define ATA_ERROR (ATA_IO + 1)    /* read: error; write: features */
#define ATA_COUNT (ATA_IO + 2)    /* sector count */
#define ATA_LBA0 (ATA_IO + 3)     /* LBA bits 7:0 (and 31:24 as the "previous" LBA48 byte) */
#define ATA_LBA1 (ATA_IO + 4)     /* LBA bits 15:8 (39:32) */
#define ATA_LBA2 (ATA_IO + 5)     /* LBA bits 23:16 (47:40) */
#define ATA_DEVICE (ATA_IO + 6)   /* bit 6 = LBA, bit 4 = drive; LBA28 bits 27:24 in 3:0 */
#define ATA_STATUS (ATA_IO + 7)   /* read: status (reading it acknowledges INTRQ); write: command */
#define ATA_COMMAND ATA_STATUS
#define ATA_CONTROL 0x3F6         /* write: device control; read: alternate status (no ack) */

#define ATA_SR_ERR 0x01
#define ATA_SR_DRQ 0x08
#define ATA_SR_DF 0x20
#define ATA_SR_DRDY 0x40
#define ATA_SR_BSY 0x80
#define ATA_CTL_NIEN 0x02 /* device control: mask INTRQ */

#define ATA_CMD_READ_SECTORS 0x20
#define ATA_CMD_READ_SECTORS_EXT 0x24
#define ATA_CMD_WRITE_SECTORS 0x30
#define ATA_CMD_WRITE_SECTORS_EXT 0x34
#define ATA_CMD_READ_DMA 0xC8
#define ATA_CMD_READ_DMA_EXT 0x25
#define ATA_CMD_WRITE_DMA 0xCA
#define ATA_CMD_WRITE_DMA_EXT 0x35
#define ATA_CMD_IDENTIFY 0xEC

/* Sectors per command: the LBA28 limit (count 0 = 256), also used for LBA48 commands here. */
#define ATA_MAX_SECTORS 256u

struct ata_drive {
    bool present;
    bool lba48;       /* the drive supports the 48-bit commands */
    uint64_t sectors; /* capacity */
    char model[41];
};
extern struct ata_drive ata_drive;

/* Tests set this to use the 48-bit (EXT) commands even where a 28-bit command would do. */
extern bool ata_force_lba48;

/* IDENTIFY DEVICE on the primary master (once); false if there is no ATA disk there. */
bool ata_probe(void);
/* Device control nIEN: whether the drive may raise IRQ 14 (the DMA driver wants it, the PIO
 * driver polls and keeps it masked). Writes the register only when the setting changes. */
void ata_irq_enable(bool on);
/* Polls STATUS until BSY clears (and, with want_drq, DRQ sets). 0, or -PVX_EIO on ERR/DF or
 * after 5 s. */
int ata_wait(bool want_drq);
/* Waits until the drive is idle, then loads the task file for `count` (1..256) sectors at
 * `lba` and writes the command: cmd28 for LBA28, cmd48 (the EXT form) when the range needs 48
 * bits or ata_force_lba48 is set. -PVX_EINVAL if the range is beyond what the drive supports. */
int ata_issue(uint8_t cmd28, uint8_t cmd48, uint64_t lba, uint32_t count);

#endif
