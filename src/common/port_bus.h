// Port I/O bus: the 64 KiB x86 I/O space. Devices claim port ranges; the CPU's IN/OUT/INS/OUTS
// reach them only through here. Unclaimed ports read all-ones and ignore writes, like an ISA bus
// with nothing driving the data lines.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace pvx {

// A device register block in I/O space. `size` is 1, 2 or 4 bytes.
class PortDevice {
public:
    virtual ~PortDevice() = default;
    virtual uint32_t ioRead(uint16_t port, unsigned size) = 0;
    virtual void ioWrite(uint16_t port, unsigned size, uint32_t value) = 0;
};

class PortBus {
public:
    PortBus();

    // Claims [first, first+count). Later claims override earlier ones (lets a machine replace a
    // default device). `name` appears in stats and traces.
    void claim(uint16_t first, uint32_t count, PortDevice* dev, const std::string& name);
    void release(uint16_t first, uint32_t count);

    uint32_t read(uint16_t port, unsigned size);
    void write(uint16_t port, unsigned size, uint32_t value);

    PortDevice* deviceAt(uint16_t port) const { return devs_[port]; }
    const std::string& nameAt(uint16_t port) const;

    // Per-port access counts: the "exits" an emulated device costs.
    uint64_t accesses() const { return accesses_; }
    uint64_t unclaimedAccesses() const { return unclaimed_; }
    const std::vector<uint64_t>& countsByPort() const { return byPort_; }

    // Optional trace hook (--trace io). Called after each access.
    using TraceFn = void (*)(void* ctx, bool write, uint16_t port, unsigned size, uint32_t value);
    void setTrace(TraceFn fn, void* ctx) { trace_ = fn; traceCtx_ = ctx; }

private:
    std::array<PortDevice*, 65536> devs_{};
    std::array<uint16_t, 65536> nameIdx_{};
    std::vector<std::string> names_;
    std::vector<uint64_t> byPort_;
    uint64_t accesses_ = 0;
    uint64_t unclaimed_ = 0;
    TraceFn trace_ = nullptr;
    void* traceCtx_ = nullptr;
};

}  // namespace pvx
