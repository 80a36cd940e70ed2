#include "machine/pv_platform.h"

#include "cpu/cpu.h"

namespace pvx {

PvPlatform::PvPlatform(cpu::Cpu& cpu, Clock& clock, TimerQueue& timers, CharBackend* console, BlockBackend* disk0,
                       uint64_t wallEpochNs, Hooks hooks)
    : cpu_(cpu), clock_(clock), timers_(timers), console_(console), disk0_(disk0), epochNs_(wallEpochNs),
      hooks_(std::move(hooks)) {
    // SCHED_HALT_UNTIL: the deadline wakes the CPU like an interrupt would.
    wake_ = timers_.create("pv-halt-until", [this](uint64_t) {
        cpu_.halted = false;
        cpu_.kick();
    });
}

void PvPlatform::invalidatePage(uint64_t linear) { cpu_.invalidatePage(linear); }

void PvPlatform::flushTlb() { cpu_.tlb.flushNonGlobal(); }

void PvPlatform::haltUntil(uint64_t ns) {
    if (ns <= clock_.nowNs()) return;
    timers_.arm(wake_, ns);
    cpu_.halt();
}

}  // namespace pvx
