// Near control transfer: Jcc, JMP, CALL, RET, LOOP/JCXZ; far transfers and software interrupts
// delegate to Cpu (cpu/far_transfer.cpp, cpu/interrupts.cpp), which owns the descriptor rules.
#pragma once
#include "cpu/insn/operands.h"

namespace pvx::cpu {

// Relative branch target; the operand size truncates it (SDM Vol.2 "Jcc": 16-bit operand size
// clears EIP bits 31:16).
template <typename T> inline uint64_t relTarget(const Cpu& c, const DecodedInsn& i) { return c.nextRip + i.imm; }

template <typename T> void jcc(Cpu& c, const DecodedInsn& i) {
    if (c.lf.cond(i.opcode & 0xF)) c.jumpNear(relTarget<T>(c, i), sizeof(T));
}
template <typename T> void jmp_J(Cpu& c, const DecodedInsn& i) { c.jumpNear(relTarget<T>(c, i), sizeof(T)); }
template <typename T> void call_J(Cpu& c, const DecodedInsn& i) {
    uint64_t target = relTarget<T>(c, i);
    uint64_t ret = c.nextRip;
    c.jumpNear(target, sizeof(T));  // checks the target before the push
    c.push<T>(static_cast<T>(ret));
}
template <typename T> void ret_near(Cpu& c, const DecodedInsn& i) {
    T target = c.peek<T>(0);
    c.jumpNear(target, sizeof(T));
    uint64_t drop = sizeof(T) + (i.opcode == 0xC2 ? static_cast<uint16_t>(i.imm) : 0);
    c.setRspSized(c.rspMasked(c.gpr[RSP] + drop));
}
template <typename T, bool M> void jmp_E(Cpu& c, const DecodedInsn& i) { c.jumpNear(readE<T, M>(c, i), sizeof(T)); }
template <typename T, bool M> void call_E(Cpu& c, const DecodedInsn& i) {
    T target = readE<T, M>(c, i);
    uint64_t ret = c.nextRip;
    c.jumpNear(target, sizeof(T));
    c.push<T>(static_cast<T>(ret));
}

// LOOPNE(0) / LOOPE(1) / LOOP(2) / JCXZ(3): the counter width is the address size.
template <int K> void loop(Cpu& c, const DecodedInsn& i) {
    uint64_t cx = c.gpr[RCX];
    uint64_t mask = i.asz == 8 ? ~0ull : i.asz == 4 ? 0xFFFFFFFFull : 0xFFFFull;
    bool taken;
    if constexpr (K == 3) {
        taken = (cx & mask) == 0;
    } else {
        uint64_t n = (cx - 1) & mask;
        taken = n != 0;
        if constexpr (K == 0) taken = taken && !c.lf.zf();
        if constexpr (K == 1) taken = taken && c.lf.zf();
        uint64_t target = c.nextRip + i.imm;
        if (taken) c.jumpNear(target, i.osz);
        c.gpr[RCX] = (cx & ~mask) | n;
        if (i.asz == 4) c.gpr[RCX] = static_cast<uint32_t>(c.gpr[RCX]);
        return;
    }
    if (taken) c.jumpNear(c.nextRip + i.imm, i.osz);
}

inline void jmpf_Ap(Cpu& c, const DecodedInsn& i) { c.farJump(i.imm2, static_cast<uint32_t>(i.imm), i.osz); }
inline void callf_Ap(Cpu& c, const DecodedInsn& i) { c.farCall(i.imm2, static_cast<uint32_t>(i.imm), i.osz); }
inline void readFarPointer(Cpu& c, const DecodedInsn& i, uint16_t& sel, uint64_t& off) {
    uint64_t ea = c.effectiveAddress(i);
    unsigned sz = i.osz;
    off = sz == 2 ? c.read<uint16_t>(i.seg, ea) : sz == 4 ? c.read<uint32_t>(i.seg, ea) : c.read<uint64_t>(i.seg, ea);
    uint64_t selEa = ea + sz;
    if (i.asz == 4) selEa = static_cast<uint32_t>(selEa);
    else if (i.asz == 2) selEa = static_cast<uint16_t>(selEa);
    sel = c.read<uint16_t>(i.seg, selEa);
}
inline void jmpf_Mp(Cpu& c, const DecodedInsn& i) {
    uint16_t sel;
    uint64_t off;
    readFarPointer(c, i, sel, off);
    c.farJump(sel, off, i.osz);
}
inline void callf_Mp(Cpu& c, const DecodedInsn& i) {
    uint16_t sel;
    uint64_t off;
    readFarPointer(c, i, sel, off);
    c.farCall(sel, off, i.osz);
}
inline void retf(Cpu& c, const DecodedInsn& i) { c.farReturn(i.osz, i.opcode == 0xCA ? static_cast<uint16_t>(i.imm) : 0); }
inline void iret(Cpu& c, const DecodedInsn& i) { c.interruptReturn(i.osz); }
inline void int3(Cpu& c, const DecodedInsn&) { c.softwareInterrupt(kVecBP, true, false); }
inline void int1(Cpu& c, const DecodedInsn&) { c.softwareInterrupt(kVecDB, false, true); }
inline void int_Ib(Cpu& c, const DecodedInsn& i) { c.softwareInterrupt(static_cast<uint8_t>(i.imm), false, false); }
inline void into(Cpu& c, const DecodedInsn&) {
    if (c.lf.of()) c.softwareInterrupt(kVecOF, true, false);
}
inline void bound(Cpu& c, const DecodedInsn& i) {
    uint64_t ea = c.effectiveAddress(i);
    if (i.osz == 2) {
        int16_t v = static_cast<int16_t>(c.gpr[i.reg]);
        int16_t lo = static_cast<int16_t>(c.read<uint16_t>(i.seg, ea));
        int16_t hi = static_cast<int16_t>(c.read<uint16_t>(i.seg, (ea + 2) & (i.asz == 2 ? 0xFFFF : 0xFFFFFFFF)));
        if (v < lo || v > hi) raise(kVecBR);
    } else {
        int32_t v = static_cast<int32_t>(c.gpr[i.reg]);
        int32_t lo = static_cast<int32_t>(c.read<uint32_t>(i.seg, ea));
        int32_t hi = static_cast<int32_t>(c.read<uint32_t>(i.seg, (ea + 4) & (i.asz == 2 ? 0xFFFF : 0xFFFFFFFF)));
        if (v < lo || v > hi) raise(kVecBR);
    }
}

}  // namespace pvx::cpu
