// CLOCK_SET_PAGE / CLOCK_WALLCLOCK, SCHED_HALT_UNTIL, POWER_OFF / POWER_RESET.
#include "pv_fixture.h"

namespace pvx::pv::test {
namespace {

using Clock = PvTest;

// What a guest computes from the page (KVM pvclock, Linux pvclock_scale_delta: a 64x32-bit
// multiply keeping bits 32..95).
uint64_t pageNs(const pvx_time_page& p, uint64_t tsc) {
    uint64_t delta = tsc - p.tsc_timestamp;
    if (p.tsc_shift >= 0) delta <<= p.tsc_shift;
    else delta >>= -p.tsc_shift;
    const unsigned __int128 prod = static_cast<unsigned __int128>(delta) * p.tsc_to_system_mul;
    return p.system_time + static_cast<uint64_t>(prod >> 32);
}

TEST_F(Clock, SetPageWritesTheConstantPage) {
    fill(kData, 96, 0xAB);
    const uint64_t gpa = kData + 32;
    put<uint32_t>(gpa, 0);
    auto before = bytes(kData, 96);
    auto [r, o] = once(PVX_CALL_CLOCK_SET_PAGE, gpa);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, 0u);
    auto p = get<pvx_time_page>(gpa);
    EXPECT_EQ(p.version, 2u);
    EXPECT_EQ(p.version % 2, 0u);
    EXPECT_EQ(p.pad0, 0u);
    EXPECT_EQ(p.tsc_timestamp, 0u);
    EXPECT_EQ(p.system_time, 0u);
    EXPECT_EQ(p.tsc_to_system_mul, 1u << 31);
    EXPECT_EQ(p.tsc_shift, 1);
    EXPECT_EQ(p.flags, 0);
    EXPECT_EQ(p.pad[0], 0);
    EXPECT_EQ(p.pad[1], 0);
    auto after = bytes(kData, 96);
    EXPECT_TRUE(std::equal(after.begin(), after.begin() + 32, before.begin()));
    EXPECT_TRUE(std::equal(after.begin() + 64, after.end(), before.begin() + 64));
    EXPECT_EQ(dispatcher.clock().pageGpa(), gpa);
    // ns == tsc for every TSC value, including ones past 2^63 ns-from-boot (292 years).
    for (uint64_t tsc : {0ull, 1ull, 999ull, 1'000'000'007ull, 0x7FFFFFFFFFFFFFFFull, 0xFFFFFFFFFFFFull})
        EXPECT_EQ(pageNs(p, tsc), tsc) << tsc;
}

TEST_F(Clock, SetPageAgainMovesTheVersionToTheNextEvenValue) {
    put<uint32_t>(kData, 7);  // odd: a reader would be retrying
    once(PVX_CALL_CLOCK_SET_PAGE, kData);
    EXPECT_EQ(get<uint32_t>(kData), 8u);
    once(PVX_CALL_CLOCK_SET_PAGE, kData);
    EXPECT_EQ(get<uint32_t>(kData), 10u);
    put<uint32_t>(kData, 0xFFFFFFFF);
    once(PVX_CALL_CLOCK_SET_PAGE, kData);
    EXPECT_EQ(get<uint32_t>(kData), 0u);
    EXPECT_EQ(dispatcher.clock().pageSets, 3u);
}

TEST_F(Clock, SetPageZeroTurnsItOff) {
    once(PVX_CALL_CLOCK_SET_PAGE, kData);
    auto snap = snapshot();
    EXPECT_EQ(once(PVX_CALL_CLOCK_SET_PAGE, 0).regs.rax, 0u);
    EXPECT_EQ(dispatcher.clock().pageGpa(), 0u);
    EXPECT_TRUE(changedSince(snap).empty());
}

TEST_F(Clock, SetPageErrorsChangeNothing) {
    once(PVX_CALL_CLOCK_SET_PAGE, kData);
    auto snap = snapshot();
    const uint64_t cases[][2] = {
        {kData + 8, PVX_EINVAL},       // 8-byte but not 32-byte aligned
        {kData + 1, PVX_EINVAL},
        {kRamBytes - 16, PVX_EINVAL},  // misaligned (and straddling the end: alignment is checked first)
        {kRamBytes, PVX_EFAULT},
        {~0ull & ~31ull, PVX_EFAULT},  // the last 32 bytes of the address space
        {kRomBase + 0x40, PVX_EFAULT},
        {kMmioBase, PVX_EFAULT},
        {0xC0000000, PVX_EFAULT},
    };
    for (auto& c : cases)
        EXPECT_EQ(once(PVX_CALL_CLOCK_SET_PAGE, c[0]).regs.rax, err(static_cast<int>(c[1]))) << std::hex << c[0];
    EXPECT_TRUE(changedSince(snap).empty());
    EXPECT_EQ(dispatcher.clock().pageGpa(), kData) << "a failed call keeps the old page";
    EXPECT_EQ(mmio.accesses, 0u);
}

TEST_F(Clock, ATscWriteRewritesTheRegisteredPage) {
    once(PVX_CALL_CLOCK_SET_PAGE, kData);
    const uint64_t clockNs = 7'000'000'000ull;
    for (int64_t offset : {int64_t{1'000'000}, int64_t{-5'000'000'000}, int64_t{0}}) {
        SCOPED_TRACE(offset);
        const uint32_t v = get<uint32_t>(kData);
        dispatcher.clock().setTscOffset(static_cast<uint64_t>(offset));
        auto p = get<pvx_time_page>(kData);
        EXPECT_EQ(p.version, v + 2);
        EXPECT_EQ(p.tsc_timestamp, static_cast<uint64_t>(offset));
        const uint64_t tsc = clockNs + static_cast<uint64_t>(offset);  // what RDTSC reads now
        EXPECT_EQ(pageNs(p, tsc), clockNs);
    }
}

TEST_F(Clock, APageRegisteredAfterATscWriteIncludesTheOffset) {
    dispatcher.clock().setTscOffset(12345);
    auto snap = snapshot();
    EXPECT_TRUE(changedSince(snap).empty()) << "no page registered: nothing written";
    once(PVX_CALL_CLOCK_SET_PAGE, kData);
    EXPECT_EQ(pageNs(get<pvx_time_page>(kData), 12345 + 999), 999u);
}

TEST_F(Clock, ResetForgetsThePage) {
    once(PVX_CALL_CLOCK_SET_PAGE, kData);
    dispatcher.reset();
    EXPECT_EQ(dispatcher.clock().pageGpa(), 0u);
    auto snap = snapshot();
    dispatcher.clock().setTscOffset(99);
    EXPECT_TRUE(changedSince(snap).empty());
}

TEST_F(Clock, WallclockIsEpochPlusMachineTime) {
    platform.now = 123'456'789;
    auto [r, o] = once(PVX_CALL_CLOCK_WALLCLOCK, 0xBBBB, 0xCCCC, 0xDDDD);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, platform.epoch + 123'456'789);
    EXPECT_EQ(r.rbx, 123'456'789u);
    EXPECT_EQ(r.rcx, 0xCCCCu);
    EXPECT_EQ(r.rdx, 0xDDDDu);
}

using Sched = PvTest;

TEST_F(Sched, HaltUntilAFutureDeadlineHalts) {
    platform.now = 1000;
    auto [r, o] = once(PVX_CALL_SCHED_HALT_UNTIL, 5000);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, 0u);
    EXPECT_EQ(r.rbx, 5000u);
    EXPECT_EQ(platform.halts, (std::vector<uint64_t>{5000}));
    once(PVX_CALL_SCHED_HALT_UNTIL, ~0ull);  // until an interrupt
    EXPECT_EQ(platform.halts, (std::vector<uint64_t>{5000, ~0ull}));
    EXPECT_EQ(dispatcher.sched().halts, 2u);
}

TEST_F(Sched, APassedDeadlineReturnsAtOnce) {
    platform.now = 1000;
    EXPECT_EQ(once(PVX_CALL_SCHED_HALT_UNTIL, 1000).regs.rax, 0u);
    EXPECT_EQ(once(PVX_CALL_SCHED_HALT_UNTIL, 0).regs.rax, 0u);
    EXPECT_TRUE(platform.halts.empty());
    EXPECT_EQ(dispatcher.sched().pastDeadlines, 2u);
}

using Power = PvTest;

TEST_F(Power, OffAndResetAreRequestsToTheMachine) {
    auto [r, o] = once(PVX_CALL_POWER_OFF);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, 0u);
    EXPECT_EQ(platform.powerOffs, 1);
    EXPECT_EQ(platform.resets, 0);
    EXPECT_EQ(once(PVX_CALL_POWER_RESET).regs.rax, 0u);
    EXPECT_EQ(platform.powerOffs, 1);
    EXPECT_EQ(platform.resets, 1);
    EXPECT_EQ(dispatcher.power().powerOffs, 1u);
    EXPECT_EQ(dispatcher.power().resets, 1u);
}

}  // namespace
}  // namespace pvx::pv::test
