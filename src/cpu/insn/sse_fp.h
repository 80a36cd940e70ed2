// Handlers for opcodes_sse_fp.def.
#pragma once
#include "cpu/insn/simd_common.h"

namespace pvx::cpu {}  // namespace pvx::cpu
