// Integer arithmetic and logic: ADD..CMP, TEST, INC/DEC, NOT/NEG, MUL/IMUL/DIV/IDIV
// (SDM Vol.2 instruction pages; flags per Vol.1 Appendix A).
#pragma once
#include "cpu/insn/operands.h"

namespace pvx::cpu {

enum class AluOp { Add, Or, Adc, Sbb, And, Sub, Xor, Cmp, Test };
enum class UnaryOp { Not, Neg, Inc, Dec };
enum class MulDivOp { Mul, Imul, Div, Idiv };
enum class ImulSrc { None, Imm };

template <AluOp OP, typename T> inline T aluCompute(Cpu& c, T a, T b) {
    constexpr unsigned S = sizeof(T);
    T r;
    if constexpr (OP == AluOp::Add) {
        r = static_cast<T>(a + b);
        c.lf.set(FlagOp::Add, S, r, a, b);
    } else if constexpr (OP == AluOp::Adc) {
        const bool cf = c.lf.cf();
        r = static_cast<T>(a + b + cf);
        c.lf.set(cf ? FlagOp::Adc : FlagOp::Add, S, r, a, b);
    } else if constexpr (OP == AluOp::Sub || OP == AluOp::Cmp) {
        r = static_cast<T>(a - b);
        c.lf.set(FlagOp::Sub, S, r, a, b);
    } else if constexpr (OP == AluOp::Sbb) {
        const bool cf = c.lf.cf();
        r = static_cast<T>(a - b - cf);
        c.lf.set(cf ? FlagOp::Sbb : FlagOp::Sub, S, r, a, b);
    } else if constexpr (OP == AluOp::And || OP == AluOp::Test) {
        r = a & b;
        c.lf.set(FlagOp::Logic, S, r, 0, 0);
    } else if constexpr (OP == AluOp::Or) {
        r = a | b;
        c.lf.set(FlagOp::Logic, S, r, 0, 0);
    } else {
        r = a ^ b;
        c.lf.set(FlagOp::Logic, S, r, 0, 0);
    }
    return r;
}
template <AluOp OP> constexpr bool aluWrites() { return OP != AluOp::Cmp && OP != AluOp::Test; }

// op E, G
template <typename T, bool M, AluOp OP> void alu_EG(Cpu& c, const DecodedInsn& i) {
    const T src = getR<T>(c, i.reg);
    if constexpr (M) {
        if constexpr (aluWrites<OP>()) {
            MemRef m = rmwRef<T>(c, i);
            T r = aluCompute<OP, T>(c, c.readLin<T>(m.lin, m.user), src);
            c.writeLin<T>(m.lin, r, m.user);
        } else {
            aluCompute<OP, T>(c, readE<T, true>(c, i), src);
        }
    } else {
        T r = aluCompute<OP, T>(c, getR<T>(c, i.rm), src);
        if constexpr (aluWrites<OP>()) setR<T>(c, i.rm, r);
    }
}
// op G, E
template <typename T, bool M, AluOp OP> void alu_GE(Cpu& c, const DecodedInsn& i) {
    T r = aluCompute<OP, T>(c, getR<T>(c, i.reg), readE<T, M>(c, i));
    if constexpr (aluWrites<OP>()) setR<T>(c, i.reg, r);
}
// op AL/eAX, imm
template <typename T, bool M, AluOp OP> void alu_AccI(Cpu& c, const DecodedInsn& i) {
    T r = aluCompute<OP, T>(c, c.reg<T>(RAX), static_cast<T>(i.imm));
    if constexpr (aluWrites<OP>()) c.setReg<T>(RAX, r);
}
// op E, imm
template <typename T, bool M, AluOp OP> void alu_EI(Cpu& c, const DecodedInsn& i) {
    const T src = static_cast<T>(i.imm);
    if constexpr (M) {
        if constexpr (aluWrites<OP>()) {
            MemRef m = rmwRef<T>(c, i);
            T r = aluCompute<OP, T>(c, c.readLin<T>(m.lin, m.user), src);
            c.writeLin<T>(m.lin, r, m.user);
        } else {
            aluCompute<OP, T>(c, readE<T, true>(c, i), src);
        }
    } else {
        T r = aluCompute<OP, T>(c, getR<T>(c, i.rm), src);
        if constexpr (aluWrites<OP>()) setR<T>(c, i.rm, r);
    }
}

template <UnaryOp OP, typename T> inline T unaryCompute(Cpu& c, T v) {
    constexpr unsigned S = sizeof(T);
    if constexpr (OP == UnaryOp::Not) {
        return static_cast<T>(~v);  // flags unaffected
    } else if constexpr (OP == UnaryOp::Neg) {
        T r = static_cast<T>(0 - v);
        c.lf.set(FlagOp::Sub, S, r, 0, v);  // CF = (v != 0), as 0 - v borrows
        return r;
    } else if constexpr (OP == UnaryOp::Inc) {
        const bool cf = c.lf.cf();
        T r = static_cast<T>(v + 1);
        c.lf.set(FlagOp::Inc, S, r, v, cf);
        return r;
    } else {
        const bool cf = c.lf.cf();
        T r = static_cast<T>(v - 1);
        c.lf.set(FlagOp::Dec, S, r, v, cf);
        return r;
    }
}
template <typename T, bool M, UnaryOp OP> void unary_E(Cpu& c, const DecodedInsn& i) {
    if constexpr (M) {
        MemRef m = rmwRef<T>(c, i);
        c.writeLin<T>(m.lin, unaryCompute<OP, T>(c, c.readLin<T>(m.lin, m.user)), m.user);
    } else {
        setR<T>(c, i.rm, unaryCompute<OP, T>(c, getR<T>(c, i.rm)));
    }
}
// INC/DEC r16/r32 (0x40-0x4F outside 64-bit mode)
template <typename T, bool INC> void incdec_R(Cpu& c, const DecodedInsn& i) {
    c.setReg<T>(i.rm, unaryCompute<INC ? UnaryOp::Inc : UnaryOp::Dec, T>(c, c.reg<T>(i.rm)));
}

// MUL/IMUL (one operand) and DIV/IDIV: AL/AX/EAX/RAX with AH/DX/EDX/RDX.
template <typename T, bool M, MulDivOp OP> void muldiv_E(Cpu& c, const DecodedInsn& i) {
    constexpr unsigned S = sizeof(T), B = bitsOf<T>();
    const T src = readE<T, M>(c, i);
    using W = std::conditional_t<S == 8, unsigned __int128, std::conditional_t<S == 4, uint64_t, uint32_t>>;
    using SW = std::conditional_t<S == 8, __int128, std::conditional_t<S == 4, int64_t, int32_t>>;
    using ST = SignedOf<T>;
    auto lo = [&]() -> T { return S == 1 ? static_cast<T>(c.gpr[RAX]) : c.reg<T>(RAX); };
    auto hi = [&]() -> T { return S == 1 ? static_cast<T>(c.gpr[RAX] >> 8) : c.reg<T>(RDX); };
    auto store = [&](T l, T h) {
        if constexpr (S == 1) c.setReg<uint16_t>(RAX, static_cast<uint16_t>(l | (uint16_t(h) << 8)));
        else {
            c.setReg<T>(RAX, l);
            c.setReg<T>(RDX, h);
        }
    };
    if constexpr (OP == MulDivOp::Mul || OP == MulDivOp::Imul) {
        W full;
        bool overflow;
        if constexpr (OP == MulDivOp::Mul) {
            full = static_cast<W>(lo()) * static_cast<W>(src);
            overflow = (full >> B) != 0;
        } else {
            SW p = static_cast<SW>(static_cast<ST>(lo())) * static_cast<SW>(static_cast<ST>(src));
            full = static_cast<W>(p);
            overflow = p != static_cast<SW>(static_cast<ST>(static_cast<T>(p)));
        }
        T l = static_cast<T>(full), h = static_cast<T>(full >> B);
        store(l, h);
        // CF=OF=overflow; SF/ZF/AF/PF are undefined (SDM): pvx derives SF/ZF/PF from the low half.
        uint32_t f = (overflow ? (kCF | kOF) : 0);
        if (l & (T(1) << (B - 1))) f |= kSF;
        if (l == 0) f |= kZF;
        if (!__builtin_parity(static_cast<unsigned>(l & 0xFF))) f |= kPF;
        c.lf.setEager(f);
    } else {
        if (src == 0) raise(kVecDE);
        W dividend = (static_cast<W>(hi()) << B) | lo();
        if constexpr (OP == MulDivOp::Div) {
            W q = dividend / src;
            if (q >> B) raise(kVecDE);
            store(static_cast<T>(q), static_cast<T>(dividend % src));
        } else {
            // The dividend is a signed 2B-bit value (AX for byte IDIV, which W holds in 32 bits).
            constexpr unsigned sh = sizeof(W) * 8 - 2 * B;
            auto sext = [](W x) { return static_cast<SW>(static_cast<SW>(x << sh) >> sh); };
            SW sd = sext(dividend);
            SW sv = static_cast<ST>(src);
            // INT_MIN / -1 overflows the host too: check before dividing.
            if (sv == -1 && sd == sext(static_cast<W>(1) << (2 * B - 1))) raise(kVecDE);
            SW q = sd / sv, r = sd % sv;
            if (q != static_cast<SW>(static_cast<ST>(static_cast<T>(q)))) raise(kVecDE);
            store(static_cast<T>(q), static_cast<T>(r));
        }
        // Flags undefined after DIV/IDIV: left unchanged.
    }
}

// IMUL r, r/m (, imm): truncated signed product, CF=OF when it does not fit.
template <typename T, bool M, ImulSrc SRC> void imul_GE(Cpu& c, const DecodedInsn& i) {
    using ST = SignedOf<T>;
    using SW = std::conditional_t<sizeof(T) == 8, __int128, int64_t>;
    ST a = static_cast<ST>(readE<T, M>(c, i));
    ST b = SRC == ImulSrc::Imm ? static_cast<ST>(static_cast<T>(i.imm)) : static_cast<ST>(c.reg<T>(i.reg));
    SW p = static_cast<SW>(a) * static_cast<SW>(b);
    T r = static_cast<T>(p);
    bool overflow = p != static_cast<SW>(static_cast<ST>(r));
    c.setReg<T>(i.reg, r);
    uint32_t f = overflow ? (kCF | kOF) : 0;
    if (r & (T(1) << (bitsOf<T>() - 1))) f |= kSF;
    if (r == 0) f |= kZF;
    if (!__builtin_parity(static_cast<unsigned>(r & 0xFF))) f |= kPF;
    c.lf.setEager(f);
}

}  // namespace pvx::cpu
