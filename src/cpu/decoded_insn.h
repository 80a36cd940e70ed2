// One decoded instruction as the decode cache stores it: the handler already chosen for its
// form, operand size and register/memory variant, and every field the handler needs pre-digested
// so executing it never looks at instruction bytes again.
#pragma once
#include <cstdint>

namespace pvx::cpu {

class Cpu;
struct DecodedInsn;
using Handler = void (*)(Cpu&, const DecodedInsn&);

struct DecodedInsn {
    static constexpr uint8_t kNoReg = 0xFF;
    static constexpr uint8_t kRipBase = 16;
    // flags
    static constexpr uint8_t kMem = 1, kLock = 2, kRep = 4, kRepne = 8, kRex = 16, kEndsTrace = 32,
                             kSegOverride = 64;

    Handler fn;
    uint64_t imm;       // first immediate (sign- or zero-extended per encoding), or moffs
    int32_t disp;
    uint16_t imm2;      // second immediate (ENTER's level, far pointer selector)
    uint16_t op;        // opcode-table row id (names, statistics)
    uint8_t len;
    uint8_t osz;        // operand size in bytes: 1, 2, 4, 8
    uint8_t asz;        // address size in bytes: 2, 4, 8
    uint8_t seg;        // effective segment for the memory operand
    uint8_t reg;        // ModRM.reg (+REX.R); for byte forms, a byte offset into the GPR file
    uint8_t rm;         // ModRM.rm (+REX.B) register form; byte forms: byte offset
    uint8_t base;       // memory base register, kNoReg, or kRipBase
    uint8_t index;      // memory index register or kNoReg
    uint8_t scale;      // index shift 0-3
    uint8_t flags;
    uint8_t modrm;      // raw ModRM byte (group decoding inside handlers)
    uint8_t opcode;     // raw last opcode byte

    bool isMem() const { return flags & kMem; }
};

}  // namespace pvx::cpu
