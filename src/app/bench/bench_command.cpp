#include "app/bench/bench_command.h"

#include <boost/program_options.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "app/bench/bench_recorder.h"
#include "app/bench/bench_report.h"
#include "common/log.h"
#include "cpu/cpu.h"
#include "host/host_time.h"
#include "machine/machine.h"
#include "machine/multiboot_loader.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace pvx::bench {

namespace {
// The bundled guests live next to the pvx binary in the build tree.
std::string defaultGuest(const std::string& selfPath, const std::string& suite) {
    fs::path dir = fs::path(selfPath).parent_path();
    return (suite == "cpu" ? dir / "bench" / "cpubench.elf" : dir / "guest-drivers" / "bench.elf").string();
}
}  // namespace

int runBenchCommand(const std::vector<std::string>& args, const std::string& selfPath) {
    std::string jsonPath, chartPath, guest, extra, suite = "pv";
    unsigned diskMiB = 16;
    po::options_description opts("pvx bench [options] -- the bundled PV-vs-emulated benchmark");
    opts.add_options()
        ("help,h", "show this help")
        ("json", po::value<std::string>(&jsonPath), "write the results as JSON to FILE")
        ("chart", po::value<std::string>(&chartPath), "write an SVG bar chart to FILE")
        ("suite", po::value<std::string>(&suite)->default_value("pv"), "pv: PV vs emulated devices; cpu: interpreter speed loops")
        ("guest", po::value<std::string>(&guest), "benchmark guest (Multiboot ELF; default: the bundled one for the suite)")
        ("disk-mib", po::value<unsigned>(&diskMiB)->default_value(16), "size of the block workloads' disk region")
        ("append", po::value<std::string>(&extra), "extra guest command-line arguments");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        logError("bench: %s", e.what());
        return 2;
    }
    if (vm.count("help")) {
        std::ostringstream os;
        os << opts;
        std::fputs(os.str().c_str(), stdout);
        return 0;
    }
    if (suite != "pv" && suite != "cpu") {
        logError("bench: --suite: expected 'pv' or 'cpu', got '%s'", suite.c_str());
        return 2;
    }
    if (guest.empty()) guest = defaultGuest(selfPath, suite);
    if (diskMiB == 0 || diskMiB > 4096) {
        logError("bench: --disk-mib must be between 1 and 4096");
        return 2;
    }

    MachineConfig cfg;
    {
        std::ifstream f(guest, std::ios::binary);
        if (!f) {
            logError("bench: cannot open the benchmark guest '%s' (build it, or pass --guest)", guest.c_str());
            return 2;
        }
        cfg.kernel.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
        if (!isMultiboot(cfg.kernel)) {
            logError("bench: '%s' is not a Multiboot kernel", guest.c_str());
            return 2;
        }
    }
    // A scratch disk: the block workloads write to it.
    fs::path disk = fs::temp_directory_path() / ("pvx-bench-" + std::to_string(host::monotonicNs()) + ".img");
    {
        std::ofstream d(disk, std::ios::binary);
        d.seekp(static_cast<std::streamoff>((uint64_t{diskMiB} + 4) << 20) - 1);
        d.put(0);
        if (!d) {
            logError("bench: cannot create scratch disk %s", disk.string().c_str());
            return 8;
        }
    }
    cfg.kernelPath = guest;
    cfg.append = "disk=" + std::to_string(diskMiB) + (extra.empty() ? "" : " " + extra);
    cfg.memoryMiB = 512;
    cfg.diskPath = disk.string();
    cfg.diskVirtio = true;     // the same image as virtio-blk too (if=all): the virtio column
    cfg.virtioConsole = true;  // virtio-console on the same (null) serial backend
    cfg.serial = "none";
    cfg.debugExit = true;
    cfg.pvEnabled = true;

    int status = 0;
    std::vector<Row> rows;
    try {
        Machine* mp = nullptr;
        uint64_t start = host::monotonicNs();
        auto recorder = std::make_shared<Recorder>(
            [&]() {
                Counters c;
                c.hostNs = host::monotonicNs() - start;
                c.instructions = mp->instructions();
                c.pio = mp->ports().accesses();
                c.mmio = mp->memory().mmioAccesses;
                c.pv = mp->cpu().stats.escapes;
                return c;
            },
            nullptr);
        cfg.debugconBackend = recorder;
        Machine m(cfg);
        mp = &m;
        RunResult r = m.run();
        rows = recorder->rows();
        for (const std::string& f : recorder->failures()) logError("bench: guest reported: %s", f.c_str());
        if (!recorder->done() || !recorder->failures().empty() || r.exitStatus != 1) {
            logError("bench: the guest did not finish cleanly (exit status %d%s%s)", r.exitStatus,
                     r.message.empty() ? "" : ": ", r.message.c_str());
            status = 8;
        }
    } catch (const std::exception& e) {
        logError("bench: %s", e.what());
        status = 8;
    }
    fs::remove(disk);
    std::fputs(formatTable(rows).c_str(), stdout);
    if (!jsonPath.empty()) std::ofstream(jsonPath) << toJson(rows, PVX_VERSION);
    if (!chartPath.empty()) std::ofstream(chartPath) << toSvg(rows);
    return status;
}

}  // namespace pvx::bench
