// One channel's bus master IDE engine (SFF-8038i rev 1.0, "Bus Master Programming Interface
// for IDE ATA Controllers"; 82371SB datasheet, "PCI Bus Master IDE Registers").
//
// Registers (8 bytes per channel inside BAR4):
//   +0 BMICX command: bit 0 start/stop, bit 3 read/write control (1 = writes to memory).
//   +2 BMISX status: bit 0 active (RO), bit 1 error (R/WC), bit 2 interrupt (R/WC),
//      bits 6:5 drive 1/0 DMA capable (R/W, firmware sets them), bit 7 simplex (RO 0).
//   +4 BMIDTP descriptor table pointer, bits 31:2.
//
// The physical region descriptor (PRD) table in guest RAM holds 8-byte entries: dword 0 the
// region's physical base (bit 0 ignored), dword 1 bits 15:1 the byte count (0 = 64 KiB), bit 31
// end of table. All guest memory access goes through PhysicalMemory::readRam/writeRam; a PRD
// table or a region outside RAM sets the error bit, stops the engine and ends the drive's
// command with ERR/ABRT.
//
// The transfer runs synchronously when both sides are ready (start bit set and the drive
// waiting with a DMA command). Completion follows SFF-8038i table 3 (interrupt/active):
//   1/0 the regions were exactly the transfer size; 1/1 the regions were larger (the engine
//   stays active until the host clears start); 0/0 without error: the regions were smaller
//   than the transfer, the drive still waits; the host may restart the engine with a new table.
#pragma once
#include <cstdint>
#include <functional>

#include "devices/ata/ata_channel.h"
#include "mmu/phys_memory.h"

namespace pvx {

class BusMasterDma {
public:
    static constexpr uint8_t kCmdStart = 0x01;
    static constexpr uint8_t kCmdWriteToMemory = 0x08;
    static constexpr uint8_t kStatusActive = 0x01;
    static constexpr uint8_t kStatusError = 0x02;
    static constexpr uint8_t kStatusInterrupt = 0x04;
    static constexpr uint8_t kStatusDrive0Dma = 0x20;
    static constexpr uint8_t kStatusDrive1Dma = 0x40;
    // A PRD table may not cross a 64 KiB boundary (82371SB, Bus Master IDE descriptor table), so it has at most 8192
    // entries; pvx walks no more than that per start, which also bounds the host work for a
    // table without an end-of-table bit.
    static constexpr uint32_t kMaxPrdEntries = 65536 / 8;

    // `busMasterEnabled` reports the PCI command register's bus master enable: without it the
    // engine cannot reach memory and the transfer fails like a memory error.
    BusMasterDma(AtaChannel& channel, PhysicalMemory& memory, std::function<bool()> busMasterEnabled);
    ~BusMasterDma();
    BusMasterDma(const BusMasterDma&) = delete;
    BusMasterDma& operator=(const BusMasterDma&) = delete;

    // Byte access to register offset 0..7.
    uint8_t readByte(unsigned offset) const;
    void writeByte(unsigned offset, uint8_t value);
    void reset();

    uint8_t command() const { return cmd_; }
    uint8_t status() const { return status_; }
    uint32_t prdTable() const { return prdTable_; }

    uint64_t starts = 0;
    uint64_t prdEntries = 0;
    uint64_t bytesTransferred = 0;
    uint64_t memoryErrors = 0;

private:
    void driveInterrupt() { status_ |= kStatusInterrupt; }
    void driveDmaRequest() { run(); }
    void run();
    void memoryError();

    AtaChannel& channel_;
    PhysicalMemory& memory_;
    std::function<bool()> busMasterEnabled_;
    uint8_t cmd_ = 0;
    uint8_t status_ = 0;
    uint32_t prdTable_ = 0;

    // Position in the PRD table since the last start, kept while waiting for the drive.
    uint32_t entryIndex_ = 0;
    uint64_t regionAddr_ = 0;
    uint32_t regionLeft_ = 0;
    bool regionLast_ = false;
};

}  // namespace pvx
