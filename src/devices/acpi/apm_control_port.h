// The APM control and status ports of the PIIX3/PIIX4 (82371AB 3.1, APMC 0xB2 / APMS 0xB3).
// On real hardware a write to APMC raises an SMI and SMM firmware acts on the value; pvx has no
// SMM, so the written value goes to a callback instead (Piix4Pm::handleApmCommand switches
// SCI_EN for the ACPI enable/disable values the FADT names). APMS is a scratch byte.
#pragma once
#include <cstdint>
#include <functional>

#include "common/port_bus.h"

namespace pvx {

class ApmControlPort final : public PortDevice {
public:
    static constexpr uint16_t kControlPort = 0xB2;
    static constexpr uint16_t kStatusPort = 0xB3;

    explicit ApmControlPort(std::function<void(uint8_t)> onCommand) : onCommand_(std::move(onCommand)) {}
    void attach(PortBus& bus) { bus.claim(kControlPort, 2, this, "apm"); }

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;

    uint64_t commands = 0;

private:
    std::function<void(uint8_t)> onCommand_;
    uint8_t control_ = 0;
    uint8_t status_ = 0;
};

}  // namespace pvx
