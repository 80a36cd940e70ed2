// The host side of the screen: a window (or nothing) that shows VGA frames and turns host key
// presses into PS/2 scan codes. Devices never see this; display_refresh.h connects it to the
// machine.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "devices/vga/vga_frame.h"

namespace pvx {

// Where key events go: set-2 make sequences (I8042::keyEvent) and whole byte sequences for the
// keys whose break code is not "F0h before the last byte" (I8042::keySequence).
struct KeySink {
    std::function<void(std::span<const uint8_t> set2Make, bool release)> key;
    std::function<void(std::span<const uint8_t> set2Bytes)> sequence;
};

class Display {
public:
    virtual ~Display() = default;
    // Shows `frame`; the window follows the frame's size.
    virtual void present(const VgaFrame& frame) = 0;
    // Handles pending host events, sending keys to `keys`. Returns false once the user closed
    // the window (pvx then quits like QEMU: the run ends with exit status 0).
    virtual bool poll(const KeySink& keys) = 0;
};

// The SDL2 window; null and `err` set if SDL cannot open a display (or pvx was built without
// SDL).
std::unique_ptr<Display> createSdlDisplay(std::string& err);

}  // namespace pvx
