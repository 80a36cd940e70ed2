// Exception vectors (SDM Vol.3A 6.3.1) and the C++ exception that carries a fault out of an
// instruction handler. A handler throws only before it has changed architectural state, so the
// faulting instruction can be restarted (SDM Vol.3A 6.5: faults report the instruction's RIP).
#pragma once
#include <cstdint>

namespace pvx::cpu {

enum Vector : uint8_t {
    kVecDE = 0, kVecDB = 1, kVecNMI = 2, kVecBP = 3, kVecOF = 4, kVecBR = 5, kVecUD = 6, kVecNM = 7, kVecDF = 8,
    kVecTS = 10, kVecNP = 11, kVecSS = 12, kVecGP = 13, kVecPF = 14, kVecMF = 16, kVecAC = 17, kVecMC = 18, kVecXM = 19,
};

struct CpuFault {
    uint8_t vector;
    bool hasError;
    uint32_t error;
};

[[noreturn]] inline void raise(uint8_t v) { throw CpuFault{v, false, 0}; }
[[noreturn]] inline void raise(uint8_t v, uint32_t error) { throw CpuFault{v, true, error}; }

// Exceptions that push an error code (SDM Vol.3A Table 6-1).
inline bool vectorHasError(uint8_t v) {
    return v == kVecDF || v == kVecTS || v == kVecNP || v == kVecSS || v == kVecGP || v == kVecPF || v == kVecAC;
}

}  // namespace pvx::cpu
