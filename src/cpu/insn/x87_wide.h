// Exact (or sticky-rounded 128-bit) results of x87 operations with an unbounded exponent, for the
// unmasked overflow/underflow response: the register result is the correctly rounded value with
// its exponent bias-adjusted by -24576 (overflow) or +24576 (underflow) (SDM Vol.1 8.5.4, 8.5.5).
#pragma once
#include "cpu/fp/softfloat.h"

namespace pvx::cpu::x87 {

struct Wide {
    bool valid = false;
    bool sign = false;
    int64_t exp = 0;            // value = hi:lo * 2^(exp - 127)
    uint64_t hi = 0, lo = 0;    // not necessarily normalised; lo bit 0 may be a sticky bit
    uint8_t precision = fp::kPrecExtended, rounding = fp::kRoundNearest;

    // Below the smallest normal (2^-16382) before rounding.
    bool tiny() const {
        const int lz = hi ? __builtin_clzll(hi) : (lo ? 64 + __builtin_clzll(lo) : 128);
        return exp - lz < -16382;
    }
    fp::Float80 biased(bool overflow, fp::Env& e) const {
        e.precision = precision;
        e.rounding = rounding;
        e.flags = 0;
        const int64_t x = exp + (overflow ? -24576 : 24576);
        const int lz = hi ? __builtin_clzll(hi) : 64 + __builtin_clzll(lo);
        // Still out of range after the adjustment (FSCALE by huge amounts): infinity or zero,
        // as Intel processors deliver it.
        if (x - lz > 16383) {
            e.flags |= fp::kPE;
            e.roundedUp = true;
            return fp::Float80{1ull << 63, static_cast<uint16_t>((sign ? 0x8000 : 0) | 0x7FFF)};
        }
        if (x - lz < -16382 - 64) {
            e.flags |= fp::kPE;
            e.roundedUp = false;
            return fp::Float80{0, static_cast<uint16_t>(sign ? 0x8000 : 0)};
        }
        return fp::f80_roundPack(sign, static_cast<int32_t>(x), hi, lo, e);
    }
};

// a op b for finite nonzero operands; op is '+', '-', '*' or '/'. Invalid (valid = false) for
// zero, infinite, NaN or unsupported operands, where no overflow/underflow can happen.
Wide wideArith(fp::Float80 a, fp::Float80 b, char op);

// FPREM/FPREM1 on two f80 values (SDM Vol.2 FPREM, FPREM1): the new ST(0) and the condition
// codes (C2 = partial; C0, C3, C1 = quotient bits Q2, Q1, Q0), as FSW bits.
struct Remainder {
    fp::Float80 value;
    uint16_t codes = 0;
    bool special = false;  // NaN or invalid operands: C0 and C3 are left alone
};
Remainder partialRemainder(fp::Float80 a, fp::Float80 b, bool ieee, fp::Env& e);

}  // namespace pvx::cpu::x87
