// Durable file I/O for disk images: what a guest flushed must be on the host disk.
#pragma once
#include <cstdint>
#include <string>

namespace pvx::host {

class RawFile {
public:
    RawFile() = default;
    ~RawFile();
    RawFile(const RawFile&) = delete;
    RawFile& operator=(const RawFile&) = delete;

    // Returns an error message, or empty on success.
    std::string open(const std::string& path, bool readOnly);
    bool isOpen() const { return fd_ >= 0; }
    uint64_t size() const { return size_; }
    bool readAt(uint64_t offset, void* buf, uint64_t len) const;
    bool writeAt(uint64_t offset, const void* buf, uint64_t len);
    bool sync();  // fdatasync: the data is on stable storage when this returns true

private:
    int fd_ = -1;
    uint64_t size_ = 0;
};

}  // namespace pvx::host
