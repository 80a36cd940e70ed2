// virtio-blk (virtio 1.2 §5.2) on a BlockBackend, the same storage the ATA disk and the PV block
// service use. One request queue; requests: IN, OUT, FLUSH (fsync through the backend), GET_ID,
// DISCARD and WRITE_ZEROES (both write zeroes: the backend has no hole punching, and zeroes are
// what a discarded range reads back as on pvx, deterministic).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "common/block_backend.h"
#include "devices/virtio/virtio_pci_device.h"

namespace pvx::virtio {

class VirtioBlk final : public VirtioPciDevice {
public:
    // §5.2.3 feature bits.
    static constexpr uint64_t kFeatureSegMax = 1ull << 2;
    static constexpr uint64_t kFeatureRo = 1ull << 5;
    static constexpr uint64_t kFeatureBlkSize = 1ull << 6;
    static constexpr uint64_t kFeatureFlush = 1ull << 9;
    static constexpr uint64_t kFeatureDiscard = 1ull << 13;
    static constexpr uint64_t kFeatureWriteZeroes = 1ull << 14;
    // §5.2.6 request types and status values.
    static constexpr uint32_t kTypeIn = 0, kTypeOut = 1, kTypeFlush = 4, kTypeGetId = 8, kTypeDiscard = 11,
                              kTypeWriteZeroes = 13;
    static constexpr uint8_t kStatusOk = 0, kStatusIoErr = 1, kStatusUnsupported = 2;
    static constexpr uint16_t kQueueSize = 256;
    static constexpr uint32_t kSegMax = kQueueSize - 2;  // room for header and status descriptors
    static constexpr uint32_t kMaxDiscardSectors = 1u << 16;
    static constexpr uint32_t kMaxDiscardSegments = 16;
    static constexpr uint32_t kConfigSize = 0x3C;
    static constexpr size_t kIdBytes = 20;  // §5.2.6: VIRTIO_BLK_ID_BYTES

    VirtioBlk(PhysicalMemory& mem, PortBus& ports, BlockBackend& disk);

    uint64_t requests = 0, sectorsRead = 0, sectorsWritten = 0, flushes = 0, discards = 0, requestErrors = 0;

protected:
    void processQueue(unsigned q) override;

private:
    // Handles one request; returns the bytes written into the chain (data + status).
    uint32_t handle(const VirtqChain& chain);
    // §5.2.6.1: a data length that is a whole number of sectors, all of them inside the disk.
    bool inDisk(uint64_t sector, uint64_t bytes) const;
    uint8_t readData(const VirtqChain& chain, uint64_t sector, uint64_t bytes);
    uint8_t writeData(const VirtqChain& chain, uint64_t sector, uint64_t bytes);
    uint8_t zeroRanges(const VirtqChain& chain, uint64_t bytes, bool discard);

    BlockBackend& disk_;
    std::vector<uint8_t> bounce_;  // fixed-size staging buffer: no guest-sized allocation
};

}  // namespace pvx::virtio
