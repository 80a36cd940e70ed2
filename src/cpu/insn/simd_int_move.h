// Integer data moves between MMX/XMM registers, general registers and memory: MOVD/MOVQ (all
// directions), MOVDQA/MOVDQU/LDDQU, MOVQ2DQ/MOVDQ2Q, the non-temporal stores and loads (MOVNTQ,
// MOVNTDQ, MOVNTI, MOVNTDQA), MASKMOVQ/MASKMOVDQU, EMMS (SDM Vol.2 entries of the same names).
#pragma once
#include <type_traits>

#include "cpu/insn/simd_int_common.h"

namespace pvx::cpu {

// MOVD/MOVQ move 32 bits unless REX.W (the table's V form gives T = uint64_t then).
template <typename T> using MovdT = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;

// MOVD/MOVQ mm, r/m32/64 (0F 6E)
template <typename T, bool M> void movd_mm_E(Cpu& c, const DecodedInsn& i) {
    mmxCheck(c);
    const uint64_t v = readE<MovdT<T>, M>(c, i);
    mmxTransition(c);
    mmSet(c, i.reg, v);
}
// MOVD/MOVQ r/m32/64, mm (0F 7E)
template <typename T, bool M> void movd_E_mm(Cpu& c, const DecodedInsn& i) {
    mmxCheck(c);
    writeE<MovdT<T>, M>(c, i, static_cast<MovdT<T>>(mmGet(c, i.reg)));
    mmxTransition(c);
}
// MOVD/MOVQ xmm, r/m32/64 (66 0F 6E): zero-extends into the whole register.
template <typename T, bool M> void movd_xmm_E(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    const uint64_t v = readE<MovdT<T>, M>(c, i);
    Xmm& d = c.xmm[i.reg];
    d.q[0] = v;
    d.q[1] = 0;
}
// MOVD/MOVQ r/m32/64, xmm (66 0F 7E)
template <typename T, bool M> void movd_E_xmm(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    writeE<MovdT<T>, M>(c, i, static_cast<MovdT<T>>(c.xmm[i.reg].q[0]));
}
// MOVQ mm, mm/m64 (0F 6F)
template <typename T, bool M> void movq_mm_Q(Cpu& c, const DecodedInsn& i) {
    mmxCheck(c);
    const uint64_t v = readMmE<M>(c, i);
    mmxTransition(c);
    mmSet(c, i.reg, v);
}
// MOVQ mm/m64, mm (0F 7F) and MOVNTQ m64, mm (0F E7)
template <typename T, bool M> void movq_Q_mm(Cpu& c, const DecodedInsn& i) {
    mmxCheck(c);
    const uint64_t v = mmGet(c, i.reg);
    if constexpr (M) c.write<uint64_t>(i.seg, c.effectiveAddress(i), v);
    mmxTransition(c);
    if constexpr (!M) mmSet(c, i.rm, v);
}
// MOVDQA/MOVDQU/LDDQU/MOVNTDQA xmm, xmm/m128 (ALIGNED: #GP(0) on a misaligned m128)
template <typename T, bool M, bool ALIGNED> void movdq_load(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    if constexpr (M) c.xmm[i.reg] = readXmmE<true>(c, i, ALIGNED);
    else c.xmm[i.reg] = c.xmm[i.rm];
}
// MOVDQA/MOVDQU/MOVNTDQ xmm/m128, xmm
template <typename T, bool M, bool ALIGNED> void movdq_store(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    writeXmmE<M>(c, i, c.xmm[i.reg], ALIGNED);
}
// MOVQ xmm, xmm/m64 (F3 0F 7E): zero-extends.
template <typename T, bool M> void movq_xmm_E(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    const uint64_t v = readScalarE<uint64_t, M>(c, i);
    c.xmm[i.reg].q[0] = v;
    c.xmm[i.reg].q[1] = 0;
}
// MOVQ xmm/m64, xmm (66 0F D6): the register form zero-extends the destination.
template <typename T, bool M> void movq_E_xmm(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    const uint64_t v = c.xmm[i.reg].q[0];
    if constexpr (M) {
        c.write<uint64_t>(i.seg, c.effectiveAddress(i), v);
    } else {
        c.xmm[i.rm].q[0] = v;
        c.xmm[i.rm].q[1] = 0;
    }
}
// MOVQ2DQ xmm, mm (F3 0F D6) / MOVDQ2Q mm, xmm (F2 0F D6)
template <typename T, bool M> void movq2dq(Cpu& c, const DecodedInsn& i) {
    mmxSseCheck(c);
    const uint64_t v = mmGet(c, i.rm);
    mmxTransition(c);
    c.xmm[i.reg].q[0] = v;
    c.xmm[i.reg].q[1] = 0;
}
template <typename T, bool M> void movdq2q(Cpu& c, const DecodedInsn& i) {
    mmxSseCheck(c);
    mmxTransition(c);
    mmSet(c, i.reg, c.xmm[i.rm].q[0]);
}
// MOVNTI m32/m64, r32/r64 (0F C3): a general-purpose store; no x87/SSE checks (SDM Vol.3A 13.1.4).
template <typename T, bool M> void movnti(Cpu& c, const DecodedInsn& i) {
    using U = MovdT<T>;
    c.write<U>(i.seg, c.effectiveAddress(i), static_cast<U>(c.gpr[i.reg]));
}

// MASKMOVQ/MASKMOVDQU: the bytes of `src` whose mask byte has bit 7 set are stored at DS:rDI
// (segment override allowed; address size from the 67 prefix). Only the written bytes are
// accessed; all of them are checked before the first is stored (a masked-off byte raises
// nothing here: SDM leaves faults on unselected bytes implementation-specific).
void maskedStore(Cpu& c, const DecodedInsn& i, const uint8_t* src, const uint8_t* mask, unsigned n);
template <typename T, bool M> void maskmovq(Cpu& c, const DecodedInsn& i) {
    mmxCheck(c);
    const uint64_t s = mmGet(c, i.reg), m = mmGet(c, i.rm);
    uint8_t sb[8], mb[8];
    std::memcpy(sb, &s, 8);
    std::memcpy(mb, &m, 8);
    maskedStore(c, i, sb, mb, 8);
    mmxTransition(c);
}
template <typename T, bool M> void maskmovdqu(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    const Xmm s = c.xmm[i.reg], m = c.xmm[i.rm];
    maskedStore(c, i, s.b, m.b, 16);
}

// EMMS (0F 77): all x87 tags empty and TOP = 0 (SDM Vol.1 Table 9-2 "Effects of MMX
// Instructions on x87 FPU State": EMMS row; confirmed against the host CPU).
inline void emms(Cpu& c, const DecodedInsn&) {
    mmxCheck(c);
    emmsState(c);
    c.x87.setTop(0);
}

}  // namespace pvx::cpu
