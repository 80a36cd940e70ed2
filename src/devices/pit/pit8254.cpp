#include "devices/pit/pit8254.h"

namespace pvx {

namespace {
constexpr uint64_t kNsPerSecond = 1000000000ull;
}

// Split at whole seconds so the products never overflow 64 bits, at any uptime.
uint64_t Pit8254::ticksAt(uint64_t ns) {
    return (ns / kNsPerSecond) * kInputHz + (ns % kNsPerSecond) * kInputHz / kNsPerSecond;
}

// The earliest clock time at which ticksAt() reaches `tick`.
uint64_t Pit8254::nsAtTick(uint64_t tick) {
    const uint64_t r = tick % kInputHz;
    return (tick / kInputHz) * kNsPerSecond + (r * kNsPerSecond + kInputHz - 1) / kInputHz;
}

Pit8254::Pit8254(Clock& clock, TimerQueue& timers, IrqLine& irq0)
    : clock_(clock), timers_(timers), irq0_(irq0) {
    timer_ = timers_.create("pit0", [this](uint64_t now) { onTimer(now); });
    reset();
}

void Pit8254::attach(PortBus& bus) { bus.claim(kBasePort, 4, this, "pit"); }

void Pit8254::reset() {
    for (PitCounter& c : counters_) c.reset();
    // Counter 2's gate is port 61h bit 0, which resets to 0.
    counters_[2].setGate(false, ticksNow());
    timers_.disarm(timer_);
    irq0_.set(false);
}

void Pit8254::setGate(unsigned counter, bool level) {
    if (counter > 2) return;
    const uint64_t tick = ticksNow();
    counters_[counter].setGate(level, tick);
    if (counter == 0) refreshIrq0(tick);
}

bool Pit8254::out(unsigned counter) { return counters_[counter % 3].out(ticksNow()); }

uint16_t Pit8254::countingElement(unsigned counter) {
    return counters_[counter % 3].countingElement(ticksNow());
}

// Puts the IRQ0 line at OUT0's resting level and arms the timer for OUT0's next rising edge.
// The edge is strictly after `tick`, so its deadline is strictly after now: a periodic count
// of 1 or 2 re-arms at most once per runExpired() and can never spin the host.
void Pit8254::refreshIrq0(uint64_t tick) {
    PitCounter& c = counters_[0];
    const unsigned m = c.mode();
    irq0_.set(m <= 1 ? c.out(tick) : true);
    const uint64_t edge = c.nextRisingEdge(tick);
    if (edge == PitCounter::kNoEdge) timers_.disarm(timer_);
    else timers_.arm(timer_, nsAtTick(edge));
}

void Pit8254::onTimer(uint64_t nowNs) {
    const uint64_t tick = ticksAt(nowNs);
    PitCounter& c = counters_[0];
    ++irq0Edges;
    if (c.mode() <= 1) {
        irq0_.set(c.out(tick));
    } else {
        irq0_.set(false);
        irq0_.set(true);
    }
    refreshIrq0(tick);
}

// --- ports ---------------------------------------------------------------------------------

void Pit8254::writeControlWord(uint8_t v, uint64_t tick) {
    const unsigned sc = v >> 6;
    if (sc == 3) {
        // Read-back command: bit 5 = /COUNT, bit 4 = /STATUS, bits 3-1 select counters 2-0.
        for (unsigned i = 0; i < 3; ++i) {
            if (!(v & (2u << i))) continue;
            if (!(v & 0x10)) counters_[i].latchStatus(tick);
            if (!(v & 0x20)) counters_[i].latchCount(tick);
        }
        return;
    }
    if (((v >> 4) & 3) == 0) {
        counters_[sc].latchCount(tick);  // counter latch command
        return;
    }
    counters_[sc].writeControl(v, tick);
    if (sc == 0) refreshIrq0(tick);
}

uint8_t Pit8254::readByte(uint16_t port, uint64_t tick) {
    const unsigned i = port - kBasePort;
    if (i < 3) return counters_[i].read(tick);
    return 0xFF;  // the control word register is write-only; the data bus floats
}

void Pit8254::writeByte(uint16_t port, uint8_t v, uint64_t tick) {
    const unsigned i = port - kBasePort;
    if (i < 3) {
        counters_[i].writeCount(v, tick);
        if (i == 0) refreshIrq0(tick);
    } else if (i == 3) {
        writeControlWord(v, tick);
    }
}

uint32_t Pit8254::ioRead(uint16_t port, unsigned size) {
    ++ioReads;
    const uint64_t tick = ticksNow();
    uint32_t v = 0;
    for (unsigned b = 0; b < size && b < 4; ++b)
        v |= static_cast<uint32_t>(readByte(static_cast<uint16_t>(port + b), tick)) << (8 * b);
    return v;
}

void Pit8254::ioWrite(uint16_t port, unsigned size, uint32_t value) {
    ++ioWrites;
    const uint64_t tick = ticksNow();
    for (unsigned b = 0; b < size && b < 4; ++b)
        writeByte(static_cast<uint16_t>(port + b), static_cast<uint8_t>(value >> (8 * b)), tick);
}

}  // namespace pvx
