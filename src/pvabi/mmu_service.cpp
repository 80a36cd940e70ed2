#include "pvabi/mmu_service.h"

#include <cstddef>
#include <cstring>

namespace pvx::pv {

static_assert(sizeof(pvx_mmu_update) == 24);
static_assert(offsetof(pvx_mmu_update, pte) == 0 && offsetof(pvx_mmu_update, value) == 8 &&
              offsetof(pvx_mmu_update, va) == 16);

namespace {
constexpr uint64_t kPage = PhysicalMemory::kPageSize;
}

EscapeOutcome MmuService::call(uint32_t number, EscapeRegs& r, WorkBudget& budget) {
    switch (number) {
        case PVX_CALL_MMU_UPDATE: return update(r, budget);
        case PVX_CALL_MMU_FLUSH: return flush(r, budget);
        case PVX_CALL_MMU_ZERO: return zero(r, budget);
        case PVX_CALL_MMU_COPY: return copy(r, budget);
    }
    return fail(r, PVX_ENOSYS);
}

// LIST of pvx_mmu_update: *(u64*)pte = value (pte 8-byte aligned, in RAM), then INVLPG va.
EscapeOutcome MmuService::update(EscapeRegs& r, WorkBudget& budget) {
    if (int e = checkList(mem_, r, sizeof(pvx_mmu_update))) return fail(r, e);
    return runEntries(r, budget, [&](uint64_t i) {
        pvx_mmu_update u;
        if (!mem_.readRam(r.rbx + i * sizeof u, &u, sizeof u)) return EntryResult::failed(PVX_EFAULT);
        if (u.pte & 7) return EntryResult::failed(PVX_EINVAL);
        if (!mem_.writeRam(u.pte, &u.value, sizeof u.value)) return EntryResult::failed(PVX_EFAULT);
        ++pteUpdates;
        if (u.va != kNoFlush) {
            platform_.invalidatePage(u.va);
            ++pageInvalidations;
        }
        return EntryResult::ok();
    });
}

// LIST of u64 linear addresses, INVLPG each; RCX = 0 flushes every non-global translation.
EscapeOutcome MmuService::flush(EscapeRegs& r, WorkBudget& budget) {
    if (r.rcx == 0) {
        platform_.flushTlb();
        ++tlbFlushes;
        r.rdx = 0;
        return succeed(r, 0);
    }
    if (int e = checkList(mem_, r, sizeof(uint64_t))) return fail(r, e);
    return runEntries(r, budget, [&](uint64_t i) {
        uint64_t va;
        if (!mem_.readRam(r.rbx + i * sizeof va, &va, sizeof va)) return EntryResult::failed(PVX_EFAULT);
        platform_.invalidatePage(va);
        ++pageInvalidations;
        return EntryResult::ok();
    });
}

// RBX = first page (4 KiB aligned), RCX = pages; the whole range is checked before any page is
// zeroed, then pages RDX.. are zeroed, WorkLimits::kPages per escape (runEntries stops when the
// page budget is used).
EscapeOutcome MmuService::zero(EscapeRegs& r, WorkBudget& budget) {
    if (int e = checkCountAndStart(r)) return fail(r, e);
    if (r.rcx != 0) {
        if (r.rbx & (kPage - 1)) return fail(r, PVX_EINVAL);
        if (!mem_.isRamRange(r.rbx, r.rcx * kPage)) return fail(r, PVX_EFAULT);
    }
    return runEntries(r, budget, [&](uint64_t i) {
        const uint64_t gpa = r.rbx + i * kPage;
        uint8_t* p = mem_.ramPtr(gpa, kPage);
        if (!p) return EntryResult::failed(PVX_EFAULT);
        mem_.notifyWrite(gpa, kPage);  // the page may hold decoded code
        std::memset(p, 0, kPage);
        budget.chargePages(1);
        ++pagesZeroed;
        return EntryResult::ok();
    });
}

// RBX = destination, RSI = source (both 4 KiB aligned), RCX = pages; overlapping ranges are
// -PVX_EINVAL (a page-at-a-time copy of overlapping ranges would not be a memmove).
EscapeOutcome MmuService::copy(EscapeRegs& r, WorkBudget& budget) {
    if (int e = checkCountAndStart(r)) return fail(r, e);
    if (r.rcx != 0) {
        if ((r.rbx | r.rsi) & (kPage - 1)) return fail(r, PVX_EINVAL);
        const uint64_t len = r.rcx * kPage;
        if (!mem_.isRamRange(r.rbx, len) || !mem_.isRamRange(r.rsi, len)) return fail(r, PVX_EFAULT);
        // Both ranges are in RAM, so neither wraps: plain interval overlap.
        if (r.rbx < r.rsi + len && r.rsi < r.rbx + len) return fail(r, PVX_EINVAL);
    }
    return runEntries(r, budget, [&](uint64_t i) {
        const uint64_t dst = r.rbx + i * kPage, src = r.rsi + i * kPage;
        uint8_t* d = mem_.ramPtr(dst, kPage);
        const uint8_t* s = mem_.ramPtr(src, kPage);
        if (!d || !s) return EntryResult::failed(PVX_EFAULT);
        mem_.notifyWrite(dst, kPage);
        std::memcpy(d, s, kPage);
        budget.chargePages(1);
        ++pagesCopied;
        return EntryResult::ok();
    });
}

void MmuService::registerOwnStats(Stats& s, const std::string& prefix) const {
    s.counter(prefix + "pte_updates", &pteUpdates);
    s.counter(prefix + "page_invalidations", &pageInvalidations);
    s.counter(prefix + "tlb_flushes", &tlbFlushes);
    s.counter(prefix + "pages_zeroed", &pagesZeroed);
    s.counter(prefix + "pages_copied", &pagesCopied);
}

}  // namespace pvx::pv
