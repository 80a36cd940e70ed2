// SSE floating-point rows and rules the host differential tests cannot reach (their guest always
// runs with CR0.MP|NE and CR4.OSFXSR|OSXMMEXCPT set): every row of opcodes_sse_fp.def decodes to
// itself; CR0.EM/CR0.TS/CR4.OSFXSR give #UD/#NM (SDM Vol.3A 13.1.4, Table 13-1); an unmasked
// SIMD exception is #XM with CR4.OSXMMEXCPT set and #UD without it, leaving the destination
// unchanged but the MXCSR flags set (Vol.1 11.5.1, Vol.3A 13.1.5); the MMX-operand conversions
// take a pending x87 exception (#MF) first and switch to MMX state before a #XM.
#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

#include "common/port_bus.h"
#include "cpu/cpu.h"
#include "cpu/decoder.h"
#include "sse_cpu_fixture.h"
#include "cpu/dispatch_table.h"
#include "mmu/phys_memory.h"

namespace pvx::cpu {
namespace {

[[maybe_unused]] constexpr uint8_t A = kModAny, M = kModMem, R = kModReg, X = kAny;
[[maybe_unused]] constexpr uint8_t B = kFormB, V = kFormV, N = kFormN;
constexpr uint32_t PNP = kFlagPNP, P66 = kFlagP66, PF3 = kFlagPF3, PF2 = kFlagPF2;

struct Row {
    const char* name;
    uint8_t map, opcode, mod, form;
    uint32_t flags;
};
const Row kRows[] = {
#define PVX_OP(NAME, MAP, OPC, MOD, REG, RM, FORM, FLAGS, ...) {#NAME, MAP, OPC, MOD, FORM, FLAGS},
#include "cpu/opcodes_sse_fp.def"
#undef PVX_OP
};

std::vector<uint8_t> encode(const Row& r, uint8_t prefix, bool mem, bool rexW) {
    std::vector<uint8_t> b;
    if (prefix) b.push_back(prefix);
    if (rexW) b.push_back(0x48);
    b.push_back(0x0F);
    if (r.map == 2) b.push_back(0x38);
    if (r.map == 3) b.push_back(0x3A);
    b.push_back(r.opcode);
    b.push_back(mem ? 0x00 : 0xC1);
    if (r.map == 3 || (r.map == 1 && (r.opcode == 0xC2 || r.opcode == 0xC6))) b.push_back(0x05);
    return b;
}

TEST(SseFpDecode, EveryRowDecodesToItself) {
    unsigned checked = 0;
    for (const Row& r : kRows) {
        std::vector<uint8_t> prefixes;
        if (r.flags & PNP) prefixes.push_back(0);
        if (r.flags & P66) prefixes.push_back(0x66);
        if (r.flags & PF3) prefixes.push_back(0xF3);
        if (r.flags & PF2) prefixes.push_back(0xF2);
        for (uint8_t p : prefixes)
            for (bool mem : {false, true}) {
                if ((mem && r.mod == R) || (!mem && r.mod == M)) continue;
                for (ModeKey mode : {kKeyLong64, kKeyPm32})
                    for (bool w : {false, true}) {
                        if (w && mode != kKeyLong64) continue;
                        const std::vector<uint8_t> bytes = encode(r, p, mem, w);
                        DecodedInsn d{};
                        ASSERT_EQ(DecodeStatus::Ok, decodeInstruction(bytes.data(), bytes.size(), mode, d));
                        EXPECT_STREQ(r.name, opcodeName(d.op)) << "prefix " << int(p) << (mem ? " memory" : " register")
                                                               << " form, mode " << int(mode) << (w ? ", REX.W" : "");
                        EXPECT_EQ(bytes.size(), d.len) << r.name;
                        if (w && r.form == V) {
                            EXPECT_EQ(8, d.osz) << r.name;
                        }
                        ++checked;
                    }
            }
    }
    std::printf("sse-fp decode: %zu rows, %u encodings\n", sizeof kRows / sizeof kRows[0], checked);
    EXPECT_GT(checked, 500u);
}

class SseFpCpu : public SseCpuFixture {};

const std::vector<uint8_t> kAddps = {0x0F, 0x58, 0xC1};                 // ADDPS xmm0, xmm1
const std::vector<uint8_t> kDivss = {0xF3, 0x0F, 0x5E, 0xC1};           // DIVSS xmm0, xmm1
const std::vector<uint8_t> kMovaps = {0x0F, 0x28, 0xC1};                // MOVAPS xmm0, xmm1
const std::vector<uint8_t> kRoundps = {0x66, 0x0F, 0x3A, 0x08, 0xC1, 0x00};
const std::vector<uint8_t> kCvtpi2ps = {0x0F, 0x2A, 0xC1};              // CVTPI2PS xmm0, mm1
const std::vector<uint8_t> kCvtps2pi = {0x0F, 0x2D, 0xC1};              // CVTPS2PI mm0, xmm1
const std::vector<uint8_t> kCvtpi2psM = {0x0F, 0x2A, 0x05, 0, 0x10, 0, 0};  // CVTPI2PS xmm0, [0x1000]

TEST_F(SseFpCpu, EmRaisesUdBeforeTsNm) {
    cpu.cr0 |= cr0::EM | cr0::TS;
    for (const auto* b : {&kAddps, &kDivss, &kMovaps, &kRoundps, &kCvtpi2ps}) EXPECT_EQ(kVecUD, run(*b));
    cpu.cr0 &= ~cr0::EM;
    for (const auto* b : {&kAddps, &kDivss, &kMovaps, &kRoundps, &kCvtpi2ps}) EXPECT_EQ(kVecNM, run(*b));
    cpu.cr0 &= ~cr0::TS;
    cpu.cr4 &= ~cr4::OSFXSR;
    for (const auto* b : {&kAddps, &kDivss, &kMovaps, &kRoundps, &kCvtpi2ps}) EXPECT_EQ(kVecUD, run(*b));
    cpu.cr4 |= cr4::OSFXSR;
    EXPECT_EQ(-1, run(kAddps));
}

TEST_F(SseFpCpu, UnmaskedExceptionIsXmOrUdAndLeavesTheDestination) {
    for (bool osxmmexcpt : {true, false}) {
        if (!osxmmexcpt) cpu.cr4 &= ~cr4::OSXMMEXCPT;
        cpu.mxcsr = mxcsr::kReset & ~mxcsr::ZM;
        cpu.xmm[0] = Xmm{};
        cpu.xmm[0].d[0] = 0x3F800000u;  // 1.0 / 0.0
        cpu.xmm[0].d[3] = 0x12345678u;
        cpu.xmm[1] = Xmm{};
        EXPECT_EQ(osxmmexcpt ? kVecXM : kVecUD, run(kDivss));
        EXPECT_EQ(0x3F800000u, cpu.xmm[0].d[0]);
        EXPECT_EQ(0x12345678u, cpu.xmm[0].d[3]);
        EXPECT_EQ((mxcsr::kReset & ~mxcsr::ZM) | mxcsr::ZE, cpu.mxcsr);
        // Masked: infinity, ZE, no exception.
        cpu.mxcsr = mxcsr::kReset;
        EXPECT_EQ(-1, run(kDivss));
        EXPECT_EQ(0x7F800000u, cpu.xmm[0].d[0]);
        EXPECT_EQ(mxcsr::kReset | mxcsr::ZE, cpu.mxcsr);
    }
}

TEST_F(SseFpCpu, MmxConversionsTakePendingX87ExceptionFirst) {
    cpu.x87.fcw = 0x037E;                       // IE unmasked
    cpu.x87.fsw = fsw::IE | fsw::ES | fsw::B;  // ... and pending
    cpu.x87.ftw = 0xFFFF;
    EXPECT_EQ(kVecMF, run(kCvtpi2ps));
    EXPECT_EQ(kVecMF, run(kCvtps2pi));
    EXPECT_EQ(0xFFFF, cpu.x87.ftw);            // no transition
    EXPECT_EQ(-1, run(kCvtpi2psM));            // no MMX register: no #MF, no transition
    EXPECT_EQ(0xFFFF, cpu.x87.ftw);
}

TEST_F(SseFpCpu, MmxConversionsEnterMmxStateEvenWhenTheyRaiseXm) {
    cpu.x87.setTop(5);
    cpu.x87.ftw = 0xFFFF;                      // all empty
    cpu.x87.r[1].mant = 0x7FFFFFFF7FFFFFFFull;  // inexact as singles
    cpu.mxcsr = mxcsr::kReset & ~mxcsr::PM;
    cpu.xmm[0] = Xmm{};
    EXPECT_EQ(kVecXM, run(kCvtpi2ps));
    EXPECT_EQ(0u, cpu.x87.top());
    EXPECT_EQ(0u, cpu.x87.ftw);                // all valid
    EXPECT_EQ(0u, cpu.xmm[0].q[0]);            // destination unchanged
    EXPECT_EQ(mxcsr::PE, cpu.mxcsr & 0x3F);
}

}  // namespace
}  // namespace pvx::cpu
