// CRC32 (SDM Vol.2 "CRC32 -- Accumulate CRC32 Value"): CRC-32C over the source's bytes, least
// significant first, with the bit-reflected polynomial 82F63B78h.
#include <array>

#include "cpu/insn/simd_int_elem.h"

namespace pvx::cpu {

namespace {
constexpr std::array<uint32_t, 256> makeTable() {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
        uint32_t r = n;
        for (int k = 0; k < 8; ++k) r = (r >> 1) ^ ((r & 1) ? 0x82F63B78u : 0u);
        t[n] = r;
    }
    return t;
}
constexpr std::array<uint32_t, 256> kTable = makeTable();
}  // namespace

uint32_t crc32c(uint32_t crc, uint64_t data, unsigned bytes) {
    for (unsigned k = 0; k < bytes; ++k) crc = kTable[(crc ^ (data >> (8 * k))) & 0xFF] ^ (crc >> 8);
    return crc;
}

}  // namespace pvx::cpu
