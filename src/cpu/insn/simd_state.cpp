#include "cpu/insn/simd_state.h"

#include <cstring>

#include "cpu/fxsave.h"
#include "cpu/insn/simd_common.h"

namespace pvx::cpu {

namespace {

unsigned xmmCount(const Cpu& c) { return c.mode == Mode::Long64 ? 16 : 8; }
bool rexW(const DecodedInsn& i) { return i.osz == 8; }

// FXSAVE/FXRSTOR/XSAVE/XRSTOR: CR0.TS or CR0.EM -> #NM (SDM Vol.2 FXSAVE "Protected Mode
// Exceptions"); the operand must be 16-byte (FXSAVE) or 64-byte (XSAVE) aligned -> #GP(0).
uint64_t stateArea(Cpu& c, const DecodedInsn& i, unsigned size, unsigned align, bool write) {
    if (c.cr0 & (cr0::EM | cr0::TS)) raise(kVecNM);
    const uint64_t lin = c.linear(i.seg, c.effectiveAddress(i), size, write);
    if (lin & (align - 1)) raise(kVecGP, 0);
    return lin;
}

void requireXsave(Cpu& c) {
    if (!(c.cr4 & cr4::OSXSAVE)) raise(kVecUD);
    if (c.cr0 & cr0::TS) raise(kVecNM);
}

}  // namespace

void fxsave(Cpu& c, const DecodedInsn& i) {
    const uint64_t lin = stateArea(c, i, kFxsaveSize, 16, true);
    // Read the untouched bytes first so the write below is one block (464-511 are available to
    // software and preserved; reserved register padding is written as zero).
    uint8_t img[kFxsaveSize];
    c.readBlockLin(lin, img, kFxsaveSize);
    fxsaveX87(c, img, rexW(i));
    fxsaveMxcsr(c, img);
    fxsaveSse(c, img, xmmCount(c));
    c.writeBlockLin(lin, img, kFxsaveSize);
}

void fxrstor(Cpu& c, const DecodedInsn& i) {
    const uint64_t lin = stateArea(c, i, kFxsaveSize, 16, false);
    uint8_t img[kFxsaveSize];
    c.readBlockLin(lin, img, kFxsaveSize);
    if (fxsaveImageMxcsr(img) & ~kMxcsrMask) raise(kVecGP, 0);
    fxrstorX87(c, img, rexW(i));
    fxrstorMxcsr(c, img);
    fxrstorSse(c, img, xmmCount(c));
}

void ldmxcsr(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    const uint32_t v = c.read<uint32_t>(i.seg, c.effectiveAddress(i));
    if (v & ~kMxcsrMask) raise(kVecGP, 0);  // SDM Vol.2 LDMXCSR: reserved bits -> #GP(0)
    c.mxcsr = v;
}

void stmxcsr(Cpu& c, const DecodedInsn& i) {
    requireSse(c);
    c.write<uint32_t>(i.seg, c.effectiveAddress(i), c.mxcsr);
}

// XSAVE (SDM Vol.1 13.7): saves the components in RFBM = XCR0 AND EDX:EAX in the standard
// (non-compacted) format and sets their XSTATE_BV bits. pvx treats every enabled component as
// in use (XINUSE = XCR0), which the architecture permits.
void xsave(Cpu& c, const DecodedInsn& i) {
    requireXsave(c);
    const uint64_t lin = stateArea(c, i, kXsaveAreaSize, 64, true);
    const uint64_t rfbm = c.xcr0 & ((c.gpr[RDX] << 32) | static_cast<uint32_t>(c.gpr[RAX]));
    uint8_t area[kXsaveAreaSize];
    c.readBlockLin(lin, area, kXsaveAreaSize);
    if (rfbm & 1) fxsaveX87(c, area, rexW(i));
    if (rfbm & 2) {
        fxsaveMxcsr(c, area);
        fxsaveSse(c, area, xmmCount(c));
    }
    uint64_t bv;
    std::memcpy(&bv, area + 512, 8);
    bv = (bv & ~rfbm) | rfbm;
    std::memcpy(area + 512, &bv, 8);
    c.writeBlockLin(lin, area, kXsaveAreaSize);
}

// XRSTOR (SDM Vol.1 13.8): standard form only (XCOMP_BV must be 0, as pvx does not advertise
// XSAVEC); components in RFBM are loaded when their XSTATE_BV bit is set and put in their
// initial configuration otherwise.
void xrstor(Cpu& c, const DecodedInsn& i) {
    requireXsave(c);
    const uint64_t lin = stateArea(c, i, kXsaveAreaSize, 64, false);
    const uint64_t rfbm = c.xcr0 & ((c.gpr[RDX] << 32) | static_cast<uint32_t>(c.gpr[RAX]));
    uint8_t area[kXsaveAreaSize];
    c.readBlockLin(lin, area, kXsaveAreaSize);
    uint64_t bv, comp;
    std::memcpy(&bv, area + 512, 8);
    std::memcpy(&comp, area + 520, 8);
    if (comp != 0 || (bv & ~c.xcr0)) raise(kVecGP, 0);
    for (unsigned k = 528; k < 576; ++k)
        if (area[k]) raise(kVecGP, 0);  // header bytes 16-63 must be zero
    if ((rfbm & 2) && (fxsaveImageMxcsr(area) & ~kMxcsrMask)) raise(kVecGP, 0);
    if (rfbm & 1) {
        if (bv & 1) fxrstorX87(c, area, rexW(i));
        else initX87(c);
    }
    if (rfbm & 2) {
        fxrstorMxcsr(c, area);  // MXCSR is loaded from memory even when XSTATE_BV[1] = 0
        if (bv & 2) fxrstorSse(c, area, xmmCount(c));
        else initSse(c);
    }
}

void xgetbv(Cpu& c, const DecodedInsn&) {
    if (!(c.cr4 & cr4::OSXSAVE)) raise(kVecUD);
    if (static_cast<uint32_t>(c.gpr[RCX]) != 0) raise(kVecGP, 0);  // XCR0 is the only XCR
    c.setReg<uint32_t>(RAX, static_cast<uint32_t>(c.xcr0));
    c.setReg<uint32_t>(RDX, static_cast<uint32_t>(c.xcr0 >> 32));
}

// XSETBV (SDM Vol.2): CPL 0 and XCR0 (ECX = 0) only; bit 0 (x87) must stay set; bits pvx does
// not support -> #GP(0).
void xsetbv(Cpu& c, const DecodedInsn&) {
    if (!(c.cr4 & cr4::OSXSAVE)) raise(kVecUD);
    if (c.cpl != 0 || static_cast<uint32_t>(c.gpr[RCX]) != 0) raise(kVecGP, 0);
    const uint64_t v = (c.gpr[RDX] << 32) | static_cast<uint32_t>(c.gpr[RAX]);
    if (!(v & 1) || (v & ~kXcr0Supported)) raise(kVecGP, 0);
    c.xcr0 = v;
}

}  // namespace pvx::cpu
