// The differential suite (project issue 3): every user-mode instruction form of the interpreter,
// run on the host CPU and in pvx with the same random operands (fixed seeds), compared on all
// GPRs, the architecturally defined flags, memory, RIP and exceptions. See harness.h.
#include <gtest/gtest.h>

#include <cstdio>

#include "bcd_model.h"
#include "harness.h"

namespace pvx::difftest {
namespace {

class Summary : public ::testing::Environment {
public:
    void TearDown() override {
        const Totals& t = totals();
        std::printf("diff: %llu forms, %llu cases, %llu mismatches", static_cast<unsigned long long>(t.forms),
                    static_cast<unsigned long long>(t.cases), static_cast<unsigned long long>(t.mismatches));
        if (t.skippedForms || t.skippedCases)
            std::printf(" (skipped: %llu forms, %llu cases)", static_cast<unsigned long long>(t.skippedForms),
                        static_cast<unsigned long long>(t.skippedCases));
        std::printf("\n");
    }
};
[[maybe_unused]] ::testing::Environment* const kSummary = ::testing::AddGlobalTestEnvironment(new Summary);

TEST(HostDiff, Arithmetic) { EXPECT_EQ(0u, runForms("alu", aluForms())); }
TEST(HostDiff, MultiplyDivide) { EXPECT_EQ(0u, runForms("muldiv", mulDivForms())); }
TEST(HostDiff, ShiftRotate) { EXPECT_EQ(0u, runForms("shift", shiftForms())); }
TEST(HostDiff, BitOps) { EXPECT_EQ(0u, runForms("bits", bitForms())); }
TEST(HostDiff, DataMovement) { EXPECT_EQ(0u, runForms("move", moveForms())); }
TEST(HostDiff, Exchange) { EXPECT_EQ(0u, runForms("exchange", exchangeForms())); }
TEST(HostDiff, Strings) { EXPECT_EQ(0u, runForms("string", stringForms())); }
TEST(HostDiff, Branches) { EXPECT_EQ(0u, runForms("branch", branchForms())); }
TEST(HostDiff, LegacyOnly) { EXPECT_EQ(0u, runForms("legacy", legacyForms())); }
TEST(HostDiff, LazyFlagPairs) { EXPECT_EQ(0u, runForms("lazy-flags", lazyFlagForms())); }
TEST(HostDiff, SimdState) { EXPECT_EQ(0u, runForms("simd-state", simdStateForms())); }
TEST(HostDiff, SimdInteger) { EXPECT_EQ(0u, runForms("simd-int", simdIntForms())); }
TEST(HostDiff, SseFloatingPoint) { EXPECT_EQ(0u, runForms("sse-fp", sseFpForms())); }
TEST(HostDiff, X87) { EXPECT_EQ(0u, runForms("x87", x87Forms())); }

// The reference models against vectors worked out by hand with decimal arithmetic, so that a
// transcription slip in bcd_model.h cannot make pvx and the model agree on a wrong answer.
struct Vec {
    uint16_t ax;
    uint32_t flags;
    uint16_t axOut;
    uint32_t flagsOut;  // compared under the instruction's defined mask
};
State st(uint16_t ax, uint32_t flags) {
    State s{};
    s.gpr[RAX] = 0x12340000u | ax;
    s.flags = flags;
    return s;
}
void check(const char* what, void (*fn)(State&), const Vec& v, uint32_t defined) {
    State s = st(v.ax, v.flags);
    fn(s);
    EXPECT_EQ(0x12340000u | v.axOut, s.gpr[RAX]) << what << " AX=" << std::hex << v.ax;
    EXPECT_EQ(v.flagsOut & defined, s.flags & defined) << what << " AX=" << std::hex << v.ax;
}

TEST(HostDiffModel, DaaDasHandVectors) {
    const uint32_t d = kStatus & ~OF;
    // 79 + 35 = AE (no carries); DAA -> 14, decimal carry: 79 + 35 = 114.
    check("DAA", model::daa, {0x00AE, 0, 0x0014, CF | AF | PF}, d);
    // 38 + 45 = 7D; DAA -> 83.
    check("DAA", model::daa, {0x007D, 0, 0x0083, AF | SF}, d);
    // 19 + 28 = 41 with a nibble carry (AF); DAA -> 47.
    check("DAA", model::daa, {0x0041, AF, 0x0047, AF | PF}, d);
    // 99 + 01 = 9A; DAA -> 00 and a decimal carry: 100.
    check("DAA", model::daa, {0x009A, 0, 0x0000, CF | AF | ZF | PF}, d);
    // 35 - 47 = EE with borrows (CF, AF); DAS -> 88 and a borrow: 35 - 47 = -12 = 88 - 100.
    check("DAS", model::das, {0x00EE, CF | AF, 0x0088, CF | AF | SF | PF}, d);
    // 52 - 24 = 2E with a nibble borrow; DAS -> 28.
    check("DAS", model::das, {0x002E, AF, 0x0028, AF | PF}, d);
    // 42 - 11 = 31: nothing to adjust.
    check("DAS", model::das, {0x0031, 0, 0x0031, 0}, d);
}

TEST(HostDiffModel, AsciiHandVectors) {
    // AAA: 8 + 7 = 0F -> AH 1, AL 5.  '9' + '9' = 39 + 39 = 72 with AF -> 01 08.
    check("AAA", model::aaa, {0x000F, 0, 0x0105, CF | AF}, CF | AF);
    check("AAA", model::aaa, {0x0072, AF, 0x0108, CF | AF}, CF | AF);
    check("AAA", model::aaa, {0x0305, 0, 0x0305, 0}, CF | AF);
    // AAA with AL >= FA: AX + 106 carries into AH twice (SDM: "AX := AX + 106H").
    check("AAA", model::aaa, {0x01FB, 0, 0x0301, CF | AF}, CF | AF);
    // AAS: 23 - 5 as unpacked BCD: AL = 03 - 05 = FE with AF, AH = 02 -> 01 08.
    check("AAS", model::aas, {0x02FE, CF | AF, 0x0108, CF | AF}, CF | AF);
    // AAS with AL < 6 and AF: "AX := AX - 6" borrows from AH, then "AH := AH - 1": 0205 -> 000F.
    check("AAS", model::aas, {0x0205, AF, 0x000F, CF | AF}, CF | AF);
    check("AAS", model::aas, {0x0409, 0, 0x0409, 0}, CF | AF);
    // AAM 10: 9 * 8 = 72 = 48h -> 07 02.  AAD 10: 07 02 -> 72 = 48h.
    State s = st(0x0048, 0);
    model::aam(s, 10);
    EXPECT_EQ(0x12340702u, s.gpr[RAX]);
    EXPECT_EQ(0u, s.flags & (SF | ZF | PF));  // 02: one bit set, odd parity
    s = st(0x0702, 0);
    model::aad(s, 10);
    EXPECT_EQ(0x12340048u, s.gpr[RAX]);
    EXPECT_EQ(PF, s.flags & (SF | ZF | PF));  // 48h: two bits set
    // Base 16 splits and joins nibbles.
    s = st(0x00AB, 0);
    model::aam(s, 16);
    EXPECT_EQ(0x12340A0Bu, s.gpr[RAX]);
    s = st(0x0A0B, 0);
    model::aad(s, 16);
    EXPECT_EQ(0x123400ABu, s.gpr[RAX]);
    EXPECT_EQ(SF, s.flags & (SF | ZF | PF));  // ABh: five bits set, odd parity
    // SALC.
    s = st(0x1234, CF);
    model::salc(s);
    EXPECT_EQ(0x123412FFu, s.gpr[RAX]);
    s = st(0x12FF, 0);
    model::salc(s);
    EXPECT_EQ(0x12341200u, s.gpr[RAX]);
}

}  // namespace
}  // namespace pvx::difftest
