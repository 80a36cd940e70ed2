// Hardware task switching (SDM Vol.3A chapter 7, "Task Management"): JMP or CALL to a TSS
// descriptor or a task gate, an interrupt or exception through a task gate in the IDT, and IRET
// with EFLAGS.NT set. Legacy protected mode only; in IA-32e mode every such transfer is #GP
// (7.7), which the callers check. Not modelled: the TSS T (debug trap) bit.
#include "cpu/cpu.h"
#include "cpu/descriptor.h"
#include "cpu/stack_frame.h"

namespace pvx::cpu {

namespace {

// TSS layouts (SDM Vol.3A figures 7-2 and 7-11): where each field lives.
struct TssLayout {
    unsigned eip, eflags, gpr0, gprStep, es, ldt, minLimit;
    bool wide;  // 32-bit TSS: 32-bit registers and a CR3 field
};
constexpr TssLayout kTss32{0x20, 0x24, 0x28, 4, 0x48, 0x60, 0x67, true};
constexpr TssLayout kTss16{0x0E, 0x10, 0x12, 2, 0x22, 0x2A, 0x2B, false};
constexpr unsigned kTss32Cr3 = 0x1C;

// Selector fields in TSS order: ES, CS, SS, DS (then FS, GS in a 32-bit TSS).
constexpr unsigned kSelOrder[6] = {ES, CS, SS, DS, FS, GS};

bool isTss(const Descriptor& d) {
    const unsigned t = d.type();
    return d.isSystem() && (t == 1 || t == 3 || t == 9 || t == 11);
}

// The new task's register state, read in full before anything changes, so that a page fault on
// the new TSS leaves the old task intact (7.3 step 4).
struct TaskState {
    uint32_t cr3 = 0, eip = 0, eflags = 0;
    uint32_t gpr[8] = {};
    uint16_t sel[6] = {};  // ES, CS, SS, DS, FS, GS
    uint16_t ldt = 0;
};

}  // namespace

void Cpu::taskSwitch(uint16_t sel, TaskSwitchSource src, uint64_t returnEip, uint32_t ext) {
    // 7.3 steps 1-3: the new TSS descriptor. It must be in the GDT, a TSS, present, large enough,
    // and busy exactly when returning to it with IRET.
    const unsigned typeVec = src == TaskSwitchSource::Iret ? kVecTS : kVecGP;
    const uint32_t selErr = (sel & 0xFFFC) + ext;
    if (sel & 4) raise(static_cast<uint8_t>(typeVec), selErr);
    const uint64_t raw = readDescriptor(sel, typeVec);
    const Descriptor nd = Descriptor::decode(raw);
    if (!isTss(nd)) raise(static_cast<uint8_t>(typeVec), selErr);
    const bool busy = nd.type() & 2;
    if (src == TaskSwitchSource::Iret ? !busy : busy) raise(static_cast<uint8_t>(typeVec), selErr);
    if (!nd.present()) raise(kVecNP, selErr);
    const TssLayout& nl = (nd.type() & 8) ? kTss32 : kTss16;
    if (nd.limit < nl.minLimit) raise(kVecTS, selErr);
    const TssLayout& ol = (tr.type() & 8) ? kTss32 : kTss16;
    if ((tr.sel & ~3) == 0 || tr.limit < ol.minLimit) raise(kVecTS, (tr.sel & 0xFFFC) + ext);

    // Read the new task's state.
    TaskState ns;
    const uint64_t nb = nd.base;
    if (nl.wide) {
        ns.cr3 = readSys<uint32_t>(nb + kTss32Cr3);
        ns.eip = readSys<uint32_t>(nb + nl.eip);
        ns.eflags = readSys<uint32_t>(nb + nl.eflags);
        for (unsigned r = 0; r < 8; ++r) ns.gpr[r] = readSys<uint32_t>(nb + nl.gpr0 + r * nl.gprStep);
        for (unsigned s = 0; s < 6; ++s) ns.sel[s] = readSys<uint16_t>(nb + nl.es + s * 4);
    } else {
        ns.eip = readSys<uint16_t>(nb + nl.eip);
        ns.eflags = readSys<uint16_t>(nb + nl.eflags);
        for (unsigned r = 0; r < 8; ++r) ns.gpr[r] = readSys<uint16_t>(nb + nl.gpr0 + r * nl.gprStep);
        for (unsigned s = 0; s < 4; ++s) ns.sel[s] = readSys<uint16_t>(nb + nl.es + s * 2);
    }
    ns.ldt = readSys<uint16_t>(nb + nl.ldt);

    // Step 5-6: save the old task. IRET clears NT in the saved image (it is leaving the nested
    // task for good); JMP and IRET make the old task available again.
    uint32_t oldFlags = getFlags();
    if (src == TaskSwitchSource::Iret) oldFlags &= ~kNT;
    const uint64_t ob = tr.base;
    if (ol.wide) {
        writeSys<uint32_t>(ob + ol.eip, static_cast<uint32_t>(returnEip));
        writeSys<uint32_t>(ob + ol.eflags, oldFlags);
        for (unsigned r = 0; r < 8; ++r) writeSys<uint32_t>(ob + ol.gpr0 + r * ol.gprStep, static_cast<uint32_t>(gpr[r]));
        for (unsigned s = 0; s < 6; ++s) writeSys<uint16_t>(ob + ol.es + s * 4, seg[kSelOrder[s]].sel);
    } else {
        writeSys<uint16_t>(ob + ol.eip, static_cast<uint16_t>(returnEip));
        writeSys<uint16_t>(ob + ol.eflags, static_cast<uint16_t>(oldFlags));
        for (unsigned r = 0; r < 8; ++r) writeSys<uint16_t>(ob + ol.gpr0 + r * ol.gprStep, static_cast<uint16_t>(gpr[r]));
        for (unsigned s = 0; s < 4; ++s) writeSys<uint16_t>(ob + ol.es + s * 2, seg[kSelOrder[s]].sel);
    }
    const uint64_t oldDesc = gdtr.base + (tr.sel & ~7u) + 5;
    if (src == TaskSwitchSource::Jmp || src == TaskSwitchSource::Iret)
        writeSys<uint8_t>(oldDesc, static_cast<uint8_t>(readSys<uint8_t>(oldDesc) & ~2));

    // Step 7-9: a CALL or an interrupt nests: the new task links back to the old one and runs
    // with NT set. Every source but IRET marks the new task busy.
    const bool nests = src == TaskSwitchSource::Call || src == TaskSwitchSource::Interrupt;
    if (nests) writeSys<uint16_t>(nb, tr.sel);
    if (src != TaskSwitchSource::Iret) writeSys<uint8_t>(gdtr.base + (sel & ~7u) + 5, static_cast<uint8_t>((raw >> 40) | 2));

    // Step 10: TR and CR0.TS (the next x87/SSE instruction of the new task faults with #NM so the
    // OS can switch FPU state lazily, 2.5).
    tr.sel = sel;
    tr.base = nd.base;
    tr.limit = nd.limit;
    tr.attr = static_cast<uint16_t>(nd.attr | 2);
    cr0 |= cr0::TS;

    // Step 11: the new task's state. From here on a fault belongs to the new task (7.3: "the
    // processor ... reports the exception in the context of the new task").
    if (nl.wide && (cr0 & cr0::PG)) writeCr3(ns.cr3);
    uint32_t flags = ns.eflags | 2;
    if (nests) flags |= kNT;
    if (!nl.wide) flags = (getFlags() & 0xFFFF0000u & ~kVM) | (flags & 0xFFFF);
    setFlags(flags);
    for (unsigned r = 0; r < 8; ++r) {
        if (nl.wide) gpr[r] = ns.gpr[r];
        else gpr[r] = (gpr[r] & ~0xFFFFull) | ns.gpr[r];
    }
    rip = nextRip = ns.eip;
    // Selectors first, descriptors after: a fault while loading the descriptors leaves the new
    // selectors in place with unusable segments.
    for (unsigned s = 0; s < 6; ++s) {
        seg[kSelOrder[s]].sel = ns.sel[s];
        seg[kSelOrder[s]].attr = 0;
    }
    ldtr.sel = ns.ldt;
    ldtr.attr = 0;

    if ((ns.ldt & ~3) != 0) {
        if (ns.ldt & 4) raise(kVecTS, (ns.ldt & 0xFFFC) + ext);
        const Descriptor ld = Descriptor::decode(readDescriptor(ns.ldt, kVecTS));
        if (!ld.isSystem() || ld.type() != 2) raise(kVecTS, (ns.ldt & 0xFFFC) + ext);
        if (!ld.present()) raise(kVecTS, (ns.ldt & 0xFFFC) + ext);
        ldtr.base = ld.base;
        ldtr.limit = ld.limit;
        ldtr.attr = ld.attr;
    }

    if (flags & kVM) {
        // A virtual-8086 task: real-style segments, CPL 3 (20.2.5).
        cpl = 3;
        updateMode();
        for (unsigned s = 0; s < 6; ++s) loadSegmentReal(kSelOrder[s], ns.sel[s]);
        nextRip = rip = ns.eip & 0xFFFF;
        breakFlag_ = true;
        return;
    }

    // CS: a present code segment; its RPL is the new CPL (7.3 step 11, Table 7-1 "#TS").
    const uint16_t cs = ns.sel[1];
    if ((cs & ~3) == 0) raise(kVecTS, ext);
    const Descriptor cd = Descriptor::decode(readDescriptor(cs, kVecTS));
    const unsigned ncpl = cs & 3;
    if (!cd.isCode() || (cd.conforming() ? cd.dpl() > ncpl : cd.dpl() != ncpl)) raise(kVecTS, (cs & 0xFFFC) + ext);
    if (!cd.present()) raise(kVecNP, (cs & 0xFFFC) + ext);
    // SS: a writable data segment at the new CPL.
    const uint16_t ss = ns.sel[2];
    if ((ss & ~3) == 0) raise(kVecTS, ext);
    const Descriptor sd = Descriptor::decode(readDescriptor(ss, kVecTS));
    if ((ss & 3) != ncpl || !sd.writable() || sd.dpl() != ncpl) raise(kVecTS, (ss & 0xFFFC) + ext);
    if (!sd.present()) raise(kVecSS, (ss & 0xFFFC) + ext);
    loadCodeSegment(*this, cs, cd, ncpl);
    seg[SS].base = sd.base;
    seg[SS].limit = sd.limit;
    seg[SS].attr = sd.attr | Segment::kAccessed;
    // DS, ES, FS, GS: null, data or readable code the new CPL may use.
    for (unsigned s : {DS, ES, FS, GS}) {
        const uint16_t v = seg[s].sel;
        if ((v & ~3) == 0) continue;
        const Descriptor d = Descriptor::decode(readDescriptor(v, kVecTS));
        if (!d.isData() && !d.readable()) raise(kVecTS, (v & 0xFFFC) + ext);
        if ((d.isData() || !d.conforming()) && (d.dpl() < ncpl || d.dpl() < (v & 3u))) raise(kVecTS, (v & 0xFFFC) + ext);
        if (!d.present()) raise(kVecNP, (v & 0xFFFC) + ext);
        seg[s].base = d.base;
        seg[s].limit = d.limit;
        seg[s].attr = d.attr | Segment::kAccessed;
    }
    updateMode();
    breakFlag_ = true;
}

void Cpu::farTransferToTask(uint16_t sel, const Descriptor& d, TaskSwitchSource src) {
    // JMP/CALL to a TSS descriptor or a task gate (SDM Vol.2 "JMP"/"CALL", task-switch cases):
    // the descriptor's DPL must admit both CPL and the selector's RPL. A task gate names the TSS
    // in its selector field (7.2.5), which the decoded "base" holds in its low 16 bits.
    const unsigned rpl = sel & 3;
    if (d.dpl() < cpl || d.dpl() < rpl) raise(kVecGP, sel & 0xFFFC);
    uint16_t tss = sel;
    if (d.type() == 5) {
        if (!d.present()) raise(kVecNP, sel & 0xFFFC);
        tss = static_cast<uint16_t>(d.base & 0xFFFF);
    }
    taskSwitch(tss, src, nextRip, 0);
}

}  // namespace pvx::cpu
