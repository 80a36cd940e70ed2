// virtio-console (virtio 1.2 §5.3) with a single port and no multiport: receiveq 0 and
// transmitq 1 of port 0. Output goes to a CharBackend (pvx shares COM1's, like the PV console,
// so a comparison measures the path, not the sink). Host input is delivered into the receive
// queue by pollInput() once the driver has posted receive buffers.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "common/char_backend.h"
#include "devices/virtio/virtio_pci_device.h"

namespace pvx::virtio {

class VirtioConsole final : public VirtioPciDevice {
public:
    static constexpr unsigned kReceiveQueue = 0;
    static constexpr unsigned kTransmitQueue = 1;
    static constexpr uint16_t kQueueSize = 128;
    static constexpr uint32_t kConfigSize = 12;  // cols, rows, max_nr_ports, emerg_wr

    VirtioConsole(PhysicalMemory& mem, PortBus& ports, CharBackend& out);

    // True when the driver has receive buffers waiting (host input should come here).
    bool wantsInput();
    // Moves available host input into the receive queue.
    void pollInput();

    uint64_t bytesOut = 0, bytesIn = 0;

protected:
    void processQueue(unsigned q) override;
    void resetVirtioDevice() override { pending_.reset(); }

private:
    CharBackend& out_;
    std::optional<uint8_t> pending_;  // a byte read from the backend that found no buffer yet
    std::vector<uint8_t> bounce_;
};

}  // namespace pvx::virtio
