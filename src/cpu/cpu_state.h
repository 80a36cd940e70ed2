// Architectural state of one x86-64 logical processor.
#pragma once
#include <cstdint>

#include "cpu/lazy_flags.h"

namespace pvx::cpu {

enum Reg : uint8_t { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };
enum SegReg : uint8_t { ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5 };

// A segment register with its hidden descriptor cache (SDM Vol.3A 3.4.3). `limit` is the
// byte-granular effective limit; `attr` holds descriptor bits 40-47 in 0-7 and 52-55 in 8-11.
struct Segment {
    uint16_t sel = 0;
    uint64_t base = 0;
    uint32_t limit = 0xFFFF;
    uint16_t attr = 0;

    static constexpr uint16_t kAccessed = 1, kRW = 2, kDC = 4, kCode = 8, kS = 0x10, kP = 0x80;
    static constexpr uint16_t kAvl = 0x100, kL = 0x200, kDB = 0x400, kG = 0x800;
    unsigned type() const { return attr & 0xF; }
    unsigned dpl() const { return (attr >> 5) & 3; }
    bool present() const { return attr & kP; }
    bool isCode() const { return (attr & kS) && (attr & kCode); }
    bool expandDown() const { return (attr & (kS | kCode | kDC)) == (kS | kDC); }
    bool db() const { return attr & kDB; }
    bool l() const { return attr & kL; }
};

struct DescriptorTable {
    uint64_t base = 0;
    uint32_t limit = 0xFFFF;
};

enum class Mode : uint8_t { Real, Protected, V86, Compat, Long64 };

// Control register bits used across the CPU (SDM Vol.3A 2.5).
namespace cr0 {
constexpr uint64_t PE = 1, MP = 2, EM = 4, TS = 8, ET = 0x10, NE = 0x20, WP = 1u << 16, AM = 1u << 18,
                   NW = 1u << 29, CD = 1u << 30, PG = 1ull << 31;
}
namespace cr4 {
constexpr uint64_t VME = 1, PVI = 2, TSD = 4, DE = 8, PSE = 0x10, PAE = 0x20, MCE = 0x40, PGE = 0x80,
                   PCE = 0x100, OSFXSR = 0x200, OSXMMEXCPT = 0x400, UMIP = 0x800, FSGSBASE = 0x10000,
                   PCIDE = 0x20000, OSXSAVE = 0x40000, SMEP = 0x100000, SMAP = 0x200000;
}
namespace efer {
constexpr uint64_t SCE = 1, LME = 0x100, LMA = 0x400, NXE = 0x800;
}

struct MsrState {
    uint64_t star = 0, lstar = 0, cstar = 0, sfmask = 0, kernelGsBase = 0;
    uint64_t sysenterCs = 0, sysenterEsp = 0, sysenterEip = 0;
    uint64_t tscAux = 0, pat = 0x0007040600070406ull, apicBase = 0xFEE00900ull;
    uint64_t miscEnable = 1, mtrrDefType = 0, mtrrFixed[11] = {}, mtrrVar[16] = {};
    int64_t tscOffset = 0;
};

}  // namespace pvx::cpu
