#include "devices/i8042/i8042.h"

namespace pvx {

I8042::I8042(IrqLine& irq1, IrqLine& irq12) : irq1_(irq1), irq12_(irq12) { reset(); }

void I8042::attach(PortBus& bus) {
    // 61h between them belongs to port B (the PIT folder).
    bus.claim(kDataPort, 1, this, "i8042");
    bus.claim(kCommandPort, 1, this, "i8042");
}

void I8042::reset() {
    kbd_.reset();
    xlat_.reset();
    ram_.fill(0);
    ram_[0] = kResetCommandByte;
    replyHead_ = replyCount_ = 0;
    obf_ = obAux_ = false;
    ob_ = 0;
    lastWasCommand_ = false;
    timeout_ = false;
    pendingCommand_ = 0;
    outPort_ = kResetOutputPort;
    if (onA20) onA20(a20());
    updateIrqs();
}

// --- output buffer -------------------------------------------------------------------------

void I8042::controllerReply(uint8_t v, bool aux) {
    if (replyCount_ == replies_.size()) return;  // a guest flooding commands loses replies
    replies_[(replyHead_ + replyCount_) % replies_.size()] = Reply{v, aux};
    ++replyCount_;
}

// Moves the next byte into the empty output buffer: controller replies first, then keyboard
// data while the keyboard interface is enabled (command byte bit 4 clear holds the keyboard's
// clock low, so its bytes wait in the keyboard).
void I8042::refill() {
    while (!obf_) {
        if (replyCount_) {
            const Reply r = replies_[replyHead_];
            replyHead_ = (replyHead_ + 1) % replies_.size();
            --replyCount_;
            ob_ = r.byte;
            obAux_ = r.aux;
            obf_ = true;
        } else if (!(ram_[0] & kCmdKbdDisable) && kbd_.hasData()) {
            const uint8_t b = kbd_.pop();
            if (ram_[0] & kCmdXlat) {
                uint8_t out;
                if (!xlat_.feed(b, out)) continue;  // F0h: folded into the next byte
                ob_ = out;
            } else {
                ob_ = b;
            }
            obAux_ = false;
            obf_ = true;
        } else {
            break;
        }
    }
    updateIrqs();
}

void I8042::updateIrqs() {
    irq1_.set(obf_ && !obAux_ && (ram_[0] & kCmdKbdInt));
    irq12_.set(obf_ && obAux_ && (ram_[0] & kCmdAuxInt));
}

uint8_t I8042::status() const {
    uint8_t s = kStatUnlocked;
    if (obf_) s |= kStatObf;
    if (obf_ && obAux_) s |= kStatAuxb;
    if (ram_[0] & kCmdSys) s |= kStatSys;
    if (lastWasCommand_) s |= kStatA2;
    if (timeout_) s |= kStatTimeout;
    return s;
}

uint8_t I8042::outputPort() const {
    uint8_t v = outPort_ & 0xCF;
    if (obf_ && !obAux_) v |= 0x10;
    if (obf_ && obAux_) v |= 0x20;
    return v;
}

// --- A20 and reset -------------------------------------------------------------------------

void I8042::setA20(bool on) {
    const bool was = a20();
    outPort_ = static_cast<uint8_t>(on ? outPort_ | 0x02 : outPort_ & ~0x02);
    (void)was;
    if (onA20) onA20(on);  // the line is shared with port 92h: every write drives it
}

void I8042::requestReset() {
    ++resetRequests;
    if (resetRequest) resetRequest();
}

void I8042::writeOutputPort(uint8_t v) {
    setA20(v & 0x02);
    outPort_ = static_cast<uint8_t>((v & 0xCF) | (outPort_ & 0x30));
    // Bit 0 drives the CPU reset line, active low.
    if (!(v & 0x01)) {
        outPort_ |= 0x01;  // the reset restarts the machine; the line does not stay asserted
        requestReset();
    }
}

// --- ports ---------------------------------------------------------------------------------

uint8_t I8042::readData() {
    const uint8_t v = ob_;  // an empty buffer reads its last contents again
    if (obf_) {
        obf_ = false;
        timeout_ = false;
        updateIrqs();  // IRQ1/IRQ12 drop here, so the next byte is a fresh edge
        refill();
    }
    return v;
}

void I8042::writeData(uint8_t v) {
    lastWasCommand_ = false;
    const uint8_t cmd = pendingCommand_;
    pendingCommand_ = 0;
    if (cmd >= 0x60 && cmd <= 0x7F) {
        ram_[cmd & 0x1F] = v;  // 60h: the command byte
    } else if (cmd == 0xD1) {
        writeOutputPort(v);
    } else if (cmd == 0xD2) {
        controllerReply(v, false);  // as if the keyboard had sent it (not translated)
    } else if (cmd == 0xD3) {
        controllerReply(v, true);   // as if the auxiliary device had sent it
    } else if (cmd == 0xD4) {
        // Byte for the auxiliary device: none is attached, so the transmission times out and
        // the controller reports FEh from the aux port with the timeout bit set.
        timeout_ = true;
        controllerReply(0xFE, true);
    } else {
        kbd_.receive(v);
    }
    refill();
}

void I8042::writeCommand(uint8_t v) {
    lastWasCommand_ = true;
    pendingCommand_ = 0;
    if (v >= 0x20 && v <= 0x3F) {
        controllerReply(ram_[v & 0x1F]);  // read controller RAM; 20h = the command byte
    } else if ((v >= 0x60 && v <= 0x7F) || v == 0xD1 || v == 0xD2 || v == 0xD3 || v == 0xD4) {
        pendingCommand_ = v;
    } else if (v >= 0xF0) {
        // Pulse output port bits 3-0 low for 6 us where the command's bit is 0. Only bit 0
        // (reset) has an effect that outlasts the pulse.
        if (!(v & 0x01)) requestReset();
    } else {
        switch (v) {
        case 0xA4: controllerReply(0xF1); break;  // password not installed
        case 0xA7: ram_[0] |= kCmdAuxDisable; break;
        case 0xA8: ram_[0] &= static_cast<uint8_t>(~kCmdAuxDisable); break;
        case 0xA9: controllerReply(0x00); break;  // aux interface test: lines OK
        case 0xAA:
            // Self test passes; the controller sets the system flag.
            ram_[0] |= kCmdSys;
            controllerReply(0x55);
            break;
        case 0xAB: controllerReply(0x00); break;  // keyboard interface test: OK
        case 0xAD: ram_[0] |= kCmdKbdDisable; break;
        case 0xAE: ram_[0] &= static_cast<uint8_t>(~kCmdKbdDisable); break;
        case 0xC0: controllerReply(0xB0); break;  // input port: not inhibited, jumpers open
        case 0xD0: controllerReply(outputPort()); break;
        case 0xDD: setA20(false); break;  // A20 disable/enable (HP Vectra extension, common)
        case 0xDF: setA20(true); break;
        case 0xE0: controllerReply(0x00); break;  // test inputs
        default: break;  // unknown commands are ignored
        }
    }
    refill();
}

uint32_t I8042::ioRead(uint16_t port, unsigned size) {
    ++ioReads;
    uint32_t v = 0;
    for (unsigned b = 0; b < size && b < 4; ++b) {
        const uint16_t p = static_cast<uint16_t>(port + b);
        uint8_t byte = 0xFF;
        if (p == kDataPort) byte = readData();
        else if (p == kCommandPort) byte = status();
        v |= static_cast<uint32_t>(byte) << (8 * b);
    }
    return v;
}

void I8042::ioWrite(uint16_t port, unsigned size, uint32_t value) {
    ++ioWrites;
    for (unsigned b = 0; b < size && b < 4; ++b) {
        const uint16_t p = static_cast<uint16_t>(port + b);
        const uint8_t v = static_cast<uint8_t>(value >> (8 * b));
        if (p == kDataPort) writeData(v);
        else if (p == kCommandPort) writeCommand(v);
    }
}

// --- host input ----------------------------------------------------------------------------

void I8042::keyEvent(std::span<const uint8_t> set2Make, bool release) {
    kbd_.keyEvent(set2Make, release);
    refill();
}

void I8042::keySequence(std::span<const uint8_t> set2Bytes) {
    kbd_.sendSet2(set2Bytes);
    refill();
}

}  // namespace pvx
