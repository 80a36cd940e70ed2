// MMU_UPDATE / MMU_FLUSH / MMU_ZERO / MMU_COPY.
#include "pv_fixture.h"

namespace pvx::pv::test {
namespace {

constexpr uint64_t kPt = 0x200000;  // a "page table" page
constexpr uint64_t kNo = ~0ull;

class Mmu : public PvTest {
protected:
    void putUpdates(const std::vector<pvx_mmu_update>& l) {
        poke(kList, l.data(), l.size() * sizeof(pvx_mmu_update));
    }
};

TEST_F(Mmu, UpdateStoresEachEntryThenInvalidates) {
    putUpdates({{kPt + 0, 0x1003, 0x400000}, {kPt + 8, 0x2003, kNo}, {kPt + 0xFF8, 0x8000000000003003ull, 0xFFFF800000001000ull}});
    auto [r, o] = once(PVX_CALL_MMU_UPDATE, kList, 3, 0, 0x5555);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, 3u);
    EXPECT_EQ(r.rdx, 3u);
    EXPECT_EQ(r.rsi, 0x5555u);
    EXPECT_EQ(get<uint64_t>(kPt), 0x1003u);
    EXPECT_EQ(get<uint64_t>(kPt + 8), 0x2003u);
    EXPECT_EQ(get<uint64_t>(kPt + 0xFF8), 0x8000000000003003ull);
    EXPECT_EQ(get<uint64_t>(kPt + 16), 0u);
    EXPECT_EQ(platform.invalidated, (std::vector<uint64_t>{0x400000, 0xFFFF800000001000ull}));
    EXPECT_EQ(platform.tlbFlushes, 0u);
    EXPECT_EQ(dispatcher.mmu().pteUpdates, 3u);
    EXPECT_EQ(dispatcher.mmu().pageInvalidations, 2u);
}

TEST_F(Mmu, UpdateOfACodePageInvalidatesItsDecodes) {
    mem.markCode(kPt);
    putUpdates({{kPt + 8, 1, kNo}});
    EXPECT_EQ(once(PVX_CALL_MMU_UPDATE, kList, 1).regs.rax, 1u);
    EXPECT_FALSE(mem.isCode(kPt));
}

TEST_F(Mmu, UpdateEntryErrorsStopAtTheEntry) {
    struct Case {
        const char* what;
        uint64_t pte;
        int error;
    };
    const Case cases[] = {
        {"misaligned pte", kPt + 4, PVX_EINVAL},
        {"pte at ~0 (misaligned)", ~0ull, PVX_EINVAL},
        {"pte past RAM", kRamBytes, PVX_EFAULT},
        {"pte wraps", ~7ull, PVX_EFAULT},
        {"pte in ROM", kRomBase + 0x100, PVX_EFAULT},
        {"pte in MMIO", kMmioBase + 8, PVX_EFAULT},
        {"pte in the PCI hole", 0xFEC00000, PVX_EFAULT},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        platform.invalidated.clear();
        put<uint64_t>(kPt, 0);
        putUpdates({{kPt, 0x1111, 0xA000}, {c.pte, 0x2222, 0xB000}, {kPt + 8, 0x3333, 0xC000}});
        auto snap = snapshot();
        auto [r, o] = once(PVX_CALL_MMU_UPDATE, kList, 3);
        EXPECT_EQ(r.rax, err(c.error));
        EXPECT_EQ(r.rdx, 1u);
        EXPECT_EQ(changedSince(snap), (std::vector<uint64_t>{kPt, kPt + 1}));  // 0 -> 0x1111: two bytes
        EXPECT_EQ(platform.invalidated, (std::vector<uint64_t>{0xA000}));
    }
    EXPECT_EQ(mmio.accesses, 0u);
}

TEST_F(Mmu, UpdateCallLevelErrorsChangeNothing) {
    putUpdates({{kPt, 1, 0x1000}});
    const uint64_t tail = kRamBytes - 24;
    ASSERT_TRUE(mem.writeRam(tail, std::vector<uint8_t>(24, 0).data(), 24));
    auto snap = snapshot();
    EXPECT_EQ(once(PVX_CALL_MMU_UPDATE, kList, PVX_MAX_BATCH + 1).regs.rax, err(PVX_E2BIG));
    EXPECT_EQ(once(PVX_CALL_MMU_UPDATE, kList, 1, 2).regs.rax, err(PVX_EINVAL));
    EXPECT_EQ(once(PVX_CALL_MMU_UPDATE, kList + 4, 1).regs.rax, err(PVX_EINVAL));
    EXPECT_EQ(once(PVX_CALL_MMU_UPDATE, tail, 2).regs.rax, err(PVX_EFAULT));
    EXPECT_EQ(once(PVX_CALL_MMU_UPDATE, ~0ull & ~7ull, 1).regs.rax, err(PVX_EFAULT));
    EXPECT_EQ(once(PVX_CALL_MMU_UPDATE, kRomBase, 1).regs.rax, err(PVX_EFAULT));
    EXPECT_TRUE(changedSince(snap).empty());
    EXPECT_TRUE(platform.invalidated.empty());
}

TEST_F(Mmu, UpdateContinuesEvery256Entries) {
    std::vector<pvx_mmu_update> l;
    for (uint64_t i = 0; i < 1024; ++i) l.push_back({kPt + i * 8, i * 0x1000 + 3, i * 0x1000});
    putUpdates(l);
    std::vector<uint64_t> rdx;
    EscapeRegs r = regs(PVX_CALL_MMU_UPDATE, kList, 1024);
    for (;;) {
        auto [out, o] = once(r);
        rdx.push_back(out.rdx);
        r = out;
        if (o == EscapeOutcome::Done) break;
        EXPECT_EQ(out.rax, PVX_CALL_MMU_UPDATE);
        ASSERT_LT(rdx.size(), 8u);
    }
    EXPECT_EQ(rdx, (std::vector<uint64_t>{256, 512, 768, 1024}));
    EXPECT_EQ(r.rax, 1024u);
    for (uint64_t i = 0; i < 1024; ++i) ASSERT_EQ(get<uint64_t>(kPt + i * 8), i * 0x1000 + 3);
    ASSERT_EQ(platform.invalidated.size(), 1024u);
    for (uint64_t i = 0; i < 1024; ++i) ASSERT_EQ(platform.invalidated[i], i * 0x1000);
}

TEST_F(Mmu, FlushListInvalidatesEachAddress) {
    const uint64_t vas[] = {0x1000, 0xFFFFFFFF80000000ull, 0x7FFFFFFFF000ull};
    poke(kList, vas, sizeof vas);
    auto [r, o] = once(PVX_CALL_MMU_FLUSH, kList, 3);
    EXPECT_EQ(r.rax, 3u);
    EXPECT_EQ(r.rdx, 3u);
    EXPECT_EQ(platform.invalidated, std::vector<uint64_t>(std::begin(vas), std::end(vas)));
    EXPECT_EQ(platform.tlbFlushes, 0u);
}

TEST_F(Mmu, FlushWithCountZeroFlushesTheTlb) {
    auto [r, o] = once(PVX_CALL_MMU_FLUSH, ~0ull, 0, 5);  // RBX and RDX are ignored
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, 0u);
    EXPECT_EQ(r.rdx, 0u);
    EXPECT_EQ(platform.tlbFlushes, 1u);
    EXPECT_TRUE(platform.invalidated.empty());
}

TEST_F(Mmu, FlushErrorsInvalidateNothing) {
    EXPECT_EQ(once(PVX_CALL_MMU_FLUSH, kList, PVX_MAX_BATCH + 1).regs.rax, err(PVX_E2BIG));
    EXPECT_EQ(once(PVX_CALL_MMU_FLUSH, kList + 1, 2).regs.rax, err(PVX_EINVAL));
    EXPECT_EQ(once(PVX_CALL_MMU_FLUSH, kList, 2, 5).regs.rax, err(PVX_EINVAL));
    EXPECT_EQ(once(PVX_CALL_MMU_FLUSH, kRamBytes - 8, 2).regs.rax, err(PVX_EFAULT));
    EXPECT_EQ(once(PVX_CALL_MMU_FLUSH, kMmioBase, 1).regs.rax, err(PVX_EFAULT));
    EXPECT_TRUE(platform.invalidated.empty());
    EXPECT_EQ(platform.tlbFlushes, 0u);
}

TEST_F(Mmu, FlushContinuesAcrossEscapes) {
    std::vector<uint64_t> vas(600);
    for (uint64_t i = 0; i < vas.size(); ++i) vas[i] = i << 12;
    poke(kList, vas.data(), vas.size() * 8);
    unsigned escapes = 0;
    auto [r, o] = run(PVX_CALL_MMU_FLUSH, kList, 600, 0, 0, &escapes);
    EXPECT_EQ(escapes, 3u);
    EXPECT_EQ(r.rax, 600u);
    EXPECT_EQ(platform.invalidated, vas);
}

// ---- ZERO ----

TEST_F(Mmu, ZeroClearsExactlyTheGivenPages) {
    fill(kOut - 0x1000, 0x5000, 0x77);
    auto snap = snapshot();
    auto [r, o] = once(PVX_CALL_MMU_ZERO, kOut, 3);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, 3u);
    EXPECT_EQ(r.rdx, 3u);
    auto changed = changedSince(snap);
    ASSERT_FALSE(changed.empty());
    EXPECT_GE(changed.front(), kOut);
    EXPECT_LT(changed.back(), kOut + 0x3000);
    EXPECT_EQ(bytes(kOut, 0x3000), std::vector<uint8_t>(0x3000, 0));
    EXPECT_EQ(dispatcher.mmu().pagesZeroed, 3u);
}

TEST_F(Mmu, ZeroOfACodePageInvalidatesItsDecodes) {
    mem.markCode(kData + 0x1000);
    once(PVX_CALL_MMU_ZERO, kData, 2);
    EXPECT_FALSE(mem.isCode(kData + 0x1000));
}

TEST_F(Mmu, ZeroErrorsZeroNothing) {
    fill(0, 0x1000, 1);
    fill(kRamBytes - 0x2000, 0x2000, 2);
    fill(kRomBase - 0x1000, 0x1000, 3);
    auto snap = snapshot();
    struct Case {
        uint64_t rbx, rcx, rdx;
        int error;
    };
    const Case cases[] = {
        {kData, PVX_MAX_BATCH + 1, 0, PVX_E2BIG},
        {kData, ~0ull, 0, PVX_E2BIG},
        {kData, 2, 3, PVX_EINVAL},
        {kData + 8, 1, 0, PVX_EINVAL},
        {kData + 0x800, 1, 0, PVX_EINVAL},
        {kRamBytes - 0x2000, 3, 0, PVX_EFAULT},  // straddles the end of RAM
        {kRamBytes, 1, 0, PVX_EFAULT},
        {~0ull & ~0xFFFull, 2, 0, PVX_EFAULT},  // wraps
        {kRomBase - 0x1000, 2, 0, PVX_EFAULT},  // runs into the ROM overlay
        {kMmioBase - 0x1000, 2, 0, PVX_EFAULT},
        {0xBFFFF000, 1, 0, PVX_EFAULT},
    };
    for (const Case& c : cases) {
        auto [r, o] = once(PVX_CALL_MMU_ZERO, c.rbx, c.rcx, c.rdx);
        EXPECT_EQ(o, EscapeOutcome::Done);
        EXPECT_EQ(r.rax, err(c.error)) << std::hex << c.rbx;
        EXPECT_EQ(r.rdx, c.rdx);
    }
    EXPECT_TRUE(changedSince(snap).empty());
    EXPECT_EQ(mmio.accesses, 0u);
    // Zero pages: zero, whatever the address.
    EXPECT_EQ(once(PVX_CALL_MMU_ZERO, ~0ull, 0).regs.rax, 0u);
}

TEST_F(Mmu, ZeroContinuesEvery256Pages) {
    fill(kData, 600 * 4096, 0x44);
    std::vector<uint64_t> rdx;
    EscapeRegs r = regs(PVX_CALL_MMU_ZERO, kData, 600);
    for (;;) {
        auto [out, o] = once(r);
        rdx.push_back(out.rdx);
        r = out;
        if (o == EscapeOutcome::Done) break;
        EXPECT_EQ(out.rax, PVX_CALL_MMU_ZERO);
        // Pages before RDX are zero, the rest not yet touched.
        EXPECT_EQ(get<uint8_t>(kData + out.rdx * 4096 - 1), 0);
        EXPECT_NE(bytes(kData + out.rdx * 4096, 4096), std::vector<uint8_t>(4096, 0));
        ASSERT_LT(rdx.size(), 8u);
    }
    EXPECT_EQ(rdx, (std::vector<uint64_t>{256, 512, 600}));
    EXPECT_EQ(r.rax, 600u);
    EXPECT_EQ(bytes(kData, 600 * 4096), std::vector<uint8_t>(600 * 4096, 0));
}

// ---- COPY ----

TEST_F(Mmu, CopyCopiesPagesByteForByte) {
    fill(kData, 0x2000, 0x10);
    fill(kOut - 0x1000, 0x4000, 0x90);
    auto before = bytes(kOut - 0x1000, 0x4000);
    auto [r, o] = once(PVX_CALL_MMU_COPY, kOut, 2, 0, kData);
    EXPECT_EQ(o, EscapeOutcome::Done);
    EXPECT_EQ(r.rax, 2u);
    EXPECT_EQ(r.rsi, kData);
    EXPECT_EQ(bytes(kOut, 0x2000), bytes(kData, 0x2000));
    EXPECT_EQ(bytes(kOut - 0x1000, 0x1000), std::vector<uint8_t>(before.begin(), before.begin() + 0x1000));
    EXPECT_EQ(bytes(kOut + 0x2000, 0x1000), std::vector<uint8_t>(before.begin() + 0x3000, before.end()));
    EXPECT_EQ(dispatcher.mmu().pagesCopied, 2u);
}

TEST_F(Mmu, CopyErrorsCopyNothing) {
    fill(kData, 0x10000, 0x21);
    fill(kRamBytes - 0x1000, 0x1000, 0x22);
    auto snap = snapshot();
    struct Case {
        const char* what;
        uint64_t dst, src, pages, start;
        int error;
    };
    const Case cases[] = {
        {"too many pages", kOut, kData, PVX_MAX_BATCH + 1, 0, PVX_E2BIG},
        {"start > count", kOut, kData, 1, 2, PVX_EINVAL},
        {"dst misaligned", kOut + 16, kData, 1, 0, PVX_EINVAL},
        {"src misaligned", kOut, kData + 0x100, 1, 0, PVX_EINVAL},
        {"same range", kData, kData, 1, 0, PVX_EINVAL},
        {"dst overlaps src tail", kData + 0x1000, kData, 2, 0, PVX_EINVAL},
        {"src overlaps dst tail", kData, kData + 0x3000, 4, 0, PVX_EINVAL},
        {"src straddles RAM end", kOut, kRamBytes - 0x1000, 2, 0, PVX_EFAULT},
        {"dst straddles RAM end", kRamBytes - 0x1000, kData, 2, 0, PVX_EFAULT},
        {"src wraps", kOut, ~0xFFFull, 2, 0, PVX_EFAULT},
        {"dst in ROM", kRomBase, kData, 1, 0, PVX_EFAULT},
        {"src from ROM", kOut, kRomBase, 1, 0, PVX_EFAULT},
        {"src from MMIO", kOut, kMmioBase, 1, 0, PVX_EFAULT},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        auto [r, o] = once(PVX_CALL_MMU_COPY, c.dst, c.pages, c.start, c.src);
        EXPECT_EQ(o, EscapeOutcome::Done);
        EXPECT_EQ(r.rax, err(c.error));
        EXPECT_EQ(r.rdx, c.start);
    }
    EXPECT_TRUE(changedSince(snap).empty());
    EXPECT_EQ(mmio.accesses, 0u);
}

TEST_F(Mmu, AdjacentCopyRangesAreFine) {
    fill(kData, 0x4000, 0x31);
    auto src = bytes(kData, 0x2000);
    EXPECT_EQ(once(PVX_CALL_MMU_COPY, kData + 0x2000, 2, 0, kData).regs.rax, 2u);
    EXPECT_EQ(bytes(kData + 0x2000, 0x2000), src);
}

TEST_F(Mmu, CopyContinuesAndMatchesOneShot) {
    fill(kData, 300 * 4096, 0x66);
    unsigned escapes = 0;
    auto [r, o] = run(PVX_CALL_MMU_COPY, kOut, 300, 0, kData, &escapes);
    EXPECT_EQ(escapes, 2u);
    EXPECT_EQ(r.rax, 300u);
    EXPECT_EQ(r.rdx, 300u);
    EXPECT_EQ(bytes(kOut, 300 * 4096), bytes(kData, 300 * 4096));
    EXPECT_EQ(dispatcher.mmu().continuations, 1u);
}

}  // namespace
}  // namespace pvx::pv::test
