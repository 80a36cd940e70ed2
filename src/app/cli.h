// The pvx command line (Boost.Program_options), exactly the flags and exit statuses of
// ARCHITECTURE.md that are implemented: --help lists only what works.
#pragma once
#include <string>
#include <vector>

#include "debug/debug_options.h"
#include "machine/machine_config.h"

namespace pvx {

enum ExitStatus : int {
    kExitPowerOff = 0,
    kExitUsage = 2,
    kExitTripleFault = 4,
    kExitLimit = 6,
    kExitInternal = 8,
};

struct CliResult {
    enum class Action { Run, Help, Version, Error } action = Action::Run;
    MachineConfig config;
    debug::DebugOptions debug;  // --gdb, --gdb-wait, --trace*
    std::string display = "none";  // --display none|sdl
    std::string screenshot;        // --screenshot FILE.png: the screen at exit
    std::string text;  // help text, or the one-line error
};

CliResult parseCommandLine(const std::vector<std::string>& args);

}  // namespace pvx
