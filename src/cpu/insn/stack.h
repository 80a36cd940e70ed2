// PUSH/POP in all forms, PUSHA/POPA, PUSHF/POPF, ENTER/LEAVE (SDM Vol.2; Vol.1 6.2-6.5).
#pragma once
#include "cpu/insn/operands.h"

namespace pvx::cpu {

template <typename T> void push_R(Cpu& c, const DecodedInsn& i) { c.push<T>(c.reg<T>(i.rm)); }
template <typename T> void pop_R(Cpu& c, const DecodedInsn& i) {
    T v = c.pop<T>();
    c.setReg<T>(i.rm, v);
}
template <typename T> void push_I(Cpu& c, const DecodedInsn& i) { c.push<T>(static_cast<T>(i.imm)); }
template <typename T, bool M> void push_E(Cpu& c, const DecodedInsn& i) { c.push<T>(readE<T, M>(c, i)); }
// POP r/m: RSP is incremented before the destination address is computed when it uses RSP
// (SDM Vol.2 "POP"); a faulting destination leaves RSP unchanged.
template <typename T, bool M> void pop_E(Cpu& c, const DecodedInsn& i) {
    T v = c.peek<T>(0);
    if constexpr (M) {
        uint64_t oldRsp = c.gpr[RSP];
        c.setRspSized(c.rspMasked(c.gpr[RSP] + sizeof(T)));
        try {
            c.write<T>(i.seg, c.effectiveAddress(i), v);
        } catch (...) {
            c.gpr[RSP] = oldRsp;
            throw;
        }
    } else {
        c.setRspSized(c.rspMasked(c.gpr[RSP] + sizeof(T)));
        c.setReg<T>(i.rm, v);
    }
}
// PUSH Sreg: with a 32-bit operand size, pvx writes the selector zero-extended (the SDM allows
// a 16-bit write; processors differ).
template <typename T, unsigned SEG> void push_Sreg(Cpu& c, const DecodedInsn&) { c.push<T>(static_cast<T>(c.seg[SEG].sel)); }
template <typename T, unsigned SEG> void pop_Sreg(Cpu& c, const DecodedInsn&) {
    T v = c.peek<T>(0);
    c.loadSegment(SEG, static_cast<uint16_t>(v));
    c.setRspSized(c.rspMasked(c.gpr[RSP] + sizeof(T)));
    if (SEG == SS) c.setInterruptShadow();  // SDM Vol.3A 6.8.3
}

template <typename T> void pusha(Cpu& c, const DecodedInsn&) {
    T sp = c.reg<T>(RSP);
    // Check the whole 8-slot area first so a fault leaves RSP unchanged.
    uint64_t base = c.rspMasked(c.gpr[RSP] - 8 * sizeof(T));
    c.probeWrite(c.linear(SS, base, 8 * sizeof(T), true), 8 * sizeof(T), c.cpl == 3);
    for (unsigned r = 0; r < 8; ++r) c.push<T>(r == RSP ? sp : c.reg<T>(r));
}
template <typename T> void popa(Cpu& c, const DecodedInsn&) {
    T v[8];
    for (unsigned k = 0; k < 8; ++k) v[k] = c.peek<T>(k * sizeof(T));
    // Popped in the order DI, SI, BP, (SP discarded), BX, DX, CX, AX.
    for (unsigned k = 0; k < 8; ++k)
        if (k != 3) c.setReg<T>(7 - k, v[k]);
    c.setRspSized(c.rspMasked(c.gpr[RSP] + 8 * sizeof(T)));
}

// PUSHF/POPF with the IOPL/VM rules (SDM Vol.2 "POPF", Vol.3A 20.2.4 for virtual-8086).
template <typename T> void pushf(Cpu& c, const DecodedInsn&) {
    if (c.mode == Mode::V86 && ((c.eflags & kIOPL) >> 12) < 3) raise(kVecGP, 0);
    uint32_t f = c.getFlags() & ~(kVM | kRF);  // VM and RF are pushed as 0
    c.push<T>(static_cast<T>(f));
}
template <typename T> void popf(Cpu& c, const DecodedInsn&) {
    const unsigned iopl = (c.eflags & kIOPL) >> 12;
    if (c.mode == Mode::V86 && iopl < 3) raise(kVecGP, 0);
    uint32_t v = static_cast<uint32_t>(c.peek<T>(0));
    uint32_t old = c.getFlags();
    uint32_t changeable = kArithFlags | kTF | kDF | kNT | kAC | kID;
    if (c.mode == Mode::Real || c.cpl == 0) changeable |= kIOPL | kIF;
    else if (c.cpl <= iopl) changeable |= kIF;
    if (c.mode == Mode::V86) changeable = (changeable | kIF) & ~kIOPL;
    if (sizeof(T) == 2) changeable &= 0xFFFF;
    uint32_t nf = (old & ~changeable) | (v & changeable);
    nf &= ~(kRF | kVIF | kVIP) | (old & (kVIF | kVIP));  // RF cleared; VIF/VIP kept
    c.setRspSized(c.rspMasked(c.gpr[RSP] + sizeof(T)));
    c.setFlags(nf);
}

template <typename T> void enter(Cpu& c, const DecodedInsn& i) {
    const uint16_t size = static_cast<uint16_t>(i.imm);
    const unsigned level = i.imm2 & 31;
    const unsigned ssz = c.stackAddrSize();
    T frame = 0;
    // Compute everything in locals and commit at the end (restartable on a fault).
    uint64_t sp = c.gpr[RSP];
    uint64_t bp = c.gpr[RBP];
    auto mask = [&](uint64_t v) { return ssz == 8 ? v : ssz == 4 ? static_cast<uint32_t>(v) : static_cast<uint16_t>(v); };
    sp = mask(sp - sizeof(T));
    c.write<T>(SS, sp, static_cast<T>(bp));
    frame = static_cast<T>(sp);
    for (unsigned l = 1; l < level; ++l) {
        bp = mask(bp - sizeof(T));
        T v = c.read<T>(SS, bp);
        sp = mask(sp - sizeof(T));
        c.write<T>(SS, sp, v);
    }
    if (level > 0) {
        sp = mask(sp - sizeof(T));
        c.write<T>(SS, sp, frame);
    }
    uint64_t newSp = mask(sp - size);
    if (size) c.probeWrite(c.linear(SS, newSp, 1, true), 1, c.cpl == 3);
    c.setReg<T>(RBP, frame);
    c.setRspSized(newSp);
}
template <typename T> void leave(Cpu& c, const DecodedInsn&) {
    uint64_t bp = c.rspMasked(c.gpr[RBP]);
    T v = c.read<T>(SS, bp);
    c.setRspSized(bp + sizeof(T));
    c.setReg<T>(RBP, v);
}

}  // namespace pvx::cpu
