#include "host/file_sync.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pvx::host {

RawFile::~RawFile() {
    if (fd_ >= 0) close(fd_);
}

std::string RawFile::open(const std::string& path, bool readOnly) {
    fd_ = ::open(path.c_str(), (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (fd_ < 0) return std::string(std::strerror(errno));
    struct stat st;
    if (fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd_);
        fd_ = -1;
        return "not a regular file";
    }
    size_ = static_cast<uint64_t>(st.st_size);
    return {};
}

bool RawFile::readAt(uint64_t offset, void* buf, uint64_t len) const {
    auto* p = static_cast<uint8_t*>(buf);
    while (len) {
        ssize_t n = pread(fd_, p, len, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        offset += static_cast<uint64_t>(n);
        len -= static_cast<uint64_t>(n);
    }
    return true;
}

bool RawFile::writeAt(uint64_t offset, const void* buf, uint64_t len) {
    auto* p = static_cast<const uint8_t*>(buf);
    while (len) {
        ssize_t n = pwrite(fd_, p, len, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        offset += static_cast<uint64_t>(n);
        len -= static_cast<uint64_t>(n);
    }
    return true;
}

bool RawFile::sync() { return fdatasync(fd_) == 0; }

}  // namespace pvx::host
