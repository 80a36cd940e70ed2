#include "machine/linux_loader.h"

#include <algorithm>
#include <cstring>

namespace pvx {

namespace {

// Setup header offsets (boot.rst "The real-mode kernel header").
constexpr size_t kSetupSects = 0x1F1, kVidMode = 0x1FA, kBootFlag = 0x1FE, kHeader = 0x202, kVersion = 0x206,
                 kTypeOfLoader = 0x210, kLoadFlags = 0x211, kRamdiskImage = 0x218, kRamdiskSize = 0x21C,
                 kHeapEndPtr = 0x224, kCmdLinePtr = 0x228, kInitrdAddrMax = 0x22C, kCmdlineSize = 0x238,
                 kXLoadFlags = 0x236, kInitSize = 0x260;
constexpr uint8_t kLoadedHigh = 0x01, kCanUseHeap = 0x80;
constexpr uint16_t kXlfKernel64 = 0x01;  // startup_64 at code32_start + 0x200 (protocol 2.12)
// boot_params (zero page): the setup header is copied to its own offset, 0x1F1; it ends at
// 0x202 + the byte at 0x201 (boot.rst "The real-mode kernel header").
constexpr size_t kZeroPageSize = 4096, kHeaderStart = 0x1F1;

template <typename T> T get(const std::vector<uint8_t>& f, size_t off) {
    T v{};
    if (off + sizeof(T) <= f.size()) std::memcpy(&v, f.data() + off, sizeof(T));
    return v;
}
template <typename T> void put(std::vector<uint8_t>& f, size_t off, T v) { std::memcpy(f.data() + off, &v, sizeof(T)); }

}  // namespace

bool isLinuxBzImage(const std::vector<uint8_t>& file) {
    return file.size() > 0x300 && std::memcmp(file.data() + kHeader, "HdrS", 4) == 0 && get<uint16_t>(file, kBootFlag) == 0xAA55;
}

std::string loadLinux(const std::vector<uint8_t>& kernel, const std::string& cmdline, const std::vector<uint8_t>* initrd,
                      unsigned entry, PhysicalMemory& mem, LinuxBootLayout& out) {
    if (!isLinuxBzImage(kernel)) return "--kernel: not a Linux bzImage (no setup header)";
    if (entry != 16 && entry != 32 && entry != 64) return "--kernel-entry: must be 16, 32 or 64";
    out.entry = entry;
    out.protocol = get<uint16_t>(kernel, kVersion);
    // Protocol 2.06 (Linux 2.6.22) gives cmdline_size, init_size comes with 2.10; older kernels
    // are not 64-bit kernels pvx needs to boot.
    if (out.protocol < 0x020A) return "--kernel: Linux boot protocol " + std::to_string(out.protocol >> 8) + "." +
                                      std::to_string(out.protocol & 0xFF) + " is too old (2.10 or newer needed)";
    if (entry == 64 && (out.protocol < 0x020C || !(get<uint16_t>(kernel, kXLoadFlags) & kXlfKernel64)))
        return "--kernel-entry 64: this kernel has no 64-bit entry point (XLF_KERNEL_64)";
    const uint8_t loadFlags = get<uint8_t>(kernel, kLoadFlags);
    if (!(loadFlags & kLoadedHigh)) return "--kernel: a zImage (loaded low) is not supported; use a bzImage";
    unsigned setupSects = get<uint8_t>(kernel, kSetupSects);
    if (setupSects == 0) setupSects = 4;
    const size_t setupBytes = (setupSects + 1) * 512ull;
    if (setupBytes >= kernel.size()) return "--kernel: truncated bzImage";
    if (setupBytes > 0x8000) return "--kernel: setup code larger than 32 KiB";
    out.kernelSize = kernel.size() - setupBytes;
    out.initSize = get<uint32_t>(kernel, kInitSize);
    const uint64_t lowEnd = mem.lowRamEnd();
    const uint64_t kernelEnd = LinuxBootLayout::kKernelBase + std::max<uint64_t>(out.kernelSize, out.initSize);
    if (kernelEnd > lowEnd) return "--kernel: not enough guest RAM for the kernel (use a larger -m)";

    // Command line (boot.rst: NUL-terminated, at most cmdline_size bytes).
    const uint32_t cmdMax = get<uint32_t>(kernel, kCmdlineSize);
    if (cmdline.size() > cmdMax) return "--append: command line longer than the kernel's " + std::to_string(cmdMax) + " bytes";
    if (!mem.writeRam(LinuxBootLayout::kCmdlineBase, cmdline.c_str(), cmdline.size() + 1)) return "--append: no RAM";

    // Initrd: as high as the kernel allows, page aligned, above the decompressing kernel.
    out.initrdBase = out.initrdSize = 0;
    if (initrd && !initrd->empty()) {
        const uint64_t maxAddr = std::min<uint64_t>(get<uint32_t>(kernel, kInitrdAddrMax), lowEnd - 1);
        const uint64_t size = initrd->size();
        if (size > maxAddr + 1) return "--initrd: larger than the RAM the kernel can reach";
        const uint64_t base = (maxAddr + 1 - size) & ~0xFFFull;
        if (base < kernelEnd) return "--initrd: does not fit in guest RAM above the kernel (use a larger -m)";
        if (!mem.writeRam(base, initrd->data(), size)) return "--initrd: does not fit in guest RAM";
        out.initrdBase = base;
        out.initrdSize = size;
    }

    // The setup header a boot loader fills in (boot.rst "Details of header fields").
    std::vector<uint8_t> setup(kernel.begin(), kernel.begin() + static_cast<long>(setupBytes));
    put<uint16_t>(setup, kVidMode, 0xFFFF);           // "normal" text mode
    put<uint8_t>(setup, kTypeOfLoader, 0xFF);         // no assigned boot loader ID
    put<uint8_t>(setup, kLoadFlags, static_cast<uint8_t>(loadFlags | kCanUseHeap));
    put<uint16_t>(setup, kHeapEndPtr, LinuxBootLayout::kStackTop - 0x200);
    put<uint32_t>(setup, kCmdLinePtr, static_cast<uint32_t>(LinuxBootLayout::kCmdlineBase));
    put<uint32_t>(setup, kRamdiskImage, static_cast<uint32_t>(out.initrdBase));
    put<uint32_t>(setup, kRamdiskSize, static_cast<uint32_t>(out.initrdSize));
    if (!mem.writeRam(LinuxBootLayout::kRealModeBase, setup.data(), setup.size())) return "--kernel: no RAM for the setup code";
    if (!mem.writeRam(LinuxBootLayout::kKernelBase, kernel.data() + setupBytes, out.kernelSize))
        return "--kernel: no RAM for the kernel";
    if (entry != 16) {
        // The zero page: zeros, then the completed setup header at its own offset (boot.rst
        // "32-bit boot protocol": the loader "should" fill the fields it would have filled for
        // the 16-bit entry). The BIOS adds e820_table/e820_entries and acpi_rsdp_addr.
        const size_t headerEnd = 0x202 + get<uint8_t>(kernel, 0x201);
        if (headerEnd > setup.size() || headerEnd > kZeroPageSize) return "--kernel: setup header longer than the setup code";
        std::vector<uint8_t> zeroPage(kZeroPageSize, 0);
        std::copy(setup.begin() + kHeaderStart, setup.begin() + static_cast<long>(headerEnd), zeroPage.begin() + kHeaderStart);
        if (!mem.writeRam(LinuxBootLayout::kZeroPage, zeroPage.data(), zeroPage.size())) return "--kernel: no RAM for the zero page";
    }
    return {};
}

}  // namespace pvx
