// AtaChannel: register file, PIO data path and the device side of DMA. Command execution is in
// ata_channel_commands.cpp.
#include "devices/ata/ata_channel.h"

#include <algorithm>
#include <cstring>

namespace pvx {

using namespace ata;

AtaChannel::AtaChannel(std::string name)
    : name_(std::move(name)), buf_(kDmaChunkSectors * BlockBackend::kSectorSize) {
    reset();
}

void AtaChannel::attach(PortBus& bus, Ports ports) {
    commandBase_ = ports.command;
    controlPort_ = ports.control;
    bus.claim(ports.command, 8, this, name_);
    bus.claim(ports.control, 1, this, name_ + "-ctl");
}

void AtaChannel::setDisk(unsigned unit, AtaDisk* disk) {
    if (unit > 1) return;
    disks_[unit] = disk;
    status_[unit] = disk ? kStatusReady : 0;
    error_[unit] = disk ? kDiagnosticPassed : 0;
}

void AtaChannel::setBusMasterHooks(std::function<void()> onInterrupt, std::function<void()> onDmaRequest) {
    onInterrupt_ = std::move(onInterrupt);
    onDmaRequest_ = std::move(onDmaRequest);
}

void AtaChannel::reset() {
    control_ = 0;
    endTransfer();
    for (unsigned u = 0; u < 2; ++u) {
        if (disks_[u]) disks_[u]->powerOnDefaults();
        status_[u] = disks_[u] ? kStatusReady : 0;
        error_[u] = disks_[u] ? kDiagnosticPassed : 0;
    }
    feature_ = hobFeature_ = hobCount_ = hobLbaLow_ = hobLbaMid_ = hobLbaHigh_ = 0;
    setSignature();
    interruptPending_ = false;
    updateIrq();
}

void AtaChannel::setSignature() {
    // The ATA device signature (ATA/ATAPI-6, "signature and persistence") after a reset or EXECUTE DEVICE DIAGNOSTIC: sector count
    // 01h, LBA low 01h, LBA mid 00h, LBA high 00h, device 00h (packet devices put 14h/EBh in
    // LBA mid/high instead; that is how hosts tell them apart).
    count_ = 1;
    lbaLow_ = 1;
    lbaMid_ = 0;
    lbaHigh_ = 0;
    device_ = kDeviceObsolete;
}

void AtaChannel::updateIrq() { irq.set(interruptPending_ && !(control_ & kControlNien)); }

void AtaChannel::raiseInterrupt() {
    interruptPending_ = true;
    updateIrq();
    // The PIIX latches the drive's INTRQ into the bus master status (IDEINTS); with nIEN set the
    // drive does not drive INTRQ, so there is nothing to latch.
    if (irq.level() && onInterrupt_) onInterrupt_();
}

void AtaChannel::endTransfer() {
    xfer_ = Xfer::None;
    xferLeft_ = 0;
    bufPos_ = 0;
    bufLen_ = 0;
}

void AtaChannel::complete() {
    endTransfer();
    status_[unit_] = kStatusReady;
    raiseInterrupt();
}

void AtaChannel::fail(uint8_t errorBits) {
    endTransfer();
    error_[unit_] = errorBits;
    status_[unit_] = kStatusReady | kStatusErr;
    ++commandErrors;
    raiseInterrupt();
}

// ---- port access ----

uint32_t AtaChannel::ioRead(uint16_t port, unsigned size) {
    ++pioAccesses;
    if (port == controlPort_) {
        // Alternate status: the status without clearing the interrupt (ATA/ATAPI-6,
        // Alternate Status register). Wider accesses
        // reach nothing above this one port.
        uint32_t v = readStatus(false);
        return size > 1 ? v | (0xFFFFFFFFu << 8) : v;
    }
    unsigned reg = static_cast<unsigned>(port - commandBase_);
    if (reg == kRegData) return readData(size);
    // An 8-bit register read with a wider access: the bus splits it into byte cycles.
    uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i) {
        unsigned r = reg + i;
        uint32_t b = r <= kRegStatus ? readRegister(r) : 0xFF;
        v |= b << (8 * i);
    }
    return v;
}

void AtaChannel::ioWrite(uint16_t port, unsigned size, uint32_t value) {
    ++pioAccesses;
    if (port == controlPort_) {
        writeControl(static_cast<uint8_t>(value));
        return;
    }
    unsigned reg = static_cast<unsigned>(port - commandBase_);
    if (reg == kRegData) {
        writeData(size, value);
        return;
    }
    for (unsigned i = 0; i < size && reg + i <= kRegCommand; ++i)
        writeRegister(reg + i, static_cast<uint8_t>(value >> (8 * i)));
}

uint8_t AtaChannel::readStatus(bool clearInterrupt) {
    if (!anyDisk()) return 0xFF;  // nothing drives the bus
    unsigned u = selected();
    if (!disks_[u]) return 0x00;  // device 0 answers for an absent device 1 with 00h
    if (clearInterrupt && interruptPending_) {
        // Reading the Status register clears a pending interrupt (ATA/ATAPI-6, INTRQ).
        interruptPending_ = false;
        updateIrq();
    }
    return status_[u];
}

uint8_t AtaChannel::readRegister(unsigned reg) {
    if (!anyDisk()) return 0xFF;
    bool hob = control_ & kControlHob;
    switch (reg) {
        case kRegError: return error_[selected()];
        case kRegCount: return hob ? hobCount_ : count_;
        case kRegLbaLow: return hob ? hobLbaLow_ : lbaLow_;
        case kRegLbaMid: return hob ? hobLbaMid_ : lbaMid_;
        case kRegLbaHigh: return hob ? hobLbaHigh_ : lbaHigh_;
        case kRegDevice: return device_;
        case kRegStatus: return readStatus(true);
        default: return 0xFF;
    }
}

void AtaChannel::writeRegister(unsigned reg, uint8_t v) {
    // ATA/ATAPI-6 Device Control register: a write to any command block register clears HOB. Each write to a 48-bit capable
    // register pushes the old value into the "previous content" half (48-bit Address feature set).
    control_ &= static_cast<uint8_t>(~kControlHob);
    switch (reg) {
        case kRegFeature: hobFeature_ = feature_; feature_ = v; break;
        case kRegCount: hobCount_ = count_; count_ = v; break;
        case kRegLbaLow: hobLbaLow_ = lbaLow_; lbaLow_ = v; break;
        case kRegLbaMid: hobLbaMid_ = lbaMid_; lbaMid_ = v; break;
        case kRegLbaHigh: hobLbaHigh_ = lbaHigh_; lbaHigh_ = v; break;
        case kRegDevice: device_ = static_cast<uint8_t>(v | kDeviceObsolete); break;
        case kRegCommand: executeCommand(v); break;
        default: break;
    }
}

void AtaChannel::writeControl(uint8_t v) {
    bool wasReset = control_ & kControlSrst;
    control_ = v & (kControlHob | kControlSrst | kControlNien);
    if (!wasReset && (control_ & kControlSrst)) {
        // SRST set: both devices abandon any command and go busy (software reset protocol).
        endTransfer();
        interruptPending_ = false;
        for (unsigned u = 0; u < 2; ++u)
            if (disks_[u]) status_[u] = kStatusBsy;
    } else if (wasReset && !(control_ & kControlSrst)) {
        // SRST cleared: the reset completes (instantly here) with the signature in the task
        // file and the diagnostic code in the error register; no interrupt (software reset protocol).
        setSignature();
        for (unsigned u = 0; u < 2; ++u) {
            status_[u] = disks_[u] ? kStatusReady : 0;
            error_[u] = disks_[u] ? kDiagnosticPassed : 0;
        }
    }
    updateIrq();
}

// ---- PIO data ----

uint32_t AtaChannel::readData(unsigned size) {
    if (xfer_ != Xfer::PioIn) return 0xFFFFFFFF;  // no DRQ: nothing drives the data lines
    uint32_t n = std::min<uint32_t>(size, bufLen_ - bufPos_);
    uint32_t v = 0xFFFFFFFFu;
    for (uint32_t i = 0; i < n; ++i) {
        v &= ~(0xFFu << (8 * i));
        v |= uint32_t{buf_[bufPos_ + i]} << (8 * i);
    }
    bufPos_ += n;
    if (bufPos_ == bufLen_) {
        if (xferLeft_ > 0) {
            loadPioInBlock();
        } else {
            // PIO data-in ends without an interrupt after the last block (PIO data-in protocol).
            endTransfer();
            status_[unit_] = kStatusReady;
        }
    }
    return v;
}

void AtaChannel::writeData(unsigned size, uint32_t value) {
    if (xfer_ != Xfer::PioOut) return;
    uint32_t n = std::min<uint32_t>(size, bufLen_ - bufPos_);
    for (uint32_t i = 0; i < n; ++i) buf_[bufPos_ + i] = static_cast<uint8_t>(value >> (8 * i));
    bufPos_ += n;
    if (bufPos_ == bufLen_) storePioOutBlock();
}

// ---- DMA, device side ----

std::span<uint8_t> AtaChannel::dmaWindow() {
    if (xfer_ == Xfer::DmaIn && bufPos_ == bufLen_) {
        if (xferLeft_ == 0) return {};
        uint32_t n = std::min(xferLeft_, kDmaChunkSectors);
        if (!disks_[unit_]->backend().read(xferLba_, n, buf_.data())) {
            fail(kErrorUnc);
            return {};
        }
        sectorsRead += n;
        xferLba_ += n;
        xferLeft_ -= n;
        bufPos_ = 0;
        bufLen_ = n * BlockBackend::kSectorSize;
    } else if (xfer_ == Xfer::DmaOut && bufLen_ == 0) {
        if (xferLeft_ == 0) return {};
        bufPos_ = 0;
        bufLen_ = std::min(xferLeft_, kDmaChunkSectors) * BlockBackend::kSectorSize;
    } else if (!dmaPending()) {
        return {};
    }
    return std::span<uint8_t>(buf_.data() + bufPos_, bufLen_ - bufPos_);
}

void AtaChannel::dmaAdvance(uint32_t n) {
    if (!dmaPending()) return;
    bufPos_ += std::min(n, bufLen_ - bufPos_);
    if (bufPos_ != bufLen_) return;
    if (xfer_ == Xfer::DmaIn) {
        if (xferLeft_ == 0) complete();
        return;
    }
    uint32_t sectors = bufLen_ / BlockBackend::kSectorSize;
    if (!disks_[unit_]->backend().write(xferLba_, sectors, buf_.data())) {
        fail(kErrorAbrt);
        return;
    }
    sectorsWritten += sectors;
    xferLba_ += sectors;
    xferLeft_ -= sectors;
    bufPos_ = bufLen_ = 0;
    if (xferLeft_ == 0) complete();
}

void AtaChannel::dmaAbort() {
    if (dmaPending()) fail(kErrorAbrt);
}

}  // namespace pvx
