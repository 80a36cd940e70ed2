#include "devices/ata/bus_master_dma.h"

#include <algorithm>

namespace pvx {

BusMasterDma::BusMasterDma(AtaChannel& channel, PhysicalMemory& memory, std::function<bool()> busMasterEnabled)
    : channel_(channel), memory_(memory), busMasterEnabled_(std::move(busMasterEnabled)) {
    channel_.setBusMasterHooks([this] { driveInterrupt(); }, [this] { driveDmaRequest(); });
}

BusMasterDma::~BusMasterDma() { channel_.setBusMasterHooks({}, {}); }

void BusMasterDma::reset() {
    cmd_ = 0;
    status_ = 0;
    prdTable_ = 0;
    entryIndex_ = 0;
    regionAddr_ = 0;
    regionLeft_ = 0;
    regionLast_ = false;
}

uint8_t BusMasterDma::readByte(unsigned offset) const {
    switch (offset) {
        case 0: return cmd_;
        case 2: return status_;
        case 4: case 5: case 6: case 7: return static_cast<uint8_t>(prdTable_ >> (8 * (offset - 4)));
        default: return 0;  // reserved bytes 1 and 3 read 0
    }
}

void BusMasterDma::writeByte(unsigned offset, uint8_t value) {
    switch (offset) {
        case 0: {
            uint8_t old = cmd_;
            cmd_ = value & (kCmdStart | kCmdWriteToMemory);
            if (!(old & kCmdStart) && (cmd_ & kCmdStart)) {
                // Start: the engine fetches from the beginning of the table.
                ++starts;
                status_ |= kStatusActive;
                entryIndex_ = 0;
                regionLeft_ = 0;
                regionLast_ = false;
                run();
            } else if ((old & kCmdStart) && !(cmd_ & kCmdStart)) {
                // Stop: "all state information is lost"; the drive keeps whatever it was doing
                // and the host resets it if the transfer did not finish.
                status_ &= static_cast<uint8_t>(~kStatusActive);
            }
            break;
        }
        case 2:
            // Error and interrupt are write-1-to-clear; the drive DMA-capable bits are plain
            // read/write; active and simplex are read-only.
            status_ &= static_cast<uint8_t>(~(value & (kStatusError | kStatusInterrupt)));
            status_ = static_cast<uint8_t>((status_ & ~(kStatusDrive0Dma | kStatusDrive1Dma)) |
                                           (value & (kStatusDrive0Dma | kStatusDrive1Dma)));
            break;
        case 4: case 5: case 6: case 7: {
            unsigned shift = 8 * (offset - 4);
            prdTable_ = (prdTable_ & ~(0xFFu << shift)) | (uint32_t{value} << shift);
            prdTable_ &= ~0x3u;  // dword aligned: bits 1:0 reserved
            break;
        }
        default:
            break;
    }
}

void BusMasterDma::memoryError() {
    ++memoryErrors;
    status_ |= kStatusError;
    status_ &= static_cast<uint8_t>(~kStatusActive);
    channel_.dmaAbort();  // the drive ends with ERR/ABRT and interrupts
}

void BusMasterDma::run() {
    if (!(status_ & kStatusActive) || !channel_.dmaPending()) return;
    if (busMasterEnabled_ && !busMasterEnabled_()) return memoryError();
    bool toMemory = channel_.dmaToMemory();
    // The direction moved is the drive's: the PIIX's read/write control only steers the PCI
    // cycles, and a mismatch is a guest bug that QEMU also resolves in the drive's favour.
    while (channel_.dmaPending()) {
        if (regionLeft_ == 0) {
            if (regionLast_ || entryIndex_ >= kMaxPrdEntries) {
                // Regions exhausted before the drive: interrupt 0, active 0, error 0.
                status_ &= static_cast<uint8_t>(~kStatusActive);
                return;
            }
            uint32_t prd[2];
            if (!memory_.readRam(uint64_t{prdTable_} + 8ull * entryIndex_, prd, sizeof prd)) return memoryError();
            ++entryIndex_;
            ++prdEntries;
            regionAddr_ = prd[0] & ~1u;
            uint32_t count = prd[1] & 0xFFFEu;
            regionLeft_ = count ? count : 0x10000;
            regionLast_ = (prd[1] & 0x80000000u) != 0;
        }
        std::span<uint8_t> window = channel_.dmaWindow();
        if (window.empty()) {
            // The drive failed (disk error) and has ended the command with ERR and an
            // interrupt; the engine stops with it.
            status_ &= static_cast<uint8_t>(~kStatusActive);
            return;
        }
        uint32_t n = std::min<uint32_t>(regionLeft_, static_cast<uint32_t>(window.size()));
        bool ok = toMemory ? memory_.writeRam(regionAddr_, window.data(), n)
                           : memory_.readRam(regionAddr_, window.data(), n);
        if (!ok) return memoryError();
        regionAddr_ += n;
        regionLeft_ -= n;
        bytesTransferred += n;
        channel_.dmaAdvance(n);
    }
    // The drive is done and has interrupted. Exactly-sized regions leave the engine idle;
    // larger ones leave it active (table 3).
    if (regionLeft_ == 0 && regionLast_) status_ &= static_cast<uint8_t>(~kStatusActive);
}

}  // namespace pvx
