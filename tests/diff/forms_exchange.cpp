// Exchanges: XCHG (86/87, 90+r), XADD, CMPXCHG, CMPXCHG8B, CMPXCHG16B (SDM Vol.2).
//   XCHG: no flags. XADD: flags as ADD. CMPXCHG: flags as CMP of the accumulator with the
//   destination. CMPXCHG8B/16B: ZF only, "The CF, PF, AF, SF, and OF flags are unaffected"
//   (compared as unchanged). CMPXCHG16B needs a 16-byte aligned operand, else #GP(0).
#include "forms_common.h"

namespace pvx::difftest {

std::vector<Form> exchangeForms() {
    std::vector<Form> out;
    MSpec s;
    s.osz = 1;
    s.opcode = {0x86};
    addModrm(out, locked({"XCHG Eb,Gb", s, kStatus, 0, 120}));
    for (unsigned osz : {2u, 4u, 8u}) {
        MSpec v;
        v.osz = osz;
        v.opcode = {0x87};
        addModrm(out, locked({"XCHG Ev,Gv" + sz(osz), v, kStatus, 0, 120}));
    }
    // 90+r: XCHG rAX, r. 90 itself is NOP (no zero-extension); with REX.B it is XCHG rAX, R8.
    for (int mode : {64, 32}) {
        for (unsigned osz : {2u, 4u, 8u}) {
            if (mode == 32 && osz == 8) continue;
            out.push_back(plainForm("XCHG rAX,r (90+r)" + sz(osz), 120, [osz](Gen& g) {
                Insn in;
                sizePrefix(g, in, osz);
                unsigned r;
                do r = static_cast<unsigned>(g.below(g.mode() == 64 ? 16 : 8));
                while (r == RSP);
                if (r >= 8) in.rexBits |= 1;
                in.opcode = {static_cast<uint8_t>(0x90 + (r & 7))};
                g.finish(in);
            }, mode));
        }
    }
    // XADD (0F C0/C1) and CMPXCHG (0F B0/B1).
    for (bool cmpxchg : {false, true}) {
        const std::string n = cmpxchg ? "CMPXCHG" : "XADD";
        const uint8_t opc = cmpxchg ? 0xB0 : 0xC0;
        for (unsigned osz : {1u, 2u, 4u, 8u}) {
            MSpec x;
            x.opcode = {0x0F, static_cast<uint8_t>(opc + (osz == 1 ? 0 : 1))};
            x.osz = osz;
            ModrmForm f{n + (osz == 1 ? " Eb,Gb" : " Ev,Gv" + sz(osz)), x, kStatus, 0, 200};
            f.lockable = true;
            if (cmpxchg) {
                f.hook = [osz](Gen& g, Rm& m) {
                    if (g.pct(50)) g.setImplicit(m, RAX, osz, g.rm(m));  // make the compare succeed
                };
            }
            addModrm(out, f);
        }
    }
    // CMPXCHG8B m64 (0F C7 /1) and CMPXCHG16B m128 (REX.W 0F C7 /1).
    for (bool wide : {false, true}) {
        for (bool misaligned : {false, true}) {
            if (misaligned && !wide) continue;
            MSpec x;
            x.opcode = {0x0F, 0xC7};
            x.digit = 1;
            x.osz = wide ? 8 : 4;
            x.rmSize = wide ? 16 : 8;
            x.align = wide ? 16 : 1;
            ModrmForm f{wide ? (misaligned ? "CMPXCHG16B M (misaligned: #GP)" : "CMPXCHG16B M") : "CMPXCHG8B M", x, kStatus, 0,
                        misaligned ? 60u : 250u};
            f.regForm = false;
            f.pm32 = !wide;
            f.lockable = true;
            if (misaligned) f.spec.misalign = 8;  // any non-multiple of 16 faults; 8 keeps the window
            f.hook = [wide, misaligned](Gen& g, Rm& m) {
                const unsigned half = wide ? 8 : 4;
                const uint64_t lo = g.get(m.ea, half), hi = g.get(m.ea + half, half);
                if (g.pct(50)) {  // equal: the store of RCX:RBX happens
                    g.setImplicit(m, RAX, half, lo);
                    g.setImplicit(m, RDX, half, hi);
                } else if (g.pct(30)) {
                    g.setImplicit(m, RAX, half, lo);  // only one half equal
                }
                if (misaligned) {
                    g.c.oracle = Oracle::Fault;
                    g.c.vector = 13;  // #GP(0)
                }
            };
            addModrm(out, f);
        }
    }
    return out;
}

}  // namespace pvx::difftest
