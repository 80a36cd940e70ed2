// PCI configuration mechanism #1, the generic config-space rules, the i440FX host bridge and
// the PIIX3 ISA bridge.
#include <gtest/gtest.h>

#include "common/port_bus.h"
#include "devices/pci/i440fx_host_bridge.h"
#include "devices/pci/pci_bus.h"
#include "devices/pci/piix3_isa_bridge.h"

namespace pvx {
namespace {

uint32_t cfgAddr(unsigned dev, unsigned fn, unsigned reg) {
    return 0x80000000u | dev << 11 | fn << 8 | (reg & 0xFC);
}

// A function with one I/O BAR and one memory BAR that records barChanged calls.
class TestFunction final : public PciFunction {
public:
    TestFunction() : PciFunction(Identity{0x1234, 0x5678, 0x01, 0xFF0000, 0x00, 0x01}, "test") {
        defineBar(0, BarKind::Io, 32);
        defineBar(1, BarKind::Mem32, 4096, true);
        setWriteMask8(0x40, 0xF0);  // a device register with a read-only low nibble
        setConfig8(0x40, 0x05);
        setConfig16(kStatus, 0x0280 | 0x8000 | 0x2000);  // parity error + master abort pending
    }
    int changes = 0;
    int lastBar = -1;
    std::optional<uint32_t> lastOld, lastNew;

protected:
    void barChanged(int index, std::optional<uint32_t> oldBase, std::optional<uint32_t> newBase) override {
        ++changes;
        lastBar = index;
        lastOld = oldBase;
        lastNew = newBase;
    }
};

class PciBusTest : public ::testing::Test {
protected:
    void SetUp() override {
        pci.attach(ports);
        pci.addFunction(0, 0, host);
        pci.addFunction(1, 0, isa);
        pci.addFunction(3, 0, fn);
    }
    uint32_t read(unsigned dev, unsigned fnum, unsigned reg, unsigned size) {
        ports.write(0xCF8, 4, cfgAddr(dev, fnum, reg));
        return ports.read(static_cast<uint16_t>(0xCFC + (reg & 3)), size);
    }
    void write(unsigned dev, unsigned fnum, unsigned reg, unsigned size, uint32_t v) {
        ports.write(0xCF8, 4, cfgAddr(dev, fnum, reg));
        ports.write(static_cast<uint16_t>(0xCFC + (reg & 3)), size, v);
    }

    PortBus ports;
    PciBus pci;
    I440fxHostBridge host;
    Piix3IsaBridge isa;
    TestFunction fn;
};

TEST_F(PciBusTest, ReadsHostBridgeIdentityThroughPorts) {
    EXPECT_EQ(read(0, 0, 0x00, 4), 0x12378086u);
    EXPECT_EQ(read(0, 0, 0x08, 4), 0x06000002u);  // class 06 00 00, revision 02
    EXPECT_EQ(read(0, 0, 0x0E, 1), 0x00u);
    EXPECT_EQ(read(1, 0, 0x00, 4), 0x70008086u);
    EXPECT_EQ(read(1, 0, 0x0E, 1), 0x80u);  // multi-function
    EXPECT_EQ(read(1, 0, 0x0A, 2), 0x0601u);
}

TEST_F(PciBusTest, PartialWidthAndUnalignedDataAccess) {
    ports.write(0xCF8, 4, cfgAddr(0, 0, 0x00));
    EXPECT_EQ(ports.read(0xCFC, 2), 0x8086u);
    EXPECT_EQ(ports.read(0xCFE, 2), 0x1237u);
    EXPECT_EQ(ports.read(0xCFD, 1), 0x80u);
    EXPECT_EQ(ports.read(0xCFD, 2), 0x3780u);  // bytes 1-2 of the dword
    EXPECT_EQ(ports.read(0xCFF, 1), 0x12u);
    // A word at 0xCFF would reach into the next dword: only byte 3 exists, the rest floats.
    EXPECT_EQ(ports.read(0xCFF, 2), 0xFF12u);

    // Unaligned word write into the middle of a dword (IDETIM-like scratch at 0x40 of fn).
    ports.write(0xCF8, 4, cfgAddr(3, 0, 0x3C));
    ports.write(0xCFC, 1, 0x0B);  // interrupt line
    EXPECT_EQ(read(3, 0, 0x3C, 4), 0x0000010Bu);  // pin 1 read-only, line written
    ports.write(0xCF8, 4, cfgAddr(0, 0, 0x58));
    ports.write(0xCFD, 2, 0x3311);  // PAM0 (0x59) and PAM1 (0x5A)
    EXPECT_EQ(host.pam(0), 0x10);   // PAM0 low nibble is reserved
    EXPECT_EQ(host.pam(1), 0x33);
    EXPECT_EQ(read(0, 0, 0x58, 4), 0x00331000u);
}

TEST_F(PciBusTest, AbsentFunctionsReadAllOnes) {
    EXPECT_EQ(read(2, 0, 0x00, 4), 0xFFFFFFFFu);
    EXPECT_EQ(read(2, 0, 0x02, 2), 0xFFFFu);
    EXPECT_EQ(read(0, 5, 0x00, 1), 0xFFu);
    EXPECT_EQ(read(31, 7, 0xFC, 4), 0xFFFFFFFFu);
    // Another bus number: nothing behind bus 0.
    ports.write(0xCF8, 4, 0x80010000u);
    EXPECT_EQ(ports.read(0xCFC, 4), 0xFFFFFFFFu);
    write(2, 0, 0x04, 2, 0x0007);  // ignored, no crash
    EXPECT_GE(pci.masterAborts, 6u);
}

TEST_F(PciBusTest, EnableBitAndAddressRegisterRules) {
    // Translation disabled: data port reads float.
    ports.write(0xCF8, 4, 0x00000000u);
    EXPECT_EQ(ports.read(0xCFC, 4), 0xFFFFFFFFu);
    // Reserved bits 30:24 and 1:0 read 0.
    ports.write(0xCF8, 4, 0xFF00F8FFu);
    EXPECT_EQ(ports.read(0xCF8, 4), 0x8000F8FCu);
    // Only dword accesses touch CONFIG_ADDRESS.
    ports.write(0xCF8, 1, 0x00);
    ports.write(0xCF8, 2, 0x0000);
    EXPECT_EQ(ports.read(0xCF8, 4), 0x8000F8FCu);
    EXPECT_EQ(ports.read(0xCF8, 2), 0xFFFFu);
    EXPECT_EQ(ports.read(0xCFA, 1), 0xFFu);
}

TEST_F(PciBusTest, ReadOnlyFieldsStayReadOnly) {
    write(3, 0, 0x00, 4, 0xFFFFFFFF);
    EXPECT_EQ(read(3, 0, 0x00, 4), 0x56781234u);
    write(3, 0, 0x08, 4, 0x00000000);
    EXPECT_EQ(read(3, 0, 0x08, 4), 0xFF000001u);
    write(3, 0, 0x0E, 1, 0x80);
    EXPECT_EQ(read(3, 0, 0x0E, 1), 0x00u);
    write(3, 0, 0x3D, 1, 0x04);
    EXPECT_EQ(read(3, 0, 0x3D, 1), 0x01u);
    // Device register with a read-only low nibble.
    write(3, 0, 0x40, 1, 0xAA);
    EXPECT_EQ(read(3, 0, 0x40, 1), 0xA5u);
    // Unimplemented registers read 0 and ignore writes.
    write(3, 0, 0x80, 4, 0x12345678);
    EXPECT_EQ(read(3, 0, 0x80, 4), 0u);
}

TEST_F(PciBusTest, StatusErrorBitsAreWriteOneToClear) {
    EXPECT_EQ(read(3, 0, 0x06, 2), 0xA280u);
    write(3, 0, 0x06, 2, 0x2000);  // clear master abort only; other bits are not set by 1s
    EXPECT_EQ(read(3, 0, 0x06, 2), 0x8280u);
    write(3, 0, 0x06, 2, 0xFFFF);
    EXPECT_EQ(read(3, 0, 0x06, 2), 0x0280u);
}

TEST_F(PciBusTest, BarSizeProbingAndDecode) {
    EXPECT_EQ(read(3, 0, 0x10, 4), 0x00000001u);  // I/O BAR
    EXPECT_EQ(read(3, 0, 0x14, 4), 0x00000008u);  // prefetchable memory BAR
    write(3, 0, 0x10, 4, 0xFFFFFFFF);
    EXPECT_EQ(read(3, 0, 0x10, 4), 0xFFFFFFE1u);  // 32 bytes; all 32 bits writable, as SeaBIOS sizes it
    write(3, 0, 0x14, 4, 0xFFFFFFFF);
    EXPECT_EQ(read(3, 0, 0x14, 4), 0xFFFFF008u);  // 4 KiB
    EXPECT_EQ(fn.changes, 0);  // decode disabled while probing

    write(3, 0, 0x10, 4, 0xC020);
    write(3, 0, 0x14, 4, 0xFEB00000);
    EXPECT_EQ(read(3, 0, 0x10, 4), 0x0000C021u);
    EXPECT_FALSE(fn.barAddress(0).has_value());
    write(3, 0, 0x04, 2, PciFunction::kCmdIoSpace);
    EXPECT_EQ(fn.changes, 1);
    EXPECT_EQ(fn.lastBar, 0);
    EXPECT_EQ(fn.lastNew, std::optional<uint32_t>(0xC020));
    EXPECT_FALSE(fn.barAddress(1).has_value());
    write(3, 0, 0x04, 2, PciFunction::kCmdIoSpace | PciFunction::kCmdMemSpace);
    EXPECT_EQ(fn.changes, 2);
    EXPECT_EQ(fn.barAddress(1), std::optional<uint32_t>(0xFEB00000));
    // Moving the I/O BAR while decoded: one change, old and new reported.
    write(3, 0, 0x10, 4, 0xD000);
    EXPECT_EQ(fn.changes, 3);
    EXPECT_EQ(fn.lastOld, std::optional<uint32_t>(0xC020));
    EXPECT_EQ(fn.lastNew, std::optional<uint32_t>(0xD000));
    // Decode off: both BARs go away.
    write(3, 0, 0x04, 2, 0);
    EXPECT_FALSE(fn.barAddress(0).has_value());
    EXPECT_FALSE(fn.barAddress(1).has_value());
    EXPECT_EQ(fn.changes, 5);
}

TEST_F(PciBusTest, IoBarAbove64KiBDecodesNothing) {
    write(3, 0, 0x04, 2, PciFunction::kCmdIoSpace);
    write(3, 0, 0x10, 4, 0x1C020);  // x86 I/O space has 16 address bits
    EXPECT_EQ(read(3, 0, 0x10, 4), 0x0001C021u);
    EXPECT_FALSE(fn.barAddress(0).has_value());
    write(3, 0, 0x10, 4, 0xFFE0);   // the last 32 ports: still inside
    EXPECT_EQ(fn.barAddress(0), std::optional<uint32_t>(0xFFE0));
}

TEST_F(PciBusTest, ResetRestoresPowerOnConfiguration) {
    write(3, 0, 0x10, 4, 0xC020);
    write(3, 0, 0x04, 2, 0x0001);
    write(3, 0, 0x3C, 1, 0x0A);
    write(0, 0, 0x5A, 1, 0x33);
    ports.write(0xCF8, 4, cfgAddr(3, 0, 0));
    pci.reset();
    EXPECT_EQ(pci.configAddress(), 0u);
    EXPECT_EQ(read(3, 0, 0x10, 4), 0x00000001u);
    EXPECT_EQ(read(3, 0, 0x04, 2), 0x0000u);
    EXPECT_EQ(read(3, 0, 0x3C, 1), 0x00u);
    EXPECT_FALSE(fn.barAddress(0).has_value());
    EXPECT_EQ(host.pam(1), 0x00);
}

TEST_F(PciBusTest, DirectConfigAccessMatchesPortPath) {
    EXPECT_EQ(pci.configRead(0, 0, 0x02, 2), 0x1237u);
    EXPECT_EQ(pci.configRead(9, 0, 0x00, 4), 0xFFFFFFFFu);
    pci.configWrite(1, 0, 0x60, 1, 0x0B);
    EXPECT_EQ(isa.pirqRoute(0), 11);
}

TEST(PciHostBridgeTest, PamRegistersAndShadowAccess) {
    I440fxHostBridge host;
    int calls = 0;
    host.setMemoryMapCallback([&] { ++calls; });
    EXPECT_EQ(host.configRead(0x04, 2), 0x0006u);
    host.configWrite(0x04, 2, 0x0000);  // memory/bus master are hardwired
    EXPECT_EQ(host.configRead(0x04, 2), 0x0006u);

    EXPECT_FALSE(host.shadowAccess(0xF0000).readRam);
    host.configWrite(0x59, 1, 0x30);  // BIOS area read+write to RAM
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(host.shadowAccess(0xF0000).readRam);
    EXPECT_TRUE(host.shadowAccess(0xFFFFF).writeRam);
    host.configWrite(0x5A, 1, 0x21);  // C0000: read only; C4000: write only
    EXPECT_EQ(calls, 2);
    EXPECT_TRUE(host.shadowAccess(0xC0000).readRam);
    EXPECT_FALSE(host.shadowAccess(0xC3FFF).writeRam);
    EXPECT_FALSE(host.shadowAccess(0xC4000).readRam);
    EXPECT_TRUE(host.shadowAccess(0xC4000).writeRam);
    host.configWrite(0x5F, 1, 0x10);  // PAM6 high nibble: 0xEC000
    EXPECT_TRUE(host.shadowAccess(0xEC000).readRam);
    EXPECT_FALSE(host.shadowAccess(0xE8000).readRam);
    EXPECT_FALSE(host.shadowAccess(0xBFFFF).readRam);
    host.configWrite(0x5F, 1, 0x10);  // same value: no callback
    EXPECT_EQ(calls, 3);
    host.configWrite(0x5B, 1, 0xFF);  // reserved bit 3 of each nibble stays 0
    EXPECT_EQ(host.pam(2), 0x77);
}

TEST(PciHostBridgeTest, SmramLockMakesRegisterReadOnly) {
    I440fxHostBridge host;
    EXPECT_EQ(host.smram(), 0x02);
    host.configWrite(0x72, 1, 0xFF);  // C_BASE_SEG stays 010b, bit 7 reserved
    EXPECT_EQ(host.smram(), 0x3A);  // D_LCK set in the same write clears D_OPEN
    host.configWrite(0x72, 1, 0x00);
    EXPECT_EQ(host.smram(), 0x3A);  // locked until reset
}

TEST(PciHostBridgeTest, ResetUnlocksSmram) {
    PciBus pci;
    I440fxHostBridge host;
    pci.addFunction(0, 0, host);
    host.configWrite(0x72, 1, 0x18);
    EXPECT_EQ(host.smram(), 0x1A);
    pci.reset();
    EXPECT_EQ(host.smram(), 0x02);
    host.configWrite(0x72, 1, 0x48);
    EXPECT_EQ(host.smram(), 0x4A);
}

TEST(PciHostBridgeTest, SmramOpenWithoutLock) {
    I440fxHostBridge host;
    host.configWrite(0x72, 1, 0x4A);  // D_OPEN + G_SMRAME
    EXPECT_EQ(host.smram(), 0x4A);
    host.configWrite(0x72, 1, 0x0A);
    EXPECT_EQ(host.smram(), 0x0A);
}

TEST(PciIsaBridgeTest, PirqRouting) {
    Piix3IsaBridge isa;
    int calls = 0;
    isa.setRoutingCallback([&] { ++calls; });
    for (unsigned n = 0; n < 4; ++n) EXPECT_EQ(isa.pirqRoute(n), 0x80);
    isa.configWrite(0x60, 4, 0x0A0B0B80);  // A disabled, B=11, C=11, D=10
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(isa.pirqRoute(0), 0x80);
    EXPECT_EQ(isa.pirqRoute(1), 11);
    EXPECT_EQ(isa.pirqRoute(2), 11);
    EXPECT_EQ(isa.pirqRoute(3), 10);
    isa.configWrite(0x61, 1, 0x7B);  // reserved bits 6:4 do not stick
    EXPECT_EQ(isa.configRead(0x61, 1), 0x0Bu);
    for (uint8_t reserved : {0, 1, 2, 8, 13}) {
        isa.configWrite(0x62, 1, reserved);
        EXPECT_EQ(isa.pirqRoute(2), 0x80) << int(reserved);
    }
    EXPECT_EQ(isa.pirqRoute(7), 0x80);
    isa.configWrite(0x40, 4, 0);  // not a route register: no callback
    EXPECT_EQ(calls, 7);
}

TEST(PciIsaBridgeTest, ResetControlPortAt0xCF9) {
    PortBus ports;
    PciBus pci;
    Piix3IsaBridge isa;
    pci.attach(ports);
    isa.attach(ports);
    pci.addFunction(1, 0, isa);
    std::vector<bool> resets;
    isa.setResetCallback([&](bool hard) { resets.push_back(hard); });
    ports.write(0xCF9, 1, 0x02);
    EXPECT_TRUE(resets.empty());
    EXPECT_EQ(ports.read(0xCF9, 1), 0x02u);
    ports.write(0xCF9, 1, 0x06);
    ASSERT_EQ(resets.size(), 1u);
    EXPECT_TRUE(resets[0]);
    ports.write(0xCF9, 1, 0x04);  // a fresh 0->1 of RCPU: soft reset
    ASSERT_EQ(resets.size(), 2u);
    EXPECT_FALSE(resets[1]);
    // CONFIG_ADDRESS still works next to it.
    ports.write(0xCF8, 4, cfgAddr(1, 0, 0));
    EXPECT_EQ(ports.read(0xCFC, 4), 0x70008086u);
}

}  // namespace
}  // namespace pvx
