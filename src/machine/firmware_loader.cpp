#include "machine/firmware_loader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "firmware/bios_image.h"

namespace pvx {

const std::vector<uint8_t>& builtinFirmware() {
    static const std::vector<uint8_t> img(firmware::kBiosImage, firmware::kBiosImage + firmware::kBiosImageSize);
    return img;
}

std::string loadRomFile(const std::string& path, std::vector<uint8_t>& out) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return "--bios: '" + path + "' is a directory";
    std::ifstream f(path, std::ios::binary);
    if (!f) return "--bios: cannot open '" + path + "': " + std::strerror(errno);
    out.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    if (out.empty()) return "--bios: '" + path + "' is empty";
    if (out.size() > (16u << 20)) return "--bios: '" + path + "' is larger than 16 MiB";
    return {};
}

}  // namespace pvx
