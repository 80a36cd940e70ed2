#include "pvabi/console_service.h"

namespace pvx::pv {

EscapeOutcome ConsoleService::call(uint32_t number, EscapeRegs& r, WorkBudget&) {
    switch (number) {
        case PVX_CALL_CONSOLE_WRITE: return write(r);
        case PVX_CALL_CONSOLE_READ: return read(r);
    }
    return fail(r, PVX_ENOSYS);
}

// RBX = gpa, RCX = length (<= 64 KiB, any alignment) -> RCX. The whole buffer is checked before
// a byte reaches the sink, so a bad call writes nothing.
EscapeOutcome ConsoleService::write(EscapeRegs& r) {
    CharBackend* con = platform_.console();
    if (!con) return fail(r, PVX_ENODEV);
    if (r.rcx > kMaxBytes) return fail(r, PVX_E2BIG);
    if (r.rcx == 0) return succeed(r, 0);
    buf_.resize(r.rcx);
    if (!mem_.readRam(r.rbx, buf_.data(), r.rcx)) return fail(r, PVX_EFAULT);
    con->write(buf_.data(), r.rcx);
    bytesWritten += r.rcx;
    return succeed(r, r.rcx);
}

// RBX = gpa, RCX = capacity (<= 64 KiB) -> bytes stored (0 when no input is waiting). Never
// blocks. The buffer is checked before any byte is taken from the input, so a bad call loses no
// input.
EscapeOutcome ConsoleService::read(EscapeRegs& r) {
    CharBackend* con = platform_.console();
    if (!con) return fail(r, PVX_ENODEV);
    if (r.rcx > kMaxBytes) return fail(r, PVX_E2BIG);
    if (r.rcx == 0) return succeed(r, 0);
    if (!mem_.isRamRange(r.rbx, r.rcx)) return fail(r, PVX_EFAULT);
    buf_.resize(r.rcx);
    uint64_t n = 0;
    while (n < r.rcx) {
        const int c = con->readByte();
        if (c < 0) break;
        buf_[n++] = static_cast<uint8_t>(c);
    }
    if (n) mem_.writeRam(r.rbx, buf_.data(), n);
    bytesRead += n;
    return succeed(r, n);
}

void ConsoleService::registerOwnStats(Stats& s, const std::string& prefix) const {
    s.counter(prefix + "bytes_written", &bytesWritten);
    s.counter(prefix + "bytes_read", &bytesRead);
}

}  // namespace pvx::pv
