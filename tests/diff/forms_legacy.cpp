// Instructions that exist only outside 64-bit mode, run by pvx in 32-bit protected mode:
//   INC/DEC r16/r32 (40-4F) and group 1 via opcode 82 -- the host runs the equivalent 64-bit
//     encodings (FF /0 /1, 80 /op) with the same operands;
//   DAA, DAS, AAA, AAS, AAM, AAD, SALC -- checked against the SDM pseudocode (bcd_model.h),
//     exhaustively over AL x AF x CF where that is the whole input space;
//   and in 64-bit mode all of these opcodes must raise #UD (SDM Vol.2: "Invalid" in the 64-bit
//   mode column; 40-4F are REX prefixes there and covered by every other family).
#include <memory>

#include "bcd_model.h"
#include "forms_common.h"
#include "known_bugs.h"

namespace pvx::difftest {

namespace {

Form modelForm(const std::string& name, unsigned cases, std::vector<uint8_t> opcode, uint32_t defined,
               std::function<void(State&)> fn) {
    auto counter = std::make_shared<unsigned>(0);
    return plainForm(name, cases, [=](Gen& g) {
        const unsigned k = (*counter)++;
        Insn in;
        in.opcode = opcode;
        // Exhaustive over AL, AF, CF (1024 cases); AH and the other flags random.
        g.c.gpr[RAX] = (g.c.gpr[RAX] & ~0xFFull) | (k & 0xFF);
        g.c.flags = (g.c.flags & ~(AF | CF)) | ((k >> 8) & 1 ? AF : 0) | ((k >> 9) & 1 ? CF : 0);
        g.c.oracle = Oracle::Model;
        g.c.model = fn;
        g.c.defined = defined;
        // KNOWN BUG (known_bugs.h, kAasNoBorrowIntoAh): AAS adjusting an AL below 6.
        if (bug::kAasNoBorrowIntoAh && opcode[0] == 0x3F && ((k & 0x0F) > 9 || (g.c.flags & AF)) && (k & 0xFF) < 6)
            g.c.skip = true;
        g.finish(in);
    }, 32);
}

Form asciiForm(const std::string& name, uint8_t opcode, bool isAam) {
    return plainForm(name, 800, [=](Gen& g) {
        Insn in;
        in.opcode = {opcode};
        const uint8_t base = static_cast<uint8_t>(g.pct(50) ? 10 : g.pct(10) ? 0 : g.below(256));
        in.addImm(base, 1);
        g.c.defined = SF | ZF | PF;  // "The OF, AF, and CF flags are undefined"
        if (isAam && base == 0) {
            g.c.oracle = Oracle::Fault;
            g.c.vector = 0;  // #DE
        } else {
            g.c.oracle = Oracle::Model;
            g.c.model = [=](State& s) {
                if (isAam) model::aam(s, base);
                else model::aad(s, base);
            };
        }
        g.c.note = "imm8 " + std::to_string(base);
        g.finish(in);
    }, 32);
}

Form invalidIn64(const std::string& name, std::vector<uint8_t> bytes) {
    return plainForm(name + " in 64-bit mode: #UD", 4, [=](Gen& g) {
        Insn in;
        in.opcode = bytes;
        g.c.oracle = Oracle::Fault;
        g.c.vector = 6;
        g.finish(in);
    });
}

}  // namespace

std::vector<Form> legacyForms() {
    std::vector<Form> out;
    // INC/DEC r16/r32: one byte, 40+r / 48+r.
    for (bool dec : {false, true}) {
        for (unsigned osz : {2u, 4u}) {
            out.push_back(plainForm(std::string(dec ? "DEC" : "INC") + " r (" + (dec ? "48" : "40") + "+r)" + sz(osz), 300, [=](Gen& g) {
                unsigned r;
                do r = static_cast<unsigned>(g.below(8));
                while (r == RSP);
                if (g.pct(30)) g.setReg(osz, r, g.edge(osz));
                Insn in;
                if (osz == 2) in.prefixes.push_back(0x66);
                in.opcode = {static_cast<uint8_t>((dec ? 0x48 : 0x40) + r)};
                g.finish(in);
                Insn h;
                h.prefixes = in.prefixes;
                h.opcode = {0xFF};
                h.hasModrm = true;
                h.mod = 3;
                h.reg = dec ? 1 : 0;
                h.rm = static_cast<uint8_t>(r);
                g.c.hostCode = h.encode(g.insnLin());
                g.c.defined = kStatus;  // CF unaffected: compared as unchanged
            }, 32));
        }
    }
    // 82 /op Eb,Ib: an alias of 80 outside 64-bit mode.
    static const char* kAlu[] = {"ADD", "OR", "ADC", "SBB", "AND", "SUB", "XOR", "CMP"};
    for (int op = 0; op < 8; ++op) {
        MSpec s;
        s.opcode = {0x82};
        s.digit = op;
        s.osz = 1;
        ModrmForm f{std::string(kAlu[op]) + " Eb,Ib (82)", s, (op == 1 || op == 4 || op == 6) ? kStatus & ~AF : kStatus, 1, 400};
        f.pm64 = false;
        f.lockable = op != 7;  // LOCK ADD..XOR m8, imm8 is legal whichever group-1 opcode encodes it
        f.hostOpcode = {0x80};
        addModrm(out, f);
    }
    // BCD and ASCII adjustment, SALC.
    out.push_back(modelForm("DAA", 1024, {0x27}, kStatus & ~OF, model::daa));
    out.push_back(modelForm("DAS", 1024, {0x2F}, kStatus & ~OF, model::das));
    out.push_back(modelForm("AAA", 1024, {0x37}, CF | AF, model::aaa));
    out.push_back(modelForm("AAS", 1024, {0x3F}, CF | AF, model::aas));
    out.push_back(modelForm("SALC", 1024, {0xD6}, kStatus, model::salc));
    out.push_back(asciiForm("AAM Ib", 0xD4, true));
    out.push_back(asciiForm("AAD Ib", 0xD5, false));
    for (auto& [name, bytes] : std::vector<std::pair<std::string, std::vector<uint8_t>>>{
             {"DAA", {0x27}}, {"DAS", {0x2F}}, {"AAA", {0x37}}, {"AAS", {0x3F}}, {"AAM", {0xD4, 0x0A}}, {"AAD", {0xD5, 0x0A}},
             {"SALC", {0xD6}}, {"ADD Eb,Ib (82)", {0x82, 0xC0, 0x01}}})
        out.push_back(invalidIn64(name, bytes));
    return out;
}

}  // namespace pvx::difftest
