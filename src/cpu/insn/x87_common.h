// What every x87 handler shares: availability (#NM), pending-exception delivery (#MF / FERR#),
// register-stack access with the stack-fault rules, the FCW -> softfloat environment, exception
// flag commit with the masked/unmasked responses, and the FIP/FDP/FOP pointer updates.
// Also the entry points the MMX code uses (x87CheckPending, mmxEnter, emmsState).
#pragma once
#include "cpu/fp/softfloat.h"
#include "cpu/insn/operands.h"

namespace pvx::cpu {

// Raises #MF (CR0.NE = 1) or asserts FERR# (CR0.NE = 0) if an unmasked x87 exception is pending
// (FSW.ES set): what every waiting x87 instruction, FWAIT and MMX instruction does first
// (SDM Vol.1 8.6, Vol.3A 6.15 "Interrupt 16").
void x87CheckPending(Cpu& c);
// The x87 -> MMX transition of every MMX instruction but EMMS: TOP = 0, all tags valid
// (SDM Vol.1 9.5.1).
inline void mmxEnter(Cpu& c) {
    c.x87.setTop(0);
    c.x87.ftw = 0;
}
// EMMS: every tag empty (SDM Vol.1 9.6).
inline void emmsState(Cpu& c) { c.x87.ftw = 0xFFFF; }

namespace x87 {
using fp::Float80;

constexpr Float80 kIndefinite = fp::kF80DefaultNaN;

inline Float80& st(Cpu& c, unsigned i) { return c.x87.r[c.x87.phys(i)]; }
inline bool isEmpty(const Cpu& c, unsigned i) { return c.x87.tag(c.x87.phys(i)) == kTagEmpty; }
inline void setSt(Cpu& c, unsigned i, Float80 v) {
    const unsigned p = c.x87.phys(i);
    c.x87.r[p] = v;
    c.x87.setTag(p, X87State::tagFor(v));
}
inline void pop(Cpu& c) {
    c.x87.setTag(c.x87.phys(0), kTagEmpty);
    c.x87.setTop(c.x87.top() + 1);
}
inline void push(Cpu& c, Float80 v) {
    c.x87.setTop(c.x87.top() - 1);
    setSt(c, 0, v);
}
inline void setC(Cpu& c, uint16_t bits, uint16_t mask) {
    c.x87.fsw = static_cast<uint16_t>((c.x87.fsw & ~mask) | (bits & mask));
}
constexpr uint16_t kCAll = fsw::C0 | fsw::C1 | fsw::C2 | fsw::C3;

// Softfloat environment from FCW.RC and FCW.PC (SDM Vol.1 8.1.5.2/8.1.5.3). PC = 01 is
// reserved; treated as extended.
inline fp::Env env(const Cpu& c) {
    fp::Env e;
    e.rounding = static_cast<uint8_t>((c.x87.fcw >> fcw::kRcShift) & 3);
    const unsigned pc = (c.x87.fcw >> fcw::kPcShift) & 3;
    e.precision = static_cast<uint8_t>(pc == 1 ? 3 : pc);
    return e;
}
// The same with 64-bit precision: every operation PC does not apply to (SDM Vol.1 8.1.5.2: PC
// affects only FADD/FSUB/FSUBR/FMUL/FDIV/FDIVR/FSQRT and their variants).
inline fp::Env envExt(const Cpu& c) {
    fp::Env e = env(c);
    e.precision = fp::kPrecExtended;
    return e;
}

// #NM rules (SDM Vol.3A 2.5, Table 2-2): CR0.EM or CR0.TS -> #NM for every x87 instruction.
inline void checkNm(Cpu& c) {
    if (__builtin_expect(c.cr0 & (cr0::EM | cr0::TS), 0)) raise(kVecNM);
}
// Start of a waiting instruction: #NM, then pending unmasked exceptions.
inline void begin(Cpu& c) {
    checkNm(c);
    if (__builtin_expect(c.x87.fsw & fsw::ES, 0)) x87CheckPending(c);
}

// FIP/FCS/FOP (and FDP/FDS with a memory operand) after a non-control instruction
// (SDM Vol.1 8.1.8, 8.1.9: FOP = low 3 bits of the first opcode byte : ModRM).
inline void pointers(Cpu& c, const DecodedInsn& i) {
    c.x87.fip = c.rip;
    c.x87.fcs = c.seg[CS].sel;
    c.x87.fop = static_cast<uint16_t>(((i.opcode & 7) << 8) | i.modrm);
    if (i.isMem()) {
        c.x87.fdp = c.effectiveAddress(i);
        c.x87.fds = c.seg[i.seg].sel;
    }
}

// Recomputes FSW.ES and FSW.B from the flags and masks (SDM Vol.1 8.1.3.7).
inline void updateEs(Cpu& c) {
    if (c.x87.fsw & ~c.x87.fcw & 0x3F) c.x87.fsw |= fsw::ES | fsw::B;
    else c.x87.fsw &= static_cast<uint16_t>(~(fsw::ES | fsw::B));
}
inline bool masked(const Cpu& c, uint8_t flag) { return c.x87.fcw & flag; }

// Stack overflow/underflow (SDM Vol.1 8.5.1.1): sets IE and SF, C1 = 1 for overflow, 0 for
// underflow. Returns true when IE is masked (the caller then stores the QNaN indefinite);
// unmasked, ES is set and the caller changes nothing else.
inline bool stackFault(Cpu& c, bool overflow) {
    c.x87.fsw |= fsw::IE | fsw::SF;
    setC(c, overflow ? fsw::C1 : 0, fsw::C1);
    if (masked(c, fcw::IM)) return true;
    c.x87.fsw |= fsw::ES | fsw::B;
    return false;
}

// Result of an operation's exceptions (SDM Vol.1 8.5):
enum class Commit { Store, StoreBiased, Discard };
// Records `flags`. Pre-computation exceptions (IE, DE, ZE) that are unmasked: only they are
// recorded and nothing is stored. Post-computation ones (OE, UE) unmasked: the result is
// stored with its exponent bias-adjusted (register destinations; memory destinations are not
// written, SDM Vol.1 8.5.4). PE unmasked: stored normally. Any unmasked flag sets ES.
inline Commit commit(Cpu& c, uint8_t flags) {
    const uint8_t unmasked = static_cast<uint8_t>(flags & ~c.x87.fcw & 0x3F);
    constexpr uint8_t kPre = fp::kIE | fp::kDE | fp::kZE;
    if (unmasked & kPre) {
        c.x87.fsw |= static_cast<uint16_t>((flags & kPre) | fsw::ES | fsw::B);
        return Commit::Discard;
    }
    c.x87.fsw |= flags;
    if (!unmasked) return Commit::Store;
    c.x87.fsw |= fsw::ES | fsw::B;
    return (unmasked & (fp::kOE | fp::kUE)) ? Commit::StoreBiased : Commit::Store;
}

// Sets C1 from the rounding direction when the result is inexact, else clears it (the "C1 =
// rounded up" rule of the arithmetic instructions, SDM Vol.1 8.1.3.1).
inline void setC1Rounding(Cpu& c, const fp::Env& e) {
    setC(c, ((e.flags & fp::kPE) && e.roundedUp) ? fsw::C1 : 0, fsw::C1);
}

// ---- memory operands ----
inline Float80 readM80(Cpu& c, const DecodedInsn& i) {
    uint8_t b[10];
    c.readBlock(i.seg, c.effectiveAddress(i), b, 10);
    Float80 v;
    std::memcpy(&v.mant, b, 8);
    std::memcpy(&v.se, b + 8, 2);
    return v;
}
inline void writeM80(Cpu& c, const DecodedInsn& i, Float80 v) {
    uint8_t b[10];
    std::memcpy(b, &v.mant, 8);
    std::memcpy(b + 8, &v.se, 2);
    c.writeBlock(i.seg, c.effectiveAddress(i), b, 10);
}

// Memory source types of the arithmetic/compare/load forms.
enum class Src : uint8_t { F32, F64, F80, I16, I32, I64 };
// Reads and converts a memory source to f80 (SNaN -> IE, denormal -> DE in e.flags).
inline Float80 readSrc(Cpu& c, const DecodedInsn& i, Src s, fp::Env& e) {
    const uint64_t ea = c.effectiveAddress(i);
    switch (s) {
        case Src::F32: return fp::f32_to_f80(c.read<uint32_t>(i.seg, ea), e);
        case Src::F64: return fp::f64_to_f80(c.read<uint64_t>(i.seg, ea), e);
        case Src::F80: return readM80(c, i);
        case Src::I16: return fp::i64_to_f80(static_cast<int16_t>(c.read<uint16_t>(i.seg, ea)));
        case Src::I32: return fp::i64_to_f80(static_cast<int32_t>(c.read<uint32_t>(i.seg, ea)));
        case Src::I64: return fp::i64_to_f80(static_cast<int64_t>(c.read<uint64_t>(i.seg, ea)));
    }
    return {};
}

// Result of an operation whose operand is a NaN or unsupported (SDM Vol.1 Table 4-7, 8.5.1.2).
// Returns true and sets `out` / e.flags when a or b is a NaN or unsupported.
bool nanOperands(Float80 a, Float80 b, bool two, Float80& out, fp::Env& e);
}  // namespace x87
}  // namespace pvx::cpu
