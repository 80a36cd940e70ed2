// One PCI function's type-0 configuration space (PCI Local Bus Spec 3.0, chapter 6).
//
// The 256 bytes are kept as the guest sees them, together with two per-byte masks: a write mask
// (which bits a configuration write may change, so vendor/device/class/header type and every
// reserved bit stay read-only) and a write-1-to-clear mask (the error bits of the status
// register, 6.2.3). Base address registers are declared by the device with their size; the low
// address bits of a BAR are read-only zero, which is what makes size probing work: the guest
// writes all-ones and reads back ~(size-1) plus the type bits (6.2.5.1).
//
// The device learns where its BARs are decoded through `barChanged`, called whenever the
// effective mapping changes: a BAR is decoded only while the matching command-register enable
// (I/O space or memory space) is set and the base is non-zero.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/irq_line.h"

namespace pvx {

class PciFunction {
public:
    // Standard header offsets (PCI 3.0, 6.1 figure 6-1).
    static constexpr uint8_t kVendorId = 0x00;
    static constexpr uint8_t kDeviceId = 0x02;
    static constexpr uint8_t kCommand = 0x04;
    static constexpr uint8_t kStatus = 0x06;
    static constexpr uint8_t kRevision = 0x08;
    static constexpr uint8_t kProgIf = 0x09;
    static constexpr uint8_t kSubclass = 0x0A;
    static constexpr uint8_t kClass = 0x0B;
    static constexpr uint8_t kCacheLineSize = 0x0C;
    static constexpr uint8_t kLatencyTimer = 0x0D;
    static constexpr uint8_t kHeaderType = 0x0E;
    static constexpr uint8_t kBar0 = 0x10;
    static constexpr uint8_t kSubsystemVendorId = 0x2C;
    static constexpr uint8_t kSubsystemId = 0x2E;
    static constexpr uint8_t kCapabilitiesPointer = 0x34;
    static constexpr uint8_t kInterruptLine = 0x3C;
    static constexpr uint8_t kInterruptPin = 0x3D;

    // Command register bits (6.2.2).
    static constexpr uint16_t kCmdIoSpace = 1u << 0;
    static constexpr uint16_t kCmdMemSpace = 1u << 1;
    static constexpr uint16_t kCmdBusMaster = 1u << 2;
    static constexpr uint16_t kCmdParityError = 1u << 6;
    static constexpr uint16_t kCmdSerr = 1u << 8;
    static constexpr uint16_t kCmdIntxDisable = 1u << 10;

    // Status register bits (6.2.3). Bits 15:11 and 8 are write-1-to-clear error flags.
    static constexpr uint16_t kStatusInterrupt = 1u << 3;  // INTx# asserted (PCI 2.3+)
    static constexpr uint16_t kStatusCapList = 1u << 4;    // 0x34 points at a capability list
    static constexpr uint16_t kStatusFastBackToBack = 1u << 7;
    static constexpr uint16_t kStatusDevselMedium = 1u << 9;
    static constexpr uint16_t kStatusErrorBits = 0xF900;

    static constexpr uint8_t kHeaderMultiFunction = 0x80;
    static constexpr int kBarCount = 6;

    struct Identity {
        uint16_t vendor;
        uint16_t device;
        uint8_t revision;
        uint32_t classCode;  // base class << 16 | subclass << 8 | programming interface
        uint8_t headerType;  // 0x00, or 0x80 for function 0 of a multi-function device
        uint8_t interruptPin = 0;  // 0 none, 1..4 INTA#..INTD#
    };
    enum class BarKind { Io, Mem32 };

    PciFunction(const Identity& id, std::string name);
    virtual ~PciFunction() = default;
    PciFunction(const PciFunction&) = delete;
    PciFunction& operator=(const PciFunction&) = delete;

    // A configuration access as the host bridge delivers it: 1, 2 or 4 bytes that lie inside one
    // aligned dword (offset + size <= next multiple of 4).
    uint32_t configRead(uint8_t offset, unsigned size);
    void configWrite(uint8_t offset, unsigned size, uint32_t value);

    // Records the current configuration as the power-on state that reset() restores. PciBus calls
    // this when the function is added, after the device's constructor has set its defaults.
    void capturePowerOnState();
    // PCI RST#: configuration back to power-on values, BARs unmapped, device state reset.
    void reset();

    const std::string& name() const { return name_; }
    uint8_t config8(uint8_t off) const { return cfg_[off]; }
    uint16_t config16(uint8_t off) const;
    uint32_t config32(uint8_t off) const;
    uint16_t command() const { return config16(kCommand); }
    bool ioSpaceEnabled() const { return command() & kCmdIoSpace; }
    bool memSpaceEnabled() const { return command() & kCmdMemSpace; }
    bool busMasterEnabled() const { return command() & kCmdBusMaster; }
    // The base address at which BAR `index` is currently decoded, or nothing.
    std::optional<uint32_t> barAddress(int index) const;
    uint32_t barSize(int index) const { return bars_[index].size; }

    // The function's INTx# output as the board sees it: the device's request gated by the
    // command register's Interrupt Disable bit (PCI 3.0 6.2.2). The board connects it to its
    // interrupt router; the pin is config byte 0x3D.
    IrqLine intx;
    uint8_t interruptPin() const { return cfg_[kInterruptPin]; }
    bool intxRequested() const { return intxRequest_; }

    uint64_t configReads = 0;
    uint64_t configWrites = 0;

protected:
    // Declares BAR `index` (0..5). `size` is a power of two, >= 4 for I/O, >= 16 for memory.
    // I/O BARs decode 16 address bits (bits 31:16 read as zero), as the PIIX's do.
    void defineBar(int index, BarKind kind, uint32_t size, bool prefetchable = false);

    // Raw stores that bypass the masks: device defaults and device-driven status bits.
    void setConfig8(uint8_t off, uint8_t v) { cfg_[off] = v; }
    void setConfig16(uint8_t off, uint16_t v);
    void setConfig32(uint8_t off, uint32_t v);
    void setWriteMask8(uint8_t off, uint8_t m) { wmask_[off] = m; }
    void setWriteMask16(uint8_t off, uint16_t m);
    void setWriteMask32(uint8_t off, uint32_t m);
    void setW1cMask16(uint8_t off, uint16_t m);

    // Appends a capability (PCI 3.0 6.7) to the list at 0x34: `body` is everything after the
    // ID/next-pointer pair. Sets Status.Capabilities List. Returns the capability's offset.
    // Capabilities are read-only unless the device sets write masks on them afterwards.
    uint8_t addCapability(uint8_t id, std::span<const uint8_t> body);

    // The device's interrupt request (level): sets Status.Interrupt Status and drives `intx`
    // unless Command.Interrupt Disable is set.
    void setIntxRequest(bool asserted);

    // Hooks for the device.
    virtual void barChanged(int index, std::optional<uint32_t> oldBase, std::optional<uint32_t> newBase) {
        (void)index; (void)oldBase; (void)newBase;
    }
    // Called before a configuration read returns bytes [offset, offset+size): a device whose
    // configuration registers are windows onto other state fills them in here.
    virtual void configReading(uint8_t offset, unsigned size) { (void)offset; (void)size; }
    // Called after a configuration write has been applied through the masks.
    virtual void configWritten(uint8_t offset, unsigned size) { (void)offset; (void)size; }
    // Called by reset() after the configuration is back to power-on values.
    virtual void resetDevice() {}
    // Recomputes the BAR decode state; devices call it after changing config bytes that affect
    // decoding by other means than a guest write.
    void updateBarMappings();

private:
    struct Bar {
        BarKind kind = BarKind::Io;
        uint32_t size = 0;  // 0: not implemented
        std::optional<uint32_t> mapped;
    };
    std::optional<uint32_t> decodedBase(int index) const;
    void updateIntx();

    std::string name_;
    std::array<uint8_t, 256> cfg_{};
    std::array<uint8_t, 256> wmask_{};
    std::array<uint8_t, 256> w1c_{};
    std::array<uint8_t, 256> powerOn_{};
    bool powerOnCaptured_ = false;
    std::array<Bar, kBarCount> bars_{};
    uint8_t capNext_ = 0x40;  // first free byte after the standard header
    uint8_t capLast_ = 0;     // offset of the last capability (0: none yet)
    bool intxRequest_ = false;
};

}  // namespace pvx
