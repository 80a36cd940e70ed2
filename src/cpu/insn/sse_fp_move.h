// SSE/SSE2/SSE3 floating-point data movement: MOVAPS/MOVUPS (and PD), MOVSS/MOVSD, MOVLPS/
// MOVHPS/MOVLPD/MOVHPD, MOVHLPS/MOVLHPS, MOVMSKPS/PD, MOVNTPS/PD, MOVSLDUP/MOVSHDUP/MOVDDUP
// (SDM Vol.2 entries of the same names). No floating-point exceptions: bits are copied.
#pragma once
#include "cpu/insn/sse_fp_common.h"

namespace pvx::cpu {

// MOVAPS/MOVAPD/MOVUPS/MOVUPD xmm, xmm/m128 (0F 28 / 0F 10): Aligned = the 16-byte rule.
template <typename, bool M, bool Aligned> inline void sse_mov_load(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    c.xmm[i.reg] = readXmmE<M>(c, i, Aligned);
}
// MOVAPS/MOVUPS... xmm/m128, xmm (0F 29 / 0F 11), MOVNTPS/MOVNTPD m128, xmm (0F 2B, aligned).
template <typename, bool M, bool Aligned> inline void sse_mov_store(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm v = c.xmm[i.reg];
    writeXmmE<M>(c, i, v, Aligned);
}

// MOVSS/MOVSD xmm, xmm/m32|m64: register source merges into the low element; a memory source
// zero-extends to 128 bits.
template <typename, bool M, typename T> inline void sse_movs_load(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const T v = readScalarE<T, M>(c, i);
    if constexpr (M) c.xmm[i.reg] = Xmm{};
    lane<T>(c.xmm[i.reg], 0) = v;
}
// MOVSS/MOVSD xmm/m32|m64, xmm: the register destination keeps its upper bits.
template <typename, bool M, typename T> inline void sse_movs_store(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const T v = lane<T>(c.xmm[i.reg], 0);
    if constexpr (M) c.write<T>(i.seg, c.effectiveAddress(i), v);
    else lane<T>(c.xmm[i.rm], 0) = v;
}

// 0F 12 / 66 0F 12 / 0F 16 / 66 0F 16 loads. Memory: MOVLPS/MOVLPD (High = false) replace
// bits 63:0, MOVHPS/MOVHPD bits 127:64. Register form (0F only): MOVHLPS xmm1[63:0] <-
// xmm2[127:64], MOVLHPS xmm1[127:64] <- xmm2[63:0].
template <typename, bool M, bool High> inline void sse_movlh_load(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    uint64_t v;
    if constexpr (M) v = c.read<uint64_t>(i.seg, c.effectiveAddress(i));
    else v = c.xmm[i.rm].q[High ? 0 : 1];
    c.xmm[i.reg].q[High ? 1 : 0] = v;
}
// MOVLPS/MOVLPD/MOVHPS/MOVHPD m64, xmm (0F 13 / 0F 17; memory only).
template <typename, bool M, bool High> inline void sse_movlh_store(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    if constexpr (!M) raise(kVecUD);  // the rows are memory-only; never reached
    c.write<uint64_t>(i.seg, c.effectiveAddress(i), c.xmm[i.reg].q[High ? 1 : 0]);
}

// MOVMSKPS/MOVMSKPD reg, xmm: the sign bits into the low bits, the rest of the GPR cleared.
template <typename, bool M, typename T> inline void sse_movmsk(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    if constexpr (M) raise(kVecUD);  // the rows are register-only; never reached
    const Xmm& s = c.xmm[i.rm];
    uint32_t m = 0;
    for (unsigned k = 0; k < Fmt<T>::kLanes; ++k) m |= static_cast<uint32_t>(lane<T>(s, k) >> (sizeof(T) * 8 - 1)) << k;
    c.setReg<uint64_t>(i.reg, m);
}

// MOVSLDUP (High = false: lanes 0,0,2,2) / MOVSHDUP (1,1,3,3) xmm, xmm/m128 (aligned).
template <typename, bool M, bool High> inline void sse_movsdup(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    Xmm r;
    r.d[0] = r.d[1] = s.d[High ? 1 : 0];
    r.d[2] = r.d[3] = s.d[High ? 3 : 2];
    c.xmm[i.reg] = r;
}
// MOVDDUP xmm, xmm/m64.
template <typename, bool M> inline void sse_movddup(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const uint64_t v = readScalarE<uint64_t, M>(c, i);
    c.xmm[i.reg].q[0] = v;
    c.xmm[i.reg].q[1] = v;
}

}  // namespace pvx::cpu
