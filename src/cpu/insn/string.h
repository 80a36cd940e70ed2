// String instructions with REP/REPE/REPNE (SDM Vol.2 "REP/REPE/REPZ/REPNE/REPNZ"). A repeated
// instruction runs at most kRepChunk iterations per execution; if work remains it does not
// advance RIP, so the run loop can deliver interrupts and fire timers, then re-executes it
// (the architectural behaviour: RSI/RDI/RCX always reflect completed iterations, which also
// makes a fault in the middle restartable).
#pragma once
#include "cpu/insn/operands.h"

namespace pvx::cpu {

enum class StrOp { Movs, Cmps, Stos, Lods, Scas, Ins, Outs };
constexpr uint64_t kRepChunk = 4096;

template <StrOp OP, typename T> void stringImpl(Cpu& c, const DecodedInsn& i) {
    const uint64_t amask = i.asz == 8 ? ~0ull : i.asz == 4 ? 0xFFFFFFFFull : 0xFFFFull;
    const bool rep = i.flags & (DecodedInsn::kRep | DecodedInsn::kRepne);
    const int64_t step = (c.eflags & kDF) ? -static_cast<int64_t>(sizeof(T)) : static_cast<int64_t>(sizeof(T));
    auto setIdx = [&](unsigned r, uint64_t v) {
        if (i.asz == 8) c.gpr[r] = v;
        else if (i.asz == 4) c.gpr[r] = static_cast<uint32_t>(v);
        else c.gpr[r] = (c.gpr[r] & ~0xFFFFull) | (v & 0xFFFF);
    };
    uint64_t count = rep ? (c.gpr[RCX] & amask) : 1;
    if (count == 0) return;
    if constexpr (OP == StrOp::Ins || OP == StrOp::Outs) c.checkIoPermission(static_cast<uint16_t>(c.gpr[RDX]), sizeof(T));
    const bool user = c.cpl == 3;
    uint64_t n = 0;
    const uint64_t limit = rep ? (count < kRepChunk ? count : kRepChunk) : 1;
    bool stop = false;
    while (n < limit && !stop) {
        const uint64_t si = c.gpr[RSI] & amask, di = c.gpr[RDI] & amask;
        if constexpr (OP == StrOp::Movs) {
            T v = c.read<T>(i.seg, si);
            c.write<T>(ES, di, v);
            setIdx(RSI, si + step);
            setIdx(RDI, di + step);
        } else if constexpr (OP == StrOp::Stos) {
            c.write<T>(ES, di, getR<T>(c, RAX));
            setIdx(RDI, di + step);
        } else if constexpr (OP == StrOp::Lods) {
            setR<T>(c, RAX, c.read<T>(i.seg, si));
            setIdx(RSI, si + step);
        } else if constexpr (OP == StrOp::Cmps) {
            T a = c.read<T>(i.seg, si);
            T b = c.read<T>(ES, di);
            c.lf.set(FlagOp::Sub, sizeof(T), static_cast<T>(a - b), a, b);
            setIdx(RSI, si + step);
            setIdx(RDI, di + step);
            if (rep) stop = (i.flags & DecodedInsn::kRepne) ? (a == b) : (a != b);
        } else if constexpr (OP == StrOp::Scas) {
            T a = getR<T>(c, RAX);
            T b = c.read<T>(ES, di);
            c.lf.set(FlagOp::Sub, sizeof(T), static_cast<T>(a - b), a, b);
            setIdx(RDI, di + step);
            if (rep) stop = (i.flags & DecodedInsn::kRepne) ? (a == b) : (a != b);
        } else if constexpr (OP == StrOp::Ins) {
            // The destination is checked before the port is read, so a #PF does not lose data.
            uint64_t lin = c.linear(ES, di, sizeof(T), true);
            c.probeWrite(lin, sizeof(T), user);
            T v = static_cast<T>(c.io.read(static_cast<uint16_t>(c.gpr[RDX]), sizeof(T)));
            c.writeLin<T>(lin, v, user);
            setIdx(RDI, di + step);
        } else if constexpr (OP == StrOp::Outs) {
            T v = c.read<T>(i.seg, si);
            c.io.write(static_cast<uint16_t>(c.gpr[RDX]), sizeof(T), v);
            setIdx(RSI, si + step);
        }
        ++n;
        if (rep) {
            uint64_t left = (c.gpr[RCX] & amask) - 1;
            setIdx(RCX, left);
        }
    }
    if constexpr (OP == StrOp::Ins || OP == StrOp::Outs) c.endTrace();
    if (rep && !stop && (c.gpr[RCX] & amask) != 0) {
        c.nextRip = c.rip;  // more to do: re-execute after checking for events
        c.endTrace();
    }
}

template <StrOp OP, int BYTE> void string_op(Cpu& c, const DecodedInsn& i) {
    if constexpr (BYTE) {
        stringImpl<OP, uint8_t>(c, i);
    } else {
        switch (i.osz) {
            case 2: stringImpl<OP, uint16_t>(c, i); break;
            case 4: stringImpl<OP, uint32_t>(c, i); break;
            default:
                if constexpr (OP == StrOp::Ins || OP == StrOp::Outs) stringImpl<OP, uint32_t>(c, i);
                else stringImpl<OP, uint64_t>(c, i);
                break;
        }
    }
}

// IN/OUT: imm8 port or DX; BYTE selects AL, else AX/EAX by operand size.
template <int BYTE, bool IMM> void in_port(Cpu& c, const DecodedInsn& i) {
    uint16_t port = IMM ? static_cast<uint8_t>(i.imm) : static_cast<uint16_t>(c.gpr[RDX]);
    unsigned size = BYTE ? 1 : (i.osz == 2 ? 2 : 4);
    uint32_t v = c.portIn(port, size);
    if (size == 1) c.setReg8(0, static_cast<uint8_t>(v));
    else if (size == 2) c.setReg<uint16_t>(RAX, static_cast<uint16_t>(v));
    else c.setReg<uint32_t>(RAX, v);
}
template <int BYTE, bool IMM> void out_port(Cpu& c, const DecodedInsn& i) {
    uint16_t port = IMM ? static_cast<uint8_t>(i.imm) : static_cast<uint16_t>(c.gpr[RDX]);
    unsigned size = BYTE ? 1 : (i.osz == 2 ? 2 : 4);
    if (!c.portOut(port, size, static_cast<uint32_t>(c.gpr[RAX]))) c.nextRip = c.rip;  // PV continuation
}

}  // namespace pvx::cpu
