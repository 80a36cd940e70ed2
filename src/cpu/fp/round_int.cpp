// Rounding to an integral value in the same format (ROUNDSS/ROUNDSD, FRNDINT).
#include "cpu/fp/round_pack.h"

namespace pvx::fp::detail {
namespace {

// ROUNDSS/SD raise IE (SNaN) and PE (unless imm8 bit 3), no DE, and honour DAZ (SDM Vol.2
// ROUNDSS). FRNDINT raises IE, DE and PE, sets C1 on round-up, ignores precision control
// (SDM Vol.2 FRNDINT, Vol.1 8.1.5.2).
template <class F>
typename F::Bits roundToInt(typename F::Bits a, uint8_t mode, bool suppressInexact, Env& e) {
    if constexpr (!F::kSse) e.roundedUp = false;
    Unpacked u = decode<F>(a);
    switch (u.kind) {
    case Kind::Unsupported: e.flags |= kIE; return F::defaultNaN();
    case Kind::NaN:
        if (isSNaN<F>(a)) e.flags |= kIE;
        return quiet<F>(a);
    case Kind::Inf: return a;
    default: break;
    }
    if constexpr (F::kSse) {
        if (u.denormal && e.daz) return packZero<F>(u.sign);
    } else {
        denormalOperand<F>(u, e);
    }
    if (u.kind == Kind::Zero) return a;
    if (u.exp >= F::kP - 1) return a;  // already integral
    uint64_t ip, rem, half;
    if (u.exp < -1) {
        ip = 0, rem = 1, half = 2;
    } else if (u.exp == -1) {
        ip = 0, rem = u.sig, half = uint64_t(1) << 63;
    } else {
        const int sh = 63 - u.exp;
        ip = u.sig >> sh;
        rem = u.sig & ((uint64_t(1) << sh) - 1);
        half = uint64_t(1) << (sh - 1);
    }
    const bool inc = roundIncrement(mode & 3, u.sign, ip & 1, rem, half);
    ip += inc;
    if (rem && !suppressInexact) e.flags |= kPE;
    typename F::Bits r;
    if (ip == 0) {
        r = packZero<F>(u.sign);
    } else {
        const int lz = clz64(ip);
        r = F::pack(u.sign, F::kBias + 63 - lz, (ip << lz) >> (64 - F::kP));  // exact
    }
    if constexpr (!F::kSse) e.roundedUp = inc;
    return r;
}

}  // namespace
}  // namespace pvx::fp::detail

namespace pvx::fp {
using namespace detail;

uint32_t f32_roundToInt(uint32_t a, uint8_t mode, bool suppressInexact, Env& e) {
    return roundToInt<F32>(a, mode, suppressInexact, e);
}
uint64_t f64_roundToInt(uint64_t a, uint8_t mode, bool suppressInexact, Env& e) {
    return roundToInt<F64>(a, mode, suppressInexact, e);
}
Float80 f80_roundToInt(Float80 a, uint8_t mode, Env& e) { return roundToInt<F80>(a, mode, false, e); }

}  // namespace pvx::fp
