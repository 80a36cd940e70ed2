// The native side of the differential tests: runs one instruction on the host CPU.
//
// A Region is an mmap'd block of host memory: one code page followed by data pages. The code
// page holds a hand-assembled thunk (prologue, the instruction under test, epilogue) that loads
// every GPR except RSP and the arithmetic flags and DF from a HostState, executes the bytes, and
// stores them back. The guest side (guest_cpu.h) maps the very same linear addresses onto guest
// RAM, so pointers, RIP-relative displacements and absolute addresses are identical in both
// worlds and no operand needs translating.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace pvx::difftest {

struct alignas(64) HostState {
    uint64_t gpr[16];  // RAX, RCX, RDX, RBX, RSP (ignored), RBP, RSI, RDI, R8..R15
    uint64_t flags;    // only CF PF AF ZF SF OF DF are loaded; all of RFLAGS is stored
    // x87/MMX/SSE state: FXRSTOR64 before the instruction, FXSAVE64 after (offset 192).
    alignas(64) uint8_t fx[512];
};

struct Region {
    uint8_t* host = nullptr;      // page 0: code, then `dataPages` data pages
    size_t dataPages = 0;
    bool valid() const { return host != nullptr; }
    uint64_t lin() const { return reinterpret_cast<uint64_t>(host); }
    uint64_t dataLin() const { return lin() + 4096; }
    uint8_t* data() const { return host + 4096; }
    size_t dataSize() const { return dataPages * 4096; }
    size_t totalPages() const { return dataPages + 1; }
};

class HostCpu {
public:
    static constexpr size_t kDataPages = 16;

    HostCpu();
    ~HostCpu();
    HostCpu(const HostCpu&) = delete;
    HostCpu& operator=(const HostCpu&) = delete;

    // `low`: below 2 GiB (MAP_32BIT), usable with 32-bit addresses and in the 32-bit guest; may
    // be invalid if the kernel refuses. `high`: above 4 GiB, so truncation to 32 bits shows.
    Region& low() { return low_; }
    Region& high() { return high_; }

    // Linear address where the instruction under test starts (the same offset in every region).
    uint64_t insnLin(const Region& r) const { return r.lin() + prologue_.size(); }

    // Runs `code` at insnLin(r). Returns 0, or the signal number if the host instruction trapped
    // (a generator bug: the harness reports it).
    int run(Region& r, const std::vector<uint8_t>& code, HostState& st);

private:
    Region map(bool low);
    void setWritable(Region& r, bool w);

    Region low_, high_;
    bool rwx_ = true;  // W^X fallback flips the code page with mprotect around each run
    std::vector<uint8_t> prologue_, epilogue_;
};

}  // namespace pvx::difftest
