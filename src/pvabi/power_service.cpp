#include "pvabi/power_service.h"

namespace pvx::pv {

// No arguments -> 0. The machine stops (OFF) or resets (RESET) once the escape completes.
EscapeOutcome PowerService::call(uint32_t number, EscapeRegs& r, WorkBudget&) {
    switch (number) {
        case PVX_CALL_POWER_OFF:
            ++powerOffs;
            platform_.powerOff();
            return succeed(r, 0);
        case PVX_CALL_POWER_RESET:
            ++resets;
            platform_.reset();
            return succeed(r, 0);
    }
    return fail(r, PVX_ENOSYS);
}

void PowerService::registerOwnStats(Stats& s, const std::string& prefix) const {
    s.counter(prefix + "power_offs", &powerOffs);
    s.counter(prefix + "resets", &resets);
}

}  // namespace pvx::pv
