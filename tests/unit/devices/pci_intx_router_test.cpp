// PCI INTx# routing: slot swizzle to PIRQ, PIIX3 route registers to ISA IRQs, shared lines
// OR-ed, re-routing on a route register write, Interrupt Disable and Interrupt Status.
#include <gtest/gtest.h>

#include <array>

#include "devices/pci/pci_bus.h"
#include "devices/pci/pci_intx_router.h"
#include "devices/pci/piix3_isa_bridge.h"

namespace pvx {
namespace {

class IntxFunction final : public PciFunction {
public:
    explicit IntxFunction(uint8_t pin) : PciFunction(Identity{0x1234, 0x0001, 0, 0xFF0000, 0, pin}, "intx") {}
    using PciFunction::addCapability;
    using PciFunction::setIntxRequest;
};

class PciIntxTest : public ::testing::Test {
protected:
    PciBus pci;
    Piix3IsaBridge isa;
    std::array<bool, 16> irq{};
    std::array<int, 16> edges{};
    PciIntxRouter router{[this](unsigned p) { return isa.pirqRoute(p); },
                         [this](unsigned n, bool level) {
                             irq[n] = level;
                             ++edges[n];
                         }};
    IntxFunction a{1}, b{1}, c{2};

    void SetUp() override {
        pci.addFunction(1, 0, isa);
        isa.setRoutingCallback([this] { router.reroute(); });
        pci.addFunction(3, 0, a);
        pci.addFunction(4, 0, b);
        pci.addFunction(5, 0, c);
        router.connect(3, a);
        router.connect(4, b);
        router.connect(5, c);
        // The firmware's routing: PIRQA/B -> 10, PIRQC/D -> 11.
        pci.configWrite(1, 0, 0x60, 4, 0x0B0B0A0A);
    }
};

TEST_F(PciIntxTest, SwizzleMatchesTheFirmwareTable) {
    // PIRQ[(pin - 1 + slot - 1) mod 4]
    EXPECT_EQ(PciIntxRouter::pirqFor(3, 1), 2);  // slot 3 INTA# -> PIRQC
    EXPECT_EQ(PciIntxRouter::pirqFor(4, 1), 3);
    EXPECT_EQ(PciIntxRouter::pirqFor(5, 1), 0);
    EXPECT_EQ(PciIntxRouter::pirqFor(5, 2), 1);
    EXPECT_EQ(PciIntxRouter::pirqFor(1, 1), 0);
    EXPECT_EQ(PciIntxRouter::pirqFor(0, 1), 3);
    EXPECT_EQ(PciIntxRouter::pirqFor(3, 0), -1);
}

TEST_F(PciIntxTest, SharedLevelTriggeredLine) {
    a.setIntxRequest(true);  // PIRQC -> 11
    EXPECT_TRUE(irq[11]);
    b.setIntxRequest(true);  // PIRQD -> 11 too
    a.setIntxRequest(false);
    EXPECT_TRUE(irq[11]);    // b still holds it
    EXPECT_EQ(edges[11], 1);
    b.setIntxRequest(false);
    EXPECT_FALSE(irq[11]);
    c.setIntxRequest(true);  // slot 5 INTB# -> PIRQB -> 10
    EXPECT_TRUE(irq[10]);
    EXPECT_FALSE(irq[11]);
}

TEST_F(PciIntxTest, RerouteMovesAnAssertedLine) {
    a.setIntxRequest(true);
    ASSERT_TRUE(irq[11]);
    pci.configWrite(1, 0, 0x62, 1, 0x05);  // PIRQC -> IRQ 5
    EXPECT_FALSE(irq[11]);
    EXPECT_TRUE(irq[5]);
    pci.configWrite(1, 0, 0x62, 1, 0x80);  // disabled
    EXPECT_FALSE(irq[5]);
    pci.configWrite(1, 0, 0x62, 1, 0x02);  // a reserved IRQ: not routed
    EXPECT_FALSE(irq[2]);
}

TEST_F(PciIntxTest, InterruptDisableGatesThePinNotTheStatus) {
    pci.configWrite(3, 0, 0x04, 2, PciFunction::kCmdIntxDisable);
    a.setIntxRequest(true);
    EXPECT_FALSE(irq[11]);
    EXPECT_TRUE(pci.configRead(3, 0, 0x06, 2) & PciFunction::kStatusInterrupt);
    pci.configWrite(3, 0, 0x04, 2, 0);
    EXPECT_TRUE(irq[11]);
    a.setIntxRequest(false);
    EXPECT_FALSE(pci.configRead(3, 0, 0x06, 2) & PciFunction::kStatusInterrupt);
    EXPECT_FALSE(irq[11]);
}

TEST_F(PciIntxTest, ResetDeassertsIntx) {
    a.setIntxRequest(true);
    pci.reset();
    EXPECT_FALSE(irq[11]);
}

TEST_F(PciIntxTest, CapabilityListIsLinked) {
    IntxFunction f{0};
    EXPECT_FALSE(f.configRead(0x06, 2) & PciFunction::kStatusCapList);
    const uint8_t body1[] = {1, 2, 3};
    const uint8_t body2[] = {9, 9, 9, 9, 9, 9};
    const uint8_t c1 = f.addCapability(0x05, body1);
    const uint8_t c2 = f.addCapability(0x09, body2);
    EXPECT_EQ(c1, 0x40);
    EXPECT_EQ(c2, 0x48);  // 0x40 + 5 bytes, DWORD aligned
    EXPECT_TRUE(f.configRead(0x06, 2) & PciFunction::kStatusCapList);
    EXPECT_EQ(f.configRead(0x34, 1), 0x40u);
    EXPECT_EQ(f.configRead(0x40, 4), 0x02014805u);  // id 5, next 0x48, body 1, 2
    EXPECT_EQ(f.configRead(0x48, 2), 0x0009u);      // id 9, end of list
}

}  // namespace
}  // namespace pvx
