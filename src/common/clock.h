// The machine clock. Every device takes time from here, never from the host directly, so that
// with ClockMode::Virtual the same guest sees the same interrupts at the same instruction counts
// on every run.
//
// Virtual mode: time = retired instructions * nsPerInsn + time skipped while halted. A halted CPU
// (HLT, PV halt-until) jumps straight to the next timer deadline instead of spinning.
// Host mode: time = host monotonic nanoseconds since the machine started.
#pragma once
#include <cstdint>

namespace pvx {

enum class ClockMode { Virtual, Host };

class Clock {
public:
    // Virtual time advances this many nanoseconds per retired instruction (a 1 GHz, 1-IPC guest).
    static constexpr uint64_t kNsPerInsn = 1;

    Clock(ClockMode mode, const uint64_t* instructionCounter);

    ClockMode mode() const { return mode_; }
    uint64_t nowNs() const {
        if (mode_ == ClockMode::Virtual) return *insns_ * kNsPerInsn + skippedNs_;
        return hostNowNs();
    }
    // Halted until `ns`: virtual time jumps there; host time really waits (caller sleeps).
    void skipTo(uint64_t ns);
    uint64_t skippedNs() const { return skippedNs_; }

    // Instructions that may retire before virtual time reaches `ns` (>= 1).
    uint64_t insnsUntil(uint64_t ns) const;

private:
    uint64_t hostNowNs() const;
    ClockMode mode_;
    const uint64_t* insns_;
    uint64_t skippedNs_ = 0;
    uint64_t hostStartNs_ = 0;
};

}  // namespace pvx
