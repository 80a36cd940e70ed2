// POWER: the PV twin of ACPI S5 (PM1a_CNT SLP_TYP/SLP_EN) and the i8042 pulse-reset command
// (0xFE to port 0x64). Both calls are requests the machine carries out after the escape.
#pragma once
#include "pvabi/platform.h"
#include "pvabi/service.h"

namespace pvx::pv {

class PowerService final : public Service {
public:
    explicit PowerService(Platform& platform) : platform_(platform) {}
    EscapeOutcome call(uint32_t number, EscapeRegs& r, WorkBudget& budget) override;

    uint64_t powerOffs = 0, resets = 0;

protected:
    void registerOwnStats(Stats& s, const std::string& prefix) const override;

private:
    Platform& platform_;
};

}  // namespace pvx::pv
