// Fuzz target: the files a user hands pvx, through src/machine/*_loader and the disk backend:
// a Linux bzImage (with an initrd and a command line, for the 16-, 32- and 64-bit entry), a Multiboot v1 kernel (ELF32 or a.out
// kludge, with a module), a --bios ROM image (read from a file and mapped as the machine maps it,
// then read back across its window), and a raw disk image (opened, read and written at every
// sector, including the partial one at its end).
//
// Input: byte 0 selects the loader, byte 1 where the input splits into (file, initrd/module),
// byte 2 the command-line length taken from the end; the rest is the file.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "common/block_backend.h"
#include "machine/firmware_loader.h"
#include "machine/linux_loader.h"
#include "machine/multiboot_loader.h"
#include "mmu/phys_memory.h"

using namespace pvx;

namespace {

// One scratch file per process (heap-allocated, never destroyed: the atexit hook that removes it
// runs after static destructors could have freed a static string).
const std::string& tempPath() {
    static const std::string* path = [] {
        const char* dir = std::getenv("TMPDIR");
        std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/pvx-fuzz-ld-XXXXXX";
        std::vector<char> name(tmpl.begin(), tmpl.end());
        name.push_back('\0');
        int fd = mkstemp(name.data());
        if (fd < 0) std::abort();
        ::close(fd);
        auto* p = new std::string(name.data());
        std::atexit([] { ::unlink(tempPath().c_str()); });
        return p;
    }();
    return *path;
}

void writeFile(const std::string& path, const uint8_t* p, size_t n) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(p), static_cast<std::streamsize>(n));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 3) return -1;
    // 8 MiB of guest RAM; reused (the loaders only write it).
    static PhysicalMemory* mem = new PhysicalMemory(8ull << 20);
    const uint8_t which = data[0] % 4;
    const size_t body = size - 3;
    const size_t cmdLen = std::min<size_t>(data[2], body);
    const size_t fileLen = body - cmdLen;
    const size_t split = fileLen * data[1] / 255;
    const uint8_t* file = data + 3;
    std::vector<uint8_t> main(file, file + split);
    std::vector<uint8_t> extra(file + split, file + fileLen);
    std::string cmdline(reinterpret_cast<const char*>(file + fileLen), cmdLen);

    switch (which) {
        case 0: {
            LinuxBootLayout layout;
            (void)isLinuxBzImage(main);
            static constexpr unsigned kEntries[] = {16, 32, 64};  // the boot protocol's entry points
            (void)loadLinux(main, cmdline, extra.empty() ? nullptr : &extra, kEntries[data[1] % 3], *mem, layout);
            break;
        }
        case 1: {
            MultibootImage img;
            (void)isMultiboot(main);
            (void)loadMultiboot(main, cmdline, extra.empty() ? nullptr : &extra, cmdline, *mem, img);
            break;
        }
        case 2: {
            writeFile(tempPath(), file, fileLen);
            std::vector<uint8_t> rom;
            if (!loadRomFile(tempPath(), rom).empty()) break;
            PhysicalMemory m(2ull << 20);  // as Machine::buildMemoryMap maps it
            m.addRom(0x100000000ull - rom.size(), rom, "bios");
            if (rom.size() <= 128 * 1024) m.addRom(0x100000 - rom.size(), rom, "bios-legacy");
            uint64_t sum = 0;
            for (uint64_t a = 0x100000000ull - rom.size(); a < 0x100000000ull; a += 509) sum += m.read(a, 4);
            for (uint64_t a = 0xE0000; a < 0x100000; a += 511) sum += m.read(a, 8);
            m.write(0xFFFFFFF0, 4, sum);  // writes to ROM are dropped
            if (m.read(0xFFFFFFFF, 1) != rom.back()) std::abort();
            break;
        }
        case 3: {
            writeFile(tempPath(), file, fileLen);
            std::string error;
            auto disk = BlockBackend::openRaw(tempPath(), data[1] & 1, error);
            if (!disk) break;
            std::vector<uint8_t> buf(4 * BlockBackend::kSectorSize);
            const uint64_t n = disk->sectors();
            for (uint64_t lba = 0; lba <= n + 1; ++lba) {
                const bool ok = disk->read(lba, 1, buf.data());
                if (ok != (lba < n)) std::abort();  // reads past the end fail, inside succeed
                if (!disk->readOnly()) (void)disk->write(lba, 1, buf.data());
            }
            (void)disk->read(n ? n - 1 : 0, 4, buf.data());
            (void)disk->read(~0ull, 2, buf.data());  // LBA + count overflows
            (void)disk->flush();
            break;
        }
    }
    return 0;
}
