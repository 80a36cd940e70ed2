// SPDX-License-Identifier: GPL-2.0
/*
 * pvxcon: a PV console tty, /dev/hvc0, over pvx's console service (docs/pvabi.md "CONSOLE"):
 * a backend for the kernel's hvc driver (CONFIG_HVC_DRIVER=y in Debian's kernel). Output is one
 * CONSOLE_WRITE escape per buffer the hvc layer pushes (the tty layer hands it up to 2 KiB at a
 * time) instead of an LSR poll and a THR write per byte through the emulated 16550. Input has no
 * interrupt in ABI v1: the hvc layer polls CONSOLE_READ from its khvcd thread (irq 0 = polled).
 * The stream is the one COM1 writes to: pvx's --serial output shows both, interleaved.
 *
 * hvc_instantiate() also offers hvc0 as a kernel console: booting with console=hvc0 sends the
 * kernel's messages through the escape once this module is loaded.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/tty.h>

#include "pvx_linux.h"

#define PVXCON_NAME "pvxcon"
#define PVXCON_VTERMNO 0x70767863u /* "cxvp": any value; hvc passes it back to the ops */
#define PVXCON_INDEX 0             /* hvc0 */
#define PVXCON_OUTBUF 4096         /* the hvc layer's output buffer: at most one escape's worth */

/*
 * The hvc backend interface (drivers/tty/hvc/hvc_console.h of Linux 6.1). That header is private
 * to drivers/tty/hvc and not in linux-headers-*, so the part a backend uses is declared here:
 * the table of operations, in the kernel's member order (the hvc core calls through it), and the
 * four exported functions. Only get_chars and put_chars are set; the rest stay NULL.
 */
struct hvc_struct;
struct hv_ops {
	int (*get_chars)(u32 vtermno, char *buf, int count);
	int (*put_chars)(u32 vtermno, const char *buf, int count);
	int (*flush)(u32 vtermno, bool wait);
	int (*notifier_add)(struct hvc_struct *hp, int irq);
	void (*notifier_del)(struct hvc_struct *hp, int irq);
	void (*notifier_hangup)(struct hvc_struct *hp, int irq);
	int (*tiocmget)(struct hvc_struct *hp);
	int (*tiocmset)(struct hvc_struct *hp, unsigned int set, unsigned int clear);
	void (*dtr_rts)(struct hvc_struct *hp, int raise);
};
extern int hvc_instantiate(u32 vtermno, int index, const struct hv_ops *ops);
extern struct hvc_struct *hvc_alloc(u32 vtermno, int data, const struct hv_ops *ops, int outbuf_size);
extern int hvc_remove(struct hvc_struct *hp);
extern void hvc_kick(void);

/* Bounce pages: hvc hands over buffers that may live on a vmalloc'ed stack, and the escape
 * takes guest-physical addresses, so data goes through memory whose address virt_to_phys knows. */
static DEFINE_SPINLOCK(pvxcon_lock);
static char *pvxcon_out;
static char *pvxcon_in;
static struct hvc_struct *pvxcon_hvc;

/* The console service's answer to a write of nothing: 0 when a console is attached,
 * -PVX_ENODEV when pvx runs with --serial none (docs/pvabi.md: ENODEV is checked first). */
static long pvxcon_probe(void)
{
	return pvx_call4(PVX_CALL_CONSOLE_WRITE, 0, 0, 0, 0);
}

static int pvxcon_put_chars(u32 vtermno, const char *buf, int count)
{
	unsigned long flags;
	int done = 0;

	while (done < count) {
		int n = min_t(int, count - done, PAGE_SIZE);
		long ret;

		spin_lock_irqsave(&pvxcon_lock, flags);
		memcpy(pvxcon_out, buf + done, n);
		ret = pvx_call4(PVX_CALL_CONSOLE_WRITE, virt_to_phys(pvxcon_out), n, 0, 0);
		spin_unlock_irqrestore(&pvxcon_lock, flags);
		if (ret < 0)
			/* hvc drops its buffered output on an error (there is nobody to write to) */
			return done ? done : -EIO;
		done += ret;
	}
	return done;
}

/* Polled by khvcd (and by the console layer for sysrq/kdb); never blocks: 0 when no input waits. */
static int pvxcon_get_chars(u32 vtermno, char *buf, int count)
{
	unsigned long flags;
	long ret;

	count = min_t(int, count, PAGE_SIZE);
	if (count <= 0)
		return 0;
	spin_lock_irqsave(&pvxcon_lock, flags);
	ret = pvx_call4(PVX_CALL_CONSOLE_READ, virt_to_phys(pvxcon_in), count, 0, 0);
	if (ret > 0)
		memcpy(buf, pvxcon_in, ret);
	spin_unlock_irqrestore(&pvxcon_lock, flags);
	return ret < 0 ? -EIO : (int)ret;
}

static const struct hv_ops pvxcon_ops = {
	.get_chars = pvxcon_get_chars,
	.put_chars = pvxcon_put_chars,
};

static int __init pvxcon_init(void)
{
	long probe;
	int err;

	err = pvx_linux_require(PVXCON_NAME, PVX_FEAT_CONSOLE);
	if (err)
		return err;
	probe = pvxcon_probe();
	if (probe < 0) {
		pr_notice(PVXCON_NAME ": pvx has no console attached (CONSOLE_WRITE: %ld; --serial none?): "
			  "not loading\n", probe);
		return -ENODEV;
	}
	pvxcon_out = (char *)__get_free_page(GFP_KERNEL);
	pvxcon_in = (char *)__get_free_page(GFP_KERNEL);
	if (!pvxcon_out || !pvxcon_in) {
		err = -ENOMEM;
		goto free;
	}
	/* Fails (harmlessly) when another hvc backend already holds index 0. */
	if (hvc_instantiate(PVXCON_VTERMNO, PVXCON_INDEX, &pvxcon_ops))
		pr_info(PVXCON_NAME ": hvc%d is taken; no kernel console through pvx\n", PVXCON_INDEX);
	pvxcon_hvc = hvc_alloc(PVXCON_VTERMNO, 0, &pvxcon_ops, PVXCON_OUTBUF);
	if (IS_ERR(pvxcon_hvc)) {
		err = PTR_ERR(pvxcon_hvc);
		goto free;
	}
	hvc_kick();
	pr_info(PVXCON_NAME ": PV console on hvc (CONSOLE_WRITE/CONSOLE_READ, input polled)\n");
	return 0;

free:
	free_page((unsigned long)pvxcon_out);
	free_page((unsigned long)pvxcon_in);
	return err;
}

static void __exit pvxcon_exit(void)
{
	/* hvc_remove() also forgets the console slot hvc_instantiate() filled. */
	hvc_remove(pvxcon_hvc);
	free_page((unsigned long)pvxcon_out);
	free_page((unsigned long)pvxcon_in);
}

module_init(pvxcon_init);
module_exit(pvxcon_exit);
MODULE_DESCRIPTION("pvx PV console (hvc backend over the CONSOLE escape)");
MODULE_LICENSE("GPL");
