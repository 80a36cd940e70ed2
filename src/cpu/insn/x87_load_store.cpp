// x87 data movement (SDM Vol.2 FLD/FST/FSTP/FILD/FIST/FISTP/FISTTP/FBLD/FBSTP/FXCH/FCMOVcc/FFREE,
// FLD1...FLDZ).
#include <utility>

#include "cpu/insn/x87.h"

namespace pvx::cpu::x87 {

namespace {

// A push needs ST(7) empty; otherwise stack overflow (SDM Vol.1 8.5.1.1). Returns false when the
// push must not happen (unmasked); masked, the caller pushes the indefinite instead.
enum class PushCheck { Ok, Indefinite, Abort };
PushCheck checkPush(Cpu& c) {
    if (isEmpty(c, 7)) return PushCheck::Ok;
    return stackFault(c, true) ? PushCheck::Indefinite : PushCheck::Abort;
}

}  // namespace

void loadMem(Cpu& c, const DecodedInsn& i, Src s) {
    begin(c);
    fp::Env e = env(c);
    const Float80 v = readSrc(c, i, s, e);
    pointers(c, i);
    switch (checkPush(c)) {
        case PushCheck::Abort: return;
        case PushCheck::Indefinite: push(c, kIndefinite); return;
        case PushCheck::Ok: break;
    }
    // An unmasked IE (SNaN source) loads nothing; an unmasked DE still loads (observed on Intel
    // processors: the denormal is normalised into the register and ES is set).
    if (e.flags & fp::kIE & ~c.x87.fcw) {
        commit(c, e.flags);
        setC(c, 0, fsw::C1);
        return;
    }
    if (commit(c, e.flags & ~fp::kDE) != Commit::Discard && (e.flags & fp::kDE)) {
        c.x87.fsw |= fsw::DE;
        updateEs(c);
    }
    push(c, v);
    setC(c, 0, fsw::C1);
}

void loadReg(Cpu& c, const DecodedInsn& i) {
    begin(c);
    pointers(c, i);
    const unsigned k = i.modrm & 7;
    const Float80 v = st(c, k);
    if (isEmpty(c, k)) {  // underflow is reported before overflow
        if (stackFault(c, false)) push(c, kIndefinite);
        return;
    }
    switch (checkPush(c)) {
        case PushCheck::Abort: return;
        case PushCheck::Indefinite: push(c, kIndefinite); return;
        case PushCheck::Ok: break;
    }
    push(c, v);
    setC(c, 0, fsw::C1);
}

void storeMem(Cpu& c, const DecodedInsn& i, Src d, bool pop) {
    begin(c);
    const uint64_t ea = c.effectiveAddress(i);
    const unsigned size = d == Src::F32 ? 4 : d == Src::F64 ? 8 : 10;
    const uint64_t lin = c.linear(i.seg, ea, size, true);
    c.probeWrite(lin, size, c.cpl == 3);  // faults before any x87 state changes
    pointers(c, i);
    Float80 v = st(c, 0);
    fp::Env e = env(c);
    if (isEmpty(c, 0)) {
        if (!stackFault(c, false)) return;
        v = kIndefinite;  // the masked response stores the indefinite
    }
    uint8_t buf[10];
    switch (d) {
        case Src::F32: {
            const uint32_t r = fp::f80_to_f32(v, e);
            std::memcpy(buf, &r, 4);
            break;
        }
        case Src::F64: {
            const uint64_t r = fp::f80_to_f64(v, e);
            std::memcpy(buf, &r, 8);
            break;
        }
        default:
            std::memcpy(buf, &v.mant, 8);
            std::memcpy(buf + 8, &v.se, 2);
            break;
    }
    // Unmasked exceptions (IE, DE, OE, UE) leave memory and the stack unchanged; PE stores.
    const uint8_t unmasked = static_cast<uint8_t>(e.flags & ~c.x87.fcw & 0x3F);
    if (unmasked & ~fp::kPE) {
        c.x87.fsw |= static_cast<uint16_t>(e.flags & ~fp::kPE) | fsw::ES | fsw::B;
        setC(c, 0, fsw::C1);
        return;
    }
    commit(c, e.flags);
    c.writeBlockLin(lin, buf, size);
    setC1Rounding(c, e);
    if (pop) x87::pop(c);
}

void storeReg(Cpu& c, const DecodedInsn& i, bool pop) {
    begin(c);
    pointers(c, i);
    const unsigned k = i.modrm & 7;
    if (i.opcode == 0xD9) {
        // D9 D8+i (FSTP1, "FSTPNCE"): with an empty ST(0) it only pops, raising nothing; else it
        // is FSTP ST(i) (observed on Intel processors).
        if (!isEmpty(c, 0)) setSt(c, k, st(c, 0));
        setC(c, 0, fsw::C1);
        x87::pop(c);
        return;
    }
    if (isEmpty(c, 0)) {
        if (!stackFault(c, false)) return;
        setSt(c, k, kIndefinite);
    } else {
        const unsigned p = c.x87.phys(0);
        const Float80 v = c.x87.r[p];
        const unsigned t = c.x87.tag(p);
        const unsigned q = c.x87.phys(k);
        c.x87.r[q] = v;
        c.x87.setTag(q, t);
        setC(c, 0, fsw::C1);
    }
    if (pop) x87::pop(c);
}

void storeInt(Cpu& c, const DecodedInsn& i, Src d, bool pop, bool truncate) {
    begin(c);
    const unsigned size = d == Src::I16 ? 2 : d == Src::I32 ? 4 : 8;
    const uint64_t lin = c.linear(i.seg, c.effectiveAddress(i), size, true);
    c.probeWrite(lin, size, c.cpl == 3);
    pointers(c, i);
    fp::Env e = env(c);
    int64_t r;
    if (isEmpty(c, 0)) {
        if (!stackFault(c, false)) return;
        r = size == 2 ? INT16_MIN : size == 4 ? INT32_MIN : INT64_MIN;  // integer indefinite
    } else {
        r = fp::f80_to_int(st(c, 0), size * 8, truncate, e);
        setC1Rounding(c, e);
        if (commit(c, e.flags) == Commit::Discard) return;  // unmasked IE: nothing stored
    }
    const uint64_t u = static_cast<uint64_t>(r);
    c.writeBlockLin(lin, &u, size);
    if (pop) x87::pop(c);
}

// FBLD: 18 packed BCD digits and a sign byte, converted exactly (SDM Vol.1 4.7; invalid digit
// encodings give an undefined result: here each nibble counts with its binary value).
void loadBcd(Cpu& c, const DecodedInsn& i) {
    begin(c);
    uint8_t b[10];
    c.readBlock(i.seg, c.effectiveAddress(i), b, 10);
    pointers(c, i);
    switch (checkPush(c)) {
        case PushCheck::Abort: return;
        case PushCheck::Indefinite: push(c, kIndefinite); return;
        case PushCheck::Ok: break;
    }
    int64_t v = 0;
    for (int k = 8; k >= 0; --k) v = v * 100 + (b[k] >> 4) * 10 + (b[k] & 15);
    Float80 f = fp::i64_to_f80(v);
    if (b[9] & 0x80) f.se |= 0x8000;
    push(c, f);
    setC(c, 0, fsw::C1);
}

// FBSTP: rounds ST(0) per RC to an integer and stores it as packed BCD; NaN, infinity or
// |value| >= 10^18 is invalid and stores the packed BCD indefinite (SDM Vol.2 FBSTP).
void storeBcd(Cpu& c, const DecodedInsn& i) {
    begin(c);
    const uint64_t lin = c.linear(i.seg, c.effectiveAddress(i), 10, true);
    c.probeWrite(lin, 10, c.cpl == 3);
    pointers(c, i);
    static constexpr uint8_t kIndef[10] = {0, 0, 0, 0, 0, 0, 0, 0xC0, 0xFF, 0xFF};
    uint8_t out[10];
    if (isEmpty(c, 0)) {
        if (!stackFault(c, false)) return;
        std::memcpy(out, kIndef, 10);
    } else {
        const Float80 v = st(c, 0);
        fp::Env e = env(c);
        const int64_t n = fp::f80_to_int(v, 64, false, e);
        constexpr int64_t kMax = 999999999999999999ll;
        if (!(e.flags & fp::kIE) && (n > kMax || n < -kMax)) {
            e.flags = static_cast<uint8_t>((e.flags & ~fp::kPE) | fp::kIE);
        }
        setC1Rounding(c, e);
        if (commit(c, e.flags) == Commit::Discard) return;
        if (e.flags & fp::kIE) {
            std::memcpy(out, kIndef, 10);
        } else {
            uint64_t m = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
            for (int k = 0; k < 9; ++k) {
                const unsigned lo = m % 10, hi = (m / 10) % 10;
                m /= 100;
                out[k] = static_cast<uint8_t>(hi << 4 | lo);
            }
            out[9] = v.sign() ? 0x80 : 0;
            setC1Rounding(c, e);
        }
    }
    c.writeBlockLin(lin, out, 10);
    pop(c);
}

void exchange(Cpu& c, const DecodedInsn& i) {
    begin(c);
    pointers(c, i);
    const unsigned k = i.modrm & 7;
    const unsigned p0 = c.x87.phys(0), pk = c.x87.phys(k);
    if (isEmpty(c, 0) || isEmpty(c, k)) {
        if (!stackFault(c, false)) return;
        // Masked: empty registers become the indefinite, then the exchange happens.
        if (c.x87.tag(p0) == kTagEmpty) setSt(c, 0, kIndefinite);
        if (c.x87.tag(pk) == kTagEmpty) setSt(c, k, kIndefinite);
    } else {
        setC(c, 0, fsw::C1);
    }
    std::swap(c.x87.r[p0], c.x87.r[pk]);
    const unsigned t0 = c.x87.tag(p0), tk = c.x87.tag(pk);
    c.x87.setTag(p0, tk);
    c.x87.setTag(pk, t0);
}

void cmove(Cpu& c, const DecodedInsn& i, Cond cc) {
    begin(c);
    pointers(c, i);
    const unsigned k = i.modrm & 7;
    const uint32_t f = c.getFlags();
    const bool cf = f & kCF, zf = f & kZF, pf = f & kPF;
    bool take = false;
    switch (cc) {
        case Cond::B: take = cf; break;
        case Cond::E: take = zf; break;
        case Cond::BE: take = cf || zf; break;
        case Cond::U: take = pf; break;
        case Cond::NB: take = !cf; break;
        case Cond::NE: take = !zf; break;
        case Cond::NBE: take = !cf && !zf; break;
        case Cond::NU: take = !pf; break;
    }
    if (isEmpty(c, 0) || isEmpty(c, k)) {
        if (stackFault(c, false)) setSt(c, 0, kIndefinite);
        return;
    }
    if (take) setSt(c, 0, st(c, k));
}

// FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ: the constants are held to 128 bits here and
// rounded to 64 per FCW.RC (SDM Vol.1 8.3.8; PC does not apply).
void loadConst(Cpu& c, const DecodedInsn& i, Const k) {
    begin(c);
    pointers(c, i);
    switch (checkPush(c)) {
        case PushCheck::Abort: return;
        case PushCheck::Indefinite: push(c, kIndefinite); return;
        case PushCheck::Ok: break;
    }
    struct K { uint64_t hi, lo; uint16_t se; };
    static constexpr K kConst[] = {
        {0x8000000000000000ull, 0, 0x3FFF},                      // 1
        {0xD49A784BCD1B8AFEull, 0x492BF6FF4DAFDB4Cull, 0x4000},  // log2(10)
        {0xB8AA3B295C17F0BBull, 0xBE87FED0691D3E88ull, 0x3FFF},  // log2(e)
        {0xC90FDAA22168C234ull, 0xC4C6628B80DC1CD1ull, 0x4000},  // pi
        {0x9A209A84FBCFF798ull, 0x8F8959AC0B7C9178ull, 0x3FFD},  // log10(2)
        {0xB17217F7D1CF79ABull, 0xC9E3B39803F2F6AFull, 0x3FFE},  // ln(2)
        {0, 0, 0},                                               // +0
    };
    const K& kv = kConst[static_cast<unsigned>(k)];
    uint64_t m = kv.hi;
    const unsigned rc = (c.x87.fcw >> fcw::kRcShift) & 3;
    if (kv.lo) {
        const bool half = kv.lo >> 63, rest = (kv.lo << 1) != 0;
        if ((rc == fp::kRoundNearest && half && (rest || (m & 1))) || rc == fp::kRoundUp) ++m;  // no carry-out
    }
    push(c, Float80{m, kv.se});
    setC(c, 0, fsw::C1);
}

void freeReg(Cpu& c, const DecodedInsn& i, bool doPop) {
    begin(c);
    pointers(c, i);
    c.x87.setTag(c.x87.phys(i.modrm & 7), kTagEmpty);
    if (doPop) pop(c);
}

}  // namespace pvx::cpu::x87
