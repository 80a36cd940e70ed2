#include "app/bench/bench_recorder.h"

#include <sstream>

namespace pvx::bench {

void Recorder::write(const uint8_t* data, size_t len) {
    for (size_t k = 0; k < len; ++k) {
        char ch = static_cast<char>(data[k]);
        if (cur_.empty() && ch == '@') {
            atLineStart_ = snapshot_();
            if (atLineStart_.pio) --atLineStart_.pio;  // this '@' byte's own port write
        }
        if (ch == '\n') {
            line(cur_);
            cur_.clear();
        } else if (cur_.size() < 512) {
            cur_ += ch;
        }
    }
    if (echo_) echo_->write(data, len);
}

void Recorder::line(const std::string& l) {
    if (l.rfind("@bench ", 0) != 0) return;
    std::istringstream in(l.substr(7));
    std::string verb;
    in >> verb;
    if (verb == "begin") {
        Row r;
        in >> r.workload >> r.path >> r.ops >> r.bytes;
        if (!in || r.workload.empty()) {
            failures_.push_back("malformed marker: " + l);
            return;
        }
        pending_ = r;
        inPhase_ = true;
        begin_ = snapshot_();  // after the whole begin line
    } else if (verb == "end") {
        if (!inPhase_) {
            failures_.push_back("end marker without begin");
            return;
        }
        const Counters& e = atLineStart_;
        Row r = pending_;
        r.hostSeconds = static_cast<double>(e.hostNs - begin_.hostNs) / 1e9;
        r.instructions = e.instructions - begin_.instructions;
        r.pio = e.pio - begin_.pio;
        r.mmio = e.mmio - begin_.mmio;
        r.pv = e.pv - begin_.pv;
        rows_.push_back(r);
        inPhase_ = false;
    } else if (verb == "done") {
        done_ = true;
    } else if (verb == "fail") {
        failures_.push_back(l);
    }
}

}  // namespace pvx::bench
