// Concrete reproductions of the interpreter bugs listed in known_bugs.h, run through the same
// harness (host CPU or SDM model as the oracle). Each is skipped while its flag says the bug is
// open; once the interpreter is fixed and the flag set to false, the test must pass.
#include <gtest/gtest.h>

#include <memory>

#include "bcd_model.h"
#include "forms_common.h"
#include "known_bugs.h"

namespace pvx::difftest {
namespace {

// A form that runs each byte sequence of `list` once, in order, with fixed register values.
Form fixedForm(const std::string& name, std::vector<std::vector<uint8_t>> list, std::function<void(Gen&, size_t)> setup,
               int mode = 64) {
    auto next = std::make_shared<size_t>(0);
    Form f = plainForm(name, static_cast<unsigned>(list.size()), [=](Gen& g) {
        const size_t k = (*next)++;
        g.c.code = list[k];
        g.c.insnLen = static_cast<unsigned>(list[k].size());
        setup(g, k);
    }, mode);
    return f;
}

TEST(HostDiffKnownBug, ShiftByZeroZeroExtends32BitRegister) {
    // KNOWN BUG: see known_bugs.h kShiftCount0NoZeroExtend.
    if (bug::kShiftCount0NoZeroExtend) GTEST_SKIP() << "KNOWN BUG: 32-bit shift by 0 keeps bits 63:32 (known_bugs.h)";
    const std::vector<std::vector<uint8_t>> list = {
        {0xC1, 0xE0, 0x00},        // shl eax, 0
        {0xC1, 0xC8, 0x20},        // ror eax, 32 (masked count 0)
        {0xD3, 0xE3},              // shl ebx, cl (CL = 0x20)
        {0x41, 0xC1, 0xD1, 0x40},  // rcl r9d, 64
        {0x0F, 0xA4, 0xC3, 0x00},  // shld ebx, eax, 0
        {0x0F, 0xAD, 0xC3},        // shrd ebx, eax, cl (CL = 0x20)
    };
    EXPECT_EQ(0u, runForms("known-bug", {fixedForm("32-bit shift by 0", list, [](Gen& g, size_t) {
                  for (unsigned r = 0; r < 16; ++r) g.c.gpr[r] = 0xDEADBEEF00000000ull | (0x1111 * r);
                  g.c.gpr[RCX] = 0xDEADBEEF00000020ull;
              })}));
}

TEST(HostDiffKnownBug, PopcntExecutes) {
    // KNOWN BUG: see known_bugs.h kPopcntAlwaysUd.
    if (bug::kPopcntAlwaysUd) GTEST_SKIP() << "KNOWN BUG: POPCNT raises #UD (known_bugs.h)";
    const std::vector<std::vector<uint8_t>> list = {
        {0xF3, 0x0F, 0xB8, 0xC1},        // popcnt eax, ecx
        {0xF3, 0x48, 0x0F, 0xB8, 0xC1},  // popcnt rax, rcx
        {0x66, 0xF3, 0x0F, 0xB8, 0xC1},  // popcnt ax, cx
        {0xF3, 0x0F, 0xB8, 0xC1},        // popcnt eax, ecx with ECX = 0: ZF
    };
    EXPECT_EQ(0u, runForms("known-bug", {fixedForm("POPCNT", list, [](Gen& g, size_t k) {
                  g.c.gpr[RCX] = k == 3 ? 0xFFFFFFFF00000000ull : 0xF0F0F0F012345678ull;
              })}));
}

TEST(HostDiffKnownBug, LoopBranchesAbove4GiB) {
    // KNOWN BUG: see known_bugs.h kLoopTargetTruncated.
    if (bug::kLoopTargetTruncated) GTEST_SKIP() << "KNOWN BUG: LOOP/JrCXZ targets truncated to 32 bits (known_bugs.h)";
    const std::vector<uint8_t> trailer = {0x8D, 0x5B, 0x01};
    std::vector<std::vector<uint8_t>> list;
    for (std::vector<uint8_t> b : {std::vector<uint8_t>{0xE2, 0x03}, {0xE1, 0x03}, {0xE0, 0x03}, {0xE3, 0x03}, {0x67, 0xE2, 0x03}}) {
        b.insert(b.end(), trailer.begin(), trailer.end());
        list.push_back(b);
    }
    Form f = fixedForm("LOOP family above 4 GiB", list, [](Gen& g, size_t k) {
        g.c.gpr[RCX] = k == 3 ? 0 : 5;  // every branch taken (LOOPE with ZF=1, LOOPNE with ZF=0)
        g.c.flags = k == 1 ? ZF : 0;
        g.c.insnLen = static_cast<unsigned>(g.c.code.size() - 3);
        g.c.until = g.insnLin() + g.c.code.size();
        g.c.maxSteps = 2;
    });
    f.highOnly = true;
    EXPECT_EQ(0u, runForms("known-bug", {f}));
}

TEST(HostDiffKnownBug, AasBorrowsIntoAh) {
    // KNOWN BUG: see known_bugs.h kAasNoBorrowIntoAh.
    if (bug::kAasNoBorrowIntoAh) GTEST_SKIP() << "KNOWN BUG: AAS ignores the borrow from AL into AH (known_bugs.h)";
    const uint16_t ax[] = {0x0205, 0x0100, 0x0000, 0x7F03};
    std::vector<std::vector<uint8_t>> list(4, std::vector<uint8_t>{0x3F});
    EXPECT_EQ(0u, runForms("known-bug", {fixedForm("AAS with AL < 6 and AF", list, [ax](Gen& g, size_t k) {
                  g.c.gpr[RAX] = 0x12340000u | ax[k];
                  g.c.flags = AF;
                  g.c.oracle = Oracle::Model;
                  g.c.model = model::aas;
                  g.c.defined = CF | AF;
              }, 32)}));
}

TEST(HostDiffKnownBug, TrigOfDenormalRoundsLikeTheHost) {
    // KNOWN BUG: see known_bugs.h kTrigDenormalArgRounding.
    if (bug::kTrigDenormalArgRounding) GTEST_SKIP() << "KNOWN BUG: FPTAN/FSINCOS of a denormal (known_bugs.h)";
    const std::vector<std::vector<uint8_t>> list = {{0xD9, 0xF2}, {0xD9, 0xF2}, {0xD9, 0xFB}};  // fptan x2, fsincos
    const uint16_t fcw[] = {0x0B7F, 0x077F, 0x057F};                                            // RC up, down, down
    const uint64_t mant[] = {0x5CEC57068ACECA21ull, 0x2203C7CF86EC7BC1ull, 0x41B2ED6172F793ACull};
    const uint16_t se[] = {0x0000, 0x8000, 0x8000};
    EXPECT_EQ(0u, runForms("known-bug", {fixedForm("FPTAN/FSINCOS of a denormal", list, [&](Gen& g, size_t k) {
                  g.setFcw(fcw[k]);
                  g.setFsw(0);
                  g.setSt(0, mant[k], se[k]);
              })}));
}

}  // namespace
}  // namespace pvx::difftest
