// What the PV services need from the machine, and nothing more. machine/ implements it over the
// real board (the same backends the emulated UART and ATA disk use, the CPU's TLB, the clock);
// the unit tests implement it with a fake. pvabi/ never sees the CPU or a device: this interface
// is the whole coupling (ARCHITECTURE.md, layers).
#pragma once
#include <cstdint>

#include "common/block_backend.h"
#include "common/char_backend.h"
#include "pvx/abi.h"

namespace pvx::pv {

class Platform {
public:
    virtual ~Platform() = default;

    // The character sink shared with COM1; null = no console (calls return -PVX_ENODEV).
    virtual CharBackend* console() = 0;
    // Disk `n` (0 = ATA primary master), or null when the machine has no such disk.
    virtual BlockBackend* disk(unsigned n) = 0;

    // Machine clock in nanoseconds (the TSC reads the same value).
    virtual uint64_t clockNs() = 0;
    // Nanoseconds since 1970-01-01 UTC at machine clock 0.
    virtual uint64_t wallClockEpochNs() = 0;

    // INVLPG of one linear address / a flush of every non-global translation (MOV CR3 semantics).
    virtual void invalidatePage(uint64_t linear) = 0;
    virtual void flushTlb() = 0;

    // Requests, taking effect after the escape instruction completes: halt the CPU until the
    // machine clock reaches `clockNs` or an interrupt arrives (as HLT does); power off (pvx exits
    // with status 0); reset the machine.
    virtual void haltUntil(uint64_t clockNs) = 0;
    virtual void powerOff() = 0;
    virtual void reset() = 0;

    // The emulator's counters for INFO_STATS. `s` arrives zeroed.
    virtual void fillStats(pvx_stats& s) = 0;
};

}  // namespace pvx::pv
