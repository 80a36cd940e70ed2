#include "devices/pit/pit_counter.h"

namespace pvx {

void PitCounter::reset() {
    control_ = 0x30;
    mode_ = 0;
    rw_ = 3;
    cr_ = 0;
    crLow_ = 0;
    writeMsbNext_ = false;
    crValid_ = false;
    nullCount_ = true;
    gate_ = true;
    readMsbNext_ = false;
    countLatched_ = false;
    latchMsbNext_ = false;
    latched_ = 0;
    statusLatched_ = false;
    status_ = 0;
    running_ = false;
    start_ = 0;
    n_ = 1;
    offset_ = 0;
    held_ = 0;
    suspended_ = false;
    suspendedAt_ = 0;
    frozen_ = 0;
    pending_ = false;
    pendingTick_ = 0;
    pendingN_ = 1;
    pendingOffset_ = 0;
}

// --- time model ----------------------------------------------------------------------------

void PitCounter::sync(uint64_t tick) {
    if (!pending_ || tick < pendingTick_) return;
    // The CR -> CE transfer: this is when null count clears (datasheet, "Status Byte").
    running_ = true;
    start_ = pendingTick_;
    n_ = pendingN_;
    offset_ = pendingOffset_;
    held_ = 0;
    suspended_ = (mode_ == 0 || mode_ == 4) && !gate_;
    suspendedAt_ = start_;
    pending_ = false;
    nullCount_ = false;
}

uint64_t PitCounter::elapsed(uint64_t tick) const {
    if (tick < start_) return 0;
    uint64_t end = suspended_ ? suspendedAt_ : tick;
    uint64_t e = end - start_;
    return e > held_ ? e - held_ : 0;
}

uint32_t PitCounter::countFromRegister() const {
    // A count of 0 is the maximum: 2^16 in binary, 10^4 in BCD ("Mode Definitions"). A guest
    // may write non-decimal nibbles in BCD mode; they are weighted as written, which cannot
    // produce a zero-length period.
    if (bcd()) {
        uint32_t v = ((cr_ >> 12) & 15) * 1000u + ((cr_ >> 8) & 15) * 100u + ((cr_ >> 4) & 15) * 10u +
                     (cr_ & 15);
        return v == 0 ? 10000u : v;
    }
    return cr_ == 0 ? 65536u : cr_;
}

int64_t PitCounter::rawCe(uint64_t tick) const {
    const uint64_t e = elapsed(tick);
    const int64_t n = n_;
    switch (mode_) {
    case 2:
        // Rate generator: N, N-1, ..., 1, reload N. It never reads 0.
        return n - static_cast<int64_t>(e % n_);
    case 3: {
        // Square wave: decrements by two; an odd N loads N-1 ("Mode 3" in the datasheet).
        const uint32_t hi = highHalf(n_);
        const uint32_t p = static_cast<uint32_t>((e + offset_) % n_);
        const uint32_t q = p < hi ? p : p - hi;
        return (n_ & 1 ? n - 1 : n) - 2 * static_cast<int64_t>(q);
    }
    default:
        // Modes 0, 1, 4, 5 count down through zero and wrap.
        return n - static_cast<int64_t>(e);
    }
}

uint16_t PitCounter::encode(int64_t v) const {
    const int64_t m = modulus();
    int64_t r = v % m;
    if (r < 0) r += m;
    if (!bcd()) return static_cast<uint16_t>(r);
    return static_cast<uint16_t>(((r / 1000) << 12) | ((r / 100 % 10) << 8) | ((r / 10 % 10) << 4) |
                                 (r % 10));
}

uint16_t PitCounter::countingElement(uint64_t tick) {
    sync(tick);
    return running_ ? encode(rawCe(tick)) : frozen_;
}

bool PitCounter::nullCount(uint64_t tick) {
    sync(tick);
    return nullCount_;
}

bool PitCounter::out(uint64_t tick) {
    sync(tick);
    // Without a running phase OUT holds the level the control word set: low in mode 0, high in
    // every other mode (and mode 2/3 force it high while the gate is low).
    if (!running_) return mode_ != 0;
    const uint64_t e = elapsed(tick);
    switch (mode_) {
    case 0:
    case 1: return e >= n_;
    case 2: return e % n_ != n_ - 1;
    case 3: return (e + offset_) % n_ < highHalf(n_);
    default: return e != n_;  // modes 4 and 5: one clock low when the count reaches 0
    }
}

uint64_t PitCounter::firstEdgeOfPhase(uint64_t p, uint32_t n, uint32_t offset) const {
    switch (mode_) {
    case 0: return gate_ ? p + n : kNoEdge;
    case 1: return p + n;
    case 2: return n >= 2 ? p + n : kNoEdge;  // N=1 is illegal in mode 2; OUT never rises
    case 3: return n >= 2 ? p + (n - offset % n) : kNoEdge;
    case 4: return gate_ ? p + n + 1 : kNoEdge;
    default: return p + n + 1;
    }
}

uint64_t PitCounter::nextRisingEdge(uint64_t tick) {
    sync(tick);
    uint64_t best = kNoEdge;
    if (running_) {
        const uint64_t e = elapsed(tick);
        switch (mode_) {
        case 0:
            if (!suspended_ && e < n_) best = tick + (n_ - e);
            break;
        case 1:
            if (e < n_) best = tick + (n_ - e);
            break;
        case 2:
            if (n_ >= 2) best = tick + (n_ - e % n_);
            break;
        case 3:
            if (n_ >= 2) best = tick + (n_ - (e + offset_) % n_);
            break;
        case 4:
            if (!suspended_ && e <= n_) best = tick + (n_ + 1 - e);
            break;
        default:
            if (e <= n_) best = tick + (n_ + 1 - e);
            break;
        }
    }
    // The running phase ends where a pending load begins; an edge exactly there (a mode 2/3
    // reload boundary) still belongs to the old phase.
    if (pending_ && (best == kNoEdge || best > pendingTick_))
        best = firstEdgeOfPhase(pendingTick_, pendingN_, pendingOffset_);
    return best;
}

// --- programming ---------------------------------------------------------------------------

void PitCounter::scheduleLoad(uint64_t tick) {
    const uint32_t n = countFromRegister();
    auto loadAt = [&](uint64_t at, uint32_t offset) {
        pending_ = true;
        pendingTick_ = at;
        pendingN_ = n;
        pendingOffset_ = offset;
    };
    switch (mode_) {
    case 0:
    case 4:
        // Loaded on the next CLK pulse; counting restarts from the new count.
        if (running_) frozen_ = encode(rawCe(tick));
        running_ = false;
        loadAt(tick + 1, 0);
        break;
    case 1:
    case 5:
        // Used at the next gate trigger; the current one-shot is not affected.
        break;
    case 2:
        if (running_) loadAt(tick + (n_ - elapsed(tick) % n_), 0);  // at the next reload
        else if (gate_) loadAt(tick + 1, 0);
        break;
    case 3:
        if (running_) {
            // A new count takes effect at the end of the current half-cycle.
            const uint32_t hi = highHalf(n_);
            const uint32_t p = static_cast<uint32_t>((elapsed(tick) + offset_) % n_);
            if (p < hi) loadAt(tick + (hi - p), highHalf(n) % n);  // enters the low half
            else loadAt(tick + (n_ - p), 0);
        } else if (gate_) {
            loadAt(tick + 1, 0);
        }
        break;
    }
}

void PitCounter::writeControl(uint8_t cw, uint64_t tick) {
    sync(tick);
    const uint16_t ce = running_ ? encode(rawCe(tick)) : frozen_;
    // "When a Control Word is written to a Counter, all Control Logic is immediately reset and
    // OUT goes to a known initial state" -- the CE keeps its contents until a count loads.
    control_ = cw & 0x3F;
    rw_ = (cw >> 4) & 3;
    const unsigned m = (cw >> 1) & 7;
    mode_ = m > 5 ? m - 4 : m;
    running_ = false;
    pending_ = false;
    suspended_ = false;
    held_ = 0;
    frozen_ = ce;
    crValid_ = false;
    nullCount_ = true;
    writeMsbNext_ = false;
    readMsbNext_ = false;
    countLatched_ = false;
    latchMsbNext_ = false;
    statusLatched_ = false;
}

void PitCounter::writeCount(uint8_t v, uint64_t tick) {
    sync(tick);
    switch (rw_) {
    case 1: cr_ = v; break;
    case 2: cr_ = static_cast<uint16_t>(v << 8); break;
    default:
        if (!writeMsbNext_) {
            crLow_ = v;
            writeMsbNext_ = true;
            if (mode_ == 0) {
                // Mode 0: writing the first byte of a two-byte count stops counting and OUT
                // goes low at once; the second byte loads the count on the next CLK.
                if (running_) frozen_ = encode(rawCe(tick));
                running_ = false;
                pending_ = false;
            }
            return;
        }
        cr_ = static_cast<uint16_t>(crLow_ | (v << 8));
        writeMsbNext_ = false;
        break;
    }
    crValid_ = true;
    nullCount_ = true;
    scheduleLoad(tick);
}

void PitCounter::setGate(bool level, uint64_t tick) {
    sync(tick);
    if (level == gate_) return;
    gate_ = level;
    switch (mode_) {
    case 0:
    case 4:
        // GATE low suspends counting; high resumes it where it stopped.
        if (!running_) break;
        if (!level && !suspended_) {
            suspended_ = true;
            suspendedAt_ = tick;
        } else if (level && suspended_) {
            held_ += tick - suspendedAt_;
            suspended_ = false;
        }
        break;
    case 1:
    case 5:
        // A rising edge (re)triggers: the CR is loaded on the next CLK pulse.
        if (level && crValid_) {
            pending_ = true;
            pendingTick_ = tick + 1;
            pendingN_ = countFromRegister();
            pendingOffset_ = 0;
        }
        break;
    default:
        // Modes 2 and 3: GATE low stops counting and forces OUT high; the rising edge reloads
        // the count on the next CLK pulse and starts a fresh period.
        if (!level) {
            if (running_) frozen_ = encode(rawCe(tick));
            running_ = false;
            pending_ = false;
        } else if (crValid_) {
            pending_ = true;
            pendingTick_ = tick + 1;
            pendingN_ = countFromRegister();
            pendingOffset_ = 0;
        }
        break;
    }
}

// --- reading -------------------------------------------------------------------------------

void PitCounter::latchCount(uint64_t tick) {
    // A second latch before the first is read is ignored ("Counter Latch Command").
    if (countLatched_) return;
    latched_ = countingElement(tick);
    countLatched_ = true;
    latchMsbNext_ = false;
}

void PitCounter::latchStatus(uint64_t tick) {
    if (statusLatched_) return;
    // Status byte: OUT, NULL COUNT, then RW1 RW0 M2 M1 M0 BCD as last programmed.
    status_ = static_cast<uint8_t>((out(tick) ? 0x80 : 0) | (nullCount(tick) ? 0x40 : 0) | control_);
    statusLatched_ = true;
}

uint8_t PitCounter::read(uint64_t tick) {
    // A latched status is read before a latched count (read-back with both latched).
    if (statusLatched_) {
        statusLatched_ = false;
        return status_;
    }
    uint16_t v;
    bool msb;
    if (countLatched_) {
        v = latched_;
        if (rw_ == 3) {
            msb = latchMsbNext_;
            latchMsbNext_ = !latchMsbNext_;
            if (msb) countLatched_ = false;
        } else {
            msb = rw_ == 2;
            countLatched_ = false;
        }
    } else {
        v = countingElement(tick);
        if (rw_ == 3) {
            msb = readMsbNext_;
            readMsbNext_ = !readMsbNext_;
        } else {
            msb = rw_ == 2;
        }
    }
    return static_cast<uint8_t>(msb ? v >> 8 : v);
}

}  // namespace pvx
