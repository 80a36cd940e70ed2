#include "app/bench/bench_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "common/json_writer.h"

namespace pvx::bench {

namespace {
double nsPerOp(const Row& r) { return r.ops ? r.hostSeconds * 1e9 / static_cast<double>(r.ops) : 0; }
double perOp(uint64_t v, const Row& r) { return r.ops ? static_cast<double>(v) / static_cast<double>(r.ops) : 0; }

// Workloads in first-seen order.
std::vector<std::string> workloads(const std::vector<Row>& rows) {
    std::vector<std::string> w;
    for (const Row& r : rows)
        if (std::find(w.begin(), w.end(), r.workload) == w.end()) w.push_back(r.workload);
    return w;
}
}  // namespace

std::string formatTable(const std::vector<Row>& rows) {
    std::string out;
    char buf[256];
    for (const std::string& w : workloads(rows)) {
        const Row* pv = nullptr;
        for (const Row& r : rows)
            if (r.workload == w && r.path == "pv") pv = &r;
        std::snprintf(buf, sizeof buf, "\n%s\n  %-9s %10s %12s %10s %9s %10s %10s %8s %8s\n", w.c_str(), "path", "host ms",
                      "ns/op", "MB/s", "MIPS", "insns/op", "pio/op", "mmio/op", "pv/op");
        out += buf;
        for (const Row& r : rows) {
            if (r.workload != w) continue;
            double mbs = r.hostSeconds > 0 && r.bytes ? static_cast<double>(r.bytes) / r.hostSeconds / 1e6 : 0;
            double mips = r.hostSeconds > 0 ? static_cast<double>(r.instructions) / r.hostSeconds / 1e6 : 0;
            std::snprintf(buf, sizeof buf, "  %-9s %10.2f %12.1f %10.1f %9.1f %10.1f %10.2f %8.2f %8.3f", r.path.c_str(),
                          r.hostSeconds * 1e3, nsPerOp(r), mbs, mips, perOp(r.instructions, r), perOp(r.pio, r),
                          perOp(r.mmio, r), perOp(r.pv, r));
            out += buf;
            if (pv && &r != pv && pv->hostSeconds > 0 && nsPerOp(*pv) > 0) {
                std::snprintf(buf, sizeof buf, "   (pv %.1fx faster)", nsPerOp(r) / nsPerOp(*pv));
                out += buf;
            }
            out += '\n';
        }
    }
    return out;
}

std::string toJson(const std::vector<Row>& rows, const std::string& version) {
    JsonWriter w;
    w.beginObject();
    w.key("pvx_version");
    w.value(version);
    w.key("results");
    w.beginArray();
    for (const Row& r : rows) {
        w.beginObject();
        w.key("workload"); w.value(r.workload);
        w.key("path"); w.value(r.path);
        w.key("ops"); w.value(r.ops);
        w.key("bytes"); w.value(r.bytes);
        w.key("host_seconds"); w.value(r.hostSeconds);
        w.key("guest_instructions"); w.value(r.instructions);
        w.key("exits");
        w.beginObject();
        w.key("pio"); w.value(r.pio);
        w.key("mmio"); w.value(r.mmio);
        w.key("pv"); w.value(r.pv);
        w.endObject();
        w.endObject();
    }
    w.endArray();
    w.endObject();
    return w.str() + "\n";
}

std::string toSvg(const std::vector<Row>& rows) {
    // One group of horizontal bars per workload: ns/op on a log10 axis (paths differ by orders
    // of magnitude).
    const int barH = 16, gap = 6, groupGap = 18, left = 230, width = 520;
    double maxNs = 1;
    for (const Row& r : rows) maxNs = std::max(maxNs, nsPerOp(r));
    const double logMax = std::ceil(std::log10(maxNs));
    std::string body;
    int y = 40;
    char buf[512];
    for (const std::string& w : workloads(rows)) {
        std::snprintf(buf, sizeof buf, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>\n", y + 12, jsonEscape(w).c_str());
        body += buf;
        y += barH + gap;
        for (const Row& r : rows) {
            if (r.workload != w) continue;
            double v = std::max(1.0, nsPerOp(r));
            double len = std::log10(v) / logMax * width;
            const char* color = r.path == "pv" ? "#2a9d8f" : "#e76f51";
            std::snprintf(buf, sizeof buf,
                          "<text x=\"30\" y=\"%d\">%s</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                          "<text x=\"%.1f\" y=\"%d\">%.0f ns/op</text>\n",
                          y + 12, jsonEscape(r.path).c_str(), left, y, len, barH, color, left + len + 6, y + 12, nsPerOp(r));
            body += buf;
            y += barH + gap;
        }
        y += groupGap;
    }
    std::snprintf(buf, sizeof buf,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n"
                  "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
                  "<text x=\"10\" y=\"20\" font-size=\"14\">pvx bench: host ns per operation (log scale; shorter is faster)</text>\n",
                  left + width + 120, y + 10);
    return std::string(buf) + body + "</svg>\n";
}

}  // namespace pvx::bench
