// SCHED: the PV twin of HLT with the PIT programmed for the next tick. The guest names the
// deadline in clock nanoseconds; the machine halts the CPU until then or an interrupt, so an idle
// guest costs one escape per wake-up instead of a timer programming sequence plus HLT.
#pragma once
#include "pvabi/platform.h"
#include "pvabi/service.h"

namespace pvx::pv {

class SchedService final : public Service {
public:
    explicit SchedService(Platform& platform) : platform_(platform) {}
    EscapeOutcome call(uint32_t number, EscapeRegs& r, WorkBudget& budget) override;

    uint64_t halts = 0;         // the CPU was halted
    uint64_t pastDeadlines = 0; // the deadline had already passed: returned at once

protected:
    void registerOwnStats(Stats& s, const std::string& prefix) const override;

private:
    Platform& platform_;
};

}  // namespace pvx::pv
