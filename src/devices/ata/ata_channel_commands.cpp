// AtaChannel: command execution (ATA/ATAPI-6 "command descriptions" for each command, and the
// PIO data-in, PIO data-out, non-data and DMA protocols).
#include <algorithm>
#include <cstring>

#include "devices/ata/ata_channel.h"

namespace pvx {

using namespace ata;

void AtaChannel::executeCommand(uint8_t cmd) {
    // Writing the Command register clears a pending interrupt.
    interruptPending_ = false;
    updateIrq();

    if (cmd == kCmdExecuteDiagnostic && anyDisk()) {
        // EXECUTE DEVICE DIAGNOSTIC: addressed to both devices whatever DEV says; device 0 reports and interrupts.
        ++commands;
        endTransfer();
        setSignature();
        for (unsigned u = 0; u < 2; ++u) {
            status_[u] = disks_[u] ? kStatusReady : 0;
            error_[u] = disks_[u] ? kDiagnosticPassed : 0;
        }
        unit_ = 0;
        raiseInterrupt();
        return;
    }

    unsigned u = selected();
    AtaDisk* d = disks_[u];
    // An absent device does not execute commands; a busy device (SRST held, transfer in
    // progress) ignores a new one until the host resets it (the host "shall not" write it).
    if (!d || (status_[u] & (kStatusBsy | kStatusDrq))) {
        ++ignoredCommands;
        return;
    }
    ++commands;
    unit_ = u;
    error_[u] = 0;
    Range r;

    switch (cmd) {
        case kCmdIdentify: {
            // IDENTIFY DEVICE: one 512-byte PIO data-in block.
            std::array<uint16_t, 256> words = d->identify();
            for (unsigned i = 0; i < 256; ++i) {
                buf_[2 * i] = static_cast<uint8_t>(words[i]);
                buf_[2 * i + 1] = static_cast<uint8_t>(words[i] >> 8);
            }
            xfer_ = Xfer::PioIn;
            xferLeft_ = 0;
            bufPos_ = 0;
            bufLen_ = BlockBackend::kSectorSize;
            status_[u] = kStatusReady | kStatusDrq;
            raiseInterrupt();
            return;
        }

        case kCmdReadSectors:
        case kCmdReadSectorsNoRetry:
            if (decodeRange(false, r)) startPioIn(r, 1);
            return;
        case kCmdReadSectorsExt:
            if (decodeRange(true, r)) startPioIn(r, 1);
            return;
        case kCmdReadMultiple:
        case kCmdReadMultipleExt:
            // READ MULTIPLE without a prior successful SET MULTIPLE MODE aborts.
            if (d->multipleSectors() == 0) return fail(kErrorAbrt);
            if (decodeRange(cmd == kCmdReadMultipleExt, r)) startPioIn(r, d->multipleSectors());
            return;

        case kCmdWriteSectors:
        case kCmdWriteSectorsNoRetry:
        case kCmdWriteSectorsExt:
            if (d->readOnly()) return fail(kErrorAbrt);
            if (decodeRange(cmd == kCmdWriteSectorsExt, r)) startPioOut(r, 1);
            return;
        case kCmdWriteMultiple:
        case kCmdWriteMultipleExt:
            if (d->readOnly() || d->multipleSectors() == 0) return fail(kErrorAbrt);
            if (decodeRange(cmd == kCmdWriteMultipleExt, r)) startPioOut(r, d->multipleSectors());
            return;

        case kCmdReadDma:
        case kCmdReadDmaNoRetry:
        case kCmdReadDmaExt:
            if (decodeRange(cmd == kCmdReadDmaExt, r)) startDma(r, true);
            return;
        case kCmdWriteDma:
        case kCmdWriteDmaNoRetry:
        case kCmdWriteDmaExt:
            if (d->readOnly()) return fail(kErrorAbrt);
            if (decodeRange(cmd == kCmdWriteDmaExt, r)) startDma(r, false);
            return;

        case kCmdReadVerify:
        case kCmdReadVerifyNoRetry:
        case kCmdReadVerifyExt:
            // READ VERIFY SECTORS: like a read without the data transfer; the range check is the verify.
            if (decodeRange(cmd == kCmdReadVerifyExt, r)) complete();
            return;

        case kCmdFlushCache:
        case kCmdFlushCacheExt:
            // FLUSH CACHE: everything written so far reaches the medium: fdatasync on the image.
            ++flushes;
            if (d->backend().flush()) return complete();
            return fail(kErrorAbrt);

        case kCmdSetFeatures:
            return setFeatures();

        case kCmdInitDeviceParams:
            // INITIALIZE DEVICE PARAMETERS: sectors per track in the count register, heads - 1 in device bits 3:0.
            if (d->setTranslation((device_ & 0x0Fu) + 1, count_)) return complete();
            return fail(kErrorAbrt);

        case kCmdSetMultiple:
            if (d->setMultiple(count_)) return complete();
            return fail(kErrorAbrt);

        case kCmdCheckPowerMode:
        case kCmdOldCheckPowerMode:
            count_ = 0xFF;  // CHECK POWER MODE: FFh = active or idle
            return complete();

        case kCmdStandbyImmediate:
        case kCmdIdleImmediate:
        case kCmdStandby:
        case kCmdIdle:
        case kCmdSleep:
        case kCmdOldStandbyImmediate:
        case kCmdOldStandbyImmediate + 1:  // 95h IDLE IMMEDIATE
        case kCmdOldStandbyImmediate + 2:  // 96h STANDBY
        case kCmdOldStandbyImmediate + 3:  // 97h IDLE
        case kCmdOldSleep:
        case kCmdSeek:
            // Power management and seeks have nothing to do on an image file.
            return complete();

        default:
            // RECALIBRATE is the whole 10h-1Fh range (obsolete, still issued by old BIOSes).
            if ((cmd & 0xF0) == kCmdRecalibrate) return complete();
            // Everything else, including NOP, IDENTIFY PACKET DEVICE and DEVICE RESET (packet
            // commands a non-packet device aborts), ends with ABRT, as the standard requires for unsupported commands.
            return fail(kErrorAbrt);
    }
}

bool AtaChannel::decodeRange(bool ext, Range& out) {
    AtaDisk* d = disks_[unit_];
    uint64_t lba;
    uint32_t count;
    if (ext) {
        // 48-bit Address feature set: EXT commands take the high bytes from the previous content of each register.
        lba = uint64_t{hobLbaHigh_} << 40 | uint64_t{hobLbaMid_} << 32 | uint64_t{hobLbaLow_} << 24 |
              uint64_t{lbaHigh_} << 16 | uint64_t{lbaMid_} << 8 | lbaLow_;
        count = uint32_t{hobCount_} << 8 | count_;
        if (count == 0) count = 65536;
    } else {
        count = count_ ? count_ : 256;
        if (device_ & kDeviceLba) {
            lba = uint64_t{device_ & 0x0Fu} << 24 | uint64_t{lbaHigh_} << 16 | uint64_t{lbaMid_} << 8 | lbaLow_;
        } else {
            std::optional<uint64_t> chs = d->chsToLba(uint32_t{lbaHigh_} << 8 | lbaMid_, device_ & 0x0Fu, lbaLow_);
            if (!chs) {
                fail(kErrorIdnf);
                return false;
            }
            lba = *chs;
        }
    }
    // An address beyond the medium is ID NOT FOUND (IDNF in each command's error outputs); nothing is transferred.
    if (lba >= d->sectors() || count > d->sectors() - lba) {
        fail(kErrorIdnf);
        return false;
    }
    out.lba = lba;
    out.count = count;
    return true;
}

void AtaChannel::startPioIn(const Range& r, uint32_t blockSectors) {
    xfer_ = Xfer::PioIn;
    xferLba_ = r.lba;
    xferLeft_ = r.count;
    blockSectors_ = blockSectors;
    loadPioInBlock();
}

void AtaChannel::loadPioInBlock() {
    // PIO data-in protocol: each DRQ block is announced with an interrupt.
    uint32_t n = std::min(xferLeft_, blockSectors_);
    if (!disks_[unit_]->backend().read(xferLba_, n, buf_.data())) return fail(kErrorUnc);
    sectorsRead += n;
    xferLba_ += n;
    xferLeft_ -= n;
    bufPos_ = 0;
    bufLen_ = n * BlockBackend::kSectorSize;
    status_[unit_] = kStatusReady | kStatusDrq;
    raiseInterrupt();
}

void AtaChannel::startPioOut(const Range& r, uint32_t blockSectors) {
    // PIO data-out protocol: the first DRQ block comes without an interrupt.
    xfer_ = Xfer::PioOut;
    xferLba_ = r.lba;
    xferLeft_ = r.count;
    blockSectors_ = blockSectors;
    bufPos_ = 0;
    bufLen_ = std::min(xferLeft_, blockSectors_) * BlockBackend::kSectorSize;
    status_[unit_] = kStatusReady | kStatusDrq;
}

void AtaChannel::storePioOutBlock() {
    uint32_t n = bufLen_ / BlockBackend::kSectorSize;
    if (!disks_[unit_]->backend().write(xferLba_, n, buf_.data())) return fail(kErrorAbrt);
    sectorsWritten += n;
    xferLba_ += n;
    xferLeft_ -= n;
    if (xferLeft_ == 0) return complete();  // interrupt after the last block
    bufPos_ = 0;
    bufLen_ = std::min(xferLeft_, blockSectors_) * BlockBackend::kSectorSize;
    status_[unit_] = kStatusReady | kStatusDrq;
    raiseInterrupt();
}

void AtaChannel::startDma(const Range& r, bool toMemory) {
    // DMA protocol: the device asserts DMARQ and waits for the bus master; status shows DRQ until
    // the transfer is done, then the device interrupts.
    xfer_ = toMemory ? Xfer::DmaIn : Xfer::DmaOut;
    xferLba_ = r.lba;
    xferLeft_ = r.count;
    bufPos_ = 0;
    bufLen_ = 0;
    status_[unit_] = kStatusReady | kStatusDrq;
    ++dmaTransfers;
    if (onDmaRequest_) onDmaRequest_();
}

void AtaChannel::setFeatures() {
    AtaDisk* d = disks_[unit_];
    switch (feature_) {
        case kFeatureSetTransferMode:
            if (d->setTransferMode(count_)) return complete();
            return fail(kErrorAbrt);
        case kFeatureEnableWriteCache:
        case kFeatureDisableWriteCache:
            // The image is written through the host page cache either way; FLUSH CACHE is what
            // makes data durable, so both settings are honest.
            d->setWriteCache(feature_ == kFeatureEnableWriteCache);
            return complete();
        case kFeatureEnableReadLookAhead:
        case kFeatureDisableReadLookAhead:
            d->setReadLookAhead(feature_ == kFeatureEnableReadLookAhead);
            return complete();
        case kFeatureEnableRevertDefaults:
        case kFeatureDisableRevertDefaults:
            return complete();
        default:
            return fail(kErrorAbrt);  // SET FEATURES: an unsupported subcommand aborts
    }
}

}  // namespace pvx
