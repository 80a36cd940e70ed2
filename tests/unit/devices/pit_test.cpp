// 8254 PIT and port 61h: counter values, OUT levels and IRQ0 edges against the Intel 8254
// datasheet's mode definitions, with time driven by a virtual instruction counter.
#include <gtest/gtest.h>

#include <random>

#include "common/clock.h"
#include "common/irq_line.h"
#include "common/port_bus.h"
#include "common/timer_queue.h"
#include "devices/pit/pit8254.h"
#include "devices/pit/system_control_port_b.h"

namespace pvx {
namespace {

class PitTest : public ::testing::Test {
protected:
    void SetUp() override {
        pit.attach(bus);
        portB.attach(bus);
    }
    void out(uint16_t port, uint8_t v) { bus.write(port, 1, v); }
    uint8_t in(uint16_t port) { return static_cast<uint8_t>(bus.read(port, 1)); }
    // Moves virtual time to the first nanosecond of PIT input tick `t` and fires timers.
    void toTick(uint64_t t) { toNs(Pit8254::nsAtTick(t)); }
    void toNs(uint64_t ns) {
        ASSERT_GE(ns, clock.nowNs());
        insns = ns;
        timers.runExpired(clock.nowNs());
    }
    // Advances in small steps, running timers as the run loop would.
    void runUntilNs(uint64_t ns, uint64_t step = 997) {
        while (clock.nowNs() + step < ns) toNs(clock.nowNs() + step);
        toNs(ns);
    }
    uint16_t latch(unsigned ch) {
        out(0x43, static_cast<uint8_t>(ch << 6));  // counter latch command
        uint8_t lo = in(static_cast<uint16_t>(0x40 + ch));
        uint8_t hi = in(static_cast<uint16_t>(0x40 + ch));
        return static_cast<uint16_t>(lo | (hi << 8));
    }
    void program(unsigned ch, unsigned mode, uint16_t count, bool bcd = false) {
        out(0x43, static_cast<uint8_t>((ch << 6) | 0x30 | (mode << 1) | (bcd ? 1 : 0)));
        out(static_cast<uint16_t>(0x40 + ch), static_cast<uint8_t>(count));
        out(static_cast<uint16_t>(0x40 + ch), static_cast<uint8_t>(count >> 8));
    }
    bool out2() { return in(0x61) & 0x20; }

    uint64_t insns = 0;
    Clock clock{ClockMode::Virtual, &insns};
    TimerQueue timers;
    PortBus bus;
    IrqLine irq0;
    Pit8254 pit{clock, timers, irq0};
    SystemControlPortB portB{pit};
};

TEST_F(PitTest, TickConversionRoundTrips) {
    for (uint64_t t : {0ull, 1ull, 1193181ull, 1193182ull, 1193183ull, 123456789012ull}) {
        const uint64_t ns = Pit8254::nsAtTick(t);
        EXPECT_EQ(Pit8254::ticksAt(ns), t);
        if (ns) {
            EXPECT_EQ(Pit8254::ticksAt(ns - 1), t - 1);
        }
    }
    // 2^64 ns is ~584 years; conversions must not overflow on the way.
    EXPECT_EQ(Pit8254::ticksAt(3600ull * 1000000000ull * 24 * 365), 3600ull * 24 * 365 * 1193182);
}

TEST_F(PitTest, Mode2ProducesIrq0AtTheProgrammedPeriod) {
    program(0, 2, 1193);  // ~1 kHz, written at tick 0: loaded at tick 1
    const uint64_t base = irq0.raises();
    EXPECT_TRUE(irq0.level());
    for (uint64_t k = 1; k <= 20; ++k) {
        const uint64_t edgeNs = Pit8254::nsAtTick(1 + 1193 * k);
        EXPECT_EQ(timers.nextDeadline(), edgeNs);
        runUntilNs(edgeNs - 1);
        EXPECT_EQ(irq0.raises(), base + k - 1);
        toNs(edgeNs);
        EXPECT_EQ(irq0.raises(), base + k);
        EXPECT_TRUE(irq0.level());
    }
    EXPECT_EQ(pit.irq0Edges, 20u);
}

TEST_F(PitTest, Mode2CountsDownFromNToOneAndReloads) {
    toTick(100);
    program(0, 2, 1000);  // loaded at tick 101
    toTick(101);
    EXPECT_EQ(latch(0), 1000);
    toTick(101 + 400);
    EXPECT_EQ(latch(0), 600);
    toTick(101 + 999);
    EXPECT_EQ(latch(0), 1);
    EXPECT_FALSE(pit.out(0));  // OUT low for the clock at count 1
    toTick(101 + 1000);
    EXPECT_EQ(latch(0), 1000);
    EXPECT_TRUE(pit.out(0));
}

TEST_F(PitTest, LatchHoldsValueUntilBothBytesRead) {
    program(0, 2, 5000);
    toTick(1 + 1234);
    out(0x43, 0x00);  // latch counter 0
    toTick(2000);
    out(0x43, 0x00);  // a second latch before reading is ignored
    const uint8_t lo = in(0x40);
    toTick(3000);
    const uint8_t hi = in(0x40);
    EXPECT_EQ(lo | (hi << 8), 5000 - 1234);
    // After the latch is consumed reads follow the live count again.
    EXPECT_EQ(latch(0), 5000 - (3000 - 1));
}

TEST_F(PitTest, ReadBackStatusAndCount) {
    out(0x61, 0x01);           // gate 2 high
    out(0x43, 0xB0);           // counter 2, LSB/MSB, mode 0, binary
    out(0x43, 0xE8);           // read-back: latch status of counter 2
    EXPECT_EQ(in(0x42), 0x70);  // OUT 0, null count, RW=11, mode 0
    out(0x42, 0x10);
    out(0x42, 0x00);           // count 16 at tick 0: loaded at tick 1
    out(0x43, 0xE8);
    EXPECT_EQ(in(0x42), 0x70);  // not loaded yet: still null count
    toTick(1);
    out(0x43, 0xE8);
    EXPECT_EQ(in(0x42), 0x30);
    toTick(1 + 16);
    out(0x43, 0xC8);           // latch count and status of counter 2
    EXPECT_EQ(in(0x42), 0xB0);  // status first: OUT high
    EXPECT_EQ(in(0x42), 0x00);  // then the count: 0 at terminal count
    EXPECT_EQ(in(0x42), 0x00);
    toTick(1 + 18);
    EXPECT_EQ(latch(2), 0xFFFE);  // mode 0 keeps counting through zero
}

TEST_F(PitTest, ReadBackSelectsSeveralCounters) {
    program(0, 3, 100);
    program(1, 2, 18);
    out(0x43, 0xC6);            // status + count for counters 0 and 1, before the load
    EXPECT_EQ(in(0x40), 0xF6);  // OUT high, null count, RW=11, mode 3
    EXPECT_EQ(in(0x41), 0xF4);
    toTick(5);
    // The counts were latched at tick 0, before the CR reached the CE: the CE still held its
    // old contents (0 after reset).
    EXPECT_EQ(in(0x40), 0);
    EXPECT_EQ(in(0x40), 0);
    out(0x43, 0xC6);
    EXPECT_EQ(in(0x40), 0xB6);  // loaded: null count clear
    EXPECT_EQ(in(0x41), 0xB4);
}

TEST_F(PitTest, Port61Out2TracksMode0OneShotExactly) {
    // Linux's PIT calibration: gate on, speaker off, mode 0 on counter 2, poll OUT2 via 61h.
    toTick(50);
    out(0x61, static_cast<uint8_t>((in(0x61) & ~0x02) | 0x01));
    out(0x43, 0xB0);
    out(0x42, 11932 & 0xFF);
    out(0x42, 11932 >> 8);  // written at tick 50: OUT2 rises at 50 + 1 + 11932
    const uint64_t riseNs = Pit8254::nsAtTick(50 + 1 + 11932);
    toNs(riseNs - 1);
    EXPECT_FALSE(out2());
    toNs(riseNs);
    EXPECT_TRUE(out2());
    EXPECT_EQ(in(0x61) & 0x0F, 0x01);  // written bits read back
}

TEST_F(PitTest, Gate2LowSuspendsMode0) {
    program(2, 0, 100);  // gate (61h bit 0) is low after reset
    toTick(500);
    EXPECT_EQ(latch(2), 100);  // loaded, but not counting
    EXPECT_TRUE(pit.counter(2).nullCount(pit.ticksNow()) == false);
    out(0x61, 0x01);
    toTick(540);
    EXPECT_EQ(latch(2), 60);
    out(0x61, 0x00);
    toTick(900);
    EXPECT_EQ(latch(2), 60);
    EXPECT_FALSE(out2());
    out(0x61, 0x01);
    toTick(960);
    EXPECT_TRUE(out2());
}

TEST_F(PitTest, Mode0Irq0RisesAtTerminalCountAndStaysHigh) {
    program(0, 0, 100);
    EXPECT_FALSE(irq0.level());
    toTick(100);
    EXPECT_FALSE(irq0.level());
    toTick(101);
    EXPECT_TRUE(irq0.level());
    toTick(100000);
    EXPECT_TRUE(irq0.level());
    EXPECT_EQ(irq0.raises(), 1u);
    EXPECT_EQ(timers.nextDeadline(), TimerQueue::kNever);  // one-shot: nothing armed
    program(0, 0, 10);  // a new count: OUT low again
    EXPECT_FALSE(irq0.level());
    toTick(100000 + 11);
    EXPECT_TRUE(irq0.level());
}

TEST_F(PitTest, Mode0FirstByteStopsCounting) {
    program(0, 0, 1000);
    toTick(200);
    out(0x40, 0x05);  // LSB of a new count: counting stops, OUT stays low
    toTick(2000);
    EXPECT_FALSE(irq0.level());
    EXPECT_EQ(latch(0), 1000 - 199);
    out(0x40, 0x00);  // MSB: count 5 loads at the next clock
    toTick(2000 + 1 + 5);
    EXPECT_TRUE(irq0.level());
}

TEST_F(PitTest, Mode3SquareWaveEvenAndOdd) {
    out(0x61, 0x01);
    program(2, 3, 4);  // loaded at tick 1: high 2, low 2
    const bool expectEven[] = {true, true, false, false, true, true, false, false};
    for (unsigned i = 0; i < 8; ++i) {
        toTick(1 + i);
        EXPECT_EQ(out2(), expectEven[i]) << "tick " << i;
    }
    toTick(100);
    program(2, 3, 5);  // loaded at tick 101: high 3, low 2; CE runs 4,2,0 then 4,2
    const bool expectOdd[] = {true, true, true, false, false, true, true, true, false, false};
    const uint16_t ce[] = {4, 2, 0, 4, 2, 4, 2, 0, 4, 2};
    for (unsigned i = 0; i < 10; ++i) {
        toTick(101 + i);
        EXPECT_EQ(out2(), expectOdd[i]) << "tick " << i;
        EXPECT_EQ(latch(2), ce[i]) << "tick " << i;
    }
}

TEST_F(PitTest, Mode3NewCountStartsAtTheEndOfTheHalfCycle) {
    out(0x61, 0x01);
    program(2, 3, 10);  // loaded at tick 1: high for ticks 1-5, low 6-10
    toTick(3);
    out(0x42, 4);       // new count 4 in the high half: takes over at tick 6, in its low half
    out(0x42, 0);
    const bool expect[] = {true, true, true, false, false, true, true, false, false, true};
    const uint16_t ce[] = {0, 0, 0, 4, 2, 4, 2, 4, 2, 4};
    for (unsigned i = 0; i < 10; ++i) {
        toTick(3 + i);
        EXPECT_EQ(out2(), expect[i]) << "tick " << 3 + i;
        if (i >= 3) {
            EXPECT_EQ(latch(2), ce[i]) << "tick " << 3 + i;
        }
    }
}

TEST_F(PitTest, Mode5HardwareTriggeredStrobe) {
    program(2, 5, 3);
    toTick(10);
    EXPECT_TRUE(out2());
    out(0x61, 0x01);  // trigger at tick 10: loaded at 11, OUT low for tick 14 only
    toTick(13);
    EXPECT_TRUE(out2());
    toTick(14);
    EXPECT_FALSE(out2());
    toTick(15);
    EXPECT_TRUE(out2());
    toTick(40);
    EXPECT_TRUE(out2());
}

TEST_F(PitTest, Mode3Irq0EdgesEveryPeriod) {
    program(0, 3, 100);
    const uint64_t base = irq0.raises();
    runUntilNs(Pit8254::nsAtTick(1 + 100 * 50));
    EXPECT_EQ(irq0.raises() - base, 50u);
}

TEST_F(PitTest, Mode2NewCountTakesEffectAtNextReload) {
    program(0, 2, 1000);
    toTick(500);
    out(0x40, 100);
    out(0x40, 0);
    EXPECT_EQ(timers.nextDeadline(), Pit8254::nsAtTick(1001));
    toTick(1001);
    EXPECT_EQ(latch(0), 100);
    EXPECT_EQ(timers.nextDeadline(), Pit8254::nsAtTick(1101));
}

TEST_F(PitTest, Mode1RetriggeredByGate) {
    program(2, 1, 10);
    toTick(20);
    EXPECT_TRUE(out2());  // waits for a trigger with OUT high
    out(0x61, 0x01);      // rising gate at tick 20: OUT low from tick 21
    toTick(21);
    EXPECT_FALSE(out2());
    toTick(30);
    EXPECT_FALSE(out2());
    toTick(31);
    EXPECT_TRUE(out2());
    out(0x61, 0x00);
    toTick(40);
    out(0x61, 0x01);      // retrigger
    toTick(41);
    EXPECT_FALSE(out2());
    toTick(51);
    EXPECT_TRUE(out2());
}

TEST_F(PitTest, Mode4StrobeOnIrq0) {
    program(0, 4, 10);  // loaded at tick 1, OUT low for tick 11, rises at tick 12
    EXPECT_TRUE(irq0.level());
    const uint64_t base = irq0.raises();
    toTick(11);
    EXPECT_FALSE(pit.out(0));
    EXPECT_EQ(irq0.raises(), base);
    toTick(12);
    EXPECT_TRUE(pit.out(0));
    EXPECT_EQ(irq0.raises(), base + 1);
    toTick(100000);
    EXPECT_EQ(irq0.raises(), base + 1);  // one strobe only
}

TEST_F(PitTest, BcdCounting) {
    program(0, 0, 0x0100, true);  // 100 decimal, loaded at tick 1
    toTick(1 + 51);
    EXPECT_EQ(latch(0), 0x0049);
    program(0, 0, 0x0000, true);  // written at tick 52; 0 means 10000 in BCD
    toTick(53);
    EXPECT_EQ(latch(0), 0x0000);
    toTick(54);
    EXPECT_EQ(latch(0), 0x9999);
    toTick(53 + 10000 - 1234);
    EXPECT_EQ(latch(0), 0x1234);
}

TEST_F(PitTest, LsbOnlyAndMsbOnlyAccess) {
    out(0x43, 0x14);  // counter 0, LSB only, mode 2
    out(0x40, 200);
    toTick(51);
    EXPECT_EQ(in(0x40), 150);
    out(0x43, 0x64);  // counter 1, MSB only, mode 2
    out(0x41, 0x02);  // 0x0200
    toTick(52 + 0x100);
    EXPECT_EQ(in(0x41), 0x01);
}

TEST_F(PitTest, RefreshToggleFlipsEvery18Ticks) {
    toTick(0);
    const bool a = in(0x61) & 0x10;
    toTick(17);
    EXPECT_EQ(bool(in(0x61) & 0x10), a);
    toTick(18);
    EXPECT_NE(bool(in(0x61) & 0x10), a);
    toTick(36);
    EXPECT_EQ(bool(in(0x61) & 0x10), a);
}

TEST_F(PitTest, TinyPeriodsNeverSpinTheHost) {
    program(0, 2, 2);  // 596 kHz
    toNs(50'000'000);  // 50 ms late in one step
    // The callback re-arms strictly in the future, so one runExpired fires it at most once.
    EXPECT_GT(timers.nextDeadline(), clock.nowNs());
    EXPECT_LE(timers.runExpired(clock.nowNs()), 1u);
    program(0, 2, 1);  // illegal in mode 2: OUT never rises, nothing armed
    EXPECT_EQ(timers.nextDeadline(), TimerQueue::kNever);
    program(0, 3, 1);
    EXPECT_EQ(timers.nextDeadline(), TimerQueue::kNever);
    program(0, 3, 2);
    toNs(60'000'000);
    EXPECT_GT(timers.nextDeadline(), clock.nowNs());
}

TEST_F(PitTest, HostileSequencesNeverCrashOrHang) {
    std::mt19937 rng(42);
    for (int i = 0; i < 100000; ++i) {
        const unsigned op = rng() % 4;
        if (op == 0) out(static_cast<uint16_t>(0x40 + rng() % 4), static_cast<uint8_t>(rng()));
        else if (op == 1) in(static_cast<uint16_t>(0x40 + rng() % 4));
        else if (op == 2) out(0x61, static_cast<uint8_t>(rng()));
        else toNs(clock.nowNs() + rng() % 5000);
        EXPECT_LE(timers.runExpired(clock.nowNs()), 1u);
    }
}

}  // namespace
}  // namespace pvx
