// The local APIC timer's counter (SDM Vol.3A 10.5.4): the initial-count, current-count and
// divide-configuration registers, one-shot or periodic. TSC-deadline mode is not advertised.
//
// Like the 8254 model, the counter never ticks: the current count and the next expiry are
// computed from the machine clock. The timer's input is the bus clock, which pvx runs at 1 GHz
// (one tick per clock nanosecond, QEMU's choice too), divided by 1-128.
#pragma once
#include <cstdint>
#include <limits>

namespace pvx {

class ApicTimer {
public:
    static constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();
    static constexpr uint32_t kDivideConfigMask = 0xB;  // bits 0, 1 and 3 (Figure 10-10)

    void reset();

    // Writing the initial-count register (re)starts the count at `nowNs`; 0 stops the timer.
    void writeInitialCount(uint32_t count, uint64_t nowNs);
    // A new divisor takes effect at once; the ticks already counted are kept.
    void writeDivideConfig(uint32_t value, uint64_t nowNs);
    // LVT timer mode bit 17: periodic reloads the initial count at zero, one-shot stops there.
    void setPeriodic(bool periodic, uint64_t nowNs);

    uint32_t initialCount() const { return initial_; }
    uint32_t divideConfig() const { return divideConfig_; }
    uint64_t divisor() const;
    bool periodic() const { return periodic_; }
    uint32_t currentCount(uint64_t nowNs) const;

    // The clock time of the first expiry (the count reaching 0) strictly after `nowNs`, or kNever.
    uint64_t nextExpiryAfter(uint64_t nowNs) const;

private:
    uint64_t ticksSinceStart(uint64_t nowNs) const { return (nowNs - startNs_) / divisor(); }

    uint32_t initial_ = 0;
    uint32_t divideConfig_ = 0;
    bool periodic_ = false;
    // The clock time the count started from initial_. Unsigned arithmetic: after a divisor change
    // it may lie "before" time 0 and (now - start) is still right modulo 2^64.
    uint64_t startNs_ = 0;
};

}  // namespace pvx
