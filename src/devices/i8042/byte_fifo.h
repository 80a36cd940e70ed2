// A fixed-capacity byte queue (no allocation): the keyboard's output buffer and the 8042's
// pending controller replies.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

namespace pvx {

template <size_t N>
class ByteFifo {
public:
    bool empty() const { return count_ == 0; }
    bool full() const { return count_ == N; }
    size_t size() const { return count_; }
    // Returns false (and drops the byte) when full.
    bool push(uint8_t v) {
        if (count_ == N) return false;
        buf_[(head_ + count_) % N] = v;
        ++count_;
        return true;
    }
    uint8_t front() const { return buf_[head_]; }
    // Popping an empty queue returns 0 and changes nothing.
    uint8_t pop() {
        if (count_ == 0) return 0;
        uint8_t v = buf_[head_];
        head_ = (head_ + 1) % N;
        --count_;
        return v;
    }
    void clear() { head_ = count_ = 0; }

private:
    std::array<uint8_t, N> buf_{};
    size_t head_ = 0;
    size_t count_ = 0;
};

}  // namespace pvx
