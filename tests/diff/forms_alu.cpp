// ADD/OR/ADC/SBB/AND/SUB/XOR/CMP in every encoding, TEST, INC/DEC, NOT/NEG (SDM Vol.2).
// Flags: AND/OR/XOR/TEST leave AF undefined ("The OF and CF flags are cleared; the SF, ZF, and
// PF flags are set according to the result. The state of the AF flag is undefined."); the
// others define all six. INC/DEC leave CF unaffected, NOT affects none: compared as unchanged.
#include "forms_common.h"

namespace pvx::difftest {

namespace {

struct AluOp {
    const char* name;
    uint8_t base;  // opcode of the Eb,Gb form; the group-1 extension is base >> 3
    bool logic;
};
const AluOp kAluOps[] = {{"ADD", 0x00, false}, {"OR", 0x08, true},  {"ADC", 0x10, false}, {"SBB", 0x18, false},
                         {"AND", 0x20, true},  {"SUB", 0x28, false}, {"XOR", 0x30, true},  {"CMP", 0x38, false}};

// AL/eAX, imm (opcodes base+4 / base+5, A8 / A9 for TEST).
Form accImm(const std::string& name, uint8_t opcode, unsigned osz, uint32_t defined, int mode) {
    return plainForm(name, mode == 64 ? 200 : 50, [=](Gen& g) {
        Insn in;
        sizePrefix(g, in, osz);
        in.opcode = {opcode};
        g.setReg(osz, RAX, g.value(osz));
        in.addImm(immValue(g, osz > 4 ? 4 : osz), osz > 4 ? 4 : osz);  // Iz: imm32 sign-extended for 64
        g.c.defined = defined;
        g.finish(in);
    }, mode);
}

}  // namespace

std::vector<Form> aluForms() {
    std::vector<Form> out;
    for (const AluOp& op : kAluOps) {
        const uint32_t defined = op.logic ? kStatus & ~AF : kStatus;
        const std::string n = op.name;
        MSpec s;
        // E,G and G,E forms.
        s.opcode = {static_cast<uint8_t>(op.base + 0)};
        s.osz = 1;
        const bool lk = op.base != 0x38;  // every op but CMP writes its r/m operand
        addModrm(out, locked({n + " Eb,Gb", s, defined}, lk));
        s.opcode = {static_cast<uint8_t>(op.base + 2)};
        addModrm(out, {n + " Gb,Eb", s, defined});
        for (unsigned osz : {2u, 4u, 8u}) {
            s.osz = osz;
            s.opcode = {static_cast<uint8_t>(op.base + 1)};
            addModrm(out, locked({n + " Ev,Gv" + sz(osz), s, defined}, lk));
            s.opcode = {static_cast<uint8_t>(op.base + 3)};
            addModrm(out, {n + " Gv,Ev" + sz(osz), s, defined});
        }
        // Accumulator, immediate.
        for (int mode : {64, 32}) {
            out.push_back(accImm(n + " AL,Ib", static_cast<uint8_t>(op.base + 4), 1, defined, mode));
            for (unsigned osz : {2u, 4u, 8u})
                if (mode == 64 || osz != 8) out.push_back(accImm(n + " eAX,Iz" + sz(osz), static_cast<uint8_t>(op.base + 5), osz, defined, mode));
        }
        // Group 1: 80 Eb,Ib; 81 Ev,Iz; 83 Ev,Ib (sign-extended).
        MSpec g1;
        g1.digit = op.base >> 3;
        g1.opcode = {0x80};
        g1.osz = 1;
        addModrm(out, locked({n + " Eb,Ib (80)", g1, defined, 1}, lk));
        for (unsigned osz : {2u, 4u, 8u}) {
            g1.osz = osz;
            g1.opcode = {0x81};
            addModrm(out, locked({n + " Ev,Iz (81)" + sz(osz), g1, defined, osz == 2 ? 2u : 4u}, lk));
            g1.opcode = {0x83};
            addModrm(out, locked({n + " Ev,Ib (83)" + sz(osz), g1, defined, 1}, lk));
        }
    }

    // TEST: 84/85, A8/A9, F6/F7 /0 and the undocumented /1 alias (the host runs /0).
    const uint32_t logic = kStatus & ~AF;
    MSpec t;
    t.opcode = {0x84};
    t.osz = 1;
    addModrm(out, {"TEST Eb,Gb", t, logic});
    t.opcode = {0xF6};
    t.digit = 0;
    addModrm(out, {"TEST Eb,Ib (F6 /0)", t, logic, 1});
    {
        ModrmForm alias{"TEST Eb,Ib (F6 /1 alias)", t, logic, 1, 60};
        alias.spec.digit = 1;
        alias.hostDigit = 0;
        addModrm(out, alias);
    }
    for (unsigned osz : {2u, 4u, 8u}) {
        MSpec v;
        v.opcode = {0x85};
        v.osz = osz;
        addModrm(out, {"TEST Ev,Gv" + sz(osz), v, logic});
        v.opcode = {0xF7};
        v.digit = 0;
        addModrm(out, {"TEST Ev,Iz (F7 /0)" + sz(osz), v, logic, osz == 2 ? 2u : 4u});
        ModrmForm alias{"TEST Ev,Iz (F7 /1 alias)" + sz(osz), v, logic, osz == 2 ? 2u : 4u, 60};
        alias.spec.digit = 1;
        alias.hostDigit = 0;
        addModrm(out, alias);
    }
    for (int mode : {64, 32}) {
        out.push_back(accImm("TEST AL,Ib", 0xA8, 1, logic, mode));
        for (unsigned osz : {2u, 4u, 8u})
            if (mode == 64 || osz != 8) out.push_back(accImm("TEST eAX,Iz" + sz(osz), 0xA9, osz, logic, mode));
    }

    // INC/DEC (FE/FF /0 /1): CF unaffected. NOT/NEG (F6/F7 /2 /3): NOT affects no flag.
    struct Unary {
        const char* name;
        uint8_t b, v;
        int digit;
    };
    for (const Unary& u : {Unary{"INC", 0xFE, 0xFF, 0}, Unary{"DEC", 0xFE, 0xFF, 1}, Unary{"NOT", 0xF6, 0xF7, 2},
                           Unary{"NEG", 0xF6, 0xF7, 3}}) {
        MSpec s;
        s.digit = u.digit;
        s.opcode = {u.b};
        s.osz = 1;
        addModrm(out, locked({std::string(u.name) + " Eb", s, kStatus}));
        for (unsigned osz : {2u, 4u, 8u}) {
            s.opcode = {u.v};
            s.osz = osz;
            addModrm(out, locked({std::string(u.name) + " Ev" + sz(osz), s, kStatus}));
        }
    }
    return out;
}

// ---- MUL/IMUL/DIV/IDIV (F6/F7 /4-/7) and IMUL Gv,Ev(,imm) --------------------------------

namespace {

// Would DIV/IDIV fault (SDM Vol.2 "DIV": #DE if the divisor is 0 or the quotient does not fit)?
bool divides(bool isSigned, unsigned size, uint64_t hi, uint64_t lo, uint64_t divisor) {
    const unsigned B = 8 * size;
    const uint64_t m = sizeMask(size);
    hi &= m;
    lo &= m;
    divisor &= m;
    if (divisor == 0) return false;
    using U = unsigned __int128;
    const U dividend = (U(hi) << B) | lo;
    if (!isSigned) return (dividend / divisor) >> B == 0;
    // Signed: work with magnitudes, so no host arithmetic can overflow.
    const bool dneg = (hi >> (B - 1)) & 1, vneg = (divisor >> (B - 1)) & 1;
    const U full = B == 64 ? ~U(0) : (U(1) << (2 * B)) - 1;
    const U mag = dneg ? ((~dividend + 1) & full) : dividend;
    const uint64_t vmag = vneg ? ((~divisor + 1) & m) : divisor;
    const U q = mag / (vmag ? vmag : (U(1) << B));
    const U limit = U(1) << (B - 1);
    return (dneg != vneg) ? q <= limit : q < limit;
}

}  // namespace

std::vector<Form> mulDivForms() {
    std::vector<Form> out;
    struct Op {
        const char* name;
        int digit;
    };
    for (const Op& op : {Op{"MUL", 4}, Op{"IMUL", 5}, Op{"DIV", 6}, Op{"IDIV", 7}}) {
        const bool isDiv = op.digit >= 6, isSigned = op.digit == 5 || op.digit == 7;
        for (unsigned osz : {1u, 2u, 4u, 8u}) {
            MSpec s;
            s.opcode = {static_cast<uint8_t>(osz == 1 ? 0xF6 : 0xF7)};
            s.digit = op.digit;
            s.osz = osz;
            ModrmForm f{std::string(op.name) + (osz == 1 ? " Eb" : " Ev" + sz(osz)), s,
                        // MUL/IMUL: "SF, ZF, AF, and PF flags are undefined"; DIV/IDIV: all six undefined.
                        isDiv ? 0u : CF | OF, 0, isDiv ? 400u : 200u};
            f.hook = [=](Gen& g, Rm& m) {
                const unsigned hiReg = osz == 1 ? RAX : RDX;  // AH for byte forms
                if (isDiv) {
                    // Mostly divisions that succeed; the rest fault and must raise #DE in pvx.
                    const unsigned kind = static_cast<unsigned>(g.below(10));
                    if (kind == 0) g.setRm(m, 0);
                    if (kind >= 4) {
                        // Make the high half small against the divisor (or a sign extension).
                        const uint64_t d = g.rm(m) & sizeMask(osz);
                        uint64_t hi;
                        if (isSigned) hi = ((g.reg(osz, RAX) >> (8 * osz - 1)) & 1) ? sizeMask(osz) : 0;
                        else hi = d ? g.u64() % d : 0;
                        if (osz == 1) g.setImplicit(m, RAX, 2, (g.reg(1, RAX) & 0xFF) | (hi & 0xFF) << 8);
                        else g.setImplicit(m, RDX, osz, hi);
                    }
                    const uint64_t lo = g.reg(osz, RAX);
                    const uint64_t hi = osz == 1 ? (g.c.gpr[RAX] >> 8) & 0xFF : g.reg(osz, hiReg);
                    if (!divides(isSigned, osz, hi, lo, g.rm(m))) {
                        g.c.oracle = Oracle::Fault;
                        g.c.vector = 0;  // #DE
                    }
                }
            };
            addModrm(out, f);
        }
    }
    // IMUL Gv,Ev (0F AF), Gv,Ev,Iz (69), Gv,Ev,Ib (6B): CF=OF=truncation; SF ZF AF PF undefined.
    for (unsigned osz : {2u, 4u, 8u}) {
        MSpec s;
        s.osz = osz;
        s.opcode = {0x0F, 0xAF};
        addModrm(out, {"IMUL Gv,Ev" + sz(osz), s, CF | OF});
        s.opcode = {0x69};
        addModrm(out, {"IMUL Gv,Ev,Iz" + sz(osz), s, CF | OF, osz == 2 ? 2u : 4u});
        s.opcode = {0x6B};
        addModrm(out, {"IMUL Gv,Ev,Ib" + sz(osz), s, CF | OF, 1});
    }
    return out;
}

}  // namespace pvx::difftest
