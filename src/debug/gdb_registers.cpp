#include "debug/gdb_registers.h"

#include <cstring>

#include "cpu/cpu.h"

namespace pvx::debug {

namespace {
using cpu::Cpu;

// rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp, r8-r15 in GDB's order -> pvx's GPR index.
constexpr unsigned kGprIndex[16] = {cpu::RAX, cpu::RBX, cpu::RCX, cpu::RDX, cpu::RSI, cpu::RDI, cpu::RBP, cpu::RSP,
                                    8,        9,        10,       11,       12,       13,       14,       15};
// cs, ss, ds, es, fs, gs -> pvx's segment index.
constexpr unsigned kSegIndex[6] = {cpu::CS, cpu::SS, cpu::DS, cpu::ES, cpu::FS, cpu::GS};

const RegisterInfo kRegs[reg::kCount] = {
    {"rax", 64, "int64", "general"}, {"rbx", 64, "int64", "general"}, {"rcx", 64, "int64", "general"},
    {"rdx", 64, "int64", "general"}, {"rsi", 64, "int64", "general"}, {"rdi", 64, "int64", "general"},
    {"rbp", 64, "data_ptr", "general"}, {"rsp", 64, "data_ptr", "general"}, {"r8", 64, "int64", "general"},
    {"r9", 64, "int64", "general"}, {"r10", 64, "int64", "general"}, {"r11", 64, "int64", "general"},
    {"r12", 64, "int64", "general"}, {"r13", 64, "int64", "general"}, {"r14", 64, "int64", "general"},
    {"r15", 64, "int64", "general"}, {"rip", 64, "code_ptr", "general"}, {"eflags", 32, "i386_eflags", "general"},
    {"cs", 32, "int32", "general"}, {"ss", 32, "int32", "general"}, {"ds", 32, "int32", "general"},
    {"es", 32, "int32", "general"}, {"fs", 32, "int32", "general"}, {"gs", 32, "int32", "general"},
    {"st0", 80, "i387_ext", "float"}, {"st1", 80, "i387_ext", "float"}, {"st2", 80, "i387_ext", "float"},
    {"st3", 80, "i387_ext", "float"}, {"st4", 80, "i387_ext", "float"}, {"st5", 80, "i387_ext", "float"},
    {"st6", 80, "i387_ext", "float"}, {"st7", 80, "i387_ext", "float"}, {"fctrl", 32, "int", "float"},
    {"fstat", 32, "int", "float"}, {"ftag", 32, "int", "float"}, {"fiseg", 32, "int", "float"},
    {"fioff", 32, "int", "float"}, {"foseg", 32, "int", "float"}, {"fooff", 32, "int", "float"},
    {"fop", 32, "int", "float"}, {"xmm0", 128, "vec128", "vector"}, {"xmm1", 128, "vec128", "vector"},
    {"xmm2", 128, "vec128", "vector"}, {"xmm3", 128, "vec128", "vector"}, {"xmm4", 128, "vec128", "vector"},
    {"xmm5", 128, "vec128", "vector"}, {"xmm6", 128, "vec128", "vector"}, {"xmm7", 128, "vec128", "vector"},
    {"xmm8", 128, "vec128", "vector"}, {"xmm9", 128, "vec128", "vector"}, {"xmm10", 128, "vec128", "vector"},
    {"xmm11", 128, "vec128", "vector"}, {"xmm12", 128, "vec128", "vector"}, {"xmm13", 128, "vec128", "vector"},
    {"xmm14", 128, "vec128", "vector"}, {"xmm15", 128, "vec128", "vector"}, {"mxcsr", 32, "i386_mxcsr", "vector"},
    {"fs_base", 64, "int", "system"}, {"gs_base", 64, "int", "system"}, {"cr0", 64, "int64", "system"},
    {"cr2", 64, "int64", "system"}, {"cr3", 64, "int64", "system"}, {"cr4", 64, "int64", "system"},
    {"cr8", 64, "int64", "system"}, {"efer", 64, "int64", "system"},
};

template <typename T> void put(uint8_t* out, T v) { std::memcpy(out, &v, sizeof v); }
template <typename T> T get(const uint8_t* in) {
    T v;
    std::memcpy(&v, in, sizeof v);
    return v;
}

uint64_t codeBase(const Cpu& c) { return c.mode == cpu::Mode::Long64 ? 0 : c.seg[cpu::CS].base; }

// Runs a CPU state change that may raise an exception; a fault means the value is refused.
template <typename F> bool guarded(F&& f) {
    try {
        f();
        return true;
    } catch (const cpu::CpuFault&) {
        return false;
    }
}
}  // namespace

const RegisterInfo& registerInfo(unsigned n) { return kRegs[n < reg::kCount ? n : 0]; }

uint64_t linearPc(const Cpu& c) {
    const uint64_t pc = codeBase(c) + c.rip;
    return c.mode == cpu::Mode::Long64 ? pc : static_cast<uint32_t>(pc);
}

void readRegister(const Cpu& c, unsigned n, uint8_t* out) {
    std::memset(out, 0, registerInfo(n).bits / 8);
    if (n < 16) return put<uint64_t>(out, c.gpr[kGprIndex[n]]);
    if (n == reg::kRip) return put<uint64_t>(out, linearPc(c));
    if (n == reg::kEflags) return put<uint32_t>(out, c.getFlags());
    if (n >= reg::kCs && n <= reg::kGs) return put<uint32_t>(out, c.seg[kSegIndex[n - reg::kCs]].sel);
    if (n >= reg::kSt0 && n < reg::kSt0 + 8) {
        // ST(i) is physical register (TOP + i) mod 8 (SDM Vol.1 8.1.2); 64-bit significand then
        // sign/exponent, the FSAVE/FXSAVE byte order GDB's i387_ext expects.
        const auto& f = c.x87.r[c.x87.phys(n - reg::kSt0)];
        put<uint64_t>(out, f.mant);
        put<uint16_t>(out + 8, f.se);
        return;
    }
    switch (n) {
        case reg::kFctrl: return put<uint32_t>(out, c.x87.fcw);
        case reg::kFctrl + 1: return put<uint32_t>(out, c.x87.fswValue());
        case reg::kFctrl + 2: return put<uint32_t>(out, c.x87.ftw);  // full two-bit tag word
        case reg::kFctrl + 3: return put<uint32_t>(out, c.x87.fcs);
        case reg::kFctrl + 4: return put<uint32_t>(out, static_cast<uint32_t>(c.x87.fip));
        case reg::kFctrl + 5: return put<uint32_t>(out, c.x87.fds);
        case reg::kFctrl + 6: return put<uint32_t>(out, static_cast<uint32_t>(c.x87.fdp));
        case reg::kFop: return put<uint32_t>(out, c.x87.fop);
        case reg::kMxcsr: return put<uint32_t>(out, c.mxcsr);
        case reg::kFsBase: return put<uint64_t>(out, c.seg[cpu::FS].base);
        case reg::kGsBase: return put<uint64_t>(out, c.seg[cpu::GS].base);
        case reg::kCr0: return put<uint64_t>(out, c.cr0);
        case reg::kCr2: return put<uint64_t>(out, c.cr2);
        case reg::kCr3: return put<uint64_t>(out, c.cr3);
        case reg::kCr4: return put<uint64_t>(out, c.cr4);
        case reg::kCr8: return put<uint64_t>(out, static_cast<uint64_t>(c.cr8));
        case reg::kEfer: return put<uint64_t>(out, c.efer);
        default: break;
    }
    if (n >= reg::kXmm0 && n < reg::kXmm0 + 16) std::memcpy(out, c.xmm[n - reg::kXmm0].b, 16);
}

bool writeRegister(Cpu& c, unsigned n, const uint8_t* in) {
    if (n < 16) {
        c.gpr[kGprIndex[n]] = get<uint64_t>(in);
        return true;
    }
    if (n == reg::kRip) {
        const uint64_t off = get<uint64_t>(in) - codeBase(c);
        c.rip = c.mode == cpu::Mode::Long64 ? off : static_cast<uint32_t>(off);
        c.endTrace();
        return true;
    }
    if (n == reg::kEflags) {
        c.setFlags(get<uint32_t>(in));
        c.updateMode();  // EFLAGS.VM
        return true;
    }
    if (n >= reg::kCs && n <= reg::kGs) {
        const unsigned s = kSegIndex[n - reg::kCs];
        const auto sel = static_cast<uint16_t>(get<uint32_t>(in));
        if (c.mode == cpu::Mode::Real || c.mode == cpu::Mode::V86) {
            c.loadSegmentReal(s, sel);  // base = selector * 16 (SDM Vol.3A 20.1.1)
            c.updateMode();
            c.endTrace();
            return true;
        }
        if (s == cpu::CS) return false;  // a far jump's job: descriptor, CPL and mode change together
        return guarded([&] { c.loadSegment(s, sel); });
    }
    if (n >= reg::kSt0 && n < reg::kSt0 + 8) {
        auto& f = c.x87.r[c.x87.phys(n - reg::kSt0)];
        f.mant = get<uint64_t>(in);
        f.se = get<uint16_t>(in + 8);
        return true;
    }
    if (n >= reg::kXmm0 && n < reg::kXmm0 + 16) {
        std::memcpy(c.xmm[n - reg::kXmm0].b, in, 16);
        return true;
    }
    const uint32_t v32 = get<uint32_t>(in);
    const uint64_t v64 = registerInfo(n).bits == 64 ? get<uint64_t>(in) : v32;
    switch (n) {
        case reg::kFctrl: c.x87.fcw = cpu::X87State::fcwValue(static_cast<uint16_t>(v32)); return true;
        case reg::kFctrl + 1: c.x87.fsw = static_cast<uint16_t>(v32); return true;
        case reg::kFctrl + 2: c.x87.ftw = static_cast<uint16_t>(v32); return true;
        case reg::kFctrl + 3: c.x87.fcs = static_cast<uint16_t>(v32); return true;
        case reg::kFctrl + 4: c.x87.fip = v32; return true;
        case reg::kFctrl + 5: c.x87.fds = static_cast<uint16_t>(v32); return true;
        case reg::kFctrl + 6: c.x87.fdp = v32; return true;
        case reg::kFop: c.x87.fop = static_cast<uint16_t>(v32 & 0x7FF); return true;
        case reg::kMxcsr:
            if (v32 & ~cpu::mxcsr::kWritable) return false;  // LDMXCSR would #GP (SDM Vol.2 LDMXCSR)
            c.mxcsr = v32;
            return true;
        case reg::kFsBase: c.seg[cpu::FS].base = v64; return true;
        case reg::kGsBase: c.seg[cpu::GS].base = v64; return true;
        case reg::kCr0: return guarded([&] { c.writeCr0(v64); });
        case reg::kCr2: c.cr2 = v64; return true;
        case reg::kCr3: return guarded([&] { c.writeCr3(v64); });
        case reg::kCr4: return guarded([&] { c.writeCr4(v64); });
        case reg::kCr8: return guarded([&] { c.cr8 = v64; });
        case reg::kEfer: return guarded([&] { c.writeEfer(v64); });
        default: return false;
    }
}

}  // namespace pvx::debug
