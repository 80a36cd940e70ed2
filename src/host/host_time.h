// Host time: the only place pvx reads the host's clocks.
#pragma once
#include <cstdint>

namespace pvx::host {
uint64_t monotonicNs();
uint64_t wallClockNs();  // since the Unix epoch
void sleepNs(uint64_t ns);
uint64_t processCpuNs();  // CPU time (user + system) of this process
}  // namespace pvx::host
