// A device register block in physical memory space (local APIC, I/O APIC, VGA, PCI BARs).
#pragma once
#include <cstdint>

namespace pvx {

class MmioDevice {
public:
    virtual ~MmioDevice() = default;
    // `offset` is relative to the region base; `size` is 1, 2, 4 or 8.
    virtual uint64_t mmioRead(uint64_t offset, unsigned size) = 0;
    virtual void mmioWrite(uint64_t offset, unsigned size, uint64_t value) = 0;
};

}  // namespace pvx
