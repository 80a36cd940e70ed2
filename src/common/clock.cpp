#include "common/clock.h"

#include "host/host_time.h"

namespace pvx {

Clock::Clock(ClockMode mode, const uint64_t* instructionCounter)
    : mode_(mode), insns_(instructionCounter), hostStartNs_(host::monotonicNs()) {}

uint64_t Clock::hostNowNs() const { return host::monotonicNs() - hostStartNs_; }

void Clock::skipTo(uint64_t ns) {
    if (mode_ == ClockMode::Virtual) {
        uint64_t now = nowNs();
        if (ns > now) skippedNs_ += ns - now;
    } else {
        uint64_t now = hostNowNs();
        if (ns > now) host::sleepNs(ns - now);
    }
}

uint64_t Clock::insnsUntil(uint64_t ns) const {
    uint64_t now = nowNs();
    if (ns <= now) return 1;
    if (mode_ == ClockMode::Virtual) return (ns - now + kNsPerInsn - 1) / kNsPerInsn;
    // Host mode: poll often enough that timers fire close to time (~0.1 ms at 100 MIPS).
    return 10000;
}

}  // namespace pvx
