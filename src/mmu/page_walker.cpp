#include "mmu/page_walker.h"

namespace pvx::mmu {

namespace {
constexpr uint64_t kP = 1, kRW = 2, kUS = 4, kA = 0x20, kD = 0x40, kPS = 0x80, kG = 0x100;
constexpr uint64_t kXD = 1ull << 63;
constexpr uint64_t kCr0Wp = 1ull << 16, kCr0Cd = 1ull << 30;
constexpr uint64_t kCr4Pse = 1ull << 4, kCr4Pae = 1ull << 5, kCr4Pge = 1ull << 7;
constexpr uint64_t kCr4Smep = 1ull << 20;
constexpr uint64_t kEferLme = 1ull << 8, kEferNxe = 1ull << 11;
// Reserved high bits: 51:MAXPHYADDR in 4-level paging (62:52 are ignored there, SDM Vol.3A
// 4.5.4), but 62:MAXPHYADDR in PAE paging (SDM Vol.3A 4.4.2, Tables 4-8 to 4-11).
constexpr uint64_t kHighReserved4Level = ((1ull << 52) - 1) & ~kPhysAddrMask;
constexpr uint64_t kHighReservedPae = ((1ull << 63) - 1) & ~kPhysAddrMask;
}  // namespace

uint64_t PageWalker::readEntry(uint64_t paddr, bool wide) {
    return mem_.read(paddr & mem_.a20Mask(), wide ? 8 : 4);
}

void PageWalker::setBits(uint64_t paddr, uint64_t bits, bool wide) {
    // A/D are set with a locked read-modify-write on hardware; one CPU makes that a plain RMW.
    uint64_t v = readEntry(paddr, wide);
    if ((v & bits) != bits) mem_.write(paddr & mem_.a20Mask(), wide ? 8 : 4, v | bits);
}

const char* memTypeName(MemType t) {
    switch (t) {
        case MemType::UC: return "UC";
        case MemType::WC: return "WC";
        case MemType::WT: return "WT";
        case MemType::WP: return "WP";
        case MemType::WB: return "WB";
        case MemType::UCMinus: return "UC-";
    }
    return "?";
}

MemType patMemType(uint64_t pat, uint64_t leaf, bool largePage) {
    const unsigned patBit = largePage ? 12 : 7;
    const unsigned index = static_cast<unsigned>(((leaf >> patBit) & 1) << 2 | ((leaf >> 4) & 1) << 1 | ((leaf >> 3) & 1));
    return static_cast<MemType>((pat >> (8 * index)) & 7);  // WRMSR keeps only valid encodings
}

WalkResult PageWalker::walk(const PagingRegs& regs, uint64_t linear, Access access, bool user) {
    ++walks;
    WalkResult r;
    const bool write = access == Access::Write;
    const bool pae = regs.cr4 & kCr4Pae;
    const bool longMode = pae && (regs.efer & kEferLme);
    const bool nxe = pae && (regs.efer & kEferNxe);
    uint32_t baseErr = (write ? kPfW : 0) | (user ? kPfU : 0);
    // SDM Vol.3A 4.7: I/D is reported for fetches only when NX or SMEP could have caused them.
    if (access == Access::Execute && (nxe || (regs.cr4 & kCr4Smep))) baseErr |= kPfId;

    auto fail = [&](uint32_t extra) {
        ++faults;
        r.fault = true;
        r.errorCode = baseErr | extra;
        return r;
    };

    // Entries used, so A bits can be set after the rights check passes.
    uint64_t entryAddr[4];
    unsigned used = 0;
    bool allRw = true, allUs = true, anyXd = false;
    uint64_t leaf = 0, leafAddr = 0, pageBase = 0;
    bool wide = true;

    if (!pae) {
        // 32-bit paging (SDM Vol.3A 4.3).
        wide = false;
        uint64_t pdeAddr = (regs.cr3 & 0xFFFFF000) | ((linear >> 20) & 0xFFC);
        uint64_t pde = readEntry(pdeAddr, false);
        if (!(pde & kP)) return fail(0);
        entryAddr[used++] = pdeAddr;
        allRw &= (pde & kRW) != 0;
        allUs &= (pde & kUS) != 0;
        if ((pde & kPS) && (regs.cr4 & kCr4Pse)) {
            // 4 MiB page; PSE-36 supplies physical bits 39:32 in PDE bits 20:13, bit 21 reserved.
            if (pde & (1ull << 21)) return fail(kPfP | kPfRsvd);
            leaf = pde;
            leafAddr = pdeAddr;
            r.pageSize = 4ull << 20;
            pageBase = (pde & 0xFFC00000) | (((pde >> 13) & 0xFF) << 32);
        } else {
            uint64_t pteAddr = (pde & 0xFFFFF000) | ((linear >> 10) & 0xFFC);
            uint64_t pte = readEntry(pteAddr, false);
            if (!(pte & kP)) return fail(0);
            entryAddr[used++] = pteAddr;
            allRw &= (pte & kRW) != 0;
            allUs &= (pte & kUS) != 0;
            leaf = pte;
            leafAddr = pteAddr;
            pageBase = pte & 0xFFFFF000;
        }
    } else {
        const uint64_t highReserved = longMode ? kHighReserved4Level : kHighReservedPae;
        auto rsvd = [&](uint64_t e, uint64_t extraMask) {
            return (e & (highReserved | extraMask)) || (!nxe && (e & kXD));
        };
        uint64_t tableBase;
        int level;
        if (longMode) {
            // 4-level paging (SDM Vol.3A 4.5).
            tableBase = regs.cr3 & kPhysAddrMask & ~0xFFFull;
            level = 4;
        } else {
            // PAE: the PDPTE registers (SDM Vol.3A 4.4.1). pvx reads the PDPTE at walk time
            // rather than caching all four at MOV CR3; guests that rewrite PDPTEs without
            // reloading CR3 may see the new value earlier than hardware would.
            uint64_t pdpteAddr = (regs.cr3 & 0xFFFFFFE0) | ((linear >> 27) & 0x18);
            uint64_t pdpte = readEntry(pdpteAddr, true);
            if (!(pdpte & kP)) return fail(0);
            if (pdpte & (kHighReservedPae | 0x1E6 | kXD)) return fail(kPfP | kPfRsvd);
            tableBase = pdpte & kPhysAddrMask & ~0xFFFull;
            level = 2;
        }
        for (;; --level) {
            unsigned shift = 12 + 9 * (level - 1);
            uint64_t eAddr = tableBase | (((linear >> shift) & 0x1FF) << 3);
            uint64_t e = readEntry(eAddr, true);
            if (!(e & kP)) return fail(0);
            uint64_t extra = 0;
            if (level == 4) extra = kPS;  // PS is reserved in a PML4E
            bool large = level > 1 && level < 4 && (e & kPS);
            if (large) extra |= level == 3 ? 0x3FFFE000ull : 0x1FE000ull;  // 1 GiB: 29:13, 2 MiB: 20:13
            if (rsvd(e, extra)) return fail(kPfP | kPfRsvd);
            entryAddr[used++] = eAddr;
            allRw &= (e & kRW) != 0;
            allUs &= (e & kUS) != 0;
            anyXd |= (e & kXD) != 0;
            if (large || level == 1) {
                leaf = e;
                leafAddr = eAddr;
                r.pageSize = 1ull << shift;
                pageBase = e & kPhysAddrMask & ~(r.pageSize - 1);
                break;
            }
            tableBase = e & kPhysAddrMask & ~0xFFFull;
        }
    }

    // Access rights (SDM Vol.3A 4.6).
    const bool wp = regs.cr0 & kCr0Wp;
    if (user) {
        if (!allUs) return fail(kPfP);
        r.canWrite = allRw;
        r.canExec = !(nxe && anyXd);
    } else {
        r.canWrite = allRw || !wp;
        r.canExec = !(nxe && anyXd) && !((regs.cr4 & kCr4Smep) && allUs);
    }
    if (write && !r.canWrite) return fail(kPfP);
    if (access == Access::Execute && !r.canExec) return fail(kPfP);

    for (unsigned i = 0; i < used; ++i) setBits(entryAddr[i], kA, wide);
    if (write) setBits(leafAddr, kD, wide);
    r.dirty = write || (leaf & kD);
    r.global = (regs.cr4 & kCr4Pge) && (leaf & kG);
    // CR0.CD forces UC whatever PAT says (SDM Vol.3A 11.5.1, Table 11-5).
    r.memType = (regs.cr0 & kCr0Cd) ? MemType::UC : patMemType(regs.pat, leaf, r.pageSize > 4096);
    r.paddr = (pageBase | (linear & (r.pageSize - 1))) & mem_.a20Mask();
    return r;
}

}  // namespace pvx::mmu
