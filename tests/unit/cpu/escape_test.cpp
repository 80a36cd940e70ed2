// The PV escape as the CPU performs it (src/cpu/cpu.cpp Cpu::escape, docs/pvabi.md "Registers"):
// in 64-bit mode VMCALL passes and returns the full registers; outside 64-bit mode (and for the
// I/O doorbell) only the low 32 bits are read and written, as KVM's hypercall ABI does.
#include <gtest/gtest.h>

#include "common/escape.h"
#include "common/port_bus.h"
#include "cpu/cpu.h"
#include "mmu/phys_memory.h"

namespace pvx::cpu {
namespace {

struct RecordingHandler : EscapeHandler {
    EscapeRegs seen{};
    unsigned calls = 0;
    EscapeOutcome escape(EscapeRegs& r) override {
        seen = r;
        ++calls;
        r.rax = 0xAAAAAAAA00000001ull;  // results with upper halves set: narrow mode must drop them
        r.rbx = 0xBBBBBBBB00000002ull;
        r.r8 = 0x8888888800000003ull;
        return EscapeOutcome::Done;
    }
};

constexpr uint64_t kCode = 0x10000;
constexpr uint8_t kVmcall[] = {0x0F, 0x01, 0xC1};

struct EscapeTest : ::testing::Test {
    PhysicalMemory mem{16ull << 20};
    PortBus io;
    Cpu cpu{mem, io};
    RecordingHandler handler;

    void SetUp() override {
        cpu.setEscapeHandler(&handler);
        mem.writeRam(kCode, kVmcall, sizeof kVmcall);
        const uint64_t garbage = 0xDEAD0000BEEF0000ull;
        for (unsigned r = 0; r < 16; ++r) cpu.gpr[r] = garbage | r;
    }
    void flatSegments(uint16_t attrExtra) {
        for (unsigned s = 0; s < 6; ++s) {
            cpu.seg[s].sel = s == CS ? 0x08 : 0x10;
            cpu.seg[s].base = 0;
            cpu.seg[s].limit = 0xFFFFFFFF;
            cpu.seg[s].attr = Segment::kP | Segment::kS | Segment::kRW | Segment::kG | Segment::kAccessed |
                              (s == CS ? Segment::kCode | attrExtra : Segment::kDB);
        }
    }
    void enterProtected32() {
        cpu.cr0 = cr0::PE | cr0::ET;
        flatSegments(Segment::kDB);
        cpu.rip = kCode;
        cpu.updateMode();
        cpu.flushTlb();
    }
    void enterLong64() {
        // Identity map the first 2 MiB: PML4 0x1000 -> PDPT 0x2000 -> PD 0x3000 (2 MiB page).
        const uint64_t pml4 = 0x2003, pdpt = 0x3003, pd = 0x83;
        mem.writeRam(0x1000, &pml4, 8);
        mem.writeRam(0x2000, &pdpt, 8);
        mem.writeRam(0x3000, &pd, 8);
        cpu.cr3 = 0x1000;
        cpu.cr4 = cr4::PAE;
        cpu.efer = efer::LME | efer::LMA;
        cpu.cr0 = cr0::PE | cr0::ET | cr0::PG;
        flatSegments(Segment::kL);
        cpu.rip = kCode;
        cpu.updateMode();
        cpu.flushTlb();
        ASSERT_EQ(Mode::Long64, cpu.mode);
    }
};

TEST_F(EscapeTest, LongModePassesFullRegisters) {
    enterLong64();
    cpu.run(cpu.icount + 1);
    ASSERT_EQ(1u, handler.calls);
    EXPECT_EQ(0xDEAD0000BEEF0000ull | RAX, handler.seen.rax);
    EXPECT_EQ(0xDEAD0000BEEF0000ull | RSI, handler.seen.rsi);
    EXPECT_EQ(0xDEAD0000BEEF0000ull | R8, handler.seen.r8);
    EXPECT_FALSE(handler.seen.fromDoorbell);
    EXPECT_EQ(0xAAAAAAAA00000001ull, cpu.gpr[RAX]);
    EXPECT_EQ(0xBBBBBBBB00000002ull, cpu.gpr[RBX]);
    EXPECT_EQ(0x8888888800000003ull, cpu.gpr[R8]);
    EXPECT_EQ(kCode + 3, cpu.rip);
}

TEST_F(EscapeTest, ProtectedModeUsesOnlyTheLow32Bits) {
    enterProtected32();
    cpu.run(cpu.icount + 1);
    ASSERT_EQ(1u, handler.calls);
    // Arguments: low halves only (the upper halves of 64-bit registers are not architecturally
    // visible to 32-bit code, so they must not reach the service).
    EXPECT_EQ(0xBEEF0000ull | RAX, handler.seen.rax);
    EXPECT_EQ(0xBEEF0000ull | RCX, handler.seen.rcx);
    EXPECT_EQ(0xBEEF0000ull | RDI, handler.seen.rdi);
    EXPECT_EQ(0u, handler.seen.r8);  // R8 does not exist outside 64-bit mode
    // Results: the low halves are written, the upper halves and R8 keep their values.
    EXPECT_EQ(0xDEAD000000000001ull, cpu.gpr[RAX]);
    EXPECT_EQ(0xDEAD000000000002ull, cpu.gpr[RBX]);
    EXPECT_EQ(0xDEAD0000BEEF0000ull | R8, cpu.gpr[R8]);
    EXPECT_EQ(kCode + 3, cpu.rip);
}

TEST_F(EscapeTest, UserModeVmcallIsRefusedWithoutReachingTheService) {
    enterProtected32();
    cpu.cpl = 3;  // no IDT: the #UD cannot be delivered, the CPU shuts down instead
    cpu.run(cpu.icount + 1);
    EXPECT_EQ(0u, handler.calls);
    EXPECT_GE(cpu.stats.exceptions, 1u);
}

TEST_F(EscapeTest, PvOffMakesVmcallUndefined) {
    CpuConfig off;
    off.pvEnabled = false;
    Cpu plain(mem, io, off);
    plain.setEscapeHandler(&handler);
    plain.cr0 = cr0::PE | cr0::ET;
    for (unsigned s = 0; s < 6; ++s) plain.seg[s] = cpu.seg[s];
    enterProtected32();
    for (unsigned s = 0; s < 6; ++s) plain.seg[s] = cpu.seg[s];
    plain.rip = kCode;
    plain.updateMode();
    plain.flushTlb();
    plain.run(plain.icount + 1);
    EXPECT_EQ(0u, handler.calls);
    EXPECT_GE(plain.stats.exceptions, 1u);
}

}  // namespace
}  // namespace pvx::cpu
