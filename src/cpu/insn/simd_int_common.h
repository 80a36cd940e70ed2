// What the MMX and SSE integer handlers share: the MMX availability checks and the x87 -> MMX
// state transition, MMX register/operand access, and the handler shells that run a packed
// operation on an MMX (8-byte) or XMM (16-byte) destination with a register or memory source.
//
// A packed operation is a struct with `template <unsigned NB> static void run(uint8_t* d,
// const uint8_t* s, unsigned imm)`: d holds the destination (and first source) of NB bytes, s
// the second source; the body is a plain loop the compiler unrolls or vectorizes per NB. Static
// members tune the shells: kAligned (legacy SSE m128 alignment rule of the SDM's exception
// types 1 and 4; default true), kMmSrc (bytes an MMX memory source reads: PUNPCKL* read m32).
#pragma once
#include <cstring>
#include <limits>

#include "cpu/insn/simd_common.h"
#include "cpu/insn/x87_common.h"

namespace pvx::cpu {

// ---- MMX availability and the x87 -> MMX transition (SDM Vol.1 9.5, 9.6; the SDM table
// "Exception Conditions for Legacy SIMD/MMX Instructions": EM -> #UD, TS -> #NM, a pending
// unmasked x87 exception -> #MF) ----

// A pending x87 exception is FSW.ES (set whenever an unmasked exception flag is set);
// x87CheckPending delivers it (#MF, or FERR# with CR0.NE = 0).
inline void mmxPendingCheck(Cpu& c) {
    if (__builtin_expect(c.x87.fsw & fsw::ES, 0)) x87CheckPending(c);
}
// MMX instructions (and the SSE additions operating on MMX registers).
inline void mmxCheck(Cpu& c) {
    if (__builtin_expect(c.cr0 & (cr0::EM | cr0::TS), 0)) raise((c.cr0 & cr0::EM) ? kVecUD : kVecNM);
    mmxPendingCheck(c);
}
// requireSse with the common case inlined: the handlers of glibc's string functions stay
// call-free (the raise paths live in requireSse).
[[gnu::always_inline]] inline void sseCheck(Cpu& c) {
    if (__builtin_expect((c.cr0 & (cr0::EM | cr0::TS)) || !(c.cr4 & cr4::OSFXSR), 0)) requireSse(c);
}
// SSSE3 on MMX registers and MOVQ2DQ/MOVDQ2Q: the SSE rules (CR4.OSFXSR too) plus #MF.
inline void mmxSseCheck(Cpu& c) {
    sseCheck(c);
    mmxPendingCheck(c);
}
// Every MMX instruction but EMMS sets TOP = 0 and tags all registers valid (SDM Vol.1 9.5.1).
// Called after the operands were read (a fault leaves the x87 state alone).
inline void mmxTransition(Cpu& c) { mmxEnter(c); }

inline uint64_t mmGet(const Cpu& c, unsigned r) { return c.x87.r[r & 7].mant; }
// Writing MMX register i sets R[i]'s sign/exponent field to all ones (SDM Vol.1 9.5).
inline void mmSet(Cpu& c, unsigned r, uint64_t v) {
    c.x87.r[r & 7].mant = v;
    c.x87.r[r & 7].se = 0xFFFF;
}
// 64-bit r/m operand of an MMX instruction: MMX register (REX.B ignored) or m64 (N < 8: the low
// N bytes, zero-extended).
template <bool M, unsigned N = 8> inline uint64_t readMmE(Cpu& c, const DecodedInsn& i) {
    if constexpr (M) {
        if constexpr (N == 8) return c.read<uint64_t>(i.seg, c.effectiveAddress(i));
        else if constexpr (N == 4) return c.read<uint32_t>(i.seg, c.effectiveAddress(i));
        else return c.read<uint16_t>(i.seg, c.effectiveAddress(i));
    } else {
        return mmGet(c, i.rm);
    }
}

// ---- shells ----
template <typename OP> constexpr bool opAligned() {
    if constexpr (requires { OP::kAligned; }) return OP::kAligned;
    else return true;
}
template <typename OP> constexpr unsigned opMmSrc() {
    if constexpr (requires { OP::kMmSrc; }) return OP::kMmSrc;
    else return 8;
}

// op mm, mm/m64 [, imm8]. T is the table's operand-type slot (unused).
template <typename T, bool M, typename OP> void pk_mm(Cpu& c, const DecodedInsn& i) {
    mmxCheck(c);
    const uint64_t s = readMmE<M, opMmSrc<OP>()>(c, i);
    uint64_t d = mmGet(c, i.reg);
    uint8_t db[8], sb[8];
    std::memcpy(db, &d, 8);
    std::memcpy(sb, &s, 8);
    OP::template run<8>(db, sb, static_cast<unsigned>(i.imm & 0xFF));
    std::memcpy(&d, db, 8);
    mmxTransition(c);
    mmSet(c, i.reg, d);
}
// The SSSE3 MMX forms: SSE availability rules.
template <typename T, bool M, typename OP> void pk_mm3(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    pk_mm<T, M, OP>(c, i);
}
// op xmm, xmm/m128 [, imm8].
template <typename T, bool M, typename OP> void pk_xmm(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    if constexpr (M) {
        const Xmm s = readXmmE<true>(c, i, opAligned<OP>());
        OP::template run<16>(c.xmm[i.reg].b, s.b, static_cast<unsigned>(i.imm & 0xFF));
    } else {
        // Every OP reads its operands before writing d, so d == s (same register) is fine.
        OP::template run<16>(c.xmm[i.reg].b, c.xmm[i.rm].b, static_cast<unsigned>(i.imm & 0xFF));
    }
}

// ---- lane helpers for the operation bodies ----
// d[k] = F(d[k], s[k]) over NB bytes of elements E.
template <typename E, unsigned NB, typename F> inline void lanes(uint8_t* d, const uint8_t* s, F f) {
    constexpr unsigned n = NB / sizeof(E);
    E a[n], b[n];
    std::memcpy(a, d, NB);
    std::memcpy(b, s, NB);
    for (unsigned k = 0; k < n; ++k) a[k] = f(a[k], b[k]);
    std::memcpy(d, a, NB);
}
template <typename E> inline E lane(const uint8_t* p, unsigned k) {
    E v;
    std::memcpy(&v, p + k * sizeof(E), sizeof(E));
    return v;
}
template <typename E> inline void setLane(uint8_t* p, unsigned k, E v) { std::memcpy(p + k * sizeof(E), &v, sizeof(E)); }

template <typename E> constexpr E satS(int64_t v) {
    constexpr int64_t lo = std::numeric_limits<E>::min(), hi = std::numeric_limits<E>::max();
    return static_cast<E>(v < lo ? lo : v > hi ? hi : v);
}

}  // namespace pvx::cpu
