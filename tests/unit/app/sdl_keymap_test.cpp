// SDL scancode (HID usage) -> PS/2 set 2: plain keys, E0-prefixed keys, and the two keys whose
// codes are whole sequences.
#include <gtest/gtest.h>

#include <vector>

#include "app/display/sdl_keymap.h"

namespace pvx {
namespace {

std::vector<uint8_t> bytes(const Set2Key& k) { return {k.bytes, k.bytes + k.length}; }

TEST(SdlKeymap, PlainKeys) {
    EXPECT_EQ(bytes(set2ForHidUsage(0x04)), (std::vector<uint8_t>{0x1C}));  // A
    EXPECT_EQ(bytes(set2ForHidUsage(0x1D)), (std::vector<uint8_t>{0x1A}));  // Z
    EXPECT_EQ(bytes(set2ForHidUsage(0x27)), (std::vector<uint8_t>{0x45}));  // 0
    EXPECT_EQ(bytes(set2ForHidUsage(0x28)), (std::vector<uint8_t>{0x5A}));  // Enter
    EXPECT_EQ(bytes(set2ForHidUsage(0x29)), (std::vector<uint8_t>{0x76}));  // Escape
    EXPECT_EQ(bytes(set2ForHidUsage(0x40)), (std::vector<uint8_t>{0x83}));  // F7
    EXPECT_EQ(bytes(set2ForHidUsage(0xE1)), (std::vector<uint8_t>{0x12}));  // left shift
    EXPECT_FALSE(set2ForHidUsage(0x04).special);
}

TEST(SdlKeymap, ExtendedKeys) {
    EXPECT_EQ(bytes(set2ForHidUsage(0x52)), (std::vector<uint8_t>{0xE0, 0x75}));  // Up
    EXPECT_EQ(bytes(set2ForHidUsage(0x58)), (std::vector<uint8_t>{0xE0, 0x5A}));  // keypad Enter
    EXPECT_EQ(bytes(set2ForHidUsage(0xE4)), (std::vector<uint8_t>{0xE0, 0x14}));  // right Ctrl
}

TEST(SdlKeymap, SequencesAndUnknown) {
    const Set2Key prt = set2ForHidUsage(0x46);
    EXPECT_TRUE(prt.special);
    EXPECT_EQ(bytes(prt), (std::vector<uint8_t>{0xE0, 0x12, 0xE0, 0x7C}));
    const std::span<const uint8_t> brk = printScreenBreak();
    EXPECT_EQ(std::vector<uint8_t>(brk.begin(), brk.end()), (std::vector<uint8_t>{0xE0, 0xF0, 0x7C, 0xE0, 0xF0, 0x12}));
    const Set2Key pause = set2ForHidUsage(0x48);
    EXPECT_EQ(bytes(pause), (std::vector<uint8_t>{0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77}));
    EXPECT_EQ(set2ForHidUsage(0x00).length, 0);
    EXPECT_EQ(set2ForHidUsage(0x200).length, 0);
}

}  // namespace
}  // namespace pvx
