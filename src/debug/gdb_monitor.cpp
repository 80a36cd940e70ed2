#include "debug/gdb_monitor.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdlib>
#include <cstdio>
#include <sstream>
#include <vector>

#include "cpu/cpu.h"
#include "debug/guest_memory.h"
#include "machine/machine.h"

namespace pvx::debug {

namespace {
constexpr uint64_t kMaxDump = 64 * 1024;

bool parseNumber(const std::string& s, uint64_t& v) {
    if (s.empty()) return false;
    char* end = nullptr;
    errno = 0;
    v = std::strtoull(s.c_str(), &end, 0);  // 0x.. hex, else decimal
    return errno == 0 && end && *end == 0 && s[0] != '-';
}

std::string hexdump(const PhysicalMemory& mem, uint64_t addr, uint64_t len) {
    std::vector<uint8_t> buf(len);
    const size_t got = debugReadPhys(mem, addr, buf.data(), len);
    std::string out;
    char line[128];
    for (size_t k = 0; k < got; k += 16) {
        int n = std::snprintf(line, sizeof line, "%08" PRIx64 ":", addr + k);
        std::string ascii;
        for (size_t j = k; j < k + 16 && j < got; ++j) {
            n += std::snprintf(line + n, sizeof line - static_cast<size_t>(n), " %02x", buf[j]);
            ascii += buf[j] >= 0x20 && buf[j] < 0x7F ? static_cast<char>(buf[j]) : '.';
        }
        out += line;
        out += std::string(3 * (16 - std::min<size_t>(16, got - k)) + 2, ' ') + ascii + "\n";
    }
    if (got < len) {
        std::snprintf(line, sizeof line, "%08" PRIx64 ": not RAM or ROM\n", addr + got);
        out += line;
    }
    return out;
}

std::string cpuInfo(const cpu::Cpu& c) {
    char b[1024];
    int n = std::snprintf(b, sizeof b,
                          "mode %s, CPL %u%s\ncs:rip %04x:%016" PRIx64 "  rflags %08x  icount %" PRIu64 "\n"
                          "cr0 %016" PRIx64 " cr2 %016" PRIx64 " cr3 %016" PRIx64 "\ncr4 %016" PRIx64
                          " cr8 %016" PRIx64 " efer %016" PRIx64 "\n",
                          c.modeName(), c.cpl, c.halted ? ", halted" : "", c.seg[cpu::CS].sel, c.rip, c.getFlags(),
                          c.icount, c.cr0, c.cr2, c.cr3, c.cr4, static_cast<uint64_t>(c.cr8), c.efer);
    static const char* kSeg[6] = {"es", "cs", "ss", "ds", "fs", "gs"};
    for (unsigned s = 0; s < 6 && n > 0 && static_cast<size_t>(n) < sizeof b; ++s) {
        const cpu::Segment& g = c.seg[s];
        n += std::snprintf(b + n, sizeof b - static_cast<size_t>(n), "%s %04x base %016" PRIx64 " limit %08x attr %04x\n",
                           kSeg[s], g.sel, g.base, g.limit, g.attr);
    }
    return b;
}
}  // namespace

std::string runMonitorCommand(Machine& m, const std::string& command) {
    std::istringstream in(command);
    std::vector<std::string> w;
    for (std::string t; in >> t;) w.push_back(t);
    if (w.empty() || w[0] == "help")
        return "pvx monitor commands:\n  phys ADDR LEN   hexdump guest-physical memory\n"
               "  translate ADDR  linear -> physical address and memory type\n"
               "  info            CPU mode and registers\n  stats           the --stats counters (JSON)\n";
    if (w[0] == "phys") {
        uint64_t addr, len;
        if (w.size() != 3 || !parseNumber(w[1], addr) || !parseNumber(w[2], len) || len == 0 || len > kMaxDump)
            return "usage: monitor phys ADDR LEN (LEN 1..65536)\n";
        return hexdump(m.memory(), addr, len);
    }
    if (w[0] == "translate") {
        uint64_t lin;
        if (w.size() != 2 || !parseNumber(w[1], lin)) return "usage: monitor translate ADDR\n";
        DebugTranslation t;
        char b[160];
        if (!debugTranslate(m.cpu(), lin, t)) {
            std::snprintf(b, sizeof b, "%016" PRIx64 ": not mapped\n", lin);
        } else {
            std::snprintf(b, sizeof b, "%016" PRIx64 " -> %010" PRIx64 " (%" PRIu64 " KiB page, %s)\n", lin, t.paddr,
                          t.pageSize >> 10, mmu::memTypeName(t.memType));
        }
        return b;
    }
    if (w[0] == "info") return cpuInfo(m.cpu());
    if (w[0] == "stats") return m.statsJson() + "\n";
    return "unknown monitor command '" + w[0] + "' (try 'monitor help')\n";
}

}  // namespace pvx::debug
