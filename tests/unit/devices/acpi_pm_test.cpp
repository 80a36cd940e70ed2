// PIIX4 power management function: configuration, PM I/O decode, PM timer against the
// virtual clock, status/enable/SCI semantics and the S5 power-off.
#include <gtest/gtest.h>

#include <random>

#include "common/clock.h"
#include "common/port_bus.h"
#include "common/timer_queue.h"
#include "devices/acpi/acpi_constants.h"
#include "devices/acpi/apm_control_port.h"
#include "devices/acpi/piix4_pm.h"
#include "devices/pci/pci_bus.h"

namespace pvx {
namespace {

using namespace acpi;

constexpr uint16_t kBase = kPmIoBase;

class AcpiPmTest : public ::testing::Test {
protected:
    void SetUp() override {
        pci.attach(ports);
        pci.addFunction(kPmPciDevice, kPmPciFunction, pm);
        pm.setPowerOffCallback([this] { ++powerOffs; });
        pci.configWrite(1, 3, kPmBaseConfigReg, 4, kBase);
        pci.configWrite(1, 3, kPmMiscConfigReg, 1, kPmIoEnable);
    }
    void advanceTo(uint64_t ns) {
        insns = ns / Clock::kNsPerInsn;
        timers.runExpired(clock.nowNs());
    }
    uint16_t in16(uint16_t p) { return static_cast<uint16_t>(ports.read(p, 2)); }
    void out16(uint16_t p, uint16_t v) { ports.write(p, 2, v); }

    uint64_t insns = 0;
    Clock clock{ClockMode::Virtual, &insns};
    TimerQueue timers;
    PortBus ports;
    PciBus pci;
    Piix4Pm pm{ports, clock, &timers};
    int powerOffs = 0;
};

TEST_F(AcpiPmTest, PciIdentity) {
    EXPECT_EQ(pci.configRead(1, 3, 0x00, 4), 0x71138086u);
    EXPECT_EQ(pci.configRead(1, 3, 0x08, 4), 0x06800003u);
    EXPECT_EQ(pci.configRead(1, 3, 0x3D, 1), 0x01u);
    EXPECT_EQ(pci.configRead(1, 3, 0x90, 4), 0x00000001u);  // SMBus base: unprogrammed
    EXPECT_EQ(pci.configRead(1, 3, 0xD2, 1), 0x00u);        // SMBus host disabled
}

TEST_F(AcpiPmTest, PmBaseRegisterAndDecode) {
    EXPECT_EQ(pci.configRead(1, 3, 0x40, 4), uint32_t{kBase} | 1);
    EXPECT_EQ(ports.deviceAt(kBase), &pm);
    EXPECT_EQ(ports.deviceAt(kBase + 0x3F), &pm);
    EXPECT_EQ(ports.deviceAt(kBase + 0x40), nullptr);
    EXPECT_EQ(pm.ioBase(), std::optional<uint16_t>(kBase));

    pci.configWrite(1, 3, 0x80, 1, 0x00);  // PMIOSE off
    EXPECT_EQ(ports.deviceAt(kBase), nullptr);
    EXPECT_FALSE(pm.ioBase().has_value());
    pci.configWrite(1, 3, 0x40, 4, 0xFFFFFFFF);
    EXPECT_EQ(pci.configRead(1, 3, 0x40, 4), 0x0000FFC1u);  // 64-byte block, bit 0 reads 1
    pci.configWrite(1, 3, 0x40, 4, 0xB000);
    pci.configWrite(1, 3, 0x80, 1, 0xFF);
    EXPECT_EQ(pci.configRead(1, 3, 0x80, 1), 0x01u);
    EXPECT_EQ(ports.deviceAt(0xB000), &pm);
    EXPECT_EQ(ports.deviceAt(kBase), nullptr);
}

TEST_F(AcpiPmTest, TimerRunsAt3579545HzFromTheClock) {
    EXPECT_EQ(ports.read(kPmTmrPort, 4), 0u);
    advanceTo(279);  // 279 ns = 0.9987 ticks
    EXPECT_EQ(ports.read(kPmTmrPort, 4), 0u);
    advanceTo(280);  // 1.0023 ticks
    EXPECT_EQ(ports.read(kPmTmrPort, 4), 1u);
    advanceTo(279000);  // 279 us * 3.579545 MHz = 998.69 ticks
    EXPECT_EQ(ports.read(kPmTmrPort, 4), 998u);
    advanceTo(1000000000);
    EXPECT_EQ(ports.read(kPmTmrPort, 4), 3579545u);
    advanceTo(10000000000ull);  // 35795450 ticks, wrapped at 24 bits
    EXPECT_EQ(ports.read(kPmTmrPort, 4), 35795450u - 2 * 16777216u);
    EXPECT_EQ(pm.timerValue(), 35795450u - 2 * 16777216u);
    // Byte and word reads see the same count.
    uint32_t v = pm.timerValue();
    EXPECT_EQ(ports.read(kPmTmrPort + 2, 1), (v >> 16) & 0xFF);
    EXPECT_EQ(ports.read(kPmTmrPort, 2), v & 0xFFFF);
    EXPECT_EQ(ports.read(kPmTmrPort + 3, 1), 0u);
    // Far in the future (a day of guest time) the arithmetic does not overflow.
    advanceTo(86400ull * 1000000000ull + 500000000ull);
    uint64_t ticks = 86400ull * 3579545ull + 3579545ull / 2;
    EXPECT_EQ(ports.read(kPmTmrPort, 4), ticks & 0xFFFFFF);
    // Writes do nothing.
    ports.write(kPmTmrPort, 4, 0);
    EXPECT_EQ(ports.read(kPmTmrPort, 4), ticks & 0xFFFFFF);
    EXPECT_EQ(pm.timerReads, 11u);
}

TEST_F(AcpiPmTest, TimerStatusOnBit23Toggle) {
    // 2^23 ticks = 2.3434 s.
    advanceTo(2343400000ull);
    EXPECT_LT(ports.read(kPmTmrPort, 4), 0x800000u);
    EXPECT_EQ(in16(kPm1aEvtPort) & kTmrSts, 0);
    advanceTo(2343500000ull);
    EXPECT_GE(ports.read(kPmTmrPort, 4), 0x800000u);
    EXPECT_EQ(in16(kPm1aEvtPort) & kTmrSts, kTmrSts);
    out16(kPm1aEvtPort, kTmrSts);  // write 1 to clear
    EXPECT_EQ(in16(kPm1aEvtPort) & kTmrSts, 0);
    out16(kPm1aEvtPort, 0xFFFF);
    EXPECT_EQ(in16(kPm1aEvtPort), 0);
}

TEST_F(AcpiPmTest, TimerOverflowRaisesSciThroughTimerQueue) {
    ports.write(kSmiCmdPort, 1, kAcpiEnable);  // no APM port attached: nothing happens
    EXPECT_EQ(pm.pm1Control() & kSciEn, 0);
    out16(kPm1aCntPort, kSciEn);
    out16(kPm1aEvtPort + 2, kTmrSts);  // TMR_EN
    EXPECT_EQ(pm.pm1Enable(), kTmrSts);
    ASSERT_NE(timers.nextDeadline(), TimerQueue::kNever);
    uint64_t deadline = timers.nextDeadline();
    // The deadline is the first nanosecond at which bit 23 is set.
    insns = deadline - 1;
    EXPECT_EQ(pm.timerValue(), 0x7FFFFFu);
    insns = deadline;
    EXPECT_EQ(pm.timerValue(), 0x800000u);
    EXPECT_FALSE(pm.sci.level());
    timers.runExpired(clock.nowNs());
    EXPECT_TRUE(pm.sci.level());
    // Re-armed for the next toggle (bit 23 back to 0 at 2^24 ticks).
    EXPECT_GT(timers.nextDeadline(), deadline);
    out16(kPm1aEvtPort, kTmrSts);
    EXPECT_FALSE(pm.sci.level());
    insns = timers.nextDeadline();
    timers.runExpired(clock.nowNs());
    EXPECT_EQ(pm.timerValue(), 0u);
    EXPECT_TRUE(pm.sci.level());
    // TMR_EN off: no deadline.
    out16(kPm1aEvtPort + 2, 0);
    EXPECT_FALSE(pm.sci.level());
    EXPECT_EQ(timers.nextDeadline(), TimerQueue::kNever);
}

TEST_F(AcpiPmTest, PowerButtonSci) {
    pm.pressPowerButton();
    EXPECT_EQ(in16(kPm1aEvtPort), kPwrBtnSts);
    EXPECT_FALSE(pm.sci.level());  // not enabled
    out16(kPm1aEvtPort + 2, kPwrBtnSts);
    EXPECT_FALSE(pm.sci.level());  // SCI_EN still clear
    out16(kPm1aCntPort, kSciEn);
    EXPECT_TRUE(pm.sci.level());
    ports.write(kPm1aEvtPort + 1, 1, kPwrBtnSts >> 8);  // byte write-1-to-clear
    EXPECT_FALSE(pm.sci.level());
    EXPECT_EQ(in16(kPm1aEvtPort), 0);
    // Dword access to PM1a_EVT: status in the low half, enable in the high half.
    pm.pressPowerButton();
    EXPECT_EQ(ports.read(kPm1aEvtPort, 4), uint32_t{kPwrBtnSts} << 16 | kPwrBtnSts);
    ports.write(kPm1aEvtPort, 4, kPwrBtnSts);  // clears status, disables everything
    EXPECT_EQ(ports.read(kPm1aEvtPort, 4), 0u);
}

TEST_F(AcpiPmTest, SlpEnWithS5PowersOff) {
    out16(kPm1aCntPort, static_cast<uint16_t>(kSciEn | 1u << kSlpTypShift | kSlpEn));  // S3-ish: ignored
    EXPECT_EQ(powerOffs, 0);
    EXPECT_EQ(pm.sleepRequestsIgnored, 1u);
    EXPECT_EQ(in16(kPm1aCntPort), kSciEn | 1u << kSlpTypShift);  // SLP_EN reads 0
    out16(kPm1aCntPort, static_cast<uint16_t>(kSciEn | kSlpTypS5 << kSlpTypShift));  // type without enable
    EXPECT_EQ(powerOffs, 0);
    out16(kPm1aCntPort, static_cast<uint16_t>(kSciEn | kSlpTypS5 << kSlpTypShift | kSlpEn));
    EXPECT_EQ(powerOffs, 1);
    EXPECT_EQ(pm.powerOffRequests, 1u);
    // The high byte alone, as a byte-wide AML field write would do it.
    ports.write(kPm1aCntPort + 1, 1, (kSlpTypS5 << kSlpTypShift | kSlpEn) >> 8);
    EXPECT_EQ(powerOffs, 2);
}

TEST_F(AcpiPmTest, ApmPortSwitchesSciEnable) {
    ApmControlPort apm([this](uint8_t v) { pm.handleApmCommand(v); });
    apm.attach(ports);
    ports.write(kSmiCmdPort, 1, kAcpiEnable);
    EXPECT_EQ(in16(kPm1aCntPort) & kSciEn, kSciEn);
    ports.write(kSmiCmdPort, 1, 0x42);  // other values: no change
    EXPECT_EQ(in16(kPm1aCntPort) & kSciEn, kSciEn);
    ports.write(kSmiCmdPort, 1, kAcpiDisable);
    EXPECT_EQ(in16(kPm1aCntPort) & kSciEn, 0);
    ports.write(kApmStatusPort, 1, 0x5A);
    EXPECT_EQ(ports.read(kApmStatusPort, 1), 0x5Au);
    EXPECT_EQ(ports.read(kSmiCmdPort, 1), kAcpiDisable);
    EXPECT_EQ(apm.commands, 3u);
}

TEST_F(AcpiPmTest, GpeBlockAndMiscRegisters) {
    out16(kGpe0Port + 2, 0x0101);
    EXPECT_EQ(in16(kGpe0Port + 2), 0x0101);
    EXPECT_EQ(in16(kGpe0Port), 0);
    ports.write(kBase + 0x10, 4, 0x12345678);  // PCNTRL: stored
    EXPECT_EQ(ports.read(kBase + 0x10, 4), 0x12345678u);
    ports.write(kBase + 0x14, 1, 0xFF);  // P_LVL2: reads 0
    EXPECT_EQ(ports.read(kBase + 0x14, 1), 0u);
    EXPECT_EQ(ports.read(kBase + 0x06, 2), 0u);  // reserved
    EXPECT_EQ(ports.read(kBase + 0x3F, 2), 0xFF00u);  // the second byte is outside the block
}

TEST_F(AcpiPmTest, ResetClearsRegistersAndDecode) {
    out16(kPm1aCntPort, kSciEn);
    out16(kPm1aEvtPort + 2, kPwrBtnSts);
    pm.pressPowerButton();
    EXPECT_TRUE(pm.sci.level());
    pci.reset();
    EXPECT_FALSE(pm.sci.level());
    EXPECT_FALSE(pm.ioBase().has_value());
    EXPECT_EQ(ports.deviceAt(kBase), nullptr);
    EXPECT_EQ(pm.pm1Control(), 0);
    EXPECT_EQ(pm.pm1Enable(), 0);
}

TEST_F(AcpiPmTest, RandomTrafficIsHarmless) {
    // Deterministic pseudo-random accesses to the PM block, the config registers and the
    // clock; passing means no crash, no sanitizer report and no hang.
    std::mt19937 rng(777);
    for (int i = 0; i < 100000; ++i) {
        unsigned size = 1u << (rng() % 3);
        uint32_t value = static_cast<uint32_t>(rng());
        switch (rng() % 4) {
            case 0: ports.write(static_cast<uint16_t>(kBase + rng() % 0x44), size, value); break;
            case 1: ports.read(static_cast<uint16_t>(kBase + rng() % 0x44), size); break;
            case 2:
                if (rng() % 16 == 0) pci.configWrite(1, 3, static_cast<uint8_t>(rng()), size, value);
                else pci.configWrite(1, 3, kPmMiscConfigReg, 1, kPmIoEnable);
                break;
            default: advanceTo(insns + rng() % 100000000); break;
        }
    }
    SUCCEED() << powerOffs << " power-offs";
}

TEST(AcpiPmNoTimerQueueTest, StatusStillComputedOnRead) {
    uint64_t insns = 0;
    Clock clock(ClockMode::Virtual, &insns);
    PortBus ports;
    Piix4Pm pm(ports, clock, nullptr);
    pm.configWrite(0x40, 4, 0x600);
    pm.configWrite(0x80, 1, 1);
    ports.write(0x602, 2, kTmrSts);
    insns = 3000000000ull;
    EXPECT_EQ(ports.read(0x600, 2) & kTmrSts, kTmrSts);
}

}  // namespace
}  // namespace pvx
