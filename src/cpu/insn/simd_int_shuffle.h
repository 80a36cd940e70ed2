// Whole-vector rearrangements: PACKSS/PACKUS, PUNPCKL/H, PSHUFW/PSHUFD/PSHUFHW/PSHUFLW, PSHUFB,
// PALIGNR, PBLENDW (SDM Vol.2 entries of the same names). OPs for the pk_mm/pk_xmm shells.
#pragma once
#include "cpu/insn/simd_int_common.h"

namespace pvx::cpu::pk {

// PACKSSWB/PACKSSDW/PACKUSWB/PACKUSDW: destination lanes, then source lanes, narrowed with
// saturation (signed S to signed or unsigned D).
template <typename S, typename D> struct Pack {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned) {
        constexpr unsigned n = NB / sizeof(S);
        uint8_t r[NB];
        for (unsigned k = 0; k < n; ++k) setLane<D>(r, k, satS<D>(lane<S>(d, k)));
        for (unsigned k = 0; k < n; ++k) setLane<D>(r, n + k, satS<D>(lane<S>(s, k)));
        std::memcpy(d, r, NB);
    }
};
using PackSSWB = Pack<int16_t, int8_t>;
using PackSSDW = Pack<int32_t, int16_t>;
using PackUSWB = Pack<int16_t, uint8_t>;
using PackUSDW = Pack<int32_t, uint16_t>;

// PUNPCKL*/PUNPCKH*: interleave the low (HI = false) or high halves' elements E.
template <typename E, bool HI> struct Unpack {
    static constexpr unsigned kMmSrc = HI ? 8 : 4;  // PUNPCKL* mm, mm/m32
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned) {
        constexpr unsigned n = NB / sizeof(E) / 2, base = HI ? n : 0;
        uint8_t r[NB];
        for (unsigned k = 0; k < n; ++k) {
            setLane<E>(r, 2 * k, lane<E>(d, base + k));
            setLane<E>(r, 2 * k + 1, lane<E>(s, base + k));
        }
        std::memcpy(d, r, NB);
    }
};

// PSHUFW mm / PSHUFD xmm: destination element k = source element imm[2k+1:2k]. PSHUFHW/LW
// shuffle the four words of one half and copy the other.
template <typename E> struct Shuf4 {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned imm) {
        uint8_t r[NB];
        for (unsigned k = 0; k < 4; ++k) setLane<E>(r, k, lane<E>(s, (imm >> (2 * k)) & 3));
        std::memcpy(d, r, NB);
    }
};
template <bool HI> struct ShufHalfW {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned imm) {
        static_assert(NB == 16);
        uint8_t r[16];
        std::memcpy(r, s, 16);
        constexpr unsigned base = HI ? 4 : 0;
        for (unsigned k = 0; k < 4; ++k) setLane<uint16_t>(r, base + k, lane<uint16_t>(s, base + ((imm >> (2 * k)) & 3)));
        std::memcpy(d, r, 16);
    }
};

// PSHUFB: byte k = 0 if source byte k has bit 7 set, else destination byte (index & NB-1).
struct ShufB {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned) {
        uint8_t r[NB];
        for (unsigned k = 0; k < NB; ++k) r[k] = (s[k] & 0x80) ? 0 : d[s[k] & (NB - 1)];
        std::memcpy(d, r, NB);
    }
};

// PALIGNR: (destination:source) shifted right by imm8 bytes, low NB bytes kept.
struct AlignR {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned imm) {
        uint8_t cat[2 * NB];
        std::memcpy(cat, s, NB);
        std::memcpy(cat + NB, d, NB);
        for (unsigned k = 0; k < NB; ++k) d[k] = imm + k < 2 * NB ? cat[imm + k] : 0;
    }
};

// PBLENDW: word k from the source when imm8 bit k is set.
struct BlendW {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned imm) {
        for (unsigned k = 0; k < NB / 2; ++k)
            if (imm & (1u << k)) setLane<uint16_t>(d, k, lane<uint16_t>(s, k));
    }
};

}  // namespace pvx::cpu::pk
