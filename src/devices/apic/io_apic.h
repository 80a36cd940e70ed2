// The I/O APIC at FEC00000h: 24 interrupt input pins, each with a 64-bit redirection entry that
// turns the pin into a message to a local APIC (Intel 82093AA I/O APIC datasheet, order 290566,
// "Register Description"; version 11h as on PIIX-era boards and in QEMU).
//
// Registers are reached indirectly: IOREGSEL (offset 00h) selects, IOWIN (offset 10h) reads and
// writes the selected 32-bit register: 00h ID, 01h version (00170011h: 24 entries, version 11h),
// 02h arbitration ID, 10h+2n / 11h+2n the low / high dword of redirection entry n.
//
// Pins: edge-triggered entries send one message per inactive-to-active transition while
// unmasked (an edge on a masked pin is lost, datasheet bit 16); level-triggered entries send a
// message while the pin is active and remote IRR is clear, set remote IRR when the local APIC
// accepts, and send again after the local APIC's EOI broadcast clears it (endOfInterrupt()).
#pragma once
#include <array>
#include <cstdint>
#include <functional>

#include "devices/apic/apic_message.h"
#include "mmu/mmio.h"
#include "mmu/phys_memory.h"

namespace pvx {

class IoApic final : public MmioDevice {
public:
    static constexpr uint64_t kBase = 0xFEC00000;
    static constexpr uint64_t kSize = 0x1000;
    static constexpr unsigned kPins = 24;
    static constexpr uint32_t kVersion = 0x00170011;  // max redirection entry 23, version 11h

    // Redirection entry fields (datasheet "IOREDTBL[23:0]").
    static constexpr uint64_t kVectorMask = 0xFF;
    static constexpr uint64_t kLogical = 1ull << 11;
    static constexpr uint64_t kDeliveryStatus = 1ull << 12;
    static constexpr uint64_t kActiveLow = 1ull << 13;
    static constexpr uint64_t kRemoteIrr = 1ull << 14;
    static constexpr uint64_t kLevelTriggered = 1ull << 15;
    static constexpr uint64_t kMasked = 1ull << 16;
    static constexpr uint64_t kWritable = 0xFF0000000001AFFFull;  // all but delivery status, remote IRR

    IoApic() { reset(); }
    IoApic(const IoApic&) = delete;
    IoApic& operator=(const IoApic&) = delete;

    void attach(PhysicalMemory& mem) { mem.addMmio(kBase, kSize, this, "ioapic"); }
    // RESET: every entry masked, ID 0. Pin levels stay what the devices drive.
    void reset();

    // Pin `pin` (0-23) is now at `level` (true = the wire is high).
    void setInput(unsigned pin, bool level);
    // EOI broadcast from the local APIC (SDM Vol.3A 10.8.5): level-triggered entries with this
    // vector clear remote IRR and, if their pin is still active, interrupt again.
    void endOfInterrupt(uint8_t vector);

    // The APIC bus: sends a message, returns whether a local APIC accepted it.
    std::function<bool(const ApicMessage&)> deliver;

    uint64_t mmioRead(uint64_t offset, unsigned size) override;
    void mmioWrite(uint64_t offset, unsigned size, uint64_t value) override;

    uint64_t redirectionEntry(unsigned pin) const { return pin < kPins ? entries_[pin] : 0; }
    uint8_t registerSelect() const { return select_; }
    uint32_t readRegister(uint8_t index) const;
    void writeRegister(uint8_t index, uint32_t value);

    // Counters.
    uint64_t mmioReads = 0;
    uint64_t mmioWrites = 0;
    uint64_t interruptsSent = 0;  // messages accepted by a local APIC
    uint64_t eois = 0;            // remote IRR bits cleared by EOI broadcasts

private:
    bool active(unsigned pin) const { return pins_[pin] != static_cast<bool>(entries_[pin] & kActiveLow); }
    void send(unsigned pin);
    void serviceLevel(unsigned pin);

    std::array<uint64_t, kPins> entries_{};
    std::array<bool, kPins> pins_{};
    uint8_t select_ = 0;
    uint32_t id_ = 0;
};

}  // namespace pvx
