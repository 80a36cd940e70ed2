// The FXSAVE memory image of the x87/MMX/SSE state (SDM Vol.2 "FXSAVE", Tables 3-53 and 3-56;
// Vol.1 10.5.1), shared by FXSAVE/FXRSTOR, the legacy region of XSAVE/XRSTOR, and tests that
// load a host CPU's state into pvx.
#pragma once
#include <cstdint>

#include "cpu/cpu.h"

namespace pvx::cpu {

constexpr unsigned kFxsaveSize = 512;
// MXCSR_MASK as FXSAVE reports it: the MXCSR bits software may set (DAZ supported).
constexpr uint32_t kMxcsrMask = mxcsr::kWritable;

// `format64`: the REX.W form (64-bit FPU IP/DP, no selectors). `xmmCount`: 16 in 64-bit mode,
// 8 otherwise (XMM8-15 do not exist outside 64-bit mode and are neither saved nor restored).
void fxsaveX87(const Cpu& c, uint8_t* img, bool format64);
void fxsaveSse(const Cpu& c, uint8_t* img, unsigned xmmCount);
void fxsaveMxcsr(const Cpu& c, uint8_t* img);
// Restores from an image; the caller has already checked MXCSR's reserved bits (#GP(0)).
void fxrstorX87(Cpu& c, const uint8_t* img, bool format64);
void fxrstorSse(Cpu& c, const uint8_t* img, unsigned xmmCount);
void fxrstorMxcsr(Cpu& c, const uint8_t* img);
uint32_t fxsaveImageMxcsr(const uint8_t* img);

// x87 and SSE initial configurations (FNINIT-like, SDM Vol.1 13.6 "XSAVE-managed state": the
// state XRSTOR loads for a component whose XSTATE_BV bit is clear).
void initX87(Cpu& c);
// FNINIT's part of it: control, status, tags and pointers; the registers keep their contents.
void fninitState(Cpu& c);
void initSse(Cpu& c);

}  // namespace pvx::cpu
