// The x87 FERR# output (SDM Vol.3A 6.15 "Interrupt 16", Vol.1 Appendix D): with CR0.NE = 0 the
// CPU reports an unmasked x87 exception by asserting FERR#, which a PC board routes to IRQ13
// (and clears with a write to I/O port F0h, IGNNE#). The machine implements this and hands it
// to the CPU; the CPU calls it when the pin changes level.
#pragma once

namespace pvx {

class FerrListener {
public:
    virtual void ferrChanged(bool asserted) = 0;

protected:
    ~FerrListener() = default;
};

}  // namespace pvx
