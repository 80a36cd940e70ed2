#include "devices/apic/io_apic.h"

namespace pvx {

namespace {
constexpr uint8_t kRegId = 0x00;
constexpr uint8_t kRegVersion = 0x01;
constexpr uint8_t kRegArbitration = 0x02;
constexpr uint8_t kRegRedirection = 0x10;
constexpr uint32_t kIdMask = 0x0F000000;  // ID in bits 27:24
constexpr uint64_t kIoRegSel = 0x00;
constexpr uint64_t kIoWin = 0x10;
}  // namespace

void IoApic::reset() {
    entries_.fill(kMasked);
    select_ = 0;
    id_ = 0;
}

// Builds the message of entry `pin` and hands it to the APIC bus.
void IoApic::send(unsigned pin) {
    const uint64_t e = entries_[pin];
    ApicMessage m;
    m.vector = static_cast<uint8_t>(e & kVectorMask);
    m.mode = static_cast<ApicDeliveryMode>((e >> 8) & 7);
    m.logicalDestination = e & kLogical;
    m.destination = static_cast<uint8_t>(e >> 56);
    m.levelTriggered = e & kLevelTriggered;
    if (!deliver || !deliver(m)) return;
    ++interruptsSent;
    if (m.levelTriggered) entries_[pin] |= kRemoteIrr;
}

void IoApic::serviceLevel(unsigned pin) {
    const uint64_t e = entries_[pin];
    if ((e & kLevelTriggered) && !(e & (kMasked | kRemoteIrr)) && active(pin)) send(pin);
}

void IoApic::setInput(unsigned pin, bool level) {
    if (pin >= kPins) return;
    const bool wasActive = active(pin);
    pins_[pin] = level;
    const uint64_t e = entries_[pin];
    if (e & kLevelTriggered) serviceLevel(pin);
    else if (!(e & kMasked) && active(pin) && !wasActive) send(pin);
}

void IoApic::endOfInterrupt(uint8_t vector) {
    for (unsigned pin = 0; pin < kPins; ++pin) {
        uint64_t& e = entries_[pin];
        if (!(e & kRemoteIrr) || (e & kVectorMask) != vector) continue;
        e &= ~kRemoteIrr;
        ++eois;
        serviceLevel(pin);
    }
}

uint32_t IoApic::readRegister(uint8_t index) const {
    if (index == kRegId) return id_;
    if (index == kRegVersion) return kVersion;
    if (index == kRegArbitration) return id_;  // arbitration ID = APIC ID after reset
    if (index >= kRegRedirection && index < kRegRedirection + 2 * kPins) {
        const uint64_t e = entries_[(index - kRegRedirection) / 2];
        return static_cast<uint32_t>((index & 1) ? e >> 32 : e);
    }
    return 0;
}

void IoApic::writeRegister(uint8_t index, uint32_t value) {
    if (index == kRegId) {
        id_ = value & kIdMask;
        return;
    }
    if (index < kRegRedirection || index >= kRegRedirection + 2 * kPins) return;  // read-only / none
    const unsigned pin = (index - kRegRedirection) / 2;
    uint64_t& e = entries_[pin];
    const uint64_t readOnly = e & (kDeliveryStatus | kRemoteIrr);
    const uint64_t updated = (index & 1) ? (e & 0xFFFFFFFFull) | (static_cast<uint64_t>(value) << 32)
                                         : (e & ~0xFFFFFFFFull) | value;
    e = (updated & kWritable) | readOnly;
    // Remote IRR has no meaning for an edge-triggered entry; switching to edge clears it (Linux
    // clears a stuck remote IRR on version-11h parts exactly this way).
    if (!(e & kLevelTriggered)) e &= ~kRemoteIrr;
    // An unmasked level entry whose pin is active interrupts now. (An edge that came while
    // masked was lost.)
    serviceLevel(pin);
}

// IOREGSEL takes byte or dword writes (bits 7:0 select); IOWIN is a 32-bit window, byte and word
// loads return part of it. Other offsets in the page are unused.
uint64_t IoApic::mmioRead(uint64_t offset, unsigned size) {
    ++mmioReads;
    uint64_t v = 0;
    if (offset < kIoRegSel + 4)
        v = static_cast<uint64_t>(select_) >> (8 * (offset - kIoRegSel));
    else if (offset >= kIoWin && offset < kIoWin + 4)
        v = static_cast<uint64_t>(readRegister(select_)) >> (8 * (offset - kIoWin));
    return size >= 8 ? v : v & ((1ull << (8 * size)) - 1);
}

void IoApic::mmioWrite(uint64_t offset, unsigned size, uint64_t value) {
    ++mmioWrites;
    if (offset == kIoRegSel) select_ = static_cast<uint8_t>(value);
    else if (offset == kIoWin && size >= 4) writeRegister(select_, static_cast<uint32_t>(value));
}

}  // namespace pvx
