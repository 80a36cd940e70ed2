#include "devices/virtio/virtio_console.h"

#include <algorithm>

namespace pvx::virtio {

VirtioConsole::VirtioConsole(PhysicalMemory& m, PortBus& ports, CharBackend& out)
    : VirtioPciDevice(m, ports, Spec{"virtio-console", kPciTransitionalConsole, kDeviceConsole, 0x078000, 2, kQueueSize, 0,
                                     kConfigSize}),
      out_(out),
      bounce_(4096) {
    // §5.3.4: cols/rows/max_nr_ports are only valid with SIZE/MULTIPORT, not offered: zero.
}

void VirtioConsole::processQueue(unsigned q) {
    if (q == kReceiveQueue) {
        pollInput();
        return;
    }
    if (q != kTransmitQueue) return;
    VirtqChain chain;
    while (takeChain(kTransmitQueue, chain)) {
        // §5.3.6.2: the device reads the buffers and returns them; nothing is written.
        for (uint64_t off = 0; off < chain.readableBytes;) {
            const uint64_t n = chain.readFrom(mem, off, bounce_.data(), bounce_.size());
            if (n == 0) break;
            out_.write(bounce_.data(), n);
            bytesOut += n;
            off += n;
        }
        complete(kTransmitQueue, chain, 0);
    }
    notifyDriver(kTransmitQueue);
}

bool VirtioConsole::wantsInput() {
    return driverReady() && busMasterEnabled() && queue(kReceiveQueue).hasAvailable();
}

void VirtioConsole::pollInput() {
    if (!wantsInput()) return;
    bool any = false;
    VirtqChain chain;
    for (;;) {
        if (!pending_) {
            const int c = out_.readByte();
            if (c < 0) break;
            pending_ = static_cast<uint8_t>(c);
        }
        if (!takeChain(kReceiveQueue, chain)) break;
        // Fill this buffer with what is available now.
        uint64_t n = 0;
        const uint64_t room = std::min<uint64_t>(chain.writableBytes, bounce_.size());
        while (pending_ && n < room) {
            bounce_[n++] = *pending_;
            const int c = out_.readByte();
            pending_ = c < 0 ? std::nullopt : std::optional<uint8_t>(static_cast<uint8_t>(c));
        }
        const uint64_t written = chain.writeTo(mem, 0, bounce_.data(), n);
        bytesIn += written;
        complete(kReceiveQueue, chain, static_cast<uint32_t>(written));
        any = true;
        if (!pending_) break;
    }
    if (any) notifyDriver(kReceiveQueue);
}

}  // namespace pvx::virtio
