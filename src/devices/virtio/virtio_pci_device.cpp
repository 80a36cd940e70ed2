#include "devices/virtio/virtio_pci_device.h"

#include <array>

namespace pvx::virtio {

namespace {

struct Field {
    uint32_t off;
    unsigned size;
};

// §4.1.4.3 struct virtio_pci_common_cfg.
constexpr std::array<Field, 18> kCommonFields{{
    {0x00, 4}, {0x04, 4}, {0x08, 4}, {0x0C, 4}, {0x10, 2}, {0x12, 2}, {0x14, 1}, {0x15, 1}, {0x16, 2},
    {0x18, 2}, {0x1A, 2}, {0x1C, 2}, {0x1E, 2}, {0x20, 8}, {0x28, 8}, {0x30, 8}, {0x38, 2}, {0x3A, 2},
}};

// §4.1.4.8 legacy header without the MSI-X fields.
constexpr std::array<Field, 8> kLegacyFields{{
    {0x00, 4}, {0x04, 4}, {0x08, 4}, {0x0C, 2}, {0x0E, 2}, {0x10, 2}, {0x12, 1}, {0x13, 1},
}};

template <size_t N>
const Field* fieldAt(const std::array<Field, N>& fields, uint32_t off) {
    for (const Field& f : fields)
        if (off >= f.off && off < f.off + f.size) return &f;
    return nullptr;
}

uint64_t replaceBytes(uint64_t old, uint32_t fieldOff, unsigned fieldSize, uint32_t off, unsigned size, uint64_t value) {
    for (unsigned i = 0; i < size; ++i) {
        const uint32_t at = off + i;
        if (at < fieldOff || at >= fieldOff + fieldSize) continue;
        const unsigned shift = 8 * (at - fieldOff);
        old = (old & ~(0xFFull << shift)) | (((value >> (8 * i)) & 0xFF) << shift);
    }
    return old;
}

uint16_t legacyBarSizeFor(uint32_t configSize) {
    uint32_t need = VirtioPciDevice::kLegacyHeaderSize + configSize;
    uint32_t s = 4;
    while (s < need) s <<= 1;
    return static_cast<uint16_t>(s);
}

// A struct virtio_pci_cap body (§4.1.4) after the ID/next pair.
std::vector<uint8_t> capBody(uint8_t type, uint8_t bar, uint32_t offset, uint32_t length, bool notify) {
    std::vector<uint8_t> b = {static_cast<uint8_t>(notify ? 20 : 16), type, bar, 0, 0, 0};
    for (uint32_t v : {offset, length})
        for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
    if (notify)
        for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(VirtioPciDevice::kNotifyMultiplier >> (8 * i)));
    return b;
}

}  // namespace

VirtioPciDevice::VirtioPciDevice(PhysicalMemory& m, PortBus& ports, const Spec& spec)
    : PciFunction(Identity{kPciVendor, spec.pciDeviceId, 0x00, spec.classCode, 0x00, 0x01}, spec.name),
      config(spec.configSize, 0),
      mem(m),
      ports_(ports),
      name_(spec.name),
      legacyBarSize_(legacyBarSizeFor(spec.configSize)),
      deviceFeatures_(spec.deviceFeatures | kTransportFeatures) {
    // §4.1.2.3: a transitional device has revision 0 and the device type as subsystem ID.
    setConfig16(kSubsystemVendorId, kPciVendor);
    setConfig16(kSubsystemId, spec.deviceType);
    defineBar(kLegacyBar, BarKind::Io, legacyBarSize_);
    defineBar(kModernBar, BarKind::Mem32, kModernBarSize);
    const uint32_t notifyLen = kNotifyMultiplier * spec.queues;
    addCapability(kPciCapVendor, capBody(kPciCapCommonCfg, kModernBar, kCommonOffset, kCommonSize, false));
    addCapability(kPciCapVendor, capBody(kPciCapNotifyCfg, kModernBar, kNotifyOffset, notifyLen, true));
    addCapability(kPciCapVendor, capBody(kPciCapIsrCfg, kModernBar, kIsrOffset, 1, false));
    // §4.1.4.6: only a device with device-specific configuration has this one (an empty
    // structure is rejected by drivers: Linux's "bad capability len 0").
    if (spec.configSize)
        addCapability(kPciCapVendor, capBody(kPciCapDeviceCfg, kModernBar, kDeviceOffset, spec.configSize, false));
    // §4.1.4.9: struct virtio_pci_cfg_cap = virtio_pci_cap (bar, offset, length writable by the
    // driver) + u8 pci_cfg_data[4].
    std::vector<uint8_t> cfgCap = capBody(kPciCapPciCfg, 0, 0, 0, false);
    cfgCap[0] = 20;
    cfgCap.insert(cfgCap.end(), 4, 0);
    pciCfgCap_ = addCapability(kPciCapVendor, cfgCap);
    setWriteMask8(static_cast<uint8_t>(pciCfgCap_ + 4), 0xFF);     // bar
    setWriteMask32(static_cast<uint8_t>(pciCfgCap_ + 8), ~0u);     // offset
    setWriteMask32(static_cast<uint8_t>(pciCfgCap_ + 12), ~0u);    // length
    setWriteMask32(static_cast<uint8_t>(pciCfgCap_ + 16), ~0u);    // pci_cfg_data
    queues_.reserve(spec.queues);
    for (unsigned q = 0; q < spec.queues; ++q) queues_.emplace_back(m, spec.queueSize);
    pendingNotify_.assign(spec.queues, false);
}

// ---- transport state ----------------------------------------------------------------------

void VirtioPciDevice::deviceReset() {
    // §2.1.2 / §4.1.4.3.2: everything the driver configured goes back to its initial state.
    status_ = 0;
    driverFeatures_ = 0;
    deviceFeatureSelect_ = driverFeatureSelect_ = 0;
    queueSelect_ = 0;
    for (SplitQueue& q : queues_) q.reset();
    pendingNotify_.assign(queues_.size(), false);
    isr_ = 0;
    setIntxRequest(false);
    resetVirtioDevice();
}

void VirtioPciDevice::resetDevice() { deviceReset(); }

void VirtioPciDevice::markBroken(const std::string& why) {
    ++queueErrors;
    lastError_ = why;
    if (status_ & kStatusNeedsReset) return;
    status_ |= kStatusNeedsReset;
    // §2.1.2: the device SHOULD send a configuration change notification.
    if (status_ & kStatusDriverOk) raise(kIsrConfig);
}

void VirtioPciDevice::raise(uint8_t bits) {
    isr_ |= bits;
    ++interrupts;
    setIntxRequest(true);
}

uint8_t VirtioPciDevice::readIsr() {
    // §4.1.4.5.1: reading ISR status resets it to 0 and deasserts the interrupt.
    const uint8_t v = isr_;
    isr_ = 0;
    setIntxRequest(false);
    return v;
}

void VirtioPciDevice::writeStatus(uint8_t v, bool legacy) {
    if (v == 0) {
        deviceReset();
        return;
    }
    if ((v & kStatusFeaturesOk) && !(status_ & kStatusFeaturesOk)) {
        // §3.1.1 step 5-6 / §2.2.1: accept only features the device offered; a modern driver
        // must accept VERSION_1 (§6.1). Otherwise FEATURES_OK does not stick.
        const bool subset = (driverFeatures_ & ~deviceFeatures_) == 0;
        const bool version = legacy || (driverFeatures_ & kFeatureVersion1);
        if (!subset || !version) v &= static_cast<uint8_t>(~kStatusFeaturesOk);
    }
    status_ = static_cast<uint8_t>((v & ~kStatusNeedsReset) | (status_ & kStatusNeedsReset));
    applyQueueFeatures();
    if (driverReady())
        for (unsigned q = 0; q < queues_.size(); ++q)
            if (pendingNotify_[q]) kick(q);
}

void VirtioPciDevice::applyQueueFeatures() {
    for (SplitQueue& q : queues_) q.setFeatures(negotiated(kFeatureRingIndirectDesc), negotiated(kFeatureRingEventIdx));
}

void VirtioPciDevice::kick(unsigned q) {
    if (q >= queues_.size()) return;
    if (!busMasterEnabled() || !driverReady()) {
        // No DMA without bus mastering; no consuming buffers before DRIVER_OK (§3.1.1).
        pendingNotify_[q] = true;
        return;
    }
    pendingNotify_[q] = false;
    processQueue(q);
}

bool VirtioPciDevice::takeChain(unsigned q, VirtqChain& chain) {
    if (q >= queues_.size() || (status_ & kStatusNeedsReset)) return false;
    switch (queues_[q].pop(chain)) {
        case SplitQueue::Pop::Chain:
            ++chainsProcessed;
            return true;
        case SplitQueue::Pop::Empty:
            return false;
        case SplitQueue::Pop::Error:
            markBroken(name_ + " queue " + std::to_string(q) + ": " + queues_[q].error());
            return false;
    }
    return false;
}

void VirtioPciDevice::complete(unsigned q, const VirtqChain& chain, uint32_t written) {
    if (q >= queues_.size() || (status_ & kStatusNeedsReset)) return;
    if (!queues_[q].pushUsed(chain.head, written))
        markBroken(name_ + " queue " + std::to_string(q) + ": " + queues_[q].error());
}

void VirtioPciDevice::notifyDriver(unsigned q) {
    if (q >= queues_.size() || (status_ & kStatusNeedsReset)) return;
    if (queues_[q].needsInterrupt()) raise(kIsrQueue);
}

// ---- PCI hooks ------------------------------------------------------------------------------

void VirtioPciDevice::barChanged(int index, std::optional<uint32_t> oldBase, std::optional<uint32_t> newBase) {
    if (index == kLegacyBar) {
        if (oldBase) ports_.release(static_cast<uint16_t>(*oldBase), legacyBarSize_);
        if (newBase) ports_.claim(static_cast<uint16_t>(*newBase), legacyBarSize_, this, name_ + "-legacy");
    } else if (index == kModernBar) {
        if (oldBase) mem.removeMmio(this);
        if (newBase) mem.addMmio(*newBase, kModernBarSize, this, name_);
    }
}

bool VirtioPciDevice::cfgWindowValid(uint32_t& offset, unsigned& length) const {
    const uint8_t bar = config8(static_cast<uint8_t>(pciCfgCap_ + 4));
    offset = config32(static_cast<uint8_t>(pciCfgCap_ + 8));
    length = config32(static_cast<uint8_t>(pciCfgCap_ + 12));
    // §4.1.4.9.1: the driver MUST use a length of 1, 2 or 4 and an offset aligned to it.
    return bar == kModernBar && (length == 1 || length == 2 || length == 4) && offset % length == 0 &&
           offset + length <= kModernBarSize;
}

void VirtioPciDevice::configReading(uint8_t offset, unsigned size) {
    const uint8_t data = static_cast<uint8_t>(pciCfgCap_ + 16);
    if (!(offset < data + 4 && data < offset + size)) return;
    uint32_t off;
    unsigned len;
    if (!cfgWindowValid(off, len)) return;
    // The read goes to BAR4 as if the driver had read the memory (ISR reads clear the ISR too).
    const uint64_t v = mmioRead(off, len);
    for (unsigned i = 0; i < len; ++i) setConfig8(static_cast<uint8_t>(data + i), static_cast<uint8_t>(v >> (8 * i)));
}

void VirtioPciDevice::configWritten(uint8_t offset, unsigned size) {
    const uint8_t data = static_cast<uint8_t>(pciCfgCap_ + 16);
    uint32_t off;
    unsigned len;
    if (offset < data + 4 && data < offset + size && cfgWindowValid(off, len))
        mmioWrite(off, len, config32(data) & (len == 4 ? ~0u : (1u << (8 * len)) - 1));
    // Bus mastering switched on: take up notifications that arrived while DMA was off.
    if (offset <= kCommand && kCommand < offset + size && driverReady())
        for (unsigned q = 0; q < queues_.size(); ++q)
            if (pendingNotify_[q]) kick(q);
}

// ---- modern interface (BAR4) ------------------------------------------------------------------

uint64_t VirtioPciDevice::commonField(uint32_t off, unsigned) const {
    const bool qValid = queueSelect_ < queues_.size();
    const SplitQueue* q = qValid ? &queues_[queueSelect_] : nullptr;
    switch (off) {
        case 0x00: return deviceFeatureSelect_;
        case 0x04: return deviceFeatureSelect_ < 2 ? static_cast<uint32_t>(deviceFeatures_ >> (32 * deviceFeatureSelect_)) : 0;
        case 0x08: return driverFeatureSelect_;
        case 0x0C: return driverFeatureSelect_ < 2 ? static_cast<uint32_t>(driverFeatures_ >> (32 * driverFeatureSelect_)) : 0;
        case 0x10: return kNoVector;
        case 0x12: return queues_.size();
        case 0x14: return status_;
        case 0x15: return 0;  // config_generation: the device config never changes under the driver
        case 0x16: return queueSelect_;
        case 0x18: return q ? q->size : 0;  // 0: no such queue
        case 0x1A: return kNoVector;
        case 0x1C: return q && q->ready ? 1 : 0;
        case 0x1E: return qValid ? queueSelect_ : 0;  // queue_notify_off
        case 0x20: return q ? q->descAddr : 0;
        case 0x28: return q ? q->driverAddr : 0;
        case 0x30: return q ? q->deviceAddr : 0;
        default: return 0;  // queue_notify_data, queue_reset (VIRTIO_F_RING_RESET not offered)
    }
}

void VirtioPciDevice::writeCommonField(uint32_t off, uint64_t value) {
    SplitQueue* q = queueSelect_ < queues_.size() ? &queues_[queueSelect_] : nullptr;
    // §4.1.4.3.2: the driver MUST NOT change a queue's configuration once it is enabled.
    const bool qWritable = q && !q->ready;
    switch (off) {
        case 0x00: deviceFeatureSelect_ = static_cast<uint32_t>(value); break;
        case 0x08: driverFeatureSelect_ = static_cast<uint32_t>(value); break;
        case 0x0C:
            // Features are fixed once FEATURES_OK is set (§3.1.1).
            if (driverFeatureSelect_ < 2 && !(status_ & kStatusFeaturesOk)) {
                const unsigned shift = 32 * driverFeatureSelect_;
                driverFeatures_ = (driverFeatures_ & ~(0xFFFFFFFFull << shift)) | (uint64_t{static_cast<uint32_t>(value)} << shift);
            }
            break;
        case 0x14: writeStatus(static_cast<uint8_t>(value), false); break;
        case 0x16: queueSelect_ = static_cast<uint16_t>(value); break;
        case 0x18: {
            // A power of two no larger than the maximum (§2.7: split queue sizes are powers of 2).
            const uint16_t s = static_cast<uint16_t>(value);
            if (qWritable && s != 0 && (s & (s - 1)) == 0 && s <= q->maxSize()) q->size = s;
            break;
        }
        case 0x1C:
            if (q && (value & 1) && !q->ready) {
                q->ready = true;
                applyQueueFeatures();
            }
            break;
        case 0x20: if (qWritable) q->descAddr = value; break;
        case 0x28: if (qWritable) q->driverAddr = value; break;
        case 0x30: if (qWritable) q->deviceAddr = value; break;
        default: break;  // read-only fields, MSI-X vectors (no MSI-X: stay NO_VECTOR)
    }
}

uint64_t VirtioPciDevice::mmioRead(uint64_t offset, unsigned size) {
    ++registerReads;
    uint64_t v = 0;
    if (offset >= kCommonOffset && offset < kCommonOffset + kCommonSize) {
        for (unsigned i = 0; i < size; ++i) {
            const uint32_t at = static_cast<uint32_t>(offset - kCommonOffset) + i;
            const Field* f = fieldAt(kCommonFields, at);
            if (!f) continue;
            v |= ((commonField(f->off, f->size) >> (8 * (at - f->off))) & 0xFF) << (8 * i);
        }
    } else if (offset >= kIsrOffset && offset < kIsrOffset + 4) {
        if (offset == kIsrOffset) v = readIsr();
    } else if (offset >= kDeviceOffset && offset < kDeviceOffset + 0x1000) {
        for (unsigned i = 0; i < size; ++i)
            v |= uint64_t{readConfigByte(static_cast<uint32_t>(offset - kDeviceOffset) + i)} << (8 * i);
    }
    return v;
}

void VirtioPciDevice::mmioWrite(uint64_t offset, unsigned size, uint64_t value) {
    ++registerWrites;
    if (offset >= kCommonOffset && offset < kCommonOffset + kCommonSize) {
        const uint32_t off = static_cast<uint32_t>(offset - kCommonOffset);
        const Field* last = nullptr;
        for (unsigned i = 0; i < size; ++i) {
            const Field* f = fieldAt(kCommonFields, off + i);
            if (!f || f == last) continue;
            last = f;
            writeCommonField(f->off, replaceBytes(commonField(f->off, f->size), f->off, f->size, off, size, value));
        }
    } else if (offset >= kDeviceOffset && offset < kDeviceOffset + 0x1000) {
        writeConfigBytes(static_cast<uint32_t>(offset - kDeviceOffset), size, value);
    } else if (offset >= kNotifyOffset && offset < kNotifyOffset + kNotifyMultiplier * queues_.size()) {
        ++notifications;
        kick(static_cast<unsigned>((offset - kNotifyOffset) / kNotifyMultiplier));
    }
}

void VirtioPciDevice::writeConfigBytes(uint32_t off, unsigned size, uint64_t value) {
    if (off >= config.size()) return;
    deviceConfigWritten(off, size);
    (void)value;
}

// ---- legacy interface (BAR0) ------------------------------------------------------------------

uint64_t VirtioPciDevice::legacyField(uint32_t off, unsigned) const {
    const SplitQueue* q = queueSelect_ < queues_.size() ? &queues_[queueSelect_] : nullptr;
    switch (off) {
        case 0x00: return static_cast<uint32_t>(deviceFeatures_);  // legacy: the low 32 bits only
        case 0x04: return static_cast<uint32_t>(driverFeatures_);
        case 0x08: return q ? q->legacyPfn() : 0;
        case 0x0C: return q ? q->maxSize() : 0;
        case 0x0E: return queueSelect_;
        case 0x12: return status_;
        default: return 0;
    }
}

void VirtioPciDevice::writeLegacyField(uint32_t off, uint64_t value) {
    SplitQueue* q = queueSelect_ < queues_.size() ? &queues_[queueSelect_] : nullptr;
    switch (off) {
        case 0x04:
            if (!(status_ & kStatusFeaturesOk))
                driverFeatures_ = static_cast<uint32_t>(value) & static_cast<uint32_t>(deviceFeatures_);
            applyQueueFeatures();
            break;
        case 0x08:
            if (q) {
                q->setLegacyPfn(static_cast<uint32_t>(value));
                applyQueueFeatures();
            }
            break;
        case 0x0E: queueSelect_ = static_cast<uint16_t>(value); break;
        case 0x10:
            ++notifications;
            kick(static_cast<uint16_t>(value));
            break;
        case 0x12: writeStatus(static_cast<uint8_t>(value), true); break;
        default: break;
    }
}

uint32_t VirtioPciDevice::ioRead(uint16_t port, unsigned size) {
    ++registerReads;
    const std::optional<uint32_t> base = barAddress(kLegacyBar);
    if (!base) return 0xFFFFFFFF;
    const uint32_t off = port - *base;
    uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i) {
        const uint32_t at = off + i;
        uint32_t b = 0;
        if (at == 0x13) b = readIsr();
        else if (at < kLegacyHeaderSize) {
            const Field* f = fieldAt(kLegacyFields, at);
            b = f ? static_cast<uint32_t>((legacyField(f->off, f->size) >> (8 * (at - f->off))) & 0xFF) : 0;
        } else b = readConfigByte(at - kLegacyHeaderSize);
        v |= b << (8 * i);
    }
    return v;
}

void VirtioPciDevice::ioWrite(uint16_t port, unsigned size, uint32_t value) {
    ++registerWrites;
    const std::optional<uint32_t> base = barAddress(kLegacyBar);
    if (!base) return;
    const uint32_t off = port - *base;
    if (off >= kLegacyHeaderSize) {
        writeConfigBytes(off - kLegacyHeaderSize, size, value);
        return;
    }
    const Field* last = nullptr;
    for (unsigned i = 0; i < size; ++i) {
        const Field* f = fieldAt(kLegacyFields, off + i);
        if (!f || f == last) continue;
        last = f;
        writeLegacyField(f->off, replaceBytes(legacyField(f->off, f->size), f->off, f->size, off, size, value));
    }
}

}  // namespace pvx::virtio
