/* pvx.h - finding pvx and making PV calls. The contract is src/pvabi/include/pvx/abi.h (the
 * guest-facing ABI header, included here unchanged); this file adds the discovery result and a
 * wrapper for list calls, which also need RDX back. */
#ifndef RT_PVX_H
#define RT_PVX_H

#include <stdbool.h>
#include <stdint.h>

#include "pvx/abi.h"

struct pvx_info {
    bool present;          /* usable: signature and ABI version >= 1 (and not pv=off) */
    bool signature;        /* the CPUID signature was there */
    uint32_t max_leaf;     /* CPUID 0x40000000 EAX */
    uint32_t features;     /* PVX_FEAT_* */
    uint32_t doorbell;     /* I/O port of the real-mode doorbell, 0 = none (64-bit code uses VMCALL) */
    uint32_t abi_version;  /* PVX_ABI_VERSION */
    uint32_t max_batch;    /* largest list count per call */
};
extern struct pvx_info pvx;

/* CPUID discovery (abi.h "DISCOVERY"); `allowed` = false pretends pvx is absent (pv=off). */
void pvx_detect(bool allowed);
static inline bool pvx_has(uint32_t feature) { return pvx.present && (pvx.features & feature) == feature; }

/* A plain call: RAX = call, RBX/RCX/RDX/RSI = arguments; returns RAX (>= 0, or -PVX_E*). */
static inline long pvx_call(unsigned long nr, unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4) {
    return pvx_call4(nr, a1, a2, a3, a4);
}

/* A LIST call (abi.h "LISTS"): RBX = list address, RCX = count, RDX = start index. Returns RAX
 * (the count when all entries are done, or -PVX_E*), and *index = RDX afterwards (the count, or
 * the index of the failing entry). The work-budget continuation needs no code here: pvx leaves
 * RIP on the VMCALL with RAX = the call number and RDX = the next entry, so the CPU simply
 * executes it again after any pending interrupt. RBX and RCX are documented as preserved but
 * declared as outputs anyway, so the compiler never relies on that. */
static inline long pvx_list_call(unsigned long nr, uint64_t list_gpa, uint64_t count, uint64_t *index) {
    long ret;
    uint64_t idx = *index;
    __asm__ volatile("vmcall" : "=a"(ret), "+b"(list_gpa), "+c"(count), "+d"(idx) : "a"(nr) : "memory");
    *index = idx;
    return ret;
}

#endif
