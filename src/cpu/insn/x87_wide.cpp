// Exact wide x87 results for the unmasked overflow/underflow response (x87_wide.h).
#include "cpu/insn/x87_wide.h"

#include "cpu/insn/x87_common.h"

#include <utility>

namespace pvx::cpu::x87 {

namespace {
using u128 = unsigned __int128;
bool finiteNonzero(fp::Float80 v) {
    return !fp::f80_isNaN(v) && !fp::f80_isInf(v) && !fp::f80_isZero(v) && !fp::f80_isUnsupported(v);
}
void setSig(Wide& w, u128 s) {
    w.hi = static_cast<uint64_t>(s >> 64);
    w.lo = static_cast<uint64_t>(s);
}
}  // namespace

Wide wideArith(fp::Float80 a, fp::Float80 b, char op) {
    Wide w;
    if ((op == '+' || op == '-') && finiteNonzero(a) != finiteNonzero(b) && (fp::f80_isZero(a) || fp::f80_isZero(b))) {
        // One operand zero: the result is the other one (exact; may be tiny).
        const bool useA = finiteNonzero(a);
        bool s;
        int32_t e;
        uint64_t m;
        fp::f80_unpack(useA ? a : b, s, e, m);
        w.valid = true;
        w.sign = useA ? s : (op == '-') != s;
        w.exp = e;
        w.hi = m;
        return w;
    }
    if (!finiteNonzero(a) || !finiteNonzero(b)) return w;
    bool sa, sb;
    int32_t ea, eb;
    uint64_t ma, mb;
    fp::f80_unpack(a, sa, ea, ma);
    fp::f80_unpack(b, sb, eb, mb);
    w.valid = true;
    switch (op) {
        case '*': {
            // ma * mb in [2^126, 2^128): value = p * 2^(ea + eb - 126) = p * 2^(exp - 127).
            w.sign = sa != sb;
            w.exp = int64_t(ea) + eb + 1;
            setSig(w, u128(ma) * mb);
            return w;
        }
        case '/': {
            // 128 quotient bits of ma / mb by long division, then a sticky bit.
            w.sign = sa != sb;
            u128 rem = ma, q = 0;
            for (int k = 0; k < 127; ++k) {
                q <<= 1;
                if (rem >= mb) {
                    rem -= mb;
                    q |= 1;
                }
                rem <<= 1;
            }
            q = (q << 1) | (rem != 0);
            // q = floor(ma/mb * 2^126) (with sticky appended as bit 0 after one more shift):
            // value = q * 2^(ea - eb - 127).
            w.exp = int64_t(ea) - eb;
            setSig(w, q);
            return w;
        }
        default: {
            if (op == '-') sb = !sb;
            if (ea < eb || (ea == eb && ma < mb)) {
                std::swap(ea, eb);
                std::swap(ma, mb);
                std::swap(sa, sb);
            }
            const int32_t d = ea - eb;
            const u128 x = u128(ma) << 62;
            u128 y = u128(mb) << 62;
            if (d) y = d >= 126 ? 1 : ((y >> d) | ((y << (128 - d)) != 0));
            const u128 r = sa == sb ? x + y : x - y;
            if (r == 0) return Wide{};
            w.sign = sa;
            // x has its leading bit at 125 for exponent ea: value = r * 2^(ea - 125).
            w.exp = int64_t(ea) + 2;
            setSig(w, r);
            return w;
        }
    }
}

Remainder partialRemainder(fp::Float80 a, fp::Float80 b, bool ieee, fp::Env& e) {
    using fp::Float80;
    auto codes = [](uint64_t q) {
        uint16_t cc = 0;
        if (q & 4) cc |= fsw::C0;
        if (q & 2) cc |= fsw::C3;
        if (q & 1) cc |= fsw::C1;
        return cc;
    };
    Remainder out;
    out.special = true;
    if (nanOperands(a, b, true, out.value, e)) return out;
    if (fp::f80_isInf(a) || fp::f80_isZero(b)) {
        e.flags |= fp::kIE;
        out.value = kIndefinite;
        return out;
    }
    if ((a.exp() == 0 && a.mant) || (b.exp() == 0 && b.mant)) e.flags |= fp::kDE;
    out.special = false;
    out.value = a;
    if (a.exp() == 0 && (a.mant >> 63)) out.value.se |= 1;  // a pseudo-denormal comes back normalised
    if (fp::f80_isZero(a) || fp::f80_isInf(b)) return out;
    bool sa, sb;
    int32_t ea, eb;
    uint64_t ma, mb;
    fp::f80_unpack(a, sa, ea, ma);
    fp::f80_unpack(b, sb, eb, mb);
    const int32_t d = ea - eb;
    const Float80 zero{0, static_cast<uint16_t>(sa ? 0x8000 : 0)};
    if (d >= 64) {
        // Partial: the exponent difference shrinks by N = 32..63 (Intel: (D mod 32) + 32).
        const unsigned n = static_cast<unsigned>((d & 31) | 32);
        const uint64_t rr = static_cast<uint64_t>((u128(ma) << n) % mb);
        out.codes = fsw::C2;
        // value = rr * 2^(ea - 63 - n)
        out.value = rr ? fp::f80_roundPack(sa, ea - static_cast<int32_t>(n), rr, 0, e) : zero;
        return out;
    }
    if (d < -1 || (d == -1 && !ieee)) return out;
    if (d == -1) {  // FPREM1 only: |a| in [|b|/4, |b|): the quotient rounds to 0 or 1
        if (ma <= mb) return out;  // |a| <= |b|/2 (a tie rounds to the even quotient 0)
        const u128 r2 = (u128(mb) << 1) - ma;  // |b| - |a| in units of 2^(ea - 63)
        // r2 < mb < 2^64 (ma > mb), so it fits a 64-bit significand.
        const uint64_t r64 = static_cast<uint64_t>(r2);
        const int z = __builtin_clzll(r64);
        out.value = fp::f80_roundPack(!sa, ea - z, r64 << z, 0, e);
        out.codes = codes(1);
        return out;
    }
    const u128 num = u128(ma) << d;
    u128 q = num / mb;
    uint64_t rem = static_cast<uint64_t>(num % mb);
    bool neg = sa;
    if (ieee && (u128(rem) * 2 > mb || (u128(rem) * 2 == mb && (q & 1)))) {
        ++q;
        rem = mb - rem;
        neg = !sa;
    }
    out.codes = codes(static_cast<uint64_t>(q));
    if (rem == 0) {
        out.value = zero;
        return out;
    }
    const int z = __builtin_clzll(rem);
    out.value = fp::f80_roundPack(neg, eb - z, rem << z, 0, e);  // rem * 2^(eb - 63)
    return out;
}

}  // namespace pvx::cpu::x87
