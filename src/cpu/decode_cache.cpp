#include "cpu/decode_cache.h"

namespace pvx::cpu {

DecodeCache::DecodeCache()
    : table_(std::make_unique<Trace[]>(1u << kTableBits)), pool_(std::make_unique<DecodedInsn[]>(kPoolSize)) {}

void DecodeCache::flush() {
    for (unsigned k = 0; k < (1u << kTableBits); ++k) table_[k] = Trace{};
    used_ = 0;
    ++flushes;
}

DecodeCache::Trace* DecodeCache::build(uint64_t paddr, uint8_t mode, uint32_t gen, const uint8_t* bytes, size_t avail) {
    if (used_ + kMaxTrace > kPoolSize) flush();
    DecodedInsn* out = &pool_[used_];
    unsigned n = 0;
    size_t off = 0;
    while (n < kMaxTrace && off < avail) {
        DecodedInsn d;
        if (decodeInstruction(bytes + off, avail - off, static_cast<ModeKey>(mode), d) != DecodeStatus::Ok) break;
        out[n++] = d;
        off += d.len;
        if (d.flags & DecodedInsn::kEndsTrace) break;
    }
    if (n == 0) return nullptr;
    Trace& t = table_[slot(paddr, mode)];
    t.paddr = paddr;
    t.mode = mode;
    t.gen = gen;
    t.count = static_cast<uint8_t>(n);
    t.start = used_;
    used_ += n;
    return &t;
}

}  // namespace pvx::cpu
