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
    // The NMI input (SDM Vol.3A 6.7): a latched request taken regardless of IF. Controllers
    // without one (the 8259) keep these defaults.
    virtual bool nmiPending() { return false; }
    virtual void acknowledgeNmi() {}
};

}  // namespace pvx
