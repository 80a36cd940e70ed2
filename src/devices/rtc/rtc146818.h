// Motorola MC146818A real-time clock and 128-byte CMOS RAM at ports 70h (index; bit 7 masks NMI)
// and 71h (data), IRQ8. Reference: MC146818A datasheet, "Address Map", "Time, Calendar and Alarm
// Locations", "Update Cycle", "Registers A-D", "Interrupts"; PIIX3 datasheet for port 70h.
//
// Time: the constructor's epochSeconds (UTC) is the time at construction; after that the
// 32.768 kHz divider chain is a function of the machine clock (32768 divider ticks per second,
// one update per 32768 ticks). The time registers hold raw bytes in whatever format register B
// selects; an update adds the elapsed seconds to them and rewrites them in that format, so a
// guest that changes DM or 24/12 without re-initialising the time reads garbage, as on the chip.
//
// Interrupts are computed lazily on access; a timer is armed only while an enabled interrupt
// could newly assert IRQ8 (and never while IRQ8 is already asserted), so an unacknowledged
// 8192 Hz periodic interrupt costs nothing.
//
// Not modelled: the daylight-saving special updates (DSE is stored only), the SQW pin, and the
// 4.194304/1.048576 MHz time bases (on the PC the crystal is 32.768 kHz; other DV values stop
// the divider).
#pragma once
#include <array>
#include <cstdint>

#include "common/clock.h"
#include "common/irq_line.h"
#include "common/port_bus.h"
#include "common/timer_queue.h"

namespace pvx {

class Rtc146818 final : public PortDevice {
public:
    static constexpr uint16_t kIndexPort = 0x70;
    static constexpr uint16_t kDataPort = 0x71;
    // Register indices.
    static constexpr unsigned kSeconds = 0x00, kSecondsAlarm = 0x01, kMinutes = 0x02,
                              kMinutesAlarm = 0x03, kHours = 0x04, kHoursAlarm = 0x05,
                              kDayOfWeek = 0x06, kDayOfMonth = 0x07, kMonth = 0x08, kYear = 0x09,
                              kRegA = 0x0A, kRegB = 0x0B, kRegC = 0x0C, kRegD = 0x0D,
                              kCentury = 0x32;
    // Register A.
    static constexpr uint8_t kUip = 0x80;
    // Register B.
    static constexpr uint8_t kSet = 0x80, kPie = 0x40, kAie = 0x20, kUie = 0x10, kSqwe = 0x08,
                             kDm = 0x04, k24h = 0x02, kDse = 0x01;
    // Register C.
    static constexpr uint8_t kIrqf = 0x80, kPf = 0x40, kAf = 0x20, kUf = 0x10;
    // Register D.
    static constexpr uint8_t kVrt = 0x80;
    // 32.768 kHz divider ticks per second, and the UIP lead time: 8 ticks = 244 us.
    static constexpr int64_t kTicksPerSecond = 32768;
    static constexpr int64_t kUipTicks = 8;

    Rtc146818(Clock& clock, TimerQueue& timers, IrqLine& irq8, uint64_t epochSeconds);
    Rtc146818(const Rtc146818&) = delete;
    Rtc146818& operator=(const Rtc146818&) = delete;

    void attach(PortBus& bus) { bus.claim(kIndexPort, 2, this, "rtc"); }
    // The RESET pin (machine reset): clears PIE, AIE, UIE, SQWE and the IRQ flags; the time,
    // the divider and the RAM are battery-backed and unaffected.
    void reset();

    // NVRAM access for the machine (memory size, equipment, century...). Bytes 0-0Dh are the
    // clock's registers, stored raw; the time registers are brought up to date first.
    void setByte(unsigned index, uint8_t value);
    uint8_t byte(unsigned index);

    bool nmiMasked() const { return nmiMasked_; }
    uint8_t index() const { return index_; }

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;

    uint64_t ioReads = 0;
    uint64_t ioWrites = 0;
    uint64_t interrupts = 0;  // IRQ8 assertions

private:
    uint8_t readRegister(unsigned idx);
    void writeRegister(unsigned idx, uint8_t v);
    void writeRegA(uint8_t v);
    void writeRegB(uint8_t v);

    // Divider chain.
    static int64_t ticks32At(uint64_t ns);
    uint64_t nsAtTicks32(int64_t ticks32) const;
    int64_t divider(uint64_t ns) const { return running_ ? base32_ + ticks32At(ns) : frozen32_; }
    int64_t periodTicks() const;

    // Time registers <-> seconds.
    uint8_t toReg(unsigned v) const;
    unsigned fromReg(uint8_t v) const;
    uint8_t hourToReg(unsigned h24) const;
    unsigned hourFromReg(uint8_t v) const;
    int64_t timeFromRegisters() const;
    void timeToRegisters(int64_t seconds);
    bool alarmMatchesIn(int64_t fromExclusive, uint64_t count) const;

    void catchUp();
    void updateIrq();
    void rearm();
    void onTimer();

    Clock& clock_;
    TimerQueue& timers_;
    IrqLine& irq8_;
    TimerQueue::Id timer_;
    std::array<uint8_t, 128> ram_{};
    uint8_t index_ = 0;
    bool nmiMasked_ = false;

    bool running_ = true;     // DV = 010: the divider counts
    int64_t base32_ = 0;      // divider = base32_ + ticks32At(now) while running
    int64_t frozen32_ = 0;    // divider while stopped
    int64_t updates_ = 0;     // updates accounted for: divider / 32768 at the last catch-up
    int64_t periodicIdx_ = 0; // divider / period at the last catch-up
    uint8_t flags_ = 0;       // register C bits PF, AF, UF
};

}  // namespace pvx
