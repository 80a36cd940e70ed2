#include "debug/guest_memory.h"

#include <cstring>

#include "cpu/cpu.h"
#include "mmu/phys_memory.h"

namespace pvx::debug {

namespace {
constexpr uint64_t kP = 1, kPS = 0x80;

// One page-table entry from RAM (or ROM); false if it is anywhere else.
bool readEntry(const PhysicalMemory& mem, uint64_t paddr, bool wide, uint64_t& e) {
    e = 0;
    paddr &= mem.a20Mask();
    return debugReadPhys(mem, paddr, &e, wide ? 8 : 4) == (wide ? 8u : 4u);
}

// The region (ROM or MMIO) overlaying `paddr`, if any.
const PhysicalMemory::Region* regionAt(const PhysicalMemory& mem, uint64_t paddr) {
    for (const auto& r : mem.regions())
        if (paddr >= r.base && paddr - r.base < r.size) return &r;
    return nullptr;
}
}  // namespace

bool debugTranslate(const cpu::Cpu& c, uint64_t lin, DebugTranslation& out) {
    const PhysicalMemory& mem = c.mem;
    out = DebugTranslation{};
    // Outside IA-32e mode linear addresses are 32 bits wide: a wider one names nothing.
    if (!(c.efer & cpu::efer::LMA) && (lin >> 32)) return false;
    if (!(c.cr0 & cpu::cr0::PG)) {
        out.paddr = lin & 0xFFFFFFFF & mem.a20Mask();
        out.memType = (c.cr0 & cpu::cr0::CD) ? mmu::MemType::UC : mmu::MemType::WB;
        return true;
    }
    const bool pae = c.cr4 & cpu::cr4::PAE;
    const bool lm = pae && (c.efer & cpu::efer::LME);
    uint64_t leaf = 0, base = 0, size = 4096;
    bool large = false;
    if (!pae) {
        // 32-bit paging (SDM Vol.3A 4.3), 4 MiB pages with PSE/PSE-36.
        lin = static_cast<uint32_t>(lin);
        uint64_t pde;
        if (!readEntry(mem, (c.cr3 & 0xFFFFF000) | ((lin >> 20) & 0xFFC), false, pde) || !(pde & kP)) return false;
        if ((pde & kPS) && (c.cr4 & cpu::cr4::PSE)) {
            leaf = pde;
            large = true;
            size = 4ull << 20;
            base = (pde & 0xFFC00000) | (((pde >> 13) & 0xFF) << 32);
        } else {
            uint64_t pte;
            if (!readEntry(mem, (pde & 0xFFFFF000) | ((lin >> 10) & 0xFFC), false, pte) || !(pte & kP)) return false;
            leaf = pte;
            base = pte & 0xFFFFF000;
        }
    } else {
        uint64_t table;
        int level;
        if (lm) {
            // 4-level paging (SDM Vol.3A 4.5): the address must be canonical.
            if (!cpu::Cpu::isCanonical(lin)) return false;
            table = c.cr3 & mmu::kPhysAddrMask & ~0xFFFull;
            level = 4;
        } else {
            // PAE (SDM Vol.3A 4.4): the PDPTE selected by bits 31:30.
            lin = static_cast<uint32_t>(lin);
            uint64_t pdpte;
            if (!readEntry(mem, (c.cr3 & 0xFFFFFFE0) | ((lin >> 27) & 0x18), true, pdpte) || !(pdpte & kP)) return false;
            table = pdpte & mmu::kPhysAddrMask & ~0xFFFull;
            level = 2;
        }
        for (;; --level) {
            const unsigned shift = 12 + 9 * static_cast<unsigned>(level - 1);
            uint64_t e;
            if (!readEntry(mem, table | (((lin >> shift) & 0x1FF) << 3), true, e) || !(e & kP)) return false;
            if (level == 1 || (level < 4 && (e & kPS))) {
                leaf = e;
                large = level > 1;
                size = 1ull << shift;
                base = e & mmu::kPhysAddrMask & ~(size - 1);
                break;
            }
            table = e & mmu::kPhysAddrMask & ~0xFFFull;
        }
    }
    out.paddr = base | (lin & (size - 1));
    out.pageSize = size;
    out.memType = (c.cr0 & cpu::cr0::CD) ? mmu::MemType::UC : mmu::patMemType(c.msr.pat, leaf, large);
    return true;
}

size_t debugReadPhys(const PhysicalMemory& mem, uint64_t paddr, void* dst, size_t n) {
    auto* out = static_cast<uint8_t*>(dst);
    size_t done = 0;
    while (done < n) {
        const uint64_t a = paddr + done;
        if (a < paddr) break;  // wrapped
        const size_t chunk = static_cast<size_t>(std::min<uint64_t>(n - done, 4096 - (a & 0xFFF)));
        if (const PhysicalMemory::Region* r = regionAt(mem, a)) {
            if (r->kind != PhysicalMemory::Region::Kind::Rom) break;  // MMIO: reading has effects
            const uint64_t off = a - r->base;
            const size_t k = static_cast<size_t>(std::min<uint64_t>(chunk, r->size - off));
            if (off + k > r->rom.size()) break;
            std::memcpy(out + done, r->rom.data() + off, k);
            done += k;
            continue;
        }
        if (!mem.readRam(a, out + done, chunk)) break;
        done += chunk;
    }
    return done;
}

size_t debugReadLinear(const cpu::Cpu& c, uint64_t lin, void* dst, size_t n) {
    auto* out = static_cast<uint8_t*>(dst);
    size_t done = 0;
    while (done < n) {
        const uint64_t a = lin + done;
        DebugTranslation t;
        if (!debugTranslate(c, a, t)) break;
        const size_t chunk = static_cast<size_t>(std::min<uint64_t>(n - done, 4096 - (a & 0xFFF)));
        const size_t got = debugReadPhys(c.mem, t.paddr, out + done, chunk);
        done += got;
        if (got < chunk) break;
    }
    return done;
}

size_t debugWriteLinear(cpu::Cpu& c, uint64_t lin, const void* src, size_t n) {
    const auto* in = static_cast<const uint8_t*>(src);
    size_t done = 0;
    while (done < n) {
        const uint64_t a = lin + done;
        DebugTranslation t;
        if (!debugTranslate(c, a, t)) break;
        const size_t chunk = static_cast<size_t>(std::min<uint64_t>(n - done, 4096 - (a & 0xFFF)));
        if (regionAt(c.mem, t.paddr) || !c.mem.writeRam(t.paddr, in + done, chunk)) break;
        done += chunk;
    }
    return done;
}

}  // namespace pvx::debug
