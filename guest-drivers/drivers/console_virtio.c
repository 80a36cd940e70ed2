/* console_virtio.c - virtio-console port 0 (virtio 1.2 §5.3), transmitq only, polled: one
 * descriptor pointing at the caller's text and one notification (one MMIO write) per write()
 * of up to 64 KiB. */
#include "../runtime/rt.h"
#include "console.h"
#include "virtio_pci.h"

#define VIRTIO_CONSOLE_PCI 0x1003
#define TX_QUEUE 1
#define MAX_WRITE (64u * 1024u)

static struct virtio_dev dev;
static struct virtq txq;
static bool ready;

static bool vcon_init(void) {
    if (ready) return true;
    if (!virtio_open(VIRTIO_CONSOLE_PCI, &dev)) return false;
    if (!virtio_queue(&dev, TX_QUEUE, 64, &txq)) return false;
    virtio_ready(&dev);
    ready = true;
    return true;
}

static void vcon_write(const char *s, size_t n) {
    while (n) {
        size_t chunk = n < MAX_WRITE ? n : MAX_WRITE;
        txq.desc[0] = (struct virtq_desc){virt_to_phys(s), (uint32_t)chunk, 0, 0};
        uint16_t head = 0;
        if (!virtq_run(&dev, &txq, &head, 1)) return;
        s += chunk;
        n -= chunk;
    }
}

const struct console_dev console_virtio = {"virtio", vcon_init, vcon_write};
