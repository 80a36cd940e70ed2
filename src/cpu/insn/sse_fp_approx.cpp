// RCPSS/RCPPS and RSQRTSS/RSQRTPS (SDM Vol.2 RCPPS, RSQRTPS): approximations whose only
// architectural contract is |relative error| <= 1.5 * 2^-12 plus the special cases below. Intel
// and AMD implement different (undocumented) tables, so pvx does not imitate either bit for bit:
// it computes the reciprocal (square root) in integers to ~19 bits and rounds the significand to
// nearest with 12 fraction bits, so |relative error| <= 2^-13 + 2^-18, well inside the bound.
//
// Special cases (SDM Vol.2 RCPPS/RSQRTPS "Description"): not affected by MXCSR.RC, DAZ or FTZ;
// a denormal source is treated as a zero of its sign; 0 -> infinity of the same sign; infinity
// -> zero of its sign (RSQRT: +inf -> +0); RSQRT of a negative nonzero value -> the default
// QNaN; NaN -> that NaN, quieted; tiny RCP results are flushed to a zero of the operand's sign.
// No exceptions are raised, not even IE for an SNaN.
#include <bit>

#include "cpu/insn/sse_fp_common.h"

namespace pvx::cpu {

namespace {

constexpr uint32_t kSign = 0x80000000u, kExpMask = 0x7F800000u, kFracMask = 0x007FFFFFu;
constexpr uint32_t kInf = 0x7F800000u, kQuietBit = 0x00400000u;

uint64_t isqrt64(uint64_t n) {
    uint64_t r = 0, bit = 1ull << 62;
    while (bit > n) bit >>= 2;
    while (bit) {
        if (n >= r + bit) {
            n -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    return r;
}

// sign | R * 2^(scale) as a single, R > 0 with its significand rounded to nearest at 12 fraction
// bits; tiny results flush to zero (no denormal results).
uint32_t pack12(uint32_t sign, uint64_t r, int scale) {
    const int lead = 63 - std::countl_zero(r);
    int biased = lead + scale + 127;
    const int shift = lead - 12;  // lead >= 18 for every caller
    uint64_t f = (r >> shift) & 0xFFF;
    if ((r >> (shift - 1)) & 1) ++f;
    if (f == 0x1000) {
        f = 0;
        ++biased;
    }
    if (biased <= 0) return sign;
    if (biased >= 255) return sign | kInf;
    return sign | static_cast<uint32_t>(biased) << 23 | static_cast<uint32_t>(f) << 11;
}

}  // namespace

uint32_t sseRcp(uint32_t a) {
    const uint32_t sign = a & kSign;
    const uint32_t exp = (a & kExpMask) >> 23;
    if (exp == 0xFF) return (a & kFracMask) ? a | kQuietBit : sign;  // NaN / infinity
    if (exp == 0) return sign | kInf;                                // zero or denormal
    const uint64_t m = (a & kFracMask) | 0x800000u;                  // value = m * 2^(exp - 150)
    // 1 / value = (2^62 / m) * 2^(-62 - (exp - 150)).
    return pack12(sign, (1ull << 62) / m, 150 - static_cast<int>(exp) - 62);
}

uint32_t sseRsqrt(uint32_t a) {
    const uint32_t sign = a & kSign;
    const uint32_t exp = (a & kExpMask) >> 23;
    if (exp == 0xFF && (a & kFracMask)) return a | kQuietBit;  // NaN
    if (exp == 0) return sign | kInf;                          // zero or denormal: +-inf
    if (sign) return fp::kF32DefaultNaN;                       // negative (including -inf)
    if (exp == 0xFF) return 0;                                 // +inf -> +0
    uint64_t m = (a & kFracMask) | 0x800000u;
    int e2 = static_cast<int>(exp) - 150;  // value = m * 2^e2
    if (e2 & 1) {
        m <<= 1;
        --e2;
    }
    // 1 / sqrt(m * 2^e2) = sqrt(2^62 / m) * 2^(-31 - e2/2).
    return pack12(0, isqrt64((1ull << 62) / m), -31 - e2 / 2);
}

}  // namespace pvx::cpu
