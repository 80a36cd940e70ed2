#include "cpu/fxsave.h"

#include <cstring>

namespace pvx::cpu {

namespace {
template <typename T> void put(uint8_t* p, T v) { std::memcpy(p, &v, sizeof(T)); }
template <typename T> T get(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}
}  // namespace

void fxsaveX87(const Cpu& c, uint8_t* img, bool format64) {
    const X87State& x = c.x87;
    put<uint16_t>(img + 0, x.fcw);
    put<uint16_t>(img + 2, x.fswValue());
    img[4] = x.abridgedTags();
    img[5] = 0;
    put<uint16_t>(img + 6, x.fop);
    if (format64) {
        put<uint64_t>(img + 8, x.fip);
        put<uint64_t>(img + 16, x.fdp);
    } else {
        put<uint32_t>(img + 8, static_cast<uint32_t>(x.fip));
        put<uint16_t>(img + 12, x.fcs);
        put<uint16_t>(img + 14, 0);
        put<uint32_t>(img + 16, static_cast<uint32_t>(x.fdp));
        put<uint16_t>(img + 20, x.fds);
        put<uint16_t>(img + 22, 0);
    }
    // Registers in stack order: ST(0) first (SDM Vol.2 Table 3-53 "ST0/MM0").
    for (unsigned i = 0; i < 8; ++i) {
        uint8_t* p = img + 32 + 16 * i;
        const fp::Float80& r = x.r[x.phys(i)];
        put<uint64_t>(p, r.mant);
        put<uint16_t>(p + 8, r.se);
        std::memset(p + 10, 0, 6);
    }
}

void fxsaveMxcsr(const Cpu& c, uint8_t* img) {
    put<uint32_t>(img + 24, c.mxcsr);
    put<uint32_t>(img + 28, kMxcsrMask);
}

void fxsaveSse(const Cpu& c, uint8_t* img, unsigned xmmCount) {
    for (unsigned i = 0; i < xmmCount; ++i) std::memcpy(img + 160 + 16 * i, c.xmm[i].b, 16);
}

uint32_t fxsaveImageMxcsr(const uint8_t* img) { return get<uint32_t>(img + 24); }

void fxrstorX87(Cpu& c, const uint8_t* img, bool format64) {
    X87State& x = c.x87;
    x.fcw = X87State::fcwValue(get<uint16_t>(img + 0));
    x.fsw = get<uint16_t>(img + 2);
    x.fop = get<uint16_t>(img + 6) & 0x7FF;
    if (format64) {
        x.fip = get<uint64_t>(img + 8);
        x.fdp = get<uint64_t>(img + 16);
        x.fcs = x.fds = 0;
    } else {
        x.fip = get<uint32_t>(img + 8);
        x.fcs = get<uint16_t>(img + 12);
        x.fdp = get<uint32_t>(img + 16);
        x.fds = get<uint16_t>(img + 20);
    }
    for (unsigned i = 0; i < 8; ++i) {
        const uint8_t* p = img + 32 + 16 * i;
        fp::Float80& r = x.r[x.phys(i)];
        r.mant = get<uint64_t>(p);
        r.se = get<uint16_t>(p + 8);
    }
    // The abridged tag says only empty / not empty; the full tag is recomputed from the values
    // (SDM Vol.1 10.5.1.1, Vol.2 FXRSTOR).
    const uint8_t ab = img[4];
    for (unsigned k = 0; k < 8; ++k) x.setTag(k, (ab >> k) & 1 ? X87State::tagFor(x.r[k]) : kTagEmpty);
}

void fxrstorMxcsr(Cpu& c, const uint8_t* img) { c.mxcsr = get<uint32_t>(img + 24); }

void fxrstorSse(Cpu& c, const uint8_t* img, unsigned xmmCount) {
    for (unsigned i = 0; i < xmmCount; ++i) std::memcpy(c.xmm[i].b, img + 160 + 16 * i, 16);
}

void fninitState(Cpu& c) {
    X87State& x = c.x87;
    x.fcw = 0x037F;
    x.fsw = 0;
    x.ftw = 0xFFFF;
    x.fop = 0;
    x.fip = x.fdp = 0;
    x.fcs = x.fds = 0;
}

void initX87(Cpu& c) {
    fninitState(c);
    for (auto& r : c.x87.r) r = fp::Float80{};
}

void initSse(Cpu& c) {
    for (auto& r : c.xmm) r = Xmm{};
}

}  // namespace pvx::cpu
