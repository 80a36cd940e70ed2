// What the CPU tells a debugger or tracer (debug/: the GDB stub and --trace). The CPU holds one
// pointer to this interface, null unless a debugger or tracer is attached, and calls it only on
// paths that are already slow: the stepped path (taken per instruction only while `stepAll` is
// set, folded into the TF/DR7 test of the run loop), exception and interrupt delivery, the TLB
// slow path and the escape. With the pointer null the fast loop is unchanged.
#pragma once
#include <cstdint>

namespace pvx::cpu {

class Cpu;
struct DecodedInsn;

class DebugHooks {
public:
    virtual ~DebugHooks() = default;

    // Set while the hooks want beforeInsn/afterInsn for every instruction (breakpoints,
    // single-step, instruction tracing). Read by the run loop once per trace.
    bool stepAll = false;
    // Set while watchpoints exist: the TLB sends accesses to watchesPage() pages through the
    // slow path, which reports them to dataAccess().
    bool watching = false;

    // Before `i` at linear address `linearRip` executes. Returning true stops the CPU before it
    // (Cpu::run returns Stop::Event with RIP still on the instruction).
    virtual bool beforeInsn(Cpu& c, const DecodedInsn& i, uint64_t linearRip) = 0;
    // After `i` completed (not called when it faulted).
    virtual void afterInsn(Cpu& c, const DecodedInsn& i, uint64_t linearRip) = 0;
    // An exception is about to be delivered (fault or trap raised by an instruction).
    virtual void exception(Cpu& c, uint8_t vector, bool hasError, uint32_t error) = 0;
    // An external interrupt (or NMI) is about to be delivered.
    virtual void interrupt(Cpu& c, uint8_t vector, bool nmi) = 0;
    // A page walk faulted (SDM Vol.3A 4.7 error code) for linear address `lin`.
    virtual void pageFault(Cpu& c, uint64_t lin, uint32_t error) = 0;
    // Watchpoints: does a data access to the page of `lin` need reporting?
    virtual bool watchesPage(uint64_t lin) const = 0;
    // A data access through the TLB slow path (only called while `watching`).
    virtual void dataAccess(Cpu& c, uint64_t lin, unsigned size, bool write) = 0;
    // An access that reached PhysicalMemory::read/write from the CPU slow path (MMIO, ROM,
    // unmapped space, code pages).
    virtual void physAccess(Cpu& c, uint64_t paddr, unsigned size, uint64_t value, bool write) = 0;
    // A PV escape returned (call number in, result out; `outcome` is an EscapeOutcome).
    virtual void escapeCall(Cpu& c, uint64_t call, uint64_t result, int outcome) = 0;
};

}  // namespace pvx::cpu
