// The x87 FPU (SDM Vol.1 ch.8, Vol.2 F* entries) against the host: every instruction form with
// random x87 state -- FCW with random rounding control, precision control and exception masks,
// a random TOP, stacks that are full, empty or partly filled, and operands that are often special
// (zeros of both signs, infinities, QNaN/SNaN, denormals, pseudo-denormals, unnormals, pseudo-NaNs,
// values at the overflow/underflow thresholds). Compared: FCW, FSW (with the condition codes the
// SDM leaves undefined masked out), the abridged tags, all eight ST registers, EFLAGS and memory.
//
// The transcendental instructions are compared bit-exactly only where the result is exact
// (special operands, out-of-range arguments); their finite results are checked against the host
// with a 1-ulp tolerance by the X87Transcendental test at the end of this file.
#include <gtest/gtest.h>

#include <cstring>

#include "cpu/fp/transcendental.h"
#include "cpu/insn/x87_wide.h"
#include "forms_common.h"
#include "known_bugs.h"

namespace pvx::difftest {

namespace {

constexpr uint16_t C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000;

enum class Mem { None, F32, F64, F80, I16, I32, I64, Bcd, Word, Env, Save };

unsigned memSize(Mem k, unsigned osz) {
    switch (k) {
        case Mem::F32: case Mem::I32: return 4;
        case Mem::F64: case Mem::I64: return 8;
        case Mem::F80: case Mem::Bcd: return 10;
        case Mem::I16: case Mem::Word: return 2;
        case Mem::Env: return osz == 2 ? 14 : 28;
        case Mem::Save: return osz == 2 ? 94 : 108;
        default: return 0;
    }
}

// Operand flavours for the random state.
enum Flavour : unsigned {
    kAny = 0,       // Gen::f80 mix
    kFinite = 1,    // normal numbers of moderate magnitude
    kTrig = 2,      // |x| mostly below 2^63, sometimes beyond
};

void randomF80(Gen& g, unsigned flavour, uint64_t& m, uint16_t& se) {
    if (flavour == kFinite || (flavour == kTrig && g.pct(70))) {
        const uint16_t sign = g.pct(50) ? 0 : 0x8000;
        m = g.u64() | (1ull << 63);
        const unsigned span = flavour == kTrig ? 70 : 40;
        se = static_cast<uint16_t>(sign | (0x3FFF - (flavour == kTrig ? 64 : 20) + g.below(span)));
        return;
    }
    g.f80(m, se);
    if (flavour == kTrig && g.pct(30)) {  // around the 2^63 limit
        m = g.u64() | (1ull << 63);
        se = static_cast<uint16_t>((g.pct(50) ? 0 : 0x8000) | (0x3FFF + 62 + g.below(3)));
    }
}

// A random FCW: usually every exception masked, random RC and PC.
uint16_t randomFcw(Gen& g, bool allowUnmasked) {
    uint16_t masks = 0x3F;
    if (allowUnmasked && g.pct(25)) masks = static_cast<uint16_t>(g.u64() & 0x3F);
    const uint16_t pc = g.pct(60) ? 3 : static_cast<uint16_t>(g.pick(std::vector<unsigned>{0, 2, 1}));
    const uint16_t rc = static_cast<uint16_t>(g.below(4));
    return static_cast<uint16_t>(masks | 0x40 | pc << 8 | rc << 10);
}

struct Setup {
    unsigned need;        // registers ST(0)..ST(need-1) usually valid
    unsigned flavour;
    bool allowUnmasked;
    bool pushes;          // the instruction pushes: ST(7) usually empty
};

// Random x87 state: FCW, FSW (TOP, condition codes, masked sticky flags), registers.
void randomX87(Gen& g, const Setup& s) {
    const uint16_t fcw = randomFcw(g, s.allowUnmasked);
    g.setFcw(fcw);
    const uint16_t flags = g.pct(30) ? static_cast<uint16_t>(g.u64() & fcw & 0x3F) : 0;
    const uint16_t fsw = static_cast<uint16_t>((g.below(8) << 11) | (g.u64() & (C0 | C1 | C2 | C3)) | flags);
    g.setFsw(fsw);
    const unsigned shape = static_cast<unsigned>(g.below(20));
    for (unsigned i = 0; i < 8; ++i) {
        bool full;
        if (shape == 0) full = false;                  // empty stack
        else if (shape == 1) full = true;              // full stack
        else if (i < s.need) full = g.pct(94);
        else if (i == 7 && s.pushes) full = g.pct(8);
        else full = g.pct(50);
        uint64_t m;
        uint16_t se;
        randomF80(g, s.flavour, m, se);
        g.setSt(i, m, se);  // contents are compared even when empty
        if (!full) g.setStEmpty(i);
    }
    // Shown in mismatch reports: the control/status words and ST(0), ST(1).
    char buf[160];
    uint64_t m0, m1;
    uint16_t s0, s1;
    std::memcpy(&m0, g.c.fx + 32, 8);
    std::memcpy(&s0, g.c.fx + 40, 2);
    std::memcpy(&m1, g.c.fx + 48, 8);
    std::memcpy(&s1, g.c.fx + 56, 2);
    std::snprintf(buf, sizeof buf, "FCW %04x FSW %04x tags %02x ST0 %04x:%016llx ST1 %04x:%016llx", fcw, fsw, g.c.fx[4], s0,
                  static_cast<unsigned long long>(m0), s1, static_cast<unsigned long long>(m1));
    g.c.note = buf;
}

void putMemValue(Gen& g, Mem k, uint64_t ea, unsigned osz) {
    switch (k) {
        case Mem::F32: g.put(ea, g.f32(), 4); break;
        case Mem::F64: g.put(ea, g.f64(), 8); break;
        case Mem::F80: {
            uint64_t m;
            uint16_t se;
            g.f80(m, se);
            g.put(ea, m, 8);
            g.put(ea + 8, se, 2);
            break;
        }
        case Mem::I16: g.put(ea, g.pct(50) ? g.edge(2) : g.u64(), 2); break;
        case Mem::I32: g.put(ea, g.pct(50) ? g.edge(4) : g.u64(), 4); break;
        case Mem::I64: g.put(ea, g.pct(50) ? g.edge(8) : g.u64() >> g.below(64), 8); break;
        case Mem::Bcd: {
            uint8_t b[10];
            for (unsigned k2 = 0; k2 < 9; ++k2)
                b[k2] = static_cast<uint8_t>(g.below(10) << 4 | g.below(10));
            b[9] = g.pct(50) ? 0x80 : 0;
            g.putBytes(ea, b, 10);
            break;
        }
        default: {
            std::vector<uint8_t> b(memSize(k, osz));
            for (auto& x : b) x = static_cast<uint8_t>(g.u64());
            g.putBytes(ea, b.data(), b.size());
            break;
        }
    }
}

struct Spec {
    Spec(std::string n, uint8_t o, int d, int r, Mem m, Setup su, uint16_t u = 0, unsigned cs = 300)
        : name(std::move(n)), op(o), digit(d), rm(r), mem(m), setup(su), undefinedC(u), cases(cs) {}
    std::string name;
    uint8_t op;
    int digit;                 // ModRM.reg
    int rm = -1;               // register forms: fixed ModRM.rm, -1 any
    Mem mem = Mem::None;       // memory forms: operand kind
    Setup setup;
    uint16_t undefinedC = 0;   // condition codes the SDM leaves undefined
    unsigned cases = 300;
    bool pm32 = true;
    std::function<void(Gen&, uint64_t ea, unsigned osz)> hook;  // after the memory operand is placed
};

void addSpec(std::vector<Form>& out, const Spec& sp) {
    for (int mode : {64, 32}) {
        if (mode == 32 && !sp.pm32) continue;
        std::vector<unsigned> sizes{4};
        if (sp.mem == Mem::Env || sp.mem == Mem::Save) sizes = {4, 2};
        for (unsigned osz : sizes) {
            Form f;
            f.name = sp.name + (osz == 2 ? " o16" : "") + (mode == 32 ? " [pm32]" : "");
            f.cases = mode == 32 ? (sp.cases + 3) / 4 : sp.cases;
            f.mode = mode;
            f.gen = [sp, osz](Gen& g) {
                randomX87(g, sp.setup);
                g.c.fswMask = static_cast<uint16_t>(~sp.undefinedC);
                g.c.defined = kStatus;
                if (sp.mem != Mem::None) {
                    MSpec s;
                    s.opcode = {sp.op};
                    s.digit = sp.digit;
                    s.where = MSpec::MemOnly;
                    s.osz = osz;
                    s.rmSize = memSize(sp.mem, osz);
                    s.margin = 128;
                    Rm m = g.modrm(s);
                    putMemValue(g, sp.mem, m.ea, osz);
                    if (sp.hook) sp.hook(g, m.ea, osz);
                    g.finish(m);
                } else {
                    Insn in;
                    if (g.mode() == 64 && g.pct(15)) {
                        in.rex = true;
                        in.rexBits = static_cast<uint8_t>(g.below(16) & 0xB);  // REX.W/R/B: ignored
                    }
                    in.opcode = {sp.op};
                    in.hasModrm = true;
                    in.mod = 3;
                    in.reg = static_cast<uint8_t>(sp.digit);
                    in.rm = static_cast<uint8_t>(sp.rm >= 0 ? sp.rm : static_cast<int>(g.below(8)));
                    if (sp.hook) sp.hook(g, 0, osz);
                    g.finish(in);
                }
            };
            out.push_back(std::move(f));
        }
    }
}

const char* kArithNames[8] = {"FADD", "FMUL", "FCOM", "FCOMP", "FSUB", "FSUBR", "FDIV", "FDIVR"};
constexpr uint16_t kArithUndef = C0 | C2 | C3;

}  // namespace

std::vector<Form> x87Forms() {
    std::vector<Form> out;
    const Setup one{1, kAny, true, false}, two{2, kAny, true, false}, push{0, kAny, true, true};

    // ---- arithmetic and compare, memory forms ----
    struct MemOp { uint8_t op; Mem k; const char* suffix; };
    for (const MemOp& mo : {MemOp{0xD8, Mem::F32, " m32fp"}, MemOp{0xDC, Mem::F64, " m64fp"},
                            MemOp{0xDA, Mem::I32, " m32int"}, MemOp{0xDE, Mem::I16, " m16int"}}) {
        for (int d = 0; d < 8; ++d) {
            std::string n = kArithNames[d];
            if (mo.k == Mem::I32 || mo.k == Mem::I16) n = "FI" + n.substr(1);
            const bool cmp = d == 2 || d == 3;
            addSpec(out, {n + mo.suffix, mo.op, d, -1, mo.k, one, static_cast<uint16_t>(cmp ? 0 : kArithUndef)});
        }
    }
    // ---- register forms ----
    const char* stNames[8] = {"FADD ST0,STi", "FMUL ST0,STi", "FCOM STi", "FCOMP STi",
                              "FSUB ST0,STi", "FSUBR ST0,STi", "FDIV ST0,STi", "FDIVR ST0,STi"};
    for (int d = 0; d < 8; ++d)
        addSpec(out, {stNames[d], 0xD8, d, -1, Mem::None, two, static_cast<uint16_t>(d == 2 || d == 3 ? 0 : kArithUndef)});
    const char* dcNames[8] = {"FADD STi,ST0", "FMUL STi,ST0", "FCOM2 (DC D0)", "FCOMP3 (DC D8)",
                              "FSUBR STi,ST0", "FSUB STi,ST0", "FDIVR STi,ST0", "FDIV STi,ST0"};
    const char* deNames[8] = {"FADDP", "FMULP", "FCOMP5 (DE D0)", "FCOMPP", "FSUBRP", "FSUBP", "FDIVRP", "FDIVP"};
    for (int d = 0; d < 8; ++d) {
        const uint16_t u = d == 2 || d == 3 ? 0 : kArithUndef;
        addSpec(out, {dcNames[d], 0xDC, d, -1, Mem::None, two, u});
        addSpec(out, {deNames[d], 0xDE, d, d == 3 ? 1 : -1, Mem::None, two, u});
    }
    addSpec(out, {"FUCOM", 0xDD, 4, -1, Mem::None, two});
    addSpec(out, {"FUCOMP", 0xDD, 5, -1, Mem::None, two});
    addSpec(out, {"FUCOMPP", 0xDA, 5, 1, Mem::None, two});
    // FCOMI family: EFLAGS ZF/PF/CF (and OF/SF/AF cleared) are compared too.
    addSpec(out, {"FUCOMI", 0xDB, 5, -1, Mem::None, two});
    addSpec(out, {"FCOMI", 0xDB, 6, -1, Mem::None, two});
    addSpec(out, {"FUCOMIP", 0xDF, 5, -1, Mem::None, two});
    addSpec(out, {"FCOMIP", 0xDF, 6, -1, Mem::None, two});
    // FCMOVcc with random EFLAGS.
    const char* cmovNames[8] = {"FCMOVB", "FCMOVE", "FCMOVBE", "FCMOVU", "FCMOVNB", "FCMOVNE", "FCMOVNBE", "FCMOVNU"};
    for (int k = 0; k < 8; ++k) {
        Spec s{cmovNames[k], static_cast<uint8_t>(k < 4 ? 0xDA : 0xDB), k & 3, -1, Mem::None, two, kArithUndef};
        s.hook = [](Gen& g, uint64_t, unsigned) { g.c.flags = static_cast<uint32_t>(g.u64() & (0x1 | 0x4 | 0x40)); };
        addSpec(out, s);
    }

    // ---- loads and stores ----
    addSpec(out, {"FLD m32fp", 0xD9, 0, -1, Mem::F32, push, kArithUndef});
    addSpec(out, {"FLD m64fp", 0xDD, 0, -1, Mem::F64, push, kArithUndef});
    addSpec(out, {"FLD m80fp", 0xDB, 5, -1, Mem::F80, push, kArithUndef});
    addSpec(out, {"FILD m16int", 0xDF, 0, -1, Mem::I16, push, kArithUndef});
    addSpec(out, {"FILD m32int", 0xDB, 0, -1, Mem::I32, push, kArithUndef});
    addSpec(out, {"FILD m64int", 0xDF, 5, -1, Mem::I64, push, kArithUndef});
    addSpec(out, {"FBLD", 0xDF, 4, -1, Mem::Bcd, push, kArithUndef});
    addSpec(out, {"FLD STi", 0xD9, 0, -1, Mem::None, push, kArithUndef});
    addSpec(out, {"FST m32fp", 0xD9, 2, -1, Mem::F32, one, kArithUndef});
    addSpec(out, {"FSTP m32fp", 0xD9, 3, -1, Mem::F32, one, kArithUndef});
    addSpec(out, {"FST m64fp", 0xDD, 2, -1, Mem::F64, one, kArithUndef});
    addSpec(out, {"FSTP m64fp", 0xDD, 3, -1, Mem::F64, one, kArithUndef});
    addSpec(out, {"FSTP m80fp", 0xDB, 7, -1, Mem::F80, one, kArithUndef});
    addSpec(out, {"FIST m16int", 0xDF, 2, -1, Mem::I16, one, kArithUndef});
    addSpec(out, {"FISTP m16int", 0xDF, 3, -1, Mem::I16, one, kArithUndef});
    addSpec(out, {"FIST m32int", 0xDB, 2, -1, Mem::I32, one, kArithUndef});
    addSpec(out, {"FISTP m32int", 0xDB, 3, -1, Mem::I32, one, kArithUndef});
    addSpec(out, {"FISTP m64int", 0xDF, 7, -1, Mem::I64, one, kArithUndef});
    addSpec(out, {"FISTTP m16int", 0xDF, 1, -1, Mem::I16, one, kArithUndef});
    addSpec(out, {"FISTTP m32int", 0xDB, 1, -1, Mem::I32, one, kArithUndef});
    addSpec(out, {"FISTTP m64int", 0xDD, 1, -1, Mem::I64, one, kArithUndef});
    addSpec(out, {"FBSTP", 0xDF, 6, -1, Mem::Bcd, one, kArithUndef});
    addSpec(out, {"FST STi", 0xDD, 2, -1, Mem::None, one, kArithUndef});
    addSpec(out, {"FSTP STi", 0xDD, 3, -1, Mem::None, one, kArithUndef});
    addSpec(out, {"FSTP1 (D9 D8)", 0xD9, 3, -1, Mem::None, one, kArithUndef});
    addSpec(out, {"FSTP8 (DF D0)", 0xDF, 2, -1, Mem::None, one, kArithUndef});
    addSpec(out, {"FSTP9 (DF D8)", 0xDF, 3, -1, Mem::None, one, kArithUndef});
    addSpec(out, {"FXCH", 0xD9, 1, -1, Mem::None, two, kArithUndef});
    addSpec(out, {"FXCH4 (DD C8)", 0xDD, 1, -1, Mem::None, two, kArithUndef});
    addSpec(out, {"FXCH7 (DF C8)", 0xDF, 1, -1, Mem::None, two, kArithUndef});
    addSpec(out, {"FFREE", 0xDD, 0, -1, Mem::None, one, kArithUndef | C1});
    addSpec(out, {"FFREEP (DF C0)", 0xDF, 0, -1, Mem::None, one, kArithUndef | C1});
    const char* constNames[7] = {"FLD1", "FLDL2T", "FLDL2E", "FLDPI", "FLDLG2", "FLDLN2", "FLDZ"};
    for (int k = 0; k < 7; ++k) addSpec(out, {constNames[k], 0xD9, 5, k, Mem::None, push, kArithUndef, 200});

    // ---- one-operand instructions ----
    addSpec(out, {"FNOP", 0xD9, 2, 0, Mem::None, one, 0, 100});
    addSpec(out, {"FCHS", 0xD9, 4, 0, Mem::None, one, kArithUndef});
    addSpec(out, {"FABS", 0xD9, 4, 1, Mem::None, one, kArithUndef});
    addSpec(out, {"FTST", 0xD9, 4, 4, Mem::None, one});
    addSpec(out, {"FXAM", 0xD9, 4, 5, Mem::None, one});
    addSpec(out, {"FDECSTP", 0xD9, 6, 6, Mem::None, one, kArithUndef, 100});
    addSpec(out, {"FINCSTP", 0xD9, 6, 7, Mem::None, one, kArithUndef, 100});
    addSpec(out, {"FSQRT", 0xD9, 7, 2, Mem::None, one, kArithUndef});
    addSpec(out, {"FRNDINT", 0xD9, 7, 4, Mem::None, one, kArithUndef});
    addSpec(out, {"FSCALE", 0xD9, 7, 5, Mem::None, two, kArithUndef, 500});
    addSpec(out, {"FXTRACT", 0xD9, 6, 4, Mem::None, Setup{1, kAny, true, true}, kArithUndef});
    addSpec(out, {"FPREM", 0xD9, 7, 0, Mem::None, two, 0, 500});
    addSpec(out, {"FPREM1", 0xD9, 6, 5, Mem::None, two, 0, 500});
    {
        // Same-magnitude operands, so the remainder is complete more often.
        Spec s{"FPREM near", 0xD9, 7, 0, Mem::None, Setup{2, kFinite, true, false}, 0, 500};
        addSpec(out, s);
        s.name = "FPREM1 near";
        s.digit = 6;
        s.rm = 5;
        addSpec(out, s);
    }

    // ---- transcendental: exact where the result is (specials, out of range, stack faults);
    // finite results are left out here (the 1-ulp comparison below covers them) ----
    struct TransOp { const char* name; int digit, rm; bool two, pushes; };
    for (const TransOp& t : {TransOp{"FSIN", 7, 6, false, false}, TransOp{"FCOS", 7, 7, false, false},
                             TransOp{"FSINCOS", 7, 3, false, true}, TransOp{"FPTAN", 6, 2, false, true},
                             TransOp{"FPATAN", 6, 3, true, false}, TransOp{"F2XM1", 6, 0, false, false},
                             TransOp{"FYL2X", 6, 1, true, false}, TransOp{"FYL2XP1", 7, 1, true, false}}) {
        Spec s{t.name, 0xD9, t.digit, t.rm, Mem::None, Setup{t.two ? 2u : 1u, static_cast<unsigned>(kTrig), true, t.pushes},
               static_cast<uint16_t>(C0 | C3 | (t.two || t.digit == 6 ? C2 : 0)), 400};
        const bool two = t.two;
        const bool tanOrSinCos = t.pushes;
        const int domain = t.digit == 6 && t.rm == 0 ? 1 : t.digit == 7 && t.rm == 1 ? 2 : 0;
        s.hook = [two, domain, tanOrSinCos](Gen& g, uint64_t, unsigned) {
            if (bug::kTrigDenormalArgRounding && tanOrSinCos) {
                uint64_t m;
                uint16_t se;
                std::memcpy(&m, g.c.fx + 32, 8);
                std::memcpy(&se, g.c.fx + 40, 2);
                const bool st0Empty = !((g.c.fx[4] >> ((((g.c.fx[3] >> 3) & 7) + 0) & 7)) & 1);
                if ((se & 0x7FFF) == 0 && m != 0 && !st0Empty) g.c.skip = true;  // known_bugs.h
            }
            // F2XM1 needs |x| <= 1, FYL2XP1 |x| < 1 - sqrt(2)/2: outside, the SDM leaves the
            // result undefined (only the stack effect is compared).
            if (domain) {
                uint64_t m;
                uint16_t se;
                std::memcpy(&m, g.c.fx + 32, 8);
                std::memcpy(&se, g.c.fx + 40, 2);
                const unsigned ex = se & 0x7FFF;
                const bool outside = domain == 1 ? (ex > 0x3FFF || (ex == 0x3FFF && (m << 1)))
                                                 : (ex > 0x3FFD || (ex == 0x3FFD && m > 0x95F619980C4336F7ull));
                if (outside && ex != 0) {
                    g.c.stMask = 0xFC;
                    g.c.fswMask = static_cast<uint16_t>(g.c.fswMask & ~(C1 | 0x3F | 0x80 | 0x8000));
                    return;
                }
            }
            auto finiteNonzero = [&](unsigned i) {
                uint64_t m;
                uint16_t se;
                std::memcpy(&m, g.c.fx + 32 + 16 * i, 8);
                std::memcpy(&se, g.c.fx + 40 + 16 * i, 2);
                return (se & 0x7FFF) != 0x7FFF && m != 0 && (m >> 63) && (se & 0x7FFF) < 0x3FFF + 63;
            };
            if (finiteNonzero(0) && (!two || finiteNonzero(1))) {
                g.c.stMask = 0xFC;  // ST(0)/ST(1) hold series results
                g.c.fswMask = static_cast<uint16_t>(g.c.fswMask & ~C1);
            }
        };
        addSpec(out, s);
    }

    // FOP/FIP/FDP are not compared: this host's FXSAVE stores them as 0 (FOP deprecated, FDP
    // only on unmasked exceptions: CPUID.(EAX=7):EBX[6]/[13]); the x87_exceptions guest and the
    // FNSTENV forms cover the environment layouts.

    // ---- control ----
    addSpec(out, {"FNSTCW", 0xD9, 7, -1, Mem::Word, one, 0, 100});
    addSpec(out, {"FNSTSW m16", 0xDD, 7, -1, Mem::Word, one, 0, 100});
    addSpec(out, {"FNSTSW AX", 0xDF, 4, 0, Mem::None, one, 0, 100});
    addSpec(out, {"FNCLEX", 0xDB, 4, 2, Mem::None, one, 0, 100});
    addSpec(out, {"FNINIT", 0xDB, 4, 3, Mem::None, one, 0, 100});
    {
        Spec s{"FLDCW", 0xD9, 5, -1, Mem::Word, one, 0, 300};
        s.hook = [](Gen& g, uint64_t ea, unsigned) { g.put(ea, randomFcw(g, true) | (g.pct(20) ? g.u64() & 0xE080 : 0), 2); };
        addSpec(out, s);
    }
    // Environment and state images (SDM Vol.1 Figures 8-9..8-12), 32- and 16-bit layouts.
    addSpec(out, {"FNSTENV", 0xD9, 6, -1, Mem::Env, one, 0, 150});
    addSpec(out, {"FLDENV", 0xD9, 4, -1, Mem::Env, one, 0, 150});
    addSpec(out, {"FNSAVE", 0xDD, 6, -1, Mem::Save, one, 0, 150});
    addSpec(out, {"FRSTOR", 0xDD, 4, -1, Mem::Save, one, 0, 150});
    return out;
}

// ---- transcendental accuracy against the host (1 ulp) ----
namespace {

struct F80 {
    uint64_t m;
    uint16_t se;
};

long double toLd(F80 v) {
    long double x = 0;
    std::memcpy(&x, &v.m, 8);
    std::memcpy(reinterpret_cast<uint8_t*>(&x) + 8, &v.se, 2);
    return x;
}
F80 fromLd(long double x) {
    F80 v;
    std::memcpy(&v.m, &x, 8);
    std::memcpy(&v.se, reinterpret_cast<uint8_t*>(&x) + 8, 2);
    return v;
}

// Distance in units in the last place between two finite f80 values of the same sign.
uint64_t ulpDistance(F80 a, F80 b) {
    if ((a.se >> 15) != (b.se >> 15)) return (a.m == 0 && b.m == 0) ? 0 : ~0ull;
    // Monotonic integer key: exponent then significand (normal numbers).
    auto key = [](F80 v) -> __int128 { return (static_cast<__int128>(v.se & 0x7FFF) << 63) + (v.m & ~(1ull << 63)); };
    const __int128 d = key(a) - key(b);
    return static_cast<uint64_t>(d < 0 ? -d : d);
}

long double hostOp(int op, long double x, long double y, long double& second) {
    long double r = 0;
    second = 0;
    switch (op) {
        case 0: asm("fsin" : "=t"(r) : "0"(x)); break;
        case 1: asm("fcos" : "=t"(r) : "0"(x)); break;
        case 2: asm("fptan" : "=t"(second), "=u"(r) : "0"(x)); break;  // ST0 = 1.0, ST1 = tan
        case 3: asm("fpatan" : "=t"(r) : "0"(x), "u"(y) : "st(1)"); break;  // atan(ST1/ST0): y/x
        case 4: asm("f2xm1" : "=t"(r) : "0"(x)); break;
        case 5: asm("fyl2x" : "=t"(r) : "0"(x), "u"(y) : "st(1)"); break;
        case 6: asm("fyl2xp1" : "=t"(r) : "0"(x), "u"(y) : "st(1)"); break;
    }
    return r;
}

}  // namespace

TEST(X87Transcendental, WithinOneUlpOfHost) {
    std::mt19937_64 rng(0x87);
    const char* names[7] = {"FSIN", "FCOS", "FPTAN", "FPATAN", "F2XM1", "FYL2X", "FYL2XP1"};
    unsigned total = 0;
    for (int op = 0; op < 7; ++op) {
        unsigned bad = 0, exact = 0, n = 0;
        uint64_t worst = 0;
        for (int k = 0; k < 20000; ++k) {
            F80 x{rng() | (1ull << 63), 0}, y{rng() | (1ull << 63), 0};
            const uint16_t sx = (rng() & 1) ? 0x8000 : 0, sy = (rng() & 1) ? 0x8000 : 0;
            switch (op) {
                case 0: case 1: case 2: x.se = static_cast<uint16_t>(sx | (0x3FFF - 30 + rng() % 92)); break;
                case 3: x.se = static_cast<uint16_t>(sx | (0x3FFF - 40 + rng() % 80)); y.se = static_cast<uint16_t>(sy | (0x3FFF - 40 + rng() % 80)); break;
                case 4: x.se = static_cast<uint16_t>(sx | (0x3FFF - 1 - rng() % 64)); break;
                case 5: x.se = static_cast<uint16_t>(0x3FFF - 200 + rng() % 400); y.se = static_cast<uint16_t>(sy | (0x3FFF - 10 + rng() % 20)); break;
                case 6: x.se = static_cast<uint16_t>(sx | (0x3FFF - 2 - rng() % 64)); y.se = static_cast<uint16_t>(sy | (0x3FFF - 10 + rng() % 20));
                        if (sx && (x.se & 0x7FFF) == 0x3FFD && x.m > 0x95F619980C4336F7ull) x.m = 0x95F619980C4336F7ull;  // |x| < 1 - sqrt(2)/2
                        break;
            }
            long double second;
            const F80 want = fromLd(hostOp(op, toLd(x), toLd(y), second));
            fp::Env e;
            fp::Float80 got{};
            const fp::Float80 fx{x.m, x.se}, fy{y.m, y.se};
            switch (op) {
                case 0: got = fp::f80_sin(fx, e); break;
                case 1: got = fp::f80_cos(fx, e); break;
                case 2: got = fp::f80_tan(fx, e); break;
                case 3: got = fp::f80_atan2(fy, fx, e); break;
                case 4: got = fp::f80_2xm1(fx, e); break;
                case 5: got = fp::f80_yl2x(fy, fx, e); break;
                case 6: got = fp::f80_yl2xp1(fy, fx, e); break;
            }
            ++n;
            const uint64_t d = ulpDistance(want, F80{got.mant, got.se});
            if (d == 0) ++exact;
            if (d > worst) worst = d;
            if (d > 1) {
                if (++bad <= 5)
                    ADD_FAILURE() << names[op] << " x=" << std::hex << x.se << ":" << x.m << " y=" << y.se << ":" << y.m
                                  << " host " << want.se << ":" << want.m << " pvx " << got.se << ":" << got.mant;
            }
        }
        total += n;
        std::printf("x87 transcendental %-8s %u cases: %u bit-exact, worst %llu ulp, %u beyond 1 ulp\n", names[op], n, exact,
                    static_cast<unsigned long long>(worst), bad);
    }
    std::printf("x87 transcendental: 7 forms, %u cases\n", total);
}

}  // namespace pvx::difftest

namespace pvx::difftest {

// FPREM/FPREM1 on operand pairs with every exponent difference, against the host: value and
// condition codes (C0, C1, C2, C3) bit-exact.
TEST(X87Transcendental, PartialRemainderMatchesHost) {
    std::mt19937_64 rng(0x4E4);
    unsigned n = 0, bad = 0;
    for (int k = 0; k < 40000; ++k) {
        F80 a{rng() | (1ull << 63), static_cast<uint16_t>(0x3FFF + static_cast<int>(rng() % 300) - 150)};
        F80 b{rng() | (1ull << 63), static_cast<uint16_t>(0x3FFF + static_cast<int>(rng() % 40) - 20)};
        if (rng() % 8 == 0) a.se = static_cast<uint16_t>(b.se + rng() % 3 - 1);
        if (rng() % 16 == 0) { a.se = static_cast<uint16_t>(rng() % 3); if (!a.se && rng() % 2) a.m >>= rng() % 64; }
        if (rng() % 16 == 0) { b.se = static_cast<uint16_t>(rng() % 3); if (!b.se && rng() % 2) b.m >>= rng() % 64; }
        if (!b.m) b.m = 1;
        static const F80 kSpecial[] = {{0, 0}, {1ull << 63, 0x7FFF}, {0xC000000000000001ull, 0x7FFF}, {0x8000000000000001ull, 0x7FFF},
                                       {0x1234, 0}, {0x8000000000001234ull, 0}, {0x1234, 0x3FFF}, {0x4000000000000000ull, 0x7FFF}};
        if (k % 4 == 1) a = kSpecial[rng() % 8];
        if (k % 4 == 2) b = kSpecial[rng() % 8];
        if (rng() & 1) a.se |= 0x8000;
        if (rng() & 1) b.se |= 0x8000;
        for (int ieee = 0; ieee < 2; ++ieee) {
            long double x = toLd(a), y = toLd(b);
            uint16_t sw = 0;
            // Condition codes before: C3 = C0 = 1 (FXAM of the empty register below ST(0)) or C3 = 1 (FTST of 0).
            const uint16_t initCc = (k & 8) ? 0x4100 : 0x4000;
            if (k & 8) {
                if (ieee) asm("fnclex\n fdecstp\n fxam\n fincstp\n fprem1\n fnstsw %%ax\n fnclex" : "=t"(x), "=a"(sw) : "0"(x), "u"(y));
                else asm("fnclex\n fdecstp\n fxam\n fincstp\n fprem\n fnstsw %%ax\n fnclex" : "=t"(x), "=a"(sw) : "0"(x), "u"(y));
            } else {
                if (ieee) asm("fnclex\n fldz\n ftst\n fstp %%st(0)\n fprem1\n fnstsw %%ax\n fnclex" : "=t"(x), "=a"(sw) : "0"(x), "u"(y));
                else asm("fnclex\n fldz\n ftst\n fstp %%st(0)\n fprem\n fnstsw %%ax\n fnclex" : "=t"(x), "=a"(sw) : "0"(x), "u"(y));
            }
            fp::Env e;
            const cpu::x87::Remainder r = cpu::x87::partialRemainder(fp::Float80{a.m, a.se}, fp::Float80{b.m, b.se}, ieee, e);
            const F80 want = fromLd(x);
            ++n;
            const uint16_t cc = 0x4700;
            const uint16_t pvxCc = r.special ? static_cast<uint16_t>(initCc & (0x4000 | 0x100)) : r.codes;
            if (want.m != r.value.mant || want.se != r.value.se || (sw & cc) != (pvxCc & cc) || (sw & 0x3F) != e.flags) {
                if (++bad <= 10)
                    ADD_FAILURE() << (ieee ? "FPREM1" : "FPREM") << std::hex << " a=" << a.se << ":" << a.m << " b=" << b.se << ":" << b.m
                                  << " host " << want.se << ":" << want.m << " cc " << (sw & cc) << " pvx " << r.value.se << ":"
                                  << r.value.mant << " cc " << (pvxCc & cc) << " flags host " << (sw & 0x3F) << " pvx " << unsigned(e.flags);
            }
        }
    }
    std::printf("x87 FPREM/FPREM1 vs host: %u cases, %u mismatches\n", n, bad);
}

}  // namespace pvx::difftest
