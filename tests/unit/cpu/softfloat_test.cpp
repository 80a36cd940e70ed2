// Software floating point (src/cpu/fp/softfloat.h), differential against this host's SSE and x87
// units: every case runs the same operation on the host (inline asm with MXCSR/FCW set to the
// case's rounding, precision, DAZ/FTZ; flags read back from MXCSR/FSW) and in pvx::fp, and the
// results must agree bit for bit, flags (IE DE ZE OE UE PE) and x87 C1 exactly.
// PVX_FP_SEED / PVX_FP_SCALE (environment) change the random seed and the number of cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "cpu/fp/softfloat.h"

#if !defined(__x86_64__)
#error "softfloat_test compares against the host x86-64 FPU"
#endif

namespace pvx::fp {
namespace {

// ---------------------------------------------------------------------------------------------
// Host reference: SSE
// ---------------------------------------------------------------------------------------------

uint32_t mxcsrFor(uint8_t rc, bool daz, bool ftz) {
    return 0x1F80u | uint32_t(rc) << 13 | (ftz ? 0x8000u : 0) | (daz ? 0x40u : 0);
}

// host(a, b): INSN %xmm1, %xmm0 with xmm0 = a, xmm1 = b; result from xmm0.
#define PVX_SSE_BIN(NAME, T, MOV, INSN)                                                          \
    T NAME(T a, T b, uint32_t mx, unsigned& fl) {                                                \
        T r;                                                                                      \
        uint32_t save, out;                                                                       \
        asm volatile("stmxcsr %[save]\n\t"                                                       \
                     "ldmxcsr %[mx]\n\t" MOV " %[a], %%xmm0\n\t" MOV " %[b], %%xmm1\n\t" INSN    \
                     " %%xmm1, %%xmm0\n\t"                                                       \
                     "stmxcsr %[out]\n\t"                                                        \
                     "ldmxcsr %[save]\n\t" MOV " %%xmm0, %[r]"                                   \
                     : [r] "=r"(r), [save] "=m"(save), [out] "=m"(out)                            \
                     : [a] "r"(a), [b] "r"(b), [mx] "m"(mx)                                      \
                     : "xmm0", "xmm1");                                                          \
        fl = out & 0x3F;                                                                          \
        return r;                                                                                 \
    }

PVX_SSE_BIN(hostAddss, uint32_t, "movd", "addss")
PVX_SSE_BIN(hostSubss, uint32_t, "movd", "subss")
PVX_SSE_BIN(hostMulss, uint32_t, "movd", "mulss")
PVX_SSE_BIN(hostDivss, uint32_t, "movd", "divss")
PVX_SSE_BIN(hostSqrtss, uint32_t, "movd", "sqrtss")  // sqrt(b)
PVX_SSE_BIN(hostAddsd, uint64_t, "movq", "addsd")
PVX_SSE_BIN(hostSubsd, uint64_t, "movq", "subsd")
PVX_SSE_BIN(hostMulsd, uint64_t, "movq", "mulsd")
PVX_SSE_BIN(hostDivsd, uint64_t, "movq", "divsd")
PVX_SSE_BIN(hostSqrtsd, uint64_t, "movq", "sqrtsd")

// Conversions between formats: INSN %xmm1, %xmm0 with xmm1 = source.
#define PVX_SSE_CVT(NAME, TS, MOVS, TD, MOVD, INSN)                                              \
    TD NAME(TS a, uint32_t mx, unsigned& fl) {                                                    \
        TD r;                                                                                     \
        uint32_t save, out;                                                                       \
        asm volatile("stmxcsr %[save]\n\t"                                                       \
                     "ldmxcsr %[mx]\n\t" MOVS " %[a], %%xmm1\n\t" INSN " %%xmm1, %%xmm0\n\t"     \
                     "stmxcsr %[out]\n\t"                                                        \
                     "ldmxcsr %[save]\n\t" MOVD " %%xmm0, %[r]"                                  \
                     : [r] "=r"(r), [save] "=m"(save), [out] "=m"(out)                            \
                     : [a] "r"(a), [mx] "m"(mx)                                                  \
                     : "xmm0", "xmm1");                                                          \
        fl = out & 0x3F;                                                                          \
        return r;                                                                                 \
    }

PVX_SSE_CVT(hostCvtss2sd, uint32_t, "movd", uint64_t, "movq", "cvtss2sd")
PVX_SSE_CVT(hostCvtsd2ss, uint64_t, "movq", uint32_t, "movd", "cvtsd2ss")

// float -> integer: INSN %xmm1, %r.
#define PVX_SSE_TOINT(NAME, TS, MOVS, TD, INSN)                                                  \
    TD NAME(TS a, uint32_t mx, unsigned& fl) {                                                    \
        TD r;                                                                                     \
        uint32_t save, out;                                                                       \
        asm volatile("stmxcsr %[save]\n\t"                                                       \
                     "ldmxcsr %[mx]\n\t" MOVS " %[a], %%xmm1\n\t" INSN " %%xmm1, %[r]\n\t"       \
                     "stmxcsr %[out]\n\t"                                                        \
                     "ldmxcsr %[save]"                                                           \
                     : [r] "=r"(r), [save] "=m"(save), [out] "=m"(out)                            \
                     : [a] "r"(a), [mx] "m"(mx)                                                  \
                     : "xmm1");                                                                  \
        fl = out & 0x3F;                                                                          \
        return r;                                                                                 \
    }

PVX_SSE_TOINT(hostCvtss2si32, uint32_t, "movd", int32_t, "cvtss2si")
PVX_SSE_TOINT(hostCvtss2si64, uint32_t, "movd", int64_t, "cvtss2si")
PVX_SSE_TOINT(hostCvttss2si32, uint32_t, "movd", int32_t, "cvttss2si")
PVX_SSE_TOINT(hostCvttss2si64, uint32_t, "movd", int64_t, "cvttss2si")
PVX_SSE_TOINT(hostCvtsd2si32, uint64_t, "movq", int32_t, "cvtsd2si")
PVX_SSE_TOINT(hostCvtsd2si64, uint64_t, "movq", int64_t, "cvtsd2si")
PVX_SSE_TOINT(hostCvttsd2si32, uint64_t, "movq", int32_t, "cvttsd2si")
PVX_SSE_TOINT(hostCvttsd2si64, uint64_t, "movq", int64_t, "cvttsd2si")

// integer -> float: INSN %r, %xmm0.
#define PVX_SSE_FROMINT(NAME, TS, TD, MOVD, INSN)                                                \
    TD NAME(TS a, uint32_t mx, unsigned& fl) {                                                    \
        TD r;                                                                                     \
        uint32_t save, out;                                                                       \
        asm volatile("stmxcsr %[save]\n\t"                                                       \
                     "ldmxcsr %[mx]\n\t"                                                         \
                     "pxor %%xmm0, %%xmm0\n\t" INSN " %[a], %%xmm0\n\t"                          \
                     "stmxcsr %[out]\n\t"                                                        \
                     "ldmxcsr %[save]\n\t" MOVD " %%xmm0, %[r]"                                  \
                     : [r] "=r"(r), [save] "=m"(save), [out] "=m"(out)                            \
                     : [a] "r"(a), [mx] "m"(mx)                                                  \
                     : "xmm0");                                                                  \
        fl = out & 0x3F;                                                                          \
        return r;                                                                                 \
    }

PVX_SSE_FROMINT(hostCvtsi2ss32, int32_t, uint32_t, "movd", "cvtsi2ssl")
PVX_SSE_FROMINT(hostCvtsi2ss64, int64_t, uint32_t, "movd", "cvtsi2ssq")
PVX_SSE_FROMINT(hostCvtsi2sd32, int32_t, uint64_t, "movq", "cvtsi2sdl")
PVX_SSE_FROMINT(hostCvtsi2sd64, int64_t, uint64_t, "movq", "cvtsi2sdq")

// COMISS/UCOMISS xmm0(a), xmm1(b): ZF PF CF.
#define PVX_SSE_CMP(NAME, T, MOV, INSN)                                                          \
    Cmp NAME(T a, T b, uint32_t mx, unsigned& fl) {                                               \
        uint32_t save, out;                                                                       \
        bool z, p, c;                                                                             \
        asm volatile("stmxcsr %[save]\n\t"                                                       \
                     "ldmxcsr %[mx]\n\t" MOV " %[a], %%xmm0\n\t" MOV " %[b], %%xmm1\n\t" INSN    \
                     " %%xmm1, %%xmm0\n\t"                                                       \
                     "stmxcsr %[out]\n\t"                                                        \
                     "ldmxcsr %[save]"                                                           \
                     : "=@ccz"(z), "=@ccp"(p), "=@ccc"(c), [save] "=m"(save), [out] "=m"(out)     \
                     : [a] "r"(a), [b] "r"(b), [mx] "m"(mx)                                      \
                     : "xmm0", "xmm1");                                                          \
        fl = out & 0x3F;                                                                          \
        if (p) return Cmp::Unordered;                                                             \
        if (z) return Cmp::Equal;                                                                 \
        return c ? Cmp::Less : Cmp::Greater;                                                      \
    }

PVX_SSE_CMP(hostComiss, uint32_t, "movd", "comiss")
PVX_SSE_CMP(hostUcomiss, uint32_t, "movd", "ucomiss")
PVX_SSE_CMP(hostComisd, uint64_t, "movq", "comisd")
PVX_SSE_CMP(hostUcomisd, uint64_t, "movq", "ucomisd")

// ROUNDSS/ROUNDSD imm8 (bit 3 suppresses PE; bits 1:0 the rounding mode, bit 2 clear).
template <int kImm>
uint32_t hostRoundss(uint32_t a, uint32_t mx, unsigned& fl) {
    uint32_t r, save, out;
    asm volatile("stmxcsr %[save]\n\tldmxcsr %[mx]\n\tmovd %[a], %%xmm1\n\t"
                 "roundss %[imm], %%xmm1, %%xmm0\n\tstmxcsr %[out]\n\tldmxcsr %[save]\n\tmovd %%xmm0, %[r]"
                 : [r] "=r"(r), [save] "=m"(save), [out] "=m"(out)
                 : [a] "r"(a), [mx] "m"(mx), [imm] "i"(kImm)
                 : "xmm0", "xmm1");
    fl = out & 0x3F;
    return r;
}
template <int kImm>
uint64_t hostRoundsd(uint64_t a, uint32_t mx, unsigned& fl) {
    uint64_t r;
    uint32_t save, out;
    asm volatile("stmxcsr %[save]\n\tldmxcsr %[mx]\n\tmovq %[a], %%xmm1\n\t"
                 "roundsd %[imm], %%xmm1, %%xmm0\n\tstmxcsr %[out]\n\tldmxcsr %[save]\n\tmovq %%xmm0, %[r]"
                 : [r] "=r"(r), [save] "=m"(save), [out] "=m"(out)
                 : [a] "r"(a), [mx] "m"(mx), [imm] "i"(kImm)
                 : "xmm0", "xmm1");
    fl = out & 0x3F;
    return r;
}

// ---------------------------------------------------------------------------------------------
// Host reference: x87. Float80's layout (mant, then sign/exponent) is the m80 memory format.
// ---------------------------------------------------------------------------------------------
static_assert(offsetof(Float80, mant) == 0 && offsetof(Float80, se) == 8);

uint16_t fcwFor(uint8_t rc, uint8_t pc) { return uint16_t(0x007F | unsigned(pc) << 8 | unsigned(rc) << 10); }

// st0 = a, st1 = b; INSN; status word; result from st0.
#define PVX_X87_BIN(NAME, INSN)                                                                   \
    Float80 NAME(const Float80& a, const Float80& b, uint16_t cw, uint16_t& sw) {                 \
        Float80 r{};                                                                              \
        uint16_t save;                                                                            \
        asm volatile("fnstcw %[save]\n\t"                                                        \
                     "fldcw %[cw]\n\t"                                                           \
                     "fnclex\n\t"                                                                \
                     "fldt %[b]\n\t"                                                             \
                     "fldt %[a]\n\t" INSN "\n\t"                                                 \
                     "fnstsw %[sw]\n\t"                                                          \
                     "fstpt %[r]\n\t"                                                            \
                     "fstp %%st(0)\n\t"                                                          \
                     "fldcw %[save]"                                                             \
                     : [r] "=m"(r), [sw] "=m"(sw), [save] "=m"(save)                              \
                     : [a] "m"(a), [b] "m"(b), [cw] "m"(cw)                                      \
                     : "st", "st(1)");                                                           \
        return r;                                                                                 \
    }

PVX_X87_BIN(hostFadd, "fadd %%st(1), %%st")
PVX_X87_BIN(hostFsub, "fsub %%st(1), %%st")
PVX_X87_BIN(hostFmul, "fmul %%st(1), %%st")
PVX_X87_BIN(hostFdiv, "fdiv %%st(1), %%st")
PVX_X87_BIN(hostFsqrt, "fxch %%st(1)\n\tfsqrt")  // sqrt(b)
PVX_X87_BIN(hostFrndint, "frndint")

// FCOM/FUCOM st0(a), st1(b): C3 C2 C0.
#define PVX_X87_CMP(NAME, INSN)                                                                   \
    Cmp NAME(const Float80& a, const Float80& b, uint16_t cw, uint16_t& sw) {                     \
        uint16_t save;                                                                            \
        asm volatile("fnstcw %[save]\n\t"                                                        \
                     "fldcw %[cw]\n\t"                                                           \
                     "fnclex\n\t"                                                                \
                     "fldt %[b]\n\t"                                                             \
                     "fldt %[a]\n\t" INSN "\n\t"                                                 \
                     "fnstsw %[sw]\n\t"                                                          \
                     "fstp %%st(0)\n\t"                                                          \
                     "fstp %%st(0)\n\t"                                                          \
                     "fldcw %[save]"                                                             \
                     : [sw] "=m"(sw), [save] "=m"(save)                                           \
                     : [a] "m"(a), [b] "m"(b), [cw] "m"(cw)                                      \
                     : "st", "st(1)");                                                           \
        const bool c0 = sw >> 8 & 1, c2 = sw >> 10 & 1, c3 = sw >> 14 & 1;                        \
        if (c0 && c2 && c3) return Cmp::Unordered;                                                \
        if (c3) return Cmp::Equal;                                                                \
        return c0 ? Cmp::Less : Cmp::Greater;                                                     \
    }

PVX_X87_CMP(hostFcom, "fcom %%st(1)")
PVX_X87_CMP(hostFucom, "fucom %%st(1)")

// FST m32/m64 from st0 = a; status word read after the store.
#define PVX_X87_STORE(NAME, T, INSN)                                                              \
    T NAME(const Float80& a, uint16_t cw, uint16_t& sw) {                                         \
        T r;                                                                                      \
        uint16_t save;                                                                            \
        asm volatile("fnstcw %[save]\n\t"                                                        \
                     "fldcw %[cw]\n\t"                                                           \
                     "fnclex\n\t"                                                                \
                     "fldt %[a]\n\t" INSN " %[r]\n\t"                                            \
                     "fnstsw %[sw]\n\t"                                                          \
                     "fldcw %[save]"                                                             \
                     : [r] "=m"(r), [sw] "=m"(sw), [save] "=m"(save)                              \
                     : [a] "m"(a), [cw] "m"(cw)                                                  \
                     : "st");                                                                    \
        return r;                                                                                 \
    }

PVX_X87_STORE(hostFstps, uint32_t, "fstps")
PVX_X87_STORE(hostFstpl, uint64_t, "fstpl")
PVX_X87_STORE(hostFistps, int16_t, "fistps")
PVX_X87_STORE(hostFistpl, int32_t, "fistpl")
PVX_X87_STORE(hostFistpll, int64_t, "fistpll")
PVX_X87_STORE(hostFisttps, int16_t, "fisttps")
PVX_X87_STORE(hostFisttpl, int32_t, "fisttpl")
PVX_X87_STORE(hostFisttpll, int64_t, "fisttpll")

// FLD m32/m64/FILD m64 into st0; status word read after the load.
#define PVX_X87_LOAD(NAME, T, INSN)                                                               \
    Float80 NAME(const T& a, uint16_t cw, uint16_t& sw) {                                         \
        Float80 r{};                                                                              \
        uint16_t save;                                                                            \
        asm volatile("fnstcw %[save]\n\t"                                                        \
                     "fldcw %[cw]\n\t"                                                           \
                     "fnclex\n\t" INSN " %[a]\n\t"                                               \
                     "fnstsw %[sw]\n\t"                                                          \
                     "fstpt %[r]\n\t"                                                            \
                     "fldcw %[save]"                                                             \
                     : [r] "=m"(r), [sw] "=m"(sw), [save] "=m"(save)                              \
                     : [a] "m"(a), [cw] "m"(cw)                                                  \
                     : "st");                                                                    \
        return r;                                                                                 \
    }

PVX_X87_LOAD(hostFlds, uint32_t, "flds")
PVX_X87_LOAD(hostFldl, uint64_t, "fldl")
PVX_X87_LOAD(hostFildll, int64_t, "fildll")

// ---------------------------------------------------------------------------------------------
// Operand generation
// ---------------------------------------------------------------------------------------------

struct Rng {
    std::mt19937_64 g;
    explicit Rng(uint64_t seed) : g(seed) {}
    uint64_t next() { return g(); }
    uint64_t below(uint64_t n) { return next() % n; }
    bool chance(unsigned percent) { return below(100) < percent; }
    int range(int lo, int hi) { return lo + int(below(uint64_t(hi - lo + 1))); }  // inclusive
};

uint64_t seedFromEnv() {
    const char* s = std::getenv("PVX_FP_SEED");
    return s ? std::strtoull(s, nullptr, 0) : 0x5EEDF10A7ull;
}
unsigned scaleFromEnv() {
    const char* s = std::getenv("PVX_FP_SCALE");
    const unsigned v = s ? unsigned(std::strtoul(s, nullptr, 0)) : 1;
    return v ? v : 1;
}

// Fraction patterns that land near rounding boundaries: few significant bits (exact ties and
// exact results), long runs of ones or zeros, extremes.
uint64_t randFraction(Rng& r, int bits) {
    const uint64_t mask = bits == 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
    uint64_t f = r.next();
    switch (r.below(8)) {
    case 0:
    case 1: break;
    case 2: f &= ~uint64_t(0) << r.below(uint64_t(bits)); break;     // low bits clear
    case 3: f |= (uint64_t(1) << r.below(uint64_t(bits))) - 1; break; // low run of ones
    case 4: {                                                         // one run of ones
        const int lo = r.range(0, bits - 1), hi = r.range(lo, bits - 1);
        f = (hi == 63 ? ~uint64_t(0) : (uint64_t(1) << (hi + 1)) - 1) & ~((uint64_t(1) << lo) - 1);
        break;
    }
    case 5: f = r.chance(50) ? 0 : mask; break;
    case 6: f = uint64_t(1) << r.below(uint64_t(bits)); break;
    default: f &= r.next() & r.next(); break;  // sparse
    }
    return f & mask;
}

// Biased exponent: anywhere, around 1.0, the denormal/underflow edge, the overflow edge.
int randExponent(Rng& r, int expMax, int bias, int p) {
    switch (r.below(6)) {
    case 0: return r.range(0, expMax);
    case 1: return r.range(bias - 4, bias + 4);
    case 2: return r.range(0, std::min(p + 2, expMax));
    case 3: return r.range(expMax - 4, expMax);
    case 4: return r.range(1, expMax - 1);
    default: return r.range(bias - p - 4, bias + p + 4);
    }
}

template <class T, int kExpBits, int kFracBits>
struct IeeeGen {
    static constexpr int kExpMax = (1 << kExpBits) - 1, kBias = kExpMax >> 1, kP = kFracBits + 1;
    static T make(bool s, int e, uint64_t f) {
        return T(uint64_t(s) << (kExpBits + kFracBits) | uint64_t(e) << kFracBits | (f & ((uint64_t(1) << kFracBits) - 1)));
    }
    static int expOf(T a) { return int(uint64_t(a) >> kFracBits) & kExpMax; }
    static std::vector<T> specials() {
        const uint64_t fm = (uint64_t(1) << kFracBits) - 1, q = uint64_t(1) << (kFracBits - 1);
        std::vector<T> v;
        for (bool s : {false, true}) {
            v.push_back(make(s, 0, 0));
            v.push_back(make(s, kExpMax, 0));
            v.push_back(make(s, 0, 1));
            v.push_back(make(s, 0, fm));
            v.push_back(make(s, 0, q));
            v.push_back(make(s, 1, 0));
            v.push_back(make(s, 1, fm));
            v.push_back(make(s, kExpMax - 1, fm));
            v.push_back(make(s, kExpMax - 1, 0));
            v.push_back(make(s, kBias, 0));
            v.push_back(make(s, kBias, q));
            v.push_back(make(s, kBias, 1));
            v.push_back(make(s, kBias - 1, fm));
            v.push_back(make(s, kExpMax, q));          // QNaN
            v.push_back(make(s, kExpMax, q | 0x1234)); // QNaN payload
            v.push_back(make(s, kExpMax, 1));          // SNaN
            v.push_back(make(s, kExpMax, fm >> 1));    // SNaN, large payload
        }
        return v;
    }
    // A random operand; `near` (optional) steers the exponent close to another operand's.
    static T random(Rng& r) {
        if (r.chance(8)) {
            static const std::vector<T> sp = specials();
            return sp[r.below(sp.size())];
        }
        if (r.chance(5)) return T(r.next());
        return make(r.chance(50), randExponent(r, kExpMax, kBias, kP), randFraction(r, kFracBits));
    }
    static T withExp(Rng& r, int e) {
        e = std::max(0, std::min(kExpMax - 1, e));
        return make(r.chance(50), e, randFraction(r, kFracBits));
    }
};
using Gen32 = IeeeGen<uint32_t, 8, 23>;
using Gen64 = IeeeGen<uint64_t, 11, 52>;

struct Gen80 {
    static constexpr int kExpMax = 0x7FFF, kBias = 16383, kP = 64;
    static Float80 make(bool s, int e, uint64_t m) { return Float80{m, uint16_t(unsigned(s) << 15 | unsigned(e))}; }
    static int expOf(Float80 a) { return a.exp(); }
    static std::vector<Float80> specials() {
        const uint64_t ib = uint64_t(1) << 63, q = uint64_t(1) << 62, fm = ib - 1;
        std::vector<Float80> v;
        for (bool s : {false, true}) {
            v.push_back(make(s, 0, 0));
            v.push_back(make(s, kExpMax, ib));              // inf
            v.push_back(make(s, 0, 1));                     // min denormal
            v.push_back(make(s, 0, fm));                    // max denormal
            v.push_back(make(s, 0, ib));                    // pseudo-denormal
            v.push_back(make(s, 0, ib | 0x55));             // pseudo-denormal
            v.push_back(make(s, 1, ib));
            v.push_back(make(s, 1, ~uint64_t(0)));
            v.push_back(make(s, kExpMax - 1, ~uint64_t(0)));
            v.push_back(make(s, kExpMax - 1, ib));
            v.push_back(make(s, kBias, ib));
            v.push_back(make(s, kBias, ib | q));
            v.push_back(make(s, kBias, ib | 1));
            v.push_back(make(s, kBias - 1, ~uint64_t(0)));
            v.push_back(make(s, kBias, ~uint64_t(0) << 40));  // 24 ones
            v.push_back(make(s, kBias, ~uint64_t(0) << 11));  // 53 ones
            v.push_back(make(s, kExpMax, ib | q));            // QNaN (indefinite pattern)
            v.push_back(make(s, kExpMax, ib | q | 0x1234));   // QNaN payload
            v.push_back(make(s, kExpMax, ib | 1));            // SNaN
            v.push_back(make(s, kExpMax, ib | (fm >> 1)));    // SNaN large payload
            v.push_back(make(s, kExpMax, 0));                 // pseudo-infinity
            v.push_back(make(s, kExpMax, q | 7));             // pseudo-NaN
            v.push_back(make(s, kBias, q));                   // unnormal
            v.push_back(make(s, 5, 0));                       // unnormal zero
        }
        return v;
    }
    static Float80 random(Rng& r) {
        if (r.chance(8)) {
            static const std::vector<Float80> sp = specials();
            return sp[r.below(sp.size())];
        }
        const bool s = r.chance(50);
        const int e = randExponent(r, kExpMax, kBias, 64);
        uint64_t m = randFraction(r, 64);
        // Canonical encodings mostly: integer bit set iff the exponent is nonzero.
        if (!r.chance(3)) m = e ? m | uint64_t(1) << 63 : m & ~(uint64_t(1) << 63);
        return make(s, e, m);
    }
    static Float80 withExp(Rng& r, int e) {
        e = std::max(0, std::min(kExpMax - 1, e));
        uint64_t m = randFraction(r, 64);
        m = e ? m | uint64_t(1) << 63 : m & ~(uint64_t(1) << 63);
        return make(r.chance(50), e, m);
    }
};

// Square-root operands with exact or nearly exact roots: an integer square (the root of
// (2m+1)^2 / 4 is a half-way case under x87 single precision control), scaled by an even power
// of two, sometimes one unit away. Built with the library's exact integer conversions; the
// reference result still comes from the host.
uint32_t nearSquare(Rng& r, uint32_t) {
    const uint64_t m = r.next() >> (64 - r.range(1, 12));
    Env e;
    uint32_t v = i64_to_f32(int64_t(m * m), e);
    v += uint32_t(r.range(-60, 60) * 2) << 23;
    return v + uint32_t(r.range(-1, 1));
}
uint64_t nearSquare(Rng& r, uint64_t) {
    const uint64_t m = r.next() >> (64 - r.range(1, 26));
    Env e;
    uint64_t v = i64_to_f64(int64_t(m * m), e);
    v += uint64_t(int64_t(r.range(-500, 500) * 2)) << 52;
    return v + uint64_t(int64_t(r.range(-1, 1)));
}
Float80 nearSquare(Rng& r, Float80) {
    const uint64_t m = r.next() >> (64 - r.range(1, 31));
    Float80 v = i64_to_f80(int64_t(m * m));
    if (!v.mant) return v;
    v.se = uint16_t(v.se + r.range(-8000, 8000) * 2);
    v.mant += uint64_t(int64_t(r.range(-1, 1)));
    v.mant |= uint64_t(1) << 63;
    return v;
}

// Operand pairs whose product or quotient lands right at the underflow threshold (just below
// 2^emin, where tininess before and after rounding differ) or at the overflow threshold: one
// significand just below 2, the other just above 1 (or exactly 1), exponents chosen to match.
uint64_t nearTwoOrOne(Rng& r, int width, int storeBits) {
    // A significand of `width` bits (integer bit at storeBits-1): 2 - k ulp, 1 + k ulp or 1.
    const uint64_t k = r.below(4);
    const int shift = storeBits - width;
    uint64_t v;
    switch (r.below(3)) {
    case 0: v = ((uint64_t(1) << (storeBits - 1)) | (((uint64_t(1) << (width - 1)) - 1 - k) << shift)); break;
    case 1: v = (uint64_t(1) << (storeBits - 1)) | (k << shift); break;
    default: v = uint64_t(1) << (storeBits - 1); break;
    }
    if (shift && r.chance(30)) v |= r.next() & ((uint64_t(1) << shift) - 1);  // bits below `width`
    return v;
}
template <class G>
int boundaryExp(Rng& r, int ea, bool div, bool low) {
    const int target = (low ? 0 : G::kExpMax - 1) + r.range(-1, 1);
    return div ? ea - target + G::kBias : target - ea + G::kBias;
}
template <class G, class T>
void boundaryPair(Rng& r, bool div, T& a, T& b) {
    const bool low = r.chance(70);
    const int ea = low ? (div ? r.range(1, G::kBias) : r.range(G::kBias / 2, G::kBias))
                       : (div ? r.range(G::kBias, G::kExpMax - 2) : r.range(G::kBias, G::kExpMax - 2));
    const int eb = boundaryExp<G>(r, ea, div, low);
    if constexpr (std::is_same_v<T, Float80>) {
        static const int widths[] = {24, 53, 64};
        const int w = widths[r.below(3)];
        a = G::make(r.chance(50), ea, nearTwoOrOne(r, w, 64));
        b = G::make(r.chance(50), std::max(1, std::min(G::kExpMax - 1, eb)), nearTwoOrOne(r, w, 64));
    } else {
        a = G::make(r.chance(50), ea, nearTwoOrOne(r, G::kP, G::kP));
        b = G::make(r.chance(50), std::max(1, std::min(G::kExpMax - 1, eb)), nearTwoOrOne(r, G::kP, G::kP));
    }
}

// The second operand of a binary operation: often steered so the result lands near cancellation,
// rounding ties, overflow or underflow.
enum class Shape { Add, Mul, Div, Sqrt, None };
template <class G, class T>
T secondOperand(Rng& r, T a, Shape shape) {
    if (shape == Shape::Sqrt && r.chance(40)) return nearSquare(r, a);
    if (shape == Shape::None || shape == Shape::Sqrt || r.chance(35)) return G::random(r);
    const int ea = G::expOf(a);
    // Target result exponent: near the bottom, near the top, or ordinary.
    int target;
    switch (r.below(4)) {
    case 0: target = r.range(-G::kP - 3, 3); break;
    case 1: target = r.range(G::kExpMax - 4, G::kExpMax + 1); break;
    default: target = r.range(G::kBias - 8, G::kBias + 8); break;
    }
    switch (shape) {
    case Shape::Add: return G::withExp(r, ea + r.range(-G::kP - 3, G::kP + 3));
    case Shape::Mul: return G::withExp(r, target - ea + G::kBias);
    default: return G::withExp(r, ea - target + G::kBias);
    }
}

// ---------------------------------------------------------------------------------------------
// Bookkeeping
// ---------------------------------------------------------------------------------------------

struct Tally {
    std::string name;
    uint64_t cases = 0, fails = 0;
};
std::deque<Tally>& tallies() {  // deque: references stay valid as it grows
    static std::deque<Tally> t;
    return t;
}
Tally& tally(const std::string& name) {
    for (auto& t : tallies())
        if (t.name == name) return t;
    tallies().push_back({name, 0, 0});
    return tallies().back();
}

constexpr int kMaxReports = 6;

std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "%016" PRIx64, v);
    return b;
}
std::string hex(Float80 v) {
    char b[32];
    std::snprintf(b, sizeof b, "%04x:%016" PRIx64, v.se, v.mant);
    return b;
}
std::string flagStr(unsigned f) {
    std::string s;
    const char* n[] = {"IE", "DE", "ZE", "OE", "UE", "PE"};
    for (int i = 0; i < 6; ++i)
        if (f >> i & 1) s += std::string(s.empty() ? "" : "|") + n[i];
    return s.empty() ? "-" : s;
}
const char* cmpStr(Cmp c) {
    switch (c) {
    case Cmp::Less: return "lt";
    case Cmp::Equal: return "eq";
    case Cmp::Greater: return "gt";
    default: return "un";
    }
}

// Records one comparison; prints the first few mismatches of each operation.
template <class R>
bool record(Tally& t, const std::string& what, const R& want, const R& got, unsigned wantFl, unsigned gotFl,
            int wantC1 = -1, int gotC1 = -1) {
    ++t.cases;
    const bool ok = want == got && wantFl == gotFl && wantC1 == gotC1;
    if (!ok && ++t.fails <= kMaxReports && t.name.rfind("selftest", 0) != 0) {
        std::string w, g;
        if constexpr (std::is_same_v<R, Cmp>) {
            w = cmpStr(want);
            g = cmpStr(got);
        } else if constexpr (std::is_same_v<R, Float80>) {
            w = hex(want);
            g = hex(got);
        } else {
            w = hex(uint64_t(want));
            g = hex(uint64_t(got));
        }
        std::printf("MISMATCH %s %s: host %s %s C1=%d, pvx %s %s C1=%d\n", t.name.c_str(), what.c_str(), w.c_str(),
                    flagStr(wantFl).c_str(), wantC1, g.c_str(), flagStr(gotFl).c_str(), gotC1);
    }
    return ok;
}

struct SseCfg {
    uint8_t rc;
    bool daz, ftz;
    uint32_t mxcsr() const { return mxcsrFor(rc, daz, ftz); }
    Env env() const {
        Env e;
        e.rounding = rc;
        e.daz = daz;
        e.ftz = ftz;
        return e;
    }
    std::string str() const {
        return "rc=" + std::to_string(rc) + (daz ? " daz" : "") + (ftz ? " ftz" : "");
    }
};
SseCfg randomSse(Rng& r) { return SseCfg{uint8_t(r.below(4)), r.chance(20), r.chance(20)}; }

struct X87Cfg {
    uint8_t rc, pc;
    bool sseJunk = false;  // DAZ/FTZ set in the Env: x87 operations must ignore them
    uint16_t fcw() const { return fcwFor(rc, pc); }
    Env env() const {
        Env e;
        e.rounding = rc;
        e.precision = pc;
        e.daz = e.ftz = sseJunk;
        e.roundedUp = true;  // must be overwritten
        return e;
    }
    std::string str() const {
        return "rc=" + std::to_string(rc) + " pc=" + std::to_string(pc) + (sseJunk ? " daz+ftz(ignored)" : "");
    }
};
X87Cfg randomX87(Rng& r) {
    // PC = 1 is reserved; the host (and pvx) treat it as extended.
    static const uint8_t pcs[] = {kPrecSingle, kPrecDouble, kPrecExtended, kPrecSingle, kPrecDouble, kPrecExtended, 1};
    return X87Cfg{uint8_t(r.below(4)), pcs[r.below(7)], r.chance(25)};
}

template <class T>
using SseBinHost = T (*)(T, T, uint32_t, unsigned&);
template <class T>
using SseBinMine = T (*)(T, T, Env&);

template <class T>
bool checkSseBin(Tally& t, SseBinHost<T> host, SseBinMine<T> mine, T a, T b, SseCfg c) {
    unsigned hf = 0;
    const T want = host(a, b, c.mxcsr(), hf);
    Env e = c.env();
    const T got = mine(a, b, e);
    return record(t, hex(uint64_t(a)) + " " + hex(uint64_t(b)) + " " + c.str(), want, got, hf, unsigned(e.flags));
}

template <class G, class T>
void runSseBin(const char* name, SseBinHost<T> host, SseBinMine<T> mine, Shape shape, unsigned n) {
    Tally& t = tally(name);
    Rng r(seedFromEnv() ^ std::hash<std::string>{}(name));
    const auto sp = G::specials();
    for (T a : sp)
        for (T b : sp) checkSseBin<T>(t, host, mine, a, b, randomSse(r));
    for (unsigned i = 0; i < n; ++i) {
        T a = G::random(r), b = secondOperand<G>(r, a, shape);
        if ((shape == Shape::Mul || shape == Shape::Div) && r.chance(15)) boundaryPair<G>(r, shape == Shape::Div, a, b);
        checkSseBin<T>(t, host, mine, a, b, randomSse(r));
    }
}

using X87BinHost = Float80 (*)(const Float80&, const Float80&, uint16_t, uint16_t&);
using X87BinMine = Float80 (*)(Float80, Float80, Env&);

bool checkX87Bin(Tally& t, X87BinHost host, X87BinMine mine, Float80 a, Float80 b, X87Cfg c) {
    uint16_t sw = 0;
    const Float80 want = host(a, b, c.fcw(), sw);
    Env e = c.env();
    const Float80 got = mine(a, b, e);
    return record(t, hex(a) + " " + hex(b) + " " + c.str(), want, got, sw & 0x3Fu, unsigned(e.flags), sw >> 9 & 1,
                  int(e.roundedUp));
}

void runX87Bin(const char* name, X87BinHost host, X87BinMine mine, Shape shape, unsigned n) {
    Tally& t = tally(name);
    Rng r(seedFromEnv() ^ std::hash<std::string>{}(name));
    const auto sp = Gen80::specials();
    for (Float80 a : sp)
        for (Float80 b : sp) checkX87Bin(t, host, mine, a, b, randomX87(r));
    for (unsigned i = 0; i < n; ++i) {
        Float80 a = Gen80::random(r), b = secondOperand<Gen80>(r, a, shape);
        if ((shape == Shape::Mul || shape == Shape::Div) && r.chance(15)) boundaryPair<Gen80>(r, shape == Shape::Div, a, b);
        checkX87Bin(t, host, mine, a, b, randomX87(r));
    }
}

constexpr unsigned kBinCases = 40000;
constexpr unsigned kUnaryCases = 20000;

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

class SoftFloat : public ::testing::Test {
  protected:
    static void TearDownTestSuite() {
        uint64_t cases = 0, fails = 0;
        std::printf("%-28s %10s %8s\n", "operation", "cases", "failed");
        for (const auto& t : tallies()) {
            std::printf("%-28s %10" PRIu64 " %8" PRIu64 "\n", t.name.c_str(), t.cases, t.fails);
            cases += t.cases;
            fails += t.fails;
        }
        std::printf("%-28s %10" PRIu64 " %8" PRIu64 "\n", "total", cases, fails);
    }
    static unsigned n(unsigned base) { return base * scaleFromEnv(); }
    static uint64_t failsOf(const char* name) { return tally(name).fails; }
};

uint32_t f32_sqrt2(uint32_t, uint32_t b, Env& e) { return f32_sqrt(b, e); }
uint64_t f64_sqrt2(uint64_t, uint64_t b, Env& e) { return f64_sqrt(b, e); }
Float80 f80_sqrt2(Float80, Float80 b, Env& e) { return f80_sqrt(b, e); }
Float80 f80_rndint2(Float80 a, Float80, Env& e) { return f80_roundToInt(a, e.rounding, e); }

TEST_F(SoftFloat, SseF32Arithmetic) {
    runSseBin<Gen32, uint32_t>("f32_add", hostAddss, f32_add, Shape::Add, n(kBinCases));
    runSseBin<Gen32, uint32_t>("f32_sub", hostSubss, f32_sub, Shape::Add, n(kBinCases));
    runSseBin<Gen32, uint32_t>("f32_mul", hostMulss, f32_mul, Shape::Mul, n(kBinCases));
    runSseBin<Gen32, uint32_t>("f32_div", hostDivss, f32_div, Shape::Div, n(kBinCases));
    runSseBin<Gen32, uint32_t>("f32_sqrt", hostSqrtss, f32_sqrt2, Shape::Sqrt, n(kUnaryCases));
    for (const char* op : {"f32_add", "f32_sub", "f32_mul", "f32_div", "f32_sqrt"}) EXPECT_EQ(failsOf(op), 0u) << op;
}

TEST_F(SoftFloat, SseF64Arithmetic) {
    runSseBin<Gen64, uint64_t>("f64_add", hostAddsd, f64_add, Shape::Add, n(kBinCases));
    runSseBin<Gen64, uint64_t>("f64_sub", hostSubsd, f64_sub, Shape::Add, n(kBinCases));
    runSseBin<Gen64, uint64_t>("f64_mul", hostMulsd, f64_mul, Shape::Mul, n(kBinCases));
    runSseBin<Gen64, uint64_t>("f64_div", hostDivsd, f64_div, Shape::Div, n(kBinCases));
    runSseBin<Gen64, uint64_t>("f64_sqrt", hostSqrtsd, f64_sqrt2, Shape::Sqrt, n(kUnaryCases));
    for (const char* op : {"f64_add", "f64_sub", "f64_mul", "f64_div", "f64_sqrt"}) EXPECT_EQ(failsOf(op), 0u) << op;
}

TEST_F(SoftFloat, X87Arithmetic) {
    runX87Bin("f80_add", hostFadd, f80_add, Shape::Add, n(kBinCases));
    runX87Bin("f80_sub", hostFsub, f80_sub, Shape::Add, n(kBinCases));
    runX87Bin("f80_mul", hostFmul, f80_mul, Shape::Mul, n(kBinCases));
    runX87Bin("f80_div", hostFdiv, f80_div, Shape::Div, n(kBinCases));
    runX87Bin("f80_sqrt", hostFsqrt, f80_sqrt2, Shape::Sqrt, n(kUnaryCases));
    runX87Bin("f80_roundToInt", hostFrndint, f80_rndint2, Shape::None, n(kUnaryCases));
    for (const char* op : {"f80_add", "f80_sub", "f80_mul", "f80_div", "f80_sqrt", "f80_roundToInt"})
        EXPECT_EQ(failsOf(op), 0u) << op;
}

TEST_F(SoftFloat, SseCompare) {
    Tally& t32 = tally("f32_compare");
    Tally& t64 = tally("f64_compare");
    Rng r(seedFromEnv() ^ 0xC0);
    auto one32 = [&](uint32_t a, uint32_t b, SseCfg c) {
        for (bool quiet : {false, true}) {
            unsigned hf = 0;
            const Cmp want = (quiet ? hostUcomiss : hostComiss)(a, b, c.mxcsr(), hf);
            Env e = c.env();
            const Cmp got = f32_compare(a, b, quiet, e);
            record(t32, hex(a) + " " + hex(b) + " " + c.str() + (quiet ? " quiet" : ""), want, got, hf, unsigned(e.flags));
        }
    };
    auto one64 = [&](uint64_t a, uint64_t b, SseCfg c) {
        for (bool quiet : {false, true}) {
            unsigned hf = 0;
            const Cmp want = (quiet ? hostUcomisd : hostComisd)(a, b, c.mxcsr(), hf);
            Env e = c.env();
            const Cmp got = f64_compare(a, b, quiet, e);
            record(t64, hex(a) + " " + hex(b) + " " + c.str() + (quiet ? " quiet" : ""), want, got, hf, unsigned(e.flags));
        }
    };
    for (uint32_t a : Gen32::specials())
        for (uint32_t b : Gen32::specials()) one32(a, b, randomSse(r));
    for (uint64_t a : Gen64::specials())
        for (uint64_t b : Gen64::specials()) one64(a, b, randomSse(r));
    for (unsigned i = 0; i < n(kUnaryCases); ++i) {
        const uint32_t a = Gen32::random(r);
        one32(a, r.chance(30) ? a ^ uint32_t(r.below(2)) : secondOperand<Gen32>(r, a, Shape::Add), randomSse(r));
        const uint64_t c = Gen64::random(r);
        one64(c, r.chance(30) ? c ^ r.below(2) : secondOperand<Gen64>(r, c, Shape::Add), randomSse(r));
    }
    EXPECT_EQ(t32.fails, 0u);
    EXPECT_EQ(t64.fails, 0u);
}

TEST_F(SoftFloat, X87Compare) {
    Tally& t = tally("f80_compare");
    Rng r(seedFromEnv() ^ 0xC1);
    auto one = [&](Float80 a, Float80 b, X87Cfg c) {
        for (bool quiet : {false, true}) {
            uint16_t sw = 0;
            const Cmp want = (quiet ? hostFucom : hostFcom)(a, b, c.fcw(), sw);
            Env e = c.env();
            const Cmp got = f80_compare(a, b, quiet, e);
            record(t, hex(a) + " " + hex(b) + " " + c.str() + (quiet ? " quiet" : ""), want, got, sw & 0x3Fu,
                   unsigned(e.flags));
        }
    };
    for (Float80 a : Gen80::specials())
        for (Float80 b : Gen80::specials()) one(a, b, randomX87(r));
    for (unsigned i = 0; i < n(kUnaryCases); ++i) {
        const Float80 a = Gen80::random(r);
        Float80 b = secondOperand<Gen80>(r, a, Shape::Add);
        if (r.chance(30)) b = Float80{a.mant ^ r.below(2), a.se};
        one(a, b, randomX87(r));
    }
    EXPECT_EQ(t.fails, 0u);
}

TEST_F(SoftFloat, SseFormatConversions) {
    Tally& up = tally("f32_to_f64");
    Tally& down = tally("f64_to_f32");
    Rng r(seedFromEnv() ^ 0xCF);
    auto one = [&](uint32_t a, uint64_t b, SseCfg c) {
        unsigned hf = 0;
        Env e = c.env();
        const uint64_t w1 = hostCvtss2sd(a, c.mxcsr(), hf);
        const uint64_t g1 = f32_to_f64(a, e);
        record(up, hex(a) + " " + c.str(), w1, g1, hf, unsigned(e.flags));
        e = c.env();
        const uint32_t w2 = hostCvtsd2ss(b, c.mxcsr(), hf);
        const uint32_t g2 = f64_to_f32(b, e);
        record(down, hex(b) + " " + c.str(), w2, g2, hf, unsigned(e.flags));
    };
    for (uint32_t a : Gen32::specials())
        for (int k = 0; k < 16; ++k) one(a, Gen64::specials()[k % Gen64::specials().size()], SseCfg{uint8_t(k & 3), bool(k & 4), bool(k & 8)});
    for (unsigned i = 0; i < n(kUnaryCases) * 2; ++i) {
        // Doubles around the f32 range: exponents near f32's denormal and overflow edges.
        uint64_t b = Gen64::random(r);
        if (r.chance(60)) b = Gen64::withExp(r, 1023 + r.range(-160, 132));
        one(Gen32::random(r), b, randomSse(r));
    }
    EXPECT_EQ(up.fails, 0u);
    EXPECT_EQ(down.fails, 0u);
}

TEST_F(SoftFloat, X87FormatConversions) {
    Tally& l32 = tally("f32_to_f80");
    Tally& l64 = tally("f64_to_f80");
    Tally& s32 = tally("f80_to_f32");
    Tally& s64 = tally("f80_to_f64");
    Rng r(seedFromEnv() ^ 0xCE);
    auto one = [&](uint32_t a, uint64_t b, Float80 c, X87Cfg cfg) {
        uint16_t sw = 0;
        Env e = cfg.env();
        Float80 w = hostFlds(a, cfg.fcw(), sw);
        Float80 g = f32_to_f80(a, e);
        record(l32, hex(a), w, g, sw & 0x3Fu, unsigned(e.flags), sw >> 9 & 1, int(e.roundedUp));
        e = cfg.env();
        w = hostFldl(b, cfg.fcw(), sw);
        g = f64_to_f80(b, e);
        record(l64, hex(b), w, g, sw & 0x3Fu, unsigned(e.flags), sw >> 9 & 1, int(e.roundedUp));
        e = cfg.env();
        const uint32_t w32 = hostFstps(c, cfg.fcw(), sw);
        const uint32_t g32 = f80_to_f32(c, e);
        record(s32, hex(c) + " " + cfg.str(), w32, g32, sw & 0x3Fu, unsigned(e.flags), sw >> 9 & 1, int(e.roundedUp));
        e = cfg.env();
        const uint64_t w64 = hostFstpl(c, cfg.fcw(), sw);
        const uint64_t g64 = f80_to_f64(c, e);
        record(s64, hex(c) + " " + cfg.str(), w64, g64, sw & 0x3Fu, unsigned(e.flags), sw >> 9 & 1, int(e.roundedUp));
    };
    for (Float80 c : Gen80::specials()) one(Gen32::random(r), Gen64::random(r), c, randomX87(r));
    for (unsigned i = 0; i < n(kUnaryCases) * 2; ++i) {
        Float80 c = Gen80::random(r);
        switch (r.below(3)) {  // around the f32 and f64 ranges
        case 0: c = Gen80::withExp(r, 16383 + r.range(-160, 132)); break;
        case 1: c = Gen80::withExp(r, 16383 + r.range(-1090, 1030)); break;
        default: break;
        }
        one(Gen32::random(r), Gen64::random(r), c, randomX87(r));
    }
    for (const char* op : {"f32_to_f80", "f64_to_f80", "f80_to_f32", "f80_to_f64"}) EXPECT_EQ(failsOf(op), 0u) << op;
}

int64_t randomInt(Rng& r) {
    switch (r.below(4)) {
    case 0: return int64_t(r.next());
    case 1: return int64_t(r.next()) >> r.below(64);
    case 2: return int64_t(randFraction(r, 64));
    default: return int64_t(r.next() & (r.next() | ~(uint64_t(1) << r.below(64)))) >> r.below(8);
    }
}

TEST_F(SoftFloat, IntToFloat) {
    Tally& a = tally("i32_to_f32");
    Tally& b = tally("i64_to_f32");
    Tally& c = tally("i32_to_f64");
    Tally& d = tally("i64_to_f64");
    Tally& x = tally("i64_to_f80");
    Rng r(seedFromEnv() ^ 0x17);
    for (unsigned i = 0; i < n(kUnaryCases); ++i) {
        static const int64_t fixed[] = {0, -1, INT64_MIN, INT64_MAX};
        const int64_t v = i < 4 ? fixed[i] : randomInt(r);
        const int32_t v32 = int32_t(i & 1 ? v : v >> 32);
        const SseCfg cfg = randomSse(r);
        auto sse = [&](Tally& t, const std::string& tag, auto host, auto mine, auto v) {
            unsigned hf = 0;
            Env e = cfg.env();
            const auto want = host(v, cfg.mxcsr(), hf);
            const auto got = mine(v, e);
            record(t, tag + " " + cfg.str(), want, got, hf, unsigned(e.flags));
        };
        sse(a, std::to_string(v32), hostCvtsi2ss32, i32_to_f32, v32);
        sse(b, std::to_string(v), hostCvtsi2ss64, i64_to_f32, v);
        sse(c, std::to_string(v32), hostCvtsi2sd32, i32_to_f64, v32);
        sse(d, std::to_string(v), hostCvtsi2sd64, i64_to_f64, v);
        uint16_t sw = 0;
        const Float80 want80 = hostFildll(v, fcwFor(0, 3), sw);
        record(x, std::to_string(v), want80, i64_to_f80(v), sw & 0x3Fu, 0u);
    }
    for (const char* op : {"i32_to_f32", "i64_to_f32", "i32_to_f64", "i64_to_f64", "i64_to_f80"})
        EXPECT_EQ(failsOf(op), 0u) << op;
}

// Operands near the integer ranges: exponents up to 2^64 and small fractions.
template <class G>
auto intRangeOperand(Rng& r) {
    if (r.chance(25)) return G::random(r);
    return G::withExp(r, G::kBias + r.range(-3, 66));
}

TEST_F(SoftFloat, FloatToInt) {
    Rng r(seedFromEnv() ^ 0xF1);
    Tally& t32 = tally("f32_to_int");
    Tally& t64 = tally("f64_to_int");
    Tally& t80 = tally("f80_to_int");
    for (unsigned i = 0; i < n(kUnaryCases); ++i) {
        const SseCfg c = randomSse(r);
        const uint32_t a = intRangeOperand<Gen32>(r);
        const uint64_t b = intRangeOperand<Gen64>(r);
        for (bool trunc : {false, true}) {
            for (unsigned bits : {32u, 64u}) {
                unsigned hf = 0;
                Env e = c.env();
                const std::string tag = " bits=" + std::to_string(bits) + (trunc ? " trunc " : " ") + c.str();
                int64_t want = bits == 32 ? (trunc ? hostCvttss2si32 : hostCvtss2si32)(a, c.mxcsr(), hf)
                                          : (trunc ? hostCvttss2si64 : hostCvtss2si64)(a, c.mxcsr(), hf);
                int64_t got = f32_to_int(a, bits, trunc, e);
                record(t32, hex(a) + tag, want, got, hf, unsigned(e.flags));
                e = c.env();
                want = bits == 32 ? (trunc ? hostCvttsd2si32 : hostCvtsd2si32)(b, c.mxcsr(), hf)
                                  : (trunc ? hostCvttsd2si64 : hostCvtsd2si64)(b, c.mxcsr(), hf);
                got = f64_to_int(b, bits, trunc, e);
                record(t64, hex(b) + tag, want, got, hf, unsigned(e.flags));
            }
        }
        const X87Cfg x = randomX87(r);
        const Float80 f = intRangeOperand<Gen80>(r);
        for (bool trunc : {false, true}) {
            for (unsigned bits : {16u, 32u, 64u}) {
                uint16_t sw = 0;
                int64_t want;
                if (bits == 16) want = (trunc ? hostFisttps : hostFistps)(f, x.fcw(), sw);
                else if (bits == 32) want = (trunc ? hostFisttpl : hostFistpl)(f, x.fcw(), sw);
                else want = (trunc ? hostFisttpll : hostFistpll)(f, x.fcw(), sw);
                Env e = x.env();
                const int64_t got = f80_to_int(f, bits, trunc, e);
                record(t80, hex(f) + " bits=" + std::to_string(bits) + (trunc ? " trunc " : " ") + x.str(), want, got,
                       sw & 0x3Fu, unsigned(e.flags), sw >> 9 & 1, int(e.roundedUp));
            }
        }
    }
    EXPECT_EQ(t32.fails, 0u);
    EXPECT_EQ(t64.fails, 0u);
    EXPECT_EQ(t80.fails, 0u);
}

TEST_F(SoftFloat, SseRoundToInt) {
    Rng r(seedFromEnv() ^ 0x2D);
    Tally& t32 = tally("f32_roundToInt");
    Tally& t64 = tally("f64_roundToInt");
    using H32 = uint32_t (*)(uint32_t, uint32_t, unsigned&);
    using H64 = uint64_t (*)(uint64_t, uint32_t, unsigned&);
    static const H32 h32[8] = {hostRoundss<0>, hostRoundss<1>, hostRoundss<2>, hostRoundss<3>,
                               hostRoundss<8>, hostRoundss<9>, hostRoundss<10>, hostRoundss<11>};
    static const H64 h64[8] = {hostRoundsd<0>, hostRoundsd<1>, hostRoundsd<2>, hostRoundsd<3>,
                               hostRoundsd<8>, hostRoundsd<9>, hostRoundsd<10>, hostRoundsd<11>};
    for (unsigned i = 0; i < n(kUnaryCases); ++i) {
        const SseCfg c = randomSse(r);
        const unsigned k = unsigned(r.below(8));
        const uint8_t mode = uint8_t(k & 3);
        const bool sup = k >> 2;
        const uint32_t a = intRangeOperand<Gen32>(r);
        const uint64_t b = intRangeOperand<Gen64>(r);
        const std::string tag = " imm=" + std::to_string(mode | (sup ? 8 : 0)) + " " + c.str();
        unsigned hf = 0;
        Env e = c.env();
        uint32_t w = h32[k](a, c.mxcsr(), hf);
        const uint32_t g = f32_roundToInt(a, mode, sup, e);
        record(t32, hex(a) + tag, w, g, hf, unsigned(e.flags));
        e = c.env();
        uint64_t w64 = h64[k](b, c.mxcsr(), hf);
        const uint64_t g64 = f64_roundToInt(b, mode, sup, e);
        record(t64, hex(b) + tag, w64, g64, hf, unsigned(e.flags));
    }
    EXPECT_EQ(t32.fails, 0u);
    EXPECT_EQ(t64.fails, 0u);
}

// f80_roundPack against the host's FMUL: the exact 128-bit product of two significands, rounded
// by f80_roundPack, must equal the host's product; f80_unpack + f80_roundPack is the identity on
// canonical finite values.
TEST_F(SoftFloat, RoundPackAndUnpack) {
    Tally& t = tally("f80_roundPack");
    Tally& u = tally("f80_unpack");
    Rng r(seedFromEnv() ^ 0x9A);
    for (unsigned i = 0; i < n(kUnaryCases); ++i) {
        const Float80 a = Gen80::withExp(r, Gen80::random(r).exp());
        const Float80 b = secondOperand<Gen80>(r, a, Shape::Mul);
        auto finite = [](Float80 v) { return !f80_isZero(v) && !f80_isUnsupported(v) && v.exp() != 0x7FFF; };
        if (!finite(a) || !finite(b)) continue;
        bool sa, sb;
        int32_t ea, eb;
        uint64_t ma, mb;
        f80_unpack(a, sa, ea, ma);
        f80_unpack(b, sb, eb, mb);
        unsigned __int128 p = (unsigned __int128)ma * mb;
        int32_t ep = ea + eb + 1;
        if (!(p >> 127)) {
            p <<= 1;
            --ep;
        }
        const X87Cfg c = randomX87(r);
        uint16_t sw = 0;
        const Float80 want = hostFmul(a, b, c.fcw(), sw);
        Env e = c.env();
        const Float80 got = f80_roundPack(sa != sb, ep, uint64_t(p >> 64), uint64_t(p), e);
        // f80_roundPack raises no DE: compare without it.
        record(t, hex(a) + " " + hex(b) + " " + c.str(), want, got, sw & 0x3Du, unsigned(e.flags), sw >> 9 & 1,
               int(e.roundedUp));
        Env e2;
        const Float80 back = f80_roundPack(sa, ea, ma, 0, e2);
        const Float80 canon = a.exp() == 0 && (a.mant >> 63) ? Float80{a.mant, uint16_t(a.se | 1)} : a;
        record(u, hex(a), canon, back, 0u, unsigned(e2.flags));
    }
    EXPECT_EQ(t.fails, 0u);
    EXPECT_EQ(u.fails, 0u);
}

TEST_F(SoftFloat, Classification) {
    EXPECT_TRUE(f32_isNaN(0x7FC00000u));
    EXPECT_TRUE(f32_isSignalingNaN(0x7F800001u));
    EXPECT_FALSE(f32_isSignalingNaN(0x7FC00000u));
    EXPECT_FALSE(f32_isNaN(0x7F800000u));
    EXPECT_TRUE(f32_isDenormal(0x00000001u));
    EXPECT_FALSE(f32_isDenormal(0x80000000u));
    EXPECT_TRUE(f64_isNaN(kF64DefaultNaN));
    EXPECT_TRUE(f64_isSignalingNaN(0x7FF0000000000001ull));
    EXPECT_TRUE(f64_isDenormal(0x800FFFFFFFFFFFFFull));
    EXPECT_TRUE(f80_isNaN(kF80DefaultNaN));
    EXPECT_TRUE(f80_isSignalingNaN(Float80{0x8000000000000001ull, 0x7FFF}));
    EXPECT_FALSE(f80_isNaN(Float80{0x4000000000000000ull, 0x7FFF}));  // pseudo-NaN
    EXPECT_TRUE(f80_isUnsupported(Float80{0x4000000000000000ull, 0x7FFF}));
    EXPECT_TRUE(f80_isUnsupported(Float80{0, 0x7FFF}));  // pseudo-infinity
    EXPECT_TRUE(f80_isUnsupported(Float80{0x4000000000000000ull, 0x3FFF}));  // unnormal
    EXPECT_FALSE(f80_isUnsupported(Float80{0x8000000000000000ull, 0}));     // pseudo-denormal
    EXPECT_FALSE(f80_isDenormal(Float80{0x8000000000000000ull, 0}));
    EXPECT_TRUE(f80_isDenormal(Float80{1, 0x8000}));
    EXPECT_TRUE(f80_isInf(Float80{0x8000000000000000ull, 0xFFFF}));
    EXPECT_TRUE(f80_isZero(Float80{0, 0x8000}));
    EXPECT_FALSE(f80_isZero(Float80{0, 0x0001}));
}

// Behaviour the host cannot show without trapping or without an instruction for it.
TEST_F(SoftFloat, UnmaskedUnderflowAndNarrowIntegers) {
    // min normal * 0.5 is an exact denormal: masked, no UE; unmasked, UE (tininess alone,
    // SDM Vol.1 4.9.1.5) and FTZ does not apply (it needs UM set).
    Env e;
    EXPECT_EQ(f32_mul(0x00800000u, 0x3F000000u, e), 0x00400000u);
    EXPECT_EQ(e.flags, 0);
    e = Env{};
    e.ueMasked = false;
    e.ftz = true;
    EXPECT_EQ(f32_mul(0x00800000u, 0x3F000000u, e), 0x00400000u);
    EXPECT_EQ(e.flags, kUE);
    e = Env{};
    e.ftz = true;
    EXPECT_EQ(f32_mul(0x00800000u, 0x3F000000u, e), 0u);
    EXPECT_EQ(e.flags, kUE | kPE);
    // 16-bit conversions (no SSE form): range and indefinite.
    e = Env{};
    EXPECT_EQ(f32_to_int(0x46FFFE00u, 16, false, e), 32767);  // 32767.0
    EXPECT_EQ(e.flags, 0);
    EXPECT_EQ(f32_to_int(0x47000000u, 16, false, e), -32768);  // 32768.0: out of range
    EXPECT_EQ(e.flags, kIE);
    e = Env{};
    EXPECT_EQ(f64_to_int(0xC0E0000000000000ull, 16, false, e), -32768);  // -32768.0 fits
    EXPECT_EQ(e.flags, 0);
    EXPECT_EQ(f64_to_int(0xC0E0000200000000ull, 16, true, e), -32768);  // -32768.0625 truncates
    EXPECT_EQ(e.flags, kPE);
    // f80_roundPack with exponents far outside the format.
    e = Env{};
    EXPECT_EQ(f80_roundPack(false, -1000000, 1ull << 63, 0, e), Float80{});
    EXPECT_EQ(e.flags, kUE | kPE);
    e = Env{};
    EXPECT_EQ(f80_roundPack(true, 1000000, 1ull << 63, 0, e), (Float80{1ull << 63, 0xFFFF}));
    EXPECT_EQ(e.flags, kOE | kPE);
    EXPECT_TRUE(e.roundedUp);
}

// The harness must be able to fail: a result off by one ulp, a missing flag and a wrong C1 are
// each caught.
uint32_t wrongAdd(uint32_t a, uint32_t b, Env& e) {
    const uint32_t r = f32_add(a, b, e);
    return (r & 0x7F800000u) == 0x3F800000u ? r ^ 1 : r;  // corrupt results in [1, 2)
}
uint64_t wrongMulFlags(uint64_t a, uint64_t b, Env& e) {
    const uint64_t r = f64_mul(a, b, e);
    e.flags &= uint8_t(~kPE);
    return r;
}
Float80 wrongC1(Float80 a, Float80 b, Env& e) {
    const Float80 r = f80_div(a, b, e);
    e.roundedUp = !e.roundedUp;
    return r;
}

TEST_F(SoftFloat, HarnessCatchesMistakes) {
    Tally t1{"selftest_add"}, t2{"selftest_mul"}, t3{"selftest_c1"};
    Rng r(1);
    for (int i = 0; i < 2000; ++i) {
        const uint32_t a = Gen32::make(false, 127, r.next()), b = Gen32::make(false, 120, r.next());
        checkSseBin<uint32_t>(t1, hostAddss, wrongAdd, a, b, SseCfg{0, false, false});
        const uint64_t c = Gen64::make(false, 1023, r.next()), d = Gen64::make(false, 1023, r.next());
        checkSseBin<uint64_t>(t2, hostMulsd, wrongMulFlags, c, d, SseCfg{0, false, false});
        const Float80 x = Gen80::withExp(r, 16383), y = Gen80::withExp(r, 16380);
        checkX87Bin(t3, hostFdiv, wrongC1, x, y, X87Cfg{0, 3});
    }
    EXPECT_GT(t1.fails, 1000u);
    EXPECT_GT(t2.fails, 1000u);
    EXPECT_EQ(t3.fails, 2000u);
}

}  // namespace
}  // namespace pvx::fp
