// Connects a Display to the machine: a machine timer (not per instruction) polls host events
// every kPollNs of machine clock time, feeding keys to the i8042's PS/2 keyboard, and redraws
// the VGA at most every kFrameHostNs of host time. Closing the window ends the run with exit
// status 0, as quitting QEMU's window does.
#pragma once
#include <cstdint>
#include <memory>

#include "app/display/display.h"
#include "devices/vga/vga_frame.h"

namespace pvx {

class Machine;

class DisplayRefresh {
public:
    static constexpr uint64_t kPollNs = 5'000'000;        // machine clock
    static constexpr uint64_t kFrameHostNs = 16'000'000;  // about 60 frames per host second
    static constexpr uint64_t kBlinkHostNs = 266'000'000; // text cursor / blink half-period

    DisplayRefresh(Machine& machine, std::unique_ptr<Display> display);
    uint64_t framesPresented = 0;

private:
    void tick(uint64_t nowNs);

    Machine& machine_;
    std::unique_ptr<Display> display_;
    KeySink keys_;
    VgaFrame frame_;
    uint32_t timer_ = 0;
    uint64_t lastFrameHostNs_ = 0;
    bool first_ = true;
};

}  // namespace pvx
