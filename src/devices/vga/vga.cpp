#include "devices/vga/vga.h"

#include <algorithm>
#include <cstring>

namespace pvx {

using namespace vga;

// The legacy window A0000h-BFFFFh as an MMIO region.
class Vga::LegacyWindow final : public MmioDevice {
public:
    explicit LegacyWindow(Vga& v) : v_(v) {}
    // One count per guest access (an "exit"), however wide.
    uint64_t mmioRead(uint64_t offset, unsigned size) override {
        ++v_.legacyReads;
        uint64_t r = 0;
        for (unsigned i = 0; i < size; ++i) r |= static_cast<uint64_t>(v_.legacyRead(static_cast<uint32_t>(offset + i))) << (8 * i);
        return r;
    }
    void mmioWrite(uint64_t offset, unsigned size, uint64_t value) override {
        ++v_.legacyWrites;
        for (unsigned i = 0; i < size; ++i) v_.legacyWrite(static_cast<uint32_t>(offset + i), static_cast<uint8_t>(value >> (8 * i)));
    }

private:
    Vga& v_;
};

// BAR0: video memory, linearly.
class Vga::LinearFramebuffer final : public MmioDevice {
public:
    explicit LinearFramebuffer(Vga& v) : v_(v) {}
    uint64_t mmioRead(uint64_t offset, unsigned size) override {
        ++v_.lfbReads;
        uint64_t r = 0;
        if (offset + size <= v_.vram_.size()) std::memcpy(&r, v_.vram_.data() + offset, size);
        return r;
    }
    void mmioWrite(uint64_t offset, unsigned size, uint64_t value) override {
        ++v_.lfbWrites;
        if (offset + size <= v_.vram_.size()) std::memcpy(v_.vram_.data() + offset, &value, size);
    }

private:
    Vga& v_;
};

Vga::Vga(PhysicalMemory& mem)
    : PciFunction(Identity{kVendor, kDeviceId, 0x02, 0x030000, 0x00, 0}, "vga"),
      mem_(mem),
      vram_(kVramBytes, 0),
      legacy_(std::make_unique<LegacyWindow>(*this)),
      lfb_(std::make_unique<LinearFramebuffer>(*this)) {
    defineBar(kLfbBar, BarKind::Mem32, kVramBytes, /*prefetchable=*/true);
    // Subsystem IDs as QEMU's std VGA has them (1AF4:1100).
    setConfig16(kSubsystemVendorId, 0x1AF4);
    setConfig16(kSubsystemVendorId + 2, 0x1100);
    resetDevice();
}

Vga::~Vga() {
    mem_.removeMmio(legacy_.get());
    mem_.removeMmio(lfb_.get());
}

void Vga::attach(PortBus& ports) {
    // Only the ports a VGA decodes (3BCh-3BEh stay free for a parallel port).
    ports.claim(0x3B4, 2, this, "vga");   // CRTC (monochrome I/O)
    ports.claim(0x3BA, 1, this, "vga");   // input status 1 / feature control (monochrome)
    ports.claim(0x3C0, 16, this, "vga");  // attribute, misc, sequencer, DAC, graphics
    ports.claim(0x3D4, 2, this, "vga");   // CRTC (colour I/O)
    ports.claim(0x3DA, 1, this, "vga");   // input status 1 / feature control (colour)
    ports.claim(kDispiIndexPort, 3, this, "vga-dispi");  // 1CEh index, 1CFh (and 1D0h) data
    mem_.addMmio(kLegacyBase, kLegacySize, legacy_.get(), "vga-legacy");
}

void Vga::resetDevice() {
    // Power-on: every register zero (the VGA BIOS programs a mode), DAC black, memory kept.
    s_ = VgaState{};
    s_.dispi[kDispiId] = kDispiId5;
    s_.dispi[kDispiBpp] = 8;
    s_.dispi[kDispiXres] = 640;
    s_.dispi[kDispiYres] = 480;
    s_.dispi[kDispiVideoMemory64K] = static_cast<uint16_t>(vram_.size() >> 16);
    statusReads_ = 0;
}

void Vga::barChanged(int index, std::optional<uint32_t> oldBase, std::optional<uint32_t> newBase) {
    if (index != kLfbBar) return;
    if (oldBase) mem_.removeMmio(lfb_.get());
    if (newBase) mem_.addMmio(*newBase, vram_.size(), lfb_.get(), "vga-lfb");
}

// --- ports -----------------------------------------------------------------------------------

uint32_t Vga::ioRead(uint16_t port, unsigned size) {
    ++ioReads;
    if (port >= kDispiIndexPort && port <= kDispiIndexPort + 2) {
        uint32_t v = port == kDispiIndexPort ? s_.dispiIndex : dispiRead();
        return size == 1 ? (v & 0xFF) : v;
    }
    uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i) v |= static_cast<uint32_t>(readPort(static_cast<uint16_t>(port + i))) << (8 * i);
    return v;
}

void Vga::ioWrite(uint16_t port, unsigned size, uint32_t value) {
    ++ioWrites;
    if (port >= kDispiIndexPort && port <= kDispiIndexPort + 2) {
        const uint16_t v = static_cast<uint16_t>(size == 1 ? value & 0xFF : value & 0xFFFF);
        if (port == kDispiIndexPort) s_.dispiIndex = v;
        else dispiWrite(v);
        return;
    }
    // A word OUT to an index port writes the index, then the data port (OUT DX, AX to 3C4h).
    for (unsigned i = 0; i < size; ++i) writePort(static_cast<uint16_t>(port + i), static_cast<uint8_t>(value >> (8 * i)));
}

uint8_t Vga::readPort(uint16_t port) {
    // The CRTC and input status 1 answer at 3Bxh or 3Dxh as misc output bit 0 selects.
    const bool mono = port >= 0x3B0 && port <= 0x3BF, color = port >= 0x3D0 && port <= 0x3DF;
    if ((mono && s_.colorIo()) || (color && !s_.colorIo())) return 0xFF;
    switch (port) {
        case 0x3B4: case 0x3D4: return s_.crtcIndex;
        case 0x3B5: case 0x3D5: return s_.crtcIndex < kCrtcRegs ? s_.crtc[s_.crtcIndex] : 0xFF;
        case 0x3BA: case 0x3DA: {
            // Input status 1: reading it resets the attribute flip-flop to "index". Bit 0
            // (display inactive) and bit 3 (vertical retrace) toggle from read to read so that
            // loops waiting for retrace start or end always finish.
            s_.attrFlipFlop = false;
            const uint32_t n = statusReads_++;
            return static_cast<uint8_t>((n & 1) | ((n >> 1) & 1) << 3);
        }
        case 0x3C0: return s_.attrIndex;
        case 0x3C1: return (s_.attrIndex & 0x1F) < kAttrRegs ? s_.attr[s_.attrIndex & 0x1F] : 0;
        case 0x3C2: return 0x00;  // input status 0
        case 0x3C3: return 0x01;  // video subsystem enabled
        case 0x3C4: return s_.seqIndex;
        case 0x3C5: return s_.seqIndex < kSeqRegs ? s_.seq[s_.seqIndex] : 0xFF;
        case 0x3C6: return s_.pelMask;
        case 0x3C7: return s_.dacLastWasRead ? 0x03 : 0x00;  // DAC state
        case 0x3C8: return s_.dacWriteIndex;
        case 0x3C9: return dacRead();
        case 0x3CA: return s_.featureControl;
        case 0x3CC: return s_.misc;
        case 0x3CE: return s_.gcIndex;
        case 0x3CF: return s_.gcIndex < kGcRegs ? s_.gc[s_.gcIndex] : 0xFF;
        default: return 0xFF;
    }
}

void Vga::writePort(uint16_t port, uint8_t v) {
    const bool mono = port >= 0x3B0 && port <= 0x3BF, color = port >= 0x3D0 && port <= 0x3DF;
    if ((mono && s_.colorIo()) || (color && !s_.colorIo())) return;
    switch (port) {
        case 0x3B4: case 0x3D4: s_.crtcIndex = v; break;
        case 0x3B5: case 0x3D5:
            if (s_.crtcIndex >= kCrtcRegs) break;
            // CR11 bit 7 write-protects CR00-CR07, except CR07 bit 4 (line compare bit 8).
            if ((s_.crtc[kCrVRetraceEnd] & 0x80) && s_.crtcIndex <= 7) {
                if (s_.crtcIndex == kCrOverflow)
                    s_.crtc[kCrOverflow] = static_cast<uint8_t>((s_.crtc[kCrOverflow] & ~0x10) | (v & 0x10));
                break;
            }
            s_.crtc[s_.crtcIndex] = v;
            break;
        case 0x3BA: case 0x3DA: s_.featureControl = v; break;
        case 0x3C0:
            // One port, two meanings: a flip-flop alternates between index and data.
            if (!s_.attrFlipFlop) {
                s_.attrIndex = v & 0x3F;
            } else if ((s_.attrIndex & 0x1F) < kAttrRegs) {
                const unsigned i = s_.attrIndex & 0x1F;
                s_.attr[i] = i < 0x10 ? (v & 0x3F) : v;
            }
            s_.attrFlipFlop = !s_.attrFlipFlop;
            break;
        case 0x3C2: s_.misc = v; break;
        case 0x3C4: s_.seqIndex = v; break;
        case 0x3C5: if (s_.seqIndex < kSeqRegs) s_.seq[s_.seqIndex] = v; break;
        case 0x3C6: s_.pelMask = v; break;
        case 0x3C7:
            s_.dacReadIndex = v;
            s_.dacComponent = 0;
            s_.dacLastWasRead = true;
            break;
        case 0x3C8:
            s_.dacWriteIndex = v;
            s_.dacComponent = 0;
            s_.dacLastWasRead = false;
            break;
        case 0x3C9: dacWrite(v); break;
        case 0x3CE: s_.gcIndex = v; break;
        case 0x3CF: if (s_.gcIndex < kGcRegs) s_.gc[s_.gcIndex] = v; break;
        default: break;
    }
}

// DAC: three writes (red, green, blue) fill an entry, then the index moves on.
void Vga::dacWrite(uint8_t v) {
    const bool wide = s_.dispi[kDispiEnable] & kDispi8BitDac;
    s_.dacPending[s_.dacComponent] = wide ? v : (v & 0x3F);
    if (++s_.dacComponent == 3) {
        s_.dac[s_.dacWriteIndex] = s_.dacPending;
        ++s_.dacWriteIndex;  // wraps at 256 (uint8_t)
        s_.dacComponent = 0;
    }
    s_.dacLastWasRead = false;
}

uint8_t Vga::dacRead() {
    const uint8_t v = s_.dac[s_.dacReadIndex][s_.dacComponent];
    if (++s_.dacComponent == 3) {
        ++s_.dacReadIndex;
        s_.dacComponent = 0;
    }
    s_.dacLastWasRead = true;
    return v;
}

// --- Bochs VBE dispi -------------------------------------------------------------------------

namespace {
unsigned bytesPerPixel(uint16_t bpp) { return bpp == 15 ? 2 : (bpp + 7) / 8; }
}  // namespace

uint16_t Vga::dispiRead() {
    const uint16_t i = s_.dispiIndex;
    if (i >= kDispiRegs) return 0;
    if (s_.dispi[kDispiEnable] & kDispiGetCaps) {
        // GETCAPS: XRES/YRES/BPP read as the maxima the adapter supports.
        if (i == kDispiXres) return kDispiMaxXres;
        if (i == kDispiYres) return kDispiMaxYres;
        if (i == kDispiBpp) return kDispiMaxBpp;
    }
    return s_.dispi[i];
}

void Vga::dispiWrite(uint16_t v) {
    auto& d = s_.dispi;
    const bool enabled = d[kDispiEnable] & kDispiEnabled;
    switch (s_.dispiIndex) {
        case kDispiId:
            if (v >= kDispiId0 && v <= kDispiId5) d[kDispiId] = v;
            break;
        case kDispiXres:
            if (!enabled && v <= kDispiMaxXres) d[kDispiXres] = static_cast<uint16_t>(v & ~7u);
            break;
        case kDispiYres:
            if (!enabled && v <= kDispiMaxYres) d[kDispiYres] = v;
            break;
        case kDispiBpp:
            if (enabled) break;
            if (v == 0) v = 8;
            if (v == 4 || v == 8 || v == 15 || v == 16 || v == 24 || v == 32) d[kDispiBpp] = v;
            break;
        case kDispiBank:
            if (static_cast<uint32_t>(v) << 16 < vram_.size()) d[kDispiBank] = v;
            break;
        case kDispiEnable: {
            if ((v & kDispiEnabled) && !enabled) {
                const uint64_t bpp = bytesPerPixel(d[kDispiBpp]);
                const uint64_t need = uint64_t{d[kDispiXres]} * d[kDispiYres] * bpp;
                if (d[kDispiXres] == 0 || d[kDispiYres] == 0 || need > vram_.size()) {
                    v &= static_cast<uint16_t>(~kDispiEnabled);  // a mode that does not fit stays off
                } else {
                    d[kDispiVirtWidth] = d[kDispiXres];
                    d[kDispiVirtHeight] = static_cast<uint16_t>(std::min<uint64_t>(vram_.size() / (d[kDispiXres] * bpp), 0xFFFF));
                    d[kDispiXOffset] = d[kDispiYOffset] = 0;
                    d[kDispiBank] = 0;
                    if (!(v & kDispiNoClearMem)) std::fill(vram_.begin(), vram_.end(), 0);
                }
            }
            d[kDispiEnable] = v & (kDispiEnabled | kDispiGetCaps | kDispi8BitDac | kDispiLfbEnabled | kDispiNoClearMem);
            break;
        }
        case kDispiVirtWidth: {
            const uint64_t bpp = bytesPerPixel(d[kDispiBpp]);
            if (v == 0 || v > 8192 || uint64_t{v} * bpp > vram_.size()) break;
            d[kDispiVirtWidth] = v;
            d[kDispiVirtHeight] = static_cast<uint16_t>(std::min<uint64_t>(vram_.size() / (v * bpp), 0xFFFF));
            break;
        }
        case kDispiVirtHeight: break;  // derived from the width and the memory size
        case kDispiXOffset:
        case kDispiYOffset:
            d[s_.dispiIndex] = v;
            break;
        default: break;  // ID-dependent read-only registers (VIDEO_MEMORY_64K)
    }
}

// --- the legacy window -----------------------------------------------------------------------

bool Vga::windowAddress(uint32_t offset, uint32_t& addr) const {
    // GR06 bits 3:2: 0 = A0000h 128 KiB, 1 = A0000h 64 KiB, 2 = B0000h 32 KiB, 3 = B8000h 32 KiB.
    switch ((s_.gc[kGrMisc] >> 2) & 3) {
        case 0: addr = offset; return offset < 0x20000;
        case 1: addr = offset; return offset < 0x10000;
        case 2: addr = offset - 0x10000; return offset >= 0x10000 && offset < 0x18000;
        default: addr = offset - 0x18000; return offset >= 0x18000 && offset < 0x20000;
    }
}

uint8_t Vga::legacyRead(uint32_t offset) {
    if (s_.dispiEnabled()) {
        // Banked access to the dispi framebuffer: 64 KiB at A0000h.
        if (offset >= 0x10000) return 0xFF;
        const uint64_t a = (uint64_t{s_.dispi[kDispiBank]} << 16) + offset;
        return a < vram_.size() ? vram_[a] : 0xFF;
    }
    uint32_t addr;
    if (!windowAddress(offset, addr)) return 0xFF;
    if (s_.seq[kSrMemoryMode] & 0x08)  // chain-4: plane = address bits 1:0
        return vram_[addr & (4 * kPlaneBytes - 1)];
    if (s_.gc[kGrMode] & 0x10) {  // odd/even: address bit 0 picks plane 0/1 (2/3 with GR04 bit 1)
        const unsigned plane = (s_.gc[kGrReadMap] & 2) | (addr & 1);
        return planeByte(plane, addr & ~1u);
    }
    const uint32_t o = addr & (kPlaneBytes - 1);
    for (unsigned p = 0; p < 4; ++p) s_.latch[p] = planeByte(p, o);
    if (!(s_.gc[kGrMode] & 0x08)) return s_.latch[s_.gc[kGrReadMap] & 3];
    // Read mode 1: colour compare over the planes GR07 selects.
    uint8_t r = 0xFF;
    for (unsigned p = 0; p < 4; ++p) {
        if (!(s_.gc[kGrColorDontCare] & (1u << p))) continue;
        const uint8_t want = (s_.gc[kGrColorCompare] >> p) & 1 ? 0xFF : 0x00;
        r &= static_cast<uint8_t>(~(s_.latch[p] ^ want));
    }
    return r;
}

uint8_t Vga::aluWrite(unsigned plane, uint8_t data) const {
    // GR03 bits 4:3: replace, AND, OR, XOR with the latch; then GR08 keeps latch bits.
    const uint8_t latch = s_.latch[plane];
    switch ((s_.gc[kGrDataRotate] >> 3) & 3) {
        case 1: data &= latch; break;
        case 2: data |= latch; break;
        case 3: data ^= latch; break;
        default: break;
    }
    const uint8_t mask = s_.gc[kGrBitMask];
    return static_cast<uint8_t>((data & mask) | (latch & ~mask));
}

void Vga::legacyWrite(uint32_t offset, uint8_t v) {
    if (s_.dispiEnabled()) {
        if (offset >= 0x10000) return;
        const uint64_t a = (uint64_t{s_.dispi[kDispiBank]} << 16) + offset;
        if (a < vram_.size()) vram_[a] = v;
        return;
    }
    uint32_t addr;
    if (!windowAddress(offset, addr)) return;
    const uint8_t mapMask = s_.seq[kSrMapMask] & 0x0F;
    if (s_.seq[kSrMemoryMode] & 0x08) {  // chain-4
        if (mapMask & (1u << (addr & 3))) vram_[addr & (4 * kPlaneBytes - 1)] = v;
        return;
    }
    if (!(s_.seq[kSrMemoryMode] & 0x04)) {  // odd/even: even addresses plane 0, odd plane 1
        const unsigned plane = addr & 1;
        if (mapMask & (1u << plane)) vram_[((addr & ~1u) & (kPlaneBytes - 1)) * 4 + plane] = v;
        return;
    }
    // Planar write modes 0-3 (VGA reference, graphics controller mode register).
    const uint32_t o = addr & (kPlaneBytes - 1);
    const unsigned rot = s_.gc[kGrDataRotate] & 7;
    const uint8_t rotated = static_cast<uint8_t>((v >> rot) | (v << ((8 - rot) & 7)));
    const uint8_t setReset = s_.gc[kGrSetReset], enableSr = s_.gc[kGrEnableSetReset];
    for (unsigned p = 0; p < 4; ++p) {
        if (!(mapMask & (1u << p))) continue;
        const uint8_t srByte = (setReset >> p) & 1 ? 0xFF : 0x00;
        uint8_t out;
        switch (s_.gc[kGrMode] & 3) {
            case 0: out = aluWrite(p, (enableSr >> p) & 1 ? srByte : rotated); break;
            case 1: out = s_.latch[p]; break;
            case 2: out = aluWrite(p, (v >> p) & 1 ? 0xFF : 0x00); break;
            default: {  // 3: rotated data ANDed into the bit mask, set/reset as the data
                const uint8_t mask = static_cast<uint8_t>(rotated & s_.gc[kGrBitMask]);
                const uint8_t latch = s_.latch[p];
                uint8_t data = srByte;
                switch ((s_.gc[kGrDataRotate] >> 3) & 3) {
                    case 1: data &= latch; break;
                    case 2: data |= latch; break;
                    case 3: data ^= latch; break;
                    default: break;
                }
                out = static_cast<uint8_t>((data & mask) | (latch & ~mask));
                break;
            }
        }
        vram_[o * 4 + p] = out;
    }
}

}  // namespace pvx
