#include "devices/pci/i440fx_host_bridge.h"

namespace pvx {

I440fxHostBridge::I440fxHostBridge()
    : PciFunction(Identity{kVendor, kDeviceId, 0x02, 0x060000, 0x00}, "i440fx") {
    // PCICMD: memory access and bus master are hardwired on; only SERR#/PERR# enables
    // are writable. PCISTS reads 0x0280 (DEVSEL medium, fast back-to-back).
    setConfig16(kCommand, kCmdMemSpace | kCmdBusMaster);
    setWriteMask16(kCommand, kCmdSerr | kCmdParityError);
    setWriteMask8(kInterruptLine, 0x00);  // the host bridge has no interrupt

    // Configuration registers firmware programs; pvx stores them (there is no DRAM to size):
    // PMCCFG 0x50-0x51, DETURBO 0x52, DBC 0x53, AXC 0x54, DRAMR 0x55-0x56, DRAMC 0x57,
    // DRAMT 0x58, DRB0-7 0x60-0x67, FDHC 0x68, MTT 0x70, CLT 0x71, ERRCMD 0x90, ERRSTS 0x91,
    // TRC 0x93.
    for (uint8_t r = 0x50; r <= 0x58; ++r) setWriteMask8(r, 0xFF);
    for (uint8_t r = 0x60; r <= 0x68; ++r) setWriteMask8(r, 0xFF);
    for (uint8_t r = 0x60; r <= 0x67; ++r) setConfig8(r, 0x01);  // DRB default 01h
    setWriteMask8(0x70, 0xF8);
    setConfig8(0x70, 0x20);
    setWriteMask8(0x71, 0xF8);
    setConfig8(0x71, 0x10);
    setWriteMask8(0x90, 0xFF);
    setWriteMask8(0x91, 0xFF);
    setWriteMask8(0x93, 0xFF);

    // PAM0 (0x59): bits 3:0 reserved, bits 7:4 the BIOS area 0xF0000-0xFFFFF. PAM1-6: two
    // 16 KiB segments each, low nibble first (0xC0000, 0xC4000, ... 0xEC000). Bit 3 of each
    // nibble is reserved. Default 0: everything goes to the PCI side (ROM).
    setWriteMask8(kPam0, 0x70);
    for (int i = 1; i < kPamCount; ++i) setWriteMask8(static_cast<uint8_t>(kPam0 + i), 0x77);

    setConfig8(kSmram, kSmramBaseSeg);
    setWriteMask8(kSmram, kSmramOpen | kSmramClose | kSmramLock | kSmramEnable);
}

I440fxHostBridge::ShadowAccess I440fxHostBridge::shadowAccess(uint32_t paddr) const {
    if (paddr < 0xC0000 || paddr > 0xFFFFF) return {};
    uint8_t nibble;
    if (paddr >= 0xF0000) {
        nibble = static_cast<uint8_t>(pam(0) >> 4);
    } else {
        unsigned seg = (paddr - 0xC0000) >> 14;  // 0..11, two per PAM register
        uint8_t reg = pam(static_cast<int>(1 + seg / 2));
        nibble = static_cast<uint8_t>(seg % 2 ? reg >> 4 : reg & 0xF);
    }
    return ShadowAccess{(nibble & kPamRead) != 0, (nibble & kPamWrite) != 0};
}

void I440fxHostBridge::configWritten(uint8_t offset, unsigned size) {
    bool touchesSmram = offset <= kSmram && kSmram < offset + size;
    if (touchesSmram && (smram() & kSmramLock)) {
        // SMRAM register: setting D_LCK clears D_OPEN and makes the register read-only until reset.
        setConfig8(kSmram, static_cast<uint8_t>(smram() & ~kSmramOpen));
        setWriteMask8(kSmram, 0x00);
    }
    bool changed = smram() != lastSmram_;
    for (int i = 0; i < kPamCount; ++i) changed |= pam(i) != lastPam_[i];
    if (!changed) return;
    for (int i = 0; i < kPamCount; ++i) lastPam_[i] = pam(i);
    lastSmram_ = smram();
    ++mapChanges;
    if (onMapChange_) onMapChange_();
}

void I440fxHostBridge::resetDevice() {
    setWriteMask8(kSmram, kSmramOpen | kSmramClose | kSmramLock | kSmramEnable);
    bool changed = smram() != lastSmram_;
    for (int i = 0; i < kPamCount; ++i) changed |= pam(i) != lastPam_[i];
    for (int i = 0; i < kPamCount; ++i) lastPam_[i] = pam(i);
    lastSmram_ = smram();
    if (changed && onMapChange_) onMapChange_();
}

}  // namespace pvx
