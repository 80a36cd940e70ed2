// 82371AB PIIX4 function 3: power management, PCI 0:1.3, 8086:7113 (the function QEMU's pc
// machine places beside its PIIX3; 82371AB datasheet: function 3 configuration and PM I/O registers).
//
// Configuration: PMBA (0x40) holds the 64-byte PM I/O base, decoded while PMREGMISC (0x80)
// bit 0 is set. The SMBus base (0x90) and host configuration (0xD2) are stored but no SMBus
// host exists: nothing is ever decoded there.
//
// PM I/O block (offsets from PMBA): the ACPI fixed registers
//   0x00 PM1_STS  write-1-to-clear: TMR_STS, BM_STS, GBL_STS, PWRBTN_STS, RTC_STS, ..., WAK_STS
//   0x02 PM1_EN   TMR_EN, GBL_EN, PWRBTN_EN, RTC_EN
//   0x04 PM1_CNT  SCI_EN, BM_RLD, GBL_RLS (write-only), SLP_TYP, SLP_EN (write-only)
//   0x08 PM_TMR   24-bit free-running count at 3.579545 MHz, computed from the machine clock
//   0x0C GPE0     GPSTS (write-1-to-clear) + GPEN; no general-purpose event sources exist
//   0x10-0x3F     PIIX4 processor/global/device registers: stored, no function
// Writing SLP_EN with SLP_TYP = acpi::kSlpTypS5 calls the power-off callback. The SCI (an
// IrqLine, wired to IRQ 9) is high while SCI_EN is set and an enabled status bit is set.
// TMR_STS is set when PM_TMR bit 23 toggles: computed on demand when PM1_STS is read, and by a
// TimerQueue deadline (if given) while TMR_EN is set, so the SCI fires on time.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <optional>

#include "common/clock.h"
#include "common/irq_line.h"
#include "common/port_bus.h"
#include "common/timer_queue.h"
#include "devices/acpi/acpi_constants.h"
#include "devices/pci/pci_function.h"

namespace pvx {

class Piix4Pm final : public PciFunction, public PortDevice {
public:
    static constexpr uint16_t kVendor = 0x8086;
    static constexpr uint16_t kDeviceId = 0x7113;

    // `timers` may be null: TMR_STS is then still set when PM1_STS is read, but no timer
    // overflow SCI is delivered by itself.
    Piix4Pm(PortBus& ports, const Clock& clock, TimerQueue* timers);
    ~Piix4Pm() override;

    IrqLine sci;

    void setPowerOffCallback(std::function<void()> cb) { powerOff_ = std::move(cb); }
    // The power button (a host-side shutdown request): PWRBTN_STS, SCI if enabled.
    void pressPowerButton();
    // A value written to the SMI command port (ApmControlPort): ACPI enable/disable.
    void handleApmCommand(uint8_t value);

    // The PM I/O base while decoded.
    std::optional<uint16_t> ioBase() const { return mapped_; }
    // Current PM_TMR value (24 bits).
    uint32_t timerValue() const;
    uint16_t pm1Status();
    uint16_t pm1Enable() const { return en_; }
    uint16_t pm1Control() const { return cnt_; }

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;

    uint64_t pmAccesses = 0;
    uint64_t timerReads = 0;
    uint64_t powerOffRequests = 0;
    uint64_t sleepRequestsIgnored = 0;

protected:
    void configWritten(uint8_t offset, unsigned size) override;
    void resetDevice() override;

private:
    static uint64_t ticksAt(uint64_t ns);
    static uint64_t nsAtTicks(uint64_t ticks);
    void updateMapping();
    void syncTimerStatus();
    void armOverflowTimer();
    void updateSci();
    uint8_t readByte(unsigned off, uint32_t timer) const;
    void writeByte(unsigned off, uint8_t v);
    void resetRegisters();

    PortBus& ports_;
    const Clock& clock_;
    TimerQueue* timers_;
    TimerQueue::Id overflowTimer_ = 0;
    std::function<void()> powerOff_;
    std::optional<uint16_t> mapped_;

    uint16_t sts_ = 0;
    uint16_t en_ = 0;
    uint16_t cnt_ = 0;
    uint16_t gpSts_ = 0;
    uint16_t gpEn_ = 0;
    std::array<uint8_t, 0x30> misc_{};  // 0x10-0x3F
    uint64_t lastPeriod_ = 0;           // PM_TMR ticks >> 23 when TMR_STS was last updated
};

}  // namespace pvx
