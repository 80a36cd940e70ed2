// pvx: a full-system x86-64 PC emulator with a paravirtual escape.
#include <cstdio>
#include <exception>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "app/bench/bench_command.h"
#include "app/cli.h"
#include "app/display/display_refresh.h"
#include "app/display/png_writer.h"
#include "devices/vga/vga_renderer.h"
#include "machine/pc_devices.h"
#include "common/log.h"
#include "debug/debug_hub.h"
#include "host/terminal.h"
#include "machine/machine.h"

int main(int argc, char** argv) {
    using namespace pvx;
    std::vector<std::string> args(argv, argv + argc);
    if (args.size() >= 2 && args[1] == "bench")
        return bench::runBenchCommand(std::vector<std::string>(args.begin() + 2, args.end()), args[0]);
    CliResult cli = parseCommandLine(args);
    switch (cli.action) {
        case CliResult::Action::Help: std::fputs(cli.text.c_str(), stdout); return 0;
        case CliResult::Action::Version: std::puts("pvx " PVX_VERSION); return 0;
        case CliResult::Action::Error: logError("%s", cli.text.c_str()); return kExitUsage;
        case CliResult::Action::Run: break;
    }
    try {
        Machine machine(cli.config);
        std::string debugErr;
        std::unique_ptr<debug::DebugHub> debugHub = debug::DebugHub::create(machine, cli.debug, debugErr);
        if (!debugErr.empty()) {
            host::terminalRestore();
            logError("%s", debugErr.c_str());
            return kExitUsage;
        }
        std::unique_ptr<DisplayRefresh> display;
        if (cli.display == "sdl") {
            std::string err;
            std::unique_ptr<Display> sdl = createSdlDisplay(err);
            if (!sdl) {
                host::terminalRestore();
                logError("%s", err.c_str());
                return kExitUsage;
            }
            display = std::make_unique<DisplayRefresh>(machine, std::move(sdl));
        }
        RunResult r = machine.run();
        display.reset();  // the window closes when the run ends
        if (debugHub) {
            debugHub->machineExited(r.exitStatus);
            debugHub.reset();  // flushes the trace before the exit message
        }
        host::terminalRestore();
        std::fflush(stdout);
        if (!r.message.empty()) logError("%s", r.message.c_str());
        if (!cli.screenshot.empty()) {
            VgaFrame frame;
            renderVga(machine.devices().vga(), frame);
            if (std::string err = writePng(cli.screenshot, frame); !err.empty()) {
                logError("--screenshot: %s", err.c_str());
                return kExitUsage;
            }
        }
        if (!cli.config.statsPath.empty()) {
            std::string json = machine.statsJson() + "\n";
            if (cli.config.statsPath == "-") {
                std::fputs(json.c_str(), stderr);
            } else {
                std::ofstream f(cli.config.statsPath);
                if (!f) {
                    logError("--stats: cannot write '%s'", cli.config.statsPath.c_str());
                    return kExitUsage;
                }
                f << json;
            }
        }
        return r.exitStatus;
    } catch (const std::bad_alloc&) {
        host::terminalRestore();
        logError("cannot allocate %llu MiB of guest RAM (-m)", static_cast<unsigned long long>(cli.config.memoryMiB));
        return kExitUsage;
    } catch (const std::exception& e) {
        host::terminalRestore();
        logError("%s", e.what());
        return kExitUsage;
    }
}
