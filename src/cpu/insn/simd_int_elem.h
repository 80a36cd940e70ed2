// Single elements in and out of MMX/XMM registers and other special forms: PEXTRW/PINSRW (MMX
// and SSE2), PEXTRB/PEXTRW/PEXTRD/PEXTRQ and PINSRB/PINSRD/PINSRQ (SSE4.1), PMOVMSKB,
// PMOVSX/PMOVZX, PTEST, PBLENDVB (SDM Vol.2 entries of the same names).
#pragma once
#include <type_traits>

#include "cpu/insn/simd_int_common.h"

namespace pvx::cpu {

// PEXTRW r32/r64, mm, imm8 (0F C5, register form only): zero-extended into the whole GPR.
template <typename T, bool M> void pextrw_mm(Cpu& c, const DecodedInsn& i) {
    mmxCheck(c);
    const uint64_t v = (mmGet(c, i.rm) >> (16 * (i.imm & 3))) & 0xFFFF;
    mmxTransition(c);
    c.gpr[i.reg] = v;
}
template <typename T, bool M> void pextrw_xmm(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    c.gpr[i.reg] = c.xmm[i.rm].w[i.imm & 7];
}
// PINSRW mm, r32/m16, imm8 (0F C4)
template <typename T, bool M> void pinsrw_mm(Cpu& c, const DecodedInsn& i) {
    mmxCheck(c);
    const uint64_t v = readE<uint16_t, M>(c, i);
    const unsigned sh = 16 * (i.imm & 3);
    const uint64_t d = (mmGet(c, i.reg) & ~(0xFFFFull << sh)) | (v << sh);
    mmxTransition(c);
    mmSet(c, i.reg, d);
}
template <typename T, bool M> void pinsrw_xmm(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    c.xmm[i.reg].w[i.imm & 7] = readE<uint16_t, M>(c, i);
}
// PEXTRB/PEXTRW/PEXTRD/PEXTRQ r/m, xmm, imm8 (66 0F3A 14/15/16): E is the element; a register
// destination is zero-extended to 64 bits (PEXTRD: 32 bits, zero-extended as any 32-bit write).
template <typename T, bool M, typename E> void pextr_sse4(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    using U = std::conditional_t<std::is_same_v<E, uint32_t> && sizeof(T) == 8, uint64_t, E>;  // PEXTRQ
    constexpr unsigned n = 16 / sizeof(U);
    U v;
    std::memcpy(&v, c.xmm[i.reg].b + sizeof(U) * (i.imm & (n - 1)), sizeof(U));
    if constexpr (M) c.write<U>(i.seg, c.effectiveAddress(i), v);
    else c.gpr[i.rm] = v;
}
// PINSRB/PINSRD/PINSRQ xmm, r/m, imm8 (66 0F3A 20/22)
template <typename T, bool M, typename E> void pinsr_sse4(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    using U = std::conditional_t<std::is_same_v<E, uint32_t> && sizeof(T) == 8, uint64_t, E>;  // PINSRQ
    constexpr unsigned n = 16 / sizeof(U);
    U v;
    if constexpr (M) v = c.read<U>(i.seg, c.effectiveAddress(i));
    else v = static_cast<U>(c.gpr[i.rm]);
    std::memcpy(c.xmm[i.reg].b + sizeof(U) * (i.imm & (n - 1)), &v, sizeof(U));
}
// PMOVMSKB r32/r64, mm/xmm (0F D7, register form only): byte sign bits, zero-extended.
template <typename T, bool M> void pmovmskb_mm(Cpu& c, const DecodedInsn& i) {
    mmxCheck(c);
    const uint64_t v = mmGet(c, i.rm);
    uint64_t m = 0;
    for (unsigned k = 0; k < 8; ++k) m |= ((v >> (8 * k + 7)) & 1) << k;
    mmxTransition(c);
    c.gpr[i.reg] = m;
}
template <typename T, bool M> void pmovmskb_xmm(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    const Xmm& s = c.xmm[i.rm];
    // Gather the sign bits of 8 bytes per quadword with one multiply: with bit 7 of byte k
    // moved to bit 8k, the product puts it in bit 56+k.
    constexpr uint64_t kMagic = 0x0102040810204080ull;
    const uint64_t lo = (((s.q[0] >> 7) & 0x0101010101010101ull) * kMagic) >> 56;
    const uint64_t hi = (((s.q[1] >> 7) & 0x0101010101010101ull) * kMagic) >> 56;
    c.gpr[i.reg] = (lo & 0xFF) | (hi & 0xFF) << 8;
}
// PMOVSX/PMOVZX xmm, xmm/m(16/32/64) (66 0F38 20-25, 30-35): the low elements S extended to D.
// The memory operand is only as wide as the elements read and has no alignment rule.
template <typename T, bool M, typename S, typename D> void pmovx(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    constexpr unsigned n = 16 / sizeof(D);
    uint8_t src[n * sizeof(S)];
    if constexpr (M) c.readBlock(i.seg, c.effectiveAddress(i), src, sizeof src);
    else std::memcpy(src, c.xmm[i.rm].b, sizeof src);
    Xmm r;
    for (unsigned k = 0; k < n; ++k) setLane<D>(r.b, k, static_cast<D>(lane<S>(src, k)));
    c.xmm[i.reg] = r;
}
// PTEST xmm, xmm/m128 (66 0F38 17): ZF = (dst AND src) == 0, CF = (NOT dst AND src) == 0;
// AF OF PF SF cleared.
template <typename T, bool M> void ptest(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    const Xmm s = readXmmE<M>(c, i);
    const Xmm& d = c.xmm[i.reg];
    const bool zf = !((d.q[0] & s.q[0]) | (d.q[1] & s.q[1]));
    const bool cf = !((~d.q[0] & s.q[0]) | (~d.q[1] & s.q[1]));
    c.lf.setEager((zf ? kZF : 0) | (cf ? kCF : 0));
}
// PBLENDVB xmm, xmm/m128, <XMM0> (66 0F38 10): bytes from the source where XMM0's byte sign
// bit is set.
template <typename T, bool M> void pblendvb(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    const Xmm s = readXmmE<M>(c, i);
    const Xmm m = c.xmm[0];
    Xmm& d = c.xmm[i.reg];
    for (unsigned k = 0; k < 16; ++k)
        if (m.b[k] & 0x80) d.b[k] = s.b[k];
}

// ---- SSE4.2 (simd_int_string.cpp, simd_int_crc32.cpp) ----
// PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (66 0F3A 60-63), `src2` the xmm2/m128 operand.
void pcmpstrExec(Cpu& c, const DecodedInsn& i, const Xmm& src2, bool explicitLen, bool mask);
// The 16-byte memory operand has no alignment rule (SDM Vol.2 PCMPESTRI "Other Exceptions").
template <typename T, bool M, bool EXPLICIT, bool MASK> void pcmpstr(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    if constexpr (M) pcmpstrExec(c, i, readXmmE<true>(c, i, false), EXPLICIT, MASK);
    else pcmpstrExec(c, i, c.xmm[i.rm], EXPLICIT, MASK);
}
// CRC32 r32/r64, r/m8/16/32/64 (F2 0F38 F0/F1): CRC-32C (polynomial 11EDC6F41h, bit-reflected),
// no initial or final inversion (SDM Vol.2 "CRC32"). A general-purpose instruction: no
// x87/SSE availability checks. The result is 32 bits, zero-extended into the destination.
uint32_t crc32c(uint32_t crc, uint64_t data, unsigned bytes);
template <typename T, bool M> void crc32(Cpu& c, const DecodedInsn& i) {
    const uint64_t v = readE<T, M>(c, i);
    c.gpr[i.reg] = crc32c(static_cast<uint32_t>(c.gpr[i.reg]), v, sizeof(T));
}

}  // namespace pvx::cpu
