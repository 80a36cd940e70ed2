#include "common/char_backend.h"

namespace pvx {

FileCharBackend::~FileCharBackend() {
    if (owned_ && f_) std::fclose(f_);
    else if (f_) std::fflush(f_);
}

void FileCharBackend::write(const uint8_t* data, size_t len) {
    std::fwrite(data, 1, len, f_);
    // Line-buffer interactively visible output so a guest's prompt appears.
    for (size_t i = 0; i < len; ++i)
        if (data[i] == '\n') { std::fflush(f_); break; }
}

void FileCharBackend::flush() { std::fflush(f_); }

}  // namespace pvx
