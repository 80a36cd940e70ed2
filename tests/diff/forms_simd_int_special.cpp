// Differential forms: SSE4.2 PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (every imm8, strings with
// embedded zeros, explicit lengths negative, above 16 and with upper-half noise), CRC32 in every
// operand size, and encodings that must raise #UD (a missing or wrong mandatory prefix, memory
// operands where only registers are allowed and the reverse) (SDM Vol.2).
#include "forms_simd_int.h"

#include <cstring>
#include <memory>

namespace pvx::difftest::simdint {

namespace {

// A string operand: elements from a small alphabet (so compares hit), sometimes zeros.
V128 strValue(Gen& g, bool words, unsigned zeroPct) {
    static const uint16_t kAlpha[] = {'a', 'b', 'c', 'z', 0x7F, 0x80, 0xFF, 0x01, 0x8000, 0x7FFF, 0xFFFF, 0x0161};
    const unsigned n = words ? 8 : 16;
    uint8_t b[16];
    for (unsigned k = 0; k < n; ++k) {
        uint16_t v = g.pct(zeroPct) ? 0 : kAlpha[g.below(words ? 12 : 7)];
        if (g.pct(10)) v = static_cast<uint16_t>(g.u64());
        if (words) std::memcpy(b + 2 * k, &v, 2);
        else b[k] = static_cast<uint8_t>(v);
    }
    V128 r;
    std::memcpy(&r.lo, b, 8);
    std::memcpy(&r.hi, b + 8, 8);
    return r;
}

uint64_t lengthValue(Gen& g, bool w) {
    uint64_t v;
    switch (g.below(6)) {
        case 0: v = g.below(18); break;
        case 1: v = 0 - g.below(18); break;  // negative: |len|
        case 2: v = g.pick(std::vector<uint64_t>{0x80000000ull, 0x7FFFFFFFull, 0xFFFFFFF0ull, 0x8000000000000000ull,
                                                  0xFFFFFFFF00000005ull, 0x100000003ull, 0xFFFFFFFFFFFFFFF7ull});
            break;
        case 3: v = g.u64(); break;
        default: v = g.below(10); break;
    }
    if (!w && g.pct(50)) v = (v & 0xFFFFFFFF) | (g.u64() << 32);  // upper half ignored without REX.W
    return v;
}

void stringHook(Gen& g, Ops& o, bool explicitLen, uint8_t imm) {
    o.m.insn.imm.clear();
    o.m.hostInsn.imm.clear();
    o.m.addImm(imm, 1);
    const bool words = imm & 1;
    const unsigned zp = g.pick(std::vector<unsigned>{0, 3, 10, 25});
    V128 a = strValue(g, words, zp), b = strValue(g, words, zp);
    if (((imm >> 2) & 3) == 3 && g.pct(50)) {  // equal ordered: plant the needle in the haystack
        uint8_t ab[16], bb[16];
        std::memcpy(ab, &a.lo, 8), std::memcpy(ab + 8, &a.hi, 8);
        std::memcpy(bb, &b.lo, 8), std::memcpy(bb + 8, &b.hi, 8);
        const unsigned at = static_cast<unsigned>(g.below(16)), len = 1 + static_cast<unsigned>(g.below(6));
        for (unsigned k = 0; k < len && at + k < 16; ++k) bb[at + k] = ab[k];
        std::memcpy(&b.lo, bb, 8), std::memcpy(&b.hi, bb + 8, 8);
    }
    if (((imm >> 2) & 3) == 2 && g.pct(40)) b = a;  // equal each: mostly equal
    o.setDst(g, a);
    if (o.m.mem || o.rm != o.reg) o.setSrc(g, b);
    if (explicitLen) {
        const bool w = o.m.insn.rexBits & 8;
        g.setImplicit(o.m, RAX, 8, lengthValue(g, w));
        g.setImplicit(o.m, RDX, 8, lengthValue(g, w));
    }
}

// An encoding that must raise #UD.
Form udForm(const std::string& name, std::vector<uint8_t> prefix, std::vector<uint8_t> opc, bool mem, int digit, unsigned imm, int mode) {
    return plainForm("#UD " + name, mode == 64 ? 12 : 4, [=](Gen& g) {
        MSpec s;
        s.opcode = opc;
        s.digit = digit;
        s.where = mem ? MSpec::MemOnly : MSpec::RegOnly;
        s.rmSize = 16;
        s.regSize = 4;
        Rm m = g.modrm(s);
        for (Insn* in : {&m.insn, &m.hostInsn}) in->prefixes.insert(in->prefixes.begin(), prefix.begin(), prefix.end());
        if (imm) m.addImm(g.u64() & 0xFF, 1);
        for (unsigned k = 0; k < 8; ++k) g.setMm(k, g.u64());
        g.c.oracle = Oracle::Fault;
        g.c.vector = 6;
        g.finish(m);
    }, mode);
}

}  // namespace

std::vector<Form> specialForms() {
    std::vector<Form> out;
    // PCMPxSTRx
    const struct {
        const char* name;
        uint8_t opc;
        bool explicitLen;
    } str[] = {{"PCMPESTRM", 0x60, true}, {"PCMPESTRI", 0x61, true}, {"PCMPISTRM", 0x62, false}, {"PCMPISTRI", 0x63, false}};
    for (const auto& p : str) {
        const bool e = p.explicitLen;
        // imm8 walks through all 256 values (then again) within each form.
        auto next = std::make_shared<unsigned>(0);
        auto hook = [e, next](Gen& g, Ops& o) { stringHook(g, o, e, static_cast<uint8_t>((*next)++)); };
        addSimd(out, SForm{.name = p.name, .pfx = 0x66, .opc = {0x0F, 0x3A, p.opc}, .mem = 16, .imm = true, .cases = 600, .hook = hook});
        if (e)
            addSimd(out, SForm{.name = std::string(p.name) + " (REX.W)", .pfx = 0x66, .opc = {0x0F, 0x3A, p.opc}, .mem = 16, .imm = true, .w = true, .cases = 300, .hook = hook});
    }
    // CRC32: general-purpose form, flags unchanged.
    {
        MSpec s;
        s.mandatory = 0xF2;
        s.opcode = {0x0F, 0x38, 0xF0};
        s.osz = 1;
        s.regSize = 4;
        s.rmSize = 1;
        addModrm(out, ModrmForm{"CRC32 r32,r/m8", s});
        s.osz = 8;
        s.regSize = 8;
        addModrm(out, ModrmForm{"CRC32 r64,r/m8", s});
        s.opcode = {0x0F, 0x38, 0xF1};
        for (unsigned osz : {2u, 4u, 8u}) {
            s.osz = osz;
            s.regSize = osz == 8 ? 8 : 4;
            s.rmSize = osz;
            addModrm(out, ModrmForm{"CRC32 r,r/m" + std::string(sizeName(osz)), s});
        }
    }
    // Encodings that raise #UD.
    for (int mode : {64, 32}) {
        out.push_back(udForm("0F 6C (PUNPCKLQDQ without 66)", {}, {0x0F, 0x6C}, false, -1, 0, mode));
        out.push_back(udForm("0F 73 /3 (PSRLDQ without 66)", {}, {0x0F, 0x73}, false, 3, 1, mode));
        out.push_back(udForm("0F 73 /7 (PSLLDQ without 66)", {}, {0x0F, 0x73}, false, 7, 1, mode));
        out.push_back(udForm("0F 71 /0", {}, {0x0F, 0x71}, false, 0, 1, mode));
        out.push_back(udForm("66 0F 72 /2 mem", {0x66}, {0x0F, 0x72}, true, 2, 1, mode));
        out.push_back(udForm("0F 38 10 (PBLENDVB without 66)", {}, {0x0F, 0x38, 0x10}, false, -1, 0, mode));
        out.push_back(udForm("0F 38 17 (PTEST without 66)", {}, {0x0F, 0x38, 0x17}, false, -1, 0, mode));
        out.push_back(udForm("0F 38 2B (PACKUSDW without 66)", {}, {0x0F, 0x38, 0x2B}, false, -1, 0, mode));
        out.push_back(udForm("0F 3A 0E (PBLENDW without 66)", {}, {0x0F, 0x3A, 0x0E}, false, -1, 1, mode));
        out.push_back(udForm("0F 3A 63 (PCMPISTRI without 66)", {}, {0x0F, 0x3A, 0x63}, false, -1, 1, mode));
        out.push_back(udForm("F3 0F D6 mem (MOVQ2DQ)", {0xF3}, {0x0F, 0xD6}, true, -1, 0, mode));
        out.push_back(udForm("F2 0F D6 mem (MOVDQ2Q)", {0xF2}, {0x0F, 0xD6}, true, -1, 0, mode));
        out.push_back(udForm("0F C5 mem (PEXTRW)", {}, {0x0F, 0xC5}, true, -1, 1, mode));
        out.push_back(udForm("66 0F D7 mem (PMOVMSKB)", {0x66}, {0x0F, 0xD7}, true, -1, 0, mode));
        out.push_back(udForm("0F E7 reg (MOVNTQ)", {}, {0x0F, 0xE7}, false, -1, 0, mode));
        out.push_back(udForm("66 0F E7 reg (MOVNTDQ)", {0x66}, {0x0F, 0xE7}, false, -1, 0, mode));
        out.push_back(udForm("F2 0F F0 reg (LDDQU)", {0xF2}, {0x0F, 0xF0}, false, -1, 0, mode));
        out.push_back(udForm("66 0F 38 2A reg (MOVNTDQA)", {0x66}, {0x0F, 0x38, 0x2A}, false, -1, 0, mode));
        out.push_back(udForm("0F F7 mem (MASKMOVQ)", {}, {0x0F, 0xF7}, true, -1, 0, mode));
        out.push_back(udForm("0F C3 reg (MOVNTI)", {}, {0x0F, 0xC3}, false, -1, 0, mode));
    }
    return out;
}

}  // namespace pvx::difftest::simdint
