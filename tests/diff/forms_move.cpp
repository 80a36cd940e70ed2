// Data movement and flag instructions that do not compute: MOV in all its encodings, MOVZX,
// MOVSX, MOVSXD, CBW/CWDE/CDQE, CWD/CDQ/CQO, LEA, CMOVcc, SETcc, LAHF/SAHF, CMC/CLC/STC/CLD/STD,
// XLAT, the NOP forms, cache/ordering hints (PREFETCHh, CLFLUSH, xFENCE, FWAIT) and the
// always-#UD opcodes UD0/UD1/UD2 (SDM Vol.2). None of them changes a status flag except SAHF
// (OF unaffected) and the CF/DF instructions, so every flag is compared.
#include "forms_common.h"

namespace pvx::difftest {

std::vector<Form> moveForms() {
    std::vector<Form> out;
    // MOV 88/89/8A/8B, C6/C7 /0.
    MSpec s;
    s.osz = 1;
    s.opcode = {0x88};
    addModrm(out, {"MOV Eb,Gb", s, kStatus, 0, 100});
    s.opcode = {0x8A};
    addModrm(out, {"MOV Gb,Eb", s, kStatus, 0, 100});
    s.opcode = {0xC6};
    s.digit = 0;
    addModrm(out, {"MOV Eb,Ib", s, kStatus, 1, 100});
    for (unsigned osz : {2u, 4u, 8u}) {
        MSpec v;
        v.osz = osz;
        v.opcode = {0x89};
        addModrm(out, {"MOV Ev,Gv" + sz(osz), v, kStatus, 0, 100});
        v.opcode = {0x8B};
        addModrm(out, {"MOV Gv,Ev" + sz(osz), v, kStatus, 0, 100});
        v.opcode = {0xC7};
        v.digit = 0;
        addModrm(out, {"MOV Ev,Iz" + sz(osz), v, kStatus, osz == 2 ? 2u : 4u, 100});
    }
    // MOV r, imm (B0+r, B8+r; REX.W B8+r takes a full imm64).
    for (int mode : {64, 32}) {
        for (unsigned osz : {1u, 2u, 4u, 8u}) {
            if (mode == 32 && osz == 8) continue;
            out.push_back(plainForm(std::string(osz == 1 ? "MOV Rb,Ib" : "MOV Rv,Iv") + sz(osz), 120, [osz](Gen& g) {
                Insn in;
                sizePrefix(g, in, osz == 1 ? 4 : osz);
                unsigned r;
                do r = static_cast<unsigned>(g.below(g.mode() == 64 ? 20 : 8));
                while (r == RSP || (g.mode() == 32 && osz == 1 && r >= 4) || (osz != 1 && r >= 16));
                if (g.mode() == 32 && osz == 1 && g.pct(50)) r += kAH;  // AL..BL or AH..BH
                if (r >= kAH) {
                    r = 4 + (r - kAH);  // AH..BH: encodings 4-7 without REX
                    in.rex = false;
                } else {
                    if (r >= 8) in.rexBits |= 1;
                    if (osz == 1 && r >= 4) in.rex = true;  // BPL/SIL/DIL
                }
                in.opcode = {static_cast<uint8_t>((osz == 1 ? 0xB0 : 0xB8) + (r & 7))};
                in.addImm(immValue(g, osz), osz);
                g.finish(in);
            }, mode));
        }
    }
    // MOV AL/eAX <-> moffs (A0-A3): the address is the immediate -- 64 bits in 64-bit mode, 32
    // with the 67 prefix (and in 32-bit mode).
    for (int mode : {64, 32}) {
        for (bool store : {false, true}) {
            for (unsigned osz : {1u, 2u, 4u, 8u}) {
                if (mode == 32 && osz == 8) continue;
                const std::string name = std::string("MOV ") + (store ? "moffs,acc" : "acc,moffs") + sz(osz);
                Form f = plainForm(name, 120, [osz, store](Gen& g) {
                    Insn in;
                    sizePrefix(g, in, osz == 1 ? 4 : osz);
                    const bool a32 = g.mode() == 32 || (g.lowRegion() && g.pct(40));
                    if (a32 && g.mode() == 64) in.prefixes.push_back(0x67);
                    in.opcode = {static_cast<uint8_t>((store ? 0xA2 : 0xA0) + (osz == 1 ? 0 : 1))};
                    const uint64_t ea = g.randomAddress(osz);
                    g.randomize(ea - 16, ea + osz + 16);
                    g.setReg(osz, RAX, g.value(osz));
                    in.addImm(ea, a32 ? 4 : 8);
                    g.finish(in);
                    if (g.mode() == 32) {
                        // In 64-bit mode A0-A3 take a 64-bit offset: the host needs the 67 prefix.
                        in.prefixes.push_back(0x67);
                        g.c.hostCode = in.encode(g.insnLin());
                    }
                }, mode);
                out.push_back(f);
            }
        }
    }
    // MOVZX/MOVSX Gv,Eb / Gv,Ew; MOVSXD Gv,Ed (64-bit mode only).
    struct Ext {
        const char* name;
        uint8_t opc;
        unsigned src;
    };
    for (const Ext& e : {Ext{"MOVZX", 0xB6, 1}, Ext{"MOVZX", 0xB7, 2}, Ext{"MOVSX", 0xBE, 1}, Ext{"MOVSX", 0xBF, 2}}) {
        for (unsigned osz : {2u, 4u, 8u}) {
            MSpec x;
            x.opcode = {0x0F, e.opc};
            x.osz = osz;
            x.rmSize = e.src;
            addModrm(out, {std::string(e.name) + (e.src == 1 ? " Gv,Eb" : " Gv,Ew") + sz(osz), x, kStatus, 0, 120});
        }
    }
    for (unsigned osz : {2u, 4u, 8u}) {
        MSpec x;
        x.opcode = {0x63};
        x.osz = osz;
        x.rmSize = osz == 8 ? 4 : osz;
        ModrmForm f{"MOVSXD Gv,Ed" + sz(osz), x, kStatus, 0, 150};
        f.pm32 = false;  // 63 is ARPL outside 64-bit mode
        addModrm(out, f);
    }
    // CBW/CWDE/CDQE (98), CWD/CDQ/CQO (99).
    for (int mode : {64, 32}) {
        for (uint8_t opc : {uint8_t{0x98}, uint8_t{0x99}}) {
            for (unsigned osz : {2u, 4u, 8u}) {
                if (mode == 32 && osz == 8) continue;
                static const char* names[2][3] = {{"CBW", "CWDE", "CDQE"}, {"CWD", "CDQ", "CQO"}};
                out.push_back(plainForm(names[opc - 0x98][osz == 2 ? 0 : osz == 4 ? 1 : 2], 150, [opc, osz](Gen& g) {
                    Insn in;
                    sizePrefix(g, in, osz);
                    in.opcode = {opc};
                    g.setReg(osz, RAX, g.value(osz));
                    g.finish(in);
                }, mode));
            }
        }
    }
    // LEA: no memory access, so the address registers get arbitrary values afterwards.
    for (unsigned osz : {2u, 4u, 8u}) {
        MSpec l;
        l.opcode = {0x8D};
        l.osz = osz;
        l.where = MSpec::MemOnly;
        l.noAccess = true;
        ModrmForm f{"LEA Gv,M" + sz(osz), l, kStatus, 0, 300};
        f.regForm = false;
        f.hook = [](Gen& g, Rm& m) {
            for (unsigned r = 0; r < 16; ++r)
                if ((m.addrRegs & (1u << r)) && g.pct(70)) g.c.gpr[r] = g.value(8);
        };
        addModrm(out, f);
    }
    // CMOVcc (0F 40-4F) and SETcc (0F 90-9F): all 16 conditions against random flags.
    for (unsigned cc = 0; cc < 16; ++cc) {
        char name[32];
        for (unsigned osz : {2u, 4u, 8u}) {
            MSpec c;
            c.opcode = {0x0F, static_cast<uint8_t>(0x40 + cc)};
            c.osz = osz;
            std::snprintf(name, sizeof name, "CMOVcc(%X) Gv,Ev", cc);
            addModrm(out, {name + sz(osz), c, kStatus, 0, 60});
        }
        MSpec st;
        st.opcode = {0x0F, static_cast<uint8_t>(0x90 + cc)};
        st.osz = 1;
        st.digit = 0;
        std::snprintf(name, sizeof name, "SETcc(%X) Eb", cc);
        addModrm(out, {name, st, kStatus, 0, 80});
    }
    // LAHF/SAHF, CMC/CLC/STC/CLD/STD: DF is compared as well.
    struct Simple {
        const char* name;
        uint8_t opc;
    };
    for (int mode : {64, 32}) {
        for (const Simple& f : {Simple{"LAHF", 0x9F}, Simple{"SAHF", 0x9E}, Simple{"CMC", 0xF5}, Simple{"CLC", 0xF8},
                                Simple{"STC", 0xF9}, Simple{"CLD", 0xFC}, Simple{"STD", 0xFD}}) {
            out.push_back(plainForm(f.name, 100, [opc = f.opc](Gen& g) {
                Insn in;
                in.opcode = {opc};
                if (g.pct(50)) g.c.flags |= DF;
                g.c.defined = kStatus | DF;
                g.finish(in);
            }, mode));
        }
    }
    // XLAT: AL = [rBX + AL] (67: [EBX + AL]).
    for (int mode : {64, 32}) {
        out.push_back(plainForm("XLAT", 150, [](Gen& g) {
            Insn in;
            const bool a32 = g.mode() == 32 || (g.lowRegion() && g.pct(40));
            if (a32 && g.mode() == 64) in.prefixes.push_back(0x67);
            if (g.mode() == 64 && g.pct(30)) in.rexBits |= 8;
            in.opcode = {0xD7};
            const uint64_t table = g.randomAddress(256, 300);
            g.randomize(table, table + 256);
            uint64_t rbx = table;
            if (a32 && g.mode() == 64) rbx |= g.u64() << 32;
            g.c.gpr[RBX] = rbx;
            g.finish(in);
        }, mode));
    }
    // NOPs: 90, 66 90, F3 90 (PAUSE), 0F 1F /0 with any address (never accessed), 0F 18 /1-3
    // (PREFETCHh: a hint that never faults on the host and does nothing in pvx).
    for (int mode : {64, 32}) {
        for (uint8_t pre : {uint8_t{0}, uint8_t{0x66}, uint8_t{0xF3}}) {
            out.push_back(plainForm(pre == 0 ? "NOP (90)" : pre == 0x66 ? "NOP (66 90)" : "PAUSE (F3 90)", 40, [pre](Gen& g) {
                Insn in;
                if (pre) in.prefixes.push_back(pre);
                in.opcode = {0x90};
                g.finish(in);
            }, mode));
        }
    }
    for (unsigned osz : {2u, 4u}) {
        MSpec n;
        n.opcode = {0x0F, 0x1F};
        n.digit = 0;
        n.osz = osz;
        n.noAccess = true;
        ModrmForm f{"NOP Ev (0F 1F /0)" + sz(osz), n, kStatus, 0, 60};
        f.hook = [](Gen& g, Rm& m) {
            for (unsigned r = 0; r < 16; ++r)
                if (m.addrRegs & (1u << r)) g.c.gpr[r] = g.value(8);
        };
        addModrm(out, f);
    }
    // Cache and ordering hints: no architectural effect. PREFETCHh (0F 18 /0-3), PREFETCH/PREFETCHW
    // (0F 0D /0 /1), CLFLUSH (0F AE /7, which checks its address like a byte load).
    struct Hint {
        const char* name;
        uint8_t opc2;
        int digit;
    };
    for (const Hint& h : {Hint{"PREFETCHNTA", 0x18, 0}, Hint{"PREFETCHT0", 0x18, 1}, Hint{"PREFETCHT1", 0x18, 2},
                          Hint{"PREFETCHT2", 0x18, 3}, Hint{"PREFETCH", 0x0D, 0}, Hint{"PREFETCHW", 0x0D, 1},
                          Hint{"CLFLUSH", 0xAE, 7}}) {
        MSpec p;
        p.opcode = {0x0F, h.opc2};
        p.digit = h.digit;
        p.osz = 4;
        p.rmSize = 1;
        char name[48];
        std::snprintf(name, sizeof name, "%s M (0F %02X /%d)", h.name, h.opc2, h.digit);
        ModrmForm f{name, p, kStatus, 0, 40};
        f.regForm = false;
        addModrm(out, f);
    }
    for (int mode : {64, 32}) {
        struct Fixed {
            const char* name;
            std::vector<uint8_t> bytes;
        };
        for (const Fixed& f : {Fixed{"LFENCE", {0x0F, 0xAE, 0xE8}}, Fixed{"MFENCE", {0x0F, 0xAE, 0xF0}},
                               Fixed{"SFENCE", {0x0F, 0xAE, 0xF8}}, Fixed{"FWAIT", {0x9B}}}) {
            out.push_back(plainForm(f.name, 20, [bytes = f.bytes](Gen& g) {
                Insn in;
                in.opcode = bytes;
                g.finish(in);
            }, mode));
        }
        // Always-undefined opcodes (SDM Vol.2 "UD"): #UD with RIP at the instruction.
        for (const Fixed& f : {Fixed{"UD2", {0x0F, 0x0B}}, Fixed{"UD1 Gv,Ev", {0x0F, 0xB9, 0xC8}}, Fixed{"UD0 Gv,Ev", {0x0F, 0xFF, 0xC8}}}) {
            out.push_back(plainForm(std::string(f.name) + ": #UD", 4, [bytes = f.bytes](Gen& g) {
                Insn in;
                in.opcode = bytes;
                g.c.oracle = Oracle::Fault;
                g.c.vector = 6;
                g.finish(in);
            }, mode));
        }
    }
    return out;
}

}  // namespace pvx::difftest
