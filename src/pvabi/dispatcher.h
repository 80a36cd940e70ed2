// The PV escape dispatcher: decodes the call number in RAX and runs the service. Every service
// validates its guest-physical ranges through PhysicalMemory's checked accessors, so a bad call
// returns an error and changes nothing (docs/pvabi.md).
#pragma once
#include <cstdint>
#include <map>

#include "common/escape.h"
#include "mmu/phys_memory.h"

namespace pvx::pv {

class Dispatcher final : public EscapeHandler {
public:
    explicit Dispatcher(PhysicalMemory& mem) : mem_(mem) {}
    EscapeOutcome escape(EscapeRegs& regs) override;

    uint32_t features() const;
    // Calls by number (stats: pv_by_call).
    const std::map<uint32_t, uint64_t>& callCounts() const { return calls_; }
    uint64_t total = 0;

private:
    PhysicalMemory& mem_;
    std::map<uint32_t, uint64_t> calls_;
};

}  // namespace pvx::pv
