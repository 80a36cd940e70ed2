#include "devices/i8042/ps2_keyboard.h"

namespace pvx {

void Ps2Keyboard::reset() {
    replies_.clear();
    keys_.clear();
    set1_.reset();
    expect_ = 0;
    keyList_ = false;
    lastSent_ = kAck;
    leds_ = 0;
    scanning_ = true;
    setDefaults();
}

// "Set Default" (F6h): typematic rate/delay and scan code set 2; LEDs are not touched.
void Ps2Keyboard::setDefaults() {
    set_ = 2;
    typematic_ = 0x2B;
    set1_.reset();
}

void Ps2Keyboard::reply(uint8_t b) { replies_.push(b); }

uint8_t Ps2Keyboard::pop() {
    lastSent_ = !replies_.empty() ? replies_.pop() : keys_.pop();
    return lastSent_;
}

void Ps2Keyboard::queueKeyByte(uint8_t b) {
    // The last free slot takes the overrun code (00h in sets 2/3, FFh in set 1); after that,
    // bytes are lost until the host drains the buffer.
    if (keys_.full()) {
        ++overruns;
        return;
    }
    if (keys_.size() == kBufferSize - 1) {
        keys_.push(set_ == 1 ? 0xFF : 0x00);
        ++overruns;
        return;
    }
    keys_.push(b);
}

void Ps2Keyboard::sendSet2(std::span<const uint8_t> bytes) {
    if (!scanning_) return;  // F5h: the keyboard stops scanning
    for (uint8_t b : bytes) {
        if (set_ == 1) {
            uint8_t out;
            if (set1_.feed(b, out)) queueKeyByte(out);
        } else {
            queueKeyByte(b);
        }
    }
}

void Ps2Keyboard::keyEvent(std::span<const uint8_t> make, bool release) {
    if (make.empty() || make.size() > 8) return;
    uint8_t seq[9];
    size_t n = 0;
    for (size_t i = 0; i + 1 < make.size(); ++i) seq[n++] = make[i];
    if (release) seq[n++] = 0xF0;
    seq[n++] = make.back();
    sendSet2(std::span<const uint8_t>(seq, n));
}

void Ps2Keyboard::receive(uint8_t b) {
    // A byte that is itself a command (EDh and up) cancels a pending parameter.
    if (b < 0xED) {
        if (expect_) {
            const uint8_t cmd = expect_;
            expect_ = 0;
            switch (cmd) {
            case 0xED:  // LEDs: bit 0 Scroll, 1 Num, 2 Caps
                leds_ = b & 7;
                reply(kAck);
                return;
            case 0xF3:  // typematic rate/delay
                typematic_ = b & 0x7F;
                reply(kAck);
                return;
            case 0xF0:  // scan code set: 0 = report, 1-3 = select
                if (b == 0) {
                    reply(kAck);
                    reply(static_cast<uint8_t>(set_));
                } else if (b <= 3) {
                    set_ = b;
                    set1_.reset();
                    reply(kAck);
                } else {
                    reply(kResend);
                }
                return;
            }
        }
        reply(keyList_ ? kAck : kResend);  // not a command: ask the host to resend
        return;
    }
    expect_ = 0;
    keyList_ = false;
    command(b);
}

void Ps2Keyboard::command(uint8_t b) {
    switch (b) {
    case 0xED:
    case 0xF0:
    case 0xF3:
        expect_ = b;
        reply(kAck);
        break;
    case 0xEE: reply(kEcho); break;  // echo: no ACK
    case 0xF2:                       // identify: MF2 keyboard
        reply(kAck);
        reply(0xAB);
        reply(0x83);
        break;
    case 0xF4:  // enable scanning; the output buffer is cleared
        keys_.clear();
        scanning_ = true;
        reply(kAck);
        break;
    case 0xF5:  // disable scanning and restore defaults
        keys_.clear();
        setDefaults();
        scanning_ = false;
        reply(kAck);
        break;
    case 0xF6:  // restore defaults, keep scanning
        keys_.clear();
        setDefaults();
        reply(kAck);
        break;
    case 0xF7:
    case 0xF8:
    case 0xF9:
    case 0xFA:
    case 0xFB:
    case 0xFC:
    case 0xFD:  // set-3 key type commands: accepted, no effect on set 1/2 output
        keyList_ = b >= 0xFB;
        reply(kAck);
        break;
    case 0xFE:  // resend the last byte sent
        reply(lastSent_);
        break;
    case 0xFF:  // reset: ACK, then the Basic Assurance Test passes
        keys_.clear();
        replies_.clear();
        leds_ = 0;
        scanning_ = true;
        setDefaults();
        reply(kAck);
        reply(kBatOk);
        break;
    default:  // EFh, F1h: not commands on an MF2 keyboard
        reply(kResend);
        break;
    }
}

}  // namespace pvx
