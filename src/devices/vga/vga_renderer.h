// Turns the VGA's state into pixels (IBM VGA Technical Reference: CRT controller timing
// registers for the visible size, attribute controller and DAC for colours): text modes with
// the font in plane 2, 16-colour planar graphics, 256-colour chain-4 graphics (mode 13h), and
// the Bochs VBE modes (8, 15, 16, 24, 32 bits per pixel). Runs on demand (display refresh,
// screenshot), never per guest access.
#pragma once
#include <cstdint>

#include "devices/vga/vga.h"
#include "devices/vga/vga_frame.h"

namespace pvx {

struct VgaRenderOptions {
    // Text mode blink phase: true shows blinking characters and the cursor (screenshots use
    // true so they do not depend on when they were taken).
    bool blinkOn = true;
};

// Renders the current mode into `out` (resized to the mode). A mode the renderer does not
// know, a disabled display or impossible timings give a blank 640x480 frame.
void renderVga(const Vga& vga, VgaFrame& out, const VgaRenderOptions& opt = {});

// The 0x00RRGGBB colour of DAC entry `index` through the pel mask.
uint32_t vgaDacColor(const vga::VgaState& s, uint8_t index);

}  // namespace pvx
