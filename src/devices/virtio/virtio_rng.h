#pragma once
#include <cstdint>

#include "devices/virtio/virtio_pci_device.h"

namespace pvx::virtio {

// virtio-rng (virtio 1.2 §5.4): one request queue whose device-writable buffers are filled from
// the host's entropy (getrandom(2)), at most 4 KiB per buffer (the spec lets the device return
// fewer bytes than the buffer holds).
class VirtioRng final : public VirtioPciDevice {
public:
    static constexpr uint16_t kQueueSize = 64;
    static constexpr uint32_t kMaxBytesPerRequest = 4096;

    VirtioRng(PhysicalMemory& mem, PortBus& ports);

    uint64_t bytesOut = 0;

protected:
    void processQueue(unsigned q) override;
};

}  // namespace pvx::virtio
