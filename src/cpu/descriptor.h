// Segment and gate descriptor decoding (SDM Vol.3A 3.4.5, 5.8.3, 6.11, 6.14.1).
#pragma once
#include <cstdint>

#include "cpu/cpu_state.h"

namespace pvx::cpu {

class Cpu;

struct Descriptor {
    uint64_t base = 0;
    uint32_t limit = 0;
    uint16_t attr = 0;  // same layout as Segment::attr

    static Descriptor decode(uint64_t raw) {
        Descriptor d;
        d.base = ((raw >> 16) & 0xFFFFFF) | (((raw >> 56) & 0xFF) << 24);
        uint32_t lim = static_cast<uint32_t>((raw & 0xFFFF) | (((raw >> 48) & 0xF) << 16));
        d.attr = static_cast<uint16_t>(((raw >> 40) & 0xFF) | (((raw >> 52) & 0xF) << 8));
        d.limit = (d.attr & Segment::kG) ? (lim << 12) | 0xFFF : lim;
        return d;
    }
    unsigned type() const { return attr & 0xF; }
    unsigned dpl() const { return (attr >> 5) & 3; }
    bool present() const { return attr & Segment::kP; }
    bool isSystem() const { return !(attr & Segment::kS); }
    bool isCode() const { return !isSystem() && (attr & Segment::kCode); }
    bool isData() const { return !isSystem() && !(attr & Segment::kCode); }
    bool conforming() const { return isCode() && (attr & Segment::kDC); }
    bool readable() const { return isCode() && (attr & Segment::kRW); }
    bool writable() const { return isData() && (attr & Segment::kRW); }
    bool l() const { return attr & Segment::kL; }
    bool db() const { return attr & Segment::kDB; }
};

// A call/interrupt/trap gate. In long mode gates are 16 bytes with a 64-bit offset.
struct Gate {
    uint16_t selector = 0;
    uint64_t offset = 0;
    unsigned type = 0, dpl = 0, ist = 0, paramCount = 0;
    bool present = false;

    static Gate decode(uint64_t lo, uint64_t hi, bool longMode) {
        Gate g;
        g.selector = static_cast<uint16_t>(lo >> 16);
        g.offset = (lo & 0xFFFF) | (((lo >> 48) & 0xFFFF) << 16);
        if (longMode) g.offset |= (hi & 0xFFFFFFFF) << 32;
        g.type = (lo >> 40) & 0xF;
        g.dpl = (lo >> 45) & 3;
        g.present = (lo >> 47) & 1;
        g.ist = (lo >> 32) & 7;
        g.paramCount = (lo >> 32) & 0x1F;
        return g;
    }
};

void loadCodeSegment(Cpu& c, uint16_t sel, const Descriptor& d, unsigned newCpl);
// The inner stack for privilege `dpl` from the current TSS (legacy SS:ESP or 64-bit RSPn).
void tssStack(Cpu& c, unsigned dpl, uint16_t& ss, uint64_t& sp);
// Validates SS for a stack switch to privilege `dpl` (#TS/#SS on failure).
Descriptor checkNewStack(Cpu& c, uint16_t ss, unsigned dpl);
// After a return to an outer level: null data segment registers the new CPL may not use.
void nullInaccessibleSegments(Cpu& c);

}  // namespace pvx::cpu
