// BCD and ASCII adjust: DAA/DAS/AAA/AAS/AAM/AAD (SDM Vol.2; invalid in 64-bit mode, which Zydis
// rejects at decode).
#pragma once
#include "cpu/insn/operands.h"

namespace pvx::cpu {

inline uint32_t szp8(uint8_t r) {
    uint32_t f = 0;
    if (r == 0) f |= kZF;
    if (r & 0x80) f |= kSF;
    if (!__builtin_parity(r)) f |= kPF;
    return f;
}

inline void bcd_DAA(Cpu& c, const DecodedInsn&) {
    uint32_t f = c.lf.get();
    uint8_t al = c.reg8(0), oldAl = al;
    bool oldCf = f & kCF, cf = false, af = false;
    if ((al & 0xF) > 9 || (f & kAF)) {
        al = static_cast<uint8_t>(al + 6);
        cf = oldCf || oldAl > 0xF9;
        af = true;
    }
    if (oldAl > 0x99 || oldCf) {
        al = static_cast<uint8_t>(al + 0x60);
        cf = true;
    }
    c.setReg8(0, al);
    // OF is undefined: pvx clears it.
    c.lf.setEager(szp8(al) | (cf ? kCF : 0) | (af ? kAF : 0));
}
inline void bcd_DAS(Cpu& c, const DecodedInsn&) {
    uint32_t f = c.lf.get();
    uint8_t al = c.reg8(0), oldAl = al;
    bool oldCf = f & kCF, cf = false, af = false;
    if ((al & 0xF) > 9 || (f & kAF)) {
        al = static_cast<uint8_t>(al - 6);
        cf = oldCf || oldAl < 6;
        af = true;
    }
    if (oldAl > 0x99 || oldCf) {
        al = static_cast<uint8_t>(al - 0x60);
        cf = true;
    }
    c.setReg8(0, al);
    c.lf.setEager(szp8(al) | (cf ? kCF : 0) | (af ? kAF : 0));
}
inline void bcd_AAA(Cpu& c, const DecodedInsn&) {
    uint32_t f = c.lf.get();
    uint16_t ax = c.reg<uint16_t>(RAX);
    bool adj = (ax & 0xF) > 9 || (f & kAF);
    if (adj) ax = static_cast<uint16_t>(ax + 0x106);
    ax &= 0xFF0F;
    c.setReg<uint16_t>(RAX, ax);
    // SF/ZF/PF/OF undefined: pvx keeps them.
    c.lf.setEager((f & ~(kCF | kAF)) | (adj ? (kCF | kAF) : 0));
}
inline void bcd_AAS(Cpu& c, const DecodedInsn&) {
    uint32_t f = c.lf.get();
    uint16_t ax = c.reg<uint16_t>(RAX);
    bool adj = (ax & 0xF) > 9 || (f & kAF);
    if (adj) {
        // Current SDM: AX := AX - 6; AH := AH - 1 (the borrow from AL reaches AH; the 80386
        // manual's "AL := AL - 6" did not).
        ax = static_cast<uint16_t>(ax - 6);
        ax = static_cast<uint16_t>(ax - 0x100);
    }
    ax &= 0xFF0F;
    c.setReg<uint16_t>(RAX, ax);
    c.lf.setEager((f & ~(kCF | kAF)) | (adj ? (kCF | kAF) : 0));
}
inline void bcd_AAM(Cpu& c, const DecodedInsn& i) {
    uint8_t base = static_cast<uint8_t>(i.imm);
    if (base == 0) raise(kVecDE);
    uint8_t al = c.reg8(0);
    uint8_t ah = static_cast<uint8_t>(al / base), nal = static_cast<uint8_t>(al % base);
    c.setReg<uint16_t>(RAX, static_cast<uint16_t>((ah << 8) | nal));
    c.lf.setEager(szp8(nal));
}
inline void bcd_AAD(Cpu& c, const DecodedInsn& i) {
    uint8_t base = static_cast<uint8_t>(i.imm);
    uint8_t al = static_cast<uint8_t>(c.reg8(0) + c.reg8(1) * base);
    c.setReg<uint16_t>(RAX, al);
    c.lf.setEager(szp8(al));
}

}  // namespace pvx::cpu
