// The decoded-instruction cache (ANCHORS.md 1.1 "trace cache"): traces of up to kMaxTrace
// decoded instructions, keyed by the guest-physical address of their first byte and the decoder
// mode, valid while the code page's write generation (PhysicalMemory) is unchanged. A trace
// never crosses a 4 KiB page and ends after any instruction that may change control flow or
// decoding mode. Storage is a bump-allocated pool; when it fills, everything is dropped at once.
#pragma once
#include <cstdint>
#include <memory>

#include "cpu/decoded_insn.h"
#include "cpu/decoder.h"

namespace pvx::cpu {

class DecodeCache {
public:
    static constexpr unsigned kMaxTrace = 32;
    static constexpr unsigned kTableBits = 15;
    static constexpr unsigned kPoolSize = 1u << 19;

    struct Trace {
        uint64_t paddr = ~0ull;
        uint32_t gen = 0;
        uint8_t mode = 0xFF;
        uint8_t count = 0;
        uint32_t start = 0;
    };

    DecodeCache();

    static unsigned slot(uint64_t paddr, uint8_t mode) {
        uint64_t h = paddr ^ (paddr >> kTableBits) ^ (uint64_t{mode} * 0x9E3779B1u);
        return static_cast<unsigned>(h & ((1u << kTableBits) - 1));
    }
    Trace* find(uint64_t paddr, uint8_t mode, uint32_t gen) {
        Trace& t = table_[slot(paddr, mode)];
        return (t.paddr == paddr && t.mode == mode && t.gen == gen) ? &t : nullptr;
    }
    // Decodes a trace from `bytes` (the rest of the page: `avail` bytes). Returns null if even the
    // first instruction does not fit in the page (the caller decodes it across the boundary).
    Trace* build(uint64_t paddr, uint8_t mode, uint32_t gen, const uint8_t* bytes, size_t avail);
    const DecodedInsn* insns(const Trace& t) const { return &pool_[t.start]; }
    void flush();

    uint64_t flushes = 0;

private:
    std::unique_ptr<Trace[]> table_;
    std::unique_ptr<DecodedInsn[]> pool_;
    uint32_t used_ = 0;
};

}  // namespace pvx::cpu
