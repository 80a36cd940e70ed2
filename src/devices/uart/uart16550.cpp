#include "devices/uart/uart16550.h"

#include <cstdio>

namespace pvx {

Uart16550::Uart16550(uint16_t base, IrqLine& irq, CharBackend& backend)
    : base_(base), irq_(irq), backend_(backend) {
    reset();
}

std::string Uart16550::portName() const {
    switch (base_) {
    case 0x3F8: return "uart-com1";
    case 0x2F8: return "uart-com2";
    case 0x3E8: return "uart-com3";
    case 0x2E8: return "uart-com4";
    default: {
        char buf[16];
        std::snprintf(buf, sizeof buf, "uart-%04x", base_);
        return buf;
    }
    }
}

void Uart16550::attach(PortBus& bus) { bus.claim(base_, 8, this, portName()); }

void Uart16550::reset() {
    ier_ = 0;
    lcr_ = 0;
    mcr_ = 0;
    lsrErrors_ = 0;
    fifoEnabled_ = false;
    rxTrigger_ = 1;
    fcrDma_ = 0;
    clearRx();
    threPending_ = false;
    msrInputs_ = modemInputs();
    msrDeltas_ = 0;
    updateIrq();
}

// --- receiver ------------------------------------------------------------------------------

void Uart16550::clearRx() {
    rxHead_ = 0;
    rxCount_ = 0;
    timeoutPending_ = false;
    rxActivity_ = false;
}

void Uart16550::receive(uint8_t v) {
    rxActivity_ = true;
    timeoutPending_ = false;  // a new character restarts the timeout count
    if (rxCount_ < rxCapacity()) {
        rx_[(rxHead_ + rxCount_) % kFifoSize] = v;
        ++rxCount_;
        return;
    }
    // Overrun (LSR bit 1). With FIFOs the character in the shift register is lost and the FIFO
    // kept; without, the new character overwrites the unread one in RBR.
    lsrErrors_ |= kLsrOe;
    ++overruns;
    if (!fifoEnabled_) rx_[rxHead_] = v;
}

uint8_t Uart16550::popRx() {
    rxActivity_ = true;
    timeoutPending_ = false;  // reading a character clears the timeout interrupt
    if (rxCount_ == 0) return lastRx_;  // RBR keeps showing the last character
    lastRx_ = rx_[rxHead_];
    rxHead_ = (rxHead_ + 1) % kFifoSize;
    --rxCount_;
    return lastRx_;
}

void Uart16550::pollInput() {
    bool got = false;
    // In loopback the receiver input is wired to the transmitter; SIN is ignored.
    if (!(mcr_ & kMcrLoop)) {
        while (rxCount_ < rxCapacity()) {
            const int c = backend_.readByte();
            if (c < 0) break;
            receive(static_cast<uint8_t>(c));
            ++bytesIn;
            got = true;
        }
    }
    // The character timer: data waiting, nothing received or read for a whole poll interval.
    if (fifoEnabled_ && rxCount_ > 0 && !got && !rxActivity_) timeoutPending_ = true;
    rxActivity_ = false;
    updateIrq();
}

// --- transmitter ---------------------------------------------------------------------------

void Uart16550::transmit(uint8_t v) {
    if (mcr_ & kMcrLoop) {
        receive(v);  // loopback: TSR feeds RSR internally; SOUT stays marking
    } else {
        backend_.write(&v, 1);
        ++bytesOut;
    }
    // Writing THR clears a THRE interrupt; the infinitely fast transmitter empties THR again at
    // once, which is a new THRE event.
    threPending_ = true;
}

// --- modem signals -------------------------------------------------------------------------

// MSR bits 7-4 (DCD, RI, DSR, CTS). In loopback they are OUT2, OUT1, DTR and RTS; otherwise
// pvx presents a connected terminal: carrier, data set ready and clear to send, no ring.
uint8_t Uart16550::modemInputs() const {
    if (mcr_ & kMcrLoop) {
        return static_cast<uint8_t>(((mcr_ & kMcrRts) << 3) | ((mcr_ & kMcrDtr) << 5) |
                                    ((mcr_ & kMcrOut1) << 4) | ((mcr_ & kMcrOut2) << 4));
    }
    return 0xB0;
}

void Uart16550::updateModemInputs() {
    const uint8_t now = modemInputs();
    const uint8_t changed = now ^ msrInputs_;
    if (changed & 0x10) msrDeltas_ |= 0x01;                        // DCTS
    if (changed & 0x20) msrDeltas_ |= 0x02;                        // DDSR
    if ((msrInputs_ & 0x40) && !(now & 0x40)) msrDeltas_ |= 0x04;  // TERI: RI trailing edge
    if (changed & 0x80) msrDeltas_ |= 0x08;                        // DDCD
    msrInputs_ = now;
}

// --- interrupts ----------------------------------------------------------------------------

// IIR bits 3-0 by priority (Table IV): line status, received data, character timeout,
// transmitter holding register empty, modem status; 1 = nothing pending.
uint8_t Uart16550::interruptId() const {
    if ((ier_ & kIerRls) && lsrErrors_) return 0x06;
    if (ier_ & kIerRda) {
        if (rxCount_ >= (fifoEnabled_ ? rxTrigger_ : 1u)) return 0x04;
        if (fifoEnabled_ && timeoutPending_ && rxCount_ > 0) return 0x0C;
    }
    if ((ier_ & kIerThre) && threPending_) return 0x02;
    if ((ier_ & kIerMsi) && msrDeltas_) return 0x00;
    return 0x01;
}

void Uart16550::updateIrq() {
    const bool pending = !(interruptId() & 1);
    irq_.set(pending && (mcr_ & kMcrOut2) && !(mcr_ & kMcrLoop));
}

// --- registers -----------------------------------------------------------------------------

uint8_t Uart16550::readReg(unsigned offset) {
    const bool dlab = lcr_ & 0x80;
    switch (offset) {
    case kRbrThrDll: return dlab ? dll_ : popRx();
    case kIerDlm: return dlab ? dlm_ : ier_;
    case kIirFcr: {
        const uint8_t id = interruptId();
        // Reading IIR clears a THRE interrupt when it is the one reported (Table IV).
        if (id == 0x02) threPending_ = false;
        return static_cast<uint8_t>(id | (fifoEnabled_ ? 0xC0 : 0));
    }
    case kLcr: return lcr_;
    case kMcr: return mcr_;
    case kLsr: {
        const uint8_t v = static_cast<uint8_t>((rxCount_ ? kLsrDr : 0) | lsrErrors_ | kLsrThre | kLsrTemt);
        lsrErrors_ = 0;  // reading LSR clears OE/PE/FE/BI
        return v;
    }
    case kMsr: {
        const uint8_t v = static_cast<uint8_t>(msrInputs_ | msrDeltas_);
        msrDeltas_ = 0;
        return v;
    }
    default: return scr_;
    }
}

void Uart16550::writeReg(unsigned offset, uint8_t v) {
    const bool dlab = lcr_ & 0x80;
    switch (offset) {
    case kRbrThrDll:
        if (dlab) dll_ = v;
        else transmit(v);
        break;
    case kIerDlm:
        if (dlab) {
            dlm_ = v;
        } else {
            // Enabling ETBEI while THR is empty (always, here) raises THRE at once.
            if (!(ier_ & kIerThre) && (v & kIerThre)) threPending_ = true;
            ier_ = v & 0x0F;
        }
        break;
    case kIirFcr:
        // FCR. Changing bit 0 clears both FIFOs; the other bits are only programmed while bit 0
        // is written as 1 (datasheet 8.4).
        if (bool(v & 1) != fifoEnabled_) clearRx();
        fifoEnabled_ = v & 1;
        if (fifoEnabled_) {
            if (v & 0x02) clearRx();
            // bit 2 clears the transmit FIFO, which is always empty here
            fcrDma_ = v & 0x08;
            static constexpr unsigned kTrigger[4] = {1, 4, 8, 14};
            rxTrigger_ = kTrigger[v >> 6];
        }
        break;
    case kLcr: lcr_ = v; break;
    case kMcr:
        mcr_ = v & 0x1F;
        updateModemInputs();
        break;
    case kLsr:
    case kMsr: break;  // factory test registers: writes are not used by software
    default: scr_ = v; break;
    }
}

uint32_t Uart16550::ioRead(uint16_t port, unsigned size) {
    ++ioReads;
    uint32_t v = 0;
    for (unsigned b = 0; b < size && b < 4; ++b) {
        const unsigned off = static_cast<uint16_t>(port + b) - base_;
        const uint8_t byte = off < 8 ? readReg(off) : 0xFF;
        v |= static_cast<uint32_t>(byte) << (8 * b);
    }
    updateIrq();
    return v;
}

void Uart16550::ioWrite(uint16_t port, unsigned size, uint32_t value) {
    ++ioWrites;
    for (unsigned b = 0; b < size && b < 4; ++b) {
        const unsigned off = static_cast<uint16_t>(port + b) - base_;
        if (off < 8) writeReg(off, static_cast<uint8_t>(value >> (8 * b)));
    }
    updateIrq();
}

}  // namespace pvx
