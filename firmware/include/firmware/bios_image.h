// pvx's built-in BIOS image (firmware/pvxbios.asm), embedded at build time.
#pragma once

namespace pvx::firmware {

extern const unsigned char kBiosImage[];
extern const unsigned long kBiosImageSize;

}  // namespace pvx::firmware
