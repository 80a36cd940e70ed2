// Intel 82371SB PIIX3 function 0: the PCI-to-ISA bridge, PCI 0:1.0, 8086:7000
// (82371FB/SB datasheet, PCI-to-ISA bridge configuration registers).
//
// What pvx models: the multi-function header (functions 1 = IDE, 3 = PM live behind it), the
// PIRQA#-PIRQD# route control registers 0x60-0x63 that steer the PCI interrupt lines to ISA
// IRQs, and the Reset Control register (RC) at I/O port 0xCF9. The other
// registers (ISA clocks, top of memory, SMI control, ...) are stored so firmware reads back what
// it wrote.
#pragma once
#include <cstdint>
#include <functional>

#include "common/port_bus.h"
#include "devices/pci/pci_function.h"

namespace pvx {

class Piix3IsaBridge final : public PciFunction, public PortDevice {
public:
    static constexpr uint16_t kVendor = 0x8086;
    static constexpr uint16_t kDeviceId = 0x7000;
    static constexpr uint8_t kPirqRoute0 = 0x60;  // PIRQRC[A:D], 0x60..0x63
    static constexpr uint8_t kPirqDisabled = 0x80;  // IRQROUTEN: 1 = not routed
    static constexpr uint16_t kResetControlPort = 0xCF9;
    // Reset Control register bits: SRST (1) selects a full (hard) reset, RCPU (2) starts it on a
    // 0->1 transition.
    static constexpr uint8_t kRcSystemReset = 1u << 1;
    static constexpr uint8_t kRcResetCpu = 1u << 2;

    Piix3IsaBridge();

    // Claims the Reset Control register (0xCF9). Call after PciBus::attach, whose 0xCF8-0xCFF
    // claim it overrides for this one byte.
    void attach(PortBus& bus);

    // The ISA IRQ that PIRQ `n` (0 = A .. 3 = D) is routed to, or 0x80 when routing is disabled
    // or the register holds one of the reserved IRQ values (0, 1, 2, 8, 13).
    uint8_t pirqRoute(unsigned n) const;

    // Called after a write changed any PIRQ route register (the machine rewires PCI INTx).
    void setRoutingCallback(std::function<void()> cb) { onRouting_ = std::move(cb); }
    // Called when the guest requests a reset through 0xCF9; `hard` is the SRST bit.
    void setResetCallback(std::function<void(bool hard)> cb) { onReset_ = std::move(cb); }

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;

    uint64_t resetControlAccesses = 0;
    uint64_t resetRequests = 0;

protected:
    void configWritten(uint8_t offset, unsigned size) override;
    void resetDevice() override;

private:
    std::function<void()> onRouting_;
    std::function<void(bool)> onReset_;
    uint8_t resetControl_ = 0;
};

}  // namespace pvx
