#include "machine/firmware_loader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#if PVX_HAVE_FIRMWARE
#include "firmware/bios_image.h"
#endif

namespace pvx {

const std::vector<uint8_t>& builtinFirmware() {
#if PVX_HAVE_FIRMWARE
    static const std::vector<uint8_t> img(firmware::kBiosImage, firmware::kBiosImage + firmware::kBiosImageSize);
#else
    // Built without firmware/ (it is assembled by nasm): a ROM whose reset vector halts.
    static const std::vector<uint8_t> img = [] {
        std::vector<uint8_t> v(4096, 0xFF);
        v[4096 - 16] = 0xFA;  // cli
        v[4096 - 15] = 0xF4;  // hlt
        return v;
    }();
#endif
    return img;
}

std::string loadRomFile(const std::string& path, std::vector<uint8_t>& out) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return "--bios: cannot open '" + path + "': " + std::strerror(errno);
    out.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    if (out.empty()) return "--bios: '" + path + "' is empty";
    if (out.size() > (16u << 20)) return "--bios: '" + path + "' is larger than 16 MiB";
    return {};
}

}  // namespace pvx
