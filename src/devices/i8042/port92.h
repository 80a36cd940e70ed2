// Port 92h, "System Control Port A" (Intel 82371SB PIIX3 datasheet, Port 92 register):
//   bit 0  INIT: a 0-to-1 transition pulses the CPU's INIT (fast reset); reads back as written
//   bit 1  ALT_A20: 1 = A20 enabled (ORed with the 8042's A20 output by the chipset)
//   bits 7-2 reserved, read 0
// The machine wires onA20 to the A20 line (last write wins with the i8042) and resetRequest to a CPU INIT (memory and devices
// keep their state, as with INIT on the real board).
#pragma once
#include <cstdint>
#include <functional>

#include "common/port_bus.h"

namespace pvx {

class Port92 final : public PortDevice {
public:
    static constexpr uint16_t kPort = 0x92;

    void attach(PortBus& bus) { bus.claim(kPort, 1, this, "port92"); }
    // Both bits reset to 0 (reports A20 off through onA20).
    void reset();

    std::function<void(bool enabled)> onA20;
    std::function<void()> resetRequest;

    uint8_t value() const { return reg_; }
    bool a20() const { return reg_ & 0x02; }

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;

    uint64_t ioReads = 0;
    uint64_t ioWrites = 0;
    uint64_t resetRequests = 0;

private:
    uint8_t reg_ = 0;
};

}  // namespace pvx
