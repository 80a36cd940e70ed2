// Hand-built split virtqueues in a PhysicalMemory for the virtio unit tests (virtio 1.2 §2.7).
#pragma once
#include <cstdint>

#include "mmu/phys_memory.h"

namespace pvx::virtio::test {

// A queue of `size` entries at fixed guest addresses: descriptors at 0x10000, driver ring at
// 0x20000, device ring at 0x30000; buffers from 0x100000 on.
struct Ring {
    PhysicalMemory& mem;
    uint16_t size;
    static constexpr uint64_t kDesc = 0x10000, kDriver = 0x20000, kDevice = 0x30000;
    uint16_t availIdx = 0;

    void w16(uint64_t a, uint16_t v) { mem.write(a, 2, v); }
    void w32(uint64_t a, uint32_t v) { mem.write(a, 4, v); }
    void w64(uint64_t a, uint64_t v) { mem.write(a, 8, v); }
    uint16_t r16(uint64_t a) { return static_cast<uint16_t>(mem.read(a, 2)); }
    uint32_t r32(uint64_t a) { return static_cast<uint32_t>(mem.read(a, 4)); }

    void desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next = 0, uint64_t table = kDesc) {
        const uint64_t d = table + 16ull * i;
        w64(d, addr);
        w32(d + 8, len);
        w16(d + 12, flags);
        w16(d + 14, next);
    }
    // Makes chain `head` available.
    void publish(uint16_t head) {
        w16(kDriver + 4 + 2ull * (availIdx % size), head);
        ++availIdx;
        w16(kDriver + 2, availIdx);
    }
    uint16_t usedIdx() { return r16(kDevice + 2); }
    uint32_t usedId(uint16_t slot) { return r32(kDevice + 4 + 8ull * (slot % size)); }
    uint32_t usedLen(uint16_t slot) { return r32(kDevice + 8 + 8ull * (slot % size)); }
    void setUsedEvent(uint16_t v) { w16(kDriver + 4 + 2ull * size, v); }
    uint16_t availEvent() { return r16(kDevice + 4 + 8ull * size); }
};

}  // namespace pvx::virtio::test
