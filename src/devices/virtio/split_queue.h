// The device side of a split virtqueue (virtio 1.2 §2.7): descriptor table, driver (available)
// ring and device (used) ring in guest memory.
//
// The guest is hostile, so every read and write goes through PhysicalMemory's validated RAM
// accessors, and every index the driver supplies is checked before use. Anything the driver
// MUST NOT do that would leave the device unable to continue -- an avail index more than a
// queue's worth ahead (§2.7.13.3), a head or next index out of the table (§2.7.5), a chain that
// is longer than allowed or loops (§2.7.5.3.1: no chain longer than the queue size; §2.7.5.3.1
// for indirect tables: no nested INDIRECT, no INDIRECT with NEXT), a device-readable buffer after
// a device-writable one (§2.7.4.2), a buffer or ring outside guest RAM -- makes pop() report
// Error; the transport then sets DEVICE_NEEDS_RESET (§2.1.2) and stops touching the queue.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "mmu/phys_memory.h"

namespace pvx::virtio {

struct VirtqBuffer {
    uint64_t addr;
    uint32_t len;
    bool writable;  // VIRTQ_DESC_F_WRITE: the device writes it
};

// One popped descriptor chain: its head index (returned in the used ring) and its buffers,
// device-readable ones first.
class VirtqChain {
public:
    uint16_t head = 0;
    std::vector<VirtqBuffer> buffers;
    uint64_t readableBytes = 0;
    uint64_t writableBytes = 0;

    // Copies up to `n` bytes of the device-readable part starting at byte `offset` into `dst`;
    // returns the count copied (short at the end of the readable part).
    uint64_t readFrom(const PhysicalMemory& mem, uint64_t offset, void* dst, uint64_t n) const;
    // Copies up to `n` bytes into the device-writable part starting at byte `offset`.
    uint64_t writeTo(PhysicalMemory& mem, uint64_t offset, const void* src, uint64_t n) const;
};

class SplitQueue {
public:
    // §2.7.2: descriptor 16 bytes; flags.
    static constexpr uint16_t kDescNext = 1;
    static constexpr uint16_t kDescWrite = 2;
    static constexpr uint16_t kDescIndirect = 4;
    static constexpr uint16_t kAvailNoInterrupt = 1;  // §2.7.7 VIRTQ_AVAIL_F_NO_INTERRUPT
    // Largest indirect table pvx walks (a bound on what the guest makes the host iterate).
    static constexpr uint32_t kMaxIndirect = 1024;

    SplitQueue(PhysicalMemory& mem, uint16_t maxSize) : mem_(mem), maxSize_(maxSize) { reset(); }

    // Transport-facing configuration (§4.1.4.3 queue_size/desc/driver/device/enable).
    uint16_t maxSize() const { return maxSize_; }
    uint16_t size = 0;
    uint64_t descAddr = 0, driverAddr = 0, deviceAddr = 0;
    bool ready = false;
    // The legacy interface's layout from a page frame number (§4.1.5.1.3 / §2.7 "Legacy
    // Interfaces: A Note on Virtqueue Layout"): alignment 4096.
    void setLegacyPfn(uint32_t pfn);
    uint32_t legacyPfn() const { return legacyPfn_; }

    // Negotiated ring features; set by the transport before processing.
    void setFeatures(bool indirect, bool eventIdx) { indirect_ = indirect; eventIdx_ = eventIdx; }

    // Back to the unconfigured state (device reset, §2.1).
    void reset();

    enum class Pop { Chain, Empty, Error };
    // Takes the next available chain. On Error, error() says why.
    Pop pop(VirtqChain& out);
    // True when the driver has made a chain available that pop() has not taken yet.
    bool hasAvailable();
    // Returns a chain to the driver with `len` bytes written (§2.7.8). False on a ring outside RAM.
    bool pushUsed(uint16_t head, uint32_t len);
    // After one or more pushUsed: whether the driver wants an interrupt now (§2.7.7.2 without
    // EVENT_IDX: flags; §2.7.10 with it: used_event).
    bool needsInterrupt();

    const std::string& error() const { return error_; }
    uint16_t lastAvail() const { return lastAvail_; }
    uint16_t usedIdx() const { return usedIdx_; }

private:
    Pop fail(std::string why);
    bool readDesc(uint64_t table, uint32_t index, uint64_t& addr, uint32_t& len, uint16_t& flags, uint16_t& next);

    PhysicalMemory& mem_;
    uint16_t maxSize_;
    uint32_t legacyPfn_ = 0;
    bool indirect_ = false, eventIdx_ = false;
    uint16_t lastAvail_ = 0;   // next driver-ring slot to consume
    uint16_t usedIdx_ = 0;     // next device-ring slot to fill
    uint16_t signalled_ = 0;   // used index at the last interrupt decision
    std::string error_;
};

}  // namespace pvx::virtio
