// The register file of a VGA (IBM VGA Technical Reference, "Registers": general, sequencer,
// CRT controller, graphics controller, attribute controller, DAC) plus the Bochs VBE "dispi"
// registers, as plain data: the device (vga.h) changes it, the renderer (vga_renderer.h) and
// the tests read it.
#pragma once
#include <array>
#include <cstdint>

namespace pvx::vga {

// Register counts.
constexpr unsigned kSeqRegs = 5;      // SR00-SR04
constexpr unsigned kCrtcRegs = 0x19;  // CR00-CR18
constexpr unsigned kGcRegs = 9;       // GR00-GR08
constexpr unsigned kAttrRegs = 0x15;  // AR00-AR14

// Sequencer.
constexpr uint8_t kSrClocking = 1;        // bit 0: 8-dot characters, bit 5: screen off
constexpr uint8_t kSrMapMask = 2;         // planes written by the CPU
constexpr uint8_t kSrCharMapSelect = 3;
constexpr uint8_t kSrMemoryMode = 4;      // bit 2: odd/even disable, bit 3: chain-4
// CRT controller.
constexpr uint8_t kCrHDisplayEnd = 0x01;
constexpr uint8_t kCrOverflow = 0x07;
constexpr uint8_t kCrMaxScanLine = 0x09;  // bits 4:0 scan lines per row - 1, bit 7 double scan
constexpr uint8_t kCrCursorStart = 0x0A;  // bits 4:0 first line, bit 5 cursor off
constexpr uint8_t kCrCursorEnd = 0x0B;
constexpr uint8_t kCrStartHigh = 0x0C;
constexpr uint8_t kCrStartLow = 0x0D;
constexpr uint8_t kCrCursorHigh = 0x0E;
constexpr uint8_t kCrCursorLow = 0x0F;
constexpr uint8_t kCrVRetraceEnd = 0x11;  // bit 7 protects CR00-CR07
constexpr uint8_t kCrVDisplayEnd = 0x12;
constexpr uint8_t kCrOffset = 0x13;
constexpr uint8_t kCrUnderline = 0x14;    // bit 6 doubleword addressing
constexpr uint8_t kCrModeControl = 0x17;  // bit 6 byte (1) / word (0) mode
// Graphics controller.
constexpr uint8_t kGrSetReset = 0;
constexpr uint8_t kGrEnableSetReset = 1;
constexpr uint8_t kGrColorCompare = 2;
constexpr uint8_t kGrDataRotate = 3;      // bits 2:0 rotate count, bits 4:3 logical function
constexpr uint8_t kGrReadMap = 4;
constexpr uint8_t kGrMode = 5;            // bits 1:0 write mode, bit 3 read mode, bit 4 odd/even, bit 6 256-colour
constexpr uint8_t kGrMisc = 6;            // bit 0 graphics, bits 3:2 memory map
constexpr uint8_t kGrColorDontCare = 7;
constexpr uint8_t kGrBitMask = 8;
// Attribute controller.
constexpr uint8_t kArModeControl = 0x10;  // bit 0 graphics, bit 2 line graphics, bit 3 blink, bit 6 8-bit pixels, bit 7 P5:P4 from AR14
constexpr uint8_t kArOverscan = 0x11;
constexpr uint8_t kArPlaneEnable = 0x12;
constexpr uint8_t kArPixelPan = 0x13;
constexpr uint8_t kArColorSelect = 0x14;
constexpr uint8_t kArIndexPas = 0x20;     // palette address source: 1 = display on

// Bochs VBE "dispi" interface (ports 0x1CE index / 0x1CF data).
constexpr uint16_t kDispiIndexPort = 0x1CE;
constexpr uint16_t kDispiDataPort = 0x1CF;
enum DispiIndex : uint16_t {
    kDispiId = 0,
    kDispiXres = 1,
    kDispiYres = 2,
    kDispiBpp = 3,
    kDispiEnable = 4,
    kDispiBank = 5,
    kDispiVirtWidth = 6,
    kDispiVirtHeight = 7,
    kDispiXOffset = 8,
    kDispiYOffset = 9,
    kDispiVideoMemory64K = 10,
    kDispiRegs = 11,
};
constexpr uint16_t kDispiId0 = 0xB0C0;
constexpr uint16_t kDispiId5 = 0xB0C5;
constexpr uint16_t kDispiEnabled = 0x01;
constexpr uint16_t kDispiGetCaps = 0x02;
constexpr uint16_t kDispi8BitDac = 0x20;
constexpr uint16_t kDispiLfbEnabled = 0x40;
constexpr uint16_t kDispiNoClearMem = 0x80;
constexpr uint16_t kDispiMaxXres = 2560;
constexpr uint16_t kDispiMaxYres = 1600;
constexpr uint16_t kDispiMaxBpp = 32;

// Video memory: 16 MiB (BAR0). The four VGA planes interleave in its first 256 KiB: byte `o`
// of plane `p` is vram[o * 4 + p], so chain-4 (mode 13h) address a is simply vram[a] and the
// dispi modes see the same bytes linearly.
constexpr uint32_t kVramBytes = 16u << 20;
constexpr uint32_t kPlaneBytes = 64u << 10;

struct VgaState {
    uint8_t misc = 0;          // miscellaneous output (3C2h write, 3CCh read); bit 0: CRTC at 3Dxh
    uint8_t featureControl = 0;
    uint8_t seqIndex = 0;
    std::array<uint8_t, kSeqRegs> seq{};
    uint8_t crtcIndex = 0;
    std::array<uint8_t, kCrtcRegs> crtc{};
    uint8_t gcIndex = 0;
    std::array<uint8_t, kGcRegs> gc{};
    uint8_t attrIndex = 0;     // including the PAS bit
    bool attrFlipFlop = false; // false: the next 3C0h write is an index
    std::array<uint8_t, kAttrRegs> attr{};
    // DAC (3C6h-3C9h): 256 entries of 6-bit (or 8-bit with dispi 8BIT_DAC) red, green, blue.
    uint8_t pelMask = 0xFF;
    uint8_t dacReadIndex = 0, dacWriteIndex = 0;
    uint8_t dacComponent = 0;  // 0-2 within the current entry
    bool dacLastWasRead = false;
    std::array<uint8_t, 3> dacPending{};
    std::array<std::array<uint8_t, 3>, 256> dac{};
    std::array<uint8_t, 4> latch{};
    uint16_t dispiIndex = 0;
    std::array<uint16_t, kDispiRegs> dispi{};

    bool colorIo() const { return misc & 1; }
    bool dispiEnabled() const { return dispi[kDispiEnable] & kDispiEnabled; }
    uint16_t startAddress() const { return static_cast<uint16_t>(crtc[kCrStartHigh] << 8 | crtc[kCrStartLow]); }
    uint16_t cursorAddress() const { return static_cast<uint16_t>(crtc[kCrCursorHigh] << 8 | crtc[kCrCursorLow]); }
};

}  // namespace pvx::vga
