#include "pvabi/block_service.h"

#include <cstddef>
#include <limits>

namespace pvx::pv {

static_assert(sizeof(pvx_block_req) == 32);
static_assert(offsetof(pvx_block_req, op) == 0 && offsetof(pvx_block_req, status) == 4 &&
              offsetof(pvx_block_req, lba) == 8 && offsetof(pvx_block_req, buffer) == 16 &&
              offsetof(pvx_block_req, sectors) == 24 && offsetof(pvx_block_req, device) == 28);

EscapeOutcome BlockService::call(uint32_t number, EscapeRegs& r, WorkBudget& budget) {
    switch (number) {
        case PVX_CALL_BLOCK_INFO: return info(r);
        case PVX_CALL_BLOCK_RW: return rw(r, budget);
        case PVX_CALL_BLOCK_FLUSH: return flushCall(r);
    }
    return fail(r, PVX_ENOSYS);
}

// Device numbers are whole 64-bit (or 32-bit) values: 0x1'0000'0000 is not disk 0.
BlockBackend* BlockService::device(uint64_t n) {
    if (n > std::numeric_limits<unsigned>::max()) return nullptr;
    return platform_.disk(static_cast<unsigned>(n));
}

// RBX = device -> sector count.
EscapeOutcome BlockService::info(EscapeRegs& r) {
    BlockBackend* d = device(r.rbx);
    if (!d) return fail(r, PVX_ENODEV);
    return succeed(r, d->sectors());
}

int BlockService::flushDisk(BlockBackend& d) {
    ++flushes;
    if (d.flush()) return 0;
    ++ioErrors;
    return PVX_EIO;
}

// RBX = device -> 0 once everything written before is on stable storage (fdatasync).
EscapeOutcome BlockService::flushCall(EscapeRegs& r) {
    BlockBackend* d = device(r.rbx);
    if (!d) return fail(r, PVX_ENODEV);
    if (int e = flushDisk(*d)) return fail(r, e);
    return succeed(r, 0);
}

EscapeOutcome BlockService::rw(EscapeRegs& r, WorkBudget& budget) {
    if (int e = checkList(mem_, r, sizeof(pvx_block_req))) return fail(r, e);
    return runEntries(r, budget, [&](uint64_t i) { return request(r.rbx + i * sizeof(pvx_block_req), budget); });
}

// One entry: read it from guest RAM (the list may have been rewritten by an earlier entry's READ;
// entries are taken as they are when their turn comes), execute it, and store its status.
EntryResult BlockService::request(uint64_t gpa, WorkBudget& budget) {
    pvx_block_req q;
    if (!mem_.readRam(gpa, &q, sizeof q)) return EntryResult::failed(PVX_EFAULT);  // checkList covered it
    bool deferred = false;
    const int err = execute(q, budget, deferred);
    if (deferred) return EntryResult::deferred();
    ++requests;
    // The status goes in after the data, so a READ whose buffer covers its own entry still
    // leaves the status the guest must see.
    const int32_t status = -err;
    mem_.writeRam(gpa + offsetof(pvx_block_req, status), &status, sizeof status);
    return err ? EntryResult::failed(err) : EntryResult::ok();
}

// Checks, in this order (docs/pvabi.md lists them): op, device, sector count, LBA range,
// read-only disk, buffer in RAM; then the budget; then the transfer.
int BlockService::execute(const pvx_block_req& q, WorkBudget& budget, bool& deferred) {
    if (q.op != PVX_BLOCK_READ && q.op != PVX_BLOCK_WRITE && q.op != PVX_BLOCK_FLUSH) return PVX_EINVAL;
    BlockBackend* d = device(q.device);
    if (!d) return PVX_ENODEV;
    if (q.op == PVX_BLOCK_FLUSH) return flushDisk(*d);

    if (q.sectors == 0) return PVX_EINVAL;
    if (q.sectors > kMaxSectorsPerRequest) return PVX_E2BIG;
    const uint64_t disk = d->sectors();
    if (q.lba > disk || q.sectors > disk - q.lba) return PVX_EINVAL;
    const bool write = q.op == PVX_BLOCK_WRITE;
    if (write && d->readOnly()) return PVX_EPERM;
    const uint64_t bytes = uint64_t{q.sectors} * BlockBackend::kSectorSize;
    if (!mem_.isRamRange(q.buffer, bytes)) return PVX_EFAULT;
    if (!budget.fitsBytes(bytes)) {
        deferred = true;
        return 0;
    }
    budget.chargeBytes(bytes);

    // Through a bounce buffer with the checked accessors: a failed host read leaves guest RAM
    // as it was, and writes into RAM go through PhysicalMemory's code-page tracking.
    bounce_.resize(bytes);
    if (write) {
        if (!mem_.readRam(q.buffer, bounce_.data(), bytes)) return PVX_EFAULT;
        ++writes;
        if (!d->write(q.lba, q.sectors, bounce_.data())) {
            ++ioErrors;
            return PVX_EIO;
        }
        sectorsWritten += q.sectors;
    } else {
        ++reads;
        if (!d->read(q.lba, q.sectors, bounce_.data())) {
            ++ioErrors;
            return PVX_EIO;
        }
        if (!mem_.writeRam(q.buffer, bounce_.data(), bytes)) return PVX_EFAULT;
        sectorsRead += q.sectors;
    }
    return 0;
}

void BlockService::registerOwnStats(Stats& s, const std::string& prefix) const {
    s.counter(prefix + "requests", &requests);
    s.counter(prefix + "reads", &reads);
    s.counter(prefix + "writes", &writes);
    s.counter(prefix + "flushes", &flushes);
    s.counter(prefix + "sectors_read", &sectorsRead);
    s.counter(prefix + "sectors_written", &sectorsWritten);
    s.counter(prefix + "io_errors", &ioErrors);
}

}  // namespace pvx::pv
