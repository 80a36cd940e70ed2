// Linux/x86 boot protocol (`--kernel bzImage`, the kernel's Documentation/arch/x86/boot.rst),
// as a boot loader does it: the real-mode setup code and the setup header at 0x10000, the
// command line at 0x20000, the protected-mode kernel at 1 MiB, the initrd at the top of low RAM.
// The kernel is entered after POST by pvx's BIOS (CMOS byte kCmosDirectBoot tells INT 19h to
// start the kernel instead of reading a boot sector), in one of the protocol's three ways:
//  - 16-bit (default, as QEMU's -kernel does): the kernel's real-mode setup code at 1020:0000
//    sees a real BIOS: E820, video and keyboard services, the ACPI/SMBIOS tables of POST.
//  - 32-bit / 64-bit ("32-bit/64-bit boot protocol"): no BIOS code runs after the kernel starts.
//    pvx writes the zero page (boot_params with the setup header) at kZeroPage; the BIOS adds
//    what only it knows, the E820 map and the ACPI RSDP, switches to flat protected mode (or to
//    long mode with an identity map of the low 4 GiB at kPageTables) and jumps to code32_start
//    (+0x200 for 64-bit) with ESI/RSI = the zero page.
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
    static constexpr uint64_t kZeroPage = 0x30000;       // boot_params for the 32/64-bit entries
    static constexpr uint64_t kPageTables = 0x40000;     // 24 KiB: the 64-bit entry's identity map
    unsigned entry = 16;         // 16, 32 or 64
    uint16_t protocol = 0;       // boot protocol version, e.g. 0x020F
    uint64_t initrdBase = 0, initrdSize = 0;
    uint64_t kernelSize = 0;     // bytes of protected-mode code loaded at 1 MiB
    uint32_t initSize = 0;       // memory the kernel needs from 1 MiB while it decompresses
};

// CMOS byte pvx's BIOS reads at INT 19h: 1 = a kernel's setup code waits at 1000:0000;
// 2/3 = enter the kernel at its 32-bit/64-bit entry with the zero page at kZeroPage.
constexpr uint8_t kCmosDirectBoot = 0x5F;
constexpr uint8_t kDirectBootLinux = 1;
constexpr uint8_t kDirectBootLinux32 = 2;
constexpr uint8_t kDirectBootLinux64 = 3;
inline uint8_t directBootFlag(unsigned entry) {
    return entry == 64 ? kDirectBootLinux64 : entry == 32 ? kDirectBootLinux32 : kDirectBootLinux;
}

// True if `file` is a bzImage (setup header signature "HdrS" at 0x202).
bool isLinuxBzImage(const std::vector<uint8_t>& file);

// Loads kernel, command line and initrd into guest RAM for entry `entry` (16, 32 or 64), and for
// 32/64 the zero page. Returns a one-line error or empty.
std::string loadLinux(const std::vector<uint8_t>& kernel, const std::string& cmdline, const std::vector<uint8_t>* initrd,
                      unsigned entry, PhysicalMemory& mem, LinuxBootLayout& out);

}  // namespace pvx
