// Handlers for opcodes_simd_int.def: MMX, SSE/SSE2/SSE3/SSSE3/SSE4.1/SSE4.2 integer
// instructions, integer data moves, EMMS, CRC32 and PCMPxSTRx.
#pragma once
#include "cpu/insn/simd_int_arith.h"
#include "cpu/insn/simd_int_common.h"
#include "cpu/insn/simd_int_elem.h"
#include "cpu/insn/simd_int_move.h"
#include "cpu/insn/simd_int_mul.h"
#include "cpu/insn/simd_int_shift.h"
#include "cpu/insn/simd_int_shuffle.h"
