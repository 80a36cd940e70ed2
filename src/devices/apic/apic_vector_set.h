// One of the local APIC's 256-bit interrupt registers: IRR, ISR or TMR (SDM Vol.3A 10.8.4,
// Figure 10-20). Bit v stands for vector v; the register reads as eight 32-bit words at 16-byte
// strides, word i holding vectors 32i..32i+31.
#pragma once
#include <array>
#include <bit>
#include <cstdint>

namespace pvx {

class ApicVectorSet {
public:
    void set(uint8_t v) { words_[v >> 5] |= 1u << (v & 31); }
    void clear(uint8_t v) { words_[v >> 5] &= ~(1u << (v & 31)); }
    void assign(uint8_t v, bool on) { on ? set(v) : clear(v); }
    bool test(uint8_t v) const { return (words_[v >> 5] >> (v & 31)) & 1; }
    void clearAll() { words_.fill(0); }

    // The highest vector present, or -1: vectors are prioritised by number (SDM Vol.3A 10.8.3.1).
    int highest() const {
        for (int w = 7; w >= 0; --w)
            if (words_[static_cast<unsigned>(w)])
                return w * 32 + 31 - std::countl_zero(words_[static_cast<unsigned>(w)]);
        return -1;
    }
    uint32_t word(unsigned i) const { return words_[i & 7]; }

private:
    std::array<uint32_t, 8> words_{};
};

}  // namespace pvx
