// Port 61h, "System Control Port B" / "NMI Status and Control Register" (Intel 82371SB PIIX3
// datasheet, port 61h):
//   bit 0 R/W  Timer counter 2 enable: the 8254 counter 2 GATE input
//   bit 1 R/W  Speaker data enable (OUT2 AND this bit drives the speaker)
//   bit 2 R/W  PCI SERR# NMI enable (stored; pvx never raises SERR#)
//   bit 3 R/W  IOCHK# NMI enable (stored; pvx never raises IOCHK#)
//   bit 4 RO   Refresh cycle toggle: flips after every refresh cycle (15.085 us)
//   bit 5 RO   Timer counter 2 OUT status
//   bit 6 RO   IOCHK# NMI source status (0)
//   bit 7 RO   SERR# NMI source status (0)
// Firmware and Linux time short delays and calibrate the TSC against OUT2 and the refresh toggle,
// so both are computed exactly from the machine clock on every read.
#pragma once
#include <cstdint>

#include "common/port_bus.h"
#include "devices/pit/pit8254.h"

namespace pvx {

class SystemControlPortB final : public PortDevice {
public:
    static constexpr uint16_t kPort = 0x61;
    // The refresh request is 18 PIT input clocks (15.085 us); the PIIX3 toggles bit 4 on each.
    static constexpr uint64_t kRefreshTicks = 18;

    explicit SystemControlPortB(Pit8254& pit) : pit_(pit) {}

    void attach(PortBus& bus) { bus.claim(kPort, 1, this, "port61"); }
    void reset();

    uint8_t value();
    // The speaker sounds when both the gate and the speaker-data bits are set (no audio yet).
    bool speakerOn() const { return (reg_ & 3) == 3; }

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;

    uint64_t ioReads = 0;
    uint64_t ioWrites = 0;

private:
    Pit8254& pit_;
    uint8_t reg_ = 0;  // bits 3-0 as written
};

}  // namespace pvx
