// Every row of opcodes_simd_int.def decodes to itself: Zydis accepts each MMX/SSE2/SSE3/SSSE3/
// SSE4.1/SSE4.2 integer encoding (none is filtered as an unsupported extension) and the table's
// mandatory-prefix, ModRM.reg and register/memory selection picks that row, in 64-bit and 32-bit
// protected mode. Also: encodings the SDM leaves undefined decode to the #UD row.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cpu/decoder.h"
#include "cpu/dispatch_table.h"

namespace pvx::cpu {
namespace {

constexpr uint8_t A = kModAny, M = kModMem, R = kModReg, X = kAny;
constexpr uint8_t B = kFormB, V = kFormV, N = kFormN;
constexpr uint32_t PNP = kFlagPNP, P66 = kFlagP66, PF3 = kFlagPF3, PF2 = kFlagPF2, MB = kFlagMB;

struct Row {
    const char* name;
    uint8_t map, opcode, mod, reg, form;
    uint32_t flags;
};
const Row kRows[] = {
#define PVX_OP(NAME, MAP, OPC, MOD, REG, RM, FORM, FLAGS, ...) {#NAME, MAP, OPC, MOD, REG, FORM, FLAGS},
#include "cpu/opcodes_simd_int.def"
#undef PVX_OP
};

// The bytes of one form of `r`: mandatory prefix, escape bytes, opcode, ModRM (register form
// mod=3 with rm=1, or [rax]/[eax]), and an imm8 where the instruction has one.
std::vector<uint8_t> encode(const Row& r, bool mem, bool rexW) {
    std::vector<uint8_t> b;
    if (r.flags & P66) b.push_back(0x66);
    if (r.flags & PF3) b.push_back(0xF3);
    if (r.flags & PF2) b.push_back(0xF2);
    if (rexW) b.push_back(0x48);
    b.push_back(0x0F);
    if (r.map == 2) b.push_back(0x38);
    if (r.map == 3) b.push_back(0x3A);
    b.push_back(r.opcode);
    if (!(r.map == 1 && r.opcode == 0x77)) {  // EMMS has no ModRM
        const uint8_t reg = r.reg == X ? 2 : r.reg;
        b.push_back(static_cast<uint8_t>((mem ? 0x00 : 0xC0) | reg << 3 | (mem ? 0 : 1)));
    }
    const bool imm = r.map == 3 || (r.map == 1 && (r.opcode >= 0x70 && r.opcode <= 0x73)) ||
                     (r.map == 1 && (r.opcode == 0xC4 || r.opcode == 0xC5));
    if (imm) b.push_back(0x5A);
    return b;
}

TEST(SimdIntDecode, EveryRowDecodesToItself) {
    unsigned checked = 0;
    for (const Row& r : kRows) {
        for (bool mem : {false, true}) {
            if ((mem && r.mod == R) || (!mem && r.mod == M)) continue;
            if (r.map == 1 && r.opcode == 0x77 && mem) continue;
            for (ModeKey mode : {kKeyLong64, kKeyPm32}) {
                for (bool w : {false, true}) {
                    if (w && (mode != kKeyLong64 || r.form != V)) continue;
                    const std::vector<uint8_t> bytes = encode(r, mem, w);
                    DecodedInsn d{};
                    ASSERT_EQ(DecodeStatus::Ok, decodeInstruction(bytes.data(), bytes.size(), mode, d));
                    EXPECT_STREQ(r.name, opcodeName(d.op)) << (mem ? "memory" : "register") << " form, mode " << int(mode)
                                                           << (w ? ", REX.W" : "");
                    EXPECT_EQ(bytes.size(), d.len) << r.name;
                    if (w) {
                        EXPECT_EQ(8, d.osz) << r.name;
                    }
                    ++checked;
                }
            }
        }
    }
    std::printf("simd-int decode: %zu rows, %u encodings\n", sizeof kRows / sizeof kRows[0], checked);
    EXPECT_GT(checked, 400u);
}

TEST(SimdIntDecode, UndefinedEncodingsAreUd) {
    const std::vector<std::vector<uint8_t>> ud = {
        {0x0F, 0x6C, 0xC1},              // PUNPCKLQDQ needs 66
        {0x0F, 0x73, 0xD9, 0x01},        // PSRLDQ needs 66
        {0x0F, 0x71, 0xC1, 0x01},        // group 12 /0
        {0x66, 0x0F, 0x71, 0x10, 0x01},  // shift-by-imm memory form
        {0x0F, 0x38, 0x10, 0xC1},        // PBLENDVB needs 66
        {0x0F, 0x38, 0x41, 0xC1},        // PHMINPOSUW needs 66
        {0x0F, 0x3A, 0x63, 0xC1, 0x00},  // PCMPISTRI needs 66
        {0xF3, 0x0F, 0xD6, 0x00},        // MOVQ2DQ memory form
        {0x0F, 0xC5, 0x00, 0x01},        // PEXTRW mm memory form
        {0x0F, 0xE7, 0xC1},              // MOVNTQ register form
        {0xF2, 0x0F, 0xF0, 0xC1},        // LDDQU register form
        {0x0F, 0xF7, 0x00},              // MASKMOVQ memory form
    };
    for (const auto& b : ud) {
        for (ModeKey mode : {kKeyLong64, kKeyPm32}) {
            DecodedInsn d{};
            ASSERT_EQ(DecodeStatus::Ok, decodeInstruction(b.data(), b.size(), mode, d));
            EXPECT_EQ(kRowUdFault, d.op) << "bytes starting " << std::hex << int(b[0]) << " " << int(b[1]) << " "
                                         << int(b[2]) << " decode to " << opcodeName(d.op);
        }
    }
}

}  // namespace
}  // namespace pvx::cpu
