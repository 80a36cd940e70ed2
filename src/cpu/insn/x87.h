// Handlers for opcodes_x87.def.
#pragma once
#include "cpu/insn/simd_common.h"

namespace pvx::cpu {}  // namespace pvx::cpu
