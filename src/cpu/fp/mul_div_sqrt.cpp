// Multiplication, division and square root (SDM Vol.1 4.8.3, 4.9.1, Table 4-7; 8.5; 11.5).
#include "cpu/fp/round_pack.h"

namespace pvx::fp::detail {
namespace {

// Screens NaN and unsupported operands; true when `out` holds the result.
// Denormal operands raise DE here unless `deferDE` (division decides after the zero check).
template <class F>
[[gnu::always_inline]] inline bool screenBinary(typename F::Bits a, typename F::Bits b, Unpacked& ua, Unpacked& ub, typename F::Bits& out, Env& e,
                  bool deferDE = false) {
    if constexpr (!F::kSse) e.roundedUp = false;
    ua = decode<F>(a);
    ub = decode<F>(b);
    if (ua.kind >= Kind::NaN || ub.kind >= Kind::NaN) [[unlikely]] {
        if (ua.kind == Kind::Unsupported || ub.kind == Kind::Unsupported) {
            e.flags |= kIE;
            out = F::defaultNaN();
        } else {
            out = propagateNaN<F>(a, ua.kind == Kind::NaN, b, ub.kind == Kind::NaN, e);
        }
        return true;
    }
    if (deferDE) {
        dazOperand<F>(ua, e);
        dazOperand<F>(ub, e);
    } else {
        denormalOperand<F>(ua, e);
        denormalOperand<F>(ub, e);
    }
    return false;
}

template <class F>
typename F::Bits mul(typename F::Bits a, typename F::Bits b, Env& e) {
    Unpacked ua, ub;
    typename F::Bits out;
    if (screenBinary<F>(a, b, ua, ub, out, e)) return out;
    const bool s = ua.sign ^ ub.sign;
    if (ua.kind != Kind::Finite || ub.kind != Kind::Finite) [[unlikely]] {
        if (ua.kind == Kind::Inf || ub.kind == Kind::Inf) {
            if (ua.kind == Kind::Zero || ub.kind == Kind::Zero) {
                e.flags |= kIE;  // 0 * inf
                return F::defaultNaN();
            }
            return F::inf(s);
        }
        return packZero<F>(s);
    }
    u128 r = u128(ua.sig) * ub.sig;  // in [2^126, 2^128)
    int32_t exp = ua.exp + ub.exp + 1;
    if (!(r >> 127)) {
        r <<= 1;
        --exp;
    }
    return roundPack<F>(s, exp, r, opPrecision<F>(e), e);
}

template <class F>
typename F::Bits div(typename F::Bits a, typename F::Bits b, Env& e) {
    Unpacked ua, ub;
    typename F::Bits out;
    if (screenBinary<F>(a, b, ua, ub, out, e, true)) return out;
    const bool s = ua.sign ^ ub.sign;
    // Division by zero takes precedence over a denormal dividend (measured: ZE without DE).
    if (!(ub.kind == Kind::Zero && ua.kind == Kind::Finite) && (ua.denormal || ub.denormal)) e.flags |= kDE;
    if (ua.kind != Kind::Finite || ub.kind != Kind::Finite) [[unlikely]] {
        if (ua.kind == Kind::Inf) {
            if (ub.kind == Kind::Inf) {
                e.flags |= kIE;  // inf / inf
                return F::defaultNaN();
            }
            return F::inf(s);
        }
        if (ub.kind == Kind::Inf) return packZero<F>(s);
        if (ub.kind == Kind::Zero) {
            if (ua.kind == Kind::Zero) {
                e.flags |= kIE;  // 0 / 0
                return F::defaultNaN();
            }
            e.flags |= kZE;  // finite / 0 (SDM Vol.1 4.9.1.3)
            return F::inf(s);
        }
        return packZero<F>(s);
    }
    // q = floor(sigA * 2^65 / sigB) lies in (2^64, 2^66): at least 65 quotient bits; the
    // remainder is sticky. The last quotient bit comes from one restoring step (sigA * 2^65
    // would not fit in 128 bits).
    const u128 num = u128(ua.sig) << 64;
    u128 q = num / ub.sig;
    u128 rem = (num - q * ub.sig) << 1;
    q <<= 1;
    if (rem >= ub.sig) {
        q |= 1;
        rem -= ub.sig;
    }
    const bool sticky = rem != 0;
    // value = q * 2^(expA - expB - 65); move the leading bit (65 or 64) to bit 127.
    int32_t exp = ua.exp - ub.exp;
    if (q >> 65) {
        q <<= 62;
    } else {
        q <<= 63;
        --exp;
    }
    return roundPack<F>(s, exp, q | sticky, opPrecision<F>(e), e);
}

// Over-estimates of sqrt((i + 1) * 2^59), i = 8..31: the starting points for sqrt of a 64-bit
// value with one of its top two bits set (index = its top 5 bits).
constexpr uint64_t sqrtSeed(u128 v) {  // ceil(sqrt(v)), compile time only
    uint64_t lo = 0, hi = uint64_t(1) << 32;
    while (lo < hi) {
        const uint64_t mid = (lo + hi) / 2;
        if (u128(mid) * mid >= v) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}
struct SqrtSeeds {
    uint64_t v[32];
    constexpr SqrtSeeds() : v{} {
        for (int i = 0; i < 32; ++i) v[i] = sqrtSeed(u128(i + 1) << 59);
    }
};
constexpr SqrtSeeds kSqrtSeeds;

// floor(sqrt(n)) for n in [2^126, 2^128), and the remainder n - root^2. Newton's iteration from
// above on the top 64 bits (a seed within 6%, three steps reach ~2^-40), one Newton step on the
// full value, then an exact correction by at most a few units.
inline uint64_t isqrt128(u128 n, u128& rem) {
    const uint64_t top = uint64_t(n >> 64);  // [2^62, 2^64)
    uint64_t x = kSqrtSeeds.v[top >> 59];
    for (int i = 0; i < 3; ++i) x = (x + top / x) >> 1;
    const u128 r0 = u128(x) << 32;
    u128 r = (r0 + n / r0) >> 1;
    if (r >> 64) r = ~uint64_t(0);
    while (r * r > n) --r;
    while (r < ~uint64_t(0) && (r + 1) * (r + 1) <= n) ++r;
    rem = n - r * r;
    return uint64_t(r);
}

template <class F>
typename F::Bits sqrt(typename F::Bits a, Env& e) {
    if constexpr (!F::kSse) e.roundedUp = false;
    Unpacked u = decode<F>(a);
    if (u.kind >= Kind::NaN) [[unlikely]] {
        if (u.kind == Kind::Unsupported) {
            e.flags |= kIE;
            return F::defaultNaN();
        }
        if (isSNaN<F>(a)) e.flags |= kIE;
        return quiet<F>(a);
    }
    if constexpr (F::kSse) {
        if (u.denormal && e.daz) u.kind = Kind::Zero;
    }
    if (u.kind == Kind::Zero) return packZero<F>(u.sign);  // sqrt(-0) = -0
    if (u.sign) {
        e.flags |= kIE;  // square root of a negative number; takes precedence over DE
        return F::defaultNaN();
    }
    denormalOperand<F>(u, e);
    if (u.kind == Kind::Inf) return F::inf(false);
    // value = sig * 2^(exp-63). With an odd exp, sqrt(sig * 2^64) * 2^((exp-127)/2); with an even
    // one, sqrt(sig * 2^63) * 2^((exp-126)/2). Either radicand gives a 64-bit root with bit 63 set.
    const bool odd = u.exp & 1;
    const u128 n = u128(u.sig) << (odd ? 64 : 63);
    u128 rem;
    const uint64_t r = isqrt128(n, rem);
    // The exact root is never a half-way point: rem > r means the next bit is 1.
    const u128 sig = u128(r) << 64 | (rem > r ? u128(1) << 63 : 0) | (rem != 0);
    const int32_t exp = 63 + (odd ? (u.exp - 127) / 2 : (u.exp - 126) / 2);
    return roundPack<F>(false, exp, sig, opPrecision<F>(e), e);
}

}  // namespace
}  // namespace pvx::fp::detail

namespace pvx::fp {
using namespace detail;

uint32_t f32_mul(uint32_t a, uint32_t b, Env& e) { return mul<F32>(a, b, e); }
uint32_t f32_div(uint32_t a, uint32_t b, Env& e) { return div<F32>(a, b, e); }
uint32_t f32_sqrt(uint32_t a, Env& e) { return detail::sqrt<F32>(a, e); }
uint64_t f64_mul(uint64_t a, uint64_t b, Env& e) { return mul<F64>(a, b, e); }
uint64_t f64_div(uint64_t a, uint64_t b, Env& e) { return div<F64>(a, b, e); }
uint64_t f64_sqrt(uint64_t a, Env& e) { return detail::sqrt<F64>(a, e); }
Float80 f80_mul(Float80 a, Float80 b, Env& e) { return mul<F80>(a, b, e); }
Float80 f80_div(Float80 a, Float80 b, Env& e) { return div<F80>(a, b, e); }
Float80 f80_sqrt(Float80 a, Env& e) { return detail::sqrt<F80>(a, e); }

}  // namespace pvx::fp
