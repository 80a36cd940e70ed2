// The decoder's view of opcodes.def: one OpRow per table line, with a selector that returns the
// handler instantiation for a decoded instruction's operand size and register/memory form.
#pragma once
#include <cstdint>

#include "cpu/decoded_insn.h"

namespace pvx::cpu {

enum : uint8_t { kFormB, kFormV, kFormS, kFormN };
enum : uint8_t { kModAny, kModMem, kModReg };
constexpr uint8_t kAny = 0xFF;
enum : uint32_t {
    kFlagD64 = 1, kFlagF64 = 2, kFlagEnd = 4, kFlagOR = 8, kFlagRB = 16, kFlagMB = 32, kFlagMoffs = 64,
    kFlagLK = 128, kFlagSpan8 = 256, kFlagSpan16 = 512, kFlagO64 = 1024, kFlagI64 = 2048, kFlagInternal = 4096,
    // Mandatory prefix (SDM Vol.2 2.1.2, "mandatory prefixes" of SSE encodings): a row with one of
    // these matches only when Zydis reports exactly that prefix as mandatory; PNP = none. A 66
    // that is mandatory does not change the operand size (REX.W still does).
    kFlagPNP = 1u << 13, kFlagP66 = 1u << 14, kFlagPF3 = 1u << 15, kFlagPF2 = 1u << 16,
    kFlagPrefixMask = kFlagPNP | kFlagP66 | kFlagPF3 | kFlagPF2,
};

struct OpRow {
    const char* name;
    uint8_t map, opcode, mod, reg, rm, form;
    uint32_t flags;
    Handler (*select)(const DecodedInsn&);
};

enum OpId : uint16_t {
#define PVX_OP(NAME, ...) OP_##NAME,
#include "cpu/opcodes.def"
#undef PVX_OP
    kOpRowCount
};
constexpr uint16_t kRowUdFault = OP_INVALID_UD;
constexpr uint16_t kRowGpFault = OP_INVALID_GP;

extern const OpRow kOpRows[kOpRowCount];

}  // namespace pvx::cpu
