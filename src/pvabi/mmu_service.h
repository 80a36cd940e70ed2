// MMU: page-table maintenance by the host in one escape. The emulated twins are a PTE store plus
// INVLPG per mapping (each store to a page-table page and each INVLPG costs the interpreter a
// slow path), and REP STOSQ / REP MOVSQ for whole pages. The TLB work goes to the CPU through
// Platform::invalidatePage / flushTlb.
#pragma once
#include "pvabi/platform.h"
#include "pvabi/service.h"

namespace pvx::pv {

class MmuService final : public Service {
public:
    static constexpr uint64_t kNoFlush = ~0ull;  // pvx_mmu_update.va: store only, no INVLPG

    MmuService(PhysicalMemory& mem, Platform& platform) : mem_(mem), platform_(platform) {}
    EscapeOutcome call(uint32_t number, EscapeRegs& r, WorkBudget& budget) override;

    uint64_t pteUpdates = 0, pageInvalidations = 0, tlbFlushes = 0;
    uint64_t pagesZeroed = 0, pagesCopied = 0;

protected:
    void registerOwnStats(Stats& s, const std::string& prefix) const override;

private:
    EscapeOutcome update(EscapeRegs& r, WorkBudget& budget);
    EscapeOutcome flush(EscapeRegs& r, WorkBudget& budget);
    EscapeOutcome zero(EscapeRegs& r, WorkBudget& budget);
    EscapeOutcome copy(EscapeRegs& r, WorkBudget& budget);

    PhysicalMemory& mem_;
    Platform& platform_;
};

}  // namespace pvx::pv
