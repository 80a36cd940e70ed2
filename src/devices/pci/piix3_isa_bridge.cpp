#include "devices/pci/piix3_isa_bridge.h"

namespace pvx {

Piix3IsaBridge::Piix3IsaBridge()
    : PciFunction(Identity{kVendor, kDeviceId, 0x00, 0x060100, kHeaderMultiFunction}, "piix3-isa") {
    // PCICMD: I/O space, memory space and bus master are hardwired on for the ISA bridge; only
    // SERR#/PERR# enables are writable. PCISTS 0x0200 (DEVSEL medium).
    setConfig16(kCommand, kCmdIoSpace | kCmdMemSpace | kCmdBusMaster);
    setWriteMask16(kCommand, kCmdSerr | kCmdParityError);
    setConfig16(kStatus, kStatusDevselMedium);
    setWriteMask8(kInterruptLine, 0x00);

    // Stored registers with their datasheet defaults: IORT 0x4C, XBCS 0x4E-0x4F, TOM 0x69,
    // MSTAT 0x6A-0x6B, MBIRQ0/1 0x70-0x71, MBDMA0/1 0x76-0x77, PCSC 0x78-0x79, APICBASE 0x80,
    // DLC 0x82, and the SMI block 0xA0-0xAF.
    setConfig8(0x4C, 0x4D);
    setWriteMask8(0x4C, 0xFF);
    setConfig16(0x4E, 0x0003);
    setWriteMask16(0x4E, 0x07FF);
    setConfig8(0x69, 0x02);
    setWriteMask8(0x69, 0xFF);
    setWriteMask16(0x6A, 0xFFFF);
    for (uint8_t r = 0x70; r <= 0x71; ++r) {
        setConfig8(r, 0x80);
        setWriteMask8(r, 0xCF);
    }
    for (uint8_t r = 0x76; r <= 0x77; ++r) {
        setConfig8(r, 0x0C);
        setWriteMask8(r, 0x8F);
    }
    setConfig16(0x78, 0x0002);
    setWriteMask16(0x78, 0xFFFF);
    setWriteMask8(0x80, 0x3F);
    setWriteMask8(0x82, 0x0F);
    setConfig8(0xA0, 0x08);
    setConfig8(0xA8, 0x0F);
    for (uint8_t r = 0xA0; r <= 0xAF; ++r) setWriteMask8(r, 0xFF);

    // PIRQRC[A:D]: bit 7 IRQROUTEN (1 = disabled, the default), bits 3:0 the ISA IRQ,
    // bits 6:4 reserved.
    for (uint8_t r = kPirqRoute0; r < kPirqRoute0 + 4; ++r) {
        setConfig8(r, kPirqDisabled);
        setWriteMask8(r, 0x8F);
    }
}

void Piix3IsaBridge::attach(PortBus& bus) { bus.claim(kResetControlPort, 1, this, "piix3-rc"); }

uint8_t Piix3IsaBridge::pirqRoute(unsigned n) const {
    if (n > 3) return kPirqDisabled;
    uint8_t v = config8(static_cast<uint8_t>(kPirqRoute0 + n));
    if (v & kPirqDisabled) return kPirqDisabled;
    uint8_t irq = v & 0x0F;
    // IRQ 0, 1, 2, 8 and 13 are reserved routing values (timer, keyboard, cascade, RTC, FPU).
    if (irq <= 2 || irq == 8 || irq == 13) return kPirqDisabled;
    return irq;
}

void Piix3IsaBridge::configWritten(uint8_t offset, unsigned size) {
    if (offset < kPirqRoute0 + 4 && kPirqRoute0 < offset + size && onRouting_) onRouting_();
}

void Piix3IsaBridge::resetDevice() { resetControl_ = 0; }

uint32_t Piix3IsaBridge::ioRead(uint16_t, unsigned) {
    ++resetControlAccesses;
    return resetControl_;
}

void Piix3IsaBridge::ioWrite(uint16_t, unsigned, uint32_t value) {
    ++resetControlAccesses;
    uint8_t v = static_cast<uint8_t>(value) & (kRcSystemReset | kRcResetCpu);
    bool start = (v & kRcResetCpu) && !(resetControl_ & kRcResetCpu);
    resetControl_ = v;
    if (!start) return;
    ++resetRequests;
    // The reset this starts also clears RCPU, so the next 0->1 write starts another one even if
    // the machine does not reset this device.
    resetControl_ &= static_cast<uint8_t>(~kRcResetCpu);
    if (onReset_) onReset_((v & kRcSystemReset) != 0);
}

}  // namespace pvx
