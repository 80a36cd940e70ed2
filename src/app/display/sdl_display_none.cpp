// createSdlDisplay for builds without SDL2 (-DPVX_SDL=OFF).
#include "app/display/display.h"

namespace pvx {

std::unique_ptr<Display> createSdlDisplay(std::string& err) {
    err = "--display sdl: this pvx was built without SDL2 (-DPVX_SDL=OFF)";
    return nullptr;
}

}  // namespace pvx
