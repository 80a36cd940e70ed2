// INFO: the ABI version, the feature bitmap and the emulator's counters (struct pvx_stats).
#pragma once
#include "pvabi/platform.h"
#include "pvabi/service.h"

namespace pvx::pv {

class InfoService final : public Service {
public:
    InfoService(PhysicalMemory& mem, Platform& platform, uint32_t features)
        : mem_(mem), platform_(platform), features_(features) {}
    EscapeOutcome call(uint32_t number, EscapeRegs& r, WorkBudget& budget) override;

    uint64_t statsBytes = 0;  // bytes of struct pvx_stats copied to guests

protected:
    void registerOwnStats(Stats& s, const std::string& prefix) const override;

private:
    EscapeOutcome stats(EscapeRegs& r);

    PhysicalMemory& mem_;
    Platform& platform_;
    uint32_t features_;
};

}  // namespace pvx::pv
