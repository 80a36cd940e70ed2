// The page-table walk of SDM Vol.3A chapter 4 (AMD APM Vol.2 5): 32-bit paging (with PSE 4 MiB
// pages and PSE-36), PAE (2 MiB pages), and 4-level long-mode paging (2 MiB and 1 GiB pages),
// with NX, CR0.WP, user/supervisor, reserved-bit checks and accessed/dirty updates exactly when
// the hardware makes them. A pure function of the paging registers and physical memory, so it is
// unit-tested without a CPU.
#pragma once
#include <cstdint>

#include "mmu/phys_memory.h"

namespace pvx::mmu {

// Architectural constants pvx's CPU model advertises (CPUID 0x80000008).
constexpr unsigned kMaxPhysAddrBits = 40;
constexpr uint64_t kPhysAddrMask = (1ull << kMaxPhysAddrBits) - 1;

enum class Access : uint8_t { Read = 0, Write = 1, Execute = 2 };

struct PagingRegs {
    uint64_t cr0 = 0, cr3 = 0, cr4 = 0, efer = 0;
    uint64_t pat = 0x0007040600070406ull;  // IA32_PAT (its power-up value)
    bool pagingEnabled() const { return cr0 & (1ull << 31); }
};

// Memory types (SDM Vol.3A 11.3, Table 11-10 PAT encodings). pvx has no caches, so a type
// changes no result; it is decoded so traces and statistics can show what the guest asked for.
enum class MemType : uint8_t { UC = 0, WC = 1, WT = 4, WP = 5, WB = 6, UCMinus = 7 };
const char* memTypeName(MemType t);
// The PAT entry a leaf entry selects: PAT (bit 7 of a 4 KiB PTE, bit 12 of a large-page entry),
// PCD (bit 4) and PWT (bit 3) form the index (SDM Vol.3A 11.12.3, Table 11-11).
MemType patMemType(uint64_t pat, uint64_t leaf, bool largePage);

// #PF error code bits (SDM Vol.3A 4.7).
constexpr uint32_t kPfP = 1, kPfW = 2, kPfU = 4, kPfRsvd = 8, kPfId = 16;

struct WalkResult {
    bool fault = false;
    uint32_t errorCode = 0;
    uint64_t paddr = 0;      // physical address of the accessed byte
    uint64_t pageSize = 4096;
    // Rights of the requesting privilege level for this page (what a TLB entry may cache).
    bool canWrite = false;
    bool canExec = false;
    bool global = false;
    bool dirty = false;      // the leaf's D bit after this walk
    MemType memType = MemType::WB;  // PAT type of the page (UC whenever CR0.CD is set)
};

class PageWalker {
public:
    explicit PageWalker(PhysicalMemory& mem) : mem_(mem) {}

    // `user`: the access is a user-mode access (CPL 3, and not an implicit supervisor access such
    // as a descriptor-table read). Sets A on every entry used and D on the leaf for writes, but
    // only when the walk succeeds (SDM Vol.3A 4.8: no A/D update for a faulting access).
    WalkResult walk(const PagingRegs& regs, uint64_t linear, Access access, bool user);

    uint64_t walks = 0;
    uint64_t faults = 0;

private:
    uint64_t readEntry(uint64_t paddr, bool wide);
    void setBits(uint64_t paddr, uint64_t bits, bool wide);
    PhysicalMemory& mem_;
};

}  // namespace pvx::mmu
