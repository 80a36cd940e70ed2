// BLOCK_INFO / BLOCK_RW / BLOCK_FLUSH against real image files.
#include <sys/stat.h>

#include "pv_fixture.h"

namespace pvx::pv::test {
namespace {

constexpr uint64_t kDiskSectors = 4096;  // 2 MiB
constexpr int32_t kUntouched = 0x7EADBEEF;

class Block : public PvTest {
protected:
    Block() : disk(kDiskSectors), roDisk(64, /*readOnly=*/true) {
        // Disk 0 read-write, disk 1 absent, disk 2 read-only.
        platform.disks = {disk.backend.get(), nullptr, roDisk.backend.get()};
    }

    static pvx_block_req req(uint32_t op, uint64_t lba, uint64_t buffer, uint32_t sectors, uint32_t device = 0) {
        return pvx_block_req{op, kUntouched, lba, buffer, sectors, device};
    }
    void putList(const std::vector<pvx_block_req>& l, uint64_t at = kList) {
        poke(at, l.data(), l.size() * sizeof(pvx_block_req));
    }
    int32_t status(uint64_t index, uint64_t at = kList) {
        return get<int32_t>(at + index * sizeof(pvx_block_req) + 4);
    }
    std::vector<uint8_t> sectorsOf(const std::vector<uint8_t>& img, uint64_t lba, uint64_t n) {
        return std::vector<uint8_t>(img.begin() + static_cast<long>(lba * 512),
                                    img.begin() + static_cast<long>((lba + n) * 512));
    }

    TempDisk disk;
    TempDisk roDisk;
};

TEST_F(Block, InfoReturnsTheSectorCount) {
    EXPECT_EQ(once(PVX_CALL_BLOCK_INFO, 0).regs.rax, kDiskSectors);
    EXPECT_EQ(once(PVX_CALL_BLOCK_INFO, 2).regs.rax, 64u);
}

TEST_F(Block, InfoOfAnAbsentDeviceIsEnodev) {
    for (uint64_t dev : {1ull, 3ull, 0xFFFFFFFFull, 0x100000000ull /* not device 0 */, ~0ull})
        EXPECT_EQ(once(PVX_CALL_BLOCK_INFO, dev).regs.rax, err(PVX_ENODEV)) << std::hex << dev;
    EXPECT_EQ(once(PVX_CALL_BLOCK_FLUSH, 0x100000000ull).regs.rax, err(PVX_ENODEV));
}

TEST_F(Block, WriteThroughPvLandsInTheImageFile) {
    fill(kData, 3 * 512, 0x11);
    fill(kData + 0x3001, 512, 0x99);  // any buffer alignment
    putList({req(PVX_BLOCK_WRITE, 10, kData, 3), req(PVX_BLOCK_WRITE, kDiskSectors - 1, kData + 0x3001, 1)});
    auto before = disk.contents();
    auto [r, o] = once(PVX_CALL_BLOCK_RW, kList, 2, 0);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, 2u);
    EXPECT_EQ(r.rdx, 2u);
    EXPECT_EQ(r.rbx, kList);
    EXPECT_EQ(r.rcx, 2u);
    EXPECT_EQ(status(0), 0);
    EXPECT_EQ(status(1), 0);

    auto img = disk.contents();
    ASSERT_EQ(img.size(), kDiskSectors * 512);
    EXPECT_EQ(sectorsOf(img, 10, 3), bytes(kData, 3 * 512));
    EXPECT_EQ(sectorsOf(img, kDiskSectors - 1, 1), bytes(kData + 0x3001, 512));
    // Nothing else on the disk moved.
    for (uint64_t i = 0; i < img.size(); ++i) {
        const uint64_t s = i / 512;
        if ((s >= 10 && s < 13) || s == kDiskSectors - 1) continue;
        ASSERT_EQ(img[i], before[i]) << "byte " << i;
    }
    EXPECT_EQ(dispatcher.block().writes, 2u);
    EXPECT_EQ(dispatcher.block().sectorsWritten, 4u);
    EXPECT_EQ(disk.backend->sectorsWritten, 4u);
}

TEST_F(Block, ReadReturnsTheFileContents) {
    fill(kData, 8 * 512 + 2, 0xEE);
    const uint64_t buf = kData + 1;
    putList({req(PVX_BLOCK_READ, 100, buf, 8), req(PVX_BLOCK_READ, 0, kOut + 7, 1, 2)});
    auto snap = snapshot();
    auto [r, o] = once(PVX_CALL_BLOCK_RW, kList, 2, 0);
    EXPECT_EQ(r.rax, 2u);
    EXPECT_EQ(bytes(buf, 8 * 512), sectorsOf(disk.contents(), 100, 8));
    EXPECT_EQ(bytes(kOut + 7, 512), sectorsOf(roDisk.contents(), 0, 1));
    // Exactly the two buffers and the two status words changed.
    for (uint64_t off : changedSince(snap)) {
        const bool inBuf = (off >= buf && off < buf + 8 * 512) || (off >= kOut + 7 && off < kOut + 7 + 512);
        const bool inStatus = (off >= kList + 4 && off < kList + 8) || (off >= kList + 36 && off < kList + 40);
        ASSERT_TRUE(inBuf || inStatus) << std::hex << off;
    }
    EXPECT_EQ(dispatcher.block().sectorsRead, 9u);
}

TEST_F(Block, ReadIntoACodePageInvalidatesItsDecodes) {
    mem.markCode(kData);
    const uint32_t gen = mem.pageGeneration(kData);
    putList({req(PVX_BLOCK_READ, 5, kData + 0x800, 1)});
    EXPECT_EQ(once(PVX_CALL_BLOCK_RW, kList, 1).regs.rax, 1u);
    EXPECT_FALSE(mem.isCode(kData));
    EXPECT_EQ(mem.pageGeneration(kData), gen + 1);
}

TEST_F(Block, WriteThenReadBackInOneList) {
    fill(kData, 4 * 512, 0x42);
    putList({req(PVX_BLOCK_WRITE, 2000, kData, 4), req(PVX_BLOCK_FLUSH, 0, 0, 0),
             req(PVX_BLOCK_READ, 2000, kOut, 4)});
    EXPECT_EQ(once(PVX_CALL_BLOCK_RW, kList, 3).regs.rax, 3u);
    EXPECT_EQ(bytes(kOut, 4 * 512), bytes(kData, 4 * 512));
    EXPECT_EQ(sectorsOf(disk.contents(), 2000, 4), bytes(kData, 4 * 512));
    EXPECT_EQ(dispatcher.block().flushes, 1u);
    EXPECT_EQ(disk.backend->flushes, 1u);
}

TEST_F(Block, FlushCallAndFlushEntry) {
    auto [r, o] = once(PVX_CALL_BLOCK_FLUSH, 0);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, 0u);
    EXPECT_EQ(disk.backend->flushes, 1u);
    // A read-only disk has nothing to make durable: success.
    EXPECT_EQ(once(PVX_CALL_BLOCK_FLUSH, 2).regs.rax, 0u);
    EXPECT_EQ(once(PVX_CALL_BLOCK_FLUSH, 1).regs.rax, err(PVX_ENODEV));
    // FLUSH entries ignore lba, buffer and sectors.
    putList({req(PVX_BLOCK_FLUSH, ~0ull, ~0ull, ~0u), req(PVX_BLOCK_FLUSH, 0, 0, 0, 2)});
    EXPECT_EQ(once(PVX_CALL_BLOCK_RW, kList, 2).regs.rax, 2u);
    EXPECT_EQ(status(0), 0);
    EXPECT_EQ(disk.backend->flushes, 2u);
    EXPECT_EQ(roDisk.backend->flushes, 2u);
}

TEST_F(Block, EmptyListIsZeroWhateverTheAddress) {
    auto [r, o] = once(PVX_CALL_BLOCK_RW, ~0ull, 0, 0);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, 0u);
    EXPECT_EQ(r.rdx, 0u);
}

// Each bad entry, placed second: the first entry is done, the bad one gets its status, the third
// is untouched; RAX = -error, RDX = 1; disk and RAM otherwise unchanged.
TEST_F(Block, EachEntryErrorStopsAtThatEntry) {
    struct Case {
        const char* what;
        pvx_block_req bad;
        int error;
    };
    const Case cases[] = {
        {"unknown op", req(3, 0, kData, 1), PVX_EINVAL},
        {"op ~0", req(~0u, 0, kData, 1), PVX_EINVAL},
        {"absent device", req(PVX_BLOCK_READ, 0, kData, 1, 1), PVX_ENODEV},
        {"device past the table", req(PVX_BLOCK_WRITE, 0, kData, 1, 7), PVX_ENODEV},
        {"flush of an absent device", req(PVX_BLOCK_FLUSH, 0, 0, 0, 1), PVX_ENODEV},
        {"zero sectors", req(PVX_BLOCK_READ, 0, kData, 0), PVX_EINVAL},
        {"more than one budget", req(PVX_BLOCK_READ, 0, kData, 2049), PVX_E2BIG},
        {"sectors ~0", req(PVX_BLOCK_WRITE, 0, kData, ~0u), PVX_E2BIG},
        {"lba at the end", req(PVX_BLOCK_READ, kDiskSectors, kData, 1), PVX_EINVAL},
        {"range past the end", req(PVX_BLOCK_WRITE, kDiskSectors - 1, kData, 2), PVX_EINVAL},
        {"lba ~0 (wraps)", req(PVX_BLOCK_READ, ~0ull, kData, 2), PVX_EINVAL},
        {"lba 2^55 (bytes wrap)", req(PVX_BLOCK_READ, 1ull << 55, kData, 1), PVX_EINVAL},
        {"write to a read-only disk", req(PVX_BLOCK_WRITE, 0, kData, 1, 2), PVX_EPERM},
        {"buffer past RAM", req(PVX_BLOCK_READ, 0, kRamBytes, 1), PVX_EFAULT},
        {"buffer straddles RAM end", req(PVX_BLOCK_READ, 0, kRamBytes - 511, 1), PVX_EFAULT},
        {"buffer wraps", req(PVX_BLOCK_WRITE, 0, ~0ull - 100, 1), PVX_EFAULT},
        {"buffer in ROM", req(PVX_BLOCK_READ, 0, kRomBase, 1), PVX_EFAULT},
        {"buffer straddles ROM", req(PVX_BLOCK_WRITE, 0, kRomBase - 256, 1), PVX_EFAULT},
        {"buffer straddles MMIO", req(PVX_BLOCK_READ, 0, kMmioBase - 256, 1), PVX_EFAULT},
        {"buffer in the PCI hole", req(PVX_BLOCK_READ, 0, 0xFEE00000, 1), PVX_EFAULT},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        fill(kData, 512, 0x31);
        fill(kOut, 512, 0x64);
        const auto imgBefore = disk.contents();
        const auto roBefore = roDisk.contents();
        putList({req(PVX_BLOCK_WRITE, 7, kOut, 1), c.bad, req(PVX_BLOCK_WRITE, 8, kOut, 1)});
        const auto snap = snapshot();
        const uint64_t mmioBefore = mmio.accesses;

        auto [r, o] = once(PVX_CALL_BLOCK_RW, kList, 3, 0);
        EXPECT_EQ(o, EscapeOutcome::Done);
        EXPECT_EQ(r.rax, err(c.error));
        EXPECT_EQ(r.rdx, 1u);
        EXPECT_EQ(status(0), 0);
        EXPECT_EQ(status(1), -c.error);
        EXPECT_EQ(status(2), kUntouched);
        // RAM: only the two status words changed.
        EXPECT_EQ(changedSince(snap), (std::vector<uint64_t>{kList + 4, kList + 5, kList + 6, kList + 7, kList + 36,
                                                               kList + 37, kList + 38, kList + 39}));
        // Disk: only sector 7 (entry 0) changed.
        auto img = disk.contents();
        EXPECT_EQ(sectorsOf(img, 7, 1), bytes(kOut, 512));
        auto expect = imgBefore;
        std::copy(img.begin() + 7 * 512, img.begin() + 8 * 512, expect.begin() + 7 * 512);
        EXPECT_TRUE(img == expect);
        EXPECT_TRUE(roDisk.contents() == roBefore);
        EXPECT_EQ(mmio.accesses, mmioBefore);
    }
}

TEST_F(Block, CallLevelErrorsChangeNothing) {
    putList({req(PVX_BLOCK_WRITE, 0, kData, 1), req(PVX_BLOCK_WRITE, 1, kData, 1)});
    // A list whose last entries leave RAM: nothing is done, not even the entries inside RAM.
    const uint64_t tail = kRamBytes - sizeof(pvx_block_req);
    putList({req(PVX_BLOCK_WRITE, 0, kData, 1)}, tail);
    fill(kData, 512, 0x55);
    const auto imgBefore = disk.contents();
    const auto snap = snapshot();
    struct Case {
        const char* what;
        uint64_t rbx, rcx, rdx;
        int error;
    };
    const Case cases[] = {
        {"count > PVX_MAX_BATCH", kList, PVX_MAX_BATCH + 1, 0, PVX_E2BIG},
        {"count ~0", kList, ~0ull, 0, PVX_E2BIG},
        {"count 2^32 (not 0)", kList, 1ull << 32, 0, PVX_E2BIG},
        {"start > count", kList, 2, 3, PVX_EINVAL},
        {"start ~0", kList, 2, ~0ull, PVX_EINVAL},
        {"list misaligned", kList + 4, 2, 0, PVX_EINVAL},
        {"list straddles RAM end", tail, 2, 0, PVX_EFAULT},
        {"list past RAM", kRamBytes, 1, 0, PVX_EFAULT},
        {"list wraps", ~0ull - 15, 2, 0, PVX_EFAULT},
        {"list in ROM", kRomBase, 2, 0, PVX_EFAULT},
        {"list straddles ROM", kRomBase - 32, 2, 0, PVX_EFAULT},
        {"list in MMIO", kMmioBase, 1, 0, PVX_EFAULT},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        auto [r, o] = once(PVX_CALL_BLOCK_RW, c.rbx, c.rcx, c.rdx);
        EXPECT_EQ(o, EscapeOutcome::Done);
        EXPECT_EQ(r.rax, err(c.error));
        EXPECT_EQ(r.rdx, c.rdx) << "call-level errors leave RDX alone";
    }
    EXPECT_TRUE(changedSince(snap).empty());
    EXPECT_TRUE(disk.contents() == imgBefore);
    EXPECT_EQ(mmio.accesses, 0u);
    EXPECT_EQ(disk.backend->sectorsWritten, 0u);
    EXPECT_EQ(dispatcher.block().errors, std::size(cases));
}

TEST_F(Block, StartIndexSkipsEarlierEntries) {
    fill(kData, 512, 0x21);
    putList({req(PVX_BLOCK_WRITE, 30, kData, 1), req(PVX_BLOCK_WRITE, 31, kData, 1)});
    const auto before = disk.contents();
    auto [r, o] = once(PVX_CALL_BLOCK_RW, kList, 2, 1);
    EXPECT_EQ(r.rax, 2u);
    EXPECT_EQ(r.rdx, 2u);
    EXPECT_EQ(status(0), kUntouched);
    EXPECT_EQ(status(1), 0);
    auto img = disk.contents();
    EXPECT_EQ(sectorsOf(img, 30, 1), sectorsOf(before, 30, 1));
    EXPECT_EQ(sectorsOf(img, 31, 1), bytes(kData, 512));
    // Start == count: nothing to do, the count comes back.
    EXPECT_EQ(once(PVX_CALL_BLOCK_RW, kList, 2, 2).regs.rax, 2u);
}

TEST_F(Block, HostReadErrorIsEioAndLeavesTheBufferAlone) {
    // The image shrinks under the backend (which cached its size): the host read fails.
    ASSERT_EQ(truncate(disk.path.c_str(), 512 * 100), 0);
    fill(kData, 512, 0x13);
    putList({req(PVX_BLOCK_READ, 50, kOut, 1), req(PVX_BLOCK_READ, 200, kData, 1)});
    const auto snap = snapshot();
    auto [r, o] = once(PVX_CALL_BLOCK_RW, kList, 2);
    EXPECT_EQ(r.rax, err(PVX_EIO));
    EXPECT_EQ(r.rdx, 1u);
    EXPECT_EQ(status(1), -PVX_EIO);
    for (uint64_t off : changedSince(snap))
        ASSERT_TRUE((off >= kOut && off < kOut + 512) || (off >= kList + 4 && off < kList + 8) ||
                    (off >= kList + 36 && off < kList + 40))
            << std::hex << off;
    EXPECT_EQ(dispatcher.block().ioErrors, 1u);
}

TEST_F(Block, OneEscapeDoesAtMost256Entries) {
    std::vector<pvx_block_req> l;
    for (uint32_t i = 0; i < 600; ++i) l.push_back(req(PVX_BLOCK_WRITE, i, kData + i, 1));
    fill(kData, 600 + 512, 0x70);
    putList(l);
    auto [r1, o1] = once(PVX_CALL_BLOCK_RW, kList, 600, 0);
    EXPECT_EQ(o1, EscapeOutcome::Continue);
    EXPECT_EQ(r1.rax, PVX_CALL_BLOCK_RW);
    EXPECT_EQ(r1.rdx, 256u);
    EXPECT_EQ(status(255), 0);
    EXPECT_EQ(status(256), kUntouched);
    auto [r2, o2] = once(r1);
    EXPECT_EQ(o2, EscapeOutcome::Continue);
    EXPECT_EQ(r2.rdx, 512u);
    auto [r3, o3] = once(r2);
    EXPECT_EQ(o3, EscapeOutcome::Done);
    EXPECT_EQ(r3.rax, 600u);
    EXPECT_EQ(r3.rdx, 600u);
    auto img = disk.contents();
    for (uint32_t i = 0; i < 600; ++i) ASSERT_EQ(sectorsOf(img, i, 1), bytes(kData + i, 512)) << i;
    EXPECT_EQ(dispatcher.block().continuations, 2u);
}

TEST_F(Block, OneEscapeMovesAtMostOneMiB) {
    // 1024-sector entries: two per escape. 1500-sector entries: one per escape (a second would
    // pass 1 MiB, so it waits for the re-execution). A 2048-sector entry fills an escape alone.
    putList({req(PVX_BLOCK_READ, 0, kData, 1024), req(PVX_BLOCK_READ, 1024, kData + (1 << 19), 1024),
             req(PVX_BLOCK_READ, 2048, kData + (1 << 20), 1500), req(PVX_BLOCK_READ, 0, kOut, 1500),
             req(PVX_BLOCK_READ, 0, kOut, 2048), req(PVX_BLOCK_FLUSH, 0, 0, 0)});
    std::vector<uint64_t> rdx;
    EscapeRegs r = regs(PVX_CALL_BLOCK_RW, kList, 6, 0);
    for (;;) {
        auto [out, o] = once(r);
        rdx.push_back(out.rdx);
        r = out;
        if (o == EscapeOutcome::Done) break;
        ASSERT_LT(rdx.size(), 10u);
    }
    // The flush waits for a fifth escape: the fourth used its whole 1 MiB.
    EXPECT_EQ(rdx, (std::vector<uint64_t>{2, 3, 4, 5, 6}));
    EXPECT_EQ(r.rax, 6u);
    auto img = disk.contents();
    EXPECT_EQ(bytes(kOut, 1 << 20), sectorsOf(img, 0, 2048));
    EXPECT_EQ(bytes(kData + (1 << 20), 1500 * 512), sectorsOf(img, 2048, 1500));
}

TEST_F(Block, FailureAfterAContinuationReportsItsIndex) {
    std::vector<pvx_block_req> l;
    for (uint32_t i = 0; i < 300; ++i) l.push_back(req(PVX_BLOCK_WRITE, i, kData, 1));
    l[280].lba = kDiskSectors;  // past the end
    fill(kData, 512, 0x19);
    putList(l);
    unsigned escapes = 0;
    auto [r, o] = run(PVX_CALL_BLOCK_RW, kList, 300, 0, 0, &escapes);
    EXPECT_EQ(escapes, 2u);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, err(PVX_EINVAL));
    EXPECT_EQ(r.rdx, 280u);
    for (uint64_t i = 0; i < 280; ++i) ASSERT_EQ(status(i), 0) << i;
    EXPECT_EQ(status(280), -PVX_EINVAL);
    EXPECT_EQ(status(281), kUntouched);
    EXPECT_EQ(disk.backend->sectorsWritten, 280u);
}

// The same list run with continuations and as separate one-entry calls ends in the same RAM and
// disk: continuation is invisible to the guest.
TEST_F(Block, ContinuationMatchesEntryByEntryExecution) {
    std::vector<pvx_block_req> l;
    for (uint32_t i = 0; i < 700; ++i) {
        const uint32_t op = (i % 3 == 2) ? PVX_BLOCK_READ : PVX_BLOCK_WRITE;
        l.push_back(req(op, (i * 37) % 3000, kData + (i * 1531) % (1 << 20), 1 + i % 5));
    }
    fill(kData, 2 << 20, 0x3C);
    putList(l);

    auto [r, o] = run(PVX_CALL_BLOCK_RW, kList, l.size(), 0);
    ASSERT_EQ(r.rax, l.size());
    const auto ramBig = snapshot();
    const auto diskBig = disk.contents();

    // Second machine state: restore, then one call per entry.
    TempDisk disk2(kDiskSectors);
    platform.disks[0] = disk2.backend.get();
    fill(kData, 2 << 20, 0x3C);
    putList(l);
    for (uint64_t i = 0; i < l.size(); ++i) {
        auto [ri, oi] = once(PVX_CALL_BLOCK_RW, kList, i + 1, i);
        ASSERT_EQ(oi, EscapeOutcome::Done);
        ASSERT_EQ(ri.rax, i + 1);
    }
    EXPECT_TRUE(snapshot() == ramBig);
    EXPECT_TRUE(disk2.contents() == diskBig);
}

// A READ whose data lands on the request list: later entries are taken as they are when their
// turn comes (here the disk supplies entry 1), and a status lands after the data.
TEST_F(Block, ReadOverwritingTheListItself) {
    // Sector 40 of the disk holds [garbage entry-0 image][a real entry 1: write sector 41 from kOut].
    std::vector<uint8_t> sector(512, 0xCC);
    pvx_block_req e1 = req(PVX_BLOCK_WRITE, 41, kOut, 1);
    std::memcpy(sector.data() + 32, &e1, sizeof e1);
    poke(kData, sector.data(), 512);
    putList({req(PVX_BLOCK_WRITE, 40, kData, 1)}, kList);
    ASSERT_EQ(once(PVX_CALL_BLOCK_RW, kList, 1).regs.rax, 1u);

    fill(kOut, 512, 0x5E);
    putList({req(PVX_BLOCK_READ, 40, kList, 1), req(PVX_BLOCK_READ, 0, 0, 0 /* invalid as written */)});
    auto [r, o] = once(PVX_CALL_BLOCK_RW, kList, 2);
    EXPECT_EQ(r.rax, 2u);
    EXPECT_EQ(status(0), 0) << "entry 0's status written after its data";
    EXPECT_EQ(status(1), 0) << "entry 1 as the disk supplied it";
    EXPECT_EQ(get<uint32_t>(kList), 0xCCCCCCCCu) << "the rest of entry 0 holds the data";
    EXPECT_EQ(sectorsOf(disk.contents(), 41, 1), bytes(kOut, 512));
}

TEST_F(Block, ReadOnlyDiskRejectsWritesButServesReads) {
    fill(kData, 512, 1);
    putList({req(PVX_BLOCK_READ, 3, kOut, 1, 2), req(PVX_BLOCK_WRITE, 3, kData, 1, 2)});
    const auto before = roDisk.contents();
    auto [r, o] = once(PVX_CALL_BLOCK_RW, kList, 2);
    EXPECT_EQ(r.rax, err(PVX_EPERM));
    EXPECT_EQ(r.rdx, 1u);
    EXPECT_EQ(bytes(kOut, 512), sectorsOf(before, 3, 1));
    EXPECT_TRUE(roDisk.contents() == before);
}

}  // namespace
}  // namespace pvx::pv::test
