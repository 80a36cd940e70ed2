#include "devices/ata/ata_disk.h"

#include <algorithm>

namespace pvx {

namespace {
// ATA strings are stored two characters per word, the first character in the high byte
// (ATA/ATAPI-6, byte ordering of ATA strings), padded with spaces.
void putString(std::array<uint16_t, 256>& w, unsigned first, unsigned words, const std::string& s) {
    for (unsigned i = 0; i < words; ++i) {
        auto at = [&](size_t k) -> uint8_t { return k < s.size() ? static_cast<uint8_t>(s[k]) : ' '; };
        w[first + i] = static_cast<uint16_t>(at(2 * i) << 8 | at(2 * i + 1));
    }
}
}  // namespace

AtaDisk::AtaDisk(BlockBackend& backend, Identity id) : backend_(backend), id_(std::move(id)) {
    uint64_t total = sectors();
    if (total >= kDefaultHeads * kDefaultSectorsPerTrack) {
        defaultGeom_.heads = kDefaultHeads;
        defaultGeom_.sectorsPerTrack = kDefaultSectorsPerTrack;
        // Word 1 holds at most 16383 cylinders (larger disks report 16383 and are
        // addressed by LBA).
        defaultGeom_.cylinders = static_cast<uint32_t>(
            std::min<uint64_t>(16383, total / (kDefaultHeads * kDefaultSectorsPerTrack)));
    } else {
        // A disk smaller than one 16x63 cylinder (tests, tiny images): one head, one track.
        defaultGeom_.heads = 1;
        defaultGeom_.sectorsPerTrack = static_cast<uint32_t>(std::min<uint64_t>(kDefaultSectorsPerTrack, total));
        defaultGeom_.cylinders = static_cast<uint32_t>(total / defaultGeom_.sectorsPerTrack);
    }
    currentGeom_ = defaultGeom_;
}

void AtaDisk::powerOnDefaults() {
    currentGeom_ = defaultGeom_;
    multiple_ = kMaxMultiple;
    pioMode_ = 4;
    dmaKind_ = DmaKind::Multiword;
    dmaMode_ = 2;
    writeCache_ = true;
    lookAhead_ = true;
}

bool AtaDisk::setTranslation(uint32_t heads, uint32_t sectorsPerTrack) {
    // INITIALIZE DEVICE PARAMETERS: heads come from the device register (1..16), sectors/track from the count register.
    if (heads == 0 || heads > 16 || sectorsPerTrack == 0 || sectorsPerTrack > 255) return false;
    currentGeom_.heads = heads;
    currentGeom_.sectorsPerTrack = sectorsPerTrack;
    currentGeom_.cylinders =
        static_cast<uint32_t>(std::min<uint64_t>(65535, sectors() / (uint64_t{heads} * sectorsPerTrack)));
    return true;
}

std::optional<uint64_t> AtaDisk::chsToLba(uint32_t cylinder, uint32_t head, uint32_t sector) const {
    const Geometry& g = currentGeom_;
    if (sector == 0 || sector > g.sectorsPerTrack || head >= g.heads || cylinder >= g.cylinders) return std::nullopt;
    uint64_t lba = (uint64_t{cylinder} * g.heads + head) * g.sectorsPerTrack + sector - 1;
    if (lba >= sectors()) return std::nullopt;
    return lba;
}

bool AtaDisk::setMultiple(unsigned n) {
    // SET MULTIPLE MODE: the count must be a block size the device supports; pvx supports 1, 2, 4, 8, 16.
    // 0 disables multiple mode (READ/WRITE MULTIPLE then abort).
    if (n > kMaxMultiple || (n & (n - 1)) != 0) return false;
    multiple_ = n;
    return true;
}

bool AtaDisk::setTransferMode(uint8_t mode) {
    // SET FEATURES transfer mode values: 00h/01h PIO default, 08h+n PIO mode n, 20h+n multiword DMA n,
    // 40h+n Ultra DMA n. Single-word DMA (10h+n) is not supported (word 62 = 0).
    uint8_t n = mode & 0x07;
    switch (mode & 0xF8) {
        case 0x00:
            if (n > 1) return false;
            pioMode_ = 2;
            return true;
        case 0x08:
            if (n > 4) return false;
            pioMode_ = n;
            return true;
        case 0x20:
            if (n > 2) return false;
            dmaKind_ = DmaKind::Multiword;
            dmaMode_ = n;
            return true;
        case 0x40:
            if (n > 5) return false;
            dmaKind_ = DmaKind::Ultra;
            dmaMode_ = n;
            return true;
        default:
            return false;
    }
}

std::array<uint16_t, 256> AtaDisk::identify() const {
    std::array<uint16_t, 256> w{};
    uint64_t total = sectors();
    const Geometry& d = defaultGeom_;
    const Geometry& c = currentGeom_;

    w[0] = 0x0040;  // ATA device (bit 15 = 0), fixed (bit 6)
    w[1] = static_cast<uint16_t>(d.cylinders);
    w[2] = 0xC837;  // word 2 C837h: no SET FEATURES spin-up needed, IDENTIFY response complete
    w[3] = static_cast<uint16_t>(d.heads);
    w[6] = static_cast<uint16_t>(d.sectorsPerTrack);
    putString(w, 10, 10, id_.serial);
    putString(w, 23, 4, id_.firmware);
    putString(w, 27, 20, id_.model);
    w[47] = static_cast<uint16_t>(0x8000 | kMaxMultiple);  // bits 15:8 = 80h, 7:0 max DRQ block
    // Capabilities: IORDY supported (11) and may be disabled (10), LBA (9), DMA (8).
    w[49] = 0x0F00;
    w[50] = 0x4000;  // bit 14 shall be one
    w[51] = 0x0200;  // obsolete PIO timing mode 2
    w[53] = 0x0007;  // words 54-58, 64-70 and 88 are valid
    w[54] = static_cast<uint16_t>(c.cylinders);
    w[55] = static_cast<uint16_t>(c.heads);
    w[56] = static_cast<uint16_t>(c.sectorsPerTrack);
    uint64_t chsCapacity = uint64_t{c.cylinders} * c.heads * c.sectorsPerTrack;
    w[57] = static_cast<uint16_t>(chsCapacity);
    w[58] = static_cast<uint16_t>(chsCapacity >> 16);
    w[59] = static_cast<uint16_t>(0x0100 | multiple_);  // bit 8: multiple setting valid
    // Words 60-61: sectors addressable by 28-bit commands (at most 0FFFFFFFh).
    uint32_t lba28 = static_cast<uint32_t>(std::min<uint64_t>(total, 0x0FFFFFFF));
    w[60] = static_cast<uint16_t>(lba28);
    w[61] = static_cast<uint16_t>(lba28 >> 16);
    // Multiword DMA modes 0-2 supported (bits 2:0), the selected one in bits 10:8.
    w[63] = 0x0007;
    if (dmaKind_ == DmaKind::Multiword) w[63] |= static_cast<uint16_t>(0x0100 << dmaMode_);
    w[64] = 0x0003;  // advanced PIO modes 3 and 4
    w[65] = 120;     // minimum multiword DMA cycle time, ns
    w[66] = 120;     // recommended multiword DMA cycle time
    w[67] = 120;     // minimum PIO cycle time without flow control
    w[68] = 120;     // minimum PIO cycle time with IORDY
    w[80] = 0x0070;  // major version: ATA/ATAPI-4, -5, -6
    // Command sets supported (82-84) and enabled (85-87): NOP (14), look-ahead (6), write
    // cache (5); 48-bit address (10), FLUSH CACHE (12), FLUSH CACHE EXT (13). Words 83/84 and
    // 87 carry the 01b validity pattern in bits 15:14.
    w[82] = 0x4060;
    w[83] = 0x7400;
    w[84] = 0x4000;
    w[85] = static_cast<uint16_t>(0x4000 | (lookAhead_ ? 0x0040 : 0) | (writeCache_ ? 0x0020 : 0));
    w[86] = 0x3400;
    w[87] = 0x4000;
    // Ultra DMA modes 0-5 supported (bits 5:0), the selected one in bits 13:8.
    w[88] = 0x003F;
    if (dmaKind_ == DmaKind::Ultra) w[88] |= static_cast<uint16_t>(0x0100 << dmaMode_);
    // Words 100-103: maximum user LBA for 48-bit commands + 1.
    for (unsigned i = 0; i < 4; ++i) w[100 + i] = static_cast<uint16_t>(total >> (16 * i));

    // Word 255 (integrity word): signature A5h in bits 7:0, and in bits 15:8 the two's complement of
    // the sum of bytes 0..510, so that all 512 bytes sum to zero mod 256.
    uint8_t sum = 0xA5;
    for (unsigned i = 0; i < 255; ++i) sum = static_cast<uint8_t>(sum + (w[i] & 0xFF) + (w[i] >> 8));
    w[255] = static_cast<uint16_t>(static_cast<uint8_t>(-sum) << 8 | 0xA5);
    return w;
}

}  // namespace pvx
