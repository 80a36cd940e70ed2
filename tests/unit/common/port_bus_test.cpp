// PortBus: the 64 KiB I/O space (src/common/port_bus.h).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "common/port_bus.h"

namespace pvx {
namespace {

struct Access {
    bool write;
    uint16_t port;
    unsigned size;
    uint32_t value;
    bool operator==(const Access& o) const {
        return write == o.write && port == o.port && size == o.size && value == o.value;
    }
};

// Records every access; reads answer `readValue` (deliberately wider than any access).
class FakePort final : public PortDevice {
public:
    explicit FakePort(uint32_t readValue = 0x12345678) : readValue_(readValue) {}
    uint32_t ioRead(uint16_t port, unsigned size) override {
        log.push_back({false, port, size, 0});
        return readValue_;
    }
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override { log.push_back({true, port, size, value}); }
    std::vector<Access> log;

private:
    uint32_t readValue_;
};

TEST(PortBus, ClaimedPortsReachTheDeviceWithPortAndSize) {
    PortBus bus;
    FakePort dev;
    bus.claim(0x60, 5, &dev, "kbd");
    EXPECT_EQ(bus.read(0x60, 1), 0x78u);
    EXPECT_EQ(bus.read(0x62, 2), 0x5678u);
    EXPECT_EQ(bus.read(0x64, 4), 0x12345678u);
    bus.write(0x61, 1, 0xAB);
    bus.write(0x63, 2, 0xBEEF);
    bus.write(0x64, 4, 0xDEADBEEF);
    const std::vector<Access> want = {
        {false, 0x60, 1, 0}, {false, 0x62, 2, 0}, {false, 0x64, 4, 0},
        {true, 0x61, 1, 0xAB}, {true, 0x63, 2, 0xBEEF}, {true, 0x64, 4, 0xDEADBEEF},
    };
    EXPECT_EQ(dev.log, want);
    EXPECT_EQ(bus.deviceAt(0x60), &dev);
    EXPECT_EQ(bus.deviceAt(0x64), &dev);
    EXPECT_EQ(bus.deviceAt(0x5F), nullptr);
    EXPECT_EQ(bus.deviceAt(0x65), nullptr);
    EXPECT_EQ(bus.nameAt(0x62), "kbd");
}

TEST(PortBus, WriteValuesAreTruncatedToTheAccessWidth) {
    PortBus bus;
    FakePort dev;
    bus.claim(0x70, 2, &dev, "rtc");
    bus.write(0x70, 1, 0x1234);
    bus.write(0x71, 2, 0xABCDEF01);
    ASSERT_EQ(dev.log.size(), 2u);
    EXPECT_EQ(dev.log[0].value, 0x34u);
    EXPECT_EQ(dev.log[1].value, 0xEF01u);
}

TEST(PortBus, UnclaimedPortsReadAllOnesOfTheWidthAndCountAsUnclaimed) {
    PortBus bus;
    EXPECT_EQ(bus.nameAt(0x80), "unclaimed");
    EXPECT_EQ(bus.read(0x80, 1), 0xFFu);
    EXPECT_EQ(bus.read(0x80, 2), 0xFFFFu);
    EXPECT_EQ(bus.read(0x80, 4), 0xFFFFFFFFu);
    bus.write(0x80, 1, 0);
    bus.write(0xFFFF, 4, 0);
    EXPECT_EQ(bus.unclaimedAccesses(), 5u);
    EXPECT_EQ(bus.accesses(), 5u);
    // A claimed access is counted but not as unclaimed.
    FakePort dev;
    bus.claim(0x81, 1, &dev, "dev");
    bus.read(0x81, 1);
    EXPECT_EQ(bus.unclaimedAccesses(), 5u);
    EXPECT_EQ(bus.accesses(), 6u);
}

TEST(PortBus, LaterClaimsOverrideEarlierOnesOnlyWhereTheyOverlap) {
    PortBus bus;
    FakePort a(0x11), b(0x22);
    bus.claim(0x3F8, 8, &a, "com1");
    bus.claim(0x3FA, 2, &b, "override");
    EXPECT_EQ(bus.read(0x3F9, 1), 0x11u);
    EXPECT_EQ(bus.read(0x3FA, 1), 0x22u);
    EXPECT_EQ(bus.read(0x3FB, 1), 0x22u);
    EXPECT_EQ(bus.read(0x3FC, 1), 0x11u);
    EXPECT_EQ(bus.nameAt(0x3F8), "com1");
    EXPECT_EQ(bus.nameAt(0x3FA), "override");
    EXPECT_EQ(bus.nameAt(0x3FF), "com1");
    EXPECT_EQ(a.log.size(), 2u);
    EXPECT_EQ(b.log.size(), 2u);
}

TEST(PortBus, ReleaseMakesPortsUnclaimedAgain) {
    PortBus bus;
    FakePort dev;
    bus.claim(0x1F0, 8, &dev, "ata");
    bus.release(0x1F2, 2);
    EXPECT_EQ(bus.deviceAt(0x1F2), nullptr);
    EXPECT_EQ(bus.deviceAt(0x1F3), nullptr);
    EXPECT_EQ(bus.nameAt(0x1F2), "unclaimed");
    EXPECT_EQ(bus.deviceAt(0x1F1), &dev);
    EXPECT_EQ(bus.deviceAt(0x1F4), &dev);
    EXPECT_EQ(bus.read(0x1F2, 2), 0xFFFFu);
    EXPECT_EQ(bus.unclaimedAccesses(), 1u);
    EXPECT_TRUE(dev.log.empty());
}

TEST(PortBus, ClaimAtTheTopOfIoSpaceDoesNotWrapToPortZero) {
    PortBus bus;
    FakePort dev;
    bus.claim(0xFFFE, 4, &dev, "top");
    EXPECT_EQ(bus.deviceAt(0xFFFE), &dev);
    EXPECT_EQ(bus.deviceAt(0xFFFF), &dev);
    EXPECT_EQ(bus.deviceAt(0x0000), nullptr);
    EXPECT_EQ(bus.deviceAt(0x0001), nullptr);
}

TEST(PortBus, CountsAccessesPerPort) {
    PortBus bus;
    FakePort dev;
    bus.claim(0xE9, 1, &dev, "debugcon");
    for (int i = 0; i < 3; ++i) bus.write(0xE9, 1, 'x');
    bus.read(0xE9, 1);
    bus.read(0x92, 1);
    bus.write(0x92, 1, 2);
    const auto& by = bus.countsByPort();
    ASSERT_EQ(by.size(), 65536u);
    EXPECT_EQ(by[0xE9], 4u);
    EXPECT_EQ(by[0x92], 2u);
    EXPECT_EQ(by[0xEA], 0u);
    uint64_t sum = 0;
    for (uint64_t c : by) sum += c;
    EXPECT_EQ(sum, 6u);
    EXPECT_EQ(bus.accesses(), 6u);
}

struct TraceLog {
    std::vector<Access> seen;
};

TEST(PortBus, TraceHookSeesEveryAccessWithTheValueTransferred) {
    PortBus bus;
    FakePort dev(0xCAFEF00D);
    bus.claim(0x20, 2, &dev, "pic");
    TraceLog t;
    bus.setTrace([](void* ctx, bool write, uint16_t port, unsigned size, uint32_t value) {
        static_cast<TraceLog*>(ctx)->seen.push_back({write, port, size, value});
    }, &t);
    bus.read(0x20, 2);
    bus.write(0x21, 1, 0x1FF);
    bus.read(0x300, 1);
    const std::vector<Access> want = {{false, 0x20, 2, 0xF00D}, {true, 0x21, 1, 0xFF}, {false, 0x300, 1, 0xFF}};
    EXPECT_EQ(t.seen, want);
}

}  // namespace
}  // namespace pvx
