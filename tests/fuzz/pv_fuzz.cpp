// Fuzz target: the PV escape dispatcher (src/pvabi/) with random call numbers, registers and
// guest memory contents, over a fake Platform, a 4 MiB guest with a ROM overlay and an MMIO
// window, and a 64-sector disk image in a temporary file.
//
// Input: byte 0 = number of calls (1-8), then per call 6 x 8 bytes (RAX, RBX, RCX, RDX, RSI,
// RDI; byte 0 of the RAX field picks a served call number unless its top bit is set, and values
// whose last byte has its top bit clear are folded into the guest-physical range so that
// addresses land near RAM), then guest memory contents, copied to kList and kData. Continued
// calls are re-executed as the CPU does, at most kMaxEscapes times per call.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/block_backend.h"
#include "common/char_backend.h"
#include "mmu/mmio.h"
#include "mmu/phys_memory.h"
#include "pvabi/dispatcher.h"
#include "pvabi/platform.h"
#include "pvx/abi.h"

using namespace pvx;

namespace {

constexpr uint64_t kRam = 4ull << 20;
constexpr uint64_t kRomBase = 0xE0000, kRomSize = 0x20000;
constexpr uint64_t kMmioBase = 0x300000, kMmioSize = 0x1000;
constexpr uint64_t kList = 0x10000, kData = 0x100000;
constexpr unsigned kDiskSectors = 64;
constexpr unsigned kMaxEscapes = 4096;

class Console final : public CharBackend {
public:
    void write(const uint8_t*, size_t n) override { written += n; }
    int readByte() override { return input-- > 0 ? 'x' : -1; }
    uint64_t written = 0;
    int input = 0;
};

class NullMmio final : public MmioDevice {
public:
    uint64_t mmioRead(uint64_t, unsigned) override { return 0; }
    void mmioWrite(uint64_t, unsigned, uint64_t) override {}
};

class FuzzPlatform final : public pv::Platform {
public:
    CharBackend* console() override { return &con; }
    BlockBackend* disk(unsigned n) override { return n == 0 ? disk0 : nullptr; }
    uint64_t clockNs() override { return 5'000'000'000ull; }
    uint64_t wallClockEpochNs() override { return 1'700'000'000'000'000'000ull; }
    void invalidatePage(uint64_t) override {}
    void flushTlb() override {}
    void haltUntil(uint64_t) override {}
    void powerOff() override {}
    void reset() override {}
    void fillStats(pvx_stats& s) override { s.instructions = 1; }
    Console con;
    BlockBackend* disk0 = nullptr;
};

struct World {
    PhysicalMemory mem{kRam};
    NullMmio mmio;
    FuzzPlatform platform;
    std::unique_ptr<BlockBackend> disk;
    std::string path;
    std::vector<uint8_t> zero = std::vector<uint8_t>(kRam, 0);
    std::vector<uint8_t> diskInit = std::vector<uint8_t>(kDiskSectors * 512, 0xA5);

    World() {
        mem.addRom(kRomBase, std::vector<uint8_t>(kRomSize, 0xC3), "bios");
        mem.addMmio(kMmioBase, kMmioSize, &mmio, "fake");
        const char* dir = std::getenv("TMPDIR");
        std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/pvx-fuzz-pv-XXXXXX";
        std::vector<char> name(tmpl.begin(), tmpl.end());
        name.push_back('\0');
        int fd = mkstemp(name.data());
        if (fd < 0) std::abort();
        path = name.data();
        if (::write(fd, diskInit.data(), diskInit.size()) != static_cast<ssize_t>(diskInit.size())) std::abort();
        ::close(fd);
        std::string error;
        disk = BlockBackend::openRaw(path, false, error);
        if (!disk) std::abort();
        ::unlink(path.c_str());  // the open descriptor keeps it alive; nothing left behind
        platform.disk0 = disk.get();
    }
};

uint64_t take64(const uint8_t*& p, const uint8_t* end) {
    uint8_t b[8] = {};
    for (unsigned k = 0; k < 8 && p < end; ++k) b[k] = *p++;
    uint64_t v;
    std::memcpy(&v, b, 8);
    return v;
}

uint64_t operand(uint64_t v) {
    if (v >> 63) return v;                      // raw: huge/wrapping values
    return v % (kRam + 0x400000);               // near RAM, ROM and MMIO
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1 + 48) return -1;
    static World* w = new World;
    w->mem.writeRam(0, w->zero.data(), w->zero.size());
    w->disk->write(0, kDiskSectors, w->diskInit.data());
    pv::Dispatcher dispatcher(w->mem, w->platform);

    const uint8_t* p = data;
    const uint8_t* end = data + size;
    const unsigned calls = 1 + (*p++ % 8);
    const auto served = pv::Dispatcher::calls();
    std::vector<EscapeRegs> regs;
    for (unsigned c = 0; c < calls && end - p >= 48; ++c) {
        EscapeRegs r{};
        const uint64_t rax = take64(p, end);
        r.rax = (rax & 0x80) ? rax : served[(rax & 0x7F) % served.size()].number;
        r.rbx = operand(take64(p, end));
        r.rcx = operand(take64(p, end));
        r.rdx = operand(take64(p, end));
        r.rsi = operand(take64(p, end));
        r.rdi = operand(take64(p, end));
        r.cpl = 0;
        r.fromDoorbell = rax & 0x100;
        regs.push_back(r);
    }
    // The rest is guest memory: request lists and data.
    const size_t rest = static_cast<size_t>(end - p);
    w->mem.writeRam(kList, p, rest);
    w->mem.writeRam(kData, p, rest);
    w->platform.con.input = static_cast<int>(rest % 300);

    for (EscapeRegs r : regs) {
        for (unsigned n = 0; n < kMaxEscapes; ++n) {
            if (dispatcher.escape(r) != EscapeOutcome::Continue) break;
            if (n + 1 == kMaxEscapes) std::abort();  // a continuation that never completes: a hang
        }
    }
    return 0;
}
