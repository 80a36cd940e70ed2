// Comparisons (COMISS/UCOMISS, CMPxx, FCOM/FUCOM; SDM Vol.1 4.8.3.6, 8.1.4, 11.5.2.1).
#include "cpu/fp/format.h"

namespace pvx::fp::detail {
namespace {

// Magnitude ordering key of a non-NaN operand.
inline u128 magnitudeKey(const Unpacked& u) {
    if (u.kind == Kind::Zero) return 0;
    if (u.kind == Kind::Inf) return ~u128(0);
    return u128(uint64_t(int64_t(u.exp) + (int64_t(1) << 20))) << 64 | u.sig;
}

template <class F>
Cmp compare(typename F::Bits a, typename F::Bits b, bool quietCmp, Env& e) {
    Unpacked ua = decode<F>(a), ub = decode<F>(b);
    if (ua.kind >= Kind::NaN || ub.kind >= Kind::NaN) [[unlikely]] {
        // Unsupported f80 encodings and SNaNs always raise IE; QNaNs only when not quiet.
        if (ua.kind == Kind::Unsupported || ub.kind == Kind::Unsupported || !quietCmp ||
            (ua.kind == Kind::NaN && isSNaN<F>(a)) || (ub.kind == Kind::NaN && isSNaN<F>(b)))
            e.flags |= kIE;
        return Cmp::Unordered;
    }
    denormalOperand<F>(ua, e);
    denormalOperand<F>(ub, e);
    const u128 ka = magnitudeKey(ua), kb = magnitudeKey(ub);
    if (ka == 0 && kb == 0) return Cmp::Equal;  // +0 == -0
    const bool sa = ua.sign && ka, sb = ub.sign && kb;
    if (sa != sb) return sa ? Cmp::Less : Cmp::Greater;
    if (ka == kb) return Cmp::Equal;
    return (ka < kb) != sa ? Cmp::Less : Cmp::Greater;
}

}  // namespace
}  // namespace pvx::fp::detail

namespace pvx::fp {
using namespace detail;

Cmp f32_compare(uint32_t a, uint32_t b, bool quiet, Env& e) { return compare<F32>(a, b, quiet, e); }
Cmp f64_compare(uint64_t a, uint64_t b, bool quiet, Env& e) { return compare<F64>(a, b, quiet, e); }
Cmp f80_compare(Float80 a, Float80 b, bool quiet, Env& e) { return compare<F80>(a, b, quiet, e); }

}  // namespace pvx::fp
