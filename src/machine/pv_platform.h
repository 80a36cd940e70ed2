// The machine's side of the PV services (pv::Platform): the same backends the emulated devices
// use, the CPU's TLB and halt state, the clock, and the power/reset requests.
#pragma once
#include <functional>

#include "common/clock.h"
#include "common/timer_queue.h"
#include "pvabi/platform.h"

namespace pvx {
namespace cpu {
class Cpu;
}

class PvPlatform final : public pv::Platform {
public:
    struct Hooks {
        std::function<void()> powerOff, reset;
        std::function<void(pvx_stats&)> fillStats;
    };
    PvPlatform(cpu::Cpu& cpu, Clock& clock, TimerQueue& timers, CharBackend* console, BlockBackend* disk0,
               uint64_t wallEpochNs, Hooks hooks);

    CharBackend* console() override { return console_; }
    BlockBackend* disk(unsigned n) override { return n == 0 ? disk0_ : nullptr; }
    uint64_t clockNs() override { return clock_.nowNs(); }
    uint64_t wallClockEpochNs() override { return epochNs_; }
    void invalidatePage(uint64_t linear) override;
    void flushTlb() override;
    void haltUntil(uint64_t clockNs) override;
    void powerOff() override { hooks_.powerOff(); }
    void reset() override { hooks_.reset(); }
    void fillStats(pvx_stats& s) override { hooks_.fillStats(s); }

private:
    cpu::Cpu& cpu_;
    Clock& clock_;
    TimerQueue& timers_;
    TimerQueue::Id wake_;
    CharBackend* console_;
    BlockBackend* disk0_;
    uint64_t epochNs_;
    Hooks hooks_;
};

}  // namespace pvx
