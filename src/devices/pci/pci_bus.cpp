#include "devices/pci/pci_bus.h"

#include <stdexcept>

namespace pvx {

namespace {
// CONFIG_ADDRESS bits that hold state: enable (31), bus (23:16), device, function, register
// (7:2). Bits 30:24 are reserved and read 0; bits 1:0 are read-only 0 (3.2.2.3.2).
constexpr uint32_t kAddressMask = 0x80FFFFFCu;
constexpr uint32_t kEnable = 1u << 31;

uint32_t allOnes(unsigned size) { return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }
}  // namespace

void PciBus::attach(PortBus& bus) { bus.claim(kConfigAddressPort, 8, this, "pci-config"); }

void PciBus::addFunction(unsigned device, unsigned function, PciFunction& fn) {
    if (device >= kDevices || function >= kFunctions)
        throw std::logic_error("PciBus::addFunction: bad device/function for " + fn.name());
    fn.capturePowerOnState();
    fns_[device * kFunctions + function] = &fn;
}

PciFunction* PciBus::functionAt(unsigned device, unsigned function) const {
    if (device >= kDevices || function >= kFunctions) return nullptr;
    return fns_[device * kFunctions + function];
}

void PciBus::reset() {
    address_ = 0;
    for (PciFunction* f : fns_)
        if (f) f->reset();
}

PciFunction* PciBus::target(uint32_t address) const {
    if (!(address & kEnable)) return nullptr;
    if (((address >> 16) & 0xFF) != 0) return nullptr;  // only bus 0 exists: no bridges behind it
    return functionAt((address >> 11) & 0x1F, (address >> 8) & 0x7);
}

uint32_t PciBus::configRead(unsigned device, unsigned function, uint8_t offset, unsigned size) {
    PciFunction* f = functionAt(device, function);
    if (!f) {
        ++masterAborts;
        return allOnes(size);
    }
    // Clip to the addressed dword: byte enables never select bytes of the next dword.
    unsigned inDword = 4 - (offset & 3u);
    unsigned n = size < inDword ? size : inDword;
    uint32_t v = f->configRead(offset, n);
    if (n < size) v |= allOnes(size) & ~allOnes(n);
    return v;
}

void PciBus::configWrite(unsigned device, unsigned function, uint8_t offset, unsigned size, uint32_t value) {
    PciFunction* f = functionAt(device, function);
    if (!f) {
        ++masterAborts;
        return;
    }
    unsigned inDword = 4 - (offset & 3u);
    f->configWrite(offset, size < inDword ? size : inDword, value);
}

uint32_t PciBus::ioRead(uint16_t port, unsigned size) {
    if (port < kConfigDataPort) {
        ++addressAccesses;
        // Only a dword access at 0xCF8 itself is CONFIG_ADDRESS; anything else is an ordinary
        // I/O cycle that nothing here decodes.
        if (port == kConfigAddressPort && size == 4) return address_;
        return allOnes(size);
    }
    ++dataReads;
    uint8_t lane = static_cast<uint8_t>(port - kConfigDataPort);
    if (!target(address_)) {
        ++masterAborts;
        return allOnes(size);
    }
    uint8_t reg = static_cast<uint8_t>((address_ & 0xFC) + lane);
    return configRead((address_ >> 11) & 0x1F, (address_ >> 8) & 0x7, reg, size);
}

void PciBus::ioWrite(uint16_t port, unsigned size, uint32_t value) {
    if (port < kConfigDataPort) {
        ++addressAccesses;
        if (port == kConfigAddressPort && size == 4) address_ = value & kAddressMask;
        return;
    }
    ++dataWrites;
    uint8_t lane = static_cast<uint8_t>(port - kConfigDataPort);
    if (!target(address_)) {
        ++masterAborts;
        return;
    }
    uint8_t reg = static_cast<uint8_t>((address_ & 0xFC) + lane);
    configWrite((address_ >> 11) & 0x1F, (address_ >> 8) & 0x7, reg, size, value);
}

}  // namespace pvx
