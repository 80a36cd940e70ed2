// Building blocks of the SSE floating-point handlers: per-format softfloat dispatch (resolved at
// compile time, so a packed loop has no indirect calls), lane access to an XMM register, and the
// MMX-register side of the SSE conversions that take or produce MMX operands.
//
// Row convention (opcodes_sse_fp.def): most rows use FORM B only to get the register/memory form
// as a compile-time parameter, so handlers are `template <typename, bool M, ...>` and ignore the
// first (byte) type. Rows whose GPR operand size matters (CVTSI2SS, CVTSS2SI) use FORM V.
#pragma once
#include <cstring>
#include <type_traits>

#include "cpu/insn/simd_common.h"
#include "cpu/insn/x87_common.h"

namespace pvx::cpu {

// ---- per-format operations (T = uint32_t: single precision, uint64_t: double precision) ----
template <typename T> struct Fmt;
template <> struct Fmt<uint32_t> {
    static constexpr unsigned kLanes = 4;
    static constexpr uint32_t kSign = 0x80000000u;
    static constexpr uint32_t kIndefinite = fp::kF32DefaultNaN;
    static uint32_t add(uint32_t a, uint32_t b, fp::Env& e) { return fp::f32_add(a, b, e); }
    static uint32_t sub(uint32_t a, uint32_t b, fp::Env& e) { return fp::f32_sub(a, b, e); }
    static uint32_t mul(uint32_t a, uint32_t b, fp::Env& e) { return fp::f32_mul(a, b, e); }
    static uint32_t div(uint32_t a, uint32_t b, fp::Env& e) { return fp::f32_div(a, b, e); }
    static uint32_t sqrt(uint32_t a, fp::Env& e) { return fp::f32_sqrt(a, e); }
    static fp::Cmp cmp(uint32_t a, uint32_t b, bool quiet, fp::Env& e) { return fp::f32_compare(a, b, quiet, e); }
    static bool isDenormal(uint32_t a) { return fp::f32_isDenormal(a); }
    static uint32_t roundInt(uint32_t a, uint8_t mode, bool noPe, fp::Env& e) {
        return fp::f32_roundToInt(a, mode, noPe, e);
    }
    static int64_t toInt(uint32_t a, unsigned bits, bool trunc, fp::Env& e) { return fp::f32_to_int(a, bits, trunc, e); }
    static uint32_t fromI32(int32_t v, fp::Env& e) { return fp::i32_to_f32(v, e); }
    static uint32_t fromI64(int64_t v, fp::Env& e) { return fp::i64_to_f32(v, e); }
};
template <> struct Fmt<uint64_t> {
    static constexpr unsigned kLanes = 2;
    static constexpr uint64_t kSign = 0x8000000000000000ull;
    static constexpr uint64_t kIndefinite = fp::kF64DefaultNaN;
    static uint64_t add(uint64_t a, uint64_t b, fp::Env& e) { return fp::f64_add(a, b, e); }
    static uint64_t sub(uint64_t a, uint64_t b, fp::Env& e) { return fp::f64_sub(a, b, e); }
    static uint64_t mul(uint64_t a, uint64_t b, fp::Env& e) { return fp::f64_mul(a, b, e); }
    static uint64_t div(uint64_t a, uint64_t b, fp::Env& e) { return fp::f64_div(a, b, e); }
    static uint64_t sqrt(uint64_t a, fp::Env& e) { return fp::f64_sqrt(a, e); }
    static fp::Cmp cmp(uint64_t a, uint64_t b, bool quiet, fp::Env& e) { return fp::f64_compare(a, b, quiet, e); }
    static bool isDenormal(uint64_t a) { return fp::f64_isDenormal(a); }
    static uint64_t roundInt(uint64_t a, uint8_t mode, bool noPe, fp::Env& e) {
        return fp::f64_roundToInt(a, mode, noPe, e);
    }
    static int64_t toInt(uint64_t a, unsigned bits, bool trunc, fp::Env& e) { return fp::f64_to_int(a, bits, trunc, e); }
    static uint64_t fromI32(int32_t v, fp::Env& e) { return fp::i32_to_f64(v, e); }
    static uint64_t fromI64(int64_t v, fp::Env& e) { return fp::i64_to_f64(v, e); }
};

// Lane k of an XMM value viewed as T.
template <typename T> inline T& lane(Xmm& x, unsigned k) {
    if constexpr (sizeof(T) == 4) return x.d[k];
    else return x.q[k];
}
template <typename T> inline T lane(const Xmm& x, unsigned k) {
    if constexpr (sizeof(T) == 4) return x.d[k];
    else return x.q[k];
}

// The binary operations with one softfloat call each (MIN/MAX are compare + select).
enum class FpOp : uint8_t { Add, Sub, Mul, Div, Min, Max };

// MINxx/MAXxx (SDM Vol.2 MINPS/MAXPS): DEST < SRC ? DEST : SRC (MAX: >). If either operand is a
// NaN (SNaN or QNaN: IE) or both are zeros of any sign, the SECOND operand is returned as is.
// Denormals raise DE; with DAZ they compare and are returned as zeros of their sign.
template <typename T, bool IsMax> inline T fpMinMax(T a, T b, fp::Env& e) {
    const fp::Cmp r = Fmt<T>::cmp(a, b, false, e);
    const bool takeA = IsMax ? r == fp::Cmp::Greater : r == fp::Cmp::Less;
    T v = takeA ? a : b;
    if (e.daz && Fmt<T>::isDenormal(v)) v &= Fmt<T>::kSign;
    return v;
}

template <FpOp Op, typename T> inline T fpBinary(T a, T b, fp::Env& e) {
    if constexpr (Op == FpOp::Add) return Fmt<T>::add(a, b, e);
    else if constexpr (Op == FpOp::Sub) return Fmt<T>::sub(a, b, e);
    else if constexpr (Op == FpOp::Mul) return Fmt<T>::mul(a, b, e);
    else if constexpr (Op == FpOp::Div) return Fmt<T>::div(a, b, e);
    else if constexpr (Op == FpOp::Min) return fpMinMax<T, false>(a, b, e);
    else return fpMinMax<T, true>(a, b, e);
}

// ---- exception flags per element ----
// The operations that can overflow or underflow, for SseFlags::addArith.
enum class SseRaw : uint8_t { Add, Sub, Mul, Div, Narrow };
// Whether op(a, b) rounded to T's precision with an unbounded exponent is inexact: the PE an
// element reports when its overflow or underflow is unmasked (sse_fp_flags.cpp). T is the
// result format; for Narrow (f64 -> f32) `a` is the f64 source.
template <typename T> bool sseInexactUnbounded(SseRaw op, uint64_t a, uint64_t b, const fp::Env& env);

// Per-element flags. An element whose overflow or underflow is unmasked delivers no result
// (#XM), and reports OE/UE with PE only when the result rounded with an unbounded exponent is
// inexact -- not the PE of the masked response (infinity/denormal), SDM Vol.1 11.5.2.4/11.5.2.5
// and 4.9.1.5 (unmasked underflow: tininess alone); the host CPU agrees. Usage: after each
// element computed with env `e`, add(e) (or addArith for operations that can overflow or
// underflow); then sseCommitFlags(c, acc).
struct SseFlags {
    uint8_t trapPost;
    uint8_t acc = 0;
    explicit SseFlags(const Cpu& c)
        : trapPost(static_cast<uint8_t>(~(c.mxcsr >> mxcsr::kMaskShift) & (fp::kOE | fp::kUE))) {}
    void add(fp::Env& e) {
        acc |= e.flags;
        e.flags = 0;
    }
    template <typename T> void addArith(fp::Env& e, SseRaw op, uint64_t a, uint64_t b) {
        uint8_t f = e.flags;
        e.flags = 0;
        if (__builtin_expect(f & trapPost, 0)) {
            f = static_cast<uint8_t>(f & ~fp::kPE);
            if (sseInexactUnbounded<T>(op, a, b, e)) f |= fp::kPE;
        }
        acc |= f;
    }
};

// fpBinary plus its flags (MIN/MAX cannot overflow or underflow).
template <FpOp Op, typename T> inline T fpBinaryF(T a, T b, fp::Env& e, SseFlags& fl) {
    const T r = fpBinary<Op, T>(a, b, e);
    if constexpr (Op == FpOp::Min || Op == FpOp::Max) {
        fl.add(e);
    } else {
        constexpr SseRaw kRaw = Op == FpOp::Add ? SseRaw::Add : Op == FpOp::Sub ? SseRaw::Sub : Op == FpOp::Mul ? SseRaw::Mul : SseRaw::Div;
        fl.addArith<T>(e, kRaw, a, b);
    }
    return r;
}

// ---- MMX operands of the SSE conversions (SDM Vol.2 CVTPI2PS etc.: an MMX register operand
// makes the instruction an MMX instruction too: a pending x87 exception is taken first (#MF),
// and the x87 state transitions to MMX operation: TOP = 0, all tags valid (Vol.1 9.5, 9.6.1);
// x87CheckPending and mmxEnter come from x87_common.h). ----
inline uint64_t mmxRead(const Cpu& c, unsigned r) { return c.x87.r[r & 7].mant; }
inline void mmxWrite(Cpu& c, unsigned r, uint64_t v) {
    c.x87.r[r & 7].mant = v;
    c.x87.r[r & 7].se = 0xFFFF;  // Vol.1 9.5: an MMX write sets the exponent/sign bits to all ones
}

// ---- the approximation instructions (sse_fp_approx.cpp) ----
// RCPSS/RSQRTSS element results: |relative error| <= 1.5 * 2^-12 (SDM Vol.2 RCPSS/RSQRTSS). Not
// affected by MXCSR (no rounding control, DAZ or FTZ); denormal inputs read as zeros, tiny
// results flush to zero; no exceptions.
uint32_t sseRcp(uint32_t a);
uint32_t sseRsqrt(uint32_t a);

// ---- DPPS/DPPD (sse_fp_sse41.cpp): the result, or #XM/#UD through sseCommitFlags ----
Xmm sseDpps(Cpu& c, const Xmm& d, const Xmm& s, uint8_t imm);
Xmm sseDppd(Cpu& c, const Xmm& d, const Xmm& s, uint8_t imm);

}  // namespace pvx::cpu
