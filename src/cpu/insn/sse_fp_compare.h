// Floating-point comparisons: CMPPS/CMPPD/CMPSS/CMPSD with the eight legacy-SSE predicates and
// COMISS/COMISD/UCOMISS/UCOMISD (SDM Vol.2 CMPPS Table 3-1, COMISS).
#pragma once
#include "cpu/insn/sse_fp_common.h"

namespace pvx::cpu {

// One CMPxx element: all ones when the predicate holds. Legacy SSE encodes imm8[2:0] only (the
// VEX forms extend it to 5 bits; SDM Vol.2 CMPPS "imm8[7:3] are reserved" -- hardware ignores
// them): 0 EQ_OQ, 1 LT_OS, 2 LE_OS, 3 UNORD_Q, 4 NEQ_UQ, 5 NLT_US, 6 NLE_US, 7 ORD_Q. The _S
// predicates signal IE on any NaN operand, the _Q ones on SNaN only.
template <typename T> inline T fpCmpPredicate(T a, T b, unsigned pred, fp::Env& e) {
    const bool signalling = pred == 1 || pred == 2 || pred == 5 || pred == 6;
    const fp::Cmp r = Fmt<T>::cmp(a, b, !signalling, e);
    bool v;
    switch (pred) {
        case 0: v = r == fp::Cmp::Equal; break;
        case 1: v = r == fp::Cmp::Less; break;
        case 2: v = r == fp::Cmp::Less || r == fp::Cmp::Equal; break;
        case 3: v = r == fp::Cmp::Unordered; break;
        case 4: v = r != fp::Cmp::Equal; break;
        case 5: v = r != fp::Cmp::Less; break;
        case 6: v = r != fp::Cmp::Less && r != fp::Cmp::Equal; break;
        default: v = r != fp::Cmp::Unordered; break;
    }
    return v ? static_cast<T>(~T{0}) : T{0};
}

// CMPPS/CMPPD xmm1, xmm2/m128, imm8.
template <typename, bool M, typename T> inline void sse_cmp_p(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const Xmm s = readXmmE<M>(c, i);
    const Xmm& d = c.xmm[i.reg];
    const unsigned pred = i.imm & 7;
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    Xmm r;
    for (unsigned k = 0; k < Fmt<T>::kLanes; ++k) lane<T>(r, k) = fpCmpPredicate<T>(lane<T>(d, k), lane<T>(s, k), pred, e);
    fl.add(e);
    sseCommitFlags(c, fl.acc);
    c.xmm[i.reg] = r;
}
// CMPSS/CMPSD xmm1, xmm2/m32|m64, imm8: the low element; the rest of xmm1 is kept.
template <typename, bool M, typename T> inline void sse_cmp_s(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const T s = readScalarE<T, M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    const T r = fpCmpPredicate<T>(lane<T>(c.xmm[i.reg], 0), s, i.imm & 7, e);
    fl.add(e);
    sseCommitFlags(c, fl.acc);
    lane<T>(c.xmm[i.reg], 0) = r;
}

// COMISS/COMISD (Quiet = false: any NaN signals IE) and UCOMISS/UCOMISD (SNaN only):
// unordered ZF,PF,CF = 111, greater 000, less 001, equal 100; OF, SF, AF cleared.
template <typename, bool M, typename T, bool Quiet> inline void sse_comis(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const T s = readScalarE<T, M>(c, i);
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    const fp::Cmp r = Fmt<T>::cmp(lane<T>(c.xmm[i.reg], 0), s, Quiet, e);
    fl.add(e);
    sseCommitFlags(c, fl.acc);
    uint32_t f = 0;
    switch (r) {
        case fp::Cmp::Unordered: f = kZF | kPF | kCF; break;
        case fp::Cmp::Less: f = kCF; break;
        case fp::Cmp::Equal: f = kZF; break;
        case fp::Cmp::Greater: break;
    }
    c.lf.setEager(f);
}

}  // namespace pvx::cpu
