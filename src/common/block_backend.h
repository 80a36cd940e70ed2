// A disk's storage. The ATA disk and the PV block service share one backend per image, so a
// comparison measures the path, not the storage. Sector size is 512 bytes.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "host/file_sync.h"

namespace pvx {

class BlockBackend {
public:
    static constexpr uint32_t kSectorSize = 512;

    // Opens a raw image; returns null and sets `error` on failure.
    static std::unique_ptr<BlockBackend> openRaw(const std::string& path, bool readOnly, std::string& error);

    uint64_t sectors() const { return file_.size() / kSectorSize; }
    bool readOnly() const { return readOnly_; }
    const std::string& path() const { return path_; }

    // False on I/O error or a range past the end of the disk (callers report the device error).
    bool read(uint64_t lba, uint32_t count, void* buf);
    bool write(uint64_t lba, uint32_t count, const void* buf);
    bool flush();

    uint64_t digest() const;  // XXH3-64 over the image contents

    uint64_t sectorsRead = 0, sectorsWritten = 0, flushes = 0;

private:
    host::RawFile file_;
    bool readOnly_ = false;
    std::string path_;
};

}  // namespace pvx
