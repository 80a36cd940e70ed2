/* pvx.c - CPUID discovery of pvx (abi.h "DISCOVERY"). */
#include "pvx.h"

#include "rt.h"

struct pvx_info pvx;

void pvx_detect(bool allowed) {
    uint32_t a, b, c, d;
    memset(&pvx, 0, sizeof pvx);
    if (!allowed) return;
    /* CPUID.1:ECX[31]: "a hypervisor is present". Real CPUs return 0; then the 0x4000xxxx
     * leaves mean nothing (they echo the highest basic leaf on Intel). */
    cpuid(1, 0, &a, &b, &c, &d);
    if (!(c & (1u << 31))) return;
    cpuid(PVX_CPUID_SIGNATURE_LEAF, 0, &a, &b, &c, &d);
    if (b != PVX_SIGNATURE_EBX || c != PVX_SIGNATURE_ECX || d != PVX_SIGNATURE_EDX) return;
    pvx.signature = true;
    if (a < PVX_CPUID_FEATURES_LEAF) return; /* a pvx without the features leaf: nothing usable */
    pvx.max_leaf = a;
    cpuid(PVX_CPUID_FEATURES_LEAF, 0, &a, &b, &c, &d);
    pvx.features = a;
    pvx.doorbell = b;
    pvx.abi_version = c;
    pvx.max_batch = PVX_MAX_BATCH;
    if (pvx.max_leaf >= PVX_CPUID_LIMITS_LEAF) {
        cpuid(PVX_CPUID_LIMITS_LEAF, 0, &a, &b, &c, &d);
        if (a) pvx.max_batch = a;
    }
    /* This runtime speaks version 1; a later pvx keeps version-1 calls working. */
    pvx.present = pvx.abi_version >= 1;
}
