// The PV escape dispatcher: routes the call number in RAX to its service, gives every escape a
// fresh work budget, and counts calls. Every service validates its guest-physical ranges through
// PhysicalMemory's checked accessors, so a bad call returns an error and changes nothing
// (docs/pvabi.md is the guest-facing contract; pvx/abi.h its C form).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>

#include "common/escape.h"
#include "common/stats.h"
#include "mmu/phys_memory.h"
#include "pvabi/block_service.h"
#include "pvabi/clock_service.h"
#include "pvabi/console_service.h"
#include "pvabi/info_service.h"
#include "pvabi/mmu_service.h"
#include "pvabi/platform.h"
#include "pvabi/power_service.h"
#include "pvabi/sched_service.h"

namespace pvx::pv {

// One row per call pvx serves (pvx/abi.h); the single list routing, names and counts come from.
struct CallInfo {
    uint32_t number;
    const char* name;  // "service.function", e.g. "block.rw" (stats tables, --trace pv)
};

class Dispatcher final : public EscapeHandler {
public:
    // What this build implements; the machine reports it in CPUID 0x40000001 EAX. The doorbell
    // port itself is the machine's (CPUID 0x40000001 EBX).
    static constexpr uint32_t kFeatures = PVX_FEAT_INFO | PVX_FEAT_CONSOLE | PVX_FEAT_BLOCK | PVX_FEAT_CLOCK |
                                          PVX_FEAT_MMU | PVX_FEAT_SCHED | PVX_FEAT_POWER | PVX_FEAT_DOORBELL |
                                          PVX_FEAT_MULTICALL;

    Dispatcher(PhysicalMemory& mem, Platform& platform);
    EscapeOutcome escape(EscapeRegs& regs) override;

    uint32_t features() const { return kFeatures; }

    // Machine reset: forget guest registrations (the clock page). Counters are kept.
    void reset() { clock_.reset(); }

    static std::span<const CallInfo> calls();
    // "block.rw" for a served call number, "unknown" otherwise.
    static const char* callName(uint32_t number);

    // Escapes by call number, served calls with a non-zero count only (stats: pv_by_call). A
    // continued call counts once per escape. Numbers pvx does not serve are counted together in
    // unknownCalls() (a per-number map would let a guest grow host memory without bound).
    std::map<uint32_t, uint64_t> callCounts() const;
    uint64_t unknownCalls() const { return unknown_; }

    // Every service's counters as <prefix><service>.<counter>, e.g. "pv.block.sectors_read".
    void registerStats(Stats& s, const std::string& prefix) const;

    InfoService& info() { return info_; }
    ConsoleService& console() { return console_; }
    BlockService& block() { return block_; }
    ClockService& clock() { return clock_; }
    MmuService& mmu() { return mmu_; }
    SchedService& sched() { return sched_; }
    PowerService& power() { return power_; }

    uint64_t total = 0;          // escapes handled
    uint64_t continuations = 0;  // escapes that ended in Continue (work budget used up)
    uint64_t multicallEntries = 0;  // calls run from MULTICALL lists

private:
    static constexpr size_t kCallCount = 18;

    // One call through its service (the escape and every MULTICALL entry).
    EscapeOutcome dispatch(int index, EscapeRegs& r, WorkBudget& budget);
    EscapeOutcome multicall(EscapeRegs& r, WorkBudget& budget);

    PhysicalMemory& mem_;

    InfoService info_;
    ConsoleService console_;
    BlockService block_;
    ClockService clock_;
    MmuService mmu_;
    SchedService sched_;
    PowerService power_;
    std::array<Service*, 7> services_;  // by PVX_SVC_*
    std::array<uint64_t, kCallCount> counts_{};
    uint64_t unknown_ = 0;
};

}  // namespace pvx::pv
