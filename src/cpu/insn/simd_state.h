// x87/SSE state management: FXSAVE/FXRSTOR, XSAVE/XRSTOR, XGETBV/XSETBV, LDMXCSR/STMXCSR
// (SDM Vol.1 ch.13, Vol.2 entries of the same names).
#pragma once
#include "cpu/cpu.h"

namespace pvx::cpu {

void fxsave(Cpu& c, const DecodedInsn& i);
void fxrstor(Cpu& c, const DecodedInsn& i);
void ldmxcsr(Cpu& c, const DecodedInsn& i);
void stmxcsr(Cpu& c, const DecodedInsn& i);
void xsave(Cpu& c, const DecodedInsn& i);
void xrstor(Cpu& c, const DecodedInsn& i);
void xgetbv(Cpu& c, const DecodedInsn& i);
void xsetbv(Cpu& c, const DecodedInsn& i);

// XCR0 bits pvx implements: x87 (bit 0) and SSE (bit 1); AVX and later are not.
constexpr uint64_t kXcr0Supported = 3;
// Size of the XSAVE area for the supported components: legacy region + XSAVE header.
constexpr uint32_t kXsaveAreaSize = 512 + 64;

}  // namespace pvx::cpu
