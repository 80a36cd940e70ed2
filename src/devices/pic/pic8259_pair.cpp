#include "devices/pic/pic8259_pair.h"

namespace pvx {

namespace {
// PIIX3 ELCR: IRQ0, 1, 2, 8 and 13 are edge-only; their ELCR bits are reserved and read 0.
constexpr uint8_t kElcrWritable[2] = {0xF8, 0xDE};
}  // namespace

Pic8259Pair::Pic8259Pair() {
    for (unsigned n = 0; n < 16; ++n)
        lines_[n].connect([this, n](bool level) { inputChanged(n, level); });
}

void Pic8259Pair::attach(PortBus& bus) {
    bus.claim(kMasterPort, 2, this, "pic-master");
    bus.claim(kSlavePort, 2, this, "pic-slave");
    bus.claim(kElcrPort, 2, this, "elcr");
}

void Pic8259Pair::reset() {
    master_.reset();
    slave_.reset();
    elcr_ = {0, 0};
    master_.setLevelMask(0);
    slave_.setLevelMask(0);
    slaveInt_ = false;
    master_.setInput(kCascadeIr, false);
    update();
}

void Pic8259Pair::inputChanged(unsigned n, bool level) {
    if (n == kCascadeIr) return;  // the cascade: see the header
    if (n < 8) master_.setInput(n, level);
    else slave_.setInput(n - 8, level);
    update();
}

// Propagates the slave's INT to master IR2 and tells the CPU side when INTR may have moved.
void Pic8259Pair::update() {
    bool s = slave_.interruptRequested();
    if (s != slaveInt_) {
        slaveInt_ = s;
        master_.setInput(kCascadeIr, s);
    }
    bool intr = master_.interruptRequested();
    if (intr != lastIntr_) {
        lastIntr_ = intr;
        if (onIntrChanged) onIntrChanged();
    }
}

uint8_t Pic8259Pair::acknowledge() {
    ++interruptsAcknowledged;
    const int m = master_.acknowledge();
    uint8_t vector;
    if (m < 0) {
        // Nothing requesting by the time of INTA: the 8259A answers with IR7's vector and sets
        // no ISR bit.
        ++spuriousInterrupts;
        vector = master_.vectorBase() | 7;
    } else if (master_.hasSlaveOn(static_cast<unsigned>(m))) {
        if (slave_.initialized() && slave_.slaveId() == static_cast<unsigned>(m)) {
            const int s = slave_.acknowledge();
            if (s < 0) {
                // The slave's request vanished: it answers with its IR7 (IRQ15) vector while
                // the master's IR2 stays in service -- why OSes EOI the master on IRQ15.
                ++spuriousInterrupts;
                vector = slave_.vectorBase() | 7;
            } else {
                vector = static_cast<uint8_t>(slave_.vectorBase() | s);
            }
            // The slave drives INT afresh after the INTA sequence if it still has a request
            // that out-ranks its in-service levels (e.g. in AEOI mode): present that to the
            // master as a new edge so it is not lost behind the consumed latch.
            if (slave_.interruptRequested()) {
                master_.setInput(kCascadeIr, false);
                master_.setInput(kCascadeIr, true);
                slaveInt_ = true;
            }
        } else {
            // No slave is programmed for this cascade address: nothing drives the data bus
            // and the CPU reads the pulled-up lines.
            vector = 0xFF;
        }
    } else {
        vector = static_cast<uint8_t>(master_.vectorBase() | m);
    }
    update();
    return vector;
}

uint8_t Pic8259Pair::readByte(uint16_t port) {
    switch (port) {
    case kMasterPort:
    case kMasterPort + 1: return master_.readPort(port & 1);
    case kSlavePort:
    case kSlavePort + 1: return slave_.readPort(port & 1);
    case kElcrPort:
    case kElcrPort + 1: return elcr_[port & 1];
    default: return 0xFF;
    }
}

void Pic8259Pair::writeByte(uint16_t port, uint8_t v) {
    switch (port) {
    case kMasterPort:
    case kMasterPort + 1: master_.writePort(port & 1, v); break;
    case kSlavePort:
    case kSlavePort + 1: slave_.writePort(port & 1, v); break;
    case kElcrPort:
        elcr_[0] = v & kElcrWritable[0];
        master_.setLevelMask(elcr_[0]);
        break;
    case kElcrPort + 1:
        elcr_[1] = v & kElcrWritable[1];
        slave_.setLevelMask(elcr_[1]);
        break;
    default: break;
    }
}

// Wider accesses reach the ISA bus as consecutive byte cycles (the chipset splits them).
uint32_t Pic8259Pair::ioRead(uint16_t port, unsigned size) {
    ++ioReads;
    uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; ++i)
        v |= static_cast<uint32_t>(readByte(static_cast<uint16_t>(port + i))) << (8 * i);
    update();  // a poll read is an INTA
    return v;
}

void Pic8259Pair::ioWrite(uint16_t port, unsigned size, uint32_t value) {
    ++ioWrites;
    for (unsigned i = 0; i < size && i < 4; ++i)
        writeByte(static_cast<uint16_t>(port + i), static_cast<uint8_t>(value >> (8 * i)));
    update();
}

}  // namespace pvx
