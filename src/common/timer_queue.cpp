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
    // Fires in deadline order (ties: creation order), one at a time, because a callback may arm
    // or disarm others. A callback that re-arms itself at or before `now` would fire again; the
    // bound keeps a guest that programs a zero period from hanging the host here (devices clamp
    // their own minimum periods).
    unsigned fired = 0;
    for (unsigned budget = 64 * static_cast<unsigned>(timers_.size() + 1); budget && next_ <= nowNs; --budget) {
        Timer* due = nullptr;
        for (Timer& t : timers_)
            if (t.deadline <= nowNs && (!due || t.deadline < due->deadline)) due = &t;
        if (!due) break;
        due->deadline = kNever;
        ++fired;
        due->cb(nowNs);
        recompute();
    }
    return fired;
}

}  // namespace pvx
