// The differential-test harness: a Form generates random Cases for one instruction form; each
// Case runs natively (host_cpu.h) and in pvx (guest_cpu.h) from identical state, and the harness
// compares every GPR but RSP, the flags the manual defines for that instruction, the memory
// window the case touched, RIP, and that pvx raised no exception -- or, for inputs that must
// fault (divide error, misaligned CMPXCHG16B), that pvx raised exactly the expected exception
// with the instruction's own RIP in the frame and nothing changed. Instructions that do not exist
// in 64-bit mode are checked against the SDM's pseudocode instead (Oracle::Model).
#pragma once
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "encoder.h"
#include "host_cpu.h"

namespace pvx::difftest {

constexpr uint32_t CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, DF = 0x400, OF = 0x800;
constexpr uint32_t kStatus = CF | PF | AF | ZF | SF | OF;
enum : unsigned { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };
// Byte-register codes used by the generators: 0-15 name the low byte of that GPR (4-7 need a
// REX prefix: SPL/BPL/SIL/DIL), 16-19 name AH, CH, DH, BH (which forbid a REX prefix).
constexpr unsigned kAH = 16;

using Rng = std::mt19937_64;

enum class Oracle { Host, Fault, Model };

struct State {
    uint64_t gpr[16];
    uint32_t flags;
};

// A 128-bit XMM value.
struct V128 {
    uint64_t lo = 0, hi = 0;
    bool operator==(const V128&) const = default;
};

// The x87/MMX/SSE state a case starts from is an FXSAVE image in the 64-bit (REX.W) format
// (SDM Vol.2 FXSAVE Table 3-56): FCW at 0, FSW at 2, abridged tags at 4, MXCSR at 24, ST(i) at
// 32 + 16*i, XMMi at 160 + 16*i. Both CPUs load it before the instruction and store it after.
constexpr unsigned kFxSize = 512;
// What of that state a case compares (Case::fpuCompare).
enum : uint32_t {
    kCmpFcw = 1, kCmpFsw = 2, kCmpTags = 4, kCmpSt = 8, kCmpMxcsr = 16, kCmpXmm = 32,
    kCmpX87Pointers = 64,  // FOP/FIP/FDP: off by default (CPUs may not store them, CPUID.7.EBX[13])
    kCmpFpuDefault = kCmpFcw | kCmpFsw | kCmpTags | kCmpSt | kCmpMxcsr | kCmpXmm,
};

struct Case {
    int mode = 64;
    Region* region = nullptr;
    std::vector<uint8_t> code;      // at the instruction address, for both CPUs
    std::vector<uint8_t> hostCode;  // if set, the host runs this equivalent encoding instead
    unsigned insnLen = 0;           // bytes of the instruction under test (a trailer may follow)
    uint64_t gpr[16] = {};
    uint32_t flags = 0;             // initial status flags and DF
    uint32_t defined = kStatus;     // flags compared: the manual's undefined flags are left out
    uint64_t regMask[16];           // register bits compared
    uint64_t memLo = 0, memHi = 0;  // linear window the case initialised; compared afterwards
    Oracle oracle = Oracle::Host;
    int vector = -1;                       // Oracle::Fault: the exception expected
    std::function<void(State&)> model;     // Oracle::Model: initial state -> expected state
    unsigned maxSteps = 1;                 // guest instructions allowed to reach `until`
    uint64_t until = 0;                    // expected final RIP (0: right after the instruction)
    std::string note;                      // shown in mismatch reports
    bool skip = false;                     // not run (an input that hits a known bug)
    // x87/MMX/SSE state (harness.h kFx*). Every case loads `fx` into both CPUs (the default image
    // has FCW 037F, MXCSR 1F80, an empty x87 stack and random XMM registers); the state after
    // the instruction is compared when `simd` is set (Gen's SIMD setters set it).
    bool simd = false;
    alignas(16) uint8_t fx[kFxSize] = {};
    uint32_t fpuCompare = kCmpFpuDefault;
    uint16_t fswMask = 0xFFFF;     // FSW bits compared (C0-C3 are undefined after some instructions)
    uint32_t mxcsrMask = 0xFFFF;   // MXCSR bits compared
    uint16_t xmmMask = 0xFFFF;     // XMM registers compared (bit i: XMMi)
    uint8_t stMask = 0xFF;         // x87 registers compared (bit i: ST(i) after the instruction)
    // Oracle::Fault with simd: MXCSR expected after the fault (flags an unmasked SIMD exception
    // set); other state must be unchanged. -1: MXCSR unchanged.
    int64_t faultMxcsr = -1;
    // Linear ranges [lo, hi) inside the memory window that are not compared: bytes whose value
    // is the host CPU model's, not the architecture's (FXSAVE's MXCSR_MASK on an AMD host).
    std::vector<std::pair<uint64_t, uint64_t>> memIgnore;
};

// How a ModRM form is encoded: the generator picks registers and addressing at random.
struct MSpec {
    std::vector<uint8_t> opcode;
    unsigned osz = 4;        // operand size: 2 adds 66, 8 adds REX.W, 1 = byte form
    int digit = -1;          // ModRM.reg opcode extension, or -1: ModRM.reg names a register
    unsigned regSize = 0;    // size of the ModRM.reg register (0: osz); 1 = byte register
    unsigned rmSize = 0;     // size of the r/m operand (0: osz)
    uint8_t mandatory = 0;   // mandatory prefix (F3 for POPCNT), placed before REX
    enum Where { Any, MemOnly, RegOnly } where = Any;
    uint32_t avoid = 1u << RSP;  // registers never used as operands, base or index
    bool addr32 = true;          // allow 67-prefixed (32-bit) addressing in 64-bit mode
    bool regNotAddr = false;     // keep the ModRM.reg register out of the address (BT offsets)
    bool noAccess = false;       // the address is computed, never accessed (LEA, NOP Ev)
    unsigned margin = 64;        // bytes kept between the address and the data area's ends
    unsigned align = 1;          // memory address alignment ...
    unsigned misalign = 0;       // ... plus this offset
};

// The operands a ModRM generator chose.
struct Rm {
    Insn insn;
    bool hostDiffers = false;  // the host runs hostInsn (an equivalent encoding)
    Insn hostInsn;
    bool mem = false;
    unsigned regCode = 0;      // ModRM.reg register (byte code if regSize == 1)
    unsigned rmCode = 0;       // r/m register when !mem
    uint64_t ea = 0;           // r/m address when mem
    unsigned asz = 8;
    uint32_t addrRegs = 0;     // registers that hold parts of the address
    unsigned regSize = 0, rmSize = 0;
    void addImm(uint64_t v, unsigned size) {
        insn.addImm(v, size);
        hostInsn.addImm(v, size);
    }
};

class Gen {
public:
    Gen(Rng& rng, HostCpu& host, int mode, Region& region);

    Rng& rng;
    Case c;

    int mode() const { return c.mode; }
    bool lowRegion() const;
    uint64_t insnLin() const;
    uint64_t dataLo() const { return c.region->dataLin(); }
    uint64_t dataHi() const { return c.region->dataLin() + c.region->dataSize(); }

    // Random numbers.
    uint64_t u64() { return rng(); }
    uint64_t below(uint64_t n) { return n ? rng() % n : 0; }
    bool pct(unsigned p) { return below(100) < p; }
    template <typename T> const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
    // An operand of `size` bytes, often an edge value (0, 1, -1, MIN, MAX, 0x7F, 0x80, ...), with
    // random bits above it (zero above bit 31 in 32-bit mode, where they do not exist).
    uint64_t value(unsigned size);
    uint64_t edge(unsigned size);
    uint64_t upperNoise() { return c.mode == 32 ? 0 : u64(); }

    // Registers by code (see kAH) and memory in the host buffer.
    void setReg(unsigned size, unsigned code, uint64_t v);
    uint64_t reg(unsigned size, unsigned code) const;
    void randomize(uint64_t lo, uint64_t hi);  // random bytes in [lo, hi), added to the window
    void put(uint64_t lin, uint64_t v, unsigned size);
    uint64_t get(uint64_t lin, unsigned size) const;
    uint8_t* hostPtr(uint64_t lin) const;

    // ModRM forms: registers and addressing chosen at random per the spec.
    Rm modrm(const MSpec& s);
    void setRm(const Rm& m, uint64_t v);
    uint64_t rm(const Rm& m) const;
    void setRegOp(const Rm& m, uint64_t v);  // ignored if that register holds an address part
    uint64_t regOp(const Rm& m) const;
    // Sets a register the instruction uses implicitly, unless it holds an address part.
    void setImplicit(const Rm& m, unsigned r, unsigned size, uint64_t v);
    // Encodes the instruction into c.code (and c.hostCode when the host's encoding differs).
    void finish(const Rm& m);
    void finish(const Insn& i);

    // ---- x87/MMX/SSE state (each setter sets c.simd) ----
    void setXmm(unsigned r, V128 v);
    V128 xmm(unsigned r) const;
    void setMxcsr(uint32_t v);
    uint32_t mxcsr() const;
    // MMX register r (aliases x87 R[r]; the image gets TOP = 0, the register tagged valid and its
    // exponent field all ones, as an MMX write leaves it).
    void setMm(unsigned r, uint64_t v);
    void setFcw(uint16_t v);
    void setFsw(uint16_t v);  // TOP is FSW bits 13:11
    // ST(i) relative to the image's TOP: 64-bit significand and sign/exponent; tagged non-empty.
    void setSt(unsigned i, uint64_t mant, uint16_t se);
    void setStEmpty(unsigned i);
    uint8_t* fx() { c.simd = true; return c.fx; }
    // Random floating-point values, often special: +-0, +-inf, QNaN/SNaN with random payloads,
    // denormals, smallest/largest normals, 1.0, values near rounding boundaries.
    uint32_t f32();
    uint64_t f64();
    void f80(uint64_t& mant, uint16_t& se);  // also pseudo-denormals and unsupported encodings (rarely)
    V128 v128();        // random bytes, often edge patterns (all ones, sign bits, 0x80s...)
    V128 v128f32();     // four f32() values
    V128 v128f64();     // two f64() values
    // Bytes in the host buffer (memory operands wider than 8 bytes); adds them to the window.
    void putBytes(uint64_t lin, const void* src, size_t n);
    void getBytes(uint64_t lin, void* dst, size_t n) const;

    // Random memory address in the data area for an access of `size` bytes (sometimes placed
    // across a page boundary).
    uint64_t randomAddress(unsigned size, unsigned margin = 64);

private:
    void pickMemory(Rm& m, const MSpec& s, unsigned size);
    HostCpu& host_;
};

struct Form {
    std::string name;
    unsigned cases = 200;
    int mode = 64;          // 32: 32-bit protected mode (needs the low region)
    bool lowOnly = false;   // 64-bit mode, but code and data below 2 GiB
    bool highOnly = false;  // 64-bit mode, code and data above 4 GiB
    std::function<void(Gen&)> gen;
    std::string skipReason;  // non-empty: not run (a known bug makes the whole form fail)
};

// Runs every case of every form; reports mismatches as gtest failures and returns their count.
unsigned runForms(const char* family, const std::vector<Form>& forms);

struct Totals {
    uint64_t forms = 0, cases = 0, mismatches = 0, skippedForms = 0, skippedCases = 0;
    uint64_t faultCases = 0, modelCases = 0;  // cases with an expected exception / an SDM model
};
Totals& totals();

// Helpers shared by the form files.
inline uint64_t sizeMask(unsigned size) { return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1; }
inline const char* sizeName(unsigned size) { return size == 1 ? "8" : size == 2 ? "16" : size == 4 ? "32" : "64"; }
// Parity flag of the low byte (SDM Vol.1 3.4.3.1: set when the number of 1 bits is even).
inline bool parity8(uint64_t v) { return !__builtin_parity(static_cast<unsigned>(v & 0xFF)); }

// The families (forms_*.cpp).
std::vector<Form> aluForms();
std::vector<Form> mulDivForms();
std::vector<Form> shiftForms();
std::vector<Form> bitForms();
std::vector<Form> moveForms();
std::vector<Form> exchangeForms();
std::vector<Form> stringForms();
std::vector<Form> branchForms();
std::vector<Form> legacyForms();
std::vector<Form> lazyFlagForms();
std::vector<Form> simdStateForms();   // forms_simd_state.cpp: FXSAVE/XSAVE/LDMXCSR...
std::vector<Form> simdIntForms();     // forms_simd_int.cpp: MMX, SSE2-4.2 integer
std::vector<Form> sseFpForms();       // forms_sse_fp.cpp: SSE/SSE2/SSE3/SSE4.1 floating point
std::vector<Form> x87Forms();         // forms_x87.cpp

}  // namespace pvx::difftest
