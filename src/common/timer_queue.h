// Deadline timers on the machine clock. Devices arm a timer for an absolute clock time; the run
// loop asks for the next deadline to bound how many instructions run before it checks again, and
// fires expired timers between instructions. No allocation after setup: timers are created once
// by devices and re-armed.
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace pvx {

class TimerQueue {
public:
    using Id = uint32_t;
    using Callback = std::function<void(uint64_t nowNs)>;
    static constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();

    // Create timers at setup, not from inside a callback (the callback list may reallocate).
    Id create(std::string name, Callback cb);
    void arm(Id id, uint64_t deadlineNs);
    void disarm(Id id);
    bool armed(Id id) const { return timers_[id].deadline != kNever; }
    uint64_t deadline(Id id) const { return timers_[id].deadline; }

    uint64_t nextDeadline() const { return next_; }
    // Fires every timer whose deadline <= now (callbacks may re-arm). Returns how many fired.
    unsigned runExpired(uint64_t nowNs);

private:
    struct Timer {
        std::string name;
        Callback cb;
        uint64_t deadline = kNever;
    };
    void recompute();
    std::vector<Timer> timers_;
    uint64_t next_ = kNever;
};

}  // namespace pvx
