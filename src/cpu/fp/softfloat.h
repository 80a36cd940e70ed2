// Software IEEE-754 arithmetic with x86 semantics, for the x87 FPU (80-bit extended) and SSE
// (32/64-bit). Nothing here touches the host's floating-point unit: every result is computed in
// integers, so pvx gives bit-identical answers on any host, including those whose `long double`
// is not the x87 format.
//
// x86 specifics this library implements, so instruction handlers do not have to:
//  - exception flags in the x87/MXCSR bit order (IE DE ZE OE UE PE), accumulated in Env::flags;
//  - NaN propagation (SDM Vol.1 4.8.3.5 and Table 4-7): SSE formats (f32/f64) return the first
//    operand's NaN (quieted) when the first is a NaN, otherwise the second's; x87 (f80) returns
//    the NaN with the larger significand when both are NaNs (on a tie the positive one, as the
//    hardware does; the first when the signs agree too), quieted;
//    an invalid operation with no NaN input returns the default "indefinite" QNaN;
//  - DAZ (denormal inputs read as zero, no DE) and FTZ (tiny results flushed to zero when UE is
//    masked, setting UE and PE), SSE only (SDM Vol.1 10.2.3.3/10.2.3.4);
//  - x87 precision control (f80 results rounded to 24, 53 or 64 significand bits, exponent range
//    still extended; SDM Vol.1 8.1.5.2) and C1 "rounded up" reporting;
//  - tininess detected after rounding (x86 behaviour) for UE.
// Unmasked-exception behaviour (trap without writing, x87 exponent bias adjustment) is the
// instruction handler's job: these functions always return the masked response and set flags.
#pragma once
#include <cstdint>

namespace pvx::fp {

// x87 80-bit extended: explicit integer bit in mant bit 63; se = sign << 15 | biased exponent.
struct Float80 {
    uint64_t mant = 0;
    uint16_t se = 0;
    bool sign() const { return se >> 15; }
    unsigned exp() const { return se & 0x7FFF; }
    bool operator==(const Float80&) const = default;
};

// Exception flag bits, as in the x87 status word and MXCSR (SDM Vol.1 8.1.3, 10.2.3).
enum : uint8_t { kIE = 1, kDE = 2, kZE = 4, kOE = 8, kUE = 0x10, kPE = 0x20 };
// Rounding control, x87 FCW.RC / MXCSR.RC encoding.
enum Rounding : uint8_t { kRoundNearest = 0, kRoundDown = 1, kRoundUp = 2, kRoundZero = 3 };
// x87 precision control FCW.PC: 0 single (24 bits), 2 double (53), 3 extended (64); 1 reserved
// (treated as extended).
enum Precision : uint8_t { kPrecSingle = 0, kPrecDouble = 2, kPrecExtended = 3 };

struct Env {
    uint8_t rounding = kRoundNearest;
    uint8_t precision = kPrecExtended;  // f80 arithmetic only
    bool daz = false;                   // f32/f64 only
    bool ftz = false;                   // f32/f64 only; applies when UE is masked
    bool ueMasked = true;               // FTZ needs it (MXCSR.UM)
    uint8_t flags = 0;                  // exceptions raised, accumulated (OR)
    bool roundedUp = false;             // f80 ops: the last result's magnitude was rounded up (x87 C1)
};

// ---- classification ----
bool f32_isNaN(uint32_t a);
bool f32_isSignalingNaN(uint32_t a);
bool f32_isDenormal(uint32_t a);
bool f64_isNaN(uint64_t a);
bool f64_isSignalingNaN(uint64_t a);
bool f64_isDenormal(uint64_t a);
bool f80_isNaN(Float80 a);
bool f80_isSignalingNaN(Float80 a);
bool f80_isDenormal(Float80 a);      // exponent 0, integer bit 0, mantissa != 0
bool f80_isUnsupported(Float80 a);   // pseudo-NaN/infinity, unnormal (exp != 0, integer bit 0)
bool f80_isInf(Float80 a);
bool f80_isZero(Float80 a);

constexpr uint32_t kF32DefaultNaN = 0xFFC00000u;
constexpr uint64_t kF64DefaultNaN = 0xFFF8000000000000ull;
constexpr Float80 kF80DefaultNaN{0xC000000000000000ull, 0xFFFF};

// ---- arithmetic (correctly rounded per env.rounding; f80 also per env.precision) ----
uint32_t f32_add(uint32_t a, uint32_t b, Env& e);
uint32_t f32_sub(uint32_t a, uint32_t b, Env& e);
uint32_t f32_mul(uint32_t a, uint32_t b, Env& e);
uint32_t f32_div(uint32_t a, uint32_t b, Env& e);
uint32_t f32_sqrt(uint32_t a, Env& e);
uint64_t f64_add(uint64_t a, uint64_t b, Env& e);
uint64_t f64_sub(uint64_t a, uint64_t b, Env& e);
uint64_t f64_mul(uint64_t a, uint64_t b, Env& e);
uint64_t f64_div(uint64_t a, uint64_t b, Env& e);
uint64_t f64_sqrt(uint64_t a, Env& e);
Float80 f80_add(Float80 a, Float80 b, Env& e);
Float80 f80_sub(Float80 a, Float80 b, Env& e);
Float80 f80_mul(Float80 a, Float80 b, Env& e);
Float80 f80_div(Float80 a, Float80 b, Env& e);
Float80 f80_sqrt(Float80 a, Env& e);

// ---- comparison ----
enum class Cmp : uint8_t { Less, Equal, Greater, Unordered };
// quiet: QNaN operands do not raise IE (UCOMISS, FUCOM); SNaN always does. Not quiet: any NaN
// raises IE (COMISS, FCOM, CMPPS's ordered-signalling predicates). Denormals raise DE.
Cmp f32_compare(uint32_t a, uint32_t b, bool quiet, Env& e);
Cmp f64_compare(uint64_t a, uint64_t b, bool quiet, Env& e);
Cmp f80_compare(Float80 a, Float80 b, bool quiet, Env& e);

// ---- conversions between formats ----
// Widening is exact (SNaN -> IE and quieted; denormal input -> DE unless DAZ).
uint64_t f32_to_f64(uint32_t a, Env& e);
Float80 f32_to_f80(uint32_t a, Env& e);
Float80 f64_to_f80(uint64_t a, Env& e);
// Narrowing rounds per env.rounding (precision control does not apply: FST rounds to the
// destination format).
uint32_t f64_to_f32(uint64_t a, Env& e);
uint32_t f80_to_f32(Float80 a, Env& e);
uint64_t f80_to_f64(Float80 a, Env& e);

// ---- integers ----
// int -> float, rounded per env.rounding (exact for f80 and for int32 -> f64).
uint32_t i32_to_f32(int32_t v, Env& e);
uint32_t i64_to_f32(int64_t v, Env& e);
uint64_t i32_to_f64(int32_t v, Env& e);
uint64_t i64_to_f64(int64_t v, Env& e);
Float80 i64_to_f80(int64_t v);
// float -> int of `bits` (16, 32 or 64), rounded per env.rounding, or truncated when `truncate`
// (CVTTSS2SI, FISTTP). NaN, infinity or out of range: IE and the "integer indefinite"
// (the most negative value: 0x8000, 0x80000000, 0x8000000000000000).
int64_t f32_to_int(uint32_t a, unsigned bits, bool truncate, Env& e);
int64_t f64_to_int(uint64_t a, unsigned bits, bool truncate, Env& e);
int64_t f80_to_int(Float80 a, unsigned bits, bool truncate, Env& e);

// ---- rounding to an integral value in the same format (ROUNDSS/SD, FRNDINT) ----
// `mode` is a Rounding; `suppressInexact` is ROUNDxx imm8 bit 3 (PE not raised).
uint32_t f32_roundToInt(uint32_t a, uint8_t mode, bool suppressInexact, Env& e);
uint64_t f64_roundToInt(uint64_t a, uint8_t mode, bool suppressInexact, Env& e);
Float80 f80_roundToInt(Float80 a, uint8_t mode, Env& e);

// ---- helpers for instruction layers ----
// Rounds sign * sig * 2^(exp - 127) to f80 at env.precision and env.rounding, where sig is the
// 128-bit integer sigHi:sigLo with bit 127 set (so `exp` is the unbiased exponent of the
// leading bit). Handles overflow, underflow and denormal results. For transcendental and
// remainder code that computes in wider precision.
Float80 f80_roundPack(bool sign, int32_t exp, uint64_t sigHi, uint64_t sigLo, Env& e);
// Normalises a finite nonzero f80 (including denormals) to sign, unbiased exponent and a
// significand with bit 63 set: value = sig * 2^(exp - 63).
void f80_unpack(Float80 a, bool& sign, int32_t& exp, uint64_t& sig);

}  // namespace pvx::fp
