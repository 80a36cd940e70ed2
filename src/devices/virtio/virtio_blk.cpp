#include "devices/virtio/virtio_blk.h"

#include <algorithm>
#include <cstring>

namespace pvx::virtio {

namespace {
constexpr size_t kBounceBytes = 64 * 1024;
constexpr uint64_t kSector = BlockBackend::kSectorSize;

void put32(std::vector<uint8_t>& c, size_t off, uint32_t v) {
    for (int i = 0; i < 4; ++i) c[off + i] = static_cast<uint8_t>(v >> (8 * i));
}
uint32_t get32(const uint8_t* p) { return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24; }
uint64_t get64(const uint8_t* p) { return get32(p) | uint64_t{get32(p + 4)} << 32; }
}  // namespace

VirtioBlk::VirtioBlk(PhysicalMemory& m, PortBus& ports, BlockBackend& disk)
    : VirtioPciDevice(m, ports,
                      Spec{"virtio-blk", kPciTransitionalBlock, kDeviceBlock, 0x010000, 1, kQueueSize,
                           kFeatureSegMax | kFeatureBlkSize | kFeatureFlush | kFeatureDiscard | kFeatureWriteZeroes |
                               (disk.readOnly() ? kFeatureRo : 0),
                           kConfigSize}),
      disk_(disk),
      bounce_(kBounceBytes) {
    // §5.2.4 struct virtio_blk_config.
    const uint64_t cap = disk.sectors();
    put32(config, 0x00, static_cast<uint32_t>(cap));
    put32(config, 0x04, static_cast<uint32_t>(cap >> 32));
    put32(config, 0x0C, kSegMax);                 // seg_max
    put32(config, 0x14, BlockBackend::kSectorSize);  // blk_size
    put32(config, 0x24, kMaxDiscardSectors);      // max_discard_sectors
    put32(config, 0x28, kMaxDiscardSegments);     // max_discard_seg
    put32(config, 0x2C, 1);                       // discard_sector_alignment
    put32(config, 0x30, kMaxDiscardSectors);      // max_write_zeroes_sectors
    put32(config, 0x34, kMaxDiscardSegments);     // max_write_zeroes_seg
    config[0x38] = 0;                             // write_zeroes_may_unmap
}

void VirtioBlk::processQueue(unsigned q) {
    if (q != 0) return;
    VirtqChain chain;
    while (takeChain(0, chain)) complete(0, chain, handle(chain));
    notifyDriver(0);
}

uint32_t VirtioBlk::handle(const VirtqChain& chain) {
    ++requests;
    // §5.2.6: struct virtio_blk_req { le32 type; le32 reserved; le64 sector; data; u8 status }.
    // The header is device-readable, the status byte the last device-writable byte.
    uint8_t hdr[16];
    if (chain.writableBytes == 0) {  // nowhere to put a status: nothing to report
        ++requestErrors;
        return 0;
    }
    const uint64_t statusAt = chain.writableBytes - 1;
    auto finish = [&](uint8_t status, uint64_t dataWritten) {
        if (status != kStatusOk) ++requestErrors;
        chain.writeTo(mem, statusAt, &status, 1);
        return static_cast<uint32_t>(std::min<uint64_t>(dataWritten + 1, chain.writableBytes));
    };
    if (chain.readFrom(mem, 0, hdr, sizeof hdr) != sizeof hdr) return finish(kStatusIoErr, 0);
    const uint32_t type = get32(hdr);
    const uint64_t sector = get64(hdr + 8);
    const uint64_t outBytes = chain.readableBytes - sizeof hdr;
    switch (type) {
        case kTypeIn: {
            const uint8_t st = readData(chain, sector, statusAt);
            return finish(st, st == kStatusOk ? statusAt : 0);
        }
        case kTypeOut:
            return finish(writeData(chain, sector, outBytes), 0);
        case kTypeFlush:
            ++flushes;
            return finish(disk_.flush() ? kStatusOk : kStatusIoErr, 0);
        case kTypeGetId: {
            // A NUL-padded string of up to 20 bytes (not NUL-terminated when it is 20 long).
            uint8_t id[kIdBytes] = {};
            const char* text = "pvx-virtio-blk";
            std::memcpy(id, text, std::strlen(text));
            const uint64_t n = std::min<uint64_t>(kIdBytes, statusAt);
            chain.writeTo(mem, 0, id, n);
            return finish(kStatusOk, n);
        }
        case kTypeDiscard:
        case kTypeWriteZeroes:
            return finish(zeroRanges(chain, outBytes, type == kTypeDiscard), 0);
        default:
            return finish(kStatusUnsupported, 0);
    }
}

bool VirtioBlk::inDisk(uint64_t sector, uint64_t bytes) const {
    const uint64_t count = bytes / kSector;
    return bytes % kSector == 0 && sector <= disk_.sectors() && count <= disk_.sectors() - sector;
}

uint8_t VirtioBlk::readData(const VirtqChain& chain, uint64_t sector, uint64_t bytes) {
    if (!inDisk(sector, bytes)) return kStatusIoErr;
    const uint64_t count = bytes / kSector;
    uint64_t done = 0;
    while (done < bytes) {
        const uint64_t n = std::min<uint64_t>(bounce_.size(), bytes - done);
        if (!disk_.read(sector + done / kSector, static_cast<uint32_t>(n / kSector), bounce_.data())) return kStatusIoErr;
        if (chain.writeTo(mem, done, bounce_.data(), n) != n) return kStatusIoErr;
        done += n;
    }
    sectorsRead += count;
    return kStatusOk;
}

uint8_t VirtioBlk::writeData(const VirtqChain& chain, uint64_t sector, uint64_t bytes) {
    if (disk_.readOnly()) return kStatusIoErr;  // §5.2.6.2 with VIRTIO_BLK_F_RO
    if (!inDisk(sector, bytes)) return kStatusIoErr;
    const uint64_t count = bytes / kSector;
    uint64_t done = 0;
    while (done < bytes) {
        const uint64_t n = std::min<uint64_t>(bounce_.size(), bytes - done);
        if (chain.readFrom(mem, 16 + done, bounce_.data(), n) != n) return kStatusIoErr;
        if (!disk_.write(sector + done / kSector, static_cast<uint32_t>(n / kSector), bounce_.data())) return kStatusIoErr;
        done += n;
    }
    sectorsWritten += count;
    return kStatusOk;
}

uint8_t VirtioBlk::zeroRanges(const VirtqChain& chain, uint64_t bytes, bool discard) {
    // §5.2.6: struct virtio_blk_discard_write_zeroes { le64 sector; le32 num_sectors; le32 flags }.
    if (disk_.readOnly()) return kStatusIoErr;
    if (bytes == 0 || bytes % 16 != 0 || bytes / 16 > kMaxDiscardSegments) return kStatusUnsupported;
    for (uint64_t i = 0; i < bytes / 16; ++i) {
        uint8_t seg[16];
        if (chain.readFrom(mem, 16 + 16 * i, seg, sizeof seg) != sizeof seg) return kStatusIoErr;
        const uint64_t sector = get64(seg);
        const uint32_t num = get32(seg + 8);
        const uint32_t flags = get32(seg + 12);
        // §5.2.6.2: the unmap flag is only meaningful for WRITE_ZEROES; other bits reserved.
        if ((discard && flags != 0) || (flags & ~1u)) return kStatusUnsupported;
        if (num > kMaxDiscardSectors) return kStatusUnsupported;
        if (sector > disk_.sectors() || num > disk_.sectors() - sector) return kStatusIoErr;
        std::fill(bounce_.begin(), bounce_.end(), 0);
        uint64_t left = num, at = sector;
        while (left) {
            const uint32_t n = static_cast<uint32_t>(std::min<uint64_t>(left, bounce_.size() / kSector));
            if (!disk_.write(at, n, bounce_.data())) return kStatusIoErr;
            at += n;
            left -= n;
        }
        ++discards;
        sectorsWritten += num;
    }
    return kStatusOk;
}

}  // namespace pvx::virtio
