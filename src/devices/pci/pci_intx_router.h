// PCI INTx# routing on the i440FX/PIIX3 board: from a function's interrupt pin to an ISA IRQ.
//
// Two stages. The board wires slot `s` pin `p` (1 = INTA# .. 4 = INTD#) to PIRQ[(p - 1 + s - 1)
// mod 4] (the rotation every PC board uses so that the INTA# of neighbouring slots spread over
// the four PIRQ lines; firmware/acpi.asm's _PRT publishes the same table and firmware/pci.asm
// fills in Interrupt Line from it). The PIIX3 then steers each PIRQ to an ISA IRQ through its
// route control registers 0x60-0x63 (Piix3IsaBridge::pirqRoute) or leaves it unrouted.
//
// PCI interrupts are level-triggered, active while any sharer asserts (PCI 3.0 2.2.6: wired-OR
// open drain). So an ISA IRQ is high while any PIRQ routed to it is high, and a PIRQ is high
// while any function wired to it asserts INTx#. The router only drives an ISA line for the
// lines it routes to; firmware keeps PIRQ IRQs apart from ISA devices' IRQs (pci.asm: 10, 11).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "devices/pci/pci_function.h"

namespace pvx {

class PciIntxRouter {
public:
    // The ISA IRQ a PIRQ (0..3) is routed to, or >= 16 when it is not routed.
    using RouteFn = std::function<uint8_t(unsigned pirq)>;
    // Drives ISA IRQ `irq` (0..15).
    using IsaSink = std::function<void(unsigned irq, bool level)>;

    PciIntxRouter(RouteFn route, IsaSink sink) : route_(std::move(route)), sink_(std::move(sink)) {}

    // PIRQ index (0 = A) for `pin` (1..4) of a function in `slot`; -1 for no pin.
    static int pirqFor(unsigned slot, uint8_t pin) {
        if (pin < 1 || pin > 4) return -1;
        return static_cast<int>((pin - 1u + slot + 3u) & 3u);  // (pin - 1 + slot - 1) mod 4
    }

    // Connects `fn`'s INTx# output (its pin from config 0x3D) as a device in `slot`. `fn` must
    // outlive the router.
    void connect(unsigned slot, PciFunction& fn);

    // Re-evaluates every ISA line after a PIRQ route register changed.
    void reroute() { update(); }

    bool pirqLevel(unsigned pirq) const { return pirq < 4 && pirqCount(pirq) > 0; }

private:
    unsigned pirqCount(unsigned pirq) const;
    void update();

    struct Source {
        int pirq;
        bool level = false;
    };
    RouteFn route_;
    IsaSink sink_;
    std::vector<Source> sources_;
    std::array<bool, 16> isaLevel_{};
};

}  // namespace pvx
