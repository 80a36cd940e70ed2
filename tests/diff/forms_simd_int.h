// The generator shared by the simd-int form files (forms_simd_int*.cpp): one SForm describes an
// MMX/SSE integer instruction form (mandatory prefix, opcode, operand kinds, memory size and
// alignment rule, imm8); addSimd() expands it into register and memory forms in 64-bit mode and
// 32-bit protected mode, with edge-lane operands, MMX-register aliasing states (random TOP and
// tags), LOCK (#UD), misaligned m128 (#GP) and pending x87 exception (#MF) cases.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "forms_common.h"

namespace pvx::difftest::simdint {

enum class K : uint8_t { None, Mm, Xmm, Gpr };

// The operands addSimd chose, for hooks.
struct Ops {
    Rm& m;
    K regKind = K::None, rmKind = K::None;
    unsigned reg = 0, rm = 0;  // register numbers (MMX/XMM/GPR) of ModRM.reg and register ModRM.rm
    unsigned memSize = 0;
    // The source (ModRM.rm) operand: its low 64 bits / all of it.
    void setSrc64(Gen& g, uint64_t v) const;
    void setSrc(Gen& g, V128 v) const;
    V128 src(Gen& g) const;
    void setDst(Gen& g, V128 v) const;  // the ModRM.reg register (MMX: the low half)
};

struct SForm {
    std::string name;
    uint8_t pfx = 0;               // mandatory prefix: 0, 0x66, 0xF3, 0xF2
    std::vector<uint8_t> opc;      // opcode bytes (0F ...)
    K reg = K::Xmm, rm = K::Xmm;   // ModRM.reg operand, register-form ModRM.rm operand
    unsigned mem = 16;             // memory operand bytes; 0: no memory form
    bool aligned = false;          // legacy SSE 16-byte alignment rule (misaligned -> #GP(0))
    bool regForm = true;
    int digit = -1;                // ModRM.reg opcode extension
    bool imm = false;              // imm8 follows
    unsigned esz = 1;              // element size of edge-lane values
    unsigned gsz = 4;              // size of a GPR operand
    bool w = false;                // REX.W (64-bit mode only)
    bool pm32 = true, pm64 = true;
    unsigned cases = 100;
    std::function<void(Gen&, Ops&)> hook = nullptr;
};

void addSimd(std::vector<Form>& out, const SForm& f);
// A value whose lanes of `esz` bytes are often edge values (0, 1, MIN, MAX, MIN+-1, 0x80...).
V128 lanesValue(Gen& g, unsigned esz);

// Form lists of the individual files.
std::vector<Form> mmxSse2Forms();   // forms_simd_int.cpp
std::vector<Form> sse3to42Forms();  // forms_simd_int_sse4.cpp
std::vector<Form> specialForms();   // forms_simd_int_special.cpp: string compares, CRC32, faults

}  // namespace pvx::difftest::simdint
