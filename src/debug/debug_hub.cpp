#include "debug/debug_hub.h"

#include <cerrno>
#include <cstring>

#include "common/log.h"
#include "cpu/cpu.h"
#include "debug/gdb_stub.h"
#include "debug/tracer.h"
#include "machine/machine.h"

namespace pvx::debug {

DebugHub::DebugHub(Machine& m) : m_(m) {}

DebugHub::~DebugHub() {
    m_.cpu().setDebugHooks(nullptr);
    m_.setRunMonitor(nullptr);
    tracer_.reset();
    if (traceFile_) std::fclose(traceFile_);
}

std::unique_ptr<DebugHub> DebugHub::create(Machine& m, const DebugOptions& o, std::string& err) {
    err.clear();
    if (!o.any()) return nullptr;
    std::unique_ptr<DebugHub> h(new DebugHub(m));
    if (o.trace.categories) {
        std::FILE* out = stderr;
        if (!o.trace.file.empty() && o.trace.file != "-") {
            h->traceFile_ = std::fopen(o.trace.file.c_str(), "w");
            if (!h->traceFile_) {
                err = "--trace-file: cannot write '" + o.trace.file + "': " + std::strerror(errno);
                return nullptr;
            }
            out = h->traceFile_;
        }
        h->tracer_ = std::make_unique<Tracer>(m, o.trace, out);
    }
    if (o.gdbPort >= 0) {
        h->stub_ = std::make_unique<GdbStub>(m, o.gdbWait);
        if (!h->stub_->listen(static_cast<uint16_t>(o.gdbPort), err)) {
            err = "--gdb: " + err;
            return nullptr;
        }
        logInfo("gdb: listening on 127.0.0.1:%u%s", h->stub_->port(), o.gdbWait ? ", waiting for the debugger" : "");
    }
    h->refresh();
    m.cpu().setDebugHooks(h.get());
    m.setRunMonitor(h.get());
    return h;
}

void DebugHub::refresh() {
    stepAll = (stub_ && stub_->wantsStep()) || (tracer_ && tracer_->wantsStep());
    const bool w = stub_ && stub_->watching();
    const uint64_t gen = stub_ ? stub_->watchGeneration() : 0;
    if (w != watching || gen != watchGen_) {
        watching = w;
        watchGen_ = gen;
        m_.cpu().flushTlb();  // refill so watched pages take (or leave) the slow path
    }
    m_.cpu().kick();  // the run loop re-reads stepAll at its next boundary
}

bool DebugHub::beforeSlice() {
    const bool alive = !stub_ || stub_->beforeSlice();
    refresh();
    return alive;
}

void DebugHub::machineExited(int status) {
    if (stub_) stub_->machineExited(status);
}

bool DebugHub::beforeInsn(cpu::Cpu& c, const cpu::DecodedInsn& i, uint64_t lin) {
    if (stub_ && stub_->beforeInsn(c, lin)) return true;
    if (tracer_) tracer_->beforeInsn(c, i, lin);
    return false;
}

void DebugHub::afterInsn(cpu::Cpu& c, const cpu::DecodedInsn& i, uint64_t lin) {
    if (tracer_) tracer_->afterInsn(c, i, lin);
}

void DebugHub::exception(cpu::Cpu& c, uint8_t vector, bool hasError, uint32_t error) {
    if (tracer_) tracer_->exception(c, vector, hasError, error);
}

void DebugHub::interrupt(cpu::Cpu& c, uint8_t vector, bool nmi) {
    if (tracer_) tracer_->interrupt(c, vector, nmi);
}

void DebugHub::pageFault(cpu::Cpu& c, uint64_t lin, uint32_t error) {
    if (tracer_) tracer_->pageFault(c, lin, error);
}

bool DebugHub::watchesPage(uint64_t lin) const { return stub_ && stub_->watchesPage(lin); }

void DebugHub::dataAccess(cpu::Cpu& c, uint64_t lin, unsigned size, bool write) {
    if (stub_) stub_->dataAccess(c, lin, size, write);
}

void DebugHub::physAccess(cpu::Cpu& c, uint64_t paddr, unsigned size, uint64_t value, bool write) {
    if (tracer_) tracer_->physAccess(c, paddr, size, value, write);
}

void DebugHub::escapeCall(cpu::Cpu& c, uint64_t call, uint64_t result, int outcome) {
    if (tracer_) tracer_->escapeCall(c, call, result, outcome);
}

}  // namespace pvx::debug
