// DPPS/DPPD (SDM Vol.2 DPPS/DPPD "Operation"): the selected products are rounded individually
// (unselected ones are +0.0), then summed pairwise in the manual's fixed order, each sum rounded;
// the result goes to the elements imm8[3:0] selects, +0.0 elsewhere. Exceptions are determined
// per multiply and add ("Exceptions are determined separately for each add and multiply
// operation"), stage by stage: an unmasked exception in the multiplies traps before the adds
// run, so their flags are not reported (observed on the host CPU as well).
#include "cpu/insn/sse_fp_common.h"

namespace pvx::cpu {

Xmm sseDpps(Cpu& c, const Xmm& d, const Xmm& s, uint8_t imm) {
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    uint32_t t[4];
    for (unsigned k = 0; k < 4; ++k) {
        if (!((imm >> (4 + k)) & 1)) {
            t[k] = 0;
            continue;
        }
        t[k] = fp::f32_mul(d.d[k], s.d[k], e);
        fl.addArith<uint32_t>(e, SseRaw::Mul, d.d[k], s.d[k]);
    }
    sseCommitFlags(c, fl.acc);
    fl.acc = 0;
    const uint32_t lo = fp::f32_add(t[0], t[1], e);
    fl.addArith<uint32_t>(e, SseRaw::Add, t[0], t[1]);
    const uint32_t hi = fp::f32_add(t[2], t[3], e);
    fl.addArith<uint32_t>(e, SseRaw::Add, t[2], t[3]);
    sseCommitFlags(c, fl.acc);
    fl.acc = 0;
    const uint32_t sum = fp::f32_add(lo, hi, e);
    fl.addArith<uint32_t>(e, SseRaw::Add, lo, hi);
    sseCommitFlags(c, fl.acc);
    Xmm r;
    for (unsigned k = 0; k < 4; ++k) r.d[k] = ((imm >> k) & 1) ? sum : 0;
    return r;
}

Xmm sseDppd(Cpu& c, const Xmm& d, const Xmm& s, uint8_t imm) {
    fp::Env e = sseEnv(c);
    SseFlags fl(c);
    const uint64_t t0 = (imm & 0x10) ? fp::f64_mul(d.q[0], s.q[0], e) : 0;
    fl.addArith<uint64_t>(e, SseRaw::Mul, d.q[0], s.q[0]);
    const uint64_t t1 = (imm & 0x20) ? fp::f64_mul(d.q[1], s.q[1], e) : 0;
    fl.addArith<uint64_t>(e, SseRaw::Mul, d.q[1], s.q[1]);
    sseCommitFlags(c, fl.acc);
    fl.acc = 0;
    const uint64_t sum = fp::f64_add(t0, t1, e);
    fl.addArith<uint64_t>(e, SseRaw::Add, t0, t1);
    sseCommitFlags(c, fl.acc);
    Xmm r;
    r.q[0] = (imm & 1) ? sum : 0;
    r.q[1] = (imm & 2) ? sum : 0;
    return r;
}

}  // namespace pvx::cpu
