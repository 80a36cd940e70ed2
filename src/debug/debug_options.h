// The debugging and tracing part of the command line (app/cli.cpp fills it).
#pragma once
#include <cstdint>

#include "debug/trace_options.h"

namespace pvx::debug {

struct DebugOptions {
    int gdbPort = -1;        // -1: no stub; 0: any free port (printed on stderr)
    bool gdbWait = false;    // stop before the first instruction until gdb attaches
    TraceOptions trace;
    bool any() const { return gdbPort >= 0 || trace.categories; }
};

}  // namespace pvx::debug
