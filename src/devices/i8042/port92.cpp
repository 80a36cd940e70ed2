#include "devices/i8042/port92.h"

namespace pvx {

void Port92::reset() {
    reg_ = 0;
    if (onA20) onA20(false);
}

uint32_t Port92::ioRead(uint16_t, unsigned size) {
    ++ioReads;
    uint32_t v = reg_;
    for (unsigned b = 1; b < size && b < 4; ++b) v |= 0xFFu << (8 * b);  // 93h.. not decoded here
    return v;
}

void Port92::ioWrite(uint16_t, unsigned, uint32_t value) {
    ++ioWrites;
    const uint8_t v = static_cast<uint8_t>(value & 0x03);
    const uint8_t old = reg_;
    reg_ = v;
    // The A20 line is shared with the i8042 output port (last write wins), so every write
    // drives it, even when this port's own bit does not change.
    if (onA20) onA20(v & 0x02);
    if (!(old & 0x01) && (v & 0x01)) {
        ++resetRequests;
        if (resetRequest) resetRequest();
    }
}

}  // namespace pvx
