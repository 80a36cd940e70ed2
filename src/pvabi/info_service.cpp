#include "pvabi/info_service.h"

#include <algorithm>

namespace pvx::pv {

static_assert(sizeof(pvx_stats) == 72, "struct pvx_stats is 9 u64 counters");

EscapeOutcome InfoService::call(uint32_t number, EscapeRegs& r, WorkBudget&) {
    switch (number) {
        case PVX_CALL_INFO_VERSION: return succeed(r, PVX_ABI_VERSION);
        case PVX_CALL_INFO_FEATURES: return succeed(r, features_);
        case PVX_CALL_INFO_STATS: return stats(r);
    }
    return fail(r, PVX_ENOSYS);
}

// RBX = gpa, RCX = buffer size: the prefix of struct pvx_stats that fits is written (any
// alignment); RAX = bytes written. RCX = 0 writes nothing and returns 0 whatever RBX is.
EscapeOutcome InfoService::stats(EscapeRegs& r) {
    const uint64_t n = std::min<uint64_t>(r.rcx, sizeof(pvx_stats));
    if (n == 0) return succeed(r, 0);
    if (!mem_.isRamRange(r.rbx, n)) return fail(r, PVX_EFAULT);
    pvx_stats s{};
    platform_.fillStats(s);
    mem_.writeRam(r.rbx, &s, n);
    statsBytes += n;
    return succeed(r, n);
}

void InfoService::registerOwnStats(Stats& s, const std::string& prefix) const {
    s.counter(prefix + "stats_bytes", &statsBytes);
}

}  // namespace pvx::pv
