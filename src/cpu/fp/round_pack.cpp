// Public f80 helpers over the core rounding routine, for transcendental and remainder code.
#include "cpu/fp/round_pack.h"

namespace pvx::fp {
using namespace detail;

Float80 f80_roundPack(bool sign, int32_t exp, uint64_t sigHi, uint64_t sigLo, Env& e) {
    u128 sig = u128(sigHi) << 64 | sigLo;
    if (sig == 0) {
        e.roundedUp = false;
        return packZero<F80>(sign);
    }
    if (!(sigHi >> 63)) {  // tolerate an unnormalised significand
        const int lz = sigHi ? clz64(sigHi) : 64 + clz64(sigLo);
        sig <<= lz;
        exp -= lz;
    }
    return roundPack<F80>(sign, exp, sig, precisionBits(e), e);
}

void f80_unpack(Float80 a, bool& sign, int32_t& exp, uint64_t& sig) {
    sign = a.sign();
    if (a.mant == 0) {
        exp = 0;
        sig = 0;
        return;
    }
    // Denormals and pseudo-denormals use exponent 1 (SDM Vol.1 8.2.2); unnormals normalise too.
    const int be = a.exp() ? int(a.exp()) : 1;
    const int lz = clz64(a.mant);
    sig = a.mant << lz;
    exp = be - F80::kBias - lz;
}

}  // namespace pvx::fp
