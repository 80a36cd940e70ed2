// Learns from this host CPU whether an SSE floating-point instruction traps: with some exceptions
// unmasked traps (#XM), and the MXCSR it leaves behind, so the SseFloatingPoint family can turn
// such inputs into Oracle::Fault cases whose expected state comes from the hardware rather than
// from pvx's own softfloat; likewise misaligned operands and undefined encodings. The instruction runs with register operands only: reg field = XMM0 /
// MM0 / RAX, r/m field = XMM1 / MM1 / RCX (ModRM C1), from a given FXSAVE64 image.
#pragma once
#include <cstdint>
#include <vector>

namespace pvx::difftest {

struct ProbeResult {
    bool trapped = false;  // the host raised an exception
    int vector = -1;       // its vector: 19 #XM, 16 #MF (pending x87 exception), 13 #GP, 6 #UD
    uint32_t mxcsr = 0;    // MXCSR at the trap, or after the instruction
};

// `prefix`: the mandatory prefix (0: none), then REX.W when `rexW`, then `opcode` bytes, ModRM
// C1 and the immediate bytes `imm`. `fx` is the FXSAVE64 image loaded first; `rcx` the value of
// the r/m GPR operand. With memOffset >= 0 the r/m operand is memory instead (ModRM 01: [rcx])
// at that offset into a 64-byte-aligned scratch buffer holding `mem` (up to 32 bytes): for the
// alignment (#GP) and undefined-encoding (#UD) expectations.
ProbeResult probeSse(uint8_t prefix, bool rexW, const std::vector<uint8_t>& opcode, const std::vector<uint8_t>& imm,
                     const uint8_t* fx, uint64_t rcx, int memOffset = -1, const void* mem = nullptr);

}  // namespace pvx::difftest
