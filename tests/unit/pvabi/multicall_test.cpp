// MULTICALL: mixed calls in one escape, in order, sharing the work budget (docs/pvabi.md).
#include "pv_fixture.h"

namespace pvx::pv::test {
namespace {

constexpr uint64_t kCanary = 0x5A5A5A5A5A5A5A5Aull;

class Multicall : public PvTest {
protected:
    static pvx_multicall entry(uint64_t call, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
        return pvx_multicall{call, {a0, a1, a2, a3, 0, 0}, kCanary};
    }
    void putList(const std::vector<pvx_multicall>& l) { poke(kList, l.data(), l.size() * sizeof(pvx_multicall)); }
    pvx_multicall at(uint64_t i) { return get<pvx_multicall>(kList + i * sizeof(pvx_multicall)); }
};

TEST_F(Multicall, RunsMixedCallsInOrderAndRecordsEachResult) {
    const char text[] = "hello";
    poke(kData, text, 5);
    fill(kOut, 2 * 4096, 0x77);
    putList({entry(PVX_CALL_CONSOLE_WRITE, kData, 5), entry(PVX_CALL_MMU_ZERO, kOut, 2, 0),
             entry(PVX_CALL_INFO_VERSION)});
    auto [r, o] = once(PVX_CALL_MULTICALL, kList, 3, 0);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, 3u);
    EXPECT_EQ(r.rdx, 3u);
    EXPECT_EQ(console.out, "hello");
    EXPECT_EQ(at(0).result, 5u);
    EXPECT_EQ(at(1).result, 2u);
    EXPECT_EQ(at(1).args[2], 2u) << "the zero call's RDX progress is written back";
    EXPECT_EQ(at(2).result, PVX_ABI_VERSION);
    EXPECT_EQ(bytes(kOut, 2 * 4096), std::vector<uint8_t>(2 * 4096, 0));
    EXPECT_EQ(dispatcher.multicallEntries, 3u);
    EXPECT_EQ(dispatcher.total, 1u) << "one escape";
}

TEST_F(Multicall, StopsAtTheFirstFailingEntry) {
    putList({entry(PVX_CALL_INFO_VERSION), entry(PVX_CALL_CONSOLE_WRITE, kRamBytes - 2, 16),
             entry(PVX_CALL_INFO_FEATURES)});
    auto [r, o] = once(PVX_CALL_MULTICALL, kList, 3, 0);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, err(PVX_EFAULT));
    EXPECT_EQ(r.rdx, 1u);
    EXPECT_EQ(at(0).result, PVX_ABI_VERSION);
    EXPECT_EQ(at(1).result, err(PVX_EFAULT));
    EXPECT_EQ(at(2).result, kCanary) << "entries after the failure are not touched";
}

TEST_F(Multicall, RejectsNestingAndUnknownCalls) {
    putList({entry(PVX_CALL_MULTICALL, kList, 1, 0)});
    auto [r1, o1] = once(PVX_CALL_MULTICALL, kList, 1, 0);
    EXPECT_EQ(r1.rax, err(PVX_EINVAL));
    EXPECT_EQ(at(0).result, err(PVX_EINVAL));
    putList({entry(PVX_CALL(PVX_SVC_MULTI, 9))});
    auto [r2, o2] = once(PVX_CALL_MULTICALL, kList, 1, 0);
    EXPECT_EQ(r2.rax, err(PVX_ENOSYS));
    EXPECT_EQ(at(0).result, err(PVX_ENOSYS));
}

TEST_F(Multicall, ListChecksChangeNothing) {
    auto before = snapshot();
    EXPECT_EQ(once(PVX_CALL_MULTICALL, kRamBytes - 64, 2, 0).regs.rax, err(PVX_EFAULT));
    EXPECT_EQ(once(PVX_CALL_MULTICALL, kList + 4, 1, 0).regs.rax, err(PVX_EINVAL));
    EXPECT_EQ(once(PVX_CALL_MULTICALL, kList, PVX_MAX_BATCH + 1, 0).regs.rax, err(PVX_E2BIG));
    EXPECT_EQ(once(PVX_CALL_MULTICALL, kList, 0, 0).regs.rax, 0u);
    EXPECT_TRUE(changedSince(before).empty());
}

// An entry that exceeds the escape's work budget is continued: the MULTICALL returns without
// completing (RAX = MULTICALL, RDX = that entry), the entry's own RDX holds its progress, and
// re-executing the same escape carries on until everything is done.
TEST_F(Multicall, LongEntryContinuesAcrossEscapes) {
    const uint64_t pages = 2 * WorkLimits::kPages + 10;
    fill(kOut, pages * 4096, 0x33);
    putList({entry(PVX_CALL_INFO_VERSION), entry(PVX_CALL_MMU_ZERO, kOut, pages, 0), entry(PVX_CALL_INFO_FEATURES)});
    EscapeRegs r = regs(PVX_CALL_MULTICALL, kList, 3, 0);
    unsigned escapes = 0;
    EscapeOutcome o;
    do {
        o = dispatcher.escape(r);
        ++escapes;
        if (o == EscapeOutcome::Continue) {
            EXPECT_EQ(r.rax, PVX_CALL_MULTICALL);
            EXPECT_EQ(r.rdx, 1u) << "stopped at the long entry";
            EXPECT_LT(at(1).args[2], pages);
            EXPECT_GT(at(1).args[2], 0u);
        }
    } while (o == EscapeOutcome::Continue && escapes < 100);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(escapes, 3u);
    EXPECT_EQ(r.rax, 3u);
    EXPECT_EQ(at(1).result, pages);
    EXPECT_EQ(at(1).args[2], pages);
    EXPECT_EQ(at(2).result, dispatcher.features());
    EXPECT_EQ(bytes(kOut, pages * 4096), std::vector<uint8_t>(pages * 4096, 0));
}

}  // namespace
}  // namespace pvx::pv::test
