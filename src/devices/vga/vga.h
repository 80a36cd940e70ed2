// The "standard VGA" PCI display adapter of QEMU and Bochs (PCI 1234:1111, class 03 00 00) at
// 00:02.0: the IBM VGA register set at 3B4h-3DAh, the legacy memory window A0000h-BFFFFh with
// the VGA's planar memory (IBM VGA Technical Reference: sequencer memory mode, graphics
// controller read/write modes), the Bochs VBE "dispi" interface at 1CEh/1CFh, and BAR0, a
// 16 MiB prefetchable linear framebuffer (Linux's bochs DRM driver and vesafb use it).
//
// The legacy ports and window are decoded whatever the PCI command register says (a VGA is a
// legacy device; QEMU and Bochs do the same); BAR0 is decoded when memory space is enabled.
// The device only stores state; vga_renderer.h turns it into pixels.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "common/port_bus.h"
#include "devices/pci/pci_function.h"
#include "devices/vga/vga_state.h"
#include "mmu/mmio.h"
#include "mmu/phys_memory.h"

namespace pvx {

class Vga final : public PciFunction, public PortDevice {
public:
    static constexpr uint16_t kVendor = 0x1234;
    static constexpr uint16_t kDeviceId = 0x1111;
    static constexpr uint64_t kLegacyBase = 0xA0000;
    static constexpr uint64_t kLegacySize = 0x20000;
    static constexpr int kLfbBar = 0;

    explicit Vga(PhysicalMemory& mem);
    ~Vga() override;

    // Claims the VGA and dispi ports and maps the legacy window.
    void attach(PortBus& ports);

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;

    // The legacy window A0000h-BFFFFh; `offset` from A0000h.
    uint8_t legacyRead(uint32_t offset);
    void legacyWrite(uint32_t offset, uint8_t value);

    const vga::VgaState& state() const { return s_; }
    const std::vector<uint8_t>& vram() const { return vram_; }
    // Byte `offset` of plane `plane` (0-3), offset < 64 KiB.
    uint8_t planeByte(unsigned plane, uint32_t offset) const { return vram_[(offset & (vga::kPlaneBytes - 1)) * 4 + (plane & 3)]; }
    // Video memory size the dispi interface reports, bytes.
    uint32_t vramBytes() const { return static_cast<uint32_t>(vram_.size()); }

    // Counters (the emulated "exits" of the display).
    uint64_t ioReads = 0, ioWrites = 0;
    uint64_t legacyReads = 0, legacyWrites = 0;
    uint64_t lfbReads = 0, lfbWrites = 0;

protected:
    void barChanged(int index, std::optional<uint32_t> oldBase, std::optional<uint32_t> newBase) override;
    void resetDevice() override;

private:
    class LegacyWindow;
    class LinearFramebuffer;

    uint8_t readPort(uint16_t port);
    void writePort(uint16_t port, uint8_t v);
    uint16_t dispiRead();
    void dispiWrite(uint16_t v);
    void dacWrite(uint8_t v);
    uint8_t dacRead();
    // Maps a window offset through GR06's memory map select; false if outside the window.
    bool windowAddress(uint32_t offset, uint32_t& addr) const;
    uint8_t aluWrite(unsigned plane, uint8_t cpuData) const;

    PhysicalMemory& mem_;
    vga::VgaState s_;
    std::vector<uint8_t> vram_;
    std::unique_ptr<LegacyWindow> legacy_;
    std::unique_ptr<LinearFramebuffer> lfb_;
    uint32_t statusReads_ = 0;  // drives the retrace bits of input status 1
};

}  // namespace pvx
