// BLOCK: the PV twin of the ATA primary master (PIO and DMA). Both use the machine's one
// BlockBackend per disk image, so a comparison measures the path (one escape per request list vs.
// task-file port writes, a data port read per word or a PRD table, and an IRQ per command), not
// the storage.
#pragma once
#include <vector>

#include "pvabi/platform.h"
#include "pvabi/service.h"

namespace pvx::pv {

class BlockService final : public Service {
public:
    // Largest READ/WRITE entry: one work budget of data (2048 sectors = 1 MiB); more is -PVX_E2BIG.
    static constexpr uint32_t kMaxSectorsPerRequest =
        static_cast<uint32_t>(WorkLimits::kBytes / BlockBackend::kSectorSize);

    BlockService(PhysicalMemory& mem, Platform& platform) : mem_(mem), platform_(platform) {}
    EscapeOutcome call(uint32_t number, EscapeRegs& r, WorkBudget& budget) override;

    uint64_t requests = 0;  // list entries processed (including failed ones)
    uint64_t reads = 0, writes = 0, flushes = 0;
    uint64_t sectorsRead = 0, sectorsWritten = 0;
    uint64_t ioErrors = 0;  // the host backend failed (-PVX_EIO)

protected:
    void registerOwnStats(Stats& s, const std::string& prefix) const override;

private:
    BlockBackend* device(uint64_t n);
    EscapeOutcome info(EscapeRegs& r);
    EscapeOutcome flushCall(EscapeRegs& r);
    EscapeOutcome rw(EscapeRegs& r, WorkBudget& budget);
    EntryResult request(uint64_t gpa, WorkBudget& budget);
    // 0 or a PVX_E* value; sets `deferred` (and touches nothing) when the data does not fit the
    // remaining work budget.
    int execute(const pvx_block_req& q, WorkBudget& budget, bool& deferred);
    int flushDisk(BlockBackend& d);

    PhysicalMemory& mem_;
    Platform& platform_;
    std::vector<uint8_t> bounce_;
};

}  // namespace pvx::pv
