// x87 rules the host differential tests cannot reach (their guest runs with CR0.MP|NE set and the
// host does not store FOP/FIP/FDP): every row of opcodes_x87.def decodes to itself; CR0.EM/TS
// give #NM and WAIT's MP&TS rule (SDM Vol.3A 2.5 Table 2-2); an unmasked exception sets ES and
// the next waiting instruction takes #MF (CR0.NE=1) or asserts FERR# (CR0.NE=0), cleared by
// FNCLEX (Vol.3A 6.15); FIP/FDP/FOP updates (Vol.1 8.1.8/8.1.9); the real-mode 16-bit FNSTENV
// layout (Vol.1 Figure 8-12); FNSAVE/FRSTOR round trip; the MMX transition helpers.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "common/port_bus.h"
#include "cpu/cpu.h"
#include "cpu/decoder.h"
#include "cpu/dispatch_table.h"
#include "cpu/insn/x87_common.h"
#include "mmu/phys_memory.h"

namespace pvx::cpu {
namespace {

[[maybe_unused]] constexpr uint8_t A = kModAny, M = kModMem, R = kModReg, X = kAny;

struct Row {
    const char* name;
    uint8_t opcode, mod, reg, rm;
};
const Row kRows[] = {
#define PVX_OP(NAME, MAP, OPC, MOD, REG, RM, ...) {#NAME, OPC, MOD, REG, RM},
#include "cpu/opcodes_x87.def"
#undef PVX_OP
};

TEST(X87Decode, EveryRowDecodesToItself) {
    unsigned checked = 0;
    for (const Row& r : kRows) {
        std::vector<uint8_t> b{r.opcode};
        if (r.opcode != 0x9B) {
            const uint8_t reg = r.reg == X ? 0 : r.reg;
            if (r.mod == M) b.push_back(static_cast<uint8_t>(reg << 3 | 3));  // [ebx]
            else b.push_back(static_cast<uint8_t>(0xC0 | reg << 3 | (r.rm == X ? 2 : r.rm)));
        }
        for (ModeKey mode : {kKeyLong64, kKeyPm32, kKeyReal16}) {
            DecodedInsn d{};
            ASSERT_EQ(DecodeStatus::Ok, decodeInstruction(b.data(), b.size(), mode, d));
            EXPECT_STREQ(r.name, opcodeName(d.op)) << "mode " << int(mode);
            ++checked;
        }
    }
    std::printf("x87 decode: %zu rows, %u encodings\n", sizeof kRows / sizeof kRows[0], checked);
}

struct Ferr : FerrListener {
    int asserts = 0, deasserts = 0;
    void ferrChanged(bool on) override { on ? ++asserts : ++deasserts; }
};

class X87Cpu : public ::testing::Test {
protected:
    PhysicalMemory mem{1 << 20};
    PortBus io;
    Cpu cpu{mem, io};
    Ferr ferr;

    void SetUp() override {
        cpu.cr0 = cr0::PE | cr0::MP | cr0::NE;
        cpu.mode = Mode::Protected;
        cpu.seg[CS].sel = 0x08;
        cpu.ferr = &ferr;
        for (auto& s : cpu.seg) s.limit = 0xFFFFFFFF;
        cpu.x87 = X87State{};
    }
    // Runs one instruction at `rip`; returns the vector it raised, or -1.
    int run(const std::vector<uint8_t>& bytes, ModeKey key = kKeyPm32, uint64_t rip = 0x100) {
        DecodedInsn d{};
        EXPECT_EQ(DecodeStatus::Ok, decodeInstruction(bytes.data(), bytes.size(), key, d));
        cpu.rip = rip;
        cpu.nextRip = rip + d.len;
        try {
            d.fn(cpu, d);
        } catch (const CpuFault& f) {
            return f.vector;
        }
        return -1;
    }
};

const std::vector<uint8_t> kFld1 = {0xD9, 0xE8}, kFldz = {0xD9, 0xEE}, kFdivp = {0xDE, 0xF9}, kFwait = {0x9B},
                           kFnclex = {0xDB, 0xE2}, kFnstswAx = {0xDF, 0xE0};

TEST_F(X87Cpu, NmRules) {
    cpu.cr0 |= cr0::TS;
    EXPECT_EQ(kVecNM, run(kFld1));
    EXPECT_EQ(kVecNM, run(kFnstswAx));
    EXPECT_EQ(kVecNM, run(kFwait));  // MP and TS
    cpu.cr0 &= ~cr0::MP;
    EXPECT_EQ(-1, run(kFwait));      // TS alone: WAIT runs
    cpu.cr0 = (cpu.cr0 & ~cr0::TS) | cr0::EM;
    EXPECT_EQ(kVecNM, run(kFld1));
    EXPECT_EQ(-1, run(kFwait));      // EM does not affect WAIT
    cpu.cr0 &= ~cr0::EM;
    EXPECT_EQ(-1, run(kFld1));
}

TEST_F(X87Cpu, UnmaskedZeroDivideThenMfOrFerr) {
    for (bool ne : {true, false}) {
        cpu.cr0 = ne ? (cpu.cr0 | cr0::NE) : (cpu.cr0 & ~cr0::NE);
        cpu.x87 = X87State{};
        cpu.x87.fcw = 0x037B;  // ZM clear
        ferr = Ferr{};
        EXPECT_EQ(-1, run(kFld1));
        EXPECT_EQ(-1, run(kFldz));
        EXPECT_EQ(-1, run(kFdivp));  // 1/0: ZE, ES, B; no store, no pop
        EXPECT_EQ(fsw::ZE | fsw::ES | fsw::B, cpu.x87.fsw & 0x80FF);
        EXPECT_EQ(6u, cpu.x87.top());
        EXPECT_EQ(-1, run(kFnstswAx));  // non-waiting
        EXPECT_EQ(ne ? kVecMF : -1, run(kFwait));
        EXPECT_EQ(ne ? kVecMF : -1, run(kFld1));  // waiting instructions check too
        EXPECT_EQ(ne ? 0 : 2, ferr.asserts);
        EXPECT_EQ(-1, run(kFnclex));
        EXPECT_EQ(0, cpu.x87.fsw & 0x80FF);
        EXPECT_EQ(-1, run(kFwait));
        EXPECT_GE(ferr.deasserts, 1);
    }
}

TEST_F(X87Cpu, StackOverflowUnmaskedChangesNothing) {
    cpu.x87.fcw = 0x037E;  // IM clear
    for (int k = 0; k < 8; ++k) EXPECT_EQ(-1, run(kFld1));
    const X87State before = cpu.x87;
    EXPECT_EQ(-1, run(kFldz));
    EXPECT_EQ(before.top(), cpu.x87.top());
    EXPECT_EQ(before.ftw, cpu.x87.ftw);
    EXPECT_EQ(fsw::IE | fsw::SF | fsw::ES | fsw::B | fsw::C1, cpu.x87.fsw & (0x80FF | fsw::C1));
    EXPECT_EQ(kVecMF, run(kFwait));
}

TEST_F(X87Cpu, PointersAfterNonControlInstructions) {
    cpu.gpr[RBX] = 0x2000;
    cpu.seg[DS].sel = 0x10;
    mem.write(0x2000, 4, 0x3F800000u);  // 1.0f
    EXPECT_EQ(-1, run({0xD9, 0x03}, kKeyPm32, 0x1234));  // FLD dword [ebx]
    EXPECT_EQ(0x1234u, cpu.x87.fip);
    EXPECT_EQ(0x08, cpu.x87.fcs);
    EXPECT_EQ(0x2000u, cpu.x87.fdp);
    EXPECT_EQ(0x10, cpu.x87.fds);
    EXPECT_EQ(0x103, cpu.x87.fop);  // (D9 & 7) << 8 | ModRM
    EXPECT_EQ(-1, run({0xD8, 0xC0}, kKeyPm32, 0x1240));  // FADD ST0, ST0
    EXPECT_EQ(0x1240u, cpu.x87.fip);
    EXPECT_EQ(0x0C0, cpu.x87.fop);
    EXPECT_EQ(-1, run({0xD9, 0x3B}, kKeyPm32, 0x1250));  // FNSTCW: control, no update
    EXPECT_EQ(0x1240u, cpu.x87.fip);
    EXPECT_EQ(0x0C0, cpu.x87.fop);
}

TEST_F(X87Cpu, RealModeEnv16Layout) {
    cpu.mode = Mode::Real;
    cpu.cr0 = cr0::MP | cr0::NE;
    cpu.seg[CS].sel = 0x1000;
    cpu.seg[DS].sel = 0x2000;
    cpu.gpr[RBX] = 0x0400;
    mem.write(0x400, 4, 0x3F800000u);
    EXPECT_EQ(-1, run({0xD9, 0x07}, kKeyReal16, 0x0FF0));  // FLD dword [bx]: FIP 1000:0FF0, FDP 2000:0400
    cpu.gpr[RBX] = 0x0500;
    EXPECT_EQ(-1, run({0xD9, 0x37}, kKeyReal16, 0x0FF8));  // FNSTENV [bx] (14 bytes)
    uint16_t w[7];
    for (int k = 0; k < 7; ++k) w[k] = static_cast<uint16_t>(mem.read(0x500 + 2 * k, 2));
    EXPECT_EQ(0x037F, w[0]);
    EXPECT_EQ(0x3800, w[1] & 0x3800);         // TOP = 7
    EXPECT_EQ(0x3FFF, w[2]);                  // R7 valid, others empty
    EXPECT_EQ(0x0FF0, w[3]);                  // FIP[15:0] of linear 0x10FF0
    EXPECT_EQ((1 << 12) | 0x107, w[4]);       // FIP[19:16] << 12 | FOP (D9 07)
    EXPECT_EQ(0x0400, w[5]);                  // FDP[15:0] of linear 0x20400
    EXPECT_EQ(2 << 12, w[6]);                 // FDP[19:16] << 12
    EXPECT_EQ(0x037F, cpu.x87.fcw);           // already all masked
    // FLDENV of the same image restores the pointers as linear addresses.
    cpu.x87.fip = cpu.x87.fdp = 0;
    EXPECT_EQ(-1, run({0xD9, 0x27}, kKeyReal16, 0x0FFC));
    EXPECT_EQ(0x10FF0u, cpu.x87.fip);
    EXPECT_EQ(0x20400u, cpu.x87.fdp);
}

TEST_F(X87Cpu, SaveRestoreRoundTrip) {
    cpu.gpr[RBX] = 0x3000;
    EXPECT_EQ(-1, run(kFld1));
    EXPECT_EQ(-1, run({0xD9, 0xEB}));  // FLDPI
    cpu.x87.fcw = 0x0A7F;
    const X87State before = cpu.x87;
    EXPECT_EQ(-1, run({0xDD, 0x33}));  // FNSAVE [ebx]: 108 bytes, then FNINIT
    EXPECT_EQ(0x037F, cpu.x87.fcw);
    EXPECT_EQ(0xFFFF, cpu.x87.ftw);
    EXPECT_EQ(-1, run({0xDD, 0x23}));  // FRSTOR [ebx]
    EXPECT_EQ(before.fcw, cpu.x87.fcw);
    EXPECT_EQ(before.fsw, cpu.x87.fsw);
    EXPECT_EQ(before.ftw, cpu.x87.ftw);
    for (unsigned k = 0; k < 8; ++k) EXPECT_EQ(before.r[k], cpu.x87.r[k]) << k;
}

TEST_F(X87Cpu, MmxTransitionHelpers) {
    cpu.x87.setTop(3);
    cpu.x87.ftw = 0xFFFF;
    mmxEnter(cpu);
    EXPECT_EQ(0u, cpu.x87.top());
    EXPECT_EQ(0u, cpu.x87.ftw);
    emmsState(cpu);
    EXPECT_EQ(0xFFFF, cpu.x87.ftw);
    cpu.x87.fcw = 0x037E;
    cpu.x87.fsw = fsw::IE | fsw::ES | fsw::B;
    EXPECT_THROW(x87CheckPending(cpu), CpuFault);
}

}  // namespace
}  // namespace pvx::cpu
