// The 8042's scan code translation: keyboard scan code set 2 in, PC/XT set 1 out. The 8042
// applies it to keyboard bytes when command byte bit 6 (XLAT) is set; a keyboard switched to
// set 1 produces the same mapping itself. A set-2 break prefix F0h produces nothing and sets
// bit 7 of the byte that follows (the set-1 break code); E0h/E1h prefixes pass through.
#pragma once
#include <cstdint>

namespace pvx {

class ScancodeTranslator {
public:
    // One set-2 byte in; returns true and sets `out` when a set-1 byte results.
    bool feed(uint8_t in, uint8_t& out);
    void reset() { breakPending_ = false; }
    static uint8_t translate(uint8_t set2);

private:
    bool breakPending_ = false;
};

}  // namespace pvx
