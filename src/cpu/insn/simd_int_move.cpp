// MASKMOVQ/MASKMOVDQU's byte-masked store (SDM Vol.2 "MASKMOVQ", "MASKMOVDQU").
#include "cpu/insn/simd_int_move.h"

namespace pvx::cpu {

void maskedStore(Cpu& c, const DecodedInsn& i, const uint8_t* src, const uint8_t* mask, unsigned n) {
    int first = -1, last = -1;
    for (unsigned k = 0; k < n; ++k)
        if (mask[k] & 0x80) {
            if (first < 0) first = static_cast<int>(k);
            last = static_cast<int>(k);
        }
    if (first < 0) return;
    // DS:rDI, rDI sized by the address size (SDM: "DS:DI/EDI/RDI").
    uint64_t off = c.gpr[RDI];
    if (i.asz == 4) off = static_cast<uint32_t>(off);
    else if (i.asz == 2) off = static_cast<uint16_t>(off);
    const uint64_t lin = c.linear(i.seg, off, n, true);
    const unsigned span = static_cast<unsigned>(last - first + 1);
    c.probeWrite(lin + static_cast<unsigned>(first), span, c.cpl == 3);
    for (unsigned k = static_cast<unsigned>(first); k <= static_cast<unsigned>(last); ++k)
        if (mask[k] & 0x80) c.writeLin<uint8_t>(lin + k, src[k], c.cpl == 3);
}

}  // namespace pvx::cpu
