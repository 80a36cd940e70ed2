// MC146818 RTC/CMOS: register formats, update cycle, UIP window and IRQ8 sources, with time from a
// virtual instruction counter (1 ns per instruction).
#include <gtest/gtest.h>

#include <random>

#include "common/clock.h"
#include "common/irq_line.h"
#include "common/port_bus.h"
#include "common/timer_queue.h"
#include "devices/rtc/civil_date.h"
#include "devices/rtc/rtc146818.h"

namespace pvx {
namespace {

constexpr uint64_t kEpoch2024 = 1704067200;  // 2024-01-01 00:00:00 UTC, a Monday
constexpr uint64_t kSecond = 1000000000ull;

class RtcTest : public ::testing::Test {
protected:
    void SetUp() override { rtc.attach(bus); }
    uint8_t reg(uint8_t idx) {
        bus.write(0x70, 1, idx);
        return static_cast<uint8_t>(bus.read(0x71, 1));
    }
    void setReg(uint8_t idx, uint8_t v) {
        bus.write(0x70, 1, idx);
        bus.write(0x71, 1, v);
    }
    void toNs(uint64_t ns) {
        ASSERT_GE(ns, clock.nowNs());
        insns = ns;
        timers.runExpired(clock.nowNs());
    }
    // Divider tick k of the 32.768 kHz chain (the chain starts at clock 0).
    static uint64_t nsAtDividerTick(uint64_t k) { return (k * kSecond + 32767) / 32768; }

    uint64_t insns = 0;
    Clock clock{ClockMode::Virtual, &insns};
    TimerQueue timers;
    PortBus bus;
    IrqLine irq8;
    Rtc146818 rtc{clock, timers, irq8, kEpoch2024};
};

TEST_F(RtcTest, BcdReadsOfTheFixedEpoch) {
    EXPECT_EQ(reg(0x00), 0x00);
    EXPECT_EQ(reg(0x02), 0x00);
    EXPECT_EQ(reg(0x04), 0x00);
    EXPECT_EQ(reg(0x06), 0x02);  // Monday (Sunday = 1)
    EXPECT_EQ(reg(0x07), 0x01);
    EXPECT_EQ(reg(0x08), 0x01);
    EXPECT_EQ(reg(0x09), 0x24);
    EXPECT_EQ(reg(0x32), 0x20);  // century
    EXPECT_EQ(reg(0x0A), 0x26);
    EXPECT_EQ(reg(0x0B), 0x02);
    EXPECT_EQ(reg(0x0C), 0x00);
    EXPECT_EQ(reg(0x0D), 0x80);
    EXPECT_FALSE(irq8.level());
}

TEST_F(RtcTest, OtherEpochsInBcd) {
    // 2038-01-19 03:14:07 UTC, a Tuesday.
    Rtc146818 r(clock, timers, irq8, 2147483647);
    EXPECT_EQ(r.byte(0x00), 0x07);
    EXPECT_EQ(r.byte(0x02), 0x14);
    EXPECT_EQ(r.byte(0x04), 0x03);
    EXPECT_EQ(r.byte(0x06), 0x03);
    EXPECT_EQ(r.byte(0x07), 0x19);
    EXPECT_EQ(r.byte(0x08), 0x01);
    EXPECT_EQ(r.byte(0x09), 0x38);
    EXPECT_EQ(r.byte(0x32), 0x20);
}

TEST_F(RtcTest, TimeAdvancesWithTheClock) {
    toNs(kSecond - 1);
    EXPECT_EQ(reg(0x00), 0x00);
    toNs(kSecond);
    EXPECT_EQ(reg(0x00), 0x01);
    toNs(61 * kSecond);
    EXPECT_EQ(reg(0x00), 0x01);
    EXPECT_EQ(reg(0x02), 0x01);
    toNs(86400 * kSecond + 3723 * kSecond);
    EXPECT_EQ(reg(0x04), 0x01);
    EXPECT_EQ(reg(0x02), 0x02);
    EXPECT_EQ(reg(0x00), 0x03);
    EXPECT_EQ(reg(0x07), 0x02);
    EXPECT_EQ(reg(0x06), 0x03);  // Tuesday
}

TEST_F(RtcTest, LongGapWithoutAccess) {
    toNs(400 * 86400 * kSecond);  // 2025-02-04, a Tuesday
    EXPECT_EQ(reg(0x09), 0x25);
    EXPECT_EQ(reg(0x08), 0x02);
    EXPECT_EQ(reg(0x07), 0x04);
    EXPECT_EQ(reg(0x06), 0x03);
    EXPECT_EQ(reg(0x04), 0x00);
}

TEST_F(RtcTest, BinaryModeAndYearRollover) {
    setReg(0x0B, 0x86);  // SET, binary, 24 h
    setReg(0x00, 59);
    setReg(0x02, 59);
    setReg(0x04, 23);
    setReg(0x06, 7);
    setReg(0x07, 31);
    setReg(0x08, 12);
    setReg(0x09, 99);
    toNs(5 * kSecond);
    EXPECT_EQ(reg(0x00), 59);  // SET inhibits updates
    setReg(0x0B, 0x06);
    toNs(6 * kSecond - 1);
    EXPECT_EQ(reg(0x00), 59);
    toNs(6 * kSecond);  // the next update of the free-running divider
    EXPECT_EQ(reg(0x00), 0);
    EXPECT_EQ(reg(0x02), 0);
    EXPECT_EQ(reg(0x04), 0);
    EXPECT_EQ(reg(0x06), 1);
    EXPECT_EQ(reg(0x07), 1);
    EXPECT_EQ(reg(0x08), 1);
    EXPECT_EQ(reg(0x09), 0);
    toNs(6 * kSecond + 45 * kSecond);
    EXPECT_EQ(reg(0x00), 45);  // binary, not 0x45
}

TEST_F(RtcTest, LeapDayInTheChip) {
    setReg(0x0B, 0x82);
    setReg(0x00, 0x59);
    setReg(0x02, 0x59);
    setReg(0x04, 0x23);
    setReg(0x07, 0x28);
    setReg(0x08, 0x02);
    setReg(0x09, 0x24);
    setReg(0x0B, 0x02);
    toNs(kSecond);
    EXPECT_EQ(reg(0x07), 0x29);
    EXPECT_EQ(reg(0x08), 0x02);
}

TEST_F(RtcTest, TwelveHourMode) {
    setReg(0x0B, 0x80);  // SET, BCD, 12 h
    setReg(0x04, 0x91);  // 11 PM
    setReg(0x02, 0x59);
    setReg(0x00, 0x59);
    setReg(0x0B, 0x00);
    toNs(kSecond);
    EXPECT_EQ(reg(0x04), 0x12);  // 12 AM
    EXPECT_EQ(reg(0x07), 0x02);
    toNs(kSecond + 12 * 3600 * kSecond);
    EXPECT_EQ(reg(0x04), 0x92);  // 12 PM
    toNs(kSecond + 13 * 3600 * kSecond);
    EXPECT_EQ(reg(0x04), 0x81);  // 1 PM
}

TEST_F(RtcTest, UpdateInProgressFor244usBeforeEachUpdate) {
    const uint64_t uipStart = nsAtDividerTick(32768 - 8);  // 244.14 us before the update
    toNs(uipStart - 1);
    EXPECT_EQ(reg(0x0A) & 0x80, 0);
    toNs(uipStart);
    EXPECT_EQ(reg(0x0A), 0xA6);
    EXPECT_EQ(reg(0x00), 0x00);  // the update has not happened yet
    toNs(kSecond - 1);
    EXPECT_EQ(reg(0x0A) & 0x80, 0x80);
    toNs(kSecond);
    EXPECT_EQ(reg(0x0A), 0x26);
    EXPECT_EQ(reg(0x00), 0x01);
    setReg(0x0B, 0x82);  // SET: no update cycles, no UIP
    toNs(2 * kSecond - 1000);
    EXPECT_EQ(reg(0x0A) & 0x80, 0);
}

TEST_F(RtcTest, PeriodicInterruptAtTheProgrammedRate) {
    EXPECT_EQ(reg(0x0C), 0x00);
    setReg(0x0B, 0x42);  // PIE, 24 h
    int irqs = 0;
    for (uint64_t ns = 0; ns < kSecond; ns += 5000) {
        toNs(ns);
        if (irq8.level()) {
            ++irqs;
            EXPECT_EQ(reg(0x0C), 0xC0);  // IRQF | PF
            EXPECT_FALSE(irq8.level());
        }
    }
    EXPECT_EQ(irqs, 1023);  // RS = 0110: 1024 Hz; the 1024th tick coincides with the update
    toNs(kSecond);
    EXPECT_TRUE(irq8.level());
    EXPECT_EQ(reg(0x0C), 0xD0);  // IRQF | PF | UF
    EXPECT_EQ(rtc.interrupts, 1024u);
}

TEST_F(RtcTest, PeriodicRateSelect) {
    setReg(0x0A, 0x2F);  // 2 Hz
    reg(0x0C);
    setReg(0x0B, 0x42);
    int irqs = 0;
    for (uint64_t ns = 0; ns <= 3 * kSecond; ns += 1000000) {
        toNs(ns);
        if (irq8.level()) {
            ++irqs;
            reg(0x0C);
        }
    }
    EXPECT_EQ(irqs, 6);
    // RS = 0001 with the 32.768 kHz time base is 256 Hz, not 32 kHz.
    setReg(0x0A, 0x21);
    reg(0x0C);
    irqs = 0;
    for (uint64_t ns = 3 * kSecond + 1000; ns <= 4 * kSecond; ns += 1000) {
        toNs(ns);
        if (irq8.level()) {
            ++irqs;
            reg(0x0C);
        }
    }
    EXPECT_EQ(irqs, 256);
}

TEST_F(RtcTest, RegisterCReadClearsFlagsAndLowersIrq) {
    setReg(0x0B, 0x42);
    toNs(2 * kSecond);
    EXPECT_TRUE(irq8.level());
    // PF, plus UF from the updates that happened meanwhile (flags set regardless of enables).
    EXPECT_EQ(reg(0x0C), 0xD0);
    EXPECT_FALSE(irq8.level());
    EXPECT_EQ(reg(0x0C), 0x00);
    // A flag whose interrupt is disabled never asserts IRQ8.
    setReg(0x0B, 0x02);
    toNs(3 * kSecond);
    EXPECT_FALSE(irq8.level());
    EXPECT_EQ(reg(0x0C), 0x50);  // PF | UF, no IRQF
}

TEST_F(RtcTest, UpdateEndedInterrupt) {
    setReg(0x0A, 0x20);  // no periodic rate
    setReg(0x0B, 0x12);  // UIE
    toNs(kSecond - 1);
    EXPECT_FALSE(irq8.level());
    toNs(kSecond);
    EXPECT_TRUE(irq8.level());
    EXPECT_EQ(reg(0x0C), 0x90);
    EXPECT_EQ(reg(0x00), 0x01);
}

TEST_F(RtcTest, AlarmInterrupt) {
    setReg(0x0A, 0x20);
    setReg(0x01, 0x05);
    setReg(0x03, 0x00);
    setReg(0x05, 0x00);
    setReg(0x0B, 0x22);  // AIE
    toNs(4 * kSecond);
    EXPECT_FALSE(irq8.level());
    toNs(5 * kSecond);
    EXPECT_TRUE(irq8.level());
    EXPECT_EQ(reg(0x0C), 0xB0);  // IRQF | AF | UF
    // Don't-care bytes (C0h-FFh) match every second.
    setReg(0x01, 0xC0);
    setReg(0x03, 0xFF);
    setReg(0x05, 0xC0);
    toNs(6 * kSecond);
    EXPECT_TRUE(irq8.level());
}

TEST_F(RtcTest, AlarmSeenAcrossAGapWithoutAccess) {
    setReg(0x0A, 0x20);
    setReg(0x01, 0x30);
    setReg(0x03, 0x10);
    setReg(0x05, 0x00);  // 00:10:30
    toNs(3600 * kSecond);
    EXPECT_EQ(reg(0x0C), 0x30);  // AF | UF, interrupt not enabled
}

TEST_F(RtcTest, SetBitFreezesTimeAndClearsUie) {
    setReg(0x0B, 0x92);
    EXPECT_EQ(reg(0x0B), 0x82);
    toNs(10 * kSecond);
    EXPECT_EQ(reg(0x00), 0x00);
    setReg(0x00, 0x30);
    setReg(0x0B, 0x02);
    toNs(11 * kSecond);
    EXPECT_EQ(reg(0x00), 0x31);
}

TEST_F(RtcTest, DividerResetDelaysFirstUpdateByHalfASecond) {
    toNs(kSecond / 4);
    setReg(0x0A, 0x76);  // divider in reset
    toNs(3 * kSecond);
    EXPECT_EQ(reg(0x00), 0x00);
    const uint64_t release = 3 * kSecond + 123;
    toNs(release);
    setReg(0x0A, 0x26);
    // Divider ticks are 30.5 us apart; the update lands on the tick half a second on.
    toNs(release + kSecond / 2 - 40000);
    EXPECT_EQ(reg(0x00), 0x00);
    toNs(release + kSecond / 2 + 40000);
    EXPECT_EQ(reg(0x00), 0x01);
}

TEST_F(RtcTest, NvramIndexNmiMaskAndWordWrite) {
    rtc.setByte(0x15, 0x80);  // base memory size, as the machine fills it
    bus.write(0x70, 1, 0x95);
    EXPECT_TRUE(rtc.nmiMasked());
    EXPECT_EQ(bus.read(0x71, 1), 0x80u);
    bus.write(0x70, 2, 0x5A34);  // index 34h, data 5Ah in one OUT
    EXPECT_FALSE(rtc.nmiMasked());
    EXPECT_EQ(rtc.byte(0x34), 0x5A);
    EXPECT_EQ(bus.read(0x70, 1), 0xFFu);  // port 70h is write-only
    setReg(0x0C, 0xFF);
    setReg(0x0D, 0x00);
    EXPECT_EQ(reg(0x0C), 0x00);
    EXPECT_EQ(reg(0x0D), 0x80);
    EXPECT_EQ(rtc.ioWrites, 8u);
}

TEST_F(RtcTest, ResetPinClearsInterruptEnablesNotTime) {
    setReg(0x0B, 0x7A);
    toNs(2 * kSecond);
    EXPECT_TRUE(irq8.level());
    rtc.reset();
    EXPECT_FALSE(irq8.level());
    EXPECT_EQ(reg(0x0B), 0x02);
    EXPECT_EQ(reg(0x00), 0x02);
}

TEST_F(RtcTest, CivilCalendarRoundTrips) {
    for (int64_t d = -800000; d <= 800000; d += 997) {
        const CivilDate c = CivilCalendar::fromDayNumber(d);
        EXPECT_EQ(CivilCalendar::dayNumber(c.year, c.month, c.day), d);
    }
    EXPECT_EQ(CivilCalendar::dayNumber(2024, 1, 1), 19723);
    EXPECT_EQ(CivilCalendar::weekday(19723), 2u);
}

TEST_F(RtcTest, HostileSequencesNeverCrash) {
    std::mt19937 rng(7);
    for (int i = 0; i < 100000; ++i) {
        switch (rng() % 4) {
        case 0: bus.write(0x70, 1, rng() & 0xFF); break;
        case 1: bus.write(0x71, 1, rng() & 0xFF); break;
        case 2: bus.read(0x71, 1); break;
        default: toNs(clock.nowNs() + rng() % 3000000); break;
        }
        EXPECT_LE(timers.runExpired(clock.nowNs()), 1u);
    }
}

}  // namespace
}  // namespace pvx
