// x87 arithmetic and comparison (SDM Vol.2 FADD/FSUB/FSUBR/FMUL/FDIV/FDIVR and their P/I forms,
// FCOM/FUCOM/FICOM/FCOMI/FUCOMI, FTST, FXAM, FCHS, FABS, FSQRT, FRNDINT, FSCALE, FXTRACT,
// FPREM, FPREM1, FDECSTP, FINCSTP, FNOP).
#include "cpu/insn/x87.h"
#include "cpu/insn/x87_wide.h"

namespace pvx::cpu::x87 {

namespace {

Float80 compute(Op op, Float80 a, Float80 b, fp::Env& e) {
    switch (op) {
        case Op::Add: return fp::f80_add(a, b, e);
        case Op::Mul: return fp::f80_mul(a, b, e);
        case Op::Sub: return fp::f80_sub(a, b, e);
        case Op::SubR: return fp::f80_sub(b, a, e);
        case Op::Div: return fp::f80_div(a, b, e);
        case Op::DivR: return fp::f80_div(b, a, e);
    }
    return {};
}

// Stores an arithmetic result into ST(dst) per the exception rules (SDM Vol.1 8.5); pops when
// asked and the result was stored. Returns whether it was stored.
bool finish(Cpu& c, unsigned dst, Float80 r, const fp::Env& e, bool pop, const Wide* wide = nullptr) {
    uint8_t flags = e.flags;
    bool roundedUp = e.roundedUp;
    if (wide && wide->valid && !(flags & (fp::kIE | fp::kZE))) {
        // Unmasked overflow, or unmasked underflow (signalled on tininess alone, inexact or not:
        // SDM Vol.1 4.9.1.5): the register gets the bias-adjusted result, and PE/C1 describe
        // its rounding (SDM Vol.1 8.5.4, 8.5.5).
        const bool over = (flags & fp::kOE) && !masked(c, fcw::OM);
        const bool under = !over && !masked(c, fcw::UM) && wide->tiny();
        if (over || under) {
            fp::Env be = e;
            r = wide->biased(over, be);
            flags = static_cast<uint8_t>((flags & ~(fp::kOE | fp::kUE | fp::kPE)) | (over ? fp::kOE : fp::kUE) |
                                         (be.flags & fp::kPE));
            roundedUp = be.roundedUp;
        }
    }
    const Commit k = commit(c, flags);
    if (k == Commit::Discard) {
        setC(c, 0, fsw::C1);
        return false;
    }
    setSt(c, dst, r);
    setC(c, ((flags & fp::kPE) && roundedUp) ? fsw::C1 : 0, fsw::C1);
    if (pop) x87::pop(c);
    return true;
}

// Binary operation ST(dst) := a op b, with the unmasked OE/UE path computing the exact result.
void binary(Cpu& c, unsigned dst, Op op, Float80 a, Float80 b, fp::Env& e, bool pop) {
    Float80 n;
    if (nanOperands(a, b, true, n, e)) {  // SDM Vol.1 Table 4-7 (x87 column)
        finish(c, dst, n, e, pop);
        return;
    }
    const Float80 r = compute(op, a, b, e);
    // A zero divisor's ZE outranks a denormal dividend's DE (observed on Intel processors).
    if (e.flags & fp::kZE) e.flags &= static_cast<uint8_t>(~fp::kDE);
    if (!masked(c, fcw::UM) || ((e.flags & fp::kOE) && !masked(c, fcw::OM))) {
        Wide w = wideArith(op == Op::SubR || op == Op::DivR ? b : a, op == Op::SubR || op == Op::DivR ? a : b,
                           op == Op::Add ? '+' : op == Op::Mul ? '*' : (op == Op::Sub || op == Op::SubR) ? '-' : '/');
        w.precision = e.precision;
        w.rounding = e.rounding;
        finish(c, dst, r, e, pop, &w);
        return;
    }
    finish(c, dst, r, e, pop);
}

// Underflow of a register operand: the masked response stores the indefinite into ST(dst).
void underflowTo(Cpu& c, unsigned dst, bool pop) {
    if (stackFault(c, false)) {
        setSt(c, dst, kIndefinite);
        if (pop) x87::pop(c);
    }
}

void setCompareCodes(Cpu& c, fp::Cmp r) {
    uint16_t cc = 0;
    switch (r) {
        case fp::Cmp::Greater: break;
        case fp::Cmp::Less: cc = fsw::C0; break;
        case fp::Cmp::Equal: cc = fsw::C3; break;
        case fp::Cmp::Unordered: cc = fsw::C0 | fsw::C2 | fsw::C3; break;
    }
    setC(c, cc, kCAll);
}

// A NaN or unsupported register operand takes precedence over a denormal memory operand
// (SDM Vol.1 8.5 exception priority): no DE from the conversion then.
void nanBeatsDenormal(Float80 a, fp::Env& e) {
    if (fp::f80_isNaN(a) || fp::f80_isUnsupported(a)) e.flags &= static_cast<uint8_t>(~fp::kDE);
}

void popN(Cpu& c, unsigned n) {
    for (unsigned k = 0; k < n; ++k) pop(c);
}

}  // namespace

void arithMem(Cpu& c, const DecodedInsn& i, Op op, Src s) {
    begin(c);
    fp::Env e = env(c);
    Float80 b = readSrc(c, i, s, e);
    // Keep a signalling NaN source signalling for the NaN-selection rule (SNaN vs QNaN).
    if ((e.flags & fp::kIE) && fp::f80_isNaN(b)) b.mant &= ~(1ull << 62);
    pointers(c, i);
    if (isEmpty(c, 0)) return underflowTo(c, 0, false);
    nanBeatsDenormal(st(c, 0), e);
    binary(c, 0, op, st(c, 0), b, e, false);
}

void arithSt0(Cpu& c, const DecodedInsn& i, Op op) {
    begin(c);
    pointers(c, i);
    const unsigned k = i.modrm & 7;
    if (isEmpty(c, 0) || isEmpty(c, k)) return underflowTo(c, 0, false);
    fp::Env e = env(c);
    binary(c, 0, op, st(c, 0), st(c, k), e, false);
}

void arithSti(Cpu& c, const DecodedInsn& i, Op op, bool pop) {
    begin(c);
    pointers(c, i);
    const unsigned k = i.modrm & 7;
    if (isEmpty(c, 0) || isEmpty(c, k)) return underflowTo(c, k, pop);
    fp::Env e = env(c);
    binary(c, k, op, st(c, k), st(c, 0), e, pop);
}

void compareMem(Cpu& c, const DecodedInsn& i, Src s, unsigned pops) {
    begin(c);
    fp::Env e = env(c);
    const Float80 b = readSrc(c, i, s, e);
    pointers(c, i);
    if (isEmpty(c, 0)) {
        setC(c, fsw::C0 | fsw::C2 | fsw::C3, fsw::C0 | fsw::C2 | fsw::C3);
        if (stackFault(c, false)) popN(c, pops);
        return;
    }
    nanBeatsDenormal(st(c, 0), e);
    const fp::Cmp r = fp::f80_compare(st(c, 0), b, false, e);
    // The condition codes are written even when the exception is unmasked; the pop is not.
    setCompareCodes(c, r);
    setC(c, 0, fsw::C1);
    if (commit(c, e.flags) == Commit::Discard) return;
    popN(c, pops);
}

void compareReg(Cpu& c, const DecodedInsn& i, bool quiet, unsigned pops) {
    begin(c);
    pointers(c, i);
    const unsigned k = i.modrm & 7;
    if (isEmpty(c, 0) || isEmpty(c, k)) {
        setC(c, fsw::C0 | fsw::C2 | fsw::C3, fsw::C0 | fsw::C2 | fsw::C3);
        if (stackFault(c, false)) popN(c, pops);
        return;
    }
    fp::Env e = env(c);
    const fp::Cmp r = fp::f80_compare(st(c, 0), st(c, k), quiet, e);
    setCompareCodes(c, r);
    setC(c, 0, fsw::C1);
    if (commit(c, e.flags) == Commit::Discard) return;
    popN(c, pops);
}

// FCOMI/FCOMIP/FUCOMI/FUCOMIP: ZF, PF, CF from the comparison; OF, SF, AF cleared
// (SDM Vol.2 FCOMI "Operation"); C1 cleared.
void compareEflags(Cpu& c, const DecodedInsn& i, bool quiet, bool pop) {
    begin(c);
    pointers(c, i);
    const unsigned k = i.modrm & 7;
    uint32_t f = 0;
    constexpr uint32_t Z = kZF, P = kPF, C = kCF;
    bool doPop;
    if (isEmpty(c, 0) || isEmpty(c, k)) {
        doPop = stackFault(c, false);
        f = Z | P | C;
    } else {
        fp::Env e = env(c);
        const fp::Cmp r = fp::f80_compare(st(c, 0), st(c, k), quiet, e);
        doPop = commit(c, e.flags) != Commit::Discard;
        switch (r) {
            case fp::Cmp::Greater: break;
            case fp::Cmp::Less: f = C; break;
            case fp::Cmp::Equal: f = Z; break;
            case fp::Cmp::Unordered: f = Z | P | C; break;
        }
    }
    // EFLAGS are written even when the exception is unmasked; the pop is not.
    c.setFlags((c.getFlags() & ~kArithFlags) | f);
    if (pop && doPop) x87::pop(c);
}

namespace {

// FXAM classes in C3 C2 C0 (SDM Vol.2 FXAM Table): C1 is the sign.
uint16_t examine(const Cpu& c) {
    const Float80 v = c.x87.r[c.x87.phys(0)];
    const uint16_t s = v.sign() ? fsw::C1 : 0;
    if (isEmpty(c, 0)) return s | fsw::C3 | fsw::C0;
    if (fp::f80_isUnsupported(v)) return s;
    if (fp::f80_isNaN(v)) return s | fsw::C0;
    if (fp::f80_isInf(v)) return s | fsw::C2 | fsw::C0;
    if (fp::f80_isZero(v)) return s | fsw::C3;
    if (v.exp() == 0) return s | fsw::C3 | fsw::C2;  // denormal or pseudo-denormal
    return s | fsw::C2;
}

bool denormalOrPseudo(Float80 v) { return v.exp() == 0 && v.mant != 0; }

// FSCALE: ST(0) * 2^trunc(ST(1)) (SDM Vol.2 FSCALE, Table 3-x).
void scale(Cpu& c) {
    const Float80 a = st(c, 0), b = st(c, 1);
    fp::Env e = envExt(c);
    e.roundedUp = false;
    Float80 r;
    if (nanOperands(a, b, true, r, e)) { finish(c, 0, r, e, false); return; }
    if (denormalOrPseudo(a) || denormalOrPseudo(b)) e.flags |= fp::kDE;
    const bool aZero = fp::f80_isZero(a), aInf = fp::f80_isInf(a);
    if (fp::f80_isInf(b)) {
        if ((aZero && !b.sign()) || (aInf && b.sign())) {
            e.flags |= fp::kIE;
            r = kIndefinite;
        } else if (aZero || aInf) {
            r = a;
        } else {
            r = b.sign() ? Float80{0, static_cast<uint16_t>(a.se & 0x8000)} : Float80{1ull << 63, static_cast<uint16_t>(a.se | 0x7FFF)};
        }
        finish(c, 0, r, e, false);
        return;
    }
    if (aZero || aInf) { finish(c, 0, a, e, false); return; }
    bool sb, sa;
    int32_t eb, ea;
    uint64_t mb, ma;
    int64_t n = 0;
    if (!fp::f80_isZero(b)) {
        fp::f80_unpack(b, sb, eb, mb);
        if (eb >= 20) n = 1 << 20;
        else if (eb >= 0) n = static_cast<int64_t>(mb >> (63 - eb));
        if (sb) n = -n;
    }
    fp::f80_unpack(a, sa, ea, ma);
    const int64_t ne = ea + n;
    r = fp::f80_roundPack(sa, static_cast<int32_t>(ne), ma, 0, e);
    Wide w;
    w.valid = true;
    w.sign = sa;
    w.exp = ne;
    w.hi = ma;
    w.lo = 0;
    w.precision = e.precision;
    w.rounding = e.rounding;
    finish(c, 0, r, e, false, &w);
}

// FXTRACT: ST(0) := significand, push... in effect ST(1) := exponent, ST(0) := significand.
void extract(Cpu& c) {
    if (!isEmpty(c, 7)) {
        if (stackFault(c, true)) {
            setSt(c, 0, kIndefinite);
            push(c, kIndefinite);
        }
        return;
    }
    const Float80 a = st(c, 0);
    fp::Env e = envExt(c);
    Float80 ex, sig;
    if (nanOperands(a, a, false, sig, e)) {
        ex = sig;
    } else if (fp::f80_isZero(a)) {
        e.flags |= fp::kZE;
        ex = Float80{1ull << 63, 0xFFFF};  // -inf
        sig = a;
    } else if (fp::f80_isInf(a)) {
        ex = Float80{1ull << 63, 0x7FFF};
        sig = a;
    } else {
        if (denormalOrPseudo(a)) e.flags |= fp::kDE;
        bool s;
        int32_t x;
        uint64_t m;
        fp::f80_unpack(a, s, x, m);
        ex = fp::i64_to_f80(x);
        sig = Float80{m, static_cast<uint16_t>((s ? 0x8000 : 0) | 0x3FFF)};
    }
    if (commit(c, e.flags) == Commit::Discard) {
        setC(c, 0, fsw::C1);
        return;
    }
    setSt(c, 0, ex);
    push(c, sig);
    setC(c, 0, fsw::C1);
}

// FPREM / FPREM1 (SDM Vol.2): partial remainder; C2 = 1 when incomplete; C0, C3, C1 = Q2, Q1, Q0.
void remainder(Cpu& c, bool ieee) {
    fp::Env e = envExt(c);
    const Remainder r = partialRemainder(st(c, 0), st(c, 1), ieee, e);
    if (commit(c, e.flags) == Commit::Discard) {
        setC(c, 0, fsw::C1 | fsw::C2);
        return;
    }
    setSt(c, 0, r.value);
    if (r.special) {  // invalid or special operands: C1 and C2 cleared, C0 and C3 left alone
        setC(c, 0, fsw::C1 | fsw::C2);
        return;
    }
    setC(c, r.codes, kCAll);
}

}  // namespace

void unary(Cpu& c, const DecodedInsn& i, Unary u) {
    begin(c);
    pointers(c, i);
    switch (u) {
        case Unary::Nop: return;
        case Unary::DecStp: c.x87.setTop(c.x87.top() - 1); setC(c, 0, fsw::C1); return;
        case Unary::IncStp: c.x87.setTop(c.x87.top() + 1); setC(c, 0, fsw::C1); return;
        case Unary::Xam: setC(c, examine(c), kCAll); return;
        default: break;
    }
    const bool two = u == Unary::Scale || u == Unary::Prem || u == Unary::Prem1;
    if (isEmpty(c, 0) || (two && isEmpty(c, 1))) {
        if (u == Unary::Tst) {
            setC(c, fsw::C0 | fsw::C2 | fsw::C3, fsw::C0 | fsw::C2 | fsw::C3);
            stackFault(c, false);
            return;
        }
        if (u == Unary::Prem || u == Unary::Prem1) setC(c, 0, fsw::C2);
        if (u == Unary::Xtract) {
            if (stackFault(c, false)) {
                setSt(c, 0, kIndefinite);
                push(c, kIndefinite);
            }
            return;
        }
        return underflowTo(c, 0, false);
    }
    Float80 a = st(c, 0);
    switch (u) {
        case Unary::Chs: a.se ^= 0x8000; setSt(c, 0, a); setC(c, 0, fsw::C1); return;
        case Unary::Abs: a.se &= 0x7FFF; setSt(c, 0, a); setC(c, 0, fsw::C1); return;
        case Unary::Tst: {
            fp::Env e = env(c);
            const fp::Cmp r = fp::f80_compare(a, Float80{0, 0}, false, e);
            setCompareCodes(c, r);
            setC(c, 0, fsw::C1);
            commit(c, e.flags);
            return;
        }
        case Unary::Sqrt: {
            fp::Env e = env(c);
            finish(c, 0, fp::f80_sqrt(a, e), e, false);
            return;
        }
        case Unary::RndInt: {
            fp::Env e = envExt(c);
            finish(c, 0, fp::f80_roundToInt(a, e.rounding, e), e, false);
            return;
        }
        case Unary::Scale: return scale(c);
        case Unary::Xtract: return extract(c);
        case Unary::Prem: return remainder(c, false);
        case Unary::Prem1: return remainder(c, true);
        default: return;
    }
}

}  // namespace pvx::cpu::x87
