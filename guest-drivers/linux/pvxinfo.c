// SPDX-License-Identifier: GPL-2.0
/*
 * pvxinfo: pvx's own counters for user space, so that a script inside the guest can measure a
 * piece of work in guest instructions and exits (docs/pvabi.md "INFO"). The escape is CPL 0 only;
 * this module makes the INFO calls on user space's behalf:
 *
 *   /sys/kernel/pvx/stats     one line, the nine counters of struct pvx_stats in order:
 *                             instructions pio_exits mmio_exits pv_calls tlb_misses page_walks
 *                             interrupts clock_ns host_cpu_ns
 *                             (host_cpu_ns reads 0 on a pvx that fills only the first eight)
 *   /sys/kernel/pvx/features  the PVX_FEAT_* bitmap (hex)
 *   /sys/kernel/pvx/version   the ABI version
 *
 * Reading stats costs one escape (counted in pv_calls) and a few thousand instructions of
 * sysfs; a measurement takes the difference of two reads, so that overhead is in it once.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>

#include "pvx_linux.h"

#define PVXINFO_NAME "pvxinfo"

static DEFINE_MUTEX(pvxinfo_lock);
static struct pvx_stats *pvxinfo_buf; /* one page: INFO_STATS takes a guest-physical address */
static struct kobject *pvxinfo_kobj;

static ssize_t stats_show(struct kobject *kobj, struct kobj_attribute *attr, char *out)
{
	struct pvx_stats s;
	long n;

	mutex_lock(&pvxinfo_lock);
	memset(pvxinfo_buf, 0, sizeof(*pvxinfo_buf));
	n = pvx_call4(PVX_CALL_INFO_STATS, virt_to_phys(pvxinfo_buf), sizeof(*pvxinfo_buf), 0, 0);
	s = *pvxinfo_buf;
	mutex_unlock(&pvxinfo_lock);
	/* INFO_STATS fills the prefix of the struct this pvx knows; the first eight fields are ABI v1. */
	if (n < (long)offsetof(struct pvx_stats, host_cpu_ns))
		return -EIO;
	return sysfs_emit(out, "%llu %llu %llu %llu %llu %llu %llu %llu %llu\n", s.instructions,
			  s.pio_exits, s.mmio_exits, s.pv_calls, s.tlb_misses, s.page_walks,
			  s.interrupts, s.clock_ns, s.host_cpu_ns);
}

static ssize_t features_show(struct kobject *kobj, struct kobj_attribute *attr, char *out)
{
	return sysfs_emit(out, "%#lx\n", pvx_call4(PVX_CALL_INFO_FEATURES, 0, 0, 0, 0));
}

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr, char *out)
{
	return sysfs_emit(out, "%ld\n", pvx_call4(PVX_CALL_INFO_VERSION, 0, 0, 0, 0));
}

static struct kobj_attribute stats_attr = __ATTR_RO(stats);
static struct kobj_attribute features_attr = __ATTR_RO(features);
static struct kobj_attribute version_attr = __ATTR_RO(version);

static struct attribute *pvxinfo_attrs[] = {
	&stats_attr.attr,
	&features_attr.attr,
	&version_attr.attr,
	NULL,
};

static const struct attribute_group pvxinfo_group = {
	.attrs = pvxinfo_attrs,
};

static int __init pvxinfo_init(void)
{
	int err;

	err = pvx_linux_require(PVXINFO_NAME, PVX_FEAT_INFO);
	if (err)
		return err;
	pvxinfo_buf = (struct pvx_stats *)get_zeroed_page(GFP_KERNEL);
	if (!pvxinfo_buf)
		return -ENOMEM;
	pvxinfo_kobj = kobject_create_and_add("pvx", kernel_kobj);
	if (!pvxinfo_kobj) {
		err = -ENOMEM;
		goto free;
	}
	err = sysfs_create_group(pvxinfo_kobj, &pvxinfo_group);
	if (err)
		goto put;
	pr_info(PVXINFO_NAME ": pvx counters in /sys/kernel/pvx/stats\n");
	return 0;

put:
	kobject_put(pvxinfo_kobj);
free:
	free_page((unsigned long)pvxinfo_buf);
	return err;
}

static void __exit pvxinfo_exit(void)
{
	kobject_put(pvxinfo_kobj);
	free_page((unsigned long)pvxinfo_buf);
}

module_init(pvxinfo_init);
module_exit(pvxinfo_exit);
MODULE_DESCRIPTION("pvx counters (INFO_STATS) in /sys/kernel/pvx");
MODULE_LICENSE("GPL");
