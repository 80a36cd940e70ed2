/* block_ata_dma.c - ATA bus-master DMA through the PIIX IDE function (82371SB datasheet,
 * "Bus Master IDE"; the same register block is in every SFF-8038i compatible controller).
 *
 * The controller's BAR4 holds 16 I/O ports, 8 per channel; the primary channel's are:
 *   +0 command: bit 0 start/stop, bit 3 direction (1 = the controller WRITES memory, i.e. a
 *      disk read)
 *   +2 status:  bit 0 active, bit 1 error, bit 2 interrupt (bits 1-2 are write-1-to-clear)
 *   +4 the physical address of the PRD table (physical region descriptors): 8-byte entries of
 *      { u32 buffer address, u16 byte count (0 = 64 KiB), u16 flags (bit 15 = last entry) };
 *      the table is dword aligned and must not cross a 64 KiB boundary, and neither may the
 *      memory an entry describes.
 * One command: load the PRD table, set the direction, issue READ/WRITE DMA to the drive, set
 * start; the controller moves the data and the drive raises IRQ 14 when the command is done. */
#include "../runtime/interrupts.h"
#include "../runtime/pci.h"
#include "../runtime/pvx.h"
#include "../runtime/rt.h"
#include "ata.h"
#include "block.h"

#define PIIX_VENDOR 0x8086
#define PIIX3_IDE 0x7010
#define PIIX4_IDE 0x7111
#define PIIX_BMIBA 0x20     /* BAR4: bus-master I/O base */
#define PIIX_IDETIM 0x40    /* primary channel timing; bit 15 = decode the channel's ports */
#define DEFAULT_BM_BASE 0xC000

#define BM_COMMAND 0
#define BM_STATUS 2
#define BM_PRDT 4
#define BM_CMD_START 0x01
#define BM_CMD_TO_MEMORY 0x08
#define BM_ST_ACTIVE 0x01
#define BM_ST_ERROR 0x02
#define BM_ST_IRQ 0x04
#define BM_ST_DRIVE0_DMA 0x20 /* "drive 0 is DMA capable": informational, kept set */

#define PRD_LAST 0x8000u
#define PRD_ENTRIES 8 /* 128 KiB (ATA_MAX_SECTORS) needs at most 3 */

struct prd {
    uint32_t addr;
    uint16_t bytes;
    uint16_t flags;
};
/* 64 bytes aligned to 64: the table can never cross a 64 KiB boundary. */
static struct prd prd_table[PRD_ENTRIES] __attribute__((aligned(64)));

static uint16_t bm; /* bus-master base of the primary channel */
static bool ready;
static volatile bool irq_seen;

static void ata_dma_irq(unsigned irq) {
    (void)irq;
    irq_seen = true; /* the waiting code checks the controller and acknowledges the drive */
}

static bool dma_init(void) {
    if (ready) return true;
    if (!ata_probe()) return false;
    struct pci_fn ide;
    if (!pci_find(PIIX_VENDOR, PIIX3_IDE, &ide) && !pci_find(PIIX_VENDOR, PIIX4_IDE, &ide)) return false;
    uint32_t bar = pci_read32(ide, PIIX_BMIBA);
    if (!(bar & 1)) return false; /* must be an I/O BAR */
    bm = (uint16_t)(bar & 0xFFF0);
    if (bm == 0) {
        /* Firmware assigns BARs; a kernel loaded directly (pvx --kernel) may find BAR4 still
         * unassigned. Then take a port range nothing else on a PC uses. */
        pci_write32(ide, PIIX_BMIBA, DEFAULT_BM_BASE);
        bm = (uint16_t)(pci_read32(ide, PIIX_BMIBA) & 0xFFF0);
        if (bm == 0) return false;
    }
    uint16_t cmd = pci_read16(ide, PCI_COMMAND);
    if ((cmd & (PCI_COMMAND_IO | PCI_COMMAND_BUS_MASTER)) != (PCI_COMMAND_IO | PCI_COMMAND_BUS_MASTER))
        pci_write16(ide, PCI_COMMAND, cmd | PCI_COMMAND_IO | PCI_COMMAND_BUS_MASTER);
    uint16_t tim = pci_read16(ide, PIIX_IDETIM);
    if (!(tim & 0x8000)) pci_write16(ide, PIIX_IDETIM, tim | 0x8000);
    /* A real drive would also want SET FEATURES (transfer mode) before DMA; emulated drives
     * accept DMA commands without it, and nothing here depends on the mode. */
    irq_set_handler(14, ata_dma_irq);
    ready = true;
    return true;
}

static uint64_t dma_size(void) { return ata_drive.sectors; }

/* Describes buf[0..bytes) as PRD entries, split at 64 KiB boundaries. */
static int build_prd(uint8_t *buf, uint32_t bytes) {
    uint64_t pa = virt_to_phys(buf);
    if ((pa & 1) || pa + bytes > 0x100000000ull) return -PVX_EINVAL; /* 32-bit, word aligned */
    int n = 0;
    while (bytes) {
        uint32_t room = 0x10000 - (uint32_t)(pa & 0xFFFF); /* up to the next 64 KiB boundary */
        uint32_t len = bytes < room ? bytes : room;
        if (n == PRD_ENTRIES) return -PVX_EINVAL;
        prd_table[n].addr = (uint32_t)pa;
        prd_table[n].bytes = (uint16_t)len; /* 0x10000 wraps to 0, which means 64 KiB */
        prd_table[n].flags = 0;
        ++n;
        pa += len;
        bytes -= len;
    }
    prd_table[n - 1].flags = PRD_LAST;
    return 0;
}

static int dma_command(bool write, uint64_t lba, uint32_t count, uint8_t *buf) {
    int r = build_prd(buf, count * SECTOR_SIZE);
    if (r) return r;
    uint8_t dir = write ? 0 : BM_CMD_TO_MEMORY;
    ata_irq_enable(true);
    outb(bm + BM_COMMAND, dir); /* stopped (start bit clear), direction set */
    outl(bm + BM_PRDT, (uint32_t)virt_to_phys(prd_table));
    outb(bm + BM_STATUS, BM_ST_DRIVE0_DMA | BM_ST_ERROR | BM_ST_IRQ); /* clear error and irq */
    irq_seen = false;
    r = write ? ata_issue(ATA_CMD_WRITE_DMA, ATA_CMD_WRITE_DMA_EXT, lba, count)
              : ata_issue(ATA_CMD_READ_DMA, ATA_CMD_READ_DMA_EXT, lba, count);
    if (r) return r;
    outb(bm + BM_COMMAND, dir | BM_CMD_START);

    /* Sleep until IRQ 14. The check and the HLT happen with interrupts off, and STI;HLT
     * re-enables them atomically, so an IRQ arriving in between still wakes us. An IRQ whose
     * controller status shows no interrupt is stale (raised while the line was masked) and is
     * ignored. */
    struct rt_deadline d = rt_deadline_ms(5000);
    uint8_t bst;
    for (;;) {
        cli();
        if (irq_seen) {
            irq_seen = false;
            sti();
            bst = inb(bm + BM_STATUS);
            if (bst & BM_ST_IRQ) break;
            continue;
        }
        if (rt_deadline_passed(&d)) {
            sti();
            outb(bm + BM_COMMAND, 0);
            return -PVX_EIO;
        }
        sti_hlt();
    }
    outb(bm + BM_COMMAND, dir);                                        /* stop */
    uint8_t st = inb(ATA_STATUS);                                      /* acknowledges INTRQ */
    outb(bm + BM_STATUS, BM_ST_DRIVE0_DMA | BM_ST_ERROR | BM_ST_IRQ); /* clear for next time */
    if ((bst & BM_ST_ERROR) || (st & (ATA_SR_ERR | ATA_SR_DF | ATA_SR_BSY))) return -PVX_EIO;
    return 0;
}

static int dma_submit(const struct block_req *reqs, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        const struct block_req *q = &reqs[i];
        uint8_t *buf = q->buf;
        for (uint32_t done = 0; done < q->sectors;) {
            uint32_t count = q->sectors - done < ATA_MAX_SECTORS ? q->sectors - done : ATA_MAX_SECTORS;
            int r = dma_command(q->write, q->lba + done, count, buf + (uint64_t)done * SECTOR_SIZE);
            if (r) return r;
            done += count;
        }
    }
    return 0;
}

const struct block_dev block_ata_dma = {"ata-dma", dma_init, dma_size, dma_submit};
