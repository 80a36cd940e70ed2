// An observer of Machine::run's slice loop (debug/: the GDB stub and the tracer). The machine
// calls it between CPU slices only, so an attached debugger costs nothing inside a slice; it may
// block there while a debugger holds the guest stopped.
#pragma once

namespace pvx {

class RunMonitor {
public:
    virtual ~RunMonitor() = default;
    // Before each CPU slice. Returns false to end the run (the debugger killed the guest).
    virtual bool beforeSlice() = 0;
};

}  // namespace pvx
