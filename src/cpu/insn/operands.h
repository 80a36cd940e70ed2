// Operand access helpers shared by the handler templates. T is the operand type (uint8_t for
// byte forms, whose register numbers are byte offsets into the GPR file); M selects the memory
// form at compile time, so the register form carries no memory-path code.
#pragma once
#include <type_traits>

#include "cpu/cpu.h"

namespace pvx::cpu {

template <typename T> inline T getR(const Cpu& c, unsigned r) {
    if constexpr (sizeof(T) == 1) return c.reg8(r);
    else return c.reg<T>(r);
}
template <typename T> inline void setR(Cpu& c, unsigned r, T v) {
    if constexpr (sizeof(T) == 1) c.setReg8(r, v);
    else c.setReg<T>(r, v);
}

// A memory operand resolved once for read-modify-write: the write permission is checked up
// front so a fault leaves memory and registers untouched.
struct MemRef {
    uint64_t lin;
    bool user;
};
template <typename T> inline MemRef rmwRef(Cpu& c, const DecodedInsn& i) {
    return MemRef{c.rmwLinear<T>(i.seg, c.effectiveAddress(i)), c.cpl == 3};
}

template <typename T, bool M> inline T readE(Cpu& c, const DecodedInsn& i) {
    if constexpr (M) return c.read<T>(i.seg, c.effectiveAddress(i));
    else return getR<T>(c, i.rm);
}
template <typename T, bool M> inline void writeE(Cpu& c, const DecodedInsn& i, T v) {
    if constexpr (M) c.write<T>(i.seg, c.effectiveAddress(i), v);
    else setR<T>(c, i.rm, v);
}

template <typename T> constexpr unsigned bitsOf() { return sizeof(T) * 8; }
template <typename T> using SignedOf = std::make_signed_t<T>;

inline uint32_t flagsMerge(uint32_t oszapc, uint32_t set, uint32_t clear) { return (oszapc | set) & ~clear; }

}  // namespace pvx::cpu
