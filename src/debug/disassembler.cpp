#include "debug/disassembler.h"

#include <Zydis/Zydis.h>

namespace pvx::debug {

namespace {
struct Tools {
    ZydisDecoder dec16, dec32, dec64;
    ZydisFormatter fmt;
    Tools() {
        ZydisDecoderInit(&dec16, ZYDIS_MACHINE_MODE_LEGACY_16, ZYDIS_STACK_WIDTH_16);
        ZydisDecoderInit(&dec32, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);
        ZydisDecoderInit(&dec64, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
        ZydisFormatterInit(&fmt, ZYDIS_FORMATTER_STYLE_INTEL);
    }
};
const Tools& tools() {
    static const Tools t;
    return t;
}
}  // namespace

std::string disassemble(const uint8_t* bytes, size_t n, unsigned bits, uint64_t address, unsigned& len) {
    const Tools& t = tools();
    const ZydisDecoder* d = bits == 64 ? &t.dec64 : bits == 32 ? &t.dec32 : &t.dec16;
    ZydisDecodedInstruction insn;
    ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
    len = 0;
    if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(d, bytes, n, &insn, ops))) return "(bad)";
    char buf[256];
    if (!ZYAN_SUCCESS(ZydisFormatterFormatInstruction(&t.fmt, &insn, ops, insn.operand_count_visible, buf, sizeof buf,
                                                      address, nullptr)))
        return "(bad)";
    len = insn.length;
    return buf;
}

}  // namespace pvx::debug
