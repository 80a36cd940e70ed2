// Shared fixture for the PV service tests: a 16 MiB guest with a ROM overlay and an MMIO window
// inside RAM, a fake Platform that records what the services ask of the machine, and disk images
// in temporary files (the real BlockBackend, so "the image file holds it" is checked on disk).
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "common/block_backend.h"
#include "common/char_backend.h"
#include "mmu/mmio.h"
#include "mmu/phys_memory.h"
#include "pvabi/dispatcher.h"
#include "pvabi/platform.h"
#include "pvx/abi.h"

namespace pvx::pv::test {

constexpr uint64_t kRamBytes = 16ull << 20;
constexpr uint64_t kRomBase = 0xE0000, kRomSize = 0x20000;  // the legacy BIOS window
constexpr uint64_t kMmioBase = 0x800000, kMmioSize = 0x1000;
constexpr uint64_t kList = 0x10000;     // request lists
constexpr uint64_t kData = 0x100000;    // data buffers (just above the ROM overlay)
constexpr uint64_t kOut = 0x400000;     // a second data area

constexpr uint64_t err(int e) { return errorValue(e); }

// Console with an input queue (BufferCharBackend has no input).
class InputConsole final : public CharBackend {
public:
    void write(const uint8_t* d, size_t n) override { out.append(reinterpret_cast<const char*>(d), n); }
    int readByte() override {
        if (in.empty()) return -1;
        int c = in.front();
        in.pop_front();
        return c;
    }
    std::string out;
    std::deque<uint8_t> in;
};

class NullMmio final : public MmioDevice {
public:
    uint64_t mmioRead(uint64_t, unsigned) override {
        ++accesses;
        return 0;
    }
    void mmioWrite(uint64_t, unsigned, uint64_t) override { ++accesses; }
    uint64_t accesses = 0;
};

class FakePlatform final : public Platform {
public:
    CharBackend* console() override { return consoleBackend; }
    BlockBackend* disk(unsigned n) override {
        ++diskLookups;
        return n < disks.size() ? disks[n] : nullptr;
    }
    uint64_t clockNs() override { return now; }
    uint64_t wallClockEpochNs() override { return epoch; }
    void invalidatePage(uint64_t linear) override { invalidated.push_back(linear); }
    void flushTlb() override { ++tlbFlushes; }
    void haltUntil(uint64_t ns) override { halts.push_back(ns); }
    void powerOff() override { ++powerOffs; }
    void reset() override { ++resets; }
    void fillStats(pvx_stats& s) override {
        EXPECT_EQ(s.instructions, 0u) << "fillStats gets a zeroed struct";
        s = stats;
    }

    CharBackend* consoleBackend = nullptr;
    std::vector<BlockBackend*> disks;
    uint64_t diskLookups = 0;
    uint64_t now = 5'000'000'000ull;
    uint64_t epoch = 1'700'000'000'000'000'000ull;
    std::vector<uint64_t> invalidated;
    uint64_t tlbFlushes = 0;
    std::vector<uint64_t> halts;
    int powerOffs = 0, resets = 0;
    pvx_stats stats{11, 22, 33, 44, 55, 66, 77, 88, 99};
};

// A raw disk image in a temporary file; sector s is filled with a pattern unique to s.
class TempDisk {
public:
    explicit TempDisk(uint64_t sectors, bool readOnly = false) {
        std::string tmpl = ::testing::TempDir() + "pvabi-disk-XXXXXX";
        std::vector<char> name(tmpl.begin(), tmpl.end());
        name.push_back('\0');
        int fd = mkstemp(name.data());
        EXPECT_GE(fd, 0);
        path = name.data();
        std::vector<uint8_t> img(sectors * 512);
        for (uint64_t i = 0; i < img.size(); ++i) img[i] = pattern(i);
        EXPECT_EQ(::write(fd, img.data(), img.size()), static_cast<ssize_t>(img.size()));
        ::close(fd);
        std::string error;
        backend = BlockBackend::openRaw(path, readOnly, error);
        EXPECT_TRUE(backend) << error;
    }
    ~TempDisk() {
        backend.reset();
        std::remove(path.c_str());
    }
    static uint8_t pattern(uint64_t byteOffset) {
        uint64_t s = byteOffset / 512, o = byteOffset % 512;
        return static_cast<uint8_t>((s * 131 + o * 7 + (s >> 8)) ^ 0x5A);
    }
    std::vector<uint8_t> contents() const {
        std::ifstream f(path, std::ios::binary);
        return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }
    std::string path;
    std::unique_ptr<BlockBackend> backend;
};

struct CallResult {
    EscapeRegs regs;
    EscapeOutcome outcome;
};

class PvTest : public ::testing::Test {
protected:
    PvTest() : mem(kRamBytes), dispatcher(mem, platform) {
        mem.addRom(kRomBase, std::vector<uint8_t>(kRomSize, 0xC3), "bios");
        mem.addMmio(kMmioBase, kMmioSize, &mmio, "fake");
        platform.consoleBackend = &console;
    }

    static EscapeRegs regs(uint64_t rax, uint64_t rbx = 0, uint64_t rcx = 0, uint64_t rdx = 0, uint64_t rsi = 0) {
        // RDI and R8 carry canaries: no call may change them.
        return EscapeRegs{rax, rbx, rcx, rdx, rsi, 0xD1D1D1D1D1D1D1D1ull, 0x8888888888888888ull, false, 0};
    }

    // One escape.
    CallResult once(EscapeRegs r) {
        EscapeOutcome o = dispatcher.escape(r);
        EXPECT_EQ(r.rdi, 0xD1D1D1D1D1D1D1D1ull);
        EXPECT_EQ(r.r8, 0x8888888888888888ull);
        return {r, o};
    }
    CallResult once(uint64_t rax, uint64_t rbx = 0, uint64_t rcx = 0, uint64_t rdx = 0, uint64_t rsi = 0) {
        return once(regs(rax, rbx, rcx, rdx, rsi));
    }

    // Re-executes while the call continues, as the CPU does (same registers, RDX as returned).
    // `escapes` gets the number of escapes it took.
    CallResult run(EscapeRegs r, unsigned* escapes = nullptr) {
        unsigned n = 0;
        for (;;) {
            ++n;
            const uint64_t rax = r.rax, rbx = r.rbx, rcx = r.rcx, rsi = r.rsi, rdx = r.rdx;
            EscapeOutcome o = dispatcher.escape(r);
            EXPECT_NE(o, EscapeOutcome::Undefined);
            if (o == EscapeOutcome::Continue) {
                EXPECT_EQ(r.rax, rax) << "a continuation leaves RAX = the call number";
                EXPECT_GT(r.rdx, rdx) << "every escape makes progress";
                EXPECT_LT(r.rdx, rcx);
                EXPECT_EQ(r.rbx, rbx);
                EXPECT_EQ(r.rcx, rcx);
                EXPECT_EQ(r.rsi, rsi);
                if (n > 100000) {
                    ADD_FAILURE() << "no completion";
                    return {r, o};
                }
                continue;
            }
            if (escapes) *escapes = n;
            return {r, o};
        }
    }
    CallResult run(uint64_t rax, uint64_t rbx = 0, uint64_t rcx = 0, uint64_t rdx = 0, uint64_t rsi = 0,
                   unsigned* escapes = nullptr) {
        return run(regs(rax, rbx, rcx, rdx, rsi), escapes);
    }

    // Guest RAM helpers (through the checked accessors, as a guest would see it).
    void poke(uint64_t gpa, const void* p, size_t n) { ASSERT_TRUE(mem.writeRam(gpa, p, n)); }
    template <class T>
    void put(uint64_t gpa, const T& v) {
        poke(gpa, &v, sizeof v);
    }
    template <class T>
    T get(uint64_t gpa) {
        T v{};
        EXPECT_TRUE(mem.readRam(gpa, &v, sizeof v));
        return v;
    }
    std::vector<uint8_t> bytes(uint64_t gpa, size_t n) {
        std::vector<uint8_t> v(n);
        EXPECT_TRUE(mem.readRam(gpa, v.data(), n));
        return v;
    }
    void fill(uint64_t gpa, size_t n, uint8_t seed) {
        std::vector<uint8_t> v(n);
        for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 13 + (i >> 9));
        poke(gpa, v.data(), n);
    }
    // A copy of all of RAM, to prove a call changed nothing (or exactly what it should).
    std::vector<uint8_t> snapshot() { return std::vector<uint8_t>(mem.ramBase(), mem.ramBase() + kRamBytes); }
    // Offsets where RAM differs from a snapshot.
    std::vector<uint64_t> changedSince(const std::vector<uint8_t>& before) {
        std::vector<uint64_t> d;
        for (uint64_t i = 0; i < kRamBytes; ++i)
            if (before[i] != mem.ramBase()[i]) d.push_back(i);
        return d;
    }

    PhysicalMemory mem;
    FakePlatform platform;
    InputConsole console;
    NullMmio mmio;
    Dispatcher dispatcher;
};

}  // namespace pvx::pv::test
