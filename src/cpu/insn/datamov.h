// Data movement: MOV forms, XCHG, MOVZX/MOVSX/MOVSXD, LEA, CMOVcc/SETcc, BSWAP, XADD, CMPXCHG,
// CBW/CWD families, LAHF/SAHF, XLAT, far-pointer loads (SDM Vol.2).
#pragma once
#include "cpu/insn/operands.h"

namespace pvx::cpu {

template <typename T, bool M> void mov_EG(Cpu& c, const DecodedInsn& i) { writeE<T, M>(c, i, getR<T>(c, i.reg)); }
template <typename T, bool M> void mov_GE(Cpu& c, const DecodedInsn& i) { setR<T>(c, i.reg, readE<T, M>(c, i)); }
template <typename T, bool M> void mov_EI(Cpu& c, const DecodedInsn& i) { writeE<T, M>(c, i, static_cast<T>(i.imm)); }
template <typename T, bool M> void mov_RI(Cpu& c, const DecodedInsn& i) { setR<T>(c, i.rm, static_cast<T>(i.imm)); }
template <typename T, bool M, bool STORE> void mov_AccMoffs(Cpu& c, const DecodedInsn& i) {
    if constexpr (STORE) c.write<T>(i.seg, i.imm, getR<T>(c, RAX));
    else setR<T>(c, RAX, c.read<T>(i.seg, i.imm));
}
template <typename T> void lea(Cpu& c, const DecodedInsn& i) { c.setReg<T>(i.reg, static_cast<T>(c.effectiveAddress(i))); }

template <typename T, bool M> void xchg_EG(Cpu& c, const DecodedInsn& i) {
    const T g = getR<T>(c, i.reg);
    if constexpr (M) {
        MemRef m = rmwRef<T>(c, i);
        T v = c.readLin<T>(m.lin, m.user);
        c.writeLin<T>(m.lin, g, m.user);
        setR<T>(c, i.reg, v);
    } else {
        setR<T>(c, i.reg, getR<T>(c, i.rm));
        setR<T>(c, i.rm, g);
    }
}
// XCHG r, eAX. Opcode 0x90 without REX.B is NOP (also in 64-bit mode: no zero-extension).
template <typename T> void xchg_RA(Cpu& c, const DecodedInsn& i) {
    if (i.rm == RAX) return;
    T a = c.reg<T>(RAX);
    c.setReg<T>(RAX, c.reg<T>(i.rm));
    c.setReg<T>(i.rm, a);
}

template <typename T> void cbw(Cpu& c, const DecodedInsn&) {
    if constexpr (sizeof(T) == 2) c.setReg<uint16_t>(RAX, static_cast<uint16_t>(static_cast<int8_t>(c.gpr[RAX])));
    else if constexpr (sizeof(T) == 4) c.setReg<uint32_t>(RAX, static_cast<uint32_t>(static_cast<int16_t>(c.gpr[RAX])));
    else c.gpr[RAX] = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(c.gpr[RAX])));
}
template <typename T> void cwd(Cpu& c, const DecodedInsn&) {
    using ST = SignedOf<T>;
    c.setReg<T>(RDX, static_cast<ST>(c.reg<T>(RAX)) < 0 ? static_cast<T>(~T(0)) : T(0));
}

template <typename T, bool M, typename SRC, bool SIGN> void movx_GE(Cpu& c, const DecodedInsn& i) {
    SRC v = readE<SRC, M>(c, i);
    if constexpr (SIGN) c.setReg<T>(i.reg, static_cast<T>(static_cast<SignedOf<T>>(static_cast<SignedOf<SRC>>(v))));
    else c.setReg<T>(i.reg, static_cast<T>(v));
}
template <typename T, bool M> void movsxd_GE(Cpu& c, const DecodedInsn& i) {
    if constexpr (sizeof(T) == 8) {
        c.gpr[i.reg] = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(readE<uint32_t, M>(c, i))));
    } else {
        // Without REX.W, MOVSXD is a plain 16/32-bit move.
        c.setReg<T>(i.reg, readE<T, M>(c, i));
    }
}

template <typename T, bool M> void cmov(Cpu& c, const DecodedInsn& i) {
    T v = readE<T, M>(c, i);  // the source is read (and may fault) even when the condition fails
    if (c.lf.cond(i.opcode & 0xF)) c.setReg<T>(i.reg, v);
    else if constexpr (sizeof(T) == 4) c.setReg<T>(i.reg, c.reg<T>(i.reg));  // 32-bit: upper half cleared anyway
}
template <typename T, bool M> void setcc(Cpu& c, const DecodedInsn& i) { writeE<uint8_t, M>(c, i, c.lf.cond(i.opcode & 0xF) ? 1 : 0); }

template <typename T> void bswap(Cpu& c, const DecodedInsn& i) {
    if constexpr (sizeof(T) == 2) c.setReg<uint16_t>(i.rm, 0);  // undefined; hardware gives 0
    else if constexpr (sizeof(T) == 4) c.setReg<uint32_t>(i.rm, __builtin_bswap32(c.reg<uint32_t>(i.rm)));
    else c.gpr[i.rm] = __builtin_bswap64(c.gpr[i.rm]);
}

template <typename T, bool M> void xadd(Cpu& c, const DecodedInsn& i) {
    const T g = getR<T>(c, i.reg);
    if constexpr (M) {
        MemRef m = rmwRef<T>(c, i);
        T d = c.readLin<T>(m.lin, m.user);
        T r = static_cast<T>(d + g);
        c.writeLin<T>(m.lin, r, m.user);
        setR<T>(c, i.reg, d);
        c.lf.set(FlagOp::Add, sizeof(T), r, d, g);
    } else {
        T d = getR<T>(c, i.rm);
        T r = static_cast<T>(d + g);
        setR<T>(c, i.reg, d);
        setR<T>(c, i.rm, r);
        c.lf.set(FlagOp::Add, sizeof(T), r, d, g);
    }
}

// CMPXCHG: compare accumulator with destination (SDM Vol.2: the destination is written in both
// cases for the memory form, so a read-only page faults even when the compare fails).
template <typename T, bool M> void cmpxchg(Cpu& c, const DecodedInsn& i) {
    const T acc = getR<T>(c, RAX);
    T d;
    MemRef m{};
    if constexpr (M) {
        m = rmwRef<T>(c, i);
        d = c.readLin<T>(m.lin, m.user);
    } else {
        d = getR<T>(c, i.rm);
    }
    c.lf.set(FlagOp::Sub, sizeof(T), static_cast<T>(acc - d), acc, d);
    if (acc == d) {
        if constexpr (M) c.writeLin<T>(m.lin, getR<T>(c, i.reg), m.user);
        else setR<T>(c, i.rm, getR<T>(c, i.reg));
    } else {
        if constexpr (M) c.writeLin<T>(m.lin, d, m.user);
        setR<T>(c, RAX, d);
    }
}

inline void lahf(Cpu& c, const DecodedInsn&) { c.setReg8(1, static_cast<uint8_t>(c.getFlags() | 2)); }
inline void sahf(Cpu& c, const DecodedInsn&) {
    uint32_t f = c.lf.get() & ~(kSF | kZF | kAF | kPF | kCF);
    f |= c.reg8(1) & (kSF | kZF | kAF | kPF | kCF);
    c.lf.setEager(f);
}
inline void xlat(Cpu& c, const DecodedInsn& i) {
    uint64_t ea = c.gpr[RBX] + (c.gpr[RAX] & 0xFF);
    if (i.asz == 4) ea = static_cast<uint32_t>(ea);
    else if (i.asz == 2) ea = static_cast<uint16_t>(ea);
    c.setReg8(0, c.read<uint8_t>(i.seg, ea));
}
inline void misc_SALC(Cpu& c, const DecodedInsn&) { c.setReg8(0, c.lf.cf() ? 0xFF : 0); }

// CMC/CLC/STC/CLD/STD
template <int K> void flag_op(Cpu& c, const DecodedInsn&) {
    if constexpr (K <= 2) {
        uint32_t f = c.lf.get();
        if constexpr (K == 0) f ^= kCF;
        else if constexpr (K == 1) f &= ~kCF;
        else f |= kCF;
        c.lf.setEager(f);
    } else if constexpr (K == 3) {
        c.eflags &= ~kDF;
    } else {
        c.eflags |= kDF;
    }
}
inline void nop(Cpu&, const DecodedInsn&) {}

// CMPXCHG8B / CMPXCHG16B (REX.W) m64/m128.
inline void cmpxchg8b16b(Cpu& c, const DecodedInsn& i) {
    uint64_t ea = c.effectiveAddress(i);
    uint32_t f = c.lf.get();
    if (i.osz == 8) {
        if (ea & 15) raise(kVecGP, 0);  // SDM: CMPXCHG16B needs 16-byte alignment
        uint64_t lin = c.rmwLinear<uint64_t>(i.seg, ea);
        c.probeWrite(lin, 16, c.cpl == 3);
        bool user = c.cpl == 3;
        uint64_t lo = c.readLin<uint64_t>(lin, user), hi = c.readLin<uint64_t>(lin + 8, user);
        if (lo == c.gpr[RAX] && hi == c.gpr[RDX]) {
            c.writeLin<uint64_t>(lin, c.gpr[RBX], user);
            c.writeLin<uint64_t>(lin + 8, c.gpr[RCX], user);
            f |= kZF;
        } else {
            c.writeLin<uint64_t>(lin, lo, user);
            c.writeLin<uint64_t>(lin + 8, hi, user);
            c.gpr[RAX] = lo;
            c.gpr[RDX] = hi;
            f &= ~kZF;
        }
    } else {
        uint64_t lin = c.rmwLinear<uint64_t>(i.seg, ea);
        bool user = c.cpl == 3;
        uint64_t v = c.readLin<uint64_t>(lin, user);
        uint64_t cmp = (c.gpr[RDX] << 32) | static_cast<uint32_t>(c.gpr[RAX]);
        if (v == cmp) {
            c.writeLin<uint64_t>(lin, (c.gpr[RCX] << 32) | static_cast<uint32_t>(c.gpr[RBX]), user);
            f |= kZF;
        } else {
            c.writeLin<uint64_t>(lin, v, user);
            c.setReg<uint32_t>(RAX, static_cast<uint32_t>(v));
            c.setReg<uint32_t>(RDX, static_cast<uint32_t>(v >> 32));
            f &= ~kZF;
        }
    }
    c.lf.setEager(f);
}

// LES/LDS/LSS/LFS/LGS r, m16:16/32/64
template <typename T, bool M, unsigned SEG> void load_far_ptr(Cpu& c, const DecodedInsn& i) {
    uint64_t ea = c.effectiveAddress(i);
    T off = c.read<T>(i.seg, ea);
    uint64_t selEa = ea + sizeof(T);
    if (i.asz == 4) selEa = static_cast<uint32_t>(selEa);
    else if (i.asz == 2) selEa = static_cast<uint16_t>(selEa);
    uint16_t sel = c.read<uint16_t>(i.seg, selEa);
    c.loadSegment(SEG, sel);
    c.setReg<T>(i.reg, off);
}

}  // namespace pvx::cpu
