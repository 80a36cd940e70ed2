// virtio-blk and the virtio PCI transport: capabilities, feature negotiation, status and reset
// (virtio 1.2 §2.1, §3.1, §4.1), block requests against a temporary image (§5.2), malformed
// rings setting DEVICE_NEEDS_RESET, and the legacy I/O interface.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "ata_test_image.h"
#include "common/port_bus.h"
#include "devices/pci/pci_bus.h"
#include "devices/virtio/virtio_blk.h"
#include "virtio_test_rings.h"

namespace pvx::virtio {
namespace {

using test::Ring;
using D = SplitQueue;
constexpr uint64_t kBar = 0xE0000000;
constexpr uint16_t kIoBar = 0xC000;

class VirtioBlkTest : public ::testing::Test {
protected:
    pvx::test::AtaTestImage image{64};
    PhysicalMemory mem{16ull << 20};
    PortBus ports;
    PciBus pci;
    VirtioBlk blk{mem, ports, image.backend()};
    Ring ring{mem, 16};

    void SetUp() override {
        pci.addFunction(3, 0, blk);
        pci.configWrite(3, 0, 0x10, 4, kIoBar);
        pci.configWrite(3, 0, 0x20, 4, static_cast<uint32_t>(kBar));
        pci.configWrite(3, 0, 0x04, 2, PciFunction::kCmdIoSpace | PciFunction::kCmdMemSpace | PciFunction::kCmdBusMaster);
    }
    uint64_t rd(uint64_t off, unsigned size) { return mem.read(kBar + off, size); }
    void wr(uint64_t off, unsigned size, uint64_t v) { mem.write(kBar + off, size, v); }
    uint64_t deviceFeatures() {
        wr(0x00, 4, 0);
        uint64_t lo = rd(0x04, 4);
        wr(0x00, 4, 1);
        return lo | rd(0x04, 4) << 32;
    }
    void writeDriverFeatures(uint64_t f) {
        wr(0x08, 4, 0);
        wr(0x0C, 4, static_cast<uint32_t>(f));
        wr(0x08, 4, 1);
        wr(0x0C, 4, static_cast<uint32_t>(f >> 32));
    }
    // §3.1.1 initialization with `features`, queue 0 of 16 entries at Ring's addresses.
    void initialize(uint64_t features = kFeatureVersion1) {
        wr(0x14, 1, 0);
        wr(0x14, 1, kStatusAcknowledge);
        wr(0x14, 1, kStatusAcknowledge | kStatusDriver);
        writeDriverFeatures(features);
        wr(0x14, 1, kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk);
        ASSERT_EQ(rd(0x14, 1), kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk);
        wr(0x16, 2, 0);
        wr(0x18, 2, 16);
        wr(0x20, 4, Ring::kDesc);  // 64-bit fields written as two halves, as Linux does
        wr(0x24, 4, 0);
        wr(0x28, 8, Ring::kDriver);
        wr(0x30, 8, Ring::kDevice);
        wr(0x1C, 2, 1);
        wr(0x14, 1, kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk | kStatusDriverOk);
    }
    void notify() { wr(VirtioPciDevice::kNotifyOffset, 2, 0); }
    // A three-descriptor request: header, data (len bytes at 0x200000), status at 0x300000.
    void request(uint32_t type, uint64_t sector, uint32_t len, bool dataWritable, uint16_t head = 0) {
        mem.write(0x100000, 4, type);
        mem.write(0x100004, 4, 0);
        mem.write(0x100008, 8, sector);
        mem.write(0x300000, 1, 0xFF);
        ring.desc(head, 0x100000, 16, D::kDescNext, static_cast<uint16_t>(head + 1));
        if (len) {
            ring.desc(static_cast<uint16_t>(head + 1), 0x200000, len, static_cast<uint16_t>(D::kDescNext | (dataWritable ? D::kDescWrite : 0)),
                      static_cast<uint16_t>(head + 2));
            ring.desc(static_cast<uint16_t>(head + 2), 0x300000, 1, D::kDescWrite);
        } else {
            ring.desc(static_cast<uint16_t>(head + 1), 0x300000, 1, D::kDescWrite);
        }
        ring.publish(head);
        notify();
    }
    uint8_t status() { return static_cast<uint8_t>(mem.read(0x300000, 1)); }
};

TEST_F(VirtioBlkTest, PciIdentityAndCapabilityList) {
    EXPECT_EQ(pci.configRead(3, 0, 0x00, 4), 0x10011AF4u);
    EXPECT_EQ(pci.configRead(3, 0, 0x2C, 4), 0x00021AF4u);  // subsystem: device type 2
    EXPECT_EQ(pci.configRead(3, 0, 0x08, 1), 0u);           // transitional: revision 0
    EXPECT_TRUE(pci.configRead(3, 0, 0x06, 2) & PciFunction::kStatusCapList);
    EXPECT_EQ(pci.configRead(3, 0, 0x3D, 1), 1u);  // INTA#
    // Walk the list: common, notify, ISR, device in BAR4, then the configuration access window.
    std::vector<uint8_t> types;
    uint8_t p = static_cast<uint8_t>(pci.configRead(3, 0, 0x34, 1));
    for (int guard = 0; p && guard < 48; ++guard) {
        EXPECT_EQ(p & 3, 0);
        EXPECT_EQ(pci.configRead(3, 0, p, 1), kPciCapVendor);
        types.push_back(static_cast<uint8_t>(pci.configRead(3, 0, static_cast<uint8_t>(p + 3), 1)));
        if (types.back() != kPciCapPciCfg) {
            EXPECT_EQ(pci.configRead(3, 0, static_cast<uint8_t>(p + 4), 1), 4u);  // bar
        }
        if (types.back() == kPciCapNotifyCfg) {
            EXPECT_EQ(pci.configRead(3, 0, static_cast<uint8_t>(p + 2), 1), 20u);
            EXPECT_EQ(pci.configRead(3, 0, static_cast<uint8_t>(p + 8), 4), VirtioPciDevice::kNotifyOffset);
            EXPECT_EQ(pci.configRead(3, 0, static_cast<uint8_t>(p + 16), 4), VirtioPciDevice::kNotifyMultiplier);
        }
        p = static_cast<uint8_t>(pci.configRead(3, 0, static_cast<uint8_t>(p + 1), 1));
    }
    EXPECT_EQ(types, (std::vector<uint8_t>{kPciCapCommonCfg, kPciCapNotifyCfg, kPciCapIsrCfg, kPciCapDeviceCfg,
                                           kPciCapPciCfg}));
    // Capabilities are read-only.
    pci.configWrite(3, 0, 0x40, 4, 0);
    EXPECT_EQ(pci.configRead(3, 0, 0x40, 1), kPciCapVendor);
}

// §4.1.4.9: the configuration access capability reaches BAR4 through config space.
TEST_F(VirtioBlkTest, PciConfigurationAccessWindow) {
    uint8_t cap = 0;
    for (uint8_t p = static_cast<uint8_t>(pci.configRead(3, 0, 0x34, 1)); p;
         p = static_cast<uint8_t>(pci.configRead(3, 0, static_cast<uint8_t>(p + 1), 1)))
        if (pci.configRead(3, 0, static_cast<uint8_t>(p + 3), 1) == kPciCapPciCfg) cap = p;
    ASSERT_NE(cap, 0);
    EXPECT_EQ(pci.configRead(3, 0, static_cast<uint8_t>(cap + 2), 1), 20u);  // cap_len
    auto window = [&](uint32_t off, uint32_t len) {
        pci.configWrite(3, 0, static_cast<uint8_t>(cap + 4), 1, 4);
        pci.configWrite(3, 0, static_cast<uint8_t>(cap + 8), 4, off);
        pci.configWrite(3, 0, static_cast<uint8_t>(cap + 12), 4, len);
    };
    const uint8_t data = static_cast<uint8_t>(cap + 16);
    window(VirtioPciDevice::kDeviceOffset, 4);
    EXPECT_EQ(pci.configRead(3, 0, data, 4), 64u);  // capacity, low dword
    window(0x12, 2);
    EXPECT_EQ(pci.configRead(3, 0, data, 4) & 0xFFFF, 1u);  // num_queues
    window(0x14, 1);  // device_status, written through the window
    pci.configWrite(3, 0, data, 4, kStatusAcknowledge);
    EXPECT_EQ(blk.status(), kStatusAcknowledge);
    // A misaligned or oversized window does not reach the BAR.
    window(0x13, 2);
    pci.configWrite(3, 0, data, 4, 0);
    EXPECT_EQ(blk.status(), kStatusAcknowledge);
    window(0x14, 3);
    pci.configWrite(3, 0, data, 4, 0);
    EXPECT_EQ(blk.status(), kStatusAcknowledge);
}

TEST_F(VirtioBlkTest, DeviceConfigHoldsCapacityAndLimits) {
    EXPECT_EQ(rd(VirtioPciDevice::kDeviceOffset + 0x00, 8), 64u);  // capacity in sectors
    EXPECT_EQ(rd(VirtioPciDevice::kDeviceOffset + 0x0C, 4), VirtioBlk::kSegMax);
    EXPECT_EQ(rd(VirtioPciDevice::kDeviceOffset + 0x14, 4), 512u);
    EXPECT_EQ(rd(VirtioPciDevice::kDeviceOffset + 0x24, 4), VirtioBlk::kMaxDiscardSectors);
    EXPECT_EQ(rd(0x12, 2), 1u);  // num_queues
    EXPECT_EQ(rd(0x10, 2), 0xFFFFu);  // no MSI-X
}

TEST_F(VirtioBlkTest, FeatureNegotiation) {
    const uint64_t offered = deviceFeatures();
    EXPECT_EQ(offered, kFeatureVersion1 | kFeatureRingIndirectDesc | kFeatureRingEventIdx | VirtioBlk::kFeatureSegMax |
                           VirtioBlk::kFeatureBlkSize | VirtioBlk::kFeatureFlush | VirtioBlk::kFeatureDiscard |
                           VirtioBlk::kFeatureWriteZeroes);
    // Without VERSION_1 a modern driver cannot get FEATURES_OK (§6.1, §3.1.1).
    wr(0x14, 1, kStatusAcknowledge | kStatusDriver);
    writeDriverFeatures(VirtioBlk::kFeatureFlush);
    wr(0x14, 1, kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk);
    EXPECT_EQ(rd(0x14, 1), kStatusAcknowledge | kStatusDriver);
    // A feature the device did not offer: refused too.
    writeDriverFeatures(kFeatureVersion1 | (1ull << 40));
    wr(0x14, 1, kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk);
    EXPECT_EQ(rd(0x14, 1), kStatusAcknowledge | kStatusDriver);
    // A subset with VERSION_1: accepted, and fixed from then on.
    writeDriverFeatures(kFeatureVersion1 | VirtioBlk::kFeatureFlush);
    wr(0x14, 1, kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk);
    EXPECT_EQ(rd(0x14, 1), kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk);
    writeDriverFeatures(kFeatureVersion1);
    EXPECT_EQ(blk.driverFeatures(), kFeatureVersion1 | VirtioBlk::kFeatureFlush);
}

TEST_F(VirtioBlkTest, ResetClearsDriverState) {
    initialize(kFeatureVersion1 | kFeatureRingEventIdx);
    EXPECT_EQ(rd(0x1C, 2), 1u);
    wr(0x14, 1, 0);
    EXPECT_EQ(rd(0x14, 1), 0u);
    EXPECT_EQ(blk.driverFeatures(), 0u);
    EXPECT_EQ(rd(0x1C, 2), 0u);       // queue disabled
    EXPECT_EQ(rd(0x18, 2), 256u);     // size back to the maximum
    EXPECT_EQ(rd(0x20, 8), 0u);
}

TEST_F(VirtioBlkTest, ReadSectors) {
    initialize();
    request(VirtioBlk::kTypeIn, 5, 1024, true);
    EXPECT_EQ(status(), VirtioBlk::kStatusOk);
    std::vector<uint8_t> got(1024);
    mem.readRam(0x200000, got.data(), got.size());
    for (unsigned i = 0; i < 1024; ++i)
        ASSERT_EQ(got[i], pvx::test::AtaTestImage::patternByte(5 + i / 512, i % 512)) << i;
    EXPECT_EQ(ring.usedIdx(), 1);
    EXPECT_EQ(ring.usedLen(0), 1025u);
    // Used buffer notification: ISR bit 0, INTx asserted until the ISR is read.
    EXPECT_TRUE(blk.intx.level());
    EXPECT_EQ(rd(VirtioPciDevice::kIsrOffset, 1), kIsrQueue);
    EXPECT_FALSE(blk.intx.level());
    EXPECT_EQ(rd(VirtioPciDevice::kIsrOffset, 1), 0u);
}

TEST_F(VirtioBlkTest, WriteThenFlushReachTheImage) {
    initialize();
    std::vector<uint8_t> data(512);
    for (unsigned i = 0; i < 512; ++i) data[i] = static_cast<uint8_t>(i ^ 0x5A);
    mem.writeRam(0x200000, data.data(), data.size());
    request(VirtioBlk::kTypeOut, 7, 512, false);
    EXPECT_EQ(status(), VirtioBlk::kStatusOk);
    EXPECT_EQ(ring.usedLen(0), 1u);
    request(VirtioBlk::kTypeFlush, 0, 0, false, 3);
    EXPECT_EQ(status(), VirtioBlk::kStatusOk);
    EXPECT_EQ(image.fileSector(7), data);
    EXPECT_EQ(blk.flushes, 1u);
    EXPECT_EQ(image.backend().flushes, 1u);
}

TEST_F(VirtioBlkTest, OutOfRangeAndOddLengthsAreIoErrors) {
    initialize();
    request(VirtioBlk::kTypeIn, 63, 1024, true);  // runs past sector 63
    EXPECT_EQ(status(), VirtioBlk::kStatusIoErr);
    request(VirtioBlk::kTypeIn, ~0ull, 512, true, 3);
    EXPECT_EQ(status(), VirtioBlk::kStatusIoErr);
    request(VirtioBlk::kTypeOut, 0, 100, false, 6);
    EXPECT_EQ(status(), VirtioBlk::kStatusIoErr);
    request(99, 0, 0, false, 9);
    EXPECT_EQ(status(), VirtioBlk::kStatusUnsupported);
    EXPECT_EQ(blk.status() & kStatusNeedsReset, 0);  // request errors are not device errors
}

TEST_F(VirtioBlkTest, GetIdAndWriteZeroes) {
    initialize();
    request(VirtioBlk::kTypeGetId, 0, 20, true);
    EXPECT_EQ(status(), VirtioBlk::kStatusOk);
    char id[21] = {};
    mem.readRam(0x200000, id, 20);
    EXPECT_STREQ(id, "pvx-virtio-blk");
    // One segment: sectors 10-11 zeroed.
    mem.write(0x200000, 8, 10);
    mem.write(0x200008, 4, 2);
    mem.write(0x20000C, 4, 0);
    request(VirtioBlk::kTypeDiscard, 0, 16, false, 3);
    EXPECT_EQ(status(), VirtioBlk::kStatusOk);
    EXPECT_EQ(image.fileSector(10), std::vector<uint8_t>(512, 0));
    EXPECT_EQ(image.fileSector(11), std::vector<uint8_t>(512, 0));
    EXPECT_EQ(image.fileSector(12)[1], pvx::test::AtaTestImage::patternByte(12, 1));
}

TEST_F(VirtioBlkTest, NoProcessingWithoutBusMaster) {
    initialize();
    pci.configWrite(3, 0, 0x04, 2, PciFunction::kCmdIoSpace | PciFunction::kCmdMemSpace);
    request(VirtioBlk::kTypeIn, 0, 512, true);
    EXPECT_EQ(status(), 0xFF);
    EXPECT_EQ(ring.usedIdx(), 0);
    // Enabling bus mastering takes up the pending notification.
    pci.configWrite(3, 0, 0x04, 2, PciFunction::kCmdIoSpace | PciFunction::kCmdMemSpace | PciFunction::kCmdBusMaster);
    EXPECT_EQ(status(), VirtioBlk::kStatusOk);
}

TEST_F(VirtioBlkTest, MalformedRingSetsNeedsResetAndInterrupts) {
    initialize();
    ring.desc(0, 0x100000, 16, D::kDescNext, 1);
    ring.desc(1, 0x100000, 16, D::kDescNext, 0);  // loop
    ring.publish(0);
    notify();
    EXPECT_TRUE(blk.status() & kStatusNeedsReset);
    EXPECT_TRUE(rd(0x14, 1) & kStatusNeedsReset);
    EXPECT_EQ(rd(VirtioPciDevice::kIsrOffset, 1), kIsrConfig);
    EXPECT_EQ(blk.queueErrors, 1u);
    // Further notifications do nothing; a reset recovers.
    notify();
    EXPECT_EQ(ring.usedIdx(), 0);
    ring.availIdx = 0;
    ring.w16(Ring::kDriver + 2, 0);
    initialize();
    EXPECT_EQ(rd(0x14, 1) & kStatusNeedsReset, 0u);
    request(VirtioBlk::kTypeIn, 1, 512, true);
    EXPECT_EQ(status(), VirtioBlk::kStatusOk);
}

TEST_F(VirtioBlkTest, IndirectRequest) {
    initialize(kFeatureVersion1 | kFeatureRingIndirectDesc);
    const uint64_t table = 0x400000;
    mem.write(0x100000, 4, VirtioBlk::kTypeIn);
    mem.write(0x100008, 8, 2);
    ring.desc(0, 0x100000, 16, D::kDescNext, 1, table);
    ring.desc(1, 0x200000, 512, D::kDescNext | D::kDescWrite, 2, table);
    ring.desc(2, 0x300000, 1, D::kDescWrite, 0, table);
    ring.desc(0, table, 48, D::kDescIndirect);
    ring.publish(0);
    notify();
    EXPECT_EQ(status(), VirtioBlk::kStatusOk);
    EXPECT_EQ(mem.read(0x200003, 1), pvx::test::AtaTestImage::patternByte(2, 3));
}

TEST_F(VirtioBlkTest, LegacyInterfaceThroughIoBar) {
    // §4.1.5.1.3: features, PFN queue layout, notify, status, ISR in BAR0.
    EXPECT_EQ(ports.read(kIoBar + 0x00, 4), static_cast<uint32_t>(blk.deviceFeatures()));
    EXPECT_EQ(ports.read(kIoBar + 0x0C, 2), 256u);
    EXPECT_EQ(ports.read(kIoBar + 0x14, 4), 64u);  // capacity low dword in the config area
    ports.write(kIoBar + 0x12, 1, kStatusAcknowledge | kStatusDriver);
    ports.write(kIoBar + 0x04, 4, 0);
    ports.write(kIoBar + 0x0E, 2, 0);
    const uint32_t pfn = 0x80;
    ports.write(kIoBar + 0x08, 4, pfn);
    ports.write(kIoBar + 0x12, 1, kStatusAcknowledge | kStatusDriver | kStatusDriverOk);
    // Build the request in the legacy layout (256 entries).
    const uint64_t desc = uint64_t{pfn} << 12, avail = desc + 16 * 256, used = 0x82000;
    Ring lr{mem, 256};
    mem.write(0x100000, 4, VirtioBlk::kTypeIn);
    mem.write(0x100008, 8, 9);
    lr.desc(0, 0x100000, 16, D::kDescNext, 1, desc);
    lr.desc(1, 0x200000, 512, D::kDescNext | D::kDescWrite, 2, desc);
    lr.desc(2, 0x300000, 1, D::kDescWrite, 0, desc);
    mem.write(avail + 4, 2, 0);
    mem.write(avail + 2, 2, 1);
    ports.write(kIoBar + 0x10, 2, 0);
    EXPECT_EQ(status(), VirtioBlk::kStatusOk);
    EXPECT_EQ(mem.read(0x200000, 1), pvx::test::AtaTestImage::patternByte(9, 0));
    EXPECT_EQ(mem.read(used + 2, 2), 1u);
    EXPECT_EQ(ports.read(kIoBar + 0x13, 1), kIsrQueue);
    EXPECT_EQ(ports.read(kIoBar + 0x13, 1), 0u);
    ports.write(kIoBar + 0x12, 1, 0);
    EXPECT_EQ(ports.read(kIoBar + 0x08, 4), 0u);
}

TEST_F(VirtioBlkTest, PciResetResetsTheDevice) {
    initialize();
    pci.reset();
    EXPECT_EQ(blk.status(), 0);
    EXPECT_FALSE(blk.queue(0).ready);
    EXPECT_FALSE(blk.barAddress(VirtioPciDevice::kModernBar).has_value());
}

}  // namespace
}  // namespace pvx::virtio
