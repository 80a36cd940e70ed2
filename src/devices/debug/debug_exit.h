// isa-debug-exit at port 0xF4, compatible with QEMU's device: `out 0xF4, v` ends the emulator with
// exit status (v << 1) | 1. The exit is requested through a callback; the machine stops at the
// next instruction boundary.
#pragma once
#include <functional>

#include "common/port_bus.h"

namespace pvx {

class DebugExit final : public PortDevice {
public:
    static constexpr uint16_t kPort = 0xF4;
    using ExitFn = std::function<void(int status)>;
    explicit DebugExit(ExitFn fn) : fn_(std::move(fn)) {}
    void attach(PortBus& bus) { bus.claim(kPort, 4, this, "debug-exit"); }
    uint32_t ioRead(uint16_t, unsigned) override { return 0xFFFFFFFF; }
    void ioWrite(uint16_t, unsigned, uint32_t value) override {
        // QEMU computes (val << 1) | 1 on the written value and exits with it; the host exit
        // status keeps the low 8 bits.
        fn_(static_cast<int>(((value << 1) | 1) & 0xFF));
    }

private:
    ExitFn fn_;
};

}  // namespace pvx
