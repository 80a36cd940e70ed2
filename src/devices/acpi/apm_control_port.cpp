#include "devices/acpi/apm_control_port.h"

namespace pvx {

uint32_t ApmControlPort::ioRead(uint16_t port, unsigned size) {
    uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i) {
        unsigned p = port + i;
        uint32_t b = p == kControlPort ? control_ : p == kStatusPort ? status_ : 0xFF;
        v |= b << (8 * i);
    }
    return v;
}

void ApmControlPort::ioWrite(uint16_t port, unsigned size, uint32_t value) {
    // Status first, so a word write to 0xB2 has stored APMS before the command acts.
    for (unsigned i = 0; i < size; ++i)
        if (port + i == kStatusPort) status_ = static_cast<uint8_t>(value >> (8 * i));
    if (port == kControlPort) {
        control_ = static_cast<uint8_t>(value);
        ++commands;
        if (onCommand_) onCommand_(control_);
    }
}

}  // namespace pvx
