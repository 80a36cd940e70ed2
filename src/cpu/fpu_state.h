// x87 FPU, MMX and SSE register state (SDM Vol.1 8.1, 9.2, 10.2).
//
// The x87 stack lives in its physical registers R0-R7: ST(i) is R[(TOP + i) & 7], TOP being
// FSW bits 13:11. The tag word is kept in its full 2-bit-per-register form (00 valid, 01 zero,
// 10 special, 11 empty); FXSAVE's abridged form is derived from it. MMX registers MM0-MM7 alias
// the significands of R0-R7 (SDM Vol.1 9.5: writing one sets the exponent/sign field to all ones).
#pragma once
#include <cstdint>

#include "cpu/fp/softfloat.h"

namespace pvx::cpu {

namespace fsw {
constexpr uint16_t IE = 1, DE = 2, ZE = 4, OE = 8, UE = 0x10, PE = 0x20, SF = 0x40, ES = 0x80, C0 = 0x100,
                   C1 = 0x200, C2 = 0x400, TOP = 0x3800, C3 = 0x4000, B = 0x8000;
constexpr unsigned kTopShift = 11;
}  // namespace fsw
namespace fcw {
constexpr uint16_t IM = 1, DM = 2, ZM = 4, OM = 8, UM = 0x10, PM = 0x20, PC = 0x300, RC = 0xC00, X = 0x1000;
constexpr uint16_t kMasks = 0x3F;
constexpr unsigned kPcShift = 8, kRcShift = 10;
}  // namespace fcw
namespace mxcsr {
constexpr uint32_t IE = 1, DE = 2, ZE = 4, OE = 8, UE = 0x10, PE = 0x20, DAZ = 0x40, IM = 0x80, DM = 0x100,
                   ZM = 0x200, OM = 0x400, UM = 0x800, PM = 0x1000, RC = 0x6000, FTZ = 0x8000;
constexpr unsigned kMaskShift = 7, kRcShift = 13;
// Bits software may set (SDM Vol.1 10.2.3.1; CPUID/FXSAVE MXCSR_MASK): DAZ is supported.
constexpr uint32_t kWritable = 0xFFFF;
constexpr uint32_t kReset = 0x1F80;
}  // namespace mxcsr

constexpr unsigned kTagValid = 0, kTagZero = 1, kTagSpecial = 2, kTagEmpty = 3;

struct X87State {
    fp::Float80 r[8];        // physical registers R0-R7
    uint16_t fcw = 0x037F;   // FNINIT values
    uint16_t fsw = 0;
    uint16_t ftw = 0xFFFF;   // full tag word
    uint16_t fop = 0;        // last non-control opcode (11 bits)
    uint64_t fip = 0, fdp = 0;  // last instruction / data operand (offsets, or linear in 64-bit)
    uint16_t fcs = 0, fds = 0;

    // ES (and B, its 8087-compatibility copy, SDM Vol.1 8.1.3.1) summarise the exception flags
    // that FCW leaves unmasked: loading FCW, FSW or an environment that unmasks a set flag makes
    // an exception pending (Vol.2 FLDCW). The host CPU agrees: after FXRSTOR of an image with
    // inconsistent ES/B bits, its FXSAVE shows them recomputed. So they are derived, not stored.
    bool errorSummary() const { return fsw & ~fcw & 0x3F; }
    uint16_t fswValue() const {
        const uint16_t f = fsw & static_cast<uint16_t>(~(fsw::ES | fsw::B));
        return errorSummary() ? static_cast<uint16_t>(f | fsw::ES | fsw::B) : f;
    }
    // FCW as loaded by FLDCW/FLDENV/FXRSTOR: bit 6 reads as 1, bits 7 and 13-15 as 0.
    static uint16_t fcwValue(uint16_t v) { return static_cast<uint16_t>((v & 0x1F3F) | 0x40); }
    unsigned top() const { return (fsw >> fsw::kTopShift) & 7; }
    void setTop(unsigned t) { fsw = static_cast<uint16_t>((fsw & ~fsw::TOP) | ((t & 7) << fsw::kTopShift)); }
    unsigned phys(unsigned i) const { return (top() + i) & 7; }
    unsigned tag(unsigned physReg) const { return (ftw >> (2 * physReg)) & 3; }
    void setTag(unsigned physReg, unsigned t) {
        ftw = static_cast<uint16_t>((ftw & ~(3u << (2 * physReg))) | ((t & 3) << (2 * physReg)));
    }
    // The tag a value gets when loaded (SDM Vol.1 8.1.7).
    static unsigned tagFor(const fp::Float80& v) {
        const unsigned e = v.exp();
        if (e == 0x7FFF) return kTagSpecial;
        if (e == 0) return v.mant == 0 ? kTagZero : kTagSpecial;
        return (v.mant >> 63) ? kTagValid : kTagSpecial;  // unnormal: special
    }
    // FXSAVE's abridged tag byte: bit i set when R[i] is not empty (SDM Vol.1 10.5.1.1).
    uint8_t abridgedTags() const {
        uint8_t t = 0;
        for (unsigned k = 0; k < 8; ++k)
            if (tag(k) != kTagEmpty) t |= static_cast<uint8_t>(1u << k);
        return t;
    }
};

union alignas(16) Xmm {
    uint8_t b[16];
    uint16_t w[8];
    uint32_t d[4];
    uint64_t q[2];
};

}  // namespace pvx::cpu
