// Private to src/cpu/fp: the one rounding routine every operation ends in.
#pragma once
#include "cpu/fp/format.h"

namespace pvx::fp::detail {

// Increment decision for discarding `rem` below an lsb whose half is `half` (IEEE 754 4.3).
template <class W>
inline bool roundIncrement(uint8_t mode, bool sign, bool lsbOdd, W rem, W half) {
    switch (mode) {
    case kRoundNearest: return rem > half || (rem == half && lsbOdd);
    case kRoundDown: return sign && rem != 0;
    case kRoundUp: return !sign && rem != 0;
    default: return false;
    }
}

template <class F>
inline typename F::Bits packZero(bool sign) {
    return F::pack(sign, 0, 0);
}

// Rounds sign * sig * 2^(exp - (kW - 1)) (sig's top bit set; the bits below the precision act
// as round and sticky bits) to format F with `p` significand bits (p < F::kP only for x87
// precision control, SDM Vol.1 8.1.5.2: the exponent range stays F's). W is the working width:
// 64 bits suffice for f32/f64 (p <= 53 leaves room for the round bit and a sticky bit), f80
// needs 128. Raises OE/UE/PE per the masked responses (SDM Vol.1 4.9.1.4-4.9.1.6): overflow
// after rounding with unbounded exponent; tininess after rounding (x86 detects tininess after
// rounding, SDM Vol.1 4.9.1.5); UE on a tiny result when it is inexact (or always when
// e.ueMasked is false, the unmasked rule); SSE FTZ flushes a tiny result to signed zero raising
// UE and PE (SDM Vol.1 10.2.3.3). Sets e.roundedUp (x87 C1). kSseRules is false when an x87
// instruction produces an f32/f64 (FST): no FTZ then.
template <class F, bool kSseRules, class W>
[[gnu::noinline]] typename F::Bits roundPackSlow(bool sign, int32_t exp, W sig, int p, Env& e) {
    constexpr int kW = int(sizeof(W) * 8);
    constexpr int32_t emin = kEmin<F>, emax = kEmax<F>;
    const uint8_t mode = e.rounding;
    int lsbPos = kW - p;  // bit of sig that becomes the result's lsb
    if (exp < emin) [[unlikely]] {
        // Denormal result: the lsb weight is that of the smallest denormal at precision p. Under
        // x87 precision control this is 2^(emin - p + 1), coarser than the f80 format's own
        // (measured: the result is denormalised as if the format had p significand bits).
        const int64_t below = int64_t(emin) - exp;  // 64-bit: f80_roundPack takes any exponent
        lsbPos += below > 2 * kW ? 2 * kW : int(below);
    }
    bool inc, inexact;
    W out;
    int32_t oexp = exp;
    if (lsbPos < kW) [[likely]] {
        const W lsb = W(1) << lsbPos;
        const W rem = sig & (lsb - 1);
        inexact = rem != 0;
        inc = roundIncrement(mode, sign, (sig & lsb) != 0, rem, lsb >> 1);
        out = sig & ~(lsb - 1);
        if (inc) {
            out += lsb;
            if (out == 0) {  // carried out of the top bit
                out = W(1) << (kW - 1);
                ++oexp;
            }
        }
    } else {
        // The whole value lies below the lsb: the top bit is the round bit when lsbPos == kW.
        inexact = true;
        const bool above = lsbPos == kW && W(sig << 1) != 0;
        switch (mode) {
        case kRoundNearest: inc = above; break;  // an exact half rounds to even (zero)
        case kRoundDown: inc = sign; break;
        case kRoundUp: inc = !sign; break;
        default: inc = false; break;
        }
        out = inc ? W(1) << (kW - 1) : 0;
        oexp = emin - (p - 1);
    }
    if (exp < emin) [[unlikely]] {
        // Tiny unless rounding to p bits with an unbounded exponent reaches 2^emin.
        bool tiny = true;
        if (exp == emin - 1) {
            const W lsb = W(1) << (kW - p);
            if (roundIncrement(mode, sign, (sig & lsb) != 0, sig & (lsb - 1), lsb >> 1) && (sig | (lsb - 1)) == W(~W(0)))
                tiny = false;
        }
        if (tiny) {
            if constexpr (kSseRules) {
                if (e.ftz && e.ueMasked) {
                    e.flags |= kUE | kPE;
                    e.roundedUp = false;
                    return packZero<F>(sign);
                }
            }
            if (inexact || !e.ueMasked) e.flags |= kUE;
        }
    }
    if (oexp > emax) [[unlikely]] {
        e.flags |= kOE | kPE;
        const bool toInf = mode == kRoundNearest || (mode == kRoundUp && !sign) || (mode == kRoundDown && sign);
        e.roundedUp = toInf;
        if (toInf) return F::inf(sign);
        const uint64_t maxSig = ~uint64_t(0) << (64 - p) >> (64 - F::kP);
        return F::pack(sign, F::kBias + emax, maxSig);
    }
    if (inexact) e.flags |= kPE;
    e.roundedUp = inc;
    if (out == 0) return packZero<F>(sign);
    const uint64_t top = uint64_t(out >> (kW - F::kP));  // integer bit at kP-1
    if (oexp >= emin) [[likely]] return F::pack(sign, oexp + F::kBias, top);
    return F::pack(sign, 0, top >> (emin - oexp));
}

// The same, with the common case inline: a normal result that cannot overflow.
template <class F, bool kSseRules, class W>
inline typename F::Bits roundPackW(bool sign, int32_t exp, W sig, int p, Env& e) {
    constexpr int kW = int(sizeof(W) * 8);
    if (exp >= kEmin<F> && exp < kEmax<F>) [[likely]] {
        const W lsb = W(1) << (kW - p);
        const W rem = sig & (lsb - 1);
        W out = sig & ~(lsb - 1);
        bool inc = false;
        if (rem) {
            e.flags |= kPE;
            inc = roundIncrement(e.rounding, sign, (sig & lsb) != 0, rem, lsb >> 1);
            if (inc) {
                out += lsb;
                if (out == 0) {  // carried out of the top bit
                    out = W(1) << (kW - 1);
                    ++exp;
                }
            }
        }
        e.roundedUp = inc;
        return F::pack(sign, exp + F::kBias, uint64_t(out >> (kW - F::kP)));
    }
    return roundPackSlow<F, kSseRules, W>(sign, exp, sig, p, e);
}

// Rounds sign * sig * 2^(exp - 127), sig bit 127 set.
template <class F, bool kSseRules = F::kSse>
inline typename F::Bits roundPack(bool sign, int32_t exp, u128 sig, int p, Env& e) {
    if constexpr (F::kP <= 53) {
        return roundPackW<F, kSseRules, uint64_t>(sign, exp, uint64_t(sig >> 64) | (uint64_t(sig) != 0), p, e);
    } else {
        return roundPackW<F, kSseRules, u128>(sign, exp, sig, p, e);
    }
}

// Exact or rounded packing of a 64-bit significand (bit 63 set), value sig * 2^(exp - 63).
template <class F, bool kSseRules = F::kSse>
inline typename F::Bits roundPack64(bool sign, int32_t exp, uint64_t sig, int p, Env& e) {
    if constexpr (F::kP <= 53) return roundPackW<F, kSseRules, uint64_t>(sign, exp, sig, p, e);
    else return roundPackW<F, kSseRules, u128>(sign, exp, u128(sig) << 64, p, e);
}

// x87 precision control (SDM Vol.1 8.1.5.2): 00 single, 10 double, 11 (and reserved 01) extended.
inline int precisionBits(const Env& e) {
    return e.precision == kPrecSingle ? 24 : e.precision == kPrecDouble ? 53 : 64;
}

template <class F>
inline int opPrecision(const Env& e) {
    if constexpr (F::kSse) return F::kP;
    else return precisionBits(e);
}

}  // namespace pvx::fp::detail
