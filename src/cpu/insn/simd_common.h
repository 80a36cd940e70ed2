// What every x87, MMX and SSE handler shares: the CR0/CR4 availability checks that decide between
// #UD, #NM and execution, 128/64-bit operand access with the architecture's alignment rules, and
// the MXCSR <-> softfloat environment bridge with SIMD floating-point exception delivery.
#pragma once
#include <cstring>

#include "cpu/fp/softfloat.h"
#include "cpu/insn/operands.h"

namespace pvx::cpu {

// ---- availability (SDM Vol.3A 2.5 CR0.EM/TS/MP, 13.1 CR4.OSFXSR, Vol.2 Table 22-x "Exception
// conditions" of each SSE instruction) ----

// SSE/SSE2/SSE3/SSSE3/SSE4 instructions: EM or !OSFXSR -> #UD; TS -> #NM.
inline void requireSse(Cpu& c) {
    if (__builtin_expect((c.cr0 & (cr0::EM | cr0::TS)) || !(c.cr4 & cr4::OSFXSR), 0)) {
        if ((c.cr0 & cr0::EM) || !(c.cr4 & cr4::OSFXSR)) raise(kVecUD);
        raise(kVecNM);
    }
}

// ---- XMM operands ----
inline Xmm& xmmReg(Cpu& c, unsigned r) { return c.xmm[r & 15]; }

// Reads a 128-bit r/m operand. `aligned`: the legacy-SSE rule that a 16-byte memory operand must
// be 16-byte aligned or #GP(0) (SDM Vol.1 10.4.1.1, "MOVAPS ... #GP if not aligned").
template <bool M> inline Xmm readXmmE(Cpu& c, const DecodedInsn& i, bool aligned = true) {
    if constexpr (M) {
        const uint64_t lin = c.linear(i.seg, c.effectiveAddress(i), 16, false);
        if (aligned && (lin & 15)) raise(kVecGP, 0);
        Xmm v;
        c.readBlockLin(lin, &v, 16);
        return v;
    } else {
        return c.xmm[i.rm];
    }
}
template <bool M> inline void writeXmmE(Cpu& c, const DecodedInsn& i, const Xmm& v, bool aligned = true) {
    if constexpr (M) {
        const uint64_t lin = c.linear(i.seg, c.effectiveAddress(i), 16, true);
        if (aligned && (lin & 15)) raise(kVecGP, 0);
        c.writeBlockLin(lin, &v, 16);
    } else {
        c.xmm[i.rm] = v;
    }
}
// Scalar operand of N bytes from an XMM register's low bytes or from memory (no alignment rule).
template <typename T, bool M> inline T readScalarE(Cpu& c, const DecodedInsn& i) {
    if constexpr (M) {
        return c.read<T>(i.seg, c.effectiveAddress(i));
    } else {
        T v;
        std::memcpy(&v, c.xmm[i.rm].b, sizeof(T));
        return v;
    }
}

// ---- MXCSR and the softfloat environment (SDM Vol.1 10.2.3, 11.5) ----
inline fp::Env sseEnv(const Cpu& c) {
    fp::Env e;
    e.rounding = static_cast<uint8_t>((c.mxcsr >> mxcsr::kRcShift) & 3);
    e.daz = c.mxcsr & mxcsr::DAZ;
    e.ftz = c.mxcsr & mxcsr::FTZ;
    e.ueMasked = c.mxcsr & mxcsr::UM;
    return e;
}
// Records the exceptions an SSE instruction's elements raised (OR over all elements). If any is
// unmasked the instruction delivers #XM (#UD when CR4.OSXMMEXCPT = 0) without writing its
// destination, so call this after computing every element and before storing (SDM Vol.1 11.5.1).
// An unmasked pre-computation exception (IE, DE, ZE) in any element means post-computation
// exceptions (OE, UE, PE) are not checked, so their flags are not set (SDM Vol.1 11.5.2.1).
inline void sseCommitFlags(Cpu& c, uint8_t flags) {
    if (!flags) return;
    const uint32_t masks = (c.mxcsr >> mxcsr::kMaskShift) & 0x3F;
    constexpr uint8_t kPre = fp::kIE | fp::kDE | fp::kZE;
    if (flags & kPre & ~masks) {
        c.mxcsr |= flags & kPre;
        raise((c.cr4 & cr4::OSXMMEXCPT) ? kVecXM : kVecUD);
    }
    c.mxcsr |= flags;
    if (flags & ~masks) raise((c.cr4 & cr4::OSXMMEXCPT) ? kVecXM : kVecUD);
}

}  // namespace pvx::cpu
