/* pvx paravirtual ABI: the guest-facing contract (docs/pvabi.md explains every call).
 * Plain freestanding C, usable from bare-metal guests, firmware and Linux kernel modules.
 *
 * Discovery: CPUID.1:ECX[31] = 1 and CPUID 0x40000000 returns EBX:ECX:EDX = "pvxPVXpvxPVX".
 * Escape: VMCALL (0F 01 C1) or VMMCALL (0F 01 D9) at CPL 0.
 * Registers: RAX = call number; RBX, RCX, RDX, RSI, RDI, R8 = arguments 1-6;
 *            RAX returns >= 0 (success or a count) or a negative PVX_E* error. Nothing else
 *            changes unless a call documents it. */
#ifndef PVX_ABI_H
#define PVX_ABI_H

#define PVX_ABI_VERSION 1u

#define PVX_CPUID_SIGNATURE_LEAF 0x40000000u
#define PVX_CPUID_FEATURES_LEAF 0x40000001u /* EAX features, EBX doorbell port, ECX ABI version */
#define PVX_CPUID_LIMITS_LEAF 0x40000002u   /* EAX max batch entries */
#define PVX_SIGNATURE_EBX 0x50787670u        /* "pvxP" */
#define PVX_SIGNATURE_ECX 0x76705856u        /* "VXpv" */
#define PVX_SIGNATURE_EDX 0x58565078u        /* "xPVX" */

/* Errors (KVM-compatible values where KVM has them). */
#define PVX_EPERM 1
#define PVX_EFAULT 14
#define PVX_EINVAL 22
#define PVX_E2BIG 7
#define PVX_EIO 5
#define PVX_EOPNOTSUPP 95
#define PVX_ENOSYS 1000

/* Call numbers: service << 8 | function. */
#define PVX_CALL(service, fn) (((service) << 8) | (fn))
#define PVX_SVC_INFO 0x00u
#define PVX_CALL_INFO_VERSION PVX_CALL(PVX_SVC_INFO, 0x00) /* -> RAX = PVX_ABI_VERSION */

/* Feature bits (CPUID 0x40000001 EAX). */
#define PVX_FEAT_INFO (1u << 0)

#endif /* PVX_ABI_H */
