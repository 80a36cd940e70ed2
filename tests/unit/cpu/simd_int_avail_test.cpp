// What the host differential tests cannot vary (their guest always runs with CR0.MP|NE and
// CR4.OSFXSR set): the CR0.EM / CR0.TS / CR4.OSFXSR / pending-x87-exception rules of MMX, SSE
// and the general-purpose SSE4.2 CRC32 (SDM Vol.3A 13.1.4 and Table 13-1; the exception tables
// of each instruction), the MMX register aliasing (SDM Vol.1 9.5, Table 9-2), and reference
// values: CRC-32C check values, PCMPxSTRx examples worked by hand.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "common/port_bus.h"
#include "cpu/cpu.h"
#include "cpu/decoder.h"
#include "sse_cpu_fixture.h"
#include "cpu/insn/simd_int_elem.h"
#include "mmu/phys_memory.h"

namespace pvx::cpu {
namespace {

class SimdIntCpu : public SseCpuFixture {};

const std::vector<uint8_t> kPaddbMm = {0x0F, 0xFC, 0xC1};            // MMX
const std::vector<uint8_t> kPavgbMm = {0x0F, 0xE0, 0xC1};            // SSE integer on MMX registers
const std::vector<uint8_t> kPshufbMm = {0x0F, 0x38, 0x00, 0xC1};     // SSSE3 on MMX registers
const std::vector<uint8_t> kMovq2dq = {0xF3, 0x0F, 0xD6, 0xC1};      // SSE2 MMX <-> XMM
const std::vector<uint8_t> kPaddbXmm = {0x66, 0x0F, 0xFC, 0xC1};     // SSE2
const std::vector<uint8_t> kPcmpistri = {0x66, 0x0F, 0x3A, 0x63, 0xC1, 0x00};
const std::vector<uint8_t> kCrc32 = {0xF2, 0x0F, 0x38, 0xF1, 0xC1};  // general purpose
const std::vector<uint8_t> kEmms = {0x0F, 0x77};

TEST_F(SimdIntCpu, EmRaisesUdExceptForCrc32) {
    cpu.cr0 |= cr0::EM | cr0::TS;  // EM wins over TS
    for (const auto* b : {&kPaddbMm, &kPavgbMm, &kPshufbMm, &kMovq2dq, &kPaddbXmm, &kPcmpistri, &kEmms}) EXPECT_EQ(kVecUD, run(*b));
    EXPECT_EQ(-1, run(kCrc32));
}

TEST_F(SimdIntCpu, TsRaisesNmExceptForCrc32) {
    cpu.cr0 |= cr0::TS;
    for (const auto* b : {&kPaddbMm, &kPavgbMm, &kPshufbMm, &kMovq2dq, &kPaddbXmm, &kPcmpistri, &kEmms}) EXPECT_EQ(kVecNM, run(*b));
    EXPECT_EQ(-1, run(kCrc32));
}

TEST_F(SimdIntCpu, OsfxsrClearDisablesSseButNotMmx) {
    cpu.cr4 &= ~cr4::OSFXSR;
    EXPECT_EQ(-1, run(kPaddbMm));
    EXPECT_EQ(-1, run(kPavgbMm));
    EXPECT_EQ(-1, run(kEmms));
    EXPECT_EQ(-1, run(kCrc32));
    for (const auto* b : {&kPshufbMm, &kMovq2dq, &kPaddbXmm, &kPcmpistri}) EXPECT_EQ(kVecUD, run(*b));
}

TEST_F(SimdIntCpu, PendingX87ExceptionRaisesMfOnlyForMmxRegisterInstructions) {
    cpu.x87.fcw = 0x037E;                       // IE unmasked
    cpu.x87.fsw = fsw::IE | fsw::ES | fsw::B;  // ... and pending
    for (const auto* b : {&kPaddbMm, &kPavgbMm, &kPshufbMm, &kMovq2dq, &kEmms}) EXPECT_EQ(kVecMF, run(*b));
    EXPECT_EQ(-1, run(kPaddbXmm));
    EXPECT_EQ(-1, run(kPcmpistri));
    EXPECT_EQ(-1, run(kCrc32));
}

TEST_F(SimdIntCpu, MmxWriteAliasesX87Registers) {
    cpu.x87.setTop(5);
    cpu.x87.ftw = 0xFFFF;
    cpu.x87.r[0] = fp::Float80{0x0102030405060708ull, 0x3FFF};
    cpu.x87.r[1] = fp::Float80{0x1010101010101010ull, 0x4000};
    EXPECT_EQ(-1, run({0x0F, 0xFC, 0xC1}));  // PADDB mm0, mm1
    EXPECT_EQ(0x1112131415161718ull, cpu.x87.r[0].mant);
    EXPECT_EQ(0xFFFF, cpu.x87.r[0].se);  // written: exponent/sign all ones
    EXPECT_EQ(0x4000, cpu.x87.r[1].se);  // only read: unchanged
    EXPECT_EQ(0u, cpu.x87.top());
    EXPECT_EQ(0u, cpu.x87.ftw);  // all valid
    cpu.x87.setTop(3);
    EXPECT_EQ(-1, run(kEmms));
    EXPECT_EQ(0xFFFFu, cpu.x87.ftw);
    EXPECT_EQ(0u, cpu.x87.top());
}

TEST(SimdIntCrc32, CheckValues) {
    // CRC-32C (Castagnoli) of "123456789" with the usual initial/final inversion: E3069283h.
    const char* s = "123456789";
    uint32_t crc = 0xFFFFFFFF;
    for (const char* p = s; *p; ++p) crc = crc32c(crc, static_cast<uint8_t>(*p), 1);
    EXPECT_EQ(0xE3069283u, ~crc);
    // Wider sources are the bytes least significant first.
    uint64_t q;
    std::memcpy(&q, "12345678", 8);
    uint32_t a = 0xFFFFFFFF, b = 0xFFFFFFFF;
    for (unsigned k = 0; k < 8; ++k) a = crc32c(a, (q >> (8 * k)) & 0xFF, 1);
    b = crc32c(b, q, 8);
    EXPECT_EQ(a, b);
    EXPECT_EQ(crc32c(crc32c(0x12345678, q & 0xFFFF, 2), q >> 16 & 0xFFFF, 2), crc32c(0x12345678, q & 0xFFFFFFFF, 4));
    // 32 bytes of zeros / ones (RFC 3720 B.4 iSCSI test vectors).
    uint32_t z = 0xFFFFFFFF, o = 0xFFFFFFFF;
    for (int k = 0; k < 4; ++k) {
        z = crc32c(z, 0, 8);
        o = crc32c(o, ~0ull, 8);
    }
    EXPECT_EQ(0x8A9136AAu, ~z);
    EXPECT_EQ(0x62A8AB43u, ~o);
}

// PCMPxSTRx examples: xmm1 = needle/set, xmm2 = haystack (implicit lengths).
class SimdIntString : public SimdIntCpu {
protected:
    struct Out {
        uint32_t ecx, flags;
    };
    Out istri(const char* a, const char* b, uint8_t imm) {
        std::memset(&cpu.xmm[0], 0, 16);
        std::memset(&cpu.xmm[1], 0, 16);
        std::memcpy(cpu.xmm[0].b, a, std::strlen(a));
        std::memcpy(cpu.xmm[1].b, b, std::strlen(b));
        EXPECT_EQ(-1, run({0x66, 0x0F, 0x3A, 0x63, 0xC1, imm}));  // PCMPISTRI xmm0, xmm1, imm
        return {static_cast<uint32_t>(cpu.gpr[1]), cpu.getFlags() & (kCF | kZF | kSF | kOF | kAF | kPF)};
    }
};

TEST_F(SimdIntString, EqualAnyFindsFirstMember) {
    Out o = istri("xyz", "abcdyfg", 0x00);  // unsigned bytes, equal any, positive, LSB index
    EXPECT_EQ(4u, o.ecx);
    EXPECT_EQ(kCF | kZF | kSF, o.flags);  // match; both strings shorter than 16
    o = istri("xyz", "abcdyfgz", 0x40);      // MSB index
    EXPECT_EQ(7u, o.ecx);
    o = istri("xyz", "abcd", 0x00);  // no match: ECX = 16, CF = 0
    EXPECT_EQ(16u, o.ecx);
    EXPECT_EQ(kZF | kSF, o.flags);
}

TEST_F(SimdIntString, RangesAndNegativePolarity) {
    Out o = istri("az", "ABCdef", 0x04);  // ranges a-z: first lower-case at 3
    EXPECT_EQ(3u, o.ecx);
    o = istri("az", "abcDef", 0x14);  // negative: first non-lower-case at 3 ...
    EXPECT_EQ(3u, o.ecx);
    o = istri("az", "abc", 0x14);  // ... and negative polarity covers the invalid tail (bit 3)
    EXPECT_EQ(3u, o.ecx);
    o = istri("az", "abc", 0x34);  // masked negative: the tail stays 0: no bit set
    EXPECT_EQ(16u, o.ecx);
}

TEST_F(SimdIntString, EqualOrderedIsSubstringSearch) {
    Out o = istri("lo", "hello world", 0x0C);
    EXPECT_EQ(3u, o.ecx);
    o = istri("efg", "0123456789abcdef", 0x0C);  // a partial match running off the register counts
    EXPECT_EQ(14u, o.ecx);
    o = istri("ld!", "hello world", 0x0C);  // ... but not one running into the string's end
    EXPECT_EQ(16u, o.ecx);
    o = istri("", "hello", 0x0C);  // an empty needle matches at 0
    EXPECT_EQ(0u, o.ecx);
    EXPECT_TRUE(o.flags & kSF);
}

TEST_F(SimdIntString, EqualEachComparesStrings) {
    Out o = istri("hello", "help", 0x18);  // negative equal each: first difference at 3
    EXPECT_EQ(3u, o.ecx);
    o = istri("same", "same", 0x18);  // equal: both tails invalid -> true, negated -> none
    EXPECT_EQ(16u, o.ecx);
    EXPECT_FALSE(o.flags & kOF);
}

}  // namespace
}  // namespace pvx::cpu
