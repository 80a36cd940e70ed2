// PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM: packed string comparison controlled by imm8 (SDM
// Vol.2 section 4.1 "Imm8 Control Byte Operation for PCMPESTRI / PCMPESTRM / PCMPISTRI /
// PCMPISTRM"; the operand-validity overrides are its Table 4-7).
#include "cpu/insn/simd_int_elem.h"

namespace pvx::cpu {

namespace {

// Elements of one operand as ints (imm8[1]: signed; imm8[0]: words), and their valid count.
struct StrOperand {
    int e[16];
    unsigned len;
};

void loadElems(const Xmm& v, unsigned imm, StrOperand& o) {
    const bool words = imm & 1, sign = imm & 2;
    const unsigned n = words ? 8 : 16;
    for (unsigned k = 0; k < n; ++k) {
        if (words) o.e[k] = sign ? int{static_cast<int16_t>(v.w[k])} : int{v.w[k]};
        else o.e[k] = sign ? int{static_cast<int8_t>(v.b[k])} : int{v.b[k]};
    }
}
// Implicit length: elements before the first zero element (SDM 4.1.2).
unsigned implicitLen(const StrOperand& o, unsigned n) {
    for (unsigned k = 0; k < n; ++k)
        if (o.e[k] == 0) return k;
    return n;
}
// Explicit length: |RAX| / |RDX| (|EAX| / |EDX| without REX.W), saturated to n (SDM 4.1.3).
unsigned explicitLen(uint64_t r, bool w, unsigned n) {
    uint64_t a;
    if (w) {
        a = static_cast<int64_t>(r) < 0 ? 0 - r : r;
    } else {
        const uint32_t v = static_cast<uint32_t>(r);
        a = static_cast<int32_t>(v) < 0 ? uint64_t{0u - v} : v;
    }
    return a > n ? n : static_cast<unsigned>(a);
}

}  // namespace

void pcmpstrExec(Cpu& c, const DecodedInsn& i, const Xmm& src2, bool explicitLen_, bool mask) {
    const unsigned imm = static_cast<unsigned>(i.imm & 0xFF);
    const unsigned n = (imm & 1) ? 8 : 16;
    StrOperand a, b;  // a: xmm1 (ModRM.reg), b: xmm2/m128
    loadElems(c.xmm[i.reg], imm, a);
    loadElems(src2, imm, b);
    if (explicitLen_) {
        a.len = explicitLen(c.gpr[0], i.osz == 8, n);  // RAX
        b.len = explicitLen(c.gpr[2], i.osz == 8, n);  // RDX
    } else {
        a.len = implicitLen(a, n);
        b.len = implicitLen(b, n);
    }

    // IntRes1 (SDM 4.1.4 aggregation with the Table 4-7 overrides).
    uint32_t res1 = 0;
    switch ((imm >> 2) & 3) {
        case 0:  // equal any: b[j] equals some valid a[i]; invalid b[j] -> false
            for (unsigned j = 0; j < b.len; ++j)
                for (unsigned k = 0; k < a.len; ++k)
                    if (a.e[k] == b.e[j]) {
                        res1 |= 1u << j;
                        break;
                    }
            break;
        case 1:  // ranges: a holds (low, high) pairs; a pair with an invalid element never matches
            for (unsigned j = 0; j < b.len; ++j)
                for (unsigned k = 0; k + 1 < a.len; k += 2)
                    if (b.e[j] >= a.e[k] && b.e[j] <= a.e[k + 1]) {
                        res1 |= 1u << j;
                        break;
                    }
            break;
        case 2:  // equal each: both invalid -> true, one invalid -> false
            for (unsigned j = 0; j < n; ++j) {
                const bool va = j < a.len, vb = j < b.len;
                if ((va && vb) ? a.e[j] == b.e[j] : (!va && !vb)) res1 |= 1u << j;
            }
            break;
        default:  // equal ordered: a (the needle) starts at b[j]; invalid a -> true, valid a vs
                  // invalid b -> false; needle elements past the end are not compared
            for (unsigned j = 0; j < n; ++j) {
                bool m = true;
                for (unsigned k = 0; k + j < n && m; ++k) {
                    if (k >= a.len) break;
                    if (k + j >= b.len || a.e[k] != b.e[k + j]) m = false;
                }
                if (m) res1 |= 1u << j;
            }
            break;
    }
    // IntRes2: polarity (SDM 4.1.5).
    const uint32_t all = (1u << n) - 1;
    uint32_t res2;
    switch ((imm >> 4) & 3) {
        case 0: case 2: res2 = res1; break;
        case 1: res2 = ~res1 & all; break;
        default: res2 = res1 ^ ((1u << b.len) - 1); break;  // negate only the valid elements of b
    }

    if (mask) {  // PCMPxSTRM: XMM0 (SDM 4.1.6)
        Xmm m{};
        if (imm & 0x40) {
            for (unsigned k = 0; k < n; ++k) {
                if (!(res2 & (1u << k))) continue;
                if (n == 8) m.w[k] = 0xFFFF;
                else m.b[k] = 0xFF;
            }
        } else {
            m.d[0] = res2;
        }
        c.xmm[0] = m;
    } else {  // PCMPxSTRI: ECX, n when no bit is set
        uint32_t idx = n;
        if (res2) idx = (imm & 0x40) ? 31u - static_cast<uint32_t>(__builtin_clz(res2)) : static_cast<uint32_t>(__builtin_ctz(res2));
        c.gpr[1] = idx;
    }
    // Flags (SDM 4.1.7? "Flags"): CF result non-zero, ZF/SF an operand shorter than n, OF
    // IntRes2[0]; AF and PF cleared.
    uint32_t f = 0;
    if (res2) f |= kCF;
    if (b.len < n) f |= kZF;
    if (a.len < n) f |= kSF;
    if (res2 & 1) f |= kOF;
    c.lf.setEager(f);
}

}  // namespace pvx::cpu
