// One Intel 8259A programmable interrupt controller, as the PC has two of (master and slave).
// Reference: Intel 8259A datasheet (order 231468), sections "Initialization Command Words",
// "Operation Command Words", "Interrupt Sequence", "Edge and Level Triggered Modes".
//
// This class is the chip alone: eight IR inputs, the INT output, the INTA cycle and the two
// register ports (A0 = 0 / 1). Pic8259Pair wires two of them into the PC's cascade.
#pragma once
#include <cstdint>

namespace pvx {

class Pic8259 {
public:
    explicit Pic8259(bool master) : master_(master) { reset(); }

    // Power-on state. The datasheet leaves it undefined until ICW1; pvx starts with every input
    // masked and the INT output held inactive until the first complete ICW sequence, so a guest
    // that never initialises the chip never sees a vector it did not choose.
    void reset();

    uint8_t readPort(unsigned a0);
    void writePort(unsigned a0, uint8_t value);

    // IR pin `ir` (0-7) is now at `level`.
    void setInput(unsigned ir, bool level);
    // Per-input level sensing from the chipset's ELCR (PIIX3 4D0h/4D1h); ICW1 LTIM makes all
    // eight inputs level sensitive regardless.
    void setLevelMask(uint8_t mask);

    // The INT pin: an unmasked request that out-ranks everything in service.
    bool interruptRequested() const;
    // The INTA cycle (also used by the poll command). Returns the IR level that was
    // acknowledged, or -1 when no request is present any more: the caller then supplies the
    // spurious vector (IR7), and no ISR bit is set (datasheet, "Interrupt Sequence" note).
    int acknowledge();

    uint8_t vectorBase() const { return icw2_ & 0xF8; }
    // Master only: ICW3 says a slave is cascaded on input `ir`.
    bool hasSlaveOn(unsigned ir) const { return master_ && !single_ && ((icw3_ >> ir) & 1); }
    // Slave only: the cascade address (ICW3 bits 2-0) this chip answers INTA for.
    unsigned slaveId() const { return icw3_ & 7; }
    bool initialized() const { return initialized_; }

    uint8_t irr() const { return irr_; }
    uint8_t isr() const { return isr_; }
    uint8_t imr() const { return imr_; }
    bool autoEoi() const { return aeoi_; }
    bool specialMaskMode() const { return smm_; }
    unsigned lowestPriority() const { return lowest_; }

private:
    enum class Expect : uint8_t { Ocw, Icw2, Icw3, Icw4 };

    void writeIcw1(uint8_t v);
    void writeOcw2(uint8_t v);
    void writeOcw3(uint8_t v);
    uint8_t edgeMask() const { return ltim_ ? 0 : static_cast<uint8_t>(~levelMask_); }
    int highestRequest() const;
    int highestInService() const;

    bool master_;
    bool initialized_ = false;
    Expect expect_ = Expect::Ocw;
    bool icw4Needed_ = false;
    bool single_ = false;
    bool ltim_ = false;
    bool aeoi_ = false;
    bool sfnm_ = false;
    bool rotateOnAeoi_ = false;
    bool smm_ = false;
    bool readIsr_ = false;
    bool poll_ = false;
    uint8_t icw2_ = 0;
    uint8_t icw3_ = 0;
    uint8_t icw4_ = 0;
    uint8_t irr_ = 0;
    uint8_t isr_ = 0;
    uint8_t imr_ = 0xFF;
    uint8_t pins_ = 0;
    uint8_t levelMask_ = 0;
    unsigned lowest_ = 7;  // the IR with the lowest priority; lowest_+1 (mod 8) is the highest
};

}  // namespace pvx
