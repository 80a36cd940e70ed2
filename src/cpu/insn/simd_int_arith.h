// Element-wise packed integer operations: add/subtract (wrapping and saturating), multiplies,
// compares, logic, averages, min/max, sign/abs (SDM Vol.2 entries PADDB ... PMAXUD, PSIGNB,
// PABSB, PMULHRSW, PCMPEQQ, PCMPGTQ). Each is an OP for the pk_mm/pk_xmm shells.
#pragma once
#include "cpu/insn/simd_int_common.h"

namespace pvx::cpu::pk {

// An element-wise operation from a lambda-like functor F on lanes of E.
template <typename E, typename F> struct Lanes {
    template <unsigned NB> static void run(uint8_t* d, const uint8_t* s, unsigned) { lanes<E, NB>(d, s, F{}); }
};

#define PVX_LANE_OP(NAME, E, EXPR)                                                 \
    struct NAME##_f {                                                              \
        E operator()([[maybe_unused]] E a, [[maybe_unused]] E b) const { return static_cast<E>(EXPR); }              \
    };                                                                             \
    using NAME = Lanes<E, NAME##_f>;

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;
using s8 = int8_t;
using s16 = int16_t;
using s32 = int32_t;
using s64 = int64_t;

// wrapping add/subtract
PVX_LANE_OP(AddB, u8, a + b)
PVX_LANE_OP(AddW, u16, a + b)
PVX_LANE_OP(AddD, u32, a + b)
PVX_LANE_OP(AddQ, u64, a + b)
PVX_LANE_OP(SubB, u8, a - b)
PVX_LANE_OP(SubW, u16, a - b)
PVX_LANE_OP(SubD, u32, a - b)
PVX_LANE_OP(SubQ, u64, a - b)
// saturating (SDM Vol.1 4.6.? "saturation arithmetic")
PVX_LANE_OP(AddSB, s8, satS<s8>(int(a) + int(b)))
PVX_LANE_OP(AddSW, s16, satS<s16>(int(a) + int(b)))
PVX_LANE_OP(SubSB, s8, satS<s8>(int(a) - int(b)))
PVX_LANE_OP(SubSW, s16, satS<s16>(int(a) - int(b)))
PVX_LANE_OP(AddUSB, u8, int(a) + int(b) > 0xFF ? 0xFF : int(a) + int(b))
PVX_LANE_OP(AddUSW, u16, int(a) + int(b) > 0xFFFF ? 0xFFFF : int(a) + int(b))
PVX_LANE_OP(SubUSB, u8, a > b ? a - b : 0)
PVX_LANE_OP(SubUSW, u16, a > b ? a - b : 0)
// multiplies
PVX_LANE_OP(MulLW, u16, uint32_t(a) * uint32_t(b))
PVX_LANE_OP(MulHW, s16, (int32_t(a) * int32_t(b)) >> 16)
PVX_LANE_OP(MulHUW, u16, (uint32_t(a) * uint32_t(b)) >> 16)
PVX_LANE_OP(MulLD, u32, uint64_t(a) * uint64_t(b))
PVX_LANE_OP(MulHRSW, s16, (((int32_t(a) * int32_t(b)) >> 14) + 1) >> 1)
// compares
PVX_LANE_OP(CmpEqB, u8, a == b ? 0xFF : 0)
PVX_LANE_OP(CmpEqW, u16, a == b ? 0xFFFF : 0)
PVX_LANE_OP(CmpEqD, u32, a == b ? ~0u : 0)
PVX_LANE_OP(CmpEqQ, u64, a == b ? ~0ull : 0)
PVX_LANE_OP(CmpGtB, s8, a > b ? -1 : 0)
PVX_LANE_OP(CmpGtW, s16, a > b ? -1 : 0)
PVX_LANE_OP(CmpGtD, s32, a > b ? -1 : 0)
PVX_LANE_OP(CmpGtQ, s64, a > b ? -1 : 0)
// logic
PVX_LANE_OP(And, u64, a & b)
PVX_LANE_OP(AndN, u64, ~a & b)
PVX_LANE_OP(Or, u64, a | b)
PVX_LANE_OP(Xor, u64, a ^ b)
// averages (rounded up), min/max
PVX_LANE_OP(AvgB, u8, (unsigned(a) + unsigned(b) + 1) >> 1)
PVX_LANE_OP(AvgW, u16, (unsigned(a) + unsigned(b) + 1) >> 1)
PVX_LANE_OP(MinUB, u8, a < b ? a : b)
PVX_LANE_OP(MaxUB, u8, a > b ? a : b)
PVX_LANE_OP(MinSW, s16, a < b ? a : b)
PVX_LANE_OP(MaxSW, s16, a > b ? a : b)
PVX_LANE_OP(MinSB, s8, a < b ? a : b)
PVX_LANE_OP(MaxSB, s8, a > b ? a : b)
PVX_LANE_OP(MinSD, s32, a < b ? a : b)
PVX_LANE_OP(MaxSD, s32, a > b ? a : b)
PVX_LANE_OP(MinUW, u16, a < b ? a : b)
PVX_LANE_OP(MaxUW, u16, a > b ? a : b)
PVX_LANE_OP(MinUD, u32, a < b ? a : b)
PVX_LANE_OP(MaxUD, u32, a > b ? a : b)
// PSIGN: negate, zero or keep the destination by the source's sign; PABS: |source| (the
// minimum value stays as is, unsigned)
PVX_LANE_OP(SignB, s8, b < 0 ? -int(a) : b == 0 ? 0 : a)
PVX_LANE_OP(SignW, s16, b < 0 ? -int(a) : b == 0 ? 0 : a)
PVX_LANE_OP(SignD, s32, b < 0 ? int32_t(0u - uint32_t(a)) : b == 0 ? 0 : a)
PVX_LANE_OP(AbsB, u8, int8_t(b) < 0 ? 0u - b : b)
PVX_LANE_OP(AbsW, u16, int16_t(b) < 0 ? 0u - b : b)
PVX_LANE_OP(AbsD, u32, int32_t(b) < 0 ? 0u - b : b)
#undef PVX_LANE_OP

}  // namespace pvx::cpu::pk
