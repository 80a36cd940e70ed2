// Differential forms: SSE3 (LDDQU is with the moves), SSSE3 (mm and xmm forms), SSE4.1 and
// SSE4.2 integer instructions (SDM Vol.2). PCMPxSTRx and CRC32 are in forms_simd_int_special.cpp.
#include "forms_simd_int.h"

namespace pvx::difftest::simdint {

namespace {

struct Op3 {
    const char* name;
    uint8_t opc;
    unsigned esz;
};

}  // namespace

std::vector<Form> sse3to42Forms() {
    std::vector<Form> out;
    // SSSE3: 0F 38 xx, mm (no prefix) and xmm (66, aligned).
    const Op3 ssse3[] = {{"PSHUFB", 0x00, 1},   {"PHADDW", 0x01, 2}, {"PHADDD", 0x02, 4}, {"PHADDSW", 0x03, 2},
                         {"PMADDUBSW", 0x04, 1}, {"PHSUBW", 0x05, 2}, {"PHSUBD", 0x06, 4}, {"PHSUBSW", 0x07, 2},
                         {"PSIGNB", 0x08, 1},   {"PSIGNW", 0x09, 2}, {"PSIGND", 0x0A, 4}, {"PMULHRSW", 0x0B, 2},
                         {"PABSB", 0x1C, 1},    {"PABSW", 0x1D, 2},  {"PABSD", 0x1E, 4}};
    for (const Op3& p : ssse3) {
        addSimd(out, SForm{.name = std::string(p.name) + " mm", .opc = {0x0F, 0x38, p.opc}, .reg = K::Mm, .rm = K::Mm, .mem = 8, .esz = p.esz});
        addSimd(out, SForm{.name = std::string(p.name) + " xmm", .pfx = 0x66, .opc = {0x0F, 0x38, p.opc}, .mem = 16, .aligned = true, .esz = p.esz});
    }
    addSimd(out, SForm{.name = "PALIGNR mm", .opc = {0x0F, 0x3A, 0x0F}, .reg = K::Mm, .rm = K::Mm, .mem = 8, .imm = true});
    addSimd(out, SForm{.name = "PALIGNR xmm", .pfx = 0x66, .opc = {0x0F, 0x3A, 0x0F}, .mem = 16, .aligned = true, .imm = true});

    // SSE4.1 / SSE4.2 packed xmm, xmm/m128 (aligned: exception type 4).
    const Op3 sse4[] = {{"PMULDQ", 0x28, 4},  {"PCMPEQQ", 0x29, 8}, {"PACKUSDW", 0x2B, 4}, {"PCMPGTQ", 0x37, 8},
                        {"PMINSB", 0x38, 1},  {"PMINSD", 0x39, 4},  {"PMINUW", 0x3A, 2},   {"PMINUD", 0x3B, 4},
                        {"PMAXSB", 0x3C, 1},  {"PMAXSD", 0x3D, 4},  {"PMAXUW", 0x3E, 2},   {"PMAXUD", 0x3F, 4},
                        {"PMULLD", 0x40, 4},  {"PHMINPOSUW", 0x41, 2}, {"PTEST", 0x17, 8}};
    for (const Op3& p : sse4) {
        SForm f{.name = p.name, .pfx = 0x66, .opc = {0x0F, 0x38, p.opc}, .mem = 16, .aligned = true, .esz = p.esz};
        if (p.opc == 0x17) {  // PTEST: often disjoint / covered operands so ZF and CF both vary
            f.hook = [](Gen& g, Ops& o) {
                V128 s = o.src(g);
                if (o.m.mem || o.rm != o.reg) {
                    if (g.pct(30)) o.setDst(g, V128{~s.lo & g.u64(), ~s.hi & g.u64()});
                    else if (g.pct(30)) o.setDst(g, V128{s.lo | g.u64(), s.hi | g.u64()});
                }
            };
        }
        addSimd(out, f);
    }
    // PBLENDVB: implicit XMM0 mask.
    addSimd(out, SForm{.name = "PBLENDVB", .pfx = 0x66, .opc = {0x0F, 0x38, 0x10}, .mem = 16, .aligned = true,
                       .hook = [](Gen& g, Ops&) {
                           if (g.pct(70)) g.setXmm(0, lanesValue(g, 1));
                       }});
    // PMOVSX/PMOVZX: memory operand of 16/32/64 bits, no alignment rule.
    const struct {
        const char* name;
        uint8_t opc;
        unsigned mem, esz;
    } pmov[] = {{"PMOVSXBW", 0x20, 8, 1}, {"PMOVSXBD", 0x21, 4, 1}, {"PMOVSXBQ", 0x22, 2, 1}, {"PMOVSXWD", 0x23, 8, 2},
                {"PMOVSXWQ", 0x24, 4, 2}, {"PMOVSXDQ", 0x25, 8, 4}, {"PMOVZXBW", 0x30, 8, 1}, {"PMOVZXBD", 0x31, 4, 1},
                {"PMOVZXBQ", 0x32, 2, 1}, {"PMOVZXWD", 0x33, 8, 2}, {"PMOVZXWQ", 0x34, 4, 2}, {"PMOVZXDQ", 0x35, 8, 4}};
    for (const auto& p : pmov)
        addSimd(out, SForm{.name = p.name, .pfx = 0x66, .opc = {0x0F, 0x38, p.opc}, .mem = p.mem, .esz = p.esz});
    addSimd(out, SForm{.name = "MOVNTDQA", .pfx = 0x66, .opc = {0x0F, 0x38, 0x2A}, .aligned = true, .regForm = false});
    // imm8 forms.
    addSimd(out, SForm{.name = "PBLENDW", .pfx = 0x66, .opc = {0x0F, 0x3A, 0x0E}, .mem = 16, .aligned = true, .imm = true, .esz = 2});
    addSimd(out, SForm{.name = "MPSADBW", .pfx = 0x66, .opc = {0x0F, 0x3A, 0x42}, .mem = 16, .aligned = true, .imm = true});
    // Element extract / insert: r/m operand is a GPR or memory; XMM in ModRM.reg.
    addSimd(out, SForm{.name = "PEXTRB r32/m8", .pfx = 0x66, .opc = {0x0F, 0x3A, 0x14}, .reg = K::Xmm, .rm = K::Gpr, .mem = 1, .imm = true});
    addSimd(out, SForm{.name = "PEXTRB r64 (REX.W)", .pfx = 0x66, .opc = {0x0F, 0x3A, 0x14}, .reg = K::Xmm, .rm = K::Gpr, .mem = 1, .imm = true, .gsz = 8, .w = true});
    addSimd(out, SForm{.name = "PEXTRW r32/m16 (0F3A 15)", .pfx = 0x66, .opc = {0x0F, 0x3A, 0x15}, .reg = K::Xmm, .rm = K::Gpr, .mem = 2, .imm = true, .esz = 2});
    addSimd(out, SForm{.name = "PEXTRD r/m32", .pfx = 0x66, .opc = {0x0F, 0x3A, 0x16}, .reg = K::Xmm, .rm = K::Gpr, .mem = 4, .imm = true, .esz = 4});
    addSimd(out, SForm{.name = "PEXTRQ r/m64", .pfx = 0x66, .opc = {0x0F, 0x3A, 0x16}, .reg = K::Xmm, .rm = K::Gpr, .mem = 8, .imm = true, .esz = 8, .gsz = 8, .w = true});
    addSimd(out, SForm{.name = "PINSRB xmm,r32/m8", .pfx = 0x66, .opc = {0x0F, 0x3A, 0x20}, .reg = K::Xmm, .rm = K::Gpr, .mem = 1, .imm = true});
    addSimd(out, SForm{.name = "PINSRD xmm,r/m32", .pfx = 0x66, .opc = {0x0F, 0x3A, 0x22}, .reg = K::Xmm, .rm = K::Gpr, .mem = 4, .imm = true, .esz = 4});
    addSimd(out, SForm{.name = "PINSRQ xmm,r/m64", .pfx = 0x66, .opc = {0x0F, 0x3A, 0x22}, .reg = K::Xmm, .rm = K::Gpr, .mem = 8, .imm = true, .esz = 8, .gsz = 8, .w = true});
    return out;
}

}  // namespace pvx::difftest::simdint
