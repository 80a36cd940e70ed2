// Shifts and rotates: ROL/ROR/RCL/RCR/SHL/SHR/SAR and SHLD/SHRD (SDM Vol.2 "SAL/SAR/SHL/SHR",
// "RCL/RCR/ROL/ROR", "SHLD", "SHRD"). Flags are computed eagerly: these are rare enough.
#pragma once
#include "cpu/insn/operands.h"

namespace pvx::cpu {

enum class ShiftOp { Rol, Ror, Rcl, Rcr, Shl, Shr, Sar };
enum class ShiftCount { Imm, One, Cl };

template <typename T> inline uint32_t szpFlags(T r) {
    uint32_t f = 0;
    if (r == 0) f |= kZF;
    if (r >> (bitsOf<T>() - 1)) f |= kSF;
    if (!__builtin_parity(static_cast<unsigned>(r & 0xFF))) f |= kPF;
    return f;
}

template <ShiftCount CNT> inline unsigned shiftCount(const Cpu& c, const DecodedInsn& i) {
    if constexpr (CNT == ShiftCount::Imm) return static_cast<unsigned>(i.imm & 0xFF);
    else if constexpr (CNT == ShiftCount::One) return 1;
    else return static_cast<unsigned>(c.gpr[RCX] & 0xFF);
}

// Returns the result; updates flags. `cnt` is already masked and non-zero.
template <ShiftOp OP, typename T> inline T shiftCompute(Cpu& c, T v, unsigned cnt) {
    constexpr unsigned B = bitsOf<T>();
    const T msb = static_cast<T>(T(1) << (B - 1));
    uint32_t f = c.lf.get();
    T r;
    bool cf;
    if constexpr (OP == ShiftOp::Shl) {
        r = cnt >= B ? 0 : static_cast<T>(v << cnt);
        cf = cnt <= B ? (v >> (B - cnt)) & 1 : 0;
        bool of = ((r & msb) != 0) != cf;  // defined for count 1
        c.lf.setEager(szpFlags(r) | (cf ? kCF : 0) | (of ? kOF : 0));
        return r;
    } else if constexpr (OP == ShiftOp::Shr) {
        r = cnt >= B ? 0 : static_cast<T>(v >> cnt);
        cf = cnt <= B ? (v >> (cnt - 1)) & 1 : 0;
        bool of = (v & msb) != 0;  // count 1: the original MSB
        c.lf.setEager(szpFlags(r) | (cf ? kCF : 0) | (of ? kOF : 0));
        return r;
    } else if constexpr (OP == ShiftOp::Sar) {
        using ST = SignedOf<T>;
        unsigned s = cnt >= B ? B - 1 : cnt;
        r = static_cast<T>(static_cast<ST>(v) >> s);
        cf = (static_cast<ST>(v) >> (cnt >= B ? B - 1 : cnt - 1)) & 1;
        c.lf.setEager(szpFlags(r) | (cf ? kCF : 0));
        return r;
    } else if constexpr (OP == ShiftOp::Rol) {
        unsigned s = cnt % B;
        r = s ? static_cast<T>((v << s) | (v >> (B - s))) : v;
        cf = r & 1;
        bool of = ((r & msb) != 0) != cf;
        f = (f & ~(kCF | kOF)) | (cf ? kCF : 0) | (of ? kOF : 0);
        c.lf.setEager(f);
        return r;
    } else if constexpr (OP == ShiftOp::Ror) {
        unsigned s = cnt % B;
        r = s ? static_cast<T>((v >> s) | (v << (B - s))) : v;
        cf = (r & msb) != 0;
        bool of = ((r >> (B - 1)) ^ (r >> (B - 2))) & 1;
        f = (f & ~(kCF | kOF)) | (cf ? kCF : 0) | (of ? kOF : 0);
        c.lf.setEager(f);
        return r;
    } else {
        // RCL/RCR rotate through CF: a (B+1)-bit rotation. 8/16-bit counts are taken mod 9/17.
        unsigned s = B < 32 ? cnt % (B + 1) : cnt;
        bool carry = f & kCF;
        r = v;
        for (unsigned k = 0; k < s; ++k) {  // at most 63 steps; rare instruction
            if constexpr (OP == ShiftOp::Rcl) {
                bool out = (r & msb) != 0;
                r = static_cast<T>((r << 1) | (carry ? 1 : 0));
                carry = out;
            } else {
                bool out = r & 1;
                r = static_cast<T>((r >> 1) | (carry ? msb : 0));
                carry = out;
            }
        }
        bool of;
        if constexpr (OP == ShiftOp::Rcl) of = ((r & msb) != 0) != carry;
        else of = ((r >> (B - 1)) ^ (r >> (B - 2))) & 1;
        f = (f & ~(kCF | kOF)) | (carry ? kCF : 0) | (of ? kOF : 0);
        c.lf.setEager(f);
        return r;
    }
}

template <typename T, bool M, ShiftOp OP, ShiftCount CNT> void shift_E(Cpu& c, const DecodedInsn& i) {
    unsigned cnt = shiftCount<CNT>(c, i) & (sizeof(T) == 8 ? 63 : 31);
    if constexpr (M) {
        MemRef m = rmwRef<T>(c, i);
        T v = c.readLin<T>(m.lin, m.user);
        if (cnt == 0) return;  // count 0: flags and operand unchanged
        c.writeLin<T>(m.lin, shiftCompute<OP, T>(c, v, cnt), m.user);
    } else {
        // A masked count of 0 changes no flags, but a 32-bit register destination is still
        // written, so bits 63:32 are cleared (SDM Vol.1 3.4.1.1).
        if (cnt == 0) {
            if constexpr (sizeof(T) == 4) setR<T>(c, i.rm, getR<T>(c, i.rm));
            return;
        }
        setR<T>(c, i.rm, shiftCompute<OP, T>(c, getR<T>(c, i.rm), cnt));
    }
}

// SHLD/SHRD E, G, count. For 16-bit operands a count above 16 gives an undefined result; pvx
// shifts through the 32-bit concatenation like common hardware does.
template <typename T, bool M, bool LEFT, ShiftCount CNT> void shiftd(Cpu& c, const DecodedInsn& i) {
    constexpr unsigned B = bitsOf<T>();
    unsigned cnt = shiftCount<CNT>(c, i) & (B == 64 ? 63 : 31);
    MemRef m{};
    T dst;
    if constexpr (M) {
        m = rmwRef<T>(c, i);
        dst = c.readLin<T>(m.lin, m.user);
    } else {
        dst = c.reg<T>(i.rm);
    }
    if (cnt == 0) {
        if constexpr (!M && sizeof(T) == 4) c.setReg<T>(i.rm, dst);  // zero-extends, as above
        return;
    }
    const T src = c.reg<T>(i.reg);
    T r;
    bool cf;
    if constexpr (B == 16) {
        uint64_t w = LEFT ? (uint64_t(dst) << 48) | (uint64_t(src) << 32) | (uint64_t(dst) << 16)
                          : (uint64_t(dst) << 32) | (uint64_t(src) << 16) | dst;
        if (LEFT) {
            r = static_cast<T>((w << cnt) >> 48);
            cf = (w >> (64 - cnt)) & 1;
        } else {
            r = static_cast<T>(w >> cnt);
            cf = (w >> (cnt - 1)) & 1;
        }
    } else {
        if (LEFT) {
            r = static_cast<T>((dst << cnt) | (src >> (B - cnt)));
            cf = (dst >> (B - cnt)) & 1;
        } else {
            r = static_cast<T>((dst >> cnt) | (src << (B - cnt)));
            cf = (dst >> (cnt - 1)) & 1;
        }
    }
    bool of = ((r ^ dst) >> (B - 1)) & 1;  // sign change (defined for count 1)
    c.lf.setEager(szpFlags(r) | (cf ? kCF : 0) | (of ? kOF : 0));
    if constexpr (M) c.writeLin<T>(m.lin, r, m.user);
    else c.setReg<T>(i.rm, r);
}

}  // namespace pvx::cpu
