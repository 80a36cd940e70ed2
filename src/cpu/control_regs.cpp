// MOV to CR0/CR3/CR4 and EFER writes: validity checks, long-mode activation and TLB flushes
// (SDM Vol.3A 2.5, 4.10.4, 9.8.5; Vol.2 "MOV—Move to/from Control Registers").
#include "cpu/cpu.h"

namespace pvx::cpu {

namespace {
// CR4 bits pvx implements (and CPUID advertises): VME/PVI are not implemented.
constexpr uint64_t kCr4Supported = cr4::TSD | cr4::DE | cr4::PSE | cr4::PAE | cr4::MCE | cr4::PGE | cr4::PCE |
                                   cr4::OSFXSR | cr4::OSXMMEXCPT | cr4::UMIP | cr4::OSXSAVE;
}  // namespace

void Cpu::writeCr0(uint64_t v) {
    if (v >> 32) raise(kVecGP, 0);
    v |= cr0::ET;
    if ((v & cr0::PG) && !(v & cr0::PE)) raise(kVecGP, 0);
    if ((v & cr0::NW) && !(v & cr0::CD)) raise(kVecGP, 0);
    const bool enablePaging = (v & cr0::PG) && !(cr0 & cr0::PG);
    const bool disablePaging = !(v & cr0::PG) && (cr0 & cr0::PG);
    if (enablePaging && (efer & efer::LME)) {
        if (!(cr4 & cr4::PAE) || seg[CS].l()) raise(kVecGP, 0);
        efer |= efer::LMA;
    }
    if (disablePaging && (efer & efer::LMA)) {
        if (mode == Mode::Long64) raise(kVecGP, 0);  // only from compatibility mode
        efer &= ~efer::LMA;
    }
    const uint64_t flushBits = cr0::PG | cr0::WP | cr0::PE;
    const bool flush = (v ^ cr0) & flushBits;
    cr0 = v;
    if (flush) tlb.flushAll();
    updateMode();
    endTrace();
}

void Cpu::writeCr3(uint64_t v) {
    if ((efer & efer::LMA) && (v >> mmu::kMaxPhysAddrBits)) raise(kVecGP, 0);
    cr3 = v;
    tlb.flushNonGlobal();
}

void Cpu::writeCr4(uint64_t v) {
    if (v & ~kCr4Supported) raise(kVecGP, 0);
    if ((efer & efer::LMA) && !(v & cr4::PAE)) raise(kVecGP, 0);
    const uint64_t flushBits = cr4::PGE | cr4::PAE | cr4::PSE | cr4::SMEP | cr4::SMAP | cr4::PCIDE;
    if ((v ^ cr4) & flushBits) tlb.flushAll();
    cr4 = v;
    endTrace();
}

void Cpu::writeEfer(uint64_t v) {
    const uint64_t writable = efer::SCE | efer::LME | efer::NXE;
    if (v & ~(writable | efer::LMA)) raise(kVecGP, 0);
    if ((cr0 & cr0::PG) && ((v ^ efer) & efer::LME)) raise(kVecGP, 0);
    const bool nxChanged = (v ^ efer) & efer::NXE;
    efer = (efer & efer::LMA) | (v & writable);
    if (nxChanged) tlb.flushAll();
    updateMode();
}

}  // namespace pvx::cpu
