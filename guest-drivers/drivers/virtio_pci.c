/* virtio_pci.c - the modern virtio PCI transport for the guest drivers (see virtio_pci.h). */
#include "virtio_pci.h"

#include "../runtime/rt.h"

#define VIRTIO_VENDOR 0x1AF4
#define PCI_STATUS 0x06
#define PCI_CAP_PTR 0x34
#define PCI_CAP_VENDOR 0x09
#define DEFAULT_MMIO_BASE 0xE8000000u /* used only when firmware left BAR4 unassigned */

/* §4.1.4.3 common configuration offsets */
#define CC_DFSELECT 0x00
#define CC_DF 0x04
#define CC_GFSELECT 0x08
#define CC_GF 0x0C
#define CC_STATUS 0x14
#define CC_Q_SELECT 0x16
#define CC_Q_SIZE 0x18
#define CC_Q_ENABLE 0x1C
#define CC_Q_NOFF 0x1E
#define CC_Q_DESC 0x20
#define CC_Q_AVAIL 0x28
#define CC_Q_USED 0x30

#define ST_ACK 1
#define ST_DRIVER 2
#define ST_DRIVER_OK 4
#define ST_FEATURES_OK 8
#define ST_NEEDS_RESET 0x40

static inline void w8(volatile uint8_t *b, unsigned off, uint8_t v) { *(volatile uint8_t *)(b + off) = v; }
static inline void w16(volatile uint8_t *b, unsigned off, uint16_t v) { *(volatile uint16_t *)(b + off) = v; }
static inline void w32(volatile uint8_t *b, unsigned off, uint32_t v) { *(volatile uint32_t *)(b + off) = v; }
static inline uint8_t r8(volatile uint8_t *b, unsigned off) { return *(volatile uint8_t *)(b + off); }
static inline uint16_t r16(volatile uint8_t *b, unsigned off) { return *(volatile uint16_t *)(b + off); }
static inline uint32_t r32(volatile uint8_t *b, unsigned off) { return *(volatile uint32_t *)(b + off); }
static void w64(volatile uint8_t *b, unsigned off, uint64_t v) {
    w32(b, off, (uint32_t)v);
    w32(b, off + 4, (uint32_t)(v >> 32));
}

/* The base of memory BAR `bar` (assigning one if it reads 0). */
static uint64_t mem_bar(struct pci_fn f, unsigned bar) {
    uint8_t off = (uint8_t)(PCI_BAR0 + 4 * bar);
    uint32_t lo = pci_read32(f, off);
    bool is64 = (lo & 6) == 4;
    uint64_t base = (lo & ~0xFull) | (is64 ? (uint64_t)pci_read32(f, (uint8_t)(off + 4)) << 32 : 0);
    if ((lo & ~0xFu) == 0 && !is64) {
        pci_write32(f, off, DEFAULT_MMIO_BASE);
        base = pci_read32(f, off) & ~0xFull;
    }
    return base;
}

bool virtio_open(uint16_t pci_device, struct virtio_dev *dev) {
    memset(dev, 0, sizeof *dev);
    if (!pci_find(VIRTIO_VENDOR, pci_device, &dev->pci)) return false;
    struct pci_fn f = dev->pci;
    if (!(pci_read16(f, PCI_STATUS) & 0x10)) return false; /* no capabilities: legacy only */
    for (uint8_t p = pci_read8(f, PCI_CAP_PTR) & 0xFC; p; p = pci_read8(f, (uint8_t)(p + 1)) & 0xFC) {
        if (pci_read8(f, p) != PCI_CAP_VENDOR) continue;
        uint8_t type = pci_read8(f, (uint8_t)(p + 3)), bar = pci_read8(f, (uint8_t)(p + 4));
        if (bar > 5) continue;
        uint64_t base = mem_bar(f, bar);
        if (!base) continue;
        volatile uint8_t *at = (volatile uint8_t *)phys_to_virt(base + pci_read32(f, (uint8_t)(p + 8)));
        if (type == 1) dev->common = at;
        else if (type == 2) {
            dev->notify_base = at;
            dev->notify_mult = pci_read32(f, (uint8_t)(p + 16));
        } else if (type == 3) dev->isr = at;
        else if (type == 4) dev->devcfg = at;
    }
    if (!dev->common || !dev->notify_base || !dev->isr) return false;
    pci_write16(f, PCI_COMMAND, (uint16_t)(pci_read16(f, PCI_COMMAND) | PCI_COMMAND_MEMORY | PCI_COMMAND_BUS_MASTER));
    volatile uint8_t *cc = dev->common;
    w8(cc, CC_STATUS, 0); /* reset (§2.1.2); reads 0 once done */
    for (int i = 0; i < 1000000 && r8(cc, CC_STATUS) != 0; ++i) {
    }
    w8(cc, CC_STATUS, ST_ACK);
    w8(cc, CC_STATUS, ST_ACK | ST_DRIVER);
    w32(cc, CC_DFSELECT, 1);
    if (!(r32(cc, CC_DF) & 1)) return false; /* VERSION_1 */
    w32(cc, CC_GFSELECT, 0);
    w32(cc, CC_GF, 0);
    w32(cc, CC_GFSELECT, 1);
    w32(cc, CC_GF, 1);
    w8(cc, CC_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
    return (r8(cc, CC_STATUS) & ST_FEATURES_OK) != 0;
}

bool virtio_queue(struct virtio_dev *dev, uint16_t index, uint16_t max_size, struct virtq *q) {
    volatile uint8_t *cc = dev->common;
    w16(cc, CC_Q_SELECT, index);
    uint16_t size = r16(cc, CC_Q_SIZE);
    if (size == 0) return false;
    while (size > max_size) size /= 2;
    w16(cc, CC_Q_SIZE, size);
    q->index = index;
    q->size = size;
    q->desc = phys_alloc(16u * size, 4096);
    q->avail = phys_alloc(6u + 2u * size, 4096);
    q->used = phys_alloc(6u + 8u * size, 4096);
    q->avail[0] = 1; /* VIRTQ_AVAIL_F_NO_INTERRUPT: this driver polls */
    q->avail_idx = q->used_seen = 0;
    w64(cc, CC_Q_DESC, virt_to_phys((const void *)q->desc));
    w64(cc, CC_Q_AVAIL, virt_to_phys((const void *)q->avail));
    w64(cc, CC_Q_USED, virt_to_phys((const void *)q->used));
    q->notify = (volatile uint16_t *)(dev->notify_base + (uint32_t)r16(cc, CC_Q_NOFF) * dev->notify_mult);
    w16(cc, CC_Q_ENABLE, 1);
    return true;
}

void virtio_ready(struct virtio_dev *dev) {
    w8(dev->common, CC_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
}

bool virtq_run(struct virtio_dev *dev, struct virtq *q, const uint16_t *heads, unsigned n) {
    for (unsigned i = 0; i < n; ++i) q->avail[2 + (uint16_t)(q->avail_idx + i) % q->size] = heads[i];
    barrier();
    q->avail_idx = (uint16_t)(q->avail_idx + n);
    q->avail[1] = q->avail_idx;
    barrier();
    *q->notify = q->index; /* §4.1.5.2: the queue index (no VIRTIO_F_NOTIFICATION_DATA) */
    /* pvx completes inside the notify write; QEMU completes asynchronously: poll (bounded). */
    for (uint64_t spin = 0; q->used[1] != q->avail_idx; ++spin) {
        if (spin > 200000000ull || (r8(dev->common, CC_STATUS) & ST_NEEDS_RESET)) return false;
        __asm__ volatile("pause");
    }
    q->used_seen = q->avail_idx;
    return true;
}
