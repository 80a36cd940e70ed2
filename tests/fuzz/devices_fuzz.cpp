// Fuzz target: random port and MMIO access sequences against the PC's devices (PcDevices: PICs,
// local APIC and I/O APIC, PIT, RTC/CMOS, UART, i8042, PCI, PIIX IDE with an ATA disk on a
// temporary image, PIIX4 PM), with virtual time advancing and the CPU side of the interrupt
// controllers (INTA, EOI through the APIC) in between. Bus-master DMA reaches the 1 MiB of RAM.
//
// Input: a sequence of 8-byte operations: kind, port/offset selector (2 bytes), size, value
// (4 bytes). Port selectors pick from the board's port list unless bit 15 is set (then raw).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "common/block_backend.h"
#include "common/char_backend.h"
#include "common/clock.h"
#include "common/port_bus.h"
#include "common/timer_queue.h"
#include "devices/apic/local_apic.h"
#include "machine/pc_devices.h"
#include "mmu/phys_memory.h"

using namespace pvx;

namespace {

constexpr uint64_t kRam = 1ull << 20;
constexpr unsigned kDiskSectors = 256;

// Every port the board decodes at reset, plus the usual BIOS choices for the PCI-programmed
// ranges (PIIX IDE bus master at 0xC000, PIIX4 PM at 0x600, SMBus 0x700).
constexpr uint16_t kPorts[] = {
    0x20,  0x21,  0xA0,  0xA1,  0x4D0, 0x4D1, 0x40,  0x41,  0x42,  0x43,  0x61,  0x70,  0x71,  0x3F8,
    0x3F9, 0x3FA, 0x3FB, 0x3FC, 0x3FD, 0x3FE, 0x3FF, 0x60,  0x64,  0x92,  0xCF8, 0xCF9, 0xCFA, 0xCFB,
    0xCFC, 0xCFD, 0xCFE, 0xCFF, 0x1F0, 0x1F1, 0x1F2, 0x1F3, 0x1F4, 0x1F5, 0x1F6, 0x1F7, 0x3F6, 0x170,
    0x171, 0x172, 0x173, 0x174, 0x175, 0x176, 0x177, 0x376, 0xF0,  0xB2,  0xB3,  0xC000, 0xC002, 0xC004,
    0xC008, 0xC00A, 0xC00C, 0x600, 0x602, 0x604, 0x608, 0x620, 0x700,
};

struct Disk {
    std::unique_ptr<BlockBackend> backend;
    std::vector<uint8_t> init = std::vector<uint8_t>(kDiskSectors * 512);
    Disk() {
        for (size_t i = 0; i < init.size(); ++i) init[i] = static_cast<uint8_t>(i * 7 + (i >> 9));
        const char* dir = std::getenv("TMPDIR");
        std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/pvx-fuzz-dev-XXXXXX";
        std::vector<char> name(tmpl.begin(), tmpl.end());
        name.push_back('\0');
        int fd = mkstemp(name.data());
        if (fd < 0 || ::write(fd, init.data(), init.size()) != static_cast<ssize_t>(init.size())) std::abort();
        ::close(fd);
        std::string error;
        backend = BlockBackend::openRaw(name.data(), false, error);
        if (!backend) std::abort();
        ::unlink(name.data());
    }
};

class CountingSerial final : public CharBackend {
public:
    void write(const uint8_t*, size_t n) override { bytes += n; }
    uint64_t bytes = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 8 * 512) return -1;
    static Disk* disk = new Disk;
    disk->backend->write(0, kDiskSectors, disk->init.data());

    uint64_t insns = 0;
    PhysicalMemory mem(kRam);
    // One port bus per process (its tables are 1 MiB, slow to build under ASan per input); every
    // claim is released after the input, so no port outlives the devices that claimed it.
    static PortBus* bus = new PortBus;
    PortBus& ports = *bus;
    struct ReleaseAll {
        PortBus& p;
        ~ReleaseAll() { p.release(0, 65536); }
    } releaseAll{ports};
    Clock clock(ClockMode::Virtual, &insns);
    TimerQueue timers;
    CountingSerial serial;
    bool resetRequested = false;
    BoardHooks hooks;
    hooks.kickCpu = [] {};
    hooks.initCpu = [] {};
    hooks.reset = [&] { resetRequested = true; };
    hooks.powerOff = [] {};
    PcDevices dev(mem, ports, clock, timers, serial, disk->backend.get(), 1704067200ull, false, hooks);

    for (size_t at = 0; at + 8 <= size; at += 8) {
        const uint8_t* op = data + at;
        const uint16_t sel = static_cast<uint16_t>(op[1] | op[2] << 8);
        const unsigned sz = 1u << (op[3] & 3);  // 1, 2, 4, 8
        uint32_t value;
        std::memcpy(&value, op + 4, 4);
        const uint16_t port = (sel & 0x8000) ? static_cast<uint16_t>(sel << 1 | (op[3] >> 7)) : kPorts[sel % std::size(kPorts)];
        const unsigned psz = sz > 4 ? 4 : sz;
        switch (op[0] % 8) {
            case 0: ports.write(port, psz, value); break;
            case 1: ports.write(port, psz, value); break;
            case 2: (void)ports.read(port, psz); break;
            case 3: {  // MMIO: local APIC or I/O APIC page, or RAM/anything below 4 GiB
                const uint64_t base = (op[3] & 0x40) ? 0xFEC00000ull : 0xFEE00000ull;
                const uint64_t addr = (op[3] & 0x20) ? (uint64_t{sel} << 5) : base + (sel & 0xFFF);
                if (op[3] & 0x10) mem.write(addr & ~uint64_t{sz - 1}, sz, value | uint64_t{value} << 32);
                else (void)mem.read(addr & ~uint64_t{sz - 1}, sz);
                break;
            }
            case 4:  // time passes: up to ~1 s of virtual time, expired timers fire
                insns += uint64_t{value} << (op[3] & 7);
                timers.runExpired(clock.nowNs());
                break;
            case 5:  // the CPU takes an interrupt and (maybe) EOIs it through the APIC
                if (dev.lapic().pending()) (void)dev.lapic().acknowledge();
                if (dev.lapic().nmiPending()) dev.lapic().acknowledgeNmi();
                break;
            case 6:  // the ISA lines the board's devices drive, and FERR#
                dev.isaIrq(op[1] & 15).set(op[2] & 1);
                if (op[2] & 2) dev.fpuError().ferrChanged(true);
                break;
            case 7:
                if (op[1] == 0xEE) dev.reset();
                else timers.runExpired(clock.nowNs());
                break;
        }
        if (resetRequested) {
            resetRequested = false;
            dev.reset();
        }
    }
    return 0;
}
