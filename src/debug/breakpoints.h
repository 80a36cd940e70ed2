// The GDB stub's breakpoints and watchpoints (GDB manual E.2 "Packets", Z/z): code breakpoints
// are a set of linear addresses checked by the CPU's stepped path, so guest memory is never
// patched with INT3; watchpoints are linear ranges whose pages the TLB routes through its slow
// path (the same idea as the guest's DR0-DR3 data breakpoints, SDM Vol.3B 17.2.4).
#pragma once
#include <cstddef>
#include <cstdint>
#include <set>
#include <vector>

namespace pvx::debug {

enum class WatchKind : uint8_t { Write = 2, Read = 3, Access = 4 };  // Z2, Z3, Z4

struct Watchpoint {
    WatchKind kind;
    uint64_t addr, len;
};

class BreakpointSet {
public:
    static constexpr size_t kMaxCode = 4096, kMaxWatch = 64;
    static constexpr uint64_t kMaxWatchLen = 1u << 20;

    // Z0 (software) and Z1 (hardware) behave alike; they are kept apart so z0 cannot remove a Z1.
    bool addCode(uint64_t addr, bool hw);
    bool removeCode(uint64_t addr, bool hw);
    bool isCode(uint64_t lin) const { return code_[0].count(lin) || code_[1].count(lin); }
    bool anyCode() const { return !code_[0].empty() || !code_[1].empty(); }

    bool addWatch(WatchKind k, uint64_t addr, uint64_t len);
    bool removeWatch(WatchKind k, uint64_t addr, uint64_t len);
    bool anyWatch() const { return !watches_.empty(); }
    bool watchesPage(uint64_t lin) const;
    // The first watchpoint an access of [lin, lin+size) triggers, or null.
    const Watchpoint* match(uint64_t lin, unsigned size, bool write) const;

    void clear();

private:
    std::set<uint64_t> code_[2];
    std::vector<Watchpoint> watches_;
};

}  // namespace pvx::debug
