// Flag producers followed by flag consumers. pvx computes OSZAPC lazily (cpu/lazy_flags.h): an
// ALU instruction records its operands and the next reader derives the flag or condition it
// needs, with shortcuts for common pairs (CMP/SUB + Jcc). Single-instruction cases only ever
// see flags loaded eagerly, so here each case runs two instructions -- a producer (ADD, SUB,
// CMP, logic, INC/DEC, NEG, shifts by 1, XADD, CMPXCHG...) on random operands, then a consumer
// (SETcc, CMOVcc, Jcc, ADC, SBB, RCL by 1, LAHF) -- natively and in pvx, and compares the
// consumer's result and the final flags. Conditions read only OF/SF/ZF/PF/CF, which all these
// producers define; AF (undefined after logic ops and shifts) is only visible through LAHF,
// whose AH bit 4 is then not compared.
#include "forms_common.h"

namespace pvx::difftest {

namespace {

struct Producer {
    const char* name;
    uint8_t opByte, opV;  // one-byte opcodes (0x0F-prefixed when twoByte)
    int digit;            // ModRM.reg extension, or -1 for a register operand
    unsigned imm;         // immediate bytes (imm8)
    uint32_t defined;
    bool twoByte = false;
};

const uint32_t kNoAf = kStatus & ~AF;
const Producer kProducers[] = {
    {"ADD", 0x00, 0x01, -1, 0, kStatus},       {"ADC", 0x10, 0x11, -1, 0, kStatus},
    {"SUB", 0x28, 0x29, -1, 0, kStatus},       {"SBB", 0x18, 0x19, -1, 0, kStatus},
    {"CMP", 0x38, 0x39, -1, 0, kStatus},       {"AND", 0x20, 0x21, -1, 0, kNoAf},
    {"OR", 0x08, 0x09, -1, 0, kNoAf},          {"XOR", 0x30, 0x31, -1, 0, kNoAf},
    {"TEST", 0x84, 0x85, -1, 0, kNoAf},        {"INC", 0xFE, 0xFF, 0, 0, kStatus},
    {"DEC", 0xFE, 0xFF, 1, 0, kStatus},        {"NEG", 0xF6, 0xF7, 3, 0, kStatus},
    {"SHL 1", 0xD0, 0xD1, 4, 0, kNoAf},        {"SHR 1", 0xD0, 0xD1, 5, 0, kNoAf},
    {"SAR 1", 0xD0, 0xD1, 7, 0, kNoAf},        {"CMP imm8", 0x80, 0x83, 7, 1, kStatus},
    {"SUB imm8", 0x80, 0x83, 5, 1, kStatus},   {"ADC imm8", 0x80, 0x83, 2, 1, kStatus},
    {"XADD", 0xC0, 0xC1, -1, 0, kStatus, true}, {"CMPXCHG", 0xB0, 0xB1, -1, 0, kStatus, true},
};

enum class Consumer { SETcc, CMOVcc, Jcc, ADC, SBB, RCL1, LAHF };
const char* kConsumerNames[] = {"SETcc", "CMOVcc", "Jcc", "ADC", "SBB", "RCL 1", "LAHF"};

unsigned pickReg(Gen& g, unsigned size) {
    for (;;) {
        const unsigned r = static_cast<unsigned>(g.below(g.mode() == 64 ? 16 : (size == 1 ? 4 : 8)));
        if (r != RSP) return r;
    }
}

// A register-register (or register, /digit) ModRM instruction.
Insn encRR(const std::vector<uint8_t>& opcode, unsigned osz, int digit, unsigned reg, unsigned rm) {
    Insn in;
    if (osz == 2) in.prefixes.push_back(0x66);
    if (osz == 8) in.rexBits |= 8;
    in.opcode = opcode;
    in.hasModrm = true;
    in.mod = 3;
    in.reg = static_cast<uint8_t>(digit >= 0 ? digit : reg & 7);
    in.rm = static_cast<uint8_t>(rm & 7);
    if (digit < 0 && reg >= 8) in.rexBits |= 4;
    if (rm >= 8) in.rexBits |= 1;
    if (osz == 1 && ((digit < 0 && reg >= 4) || rm >= 4)) in.rex = true;  // SPL..DIL, never AH..BH
    return in;
}

void append(Gen& g, std::vector<uint8_t>& code, const Insn& in) {
    const std::vector<uint8_t> b = in.encode(g.insnLin() + code.size());
    code.insert(code.end(), b.begin(), b.end());
}

void genPair(Gen& g, const Producer& p, Consumer k) {
    const std::vector<unsigned> sizes = g.mode() == 64 ? std::vector<unsigned>{1, 2, 4, 8} : std::vector<unsigned>{1, 2, 4};
    const unsigned osz = g.pick(sizes);
    const unsigned a = pickReg(g, osz), b = g.pct(10) ? a : pickReg(g, osz);
    g.setReg(osz, a, g.value(osz));
    g.setReg(osz, b, g.value(osz));
    if (g.pct(30)) g.setReg(osz, b, g.reg(osz, a));                     // equal operands
    else if (g.pct(20)) g.setReg(osz, b, g.reg(osz, a) + (g.pct(50) ? 1 : -1));  // neighbours
    if (p.name == std::string("CMPXCHG") && g.pct(50)) g.setReg(osz, RAX, g.reg(osz, a));

    std::vector<uint8_t> opc;
    if (p.twoByte) opc.push_back(0x0F);
    opc.push_back(osz == 1 ? p.opByte : p.opV);
    Insn prod = encRR(opc, osz, p.digit, b, a);
    if (p.imm) prod.addImm(g.pct(30) ? g.reg(1, a) : immValue(g, 1), 1);

    std::vector<uint8_t> code;
    append(g, code, prod);
    uint32_t defined = p.defined;
    const unsigned cc = static_cast<unsigned>(g.below(16));
    const unsigned csz = g.mode() == 64 && g.pct(50) ? 8 : 4;
    unsigned steps = 2;
    switch (k) {
        case Consumer::SETcc: {
            const unsigned r = pickReg(g, 1);
            append(g, code, encRR({0x0F, static_cast<uint8_t>(0x90 + cc)}, 1, 0, 0, r));
            break;
        }
        case Consumer::CMOVcc: {
            const unsigned d = pickReg(g, csz), s = pickReg(g, csz);
            append(g, code, encRR({0x0F, static_cast<uint8_t>(0x40 + cc)}, csz, -1, d, s));
            break;
        }
        case Consumer::Jcc: {
            Insn j;
            j.opcode = {static_cast<uint8_t>(0x70 + cc)};
            j.addImm(3, 1);
            append(g, code, j);
            code.insert(code.end(), {0x8D, 0x5B, 0x01});  // lea ebx, [rbx+1]: runs if not taken
            steps = 3;
            break;
        }
        case Consumer::ADC:
        case Consumer::SBB: {
            const unsigned d = pickReg(g, csz), s = pickReg(g, csz);
            append(g, code, encRR({static_cast<uint8_t>(k == Consumer::ADC ? 0x11 : 0x19)}, csz, -1, s, d));
            defined = kStatus;
            break;
        }
        case Consumer::RCL1:
            append(g, code, encRR({0xD1}, csz, 2, 0, pickReg(g, csz)));
            defined |= CF | OF;
            break;
        case Consumer::LAHF:
            code.push_back(0x9F);
            if (!(p.defined & AF)) g.c.regMask[RAX] &= ~(uint64_t{AF} << 8);
            break;
    }
    g.c.code = code;
    g.c.insnLen = static_cast<unsigned>(code.size());
    g.c.maxSteps = steps;
    g.c.defined = defined;
    char note[32];
    std::snprintf(note, sizeof note, "size %u, cc %X", osz, cc);
    g.c.note = note;
}

}  // namespace

std::vector<Form> lazyFlagForms() {
    std::vector<Form> out;
    for (int mode : {64, 32}) {
        for (const Producer& p : kProducers) {
            for (unsigned k = 0; k <= static_cast<unsigned>(Consumer::LAHF); ++k) {
                const Consumer c = static_cast<Consumer>(k);
                out.push_back(plainForm(std::string(p.name) + " -> " + kConsumerNames[k], mode == 64 ? 150 : 40,
                                        [&p, c](Gen& g) { genPair(g, p, c); }, mode));
            }
        }
    }
    return out;
}

}  // namespace pvx::difftest
