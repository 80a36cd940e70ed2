#include "devices/i8042/a20_gate.h"

namespace pvx {

void A20Gate::update() {
    const int on = enabled() ? 1 : 0;
    if (on == applied_) return;
    applied_ = on;
    if (apply_) apply_(on != 0);
}

}  // namespace pvx
