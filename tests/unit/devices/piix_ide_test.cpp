// PIIX3 IDE function: PCI identity, BAR4 bus master registers, and DMA through PRD tables in
// guest RAM, including the hostile cases (regions and tables outside RAM, short, long and
// endless tables).
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "ata_test_image.h"
#include "common/port_bus.h"
#include "devices/ata/ata_channel.h"
#include "devices/ata/ata_disk.h"
#include "devices/ata/piix_ide.h"
#include "devices/pci/pci_bus.h"
#include "mmu/phys_memory.h"

namespace pvx {
namespace {

using test::AtaTestImage;

constexpr uint16_t kBm = 0xC000;  // where the tests put BAR4
constexpr uint64_t kSectors = 4096;

class PiixIdeTest : public ::testing::Test {
protected:
    void SetUp() override {
        primary.attach(ports, AtaChannel::kPrimaryPorts);
        secondary.attach(ports, AtaChannel::kSecondaryPorts);
        primary.setDisk(0, &disk);
        pci.attach(ports);
        pci.addFunction(1, 1, ide);
        pci.configWrite(1, 1, 0x20, 4, kBm);
        pci.configWrite(1, 1, 0x04, 2, 0x0005);  // I/O space + bus master
    }
    uint8_t in8(uint16_t p) { return static_cast<uint8_t>(ports.read(p, 1)); }
    void out8(uint16_t p, uint8_t v) { ports.write(p, 1, v); }

    void putPrd(uint64_t at, uint32_t addr, uint32_t bytes, bool last) {
        uint32_t e[2] = {addr, (bytes & 0xFFFF) | (last ? 0x80000000u : 0)};
        ASSERT_TRUE(mem.writeRam(at, e, sizeof e));
    }
    void command28(uint8_t cmd, uint32_t lba, uint8_t count) {
        out8(0x1F6, static_cast<uint8_t>(0xE0 | (lba >> 24)));
        out8(0x1F2, count);
        out8(0x1F3, static_cast<uint8_t>(lba));
        out8(0x1F4, static_cast<uint8_t>(lba >> 8));
        out8(0x1F5, static_cast<uint8_t>(lba >> 16));
        out8(0x1F7, cmd);
    }
    // The usual driver sequence: table, direction, clear status, command, start.
    void dma(uint8_t cmd, uint32_t lba, uint8_t count, uint32_t table, bool toMemory) {
        ports.write(kBm + 4, 4, table);
        out8(kBm, toMemory ? 0x08 : 0x00);
        out8(kBm + 2, 0x06);
        command28(cmd, lba, count);
        out8(kBm, toMemory ? 0x09 : 0x01);
    }
    std::vector<uint8_t> ram(uint64_t at, size_t n) {
        std::vector<uint8_t> v(n);
        EXPECT_TRUE(mem.readRam(at, v.data(), n));
        return v;
    }
    static std::vector<uint8_t> sectors(uint64_t lba, unsigned n) {
        std::vector<uint8_t> v;
        for (unsigned i = 0; i < n; ++i) {
            std::vector<uint8_t> s = AtaTestImage::expectedSector(lba + i);
            v.insert(v.end(), s.begin(), s.end());
        }
        return v;
    }

    AtaTestImage image{kSectors};
    AtaDisk disk{image.backend()};
    PortBus ports;
    PhysicalMemory mem{16ull << 20};
    AtaChannel primary{"ide0"};
    AtaChannel secondary{"ide1"};
    PciBus pci;
    PiixIde ide{primary, secondary, mem, ports};
};

TEST_F(PiixIdeTest, PciIdentityAndBarProbe) {
    EXPECT_EQ(pci.configRead(1, 1, 0x00, 4), 0x70108086u);
    EXPECT_EQ(pci.configRead(1, 1, 0x08, 4), 0x01018000u);
    EXPECT_EQ(pci.configRead(1, 1, 0x0E, 1), 0x00u);
    EXPECT_EQ(pci.configRead(1, 1, 0x06, 2), 0x0280u);
    // BAR0-3 are not implemented (legacy mode); BAR4 is 16 bytes of I/O.
    pci.configWrite(1, 1, 0x10, 4, 0xFFFFFFFF);
    EXPECT_EQ(pci.configRead(1, 1, 0x10, 4), 0u);
    pci.configWrite(1, 1, 0x04, 2, 0);
    pci.configWrite(1, 1, 0x20, 4, 0xFFFFFFFF);
    EXPECT_EQ(pci.configRead(1, 1, 0x20, 4), 0xFFFFFFF1u);  // 16 bytes (32-bit I/O BAR, pci_function.cpp)
    EXPECT_EQ(ports.deviceAt(kBm), nullptr);
    pci.configWrite(1, 1, 0x20, 4, 0xD000);
    pci.configWrite(1, 1, 0x04, 2, 0xFFFF);
    EXPECT_EQ(pci.configRead(1, 1, 0x04, 2), 0x0005u);  // only I/O and bus master stick
    EXPECT_EQ(ports.deviceAt(0xD000), &ide);
    EXPECT_EQ(ports.deviceAt(0xD00F), &ide);
    EXPECT_EQ(ports.deviceAt(0xD010), nullptr);
    // IDETIM is read/write with reserved bits 11:10.
    pci.configWrite(1, 1, 0x40, 4, 0xFFFFFFFF);
    EXPECT_EQ(pci.configRead(1, 1, 0x40, 4), 0xF3FFF3FFu);
}

TEST_F(PiixIdeTest, BusMasterRegisters) {
    EXPECT_EQ(in8(kBm + 2), 0x00);
    out8(kBm + 2, 0x60);  // drive DMA capable bits are read/write
    EXPECT_EQ(in8(kBm + 2), 0x60);
    ports.write(kBm + 4, 4, 0x12345677);
    EXPECT_EQ(ports.read(kBm + 4, 4), 0x12345674u);  // dword aligned
    EXPECT_EQ(in8(kBm + 1), 0x00);
    EXPECT_EQ(in8(kBm + 3), 0x00);
    out8(kBm, 0xFF);
    EXPECT_EQ(in8(kBm), 0x09);
    EXPECT_EQ(in8(kBm + 2) & 0x01, 0x01);  // active: waiting for a drive
    out8(kBm, 0x00);
    EXPECT_EQ(in8(kBm + 2), 0x60);
    // The secondary channel's block is separate.
    ports.write(kBm + 0xC, 4, 0x1000);
    EXPECT_EQ(ports.read(kBm + 4, 4), 0x12345674u);
    EXPECT_EQ(ide.busMaster(1).prdTable(), 0x1000u);
}

TEST_F(PiixIdeTest, DmaReadIntoRam) {
    putPrd(0x1000, 0x10000, 512, false);
    putPrd(0x1008, 0x20000, 1024, true);
    dma(0xC8, 10, 3, 0x1000, true);
    EXPECT_EQ(in8(kBm + 2), 0x04);  // interrupt, not active: regions matched exactly
    EXPECT_TRUE(primary.irq.level());
    EXPECT_EQ(in8(0x1F7), 0x50);
    EXPECT_FALSE(primary.irq.level());
    EXPECT_EQ(ram(0x10000, 512), sectors(10, 1));
    EXPECT_EQ(ram(0x20000, 1024), sectors(11, 2));
    EXPECT_EQ(primary.dmaTransfers, 1u);
    EXPECT_EQ(primary.sectorsRead, 3u);
    EXPECT_EQ(ide.busMaster(0).bytesTransferred, 1536u);
    out8(kBm + 2, 0x04);  // write 1 to clear
    EXPECT_EQ(in8(kBm + 2), 0x00);
}

TEST_F(PiixIdeTest, DmaStartedBeforeCommand) {
    putPrd(0x1000, 0x30000, 2048, true);
    ports.write(kBm + 4, 4, 0x1000);
    out8(kBm, 0x09);
    EXPECT_EQ(in8(kBm + 2), 0x01);
    command28(0xC8, 100, 4);
    EXPECT_EQ(in8(kBm + 2), 0x04);
    EXPECT_EQ(ram(0x30000, 2048), sectors(100, 4));
    EXPECT_EQ(in8(0x1F7), 0x50);
}

TEST_F(PiixIdeTest, DmaExtAcrossChunks) {
    // 300 sectors (more than one 128-sector staging chunk) into four regions: one with the
    // 0 = 64 KiB byte count, one ending mid-sector, a 2-byte one, and the rest.
    constexpr uint32_t kTotal = 300 * 512;
    constexpr uint32_t kLast = kTotal - 65536 - 65534 - 2;
    putPrd(0x1000, 0x100000, 0, false);
    putPrd(0x1008, 0x200000, 0xFFFE, false);
    putPrd(0x1010, 0x300000, 2, false);
    putPrd(0x1018, 0x400000, kLast, true);
    ports.write(kBm + 4, 4, 0x1000);
    out8(kBm, 0x08);
    out8(0x1F6, 0x40);
    out8(0x1F2, 0x01);  // count 0x012C
    out8(0x1F3, 0);
    out8(0x1F4, 0);
    out8(0x1F5, 0);
    out8(0x1F2, 0x2C);
    out8(0x1F3, 0x10);
    out8(0x1F4, 0);
    out8(0x1F5, 0);
    out8(0x1F7, 0x25);
    out8(kBm, 0x09);
    EXPECT_EQ(in8(kBm + 2), 0x04);
    std::vector<uint8_t> got = ram(0x100000, 65536);
    auto append = [&](uint64_t at, size_t n) {
        std::vector<uint8_t> v = ram(at, n);
        got.insert(got.end(), v.begin(), v.end());
    };
    append(0x200000, 0xFFFE);
    append(0x300000, 2);
    append(0x400000, kLast);
    EXPECT_EQ(got, sectors(0x10, 300));
    EXPECT_EQ(primary.sectorsRead, 300u);
    EXPECT_EQ(ide.busMaster(0).prdEntries, 4u);
}

TEST_F(PiixIdeTest, DmaWriteToImage) {
    std::vector<uint8_t> data(1536);
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 13 + 1);
    ASSERT_TRUE(mem.writeRam(0x40000, data.data(), 1024));
    ASSERT_TRUE(mem.writeRam(0x50000, data.data() + 1024, 512));
    putPrd(0x2000, 0x40000, 1024, false);
    putPrd(0x2008, 0x50000, 512, true);
    dma(0xCA, 7, 3, 0x2000, false);
    EXPECT_EQ(in8(kBm + 2), 0x04);
    EXPECT_EQ(in8(0x1F7), 0x50);
    for (unsigned s = 0; s < 3; ++s)
        EXPECT_EQ(image.fileSector(7 + s), std::vector<uint8_t>(data.begin() + 512 * s, data.begin() + 512 * (s + 1)));
    EXPECT_EQ(image.fileSector(10), AtaTestImage::expectedSector(10));
    EXPECT_EQ(primary.sectorsWritten, 3u);
}

TEST_F(PiixIdeTest, RegionOutsideRamIsABusMasterError) {
    putPrd(0x1000, 0x10000, 512, false);
    putPrd(0x1008, 0xFEC00000, 512, true);  // not RAM (16 MiB of RAM; I/O APIC territory)
    dma(0xC8, 0, 2, 0x1000, true);
    EXPECT_EQ(in8(kBm + 2), 0x06);  // error + interrupt, not active
    EXPECT_TRUE(primary.irq.level());
    EXPECT_EQ(in8(0x1F7), 0x51);
    EXPECT_EQ(in8(0x1F1), 0x04);
    EXPECT_EQ(ide.busMaster(0).memoryErrors, 1u);
    EXPECT_EQ(ram(0x10000, 512), sectors(0, 1));  // the first region was done
    // Write direction: reading a region that straddles the end of RAM.
    putPrd(0x1000, static_cast<uint32_t>((16u << 20) - 256), 512, true);
    dma(0xCA, 0, 1, 0x1000, false);
    EXPECT_EQ(in8(kBm + 2), 0x06);
    EXPECT_EQ(in8(0x1F7), 0x51);
    EXPECT_EQ(image.fileSector(0), AtaTestImage::expectedSector(0));
}

TEST_F(PiixIdeTest, PrdTableOutsideRam) {
    dma(0xC8, 0, 1, 0xFFFFFFFC, true);
    EXPECT_EQ(in8(kBm + 2), 0x06);
    EXPECT_EQ(in8(0x1F7), 0x51);
    // The drive is usable afterwards.
    putPrd(0x1000, 0x10000, 512, true);
    dma(0xC8, 1, 1, 0x1000, true);
    EXPECT_EQ(in8(kBm + 2), 0x04);
    EXPECT_EQ(ram(0x10000, 512), sectors(1, 1));
}

TEST_F(PiixIdeTest, PrdTableTooShortThenRestart) {
    putPrd(0x1000, 0x10000, 512, true);
    dma(0xC8, 20, 2, 0x1000, true);
    // Regions exhausted before the drive: interrupt 0, active 0, error 0; the drive waits.
    EXPECT_EQ(in8(kBm + 2), 0x00);
    EXPECT_FALSE(primary.irq.level());
    EXPECT_EQ(in8(0x3F6), 0x58);
    // The host supplies the rest and restarts the engine.
    putPrd(0x1100, 0x20000, 512, true);
    out8(kBm, 0x08);
    ports.write(kBm + 4, 4, 0x1100);
    out8(kBm, 0x09);
    EXPECT_EQ(in8(kBm + 2), 0x04);
    EXPECT_EQ(in8(0x1F7), 0x50);
    EXPECT_EQ(ram(0x10000, 512), sectors(20, 1));
    EXPECT_EQ(ram(0x20000, 512), sectors(21, 1));
}

TEST_F(PiixIdeTest, PrdTableTooLongStaysActive) {
    putPrd(0x1000, 0x10000, 0, true);  // 64 KiB for a one-sector read
    dma(0xC8, 3, 1, 0x1000, true);
    EXPECT_EQ(in8(kBm + 2), 0x05);  // interrupt + still active
    EXPECT_EQ(in8(0x1F7), 0x50);
    out8(kBm, 0x08);  // the host stops the engine
    EXPECT_EQ(in8(kBm + 2), 0x04);
    EXPECT_EQ(ram(0x10000, 512), sectors(3, 1));
}

TEST_F(PiixIdeTest, EndlessPrdTableIsBounded) {
    // 64 KiB of 2-byte entries without an end-of-table bit, for a 256-sector read that would
    // need 65536 of them: the engine stops after the 8192 entries a table can hold.
    std::vector<uint32_t> table(2 * 8192 + 64);
    for (size_t i = 0; i < table.size(); i += 2) {
        table[i] = 0x200000;
        table[i + 1] = 2;
    }
    ASSERT_TRUE(mem.writeRam(0x100000, table.data(), table.size() * 4));
    dma(0xC8, 0, 0, 0x100000, true);
    EXPECT_EQ(ide.busMaster(0).prdEntries, BusMasterDma::kMaxPrdEntries);
    EXPECT_EQ(ide.busMaster(0).bytesTransferred, 2u * BusMasterDma::kMaxPrdEntries);
    EXPECT_EQ(in8(kBm + 2), 0x00);
    EXPECT_EQ(in8(0x3F6), 0x58);  // drive still wants data
    // A soft reset recovers the drive.
    out8(0x3F6, 0x04);
    out8(0x3F6, 0x00);
    EXPECT_EQ(in8(0x1F7), 0x50);
}

TEST_F(PiixIdeTest, BusMasterDisabledFails) {
    pci.configWrite(1, 1, 0x04, 2, 0x0001);
    putPrd(0x1000, 0x10000, 512, true);
    dma(0xC8, 0, 1, 0x1000, true);
    EXPECT_EQ(in8(kBm + 2), 0x06);
    EXPECT_EQ(in8(0x1F7), 0x51);
    EXPECT_EQ(ram(0x10000, 512), std::vector<uint8_t>(512, 0));
}

TEST_F(PiixIdeTest, DmaOutOfRangeNeverStartsTransfer) {
    putPrd(0x1000, 0x10000, 512, true);
    dma(0xC8, kSectors, 1, 0x1000, true);
    EXPECT_EQ(in8(0x1F7), 0x51);
    EXPECT_EQ(in8(0x1F1), 0x10);
    EXPECT_EQ(in8(kBm + 2), 0x05);  // the drive interrupted; the engine never moved data
    EXPECT_EQ(ide.busMaster(0).bytesTransferred, 0u);
}

TEST_F(PiixIdeTest, NienSuppressesInterruptLatch) {
    out8(0x3F6, 0x02);
    putPrd(0x1000, 0x10000, 512, true);
    dma(0xC8, 0, 1, 0x1000, true);
    EXPECT_EQ(in8(kBm + 2), 0x00);
    EXPECT_FALSE(primary.irq.level());
    EXPECT_EQ(in8(0x1F7), 0x50);
    EXPECT_EQ(ram(0x10000, 512), sectors(0, 1));
}

TEST_F(PiixIdeTest, ResetStopsEngineAndUnmapsBar) {
    out8(kBm, 0x09);
    pci.reset();
    EXPECT_EQ(ide.busMaster(0).status(), 0u);
    EXPECT_EQ(ports.deviceAt(kBm), nullptr);
    EXPECT_EQ(pci.configRead(1, 1, 0x20, 4), 1u);
}

TEST_F(PiixIdeTest, RandomPortTrafficIsHarmless) {
    // Deterministic pseudo-random accesses of every width to the channel, control, bus master
    // and PCI configuration ports, with PRD tables pointing anywhere. Passing means: no crash,
    // no sanitizer report, no hang, and the drive still answers after a reset.
    std::mt19937 rng(12345);
    // Some PRD tables in RAM for the pointer to land on.
    for (uint32_t t = 0; t < 64; ++t)
        putPrd(0x1000 + 8 * t, 0x10000 + 0x1000 * t, (t % 5) * 512, t % 7 == 6);
    const uint16_t portsToHit[] = {0x1F0, 0x1F1, 0x1F2, 0x1F3, 0x1F4, 0x1F5, 0x1F6, 0x1F7, 0x3F6,
                                   kBm,   kBm + 2, kBm + 4, kBm + 6, kBm + 8, kBm + 0xA, kBm + 0xC,
                                   0xCF8, 0xCFC, 0xCFD, 0xCFE, 0xCFF};
    const uint8_t commands[] = {0x20, 0x24, 0x30, 0x34, 0xC4, 0xC5, 0xC8, 0xCA, 0x25, 0x35,
                                0xEC, 0xE7, 0xEF, 0x91, 0xC6, 0x90, 0x40, 0x00};
    for (int i = 0; i < 200000; ++i) {
        if (i % 500 == 0) {  // periodically put the function back where the test can reach it
            pci.configWrite(1, 1, 0x20, 4, kBm);
            pci.configWrite(1, 1, 0x04, 2, 0x0005);
        }
        uint16_t port = portsToHit[rng() % std::size(portsToHit)];
        unsigned size = 1u << (rng() % 3);
        uint32_t value = static_cast<uint32_t>(rng());
        // Bias towards states that get somewhere: small LBAs and counts on this 4096-sector
        // disk, the master selected, the BAR left mostly in place, tables inside RAM.
        if (port == 0x1F7 && rng() % 8) value = commands[rng() % std::size(commands)];
        if ((port == 0x1F4 || port == 0x1F5) && rng() % 4) value &= port == 0x1F4 ? 0x0F : 0x00;
        if (port == 0x1F2 && rng() % 2) value &= 0x07;
        if (port == 0x1F6 && rng() % 4) value = 0xE0;
        if (port == 0xCF8 && rng() % 4) value = 0x80000000u | (1u << 11) | (1u << 8) | (value & 0xFC);
        if (port == 0xCF8 && rng() % 8 && ((value & 0xFC) == 0x04 || (value & 0xFC) == 0x20)) value = 0x80000840u;
        if (port == kBm + 4 && rng() % 4) value = rng() % 2 ? 0x1000 + 8 * (value % 64) : value & 0x00FFFFF8u;
        if (port == kBm && rng() % 2) value &= 0x09;
        if (rng() % 2) ports.write(port, size, value);
        else ports.read(port, size);
    }
    pci.configWrite(1, 1, 0x20, 4, kBm);
    pci.configWrite(1, 1, 0x04, 2, 0x0005);
    primary.attach(ports, AtaChannel::kPrimaryPorts);  // a BAR the guest moved may have covered them
    out8(0x3F6, 0x04);
    out8(0x3F6, 0x00);
    EXPECT_EQ(in8(0x1F7), 0x50);
    out8(kBm, 0x00);
    putPrd(0x1000, 0x10000, 512, true);
    dma(0xC8, 5, 1, 0x1000, true);
    EXPECT_EQ(in8(kBm + 2) & 0x07, 0x04);
    EXPECT_EQ(in8(0x1F7), 0x50);
}

}  // namespace
}  // namespace pvx
