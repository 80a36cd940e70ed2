// CPUID: one coherent model that advertises exactly what pvx implements (issue 8 grows it).
// Vendor "GenuineIntel" so guests take their common Intel code paths; the hypervisor bit and
// leaves 0x40000000+ announce pvx's PV interface when it is enabled (docs/pvabi.md).
#include <cstring>

#include "cpu/cpu.h"

namespace pvx::cpu {

namespace {
void put4(uint32_t& r, const char* s) { std::memcpy(&r, s, 4); }

// CPUID.1:EDX (SDM Vol.2 Table 3-11): only implemented features.
constexpr uint32_t kEdx1 = (1u << 3)     // PSE
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
                           | (1u << 19); // CLFSH
constexpr uint32_t kEcx1 = (1u << 13)    // CMPXCHG16B
                           | (1u << 23); // POPCNT
constexpr uint32_t kEdx81 = (1u << 11)   // SYSCALL/SYSRET
                            | (1u << 20) // NX
                            | (1u << 26) // 1 GiB pages
                            | (1u << 27) // RDTSCP
                            | (1u << 29);// long mode
constexpr uint32_t kEcx81 = 1u;          // LAHF/SAHF in 64-bit mode
const char kBrand[49] = "pvx virtual x86-64 CPU (interpreter)            ";
}  // namespace

void Cpu::cpuid(uint32_t leaf, uint32_t sub, uint32_t out[4]) {
    (void)sub;
    out[0] = out[1] = out[2] = out[3] = 0;
    const uint32_t maxBasic = 1, maxExt = 0x80000008;
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
    switch (leaf) {
        case 0:
            out[0] = maxBasic;
            put4(out[1], "Genu");
            put4(out[3], "ineI");
            put4(out[2], "ntel");
            return;
        case 1:
            out[0] = 0x000006F1;             // family 6, model 15, stepping 1
            out[1] = (8u << 8) | (1u << 16); // CLFLUSH line 64 bytes, 1 logical processor
            out[2] = kEcx1 | (cfg_.pvEnabled ? (1u << 31) : 0);
            out[3] = kEdx1 | (cfg_.apic ? (1u << 9) : 0);
            return;
        case 0x80000000: out[0] = maxExt; return;
        case 0x80000001:
            out[2] = kEcx81;
            out[3] = kEdx81;
            return;
        case 0x80000002:
        case 0x80000003:
        case 0x80000004: std::memcpy(out, kBrand + (leaf - 0x80000002) * 16, 16); return;
        case 0x80000008: out[0] = (48u << 8) | mmu::kMaxPhysAddrBits; return;
        default: return;
    }
}

}  // namespace pvx::cpu
