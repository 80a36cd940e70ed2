// Presents benchmark rows: a text table per workload with PV speed-ups, the JSON document other
// tools read (ARCHITECTURE.md "pvx bench --json"), and an SVG bar chart.
#pragma once
#include <string>
#include <vector>

#include "app/bench/bench_recorder.h"

namespace pvx::bench {

std::string formatTable(const std::vector<Row>& rows);
std::string toJson(const std::vector<Row>& rows, const std::string& version);
std::string toSvg(const std::vector<Row>& rows);

}  // namespace pvx::bench
