// The A20 gate as the PIIX3 forms it: address line 20 is enabled when either the 8042's output
// port bit 1 or port 92h bit 1 says so. Each source reports its own level; the gate tells the
// memory map (PhysicalMemory::setA20) whenever the OR changes.
//
// Machine wiring:
//   A20Gate a20([&](bool on) { memory.setA20(on); });
//   kbc.onA20 = [&](bool on) { a20.setKeyboardController(on); };
//   port92.onA20 = [&](bool on) { a20.setPort92(on); };
#pragma once
#include <functional>

namespace pvx {

class A20Gate {
public:
    explicit A20Gate(std::function<void(bool enabled)> apply) : apply_(std::move(apply)) {}

    void setKeyboardController(bool on) { kbc_ = on; update(); }
    void setPort92(bool on) { port92_ = on; update(); }
    bool enabled() const { return kbc_ || port92_; }

private:
    void update();

    std::function<void(bool)> apply_;
    bool kbc_ = true;     // the 8042's power-on output port has A20 on
    bool port92_ = false;
    int applied_ = -1;    // last level given to apply_ (-1: none yet)
};

}  // namespace pvx
