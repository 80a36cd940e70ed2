#include "devices/rtc/rtc146818.h"

#include <algorithm>
#include <limits>

#include "devices/rtc/civil_date.h"

namespace pvx {

namespace {
constexpr int64_t kNsPerSecond = 1000000000;
constexpr int64_t kSecondsPerDay = 86400;
// The year register holds 00-99 and the chip treats every year divisible by 4 as a leap year,
// which the Gregorian calendar agrees with for 2000-2099: do the arithmetic in that century.
constexpr int64_t kYearBase = 2000;
}  // namespace

Rtc146818::Rtc146818(Clock& clock, TimerQueue& timers, IrqLine& irq8, uint64_t epochSeconds)
    : clock_(clock), timers_(timers), irq8_(irq8) {
    timer_ = timers_.create("rtc", [this](uint64_t) { onTimer(); });
    // The divider's second boundaries fall on whole seconds after construction.
    base32_ = -ticks32At(clock_.nowNs());
    // Register A: 32.768 kHz time base, 1024 Hz periodic rate; register B: 24-hour BCD. These
    // are what PC firmware programs; the battery keeps them.
    ram_[kRegA] = 0x26;
    ram_[kRegB] = k24h;
    ram_[kRegD] = kVrt;
    const int64_t t = static_cast<int64_t>(std::min<uint64_t>(epochSeconds, std::numeric_limits<int64_t>::max() / 2));
    timeToRegisters(t);
    const int64_t days = CivilCalendar::floorDiv(t, kSecondsPerDay);
    ram_[kDayOfWeek] = toReg(CivilCalendar::weekday(days));
    const int64_t year = CivilCalendar::fromDayNumber(days).year;
    ram_[kCentury] = static_cast<uint8_t>((((year / 100) % 100 / 10) << 4) | ((year / 100) % 10));
    periodicIdx_ = periodTicks() ? CivilCalendar::floorDiv(divider(clock_.nowNs()), periodTicks()) : 0;
}

void Rtc146818::reset() {
    catchUp();
    ram_[kRegB] &= static_cast<uint8_t>(~(kPie | kAie | kUie | kSqwe));
    flags_ = 0;
    updateIrq();
    rearm();
}

// --- divider chain -------------------------------------------------------------------------

int64_t Rtc146818::ticks32At(uint64_t ns) {
    const uint64_t s = ns / kNsPerSecond, r = ns % kNsPerSecond;
    return static_cast<int64_t>(s * kTicksPerSecond + r * kTicksPerSecond / kNsPerSecond);
}

uint64_t Rtc146818::nsAtTicks32(int64_t ticks32) const {
    const int64_t k = std::max<int64_t>(ticks32 - base32_, 0);
    const uint64_t q = static_cast<uint64_t>(k / kTicksPerSecond);
    const uint64_t r = static_cast<uint64_t>(k % kTicksPerSecond);
    return q * kNsPerSecond + (r * kNsPerSecond + kTicksPerSecond - 1) / kTicksPerSecond;
}

// Register A RS3-0 with the 32.768 kHz time base: 0 = off, 1 and 2 give 256 Hz and 128 Hz,
// 3-15 give 32768 >> (RS - 1) Hz (datasheet table "Periodic Interrupt Rate").
int64_t Rtc146818::periodTicks() const {
    const unsigned rs = ram_[kRegA] & 0x0F;
    if (rs == 0) return 0;
    if (rs <= 2) return int64_t{1} << (rs + 6);
    return int64_t{1} << (rs - 1);
}

// --- register formats ----------------------------------------------------------------------

uint8_t Rtc146818::toReg(unsigned v) const {
    if (ram_[kRegB] & kDm) return static_cast<uint8_t>(v);
    return static_cast<uint8_t>(((v / 10 % 10) << 4) | (v % 10));
}

unsigned Rtc146818::fromReg(uint8_t v) const {
    if (ram_[kRegB] & kDm) return v;
    return (v >> 4) * 10u + (v & 15u);
}

uint8_t Rtc146818::hourToReg(unsigned h24) const {
    if (ram_[kRegB] & k24h) return toReg(h24);
    // 12-hour mode: 1-12, bit 7 = PM.
    unsigned h12 = h24 % 12;
    if (h12 == 0) h12 = 12;
    return static_cast<uint8_t>(toReg(h12) | (h24 >= 12 ? 0x80 : 0));
}

unsigned Rtc146818::hourFromReg(uint8_t v) const {
    if (ram_[kRegB] & k24h) return fromReg(v);
    return fromReg(v & 0x7F) % 12 + ((v & 0x80) ? 12 : 0);
}

// Out-of-range register contents are clamped to the nearest valid value for the arithmetic;
// they survive unchanged until the next update rewrites the registers.
int64_t Rtc146818::timeFromRegisters() const {
    const int64_t s = std::min(fromReg(ram_[kSeconds]), 59u);
    const int64_t m = std::min(fromReg(ram_[kMinutes]), 59u);
    const int64_t h = std::min(hourFromReg(ram_[kHours]), 23u);
    const unsigned day = std::clamp(fromReg(ram_[kDayOfMonth]), 1u, 31u);
    const unsigned month = std::clamp(fromReg(ram_[kMonth]), 1u, 12u);
    const int64_t year = kYearBase + std::min(fromReg(ram_[kYear]), 99u);
    return CivilCalendar::dayNumber(year, month, day) * kSecondsPerDay + h * 3600 + m * 60 + s;
}

void Rtc146818::timeToRegisters(int64_t seconds) {
    const int64_t days = CivilCalendar::floorDiv(seconds, kSecondsPerDay);
    const int64_t sod = seconds - days * kSecondsPerDay;
    const CivilDate d = CivilCalendar::fromDayNumber(days);
    ram_[kSeconds] = toReg(static_cast<unsigned>(sod % 60));
    ram_[kMinutes] = toReg(static_cast<unsigned>(sod / 60 % 60));
    ram_[kHours] = hourToReg(static_cast<unsigned>(sod / 3600));
    ram_[kDayOfMonth] = toReg(d.day);
    ram_[kMonth] = toReg(d.month);
    int64_t yy = d.year % 100;
    if (yy < 0) yy += 100;
    ram_[kYear] = toReg(static_cast<unsigned>(yy));
}

// Did the alarm registers match the time at any update in (from, from + count]? The chip compares
// the raw bytes at every update; an alarm byte of C0h-FFh matches anything. A day holds every
// hour/minute/second combination, so only the last day of a long gap needs checking.
bool Rtc146818::alarmMatchesIn(int64_t from, uint64_t count) const {
    const uint8_t as = ram_[kSecondsAlarm], am = ram_[kMinutesAlarm], ah = ram_[kHoursAlarm];
    auto dontCare = [](uint8_t v) { return (v & 0xC0) == 0xC0; };
    const uint64_t k = std::min<uint64_t>(count, kSecondsPerDay);
    for (uint64_t i = 0; i < k; ++i) {
        const int64_t t = from + static_cast<int64_t>(count - i);
        int64_t sod = t % kSecondsPerDay;
        if (sod < 0) sod += kSecondsPerDay;
        const unsigned s = static_cast<unsigned>(sod % 60), m = static_cast<unsigned>(sod / 60 % 60),
                       h = static_cast<unsigned>(sod / 3600);
        if ((dontCare(as) || toReg(s) == as) && (dontCare(am) || toReg(m) == am) &&
            (dontCare(ah) || hourToReg(h) == ah))
            return true;
    }
    return false;
}

// --- time keeping and interrupts -----------------------------------------------------------

// Applies every update and periodic tick the divider has passed since the last call.
void Rtc146818::catchUp() {
    const int64_t t = divider(clock_.nowNs());
    const int64_t u = CivilCalendar::floorDiv(t, kTicksPerSecond);
    if (u > updates_) {
        const uint64_t n = static_cast<uint64_t>(u - updates_);
        updates_ = u;
        // SET=1 inhibits updates: the time registers stay as the guest writes them.
        if (!(ram_[kRegB] & kSet)) {
            const int64_t before = timeFromRegisters();
            const int64_t after = before + static_cast<int64_t>(n);
            const bool alarm = alarmMatchesIn(before, n);
            const int64_t dayStep = CivilCalendar::floorDiv(after, kSecondsPerDay) -
                                    CivilCalendar::floorDiv(before, kSecondsPerDay);
            timeToRegisters(after);
            // Day of week is its own 1-7 counter on the chip, stepped at midnight.
            unsigned dow = fromReg(ram_[kDayOfWeek]);
            if (dow < 1 || dow > 7) dow = CivilCalendar::weekday(CivilCalendar::floorDiv(before, kSecondsPerDay));
            ram_[kDayOfWeek] = toReg(static_cast<unsigned>((dow - 1 + dayStep % 7) % 7) + 1);
            flags_ |= kUf;
            if (alarm) flags_ |= kAf;
        }
    }
    // PF is set at every periodic tick whether or not PIE enables the interrupt.
    if (const int64_t p = periodTicks()) {
        const int64_t idx = CivilCalendar::floorDiv(t, p);
        if (idx > periodicIdx_) flags_ |= kPf;
        periodicIdx_ = idx;
    }
    updateIrq();
}

void Rtc146818::updateIrq() {
    // IRQF = PF.PIE + AF.AIE + UF.UIE: the flag and enable bits share positions in C and B.
    const bool asserted = flags_ & ram_[kRegB] & (kPf | kAf | kUf);
    if (asserted && !irq8_.level()) ++interrupts;
    irq8_.set(asserted);
}

// Arms the timer for the next divider moment that could newly assert IRQ8.
void Rtc146818::rearm() {
    const uint8_t b = ram_[kRegB];
    if (irq8_.level() || !running_) {
        timers_.disarm(timer_);
        return;
    }
    const int64_t t = divider(clock_.nowNs());
    int64_t next = std::numeric_limits<int64_t>::max();
    const int64_t p = periodTicks();
    if ((b & kPie) && p) next = std::min(next, (CivilCalendar::floorDiv(t, p) + 1) * p);
    if ((b & (kUie | kAie)) && !(b & kSet))
        next = std::min(next, (CivilCalendar::floorDiv(t, kTicksPerSecond) + 1) * kTicksPerSecond);
    if (next == std::numeric_limits<int64_t>::max()) timers_.disarm(timer_);
    else timers_.arm(timer_, nsAtTicks32(next));
}

void Rtc146818::onTimer() {
    catchUp();
    rearm();
}

// --- registers -----------------------------------------------------------------------------

void Rtc146818::writeRegA(uint8_t v) {
    catchUp();
    const uint64_t now = clock_.nowNs();
    const int64_t t = divider(now);
    const unsigned oldDv = (ram_[kRegA] >> 4) & 7, newDv = (v >> 4) & 7;
    auto isReset = [](unsigned dv) { return dv >= 6; };  // DV2-0 = 11x holds the chain in reset
    if (isReset(newDv)) {
        running_ = false;
        frozen32_ = updates_ * kTicksPerSecond;  // the sub-second stages are cleared
    } else if (newDv != 2) {
        if (running_) frozen32_ = t;  // no 32.768 kHz time base selected: the chain stops
        running_ = false;
    } else {
        // Leaving reset, the first update comes 500 ms later (datasheet, "Divider Chain").
        const int64_t start = isReset(oldDv) ? updates_ * kTicksPerSecond + kTicksPerSecond / 2 : t;
        base32_ = start - ticks32At(now);
        running_ = true;
    }
    ram_[kRegA] = v & 0x7F;  // UIP is read-only
    const int64_t p = periodTicks();
    periodicIdx_ = p ? CivilCalendar::floorDiv(divider(now), p) : 0;
    updateIrq();
    rearm();
}

void Rtc146818::writeRegB(uint8_t v) {
    catchUp();
    // Setting SET clears UIE (datasheet, register B "UIE").
    if (v & kSet) v &= static_cast<uint8_t>(~kUie);
    ram_[kRegB] = v;
    updateIrq();
    rearm();
}

uint8_t Rtc146818::readRegister(unsigned idx) {
    switch (idx) {
    case kRegA: {
        // UIP is high for the 244 us before each update; never while SET holds updates off.
        const int64_t t = divider(clock_.nowNs());
        const int64_t phase = t - CivilCalendar::floorDiv(t, kTicksPerSecond) * kTicksPerSecond;
        const bool uip = running_ && !(ram_[kRegB] & kSet) && phase >= kTicksPerSecond - kUipTicks;
        return static_cast<uint8_t>(ram_[kRegA] | (uip ? kUip : 0));
    }
    case kRegC: {
        // Reading C returns the flags and clears them all, which releases IRQ8.
        catchUp();
        const uint8_t v = static_cast<uint8_t>(flags_ | (irq8_.level() ? kIrqf : 0));
        flags_ = 0;
        updateIrq();
        rearm();
        return v;
    }
    case kRegD: return kVrt;  // valid RAM and time; bits 6-0 read 0
    default:
        if (idx <= kYear) catchUp();
        return ram_[idx & 0x7F];
    }
}

void Rtc146818::writeRegister(unsigned idx, uint8_t v) {
    switch (idx) {
    case kRegA: writeRegA(v); break;
    case kRegB: writeRegB(v); break;
    case kRegC:
    case kRegD: break;  // read-only
    default:
        // Bring the time up to date first so the write is not overtaken by an update the
        // divider had already passed.
        if (idx <= kYear) catchUp();
        ram_[idx & 0x7F] = v;
        if (idx == kSecondsAlarm || idx == kMinutesAlarm || idx == kHoursAlarm) rearm();
        break;
    }
}

void Rtc146818::setByte(unsigned index, uint8_t value) { writeRegister(index & 0x7F, value); }

uint8_t Rtc146818::byte(unsigned index) {
    index &= 0x7F;
    if (index == kRegC) {  // no read side effect for the machine
        catchUp();
        return static_cast<uint8_t>(flags_ | (irq8_.level() ? kIrqf : 0));
    }
    return readRegister(index);
}

uint32_t Rtc146818::ioRead(uint16_t port, unsigned size) {
    ++ioReads;
    uint32_t v = 0;
    for (unsigned b = 0; b < size && b < 4; ++b) {
        const uint16_t p = static_cast<uint16_t>(port + b);
        // Port 70h is write-only on the PIIX3: the data bus floats.
        const uint8_t byte = p == kDataPort ? readRegister(index_) : 0xFF;
        v |= static_cast<uint32_t>(byte) << (8 * b);
    }
    return v;
}

void Rtc146818::ioWrite(uint16_t port, unsigned size, uint32_t value) {
    ++ioWrites;
    // A word write to 70h sets the index and writes the data in one instruction.
    for (unsigned b = 0; b < size && b < 4; ++b) {
        const uint16_t p = static_cast<uint16_t>(port + b);
        const uint8_t v = static_cast<uint8_t>(value >> (8 * b));
        if (p == kIndexPort) {
            index_ = v & 0x7F;
            nmiMasked_ = v & 0x80;
        } else if (p == kDataPort) {
            writeRegister(index_, v);
        }
    }
}

}  // namespace pvx
