// Writes a VgaFrame as an 8-bit RGB PNG (libpng).
#pragma once
#include <string>

#include "devices/vga/vga_frame.h"

namespace pvx {

// Returns an empty string on success, else what went wrong.
std::string writePng(const std::string& path, const VgaFrame& frame);

}  // namespace pvx
