#include "common/timer_queue.h"

namespace pvx {

TimerQueue::Id TimerQueue::create(std::string name, Callback cb) {
    timers_.push_back(Timer{std::move(name), std::move(cb), kNever});
    return static_cast<Id>(timers_.size() - 1);
}

void TimerQueue::arm(Id id, uint64_t deadlineNs) {
    timers_[id].deadline = deadlineNs;
    if (deadlineNs < next_) next_ = deadlineNs;
    else recompute();
}

void TimerQueue::disarm(Id id) {
    timers_[id].deadline = kNever;
    recompute();
}

void TimerQueue::recompute() {
    uint64_t n = kNever;
    for (const Timer& t : timers_)
        if (t.deadline < n) n = t.deadline;
    next_ = n;
}

unsigned TimerQueue::runExpired(uint64_t nowNs) {
    unsigned fired = 0;
    // A callback may re-arm itself for a time already past; bound the passes so a guest that
    // programs a zero period cannot hang the host here (the device clamps its own minimum).
    for (int pass = 0; pass < 64 && next_ <= nowNs; ++pass) {
        for (Timer& t : timers_) {
            if (t.deadline <= nowNs) {
                t.deadline = kNever;
                ++fired;
                t.cb(nowNs);
            }
        }
        recompute();
    }
    return fired;
}

}  // namespace pvx
