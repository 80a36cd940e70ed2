#include "devices/pit/system_control_port_b.h"

namespace pvx {

void SystemControlPortB::reset() {
    reg_ = 0;
    pit_.setGate(2, false);
}

uint8_t SystemControlPortB::value() {
    const uint64_t tick = pit_.ticksNow();
    uint8_t v = reg_ & 0x0F;
    if ((tick / kRefreshTicks) & 1) v |= 0x10;
    if (pit_.counter(2).out(tick)) v |= 0x20;
    return v;
}

uint32_t SystemControlPortB::ioRead(uint16_t, unsigned size) {
    ++ioReads;
    // Only 61h is decoded here; the bytes of a wider access beyond it read as a floating bus.
    uint32_t v = value();
    for (unsigned b = 1; b < size && b < 4; ++b) v |= 0xFFu << (8 * b);
    return v;
}

void SystemControlPortB::ioWrite(uint16_t, unsigned, uint32_t value) {
    ++ioWrites;
    reg_ = static_cast<uint8_t>(value & 0x0F);
    pit_.setGate(2, reg_ & 1);
}

}  // namespace pvx
