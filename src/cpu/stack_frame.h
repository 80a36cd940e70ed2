// Writes/reads a stack that is not (yet) SS:RSP: the new stack of an inter-privilege interrupt
// or call, whose pushes must all succeed before any register changes (SDM Vol.3A 6.12.1).
#pragma once
#include "cpu/cpu.h"

namespace pvx::cpu {

struct StackFrame {
    Cpu& c;
    uint64_t base;  // segment base (0 in 64-bit mode)
    uint64_t sp;
    uint64_t mask;  // 0xFFFF, 0xFFFFFFFF or ~0
    bool user;

    void push(uint64_t v, unsigned size) {
        sp = (sp - size) & mask;
        uint64_t lin = (base + sp) & (mask == ~0ull ? ~0ull : 0xFFFFFFFFull);
        if (mask == ~0ull && !Cpu::isCanonical(lin)) raise(kVecSS, 0);
        switch (size) {
            case 2: c.writeLin<uint16_t>(lin, static_cast<uint16_t>(v), user); break;
            case 4: c.writeLin<uint32_t>(lin, static_cast<uint32_t>(v), user); break;
            default: c.writeLin<uint64_t>(lin, v, user); break;
        }
    }
};

inline uint64_t stackMaskFor(const Cpu& c, bool db) {
    if (c.mode == Mode::Long64) return ~0ull;
    return db ? 0xFFFFFFFFull : 0xFFFFull;
}

}  // namespace pvx::cpu
