// Bit test/scan/count: BT/BTS/BTR/BTC, BSF/BSR, POPCNT (SDM Vol.2).
#pragma once
#include "cpu/insn/operands.h"

namespace pvx::cpu {

enum class BitOp { Bt, Bts, Btr, Btc };

template <BitOp OP, typename T> inline T bitApply(Cpu& c, T v, unsigned bit) {
    const T mask = static_cast<T>(T(1) << bit);
    // CF = the selected bit; OF/SF/AF/PF undefined (kept), ZF unaffected.
    uint32_t f = c.lf.get();
    f = (v & mask) ? (f | kCF) : (f & ~kCF);
    c.lf.setEager(f);
    if constexpr (OP == BitOp::Bts) return v | mask;
    else if constexpr (OP == BitOp::Btr) return v & static_cast<T>(~mask);
    else if constexpr (OP == BitOp::Btc) return v ^ mask;
    else return v;
}

// BT* E, G: with a memory operand the bit offset is a signed displacement into a bit string
// (SDM Vol.2 "BT": bit base addressing).
template <typename T, bool M, BitOp OP> void bit_EG(Cpu& c, const DecodedInsn& i) {
    constexpr unsigned B = bitsOf<T>();
    const T off = c.reg<T>(i.reg);
    if constexpr (M) {
        using ST = SignedOf<T>;
        int64_t soff = static_cast<ST>(off);
        int64_t byteDisp = (soff >> (B == 16 ? 4 : B == 32 ? 5 : 6)) * static_cast<int64_t>(sizeof(T));
        uint64_t ea = c.effectiveAddress(i) + static_cast<uint64_t>(byteDisp);
        if (i.asz == 4) ea = static_cast<uint32_t>(ea);
        else if (i.asz == 2) ea = static_cast<uint16_t>(ea);
        unsigned bit = static_cast<unsigned>(off & (B - 1));
        if constexpr (OP == BitOp::Bt) {
            bitApply<OP, T>(c, c.read<T>(i.seg, ea), bit);
        } else {
            uint64_t lin = c.rmwLinear<T>(i.seg, ea);
            bool user = c.cpl == 3;
            c.writeLin<T>(lin, bitApply<OP, T>(c, c.readLin<T>(lin, user), bit), user);
        }
    } else {
        T r = bitApply<OP, T>(c, c.reg<T>(i.rm), static_cast<unsigned>(off & (B - 1)));
        if constexpr (OP != BitOp::Bt) c.setReg<T>(i.rm, r);
    }
}
template <typename T, bool M, BitOp OP> void bit_EI(Cpu& c, const DecodedInsn& i) {
    const unsigned bit = static_cast<unsigned>(i.imm & (bitsOf<T>() - 1));
    if constexpr (M) {
        if constexpr (OP == BitOp::Bt) {
            bitApply<OP, T>(c, readE<T, true>(c, i), bit);
        } else {
            MemRef m = rmwRef<T>(c, i);
            c.writeLin<T>(m.lin, bitApply<OP, T>(c, c.readLin<T>(m.lin, m.user), bit), m.user);
        }
    } else {
        T r = bitApply<OP, T>(c, c.reg<T>(i.rm), bit);
        if constexpr (OP != BitOp::Bt) c.setReg<T>(i.rm, r);
    }
}

// BSF/BSR: ZF=1 and destination unchanged when the source is 0 (what Intel and AMD hardware do;
// the SDM calls the destination undefined).
template <typename T, bool M, bool REVERSE> void bitscan(Cpu& c, const DecodedInsn& i) {
    const T v = readE<T, M>(c, i);
    uint32_t f = c.lf.get() & ~kZF;
    if (v == 0) {
        c.lf.setEager(f | kZF);
        return;
    }
    unsigned r = REVERSE ? 63 - __builtin_clzll(static_cast<uint64_t>(v)) : __builtin_ctzll(static_cast<uint64_t>(v));
    c.setReg<T>(i.reg, static_cast<T>(r));
    c.lf.setEager(f);
}

template <typename T, bool M> void popcnt(Cpu& c, const DecodedInsn& i) {
    if (!(i.flags & DecodedInsn::kRep)) {  // 0F B8 without F3 is JMPE (IA-64 only): #UD
        raise(kVecUD);
    }
    const T v = readE<T, M>(c, i);
    c.setReg<T>(i.reg, static_cast<T>(__builtin_popcountll(static_cast<uint64_t>(v))));
    c.lf.setEager(v == 0 ? kZF : 0);
}

}  // namespace pvx::cpu
