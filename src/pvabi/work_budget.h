// The work budget of one escape. A list call that would do more than this in one escape stops
// between entries and returns EscapeOutcome::Continue with RDX = the next index; the CPU does not
// advance RIP, so pending interrupts are delivered and the guest re-executes the same VMCALL,
// which carries on where it stopped (the Hyper-V "rep" continuation, ANCHORS.md 2.4). The limits
// are counts of work, not host time, so a run is deterministic. docs/pvabi.md, "Work budget".
#pragma once
#include <cstdint>

namespace pvx::pv {

struct WorkLimits {
    static constexpr uint64_t kEntries = 256;     // list entries per escape
    static constexpr uint64_t kBytes = 1u << 20;  // data bytes moved per escape (block I/O)
    static constexpr uint64_t kPages = 256;       // 4 KiB pages zeroed or copied per escape
};

class WorkBudget {
public:
    // Nothing has been done in this escape yet: the next entry runs whatever it costs, so every
    // escape makes progress.
    bool fresh() const { return entries_ == 0 && bytes_ == 0 && pages_ == 0; }
    bool exhausted() const {
        return entries_ >= WorkLimits::kEntries || bytes_ >= WorkLimits::kBytes || pages_ >= WorkLimits::kPages;
    }
    // Whether an entry moving `n` more bytes fits (always true for the first work of an escape).
    bool fitsBytes(uint64_t n) const { return fresh() || (bytes_ <= WorkLimits::kBytes && n <= WorkLimits::kBytes - bytes_); }

    void chargeEntry() { ++entries_; }
    void chargeBytes(uint64_t n) { bytes_ += n; }
    void chargePages(uint64_t n) { pages_ += n; }

    uint64_t entries() const { return entries_; }
    uint64_t bytes() const { return bytes_; }
    uint64_t pages() const { return pages_; }

private:
    uint64_t entries_ = 0, bytes_ = 0, pages_ = 0;
};

}  // namespace pvx::pv
