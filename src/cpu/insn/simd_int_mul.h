// Packed integer operations that combine elements: PMULUDQ, PMULDQ, PMADDWD, PMADDUBSW, PSADBW,
// PHADD/PHSUB{W,D,SW}, MPSADBW, PHMINPOSUW (SDM Vol.2 entries of the same names).
#pragma once
#include "cpu/insn/simd_int_common.h"

namespace pvx::cpu::pk {

// PMULUDQ/PMULDQ: the even doublewords multiplied into quadwords.
template <bool SIGNED> struct MulDQ {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned) {
        for (unsigned k = 0; k < NB / 8; ++k) {
            uint64_t p;
            if constexpr (SIGNED) p = static_cast<uint64_t>(int64_t{lane<int32_t>(d, 2 * k)} * lane<int32_t>(s, 2 * k));
            else p = uint64_t{lane<uint32_t>(d, 2 * k)} * lane<uint32_t>(s, 2 * k);
            setLane<uint64_t>(d, k, p);
        }
    }
};
// PMADDWD: signed word products, adjacent pairs added into doublewords (wrapping: only
// 0x8000*0x8000 twice overflows, giving 0x80000000).
struct MAddWD {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned) {
        for (unsigned k = 0; k < NB / 4; ++k) {
            const int64_t p = int64_t{lane<int16_t>(d, 2 * k)} * lane<int16_t>(s, 2 * k) +
                              int64_t{lane<int16_t>(d, 2 * k + 1)} * lane<int16_t>(s, 2 * k + 1);
            setLane<uint32_t>(d, k, static_cast<uint32_t>(p));
        }
    }
};
// PMADDUBSW: unsigned destination bytes times signed source bytes, pairs added with signed
// saturation.
struct MAddUBSW {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned) {
        for (unsigned k = 0; k < NB / 2; ++k) {
            const int p = int{d[2 * k]} * int{static_cast<int8_t>(s[2 * k])} + int{d[2 * k + 1]} * int{static_cast<int8_t>(s[2 * k + 1])};
            setLane<int16_t>(d, k, satS<int16_t>(p));
        }
    }
};
// PSADBW: per quadword, the sum of absolute byte differences in its low word, zeros above.
struct SadBW {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned) {
        for (unsigned q = 0; q < NB / 8; ++q) {
            unsigned sum = 0;
            for (unsigned k = 8 * q; k < 8 * q + 8; ++k) sum += d[k] > s[k] ? d[k] - s[k] : s[k] - d[k];
            setLane<uint64_t>(d, q, sum);
        }
    }
};
// PHADD/PHSUB: adjacent pairs of the destination, then of the source, added or subtracted
// (first minus second); SAT: signed saturation.
template <typename E, bool SUB, bool SAT> struct Horiz {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned) {
        constexpr unsigned n = NB / sizeof(E) / 2;
        uint8_t r[NB];
        auto f = [](E a, E b) -> E {
            const int64_t v = SUB ? int64_t{a} - b : int64_t{a} + b;
            if constexpr (SAT) return satS<E>(v);
            else return static_cast<E>(static_cast<uint64_t>(v));
        };
        for (unsigned k = 0; k < n; ++k) {
            setLane<E>(r, k, f(lane<E>(d, 2 * k), lane<E>(d, 2 * k + 1)));
            setLane<E>(r, n + k, f(lane<E>(s, 2 * k), lane<E>(s, 2 * k + 1)));
        }
        std::memcpy(d, r, NB);
    }
};
// MPSADBW: eight sums of absolute differences between 4-byte windows of the destination
// starting at byte 4*imm[2] + k and the source block at 4*imm[1:0].
struct MpSadBW {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned imm) {
        static_assert(NB == 16);
        const unsigned di = 4 * ((imm >> 2) & 1), si = 4 * (imm & 3);
        uint8_t r[16];
        for (unsigned k = 0; k < 8; ++k) {
            unsigned sum = 0;
            for (unsigned j = 0; j < 4; ++j) {
                const int a = d[di + k + j], b = s[si + j];
                sum += static_cast<unsigned>(a > b ? a - b : b - a);
            }
            setLane<uint16_t>(r, k, static_cast<uint16_t>(sum));
        }
        std::memcpy(d, r, 16);
    }
};
// PHMINPOSUW: the minimum unsigned word of the source and its (lowest) index; rest zeroed.
struct MinPosUW {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned) {
        static_assert(NB == 16);
        unsigned best = lane<uint16_t>(s, 0), idx = 0;
        for (unsigned k = 1; k < 8; ++k)
            if (lane<uint16_t>(s, k) < best) {
                best = lane<uint16_t>(s, k);
                idx = k;
            }
        std::memset(d, 0, 16);
        setLane<uint16_t>(d, 0, static_cast<uint16_t>(best));
        setLane<uint16_t>(d, 1, static_cast<uint16_t>(idx));
    }
};

}  // namespace pvx::cpu::pk
