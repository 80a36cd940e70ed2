// --trace: one line per event, written to --trace-file (default stderr). Categories:
//   insn  icount, mode, linear address, bytes, Intel-syntax disassembly and changed registers
//   io    port accesses       mmio  CPU accesses to MMIO regions     pv  escape calls
//   irq   interrupts taken     exc   exceptions                       mmu #PF walks, TLB flushes
// Every line starts with its category and the instruction count, so a window
// (--trace-after/--trace-count) and an address filter (--trace-range, insn lines) keep a Linux
// boot trace usable. Nothing here runs unless tracing is on: the port bus hook and the CPU's
// DebugHooks pointer are null otherwise, and insn/mmu tracing uses the CPU's stepped path.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>

#include "debug/trace_options.h"

namespace pvx {
class Machine;
namespace cpu {
class Cpu;
struct DecodedInsn;
}  // namespace cpu
}  // namespace pvx

namespace pvx::debug {

class Tracer {
public:
    // `out` is not owned.
    Tracer(Machine& m, const TraceOptions& o, std::FILE* out);
    ~Tracer();
    Tracer(const Tracer&) = delete;
    Tracer& operator=(const Tracer&) = delete;

    bool wantsStep() const;
    void beforeInsn(cpu::Cpu& c, const cpu::DecodedInsn& i, uint64_t lin);
    void afterInsn(cpu::Cpu& c, const cpu::DecodedInsn& i, uint64_t lin);
    void exception(cpu::Cpu& c, uint8_t vector, bool hasError, uint32_t error);
    void interrupt(cpu::Cpu& c, uint8_t vector, bool nmi);
    void pageFault(cpu::Cpu& c, uint64_t lin, uint32_t error);
    void physAccess(cpu::Cpu& c, uint64_t paddr, unsigned size, uint64_t value, bool write);
    void escapeCall(cpu::Cpu& c, uint64_t call, uint64_t result, int outcome);

private:
    static void ioHook(void* self, bool write, uint16_t port, unsigned size, uint32_t value);
    bool on(unsigned cat) const { return opts_.categories & cat; }
    bool inWindow(uint64_t icount) const {
        return icount >= opts_.after && (opts_.count == 0 || icount - opts_.after < opts_.count);
    }
    void flushPendingInsn(const char* suffix);
    [[gnu::format(printf, 2, 3)]] void event(const char* fmt, ...);

    Machine& m_;
    TraceOptions opts_;
    std::FILE* out_;
    // The instruction being traced: its line so far and the registers before it.
    bool pending_ = false;
    std::string line_;
    std::string deferred_;  // event lines raised by the pending instruction
    uint64_t gpr_[16] = {};
    uint32_t flags_ = 0;
    uint16_t sel_[6] = {};
    uint64_t cr_[5] = {};  // cr0, cr2, cr3, cr4, efer
    uint64_t flushes_ = 0, pageFlushes_ = 0;
};

}  // namespace pvx::debug
