// Model-specific registers pvx implements (SDM Vol.4 for the architectural MSR numbers). Any
// other index raises #GP(0), as hardware does for an unimplemented MSR.
#include "cpu/cpu.h"

namespace pvx::cpu {

namespace {
enum : uint32_t {
    kMsrTsc = 0x10, kMsrPlatformId = 0x17, kMsrApicBase = 0x1B, kMsrFeatureControl = 0x3A, kMsrBiosSignId = 0x8B,
    kMsrMtrrCap = 0xFE, kMsrSysenterCs = 0x174, kMsrSysenterEsp = 0x175, kMsrSysenterEip = 0x176,
    kMsrMcgCap = 0x179, kMsrMcgStatus = 0x17A, kMsrMiscEnable = 0x1A0, kMsrMtrrPhysBase0 = 0x200,
    kMsrMtrrFix64k = 0x250, kMsrMtrrFix16k0 = 0x258, kMsrMtrrFix16k1 = 0x259, kMsrMtrrFix4k0 = 0x268,
    kMsrPat = 0x277, kMsrMtrrDefType = 0x2FF,
    kMsrEfer = 0xC0000080, kMsrStar = 0xC0000081, kMsrLstar = 0xC0000082, kMsrCstar = 0xC0000083,
    kMsrSfmask = 0xC0000084, kMsrFsBase = 0xC0000100, kMsrGsBase = 0xC0000101, kMsrKernelGsBase = 0xC0000102,
    kMsrTscAux = 0xC0000103,
};

int fixedMtrrIndex(uint32_t idx) {
    if (idx == kMsrMtrrFix64k) return 0;
    if (idx == kMsrMtrrFix16k0) return 1;
    if (idx == kMsrMtrrFix16k1) return 2;
    if (idx >= kMsrMtrrFix4k0 && idx < kMsrMtrrFix4k0 + 8) return static_cast<int>(3 + idx - kMsrMtrrFix4k0);
    return -1;
}
}  // namespace

uint64_t Cpu::readMsr(uint32_t idx) {
    if (idx >= kMsrMtrrPhysBase0 && idx < kMsrMtrrPhysBase0 + 16) return msr.mtrrVar[idx - kMsrMtrrPhysBase0];
    if (int f = fixedMtrrIndex(idx); f >= 0) return msr.mtrrFixed[f];
    switch (idx) {
        case kMsrTsc: return readTsc();
        case kMsrPlatformId: return 0;
        case kMsrApicBase: return msr.apicBase;
        case kMsrFeatureControl: return 1;  // locked, VMX off
        case kMsrBiosSignId: return 0;
        case kMsrMtrrCap: return 0x508;     // 8 variable ranges, fixed ranges, write-combining
        case kMsrSysenterCs: return msr.sysenterCs;
        case kMsrSysenterEsp: return msr.sysenterEsp;
        case kMsrSysenterEip: return msr.sysenterEip;
        case kMsrMcgCap: return 0;
        case kMsrMcgStatus: return 0;
        case kMsrMiscEnable: return msr.miscEnable;
        case kMsrPat: return msr.pat;
        case kMsrMtrrDefType: return msr.mtrrDefType;
        case kMsrEfer: return efer;
        case kMsrStar: return msr.star;
        case kMsrLstar: return msr.lstar;
        case kMsrCstar: return msr.cstar;
        case kMsrSfmask: return msr.sfmask;
        case kMsrFsBase: return seg[FS].base;
        case kMsrGsBase: return seg[GS].base;
        case kMsrKernelGsBase: return msr.kernelGsBase;
        case kMsrTscAux: return msr.tscAux;
        default: raise(kVecGP, 0);
    }
}

void Cpu::writeMsr(uint32_t idx, uint64_t v) {
    auto canonical = [](uint64_t a) {
        if (!isCanonical(a)) raise(kVecGP, 0);
        return a;
    };
    if (idx >= kMsrMtrrPhysBase0 && idx < kMsrMtrrPhysBase0 + 16) {
        msr.mtrrVar[idx - kMsrMtrrPhysBase0] = v;
        return;
    }
    if (int f = fixedMtrrIndex(idx); f >= 0) {
        msr.mtrrFixed[f] = v;
        return;
    }
    switch (idx) {
        case kMsrTsc: msr.tscOffset = static_cast<int64_t>(v - (readTsc() - static_cast<uint64_t>(msr.tscOffset))); return;
        case kMsrApicBase:
            msr.apicBase = (v & ~0x6FFull) | 0x100;  // BSP bit stays set
            if (apic_) apic_->apicBaseWritten(msr.apicBase);  // move/enable/disable its page
            return;
        case kMsrBiosSignId: return;
        case kMsrSysenterCs: msr.sysenterCs = v & 0xFFFF; return;
        case kMsrSysenterEsp: msr.sysenterEsp = canonical(v); return;
        case kMsrSysenterEip: msr.sysenterEip = canonical(v); return;
        case kMsrMcgStatus: return;
        case kMsrMiscEnable: msr.miscEnable = v; return;
        case kMsrPat:
            // Each of the 8 PAT entries must be a valid memory type (0,1,4,5,6,7).
            for (unsigned k = 0; k < 8; ++k) {
                unsigned t = (v >> (8 * k)) & 0xFF;
                if (t == 2 || t == 3 || t > 7) raise(kVecGP, 0);
            }
            msr.pat = v;
            return;
        case kMsrMtrrDefType: msr.mtrrDefType = v & 0xCFF; return;
        case kMsrEfer: writeEfer(v); return;
        case kMsrStar: msr.star = v; return;
        case kMsrLstar: msr.lstar = canonical(v); return;
        case kMsrCstar: msr.cstar = canonical(v); return;
        case kMsrSfmask: msr.sfmask = v & 0xFFFFFFFF; return;
        case kMsrFsBase: seg[FS].base = canonical(v); return;
        case kMsrGsBase: seg[GS].base = canonical(v); return;
        case kMsrKernelGsBase: msr.kernelGsBase = canonical(v); return;
        case kMsrTscAux: msr.tscAux = v & 0xFFFFFFFF; return;
        default: raise(kVecGP, 0);
    }
}

}  // namespace pvx::cpu
