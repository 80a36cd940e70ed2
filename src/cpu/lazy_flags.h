// Lazy arithmetic flags (the QEMU "cc_op" idea; Bochs' lazy_flags.h motivates it): an ALU
// instruction records its operands, result and operation; OF/SF/ZF/AF/PF/CF are derived only
// when something reads them. Most results are only ever tested for ZF or by a following Jcc.
#pragma once
#include <cstdint>

namespace pvx::cpu {

constexpr uint32_t kCF = 1u << 0, kPF = 1u << 2, kAF = 1u << 4, kZF = 1u << 6, kSF = 1u << 7, kTF = 1u << 8,
                   kIF = 1u << 9, kDF = 1u << 10, kOF = 1u << 11, kIOPL = 3u << 12, kNT = 1u << 14,
                   kRF = 1u << 16, kVM = 1u << 17, kAC = 1u << 18, kVIF = 1u << 19, kVIP = 1u << 20,
                   kID = 1u << 21;
constexpr uint32_t kArithFlags = kCF | kPF | kAF | kZF | kSF | kOF;

// Operation kinds. Size (1/2/4/8 bytes) is stored beside.
enum class FlagOp : uint8_t {
    Eager,  // OSZAPC are in LazyFlags::eager
    Add,    // res = a + b
    Adc,    // res = a + b + 1 (ADC with carry-in 1; ADC with CF=0 records Add)
    Sub,    // res = a - b (also CMP, NEG with a = 0)
    Sbb,    // res = a - b - 1
    Logic,  // AND/OR/XOR/TEST: CF=OF=0, AF=0
    Inc,    // res = a + 1, CF preserved in b
    Dec,    // res = a - 1, CF preserved in b
};

struct LazyFlags {
    uint64_t res = 0, a = 0, b = 0;
    FlagOp op = FlagOp::Eager;
    uint8_t size = 4;
    uint32_t eager = 0;  // valid OSZAPC when op == Eager

    static uint64_t mask(unsigned size) { return size == 8 ? ~0ull : ((1ull << (size * 8)) - 1); }
    static uint64_t signBit(unsigned size) { return 1ull << (size * 8 - 1); }

    void set(FlagOp o, unsigned sz, uint64_t r, uint64_t x, uint64_t y) {
        op = o; size = static_cast<uint8_t>(sz); res = r; a = x; b = y;
    }
    void setEager(uint32_t flags) { op = FlagOp::Eager; eager = flags & kArithFlags; }

    bool cf() const {
        const uint64_t m = mask(size);
        switch (op) {
            case FlagOp::Eager: return eager & kCF;
            case FlagOp::Add: return (res & m) < (a & m);
            case FlagOp::Adc: return (res & m) <= (a & m);
            case FlagOp::Sub: return (a & m) < (b & m);
            case FlagOp::Sbb: return (a & m) <= (b & m);
            case FlagOp::Logic: return false;
            case FlagOp::Inc:
            case FlagOp::Dec: return b & 1;
        }
        return false;
    }
    bool zf() const { return op == FlagOp::Eager ? (eager & kZF) : (res & mask(size)) == 0; }
    bool sf() const { return op == FlagOp::Eager ? (eager & kSF) : (res & signBit(size)) != 0; }
    bool pf() const {
        if (op == FlagOp::Eager) return eager & kPF;
        return !__builtin_parity(static_cast<unsigned>(res & 0xFF));
    }
    bool af() const {
        switch (op) {
            case FlagOp::Eager: return eager & kAF;
            case FlagOp::Logic: return false;
            case FlagOp::Inc:
            case FlagOp::Dec: return ((a ^ res) & 0x10) != 0;  // the other operand is 1
            default: return ((a ^ b ^ res) & 0x10) != 0;
        }
    }
    bool of() const {
        const uint64_t s = signBit(size);
        switch (op) {
            case FlagOp::Eager: return eager & kOF;
            case FlagOp::Add:
            case FlagOp::Adc: return ((a ^ res) & (b ^ res) & s) != 0;
            case FlagOp::Sub:
            case FlagOp::Sbb: return ((a ^ b) & (a ^ res) & s) != 0;
            case FlagOp::Logic: return false;
            case FlagOp::Inc: return (res & mask(size)) == s;
            case FlagOp::Dec: return (res & mask(size)) == s - 1;
        }
        return false;
    }
    uint32_t get() const {
        if (op == FlagOp::Eager) return eager;
        return (cf() ? kCF : 0) | (pf() ? kPF : 0) | (af() ? kAF : 0) | (zf() ? kZF : 0) |
               (sf() ? kSF : 0) | (of() ? kOF : 0);
    }

    // Condition codes as encoded in Jcc/SETcc/CMOVcc (SDM Vol.2 Appendix B.1.4.7).
    bool cond(unsigned cc) const {
        if (op == FlagOp::Sub) {
            // The common CMP+Jcc case, straight from the operands.
            const uint64_t m = mask(size);
            const uint64_t x = a & m, y = b & m;
            const int sh = 64 - size * 8;
            const int64_t sx = static_cast<int64_t>(x << sh) >> sh, sy = static_cast<int64_t>(y << sh) >> sh;
            switch (cc) {
                case 0x2: return x < y;
                case 0x3: return x >= y;
                case 0x4: return x == y;
                case 0x5: return x != y;
                case 0x6: return x <= y;
                case 0x7: return x > y;
                case 0xC: return sx < sy;
                case 0xD: return sx >= sy;
                case 0xE: return sx <= sy;
                case 0xF: return sx > sy;
                default: break;
            }
        }
        bool r;
        switch (cc >> 1) {
            case 0: r = of(); break;
            case 1: r = cf(); break;
            case 2: r = zf(); break;
            case 3: r = cf() || zf(); break;
            case 4: r = sf(); break;
            case 5: r = pf(); break;
            case 6: r = sf() != of(); break;
            default: r = zf() || (sf() != of()); break;
        }
        return (cc & 1) ? !r : r;
    }
};

}  // namespace pvx::cpu
