// A minimal x86 instruction encoder for the generators: legacy prefixes, REX, opcode, ModRM,
// SIB, displacement (including RIP-relative, resolved against the instruction's own address)
// and immediates (SDM Vol.2 chapter 2).
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace pvx::difftest {

struct Insn {
    std::vector<uint8_t> prefixes;  // legacy prefixes, in order
    bool rex = false;               // emit a REX byte (also when no bit is set)
    uint8_t rexBits = 0;            // W=8 R=4 X=2 B=1
    std::vector<uint8_t> opcode;
    bool hasModrm = false;
    uint8_t mod = 0, reg = 0, rm = 0;  // 3-bit fields
    bool hasSib = false;
    uint8_t scale = 0, index = 0, base = 0;
    unsigned dispSize = 0;  // 0, 1 or 4
    int32_t disp = 0;
    bool ripRelative = false;
    uint64_t ripTarget = 0;  // RIP-relative: the effective address wanted
    std::vector<uint8_t> imm;

    void addImm(uint64_t v, unsigned size) {
        for (unsigned k = 0; k < size; ++k) imm.push_back(static_cast<uint8_t>(v >> (8 * k)));
    }

    std::vector<uint8_t> encode(uint64_t addr) const {
        std::vector<uint8_t> out = prefixes;
        if (rex || rexBits) out.push_back(static_cast<uint8_t>(0x40 | rexBits));
        out.insert(out.end(), opcode.begin(), opcode.end());
        size_t dispAt = 0;
        if (hasModrm) {
            out.push_back(static_cast<uint8_t>(mod << 6 | (reg & 7) << 3 | (rm & 7)));
            if (hasSib) out.push_back(static_cast<uint8_t>(scale << 6 | (index & 7) << 3 | (base & 7)));
            dispAt = out.size();
            for (unsigned k = 0; k < dispSize; ++k) out.push_back(static_cast<uint8_t>(static_cast<uint32_t>(disp) >> (8 * k)));
        }
        out.insert(out.end(), imm.begin(), imm.end());
        if (ripRelative) {
            // SDM Vol.2 2.2.1.6: relative to the address of the next instruction.
            const int64_t d = static_cast<int64_t>(ripTarget - (addr + out.size()));
            if (d != static_cast<int32_t>(d)) {
                std::fprintf(stderr, "diff: RIP-relative target out of range\n");
                std::abort();
            }
            for (unsigned k = 0; k < 4; ++k) out[dispAt + k] = static_cast<uint8_t>(static_cast<uint32_t>(d) >> (8 * k));
        }
        return out;
    }
};

}  // namespace pvx::difftest
