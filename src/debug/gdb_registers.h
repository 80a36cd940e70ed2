// The register file as the GDB stub exposes it: the numbering of target_xml.cpp's description,
// every register in target byte order (little-endian). General registers are 64 bits wide in
// every CPU mode (the target stays i386:x86-64); `rip` is the linear address of the next
// instruction (CS.base + IP outside 64-bit mode), so breakpoints and `x/i $pc` work in real mode.
#pragma once
#include <cstddef>
#include <cstdint>

namespace pvx::cpu {
class Cpu;
}

namespace pvx::debug {

namespace reg {
// GDB's amd64 numbering (gdb/features/i386/64bit-core.xml, 64bit-sse.xml), then pvx's own.
constexpr unsigned kRax = 0, kRip = 16, kEflags = 17, kCs = 18, kGs = 23, kSt0 = 24, kFctrl = 32, kFop = 39,
                   kXmm0 = 40, kMxcsr = 56, kFsBase = 57, kGsBase = 58, kCr0 = 59, kCr2 = 60, kCr3 = 61,
                   kCr4 = 62, kCr8 = 63, kEfer = 64, kCount = 65;
}  // namespace reg

struct RegisterInfo {
    const char* name;
    unsigned bits;
    const char* type;   // target description type
    const char* group;  // "general", "float", "vector", "system" or null
};
const RegisterInfo& registerInfo(unsigned n);  // n < reg::kCount

// Bytes of register `n` into `out` (registerInfo(n).bits / 8 bytes).
void readRegister(const cpu::Cpu& c, unsigned n, uint8_t* out);
// Writes register `n`; false if the value is refused (a fault loading a control register or a
// protected-mode selector).
bool writeRegister(cpu::Cpu& c, unsigned n, const uint8_t* in);

// Linear address of the next instruction.
uint64_t linearPc(const cpu::Cpu& c);

}  // namespace pvx::debug
