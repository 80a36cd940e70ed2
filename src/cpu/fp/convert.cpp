// Conversions between f32, f64 and f80 (CVTSS2SD/CVTSD2SS, FLD m32/m64, FST m32/m64).
#include "cpu/fp/round_pack.h"

namespace pvx::fp::detail {
namespace {

// kX87 marks the x87 forms: FLD m32/m64 raises DE on a denormal source (SDM Vol.2 FLD), FST
// rounds without FTZ and raises no DE for an f80 source (SDM Vol.2 FST). The SSE forms raise DE
// and honour DAZ/FTZ (SDM Vol.2 CVTSS2SD, CVTSD2SS).
template <class From, class To, bool kX87>
typename To::Bits convert(typename From::Bits a, Env& e) {
    if constexpr (kX87) e.roundedUp = false;
    Unpacked u = decode<From>(a);
    switch (u.kind) {
    case Kind::Unsupported: e.flags |= kIE; return To::defaultNaN();
    case Kind::NaN:
        // Payload kept from the top, truncated when narrowing; SNaN quieted with IE.
        if (isSNaN<From>(a)) e.flags |= kIE;
        return To::makeNaN(u.sign, From::nanPayload(a));
    case Kind::Inf: return To::inf(u.sign);
    default: break;
    }
    if constexpr (!kX87) {
        denormalOperand<From>(u, e);  // SSE: DAZ or DE
    } else if constexpr (From::kSse) {
        if (u.denormal) e.flags |= kDE;  // FLD m32/m64: DE; MXCSR.DAZ does not apply to x87
    }
    if (u.kind == Kind::Zero) return packZero<To>(u.sign);
    return roundPack64<To, !kX87>(u.sign, u.exp, u.sig, To::kP, e);
}

}  // namespace
}  // namespace pvx::fp::detail

namespace pvx::fp {
using namespace detail;

uint64_t f32_to_f64(uint32_t a, Env& e) { return convert<F32, F64, false>(a, e); }
Float80 f32_to_f80(uint32_t a, Env& e) { return convert<F32, F80, true>(a, e); }
Float80 f64_to_f80(uint64_t a, Env& e) { return convert<F64, F80, true>(a, e); }
uint32_t f64_to_f32(uint64_t a, Env& e) { return convert<F64, F32, false>(a, e); }
uint32_t f80_to_f32(Float80 a, Env& e) { return convert<F80, F32, true>(a, e); }
uint64_t f80_to_f64(Float80 a, Env& e) { return convert<F80, F64, true>(a, e); }

}  // namespace pvx::fp
