// 8259A pair: behaviour from the Intel 8259A datasheet, driven through the port bus.
#include <gtest/gtest.h>

#include <random>

#include "common/port_bus.h"
#include "devices/pic/pic8259_pair.h"

namespace pvx {
namespace {

class PicTest : public ::testing::Test {
protected:
    void SetUp() override {
        pic.attach(bus);
        pic.onIntrChanged = [this] { ++intrChanges; };
    }
    void out(uint16_t port, uint8_t v) { bus.write(port, 1, v); }
    uint8_t in(uint16_t port) { return static_cast<uint8_t>(bus.read(port, 1)); }

    // The PC/AT sequence: edge, cascade, ICW4 (8086 mode), slave on IR2, slave id 2.
    void init(uint8_t icw4 = 0x01) {
        out(0x20, 0x11);
        out(0x21, 0x08);
        out(0x21, 0x04);
        out(0x21, icw4);
        out(0xA0, 0x11);
        out(0xA1, 0x70);
        out(0xA1, 0x02);
        out(0xA1, icw4);
        out(0x21, 0x00);
        out(0xA1, 0x00);
    }
    uint8_t masterIsr() {
        out(0x20, 0x0B);
        uint8_t v = in(0x20);
        out(0x20, 0x0A);
        return v;
    }
    uint8_t slaveIsr() {
        out(0xA0, 0x0B);
        uint8_t v = in(0xA0);
        out(0xA0, 0x0A);
        return v;
    }

    PortBus bus;
    Pic8259Pair pic;
    int intrChanges = 0;
};

TEST_F(PicTest, PowerOnStateIsMaskedAndSilent) {
    EXPECT_EQ(in(0x21), 0xFF);
    EXPECT_EQ(in(0xA1), 0xFF);
    pic.irq(3).raise();
    EXPECT_FALSE(pic.pending());
    // Unmasking without an ICW sequence still delivers nothing: no vector base was chosen.
    out(0x21, 0x00);
    pic.irq(4).raise();
    EXPECT_FALSE(pic.pending());
}

TEST_F(PicTest, Irq3AcknowledgeSetsIsrAndEoiClears) {
    init();
    EXPECT_EQ(in(0x21), 0x00);  // ICW1 cleared IMR, OCW1 wrote 0
    pic.irq(3).raise();
    EXPECT_TRUE(pic.pending());
    EXPECT_EQ(in(0x20), 0x08);  // IRR (default read after ICW1)
    EXPECT_EQ(pic.acknowledge(), 0x0B);
    EXPECT_EQ(masterIsr(), 0x08);
    EXPECT_EQ(in(0x20), 0x00);  // edge latch consumed by INTA
    EXPECT_FALSE(pic.pending());
    out(0x20, 0x20);  // non-specific EOI
    EXPECT_EQ(masterIsr(), 0x00);
    EXPECT_FALSE(pic.pending());
    EXPECT_EQ(pic.interruptsAcknowledged, 1u);
    EXPECT_EQ(pic.spuriousInterrupts, 0u);
}

TEST_F(PicTest, SlaveIrq10Cascades) {
    init();
    pic.irq(10).raise();
    EXPECT_TRUE(pic.pending());
    EXPECT_EQ(pic.acknowledge(), 0x72);
    EXPECT_EQ(masterIsr(), 0x04);
    EXPECT_EQ(slaveIsr(), 0x04);
    out(0xA0, 0x20);
    out(0x20, 0x20);
    EXPECT_EQ(masterIsr(), 0x00);
    EXPECT_EQ(slaveIsr(), 0x00);
    EXPECT_FALSE(pic.pending());
}

TEST_F(PicTest, SecondSlaveRequestDeliveredAfterEois) {
    init();
    pic.irq(12).raise();
    pic.irq(9).raise();
    EXPECT_EQ(pic.acknowledge(), 0x71);  // IRQ9 out-ranks IRQ12
    EXPECT_FALSE(pic.pending());         // IRQ12 waits behind IR2 and IRQ9 in service
    out(0xA0, 0x20);
    EXPECT_FALSE(pic.pending());         // master IR2 still in service (fully nested)
    out(0x20, 0x20);
    EXPECT_TRUE(pic.pending());
    EXPECT_EQ(pic.acknowledge(), 0x74);
}

TEST_F(PicTest, MaskedIrqIsNotPending) {
    init();
    out(0x21, 0x08);
    pic.irq(3).raise();
    EXPECT_FALSE(pic.pending());
    EXPECT_EQ(in(0x20), 0x08);  // the request is still in IRR
    out(0x21, 0x00);
    EXPECT_TRUE(pic.pending());
    EXPECT_EQ(pic.acknowledge(), 0x0B);
}

TEST_F(PicTest, MaskedSlaveIrq) {
    init();
    out(0xA1, 0x10);  // mask IRQ12
    pic.irq(12).raise();
    EXPECT_FALSE(pic.pending());
    out(0x21, 0x04);  // mask the cascade instead
    out(0xA1, 0x00);
    EXPECT_FALSE(pic.pending());
    out(0x21, 0x00);
    EXPECT_TRUE(pic.pending());
    EXPECT_EQ(pic.acknowledge(), 0x74);
}

TEST_F(PicTest, LevelTriggeredReassertsAfterEoi) {
    init();
    out(0x4D0, 0x08);  // ELCR: IRQ3 level
    EXPECT_EQ(in(0x4D0), 0x08);
    pic.irq(3).raise();
    EXPECT_EQ(pic.acknowledge(), 0x0B);
    EXPECT_FALSE(pic.pending());  // in service
    out(0x20, 0x63);              // specific EOI for IR3
    EXPECT_TRUE(pic.pending());   // the device still holds the line
    EXPECT_EQ(pic.acknowledge(), 0x0B);
    pic.irq(3).lower();
    out(0x20, 0x20);
    EXPECT_FALSE(pic.pending());
}

TEST_F(PicTest, EdgeTriggeredDoesNotReassertWhileHeld) {
    init();
    pic.irq(3).raise();
    EXPECT_EQ(pic.acknowledge(), 0x0B);
    out(0x20, 0x20);
    EXPECT_FALSE(pic.pending());  // no new rising edge
    pic.irq(3).lower();
    pic.irq(3).raise();
    EXPECT_TRUE(pic.pending());
}

TEST_F(PicTest, PulseIsLatched) {
    init();
    pic.irq(5).pulse();
    EXPECT_TRUE(pic.pending());
    EXPECT_EQ(pic.acknowledge(), 0x0D);
}

TEST_F(PicTest, LtimMakesWholeChipLevelSensitive) {
    out(0x20, 0x19);  // ICW1 with LTIM
    out(0x21, 0x20);
    out(0x21, 0x04);
    out(0x21, 0x01);
    out(0x21, 0x00);
    pic.irq(6).raise();
    EXPECT_EQ(pic.acknowledge(), 0x26);
    out(0x20, 0x20);
    EXPECT_TRUE(pic.pending());
}

TEST_F(PicTest, SpuriousIrq7WhenLevelRequestVanishes) {
    init();
    out(0x4D0, 0x08);
    pic.irq(3).raise();
    EXPECT_TRUE(pic.pending());
    pic.irq(3).lower();  // gone before INTA
    EXPECT_EQ(pic.acknowledge(), 0x0F);
    EXPECT_EQ(masterIsr(), 0x00);  // a spurious IR7 sets no ISR bit
    EXPECT_EQ(pic.spuriousInterrupts, 1u);
}

TEST_F(PicTest, SpuriousIrq15KeepsMasterIr2InService) {
    init();
    pic.irq(10).raise();  // slave INT rises: master IR2 latched
    out(0xA1, 0x04);      // the driver masks IRQ10 on the slave before INTA
    EXPECT_TRUE(pic.pending());
    EXPECT_EQ(pic.acknowledge(), 0x77);
    EXPECT_EQ(slaveIsr(), 0x00);
    EXPECT_EQ(masterIsr(), 0x04);  // why OSes EOI the master for a spurious IRQ15
    EXPECT_EQ(pic.spuriousInterrupts, 1u);
}

TEST_F(PicTest, FixedPriorityAndNesting) {
    init();
    pic.irq(5).raise();
    pic.irq(3).raise();
    EXPECT_EQ(pic.acknowledge(), 0x0B);
    EXPECT_FALSE(pic.pending());  // IRQ5 is lower than IRQ3 in service
    pic.irq(1).raise();
    EXPECT_TRUE(pic.pending());   // IRQ1 out-ranks it and nests
    EXPECT_EQ(pic.acknowledge(), 0x09);
    EXPECT_EQ(masterIsr(), 0x0A);
    out(0x20, 0x20);  // ends IRQ1, the highest in service
    EXPECT_EQ(masterIsr(), 0x08);
    out(0x20, 0x20);
    EXPECT_EQ(pic.acknowledge(), 0x0D);
}

TEST_F(PicTest, AutoEoiSetsNoIsr) {
    init(0x03);
    pic.irq(4).raise();
    EXPECT_EQ(pic.acknowledge(), 0x0C);
    EXPECT_EQ(masterIsr(), 0x00);
    pic.irq(6).raise();
    EXPECT_TRUE(pic.pending());  // nothing in service blocks it
}

TEST_F(PicTest, SetPriorityRotates) {
    init();
    out(0x20, 0xC4);  // set priority: IR4 lowest, so IR5 highest
    pic.irq(3).raise();
    pic.irq(6).raise();
    EXPECT_EQ(pic.acknowledge(), 0x0E);
    out(0x20, 0x20);
    EXPECT_EQ(pic.acknowledge(), 0x0B);
}

TEST_F(PicTest, RotateOnNonSpecificEoi) {
    init();
    pic.irq(0).raise();
    EXPECT_EQ(pic.acknowledge(), 0x08);
    out(0x20, 0xA0);  // rotate on non-specific EOI: IR0 becomes lowest
    EXPECT_EQ(pic.master().lowestPriority(), 0u);
    pic.irq(0).lower();
    pic.irq(0).raise();
    pic.irq(7).raise();
    EXPECT_EQ(pic.acknowledge(), 0x0F);  // IR7 now out-ranks IR0
}

TEST_F(PicTest, RotateInAutoEoiMode) {
    init(0x03);
    out(0x20, 0x80);  // set rotate in AEOI
    pic.irq(2 + 1).raise();
    EXPECT_EQ(pic.acknowledge(), 0x0B);
    EXPECT_EQ(pic.master().lowestPriority(), 3u);
}

TEST_F(PicTest, PollCommandActsAsInta) {
    init();
    out(0x20, 0x0C);  // OCW3 poll
    EXPECT_EQ(in(0x20), 0x00);  // nothing pending
    pic.irq(3).raise();
    out(0x20, 0x0C);
    EXPECT_EQ(in(0x20), 0x83);
    EXPECT_EQ(masterIsr(), 0x08);
    EXPECT_FALSE(pic.pending());
}

TEST_F(PicTest, SpecialMaskModeEnablesLowerLevels) {
    init();
    pic.irq(3).raise();
    EXPECT_EQ(pic.acknowledge(), 0x0B);
    pic.irq(5).raise();
    EXPECT_FALSE(pic.pending());
    out(0x21, 0x08);  // mask the level in service
    out(0x20, 0x68);  // OCW3: set special mask mode
    EXPECT_TRUE(pic.pending());
    EXPECT_EQ(pic.acknowledge(), 0x0D);
    out(0x20, 0x48);  // reset special mask mode
    EXPECT_TRUE(pic.master().isr() & 0x08);
}

TEST_F(PicTest, SpecialFullyNestedLetsSlaveNest) {
    init();
    out(0x20, 0x11);  // re-init the master with SFNM
    out(0x21, 0x08);
    out(0x21, 0x04);
    out(0x21, 0x11);
    out(0x21, 0x00);
    pic.irq(12).raise();
    EXPECT_EQ(pic.acknowledge(), 0x74);
    pic.irq(9).raise();
    EXPECT_TRUE(pic.pending());  // IR2 in service does not block the slave's higher request
    EXPECT_EQ(pic.acknowledge(), 0x71);
}

TEST_F(PicTest, Icw1ResetsEdgeSense) {
    pic.irq(4).raise();  // line high before initialisation
    init();
    EXPECT_FALSE(pic.pending());  // a new low-to-high transition is needed
    pic.irq(4).lower();
    pic.irq(4).raise();
    EXPECT_TRUE(pic.pending());
}

TEST_F(PicTest, ElcrReservedBitsReadZero) {
    out(0x4D0, 0xFF);
    out(0x4D1, 0xFF);
    EXPECT_EQ(in(0x4D0), 0xF8);
    EXPECT_EQ(in(0x4D1), 0xDE);
    EXPECT_EQ(bus.read(0x4D0, 2), 0xDEF8u);
}

TEST_F(PicTest, IntrChangeCallback) {
    init();
    const int before = intrChanges;
    pic.irq(3).raise();
    EXPECT_EQ(intrChanges, before + 1);
    pic.acknowledge();
    EXPECT_EQ(intrChanges, before + 2);
}

TEST_F(PicTest, ResetReturnsToPowerOn) {
    init();
    pic.irq(3).raise();
    pic.reset();
    EXPECT_FALSE(pic.pending());
    EXPECT_EQ(in(0x21), 0xFF);
}

TEST_F(PicTest, HostileSequencesNeverCrash) {
    std::mt19937 rng(1234);
    const uint16_t ports[] = {0x20, 0x21, 0xA0, 0xA1, 0x4D0, 0x4D1};
    for (int i = 0; i < 200000; ++i) {
        const unsigned op = rng() % 5;
        if (op == 0) out(ports[rng() % 6], static_cast<uint8_t>(rng()));
        else if (op == 1) in(ports[rng() % 6]);
        else if (op == 2) pic.irq(rng() % 16).set(rng() & 1);
        else if (op == 3 && pic.pending()) pic.acknowledge();
        else pic.acknowledge();
    }
    SUCCEED();
}

}  // namespace
}  // namespace pvx
