// PhysicalMemory: RAM, ROM overlays, MMIO, unmapped space, A20 and code-page tracking
// (src/mmu/phys_memory.h).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "mmu/phys_memory.h"

namespace pvx {
namespace {

constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kGiB = 1ull << 30;

struct MmioOp {
    bool write;
    uint64_t offset;
    unsigned size;
    uint64_t value;
    bool operator==(const MmioOp& o) const {
        return write == o.write && offset == o.offset && size == o.size && value == o.value;
    }
};

class FakeMmio final : public MmioDevice {
public:
    uint64_t mmioRead(uint64_t offset, unsigned size) override {
        ops.push_back({false, offset, size, 0});
        return 0x1122334455667788ull;
    }
    void mmioWrite(uint64_t offset, unsigned size, uint64_t value) override { ops.push_back({true, offset, size, value}); }
    std::vector<MmioOp> ops;
};

class RecordingListener final : public MemoryListener {
public:
    void codePageWritten(uint64_t page) override { written.push_back(page); }
    void codePageMarked(uint64_t page) override { marked.push_back(page); }
    void memoryMapChanged() override { ++mapChanges; }
    std::vector<uint64_t> written, marked;
    unsigned mapChanges = 0;
};

std::vector<uint8_t> romImage(size_t n, uint8_t seed) {
    std::vector<uint8_t> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 13);
    return v;
}

// ------------------------------------------------------------------------------------- geometry

TEST(PhysicalMemory, RejectsBadSizes) {
    EXPECT_THROW(PhysicalMemory(0), std::invalid_argument);
    EXPECT_THROW(PhysicalMemory(4096 + 1), std::invalid_argument);
    EXPECT_THROW(PhysicalMemory(PhysicalMemory::kMaxRamBytes + 4096), std::invalid_argument);
}

TEST(PhysicalMemory, SmallRamIsAllLow) {
    PhysicalMemory m(16 * kMiB);
    EXPECT_EQ(m.ramSize(), 16 * kMiB);
    EXPECT_EQ(m.lowRamEnd(), 16 * kMiB);
    EXPECT_EQ(m.highRamEnd(), PhysicalMemory::kHighRamBase);  // no high RAM
}

// ------------------------------------------------------------------------------------------ RAM

TEST(PhysicalMemory, RamStartsZeroAndHoldsWritesOfEverySize) {
    PhysicalMemory m(16 * kMiB);
    EXPECT_EQ(m.read(0x1000, 8), 0u);
    m.write(0x2000, 8, 0x0123456789ABCDEFull);
    EXPECT_EQ(m.read(0x2000, 8), 0x0123456789ABCDEFull);
    EXPECT_EQ(m.read(0x2000, 4), 0x89ABCDEFull);
    EXPECT_EQ(m.read(0x2004, 2), 0x4567u);
    EXPECT_EQ(m.read(0x2007, 1), 0x01u);
    m.write(0x2001, 1, 0xFFFF);  // only one byte is stored
    EXPECT_EQ(m.read(0x2000, 8), 0x0123456789ABFFEFull);
    m.write(0x2002, 2, 0xAAAABBBB);
    EXPECT_EQ(m.read(0x2000, 4), 0xBBBBFFEFu);
    m.write(16 * kMiB - 4, 4, 0xCAFEBABE);  // the last bytes of RAM
    EXPECT_EQ(m.read(16 * kMiB - 4, 4), 0xCAFEBABEu);
    EXPECT_EQ(m.ramBase()[0x2000], 0xEF);
    EXPECT_EQ(m.unmappedReads, 0u);
    EXPECT_EQ(m.unmappedWrites, 0u);
}

TEST(PhysicalMemory, UnmappedReadsAllOnesOfTheWidthAndWritesAreDroppedAndCounted) {
    PhysicalMemory m(16 * kMiB);
    const uint64_t hole = 16 * kMiB;  // just past RAM
    EXPECT_EQ(m.read(hole, 1), 0xFFu);
    EXPECT_EQ(m.read(hole, 2), 0xFFFFu);
    EXPECT_EQ(m.read(hole, 4), 0xFFFFFFFFu);
    EXPECT_EQ(m.read(0xFEC00000, 8), ~0ull);
    EXPECT_EQ(m.unmappedReads, 4u);
    m.write(hole, 4, 0);
    m.write(0x100000000ull, 8, 0);  // no high RAM with 16 MiB
    EXPECT_EQ(m.unmappedWrites, 2u);
    EXPECT_EQ(m.read(hole, 4), 0xFFFFFFFFu);
    EXPECT_EQ(m.read(16 * kMiB - 1, 1), 0u);  // RAM below is untouched
}

TEST(PhysicalMemory, RamAboveThreeGiBIsMappedAboveFourGiB) {
    const uint64_t size = 3 * kGiB + 8 * kMiB;
    PhysicalMemory m(size);
    EXPECT_EQ(m.lowRamEnd(), 3 * kGiB);
    EXPECT_EQ(m.highRamEnd(), 4 * kGiB + 8 * kMiB);
    m.write(4 * kGiB, 8, 0x1111222233334444ull);
    m.write(4 * kGiB + 8 * kMiB - 8, 8, 0x5555666677778888ull);
    m.write(3 * kGiB - 8, 8, 0x9999AAAABBBBCCCCull);
    EXPECT_EQ(m.read(4 * kGiB, 8), 0x1111222233334444ull);
    EXPECT_EQ(m.read(4 * kGiB + 8 * kMiB - 8, 8), 0x5555666677778888ull);
    EXPECT_EQ(m.read(3 * kGiB - 8, 8), 0x9999AAAABBBBCCCCull);
    // High RAM follows low RAM in the host block.
    uint64_t v;
    std::memcpy(&v, m.ramBase() + 3 * kGiB, 8);
    EXPECT_EQ(v, 0x1111222233334444ull);
    // The PCI hole and the space past high RAM are unmapped.
    EXPECT_EQ(m.read(3 * kGiB, 4), 0xFFFFFFFFu);
    EXPECT_EQ(m.read(4 * kGiB - 4, 4), 0xFFFFFFFFu);
    EXPECT_EQ(m.read(4 * kGiB + 8 * kMiB, 4), 0xFFFFFFFFu);
    m.write(3 * kGiB + 0x1000, 4, 1);
    EXPECT_EQ(m.unmappedReads, 3u);
    EXPECT_EQ(m.unmappedWrites, 1u);
    // Block accessors see the same RAM.
    EXPECT_TRUE(m.isRamRange(4 * kGiB, 8 * kMiB));
    EXPECT_FALSE(m.isRamRange(4 * kGiB, 8 * kMiB + 1));
    EXPECT_TRUE(m.isRamRange(4 * kGiB + 8 * kMiB - 1, 1));
    EXPECT_FALSE(m.isRamRange(4 * kGiB + 8 * kMiB - 1, 2));
    EXPECT_FALSE(m.isRamRange(3 * kGiB - 4, 8));          // runs into the hole
    EXPECT_FALSE(m.isRamRange(3 * kGiB - 4, kGiB + 8));   // low RAM, hole, high RAM: not one bank
    EXPECT_FALSE(m.isRamRange(4 * kGiB - 1, 2));          // hole into high RAM
    uint64_t got = 0;
    EXPECT_TRUE(m.readRam(4 * kGiB + 8 * kMiB - 8, &got, 8));
    EXPECT_EQ(got, 0x5555666677778888ull);
    const uint64_t val = 0xDEADBEEFF00DFACEull;
    EXPECT_TRUE(m.writeRam(4 * kGiB + 0x100, &val, 8));
    EXPECT_EQ(m.read(4 * kGiB + 0x100, 8), val);
    EXPECT_EQ(m.ramPtr(4 * kGiB, 16), m.ramBase() + 3 * kGiB);
    EXPECT_EQ(m.ramPtr(3 * kGiB - 8, 16), nullptr);
}

// --------------------------------------------------------------------------------- block access

TEST(PhysicalMemory, BlockAccessRefusesRangesOutsideRamAndTouchesNothing) {
    PhysicalMemory m(16 * kMiB);
    std::vector<uint8_t> pattern(64, 0xAB), buf(64, 0x5A);
    const std::vector<uint8_t> sentinel = buf;
    struct Case { uint64_t paddr, len; };
    const Case bad[] = {
        {16 * kMiB - 32, 64},        // straddles the end of RAM
        {16 * kMiB, 1},              // just past it
        {0xFFFFFFFFFFFFFFF0ull, 64}, // wraps around 2^64
        {~0ull, 2},                  // wraps by one
        {0x100000000ull, 16},        // where high RAM would be
    };
    for (const Case& c : bad) {
        EXPECT_FALSE(m.isRamRange(c.paddr, c.len)) << std::hex << c.paddr;
        EXPECT_FALSE(m.readRam(c.paddr, buf.data(), c.len)) << std::hex << c.paddr;
        EXPECT_EQ(buf, sentinel);
        EXPECT_FALSE(m.writeRam(c.paddr, pattern.data(), c.len)) << std::hex << c.paddr;
        EXPECT_EQ(m.ramPtr(c.paddr, c.len), nullptr);
    }
    EXPECT_EQ(m.read(16 * kMiB - 32, 8), 0u);  // the part inside RAM was not written either
    EXPECT_EQ(m.read(16 * kMiB - 8, 8), 0u);
    // Good ranges work.
    EXPECT_TRUE(m.writeRam(16 * kMiB - 64, pattern.data(), 64));
    EXPECT_TRUE(m.readRam(16 * kMiB - 64, buf.data(), 64));
    EXPECT_EQ(buf, pattern);
    EXPECT_EQ(m.ramPtr(0x3000, 0x2000), m.ramBase() + 0x3000);
}

TEST(PhysicalMemory, BlockAccessRefusesRangesOverlappingAnOverlay) {
    PhysicalMemory m(16 * kMiB);
    FakeMmio dev;
    m.addRom(0xE0000, romImage(0x20000, 1), "bios");
    m.addMmio(0xA0000, 0x20000, &dev, "vga");
    EXPECT_TRUE(m.isRamRange(0x9F000, 0x1000));
    EXPECT_FALSE(m.isRamRange(0x9FFFF, 2));        // last RAM byte + first VGA byte
    EXPECT_FALSE(m.isRamRange(0xA0000, 1));
    EXPECT_FALSE(m.isRamRange(0xBFFFF, 1));
    EXPECT_TRUE(m.isRamRange(0xC0000, 0x20000));   // between the overlays
    EXPECT_FALSE(m.isRamRange(0xDFFFF, 2));
    EXPECT_FALSE(m.isRamRange(0xFFFFF, 1));
    EXPECT_TRUE(m.isRamRange(0x100000, 0x1000));
    EXPECT_FALSE(m.isRamRange(0x90000, 0x80000));  // spans both overlays
    std::vector<uint8_t> buf(16, 0x77);
    const std::vector<uint8_t> sentinel = buf;
    EXPECT_FALSE(m.readRam(0xFFFF8, buf.data(), 16));
    EXPECT_EQ(buf, sentinel);
    EXPECT_FALSE(m.writeRam(0x9FFF8, buf.data(), 16));
    EXPECT_EQ(m.read(0x9FFF8, 8), 0u);
    EXPECT_TRUE(dev.ops.empty());  // refused block accesses never reach the device
}

// ------------------------------------------------------------------------------------------ ROM

TEST(PhysicalMemory, RomOverlayIsReadOnlyAndCounted) {
    PhysicalMemory m(16 * kMiB);
    const std::vector<uint8_t> img = romImage(0x2000, 7);
    m.write(0xE0000, 4, 0x12345678);  // RAM underneath, before the ROM exists
    m.addRom(0xE0000, img, "rom");
    ASSERT_EQ(m.regions().size(), 1u);
    EXPECT_EQ(m.regions()[0].name, "rom");
    EXPECT_EQ(m.read(0xE0000, 1), img[0]);
    uint32_t w;
    std::memcpy(&w, img.data() + 0x1FFC, 4);
    EXPECT_EQ(m.read(0xE1FFC, 4), w);
    m.write(0xE0000, 4, 0xFFFFFFFF);
    m.write(0xE1000, 1, 0);
    EXPECT_EQ(m.romWritesDropped, 2u);
    EXPECT_EQ(m.read(0xE0000, 1), img[0]);
    EXPECT_EQ(m.read(0xE1000, 1), img[0x1000]);
    EXPECT_EQ(m.regions()[0].accesses, 6u);
    EXPECT_EQ(m.read(0xE2000, 1), 0u);  // RAM right after the ROM
    // The RAM under the ROM was not written through the ROM.
    EXPECT_EQ(std::memcmp(m.ramBase() + 0xE0000, "\x78\x56\x34\x12", 4), 0);
    PhysicalMemory::PageInfo pi = m.pageInfo(0xE1234);
    ASSERT_NE(pi.host, nullptr);
    EXPECT_FALSE(pi.writable);
    EXPECT_EQ(pi.host[0x234], img[0x1234]);
}

// The i440FX PAM states of one 16 KiB block (82441FX datasheet, PAM registers): 0 both sides
// to the bus, 1 read RAM / write bus, 2 read bus / write RAM (how firmware copies itself into
// shadow RAM), 3 RAM.
TEST(PhysicalMemory, ShadowWindowRoutesReadsAndWritesPerBlock) {
    PhysicalMemory m(16 * kMiB);
    RecordingListener l;
    m.setListener(&l);
    const std::vector<uint8_t> img = romImage(0x20000, 3);  // 0xE0000-0xFFFFF
    m.addRom(0xE0000, img, "bios");
    m.write(0xC0000, 4, 0xAABBCCDD);  // before a chipset takes control: plain RAM
    EXPECT_EQ(m.read(0xC0000, 4), 0xAABBCCDDu);
    m.markCode(0xF0000);
    const uint32_t gen = m.pageGeneration(0xF0000);

    m.setShadow(0xF0000, false, true);  // the chipset takes control: everything else to the bus
    EXPECT_GT(m.pageGeneration(0xF0000), gen);  // decodes of the old bytes are stale
    EXPECT_FALSE(m.isCode(0xF0000));
    EXPECT_EQ(m.read(0xC0000, 4), 0xFFFFFFFFu);  // no ROM there: nothing answers
    m.write(0xC0000, 4, 0);
    EXPECT_EQ(std::memcmp(m.ramBase() + 0xC0000, "\xDD\xCC\xBB\xAA", 4), 0);
    // Read the ROM, write the RAM below it: a copy loop fills the shadow.
    EXPECT_EQ(m.read(0xF0010, 1), img[0x10010]);
    m.write(0xF0010, 1, m.read(0xF0010, 1));
    m.write(0xF0011, 1, 0x5A);
    EXPECT_EQ(m.ramBase()[0xF0010], img[0x10010]);
    EXPECT_EQ(m.read(0xF0011, 1), img[0x10011]);  // reads still see the ROM
    PhysicalMemory::PageInfo pi = m.pageInfo(0xF0000);
    ASSERT_NE(pi.host, nullptr);
    EXPECT_FALSE(pi.writable);  // writes must take the slow path to reach RAM
    EXPECT_EQ(pi.host[0x11], img[0x10011]);

    m.setShadow(0xF0000, true, true);  // RAM read/write: the shadow copy runs
    EXPECT_EQ(m.read(0xF0011, 1), 0x5Au);
    pi = m.pageInfo(0xF0000);
    EXPECT_TRUE(pi.writable);
    EXPECT_EQ(pi.host, m.ramBase() + 0xF0000);
    m.setShadow(0xF0000, true, false);  // write-protected shadow: reads RAM, writes dropped
    m.write(0xF0011, 1, 0x77);
    EXPECT_EQ(m.read(0xF0011, 1), 0x5Au);
    EXPECT_FALSE(m.pageInfo(0xF0000).writable);
    // Blocks are independent: 0xF4000 is still "bus", so it reads the ROM.
    EXPECT_EQ(m.read(0xF4000, 1), img[0x14000]);
    // An address outside the window changes nothing; 0xE0000 still reads the ROM.
    m.setShadow(0xB0000, true, true);
    EXPECT_EQ(m.read(0xE0000, 1), img[0]);
    EXPECT_GE(l.mapChanges, 4u);
}

TEST(PhysicalMemory, LaterRegionsOverlayEarlierOnes) {
    PhysicalMemory m(16 * kMiB);
    const std::vector<uint8_t> a = romImage(0x4000, 1), b = romImage(0x1000, 99);
    m.addRom(0xC0000, a, "a");
    m.addRom(0xC1000, b, "b");
    EXPECT_EQ(m.read(0xC0000, 1), a[0]);
    EXPECT_EQ(m.read(0xC1010, 1), b[0x10]);
    EXPECT_EQ(m.read(0xC2010, 1), a[0x2010]);
}

// A ROM image whose size is not a multiple of 4 KiB (a 16-byte reset stub, as --bios accepts):
// its last byte ends the overlay, and the RAM right after it stays RAM, on the slow path and on
// the TLB fast path (pageInfo's host pointer must agree with read() for every byte it covers).
TEST(PhysicalMemory, RomSmallerThanAPageHidesNoRamAndAgreesWithItsHostPointer) {
    PhysicalMemory m(16 * kMiB);
    const std::vector<uint8_t> img = romImage(16, 0x40);
    m.write(0x100000, 1, 0x42);
    m.write(0xFF000, 1, 0x24);
    m.addRom(0x100000 - img.size(), img, "bios-legacy");
    for (size_t i = 0; i < img.size(); ++i) EXPECT_EQ(m.read(0xFFFF0 + i, 1), img[i]) << i;
    EXPECT_EQ(m.read(0x100000, 1), 0x42u) << "RAM at 1 MiB is hidden by the ROM's page rounding";
    EXPECT_TRUE(m.isRamRange(0x100000, 0x1000));
    m.write(0x100001, 1, 0x43);
    EXPECT_EQ(m.read(0x100001, 1), 0x43u);
    EXPECT_EQ(m.romWritesDropped, 0u);
    for (uint64_t page : {0xFF000ull, 0x100000ull}) {
        PhysicalMemory::PageInfo pi = m.pageInfo(page);
        if (!pi.host) continue;  // slow path only: fine
        for (uint64_t off = 0; off < 4096; ++off)
            ASSERT_EQ(pi.host[off], m.read(page + off, 1)) << "pageInfo host pointer disagrees at 0x" << std::hex << page + off;
    }
}

// ----------------------------------------------------------------------------------------- MMIO

TEST(PhysicalMemory, MmioDispatchesOffsetSizeAndValue) {
    PhysicalMemory m(16 * kMiB);
    FakeMmio dev;
    m.addMmio(0xFEE00000, 0x1000, &dev, "lapic");
    EXPECT_EQ(m.read(0xFEE00020, 4), 0x1122334455667788ull);  // the device decides what it returns
    m.write(0xFEE000B0, 4, 0);
    m.write(0xFEE00FFF, 1, 0xAB);
    EXPECT_EQ(m.read(0xFEE00008, 8), 0x1122334455667788ull);
    m.write(0xFEE00010, 2, 0xBEEF);
    const std::vector<MmioOp> want = {{false, 0x20, 4, 0}, {true, 0xB0, 4, 0}, {true, 0xFFF, 1, 0xAB},
                                      {false, 0x8, 8, 0}, {true, 0x10, 2, 0xBEEF}};
    EXPECT_EQ(dev.ops, want);
    EXPECT_EQ(m.mmioAccesses, 5u);
    EXPECT_EQ(m.regions()[0].accesses, 5u);
    EXPECT_EQ(m.read(0xFEE01000, 4), 0xFFFFFFFFu);  // past the region: unmapped
    EXPECT_EQ(dev.ops.size(), 5u);
    PhysicalMemory::PageInfo pi = m.pageInfo(0xFEE00000);
    EXPECT_EQ(pi.host, nullptr);
    EXPECT_FALSE(pi.writable);
}

TEST(PhysicalMemory, MmioInsideRamShadowsTheRam) {
    PhysicalMemory m(16 * kMiB);
    FakeMmio dev;
    m.write(0x800010, 4, 0x55555555);
    m.addMmio(0x800000, 0x1000, &dev, "bar");
    m.write(0x800010, 4, 0x66666666);
    EXPECT_EQ(m.read(0x800010, 4), 0x1122334455667788ull);
    ASSERT_EQ(dev.ops.size(), 2u);
    EXPECT_EQ(dev.ops[0], (MmioOp{true, 0x10, 4, 0x66666666}));
    uint32_t under;
    std::memcpy(&under, m.ramBase() + 0x800010, 4);
    EXPECT_EQ(under, 0x55555555u);
    EXPECT_EQ(m.pageInfo(0x800000).host, nullptr);
    EXPECT_NE(m.pageInfo(0x801000).host, nullptr);
}

// ------------------------------------------------------------------------------------------ A20

TEST(PhysicalMemory, A20GateSetsTheMaskAndTellsTheListenerOncePerChange) {
    PhysicalMemory m(16 * kMiB);
    RecordingListener l;
    m.setListener(&l);
    EXPECT_TRUE(m.a20());
    EXPECT_EQ(m.a20Mask(), ~0ull);
    m.setA20(false);
    EXPECT_FALSE(m.a20());
    EXPECT_EQ(m.a20Mask(), ~(1ull << 20));
    EXPECT_EQ(l.mapChanges, 1u);
    m.setA20(false);  // no change, no notification
    EXPECT_EQ(l.mapChanges, 1u);
    // What the mask does to the classic wrap-around address FFFF:0010.
    EXPECT_EQ((0xFFFF0ull + 0x10) & m.a20Mask(), 0u);
    EXPECT_EQ((0x3FFFFFull) & m.a20Mask(), 0x2FFFFFull);
    m.setA20(true);
    EXPECT_TRUE(m.a20());
    EXPECT_EQ(m.a20Mask(), ~0ull);
    EXPECT_EQ(l.mapChanges, 2u);
    m.setA20(true);
    EXPECT_EQ(l.mapChanges, 2u);
}

TEST(PhysicalMemory, AddingRegionsTellsTheListener) {
    PhysicalMemory m(16 * kMiB);
    RecordingListener l;
    m.setListener(&l);
    FakeMmio dev;
    m.addRom(0xF0000, romImage(0x10000, 0), "bios");
    m.addMmio(0xFEC00000, 0x1000, &dev, "ioapic");
    EXPECT_EQ(l.mapChanges, 2u);
}

// ------------------------------------------------------------------------------ code-page tracking

TEST(PhysicalMemory, MarkCodeTellsTheListenerOnceAndShowsInPageInfo) {
    PhysicalMemory m(16 * kMiB);
    RecordingListener l;
    m.setListener(&l);
    EXPECT_FALSE(m.isCode(0x5000));
    EXPECT_FALSE(m.pageInfo(0x5000).code);
    m.markCode(0x5123);
    m.markCode(0x5FFF);  // same page: already marked
    EXPECT_TRUE(m.isCode(0x5000));
    EXPECT_TRUE(m.pageInfo(0x5ABC).code);
    EXPECT_FALSE(m.isCode(0x6000));
    EXPECT_EQ(l.marked, std::vector<uint64_t>{0x5});
    m.markCode(16 * kMiB);  // not RAM: ignored
    EXPECT_EQ(l.marked, std::vector<uint64_t>{0x5});
    EXPECT_FALSE(m.isCode(16 * kMiB));
}

TEST(PhysicalMemory, WriteToACodePageBumpsItsGenerationAndNotifiesExactlyOnce) {
    PhysicalMemory m(16 * kMiB);
    RecordingListener l;
    m.setListener(&l);
    m.write(0x7000, 4, 1);  // not code yet: nothing happens
    EXPECT_EQ(m.pageGeneration(0x7000), 0u);
    m.markCode(0x7000);
    const uint32_t g0 = m.pageGeneration(0x7000);
    m.write(0x7FFC, 4, 0x90909090);
    EXPECT_EQ(m.pageGeneration(0x7000), g0 + 1);
    EXPECT_EQ(l.written, std::vector<uint64_t>{0x7});
    EXPECT_EQ(m.codeInvalidations, 1u);
    EXPECT_FALSE(m.isCode(0x7000));  // no decodes left to protect
    m.write(0x7000, 1, 0xCC);        // second write: nothing more to invalidate
    EXPECT_EQ(m.pageGeneration(0x7000), g0 + 1);
    EXPECT_EQ(l.written.size(), 1u);
    EXPECT_EQ(m.read(0x7FFC, 4), 0x90909090u);  // the write itself happened
    EXPECT_EQ(m.pageGeneration(0x8000), 0u);    // neighbours untouched
    // Marked again (re-decoded), then written again: another bump.
    m.markCode(0x7000);
    m.write(0x7800, 2, 0);
    EXPECT_EQ(m.pageGeneration(0x7000), g0 + 2);
    EXPECT_EQ(l.written, (std::vector<uint64_t>{0x7, 0x7}));
}

TEST(PhysicalMemory, WriteRamInvalidatesEveryCodePageItTouchesOnce) {
    PhysicalMemory m(16 * kMiB);
    RecordingListener l;
    m.setListener(&l);
    m.markCode(0x10000);
    m.markCode(0x12000);
    std::vector<uint8_t> data(0x2001, 0xAA);  // 0x10FFF .. 0x12FFF: pages 0x10, 0x11, 0x12
    ASSERT_TRUE(m.writeRam(0x10FFF, data.data(), data.size()));
    EXPECT_EQ(l.written, (std::vector<uint64_t>{0x10, 0x12}));
    EXPECT_EQ(m.pageGeneration(0x10000), 1u);
    EXPECT_EQ(m.pageGeneration(0x11000), 0u);
    EXPECT_EQ(m.pageGeneration(0x12000), 1u);
    EXPECT_EQ(m.codeInvalidations, 2u);
    EXPECT_EQ(m.read(0x12FFF, 1), 0xAAu);
    // A refused writeRam invalidates nothing.
    m.markCode(0xFFF000);
    EXPECT_FALSE(m.writeRam(0xFFF000, data.data(), 0x2000));
    EXPECT_EQ(m.pageGeneration(0xFFF000), 0u);
    EXPECT_EQ(l.written.size(), 2u);
}

TEST(PhysicalMemory, CodePagesInHighRamAreTrackedToo) {
    PhysicalMemory m(3 * kGiB + 8 * kMiB);
    RecordingListener l;
    m.setListener(&l);
    m.markCode(4 * kGiB + 0x3000);
    EXPECT_TRUE(m.isCode(4 * kGiB + 0x3000));
    EXPECT_FALSE(m.isCode(0x3000));  // no aliasing with the low page of the same index
    EXPECT_FALSE(m.isCode(3 * kGiB - 0x1000));
    EXPECT_EQ(l.marked, std::vector<uint64_t>{(4 * kGiB + 0x3000) >> 12});
    m.write(4 * kGiB + 0x3010, 8, 1);
    EXPECT_EQ(m.pageGeneration(4 * kGiB + 0x3000), 1u);
    EXPECT_EQ(l.written, std::vector<uint64_t>{(4 * kGiB + 0x3000) >> 12});
}

TEST(PhysicalMemory, RamDigestFollowsTheContents) {
    PhysicalMemory a(1 * kMiB), b(1 * kMiB);
    EXPECT_EQ(a.ramDigest(), b.ramDigest());
    a.write(0xFFFFF, 1, 1);
    EXPECT_NE(a.ramDigest(), b.ramDigest());
    b.write(0xFFFFF, 1, 1);
    EXPECT_EQ(a.ramDigest(), b.ramDigest());
}

}  // namespace
}  // namespace pvx
