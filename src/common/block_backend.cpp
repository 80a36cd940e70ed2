#include "common/block_backend.h"

#include <vector>

#include <xxhash.h>

namespace pvx {

std::unique_ptr<BlockBackend> BlockBackend::openRaw(const std::string& path, bool readOnly, std::string& error) {
    auto b = std::make_unique<BlockBackend>();
    error = b->file_.open(path, readOnly);
    if (!error.empty()) return nullptr;
    if (b->file_.size() < kSectorSize) {
        error = "disk image is smaller than one 512-byte sector";
        return nullptr;
    }
    b->readOnly_ = readOnly;
    b->path_ = path;
    return b;
}

bool BlockBackend::read(uint64_t lba, uint32_t count, void* buf) {
    if (lba > sectors() || count > sectors() - lba) return false;
    if (!file_.readAt(lba * kSectorSize, buf, uint64_t{count} * kSectorSize)) return false;
    sectorsRead += count;
    return true;
}

bool BlockBackend::write(uint64_t lba, uint32_t count, const void* buf) {
    if (readOnly_ || lba > sectors() || count > sectors() - lba) return false;
    if (!file_.writeAt(lba * kSectorSize, buf, uint64_t{count} * kSectorSize)) return false;
    sectorsWritten += count;
    return true;
}

bool BlockBackend::flush() {
    ++flushes;
    return readOnly_ || file_.sync();
}

uint64_t BlockBackend::digest() const {
    XXH3_state_t* st = XXH3_createState();
    XXH3_64bits_reset(st);
    std::vector<uint8_t> buf(1 << 20);
    for (uint64_t off = 0; off < file_.size(); off += buf.size()) {
        uint64_t n = std::min<uint64_t>(buf.size(), file_.size() - off);
        if (!file_.readAt(off, buf.data(), n)) break;
        XXH3_64bits_update(st, buf.data(), n);
    }
    uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h;
}

}  // namespace pvx
