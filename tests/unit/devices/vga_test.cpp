// The std VGA's registers and memory as a guest drives them: legacy-window writes landing in
// the planes the sequencer/graphics controller select, the attribute controller's flip-flop,
// the DAC's auto-incrementing indexes, CRTC write protection, planar write/read modes, chain-4,
// and the Bochs dispi interface with its linear framebuffer at BAR0.
#include <gtest/gtest.h>

#include "common/port_bus.h"
#include "devices/pci/pci_bus.h"
#include "devices/vga/vga.h"
#include "mmu/phys_memory.h"

namespace pvx {
namespace {

using namespace vga;

class VgaTest : public ::testing::Test {
protected:
    void SetUp() override {
        v.attach(ports);
        pci.attach(ports);
        pci.addFunction(2, 0, v);
    }
    uint8_t in8(uint16_t p) { return static_cast<uint8_t>(ports.read(p, 1)); }
    void out8(uint16_t p, uint8_t x) { ports.write(p, 1, x); }
    void out16(uint16_t p, uint16_t x) { ports.write(p, 2, x); }
    uint16_t in16(uint16_t p) { return static_cast<uint16_t>(ports.read(p, 2)); }
    void seq(uint8_t i, uint8_t x) { out16(0x3C4, static_cast<uint16_t>(x << 8 | i)); }
    void gc(uint8_t i, uint8_t x) { out16(0x3CE, static_cast<uint16_t>(x << 8 | i)); }
    void dispi(uint16_t i, uint16_t x) {
        out16(0x1CE, i);
        out16(0x1CF, x);
    }
    uint16_t dispiGet(uint16_t i) {
        out16(0x1CE, i);
        return in16(0x1CF);
    }
    void textLayout() {  // mode 03h memory: planes 0/1 odd/even at B8000h
        out8(0x3C2, 0x67);
        seq(2, 0x03);
        seq(4, 0x02);
        gc(4, 0x00);
        gc(5, 0x10);
        gc(6, 0x0E);
    }

    PhysicalMemory mem{4u << 20};
    PortBus ports;
    PciBus pci;
    Vga v{mem};
};

TEST_F(VgaTest, PciIdentityAndLfbBar) {
    EXPECT_EQ(pci.configRead(2, 0, 0x00, 4), 0x11111234u);
    EXPECT_EQ(pci.configRead(2, 0, 0x08, 4) >> 8, 0x030000u);
    pci.configWrite(2, 0, 0x10, 4, 0xFFFFFFFF);
    EXPECT_EQ(pci.configRead(2, 0, 0x10, 4), 0xFF000008u);  // 16 MiB, prefetchable, 32-bit
}

TEST_F(VgaTest, TextCellWritesLandInPlanes0And1) {
    textLayout();
    mem.write(0xB8000 + 2 * 5, 2, 0x1E41);  // cell 5: 'A', yellow on blue
    EXPECT_EQ(v.planeByte(0, 10), 0x41);
    EXPECT_EQ(v.planeByte(1, 10), 0x1E);
    EXPECT_EQ(v.planeByte(1, 11), 0x00);  // odd/even: offset 11 of plane 1 untouched
    EXPECT_EQ(v.planeByte(2, 10), 0x00);
    EXPECT_EQ(v.planeByte(3, 10), 0x00);
    EXPECT_EQ(mem.read(0xB8000 + 10, 2), 0x1E41u);
    // With plane 1 masked off only the character changes.
    seq(2, 0x01);
    mem.write(0xB8000 + 10, 2, 0x7042);
    EXPECT_EQ(v.planeByte(0, 10), 0x42);
    EXPECT_EQ(v.planeByte(1, 10), 0x1E);
    // A0000h is outside the B8000h map: reads float, writes vanish.
    EXPECT_EQ(mem.read(0xA0000, 1), 0xFFu);
    EXPECT_EQ(v.legacyWrites, 2u);  // one per access, whatever its width
    EXPECT_EQ(v.legacyReads, 2u);
}

TEST_F(VgaTest, FontWritesReachPlane2) {
    seq(2, 0x04);
    seq(4, 0x06);  // sequential, no odd/even
    gc(4, 0x02);
    gc(5, 0x00);
    gc(6, 0x04);   // A0000h 64 KiB
    gc(8, 0xFF);
    mem.write(0xA0000 + 0x41 * 32 + 3, 1, 0x7E);
    EXPECT_EQ(v.planeByte(2, 0x41 * 32 + 3), 0x7E);
    EXPECT_EQ(v.planeByte(0, 0x41 * 32 + 3), 0x00);
    EXPECT_EQ(mem.read(0xA0000 + 0x41 * 32 + 3, 1), 0x7Eu);  // read map 2
}

TEST_F(VgaTest, AttributeFlipFlop) {
    out8(0x3C2, 0x01);
    in8(0x3DA);            // flip-flop -> index
    out8(0x3C0, 0x01);     // index 1
    out8(0x3C0, 0x15);     // data
    EXPECT_EQ(v.state().attr[1], 0x15);
    out8(0x3C0, 0x22);     // index 2 with PAS
    EXPECT_EQ(in8(0x3C0), 0x22);
    EXPECT_EQ(in8(0x3C1), 0x00);
    in8(0x3DA);            // reset: the next write is an index again
    out8(0x3C0, 0x05);
    EXPECT_EQ(v.state().attr[2], 0x00);
    EXPECT_EQ(in8(0x3C0), 0x05);
    out8(0x3C0, 0x3F);     // data for index 5 (palette registers keep 6 bits)
    EXPECT_EQ(v.state().attr[5], 0x3F);
    out8(0x3C0, 0x10);
    out8(0x3C0, 0xC1);     // mode control keeps all 8 bits
    EXPECT_EQ(v.state().attr[0x10], 0xC1);
}

TEST_F(VgaTest, InputStatusToggles) {
    out8(0x3C2, 0x01);  // colour I/O: input status 1 at 3DAh
    uint8_t seen0 = 0, seen1 = 0xFF;
    for (int i = 0; i < 8; ++i) {
        const uint8_t s = in8(0x3DA);
        seen0 |= s;
        seen1 &= s;
    }
    EXPECT_EQ(seen0 & 0x09, 0x09);  // retrace and display-inactive both seen set ...
    EXPECT_EQ(seen1 & 0x09, 0x00);  // ... and clear
    EXPECT_EQ(in8(0x3BA), 0xFF);    // the mono address is not decoded in colour mode
}

TEST_F(VgaTest, DacIndexesAutoIncrement) {
    out8(0x3C8, 10);
    for (uint8_t b : {1, 2, 3, 4, 5, 0x7F}) out8(0x3C9, b);
    EXPECT_EQ(v.state().dac[10], (std::array<uint8_t, 3>{1, 2, 3}));
    EXPECT_EQ(v.state().dac[11], (std::array<uint8_t, 3>{4, 5, 0x3F}));  // 6-bit DAC
    EXPECT_EQ(in8(0x3C8), 12);
    EXPECT_EQ(in8(0x3C7), 0x00);  // DAC state: write mode
    out8(0x3C7, 10);
    EXPECT_EQ(in8(0x3C7), 0x03);
    uint8_t got[6];
    for (uint8_t& g : got) g = in8(0x3C9);
    EXPECT_EQ(got[0], 1);
    EXPECT_EQ(got[3], 4);
    EXPECT_EQ(got[5], 0x3F);
    out8(0x3C8, 255);  // the write index wraps to 0
    for (int i = 0; i < 6; ++i) out8(0x3C9, 9);
    EXPECT_EQ(v.state().dac[255][2], 9);
    EXPECT_EQ(v.state().dac[0][0], 9);
}

TEST_F(VgaTest, CrtcProtectAndColorMonoDecode) {
    out8(0x3C2, 0x01);  // colour: CRTC at 3D4h
    out16(0x3D4, 0x8011);  // CR11 bit 7: protect CR00-CR07
    out16(0x3D4, 0x5501);
    EXPECT_EQ(v.state().crtc[1], 0x00);
    out16(0x3D4, 0xFF07);
    EXPECT_EQ(v.state().crtc[7], 0x10);  // only bit 4 gets through
    out16(0x3D4, 0x0011);
    out16(0x3D4, 0x4F01);
    EXPECT_EQ(v.state().crtc[1], 0x4F);
    out16(0x3D4, 0x120E);
    out8(0x3D4, 0x0E);
    EXPECT_EQ(in8(0x3D5), 0x12);
    out8(0x3B4, 0x0E);  // mono ports are not decoded in colour mode
    EXPECT_EQ(in8(0x3B5), 0xFF);
}

TEST_F(VgaTest, PlanarWriteModesAndColorCompare) {
    seq(2, 0x0F);
    seq(4, 0x06);
    gc(5, 0x00);
    gc(6, 0x05);  // A0000h 64 KiB, graphics
    gc(0, 0x05);  // set/reset planes 0 and 2
    gc(1, 0x0F);  // enable set/reset everywhere: write mode 0 ignores the CPU data
    gc(8, 0xF0);  // bit mask: left half only
    mem.write(0xA0000, 1, 0x00);
    EXPECT_EQ(v.planeByte(0, 0), 0xF0);
    EXPECT_EQ(v.planeByte(1, 0), 0x00);
    EXPECT_EQ(v.planeByte(2, 0), 0xF0);
    // Write mode 1 copies the latches loaded by a read.
    gc(5, 0x01);
    mem.read(0xA0000, 1);
    mem.write(0xA0001, 1, 0x00);
    EXPECT_EQ(v.planeByte(0, 1), 0xF0);
    EXPECT_EQ(v.planeByte(2, 1), 0xF0);
    // Read mode 1: pixels of colour 5 (planes 0 and 2) in the left half.
    gc(5, 0x08);
    gc(2, 0x05);
    gc(7, 0x0F);
    EXPECT_EQ(mem.read(0xA0000, 1), 0xF0u);
    // Write mode 2: CPU bits 3:0 are the colour; XOR function with the latches.
    gc(5, 0x02);
    gc(3, 0x18);  // XOR
    gc(8, 0xFF);
    mem.read(0xA0000, 1);
    mem.write(0xA0000, 1, 0x03);
    EXPECT_EQ(v.planeByte(0, 0), 0x0F);  // F0 ^ FF
    EXPECT_EQ(v.planeByte(1, 0), 0xFF);  // 00 ^ FF
    EXPECT_EQ(v.planeByte(2, 0), 0xF0);  // F0 ^ 00
}

TEST_F(VgaTest, Chain4IsLinear) {
    seq(2, 0x0F);
    seq(4, 0x0E);  // chain-4
    gc(5, 0x40);
    gc(6, 0x05);
    for (unsigned i = 0; i < 8; ++i) mem.write(0xA0000 + 320 + i, 1, 0x10 + i);
    EXPECT_EQ(v.vram()[320 + 5], 0x15);
    EXPECT_EQ(v.planeByte(1, 80), 0x11);  // byte 321 is plane 1, offset 80
    EXPECT_EQ(mem.read(0xA0000 + 322, 1), 0x12u);
}

TEST_F(VgaTest, DispiIdEnableAndLinearFramebuffer) {
    EXPECT_EQ(dispiGet(kDispiId), 0xB0C5);
    dispi(kDispiId, 0xB0C0);
    EXPECT_EQ(dispiGet(kDispiId), 0xB0C0);
    dispi(kDispiId, 0x1234);  // not a dispi version: ignored
    EXPECT_EQ(dispiGet(kDispiId), 0xB0C0);
    EXPECT_EQ(dispiGet(kDispiVideoMemory64K), 256);
    dispi(kDispiEnable, kDispiGetCaps);
    EXPECT_EQ(dispiGet(kDispiXres), kDispiMaxXres);
    EXPECT_EQ(dispiGet(kDispiBpp), 32);
    dispi(kDispiEnable, 0);
    dispi(kDispiXres, 800);
    dispi(kDispiYres, 600);
    dispi(kDispiBpp, 32);
    // BAR0 at E0000000h, memory decoding on.
    pci.configWrite(2, 0, 0x10, 4, 0xE0000000);
    pci.configWrite(2, 0, 0x04, 2, 0x0002);
    mem.write(0xE0000000, 4, 0x11223344);  // cleared by the enable below
    dispi(kDispiEnable, kDispiEnabled | kDispiLfbEnabled);
    EXPECT_TRUE(v.state().dispiEnabled());
    EXPECT_EQ(mem.read(0xE0000000, 4), 0u);
    EXPECT_EQ(dispiGet(kDispiVirtWidth), 800);
    EXPECT_EQ(dispiGet(kDispiVirtHeight), (16u << 20) / (800 * 4));
    dispi(kDispiXres, 1024);  // ignored while enabled
    EXPECT_EQ(dispiGet(kDispiXres), 800);
    mem.write(0xE0000000 + 4 * 801, 4, 0x00AABBCC);
    EXPECT_EQ(v.vram()[4 * 801], 0xCC);
    EXPECT_EQ(mem.read(0xE0000000 + 4 * 801, 4), 0x00AABBCCu);
    // Banked window: bank 1 shows bytes 64K.. at A0000h.
    dispi(kDispiBank, 1);
    mem.write(0xA0000 + 2, 1, 0x5A);
    EXPECT_EQ(v.vram()[0x10002], 0x5A);
    // Re-enable with NOCLEARMEM keeps the contents.
    dispi(kDispiEnable, 0);
    dispi(kDispiEnable, kDispiEnabled | kDispiNoClearMem);
    EXPECT_EQ(v.vram()[0x10002], 0x5A);
    // A mode larger than video memory does not enable.
    dispi(kDispiEnable, 0);
    dispi(kDispiXres, 2560);
    dispi(kDispiYres, 1600);
    dispi(kDispiBpp, 32);
    dispi(kDispiEnable, kDispiEnabled);
    EXPECT_TRUE(v.state().dispiEnabled());  // 2560*1600*4 = 16000 KiB fits in 16 MiB
    EXPECT_GT(v.lfbWrites, 0u);
}

TEST_F(VgaTest, LfbUnmappedWhenMemoryDecodingOff) {
    pci.configWrite(2, 0, 0x10, 4, 0xE0000000);
    pci.configWrite(2, 0, 0x04, 2, 0x0002);
    mem.write(0xE0000010, 1, 0x42);
    EXPECT_EQ(v.vram()[0x10], 0x42);
    pci.configWrite(2, 0, 0x04, 2, 0x0000);
    EXPECT_EQ(mem.read(0xE0000010, 1), 0xFFu);
}

}  // namespace
}  // namespace pvx
