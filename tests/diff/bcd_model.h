// Reference models of the instructions that do not exist in 64-bit mode, so the host cannot run
// them: DAA, DAS, AAA, AAS, AAM, AAD (the "Operation" pseudocode of the current Intel SDM Vol.2
// pages, transcribed literally) and SALC (undocumented by Intel: AL = CF ? FFh : 00h, flags
// unaffected). Each turns an initial State into the expected one; flags the SDM leaves
// undefined are computed as 0 and excluded by the caller's mask. Checked against hand-worked
// vectors in diff_test.cpp.
#pragma once
#include <cstdint>

#include "harness.h"

namespace pvx::difftest::model {

inline uint8_t al(const State& s) { return static_cast<uint8_t>(s.gpr[RAX]); }
inline uint8_t ah(const State& s) { return static_cast<uint8_t>(s.gpr[RAX] >> 8); }
inline void setAl(State& s, uint8_t v) { s.gpr[RAX] = (s.gpr[RAX] & ~0xFFull) | v; }
inline void setAx(State& s, uint16_t v) { s.gpr[RAX] = (s.gpr[RAX] & ~0xFFFFull) | v; }
inline uint32_t szp(uint8_t v) { return (v == 0 ? ZF : 0) | (v & 0x80 ? SF : 0) | (parity8(v) ? PF : 0); }
inline void setStatus(State& s, uint32_t f) { s.flags = (s.flags & ~kStatus) | f; }

// DAA: OF undefined.
inline void daa(State& s) {
    const uint8_t oldAl = al(s);
    const bool oldCf = s.flags & CF;
    bool cf = false, af;
    uint8_t a = oldAl;
    if ((a & 0x0F) > 9 || (s.flags & AF)) {
        cf = oldCf || a + 6 > 0xFF;  // "CF := old_CF or (Carry from AL := AL + 6)"
        a = static_cast<uint8_t>(a + 6);
        af = true;
    } else {
        af = false;
    }
    if (oldAl > 0x99 || oldCf) {
        a = static_cast<uint8_t>(a + 0x60);
        cf = true;
    } else {
        cf = false;
    }
    setAl(s, a);
    setStatus(s, szp(a) | (cf ? CF : 0) | (af ? AF : 0));
}

// DAS: OF undefined. (No "ELSE CF := 0" in the second step.)
inline void das(State& s) {
    const uint8_t oldAl = al(s);
    const bool oldCf = s.flags & CF;
    bool cf = false, af;
    uint8_t a = oldAl;
    if ((a & 0x0F) > 9 || (s.flags & AF)) {
        cf = oldCf || a < 6;  // "CF := old_CF or (Borrow from AL := AL - 6)"
        a = static_cast<uint8_t>(a - 6);
        af = true;
    } else {
        af = false;
    }
    if (oldAl > 0x99 || oldCf) {
        a = static_cast<uint8_t>(a - 0x60);
        cf = true;
    }
    setAl(s, a);
    setStatus(s, szp(a) | (cf ? CF : 0) | (af ? AF : 0));
}

// AAA: "AX := AX + 106H" when adjusting; OF, SF, ZF, PF undefined.
inline void aaa(State& s) {
    uint16_t ax = static_cast<uint16_t>(s.gpr[RAX]);
    const bool adjust = (ax & 0x0F) > 9 || (s.flags & AF);
    if (adjust) ax = static_cast<uint16_t>(ax + 0x106);
    ax &= 0xFF0F;
    setAx(s, ax);
    setStatus(s, adjust ? CF | AF : 0);
}

// AAS: "AX := AX - 6; AH := AH - 1" when adjusting (the borrow from AL reaches AH); OF, SF,
// ZF, PF undefined.
inline void aas(State& s) {
    uint16_t ax = static_cast<uint16_t>(s.gpr[RAX]);
    const bool adjust = (ax & 0x0F) > 9 || (s.flags & AF);
    if (adjust) {
        ax = static_cast<uint16_t>(ax - 6);
        ax = static_cast<uint16_t>(ax - 0x100);
    }
    ax &= 0xFF0F;
    setAx(s, ax);
    setStatus(s, adjust ? CF | AF : 0);
}

// AAM imm8 (imm8 != 0; 0 raises #DE): OF, AF, CF undefined.
inline void aam(State& s, uint8_t base) {
    const uint8_t t = al(s);
    const uint8_t hi = static_cast<uint8_t>(t / base), lo = static_cast<uint8_t>(t % base);
    setAx(s, static_cast<uint16_t>(hi << 8 | lo));
    setStatus(s, szp(lo));
}

// AAD imm8: OF, AF, CF undefined.
inline void aad(State& s, uint8_t base) {
    const uint8_t a = static_cast<uint8_t>(al(s) + ah(s) * base);
    setAx(s, a);
    setStatus(s, szp(a));
}

inline void salc(State& s) { setAl(s, (s.flags & CF) ? 0xFF : 0x00); }

}  // namespace pvx::difftest::model
