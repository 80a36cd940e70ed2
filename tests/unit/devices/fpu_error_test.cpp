// FERR# -> IRQ13 latch and its port F0h release (devices/fpu_error).
#include <gtest/gtest.h>

#include "devices/fpu_error/fpu_error.h"

namespace pvx {
namespace {

TEST(FpuErrorLatch, FerrRaisesIrq13UntilPortF0IsWritten) {
    IrqLine irq;
    PortBus bus;
    FpuErrorLatch latch(irq);
    latch.attach(bus);
    EXPECT_FALSE(irq.level());
    latch.ferrChanged(true);
    EXPECT_TRUE(irq.level());
    latch.ferrChanged(false);  // FNCLEX drops FERR#: the board's latch still holds IRQ13
    EXPECT_TRUE(irq.level());
    latch.ferrChanged(true);   // asserted again while latched: one error, no new edge
    EXPECT_EQ(1u, latch.errors);
    bus.write(0xF0, 1, 0);
    EXPECT_FALSE(irq.level());
    latch.ferrChanged(true);
    EXPECT_TRUE(irq.level());
    EXPECT_EQ(2u, latch.errors);
    latch.reset();
    EXPECT_FALSE(irq.level());
}

}  // namespace
}  // namespace pvx
