#include "devices/apic/apic_timer.h"

namespace pvx {

void ApicTimer::reset() {
    initial_ = 0;
    divideConfig_ = 0;
    periodic_ = false;
    startNs_ = 0;
}

// Divide configuration register (SDM Vol.3A Figure 10-10): bits 3,1,0 = 000 -> 2, 001 -> 4,
// 010 -> 8, 011 -> 16, 100 -> 32, 101 -> 64, 110 -> 128, 111 -> 1.
uint64_t ApicTimer::divisor() const {
    const unsigned code = ((divideConfig_ >> 1) & 4) | (divideConfig_ & 3);
    return code == 7 ? 1 : 2ull << code;
}

void ApicTimer::writeInitialCount(uint32_t count, uint64_t nowNs) {
    initial_ = count;
    startNs_ = nowNs;
}

void ApicTimer::writeDivideConfig(uint32_t value, uint64_t nowNs) {
    uint64_t ticks = initial_ ? ticksSinceStart(nowNs) : 0;
    if (initial_) ticks = periodic_ ? ticks % initial_ : (ticks < initial_ ? ticks : initial_);
    divideConfig_ = value & kDivideConfigMask;
    startNs_ = nowNs - ticks * divisor();
}

void ApicTimer::setPeriodic(bool periodic, uint64_t nowNs) {
    if (periodic == periodic_) return;
    // Keep the count where it is. Periodic to one-shot: the current period is the last one.
    // One-shot to periodic: a count that already reached 0 starts a new period.
    if (initial_) {
        const uint64_t period = static_cast<uint64_t>(initial_) * divisor();
        const uint64_t elapsed = nowNs - startNs_;
        if (periodic_) startNs_ = nowNs - elapsed % period;
        else if (elapsed >= period) startNs_ = nowNs;
    }
    periodic_ = periodic;
}

uint32_t ApicTimer::currentCount(uint64_t nowNs) const {
    if (!initial_) return 0;
    const uint64_t ticks = ticksSinceStart(nowNs);
    if (periodic_) return static_cast<uint32_t>(initial_ - ticks % initial_);
    return ticks >= initial_ ? 0 : static_cast<uint32_t>(initial_ - ticks);
}

uint64_t ApicTimer::nextExpiryAfter(uint64_t nowNs) const {
    if (!initial_) return kNever;
    const uint64_t period = static_cast<uint64_t>(initial_) * divisor();  // < 2^40
    const uint64_t elapsed = nowNs - startNs_;
    if (!periodic_) return elapsed < period ? nowNs + (period - elapsed) : kNever;
    return nowNs + (period - elapsed % period);
}

}  // namespace pvx
