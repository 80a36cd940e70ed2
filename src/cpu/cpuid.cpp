// CPUID: one coherent model that advertises exactly what pvx implements (x86-64-v2: SSE through
// SSE4.2, POPCNT, CMPXCHG16B, LAHF/SAHF in 64-bit mode; x87, MMX, FXSR, XSAVE for x87+SSE).
// Vendor "GenuineIntel" so guests take their common Intel code paths; the hypervisor bit and
// leaves 0x40000000+ announce pvx's PV interface when it is enabled (docs/pvabi.md).
#include <cstring>

#include "cpu/cpu.h"

namespace pvx::cpu {

namespace {
void put4(uint32_t& r, const char* s) { std::memcpy(&r, s, 4); }

// The processor pvx presents: an Intel family 6 model 26 (Nehalem-class) signature, the
// generation that defines x86-64-v2, with exactly the features below. Anything a guest can see
// here has an implementation and tests; nothing implemented is hidden.
constexpr uint32_t kSignature = 0x000106A5;  // family 6, extended model 1, model A, stepping 5

// CPUID.1:EDX (SDM Vol.2 Table 3-11).
constexpr uint32_t kEdx1 = (1u << 0)     // FPU: x87 on chip
                           | (1u << 3)   // PSE
                           | (1u << 4)   // TSC
                           | (1u << 5)   // MSR
                           | (1u << 6)   // PAE
                           | (1u << 8)   // CX8
                           | (1u << 11)  // SEP (SYSENTER/SYSEXIT)
                           | (1u << 12)  // MTRR
                           | (1u << 13)  // PGE
                           | (1u << 15)  // CMOV
                           | (1u << 16)  // PAT
                           | (1u << 17)  // PSE-36
                           | (1u << 19)  // CLFSH
                           | (1u << 23)  // MMX
                           | (1u << 24)  // FXSR
                           | (1u << 25)  // SSE
                           | (1u << 26); // SSE2
// CPUID.1:ECX (SDM Vol.2 Table 3-10). OSXSAVE (bit 27) mirrors CR4.OSXSAVE.
constexpr uint32_t kEcx1 = (1u << 0)     // SSE3
                           | (1u << 9)   // SSSE3
                           | (1u << 13)  // CMPXCHG16B
                           | (1u << 19)  // SSE4.1
                           | (1u << 20)  // SSE4.2
                           | (1u << 23)  // POPCNT
                           | (1u << 26); // XSAVE
constexpr uint32_t kEdx81 = (1u << 11)   // SYSCALL/SYSRET
                            | (1u << 20) // NX
                            | (1u << 26) // 1 GiB pages
                            | (1u << 27) // RDTSCP
                            | (1u << 29);// long mode
constexpr uint32_t kEcx81 = 1u;          // LAHF/SAHF in 64-bit mode
const char kBrand[49] = "pvx virtual x86-64 CPU (interpreter)            ";

// Deterministic cache parameters (leaf 4, SDM Vol.2 Table 3-8): the caches pvx does not model
// still need a coherent description, since kernels size per-CPU structures from it.
struct CacheDesc {
    uint8_t type, level;  // type 1 data, 2 instruction, 3 unified
    uint32_t ways, sets;
};
constexpr CacheDesc kCaches[] = {{1, 1, 8, 64}, {2, 1, 4, 128}, {3, 2, 8, 512}, {3, 3, 16, 8192}};
constexpr uint32_t kLineSize = 64;
}  // namespace

void Cpu::cpuid(uint32_t leaf, uint32_t sub, uint32_t out[4]) {
    out[0] = out[1] = out[2] = out[3] = 0;
    const uint32_t maxBasic = 0xD, maxExt = 0x80000008;
    if (leaf >= 0x40000000 && leaf <= 0x4FFFFFFF) {
        if (!cfg_.pvEnabled) return;
        switch (leaf) {
            case 0x40000000:
                out[0] = 0x40000002;
                std::memcpy(&out[1], cfg_.pvSignature, 4);
                std::memcpy(&out[2], cfg_.pvSignature + 4, 4);
                std::memcpy(&out[3], cfg_.pvSignature + 8, 4);
                return;
            case 0x40000001:
                out[0] = cfg_.pvFeatures;
                out[1] = cfg_.pvDoorbellPort;
                out[2] = cfg_.pvAbiVersion;
                return;
            case 0x40000002:
                out[0] = cfg_.pvMaxBatch;
                return;
            default: return;
        }
    }
    if (leaf > maxBasic && leaf < 0x80000000) leaf = maxBasic;  // Intel: above-max returns the max leaf
    if (leaf > maxExt) leaf = maxBasic;
    switch (leaf) {
        case 0:
            out[0] = maxBasic;
            put4(out[1], "Genu");
            put4(out[3], "ineI");
            put4(out[2], "ntel");
            return;
        case 1:
            out[0] = kSignature;
            out[1] = (8u << 8) | (1u << 16);  // CLFLUSH line 64 bytes, 1 logical processor, APIC ID 0
            out[2] = kEcx1 | ((cr4 & cr4::OSXSAVE) ? (1u << 27) : 0) | (cfg_.pvEnabled ? (1u << 31) : 0);
            out[3] = kEdx1 | (cfg_.apic && (msr.apicBase & 0x800) ? (1u << 9) : 0);  // APIC: present and enabled
            return;
        case 2: out[0] = 0x0000FF01; return;  // one iteration; descriptor FFh: "use leaf 4"
        case 4:
            if (sub < sizeof kCaches / sizeof kCaches[0]) {
                const CacheDesc& d = kCaches[sub];
                out[0] = d.type | (d.level << 5) | (1u << 8);  // self-initialising; 1 thread, 1 core
                out[1] = (kLineSize - 1) | ((d.ways - 1) << 22);
                out[2] = d.sets - 1;
                out[3] = d.level == 3 ? 2u : 0u;  // L3 inclusive
            }
            return;
        case 0xD:  // XSAVE features (SDM Vol.1 13.2): x87 and SSE state, standard format only
            if (sub == 0) {
                out[0] = 3;                      // XCR0 bits supported
                out[1] = 512 + 64;               // size for the components enabled in XCR0
                out[2] = 512 + 64;               // size for every supported component
            }
            return;
        case 0x80000000: out[0] = maxExt; return;
        case 0x80000001:
            out[2] = kEcx81;
            out[3] = kEdx81;
            return;
        case 0x80000002:
        case 0x80000003:
        case 0x80000004: std::memcpy(out, kBrand + (leaf - 0x80000002) * 16, 16); return;
        case 0x80000006: out[2] = (256u << 16) | (6u << 12) | kLineSize; return;  // L2: 256 KiB, 8-way
        case 0x80000007: out[3] = 1u << 8; return;  // invariant TSC: it counts virtual time at 1 GHz
        case 0x80000008: out[0] = (48u << 8) | mmu::kMaxPhysAddrBits; return;
        default: return;
    }
}

}  // namespace pvx::cpu
