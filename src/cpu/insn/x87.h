// Handlers for opcodes_x87.def (SDM Vol.1 ch.8, Vol.2 F* entries). The templates here only fix
// the operand form at compile time and forward to the implementations in x87_*.cpp.
#pragma once
#include "cpu/insn/x87_common.h"

namespace pvx::cpu {

namespace x87 {
enum class Op : uint8_t { Add, Mul, Sub, SubR, Div, DivR };
enum class Cond : uint8_t { B, E, BE, U, NB, NE, NBE, NU };
enum class Const : uint8_t { One, L2T, L2E, Pi, LG2, LN2, Zero };
enum class Unary : uint8_t { Chs, Abs, Tst, Xam, DecStp, IncStp, Nop, Sqrt, RndInt, Scale, Xtract, Prem, Prem1 };
enum class Trans : uint8_t { Sin, Cos, SinCos, Ptan, Patan, F2xm1, Yl2x, Yl2xp1 };

// x87_arith.cpp
void arithMem(Cpu& c, const DecodedInsn& i, Op op, Src s);
void arithSt0(Cpu& c, const DecodedInsn& i, Op op);                 // ST(0) := ST(0) op ST(i)
void arithSti(Cpu& c, const DecodedInsn& i, Op op, bool pop);       // ST(i) := ST(i) op ST(0)
void compareMem(Cpu& c, const DecodedInsn& i, Src s, unsigned pops);
void compareReg(Cpu& c, const DecodedInsn& i, bool quiet, unsigned pops);
void compareEflags(Cpu& c, const DecodedInsn& i, bool quiet, bool pop);  // FCOMI family
void unary(Cpu& c, const DecodedInsn& i, Unary u);
// x87_load_store.cpp
void loadMem(Cpu& c, const DecodedInsn& i, Src s);
void loadReg(Cpu& c, const DecodedInsn& i);
void storeMem(Cpu& c, const DecodedInsn& i, Src d, bool pop);
void storeReg(Cpu& c, const DecodedInsn& i, bool pop);
void storeInt(Cpu& c, const DecodedInsn& i, Src d, bool pop, bool truncate);
void loadBcd(Cpu& c, const DecodedInsn& i);
void storeBcd(Cpu& c, const DecodedInsn& i);
void exchange(Cpu& c, const DecodedInsn& i);
void cmove(Cpu& c, const DecodedInsn& i, Cond cc);
void loadConst(Cpu& c, const DecodedInsn& i, Const k);
void freeReg(Cpu& c, const DecodedInsn& i, bool pop);
// x87_transcendental.cpp
void transcendental(Cpu& c, const DecodedInsn& i, Trans t);
}  // namespace x87

template <x87::Op OP, x87::Src S> void x87_arith_m(Cpu& c, const DecodedInsn& i) { x87::arithMem(c, i, OP, S); }
template <x87::Op OP> void x87_arith_st0(Cpu& c, const DecodedInsn& i) { x87::arithSt0(c, i, OP); }
template <x87::Op OP, bool POP> void x87_arith_sti(Cpu& c, const DecodedInsn& i) { x87::arithSti(c, i, OP, POP); }
template <x87::Src S, unsigned POPS> void x87_com_m(Cpu& c, const DecodedInsn& i) { x87::compareMem(c, i, S, POPS); }
template <bool QUIET, unsigned POPS> void x87_com_r(Cpu& c, const DecodedInsn& i) { x87::compareReg(c, i, QUIET, POPS); }
template <bool QUIET, bool POP> void x87_comi(Cpu& c, const DecodedInsn& i) { x87::compareEflags(c, i, QUIET, POP); }
template <x87::Unary U> void x87_unary(Cpu& c, const DecodedInsn& i) { x87::unary(c, i, U); }
template <x87::Src S> void x87_fld_m(Cpu& c, const DecodedInsn& i) { x87::loadMem(c, i, S); }
inline void x87_fld_r(Cpu& c, const DecodedInsn& i) { x87::loadReg(c, i); }
template <x87::Src S, bool POP> void x87_fst_m(Cpu& c, const DecodedInsn& i) { x87::storeMem(c, i, S, POP); }
template <bool POP> void x87_fst_r(Cpu& c, const DecodedInsn& i) { x87::storeReg(c, i, POP); }
template <x87::Src S, bool POP, bool TRUNC> void x87_fist(Cpu& c, const DecodedInsn& i) { x87::storeInt(c, i, S, POP, TRUNC); }
inline void x87_fbld(Cpu& c, const DecodedInsn& i) { x87::loadBcd(c, i); }
inline void x87_fbstp(Cpu& c, const DecodedInsn& i) { x87::storeBcd(c, i); }
inline void x87_fxch(Cpu& c, const DecodedInsn& i) { x87::exchange(c, i); }
template <x87::Cond CC> void x87_fcmov(Cpu& c, const DecodedInsn& i) { x87::cmove(c, i, CC); }
template <x87::Const K> void x87_const(Cpu& c, const DecodedInsn& i) { x87::loadConst(c, i, K); }
template <bool POP> void x87_ffree(Cpu& c, const DecodedInsn& i) { x87::freeReg(c, i, POP); }
template <x87::Trans T> void x87_trans(Cpu& c, const DecodedInsn& i) { x87::transcendental(c, i, T); }

// x87_env.cpp: control instructions (no FIP/FOP update).
void x87_fninit(Cpu& c, const DecodedInsn& i);
void x87_fnclex(Cpu& c, const DecodedInsn& i);
void x87_fldcw(Cpu& c, const DecodedInsn& i);
void x87_fnstcw(Cpu& c, const DecodedInsn& i);
void x87_fnstsw_m(Cpu& c, const DecodedInsn& i);
void x87_fnstsw_ax(Cpu& c, const DecodedInsn& i);
void x87_fnstenv(Cpu& c, const DecodedInsn& i);
void x87_fldenv(Cpu& c, const DecodedInsn& i);
void x87_fnsave(Cpu& c, const DecodedInsn& i);
void x87_frstor(Cpu& c, const DecodedInsn& i);
void x87_fwait(Cpu& c, const DecodedInsn& i);
void x87_fnop_legacy(Cpu& c, const DecodedInsn& i);  // FENI/FDISI/FSETPM: no-ops since the 80387

}  // namespace pvx::cpu
