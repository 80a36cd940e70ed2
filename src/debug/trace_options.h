// What --trace, --trace-file, --trace-range, --trace-after and --trace-count ask for.
#pragma once
#include <cstdint>
#include <string>

namespace pvx::debug {

namespace trace {
constexpr unsigned kInsn = 1, kIo = 2, kMmio = 4, kPv = 8, kIrq = 16, kExc = 32, kMmu = 64;
}

struct TraceOptions {
    unsigned categories = 0;        // trace::k* bits; 0: tracing off
    std::string file;               // "" or "-": stderr
    uint64_t rangeLo = 0, rangeHi = ~0ull;  // insn lines for linear addresses in [lo, hi]
    uint64_t after = 0;             // events from this instruction count on
    uint64_t count = 0;             // ... for this many instructions (0: no end)
};

// Parses "insn,io,..." into trace::k* bits; false (with the bad word in `bad`) on an unknown one.
bool parseTraceCategories(const std::string& list, unsigned& bits, std::string& bad);
// Parses "LO-HI" (hex with or without 0x, LO <= HI).
bool parseTraceRange(const std::string& s, uint64_t& lo, uint64_t& hi);

}  // namespace pvx::debug
