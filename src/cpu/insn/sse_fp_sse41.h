// SSE4.1 floating-point arithmetic: ROUNDPS/ROUNDPD/ROUNDSS/ROUNDSD and DPPS/DPPD (SDM Vol.2
// entries of the same names). The blends, INSERTPS and EXTRACTPS are in sse_fp_shuffle.h.
#pragma once
#include "cpu/insn/sse_fp_common.h"

namespace pvx::cpu {

// ROUNDxx imm8: bits 1:0 rounding mode, bit 2 = use MXCSR.RC instead, bit 3 = do not signal PE.
inline uint8_t roundMode(const Cpu& c, uint64_t imm) {
    return static_cast<uint8_t>((imm & 4) ? (c.mxcsr >> mxcsr::kRcShift) & 3 : imm & 3);
}

// ROUNDPS/ROUNDPD xmm1, xmm2/m128, imm8.
template <typename, bool M, typename T> inline void sse_round_p(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    const uint8_t mode = roundMode(c, i.imm);
    const bool noPe = i.imm & 8;
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    Xmm r;
    for (unsigned k = 0; k < Fmt<T>::kLanes; ++k) lane<T>(r, k) = Fmt<T>::roundInt(lane<T>(s, k), mode, noPe, e);
    fl.add(e);
    sseCommitFlags(c, fl.acc);
    c.xmm[i.reg] = r;
}
// ROUNDSS/ROUNDSD xmm1, xmm2/m32|m64, imm8: the low element; the rest of xmm1 is kept.
template <typename, bool M, typename T> inline void sse_round_s(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const T s = readScalarE<T, M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    const T r = Fmt<T>::roundInt(s, roundMode(c, i.imm), i.imm & 8, e);
    fl.add(e);
    sseCommitFlags(c, fl.acc);
    lane<T>(c.xmm[i.reg], 0) = r;
}

// DPPS/DPPD xmm1, xmm2/m128, imm8 (the arithmetic is in sse_fp_sse41.cpp).
template <typename, bool M, bool Double> inline void sse_dp(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    const uint8_t imm = static_cast<uint8_t>(i.imm);
    const Xmm r = Double ? sseDppd(c, c.xmm[i.reg], s, imm) : sseDpps(c, c.xmm[i.reg], s, imm);
    c.xmm[i.reg] = r;
}

}  // namespace pvx::cpu
