// Near branches whose outcome depends on flags or RCX: Jcc rel8/rel32, JMP rel8/rel32, LOOP,
// LOOPE, LOOPNE, JrCXZ (with 64- and 32-bit address size). Each branch skips a 3-byte trailer,
// LEA EBX, [RBX+1]: on the host the trailer runs only on the fall-through path, so RBX records
// the outcome; pvx runs the branch, then (if it fell through) the trailer, and must arrive at
// the same place with the same registers. In 64-bit mode the branch target's upper 32 bits
// matter: the high region lives above 4 GiB (SDM Vol.2 "LOOP/LOOPcc": the operand size is 64
// bits in 64-bit mode, so RIP is not truncated).
#include "forms_common.h"
#include "known_bugs.h"

namespace pvx::difftest {

namespace {

const std::vector<uint8_t> kTrailer = {0x8D, 0x5B, 0x01};  // lea ebx, [rbx+1]

void finishBranch(Gen& g, Insn& in, unsigned dispSize) {
    in.addImm(kTrailer.size(), dispSize);  // jump over the trailer
    g.finish(in);
    g.c.code.insert(g.c.code.end(), kTrailer.begin(), kTrailer.end());
    g.c.until = g.insnLin() + g.c.code.size();
    g.c.maxSteps = 2;
    g.c.defined = kStatus;
}

}  // namespace

std::vector<Form> branchForms() {
    std::vector<Form> out;
    for (int mode : {64, 32}) {
        for (unsigned cc = 0; cc < 16; ++cc) {
            for (bool near32 : {false, true}) {
                char name[40];
                std::snprintf(name, sizeof name, "Jcc(%X) %s", cc, near32 ? "Jz (0F 8x)" : "Jb (7x)");
                out.push_back(plainForm(name, 80, [cc, near32](Gen& g) {
                    Insn in;
                    if (near32) in.opcode = {0x0F, static_cast<uint8_t>(0x80 + cc)};
                    else in.opcode = {static_cast<uint8_t>(0x70 + cc)};
                    finishBranch(g, in, near32 ? 4 : 1);
                }, mode));
            }
        }
        for (bool near32 : {false, true}) {
            out.push_back(plainForm(near32 ? "JMP Jz (E9)" : "JMP Jb (EB)", 40, [near32](Gen& g) {
                Insn in;
                in.opcode = {static_cast<uint8_t>(near32 ? 0xE9 : 0xEB)};
                finishBranch(g, in, near32 ? 4 : 1);
            }, mode));
        }
        struct Loop {
            const char* name;
            uint8_t opc;
        };
        for (const Loop& l : {Loop{"LOOPNE", 0xE0}, Loop{"LOOPE", 0xE1}, Loop{"LOOP", 0xE2}, Loop{"JrCXZ", 0xE3}}) {
            for (bool a32 : {false, true}) {
                if (mode == 32 && !a32) continue;  // 16-bit address size (CX) is not mirrored
                const std::string name = std::string(l.name) + (a32 ? " (ECX)" : " (RCX)");
                Form f = plainForm(name, 150, [opc = l.opc, a32](Gen& g) {
                    Insn in;
                    if (a32 && g.mode() == 64) in.prefixes.push_back(0x67);
                    in.opcode = {opc};
                    static const uint64_t kCounts[] = {0, 1, 2, 3, 0x100000000ull, 0x100000001ull, 0xFFFFFFFFull,
                                                       0xFFFFFFFFFFFFFFFFull, 0x10000, 0x10001};
                    uint64_t rcx = g.pct(60) ? kCounts[g.below(sizeof kCounts / sizeof kCounts[0])] : g.value(8);
                    if (g.mode() == 32) rcx &= 0xFFFFFFFF;
                    g.c.gpr[RCX] = rcx;
                    finishBranch(g, in, 1);
                    if (g.mode() == 32) {
                        // The host runs the same bytes in 64-bit mode with the 67 prefix (ECX).
                        Insn h = in;
                        h.prefixes.insert(h.prefixes.begin(), 0x67);
                        h.imm.clear();
                        h.addImm(kTrailer.size(), 1);
                        g.c.hostCode = h.encode(g.insnLin());
                        g.c.hostCode.insert(g.c.hostCode.end(), kTrailer.begin(), kTrailer.end());
                    }
                }, mode);
                // KNOWN BUG (known_bugs.h, kLoopTargetTruncated): below 4 GiB the truncation
                // of the target cannot show, so the rest of the semantics is still checked.
                if (bug::kLoopTargetTruncated) f.lowOnly = true;
                out.push_back(f);
            }
        }
    }
    return out;
}

}  // namespace pvx::difftest
