// SSE/SSE2 conversions between floating-point formats and integers (SDM Vol.2 CVTxx2xx entries;
// Vol.1 11.5.2.x). Integer results that are NaN, infinite or out of range raise IE and give the
// integer indefinite (0x80000000 / 0x8000000000000000); inexact results raise PE.
#pragma once
#include "cpu/insn/sse_fp_common.h"

namespace pvx::cpu {

// ---- with MMX operands (SSE: CVTPI2PS, CVTPS2PI, CVTTPS2PI; SSE2: CVTPI2PD, CVTPD2PI,
// CVTTPD2PI). An MMX register operand also makes them MMX instructions (sse_fp_common.h): a
// pending x87 exception is #MF before anything else, and the x87 -> MMX transition (TOP = 0, all
// tags valid) happens even when the conversion then raises #XM -- the SDM does not order the two;
// on the host CPU (AMD Zen) the state saved at the #XM already shows the transition. ----

// CVTPI2PS xmm, mm/m64 (two int32 -> the low two singles, upper half kept) and CVTPI2PD xmm,
// mm/m64 (-> two doubles, exact).
template <typename, bool M, typename T> inline void sse_cvtpi2p(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    uint64_t src;
    if constexpr (M) {
        src = c.read<uint64_t>(i.seg, c.effectiveAddress(i));
    } else {
        x87CheckPending(c);
        src = mmxRead(c, i.rm);
    }
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    const T r0 = Fmt<T>::fromI32(static_cast<int32_t>(src), e);
    const T r1 = Fmt<T>::fromI32(static_cast<int32_t>(src >> 32), e);
    fl.add(e);
    if constexpr (!M) mmxEnter(c);  // before a #XM, as the host CPU does
    sseCommitFlags(c, fl.acc);
    lane<T>(c.xmm[i.reg], 0) = r0;
    lane<T>(c.xmm[i.reg], 1) = r1;
}

// CVTPS2PI/CVTTPS2PI mm, xmm/m64 and CVTPD2PI/CVTTPD2PI mm, xmm/m128 (aligned).
template <typename, bool M, typename T, bool Trunc> inline void sse_cvtp2pi(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    x87CheckPending(c);
    Xmm s;
    if constexpr (sizeof(T) == 8) s = readXmmE<M>(c, i);
    else s.q[0] = readScalarE<uint64_t, M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    const auto r0 = static_cast<uint32_t>(Fmt<T>::toInt(lane<T>(s, 0), 32, Trunc, e));
    const auto r1 = static_cast<uint32_t>(Fmt<T>::toInt(lane<T>(s, 1), 32, Trunc, e));
    fl.add(e);
    mmxEnter(c);  // before a #XM, as the host CPU does
    sseCommitFlags(c, fl.acc);
    mmxWrite(c, i.reg, uint64_t{r1} << 32 | r0);
}

// ---- with general-purpose registers (FORM V: G is the GPR operand size; 16 acts as 32) ----

// CVTSI2SS/CVTSI2SD xmm, r/m32|r/m64.
template <typename G, bool M, typename T> inline void sse_cvtsi2s(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    T r;
    if constexpr (sizeof(G) == 8) r = Fmt<T>::fromI64(static_cast<int64_t>(readE<uint64_t, M>(c, i)), e);
    else r = Fmt<T>::fromI32(static_cast<int32_t>(readE<uint32_t, M>(c, i)), e);
    fl.add(e);
    sseCommitFlags(c, fl.acc);
    lane<T>(c.xmm[i.reg], 0) = r;
}
// CVTSS2SI/CVTTSS2SI/CVTSD2SI/CVTTSD2SI r32|r64, xmm/m32|m64.
template <typename G, bool M, typename T, bool Trunc> inline void sse_cvts2si(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const T s = readScalarE<T, M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    constexpr unsigned kBits = sizeof(G) == 8 ? 64 : 32;
    const int64_t r = Fmt<T>::toInt(s, kBits, Trunc, e);
    fl.add(e);
    sseCommitFlags(c, fl.acc);
    if constexpr (kBits == 64) c.setReg<uint64_t>(i.reg, static_cast<uint64_t>(r));
    else c.setReg<uint32_t>(i.reg, static_cast<uint32_t>(r));
}

// ---- between the floating-point formats ----

// CVTPS2PD xmm, xmm/m64 (exact; SNaN -> IE, denormal -> DE).
template <typename, bool M> inline void sse_cvtps2pd(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const uint64_t s = readScalarE<uint64_t, M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    Xmm r;
    r.q[0] = fp::f32_to_f64(static_cast<uint32_t>(s), e);
    r.q[1] = fp::f32_to_f64(static_cast<uint32_t>(s >> 32), e);
    fl.add(e);
    sseCommitFlags(c, fl.acc);
    c.xmm[i.reg] = r;
}
// CVTPD2PS xmm, xmm/m128: two singles in the low half, the high half zeroed.
template <typename, bool M> inline void sse_cvtpd2ps(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    Xmm r{};
    r.d[0] = fp::f64_to_f32(s.q[0], e);
    fl.addArith<uint32_t>(e, SseRaw::Narrow, s.q[0], 0);
    r.d[1] = fp::f64_to_f32(s.q[1], e);
    fl.addArith<uint32_t>(e, SseRaw::Narrow, s.q[1], 0);
    sseCommitFlags(c, fl.acc);
    c.xmm[i.reg] = r;
}
// CVTSS2SD xmm, xmm/m32 and CVTSD2SS xmm, xmm/m64: the low element; the rest is kept.
template <typename, bool M> inline void sse_cvtss2sd(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const uint32_t s = readScalarE<uint32_t, M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    const uint64_t r = fp::f32_to_f64(s, e);
    fl.add(e);
    sseCommitFlags(c, fl.acc);
    c.xmm[i.reg].q[0] = r;
}
template <typename, bool M> inline void sse_cvtsd2ss(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const uint64_t s = readScalarE<uint64_t, M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    const uint32_t r = fp::f64_to_f32(s, e);
    fl.addArith<uint32_t>(e, SseRaw::Narrow, s, 0);
    sseCommitFlags(c, fl.acc);
    c.xmm[i.reg].d[0] = r;
}

// ---- packed doublewords ----

// CVTDQ2PS xmm, xmm/m128.
template <typename, bool M> inline void sse_cvtdq2ps(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    Xmm r;
    for (unsigned k = 0; k < 4; ++k) r.d[k] = fp::i32_to_f32(static_cast<int32_t>(s.d[k]), e);
    fl.add(e);
    sseCommitFlags(c, fl.acc);
    c.xmm[i.reg] = r;
}
// CVTPS2DQ / CVTTPS2DQ xmm, xmm/m128.
template <typename, bool M, bool Trunc> inline void sse_cvtps2dq(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    Xmm r;
    for (unsigned k = 0; k < 4; ++k) r.d[k] = static_cast<uint32_t>(fp::f32_to_int(s.d[k], 32, Trunc, e));
    fl.add(e);
    sseCommitFlags(c, fl.acc);
    c.xmm[i.reg] = r;
}
// CVTDQ2PD xmm, xmm/m64 (exact).
template <typename, bool M> inline void sse_cvtdq2pd(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const uint64_t s = readScalarE<uint64_t, M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    Xmm r;
    r.q[0] = fp::i32_to_f64(static_cast<int32_t>(s), e);
    r.q[1] = fp::i32_to_f64(static_cast<int32_t>(s >> 32), e);
    c.xmm[i.reg] = r;
}
// CVTPD2DQ / CVTTPD2DQ xmm, xmm/m128: two doublewords in the low half, the high half zeroed.
template <typename, bool M, bool Trunc> inline void sse_cvtpd2dq(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    Xmm r{};
    r.d[0] = static_cast<uint32_t>(fp::f64_to_int(s.q[0], 32, Trunc, e));
    r.d[1] = static_cast<uint32_t>(fp::f64_to_int(s.q[1], 32, Trunc, e));
    fl.add(e);
    sseCommitFlags(c, fl.acc);
    c.xmm[i.reg] = r;
}

}  // namespace pvx::cpu
