// Addition and subtraction (SDM Vol.1 4.8.3, Table 4-7; 8.5; 11.5).
#include <utility>

#include "cpu/fp/round_pack.h"

namespace pvx::fp::detail {
namespace {

// NaN, unsupported, infinite and zero operands (the operands are decoded, DE not yet raised).
template <class F>
[[gnu::noinline]] typename F::Bits addSubSpecial(typename F::Bits a, typename F::Bits b, Unpacked ua, Unpacked ub,
                                                 bool negB, Env& e) {
    if (ua.kind >= Kind::NaN || ub.kind >= Kind::NaN) {
        if (ua.kind == Kind::Unsupported || ub.kind == Kind::Unsupported) {
            e.flags |= kIE;  // unsupported f80 encodings are invalid operands (SDM Vol.1 8.2.2)
            return F::defaultNaN();
        }
        return propagateNaN<F>(a, ua.kind == Kind::NaN, b, ub.kind == Kind::NaN, e);
    }
    denormalOperand<F>(ua, e);
    denormalOperand<F>(ub, e);
    ub.sign ^= negB;
    if (ua.kind == Kind::Inf) {
        if (ub.kind == Kind::Inf && ua.sign != ub.sign) {
            e.flags |= kIE;  // inf - inf
            return F::defaultNaN();
        }
        return F::inf(ua.sign);
    }
    if (ub.kind == Kind::Inf) return F::inf(ub.sign);
    if (ua.kind == Kind::Zero && ub.kind == Kind::Zero) {
        // IEEE 754 6.3: an exact zero sum is -0 only for (-0)+(-0), or for opposite signs when
        // rounding down.
        return packZero<F>(ua.sign == ub.sign ? ua.sign : e.rounding == kRoundDown);
    }
    const Unpacked& x = ua.kind == Kind::Zero ? ub : ua;
    return roundPack64<F>(x.sign, x.exp, x.sig, opPrecision<F>(e), e);  // may still round (PC, FTZ)
}

template <class F>
typename F::Bits addSub(typename F::Bits a, typename F::Bits b, bool negB, Env& e) {
    if constexpr (!F::kSse) e.roundedUp = false;
    Unpacked ua = decode<F>(a), ub = decode<F>(b);
    if (ua.kind != Kind::Finite || ub.kind != Kind::Finite) [[unlikely]]
        return addSubSpecial<F>(a, b, ua, ub, negB, e);
    if (ua.denormal || ub.denormal) [[unlikely]] {
        denormalOperand<F>(ua, e);  // DE, or DAZ turning it into a zero
        denormalOperand<F>(ub, e);
        if (ua.kind != Kind::Finite || ub.kind != Kind::Finite) return addSubSpecial<F>(a, b, ua, ub, negB, e);
    }
    ub.sign ^= negB;
    const int p = opPrecision<F>(e);
    // Align on the larger exponent, one bit of headroom above the significands so the sum
    // cannot carry out; bits shifted past bit 0 are jammed into a sticky bit.
    if (ua.exp < ub.exp || (ua.exp == ub.exp && ua.sig < ub.sig)) std::swap(ua, ub);
    const int32_t d = ua.exp - ub.exp;
    if constexpr (F::kP <= 53) {
        // f32/f64: 64 bits leave >= 10 guard bits below the significand, enough for the round
        // bit and the sticky bit even after cancellation.
        const uint64_t x = ua.sig >> 1;
        uint64_t y = ub.sig >> 1;
        if (d) y = d >= 63 ? 1 : (y >> d) | ((y << (64 - d)) != 0);
        uint64_t r;
        if (ua.sign == ub.sign) {
            r = x + y;
        } else {
            r = x - y;
            if (r == 0) return packZero<F>(e.rounding == kRoundDown);
        }
        const int lz = clz64(r);
        return roundPackW<F, true, uint64_t>(ua.sign, ua.exp + 1 - lz, r << lz, p, e);
    } else {
        // f80: significands at bits 126..63 of 128.
        const u128 x = u128(ua.sig) << 63;
        u128 y = u128(ub.sig) << 63;
        if (d) y = d >= 127 ? 1 : (y >> d) | ((y << (128 - d)) != 0);
        u128 r;
        if (ua.sign == ub.sign) {
            r = x + y;
        } else {
            r = x - y;  // |a| >= |b|
            if (r == 0) return packZero<F>(e.rounding == kRoundDown);
        }
        const uint64_t hi = uint64_t(r >> 64);
        const int lz = hi ? clz64(hi) : 64 + clz64(uint64_t(r));
        return roundPack<F>(ua.sign, ua.exp + 1 - lz, r << lz, p, e);
    }
}

}  // namespace
}  // namespace pvx::fp::detail

namespace pvx::fp {
using namespace detail;

uint32_t f32_add(uint32_t a, uint32_t b, Env& e) { return addSub<F32>(a, b, false, e); }
uint32_t f32_sub(uint32_t a, uint32_t b, Env& e) { return addSub<F32>(a, b, true, e); }
uint64_t f64_add(uint64_t a, uint64_t b, Env& e) { return addSub<F64>(a, b, false, e); }
uint64_t f64_sub(uint64_t a, uint64_t b, Env& e) { return addSub<F64>(a, b, true, e); }
Float80 f80_add(Float80 a, Float80 b, Env& e) { return addSub<F80>(a, b, false, e); }
Float80 f80_sub(Float80 a, Float80 b, Env& e) { return addSub<F80>(a, b, true, e); }

}  // namespace pvx::fp
