#include "machine/multiboot_loader.h"

#include <cstring>

namespace pvx {

namespace {
constexpr uint32_t kHeaderMagic = 0x1BADB002;
// Fixed low-memory layout for what the loader builds (below the EBDA, above the IVT/BDA).
constexpr uint32_t kInfoAddr = 0x9000, kLoaderNameAddr = 0x9300, kCmdlineAddr = 0x9400, kCmdlineMax = 0x1000,
                   kMmapAddr = 0xA400 - 0x800, kModsAddr = 0xA400 - 0x100;

uint32_t rd32(const std::vector<uint8_t>& f, size_t off) {
    uint32_t v;
    std::memcpy(&v, f.data() + off, 4);
    return v;
}
uint16_t rd16(const std::vector<uint8_t>& f, size_t off) {
    uint16_t v;
    std::memcpy(&v, f.data() + off, 2);
    return v;
}

struct Header {
    size_t offset;
    uint32_t flags;
};

bool findHeader(const std::vector<uint8_t>& f, Header& h) {
    for (size_t off = 0; off + 12 <= f.size() && off < 8192; off += 4) {
        if (rd32(f, off) != kHeaderMagic) continue;
        uint32_t flags = rd32(f, off + 4), sum = rd32(f, off + 8);
        if (static_cast<uint32_t>(kHeaderMagic + flags + sum) != 0) continue;
        h = Header{off, flags};
        return true;
    }
    return false;
}

bool inLowRam(const PhysicalMemory& mem, uint64_t addr, uint64_t len) {
    return len == 0 || (addr + len >= addr && addr + len <= mem.lowRamEnd() && mem.isRamRange(addr, len));
}
}  // namespace

bool isMultiboot(const std::vector<uint8_t>& file) {
    Header h;
    return findHeader(file, h);
}

std::string loadMultiboot(const std::vector<uint8_t>& f, const std::string& cmdline, const std::vector<uint8_t>* module,
                          const std::string& moduleName, PhysicalMemory& mem, MultibootImage& out) {
    Header h;
    if (!findHeader(f, h)) return "--kernel: no Multiboot header in the first 8 KiB";
    // Bits 0-15 are requirements the loader must meet: pvx meets 0 (page-aligned modules) and
    // 1 (memory information); bit 2 (video mode) is ignored as the spec allows for text mode.
    if (h.flags & 0xFFF8) return "--kernel: Multiboot header requires unsupported features (flags 0x" + std::to_string(h.flags) + ")";
    uint64_t kernelEnd = 0;
    if (h.flags & (1u << 16)) {
        // a.out kludge: addresses in the header.
        if (h.offset + 32 > f.size()) return "--kernel: truncated Multiboot header";
        uint32_t headerAddr = rd32(f, h.offset + 12), loadAddr = rd32(f, h.offset + 16);
        uint32_t loadEnd = rd32(f, h.offset + 20), bssEnd = rd32(f, h.offset + 24), entry = rd32(f, h.offset + 28);
        if (loadAddr > headerAddr || headerAddr - loadAddr > h.offset) return "--kernel: inconsistent Multiboot load address";
        uint64_t fileStart = h.offset - (headerAddr - loadAddr);
        uint64_t len = loadEnd ? uint64_t{loadEnd} - loadAddr : f.size() - fileStart;
        if (loadEnd && loadEnd < loadAddr) return "--kernel: Multiboot load_end_addr below load_addr";
        if (fileStart + len > f.size()) return "--kernel: image shorter than its Multiboot load range";
        uint64_t end = bssEnd ? bssEnd : loadAddr + len;
        if (end < loadAddr + len || !inLowRam(mem, loadAddr, end - loadAddr)) return "--kernel: kernel does not fit in guest RAM";
        mem.writeRam(loadAddr, f.data() + fileStart, len);
        std::vector<uint8_t> zeros(end - loadAddr - len, 0);
        mem.writeRam(loadAddr + len, zeros.data(), zeros.size());
        out.entry = entry;
        kernelEnd = end;
    } else {
        // ELF32 (System V ABI): PT_LOAD segments at their physical addresses.
        if (f.size() < 52 || std::memcmp(f.data(), "\x7F" "ELF", 4) != 0) return "--kernel: not an ELF file (and no Multiboot address fields)";
        if (f[4] != 1 || f[5] != 1 || rd16(f, 18) != 3) return "--kernel: Multiboot kernels must be little-endian ELF32 for i386";
        uint32_t phoff = rd32(f, 28);
        uint16_t phentsize = rd16(f, 42), phnum = rd16(f, 44);
        if (phentsize < 32 || uint64_t{phoff} + uint64_t{phentsize} * phnum > f.size()) return "--kernel: truncated ELF program headers";
        unsigned loaded = 0;
        for (unsigned k = 0; k < phnum; ++k) {
            size_t ph = phoff + size_t{k} * phentsize;
            if (rd32(f, ph) != 1) continue;  // PT_LOAD
            uint32_t off = rd32(f, ph + 4), paddr = rd32(f, ph + 12), filesz = rd32(f, ph + 16), memsz = rd32(f, ph + 20);
            if (filesz > memsz || uint64_t{off} + filesz > f.size()) return "--kernel: ELF segment outside the file";
            if (!inLowRam(mem, paddr, memsz)) return "--kernel: ELF segment outside guest RAM";
            mem.writeRam(paddr, f.data() + off, filesz);
            std::vector<uint8_t> zeros(memsz - filesz, 0);
            mem.writeRam(uint64_t{paddr} + filesz, zeros.data(), zeros.size());
            kernelEnd = std::max<uint64_t>(kernelEnd, uint64_t{paddr} + memsz);
            ++loaded;
        }
        if (!loaded) return "--kernel: ELF has no loadable segment";
        out.entry = rd32(f, 24);
    }

    // The information structure (spec section 3.3).
    uint8_t info[88] = {};
    auto put32 = [&](size_t off, uint32_t v) { std::memcpy(info + off, &v, 4); };
    uint32_t flags = (1u << 0) | (1u << 2) | (1u << 6) | (1u << 9);  // mem, cmdline, mmap, loader name
    put32(4, 639);                                                         // mem_lower (KiB)
    put32(8, static_cast<uint32_t>((mem.lowRamEnd() - 0x100000) >> 10));  // mem_upper (KiB above 1 MiB)
    std::string cmd = cmdline.substr(0, kCmdlineMax - 1);
    mem.writeRam(kCmdlineAddr, cmd.c_str(), cmd.size() + 1);
    put32(16, kCmdlineAddr);
    const char name[] = "pvx";
    mem.writeRam(kLoaderNameAddr, name, sizeof name);
    put32(64, kLoaderNameAddr);
    // Memory map: the same ranges the firmware's E820 reports.
    struct Range { uint64_t base, len; uint32_t type; };
    std::vector<Range> map = {{0, 0x9FC00, 1}, {0x9FC00, 0x400, 2}, {0xF0000, 0x10000, 2}, {0x100000, mem.lowRamEnd() - 0x100000, 1}};
    if (mem.highRamEnd() > PhysicalMemory::kHighRamBase) map.push_back({PhysicalMemory::kHighRamBase, mem.highRamEnd() - PhysicalMemory::kHighRamBase, 1});
    std::vector<uint8_t> mm;
    for (const Range& r : map) {
        uint8_t e[24];
        uint32_t size = 20;
        std::memcpy(e, &size, 4);
        std::memcpy(e + 4, &r.base, 8);
        std::memcpy(e + 12, &r.len, 8);
        std::memcpy(e + 20, &r.type, 4);
        mm.insert(mm.end(), e, e + 24);
    }
    mem.writeRam(kMmapAddr, mm.data(), mm.size());
    put32(44, static_cast<uint32_t>(mm.size()));
    put32(48, kMmapAddr);
    if (module) {
        uint64_t modStart = (std::max<uint64_t>(kernelEnd, 0x100000) + 0xFFF) & ~0xFFFull;
        if (!inLowRam(mem, modStart, module->size() + 1)) return "--initrd: module does not fit in guest RAM after the kernel";
        mem.writeRam(modStart, module->data(), module->size());
        uint64_t strAddr = (modStart + module->size() + 0xF) & ~0xFull;
        std::string s = moduleName.substr(0, 255);
        if (!inLowRam(mem, strAddr, s.size() + 1)) return "--initrd: module does not fit in guest RAM after the kernel";
        mem.writeRam(strAddr, s.c_str(), s.size() + 1);
        uint32_t mod[4] = {static_cast<uint32_t>(modStart), static_cast<uint32_t>(modStart + module->size()),
                           static_cast<uint32_t>(strAddr), 0};
        mem.writeRam(kModsAddr, mod, sizeof mod);
        flags |= 1u << 3;
        put32(20, 1);
        put32(24, kModsAddr);
    }
    put32(0, flags);
    mem.writeRam(kInfoAddr, info, sizeof info);
    out.infoAddress = kInfoAddr;
    return {};
}

}  // namespace pvx
