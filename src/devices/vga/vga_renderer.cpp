#include "devices/vga/vga_renderer.h"

#include <algorithm>

namespace pvx {

using namespace vga;

namespace {

constexpr unsigned kBlankWidth = 640, kBlankHeight = 480, kMinSide = 64;

void blank(VgaFrame& out, unsigned w, unsigned h) {
    out.width = w;
    out.height = h;
    out.pixels.assign(static_cast<size_t>(w) * h, 0);
}

// Attribute controller: a 4-bit pixel value -> the 8-bit DAC index (palette register, then
// AR10 bit 7 / AR14 for bits 5:4 and AR14 for bits 7:6).
uint8_t attributeToDac(const VgaState& s, uint8_t value) {
    const uint8_t pal = s.attr[value & 0x0F];
    const uint8_t sel = s.attr[kArColorSelect];
    uint8_t idx = (s.attr[kArModeControl] & 0x80) ? static_cast<uint8_t>((pal & 0x0F) | (sel & 0x03) << 4) : (pal & 0x3F);
    return static_cast<uint8_t>(idx | (sel & 0x0C) << 4);
}

// CRT geometry shared by the VGA modes.
struct Geometry {
    unsigned charClocks;  // CR01 + 1
    unsigned lines;       // vertical display end + 1
    unsigned scan;        // scan lines per character row / per pixel row
};

Geometry geometry(const VgaState& s) {
    const unsigned ov = s.crtc[kCrOverflow];
    const unsigned vde = s.crtc[kCrVDisplayEnd] | ((ov >> 1) & 1) << 8 | ((ov >> 6) & 1) << 9;
    return {s.crtc[kCrHDisplayEnd] + 1u, vde + 1u, (s.crtc[kCrMaxScanLine] & 0x1Fu) + 1};
}

// Plane 2 offset of character map m (SR03 map number 0-7).
uint32_t fontBase(unsigned m) {
    static constexpr uint32_t kBase[8] = {0x0000, 0x4000, 0x8000, 0xC000, 0x2000, 0x6000, 0xA000, 0xE000};
    return kBase[m & 7];
}

void renderText(const Vga& v, VgaFrame& out, const VgaRenderOptions& opt) {
    const VgaState& s = v.state();
    const Geometry g = geometry(s);
    const unsigned dotw = (s.seq[kSrClocking] & 1) ? 8 : 9;
    const unsigned cols = g.charClocks, rows = g.lines / g.scan;
    if (rows == 0) return blank(out, kBlankWidth, kBlankHeight);
    const unsigned w = cols * dotw, h = rows * g.scan;
    out.width = w;
    out.height = h;
    out.pixels.assign(static_cast<size_t>(w) * h, 0);

    uint32_t palette[16];
    for (uint8_t i = 0; i < 16; ++i) palette[i] = vgaDacColor(s, attributeToDac(s, i));
    const uint8_t sr3 = s.seq[kSrCharMapSelect];
    const uint32_t mapA = fontBase(((sr3 >> 5) & 1) << 2 | ((sr3 >> 2) & 3));  // attribute bit 3 set
    const uint32_t mapB = fontBase(((sr3 >> 4) & 1) << 2 | (sr3 & 3));
    const bool blinkEnable = s.attr[kArModeControl] & 0x08;
    const bool lineGraphics = s.attr[kArModeControl] & 0x04;
    const unsigned stride = s.crtc[kCrOffset] * 2u;  // character positions per row (word mode)
    const uint8_t curStart = s.crtc[kCrCursorStart] & 0x1F, curEnd = s.crtc[kCrCursorEnd] & 0x1F;
    const bool cursorOn = !(s.crtc[kCrCursorStart] & 0x20) && opt.blinkOn && curStart <= curEnd;
    const uint16_t cursor = s.cursorAddress();

    for (unsigned r = 0; r < rows; ++r) {
        for (unsigned c = 0; c < cols; ++c) {
            const uint16_t addr = static_cast<uint16_t>(s.startAddress() + r * stride + c);
            const uint32_t off = static_cast<uint32_t>(addr) * 2;  // word mode: cells at even plane offsets
            const uint8_t ch = v.planeByte(0, off), at = v.planeByte(1, off);
            uint8_t fg = at & 0x0F, bg = at >> 4;
            if (blinkEnable) {
                bg &= 7;
                if ((at & 0x80) && !opt.blinkOn) fg = bg;
            }
            const uint32_t glyph = ((at & 0x08) ? mapA : mapB) + ch * 32u;
            const bool isCursor = cursorOn && addr == cursor;
            for (unsigned line = 0; line < g.scan; ++line) {
                uint8_t bits = line < 32 ? v.planeByte(2, glyph + line) : 0;
                bool ninth = dotw == 9 && lineGraphics && ch >= 0xC0 && ch <= 0xDF && (bits & 1);
                if (isCursor && line >= curStart && line <= curEnd) {
                    bits = 0xFF;
                    ninth = true;
                }
                uint32_t* px = &out.pixels[static_cast<size_t>(r * g.scan + line) * w + c * dotw];
                for (unsigned x = 0; x < 8; ++x) px[x] = palette[(bits >> (7 - x)) & 1 ? fg : bg];
                if (dotw == 9) px[8] = palette[ninth ? fg : bg];
            }
        }
    }
}

void renderGraphics(const Vga& v, VgaFrame& out) {
    const VgaState& s = v.state();
    const Geometry g = geometry(s);
    unsigned rowsPerPixel = g.scan * ((s.crtc[kCrMaxScanLine] & 0x80) ? 2 : 1);
    const unsigned h = g.lines / rowsPerPixel;
    if (h == 0) return blank(out, kBlankWidth, kBlankHeight);
    if (s.gc[kGrMode] & 0x20) return blank(out, kBlankWidth, kBlankHeight);  // CGA interleave: not modelled
    const bool mode256 = s.gc[kGrMode] & 0x40;
    const unsigned w = g.charClocks * (mode256 ? 4 : 8);
    out.width = w;
    out.height = h;
    out.pixels.assign(static_cast<size_t>(w) * h, 0);
    const uint32_t start = s.startAddress();
    if (mode256) {
        uint32_t dac[256];
        for (unsigned i = 0; i < 256; ++i) dac[i] = vgaDacColor(s, static_cast<uint8_t>(i));
        const bool chain4 = s.seq[kSrMemoryMode] & 0x08;
        for (unsigned y = 0; y < h; ++y) {
            for (unsigned x = 0; x < w; ++x) {
                uint8_t p;
                if (chain4) {
                    p = v.vram()[(start * 4 + y * s.crtc[kCrOffset] * 8u + x) & (4 * kPlaneBytes - 1)];
                } else {  // unchained ("mode X"): pixel x in plane x mod 4
                    p = v.planeByte(x & 3, start + y * s.crtc[kCrOffset] * 2u + x / 4);
                }
                out.pixels[static_cast<size_t>(y) * w + x] = dac[p];
            }
        }
        return;
    }
    uint32_t palette[16];
    for (uint8_t i = 0; i < 16; ++i) palette[i] = vgaDacColor(s, attributeToDac(s, i));
    const uint8_t enable = s.attr[kArPlaneEnable] & 0x0F;
    for (unsigned y = 0; y < h; ++y) {
        for (unsigned x = 0; x < w; ++x) {
            const uint32_t off = start + y * s.crtc[kCrOffset] * 2u + x / 8;
            uint8_t value = 0;
            for (unsigned p = 0; p < 4; ++p) value |= ((v.planeByte(p, off) >> (7 - (x & 7))) & 1) << p;
            out.pixels[static_cast<size_t>(y) * w + x] = palette[value & enable];
        }
    }
}

void renderDispi(const Vga& v, VgaFrame& out) {
    const VgaState& s = v.state();
    const unsigned w = s.dispi[kDispiXres], h = s.dispi[kDispiYres], bpp = s.dispi[kDispiBpp];
    if (w == 0 || h == 0 || bpp == 4) return blank(out, w ? w : kBlankWidth, h ? h : kBlankHeight);
    out.width = w;
    out.height = h;
    out.pixels.assign(static_cast<size_t>(w) * h, 0);
    const unsigned bytes = bpp == 15 ? 2 : bpp / 8;
    const uint64_t line = uint64_t{s.dispi[kDispiVirtWidth]} * bytes;
    const uint64_t origin = uint64_t{s.dispi[kDispiYOffset]} * line + uint64_t{s.dispi[kDispiXOffset]} * bytes;
    const std::vector<uint8_t>& mem = v.vram();
    uint32_t dac[256];
    if (bytes == 1)
        for (unsigned i = 0; i < 256; ++i) dac[i] = vgaDacColor(s, static_cast<uint8_t>(i));
    for (unsigned y = 0; y < h; ++y) {
        for (unsigned x = 0; x < w; ++x) {
            const uint64_t a = origin + y * line + uint64_t{x} * bytes;
            if (a + bytes > mem.size()) continue;  // past video memory: black
            const uint8_t* p = &mem[a];
            uint32_t rgb;
            switch (bpp) {
                case 8: rgb = dac[p[0]]; break;
                case 15: {
                    const unsigned c = p[0] | p[1] << 8;
                    const unsigned r = (c >> 10) & 31, gr = (c >> 5) & 31, b = c & 31;
                    rgb = (r << 3 | r >> 2) << 16 | (gr << 3 | gr >> 2) << 8 | (b << 3 | b >> 2);
                    break;
                }
                case 16: {
                    const unsigned c = p[0] | p[1] << 8;
                    const unsigned r = (c >> 11) & 31, gr = (c >> 5) & 63, b = c & 31;
                    rgb = (r << 3 | r >> 2) << 16 | (gr << 2 | gr >> 4) << 8 | (b << 3 | b >> 2);
                    break;
                }
                default: rgb = static_cast<uint32_t>(p[2]) << 16 | p[1] << 8 | p[0]; break;  // 24/32: B, G, R(, X)
            }
            out.pixels[static_cast<size_t>(y) * w + x] = rgb;
        }
    }
}

}  // namespace

uint32_t vgaDacColor(const VgaState& s, uint8_t index) {
    const auto& e = s.dac[index & s.pelMask];
    if (s.dispi[kDispiEnable] & kDispi8BitDac) return static_cast<uint32_t>(e[0]) << 16 | e[1] << 8 | e[2];
    auto scale = [](uint8_t c) { return static_cast<uint32_t>((c & 0x3F) << 2 | (c & 0x3F) >> 4); };
    return scale(e[0]) << 16 | scale(e[1]) << 8 | scale(e[2]);
}

void renderVga(const Vga& v, VgaFrame& out, const VgaRenderOptions& opt) {
    const VgaState& s = v.state();
    if (s.dispiEnabled()) return renderDispi(v, out);
    if (s.gc[kGrMisc] & 1) renderGraphics(v, out);
    else renderText(v, out, opt);
    // Timings too small to be a mode anyone displays (the all-zero power-on registers): blank.
    if (out.width < kMinSide || out.height < kMinSide) return blank(out, kBlankWidth, kBlankHeight);
    // Palette address source clear (attribute controller being programmed) or the sequencer's
    // screen-off bit: the screen shows black at the mode's size.
    if (!(s.attrIndex & kArIndexPas) || (s.seq[kSrClocking] & 0x20)) std::fill(out.pixels.begin(), out.pixels.end(), 0);
}

}  // namespace pvx
