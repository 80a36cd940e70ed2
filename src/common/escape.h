// The PV escape as the CPU hands it to whoever services it (machine/ connects pvabi/ here). The
// CPU knows nothing about services: it packs the argument registers, calls the handler, and
// writes RAX back. See docs/pvabi.md for the guest-facing contract.
#pragma once
#include <cstdint>

namespace pvx {

struct EscapeRegs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, r8;
    bool fromDoorbell;  // the I/O-port doorbell (32-bit registers) rather than VMCALL/VMMCALL
    unsigned cpl;
};

enum class EscapeOutcome {
    Done,      // RAX holds the result; the instruction completes
    Continue,  // work budget exhausted: RAX/registers updated, RIP not advanced, re-execute
    Undefined  // not a PV call this machine serves: the instruction raises #UD
};

class EscapeHandler {
public:
    virtual ~EscapeHandler() = default;
    // May modify any of the argument registers (continuations update the start index).
    virtual EscapeOutcome escape(EscapeRegs& regs) = 0;
};

}  // namespace pvx
