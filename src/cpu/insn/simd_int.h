// Handlers for opcodes_simd_int.def.
#pragma once
#include "cpu/insn/simd_common.h"

namespace pvx::cpu {}  // namespace pvx::cpu
