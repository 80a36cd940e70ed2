#include "common/port_bus.h"

namespace pvx {

PortBus::PortBus() : byPort_(65536, 0) { names_.push_back("unclaimed"); }

void PortBus::claim(uint16_t first, uint32_t count, PortDevice* dev, const std::string& name) {
    uint16_t idx = 0;
    for (size_t i = 0; i < names_.size(); ++i)
        if (names_[i] == name) idx = static_cast<uint16_t>(i);
    if (idx == 0) {
        names_.push_back(name);
        idx = static_cast<uint16_t>(names_.size() - 1);
    }
    for (uint32_t p = first; p < first + count && p < 65536; ++p) {
        devs_[p] = dev;
        nameIdx_[p] = idx;
    }
}

void PortBus::release(uint16_t first, uint32_t count) {
    for (uint32_t p = first; p < first + count && p < 65536; ++p) {
        devs_[p] = nullptr;
        nameIdx_[p] = 0;
    }
}

const std::string& PortBus::nameAt(uint16_t port) const { return names_[nameIdx_[port]]; }

static uint32_t sizeMask(unsigned size) {
    return size >= 4 ? 0xFFFFFFFFu : ((1u << (size * 8)) - 1);
}

uint32_t PortBus::read(uint16_t port, unsigned size) {
    ++accesses_;
    ++byPort_[port];
    uint32_t v;
    if (PortDevice* d = devs_[port]) {
        v = d->ioRead(port, size) & sizeMask(size);
    } else {
        ++unclaimed_;
        v = sizeMask(size);
    }
    if (trace_) trace_(traceCtx_, false, port, size, v);
    return v;
}

void PortBus::write(uint16_t port, unsigned size, uint32_t value) {
    ++accesses_;
    ++byPort_[port];
    value &= sizeMask(size);
    if (PortDevice* d = devs_[port])
        d->ioWrite(port, size, value);
    else
        ++unclaimed_;
    if (trace_) trace_(traceCtx_, true, port, size, value);
}

}  // namespace pvx
