#include "host_cpu.h"

#include <sys/mman.h>

#include <csetjmp>
#include <cstddef>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace pvx::difftest {

static_assert(offsetof(HostState, fx) == 192, "the thunk's FXRSTOR/FXSAVE use [rdi+192]");

namespace {

// A trap inside the thunk (only possible through a generator bug) jumps back to run() instead
// of killing the test binary; a trap anywhere else goes to whoever handled it before (ASan).
sigjmp_buf g_jump;
volatile sig_atomic_t g_inThunk = 0;
constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
struct sigaction g_old[sizeof kSignals / sizeof kSignals[0]];

void onSignal(int sig, siginfo_t*, void*) {
    if (g_inThunk) {
        g_inThunk = 0;
        siglongjmp(g_jump, sig);
    }
    for (size_t k = 0; k < sizeof kSignals / sizeof kSignals[0]; ++k)
        if (kSignals[k] == sig) sigaction(sig, &g_old[k], nullptr);  // re-raised on return
}

void emit(std::vector<uint8_t>& out, std::initializer_list<uint8_t> b) {
    for (uint8_t x : b) out.push_back(x);
}

// mov r64, [rdi + 8*r] / mov [rdi + 8*r], r64 for every GPR but RSP and RDI.
void emitRegMoves(std::vector<uint8_t>& out, uint8_t opcode) {
    for (unsigned r = 0; r < 16; ++r) {
        if (r == 4 || r == 7) continue;
        emit(out, {static_cast<uint8_t>(0x48 | (r >= 8 ? 4 : 0)), opcode, static_cast<uint8_t>(0x40 | ((r & 7) << 3) | 7),
                   static_cast<uint8_t>(8 * r)});
    }
}

}  // namespace

HostCpu::HostCpu() {
    // Prologue: save the callee-saved registers and the HostState pointer (RDI), load RFLAGS
    // and every GPR but RSP from the HostState, RDI last.
    emit(prologue_, {0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57});  // push rbx,rbp,r12-r15
    emit(prologue_, {0x57});                                                        // push rdi
    emit(prologue_, {0xFF, 0xB7, 0x80, 0x00, 0x00, 0x00});                          // push qword [rdi+128]
    emit(prologue_, {0x9D});                                                        // popfq
    emit(prologue_, {0x48, 0x0F, 0xAE, 0x8F, 0xC0, 0x00, 0x00, 0x00});              // fxrstor64 [rdi+192]
    emitRegMoves(prologue_, 0x8B);
    emit(prologue_, {0x48, 0x8B, 0x7F, 0x38});                                      // mov rdi, [rdi+56]
    // Epilogue: capture RFLAGS first, then every GPR, restore and return with DF clear.
    emit(epilogue_, {0x9C});                                                        // pushfq
    emit(epilogue_, {0x57});                                                        // push rdi
    emit(epilogue_, {0x48, 0x8B, 0x7C, 0x24, 0x10});                                // mov rdi, [rsp+16]
    emit(epilogue_, {0x48, 0x0F, 0xAE, 0x87, 0xC0, 0x00, 0x00, 0x00});              // fxsave64 [rdi+192]
    emit(epilogue_, {0x8F, 0x47, 0x38});                                            // pop qword [rdi+56]
    emit(epilogue_, {0x8F, 0x87, 0x80, 0x00, 0x00, 0x00});                          // pop qword [rdi+128]
    emitRegMoves(epilogue_, 0x89);
    emit(epilogue_, {0x48, 0x83, 0xC4, 0x08});                                      // add rsp, 8
    emit(epilogue_, {0x41, 0x5F, 0x41, 0x5E, 0x41, 0x5D, 0x41, 0x5C, 0x5D, 0x5B});  // pop r15-r12,rbp,rbx
    emit(epilogue_, {0xFC, 0xC3});                                                  // cld; ret

    low_ = map(true);
    high_ = map(false);
    if (!high_.valid()) {
        std::fprintf(stderr, "diff: cannot map host code memory\n");
        std::abort();
    }
    struct sigaction sa {};
    sa.sa_sigaction = onSignal;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (size_t k = 0; k < sizeof kSignals / sizeof kSignals[0]; ++k) sigaction(kSignals[k], &sa, &g_old[k]);
}

HostCpu::~HostCpu() {
    for (size_t k = 0; k < sizeof kSignals / sizeof kSignals[0]; ++k) sigaction(kSignals[k], &g_old[k], nullptr);
    for (Region* r : {&low_, &high_})
        if (r->valid()) munmap(r->host, r->totalPages() * 4096);
}

Region HostCpu::map(bool low) {
    Region r;
    r.dataPages = kDataPages;
    const size_t len = r.totalPages() * 4096;
    int prot = PROT_READ | PROT_WRITE | (rwx_ ? PROT_EXEC : 0);
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | (low ? MAP_32BIT : 0);
    // Fixed hints keep addresses -- and so the operands of cases that use a pointer register as
    // a data operand -- the same from run to run; the kernel may choose another place.
    void* hint = reinterpret_cast<void*>(low ? 0x5A500000ull : 0x5A5A00000000ull);
    void* p = mmap(hint, len, prot, flags, -1, 0);
    if (p == MAP_FAILED && rwx_) {
        rwx_ = false;  // W^X kernel policy: write RW, flip the code page to RX for each run
        p = mmap(hint, len, PROT_READ | PROT_WRITE, flags, -1, 0);
    }
    if (p == MAP_FAILED) return r;
    const uint64_t a = reinterpret_cast<uint64_t>(p);
    const bool ok = low ? (a + len <= 0x80000000ull && a >= 0x400000) : a >= 0x100000000ull;
    if (!ok) {
        munmap(p, len);
        return r;
    }
    r.host = static_cast<uint8_t*>(p);
    return r;
}

void HostCpu::setWritable(Region& r, bool w) {
    if (rwx_) return;
    mprotect(r.host, 4096, w ? PROT_READ | PROT_WRITE : PROT_READ | PROT_EXEC);
}

#if defined(__clang__)
__attribute__((no_sanitize("function")))
#endif
int HostCpu::run(Region& r, const std::vector<uint8_t>& code, HostState& st) {
    setWritable(r, true);
    uint8_t* p = r.host;
    std::memcpy(p, prologue_.data(), prologue_.size());
    p += prologue_.size();
    std::memcpy(p, code.data(), code.size());
    p += code.size();
    std::memcpy(p, epilogue_.data(), epilogue_.size());
    setWritable(r, false);
    // Never load TF, IF changes or AC: only the status flags and DF (bit 1 is always set).
    st.flags = (st.flags & 0xCD5) | 0x202;
    using Thunk = void (*)(HostState*);
    Thunk fn = reinterpret_cast<Thunk>(r.host);
    // The case's x87/SSE state (rounding modes, unmasked exceptions, a full x87 stack) must not
    // leak into the test program: save ours around the thunk.
    alignas(64) static uint8_t own[512];
    asm volatile("fxsave64 %0" : "=m"(own));
    int sig = sigsetjmp(g_jump, 1);
    if (sig != 0) {
        asm volatile("fxrstor64 %0" : : "m"(own));
        return sig;
    }
    g_inThunk = 1;
    fn(&st);
    g_inThunk = 0;
    asm volatile("fxrstor64 %0" : : "m"(own));
    return 0;
}

}  // namespace pvx::difftest
