// 82371SB PIIX3 function 1: the IDE controller, PCI 0:1.1, 8086:7010, class 01 01 80
// (mass storage / IDE / bus-master capable, both channels fixed in legacy compatibility mode:
// 82371SB datasheet, IDE function configuration registers).
//
// In legacy mode the channels sit at the ISA addresses (0x1F0/0x3F6 IRQ 14, 0x170/0x376 IRQ
// 15); AtaChannel::attach claims those, and they are decoded whatever the configuration says,
// as QEMU and Bochs do, so guests that poke 0x1F0 without touching PCI keep working. IDETIM
// (0x40-0x43) and SIDETIM (0x44) are stored for firmware and drivers that read them back.
//
// BAR4 (0x20) is the 16-byte bus master I/O block: channel 0 at +0, channel 1 at +8. It is
// decoded when the command register's I/O space enable is set and the BAR is non-zero.
#pragma once
#include <cstdint>
#include <memory>

#include "common/port_bus.h"
#include "devices/ata/ata_channel.h"
#include "devices/ata/bus_master_dma.h"
#include "devices/pci/pci_function.h"
#include "mmu/phys_memory.h"

namespace pvx {

class PiixIde final : public PciFunction, public PortDevice {
public:
    static constexpr uint16_t kVendor = 0x8086;
    static constexpr uint16_t kDeviceId = 0x7010;
    static constexpr int kBusMasterBar = 4;
    static constexpr uint32_t kBusMasterBytes = 16;
    static constexpr uint8_t kIdeTimPrimary = 0x40;
    static constexpr uint8_t kIdeTimSecondary = 0x42;
    static constexpr uint16_t kIdeTimDecodeEnable = 0x8000;

    PiixIde(AtaChannel& primary, AtaChannel& secondary, PhysicalMemory& memory, PortBus& ports);
    ~PiixIde() override;

    BusMasterDma& busMaster(unsigned channel) { return channel ? secondaryDma_ : primaryDma_; }

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;

    uint64_t busMasterAccesses = 0;

protected:
    void barChanged(int index, std::optional<uint32_t> oldBase, std::optional<uint32_t> newBase) override;
    void resetDevice() override;

private:
    PortBus& ports_;
    BusMasterDma primaryDma_;
    BusMasterDma secondaryDma_;
};

}  // namespace pvx
