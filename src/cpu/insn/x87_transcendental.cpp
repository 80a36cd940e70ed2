// x87 transcendental instructions (SDM Vol.2 FSIN/FCOS/FSINCOS/FPTAN/FPATAN/F2XM1/FYL2X/FYL2XP1):
// stack rules, special operands (the tables in each instruction's "Description") and the
// out-of-range rule (|x| >= 2^63: C2 = 1, ST(0) unchanged); the math is cpu/fp/transcendental.
//
// Accuracy: results are rounded once from ~125-bit intermediates (correctly rounded except in
// rare near-tie cases); against the host's x87 they are within 1 ulp (the X87Transcendental
// test in tests/diff/forms_x87.cpp). FSIN/FCOS/FSINCOS/FPTAN reduce the argument with the 66-bit
// pi of Intel processors (SDM Vol.1 8.3.10), so they follow the hardware, not the exact value,
// near multiples of pi.
#include "cpu/fp/transcendental.h"
#include "cpu/insn/x87.h"

namespace pvx::cpu::x87 {

namespace {

constexpr Float80 kOne{1ull << 63, 0x3FFF};
Float80 signedZero(bool neg) { return Float80{0, static_cast<uint16_t>(neg ? 0x8000 : 0)}; }
Float80 signedInf(bool neg) { return Float80{1ull << 63, static_cast<uint16_t>(neg ? 0xFFFF : 0x7FFF)}; }
bool denormalOrPseudo(Float80 v) { return v.exp() == 0 && v.mant != 0; }
// Constants +-pi * num / den rounded per RC (FPATAN special results).
Float80 piMultiple(bool neg, int num, int den, fp::Env& e) {
    // pi * 2^-126 * kPiSig (Q2.126), times num/den with num in {1, 3} and den in {1, 2, 4}.
    const unsigned __int128 pi = (static_cast<unsigned __int128>(0xc90fdaa22168c234ull) << 64) | 0xc4c6628b80dc1cd1ull;
    unsigned __int128 v = pi;
    int exp = 1;  // pi in [2, 4): leading bit exponent 1
    if (num == 3) {  // 3pi/4 = pi/2 + pi/4
        v = pi - (pi >> 2);  // 3/4 pi with leading bit exponent 1
    }
    exp -= den == 1 ? 0 : den == 2 ? 1 : 2;
    const Float80 r = fp::f80_roundPack(neg, exp, static_cast<uint64_t>(v >> 64), static_cast<uint64_t>(v) | 1, e);
    e.flags |= fp::kPE;
    return r;
}

// Ends the instruction: exception commit and C1, then writes via `store` when allowed.
template <typename F> void commitAnd(Cpu& c, fp::Env& e, F store) {
    if (e.flags & (fp::kIE | fp::kZE)) e.flags &= static_cast<uint8_t>(~fp::kDE);  // IE, ZE outrank DE
    if (commit(c, e.flags) == Commit::Discard) {
        setC(c, 0, fsw::C1);
        return;
    }
    store();
    setC1Rounding(c, e);
}

// Computes f(env, exponentAdjust), redoing it bias-adjusted when the result underflows with UE
// unmasked or overflows with OE unmasked (SDM Vol.1 8.5.4, 8.5.5).
template <typename F> Float80 withBias(Cpu& c, fp::Env& e, F f) {
    const fp::Env e0 = e;
    Float80 r = f(e, 0);
    if (r.exp() == 0 && !masked(c, fcw::UM)) {
        e = e0;
        r = f(e, 24576);
        e.flags |= fp::kUE;
    } else if ((e.flags & fp::kOE) && !masked(c, fcw::OM)) {
        e = e0;
        r = f(e, -24576);
        e.flags |= fp::kOE;
    }
    return r;
}

// sin(x) and tan(x) of a denormal x: x rounded as if just below (sin) or just above (tan) it in
// magnitude, which is where the exact values lie (x - x^3/6, x + x^3/3).
Float80 tinyIdentity(Float80 x, bool above, fp::Env& e, int32_t adjust) {
    bool s;
    int32_t ex;
    uint64_t m;
    fp::f80_unpack(x, s, ex, m);
    fp::Env re = e;
    re.flags = 0;
    const Float80 r = above ? fp::f80_roundPack(s, ex + adjust, m, 1, re) : fp::f80_roundPack(s, ex + adjust, m - 1, ~0ull, re);
    e.flags |= re.flags | fp::kPE;
    e.roundedUp = re.roundedUp;
    return r;
}

void trig(Cpu& c, Trans t) {
    const bool pushes = t == Trans::Ptan || t == Trans::SinCos;
    if (isEmpty(c, 0)) {
        if (stackFault(c, false)) {
            setSt(c, 0, kIndefinite);
            if (pushes) push(c, kIndefinite);
        }
        setC(c, 0, fsw::C2);
        return;
    }
    if (pushes && !isEmpty(c, 7)) {
        if (stackFault(c, true)) {
            setSt(c, 0, kIndefinite);
            push(c, kIndefinite);
        }
        setC(c, 0, fsw::C2);
        return;
    }
    const Float80 x = st(c, 0);
    fp::Env e = envExt(c);
    Float80 a, b;  // results: a replaces ST(0); b is pushed (FPTAN: 1.0, FSINCOS: cosine)
    if (nanOperands(x, x, false, a, e)) {
        b = a;
    } else if (fp::f80_isInf(x)) {
        e.flags |= fp::kIE;
        a = b = kIndefinite;
    } else if (!fp::f80_isZero(x) && x.exp() >= 0x3FFF + 63) {
        setC(c, fsw::C2, fsw::C1 | fsw::C2);  // out of range: operand unchanged (SDM Vol.2 FSIN)
        return;
    } else if (fp::f80_isZero(x)) {
        a = x;  // sin/tan of +-0
        b = kOne;  // FPTAN pushes 1.0; FSINCOS: cos(0) = 1
        if (t == Trans::Cos) a = kOne;
    } else {
        const bool tiny = denormalOrPseudo(x);
        if (tiny) e.flags |= fp::kDE;
        switch (t) {
            case Trans::Sin:
                a = withBias(c, e, [&](fp::Env& v, int32_t adj) { return tiny ? tinyIdentity(x, false, v, adj) : fp::f80_sin(x, v, adj); });
                break;
            case Trans::Cos: a = fp::f80_cos(x, e); break;
            case Trans::Ptan:
                a = withBias(c, e, [&](fp::Env& v, int32_t adj) { return tiny ? tinyIdentity(x, true, v, adj) : fp::f80_tan(x, v, adj); });
                b = kOne;
                break;
            default: {  // FSINCOS: ST(1) = sine, ST(0) = cosine
                fp::Env ec = e;
                a = withBias(c, e, [&](fp::Env& v, int32_t adj) { return tiny ? tinyIdentity(x, false, v, adj) : fp::f80_sin(x, v, adj); });
                b = fp::f80_cos(x, ec);
                e.flags |= ec.flags;
                e.roundedUp = ec.roundedUp;  // C1 follows the value left in ST(0)
                break;
            }
        }
    }
    setC(c, 0, fsw::C2);
    commitAnd(c, e, [&] {
        setSt(c, 0, a);
        if (pushes) push(c, b);
    });
}

// ST(0) and ST(1) both hold values; otherwise the stack-fault response of a two-operand
// instruction that pops (SDM Vol.1 8.5.1.1: masked, ST(1) := indefinite and pop).
bool twoOperands(Cpu& c) {
    if (!isEmpty(c, 0) && !isEmpty(c, 1)) return true;
    if (stackFault(c, false)) {
        setSt(c, 1, kIndefinite);
        pop(c);
    }
    return false;
}

// FPATAN: ST(1) := atan(ST(1) / ST(0)), pop.
void patan(Cpu& c) {
    if (!twoOperands(c)) return;
    const Float80 x = st(c, 0), y = st(c, 1);
    fp::Env e = envExt(c);
    Float80 r;
    if (!nanOperands(y, x, true, r, e)) {
        if (denormalOrPseudo(x) || denormalOrPseudo(y)) e.flags |= fp::kDE;
        const bool ny = y.sign(), nx = x.sign();
        if (fp::f80_isInf(y)) {
            r = fp::f80_isInf(x) ? piMultiple(ny, nx ? 3 : 1, 4, e) : piMultiple(ny, 1, 2, e);
        } else if (fp::f80_isZero(y)) {
            r = nx ? piMultiple(ny, 1, 1, e) : signedZero(ny);
        } else if (fp::f80_isInf(x)) {
            r = nx ? piMultiple(ny, 1, 1, e) : signedZero(ny);
        } else if (fp::f80_isZero(x)) {
            r = piMultiple(ny, 1, 2, e);
        } else {
            r = withBias(c, e, [&](fp::Env& v, int32_t adj) { return fp::f80_atan2(y, x, v, adj); });
        }
    }
    commitAnd(c, e, [&] {
        setSt(c, 1, r);
        pop(c);
    });
}

void f2xm1(Cpu& c) {
    if (isEmpty(c, 0)) {
        if (stackFault(c, false)) setSt(c, 0, kIndefinite);
        return;
    }
    const Float80 x = st(c, 0);
    fp::Env e = envExt(c);
    Float80 r;
    if (nanOperands(x, x, false, r, e)) {
    } else if (fp::f80_isInf(x)) {
        r = x.sign() ? Float80{1ull << 63, 0xBFFF} : x;  // -inf -> -1, +inf -> +inf
    } else if (fp::f80_isZero(x)) {
        r = x;
    } else {
        if (denormalOrPseudo(x)) e.flags |= fp::kDE;
        r = withBias(c, e, [&](fp::Env& v, int32_t adj) { return fp::f80_2xm1(x, v, adj); });
    }
    commitAnd(c, e, [&] { setSt(c, 0, r); });
}

// FYL2X / FYL2XP1: ST(1) := ST(1) * log2(ST(0)) or log2(ST(0) + 1), pop.
void yl2x(Cpu& c, bool plus1) {
    if (!twoOperands(c)) return;
    const Float80 x = st(c, 0), y = st(c, 1);
    fp::Env e = envExt(c);
    Float80 r;
    if (!nanOperands(y, x, true, r, e)) {
        if (denormalOrPseudo(x) || denormalOrPseudo(y)) e.flags |= fp::kDE;
        // The sign and kind of the logarithm: -1 negative, 0 zero, 1 positive; inf = infinite.
        int lsign;
        bool linf = false, invalid = false;
        const bool yZero = fp::f80_isZero(y), yInf = fp::f80_isInf(y);
        if (!plus1) {
            if (x.sign() && !fp::f80_isZero(x)) invalid = true;  // log of a negative number
            else if (fp::f80_isZero(x)) { lsign = -1; linf = true; }
            else if (fp::f80_isInf(x)) { lsign = 1; linf = true; }
            else if (x.mant == (1ull << 63) && x.exp() == 0x3FFF) lsign = 0;
            else lsign = x.exp() >= 0x3FFF ? 1 : -1;
        } else {
            // Outside |x| < 1 - sqrt(2)/2 the result is undefined (SDM Vol.2 FYL2XP1); finite x
            // is still computed by the same formula, as the hardware does.
            if (fp::f80_isInf(x)) invalid = true;
            else if (fp::f80_isZero(x)) lsign = 0;
            else lsign = x.sign() ? -1 : 1;
        }
        if (invalid) {
            e.flags |= fp::kIE;
            r = kIndefinite;
        } else {
            const bool neg = y.sign() != (lsign < 0);
            if (lsign == 0) {
                if (yInf) { e.flags |= fp::kIE; r = kIndefinite; }
                else r = signedZero(plus1 ? y.sign() != x.sign() : y.sign());
            } else if (linf) {
                if (yZero) { e.flags |= fp::kIE; r = kIndefinite; }
                else {
                    if (!yInf && fp::f80_isZero(x)) e.flags |= fp::kZE;  // finite y * log2(0)
                    r = signedInf(neg);
                }
            } else if (yInf) {
                r = signedInf(neg);
            } else if (yZero) {
                r = signedZero(neg);
            } else {
                r = withBias(c, e, [&](fp::Env& v, int32_t adj) {
                    return plus1 ? fp::f80_yl2xp1(y, x, v, adj) : fp::f80_yl2x(y, x, v, adj);
                });
            }
        }
    }
    commitAnd(c, e, [&] {
        setSt(c, 1, r);
        pop(c);
    });
}

}  // namespace

void transcendental(Cpu& c, const DecodedInsn& i, Trans t) {
    begin(c);
    pointers(c, i);
    switch (t) {
        case Trans::Sin: case Trans::Cos: case Trans::SinCos: case Trans::Ptan: return trig(c, t);
        case Trans::Patan: return patan(c);
        case Trans::F2xm1: return f2xm1(c);
        case Trans::Yl2x: return yl2x(c, false);
        case Trans::Yl2xp1: return yl2x(c, true);
    }
}

}  // namespace pvx::cpu::x87
