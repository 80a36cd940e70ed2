// Private to src/cpu/fp: format descriptors and operand unpacking shared by every operation.
// One generic core serves f32, f64 and f80; each format is described by a traits struct.
#pragma once
#include <cstdint>

#include "cpu/fp/softfloat.h"

namespace pvx::fp::detail {

using u128 = unsigned __int128;

inline int clz64(uint64_t v) { return __builtin_clzll(v); }  // v != 0

// Traits: Bits is the storage type; kP the significand precision (integer bit included);
// kFracBits the stored fraction bits below the integer bit; kSse selects the SSE rules
// (DAZ/FTZ, first-operand NaN propagation) versus the x87 ones.
struct F32 {
    using Bits = uint32_t;
    static constexpr int kP = 24, kFracBits = 23, kBias = 127, kExpMax = 0xFF;
    static constexpr bool kSse = true;
    static bool sign(Bits a) { return a >> 31; }
    static int bexp(Bits a) { return (a >> 23) & 0xFF; }
    static uint64_t field(Bits a) { return a & 0x7FFFFFu; }  // stored significand bits
    // sig: significand with the integer bit at kP-1 for normals (masked off here).
    static Bits pack(bool s, int bexp, uint64_t sig) {
        return uint32_t(s) << 31 | uint32_t(bexp) << 23 | (uint32_t(sig) & 0x7FFFFFu);
    }
    static Bits inf(bool s) { return pack(s, kExpMax, 0); }
    static Bits defaultNaN() { return kF32DefaultNaN; }
    static uint64_t nanPayload(Bits a) { return field(a) << 41; }  // fraction, left-aligned
    static Bits makeNaN(bool s, uint64_t payload) { return pack(s, kExpMax, payload >> 41 | 0x400000u); }
};

struct F64 {
    using Bits = uint64_t;
    static constexpr int kP = 53, kFracBits = 52, kBias = 1023, kExpMax = 0x7FF;
    static constexpr bool kSse = true;
    static bool sign(Bits a) { return a >> 63; }
    static int bexp(Bits a) { return (a >> 52) & 0x7FF; }
    static uint64_t field(Bits a) { return a & 0xFFFFFFFFFFFFFull; }
    static Bits pack(bool s, int bexp, uint64_t sig) {
        return uint64_t(s) << 63 | uint64_t(bexp) << 52 | (sig & 0xFFFFFFFFFFFFFull);
    }
    static Bits inf(bool s) { return pack(s, kExpMax, 0); }
    static Bits defaultNaN() { return kF64DefaultNaN; }
    static uint64_t nanPayload(Bits a) { return field(a) << 12; }
    static Bits makeNaN(bool s, uint64_t payload) { return pack(s, kExpMax, payload >> 12 | 0x8000000000000ull); }
};

// x87 double extended: explicit integer bit (SDM Vol.1 4.2.2, Table 8-3).
struct F80 {
    using Bits = Float80;
    static constexpr int kP = 64, kFracBits = 63, kBias = 16383, kExpMax = 0x7FFF;
    static constexpr bool kSse = false;
    static bool sign(Bits a) { return a.se >> 15; }
    static int bexp(Bits a) { return a.se & 0x7FFF; }
    static uint64_t field(Bits a) { return a.mant; }
    static Bits pack(bool s, int bexp, uint64_t sig) { return Float80{sig, uint16_t(unsigned(s) << 15 | unsigned(bexp))}; }
    static Bits inf(bool s) { return pack(s, kExpMax, 0x8000000000000000ull); }
    static Bits defaultNaN() { return kF80DefaultNaN; }
    static uint64_t nanPayload(Bits a) { return a.mant << 1; }
    static Bits makeNaN(bool s, uint64_t payload) { return pack(s, kExpMax, payload >> 1 | 0xC000000000000000ull); }
};

template <class F> constexpr int32_t kEmin = 1 - F::kBias;
template <class F> constexpr int32_t kEmax = F::kBias;

enum class Kind : uint8_t { Zero, Finite, Inf, NaN, Unsupported };

// A finite nonzero value is sig * 2^(exp - 63) with sig bit 63 set.
struct Unpacked {
    Kind kind;
    bool sign;
    bool denormal;  // the encoding was a denormal (or f80 pseudo-denormal)
    int32_t exp;
    uint64_t sig;
};

// Decodes without raising anything. f80 unsupported encodings (SDM Vol.1 8.2.2, Table 8-3):
// pseudo-NaN/pseudo-infinity (exponent all ones, integer bit 0) and unnormals (exponent neither 0
// nor all ones, integer bit 0). Pseudo-denormals (exponent 0, integer bit 1) are valid and read
// with exponent 1 (SDM Vol.1 8.2.2).
template <class F>
[[gnu::always_inline]] inline Unpacked decode(typename F::Bits a) {
    const bool s = F::sign(a);
    const int be = F::bexp(a);
    const uint64_t f = F::field(a);
    if constexpr (F::kSse) {
        if (unsigned(be - 1) < unsigned(F::kExpMax - 1)) [[likely]]  // normal
            return {Kind::Finite, s, false, be - F::kBias, (f | uint64_t(1) << F::kFracBits) << (63 - F::kFracBits)};
        if (be == F::kExpMax) return {f ? Kind::NaN : Kind::Inf, s, false, 0, 0};
        if (!f) return {Kind::Zero, s, false, 0, 0};
        const int lz = clz64(f);  // denormal
        return {Kind::Finite, s, true, kEmin<F> - F::kFracBits + (63 - lz), f << lz};
    } else {
        const bool ib = f >> 63;
        if (unsigned(be - 1) < unsigned(F::kExpMax - 1) && ib) [[likely]]  // normal
            return {Kind::Finite, s, false, be - F::kBias, f};
        if (be == F::kExpMax) {
            if (!ib) return {Kind::Unsupported, s, false, 0, 0};
            return {(f << 1) ? Kind::NaN : Kind::Inf, s, false, 0, 0};
        }
        if (be == 0) {
            if (!f) return {Kind::Zero, s, false, 0, 0};
            const int lz = clz64(f);
            return {Kind::Finite, s, true, kEmin<F> - lz, f << lz};
        }
        return {Kind::Unsupported, s, false, 0, 0};  // unnormal
    }
}

template <class F>
inline bool isSNaN(typename F::Bits a) {
    return F::bexp(a) == F::kExpMax && decode<F>(a).kind == Kind::NaN && !(F::nanPayload(a) >> 63);
}

template <class F>
inline typename F::Bits quiet(typename F::Bits a) {
    return F::makeNaN(F::sign(a), F::nanPayload(a));
}

// Denormal operand handling after NaN/invalid screening: DAZ turns it into a signed zero without
// DE (SDM Vol.1 10.2.3.4); otherwise DE is raised (SDM Vol.1 4.9.1.2, 8.5.2, 11.5.2.2).
template <class F>
inline void dazOperand(Unpacked& u, const Env& e) {
    if constexpr (F::kSse) {
        if (u.denormal && e.daz) {
            u.kind = Kind::Zero;
            u.denormal = false;
        }
    }
}

template <class F>
inline void denormalOperand(Unpacked& u, Env& e) {
    if (!u.denormal) return;
    if constexpr (F::kSse) {
        if (e.daz) {
            u.kind = Kind::Zero;
            u.denormal = false;
            return;
        }
    }
    e.flags |= kDE;
}

// NaN operand result of a two-operand operation (SDM Vol.1 4.8.3.5, Table 4-7). SSE: the first
// source's NaN when it is one, else the second's. x87: with two NaNs the larger significand
// (an SNaN's significand is always smaller than a QNaN's, so a QNaN beats an SNaN); on equal
// significands the positive one (measured; the first when the signs agree too). The result is
// quieted; any SNaN raises IE.
template <class F>
inline typename F::Bits propagateNaN(typename F::Bits a, bool aNaN, typename F::Bits b, bool bNaN, Env& e) {
    if ((aNaN && isSNaN<F>(a)) || (bNaN && isSNaN<F>(b))) e.flags |= kIE;
    if constexpr (F::kSse) {
        return quiet<F>(aNaN ? a : b);
    } else {
        if (aNaN && bNaN) {
            const uint64_t fa = F::field(a), fb = F::field(b);
            return quiet<F>(fb > fa || (fb == fa && F::sign(a) && !F::sign(b)) ? b : a);
        }
        return quiet<F>(aNaN ? a : b);
    }
}

}  // namespace pvx::fp::detail
