// Intel-syntax disassembly of one instruction with Zydis (its decoder and ZydisFormatter), for
// --trace insn.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace pvx::debug {

// `bits`: the code size, 16, 32 or 64. Returns "(bad)" for bytes that do not decode; `len` gets
// the instruction length (0 if bad).
std::string disassemble(const uint8_t* bytes, size_t n, unsigned bits, uint64_t address, unsigned& len);

}  // namespace pvx::debug
