// CONSOLE_WRITE / CONSOLE_READ.
#include "pv_fixture.h"

namespace pvx::pv::test {
namespace {

using Console = PvTest;

std::string str(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }

TEST_F(Console, WriteReachesTheSharedBackendByteForByte) {
    BufferCharBackend sink;  // the backend COM1 writes to as well
    platform.consoleBackend = &sink;
    const char msg[] = "hello from the guest\n\x00\xff binary too";
    poke(kData + 1, msg, sizeof msg);
    auto [r, o] = once(PVX_CALL_CONSOLE_WRITE, kData + 1, sizeof msg);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, sizeof msg);
    EXPECT_EQ(r.rbx, kData + 1);
    EXPECT_EQ(r.rcx, sizeof msg);
    EXPECT_EQ(sink.buf, std::string(msg, sizeof msg));
    EXPECT_EQ(dispatcher.console().bytesWritten, sizeof msg);
}

TEST_F(Console, WriteOfExactly64KiBIsOneCall) {
    fill(kData, 65536, 9);
    auto [r, o] = once(PVX_CALL_CONSOLE_WRITE, kData, 65536);
    EXPECT_EQ(r.rax, 65536u);
    EXPECT_EQ(console.out, str(bytes(kData, 65536)));
}

TEST_F(Console, WriteOfZeroBytesIsZeroWhateverTheAddress) {
    EXPECT_EQ(once(PVX_CALL_CONSOLE_WRITE, ~0ull, 0).regs.rax, 0u);
    EXPECT_EQ(console.out, "");
}

TEST_F(Console, WriteErrorsWriteNothing) {
    fill(kData, 65537, 1);
    const uint64_t cases[][3] = {
        {kData, 65537, PVX_E2BIG},
        {kData, ~0ull, PVX_E2BIG},
        {kRamBytes, 16, PVX_EFAULT},
        {kRamBytes - 8, 16, PVX_EFAULT},   // straddles the end of RAM
        {~0ull - 7, 16, PVX_EFAULT},       // wraps
        {kRomBase + 16, 16, PVX_EFAULT},   // ROM overlay
        {kRomBase - 8, 16, PVX_EFAULT},    // straddles into it
        {kMmioBase + kMmioSize - 4, 16, PVX_EFAULT},
    };
    for (auto& c : cases) {
        auto [r, o] = once(PVX_CALL_CONSOLE_WRITE, c[0], c[1]);
        EXPECT_EQ(o, EscapeOutcome::Done);
        EXPECT_EQ(r.rax, err(static_cast<int>(c[2]))) << std::hex << c[0] << " " << c[1];
    }
    EXPECT_EQ(console.out, "");
    EXPECT_EQ(mmio.accesses, 0u);
    EXPECT_EQ(dispatcher.console().errors, std::size(cases));
    EXPECT_EQ(dispatcher.console().bytesWritten, 0u);
}

TEST_F(Console, NoConsoleIsEnodev) {
    platform.consoleBackend = nullptr;
    EXPECT_EQ(once(PVX_CALL_CONSOLE_WRITE, kData, 4).regs.rax, err(PVX_ENODEV));
    EXPECT_EQ(once(PVX_CALL_CONSOLE_READ, kData, 4).regs.rax, err(PVX_ENODEV));
}

TEST_F(Console, ReadTakesWhatIsWaitingWithoutBlocking) {
    for (char c : std::string("hello")) console.in.push_back(static_cast<uint8_t>(c));
    fill(kData, 16, 0xA0);
    auto before = bytes(kData, 16);

    auto [r, o] = once(PVX_CALL_CONSOLE_READ, kData, 3);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, 3u);
    auto got = bytes(kData, 16);
    EXPECT_EQ(str({got.begin(), got.begin() + 3}), "hel");
    EXPECT_TRUE(std::equal(got.begin() + 3, got.end(), before.begin() + 3));

    EXPECT_EQ(once(PVX_CALL_CONSOLE_READ, kData + 8, 10).regs.rax, 2u);
    EXPECT_EQ(str(bytes(kData + 8, 2)), "lo");
    EXPECT_EQ(get<uint8_t>(kData + 10), before[10]);

    auto snap = snapshot();
    EXPECT_EQ(once(PVX_CALL_CONSOLE_READ, kData, 10).regs.rax, 0u);  // nothing waiting
    EXPECT_TRUE(changedSince(snap).empty());
    EXPECT_EQ(dispatcher.console().bytesRead, 5u);
}

TEST_F(Console, ReadErrorsConsumeNoInput) {
    console.in = {'x', 'y'};
    auto snap = snapshot();
    const uint64_t cases[][3] = {
        {kData, 65537, PVX_E2BIG},
        {kRamBytes - 1, 2, PVX_EFAULT},
        {~0ull, 2, PVX_EFAULT},
        {kRomBase, 2, PVX_EFAULT},
    };
    for (auto& c : cases) EXPECT_EQ(once(PVX_CALL_CONSOLE_READ, c[0], c[1]).regs.rax, err(static_cast<int>(c[2])));
    EXPECT_EQ(console.in.size(), 2u);
    EXPECT_TRUE(changedSince(snap).empty());
    EXPECT_EQ(once(PVX_CALL_CONSOLE_READ, kData, 0).regs.rax, 0u);
    EXPECT_EQ(console.in.size(), 2u);
}

}  // namespace
}  // namespace pvx::pv::test
