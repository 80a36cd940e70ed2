// The VGA renderer: exact pixels for a text cell (glyph bits from plane 2, attribute colours
// through the attribute controller and DAC, the 9th column, the cursor), mode 13h and a dispi
// mode.
#include <gtest/gtest.h>

#include "common/port_bus.h"
#include "devices/vga/vga.h"
#include "devices/vga/vga_renderer.h"
#include "mmu/phys_memory.h"

namespace pvx {
namespace {

using namespace vga;

// Mode 03h register values (IBM VGA Technical Reference mode table), as the BIOS programs them.
constexpr uint8_t kSeq[5] = {0x03, 0x00, 0x03, 0x00, 0x02};
constexpr uint8_t kCrtc[25] = {0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, 0x00,
                               0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x1F, 0x96, 0xB9, 0xA3, 0xFF};
constexpr uint8_t kGc[9] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF};
constexpr uint8_t kAc[21] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A,
                             0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x0C, 0x00, 0x0F, 0x08, 0x00};

class VgaRendererTest : public ::testing::Test {
protected:
    void SetUp() override { v.attach(ports); }
    void out8(uint16_t p, uint8_t x) { ports.write(p, 1, x); }
    void idx(uint16_t p, uint8_t i, uint8_t x) { ports.write(p, 2, static_cast<uint32_t>(x << 8 | i)); }

    void mode3() {
        out8(0x3C2, 0x67);
        for (uint8_t i = 0; i < 5; ++i) idx(0x3C4, i, kSeq[i]);
        idx(0x3D4, 0x11, 0x0E);
        for (uint8_t i = 0; i < 25; ++i) idx(0x3D4, i, kCrtc[i]);
        for (uint8_t i = 0; i < 9; ++i) idx(0x3CE, i, kGc[i]);
        ports.read(0x3DA, 1);
        for (uint8_t i = 0; i < 21; ++i) {
            out8(0x3C0, i);
            out8(0x3C0, kAc[i]);
        }
        out8(0x3C0, 0x20);
        // DAC 00h-3Fh: rgbRGB
        out8(0x3C8, 0);
        for (unsigned i = 0; i < 64; ++i)
            for (unsigned sh : {2u, 1u, 0u}) out8(0x3C9, static_cast<uint8_t>(((i >> sh) & 1) * 0x2A + ((i >> (sh + 3)) & 1) * 0x15));
    }
    void loadGlyph(uint8_t ch, const uint8_t (&rows)[16]) {
        idx(0x3C4, 2, 0x04);
        idx(0x3C4, 4, 0x06);
        idx(0x3CE, 5, 0x00);
        idx(0x3CE, 6, 0x04);
        for (unsigned r = 0; r < 16; ++r) mem.write(0xA0000 + ch * 32u + r, 1, rows[r]);
        idx(0x3C4, 2, 0x03);
        idx(0x3C4, 4, 0x02);
        idx(0x3CE, 5, 0x10);
        idx(0x3CE, 6, 0x0E);
    }

    PhysicalMemory mem{4u << 20};
    PortBus ports;
    Vga v{mem};
    VgaFrame f;
};

constexpr uint8_t kGlyph[16] = {0x00, 0x00, 0x10, 0x38, 0x6C, 0xC6, 0xC6, 0xFE,
                                0xC6, 0xC6, 0xC6, 0xC6, 0x00, 0x00, 0x00, 0x81};
constexpr uint32_t kBlue = 0x0000AA, kYellow = 0xFFFF55, kGrey = 0xAAAAAA, kBlack = 0, kBrown = 0xAA5500;

TEST_F(VgaRendererTest, TextCellPixelsFollowGlyphAndAttribute) {
    mode3();
    loadGlyph('A', kGlyph);
    // Cursor away from the cell under test (row 0, column 0).
    idx(0x3D4, 0x0E, 0x00);
    idx(0x3D4, 0x0F, 0x00);
    const unsigned row = 3, col = 7, cell = row * 80 + col;
    mem.write(0xB8000 + cell * 2, 2, 0x1E00 | 'A');  // yellow on blue
    mem.write(0xB8000 + (cell + 1) * 2, 2, 0x0600 | 'A');  // brown on black (DAC 14h)
    renderVga(v, f);
    ASSERT_EQ(f.width, 720u);
    ASSERT_EQ(f.height, 400u);
    for (unsigned y = 0; y < 16; ++y) {
        for (unsigned x = 0; x < 8; ++x) {
            const bool on = (kGlyph[y] >> (7 - x)) & 1;
            ASSERT_EQ(f.at(col * 9 + x, row * 16 + y), on ? kYellow : kBlue) << "x " << x << " y " << y;
            ASSERT_EQ(f.at((col + 1) * 9 + x, row * 16 + y), on ? kBrown : kBlack) << "x " << x << " y " << y;
        }
        EXPECT_EQ(f.at(col * 9 + 8, row * 16 + y), kBlue);  // 9th column: background for 'A'
    }
    // Cells never written hold 0/0: black, and the cursor at row 0 col 0 draws lines 13-14 in
    // the cell's foreground (0 -> black too), so check a written cursor cell instead.
    mem.write(0xB8000 + 0, 2, 0x0720);
    renderVga(v, f);
    EXPECT_EQ(f.at(3, 12), kBlack);
    EXPECT_EQ(f.at(3, 13), kGrey);
    EXPECT_EQ(f.at(8, 14), kGrey);  // the cursor covers the 9th column too
    EXPECT_EQ(f.at(3, 15), kBlack);
    VgaRenderOptions off;
    off.blinkOn = false;
    renderVga(v, f, off);
    EXPECT_EQ(f.at(3, 13), kBlack);
    // Cursor disabled by CR0A bit 5.
    idx(0x3D4, 0x0A, 0x2D);
    renderVga(v, f);
    EXPECT_EQ(f.at(3, 13), kBlack);
}

TEST_F(VgaRendererTest, LineGraphicsNinthColumnAndBlink) {
    mode3();
    const uint8_t box[16] = {0xFF, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0xFF};
    loadGlyph(0xC4, box);
    loadGlyph(0x41, box);
    mem.write(0xB8000, 2, 0x07C4);
    mem.write(0xB8002, 2, 0x0741);
    mem.write(0xB8004, 2, 0x9741);  // blinking, background 1 (bit 7 is blink, not intensity)
    idx(0x3D4, 0x0E, 0x07);
    idx(0x3D4, 0x0F, 0xD0);        // cursor off-screen
    renderVga(v, f);
    EXPECT_EQ(f.at(8, 5), kGrey);   // C0h-DFh: the 9th column repeats the 8th
    EXPECT_EQ(f.at(17, 5), kBlack); // other characters: background
    EXPECT_EQ(f.at(18 + 7, 5), kGrey);
    EXPECT_EQ(f.at(18 + 0, 5), kBlue);
    VgaRenderOptions off;
    off.blinkOn = false;
    renderVga(v, f, off);
    EXPECT_EQ(f.at(18 + 7, 5), kBlue);  // blinking text hidden in the off phase
}

TEST_F(VgaRendererTest, Mode13h) {
    // 320x200x256: chain-4, 256-colour shift, CR09 = 41h (two scan lines per pixel row).
    out8(0x3C2, 0x63);
    idx(0x3C4, 2, 0x0F);
    idx(0x3C4, 4, 0x0E);
    idx(0x3D4, 0x11, 0x0E);
    idx(0x3D4, 0x01, 0x4F);
    idx(0x3D4, 0x07, 0x1F);
    idx(0x3D4, 0x09, 0x41);
    idx(0x3D4, 0x12, 0x8F);
    idx(0x3D4, 0x13, 0x28);
    idx(0x3CE, 5, 0x40);
    idx(0x3CE, 6, 0x05);
    ports.read(0x3DA, 1);
    out8(0x3C0, 0x10);
    out8(0x3C0, 0x41);
    out8(0x3C0, 0x20);
    out8(0x3C8, 0x80);
    out8(0x3C9, 0x3F);
    out8(0x3C9, 0x00);
    out8(0x3C9, 0x20);
    mem.write(0xA0000 + 10 * 320 + 17, 1, 0x80);
    renderVga(v, f);
    ASSERT_EQ(f.width, 320u);
    ASSERT_EQ(f.height, 200u);
    EXPECT_EQ(f.at(17, 10), 0xFF0082u);
    EXPECT_EQ(f.at(16, 10), 0u);
}

TEST_F(VgaRendererTest, DispiModes) {
    out8(0x3C0, 0x20);
    auto dispi = [&](uint16_t i, uint16_t x) {
        ports.write(0x1CE, 2, i);
        ports.write(0x1CF, 2, x);
    };
    dispi(kDispiXres, 640);
    dispi(kDispiYres, 400);
    dispi(kDispiBpp, 16);
    dispi(kDispiEnable, kDispiEnabled);
    idx(0x3CE, 6, 0x05);  // the banked window at A0000h
    mem.write(0xA0000 + (2 * 640 + 3) * 2, 2, 0xF800);  // pure red in 5:6:5
    renderVga(v, f);
    ASSERT_EQ(f.width, 640u);
    ASSERT_EQ(f.height, 400u);
    EXPECT_EQ(f.at(3, 2), 0xFF0000u);
    // Panning: Y offset 2 moves that pixel to the top row.
    dispi(kDispiYOffset, 2);
    renderVga(v, f);
    EXPECT_EQ(f.at(3, 0), 0xFF0000u);
    dispi(kDispiEnable, 0);
    dispi(kDispiBpp, 32);
    dispi(kDispiEnable, kDispiEnabled | kDispiNoClearMem);
    dispi(kDispiYOffset, 0);
    mem.write(0xA0000 + (1 * 640 + 1) * 4, 4, 0x00123456);
    renderVga(v, f);
    EXPECT_EQ(f.at(1, 1), 0x123456u);
}

TEST_F(VgaRendererTest, HostileRegistersStayInBounds) {
    // Every CRTC/sequencer/graphics register at its maximum, text then graphics: the frame is
    // bounded by the registers' ranges and every memory access by the planes.
    out8(0x3C2, 0x01);
    idx(0x3D4, 0x11, 0x00);
    for (uint8_t i = 0; i < 0x19; ++i) idx(0x3D4, i, i == 0x11 ? 0x7F : 0xFF);
    idx(0x3C4, 1, 0x00);
    idx(0x3C4, 3, 0xFF);
    out8(0x3C0, 0x20);
    idx(0x3D4, 0x09, 0x00);  // one scan line per row: the most rows
    renderVga(v, f);
    EXPECT_EQ(f.width, 256u * 9);
    EXPECT_EQ(f.height, 1024u);
    idx(0x3CE, 6, 0x01);  // graphics, planar
    renderVga(v, f);
    EXPECT_EQ(f.width, 256u * 8);
    idx(0x3CE, 5, 0x40);  // 256 colours, unchained then chained
    renderVga(v, f);
    idx(0x3C4, 4, 0x08);
    renderVga(v, f);
    EXPECT_EQ(f.width, 256u * 4);
    // Dispi panned far past video memory renders black; register indexes past the end read 0.
    auto dispi = [&](uint16_t i, uint16_t x) {
        ports.write(0x1CE, 2, i);
        ports.write(0x1CF, 2, x);
    };
    dispi(kDispiXres, 2560);
    dispi(kDispiYres, 1600);
    dispi(kDispiBpp, 32);
    dispi(kDispiEnable, kDispiEnabled | kDispiNoClearMem);
    dispi(kDispiVirtWidth, 0xFFFF);  // too wide for video memory: ignored
    EXPECT_EQ(v.state().dispi[kDispiVirtWidth], 2560);
    dispi(kDispiXOffset, 0xFFFF);
    dispi(kDispiYOffset, 0xFFFF);
    dispi(kDispiBank, 0xFFFF);  // past video memory: ignored
    EXPECT_EQ(v.state().dispi[kDispiBank], 0);
    mem.write(0xA0000, 1, 0x77);
    EXPECT_EQ(v.vram()[0], 0x77);
    renderVga(v, f);
    EXPECT_EQ(f.width, 2560u);
    EXPECT_EQ(f.at(2559, 1599), 0u);
    ports.write(0x1CE, 2, 0x4000);
    EXPECT_EQ(ports.read(0x1CF, 2), 0u);
}

TEST_F(VgaRendererTest, PowerOnStateIsABlankScreen) {
    renderVga(v, f);
    EXPECT_EQ(f.width, 640u);
    EXPECT_EQ(f.height, 480u);
    for (uint32_t p : f.pixels) ASSERT_EQ(p, 0u);
}

}  // namespace
}  // namespace pvx
