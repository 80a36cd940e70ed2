#include "app/display/display_refresh.h"

#include "devices/i8042/i8042.h"
#include "devices/vga/vga_renderer.h"
#include "host/host_time.h"
#include "machine/machine.h"
#include "machine/pc_devices.h"

namespace pvx {

DisplayRefresh::DisplayRefresh(Machine& machine, std::unique_ptr<Display> display)
    : machine_(machine), display_(std::move(display)) {
    I8042& kbc = machine.devices().keyboardController();
    keys_.key = [&kbc](std::span<const uint8_t> make, bool release) { kbc.keyEvent(make, release); };
    keys_.sequence = [&kbc](std::span<const uint8_t> bytes) { kbc.keySequence(bytes); };
    timer_ = machine.timers().create("display", [this](uint64_t now) { tick(now); });
    machine.timers().arm(timer_, machine.clock().nowNs() + kPollNs);
}

void DisplayRefresh::tick(uint64_t nowNs) {
    const uint64_t host = host::monotonicNs();
    if (first_ || host - lastFrameHostNs_ >= kFrameHostNs) {
        first_ = false;
        lastFrameHostNs_ = host;
        VgaRenderOptions opt;
        opt.blinkOn = (host / kBlinkHostNs) % 2 == 0;
        renderVga(machine_.devices().vga(), frame_, opt);
        display_->present(frame_);
        ++framesPresented;
    }
    if (!display_->poll(keys_)) {
        machine_.requestExit(0);  // window closed: quit, status 0
        return;
    }
    machine_.timers().arm(timer_, nowNs + kPollNs);
}

}  // namespace pvx
