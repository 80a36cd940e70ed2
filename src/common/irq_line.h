// An interrupt request wire between a device and an interrupt controller. The device drives the
// level; the controller decides edge or level semantics (8259 ELCR, I/O APIC trigger mode).
#pragma once
#include <cstdint>
#include <functional>

namespace pvx {

class IrqLine {
public:
    using Sink = std::function<void(bool level)>;

    IrqLine() = default;
    void connect(Sink sink) { sink_ = std::move(sink); if (sink_) sink_(level_); }

    void set(bool level) {
        if (level == level_) return;
        level_ = level;
        if (level) ++raises_;
        if (sink_) sink_(level);
    }
    void raise() { set(true); }
    void lower() { set(false); }
    // An edge: high then low, as ISA devices signal one-shot events.
    void pulse() { set(true); set(false); }

    bool level() const { return level_; }
    uint64_t raises() const { return raises_; }

private:
    Sink sink_;
    bool level_ = false;
    uint64_t raises_ = 0;
};

}  // namespace pvx
