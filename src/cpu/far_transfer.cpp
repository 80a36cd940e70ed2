// Far JMP/CALL/RET through code segments and call gates (SDM Vol.3A 5.8; Vol.2 "CALL", "JMP",
// "RET"). A TSS descriptor or a task gate as the target switches tasks (cpu/task_switch.cpp)
// outside IA-32e mode, and is #GP(selector) in it (SDM Vol.3A 7.7).
#include "cpu/cpu.h"
#include "cpu/descriptor.h"
#include "cpu/stack_frame.h"

namespace pvx::cpu {

namespace {
// A TSS descriptor (16/32-bit, available or busy: busy ones fault in the switch) or a task gate.
bool isTaskTarget(const Descriptor& d) {
    const unsigned t = d.type();
    return d.isSystem() && (t == 1 || t == 3 || t == 5 || t == 9 || t == 11);
}
uint64_t truncOff(uint64_t off, unsigned osz) {
    return osz == 2 ? (off & 0xFFFF) : osz == 4 ? (off & 0xFFFFFFFF) : off;
}
}  // namespace

// Reads the stack pointer for privilege level `dpl` from the current TSS.
void tssStack(Cpu& c, unsigned dpl, uint16_t& ss, uint64_t& sp) {
    const unsigned type = c.tr.type();
    if (c.efer & efer::LMA) {
        if (4 + dpl * 8 + 7 > c.tr.limit) raise(kVecTS, c.tr.sel & 0xFFFC);
        sp = c.readSys<uint64_t>(c.tr.base + 4 + dpl * 8);
        ss = static_cast<uint16_t>(dpl);
    } else if (type == 9 || type == 11) {
        if (8 + dpl * 8 + 1 > c.tr.limit) raise(kVecTS, c.tr.sel & 0xFFFC);
        sp = c.readSys<uint32_t>(c.tr.base + 4 + dpl * 8);
        ss = c.readSys<uint16_t>(c.tr.base + 8 + dpl * 8);
    } else {
        if (4 + dpl * 4 + 1 > c.tr.limit) raise(kVecTS, c.tr.sel & 0xFFFC);
        sp = c.readSys<uint16_t>(c.tr.base + 2 + dpl * 4);
        ss = c.readSys<uint16_t>(c.tr.base + 4 + dpl * 4);
    }
}

// Validates a new SS for privilege `dpl` (SDM Vol.3A 5.8.5 / 6.12.1: failures are #TS).
Descriptor checkNewStack(Cpu& c, uint16_t ss, unsigned dpl) {
    if ((ss & ~3) == 0) raise(kVecTS, 0);
    if ((ss & 3) != dpl) raise(kVecTS, ss & 0xFFFC);
    Descriptor d = Descriptor::decode(c.readDescriptor(ss, kVecTS));
    if (!d.writable() || d.dpl() != dpl) raise(kVecTS, ss & 0xFFFC);
    if (!d.present()) raise(kVecSS, ss & 0xFFFC);
    return d;
}

// Segment registers whose DPL is below the new (outer) CPL are nulled on return to an outer
// level (SDM Vol.2 "RET": "IF ... DPL < CPL THEN load null").
void nullInaccessibleSegments(Cpu& c) {
    for (unsigned s : {ES, DS, FS, GS}) {
        Segment& sg = c.seg[s];
        bool confCode = sg.isCode() && (sg.attr & Segment::kDC);
        if ((sg.attr & Segment::kS) && !confCode && sg.dpl() < c.cpl && sg.present()) {
            sg.sel = 0;
            sg.attr = 0;
        }
    }
}

void Cpu::farJump(uint16_t sel, uint64_t offset, unsigned osz) {
    if (mode == Mode::Real || mode == Mode::V86) {
        uint64_t off = truncOff(offset, osz);
        loadSegmentReal(CS, sel);
        nextRip = off;
        return;
    }
    if ((sel & ~3) == 0) raise(kVecGP, 0);
    Descriptor d = Descriptor::decode(readDescriptor(sel, kVecGP));
    const unsigned rpl = sel & 3;
    if (d.isCode()) {
        if (d.conforming() ? d.dpl() > cpl : (rpl > cpl || d.dpl() != cpl)) raise(kVecGP, sel & 0xFFFC);
        if (!d.present()) raise(kVecNP, sel & 0xFFFC);
        if ((efer & efer::LMA) && d.l() && d.db()) raise(kVecGP, sel & 0xFFFC);
        uint64_t off = (efer & efer::LMA) && d.l() ? offset : truncOff(offset, osz);
        if (!((efer & efer::LMA) && d.l()) && off > d.limit) raise(kVecGP, 0);
        loadCodeSegment(*this, sel, d, cpl);
        nextRip = off;
        return;
    }
    // Call gate (0xC; 4 = 16-bit gate outside long mode).
    const bool lm = efer & efer::LMA;
    if (d.isSystem() && (d.type() == 0xC || (!lm && d.type() == 4))) {
        uint64_t lo = readDescriptor(sel, kVecGP);
        uint64_t hi = lm ? readDescriptor(static_cast<uint16_t>(sel + 8), kVecGP) : 0;
        Gate g = Gate::decode(lo, hi, lm);
        if (g.dpl < cpl || g.dpl < rpl) raise(kVecGP, sel & 0xFFFC);
        if (!g.present) raise(kVecNP, sel & 0xFFFC);
        if ((g.selector & ~3) == 0) raise(kVecGP, 0);
        Descriptor t = Descriptor::decode(readDescriptor(g.selector, kVecGP));
        if (!t.isCode() || (t.conforming() ? t.dpl() > cpl : t.dpl() != cpl)) raise(kVecGP, g.selector & 0xFFFC);
        if (!t.present()) raise(kVecNP, g.selector & 0xFFFC);
        uint64_t off = d.type() == 4 ? (g.offset & 0xFFFF) : g.offset;
        if (!(lm && t.l()) && off > t.limit) raise(kVecGP, 0);
        loadCodeSegment(*this, g.selector, t, cpl);
        nextRip = off;
        return;
    }
    if (!lm && isTaskTarget(d)) return farTransferToTask(sel, d, TaskSwitchSource::Jmp);
    raise(kVecGP, sel & 0xFFFC);  // not a code segment, call gate or (outside IA-32e mode) task
}

void Cpu::farCall(uint16_t sel, uint64_t offset, unsigned osz) {
    if (mode == Mode::Real || mode == Mode::V86) {
        uint64_t off = truncOff(offset, osz);
        uint64_t sp = gpr[RSP];
        try {
            if (osz == 4) {
                push<uint32_t>(seg[CS].sel);
                push<uint32_t>(static_cast<uint32_t>(nextRip));
            } else {
                push<uint16_t>(seg[CS].sel);
                push<uint16_t>(static_cast<uint16_t>(nextRip));
            }
        } catch (...) {
            gpr[RSP] = sp;
            throw;
        }
        loadSegmentReal(CS, sel);
        nextRip = off;
        return;
    }
    if ((sel & ~3) == 0) raise(kVecGP, 0);
    const bool lm = efer & efer::LMA;
    Descriptor d = Descriptor::decode(readDescriptor(sel, kVecGP));
    const unsigned rpl = sel & 3;
    const uint64_t retRip = nextRip;
    const uint16_t retCs = seg[CS].sel;
    if (d.isCode()) {
        if (d.conforming() ? d.dpl() > cpl : (rpl > cpl || d.dpl() != cpl)) raise(kVecGP, sel & 0xFFFC);
        if (!d.present()) raise(kVecNP, sel & 0xFFFC);
        uint64_t off = lm && d.l() ? offset : truncOff(offset, osz);
        if (!(lm && d.l()) && off > d.limit) raise(kVecGP, 0);
        StackFrame f{*this, mode == Mode::Long64 ? 0 : seg[SS].base, gpr[RSP], stackMaskFor(*this, seg[SS].db()), cpl == 3};
        f.push(retCs, osz);
        f.push(retRip, osz);
        loadCodeSegment(*this, sel, d, cpl);
        setRspSized(f.sp);
        nextRip = off;
        return;
    }
    if (!lm && isTaskTarget(d)) return farTransferToTask(sel, d, TaskSwitchSource::Call);
    if (!(d.isSystem() && (d.type() == 0xC || (!lm && d.type() == 4)))) raise(kVecGP, sel & 0xFFFC);
    uint64_t lo = readDescriptor(sel, kVecGP);
    uint64_t hi = lm ? readDescriptor(static_cast<uint16_t>(sel + 8), kVecGP) : 0;
    Gate g = Gate::decode(lo, hi, lm);
    if (g.dpl < cpl || g.dpl < rpl) raise(kVecGP, sel & 0xFFFC);
    if (!g.present) raise(kVecNP, sel & 0xFFFC);
    if ((g.selector & ~3) == 0) raise(kVecGP, 0);
    Descriptor t = Descriptor::decode(readDescriptor(g.selector, kVecGP));
    if (!t.isCode() || t.dpl() > cpl) raise(kVecGP, g.selector & 0xFFFC);
    if (!t.present()) raise(kVecNP, g.selector & 0xFFFC);
    if (lm && !(t.l() && !t.db())) raise(kVecGP, g.selector & 0xFFFC);
    const unsigned gsz = lm ? 8 : (d.type() == 4 ? 2 : 4);
    const uint64_t off = gsz == 2 ? (g.offset & 0xFFFF) : g.offset;
    if (!lm && off > t.limit) raise(kVecGP, 0);

    if (!t.conforming() && t.dpl() < cpl) {
        // More privileged: switch to the inner stack from the TSS and copy parameters.
        const unsigned ncpl = t.dpl();
        uint16_t nss;
        uint64_t nsp;
        tssStack(*this, ncpl, nss, nsp);
        Descriptor ssd;
        if (lm) {
            ssd.attr = Segment::kP | Segment::kS | Segment::kRW | static_cast<uint16_t>(ncpl << 5);
        } else {
            ssd = checkNewStack(*this, nss, ncpl);
        }
        StackFrame f{*this, lm ? 0 : ssd.base, nsp, lm ? ~0ull : (ssd.db() ? 0xFFFFFFFFull : 0xFFFFull), ncpl == 3};
        const uint64_t oldSs = seg[SS].sel, oldSp = gpr[RSP];
        f.push(oldSs, gsz);
        f.push(oldSp, gsz);
        if (!lm) {
            const uint64_t oldMask = stackMaskFor(*this, seg[SS].db());
            for (int k = static_cast<int>(g.paramCount) - 1; k >= 0; --k) {
                uint64_t a = (seg[SS].base + ((oldSp + static_cast<uint64_t>(k) * gsz) & oldMask)) & 0xFFFFFFFF;
                uint64_t v = gsz == 2 ? readLin<uint16_t>(a, cpl == 3) : readLin<uint32_t>(a, cpl == 3);
                f.push(v, gsz);
            }
        }
        f.push(retCs, gsz);
        f.push(retRip, gsz);
        // Commit.
        seg[SS].sel = static_cast<uint16_t>(lm ? ncpl : nss);
        seg[SS].base = ssd.base;
        seg[SS].limit = lm ? 0xFFFFFFFF : ssd.limit;
        seg[SS].attr = ssd.attr | Segment::kAccessed;
        loadCodeSegment(*this, g.selector, t, ncpl);
        if (lm) gpr[RSP] = f.sp;
        else setRspSized(f.sp);
        nextRip = off;
        return;
    }
    StackFrame f{*this, mode == Mode::Long64 ? 0 : seg[SS].base, gpr[RSP], stackMaskFor(*this, seg[SS].db()), cpl == 3};
    f.push(retCs, gsz);
    f.push(retRip, gsz);
    loadCodeSegment(*this, g.selector, t, cpl);
    setRspSized(f.sp);
    nextRip = off;
}

void Cpu::farReturn(unsigned osz, uint16_t popBytes) {
    if (mode == Mode::Real || mode == Mode::V86) {
        uint64_t ip = osz == 4 ? peek<uint32_t>(0) : peek<uint16_t>(0);
        uint16_t cs = osz == 4 ? static_cast<uint16_t>(peek<uint32_t>(4)) : peek<uint16_t>(2);
        if (ip > seg[CS].limit && mode == Mode::Real && osz == 2) raise(kVecGP, 0);
        setRspSized(rspMasked(gpr[RSP] + 2 * osz + popBytes));
        loadSegmentReal(CS, cs);
        nextRip = ip;
        return;
    }
    auto peekN = [&](unsigned off) -> uint64_t {
        return osz == 2 ? peek<uint16_t>(off) : osz == 4 ? peek<uint32_t>(off) : peek<uint64_t>(off);
    };
    uint64_t ip = peekN(0);
    uint16_t cs = static_cast<uint16_t>(peekN(osz));
    if ((cs & ~3) == 0) raise(kVecGP, 0);
    const unsigned rpl = cs & 3;
    if (rpl < cpl) raise(kVecGP, cs & 0xFFFC);
    Descriptor d = Descriptor::decode(readDescriptor(cs, kVecGP));
    if (!d.isCode() || (d.conforming() ? d.dpl() > rpl : d.dpl() != rpl)) raise(kVecGP, cs & 0xFFFC);
    if (!d.present()) raise(kVecNP, cs & 0xFFFC);
    const bool lm = efer & efer::LMA;
    const bool target64 = lm && d.l();
    if (!target64) ip = truncOff(ip, osz);
    if (!target64 && ip > d.limit) raise(kVecGP, 0);
    if (rpl == cpl) {
        loadCodeSegment(*this, cs, d, cpl);
        setRspSized(rspMasked(gpr[RSP] + 2 * osz + popBytes));
        nextRip = ip;
        return;
    }
    // Return to an outer privilege level: also pop SS:RSP.
    uint64_t sp = peekN(2 * osz + popBytes);
    uint16_t ss = static_cast<uint16_t>(peekN(3 * osz + popBytes));
    Descriptor ssd;
    if ((ss & ~3) == 0 && target64 && rpl != 3) {
        ssd.attr = Segment::kP | Segment::kS | Segment::kRW | static_cast<uint16_t>(rpl << 5);
    } else {
        if ((ss & ~3) == 0) raise(kVecGP, 0);
        if ((ss & 3) != rpl) raise(kVecGP, ss & 0xFFFC);
        ssd = Descriptor::decode(readDescriptor(ss, kVecGP));
        if (!ssd.writable() || ssd.dpl() != rpl) raise(kVecGP, ss & 0xFFFC);
        if (!ssd.present()) raise(kVecSS, ss & 0xFFFC);
    }
    loadCodeSegment(*this, cs, d, rpl);
    seg[SS].sel = ss;
    seg[SS].base = ssd.base;
    seg[SS].limit = ssd.limit;
    seg[SS].attr = ssd.attr | Segment::kAccessed;
    updateMode();
    if (mode == Mode::Long64) gpr[RSP] = sp + popBytes;
    else setRspSized(sp + popBytes);
    nullInaccessibleSegments(*this);
    nextRip = ip;
}

}  // namespace pvx::cpu
