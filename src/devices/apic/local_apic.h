// The local APIC of pvx's one CPU, xAPIC mode (Intel SDM Vol.3A chapter 10, "Advanced
// Programmable Interrupt Controller"; chapter 11 in editions from 2023 on, same section
// structure; section numbers below are chapter 10's).
//
// What it is on the board:
// - The CPU's InterruptSource: pending()/acknowledge() arbitrate between the APIC's own IRR
//   (against the processor priority, 10.8.3.1) and the 8259 pair's INTR on LINT0 in ExtINT mode
//   (virtual wire). With the APIC globally disabled (IA32_APIC_BASE[11] = 0, 10.4.3) the
//   processor behaves as one without an APIC and the 8259 reaches it directly.
// - A 4 KiB register page at IA32_APIC_BASE (default FEE00000h), moved, unmapped and mapped
//   again by WRMSR through LocalApicLink.
// - The receiver of the I/O APIC's messages (receive()), and the sender of EOI broadcasts for
//   level-triggered vectors back to it (onEoiBroadcast, 10.8.5).
//
// Reset state (10.4.7.1), with one deliberate difference: LVT LINT0 comes out of reset as ExtINT
// and unmasked (virtual-wire mode), not masked, as QEMU does for its BSP. Code written for a PC
// without an APIC -- pvx's test ROMs, Multiboot kernels started without the BIOS -- would
// otherwise never see an 8259 interrupt. pvx's BIOS programs exactly this state anyway.
//
// NMIs (LVT, ICR or I/O APIC delivery mode NMI, LINT1) latch in nmiPending(), which the CPU
// polls through InterruptSource. SMI and start-up IPIs are ignored. INIT resets the APIC
// (keeping its ID) and calls onInit, which the machine turns into a CPU INIT.
#pragma once
#include <array>
#include <cstdint>
#include <functional>

#include "common/clock.h"
#include "common/interrupt_source.h"
#include "common/local_apic_link.h"
#include "common/timer_queue.h"
#include "devices/apic/apic_message.h"
#include "devices/apic/apic_timer.h"
#include "devices/apic/apic_vector_set.h"
#include "devices/apic/local_apic_registers.h"
#include "mmu/mmio.h"
#include "mmu/phys_memory.h"

namespace pvx {

class LocalApic final : public MmioDevice, public InterruptSource, public LocalApicLink {
public:
    static constexpr uint64_t kDefaultBase = 0xFEE00000;
    static constexpr uint64_t kPageSize = 0x1000;
    static constexpr uint64_t kBaseEnable = 1u << 11;  // IA32_APIC_BASE bit 11
    // A periodic timer re-arms no sooner than this after it fired: a guest that programs a
    // period of a few ticks gets its interrupts coalesced (the IRR holds one per vector anyway)
    // instead of one host timer callback per guest instruction.
    static constexpr uint64_t kMinTimerRearmNs = 1000;

    LocalApic(Clock& clock, TimerQueue& timers, uint8_t apicId = 0);
    LocalApic(const LocalApic&) = delete;
    LocalApic& operator=(const LocalApic&) = delete;

    // Maps the register page (at the default base) into `mem`; WRMSR moves it later.
    void attach(PhysicalMemory& mem);
    // Power-up/RESET (10.4.7.1): registers to their reset values, base back to the default.
    void reset();

    // The 8259 pair's INTR output: LINT0's pin, and who answers INTA for ExtINT deliveries.
    void setExtIntSource(InterruptSource* pic) { extInt_ = pic; }
    void setLint0(bool level) { lintChanged(lapic::kLint0, level); }
    void setLint1(bool level) { lintChanged(lapic::kLint1, level); }

    // A message from the I/O APIC (or another agent). Returns whether this APIC accepted it.
    bool receive(const ApicMessage& m);

    // Wiring.
    std::function<void()> onIntrChanged;                 // pending() may have changed: kick the CPU
    std::function<void(uint8_t vector)> onEoiBroadcast;  // EOI of a level-triggered vector
    std::function<void()> onInit;                        // INIT delivered to this processor

    // InterruptSource (the INTR side of the CPU).
    bool pending() override;
    uint8_t acknowledge() override;
    // The NMI side: latched NMIs (LVT/ICR/I/O APIC NMI, LINT1), for a CPU with an NMI input.
    bool nmiPending() override { return nmiPending_; }
    void acknowledgeNmi() override { nmiPending_ = false; }

    // LocalApicLink (the CPU core's IA32_APIC_BASE and CR8).
    void apicBaseWritten(uint64_t apicBase) override;
    uint64_t readCr8() override { return tpr_ >> 4; }
    void writeCr8(uint64_t value) override;

    // MmioDevice: the register page.
    uint64_t mmioRead(uint64_t offset, unsigned size) override;
    void mmioWrite(uint64_t offset, unsigned size, uint64_t value) override;

    // State for tests and the machine.
    bool globallyEnabled() const { return apicBase_ & kBaseEnable; }
    bool softwareEnabled() const { return svr_ & lapic::kSvrEnable; }
    uint64_t base() const { return apicBase_ & ~(kPageSize - 1); }
    uint32_t readRegister(uint32_t offset);
    void writeRegister(uint32_t offset, uint32_t value);
    uint8_t processorPriority() const;
    const ApicVectorSet& irr() const { return irr_; }
    const ApicVectorSet& isr() const { return isr_; }
    const ApicVectorSet& tmr() const { return tmr_; }

    // Counters.
    uint64_t mmioReads = 0;
    uint64_t mmioWrites = 0;
    uint64_t interruptsDelivered = 0;  // INTA cycles answered with an APIC vector
    uint64_t extIntDelivered = 0;      // INTA cycles passed to the 8259 (ExtINT, APIC disabled)
    uint64_t spuriousInterrupts = 0;   // INTA cycles answered with the SVR's spurious vector
    uint64_t eois = 0;
    uint64_t eoiBroadcasts = 0;
    uint64_t timerFires = 0;           // expiries with the LVT timer entry unmasked
    uint64_t ipisSent = 0;
    uint64_t nmis = 0;
    uint64_t errors = 0;

private:
    void powerUpState();
    void remap();
    void signal() { if (onIntrChanged) onIntrChanged(); }
    int deliverableVector() const;
    bool extIntRequested() const;
    uint8_t arbitrationPriority() const;
    bool matchesDestination(uint8_t destination, bool logical) const;
    void acceptFixed(uint8_t vector, bool levelTriggered);
    void acceptNmi();
    void reportError(uint32_t esrBit);
    void endOfInterrupt();
    void sendIpi();
    void writeLvt(unsigned index, uint32_t value);
    void deliverLvt(unsigned index);
    void lintChanged(unsigned index, bool level);
    void lintLevelCheck(unsigned index);
    void onTimer(uint64_t nowNs);
    void armTimer(uint64_t earliestNs);

    Clock& clock_;
    TimerQueue& timers_;
    TimerQueue::Id timerId_;
    PhysicalMemory* mem_ = nullptr;
    InterruptSource* extInt_ = nullptr;
    bool mapped_ = false;
    uint64_t mappedBase_ = 0;

    uint64_t apicBase_ = kDefaultBase | kBaseEnable;
    uint8_t id_;
    uint8_t tpr_ = 0;
    uint32_t ldr_ = 0;
    uint32_t dfr_ = 0xFFFFFFFF;
    uint32_t svr_ = lapic::kSvrReset;
    uint32_t esr_ = 0;         // as last latched by an ESR write
    uint32_t esrPending_ = 0;  // errors detected since
    uint32_t icrLow_ = 0;
    uint32_t icrHigh_ = 0;
    std::array<uint32_t, lapic::kLvtCount> lvt_{};
    std::array<bool, 2> lintPin_{};  // LINT0/LINT1 input levels
    ApicVectorSet irr_, isr_, tmr_;
    ApicTimer timer_;
    bool ioApicExtInt_ = false;  // an ExtINT message from the I/O APIC awaits its INTA
    bool nmiPending_ = false;
};

}  // namespace pvx
