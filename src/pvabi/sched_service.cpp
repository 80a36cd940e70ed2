#include "pvabi/sched_service.h"

namespace pvx::pv {

// RBX = deadline (machine clock ns) -> 0. The halt starts after the escape completes; a deadline
// that is not in the future returns at once without halting.
EscapeOutcome SchedService::call(uint32_t number, EscapeRegs& r, WorkBudget&) {
    if (number != PVX_CALL_SCHED_HALT_UNTIL) return fail(r, PVX_ENOSYS);
    if (r.rbx <= platform_.clockNs()) {
        ++pastDeadlines;
        return succeed(r, 0);
    }
    platform_.haltUntil(r.rbx);
    ++halts;
    return succeed(r, 0);
}

void SchedService::registerOwnStats(Stats& s, const std::string& prefix) const {
    s.counter(prefix + "halts", &halts);
    s.counter(prefix + "past_deadlines", &pastDeadlines);
}

}  // namespace pvx::pv
