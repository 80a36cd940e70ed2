// The PC/AT's x87 error reporting path (SDM Vol.3A 6.15 "Interrupt 16", Vol.1 D.2.1): with
// CR0.NE = 0 the CPU asserts FERR# on an unmasked x87 exception; the board latches it onto IRQ13,
// and an OUT to port F0h (any value) releases the latch (the IGNNE# path MS-DOS-era handlers
// use). Level semantics: IRQ13 follows the latch.
#pragma once
#include "common/ferr_listener.h"
#include "common/irq_line.h"
#include "common/port_bus.h"

namespace pvx {

class FpuErrorLatch final : public PortDevice, public FerrListener {
public:
    explicit FpuErrorLatch(IrqLine& irq13) : irq_(irq13) {}
    void attach(PortBus& bus) { bus.claim(0xF0, 1, this, "fpu-error"); }
    void reset() { latched_ = false; irq_.lower(); }

    // FerrListener: FERR# asserted latches IRQ13; its deassertion does not clear the latch.
    void ferrChanged(bool asserted) override {
        if (!asserted || latched_) return;
        latched_ = true;
        ++errors;
        irq_.raise();
    }
    uint32_t ioRead(uint16_t, unsigned) override { return 0xFF; }
    void ioWrite(uint16_t, unsigned, uint32_t) override {  // port F0h: clear the latch
        latched_ = false;
        irq_.lower();
    }

    uint64_t errors = 0;

private:
    IrqLine& irq_;
    bool latched_ = false;
};

}  // namespace pvx
