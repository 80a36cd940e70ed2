// System and privileged instructions. Their bodies live in cpu/insn/system.cpp (they are not
// on hot paths, and most need the descriptor and mode machinery in Cpu).
#pragma once
#include "cpu/insn/operands.h"

namespace pvx::cpu {

void ud(Cpu& c, const DecodedInsn& i);
void gp_fault(Cpu& c, const DecodedInsn& i);
void mov_EwSw(Cpu& c, const DecodedInsn& i);
void mov_SwEw(Cpu& c, const DecodedInsn& i);
void arpl(Cpu& c, const DecodedInsn& i);
void cli(Cpu& c, const DecodedInsn& i);
void sti(Cpu& c, const DecodedInsn& i);
void hlt(Cpu& c, const DecodedInsn& i);
void lldt(Cpu& c, const DecodedInsn& i);
void ltr(Cpu& c, const DecodedInsn& i);
void vmcall(Cpu& c, const DecodedInsn& i);
void monitor_mwait(Cpu& c, const DecodedInsn& i);
void smsw(Cpu& c, const DecodedInsn& i);
void lmsw(Cpu& c, const DecodedInsn& i);
void swapgs(Cpu& c, const DecodedInsn& i);
void rdtscp(Cpu& c, const DecodedInsn& i);
void invlpg(Cpu& c, const DecodedInsn& i);
void syscall(Cpu& c, const DecodedInsn& i);
void clts(Cpu& c, const DecodedInsn& i);
void sysret(Cpu& c, const DecodedInsn& i);
void priv_nop(Cpu& c, const DecodedInsn& i);
void mov_from_cr(Cpu& c, const DecodedInsn& i);
void mov_from_dr(Cpu& c, const DecodedInsn& i);
void mov_to_cr(Cpu& c, const DecodedInsn& i);
void mov_to_dr(Cpu& c, const DecodedInsn& i);
void wrmsr(Cpu& c, const DecodedInsn& i);
void rdtsc(Cpu& c, const DecodedInsn& i);
void rdmsr(Cpu& c, const DecodedInsn& i);
void rdpmc(Cpu& c, const DecodedInsn& i);
void sysenter(Cpu& c, const DecodedInsn& i);
void sysexit(Cpu& c, const DecodedInsn& i);
void cpuid_insn(Cpu& c, const DecodedInsn& i);
void clflush(Cpu& c, const DecodedInsn& i);

template <int K> void sys_store_seg(Cpu& c, const DecodedInsn& i);  // SLDT(0) / STR(1)
template <bool W> void verrw(Cpu& c, const DecodedInsn& i);
template <int K> void sys_store_dt(Cpu& c, const DecodedInsn& i);   // SGDT(0) / SIDT(1)
template <int K> void sys_load_dt(Cpu& c, const DecodedInsn& i);    // LGDT(0) / LIDT(1)
template <typename T, bool M, bool LSL> void lar_lsl(Cpu& c, const DecodedInsn& i);

// Explicit instantiations live in system.cpp.
extern template void sys_store_seg<0>(Cpu&, const DecodedInsn&);
extern template void sys_store_seg<1>(Cpu&, const DecodedInsn&);
extern template void verrw<false>(Cpu&, const DecodedInsn&);
extern template void verrw<true>(Cpu&, const DecodedInsn&);
extern template void sys_store_dt<0>(Cpu&, const DecodedInsn&);
extern template void sys_store_dt<1>(Cpu&, const DecodedInsn&);
extern template void sys_load_dt<0>(Cpu&, const DecodedInsn&);
extern template void sys_load_dt<1>(Cpu&, const DecodedInsn&);
#define PVX_LARLSL(T, M, L) extern template void lar_lsl<T, M, L>(Cpu&, const DecodedInsn&);
PVX_LARLSL(uint16_t, false, false) PVX_LARLSL(uint16_t, true, false) PVX_LARLSL(uint32_t, false, false)
PVX_LARLSL(uint32_t, true, false) PVX_LARLSL(uint64_t, false, false) PVX_LARLSL(uint64_t, true, false)
PVX_LARLSL(uint16_t, false, true) PVX_LARLSL(uint16_t, true, true) PVX_LARLSL(uint32_t, false, true)
PVX_LARLSL(uint32_t, true, true) PVX_LARLSL(uint64_t, false, true) PVX_LARLSL(uint64_t, true, true)
#undef PVX_LARLSL

}  // namespace pvx::cpu
