// Builds kOpRows from opcodes.def. Every handler template is instantiated here, once per operand
// size and register/memory form the table asks for, so the handlers live in headers under
// cpu/insn/ that only this translation unit includes.
#include "cpu/dispatch_table.h"

#include "cpu/insn/handlers.h"

namespace pvx::cpu {

namespace {
constexpr uint8_t A = kModAny, M = kModMem, R = kModReg, X = kAny;
constexpr uint8_t B = kFormB, V = kFormV, S = kFormS, N = kFormN;
constexpr uint32_t D64 = kFlagD64, F64 = kFlagF64, END = kFlagEnd, OR = kFlagOR, RB = kFlagRB, MB = kFlagMB,
                   MOFFS = kFlagMoffs, LK = kFlagLK, SPAN8 = kFlagSpan8, SPAN16 = kFlagSpan16, O64 = kFlagO64,
                   I64 = kFlagI64, INTERNAL = kFlagInternal, PNP = kFlagPNP, P66 = kFlagP66, PF3 = kFlagPF3,
                   PF2 = kFlagPF2;
}  // namespace

#define PVX_TARGS(...) __VA_OPT__(, __VA_ARGS__)
#define PVX_SEL_B(H, ...)                                                                            \
    +[](const DecodedInsn& i) -> Handler {                                                           \
        return i.isMem() ? &H<uint8_t, true PVX_TARGS(__VA_ARGS__)> : &H<uint8_t, false PVX_TARGS(__VA_ARGS__)>; \
    }
#define PVX_SEL_V(H, ...)                                                                            \
    +[](const DecodedInsn& i) -> Handler {                                                           \
        switch (i.osz) {                                                                             \
            case 2: return i.isMem() ? &H<uint16_t, true PVX_TARGS(__VA_ARGS__)> : &H<uint16_t, false PVX_TARGS(__VA_ARGS__)>; \
            case 4: return i.isMem() ? &H<uint32_t, true PVX_TARGS(__VA_ARGS__)> : &H<uint32_t, false PVX_TARGS(__VA_ARGS__)>; \
            default: return i.isMem() ? &H<uint64_t, true PVX_TARGS(__VA_ARGS__)> : &H<uint64_t, false PVX_TARGS(__VA_ARGS__)>; \
        }                                                                                            \
    }
#define PVX_SEL_S(H, ...)                                                                            \
    +[](const DecodedInsn& i) -> Handler {                                                           \
        switch (i.osz) {                                                                             \
            case 2: return &H<uint16_t PVX_TARGS(__VA_ARGS__)>;                                      \
            case 4: return &H<uint32_t PVX_TARGS(__VA_ARGS__)>;                                      \
            default: return &H<uint64_t PVX_TARGS(__VA_ARGS__)>;                                     \
        }                                                                                            \
    }
#define PVX_SEL_N(H, ...) +[](const DecodedInsn&) -> Handler { return &H __VA_OPT__(<__VA_ARGS__>); }

const OpRow kOpRows[kOpRowCount] = {
#define PVX_OP(NAME, MAP, OPC, MOD, REG, RM, FORM, FLAGS, HANDLER, ...) \
    {#NAME, MAP, OPC, MOD, REG, RM, FORM, FLAGS, PVX_SEL_##FORM(HANDLER __VA_OPT__(, __VA_ARGS__))},
#include "cpu/opcodes.def"
#undef PVX_OP
};

}  // namespace pvx::cpu
