#include "devices/acpi/piix4_pm.h"

namespace pvx {

using namespace acpi;

namespace {
constexpr uint64_t kNsPerSecond = 1000000000ull;
// Writable / write-1-to-clear bits of the PM1 registers (82371AB PMSTS/PMEN/PMCNTRL).
constexpr uint16_t kPm1StsW1c = kTmrSts | kBmSts | kGblSts | kPwrBtnSts | kRtcSts | kPwrBtnOvrSts | kWakSts;
constexpr uint16_t kPm1EnBits = kTmrSts | kGblSts | kPwrBtnSts | kRtcSts;  // *_EN share positions
constexpr uint16_t kPm1CntStored = kSciEn | kBmRld | kSlpTypMask;
constexpr uint8_t kSmbusBaseReg = 0x90;
constexpr uint8_t kSmbusHostConfigReg = 0xD2;
}  // namespace

Piix4Pm::Piix4Pm(PortBus& ports, const Clock& clock, TimerQueue* timers)
    : PciFunction(Identity{kVendor, kDeviceId, 0x03, 0x068000, 0x00, 0x01}, "piix4-pm"),
      ports_(ports),
      clock_(clock),
      timers_(timers) {
    // PCICMD: only I/O space enable (which gates the SMBus registers) is writable.
    setWriteMask16(kCommand, kCmdIoSpace);
    // PMBA: bits 15:6 the base, bit 0 hardwired 1 (I/O space indicator).
    setConfig32(kPmBaseConfigReg, 0x00000001);
    setWriteMask32(kPmBaseConfigReg, 0x0000FFC0);
    setWriteMask8(kPmMiscConfigReg, kPmIoEnable);
    // SMBBA (0x90, bits 15:4 base, bit 0 = 1) and SMBHSTCFG (0xD2): stored only.
    setConfig32(kSmbusBaseReg, 0x00000001);
    setWriteMask32(kSmbusBaseReg, 0x0000FFF0);
    setWriteMask8(kSmbusHostConfigReg, 0x0F);
    if (timers_)
        overflowTimer_ = timers_->create("pm-timer", [this](uint64_t) {
            syncTimerStatus();
            updateSci();
            armOverflowTimer();
        });
    resetRegisters();
}

Piix4Pm::~Piix4Pm() {
    if (timers_) timers_->disarm(overflowTimer_);
    if (mapped_) ports_.release(*mapped_, kPmIoSize);
}

// ---- PM timer ----

uint64_t Piix4Pm::ticksAt(uint64_t ns) {
    // ticks = ns * 3579545 / 1e9, split so that no intermediate product overflows 64 bits.
    return ns / kNsPerSecond * kPmTimerHz + ns % kNsPerSecond * kPmTimerHz / kNsPerSecond;
}

uint64_t Piix4Pm::nsAtTicks(uint64_t ticks) {
    // The first nanosecond at which ticksAt() reaches `ticks` (rounding the remainder up).
    return ticks / kPmTimerHz * kNsPerSecond + (ticks % kPmTimerHz * kNsPerSecond + kPmTimerHz - 1) / kPmTimerHz;
}

uint32_t Piix4Pm::timerValue() const { return static_cast<uint32_t>(ticksAt(clock_.nowNs())) & kPmTimerMask; }

void Piix4Pm::syncTimerStatus() {
    // TMR_STS: "set when the MSB (bit 23) of the timer toggles", i.e. once per 2^23 ticks.
    uint64_t period = ticksAt(clock_.nowNs()) >> 23;
    if (period != lastPeriod_) {
        sts_ |= kTmrSts;
        lastPeriod_ = period;
    }
}

void Piix4Pm::armOverflowTimer() {
    if (!timers_) return;
    if (!(en_ & kTmrSts)) {
        timers_->disarm(overflowTimer_);
        return;
    }
    timers_->arm(overflowTimer_, nsAtTicks((lastPeriod_ + 1) << 23));
}

uint16_t Piix4Pm::pm1Status() {
    syncTimerStatus();
    return sts_;
}

// ---- events ----

void Piix4Pm::updateSci() {
    // ACPI PM1 event grouping: an enabled status bit raises the SCI while SCI_EN routes events to the OS
    // (with SCI_EN clear they would go to SMI, which pvx does not model).
    bool level = (cnt_ & kSciEn) && ((sts_ & en_ & kPm1EnBits) || (gpSts_ & gpEn_));
    sci.set(level);
}

void Piix4Pm::pressPowerButton() {
    sts_ |= kPwrBtnSts;
    updateSci();
}

void Piix4Pm::handleApmCommand(uint8_t value) {
    if (value == kAcpiEnable) cnt_ |= kSciEn;
    else if (value == kAcpiDisable) cnt_ &= static_cast<uint16_t>(~kSciEn);
    else return;
    updateSci();
}

// ---- configuration ----

void Piix4Pm::updateMapping() {
    std::optional<uint16_t> now;
    uint16_t base = static_cast<uint16_t>(config32(kPmBaseConfigReg) & 0xFFC0);
    if ((config8(kPmMiscConfigReg) & kPmIoEnable) && base != 0) now = base;
    if (now == mapped_) return;
    if (mapped_) ports_.release(*mapped_, kPmIoSize);
    mapped_ = now;
    if (mapped_) ports_.claim(*mapped_, kPmIoSize, this, "piix4-pm");
}

void Piix4Pm::configWritten(uint8_t offset, unsigned size) {
    auto touches = [&](uint8_t reg, unsigned len) { return offset < reg + len && reg < offset + size; };
    if (touches(kPmBaseConfigReg, 4) || touches(kPmMiscConfigReg, 1)) updateMapping();
}

void Piix4Pm::resetRegisters() {
    sts_ = en_ = cnt_ = gpSts_ = gpEn_ = 0;
    misc_.fill(0);
    lastPeriod_ = ticksAt(clock_.nowNs()) >> 23;
    armOverflowTimer();
    updateSci();
}

void Piix4Pm::resetDevice() {
    updateMapping();
    resetRegisters();
}

// ---- PM I/O block ----

uint8_t Piix4Pm::readByte(unsigned off, uint32_t timer) const {
    auto lane = [](uint32_t v, unsigned i) { return static_cast<uint8_t>(v >> (8 * i)); };
    switch (off) {
        case 0x00: case 0x01: return lane(sts_, off);
        case 0x02: case 0x03: return lane(en_, off - 0x02);
        case 0x04: case 0x05: return lane(cnt_, off - 0x04);  // GBL_RLS, SLP_EN read 0
        case 0x08: case 0x09: case 0x0A: case 0x0B: return lane(timer, off - 0x08);
        case 0x0C: case 0x0D: return lane(gpSts_, off - 0x0C);
        case 0x0E: case 0x0F: return lane(gpEn_, off - 0x0E);
        case 0x14: case 0x15: return 0;  // P_LVL2/P_LVL3: reading enters C2/C3; nothing to read
        default: return off >= 0x10 && off < 0x40 ? misc_[off - 0x10] : 0;
    }
}

void Piix4Pm::writeByte(unsigned off, uint8_t v) {
    auto setLane = [](uint16_t& reg, unsigned i, uint8_t b, uint16_t mask) {
        uint16_t m = static_cast<uint16_t>(mask & (0xFFu << (8 * i)));
        reg = static_cast<uint16_t>((reg & ~m) | ((uint32_t{b} << (8 * i)) & m));
    };
    auto clearLane = [](uint16_t& reg, unsigned i, uint8_t b, uint16_t mask) {
        reg = static_cast<uint16_t>(reg & ~((uint32_t{b} << (8 * i)) & mask));
    };
    switch (off) {
        case 0x00: case 0x01: clearLane(sts_, off, v, kPm1StsW1c); break;
        case 0x02: case 0x03: setLane(en_, off - 0x02, v, kPm1EnBits); break;
        case 0x04: case 0x05: setLane(cnt_, off - 0x04, v, kPm1CntStored); break;
        case 0x0C: case 0x0D: clearLane(gpSts_, off - 0x0C, v, 0xFFFF); break;
        case 0x0E: case 0x0F: setLane(gpEn_, off - 0x0E, v, 0xFFFF); break;
        default:
            if (off >= 0x10 && off < 0x40 && off != 0x14 && off != 0x15) misc_[off - 0x10] = v;
            break;
    }
}

uint32_t Piix4Pm::ioRead(uint16_t port, unsigned size) {
    ++pmAccesses;
    if (!mapped_) return 0xFFFFFFFF;
    unsigned first = static_cast<unsigned>(port - *mapped_);
    if (first < kPmTmrOffset + kPmTmrLength && first + size > kPmTmrOffset) ++timerReads;
    if (first < 2) syncTimerStatus();
    uint32_t timer = timerValue();
    uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i) {
        unsigned off = first + i;
        uint32_t b = off < kPmIoSize ? readByte(off, timer) : 0xFF;
        v |= b << (8 * i);
    }
    return v;
}

void Piix4Pm::ioWrite(uint16_t port, unsigned size, uint32_t value) {
    ++pmAccesses;
    if (!mapped_) return;
    unsigned first = static_cast<unsigned>(port - *mapped_);
    // A status bit that became set before this write is cleared by it, so bring TMR_STS up
    // to date before applying write-1-to-clear.
    if (first < 2) syncTimerStatus();
    bool sleep = false;
    for (unsigned i = 0; i < size; ++i) {
        unsigned off = first + i;
        if (off >= kPmIoSize) break;
        uint8_t b = static_cast<uint8_t>(value >> (8 * i));
        writeByte(off, b);
        if (off == kPm1aCntOffset + 1 && (b & (kSlpEn >> 8))) sleep = true;
    }
    if (first <= kPm1aEvtOffset + 3 && first + size > kPm1aEvtOffset + 2) {
        // PM1_EN changed: the overflow deadline follows TMR_EN.
        syncTimerStatus();
        armOverflowTimer();
    }
    updateSci();
    if (!sleep) return;
    // ACPI PM1 control / \_Sx objects: SLP_EN enters the sleeping state selected by SLP_TYP.
    uint8_t type = static_cast<uint8_t>((cnt_ & kSlpTypMask) >> kSlpTypShift);
    if (type == kSlpTypS5) {
        ++powerOffRequests;
        if (powerOff_) powerOff_();
    } else {
        ++sleepRequestsIgnored;
    }
}

}  // namespace pvx
