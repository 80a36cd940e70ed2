// Instruction decoding: bytes -> DecodedInsn. Zydis does the structural decode (prefixes, ModRM,
// SIB, displacement, immediates, length, and the validity rules: LOCK, REX, per-mode opcodes);
// pvx's own table (opcodes.def) picks the handler. This runs only on decode-cache misses.
#pragma once
#include <cstddef>
#include <cstdint>

#include "cpu/decoded_insn.h"

namespace pvx::cpu {

// Decoder mode keys: which Zydis machine mode applies (also part of the decode-cache key).
enum ModeKey : uint8_t { kKeyReal16 = 0, kKeyPm16, kKeyPm32, kKeyCompat16, kKeyCompat32, kKeyLong64, kNumModeKeys };

enum class DecodeStatus { Ok, NeedMoreBytes };

// Decodes one instruction from `bytes` (`avail` valid bytes). Invalid encodings decode
// successfully into a handler that raises #UD (or #GP for over-long instructions) when executed.
DecodeStatus decodeInstruction(const uint8_t* bytes, size_t avail, ModeKey mode, DecodedInsn& out);

// Opcode-table row names, indexed by DecodedInsn::op (for traces and statistics).
const char* opcodeName(uint16_t op);
unsigned opcodeCount();

}  // namespace pvx::cpu
