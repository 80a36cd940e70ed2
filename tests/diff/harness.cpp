#include "harness.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>

#include "guest_cpu.h"

namespace pvx::difftest {

// ---------------------------------------------------------------------------------------------
// Gen

Gen::Gen(Rng& r, HostCpu& host, int mode, Region& region) : rng(r), host_(host) {
    c.mode = mode;
    c.region = &region;
    for (unsigned k = 0; k < 16; ++k) {
        c.gpr[k] = value(8);
        c.regMask[k] = mode == 32 ? 0xFFFFFFFFull : ~0ull;
    }
    c.flags = static_cast<uint32_t>(u64()) & kStatus;
    // Default x87/SSE state: FNINIT's control word, MXCSR's reset value, an empty x87 stack and
    // random XMM registers (so an instruction that writes the wrong register shows).
    const uint16_t fcwInit = 0x037F;
    const uint32_t mxcsrInit = 0x1F80;
    std::memcpy(c.fx + 0, &fcwInit, 2);
    std::memcpy(c.fx + 24, &mxcsrInit, 4);
    for (unsigned k = 0; k < 32; ++k) {
        uint64_t v = u64();
        std::memcpy(c.fx + 160 + 8 * k, &v, 8);
    }
}

// ---- x87/MMX/SSE state in the FXSAVE64 image ----
void Gen::setXmm(unsigned r, V128 v) {
    std::memcpy(fx() + 160 + 16 * (r & 15), &v.lo, 8);
    std::memcpy(fx() + 168 + 16 * (r & 15), &v.hi, 8);
}
V128 Gen::xmm(unsigned r) const {
    V128 v;
    std::memcpy(&v.lo, c.fx + 160 + 16 * (r & 15), 8);
    std::memcpy(&v.hi, c.fx + 168 + 16 * (r & 15), 8);
    return v;
}
void Gen::setMxcsr(uint32_t v) { std::memcpy(fx() + 24, &v, 4); }
uint32_t Gen::mxcsr() const {
    uint32_t v;
    std::memcpy(&v, c.fx + 24, 4);
    return v;
}
void Gen::setFcw(uint16_t v) { std::memcpy(fx() + 0, &v, 2); }
void Gen::setFsw(uint16_t v) { std::memcpy(fx() + 2, &v, 2); }
void Gen::setSt(unsigned i, uint64_t mant, uint16_t se) {
    uint16_t fsw;
    std::memcpy(&fsw, fx() + 2, 2);
    const unsigned phys = (((fsw >> 11) & 7) + i) & 7;
    std::memcpy(c.fx + 32 + 16 * (i & 7), &mant, 8);
    std::memcpy(c.fx + 40 + 16 * (i & 7), &se, 2);
    c.fx[4] = static_cast<uint8_t>(c.fx[4] | (1u << phys));
}
void Gen::setStEmpty(unsigned i) {
    uint16_t fsw;
    std::memcpy(&fsw, fx() + 2, 2);
    const unsigned phys = (((fsw >> 11) & 7) + i) & 7;
    c.fx[4] = static_cast<uint8_t>(c.fx[4] & ~(1u << phys));
}
void Gen::setMm(unsigned r, uint64_t v) {
    uint16_t fsw;
    std::memcpy(&fsw, fx() + 2, 2);
    if ((fsw >> 11) & 7) {
        // MMX registers are the physical x87 registers: with TOP = 0, ST(i) is R[i] and the
        // image's slots line up. Move the existing contents to keep them the same registers.
        uint8_t regs[128];
        const unsigned top = (fsw >> 11) & 7;
        for (unsigned i = 0; i < 8; ++i) std::memcpy(regs + 16 * ((top + i) & 7), c.fx + 32 + 16 * i, 16);
        std::memcpy(c.fx + 32, regs, 128);
        fsw = static_cast<uint16_t>(fsw & ~0x3800);
        std::memcpy(c.fx + 2, &fsw, 2);
    }
    setSt(r & 7, v, 0xFFFF);
}

uint32_t Gen::f32() {
    switch (below(16)) {
        case 0: return pct(50) ? 0 : 0x80000000u;                                   // +-0
        case 1: return pct(50) ? 0x7F800000u : 0xFF800000u;                         // +-inf
        case 2: return (pct(50) ? 0x7FC00000u : 0xFFC00000u) | (pct(50) ? 0 : static_cast<uint32_t>(below(1u << 22)));  // QNaN
        case 3: return (pct(50) ? 0x7F800000u : 0xFF800000u) | (1 + static_cast<uint32_t>(below((1u << 22) - 1)));     // SNaN
        case 4: return (pct(50) ? 0 : 0x80000000u) | (1 + static_cast<uint32_t>(below((1u << 23) - 1)));             // denormal
        case 5: return (pct(50) ? 0 : 0x80000000u) | (pct(50) ? 0x00800000u : 0x7F7FFFFFu);                        // min/max normal
        case 6: return (pct(50) ? 0x3F800000u : 0xBF800000u) ^ static_cast<uint32_t>(below(4));                  // ~+-1
        case 7: {  // near the overflow / underflow thresholds
            const uint32_t e = pct(50) ? 0xFD + static_cast<uint32_t>(below(2)) : 1 + static_cast<uint32_t>(below(2));
            return (pct(50) ? 0 : 0x80000000u) | (e << 23) | static_cast<uint32_t>(below(1u << 23));
        }
        case 8: return static_cast<uint32_t>(u64());                                // any bits
        default: {  // a moderate number: exponents near 0, random significand
            const uint32_t e = 127 - 20 + static_cast<uint32_t>(below(41));
            return (pct(50) ? 0 : 0x80000000u) | (e << 23) | static_cast<uint32_t>(below(1u << 23));
        }
    }
}

uint64_t Gen::f64() {
    const uint64_t sign = pct(50) ? 0 : 0x8000000000000000ull;
    const uint64_t frac = u64() & 0xFFFFFFFFFFFFFull;
    switch (below(16)) {
        case 0: return sign;
        case 1: return sign | 0x7FF0000000000000ull;
        case 2: return sign | 0x7FF8000000000000ull | (pct(50) ? 0 : frac);
        case 3: return sign | 0x7FF0000000000000ull | ((frac & 0x7FFFFFFFFFFFFull) ? (frac & 0x7FFFFFFFFFFFFull) : 1);
        case 4: return sign | (frac ? frac : 1);
        case 5: return sign | (pct(50) ? 0x0010000000000000ull : 0x7FEFFFFFFFFFFFFFull);
        case 6: return (0x3FF0000000000000ull | sign) ^ below(4);
        case 7: {
            const uint64_t e = pct(50) ? 0x7FD + below(2) : 1 + below(2);
            return sign | (e << 52) | frac;
        }
        case 8: {  // values whose f32 conversion over/underflows or is exact
            const uint64_t e = pct(50) ? 1023 + 126 + below(4) : 1023 - 150 + below(30);
            return sign | (e << 52) | (pct(50) ? frac : frac & 0xFFFFFE0000000ull);
        }
        case 9: return u64();
        default: return sign | ((1023 - 30 + below(61)) << 52) | frac;
    }
}

void Gen::f80(uint64_t& mant, uint16_t& se) {
    const uint16_t sign = pct(50) ? 0 : 0x8000;
    const uint64_t r = u64();
    switch (below(18)) {
        case 0: mant = 0; se = sign; return;                                                       // zero
        case 1: mant = 1ull << 63; se = sign | 0x7FFF; return;                                     // inf
        case 2: mant = 0xC000000000000000ull | (pct(50) ? 0 : r >> 2); se = sign | 0x7FFF; return;  // QNaN
        case 3: mant = 0x8000000000000000ull | ((r >> 2) ? r >> 2 : 1); se = sign | 0x7FFF; return;  // SNaN
        case 4: mant = (r >> 1) ? r >> 1 : 1; se = sign; return;                                   // denormal
        case 5: mant = r | (1ull << 63); se = sign; return;                                        // pseudo-denormal
        case 6: mant = r & ~(1ull << 63); se = static_cast<uint16_t>(sign | (1 + below(0x7FFE))); return;  // unnormal
        case 7: mant = r & ~(1ull << 63); se = sign | 0x7FFF; return;                              // pseudo-NaN/inf
        case 8: mant = 1ull << 63; se = static_cast<uint16_t>(sign | 0x3FFF); return;              // +-1
        case 9: mant = r | (1ull << 63); se = static_cast<uint16_t>(sign | (pct(50) ? 0x7FFE - below(2) : 1 + below(2))); return;
        default: mant = r | (1ull << 63); se = static_cast<uint16_t>(sign | (0x3FFF - 64 + below(129))); return;
    }
}

V128 Gen::v128() {
    V128 v{u64(), u64()};
    switch (below(8)) {
        case 0: return V128{~0ull, ~0ull};
        case 1: return V128{0, 0};
        case 2: return V128{0x8080808080808080ull & v.lo, 0x8080808080808080ull & v.hi};
        case 3: {  // lanes of edge bytes
            static const uint8_t kEdge[] = {0x00, 0x01, 0x7F, 0x80, 0x81, 0xFE, 0xFF, 0x55, 0xAA, 0x20, 0x41};
            uint8_t b[16];
            for (auto& x : b) x = kEdge[below(sizeof kEdge)];
            std::memcpy(&v.lo, b, 8);
            std::memcpy(&v.hi, b + 8, 8);
            return v;
        }
        default: return v;
    }
}
V128 Gen::v128f32() {
    const uint64_t a = f32(), b = f32(), c2 = f32(), d = f32();
    return V128{a | (b << 32), c2 | (d << 32)};
}
V128 Gen::v128f64() { return V128{f64(), f64()}; }

void Gen::putBytes(uint64_t lin, const void* src, size_t n) {
    if (!n) return;
    uint8_t* p = hostPtr(lin);
    hostPtr(lin + n - 1);
    std::memcpy(p, src, n);
    if (c.memHi == c.memLo) {
        c.memLo = lin;
        c.memHi = lin + n;
    } else {
        c.memLo = lin < c.memLo ? lin : c.memLo;
        c.memHi = lin + n > c.memHi ? lin + n : c.memHi;
    }
}
void Gen::getBytes(uint64_t lin, void* dst, size_t n) const {
    if (n) std::memcpy(dst, hostPtr(lin), n);
}

bool Gen::lowRegion() const { return c.region == &host_.low(); }
uint64_t Gen::insnLin() const { return host_.insnLin(*c.region); }

uint64_t Gen::edge(unsigned size) {
    static const uint64_t kEdges[] = {
        0, 1, 2, 3, 7, 8, 9, 0x0A, 0x0F, 0x10, 0x1F, 0x20, 0x3F, 0x40, 0x55, 0x66, 0x7E, 0x7F, 0x80, 0x81, 0x99, 0x9A,
        0xAA, 0xF9, 0xFA, 0xFE, 0xFF, 0x100, 0x7FFF, 0x8000, 0x8001, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000,
        0x80000001, 0xFFFFFFFF, 0x100000000ull, 0x5555555555555555ull, 0xAAAAAAAAAAAAAAAAull, 0x7FFFFFFFFFFFFFFFull,
        0x8000000000000000ull, 0x8000000000000001ull, 0xFFFFFFFFFFFFFFFEull, 0xFFFFFFFFFFFFFFFFull};
    const uint64_t m = sizeMask(size);
    const uint64_t sign = 1ull << (8 * size - 1);
    switch (below(6)) {
        case 0: return (sign - 1) & m;               // MAX
        case 1: return sign;                         // MIN
        case 2: return (sign + (below(2) ? 1 : -1)) & m;
        case 3: return (1ull << below(8 * size)) & m;  // one bit
        default: return kEdges[below(sizeof kEdges / sizeof kEdges[0])] & m;
    }
}

uint64_t Gen::value(unsigned size) {
    const uint64_t m = sizeMask(size);
    uint64_t low;
    switch (below(10)) {
        case 0: case 1: case 2: low = edge(size); break;
        case 3: low = below(256) & m; break;                // small
        case 4: low = (0 - below(256)) & m; break;          // small negative
        default: low = u64() & m; break;
    }
    uint64_t v = low | (upperNoise() & ~m);
    if (c.mode == 32) v &= 0xFFFFFFFF;
    return v;
}

void Gen::setReg(unsigned size, unsigned code, uint64_t v) {
    if (size == 1 && code >= kAH) {
        uint64_t& r = c.gpr[code - kAH];
        r = (r & ~0xFF00ull) | ((v & 0xFF) << 8);
        return;
    }
    const uint64_t m = sizeMask(size);
    c.gpr[code] = (c.gpr[code] & ~m) | (v & m);
}

uint64_t Gen::reg(unsigned size, unsigned code) const {
    if (size == 1 && code >= kAH) return (c.gpr[code - kAH] >> 8) & 0xFF;
    return c.gpr[code] & sizeMask(size);
}

uint8_t* Gen::hostPtr(uint64_t lin) const {
    if (lin < dataLo() || lin >= dataHi()) {
        std::fprintf(stderr, "diff: generator address %#llx outside the data area\n", static_cast<unsigned long long>(lin));
        std::abort();
    }
    return c.region->data() + (lin - dataLo());
}

void Gen::randomize(uint64_t lo, uint64_t hi) {
    lo = lo < dataLo() ? dataLo() : lo;
    hi = hi > dataHi() ? dataHi() : hi;
    if (lo >= hi) return;
    uint8_t* p = hostPtr(lo);
    for (uint64_t k = 0; k < hi - lo; k += 8) {
        uint64_t v = u64();
        std::memcpy(p + k, &v, hi - lo - k < 8 ? hi - lo - k : 8);
    }
    if (c.memHi == c.memLo) {
        c.memLo = lo;
        c.memHi = hi;
    } else {
        c.memLo = lo < c.memLo ? lo : c.memLo;
        c.memHi = hi > c.memHi ? hi : c.memHi;
    }
}

void Gen::put(uint64_t lin, uint64_t v, unsigned size) {
    uint8_t* p = hostPtr(lin);
    hostPtr(lin + size - 1);
    std::memcpy(p, &v, size);
    if (c.memHi == c.memLo) {
        c.memLo = lin;
        c.memHi = lin + size;
    } else {
        c.memLo = lin < c.memLo ? lin : c.memLo;
        c.memHi = lin + size > c.memHi ? lin + size : c.memHi;
    }
}

uint64_t Gen::get(uint64_t lin, unsigned size) const {
    uint64_t v = 0;
    std::memcpy(&v, hostPtr(lin), size);
    return v;
}

uint64_t Gen::randomAddress(unsigned size, unsigned margin) {
    const uint64_t lo = dataLo() + margin, span = c.region->dataSize() - 2 * margin - size;
    if (pct(12)) {
        // Straddle a page boundary: both CPUs must split the access (pvx's slow path).
        const uint64_t page = dataLo() + 4096 * (1 + below(c.region->dataPages - 2));
        return page - 1 - below(size > 1 ? size - 1 : 1);
    }
    return lo + below(span);
}

namespace {
// Registers usable as operands, base or index in this mode (never RSP).
std::vector<unsigned> usableRegs(int mode, uint32_t avoid, bool legacyOnly) {
    std::vector<unsigned> v;
    const unsigned n = (mode == 32 || legacyOnly) ? 8 : 16;
    for (unsigned r = 0; r < n; ++r)
        if (r != RSP && !(avoid & (1u << r))) v.push_back(r);
    return v;
}
std::vector<unsigned> byteRegs(int mode, uint32_t avoid, bool legacy) {
    std::vector<unsigned> v;
    for (unsigned r = 0; r < (legacy || mode == 32 ? 4u : 16u); ++r)
        if (r != RSP && !(avoid & (1u << r))) v.push_back(r);
    if (legacy || mode == 32) {
        for (unsigned r = 0; r < 4; ++r)
            if (!(avoid & (1u << r))) v.push_back(kAH + r);
    }
    return v;
}
}  // namespace

Rm Gen::modrm(const MSpec& s) {
    Rm m;
    m.regSize = s.regSize ? s.regSize : s.osz;
    m.rmSize = s.rmSize ? s.rmSize : s.osz;
    const bool usesBytes = (s.digit < 0 && m.regSize == 1) || m.rmSize == 1;
    // Legacy byte registers (AH..BH) forbid REX, so every register stays below 8 and no REX.W.
    const bool legacy = c.mode == 32 || (usesBytes && s.osz != 8 && pct(40));
    Insn& in = m.insn;
    if (s.osz == 2) in.prefixes.push_back(0x66);
    if (s.mandatory) in.prefixes.push_back(s.mandatory);
    in.opcode = s.opcode;
    in.hasModrm = true;
    if (s.osz == 8) in.rexBits |= 8;

    auto pickReg = [&](unsigned size) {
        return size == 1 ? pick(byteRegs(c.mode, s.avoid, legacy)) : pick(usableRegs(c.mode, s.avoid, legacy));
    };
    auto encodeReg = [&](unsigned size, unsigned code, uint8_t& field, uint8_t rexBit) {
        if (size == 1 && code >= kAH) {
            field = static_cast<uint8_t>(4 + code - kAH);
            return;
        }
        field = static_cast<uint8_t>(code & 7);
        if (code >= 8) in.rexBits |= rexBit;
        if (size == 1 && code >= 4) in.rex = true;  // SPL/BPL/SIL/DIL need a REX prefix
    };
    if (s.digit >= 0) {
        in.reg = static_cast<uint8_t>(s.digit);
    } else {
        m.regCode = pickReg(m.regSize);
        encodeReg(m.regSize, m.regCode, in.reg, 4);
    }
    m.mem = s.where == MSpec::MemOnly || (s.where == MSpec::Any && pct(50));
    if (m.mem) {
        pickMemory(m, s, m.rmSize);
    } else {
        in.mod = 3;
        m.rmCode = pickReg(m.rmSize);
        encodeReg(m.rmSize, m.rmCode, in.rm, 1);
    }
    if (!legacy && c.mode == 64 && !in.rex && !in.rexBits && pct(10)) in.rex = true;  // a REX with no bits set
    if (!legacy && c.mode == 64 && s.osz == 1 && pct(8)) in.rexBits |= 8;  // REX.W: ignored by byte forms
    m.hostInsn = m.insn;
    if (m.hostDiffers) {
        m.insn.hasSib = false;
        m.insn.rm = 5;
    }
    return m;
}

void Gen::pickMemory(Rm& m, const MSpec& s, unsigned size) {
    Insn& in = m.insn;
    const bool legacyRegs = in.rex == false && in.rexBits == 0 && m.regSize == 1 && m.regCode >= kAH;
    // Address size: 32-bit in 32-bit mode; in 64-bit mode sometimes 32-bit (67 prefix) when the
    // data lies below 4 GiB.
    // With no access (LEA) the address needs no backing, so 32-bit addressing works anywhere.
    m.asz = c.mode == 32 ? 4 : ((lowRegion() || s.noAccess) && s.addr32 && pct(s.noAccess ? 35 : 20) ? 4 : 8);
    if (c.mode == 64 && m.asz == 4) in.prefixes.push_back(0x67);
    uint64_t ea = randomAddress(size, s.margin);
    if (s.align > 1 || s.misalign) ea = (ea & ~uint64_t{s.align - 1}) + s.misalign;
    m.ea = ea;
    randomize(ea - 32, ea + size + 32);

    enum Kind { Base, BaseIndex, IndexOnly, RipRel, Absolute };
    std::vector<Kind> kinds = {Base, Base, BaseIndex, BaseIndex};
    if (lowRegion() || m.asz == 4) kinds.insert(kinds.end(), {IndexOnly, Absolute});
    if (c.mode == 64 && (m.asz == 8 || lowRegion() || s.noAccess)) kinds.push_back(RipRel);
    const Kind kind = pick(kinds);
    uint32_t avoid = s.avoid;
    if (s.regNotAddr && s.digit < 0) avoid |= 1u << (m.regSize == 1 && m.regCode >= kAH ? m.regCode - kAH : m.regCode);
    std::vector<unsigned> regs = usableRegs(c.mode, avoid, legacyRegs);
    unsigned base = 0, index = 0;
    if (kind == Base || kind == BaseIndex) {
        base = pick(regs);
        m.addrRegs |= 1u << base;
    }
    if (kind == BaseIndex || kind == IndexOnly) {
        std::vector<unsigned> idx;
        for (unsigned r : regs)
            if (r != base || kind == IndexOnly) idx.push_back(r);
        index = pick(idx);
        m.addrRegs |= 1u << index;
    }
    // A ModRM/SIB register field may not collide with a register operand we already placed, but
    // sharing is legal and interesting: e.g. ADD RBX, [RBX+8] -- the operand is then the pointer.
    const uint64_t amask = m.asz == 4 ? 0xFFFFFFFFull : ~0ull;
    auto regValue = [&](uint64_t low) {  // the register value whose address-size part is `low`
        return m.asz == 4 && c.mode == 64 ? ((u64() & ~0xFFFFFFFFull) | (low & 0xFFFFFFFF)) : low;
    };
    in.scale = static_cast<uint8_t>(below(4));
    int64_t idxVal = 0;
    if (kind == BaseIndex || kind == IndexOnly) {
        idxVal = c.mode == 32 ? static_cast<int64_t>(below(512)) : static_cast<int64_t>(below(1024)) - 512;
        c.gpr[index] = regValue(static_cast<uint64_t>(idxVal) & amask);
    }
    const int64_t scaled = idxVal * (int64_t{1} << in.scale);
    switch (kind) {
        case Base:
        case BaseIndex: {
            unsigned dsz = pick(std::vector<unsigned>{0, 1, 4});
            if (dsz == 0 && (base & 7) == 5) dsz = 1;  // mod 00 with RBP/R13 means something else
            int32_t disp = dsz == 1 ? static_cast<int8_t>(u64()) : dsz == 4 ? static_cast<int32_t>(below(1 << 21)) - (1 << 20) : 0;
            if (dsz == 4 && c.mode == 64 && pct(30)) disp = static_cast<int32_t>(u64());  // any: the base absorbs it
            const int64_t bv = static_cast<int64_t>(ea) - disp - scaled;
            if (c.mode == 32 && (bv < 0 || bv > 0xFFFFFFFFll)) {
                disp = 0;
                dsz = (base & 7) == 5 ? 1 : 0;
            }
            c.gpr[base] = regValue(static_cast<uint64_t>(static_cast<int64_t>(ea) - disp - scaled) & amask);
            in.mod = dsz == 0 ? 0 : dsz == 1 ? 1 : 2;
            in.dispSize = dsz;
            in.disp = disp;
            if (kind == BaseIndex || (base & 7) == 4 || pct(10)) {
                // SIB; with no index (field 100) when only a base is wanted (required for RSP/R12).
                in.rm = 4;
                in.hasSib = true;
                in.base = static_cast<uint8_t>(base & 7);
                in.index = kind == BaseIndex ? static_cast<uint8_t>(index & 7) : 4;
                if (kind == BaseIndex && index >= 8) in.rexBits |= 2;
            } else {
                in.rm = static_cast<uint8_t>(base & 7);
            }
            if (base >= 8) in.rexBits |= 1;
            break;
        }
        case IndexOnly: {
            in.mod = 0;
            in.rm = 4;
            in.hasSib = true;
            in.base = 5;
            in.index = static_cast<uint8_t>(index & 7);
            if (index >= 8) in.rexBits |= 2;
            in.dispSize = 4;
            in.disp = static_cast<int32_t>(static_cast<int64_t>(ea) - scaled);
            break;
        }
        case Absolute: {
            in.mod = 0;
            in.dispSize = 4;
            in.disp = static_cast<int32_t>(ea);
            in.rm = 4;
            in.hasSib = true;
            in.base = 5;
            in.index = 4;
            // The plain [disp32] form (mod 00, r/m 101) is RIP-relative in 64-bit mode, so
            // when the guest uses it in 32-bit mode the host runs the SIB form (see modrm()).
            if (c.mode == 32 && pct(50)) m.hostDiffers = true;
            break;
        }
        case RipRel: {
            in.mod = 0;
            in.rm = 5;
            in.dispSize = 4;
            in.ripRelative = true;
            in.ripTarget = ea;
            break;
        }
    }
}

void Gen::setRm(const Rm& m, uint64_t v) {
    const unsigned size = m.rmSize > 8 ? 8 : m.rmSize;  // CMPXCHG16B: its low half
    if (m.mem) put(m.ea, v, size);
    else setReg(size, m.rmCode, v);
}
uint64_t Gen::rm(const Rm& m) const {
    const unsigned size = m.rmSize > 8 ? 8 : m.rmSize;
    return m.mem ? get(m.ea, size) : reg(size, m.rmCode);
}
void Gen::setRegOp(const Rm& m, uint64_t v) {
    const unsigned full = m.regSize == 1 && m.regCode >= kAH ? m.regCode - kAH : m.regCode;
    if (m.addrRegs & (1u << full)) return;
    setReg(m.regSize, m.regCode, v);
}
uint64_t Gen::regOp(const Rm& m) const { return reg(m.regSize, m.regCode); }
void Gen::setImplicit(const Rm& m, unsigned r, unsigned size, uint64_t v) {
    if (m.addrRegs & (1u << r)) return;
    setReg(size, r, v);
}

void Gen::finish(const Rm& m) {
    c.code = m.insn.encode(insnLin());
    c.insnLen = static_cast<unsigned>(c.code.size());
    if (m.hostDiffers) {
        Insn h = m.hostInsn;
        h.imm = m.insn.imm;
        c.hostCode = h.encode(insnLin());
    }
}

void Gen::finish(const Insn& i) {
    c.code = i.encode(insnLin());
    c.insnLen = static_cast<unsigned>(c.code.size());
}

// ---------------------------------------------------------------------------------------------
// Running and comparing

Totals& totals() {
    static Totals t;
    return t;
}

namespace {

struct World {
    HostCpu host;
    GuestCpu guest{host};
};
World& world() {
    static World* w = new World;  // lives until exit: the host mappings must outlive every case
    return *w;
}

const char* kRegNames[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                             "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};

std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(v));
    return b;
}
std::string bytes(const std::vector<uint8_t>& v) {
    std::string s;
    for (uint8_t b : v) {
        char t[4];
        std::snprintf(t, sizeof t, "%02X ", b);
        s += t;
    }
    if (!s.empty()) s.pop_back();
    return s;
}
std::string flagNames(uint32_t f) {
    std::string s;
    const std::pair<uint32_t, const char*> names[] = {{OF, "OF"}, {DF, "DF"}, {SF, "SF"}, {ZF, "ZF"}, {AF, "AF"}, {PF, "PF"}, {CF, "CF"}};
    for (auto [bit, n] : names)
        if (f & bit) s += std::string(s.empty() ? "" : " ") + n;
    return s.empty() ? "-" : s;
}

// PVX_DIFF_SCALE=N runs N times as many cases; PVX_DIFF_SEED=S picks other random operands. The
// defaults make every run identical.
unsigned scale() {
    static const unsigned s = [] {
        const char* e = std::getenv("PVX_DIFF_SCALE");
        const long v = e ? std::strtol(e, nullptr, 10) : 1;
        return v >= 1 && v <= 1000 ? static_cast<unsigned>(v) : 1u;
    }();
    return s;
}
uint64_t seed() {
    static const uint64_t s = [] {
        const char* e = std::getenv("PVX_DIFF_SEED");
        return 0x9D1FF5EEDull ^ (e ? std::strtoull(e, nullptr, 0) : 0);
    }();
    return s;
}

uint64_t fnv(const std::string& s) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (char ch : s) h = (h ^ static_cast<uint8_t>(ch)) * 0x100000001b3ull;
    return h;
}

bool regionsAgree(World& w, Region& r) {
    if (!r.valid()) return true;
    std::vector<uint8_t> g(r.dataSize());
    w.guest.copyOut(r.dataLin(), g.data(), g.size());
    return std::memcmp(g.data(), r.data(), g.size()) == 0;
}
void resync(World& w, Region& r) {
    if (r.valid()) w.guest.copyIn(r.dataLin(), r.data(), r.dataSize());
}

// Compares the x87/MMX/SSE state of two FXSAVE64 images per the case's masks.
void compareFpu(std::ostringstream& rep, const Case& c, const uint8_t* want, const uint8_t* got) {
    auto u16 = [](const uint8_t* p) { uint16_t v; std::memcpy(&v, p, 2); return v; };
    auto u32 = [](const uint8_t* p) { uint32_t v; std::memcpy(&v, p, 4); return v; };
    auto u64 = [](const uint8_t* p) { uint64_t v; std::memcpy(&v, p, 8); return v; };
    if ((c.fpuCompare & kCmpFcw) && u16(want) != u16(got)) rep << "  FCW: expected " << hex(u16(want)) << ", pvx " << hex(u16(got)) << "\n";
    if ((c.fpuCompare & kCmpFsw) && ((u16(want + 2) ^ u16(got + 2)) & c.fswMask))
        rep << "  FSW (mask " << hex(c.fswMask) << "): expected " << hex(u16(want + 2) & c.fswMask) << ", pvx " << hex(u16(got + 2) & c.fswMask) << "\n";
    if ((c.fpuCompare & kCmpTags) && want[4] != got[4]) rep << "  abridged FTW: expected " << hex(want[4]) << ", pvx " << hex(got[4]) << "\n";
    if (c.fpuCompare & kCmpX87Pointers) {
        if (u16(want + 6) != u16(got + 6)) rep << "  FOP: expected " << hex(u16(want + 6)) << ", pvx " << hex(u16(got + 6)) << "\n";
        if (u64(want + 8) != u64(got + 8)) rep << "  FIP: expected " << hex(u64(want + 8)) << ", pvx " << hex(u64(got + 8)) << "\n";
        if (u64(want + 16) != u64(got + 16)) rep << "  FDP: expected " << hex(u64(want + 16)) << ", pvx " << hex(u64(got + 16)) << "\n";
    }
    if ((c.fpuCompare & kCmpMxcsr) && ((u32(want + 24) ^ u32(got + 24)) & c.mxcsrMask))
        rep << "  MXCSR: expected " << hex(u32(want + 24) & c.mxcsrMask) << ", pvx " << hex(u32(got + 24) & c.mxcsrMask) << "\n";
    if (c.fpuCompare & kCmpSt)
        for (unsigned i = 0; i < 8; ++i) {
            if (!(c.stMask >> i & 1)) continue;
            const uint8_t* a = want + 32 + 16 * i;
            const uint8_t* b = got + 32 + 16 * i;
            if (std::memcmp(a, b, 10))
                rep << "  ST(" << i << "): expected " << hex(u16(a + 8)) << ":" << hex(u64(a)) << ", pvx " << hex(u16(b + 8)) << ":" << hex(u64(b)) << "\n";
        }
    if (c.fpuCompare & kCmpXmm)
        for (unsigned i = 0; i < 16; ++i) {
            if (!(c.xmmMask >> i & 1)) continue;
            const uint8_t* a = want + 160 + 16 * i;
            const uint8_t* b = got + 160 + 16 * i;
            if (std::memcmp(a, b, 16))
                rep << "  XMM" << i << ": expected " << hex(u64(a + 8)) << ":" << hex(u64(a)) << ", pvx " << hex(u64(b + 8)) << ":" << hex(u64(b)) << "\n";
        }
}

// Runs one case; returns an empty string when both CPUs agree, else a report.
std::string runCase(World& w, Case& c) {
    Region& r = *c.region;
    HostCpu& host = w.host;
    const uint64_t at = host.insnLin(r);
    const uint64_t until = c.until ? c.until : at + c.insnLen;
    const size_t winLen = c.memHi - c.memLo;
    std::vector<uint8_t> before(winLen);
    if (winLen) {
        std::memcpy(before.data(), r.data() + (c.memLo - r.dataLin()), winLen);
        w.guest.copyIn(c.memLo, before.data(), winLen);
    }

    State exp{};
    alignas(16) uint8_t expFx[kFxSize];
    std::memcpy(expFx, c.fx, kFxSize);
    for (unsigned k = 0; k < 16; ++k) exp.gpr[k] = c.gpr[k];
    exp.flags = c.flags;
    std::ostringstream rep;
    if (c.oracle == Oracle::Host) {
        HostState st{};
        for (unsigned k = 0; k < 16; ++k) st.gpr[k] = c.gpr[k];
        st.flags = c.flags;
        std::memcpy(st.fx, c.fx, kFxSize);
        const int sig = host.run(r, c.hostCode.empty() ? c.code : c.hostCode, st);
        if (sig) {
            rep << "  the HOST trapped (signal " << sig << "): generator bug\n";
        }
        for (unsigned k = 0; k < 16; ++k) exp.gpr[k] = st.gpr[k];
        exp.flags = static_cast<uint32_t>(st.flags);
        std::memcpy(expFx, st.fx, kFxSize);
    } else if (c.oracle == Oracle::Model) {
        c.model(exp);
    }

    GuestResult g = w.guest.run(c.mode, r, c.code, c.gpr, c.flags, c.fx, until, c.maxSteps);

    if (c.oracle == Oracle::Fault) {
        if (g.exceptions == 0) rep << "  pvx raised no exception, expected #" << c.vector << "\n";
        else if (g.vector != c.vector) rep << "  pvx raised vector " << g.vector << ", expected #" << c.vector << "\n";
        else {
            if (g.faultRip != (c.mode == 64 ? at : (at & 0xFFFFFFFF)))
                rep << "  exception frame RIP " << hex(g.faultRip) << ", expected the faulting instruction " << hex(at) << "\n";
            if ((g.frameFlags ^ c.flags) & (kStatus | DF))
                rep << "  flags changed by a faulting instruction: " << flagNames(c.flags) << " -> " << flagNames(g.frameFlags) << "\n";
        }
    } else {
        if (g.exceptions) rep << "  pvx raised exception vector " << g.vector << " (RIP in frame " << hex(g.faultRip) << ")\n";
        else if (g.rip != until) rep << "  RIP: pvx " << hex(g.rip) << ", expected " << hex(until) << "\n";
        const uint32_t diff = (g.flags ^ exp.flags) & c.defined;
        if (diff)
            rep << "  flags (compared: " << flagNames(c.defined) << "): expected " << flagNames(exp.flags & c.defined)
                << ", pvx " << flagNames(g.flags & c.defined) << "\n";
    }
    if (g.stop == cpu::Cpu::Stop::Shutdown) rep << "  pvx shut down (triple fault)\n";
    const bool faulted = g.exceptions != 0;
    for (unsigned k = 0; k < 16; ++k) {
        if (k == RSP) continue;
        const uint64_t want = c.oracle == Oracle::Fault ? c.gpr[k] : exp.gpr[k];
        if ((faulted && c.oracle == Oracle::Fault) || !faulted) {
            if ((want ^ g.gpr[k]) & c.regMask[k])
                rep << "  " << kRegNames[k] << ": expected " << hex(want & c.regMask[k]) << ", pvx " << hex(g.gpr[k] & c.regMask[k]) << "\n";
        }
    }
    if (c.simd && (c.oracle != Oracle::Model)) {
        if (c.oracle == Oracle::Fault && c.faultMxcsr >= 0) {
            const uint32_t m = static_cast<uint32_t>(c.faultMxcsr);
            std::memcpy(expFx + 24, &m, 4);
        }
        if (c.oracle != Oracle::Fault || faulted) compareFpu(rep, c, expFx, g.fx);
    }
    if (winLen) {
        std::vector<uint8_t> gm(winLen);
        w.guest.copyOut(c.memLo, gm.data(), winLen);
        const uint8_t* hm = c.oracle == Oracle::Host ? r.data() + (c.memLo - r.dataLin()) : before.data();
        if (c.oracle == Oracle::Host)
            for (auto [lo, hi] : c.memIgnore)
                for (uint64_t a = lo; a < hi; ++a)
                    if (a >= c.memLo && a < c.memHi) r.data()[a - r.dataLin()] = gm[a - c.memLo];
        for (size_t k = 0; k < winLen; ++k) {
            if (gm[k] != hm[k]) {
                rep << "  memory at " << hex(c.memLo + k) << " (window offset " << k << "): expected " << hex(hm[k]) << ", pvx "
                    << hex(gm[k]) << "\n";
                break;
            }
        }
        if (c.oracle != Oracle::Host) std::memcpy(r.data() + (c.memLo - r.dataLin()), before.data(), winLen);
    }
    std::string s = rep.str();
    if (!s.empty()) {
        std::ostringstream head;
        head << "  bytes " << bytes(c.code);
        if (!c.hostCode.empty()) head << " (host runs " << bytes(c.hostCode) << ")";
        head << " at " << hex(at) << ", " << c.mode << "-bit mode";
        if (!c.note.empty()) head << ", " << c.note;
        head << "\n  initial:";
        for (unsigned k = 0; k < 16; ++k)
            if (k != RSP) head << " " << kRegNames[k] << "=" << hex(c.gpr[k]);
        head << " flags=" << flagNames(c.flags) << "\n";
        s = head.str() + s;
        resync(w, r);
    }
    return s;
}

}  // namespace

unsigned runForms(const char* family, const std::vector<Form>& forms) {
    World& w = world();
    unsigned mismatches = 0;
    uint64_t cases = 0, nforms = 0, faults = 0, models = 0;
    for (const Form& f : forms) {
        if (!f.skipReason.empty()) {
            ++totals().skippedForms;
            std::printf("diff: skipped %s: %s\n", f.name.c_str(), f.skipReason.c_str());
            continue;
        }
        const bool needLow = f.mode == 32 || f.lowOnly;
        if (needLow && !w.host.low().valid()) {
            ++totals().skippedForms;
            std::printf("diff: skipped %s (no host memory below 2 GiB)\n", f.name.c_str());
            continue;
        }
        Rng rng(seed() ^ fnv(f.name));
        unsigned formBad = 0;
        const unsigned n = f.cases * scale();
        for (unsigned k = 0; k < n; ++k) {
            Region* r = &w.host.high();
            if (needLow || (!f.highOnly && w.host.low().valid() && rng() % 4 == 0)) r = &w.host.low();
            Gen g(rng, w.host, f.mode, *r);
            f.gen(g);
            if (g.c.skip) {
                ++totals().skippedCases;
                continue;
            }
            std::string rep = runCase(w, g.c);
            ++cases;
            if (g.c.oracle == Oracle::Fault) ++faults;
            if (g.c.oracle == Oracle::Model) ++models;
            if (!rep.empty()) {
                ++mismatches;
                if (++formBad <= 3) ADD_FAILURE() << "diff mismatch: " << f.name << " case " << k << "\n" << rep;
            }
        }
        for (Region* r : {&w.host.low(), &w.host.high()}) {
            if (!regionsAgree(w, *r)) {
                ++mismatches;
                ADD_FAILURE() << "diff mismatch: " << f.name << ": guest and host buffers differ outside the compared "
                                                                "windows (a stray write)";
                resync(w, *r);
            }
        }
        if (formBad > 3) ADD_FAILURE() << f.name << ": " << formBad << " mismatching cases in all";
        ++nforms;
    }
    totals().forms += nforms;
    totals().cases += cases;
    totals().mismatches += mismatches;
    totals().faultCases += faults;
    totals().modelCases += models;
    std::printf("diff[%s]: %llu forms, %llu cases (%llu expecting an exception, %llu against the SDM model), %u mismatches\n",
                family, static_cast<unsigned long long>(nforms), static_cast<unsigned long long>(cases),
                static_cast<unsigned long long>(faults), static_cast<unsigned long long>(models), mismatches);
    return mismatches;
}

}  // namespace pvx::difftest
