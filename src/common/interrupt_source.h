// The INTR pin between the interrupt controllers (8259 PIC, local APIC) and the CPU. The CPU polls
// pending() at instruction boundaries when IF=1 and calls acknowledge() to run the INTA cycle.
#pragma once
#include <cstdint>

namespace pvx {

class InterruptSource {
public:
    virtual ~InterruptSource() = default;
    virtual bool pending() = 0;
    // The INTA cycle: returns the vector and updates the controller's in-service state.
    virtual uint8_t acknowledge() = 0;
};

}  // namespace pvx
