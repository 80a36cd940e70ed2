#include "devices/ata/piix_ide.h"

namespace pvx {

PiixIde::PiixIde(AtaChannel& primary, AtaChannel& secondary, PhysicalMemory& memory, PortBus& ports)
    : PciFunction(Identity{kVendor, kDeviceId, 0x00, 0x010180, 0x00}, "piix3-ide"),
      ports_(ports),
      primaryDma_(primary, memory, [this] { return busMasterEnabled(); }),
      secondaryDma_(secondary, memory, [this] { return busMasterEnabled(); }) {
    // PCICMD: I/O space enable and bus master enable are the only writable bits.
    // PCISTS 0x0280: fast back-to-back capable, DEVSEL medium.
    setWriteMask16(kCommand, kCmdIoSpace | kCmdBusMaster);
    setConfig16(kStatus, kStatusDevselMedium | kStatusFastBackToBack);
    // BMIBA: 16 bytes of I/O; bits 31:16 reserved as zero.
    defineBar(kBusMasterBar, BarKind::Io, kBusMasterBytes);
    // IDETIM primary/secondary (bit 15 IDE decode enable, timing fields; bits 11:10 reserved)
    // and SIDETIM.
    setWriteMask16(kIdeTimPrimary, 0xF3FF);
    setWriteMask16(kIdeTimSecondary, 0xF3FF);
    setWriteMask8(0x44, 0xFF);
}

PiixIde::~PiixIde() {
    if (std::optional<uint32_t> base = barAddress(kBusMasterBar))
        ports_.release(static_cast<uint16_t>(*base), kBusMasterBytes);
}

void PiixIde::barChanged(int index, std::optional<uint32_t> oldBase, std::optional<uint32_t> newBase) {
    if (index != kBusMasterBar) return;
    if (oldBase) ports_.release(static_cast<uint16_t>(*oldBase), kBusMasterBytes);
    if (newBase) ports_.claim(static_cast<uint16_t>(*newBase), kBusMasterBytes, this, "piix3-ide-bm");
}

void PiixIde::resetDevice() {
    primaryDma_.reset();
    secondaryDma_.reset();
}

uint32_t PiixIde::ioRead(uint16_t port, unsigned size) {
    ++busMasterAccesses;
    std::optional<uint32_t> base = barAddress(kBusMasterBar);
    if (!base) return 0xFFFFFFFF;
    uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i) {
        uint32_t off = port + i - *base;
        uint32_t b = off < kBusMasterBytes ? busMaster(off >> 3).readByte(off & 7) : 0xFF;
        v |= b << (8 * i);
    }
    return v;
}

void PiixIde::ioWrite(uint16_t port, unsigned size, uint32_t value) {
    ++busMasterAccesses;
    std::optional<uint32_t> base = barAddress(kBusMasterBar);
    if (!base) return;
    // Status and PRD-pointer bytes first, command bytes last: a wide write that clears the
    // status and sets start in one go must not clear the interrupt the started transfer sets.
    for (int pass = 0; pass < 2; ++pass) {
        for (unsigned i = 0; i < size; ++i) {
            uint32_t off = port + i - *base;
            if (off >= kBusMasterBytes || ((off & 7) == 0) != (pass == 1)) continue;
            busMaster(off >> 3).writeByte(off & 7, static_cast<uint8_t>(value >> (8 * i)));
        }
    }
}

}  // namespace pvx
