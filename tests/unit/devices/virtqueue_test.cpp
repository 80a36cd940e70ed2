// The split virtqueue processor against hand-built rings (virtio 1.2 §2.7), including the
// malformed rings a hostile driver can build.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include "devices/virtio/split_queue.h"
#include "virtio_test_rings.h"

namespace pvx::virtio {
namespace {

using test::Ring;
using D = SplitQueue;

class VirtqueueTest : public ::testing::Test {
protected:
    PhysicalMemory mem{16ull << 20};
    SplitQueue q{mem, 8};
    Ring ring{mem, 8};

    void SetUp() override {
        q.size = 8;
        q.descAddr = Ring::kDesc;
        q.driverAddr = Ring::kDriver;
        q.deviceAddr = Ring::kDevice;
        q.ready = true;
    }
    SplitQueue::Pop pop(VirtqChain& c) { return q.pop(c); }
};

TEST_F(VirtqueueTest, EmptyQueueHasNothing) {
    VirtqChain c;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Empty);
    EXPECT_FALSE(q.hasAvailable());
}

TEST_F(VirtqueueTest, ChainOfReadableThenWritableBuffers) {
    ring.desc(0, 0x100000, 16, D::kDescNext, 3);
    ring.desc(3, 0x101000, 512, D::kDescNext | D::kDescWrite, 5);
    ring.desc(5, 0x102000, 1, D::kDescWrite);
    ring.publish(0);
    EXPECT_TRUE(q.hasAvailable());
    VirtqChain c;
    ASSERT_EQ(pop(c), SplitQueue::Pop::Chain);
    EXPECT_EQ(c.head, 0);
    ASSERT_EQ(c.buffers.size(), 3u);
    EXPECT_EQ(c.buffers[1].addr, 0x101000u);
    EXPECT_TRUE(c.buffers[1].writable);
    EXPECT_FALSE(c.buffers[0].writable);
    EXPECT_EQ(c.readableBytes, 16u);
    EXPECT_EQ(c.writableBytes, 513u);
    EXPECT_EQ(pop(c), SplitQueue::Pop::Empty);

    ASSERT_TRUE(q.pushUsed(c.head, 513));
    EXPECT_EQ(ring.usedIdx(), 1);
    EXPECT_EQ(ring.usedId(0), 0u);
    EXPECT_EQ(ring.usedLen(0), 513u);
    EXPECT_TRUE(q.needsInterrupt());
    EXPECT_FALSE(q.needsInterrupt());  // nothing new since
}

TEST_F(VirtqueueTest, ChainCopiesAcrossBufferBoundaries) {
    const char text[] = "abcdefghij";
    mem.writeRam(0x100000, text, 4);
    mem.writeRam(0x100100, text + 4, 6);
    ring.desc(0, 0x100000, 4, D::kDescNext, 1);
    ring.desc(1, 0x100100, 6, D::kDescNext, 2);
    ring.desc(2, 0x100200, 3, D::kDescWrite | D::kDescNext, 3);
    ring.desc(3, 0x100300, 5, D::kDescWrite);
    ring.publish(0);
    VirtqChain c;
    ASSERT_EQ(pop(c), SplitQueue::Pop::Chain);
    char got[16] = {};
    EXPECT_EQ(c.readFrom(mem, 2, got, 16), 8u);  // short at the end of the readable part
    EXPECT_STREQ(got, "cdefghij");
    EXPECT_EQ(c.writeTo(mem, 1, "WXYZ12345", 9), 7u);
    char w[9] = {};
    mem.readRam(0x100200, w, 3);
    mem.readRam(0x100300, w + 3, 5);
    EXPECT_EQ(std::memcmp(w, "\0WXYZ123", 8), 0);
}

TEST_F(VirtqueueTest, WrapsTheRingIndices) {
    VirtqChain c;
    for (int i = 0; i < 20; ++i) {
        ring.desc(static_cast<uint16_t>(i % 8), 0x100000, 8, D::kDescWrite);
        ring.publish(static_cast<uint16_t>(i % 8));
        ASSERT_EQ(pop(c), SplitQueue::Pop::Chain) << i;
        EXPECT_EQ(c.head, i % 8);
        ASSERT_TRUE(q.pushUsed(c.head, 8));
    }
    EXPECT_EQ(ring.usedIdx(), 20);
    EXPECT_EQ(ring.usedId(19), 3u);
}

TEST_F(VirtqueueTest, IndirectTableNeedsTheFeature) {
    const uint64_t table = 0x200000;
    ring.desc(0, 0x100000, 16, 0, 0, table);
    ring.desc(1, 0x100100, 1, D::kDescWrite, 0, table);
    ring.w16(table + 12, D::kDescNext);
    ring.w16(table + 14, 1);
    ring.desc(2, table, 32, D::kDescIndirect);
    ring.publish(2);
    VirtqChain c;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);  // not negotiated

    SplitQueue q2{mem, 8};
    q2.size = 8;
    q2.descAddr = Ring::kDesc;
    q2.driverAddr = Ring::kDriver;
    q2.deviceAddr = Ring::kDevice;
    q2.ready = true;
    q2.setFeatures(true, false);
    ASSERT_EQ(q2.pop(c), SplitQueue::Pop::Chain);
    EXPECT_EQ(c.head, 2);
    ASSERT_EQ(c.buffers.size(), 2u);
    EXPECT_EQ(c.buffers[0].addr, 0x100000u);
    EXPECT_EQ(c.buffers[1].addr, 0x100100u);
    EXPECT_TRUE(c.buffers[1].writable);
}

TEST_F(VirtqueueTest, EventIdxSuppressesInterruptsUntilUsedEvent) {
    q.setFeatures(false, true);
    VirtqChain c;
    ring.setUsedEvent(2);  // interrupt when used idx passes 2 (i.e. entry 2 is used)
    for (uint16_t i = 0; i < 3; ++i) {
        ring.desc(i, 0x100000, 8, D::kDescWrite);
        ring.publish(i);
        ASSERT_EQ(pop(c), SplitQueue::Pop::Chain);
        EXPECT_EQ(ring.availEvent(), i + 1);  // §2.7.10: the device says where it is
        ASSERT_TRUE(q.pushUsed(c.head, 0));
        EXPECT_EQ(q.needsInterrupt(), i == 2) << i;
    }
}

TEST_F(VirtqueueTest, NoInterruptFlagWithoutEventIdx) {
    ring.w16(Ring::kDriver, D::kAvailNoInterrupt);
    ring.desc(0, 0x100000, 8, D::kDescWrite);
    ring.publish(0);
    VirtqChain c;
    ASSERT_EQ(pop(c), SplitQueue::Pop::Chain);
    ASSERT_TRUE(q.pushUsed(0, 0));
    EXPECT_FALSE(q.needsInterrupt());
}

TEST_F(VirtqueueTest, LegacyLayoutFromPfn) {
    SplitQueue lq{mem, 256};
    lq.setLegacyPfn(0x50);
    EXPECT_TRUE(lq.ready);
    EXPECT_EQ(lq.descAddr, 0x50000u);
    EXPECT_EQ(lq.driverAddr, 0x50000u + 16 * 256);
    EXPECT_EQ(lq.deviceAddr, 0x52000u);  // 0x51000 + 6 + 512 rounded up to 4 KiB
    lq.setLegacyPfn(0);
    EXPECT_FALSE(lq.ready);
}

// ---- malformed rings: Error, sticky, no host crash ----

TEST_F(VirtqueueTest, DescriptorLoopIsAnError) {
    ring.desc(0, 0x100000, 8, D::kDescNext, 1);
    ring.desc(1, 0x100000, 8, D::kDescNext, 0);
    ring.publish(0);
    VirtqChain c;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
    EXPECT_NE(q.error().find("loops"), std::string::npos) << q.error();
    // Sticky until reset.
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
    EXPECT_FALSE(q.pushUsed(0, 0));
    q.reset();
    EXPECT_TRUE(q.error().empty());
}

TEST_F(VirtqueueTest, SelfLoopInIndirectTableIsAnError) {
    q.setFeatures(true, false);
    const uint64_t table = 0x200000;
    ring.desc(0, 0x100000, 8, D::kDescNext, 0, table);  // points at itself
    ring.desc(0, table, 16 * 4, D::kDescIndirect);
    ring.publish(0);
    VirtqChain c;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
}

TEST_F(VirtqueueTest, NestedIndirectIsAnError) {
    q.setFeatures(true, false);
    const uint64_t table = 0x200000;
    ring.desc(0, table, 16, D::kDescIndirect, 0, table);
    ring.desc(0, table, 16, D::kDescIndirect);
    ring.publish(0);
    VirtqChain c;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
    EXPECT_NE(q.error().find("nested"), std::string::npos);
}

TEST_F(VirtqueueTest, IndirectWithNextIsAnError) {
    q.setFeatures(true, false);
    ring.desc(0, 0x200000, 16, D::kDescIndirect | D::kDescNext, 1);
    ring.publish(0);
    VirtqChain c;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
}

TEST_F(VirtqueueTest, BadIndirectTableLengthsAreErrors) {
    q.setFeatures(true, false);
    for (uint32_t len : {0u, 24u, 16u * (SplitQueue::kMaxIndirect + 1)}) {
        q.reset();
        SetUp();
        q.setFeatures(true, false);
        ring.desc(0, 0x200000, len, D::kDescIndirect);
        ring.publish(0);
        VirtqChain c;
        EXPECT_EQ(pop(c), SplitQueue::Pop::Error) << len;
        ring.availIdx = 0;
        ring.w16(Ring::kDriver + 2, 0);
    }
}

TEST_F(VirtqueueTest, BufferOutsideRamIsAnError) {
    ring.desc(0, 0xFFFFFFFF00000000ull, 8, 0);
    ring.publish(0);
    VirtqChain c;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
    EXPECT_NE(q.error().find("outside RAM"), std::string::npos);
}

TEST_F(VirtqueueTest, BufferWrappingAddressSpaceIsAnError) {
    ring.desc(0, 0xFFFFFFFFFFFFF000ull, 0x2000, 0);
    ring.publish(0);
    VirtqChain c;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
}

TEST_F(VirtqueueTest, BufferEndingPastRamIsAnError) {
    ring.desc(0, (16ull << 20) - 4, 8, 0);
    ring.publish(0);
    VirtqChain c;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
}

TEST_F(VirtqueueTest, RingsOutsideRamAreErrors) {
    q.driverAddr = 0xF0000000;  // no RAM there in a 16 MiB machine
    ring.publish(0);
    VirtqChain c;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
    q.reset();
    SetUp();
    q.descAddr = 0xF0000000;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);  // the already published entry
}

TEST_F(VirtqueueTest, HeadOutOfTableIsAnError) {
    ring.publish(8);
    VirtqChain c;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
}

TEST_F(VirtqueueTest, NextOutOfTableIsAnError) {
    ring.desc(0, 0x100000, 8, D::kDescNext, 200);
    ring.publish(0);
    VirtqChain c;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
}

TEST_F(VirtqueueTest, AvailIndexMoreThanAQueueAheadIsAnError) {
    ring.w16(Ring::kDriver + 2, 9);
    VirtqChain c;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
    EXPECT_NE(q.error().find("ahead"), std::string::npos);
}

TEST_F(VirtqueueTest, ReadableAfterWritableIsAnError) {
    ring.desc(0, 0x100000, 8, D::kDescWrite | D::kDescNext, 1);
    ring.desc(1, 0x100000, 8, 0);
    ring.publish(0);
    VirtqChain c;
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
}

TEST_F(VirtqueueTest, LongestLegalChainIsAcceptedOneMoreIsNot) {
    // 8 descriptors in an 8-entry table: legal. A 9th is impossible without revisiting one.
    for (uint16_t i = 0; i < 7; ++i) ring.desc(i, 0x100000, 8, D::kDescNext, static_cast<uint16_t>(i + 1));
    ring.desc(7, 0x100000, 8, 0);
    ring.publish(0);
    VirtqChain c;
    ASSERT_EQ(pop(c), SplitQueue::Pop::Chain);
    EXPECT_EQ(c.buffers.size(), 8u);
    ring.desc(7, 0x100000, 8, D::kDescNext, 3);
    ring.publish(0);
    EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
}

TEST_F(VirtqueueTest, DeviceRingOutsideRamFailsPushUsed) {
    ring.desc(0, 0x100000, 8, 0);
    ring.publish(0);
    VirtqChain c;
    ASSERT_EQ(pop(c), SplitQueue::Pop::Chain);
    q.deviceAddr = (16ull << 20) - 8;  // ring entries would run past the end of RAM
    EXPECT_FALSE(q.pushUsed(c.head, 0));
    EXPECT_FALSE(q.error().empty());
}

// Garbage everywhere (descriptor table, rings, an indirect-looking table), many seeds: every
// pop() ends (Chain, Empty or Error), chains stay within their bounds, and an error is sticky.
TEST_F(VirtqueueTest, RandomRingsNeverEscapeTheirBounds) {
    uint64_t state = 0x9E3779B97F4A7C15ull;
    auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    int chains = 0, errors = 0;
    for (int seed = 0; seed < 1000; ++seed) {
        q.reset();
        SetUp();
        q.setFeatures(seed & 1, seed & 2);
        // Two thirds of the seeds: plausible fields (in-RAM buffers, the real flag bits, next
        // indices around the table size, indirect tables at 0x800000); the rest pure noise.
        const bool plausible = seed % 3 != 0;
        auto fillTable = [&](uint64_t table, uint16_t entries) {
            for (uint16_t i = 0; i < entries; ++i) {
                if (!plausible) {
                    ring.desc(i, next(), static_cast<uint32_t>(next()), static_cast<uint16_t>(next()), static_cast<uint16_t>(next()), table);
                    continue;
                }
                const uint16_t flags = static_cast<uint16_t>(next() & 7);
                const bool indirect = flags & D::kDescIndirect;
                ring.desc(i, indirect ? 0x800000 : 0x100000 + (next() % 0x400000),
                          indirect ? static_cast<uint32_t>(16 * (1 + next() % 8)) : static_cast<uint32_t>(next() % 8192),
                          flags, static_cast<uint16_t>(next() % 9), table);
            }
        };
        fillTable(Ring::kDesc, 8);
        fillTable(0x800000, 8);
        ring.w16(Ring::kDriver, static_cast<uint16_t>(next() & 1));
        ring.w16(Ring::kDriver + 2, static_cast<uint16_t>(plausible ? next() % 10 : next()));
        for (unsigned i = 0; i < 9; ++i) ring.w16(Ring::kDriver + 4 + 2 * i, static_cast<uint16_t>(plausible ? next() % 9 : next()));
        VirtqChain c;
        bool failed = false;
        for (int i = 0; i < 40; ++i) {
            SplitQueue::Pop p = pop(c);
            if (p == SplitQueue::Pop::Error) {
                failed = true;
                ++errors;
                EXPECT_FALSE(q.error().empty());
                break;
            }
            if (p == SplitQueue::Pop::Empty) break;
            ++chains;
            EXPECT_LT(c.head, 8u);
            EXPECT_LE(c.buffers.size(), 8u + SplitQueue::kMaxIndirect);
            for (const VirtqBuffer& b : c.buffers) EXPECT_TRUE(mem.isRamRange(b.addr, b.len));
            q.pushUsed(c.head, 0);
        }
        if (failed) {
            EXPECT_EQ(pop(c), SplitQueue::Pop::Error);
        }
    }
    // The generator reaches both outcomes (a run of only errors would test little).
    EXPECT_GT(chains, 50);
    EXPECT_GT(errors, 50);
    std::printf("random rings: %d chains, %d errors\n", chains, errors);
}

}  // namespace
}  // namespace pvx::virtio
