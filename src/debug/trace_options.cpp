#include "debug/trace_options.h"

#include <sstream>

#include "debug/gdb_packet.h"

namespace pvx::debug {

bool parseTraceCategories(const std::string& list, unsigned& bits, std::string& bad) {
    static const struct {
        const char* name;
        unsigned bit;
    } kNames[] = {{"insn", trace::kInsn}, {"io", trace::kIo},   {"mmio", trace::kMmio}, {"pv", trace::kPv},
                  {"irq", trace::kIrq},   {"exc", trace::kExc}, {"mmu", trace::kMmu}};
    bits = 0;
    std::istringstream in(list);
    bool any = false;
    for (std::string w; std::getline(in, w, ',');) {
        bool found = false;
        for (const auto& n : kNames)
            if (w == n.name) {
                bits |= n.bit;
                found = true;
            }
        if (w == "all") {
            bits = trace::kInsn | trace::kIo | trace::kMmio | trace::kPv | trace::kIrq | trace::kExc | trace::kMmu;
            found = true;
        }
        if (!found) {
            bad = w;
            return false;
        }
        any = true;
    }
    if (!any) bad = list;
    return any;
}

bool parseTraceRange(const std::string& s, uint64_t& lo, uint64_t& hi) {
    const size_t dash = s.find('-');
    if (dash == std::string::npos) return false;
    auto num = [](std::string t, uint64_t& v) {
        if (t.rfind("0x", 0) == 0 || t.rfind("0X", 0) == 0) t = t.substr(2);
        return parseHexU64(t, v);
    };
    return num(s.substr(0, dash), lo) && num(s.substr(dash + 1), hi) && lo <= hi;
}

}  // namespace pvx::debug
