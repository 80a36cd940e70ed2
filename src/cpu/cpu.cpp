#include "cpu/cpu.h"

#include <cstdio>

#include "cpu/decode_cache.h"
#include "cpu/decoder.h"
#include "cpu/dispatch_table.h"

namespace pvx::cpu {

Cpu::Cpu(PhysicalMemory& m, PortBus& bus, CpuConfig cfg)
    : walker(m), mem(m), io(bus), cfg_(cfg), dcache_(std::make_unique<DecodeCache>()) {
    mem.setListener(this);
    reset();
}

Cpu::~Cpu() { mem.setListener(nullptr); }

void Cpu::reset() {
    // SDM Vol.3A Table 9-1: processor state following power-up/reset.
    for (auto& r : gpr) r = 0;
    gpr[RDX] = 0x000106A5;  // processor signature, as CPUID.1:EAX reports it (SDM Vol.3A 9.1.4)
    lf = LazyFlags{};
    lf.setEager(0);
    eflags = 2;
    rip = 0xFFF0;
    for (unsigned s = 0; s < 6; ++s) {
        seg[s] = Segment{};
        seg[s].attr = Segment::kP | Segment::kS | Segment::kRW | Segment::kAccessed;
    }
    seg[CS].sel = 0xF000;
    seg[CS].base = 0xFFFF0000;
    seg[CS].attr = Segment::kP | Segment::kS | Segment::kCode | Segment::kRW | Segment::kAccessed;
    gdtr = DescriptorTable{};
    idtr = DescriptorTable{};
    ldtr = Segment{};
    ldtr.attr = Segment::kP | 2;
    tr = Segment{};
    tr.attr = Segment::kP | 11;
    cr0 = cr0::ET | cr0::CD | cr0::NW;
    cr2 = cr3 = cr4 = cr8 = efer = 0;
    for (auto& d : dr) d = 0;
    dr[6] = 0xFFFF0FF0;
    dr[7] = 0x400;
    xcr0 = 1;
    // x87 power-up state (Table 9-1): FCW 0040H, FSW 0, FTW 5555H (every register +0.0).
    x87 = X87State{};
    x87.fcw = 0x0040;
    x87.ftw = 0x5555;
    for (auto& x : xmm) x = Xmm{};
    mxcsr = mxcsr::kReset;
    msr = MsrState{};
    halted = false;
    shadow_ = false;
    shutdown_ = false;
    nmiBlocked_ = false;
    dataBpArmed_ = false;
    dataBpHits_ = 0;
    faultChain[0] = 0;
    updateMode();
    tlb.flushAll();
    dcache_->flush();
    breakFlag_ = true;
}

const char* Cpu::modeName() const {
    switch (mode) {
        case Mode::Real: return "real";
        case Mode::Protected: return seg[CS].db() ? "protected-32" : "protected-16";
        case Mode::V86: return "virtual-8086";
        case Mode::Compat: return "compatibility";
        case Mode::Long64: return "64-bit";
    }
    return "?";
}

void Cpu::updateMode() {
    Mode old = mode;
    if (!(cr0 & cr0::PE)) {
        mode = Mode::Real;
        cpl = 0;
        modeKey_ = kKeyReal16;
    } else if (efer & efer::LMA) {
        mode = seg[CS].l() ? Mode::Long64 : Mode::Compat;
        modeKey_ = mode == Mode::Long64 ? kKeyLong64 : (seg[CS].db() ? kKeyCompat32 : kKeyCompat16);
    } else if (eflags & kVM) {
        mode = Mode::V86;
        cpl = 3;
        modeKey_ = kKeyReal16;
    } else {
        mode = Mode::Protected;
        modeKey_ = seg[CS].db() ? kKeyPm32 : kKeyPm16;
    }
    if (mode != old) breakFlag_ = true;
}

void Cpu::updateBreakConditions() {
    // IF or TF changes must be seen at the next instruction boundary.
    breakFlag_ = true;
}

// ---- segmentation ----

uint64_t Cpu::linearLegacy(unsigned s, uint64_t off, unsigned size, bool write) {
    const Segment& sg = seg[s];
    if (mode != Mode::Real && mode != Mode::V86) {
        if (!sg.present()) raise(s == SS ? kVecSS : kVecGP, 0);  // null or unusable selector
        if (write) {
            if (sg.isCode() || !(sg.attr & Segment::kRW)) raise(s == SS ? kVecSS : kVecGP, 0);
        } else if (sg.isCode() && !(sg.attr & Segment::kRW)) {
            raise(kVecGP, 0);  // execute-only code segment
        }
    }
    const uint64_t last = off + size - 1;
    if (sg.expandDown()) {
        const uint64_t upper = sg.db() ? 0xFFFFFFFFull : 0xFFFFull;
        if (off <= sg.limit || last > upper) raise(s == SS ? kVecSS : kVecGP, 0);
    } else if (last > sg.limit) {
        raise(s == SS ? kVecSS : kVecGP, 0);
    }
    return static_cast<uint32_t>(sg.base + off);
}

// ---- paging and the TLB slow path ----

uint64_t Cpu::translate(uint64_t lin, mmu::Access acc, bool user) {
    const mmu::Tlb::Kind kind = acc == mmu::Access::Read ? mmu::Tlb::Read : acc == mmu::Access::Write ? mmu::Tlb::Write : mmu::Tlb::Exec;
    mmu::TlbEntry& e = tlb.entry(kind, lin);
    const uint64_t key = mmu::Tlb::key(lin, user);
    if ((e.tag & ~mmu::Tlb::kSlowBit) == key) return e.ppage | (lin & 0xFFF);  // cached slow entry
    ++tlb.misses;
    uint64_t paddr;
    bool global = false;
    uint32_t shift = 12;
    if (cr0 & cr0::PG) {
        mmu::PagingRegs regs{cr0, cr3, cr4, efer, msr.pat};
        mmu::WalkResult w = walker.walk(regs, lin, acc, user);
        if (w.fault) {
            ++stats.pageFaults;
            if (debug_) debug_->pageFault(*this, lin, w.errorCode);
            cr2 = lin;
            raise(kVecPF, w.errorCode);
        }
        paddr = w.paddr;
        global = w.global;
        if (w.pageSize > 4096) {
            shift = static_cast<uint32_t>(__builtin_ctzll(w.pageSize));
            tlb.noteLarge(lin, shift);
        }
    } else {
        paddr = lin & 0xFFFFFFFF & mem.a20Mask();
    }
    const uint64_t ppage = paddr & ~0xFFFull;
    PhysicalMemory::PageInfo pi = mem.pageInfo(ppage);
    bool slow = !pi.host;
    if (acc == mmu::Access::Write) slow = slow || !pi.writable || pi.code;
    if (dataBpArmed_ && acc != mmu::Access::Execute && dataBreakpointPage(lin)) slow = true;
    if (debug_ && debug_->watching && acc != mmu::Access::Execute && debug_->watchesPage(lin)) slow = true;
    e.tag = key | (slow ? mmu::Tlb::kSlowBit : 0);
    e.host = pi.host;
    e.ppage = ppage;
    e.flags = global ? mmu::Tlb::kGlobal : 0;
    e.pageShift = shift;
    return paddr;
}

// ---- data breakpoints (SDM Vol.3B 17.2.4-17.2.5) ----

namespace {
// DR7 LEN encoding: 00 one byte, 01 two, 11 four, 10 eight.
constexpr unsigned kBpLen[4] = {1, 2, 8, 4};
}  // namespace

void Cpu::debugRegistersChanged() {
    bool armed = false;
    for (unsigned n = 0; n < 4; ++n) {
        const bool enabled = (dr[7] >> (2 * n)) & 3;
        const unsigned rw = (dr[7] >> (16 + 4 * n)) & 3;
        armed |= enabled && (rw == 1 || rw == 3);
    }
    dataBpArmed_ = armed;
    tlb.flushAll();  // refill so the breakpoints' pages take (or leave) the slow path
    breakFlag_ = true;
}

bool Cpu::dataBreakpointPage(uint64_t lin) const {
    for (unsigned n = 0; n < 4; ++n) {
        const bool enabled = (dr[7] >> (2 * n)) & 3;
        const unsigned rw = (dr[7] >> (16 + 4 * n)) & 3;
        if (enabled && (rw == 1 || rw == 3) && ((dr[n] ^ lin) & ~0xFFFull) == 0) return true;
    }
    return false;
}

void Cpu::noteDataAccess(uint64_t lin, unsigned size, bool write) {
    for (unsigned n = 0; n < 4; ++n) {
        const bool enabled = (dr[7] >> (2 * n)) & 3;
        const unsigned rw = (dr[7] >> (16 + 4 * n)) & 3;
        if (!enabled || !(rw == 3 || (rw == 1 && write))) continue;
        const uint64_t len = kBpLen[(dr[7] >> (18 + 4 * n)) & 3];
        const uint64_t lo = dr[n] & ~(len - 1);  // the breakpoint covers its aligned range
        if (lin < lo + len && lo < lin + size) dataBpHits_ |= static_cast<uint8_t>(1u << n);
    }
}

uint64_t Cpu::readSlow(uint64_t lin, unsigned size, bool user) {
    if (dataBpArmed_) noteDataAccess(lin, size, false);
    if (debug_ && debug_->watching) debug_->dataAccess(*this, lin, size, false);
    if ((lin & 0xFFF) + size > 4096) {
        // Crosses a page: translate both pages first (both may fault), then read bytewise.
        uint64_t p0 = translate(lin, mmu::Access::Read, user);
        uint64_t second = (lin | 0xFFF) + 1;
        uint64_t p1 = translate(second, mmu::Access::Read, user);
        unsigned n0 = static_cast<unsigned>(second - lin);
        uint64_t v = 0;
        for (unsigned k = 0; k < size; ++k) {
            uint64_t b = k < n0 ? mem.read(p0 + k, 1) : mem.read(p1 + (k - n0), 1);
            v |= b << (8 * k);
        }
        return v;
    }
    uint64_t p = translate(lin, mmu::Access::Read, user);
    const mmu::TlbEntry& e = tlb.entry(mmu::Tlb::Read, lin);
    if (e.tag == mmu::Tlb::key(lin, user)) {  // fast entry just filled
        uint64_t v = 0;
        std::memcpy(&v, e.host + (lin & 0xFFF), size);
        return v;
    }
    const uint64_t v = mem.read(p, size);
    if (debug_) debug_->physAccess(*this, p, size, v, false);
    return v;
}

void Cpu::writeSlow(uint64_t lin, unsigned size, uint64_t v, bool user) {
    if (dataBpArmed_) noteDataAccess(lin, size, true);
    if (debug_ && debug_->watching) debug_->dataAccess(*this, lin, size, true);
    if ((lin & 0xFFF) + size > 4096) {
        uint64_t p0 = translate(lin, mmu::Access::Write, user);
        uint64_t second = (lin | 0xFFF) + 1;
        uint64_t p1 = translate(second, mmu::Access::Write, user);
        unsigned n0 = static_cast<unsigned>(second - lin);
        for (unsigned k = 0; k < size; ++k) {
            uint64_t b = (v >> (8 * k)) & 0xFF;
            if (k < n0) mem.write(p0 + k, 1, b);
            else mem.write(p1 + (k - n0), 1, b);
        }
        return;
    }
    uint64_t p = translate(lin, mmu::Access::Write, user);
    const mmu::TlbEntry& e = tlb.entry(mmu::Tlb::Write, lin);
    if (e.tag == mmu::Tlb::key(lin, user)) {
        std::memcpy(e.host + (lin & 0xFFF), &v, size);
        return;
    }
    mem.write(p, size, v);  // MMIO, ROM, or a code page (invalidates its decodes)
    if (debug_) debug_->physAccess(*this, p, size, v, true);
}

void Cpu::readBlockSlow(uint64_t lin, void* dst, unsigned n) {
    const bool user = cpl == 3;
    probeRead(lin, n, user);
    auto* out = static_cast<uint8_t*>(dst);
    unsigned k = 0;
    for (; k + 8 <= n; k += 8) {
        uint64_t v = readLin<uint64_t>(lin + k, user);
        std::memcpy(out + k, &v, 8);
    }
    for (; k < n; ++k) out[k] = readLin<uint8_t>(lin + k, user);
}

void Cpu::writeBlockSlow(uint64_t lin, const void* src, unsigned n) {
    const bool user = cpl == 3;
    probeWrite(lin, n, user);
    const auto* in = static_cast<const uint8_t*>(src);
    unsigned k = 0;
    for (; k + 8 <= n; k += 8) {
        uint64_t v;
        std::memcpy(&v, in + k, 8);
        writeLin<uint64_t>(lin + k, v, user);
    }
    for (; k < n; ++k) writeLin<uint8_t>(lin + k, in[k], user);
}

void Cpu::probeWrite(uint64_t lin, unsigned size, bool user) {
    translate(lin, mmu::Access::Write, user);
    uint64_t last = lin + size - 1;
    if ((last & ~0xFFFull) != (lin & ~0xFFFull)) translate(last, mmu::Access::Write, user);
}

void Cpu::probeRead(uint64_t lin, unsigned size, bool user) {
    translate(lin, mmu::Access::Read, user);
    uint64_t last = lin + size - 1;
    if ((last & ~0xFFFull) != (lin & ~0xFFFull)) translate(last, mmu::Access::Read, user);
}

// ---- memory listener ----

void Cpu::codePageWritten(uint64_t) {
    ++stats.decodeInvalidations;
    breakFlag_ = true;  // the running trace may be the one that was modified
}

void Cpu::codePageMarked(uint64_t pageNumber) { tlb.dropWritesTo(pageNumber << 12); }

void Cpu::memoryMapChanged() {
    tlb.flushAll();
    breakFlag_ = true;
}

// ---- I/O permission (SDM Vol.1 19.5.2) ----

void Cpu::checkIoPermission(uint16_t port, unsigned size) {
    if (mode == Mode::Real) return;
    const unsigned iopl = (eflags & kIOPL) >> 12;
    if (mode != Mode::V86 && cpl <= iopl) return;
    // Consult the I/O permission bitmap in a 32/64-bit TSS.
    const unsigned type = tr.type();
    if (!tr.present() || (type != 9 && type != 11) || tr.limit < 0x67) raise(kVecGP, 0);
    uint16_t bitmapBase = readSys<uint16_t>(tr.base + 0x66);
    uint32_t byteOff = bitmapBase + port / 8;
    if (byteOff + 1 > tr.limit) raise(kVecGP, 0);
    uint16_t bits = readSys<uint16_t>(tr.base + byteOff);
    uint16_t mask = static_cast<uint16_t>(((1u << size) - 1) << (port & 7));
    if (bits & mask) raise(kVecGP, 0);
}

uint64_t Cpu::readTsc() const {
    // The TSC ticks at 1 GHz on the machine clock: with --clock virtual that is retired
    // instructions plus halted time, so it is deterministic.
    const uint64_t ns = clock_ ? clock_->nowNs() : icount;
    return ns + static_cast<uint64_t>(msr.tscOffset);
}

// ---- the PV escape ----

bool Cpu::escape(bool fromDoorbell) {
    ++stats.escapes;
    if (!escape_ || !cfg_.pvEnabled) raise(kVecUD);
    if (!fromDoorbell && cpl != 0 && !cfg_.pvUserAllowed) raise(kVecUD);
    EscapeRegs r{gpr[RAX], gpr[RBX], gpr[RCX], gpr[RDX], gpr[RSI], gpr[RDI], gpr[R8], fromDoorbell, cpl};
    // Outside 64-bit mode (and always for the doorbell) the ABI uses the 32-bit registers, as
    // KVM's hypercall ABI does (docs/pvabi.md): upper halves are neither read nor written.
    const bool narrow = fromDoorbell || mode != Mode::Long64;
    if (narrow) {
        r.rax = static_cast<uint32_t>(r.rax);
        r.rbx = static_cast<uint32_t>(r.rbx);
        r.rcx = static_cast<uint32_t>(r.rcx);
        r.rdx = static_cast<uint32_t>(r.rdx);
        r.rsi = static_cast<uint32_t>(r.rsi);
        r.rdi = static_cast<uint32_t>(r.rdi);
        r.r8 = 0;
    }
    const uint64_t call = r.rax;
    EscapeOutcome o = escape_->escape(r);
    if (debug_) debug_->escapeCall(*this, call, r.rax, static_cast<int>(o));
    if (o == EscapeOutcome::Undefined) raise(kVecUD);
    auto put = [&](unsigned reg, uint64_t v) {
        if (narrow) gpr[reg] = (gpr[reg] & ~0xFFFFFFFFull) | static_cast<uint32_t>(v);
        else gpr[reg] = v;
    };
    put(RAX, r.rax);
    put(RBX, r.rbx);
    put(RCX, r.rcx);
    put(RDX, r.rdx);
    put(RSI, r.rsi);
    put(RDI, r.rdi);
    if (!narrow) gpr[R8] = r.r8;
    breakFlag_ = true;
    return o == EscapeOutcome::Done;
}

// ---- the run loop ----

// NMI: taken at an instruction boundary whatever EFLAGS.IF says, unless an earlier NMI's handler
// has not yet executed IRET (SDM Vol.3A 6.7.1); it wakes a halted CPU.
bool Cpu::deliverNmi() {
    if (!intr_ || nmiBlocked_ || !intr_->nmiPending()) return false;
    intr_->acknowledgeNmi();
    halted = false;
    if (debug_) debug_->interrupt(*this, kVecNMI, true);
    ++stats.interrupts;
    deliver(kVecNMI, false, 0, false, true);
    nmiBlocked_ = true;
    return true;
}

bool Cpu::deliverPendingInterrupt() {
    if (deliverNmi()) return true;
    if (!intr_ || !(eflags & kIF)) return false;
    if (!intr_->pending()) return false;
    uint8_t v = intr_->acknowledge();
    halted = false;
    if (debug_) debug_->interrupt(*this, v, false);
    ++stats.interrupts;
    deliver(v, false, 0, false, true);
    return true;
}

void Cpu::handleFault(const CpuFault& f) {
    ++stats.exceptions;
    nextRip = rip;
    uint8_t v = f.vector;
    bool hasErr = f.hasError;
    uint32_t err = f.error;
    // SDM Vol.3A 6.15 Table 6-5: a second fault while delivering the first may become #DF, and a
    // fault while delivering #DF shuts the processor down.
    auto contributory = [](uint8_t x) { return x == kVecDE || (x >= kVecTS && x <= kVecGP); };
    char* chain = faultChain;
    size_t used = 0;
    chain[0] = 0;
    for (int depth = 0; depth < 3; ++depth) {
        used += static_cast<size_t>(std::snprintf(chain + used, sizeof faultChain - used, "%s#%u(%x)", depth ? " -> " : "", v, hasErr ? err : 0));
        if (used >= sizeof faultChain) used = sizeof faultChain - 1;
        if (debug_) debug_->exception(*this, v, hasErr, err);
        try {
            deliver(v, hasErr, err, false, false);
            return;
        } catch (const CpuFault& g) {
            ++stats.exceptions;
            if (v == kVecDF) break;
            bool df = (contributory(v) && contributory(g.vector)) ||
                      (v == kVecPF && (contributory(g.vector) || g.vector == kVecPF));
            if (df) {
                v = kVecDF;
                hasErr = true;
                err = 0;
            } else {
                v = g.vector;
                hasErr = g.hasError;
                err = g.error;
            }
        }
    }
    ++stats.tripleFaults;
    shutdown_ = true;
    breakFlag_ = true;
}

Cpu::Stop Cpu::run(uint64_t untilIcount) {
    stopRequested_ = false;
    breakFlag_ = true;
    while (true) {
        try {
            while (icount < untilIcount) {
                if (breakFlag_) {
                    breakFlag_ = false;
                    if (stopRequested_) return Stop::Event;
                    if (shutdown_) return Stop::Shutdown;
                    if (shadow_) {
                        // STI / MOV SS shadow: one more instruction before interrupts (SDM Vol.3A 6.8.3).
                        shadow_ = false;
                        breakFlag_ = true;
                    } else if (deliverPendingInterrupt()) {
                        breakFlag_ = true;
                        continue;
                    }
                    if (halted) return Stop::Halted;
                }
                // Fetch: CS limit (SDM Vol.3A 5.3), then the execute TLB.
                if (mode != Mode::Long64 && rip > seg[CS].limit) raise(kVecGP, 0);
                const uint64_t lin = mode == Mode::Long64 ? rip : static_cast<uint32_t>(seg[CS].base + rip);
                const bool user = cpl == 3;
                const mmu::TlbEntry* e = &tlb.entry(mmu::Tlb::Exec, lin);
                if (e->tag != mmu::Tlb::key(lin, user)) {
                    translate(lin, mmu::Access::Execute, user);
                    e = &tlb.entry(mmu::Tlb::Exec, lin);
                }
                const uint64_t paddr = e->ppage | (lin & 0xFFF);
                DecodeCache::Trace* t = nullptr;
                if (e->host) {
                    const uint32_t gen = mem.pageGeneration(paddr);
                    t = dcache_->find(paddr, modeKey_, gen);
                    if (t) {
                        ++stats.decodeHits;
                    } else {
                        ++stats.decodeMisses;
                        t = dcache_->build(paddr, modeKey_, gen, e->host + (lin & 0xFFF), 4096 - (lin & 0xFFF));
                        if (t) mem.markCode(paddr);
                    }
                }
                if (!t) {
                    // An instruction crossing a page (or fetched from MMIO): decode it uncached.
                    uint8_t bytes[15];
                    for (unsigned k = 0; k < 15; ++k) {
                        uint64_t a = mode == Mode::Long64 ? lin + k : static_cast<uint32_t>(lin + k);
                        uint64_t p = translate(a, mmu::Access::Execute, user);
                        bytes[k] = static_cast<uint8_t>(mem.read(p, 1));
                        DecodedInsn tmp;
                        if (decodeInstruction(bytes, k + 1, static_cast<ModeKey>(modeKey_), tmp) == DecodeStatus::Ok) {
                            ++stats.decodeMisses;
                            if ((eflags & kTF) || (dr[7] & 0xFF) || (debug_ && debug_->stepAll)) executeStepped(tmp, lin);
                            else executeOne(tmp);
                            break;
                        }
                    }
                    continue;
                }
                const DecodedInsn* p = dcache_->insns(*t);
                if (__builtin_expect((eflags & kTF) || (dr[7] & 0xFF) || (debug_ && debug_->stepAll), 0)) {
                    executeStepped(p[0], lin);
                    continue;
                }
                uint64_t n = t->count;
                if (untilIcount - icount < n) n = untilIcount - icount;
                for (uint64_t k = 0; k < n; ++k) {
                    const DecodedInsn& i = p[k];
                    nextRip = rip + i.len;
                    i.fn(*this, i);
                    rip = nextRip;
                    ++icount;
                    if (breakFlag_) break;
                }
            }
            return Stop::Budget;
        } catch (const CpuFault& f) {
            handleFault(f);
        }
    }
}

// One instruction with the debug facilities armed (SDM Vol.3B 17.3): an enabled execute
// breakpoint on this linear address faults before it runs (unless EFLAGS.RF), and a set TF traps
// after it completes. Both report in DR6. Only reached while TF or a DR7 enable bit is set.
void Cpu::executeStepped(const DecodedInsn& i, uint64_t linearRip) {
    // A debugger's breakpoint or finished single step: stop before the instruction.
    if (debug_ && debug_->stepAll && debug_->beforeInsn(*this, i, linearRip)) {
        requestStop();
        return;
    }
    const uint64_t dr7 = dr[7];
    if ((dr7 & 0xFF) && !(eflags & kRF)) {
        uint64_t hits = 0;
        for (unsigned n = 0; n < 4; ++n) {
            const bool enabled = (dr7 >> (2 * n)) & 3;
            const unsigned rw = (dr7 >> (16 + 4 * n)) & 3;  // 00: instruction execution
            if (enabled && rw == 0 && dr[n] == linearRip) hits |= 1ull << n;
        }
        if (hits) {
            dr[6] = (dr[6] & ~0xFull) | hits;
            raise(kVecDB);  // a fault: RIP stays on the instruction
        }
    }
    // INT n/INT3/INTO/INT1 clear TF for their handler and raise no single-step trap.
    const bool softInt = i.op == OP_INT_Ib || i.op == OP_INT3 || i.op == OP_INTO || i.op == OP_INT1;
    const bool trap = (eflags & kTF) && !softInt;
    dataBpHits_ = 0;
    executeOne(i);
    if (debug_) debug_->afterInsn(*this, i, linearRip);
    if (i.op != OP_IRET) eflags &= ~kRF;  // cleared after each instruction, except IRET that loads it
    // Data breakpoints are traps (the instruction completed): B0-B3 name every one that hit,
    // and a single step at the same time adds BS to the same #DB (SDM Vol.3B 17.2.3, 17.3.1.2).
    const uint8_t hits = dataBpHits_;
    dataBpHits_ = 0;
    if (trap || hits) {
        if (hits) dr[6] = (dr[6] & ~0xFull) | hits;
        if (trap) dr[6] |= 0x4000;  // BS: single step
        deliver(kVecDB, false, 0, false, false);
    }
    breakFlag_ = true;  // re-evaluate TF/DR7 and pending interrupts before the next one
}

void Cpu::executeOne(const DecodedInsn& i) {
    nextRip = rip + i.len;
    i.fn(*this, i);
    rip = nextRip;
    ++icount;
}

}  // namespace pvx::cpu
