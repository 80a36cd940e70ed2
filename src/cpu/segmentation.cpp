// Segment register loads and descriptor-table access (SDM Vol.3A 3.4-3.5, 5.4-5.7; the MOV/POP
// Sreg and LDS pages of Vol.2 for the exact fault order).
#include "cpu/cpu.h"
#include "cpu/descriptor.h"

namespace pvx::cpu {

void Cpu::loadSegmentReal(unsigned s, uint16_t sel) {
    // Real and virtual-8086 mode: base = selector * 16. Real mode keeps the cached limit and
    // attributes ("unreal mode"); virtual-8086 mode forces 64 KiB read/write segments.
    Segment& sg = seg[s];
    sg.sel = sel;
    sg.base = uint64_t{sel} << 4;
    if (mode == Mode::V86) {
        sg.limit = 0xFFFF;
        sg.attr = Segment::kP | Segment::kS | Segment::kRW | Segment::kAccessed | (3 << 5) | (s == CS ? Segment::kCode : 0);
    } else if (s == CS) {
        sg.attr = static_cast<uint16_t>((sg.attr & ~(Segment::kDB | Segment::kL)) | Segment::kP);
    }
    if (s == CS || s == SS) updateMode();
}

uint64_t Cpu::readDescriptor(uint16_t sel, unsigned vec) {
    const bool ldt = sel & 4;
    const uint32_t index = sel & ~7u;
    if (ldt) {
        if (!ldtr.present() || (ldtr.sel & ~3) == 0 || index + 7 > ldtr.limit) raise(static_cast<uint8_t>(vec), sel & 0xFFFC);
        return readSys<uint64_t>(ldtr.base + index);
    }
    if (index + 7 > gdtr.limit) raise(static_cast<uint8_t>(vec), sel & 0xFFFC);
    return readSys<uint64_t>(gdtr.base + index);
}

void Cpu::loadSegment(unsigned s, uint16_t sel) {
    if (mode == Mode::Real || mode == Mode::V86) {
        loadSegmentReal(s, sel);
        return;
    }
    const unsigned rpl = sel & 3;
    if ((sel & ~3) == 0) {
        // Null selector: allowed for DS/ES/FS/GS (use faults later); for SS only in 64-bit mode
        // at CPL < 3 with RPL == CPL (SDM Vol.2 "MOV": 64-bit mode exception).
        if (s == SS && !(mode == Mode::Long64 && cpl != 3 && rpl == cpl)) raise(kVecGP, 0);
        Segment& sg = seg[s];
        sg.sel = sel;
        sg.attr = 0;  // unusable
        if (mode == Mode::Long64 && s == SS) sg.attr = Segment::kP | Segment::kS | Segment::kRW | Segment::kDB;
        sg.base = (mode == Mode::Long64 && s >= FS) ? sg.base : 0;
        sg.limit = 0;
        return;
    }
    uint64_t raw = readDescriptor(sel, kVecGP);
    Descriptor d = Descriptor::decode(raw);
    if (s == SS) {
        if (rpl != cpl || d.dpl() != cpl || !d.isData() || !d.writable()) raise(kVecGP, sel & 0xFFFC);
        if (!d.present()) raise(kVecSS, sel & 0xFFFC);
    } else {
        if (!d.isData() && !(d.isCode() && d.readable())) raise(kVecGP, sel & 0xFFFC);
        if ((d.isData() || !d.conforming()) && (rpl > d.dpl() || cpl > d.dpl())) raise(kVecGP, sel & 0xFFFC);
        if (!d.present()) raise(kVecNP, sel & 0xFFFC);
    }
    if (!(raw & (1ull << 40))) markDescriptorAccessed(sel, raw);
    Segment& sg = seg[s];
    sg.sel = sel;
    sg.base = d.base;
    sg.limit = d.limit;
    sg.attr = d.attr | Segment::kAccessed;
    if (s == SS) updateMode();
}

// Sets the accessed bit of a descriptor on its first load (SDM Vol.3A 3.4.5.1).
void Cpu::markDescriptorAccessed(uint16_t sel, uint64_t raw) {
    uint64_t tableBase = (sel & 4) ? ldtr.base : gdtr.base;
    writeSys<uint8_t>(tableBase + (sel & ~7u) + 5, static_cast<uint8_t>((raw >> 40) | 1));
}

// Loads CS for a far transfer whose privilege checks the caller has done; `newCpl` becomes CPL.
// A descriptor read from a table without its accessed bit gets it set (synthesized flat
// descriptors of SYSCALL/SYSENTER come with the bit already set and touch no memory).
void loadCodeSegment(Cpu& c, uint16_t sel, const Descriptor& d, unsigned newCpl) {
    if (!(d.attr & Segment::kAccessed)) {
        uint64_t raw = static_cast<uint64_t>(d.attr & 0xFF) << 40;
        c.markDescriptorAccessed(sel, raw);
    }
    c.seg[CS].sel = static_cast<uint16_t>((sel & ~3) | newCpl);
    c.seg[CS].base = d.base;
    c.seg[CS].limit = d.limit;
    c.seg[CS].attr = d.attr | Segment::kAccessed;
    c.cpl = newCpl;
    c.updateMode();
}

}  // namespace pvx::cpu
