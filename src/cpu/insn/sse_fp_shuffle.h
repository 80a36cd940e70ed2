// Bitwise logic and element rearrangement of packed floating-point data: ANDPS/ANDNPS/ORPS/
// XORPS (and PD), SHUFPS/SHUFPD, UNPCKLPS/UNPCKHPS/UNPCKLPD/UNPCKHPD, and the SSE4.1 BLENDPS/
// BLENDPD/BLENDVPS/BLENDVPD, INSERTPS, EXTRACTPS (SDM Vol.2 entries of the same names). None of
// them raises floating-point exceptions.
#pragma once
#include "cpu/insn/sse_fp_common.h"

namespace pvx::cpu {

enum class FpLogic : uint8_t { And, AndN, Or, Xor };

// ANDPS/ANDNPS/ORPS/XORPS and the PD forms (identical bit operations). ANDN: ~xmm1 & src.
template <typename, bool M, FpLogic Op> inline void sse_logic(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    Xmm& d = c.xmm[i.reg];
    for (unsigned k = 0; k < 2; ++k) {
        if constexpr (Op == FpLogic::And) d.q[k] &= s.q[k];
        else if constexpr (Op == FpLogic::AndN) d.q[k] = ~d.q[k] & s.q[k];
        else if constexpr (Op == FpLogic::Or) d.q[k] |= s.q[k];
        else d.q[k] ^= s.q[k];
    }
}

// SHUFPS xmm1, xmm2/m128, imm8: r0,r1 from xmm1, r2,r3 from the source, two selector bits each.
template <typename, bool M> inline void sse_shufps(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    const Xmm& d = c.xmm[i.reg];
    const unsigned imm = i.imm & 0xFF;
    Xmm r;
    r.d[0] = d.d[imm & 3];
    r.d[1] = d.d[(imm >> 2) & 3];
    r.d[2] = s.d[(imm >> 4) & 3];
    r.d[3] = s.d[(imm >> 6) & 3];
    c.xmm[i.reg] = r;
}
// SHUFPD: r0 = xmm1[imm0], r1 = src[imm1].
template <typename, bool M> inline void sse_shufpd(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    const Xmm& d = c.xmm[i.reg];
    Xmm r;
    r.q[0] = d.q[i.imm & 1];
    r.q[1] = s.q[(i.imm >> 1) & 1];
    c.xmm[i.reg] = r;
}

// UNPCKLPS/UNPCKHPS/UNPCKLPD/UNPCKHPD: interleave the low (High: high) halves, xmm1 first.
template <typename, bool M, typename T, bool High> inline void sse_unpck(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    const Xmm& d = c.xmm[i.reg];
    constexpr unsigned kHalf = Fmt<T>::kLanes / 2;
    Xmm r;
    for (unsigned k = 0; k < kHalf; ++k) {
        lane<T>(r, 2 * k) = lane<T>(d, k + (High ? kHalf : 0));
        lane<T>(r, 2 * k + 1) = lane<T>(s, k + (High ? kHalf : 0));
    }
    c.xmm[i.reg] = r;
}

// BLENDPS/BLENDPD xmm1, xmm2/m128, imm8: element k from the source when imm8 bit k is set.
template <typename, bool M, typename T> inline void sse_blend(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    Xmm& d = c.xmm[i.reg];
    for (unsigned k = 0; k < Fmt<T>::kLanes; ++k)
        if ((i.imm >> k) & 1) lane<T>(d, k) = lane<T>(s, k);
}
// BLENDVPS/BLENDVPD xmm1, xmm2/m128, <XMM0>: element k from the source when XMM0's element k
// has its sign bit set.
template <typename, bool M, typename T> inline void sse_blendv(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    const Xmm mask = c.xmm[0];
    Xmm& d = c.xmm[i.reg];
    for (unsigned k = 0; k < Fmt<T>::kLanes; ++k)
        if (lane<T>(mask, k) & Fmt<T>::kSign) lane<T>(d, k) = lane<T>(s, k);
}

// INSERTPS xmm1, xmm2/m32, imm8: imm8[7:6] selects the source element (register form; a
// memory source is the m32 itself), imm8[5:4] the destination element, imm8[3:0] zeroes.
template <typename, bool M> inline void sse_insertps(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const unsigned imm = i.imm & 0xFF;
    uint32_t v;
    if constexpr (M) v = c.read<uint32_t>(i.seg, c.effectiveAddress(i));
    else v = c.xmm[i.rm].d[imm >> 6];
    Xmm& d = c.xmm[i.reg];
    d.d[(imm >> 4) & 3] = v;
    for (unsigned k = 0; k < 4; ++k)
        if ((imm >> k) & 1) d.d[k] = 0;
}
// EXTRACTPS r/m32, xmm, imm8: element imm8[1:0]; a register destination is zero-extended.
template <typename, bool M> inline void sse_extractps(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const uint32_t v = c.xmm[i.reg].d[i.imm & 3];
    if constexpr (M) c.write<uint32_t>(i.seg, c.effectiveAddress(i), v);
    else c.setReg<uint64_t>(i.rm, v);
}

}  // namespace pvx::cpu
