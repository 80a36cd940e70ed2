// Fuzz target: the decoder and interpreter on random instruction streams, in every mode, in a
// small machine (4 MiB of RAM, no devices: unclaimed ports read all ones).
//
// Input: byte 0 selects the mode and options, bytes 1..15 seed the general registers, the rest
// is code placed at kCode. Every exception vector points back into the code, so a fault does not
// end the run; the run is bounded by kMaxInsns retired instructions (REP strings retire in
// bounded chunks, HLT without interrupts stops the run). Success = no sanitizer report, no host
// crash, no hang.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <vector>

#include "common/port_bus.h"
#include "cpu/cpu.h"
#include "mmu/phys_memory.h"

using namespace pvx;
using namespace pvx::cpu;

namespace {

constexpr uint64_t kRam = 4ull << 20;
constexpr uint64_t kGdt = 0x500, kIdt = 0x800;              // IDT: 256 x 16 bytes -> 0x1800
constexpr uint64_t kPml4 = 0x2000, kPdpt = 0x3000, kPd = 0x4000;  // long-mode tables
constexpr uint64_t kPd32 = 0x5000;                           // 32-bit paging (PSE 4 MiB page)
constexpr uint64_t kTss = 0x6000;
constexpr uint64_t kStack = 0x9000;
constexpr uint64_t kCode = 0x10000;
// Instructions per input. A REP string instruction retires once per chunk of up to 4096
// iterations (insn/string.h), so the harness also keeps the seeded RCX to 12 bits: the work per
// input stays bounded (a guest loading a larger count itself still runs chunk by chunk).
constexpr uint64_t kMaxInsns = 5000;
constexpr uint64_t kMaxFaults = 16;
constexpr uint64_t kMaxAccesses = 100000;

// Selectors of the GDT the harness builds (SDM Vol.3A 3.4.5).
constexpr uint16_t kSelCode32 = 0x08, kSelData32 = 0x10, kSelCode16 = 0x18, kSelData16 = 0x20, kSelCode64 = 0x28,
                   kSelTss = 0x30, kSelUserCode32 = 0x3B, kSelUserData32 = 0x43, kSelUserCode64 = 0x4B;

enum FuzzMode : uint8_t { kReal, kProt16, kProt32, kProt32Paged, kLong64, kCompat32, kV86, kModes };

struct Machine {
    PhysicalMemory mem{kRam};
    PortBus io;
    Cpu cpu{mem, io};

    void wr64(uint64_t pa, uint64_t v) { mem.writeRam(pa, &v, 8); }
    void wr32(uint64_t pa, uint32_t v) { mem.writeRam(pa, &v, 4); }

    static Segment seg(uint16_t sel, uint32_t limit, uint16_t attr) {
        Segment s;
        s.sel = sel;
        s.base = 0;
        s.limit = limit;
        s.attr = attr;
        return s;
    }

    void buildTables(bool pm16) {
        wr64(kGdt + kSelCode32, 0x00CF9B000000FFFFull);
        wr64(kGdt + kSelData32, 0x00CF93000000FFFFull);
        wr64(kGdt + kSelCode16, 0x00009B010000FFFFull);  // base kCode: 16-bit offsets reach the code
        wr64(kGdt + kSelData16, 0x000093000000FFFFull);
        wr64(kGdt + kSelCode64, 0x00AF9B000000FFFFull);
        // 32-bit TSS (type 9) at kTss, limit 0x67: ring-0 stack for interrupts from ring 3 / v8086.
        wr64(kGdt + kSelTss, 0x0000890000000067ull | (kTss & 0xFFFFFF) << 16);
        wr64(kGdt + (kSelUserCode32 & ~7), 0x00CFFB000000FFFFull);
        wr64(kGdt + (kSelUserData32 & ~7), 0x00CFF3000000FFFFull);
        wr64(kGdt + (kSelUserCode64 & ~7), 0x00AFFB000000FFFFull);
        wr32(kTss + 4, static_cast<uint32_t>(kStack));  // ESP0
        wr32(kTss + 8, kSelData32);                      // SS0
        // Interrupt gates, DPL 3 so INT n from ring 3 reaches them too.
        for (uint64_t v = 0; v < 256; ++v) {
            const uint64_t h = pm16 ? 0 : kCode;
            const uint16_t sel = pm16 ? kSelCode16 : kSelCode32;
            const uint64_t type = pm16 ? 0xE6 : 0xEE;
            wr64(kIdt + v * 8, (h & 0xFFFF) | uint64_t{sel} << 16 | type << 40 | ((h >> 16) & 0xFFFF) << 48);
        }
    }
    void buildIdt64() {
        for (uint64_t v = 0; v < 256; ++v) {
            const uint64_t h = kCode;
            wr64(kIdt + v * 16, (h & 0xFFFF) | uint64_t{kSelCode64} << 16 | 0xEEull << 40 | ((h >> 16) & 0xFFFF) << 48);
            wr64(kIdt + v * 16 + 8, h >> 32);
        }
    }

    void setup(uint8_t sel, const uint8_t* regSeed, const uint8_t* codeBytes, size_t codeLen) {
        cpu.reset();  // also drops every decoded trace, so RAM can be cleared directly
        std::memset(mem.ramBase(), 0, kRam);
        mem.writeRam(kCode, codeBytes, codeLen);
        for (unsigned r = 0; r < 16; ++r) cpu.gpr[r] = regSeed[r % 15] * 0x0101010101010101ull >> (r % 7) * 8;
        cpu.gpr[RSP] = kStack - 0x100;
        cpu.gpr[RCX] &= 0xFFF;
        const FuzzMode m = static_cast<FuzzMode>((sel & 0x0F) % kModes);
        const bool user = sel & 0x10;
        const bool fpuOn = sel & 0x20;
        if (fpuOn) cpu.cr4 |= cr4::OSFXSR | cr4::OSXMMEXCPT;

        if (m == kReal) {
            for (uint64_t v = 0; v < 256; ++v) wr32(v * 4, static_cast<uint32_t>(kCode >> 4) << 16);
            for (unsigned s = 0; s < 6; ++s) {
                cpu.seg[s].sel = 0;
                cpu.seg[s].base = 0;
            }
            cpu.seg[CS].sel = kCode >> 4;
            cpu.seg[CS].base = kCode;
            cpu.rip = 0;
            cpu.updateMode();
            cpu.flushTlb();
            return;
        }
        const bool pm16 = m == kProt16;
        buildTables(pm16);
        cpu.gdtr = {kGdt, 0x4F};
        cpu.idtr = {kIdt, m == kLong64 || m == kCompat32 ? 0xFFFu : 0x7FFu};
        cpu.tr = seg(kSelTss, 0x67, Segment::kP | 11);
        cpu.tr.base = kTss;
        cpu.cr0 = cr0::PE | cr0::ET | (fpuOn ? cr0::NE | cr0::MP : 0);
        const uint16_t data = Segment::kP | Segment::kS | Segment::kRW | Segment::kAccessed;
        const uint16_t code = data | Segment::kCode;
        const uint16_t dpl3 = 3 << 5;
        if (m == kProt16) {
            for (unsigned s = 0; s < 6; ++s) cpu.seg[s] = seg(kSelData16, 0xFFFF, data);
            cpu.seg[CS] = seg(kSelCode16, 0xFFFF, code);
            cpu.seg[CS].base = kCode;
            cpu.rip = 0;
        } else if (m == kProt32 || m == kProt32Paged || m == kV86) {
            for (unsigned s = 0; s < 6; ++s) cpu.seg[s] = seg(kSelData32, 0xFFFFFFFF, data | Segment::kDB | Segment::kG);
            cpu.seg[CS] = seg(kSelCode32, 0xFFFFFFFF, code | Segment::kDB | Segment::kG);
            cpu.rip = kCode;
            if (m == kProt32Paged) {
                wr32(kPd32, 0x87);  // P | RW | US | PS: 4 MiB identity page
                cpu.cr3 = kPd32;
                cpu.cr4 |= cr4::PSE;
                cpu.cr0 |= cr0::PG | cr0::WP;
            }
            if (user && m != kV86) {
                for (unsigned s = 0; s < 6; ++s)
                    cpu.seg[s] = seg(kSelUserData32, 0xFFFFFFFF, data | Segment::kDB | Segment::kG | dpl3);
                cpu.seg[CS] = seg(kSelUserCode32, 0xFFFFFFFF, code | Segment::kDB | Segment::kG | dpl3);
            }
            if (m == kV86) {
                // Virtual-8086 (SDM Vol.3A 20.2): real-mode style segments, EFLAGS.VM, CPL 3.
                for (unsigned s = 0; s < 6; ++s) {
                    cpu.seg[s] = seg(0, 0xFFFF, data | dpl3);
                }
                cpu.seg[CS] = seg(kCode >> 4, 0xFFFF, code | dpl3);
                cpu.seg[CS].base = kCode;
                cpu.rip = 0;
                cpu.setFlags(cpu.getFlags() | (1u << 17) | (sel & 0x40 ? 3u << 12 : 0));  // VM, IOPL
            }
        } else {  // kLong64, kCompat32
            buildIdt64();
            wr64(kPml4, kPdpt | 7);
            wr64(kPdpt, kPd | 7);
            wr64(kPd, 0x87);  // P | RW | US | PS: 2 MiB identity page
            wr64(kPd + 8, 0x200087);
            // 64-bit TSS: a 16-byte descriptor (type 9, base kTss); RSP0 at offset 4.
            wr64(kGdt + kSelTss, 0x0000890000000067ull | (kTss & 0xFFFFFF) << 16);
            wr64(kGdt + kSelTss + 8, 0);
            wr64(kTss + 4, kStack);  // RSP0
            cpu.cr3 = kPml4;
            cpu.cr4 |= cr4::PAE;
            cpu.efer = efer::LME | efer::LMA | efer::SCE | efer::NXE;
            cpu.cr0 |= cr0::PG | cr0::WP;
            for (unsigned s = 0; s < 6; ++s) cpu.seg[s] = seg(kSelData32, 0xFFFFFFFF, data | Segment::kDB | Segment::kG);
            if (m == kLong64) {
                cpu.seg[CS] = seg(user ? kSelUserCode64 : kSelCode64, 0xFFFFFFFF,
                                  code | Segment::kL | Segment::kG | (user ? dpl3 : 0));
                if (user) cpu.seg[SS] = seg(kSelUserData32, 0xFFFFFFFF, data | Segment::kDB | Segment::kG | dpl3);
            } else {
                cpu.seg[CS] = seg(kSelCode32, 0xFFFFFFFF, code | Segment::kDB | Segment::kG);
            }
            cpu.rip = kCode;
        }
        cpu.updateMode();
        cpu.flushTlb();
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 17 || size > 4096 + 16) return -1;  // -1: not added to the corpus
    static Machine* m = new Machine;  // one machine per process: a Cpu's decode cache is 20 MiB
    m->setup(data[0], data + 1, data + 16, size - 16);
    // Run in slices and give up after kMaxFaults exceptions: random code mostly faults, and
    // every handler leads back to the same code, so past a few dozen faults an input only
    // repeats itself (and each fault is a C++ throw, slow under the sanitizers).
    // Memory accesses (TLB hits + misses) bound the work too: a REP string instruction moves up
    // to 4096 elements per retired chunk, through the slow path when it leaves RAM.
    Cpu& c = m->cpu;
    const uint64_t end = c.icount + kMaxInsns, faults = c.stats.exceptions;
    const uint64_t accesses = c.tlb.hits + c.tlb.misses;
    while (c.icount < end && c.stats.exceptions - faults < kMaxFaults &&
           c.tlb.hits + c.tlb.misses - accesses < kMaxAccesses) {
        if (c.run(std::min(end, c.icount + 8)) != Cpu::Stop::Budget) break;
    }
    return 0;
}
