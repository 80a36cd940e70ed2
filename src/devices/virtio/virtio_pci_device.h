// The virtio PCI transport (virtio 1.2 §4.1) for one transitional device: the modern interface
// through vendor-specific PCI capabilities pointing into a memory BAR, and the legacy interface
// in I/O BAR 0 (§4.1.5.1.3 "Legacy Interfaces") so pre-1.0 drivers work too.
//
//   BAR0 (I/O)     legacy header (§4.1.4.8, no MSI-X fields) followed by the device config
//   BAR4 (memory)  0x0000 common config (§4.1.4.3)   0x1000 ISR status (§4.1.4.5)
//                  0x2000 device config (§4.1.4.6)   0x3000 notifications (§4.1.4.4), 4 bytes/queue
//   and the PCI configuration access capability (§4.1.4.9): a window onto BAR4 through
//   configuration space (bar, offset, length, pci_cfg_data), for drivers that cannot map BARs.
//
// Queues are processed synchronously on the notify write. Interrupts are INTx#: the ISR status
// byte holds the reason and reading it clears it and deasserts the pin (§4.1.4.5.1). A device
// may only touch guest memory while PCI bus mastering is enabled (PCI 3.0 6.2.2): notifications
// before that are counted and ignored, and taken up on the next one.
//
// Feature negotiation by §3.1.1: the driver's features may only be written before FEATURES_OK;
// FEATURES_OK sticks only if the features are a subset of the device's and (for the modern
// interface) include VIRTIO_F_VERSION_1. Writing 0 to the status resets the device (§2.1.2,
// §4.1.4.3.2). A queue the driver corrupted sets DEVICE_NEEDS_RESET and raises a configuration
// change interrupt (§2.1.2); the device then ignores the queues until reset.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "common/port_bus.h"
#include "devices/pci/pci_function.h"
#include "devices/virtio/split_queue.h"
#include "devices/virtio/virtio_defs.h"
#include "mmu/mmio.h"
#include "mmu/phys_memory.h"

namespace pvx::virtio {

class VirtioPciDevice : public PciFunction, public PortDevice, public MmioDevice {
public:
    struct Spec {
        std::string name;          // "virtio-blk", for port/MMIO names and stats
        uint16_t pciDeviceId;      // transitional ID (1001, 1003, 1005)
        uint16_t deviceType;       // §5: 2 block, 3 console, 4 entropy
        uint32_t classCode;        // base << 16 | sub << 8 | prog-if
        unsigned queues;
        uint16_t queueSize;        // maximum (and legacy) queue size, a power of two
        uint64_t deviceFeatures;   // device-specific bits; the transport adds its own
        uint32_t configSize;       // bytes of device-specific configuration
    };

    static constexpr int kLegacyBar = 0;
    static constexpr int kModernBar = 4;
    static constexpr uint32_t kModernBarSize = 0x4000;
    static constexpr uint32_t kCommonOffset = 0x0000;
    static constexpr uint32_t kIsrOffset = 0x1000;
    static constexpr uint32_t kDeviceOffset = 0x2000;
    static constexpr uint32_t kNotifyOffset = 0x3000;
    static constexpr uint32_t kNotifyMultiplier = 4;
    static constexpr uint32_t kCommonSize = 0x3C;
    static constexpr uint32_t kLegacyHeaderSize = 0x14;
    static constexpr uint16_t kNoVector = 0xFFFF;  // §4.1.5.1.2: no MSI-X

    VirtioPciDevice(PhysicalMemory& mem, PortBus& ports, const Spec& spec);

    uint32_t ioRead(uint16_t port, unsigned size) override;
    void ioWrite(uint16_t port, unsigned size, uint32_t value) override;
    uint64_t mmioRead(uint64_t offset, unsigned size) override;
    void mmioWrite(uint64_t offset, unsigned size, uint64_t value) override;

    uint8_t status() const { return status_; }
    uint8_t isr() const { return isr_; }
    uint64_t deviceFeatures() const { return deviceFeatures_; }
    uint64_t driverFeatures() const { return driverFeatures_; }
    SplitQueue& queue(unsigned q) { return queues_[q]; }
    unsigned queueCount() const { return static_cast<unsigned>(queues_.size()); }
    const std::string& lastError() const { return lastError_; }

    // Counters: guest register accesses (exits) and work done.
    uint64_t registerReads = 0;
    uint64_t registerWrites = 0;
    uint64_t notifications = 0;
    uint64_t chainsProcessed = 0;
    uint64_t interrupts = 0;
    uint64_t queueErrors = 0;

protected:
    // The device's work when queue `q` was notified (and bus mastering allows DMA). It pops
    // chains with takeChain() and returns them with complete().
    virtual void processQueue(unsigned q) = 0;
    // Device state back to power-on (after the transport's own reset).
    virtual void resetVirtioDevice() {}
    // A driver write to the device configuration (most fields are read-only: ignored).
    virtual void deviceConfigWritten(uint32_t offset, unsigned size) { (void)offset; (void)size; }

    // Device-side helpers.
    bool driverReady() const { return (status_ & kStatusDriverOk) && !(status_ & kStatusNeedsReset); }
    bool negotiated(uint64_t feature) const { return (driverFeatures_ & feature) == feature; }
    // The next chain of queue `q`; false when there is none or the queue is broken (then the
    // device is marked as needing a reset).
    bool takeChain(unsigned q, VirtqChain& chain);
    void complete(unsigned q, const VirtqChain& chain, uint32_t written);
    // After a batch of complete(): interrupt the driver if it wants one.
    void notifyDriver(unsigned q);
    // The device config as the driver reads it (device-specific layout, little-endian).
    std::vector<uint8_t> config;
    PhysicalMemory& mem;
    // Runs processQueue(q) if the driver is ready and DMA is allowed (also used for host-side
    // events such as console input).
    void kick(unsigned q);

    void resetDevice() override;
    void barChanged(int index, std::optional<uint32_t> oldBase, std::optional<uint32_t> newBase) override;
    void configWritten(uint8_t offset, unsigned size) override;
    void configReading(uint8_t offset, unsigned size) override;

private:
    void deviceReset();
    void markBroken(const std::string& why);
    void raise(uint8_t isrBits);
    uint8_t readIsr();
    void writeStatus(uint8_t v, bool legacy);
    void applyQueueFeatures();

    uint64_t commonField(uint32_t off, unsigned size) const;
    void writeCommonField(uint32_t off, uint64_t value);
    uint64_t legacyField(uint32_t off, unsigned size) const;
    void writeLegacyField(uint32_t off, uint64_t value);
    uint8_t readConfigByte(uint32_t off) const { return off < config.size() ? config[off] : 0; }
    void writeConfigBytes(uint32_t off, unsigned size, uint64_t value);

    // §4.1.4.9 window: true when an access to pci_cfg_data may reach BAR4 (bar = 4, length 1, 2
    // or 4, offset aligned to it and inside the BAR).
    bool cfgWindowValid(uint32_t& offset, unsigned& length) const;

    PortBus& ports_;
    std::string name_;
    uint8_t pciCfgCap_ = 0;  // offset of the configuration access capability
    uint16_t legacyBarSize_;
    uint64_t deviceFeatures_;
    uint64_t driverFeatures_ = 0;
    uint32_t deviceFeatureSelect_ = 0;
    uint32_t driverFeatureSelect_ = 0;
    uint16_t queueSelect_ = 0;
    uint8_t status_ = 0;
    uint8_t isr_ = 0;
    std::vector<SplitQueue> queues_;
    std::vector<bool> pendingNotify_;
    std::string lastError_;
};

}  // namespace pvx::virtio
