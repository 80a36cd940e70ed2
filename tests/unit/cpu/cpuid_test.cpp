// The CPUID model (src/cpu/cpuid.cpp): it advertises exactly what pvx implements, consistently
// across leaves (SDM Vol.2 CPUID), and the dynamic bits follow the state they mirror.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "common/port_bus.h"
#include "cpu/cpu.h"
#include "cpu/insn/simd_state.h"
#include "mmu/phys_memory.h"

namespace pvx::cpu {
namespace {

struct CpuidTest : ::testing::Test {
    PhysicalMemory mem{16ull << 20};
    PortBus io;
    Cpu cpu{mem, io};
    uint32_t r[4];
    void leaf(uint32_t l, uint32_t sub = 0) { cpu.cpuid(l, sub, r); }
};

TEST_F(CpuidTest, VendorAndMaxLeaves) {
    leaf(0);
    EXPECT_EQ(0xDu, r[0]);
    char v[13] = {};
    std::memcpy(v, &r[1], 4);
    std::memcpy(v + 4, &r[3], 4);
    std::memcpy(v + 8, &r[2], 4);
    EXPECT_STREQ("GenuineIntel", v);
    leaf(0x80000000);
    EXPECT_EQ(0x80000008u, r[0]);
}

TEST_F(CpuidTest, X86_64_V2FeatureSet) {
    leaf(1);
    // EDX: FPU TSC MSR PAE CX8 SEP CMOV PAT CLFSH MMX FXSR SSE SSE2.
    for (unsigned bit : {0u, 4u, 5u, 6u, 8u, 11u, 15u, 16u, 19u, 23u, 24u, 25u, 26u}) EXPECT_TRUE(r[3] >> bit & 1) << "EDX bit " << bit;
    // ECX: SSE3 SSSE3 CX16 SSE4.1 SSE4.2 POPCNT XSAVE.
    for (unsigned bit : {0u, 9u, 13u, 19u, 20u, 23u, 26u}) EXPECT_TRUE(r[2] >> bit & 1) << "ECX bit " << bit;
    // Not implemented, so not advertised: PCLMULQDQ, MONITOR, VMX, FMA, MOVBE, AES, AVX, F16C, RDRAND.
    for (unsigned bit : {1u, 3u, 5u, 12u, 22u, 25u, 28u, 29u, 30u}) EXPECT_FALSE(r[2] >> bit & 1) << "ECX bit " << bit;
    EXPECT_EQ(0x000106A5u, r[0]);  // family 6 model 26: the signature RESET leaves in EDX
    cpu.reset();
    EXPECT_EQ(r[0], static_cast<uint32_t>(cpu.gpr[RDX]));
    leaf(0x80000001);
    EXPECT_TRUE(r[2] & 1);            // LAHF/SAHF in 64-bit mode
    EXPECT_TRUE(r[3] >> 29 & 1);      // long mode
}

TEST_F(CpuidTest, OsxsaveMirrorsCr4) {
    leaf(1);
    EXPECT_FALSE(r[2] >> 27 & 1);
    cpu.cr4 |= cr4::OSXSAVE;
    leaf(1);
    EXPECT_TRUE(r[2] >> 27 & 1);
}

TEST_F(CpuidTest, XsaveLeafMatchesTheImplementation) {
    leaf(0xD, 0);
    EXPECT_EQ(kXcr0Supported, r[0]);
    EXPECT_EQ(0u, r[3]);
    EXPECT_EQ(kXsaveAreaSize, r[1]);
    EXPECT_EQ(kXsaveAreaSize, r[2]);
    leaf(0xD, 1);  // no XSAVEOPT/XSAVEC/XGETBV1/XSAVES
    EXPECT_EQ(0u, r[0]);
}

TEST_F(CpuidTest, CacheLeavesAreCoherent) {
    leaf(2);
    EXPECT_EQ(0x0000FF01u, r[0]);  // "see leaf 4"
    unsigned n = 0;
    for (uint32_t sub = 0; sub < 8; ++sub) {
        leaf(4, sub);
        const unsigned type = r[0] & 31;
        if (!type) break;
        ++n;
        EXPECT_EQ(63u, r[1] & 0xFFF) << "64-byte lines, as CPUID.1:EBX[15:8] says";
        const unsigned ways = (r[1] >> 22) + 1, sets = r[2] + 1;
        EXPECT_GE(ways * sets * 64u, 32u * 1024u);
    }
    EXPECT_EQ(4u, n);  // L1d, L1i, L2, L3
    leaf(1);
    EXPECT_EQ(8u, (r[1] >> 8) & 0xFF);
}

TEST_F(CpuidTest, BrandString) {
    std::string brand;
    for (uint32_t l = 0x80000002; l <= 0x80000004; ++l) {
        leaf(l);
        brand.append(reinterpret_cast<const char*>(r), 16);
    }
    EXPECT_EQ(0u, brand.find("pvx virtual x86-64 CPU"));
}

TEST_F(CpuidTest, HypervisorLeavesOnlyWithPv) {
    leaf(0x40000000);
    EXPECT_EQ(0x40000002u, r[0]);
    CpuConfig off;
    off.pvEnabled = false;
    Cpu plain(mem, io, off);
    plain.cpuid(0x40000000, 0, r);
    EXPECT_EQ(0u, r[0]);
    plain.cpuid(1, 0, r);
    EXPECT_FALSE(r[2] >> 31 & 1);
}

}  // namespace
}  // namespace pvx::cpu
