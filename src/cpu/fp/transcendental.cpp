// x87 transcendental functions in integer arithmetic (see transcendental.h).
//
// Method: values are carried as R = +-sig * 2^scale with a 128-bit significand (about 125
// correct bits after the series), and rounded once to the 64-bit result by f80_roundPack with a
// sticky bit, so results are correctly rounded except when the exact value lies within ~2^-60
// ulp of a rounding boundary.
//  - sin/cos/tan: the argument is reduced modulo pi/2 exactly (big-integer remainder) against
//    the 66-bit pi Intel's FPU uses internally (SDM Vol.1 8.3.10 "Transcendental instruction
//    accuracy"), so large arguments give the same results as the hardware; then Taylor series
//    for sin(r)/r and cos(r) on |r| <= pi/4.
//  - 2^x - 1: expm1(x ln 2) by its Taylor series of expm1(y)/y.
//  - log2: x = m * 2^k with m in [sqrt(2)/2, sqrt(2)), log2(m) = 2 atanh(s) / ln 2 with
//    s = (m - 1)/(m + 1) (|s| < 0.172); log2(1 + x) the same with s = x / (2 + x).
//  - atan: Euler's series atan(t) = t/(1+t^2) * sum (2k)!!/(2k+1)!! (t^2/(1+t^2))^k on
//    t = min/max of |y|, |x|, then the quadrant.
#include "cpu/fp/transcendental.h"

#include <utility>

namespace pvx::fp {

namespace {

using u128 = unsigned __int128;

constexpr u128 mk(uint64_t hi, uint64_t lo) { return (u128(hi) << 64) | lo; }
constexpr u128 kOne127 = u128(1) << 127;                                // 1.0 in Q1.127
constexpr u128 kLn2 = mk(0xb17217f7d1cf79abull, 0xc9e3b39803f2f6afull);  // ln 2, Q0.128
constexpr u128 kInvLn2 = mk(0xb8aa3b295c17f0bbull, 0xbe87fed0691d3e88ull);  // 1/ln 2, Q1.127
constexpr u128 kPi = mk(0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull);   // pi, Q2.126
constexpr u128 kPi66Half = mk(0x3ull, 0x243f6a8885a308d3ull);           // Intel's pi/2 in 2^-65 units

int clz128(u128 v) {
    const uint64_t hi = uint64_t(v >> 64);
    return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll(uint64_t(v));
}

// High 128 bits of a 128 x 128 product.
u128 mulhi(u128 a, u128 b) {
    const u128 al = uint64_t(a), ah = a >> 64, bl = uint64_t(b), bh = b >> 64;
    const u128 ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    const u128 mid = (ll >> 64) + uint64_t(lh) + uint64_t(hl);
    return hh + (lh >> 64) + (hl >> 64) + (mid >> 64);
}

// A real number +-sig * 2^scale.
struct R {
    bool neg = false;
    u128 sig = 0;
    int scale = 0;
};

R norm(R a) {
    if (a.sig == 0) return a;
    const int z = clz128(a.sig);
    a.sig <<= z;
    a.scale -= z;
    return a;
}
R fromF80(Float80 x) {
    bool s;
    int32_t e;
    uint64_t m;
    f80_unpack(x, s, e, m);
    return R{s, u128(m) << 64, e - 127};
}
R fromFixed(u128 v, int fracBits, bool neg = false) { return norm(R{neg, v, -fracBits}); }

R mul(R a, R b) {
    a = norm(a);
    b = norm(b);
    if (!a.sig || !b.sig) return R{a.neg != b.neg, 0, 0};
    return norm(R{a.neg != b.neg, mulhi(a.sig, b.sig) | 1, a.scale + b.scale + 128});
}
R div(R a, R b) {
    a = norm(a);
    b = norm(b);
    if (!a.sig) return R{a.neg != b.neg, 0, 0};
    // Long division of a.sig by b.sig (both with bit 127 set): 127 fraction bits and a sticky.
    u128 rem = a.sig, q = 0;
    bool carry = false;  // rem carried past bit 127
    for (int k = 0; k < 128; ++k) {
        q <<= 1;
        if (carry || rem >= b.sig) {
            rem -= b.sig;
            q |= 1;
        }
        carry = rem >> 127;
        rem <<= 1;
    }
    return norm(R{a.neg != b.neg, q | (rem != 0), a.scale - b.scale - 127});
}
R add(R a, R b) {
    a = norm(a);
    b = norm(b);
    if (!b.sig) return a;
    if (!a.sig) return b;
    if (a.scale < b.scale || (a.scale == b.scale && a.sig < b.sig)) std::swap(a, b);
    // Leave two bits of headroom, jam shifted-out bits into a sticky bit.
    u128 x = a.sig >> 2, y = b.sig >> 2;
    const int d = a.scale - b.scale;
    if (d >= 126) y = 1;
    else if (d) y = (y >> d) | ((y << (128 - d)) != 0);
    const u128 r = a.neg == b.neg ? x + y : x - y;
    return norm(R{a.neg, r, a.scale + 2});
}
R negate(R a) {
    a.neg = !a.neg;
    return a;
}

Float80 round(R a, Env& e, int32_t adjust) {
    a = norm(a);
    a.scale += adjust;
    if (!a.sig) return Float80{0, static_cast<uint16_t>(a.neg ? 0x8000 : 0)};
    Env re = e;
    re.precision = kPrecExtended;
    re.flags = 0;
    // The value is never exact here (irrational results): keep a sticky bit.
    const Float80 r = f80_roundPack(a.neg, a.scale + 127, uint64_t(a.sig >> 64), uint64_t(a.sig) | 1, re);
    e.flags |= re.flags | kPE;
    e.roundedUp = re.roundedUp;
    return r;
}

// |r| <= pi/4 (r normalised): sin(r)/r and cos(r) as Q1.127.
u128 sinOverR(u128 r2) {  // r2 = r^2 in Q0.128
    u128 acc = kOne127;
    for (int k = 16; k >= 1; --k) acc = kOne127 - mulhi(r2, acc) / u128((2 * k) * (2 * k + 1));
    return acc == kOne127 ? acc - 1 : acc;  // r^2 underflowed: the value is still just below 1
}
u128 cosSeries(u128 r2) {
    u128 acc = kOne127;
    for (int k = 16; k >= 1; --k) acc = kOne127 - mulhi(r2, acc) / u128((2 * k - 1) * (2 * k));
    return acc == kOne127 ? acc - 1 : acc;
}
// r^2 as Q0.128 for |r| < 1.
u128 squareFixed(R r) {
    r = norm(r);
    const u128 s = mulhi(r.sig, r.sig);  // r^2 = s * 2^(2 scale + 128)
    const int sh = 2 * r.scale + 128 + 128;  // to Q0.128
    if (sh == 0) return s;
    if (sh > 0) return sh >= 128 || (s >> (128 - sh)) ? ~u128(0) : s << sh;  // |r| >= 1: saturate (undefined domains)
    if (sh <= -128) return 0;
    return s >> -sh;
}

// Reduction modulo Intel's pi/2: x = q * pi66/2 + r, |r| <= pi66/4 (SDM Vol.1 8.3.10).
R reduce(Float80 x, unsigned& quadrant) {
    R a = fromF80(x);
    quadrant = 0;
    bool s;
    int32_t e;
    uint64_t m;
    f80_unpack(x, s, e, m);
    if (e < -1) return a;  // |x| < 0.5 < pi/4
    // x in units of 2^-65: m << (e + 2), e <= 62.
    const u128 X = u128(m) << (e + 2);
    u128 q = X / kPi66Half;
    u128 rem = X - q * kPi66Half;
    bool rneg = false;
    if (rem > kPi66Half / 2) {
        rem = kPi66Half - rem;
        ++q;
        rneg = true;
    }
    quadrant = unsigned(q & 3);
    if (s) {  // sin/cos of -x: reduce |x| and mirror the quadrant
        quadrant = (4 - quadrant) & 3;
        rneg = !rneg;
    }
    return norm(R{rneg, rem, -65});
}

R sinR(R r) {
    if (!r.sig) return r;
    return mul(r, fromFixed(sinOverR(squareFixed(r)), 127));
}
R cosR(R r) { return fromFixed(cosSeries(squareFixed(r)), 127); }

// atanh(s)/s for |s| < 0.18, Q1.127.
u128 atanhOverS(u128 s2) {
    u128 acc = kOne127 / 61;
    for (int k = 29; k >= 1; --k) acc = kOne127 / u128(2 * k + 1) + mulhi(s2, acc);
    return kOne127 + mulhi(s2, acc);  // 1 + s^2 (1/3 + s^2 (1/5 + ...))
}
// 2 atanh(s) / ln 2 = log2((1 + s)/(1 - s)).
R log2FromS(R s) {
    if (!s.sig) return s;
    const R t = mul(s, fromFixed(atanhOverS(squareFixed(s)), 127));
    R r = mul(t, fromFixed(kInvLn2, 127));
    r.scale += 1;
    return r;
}

// atan(t) for 0 < t <= 1 (Euler's series).
R atanR(R t) {
    const R t2 = mul(t, t);
    const R onePlus = add(R{false, kOne127, -127}, t2);
    const R zR = div(t2, onePlus);  // z = t^2 / (1 + t^2) <= 1/2
    // z as Q0.128
    R zn = norm(zR);
    u128 z = 0;
    const int sh = zn.scale + 128;
    if (zn.sig && sh > -128) z = sh >= 0 ? (sh >= 128 ? ~u128(0) : zn.sig << sh) : zn.sig >> -sh;
    u128 term = kOne127, sum = kOne127;
    for (int k = 1; k < 200 && term; ++k) {
        term = mulhi(term, z) / u128(2 * k + 1) * u128(2 * k);
        sum += term;
    }
    // sum <= ~1.57 fits Q1.127 (< 2).
    return mul(div(t, onePlus), fromFixed(sum, 127));
}

R piR() { return fromFixed(kPi, 126); }

}  // namespace

Float80 f80_sin(Float80 x, Env& e, int32_t adjust) {
    unsigned q;
    const R r = reduce(x, q);
    R v = (q & 1) ? cosR(r) : sinR(r);
    if (q & 2) v = negate(v);
    return round(v, e, adjust);
}

Float80 f80_cos(Float80 x, Env& e, int32_t adjust) {
    unsigned q;
    const R r = reduce(x, q);
    R v = (q & 1) ? sinR(r) : cosR(r);
    if (q == 1 || q == 2) v = negate(v);
    return round(v, e, adjust);
}

Float80 f80_tan(Float80 x, Env& e, int32_t adjust) {
    unsigned q;
    const R r = reduce(x, q);
    const R s = sinR(r), c = cosR(r);
    const R v = (q & 1) ? negate(div(c, s)) : div(s, c);
    return round(v, e, adjust);
}

Float80 f80_atan2(Float80 y, Float80 x, Env& e, int32_t adjust) {
    // Finite nonzero operands.
    R ay = fromF80(y), ax = fromF80(x);
    ay.neg = ax.neg = false;
    const bool swap = ay.scale > ax.scale || (ay.scale == ax.scale && ay.sig > ax.sig);  // |y| > |x|
    R th = atanR(swap ? div(ax, ay) : div(ay, ax));
    if (swap) {
        R half = piR();
        half.scale -= 1;
        th = add(half, negate(th));
    }
    if (x.sign()) th = add(piR(), negate(th));
    th.neg = y.sign();
    return round(th, e, adjust);
}

Float80 f80_2xm1(Float80 x, Env& e, int32_t adjust) {
    if (x.mant == (1ull << 63) && x.exp() == 0x3FFF) {  // +-1: 1 and -1/2, reported inexact as Intel does
        e.flags |= kPE;
        e.roundedUp = !x.sign();
        return x.sign() ? Float80{1ull << 63, 0xBFFE} : Float80{1ull << 63, 0x3FFF};
    }
    R y = mul(fromF80(x), fromFixed(kLn2, 128));  // y = x ln 2, |y| <= ln 2 (or a bit more)
    y = norm(y);
    // |y| as Q0.128 (|y| < 1.4: keep Q1.127 instead to be safe)
    u128 yf = 0;
    const int sh = y.scale + 127;  // Q1.127
    if (sh > -128) yf = sh > 0 ? ~u128(0) : y.sig >> -sh;  // |y| >= 2 only outside the domain: saturate
    // expm1(y)/y = 1 + y/2 (1 + y/3 (1 + y/4 (...))) in Q1.127 with signed steps.
    u128 acc = kOne127;
    for (int k = 40; k >= 2; --k) {
        const u128 t = mulhi(yf, acc) * 2 / u128(k);  // y * acc / k  (Q1.127 x Q1.127 -> <<1)
        acc = y.neg ? kOne127 - t : kOne127 + t;
    }
    return round(mul(y, fromFixed(acc, 127)), e, adjust);
}

Float80 f80_yl2x(Float80 y, Float80 x, Env& e, int32_t adjust) {
    // x finite > 0.
    bool s;
    int32_t k;
    uint64_t m;
    f80_unpack(x, s, k, m);
    // m * 2^-63 in [1, 2); move to [sqrt(2)/2, sqrt(2)).
    constexpr uint64_t kSqrt2 = 0xB504F333F9DE6484ull;  // sqrt(2) * 2^63
    u128 num, den;  // (mant - 1) and (mant + 1) in units of 2^-64
    bool negNum = false;
    if (m > kSqrt2) {
        ++k;
        // mant/2 - 1 = (m - 2^64) / 2^64 -> negative
        num = (u128(1) << 64) - m;
        negNum = true;
        den = (u128(1) << 64) + m;
    } else {
        num = (u128(m) - (u128(1) << 63)) << 1;
        den = (u128(m) + (u128(1) << 63)) << 1;
    }
    if (!num && !adjust) return f80_mul(y, i64_to_f80(k), e);  // x = 2^k: y * k, exactly rounded
    R lg;
    if (num) lg = log2FromS(div(R{negNum, num, 0}, R{false, den, 0}));
    if (k) lg = add(R{k < 0, u128(k < 0 ? -int64_t(k) : k), 0}, lg);
    lg = norm(lg);
    if (!lg.sig) return Float80{0, static_cast<uint16_t>(y.sign() ? 0x8000 : 0)};
    return round(mul(fromF80(y), lg), e, adjust);
}

Float80 f80_yl2xp1(Float80 y, Float80 x, Env& e, int32_t adjust) {
    const R rx = fromF80(x);
    const R s = div(rx, add(R{false, kOne127, -126}, rx));  // x / (2 + x)
    return round(mul(fromF80(y), log2FromS(s)), e, adjust);
}

}  // namespace pvx::fp
