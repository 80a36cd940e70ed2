#include "debug/tracer.h"

#include <cinttypes>
#include <cstdarg>

#include "cpu/cpu.h"
#include "debug/disassembler.h"
#include "debug/guest_memory.h"
#include "machine/machine.h"
#include "pvabi/dispatcher.h"

namespace pvx::debug {

namespace {
const char* kGprNames[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                             "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
const char* kSegNames[6] = {"es", "cs", "ss", "ds", "fs", "gs"};
const char* kCrNames[5] = {"cr0", "cr2", "cr3", "cr4", "efer"};

// Exception mnemonics (SDM Vol.3A Table 6-1).
const char* vectorName(uint8_t v) {
    static const char* kNames[32] = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS",
                                     "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP"};
    return v < 32 && kNames[v] ? kNames[v] : "#?";
}

// Short mode names: r16, v86, p16/p32 (protected), c16/c32 (compatibility), l64.
const char* modeTag(const cpu::Cpu& c) {
    switch (c.mode) {
        case cpu::Mode::Real: return "r16";
        case cpu::Mode::V86: return "v86";
        case cpu::Mode::Protected: return c.seg[cpu::CS].db() ? "p32" : "p16";
        case cpu::Mode::Compat: return c.seg[cpu::CS].db() ? "c32" : "c16";
        case cpu::Mode::Long64: return "l64";
    }
    return "?";
}

unsigned codeBits(const cpu::Cpu& c) {
    if (c.mode == cpu::Mode::Long64) return 64;
    if (c.mode == cpu::Mode::Real || c.mode == cpu::Mode::V86) return 16;
    return c.seg[cpu::CS].db() ? 32 : 16;
}

uint64_t crValue(const cpu::Cpu& c, unsigned k) {
    switch (k) {
        case 0: return c.cr0;
        case 1: return c.cr2;
        case 2: return c.cr3;
        case 3: return c.cr4;
        default: return c.efer;
    }
}
}  // namespace

Tracer::Tracer(Machine& m, const TraceOptions& o, std::FILE* out) : m_(m), opts_(o), out_(out) {
    if (on(trace::kIo)) m_.ports().setTrace(&Tracer::ioHook, this);
}

Tracer::~Tracer() {
    if (on(trace::kIo)) m_.ports().setTrace(nullptr, nullptr);
    flushPendingInsn(" ; (stopped)");
    std::fflush(out_);
}

bool Tracer::wantsStep() const {
    if (!on(trace::kInsn | trace::kMmu)) return false;
    return opts_.count == 0 || m_.cpu().icount - opts_.after < opts_.count || m_.cpu().icount < opts_.after;
}

void Tracer::flushPendingInsn(const char* suffix) {
    if (!pending_) return;
    pending_ = false;
    std::fprintf(out_, "%s%s\n", line_.c_str(), suffix);
    std::fputs(deferred_.c_str(), out_);
    deferred_.clear();
}

void Tracer::event(const char* fmt, ...) {
    char b[512];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    // Events inside a traced instruction follow its line (which waits for the changed registers).
    if (pending_) deferred_ += b;
    else std::fputs(b, out_);
}

void Tracer::beforeInsn(cpu::Cpu& c, const cpu::DecodedInsn& i, uint64_t lin) {
    flushPendingInsn("");
    flushes_ = c.tlb.flushes;
    pageFlushes_ = c.tlb.pageFlushes;
    if (!on(trace::kInsn) || !inWindow(c.icount) || lin < opts_.rangeLo || lin > opts_.rangeHi) return;
    uint8_t bytes[16] = {};
    const size_t n = debugReadLinear(c, lin, bytes, i.len);
    unsigned len = 0;
    const std::string text = disassemble(bytes, n, codeBits(c), lin, len);
    char head[96];
    std::snprintf(head, sizeof head, "insn %" PRIu64 " %s %" PRIx64 ":", c.icount, modeTag(c), lin);
    line_ = head;
    for (size_t k = 0; k < n; ++k) {
        char b[4];
        std::snprintf(b, sizeof b, " %02x", bytes[k]);
        line_ += b;
    }
    line_ += "  " + text;
    for (unsigned r = 0; r < 16; ++r) gpr_[r] = c.gpr[r];
    flags_ = c.getFlags();
    for (unsigned s = 0; s < 6; ++s) sel_[s] = c.seg[s].sel;
    for (unsigned k = 0; k < 5; ++k) cr_[k] = crValue(c, k);
    pending_ = true;
}

void Tracer::afterInsn(cpu::Cpu& c, const cpu::DecodedInsn& i, uint64_t) {
    if (pending_) {
        // The registers the instruction changed (RIP always does; the next line shows it).
        std::string changes;
        char b[64];
        for (unsigned r = 0; r < 16; ++r)
            if (c.gpr[r] != gpr_[r]) {
                std::snprintf(b, sizeof b, " %s=%" PRIx64, kGprNames[r], c.gpr[r]);
                changes += b;
            }
        if (c.getFlags() != flags_) {
            std::snprintf(b, sizeof b, " rflags=%x", c.getFlags());
            changes += b;
        }
        for (unsigned s = 0; s < 6; ++s)
            if (c.seg[s].sel != sel_[s]) {
                std::snprintf(b, sizeof b, " %s=%x", kSegNames[s], c.seg[s].sel);
                changes += b;
            }
        for (unsigned k = 0; k < 5; ++k)
            if (crValue(c, k) != cr_[k]) {
                std::snprintf(b, sizeof b, " %s=%" PRIx64, kCrNames[k], crValue(c, k));
                changes += b;
            }
        flushPendingInsn(changes.empty() ? "" : (" ;" + changes).c_str());
    }
    if (on(trace::kMmu) && inWindow(c.icount - 1)) {
        if (c.tlb.pageFlushes != pageFlushes_ && i.isMem()) {
            // INVLPG m (SDM Vol.2 INVLPG): the operand's linear address; nextRip is still this
            // instruction's, so a RIP-relative operand resolves as it did.
            const unsigned s = i.seg;
            const uint64_t base = c.mode == cpu::Mode::Long64 ? (s >= cpu::FS ? c.seg[s].base : 0) : c.seg[s].base;
            uint64_t lin = base + c.effectiveAddress(i);
            if (c.mode != cpu::Mode::Long64) lin = static_cast<uint32_t>(lin);
            DebugTranslation t;
            if (debugTranslate(c, lin, t))
                event("mmu %" PRIu64 " invlpg %" PRIx64 " -> %" PRIx64 " %s\n", c.icount - 1, lin, t.paddr,
                             mmu::memTypeName(t.memType));
            else
                event("mmu %" PRIu64 " invlpg %" PRIx64 " -> unmapped\n", c.icount - 1, lin);
        } else if (c.tlb.flushes != flushes_) {
            event("mmu %" PRIu64 " tlb-flush cr3=%" PRIx64 " cr4=%" PRIx64 "\n", c.icount - 1, c.cr3, c.cr4);
        }
    }
}

void Tracer::exception(cpu::Cpu& c, uint8_t vector, bool hasError, uint32_t error) {
    flushPendingInsn(" ; faulted");
    if (!on(trace::kExc) || !inWindow(c.icount)) return;
    char err[24] = "";
    if (hasError) std::snprintf(err, sizeof err, " error=%x", error);
    event("exc %" PRIu64 " %s vector=%u%s cs:rip=%04x:%" PRIx64 "\n", c.icount, vectorName(vector), vector,
                 err, c.seg[cpu::CS].sel, c.rip);
}

void Tracer::interrupt(cpu::Cpu& c, uint8_t vector, bool nmi) {
    if (!on(trace::kIrq) || !inWindow(c.icount)) return;
    event("irq %" PRIu64 " vector=%u source=%s cs:rip=%04x:%" PRIx64 "%s\n", c.icount, vector,
                 nmi ? "nmi" : "intr", c.seg[cpu::CS].sel, c.rip, c.halted ? " (halted)" : "");
}

void Tracer::pageFault(cpu::Cpu& c, uint64_t lin, uint32_t error) {
    if (!on(trace::kMmu) || !inWindow(c.icount)) return;
    // Error code bits (SDM Vol.3A 4.7): P, W/R, U/S, RSVD, I/D.
    event("mmu %" PRIu64 " walk-fault %" PRIx64 " error=%x (%s %s %s%s%s) cr3=%" PRIx64 "\n", c.icount, lin,
                 error, (error & 1) ? "protection" : "not-present", (error & 2) ? "write" : "read",
                 (error & 4) ? "user" : "supervisor", (error & 8) ? " reserved-bit" : "", (error & 16) ? " fetch" : "",
                 c.cr3);
}

void Tracer::physAccess(cpu::Cpu& c, uint64_t paddr, unsigned size, uint64_t value, bool write) {
    if (!on(trace::kMmio) || !inWindow(c.icount)) return;
    for (const auto& r : c.mem.regions()) {
        if (r.kind != PhysicalMemory::Region::Kind::Mmio || paddr < r.base || paddr - r.base >= r.size) continue;
        event("mmio %" PRIu64 " %s %" PRIx64 " size=%u value=%" PRIx64 " %s+%" PRIx64 "\n", c.icount,
                     write ? "write" : "read", paddr, size, value, r.name.c_str(), paddr - r.base);
        return;
    }
}

void Tracer::escapeCall(cpu::Cpu& c, uint64_t call, uint64_t result, int outcome) {
    if (!on(trace::kPv) || !inWindow(c.icount)) return;
    event("pv %" PRIu64 " call=%" PRIu64 " %s result=%" PRId64 "%s\n", c.icount, call,
                 pv::Dispatcher::callName(static_cast<uint32_t>(call)), static_cast<int64_t>(result),
                 outcome == static_cast<int>(EscapeOutcome::Continue) ? " (continue)"
                 : outcome == static_cast<int>(EscapeOutcome::Undefined) ? " (#UD)"
                                                                          : "");
}

void Tracer::ioHook(void* self, bool write, uint16_t port, unsigned size, uint32_t value) {
    auto* t = static_cast<Tracer*>(self);
    const uint64_t icount = t->m_.cpu().icount;
    if (!t->inWindow(icount)) return;
    const std::string& name = t->m_.ports().nameAt(port);
    t->event("io %" PRIu64 " %s %04x size=%u value=%x %s\n", icount, write ? "out" : "in", port, size, value,
                 name.empty() ? "-" : name.c_str());
}

}  // namespace pvx::debug
