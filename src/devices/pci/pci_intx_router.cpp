#include "devices/pci/pci_intx_router.h"

namespace pvx {

void PciIntxRouter::connect(unsigned slot, PciFunction& fn) {
    const int pirq = pirqFor(slot, fn.interruptPin());
    if (pirq < 0) return;
    const size_t idx = sources_.size();
    sources_.push_back(Source{pirq});
    fn.intx.connect([this, idx](bool level) {
        sources_[idx].level = level;
        update();
    });
}

unsigned PciIntxRouter::pirqCount(unsigned pirq) const {
    unsigned n = 0;
    for (const Source& s : sources_) n += s.level && s.pirq == static_cast<int>(pirq);
    return n;
}

void PciIntxRouter::update() {
    std::array<bool, 16> want{};
    for (unsigned p = 0; p < 4; ++p) {
        if (!pirqLevel(p)) continue;
        const uint8_t irq = route_(p);
        if (irq < want.size()) want[irq] = true;
    }
    // Lowers first, then raises, so a line that moves never glitches a shared one.
    for (unsigned i = 0; i < want.size(); ++i)
        if (isaLevel_[i] && !want[i]) {
            isaLevel_[i] = false;
            sink_(i, false);
        }
    for (unsigned i = 0; i < want.size(); ++i)
        if (!isaLevel_[i] && want[i]) {
            isaLevel_[i] = true;
            sink_(i, true);
        }
}

}  // namespace pvx
