/* virtio_pci.h - a minimal modern virtio PCI transport (OASIS virtio 1.2 §4.1) for the guest
 * drivers: find a device by transitional PCI ID, locate its capabilities, negotiate
 * VIRTIO_F_VERSION_1 only (§3.1.1), and run split virtqueues (§2.7) by polling: the driver sets
 * VIRTQ_AVAIL_F_NO_INTERRUPT and waits for the used index, so one request batch costs one
 * notification (one MMIO write) and nothing else. */
#ifndef DRV_VIRTIO_PCI_H
#define DRV_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "../runtime/pci.h"

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct virtq {
    uint16_t index, size;
    volatile struct virtq_desc *desc;
    volatile uint16_t *avail; /* flags, idx, ring[size] */
    volatile uint16_t *used;  /* flags, idx, then {u32 id, u32 len}[size] */
    volatile uint16_t *notify;
    uint16_t avail_idx, used_seen;
};

struct virtio_dev {
    struct pci_fn pci;
    volatile uint8_t *common, *isr, *devcfg;
    volatile uint8_t *notify_base;
    uint32_t notify_mult;
};

/* Finds vendor 1AF4 / `pci_device`, assigns BARs if firmware did not, resets the device and
 * negotiates VERSION_1 (plus nothing). False if absent or it refused. */
bool virtio_open(uint16_t pci_device, struct virtio_dev *dev);
/* Sets up queue `index` with up to `max_size` entries (memory from phys_alloc). */
bool virtio_queue(struct virtio_dev *dev, uint16_t index, uint16_t max_size, struct virtq *q);
/* DRIVER_OK. */
void virtio_ready(struct virtio_dev *dev);
/* Publishes chain heads `heads[0..n)`, notifies once, waits until all are used. False on a
 * timeout or when the device reports DEVICE_NEEDS_RESET. */
bool virtq_run(struct virtio_dev *dev, struct virtq *q, const uint16_t *heads, unsigned n);

#endif
