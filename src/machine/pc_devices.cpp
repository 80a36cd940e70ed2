#include "machine/pc_devices.h"

#include <algorithm>

#include "common/stats.h"
#include "devices/fpu_error/fpu_error.h"
#include "devices/acpi/apm_control_port.h"
#include "devices/acpi/piix4_pm.h"
#include "devices/ata/ata_channel.h"
#include "devices/ata/ata_disk.h"
#include "devices/ata/piix_ide.h"
#include "devices/apic/io_apic.h"
#include "devices/apic/local_apic.h"
#include "devices/i8042/i8042.h"
#include "devices/i8042/port92.h"
#include "devices/pci/i440fx_host_bridge.h"
#include "devices/pci/pci_bus.h"
#include "devices/pci/pci_intx_router.h"
#include "devices/pci/piix3_isa_bridge.h"
#include "devices/pic/pic8259_pair.h"
#include "devices/pit/pit8254.h"
#include "devices/pit/system_control_port_b.h"
#include "devices/rtc/rtc146818.h"
#include "devices/uart/uart16550.h"
#include "devices/vga/vga.h"
#include "devices/virtio/virtio_blk.h"
#include "devices/virtio/virtio_console.h"
#include "devices/virtio/virtio_rng.h"

namespace pvx {

namespace {
// How often COM1 looks for host input when --serial stdio (clock time).
constexpr uint64_t kSerialPollNs = 2'000'000;
}  // namespace

PcDevices::PcDevices(PhysicalMemory& mem, PortBus& ports, Clock& clock, TimerQueue& timers, CharBackend& serial,
                     BlockBackend* disk, uint64_t rtcEpochSeconds, bool pollSerialInput, BoardHooks hooks)
    : timers_(timers), pollSerial_(pollSerialInput) {
    // Interrupt controllers. The 8259 pair's INTR goes to the local APIC's LINT0 (virtual wire:
    // ExtINT); the I/O APIC's messages go to the local APIC, whose EOIs of level-triggered
    // vectors come back; the local APIC drives the CPU.
    pic_ = std::make_unique<Pic8259Pair>();
    pic_->attach(ports);
    lapic_ = std::make_unique<LocalApic>(clock, timers);
    lapic_->attach(mem);
    lapic_->setExtIntSource(pic_.get());
    lapic_->onIntrChanged = hooks.kickCpu;
    lapic_->onInit = hooks.initCpu;
    pic_->onIntrChanged = [this] { lapic_->setLint0(pic_->pending()); };
    ioApic_ = std::make_unique<IoApic>();
    ioApic_->attach(mem);
    ioApic_->deliver = [this](const ApicMessage& m) { return lapic_->receive(m); };
    lapic_->onEoiBroadcast = [this](uint8_t vector) { ioApic_->endOfInterrupt(vector); };
    for (unsigned n = 0; n < isaIrqs_.size(); ++n) {
        isaIrqs_[n].connect([this, n](bool level) {
            pic_->irq(n).set(level);
            if (const int pin = ioApicPinForIsaIrq(n); pin >= 0)
                ioApic_->setInput(static_cast<unsigned>(pin), level);
        });
    }

    // Timers and CMOS.
    pit_ = std::make_unique<Pit8254>(clock, timers, isaIrq(0));
    pit_->attach(ports);
    port61_ = std::make_unique<SystemControlPortB>(*pit_);
    port61_->attach(ports);
    rtc_ = std::make_unique<Rtc146818>(clock, timers, isaIrq(8), rtcEpochSeconds);
    rtc_->attach(ports);
    fillCmos(mem);

    // COM1 on IRQ 4.
    com1_ = std::make_unique<Uart16550>(0x3F8, isaIrq(4), serial);
    com1_->attach(ports);
    if (pollSerial_) {
        serialPoll_ = timers.create("com1-input", [this](uint64_t now) {
            // Host input goes to the virtio console once its driver posted receive buffers.
            if (virtioConsole_ && virtioConsole_->wantsInput()) virtioConsole_->pollInput();
            else com1_->pollInput();
            timers_.arm(serialPoll_, now + kSerialPollNs);
        });
        timers.arm(serialPoll_, kSerialPollNs);
    }

    // Keyboard controller and fast A20 (port 0x92) both drive the one A20 line; the last write
    // wins, as in QEMU and Bochs, so INT 15h 2400h/2401h through port 0x92 alone works.
    kbc_ = std::make_unique<I8042>(isaIrq(1), isaIrq(12));
    kbc_->attach(ports);
    kbc_->onA20 = [&mem](bool on) { mem.setA20(on); };
    kbc_->resetRequest = hooks.reset;
    port92_ = std::make_unique<Port92>();
    port92_->attach(ports);
    port92_->onA20 = [&mem](bool on) { mem.setA20(on); };
    port92_->resetRequest = hooks.reset;

    // PCI: host bridge, PIIX3 (ISA bridge with the 0xCF9 reset control), IDE, PIIX4 PM.
    pci_ = std::make_unique<PciBus>();
    pci_->attach(ports);
    hostBridge_ = std::make_unique<I440fxHostBridge>();
    pci_->addFunction(0, 0, *hostBridge_);
    // The PAM registers route the 0xC0000-0xFFFFF window between ROM and RAM (shadowing:
    // firmware copies itself to RAM, as SeaBIOS does).
    auto applyShadow = [this, &mem] {
        for (uint64_t a = PhysicalMemory::kShadowBase; a < PhysicalMemory::kShadowEnd; a += PhysicalMemory::kShadowBlock) {
            const I440fxHostBridge::ShadowAccess sa = hostBridge_->shadowAccess(static_cast<uint32_t>(a));
            mem.setShadow(a, sa.readRam, sa.writeRam);
        }
    };
    hostBridge_->setMemoryMapCallback(applyShadow);
    applyShadow();
    isaBridge_ = std::make_unique<Piix3IsaBridge>();
    isaBridge_->attach(ports);
    isaBridge_->setResetCallback([reset = hooks.reset](bool) { reset(); });
    pci_->addFunction(1, 0, *isaBridge_);
    intx_ = std::make_unique<PciIntxRouter>([this](unsigned p) { return isaBridge_->pirqRoute(p); },
                                            [this](unsigned irq, bool level) { isaIrq(irq).set(level); });
    isaBridge_->setRoutingCallback([this] { intx_->reroute(); });

    ataPrimary_ = std::make_unique<AtaChannel>("ide0");
    ataSecondary_ = std::make_unique<AtaChannel>("ide1");
    ataPrimary_->attach(ports, AtaChannel::kPrimaryPorts);
    ataSecondary_->attach(ports, AtaChannel::kSecondaryPorts);
    ataPrimary_->irq.connect([this](bool level) { isaIrq(AtaChannel::kPrimaryIrq).set(level); });
    ataSecondary_->irq.connect([this](bool level) { isaIrq(AtaChannel::kSecondaryIrq).set(level); });
    if (disk) {
        disk0_ = std::make_unique<AtaDisk>(*disk);
        ataPrimary_->setDisk(0, disk0_.get());
    }
    ide_ = std::make_unique<PiixIde>(*ataPrimary_, *ataSecondary_, mem, ports);
    pci_->addFunction(1, 1, *ide_);

    pm_ = std::make_unique<Piix4Pm>(ports, clock, &timers);
    pm_->setPowerOffCallback(hooks.powerOff);
    pm_->sci.connect([this](bool level) { isaIrq(9).set(level); });
    pci_->addFunction(1, 3, *pm_);
    apm_ = std::make_unique<ApmControlPort>([this](uint8_t v) { pm_->handleApmCommand(v); });
    apm_->attach(ports);
    fpuError_ = std::make_unique<FpuErrorLatch>(isaIrq(13));
    fpuError_->attach(ports);

    // The std VGA at 00:02.0, where QEMU's pc machine has it.
    vga_ = std::make_unique<Vga>(mem);
    vga_->attach(ports);
    pci_->addFunction(2, 0, *vga_);
}

PcDevices::~PcDevices() = default;

void PcDevices::addCom2(PortBus& ports, CharBackend& backend) {
    com2_ = std::make_unique<Uart16550>(0x2F8, isaIrq(3), backend);
    com2_->attach(ports);
}

void PcDevices::addVirtio(PhysicalMemory& mem, PortBus& ports, BlockBackend* blk, CharBackend* console, bool rng) {
    if (blk) {
        virtioBlk_ = std::make_unique<virtio::VirtioBlk>(mem, ports, *blk);
        pci_->addFunction(kVirtioBlkSlot, 0, *virtioBlk_);
        intx_->connect(kVirtioBlkSlot, *virtioBlk_);
    }
    if (console) {
        virtioConsole_ = std::make_unique<virtio::VirtioConsole>(mem, ports, *console);
        pci_->addFunction(kVirtioConsoleSlot, 0, *virtioConsole_);
        intx_->connect(kVirtioConsoleSlot, *virtioConsole_);
    }
    if (rng) {
        virtioRng_ = std::make_unique<virtio::VirtioRng>(mem, ports);
        pci_->addFunction(kVirtioRngSlot, 0, *virtioRng_);
        intx_->connect(kVirtioRngSlot, *virtioRng_);
    }
}

FerrListener& PcDevices::fpuError() { return *fpuError_; }

void PcDevices::setCmosByte(unsigned index, uint8_t value) { rtc_->setByte(index, value); }

void PcDevices::fillCmos(const PhysicalMemory& mem) {
    // The memory-size bytes firmware reads (the layout Bochs and QEMU use).
    const uint64_t low = mem.lowRamEnd();
    const uint64_t extKiB = std::min<uint64_t>(low > 0x100000 ? (low - 0x100000) >> 10 : 0, 0xFFFF);
    const uint64_t above16M = std::min<uint64_t>(low > 0x1000000 ? (low - 0x1000000) >> 16 : 0, 0xFFFF);
    const uint64_t above4G = (mem.highRamEnd() - PhysicalMemory::kHighRamBase) >> 16;
    rtc_->setByte(0x15, 640 & 0xFF);  // base memory, KiB
    rtc_->setByte(0x16, 640 >> 8);
    rtc_->setByte(0x17, extKiB & 0xFF);  // extended memory above 1 MiB, KiB
    rtc_->setByte(0x18, static_cast<uint8_t>(extKiB >> 8));
    rtc_->setByte(0x30, extKiB & 0xFF);
    rtc_->setByte(0x31, static_cast<uint8_t>(extKiB >> 8));
    rtc_->setByte(0x34, above16M & 0xFF);  // above 16 MiB, 64 KiB units
    rtc_->setByte(0x35, static_cast<uint8_t>(above16M >> 8));
    rtc_->setByte(0x5B, above4G & 0xFF);  // above 4 GiB, 64 KiB units
    rtc_->setByte(0x5C, static_cast<uint8_t>(above4G >> 8));
    rtc_->setByte(0x5D, static_cast<uint8_t>(above4G >> 16));
    rtc_->setByte(0x14, 0x02);  // equipment: no floppy, x87 present, EGA/VGA display
}

void PcDevices::reset() {
    pic_->reset();
    lapic_->reset();
    ioApic_->reset();
    pit_->reset();
    port61_->reset();
    rtc_->reset();
    fpuError_->reset();
    com1_->reset();
    if (com2_) com2_->reset();
    kbc_->reset();
    port92_->reset();
    pci_->reset();
    ataPrimary_->reset();
    ataSecondary_->reset();
}

void PcDevices::registerStats(Stats& s) {
    // Per-device counters: the emulated "exits" the PV paths are compared against.
    s.counter("devices.pic.io_reads", &pic_->ioReads);
    s.counter("devices.pic.io_writes", &pic_->ioWrites);
    s.counter("devices.pic.interrupts_acknowledged", &pic_->interruptsAcknowledged);
    s.counter("devices.pic.spurious", &pic_->spuriousInterrupts);
    s.counter("devices.lapic.mmio_reads", &lapic_->mmioReads);
    s.counter("devices.lapic.mmio_writes", &lapic_->mmioWrites);
    s.counter("devices.lapic.interrupts_delivered", &lapic_->interruptsDelivered);
    s.counter("devices.lapic.extint_delivered", &lapic_->extIntDelivered);
    s.counter("devices.lapic.spurious", &lapic_->spuriousInterrupts);
    s.counter("devices.lapic.eois", &lapic_->eois);
    s.counter("devices.lapic.eoi_broadcasts", &lapic_->eoiBroadcasts);
    s.counter("devices.lapic.timer_fires", &lapic_->timerFires);
    s.counter("devices.lapic.ipis", &lapic_->ipisSent);
    s.counter("devices.lapic.nmis", &lapic_->nmis);
    s.counter("devices.lapic.errors", &lapic_->errors);
    s.counter("devices.ioapic.mmio_reads", &ioApic_->mmioReads);
    s.counter("devices.ioapic.mmio_writes", &ioApic_->mmioWrites);
    s.counter("devices.ioapic.interrupts_sent", &ioApic_->interruptsSent);
    s.counter("devices.ioapic.eois", &ioApic_->eois);
    s.counter("devices.pit.io_reads", &pit_->ioReads);
    s.counter("devices.pit.io_writes", &pit_->ioWrites);
    s.counter("devices.rtc.io_reads", &rtc_->ioReads);
    s.counter("devices.rtc.io_writes", &rtc_->ioWrites);
    s.counter("devices.rtc.interrupts", &rtc_->interrupts);
    s.counter("devices.com1.io_reads", &com1_->ioReads);
    s.counter("devices.com1.io_writes", &com1_->ioWrites);
    s.counter("devices.com1.bytes_out", &com1_->bytesOut);
    s.counter("devices.com1.bytes_in", &com1_->bytesIn);
    if (com2_) {
        s.counter("devices.com2.io_reads", &com2_->ioReads);
        s.counter("devices.com2.io_writes", &com2_->ioWrites);
        s.counter("devices.com2.bytes_out", &com2_->bytesOut);
    }
    s.counter("devices.i8042.io_reads", &kbc_->ioReads);
    s.counter("devices.i8042.io_writes", &kbc_->ioWrites);
    s.counter("devices.ata0.pio_accesses", &ataPrimary_->pioAccesses);
    s.counter("devices.ata0.commands", &ataPrimary_->commands);
    s.counter("devices.ata0.command_errors", &ataPrimary_->commandErrors);
    s.counter("devices.ata0.dma_transfers", &ataPrimary_->dmaTransfers);
    s.counter("devices.ata0.sectors_read", &ataPrimary_->sectorsRead);
    s.counter("devices.ata0.sectors_written", &ataPrimary_->sectorsWritten);
    s.counter("devices.ata0.flushes", &ataPrimary_->flushes);
    s.counter("devices.ide.bus_master_accesses", &ide_->busMasterAccesses);
    s.counter("devices.pm.accesses", &pm_->pmAccesses);
    s.counter("devices.pm.timer_reads", &pm_->timerReads);
    s.counter("devices.vga.io_reads", &vga_->ioReads);
    s.counter("devices.vga.io_writes", &vga_->ioWrites);
    s.counter("devices.vga.legacy_reads", &vga_->legacyReads);
    s.counter("devices.vga.legacy_writes", &vga_->legacyWrites);
    s.counter("devices.vga.lfb_reads", &vga_->lfbReads);
    s.counter("devices.vga.lfb_writes", &vga_->lfbWrites);
    auto virtioStats = [&s](const std::string& p, virtio::VirtioPciDevice& d) {
        s.counter(p + ".register_reads", &d.registerReads);
        s.counter(p + ".register_writes", &d.registerWrites);
        s.counter(p + ".notifications", &d.notifications);
        s.counter(p + ".chains", &d.chainsProcessed);
        s.counter(p + ".interrupts", &d.interrupts);
        s.counter(p + ".queue_errors", &d.queueErrors);
    };
    if (virtioBlk_) {
        virtioStats("devices.virtio_blk", *virtioBlk_);
        s.counter("devices.virtio_blk.requests", &virtioBlk_->requests);
        s.counter("devices.virtio_blk.sectors_read", &virtioBlk_->sectorsRead);
        s.counter("devices.virtio_blk.sectors_written", &virtioBlk_->sectorsWritten);
        s.counter("devices.virtio_blk.flushes", &virtioBlk_->flushes);
        s.counter("devices.virtio_blk.request_errors", &virtioBlk_->requestErrors);
    }
    if (virtioConsole_) {
        virtioStats("devices.virtio_console", *virtioConsole_);
        s.counter("devices.virtio_console.bytes_out", &virtioConsole_->bytesOut);
        s.counter("devices.virtio_console.bytes_in", &virtioConsole_->bytesIn);
    }
    if (virtioRng_) {
        virtioStats("devices.virtio_rng", *virtioRng_);
        s.counter("devices.virtio_rng.bytes_out", &virtioRng_->bytesOut);
    }
}

}  // namespace pvx
