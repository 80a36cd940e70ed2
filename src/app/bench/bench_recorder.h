// Parses the benchmark guest's phase markers on the port 0xE9 debug console and snapshots pvx's
// own counters at each one, so phases are measured by the host, not by guest clocks:
//     @bench begin <workload> <path> <ops> <bytes>\n   ...work...   @bench end\n
// The end snapshot is taken at the '@' of the end line, and the one port write of that byte is
// subtracted, so a phase's exits are the workload's own (guest-drivers/README.md).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/char_backend.h"

namespace pvx::bench {

struct Counters {
    uint64_t hostNs = 0, instructions = 0, pio = 0, mmio = 0, pv = 0;
};

struct Row {
    std::string workload, path;
    uint64_t ops = 0, bytes = 0;
    double hostSeconds = 0;
    uint64_t instructions = 0, pio = 0, mmio = 0, pv = 0;
};

class Recorder final : public CharBackend {
public:
    Recorder(std::function<Counters()> snapshot, CharBackend* echo) : snapshot_(std::move(snapshot)), echo_(echo) {}
    void write(const uint8_t* data, size_t len) override;

    const std::vector<Row>& rows() const { return rows_; }
    bool done() const { return done_; }
    const std::vector<std::string>& failures() const { return failures_; }

private:
    void line(const std::string& l);
    std::function<Counters()> snapshot_;
    CharBackend* echo_;
    std::string cur_;
    Counters atLineStart_;
    bool inPhase_ = false;
    Row pending_;
    Counters begin_;
    std::vector<Row> rows_;
    std::vector<std::string> failures_;
    bool done_ = false;
};

}  // namespace pvx::bench
