// Handlers for opcodes_sse_fp.def: SSE/SSE2/SSE3/SSE4.1 floating point.
#pragma once
#include "cpu/insn/sse_fp_arith.h"
#include "cpu/insn/sse_fp_compare.h"
#include "cpu/insn/sse_fp_convert.h"
#include "cpu/insn/sse_fp_move.h"
#include "cpu/insn/sse_fp_shuffle.h"
#include "cpu/insn/sse_fp_sse41.h"
