// An ATA hard disk: its identity (what IDENTIFY DEVICE reports), its addressing (LBA28, LBA48
// and CHS through the current translation) and the settings the host changes with SET MULTIPLE
// MODE, SET FEATURES and INITIALIZE DEVICE PARAMETERS. The data lives in a BlockBackend shared
// with the PV block service. The register interface is AtaChannel's job.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "common/block_backend.h"

namespace pvx {

class AtaDisk {
public:
    struct Identity {
        std::string model = "PVX HARDDISK";
        std::string serial = "PVX0000000001";
        std::string firmware = "1.0";
    };
    struct Geometry {
        uint32_t cylinders = 0;
        uint32_t heads = 0;
        uint32_t sectorsPerTrack = 0;
    };
    // Largest DRQ block for READ/WRITE MULTIPLE (IDENTIFY word 47).
    static constexpr unsigned kMaxMultiple = 16;
    // Default CHS translation (IDENTIFY words 1, 3, 6): the usual 16 heads x 63 sectors.
    static constexpr uint32_t kDefaultHeads = 16;
    static constexpr uint32_t kDefaultSectorsPerTrack = 63;

    explicit AtaDisk(BlockBackend& backend) : AtaDisk(backend, Identity{}) {}
    AtaDisk(BlockBackend& backend, Identity id);

    BlockBackend& backend() { return backend_; }
    uint64_t sectors() const { return backend_.sectors(); }
    bool readOnly() const { return backend_.readOnly(); }

    // The 256 words of IDENTIFY DEVICE (ATA/ATAPI-6), checksum in word 255.
    std::array<uint16_t, 256> identify() const;

    Geometry defaultGeometry() const { return defaultGeom_; }
    Geometry currentGeometry() const { return currentGeom_; }
    // INITIALIZE DEVICE PARAMETERS: false if the translation is unusable (0 sectors/track).
    bool setTranslation(uint32_t heads, uint32_t sectorsPerTrack);
    // CHS (sector is 1-based) to LBA under the current translation, or nothing if the address
    // lies outside it (the command then ends with IDNF).
    std::optional<uint64_t> chsToLba(uint32_t cylinder, uint32_t head, uint32_t sector) const;

    unsigned multipleSectors() const { return multiple_; }
    // SET MULTIPLE MODE: 0 disables; otherwise a power of two up to kMaxMultiple.
    bool setMultiple(unsigned sectors);

    // SET FEATURES 03h: the transfer mode value from the sector count register.
    bool setTransferMode(uint8_t mode);
    void setWriteCache(bool on) { writeCache_ = on; }
    void setReadLookAhead(bool on) { lookAhead_ = on; }

    // Power-on / hardware reset: settings back to their defaults.
    void powerOnDefaults();

private:
    enum class DmaKind : uint8_t { None, Multiword, Ultra };

    BlockBackend& backend_;
    Identity id_;
    Geometry defaultGeom_;
    Geometry currentGeom_;
    unsigned multiple_ = kMaxMultiple;
    uint8_t pioMode_ = 4;
    DmaKind dmaKind_ = DmaKind::Multiword;
    uint8_t dmaMode_ = 2;
    bool writeCache_ = true;
    bool lookAhead_ = true;
};

}  // namespace pvx
