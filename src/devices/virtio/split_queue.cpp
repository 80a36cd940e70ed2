#include "devices/virtio/split_queue.h"

#include <algorithm>

namespace pvx::virtio {

namespace {
uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
uint32_t le32(const uint8_t* p) { return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24; }
uint64_t le64(const uint8_t* p) { return le32(p) | uint64_t{le32(p + 4)} << 32; }
}  // namespace

uint64_t VirtqChain::readFrom(const PhysicalMemory& mem, uint64_t offset, void* dst, uint64_t n) const {
    uint64_t done = 0;
    auto* out = static_cast<uint8_t*>(dst);
    for (const VirtqBuffer& b : buffers) {
        if (b.writable || done == n) break;
        if (offset >= b.len) {
            offset -= b.len;
            continue;
        }
        const uint64_t take = std::min<uint64_t>(b.len - offset, n - done);
        if (!mem.readRam(b.addr + offset, out + done, take)) break;
        done += take;
        offset = 0;
    }
    return done;
}

uint64_t VirtqChain::writeTo(PhysicalMemory& mem, uint64_t offset, const void* src, uint64_t n) const {
    uint64_t done = 0;
    const auto* in = static_cast<const uint8_t*>(src);
    for (const VirtqBuffer& b : buffers) {
        if (!b.writable) continue;
        if (done == n) break;
        if (offset >= b.len) {
            offset -= b.len;
            continue;
        }
        const uint64_t take = std::min<uint64_t>(b.len - offset, n - done);
        if (!mem.writeRam(b.addr + offset, in + done, take)) break;
        done += take;
        offset = 0;
    }
    return done;
}

void SplitQueue::reset() {
    size = maxSize_;  // §4.1.4.3: queue_size reads the maximum until the driver writes a smaller one
    descAddr = driverAddr = deviceAddr = 0;
    ready = false;
    legacyPfn_ = 0;
    indirect_ = eventIdx_ = false;
    lastAvail_ = usedIdx_ = signalled_ = 0;
    error_.clear();
}

void SplitQueue::setLegacyPfn(uint32_t pfn) {
    legacyPfn_ = pfn;
    if (pfn == 0) {  // legacy: writing 0 disables the queue
        ready = false;
        return;
    }
    size = maxSize_;  // the legacy interface has no queue_size write: the device's size is used
    descAddr = uint64_t{pfn} << 12;
    driverAddr = descAddr + 16ull * size;
    deviceAddr = (driverAddr + 6 + 2ull * size + 4095) & ~4095ull;
    lastAvail_ = usedIdx_ = signalled_ = 0;
    ready = true;
}

SplitQueue::Pop SplitQueue::fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return Pop::Error;
}

bool SplitQueue::readDesc(uint64_t table, uint32_t index, uint64_t& addr, uint32_t& len, uint16_t& flags,
                          uint16_t& next) {
    uint8_t d[16];
    if (!mem_.readRam(table + 16ull * index, d, sizeof d)) return false;
    addr = le64(d);
    len = le32(d + 8);
    flags = le16(d + 12);
    next = le16(d + 14);
    return true;
}

bool SplitQueue::hasAvailable() {
    if (!ready || size == 0) return false;
    uint8_t idx[2];
    if (!mem_.readRam(driverAddr + 2, idx, 2)) return false;
    return le16(idx) != lastAvail_;
}

SplitQueue::Pop SplitQueue::pop(VirtqChain& out) {
    out.buffers.clear();
    out.readableBytes = out.writableBytes = 0;
    if (!error_.empty()) return Pop::Error;
    if (!ready || size == 0) return Pop::Empty;
    uint8_t b[2];
    // Driver ring: le16 flags, le16 idx, le16 ring[size], le16 used_event (§2.7.6).
    if (!mem_.readRam(driverAddr + 2, b, 2)) return fail("driver ring outside RAM");
    const uint16_t availIdx = le16(b);
    const uint16_t pending = static_cast<uint16_t>(availIdx - lastAvail_);
    if (pending == 0) return Pop::Empty;
    if (pending > size) return fail("driver ring index " + std::to_string(availIdx) + " more than a queue ahead");
    if (!mem_.readRam(driverAddr + 4 + 2ull * (lastAvail_ % size), b, 2)) return fail("driver ring outside RAM");
    const uint16_t head = le16(b);
    if (head >= size) return fail("chain head " + std::to_string(head) + " out of the descriptor table");

    uint64_t table = descAddr;
    uint32_t tableSize = size;
    uint32_t index = head;
    uint32_t walked = 0;        // descriptors visited in the current table: bounds loops
    bool inIndirect = false;
    bool seenWritable = false;
    for (;;) {
        if (++walked > tableSize) return fail("descriptor chain loops or is longer than its table");
        uint64_t addr;
        uint32_t len;
        uint16_t flags, next;
        if (!readDesc(table, index, addr, len, flags, next)) return fail("descriptor table outside RAM");
        if (flags & kDescIndirect) {
            // §2.7.5.3.1: only with the feature; not inside an indirect table; not with NEXT;
            // a whole number of descriptors.
            if (!indirect_) return fail("indirect descriptor without VIRTIO_F_RING_INDIRECT_DESC");
            if (inIndirect) return fail("nested indirect descriptor");
            if (flags & kDescNext) return fail("indirect descriptor with NEXT");
            if (len == 0 || len % 16 != 0 || len / 16 > kMaxIndirect)
                return fail("indirect table of " + std::to_string(len) + " bytes");
            if (!mem_.isRamRange(addr, len)) return fail("indirect table outside RAM");
            table = addr;
            tableSize = len / 16;
            index = 0;
            walked = 0;
            inIndirect = true;
            continue;
        }
        const bool writable = flags & kDescWrite;
        if (!writable && seenWritable) return fail("device-readable buffer after a device-writable one");
        seenWritable |= writable;
        if (!mem_.isRamRange(addr, len)) return fail("buffer outside RAM");
        out.buffers.push_back(VirtqBuffer{addr, len, writable});
        (writable ? out.writableBytes : out.readableBytes) += len;
        if (!(flags & kDescNext)) break;
        if (next >= tableSize) return fail("next index " + std::to_string(next) + " out of the descriptor table");
        index = next;
    }
    out.head = head;
    ++lastAvail_;
    if (eventIdx_) {
        // §2.7.10: avail_event (after the device ring) tells the driver when to notify next.
        const uint8_t ev[2] = {static_cast<uint8_t>(lastAvail_), static_cast<uint8_t>(lastAvail_ >> 8)};
        if (!mem_.writeRam(deviceAddr + 4 + 8ull * size, ev, 2)) return fail("device ring outside RAM");
    }
    return Pop::Chain;
}

bool SplitQueue::pushUsed(uint16_t head, uint32_t len) {
    if (!error_.empty() || !ready || size == 0) return false;
    // Device ring: le16 flags, le16 idx, {le32 id, le32 len}[size], le16 avail_event (§2.7.8).
    const uint8_t elem[8] = {static_cast<uint8_t>(head), static_cast<uint8_t>(head >> 8), 0, 0,
                             static_cast<uint8_t>(len), static_cast<uint8_t>(len >> 8),
                             static_cast<uint8_t>(len >> 16), static_cast<uint8_t>(len >> 24)};
    if (!mem_.writeRam(deviceAddr + 4 + 8ull * (usedIdx_ % size), elem, 8)) {
        fail("device ring outside RAM");
        return false;
    }
    ++usedIdx_;
    const uint8_t idx[2] = {static_cast<uint8_t>(usedIdx_), static_cast<uint8_t>(usedIdx_ >> 8)};
    if (!mem_.writeRam(deviceAddr + 2, idx, 2)) {
        fail("device ring outside RAM");
        return false;
    }
    return true;
}

bool SplitQueue::needsInterrupt() {
    if (!ready || size == 0) return false;
    const uint16_t old = signalled_;
    const uint16_t now = usedIdx_;
    if (old == now) return false;
    signalled_ = now;
    uint8_t b[2];
    if (eventIdx_) {
        // §2.7.10: interrupt iff used_event lies in [old, now): vring_need_event's arithmetic.
        if (!mem_.readRam(driverAddr + 4 + 2ull * size, b, 2)) return true;
        const uint16_t usedEvent = le16(b);
        return static_cast<uint16_t>(now - usedEvent - 1) < static_cast<uint16_t>(now - old);
    }
    if (!mem_.readRam(driverAddr, b, 2)) return true;
    return !(le16(b) & kAvailNoInterrupt);
}

}  // namespace pvx::virtio
