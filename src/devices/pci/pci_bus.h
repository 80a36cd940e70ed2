// PCI bus 0 and its configuration mechanism #1 (PCI Local Bus Spec 3.0, 3.2.2.3.2).
//
// CONFIG_ADDRESS at 0xCF8 is latched only by a full dword write ("any other types of accesses to
// this address (non-DWORD) have no effect on CONFIG_ADDRESS and are executed as normal I/O
// transactions"); bit 31 enables translation, bits 23:16 bus, 15:11 device, 10:8 function, 7:2
// register. CONFIG_DATA at 0xCFC-0xCFF accepts byte, word and dword accesses at any offset: the
// byte lanes select bytes of the addressed dword. A read that no function claims (absent device,
// other bus, translation disabled) ends in a master abort and returns all-ones.
//
// The bus holds non-owning pointers to its functions; the machine owns the devices.
#pragma once
#include <array>
#include <cstdint>

#include "common/port_bus.h"
#include "devices/pci/pci_function.h"

namespace pvx {

class PciBus final : public PortDevice {
public:
    static constexpr uint16_t kConfigAddressPort = 0xCF8;
    static constexpr uint16_t kConfigDataPort = 0xCFC;
    static constexpr unsigned kDevices = 32;
    static constexpr unsigned kFunctions = 8;

    // Claims 0xCF8-0xCFF. A device that owns a byte inside that range (the PIIX3 reset control
    // register at 0xCF9) claims its port afterwards.
    void attach(PortBus& bus);

    // Places `fn` at bus 0, device `device`, function `function` and records its power-on state.
    void addFunction(unsigned device, unsigned function, PciFunction& fn);
    PciFunction* functionAt(unsigned device, unsigned function) const;

    // PCI RST#: every function back to power-on state; CONFIG_ADDRESS cleared.
    void reset();

    uint32_t configAddress() const { return address_; }

    // Configuration access on bus 0 without going through the ports (tests, firmware-less boot).
    // Same semantics as the port path: absent functions read all-ones, offset+size stays in one
    // dword (bytes beyond it read all-ones and are not written).
    uint32_t configRead(unsigned device, unsigned function, uint8_t offset, unsigned size);
    void configWrite(unsigned device, unsigned function, uint8_t offset, unsigned size, uint32_t value);

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;

    // Counters (each is a guest-visible access, i.e. an exit).
    uint64_t addressAccesses = 0;
    uint64_t dataReads = 0;
    uint64_t dataWrites = 0;
    uint64_t masterAborts = 0;  // config accesses that reached no function

private:
    PciFunction* target(uint32_t address) const;

    std::array<PciFunction*, kDevices * kFunctions> fns_{};
    uint32_t address_ = 0;
};

}  // namespace pvx
