// One rendered screen: width x height pixels, 0x00RRGGBB, row after row. What the VGA renderer
// produces and the host display / screenshot writer consume.
#pragma once
#include <cstdint>
#include <vector>

namespace pvx {

struct VgaFrame {
    unsigned width = 0;
    unsigned height = 0;
    std::vector<uint32_t> pixels;

    uint32_t at(unsigned x, unsigned y) const { return pixels[static_cast<size_t>(y) * width + x]; }
};

}  // namespace pvx
