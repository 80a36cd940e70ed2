// Differential forms: MMX and SSE2 integer instructions (SDM Vol.2), and the generator shared by
// the simd-int family (forms_simd_int.h). Every form runs with register and memory operands, in
// 64-bit mode and 32-bit protected mode, against the host CPU.
#include "forms_simd_int.h"

#include <cstdio>
#include <cstring>

namespace pvx::difftest {

namespace simdint {

V128 lanesValue(Gen& g, unsigned esz) {
    switch (g.below(5)) {
        case 0:
        case 1: {
            uint8_t b[16];
            for (unsigned k = 0; k < 16; k += esz) {
                const uint64_t v = g.pct(70) ? g.edge(esz) : g.u64();
                std::memcpy(b + k, &v, esz);
            }
            V128 r;
            std::memcpy(&r.lo, b, 8);
            std::memcpy(&r.hi, b + 8, 8);
            return r;
        }
        case 2: return g.v128();
        default: return V128{g.u64(), g.u64()};
    }
}

void Ops::setSrc64(Gen& g, uint64_t v) const {
    if (m.mem) {
        g.putBytes(m.ea, &v, memSize < 8 ? memSize : 8);
    } else if (rmKind == K::Mm) {
        g.setMm(rm, v);
    } else if (rmKind == K::Xmm) {
        V128 x = g.xmm(rm);
        x.lo = v;
        g.setXmm(rm, x);
    }
}
void Ops::setSrc(Gen& g, V128 v) const {
    if (m.mem) {
        uint8_t b[16];
        std::memcpy(b, &v.lo, 8);
        std::memcpy(b + 8, &v.hi, 8);
        g.putBytes(m.ea, b, memSize < 16 ? memSize : 16);
    } else if (rmKind == K::Mm) {
        g.setMm(rm, v.lo);
    } else if (rmKind == K::Xmm) {
        g.setXmm(rm, v);
    }
}
V128 Ops::src(Gen& g) const {
    V128 v;
    if (m.mem) {
        uint8_t b[16] = {};
        g.getBytes(m.ea, b, memSize < 16 ? memSize : 16);
        std::memcpy(&v.lo, b, 8);
        std::memcpy(&v.hi, b + 8, 8);
    } else if (rmKind == K::Xmm) {
        v = g.xmm(rm);
    }
    return v;
}
void Ops::setDst(Gen& g, V128 v) const {
    if (regKind == K::Mm) g.setMm(reg, v.lo);
    else if (regKind == K::Xmm) g.setXmm(reg, v);
}

namespace {

// Points ModRM.reg (isReg) or ModRM.rm at register `num`, with its REX.R/REX.B bit.
void setField(Rm& m, bool isReg, unsigned num) {
    const uint8_t bit = isReg ? 4 : 1;
    for (Insn* in : {&m.insn, &m.hostInsn}) {
        (isReg ? in->reg : in->rm) = static_cast<uint8_t>(num & 7);
        if (num & 8) in->rexBits = static_cast<uint8_t>(in->rexBits | bit);
        else in->rexBits = static_cast<uint8_t>(in->rexBits & ~bit);
    }
}

// An MMX or XMM register number for this mode; MMX numbers sometimes carry a REX bit (ignored).
unsigned pickVecReg(Gen& g, K k) {
    if (k == K::Mm) return static_cast<unsigned>(g.below(8)) | (g.mode() == 64 && g.pct(15) ? 8u : 0u);
    return static_cast<unsigned>(g.below(g.mode() == 64 ? 16 : 8));
}

uint8_t immValue8(Gen& g) {
    switch (g.below(4)) {
        case 0: return static_cast<uint8_t>(g.below(40));
        case 1: return static_cast<uint8_t>(g.edge(1));
        default: return static_cast<uint8_t>(g.u64());
    }
}

}  // namespace

void addSimd(std::vector<Form>& out, const SForm& f) {
    for (int mode : {64, 32}) {
        if (mode == 32 && (!f.pm32 || f.w)) continue;
        if (mode == 64 && !f.pm64) continue;
        for (bool mem : {false, true}) {
            if ((mem && !f.mem) || (!mem && !f.regForm)) continue;
            Form form;
            form.name = f.name + (mem ? " mem" : " reg") + (mode == 32 ? " [pm32]" : "");
            form.cases = mode == 32 ? (f.cases + 2) / 3 : f.cases;
            form.mode = mode;
            form.gen = [f, mem](Gen& g) {
                MSpec s;
                s.opcode = f.opc;
                s.mandatory = f.pfx;
                s.osz = f.w ? 8 : 4;
                s.digit = f.digit;
                s.regSize = f.reg == K::Gpr ? f.gsz : 4;
                s.rmSize = mem ? f.mem : (f.rm == K::Gpr ? f.gsz : 4);
                s.where = mem ? MSpec::MemOnly : MSpec::RegOnly;
                const bool misaligned = mem && f.aligned && g.pct(8);
                if (mem && f.aligned) s.align = 16;
                if (misaligned) s.misalign = 1 + static_cast<unsigned>(g.below(15));
                Rm m = g.modrm(s);
                Ops ops{m, f.reg, f.rm};
                ops.memSize = f.mem;
                const bool usesMm = f.reg == K::Mm || (!mem && f.rm == K::Mm);
                // MMX registers: all eight get values; sometimes TOP and the tags are random
                // first (the MMX instruction must reset TOP and tag everything valid).
                if (usesMm || g.pct(10)) {
                    for (unsigned k = 0; k < 8; ++k) g.setMm(k, lanesValue(g, f.esz).lo);
                    if (g.pct(25)) g.setFsw(static_cast<uint16_t>(g.below(8) << 11));
                    if (g.pct(25)) g.fx()[4] = static_cast<uint8_t>(g.u64());
                }
                if (f.reg == K::Mm || f.reg == K::Xmm) {
                    ops.reg = pickVecReg(g, f.reg);
                    setField(m, true, ops.reg);
                    ops.reg &= f.reg == K::Mm ? 7 : 15;
                    if (f.reg == K::Xmm) g.setXmm(ops.reg, lanesValue(g, f.esz));
                } else if (f.reg == K::Gpr) {
                    ops.reg = m.regCode;
                    g.setRegOp(m, g.value(f.gsz));
                }
                if (!mem) {
                    if (f.rm == K::Mm || f.rm == K::Xmm) {
                        ops.rm = pickVecReg(g, f.rm);
                        setField(m, false, ops.rm);
                        ops.rm &= f.rm == K::Mm ? 7 : 15;
                        if (f.rm == K::Xmm) g.setXmm(ops.rm, lanesValue(g, f.esz));
                    } else if (f.rm == K::Gpr) {
                        ops.rm = m.rmCode;
                        g.setRm(m, g.value(f.gsz));
                    }
                } else if (g.pct(60)) {
                    ops.setSrc(g, lanesValue(g, f.esz));
                }
                if (!g.c.simd) g.setMxcsr(0x1F80);  // compare the SIMD state in every case
                if (f.imm) m.addImm(immValue8(g), 1);
                if (f.hook) f.hook(g, ops);
                if (misaligned) {
                    g.c.oracle = Oracle::Fault;  // SDM exception types 1 and 4: #GP(0)
                    g.c.vector = 13;
                    g.c.note = "misaligned m128";
                } else if (usesMm && g.pct(4)) {
                    // A pending unmasked x87 exception (IE with IM clear): #MF before anything.
                    g.setFcw(0x037E);
                    uint16_t fsw;
                    std::memcpy(&fsw, g.fx() + 2, 2);
                    g.setFsw(static_cast<uint16_t>(fsw | 0x8081));  // B mirrors ES
                    g.c.oracle = Oracle::Fault;
                    g.c.vector = 16;
                    g.c.note = "pending x87 exception";
                }
                addPrefixes(g, m, s, false);  // segment overrides; LOCK -> #UD
                g.finish(m);
            };
            out.push_back(std::move(form));
        }
    }
}

namespace {

// Shift-count operands: small counts, counts at and above the element width, huge counts.
void shiftCount(Gen& g, Ops& o, unsigned bits) {
    uint64_t cnt;
    switch (g.below(4)) {
        case 0: cnt = g.below(bits); break;
        case 1: cnt = bits - 1 + g.below(3); break;
        case 2: cnt = g.pct(50) ? g.u64() : (g.u64() & 0xFFFFFFFF00000000ull) | g.below(bits); break;
        default: cnt = g.below(256); break;
    }
    o.setSrc64(g, cnt);
}

struct PkOp {
    const char* name;
    uint8_t opc;
    unsigned esz;
    bool mmx;  // has an MMX (no prefix) form
};

}  // namespace

std::vector<Form> mmxSse2Forms() {
    std::vector<Form> out;
    // Packed operations mm, mm/m64 and xmm, xmm/m128 (66, aligned).
    const PkOp ops[] = {
        {"PUNPCKLBW", 0x60, 1, true}, {"PUNPCKLWD", 0x61, 2, true}, {"PUNPCKLDQ", 0x62, 4, true},
        {"PACKSSWB", 0x63, 2, true},  {"PCMPGTB", 0x64, 1, true},   {"PCMPGTW", 0x65, 2, true},
        {"PCMPGTD", 0x66, 4, true},   {"PACKUSWB", 0x67, 2, true},  {"PUNPCKHBW", 0x68, 1, true},
        {"PUNPCKHWD", 0x69, 2, true}, {"PUNPCKHDQ", 0x6A, 4, true}, {"PACKSSDW", 0x6B, 4, true},
        {"PUNPCKLQDQ", 0x6C, 8, false}, {"PUNPCKHQDQ", 0x6D, 8, false},
        {"PCMPEQB", 0x74, 1, true},   {"PCMPEQW", 0x75, 2, true},   {"PCMPEQD", 0x76, 4, true},
        {"PADDQ", 0xD4, 8, true},     {"PMULLW", 0xD5, 2, true},    {"PSUBUSB", 0xD8, 1, true},
        {"PSUBUSW", 0xD9, 2, true},   {"PMINUB", 0xDA, 1, true},    {"PAND", 0xDB, 8, true},
        {"PADDUSB", 0xDC, 1, true},   {"PADDUSW", 0xDD, 2, true},   {"PMAXUB", 0xDE, 1, true},
        {"PANDN", 0xDF, 8, true},     {"PAVGB", 0xE0, 1, true},     {"PAVGW", 0xE3, 2, true},
        {"PMULHUW", 0xE4, 2, true},   {"PMULHW", 0xE5, 2, true},    {"PSUBSB", 0xE8, 1, true},
        {"PSUBSW", 0xE9, 2, true},    {"PMINSW", 0xEA, 2, true},    {"POR", 0xEB, 8, true},
        {"PADDSB", 0xEC, 1, true},    {"PADDSW", 0xED, 2, true},    {"PMAXSW", 0xEE, 2, true},
        {"PXOR", 0xEF, 8, true},      {"PMULUDQ", 0xF4, 4, true},   {"PMADDWD", 0xF5, 2, true},
        {"PSADBW", 0xF6, 1, true},    {"PSUBB", 0xF8, 1, true},     {"PSUBW", 0xF9, 2, true},
        {"PSUBD", 0xFA, 4, true},     {"PSUBQ", 0xFB, 8, true},     {"PADDB", 0xFC, 1, true},
        {"PADDW", 0xFD, 2, true},     {"PADDD", 0xFE, 4, true},
    };
    for (const PkOp& p : ops) {
        const bool lowUnpack = p.opc >= 0x60 && p.opc <= 0x62;
        if (p.mmx) {
            SForm f{.name = std::string(p.name) + " mm", .opc = {0x0F, p.opc}, .reg = K::Mm, .rm = K::Mm, .mem = lowUnpack ? 4u : 8u, .esz = p.esz};
            addSimd(out, f);
        }
        addSimd(out, SForm{.name = std::string(p.name) + " xmm", .pfx = 0x66, .opc = {0x0F, p.opc}, .mem = 16, .aligned = true, .esz = p.esz});
    }
    // Shifts by register/memory count.
    const PkOp shifts[] = {{"PSRLW", 0xD1, 2, true}, {"PSRLD", 0xD2, 4, true}, {"PSRLQ", 0xD3, 8, true},
                           {"PSRAW", 0xE1, 2, true}, {"PSRAD", 0xE2, 4, true}, {"PSLLW", 0xF1, 2, true},
                           {"PSLLD", 0xF2, 4, true}, {"PSLLQ", 0xF3, 8, true}};
    for (const PkOp& p : shifts) {
        const unsigned bits = 8 * p.esz;
        auto hook = [bits](Gen& g, Ops& o) { shiftCount(g, o, bits); };
        addSimd(out, SForm{.name = std::string(p.name) + " mm", .opc = {0x0F, p.opc}, .reg = K::Mm, .rm = K::Mm, .mem = 8, .esz = p.esz, .hook = hook});
        addSimd(out, SForm{.name = std::string(p.name) + " xmm", .pfx = 0x66, .opc = {0x0F, p.opc}, .mem = 16, .aligned = true, .esz = p.esz, .hook = hook});
    }
    // Shifts by imm8 (groups 12-14).
    struct ShI {
        const char* name;
        uint8_t opc;
        int digit;
        unsigned esz;
        bool mmx;
    };
    const ShI shi[] = {{"PSRLW imm", 0x71, 2, 2, true}, {"PSRAW imm", 0x71, 4, 2, true}, {"PSLLW imm", 0x71, 6, 2, true},
                       {"PSRLD imm", 0x72, 2, 4, true}, {"PSRAD imm", 0x72, 4, 4, true}, {"PSLLD imm", 0x72, 6, 4, true},
                       {"PSRLQ imm", 0x73, 2, 8, true}, {"PSRLDQ", 0x73, 3, 16, false},  {"PSLLQ imm", 0x73, 6, 8, true},
                       {"PSLLDQ", 0x73, 7, 16, false}};
    for (const ShI& p : shi) {
        const unsigned bits = p.esz == 16 ? 16 : 8 * p.esz;
        auto hook = [bits](Gen& g, Ops& o) {
            o.m.insn.imm.clear();
            o.m.hostInsn.imm.clear();
            o.m.addImm(g.pct(70) ? g.below(bits + 2) : g.u64() & 0xFF, 1);
        };
        const unsigned esz = p.esz == 16 ? 1 : p.esz;
        if (p.mmx)
            addSimd(out, SForm{.name = std::string(p.name) + " mm", .opc = {0x0F, p.opc}, .reg = K::None, .rm = K::Mm, .mem = 0, .digit = p.digit, .imm = true, .esz = esz, .hook = hook});
        addSimd(out, SForm{.name = std::string(p.name) + " xmm", .pfx = 0x66, .opc = {0x0F, p.opc}, .reg = K::None, .rm = K::Xmm, .mem = 0, .digit = p.digit, .imm = true, .esz = esz, .hook = hook});
    }
    // Shuffles with imm8.
    addSimd(out, SForm{.name = "PSHUFW", .opc = {0x0F, 0x70}, .reg = K::Mm, .rm = K::Mm, .mem = 8, .imm = true, .esz = 2});
    addSimd(out, SForm{.name = "PSHUFD", .pfx = 0x66, .opc = {0x0F, 0x70}, .mem = 16, .aligned = true, .imm = true, .esz = 4});
    addSimd(out, SForm{.name = "PSHUFHW", .pfx = 0xF3, .opc = {0x0F, 0x70}, .mem = 16, .aligned = true, .imm = true, .esz = 2});
    addSimd(out, SForm{.name = "PSHUFLW", .pfx = 0xF2, .opc = {0x0F, 0x70}, .mem = 16, .aligned = true, .imm = true, .esz = 2});
    // PINSRW / PEXTRW / PMOVMSKB
    addSimd(out, SForm{.name = "PINSRW mm,r32/m16", .opc = {0x0F, 0xC4}, .reg = K::Mm, .rm = K::Gpr, .mem = 2, .imm = true, .esz = 2});
    addSimd(out, SForm{.name = "PINSRW xmm,r32/m16", .pfx = 0x66, .opc = {0x0F, 0xC4}, .reg = K::Xmm, .rm = K::Gpr, .mem = 2, .imm = true, .esz = 2});
    addSimd(out, SForm{.name = "PEXTRW r32,mm", .opc = {0x0F, 0xC5}, .reg = K::Gpr, .rm = K::Mm, .mem = 0, .imm = true, .esz = 2});
    addSimd(out, SForm{.name = "PEXTRW r32,xmm", .pfx = 0x66, .opc = {0x0F, 0xC5}, .reg = K::Gpr, .rm = K::Xmm, .mem = 0, .imm = true, .esz = 2});
    addSimd(out, SForm{.name = "PEXTRW r64,xmm", .pfx = 0x66, .opc = {0x0F, 0xC5}, .reg = K::Gpr, .rm = K::Xmm, .mem = 0, .imm = true, .esz = 2, .gsz = 8, .w = true});
    addSimd(out, SForm{.name = "PMOVMSKB r32,mm", .opc = {0x0F, 0xD7}, .reg = K::Gpr, .rm = K::Mm, .mem = 0, .esz = 1});
    addSimd(out, SForm{.name = "PMOVMSKB r32,xmm", .pfx = 0x66, .opc = {0x0F, 0xD7}, .reg = K::Gpr, .rm = K::Xmm, .mem = 0, .esz = 1});
    addSimd(out, SForm{.name = "PMOVMSKB r64,xmm", .pfx = 0x66, .opc = {0x0F, 0xD7}, .reg = K::Gpr, .rm = K::Xmm, .mem = 0, .esz = 1, .gsz = 8, .w = true});
    // Moves.
    addSimd(out, SForm{.name = "MOVD mm,r/m32", .opc = {0x0F, 0x6E}, .reg = K::Mm, .rm = K::Gpr, .mem = 4});
    addSimd(out, SForm{.name = "MOVQ mm,r/m64", .opc = {0x0F, 0x6E}, .reg = K::Mm, .rm = K::Gpr, .mem = 8, .gsz = 8, .w = true});
    addSimd(out, SForm{.name = "MOVD xmm,r/m32", .pfx = 0x66, .opc = {0x0F, 0x6E}, .reg = K::Xmm, .rm = K::Gpr, .mem = 4});
    addSimd(out, SForm{.name = "MOVQ xmm,r/m64", .pfx = 0x66, .opc = {0x0F, 0x6E}, .reg = K::Xmm, .rm = K::Gpr, .mem = 8, .gsz = 8, .w = true});
    addSimd(out, SForm{.name = "MOVD r/m32,mm", .opc = {0x0F, 0x7E}, .reg = K::Mm, .rm = K::Gpr, .mem = 4});
    addSimd(out, SForm{.name = "MOVQ r/m64,mm", .opc = {0x0F, 0x7E}, .reg = K::Mm, .rm = K::Gpr, .mem = 8, .gsz = 8, .w = true});
    addSimd(out, SForm{.name = "MOVD r/m32,xmm", .pfx = 0x66, .opc = {0x0F, 0x7E}, .reg = K::Xmm, .rm = K::Gpr, .mem = 4});
    addSimd(out, SForm{.name = "MOVQ r/m64,xmm", .pfx = 0x66, .opc = {0x0F, 0x7E}, .reg = K::Xmm, .rm = K::Gpr, .mem = 8, .gsz = 8, .w = true});
    addSimd(out, SForm{.name = "MOVQ mm,mm/m64", .opc = {0x0F, 0x6F}, .reg = K::Mm, .rm = K::Mm, .mem = 8});
    addSimd(out, SForm{.name = "MOVQ mm/m64,mm", .opc = {0x0F, 0x7F}, .reg = K::Mm, .rm = K::Mm, .mem = 8});
    addSimd(out, SForm{.name = "MOVDQA xmm,xmm/m128", .pfx = 0x66, .opc = {0x0F, 0x6F}, .aligned = true});
    addSimd(out, SForm{.name = "MOVDQA xmm/m128,xmm", .pfx = 0x66, .opc = {0x0F, 0x7F}, .aligned = true});
    addSimd(out, SForm{.name = "MOVDQU xmm,xmm/m128", .pfx = 0xF3, .opc = {0x0F, 0x6F}});
    addSimd(out, SForm{.name = "MOVDQU xmm/m128,xmm", .pfx = 0xF3, .opc = {0x0F, 0x7F}});
    addSimd(out, SForm{.name = "MOVQ xmm,xmm/m64 (F3 0F 7E)", .pfx = 0xF3, .opc = {0x0F, 0x7E}, .mem = 8});
    addSimd(out, SForm{.name = "MOVQ xmm/m64,xmm (66 0F D6)", .pfx = 0x66, .opc = {0x0F, 0xD6}, .mem = 8});
    addSimd(out, SForm{.name = "MOVQ2DQ", .pfx = 0xF3, .opc = {0x0F, 0xD6}, .reg = K::Xmm, .rm = K::Mm, .mem = 0});
    addSimd(out, SForm{.name = "MOVDQ2Q", .pfx = 0xF2, .opc = {0x0F, 0xD6}, .reg = K::Mm, .rm = K::Xmm, .mem = 0});
    addSimd(out, SForm{.name = "MOVNTQ", .opc = {0x0F, 0xE7}, .reg = K::Mm, .rm = K::Mm, .mem = 8, .regForm = false});
    addSimd(out, SForm{.name = "MOVNTDQ", .pfx = 0x66, .opc = {0x0F, 0xE7}, .aligned = true, .regForm = false});
    addSimd(out, SForm{.name = "MOVNTI m32,r32", .opc = {0x0F, 0xC3}, .reg = K::Gpr, .rm = K::None, .mem = 4, .regForm = false});
    addSimd(out, SForm{.name = "MOVNTI m64,r64", .opc = {0x0F, 0xC3}, .reg = K::Gpr, .rm = K::None, .mem = 8, .regForm = false, .gsz = 8, .w = true});
    addSimd(out, SForm{.name = "LDDQU", .pfx = 0xF2, .opc = {0x0F, 0xF0}, .regForm = false});
    // EMMS: from random x87 tag/TOP states.
    for (int mode : {64, 32}) {
        out.push_back(plainForm("EMMS", mode == 64 ? 60 : 20, [](Gen& g) {
            for (unsigned k = 0; k < 8; ++k) g.setMm(k, g.u64());
            g.setFsw(static_cast<uint16_t>(g.below(8) << 11));
            g.fx()[4] = static_cast<uint8_t>(g.u64());
            Insn in;
            in.opcode = {0x0F, 0x77};
            if (g.pct(5)) {
                g.setFcw(0x037E);
                g.setFsw(0x8081);
                g.c.oracle = Oracle::Fault;
                g.c.vector = 16;
            }
            g.finish(in);
        }, mode));
    }
    // MASKMOVQ / MASKMOVDQU: byte-masked store to DS:rDI.
    for (bool x : {false, true}) {
        for (int mode : {64, 32}) {
            out.push_back(plainForm(x ? "MASKMOVDQU" : "MASKMOVQ", mode == 64 ? 100 : 30, [x](Gen& g) {
                Insn in;
                if (x) in.prefixes.push_back(0x66);
                in.opcode = {0x0F, 0xF7};
                in.hasModrm = true;
                in.mod = 3;
                const unsigned n = x ? 16 : 8;
                unsigned r = static_cast<unsigned>(g.below(x && g.mode() == 64 ? 16 : 8));
                unsigned s = static_cast<unsigned>(g.below(x && g.mode() == 64 ? 16 : 8));
                in.reg = static_cast<uint8_t>(r & 7);
                in.rm = static_cast<uint8_t>(s & 7);
                if (r & 8) in.rexBits |= 4;
                if (s & 8) in.rexBits |= 1;
                const bool a32 = g.mode() == 64 && g.lowRegion() && g.pct(30);
                if (a32) in.prefixes.insert(in.prefixes.begin(), 0x67);
                const uint64_t addr = g.randomAddress(n);
                g.randomize(addr - 32, addr + n + 32);
                g.c.gpr[RDI] = a32 ? (g.u64() << 32) | addr : addr;
                if (g.mode() == 32) g.c.gpr[RDI] &= 0xFFFFFFFF;
                const V128 data = lanesValue(g, 1);
                V128 mask = g.pct(10) ? V128{} : lanesValue(g, 1);
                if (x) {
                    g.setXmm(r, data);
                    g.setXmm(s, mask);
                } else {
                    for (unsigned k = 0; k < 8; ++k) g.setMm(k, g.u64());
                    g.setMm(r, data.lo);
                    g.setMm(s, r == s ? data.lo : mask.lo);
                }
                if (g.pct(10)) in.prefixes.insert(in.prefixes.begin(), g.pick(std::vector<uint8_t>{0x26, 0x36, 0x3E}));  // DS-equivalent
                g.finish(in);
            }, mode));
        }
    }
    return out;
}

}  // namespace simdint

std::vector<Form> simdIntForms() {
    std::vector<Form> out = simdint::mmxSse2Forms();
    for (auto* list : {&simdint::sse3to42Forms, &simdint::specialForms}) {
        std::vector<Form> v = list();
        out.insert(out.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
    }
    std::printf("simd-int: %zu forms\n", out.size());
    return out;
}

}  // namespace pvx::difftest
