#include "machine/machine.h"

#include <cinttypes>
#include <cstdio>
#include <stdexcept>

#include "common/json_writer.h"
#include "cpu/cpu.h"
#include "devices/debug/debug_console.h"
#include "devices/debug/debug_exit.h"
#include "common/block_backend.h"
#include "host/host_time.h"
#include "host/terminal.h"
#include "machine/pc_devices.h"
#include "machine/pv_platform.h"
#include "pvabi/dispatcher.h"
#include "pvx/abi.h"
#include "devices/apic/local_apic.h"
#include "devices/pic/pic8259_pair.h"
#include "machine/firmware_loader.h"
#include "machine/linux_loader.h"
#include "machine/multiboot_loader.h"

namespace pvx {

Machine::Machine(const MachineConfig& cfg) : cfg_(cfg) {
    mem_ = std::make_unique<PhysicalMemory>(cfg.memoryMiB << 20);
    // The PV interface as CPUID advertises it (pvx/abi.h, docs/pvabi.md).
    cpu::CpuConfig cc;
    cc.pvEnabled = cfg.pvEnabled;
    cc.pvFeatures = pv::Dispatcher::kFeatures;
    cc.pvAbiVersion = PVX_ABI_VERSION;
    cc.pvMaxBatch = PVX_MAX_BATCH;
    cc.pvDoorbellPort = PVX_DOORBELL_PORT;
    cc.apic = true;  // the board's local APIC (PcDevices)
    cpu_ = std::make_unique<cpu::Cpu>(*mem_, ports_, cc);
    clock_ = std::make_unique<Clock>(cfg.clock, &cpu_->icount);
    cpu_->setClock(clock_.get());

    CharBackend* dc = cfg.debugconBackend.get();
    if (!dc) {
        debugconOut_ = openCharBackend(cfg.debugcon, "--debugcon");
        dc = debugconOut_.get();
    }
    if (dc) {
        debugcon_ = std::make_unique<DebugConsole>(*dc);
        debugcon_->attach(ports_);
    }
    if ((firmwareLogOut_ = openCharBackend(cfg.firmwareLog, "--firmware-log"))) {
        firmwareLog_ = std::make_unique<DebugConsole>(*firmwareLogOut_, DebugConsole::kFirmwareLogPort);
        firmwareLog_->attach(ports_);
    }
    if (cfg.debugExit) {
        debugExit_ = std::make_unique<DebugExit>([this](int status) { requestExit(status); });
        debugExit_->attach(ports_);
    }
    // Storage and character backends, shared by each emulated device and its PV twin.
    if (!cfg.diskPath.empty()) {
        std::string err;
        disk_ = BlockBackend::openRaw(cfg.diskPath, cfg.diskReadOnly, err);
        if (!disk_) throw std::runtime_error("--disk: cannot open '" + cfg.diskPath + "': " + err);
    }
    serialOut_ = openCharBackend(cfg.serial, "--serial");
    if (!serialOut_) serialOut_ = std::make_unique<NullCharBackend>();
    const bool interactive = cfg.serial == "stdio";
    if (interactive) host::terminalRawMode();
    // The RTC: a fixed epoch (2024-01-01 00:00:00 UTC) in virtual time, so runs repeat exactly.
    const uint64_t epoch = cfg.clock == ClockMode::Virtual ? 1704067200ull : host::wallClockNs() / 1000000000ull;
    BoardHooks hooks;
    hooks.kickCpu = [this] { cpu_->kick(); };
    hooks.initCpu = [this] { requestInit(); };
    hooks.reset = [this] { requestReset(); };
    hooks.powerOff = [this] { requestPowerOff(); };
    devices_ = std::make_unique<PcDevices>(*mem_, ports_, *clock_, timers_, *serialOut_,
                                           cfg.diskAta ? disk_.get() : nullptr, epoch, interactive, hooks);
    devices_->addVirtio(*mem_, ports_, cfg.diskVirtio ? disk_.get() : nullptr,
                        cfg.virtioConsole ? serialOut_.get() : nullptr, cfg.virtioRng);
    serial2Out_ = openCharBackend(cfg.serial2, "--serial2");
    if (serial2Out_) devices_->addCom2(ports_, *serial2Out_);
    // The local APIC is the CPU's interrupt controller; the 8259 pair reaches the CPU through
    // its LINT0 (or directly while the APIC is disabled).
    cpu_->setInterruptSource(&devices_->lapic());
    cpu_->setLocalApic(&devices_->lapic());
    cpu_->ferr = &devices_->fpuError();  // x87 errors with CR0.NE = 0 -> IRQ13

    // The PV escape: its services share the backends above with COM1 and the ATA disk.
    PvPlatform::Hooks pvHooks;
    pvHooks.powerOff = [this] { requestPowerOff(); };
    pvHooks.reset = [this] { requestReset(); };
    pvHooks.fillStats = [this](pvx_stats& st) {
        st.instructions = cpu_->icount;
        st.pio_exits = ports_.accesses();
        st.mmio_exits = mem_->mmioAccesses;
        st.pv_calls = cpu_->stats.escapes;
        st.tlb_misses = cpu_->tlb.misses;
        st.page_walks = cpu_->walker.walks;
        st.interrupts = cpu_->stats.interrupts;
        st.clock_ns = clock_->nowNs();
        st.host_cpu_ns = host::processCpuNs();
    };
    pvPlatform_ = std::make_unique<PvPlatform>(*cpu_, *clock_, timers_, serialOut_.get(), disk_.get(),
                                               epoch * 1000000000ull, pvHooks);
    pv_ = std::make_unique<pv::Dispatcher>(*mem_, *pvPlatform_);
    if (cfg.pvEnabled) cpu_->setEscapeHandler(pv_.get());

    buildMemoryMap();
    if (!cfg.kernel.empty()) loadKernel();
    registerStats();
}

void Machine::loadKernel() {
    if (isLinuxBzImage(cfg_.kernel)) {
        // A Linux bzImage is entered by the BIOS after POST (linux_loader.h): the CPU starts at
        // the reset vector as usual; INT 19h finds the CMOS flag naming the entry.
        LinuxBootLayout layout;
        std::string err = loadLinux(cfg_.kernel, cfg_.append, cfg_.initrd.empty() ? nullptr : &cfg_.initrd,
                                    cfg_.kernelEntry, *mem_, layout);
        if (!err.empty()) throw std::runtime_error(err);
        devices_->setCmosByte(kCmosDirectBoot, directBootFlag(layout.entry));
        return;
    }
    MultibootImage img;
    std::string err = loadMultiboot(cfg_.kernel, cfg_.kernelPath + (cfg_.append.empty() ? "" : " " + cfg_.append),
                                    cfg_.initrd.empty() ? nullptr : &cfg_.initrd, cfg_.initrdPath, *mem_, img);
    if (!err.empty()) throw std::runtime_error(err);
    // Multiboot entry state (spec 3.2): 32-bit protected mode, flat 4 GiB segments, paging off,
    // interrupts off, A20 on.
    cpu::Cpu& c = *cpu_;
    c.cr0 = cpu::cr0::PE | cpu::cr0::ET;
    for (unsigned s = 0; s < 6; ++s) {
        c.seg[s].sel = s == cpu::CS ? 0x08 : 0x10;
        c.seg[s].base = 0;
        c.seg[s].limit = 0xFFFFFFFF;
        c.seg[s].attr = cpu::Segment::kP | cpu::Segment::kS | cpu::Segment::kRW | cpu::Segment::kDB |
                        cpu::Segment::kG | cpu::Segment::kAccessed | (s == cpu::CS ? cpu::Segment::kCode : 0);
    }
    c.gpr[cpu::RAX] = MultibootImage::kBootMagic;
    c.gpr[cpu::RBX] = img.infoAddress;
    c.gpr[cpu::RSP] = 0x7000;
    c.setFlags(2);
    c.rip = img.entry;
    c.updateMode();
    c.flushTlb();
}

Machine::~Machine() = default;

uint64_t Machine::instructions() const { return cpu_->icount; }

std::unique_ptr<CharBackend> Machine::openCharBackend(const std::string& spec, const char* what) {
    if (spec == "none") return nullptr;
    if (spec == "stdio") return std::make_unique<FileCharBackend>(stdout);
    if (spec.rfind("file:", 0) == 0) {
        std::FILE* f = std::fopen(spec.c_str() + 5, "wb");
        if (!f) throw std::runtime_error(std::string(what) + ": cannot open '" + spec.substr(5) + "' for writing");
        return std::make_unique<FileCharBackend>(f, true);
    }
    throw std::runtime_error(std::string(what) + ": expected stdio, none or file:PATH, got '" + spec + "'");
}

void Machine::buildMemoryMap() {
    // The firmware ROM: its last byte at 0xFFFFFFFF, and its last 128 KiB (or all of a smaller
    // image) also ending at 0xFFFFF, the legacy BIOS window -- as the PIIX decodes a BIOS flash
    // and as QEMU maps one, so a 256 KiB SeaBIOS finds its 16-bit code there. (ARCHITECTURE.md
    // "--bios" said "images up to 128 KiB"; larger images now show their tail too.) The window
    // itself is routed by the chipset's PAM registers (PcDevices).
    constexpr size_t kLegacyWindow = 128 * 1024;
    const std::vector<uint8_t>& rom = cfg_.biosImage.empty() ? builtinFirmware() : cfg_.biosImage;
    mem_->addRom(0x100000000ull - rom.size(), rom, "bios");
    if (rom.size() <= kLegacyWindow) {
        mem_->addRom(0x100000 - rom.size(), rom, "bios-legacy");
    } else {
        const std::vector<uint8_t> tail(rom.end() - static_cast<long>(kLegacyWindow), rom.end());
        mem_->addRom(0x100000 - kLegacyWindow, tail, "bios-legacy");
    }
}

void Machine::requestPowerOff() {
    powerOff_ = true;
    cpu_->requestStop();
}
void Machine::requestReset() {
    resetRequested_ = true;
    cpu_->requestStop();
}
void Machine::requestInit() {
    initRequested_ = true;
    cpu_->requestStop();
}
void Machine::requestExit(int status) {
    exitRequested_ = true;
    exitStatus_ = status;
    cpu_->requestStop();
}

RunResult Machine::run() {
    const uint64_t hostStart = host::monotonicNs();
    // How many instructions run between checks of the host clock (--timeout) when no timer is
    // due sooner.
    constexpr uint64_t kSlice = 1u << 20;
    RunResult r;
    auto finish = [&](StopReason why, int status, std::string msg) {
        hostSeconds_ = static_cast<double>(host::monotonicNs() - hostStart) / 1e9;
        r.reason = why;
        r.exitStatus = status;
        r.message = std::move(msg);
        return r;
    };
    while (true) {
        if (exitRequested_) return finish(StopReason::DebugExit, exitStatus_, "");
        if (powerOff_) return finish(StopReason::PowerOff, 0, "");
        if (resetRequested_) {
            resetRequested_ = false;
            cpu_->reset();
            devices_->reset();
            pv_->reset();
            mem_->setA20(true);
        }
        if (initRequested_) {
            // INIT (SDM Vol.3A 9.1.1, Table 9-1): the processor state as after RESET, MSRs kept;
            // the local APIC already did its INIT reset. The devices are untouched.
            initRequested_ = false;
            const cpu::MsrState msrs = cpu_->msr;
            cpu_->reset();
            cpu_->msr = msrs;
        }
        if (monitor_ && !monitor_->beforeSlice()) return finish(StopReason::DebugExit, 0, "killed by the debugger");
        timers_.runExpired(clock_->nowNs());
        uint64_t target = cpu_->icount + std::min<uint64_t>(kSlice, clock_->insnsUntil(timers_.nextDeadline()));
        if (cfg_.maxInsns) {
            if (cpu_->icount >= cfg_.maxInsns)
                return finish(StopReason::InsnLimit, 6, "instruction limit reached (--max-insns)");
            target = std::min(target, cfg_.maxInsns);
        }
        if (cfg_.timeoutSeconds > 0 &&
            static_cast<double>(host::monotonicNs() - hostStart) / 1e9 >= cfg_.timeoutSeconds)
            return finish(StopReason::Timeout, 6, "time limit reached (--timeout)");

        cpu::Cpu::Stop stop = cpu_->run(target);
        if (stop == cpu::Cpu::Stop::Shutdown) {
            char msg[256];
            std::snprintf(msg, sizeof msg, "triple fault: CPU shut down at %04x:%016" PRIx64 " (%s mode); faults: %s",
                          cpu_->seg[cpu::CS].sel, cpu_->rip, cpu_->modeName(), cpu_->faultChain);
            return finish(StopReason::TripleFault, 4, msg);
        }
        if (stop == cpu::Cpu::Stop::Halted) {
            uint64_t next = timers_.nextDeadline();
            if (next == TimerQueue::kNever || !(cpu_->getFlags() & cpu::kIF)) {
                char msg[160];
                std::snprintf(msg, sizeof msg, "guest halted with %s at %04x:%016" PRIx64 ": nothing can wake it",
                              (cpu_->getFlags() & cpu::kIF) ? "no timer armed" : "interrupts disabled",
                              cpu_->seg[cpu::CS].sel, cpu_->rip);
                return finish(StopReason::HaltedForever, 6, msg);
            }
            clock_->skipTo(next);
        }
    }
}

void Machine::registerStats() {
    Stats& s = stats_;
    cpu::Cpu& c = *cpu_;
    s.counter("instructions", &c.icount);
    s.computed("host_seconds", [this](JsonWriter& w) { w.value(hostSeconds_); });
    s.computed("mips", [this](JsonWriter& w) {
        w.value(hostSeconds_ > 0 ? static_cast<double>(cpu_->icount) / hostSeconds_ / 1e6 : 0.0);
    });
    s.computed("exits.pio", [this](JsonWriter& w) { w.value(ports_.accesses()); });
    s.counter("exits.mmio", &mem_->mmioAccesses);
    s.counter("exits.pv", &c.stats.escapes);
    s.computed("pio_by_port", [this](JsonWriter& w) {
        w.beginObject();
        const auto& counts = ports_.countsByPort();
        for (unsigned p = 0; p < counts.size(); ++p) {
            if (!counts[p]) continue;
            char key[16];
            std::snprintf(key, sizeof key, "0x%04x", p);
            w.key(key);
            w.value(counts[p]);
        }
        w.endObject();
    });
    s.computed("pv_by_call", [this](JsonWriter& w) {
        w.beginObject();
        for (const auto& [number, count] : pv_->callCounts()) {
            w.key(pv::Dispatcher::callName(number));
            w.value(count);
        }
        if (pv_->unknownCalls()) {
            w.key("unknown");
            w.value(pv_->unknownCalls());
        }
        w.endObject();
    });
    s.computed("tlb.hits", [&c](JsonWriter& w) { w.value(c.tlb.hits); });
    s.counter("tlb.misses", &c.tlb.misses);
    s.counter("tlb.flushes", &c.tlb.flushes);
    s.counter("tlb.page_flushes", &c.tlb.pageFlushes);
    s.counter("page_walks", &c.walker.walks);
    s.counter("page_faults", &c.stats.pageFaults);
    s.counter("decode_cache.hits", &c.stats.decodeHits);
    s.counter("decode_cache.misses", &c.stats.decodeMisses);
    s.counter("decode_cache.invalidations", &mem_->codeInvalidations);
    s.counter("interrupts", &c.stats.interrupts);
    s.counter("exceptions", &c.stats.exceptions);
    s.counter("halts", &c.stats.halts);
    s.counter("memory.unmapped_reads", &mem_->unmappedReads);
    s.counter("memory.unmapped_writes", &mem_->unmappedWrites);
    s.counter("memory.rom_writes_dropped", &mem_->romWritesDropped);
    s.computed("ram_xxh3", [this](JsonWriter& w) {
        char b[24];
        std::snprintf(b, sizeof b, "%016" PRIx64, mem_->ramDigest());
        w.value(std::string(b));
    });
    s.computed("disk_xxh3", [this](JsonWriter& w) {
        w.beginObject();
        if (disk_) {
            char b[24];
            std::snprintf(b, sizeof b, "%016" PRIx64, disk_->digest());
            w.key("disk0");
            w.value(std::string(b));
        }
        w.endObject();
    });
    devices_->registerStats(s);
    pv_->registerStats(s, "pv.");
}

std::string Machine::statsJson() { return stats_.toJson(); }

}  // namespace pvx
