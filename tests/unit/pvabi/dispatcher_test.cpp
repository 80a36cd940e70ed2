// Routing, unknown calls, call counting and the INFO service.
#include <set>

#include "common/stats.h"
#include "pv_fixture.h"

namespace pvx::pv::test {
namespace {

using Dispatch = PvTest;

TEST_F(Dispatch, VersionIsAbiVersionAndOtherRegistersArePreserved) {
    auto [r, o] = once(PVX_CALL_INFO_VERSION, 0x1111, 0x2222, 0x3333, 0x4444);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, PVX_ABI_VERSION);
    EXPECT_EQ(r.rbx, 0x1111u);
    EXPECT_EQ(r.rcx, 0x2222u);
    EXPECT_EQ(r.rdx, 0x3333u);
    EXPECT_EQ(r.rsi, 0x4444u);
}

TEST_F(Dispatch, UnknownCallsReturnEnosysNotUd) {
    const uint64_t unknown[] = {
        PVX_CALL(PVX_SVC_INFO, 3),      // past the last INFO function
        PVX_CALL(PVX_SVC_CONSOLE, 2),   //
        PVX_CALL(PVX_SVC_BLOCK, 3),     //
        PVX_CALL(PVX_SVC_CLOCK, 2),     //
        PVX_CALL(PVX_SVC_MMU, 4),       //
        PVX_CALL(PVX_SVC_SCHED, 1),     //
        PVX_CALL(PVX_SVC_POWER, 2),     //
        PVX_CALL(PVX_SVC_MULTI, 1),     //
        PVX_CALL(8, 0),                 // no such service
        0xFFFFu, 0xFFFFFFFFu,           //
        0x100000000ull,                 // upper half set: not INFO_VERSION
        0x100000000ull | PVX_CALL_POWER_OFF,  // not POWER_OFF either
        ~0ull,
    };
    for (uint64_t nr : unknown) {
        auto [r, o] = once(nr, 1, 2, 3, 4);
        EXPECT_EQ(o, EscapeOutcome::Done) << std::hex << nr;
        EXPECT_EQ(r.rax, err(PVX_ENOSYS)) << std::hex << nr;
        EXPECT_EQ(r.rdx, 3u);
    }
    EXPECT_EQ(dispatcher.unknownCalls(), std::size(unknown));
    EXPECT_EQ(platform.powerOffs, 0);
    EXPECT_TRUE(dispatcher.callCounts().empty());
    EXPECT_EQ(dispatcher.total, std::size(unknown));
}

TEST_F(Dispatch, FeaturesNameEveryServiceAndTheDoorbell) {
    const uint32_t all = PVX_FEAT_INFO | PVX_FEAT_CONSOLE | PVX_FEAT_BLOCK | PVX_FEAT_CLOCK | PVX_FEAT_MMU |
                         PVX_FEAT_SCHED | PVX_FEAT_POWER | PVX_FEAT_DOORBELL | PVX_FEAT_MULTICALL;
    EXPECT_EQ(dispatcher.features(), all);
    auto [r, o] = once(PVX_CALL_INFO_FEATURES);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, all);
}

TEST_F(Dispatch, CallTableMatchesTheHeader) {
    std::set<uint32_t> numbers;
    std::set<std::string> names;
    for (const CallInfo& c : Dispatcher::calls()) {
        numbers.insert(c.number);
        names.insert(c.name);
        EXPECT_STREQ(Dispatcher::callName(c.number), c.name);
    }
    EXPECT_EQ(numbers, (std::set<uint32_t>{
                           PVX_CALL_INFO_VERSION, PVX_CALL_INFO_FEATURES, PVX_CALL_INFO_STATS,
                           PVX_CALL_CONSOLE_WRITE, PVX_CALL_CONSOLE_READ, PVX_CALL_BLOCK_INFO, PVX_CALL_BLOCK_RW,
                           PVX_CALL_BLOCK_FLUSH, PVX_CALL_CLOCK_SET_PAGE, PVX_CALL_CLOCK_WALLCLOCK,
                           PVX_CALL_MMU_UPDATE, PVX_CALL_MMU_FLUSH, PVX_CALL_MMU_ZERO, PVX_CALL_MMU_COPY,
                           PVX_CALL_SCHED_HALT_UNTIL, PVX_CALL_POWER_OFF, PVX_CALL_POWER_RESET,
                           PVX_CALL_MULTICALL}));
    EXPECT_EQ(names.size(), numbers.size());
    EXPECT_STREQ(Dispatcher::callName(PVX_CALL_BLOCK_RW), "block.rw");
    EXPECT_STREQ(Dispatcher::callName(PVX_CALL_MMU_ZERO), "mmu.zero");
    EXPECT_STREQ(Dispatcher::callName(0x777), "unknown");
}

TEST_F(Dispatch, CountsEscapesByCallNumber) {
    once(PVX_CALL_INFO_VERSION);
    once(PVX_CALL_INFO_VERSION);
    once(PVX_CALL_CLOCK_WALLCLOCK);
    once(0x4242);
    // A continued call counts once per escape: 300 flushes take two escapes.
    std::vector<uint64_t> vas(300, 0x1000);
    poke(kList, vas.data(), vas.size() * 8);
    unsigned escapes = 0;
    run(PVX_CALL_MMU_FLUSH, kList, 300, 0, 0, &escapes);
    EXPECT_EQ(escapes, 2u);
    EXPECT_EQ(dispatcher.callCounts(), (std::map<uint32_t, uint64_t>{
                                           {PVX_CALL_INFO_VERSION, 2},
                                           {PVX_CALL_CLOCK_WALLCLOCK, 1},
                                           {PVX_CALL_MMU_FLUSH, 2},
                                       }));
    EXPECT_EQ(dispatcher.unknownCalls(), 1u);
    EXPECT_EQ(dispatcher.total, 6u);
    EXPECT_EQ(dispatcher.continuations, 1u);
    EXPECT_EQ(dispatcher.mmu().calls, 2u);
    EXPECT_EQ(dispatcher.mmu().continuations, 1u);
    EXPECT_EQ(dispatcher.info().calls, 2u);
}

TEST_F(Dispatch, ServiceCountersAreRegisteredWithStats) {
    Stats s;
    dispatcher.registerStats(s, "pv.");
    once(PVX_CALL_CONSOLE_WRITE, kData, 1025);
    once(PVX_CALL_CONSOLE_WRITE, kData, 10);
    EXPECT_EQ(s.get("pv.console.calls"), 2);
    EXPECT_EQ(s.get("pv.console.errors"), 0);
    once(PVX_CALL_CONSOLE_WRITE, kData, 65537);  // -E2BIG
    EXPECT_EQ(s.get("pv.console.errors"), 1);
    EXPECT_EQ(s.get("pv.console.bytes_written"), 1035);
    EXPECT_EQ(s.get("pv.block.sectors_read"), 0);
    EXPECT_EQ(s.get("pv.mmu.pages_zeroed"), 0);
    EXPECT_EQ(s.get("pv.info.stats_bytes"), 0);
    EXPECT_EQ(s.get("pv.power.resets"), 0);
}

TEST_F(Dispatch, DoorbellRegistersAreServedTheSameWay) {
    // The CPU zero-extends the 32-bit doorbell registers; the services see plain values.
    fill(kData, 5, 'a');
    EscapeRegs r = regs(PVX_CALL_CONSOLE_WRITE, kData, 5);
    r.fromDoorbell = true;
    auto [out, o] = once(r);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(out.rax, 5u);
    EXPECT_EQ(console.out, std::string(reinterpret_cast<const char*>(bytes(kData, 5).data()), 5));
}

// ---- INFO_STATS ----

TEST_F(Dispatch, StatsCopiesTheWholeStructWhenItFits) {
    fill(kData, 128, 0x40);
    auto before = bytes(kData, 128);
    auto [r, o] = once(PVX_CALL_INFO_STATS, kData, 128);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, sizeof(pvx_stats));
    pvx_stats got = get<pvx_stats>(kData);
    EXPECT_EQ(0, std::memcmp(&got, &platform.stats, sizeof got));
    auto after = bytes(kData, 128);
    EXPECT_TRUE(std::equal(after.begin() + 72, after.end(), before.begin() + 72)) << "bytes past the struct untouched";
    EXPECT_EQ(dispatcher.info().statsBytes, 72u);
}

TEST_F(Dispatch, StatsCopiesOnlyThePrefixThatFits) {
    // 64: a guest built before host_cpu_ns was appended gets exactly its 8 counters.
    for (uint64_t size : {1u, 8u, 12u, 63u, 64u, 71u, 72u}) {
        fill(kData + 3, 80, 0x77);  // odd address: any alignment is fine
        auto before = bytes(kData + 3, 80);
        auto [r, o] = once(PVX_CALL_INFO_STATS, kData + 3, size);
        ASSERT_EQ(r.rax, size);
        auto after = bytes(kData + 3, 80);
        EXPECT_EQ(0, std::memcmp(after.data(), &platform.stats, size));
        EXPECT_TRUE(std::equal(after.begin() + static_cast<long>(size), after.end(),
                               before.begin() + static_cast<long>(size)));
    }
}

TEST_F(Dispatch, StatsWithZeroSizeWritesNothingWhateverTheAddress) {
    auto snap = snapshot();
    EXPECT_EQ(once(PVX_CALL_INFO_STATS, ~0ull, 0).regs.rax, 0u);
    EXPECT_EQ(once(PVX_CALL_INFO_STATS, kRamBytes, 0).regs.rax, 0u);
    EXPECT_TRUE(changedSince(snap).empty());
}

TEST_F(Dispatch, StatsRejectsBadBuffersAndChangesNothing) {
    auto snap = snapshot();
    const uint64_t bad[][2] = {
        {kRamBytes, 64},           // past RAM
        {kRamBytes - 32, 64},      // straddles the end of RAM
        {~0ull - 15, 64},          // wraps around 2^64
        {kRomBase + 0x100, 64},    // ROM overlay
        {kRomBase - 8, 64},        // straddles into the ROM overlay
        {kMmioBase - 4, 64},       // straddles into MMIO
        {0xFFFFFFC0, 64},          // PCI hole
    };
    for (auto& b : bad) {
        auto [r, o] = once(PVX_CALL_INFO_STATS, b[0], b[1]);
        EXPECT_EQ(o, EscapeOutcome::Done);
        EXPECT_EQ(r.rax, err(PVX_EFAULT)) << std::hex << b[0];
    }
    EXPECT_TRUE(changedSince(snap).empty());
    EXPECT_EQ(mmio.accesses, 0u);
    EXPECT_EQ(dispatcher.info().errors, std::size(bad));
}

}  // namespace
}  // namespace pvx::pv::test
