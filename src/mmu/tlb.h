// The software TLB: linear page -> host pointer, one direct-mapped array per access kind (read,
// write, execute) so a hit on the common load/store path is an index, one compare and a host
// memory access (the TinyEMU/QEMU "addend" idiom, ANCHORS.md 1.5).
//
// A tag is the linear page address with bit 0 = "user-mode access" (CPL 3). Rights are cached for
// that privilege, so user and supervisor never share an entry. Tag bit 2 ("slow") marks entries
// whose translation is cached but whose accesses must take the slow path: MMIO, ROM writes, and
// writes to pages holding decoded code. Such tags never equal a lookup key, so the fast path
// stays one compare.
#pragma once
#include <cstdint>
#include <cstring>

namespace pvx::mmu {

struct TlbEntry {
    uint64_t tag;
    uint8_t* host;   // host address of the 4 KiB page (may be null for slow entries)
    uint64_t ppage;  // guest-physical address of the 4 KiB page
    uint32_t flags;      // kGlobal
    uint32_t pageShift;  // log2 of the translation's page size (12, 21, 22 or 30)
};

class Tlb {
public:
    static constexpr unsigned kBits = 10;
    static constexpr unsigned kEntries = 1u << kBits;
    static constexpr uint64_t kUserBit = 1, kSlowBit = 4, kInvalid = 2;
    static constexpr uint32_t kGlobal = 1;

    enum Kind { Read = 0, Write = 1, Exec = 2 };

    Tlb() { flushAll(); }

    static unsigned index(uint64_t linear) { return (linear >> 12) & (kEntries - 1); }
    static uint64_t key(uint64_t linear, bool user) { return (linear & ~0xFFFull) | (user ? kUserBit : 0); }

    TlbEntry& entry(Kind k, uint64_t linear) { return e_[k][index(linear)]; }

    void flushAll() {
        for (auto& arr : e_)
            for (auto& e : arr) e.tag = kInvalid;
        clearLarge();
        ++flushes;
    }
    // MOV CR3 without PCID: global entries survive (SDM Vol.3A 4.10.4.1).
    void flushNonGlobal() {
        for (auto& arr : e_)
            for (auto& e : arr)
                if (!(e.flags & kGlobal)) e.tag = kInvalid;
        ++flushes;
    }
    // INVLPG: every entry for that linear page, any privilege. Entries filled from a large page
    // are cached per 4 KiB piece, so INVLPG of any address in a large page must drop all of its
    // pieces (SDM Vol.3A 4.10.4.1): scan for them only while some exist.
    void flushPage(uint64_t linear) {
        const uint64_t page = linear & ~0xFFFull;
        for (auto& arr : e_) {
            TlbEntry& e = arr[index(linear)];
            if ((e.tag & ~0xFFFull) == page) e.tag = kInvalid;
        }
        if (largePages && coveredByLarge(linear)) {
            for (auto& arr : e_)
                for (auto& e : arr)
                    if (e.tag != kInvalid && e.pageShift > 12 && ((e.tag ^ linear) >> e.pageShift) == 0) e.tag = kInvalid;
        }
        ++pageFlushes;
    }

    // Records that entries from the large page (base, shift) are cached. A short list keeps
    // INVLPG of addresses outside every cached large page O(1); past its capacity every INVLPG
    // with large pages cached scans.
    void noteLarge(uint64_t linear, uint32_t shift) {
        largePages = true;
        const uint64_t base = linear >> shift;
        for (unsigned k = 0; k < largeCount_; ++k)
            if (large_[k].base == base && large_[k].shift == shift) return;
        if (largeCount_ < kLargeSlots) large_[largeCount_++] = {base, shift};
        else largeOverflow_ = true;
    }
    // Drops write entries pointing at guest-physical page `ppage` (it just became a code page).
    void dropWritesTo(uint64_t ppage) {
        for (auto& e : e_[Write])
            if (e.tag != kInvalid && e.ppage == ppage) e.tag = kInvalid;
    }

    uint64_t hits = 0;  // fast-path hits (one add on the hot path; measured: within run-to-run noise)
    uint64_t misses = 0;
    uint64_t flushes = 0;
    uint64_t pageFlushes = 0;
    bool largePages = false;  // some entry was filled from a 2M/4M/1G page since the last full flush

private:
    static constexpr unsigned kLargeSlots = 32;
    struct LargePage {
        uint64_t base;  // linear >> shift
        uint32_t shift;
    };
    bool coveredByLarge(uint64_t linear) const {
        if (largeOverflow_) return true;
        for (unsigned k = 0; k < largeCount_; ++k)
            if ((linear >> large_[k].shift) == large_[k].base) return true;
        return false;
    }
    void clearLarge() {
        largePages = false;
        largeCount_ = 0;
        largeOverflow_ = false;
    }
    TlbEntry e_[3][kEntries];
    LargePage large_[kLargeSlots];
    unsigned largeCount_ = 0;
    bool largeOverflow_ = false;
};

}  // namespace pvx::mmu
