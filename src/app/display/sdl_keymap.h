// SDL scancodes (USB HID keyboard usages, HID Usage Tables 1.12 chapter 10) -> PS/2 scan code
// set 2 (IBM PS/2 keyboard technical reference; Microsoft "Keyboard Scan Code Specification").
#pragma once
#include <cstdint>
#include <span>

namespace pvx {

struct Set2Key {
    uint8_t bytes[8];
    uint8_t length = 0;  // 0: no PS/2 key
    bool special = false;  // Pause / Print Screen: `bytes` is the whole make sequence
};

// `usage` is an SDL_Scancode value (= the HID usage ID).
Set2Key set2ForHidUsage(unsigned usage);
// Print Screen's break sequence (E0 F0 7C E0 F0 12).
std::span<const uint8_t> printScreenBreak();

}  // namespace pvx
