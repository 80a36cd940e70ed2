// What every PV service shares: the register results, the counters the dispatcher keeps for it,
// and the list engine that gives every LIST call the semantics pvx/abi.h states (start index in
// RDX, the count on completion, the failing index on error, continuation on the work budget).
#pragma once
#include <cstdint>
#include <string>

#include "common/escape.h"
#include "common/stats.h"
#include "mmu/phys_memory.h"
#include "pvabi/work_budget.h"
#include "pvx/abi.h"

namespace pvx::pv {

// RAX for an error: -PVX_E* as a 64-bit two's complement value.
constexpr uint64_t errorValue(int err) { return static_cast<uint64_t>(-static_cast<int64_t>(err)); }

inline EscapeOutcome fail(EscapeRegs& r, int err) {
    r.rax = errorValue(err);
    return EscapeOutcome::Done;
}
inline EscapeOutcome succeed(EscapeRegs& r, uint64_t value) {
    r.rax = value;
    return EscapeOutcome::Done;
}

class Service {
public:
    virtual ~Service() = default;
    Service() = default;
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    // Runs call `number` (a PVX_CALL_* of this service); the dispatcher only passes numbers its
    // call table lists for this service.
    virtual EscapeOutcome call(uint32_t number, EscapeRegs& r, WorkBudget& budget) = 0;

    // Registers calls/continuations/errors and the service's own counters under `prefix`
    // (e.g. "pv.block." -> "pv.block.sectors_read").
    void registerStats(Stats& s, const std::string& prefix) const;

    // Kept by the dispatcher: escapes routed here (a continued call counts once per escape),
    // escapes that ended in Continue, and calls that returned an error.
    uint64_t calls = 0, continuations = 0, errors = 0;

protected:
    virtual void registerOwnStats(Stats& s, const std::string& prefix) const = 0;
};

// The result of one list entry.
struct EntryResult {
    enum class Kind { Ok, Failed, Deferred } kind;
    int error;  // PVX_E* (positive) when Failed
    static EntryResult ok() { return {Kind::Ok, 0}; }
    static EntryResult failed(int err) { return {Kind::Failed, err}; }
    // The entry would take this escape past its work budget: leave it for the re-execution.
    // Only legal once the budget is no longer fresh (WorkBudget::fitsBytes), so every escape
    // makes progress.
    static EntryResult deferred() { return {Kind::Deferred, 0}; }
};

// Call-level checks shared by every counted call: RCX (count) <= PVX_MAX_BATCH, RDX (start) <=
// RCX. Returns 0 or a PVX_E* value.
inline int checkCountAndStart(const EscapeRegs& r) {
    if (r.rcx > PVX_MAX_BATCH) return PVX_E2BIG;
    if (r.rdx > r.rcx) return PVX_EINVAL;
    return 0;
}

// Call-level checks of a LIST: count and start, then (for a non-empty list) RBX 8-byte aligned
// and the whole array [RBX, RBX + RCX * entrySize) in RAM.
inline int checkList(const PhysicalMemory& mem, const EscapeRegs& r, uint64_t entrySize) {
    if (int e = checkCountAndStart(r)) return e;
    if (r.rcx == 0) return 0;
    if (r.rbx & 7) return PVX_EINVAL;
    // RCX <= PVX_MAX_BATCH, so the product cannot overflow; isRamRange rejects wrap-around.
    if (!mem.isRamRange(r.rbx, r.rcx * entrySize)) return PVX_EFAULT;
    return 0;
}

// Runs entries RDX .. RCX-1 in order after the call-level checks passed:
//   all done       -> RAX = RCX, RDX = RCX, Done
//   entry i fails  -> RAX = -error, RDX = i, Done (entries before i done, none after touched)
//   budget used up -> RDX = next index, RAX unchanged (the call number), Continue
template <class EntryFn>
EscapeOutcome runEntries(EscapeRegs& r, WorkBudget& budget, EntryFn&& entry) {
    const uint64_t start = r.rdx;
    for (uint64_t i = start; i < r.rcx; ++i) {
        if (i != start && budget.exhausted()) {
            r.rdx = i;
            return EscapeOutcome::Continue;
        }
        const EntryResult e = entry(i);
        if (e.kind == EntryResult::Kind::Deferred) {
            r.rdx = i;
            return EscapeOutcome::Continue;
        }
        if (e.kind == EntryResult::Kind::Failed) {
            r.rdx = i;
            return fail(r, e.error);
        }
        budget.chargeEntry();
    }
    r.rdx = r.rcx;
    return succeed(r, r.rcx);
}

}  // namespace pvx::pv
