// Shared x87 machinery that is not inline: pending-exception delivery and NaN operand rules.
#include "cpu/insn/x87_common.h"

namespace pvx::cpu {

void x87CheckPending(Cpu& c) {
    if (!(c.x87.fsw & fsw::ES)) return;
    // SDM Vol.3A 6.15 (Interrupt 16): with CR0.NE = 1 the next waiting x87 instruction, WAIT or
    // MMX instruction takes #MF before executing. With NE = 0 the CPU signals the error on its
    // FERR# pin instead (the PC routes it to IRQ13; SDM Vol.1 D.2). pvx does not model the
    // freeze until the interrupt: the instruction proceeds as if IGNNE# were asserted, and the
    // board's IRQ13 arrives at the next instruction boundary.
    if (c.cr0 & cr0::NE) raise(kVecMF);
    if (c.ferr) c.ferr->ferrChanged(true);
}

namespace x87 {

bool nanOperands(Float80 a, Float80 b, bool two, Float80& out, fp::Env& e) {
    const bool ua = fp::f80_isUnsupported(a), ub = two && fp::f80_isUnsupported(b);
    if (ua || ub) {  // SDM Vol.1 8.2.2: unsupported encodings raise IE and give the indefinite
        e.flags |= fp::kIE;
        out = kIndefinite;
        return true;
    }
    const bool na = fp::f80_isNaN(a), nb = two && fp::f80_isNaN(b);
    if (!na && !nb) return false;
    if ((na && fp::f80_isSignalingNaN(a)) || (nb && fp::f80_isSignalingNaN(b))) e.flags |= fp::kIE;
    // SDM Vol.1 Table 4-7: an SNaN and a QNaN -> the QNaN; two of a kind -> the one with the
    // larger significand (the first on a tie); the result is quieted.
    Float80 r;
    if (na && nb) {
        const bool qa = a.mant >> 62 & 1, qb = b.mant >> 62 & 1;
        if (qa != qb) r = qa ? a : b;
        else r = a.mant >= b.mant ? a : b;
    } else {
        r = na ? a : b;
    }
    r.mant |= 1ull << 62;
    out = r;
    return true;
}

}  // namespace x87
}  // namespace pvx::cpu
