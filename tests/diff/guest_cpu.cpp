#include "guest_cpu.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include "cpu/fxsave.h"

namespace pvx::difftest {

using cpu::Segment;

namespace {

constexpr uint64_t kGdt = 0x1000, kIdt64 = 0x2000, kIdt32 = 0x3000;
constexpr uint64_t kLowPhys = 0x400000, kHighPhys = 0x800000;
constexpr uint16_t kSelCode64 = 0x08, kSelData = 0x10, kSelCode32 = 0x18;

Segment makeSeg(uint16_t sel, uint64_t base, uint16_t attr) {
    Segment s;
    s.sel = sel;
    s.base = base;
    s.limit = 0xFFFFFFFF;
    s.attr = attr;
    return s;
}
constexpr uint16_t kAttrCode64 = Segment::kP | Segment::kS | Segment::kCode | Segment::kRW | Segment::kAccessed |
                                 Segment::kL | Segment::kG;
constexpr uint16_t kAttrCode32 = Segment::kP | Segment::kS | Segment::kCode | Segment::kRW | Segment::kAccessed |
                                 Segment::kDB | Segment::kG;
constexpr uint16_t kAttrData = Segment::kP | Segment::kS | Segment::kRW | Segment::kAccessed | Segment::kDB | Segment::kG;

[[noreturn]] void die(const char* what) {
    std::fprintf(stderr, "diff: guest setup: %s\n", what);
    std::abort();
}

}  // namespace

GuestCpu::GuestCpu(HostCpu& host) : host_(host), mem_(64ull << 20), cpu_(std::make_unique<cpu::Cpu>(mem_, io_)) {
    // Descriptors (SDM Vol.3A 3.4.5): flat 4 GiB, DPL 0, accessed.
    wr64(kGdt + kSelCode64, 0x00AF9B000000FFFFull);
    wr64(kGdt + kSelData, 0x00CF93000000FFFFull);
    wr64(kGdt + kSelCode32, 0x00CF9B000000FFFFull);
    // Interrupt gates (SDM Vol.3A 6.11, 6.14.1): vector v -> kHandlers + v, which holds HLT.
    for (uint64_t v = 0; v < 256; ++v) {
        const uint64_t h = kHandlers + v;
        const uint64_t lo = (h & 0xFFFF) | ((h >> 16) & 0xFFFF) << 48 | 0x8Eull << 40;
        wr64(kIdt64 + v * 16, lo | uint64_t{kSelCode64} << 16);
        wr64(kIdt64 + v * 16 + 8, h >> 32);
        wr64(kIdt32 + v * 8, lo | uint64_t{kSelCode32} << 16);
    }
    std::vector<uint8_t> hlts(256, 0xF4);
    mem_.writeRam(kHandlers, hlts.data(), hlts.size());

    // 4-level page tables: identity below 2 MiB (one large page), then the host regions.
    const uint64_t pml4 = allocTable();
    if (pml4 != 0x10000) die("page table base");
    const uint64_t pdpt = allocTable(), pd = allocTable();
    wr64(pml4, pdpt | 7);
    wr64(pdpt, pd | 7);
    wr64(pd, 0x83);  // P | RW | PS: 2 MiB at 0
    if (host.low().valid()) {
        Mapping m{host.low().lin(), {}};
        for (size_t k = 0; k < host.low().totalPages(); ++k) m.pages.push_back(kLowPhys + k * 4096);
        maps_.push_back(m);
        delta32_ = (kLowPhys - host.low().lin()) & 0xFFFFFFFF;
    }
    {
        Mapping m{host.high().lin(), {}};
        for (size_t k = 0; k < host.high().totalPages(); ++k) m.pages.push_back(kHighPhys + k * 4096);
        std::mt19937 shuffle(12345);
        std::shuffle(m.pages.begin() + 1, m.pages.end(), shuffle);  // data pages in scrambled order
        maps_.push_back(m);
    }
    for (const Mapping& m : maps_)
        for (size_t k = 0; k < m.pages.size(); ++k) mapPage(m.lin + k * 4096, m.pages[k]);
    cpu_->cr3 = pml4;
}

void GuestCpu::wr64(uint64_t pa, uint64_t v) {
    if (!mem_.writeRam(pa, &v, 8)) die("write outside RAM");
}

uint64_t GuestCpu::allocTable() {
    const uint64_t t = nextTable_;
    nextTable_ += 4096;
    if (nextTable_ > kLowPhys) die("out of page-table space");
    std::vector<uint8_t> zero(4096, 0);
    mem_.writeRam(t, zero.data(), zero.size());
    return t;
}

void GuestCpu::mapPage(uint64_t lin, uint64_t pa) {
    uint64_t table = 0x10000;
    for (int level = 4; level > 1; --level) {
        const uint64_t slot = table + ((lin >> (12 + 9 * (level - 1))) & 511) * 8;
        uint64_t e = mem_.read(slot, 8);
        if (!(e & 1)) {
            e = allocTable() | 7;
            wr64(slot, e);
        }
        if (e & 0x80) die("region overlaps the identity-mapped large page");
        table = e & 0x000FFFFFFFFFF000ull;
    }
    wr64(table + ((lin >> 12) & 511) * 8, pa | 3);
}

uint64_t GuestCpu::phys(uint64_t lin) const {
    for (const Mapping& m : maps_)
        if (lin - m.lin < m.pages.size() * 4096) return m.pages[(lin - m.lin) >> 12] + (lin & 0xFFF);
    die("address outside the mirrored regions");
}

void GuestCpu::copyIn(uint64_t lin, const uint8_t* src, size_t len) {
    while (len) {
        const size_t n = std::min<size_t>(len, 4096 - (lin & 0xFFF));
        mem_.writeRam(phys(lin), src, n);
        lin += n;
        src += n;
        len -= n;
    }
}

void GuestCpu::copyOut(uint64_t lin, uint8_t* dst, size_t len) {
    while (len) {
        const size_t n = std::min<size_t>(len, 4096 - (lin & 0xFFF));
        mem_.readRam(phys(lin), dst, n);
        lin += n;
        dst += n;
        len -= n;
    }
}

void GuestCpu::enter64() {
    cpu::Cpu& c = *cpu_;
    c.cr0 = cpu::cr0::PE | cpu::cr0::PG | cpu::cr0::ET | cpu::cr0::NE | cpu::cr0::MP;
    c.cr4 = cpu::cr4::PAE | cpu::cr4::OSFXSR | cpu::cr4::OSXMMEXCPT | cpu::cr4::OSXSAVE;
    c.xcr0 = 3;  // x87 and SSE enabled for XSAVE, as an OS does with XSETBV
    c.efer = cpu::efer::LME | cpu::efer::LMA;
    c.cr3 = 0x10000;
    c.gdtr = {kGdt, 0x1F};
    c.idtr = {kIdt64, 256 * 16 - 1};
    c.seg[cpu::CS] = makeSeg(kSelCode64, 0, kAttrCode64);
    for (unsigned s : {cpu::DS, cpu::ES, cpu::SS, cpu::FS, cpu::GS}) c.seg[s] = makeSeg(kSelData, 0, kAttrData);
    c.cpl = 0;
    c.updateMode();
    c.flushTlb();
    if (c.mode != cpu::Mode::Long64) {
        std::fprintf(stderr, "mode %d cr0 %llx efer %llx cs.attr %x\n", int(c.mode), (unsigned long long)c.cr0, (unsigned long long)c.efer, c.seg[cpu::CS].attr);
        die("not in 64-bit mode");
    }
}

void GuestCpu::enter32(Region& low) {
    if (!low.valid()) die("32-bit mode needs the low region");
    cpu::Cpu& c = *cpu_;
    c.cr0 = cpu::cr0::PE | cpu::cr0::ET | cpu::cr0::NE | cpu::cr0::MP;
    c.cr4 = cpu::cr4::OSFXSR | cpu::cr4::OSXMMEXCPT | cpu::cr4::OSXSAVE;
    c.xcr0 = 3;
    c.efer = 0;
    c.gdtr = {kGdt, 0x1F};
    c.idtr = {kIdt32, 256 * 8 - 1};
    // Without paging, linear == physical: bases of (low-region physical - linear) make the host's
    // pointers valid offsets, so the same register values address the same bytes.
    c.seg[cpu::CS] = makeSeg(kSelCode32, delta32_, kAttrCode32);
    for (unsigned s : {cpu::DS, cpu::ES, cpu::SS}) c.seg[s] = makeSeg(kSelData, delta32_, kAttrData);
    for (unsigned s : {cpu::FS, cpu::GS}) c.seg[s] = makeSeg(kSelData, 0, kAttrData);
    c.cpl = 0;
    c.updateMode();
    c.flushTlb();
    if (c.mode != cpu::Mode::Protected) die("not in 32-bit protected mode");
}

GuestResult GuestCpu::run(int mode, Region& r, const std::vector<uint8_t>& code, const uint64_t gpr[16], uint32_t flags,
                          const uint8_t* fx, uint64_t until, unsigned maxSteps) {
    cpu::Cpu& c = *cpu_;
    if (mode != curMode_) {
        if (mode == 64) enter64();
        else enter32(host_.low());
        curMode_ = mode;
    }
    const uint64_t at = host_.insnLin(r);
    std::vector<uint8_t> bytes = code;
    bytes.push_back(0xF4);  // HLT: ends the decoded trace right after the code under test
    copyIn(at, bytes.data(), bytes.size());

    for (unsigned k = 0; k < 16; ++k) c.gpr[k] = gpr[k];
    c.gpr[cpu::RSP] = mode == 64 ? kStackTop : ((kStackTop - delta32_) & 0xFFFFFFFF);
    c.rip = mode == 64 ? at : (at & 0xFFFFFFFF);
    c.setFlags((flags & 0xCD5) | 2);
    c.halted = false;
    // The host loads the whole image with FXRSTOR64 in 64-bit mode, XMM8-15 included.
    cpu::fxrstorX87(c, fx, true);
    cpu::fxrstorMxcsr(c, fx);
    cpu::fxrstorSse(c, fx, 16);
    const uint64_t exc0 = c.stats.exceptions;
    GuestResult res{};
    res.stop = cpu::Cpu::Stop::Budget;
    for (unsigned k = 0; k < maxSteps; ++k) {
        res.stop = c.run(c.icount + 1);
        if (c.rip == until || c.stats.exceptions != exc0 || c.halted || res.stop != cpu::Cpu::Stop::Budget) break;
    }
    for (unsigned k = 0; k < 16; ++k) res.gpr[k] = c.gpr[k];
    res.flags = c.getFlags();
    res.rip = c.rip;
    res.exceptions = c.stats.exceptions - exc0;
    std::memcpy(res.fx, fx, sizeof res.fx);
    cpu::fxsaveX87(c, res.fx, true);
    cpu::fxsaveMxcsr(c, res.fx);
    cpu::fxsaveSse(c, res.fx, 16);
    if (res.exceptions) {
        if (c.rip > kHandlers && c.rip <= kHandlers + 256) res.vector = static_cast<int>(c.rip - kHandlers - 1);
        // The frame the CPU pushed (SDM Vol.3A 6.12.1, 6.14.2): [error code,] RIP, CS, RFLAGS.
        const bool err = res.vector >= 0 && cpu::vectorHasError(static_cast<uint8_t>(res.vector));
        uint64_t sp = mode == 64 ? c.gpr[cpu::RSP] : ((c.seg[cpu::SS].base + c.gpr[cpu::RSP]) & 0xFFFFFFFF);
        const unsigned w = mode == 64 ? 8 : 4;
        if (err) sp += w;
        res.faultRip = mem_.read(sp, w);
        res.frameFlags = static_cast<uint32_t>(mem_.read(sp + 2 * w, 4));
        curMode_ = 0;  // delivery reloaded CS and the stack: set the mode up afresh next time
    }
    c.halted = false;
    if (c.isShutdown()) {
        c.reset();
        curMode_ = 0;
    }
    return res;
}

}  // namespace pvx::difftest
