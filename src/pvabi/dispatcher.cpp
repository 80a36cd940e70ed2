#include "pvabi/dispatcher.h"

#include <iterator>
#include <tuple>

namespace pvx::pv {

namespace {

constexpr CallInfo kCalls[] = {
    {PVX_CALL_INFO_VERSION, "info.version"},
    {PVX_CALL_INFO_FEATURES, "info.features"},
    {PVX_CALL_INFO_STATS, "info.stats"},
    {PVX_CALL_CONSOLE_WRITE, "console.write"},
    {PVX_CALL_CONSOLE_READ, "console.read"},
    {PVX_CALL_BLOCK_INFO, "block.info"},
    {PVX_CALL_BLOCK_RW, "block.rw"},
    {PVX_CALL_BLOCK_FLUSH, "block.flush"},
    {PVX_CALL_CLOCK_SET_PAGE, "clock.set_page"},
    {PVX_CALL_CLOCK_WALLCLOCK, "clock.wallclock"},
    {PVX_CALL_MMU_UPDATE, "mmu.update"},
    {PVX_CALL_MMU_FLUSH, "mmu.flush"},
    {PVX_CALL_MMU_ZERO, "mmu.zero"},
    {PVX_CALL_MMU_COPY, "mmu.copy"},
    {PVX_CALL_SCHED_HALT_UNTIL, "sched.halt_until"},
    {PVX_CALL_POWER_OFF, "power.off"},
    {PVX_CALL_POWER_RESET, "power.reset"},
};

constexpr const char* kServiceNames[] = {"info", "console", "block", "clock", "mmu", "sched", "power"};

// The whole 64-bit RAX is the call number: 0x1'0000'0200 is not BLOCK_INFO.
int callIndex(uint64_t rax) {
    for (size_t i = 0; i < std::size(kCalls); ++i)
        if (rax == kCalls[i].number) return static_cast<int>(i);
    return -1;
}

}  // namespace

Dispatcher::Dispatcher(PhysicalMemory& mem, Platform& platform)
    : info_(mem, platform, kFeatures),
      console_(mem, platform),
      block_(mem, platform),
      clock_(mem, platform),
      mmu_(mem, platform),
      sched_(platform),
      power_(platform),
      services_{&info_, &console_, &block_, &clock_, &mmu_, &sched_, &power_} {
    static_assert(std::size(kCalls) == kCallCount);
    static_assert(std::size(kServiceNames) == std::tuple_size_v<decltype(services_)>);
    static_assert(PVX_SVC_POWER + 1 == std::tuple_size_v<decltype(services_)>);
}

std::span<const CallInfo> Dispatcher::calls() { return kCalls; }

const char* Dispatcher::callName(uint32_t number) {
    const int i = callIndex(number);
    return i < 0 ? "unknown" : kCalls[i].name;
}

EscapeOutcome Dispatcher::escape(EscapeRegs& r) {
    ++total;
    const int idx = callIndex(r.rax);
    if (idx < 0) {
        ++unknown_;
        return fail(r, PVX_ENOSYS);
    }
    ++counts_[static_cast<size_t>(idx)];
    const uint32_t number = kCalls[idx].number;
    Service& svc = *services_[number >> 8];
    ++svc.calls;
    WorkBudget budget;
    const EscapeOutcome o = svc.call(number, r, budget);
    if (o == EscapeOutcome::Continue) {
        r.rax = number;  // the guest re-executes the same call (RDX holds the next index)
        ++svc.continuations;
        ++continuations;
    } else if (static_cast<int64_t>(r.rax) < 0) {
        ++svc.errors;
    }
    return o;
}

std::map<uint32_t, uint64_t> Dispatcher::callCounts() const {
    std::map<uint32_t, uint64_t> m;
    for (size_t i = 0; i < kCallCount; ++i)
        if (counts_[i]) m[kCalls[i].number] = counts_[i];
    return m;
}

void Dispatcher::registerStats(Stats& s, const std::string& prefix) const {
    for (size_t i = 0; i < services_.size(); ++i)
        services_[i]->registerStats(s, prefix + kServiceNames[i] + ".");
}

}  // namespace pvx::pv
