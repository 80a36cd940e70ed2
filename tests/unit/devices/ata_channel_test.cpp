// ATA disk + channel: IDENTIFY contents, PIO reads and writes against a real image file,
// LBA48 register semantics, CHS, errors, resets and the interrupt line.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "ata_test_image.h"
#include "common/port_bus.h"
#include "devices/ata/ata_channel.h"
#include "devices/ata/ata_disk.h"

namespace pvx {
namespace {

using test::AtaTestImage;

constexpr uint64_t kSectors = 16 * 63 * 10;  // ten default cylinders

class AtaChannelTest : public ::testing::Test {
protected:
    void SetUp() override {
        ch.attach(ports, AtaChannel::kPrimaryPorts);
        ch.setDisk(0, &disk);
    }
    uint8_t in8(uint16_t p) { return static_cast<uint8_t>(ports.read(p, 1)); }
    void out8(uint16_t p, uint8_t v) { ports.write(p, 1, v); }
    uint8_t status() { return in8(0x1F7); }
    uint8_t altStatus() { return in8(0x3F6); }
    uint8_t error() { return in8(0x1F1); }

    void taskFile28(uint32_t lba, uint8_t count) {
        out8(0x1F6, static_cast<uint8_t>(0xE0 | ((lba >> 24) & 0x0F)));
        out8(0x1F2, count);
        out8(0x1F3, static_cast<uint8_t>(lba));
        out8(0x1F4, static_cast<uint8_t>(lba >> 8));
        out8(0x1F5, static_cast<uint8_t>(lba >> 16));
    }
    void taskFile48(uint64_t lba, uint16_t count) {
        out8(0x1F6, 0x40);
        out8(0x1F2, static_cast<uint8_t>(count >> 8));
        out8(0x1F3, static_cast<uint8_t>(lba >> 24));
        out8(0x1F4, static_cast<uint8_t>(lba >> 32));
        out8(0x1F5, static_cast<uint8_t>(lba >> 40));
        out8(0x1F2, static_cast<uint8_t>(count));
        out8(0x1F3, static_cast<uint8_t>(lba));
        out8(0x1F4, static_cast<uint8_t>(lba >> 8));
        out8(0x1F5, static_cast<uint8_t>(lba >> 16));
    }
    std::vector<uint8_t> readData(unsigned bytes, unsigned width = 2) {
        std::vector<uint8_t> out;
        for (unsigned i = 0; i < bytes; i += width) {
            uint32_t v = ports.read(0x1F0, width);
            for (unsigned k = 0; k < width; ++k) out.push_back(static_cast<uint8_t>(v >> (8 * k)));
        }
        return out;
    }
    void writeData(const std::vector<uint8_t>& bytes) {
        for (size_t i = 0; i < bytes.size(); i += 2)
            ports.write(0x1F0, 2, static_cast<uint32_t>(bytes[i] | bytes[i + 1] << 8));
    }
    std::array<uint16_t, 256> identify() {
        out8(0x1F6, 0xA0);
        out8(0x1F7, 0xEC);
        EXPECT_EQ(status(), 0x58);
        std::array<uint16_t, 256> w{};
        for (auto& x : w) x = static_cast<uint16_t>(ports.read(0x1F0, 2));
        EXPECT_EQ(status(), 0x50);
        return w;
    }
    static std::string ataString(const std::array<uint16_t, 256>& w, unsigned first, unsigned words) {
        std::string s;
        for (unsigned i = 0; i < words; ++i) {
            s += static_cast<char>(w[first + i] >> 8);
            s += static_cast<char>(w[first + i] & 0xFF);
        }
        return s;
    }

    AtaTestImage image{kSectors};
    AtaDisk disk{image.backend()};
    PortBus ports;
    AtaChannel ch{"ide0"};
};

TEST_F(AtaChannelTest, IdentifyWords) {
    std::array<uint16_t, 256> w = identify();
    EXPECT_EQ(w[0], 0x0040);
    EXPECT_EQ(w[1], 10);
    EXPECT_EQ(w[3], 16);
    EXPECT_EQ(w[6], 63);
    EXPECT_EQ(ataString(w, 27, 20), "PVX HARDDISK                            ");
    EXPECT_EQ(ataString(w, 10, 10), "PVX0000000001       ");
    EXPECT_EQ(ataString(w, 23, 4), "1.0     ");
    EXPECT_EQ(w[47], 0x8010);
    EXPECT_EQ(w[49] & 0x0300, 0x0300);  // LBA and DMA
    EXPECT_EQ(w[53], 0x0007);
    EXPECT_EQ(w[54], 10);
    EXPECT_EQ(w[55], 16);
    EXPECT_EQ(w[56], 63);
    EXPECT_EQ(w[57] | uint32_t{w[58]} << 16, kSectors);
    EXPECT_EQ(w[59], 0x0110);  // multiple valid, 16 sectors
    EXPECT_EQ(w[60] | uint32_t{w[61]} << 16, kSectors);
    EXPECT_EQ(w[63], 0x0407);  // MWDMA 0-2 supported, mode 2 selected
    EXPECT_EQ(w[64], 0x0003);
    EXPECT_EQ(w[83] & 0xC400, 0x4400);  // valid, 48-bit supported
    EXPECT_EQ(w[83] & 0x3000, 0x3000);  // FLUSH CACHE and FLUSH CACHE EXT
    EXPECT_EQ(w[86] & 0x3400, 0x3400);
    EXPECT_EQ(w[88], 0x003F);
    uint64_t total = w[100] | uint64_t{w[101]} << 16 | uint64_t{w[102]} << 32 | uint64_t{w[103]} << 48;
    EXPECT_EQ(total, kSectors);
    EXPECT_EQ(w[255] & 0xFF, 0xA5);
    uint8_t sum = 0;
    for (uint16_t x : w) sum = static_cast<uint8_t>(sum + (x & 0xFF) + (x >> 8));
    EXPECT_EQ(sum, 0);
}

TEST_F(AtaChannelTest, IdentifyRaisesIrqAndStatusReadClearsIt) {
    out8(0x1F6, 0xA0);
    EXPECT_FALSE(ch.irq.level());
    out8(0x1F7, 0xEC);
    EXPECT_TRUE(ch.irq.level());
    EXPECT_EQ(altStatus(), 0x58);  // alternate status does not acknowledge
    EXPECT_TRUE(ch.irq.level());
    EXPECT_EQ(status(), 0x58);
    EXPECT_FALSE(ch.irq.level());
    readData(512);
    EXPECT_EQ(status(), 0x50);
    EXPECT_FALSE(ch.irq.level());  // no interrupt after the last PIO-in block
    EXPECT_EQ(ch.irq.raises(), 1u);
}

TEST_F(AtaChannelTest, PioReadSectorsFromImage) {
    taskFile28(5, 3);
    out8(0x1F7, 0x20);
    for (uint64_t lba = 5; lba < 8; ++lba) {
        EXPECT_TRUE(ch.irq.level());
        EXPECT_EQ(status(), 0x58);
        EXPECT_FALSE(ch.irq.level());
        EXPECT_EQ(readData(512), AtaTestImage::expectedSector(lba)) << lba;
    }
    EXPECT_EQ(status(), 0x50);
    EXPECT_EQ(ch.irq.raises(), 3u);
    EXPECT_EQ(ch.sectorsRead, 3u);
    EXPECT_EQ(ch.commands, 1u);
    EXPECT_EQ(ch.dmaTransfers, 0u);
}

TEST_F(AtaChannelTest, PioReadWith32BitAccesses) {
    taskFile28(kSectors - 1, 1);
    out8(0x1F7, 0x21);
    EXPECT_EQ(status(), 0x58);
    EXPECT_EQ(readData(512, 4), AtaTestImage::expectedSector(kSectors - 1));
    EXPECT_EQ(status(), 0x50);
    // With no DRQ the data register floats and nothing changes.
    EXPECT_EQ(ports.read(0x1F0, 2), 0xFFFFu);
    EXPECT_EQ(status(), 0x50);
}

TEST_F(AtaChannelTest, ZeroCountMeans256Sectors) {
    taskFile28(100, 0);
    out8(0x1F7, 0x20);
    for (unsigned i = 0; i < 256; ++i) {
        ASSERT_EQ(status(), 0x58) << i;
        readData(512);
    }
    EXPECT_EQ(status(), 0x50);
    EXPECT_EQ(ch.sectorsRead, 256u);
}

TEST_F(AtaChannelTest, PioWriteThenReadBackFromFile) {
    std::vector<uint8_t> a(512), b(512);
    for (unsigned i = 0; i < 512; ++i) {
        a[i] = static_cast<uint8_t>(i ^ 0x5A);
        b[i] = static_cast<uint8_t>(255 - i);
    }
    taskFile28(42, 2);
    out8(0x1F7, 0x30);
    EXPECT_FALSE(ch.irq.level());  // the first data-out block comes without an interrupt
    EXPECT_EQ(altStatus(), 0x58);
    writeData(a);
    EXPECT_TRUE(ch.irq.level());
    EXPECT_EQ(status(), 0x58);
    writeData(b);
    EXPECT_TRUE(ch.irq.level());  // completion interrupt
    EXPECT_EQ(status(), 0x50);
    EXPECT_EQ(image.fileSector(42), a);
    EXPECT_EQ(image.fileSector(43), b);
    EXPECT_EQ(image.fileSector(44), AtaTestImage::expectedSector(44));
    EXPECT_EQ(ch.sectorsWritten, 2u);

    // And through the device again.
    taskFile28(42, 2);
    out8(0x1F7, 0x20);
    status();
    EXPECT_EQ(readData(512), a);
    status();
    EXPECT_EQ(readData(512), b);
}

TEST_F(AtaChannelTest, MultipleModeBlocks) {
    out8(0x1F6, 0xE0);
    out8(0x1F2, 3);  // not a power of two
    out8(0x1F7, 0xC6);
    EXPECT_EQ(status(), 0x51);
    EXPECT_EQ(error(), 0x04);
    out8(0x1F2, 4);
    out8(0x1F7, 0xC6);
    EXPECT_EQ(status(), 0x50);

    taskFile28(10, 10);
    out8(0x1F7, 0xC4);
    unsigned blocks = 0;
    uint64_t lba = 10;
    while (status() & 0x08) {
        ++blocks;
        unsigned n = blocks < 3 ? 4 : 2;
        std::vector<uint8_t> got = readData(512 * n);
        for (unsigned s = 0; s < n; ++s, ++lba)
            EXPECT_EQ(std::vector<uint8_t>(got.begin() + 512 * s, got.begin() + 512 * (s + 1)),
                      AtaTestImage::expectedSector(lba));
    }
    EXPECT_EQ(blocks, 3u);
    EXPECT_EQ(ch.irq.raises(), 2u + 3u);  // two SET MULTIPLE completions + one per block

    // WRITE MULTIPLE EXT: 5 sectors in blocks of 4 + 1.
    taskFile48(200, 5);
    out8(0x1F7, 0x39);
    std::vector<uint8_t> block(512 * 4, 0xEE);
    EXPECT_EQ(altStatus(), 0x58);
    writeData(block);
    EXPECT_EQ(status(), 0x58);
    writeData(std::vector<uint8_t>(512, 0xDD));
    EXPECT_EQ(status(), 0x50);
    EXPECT_EQ(image.fileSector(203), std::vector<uint8_t>(512, 0xEE));
    EXPECT_EQ(image.fileSector(204), std::vector<uint8_t>(512, 0xDD));

    // Disabled multiple mode: READ MULTIPLE aborts.
    out8(0x1F2, 0);
    out8(0x1F7, 0xC6);
    EXPECT_EQ(status(), 0x50);
    taskFile28(0, 1);
    out8(0x1F7, 0xC4);
    EXPECT_EQ(status(), 0x51);
    EXPECT_EQ(error(), 0x04);
}

TEST_F(AtaChannelTest, Lba48RegisterReadbackWithHob) {
    out8(0x1F2, 0x12);
    out8(0x1F3, 0x34);
    out8(0x1F4, 0x56);
    out8(0x1F5, 0x78);
    out8(0x1F2, 0x9A);
    out8(0x1F3, 0xBC);
    out8(0x1F4, 0xDE);
    out8(0x1F5, 0xF0);
    EXPECT_EQ(in8(0x1F2), 0x9A);
    EXPECT_EQ(in8(0x1F5), 0xF0);
    out8(0x3F6, 0x80);  // HOB
    EXPECT_EQ(in8(0x1F2), 0x12);
    EXPECT_EQ(in8(0x1F3), 0x34);
    EXPECT_EQ(in8(0x1F4), 0x56);
    EXPECT_EQ(in8(0x1F5), 0x78);
    EXPECT_EQ(ch.deviceControl(), 0x80);
    out8(0x1F6, 0x40);  // any command block write clears HOB
    EXPECT_EQ(ch.deviceControl(), 0x00);
    EXPECT_EQ(in8(0x1F3), 0xBC);
    EXPECT_EQ(in8(0x1F6), 0xE0);  // obsolete bits 7 and 5 read as one
}

TEST_F(AtaChannelTest, Lba48ReadUsesPreviousContent) {
    taskFile48(0x1000, 2);
    out8(0x1F7, 0x24);
    EXPECT_EQ(status(), 0x58);
    EXPECT_EQ(readData(512), AtaTestImage::expectedSector(0x1000));
    status();
    EXPECT_EQ(readData(512), AtaTestImage::expectedSector(0x1001));
    EXPECT_EQ(status(), 0x50);
    // The high bytes matter: LBA 0x0001_0000_1000 is far beyond this disk.
    taskFile48(0x000100001000ull, 1);
    out8(0x1F7, 0x24);
    EXPECT_EQ(status(), 0x51);
    EXPECT_EQ(error(), 0x10);
}

TEST_F(AtaChannelTest, OutOfRangeIsIdNotFound) {
    taskFile28(kSectors - 1, 2);  // runs one sector past the end
    out8(0x1F7, 0x20);
    EXPECT_TRUE(ch.irq.level());
    EXPECT_EQ(status(), 0x51);
    EXPECT_EQ(error(), 0x10);
    EXPECT_EQ(ch.sectorsRead, 0u);
    taskFile28(kSectors, 1);
    out8(0x1F7, 0x30);  // write: also no DRQ
    EXPECT_EQ(status(), 0x51);
    EXPECT_EQ(error(), 0x10);
    taskFile28(0x0FFFFFFF, 1);
    out8(0x1F7, 0x40);  // READ VERIFY
    EXPECT_EQ(status(), 0x51);
    // A following good command clears the error.
    taskFile28(0, 1);
    out8(0x1F7, 0x40);
    EXPECT_EQ(status(), 0x50);
    EXPECT_EQ(error(), 0x00);
    EXPECT_EQ(ch.commandErrors, 3u);
}

TEST_F(AtaChannelTest, ChsAddressingAndInitializeDeviceParameters) {
    // C=0 H=1 S=1 is LBA 63 under 16/63.
    out8(0x1F6, 0xA1);
    out8(0x1F2, 1);
    out8(0x1F3, 1);
    out8(0x1F4, 0);
    out8(0x1F5, 0);
    out8(0x1F7, 0x20);
    EXPECT_EQ(status(), 0x58);
    EXPECT_EQ(readData(512), AtaTestImage::expectedSector(63));
    // C=2 H=3 S=4: (2*16+3)*63+3.
    out8(0x1F6, 0xA3);
    out8(0x1F3, 4);
    out8(0x1F4, 2);
    out8(0x1F7, 0x20);
    EXPECT_EQ(status(), 0x58);
    EXPECT_EQ(readData(512), AtaTestImage::expectedSector((2 * 16 + 3) * 63 + 3));
    // Sector 0 does not exist; cylinder 10 is past the end.
    out8(0x1F3, 0);
    out8(0x1F7, 0x20);
    EXPECT_EQ(status(), 0x51);
    EXPECT_EQ(error(), 0x10);
    out8(0x1F3, 1);
    out8(0x1F4, 10);
    out8(0x1F7, 0x20);
    EXPECT_EQ(error(), 0x10);

    // INITIALIZE DEVICE PARAMETERS: 4 heads, 32 sectors/track.
    out8(0x1F6, 0xA3);
    out8(0x1F2, 32);
    out8(0x1F7, 0x91);
    EXPECT_EQ(status(), 0x50);
    std::array<uint16_t, 256> w = identify();
    EXPECT_EQ(w[54], kSectors / (4 * 32));
    EXPECT_EQ(w[55], 4);
    EXPECT_EQ(w[56], 32);
    EXPECT_EQ(w[1], 10);  // default geometry unchanged
    out8(0x1F6, 0xA0);
    out8(0x1F2, 0);
    out8(0x1F7, 0x91);
    EXPECT_EQ(status(), 0x51);
}

TEST_F(AtaChannelTest, FlushCallsBackendFlush) {
    uint64_t before = image.backend().flushes;
    out8(0x1F6, 0xA0);
    out8(0x1F7, 0xE7);
    EXPECT_TRUE(ch.irq.level());
    EXPECT_EQ(status(), 0x50);
    out8(0x1F7, 0xEA);
    EXPECT_EQ(status(), 0x50);
    EXPECT_EQ(image.backend().flushes, before + 2);
    EXPECT_EQ(ch.flushes, 2u);
}

TEST_F(AtaChannelTest, SoftResetSignature) {
    taskFile28(7, 9);
    out8(0x1F7, 0x20);  // leave a transfer pending
    out8(0x3F6, 0x04);  // SRST
    EXPECT_EQ(altStatus(), 0x80);
    EXPECT_FALSE(ch.irq.level());
    out8(0x1F7, 0xEC);  // ignored while busy
    EXPECT_EQ(altStatus(), 0x80);
    out8(0x3F6, 0x00);
    EXPECT_EQ(altStatus(), 0x50);
    EXPECT_FALSE(ch.irq.level());
    EXPECT_EQ(in8(0x1F2), 0x01);
    EXPECT_EQ(in8(0x1F3), 0x01);
    EXPECT_EQ(in8(0x1F4), 0x00);
    EXPECT_EQ(in8(0x1F5), 0x00);
    EXPECT_EQ(in8(0x1F6) & 0x10, 0x00);
    EXPECT_EQ(error(), 0x01);
    EXPECT_EQ(ports.read(0x1F0, 2), 0xFFFFu);  // the pending transfer is gone
    EXPECT_GE(ch.ignoredCommands, 1u);
}

TEST_F(AtaChannelTest, NienMasksTheInterruptLine) {
    out8(0x3F6, 0x02);
    out8(0x1F6, 0xA0);
    out8(0x1F7, 0xE7);
    EXPECT_FALSE(ch.irq.level());
    out8(0x3F6, 0x00);  // still pending: the line follows
    EXPECT_TRUE(ch.irq.level());
    EXPECT_EQ(status(), 0x50);
    EXPECT_FALSE(ch.irq.level());
}

TEST_F(AtaChannelTest, AbsentSlave) {
    out8(0x1F6, 0xB0);
    EXPECT_EQ(status(), 0x00);
    EXPECT_EQ(altStatus(), 0x00);
    out8(0x1F7, 0xEC);
    EXPECT_FALSE(ch.irq.level());
    EXPECT_EQ(status(), 0x00);
    EXPECT_EQ(ch.ignoredCommands, 1u);
    EXPECT_EQ(ch.commands, 0u);
    out8(0x1F6, 0xA0);
    EXPECT_EQ(status(), 0x50);
}

TEST(AtaChannelEmptyTest, NoDisksFloats) {
    PortBus ports;
    AtaChannel ch("ide1");
    ch.attach(ports, AtaChannel::kSecondaryPorts);
    for (uint16_t p = 0x171; p <= 0x177; ++p) EXPECT_EQ(ports.read(p, 1), 0xFFu) << p;
    EXPECT_EQ(ports.read(0x376, 1), 0xFFu);
    ports.write(0x177, 1, 0xEC);
    EXPECT_FALSE(ch.irq.level());
    EXPECT_EQ(ports.read(0x170, 2), 0xFFFFu);
    EXPECT_EQ(ch.pioAccesses, 10u);
}

TEST_F(AtaChannelTest, UnknownAndPacketCommandsAbort) {
    for (uint8_t cmd : {0x00, 0xA0, 0xA1, 0x08, 0xFF, 0xF8}) {
        out8(0x1F6, 0xA0);
        out8(0x1F7, cmd);
        EXPECT_TRUE(ch.irq.level()) << int(cmd);
        EXPECT_EQ(status(), 0x51) << int(cmd);
        EXPECT_EQ(error(), 0x04) << int(cmd);
    }
    // The device keeps working after aborted commands.
    identify();
}

TEST_F(AtaChannelTest, SetFeaturesTransferMode) {
    out8(0x1F6, 0xA0);
    out8(0x1F1, 0x03);
    out8(0x1F2, 0x45);  // UDMA 5
    out8(0x1F7, 0xEF);
    EXPECT_EQ(status(), 0x50);
    std::array<uint16_t, 256> w = identify();
    EXPECT_EQ(w[88], 0x203F);
    EXPECT_EQ(w[63], 0x0007);
    out8(0x1F1, 0x03);
    out8(0x1F2, 0x46);  // UDMA 6: not supported
    out8(0x1F7, 0xEF);
    EXPECT_EQ(status(), 0x51);
    EXPECT_EQ(error(), 0x04);
    out8(0x1F1, 0x03);
    out8(0x1F2, 0x21);  // MWDMA 1
    out8(0x1F7, 0xEF);
    EXPECT_EQ(status(), 0x50);
    w = identify();
    EXPECT_EQ(w[63], 0x0207);
    EXPECT_EQ(w[88], 0x003F);
    out8(0x1F1, 0x82);  // write cache off
    out8(0x1F7, 0xEF);
    EXPECT_EQ(status(), 0x50);
    EXPECT_EQ(identify()[85] & 0x0020, 0);
    out8(0x1F1, 0x77);  // unknown subcommand
    out8(0x1F7, 0xEF);
    EXPECT_EQ(status(), 0x51);
}

TEST_F(AtaChannelTest, PowerAndVerifyCommandsComplete) {
    out8(0x1F6, 0xE0);
    for (uint8_t cmd : {0xE0, 0xE1, 0xE2, 0xE3, 0x10, 0x70, 0x97}) {
        out8(0x1F7, cmd);
        EXPECT_EQ(status(), 0x50) << int(cmd);
    }
    out8(0x1F7, 0xE5);
    EXPECT_EQ(status(), 0x50);
    EXPECT_EQ(in8(0x1F2), 0xFF);
    taskFile48(kSectors - 4, 4);
    out8(0x1F7, 0x42);
    EXPECT_EQ(status(), 0x50);
    EXPECT_EQ(ch.sectorsRead, 0u);
}

TEST_F(AtaChannelTest, ExecuteDeviceDiagnostic) {
    out8(0x1F6, 0xB0);  // even with the absent slave selected
    out8(0x1F2, 0x55);
    out8(0x1F7, 0x90);
    EXPECT_TRUE(ch.irq.level());
    EXPECT_EQ(status(), 0x50);
    EXPECT_EQ(error(), 0x01);
    EXPECT_EQ(in8(0x1F2), 0x01);
    EXPECT_EQ(in8(0x1F6), 0xA0);
}

TEST_F(AtaChannelTest, HardwareResetRestoresDefaults) {
    out8(0x1F6, 0xA0);
    out8(0x1F2, 2);
    out8(0x1F7, 0xC6);
    out8(0x3F6, 0x02);
    ch.reset();
    EXPECT_EQ(ch.deviceControl(), 0);
    EXPECT_EQ(identify()[59], 0x0110);
}

TEST(AtaReadOnlyTest, WritesAbortOnReadOnlyBackend) {
    AtaTestImage image(64, /*readOnly=*/true);
    AtaDisk disk(image.backend());
    PortBus ports;
    AtaChannel ch("ide0");
    ch.attach(ports, AtaChannel::kPrimaryPorts);
    ch.setDisk(0, &disk);
    for (uint8_t cmd : {0x30, 0x34, 0xC5, 0xCA, 0x35}) {
        ports.write(0x1F6, 1, 0xE0);
        ports.write(0x1F2, 1, 1);
        ports.write(0x1F7, 1, cmd);
        EXPECT_EQ(ports.read(0x1F7, 1), 0x51u) << int(cmd);
        EXPECT_EQ(ports.read(0x1F1, 1), 0x04u) << int(cmd);
    }
    ports.write(0x1F7, 1, 0x20);  // reads still work
    EXPECT_EQ(ports.read(0x1F7, 1), 0x58u);
    EXPECT_EQ(image.fileSector(0), AtaTestImage::expectedSector(0));
}

TEST(AtaDiskTest, SmallDiskGeometryAndLimits) {
    AtaTestImage image(100);
    AtaDisk disk(image.backend());
    EXPECT_EQ(disk.defaultGeometry().heads, 1u);
    EXPECT_EQ(disk.defaultGeometry().sectorsPerTrack, 63u);
    EXPECT_EQ(disk.defaultGeometry().cylinders, 1u);
    EXPECT_EQ(disk.chsToLba(0, 0, 63), std::optional<uint64_t>(62));
    EXPECT_FALSE(disk.chsToLba(0, 0, 64).has_value());
    EXPECT_FALSE(disk.chsToLba(0, 1, 1).has_value());
    EXPECT_FALSE(disk.setTranslation(17, 63));
    EXPECT_TRUE(disk.setTranslation(2, 50));
    EXPECT_EQ(disk.chsToLba(0, 1, 50), std::optional<uint64_t>(99));
    EXPECT_TRUE(disk.setMultiple(16));
    EXPECT_FALSE(disk.setMultiple(32));
    EXPECT_FALSE(disk.setMultiple(6));
}

}  // namespace
}  // namespace pvx
