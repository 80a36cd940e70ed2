// One counter of the Intel 8254 programmable interval timer (datasheet 231164, "Operation",
// "Mode Definitions", "Read Operations", "Read-Back Command").
//
// The counter never ticks: its counting element (CE) and OUT are computed from the input-clock
// tick number the caller passes in (the chip derives it from the machine clock). A loaded count
// is a "phase": the tick it was loaded at, the count N, and how many clocks the gate suspended.
// A new count that takes effect later (next CLK, the next reload, a gate trigger) waits as a
// pending load that becomes the phase once its tick is reached.
#pragma once
#include <cstdint>
#include <limits>

namespace pvx {

class PitCounter {
public:
    static constexpr uint64_t kNoEdge = std::numeric_limits<uint64_t>::max();

    PitCounter() { reset(); }
    // Power-on: mode 0, LSB-then-MSB, binary, no count, OUT low, gate high.
    void reset();

    // Control word with RW != 00 (bits 5-0: RW1 RW0 M2 M1 M0 BCD).
    void writeControl(uint8_t cw, uint64_t tick);
    void latchCount(uint64_t tick);   // counter latch command / read-back COUNT
    void latchStatus(uint64_t tick);  // read-back STATUS
    void writeCount(uint8_t v, uint64_t tick);
    uint8_t read(uint64_t tick);
    void setGate(bool level, uint64_t tick);

    bool out(uint64_t tick);
    // The CE as the chip would present it (BCD-encoded in BCD mode).
    uint16_t countingElement(uint64_t tick);
    bool nullCount(uint64_t tick);
    // First tick strictly after `tick` at which OUT has a rising edge, or kNoEdge.
    uint64_t nextRisingEdge(uint64_t tick);

    unsigned mode() const { return mode_; }
    bool bcd() const { return control_ & 1; }
    bool gate() const { return gate_; }

private:
    void sync(uint64_t tick);
    void scheduleLoad(uint64_t tick);
    uint32_t countFromRegister() const;
    uint32_t modulus() const { return bcd() ? 10000u : 65536u; }
    uint64_t elapsed(uint64_t tick) const;
    int64_t rawCe(uint64_t tick) const;
    uint16_t encode(int64_t v) const;
    uint64_t firstEdgeOfPhase(uint64_t startTick, uint32_t n, uint32_t offset) const;
    uint32_t highHalf(uint32_t n) const { return (n + 1) / 2; }  // mode 3: OUT-high clocks

    // Programming.
    uint8_t control_ = 0x30;  // bits 5-0 of the last control word, as read-back reports them
    unsigned mode_ = 0;       // 0-5 (6 and 7 alias 2 and 3)
    unsigned rw_ = 3;         // 1 LSB, 2 MSB, 3 LSB then MSB
    uint16_t cr_ = 0;
    uint8_t crLow_ = 0;
    bool writeMsbNext_ = false;
    bool crValid_ = false;    // a complete count has been written since the control word
    bool nullCount_ = true;
    bool gate_ = true;

    // Read side.
    bool readMsbNext_ = false;
    bool countLatched_ = false;
    bool latchMsbNext_ = false;
    uint16_t latched_ = 0;
    bool statusLatched_ = false;
    uint8_t status_ = 0;

    // The running phase.
    bool running_ = false;
    uint64_t start_ = 0;
    uint32_t n_ = 1;
    uint32_t offset_ = 0;     // mode 3: clocks into the period the phase starts at
    uint64_t held_ = 0;       // modes 0/4: clocks the gate held the count
    bool suspended_ = false;
    uint64_t suspendedAt_ = 0;
    uint16_t frozen_ = 0;     // the CE (encoded) while no phase runs

    // A load that takes effect at pendingTick_.
    bool pending_ = false;
    uint64_t pendingTick_ = 0;
    uint32_t pendingN_ = 1;
    uint32_t pendingOffset_ = 0;
};

}  // namespace pvx
