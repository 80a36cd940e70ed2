// System and privileged instructions (SDM Vol.2 pages of each; Vol.3A chapters 2, 5, 6).
#include "cpu/insn/system.h"

#include "cpu/descriptor.h"

namespace pvx::cpu {

namespace {
void requireCpl0(const Cpu& c) {
    if (c.mode == Mode::V86 || c.cpl != 0) raise(kVecGP, 0);
}
void requireProtected(const Cpu& c) {
    if (c.mode == Mode::Real || c.mode == Mode::V86) raise(kVecUD);
}
uint16_t readEw(Cpu& c, const DecodedInsn& i) {
    return i.isMem() ? c.read<uint16_t>(i.seg, c.effectiveAddress(i)) : static_cast<uint16_t>(c.gpr[i.rm]);
}
void setZf(Cpu& c, bool z) {
    uint32_t f = c.lf.get();
    c.lf.setEager(z ? (f | kZF) : (f & ~kZF));
}
}  // namespace

void ud(Cpu&, const DecodedInsn&) { raise(kVecUD); }
void gp_fault(Cpu&, const DecodedInsn&) { raise(kVecGP, 0); }
void priv_nop(Cpu& c, const DecodedInsn&) { requireCpl0(c); }

void mov_EwSw(Cpu& c, const DecodedInsn& i) {
    unsigned s = (i.modrm >> 3) & 7;
    if (s > 5) raise(kVecUD);
    uint16_t v = c.seg[s].sel;
    if (i.isMem()) c.write<uint16_t>(i.seg, c.effectiveAddress(i), v);
    else if (i.osz == 2) c.setReg<uint16_t>(i.rm, v);
    else if (i.osz == 4) c.setReg<uint32_t>(i.rm, v);
    else c.gpr[i.rm] = v;
}

void mov_SwEw(Cpu& c, const DecodedInsn& i) {
    unsigned s = (i.modrm >> 3) & 7;
    if (s > 5 || s == CS) raise(kVecUD);
    c.loadSegment(s, readEw(c, i));
    if (s == SS) c.setInterruptShadow();  // SDM Vol.3A 6.8.3
}

void arpl(Cpu& c, const DecodedInsn& i) {
    requireProtected(c);
    uint16_t dst = readEw(c, i);
    uint16_t src = static_cast<uint16_t>(c.gpr[i.reg]);
    if ((dst & 3) < (src & 3)) {
        uint16_t v = static_cast<uint16_t>((dst & ~3) | (src & 3));
        if (i.isMem()) c.write<uint16_t>(i.seg, c.effectiveAddress(i), v);
        else c.setReg<uint16_t>(i.rm, v);
        setZf(c, true);
    } else {
        setZf(c, false);
    }
}

// CLI/STI: IOPL-sensitive in protected and virtual-8086 mode (no PVI/VME: SDM Vol.2 "CLI").
void cli(Cpu& c, const DecodedInsn&) {
    if (c.mode != Mode::Real && c.cpl > ((c.eflags & kIOPL) >> 12)) raise(kVecGP, 0);
    c.eflags &= ~kIF;
}
void sti(Cpu& c, const DecodedInsn&) {
    if (c.mode != Mode::Real && c.cpl > ((c.eflags & kIOPL) >> 12)) raise(kVecGP, 0);
    if (!(c.eflags & kIF)) c.setInterruptShadow();
    c.eflags |= kIF;
    c.endTrace();
}
void hlt(Cpu& c, const DecodedInsn&) {
    requireCpl0(c);
    ++c.stats.halts;
    c.halt();
}

template <int K> void sys_store_seg(Cpu& c, const DecodedInsn& i) {
    requireProtected(c);
    if ((c.cr4 & cr4::UMIP) && c.cpl > 0) raise(kVecGP, 0);
    uint16_t v = K == 0 ? c.ldtr.sel : c.tr.sel;
    if (i.isMem()) c.write<uint16_t>(i.seg, c.effectiveAddress(i), v);
    else if (i.osz == 2) c.setReg<uint16_t>(i.rm, v);
    else if (i.osz == 4) c.setReg<uint32_t>(i.rm, v);
    else c.gpr[i.rm] = v;
}
template void sys_store_seg<0>(Cpu&, const DecodedInsn&);
template void sys_store_seg<1>(Cpu&, const DecodedInsn&);

void lldt(Cpu& c, const DecodedInsn& i) {
    requireProtected(c);
    requireCpl0(c);
    uint16_t sel = readEw(c, i);
    if ((sel & ~3) == 0) {
        c.ldtr.sel = sel;
        c.ldtr.attr = 0;
        return;
    }
    if (sel & 4) raise(kVecGP, sel & 0xFFFC);
    uint64_t lo = c.readDescriptor(sel, kVecGP);
    Descriptor d = Descriptor::decode(lo);
    if (!d.isSystem() || d.type() != 2) raise(kVecGP, sel & 0xFFFC);
    if (!d.present()) raise(kVecNP, sel & 0xFFFC);
    uint64_t base = d.base;
    if (c.efer & efer::LMA) base |= (c.readSys<uint64_t>(c.gdtr.base + (sel & ~7u) + 8) & 0xFFFFFFFF) << 32;
    c.ldtr.sel = sel;
    c.ldtr.base = base;
    c.ldtr.limit = d.limit;
    c.ldtr.attr = d.attr;
}

void ltr(Cpu& c, const DecodedInsn& i) {
    requireProtected(c);
    requireCpl0(c);
    uint16_t sel = readEw(c, i);
    if ((sel & ~3) == 0 || (sel & 4)) raise(kVecGP, sel & 0xFFFC);
    uint64_t lo = c.readDescriptor(sel, kVecGP);
    Descriptor d = Descriptor::decode(lo);
    const bool lm = c.efer & efer::LMA;
    // An available TSS: 16-bit (1) or 32/64-bit (9); a 16-bit TSS is invalid in long mode.
    if (!d.isSystem() || !(d.type() == 9 || (!lm && d.type() == 1))) raise(kVecGP, sel & 0xFFFC);
    if (!d.present()) raise(kVecNP, sel & 0xFFFC);
    uint64_t base = d.base;
    if (lm) base |= (c.readSys<uint64_t>(c.gdtr.base + (sel & ~7u) + 8) & 0xFFFFFFFF) << 32;
    c.writeSys<uint8_t>(c.gdtr.base + (sel & ~7u) + 5, static_cast<uint8_t>((lo >> 40) | 2));  // mark busy
    c.tr.sel = sel;
    c.tr.base = base;
    c.tr.limit = d.limit;
    c.tr.attr = static_cast<uint16_t>(d.attr | 2);
}

template <bool W> void verrw(Cpu& c, const DecodedInsn& i) {
    requireProtected(c);
    uint16_t sel = readEw(c, i);
    bool ok = false;
    if ((sel & ~3) != 0) {
        uint32_t idx = sel & ~7u;
        const bool inTable = (sel & 4) ? (c.ldtr.present() && idx + 7 <= c.ldtr.limit) : (idx + 7 <= c.gdtr.limit);
        if (inTable) {
            Descriptor d = Descriptor::decode(c.readDescriptor(sel, kVecGP));
            if (!d.isSystem()) {
                bool privOk = d.conforming() || (d.dpl() >= c.cpl && d.dpl() >= (sel & 3u));
                ok = privOk && (W ? d.writable() : (d.isData() || d.readable()));
            }
        }
    }
    setZf(c, ok);
}
template void verrw<false>(Cpu&, const DecodedInsn&);
template void verrw<true>(Cpu&, const DecodedInsn&);

template <typename T, bool M, bool LSL> void lar_lsl(Cpu& c, const DecodedInsn& i) {
    requireProtected(c);
    uint16_t sel = M ? c.read<uint16_t>(i.seg, c.effectiveAddress(i)) : static_cast<uint16_t>(c.gpr[i.rm]);
    bool ok = false;
    uint64_t raw = 0;
    if ((sel & ~3) != 0) {
        uint32_t idx = sel & ~7u;
        const bool inTable = (sel & 4) ? (c.ldtr.present() && idx + 7 <= c.ldtr.limit) : (idx + 7 <= c.gdtr.limit);
        if (inTable) {
            raw = c.readDescriptor(sel, kVecGP);
            Descriptor d = Descriptor::decode(raw);
            bool typeOk;
            if (d.isSystem()) {
                const bool lm = c.efer & efer::LMA;
                unsigned t = d.type();
                // SDM Vol.2 "LAR"/"LSL" tables of valid system types.
                typeOk = lm ? (t == 2 || t == 9 || t == 11 || (!LSL && t == 12))
                            : (t == 1 || t == 2 || t == 3 || t == 9 || t == 11 || (!LSL && (t == 4 || t == 5 || t == 12)));
            } else {
                typeOk = true;
            }
            bool privOk = d.conforming() || (d.dpl() >= c.cpl && d.dpl() >= (sel & 3u));
            ok = typeOk && privOk;
            if (ok) {
                if (LSL) c.setReg<T>(i.reg, static_cast<T>(d.limit));
                else c.setReg<T>(i.reg, static_cast<T>((raw >> 32) & 0x00F0FF00));
            }
        }
    }
    setZf(c, ok);
}
#define PVX_LARLSL(T, M, L) template void lar_lsl<T, M, L>(Cpu&, const DecodedInsn&);
PVX_LARLSL(uint16_t, false, false) PVX_LARLSL(uint16_t, true, false) PVX_LARLSL(uint32_t, false, false)
PVX_LARLSL(uint32_t, true, false) PVX_LARLSL(uint64_t, false, false) PVX_LARLSL(uint64_t, true, false)
PVX_LARLSL(uint16_t, false, true) PVX_LARLSL(uint16_t, true, true) PVX_LARLSL(uint32_t, false, true)
PVX_LARLSL(uint32_t, true, true) PVX_LARLSL(uint64_t, false, true) PVX_LARLSL(uint64_t, true, true)
#undef PVX_LARLSL

template <int K> void sys_store_dt(Cpu& c, const DecodedInsn& i) {
    if ((c.cr4 & cr4::UMIP) && c.cpl > 0) raise(kVecGP, 0);
    const DescriptorTable& t = K == 0 ? c.gdtr : c.idtr;
    uint64_t ea = c.effectiveAddress(i);
    auto next = [&](uint64_t a, unsigned k) {
        a += k;
        return i.asz == 8 ? a : i.asz == 4 ? static_cast<uint32_t>(a) : static_cast<uint16_t>(a);
    };
    c.write<uint16_t>(i.seg, ea, static_cast<uint16_t>(t.limit));
    if (c.mode == Mode::Long64) c.write<uint64_t>(i.seg, next(ea, 2), t.base);
    else c.write<uint32_t>(i.seg, next(ea, 2), static_cast<uint32_t>(i.osz == 2 ? (t.base & 0xFFFFFF) : t.base));
}
template void sys_store_dt<0>(Cpu&, const DecodedInsn&);
template void sys_store_dt<1>(Cpu&, const DecodedInsn&);

template <int K> void sys_load_dt(Cpu& c, const DecodedInsn& i) {
    requireCpl0(c);
    uint64_t ea = c.effectiveAddress(i);
    auto next = [&](uint64_t a, unsigned k) {
        a += k;
        return i.asz == 8 ? a : i.asz == 4 ? static_cast<uint32_t>(a) : static_cast<uint16_t>(a);
    };
    uint16_t limit = c.read<uint16_t>(i.seg, ea);
    uint64_t base;
    if (c.mode == Mode::Long64) {
        base = c.read<uint64_t>(i.seg, next(ea, 2));
        if (!Cpu::isCanonical(base)) raise(kVecGP, 0);
    } else {
        base = c.read<uint32_t>(i.seg, next(ea, 2));
        if (i.osz == 2) base &= 0xFFFFFF;
    }
    DescriptorTable& t = K == 0 ? c.gdtr : c.idtr;
    t.base = base;
    t.limit = limit;
}
template void sys_load_dt<0>(Cpu&, const DecodedInsn&);
template void sys_load_dt<1>(Cpu&, const DecodedInsn&);

void smsw(Cpu& c, const DecodedInsn& i) {
    if ((c.cr4 & cr4::UMIP) && c.cpl > 0) raise(kVecGP, 0);
    if (i.isMem()) c.write<uint16_t>(i.seg, c.effectiveAddress(i), static_cast<uint16_t>(c.cr0));
    else if (i.osz == 2) c.setReg<uint16_t>(i.rm, static_cast<uint16_t>(c.cr0));
    else if (i.osz == 4) c.setReg<uint32_t>(i.rm, static_cast<uint32_t>(c.cr0));
    else c.gpr[i.rm] = c.cr0;
}
void lmsw(Cpu& c, const DecodedInsn& i) {
    requireCpl0(c);
    uint16_t v = readEw(c, i);
    // LMSW loads PE/MP/EM/TS and cannot clear PE (SDM Vol.2 "LMSW").
    uint64_t n = (c.cr0 & ~0xEull) | (v & 0xF) | (c.cr0 & cr0::PE);
    c.writeCr0(n);
}

void clts(Cpu& c, const DecodedInsn&) {
    requireCpl0(c);
    c.cr0 &= ~cr0::TS;
}

void invlpg(Cpu& c, const DecodedInsn& i) {
    requireCpl0(c);
    uint64_t ea = c.effectiveAddress(i);
    uint64_t lin = c.mode == Mode::Long64 ? ea + (i.seg >= FS ? c.seg[i.seg].base : 0) : static_cast<uint32_t>(c.seg[i.seg].base + ea);
    c.invalidatePage(lin);
}

void clflush(Cpu& c, const DecodedInsn& i) {
    // No caches to flush; the address is still checked like a byte load (SDM Vol.2 "CLFLUSH").
    uint64_t lin = c.linear(i.seg, c.effectiveAddress(i), 1, false);
    c.probeRead(lin, 1, c.cpl == 3);
}

void swapgs(Cpu& c, const DecodedInsn&) {
    if (c.mode != Mode::Long64) raise(kVecUD);
    requireCpl0(c);
    uint64_t t = c.seg[GS].base;
    c.seg[GS].base = c.msr.kernelGsBase;
    c.msr.kernelGsBase = t;
}

void rdtsc(Cpu& c, const DecodedInsn&) {
    if ((c.cr4 & cr4::TSD) && c.cpl != 0 && c.mode != Mode::Real) raise(kVecGP, 0);
    uint64_t t = c.readTsc();
    c.setReg<uint32_t>(RAX, static_cast<uint32_t>(t));
    c.setReg<uint32_t>(RDX, static_cast<uint32_t>(t >> 32));
}
void rdtscp(Cpu& c, const DecodedInsn& i) {
    rdtsc(c, i);
    c.setReg<uint32_t>(RCX, static_cast<uint32_t>(c.msr.tscAux));
}
void rdpmc(Cpu&, const DecodedInsn&) { raise(kVecGP, 0); }  // no performance counters advertised

void cpuid_insn(Cpu& c, const DecodedInsn&) {
    uint32_t out[4];
    c.cpuid(static_cast<uint32_t>(c.gpr[RAX]), static_cast<uint32_t>(c.gpr[RCX]), out);
    c.setReg<uint32_t>(RAX, out[0]);
    c.setReg<uint32_t>(RBX, out[1]);
    c.setReg<uint32_t>(RCX, out[2]);
    c.setReg<uint32_t>(RDX, out[3]);
}

void rdmsr(Cpu& c, const DecodedInsn&) {
    requireCpl0(c);
    uint64_t v = c.readMsr(static_cast<uint32_t>(c.gpr[RCX]));
    c.setReg<uint32_t>(RAX, static_cast<uint32_t>(v));
    c.setReg<uint32_t>(RDX, static_cast<uint32_t>(v >> 32));
}
void wrmsr(Cpu& c, const DecodedInsn&) {
    requireCpl0(c);
    c.writeMsr(static_cast<uint32_t>(c.gpr[RCX]), (c.gpr[RDX] << 32) | static_cast<uint32_t>(c.gpr[RAX]));
}

void mov_from_cr(Cpu& c, const DecodedInsn& i) {
    requireCpl0(c);
    unsigned n = ((i.modrm >> 3) & 7) | (i.reg & 8);
    uint64_t v;
    switch (n) {
        case 0: v = c.cr0; break;
        case 2: v = c.cr2; break;
        case 3: v = c.cr3; break;
        case 4: v = c.cr4; break;
        case 8:
            if (c.mode != Mode::Long64) raise(kVecUD);
            v = c.cr8;
            break;
        default: raise(kVecUD);
    }
    if (c.mode == Mode::Long64) c.gpr[i.rm] = v;
    else c.setReg<uint32_t>(i.rm, static_cast<uint32_t>(v));
}
void mov_to_cr(Cpu& c, const DecodedInsn& i) {
    requireCpl0(c);
    unsigned n = ((i.modrm >> 3) & 7) | (i.reg & 8);
    uint64_t v = c.mode == Mode::Long64 ? c.gpr[i.rm] : static_cast<uint32_t>(c.gpr[i.rm]);
    switch (n) {
        case 0: c.writeCr0(v); break;
        case 2: c.cr2 = v; break;
        case 3: c.writeCr3(v); break;
        case 4: c.writeCr4(v); break;
        case 8:
            if (c.mode != Mode::Long64) raise(kVecUD);
            if (v >> 4) raise(kVecGP, 0);
            c.cr8 = v;
            break;
        default: raise(kVecUD);
    }
}
void mov_from_dr(Cpu& c, const DecodedInsn& i) {
    requireCpl0(c);
    unsigned n = (i.modrm >> 3) & 7;
    if ((n == 4 || n == 5) && (c.cr4 & cr4::DE)) raise(kVecUD);
    uint64_t v = c.dr[n == 4 ? 6 : n == 5 ? 7 : n];
    if (c.mode == Mode::Long64) c.gpr[i.rm] = v;
    else c.setReg<uint32_t>(i.rm, static_cast<uint32_t>(v));
}
void mov_to_dr(Cpu& c, const DecodedInsn& i) {
    requireCpl0(c);
    unsigned n = (i.modrm >> 3) & 7;
    if ((n == 4 || n == 5) && (c.cr4 & cr4::DE)) raise(kVecUD);
    uint64_t v = c.mode == Mode::Long64 ? c.gpr[i.rm] : static_cast<uint32_t>(c.gpr[i.rm]);
    if (n == 4) n = 6;
    if (n == 5) n = 7;
    if ((n == 6 || n == 7) && (v >> 32)) raise(kVecGP, 0);
    if (n == 6) v = (v & 0xE00F) | 0xFFFF0FF0;
    if (n == 7) v = (v & ~0xD000ull) | 0x400;
    c.dr[n] = v;
    if (n < 4 || n == 7) c.debugRegistersChanged();
}

// SYSCALL/SYSRET (SDM Vol.2; AMD APM Vol.2 6.1.1).
void syscall(Cpu& c, const DecodedInsn&) {
    if (!(c.efer & efer::SCE) || c.mode == Mode::Real || c.mode == Mode::V86) raise(kVecUD);
    const uint16_t sel = static_cast<uint16_t>((c.msr.star >> 32) & 0xFFFC);
    Descriptor code, stack;
    stack.base = code.base = 0;
    stack.limit = code.limit = 0xFFFFFFFF;
    stack.attr = Segment::kP | Segment::kS | Segment::kRW | Segment::kDB | Segment::kG | Segment::kAccessed;
    if (c.efer & efer::LMA) {
        c.gpr[RCX] = c.nextRip;
        c.gpr[R11] = c.getFlags() & ~kRF;
        code.attr = Segment::kP | Segment::kS | Segment::kCode | Segment::kRW | Segment::kL | Segment::kG | Segment::kAccessed;
        uint64_t target = c.mode == Mode::Long64 ? c.msr.lstar : c.msr.cstar;
        loadCodeSegment(c, sel, code, 0);
        c.setFlags(c.getFlags() & ~static_cast<uint32_t>(c.msr.sfmask) & ~kRF);
        c.nextRip = target;
    } else {
        c.gpr[RCX] = static_cast<uint32_t>(c.nextRip);
        code.attr = Segment::kP | Segment::kS | Segment::kCode | Segment::kRW | Segment::kDB | Segment::kG | Segment::kAccessed;
        loadCodeSegment(c, sel, code, 0);
        c.setFlags(c.getFlags() & ~(kVM | kIF | kRF));
        c.nextRip = static_cast<uint32_t>(c.msr.star);
    }
    c.seg[SS].sel = static_cast<uint16_t>(sel + 8);
    c.seg[SS].base = 0;
    c.seg[SS].limit = 0xFFFFFFFF;
    c.seg[SS].attr = stack.attr;
    c.updateMode();
}

void sysret(Cpu& c, const DecodedInsn& i) {
    if (!(c.efer & efer::SCE) || c.mode == Mode::Real || c.mode == Mode::V86) raise(kVecUD);
    if (c.cpl != 0) raise(kVecGP, 0);
    const uint16_t base = static_cast<uint16_t>(c.msr.star >> 48);
    Descriptor code;
    code.base = 0;
    code.limit = 0xFFFFFFFF;
    uint64_t target;
    uint16_t csSel;
    if ((c.efer & efer::LMA) && i.osz == 8) {
        if (!Cpu::isCanonical(c.gpr[RCX])) raise(kVecGP, 0);
        target = c.gpr[RCX];
        csSel = static_cast<uint16_t>(base + 16);
        code.attr = Segment::kP | Segment::kS | Segment::kCode | Segment::kRW | Segment::kL | Segment::kG | Segment::kAccessed | (3 << 5);
    } else {
        target = static_cast<uint32_t>(c.gpr[RCX]);
        csSel = base;
        code.attr = Segment::kP | Segment::kS | Segment::kCode | Segment::kRW | Segment::kDB | Segment::kG | Segment::kAccessed | (3 << 5);
    }
    if (c.efer & efer::LMA) c.setFlags((static_cast<uint32_t>(c.gpr[R11]) & 0x3C7FD7) | 2);
    else c.setFlags(c.getFlags() | kIF);
    loadCodeSegment(c, csSel, code, 3);
    // SS comes from STAR[63:48]+8 with RPL 3; its cache gets flat read/write DPL 3 attributes.
    c.seg[SS].sel = static_cast<uint16_t>((base + 8) | 3);
    c.seg[SS].base = 0;
    c.seg[SS].limit = 0xFFFFFFFF;
    c.seg[SS].attr = Segment::kP | Segment::kS | Segment::kRW | Segment::kDB | Segment::kG | Segment::kAccessed | (3 << 5);
    c.updateMode();
    c.nextRip = target;
}

// SYSENTER/SYSEXIT (SDM Vol.2).
void sysenter(Cpu& c, const DecodedInsn&) {
    if (c.mode == Mode::Real) raise(kVecGP, 0);
    const uint16_t sel = static_cast<uint16_t>(c.msr.sysenterCs & 0xFFFC);
    if (sel == 0) raise(kVecGP, 0);
    const bool lm = c.efer & efer::LMA;
    Descriptor code;
    code.base = 0;
    code.limit = 0xFFFFFFFF;
    code.attr = Segment::kP | Segment::kS | Segment::kCode | Segment::kRW | Segment::kG | Segment::kAccessed |
                (lm ? Segment::kL : Segment::kDB);
    c.setFlags(c.getFlags() & ~(kVM | kIF | kRF));
    loadCodeSegment(c, sel, code, 0);
    c.seg[SS].sel = static_cast<uint16_t>(sel + 8);
    c.seg[SS].base = 0;
    c.seg[SS].limit = 0xFFFFFFFF;
    c.seg[SS].attr = Segment::kP | Segment::kS | Segment::kRW | Segment::kDB | Segment::kG | Segment::kAccessed;
    c.updateMode();
    c.gpr[RSP] = lm ? c.msr.sysenterEsp : static_cast<uint32_t>(c.msr.sysenterEsp);
    c.nextRip = lm ? c.msr.sysenterEip : static_cast<uint32_t>(c.msr.sysenterEip);
}

void sysexit(Cpu& c, const DecodedInsn& i) {
    if (c.mode == Mode::Real || c.mode == Mode::V86) raise(kVecGP, 0);
    if (c.cpl != 0 || (c.msr.sysenterCs & 0xFFFC) == 0) raise(kVecGP, 0);
    const bool to64 = i.osz == 8;
    const uint16_t base = static_cast<uint16_t>(c.msr.sysenterCs);
    if (to64 && (!Cpu::isCanonical(c.gpr[RDX]) || !Cpu::isCanonical(c.gpr[RCX]))) raise(kVecGP, 0);
    Descriptor code;
    code.base = 0;
    code.limit = 0xFFFFFFFF;
    code.attr = Segment::kP | Segment::kS | Segment::kCode | Segment::kRW | Segment::kG | Segment::kAccessed | (3 << 5) |
                (to64 ? Segment::kL : Segment::kDB);
    loadCodeSegment(c, static_cast<uint16_t>((base + (to64 ? 32 : 16)) | 3), code, 3);
    c.seg[SS].sel = static_cast<uint16_t>((base + (to64 ? 40 : 24)) | 3);
    c.seg[SS].base = 0;
    c.seg[SS].limit = 0xFFFFFFFF;
    c.seg[SS].attr = Segment::kP | Segment::kS | Segment::kRW | Segment::kDB | Segment::kG | Segment::kAccessed | (3 << 5);
    c.updateMode();
    c.gpr[RSP] = to64 ? c.gpr[RCX] : static_cast<uint32_t>(c.gpr[RCX]);
    c.nextRip = to64 ? c.gpr[RDX] : static_cast<uint32_t>(c.gpr[RDX]);
}

void vmcall(Cpu& c, const DecodedInsn&) {
    if (!c.escape(false)) c.nextRip = c.rip;  // continuation: re-execute (ABI: work budget)
}

void monitor_mwait(Cpu&, const DecodedInsn&) { raise(kVecUD); }  // not advertised
}  // namespace pvx::cpu
