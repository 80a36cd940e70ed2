// SSE/SSE2/SSE3 floating-point arithmetic: ADD/SUB/MUL/DIV/MIN/MAX/SQRT in PS/PD/SS/SD forms,
// RCPPS/RCPSS/RSQRTPS/RSQRTSS, ADDSUBPS/PD, HADDPS/PD, HSUBPS/PD (SDM Vol.2 entries of the same
// names). Every element is computed (accumulating exception flags) before sseCommitFlags decides
// between #XM and writing the destination (SDM Vol.1 11.5.1).
#pragma once
#include "cpu/insn/sse_fp_common.h"

namespace pvx::cpu {

// xxxPS/xxxPD xmm1, xmm2/m128: xmm1[k] = op(xmm1[k], src[k]).
template <typename, bool M, FpOp Op, typename T> inline void sse_arith_p(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    const Xmm& d = c.xmm[i.reg];
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    Xmm r;
    for (unsigned k = 0; k < Fmt<T>::kLanes; ++k) lane<T>(r, k) = fpBinaryF<Op, T>(lane<T>(d, k), lane<T>(s, k), e, fl);
    sseCommitFlags(c, fl.acc);
    c.xmm[i.reg] = r;
}
// xxxSS/xxxSD xmm1, xmm2/m32|m64: the low element only; the rest of xmm1 is kept.
template <typename, bool M, FpOp Op, typename T> inline void sse_arith_s(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const T s = readScalarE<T, M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    const T r = fpBinaryF<Op, T>(lane<T>(c.xmm[i.reg], 0), s, e, fl);
    sseCommitFlags(c, fl.acc);
    lane<T>(c.xmm[i.reg], 0) = r;
}

// SQRTPS/SQRTPD xmm1, xmm2/m128.
template <typename, bool M, typename T> inline void sse_sqrt_p(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    Xmm r;
    for (unsigned k = 0; k < Fmt<T>::kLanes; ++k) lane<T>(r, k) = Fmt<T>::sqrt(lane<T>(s, k), e);
    fl.add(e);
    sseCommitFlags(c, fl.acc);
    c.xmm[i.reg] = r;
}
// SQRTSS/SQRTSD xmm1, xmm2/m32|m64.
template <typename, bool M, typename T> inline void sse_sqrt_s(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const T s = readScalarE<T, M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    const T r = Fmt<T>::sqrt(s, e);
    fl.add(e);
    sseCommitFlags(c, fl.acc);
    lane<T>(c.xmm[i.reg], 0) = r;
}

// RCPPS/RSQRTPS xmm1, xmm2/m128 (aligned) and RCPSS/RSQRTSS xmm1, xmm2/m32: approximations, no
// exceptions (SDM Vol.2 RCPPS "SIMD Floating-Point Exceptions: None").
template <typename, bool M, bool Sqrt> inline void sse_rcp_p(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    Xmm r;
    for (unsigned k = 0; k < 4; ++k) r.d[k] = Sqrt ? sseRsqrt(s.d[k]) : sseRcp(s.d[k]);
    c.xmm[i.reg] = r;
}
template <typename, bool M, bool Sqrt> inline void sse_rcp_s(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const uint32_t s = readScalarE<uint32_t, M>(c, i);
    c.xmm[i.reg].d[0] = Sqrt ? sseRsqrt(s) : sseRcp(s);
}

// ADDSUBPS/ADDSUBPD (SSE3): even elements subtract, odd elements add.
template <typename, bool M, typename T> inline void sse_addsub(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    const Xmm& d = c.xmm[i.reg];
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    Xmm r;
    for (unsigned k = 0; k < Fmt<T>::kLanes; ++k) {
        const T a = lane<T>(d, k), b = lane<T>(s, k);
        lane<T>(r, k) = (k & 1) ? Fmt<T>::add(a, b, e) : Fmt<T>::sub(a, b, e);
        fl.addArith<T>(e, (k & 1) ? SseRaw::Add : SseRaw::Sub, a, b);
    }
    sseCommitFlags(c, fl.acc);
    c.xmm[i.reg] = r;
}

// HADDPS/HADDPD/HSUBPS/HSUBPD (SSE3): adjacent pairs of the destination, then of the source:
// r[k] = x[2j] op x[2j+1] (SDM Vol.2 HADDPS Operation).
template <typename, bool M, typename T, bool Sub> inline void sse_hop(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    const Xmm& d = c.xmm[i.reg];
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    constexpr unsigned kHalf = Fmt<T>::kLanes / 2;
    Xmm r;
    for (unsigned k = 0; k < Fmt<T>::kLanes; ++k) {
        const Xmm& x = k < kHalf ? d : s;
        const unsigned j = 2 * (k % kHalf);
        const T a = lane<T>(x, j), b = lane<T>(x, j + 1);
        lane<T>(r, k) = Sub ? Fmt<T>::sub(a, b, e) : Fmt<T>::add(a, b, e);
        fl.addArith<T>(e, Sub ? SseRaw::Sub : SseRaw::Add, a, b);
    }
    sseCommitFlags(c, fl.acc);
    c.xmm[i.reg] = r;
}

}  // namespace pvx::cpu
