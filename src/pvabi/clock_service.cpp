#include "pvabi/clock_service.h"

#include <cstddef>

namespace pvx::pv {

static_assert(sizeof(pvx_time_page) == 32);
static_assert(offsetof(pvx_time_page, version) == 0 && offsetof(pvx_time_page, tsc_timestamp) == 8 &&
              offsetof(pvx_time_page, system_time) == 16 && offsetof(pvx_time_page, tsc_to_system_mul) == 24 &&
              offsetof(pvx_time_page, tsc_shift) == 28 && offsetof(pvx_time_page, flags) == 29);

EscapeOutcome ClockService::call(uint32_t number, EscapeRegs& r, WorkBudget&) {
    switch (number) {
        case PVX_CALL_CLOCK_SET_PAGE: return setPage(r);
        case PVX_CALL_CLOCK_WALLCLOCK: {
            ++wallclockReads;
            const uint64_t now = platform_.clockNs();
            r.rbx = now;
            return succeed(r, platform_.wallClockEpochNs() + now);
        }
    }
    return fail(r, PVX_ENOSYS);
}

// RBX = gpa of the 32-byte page (32-byte aligned, in RAM), or 0 to unregister -> 0.
EscapeOutcome ClockService::setPage(EscapeRegs& r) {
    if (r.rbx == 0) {
        pageGpa_ = 0;
        return succeed(r, 0);
    }
    if (r.rbx & 31) return fail(r, PVX_EINVAL);
    if (!mem_.isRamRange(r.rbx, sizeof(pvx_time_page))) return fail(r, PVX_EFAULT);
    writePage(r.rbx);
    pageGpa_ = r.rbx;
    ++pageSets;
    return succeed(r, 0);
}

void ClockService::writePage(uint64_t gpa) {
    // The seqlock version moves to the next even value above what the page held, so a reader
    // that raced the update (another CPU, later) retries. The guest is stopped while pvx writes,
    // so no odd value needs to be visible in between.
    if (!mem_.isRamRange(gpa, sizeof(pvx_time_page))) return;
    pvx_u32 old = 0;
    mem_.readRam(gpa, &old, sizeof old);
    pvx_time_page p{};
    p.version = (old | 1u) + 1u;
    p.tsc_timestamp = tscOffset_;
    p.system_time = 0;
    p.tsc_to_system_mul = kTscToSystemMul;
    p.tsc_shift = kTscShift;
    p.flags = 0;
    mem_.writeRam(gpa, &p, sizeof p);
}

void ClockService::setTscOffset(uint64_t offset) {
    tscOffset_ = offset;
    if (pageGpa_) writePage(pageGpa_);
}

void ClockService::reset() {
    pageGpa_ = 0;
    tscOffset_ = 0;
}

void ClockService::registerOwnStats(Stats& s, const std::string& prefix) const {
    s.counter(prefix + "page_sets", &pageSets);
    s.counter(prefix + "wallclock_reads", &wallclockReads);
}

}  // namespace pvx::pv
