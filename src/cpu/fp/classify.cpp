// Classification predicates (SDM Vol.1 4.2.2, 4.8; f80 encodings Table 8-3).
#include "cpu/fp/format.h"

namespace pvx::fp {
using namespace detail;

bool f32_isNaN(uint32_t a) { return decode<F32>(a).kind == Kind::NaN; }
bool f32_isSignalingNaN(uint32_t a) { return isSNaN<F32>(a); }
bool f32_isDenormal(uint32_t a) { return decode<F32>(a).denormal; }
bool f64_isNaN(uint64_t a) { return decode<F64>(a).kind == Kind::NaN; }
bool f64_isSignalingNaN(uint64_t a) { return isSNaN<F64>(a); }
bool f64_isDenormal(uint64_t a) { return decode<F64>(a).denormal; }
bool f80_isNaN(Float80 a) { return decode<F80>(a).kind == Kind::NaN; }
bool f80_isSignalingNaN(Float80 a) { return isSNaN<F80>(a); }
bool f80_isDenormal(Float80 a) { return a.exp() == 0 && !(a.mant >> 63) && a.mant; }
bool f80_isUnsupported(Float80 a) { return decode<F80>(a).kind == Kind::Unsupported; }
bool f80_isInf(Float80 a) { return decode<F80>(a).kind == Kind::Inf; }
bool f80_isZero(Float80 a) { return decode<F80>(a).kind == Kind::Zero; }

}  // namespace pvx::fp
