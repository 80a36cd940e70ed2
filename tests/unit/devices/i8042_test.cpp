// 8042 keyboard controller, PS/2 keyboard, port 92h, CF9h reset control and the A20 gate.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "common/irq_line.h"
#include "common/port_bus.h"
#include "devices/i8042/i8042.h"
#include "devices/i8042/port92.h"
#include "devices/i8042/scancode_translator.h"

namespace pvx {
namespace {

class I8042Test : public ::testing::Test {
protected:
    void SetUp() override {
        kbc.attach(bus);
        kbc.onA20 = [this](bool on) { a20Calls.push_back(on); };
        kbc.resetRequest = [this] { ++resets; };
    }
    void cmd(uint8_t v) { bus.write(0x64, 1, v); }
    void data(uint8_t v) { bus.write(0x60, 1, v); }
    uint8_t status() { return static_cast<uint8_t>(bus.read(0x64, 1)); }
    uint8_t read() { return static_cast<uint8_t>(bus.read(0x60, 1)); }
    // Everything in the output buffer, in order.
    std::vector<uint8_t> drain() {
        std::vector<uint8_t> v;
        while ((status() & 1) && v.size() < 64) v.push_back(read());
        return v;
    }
    void key(std::initializer_list<uint8_t> make, bool release) {
        std::vector<uint8_t> m(make);
        kbc.keyEvent(m, release);
    }

    PortBus bus;
    IrqLine irq1, irq12;
    I8042 kbc{irq1, irq12};
    std::vector<bool> a20Calls;
    int resets = 0;
};

using Bytes = std::vector<uint8_t>;

TEST_F(I8042Test, PowerOnState) {
    EXPECT_EQ(status(), 0x10);  // empty, not inhibited, SYS clear
    cmd(0x20);
    EXPECT_EQ(status(), 0x19);  // OBF, A2 (last write was a command)
    EXPECT_EQ(read(), 0x61);    // XLAT | aux disabled | keyboard IRQ
    EXPECT_TRUE(kbc.a20());
}

TEST_F(I8042Test, SelfTestAndInterfaceTests) {
    cmd(0xAA);
    EXPECT_EQ(status() & 0x01, 0x01);
    EXPECT_TRUE(irq1.level());  // controller replies raise IRQ1 when enabled
    EXPECT_EQ(read(), 0x55);
    EXPECT_FALSE(irq1.level());
    EXPECT_EQ(status() & 0x04, 0x04);  // system flag set by a passed self test
    cmd(0xAB);
    EXPECT_EQ(read(), 0x00);
    cmd(0xA9);
    EXPECT_EQ(read(), 0x00);
    cmd(0xA4);
    EXPECT_EQ(read(), 0xF1);
}

TEST_F(I8042Test, CommandByteReadWrite) {
    cmd(0x60);
    data(0x47);
    EXPECT_EQ(status() & 0x08, 0x00);  // A2 clear after a data write
    cmd(0x20);
    EXPECT_EQ(read(), 0x47);
    EXPECT_EQ(kbc.commandByte(), 0x47);
    cmd(0xAD);
    EXPECT_EQ(kbc.commandByte(), 0x57);
    cmd(0xAE);
    cmd(0xA8);
    EXPECT_EQ(kbc.commandByte(), 0x47);
    cmd(0xA7);
    EXPECT_EQ(kbc.commandByte(), 0x67);
    cmd(0x7F);  // write controller RAM byte 1Fh
    data(0x99);
    cmd(0x3F);
    EXPECT_EQ(read(), 0x99);
}

TEST_F(I8042Test, A20ThroughTheOutputPort) {
    cmd(0xD0);
    EXPECT_EQ(read() & 0x03, 0x03);  // reset line inactive, A20 on
    cmd(0xD1);
    data(0xDD);  // A20 off
    EXPECT_EQ(a20Calls, (std::vector<bool>{false}));
    EXPECT_FALSE(kbc.a20());
    cmd(0xD0);
    EXPECT_EQ(read(), 0xCD);
    cmd(0xD1);
    data(0xDF);
    EXPECT_EQ(a20Calls, (std::vector<bool>{false, true}));
    cmd(0xDD);  // the direct commands
    cmd(0xDF);
    cmd(0xDF);  // drives the shared A20 line again (port 92h may have changed it meanwhile)
    EXPECT_EQ(a20Calls, (std::vector<bool>{false, true, false, true, true}));
    EXPECT_EQ(resets, 0);
}

TEST_F(I8042Test, ResetPulseAndOutputPortReset) {
    cmd(0xFF);  // pulse nothing
    EXPECT_EQ(resets, 0);
    cmd(0xFE);  // pulse bit 0: CPU reset
    EXPECT_EQ(resets, 1);
    cmd(0xF0);  // pulses bits 0-3, including reset
    EXPECT_EQ(resets, 2);
    cmd(0xD1);
    data(0x02);  // bit 0 low asserts reset
    EXPECT_EQ(resets, 3);
    EXPECT_EQ(kbc.resetRequests, 3u);
}

TEST_F(I8042Test, KeyPressRaisesIrq1WithTranslatedSet1Codes) {
    key({0x1C}, false);  // 'A' make, set 2
    EXPECT_TRUE(irq1.level());
    EXPECT_EQ(status() & 0x21, 0x01);
    EXPECT_EQ(read(), 0x1E);  // set 1
    EXPECT_FALSE(irq1.level());
    key({0x1C}, true);
    EXPECT_EQ(drain(), (Bytes{0x9E}));  // F0 1C -> 9E
    key({0xE0, 0x75}, false);           // Up
    key({0xE0, 0x75}, true);
    EXPECT_EQ(drain(), (Bytes{0xE0, 0x48, 0xE0, 0xC8}));
    EXPECT_EQ(irq1.raises(), 6u);  // one edge per byte
}

TEST_F(I8042Test, UntranslatedSet2) {
    cmd(0x60);
    data(0x01);  // IRQ1 only, no XLAT
    key({0x1C}, false);
    key({0x1C}, true);
    EXPECT_EQ(drain(), (Bytes{0x1C, 0xF0, 0x1C}));
}

TEST_F(I8042Test, KeyboardResetAndIdentify) {
    data(0xFF);
    EXPECT_EQ(drain(), (Bytes{0xFA, 0xAA}));
    data(0xF2);
    EXPECT_EQ(drain(), (Bytes{0xFA, 0xAB, 0x41}));  // 83h translated, as real PCs report
    cmd(0x60);
    data(0x01);
    data(0xF2);
    EXPECT_EQ(drain(), (Bytes{0xFA, 0xAB, 0x83}));
}

TEST_F(I8042Test, KeyboardParameterCommands) {
    data(0xED);
    data(0x07);
    EXPECT_EQ(drain(), (Bytes{0xFA, 0xFA}));
    EXPECT_EQ(kbc.keyboard().leds(), 7);
    data(0xF3);
    data(0x20);
    EXPECT_EQ(drain(), (Bytes{0xFA, 0xFA}));
    EXPECT_EQ(kbc.keyboard().typematic(), 0x20);
    data(0xF0);
    data(0x00);
    EXPECT_EQ(drain(), (Bytes{0xFA, 0xFA, 0x41}));  // ACK, ACK, set 2 seen through translation
    data(0xEE);
    EXPECT_EQ(drain(), (Bytes{0xEE}));
    data(0x01);  // not a command
    EXPECT_EQ(drain(), (Bytes{0xFE}));
    data(0xED);
    data(0xF4);  // a command in place of the parameter starts the new command
    EXPECT_EQ(drain(), (Bytes{0xFA, 0xFA}));
    EXPECT_EQ(kbc.keyboard().leds(), 7);
}

TEST_F(I8042Test, ScancodeSet1FromTheKeyboard) {
    cmd(0x60);
    data(0x01);  // no controller translation
    data(0xF0);
    data(0x01);
    EXPECT_EQ(drain(), (Bytes{0xFA, 0xFA}));
    EXPECT_EQ(kbc.keyboard().scancodeSet(), 1u);
    key({0x1C}, false);
    key({0x1C}, true);
    key({0xE0, 0x75}, true);
    EXPECT_EQ(drain(), (Bytes{0x1E, 0x9E, 0xE0, 0xC8}));
}

TEST_F(I8042Test, ScanningDisableAndEnable) {
    data(0xF5);
    EXPECT_EQ(drain(), (Bytes{0xFA}));
    key({0x1C}, false);
    EXPECT_EQ(status() & 1, 0);
    data(0xF4);
    EXPECT_EQ(drain(), (Bytes{0xFA}));
    key({0x1C}, false);
    EXPECT_EQ(drain(), (Bytes{0x1E}));
}

TEST_F(I8042Test, DisabledInterfaceHoldsKeyboardData) {
    cmd(0xAD);
    key({0x1C}, false);
    EXPECT_EQ(status() & 1, 0);
    EXPECT_FALSE(irq1.level());
    cmd(0xAE);
    EXPECT_TRUE(irq1.level());
    EXPECT_EQ(read(), 0x1E);
}

TEST_F(I8042Test, Irq1DisabledInCommandByte) {
    cmd(0x60);
    data(0x40);
    key({0x1C}, false);
    EXPECT_EQ(status() & 1, 1);
    EXPECT_FALSE(irq1.level());
}

TEST_F(I8042Test, ResendRepeatsTheLastByte) {
    data(0xF2);
    EXPECT_EQ(drain(), (Bytes{0xFA, 0xAB, 0x41}));
    data(0xFE);
    EXPECT_EQ(drain(), (Bytes{0x41}));
}

TEST_F(I8042Test, AuxiliaryPortHasNoMouse) {
    cmd(0xD4);
    data(0xFF);  // reset the mouse: nothing answers
    EXPECT_EQ(status() & 0x61, 0x61);  // OBF, AUXB, timeout
    EXPECT_FALSE(irq12.level());        // aux interrupt disabled in the command byte
    EXPECT_EQ(read(), 0xFE);
    EXPECT_EQ(status() & 0x61, 0x00);
    cmd(0x60);
    data(0x03);  // both interrupts
    cmd(0xD3);
    data(0x5A);  // aux loopback: comes back as mouse data
    EXPECT_TRUE(irq12.level());
    EXPECT_FALSE(irq1.level());
    EXPECT_EQ(status() & 0x21, 0x21);
    EXPECT_EQ(read(), 0x5A);
    EXPECT_FALSE(irq12.level());
    cmd(0xD2);
    data(0x33);  // keyboard loopback
    EXPECT_TRUE(irq1.level());
    EXPECT_EQ(read(), 0x33);
}

TEST_F(I8042Test, KeyboardBufferOverrun) {
    cmd(0x60);
    data(0x00);  // no XLAT, no IRQ
    for (int i = 0; i < 20; ++i) key({0x1C}, false);
    Bytes got = drain();
    // One byte in the controller; the keyboard's 16-byte buffer holds 15 codes and, in its last
    // slot, the set-2 overrun code. The remaining presses are lost.
    ASSERT_EQ(got.size(), 17u);
    EXPECT_EQ(got[15], 0x1C);
    EXPECT_EQ(got.back(), 0x00);
    EXPECT_GT(kbc.keyboard().overruns, 0u);
}

TEST_F(I8042Test, TranslationTableSpotChecks) {
    EXPECT_EQ(ScancodeTranslator::translate(0x76), 0x01);  // Esc
    EXPECT_EQ(ScancodeTranslator::translate(0x5A), 0x1C);  // Enter
    EXPECT_EQ(ScancodeTranslator::translate(0x29), 0x39);  // Space
    EXPECT_EQ(ScancodeTranslator::translate(0x07), 0x58);  // F12
    EXPECT_EQ(ScancodeTranslator::translate(0x83), 0x41);  // F7
    EXPECT_EQ(ScancodeTranslator::translate(0x00), 0xFF);  // overrun
    EXPECT_EQ(ScancodeTranslator::translate(0xFA), 0xFA);  // ACK passes
    // 01h-7Fh is a permutation.
    std::vector<bool> seen(128, false);
    for (unsigned c = 1; c < 0x80; ++c) {
        const uint8_t t = ScancodeTranslator::translate(static_cast<uint8_t>(c));
        ASSERT_LT(t, 0x80);
        EXPECT_FALSE(seen[t]) << std::hex << c;
        seen[t] = true;
    }
}

TEST_F(I8042Test, ResetRestoresPowerOn) {
    cmd(0x60);
    data(0x00);
    cmd(0xDD);
    key({0x1C}, false);
    a20Calls.clear();
    kbc.reset();
    EXPECT_EQ(a20Calls, (std::vector<bool>{true}));
    EXPECT_EQ(status(), 0x10);
    EXPECT_EQ(kbc.commandByte(), 0x61);
}

TEST_F(I8042Test, HostileSequencesNeverCrash) {
    std::mt19937 rng(5);
    for (int i = 0; i < 200000; ++i) {
        switch (rng() % 5) {
        case 0: cmd(static_cast<uint8_t>(rng())); break;
        case 1: data(static_cast<uint8_t>(rng())); break;
        case 2: read(); break;
        case 3: status(); break;
        default: {
            const uint8_t k[2] = {0xE0, static_cast<uint8_t>(rng() & 0x7F)};
            kbc.keyEvent(std::span<const uint8_t>(k, 1 + rng() % 2), rng() & 1);
            break;
        }
        }
    }
    SUCCEED();
}

// --- port 92h, CF9h, A20 gate ---------------------------------------------------------------

TEST(Port92Test, FastA20AndInit) {
    PortBus bus;
    Port92 p;
    std::vector<bool> a20;
    int inits = 0;
    p.onA20 = [&](bool on) { a20.push_back(on); };
    p.resetRequest = [&] { ++inits; };
    p.attach(bus);
    EXPECT_EQ(bus.read(0x92, 1), 0x00u);
    bus.write(0x92, 1, 0x02);
    EXPECT_EQ(a20, (std::vector<bool>{true}));
    EXPECT_EQ(bus.read(0x92, 1), 0x02u);
    bus.write(0x92, 1, 0x03);  // 0 -> 1 on bit 0
    EXPECT_EQ(inits, 1);
    bus.write(0x92, 1, 0x03);  // no transition
    EXPECT_EQ(inits, 1);
    bus.write(0x92, 1, 0x02);
    bus.write(0x92, 1, 0xFF);  // reserved bits ignored
    EXPECT_EQ(inits, 2);
    EXPECT_EQ(bus.read(0x92, 1), 0x03u);
    bus.write(0x92, 1, 0x00);
    // Every write drives the A20 line shared with the i8042 (last write wins).
    EXPECT_EQ(a20, (std::vector<bool>{true, true, true, true, true, false}));
    p.reset();
    EXPECT_EQ(p.value(), 0);
}


}  // namespace
}  // namespace pvx
