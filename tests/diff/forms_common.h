// Shared building blocks for the forms_*.cpp families.
#pragma once
#include <string>
#include <vector>

#include "harness.h"

namespace pvx::difftest {

using Hook = std::function<void(Gen&, Rm&)>;

// One ModRM instruction form; addModrm() expands it into register and memory forms, in 64-bit
// mode and (for operand sizes up to 32 bits) also in 32-bit protected mode with the same bytes.
struct ModrmForm {
    ModrmForm(std::string n, MSpec s, uint32_t d = kStatus, unsigned imm = 0, unsigned c = 200)
        : name(std::move(n)), spec(std::move(s)), defined(d), immSize(imm), cases(c) {}
    std::string name;
    MSpec spec;
    uint32_t defined = kStatus;  // flags compared
    unsigned immSize = 0;        // immediate after ModRM (random, often an edge value)
    unsigned cases = 200;
    Hook hook;                   // runs after the default random operands are placed
    bool pm32 = true;            // also run in 32-bit protected mode
    bool pm64 = true;            // run in 64-bit mode
    bool regForm = true, memForm = true;
    bool lockable = false;            // LOCK is legal with the memory form (SDM Vol.2 "LOCK")
    std::vector<uint8_t> hostOpcode;  // the host runs this opcode instead (undocumented aliases)
    int hostDigit = -1;               // ... and/or this ModRM.reg extension
};

inline uint64_t immValue(Gen& g, unsigned size) { return g.pct(40) ? g.edge(size) : g.u64() & sizeMask(size); }

inline void setImm(Rm& m, uint64_t v, unsigned size) {
    m.insn.imm.clear();
    m.hostInsn.imm.clear();
    m.addImm(v, size);
}

// Legal prefixes that must not change the result, and LOCK where it is illegal (#UD):
//   LOCK on the memory form of a lockable instruction; LOCK anywhere else raises #UD;
//   a DS/ES/SS segment override on a memory operand (ignored in 64-bit mode; the 32-bit guest's
//   DS, ES and SS share one base); 66 on a byte-sized form (no effect).
inline void addPrefixes(Gen& g, Rm& m, const MSpec& s, bool lockable) {
    auto front = [&](uint8_t p) {
        m.insn.prefixes.insert(m.insn.prefixes.begin(), p);
        m.hostInsn.prefixes.insert(m.hostInsn.prefixes.begin(), p);
    };
    if (m.mem && g.pct(8)) front(g.pick(std::vector<uint8_t>{0x26, 0x36, 0x3E}));
    if (s.osz == 1 && g.pct(8)) front(0x66);
    if (g.c.oracle != Oracle::Host) return;
    if (lockable && m.mem && g.pct(25)) {
        front(0xF0);
    } else if ((!lockable || !m.mem) && g.pct(3)) {
        front(0xF0);
        g.c.oracle = Oracle::Fault;  // SDM Vol.2 "LOCK": #UD with any other instruction or form
        g.c.vector = 6;
    }
}

inline void addModrm(std::vector<Form>& out, const ModrmForm& f) {
    for (int mode : {64, 32}) {
        if (mode == 32 && (!f.pm32 || f.spec.osz == 8)) continue;
        if (mode == 64 && !f.pm64) continue;
        for (bool mem : {false, true}) {
            if ((mem && !f.memForm) || (!mem && !f.regForm)) continue;
            MSpec s = f.spec;
            s.where = mem ? MSpec::MemOnly : MSpec::RegOnly;
            Form form;
            form.name = f.name + (mem ? " mem" : " reg") + (mode == 32 ? " [pm32]" : "");
            form.cases = mode == 32 ? (f.cases + 3) / 4 : f.cases;
            form.mode = mode;
            form.gen = [f, s](Gen& g) {
                Rm m = g.modrm(s);
                g.setRm(m, g.value(m.rmSize > 8 ? 8 : m.rmSize));
                if (s.digit < 0) g.setRegOp(m, g.value(m.regSize));
                if (f.immSize) m.addImm(immValue(g, f.immSize), f.immSize);
                if (!f.hostOpcode.empty() || f.hostDigit >= 0) {
                    m.hostDiffers = true;
                    if (!f.hostOpcode.empty()) m.hostInsn.opcode = f.hostOpcode;
                    if (f.hostDigit >= 0) m.hostInsn.reg = static_cast<uint8_t>(f.hostDigit);
                }
                g.c.defined = f.defined;
                if (f.hook) f.hook(g, m);
                addPrefixes(g, m, f.spec, f.lockable);
                g.finish(m);
            };
            out.push_back(std::move(form));
        }
    }
}

// A form without ModRM: prefixes + opcode (+ immediate) built by `build`.
inline Form plainForm(const std::string& name, unsigned cases, std::function<void(Gen&)> gen, int mode = 64) {
    Form f;
    f.name = name + (mode == 32 ? " [pm32]" : "");
    f.cases = cases;
    f.mode = mode;
    f.gen = std::move(gen);
    return f;
}

// Operand-size prefix / REX.W for a V-form of `osz` bytes (plus, sometimes, an empty REX).
inline void sizePrefix(Gen& g, Insn& in, unsigned osz) {
    if (osz == 2) in.prefixes.push_back(0x66);
    if (osz == 8) in.rexBits |= 8;
    if (g.mode() == 64 && osz != 8 && g.pct(10)) in.rex = true;
}

inline ModrmForm locked(ModrmForm f, bool lockable = true) {
    f.lockable = lockable;
    return f;
}

inline std::string sz(unsigned osz) { return std::string(" ") + sizeName(osz); }

}  // namespace pvx::difftest
