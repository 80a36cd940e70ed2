// A bare CPU in 32-bit protected mode with SSE enabled (CR0.MP|NE, CR4.OSFXSR|OSXMMEXCPT), for
// tests that run single register-only MMX/SSE instructions and look at the fault they raise.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "common/port_bus.h"
#include "cpu/cpu.h"
#include "cpu/decoder.h"
#include "mmu/phys_memory.h"

namespace pvx::cpu {

class SseCpuFixture : public ::testing::Test {
protected:
    PhysicalMemory mem{1 << 20};
    PortBus io;
    Cpu cpu{mem, io};

    void SetUp() override {
        cpu.cr0 = cr0::PE | cr0::MP | cr0::NE;
        cpu.cr4 = cr4::OSFXSR | cr4::OSXMMEXCPT;
    }
    // Runs one register-only instruction; returns the vector it raised, or -1.
    int run(const std::vector<uint8_t>& bytes) {
        DecodedInsn d{};
        EXPECT_EQ(DecodeStatus::Ok, decodeInstruction(bytes.data(), bytes.size(), kKeyPm32, d));
        try {
            d.fn(cpu, d);
        } catch (const CpuFault& f) {
            return f.vector;
        }
        return -1;
    }
};

}  // namespace pvx::cpu
