// FXSAVE/FXRSTOR, XSAVE/XRSTOR, LDMXCSR/STMXCSR and XGETBV (SDM Vol.2 entries; Vol.1 10.5, 13).
// The random state covers every x87 register and tag, MXCSR and all sixteen XMM registers, so
// these forms also check the harness's own state transfer: an image that does not make the
// round trip host -> pvx -> host unchanged fails here first.
#include <cstring>

#include "forms_common.h"

namespace pvx::difftest {

namespace {

// A random but valid MXCSR (reserved bits 16-31 clear; DAZ supported).
uint32_t randomMxcsr(Gen& g) { return static_cast<uint32_t>(g.u64() & 0xFFFF); }

// Random x87/SSE state. The x87 stack pointers (FOP/FIP/FDP/FCS/FDS) are zero: the host's
// FXSAVE stores whatever the last x87 instruction left, and the thunk runs none.
void randomState(Gen& g) {
    const uint16_t fcw = static_cast<uint16_t>((g.u64() & 0x1F3F) | 0x40);
    uint16_t fsw = static_cast<uint16_t>(g.u64() & 0x7F7F);  // ES and B follow from flags & ~masks
    if (fsw & ~fcw & 0x3F) fsw |= 0x8080;
    g.setFcw(fcw);
    g.setFsw(fsw);
    for (unsigned i = 0; i < 8; ++i) {
        uint64_t mant;
        uint16_t se;
        g.f80(mant, se);
        if (g.pct(25)) g.setStEmpty(i);
        else g.setSt(i, mant, se);
    }
    g.setMxcsr(randomMxcsr(g));
    for (unsigned r = 0; r < 16; ++r) g.setXmm(r, g.v128());
}

// A random FXSAVE image in memory at the operand address: registers, tags, MXCSR valid.
void randomImage(Gen& g, uint64_t ea, bool validMxcsr) {
    uint8_t img[512];
    for (unsigned k = 0; k < 512; k += 8) {
        uint64_t v = g.u64();
        std::memcpy(img + k, &v, 8);
    }
    std::memset(img + 6, 0, 18);  // FOP, FIP, FDP (see randomState)
    const uint32_t mx = validMxcsr ? randomMxcsr(g) : (randomMxcsr(g) | (1u << (16 + g.below(16))));
    std::memcpy(img + 24, &mx, 4);
    for (unsigned i = 0; i < 8; ++i) {  // registers: interesting encodings, padding random
        uint64_t mant;
        uint16_t se;
        g.f80(mant, se);
        std::memcpy(img + 32 + 16 * i, &mant, 8);
        std::memcpy(img + 40 + 16 * i, &se, 2);
    }
    g.putBytes(ea, img, sizeof img);
}

ModrmForm stateForm(const std::string& name, std::vector<uint8_t> opcode, int digit, bool rexW, unsigned size,
                    unsigned align, Hook hook, unsigned misalign = 0) {
    MSpec s;
    s.opcode = std::move(opcode);
    s.digit = digit;
    s.osz = rexW ? 8 : 4;
    s.rmSize = size;
    s.align = align;
    s.misalign = misalign;
    s.margin = 96;
    s.avoid = (1u << RSP) | (1u << RAX) | (1u << RDX);  // EDX:EAX is XSAVE's component mask
    ModrmForm f(name, s, 0, 0, 150);
    f.regForm = false;
    f.pm32 = false;  // the host runs in 64-bit mode, where FXSAVE stores XMM8-15 as well
    f.hook = [hook](Gen& g, Rm& m) {
        randomState(g);
        g.c.defined = 0;
        hook(g, m);
    };
    return f;
}

// MXCSR_MASK (image bytes 28-31) is the CPU model's: an AMD host also reports MXCSR.MM (bit 17).
void ignoreMxcsrMask(Gen& g, const Rm& m) { g.c.memIgnore.push_back({m.ea + 28, m.ea + 32}); }

uint64_t rfbmValue(Gen& g) { return g.below(4); }  // subsets of {x87, SSE}: XCR0 bits pvx has

}  // namespace

std::vector<Form> simdStateForms() {
    std::vector<Form> out;
    const std::vector<uint8_t> grp15 = {0x0F, 0xAE};
    for (bool w : {false, true}) {
        const std::string sfx = w ? "64" : "";
        addModrm(out, stateForm("FXSAVE" + sfx, grp15, 0, w, 512, 16, [](Gen& g, Rm& m) { ignoreMxcsrMask(g, m); }));
        addModrm(out, stateForm("FXRSTOR" + sfx, grp15, 1, w, 512, 16, [](Gen& g, Rm& m) {
            randomImage(g, m.ea, true);
        }));
        addModrm(out, stateForm("FXRSTOR" + sfx + " reserved MXCSR: #GP", grp15, 1, w, 512, 16, [](Gen& g, Rm& m) {
            randomImage(g, m.ea, false);
            g.c.oracle = Oracle::Fault;
            g.c.vector = 13;
        }));
        addModrm(out, stateForm("FXSAVE" + sfx + " misaligned: #GP", grp15, 0, w, 512, 16, [](Gen& g, Rm&) {
            g.c.oracle = Oracle::Fault;
            g.c.vector = 13;
        }, 8));
        addModrm(out, stateForm("XSAVE" + sfx + " misaligned: #GP", grp15, 4, w, 576, 64, [](Gen& g, Rm& m) {
            g.setImplicit(m, RAX, 8, 3);
            g.setImplicit(m, RDX, 8, 0);
            g.c.oracle = Oracle::Fault;
            g.c.vector = 13;
        }, 16 * (1 + static_cast<unsigned>(w))));
        // XSAVE/XRSTOR with EDX:EAX selecting x87 and/or SSE. The random state is never the
        // init configuration, so the host's XSTATE_BV (XINUSE) has every requested bit set.
        addModrm(out, stateForm("XSAVE" + sfx, grp15, 4, w, 576, 64, [](Gen& g, Rm& m) {
            ignoreMxcsrMask(g, m);
            g.setImplicit(m, RAX, 8, rfbmValue(g) | (g.u64() & ~0xFFFFFFFFull));
            g.setImplicit(m, RDX, 8, g.u64() & ~0xFFFFFFFFull);
        }));
        addModrm(out, stateForm("XRSTOR" + sfx, grp15, 5, w, 576, 64, [](Gen& g, Rm& m) {
            randomImage(g, m.ea, true);
            uint8_t hdr[64] = {};
            const uint64_t bv = g.below(4);
            std::memcpy(hdr, &bv, 8);
            g.putBytes(m.ea + 512, hdr, sizeof hdr);
            g.setImplicit(m, RAX, 8, rfbmValue(g) | (g.u64() & ~0xFFFFFFFFull));
            g.setImplicit(m, RDX, 8, g.u64() & ~0xFFFFFFFFull);
        }));
        addModrm(out, stateForm("XRSTOR" + sfx + " bad header: #GP", grp15, 5, w, 576, 64, [](Gen& g, Rm& m) {
            randomImage(g, m.ea, true);
            uint8_t hdr[64] = {};
            hdr[8 + g.below(56)] = static_cast<uint8_t>(1 + g.below(255));  // XCOMP_BV or reserved
            g.putBytes(m.ea + 512, hdr, sizeof hdr);
            g.setImplicit(m, RAX, 8, 3);
            g.setImplicit(m, RDX, 8, 0);
            g.c.oracle = Oracle::Fault;
            g.c.vector = 13;
        }));
    }
    // LDMXCSR / STMXCSR (m32).
    MSpec s;
    s.opcode = grp15;
    s.osz = 4;
    s.rmSize = 4;
    s.digit = 2;
    ModrmForm ld("LDMXCSR", s, 0, 0, 200);
    ld.regForm = false;
    ld.hook = [](Gen& g, Rm& m) {
        randomState(g);
        g.put(m.ea, randomMxcsr(g), 4);
    };
    addModrm(out, ld);
    ModrmForm ldBad("LDMXCSR reserved bits: #GP", s, 0, 0, 50);
    ldBad.regForm = false;
    ldBad.hook = [](Gen& g, Rm& m) {
        randomState(g);
        g.put(m.ea, randomMxcsr(g) | (1u << (16 + g.below(16))), 4);
        g.c.oracle = Oracle::Fault;
        g.c.vector = 13;
    };
    addModrm(out, ldBad);
    s.digit = 3;
    ModrmForm st("STMXCSR", s, 0, 0, 200);
    st.regForm = false;
    st.hook = [](Gen& g, Rm&) { randomState(g); };
    addModrm(out, st);

    // XGETBV (ECX = 0): the host's XCR0 has more components than pvx implements, so the SDM
    // model stands in: the guest set-up enables x87 and SSE (XCR0 = 3), as an OS does.
    out.push_back(plainForm("XGETBV", 20, [](Gen& g) {
        Insn in;
        in.opcode = {0x0F, 0x01, 0xD0};
        g.c.gpr[RCX] = g.u64() & ~0xFFFFFFFFull;
        g.c.oracle = Oracle::Model;
        g.c.model = [](State& st) {
            st.gpr[RAX] = 3;
            st.gpr[RDX] = 0;
        };
        g.finish(in);
    }));
    return out;
}

}  // namespace pvx::difftest
