// Bit instructions: BT/BTS/BTR/BTC (register and immediate offsets), BSF/BSR, POPCNT, BSWAP
// (SDM Vol.2).
//   BT*: CF = the bit; "The ZF flag is unaffected. The OF, SF, AF, and PF flags are undefined."
//   BSF/BSR: "The ZF flag is set to 1 if the source operand is 0; otherwise, the ZF flag is
//     cleared. The CF, OF, SF, AF, and PF flags are undefined." With a zero source the SDM calls
//     the destination undefined; AMD documents it unchanged and Intel leaves it unchanged except
//     that a 32-bit destination may get its upper half cleared, so bits 63:32 are not compared.
//   POPCNT: "OF, SF, ZF, AF, CF, PF are all cleared. ZF is set if SRC = 0": all defined.
//   BSWAP with a 16-bit operand is undefined: not tested.
#include "forms_common.h"
#include "known_bugs.h"

namespace pvx::difftest {

std::vector<Form> bitForms() {
    std::vector<Form> out;
    const uint32_t btDefined = CF | ZF;
    struct BitOp {
        const char* name;
        uint8_t regOpc;
        int digit;
    };
    for (const BitOp& op : {BitOp{"BT", 0xA3, 4}, BitOp{"BTS", 0xAB, 5}, BitOp{"BTR", 0xB3, 6}, BitOp{"BTC", 0xBB, 7}}) {
        for (unsigned osz : {2u, 4u, 8u}) {
            // Register bit offset: with a memory operand it is a signed bit index into a bit
            // string, so the byte accessed may be far from the ModRM address.
            MSpec s;
            s.opcode = {0x0F, op.regOpc};
            s.osz = osz;
            s.regNotAddr = true;
            s.margin = 1100;
            ModrmForm f{std::string(op.name) + " Ev,Gv" + sz(osz), s, btDefined, 0, 250};
            f.lockable = op.digit != 4;  // BTS/BTR/BTC; not BT
            f.hook = [osz](Gen& g, Rm& m) {
                if (!m.mem) return;
                // Offsets up to +-1024 bytes away, often within the operand itself.
                const int64_t bits = g.pct(30) ? static_cast<int64_t>(g.below(8 * osz)) : static_cast<int64_t>(g.below(16384)) - 8192;
                g.setRegOp(m, static_cast<uint64_t>(bits));
                const int64_t unit = 8 * osz;
                const int64_t q = bits >= 0 ? bits / unit : -((-bits + unit - 1) / unit);
                const uint64_t at = m.ea + static_cast<uint64_t>(q * static_cast<int64_t>(osz));
                g.randomize(at - 8, at + osz + 8);
                g.c.note = "bit offset " + std::to_string(bits);
            };
            addModrm(out, f);
            MSpec i;
            i.opcode = {0x0F, 0xBA};
            i.digit = op.digit;
            i.osz = osz;
            addModrm(out, locked({std::string(op.name) + " Ev,Ib" + sz(osz), i, btDefined, 1, 200}, op.digit != 4));
        }
    }
    for (bool reverse : {false, true}) {
        for (unsigned osz : {2u, 4u, 8u}) {
            MSpec s;
            s.opcode = {0x0F, static_cast<uint8_t>(reverse ? 0xBD : 0xBC)};
            s.osz = osz;
            ModrmForm f{std::string(reverse ? "BSR" : "BSF") + " Gv,Ev" + sz(osz), s, ZF, 0, 250};
            f.hook = [osz](Gen& g, Rm& m) {
                if (g.pct(25)) g.setRm(m, 0);
                if (g.pct(25)) g.setRm(m, 1ull << g.below(8 * osz));  // exactly one bit
                if ((g.rm(m) & sizeMask(osz)) == 0 && osz == 4) {
                    const unsigned dst = m.regCode;
                    g.c.regMask[dst] &= 0xFFFFFFFF;
                }
            };
            addModrm(out, f);
        }
    }
    for (unsigned osz : {2u, 4u, 8u}) {
        MSpec s;
        s.opcode = {0x0F, 0xB8};
        s.mandatory = 0xF3;
        s.osz = osz;
        ModrmForm f{"POPCNT Gv,Ev" + sz(osz), s, kStatus, 0, 200};
        f.hook = [](Gen& g, Rm& m) {
            if (g.pct(15)) g.setRm(m, 0);
        };
        const size_t first = out.size();
        addModrm(out, f);
        if (bug::kPopcntAlwaysUd)  // KNOWN BUG (known_bugs.h): every case would fail
            for (size_t k = first; k < out.size(); ++k) out[k].skipReason = "KNOWN BUG kPopcntAlwaysUd";
    }
    for (int mode : {64, 32}) {
        for (unsigned osz : {4u, 8u}) {
            if (mode == 32 && osz == 8) continue;
            out.push_back(plainForm("BSWAP r" + sz(osz), 120, [osz](Gen& g) {
                Insn in;
                sizePrefix(g, in, osz);
                unsigned r;
                do r = static_cast<unsigned>(g.below(g.mode() == 64 ? 16 : 8));
                while (r == RSP);
                if (r >= 8) in.rexBits |= 1;
                in.opcode = {0x0F, static_cast<uint8_t>(0xC8 + (r & 7))};
                g.finish(in);
            }, mode));
        }
    }
    return out;
}

}  // namespace pvx::difftest
