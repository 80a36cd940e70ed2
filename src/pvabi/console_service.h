// CONSOLE: the PV twin of the COM1 16550 UART. Both write to the machine's one CharBackend, so a
// comparison measures the path (one escape per buffer vs. one port write per byte plus LSR
// polls), not the sink.
#pragma once
#include <vector>

#include "pvabi/platform.h"
#include "pvabi/service.h"

namespace pvx::pv {

class ConsoleService final : public Service {
public:
    static constexpr uint64_t kMaxBytes = 64 * 1024;  // per WRITE or READ call

    ConsoleService(PhysicalMemory& mem, Platform& platform) : mem_(mem), platform_(platform) {}
    EscapeOutcome call(uint32_t number, EscapeRegs& r, WorkBudget& budget) override;

    uint64_t bytesWritten = 0, bytesRead = 0;

protected:
    void registerOwnStats(Stats& s, const std::string& prefix) const override;

private:
    EscapeOutcome write(EscapeRegs& r);
    EscapeOutcome read(EscapeRegs& r);

    PhysicalMemory& mem_;
    Platform& platform_;
    std::vector<uint8_t> buf_;
};

}  // namespace pvx::pv
