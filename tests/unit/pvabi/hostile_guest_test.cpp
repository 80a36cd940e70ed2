// A hostile guest: every call with register values and list contents drawn from edge cases and a
// fixed-seed generator. Whatever it passes, the result is a documented one, ROM/MMIO/the
// read-only disk are never touched, every continuation makes progress, and nothing crashes
// (ASan/UBSan builds run this too).
#include <random>
#include <set>

#include "pv_fixture.h"

namespace pvx::pv::test {
namespace {

class Hostile : public PvTest {
protected:
    Hostile() : disk(256), roDisk(16, true) {
        platform.disks = {disk.backend.get(), nullptr, roDisk.backend.get()};
        for (char c : std::string("input")) console.in.push_back(static_cast<uint8_t>(c));
    }
    TempDisk disk, roDisk;
};

uint64_t pick(std::mt19937_64& g) {
    static const uint64_t edges[] = {
        0, 1, 7, 8, 31, 32, 0x1000, 0xFFF, kList, kList + 4, kData, kData + 1, kOut,
        kRamBytes - 0x1000, kRamBytes - 32, kRamBytes - 8, kRamBytes - 1, kRamBytes, kRamBytes + 0x1000,
        kRomBase, kRomBase - 8, kRomBase - 0x1000, kMmioBase, kMmioBase - 16, 0xC0000000, 0xFFFFFFFF,
        0x100000000ull, 1ull << 52, ~0ull, ~0ull - 7, ~0ull - 0xFFF, ~0ull & ~0xFFFull, 1ull << 63,
        PVX_MAX_BATCH, PVX_MAX_BATCH + 1, 256, 257, 65536, 65537, 2048, 2049,
    };
    switch (g() % 4) {
        case 0: return edges[g() % std::size(edges)];
        case 1: return g() % 2000;
        case 2: return g() % kRamBytes;
        default: return g();
    }
}

TEST_F(Hostile, RandomCallsOnlyEverGiveDocumentedResults) {
    std::mt19937_64 g(20240601);
    const std::set<uint64_t> errors = {err(PVX_EPERM), err(PVX_EIO), err(PVX_E2BIG), err(PVX_EFAULT),
                                       err(PVX_ENODEV), err(PVX_EINVAL), err(PVX_ENOSYS)};
    std::vector<uint32_t> numbers;
    for (const CallInfo& c : Dispatcher::calls())
        if (c.number != PVX_CALL_POWER_OFF && c.number != PVX_CALL_POWER_RESET) numbers.push_back(c.number);
    numbers.push_back(0x0703);
    const auto roImage = roDisk.contents();
    const uint64_t diskSize = disk.contents().size();

    for (int iter = 0; iter < 4000; ++iter) {
        // Fill the list area with a mix of plausible and garbage entries.
        std::vector<uint64_t> words(1024 * 4);
        for (size_t i = 0; i < words.size(); ++i) {
            switch (g() % 5) {
                case 0: words[i] = g() % 4; break;        // ops, small sector counts
                case 1: words[i] = (g() % 300) | ((g() % 4) << 32); break;  // lba | device:sectors
                case 2: words[i] = kData + (g() % 0x100000); break;
                case 3: words[i] = pick(g); break;
                default: words[i] = g(); break;
            }
        }
        poke(kList, words.data(), words.size() * 8);

        const uint32_t nr = numbers[g() % numbers.size()];
        EscapeRegs r = regs(nr, pick(g), g() % 3 ? g() % 1100 : pick(g), g() % 4 ? 0 : pick(g), pick(g));
        if (g() % 2) r.rbx = kList;
        if (nr == PVX_CALL_SCHED_HALT_UNTIL) platform.halts.clear();
        const uint64_t rcx = r.rcx;

        for (int escapes = 0;; ++escapes) {
            ASSERT_LT(escapes, 100) << "call " << std::hex << nr << " does not complete";
            const uint64_t rdxBefore = r.rdx;
            const EscapeOutcome o = dispatcher.escape(r);
            ASSERT_NE(o, EscapeOutcome::Undefined);
            ASSERT_EQ(r.rdi, 0xD1D1D1D1D1D1D1D1ull);
            ASSERT_EQ(r.r8, 0x8888888888888888ull);
            ASSERT_EQ(r.rcx, rcx);
            if (o == EscapeOutcome::Continue) {
                ASSERT_EQ(r.rax, nr);
                ASSERT_GT(r.rdx, rdxBefore);
                ASSERT_LT(r.rdx, r.rcx);
                continue;
            }
            const bool isError = static_cast<int64_t>(r.rax) < 0;
            if (isError) {
                ASSERT_TRUE(errors.count(r.rax)) << std::hex << nr << " returned " << r.rax;
                if (nr == 0x0703) {
                    ASSERT_EQ(r.rax, err(PVX_ENOSYS));
                }
            } else {
                switch (nr) {
                    case PVX_CALL_BLOCK_RW:
                    case PVX_CALL_MMU_UPDATE:
                    case PVX_CALL_MMU_ZERO:
                    case PVX_CALL_MMU_COPY:
                        ASSERT_EQ(r.rax, r.rcx);
                        ASSERT_EQ(r.rdx, r.rcx);
                        break;
                    case PVX_CALL_MMU_FLUSH: ASSERT_EQ(r.rax, r.rcx); break;
                    case PVX_CALL_CONSOLE_WRITE:
                        ASSERT_EQ(r.rax, r.rcx);
                        break;
                    case PVX_CALL_CONSOLE_READ: ASSERT_LE(r.rax, r.rcx); break;
                    case PVX_CALL_INFO_STATS: ASSERT_LE(r.rax, sizeof(pvx_stats)); break;
                    default: break;
                }
            }
            break;
        }
        ASSERT_EQ(mmio.accesses, 0u);
        ASSERT_EQ(mem.read(kRomBase + (g() % kRomSize), 1), 0xC3u) << "ROM overlay written";
        ASSERT_EQ(mem.romWritesDropped, 0u);
    }
    EXPECT_TRUE(roDisk.contents() == roImage);
    EXPECT_EQ(disk.contents().size(), diskSize);
    EXPECT_GT(dispatcher.block().requests, 0u);
    EXPECT_GT(dispatcher.mmu().pteUpdates, 0u);
}

}  // namespace
}  // namespace pvx::pv::test
