// The PC board: owns and wires the CPU, physical memory, the port bus, the devices and the PV
// dispatcher, loads firmware, and runs the main loop (ARCHITECTURE.md "machine/").
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "common/char_backend.h"
#include "common/clock.h"
#include "common/port_bus.h"
#include "common/stats.h"
#include "common/timer_queue.h"
#include "machine/machine_config.h"
#include "machine/run_monitor.h"
#include "mmu/phys_memory.h"

namespace pvx {
namespace cpu {
class Cpu;
}
class DebugConsole;
class DebugExit;
class PcDevices;
class BlockBackend;
class PvPlatform;
namespace pv {
class Dispatcher;
}

// Why the machine stopped; maps onto pvx's exit statuses (ARCHITECTURE.md).
enum class StopReason { PowerOff, DebugExit, TripleFault, InsnLimit, Timeout, HaltedForever, InternalError };

struct RunResult {
    StopReason reason = StopReason::InternalError;
    int exitStatus = 8;
    std::string message;
};

class Machine {
public:
    explicit Machine(const MachineConfig& cfg);
    ~Machine();
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    RunResult run();

    cpu::Cpu& cpu() { return *cpu_; }
    PhysicalMemory& memory() { return *mem_; }
    PcDevices& devices() { return *devices_; }
    PortBus& ports() { return ports_; }
    Stats& stats() { return stats_; }
    Clock& clock() { return *clock_; }
    TimerQueue& timers() { return timers_; }
    uint64_t instructions() const;
    double hostSeconds() const { return hostSeconds_; }
    std::string statsJson();

    // Device hooks.
    void requestPowerOff();
    void requestReset();
    void requestInit();
    void requestExit(int status);
    // A debugger/tracer consulted between CPU slices (null: none). Not owned.
    void setRunMonitor(RunMonitor* m) { monitor_ = m; }

private:
    void buildMemoryMap();
    void loadKernel();
    void registerStats();
    std::unique_ptr<CharBackend> openCharBackend(const std::string& spec, const char* what);

    MachineConfig cfg_;
    std::unique_ptr<PhysicalMemory> mem_;
    PortBus ports_;
    TimerQueue timers_;
    Stats stats_;
    std::unique_ptr<Clock> clock_;
    std::unique_ptr<cpu::Cpu> cpu_;
    std::unique_ptr<CharBackend> serialOut_;
    std::unique_ptr<CharBackend> serial2Out_;
    std::unique_ptr<BlockBackend> disk_;
    std::unique_ptr<PcDevices> devices_;
    std::unique_ptr<PvPlatform> pvPlatform_;
    std::unique_ptr<pv::Dispatcher> pv_;
    std::unique_ptr<CharBackend> debugconOut_;
    std::unique_ptr<DebugConsole> debugcon_;
    std::unique_ptr<CharBackend> firmwareLogOut_;  // --firmware-log: port 0x402
    std::unique_ptr<DebugConsole> firmwareLog_;
    std::unique_ptr<DebugExit> debugExit_;
    RunMonitor* monitor_ = nullptr;
    bool exitRequested_ = false;
    bool powerOff_ = false;
    bool resetRequested_ = false;
    bool initRequested_ = false;
    int exitStatus_ = 0;
    double hostSeconds_ = 0;
};

}  // namespace pvx
