// Differential forms: SSE/SSE2/SSE3/SSE4.1 floating point (opcodes_sse_fp.def). Every form runs
// in register and memory variants, in 64-bit mode and 32-bit protected mode, with operands from
// the special-value generators (zeros, infinities, NaNs, denormals, extreme normals), a random
// MXCSR (rounding, DAZ, FTZ, sticky flags, sometimes unmasked exceptions), and compares results,
// MXCSR, EFLAGS (COMISS) and the x87/MMX state against this host CPU. Inputs that trap on the
// host with the case's unmasked exceptions (forms_sse_fp_probe.h) become #XM fault cases with
// the host's trap-time MXCSR (or #MF for MMX operands with a pending x87 exception); aligned
// forms also get misaligned memory operands (#GP(0)).
#include <cstdio>
#include <cstring>

#include "forms_common.h"
#include "forms_sse_fp_probe.h"

namespace pvx::difftest {

namespace {

enum class Kind : uint8_t { Xmm, Gpr, Mmx };
// What random data fills an operand.
enum class Val : uint8_t { F32, F64, F32Int, F64Int, Int, Bits, Special32 };

struct Spec {
    std::string name;
    uint8_t prefix = 0;             // mandatory prefix (0, 66, F3, F2)
    std::vector<uint8_t> opcode;    // 0F xx / 0F 38 xx / 0F 3A xx
    unsigned mem = 16;              // memory operand bytes
    bool aligned = true;            // #GP(0) unless 16-byte aligned (16-byte operands only)
    Val dst = Val::F32, src = Val::F32;
    Kind reg = Kind::Xmm, rm = Kind::Xmm;
    unsigned gpr = 4;               // size of a GPR operand (8: REX.W)
    int imm = -1;                   // -1: none; else the imm8 generator: 0 any byte, 8 = 0..7
                                    // mostly, 16 = 0..15 mostly
    bool fpExc = true;              // may raise SIMD floating-point exceptions
    bool regForm = true, memForm = true;
    bool store = false;             // r/m is the destination (the memory is written)
    bool blendv = false;            // reads XMM0 implicitly
    int approx = 0;                 // RCP/RSQRT: lanes whose results only approximate (4 or 1)
    bool extra66 = false;           // an operand-size prefix before the F2/F3 one (ignored)
    bool ud = false;                // an undefined encoding: #UD
    unsigned cases = 160;
};

std::vector<uint8_t> op(uint8_t b) { return {0x0F, b}; }
std::vector<uint8_t> op38(uint8_t b) { return {0x0F, 0x38, b}; }
std::vector<uint8_t> op3a(uint8_t b) { return {0x0F, 0x3A, b}; }

uint32_t anyF32Int(Gen& g) {  // values around the int32 range and halfway points
    switch (g.below(4)) {
        case 0: return g.f32();
        case 1: {  // near +-2^31
            const uint32_t e = 157 + static_cast<uint32_t>(g.below(2));
            return (g.pct(50) ? 0x80000000u : 0) | e << 23 | static_cast<uint32_t>(g.below(1u << 23) & (g.pct(50) ? 0x7FFFFF : 0x7F0000));
        }
        case 2: {  // small with fractions: x.5 ties
            const uint32_t e = 126 + static_cast<uint32_t>(g.below(6));
            return (g.pct(50) ? 0x80000000u : 0) | e << 23 | static_cast<uint32_t>(g.below(8) << 20);
        }
        default: {
            const uint32_t e = 127 + static_cast<uint32_t>(g.below(32));
            return (g.pct(50) ? 0x80000000u : 0) | e << 23 | static_cast<uint32_t>(g.below(1u << 23));
        }
    }
}
uint64_t anyF64Int(Gen& g) {
    switch (g.below(4)) {
        case 0: return g.f64();
        case 1: {  // near +-2^31 and +-2^63
            const uint64_t e = g.pct(50) ? 1023 + 30 + g.below(2) : 1023 + 62 + g.below(2);
            return (g.pct(50) ? 0x8000000000000000ull : 0) | e << 52 | (g.u64() & (g.pct(50) ? 0xFFFFFFFFFFFFFull : 0xFFFFFF0000000ull));
        }
        case 2: {
            const uint64_t e = 1022 + g.below(6);
            return (g.pct(50) ? 0x8000000000000000ull : 0) | e << 52 | g.below(8) << 49;
        }
        default: {
            const uint64_t e = 1023 + g.below(64);
            return (g.pct(50) ? 0x8000000000000000ull : 0) | e << 52 | (g.u64() & 0xFFFFFFFFFFFFFull);
        }
    }
}
uint32_t special32(Gen& g) {  // RCP/RSQRT inputs with exactly defined results
    static const uint32_t k[] = {0, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u, 0xFFC00000u};
    switch (g.below(4)) {
        case 0: return k[g.below(6)];
        case 1: return (g.pct(50) ? 0x80000000u : 0) | static_cast<uint32_t>(1 + g.below(0x7FFFFE));  // denormal
        case 2: return (g.pct(50) ? 0x7F800000u : 0xFF800000u) | static_cast<uint32_t>(1 + g.below(0x7FFFFE));  // NaN
        default: return 0xBF800000u | static_cast<uint32_t>(g.below(1u << 23)) | (g.u64() & 0x3F800000u);  // negative
    }
}

V128 value(Gen& g, Val v) {
    switch (v) {
        case Val::F32: return g.v128f32();
        case Val::F64: return g.v128f64();
        case Val::F32Int: {
            const uint64_t a = anyF32Int(g), b = anyF32Int(g), c = anyF32Int(g), d = anyF32Int(g);
            return V128{a | b << 32, c | d << 32};
        }
        case Val::F64Int: return V128{anyF64Int(g), anyF64Int(g)};
        case Val::Int: {
            uint32_t d[4];
            for (auto& x : d) x = static_cast<uint32_t>(g.pct(40) ? g.edge(4) : g.pct(50) ? g.below(2000) - 1000 : g.u64());
            return V128{d[0] | uint64_t{d[1]} << 32, d[2] | uint64_t{d[3]} << 32};
        }
        case Val::Special32: {
            const uint64_t a = special32(g), b = special32(g), c = special32(g), d = special32(g);
            return V128{a | b << 32, c | d << 32};
        }
        default: return g.v128();
    }
}

// A random MXCSR: rounding, DAZ, FTZ, sticky flags, and (when `unmask`) some unmasked exceptions.
uint32_t randomMxcsr(Gen& g, bool unmask) {
    uint32_t m = 0x1F80u | static_cast<uint32_t>(g.below(4)) << 13;
    if (g.pct(25)) m |= 0x40;    // DAZ
    if (g.pct(25)) m |= 0x8000;  // FTZ
    if (g.pct(20)) m |= static_cast<uint32_t>(g.below(64));  // sticky flags
    if (unmask && g.pct(30)) m &= ~(static_cast<uint32_t>(g.below(64)) << 7);
    return m;
}

uint64_t immFor(Gen& g, int kind) {
    if (kind == 8) return g.pct(90) ? g.below(8) : g.below(256);
    if (kind == 16) return g.pct(90) ? g.below(16) : g.below(256);
    return g.below(256);
}

bool isNormal32(uint32_t a) {
    const uint32_t e = (a >> 23) & 0xFF;
    return e != 0 && e != 0xFF;
}

void addSpec(std::vector<Form>& out, const Spec& sp) {
    for (int misaligned : {0, 1}) {
        if (misaligned && (sp.ud || !(sp.aligned && sp.mem == 16 && sp.memForm))) continue;
        MSpec ms;
        ms.opcode = sp.opcode;
        ms.mandatory = sp.prefix;
        ms.osz = sp.gpr == 8 ? 8 : 4;
        ms.regSize = sp.reg == Kind::Gpr ? (sp.gpr == 8 ? 8 : 4) : 8;
        ms.rmSize = sp.mem;
        if (sp.aligned && sp.mem == 16) ms.align = 16;
        if (misaligned) ms.misalign = 8;
        // Every flag is compared: COMISS & co. define all six, the rest must leave them alone.
        ModrmForm f(sp.name + (misaligned ? " misaligned" : ""), ms, kStatus, 0, misaligned ? 40 : sp.cases);
        f.regForm = sp.regForm && !misaligned;
        f.memForm = sp.memForm;
        const Spec s = sp;
        f.hook = [s, misaligned](Gen& g, Rm& m) {
            const bool unmask = s.fpExc && !misaligned;
            const uint32_t mx = randomMxcsr(g, unmask);
            g.setMxcsr(mx);
            if (g.pct(10)) g.setFsw(static_cast<uint16_t>(g.below(8) << 11));  // a nonzero TOP (MMX forms reset it)
            if (s.blendv) g.setXmm(0, g.v128());
            // Source operand.
            V128 src = value(g, s.src);
            if (s.approx && g.pct(50)) src = value(g, Val::Special32);
            if (m.mem) {
                if (!s.store) g.putBytes(m.ea, &src, s.mem);
            } else if (s.rm == Kind::Xmm) {
                g.setXmm(m.rmCode, src);
            } else if (s.rm == Kind::Mmx) {
                g.setMm(m.rmCode & 7, src.lo);
            }
            // Destination / register operand.
            if (s.reg == Kind::Xmm) g.setXmm(m.regCode, value(g, s.dst));
            else if (s.reg == Kind::Mmx) g.setMm(m.regCode & 7, value(g, s.dst).lo);
            // MMX operands: sometimes a pending unmasked x87 exception (FSW.ES), which is #MF
            // first (SDM Vol.2 CVTPI2PS "Exceptions"); not for CVTPI2Px m64, whose only MMX
            // side is absent and which the probe (register form) could not stand in for.
            const bool pending = (s.reg == Kind::Mmx || (s.rm == Kind::Mmx && !m.mem)) && !misaligned && g.pct(15);
            if (pending) {
                g.setFsw(0x8081);  // IE | ES (and B, which mirrors ES), TOP = 0
                g.setFcw(0x037E);  // IM clear
            }
            if (s.imm >= 0) m.addImm(immFor(g, s.imm), 1);
            g.c.note = "MXCSR " + std::to_string(mx) + (pending ? ", x87 exception pending" : "");
            if (s.extra66) {
                m.insn.prefixes.insert(m.insn.prefixes.begin(), 0x66);
                m.hostInsn.prefixes.insert(m.hostInsn.prefixes.begin(), 0x66);
            }
            // Undefined encodings and misaligned operands: the host says which exception
            // (SDM Vol.2 "Exceptions": #UD; Vol.1 10.4.1.1: a misaligned 16-byte operand of an
            // aligned form is #GP(0)); if it does not trap the case stays a host comparison.
            if (s.ud || misaligned) {
                const std::vector<uint8_t> imm = m.insn.imm;
                const ProbeResult r = probeSse(s.prefix, s.gpr == 8, s.opcode, imm, g.c.fx, 0, m.mem ? (misaligned ? 8 : 0) : -1, nullptr);
                if (r.trapped) {
                    g.c.oracle = Oracle::Fault;
                    g.c.vector = r.vector;
                    if (r.vector == 19) g.c.faultMxcsr = r.mxcsr;
                }
                return;
            }

            // RCP/RSQRT approximations differ between implementations: compare the destination
            // only when every approximated lane has a specially defined result.
            if (s.approx && !m.mem) src = g.xmm(m.rmCode);
            if (s.approx) {
                const uint32_t lanes[4] = {static_cast<uint32_t>(src.lo), static_cast<uint32_t>(src.lo >> 32),
                                           static_cast<uint32_t>(src.hi), static_cast<uint32_t>(src.hi >> 32)};
                bool exact = true;
                for (int k = 0; k < s.approx; ++k)
                    if (isNormal32(lanes[k]) && !((lanes[k] >> 31) && s.opcode[1] == 0x52)) exact = false;
                if (!exact) g.c.xmmMask = static_cast<uint16_t>(g.c.xmmMask & ~(1u << m.regCode));
            }
            // Unmasked exceptions: ask the host whether these operands trap.
            if ((unmask && (mx & 0x1F80) != 0x1F80) || pending) {
                alignas(16) uint8_t fx[512];
                std::memcpy(fx, g.c.fx, 512);
                V128 d = s.reg == Kind::Xmm ? g.xmm(m.regCode) : V128{};
                V128 x = src;
                uint64_t gprSrc = 0;
                if (!m.mem && s.rm == Kind::Xmm) x = g.xmm(m.rmCode);
                if (m.mem && s.rm == Kind::Gpr) gprSrc = g.get(m.ea, s.gpr);
                if (!m.mem && s.rm == Kind::Gpr) gprSrc = g.reg(s.gpr, m.rmCode);
                std::memcpy(fx + 160, &d, 16);
                std::memcpy(fx + 176, &x, 16);
                std::vector<uint8_t> imm;
                if (s.imm >= 0) imm = m.insn.imm;
                if (s.rm == Kind::Mmx) {
                    // The probe's r/m operand is MM1: the source bits go to R1 with TOP = 0.
                    uint64_t mmv = x.lo;
                    if (!m.mem) std::memcpy(&mmv, g.c.fx + 32 + 16 * (m.rmCode & 7), 8);  // setMm left TOP = 0
                    const uint16_t se = 0xFFFF;
                    std::memcpy(fx + 48, &mmv, 8);
                    std::memcpy(fx + 56, &se, 2);
                    fx[4] = static_cast<uint8_t>(fx[4] | 2);
                    uint16_t fsw;
                    std::memcpy(&fsw, fx + 2, 2);
                    fsw = static_cast<uint16_t>(fsw & ~0x3800);
                    std::memcpy(fx + 2, &fsw, 2);
                }
                const ProbeResult r = probeSse(s.prefix, s.gpr == 8, s.opcode, imm, fx, gprSrc);
                if (r.trapped) {
                    g.c.oracle = Oracle::Fault;
                    g.c.vector = r.vector;
                    if (r.vector == 19) g.c.faultMxcsr = r.mxcsr;
                    // An MMX register operand switches the x87 unit to MMX operation (TOP = 0,
                    // all tags valid) before the #XM is delivered (checked on this host with
                    // the trap-time FXSAVE image). A fault case compares against its initial
                    // state, so start from that MMX state already.
                    if (r.vector == 19 && (s.reg == Kind::Mmx || (s.rm == Kind::Mmx && !m.mem)))
                        g.c.fx[4] = 0xFF;  // setMm already left TOP = 0
                }
            }
        };
        addModrm(out, f);
    }
}

std::vector<Spec> specs() {
    std::vector<Spec> v;
    auto add = [&](Spec s) { v.push_back(std::move(s)); };
    auto bits = [](Spec s) {
        s.fpExc = false;
        s.dst = s.src = Val::Bits;
        return s;
    };
    // ---- moves ----
    add(bits({.name = "MOVUPS load", .opcode = op(0x10), .aligned = false}));
    add(bits({.name = "MOVUPD load", .prefix = 0x66, .opcode = op(0x10), .aligned = false}));
    add(bits({.name = "MOVUPS store", .opcode = op(0x11), .aligned = false, .store = true}));
    add(bits({.name = "MOVUPD store", .prefix = 0x66, .opcode = op(0x11), .aligned = false, .store = true}));
    add(bits({.name = "MOVAPS load", .opcode = op(0x28)}));
    add(bits({.name = "MOVAPD load", .prefix = 0x66, .opcode = op(0x28)}));
    add(bits({.name = "MOVAPS store", .opcode = op(0x29), .store = true}));
    add(bits({.name = "MOVAPD store", .prefix = 0x66, .opcode = op(0x29), .store = true}));
    add(bits({.name = "MOVNTPS", .opcode = op(0x2B), .regForm = false, .store = true}));
    add(bits({.name = "MOVNTPD", .prefix = 0x66, .opcode = op(0x2B), .regForm = false, .store = true}));
    add(bits({.name = "MOVSS load", .prefix = 0xF3, .opcode = op(0x10), .mem = 4}));
    add(bits({.name = "MOVSD load", .prefix = 0xF2, .opcode = op(0x10), .mem = 8}));
    add(bits({.name = "MOVSS store", .prefix = 0xF3, .opcode = op(0x11), .mem = 4, .store = true}));
    add(bits({.name = "MOVSD store", .prefix = 0xF2, .opcode = op(0x11), .mem = 8, .store = true}));
    add(bits({.name = "MOVLPS/MOVHLPS", .opcode = op(0x12), .mem = 8}));
    add(bits({.name = "MOVLPD load", .prefix = 0x66, .opcode = op(0x12), .mem = 8, .regForm = false}));
    add(bits({.name = "MOVHPS/MOVLHPS", .opcode = op(0x16), .mem = 8}));
    add(bits({.name = "MOVHPD load", .prefix = 0x66, .opcode = op(0x16), .mem = 8, .regForm = false}));
    add(bits({.name = "MOVLPS store", .opcode = op(0x13), .mem = 8, .regForm = false, .store = true}));
    add(bits({.name = "MOVLPD store", .prefix = 0x66, .opcode = op(0x13), .mem = 8, .regForm = false, .store = true}));
    add(bits({.name = "MOVHPS store", .opcode = op(0x17), .mem = 8, .regForm = false, .store = true}));
    add(bits({.name = "MOVHPD store", .prefix = 0x66, .opcode = op(0x17), .mem = 8, .regForm = false, .store = true}));
    add(bits({.name = "MOVMSKPS", .opcode = op(0x50), .reg = Kind::Gpr, .memForm = false}));
    add(bits({.name = "MOVMSKPD", .prefix = 0x66, .opcode = op(0x50), .reg = Kind::Gpr, .memForm = false}));
    add(bits({.name = "MOVMSKPS r64", .opcode = op(0x50), .reg = Kind::Gpr, .gpr = 8, .memForm = false}));
    add(bits({.name = "MOVSLDUP", .prefix = 0xF3, .opcode = op(0x12)}));
    add(bits({.name = "MOVSHDUP", .prefix = 0xF3, .opcode = op(0x16)}));
    add(bits({.name = "MOVDDUP", .prefix = 0xF2, .opcode = op(0x12), .mem = 8}));

    // ---- arithmetic ----
    struct Ar {
        const char* n;
        uint8_t o;
    };
    for (Ar a : {Ar{"ADD", 0x58}, Ar{"MUL", 0x59}, Ar{"SUB", 0x5C}, Ar{"MIN", 0x5D}, Ar{"DIV", 0x5E}, Ar{"MAX", 0x5F},
                 Ar{"SQRT", 0x51}}) {
        const std::string n = a.n;
        add({.name = n + "PS", .opcode = op(a.o)});
        add({.name = n + "PD", .prefix = 0x66, .opcode = op(a.o), .dst = Val::F64, .src = Val::F64});
        add({.name = n + "SS", .prefix = 0xF3, .opcode = op(a.o), .mem = 4});
        add({.name = n + "SD", .prefix = 0xF2, .opcode = op(a.o), .mem = 8, .dst = Val::F64, .src = Val::F64});
    }
    add({.name = "RCPPS", .opcode = op(0x53), .fpExc = false, .approx = 4});
    add({.name = "RCPSS", .prefix = 0xF3, .opcode = op(0x53), .mem = 4, .fpExc = false, .approx = 1});
    add({.name = "RSQRTPS", .opcode = op(0x52), .fpExc = false, .approx = 4});
    add({.name = "RSQRTSS", .prefix = 0xF3, .opcode = op(0x52), .mem = 4, .fpExc = false, .approx = 1});
    add({.name = "ADDSUBPS", .prefix = 0xF2, .opcode = op(0xD0)});
    add({.name = "ADDSUBPD", .prefix = 0x66, .opcode = op(0xD0), .dst = Val::F64, .src = Val::F64});
    add({.name = "HADDPS", .prefix = 0xF2, .opcode = op(0x7C)});
    add({.name = "HADDPD", .prefix = 0x66, .opcode = op(0x7C), .dst = Val::F64, .src = Val::F64});
    add({.name = "HSUBPS", .prefix = 0xF2, .opcode = op(0x7D)});
    add({.name = "HSUBPD", .prefix = 0x66, .opcode = op(0x7D), .dst = Val::F64, .src = Val::F64});

    // ---- logic and shuffles ----
    for (Ar a : {Ar{"AND", 0x54}, Ar{"ANDN", 0x55}, Ar{"OR", 0x56}, Ar{"XOR", 0x57}}) {
        add(bits({.name = std::string(a.n) + "PS", .opcode = op(a.o)}));
        add(bits({.name = std::string(a.n) + "PD", .prefix = 0x66, .opcode = op(a.o)}));
    }
    add(bits({.name = "SHUFPS", .opcode = op(0xC6), .imm = 0}));
    add(bits({.name = "SHUFPD", .prefix = 0x66, .opcode = op(0xC6), .imm = 0}));
    add(bits({.name = "UNPCKLPS", .opcode = op(0x14)}));
    add(bits({.name = "UNPCKLPD", .prefix = 0x66, .opcode = op(0x14)}));
    add(bits({.name = "UNPCKHPS", .opcode = op(0x15)}));
    add(bits({.name = "UNPCKHPD", .prefix = 0x66, .opcode = op(0x15)}));

    // ---- comparisons ----
    add({.name = "CMPPS", .opcode = op(0xC2), .imm = 8});
    add({.name = "CMPPD", .prefix = 0x66, .opcode = op(0xC2), .dst = Val::F64, .src = Val::F64, .imm = 8});
    add({.name = "CMPSS", .prefix = 0xF3, .opcode = op(0xC2), .mem = 4, .imm = 8});
    add({.name = "CMPSD", .prefix = 0xF2, .opcode = op(0xC2), .mem = 8, .dst = Val::F64, .src = Val::F64, .imm = 8});
    add({.name = "UCOMISS", .opcode = op(0x2E), .mem = 4});
    add({.name = "UCOMISD", .prefix = 0x66, .opcode = op(0x2E), .mem = 8, .dst = Val::F64, .src = Val::F64});
    add({.name = "COMISS", .opcode = op(0x2F), .mem = 4});
    add({.name = "COMISD", .prefix = 0x66, .opcode = op(0x2F), .mem = 8, .dst = Val::F64, .src = Val::F64});

    // ---- conversions ----
    add({.name = "CVTPI2PS", .opcode = op(0x2A), .mem = 8, .src = Val::Int, .rm = Kind::Mmx});
    add({.name = "CVTPI2PD", .prefix = 0x66, .opcode = op(0x2A), .mem = 8, .dst = Val::F64, .src = Val::Int, .rm = Kind::Mmx});
    add({.name = "CVTSI2SS r32", .prefix = 0xF3, .opcode = op(0x2A), .mem = 4, .src = Val::Int, .rm = Kind::Gpr});
    add({.name = "CVTSI2SS r64", .prefix = 0xF3, .opcode = op(0x2A), .mem = 8, .src = Val::Int, .rm = Kind::Gpr, .gpr = 8});
    add({.name = "CVTSI2SD r32", .prefix = 0xF2, .opcode = op(0x2A), .mem = 4, .dst = Val::F64, .src = Val::Int, .rm = Kind::Gpr});
    add({.name = "CVTSI2SD r64", .prefix = 0xF2, .opcode = op(0x2A), .mem = 8, .dst = Val::F64, .src = Val::Int, .rm = Kind::Gpr, .gpr = 8});
    for (int t = 0; t < 2; ++t) {
        const uint8_t o = t ? 0x2C : 0x2D;
        const std::string T = t ? "T" : "";
        add({.name = "CVT" + T + "PS2PI", .opcode = op(o), .mem = 8, .src = Val::F32Int, .reg = Kind::Mmx});
        add({.name = "CVT" + T + "PD2PI", .prefix = 0x66, .opcode = op(o), .src = Val::F64Int, .reg = Kind::Mmx});
        add({.name = "CVT" + T + "SS2SI r32", .prefix = 0xF3, .opcode = op(o), .mem = 4, .src = Val::F32Int, .reg = Kind::Gpr});
        add({.name = "CVT" + T + "SS2SI r64", .prefix = 0xF3, .opcode = op(o), .mem = 4, .src = Val::F32Int, .reg = Kind::Gpr, .gpr = 8});
        add({.name = "CVT" + T + "SD2SI r32", .prefix = 0xF2, .opcode = op(o), .mem = 8, .src = Val::F64Int, .reg = Kind::Gpr});
        add({.name = "CVT" + T + "SD2SI r64", .prefix = 0xF2, .opcode = op(o), .mem = 8, .src = Val::F64Int, .reg = Kind::Gpr, .gpr = 8});
    }
    add({.name = "CVTPS2PD", .opcode = op(0x5A), .mem = 8});
    add({.name = "CVTPD2PS", .prefix = 0x66, .opcode = op(0x5A), .src = Val::F64});
    add({.name = "CVTSS2SD", .prefix = 0xF3, .opcode = op(0x5A), .mem = 4, .dst = Val::F64});
    add({.name = "CVTSD2SS", .prefix = 0xF2, .opcode = op(0x5A), .mem = 8, .src = Val::F64});
    add({.name = "CVTDQ2PS", .opcode = op(0x5B), .src = Val::Int});
    add({.name = "CVTPS2DQ", .prefix = 0x66, .opcode = op(0x5B), .src = Val::F32Int});
    add({.name = "CVTTPS2DQ", .prefix = 0xF3, .opcode = op(0x5B), .src = Val::F32Int});
    add({.name = "CVTDQ2PD", .prefix = 0xF3, .opcode = op(0xE6), .mem = 8, .src = Val::Int});
    add({.name = "CVTPD2DQ", .prefix = 0xF2, .opcode = op(0xE6), .src = Val::F64Int});
    add({.name = "CVTTPD2DQ", .prefix = 0x66, .opcode = op(0xE6), .src = Val::F64Int});

    // ---- SSE4.1 ----
    add({.name = "ROUNDPS", .prefix = 0x66, .opcode = op3a(0x08), .src = Val::F32Int, .imm = 16});
    add({.name = "ROUNDPD", .prefix = 0x66, .opcode = op3a(0x09), .dst = Val::F64, .src = Val::F64Int, .imm = 16});
    add({.name = "ROUNDSS", .prefix = 0x66, .opcode = op3a(0x0A), .mem = 4, .src = Val::F32Int, .imm = 16});
    add({.name = "ROUNDSD", .prefix = 0x66, .opcode = op3a(0x0B), .mem = 8, .dst = Val::F64, .src = Val::F64Int, .imm = 16});
    add(bits({.name = "BLENDPS", .prefix = 0x66, .opcode = op3a(0x0C), .imm = 0}));
    add(bits({.name = "BLENDPD", .prefix = 0x66, .opcode = op3a(0x0D), .imm = 0}));
    add(bits({.name = "BLENDVPS", .prefix = 0x66, .opcode = op38(0x14), .blendv = true}));
    add(bits({.name = "BLENDVPD", .prefix = 0x66, .opcode = op38(0x15), .blendv = true}));
    add(bits({.name = "INSERTPS", .prefix = 0x66, .opcode = op3a(0x21), .mem = 4, .imm = 0}));
    add(bits({.name = "EXTRACTPS", .prefix = 0x66, .opcode = op3a(0x17), .mem = 4, .rm = Kind::Gpr, .imm = 0, .store = true}));
    add({.name = "DPPS", .prefix = 0x66, .opcode = op3a(0x40), .imm = 0});
    add({.name = "DPPD", .prefix = 0x66, .opcode = op3a(0x41), .dst = Val::F64, .src = Val::F64, .imm = 0});

    // ---- prefix combinations: 66 before F2/F3 is ignored; undefined prefixes/forms are #UD ----
    add({.name = "ADDSS with 66", .prefix = 0xF3, .opcode = op(0x58), .mem = 4, .extra66 = true});
    add({.name = "MULSD with 66", .prefix = 0xF2, .opcode = op(0x59), .mem = 8, .dst = Val::F64, .src = Val::F64, .extra66 = true});
    add(bits({.name = "MOVSS load with 66", .prefix = 0xF3, .opcode = op(0x10), .mem = 4, .extra66 = true}));
    add({.name = "CVTSI2SD with 66", .prefix = 0xF2, .opcode = op(0x2A), .mem = 4, .dst = Val::F64, .src = Val::Int, .rm = Kind::Gpr, .extra66 = true});
    for (uint8_t o : {0x54, 0x14, 0x28, 0xC6, 0x2E, 0x50}) {
        char n[32];
        std::snprintf(n, sizeof n, "F3 0F %02X (#UD)", o);
        add({.name = n, .prefix = 0xF3, .opcode = op(o), .fpExc = false, .ud = true, .cases = 30});
    }
    add({.name = "MOVLPD reg (#UD)", .prefix = 0x66, .opcode = op(0x12), .fpExc = false, .memForm = false, .ud = true, .cases = 30});
    add({.name = "MOVHPD reg (#UD)", .prefix = 0x66, .opcode = op(0x16), .fpExc = false, .memForm = false, .ud = true, .cases = 30});
    add({.name = "MOVLPS store reg (#UD)", .opcode = op(0x13), .fpExc = false, .memForm = false, .ud = true, .cases = 30});
    add({.name = "MOVHPS store reg (#UD)", .opcode = op(0x17), .fpExc = false, .memForm = false, .ud = true, .cases = 30});
    add({.name = "MOVNTPS reg (#UD)", .opcode = op(0x2B), .fpExc = false, .memForm = false, .ud = true, .cases = 30});
    add({.name = "MOVMSKPS mem (#UD)", .opcode = op(0x50), .fpExc = false, .regForm = false, .ud = true, .cases = 30});
    return v;
}

}  // namespace

std::vector<Form> sseFpForms() {
    std::vector<Form> out;
    for (const Spec& s : specs()) addSpec(out, s);
    return out;
}

}  // namespace pvx::difftest
