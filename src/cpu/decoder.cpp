#include "cpu/decoder.h"

#include <Zydis/Zydis.h>

#include <array>
#include <vector>

#include "cpu/cpu_state.h"
#include "cpu/dispatch_table.h"

namespace pvx::cpu {

namespace {

struct Decoders {
    ZydisDecoder d[kNumModeKeys];
    Decoders() {
        ZydisDecoderInit(&d[kKeyReal16], ZYDIS_MACHINE_MODE_REAL_16, ZYDIS_STACK_WIDTH_16);
        ZydisDecoderInit(&d[kKeyPm16], ZYDIS_MACHINE_MODE_LEGACY_16, ZYDIS_STACK_WIDTH_16);
        ZydisDecoderInit(&d[kKeyPm32], ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);
        ZydisDecoderInit(&d[kKeyCompat16], ZYDIS_MACHINE_MODE_LONG_COMPAT_16, ZYDIS_STACK_WIDTH_16);
        ZydisDecoderInit(&d[kKeyCompat32], ZYDIS_MACHINE_MODE_LONG_COMPAT_32, ZYDIS_STACK_WIDTH_32);
        ZydisDecoderInit(&d[kKeyLong64], ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
    }
};

const Decoders& decoders() {
    static const Decoders d;
    return d;
}

// Rows indexed by (map, opcode), in table order.
struct RowIndex {
    std::vector<uint16_t> rows[4][256];
    RowIndex() {
        for (uint16_t id = 0; id < kOpRowCount; ++id) {
            const OpRow& r = kOpRows[id];
            if (r.flags & kFlagInternal) continue;
            unsigned span = (r.flags & kFlagOR) || (r.flags & kFlagSpan8) ? 8 : (r.flags & kFlagSpan16) ? 16 : 1;
            for (unsigned k = 0; k < span; ++k) rows[r.map][(r.opcode + k) & 0xFF].push_back(id);
        }
    }
};

const RowIndex& rowIndex() {
    static const RowIndex ri;
    return ri;
}

uint8_t byteRegOffset(unsigned r, bool rex) { return static_cast<uint8_t>(!rex && r >= 4 && r < 8 ? (r - 4) * 8 + 1 : r * 8); }

void makeFault(DecodedInsn& out, uint16_t row, uint8_t len) {
    out = DecodedInsn{};
    out.fn = kOpRows[row].select(out);
    out.op = row;
    out.len = len;
    out.flags = DecodedInsn::kEndsTrace;
}

}  // namespace

const char* opcodeName(uint16_t op) { return op < kOpRowCount ? kOpRows[op].name : "?"; }
unsigned opcodeCount() { return kOpRowCount; }

DecodeStatus decodeInstruction(const uint8_t* bytes, size_t avail, ModeKey mode, DecodedInsn& out) {
    ZydisDecodedInstruction zi;
    ZyanStatus st = ZydisDecoderDecodeInstruction(&decoders().d[mode], nullptr, bytes, avail, &zi);
    if (st == ZYDIS_STATUS_NO_MORE_DATA) {
        if (avail < 15) return DecodeStatus::NeedMoreBytes;
        makeFault(out, kRowGpFault, 1);  // SDM Vol.2 2.3.11: over 15 bytes -> #GP(0)
        return DecodeStatus::Ok;
    }
    if (st == ZYDIS_STATUS_INSTRUCTION_TOO_LONG) {
        makeFault(out, kRowGpFault, 1);
        return DecodeStatus::Ok;
    }
    if (!ZYAN_SUCCESS(st) || zi.encoding != ZYDIS_INSTRUCTION_ENCODING_LEGACY) {
        // VEX/EVEX/XOP/3DNow! are not implemented: #UD, as on a CPU without them.
        makeFault(out, kRowUdFault, 1);
        return DecodeStatus::Ok;
    }

    unsigned map;
    switch (zi.opcode_map) {
        case ZYDIS_OPCODE_MAP_DEFAULT: map = 0; break;
        case ZYDIS_OPCODE_MAP_0F: map = 1; break;
        case ZYDIS_OPCODE_MAP_0F38: map = 2; break;
        case ZYDIS_OPCODE_MAP_0F3A: map = 3; break;
        default: makeFault(out, kRowUdFault, zi.length); return DecodeStatus::Ok;
    }
    const bool hasModrm = zi.attributes & ZYDIS_ATTRIB_HAS_MODRM;
    const unsigned mod = hasModrm ? zi.raw.modrm.mod : 3;
    const unsigned mreg = hasModrm ? zi.raw.modrm.reg : 0;
    const unsigned mrm = hasModrm ? zi.raw.modrm.rm : 0;
    const bool hasRex = zi.attributes & ZYDIS_ATTRIB_HAS_REX;
    const unsigned rexW = hasRex ? zi.raw.rex.W : 0, rexR = hasRex ? zi.raw.rex.R : 0;
    const unsigned rexX = hasRex ? zi.raw.rex.X : 0, rexB = hasRex ? zi.raw.rex.B : 0;
    const bool long64 = mode == kKeyLong64;
    uint32_t mandatory = kFlagPNP;
    for (unsigned k = 0; k < zi.raw.prefix_count; ++k) {
        if (zi.raw.prefixes[k].type != ZYDIS_PREFIX_TYPE_MANDATORY) continue;
        switch (zi.raw.prefixes[k].value) {
            case 0x66: mandatory = kFlagP66; break;
            case 0xF3: mandatory = kFlagPF3; break;
            case 0xF2: mandatory = kFlagPF2; break;
            default: break;
        }
    }

    // Find the table row.
    int rowId = -1;
    for (uint16_t id : rowIndex().rows[map][zi.opcode]) {
        const OpRow& r = kOpRows[id];
        if (r.mod == kModMem && mod == 3) continue;
        if (r.mod == kModReg && mod != 3) continue;
        if (r.reg != kAny && r.reg != mreg) continue;
        if (r.rm != kAny && (mod != 3 || r.rm != mrm)) continue;
        if ((r.flags & kFlagO64) && !long64) continue;
        if ((r.flags & kFlagI64) && long64) continue;
        if ((r.flags & kFlagPrefixMask) && !(r.flags & mandatory)) continue;
        rowId = id;
        break;
    }
    if (rowId < 0) {
        makeFault(out, kRowUdFault, zi.length);
        return DecodeStatus::Ok;
    }
    const OpRow& row = kOpRows[rowId];

    DecodedInsn d{};
    d.op = static_cast<uint16_t>(rowId);
    d.len = zi.length;
    d.opcode = zi.opcode;
    d.modrm = static_cast<uint8_t>((mod << 6) | (mreg << 3) | mrm);
    d.base = d.index = DecodedInsn::kNoReg;
    if (row.flags & kFlagEnd) d.flags |= DecodedInsn::kEndsTrace;
    if (hasRex) d.flags |= DecodedInsn::kRex;
    if (zi.attributes & ZYDIS_ATTRIB_HAS_LOCK) d.flags |= DecodedInsn::kLock;
    if (zi.attributes & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE)) d.flags |= DecodedInsn::kRep;
    if (zi.attributes & ZYDIS_ATTRIB_HAS_REPNE) d.flags |= DecodedInsn::kRepne;
    // Zydis reports F2/F3 used as mandatory prefixes (POPCNT is F3 0F B8) only in the raw
    // prefix list; the last of them is the one that counts.
    for (unsigned k = 0; k < zi.raw.prefix_count; ++k) {
        if (zi.raw.prefixes[k].value == 0xF3) d.flags = static_cast<uint8_t>((d.flags & ~DecodedInsn::kRepne) | DecodedInsn::kRep);
        if (zi.raw.prefixes[k].value == 0xF2) d.flags = static_cast<uint8_t>((d.flags & ~DecodedInsn::kRep) | DecodedInsn::kRepne);
    }

    // Operand size (SDM Vol.1 3.6, Vol.2 2.2.1.2 for 64-bit defaults).
    const bool opsizePrefix = (zi.attributes & ZYDIS_ATTRIB_HAS_OPERANDSIZE) && mandatory != kFlagP66;
    const unsigned defSize = (mode == kKeyPm32 || mode == kKeyCompat32 || long64) ? 4 : 2;
    if (row.form == kFormB) {
        d.osz = 1;
    } else if (long64) {
        if (rexW || (row.flags & kFlagF64)) d.osz = 8;
        else if (opsizePrefix) d.osz = 2;
        else d.osz = (row.flags & kFlagD64) ? 8 : 4;
    } else {
        d.osz = static_cast<uint8_t>(opsizePrefix ? (defSize == 4 ? 2 : 4) : defSize);
    }
    d.asz = static_cast<uint8_t>(zi.address_width / 8);

    // Registers.
    unsigned regNum = mreg + 8 * rexR;
    unsigned rmNum = mrm + 8 * rexB;
    if (row.flags & kFlagOR) rmNum = (zi.opcode & 7) + 8 * rexB;
    d.reg = (row.flags & kFlagRB) ? byteRegOffset(regNum, hasRex) : static_cast<uint8_t>(regNum);
    d.rm = (row.flags & kFlagMB) && (mod == 3 || (row.flags & kFlagOR)) ? byteRegOffset(rmNum, hasRex)
                                                                        : static_cast<uint8_t>(rmNum);

    // Memory operand (SDM Vol.2 2.1.5, Tables 2-1..2-3).
    uint8_t defaultSeg = DS;
    if (hasModrm && mod != 3) {
        d.flags |= DecodedInsn::kMem;
        d.disp = static_cast<int32_t>(zi.raw.disp.value);
        if (d.asz == 2) {
            static const uint8_t base16[8] = {RBX, RBX, RBP, RBP, DecodedInsn::kNoReg, DecodedInsn::kNoReg, RBP, RBX};
            static const uint8_t index16[8] = {RSI, RDI, RSI, RDI, RSI, RDI, DecodedInsn::kNoReg, DecodedInsn::kNoReg};
            d.base = base16[mrm];
            d.index = index16[mrm];
            if (mod == 0 && mrm == 6) d.base = DecodedInsn::kNoReg;
            if (d.base == RBP) defaultSeg = SS;
        } else {
            if (mrm == 4) {
                unsigned b = zi.raw.sib.base, x = zi.raw.sib.index + 8 * rexX;
                if (x != 4) {
                    d.index = static_cast<uint8_t>(x);
                    d.scale = zi.raw.sib.scale;
                }
                if (!(b == 5 && mod == 0)) d.base = static_cast<uint8_t>(b + 8 * rexB);
            } else if (mrm == 5 && mod == 0) {
                if (long64) d.base = DecodedInsn::kRipBase;
            } else {
                d.base = static_cast<uint8_t>(rmNum);
            }
            if (d.base == RSP || d.base == RBP) defaultSeg = SS;
        }
    }
    if (row.flags & kFlagMoffs) {
        d.imm = static_cast<uint64_t>(zi.raw.disp.value);
        if (d.asz == 4) d.imm = static_cast<uint32_t>(d.imm);
        else if (d.asz == 2) d.imm = static_cast<uint16_t>(d.imm);
    }
    // Segment override; in 64-bit mode only FS and GS have an effect (SDM Vol.1 3.3.7.1).
    const uint64_t a = zi.attributes;
    int ovr = -1;
    if (a & ZYDIS_ATTRIB_HAS_SEGMENT_FS) ovr = FS;
    else if (a & ZYDIS_ATTRIB_HAS_SEGMENT_GS) ovr = GS;
    else if (!long64) {
        if (a & ZYDIS_ATTRIB_HAS_SEGMENT_ES) ovr = ES;
        else if (a & ZYDIS_ATTRIB_HAS_SEGMENT_CS) ovr = CS;
        else if (a & ZYDIS_ATTRIB_HAS_SEGMENT_SS) ovr = SS;
        else if (a & ZYDIS_ATTRIB_HAS_SEGMENT_DS) ovr = DS;
    }
    if (ovr >= 0) {
        d.seg = static_cast<uint8_t>(ovr);
        d.flags |= DecodedInsn::kSegOverride;
    } else {
        d.seg = defaultSeg;
    }

    // Immediates: Zydis gives signed immediates already sign-extended.
    if (!(row.flags & kFlagMoffs) && zi.raw.imm[0].size) {
        d.imm = zi.raw.imm[0].is_signed ? static_cast<uint64_t>(zi.raw.imm[0].value.s) : zi.raw.imm[0].value.u;
        if (zi.raw.imm[1].size) d.imm2 = static_cast<uint16_t>(zi.raw.imm[1].value.u);
    }

    d.fn = row.select(d);
    out = d;
    return DecodeStatus::Ok;
}

}  // namespace pvx::cpu
