// Debugger access to guest memory: linear addresses through the guest's current paging, without
// the side effects of a CPU access. The walk reads page tables from RAM only (never MMIO), sets
// no accessed/dirty bits, raises no #PF and fills no TLB entry; permissions are ignored, as for
// a debugger on real hardware with a JTAG probe. Physical reads see RAM and ROM; MMIO and
// unmapped space are refused, since reading a device register can change the device.
#pragma once
#include <cstddef>
#include <cstdint>

#include "mmu/page_walker.h"

namespace pvx {
class PhysicalMemory;
namespace cpu {
class Cpu;
}
}  // namespace pvx

namespace pvx::debug {

struct DebugTranslation {
    uint64_t paddr = 0;
    uint64_t pageSize = 4096;
    mmu::MemType memType = mmu::MemType::WB;
};

// Linear -> physical with the CPU's CR0/CR3/CR4/EFER/PAT (SDM Vol.3A 4.3-4.5); false when the
// address is not mapped (not present, reserved bits, non-canonical).
bool debugTranslate(const cpu::Cpu& c, uint64_t lin, DebugTranslation& out);

// Copies from physical memory (RAM or ROM); returns the number of bytes copied before the first
// byte that is neither.
size_t debugReadPhys(const PhysicalMemory& mem, uint64_t paddr, void* dst, size_t n);
// Linear-address reads and writes; return the bytes done before the first unmapped or refused
// byte. Writes reach RAM only, through the accessor that invalidates decoded code.
size_t debugReadLinear(const cpu::Cpu& c, uint64_t lin, void* dst, size_t n);
size_t debugWriteLinear(cpu::Cpu& c, uint64_t lin, const void* src, size_t n);

}  // namespace pvx::debug
