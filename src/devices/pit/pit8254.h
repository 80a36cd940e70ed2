// Intel 8254 programmable interval timer at ports 40h-43h (datasheet 231164), clocked at the
// PC's 1.193182 MHz.
//
// Counter values and OUT levels are computed from the machine clock when read; nothing ticks.
// Only counter 0 has a timer: it is armed for the next moment OUT0 rises, because that edge is
// IRQ0. Counters 1 (refresh on the original PC) and 2 (speaker, read through port 61h) are pure
// functions of time.
//
// IRQ0 line level: in modes 0 and 1 it follows OUT0. In modes 2-5 OUT0 idles high and its rising
// edges are what the PIC latches, so each one is signalled as a momentary low-high dip of the
// line; mode 3's low half-period is not shown on the line (it is in out()/read-back). Edges that
// fall between two runExpired() calls coalesce into one, as the PIC's edge latch would.
#pragma once
#include <array>
#include <cstdint>

#include "common/clock.h"
#include "common/irq_line.h"
#include "common/port_bus.h"
#include "common/timer_queue.h"
#include "devices/pit/pit_counter.h"

namespace pvx {

class Pit8254 final : public PortDevice {
public:
    static constexpr uint16_t kBasePort = 0x40;
    static constexpr uint64_t kInputHz = 1193182;

    Pit8254(Clock& clock, TimerQueue& timers, IrqLine& irq0);
    Pit8254(const Pit8254&) = delete;
    Pit8254& operator=(const Pit8254&) = delete;

    void attach(PortBus& bus);
    void reset();

    // Gate inputs: 0 and 1 are tied high on the PC; 2 comes from port 61h bit 0.
    void setGate(unsigned counter, bool level);
    bool out(unsigned counter);
    uint16_t countingElement(unsigned counter);
    PitCounter& counter(unsigned i) { return counters_[i % 3]; }

    // Input-clock ticks since the clock's zero, and the clock time of a tick.
    uint64_t ticksNow() const { return ticksAt(clock_.nowNs()); }
    static uint64_t ticksAt(uint64_t ns);
    static uint64_t nsAtTick(uint64_t tick);

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;

    uint64_t ioReads = 0;
    uint64_t ioWrites = 0;
    uint64_t irq0Edges = 0;  // rising edges of OUT0 delivered to the IRQ0 line

private:
    uint8_t readByte(uint16_t port, uint64_t tick);
    void writeByte(uint16_t port, uint8_t v, uint64_t tick);
    void writeControlWord(uint8_t v, uint64_t tick);
    void onTimer(uint64_t nowNs);
    void refreshIrq0(uint64_t tick);

    Clock& clock_;
    TimerQueue& timers_;
    IrqLine& irq0_;
    TimerQueue::Id timer_;
    std::array<PitCounter, 3> counters_;
};

}  // namespace pvx
