// Intel 82441FX PMC (i440FX host bridge), PCI 0:0.0, 8086:1237 (82441FX PMC datasheet, configuration registers).
//
// The emulated bridge has no DRAM controller to program; it stores what firmware writes
// (DRAM row boundaries, timings) and exposes the two registers that change the memory map:
//   PAM0-PAM6 (0x59-0x5F): read/write attributes of the 0xC0000-0xFFFFF shadow segments;
//   SMRAM (0x72): the SMRAM window at 0xA0000 (D_OPEN, D_CLS, D_LCK, G_SMRAME).
// The machine registers a callback and reads `shadowAccess()` to remap ROM/RAM when they change.
#pragma once
#include <cstdint>
#include <functional>

#include "devices/pci/pci_function.h"

namespace pvx {

class I440fxHostBridge final : public PciFunction {
public:
    static constexpr uint16_t kVendor = 0x8086;
    static constexpr uint16_t kDeviceId = 0x1237;
    static constexpr uint8_t kPam0 = 0x59;  // PAM0..PAM6 at 0x59..0x5F
    static constexpr int kPamCount = 7;
    static constexpr uint8_t kSmram = 0x72;

    // PAM attribute nibble (PAM register description): bit 0 RE, bit 1 WE, bit 2 CE (cache enable).
    static constexpr uint8_t kPamRead = 0x1;
    static constexpr uint8_t kPamWrite = 0x2;
    // SMRAM register bits. C_BASE_SEG (2:0) is hardwired to 010b: SMRAM at 0xA0000.
    static constexpr uint8_t kSmramOpen = 1u << 6;
    static constexpr uint8_t kSmramClose = 1u << 5;
    static constexpr uint8_t kSmramLock = 1u << 4;
    static constexpr uint8_t kSmramEnable = 1u << 3;
    static constexpr uint8_t kSmramBaseSeg = 0x02;

    I440fxHostBridge();

    // Called after any write that changed a PAM or the SMRAM register.
    void setMemoryMapCallback(std::function<void()> cb) { onMapChange_ = std::move(cb); }

    uint8_t pam(int index) const { return config8(static_cast<uint8_t>(kPam0 + index)); }
    uint8_t smram() const { return config8(kSmram); }

    // Where CPU accesses to a shadowable address in [0xC0000, 0xFFFFF] go: RAM when the read /
    // write enable of its segment is set, otherwise the PCI/ISA side (ROM). Addresses outside
    // the window report false/false.
    struct ShadowAccess {
        bool readRam = false;
        bool writeRam = false;
    };
    ShadowAccess shadowAccess(uint32_t paddr) const;

    uint64_t mapChanges = 0;

protected:
    void configWritten(uint8_t offset, unsigned size) override;
    void resetDevice() override;

private:
    std::function<void()> onMapChange_;
    uint8_t lastPam_[kPamCount] = {};
    uint8_t lastSmram_ = kSmramBaseSeg;
};

}  // namespace pvx
