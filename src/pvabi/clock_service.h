// CLOCK: the PV twin of the PIT (latch + two port reads per timestamp) and the CMOS RTC (index/
// data port pairs per field). The guest registers a time page once and then reads time with
// RDTSC and arithmetic, no exit at all; WALLCLOCK gives the date in one escape.
//
// pvx's TSC is the machine clock in nanoseconds, so the page is constant: tsc_timestamp = 0,
// system_time = 0, tsc_to_system_mul = 2^31, tsc_shift = 1, and the pvclock formula
//   ns = system_time + (((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul >> 32)
// reduces to ns = tsc. It is written at SET_PAGE and rewritten only if the guest moves its TSC
// (WRMSR to IA32_TIME_STAMP_COUNTER / IA32_TSC_ADJUST: the machine calls setTscOffset), which
// sets tsc_timestamp = the offset so that ns = tsc - offset stays the machine clock.
#pragma once
#include "pvabi/platform.h"
#include "pvabi/service.h"

namespace pvx::pv {

class ClockService final : public Service {
public:
    static constexpr uint32_t kTscToSystemMul = 1u << 31;
    static constexpr int8_t kTscShift = 1;

    ClockService(PhysicalMemory& mem, Platform& platform) : mem_(mem), platform_(platform) {}
    EscapeOutcome call(uint32_t number, EscapeRegs& r, WorkBudget& budget) override;

    // The guest's TSC now reads clock ns + `offset` (two's complement): the registered page, if
    // any, is rewritten with tsc_timestamp = offset and a new even version. Called by the machine.
    void setTscOffset(uint64_t offset);
    // Machine reset: the page registration and TSC offset are forgotten (the page is not touched).
    void reset();

    uint64_t pageGpa() const { return pageGpa_; }  // 0 = no page registered
    uint64_t tscOffset() const { return tscOffset_; }
    uint64_t pageSets = 0, wallclockReads = 0;

protected:
    void registerOwnStats(Stats& s, const std::string& prefix) const override;

private:
    EscapeOutcome setPage(EscapeRegs& r);
    void writePage(uint64_t gpa);

    PhysicalMemory& mem_;
    Platform& platform_;
    uint64_t pageGpa_ = 0;
    uint64_t tscOffset_ = 0;
};

}  // namespace pvx::pv
