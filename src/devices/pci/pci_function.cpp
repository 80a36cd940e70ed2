#include "devices/pci/pci_function.h"

#include <stdexcept>

namespace pvx {

PciFunction::PciFunction(const Identity& id, std::string name) : name_(std::move(name)) {
    setConfig16(kVendorId, id.vendor);
    setConfig16(kDeviceId, id.device);
    setConfig8(kRevision, id.revision);
    setConfig8(kProgIf, static_cast<uint8_t>(id.classCode));
    setConfig8(kSubclass, static_cast<uint8_t>(id.classCode >> 8));
    setConfig8(kClass, static_cast<uint8_t>(id.classCode >> 16));
    setConfig8(kHeaderType, id.headerType);
    setConfig8(kInterruptPin, id.interruptPin);
    setConfig16(kStatus, kStatusDevselMedium | kStatusFastBackToBack);

    // Writable by default (6.2.2-6.2.4): the command bits every simple function implements,
    // cache line size, latency timer and the interrupt line (a scratch byte for firmware, 6.2.4).
    // Everything else is read-only unless the device says otherwise.
    setWriteMask16(kCommand, kCmdIoSpace | kCmdMemSpace | kCmdBusMaster | kCmdParityError | kCmdSerr |
                                 kCmdIntxDisable);
    setW1cMask16(kStatus, kStatusErrorBits);
    setWriteMask8(kCacheLineSize, 0xFF);
    setWriteMask8(kLatencyTimer, 0xFF);
    setWriteMask8(kInterruptLine, 0xFF);
}

uint16_t PciFunction::config16(uint8_t off) const {
    return static_cast<uint16_t>(cfg_[off] | cfg_[static_cast<uint8_t>(off + 1)] << 8);
}

uint32_t PciFunction::config32(uint8_t off) const {
    uint32_t v = 0;
    for (unsigned i = 0; i < 4; ++i) v |= uint32_t{cfg_[static_cast<uint8_t>(off + i)]} << (8 * i);
    return v;
}

void PciFunction::setConfig16(uint8_t off, uint16_t v) {
    cfg_[off] = static_cast<uint8_t>(v);
    cfg_[static_cast<uint8_t>(off + 1)] = static_cast<uint8_t>(v >> 8);
}

void PciFunction::setConfig32(uint8_t off, uint32_t v) {
    for (unsigned i = 0; i < 4; ++i) cfg_[static_cast<uint8_t>(off + i)] = static_cast<uint8_t>(v >> (8 * i));
}

void PciFunction::setWriteMask16(uint8_t off, uint16_t m) {
    wmask_[off] = static_cast<uint8_t>(m);
    wmask_[static_cast<uint8_t>(off + 1)] = static_cast<uint8_t>(m >> 8);
}

void PciFunction::setWriteMask32(uint8_t off, uint32_t m) {
    for (unsigned i = 0; i < 4; ++i) wmask_[static_cast<uint8_t>(off + i)] = static_cast<uint8_t>(m >> (8 * i));
}

void PciFunction::setW1cMask16(uint8_t off, uint16_t m) {
    w1c_[off] = static_cast<uint8_t>(m);
    w1c_[static_cast<uint8_t>(off + 1)] = static_cast<uint8_t>(m >> 8);
}

void PciFunction::defineBar(int index, BarKind kind, uint32_t size, bool prefetchable) {
    // Programming errors in pvx's own device code, not guest behaviour.
    if (index < 0 || index >= kBarCount || size == 0 || (size & (size - 1)) != 0 ||
        (kind == BarKind::Io && (size < 4 || size > 0x10000)) || (kind == BarKind::Mem32 && size < 16))
        throw std::logic_error("PciFunction::defineBar: bad BAR " + std::to_string(index) + " of " + name_);
    uint8_t off = static_cast<uint8_t>(kBar0 + 4 * index);
    bars_[index] = Bar{kind, size, std::nullopt};
    if (kind == BarKind::Io) {
        // 6.2.5.1: bit 0 = 1 marks an I/O BAR; bit 1 reserved. All 32 address bits are
        // writable (a 32-bit I/O decoder, as QEMU models the PIIX): a size probe reads back
        // FFFFFFF1h-style values, which SeaBIOS's BAR sizing needs -- it does not extend a
        // 16-bit readback the way Linux does. A base above 64 KiB decodes nothing (x86 I/O
        // space has 16 address bits).
        setConfig32(off, 0x1);
        setWriteMask32(off, ~(size - 1) & ~0x3u);
    } else {
        // Bits 2:1 = 00 (32-bit, anywhere below 4 GiB), bit 3 prefetchable.
        setConfig32(off, prefetchable ? 0x8u : 0x0u);
        setWriteMask32(off, ~(size - 1) & ~0xFu);
    }
}

uint32_t PciFunction::configRead(uint8_t offset, unsigned size) {
    ++configReads;
    configReading(offset, size);
    uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; ++i) v |= uint32_t{cfg_[static_cast<uint8_t>(offset + i)]} << (8 * i);
    return v;
}

void PciFunction::configWrite(uint8_t offset, unsigned size, uint32_t value) {
    ++configWrites;
    bool touchesDecode = false;
    for (unsigned i = 0; i < size && i < 4; ++i) {
        uint8_t off = static_cast<uint8_t>(offset + i);
        uint8_t b = static_cast<uint8_t>(value >> (8 * i));
        uint8_t keep = static_cast<uint8_t>(cfg_[off] & ~wmask_[off]);
        uint8_t next = static_cast<uint8_t>(keep | (b & wmask_[off]));
        next = static_cast<uint8_t>(next & ~(b & w1c_[off]));  // write-1-to-clear bits
        cfg_[off] = next;
        if (off == kCommand || (off >= kBar0 && off < kBar0 + 4 * kBarCount)) touchesDecode = true;
    }
    if (touchesDecode) updateBarMappings();
    if (offset <= kCommand + 1 && kCommand < offset + size) updateIntx();  // Interrupt Disable
    configWritten(offset, size);
}

std::optional<uint32_t> PciFunction::decodedBase(int index) const {
    const Bar& bar = bars_[index];
    if (bar.size == 0) return std::nullopt;
    uint32_t raw = config32(static_cast<uint8_t>(kBar0 + 4 * index));
    if (bar.kind == BarKind::Io) {
        if (!ioSpaceEnabled()) return std::nullopt;
        uint32_t base = raw & ~0x3u;
        // Base 0 is left undecoded: it would shadow the DMA controller, and it is what an
        // unprogrammed BAR holds.
        if (base == 0 || uint64_t{base} + bar.size > 0x10000) return std::nullopt;
        return base;
    }
    if (!memSpaceEnabled()) return std::nullopt;
    uint32_t base = raw & ~0xFu;
    if (base == 0 || uint64_t{base} + bar.size > 0x100000000ull) return std::nullopt;
    return base;
}

void PciFunction::updateBarMappings() {
    for (int i = 0; i < kBarCount; ++i) {
        if (bars_[i].size == 0) continue;
        std::optional<uint32_t> now = decodedBase(i);
        if (now != bars_[i].mapped) {
            std::optional<uint32_t> old = bars_[i].mapped;
            bars_[i].mapped = now;
            barChanged(i, old, now);
        }
    }
}

std::optional<uint32_t> PciFunction::barAddress(int index) const {
    if (index < 0 || index >= kBarCount) return std::nullopt;
    return bars_[index].mapped;
}

void PciFunction::capturePowerOnState() {
    powerOn_ = cfg_;
    powerOnCaptured_ = true;
}

void PciFunction::reset() {
    if (powerOnCaptured_) cfg_ = powerOn_;
    intxRequest_ = false;
    updateIntx();
    updateBarMappings();
    resetDevice();
}

uint8_t PciFunction::addCapability(uint8_t id, std::span<const uint8_t> body) {
    // 6.7: capabilities live in the device-specific area 0x40-0xFF, DWORD aligned; the bottom two
    // bits of every pointer are reserved (zero).
    const size_t len = 2 + body.size();
    if (capNext_ < 0x40 || capNext_ + len > 256)
        throw std::logic_error("PciFunction::addCapability: no room in configuration space of " + name_);
    const uint8_t off = capNext_;
    cfg_[off] = id;
    cfg_[off + 1] = 0;  // end of list
    for (size_t i = 0; i < body.size(); ++i) cfg_[off + 2 + i] = body[i];
    if (capLast_ == 0) cfg_[kCapabilitiesPointer] = off;
    else cfg_[capLast_ + 1] = off;
    capLast_ = off;
    const size_t next = (off + len + 3) & ~size_t{3};
    capNext_ = next >= 256 ? 0 : static_cast<uint8_t>(next);
    setConfig16(kStatus, static_cast<uint16_t>(config16(kStatus) | kStatusCapList));
    return off;
}

void PciFunction::setIntxRequest(bool asserted) {
    intxRequest_ = asserted;
    updateIntx();
}

void PciFunction::updateIntx() {
    // Status bit 3 shows the request whatever Interrupt Disable says; the pin is gated (6.2.2-3).
    uint16_t st = config16(kStatus);
    st = intxRequest_ ? static_cast<uint16_t>(st | kStatusInterrupt) : static_cast<uint16_t>(st & ~kStatusInterrupt);
    setConfig16(kStatus, st);
    intx.set(intxRequest_ && !(command() & kCmdIntxDisable));
}

}  // namespace pvx
