// SPDX-License-Identifier: GPL-2.0
/*
 * pvxclock: a clocksource read from pvx's shared time page (docs/pvabi.md "The clock page"):
 * registered once with CLOCK_SET_PAGE, then every read is RDTSC and a multiply under the page's
 * seqlock, with no escape and no port or MMIO access (the HPET costs an MMIO exit per read, the
 * ACPI PM timer a port exit).
 *
 * Rating. pvx's TSC is invariant (CPUID 0x80000007 EDX[8]) and counts machine-clock ns, so the
 * kernel's own "tsc" clocksource costs the same per read, and unlike a module's clocksource it
 * also serves clock_gettime() in the vDSO without a system call. pvxclock therefore follows the
 * policy Linux applies to kvm-clock (arch/x86/kernel/kvmclock.c): with an invariant, stable TSC
 * it rates 299, just under tsc (300) and above hpet (250) and acpi_pm (200), so it takes over
 * only if the TSC is marked unstable; without one it rates 400 and wins, because the page's
 * scale is exact while a TSC calibrated against the PIT is not. `rating=` overrides it, and
 * `echo pvxclock > /sys/devices/system/clocksource/clocksource0/current_clocksource` selects it.
 */
#include <linux/clocksource.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <asm/msr.h>
#include <asm/tsc.h>

#include "pvx_linux.h"

#define PVXCLOCK_NAME "pvxclock"

static int rating = -1;
module_param(rating, int, 0444);
MODULE_PARM_DESC(rating, "clocksource rating (default: 299 with an invariant stable TSC, else 400)");

/* One page so that the 32-byte, 32-byte-aligned struct never shares a page with anything else. */
static struct pvx_time_page *pvxclock_page;

/* ns = system_time + ((tsc - tsc_timestamp) << tsc_shift) * mul >> 32, retried while pvx is
 * updating the page (odd version) or did so meanwhile (version changed). */
static u64 notrace pvxclock_read(struct clocksource *cs)
{
	const volatile struct pvx_time_page *p = pvxclock_page;
	u32 version, mul;
	u64 delta, system_time;
	s8 shift;

	do {
		version = p->version;
		virt_rmb();
		delta = rdtsc_ordered() - p->tsc_timestamp;
		system_time = p->system_time;
		mul = p->tsc_to_system_mul;
		shift = p->tsc_shift;
		virt_rmb();
	} while ((version & 1) || version != p->version);
	delta = shift >= 0 ? delta << shift : delta >> -shift;
	return system_time + mul_u64_u32_shr(delta, mul, 32);
}

static struct clocksource pvxclock_cs = {
	.name = PVXCLOCK_NAME,
	.read = pvxclock_read,
	.mask = CLOCKSOURCE_MASK(64),
	.flags = CLOCK_SOURCE_IS_CONTINUOUS,
	.owner = THIS_MODULE,
};

static int pvxclock_default_rating(void)
{
	if (boot_cpu_has(X86_FEATURE_CONSTANT_TSC) && boot_cpu_has(X86_FEATURE_NONSTOP_TSC) &&
	    !check_tsc_unstable())
		return 299;
	return 400;
}

static int __init pvxclock_init(void)
{
	long ret;
	int err;

	err = pvx_linux_require(PVXCLOCK_NAME, PVX_FEAT_CLOCK);
	if (err)
		return err;
	pvxclock_page = (struct pvx_time_page *)get_zeroed_page(GFP_KERNEL);
	if (!pvxclock_page)
		return -ENOMEM;
	ret = pvx_call4(PVX_CALL_CLOCK_SET_PAGE, virt_to_phys(pvxclock_page), 0, 0, 0);
	if (ret < 0) {
		pr_err(PVXCLOCK_NAME ": CLOCK_SET_PAGE failed: %ld\n", ret);
		free_page((unsigned long)pvxclock_page);
		return -ENODEV;
	}
	pvxclock_cs.rating = rating >= 0 ? rating : pvxclock_default_rating();
	/* The page converts TSC ticks to nanoseconds: the clocksource counts at 1 GHz. */
	err = clocksource_register_hz(&pvxclock_cs, NSEC_PER_SEC);
	if (err) {
		pvx_call4(PVX_CALL_CLOCK_SET_PAGE, 0, 0, 0, 0);
		free_page((unsigned long)pvxclock_page);
		return err;
	}
	pr_info(PVXCLOCK_NAME ": clocksource from the pvx time page (mul %#x shift %d), rating %d\n",
		pvxclock_page->tsc_to_system_mul, pvxclock_page->tsc_shift, pvxclock_cs.rating);
	return 0;
}

static void __exit pvxclock_exit(void)
{
	/* Fails with -EBUSY only for the current clocksource while nothing can replace it, which
	 * cannot happen here: tsc, hpet or acpi_pm are registered. */
	clocksource_unregister(&pvxclock_cs);
	pvx_call4(PVX_CALL_CLOCK_SET_PAGE, 0, 0, 0, 0);
	free_page((unsigned long)pvxclock_page);
}

module_init(pvxclock_init);
module_exit(pvxclock_exit);
MODULE_DESCRIPTION("pvx clocksource (the shared time page, no exit per read)");
MODULE_LICENSE("GPL");
