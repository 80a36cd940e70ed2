// One parallel-ATA channel (ATA/ATAPI-6, T13/1410D: registers, commands and protocols): the command block registers at
// 0x1F0-0x1F7 (primary) or 0x170-0x177 (secondary), the control block register at 0x3F6 /
// 0x376, up to two disks (device 0 "master", device 1 "slave"), the PIO data path through the
// data register, and the device side of a DMA transfer for the bus master (BusMasterDma).
//
// Execution model: commands complete synchronously inside the guest's OUT, so BSY is never
// observed except while SRST is held. PIO commands go straight to DRQ; DMA commands wait with
// DRQ set until the bus master runs. Every error the guest can provoke ends as ATA error
// status (ERR + ABRT/IDNF/UNC in the error register), never as a host error.
//
// The task-file registers are shared by both devices (writes reach both); status and
// error are per device. With the selected device absent, device 0 answers status reads with
// 00h (as ATA/ATAPI-6 has device 0 respond for an absent device 1); a channel with no device at all floats and reads FFh.
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "common/irq_line.h"
#include "common/port_bus.h"
#include "devices/ata/ata_disk.h"
#include "devices/ata/ata_registers.h"

namespace pvx {

class AtaChannel final : public PortDevice {
public:
    struct Ports {
        uint16_t command;  // 8 registers
        uint16_t control;  // alternate status / device control
    };
    static constexpr Ports kPrimaryPorts{0x1F0, 0x3F6};
    static constexpr Ports kSecondaryPorts{0x170, 0x376};
    static constexpr unsigned kPrimaryIrq = 14;
    static constexpr unsigned kSecondaryIrq = 15;
    // DMA moves up to this many sectors per backend call (the bus master copies from/to this
    // staging buffer); PIO DRQ blocks are at most AtaDisk::kMaxMultiple sectors.
    static constexpr uint32_t kDmaChunkSectors = 128;

    explicit AtaChannel(std::string name);

    // Claims the command block (8 ports) and the control register (1 port; 0x3F7/0x377 belong
    // to the floppy controller).
    void attach(PortBus& bus, Ports ports);
    // `disk` may be null (absent). Unit 0 = master, 1 = slave. Not owned.
    void setDisk(unsigned unit, AtaDisk* disk);
    AtaDisk* disk(unsigned unit) const { return unit < 2 ? disks_[unit] : nullptr; }
    // Hardware reset (RESET-): like SRST, and disk settings back to power-on defaults.
    void reset();

    // INTRQ of the selected device; the machine connects it to IRQ 14 / 15.
    IrqLine irq;

    // Bus-master side. `onInterrupt` is called each time INTRQ is asserted (the PIIX latches
    // it into the bus master status); `onDmaRequest` when a DMA command is waiting for data.
    void setBusMasterHooks(std::function<void()> onInterrupt, std::function<void()> onDmaRequest);
    bool dmaPending() const { return xfer_ == Xfer::DmaIn || xfer_ == Xfer::DmaOut; }
    bool dmaToMemory() const { return xfer_ == Xfer::DmaIn; }
    // The part of the current chunk the bus master may move now: data read from the disk
    // (dmaToMemory) or free room for data to write. Empty when no DMA is pending, or when a
    // disk error just ended the command.
    std::span<uint8_t> dmaWindow();
    // `n` bytes of the window were moved. Ends the command when the last byte is done.
    void dmaAdvance(uint32_t n);
    // The bus master failed (memory error): the command ends with ERR/ABRT and an interrupt.
    void dmaAbort();

    // Register state without side effects (tests, debugger).
    uint8_t statusOf(unsigned unit) const { return status_[unit & 1]; }
    uint8_t errorOf(unsigned unit) const { return error_[unit & 1]; }
    uint8_t deviceControl() const { return control_; }

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;

    // Counters.
    uint64_t pioAccesses = 0;     // every register access (these are the emulated exits)
    uint64_t dmaTransfers = 0;    // DMA commands accepted
    uint64_t sectorsRead = 0;
    uint64_t sectorsWritten = 0;
    uint64_t commands = 0;        // commands executed by a present device
    uint64_t commandErrors = 0;   // commands that ended with ERR
    uint64_t flushes = 0;
    uint64_t ignoredCommands = 0; // written while busy, or to an absent device

private:
    enum class Xfer : uint8_t { None, PioIn, PioOut, DmaIn, DmaOut };
    struct Range {
        uint64_t lba = 0;
        uint32_t count = 0;
    };

    unsigned selected() const { return (device_ & ata::kDeviceDev) ? 1 : 0; }
    bool anyDisk() const { return disks_[0] || disks_[1]; }

    uint8_t readRegister(unsigned reg);
    void writeRegister(unsigned reg, uint8_t v);
    uint8_t readStatus(bool clearInterrupt);
    void writeControl(uint8_t v);
    uint32_t readData(unsigned size);
    void writeData(unsigned size, uint32_t value);

    // Command execution (ata_channel_commands.cpp).
    void executeCommand(uint8_t cmd);
    bool decodeRange(bool ext, Range& out);
    void startPioIn(const Range& r, uint32_t blockSectors);
    void startPioOut(const Range& r, uint32_t blockSectors);
    void startDma(const Range& r, bool toMemory);
    void loadPioInBlock();
    void storePioOutBlock();
    void setFeatures();
    void setSignature();

    void complete();                // success: DRDY, interrupt
    void fail(uint8_t errorBits);   // ERR with `errorBits`, interrupt
    void raiseInterrupt();
    void updateIrq();
    void endTransfer();

    std::string name_;
    uint16_t commandBase_ = 0;
    uint16_t controlPort_ = 0;
    AtaDisk* disks_[2] = {nullptr, nullptr};
    std::function<void()> onInterrupt_;
    std::function<void()> onDmaRequest_;

    // Task file: current values and the "previous content" written before them, which reads
    // return while HOB is set (48-bit commands).
    uint8_t feature_ = 0, count_ = 0, lbaLow_ = 0, lbaMid_ = 0, lbaHigh_ = 0;
    uint8_t hobFeature_ = 0, hobCount_ = 0, hobLbaLow_ = 0, hobLbaMid_ = 0, hobLbaHigh_ = 0;
    uint8_t device_ = ata::kDeviceObsolete;
    uint8_t control_ = 0;
    uint8_t status_[2] = {0, 0};
    uint8_t error_[2] = {0, 0};
    bool interruptPending_ = false;

    // The transfer in progress.
    Xfer xfer_ = Xfer::None;
    unsigned unit_ = 0;          // device executing it
    uint64_t xferLba_ = 0;       // next sector to load (reads) or store (writes)
    uint32_t xferLeft_ = 0;      // sectors not yet loaded (reads) or stored (writes)
    uint32_t blockSectors_ = 1;  // PIO DRQ block size
    std::vector<uint8_t> buf_;
    uint32_t bufPos_ = 0;
    uint32_t bufLen_ = 0;
};

}  // namespace pvx
