// Firmware images: the built-in BIOS and user ROM files (--bios).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pvx {

// pvx's own BIOS, assembled from firmware/ at build time.
const std::vector<uint8_t>& builtinFirmware();

// Reads a ROM image for --bios. Returns an error message (one line) or empty on success.
std::string loadRomFile(const std::string& path, std::vector<uint8_t>& out);

}  // namespace pvx
