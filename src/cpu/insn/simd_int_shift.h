// Packed shifts: PSLL/PSRL/PSRA{W,D,Q} by an MMX/XMM register or memory count (its low
// quadword, taken whole: counts above the element width clear the element, or fill it with sign
// bits for PSRA) and by imm8 (groups 0F 71/72/73), PSLLDQ/PSRLDQ (SDM Vol.2 "PSLLW/PSLLD/PSLLQ",
// "PSRLW...", "PSRAW/PSRAD", "PSLLDQ", "PSRLDQ").
#pragma once
#include "cpu/insn/simd_int_common.h"

namespace pvx::cpu::pk {

enum class Sh { Left, Right, Arith };

template <typename E, Sh K> struct Shift {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned) {
        const uint64_t cnt = lane<uint64_t>(s, 0);
        constexpr unsigned bits = 8 * sizeof(E);
        constexpr unsigned n = NB / sizeof(E);
        E a[n];
        std::memcpy(a, d, NB);
        if (cnt >= bits) {
            for (unsigned k = 0; k < n; ++k) {
                if constexpr (K == Sh::Arith) a[k] = static_cast<E>(static_cast<std::make_signed_t<E>>(a[k]) >> (bits - 1));
                else a[k] = 0;
            }
        } else {
            const unsigned c = static_cast<unsigned>(cnt);
            for (unsigned k = 0; k < n; ++k) {
                if constexpr (K == Sh::Left) a[k] = static_cast<E>(a[k] << c);
                else if constexpr (K == Sh::Right) a[k] = static_cast<E>(a[k] >> c);
                else a[k] = static_cast<E>(static_cast<std::make_signed_t<E>>(a[k]) >> c);
            }
        }
        std::memcpy(d, a, NB);
    }
};
// PSLLDQ/PSRLDQ: whole-register byte shifts (counts above 15 clear it).
template <bool LEFT> struct ByteShift {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned) {
        const uint64_t c64 = lane<uint64_t>(s, 0);
        const unsigned c = c64 > NB ? NB : static_cast<unsigned>(c64);
        uint8_t r[NB] = {};
        if constexpr (LEFT) std::memcpy(r + c, d, NB - c);
        else std::memcpy(r, d + c, NB - c);
        std::memcpy(d, r, NB);
    }
};

}  // namespace pvx::cpu::pk

namespace pvx::cpu {

// Shift by imm8 (0F 71/72/73 /digit, register operand only): the destination is ModRM.rm.
template <typename T, bool M, typename OP> void psh_imm_mm(Cpu& c, const DecodedInsn& i) {
    mmxCheck(c);
    uint64_t d = mmGet(c, i.rm);
    uint8_t db[8], cnt[8] = {static_cast<uint8_t>(i.imm)};
    std::memcpy(db, &d, 8);
    OP::template run<8>(db, cnt, 0);
    std::memcpy(&d, db, 8);
    mmxTransition(c);
    mmSet(c, i.rm, d);
}
template <typename T, bool M, typename OP> void psh_imm_xmm(Cpu& c, const DecodedInsn& i) {
    sseCheck(c);
    const uint8_t cnt[8] = {static_cast<uint8_t>(i.imm)};
    OP::template run<16>(c.xmm[i.rm].b, cnt, 0);
}

}  // namespace pvx::cpu
