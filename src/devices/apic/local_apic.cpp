#include "devices/apic/local_apic.h"

#include <algorithm>

namespace pvx {

using namespace lapic;

namespace {
ApicDeliveryMode lvtMode(uint32_t entry) { return static_cast<ApicDeliveryMode>((entry >> 8) & 7); }
bool isLint(unsigned index) { return index == kLint0 || index == kLint1; }
}  // namespace

LocalApic::LocalApic(Clock& clock, TimerQueue& timers, uint8_t apicId)
    : clock_(clock), timers_(timers), id_(apicId) {
    timerId_ = timers_.create("lapic-timer", [this](uint64_t now) { onTimer(now); });
    powerUpState();
}

void LocalApic::attach(PhysicalMemory& mem) {
    mem_ = &mem;
    remap();
}

void LocalApic::reset() {
    apicBase_ = kDefaultBase | kBaseEnable;
    powerUpState();
    remap();
}

// SDM Vol.3A 10.4.7.1: IRR, ISR, TMR, ICR, LDR, TPR, the timer registers cleared; DFR all ones;
// LVT entries masked; SVR FFh (software-disabled). The APIC ID is kept (it is the hardware's).
// LINT0 differs on purpose: see the header.
void LocalApic::powerUpState() {
    tpr_ = 0;
    ldr_ = 0;
    dfr_ = 0xFFFFFFFF;
    svr_ = kSvrReset;
    esr_ = esrPending_ = 0;
    icrLow_ = icrHigh_ = 0;
    lvt_.fill(kLvtReset);
    lvt_[kLint0] = kLvtExtInt;
    irr_.clearAll();
    isr_.clearAll();
    tmr_.clearAll();
    timer_.reset();
    timers_.disarm(timerId_);
    ioApicExtInt_ = false;
    nmiPending_ = false;
    signal();
}

// The register page exists only while the APIC is globally enabled (SDM Vol.3A 10.4.3).
void LocalApic::remap() {
    if (!mem_) return;
    const bool want = globallyEnabled();
    if (mapped_ && (!want || mappedBase_ != base())) {
        mem_->removeMmio(this);
        mapped_ = false;
    }
    if (want && !mapped_) {
        mappedBase_ = base();
        mem_->addMmio(mappedBase_, kPageSize, this, "lapic");
        mapped_ = true;
    }
}

// SDM Vol.3A 10.4.4: WRMSR IA32_APIC_BASE relocates the page; clearing bit 11 disables the APIC,
// which "may return to the state described in 10.4.7.1" -- pvx's does, so re-enabling starts
// from the reset state.
void LocalApic::apicBaseWritten(uint64_t apicBase) {
    const bool wasEnabled = globallyEnabled();
    apicBase_ = apicBase;
    if (wasEnabled && !globallyEnabled()) powerUpState();
    remap();
    signal();
}

// SDM Vol.3A 10.8.6.1: MOV CR8 writes TPR[7:4] and clears TPR[3:0].
void LocalApic::writeCr8(uint64_t value) {
    tpr_ = static_cast<uint8_t>((value & 0xF) << 4);
    signal();
}

// --- priorities (SDM Vol.3A 10.8.3) -------------------------------------------------------------

// 10.8.3.1: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4]:0.
uint8_t LocalApic::processorPriority() const {
    const int isrv = std::max(isr_.highest(), 0);
    if ((tpr_ >> 4) >= (isrv >> 4)) return tpr_;
    return static_cast<uint8_t>(isrv & 0xF0);
}

// 10.8.3.1 (P6/Pentium 4 APR): TPR if TPR[7:4] >= IRRV[7:4] and TPR[7:4] > ISRV[7:4], else the
// highest of the three classes.
uint8_t LocalApic::arbitrationPriority() const {
    const int irrv = std::max(irr_.highest(), 0);
    const int isrv = std::max(isr_.highest(), 0);
    if ((tpr_ >> 4) >= (irrv >> 4) && (tpr_ >> 4) > (isrv >> 4)) return tpr_;
    return static_cast<uint8_t>(std::max({tpr_ & 0xF0, isrv & 0xF0, irrv & 0xF0}));
}

// 10.8.4: the highest IRR vector goes to the core only if its class is above the PPR's class.
// A software-disabled APIC holds its IRR (10.4.7.2).
int LocalApic::deliverableVector() const {
    if (!softwareEnabled()) return -1;
    const int v = irr_.highest();
    if (v < 0 || (v & 0xF0) <= (processorPriority() & 0xF0)) return -1;
    return v;
}

// ExtINT (10.5.1): the 8259 answers the INTA cycle; LVT LINT0 in ExtINT mode, or an ExtINT
// message from the I/O APIC. Not subject to the priority scheme.
bool LocalApic::extIntRequested() const {
    if (!extInt_ || !extInt_->pending()) return false;
    if (ioApicExtInt_) return true;
    const uint32_t e = lvt_[kLint0];
    return !(e & kLvtMasked) && lvtMode(e) == ApicDeliveryMode::ExtInt;
}

bool LocalApic::pending() {
    if (!globallyEnabled()) return extInt_ && extInt_->pending();  // no APIC: 8259 INTR direct
    return deliverableVector() >= 0 || extIntRequested();
}

uint8_t LocalApic::acknowledge() {
    if (!globallyEnabled()) {
        ++extIntDelivered;
        return extInt_ ? extInt_->acknowledge() : static_cast<uint8_t>(svr_);
    }
    if (const int v = deliverableVector(); v >= 0) {
        const auto vector = static_cast<uint8_t>(v);
        irr_.clear(vector);
        isr_.set(vector);
        ++interruptsDelivered;
        signal();
        return vector;
    }
    if (extIntRequested()) {
        ioApicExtInt_ = false;
        ++extIntDelivered;
        return extInt_->acknowledge();
    }
    // 10.9: the request went away (or was raised above the priority) between INTR and INTA:
    // the spurious vector, and no ISR bit.
    ++spuriousInterrupts;
    return static_cast<uint8_t>(svr_);
}

// --- accepting interrupts ------------------------------------------------------------------------

// 10.6.2: physical destination = APIC ID (FFh broadcast); logical = LDR under the flat (DFR
// model 1111b: bitmask) or cluster (0000b: cluster in bits 7:4, members in 3:0) model.
bool LocalApic::matchesDestination(uint8_t dest, bool logical) const {
    if (!logical) return dest == 0xFF || dest == id_;
    const uint8_t ldr = static_cast<uint8_t>(ldr_ >> 24);
    if ((dfr_ >> 28) == 0xF) return (dest & ldr) != 0;
    if (dest == 0xFF) return true;
    return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xF) != 0;
}

// 10.8.4 / 10.5.3: vectors 0-15 are illegal; the IRR bit is set and TMR records the trigger mode.
void LocalApic::acceptFixed(uint8_t vector, bool levelTriggered) {
    if (vector < 16) {
        reportError(kEsrReceiveIllegalVector);
        return;
    }
    irr_.set(vector);
    tmr_.assign(vector, levelTriggered);
    signal();
}

void LocalApic::acceptNmi() {
    ++nmis;
    nmiPending_ = true;
    signal();
}

bool LocalApic::receive(const ApicMessage& m) {
    if (!globallyEnabled() || !matchesDestination(m.destination, m.logicalDestination)) return false;
    switch (m.mode) {
    case ApicDeliveryMode::Fixed:
    case ApicDeliveryMode::LowestPriority:  // one processor: it is the lowest
        acceptFixed(m.vector, m.levelTriggered);
        break;
    case ApicDeliveryMode::Nmi: acceptNmi(); break;
    case ApicDeliveryMode::ExtInt:
        ioApicExtInt_ = true;
        signal();
        break;
    case ApicDeliveryMode::Init:
        powerUpState();  // 10.4.7.3: an INIT reset keeps the APIC ID
        if (onInit) onInit();
        break;
    default: break;  // SMI, start-up, reserved
    }
    return true;
}

// 10.5.3: errors collect until the next ESR write latches them; each new error raises the LVT
// error interrupt (an illegal vector there only sets its bit again, so this cannot recurse).
void LocalApic::reportError(uint32_t esrBit) {
    ++errors;
    const bool fresh = !(esrPending_ & esrBit);
    esrPending_ |= esrBit;
    if (fresh) deliverLvt(kError);
}

// 10.8.5: EOI retires the highest in-service vector; a level-triggered one (TMR set) is broadcast
// to the I/O APIC, which clears the remote IRR of its entries with that vector.
void LocalApic::endOfInterrupt() {
    const int v = isr_.highest();
    if (v < 0) return;
    const auto vector = static_cast<uint8_t>(v);
    isr_.clear(vector);
    ++eois;
    if (tmr_.test(vector)) {
        for (unsigned i : {kLint0, kLint1}) {
            if ((lvt_[i] & kLvtRemoteIrr) && (lvt_[i] & kLvtVector) == vector) {
                lvt_[i] &= ~kLvtRemoteIrr;
                lintLevelCheck(i);
            }
        }
        ++eoiBroadcasts;
        if (onEoiBroadcast) onEoiBroadcast(vector);
    }
    signal();
}

// --- the ICR (10.6.1) -----------------------------------------------------------------------------

void LocalApic::sendIpi() {
    const uint32_t lo = icrLow_;
    const auto mode = lvtMode(lo);
    const auto vector = static_cast<uint8_t>(lo & 0xFF);
    ++ipisSent;
    bool toSelf = false;
    switch ((lo >> 18) & 3) {
    case kNoShorthand:
        toSelf = matchesDestination(static_cast<uint8_t>(icrHigh_ >> 24), lo & kIcrLogical);
        break;
    case kSelf:
    case kAllIncludingSelf: toSelf = true; break;
    default: break;  // all excluding self: there is no other processor
    }
    if ((mode == ApicDeliveryMode::Fixed || mode == ApicDeliveryMode::LowestPriority) && vector < 16) {
        reportError(kEsrSendIllegalVector);
        return;
    }
    if (!toSelf) return;
    switch (mode) {
    case ApicDeliveryMode::Fixed:
    case ApicDeliveryMode::LowestPriority: acceptFixed(vector, false); break;
    case ApicDeliveryMode::Nmi: acceptNmi(); break;
    case ApicDeliveryMode::Init:
        // INIT level de-assert (level 0, trigger level) only synchronises arbitration IDs.
        if ((lo & kIcrLevelTriggered) && !(lo & kIcrLevelAssert)) break;
        powerUpState();
        if (onInit) onInit();
        break;
    default: break;  // SMI, start-up (ignored by the BSP), ExtINT/reserved
    }
}

// --- the local vector table (10.5.1) ----------------------------------------------------------------

void LocalApic::writeLvt(unsigned index, uint32_t value) {
    uint32_t e = value & kLvtWritable[index];
    if (isLint(index) && (e & kLvtLevelTriggered)) e |= lvt_[index] & kLvtRemoteIrr;
    if (!softwareEnabled()) e |= kLvtMasked;  // 10.4.7.2: masks cannot be cleared while disabled
    lvt_[index] = e;
    if (index == kTimer) {
        timer_.setPeriodic(e & kLvtTimerPeriodic, clock_.nowNs());
        armTimer(0);
    }
    if (isLint(index)) lintLevelCheck(index);
    signal();  // LINT0 ExtINT may have been (un)masked
}

// A local interrupt source fires: deliver as its LVT entry says, unless masked. The timer and
// error entries have no delivery mode field: always fixed.
void LocalApic::deliverLvt(unsigned index) {
    const uint32_t e = lvt_[index];
    if (e & kLvtMasked) return;
    const ApicDeliveryMode mode =
        (index == kTimer || index == kError) ? ApicDeliveryMode::Fixed : lvtMode(e);
    switch (mode) {
    case ApicDeliveryMode::Fixed: acceptFixed(static_cast<uint8_t>(e & kLvtVector), false); break;
    case ApicDeliveryMode::Nmi: acceptNmi(); break;
    case ApicDeliveryMode::ExtInt: signal(); break;  // the 8259 answers at INTA
    default: break;                                  // SMI, INIT: not modelled
    }
}

// LINT0/LINT1 pin changes. Edge-triggered entries fire on the inactive-to-active transition
// (polarity bit 13); level-triggered fixed entries keep requesting while active, one delivery per
// EOI (remote IRR). With the APIC globally disabled the pins are the processor's INTR and NMI.
void LocalApic::lintChanged(unsigned index, bool level) {
    const bool was = lintPin_[index - kLint0];
    lintPin_[index - kLint0] = level;
    if (!globallyEnabled()) {
        if (index == kLint1 && level && !was) acceptNmi();
        signal();
        return;
    }
    const uint32_t e = lvt_[index];
    const bool activeLow = e & kLvtActiveLow;
    if (lvtMode(e) == ApicDeliveryMode::ExtInt) {
        signal();
        return;
    }
    if (lvtMode(e) == ApicDeliveryMode::Fixed && (e & kLvtLevelTriggered)) {
        lintLevelCheck(index);
        return;
    }
    if ((level != activeLow) && (was == activeLow)) deliverLvt(index);
}

void LocalApic::lintLevelCheck(unsigned index) {
    const uint32_t e = lvt_[index];
    const bool active = lintPin_[index - kLint0] != static_cast<bool>(e & kLvtActiveLow);
    if (!active || (e & (kLvtMasked | kLvtRemoteIrr)) || !(e & kLvtLevelTriggered) ||
        lvtMode(e) != ApicDeliveryMode::Fixed)
        return;
    lvt_[index] |= kLvtRemoteIrr;
    acceptFixed(static_cast<uint8_t>(e & kLvtVector), true);
}

// --- the timer (10.5.4) ------------------------------------------------------------------------------

// The count itself is computed from the clock on every read; the queue timer exists only to
// raise the interrupt, so a masked entry (also: software-disabled APIC) leaves it disarmed and a
// halted guest does not wake for expiries that deliver nothing.
void LocalApic::armTimer(uint64_t earliestNs) {
    const uint64_t next =
        (lvt_[kTimer] & kLvtMasked) ? ApicTimer::kNever : timer_.nextExpiryAfter(clock_.nowNs());
    if (next == ApicTimer::kNever) timers_.disarm(timerId_);
    else timers_.arm(timerId_, std::max(next, earliestNs));
}

void LocalApic::onTimer(uint64_t nowNs) {
    ++timerFires;
    deliverLvt(kTimer);
    armTimer(nowNs + kMinTimerRearmNs);  // one-shot: nothing after the expiry, so disarmed
}

// --- registers ---------------------------------------------------------------------------------------

uint32_t LocalApic::readRegister(uint32_t reg) {
    if (reg >= kIsr && reg < kIsr + 0x80) return isr_.word((reg - kIsr) >> 4);
    if (reg >= kTmr && reg < kTmr + 0x80) return tmr_.word((reg - kTmr) >> 4);
    if (reg >= kIrr && reg < kIrr + 0x80) return irr_.word((reg - kIrr) >> 4);
    if (reg >= kLvtTimer && reg <= kLvtError) return lvt_[(reg - kLvtTimer) >> 4];
    switch (reg) {
    case kId: return static_cast<uint32_t>(id_) << 24;
    case kVersion: return kVersionValue;
    case kTpr: return tpr_;
    case kApr: return arbitrationPriority();
    case kPpr: return processorPriority();
    case kEoi: return 0;  // write-only
    case kRrd: return 0;  // remote read: not supported on this version
    case kLdr: return ldr_;
    case kDfr: return dfr_;
    case kSvr: return svr_;
    case kEsr: return esr_;
    case kIcrLow: return icrLow_;  // delivery status 0: sending is instantaneous
    case kIcrHigh: return icrHigh_;
    case kTimerInitialCount: return timer_.initialCount();
    case kTimerCurrentCount: return timer_.currentCount(clock_.nowNs());
    case kTimerDivideConfig: return timer_.divideConfig();
    default: reportError(kEsrIllegalRegister); return 0;
    }
}

void LocalApic::writeRegister(uint32_t reg, uint32_t v) {
    if (reg >= kLvtTimer && reg <= kLvtError) {
        writeLvt((reg - kLvtTimer) >> 4, v);
        return;
    }
    if (reg >= kIsr && reg < kIrr + 0x80) return;  // ISR, TMR, IRR: read-only
    switch (reg) {
    case kId: id_ = static_cast<uint8_t>(v >> 24); break;
    case kTpr:
        tpr_ = static_cast<uint8_t>(v);
        signal();
        break;
    case kEoi: endOfInterrupt(); break;
    case kLdr: ldr_ = v & 0xFF000000; break;
    case kDfr: dfr_ = v | 0x0FFFFFFF; break;
    case kSvr:
        svr_ = v & kSvrWritable;
        if (!softwareEnabled()) {
            for (uint32_t& e : lvt_) e |= kLvtMasked;  // 10.4.7.2
            armTimer(0);
        }
        signal();
        break;
    case kEsr:
        esr_ = esrPending_;
        esrPending_ = 0;
        break;
    case kIcrLow:
        icrLow_ = v & kIcrLowWritable;
        sendIpi();
        break;
    case kIcrHigh: icrHigh_ = v & 0xFF000000; break;
    case kTimerInitialCount:
        timer_.writeInitialCount(v, clock_.nowNs());
        armTimer(0);
        break;
    case kTimerDivideConfig:
        timer_.writeDivideConfig(v, clock_.nowNs());
        armTimer(0);
        break;
    case kVersion:
    case kApr:
    case kPpr:
    case kRrd:
    case kTimerCurrentCount: break;  // read-only
    default: reportError(kEsrIllegalRegister); break;
    }
}

// 10.4.1: registers are 32 bits wide at 16-byte strides and architecturally accessed only by
// aligned 32-bit loads and stores. pvx lets narrower or wider loads read the bytes of the
// register they fall in (the rest of each 16-byte slot reads 0) and ignores stores that are not
// aligned 32-bit (or wider: the low dword counts) ones.
uint64_t LocalApic::mmioRead(uint64_t offset, unsigned size) {
    ++mmioReads;
    const unsigned within = offset & 0xF;
    if (within >= 4) return 0;
    const uint64_t v = readRegister(static_cast<uint32_t>(offset & 0xFF0)) >> (8 * within);
    return size >= 8 ? v : v & ((1ull << (8 * size)) - 1);
}

void LocalApic::mmioWrite(uint64_t offset, unsigned size, uint64_t value) {
    ++mmioWrites;
    if ((offset & 0xF) != 0 || size < 4) return;
    writeRegister(static_cast<uint32_t>(offset & 0xFF0), static_cast<uint32_t>(value));
}

}  // namespace pvx
