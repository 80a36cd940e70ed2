#include "devices/virtio/virtio_rng.h"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>

namespace pvx::virtio {

VirtioRng::VirtioRng(PhysicalMemory& m, PortBus& ports)
    : VirtioPciDevice(m, ports, Spec{"virtio-rng", kPciTransitionalEntropy, kDeviceEntropy, 0x00FF00, 1, kQueueSize, 0, 0}) {}

void VirtioRng::processQueue(unsigned q) {
    if (q != 0) return;
    VirtqChain chain;
    uint8_t buf[kMaxBytesPerRequest];
    while (takeChain(0, chain)) {
        const size_t want = static_cast<size_t>(std::min<uint64_t>(chain.writableBytes, sizeof buf));
        size_t got = 0;
        while (got < want) {
            const ssize_t r = getrandom(buf + got, want - got, 0);
            if (r < 0) {
                if (errno == EINTR) continue;
                break;
            }
            got += static_cast<size_t>(r);
        }
        const uint64_t written = chain.writeTo(mem, 0, buf, got);
        bytesOut += written;
        complete(0, chain, static_cast<uint32_t>(written));
    }
    notifyDriver(0);
}

}  // namespace pvx::virtio
