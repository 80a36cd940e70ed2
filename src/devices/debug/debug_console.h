// Port 0xE9 byte console (Bochs' and QEMU's "debugcon"): every byte written goes to the backend.
// Reading the port returns 0xE9 so a guest can detect it. The same device at port 0x402 is the
// firmware log port of SeaBIOS (which prints there only after reading back 0xE9).
#pragma once
#include "common/char_backend.h"
#include "common/port_bus.h"

namespace pvx {

class DebugConsole final : public PortDevice {
public:
    static constexpr uint16_t kPort = 0xE9;
    static constexpr uint16_t kFirmwareLogPort = 0x402;
    explicit DebugConsole(CharBackend& out, uint16_t port = kPort) : out_(out), port_(port) {}
    void attach(PortBus& bus) { bus.claim(port_, 1, this, port_ == kPort ? "debugcon" : "firmware-log"); }
    uint32_t ioRead(uint16_t, unsigned) override { return 0xE9; }
    void ioWrite(uint16_t, unsigned size, uint32_t value) override {
        // A 16/32-bit OUT to 0xE9 writes its low byte, as QEMU's device does.
        (void)size;
        uint8_t b = static_cast<uint8_t>(value);
        out_.write(&b, 1);
        ++bytes;
    }
    uint64_t bytes = 0;

private:
    CharBackend& out_;
    uint16_t port_;
};

}  // namespace pvx
