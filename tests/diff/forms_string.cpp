// String instructions MOVS/CMPS/STOS/LODS/SCAS, sizes 1/2/4/8, without and with REP/REPE/REPNE,
// DF = 0 and 1, 64-bit and (67 prefix) 32-bit addressing (SDM Vol.2 "REP/REPE/REPZ/REPNE/REPNZ").
// MOVS/STOS/LODS change no flag; CMPS/SCAS set them as CMP (unchanged when RCX = 0). DF is
// compared too. Counts reach past pvx's 4096-iteration chunk, so a REP instruction that has to
// be re-executed to finish is covered (the guest may take several steps to leave it).
#include "forms_common.h"

namespace pvx::difftest {

namespace {

enum Op { MOVS, CMPS, STOS, LODS, SCAS };
const char* kNames[] = {"MOVS", "CMPS", "STOS", "LODS", "SCAS"};
const uint8_t kOpcodes[] = {0xA4, 0xA6, 0xAA, 0xAC, 0xAE};

void genString(Gen& g, Op op, unsigned size, uint8_t rep) {
    Insn in;
    if (size == 2) in.prefixes.push_back(0x66);
    const bool a32 = g.mode() == 32 || (g.lowRegion() && g.pct(30));
    if (a32 && g.mode() == 64) in.prefixes.push_back(0x67);
    if (rep) in.prefixes.push_back(rep);
    if (size == 8) in.rexBits |= 8;
    in.opcode = {static_cast<uint8_t>(kOpcodes[op] + (size == 1 ? 0 : 1))};

    const bool down = g.pct(50);
    if (down) g.c.flags |= DF;
    uint64_t count = 1;
    if (rep) {
        count = g.below(48);
        if (g.pct(4) && size <= 4) count = 4096 + g.below(1200);  // more than one pvx chunk
    }
    const uint64_t span = count ? count * size : size;
    const uint64_t half = (g.dataHi() - g.dataLo()) / 2;
    auto placeRange = [&](uint64_t lo, uint64_t hi) {  // a range of `span` bytes inside [lo, hi)
        return lo + 16 + g.below(hi - lo - span - 32);
    };
    uint64_t src = placeRange(g.dataLo(), g.dataLo() + half);
    uint64_t dst = g.pct(15) ? src + (g.below(2 * size + 1)) : placeRange(g.dataLo() + half, g.dataHi());
    if (dst + span + 16 > g.dataHi()) dst = placeRange(g.dataLo() + half, g.dataHi());
    g.randomize(src - 16, src + span + 16);
    g.randomize(dst - 16, dst + span + 16);
    // The element k lives at start + k*size going up, or at (end - size) - k*size going down.
    auto elem = [&](uint64_t start, uint64_t k) { return down ? start + span - size - k * size : start + k * size; };

    const uint64_t m = sizeMask(size);
    const uint64_t acc = g.value(size);
    g.setReg(size, RAX, acc);
    if ((op == CMPS || op == SCAS) && count) {
        // Make REPE/REPNE stop at an interesting element: equal for a prefix, or one match.
        const uint64_t stop = g.below(count + 1);
        for (uint64_t k = 0; k < count && k < 64; ++k) {
            const uint64_t a = op == CMPS ? g.get(elem(src, k), size) : acc & m;
            uint64_t b = g.get(elem(dst, k), size);
            if (rep == 0xF3 || rep == 0) b = k < stop ? a : (a ^ (1 + g.below(m))) & m;
            else b = k == stop ? a : (b == a ? (a ^ 1) & m : b);
            g.put(elem(dst, k), b, size);
        }
    }
    const uint64_t noise = a32 && g.mode() == 64 ? g.u64() << 32 : 0;  // ignored with 32-bit addressing
    const uint64_t first = down ? span - size : 0;
    g.c.gpr[RSI] = (src + first) | noise;
    g.c.gpr[RDI] = (dst + first) | (a32 && g.mode() == 64 ? g.u64() << 32 : 0);
    g.c.gpr[RCX] = rep ? (count | (a32 && g.mode() == 64 ? g.u64() << 32 : 0)) : g.value(8);
    g.c.defined = kStatus | DF;
    g.c.maxSteps = 8;
    g.c.note = "count " + std::to_string(count) + (down ? ", DF=1" : ", DF=0");
    g.finish(in);
}

}  // namespace

std::vector<Form> stringForms() {
    std::vector<Form> out;
    for (int op = MOVS; op <= SCAS; ++op) {
        for (unsigned size : {1u, 2u, 4u, 8u}) {
            for (uint8_t rep : {uint8_t{0}, uint8_t{0xF3}, uint8_t{0xF2}}) {
                if (rep == 0xF2 && op != CMPS && op != SCAS) continue;  // REPNE only means something there
                for (int mode : {64, 32}) {
                    if (mode == 32 && size == 8) continue;
                    std::string name = std::string(rep == 0xF3 ? (op == CMPS || op == SCAS ? "REPE " : "REP ") : rep ? "REPNE " : "") +
                                       kNames[op] + (size == 1 ? "B" : size == 2 ? "W" : size == 4 ? "D" : "Q");
                    out.push_back(plainForm(name, mode == 64 ? 150 : 50, [op, size, rep](Gen& g) { genString(g, static_cast<Op>(op), size, rep); }, mode));
                }
            }
        }
    }
    return out;
}

}  // namespace pvx::difftest
