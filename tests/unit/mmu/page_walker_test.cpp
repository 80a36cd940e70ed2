// PageWalker (src/mmu/page_walker.h) against SDM Vol.3A chapter 4: every paging mode with hand-built
// tables in a PhysicalMemory, every rights combination of 4.6, the #PF error code of 4.7, the
// reserved bits of 4.3/4.4/4.5 and the accessed/dirty updates of 4.8.
#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "mmu/page_walker.h"
#include "mmu/phys_memory.h"

namespace pvx::mmu {
namespace {

constexpr uint64_t P = 1, RW = 2, US = 4, PWT = 8, PCD = 0x10, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;
constexpr uint64_t PAT4K = 0x80, PATLARGE = 0x1000;
constexpr uint64_t XD = 1ull << 63;
constexpr uint64_t kCr0Pe = 1, kCr0Wp = 1ull << 16, kCr0Pg = 1ull << 31;
constexpr uint64_t kCr4Pse = 1ull << 4, kCr4Pae = 1ull << 5, kCr4Pge = 1ull << 7, kCr4Smep = 1ull << 20;
constexpr uint64_t kEferLme = 1ull << 8, kEferLma = 1ull << 10, kEferNxe = 1ull << 11;
constexpr uint64_t bit(unsigned n) { return 1ull << n; }

enum class Mode { Legacy32, Pae, Long4 };

const char* name(Mode m) { return m == Mode::Legacy32 ? "32-bit" : m == Mode::Pae ? "PAE" : "4-level"; }

// Where the tables live: the first at CR3, the others at fixed pages.
constexpr uint64_t kCr3Legacy = 0x40000, kCr3Pae = 0x40020, kCr3Long = 0x40000;
constexpr uint64_t kTables[4] = {0, 0x41000, 0x42000, 0x43000};

class PageWalkerTest : public ::testing::Test {
protected:
    PhysicalMemory mem{64ull << 20};
    PageWalker walker{mem};
    std::vector<uint64_t> addrs;  // entry addresses of the last build(), top level first
    Mode mode = Mode::Long4;

    static unsigned levels(Mode m) { return m == Mode::Legacy32 ? 2 : m == Mode::Pae ? 3 : 4; }
    static bool wide(Mode m) { return m != Mode::Legacy32; }

    static uint64_t entryAddr(Mode m, unsigned level, uint64_t table, uint64_t linear) {
        switch (m) {
            case Mode::Legacy32: return table + (((linear >> (level == 0 ? 22 : 12)) & 0x3FF) << 2);
            case Mode::Pae:
                if (level == 0) return table + (((linear >> 30) & 3) << 3);
                return table + (((linear >> (level == 1 ? 21 : 12)) & 0x1FF) << 3);
            case Mode::Long4: return table + (((linear >> (39 - 9 * level)) & 0x1FF) << 3);
        }
        return 0;
    }

    void clearTables() {
        std::vector<uint8_t> zero(0x4000, 0);
        ASSERT_TRUE(mem.writeRam(0x40000, zero.data(), zero.size()));
    }

    // Writes one translation path for `linear`: flags[i] for level i (top first); every level but
    // the last points at the next table, the last maps `frame` (include PS for a large page).
    void build(Mode m, uint64_t linear, uint64_t frame, const std::vector<uint64_t>& flags) {
        mode = m;
        addrs.clear();
        uint64_t table = m == Mode::Legacy32 ? kCr3Legacy : m == Mode::Pae ? kCr3Pae : kCr3Long;
        for (unsigned i = 0; i < flags.size(); ++i) {
            const bool last = i + 1 == flags.size();
            const uint64_t a = entryAddr(m, i, table, linear);
            const uint64_t v = (last ? frame : kTables[i + 1]) | flags[i];
            mem.write(a, wide(m) ? 8 : 4, wide(m) ? v : (v & 0xFFFFFFFF));
            addrs.push_back(a);
            if (!last) table = kTables[i + 1];
        }
    }

    uint64_t entry(unsigned i) { return mem.read(addrs.at(i), wide(mode) ? 8 : 4); }
    void setEntry(unsigned i, uint64_t v) { mem.write(addrs.at(i), wide(mode) ? 8 : 4, v); }

    static PagingRegs regs(Mode m, uint64_t cr0Extra = 0, uint64_t cr4Extra = 0, uint64_t eferExtra = 0) {
        PagingRegs r;
        r.cr0 = kCr0Pe | kCr0Pg | cr0Extra;
        switch (m) {
            case Mode::Legacy32: r.cr3 = kCr3Legacy; r.cr4 = cr4Extra; break;
            case Mode::Pae: r.cr3 = kCr3Pae; r.cr4 = kCr4Pae | cr4Extra; break;
            case Mode::Long4: r.cr3 = kCr3Long; r.cr4 = kCr4Pae | cr4Extra; r.efer = kEferLme | kEferLma; break;
        }
        r.efer |= eferExtra;
        return r;
    }
};

// A sign-extended 4-level address with a different index at every level.
constexpr uint64_t kLin64 = 0xFFFF000000000000ull | (0x1A5ull << 39) | (0x0C3ull << 30) | (0x107ull << 21) |
                            (0x0F9ull << 12) | 0xABC;
constexpr uint64_t kLin32 = 0xC0A03ABC;  // PDE 0x302 / PTE 0x203 (32-bit); PDPTE 3, PDE 5, PTE 3 (PAE)

const uint64_t kAll = P | RW | US;

// ============================================================================ successful walks

TEST_F(PageWalkerTest, Legacy32FourKiBPage) {
    clearTables();
    build(Mode::Legacy32, kLin32, 0x00200000, {kAll, kAll});
    ASSERT_EQ(addrs, (std::vector<uint64_t>{0x40000 + 0x302 * 4, 0x41000 + 0x203 * 4}));
    WalkResult r = walker.walk(regs(Mode::Legacy32), kLin32, Access::Read, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, 0x00200ABCu);
    EXPECT_EQ(r.pageSize, 4096u);
    EXPECT_TRUE(r.canWrite);
    EXPECT_TRUE(r.canExec);
    EXPECT_FALSE(r.global);
    EXPECT_FALSE(r.dirty);
    EXPECT_EQ(entry(0), 0x41000 | kAll | A);
    EXPECT_EQ(entry(1), 0x00200000 | kAll | A);  // read: no D
    EXPECT_EQ(walker.walks, 1u);
    EXPECT_EQ(walker.faults, 0u);
}

TEST_F(PageWalkerTest, Legacy32AccessedAndDirtyUpdatesDoNotTouchNeighbourEntries) {
    clearTables();
    build(Mode::Legacy32, kLin32, 0x00200000, {kAll, kAll});
    mem.write(addrs[0] + 4, 4, 0xDEADBEEF);
    mem.write(addrs[0] - 4, 4, 0xFEEDFACE);
    mem.write(addrs[1] + 4, 4, 0x12345678);
    WalkResult r = walker.walk(regs(Mode::Legacy32), kLin32, Access::Write, true);
    ASSERT_FALSE(r.fault);
    EXPECT_TRUE(r.dirty);
    EXPECT_EQ(entry(0), 0x41000 | kAll | A);     // D is set on the leaf only
    EXPECT_EQ(entry(1), 0x00200000 | kAll | A | D);
    EXPECT_EQ(mem.read(addrs[0] + 4, 4), 0xDEADBEEFu);
    EXPECT_EQ(mem.read(addrs[0] - 4, 4), 0xFEEDFACEu);
    EXPECT_EQ(mem.read(addrs[1] + 4, 4), 0x12345678u);
}

TEST_F(PageWalkerTest, Legacy32PseFourMiBPage) {
    clearTables();
    const uint64_t lin = 0x00C12345;  // PDE 3
    build(Mode::Legacy32, lin, 0x01400000, {kAll | PS});
    WalkResult r = walker.walk(regs(Mode::Legacy32, 0, kCr4Pse), lin, Access::Write, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, 0x01412345u);
    EXPECT_EQ(r.pageSize, 4ull << 20);
    EXPECT_EQ(entry(0), 0x01400000 | kAll | PS | A | D);
}

TEST_F(PageWalkerTest, Legacy32PsBitIsIgnoredWithoutCr4Pse) {
    clearTables();
    const uint64_t lin = 0x00C12345;
    build(Mode::Legacy32, lin, 0x01400000, {kAll | PS});
    // Without CR4.PSE the PDE points at a page table at 0x01400000.
    mem.write(0x01400000 + 0x12 * 4, 4, 0x00500000 | kAll);
    WalkResult r = walker.walk(regs(Mode::Legacy32), lin, Access::Read, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, 0x00500345u);
    EXPECT_EQ(r.pageSize, 4096u);
    EXPECT_EQ(mem.read(0x01400000 + 0x12 * 4, 4), 0x00500000 | kAll | A);
}

TEST_F(PageWalkerTest, Legacy32Pse36SuppliesPhysicalBits39To32) {
    clearTables();
    const uint64_t lin = 0x00C12345;
    // PDE bits 20:13 are physical address bits 39:32; bit 12 is PAT and not an address bit.
    build(Mode::Legacy32, lin, 0x01400000 | (0xA5ull << 13) | PATLARGE, {kAll | PS});
    WalkResult r = walker.walk(regs(Mode::Legacy32, 0, kCr4Pse), lin, Access::Read, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, 0xA501412345ull);
    EXPECT_EQ(r.pageSize, 4ull << 20);
}

TEST_F(PageWalkerTest, Legacy32PseBit21IsReservedWithMaxPhyAddr40) {
    clearTables();
    const uint64_t lin = 0x00C12345;
    build(Mode::Legacy32, lin, 0x01400000 | bit(21), {kAll | PS});
    WalkResult r = walker.walk(regs(Mode::Legacy32, 0, kCr4Pse), lin, Access::Write, true);
    ASSERT_TRUE(r.fault);
    EXPECT_EQ(r.errorCode, kPfP | kPfRsvd | kPfW | kPfU);
    EXPECT_EQ(entry(0), 0x01400000 | bit(21) | kAll | PS);  // no A on a faulting walk
    // Without CR4.PSE the same PDE is a page-table pointer and bit 21 an address bit.
    mem.write(0x01600000 + 0x12 * 4, 4, 0x00500000 | kAll);
    r = walker.walk(regs(Mode::Legacy32), lin, Access::Read, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, 0x00500345u);
}

TEST_F(PageWalkerTest, Legacy32HasNoReservedBitsInFourKiBEntries) {
    clearTables();
    // Every bit of a 32-bit PDE/PTE is defined or ignored (SDM 4.3): no RSVD faults here.
    build(Mode::Legacy32, kLin32, 0xFFFFF000, {0x41000 | 0xFFF, 0xFFF & ~PAT4K});
    mem.write(addrs[0], 4, 0x41000 | 0xF7F);  // PS=0 (bit 7), everything else set
    WalkResult r = walker.walk(regs(Mode::Legacy32, 0, kCr4Pse), kLin32, Access::Read, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, 0xFFFFFABCull);
}

TEST_F(PageWalkerTest, PaeFourKiBPage) {
    clearTables();
    build(Mode::Pae, kLin32, 0x00300000, {P, kAll, kAll});
    ASSERT_EQ(addrs, (std::vector<uint64_t>{0x40020 + 3 * 8, 0x41000 + 5 * 8, 0x42000 + 3 * 8}));
    WalkResult r = walker.walk(regs(Mode::Pae), kLin32, Access::Write, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, 0x00300ABCu);
    EXPECT_EQ(r.pageSize, 4096u);
    EXPECT_EQ(entry(0), 0x41000 | P);  // PDPTEs have no A bit
    EXPECT_EQ(entry(1), 0x42000 | kAll | A);
    EXPECT_EQ(entry(2), 0x00300000 | kAll | A | D);
}

TEST_F(PageWalkerTest, PaeTwoMiBPage) {
    clearTables();
    build(Mode::Pae, kLin32, 0x00600000 | PATLARGE, {P, kAll | PS});
    WalkResult r = walker.walk(regs(Mode::Pae), kLin32, Access::Read, true);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, 0x00600000u | (kLin32 & 0x1FFFFF));
    EXPECT_EQ(r.pageSize, 2ull << 20);
    EXPECT_EQ(entry(1), 0x00600000 | PATLARGE | kAll | PS | A);
}

TEST_F(PageWalkerTest, PaeAddressesAboveFourGiB) {
    clearTables();
    build(Mode::Pae, kLin32, 0xFF12345000ull, {P, kAll, kAll});  // bit 39: the highest below MAXPHYADDR
    WalkResult r = walker.walk(regs(Mode::Pae), kLin32, Access::Read, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, 0xFF12345ABCull);
}

TEST_F(PageWalkerTest, PaeUsesCr3Bits31To5AndPdpteIndexFromBits31To30) {
    clearTables();
    for (uint64_t i = 0; i < 4; ++i) mem.write(0x40020 + i * 8, 8, 0);
    build(Mode::Pae, 0x40001000, 0x00700000, {P, kAll, kAll});  // PDPTE 1
    EXPECT_EQ(addrs[0], 0x40028u);
    WalkResult r = walker.walk(regs(Mode::Pae), 0x40001000, Access::Read, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, 0x00700000u);
    r = walker.walk(regs(Mode::Pae), 0x00001000, Access::Read, false);  // PDPTE 0: not present
    ASSERT_TRUE(r.fault);
    EXPECT_EQ(r.errorCode, 0u);
}

TEST_F(PageWalkerTest, LongModeFourKiBPage) {
    clearTables();
    build(Mode::Long4, kLin64, 0x00800000, {kAll, kAll, kAll, kAll});
    ASSERT_EQ(addrs, (std::vector<uint64_t>{0x40000 + 0x1A5 * 8, 0x41000 + 0xC3 * 8, 0x42000 + 0x107 * 8,
                                            0x43000 + 0xF9 * 8}));
    WalkResult r = walker.walk(regs(Mode::Long4), kLin64, Access::Write, true);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, 0x00800ABCu);
    EXPECT_EQ(r.pageSize, 4096u);
    for (unsigned i = 0; i < 3; ++i) EXPECT_EQ(entry(i), kTables[i + 1] | kAll | A) << "level " << i;
    EXPECT_EQ(entry(3), 0x00800000 | kAll | A | D);
}

TEST_F(PageWalkerTest, LongModeTwoMiBPage) {
    clearTables();
    const uint64_t frame = 0xABCE00000ull;
    build(Mode::Long4, kLin64, frame, {kAll, kAll, kAll | PS});
    WalkResult r = walker.walk(regs(Mode::Long4), kLin64, Access::Read, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, frame | (kLin64 & 0x1FFFFF));
    EXPECT_EQ(r.pageSize, 2ull << 20);
    EXPECT_EQ(entry(2), frame | kAll | PS | A);
}

TEST_F(PageWalkerTest, LongModeOneGiBPage) {
    clearTables();
    const uint64_t frame = 0x0140000000ull;  // 5 GiB
    build(Mode::Long4, kLin64, frame | PATLARGE, {kAll, kAll | PS});
    WalkResult r = walker.walk(regs(Mode::Long4), kLin64, Access::Write, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, frame | (kLin64 & 0x3FFFFFFF));
    EXPECT_EQ(r.pageSize, 1ull << 30);
    EXPECT_EQ(entry(0), 0x41000 | kAll | A);
    EXPECT_EQ(entry(1), frame | PATLARGE | kAll | PS | A | D);
}

TEST_F(PageWalkerTest, LongModeIgnoresBits62To52) {
    clearTables();
    // 4-level paging: bits 58:52 are ignored, 62:59 too without CR4.PKE (SDM Table 4-14..4-20).
    const uint64_t hi = bit(52) | bit(58) | bit(62);
    build(Mode::Long4, kLin64, 0x00800000 | hi, {kAll | hi, kAll | hi, kAll | hi, kAll | hi});
    WalkResult r = walker.walk(regs(Mode::Long4), kLin64, Access::Read, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, 0x00800ABCu);
}

TEST_F(PageWalkerTest, FramesUseEveryBitBelowMaxPhyAddr) {
    clearTables();
    build(Mode::Long4, kLin64, 0xFFFFFFF000ull, {kAll, kAll, kAll, kAll});
    WalkResult r = walker.walk(regs(Mode::Long4), kLin64, Access::Read, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, 0xFFFFFFFABCull);
}

// ================================================================================ not present

TEST_F(PageWalkerTest, NotPresentAtEachLevelGivesPZeroAndTouchesNothing) {
    for (Mode m : {Mode::Legacy32, Mode::Pae, Mode::Long4}) {
        const uint64_t lin = m == Mode::Long4 ? kLin64 : kLin32;
        const unsigned n = levels(m);
        for (unsigned lvl = 0; lvl < n; ++lvl) {
            clearTables();
            std::vector<uint64_t> flags(n, kAll);
            if (m == Mode::Pae) flags[0] = P;
            flags[lvl] &= ~P;
            build(m, lin, 0x00900000, flags);
            std::vector<uint64_t> before;
            for (unsigned i = 0; i < n; ++i) before.push_back(entry(i));
            for (int user = 0; user < 2; ++user) {
                for (Access acc : {Access::Read, Access::Write}) {
                    WalkResult r = walker.walk(regs(m), lin, acc, user);
                    ASSERT_TRUE(r.fault) << name(m) << " level " << lvl;
                    const uint32_t want = (acc == Access::Write ? kPfW : 0) | (user ? kPfU : 0);
                    EXPECT_EQ(r.errorCode, want) << name(m) << " level " << lvl;
                }
            }
            for (unsigned i = 0; i < n; ++i) EXPECT_EQ(entry(i), before[i]) << name(m) << " level " << i;
        }
    }
}

TEST_F(PageWalkerTest, ReservedBitsInANotPresentEntryAreNotChecked) {
    clearTables();
    build(Mode::Long4, kLin64, 0x00900000 | bit(51) | PS, {kAll, kAll, kAll, 0});
    WalkResult r = walker.walk(regs(Mode::Long4), kLin64, Access::Read, false);
    ASSERT_TRUE(r.fault);
    EXPECT_EQ(r.errorCode, 0u);
}

// =========================================================================== I/D bit of the error

TEST_F(PageWalkerTest, InstructionFetchBitOnlyWithNxeUnderPaeOrWithSmep) {
    struct Case { Mode m; uint64_t cr4, efer; uint32_t want; };
    const Case cases[] = {
        {Mode::Legacy32, 0, 0, 0},
        {Mode::Legacy32, 0, kEferNxe, 0},             // NXE means nothing without PAE
        {Mode::Legacy32, kCr4Smep, 0, kPfId},
        {Mode::Pae, 0, 0, 0},
        {Mode::Pae, 0, kEferNxe, kPfId},
        {Mode::Pae, kCr4Smep, 0, kPfId},
        {Mode::Long4, 0, 0, 0},
        {Mode::Long4, 0, kEferNxe, kPfId},
        {Mode::Long4, kCr4Smep, kEferNxe, kPfId},
    };
    for (const Case& c : cases) {
        clearTables();  // nothing present
        const uint64_t lin = c.m == Mode::Long4 ? kLin64 : kLin32;
        WalkResult r = walker.walk(regs(c.m, 0, c.cr4, c.efer), lin, Access::Execute, false);
        ASSERT_TRUE(r.fault);
        EXPECT_EQ(r.errorCode, c.want) << name(c.m) << " cr4=" << c.cr4 << " efer=" << c.efer;
        r = walker.walk(regs(c.m, 0, c.cr4, c.efer), lin, Access::Execute, true);
        EXPECT_EQ(r.errorCode, c.want | kPfU) << name(c.m) << " user";
        r = walker.walk(regs(c.m, 0, c.cr4, c.efer), lin, Access::Read, true);
        EXPECT_EQ(r.errorCode, kPfU) << name(c.m) << " read";  // never for data accesses
    }
}

// ========================================================================= the rights matrix (4.6)

struct Expect {
    bool fault;
    uint32_t err;
    bool canWrite, canExec;
};

// SDM Vol.3A 4.6 (no SMAP, no protection keys) and the error code of 4.7, written from the manual.
Expect reference(Mode m, bool user, Access acc, bool rwAll, bool usAll, bool xdAny, bool wp, bool nxeBit, bool smep) {
    const bool nxe = m != Mode::Legacy32 && nxeBit;
    const bool write = acc == Access::Write, fetch = acc == Access::Execute;
    uint32_t base = (write ? kPfW : 0) | (user ? kPfU : 0) | (fetch && (nxe || smep) ? kPfId : 0);
    if (xdAny && !nxe) return {true, base | kPfP | kPfRsvd, false, false};  // XD reserved when NXE=0
    Expect e{false, 0, false, false};
    if (user) {
        if (!usAll) return {true, base | kPfP, false, false};
        e.canWrite = rwAll;
        e.canExec = !(nxe && xdAny);
    } else {
        e.canWrite = rwAll || !wp;
        e.canExec = !(nxe && xdAny) && !(smep && usAll);
    }
    if ((write && !e.canWrite) || (fetch && !e.canExec)) return {true, base | kPfP, false, false};
    return e;
}

TEST_F(PageWalkerTest, RightsMatrixMatchesTheManual) {
    unsigned checked = 0, faults = 0;
    for (Mode m : {Mode::Legacy32, Mode::Pae, Mode::Long4}) {
        const uint64_t lin = m == Mode::Long4 ? kLin64 : kLin32;
        const unsigned n = levels(m);
        const unsigned firstRightsLevel = m == Mode::Pae ? 1 : 0;  // PAE PDPTEs have no R/W, U/S, XD
        for (unsigned where = firstRightsLevel; where < n; ++where)
        for (int user = 0; user < 2; ++user)
        for (Access acc : {Access::Read, Access::Write, Access::Execute})
        for (int rw = 0; rw < 2; ++rw)
        for (int us = 0; us < 2; ++us)
        for (int wp = 0; wp < 2; ++wp)
        for (int nxe = 0; nxe < 2; ++nxe)
        for (int xd = 0; xd < (m == Mode::Legacy32 ? 1 : 2); ++xd)
        for (int smep = 0; smep < 2; ++smep) {
            clearTables();
            std::vector<uint64_t> flags(n, kAll);
            if (m == Mode::Pae) flags[0] = P;
            if (!rw) flags[where] &= ~RW;
            if (!us) flags[where] &= ~US;
            if (xd) flags[where] |= XD;
            build(m, lin, 0x00A00000, flags);
            std::vector<uint64_t> before;
            for (unsigned i = 0; i < n; ++i) before.push_back(entry(i));
            const PagingRegs rg = regs(m, wp ? kCr0Wp : 0, smep ? kCr4Smep : 0, nxe ? kEferNxe : 0);
            const Expect e = reference(m, user, acc, rw, us, xd, wp, nxe, smep);
            const WalkResult r = walker.walk(rg, lin, acc, user);
            std::ostringstream what;
            what << name(m) << " level=" << where << (user ? " user" : " supervisor")
                 << (acc == Access::Read ? " read" : acc == Access::Write ? " write" : " fetch") << " RW=" << rw
                 << " US=" << us << " WP=" << wp << " NXE=" << nxe << " XD=" << xd << " SMEP=" << smep;
            ++checked;
            ASSERT_EQ(r.fault, e.fault) << what.str() << " error code " << r.errorCode;
            if (e.fault) {
                ++faults;
                ASSERT_EQ(r.errorCode, e.err) << what.str();
                for (unsigned i = 0; i < n; ++i) ASSERT_EQ(entry(i), before[i]) << what.str() << ": entry " << i << " changed";
                continue;
            }
            ASSERT_EQ(r.paddr, 0x00A00000u | (lin & 0xFFF)) << what.str();
            ASSERT_EQ(r.canWrite, e.canWrite) << what.str();
            ASSERT_EQ(r.canExec, e.canExec) << what.str();
            ASSERT_EQ(r.dirty, acc == Access::Write) << what.str();
            for (unsigned i = 0; i < n; ++i) {
                uint64_t want = before[i];
                if (!(m == Mode::Pae && i == 0)) want |= A;
                if (i + 1 == n && acc == Access::Write) want |= D;
                ASSERT_EQ(entry(i), want) << what.str() << ": entry " << i;
            }
        }
    }
    EXPECT_EQ(checked, 384u + 768u + 1536u);  // 192 combinations per level that holds rights (x2 for XD)
    EXPECT_GT(faults, 0u);
    EXPECT_LT(faults, checked);
}

// A few of the matrix's cells with the numbers written out, so a wrong reference cannot hide them.
TEST_F(PageWalkerTest, HandPickedRightsCases) {
    struct Case { Mode m; uint64_t leafFlags; uint64_t cr0, cr4, efer; bool user; Access acc; bool fault; uint32_t err; };
    const Case cases[] = {
        // user write to a read-only page: P|W|U, CR0.WP irrelevant
        {Mode::Legacy32, P | US, 0, 0, 0, true, Access::Write, true, 7},
        {Mode::Legacy32, P | US, kCr0Wp, 0, 0, true, Access::Write, true, 7},
        // supervisor write to a read-only page: allowed unless CR0.WP
        {Mode::Pae, P | US, 0, 0, 0, false, Access::Write, false, 0},
        {Mode::Pae, P | US, kCr0Wp, 0, 0, false, Access::Write, true, 3},
        {Mode::Long4, P, kCr0Wp, 0, 0, false, Access::Write, true, 3},
        // user read of a supervisor page: P|U
        {Mode::Long4, P | RW, 0, 0, 0, true, Access::Read, true, 5},
        // supervisor read of a user page: fine (no SMAP)
        {Mode::Long4, P | US, 0, 0, 0, false, Access::Read, false, 0},
        // fetch from an XD page with NXE: P|I/D (+U)
        {Mode::Long4, kAll | XD, 0, 0, kEferNxe, true, Access::Execute, true, 0x15},
        {Mode::Pae, kAll | XD, 0, 0, kEferNxe, false, Access::Execute, true, 0x11},
        // data access to an XD page is fine
        {Mode::Long4, kAll | XD, 0, 0, kEferNxe, true, Access::Write, false, 0},
        // XD with NXE=0 is a reserved bit even for reads
        {Mode::Long4, kAll | XD, 0, 0, 0, false, Access::Read, true, 9},
        {Mode::Pae, kAll | XD, 0, 0, 0, true, Access::Write, true, 0xF},
        // SMEP: supervisor fetch from a user page
        {Mode::Long4, kAll, 0, kCr4Smep, 0, false, Access::Execute, true, 0x11},
        {Mode::Legacy32, kAll, 0, kCr4Smep, 0, false, Access::Execute, true, 0x11},
        {Mode::Long4, P | RW, 0, kCr4Smep, 0, false, Access::Execute, false, 0},
        // user fetch from a user page with SMEP on: fine
        {Mode::Long4, kAll, 0, kCr4Smep, 0, true, Access::Execute, false, 0},
    };
    for (const Case& c : cases) {
        clearTables();
        const uint64_t lin = c.m == Mode::Long4 ? kLin64 : kLin32;
        std::vector<uint64_t> flags(levels(c.m), kAll);
        if (c.m == Mode::Pae) flags[0] = P;
        flags.back() = c.leafFlags;
        build(c.m, lin, 0x00B00000, flags);
        WalkResult r = walker.walk(regs(c.m, c.cr0, c.cr4, c.efer), lin, c.acc, c.user);
        EXPECT_EQ(r.fault, c.fault) << name(c.m) << " leaf " << std::hex << c.leafFlags;
        EXPECT_EQ(r.errorCode, c.fault ? c.err : 0u) << name(c.m) << " leaf " << std::hex << c.leafFlags;
    }
}

TEST_F(PageWalkerTest, RestrictionsCombineAcrossLevels) {
    // R/W=0 in the PML4E and U/S=0 in the PTE: each alone decides.
    clearTables();
    build(Mode::Long4, kLin64, 0x00800000, {P | US, kAll, kAll, P | RW});
    WalkResult r = walker.walk(regs(Mode::Long4), kLin64, Access::Write, false);
    EXPECT_FALSE(r.fault);  // supervisor, WP=0
    EXPECT_TRUE(r.canWrite);
    r = walker.walk(regs(Mode::Long4, kCr0Wp), kLin64, Access::Write, false);
    EXPECT_TRUE(r.fault);
    EXPECT_EQ(r.errorCode, kPfP | kPfW);
    r = walker.walk(regs(Mode::Long4), kLin64, Access::Read, true);
    EXPECT_TRUE(r.fault);
    EXPECT_EQ(r.errorCode, kPfP | kPfU);
    // XD in a non-leaf entry forbids fetches from the whole region.
    clearTables();
    build(Mode::Long4, kLin64, 0x00800000, {kAll, kAll | XD, kAll, kAll});
    r = walker.walk(regs(Mode::Long4, 0, 0, kEferNxe), kLin64, Access::Execute, false);
    EXPECT_TRUE(r.fault);
    EXPECT_EQ(r.errorCode, kPfP | kPfId);
    r = walker.walk(regs(Mode::Long4, 0, 0, kEferNxe), kLin64, Access::Read, false);
    EXPECT_FALSE(r.fault);
    EXPECT_FALSE(r.canExec);
    EXPECT_TRUE(r.canWrite);
}

// ============================================================================== reserved bits

struct RsvdCase {
    Mode m;
    unsigned level;        // which entry gets the extra bits
    uint64_t extra;
    bool large;            // that entry maps a large page (PS)
    bool fault;            // expected RSVD fault
    const char* what;
};

class ReservedBitTest : public PageWalkerTest {
protected:
    void checkReserved(const RsvdCase& c) {
        clearTables();
        const uint64_t lin = c.m == Mode::Long4 ? kLin64 : kLin32;
        const unsigned n = c.large ? c.level + 1 : levels(c.m);
        std::vector<uint64_t> flags(n, kAll);
        if (c.m == Mode::Pae) flags[0] = P;
        if (c.large) flags.back() |= PS;
        flags[c.level] |= c.extra;
        build(c.m, lin, c.large ? (c.level == 1 && c.m == Mode::Long4 ? 0x40000000 : 0x00C00000) : 0x00D00000, flags);
        std::vector<uint64_t> before;
        for (unsigned i = 0; i < n; ++i) before.push_back(entry(i));
        for (Access acc : {Access::Read, Access::Write}) {
            WalkResult r = walker.walk(regs(c.m, 0, 0, kEferNxe), lin, acc, true);
            EXPECT_EQ(r.fault, c.fault) << name(c.m) << ": " << c.what;
            if (c.fault) {
                EXPECT_EQ(r.errorCode, kPfP | kPfRsvd | kPfU | (acc == Access::Write ? kPfW : 0)) << name(c.m) << ": " << c.what;
            }
        }
        if (c.fault) {
            for (unsigned i = 0; i < n; ++i) EXPECT_EQ(entry(i), before[i]) << c.what << ": entry " << i << " changed";
        }
    }
};

TEST_F(ReservedBitTest, ReservedBits) {
    const RsvdCase cases[] = {
        // 4-level paging (SDM 4.5.4): 51:MAXPHYADDR everywhere, PS in a PML4E, 2M 20:13, 1G 29:13.
        {Mode::Long4, 0, bit(40), false, true, "PML4E bit 40"},
        {Mode::Long4, 0, bit(51), false, true, "PML4E bit 51"},
        {Mode::Long4, 0, PS, false, true, "PML4E PS"},
        {Mode::Long4, 1, bit(45), false, true, "PDPTE bit 45"},
        {Mode::Long4, 2, bit(40), false, true, "PDE bit 40"},
        {Mode::Long4, 3, bit(47), false, true, "PTE bit 47"},
        {Mode::Long4, 3, bit(39), false, false, "PTE bit 39 (an address bit)"},
        {Mode::Long4, 3, PAT4K, false, false, "PTE PAT"},
        {Mode::Long4, 3, G, false, false, "PTE G"},
        {Mode::Long4, 2, bit(13), true, true, "2M PDE bit 13"},
        {Mode::Long4, 2, bit(20), true, true, "2M PDE bit 20"},
        {Mode::Long4, 2, PATLARGE, true, false, "2M PDE PAT"},
        {Mode::Long4, 2, bit(21), true, false, "2M PDE bit 21 (an address bit)"},
        {Mode::Long4, 1, bit(13), true, true, "1G PDPTE bit 13"},
        {Mode::Long4, 1, bit(29), true, true, "1G PDPTE bit 29"},
        {Mode::Long4, 1, bit(21), true, true, "1G PDPTE bit 21"},
        {Mode::Long4, 1, PATLARGE, true, false, "1G PDPTE PAT"},
        {Mode::Long4, 1, bit(30), true, false, "1G PDPTE bit 30 (an address bit)"},
        // PAE paging (SDM 4.4.1, 4.4.2): PDPTE 2:1, 8:5 and 63:MAXPHYADDR; PDE/PTE 62:MAXPHYADDR.
        {Mode::Pae, 0, bit(1), false, true, "PDPTE bit 1"},
        {Mode::Pae, 0, bit(2), false, true, "PDPTE bit 2"},
        {Mode::Pae, 0, bit(5), false, true, "PDPTE bit 5"},
        {Mode::Pae, 0, bit(7), false, true, "PDPTE bit 7"},
        {Mode::Pae, 0, bit(8), false, true, "PDPTE bit 8"},
        {Mode::Pae, 0, bit(40), false, true, "PDPTE bit 40"},
        {Mode::Pae, 0, bit(63), false, true, "PDPTE bit 63"},
        {Mode::Pae, 0, PWT | PCD | bit(9) | bit(11), false, false, "PDPTE PWT/PCD/ignored"},
        {Mode::Pae, 1, bit(40), false, true, "PDE bit 40"},
        {Mode::Pae, 2, bit(51), false, true, "PTE bit 51"},
        {Mode::Pae, 2, bit(39), false, false, "PTE bit 39 (an address bit)"},
        {Mode::Pae, 1, bit(13), true, true, "2M PDE bit 13"},
        {Mode::Pae, 1, bit(20), true, true, "2M PDE bit 20"},
        {Mode::Pae, 1, PATLARGE, true, false, "2M PDE PAT"},
    };
    for (const RsvdCase& c : cases) checkReserved(c);
}

// PAE paging reserves bits 62:MAXPHYADDR of a PDE/PTE and 63:MAXPHYADDR of a PDPTE (SDM Vol.3A
// 4.4.1 Table 4-8, 4.4.2 "The following bits are reserved with PAE paging", Tables 4-9..4-11),
// unlike 4-level paging where 62:52 are ignored (see LongModeIgnoresBits62To52).
TEST_F(ReservedBitTest, PaeReservesBits62To52) {
    const RsvdCase cases[] = {
        {Mode::Pae, 0, bit(52), false, true, "PDPTE bit 52"},
        {Mode::Pae, 0, bit(62), false, true, "PDPTE bit 62"},
        {Mode::Pae, 1, bit(52), false, true, "PDE bit 52"},
        {Mode::Pae, 1, bit(62), false, true, "PDE bit 62"},
        {Mode::Pae, 2, bit(56), false, true, "PTE bit 56"},
        {Mode::Pae, 1, bit(58), true, true, "2M PDE bit 58"},
    };
    for (const RsvdCase& c : cases) checkReserved(c);
}

TEST_F(PageWalkerTest, XdIsReservedAtEveryLevelWhenNxeIsClear) {
    for (Mode m : {Mode::Pae, Mode::Long4}) {
        const unsigned n = levels(m);
        for (unsigned lvl = m == Mode::Pae ? 1 : 0; lvl < n; ++lvl) {
            clearTables();
            const uint64_t lin = m == Mode::Long4 ? kLin64 : kLin32;
            std::vector<uint64_t> flags(n, kAll);
            if (m == Mode::Pae) flags[0] = P;
            flags[lvl] |= XD;
            build(m, lin, 0x00D00000, flags);
            WalkResult r = walker.walk(regs(m), lin, Access::Read, false);
            ASSERT_TRUE(r.fault) << name(m) << " level " << lvl;
            EXPECT_EQ(r.errorCode, kPfP | kPfRsvd) << name(m) << " level " << lvl;
            r = walker.walk(regs(m, 0, 0, kEferNxe), lin, Access::Read, false);
            EXPECT_FALSE(r.fault) << name(m) << " level " << lvl;
        }
    }
}

TEST_F(PageWalkerTest, ReservedBitFaultTakesPrecedence) {
    // Over a not-present entry further down the walk...
    clearTables();
    build(Mode::Long4, kLin64, 0, {kAll, kAll | bit(44), kAll, 0});
    WalkResult r = walker.walk(regs(Mode::Long4), kLin64, Access::Read, false);
    ASSERT_TRUE(r.fault);
    EXPECT_EQ(r.errorCode, kPfP | kPfRsvd);
    // ...and over a rights violation on the same walk.
    clearTables();
    build(Mode::Long4, kLin64, 0x00D00000 | bit(50), {P | RW, kAll, kAll, kAll});
    r = walker.walk(regs(Mode::Long4), kLin64, Access::Read, true);
    ASSERT_TRUE(r.fault);
    EXPECT_EQ(r.errorCode, kPfP | kPfRsvd | kPfU);
}

// ============================================================================ global and dirty

TEST_F(PageWalkerTest, GlobalIsReportedFromTheLeafOnlyWithCr4Pge) {
    struct Case { Mode m; std::vector<uint64_t> flags; uint64_t cr4; bool want; const char* what; };
    const std::vector<Case> cases = {
        {Mode::Long4, {kAll, kAll, kAll, kAll | G}, kCr4Pge, true, "4K leaf G, PGE"},
        {Mode::Long4, {kAll, kAll, kAll, kAll | G}, 0, false, "4K leaf G, no PGE"},
        {Mode::Long4, {kAll | G, kAll | G, kAll | G, kAll}, kCr4Pge, false, "G only in non-leaf entries"},
        {Mode::Long4, {kAll, kAll, kAll | PS | G}, kCr4Pge, true, "2M leaf G"},
        {Mode::Long4, {kAll, kAll | PS | G}, kCr4Pge, true, "1G leaf G"},
        {Mode::Pae, {P, kAll, kAll | G}, kCr4Pge, true, "PAE 4K leaf G"},
        {Mode::Legacy32, {kAll | G, kAll}, kCr4Pge, false, "32-bit PDE G ignored for a page table"},
        {Mode::Legacy32, {kAll, kAll | G}, kCr4Pge, true, "32-bit PTE G"},
        {Mode::Legacy32, {kAll | PS | G}, kCr4Pge | kCr4Pse, true, "32-bit 4M G"},
        {Mode::Legacy32, {kAll | PS | G}, kCr4Pse, false, "32-bit 4M G, no PGE"},
    };
    for (const Case& c : cases) {
        clearTables();
        const uint64_t lin = c.m == Mode::Long4 ? kLin64 : kLin32;
        build(c.m, lin, c.flags.size() == 2 && c.m == Mode::Long4 ? 0x40000000 : 0x00C00000, c.flags);
        WalkResult r = walker.walk(regs(c.m, 0, c.cr4), lin, Access::Read, false);
        ASSERT_FALSE(r.fault) << c.what << " error " << r.errorCode;
        EXPECT_EQ(r.global, c.want) << c.what;
    }
}

TEST_F(PageWalkerTest, DirtyReportsTheLeafDBitAfterTheWalk) {
    clearTables();
    build(Mode::Long4, kLin64, 0x00800000, {kAll, kAll, kAll | D, kAll});  // D in a non-leaf: ignored
    WalkResult r = walker.walk(regs(Mode::Long4), kLin64, Access::Read, false);
    ASSERT_FALSE(r.fault);
    EXPECT_FALSE(r.dirty);
    EXPECT_EQ(entry(3) & D, 0u);
    r = walker.walk(regs(Mode::Long4), kLin64, Access::Execute, false);
    EXPECT_FALSE(r.dirty);
    EXPECT_EQ(entry(3) & D, 0u);
    r = walker.walk(regs(Mode::Long4), kLin64, Access::Write, false);
    EXPECT_TRUE(r.dirty);
    EXPECT_EQ(entry(3) & D, D);
    EXPECT_EQ(entry(2) & D, D);  // unchanged from what we wrote
    EXPECT_EQ(entry(1) & D, 0u);
    r = walker.walk(regs(Mode::Long4), kLin64, Access::Read, false);  // already dirty
    EXPECT_TRUE(r.dirty);
}

TEST_F(PageWalkerTest, AccessedAndDirtyUpdatesKeepTheOtherBits) {
    clearTables();
    const uint64_t keep = XD | bit(62) | bit(52) | PWT | PCD | bit(9) | bit(10) | bit(11);
    build(Mode::Long4, kLin64, 0x00800000 | keep | G, {kAll | keep, kAll | keep, kAll | keep, kAll | keep | G});
    WalkResult r = walker.walk(regs(Mode::Long4, 0, 0, kEferNxe), kLin64, Access::Write, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    for (unsigned i = 0; i < 3; ++i) EXPECT_EQ(entry(i), kTables[i + 1] | kAll | keep | A) << i;
    EXPECT_EQ(entry(3), 0x00800000 | kAll | keep | G | A | D);
}

TEST_F(PageWalkerTest, FaultingWalkSetsNoAccessedBitsEvenOnLevelsThatPassed) {
    clearTables();
    build(Mode::Long4, kLin64, 0x00800000, {kAll, kAll, kAll, P | US});  // read-only leaf
    WalkResult r = walker.walk(regs(Mode::Long4), kLin64, Access::Write, true);
    ASSERT_TRUE(r.fault);
    EXPECT_EQ(r.errorCode, kPfP | kPfW | kPfU);
    for (unsigned i = 0; i < 4; ++i) EXPECT_EQ(entry(i) & (A | D), 0u) << i;
    EXPECT_EQ(walker.walks, 1u);
    EXPECT_EQ(walker.faults, 1u);
}

// ==================================================================================== A20

TEST_F(PageWalkerTest, A20MaskAppliesToTableReadsAndTheResult) {
    clearTables();
    build(Mode::Legacy32, kLin32, 0x00100000, {kAll, kAll});  // frame at 1 MiB: bit 20 set
    PagingRegs rg = regs(Mode::Legacy32);
    rg.cr3 = 0x00140000;  // bit 20 set: with A20 off the directory is read at 0x40000
    WalkResult r = walker.walk(rg, kLin32, Access::Read, false);
    ASSERT_TRUE(r.fault);  // A20 on: 0x140000 is an empty directory
    EXPECT_EQ(r.errorCode, 0u);
    mem.setA20(false);
    r = walker.walk(rg, kLin32, Access::Read, false);
    ASSERT_FALSE(r.fault) << r.errorCode;
    EXPECT_EQ(r.paddr, 0x00000ABCu);
    EXPECT_EQ(entry(0) & A, A);
    mem.setA20(true);
    r = walker.walk(regs(Mode::Legacy32), kLin32, Access::Read, false);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.paddr, 0x00100ABCu);
}

TEST_F(PageWalkerTest, CountsWalksAndFaults) {
    clearTables();
    build(Mode::Long4, kLin64, 0x00800000, {kAll, kAll, kAll, kAll});
    walker.walk(regs(Mode::Long4), kLin64, Access::Read, false);
    walker.walk(regs(Mode::Long4), kLin64 ^ (1ull << 12), Access::Read, false);  // neighbour page: not present
    walker.walk(regs(Mode::Long4), kLin64, Access::Write, false);
    EXPECT_EQ(walker.walks, 3u);
    EXPECT_EQ(walker.faults, 1u);
}

// ============================================================================ memory types

// PAT index = PAT:PCD:PWT of the leaf (PAT is bit 7 in a 4 KiB PTE, bit 12 in a large-page
// entry), looked up in IA32_PAT (SDM Vol.3A 11.12.3); CR0.CD makes everything UC.
TEST_F(PageWalkerTest, PatIndexSelectsTheMemoryType) {
    // PAT entries 0-7: WB WT UC- UC WC WP UC WT (every encoding, distinct low/high halves).
    const uint64_t pat = 0x0400050100070406ull;
    const MemType want[8] = {MemType::WB, MemType::WT, MemType::UCMinus, MemType::UC,
                             MemType::WC, MemType::WP, MemType::UC,      MemType::WT};
    for (Mode m : {Mode::Legacy32, Mode::Pae, Mode::Long4}) {
        const uint64_t lin = m == Mode::Long4 ? kLin64 : kLin32;
        for (unsigned index = 0; index < 8; ++index) {
            const uint64_t bits = (index & 1 ? bit(3) : 0) | (index & 2 ? bit(4) : 0);
            // 4 KiB page: PAT is bit 7 of the PTE.
            clearTables();
            std::vector<uint64_t> flags(levels(m), kAll);
            if (m == Mode::Pae) flags[0] = P;  // PDPTE R/W and U/S are reserved
            flags.back() |= bits | (index & 4 ? bit(7) : 0);
            build(m, lin, 0x00800000, flags);
            PagingRegs r = regs(m);
            r.pat = pat;
            WalkResult w = walker.walk(r, lin, Access::Read, false);
            ASSERT_FALSE(w.fault) << name(m) << " index " << index;
            EXPECT_EQ(want[index], w.memType) << name(m) << " 4 KiB, PAT index " << index;
            // Large page: PAT is bit 12 of the PDE (bit 7 is PS).
            clearTables();
            std::vector<uint64_t> big(levels(m) - 1, kAll);
            if (m == Mode::Pae) big[0] = P;
            big.back() |= PS | bits | (index & 4 ? bit(12) : 0);
            build(m, lin, m == Mode::Legacy32 ? 0x00C00000 : 0x00A00000, big);
            if (m == Mode::Legacy32) r.cr4 |= kCr4Pse;
            w = walker.walk(r, lin, Access::Read, false);
            ASSERT_FALSE(w.fault);
            EXPECT_EQ(want[index], w.memType) << name(m) << " large page, PAT index " << index;
            w = walker.walk(regs(m, bit(30)) /* CR0.CD */, lin, Access::Read, false);
            if (m == Mode::Legacy32) continue;  // regs() without PSE: a different walk
            EXPECT_EQ(MemType::UC, w.memType) << "CR0.CD";
        }
    }
    EXPECT_STREQ("UC-", memTypeName(MemType::UCMinus));
}

}  // namespace
}  // namespace pvx::mmu
