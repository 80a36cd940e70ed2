// The pvx side of the differential tests: one interpreter CPU put straight into 64-bit long mode
// (or 32-bit protected mode) by setting its public state, with guest page tables that map the
// host's Regions (host_cpu.h) at the same linear addresses onto guest RAM.
//
// Guest-physical layout (identity-mapped below 2 MiB with one large page):
//   0x1000 GDT        0x08 64-bit code, 0x10 flat data, 0x18 32-bit code
//   0x2000 IDT (64-bit gates)   0x3000 IDT (32-bit gates)
//   0x4000 exception handlers: vector v enters at 0x4000 + v, which holds HLT
//   0x5000-0x8000 stack for exception frames
//   0x10000+ page tables;  0x400000+ the low region (contiguous);  0x800000+ the high region
//   (its pages shuffled, so accesses that cross a page also cross physical pages)
// A fault is observed as: the CPU vectors through the IDT, runs the handler's HLT, and stops
// with RIP = 0x4000 + vector + 1 and the exception frame on the stack.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "common/port_bus.h"
#include "cpu/cpu.h"
#include "host_cpu.h"
#include "mmu/phys_memory.h"

namespace pvx::difftest {

struct GuestResult {
    uint64_t gpr[16];
    uint32_t flags;
    uint64_t rip;
    uint64_t exceptions;   // exceptions raised during the run
    int vector = -1;       // vector of the (first) exception, from the handler it reached
    uint64_t faultRip = 0; // RIP in the exception frame
    uint32_t frameFlags = 0;  // RFLAGS in the exception frame
    cpu::Cpu::Stop stop;
    alignas(16) uint8_t fx[512];  // x87/MMX/SSE state after the run (FXSAVE64 image)
};

class GuestCpu {
public:
    static constexpr uint64_t kHandlers = 0x4000, kStackTop = 0x8000;

    GuestCpu(HostCpu& host);

    // Runs the instruction at the region's insnLin() in `mode` (64 or 32); stops after
    // `maxSteps` instructions or as soon as RIP == `until`.
    // `fx`: the x87/MMX/SSE state to start from (FXSAVE64 image).
    GuestResult run(int mode, Region& r, const std::vector<uint8_t>& code, const uint64_t gpr[16], uint32_t flags,
                    const uint8_t* fx, uint64_t until, unsigned maxSteps);

    // Buffers: copy host bytes of [lin, lin+len) into guest RAM, or compare them.
    void copyIn(uint64_t lin, const uint8_t* src, size_t len);
    void copyOut(uint64_t lin, uint8_t* dst, size_t len);

    cpu::Cpu& cpu() { return *cpu_; }

private:
    uint64_t phys(uint64_t lin) const;  // guest-physical address of a mirrored linear address
    void mapPage(uint64_t lin, uint64_t pa);
    uint64_t allocTable();
    void enter64();
    void enter32(Region& low);
    void wr64(uint64_t pa, uint64_t v);

    HostCpu& host_;
    PhysicalMemory mem_;
    PortBus io_;
    std::unique_ptr<cpu::Cpu> cpu_;
    uint64_t nextTable_ = 0x10000;
    struct Mapping {
        uint64_t lin;
        std::vector<uint64_t> pages;  // guest-physical page of each 4 KiB page of the region
    };
    std::vector<Mapping> maps_;
    int curMode_ = 0;
    uint64_t delta32_ = 0;  // 32-bit mode segment base: low region physical - linear
};

}  // namespace pvx::difftest
