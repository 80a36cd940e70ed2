// Shifts and rotates: ROL/ROR/RCL/RCR/SHL/SHR/SAL/SAR in C0/C1 (imm8), D0/D1 (1), D2/D3 (CL),
// and SHLD/SHRD (SDM Vol.2 "RCL/RCR/ROL/ROR", "SAL/SAR/SHL/SHR", "SHLD", "SHRD").
//
// Defined flags, per count after masking to 5 bits (6 with REX.W):
//   count 0: no flag changes (all compared, as unchanged).
//   rotates: only CF and OF are affected; OF is defined only for a masked count of 1.
//     SF/ZF/AF/PF are unaffected, so compared as unchanged.
//   SHL/SHR/SAR: SF/ZF/PF defined; AF undefined; OF defined only for count 1; CF is the last
//     bit shifted out, "undefined for SHL and SHR instructions where the count is greater than
//     or equal to the size (in bits) of the destination operand".
//   SHLD/SHRD: as SHL/SHR; a 16-bit count above 16 leaves result and flags undefined: excluded.
#include "forms_common.h"
#include "known_bugs.h"

namespace pvx::difftest {

namespace {

enum Op { ROL, ROR, RCL, RCR, SHL, SHR, SAL, SAR };
const char* kNames[] = {"ROL", "ROR", "RCL", "RCR", "SHL", "SHR", "SAL", "SAR"};

uint32_t shiftDefined(int op, unsigned osz, unsigned count) {
    const unsigned masked = count & (osz == 8 ? 63 : 31);
    if (masked == 0) return kStatus;
    if (op <= RCR) return masked == 1 ? kStatus : kStatus & ~OF;
    uint32_t d = kStatus & ~AF;
    if (masked != 1) d &= ~OF;
    if ((op == SHL || op == SHR || op == SAL) && masked >= 8 * osz) d &= ~CF;
    return d;
}

// Counts: mostly 0..70 (every masked and unmasked boundary), sometimes any byte.
unsigned randomCount(Gen& g) { return static_cast<unsigned>(g.pct(80) ? g.below(71) : g.below(256)); }

enum class CountKind { Imm, One, Cl };

void addShift(std::vector<Form>& out, int op, unsigned osz, CountKind kind) {
    const uint8_t opc = kind == CountKind::Imm ? (osz == 1 ? 0xC0 : 0xC1) : kind == CountKind::One ? (osz == 1 ? 0xD0 : 0xD1)
                                                                                                      : (osz == 1 ? 0xD2 : 0xD3);
    MSpec s;
    s.opcode = {opc};
    s.digit = op;
    s.osz = osz;
    char hexOpc[8];
    std::snprintf(hexOpc, sizeof hexOpc, "%02X", opc);
    const char* cnt = kind == CountKind::Imm ? "Ib" : kind == CountKind::One ? "1" : "CL";
    ModrmForm f{std::string(kNames[op]) + (osz == 1 ? " Eb," : " Ev,") + cnt + " (" + hexOpc + ")" + (osz == 1 ? "" : sz(osz)), s,
                kStatus, kind == CountKind::Imm ? 1u : 0u, kind == CountKind::One ? 150u : 250u};
    if (op == SAL) f.hostDigit = SHL;  // /6 is an undocumented alias of /4: the host runs /4
    f.hook = [=](Gen& g, Rm& m) {
        unsigned count = 1;
        if (kind == CountKind::Imm) {
            count = randomCount(g);
            setImm(m, count, 1);
        } else if (kind == CountKind::Cl) {
            g.setImplicit(m, RCX, 1, randomCount(g));
            count = static_cast<unsigned>(g.reg(1, RCX));
        }
        g.c.defined = shiftDefined(op, osz, count);
        g.c.note = "count " + std::to_string(count);
        // KNOWN BUG (known_bugs.h, kShiftCount0NoZeroExtend): bits 63:32 not compared.
        if (bug::kShiftCount0NoZeroExtend && g.mode() == 64 && osz == 4 && !m.mem && (count & 31) == 0)
            g.c.regMask[m.rmCode] = 0xFFFFFFFF;
    };
    addModrm(out, f);
}

void addDouble(std::vector<Form>& out, bool left, unsigned osz, bool cl) {
    MSpec s;
    s.opcode = {0x0F, static_cast<uint8_t>((left ? 0xA4 : 0xAC) + (cl ? 1 : 0))};
    s.osz = osz;
    if (cl && osz == 2) s.avoid |= 1u << RCX;  // CL must hold a defined count (<= 16)
    ModrmForm f{std::string(left ? "SHLD" : "SHRD") + " Ev,Gv," + (cl ? "CL" : "Ib") + sz(osz), s, kStatus, cl ? 0u : 1u, 250};
    f.hook = [=](Gen& g, Rm& m) {
        unsigned count;
        for (;;) {
            count = randomCount(g);
            if (osz != 2 || (count & 31) <= 16) break;  // 16-bit counts above 16: undefined
        }
        if (cl) {
            g.setImplicit(m, RCX, 1, count);
            count = static_cast<unsigned>(g.reg(1, RCX));
        } else {
            setImm(m, count, 1);
        }
        const unsigned masked = count & (osz == 8 ? 63 : 31);
        uint32_t d = kStatus;
        if (masked) {
            d &= ~AF;
            if (masked != 1) d &= ~OF;
        }
        g.c.defined = d;
        g.c.note = "count " + std::to_string(count);
        // KNOWN BUG (known_bugs.h, kShiftCount0NoZeroExtend): bits 63:32 not compared.
        if (bug::kShiftCount0NoZeroExtend && g.mode() == 64 && osz == 4 && !m.mem && masked == 0)
            g.c.regMask[m.rmCode] = 0xFFFFFFFF;
    };
    addModrm(out, f);
}

}  // namespace

std::vector<Form> shiftForms() {
    std::vector<Form> out;
    for (int op = ROL; op <= SAR; ++op)
        for (unsigned osz : {1u, 2u, 4u, 8u})
            for (CountKind k : {CountKind::Imm, CountKind::One, CountKind::Cl}) addShift(out, op, osz, k);
    for (bool left : {true, false})
        for (unsigned osz : {2u, 4u, 8u})
            for (bool cl : {false, true}) addDouble(out, left, osz, cl);
    return out;
}

}  // namespace pvx::difftest
