#include "app/cli.h"

#include <boost/program_options.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "machine/firmware_loader.h"
#include "machine/linux_loader.h"
#include "machine/multiboot_loader.h"
#include "mmu/phys_memory.h"

namespace po = boost::program_options;

namespace pvx {

namespace {
bool validCharSpec(const std::string& s) { return s == "stdio" || s == "none" || (s.rfind("file:", 0) == 0 && s.size() > 5); }
}  // namespace

CliResult parseCommandLine(const std::vector<std::string>& args) {
    CliResult r;
    MachineConfig& c = r.config;
    std::string clock = "virtual", bios, pv = "on", kernel, initrd, disk;
    int64_t memory = 256;
    int64_t maxInsns = 0;
    double timeout = 0;
    int64_t gdbPort = -1, traceAfter = 0, traceCount = 0;
    std::string traceList, traceRange;
    debug::DebugOptions& d = r.debug;

    po::options_description opts("pvx [options]  -- boot a PC");
    opts.add_options()
        ("help,h", "show this help")
        ("version", "print the version")
        ("memory,m", po::value<int64_t>(&memory)->default_value(256), "guest RAM in MiB")
        ("bios", po::value<std::string>(&bios), "firmware ROM image (default: pvx's built-in BIOS)")
        ("kernel", po::value<std::string>(&kernel), "boot a Linux bzImage or a Multiboot v1 ELF kernel directly")
        ("initrd", po::value<std::string>(&initrd), "Linux initramfs, or the first Multiboot module (with --kernel)")
        ("append", po::value<std::string>(&c.append), "kernel command line (with --kernel)")
        ("kernel-entry", po::value<unsigned>(&c.kernelEntry)->default_value(16),
         "bzImage entry: 16 (real-mode setup after POST, like QEMU), 32 or 64 (boot protocol's protected/long-mode entry)")
        ("disk", po::value<std::string>(&disk), "raw disk image FILE[,readonly][,if=ide|virtio|all]: ide (default) = ATA primary master, "
         "virtio = virtio-blk at PCI 00:03.0, all = both (benchmarks); PV block device 0 always sees it")
        ("virtio-console", po::bool_switch(&c.virtioConsole), "virtio-console at PCI 00:04.0 on COM1's backend (output; host input once its driver reads)")
        ("virtio-rng", po::bool_switch(&c.virtioRng), "virtio-rng at PCI 00:05.0, filled from host entropy (getrandom)")
        ("serial", po::value<std::string>(&c.serial)->default_value("stdio"), "COM1: stdio|none|file:PATH")
        ("serial2", po::value<std::string>(&c.serial2)->default_value("none"), "COM2 (2F8h, IRQ 3): stdio|none|file:PATH; none: no COM2")
        ("debug-exit", po::bool_switch(&c.debugExit), "isa-debug-exit at port 0xF4: `out 0xF4, v` exits with (v << 1) | 1")
        ("debugcon", po::value<std::string>(&c.debugcon)->default_value("none"), "port 0xE9 console: stdio|none|file:PATH")
        ("firmware-log", po::value<std::string>(&c.firmwareLog)->default_value("none"),
         "port 0x402, the firmware debug log (SeaBIOS prints there): stdio|none|file:PATH")
        ("pv", po::value<std::string>(&pv)->default_value("on"), "on|off: the PV escape and its CPUID leaves; off: VMCALL raises #UD")
        ("clock", po::value<std::string>(&clock)->default_value("virtual"), "virtual (deterministic, from instructions retired) | host")
        ("max-insns", po::value<int64_t>(&maxInsns), "stop after N guest instructions (exit status 6)")
        ("timeout", po::value<double>(&timeout), "stop after S host seconds (exit status 6)")
        ("display", po::value<std::string>(&r.display)->default_value("none"), "none|sdl: an SDL2 window shows the VGA and takes keys (closing it quits, status 0)")
        ("screenshot", po::value<std::string>(&r.screenshot), "save the VGA screen at exit as a PNG (works headless)")
        ("stats", po::value<std::string>(&c.statsPath), "write JSON counters at exit to FILE ('-' for stderr)")
        ("gdb", po::value<int64_t>(&gdbPort), "GDB remote stub on 127.0.0.1:PORT (0: any free port, printed)")
        ("gdb-wait", po::bool_switch(&d.gdbWait), "with --gdb: stop before the first instruction until gdb attaches")
        ("trace", po::value<std::string>(&traceList), "comma list of insn,io,mmio,pv,irq,exc,mmu (or all): one line per event")
        ("trace-file", po::value<std::string>(&d.trace.file), "write the trace to FILE (default stderr)")
        ("trace-range", po::value<std::string>(&traceRange), "insn lines only for linear addresses LO-HI (hex, inclusive)")
        ("trace-after", po::value<int64_t>(&traceAfter), "trace from instruction count N on")
        ("trace-count", po::value<int64_t>(&traceCount), "trace N instructions (with --trace-after: the window)");

    std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1), args.end());
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(rest).options(opts).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        r.action = CliResult::Action::Error;
        r.text = e.what();
        return r;
    }
    if (vm.count("help")) {
        std::ostringstream os;
        os << opts << "\nExit status: 0 powered off; odd: --debug-exit; 2 bad command line or input file;\n"
           << "4 triple fault; 6 --max-insns/--timeout reached or the guest halted for good; 8 internal error.\n";
        r.action = CliResult::Action::Help;
        r.text = os.str();
        return r;
    }
    if (vm.count("version")) {
        r.action = CliResult::Action::Version;
        return r;
    }
    auto fail = [&](std::string msg) {
        r.action = CliResult::Action::Error;
        r.text = std::move(msg);
        return r;
    };
    const int64_t maxMiB = static_cast<int64_t>(PhysicalMemory::kMaxRamBytes >> 20);
    if (memory <= 0 || memory > maxMiB) return fail("-m/--memory: must be between 1 and " + std::to_string(maxMiB) + " MiB");
    c.memoryMiB = static_cast<uint64_t>(memory);
    if (pv == "on") c.pvEnabled = true;
    else if (pv == "off") c.pvEnabled = false;
    else return fail("--pv: expected 'on' or 'off', got '" + pv + "'");
    if (clock == "virtual") c.clock = ClockMode::Virtual;
    else if (clock == "host") c.clock = ClockMode::Host;
    else return fail("--clock: expected 'virtual' or 'host', got '" + clock + "'");
    if (!validCharSpec(c.serial)) return fail("--serial: expected stdio, none or file:PATH, got '" + c.serial + "'");
    if (vm.count("disk")) {
        std::string path = disk;
        // Options after the file name, in any order: ",readonly" and ",if=ide|virtio|all".
        for (;;) {
            const size_t comma = path.rfind(',');
            if (comma == std::string::npos) break;
            const std::string opt = path.substr(comma + 1);
            if (opt == "readonly") c.diskReadOnly = true;
            else if (opt == "if=ide") c.diskAta = true, c.diskVirtio = false;
            else if (opt == "if=virtio") c.diskAta = false, c.diskVirtio = true;
            else if (opt == "if=all") c.diskAta = true, c.diskVirtio = true;
            else if (opt.rfind("if=", 0) == 0) return fail("--disk: unknown interface '" + opt.substr(3) + "' (expected ide, virtio or all)");
            else break;  // part of the file name
            path.resize(comma);
        }
        std::ifstream probe(path, std::ios::binary);
        if (!probe) return fail("--disk: cannot open '" + path + "': " + std::strerror(errno));
        c.diskPath = path;
    }
    if (!validCharSpec(c.serial2)) return fail("--serial2: expected stdio, none or file:PATH, got '" + c.serial2 + "'");
    if (!validCharSpec(c.debugcon)) return fail("--debugcon: expected stdio, none or file:PATH, got '" + c.debugcon + "'");
    if (!validCharSpec(c.firmwareLog)) return fail("--firmware-log: expected stdio, none or file:PATH, got '" + c.firmwareLog + "'");
    if (vm.count("max-insns")) {
        if (maxInsns <= 0) return fail("--max-insns: must be at least 1");
        c.maxInsns = static_cast<uint64_t>(maxInsns);
    }
    if (vm.count("timeout")) {
        if (!(timeout > 0)) return fail("--timeout: must be a positive number of seconds");
        c.timeoutSeconds = timeout;
    }
    if (vm.count("gdb")) {
        if (gdbPort < 0 || gdbPort > 65535) return fail("--gdb: expected a TCP port 0-65535, got " + std::to_string(gdbPort));
        d.gdbPort = static_cast<int>(gdbPort);
    }
    if (d.gdbWait && d.gdbPort < 0) return fail("--gdb-wait needs --gdb PORT");
    if (vm.count("trace")) {
        std::string bad;
        if (!debug::parseTraceCategories(traceList, d.trace.categories, bad))
            return fail("--trace: unknown category '" + bad + "' (expected a comma list of insn,io,mmio,pv,irq,exc,mmu or all)");
    }
    const bool traceOptions = vm.count("trace-file") || vm.count("trace-range") || vm.count("trace-after") || vm.count("trace-count");
    if (traceOptions && !d.trace.categories) return fail("--trace-file/--trace-range/--trace-after/--trace-count need --trace");
    if (vm.count("trace-range") && !debug::parseTraceRange(traceRange, d.trace.rangeLo, d.trace.rangeHi))
        return fail("--trace-range: expected LO-HI in hex with LO <= HI (e.g. f0000-fffff), got '" + traceRange + "'");
    if (vm.count("trace-after")) {
        if (traceAfter < 0) return fail("--trace-after: must be 0 or more");
        d.trace.after = static_cast<uint64_t>(traceAfter);
    }
    if (vm.count("trace-count")) {
        if (traceCount <= 0) return fail("--trace-count: must be at least 1");
        d.trace.count = static_cast<uint64_t>(traceCount);
    }
    if (!d.trace.file.empty() && d.trace.file != "-") {
        std::ofstream probe(d.trace.file, std::ios::app);
        if (!probe) return fail("--trace-file: cannot write '" + d.trace.file + "': " + std::strerror(errno));
    }
    auto readFile = [](const std::string& path, std::vector<uint8_t>& out) -> std::string {
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec)) return "'" + path + "' is a directory";
        std::ifstream f(path, std::ios::binary);
        if (!f) return "cannot open '" + path + "': " + std::strerror(errno);
        out.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
        return {};
    };
    if (vm.count("kernel")) {
        if (std::string e = readFile(kernel, c.kernel); !e.empty()) return fail("--kernel: " + e);
        if (c.kernel.empty()) return fail("--kernel: '" + kernel + "' is empty");
        if (!isMultiboot(c.kernel) && !isLinuxBzImage(c.kernel))
            return fail("--kernel: '" + kernel + "' is neither a Linux bzImage nor a Multiboot v1 kernel");
        c.kernelPath = kernel;
    }
    if (vm.count("initrd")) {
        if (!vm.count("kernel")) return fail("--initrd needs --kernel");
        if (std::string e = readFile(initrd, c.initrd); !e.empty()) return fail("--initrd: " + e);
        c.initrdPath = initrd;
    }
    if (vm.count("append") && !vm.count("kernel")) return fail("--append needs --kernel");
    if (!vm["kernel-entry"].defaulted()) {
        if (c.kernelEntry != 16 && c.kernelEntry != 32 && c.kernelEntry != 64) return fail("--kernel-entry must be 16, 32 or 64");
        if (!isLinuxBzImage(c.kernel)) return fail("--kernel-entry needs a Linux bzImage --kernel");
    }
    if (!c.statsPath.empty() && c.statsPath != "-") {
        // Fail now, not after the guest ran: the directory must exist and the file be writable.
        std::ofstream probe(c.statsPath, std::ios::app);
        if (!probe) return fail("--stats: cannot write '" + c.statsPath + "': " + std::strerror(errno));
    }
    if (r.display != "none" && r.display != "sdl") return fail("--display: expected 'none' or 'sdl', got '" + r.display + "'");
    if (!r.screenshot.empty()) {
        std::ofstream probe(r.screenshot, std::ios::app);
        if (!probe) return fail("--screenshot: cannot write '" + r.screenshot + "': " + std::strerror(errno));
    }
    if (vm.count("bios")) {
        std::string err = loadRomFile(bios, c.biosImage);
        if (!err.empty()) return fail(err);
        c.biosName = bios;
        // pvx's own BIOS enters a loaded bzImage after POST (CMOS 5Fh, linux_loader.h); another
        // firmware would ignore the kernel and read that byte as its own (SeaBIOS: CPU count).
        if (isLinuxBzImage(c.kernel))
            return fail("--kernel: a Linux bzImage is started by pvx's built-in BIOS; drop --bios, or boot the kernel from --disk");
    }
    return r;
}

}  // namespace pvx
