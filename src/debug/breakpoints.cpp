#include "debug/breakpoints.h"

#include <algorithm>

namespace pvx::debug {

bool BreakpointSet::addCode(uint64_t addr, bool hw) {
    auto& s = code_[hw];
    if (s.size() >= kMaxCode && !s.count(addr)) return false;
    s.insert(addr);
    return true;
}

bool BreakpointSet::removeCode(uint64_t addr, bool hw) { return code_[hw].erase(addr) > 0; }

bool BreakpointSet::addWatch(WatchKind k, uint64_t addr, uint64_t len) {
    if (len == 0 || len > kMaxWatchLen || addr + len < addr || watches_.size() >= kMaxWatch) return false;
    watches_.push_back({k, addr, len});
    return true;
}

bool BreakpointSet::removeWatch(WatchKind k, uint64_t addr, uint64_t len) {
    auto it = std::find_if(watches_.begin(), watches_.end(),
                           [&](const Watchpoint& w) { return w.kind == k && w.addr == addr && w.len == len; });
    if (it == watches_.end()) return false;
    watches_.erase(it);
    return true;
}

bool BreakpointSet::watchesPage(uint64_t lin) const {
    const uint64_t page = lin & ~0xFFFull;
    for (const auto& w : watches_)
        if (page <= ((w.addr + w.len - 1) & ~0xFFFull) && (w.addr & ~0xFFFull) <= page) return true;
    return false;
}

const Watchpoint* BreakpointSet::match(uint64_t lin, unsigned size, bool write) const {
    for (const auto& w : watches_) {
        if (w.kind == WatchKind::Write && !write) continue;
        if (w.kind == WatchKind::Read && write) continue;
        if (lin < w.addr + w.len && w.addr < lin + size) return &w;
    }
    return nullptr;
}

void BreakpointSet::clear() {
    code_[0].clear();
    code_[1].clear();
    watches_.clear();
}

}  // namespace pvx::debug
