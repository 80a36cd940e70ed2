#include "pvabi/dispatcher.h"

#include "pvx/abi.h"

namespace pvx::pv {

uint32_t Dispatcher::features() const { return PVX_FEAT_INFO; }

EscapeOutcome Dispatcher::escape(EscapeRegs& r) {
    ++total;
    const uint32_t call = static_cast<uint32_t>(r.rax);
    ++calls_[call];
    switch (call) {
        case PVX_CALL_INFO_VERSION: r.rax = PVX_ABI_VERSION; return EscapeOutcome::Done;
        default: r.rax = static_cast<uint64_t>(-int64_t{PVX_ENOSYS}); return EscapeOutcome::Done;
    }
}

}  // namespace pvx::pv
