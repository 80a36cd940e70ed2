// A PS/2 (MF2) keyboard as seen from the 8042: the bytes it sends and the commands it obeys
// (IBM PS/2 Hardware Interface Technical Reference, "Keyboard and Auxiliary Device
// Controller" / keyboard commands; the MF2 keyboard answers identify with ABh 83h).
//
// Host input arrives as set-2 make codes (keyEvent); the keyboard emits them in its current
// scan code set. Sets 1 and 2 are produced; set 3 is accepted by F0h but pvx keeps emitting
// set 2 in that mode. Typematic repeat is the host's business (it sends repeated make events).
#pragma once
#include <cstdint>
#include <span>

#include "devices/i8042/byte_fifo.h"
#include "devices/i8042/scancode_translator.h"

namespace pvx {

class Ps2Keyboard {
public:
    static constexpr size_t kBufferSize = 16;  // the keyboard's own output buffer
    static constexpr uint8_t kAck = 0xFA, kResend = 0xFE, kBatOk = 0xAA, kEcho = 0xEE;

    Ps2Keyboard() { reset(); }
    // Power-on defaults: set 2, scanning on, LEDs off, typematic 10.9 cps / 500 ms.
    void reset();

    // A byte from the host (written to port 60h).
    void receive(uint8_t b);
    // A key: `set2Make` is its make sequence (prefix bytes then the code, e.g. {E0h, 75h} for
    // Up). A release inserts F0h before the last byte. Keys whose break is not of that form
    // (Pause, Print Screen) go through sendSet2() with their full byte sequence.
    void keyEvent(std::span<const uint8_t> set2Make, bool release);
    void sendSet2(std::span<const uint8_t> set2Bytes);

    bool hasData() const { return !replies_.empty() || !keys_.empty(); }
    uint8_t pop();

    unsigned scancodeSet() const { return set_; }
    bool scanning() const { return scanning_; }
    uint8_t leds() const { return leds_; }
    uint8_t typematic() const { return typematic_; }

    uint64_t overruns = 0;

private:
    void setDefaults();
    void reply(uint8_t b);
    void queueKeyByte(uint8_t b);
    void command(uint8_t b);

    ByteFifo<8> replies_;            // command responses go out before buffered key bytes
    ByteFifo<kBufferSize> keys_;
    ScancodeTranslator set1_;
    uint8_t expect_ = 0;             // command awaiting its parameter (EDh, F0h, F3h) or 0
    bool keyList_ = false;           // after F7h-FDh: set-3 key lists, acknowledged and ignored
    uint8_t lastSent_ = kAck;
    unsigned set_ = 2;
    bool scanning_ = true;
    uint8_t leds_ = 0;
    uint8_t typematic_ = 0x2B;
};

}  // namespace pvx
