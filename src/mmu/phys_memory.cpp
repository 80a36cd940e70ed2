#include "mmu/phys_memory.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include <xxhash.h>

namespace pvx {

PhysicalMemory::PhysicalMemory(uint64_t ramBytes) : ramSize_(ramBytes) {
    if (ramBytes == 0 || ramBytes > kMaxRamBytes || (ramBytes & (kPageSize - 1)))
        throw std::invalid_argument("RAM size must be a non-zero multiple of 4 KiB up to 64 GiB");
    lowEnd_ = ramBytes < kLowRamLimit ? ramBytes : kLowRamLimit;
    // calloc of a large block is mmap'd zero pages: untouched guest RAM costs no host memory.
    ram_ = static_cast<uint8_t*>(std::calloc(ramBytes, 1));
    if (!ram_) throw std::bad_alloc();
    codePage_.assign(ramBytes >> 12, 0);
    pageGen_.assign(ramBytes >> 12, 0);
}

PhysicalMemory::~PhysicalMemory() { std::free(ram_); }

void PhysicalMemory::addRom(uint64_t base, const std::vector<uint8_t>& image, const std::string& name) {
    // Byte-exact: an image that is not a whole number of pages shares its first/last page with
    // RAM, and such pages take the slow path (pageInfo gives no host pointer for them).
    Region r{base, image.size(), Region::Kind::Rom, image, nullptr, name, 0};
    regions_.push_back(std::move(r));
    if (base < overlayLo_) overlayLo_ = base;
    if (base + regions_.back().size > overlayHi_) overlayHi_ = base + regions_.back().size;
    if (listener_) listener_->memoryMapChanged();
}

void PhysicalMemory::addMmio(uint64_t base, uint64_t size, MmioDevice* dev, const std::string& name) {
    regions_.push_back(Region{base, size, Region::Kind::Mmio, {}, dev, name, 0});
    if (base < overlayLo_) overlayLo_ = base;
    if (base + size > overlayHi_) overlayHi_ = base + size;
    if (listener_) listener_->memoryMapChanged();
}

void PhysicalMemory::removeMmio(MmioDevice* dev) {
    std::erase_if(regions_, [dev](const Region& r) { return r.kind == Region::Kind::Mmio && r.dev == dev; });
    overlayLo_ = ~0ull;
    overlayHi_ = 0;
    for (const Region& r : regions_) {
        overlayLo_ = std::min(overlayLo_, r.base);
        overlayHi_ = std::max(overlayHi_, r.base + r.size);
    }
    if (listener_) listener_->memoryMapChanged();
}

bool PhysicalMemory::straddlesRegion(uint64_t paddr, unsigned size) const {
    if (paddr + size <= overlayLo_ || paddr >= overlayHi_) return false;
    return findRegion(paddr) != findRegion(paddr + size - 1);
}

void PhysicalMemory::setA20(bool enabled) {
    uint64_t m = enabled ? ~0ull : ~(1ull << 20);
    if (m == a20Mask_) return;
    a20Mask_ = m;
    if (listener_) listener_->memoryMapChanged();
}

const PhysicalMemory::Region* PhysicalMemory::findRegion(uint64_t paddr) const {
    if (paddr < overlayLo_ || paddr >= overlayHi_) return nullptr;
    // Latest-added wins, so a machine can overlay a default region.
    for (auto it = regions_.rbegin(); it != regions_.rend(); ++it)
        if (paddr - it->base < it->size) return &*it;
    return nullptr;
}

PhysicalMemory::Region* PhysicalMemory::findRegion(uint64_t paddr) {
    return const_cast<Region*>(static_cast<const PhysicalMemory*>(this)->findRegion(paddr));
}

void PhysicalMemory::setShadow(uint64_t paddr, bool readRam, bool writeRam) {
    if (paddr - kShadowBase >= kShadowEnd - kShadowBase) return;
    const size_t block = (paddr - kShadowBase) / kShadowBlock;
    const uint8_t mode = static_cast<uint8_t>((readRam ? 1 : 0) | (writeRam ? 2 : 0));
    if (shadowControlled_ && shadow_[block] == mode) return;
    if (!shadowControlled_) {
        // Taking control: the power-on state of the whole window is "bus side" (PAM = 0).
        shadowControlled_ = true;
        std::fill(std::begin(shadow_), std::end(shadow_), uint8_t{0});
    }
    shadow_[block] = mode;
    // The bytes behind these addresses may have changed: decodes of them are stale.
    const uint64_t first = (kShadowBase + block * kShadowBlock) >> 12;
    for (uint64_t p = first; p < first + kShadowBlock / kPageSize; ++p) {
        const int64_t idx = ramPageIndex(p);
        if (idx < 0) continue;
        codePage_[static_cast<size_t>(idx)] = 0;
        ++pageGen_[static_cast<size_t>(idx)];
        if (listener_) listener_->codePageWritten(p);
    }
    if (listener_) listener_->memoryMapChanged();
}

PhysicalMemory::PageInfo PhysicalMemory::busPageInfo(uint64_t page) const {
    PageInfo pi;
    for (auto it = regions_.rbegin(); it != regions_.rend(); ++it) {
        if (page >= it->base + it->size || page + kPageSize <= it->base) continue;
        if (it->kind == Region::Kind::Rom && page >= it->base && page + kPageSize <= it->base + it->size)
            pi.host = const_cast<uint8_t*>(it->rom.data()) + (page - it->base);
        return pi;
    }
    return pi;
}

PhysicalMemory::PageInfo PhysicalMemory::pageInfo(uint64_t paddr) const {
    PageInfo pi;
    const uint64_t page = paddr & ~(kPageSize - 1);
    if (const int mode = shadowMode(page); mode >= 0) {
        if (!(mode & 1)) return busPageInfo(page);  // read-only view of the bus (writes: slow path)
        const int64_t idx = ramPageIndex(page >> 12);
        if (idx < 0) return pi;
        pi.host = ram_ + (static_cast<uint64_t>(idx) << 12);
        pi.writable = (mode & 2) != 0;
        pi.code = codePage_[static_cast<size_t>(idx)] != 0;
        return pi;
    }
    if (page + kPageSize > overlayLo_ && page < overlayHi_) {
        // The latest region touching the page decides; only a ROM covering the whole page gets
        // a host pointer, any partial overlap means per-access dispatch.
        for (auto it = regions_.rbegin(); it != regions_.rend(); ++it) {
            if (page >= it->base + it->size || page + kPageSize <= it->base) continue;
            if (it->kind == Region::Kind::Rom && page >= it->base && page + kPageSize <= it->base + it->size)
                pi.host = const_cast<uint8_t*>(it->rom.data()) + (page - it->base);
            return pi;
        }
    }
    int64_t idx = ramPageIndex(paddr >> 12);
    if (idx < 0) return pi;
    pi.host = ram_ + (static_cast<uint64_t>(idx) << 12);
    pi.writable = true;
    pi.code = codePage_[static_cast<size_t>(idx)] != 0;
    return pi;
}

uint64_t PhysicalMemory::read(uint64_t paddr, unsigned size) {
    if (size > 1 && straddlesRegion(paddr, size)) {
        uint64_t v = 0;
        for (unsigned k = 0; k < size; ++k) v |= read(paddr + k, 1) << (8 * k);
        return v;
    }
    const int mode = shadowMode(paddr);
    if (mode >= 0 && (mode & 1)) return readRamWord(paddr, size);
    if (Region* r = findRegion(paddr)) {
        ++r->accesses;
        if (r->kind == Region::Kind::Mmio) {
            ++mmioAccesses;
            return r->dev->mmioRead(paddr - r->base, size);
        }
        uint64_t v = 0;
        std::memcpy(&v, r->rom.data() + (paddr - r->base), size);
        return v;
    }
    if (mode >= 0 || ramPageIndex(paddr >> 12) < 0) {  // nothing answers on the bus
        ++unmappedReads;
        return size >= 8 ? ~0ull : ((1ull << (size * 8)) - 1);
    }
    return readRamWord(paddr, size);
}

uint64_t PhysicalMemory::readRamWord(uint64_t paddr, unsigned size) const {
    const int64_t idx = ramPageIndex(paddr >> 12);
    uint64_t v = 0;
    if (idx >= 0) std::memcpy(&v, ram_ + (static_cast<uint64_t>(idx) << 12) + (paddr & 0xFFF), size);
    return v;
}

void PhysicalMemory::write(uint64_t paddr, unsigned size, uint64_t value) {
    if (size > 1 && straddlesRegion(paddr, size)) {
        for (unsigned k = 0; k < size; ++k) write(paddr + k, 1, (value >> (8 * k)) & 0xFF);
        return;
    }
    const int mode = shadowMode(paddr);
    if (mode >= 0 && (mode & 2)) return writeRamWord(paddr, size, value);
    if (Region* r = findRegion(paddr)) {
        ++r->accesses;
        if (r->kind == Region::Kind::Mmio) {
            ++mmioAccesses;
            r->dev->mmioWrite(paddr - r->base, size, value);
        } else {
            ++romWritesDropped;
        }
        return;
    }
    if (mode >= 0 || ramPageIndex(paddr >> 12) < 0) {
        ++unmappedWrites;
        return;
    }
    writeRamWord(paddr, size, value);
}

void PhysicalMemory::writeRamWord(uint64_t paddr, unsigned size, uint64_t value) {
    const int64_t idx = ramPageIndex(paddr >> 12);
    if (idx < 0) return;
    if (codePage_[static_cast<size_t>(idx)]) noteWrite(paddr >> 12);
    std::memcpy(ram_ + (static_cast<uint64_t>(idx) << 12) + (paddr & 0xFFF), &value, size);
}

bool PhysicalMemory::isRamRange(uint64_t paddr, uint64_t len) const {
    if (len == 0) return paddr <= highRamEnd();
    uint64_t last = paddr + len - 1;
    if (last < paddr) return false;  // wraps
    bool low = last < lowEnd_;
    bool high = paddr >= kHighRamBase && last < highRamEnd();
    if (!low && !high) return false;
    // RAM hidden behind an overlay (VGA window, BIOS shadow) is not DMA-able RAM.
    return paddr >= overlayHi_ || last < overlayLo_ || ![&] {
        for (const Region& r : regions_)
            if (paddr < r.base + r.size && r.base <= last) return true;
        return false;
    }();
}

uint8_t* PhysicalMemory::ramPtr(uint64_t paddr, uint64_t len) {
    if (!isRamRange(paddr, len)) return nullptr;
    int64_t idx = ramPageIndex(paddr >> 12);
    return ram_ + (static_cast<uint64_t>(idx) << 12) + (paddr & 0xFFF);
}

bool PhysicalMemory::readRam(uint64_t paddr, void* dst, uint64_t len) const {
    if (!isRamRange(paddr, len)) return false;
    if (len == 0) return true;
    int64_t idx = ramPageIndex(paddr >> 12);
    std::memcpy(dst, ram_ + (static_cast<uint64_t>(idx) << 12) + (paddr & 0xFFF), len);
    return true;
}

bool PhysicalMemory::writeRam(uint64_t paddr, const void* src, uint64_t len) {
    if (!isRamRange(paddr, len)) return false;
    if (len == 0) return true;
    notifyWrite(paddr, len);
    int64_t idx = ramPageIndex(paddr >> 12);
    std::memcpy(ram_ + (static_cast<uint64_t>(idx) << 12) + (paddr & 0xFFF), src, len);
    return true;
}

void PhysicalMemory::markCode(uint64_t paddr) {
    int64_t idx = ramPageIndex(paddr >> 12);
    if (idx < 0 || codePage_[static_cast<size_t>(idx)]) return;
    codePage_[static_cast<size_t>(idx)] = 1;
    anyCode_ = true;
    if (listener_) listener_->codePageMarked(paddr >> 12);
}

bool PhysicalMemory::isCode(uint64_t paddr) const {
    int64_t idx = ramPageIndex(paddr >> 12);
    return idx >= 0 && codePage_[static_cast<size_t>(idx)];
}

void PhysicalMemory::noteWrite(uint64_t pageNumber) {
    int64_t idx = ramPageIndex(pageNumber);
    if (idx < 0 || !codePage_[static_cast<size_t>(idx)]) return;
    codePage_[static_cast<size_t>(idx)] = 0;
    ++pageGen_[static_cast<size_t>(idx)];
    ++codeInvalidations;
    if (listener_) listener_->codePageWritten(pageNumber);
}

uint64_t PhysicalMemory::ramDigest() const { return XXH3_64bits(ram_, ramSize_); }

}  // namespace pvx
