/* SPDX-License-Identifier: GPL-2.0 */
/* What every pvx Linux module shares: discovery of pvx by its CPUID signature and the escape
 * with the list convention (docs/pvabi.md "Discovery", "Lists and continuation"). The ABI itself
 * (call numbers, structures, errors) is src/pvabi/include/pvx/abi.h, included unchanged. */
#ifndef PVX_LINUX_H
#define PVX_LINUX_H

#include <linux/types.h>
#include <linux/printk.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include "pvx/abi.h"

/* "pvxPVXpvxPVX": EBX, ECX, EDX of the signature leaf as bytes (docs/pvabi.md "Discovery"). */
#define PVX_LINUX_SIGNATURE "pvxPVXpvxPVX"

/* The pvx leaves' base (0x40000000 today) when this kernel runs on pvx with ABI version 1 and
 * every bit of `need` among the features, else 0. CPUID.1:ECX[31] first: the 0x4000xxxx leaves
 * mean nothing on bare hardware. Scanning the hypervisor range in 0x100 steps (as the kernel
 * does for KVM and Xen) keeps working if pvx ever stacks its leaves behind another signature. */
static inline u32 pvx_linux_detect(u32 need, u32 *features)
{
	u32 base, eax, ebx, ecx, edx;

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return 0;
	base = hypervisor_cpuid_base(PVX_LINUX_SIGNATURE, 1);
	if (!base)
		return 0;
	cpuid(base + 1, &eax, &ebx, &ecx, &edx);
	if (ecx != PVX_ABI_VERSION || (eax & need) != need)
		return 0;
	if (features)
		*features = eax;
	return base;
}

/* Called first by every module's init: -ENODEV, with one line saying why, unless pvx offers
 * `need`. Nothing else in a module may execute VMCALL before this succeeded: without pvx (real
 * hardware, another hypervisor, `pvx --pv off`) the instruction raises #UD. */
static inline int pvx_linux_require(const char *module, u32 need)
{
	u32 features = 0;

	if (pvx_linux_detect(need, &features))
		return 0;
	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR) || !hypervisor_cpuid_base(PVX_LINUX_SIGNATURE, 1))
		pr_notice("%s: not running on pvx (no \"%s\" signature at CPUID 0x40000000; "
			  "pvx --pv off?): not loading\n", module, PVX_LINUX_SIGNATURE);
	else
		pr_notice("%s: pvx found but without ABI version %u and features %#x: not loading\n",
			  module, PVX_ABI_VERSION, need);
	return -ENODEV;
}

/* A LIST call (docs/pvabi.md "Lists and continuation"): RAX = call, RBX = the array's
 * guest-physical address, RCX = count, RDX = start index (0). A call that runs out of its work
 * budget re-executes by itself, so one asm statement covers the whole list. Returns the count or
 * -PVX_E*, with *index = RDX (the failing entry on error). */
static inline long pvx_list_call(unsigned long nr, u64 list_phys, unsigned long count,
				 unsigned long *index)
{
	long ret;
	unsigned long rdx = *index;

	asm volatile("vmcall"
		     : "=a"(ret), "+d"(rdx)
		     : "a"(nr), "b"(list_phys), "c"(count)
		     : "memory");
	*index = rdx;
	return ret;
}

#endif /* PVX_LINUX_H */
