// See forms_sse_fp_probe.h. A thunk in its own executable page saves the host's FPU/SSE state
// (FXSAVE64 [rdx]), loads the case's (FXRSTOR64 [rdi]), runs the instruction, stores the state
// (FXSAVE64 [rdi]) and restores the host's (FXRSTOR64 [rdx]). An unmasked SIMD exception arrives
// as SIGFPE (#GP as SIGSEGV, #UD as SIGILL): the handler records the vector and the trap-time
// MXCSR from the signal frame and resumes at the restoring tail, so the host's own state is
// intact afterwards.
#include "forms_sse_fp_probe.h"

#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace pvx::difftest {

namespace {

uint8_t* g_page = nullptr;
uint64_t g_insnLo = 0, g_insnHi = 0, g_recover = 0;
volatile sig_atomic_t g_trapped = 0;
volatile uint32_t g_trapMxcsr = 0;
volatile int g_trapVector = -1;

void onTrap(int, siginfo_t*, void* ctx) {
    auto* uc = static_cast<ucontext_t*>(ctx);
    const uint64_t rip = static_cast<uint64_t>(uc->uc_mcontext.gregs[REG_RIP]);
    if (rip < g_insnLo || rip >= g_insnHi) std::abort();  // not ours
    g_trapped = 1;
    g_trapMxcsr = uc->uc_mcontext.fpregs->mxcsr;
    g_trapVector = static_cast<int>(uc->uc_mcontext.gregs[REG_TRAPNO]);
    uc->uc_mcontext.fpregs->mxcsr = 0x1F80;  // resume with everything masked
    uc->uc_mcontext.fpregs->swd = 0;         // and no pending x87 exception
    uc->uc_mcontext.gregs[REG_RIP] = static_cast<greg_t>(g_recover);
}

}  // namespace

ProbeResult probeSse(uint8_t prefix, bool rexW, const std::vector<uint8_t>& opcode, const std::vector<uint8_t>& imm,
                     const uint8_t* fx, uint64_t rcx, int memOffset, const void* mem) {
    if (!g_page) {
        void* p = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) std::abort();
        g_page = static_cast<uint8_t*>(p);
    }
    if (mprotect(g_page, 4096, PROT_READ | PROT_WRITE)) std::abort();
    std::vector<uint8_t> code = {0x48, 0x0F, 0xAE, 0x02,   // fxsave64 [rdx]
                                 0x48, 0x0F, 0xAE, 0x0F,   // fxrstor64 [rdi]
                                 0x48, 0x89, 0xF1};        // mov rcx, rsi
    const size_t insnAt = code.size();
    if (prefix) code.push_back(prefix);
    if (rexW) code.push_back(0x48);
    code.insert(code.end(), opcode.begin(), opcode.end());
    code.push_back(memOffset >= 0 ? 0x01 : 0xC1);
    code.insert(code.end(), imm.begin(), imm.end());
    const size_t insnEnd = code.size();
    code.insert(code.end(), {0x48, 0x0F, 0xAE, 0x07});    // fxsave64 [rdi]
    const size_t recover = code.size();
    code.insert(code.end(), {0x48, 0x0F, 0xAE, 0x0A,      // fxrstor64 [rdx]
                             0xC3});                      // ret
    std::memcpy(g_page, code.data(), code.size());
    if (mprotect(g_page, 4096, PROT_READ | PROT_EXEC)) std::abort();
    g_insnLo = reinterpret_cast<uint64_t>(g_page) + insnAt;
    g_insnHi = reinterpret_cast<uint64_t>(g_page) + insnEnd;
    g_recover = reinterpret_cast<uint64_t>(g_page) + recover;

    alignas(64) static uint8_t work[512], save[512], buf[128];
    std::memcpy(work, fx, 512);
    if (memOffset >= 0) {
        std::memset(buf, 0, sizeof buf);
        if (mem) std::memcpy(buf + memOffset, mem, 32);
        rcx = reinterpret_cast<uint64_t>(buf + memOffset);
    }
    constexpr int kSignals[] = {SIGFPE, SIGSEGV, SIGBUS, SIGILL};
    struct sigaction sa {}, old[4];
    sa.sa_sigaction = onTrap;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    for (int k = 0; k < 4; ++k) sigaction(kSignals[k], &sa, &old[k]);
    g_trapped = 0;
    g_trapVector = -1;
    auto fn = reinterpret_cast<void (*)(uint8_t*, uint64_t, uint8_t*)>(g_page);
    fn(work, rcx, save);
    for (int k = 0; k < 4; ++k) sigaction(kSignals[k], &old[k], nullptr);

    ProbeResult r;
    r.trapped = g_trapped;
    r.vector = g_trapVector;
    if (r.trapped) r.mxcsr = g_trapMxcsr;
    else std::memcpy(&r.mxcsr, work + 24, 4);
    return r;
}

}  // namespace pvx::difftest
