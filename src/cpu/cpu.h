// One x86-64 CPU: the architectural state, the decode cache, the memory-access fast paths and
// the run loop. Instruction semantics live in cpu/insn/*.cpp as free functions over Cpu&.
//
// Execution model (ARCHITECTURE.md "Data flow of one guest instruction"): the run loop looks up a
// trace of decoded instructions by the physical address of RIP, runs its handlers back to back,
// and checks for pending events (interrupts, exit requests, SMC) between instructions through
// one flag. A fault is a C++ throw of CpuFault from inside a handler before any state changed;
// the loop catches it and delivers the exception through the IDT.
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>

#include "common/clock.h"
#include "common/escape.h"
#include "common/ferr_listener.h"
#include "common/interrupt_source.h"
#include "common/local_apic_link.h"
#include "common/port_bus.h"
#include "cpu/cpu_state.h"
#include "cpu/debug_hooks.h"
#include "cpu/decoded_insn.h"
#include "cpu/exceptions.h"
#include "cpu/fpu_state.h"
#include "mmu/page_walker.h"
#include "mmu/phys_memory.h"
#include "mmu/tlb.h"

namespace pvx::cpu {

class DecodeCache;

// Counters exported to --stats.
struct CpuStats {
    uint64_t exceptions = 0, interrupts = 0, pageFaults = 0;
    uint64_t decodeHits = 0, decodeMisses = 0, decodeInvalidations = 0, decodeFlushes = 0;
    uint64_t escapes = 0, halts = 0, tripleFaults = 0;
};

struct CpuConfig {
    bool pvEnabled = true;        // the escape and the hypervisor CPUID leaves exist
    bool pvUserAllowed = false;   // escape allowed at CPL > 0
    uint16_t pvDoorbellPort = 0;  // advertised in CPUID 0x40000001 (0: none)
    uint32_t pvFeatures = 0;      // CPUID 0x40000001 EAX
    uint32_t pvAbiVersion = 0;    // CPUID 0x40000001 ECX
    uint32_t pvMaxBatch = 0;      // CPUID 0x40000002 EAX
    char pvSignature[13] = "pvxPVXpvxPVX";
    bool apic = false;            // CPUID.1:EDX.APIC (a local APIC is on the board)
};

// CR8: with a local APIC it is TPR[7:4] (SDM Vol.3A 10.8.6.1), so reads and writes go to the
// APIC; without one it is plain storage. A class so that `c.cr8` in the MOV CR handlers reaches
// the APIC as it is.
class Cr8Register {
public:
    operator uint64_t() const { return apic_ ? apic_->readCr8() : value_; }
    Cr8Register& operator=(uint64_t v) {
        if (apic_) apic_->writeCr8(v);
        else value_ = v;
        return *this;
    }
    void connect(LocalApicLink* apic) { apic_ = apic; }

private:
    LocalApicLink* apic_ = nullptr;
    uint64_t value_ = 0;
};

class Cpu final : public MemoryListener {
public:
    Cpu(PhysicalMemory& mem, PortBus& io, CpuConfig cfg = {});
    ~Cpu() override;

    // Power-on / RESET# state (SDM Vol.3A 9.1.1).
    void reset();

    enum class Stop { Budget, Halted, Shutdown, Event };
    // Runs until `icount` reaches `untilIcount`, the CPU halts, shuts down (triple fault), or
    // requestStop() is called.
    Stop run(uint64_t untilIcount);
    void requestStop() { stopRequested_ = true; breakFlag_ = true; }
    // Called by interrupt controllers when INTR may have changed.
    void kick() { breakFlag_ = true; }

    void setInterruptSource(InterruptSource* s) { intr_ = s; }
    void setEscapeHandler(EscapeHandler* h) { escape_ = h; }
    // The local APIC behind IA32_APIC_BASE and CR8 (null: no APIC, both plain state).
    void setLocalApic(LocalApicLink* apic) { apic_ = apic; cr8.connect(apic); }
    // The TSC runs at 1 GHz on the machine clock (so it stops in virtual time while nothing runs).
    void setClock(const Clock* c) { clock_ = c; }
    // A debugger/tracer (debug/): null unless attached, see cpu/debug_hooks.h.
    void setDebugHooks(DebugHooks* h) { debug_ = h; breakFlag_ = true; }
    const CpuConfig& config() const { return cfg_; }

    // ---- architectural state (public: instruction handlers are free functions) ----
    uint64_t gpr[16] = {};
    uint64_t rip = 0;
    uint64_t nextRip = 0;  // RIP of the following instruction while a handler runs
    LazyFlags lf;
    uint32_t eflags = 2;   // all bits except OSZAPC (bit 1 always set)
    Segment seg[6];
    DescriptorTable gdtr, idtr;
    Segment ldtr, tr;
    uint64_t cr0 = 0, cr2 = 0, cr3 = 0, cr4 = 0, efer = 0;
    Cr8Register cr8;
    uint64_t dr[8] = {};
    uint64_t xcr0 = 1;
    X87State x87;
    FerrListener* ferr = nullptr;  // x87 FERR# pin (CR0.NE = 0 error reporting), set by the machine
    Xmm xmm[16] = {};
    uint32_t mxcsr = mxcsr::kReset;
    MsrState msr;
    Mode mode = Mode::Real;
    unsigned cpl = 0;
    bool halted = false;
    uint64_t icount = 0;  // instructions retired
    CpuStats stats;
    mmu::Tlb tlb;
    mmu::PageWalker walker;
    PhysicalMemory& mem;
    PortBus& io;

    // ---- flags ----
    uint32_t getFlags() const { return eflags | lf.get(); }
    void setFlags(uint32_t f) {  // raw: caller applies privilege masks
        lf.setEager(f);
        eflags = (f & ~kArithFlags) | 2;
        updateBreakConditions();
    }

    // ---- registers ----
    template <typename T> T reg(unsigned r) const { return static_cast<T>(gpr[r]); }
    template <typename T> void setReg(unsigned r, T v) {
        if constexpr (sizeof(T) == 4) gpr[r] = static_cast<uint32_t>(v);  // 32-bit writes zero-extend
        else if constexpr (sizeof(T) == 8) gpr[r] = v;
        else std::memcpy(&gpr[r], &v, sizeof(T));
    }
    // Byte registers are addressed by byte offset into gpr[] (AH = offset 1), precomputed at decode.
    uint8_t reg8(unsigned off) const { return reinterpret_cast<const uint8_t*>(gpr)[off]; }
    void setReg8(unsigned off, uint8_t v) { reinterpret_cast<uint8_t*>(gpr)[off] = v; }

    // ---- memory ----
    uint64_t effectiveAddress(const DecodedInsn& i) const {
        uint64_t ea = static_cast<uint64_t>(static_cast<int64_t>(i.disp));
        if (i.base != DecodedInsn::kNoReg) ea += i.base == DecodedInsn::kRipBase ? nextRip : gpr[i.base];
        if (i.index != DecodedInsn::kNoReg) ea += gpr[i.index] << i.scale;
        if (i.asz == 4) ea = static_cast<uint32_t>(ea);
        else if (i.asz == 2) ea = static_cast<uint16_t>(ea);
        return ea;
    }
    // Segmentation (SDM Vol.3A 5.3): checks the limit/rights and returns the linear address.
    uint64_t linear(unsigned s, uint64_t off, unsigned size, bool write) {
        if (mode == Mode::Long64) {
            uint64_t lin = off + (s >= FS ? seg[s].base : 0);
            if (!isCanonical(lin)) raise(s == SS ? kVecSS : kVecGP, 0);
            return lin;
        }
        return linearLegacy(s, off, size, write);
    }
    static bool isCanonical(uint64_t a) { return static_cast<uint64_t>((static_cast<int64_t>(a) << 16) >> 16) == a; }

    template <typename T> T readLin(uint64_t lin, bool user) {
        const mmu::TlbEntry& e = tlb.entry(mmu::Tlb::Read, lin);
        if (__builtin_expect(e.tag == mmu::Tlb::key(lin, user) && (lin & 0xFFF) <= 4096 - sizeof(T), 1)) {
            ++tlb.hits;
            T v;
            std::memcpy(&v, e.host + (lin & 0xFFF), sizeof(T));
            return v;
        }
        return static_cast<T>(readSlow(lin, sizeof(T), user));
    }
    template <typename T> void writeLin(uint64_t lin, T v, bool user) {
        const mmu::TlbEntry& e = tlb.entry(mmu::Tlb::Write, lin);
        if (__builtin_expect(e.tag == mmu::Tlb::key(lin, user) && (lin & 0xFFF) <= 4096 - sizeof(T), 1)) {
            ++tlb.hits;
            std::memcpy(e.host + (lin & 0xFFF), &v, sizeof(T));
            return;
        }
        writeSlow(lin, sizeof(T), static_cast<uint64_t>(v), user);
    }
    template <typename T> T read(unsigned s, uint64_t off) { return readLin<T>(linear(s, off, sizeof(T), false), cpl == 3); }
    template <typename T> void write(unsigned s, uint64_t off, T v) { writeLin<T>(linear(s, off, sizeof(T), true), v, cpl == 3); }
    // Read-modify-write: checks write access first, so a fault leaves memory untouched.
    template <typename T> uint64_t rmwLinear(unsigned s, uint64_t off) {
        uint64_t lin = linear(s, off, sizeof(T), true);
        probeWrite(lin, sizeof(T), cpl == 3);
        return lin;
    }
    // Multi-byte operands (SSE m128, x87 m80 and environments, FXSAVE/XSAVE images): segment and
    // page checks cover every byte before any byte moves, so a fault leaves memory unchanged.
    // `lin` variants take an address that linear() already produced.
    void readBlock(unsigned s, uint64_t off, void* dst, unsigned n) { readBlockLin(linear(s, off, n, false), dst, n); }
    void writeBlock(unsigned s, uint64_t off, const void* src, unsigned n) { writeBlockLin(linear(s, off, n, true), src, n); }
    void readBlockLin(uint64_t lin, void* dst, unsigned n) {
        const mmu::TlbEntry& e = tlb.entry(mmu::Tlb::Read, lin);
        if (__builtin_expect(e.tag == mmu::Tlb::key(lin, cpl == 3) && (lin & 0xFFF) + n <= 4096, 1)) {
            ++tlb.hits;
            std::memcpy(dst, e.host + (lin & 0xFFF), n);
            return;
        }
        readBlockSlow(lin, dst, n);
    }
    void writeBlockLin(uint64_t lin, const void* src, unsigned n) {
        const mmu::TlbEntry& e = tlb.entry(mmu::Tlb::Write, lin);
        if (__builtin_expect(e.tag == mmu::Tlb::key(lin, cpl == 3) && (lin & 0xFFF) + n <= 4096, 1)) {
            ++tlb.hits;
            std::memcpy(e.host + (lin & 0xFFF), src, n);
            return;
        }
        writeBlockSlow(lin, src, n);
    }
    // Supervisor-mode (implicit) accesses: descriptor tables, TSS, IDT (SDM Vol.3A 4.6).
    template <typename T> T readSys(uint64_t lin) { return readLin<T>(lin, false); }
    template <typename T> void writeSys(uint64_t lin, T v) { writeLin<T>(lin, v, false); }
    // Faults now if a write of `size` bytes at `lin` would fault (all pages it touches).
    void probeWrite(uint64_t lin, unsigned size, bool user);
    void probeRead(uint64_t lin, unsigned size, bool user);

    // ---- stack (SDM Vol.3A 6.12, Vol.1 6.2) ----
    unsigned stackAddrSize() const { return mode == Mode::Long64 ? 8 : (seg[SS].db() ? 4 : 2); }
    uint64_t rspMasked(uint64_t v) const {
        unsigned s = stackAddrSize();
        return s == 8 ? v : s == 4 ? static_cast<uint32_t>(v) : static_cast<uint16_t>(v);
    }
    void setRspSized(uint64_t v) {
        unsigned s = stackAddrSize();
        if (s == 8) gpr[RSP] = v;
        else if (s == 4) gpr[RSP] = static_cast<uint32_t>(v);
        else gpr[RSP] = (gpr[RSP] & ~0xFFFFull) | (v & 0xFFFF);
    }
    template <typename T> void push(T v) {
        uint64_t sp = rspMasked(gpr[RSP] - sizeof(T));
        write<T>(SS, sp, v);
        setRspSized(sp);
    }
    template <typename T> T pop() {
        uint64_t sp = rspMasked(gpr[RSP]);
        T v = read<T>(SS, sp);
        setRspSized(sp + sizeof(T));
        return v;
    }
    // Reads at RSP+offset without moving it (POP with a faulting destination, IRET, RET far).
    template <typename T> T peek(uint64_t offset) { return read<T>(SS, rspMasked(gpr[RSP] + offset)); }

    // ---- I/O (SDM Vol.1 19.5: IOPL and the TSS I/O permission bitmap) ----
    void checkIoPermission(uint16_t port, unsigned size);
    uint32_t portIn(uint16_t port, unsigned size) { checkIoPermission(port, size); return io.read(port, size); }
    // Returns false when the write was a PV doorbell whose call must be re-executed.
    bool portOut(uint16_t port, unsigned size, uint32_t v) {
        checkIoPermission(port, size);
        // No trace break here: a device that changes INTR calls kick(), an exit/reset request
        // calls requestStop(), an A20 change remaps memory -- each sets the break flag itself.
        if (port == cfg_.pvDoorbellPort && cfg_.pvDoorbellPort && cfg_.pvEnabled && escape_) return escape(true);
        io.write(port, size, v);
        return true;
    }

    // ---- control transfer ----
    void jumpNear(uint64_t target, unsigned osz) {
        if (osz == 2) target &= 0xFFFF;
        else if (osz == 4) target &= 0xFFFFFFFF;
        else if (!isCanonical(target)) raise(kVecGP, 0);
        if (mode != Mode::Long64 && target > seg[CS].limit) raise(kVecGP, 0);
        nextRip = target;
    }
    // Segment loads and far transfers (cpu/segmentation.cpp, cpu/far_transfer.cpp).
    void loadSegment(unsigned s, uint16_t sel);
    void loadSegmentReal(unsigned s, uint16_t sel);
    uint64_t readDescriptor(uint16_t sel, unsigned vecOnFault);  // raw 8 bytes; faults on limit
    void markDescriptorAccessed(uint16_t sel, uint64_t raw);
    void farJump(uint16_t sel, uint64_t offset, unsigned osz);
    void farCall(uint16_t sel, uint64_t offset, unsigned osz);
    void farReturn(unsigned osz, uint16_t popBytes);
    void interruptReturn(unsigned osz);
    void softwareInterrupt(uint8_t vector, bool isInt3OrInto, bool isInt1);
    // Hardware task switches (cpu/task_switch.cpp, SDM Vol.3A 7.3). `returnEip` is what the old
    // task's TSS saves; `ext` the EXT bit of error codes raised on the way.
    enum class TaskSwitchSource { Jmp, Call, Iret, Interrupt };
    void taskSwitch(uint16_t tssSel, TaskSwitchSource src, uint64_t returnEip, uint32_t ext);
    void farTransferToTask(uint16_t sel, const struct Descriptor& d, TaskSwitchSource src);

    // ---- system ----
    void writeCr0(uint64_t v);
    void writeCr3(uint64_t v);
    void writeCr4(uint64_t v);
    void writeEfer(uint64_t v);
    uint64_t readMsr(uint32_t index);
    void writeMsr(uint32_t index, uint64_t v);
    void cpuid(uint32_t leaf, uint32_t sub, uint32_t out[4]);
    uint64_t readTsc() const;
    void updateMode();  // recompute mode/cpl/code size after CR0/EFER/CS/EFLAGS.VM changes
    void flushTlb() { tlb.flushAll(); }
    void invalidatePage(uint64_t lin) { tlb.flushPage(lin); }
    bool escape(bool fromDoorbell);  // returns false if the instruction must not advance RIP
    // DR0-DR3/DR7 changed: re-arm data breakpoints (SDM Vol.3B 17.2.4).
    void debugRegistersChanged();
    // Ends the current trace after this instruction (mode change, CR write, interrupt flag).
    void endTrace() { breakFlag_ = true; }
    void setInterruptShadow() { shadow_ = true; breakFlag_ = true; }
    void halt() { halted = true; breakFlag_ = true; }

    // Exception / interrupt delivery (cpu/interrupts.cpp).
    void deliver(uint8_t vector, bool hasError, uint32_t error, bool software, bool external);

    // MemoryListener
    void codePageWritten(uint64_t pageNumber) override;
    void codePageMarked(uint64_t pageNumber) override;
    void memoryMapChanged() override;

    uint8_t codeModeKey() const { return modeKey_; }
    const char* modeName() const;

private:
    uint64_t linearLegacy(unsigned s, uint64_t off, unsigned size, bool write);
    uint64_t readSlow(uint64_t lin, unsigned size, bool user);
    void noteDataAccess(uint64_t lin, unsigned size, bool write);
    bool dataBreakpointPage(uint64_t lin) const;
    bool deliverNmi();
    void writeSlow(uint64_t lin, unsigned size, uint64_t v, bool user);
    void readBlockSlow(uint64_t lin, void* dst, unsigned n);
    void writeBlockSlow(uint64_t lin, const void* src, unsigned n);
    // Translates one page-contained access, filling the TLB; returns the physical address.
    uint64_t translate(uint64_t lin, mmu::Access acc, bool user);
    void updateBreakConditions();
    bool deliverPendingInterrupt();
    void handleFault(const CpuFault& f);
    void executeOne(const DecodedInsn& i);
    void executeStepped(const DecodedInsn& i, uint64_t linearRip);

    CpuConfig cfg_;
    InterruptSource* intr_ = nullptr;
    EscapeHandler* escape_ = nullptr;
    LocalApicLink* apic_ = nullptr;
    const Clock* clock_ = nullptr;
    DebugHooks* debug_ = nullptr;
    std::unique_ptr<DecodeCache> dcache_;
    bool breakFlag_ = false;
    bool stopRequested_ = false;
    bool shadow_ = false;
    bool shutdown_ = false;
    // NMI handling (SDM Vol.3A 6.7.1): a delivered NMI blocks further NMIs until the next IRET.
    bool nmiBlocked_ = false;
    // Data breakpoints: armed when DR7 enables one with R/W = 01 or 11; accesses to their pages
    // take the TLB slow path, which records hits here for a #DB trap after the instruction.
    bool dataBpArmed_ = false;
    uint8_t dataBpHits_ = 0;
    uint8_t modeKey_ = 0;
    // Double/triple fault tracking (SDM Vol.3A 6.15, Table 6-5).
    int deliveryDepth_ = 0;
    uint8_t firstVector_ = 0xFF;
    friend class DecodeCache;

public:
    // For shutdown messages: the chain of faults that led to a triple fault.
    char faultChain[128] = {};
    bool isShutdown() const { return shutdown_; }
    bool nmiBlocked() const { return nmiBlocked_; }
    void clearNmiBlocking() { nmiBlocked_ = false; }  // IRET (SDM Vol.3A 6.7.1)
};

}  // namespace pvx::cpu
