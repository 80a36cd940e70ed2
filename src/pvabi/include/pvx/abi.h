/* pvx paravirtual ABI, version 1: the guest-facing contract. docs/pvabi.md explains every call
 * with examples. Plain freestanding C (no libc), usable from bare-metal guests, 16/32-bit
 * firmware and Linux kernel modules.
 *
 * DISCOVERY
 *   CPUID.1:ECX[31] = 1 (a hypervisor is present) and CPUID 0x40000000 returns
 *   EAX = highest pvx leaf, EBX:ECX:EDX = "pvxPVXpvxPVX".
 *   CPUID 0x40000001: EAX = PVX_FEAT_* bitmap, EBX = doorbell I/O port (0 = none),
 *                     ECX = ABI version (PVX_ABI_VERSION).
 *   CPUID 0x40000002: EAX = largest list count one call accepts (PVX_MAX_BATCH).
 *   A guest that does not find the signature uses its emulated-hardware paths.
 *
 * THE ESCAPE
 *   VMCALL (0F 01 C1) or VMMCALL (0F 01 D9), at CPL 0. On hardware without pvx, at CPL > 0, or
 *   with `pvx --pv off`, the instruction raises #UD.
 *   Doorbell (real mode, firmware): `out dx, al` to the doorbell port with the same registers
 *   truncated to 32 bits (R8 reads as 0; upper halves are not changed).
 *
 * REGISTERS
 *   In:  RAX = call number (PVX_CALL_*), RBX, RCX, RDX, RSI, RDI, R8 = arguments 1..6.
 *   Out: RAX = result >= 0 (success or a count) or -PVX_E* (negative); the other registers are
 *        preserved unless the call says otherwise (list calls update RDX, see below).
 *
 * LISTS (calls marked LIST)
 *   RBX = guest-physical address of an array of entries, RCX = entry count, RDX = start index
 *   (0 on first use). Entries are processed in order from RDX.
 *   - All done:  RAX = RCX (the count), RDX = RCX.
 *   - An entry fails: RAX = -error, RDX = index of the failing entry; entries before it are done,
 *     none after it is touched.
 *   - Work budget used up: the call returns WITHOUT advancing RIP, with RAX still the call
 *     number and RDX = the next index, so the guest re-executes the same escape after any
 *     pending interrupt (the Hyper-V "rep" continuation). A guest needs no code for this.
 *   Every guest-physical range is checked (inside RAM, no wrap-around, alignment as stated):
 *   a bad one fails that entry with -PVX_EFAULT (or -PVX_EINVAL) and changes nothing.
 */
#ifndef PVX_ABI_H
#define PVX_ABI_H

#define PVX_ABI_VERSION 1u
#define PVX_MAX_BATCH 1024u

#define PVX_CPUID_SIGNATURE_LEAF 0x40000000u
#define PVX_CPUID_FEATURES_LEAF 0x40000001u
#define PVX_CPUID_LIMITS_LEAF 0x40000002u
#define PVX_SIGNATURE_EBX 0x50787670u /* "pvxP" */
#define PVX_SIGNATURE_ECX 0x76705856u /* "VXpv" */
#define PVX_SIGNATURE_EDX 0x58565078u /* "xPVX" */
#define PVX_DOORBELL_PORT 0x0EF0u      /* what pvx advertises today; always read it from CPUID */

/* Errors: RAX = -value. KVM-compatible numbers where KVM has them. */
#define PVX_EPERM 1
#define PVX_EIO 5
#define PVX_E2BIG 7
#define PVX_EFAULT 14
#define PVX_ENODEV 19
#define PVX_EINVAL 22
#define PVX_EOPNOTSUPP 95
#define PVX_ENOSYS 1000

/* Call numbers: service << 8 | function. */
#define PVX_CALL(service, fn) ((((unsigned)(service)) << 8) | (unsigned)(fn))
#define PVX_SVC_INFO 0x00u
#define PVX_SVC_CONSOLE 0x01u
#define PVX_SVC_BLOCK 0x02u
#define PVX_SVC_CLOCK 0x03u
#define PVX_SVC_MMU 0x04u
#define PVX_SVC_SCHED 0x05u
#define PVX_SVC_POWER 0x06u
#define PVX_SVC_MULTI 0x07u

/* INFO */
#define PVX_CALL_INFO_VERSION PVX_CALL(PVX_SVC_INFO, 0)  /* -> PVX_ABI_VERSION */
#define PVX_CALL_INFO_FEATURES PVX_CALL(PVX_SVC_INFO, 1) /* -> PVX_FEAT_* */
#define PVX_CALL_INFO_STATS PVX_CALL(PVX_SVC_INFO, 2)    /* RBX=gpa, RCX=size -> bytes of struct pvx_stats written */

/* CONSOLE: the same character sink as the emulated COM1 UART. */
#define PVX_CALL_CONSOLE_WRITE PVX_CALL(PVX_SVC_CONSOLE, 0) /* RBX=gpa, RCX=len -> bytes written (<= 64 KiB per call) */
#define PVX_CALL_CONSOLE_READ PVX_CALL(PVX_SVC_CONSOLE, 1)  /* RBX=gpa, RCX=max -> bytes read (0: none now) */

/* BLOCK: the same disks as the emulated ATA controller (device 0 = ATA primary master). */
#define PVX_CALL_BLOCK_INFO PVX_CALL(PVX_SVC_BLOCK, 0)  /* RBX=device -> sector count (512-byte sectors) */
#define PVX_CALL_BLOCK_RW PVX_CALL(PVX_SVC_BLOCK, 1)    /* LIST of struct pvx_block_req */
#define PVX_CALL_BLOCK_FLUSH PVX_CALL(PVX_SVC_BLOCK, 2) /* RBX=device -> 0 once written data is durable on the host */

/* CLOCK: nanoseconds of the machine clock; the TSC ticks at 1 GHz on the same clock. */
#define PVX_CALL_CLOCK_SET_PAGE PVX_CALL(PVX_SVC_CLOCK, 0)  /* RBX=gpa of struct pvx_time_page (32-byte aligned), 0 = off */
#define PVX_CALL_CLOCK_WALLCLOCK PVX_CALL(PVX_SVC_CLOCK, 1) /* -> ns since 1970-01-01 UTC; RBX = machine clock ns */

/* MMU: page-table maintenance done by the host in one escape. */
#define PVX_CALL_MMU_UPDATE PVX_CALL(PVX_SVC_MMU, 0) /* LIST of struct pvx_mmu_update */
#define PVX_CALL_MMU_FLUSH PVX_CALL(PVX_SVC_MMU, 1)  /* LIST of u64 linear addresses (INVLPG each); RCX=0: flush non-global TLB */
#define PVX_CALL_MMU_ZERO PVX_CALL(PVX_SVC_MMU, 2)   /* RBX=gpa (4 KiB aligned), RCX=pages -> pages zeroed (continuation via RDX) */
#define PVX_CALL_MMU_COPY PVX_CALL(PVX_SVC_MMU, 3)   /* RBX=dst gpa, RSI=src gpa (4 KiB aligned), RCX=pages -> pages copied (continuation via RDX) */

/* SCHED */
#define PVX_CALL_SCHED_HALT_UNTIL PVX_CALL(PVX_SVC_SCHED, 0) /* RBX=deadline (clock ns): halt until then or an interrupt */

/* POWER */
#define PVX_CALL_POWER_OFF PVX_CALL(PVX_SVC_POWER, 0)   /* pvx exits with status 0 */
#define PVX_CALL_POWER_RESET PVX_CALL(PVX_SVC_POWER, 1) /* machine reset */

/* MULTI: several calls in one escape */
#define PVX_CALL_MULTICALL PVX_CALL(PVX_SVC_MULTI, 0) /* LIST of struct pvx_multicall */

/* Feature bits (CPUID 0x40000001 EAX and PVX_CALL_INFO_FEATURES). */
#define PVX_FEAT_INFO (1u << 0)
#define PVX_FEAT_CONSOLE (1u << 1)
#define PVX_FEAT_BLOCK (1u << 2)
#define PVX_FEAT_CLOCK (1u << 3)
#define PVX_FEAT_MMU (1u << 4)
#define PVX_FEAT_SCHED (1u << 5)
#define PVX_FEAT_POWER (1u << 6)
#define PVX_FEAT_DOORBELL (1u << 7)
#define PVX_FEAT_MULTICALL (1u << 8)

#if defined(__KERNEL__)
#include <linux/types.h>
typedef __u8 pvx_u8;
typedef __s8 pvx_s8;
typedef __u32 pvx_u32;
typedef __s32 pvx_s32;
typedef __u64 pvx_u64;
#else
typedef unsigned char pvx_u8;
typedef signed char pvx_s8;
typedef unsigned int pvx_u32;
typedef int pvx_s32;
typedef unsigned long long pvx_u64;
#endif

/* BLOCK_RW entry (32 bytes, 8-byte aligned). */
#define PVX_BLOCK_READ 0u
#define PVX_BLOCK_WRITE 1u
#define PVX_BLOCK_FLUSH 2u
struct pvx_block_req {
    pvx_u32 op;      /* PVX_BLOCK_READ / WRITE / FLUSH */
    pvx_s32 status;  /* out: 0 or -PVX_E* */
    pvx_u64 lba;     /* first 512-byte sector */
    pvx_u64 buffer;  /* guest-physical address of the data (any alignment) */
    pvx_u32 sectors; /* number of sectors (READ/WRITE) */
    pvx_u32 device;  /* disk number (0 = ATA primary master) */
};

/* MMU_UPDATE entry: *(u64 *)pte = value, then INVLPG va (va = ~0: no flush). */
struct pvx_mmu_update {
    pvx_u64 pte;   /* guest-physical address of the 8-byte entry (8-byte aligned) */
    pvx_u64 value;
    pvx_u64 va;    /* linear address whose translation the entry maps */
};

/* One call of a MULTICALL list: the registers an escape would pass, and the RAX it returned.
 * args[] are RBX, RCX, RDX, RSI, RDI, R8 and are written back after the call (a LIST call's RDX
 * holds its progress when the MULTICALL is continued). */
struct pvx_multicall {
    pvx_u64 call;     /* PVX_CALL_* (not MULTICALL itself) */
    pvx_u64 args[6];
    pvx_u64 result;   /* out: RAX, >= 0 or -PVX_E* as a two's complement value */
};

/* The clock page (KVM pvclock layout): ns = system_time + (((tsc - tsc_timestamp) << tsc_shift)
 * * tsc_to_system_mul >> 32), read as a seqlock: retry while version is odd or changed. */
struct pvx_time_page {
    pvx_u32 version;
    pvx_u32 pad0;
    pvx_u64 tsc_timestamp;
    pvx_u64 system_time;
    pvx_u32 tsc_to_system_mul;
    pvx_s8 tsc_shift;
    pvx_u8 flags;
    pvx_u8 pad[2];
};

/* INFO_STATS: the emulator's counters (the prefix that fits in the buffer is written). Fields
 * are only ever appended: a guest passes its own sizeof and the return value says how much of it
 * this pvx filled (64 bytes before host_cpu_ns existed). */
struct pvx_stats {
    pvx_u64 instructions; /* guest instructions retired */
    pvx_u64 pio_exits;    /* port I/O accesses */
    pvx_u64 mmio_exits;   /* MMIO accesses */
    pvx_u64 pv_calls;     /* escapes */
    pvx_u64 tlb_misses;
    pvx_u64 page_walks;
    pvx_u64 interrupts;
    pvx_u64 clock_ns;     /* machine clock */
    pvx_u64 host_cpu_ns;  /* CPU time (user + system) the pvx process has used on the host: the
                           * host cost of guest work, whatever else loads the host. Not
                           * deterministic, even with --clock virtual. */
};

#if defined(__x86_64__)
/* The escape for 64-bit guests: RAX = call, up to four arguments in RBX, RCX, RDX, RSI. */
static inline long pvx_call4(unsigned long nr, unsigned long a1, unsigned long a2, unsigned long a3,
                             unsigned long a4) {
    long ret;
    __asm__ volatile("vmcall" : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4) : "a"(nr) : "memory");
    return ret;
}
#endif

#endif /* PVX_ABI_H */
