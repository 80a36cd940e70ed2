// An interrupt message on the APIC bus (the system bus on xAPIC parts): what the I/O APIC sends
// to a local APIC for one redirection entry, and what an ICR write sends (SDM Vol.3A 10.6.1;
// Intel 82093AA I/O APIC datasheet 290566, "I/O Redirection Table Registers").
#pragma once
#include <cstdint>

namespace pvx {

// Delivery mode, the 3-bit field at bits 10:8 of LVT entries, the ICR and redirection entries.
enum class ApicDeliveryMode : uint8_t {
    Fixed = 0,
    LowestPriority = 1,
    Smi = 2,
    Reserved3 = 3,
    Nmi = 4,
    Init = 5,
    StartUp = 6,
    ExtInt = 7,
};

struct ApicMessage {
    uint8_t vector = 0;
    ApicDeliveryMode mode = ApicDeliveryMode::Fixed;
    bool logicalDestination = false;  // destination mode: 0 physical (APIC ID), 1 logical (LDR)
    uint8_t destination = 0;          // xAPIC: 8 bits
    bool levelTriggered = false;      // sets the TMR bit; its EOI is broadcast back
};

}  // namespace pvx
