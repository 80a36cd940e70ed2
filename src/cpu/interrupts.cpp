// Exception and interrupt delivery and IRET, in every mode (SDM Vol.3A 6.12-6.14, 20.3 for
// virtual-8086; Vol.2 "IRET/IRETD/IRETQ", "INT n/INTO/INT3/INT1").
#include "cpu/cpu.h"
#include "cpu/descriptor.h"
#include "cpu/stack_frame.h"

namespace pvx::cpu {

void Cpu::softwareInterrupt(uint8_t vector, bool isInt3OrInto, bool isInt1) {
    (void)isInt3OrInto;
    // Virtual-8086 mode without VME: INT n with IOPL < 3 is #GP(0) to the monitor (SDM Vol.3A
    // 20.3.3); INT3/INTO/INT1 are delivered normally.
    if (mode == Mode::V86 && ((eflags & kIOPL) >> 12) < 3 && !isInt3OrInto && !isInt1) raise(kVecGP, 0);
    // INT1 (ICEBP) is a "privileged software exception" (SDM Vol.3A 6.4.2): it returns to the
    // next instruction like INT n, but skips the gate DPL check and delivers as an event
    // external to the program (EXT = 1 in the error code of a fault during its delivery).
    deliver(vector, false, 0, true, isInt1);
}

void Cpu::deliver(uint8_t v, bool hasErr, uint32_t err, bool software, bool external) {
    // A software interrupt returns to the next instruction; a fault or an external interrupt to
    // the current one (RIP at an instruction boundary).
    const uint64_t retRip = software ? nextRip : rip;
    const uint32_t ext = external ? 1 : 0;
    const uint32_t oldFlags = getFlags() & ~kRF;

    if (mode == Mode::Real) {
        if (uint32_t{v} * 4 + 3 > idtr.limit) raise(kVecGP, 0);
        uint16_t off = readSys<uint16_t>(idtr.base + v * 4u);
        uint16_t sel = readSys<uint16_t>(idtr.base + v * 4u + 2);
        StackFrame f{*this, seg[SS].base, gpr[RSP], 0xFFFF, false};
        f.push(oldFlags, 2);
        f.push(seg[CS].sel, 2);
        f.push(retRip, 2);
        setRspSized(f.sp);
        eflags &= ~(kIF | kTF | kAC | kRF);
        loadSegmentReal(CS, sel);
        rip = nextRip = off;
        breakFlag_ = true;
        return;
    }

    const bool lm = efer & efer::LMA;
    const unsigned gsz = lm ? 16 : 8;
    const uint32_t idtErr = uint32_t{v} * 8 + 2 + ext;
    if (uint32_t{v} * gsz + gsz - 1 > idtr.limit) raise(kVecGP, idtErr);
    uint64_t lo = readSys<uint64_t>(idtr.base + uint64_t{v} * gsz);
    uint64_t hi = lm ? readSys<uint64_t>(idtr.base + uint64_t{v} * gsz + 8) : 0;
    Gate g = Gate::decode(lo, hi, lm);
    const bool validType = lm ? (g.type == 0xE || g.type == 0xF)
                              : (g.type == 5 || g.type == 6 || g.type == 7 || g.type == 0xE || g.type == 0xF);
    if (!validType) raise(kVecGP, idtErr);
    if (software && !external && g.dpl < cpl) raise(kVecGP, idtErr);  // INT n/INT3/INTO only
    if (!g.present) raise(kVecNP, idtErr);
    if (g.type == 5) {
        // Task gate (6.11.2): the handler is a whole task. An error code goes on the new task's
        // stack, 32 or 16 bits as its TSS (6.13).
        taskSwitch(g.selector, TaskSwitchSource::Interrupt, retRip, ext);
        if (hasErr) {
            StackFrame f{*this, seg[SS].base, gpr[RSP], seg[SS].db() ? 0xFFFFFFFFull : 0xFFFFull, cpl == 3};
            f.push(err, (tr.type() & 8) ? 4 : 2);
            setRspSized(f.sp);
        }
        return;
    }
    if ((g.selector & ~3) == 0) raise(kVecGP, ext);
    Descriptor d = Descriptor::decode(readDescriptor(g.selector, kVecGP));
    if (!d.isCode() || d.dpl() > cpl) raise(kVecGP, (g.selector & 0xFFFC) + ext);
    if (!d.present()) raise(kVecNP, (g.selector & 0xFFFC) + ext);
    if (lm && !(d.l() && !d.db())) raise(kVecGP, (g.selector & 0xFFFC) + ext);
    const unsigned ncpl = d.conforming() ? cpl : d.dpl();
    const bool fromV86 = mode == Mode::V86;
    if (fromV86 && ncpl != 0) raise(kVecGP, (g.selector & 0xFFFC) + ext);
    const bool intGate = (g.type & 1) == 0;

    if (lm) {
        // 64-bit IDT gate: always push SS:RSP; RSP from the TSS on a privilege change or IST,
        // aligned to 16 bytes (SDM Vol.3A 6.14.2-6.14.5).
        uint64_t nsp = gpr[RSP];
        if (g.ist) {
            nsp = readSys<uint64_t>(tr.base + 0x1C + g.ist * 8);
        } else if (ncpl < cpl) {
            uint16_t dummy;
            tssStack(*this, ncpl, dummy, nsp);
        }
        nsp &= ~0xFull;
        StackFrame f{*this, 0, nsp, ~0ull, ncpl == 3};
        f.push(seg[SS].sel, 8);
        f.push(gpr[RSP], 8);
        f.push(oldFlags, 8);
        f.push(seg[CS].sel, 8);
        f.push(retRip, 8);
        if (hasErr) f.push(err, 8);
        if (ncpl < cpl) {
            seg[SS].sel = static_cast<uint16_t>(ncpl);
            seg[SS].base = 0;
            seg[SS].limit = 0xFFFFFFFF;
            seg[SS].attr = Segment::kP | Segment::kS | Segment::kRW | Segment::kAccessed | static_cast<uint16_t>(ncpl << 5);
        }
        loadCodeSegment(*this, g.selector, d, ncpl);
        gpr[RSP] = f.sp;
        eflags &= ~(kTF | kNT | kRF | kVM);
        if (intGate) eflags &= ~kIF;
        updateMode();
        rip = nextRip = g.offset;
        breakFlag_ = true;
        return;
    }

    const unsigned psz = g.type >= 0xE ? 4 : 2;
    const uint64_t off = psz == 2 ? (g.offset & 0xFFFF) : (g.offset & 0xFFFFFFFF);
    if (off > d.limit) raise(kVecGP, ext);
    if (ncpl < cpl) {
        uint16_t nss;
        uint64_t nsp;
        tssStack(*this, ncpl, nss, nsp);
        Descriptor ssd = checkNewStack(*this, nss, ncpl);
        StackFrame f{*this, ssd.base, nsp, ssd.db() ? 0xFFFFFFFFull : 0xFFFFull, ncpl == 3};
        if (fromV86) {
            f.push(seg[GS].sel, psz);
            f.push(seg[FS].sel, psz);
            f.push(seg[DS].sel, psz);
            f.push(seg[ES].sel, psz);
        }
        f.push(seg[SS].sel, psz);
        f.push(gpr[RSP], psz);
        f.push(oldFlags, psz);
        f.push(seg[CS].sel, psz);
        f.push(retRip, psz);
        if (hasErr) f.push(err, psz);
        // Commit.
        if (fromV86) {
            for (unsigned s : {ES, DS, FS, GS}) {
                seg[s].sel = 0;
                seg[s].attr = 0;
                seg[s].base = 0;
            }
        }
        seg[SS].sel = nss;
        seg[SS].base = ssd.base;
        seg[SS].limit = ssd.limit;
        seg[SS].attr = ssd.attr | Segment::kAccessed;
        eflags &= ~(kTF | kNT | kRF | kVM);
        if (intGate) eflags &= ~kIF;
        loadCodeSegment(*this, g.selector, d, ncpl);
        if (ssd.db()) gpr[RSP] = static_cast<uint32_t>(f.sp);
        else gpr[RSP] = (gpr[RSP] & ~0xFFFFull) | (f.sp & 0xFFFF);
    } else {
        StackFrame f{*this, seg[SS].base, gpr[RSP], seg[SS].db() ? 0xFFFFFFFFull : 0xFFFFull, cpl == 3};
        f.push(oldFlags, psz);
        f.push(seg[CS].sel, psz);
        f.push(retRip, psz);
        if (hasErr) f.push(err, psz);
        eflags &= ~(kTF | kNT | kRF | kVM);
        if (intGate) eflags &= ~kIF;
        loadCodeSegment(*this, g.selector, d, ncpl);
        setRspSized(f.sp);
    }
    updateMode();
    rip = nextRip = off;
    breakFlag_ = true;
}

void Cpu::interruptReturn(unsigned osz) {
    nmiBlocked_ = false;  // IRET ends NMI blocking (SDM Vol.3A 6.7.1)
    auto peekN = [&](unsigned off) -> uint64_t {
        return osz == 2 ? peek<uint16_t>(off) : osz == 4 ? peek<uint32_t>(off) : peek<uint64_t>(off);
    };
    const uint32_t oldFlags = getFlags();
    const unsigned iopl = (eflags & kIOPL) >> 12;

    if (mode == Mode::Real || mode == Mode::V86) {
        if (mode == Mode::V86 && iopl < 3) raise(kVecGP, 0);  // SDM Vol.3A 20.2.7 (no VME)
        uint64_t ip = peekN(0);
        uint16_t cs = static_cast<uint16_t>(peekN(osz));
        uint32_t fl = static_cast<uint32_t>(peekN(2 * osz));
        if (mode == Mode::Real && ip > seg[CS].limit) raise(kVecGP, 0);
        setRspSized(rspMasked(gpr[RSP] + 3 * osz));
        uint32_t keep = (mode == Mode::V86) ? (kIOPL | kVM | kVIF | kVIP) : (kVM | kVIF | kVIP);
        if (osz == 2) keep |= 0xFFFF0000u;
        uint32_t nf = (oldFlags & keep) | (fl & ~keep);
        loadSegmentReal(CS, cs);
        setFlags(nf);
        nextRip = ip;
        updateMode();
        return;
    }
    const bool lm = efer & efer::LMA;
    if ((eflags & kNT) && !lm) {
        // Return from a nested task: back to the task in this TSS's link field (7.3, 7.4).
        const uint16_t link = readSys<uint16_t>(tr.base);
        taskSwitch(link, TaskSwitchSource::Iret, nextRip, 0);
        return;
    }
    uint64_t ip = peekN(0);
    uint16_t cs = static_cast<uint16_t>(peekN(osz));
    uint32_t fl = static_cast<uint32_t>(peekN(2 * osz));

    if (!lm && (fl & kVM) && cpl == 0 && osz == 4) {
        // Return to virtual-8086 mode (SDM Vol.3A 20.2.7).
        uint32_t nsp = static_cast<uint32_t>(peekN(12));
        uint16_t nss = static_cast<uint16_t>(peekN(16));
        uint16_t es = static_cast<uint16_t>(peekN(20)), ds = static_cast<uint16_t>(peekN(24));
        uint16_t fs = static_cast<uint16_t>(peekN(28)), gs = static_cast<uint16_t>(peekN(32));
        setFlags(fl);
        updateMode();  // now V86: segment loads are real-style
        loadSegmentReal(CS, cs);
        loadSegmentReal(SS, nss);
        loadSegmentReal(ES, es);
        loadSegmentReal(DS, ds);
        loadSegmentReal(FS, fs);
        loadSegmentReal(GS, gs);
        gpr[RSP] = nsp;
        nextRip = ip & 0xFFFF;
        return;
    }

    if ((cs & ~3) == 0) raise(kVecGP, 0);
    const unsigned rpl = cs & 3;
    if (rpl < cpl) raise(kVecGP, cs & 0xFFFC);
    Descriptor d = Descriptor::decode(readDescriptor(cs, kVecGP));
    if (!d.isCode() || (d.conforming() ? d.dpl() > rpl : d.dpl() != rpl)) raise(kVecGP, cs & 0xFFFC);
    if (!d.present()) raise(kVecNP, cs & 0xFFFC);
    const bool target64 = lm && d.l();
    if (!target64) ip = osz == 2 ? (ip & 0xFFFF) : (ip & 0xFFFFFFFF);
    if (!target64 && ip > d.limit) raise(kVecGP, 0);

    // Which flags may change (SDM Vol.2 "IRET" operation section).
    uint32_t changeable = kArithFlags | kTF | kDF | kNT | kAC | kID | kRF;
    if (cpl == 0) changeable |= kIOPL | kVIF | kVIP;
    if (cpl <= iopl) changeable |= kIF;
    if (osz == 2) changeable &= 0xFFFF;
    uint32_t nf = (oldFlags & ~changeable) | (fl & changeable);
    nf &= ~kVM;

    const bool popStack = rpl > cpl || mode == Mode::Long64;
    if (!popStack) {
        loadCodeSegment(*this, cs, d, cpl);
        setRspSized(rspMasked(gpr[RSP] + 3 * osz));
        setFlags(nf);
        updateMode();
        nextRip = ip;
        return;
    }
    uint64_t sp = peekN(3 * osz);
    uint16_t ss = static_cast<uint16_t>(peekN(4 * osz));
    Descriptor ssd;
    if ((ss & ~3) == 0) {
        // A null SS is allowed when returning to 64-bit code at CPL < 3 (SDM Vol.2 "IRET").
        if (!(target64 && rpl != 3)) raise(kVecGP, 0);
        ssd.attr = Segment::kP | Segment::kS | Segment::kRW | static_cast<uint16_t>(rpl << 5);
        ssd.limit = 0xFFFFFFFF;
    } else {
        if ((ss & 3) != rpl) raise(kVecGP, ss & 0xFFFC);
        ssd = Descriptor::decode(readDescriptor(ss, kVecGP));
        if (!ssd.writable() || ssd.dpl() != rpl) raise(kVecGP, ss & 0xFFFC);
        if (!ssd.present()) raise(kVecSS, ss & 0xFFFC);
    }
    const unsigned oldCpl = cpl;
    loadCodeSegment(*this, cs, d, rpl);
    seg[SS].sel = ss;
    seg[SS].base = ssd.base;
    seg[SS].limit = ssd.limit;
    seg[SS].attr = ssd.attr | Segment::kAccessed;
    setFlags(nf);
    updateMode();
    if (mode == Mode::Long64) gpr[RSP] = sp;
    else if (ssd.db()) gpr[RSP] = static_cast<uint32_t>(sp);
    else gpr[RSP] = (gpr[RSP] & ~0xFFFFull) | (sp & 0xFFFF);
    if (rpl > oldCpl) nullInaccessibleSegments(*this);
    nextRip = ip;
}

}  // namespace pvx::cpu
