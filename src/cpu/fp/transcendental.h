// x87 transcendental functions in software (no host libm or FPU): the values FSIN, FCOS, FPTAN,
// FPATAN, F2XM1, FYL2X and FYL2XP1 produce for finite operands in their domains, computed in
// 128-bit fixed point and rounded once to 64 bits (FCW.RC in env.rounding; PC does not apply:
// SDM Vol.1 8.1.5.2). Special operands (NaN, infinity, zero, out of range, invalid domain) are
// the instruction layer's job (cpu/insn/x87_transcendental.cpp); these functions expect finite
// nonzero arguments with |x| < 2^63 for the trigonometric ones and set PE/UE/DE in env.flags.
//
// Accuracy: see docs in x87_transcendental.cpp and the X87Transcendental diff test (within 1 ulp
// of the host's x87 at 64-bit precision).
#pragma once
#include "cpu/fp/softfloat.h"

namespace pvx::fp {

// `expAdjust` is added to the result's exponent before rounding (the x87 bias adjustment of an
// unmasked underflow/overflow, SDM Vol.1 8.5.4/8.5.5: +-24576).
Float80 f80_sin(Float80 x, Env& e, int32_t expAdjust = 0);
Float80 f80_cos(Float80 x, Env& e, int32_t expAdjust = 0);
Float80 f80_tan(Float80 x, Env& e, int32_t expAdjust = 0);
Float80 f80_atan2(Float80 y, Float80 x, Env& e, int32_t expAdjust = 0);   // atan(y / x), quadrant from the signs
Float80 f80_2xm1(Float80 x, Env& e, int32_t expAdjust = 0);               // 2^x - 1, |x| <= 1
Float80 f80_yl2x(Float80 y, Float80 x, Env& e, int32_t expAdjust = 0);    // y * log2(x), x > 0
Float80 f80_yl2xp1(Float80 y, Float80 x, Env& e, int32_t expAdjust = 0);  // y * log2(x + 1)

}  // namespace pvx::fp
