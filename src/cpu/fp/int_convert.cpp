// Integer <-> floating-point conversions (CVTSI2SS/SD, CVT(T)SS/SD2SI, FILD, FIST(P), FISTTP).
#include "cpu/fp/round_pack.h"

namespace pvx::fp::detail {
namespace {

template <class F>
typename F::Bits fromInt(int64_t v, Env& e) {
    if (v == 0) return packZero<F>(false);
    const bool s = v < 0;
    const uint64_t m = s ? 0 - uint64_t(v) : uint64_t(v);
    const int lz = clz64(m);
    return roundPack64<F>(s, 63 - lz, m << lz, F::kP, e);  // PE when inexact; never tiny or huge
}

// Splits |value| = sig * 2^(exp - 63) into an integer part and the discarded fraction, rounded
// per `mode`. Requires exp < 63. Returns the rounded magnitude; sets inexact and inc.
inline uint64_t roundMagnitude(const Unpacked& u, uint8_t mode, bool& inexact, bool& inc) {
    uint64_t ip, rem, half;
    if (u.exp < -1) {  // below one half: all fraction, no half-way point reachable
        ip = 0;
        rem = 1;
        half = 2;
    } else if (u.exp == -1) {
        ip = 0;
        rem = u.sig;
        half = uint64_t(1) << 63;
    } else {
        const int sh = 63 - u.exp;  // 1..63
        ip = u.sig >> sh;
        rem = u.sig & ((uint64_t(1) << sh) - 1);
        half = uint64_t(1) << (sh - 1);
    }
    inexact = rem != 0;
    inc = roundIncrement(mode, u.sign, ip & 1, rem, half);
    return ip + inc;
}

// SDM Vol.1 4.9.1.2 / 11.5.2.1: NaN, infinity or a value out of range of the destination is an
// invalid operation; the masked response is the integer indefinite. No DE (not listed for
// CVTSS2SI or FIST); DAZ still applies to the SSE forms.
template <class F>
int64_t toInt(typename F::Bits a, unsigned bits, bool truncate, Env& e) {
    if constexpr (!F::kSse) e.roundedUp = false;
    const int64_t indefinite = int64_t(~uint64_t(0) << (bits - 1));
    Unpacked u = decode<F>(a);
    if (u.kind >= Kind::Inf) [[unlikely]] {
        e.flags |= kIE;
        return indefinite;
    }
    if constexpr (F::kSse) {
        if (u.denormal && e.daz) return 0;
    }
    if (u.kind == Kind::Zero) return 0;
    const uint64_t limit = uint64_t(1) << (bits - 1);  // |indefinite|
    uint64_t m;
    bool inexact = false, inc = false;
    if (u.exp >= 63) {
        if (u.exp > 63) {
            e.flags |= kIE;
            return indefinite;
        }
        m = u.sig;
    } else {
        m = roundMagnitude(u, truncate ? uint8_t(kRoundZero) : e.rounding, inexact, inc);
    }
    if (m > limit - !u.sign) {
        e.flags |= kIE;
        return indefinite;
    }
    if (inexact) e.flags |= kPE;
    if constexpr (!F::kSse) e.roundedUp = inc;
    return u.sign ? int64_t(0 - m) : int64_t(m);
}

}  // namespace
}  // namespace pvx::fp::detail

namespace pvx::fp {
using namespace detail;

uint32_t i32_to_f32(int32_t v, Env& e) { return fromInt<F32>(v, e); }
uint32_t i64_to_f32(int64_t v, Env& e) { return fromInt<F32>(v, e); }
uint64_t i32_to_f64(int32_t v, Env& e) { return fromInt<F64>(v, e); }
uint64_t i64_to_f64(int64_t v, Env& e) { return fromInt<F64>(v, e); }

Float80 i64_to_f80(int64_t v) {
    if (v == 0) return Float80{};
    const bool s = v < 0;
    const uint64_t m = s ? 0 - uint64_t(v) : uint64_t(v);
    const int lz = clz64(m);
    return F80::pack(s, F80::kBias + 63 - lz, m << lz);
}

int64_t f32_to_int(uint32_t a, unsigned bits, bool truncate, Env& e) { return toInt<F32>(a, bits, truncate, e); }
int64_t f64_to_int(uint64_t a, unsigned bits, bool truncate, Env& e) { return toInt<F64>(a, bits, truncate, e); }
int64_t f80_to_int(Float80 a, unsigned bits, bool truncate, Env& e) { return toInt<F80>(a, bits, truncate, e); }

}  // namespace pvx::fp
