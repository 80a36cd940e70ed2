// x87 control instructions (SDM Vol.1 8.1.10, Vol.2 FINIT/FCLEX/FLDCW/FSTCW/FSTSW/FSTENV/FLDENV/
// FSAVE/FRSTOR/WAIT): they do not update FIP/FDP/FOP, and the "FN" forms do not check for
// pending exceptions (non-waiting).
#include <cstring>

#include "cpu/fxsave.h"
#include "cpu/insn/x87.h"

namespace pvx::cpu {

namespace {

void ferrIdle(Cpu& c) {
    if (c.ferr && !(c.x87.fsw & fsw::ES)) c.ferr->ferrChanged(false);
}

void init(Cpu& c) {
    fninitState(c);
    ferrIdle(c);
}

// The full tag word as FSTENV stores it: the contents of every non-empty register are
// re-examined (SDM Vol.1 8.1.7).
uint16_t tagWord(const Cpu& c) {
    uint16_t t = 0;
    for (unsigned k = 0; k < 8; ++k) {
        unsigned tag = c.x87.tag(k) == kTagEmpty ? kTagEmpty : X87State::tagFor(c.x87.r[k]);
        t = static_cast<uint16_t>(t | (tag << (2 * k)));
    }
    return t;
}

bool protectedLayout(const Cpu& c) { return c.mode != Mode::Real && c.mode != Mode::V86; }

void put16(uint8_t* p, uint32_t v) { p[0] = static_cast<uint8_t>(v); p[1] = static_cast<uint8_t>(v >> 8); }
void put32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); }
uint32_t get16(const uint8_t* p) { return p[0] | (p[1] << 8); }
uint32_t get32(const uint8_t* p) { uint32_t v; std::memcpy(&v, p, 4); return v; }

// Environment image, SDM Vol.1 Figures 8-9 to 8-12: 28 bytes with a 32-bit operand size (also
// in 64-bit mode), 14 with 16; real/V86 mode stores 20-bit linear pointers split around FOP.
unsigned envSize(const DecodedInsn& i) { return i.osz == 2 ? 14 : 28; }

void storeEnv(const Cpu& c, const DecodedInsn& i, uint8_t* b) {
    const X87State& x = c.x87;
    const bool big = i.osz != 2;
    const unsigned w = big ? 4 : 2;  // field stride
    auto put = [&](unsigned k, uint32_t v) { big ? put32(b + k * w, v) : put16(b + k * w, v); };
    std::memset(b, 0, big ? 28 : 14);
    // Reserved upper halves of the 32-bit fields read as ones on Intel processors.
    put(0, x.fcw | (big ? 0xFFFF0000u : 0));
    put(1, x.fsw | (big ? 0xFFFF0000u : 0));
    put(2, tagWord(c) | (big ? 0xFFFF0000u : 0));
    if (protectedLayout(c)) {
        put(3, static_cast<uint32_t>(x.fip));
        put(4, big ? (x.fcs | (static_cast<uint32_t>(x.fop & 0x7FF) << 16)) : x.fcs);
        put(5, static_cast<uint32_t>(x.fdp));
        put(6, x.fds | (big ? 0xFFFF0000u : 0));
    } else {
        const uint32_t ip = static_cast<uint32_t>(x.fcs * 16u + x.fip);
        const uint32_t dp = static_cast<uint32_t>(x.fds * 16u + x.fdp);
        put(3, (ip & 0xFFFF) | (big ? 0xFFFF0000u : 0));
        put(4, ((ip >> 16) << 12) | (x.fop & 0x7FF));
        put(5, (dp & 0xFFFF) | (big ? 0xFFFF0000u : 0));
        put(6, (dp >> 16) << 12);
    }
}

void loadEnv(Cpu& c, const DecodedInsn& i, const uint8_t* b) {
    X87State& x = c.x87;
    const bool big = i.osz != 2;
    const unsigned w = big ? 4 : 2;
    auto get = [&](unsigned k) { return big ? get32(b + k * w) : get16(b + k * w); };
    x.fcw = static_cast<uint16_t>((get(0) & 0x1F7F) | 0x40);
    x.fsw = static_cast<uint16_t>(get(1));
    const uint16_t tw = static_cast<uint16_t>(get(2));
    for (unsigned k = 0; k < 8; ++k)  // only "empty" is taken from the image (SDM Vol.1 8.1.7)
        x.setTag(k, ((tw >> (2 * k)) & 3) == kTagEmpty ? kTagEmpty : X87State::tagFor(x.r[k]));
    if (protectedLayout(c)) {
        x.fip = get(3);
        const uint32_t cs = get(4);
        x.fcs = static_cast<uint16_t>(cs);
        x.fop = big ? static_cast<uint16_t>((cs >> 16) & 0x7FF) : 0;
        x.fdp = get(5);
        x.fds = static_cast<uint16_t>(get(6));
    } else {
        const uint32_t hi = get(4);
        x.fip = (get(3) & 0xFFFF) | ((hi >> 12 & 0xFFFF) << 16);
        x.fop = static_cast<uint16_t>(hi & 0x7FF);
        x.fdp = (get(5) & 0xFFFF) | ((get(6) >> 12 & 0xFFFF) << 16);
        x.fcs = x.fds = 0;
    }
    // A loaded status word with an unmasked exception flag makes that exception pending.
    x87::updateEs(c);
    ferrIdle(c);
}

}  // namespace

void x87_fninit(Cpu& c, const DecodedInsn&) {
    x87::checkNm(c);
    init(c);
}
void x87_fnclex(Cpu& c, const DecodedInsn&) {
    x87::checkNm(c);
    c.x87.fsw &= static_cast<uint16_t>(~(0xFF | fsw::B));  // flags, SF, ES, B (SDM Vol.2 FCLEX)
    ferrIdle(c);
}
void x87_fnop_legacy(Cpu& c, const DecodedInsn&) { x87::checkNm(c); }

void x87_fldcw(Cpu& c, const DecodedInsn& i) {
    x87::begin(c);
    const uint16_t v = c.read<uint16_t>(i.seg, c.effectiveAddress(i));
    c.x87.fcw = static_cast<uint16_t>((v & 0x1F7F) | 0x40);  // bit 6 reads as 1, 13-15 as 0
    // Unmasking a flagged exception makes it pending (SDM Vol.1 8.5 / FLDCW "Operation").
    x87::updateEs(c);
    ferrIdle(c);
}
void x87_fnstcw(Cpu& c, const DecodedInsn& i) {
    x87::checkNm(c);
    c.write<uint16_t>(i.seg, c.effectiveAddress(i), c.x87.fcw);
}
void x87_fnstsw_m(Cpu& c, const DecodedInsn& i) {
    x87::checkNm(c);
    c.write<uint16_t>(i.seg, c.effectiveAddress(i), c.x87.fsw);
}
void x87_fnstsw_ax(Cpu& c, const DecodedInsn&) {
    x87::checkNm(c);
    c.setReg<uint16_t>(RAX, c.x87.fsw);
}

void x87_fnstenv(Cpu& c, const DecodedInsn& i) {
    x87::checkNm(c);
    uint8_t b[28];
    storeEnv(c, i, b);
    c.writeBlock(i.seg, c.effectiveAddress(i), b, envSize(i));
    c.x87.fcw |= fcw::kMasks;  // FNSTENV masks every exception after storing (SDM Vol.2 FSTENV)
}
void x87_fldenv(Cpu& c, const DecodedInsn& i) {
    x87::begin(c);
    uint8_t b[28];
    c.readBlock(i.seg, c.effectiveAddress(i), b, envSize(i));
    loadEnv(c, i, b);
}

void x87_fnsave(Cpu& c, const DecodedInsn& i) {
    x87::checkNm(c);
    uint8_t b[28 + 80];
    const unsigned n = envSize(i);
    storeEnv(c, i, b);
    for (unsigned k = 0; k < 8; ++k) {  // ST(0)..ST(7) in stack order
        const fp::Float80& r = x87::st(c, k);
        std::memcpy(b + n + 10 * k, &r.mant, 8);
        std::memcpy(b + n + 10 * k + 8, &r.se, 2);
    }
    c.writeBlock(i.seg, c.effectiveAddress(i), b, n + 80);
    init(c);
}
void x87_frstor(Cpu& c, const DecodedInsn& i) {
    x87::begin(c);
    uint8_t b[28 + 80];
    const unsigned n = envSize(i);
    c.readBlock(i.seg, c.effectiveAddress(i), b, n + 80);
    // Registers first (in the new TOP's stack order), then the environment, whose tags are
    // computed from them.
    const unsigned top = (get16(b + (i.osz == 2 ? 2 : 4)) >> fsw::kTopShift) & 7;
    for (unsigned k = 0; k < 8; ++k) {
        fp::Float80& r = c.x87.r[(top + k) & 7];
        std::memcpy(&r.mant, b + n + 10 * k, 8);
        std::memcpy(&r.se, b + n + 10 * k + 8, 2);
    }
    loadEnv(c, i, b);
}

void x87_fwait(Cpu& c, const DecodedInsn&) {
    // SDM Vol.3A Table 2-2: WAIT/FWAIT takes #NM only when both MP and TS are set.
    if ((c.cr0 & (cr0::MP | cr0::TS)) == (cr0::MP | cr0::TS)) raise(kVecNM);
    if (c.x87.fsw & fsw::ES) x87CheckPending(c);
}

}  // namespace pvx::cpu
