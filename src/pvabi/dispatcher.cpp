#include "pvabi/dispatcher.h"

#include <cstddef>
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
    {PVX_CALL_MULTICALL, "multi.call"},
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
    : mem_(mem),
      info_(mem, platform, kFeatures),
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
    static_assert(sizeof(pvx_multicall) == 64);
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
    WorkBudget budget;
    const EscapeOutcome o = dispatch(idx, r, budget);
    if (o == EscapeOutcome::Continue) ++continuations;
    return o;
}

EscapeOutcome Dispatcher::dispatch(int idx, EscapeRegs& r, WorkBudget& budget) {
    ++counts_[static_cast<size_t>(idx)];
    const uint32_t number = kCalls[idx].number;
    if (number == PVX_CALL_MULTICALL) {
        const EscapeOutcome o = multicall(r, budget);
        if (o == EscapeOutcome::Continue) r.rax = number;
        return o;
    }
    Service& svc = *services_[number >> 8];
    ++svc.calls;
    const EscapeOutcome o = svc.call(number, r, budget);
    if (o == EscapeOutcome::Continue) {
        r.rax = number;  // the guest re-executes the same call (RDX holds the next index)
        ++svc.continuations;
    } else if (static_cast<int64_t>(r.rax) < 0) {
        ++svc.errors;
    }
    return o;
}

// MULTICALL (docs/pvabi.md): a LIST of struct pvx_multicall run in order in one escape, sharing
// its work budget (the Xen multicall, ANCHORS.md 2.2). An entry whose call fails stops the list
// with that error at its index; an entry whose call runs out of budget is continued: its
// registers (its own RDX progress) are written back and the MULTICALL resumes at that entry.
EscapeOutcome Dispatcher::multicall(EscapeRegs& r, WorkBudget& budget) {
    if (int e = checkList(mem_, r, sizeof(pvx_multicall))) return fail(r, e);
    return runEntries(r, budget, [&](uint64_t i) {
        const uint64_t at = r.rbx + i * sizeof(pvx_multicall);
        pvx_multicall m;
        if (!mem_.readRam(at, &m, sizeof m)) return EntryResult::failed(PVX_EFAULT);
        const int idx = callIndex(m.call);
        if (idx < 0 || m.call == PVX_CALL_MULTICALL) {  // unknown, or nested (no recursion)
            const int e = idx < 0 ? PVX_ENOSYS : PVX_EINVAL;
            m.result = errorValue(e);
            if (!mem_.writeRam(at + offsetof(pvx_multicall, result), &m.result, 8)) return EntryResult::failed(PVX_EFAULT);
            return EntryResult::failed(e);
        }
        EscapeRegs inner = r;
        inner.rax = m.call;
        inner.rbx = m.args[0];
        inner.rcx = m.args[1];
        inner.rdx = m.args[2];
        inner.rsi = m.args[3];
        inner.rdi = m.args[4];
        inner.r8 = m.args[5];
        ++multicallEntries;
        const EscapeOutcome o = dispatch(idx, inner, budget);
        m.args[0] = inner.rbx;
        m.args[1] = inner.rcx;
        m.args[2] = inner.rdx;
        m.args[3] = inner.rsi;
        m.args[4] = inner.rdi;
        m.args[5] = inner.r8;
        m.result = inner.rax;
        // The call may have rewritten its own entry's memory (a block read into the list):
        // the written-back registers and result win, as the ABI says.
        if (!mem_.writeRam(at, &m, sizeof m)) return EntryResult::failed(PVX_EFAULT);
        if (o == EscapeOutcome::Undefined) return EntryResult::failed(PVX_ENOSYS);
        if (o == EscapeOutcome::Continue) return EntryResult::deferred();
        if (static_cast<int64_t>(inner.rax) < 0) return EntryResult::failed(static_cast<int>(-static_cast<int64_t>(inner.rax)));
        return EntryResult::ok();
    });
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
