// `pvx bench`: boots the bundled benchmark guest (guest-drivers/bench) with a scratch disk, lets
// it run every workload through every path, and reports what pvx measured for each phase.
#pragma once
#include <string>
#include <vector>

namespace pvx::bench {

// Returns the process exit status (0 success, 2 bad usage/input, 8 the run failed).
int runBenchCommand(const std::vector<std::string>& args, const std::string& selfPath);

}  // namespace pvx::bench
