#include "devices/pic/pic8259.h"

namespace pvx {

void Pic8259::reset() {
    initialized_ = false;
    expect_ = Expect::Ocw;
    icw4Needed_ = single_ = ltim_ = false;
    aeoi_ = sfnm_ = rotateOnAeoi_ = smm_ = readIsr_ = poll_ = false;
    icw2_ = icw3_ = icw4_ = 0;
    irr_ = isr_ = 0;
    imr_ = 0xFF;
    lowest_ = 7;
    // pins_ and levelMask_ are wiring and chipset state, not the chip's: a reset of the chip
    // does not change what the devices drive.
}

// --- inputs --------------------------------------------------------------------------------

void Pic8259::setInput(unsigned ir, bool level) {
    const uint8_t bit = static_cast<uint8_t>(1u << (ir & 7));
    const bool was = pins_ & bit;
    if (level) pins_ |= bit;
    else pins_ &= static_cast<uint8_t>(~bit);
    if (edgeMask() & bit) {
        // Edge mode: a low-to-high transition latches the request. The datasheet says IRR also
        // drops if the input goes low before INTA; pvx deliberately keeps the latch, because
        // IrqLine::pulse() is pvx's way of signalling an ISA edge and it returns the line to
        // low immediately. Consequence: an edge request that vanishes early is delivered
        // rather than turned into a spurious IR7.
        if (level && !was) irr_ |= bit;
    } else {
        // Level mode: IRR follows the pin (datasheet, "Edge and Level Triggered Modes").
        if (level) irr_ |= bit;
        else irr_ &= static_cast<uint8_t>(~bit);
    }
}

void Pic8259::setLevelMask(uint8_t mask) {
    levelMask_ = mask;
    // Inputs that are level sensitive now reflect their pins at once.
    const uint8_t lvl = static_cast<uint8_t>(~edgeMask());
    irr_ = static_cast<uint8_t>((irr_ & ~lvl) | (pins_ & lvl));
}

// --- priority resolution -------------------------------------------------------------------

int Pic8259::highestInService() const {
    for (unsigned p = 0; p < 8; ++p) {
        unsigned ir = (lowest_ + 1 + p) & 7;
        if (isr_ & (1u << ir)) return static_cast<int>(ir);
    }
    return -1;
}

int Pic8259::highestRequest() const {
    const uint8_t req = irr_ & static_cast<uint8_t>(~imr_);
    if (!req) return -1;
    // Special mask mode: a level masked in IMR no longer inhibits lower priorities even though
    // its ISR bit is set ("Special Mask Mode" in the datasheet).
    const uint8_t inService = smm_ ? static_cast<uint8_t>(isr_ & ~imr_) : isr_;
    for (unsigned p = 0; p < 8; ++p) {
        unsigned ir = (lowest_ + 1 + p) & 7;
        uint8_t bit = static_cast<uint8_t>(1u << ir);
        if (inService & bit) {
            // Special fully nested mode (ICW4 SFNM, master): a new request from a slave whose
            // cascade input is in service is still recognised, so the slave's own higher
            // priorities can nest.
            if (sfnm_ && hasSlaveOn(ir) && (req & bit)) return static_cast<int>(ir);
            return -1;
        }
        if (req & bit) return static_cast<int>(ir);
    }
    return -1;
}

bool Pic8259::interruptRequested() const {
    if (!initialized_ || expect_ != Expect::Ocw) return false;
    return highestRequest() >= 0;
}

int Pic8259::acknowledge() {
    int ir = (initialized_ && expect_ == Expect::Ocw) ? highestRequest() : -1;
    if (ir < 0) return -1;
    const uint8_t bit = static_cast<uint8_t>(1u << ir);
    // The edge latch is consumed by INTA; a level input keeps IRR high for as long as the
    // device drives it, so it interrupts again after EOI unless the device lets go.
    if (edgeMask() & bit) irr_ &= static_cast<uint8_t>(~bit);
    if (!aeoi_) {
        isr_ |= bit;
    } else if (rotateOnAeoi_) {
        // AEOI with rotation: the level just serviced becomes the lowest priority (OCW2 R=1,
        // SL=0, EOI=0).
        lowest_ = static_cast<unsigned>(ir);
    }
    return ir;
}

// --- registers -----------------------------------------------------------------------------

uint8_t Pic8259::readPort(unsigned a0) {
    if (a0 & 1) return imr_;  // OCW1 reads back
    if (poll_) {
        // Poll command: this read is the INTA. Bit 7 = a request was pending, bits 2-0 = level.
        poll_ = false;
        int ir = acknowledge();
        return ir < 0 ? 0x00 : static_cast<uint8_t>(0x80 | ir);
    }
    return readIsr_ ? isr_ : irr_;
}

void Pic8259::writePort(unsigned a0, uint8_t v) {
    if (!(a0 & 1)) {
        if (v & 0x10) writeIcw1(v);
        else if (v & 0x08) writeOcw3(v);
        else writeOcw2(v);
        return;
    }
    switch (expect_) {
    case Expect::Icw2:
        icw2_ = v;
        expect_ = single_ ? (icw4Needed_ ? Expect::Icw4 : Expect::Ocw) : Expect::Icw3;
        break;
    case Expect::Icw3:
        icw3_ = v;
        expect_ = icw4Needed_ ? Expect::Icw4 : Expect::Ocw;
        break;
    case Expect::Icw4:
        // Bit 0 uPM (8086 mode), 1 AEOI, 2-3 buffered mode, 4 SFNM. MCS-80/85 mode (uPM=0) would
        // make INTA a three-byte CALL; an x86 PC never uses it, so pvx supplies the 8086 vector
        // either way.
        icw4_ = v;
        aeoi_ = v & 0x02;
        sfnm_ = v & 0x10;
        expect_ = Expect::Ocw;
        break;
    case Expect::Ocw:
        imr_ = v;  // OCW1
        return;
    }
    if (expect_ == Expect::Ocw) initialized_ = true;  // the last ICW of the sequence
}

void Pic8259::writeIcw1(uint8_t v) {
    // ICW1 (datasheet "Initialization Command Words"): the edge sense circuit is reset, IMR is
    // cleared, IR7 gets the lowest priority, special mask mode is cleared, the slave address is
    // set to 7, and the status read is set to IRR. Without IC4 every ICW4 function is cleared.
    icw4Needed_ = v & 0x01;
    single_ = v & 0x02;
    ltim_ = v & 0x08;
    imr_ = 0;
    isr_ = 0;
    lowest_ = 7;
    smm_ = false;
    readIsr_ = false;
    poll_ = false;
    rotateOnAeoi_ = false;
    icw3_ = 7;
    if (!icw4Needed_) {
        icw4_ = 0;
        aeoi_ = false;
        sfnm_ = false;
    }
    // After the edge-sense reset an edge input needs a fresh low-to-high transition; level
    // inputs read their pins.
    irr_ = static_cast<uint8_t>(pins_ & ~edgeMask());
    expect_ = Expect::Icw2;
}

void Pic8259::writeOcw2(uint8_t v) {
    const unsigned level = v & 7;
    int ir = -1;
    switch (v >> 5) {
    case 0:  // rotate in automatic EOI mode: clear
        rotateOnAeoi_ = false;
        break;
    case 1:  // non-specific EOI: the highest-priority level in service ends
        ir = highestInService();
        if (ir >= 0) isr_ &= static_cast<uint8_t>(~(1u << ir));
        break;
    case 2:  // no operation
        break;
    case 3:  // specific EOI
        isr_ &= static_cast<uint8_t>(~(1u << level));
        break;
    case 4:  // rotate in automatic EOI mode: set
        rotateOnAeoi_ = true;
        break;
    case 5:  // rotate on non-specific EOI
        ir = highestInService();
        if (ir >= 0) {
            isr_ &= static_cast<uint8_t>(~(1u << ir));
            lowest_ = static_cast<unsigned>(ir);
        }
        break;
    case 6:  // set priority: `level` becomes the lowest
        lowest_ = level;
        break;
    case 7:  // rotate on specific EOI
        isr_ &= static_cast<uint8_t>(~(1u << level));
        lowest_ = level;
        break;
    }
}

void Pic8259::writeOcw3(uint8_t v) {
    if (v & 0x40) smm_ = v & 0x20;   // ESMM: SMM bit is meaningful
    if (v & 0x04) poll_ = true;      // P
    if (v & 0x02) readIsr_ = v & 0x01;  // RR: RIS selects ISR (1) or IRR (0)
}

}  // namespace pvx
