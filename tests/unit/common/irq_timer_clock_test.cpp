// IrqLine, TimerQueue and Clock (src/common/irq_line.h, timer_queue.h, clock.h).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/irq_line.h"
#include "common/timer_queue.h"

namespace pvx {
namespace {

// ---------------------------------------------------------------------------------------- IrqLine

TEST(IrqLine, StartsLowWithNoRaises) {
    IrqLine l;
    EXPECT_FALSE(l.level());
    EXPECT_EQ(l.raises(), 0u);
}

TEST(IrqLine, SinkSeesOnlyLevelChangesAndRaisesAreCounted) {
    IrqLine l;
    std::vector<bool> seen;
    l.connect([&](bool v) { seen.push_back(v); });
    ASSERT_EQ(seen, std::vector<bool>{false});  // connect reports the current level
    l.raise();
    l.raise();       // already high: no edge, not counted
    l.set(true);
    l.lower();
    l.lower();
    l.set(true);
    EXPECT_TRUE(l.level());
    EXPECT_EQ(l.raises(), 2u);
    EXPECT_EQ(seen, (std::vector<bool>{false, true, false, true}));
}

TEST(IrqLine, ConnectReportsAHighLevelAtOnce) {
    IrqLine l;
    l.raise();
    std::vector<bool> seen;
    l.connect([&](bool v) { seen.push_back(v); });
    EXPECT_EQ(seen, std::vector<bool>{true});
    EXPECT_EQ(l.raises(), 1u);
}

TEST(IrqLine, PulseIsOneRisingEdgeEndingLow) {
    IrqLine l;
    std::vector<bool> seen;
    l.connect([&](bool v) { seen.push_back(v); });
    seen.clear();
    l.pulse();
    l.pulse();
    EXPECT_FALSE(l.level());
    EXPECT_EQ(l.raises(), 2u);
    EXPECT_EQ(seen, (std::vector<bool>{true, false, true, false}));
}

TEST(IrqLine, PulseWhileHighGivesNoNewEdge) {
    IrqLine l;
    l.raise();
    std::vector<bool> seen;
    l.connect([&](bool v) { seen.push_back(v); });
    seen.clear();
    l.pulse();  // already high: set(true) is no change, then it goes low
    EXPECT_FALSE(l.level());
    EXPECT_EQ(l.raises(), 1u);
    EXPECT_EQ(seen, std::vector<bool>{false});
}

TEST(IrqLine, WorksWithoutASink) {
    IrqLine l;
    l.pulse();
    l.raise();
    EXPECT_TRUE(l.level());
    EXPECT_EQ(l.raises(), 2u);
}

// ------------------------------------------------------------------------------------- TimerQueue

TEST(TimerQueue, NewTimersAreDisarmedAndNothingIsDue) {
    TimerQueue q;
    auto id = q.create("t", [](uint64_t) {});
    EXPECT_FALSE(q.armed(id));
    EXPECT_EQ(q.deadline(id), TimerQueue::kNever);
    EXPECT_EQ(q.nextDeadline(), TimerQueue::kNever);
    EXPECT_EQ(q.runExpired(1000000), 0u);
}

TEST(TimerQueue, NextDeadlineFollowsArmAndDisarm) {
    TimerQueue q;
    auto a = q.create("a", [](uint64_t) {});
    auto b = q.create("b", [](uint64_t) {});
    q.arm(a, 100);
    EXPECT_EQ(q.nextDeadline(), 100u);
    q.arm(b, 50);
    EXPECT_EQ(q.nextDeadline(), 50u);
    q.arm(b, 150);  // moved later: the minimum is a's again
    EXPECT_EQ(q.nextDeadline(), 100u);
    q.arm(a, 200);
    EXPECT_EQ(q.nextDeadline(), 150u);
    q.disarm(b);
    EXPECT_EQ(q.nextDeadline(), 200u);
    EXPECT_TRUE(q.armed(a));
    EXPECT_FALSE(q.armed(b));
    q.disarm(a);
    EXPECT_EQ(q.nextDeadline(), TimerQueue::kNever);
}

TEST(TimerQueue, RunExpiredFiresOnlyDueTimersOnceAndPassesNow) {
    TimerQueue q;
    std::vector<std::pair<std::string, uint64_t>> fired;
    auto a = q.create("a", [&](uint64_t now) { fired.push_back({"a", now}); });
    auto b = q.create("b", [&](uint64_t now) { fired.push_back({"b", now}); });
    q.arm(a, 100);
    q.arm(b, 300);
    EXPECT_EQ(q.runExpired(99), 0u);
    EXPECT_TRUE(fired.empty());
    EXPECT_EQ(q.runExpired(100), 1u);  // deadline <= now fires
    EXPECT_EQ(fired, (std::vector<std::pair<std::string, uint64_t>>{{"a", 100}}));
    EXPECT_FALSE(q.armed(a));
    EXPECT_EQ(q.nextDeadline(), 300u);
    EXPECT_EQ(q.runExpired(250), 0u);
    EXPECT_EQ(q.runExpired(1000), 1u);
    EXPECT_EQ(fired.back(), (std::pair<std::string, uint64_t>{"b", 1000}));
    EXPECT_EQ(q.nextDeadline(), TimerQueue::kNever);
}

TEST(TimerQueue, ExpiredTimersFireInDeadlineOrderTiesInCreationOrder) {
    // Timers created in one order, armed for deadlines in another: time order is what a guest
    // would observe had the run loop checked at every nanosecond.
    TimerQueue q;
    std::string order;
    auto a = q.create("a", [&](uint64_t) { order += 'a'; });
    auto b = q.create("b", [&](uint64_t) { order += 'b'; });
    auto c = q.create("c", [&](uint64_t) { order += 'c'; });
    auto d = q.create("d", [&](uint64_t) { order += 'd'; });
    q.arm(a, 30);
    q.arm(b, 10);
    q.arm(c, 20);
    q.arm(d, 10);
    EXPECT_EQ(q.runExpired(100), 4u);
    EXPECT_EQ(order, "bdca");
}

TEST(TimerQueue, CallbackMayReArmItselfForTheFuture) {
    TimerQueue q;
    unsigned ticks = 0;
    TimerQueue::Id id = 0;
    id = q.create("periodic", [&](uint64_t now) {
        ++ticks;
        q.arm(id, now + 10);
    });
    q.arm(id, 10);
    EXPECT_EQ(q.runExpired(10), 1u);
    EXPECT_EQ(ticks, 1u);
    EXPECT_TRUE(q.armed(id));
    EXPECT_EQ(q.deadline(id), 20u);
    EXPECT_EQ(q.nextDeadline(), 20u);
    EXPECT_EQ(q.runExpired(15), 0u);
    EXPECT_EQ(q.runExpired(20), 1u);
    EXPECT_EQ(q.nextDeadline(), 30u);
}

TEST(TimerQueue, CallbackMayArmAnotherTimerThatIsAlreadyDue) {
    TimerQueue q;
    std::string order;
    TimerQueue::Id second = 0;
    auto first = q.create("first", [&](uint64_t now) {
        order += '1';
        q.arm(second, now - 5);  // in the past: must still fire in this call
    });
    second = q.create("second", [&](uint64_t) { order += '2'; });
    q.arm(first, 100);
    EXPECT_EQ(q.runExpired(100), 2u);
    EXPECT_EQ(order, "12");
    EXPECT_EQ(q.nextDeadline(), TimerQueue::kNever);
}

TEST(TimerQueue, ADueTimerDisarmedByAnEarlierCallbackDoesNotFire) {
    TimerQueue q;
    std::string order;
    TimerQueue::Id victim = 0;
    auto killer = q.create("killer", [&](uint64_t) {
        order += 'k';
        q.disarm(victim);
    });
    victim = q.create("victim", [&](uint64_t) { order += 'v'; });
    q.arm(killer, 5);
    q.arm(victim, 6);
    EXPECT_EQ(q.runExpired(10), 1u);
    EXPECT_EQ(order, "k");
    EXPECT_FALSE(q.armed(victim));
}

TEST(TimerQueue, ACallbackThatReArmsInThePastCannotHangRunExpired) {
    TimerQueue q;
    uint64_t calls = 0;
    TimerQueue::Id id = 0;
    id = q.create("zero-period", [&](uint64_t now) {
        ++calls;
        q.arm(id, now);  // due again at once, forever
    });
    q.arm(id, 0);
    unsigned fired = q.runExpired(1000);  // must return
    EXPECT_GE(fired, 1u);
    EXPECT_LE(fired, 1000u);
    EXPECT_EQ(calls, fired);
    // It is still due: the run loop will come back to it after running the guest.
    EXPECT_TRUE(q.armed(id));
    EXPECT_EQ(q.nextDeadline(), 1000u);
}

// ------------------------------------------------------------------------------------------ Clock

TEST(Clock, VirtualTimeIsTheInstructionCounter) {
    uint64_t insns = 0;
    Clock c(ClockMode::Virtual, &insns);
    EXPECT_EQ(c.mode(), ClockMode::Virtual);
    EXPECT_EQ(c.nowNs(), 0u);
    insns = 12345;
    EXPECT_EQ(c.nowNs(), 12345u * Clock::kNsPerInsn);
    EXPECT_EQ(c.skippedNs(), 0u);
}

TEST(Clock, SkipToJumpsForwardOnlyAndAddsToLaterInstructions) {
    uint64_t insns = 100;
    Clock c(ClockMode::Virtual, &insns);
    const uint64_t t0 = 100 * Clock::kNsPerInsn;
    c.skipTo(t0 + 400);
    EXPECT_EQ(c.nowNs(), t0 + 400);
    EXPECT_EQ(c.skippedNs(), 400u);
    c.skipTo(t0 + 100);  // in the past: no effect
    EXPECT_EQ(c.nowNs(), t0 + 400);
    EXPECT_EQ(c.skippedNs(), 400u);
    c.skipTo(c.nowNs());  // now: no effect
    EXPECT_EQ(c.skippedNs(), 400u);
    insns += 10;
    EXPECT_EQ(c.nowNs(), t0 + 400 + 10 * Clock::kNsPerInsn);
    c.skipTo(c.nowNs() + 1000);
    EXPECT_EQ(c.skippedNs(), 1400u);
}

TEST(Clock, InsnsUntilCountsInstructionsToTheDeadlineAndIsAtLeastOne) {
    uint64_t insns = 1000;
    Clock c(ClockMode::Virtual, &insns);
    const uint64_t now = c.nowNs();
    EXPECT_EQ(c.insnsUntil(now + 90 * Clock::kNsPerInsn), 90u);
    EXPECT_EQ(c.insnsUntil(now + 1), (1 + Clock::kNsPerInsn - 1) / Clock::kNsPerInsn);
    EXPECT_EQ(c.insnsUntil(now), 1u);
    EXPECT_EQ(c.insnsUntil(0), 1u);
    EXPECT_EQ(c.insnsUntil(TimerQueue::kNever), (TimerQueue::kNever - now + Clock::kNsPerInsn - 1) / Clock::kNsPerInsn);
    // Running exactly that many instructions reaches the deadline.
    const uint64_t deadline = now + 777 * Clock::kNsPerInsn;
    insns += c.insnsUntil(deadline);
    EXPECT_EQ(c.nowNs(), deadline);
    // After a skip the count shrinks by the skipped time.
    c.skipTo(c.nowNs() + 50 * Clock::kNsPerInsn);
    EXPECT_EQ(c.insnsUntil(c.nowNs() + 25 * Clock::kNsPerInsn), 25u);
}

TEST(Clock, HostModeIgnoresTheCounterAndNeverGoesBackwards) {
    uint64_t insns = 1ull << 40;
    Clock c(ClockMode::Host, &insns);
    EXPECT_EQ(c.mode(), ClockMode::Host);
    uint64_t a = c.nowNs();
    uint64_t b = c.nowNs();
    EXPECT_GE(b, a);
    // skipTo really waits until then.
    c.skipTo(b + 2'000'000);
    EXPECT_GE(c.nowNs(), b + 2'000'000);
    EXPECT_EQ(c.skippedNs(), 0u);
    EXPECT_EQ(c.insnsUntil(0), 1u);
    EXPECT_GE(c.insnsUntil(c.nowNs() + 1'000'000'000), 1u);
}

}  // namespace
}  // namespace pvx
