// What the CPU core needs from its local APIC, without the CPU layer linking the devices: the
// IA32_APIC_BASE MSR moves, enables and disables the APIC's register page (SDM Vol.3A 10.4.3,
// 10.4.4), and CR8 is the task-priority class TPR[7:4] (SDM Vol.3A 10.8.6.1). The machine
// connects the board's LocalApic; a CPU without one keeps IA32_APIC_BASE and CR8 as plain state.
#pragma once
#include <cstdint>

namespace pvx {

class LocalApicLink {
public:
    virtual ~LocalApicLink() = default;
    // IA32_APIC_BASE after a WRMSR: bits 35:12 the register page, bit 11 the global enable.
    virtual void apicBaseWritten(uint64_t apicBase) = 0;
    // MOV from/to CR8 in 64-bit mode: CR8[3:0] = TPR[7:4]; a write clears TPR[3:0].
    virtual uint64_t readCr8() = 0;
    virtual void writeCr8(uint64_t value) = 0;
};

}  // namespace pvx
