// The guest-physical address space: RAM, ROM overlays and MMIO regions.
//
// Layout (as on an i440FX PC): RAM from 0 up to min(size, 3 GiB); the rest of RAM above 4 GiB.
// ROM and MMIO regions overlay RAM where they overlap (the BIOS at the top of 4 GiB and in the
// legacy 0xE0000-0xFFFFF window, VGA at 0xA0000). Reads of unmapped space return all-ones and
// writes are dropped and counted, as on a PC bus with no device answering.
//
// This is also where code-page tracking lives (ARCHITECTURE.md, "invalidated on writes to code
// pages"): the CPU marks a RAM page as holding decoded code; any write that lands on such a page
// -- from the CPU slow path, a device DMA or a PV service -- bumps that page's generation, which
// invalidates the decodes, and tells the listener.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "mmu/mmio.h"

namespace pvx {

// Told about events that affect cached translations (implemented by the CPU).
class MemoryListener {
public:
    virtual ~MemoryListener() = default;
    // A page that held decoded code was written: its decodes are stale.
    virtual void codePageWritten(uint64_t pageNumber) = 0;
    // A RAM page has just been marked as holding code: fast write paths to it must stop.
    virtual void codePageMarked(uint64_t pageNumber) = 0;
    // The map changed (A20 toggled, a region added): drop every cached translation.
    virtual void memoryMapChanged() = 0;
};

class PhysicalMemory {
public:
    static constexpr uint64_t kPageSize = 4096;
    static constexpr uint64_t kLowRamLimit = 0xC0000000ull;  // start of the PCI hole
    static constexpr uint64_t kHighRamBase = 0x100000000ull;
    static constexpr uint64_t kMaxRamBytes = 64ull << 30;

    explicit PhysicalMemory(uint64_t ramBytes);
    ~PhysicalMemory();
    PhysicalMemory(const PhysicalMemory&) = delete;
    PhysicalMemory& operator=(const PhysicalMemory&) = delete;

    uint64_t ramSize() const { return ramSize_; }
    uint64_t lowRamEnd() const { return lowEnd_; }
    uint64_t highRamEnd() const { return kHighRamBase + (ramSize_ - lowEnd_); }
    uint8_t* ramBase() { return ram_; }

    void addRom(uint64_t base, const std::vector<uint8_t>& image, const std::string& name);
    void addMmio(uint64_t base, uint64_t size, MmioDevice* dev, const std::string& name);
    // Unmaps every region of `dev` (a register page that moves: the local APIC's).
    void removeMmio(MmioDevice* dev);
    void setListener(MemoryListener* l) { listener_ = l; }

    // The legacy shadow window 0xC0000-0xFFFFF (i440FX PAM registers, 82441FX datasheet 3.2.19):
    // per 16 KiB block, CPU reads come from RAM or from the bus side (a ROM region there, else
    // nothing: all-ones), and CPU writes go to RAM or to the bus side (dropped). Until a chipset
    // calls setShadow, the window is like the rest of memory: regions overlay RAM. Device DMA
    // and PV services see RAM only where no ROM region overlays it (isRamRange), as before.
    static constexpr uint64_t kShadowBase = 0xC0000, kShadowEnd = 0x100000, kShadowBlock = 0x4000;
    void setShadow(uint64_t paddr, bool readRam, bool writeRam);  // the block holding `paddr`

    // A20 gate (i8042 output port, port 0x92). Disabled: address bit 20 is forced to 0.
    void setA20(bool enabled);
    bool a20() const { return a20Mask_ != ~(1ull << 20); }
    uint64_t a20Mask() const { return a20Mask_; }

    // What a TLB fill needs to know about the page at `paddr`.
    struct PageInfo {
        uint8_t* host = nullptr;  // host address of the page, or null (MMIO / unmapped)
        bool writable = false;    // RAM (ROM pages are read-only)
        bool code = false;        // holds decoded instructions: stores must take the slow path
    };
    PageInfo pageInfo(uint64_t paddr) const;

    // Slow-path accesses of 1, 2, 4 or 8 bytes that do not cross a page. Handles RAM, ROM, MMIO,
    // unmapped, and code-page invalidation.
    uint64_t read(uint64_t paddr, unsigned size);
    void write(uint64_t paddr, unsigned size, uint64_t value);

    // DMA-style block access for devices and PV services: RAM only. Returns false (and touches
    // nothing) if any byte of [paddr, paddr+len) is outside RAM or the range wraps.
    bool isRamRange(uint64_t paddr, uint64_t len) const;
    bool readRam(uint64_t paddr, void* dst, uint64_t len) const;
    bool writeRam(uint64_t paddr, const void* src, uint64_t len);
    // Host pointer to a RAM range that lies within one contiguous RAM bank, or null.
    uint8_t* ramPtr(uint64_t paddr, uint64_t len);

    // Code-page tracking.
    void markCode(uint64_t paddr);
    bool isCode(uint64_t paddr) const;
    uint32_t pageGeneration(uint64_t paddr) const {
        int64_t idx = ramPageIndex(paddr >> 12);
        return idx < 0 ? 0 : pageGen_[static_cast<size_t>(idx)];
    }
    void notifyWrite(uint64_t paddr, uint64_t len) {
        if (!anyCode_) return;
        for (uint64_t p = paddr >> 12, e = (paddr + len - 1) >> 12; p <= e; ++p) noteWrite(p);
    }

    // Counters.
    uint64_t mmioAccesses = 0;
    uint64_t unmappedReads = 0;
    uint64_t unmappedWrites = 0;
    uint64_t romWritesDropped = 0;
    uint64_t codeInvalidations = 0;
    struct Region {
        uint64_t base, size;
        enum class Kind { Rom, Mmio } kind;
        std::vector<uint8_t> rom;
        MmioDevice* dev = nullptr;
        std::string name;
        uint64_t accesses = 0;
    };
    const std::vector<Region>& regions() const { return regions_; }

    // XXH3-64 over all of guest RAM (determinism proof in --stats).
    uint64_t ramDigest() const;

private:
    // Index of RAM page `pageNumber` (guest-physical page) in ram_, or -1.
    int64_t ramPageIndex(uint64_t pageNumber) const {
        uint64_t a = pageNumber << 12;
        if (a < lowEnd_) return static_cast<int64_t>(pageNumber);
        if (a >= kHighRamBase && a < highRamEnd()) return static_cast<int64_t>((a - kHighRamBase + lowEnd_) >> 12);
        return -1;
    }
    // The shadow mode of `paddr` (bit 0 read RAM, bit 1 write RAM), or -1 outside a chipset-
    // controlled window.
    int shadowMode(uint64_t paddr) const {
        return shadowControlled_ && paddr - kShadowBase < kShadowEnd - kShadowBase
                   ? shadow_[(paddr - kShadowBase) / kShadowBlock] : -1;
    }
    PageInfo busPageInfo(uint64_t page) const;
    uint64_t readRamWord(uint64_t paddr, unsigned size) const;
    void writeRamWord(uint64_t paddr, unsigned size, uint64_t value);
    const Region* findRegion(uint64_t paddr) const;
    // An access whose first and last byte belong to different regions (or region and RAM).
    bool straddlesRegion(uint64_t paddr, unsigned size) const;
    Region* findRegion(uint64_t paddr);
    void noteWrite(uint64_t pageNumber);

    uint8_t* ram_ = nullptr;
    uint64_t ramSize_;
    uint64_t lowEnd_;
    std::vector<Region> regions_;
    uint64_t overlayLo_ = ~0ull;  // regions only exist in [overlayLo_, overlayHi_)
    uint64_t overlayHi_ = 0;
    std::vector<uint8_t> codePage_;    // per RAM page index
    std::vector<uint32_t> pageGen_;    // per RAM page index
    bool anyCode_ = false;
    bool shadowControlled_ = false;
    uint8_t shadow_[(kShadowEnd - kShadowBase) / kShadowBlock] = {};
    uint64_t a20Mask_ = ~0ull;
    MemoryListener* listener_ = nullptr;
};

}  // namespace pvx
