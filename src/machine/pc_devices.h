// The devices of pvx's i440FX/PIIX PC and how they are wired: port ranges, the ISA IRQ lines
// (each fanned out to the 8259 pair and the I/O APIC), the local APIC between the interrupt
// controllers and the CPU, the PCI functions at QEMU-compatible slots (00.0 host bridge, 01.0
// PIIX3 ISA bridge, 01.1 PIIX IDE, 01.3 PIIX4 power management, 02.0 std VGA), CMOS contents, and the backends
// the emulated devices share with their PV twins (COM1 and the PV console one CharBackend; the
// ATA disk and PV block device 0 one BlockBackend).
#pragma once
#include <array>
#include <functional>
#include <memory>

#include "common/block_backend.h"
#include "common/char_backend.h"
#include "common/clock.h"
#include "common/ferr_listener.h"
#include "common/irq_line.h"
#include "common/port_bus.h"
#include "common/timer_queue.h"
#include "mmu/phys_memory.h"

namespace pvx {

class Pic8259Pair;
class LocalApic;
class IoApic;
class Pit8254;
class SystemControlPortB;
class Rtc146818;
class FpuErrorLatch;
class Uart16550;
class I8042;
class Port92;
class PciBus;
class I440fxHostBridge;
class Piix3IsaBridge;
class PciIntxRouter;
namespace virtio {
class VirtioBlk;
class VirtioConsole;
class VirtioRng;
}  // namespace virtio
class PiixIde;
class AtaChannel;
class AtaDisk;
class Piix4Pm;
class ApmControlPort;
class Vga;
class Stats;

struct BoardHooks {
    std::function<void()> kickCpu;           // INTR may have changed
    std::function<void()> initCpu;           // INIT delivered to the CPU (by its local APIC)
    std::function<void()> reset;             // keyboard controller / port 0x92 / 0xCF9 reset
    std::function<void()> powerOff;          // ACPI S5
};

class PcDevices {
public:
    PcDevices(PhysicalMemory& mem, PortBus& ports, Clock& clock, TimerQueue& timers, CharBackend& serial,
              BlockBackend* disk, uint64_t rtcEpochSeconds, bool pollSerialInput, BoardHooks hooks);
    ~PcDevices();

    void reset();
    void registerStats(Stats& stats);

    Pic8259Pair& pic() { return *pic_; }
    // The CPU's interrupt source and the target of its IA32_APIC_BASE/CR8.
    LocalApic& lapic() { return *lapic_; }
    IoApic& ioApic() { return *ioApic_; }
    // ISA IRQ n (0-15) as devices drive it: into 8259 input n and I/O APIC pin n, except IRQ0 on
    // pin 2 (the MADT's interrupt source override) and IRQ2, the 8259 cascade, on no pin.
    FerrListener& fpuError();  // the CPU's FERR# output (IRQ13, cleared by port F0h)
    IrqLine& isaIrq(unsigned n) { return n < isaIrqs_.size() ? isaIrqs_[n] : unconnectedIrq_; }
    static int ioApicPinForIsaIrq(unsigned n) { return n == 0 ? 2 : n == 2 ? -1 : static_cast<int>(n); }
    Uart16550& com1() { return *com1_; }
    // COM2 (2F8h, IRQ 3), present only when the machine adds it (--serial2). Output only: host
    // input goes to COM1.
    void addCom2(PortBus& ports, CharBackend& backend);
    I8042& keyboardController() { return *kbc_; }
    Vga& vga() { return *vga_; }

    // The virtio devices (each optional) at PCI 00:03.0 (block), 00:04.0 (console), 00:05.0
    // (entropy); call once, before registerStats. INTx# through the PIIX3 PIRQ routing.
    void addVirtio(PhysicalMemory& mem, PortBus& ports, BlockBackend* blk, CharBackend* console, bool rng);
    static constexpr unsigned kVirtioBlkSlot = 3, kVirtioConsoleSlot = 4, kVirtioRngSlot = 5;

private:
    void fillCmos(const PhysicalMemory& mem);

public:
    // A CMOS byte the machine hands the firmware (e.g. the direct Linux boot flag).
    void setCmosByte(unsigned index, uint8_t value);

private:

    std::unique_ptr<Pic8259Pair> pic_;
    std::unique_ptr<LocalApic> lapic_;
    std::unique_ptr<IoApic> ioApic_;
    std::array<IrqLine, 16> isaIrqs_;
    IrqLine unconnectedIrq_;
    std::unique_ptr<Pit8254> pit_;
    std::unique_ptr<SystemControlPortB> port61_;
    std::unique_ptr<Rtc146818> rtc_;
    std::unique_ptr<FpuErrorLatch> fpuError_;
    std::unique_ptr<Uart16550> com1_;
    std::unique_ptr<Uart16550> com2_;
    std::unique_ptr<I8042> kbc_;
    std::unique_ptr<Port92> port92_;
    std::unique_ptr<PciBus> pci_;
    std::unique_ptr<I440fxHostBridge> hostBridge_;
    std::unique_ptr<Piix3IsaBridge> isaBridge_;
    std::unique_ptr<PciIntxRouter> intx_;  // PCI INTx# -> PIRQ -> ISA IRQ
    std::unique_ptr<virtio::VirtioBlk> virtioBlk_;
    std::unique_ptr<virtio::VirtioConsole> virtioConsole_;
    std::unique_ptr<virtio::VirtioRng> virtioRng_;
    std::unique_ptr<AtaChannel> ataPrimary_, ataSecondary_;
    std::unique_ptr<AtaDisk> disk0_;
    std::unique_ptr<PiixIde> ide_;
    std::unique_ptr<Piix4Pm> pm_;
    std::unique_ptr<ApmControlPort> apm_;
    std::unique_ptr<Vga> vga_;
    TimerQueue& timers_;
    TimerQueue::Id serialPoll_ = 0;
    bool pollSerial_;
};

}  // namespace pvx
