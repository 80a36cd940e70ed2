// sseInexactUnbounded (sse_fp_common.h): the precision exception of a result rounded to the
// destination's precision but with an unbounded exponent range. The operands are widened to
// x87 extended (exact), the operation runs with x87 precision control set to the destination's
// significand width (24 or 53 bits, SDM Vol.1 8.1.5.2) -- a single rounding of the exact result
// whose exponent range (15 bits) cannot overflow or underflow for f32/f64 values -- and its PE
// is the answer. DAZ is applied to the inputs first, as the SSE operation did.
#include "cpu/insn/sse_fp_common.h"

namespace pvx::cpu {

namespace {

fp::Float80 widen64(uint64_t v, bool daz) {
    if (daz && fp::f64_isDenormal(v)) v &= 0x8000000000000000ull;
    fp::Env x;
    return fp::f64_to_f80(v, x);
}
fp::Float80 widen32(uint32_t v, bool daz) {
    if (daz && fp::f32_isDenormal(v)) v &= 0x80000000u;
    fp::Env x;
    return fp::f32_to_f80(v, x);
}

bool run(SseRaw op, fp::Float80 a, fp::Float80 b, uint8_t precision, uint8_t rounding) {
    fp::Env x;
    x.rounding = rounding;
    x.precision = precision;
    switch (op) {
        case SseRaw::Add: fp::f80_add(a, b, x); break;
        case SseRaw::Sub: fp::f80_sub(a, b, x); break;
        case SseRaw::Mul: fp::f80_mul(a, b, x); break;
        case SseRaw::Div: fp::f80_div(a, b, x); break;
        case SseRaw::Narrow: fp::f80_add(a, fp::Float80{}, x); break;  // a + 0: a rounded to `precision`
    }
    return x.flags & fp::kPE;
}

}  // namespace

template <> bool sseInexactUnbounded<uint32_t>(SseRaw op, uint64_t a, uint64_t b, const fp::Env& env) {
    if (op == SseRaw::Narrow) return run(op, widen64(a, env.daz), {}, fp::kPrecSingle, env.rounding);
    return run(op, widen32(static_cast<uint32_t>(a), env.daz), widen32(static_cast<uint32_t>(b), env.daz), fp::kPrecSingle,
               env.rounding);
}
template <> bool sseInexactUnbounded<uint64_t>(SseRaw op, uint64_t a, uint64_t b, const fp::Env& env) {
    return run(op, widen64(a, env.daz), widen64(b, env.daz), fp::kPrecDouble, env.rounding);
}

}  // namespace pvx::cpu
