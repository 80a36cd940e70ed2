// Connects the GDB stub and the tracer to the machine: it is the CPU's one DebugHooks pointer
// (fanning each hook out to whichever of the two is present) and the machine's RunMonitor
// (the stub's socket work between CPU slices). Created only when --gdb or --trace is given, so
// without them the CPU's pointer stays null.
#pragma once
#include <cstdio>
#include <memory>
#include <string>

#include "cpu/debug_hooks.h"
#include "debug/debug_options.h"
#include "machine/run_monitor.h"

namespace pvx {
class Machine;
}

namespace pvx::debug {

class GdbStub;
class Tracer;

class DebugHub final : public cpu::DebugHooks, public RunMonitor {
public:
    // Null (with `err` empty) when `o` asks for nothing; null with `err` set on failure.
    static std::unique_ptr<DebugHub> create(Machine& m, const DebugOptions& o, std::string& err);
    ~DebugHub() override;

    // The run ended with exit status `status`: tell an attached debugger.
    void machineExited(int status);

    // RunMonitor
    bool beforeSlice() override;

    // cpu::DebugHooks
    bool beforeInsn(cpu::Cpu& c, const cpu::DecodedInsn& i, uint64_t linearRip) override;
    void afterInsn(cpu::Cpu& c, const cpu::DecodedInsn& i, uint64_t linearRip) override;
    void exception(cpu::Cpu& c, uint8_t vector, bool hasError, uint32_t error) override;
    void interrupt(cpu::Cpu& c, uint8_t vector, bool nmi) override;
    void pageFault(cpu::Cpu& c, uint64_t lin, uint32_t error) override;
    bool watchesPage(uint64_t lin) const override;
    void dataAccess(cpu::Cpu& c, uint64_t lin, unsigned size, bool write) override;
    void physAccess(cpu::Cpu& c, uint64_t paddr, unsigned size, uint64_t value, bool write) override;
    void escapeCall(cpu::Cpu& c, uint64_t call, uint64_t result, int outcome) override;

private:
    explicit DebugHub(Machine& m);
    void refresh();

    Machine& m_;
    std::unique_ptr<GdbStub> stub_;
    std::unique_ptr<Tracer> tracer_;
    std::FILE* traceFile_ = nullptr;  // owned when not stderr
    uint64_t watchGen_ = 0;
};

}  // namespace pvx::debug
