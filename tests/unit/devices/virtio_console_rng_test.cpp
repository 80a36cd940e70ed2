// virtio-console (virtio 1.2 §5.3: transmit to the CharBackend, host input into the receive
// queue) and virtio-rng (§5.4: buffers filled from host entropy).
#include <gtest/gtest.h>

#include <string>

#include "common/port_bus.h"
#include "devices/pci/pci_bus.h"
#include "devices/virtio/virtio_console.h"
#include "devices/virtio/virtio_rng.h"
#include "virtio_test_rings.h"

namespace pvx::virtio {
namespace {

using test::Ring;
using D = SplitQueue;
constexpr uint64_t kBar = 0xE0000000;

class InputBackend final : public CharBackend {
public:
    void write(const uint8_t* data, size_t len) override { out.append(reinterpret_cast<const char*>(data), len); }
    int readByte() override { return pos_ < in.size() ? static_cast<uint8_t>(in[pos_++]) : -1; }
    std::string out, in;

private:
    size_t pos_ = 0;
};

// Programs BAR4 and brings `dev` to DRIVER_OK with VERSION_1 and queue `q` at Ring's addresses
// (16 entries).
void bringUp(PhysicalMemory& mem, PciBus& pci, unsigned slot, std::initializer_list<uint16_t> queues) {
    pci.configWrite(slot, 0, 0x20, 4, static_cast<uint32_t>(kBar));
    pci.configWrite(slot, 0, 0x04, 2, PciFunction::kCmdMemSpace | PciFunction::kCmdBusMaster);
    auto wr = [&](uint64_t off, unsigned size, uint64_t v) { mem.write(kBar + off, size, v); };
    wr(0x14, 1, kStatusAcknowledge | kStatusDriver);
    wr(0x08, 4, 1);
    wr(0x0C, 4, 1);
    wr(0x14, 1, kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk);
    uint64_t base = 0;
    for (uint16_t q : queues) {
        wr(0x16, 2, q);
        wr(0x18, 2, 16);
        wr(0x20, 8, Ring::kDesc + base);
        wr(0x28, 8, Ring::kDriver + base);
        wr(0x30, 8, Ring::kDevice + base);
        wr(0x1C, 2, 1);
        base += 0x100000;
    }
    wr(0x14, 1, kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk | kStatusDriverOk);
}

TEST(VirtioConsoleTest, TransmitGoesToTheBackend) {
    PhysicalMemory mem{16ull << 20};
    PortBus ports;
    PciBus pci;
    InputBackend backend;
    VirtioConsole con{mem, ports, backend};
    pci.addFunction(4, 0, con);
    EXPECT_EQ(pci.configRead(4, 0, 0x00, 4), 0x10031AF4u);
    // Queues 0 (receive) at +0, 1 (transmit) at +1 MiB.
    bringUp(mem, pci, 4, {0, 1});
    Ring tx{mem, 16};
    const uint64_t off = 0x100000;
    mem.writeRam(0x400000, "hello, ", 7);
    mem.writeRam(0x400100, "virtio", 6);
    tx.desc(0, 0x400000, 7, D::kDescNext, 1, Ring::kDesc + off);
    tx.desc(1, 0x400100, 6, 0, 0, Ring::kDesc + off);
    mem.write(Ring::kDriver + off + 4, 2, 0);
    mem.write(Ring::kDriver + off + 2, 2, 1);
    mem.write(kBar + VirtioPciDevice::kNotifyOffset + 4, 2, 1);
    EXPECT_EQ(backend.out, "hello, virtio");
    EXPECT_EQ(mem.read(Ring::kDevice + off + 2, 2), 1u);
    EXPECT_EQ(con.bytesOut, 13u);
}

TEST(VirtioConsoleTest, HostInputFillsReceiveBuffers) {
    PhysicalMemory mem{16ull << 20};
    PortBus ports;
    PciBus pci;
    InputBackend backend;
    VirtioConsole con{mem, ports, backend};
    pci.addFunction(4, 0, con);
    bringUp(mem, pci, 4, {0, 1});
    EXPECT_FALSE(con.wantsInput());  // no receive buffers yet
    Ring rx{mem, 16};
    rx.desc(0, 0x500000, 4, D::kDescWrite);
    rx.desc(1, 0x500100, 64, D::kDescWrite);
    rx.publish(0);
    rx.publish(1);
    EXPECT_TRUE(con.wantsInput());
    backend.in = "abcdef";
    con.pollInput();
    EXPECT_EQ(rx.usedIdx(), 2);
    EXPECT_EQ(rx.usedLen(0), 4u);
    EXPECT_EQ(rx.usedLen(1), 2u);
    char got[7] = {};
    mem.readRam(0x500000, got, 4);
    mem.readRam(0x500100, got + 4, 2);
    EXPECT_STREQ(got, "abcdef");
    EXPECT_EQ(mem.read(kBar + VirtioPciDevice::kIsrOffset, 1), kIsrQueue);
}

TEST(VirtioRngTest, FillsBuffersFromHostEntropyWithoutDeviceConfig) {
    PhysicalMemory mem{16ull << 20};
    PortBus ports;
    PciBus pci;
    VirtioRng rng{mem, ports};
    pci.addFunction(5, 0, rng);
    EXPECT_EQ(pci.configRead(5, 0, 0x00, 4), 0x10051AF4u);
    // Common, notify, ISR and the configuration window: no device-specific configuration (§5.4.4).
    int caps = 0;
    for (uint8_t p = static_cast<uint8_t>(pci.configRead(5, 0, 0x34, 1)); p && caps < 10;
         p = static_cast<uint8_t>(pci.configRead(5, 0, static_cast<uint8_t>(p + 1), 1))) {
        EXPECT_NE(pci.configRead(5, 0, static_cast<uint8_t>(p + 3), 1), kPciCapDeviceCfg);
        ++caps;
    }
    EXPECT_EQ(caps, 4);
    bringUp(mem, pci, 5, {0});
    Ring ring{mem, 16};
    std::vector<uint8_t> zero(8192, 0);
    mem.writeRam(0x600000, zero.data(), zero.size());
    ring.desc(0, 0x600000, 8192, D::kDescWrite);
    ring.publish(0);
    mem.write(kBar + VirtioPciDevice::kNotifyOffset, 2, 0);
    ASSERT_EQ(ring.usedIdx(), 1);
    EXPECT_EQ(ring.usedLen(0), VirtioRng::kMaxBytesPerRequest);  // capped per request
    std::vector<uint8_t> got(8192);
    mem.readRam(0x600000, got.data(), got.size());
    int nonzero = 0;
    for (size_t i = 0; i < VirtioRng::kMaxBytesPerRequest; ++i) nonzero += got[i] != 0;
    EXPECT_GT(nonzero, 3500);  // 4096 random bytes: ~4080 non-zero; all zero is a failure
    for (size_t i = VirtioRng::kMaxBytesPerRequest; i < got.size(); ++i) ASSERT_EQ(got[i], 0) << i;
}

}  // namespace
}  // namespace pvx::virtio
