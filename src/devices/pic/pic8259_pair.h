// The PC/AT interrupt controller: two 8259A chips, master at 20h/21h and slave at A0h/A1h, the
// slave's INT output on master IR2, plus the PIIX3 Edge/Level Control Registers at 4D0h/4D1h
// (Intel 82371SB PIIX3 datasheet, "ELCR1/ELCR2").
//
// Wiring for the machine: give a device `pic.irq(n)` as its IrqLine (n = ISA IRQ 0-15); set
// `onIntrChanged` to wake the CPU; the CPU polls pending() and calls acknowledge() for INTA.
// irq(2) is not a usable input: master IR2 carries the cascade. On an AT, a card's ISA "IRQ2"
// pin is wired to IRQ9, so such a device belongs on irq(9).
#pragma once
#include <array>
#include <cstdint>
#include <functional>

#include "common/interrupt_source.h"
#include "common/irq_line.h"
#include "common/port_bus.h"
#include "devices/pic/pic8259.h"

namespace pvx {

class Pic8259Pair final : public PortDevice, public InterruptSource {
public:
    static constexpr uint16_t kMasterPort = 0x20;
    static constexpr uint16_t kSlavePort = 0xA0;
    static constexpr uint16_t kElcrPort = 0x4D0;
    static constexpr unsigned kCascadeIr = 2;

    Pic8259Pair();
    Pic8259Pair(const Pic8259Pair&) = delete;
    Pic8259Pair& operator=(const Pic8259Pair&) = delete;

    void attach(PortBus& bus);
    // Machine reset: both chips and the ELCR return to their power-on state. Input levels stay
    // what the devices drive.
    void reset();

    // Input n (0-15). Out-of-range n gets an unconnected line (a wiring bug, not guest input).
    IrqLine& irq(unsigned n) { return n < 16 ? lines_[n] : unconnected_; }

    // InterruptSource: the master's INT pin and the INTA cycle.
    bool pending() override { return master_.interruptRequested(); }
    uint8_t acknowledge() override;

    // Called whenever the INT pin may have changed, so the run loop can wake a halted CPU.
    std::function<void()> onIntrChanged;

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;

    const Pic8259& master() const { return master_; }
    const Pic8259& slave() const { return slave_; }
    uint8_t elcr(unsigned i) const { return elcr_[i & 1]; }

    // Counters (exits and deliveries).
    uint64_t ioReads = 0;
    uint64_t ioWrites = 0;
    uint64_t interruptsAcknowledged = 0;  // INTA cycles, spurious ones included
    uint64_t spuriousInterrupts = 0;      // INTA cycles answered with the IR7/IR15 vector

private:
    uint8_t readByte(uint16_t port);
    void writeByte(uint16_t port, uint8_t v);
    void inputChanged(unsigned n, bool level);
    void update();

    Pic8259 master_{true};
    Pic8259 slave_{false};
    std::array<IrqLine, 16> lines_;
    IrqLine unconnected_;
    std::array<uint8_t, 2> elcr_{};
    bool slaveInt_ = false;
    bool lastIntr_ = false;
};

}  // namespace pvx
