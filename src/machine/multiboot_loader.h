// Multiboot v1 direct boot (`--kernel file.elf`, the Multiboot Specification 0.6.96): loads an
// ELF32 (or a.out-kludge) kernel with a Multiboot header, builds the information structure
// (memory map, command line, modules from --initrd) and describes the entry state: 32-bit
// protected mode, flat segments, paging off, EAX = 0x2BADB002, EBX = info address.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "mmu/phys_memory.h"

namespace pvx {

struct MultibootImage {
    static constexpr uint32_t kBootMagic = 0x2BADB002;  // EAX at entry
    uint32_t entry = 0;
    uint32_t infoAddress = 0;
};

// True if `file` carries a Multiboot v1 header in its first 8 KiB.
bool isMultiboot(const std::vector<uint8_t>& file);

// Loads the kernel into guest memory. Returns an error message (one line) or empty on success.
std::string loadMultiboot(const std::vector<uint8_t>& kernel, const std::string& cmdline,
                          const std::vector<uint8_t>* module, const std::string& moduleName,
                          PhysicalMemory& mem, MultibootImage& out);

}  // namespace pvx
