// Linux/x86 boot protocol (`--kernel bzImage`, the kernel's Documentation/arch/x86/boot.rst),
// as a boot loader does it: the real-mode setup code and the setup header at 0x10000, the
// command line at 0x20000, the protected-mode kernel at 1 MiB, the initrd at the top of low RAM.
// The kernel is then entered the 16-bit way, by pvx's BIOS after POST (CMOS byte
// kCmosDirectBoot tells INT 19h to jump to the setup code instead of reading a boot sector),
// so the kernel's real-mode setup sees a real BIOS: E820, video and keyboard services, and the
// ACPI/SMBIOS tables POST put in place.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "mmu/phys_memory.h"

namespace pvx {

struct LinuxBootLayout {
    static constexpr uint64_t kRealModeBase = 0x10000;   // setup code + header (segment 0x1000)
    static constexpr uint64_t kCmdlineBase = 0x20000;
    static constexpr uint64_t kKernelBase = 0x100000;    // protected-mode kernel (code32_start)
    static constexpr uint16_t kStackTop = 0xFE00;        // SS:SP = 1000:FE00, heap ends below it
    uint16_t protocol = 0;       // boot protocol version, e.g. 0x020F
    uint64_t initrdBase = 0, initrdSize = 0;
    uint64_t kernelSize = 0;     // bytes of protected-mode code loaded at 1 MiB
    uint32_t initSize = 0;       // memory the kernel needs from 1 MiB while it decompresses
};

// CMOS byte pvx's BIOS reads at INT 19h: 1 = a kernel's setup code waits at 1000:0000.
constexpr uint8_t kCmosDirectBoot = 0x5F;
constexpr uint8_t kDirectBootLinux = 1;

// True if `file` is a bzImage (setup header signature "HdrS" at 0x202).
bool isLinuxBzImage(const std::vector<uint8_t>& file);

// Loads kernel, command line and initrd into guest RAM. Returns a one-line error or empty.
std::string loadLinux(const std::vector<uint8_t>& kernel, const std::string& cmdline, const std::vector<uint8_t>* initrd,
                      PhysicalMemory& mem, LinuxBootLayout& out);

}  // namespace pvx
